package thidua

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// Fold takes a table's shortcut for Latin text; it must give what Unicode
// decomposition gives, for every rune of the table's ranges alone and for
// mixed text, including combining marks, odd white space and runes the
// table does not hold.
func TestFoldLatinMatchesTransform(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := Fold(s), foldTransform(s); got != want {
			t.Fatalf("Fold(%q) = %q, decomposition gives %q", s, got, want)
		}
	}
	for r := rune(0); r < 0x2100; r++ {
		check(string(r))
		check("A" + string(r) + " b")
	}
	for _, s := range []string{"Tỉnh Đoàn", "  tinh\u00a0 doan ", "Hội Liên hiệp Phụ nữ", "HỘI NÔNG DÂN", "a\u0300\u0301b", "\u0300a", "x\xffy", "Ủy ban MTTQ — Việt Nam", ""} {
		check(s)
	}
	alphabet := []rune("aAđĐêẾốỘưỰơ ờ\t\n\u00a0\u0300\u0323\u0301 İıßǅ€дЖ😀xX.,%1\xff")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		check(b.String())
	}
}

// BenchmarkFold compares Fold's table with Unicode decomposition on a
// Vietnamese name.
func BenchmarkFold(b *testing.B) {
	const name = "Hội Liên hiệp Phụ nữ tỉnh Lào Cai"
	b.Run("table", func(b *testing.B) {
		for b.Loop() {
			Fold(name)
		}
	})
	b.Run("decomposition", func(b *testing.B) {
		for b.Loop() {
			foldTransform(name)
		}
	})
}

// foldEqual compares two texts folded without folding them into strings
// when it can; it must answer as comparing Fold's results does, for text
// that folds equal and text that does not, Latin or not.
func TestFoldEqualMatchesFold(t *testing.T) {
	alphabet := []rune("aAđĐdêẾeốỘoưỰuơ ờ\t\n\u00a0\u0300\u0323\u0301 İıßǅ€дЖ😀xX.,%1\xff")
	rng := rand.New(rand.NewPCG(3, 4))
	text := func() string {
		var b strings.Builder
		for range rng.IntN(8) {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	for range 50000 {
		a := text()
		for _, b := range []string{text(), a, strings.ToUpper(a), " " + a + "\t", Fold(a), a + strings.Repeat("ờ", 40)} {
			if got, want := foldEqual(a, b), Fold(a) == Fold(b); got != want {
				t.Fatalf("foldEqual(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}
