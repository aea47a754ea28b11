package thidua

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParseNumber checks that any input is either rejected or read as a
// finite number that survives FormatNumber and back.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"50", "1.200", "25,3", "1.234.567,89", "2.5", "1 200", "-3", "40%", "1,2,3", "١٢", "\u00a01.000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseNumber(s)
		if err != nil {
			if !IsParseError(err) {
				t.Fatalf("ParseNumber(%q) returned a foreign error %v", s, err)
			}
			return
		}
		out := FormatNumber(v)
		back, err := ParseNumber(out)
		if err != nil {
			t.Fatalf("FormatNumber(%v) = %q does not parse back: %v", v, out, err)
		}
		if d := back - v; d > 0.01 || d < -0.01 {
			t.Fatalf("%q -> %v -> %q -> %v", s, v, out, back)
		}
	})
}

// FuzzParseDateTime checks that any input is either rejected or read as a
// real date that formats back to itself.
func FuzzParseDateTime(f *testing.F) {
	for _, s := range []string{"30/11/2026", "1/6", "31/02/2026", "15/06/2026 08:30", "15/06/2026 8h", "29/02/2028 23:59", "x", "1/1/0001 00:00"} {
		f.Add(s)
	}
	loc := time.FixedZone("ICT", 7*3600)
	f.Fuzz(func(t *testing.T, s string) {
		dt, err := ParseDateTime(s, 2026, 17*time.Hour, loc)
		if err != nil {
			if !IsParseError(err) {
				t.Fatalf("ParseDateTime(%q) returned a foreign error %v", s, err)
			}
			return
		}
		if !utf8.ValidString(s) {
			t.Fatalf("accepted invalid UTF-8 %q", s)
		}
		again, err := ParseDateTime(FormatDateTime(dt, loc), 2026, 0, loc)
		if err != nil || !again.Equal(dt) {
			t.Fatalf("%q -> %v -> %q -> %v, %v", s, dt, FormatDateTime(dt, loc), again, err)
		}
		if d := strings.Fields(s)[0]; !strings.Contains(d, "/") && !strings.Contains(d, ".") && !strings.Contains(d, "-") {
			t.Fatalf("accepted a date without separators: %q", s)
		}
	})
}
