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
