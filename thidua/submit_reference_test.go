package thidua

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// The references below are entryFor, SubmitReport, SubmitDraft and submit
// as they were before SubmitReport gathered the entries by pledge number
// instead of in a map and entryFor skipped notes that cannot start with the
// measure (the commit that added this file), unchanged but for their names
// and the references they call. They are kept as the references the
// current code must match: the same entries, reports, errors, events and
// stored state. The tests and the fuzz target of this file check that.

func entryForReference(p Pledge, v Value, level bool, note string) Entry {
	e := Entry{PledgeID: p.ID, Value: v.Number, Note: note}
	e.OfTarget = level || (v.Percent && !strings.HasPrefix(p.Target.Measure, "%"))
	measure, words := strings.Fields(p.Target.Measure), strings.Fields(note)
	if !v.Percent && len(measure) > 0 && len(words) >= len(measure) &&
		Fold(strings.Join(words[:len(measure)], " ")) == Fold(p.Target.Measure) {
		// The words after the measure, less the separators before them
		// ("50 nhà - xong" notes «xong»), as a note after a value.
		e.Note = trimNoteSeparators(strings.Join(words[len(measure):], " "))
	}
	return e
}

func (b *Block) submitReportReference(a Actor, unitID, periodID string, lines []ReportLine, now time.Time) (Report, error) {
	if err := b.CanReport(a, unitID, periodID); err != nil {
		return Report{}, err
	}
	if len(lines) == 0 {
		return Report{}, ErrReportEmpty
	}
	pledges := b.RegistrationOf(unitID).Pledges
	byPledge := map[string]Entry{}
	for i, l := range lines {
		if l.No < 1 || l.No > len(pledges) {
			return Report{}, &LineError{Line: i + 1, Err: ErrReportPledge}
		}
		p := pledges[l.No-1]
		if _, dup := byPledge[p.ID]; dup {
			return Report{}, &LineError{Line: i + 1, Err: ErrReportDuplicate}
		}
		byPledge[p.ID] = entryForReference(p, l.Value, false, l.Note)
	}
	return b.submitReference(a, unitID, periodID, byPledge, now), nil
}

func (b *Block) submitDraftReference(a Actor, id string, now time.Time) (Report, error) {
	d, err := b.ownDraft(a, id, -1)
	if err != nil {
		return Report{}, err
	}
	if err := b.CanReport(a, d.UnitID, d.PeriodID); err != nil {
		return Report{}, err
	}
	byPledge := map[string]Entry{}
	for _, e := range d.Entries {
		byPledge[e.PledgeID] = e
	}
	kept := 0
	for _, p := range b.RegistrationOf(d.UnitID).Pledges {
		if _, ok := byPledge[p.ID]; ok {
			kept++
		}
	}
	if kept == 0 {
		return Report{}, ErrReportEmpty
	}
	return b.submitReference(a, d.UnitID, d.PeriodID, byPledge, now), nil
}

func (b *Block) submitReference(a Actor, unitID, periodID string, byPledge map[string]Entry, now time.Time) Report {
	pledges := b.RegistrationOf(unitID).Pledges
	s := Submission{Revision: 1, Submitted: *attribution(a, now)}
	for _, p := range pledges {
		if e, ok := byPledge[p.ID]; ok {
			s.Entries = append(s.Entries, e)
		}
	}
	p := *b.Period(periodID)
	r := b.report(unitID, periodID)
	before := ""
	b.reportsChange(ReportKey{UnitID: unitID, PeriodID: periodID})
	if r == nil {
		r = b.Results.addReport(unitID, periodID)
	} else {
		before = b.submissionTextReference(p, unitID, r.Submission)
		s.Revision = r.Revision + 1
		replaced := r.Submission
		replaced.Entries = nil
		r.Earlier = append(r.Earlier, replaced)
		if n := len(r.Earlier); n > KeptRevisions {
			r.Earlier = slices.Clone(r.Earlier[n-KeptRevisions:])
		}
	}
	r.Submission = s
	b.Results.Drafts = slices.DeleteFunc(b.Results.Drafts, func(d ReportDraft) bool {
		return d.UnitID == unitID && d.PeriodID == periodID
	})
	b.recordFor(a, unitID, now, "report.submit", before, b.submissionTextReference(p, unitID, s))
	return *r
}

// noteCases are notes typed after a value: none, the measure alone or with
// more words, in other case, spacing or diacritics, glued to a word, only a
// part of a measure of two words, in %, and in a script that Fold
// decomposes.
var noteCases = []string{
	"", "nhà", "nhà xong", "Nhà  xong", "nhàxong", "NHA", "hội viên mới", "Hội  Viên mới", "hội", "hội\tviên",
	"tỷ đồng", "ty dong thu", "% hộ", "%", "đã khởi công 5 nhà", "m² đất", " nhà ", "Νέα μέλη", "<b>&amp;",
}

// checkEntryFor fails unless entryFor makes the same entry as its
// reference.
func checkEntryFor(t *testing.T, p Pledge, v Value, level bool, note string) {
	t.Helper()
	if got, want := entryFor(p, v, level, note), entryForReference(p, v, level, note); got != want {
		t.Fatalf("entryFor(%#v, %+v, %v, %q) = %+v, want %+v", p.Target, v, level, note, got, want)
	}
}

func TestEntryForMatchesReference(t *testing.T) {
	target := 50.0
	for _, m := range append(slices.Clone(measureCases), "Hội Viên", "hội  viên", "ty dong", "Νέα") {
		for _, hasNumber := range []bool{true, false} {
			p := Pledge{ID: "p1", Target: Target{Measure: m}}
			if hasNumber {
				p.Target.Number = &target
			}
			for _, note := range noteCases {
				for _, v := range []Value{{Number: 45}, {Number: 60, Percent: true}, {Number: 0.5}} {
					checkEntryFor(t, p, v, false, note)
					checkEntryFor(t, p, v, true, note)
				}
			}
		}
	}
}

// FuzzEntryForMatchesReference checks that entryFor reads any note against
// any measure as its reference does.
func FuzzEntryForMatchesReference(f *testing.F) {
	for i, note := range noteCases {
		f.Add(measureCases[i%len(measureCases)], note, 45.0, i%2 == 0, i%3 == 0)
	}
	f.Add("hội viên", "Hội  Viên mới", 1050.0, false, false)
	f.Fuzz(func(t *testing.T, measure, note string, v float64, percent, level bool) {
		target := 50.0
		checkEntryFor(t, Pledge{ID: "p1", Target: Target{Number: &target, Measure: measure}}, Value{Number: v, Percent: percent}, level, note)
	})
}

// TestSubmitMatchesReference runs the same random changes on two copies of
// yearEndBlock, SubmitReport and SubmitDraft on one and their references on
// the other, and fails unless both give the same results and errors,
// record the same events, note the same changed units and keep the same
// state. The changes are reports for any unit and period by its
// representative, an administrator or an outsider, on any pledge numbers
// (some repeated or out of range, most not), on time or late; drafts
// answered in part; and pledges deleted or added on the units whose lists
// stay editable, so that earlier reports name pledges that moved or went.
func TestSubmitMatchesReference(t *testing.T) {
	cur, reps := yearEndBlock(t, time.Time{})
	ref, _ := yearEndBlock(t, time.Time{})
	actors := append(slices.Clone(reps), admin, Actor{UserID: 999, Name: "Khách"})
	unitIDs := []string{"u99"}
	for _, u := range cur.Units {
		unitIDs = append(unitIDs, u.ID)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	pick := func(n int) int { return rng.IntN(n) }
	numbers := []float64{0, 5, 45, 1050, 1200, 25.3, 0.25, 1234.5, 99.995, 1e13}
	value := func() Value {
		return Value{Number: numbers[pick(len(numbers))] * float64(1+pick(3)), Percent: pick(3) == 0}
	}
	same := func(step int, what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d, %s:\n%+v\nwant\n%+v", step, what, got, want)
		}
	}
	for step := range 3000 {
		a := actors[pick(len(actors))]
		unitID := unitIDs[pick(len(unitIDs))]
		periodID := "k99"
		if pick(10) > 0 {
			periodID = cur.Results.Periods[pick(len(cur.Results.Periods))].ID
		}
		if pick(2) == 0 && unitID != "u99" && a.UserID != 999 && a.UserID != admin.UserID {
			a = reps[min(slices.IndexFunc(cur.Units, func(u Unit) bool { return u.ID == unitID }), len(reps)-1)]
		}
		now := t0.Add(time.Duration(pick(24*365)) * time.Hour)
		n := len(cur.RegistrationOf(unitID).Pledges)
		switch op := pick(10); {
		case op < 6: // a report typed in one message
			var lines []ReportLine
			if pick(4) > 0 { // distinct pledges in range, in any order
				for _, no := range rng.Perm(n)[:pick(n+1)] {
					lines = append(lines, ReportLine{No: no + 1, Value: value(), Note: noteCases[pick(len(noteCases))]})
				}
			} else {
				for range pick(25) {
					lines = append(lines, ReportLine{No: pick(n + 3), Value: value(), Note: noteCases[pick(len(noteCases))]})
				}
			}
			got, gotErr := cur.SubmitReport(a, unitID, periodID, lines, now)
			want, wantErr := ref.submitReportReference(a, unitID, periodID, lines, now)
			same(step, "SubmitReport", got, want)
			same(step, "SubmitReport's error", gotErr, wantErr)
		case op < 8: // a report filled in step by step
			d, err := cur.StartDraft(a, unitID, periodID, "", now)
			dr, errr := ref.StartDraft(a, unitID, periodID, "", now)
			same(step, "StartDraft", []any{d, err}, []any{dr, errr})
			if err != nil {
				break
			}
			for k := range pick(n + 2) {
				v, level, note := value(), pick(4) == 0, noteCases[pick(len(noteCases))]
				if pick(3) == 0 {
					_, err = cur.MoveDraft(a, d.ID, k, 1)
					_, errr = ref.MoveDraft(a, d.ID, k, 1)
				} else {
					_, err = cur.AnswerDraft(a, d.ID, k, v, level, note)
					_, errr = ref.AnswerDraft(a, d.ID, k, v, level, note)
				}
				same(step, "answering the draft", err, errr)
			}
			got, gotErr := cur.SubmitDraft(a, d.ID, now)
			want, wantErr := ref.submitDraftReference(a, d.ID, now)
			same(step, "SubmitDraft", got, want)
			same(step, "SubmitDraft's error", gotErr, wantErr)
		case op < 9: // a pledge deleted, moving those after it
			u, no := unitIDs[6+pick(3)], 1+pick(20)
			_, err := cur.DeletePledge(admin, u, no, now)
			_, errr := ref.DeletePledge(admin, u, no, now)
			same(step, "DeletePledge", err, errr)
		default: // a pledge added
			d, err := ParsePledge(yearEndPledges[pick(len(yearEndPledges))], cur.Year, hcm)
			must(t, err)
			u := unitIDs[6+pick(3)]
			_, err = cur.AddPledges(admin, u, []PledgeDraft{d}, now)
			_, errr := ref.AddPledges(admin, u, []PledgeDraft{d}, now)
			same(step, "AddPledges", err, errr)
		}
		same(step, "the events", cur.TakeEvents(), ref.TakeEvents())
		same(step, "the changed units", cur.TakeChangedReports(), ref.TakeChangedReports())
		same(step, "the results", cur.Results, ref.Results)
		same(step, "the registration", cur.Registration, ref.Registration)
	}
}
