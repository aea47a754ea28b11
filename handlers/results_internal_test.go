package handlers

import (
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"strings"
	"testing"
	"time"
)

// TestBar checks that a completion bar agrees with the percent shown
// beside it: full only at 100%, empty only at 0%, rounded between.
func TestBar(t *testing.T) {
	for pct, want := range map[float64]string{
		0: "░░░░░░░░░░", 0.4: "░░░░░░░░░░", 3: "▓░░░░░░░░░", 38: "▓▓▓▓░░░░░░", 75: "▓▓▓▓▓▓▓▓░░",
		96: "▓▓▓▓▓▓▓▓▓░", 99.4: "▓▓▓▓▓▓▓▓▓░", 99.6: "▓▓▓▓▓▓▓▓▓▓", 100: "▓▓▓▓▓▓▓▓▓▓", 250: "▓▓▓▓▓▓▓▓▓▓",
	} {
		if got := bar(pct); got != want {
			t.Errorf("bar(%v) = %s, want %s", pct, got, want)
		}
	}
}

// TestCSVCell checks the forms of the CSV cells that a spreadsheet of any
// regional settings reads the same: numbers without thousands grouping,
// dates as ISO 8601, and the formula ="…" only for text of digits and the
// signs of numbers and dates that starts with a digit.
func TestCSVCell(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{1200.0, "1200"}, {1234.5, "1234,5"}, {-1234567.25, "-1234567,25"}, {1200, "1200"}, {pct(60.5), "60,5%"}, {pct(1234.567), "1234,57%"},
		{day{2026, 12, 1}, "2026-12-01"}, {moment{day{2026, 12, 1}, 17, 5}, "2026-12-01 17:05"}, {codeOf(3, 10), `="3.10"`},
		{"1.200", `="1.200"`}, {"40%", `="40%"`}, {"30/11", `="30/11"`}, {"12/2026", `="12/2026"`}, {"17:00", `="17:00"`}, {"25,3", `="25,3"`},
		{"1.200 hội viên", "1.200 hội viên"}, {"-5", "'-5"}, {".5", ".5"}, {"5+1", "5+1"}, {`1"2`, `1"2`}, {"=1+1", "'=1+1"}, {"", ""}, {nil, ""},
	} {
		if got := csvCell(c.v); got != c.want {
			t.Errorf("csvCell(%#v) = %q, want %q", c.v, got, c.want)
		}
	}
}

// TestUnfixRowHeights checks that unfixRowHeights removes customHeight
// from the start tags of rows in the worksheet parts only, whether
// written true or 1, keeping the heights, and copies every other part,
// and everything else in a worksheet, as it was: the same entries in the
// same order, compressed the same way, with the same times.
func TestUnfixRowHeights(t *testing.T) {
	sheet := `<worksheet><sheetFormatPr defaultRowHeight="15" customHeight="1"></sheetFormatPr><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>&lt;row r="9" customHeight="1"&gt;</t></is></c></row>` +
		`<row r="2" ht="30" customHeight="true"><c r="A2"><v>1</v></c></row>` +
		`<row r="3" spans="1:2" ht="45" customHeight="1" thickBot="1"></row>` +
		`</sheetData><rowBreaks count="1"><brk id="3" customHeight="1"/></rowBreaks></worksheet>`
	want := strings.NewReplacer(` ht="30" customHeight="true"`, ` ht="30"`, ` ht="45" customHeight="1"`, ` ht="45"`).Replace(sheet)
	parts := []struct {
		name   string
		method uint16
		body   string
	}{
		{"[Content_Types].xml", zip.Deflate, `<Types/>`},
		{"xl/worksheets/sheet2.xml", zip.Deflate, sheet},
		{"xl/worksheets/_rels/sheet2.xml.rels", zip.Deflate, `<row r="1" customHeight="1">`},
		{"xl/styles.xml", zip.Store, `<row r="1" ht="30" customHeight="1">`},
		{"xl/worksheets/sheet1.xml", zip.Store, sheet},
	}
	var in bytes.Buffer
	zw := zip.NewWriter(&in)
	for i, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: p.method, Modified: time.Date(2026, 3, 2, 9, i, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, p.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := unfixRowHeights(in.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	src, _ := zip.NewReader(bytes.NewReader(in.Bytes()), int64(in.Len()))
	got, err := zip.NewReader(bytes.NewReader(out), int64(len(out)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.File) != len(parts) {
		t.Fatalf("%d parts, want %d", len(got.File), len(parts))
	}
	for i, p := range parts {
		f, was := got.File[i], src.File[i]
		if f.Name != p.name || f.Method != p.method || !f.Modified.Equal(was.Modified) || !bytes.Equal(f.Extra, was.Extra) {
			t.Errorf("part %d: %s, method %d, %v, extra %x; want %s, method %d, %v, extra %x", i, f.Name, f.Method, f.Modified, f.Extra, p.name, p.method, was.Modified, was.Extra)
		}
		body, err := fs.ReadFile(got, f.Name)
		if err != nil {
			t.Fatal(err)
		}
		wantBody := p.body
		if strings.HasPrefix(p.name, "xl/worksheets/sheet") {
			wantBody = want
		}
		if string(body) != wantBody {
			t.Errorf("%s:\n%s\nwant\n%s", p.name, body, wantBody)
		}
	}
	if _, err := unfixRowHeights([]byte("not a zip")); err == nil {
		t.Error("a file that is not a zip was taken for a workbook")
	}
}

// TestWrappedLines checks the estimate of the lines of wrapped text: each
// line of the text (an empty one too) takes at least one, and as many as
// its characters (not bytes) over those a line holds, rounded up.
func TestWrappedLines(t *testing.T) {
	for _, c := range []struct {
		text            string
		width, perWidth float64
		want            int
	}{
		{"", 10, 1, 1}, {"đúng hạn", 10, 1, 1}, {"chưa đến hạn", 14, 0.9, 1}, {"chưa đến hạn", 10, 1, 2},
		{strings.Repeat("ư", 30), 10, 1, 3}, {strings.Repeat("ư", 31), 10, 1, 4}, {"a\n\nb", 10, 1, 3}, {"Giá trị báo cáo", 12, 0.75, 2},
	} {
		if got := wrappedLines(c.text, c.width, c.perWidth); got != c.want {
			t.Errorf("wrappedLines(%q, %v, %v) = %d, want %d", c.text, c.width, c.perWidth, got, c.want)
		}
	}
}
