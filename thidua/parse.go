package thidua

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Errors of the parsers. They wrap ErrInvalidDate or ErrInvalidNumber so that
// handlers can explain the right form.
var (
	ErrInvalidDate   = newErr("invalid_date", "not a date of the form dd/mm/yyyy")
	ErrInvalidNumber = newErr("invalid_number", "not a number")
)

var dateRE = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?$`)
var clockRE = regexp.MustCompile(`^(\d{1,2})[:hg](\d{2})?$`)

// ParseDate reads a date written dd/mm/yyyy (also d/m/yyyy, with . or - as
// separators) in loc, at midnight. When the year is left out (dd/mm) it is
// defaultYear. Impossible dates such as 31/02/2026 return ErrInvalidDate.
func ParseDate(s string, defaultYear int, loc *time.Location) (time.Time, error) {
	m := dateRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return time.Time{}, fmt.Errorf("%w: %q", ErrInvalidDate, s)
	}
	d, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	y := defaultYear
	if m[3] != "" {
		y, _ = strconv.Atoi(m[3])
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, loc)
	if t.Day() != d || int(t.Month()) != mo || t.Year() != y {
		return time.Time{}, fmt.Errorf("%w: %q does not exist", ErrInvalidDate, s)
	}
	return t, nil
}

// ParseDateTime reads "dd/mm/yyyy HH:MM" (also "dd/mm/yyyy 8h30" or "8h")
// in loc. Without a time of day it returns the date at defaultClock (e.g.
// 17*time.Hour). Impossible dates or times return ErrInvalidDate.
func ParseDateTime(s string, defaultYear int, defaultClock time.Duration, loc *time.Location) (time.Time, error) {
	fields := strings.Fields(s)
	if len(fields) == 0 || len(fields) > 2 {
		return time.Time{}, fmt.Errorf("%w: %q", ErrInvalidDate, s)
	}
	d, err := ParseDate(fields[0], defaultYear, loc)
	if err != nil {
		return time.Time{}, err
	}
	if len(fields) == 1 {
		return d.Add(defaultClock), nil
	}
	clock, err := ParseClock(fields[1])
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc).Add(clock), nil
}

// ParseClock reads a time of day "HH:MM" (also "8h", "8h30", "08g00") and
// returns it as the duration since midnight.
func ParseClock(s string) (time.Duration, error) {
	m := clockRE.FindStringSubmatch(strings.ToLower(strings.TrimSpace(s)))
	if m == nil {
		return 0, fmt.Errorf("%w: %q is not a time HH:MM", ErrInvalidDate, s)
	}
	h, _ := strconv.Atoi(m[1])
	mi := 0
	if m[2] != "" {
		mi, _ = strconv.Atoi(m[2])
	}
	if h > 23 || mi > 59 {
		return 0, fmt.Errorf("%w: %q is not a time of day", ErrInvalidDate, s)
	}
	return time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute, nil
}

// FormatDate writes a date as dd/mm/yyyy in loc.
func FormatDate(t time.Time, loc *time.Location) string { return t.In(loc).Format("02/01/2006") }

// FormatDateTime writes a time as dd/mm/yyyy HH:MM in loc.
func FormatDateTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("02/01/2006 15:04")
}

// ParseNumber reads a number written the Vietnamese way: a decimal comma and
// dots grouping thousands ("1.200", "25,3", "1.234.567,89"). A lone dot
// followed by other than three digits is read as a decimal point ("2.5"), for
// people typing on English keyboards. Spaces between groups are allowed
// ("1 200"). It returns ErrInvalidNumber for anything else, including NaN,
// infinities and more than 15 significant digits.
func ParseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	raw := s
	s = strings.ReplaceAll(s, "\u00a0", "")
	s = strings.ReplaceAll(s, " ", "")
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	} else if strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	if s == "" {
		return 0, fmt.Errorf("%w: %q", ErrInvalidNumber, raw)
	}
	intPart, frac, hasComma := strings.Cut(s, ",")
	grouped := false // intPart holds digits grouped by dots (see groupedOK)
	if hasComma {
		if strings.ContainsAny(frac, ".,") || frac == "" {
			return 0, fmt.Errorf("%w: %q", ErrInvalidNumber, raw)
		}
		if strings.Contains(intPart, ".") {
			if !groupedOK(intPart) {
				return 0, fmt.Errorf("%w: %q", ErrInvalidNumber, raw)
			}
			grouped = true
		}
	} else if strings.Contains(intPart, ".") {
		if groupedOK(intPart) {
			grouped = true
		} else if a, b, _ := strings.Cut(intPart, "."); strings.Count(intPart, ".") == 1 && a != "" && b != "" {
			intPart, frac = a, b
		} else {
			return 0, fmt.Errorf("%w: %q", ErrInvalidNumber, raw)
		}
	}
	digits := len(intPart)
	if grouped {
		digits -= strings.Count(intPart, ".")
	}
	if (!grouped && !allDigits(intPart)) || (frac != "" && !allDigits(frac)) || digits+len(frac) > 15 {
		return 0, fmt.Errorf("%w: %q", ErrInvalidNumber, raw)
	}
	v := decimalValue(intPart, frac)
	if neg {
		v = -v
	}
	return v, nil
}

// decimalValue returns the number whose integer digits are intPart's (its
// dots grouping them skipped) and whose decimals are frac, at most 15
// digits in all. It is what strconv.ParseFloat reads from those digits with
// a decimal point before frac, without writing that text, which would cost
// an allocation for each value of a report.
//
// The digits make an integer below 10^15, which a float64 holds exactly,
// as it does the power of ten of the decimals. Dividing the one by the
// other rounds the quotient once, as ParseFloat rounds the decimal: this
// is the fast path of Clinger's algorithm, which ParseFloat takes for such
// numbers too.
func decimalValue(intPart, frac string) float64 {
	var m int64
	for _, digits := range [2]string{intPart, frac} {
		for i := 0; i < len(digits); i++ {
			if c := digits[i]; c != '.' {
				m = m*10 + int64(c-'0')
			}
		}
	}
	return float64(m) / pow10[len(frac)]
}

// pow10 holds the powers of ten up to 10^15, each exact in a float64.
var pow10 = [16]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// groupedOK reports whether s is digits grouped by dots in threes: "1.200".
func groupedOK(s string) bool {
	head, rest, found := strings.Cut(s, ".")
	if !found || len(head) == 0 || len(head) > 3 || !allDigits(head) {
		return false
	}
	for found {
		var group string
		group, rest, found = strings.Cut(rest, ".")
		if len(group) != 3 || !allDigits(group) {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// FormatNumber writes a number the Vietnamese way, with dots grouping
// thousands and at most two decimals after a comma: 1234.5 -> "1.234,5".
// Decimals beyond the 15 significant digits ParseNumber reads are left out,
// so that what it writes reads back.
func FormatNumber(v float64) string {
	if 0 <= v && v < 100 && v == math.Trunc(v) {
		// One or two digits, which strconv writes without an allocation,
		// as most percentages and counts are.
		return strconv.Itoa(int(v))
	}
	var buf [48]byte
	return string(AppendNumber(buf[:0], v))
}

// AppendNumber appends v written as FormatNumber writes it, for text
// written into a buffer rather than a string for each number.
func AppendNumber(dst []byte, v float64) []byte {
	var buf [48]byte
	a := math.Abs(v)
	if a < 1e13 && a == math.Trunc(a) {
		// A whole number of at most 13 digits: its decimals would all be
		// zeros, and zero takes no sign.
		return appendGrouped(dst, v < 0 && a != 0, strconv.AppendInt(buf[:0], int64(a), 10), nil)
	}
	decimals := 2
	if whole := len(strconv.AppendFloat(buf[:0], a, 'f', 0, 64)); whole > 13 {
		decimals = max(0, 15-whole)
	}
	digits := strconv.AppendFloat(buf[:0], a, 'f', decimals, 64)
	intPart, frac := digits, []byte(nil)
	if dot := bytes.IndexByte(digits, '.'); dot >= 0 {
		intPart, frac = digits[:dot], bytes.TrimRight(digits[dot+1:], "0")
	}
	return appendGrouped(dst, v < 0 && (string(intPart) != "0" || len(frac) > 0), intPart, frac)
}

// appendGrouped appends a number from its digits: a minus sign when neg,
// the integer digits grouped in threes by dots, and the decimals (if any)
// after a comma.
func appendGrouped(dst []byte, neg bool, intPart, frac []byte) []byte {
	if neg {
		dst = append(dst, '-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			dst = append(dst, '.')
		}
		dst = append(dst, c)
	}
	if len(frac) > 0 {
		dst = append(append(dst, ','), frac...)
	}
	return dst
}

// IsParseError reports whether err is one of the parsers' errors.
func IsParseError(err error) bool {
	return errors.Is(err, ErrInvalidDate) || errors.Is(err, ErrInvalidNumber)
}
