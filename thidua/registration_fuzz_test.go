package thidua

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// oneOf fails the test unless err is one of known.
func oneOf(t *testing.T, what string, err error, known ...error) {
	t.Helper()
	for _, k := range known {
		if errors.Is(err, k) {
			return
		}
	}
	t.Fatalf("%s: foreign error %v", what, err)
}

// clean fails the test unless s is already what CleanText makes of it.
func clean(t *testing.T, what, s string, max int) {
	t.Helper()
	if c, ok := CleanText(s, max); !ok || c != s {
		t.Fatalf("%s %q is not clean (%q, %v)", what, s, c, ok)
	}
}

// FuzzParsePledge checks that any /pledge line is either refused with one
// of the pledge errors or read as a clean title, a target and a due date in
// the block's year, and that the pledge written back as /pledges shows it
// ("title | target | dd/mm/yyyy") reads the same.
func FuzzParsePledge(f *testing.F) {
	for _, s := range []string{
		"Vận động xây 50 nhà đại đoàn kết | 50 nhà | 30/11/2026", "Phát triển hội viên mới | 1.200 hội viên | 31/10",
		"Hộ sản xuất kinh doanh giỏi | 40%", "Giá trị sản xuất | 25,3 tỷ đồng | 31/02/2026", "a | | 1/1/2027",
		"x | 30/11/2026", "| 5", "a|b|c|d", "Tiêu đề | hoàn thành xuất sắc", "t | -5 nhà", "t | 1,2,3 x", "t | 5 | 29/2",
		"t\x00 | 5", " \u00a0 ", "t | ١٢ nhà",
	} {
		f.Add(s)
	}
	loc := time.FixedZone("ICT", 7*3600)
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // what Telegram delivers is UTF-8
		}
		d, err := ParsePledge(s, 2026, loc)
		if err != nil {
			oneOf(t, "ParsePledge("+s+")", err, ErrPledgeFormat, ErrPledgeTitle, ErrTargetNumber, ErrTargetIsDate, ErrTargetTooLong, ErrPledgeDue, ErrPledgeDueYear)
			return
		}
		clean(t, "title", d.Title, MaxPledgeLen)
		if strings.Contains(d.Title, "|") || d.Due.Year() != 2026 {
			t.Fatalf("ParsePledge(%q) = %+v", s, d)
		}
		checkTarget(t, s, d.Target)
		shown := Pledge{Title: d.Title, Target: d.Target, Due: d.Due}.String()
		again, err := ParsePledge(shown, 2026, loc)
		if err != nil || again.Title != d.Title || again.Target.String() != d.Target.String() || !again.Due.Equal(d.Due) {
			t.Fatalf("%q reads as %+v, shown as %q, which reads as %+v, %v", s, d, shown, again, err)
		}
	})
}

// checkTarget fails the test unless t is a sane target.
func checkTarget(tt *testing.T, s string, t Target) {
	tt.Helper()
	if t.Number != nil && (math.IsNaN(*t.Number) || math.IsInf(*t.Number, 0)) {
		tt.Fatalf("%q: target number %v", s, *t.Number)
	}
	if t.Number != nil && t.Text != "" || t.Number == nil && t.Measure != "" {
		tt.Fatalf("%q: target %+v mixes a number and a text", s, t)
	}
	if t.Text != "" {
		clean(tt, "target", t.Text, MaxTargetLen)
	}
}

// FuzzParseTarget checks that any target is either refused with one of the
// target errors or read as a number with its measure or a text, which
// written the Vietnamese way (Target.String) reads the same.
func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"50 nhà", "1.200 hội viên", "25,3 tỷ đồng", "40 %", "40%", "hoàn thành xuất sắc", "30/11/2026", "1,2,3", "-5", "+7 km", "", "9999999999999999999999 x", "1.", "0,5%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		tg, err := ParseTarget(s)
		if err != nil {
			oneOf(t, "ParseTarget("+s+")", err, ErrTargetNumber, ErrTargetIsDate, ErrTargetTooLong)
			return
		}
		checkTarget(t, s, tg)
		shown := tg.String()
		again, err := ParseTarget(shown)
		if err != nil || again.String() != shown || (again.Number == nil) != (tg.Number == nil) {
			t.Fatalf("%q reads as %+v, shown as %q, which reads as %+v, %v", s, tg, shown, again, err)
		}
	})
}

// FuzzParseCriterion checks that any /criteria add line is either refused
// with one of the criterion errors or read as a clean title and a maximum
// of points in (0, MaxPoints], which written back reads the same.
func FuzzParseCriterion(f *testing.F) {
	for _, s := range []string{"Công tác tuyên truyền, vận động | 20", "Phát triển hội viên | 12,5", "a | 0", "a | 1001", "| 5", "a|b | 5", "a | x", "a", "a | 1.000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		d, err := ParseCriterion(s)
		if err != nil {
			oneOf(t, "ParseCriterion("+s+")", err, ErrCriterionTitle, ErrCriterionPoints)
			return
		}
		clean(t, "criterion", d.Title, MaxNameLen)
		if !(d.MaxPoints > 0 && d.MaxPoints <= MaxPoints) {
			t.Fatalf("ParseCriterion(%q) = %+v", s, d)
		}
		shown := Criterion{Title: d.Title, MaxPoints: d.MaxPoints}.String()
		again, err := ParseCriterion(shown)
		if err != nil || again.Title != d.Title || FormatNumber(again.MaxPoints) != FormatNumber(d.MaxPoints) {
			t.Fatalf("%q reads as %+v, shown as %q, which reads as %+v, %v", s, d, shown, again, err)
		}
	})
}

// FuzzParsePeriod checks that any /period line, new or an edit, is either
// refused with one of the period errors or read as a clean name that is no
// bare number and a deadline in the block's year or the next, which written
// back reads the same.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"Quý I | 31/03", "6 tháng | 15/06", "Năm | 15/01/2027", "3 | 31/03", "Quý I", "| 31/03", "|", "a | b | c", "Quý I | 31/02", "Kỳ | 1/1/2030"} {
		f.Add(s)
	}
	loc := time.FixedZone("ICT", 7*3600)
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		known := []error{ErrPeriodFormat, ErrPeriodName, ErrPeriodDue, ErrPeriodDueYear}
		if d, err := ParsePeriod(s, 2026, loc); err != nil {
			oneOf(t, "ParsePeriod("+s+")", err, known...)
		} else {
			clean(t, "period", d.Name, MaxPeriodNameLen)
			if y := d.Due.Year(); y != 2026 && y != 2027 {
				t.Fatalf("ParsePeriod(%q) = %+v", s, d)
			}
			shown := Period{Name: d.Name, Due: d.Due}.String()
			if again, err := ParsePeriod(shown, 2026, loc); err != nil || again.Name != d.Name || !again.Due.Equal(d.Due) {
				t.Fatalf("%q reads as %+v, shown as %q, which reads as %+v, %v", s, d, shown, again, err)
			}
		}
		d, err := ParsePeriodEdit(s, 2026, loc)
		if err != nil {
			oneOf(t, "ParsePeriodEdit("+s+")", err, known...)
			return
		}
		if d.Name == "" && d.Due.IsZero() {
			t.Fatalf("ParsePeriodEdit(%q) changes nothing", s)
		}
		if _, ok := CleanText(d.Name, MaxPeriodNameLen); d.Name != "" && !ok {
			t.Fatalf("ParsePeriodEdit(%q) accepts the name %q", s, d.Name)
		}
		if y := d.Due.Year(); !d.Due.IsZero() && y != 2026 && y != 2027 {
			t.Fatalf("ParsePeriodEdit(%q) = %+v", s, d)
		}
	})
}
