package thidua

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// A unit that joins once periods have passed owes no report for them: it
// is not missing, not overdue at the year's end, and a report it sends for
// one anyway is not late. A period set after it joined is owed as by every
// unit, whatever its deadline.
func TestReportOwedByUnitsThatJoinLate(t *testing.T) {
	b := reporting(t)
	july := time.Date(2026, 7, 1, 9, 0, 0, 0, ict)
	added, err := b.AddUnits(admin, []string{"Hội Luật gia tỉnh"}, july)
	must(t, err)
	law := added[0].ID
	q1, half, nine := period(t, b, "Quý I"), period(t, b, "6 tháng"), period(t, b, "9 tháng")
	for _, c := range []struct {
		unit string
		p    Period
		owed bool
	}{{law, q1, false}, {law, half, false}, {law, nine, true}, {"u1", q1, true}} {
		if got := b.ReportOwed(c.unit, c.p); got != c.owed {
			t.Errorf("ReportOwed(%s, %s) = %v", c.unit, c.p.Name, got)
		}
	}
	if st := b.ReportStatusOf(law, q1, july); st != StatusNotOwed {
		t.Errorf("the newcomer's status for Quý I: %v", st)
	}
	if st := b.ReportStatusOf("u1", q1, july); st != StatusMissing {
		t.Errorf("u1's status for Quý I: %v", st)
	}
	if missing := b.UnitsMissingReport(q1.ID); slices.Contains(missing, law) || !slices.Contains(missing, "u1") {
		t.Errorf("missing for Quý I: %v", missing)
	}
	if n := b.ReportsDue(q1); n != 7 {
		t.Errorf("%d units are to report for Quý I", n)
	}
	final, _ := b.Deadline("final", july)
	for _, o := range final.Owing {
		if o.UnitID == law && slices.ContainsFunc(o.Debts, func(d Debt) bool { return d.Name == "Quý I" || d.Name == "6 tháng" }) {
			t.Errorf("the newcomer owes the periods past before it joined at the year's end: %+v", o.Debts)
		}
	}

	// A period added since, already past, is owed by the newcomer too.
	d, err := ParsePeriod("Bổ sung quý II | 30/04", 2026, ict)
	must(t, err)
	_, err = b.AddPeriods(admin, []PeriodDraft{d}, july.Add(time.Hour))
	must(t, err)
	if extra := period(t, b, "Bổ sung"); !b.ReportOwed(law, extra) {
		t.Error("the newcomer does not owe a period added after it joined")
	}

	// Its report for Quý I, sent anyway, is on time.
	leg := Actor{UserID: 8, Name: "Luật"}
	approve(t, b, leg, "Hội Luật gia tỉnh")
	_, err = b.AddPledges(leg, law, []PledgeDraft{draft(t, "Tư vấn pháp luật | 200 lượt")}, july)
	must(t, err)
	b.TakeEvents()
	r := submit(t, b, leg, law, "Quý I", july, "1 20")
	if b.ReportLate(law, q1, r.Submitted.At) || b.ReportStatusOf(law, q1, july) != StatusOnTime {
		t.Errorf("the newcomer's report for Quý I is late: %v", b.ReportStatusOf(law, q1, july))
	}
	if ev := b.TakeEvents(); len(ev) != 1 || strings.Contains(ev[0].After, "nộp muộn") {
		t.Errorf("the report's history: %+v", ev)
	}
	if n := b.ReportsDue(q1); n != 8 {
		t.Errorf("%d units are to report for Quý I once the newcomer did", n)
	}
}

// A unit's former names and the units removed are not found as units, but
// tell what became of them; a name in use wins over them.
func TestFormerNamesAndRemovedUnits(t *testing.T) {
	b := laoCai(t)
	july := time.Date(2026, 7, 1, 8, 0, 0, 0, ict)
	_, err := b.RenameUnit(admin, "Tỉnh Đoàn", "Đoàn Thanh niên tỉnh Lào Cai", july)
	must(t, err)
	_, err = b.RenameUnit(admin, "Hội Nông dân tỉnh", "HỘI NÔNG DÂN TỈNH", july)
	must(t, err)
	if f := b.Units[2].Former; len(f) != 0 {
		t.Errorf("a change of case is a former name: %+v", f)
	}
	var fe *FormerUnitError
	if _, err := b.FindUnit("tinh doan"); !errors.Is(err, ErrUnitNotFound) || !errors.As(err, &fe) ||
		fe.Unit.ID != "u6" || fe.No != 6 || fe.Name.Name != "Tỉnh Đoàn" || !fe.Name.Until.Equal(july) || fe.Removed != nil {
		t.Fatalf("the former name: %v %+v", err, fe)
	}
	if u, err := b.FindUnit("Đoàn Thanh niên"); err != nil || u.ID != "u6" {
		t.Fatalf("the new name: %v %v", u, err)
	}
	if _, err := b.FindUnit("99"); !errors.Is(err, ErrUnitNotFound) || errors.As(err, &fe) {
		t.Fatalf("a number out of range: %v", err)
	}

	_, _, err = b.RemoveUnit(admin, "u7", july)
	must(t, err)
	if r := b.Removed; len(r) != 1 || r[0] != (RemovedUnit{ID: "u7", Name: "Hội Chữ thập đỏ tỉnh", At: july, By: "Admin"}) {
		t.Fatalf("the units removed: %+v", r)
	}
	if _, err := b.FindUnit("chu thap do"); !errors.As(err, &fe) || fe.Removed == nil || fe.Removed.ID != "u7" {
		t.Fatalf("the removed unit: %v", err)
	}
	if _, err := b.RequestJoin(lan, "u7", july); !errors.As(err, &fe) || fe.Removed.ID != "u7" {
		t.Fatalf("a request to represent the removed unit: %v", err)
	}
	added, err := b.AddUnits(admin, []string{"Hội Chữ thập đỏ tỉnh"}, july)
	must(t, err)
	if u, err := b.FindUnit("chu thap do"); err != nil || u.ID != added[0].ID {
		t.Fatalf("the unit added again under the removed one's name: %v %v", u, err)
	}
}

// A representative who leaves, and a unit removed, take their reports
// typed step by step with them; the others' stay.
func TestLeaveAndRemovalDropDrafts(t *testing.T) {
	b := reporting(t)
	q1 := period(t, b, "Quý I").ID
	_, err := b.AddPledges(minh, "u6", []PledgeDraft{draft(t, "Thành lập đội tình nguyện | 40 đội")}, t0)
	must(t, err)
	_, err = b.StartDraft(lan, "u3", q1, "", t0)
	must(t, err)
	kept, err := b.StartDraft(minh, "u6", q1, "", t0)
	must(t, err)
	_, err = b.StartDraft(admin, "u3", period(t, b, "6 tháng").ID, "", t0)
	must(t, err)
	if _, err := b.Leave(lan, t0); err != nil {
		t.Fatal(err)
	}
	if len(b.Results.Drafts) != 2 || slices.ContainsFunc(b.Results.Drafts, func(d ReportDraft) bool { return d.Owner.UserID == lan.UserID }) {
		t.Fatalf("the drafts once Lan left: %+v", b.Results.Drafts)
	}
	_, _, err = b.RemoveUnit(admin, "u3", t0)
	must(t, err)
	if len(b.Results.Drafts) != 1 || b.Results.Drafts[0].ID != kept.ID {
		t.Fatalf("the drafts once u3 was removed: %+v", b.Results.Drafts)
	}
}

// Evidence is not attached to a report of a unit removed since, by anyone.
func TestEvidenceForARemovedUnit(t *testing.T) {
	b := reporting(t)
	submit(t, b, lan, "u3", "Quý I", t0, "1 20")
	_, _, err := b.RemoveUnit(admin, "u3", t0)
	must(t, err)
	var fe *FormerUnitError
	for _, a := range []Actor{admin, lan} {
		if _, err := b.AttachEvidence(a, "u3", period(t, b, "Quý I").ID, Evidence{FileID: "f", Kind: EvidencePhoto}, t0); !errors.As(err, &fe) || fe.Removed.ID != "u3" {
			t.Fatalf("%s attaches evidence to the removed unit's report: %v", a.Name, err)
		}
	}
}

// A unit that joins once a deadline of the leader's has passed does not
// owe it, while the units there before still do; one set after it joined
// it owes, whatever its due date.
func TestCustomDeadlineOwedByUnitsThatJoinLate(t *testing.T) {
	b := laoCai(t)
	c := addDeadline(t, b, at(2026, 3, 20, 17, 0), "Nộp báo cáo chuyên đề")
	july := at(2026, 7, 1, 9, 0)
	added, err := b.AddUnits(admin, []string{"Hội Làm vườn tỉnh"}, july)
	must(t, err)
	garden := added[0].ID
	owes := func(key, unitID string) bool {
		d, _ := b.Deadline(key, july)
		return slices.ContainsFunc(d.Owing, func(o Owing) bool { return o.UnitID == unitID })
	}
	if owes(CustomKey(c.No), garden) || !owes(CustomKey(c.No), b.Units[0].ID) {
		t.Errorf("owing the deadline of 20/03 on 01/07: the newcomer %v, the first unit %v", owes(CustomKey(c.No), garden), owes(CustomKey(c.No), b.Units[0].ID))
	}
	later, err := b.AddDeadline(admin, at(2026, 7, 10, 17, 0), "Gửi ảnh hoạt động", july.Add(time.Hour))
	must(t, err)
	if !owes(CustomKey(later.No), garden) {
		t.Error("the newcomer does not owe a deadline set after it joined")
	}
}

// The pace a unit that joins during the year is held to counts from the
// day it joined: what came before it could not do.
func TestPaceOfAUnitThatJoinsLate(t *testing.T) {
	b := reporting(t)
	july := time.Date(2026, 7, 1, 9, 0, 0, 0, ict)
	added, err := b.AddUnits(admin, []string{"Hội Luật gia tỉnh"}, july)
	must(t, err)
	law := added[0].ID
	leg := Actor{UserID: 8, Name: "Luật"}
	approve(t, b, leg, "Hội Luật gia tỉnh")
	_, err = b.AddPledges(leg, law, []PledgeDraft{draft(t, "Tư vấn pháp luật | 200 lượt | 30/11")}, july)
	must(t, err)
	sept := time.Date(2026, 9, 10, 9, 0, 0, 0, ict)
	// On 10/09 three quarters of the time from 1/1 to 30/11 have passed,
	// but under half of the time from 1/7: 100 of 200 is on pace for the
	// newcomer, 50 of 200 is not.
	submit(t, b, leg, law, "9 tháng", sept, "1 100")
	if got := b.BehindPace(sept); slices.Contains(got, law) {
		t.Errorf("the newcomer at half its target on 10/09 is behind pace: %v", got)
	}
	submit(t, b, leg, law, "9 tháng", sept, "1 50")
	if got := b.BehindPace(sept); !slices.Contains(got, law) {
		t.Errorf("the newcomer at a quarter of its target on 10/09 is on pace: %v", got)
	}
	// A unit of the block from the start is held to the pace from 1/1.
	if got := b.BehindPace(sept); !slices.Contains(got, "u3") {
		t.Errorf("a unit of the block from the start, with nothing reported, is on pace: %v", got)
	}
}
