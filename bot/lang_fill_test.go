package bot

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// fillFormats are messages of every shape Fill meets: plain text, %s
// verbs, %% alone and next to a verb, verbs Fill leaves to F (%d, %q, a
// width, a lone % at the end), choices of English forms and braces that
// make none, and Vietnamese text around them.
var fillFormats = []string{
	"", "không có gì", "%s", "%s. %s", "%s / %s (%s)", "%s của %s", "%s%%", "trên %d%%", "%%s", "%%%s",
	"%q", "%5s", "100%", "%", "%s %", "%s%s%s%s", "📊 Đã ghi báo cáo kỳ <b>%s</b> của <b>%s</b> (%s, %s).",
	"%s {unit|units}", "{a|b}", "{%s|x}", "{a}", "%s/%s {unit has|units have} voted", "{a|b|c}",
}

// checkFill fails unless Fill writes a message with args as F does, which
// is fmt.Sprintf's text once the choices of an English text are made, and
// AppendFill appends it after what its buffer holds, the message being
// format in Vietnamese or in English (which falls back to the Vietnamese
// "x" when empty).
func checkFill(t *testing.T, format string, args ...string) {
	t.Helper()
	bytes := make([][]byte, len(args))
	for i, a := range args {
		bytes[i] = []byte(a)
	}
	for _, c := range []struct {
		m T
		l Lang
	}{{T{VI: format}, VI}, {T{VI: format}, EN}, {T{VI: "x", EN: format}, EN}} {
		want := c.m.F(c.l, anys(args)...)
		if got := c.m.Fill(c.l, args...); got != want {
			t.Fatalf("%+v.Fill(%s, %q) = %q, want %q", c.m, c.l, args, got, want)
		}
		// A buffer with room to spare, which AppendFill may write in past
		// what it keeps when it leaves the message to F.
		dst := append(make([]byte, 0, 8), "ab"...)
		if got := c.m.AppendFill(dst, c.l, bytes...); string(got) != "ab"+want {
			t.Fatalf("%+v.AppendFill(%q, %s, %q) = %q, want %q", c.m, dst, c.l, args, got, "ab"+want)
		}
		if text := c.m.In(c.l); !strings.Contains(text, "{") {
			if got, want := c.m.F(c.l, anys(args)...), fmt.Sprintf(text, anys(args)...); got != want {
				t.Fatalf("%+v.F(%s, %q) = %q, want %q", c.m, c.l, args, got, want)
			}
		}
	}
}

func TestFillMatchesSprintf(t *testing.T) {
	pieces := append([]string{"%", "s", "d", "%%", "<b>", "Hội Nông dân", "\xff", "5", "{", "|", "}", "[1]"}, fillFormats...)
	args := []string{"", "45 nhà", "%s", "100%", "<i>ghi chú</i>", "\xff", "1", "2"}
	rng := rand.New(rand.NewPCG(11, 12))
	for range 100_000 {
		var format strings.Builder
		for range rng.IntN(6) {
			format.WriteString(pieces[rng.IntN(len(pieces))])
		}
		n := rng.IntN(5)
		var as []string
		for range n {
			as = append(as, args[rng.IntN(len(args))])
		}
		checkFill(t, format.String(), as...)
	}
}

// FuzzFillMatchesSprintf checks that Fill writes any message with up to
// three args as F does, that is as fmt.Sprintf does once the choices are
// made.
func FuzzFillMatchesSprintf(f *testing.F) {
	for i, format := range fillFormats {
		f.Add(format, "45 nhà", "50 nhà", "90%", uint8(i))
	}
	f.Fuzz(func(t *testing.T, format, a, b, c string, n uint8) {
		checkFill(t, format, []string{a, b, c}[:n%4]...)
	})
}

// BenchmarkFill writes a value against its target, as the confirmation of
// a report does on each line, with Fill, with AppendFill into a buffer on
// the stack, and with F.
func BenchmarkFill(b *testing.B) {
	m := T{VI: "%s / %s (%s)", EN: "%s / %s (%s)"}
	args := strings.Fields("45 nhà 50 nhà 90%") // made at run time, as the bot's are
	value, target, pct := args[0]+" "+args[1], args[2]+" "+args[3], args[4]
	for _, bc := range []struct {
		name string
		fill func() string
	}{
		{"Fill", func() string { return m.Fill(VI, value, target, pct) }},
		{"AppendFill", func() string {
			var buf [64]byte
			return string(m.AppendFill(buf[:0], VI, []byte(value), []byte(target), []byte(pct))[:1])
		}},
		{"F", func() string { return m.F(VI, value, target, pct) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				fillSink = bc.fill()
			}
		})
	}
}

// fillSink keeps what BenchmarkFill writes alive.
var fillSink string

// AppendFill writes a message into a buffer on the stack, a message filled
// with another one among its arguments, without allocating; Fill
// allocates its string only, and a buffer too for a message longer than
// fillStack.
func TestAppendFillAllocatesNothing(t *testing.T) {
	line := T{VI: "%s. %s", EN: "%s. %s"}
	of := T{VI: "%s / %s (%s)", EN: "%s / %s {pledge|pledges} (%s)"}
	for _, l := range []Lang{VI, EN} {
		n := testing.AllocsPerRun(100, func() {
			var buf, value [64]byte
			v := of.AppendFill(value[:0], l, []byte("45 nhà"), []byte("1"), []byte("90%"))
			fillSink = string(line.AppendFill(buf[:0], l, []byte("7"), v)[:1])
		})
		if n != 0 {
			t.Errorf("AppendFill(%s) allocates %v times", l, n)
		}
		for _, c := range []struct {
			arg    string
			allocs float64
		}{{"Hội Nông dân", 1}, {strings.Repeat("Hội Nông dân ", 60), 2}} {
			if n := testing.AllocsPerRun(100, func() { fillSink = of.Fill(l, c.arg, "1", c.arg) }); n != c.allocs {
				t.Errorf("Fill(%s) of %d bytes allocates %v times", l, 2*len(c.arg), n)
			}
		}
	}
}
