package handlers_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Texts of the long-text export (see longTextExport): a pledge's title and
// a reported value's note that take several lines in their columns.
const (
	wrappedPledge = "Tổ chức tuyên truyền, phổ biến, giáo dục pháp luật cho hội viên, nông dân về phòng, chống tham nhũng, lãng phí và tệ nạn xã hội ở cơ sở"
	wrappedNote   = "đã khởi công 5 nhà tại các xã vùng cao, bàn giao 2 nhà trước Tết; số còn lại chờ vốn hỗ trợ của tỉnh và các nhà hảo tâm"
)

// longTextExport has Lan register wrappedPledge and report on it, with
// wrappedNote, exports and returns the workbook.
func (c *resCast) longTextExport() []byte {
	c.t.Helper()
	expect(c.t, c.say(c.group, c.lan, "/dangky "+wrappedPledge+" | 12 buổi").Text, "Đã ghi 1 nội dung")
	expect(c.t, c.say(c.group, c.lan, "/report Quý I\n1 45\n2 35%\n5 3 "+wrappedNote).Text, "Đã ghi báo cáo")
	book, _ := c.export()
	return book
}

// rowTags reads the start tags of the rows of a sheet of a workbook, as
// written: each row's attributes by the row's number.
func rowTags(t *testing.T, book []byte, sheet string) map[int]map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	part := func(name string) []byte {
		t.Helper()
		data, err := fs.ReadFile(zr, name)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(part("xl/workbook.xml"), &wb); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(part("xl/_rels/workbook.xml.rels"), &rels); err != nil {
		t.Fatal(err)
	}
	for _, s := range wb.Sheets {
		for _, r := range rels.Rels {
			if s.Name == sheet && r.ID == s.ID {
				return parseRowTags(t, part(path.Join("xl", r.Target)))
			}
		}
	}
	t.Fatalf("the workbook has no sheet %s", sheet)
	return nil
}

var (
	rowTag  = regexp.MustCompile(`<row\s[^>]*>`)
	rowAttr = regexp.MustCompile(`([\w:]+)="([^"]*)"`)
)

// parseRowTags reads the attributes of the rows of a worksheet's XML.
func parseRowTags(t *testing.T, ws []byte) map[int]map[string]string {
	t.Helper()
	out := map[int]map[string]string{}
	for _, tag := range rowTag.FindAll(ws, -1) {
		attrs := map[string]string{}
		for _, m := range rowAttr.FindAllSubmatch(tag, -1) {
			attrs[string(m[1])] = string(m[2])
		}
		r, err := strconv.Atoi(attrs["r"])
		if err != nil {
			t.Fatalf("row tag %s", tag)
		}
		out[r] = attrs
	}
	return out
}

// TestExportWorkbookRowsFitWrappedText: the workbook's rows are as tall as
// their wrapped text needs, so that LibreOffice, which does not size them
// on opening as Excel does, shows and prints all of it: a row whose pledge
// title, note or header takes several lines in its column has a height
// (ht) of at least those lines of 15 points, left without customHeight so
// that Excel still sizes it itself; a row of one line has none. The
// values are as before.
func TestExportWorkbookRowsFitWrappedText(t *testing.T) {
	c := newResCast(t)
	book := c.longTextExport()
	f := openWorkbook(t, book)
	// lines is the fewest lines text takes in a column of width characters.
	lines := func(text string, width float64) float64 {
		return math.Ceil(float64(utf8.RuneCountInString(text)) / width)
	}
	title := rowOf(t, f, "Kết quả", "Quý I", "31/03/2026", "Hội Nông dân tỉnh", "5", wrappedPledge, "12 buổi", "3", "buổi", "25%",
		"đúng hạn", "02/03/2026", "Lan", wrappedNote, "0")
	short := rowOf(t, f, "Kết quả", "Quý I", "31/03/2026", "Hội Nông dân tỉnh", "2", "Hộ sản xuất kinh doanh giỏi", "40%", "35", "%", "88%", "đúng hạn")
	tags := rowTags(t, book, "Kết quả")
	for _, want := range []struct {
		row   int
		lines float64
	}{
		{2, 2}, // «Giá trị báo cáo» in 12 characters, in bold
		{title, max(lines(wrappedPledge, 40), lines(wrappedNote, 30))},
	} {
		ht, err := strconv.ParseFloat(tags[want.row]["ht"], 64)
		if err != nil || ht < want.lines*15 || ht > 409 {
			t.Errorf("Kết quả row %d needs %v lines, has the height %q: %v", want.row, want.lines, tags[want.row]["ht"], tags[want.row])
		}
	}
	for _, row := range []int{1, short} {
		if ht, ok := tags[row]["ht"]; ok {
			t.Errorf("Kết quả row %d, of one line, has the height %s", row, ht)
		}
	}
	pledge := rowOf(t, f, "Đăng ký", "Hội Nông dân tỉnh", "5", wrappedPledge, "12 buổi", "12", "buổi", "30/11/2026")
	if ht, _ := strconv.ParseFloat(rowTags(t, book, "Đăng ký")[pledge]["ht"], 64); ht < lines(wrappedPledge, 50)*15 {
		t.Errorf("Đăng ký row %d has the height %v, for %v lines", pledge, ht, lines(wrappedPledge, 50))
	}
	for _, sheet := range f.GetSheetList() {
		for r, attrs := range rowTags(t, book, sheet) {
			if v, ok := attrs["customHeight"]; ok {
				t.Errorf("%s row %d has customHeight=%q: Excel would not size it", sheet, r, v)
			}
		}
	}
}

// TestExportRowHeightsInLibreOffice opens the workbook of
// TestExportWorkbookRowsFitWrappedText in LibreOffice, when it is
// installed, saves it as a flat OpenDocument spreadsheet and reads back
// the height LibreOffice gives each row: at least the height the workbook
// gives it, on every sheet, and a line's for a row without one.
func TestExportRowHeightsInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) is not on PATH: the workbook cannot be opened in it")
	}
	c := newResCast(t)
	book := c.longTextExport()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "book.xlsx"), book, 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	output := libreOffice(t, soffice, filepath.Join(dir, "profile"), "--convert-to", "fods", "--outdir", dir, filepath.Join(dir, "book.xlsx"))
	t.Logf("LibreOffice converted the workbook in %v", time.Since(start).Round(time.Millisecond))
	fods, err := os.ReadFile(filepath.Join(dir, "book.fods"))
	if err != nil {
		t.Fatalf("%v\n%s", err, output)
	}
	heights := odsRowHeights(t, fods)
	sized := 0
	for _, sheet := range openWorkbook(t, book).GetSheetList() {
		for r, attrs := range rowTags(t, book, sheet) {
			got := heights[sheet][r]
			ht, ok := attrs["ht"]
			if !ok {
				if math.Abs(got-15) > 0.1 {
					t.Errorf("%s row %d, of one line, is %.1f pt high in LibreOffice", sheet, r, got)
				}
				continue
			}
			want, _ := strconv.ParseFloat(ht, 64)
			if got < want-0.1 {
				t.Errorf("%s row %d is %.1f pt high in LibreOffice, want %v", sheet, r, got, want)
			}
			sized++
		}
	}
	if sized == 0 {
		t.Fatal("no row of the workbook has a height")
	}
}

// odsRowHeights reads the height of each row of each table of a flat
// OpenDocument spreadsheet, in points, by table name and row number.
func odsRowHeights(t *testing.T, fods []byte) map[string]map[int]float64 {
	t.Helper()
	attr := func(e xml.StartElement, name string) string {
		for _, a := range e.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	styles := map[string]float64{} // row heights by row style
	out := map[string]map[int]float64{}
	var style, table string
	row := 0
	d := xml.NewDecoder(bytes.NewReader(fods))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		e, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch e.Name.Local {
		case "style":
			style = attr(e, "name")
		case "table-row-properties":
			if h, ok := strings.CutSuffix(attr(e, "row-height"), "in"); ok {
				inches, err := strconv.ParseFloat(h, 64)
				if err != nil {
					t.Fatalf("row height %q", attr(e, "row-height"))
				}
				styles[style] = inches * 72
			}
		case "table":
			table, row = attr(e, "name"), 0
			out[table] = map[int]float64{}
		case "table-row":
			row++
			out[table][row] = styles[attr(e, "style-name")]
			if n, err := strconv.Atoi(attr(e, "number-rows-repeated")); err == nil {
				row += n - 1
			}
		}
	}
}
