package bot

import (
	"fmt"
	"strings"
	"testing"
)

// An English text makes its nouns and verbs agree with the count before
// them, with F as with Fill and AppendFill; the Vietnamese text, whose
// words do not change with a count, is written as it is.
func TestPluralChoices(t *testing.T) {
	units := T{VI: "✅ Đã thêm %d đơn vị. Khối hiện có %d đơn vị.", EN: "✅ Added %d {unit|units}. The block now has %d {unit|units}."}
	for _, c := range []struct {
		m    T
		l    Lang
		args []any
		want string
	}{
		{units, EN, []any{1, 2}, "✅ Added 1 unit. The block now has 2 units."},
		{units, EN, []any{2, 1}, "✅ Added 2 units. The block now has 1 unit."},
		{units, EN, []any{0, 0}, "✅ Added 0 units. The block now has 0 units."},
		{units, VI, []any{1, 1}, "✅ Đã thêm 1 đơn vị. Khối hiện có 1 đơn vị."},
		// Every choice after a verb agrees with that verb's argument.
		{T{VI: "x", EN: "%d {pledge remains|pledges remain}: delete {it|them}?"}, EN, []any{1}, "1 pledge remains: delete it?"},
		{T{VI: "x", EN: "%d {pledge remains|pledges remain}: delete {it|them}?"}, EN, []any{3}, "3 pledges remain: delete them?"},
		// An argument given by its index counts as the verb's.
		{T{VI: "x", EN: "%[2]d {vote|votes} for %[1]s"}, EN, []any{"A", 1}, "1 vote for A"},
		{T{VI: "x", EN: "%d/%d {unit|units}, %[1]d {vote|votes}"}, EN, []any{1, 7}, "1/7 units, 1 vote"},
		// A number the bot wrote is a count too: "1" is one, "1,5" is not.
		{T{VI: "x", EN: "at most %s {point|points}"}, EN, []any{"1"}, "at most 1 point"},
		{T{VI: "x", EN: "at most %s {point|points}"}, EN, []any{"1,5"}, "at most 1,5 points"},
		{T{VI: "x", EN: "%s {day|days} before"}, EN, []any{"7, 1"}, "7, 1 days before"},
		{T{VI: "x", EN: "%d%% {is|are} done"}, EN, []any{1}, "1% is done"},
		{T{VI: "x", EN: "%-3s {day|days}, %5s {day|days}"}, EN, []any{"1", "2"}, "1   day,     2 days"},
		// With no verb before it a choice takes the other form; braces
		// that make no choice are text.
		{T{VI: "x", EN: "{One|Other}: %d"}, EN, []any{1}, "Other: 1"},
		{T{VI: "x", EN: "{%d|x} {a} {b|c %s}"}, EN, []any{1, "s"}, "{1|x} {a} {b|c s}"},
		// A Vietnamese text given for English, none being written, stays
		// as it is.
		{T{VI: "%d {đơn vị|x}"}, EN, []any{1}, "1 {đơn vị|x}"},
	} {
		if got := c.m.F(c.l, c.args...); got != c.want {
			t.Errorf("%+v.F(%s, %v) = %q, want %q", c.m, c.l, c.args, got, c.want)
		}
		// Fill takes the numbers written, for %s.
		strs := make([]string, len(c.args))
		for i, a := range c.args {
			strs[i] = fmt.Sprint(a)
		}
		filled := T{VI: asStrings.Replace(c.m.VI), EN: asStrings.Replace(c.m.EN)}
		if got := filled.Fill(c.l, strs...); got != c.want {
			t.Errorf("%+v.Fill(%s, %q) = %q, want %q", filled, c.l, strs, got, c.want)
		}
		bytes := make([][]byte, len(strs))
		for i, s := range strs {
			bytes[i] = []byte(s)
		}
		if got := filled.AppendFill(nil, c.l, bytes...); string(got) != c.want {
			t.Errorf("%+v.AppendFill(%s, %q) = %q, want %q", filled, c.l, strs, got, c.want)
		}
	}
}

// asStrings turns the %d verbs of a message into %s.
var asStrings = strings.NewReplacer("%d", "%s", "]d", "]s")

// Fill makes the choices of an English text without allocating more than
// it does for a text without choices: the one string it returns.
func TestFillChoosesWithoutAllocating(t *testing.T) {
	m := T{VI: "Chưa báo cáo: %s / %s.", EN: "Not reported: %s {pledge|pledges} of %s."}
	for _, l := range []Lang{VI, EN} {
		if n := testing.AllocsPerRun(100, func() { fillSink = m.Fill(l, "1", "20") }); n != 1 {
			t.Errorf("Fill(%s) allocates %v times", l, n)
		}
	}
}
