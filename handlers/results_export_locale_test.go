package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// localeExport has the results cast hold what a spreadsheet of other
// regional settings than Vietnamese would misread in a CSV file written
// the Vietnamese way, exports it and returns the zip of CSV files: a
// reported value of 1.200, a decimal value (45,5) and a decimal maximum
// of points (30,5), a completion of 87,5%, the report sent on 02/03 (a day
// ≤ 12, which a spreadsheet under English (US) settings reads as the
// month), a target of only a number («1.200») and one of only a
// percentage («40%»), a note of only a date («30/11») and an outstanding
// individual's number («3.1»). It returns the workbook and the zip.
func (c *resCast) localeExport() (book, zipped []byte) {
	c.t.Helper()
	expect(c.t, c.say(c.group, c.minh, "/tieuchi add Công tác tuyên truyền, vận động | 20\nPhát triển hội viên | 30,5").Text, "✅")
	expect(c.t, c.say(c.group, c.lan, "/dangky Tập huấn cán bộ hội | 1.200").Text, "Đã ghi 1 nội dung")
	expect(c.t, c.say(c.group, c.lan, "/report Quý I\n1 45,5 30/11\n2 35%\n4 1.200\n5 960").Text, "Đã ghi báo cáo")
	expect(c.t, c.say(c.group, c.lan, "/dienhinh\nNguyễn Thị Hoa | Chuyên viên Ban Phong trào | Vận động quỹ").Text, "Đã ghi 1 người")
	return c.export()
}

// export has Hoa send /export and returns the workbook and the zip of CSV
// files it sent.
func (c *resCast) export() (book, zipped []byte) {
	c.t.Helper()
	before := len(c.tg.Messages(c.group.ID))
	c.say(c.group, c.hoa, "/export")
	msgs := c.tg.Messages(c.group.ID)[before:]
	if len(msgs) != 2 || msgs[0].Document == nil || msgs[1].Document == nil {
		c.t.Fatalf("export sent %+v", msgs)
	}
	c.noApology()
	return msgs[0].Document.Data, msgs[1].Document.Data
}

// The CSV files read the same in a spreadsheet of any regional settings:
// numbers without thousands grouping and with the Vietnamese decimal
// comma, dates and times as ISO 8601, and text that a spreadsheet would
// turn into a number or a date (a target of only a number or a
// percentage, a note of only a date) kept as text by the formula ="…",
// like an outstanding individual's number. The workbook is unchanged.
func TestExportCSVWritesNumbersAndDatesForAnyLocale(t *testing.T) {
	c := newResCast(t)
	book, zipped := c.localeExport()
	tables := readCSVZip(t, zipped)
	for file, rows := range map[string][][]string{
		"dang-ky.csv": {
			{"Hội Nông dân tỉnh", "2", "Hộ sản xuất kinh doanh giỏi", `="40%"`, "40", "%", "2026-11-30", "chưa gửi"},
			{"Hội Nông dân tỉnh", "4", "Phát triển hội viên mới", "1.200 hội viên", "1200", "hội viên", "2026-06-30", "chưa gửi"},
			{"Hội Nông dân tỉnh", "5", "Tập huấn cán bộ hội", `="1.200"`, "1200", "", "2026-11-30", "chưa gửi"},
		},
		"ket-qua.csv": {
			{"Quý I", "2026-03-31", "Hội Nông dân tỉnh", "1", "Vận động xây nhà đại đoàn kết", "50 nhà", "45,5", "nhà", "91%", "đúng hạn", "2026-03-02", "Lan", `="30/11"`, "0"},
			{"Quý I", "2026-03-31", "Hội Nông dân tỉnh", "2", "Hộ sản xuất kinh doanh giỏi", `="40%"`, "35", "%", "87,5%", "đúng hạn", "2026-03-02", "Lan", "", "0"},
			{"Quý I", "2026-03-31", "Hội Nông dân tỉnh", "4", "Phát triển hội viên mới", "1.200 hội viên", "1200", "hội viên", "100%", "đúng hạn", "2026-03-02", "Lan", "", "0"},
			{"Quý I", "2026-03-31", "Hội Nông dân tỉnh", "5", "Tập huấn cán bộ hội", `="1.200"`, "960", "", "80%", "đúng hạn", "2026-03-02", "Lan", "", "0"},
		},
		"tien-do.csv":           {{"1", "Hội Nông dân tỉnh", "89,63%", "đúng hạn", "chưa đến hạn", "chưa đến hạn", "chưa đến hạn"}},
		"tieu-chi.csv":          {{"2", "Phát triển hội viên", "30,5"}, {"", "Tổng cộng", "50,5"}},
		"ca-nhan-dien-hinh.csv": {{"1", "Hội Nông dân tỉnh", `="3.1"`, "Nguyễn Thị Hoa", "Chuyên viên Ban Phong trào", "Không", "chức vụ", "Vận động quỹ", "Lan", "2026-03-02 09:00"}},
		"lich-su.csv": {{"2026-03-02 09:00", "Lan", "gửi báo cáo kết quả", "Hội Nông dân tỉnh", "",
			"Quý I — 1: 45,5 nhà (30/11); 2: 35%; 4: 1.200 hội viên; 5: 960"}},
	} {
		for _, want := range rows {
			if !hasRow(tables[file], want...) {
				t.Errorf("%s has no row %q:\n%q", file, want, tables[file])
			}
		}
	}

	f := openWorkbook(t, book)
	findRow(t, f, "Kết quả", "Quý I", "31/03/2026", "Hội Nông dân tỉnh", "1", "Vận động xây nhà đại đoàn kết", "50 nhà", "45.5", "nhà", "91%", "đúng hạn", "02/03/2026", "Lan", "30/11", "0")
	findRow(t, f, "Đăng ký", "Hội Nông dân tỉnh", "5", "Tập huấn cán bộ hội", "1.200", "1200", "", "30/11/2026")
}

// lcids are the regional settings the CSV files are read under in
// TestCSVExportReadsTheSameInEveryLocale: English (US), and Vietnamese.
var lcids = []string{"1033", "1066"}

// TestCSVExportReadsTheSameInEveryLocale opens the exported CSV files in
// LibreOffice under English (US) and Vietnamese regional settings, when it
// is installed, and reads each cell back: a code or text kept by ="…" and
// any other text read as the text written, a number as that number, a
// date or time as that date or time, in both; a decimal number (with the
// Vietnamese decimal comma) may stay the text written under English
// settings, visibly so, but never becomes another number.
func TestCSVExportReadsTheSameInEveryLocale(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) is not on PATH: the CSV files cannot be opened in a spreadsheet")
	}
	c := newResCast(t)
	_, zipped := c.localeExport()
	files := csvFiles(t, zipped)
	dir := t.TempDir()
	var names, paths []string
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, append([]byte("\ufeff"), body...), 0o600); err != nil {
			t.Fatal(err)
		}
		names, paths = append(names, name), append(paths, p)
	}
	slices.Sort(names)
	start := time.Now()
	books := map[string]map[string]*excelize.File{} // by LCID and file
	for _, lcid := range lcids {
		out := filepath.Join(dir, lcid)
		// The CSV import's options: comma-separated, quoted by ", in UTF-8
		// (76; without it the files would be read as Latin-1), from line 1,
		// the columns' formats guessed, under the regional settings lcid.
		output := libreOffice(t, soffice, filepath.Join(dir, "profile-"+lcid), append([]string{
			"--infilter=CSV:44,34,76,1,," + lcid, "--convert-to", "xlsx", "--outdir", out}, paths...)...)
		books[lcid] = map[string]*excelize.File{}
		for _, name := range names {
			f, err := excelize.OpenFile(filepath.Join(out, strings.TrimSuffix(name, ".csv")+".xlsx"))
			if err != nil {
				t.Fatalf("LCID %s: %s: %v\n%s", lcid, name, err, output)
			}
			t.Cleanup(func() { f.Close() })
			books[lcid][name] = f
		}
	}
	t.Logf("LibreOffice converted %d files under %d regional settings in %v", len(names), len(lcids), time.Since(start).Round(time.Millisecond))

	var problems []string
	for _, name := range names {
		recs, err := csv.NewReader(bytes.NewReader(files[name])).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i, rec := range recs {
			for j, field := range rec {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				for _, lcid := range lcids {
					if problem := readBack(t, books[lcid][name], cell, field, lcid == "1033"); problem != "" {
						problems = append(problems, fmt.Sprintf("%s %s, written %q, read under LCID %s: %s", name, cell, field, lcid, problem))
					}
				}
			}
		}
	}
	if len(problems) > 0 {
		t.Fatalf("%d cells read wrong, among them:\n%s", len(problems), strings.Join(problems[:min(len(problems), 20)], "\n"))
	}
}

// libreOffice runs LibreOffice (soffice) headless with args, with a
// profile of its own in the directory profile, which keeps the run apart
// from any other, for a minute at most; it returns its output, and fails
// the test if it fails.
func libreOffice(t *testing.T, soffice, profile string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	env := url.URL{Scheme: "file", Path: profile}
	cmd := exec.CommandContext(ctx, soffice, append([]string{"-env:UserInstallation=" + env.String(), "--headless"}, args...)...)
	cmd.WaitDelay = 5 * time.Second
	output, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice %q: %v\n%s", args, err, output)
	}
	return output
}

var (
	// keptText is a CSV field that keeps its text by a formula: ="3.1".
	keptText = regexp.MustCompile(`^="([^"]*)"$`)
	// isoDate is a date, and time, written as ISO 8601.
	isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$`)
	// plainNumber is a number without thousands grouping, with a decimal
	// comma, possibly a percentage.
	plainNumber = regexp.MustCompile(`^-?\d+(,\d+)?%?$`)
)

// readBack checks the cell that a spreadsheet read from a CSV field, under
// English (US) settings (english) or Vietnamese ones, and returns what is
// wrong with it, or "".
func readBack(t *testing.T, f *excelize.File, cell, field string, english bool) string {
	t.Helper()
	sheet := f.GetSheetName(0)
	typ, err := f.GetCellType(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	isText := typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString || typ == excelize.CellTypeFormula
	text := func(want string) string {
		if !isText || got != want {
			return "the text " + strconv.Quote(want) + " became " + describeCell(typ, got)
		}
		return ""
	}
	number := func(want float64) string {
		v, err := strconv.ParseFloat(got, 64)
		if typ != excelize.CellTypeNumber || err != nil || math.Abs(v-want) > 1e-6*math.Max(1, math.Abs(want)) {
			return "not the number " + strconv.FormatFloat(want, 'f', -1, 64) + " but " + describeCell(typ, got)
		}
		return ""
	}
	switch {
	case field == "":
		if got != "" {
			return "an empty cell holds " + describeCell(typ, got)
		}
	case keptText.MatchString(field):
		return text(keptText.FindStringSubmatch(field)[1])
	case isoDate.MatchString(field):
		layout := "2006-01-02"
		if len(field) > len(layout) {
			layout += " 15:04"
		}
		at, err := time.Parse(layout, field)
		if err != nil {
			t.Fatal(err)
		}
		return number(at.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	case plainNumber.MatchString(field):
		if english && strings.Contains(field, ",") {
			return text(field)
		}
		v, err := strconv.ParseFloat(strings.Replace(strings.TrimSuffix(field, "%"), ",", ".", 1), 64)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(field, "%") {
			v /= 100
		}
		return number(v)
	default:
		return text(field)
	}
	return ""
}

// describeCell says what a cell read back holds.
func describeCell(typ excelize.CellType, value string) string {
	kind := map[excelize.CellType]string{excelize.CellTypeNumber: "number", excelize.CellTypeBool: "boolean", excelize.CellTypeDate: "date",
		excelize.CellTypeError: "error", excelize.CellTypeFormula: "formula's text"}[typ]
	return strings.TrimSpace(kind + " " + strconv.Quote(value))
}
