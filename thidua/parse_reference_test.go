package thidua

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The references below (but parseNumberReference, which says when it was
// taken) are CleanText, groupedOK and ParseValueNote as they
// were before CleanText left text with its spaces already folded as it is,
// groupedOK cut the groups off one by one and ParseValueNote split off only
// the words it reads (the commit that added this file), unchanged but for
// their names. They are kept as the references the current code must
// match, result for result and error for error, on any text: the tests and
// fuzz targets of this file check that.

func cleanTextReference(s string, max int) (string, bool) {
	s = strings.Join(strings.Fields(norm.NFC.String(s)), " ")
	if s == "" || utf8.RuneCountInString(s) > max {
		return "", false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "", false
		}
	}
	return s, true
}

func groupedOKReference(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts[0]) == 0 || len(parts[0]) > 3 || !allDigits(parts[0]) {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 || !allDigits(p) {
			return false
		}
	}
	return true
}

// parseNumberReference is ParseNumber as it was before it read the digits
// without writing them anew (the commit that added it here), unchanged but
// for its name.
func parseNumberReference(s string) (float64, error) {
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
	if hasComma {
		if strings.ContainsAny(frac, ".,") || frac == "" {
			return 0, fmt.Errorf("%w: %q", ErrInvalidNumber, raw)
		}
		if strings.Contains(intPart, ".") {
			if !groupedOK(intPart) {
				return 0, fmt.Errorf("%w: %q", ErrInvalidNumber, raw)
			}
			intPart = strings.ReplaceAll(intPart, ".", "")
		}
	} else if strings.Contains(intPart, ".") {
		if groupedOK(intPart) {
			intPart = strings.ReplaceAll(intPart, ".", "")
		} else if a, b, _ := strings.Cut(intPart, "."); strings.Count(intPart, ".") == 1 && a != "" && b != "" {
			intPart, frac = a, b
		} else {
			return 0, fmt.Errorf("%w: %q", ErrInvalidNumber, raw)
		}
	}
	if !allDigits(intPart) || (frac != "" && !allDigits(frac)) || len(intPart)+len(frac) > 15 {
		return 0, fmt.Errorf("%w: %q", ErrInvalidNumber, raw)
	}
	num := intPart
	if frac != "" {
		num += "." + frac
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%w: %q", ErrInvalidNumber, raw)
	}
	if neg {
		v = -v
	}
	return v, nil
}

func parseValueNoteReference(s string) (Value, string, error) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return Value{}, "", ErrReportLine
	}
	word, rest := fields[0], fields[1:]
	if len(rest) > 0 && rest[0] == "%" {
		word, rest = word+"%", rest[1:]
	}
	v, err := ParseValue(word)
	if err != nil {
		return Value{}, "", err
	}
	note := trimNoteSeparators(strings.Join(rest, " "))
	if note == "" {
		return v, "", nil
	}
	note, ok := CleanText(note, MaxNoteLen)
	if !ok || !utf8.ValidString(note) {
		return Value{}, "", ErrReportNote
	}
	return v, note, nil
}

// textPieces are what the generated texts are made of: white space of
// every kind (and a character that looks like one but is not), letters
// composed and not, digits, numbers written every way, the separators of a
// note, a control character and invalid UTF-8.
var textPieces = []string{
	" ", "  ", "\t", "\n", "\r\n", "\v", "\f", "\u0085", "\u00a0", "\u2000", "\u3000", "\u200b",
	"a", "Đ", "nhà", "e\u0301", "é", "\u0301", "Νέα", "1", "45", "007", "1.200", "2.5", "25,3", "1.2.3", ",", ".",
	"%", "|", "-", "—", "–", ":", ")", "\x00", "\x7f", "\xff", "\xe1\xba",
}

// randomText joins up to n pieces of textPieces picked by rng.
func randomText(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range rng.IntN(n + 1) {
		b.WriteString(textPieces[rng.IntN(len(textPieces))])
	}
	return b.String()
}

// checkParsing fails unless CleanText, groupedOK, ParseNumber and
// ParseValueNote read s
// as their references do, and foldSpaces (which Fold uses too) folds its
// spaces as its documentation says.
func checkParsing(t *testing.T, s string) {
	t.Helper()
	if got, want := foldSpaces(s), strings.Join(strings.Fields(s), " "); got != want {
		t.Fatalf("foldSpaces(%q) = %q, want %q", s, got, want)
	}
	for _, max := range []int{3, MaxNoteLen} {
		got, ok := CleanText(s, max)
		if want, wantOK := cleanTextReference(s, max); got != want || ok != wantOK {
			t.Fatalf("CleanText(%q, %d) = %q, %v; want %q, %v", s, max, got, ok, want, wantOK)
		}
	}
	if got, want := groupedOK(s), groupedOKReference(s); got != want {
		t.Fatalf("groupedOK(%q) = %v, want %v", s, got, want)
	}
	n, err := ParseNumber(s)
	wn, werr := parseNumberReference(s)
	if math.Float64bits(n) != math.Float64bits(wn) || !reflect.DeepEqual(err, werr) {
		t.Fatalf("ParseNumber(%q) = %v, %v; want %v, %v", s, n, err, wn, werr)
	}
	v, note, err := ParseValueNote(s)
	wv, wnote, werr := parseValueNoteReference(s)
	if v != wv || note != wnote || !reflect.DeepEqual(err, werr) {
		t.Fatalf("ParseValueNote(%q) = %+v, %q, %v; want %+v, %q, %v", s, v, note, err, wv, wnote, werr)
	}
}

func TestParsingMatchesReference(t *testing.T) {
	for _, s := range append(benchReportLines, textPieces...) {
		checkParsing(t, s)
		if _, rest, ok := cutPledgeNo(s); ok {
			checkParsing(t, rest)
		}
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for range 300_000 {
		checkParsing(t, randomText(rng, 8))
	}
	digits := []byte("0123456789..")
	for range 100_000 { // numbers grouped by dots, or nearly
		n := make([]byte, rng.IntN(14))
		for i := range n {
			n[i] = digits[rng.IntN(len(digits))]
		}
		checkParsing(t, string(n))
	}
	for range 300_000 { // decimals of up to 16 digits, which ParseNumber rounds
		n := strconv.AppendUint(nil, rng.Uint64N(1e16), 10)[:1+rng.IntN(16)]
		at := rng.IntN(len(n) + 1)
		n = slices.Insert(n, at, ",."[rng.IntN(2)])
		checkParsing(t, string(n))
	}
}

// FuzzParsingMatchesReference checks that CleanText, groupedOK,
// ParseNumber and ParseValueNote read any text as their references do (and foldSpaces
// folds it as documented).
func FuzzParsingMatchesReference(f *testing.F) {
	for _, s := range append(benchReportLines, textPieces...) {
		f.Add(s)
	}
	for _, s := range []string{"45 nhà", "60 % đạt", "1.200 | vượt kế hoạch", "25,3 - tỷ  đồng ", "5 %%", "1 5\t| % x", "007,50\u00a0nhà", "123.456.789.012,345", "0,1", "9007199254740993"} {
		f.Add(s)
	}
	f.Fuzz(checkParsing)
}
