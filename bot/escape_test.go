package bot

import (
	"html"
	"math/rand/v2"
	"strings"
	"testing"
)

// checkEscape fails unless Escape writes s as html.EscapeString does, and
// AppendEscape appends it so after what its buffer holds, from s as a
// string or as bytes.
func checkEscape(t *testing.T, s string) {
	t.Helper()
	want := html.EscapeString(s)
	if got := Escape(s); got != want {
		t.Fatalf("Escape(%q) = %q, want %q", s, got, want)
	}
	dst := append(make([]byte, 0, 4), "ab"...)
	if got := AppendEscape(dst, s); string(got) != "ab"+want {
		t.Fatalf("AppendEscape(%q, %q) = %q, want %q", dst, s, got, "ab"+want)
	}
	if got := AppendEscape(dst, []byte(s)); string(got) != "ab"+want {
		t.Fatalf("AppendEscape(%q, %q as bytes) = %q, want %q", dst, s, got, "ab"+want)
	}
}

func TestEscapeMatchesHTML(t *testing.T) {
	pieces := []string{"&", "'", "<", ">", `"`, "&amp;", "<b>", "Hội Nông dân", "\xff", " ", "\x00", "a"}
	rng := rand.New(rand.NewPCG(21, 22))
	for range 20_000 {
		var s strings.Builder
		for range rng.IntN(8) {
			s.WriteString(pieces[rng.IntN(len(pieces))])
		}
		checkEscape(t, s.String())
	}
	// Around the size of Escape's buffer on the stack.
	for _, n := range []int{85, 86, 127, 128, 255, 256, 257, 1000} {
		checkEscape(t, strings.Repeat("<", n))
		checkEscape(t, strings.Repeat("a", n-1)+"&")
	}
}

// FuzzEscapeMatchesHTML checks that Escape and AppendEscape write any text
// as html.EscapeString does.
func FuzzEscapeMatchesHTML(f *testing.F) {
	for _, s := range []string{"", "Hội Nông dân", `<a & "b">`, "Lan's <b>&amp;"} {
		f.Add(s)
	}
	f.Fuzz(checkEscape)
}

// Escape returns text with nothing to escape as it is, and allocates only
// its string for a short text to escape; AppendEscape into a buffer on
// the stack allocates nothing.
func TestEscapeAllocations(t *testing.T) {
	for _, c := range []struct {
		s      string
		allocs float64
	}{{"Hội Nông dân tỉnh", 0}, {"Đoàn <Thanh niên> & Hội", 1}} {
		if n := testing.AllocsPerRun(100, func() { fillSink = Escape(c.s) }); n != c.allocs {
			t.Errorf("Escape(%q) allocates %v times", c.s, n)
		}
		if n := testing.AllocsPerRun(100, func() {
			var buf [64]byte
			fillSink = string(AppendEscape(buf[:0], c.s)[:1])
		}); n != 0 {
			t.Errorf("AppendEscape(%q) allocates %v times", c.s, n)
		}
	}
}
