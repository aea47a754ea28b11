package handlers_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// workbook is an exported workbook, opened, with the rows of the sheets
// read so far (see rows).
type workbook struct {
	*excelize.File
	read map[string][][]string
}

// openWorkbook opens an exported workbook.
func openWorkbook(t *testing.T, data []byte) *workbook {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return &workbook{File: f, read: map[string][][]string{}}
}

// rows returns the rows of a sheet as displayed (GetRows), read once: the
// workbook does not change, and GetRows formats every cell of the sheet,
// which for a sheet of hundreds of rows searched for each of them costs
// more than the test's requests.
func (f *workbook) rows(t *testing.T, sheet string) [][]string {
	t.Helper()
	if rows, ok := f.read[sheet]; ok {
		return rows
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	f.read[sheet] = rows
	return rows
}

// cells reads a row of a sheet as displayed, from column A.
func cells(t *testing.T, f *workbook, sheet string, row int) []string {
	t.Helper()
	rows := f.rows(t, sheet)
	if row > len(rows) {
		t.Fatalf("%s has %d rows, not %d", sheet, len(rows), row)
	}
	return rows[row-1]
}

// findRow returns the first row of a sheet whose cells start with want.
func findRow(t *testing.T, f *workbook, sheet string, want ...string) []string {
	t.Helper()
	return f.rows(t, sheet)[rowOf(t, f, sheet, want...)-1]
}

// rowOf returns the number of the first row of a sheet whose cells start
// with want.
func rowOf(t *testing.T, f *workbook, sheet string, want ...string) int {
	t.Helper()
	for i, r := range f.rows(t, sheet) {
		if len(r) >= len(want) && slices.Equal(r[:len(want)], want) {
			return i + 1
		}
	}
	t.Fatalf("%s has no row starting %q", sheet, want)
	return 0
}

// csvFiles opens the exported zip and returns the text of each CSV file,
// checking that it starts with a UTF-8 byte order mark, which it leaves
// out, and ends its lines with CRLF.
func csvFiles(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("the zip does not open: %v", err)
	}
	out := map[string][]byte{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		body, ok := bytes.CutPrefix(raw, []byte("\xef\xbb\xbf"))
		if !ok {
			t.Fatalf("%s has no UTF-8 byte order mark", zf.Name)
		}
		if !bytes.Contains(body, []byte("\r\n")) {
			t.Fatalf("%s does not end lines with CRLF", zf.Name)
		}
		out[zf.Name] = body
	}
	return out
}

// readCSVZip opens the exported zip and parses each CSV file (see
// csvFiles).
func readCSVZip(t *testing.T, data []byte) map[string][][]string {
	t.Helper()
	out := map[string][][]string{}
	for name, body := range csvFiles(t, data) {
		recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = recs
	}
	return out
}

func TestExportWorkbookAndCSV(t *testing.T) {
	c := newResCast(t)
	c.say(c.group, c.minh, "/tieuchi add Công tác tuyên truyền, vận động | 20\nPhát triển hội viên | 30,5")
	an := c.member("An", "an")
	c.join(an, "Ủy ban MTTQ Việt Nam tỉnh")
	c.say(c.group, an, `/pledge =HYPERLINK("http://x") | 10 buổi`)
	c.say(c.group, c.admin, "/deputy 1")
	expect(t, c.say(c.group, c.lan, "/report Quý I\n1 45 đã khởi công 5 nhà\n2 35%\n3 100%").Text, "Đã ghi")
	confirm := c.lastIn(c.group.ID)
	c.handled(c.tg.SendPhoto(c.group, c.lan, &confirm, pngBytes(t), ""))
	c.now = time.Date(2026, 4, 3, 10, 0, 0, 0, hcm)
	expect(t, c.say(c.group, an, "/report Quý I\n1 4").Text, "Nộp muộn")

	before := len(c.tg.Messages(c.group.ID))
	c.unchanged(func() { c.say(c.group, c.hoa, "/xuatfile") })
	msgs := c.tg.Messages(c.group.ID)[before:]
	if len(msgs) != 2 || msgs[0].Document == nil || msgs[1].Document == nil {
		t.Fatalf("export sent %+v", msgs)
	}
	book, zipped := msgs[0], msgs[1]
	if book.Document.Name != "thi-dua-2026-mttq-va-cac-doan-the-tinh-lao-cai.xlsx" || zipped.Document.Name != "thi-dua-2026-mttq-va-cac-doan-the-tinh-lao-cai-csv.zip" || book.ReplyTo == 0 {
		t.Fatalf("file names %q, %q", book.Document.Name, zipped.Document.Name)
	}
	expect(t, book.Text, "📊 Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai — năm 2026, số liệu đến 03/04/2026 10:00")
	expect(t, zipped.Text, "CSV (UTF-8)")

	f := openWorkbook(t, book.Document.Data)
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Đơn vị", "Đăng ký", "Tiêu chí", "Kết quả", "Tiến độ", "Chấm điểm", "Cá nhân điển hình", "Lịch sử"}) {
		t.Fatalf("sheets %v", got)
	}
	if got := cells(t, f, "Đơn vị", 1); got[0] != "Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai — năm 2026 — Đơn vị" {
		t.Fatalf("title %q", got)
	}
	if got := cells(t, f, "Đơn vị", 2); !slices.Equal(got, []string{"STT", "Đơn vị", "Vai trò", "Đầu mối", "Số nội dung đăng ký"}) {
		t.Fatalf("units header %q", got)
	}
	if got := cells(t, f, "Đơn vị", 3); !slices.Equal(got, []string{"1", "Ủy ban MTTQ Việt Nam tỉnh", "Khối phó", "An (@an)", "1"}) {
		t.Fatalf("unit 1 %q", got)
	}
	findRow(t, f, "Đơn vị", "3", "Hội Nông dân tỉnh", "", "Lan", "4")
	findRow(t, f, "Đơn vị", "6", "Tỉnh Đoàn", "Khối trưởng", "Minh (@minh_td)", "0")

	findRow(t, f, "Đăng ký", "Hội Nông dân tỉnh", "1", "Vận động xây nhà đại đoàn kết", "50 nhà", "50", "nhà", "30/11/2026", "chưa gửi")
	findRow(t, f, "Đăng ký", "Hội Nông dân tỉnh", "4", "Phát triển hội viên mới", "1.200 hội viên", "1200", "hội viên", "30/06/2026")
	findRow(t, f, "Đăng ký", "Tỉnh Đoàn", "", "(chưa đăng ký nội dung)")
	if formula, _ := f.GetCellFormula("Đăng ký", "C3"); formula != "" {
		t.Fatalf("a pledge became a formula: %q", formula)
	}
	findRow(t, f, "Đăng ký", "Ủy ban MTTQ Việt Nam tỉnh", "1", `=HYPERLINK("http://x")`)

	findRow(t, f, "Tiêu chí", "1", "Công tác tuyên truyền, vận động", "20")
	findRow(t, f, "Tiêu chí", "", "Tổng cộng", "50.5")

	if got := cells(t, f, "Kết quả", 2); !slices.Equal(got, []string{"Kỳ", "Hạn kỳ", "Đơn vị", "STT", "Nội dung", "Chỉ tiêu", "Giá trị báo cáo",
		"Tính theo", "Hoàn thành", "Trạng thái", "Ngày gửi", "Người gửi", "Ghi chú", "Minh chứng"}) {
		t.Fatalf("results header %q", got)
	}
	findRow(t, f, "Kết quả", "Quý I", "31/03/2026", "Hội Nông dân tỉnh", "1", "Vận động xây nhà đại đoàn kết", "50 nhà", "45", "nhà", "90%",
		"đúng hạn", "02/03/2026", "Lan", "đã khởi công 5 nhà", "1")
	findRow(t, f, "Kết quả", "Quý I", "31/03/2026", "Hội Nông dân tỉnh", "2", "Hộ sản xuất kinh doanh giỏi", "40%", "35", "%", "88%")
	findRow(t, f, "Kết quả", "Quý I", "31/03/2026", "Hội Nông dân tỉnh", "3", "Phong trào thi đua", "hoàn thành xuất sắc", "100", "% chỉ tiêu", "", "đúng hạn")
	// Pledge 4 was left out of the report: its row does not read as reported on time.
	findRow(t, f, "Kết quả", "Quý I", "31/03/2026", "Hội Nông dân tỉnh", "4", "Phát triển hội viên mới", "1.200 hội viên", "", "", "",
		"không báo cáo nội dung này", "02/03/2026", "Lan")
	findRow(t, f, "Kết quả", "Quý I", "31/03/2026", "Ủy ban MTTQ Việt Nam tỉnh", "1", `=HYPERLINK("http://x")`, "10 buổi", "4", "buổi", "40%", "nộp muộn", "03/04/2026", "An")
	findRow(t, f, "Kết quả", "Quý I", "31/03/2026", "Tỉnh Đoàn", "", "(chưa đăng ký nội dung)", "", "", "", "", "quá hạn, chưa nộp")
	findRow(t, f, "Kết quả", "6 tháng", "15/06/2026", "Hội Nông dân tỉnh", "1", "Vận động xây nhà đại đoàn kết", "50 nhà", "", "", "", "chưa đến hạn")

	if got := cells(t, f, "Tiến độ", 2); !slices.Equal(got, []string{"Thứ tự", "Đơn vị", "Hoàn thành chỉ tiêu", "Quý I", "6 tháng", "9 tháng", "Năm"}) {
		t.Fatalf("progress header %q", got)
	}
	// Lan's unit: (90% + 87,5% + 0%) / 3 measurable pledges; An's 40%.
	if got := cells(t, f, "Tiến độ", 3); !slices.Equal(got, []string{"1", "Hội Nông dân tỉnh", "59%", "đúng hạn", "chưa đến hạn", "chưa đến hạn", "chưa đến hạn"}) {
		t.Fatalf("progress row 1 %q", got)
	}
	findRow(t, f, "Tiến độ", "2", "Ủy ban MTTQ Việt Nam tỉnh", "40%", "nộp muộn")

	for _, s := range []struct {
		name        string
		orientation string
		col         string
		width       float64
	}{
		{"Đơn vị", "portrait", "B", 40}, {"Đăng ký", "landscape", "C", 50}, {"Tiêu chí", "portrait", "B", 60},
		{"Kết quả", "landscape", "E", 40}, {"Tiến độ", "landscape", "B", 36}, {"Chấm điểm", "landscape", "D", 40},
		{"Cá nhân điển hình", "landscape", "H", 45},
	} {
		panes, err := f.GetPanes(s.name)
		if err != nil || !panes.Freeze || panes.YSplit != 2 || panes.TopLeftCell != "A3" {
			t.Errorf("%s: panes %+v, %v", s.name, panes, err)
		}
		layout, err := f.GetPageLayout(s.name)
		if err != nil || layout.Size == nil || *layout.Size != 9 || layout.Orientation == nil || *layout.Orientation != s.orientation ||
			layout.FitToWidth == nil || *layout.FitToWidth != 1 || layout.FitToHeight == nil || *layout.FitToHeight != 0 {
			t.Errorf("%s: page layout %+v, %v", s.name, layout, err)
		}
		props, err := f.GetSheetProps(s.name)
		if err != nil || props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: not fitted to the page: %+v, %v", s.name, props, err)
		}
		if w, err := f.GetColWidth(s.name, s.col); err != nil || w != s.width {
			t.Errorf("%s: column %s is %v wide, want %v (%v)", s.name, s.col, w, s.width, err)
		}
	}
	titles := 0
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Titles" {
			titles++
		}
	}
	if titles != 8 {
		t.Errorf("%d sheets repeat their header on every printed page, want 8", titles)
	}

	tables := readCSVZip(t, zipped.Document.Data)
	var names []string
	for n := range tables {
		names = append(names, n)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"ca-nhan-dien-hinh.csv", "cham-diem.csv", "dang-ky.csv", "don-vi.csv", "ket-qua.csv", "lich-su.csv", "tien-do.csv", "tieu-chi.csv"}) {
		t.Fatalf("CSV files %v", names)
	}
	if got := tables["ket-qua.csv"][0]; got[0] != "Kỳ" || got[8] != "Hoàn thành" || len(got) != 14 {
		t.Fatalf("results header %q", got)
	}
	want := []string{"Quý I", "2026-03-31", "Hội Nông dân tỉnh", "1", "Vận động xây nhà đại đoàn kết", "50 nhà", "45", "nhà", "90%",
		"đúng hạn", "2026-03-02", "Lan", "đã khởi công 5 nhà", "1"}
	if !slices.ContainsFunc(tables["ket-qua.csv"], func(r []string) bool { return slices.Equal(r, want) }) {
		t.Fatalf("results rows lack %q:\n%q", want, tables["ket-qua.csv"])
	}
	if !slices.ContainsFunc(tables["dang-ky.csv"], func(r []string) bool {
		return len(r) > 4 && r[2] == `'=HYPERLINK("http://x")` && r[4] == "10"
	}) {
		t.Fatalf("a formula-like pledge is not defused in CSV: %q", tables["dang-ky.csv"])
	}
	if got := tables["tieu-chi.csv"]; !slices.Equal(got[len(got)-1], []string{"", "Tổng cộng", "50,5"}) {
		t.Fatalf("criteria total %q", got[len(got)-1])
	}
	if got := tables["don-vi.csv"]; len(got) != 8 || !slices.Equal(got[3], []string{"3", "Hội Nông dân tỉnh", "", "Lan", "4"}) {
		t.Fatalf("units %q", got)
	}
	if got := tables["ca-nhan-dien-hinh.csv"]; len(got) != 2 || got[1][1] != "(chưa đề nghị cá nhân nào)" || len(got[1]) != len(got[0]) {
		t.Fatalf("nominations %q", got)
	}
	if got := tables["tien-do.csv"][1]; !strings.HasPrefix(strings.Join(got, "|"), "1|Hội Nông dân tỉnh|59,17%|đúng hạn") {
		t.Fatalf("progress %q", got)
	}
	c.noApology()
}

// The export's files carry a short form of the block's name, so that the
// exports of several blocks, collected by the province's emulation office,
// differ: ASCII without diacritics (đ is d), lower case, words joined by
// '-', without the leading «Khối thi đua» that the file name says already,
// cut after a whole word within 40 characters; a name without a Latin
// letter or digit leaves the year's plain name.
func TestExportFileNamesCarryTheBlock(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct{ name, file string }{
		{"Khối thi đua Đảng, Đoàn thể & các Hội quần chúng (cụm 3) — Lào Cai", "thi-dua-2026-dang-doan-the-cac-hoi-quan-chung-cum-3"},
		{"Cụm thi đua số 2: các sở, ngành", "thi-dua-2026-cum-thi-dua-so-2-cac-so-nganh"},
		{"KHỐI THI ĐUA", "thi-dua-2026-khoi-thi-dua"},
		{"Khối thi đua " + strings.Repeat("Ê", 45) + " tỉnh", "thi-dua-2026-" + strings.Repeat("e", 40)},
		{"Блок соревнования", "thi-dua-2026"},
	} {
		expect(t, h.say(h.group, h.admin, "/setup "+c.name).Text, "✅")
		h.say(h.group, h.admin, "/export")
		msgs := h.tg.Messages(h.group.ID)
		book, zipped := msgs[len(msgs)-2].Document, msgs[len(msgs)-1].Document
		if book == nil || zipped == nil {
			t.Fatalf("the export of %q sent no files", c.name)
		}
		if book.Name != c.file+".xlsx" || zipped.Name != c.file+"-csv.zip" {
			t.Fatalf("the export of %q: %s and %s, want %s.xlsx and %[4]s-csv.zip", c.name, book.Name, zipped.Name, c.file)
		}
	}
}

// TestExportCSVDefusesFormulasAfterSeparators has a representative hide
// formulas behind a comma or a semicolon in what the export writes (a
// pledge's title, a report's note, a unit's name, a person's position):
// a spreadsheet that splits lines on the semicolon, as Excel does under
// Vietnamese regional settings (whose list separator it is), starts a cell
// there. No cell may start a formula, the files read so or on the comma
// they are written with, but the one that keeps a number of the bot's, or
// text of only a number or a date, as text (="3.1", ="40%", see
// TestExportKeepsTheNumbersOfPeopleAsText).
func TestExportCSVDefusesFormulasAfterSeparators(t *testing.T) {
	c := newResCast(t)
	expect(t, c.say(c.group, c.lan, "/pledge Hội nghị;=2+5 | 3 buổi\nTập huấn,@SUM(1+1) | 2 lớp").Text, "Đã ghi 2 nội dung")
	expect(t, c.say(c.group, c.lan, "/report Quý I\n1 45 xong;+1+1\n5 2 xong,-3+4").Text, "Đã ghi báo cáo")
	expect(t, c.say(c.group, c.admin, "/renameunit 1 | Ủy ban MTTQ;=1+1").Text, "Ủy ban MTTQ;=1+1")
	expect(t, c.say(c.group, c.admin, "/exemplars #1\nNguyễn Văn An | Hội viên;=1+1 | Giúp đỡ,=2+2").Text, "Đã ghi 1 người")
	kept := regexp.MustCompile(`^="[0-9][0-9.,/:%-]*"$`)

	before := len(c.tg.Messages(c.group.ID))
	c.say(c.group, c.hoa, "/export")
	msgs := c.tg.Messages(c.group.ID)[before:]
	if len(msgs) != 2 || msgs[1].Document == nil {
		t.Fatalf("export sent %+v", msgs)
	}
	for name, body := range csvFiles(t, msgs[1].Document.Data) {
		for _, sep := range []rune{';', ','} {
			r := csv.NewReader(bytes.NewReader(body))
			r.Comma, r.LazyQuotes, r.FieldsPerRecord = sep, true, -1
			recs, err := r.ReadAll()
			if err != nil {
				t.Fatalf("%s split on %q: %v", name, sep, err)
			}
			for _, rec := range recs {
				for _, cell := range rec {
					if cell = strings.TrimPrefix(cell, `"`); cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) && !(sep == ',' && kept.MatchString(cell)) {
						t.Errorf("%s split on %q: a cell starts a formula: %q", name, sep, cell)
					}
				}
			}
		}
	}
}

// The period names head the columns of the progress table: in the CSV
// export a name a spreadsheet would take for a formula is defused like any
// other cell, and a manager cannot plant a formula that runs when a unit
// opens the file.
func TestExportCSVDefusesFormulasInHeaders(t *testing.T) {
	c := newResCast(t)
	expect(t, c.say(c.group, c.minh, `/kybaocao =HYPERLINK("http://x";"Quý V") | 30/12`).Text, "Đã thêm 1 kỳ báo cáo")
	c.say(c.group, c.hoa, "/export")
	zipped := c.lastIn(c.group.ID)
	if zipped.Document == nil {
		t.Fatalf("no zip: %q", zipped.Text)
	}
	head := readCSVZip(t, zipped.Document.Data)["tien-do.csv"][0]
	if got := head[len(head)-1]; got != `'=HYPERLINK("http://x";"Quý V")` {
		t.Fatalf("the header of the period's column is %q", got)
	}
	c.noApology()
}

// The export's caption names every sheet, the scores' included, and for a
// year the block turned from it does not say the data runs to today.
func TestExportCaptionNamesTheScores(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	h.say(h.group, h.admin, "/export")
	caption := h.exportCaption()
	expect(t, caption, "chấm điểm")
	h.now = time.Date(2026, 12, 2, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, h.admin, "/newyear")
	h.press(h.group, h.admin, ask, button(t, ask, "✅ Sang năm 2027"))
	h.now = time.Date(2027, 3, 5, 10, 0, 0, 0, hcm)
	h.say(h.group, h.admin, "/export 2026")
	caption = h.exportCaption()
	expect(t, caption, "năm 2026", "chấm điểm")
	if strings.Contains(caption, "05/03/2027") {
		t.Fatalf("the caption of 2026 says its data runs to today: %q", caption)
	}
}

// exportCaption returns the caption of the last workbook sent to the group.
func (h *harness) exportCaption() string {
	h.t.Helper()
	msgs := h.tg.Messages(h.group.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		if d := msgs[i].Document; d != nil && strings.HasSuffix(d.Name, ".xlsx") {
			return msgs[i].Text
		}
	}
	h.t.Fatal("no workbook in the group")
	return ""
}
