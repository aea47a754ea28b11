package thidua

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"unicode/utf8"
)

// FuzzParseReportLine checks that any line is either refused with one of
// the report errors or read as a pledge number, a finite non-negative value
// and a clean note, which written back the documented way read the same.
func FuzzParseReportLine(f *testing.F) {
	for _, s := range []string{
		"1 45", "2 60%", "2 60 % đạt", "3. 1.200 | vượt kế hoạch", "4: 25,3 - tỷ đồng", "5) 0", "1 -5", "1 %",
		"1 bốn", "", "999 1e9", "1 5 %%", "1 5 | % x", "12 2.5 ghi\tchú", "1 ١٢", "1 5 a\x00b", "01 007,50 nhà", "1 500 520", "0 0 0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseReportLine(s)
		if err != nil {
			for _, known := range []error{ErrReportLine, ErrReportValue, ErrReportNegative, ErrReportNote, ErrReportTwoValues} {
				if errors.Is(err, known) {
					return
				}
			}
			t.Fatalf("ParseReportLine(%q) returned a foreign error %v", s, err)
		}
		v := l.Value.Number
		if l.No < 0 || l.No > 999 || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("ParseReportLine(%q) = %+v", s, l)
		}
		if clean, ok := CleanText(l.Note, MaxNoteLen); l.Note != "" && (!ok || clean != l.Note) || !utf8.ValidString(l.Note) {
			t.Fatalf("ParseReportLine(%q) kept an unclean note %q", s, l.Note)
		}
		pct := ""
		if l.Value.Percent {
			pct = "%"
		}
		again := fmt.Sprintf("%d %s%s | %s", l.No, FormatNumber(v), pct, l.Note)
		back, err := ParseReportLine(again)
		if err != nil || back.No != l.No || back.Value.Percent != l.Value.Percent || back.Note != l.Note || math.Abs(back.Value.Number-v) > 0.006 {
			t.Fatalf("%q -> %+v -> %q -> %+v, %v", s, l, again, back, err)
		}
	})
}
