package thidua

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// reportsByKey returns the JSON of each of the reports by its key: a copy
// that later changes of the reports, in place or not, leave alone.
func reportsByKey(t *testing.T, rs []Report) map[ReportKey]string {
	t.Helper()
	m := make(map[ReportKey]string, len(rs))
	for i := range rs {
		doc, err := json.Marshal(&rs[i])
		must(t, err)
		m[rs[i].Key()] = string(doc)
	}
	return m
}

// Random changes of the reports (reports typed by a representative or an
// administrator, evidence attached, an album's answer noted, periods added
// and deleted with their reports, the chat moved with reports of earlier
// documents confirmed by a message) keep the reports in the order of their
// keys, unit then period, each key once, and note every report that they
// add, change or remove: storage writes those alone, each a record of its
// own, and a replica that reads the records restores this order.
func TestReportChangesNoted(t *testing.T) {
	b, reps := yearEndBlock(t, time.Time{})
	b.TakeChangedReports()
	rng := rand.New(rand.NewPCG(11, 12))
	pick := rng.IntN
	added := 0
	for step := range 3000 {
		before := reportsByKey(t, b.Results.Reports)
		i := pick(len(b.Units))
		unitID, a := b.Units[i].ID, admin
		if i < len(reps) && pick(2) == 0 {
			a = reps[i]
		}
		periodID := "k999"
		if ps := b.Results.Periods; len(ps) > 0 && pick(8) > 0 {
			periodID = ps[pick(len(ps))].ID
		}
		now := t0.Add(time.Duration(pick(24*300)) * time.Hour)
		switch op := pick(20); {
		case op < 10:
			var lines []ReportLine
			for _, no := range rng.Perm(len(b.RegistrationOf(unitID).Pledges))[:pick(4)] {
				lines = append(lines, ReportLine{No: no + 1, Value: Value{Number: float64(pick(1000))}})
			}
			_, _ = b.SubmitReport(a, unitID, periodID, lines, now)
		case op < 13:
			e := Evidence{FileID: fmt.Sprintf("f%d", step), Kind: EvidencePhoto, Album: fmt.Sprintf("a%d", pick(3))}
			_, _ = b.AttachEvidence(a, unitID, periodID, e, now)
		case op < 15:
			_ = b.SetAlbumAnswer(unitID, periodID, fmt.Sprintf("a%d", pick(3)), 1+pick(1000))
		case op < 17:
			added++
			d, err := ParsePeriod(fmt.Sprintf("Kỳ %d | %02d/%02d", added, 1+pick(28), 1+pick(12)), b.Year, hcm)
			must(t, err)
			_, _ = b.AddPeriods(admin, []PeriodDraft{d}, now)
		case op < 19:
			_, _, _ = b.DeletePeriod(admin, periodID, pick(4) > 0, now)
		default:
			// Reports of a document of an earlier release, confirmed by
			// messages in the chat that the block leaves.
			for k := range b.Results.Reports {
				if pick(3) == 0 {
					b.Results.Reports[k].MessageID = 1 + pick(1000)
				}
			}
			b.TakeChangedReports()
			before = reportsByKey(t, b.Results.Reports)
			b.MoveChat(b.ChatID - 1)
		}
		b.TakeEvents()
		keys := make([]ReportKey, len(b.Results.Reports))
		for k := range b.Results.Reports {
			keys[k] = b.Results.Reports[k].Key()
		}
		if !slices.IsSortedFunc(keys, ReportKey.Compare) || len(slices.Compact(slices.Clone(keys))) != len(keys) {
			t.Fatalf("step %d: the reports are not in the order of their keys, each once: %v", step, keys)
		}
		noted := b.TakeChangedReports()
		after := reportsByKey(t, b.Results.Reports)
		for k, doc := range after {
			if before[k] != doc && !slices.Contains(noted, k) {
				t.Fatalf("step %d: the report %v was added or changed but not noted (noted %v)", step, k, noted)
			}
		}
		for k := range before {
			if _, ok := after[k]; !ok && !slices.Contains(noted, k) {
				t.Fatalf("step %d: the report %v was removed but not noted (noted %v)", step, k, noted)
			}
		}
	}
	if len(b.Results.Reports) < 10 {
		t.Fatalf("the walk ended with %d reports: it tried too little", len(b.Results.Reports))
	}
}
