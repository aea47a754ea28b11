package thidua

import (
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// MaxNameLen is the longest block or unit name accepted, in characters.
const MaxNameLen = 200

// CleanName trims a name and folds runs of white space into one space. It
// returns ErrInvalidName when the result is empty, longer than MaxNameLen
// characters, holds control characters or holds no letter: "|", "-5",
// "#999" or "31/02" are arguments typed wrong, not names, and a name of
// digits alone would read as a unit's number.
func CleanName(s string) (string, error) {
	s, ok := cleanTitle(s, MaxNameLen)
	if !ok {
		return "", ErrInvalidName
	}
	return s, nil
}

// cleanTitle is CleanText for a name or a title, which also reports false
// when the text holds no letter.
func cleanTitle(s string, max int) (string, bool) {
	s, ok := CleanText(s, max)
	return s, ok && strings.ContainsFunc(s, unicode.IsLetter)
}

// CleanText normalizes s to NFC, trims it and folds runs of white space (line
// breaks included) into one space. It reports false when the result is empty,
// longer than max characters, or holds control characters.
func CleanText(s string, max int) (string, bool) {
	s = foldSpaces(nfc(s))
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

// nfc returns s normalized to NFC, as norm.NFC.String does. Text of ASCII
// and of Latin letters in NFC that compose with no rune before them (see
// nfcAlone) is in NFC, as Vietnamese typed on a phone mostly is: it is
// returned as it is, told at once from a table where norm looks each
// letter up in its tries, a report's notes being read for every report.
func nfc(s string) string {
	for _, r := range s {
		if r >= utf8.RuneSelf && (r > latinAddLast || !nfcAlone[r]) {
			return norm.NFC.String(s)
		}
	}
	return s
}

// nfcAlone tells the runes of the Latin ranges (see latinFolds) that are
// in NFC alone and take a boundary of NFC before them (their canonical
// combining class is 0 and they compose with no rune before them), as
// norm tells: text of such runes and ASCII, whose runes are all such, is
// in NFC rune by rune (Unicode's quick check of NFC answers yes for it).
var nfcAlone = func() (alone [latinAddLast + 1]bool) {
	for _, r := range [][2]rune{{latinFirst, latinLast}, {latinAddFirst, latinAddLast}} {
		for c := r[0]; c <= r[1]; c++ {
			s := string(c)
			alone[c] = norm.NFC.PropertiesString(s).BoundaryBefore() && norm.NFC.IsNormalString(s)
		}
	}
	return alone
}()

// foldSpaces returns strings.Join(strings.Fields(s), " "): s trimmed, with
// runs of white space folded into one space. Text already so is returned
// as it is.
func foldSpaces(s string) string {
	if spacesFolded(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// spacesFolded reports whether s is as strings.Join(strings.Fields(s), " ")
// leaves it: without white space but single spaces between words.
func spacesFolded(s string) bool {
	space := true // a space here would lead the text
	for _, r := range s {
		switch {
		case r == ' ' && !space:
			space = true
		case unicode.IsSpace(r):
			return false
		default:
			space = false
		}
	}
	return !space || s == ""
}

// Fold returns s lower-cased, without diacritics (đ becomes d) and with white
// space folded, so that "Tỉnh Đoàn" and "tinh  doan" compare equal. It is used
// for matching what people type, never for display.
//
// Text in Latin letters (Vietnamese among them) is folded rune by rune from
// a table; other text goes through Unicode decomposition (foldTransform),
// which gives the same result and costs some ten times more.
func Fold(s string) string {
	if out, ok := foldLatin(s); ok {
		return out
	}
	return foldTransform(s)
}

// foldTransform is Fold by Unicode decomposition: decompose, drop the
// combining marks, recompose, turn đ into d, lower-case, fold white space.
func foldTransform(s string) string {
	out := s
	if !isASCII(s) { // ASCII has no diacritics to take off
		t := unaccents.Get().(transform.Transformer)
		var err error
		if out, _, err = transform.String(t, s); err != nil {
			out = s
		}
		unaccents.Put(t)
		out = dStroke.Replace(out)
	}
	return foldSpaces(strings.ToLower(out))
}

// Latin letters with diacritics lie in these ranges: Latin-1 Supplement,
// Latin Extended-A and B, and Latin Extended Additional, which holds most
// of Vietnamese (ạ, ầ, ố, ự...).
const (
	latinFirst, latinLast       = 0x00C0, 0x024F
	latinAddFirst, latinAddLast = 0x1E00, 0x1EFF
)

// latinFolds holds what foldTransform makes of each rune of the two ranges
// alone, the first range first.
var latinFolds = func() []string {
	folds := make([]string, 0, latinLast-latinFirst+1+latinAddLast-latinAddFirst+1)
	for _, r := range [][2]rune{{latinFirst, latinLast}, {latinAddFirst, latinAddLast}} {
		for c := r[0]; c <= r[1]; c++ {
			folds = append(folds, foldTransform(string(c)))
		}
	}
	return folds
}()

// foldLatin folds s as foldTransform does, rune by rune: ASCII lower-cased,
// the runes of the Latin ranges from latinFolds, combining marks dropped
// (decomposition drops them too), white space folded. It returns false for
// text holding any other rune, or invalid UTF-8.
func foldLatin(s string) (string, bool) {
	out, ok := appendFoldLatin(make([]byte, 0, len(s)), s)
	if !ok {
		return "", false
	}
	return string(out), true
}

// foldEqual reports whether Fold(a) == Fold(b), without a string for
// either when both are short text in Latin letters (see foldLatin), as a
// report's note and the measure it may start with are.
func foldEqual(a, b string) bool {
	var bufA, bufB [64]byte
	fa, okA := appendFoldLatin(bufA[:0], a)
	fb, okB := appendFoldLatin(bufB[:0], b)
	if okA && okB {
		return string(fa) == string(fb)
	}
	return Fold(a) == Fold(b)
}

// appendFoldLatin appends s folded as foldLatin folds it to out, and
// reports false for text holding a rune that foldLatin does not fold; out
// then holds what was folded before that rune, which the caller drops.
func appendFoldLatin(out []byte, s string) ([]byte, bool) {
	start, space := len(out), false
	for _, r := range s {
		var f string
		switch {
		case unicode.IsSpace(r):
			space = len(out) > start
			continue
		case r < utf8.RuneSelf:
			c := byte(r)
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			f = string(rune(c))
		case latinFirst <= r && r <= latinLast:
			f = latinFolds[r-latinFirst]
		case latinAddFirst <= r && r <= latinAddLast:
			f = latinFolds[latinLast-latinFirst+1+r-latinAddFirst]
		case unicode.Is(unicode.Mn, r):
			continue
		default: // invalid UTF-8 decodes to U+FFFD, which lands here
			return out, false
		}
		if f == "" {
			continue
		}
		if space {
			out = append(out, ' ')
			space = false
		}
		out = append(out, f...)
	}
	return out, true
}

// unaccents holds transformers that take diacritics off a text; a
// transformer keeps state while it runs, so each is used by one Fold at a
// time (transform.String resets it first).
var unaccents = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// dStroke turns đ, which has no decomposition, into d.
var dStroke = strings.NewReplacer("đ", "d", "Đ", "d")

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// atoi is strconv.Atoi without its error's allocations for text that is
// no integer, as a name mostly is ("Kỳ 2" for a period named in every
// report): such text, which Atoi refuses whole, is refused at once.
func atoi(s string) (int, error) {
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || !allDigits(digits) {
		return 0, strconv.ErrSyntax
	}
	return strconv.Atoi(s)
}

// Less orders two strings as a Vietnamese reader expects (a < ă < â < b ...).
func Less(a, b string) bool {
	return collate.New(language.Vietnamese).CompareString(a, b) < 0
}

// findByName resolves what a person typed to one of n named items: its
// number in the list (1-based), its exact name, or a part of its name that
// matches only one item, ignoring case and diacritics. It returns the
// item's index, or false when nothing or more than one item matches.
func findByName(ref string, n int, name func(i int) string) (int, bool) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return 0, false
	}
	if k, err := atoi(ref); err == nil {
		return k - 1, k >= 1 && k <= n
	}
	for i := range n {
		if name(i) == ref {
			return i, true
		}
	}
	// The name in full wins over names that merely contain it, wherever
	// it comes in the list.
	f := Fold(ref)
	match, matches := -1, 0
	for i := range n {
		folded := Fold(name(i))
		if folded == f {
			return i, true
		}
		if strings.Contains(folded, f) {
			match, matches = i, matches+1
		}
	}
	return match, matches == 1
}
