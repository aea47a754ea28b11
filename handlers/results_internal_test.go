package handlers

import "testing"

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
