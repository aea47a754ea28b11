package thidua

import (
	"errors"
	"testing"
	"time"
)

func TestParseNumber(t *testing.T) {
	good := map[string]float64{
		"50": 50, "1.200": 1200, "25,3": 25.3, "1.234.567,89": 1234567.89, "2.5": 2.5, "1 200": 1200,
		"0,5": 0.5, "-3": -3, "+7": 7, "100.000": 100000, "12.34": 12.34,
	}
	for in, want := range good {
		got, err := ParseNumber(in)
		if err != nil || got != want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "1,2,3", "1.2.3", "1.20,5", "12,", ",5", "1e5", "NaN", "Inf", "1..2", "-", "1234567890123456", "١٢"} {
		if _, err := ParseNumber(in); !errors.Is(err, ErrInvalidNumber) {
			t.Errorf("ParseNumber(%q) accepted", in)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	for in, want := range map[float64]string{1234.5: "1.234,5", 100: "100", 1200000: "1.200.000", 0.25: "0,25", -1500: "-1.500", 40: "40"} {
		if got := FormatNumber(in); got != want {
			t.Errorf("FormatNumber(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestParseDates(t *testing.T) {
	loc := time.FixedZone("ICT", 7*3600)
	d, err := ParseDate("30/11/2026", 2000, loc)
	if err != nil || !d.Equal(time.Date(2026, 11, 30, 0, 0, 0, 0, loc)) {
		t.Fatalf("%v %v", d, err)
	}
	if d, err := ParseDate("1/6", 2026, loc); err != nil || d.Month() != 6 || d.Year() != 2026 {
		t.Fatalf("%v %v", d, err)
	}
	for _, bad := range []string{"31/02/2026", "29/02/2026", "00/01/2026", "12/13/2026", "2026-11-30", "hôm nay", ""} {
		if _, err := ParseDate(bad, 2026, loc); !errors.Is(err, ErrInvalidDate) {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	dt, err := ParseDateTime("15/06/2026 08:30", 2026, 17*time.Hour, loc)
	if err != nil || dt.Hour() != 8 || dt.Minute() != 30 {
		t.Fatalf("%v %v", dt, err)
	}
	if dt, _ := ParseDateTime("15/06/2026", 2026, 17*time.Hour, loc); dt.Hour() != 17 {
		t.Fatalf("default clock: %v", dt)
	}
	if dt, err := ParseDateTime("15/06/2026 8h", 2026, 0, loc); err != nil || dt.Hour() != 8 {
		t.Fatalf("8h: %v %v", dt, err)
	}
	for _, bad := range []string{"15/06/2026 24:00", "15/06/2026 8:75", "15/06/2026 x", "a b c"} {
		if _, err := ParseDateTime(bad, 2026, 0, loc); !errors.Is(err, ErrInvalidDate) {
			t.Errorf("ParseDateTime(%q) accepted", bad)
		}
	}
	if FormatDate(d, loc) != "30/11/2026" || FormatDateTime(dt, loc) != "15/06/2026 08:30" {
		t.Fatal("format")
	}
}
