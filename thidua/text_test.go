package thidua

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
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

// countFields and cutFields count and cut the words of a text as
// strings.Fields splits it, whatever its white space.
func TestCutFieldsMatchesFields(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 100_000 {
		s := randomText(rng, 8)
		words := strings.Fields(s)
		if n := countFields(s); n != len(words) {
			t.Fatalf("countFields(%q) = %d, want %d", s, n, len(words))
		}
		for n := 1; n <= len(words)+1; n++ {
			head, rest, ok := cutFields(s, n)
			if ok != (n <= len(words)) {
				t.Fatalf("cutFields(%q, %d) reports %v, with %d words", s, n, ok, len(words))
			}
			if !ok {
				continue
			}
			if got, want := strings.Fields(head), words[:n]; !slices.Equal(got, want) {
				t.Fatalf("cutFields(%q, %d) heads %q, want the words %q", s, n, head, want)
			}
			if got, want := strings.Fields(rest), words[n:]; !slices.Equal(got, want) {
				t.Fatalf("cutFields(%q, %d) leaves %q, want the words %q", s, n, rest, want)
			}
			if strings.TrimFunc(head, unicode.IsSpace) != head {
				t.Fatalf("cutFields(%q, %d) heads %q, with white space around it", s, n, head)
			}
			if !strings.HasSuffix(s, head+rest) {
				t.Fatalf("cutFields(%q, %d) = %q, %q: not the end of the text", s, n, head, rest)
			}
		}
	}
}

// atoi reads what strconv.Atoi reads, and refuses what it refuses.
func TestAtoiMatchesStrconv(t *testing.T) {
	check := func(s string) {
		t.Helper()
		k, err := atoi(s)
		if wk, werr := strconv.Atoi(s); k != wk || (err == nil) != (werr == nil) {
			t.Fatalf("atoi(%q) = %d, %v; strconv.Atoi gives %d, %v", s, k, err, wk, werr)
		}
	}
	for _, s := range []string{"", "+", "-", "+-1", "--1", "1", "+1", "-1", "007", "1a", "Kỳ 2", " 1", "1_000", "0x1F",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808", "١٢"} {
		check(s)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for range 100_000 {
		check(randomText(rng, 4))
	}
}

// nfc normalizes as norm.NFC does: every rune up to the end of the Latin
// ranges alone, and every pair of ASCII, Latin letters and combining marks
// (which compose with a letter before them, or go before another mark).
func TestNFCMatchesNorm(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := nfc(s), norm.NFC.String(s); got != want {
			t.Fatalf("nfc(%q) = %q, want %q", s, got, want)
		}
	}
	var runes []string
	for r := rune(0); r <= latinAddLast; r++ {
		check(string(r))
		if r < latinFirst || nfcAlone[r] || unicode.Is(unicode.Mn, r) && r < 0x0370 {
			runes = append(runes, string(r))
		}
	}
	for _, a := range runes {
		for _, b := range runes {
			check(a + b)
		}
	}
	for _, s := range []string{"đã khởi công", "Tiếng Việt", "e\u0301", "ê\u0300", "\u1ec7\u0323", "a\xffb", "Νέα"} {
		check(s)
	}
}
