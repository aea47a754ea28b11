package thidua

import (
	"strings"
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
// characters, or holds control characters.
func CleanName(s string) (string, error) {
	s = strings.Join(strings.Fields(norm.NFC.String(s)), " ")
	if s == "" || utf8.RuneCountInString(s) > MaxNameLen {
		return "", ErrInvalidName
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "", ErrInvalidName
		}
	}
	return s, nil
}

// Fold returns s lower-cased, without diacritics (đ becomes d) and with white
// space folded, so that "Tỉnh Đoàn" and "tinh  doan" compare equal. It is used
// for matching what people type, never for display.
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	out = strings.NewReplacer("đ", "d", "Đ", "d").Replace(out)
	return strings.Join(strings.Fields(strings.ToLower(out)), " ")
}

// Less orders two strings as a Vietnamese reader expects (a < ă < â < b ...).
func Less(a, b string) bool {
	return collate.New(language.Vietnamese).CompareString(a, b) < 0
}
