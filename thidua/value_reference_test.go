package thidua

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The references below are Target.String, Entry.ValueText and
// Block.submissionText as they were before they appended to one buffer
// (the commit that added this file), unchanged but for their names. They
// are kept as the references the current code must match byte for byte:
// the tests and fuzz targets of this file check that.

func targetStringReference(t Target) string {
	if t.Number == nil {
		return t.Text
	}
	n := FormatNumber(*t.Number)
	switch {
	case t.Measure == "":
		return n
	case strings.HasPrefix(t.Measure, "%"):
		return n + t.Measure
	}
	return n + " " + t.Measure
}

func valueTextReference(e Entry, p Pledge) string {
	if e.OfTarget {
		return FormatNumber(e.Value) + "% chỉ tiêu"
	}
	if p.Target.Number == nil {
		return FormatNumber(e.Value)
	}
	return targetStringReference(Target{Number: &e.Value, Measure: p.Target.Measure})
}

func (b *Block) submissionTextReference(p Period, unitID string, s Submission) string {
	pledges := b.RegistrationOf(unitID).Pledges
	var text strings.Builder
	text.WriteString(p.Name + " — ")
	next, first := 0, true // entries follow the order of the pledges
	for _, e := range s.Entries {
		i := next
		if i >= len(pledges) || pledges[i].ID != e.PledgeID {
			if i = slices.IndexFunc(pledges, func(p Pledge) bool { return p.ID == e.PledgeID }); i < 0 {
				continue
			}
		}
		next = i + 1
		if !first {
			text.WriteString("; ")
		}
		first = false
		text.WriteString(strconv.Itoa(i+1) + ": " + valueTextReference(e, pledges[i]))
		if e.Note != "" {
			text.WriteString(" (" + e.Note + ")")
		}
	}
	if b.IsLate(p, s.Submitted.At) {
		text.WriteString(" — nộp muộn")
	}
	return text.String()
}

// measureCases are measures of targets, as typed and not: none, one word or
// more, in % with or without words, and text to escape.
var measureCases = []string{"", "nhà", "hội viên", "tỷ đồng", "%", "% hộ", "%hộ", "m²", "<b>&amp;", " nhà  "}

// checkValueText fails unless Target.String and Entry.ValueText write the
// target of a pledge (a number in measure, or else text) and an entry of
// value v (as a share of the target when ofTarget) as their references do.
func checkValueText(t *testing.T, target, v float64, measure, text string, hasNumber, ofTarget bool) {
	t.Helper()
	p := Pledge{ID: "p1", Target: Target{Measure: measure, Text: text}}
	if hasNumber {
		p.Target.Number = &target
	}
	if got, want := p.Target.String(), targetStringReference(p.Target); got != want {
		t.Fatalf("%#v.String() = %q, want %q", p.Target, got, want)
	}
	e := Entry{PledgeID: p.ID, Value: v, OfTarget: ofTarget}
	if got, want := e.ValueText(p), valueTextReference(e, p); got != want {
		t.Fatalf("%+v.ValueText(%#v) = %q, want %q", e, p.Target, got, want)
	}
}

func TestValueTextMatchesReference(t *testing.T) {
	vs := numberCases()
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		vs = append(vs, float64(rng.IntN(100_000)), float64(rng.IntN(1_000_000))/100, rng.NormFloat64()*1e6)
	}
	for i, v := range vs {
		target := vs[(i*7+3)%len(vs)]
		for _, m := range measureCases {
			for _, flags := range [][2]bool{{true, false}, {true, true}, {false, false}, {false, true}} {
				checkValueText(t, target, v, m, "hoàn thành xuất sắc", flags[0], flags[1])
			}
		}
	}
}

// FuzzValueTextMatchesReference checks that Target.String and
// Entry.ValueText write any target and value as their references do.
func FuzzValueTextMatchesReference(f *testing.F) {
	for i, v := range numberCases() {
		m := measureCases[i%len(measureCases)]
		f.Add(v, 50.0, m, "", i%2 == 0, i%3 == 0)
	}
	f.Add(45.0, 50.0, "nhà", "", true, false)
	f.Add(60.0, 1200.0, "hội viên", "", true, true)
	f.Add(1.0, 0.0, "", "hoàn thành xuất sắc", false, false)
	f.Fuzz(func(t *testing.T, v, target float64, measure, text string, hasNumber, ofTarget bool) {
		checkValueText(t, target, v, measure, text, hasNumber, ofTarget)
	})
}

// orderedSubmission is a submission of the first unit of blk made from
// order: an entry per byte, for the pledge it numbers modulo one more than
// the unit's pledges (the one more a pledge deleted since), as a share of
// the target when its high bit is set and with the note when the next bit
// is. The entries thus come in the order of the pledges or out of it, and
// may name a pledge twice or one that is gone.
func orderedSubmission(blk *Block, order []byte, v float64, note string, at time.Time) Submission {
	pledges := blk.RegistrationOf(blk.Units[0].ID).Pledges
	s := Submission{Revision: 1, Submitted: Attribution{UserID: 1, Name: "Lan", At: at}}
	for k, c := range order {
		e := Entry{PledgeID: "gone", Value: v + float64(k), OfTarget: c&0x80 != 0}
		if i := int(c&0x3f) % (len(pledges) + 1); i < len(pledges) {
			e.PledgeID = pledges[i].ID
		}
		if c&0x40 != 0 {
			e.Note = note
		}
		s.Entries = append(s.Entries, e)
	}
	return s
}

// checkSubmissionText fails unless submissionText describes the submission
// as its reference does, on time and late.
func checkSubmissionText(t *testing.T, blk *Block, p Period, unitID string, s Submission) {
	t.Helper()
	if got, want := blk.submissionText(p, unitID, s), blk.submissionTextReference(p, unitID, s); got != want {
		t.Fatalf("submissionText of %+v:\n%q\nwant\n%q", s, got, want)
	}
}

func TestSubmissionTextMatchesReference(t *testing.T) {
	blk, _ := yearEndBlock(t, time.Time{})
	for _, r := range blk.Results.Reports {
		checkSubmissionText(t, blk, *blk.Period(r.PeriodID), r.UnitID, r.Submission)
	}
	p := blk.Results.Periods[0]
	rng := rand.New(rand.NewPCG(5, 6))
	notes := []string{"", "đã khởi công 5 nhà", "<vượt> & kế hoạch", "x"}
	for range 5000 {
		order := make([]byte, rng.IntN(30))
		for i := range order {
			order[i] = byte(rng.IntN(256))
		}
		if rng.IntN(2) == 0 {
			slices.SortFunc(order, func(a, b byte) int { return int(a&0x3f) - int(b&0x3f) })
		}
		at := p.Due.Add(time.Duration(rng.IntN(96)-48) * time.Hour)
		s := orderedSubmission(blk, order, math.Round(rng.Float64()*1e5)/100, notes[rng.IntN(len(notes))], at)
		checkSubmissionText(t, blk, p, blk.Units[0].ID, s)
	}
}

// FuzzSubmissionTextMatchesReference checks that submissionText describes
// any submission (see orderedSubmission) as its reference does.
func FuzzSubmissionTextMatchesReference(f *testing.F) {
	blk, _ := yearEndBlock(f, time.Time{})
	p := blk.Results.Periods[0]
	f.Add([]byte{0, 1, 2, 3}, 45.0, "", false)
	f.Add([]byte{0x40, 0x81, 0xc2, 20, 5}, 1234.5, "đã khởi công 5 nhà", true)
	f.Add([]byte{19, 3, 3, 0, 63}, 0.25, "<b>", false)
	f.Fuzz(func(t *testing.T, order []byte, v float64, note string, late bool) {
		at := p.Due
		if late {
			at = blk.PeriodEnd(p)
		}
		checkSubmissionText(t, blk, p, blk.Units[0].ID, orderedSubmission(blk, order, v, note, at))
	})
}
