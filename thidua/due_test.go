package thidua

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// must fails tb on a non-nil error.
func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// yearEndPledges are the 20 pledges of every unit of yearEndBlock: measurable
// targets and text ones, due through the year.
var yearEndPledges = func() []string {
	targets := []string{"1.200 hội viên", "50 nhà", "40%", "25,3 tỷ đồng", "hoàn thành xuất sắc"}
	out := make([]string, 20)
	for i := range out {
		out[i] = fmt.Sprintf("Nội dung thi đua số %d | %s | %02d/%02d", i+1, targets[i%len(targets)], 10+i%18, 1+i%12)
	}
	return out
}()

// yearEndBlock is a block as it stands late in November: 8 units, the first
// 7 with a representative (reps), 20 pledges each, registration open with a
// due date (5 lists submitted), four periods with every represented unit
// reported on every pledge for every period, a custom deadline, an open
// leader election with three ballots, and every reminder slot due by
// handledUntil marked as sent (none when it is zero).
func yearEndBlock(tb testing.TB, handledUntil time.Time) (*Block, []Actor) {
	tb.Helper()
	b, err := NewBlock("ye", -300, "Khối thi đua các đoàn thể tỉnh", 2026, admin, t0)
	must(tb, err)
	_, err = b.AddUnits(admin, []string{"Ủy ban MTTQ Việt Nam tỉnh", "Hội Cựu chiến binh tỉnh", "Hội Nông dân tỉnh",
		"Liên đoàn Lao động tỉnh", "Hội Liên hiệp Phụ nữ tỉnh", "Tỉnh Đoàn", "Hội Chữ thập đỏ tỉnh", "Hội Người cao tuổi tỉnh"}, t0)
	must(tb, err)
	reps := make([]Actor, 7)
	for i := range reps {
		reps[i] = Actor{UserID: int64(301 + i), Name: fmt.Sprintf("Đầu mối %d", i+1)}
		req, err := b.RequestJoin(reps[i], b.Units[i].ID, t0)
		must(tb, err)
		_, err = b.DecideJoin(admin, req.ID, true, t0)
		must(tb, err)
	}
	_, err = b.SetRole(admin, RoleLeader, "Tỉnh Đoàn", t0)
	must(tb, err)
	must(tb, b.OpenRegistration(admin, time.Date(2026, 2, 15, 0, 0, 0, 0, hcm), t0))

	drafts := make([]PledgeDraft, len(yearEndPledges))
	for i, s := range yearEndPledges {
		drafts[i], err = ParsePledge(s, b.Year, hcm)
		must(tb, err)
	}
	for i, u := range b.Units {
		_, err := b.AddPledges(admin, u.ID, drafts, t0)
		must(tb, err)
		if i < 5 {
			_, err = b.SubmitPledges(admin, u.ID, t0)
			must(tb, err)
		}
	}

	var pds []PeriodDraft
	for _, s := range []string{"Quý I | 31/03", "6 tháng | 15/06", "9 tháng | 15/09", "Năm | 20/11"} {
		d, err := ParsePeriod(s, b.Year, hcm)
		must(tb, err)
		pds = append(pds, d)
	}
	periods, err := b.AddPeriods(admin, pds, t0)
	must(tb, err)
	for k, p := range periods {
		for i, rep := range reps {
			ls := make([]ReportLine, len(drafts))
			for n, d := range drafts {
				v := Value{Number: float64(20 * (k + 1)), Percent: true}
				if d.Target.Number != nil {
					v = Value{Number: *d.Target.Number * float64(k+1+i%3) / 5}
				}
				ls[n] = ReportLine{No: n + 1, Value: v}
			}
			_, err := b.SubmitReport(rep, b.Units[i].ID, p.ID, ls, p.Due.Add(-time.Duration(i)*time.Hour))
			must(tb, err)
		}
	}

	_, err = b.AddDeadline(admin, at(2026, 11, 25, 17, 0), "Nộp báo cáo tổng kết năm", at(2026, 11, 2, 9, 0))
	must(tb, err)
	e, err := b.OpenElection(admin, ElectionSpec{Role: RoleLeader, CloseAt: at(2026, 11, 27, 17, 0)}, at(2026, 11, 16, 9, 0))
	must(tb, err)
	for i := range 3 {
		_, err := b.Vote(reps[i], e.ID, e.Candidates[i%2], fmt.Sprintf("Y%04d", i), at(2026, 11, 16, 10, 0))
		must(tb, err)
	}
	if !handledUntil.IsZero() {
		for _, ds := range b.DueSlots(handledUntil) {
			b.MarkSlot(ds.Deadline, ds.Slot.ID, SlotSent, ds.Slot.At)
		}
	}
	b.TakeEvents()
	return b, reps
}

func BenchmarkNextDue(b *testing.B) {
	blk, _ := yearEndBlock(b, at(2026, 11, 20, 9, 0))
	if blk.NextDue().IsZero() {
		b.Fatal("nothing due")
	}
	b.ReportAllocs()
	for b.Loop() {
		blk.NextDue()
	}
}

// refNextDue is NextDue as first written: the earliest slot not yet
// handled over every deadline with its owing units, the earliest election
// due, or the completion of a covenant whose announcement is pending,
// whichever comes first.
func refNextDue(b *Block) time.Time {
	var next time.Time
	consider := func(t time.Time) {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	for _, d := range b.Deadlines(t0) {
		for _, s := range b.Slots(d) {
			handled := false
			for _, h := range b.Schedule.Handled {
				if h.Deadline == d.Key && h.Slot == s.ID {
					handled = true
				}
			}
			if !handled {
				consider(s.At)
			}
		}
	}
	consider(b.nextElectionDue())
	if c := b.Registration.Covenant; c != nil && c.AnnouncePending {
		consider(c.CompletedAt)
	}
	return next
}

// withoutOwing returns the deadlines with their Owing dropped.
func withoutOwing(ds []Deadline) []Deadline {
	out := make([]Deadline, len(ds))
	for i, d := range ds {
		d.Owing = nil
		out[i] = d
	}
	return out
}

// checkCheapPath fails the test unless NextDue agrees with refNextDue and the
// deadlines computed without owing are Deadlines without their Owing.
func checkCheapPath(t *testing.T, step string, b *Block) {
	t.Helper()
	if got, want := b.NextDue(), refNextDue(b); !got.Equal(want) {
		t.Fatalf("%s: NextDue %v, want %v", step, got, want)
	}
	if got, want := b.deadlines(false, t0), withoutOwing(b.Deadlines(t0)); !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: deadlines without owing\n got %+v\nwant %+v", step, got, want)
	}
}

func TestNextDueMatchesDeadlines(t *testing.T) {
	for _, tt := range []struct {
		name  string
		block func(t *testing.T) *Block
	}{
		{"new block", laoCai},
		{"before the block existed", func(t *testing.T) *Block {
			b, err := NewBlock("b", -1, "Khối", 2025, admin, at(2025, 12, 5, 9, 0))
			must(t, err)
			return b
		}},
		{"custom deadlines", func(t *testing.T) *Block {
			b := laoCai(t)
			addDeadline(t, b, at(2026, 3, 20, 17, 0), "Báo cáo quý I")
			addDeadline(t, b, at(2026, 12, 20, 17, 0), "Hội nghị tổng kết")
			c := addDeadline(t, b, at(2026, 2, 2, 17, 0), "Nộp danh sách")
			for _, u := range b.Units {
				_, err := b.MarkDone(admin, c.No, u.ID, t0)
				must(t, err)
			}
			return b
		}},
		{"custom deadline deleted", func(t *testing.T) *Block {
			b := laoCai(t)
			c := addDeadline(t, b, at(2026, 3, 20, 17, 0), "Báo cáo quý I")
			d, _ := b.Deadline(CustomKey(c.No), t0)
			b.MarkSlot(d, b.Slots(d)[0].ID, SlotSent, t0)
			_, err := b.DeleteDeadline(admin, c.No, t0)
			must(t, err)
			return b
		}},
		{"registration without due date", openLaoCai},
		{"registration with due date", func(t *testing.T) *Block {
			b := openLaoCai(t)
			must(t, b.OpenRegistration(admin, time.Date(2026, 1, 31, 0, 0, 0, 0, hcm), t0))
			return b
		}},
		{"registration closed", func(t *testing.T) *Block {
			b := openLaoCai(t)
			must(t, b.OpenRegistration(admin, time.Date(2026, 1, 31, 0, 0, 0, 0, hcm), t0))
			must(t, b.CloseRegistration(admin, t0))
			return b
		}},
		{"reporting", reporting},
		{"covenant", func(t *testing.T) *Block {
			b := openLaoCai(t)
			c, err := ParseCriterion("Tổ chức phong trào | 50")
			must(t, err)
			_, err = b.AddCriteria(admin, []CriterionDraft{c}, t0)
			must(t, err)
			signable(t, b, lan, b.RepOf(lan.UserID).UnitID)
			_, err = b.OpenCovenant(admin, "Đoàn kết, đổi mới", time.Date(2026, 2, 10, 0, 0, 0, 0, hcm), t0)
			must(t, err)
			_, _, err = b.SignCovenant(lan, 0, t0)
			must(t, err)
			return b
		}},
		{"covenant complete, not announced", func(t *testing.T) *Block {
			b := openLaoCai(t)
			_, err := b.AddCriteria(admin, []CriterionDraft{{"Tổ chức phong trào", 50}}, t0)
			must(t, err)
			_, err = b.OpenCovenant(admin, "Đoàn kết, đổi mới", time.Date(2026, 2, 10, 0, 0, 0, 0, hcm), t0)
			must(t, err)
			for _, id := range b.unitsWhere(func(u UnitRegistration) bool { return len(b.RepsOf(u.UnitID)) == 0 }) {
				_, _, err = b.RemoveUnit(admin, id, t0)
				must(t, err)
			}
			for _, a := range []Actor{lan, minh} {
				signable(t, b, a, b.RepOf(a.UserID).UnitID)
				_, _, err = b.SignCovenant(a, 0, at(2026, 1, 20, 10, 0))
				must(t, err)
			}
			if c := b.Registration.Covenant; !c.AnnouncePending || c.CompletedAt.IsZero() {
				t.Fatalf("covenant %+v", c)
			}
			return b
		}},
		{"elections", func(t *testing.T) *Block {
			b, reps := electorate(t)
			e := mustOpen(t, b, ElectionSpec{Role: RoleLeader, CloseAt: at(2026, 1, 20, 17, 0)})
			votes(t, b, reps, e.ID, "u1", "u2", "u1")
			mustOpen(t, b, ElectionSpec{Role: RoleDeputy})
			return b
		}},
		{"election closed, not announced", func(t *testing.T) *Block {
			b, reps := electorate(t)
			e := mustOpen(t, b, ElectionSpec{Role: RoleLeader})
			votes(t, b, reps, e.ID, "u1", "u1", "u1", "u2")
			_, err := b.CloseElection(admin, e.ID, t0.Add(time.Hour))
			must(t, err)
			return b
		}},
		{"weekends off, no quiet hours, other zone", func(t *testing.T) *Block {
			b := reporting(t)
			b.Schedule.Zone = "Asia/Tokyo"
			err := b.SetReminders(admin, ReminderSettings{Days: []int{10, 5, 2, 0}, At: 22 * 60, Weekends: false}, t0)
			must(t, err)
			addDeadline(t, b, at(2026, 5, 16, 10, 0), "Thứ bảy") // Saturday
			return b
		}},
		{"year end", func(t *testing.T) *Block { b, _ := yearEndBlock(t, time.Time{}); return b }},
		{"year end, reminders sent", func(t *testing.T) *Block { b, _ := yearEndBlock(t, at(2026, 11, 20, 9, 0)); return b }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.block(t)
			// Run the scheduler until nothing is due, checking every step.
			for i := 0; ; i++ {
				step := fmt.Sprintf("step %d", i)
				checkCheapPath(t, step, b)
				now := b.NextDue()
				if now.IsZero() {
					break
				}
				if i == 500 {
					t.Fatalf("still due at %v after %d steps", now, i)
				}
				for _, ds := range b.DueSlots(now) {
					b.MarkSlot(ds.Deadline, ds.Slot.ID, SlotSent, now)
				}
				b.CloseDueElections(now)
				for _, c := range b.UnannouncedClosings() {
					must(t, b.MarkAnnounced(c.Election.ID))
				}
				b.MarkCovenantAnnounced()
				if i == 3 && len(b.Units) > 0 {
					// A change on the way: a unit is added, owing
					// everything, and a deadline is set.
					_, err := b.AddUnits(admin, []string{fmt.Sprintf("Đơn vị mới %d", i)}, now)
					must(t, err)
					if due := now.AddDate(0, 0, 10); due.Year() == now.Year() {
						_, err = b.AddDeadline(admin, due, "Việc mới", now)
						must(t, err)
					}
				}
			}
		})
	}
}

// KeepsDue holds for the frequent changes that leave what NextDue reads
// alone, and never when NextDue may differ.
func TestKeepsDue(t *testing.T) {
	now := at(2026, 11, 20, 9, 0)
	lastPeriod := func(b *Block) string { return b.Results.Periods[len(b.Results.Periods)-1].ID }
	election := func(b *Block) Election { return b.Elections.List[0] }
	openCovenant := func(b *Block) error {
		if len(b.Registration.Criteria) == 0 {
			if _, err := b.AddCriteria(admin, []CriterionDraft{{Title: "Thực hiện tốt chủ trương", MaxPoints: 10}}, now); err != nil {
				return err
			}
		}
		_, err := b.OpenCovenant(admin, "Đoàn kết, sáng tạo", at(2026, 12, 5, 0, 0), now)
		return err
	}
	// signedBut gives the unit without a representative one (late),
	// opens the covenant and has every other unit sign it: late's
	// signature then completes it.
	late := Actor{UserID: 399, Name: "Đầu mối 8"}
	signedBut := func(t *testing.T, b *Block) {
		last := b.Units[len(b.Units)-1].ID
		req, err := b.RequestJoin(late, last, now)
		must(t, err)
		_, err = b.DecideJoin(admin, req.ID, true, now)
		must(t, err)
		must(t, openCovenant(b))
		for _, u := range b.Units {
			if b.RegistrationOf(u.ID).State != ListSubmitted {
				_, err := b.SubmitPledges(admin, u.ID, now)
				must(t, err)
			}
			_, err := b.ApprovePledges(admin, u.ID, 0, now)
			must(t, err)
			if u.ID != last {
				rep := b.RepsOf(u.ID)[0]
				_, _, err = b.SignCovenant(Actor{UserID: rep.UserID, Name: rep.Name}, 0, now)
				must(t, err)
			}
		}
	}
	for _, tt := range []struct {
		name string
		// before changes both the block and its base first, if not nil.
		before func(t *testing.T, b *Block)
		part   Part
		change func(t *testing.T, b *Block, reps []Actor) error
		keeps  bool
	}{
		{name: "block renamed", keeps: true, change: func(t *testing.T, b *Block, _ []Actor) error {
			return b.Rename(admin, "Khối thi đua mới", now)
		}},
		{name: "year changed", change: func(t *testing.T, b *Block, _ []Actor) error {
			b.Year++
			return nil
		}},
		{name: "report resubmitted", part: PartResults, keeps: true, change: func(t *testing.T, b *Block, reps []Actor) error {
			_, err := b.SubmitReport(reps[0], b.Units[0].ID, lastPeriod(b), []ReportLine{{No: 1, Value: Value{Number: 9}}}, now)
			return err
		}},
		{name: "evidence attached", part: PartResults, keeps: true, change: func(t *testing.T, b *Block, reps []Actor) error {
			_, err := b.AttachEvidence(reps[0], b.Units[0].ID, lastPeriod(b), Evidence{FileID: "f1", Kind: EvidencePhoto}, now)
			return err
		}},
		{name: "draft answered", part: PartResults, keeps: true, change: func(t *testing.T, b *Block, reps []Actor) error {
			d, err := b.StartDraft(reps[1], b.Units[1].ID, lastPeriod(b), "", now)
			must(t, err)
			_, err = b.AnswerDraft(reps[1], d.ID, 0, Value{Number: 50, Percent: true}, true, "")
			return err
		}},
		{name: "period renamed", part: PartResults, keeps: true, change: func(t *testing.T, b *Block, _ []Actor) error {
			_, _, err := b.EditPeriod(admin, lastPeriod(b), PeriodDraft{Name: "Cả năm"}, now)
			return err
		}},
		{name: "period deadline moved", part: PartResults, change: func(t *testing.T, b *Block, _ []Actor) error {
			_, _, err := b.EditPeriod(admin, lastPeriod(b), PeriodDraft{Due: at(2026, 12, 10, 0, 0)}, now)
			return err
		}},
		{name: "period added", part: PartResults, change: func(t *testing.T, b *Block, _ []Actor) error {
			_, err := b.AddPeriods(admin, []PeriodDraft{{Name: "Bổ sung", Due: at(2026, 12, 10, 0, 0)}}, now)
			return err
		}},
		{name: "period deleted", part: PartResults, change: func(t *testing.T, b *Block, _ []Actor) error {
			_, _, err := b.DeletePeriod(admin, lastPeriod(b), true, now)
			return err
		}},
		{name: "ballot", part: PartElections, keeps: true, change: func(t *testing.T, b *Block, reps []Actor) error {
			e := election(b)
			_, err := b.Vote(reps[4], e.ID, e.Candidates[0], "Z0001", now)
			return err
		}},
		{name: "ballot changed", part: PartElections, keeps: true, change: func(t *testing.T, b *Block, reps []Actor) error {
			e := election(b)
			_, err := b.Vote(reps[0], e.ID, e.Candidates[2], "Z0002", now)
			return err
		}},
		{name: "ballot message", part: PartElections, keeps: true, change: func(t *testing.T, b *Block, _ []Actor) error {
			return b.SetBallotMessage(election(b).ID, 77)
		}},
		{name: "election closed", part: PartElections, change: func(t *testing.T, b *Block, _ []Actor) error {
			_, err := b.CloseElection(admin, election(b).ID, now)
			return err
		}},
		{name: "election opened", part: PartElections, change: func(t *testing.T, b *Block, _ []Actor) error {
			_, err := b.OpenElection(admin, ElectionSpec{Role: RoleDeputy}, now)
			return err
		}},
		{
			name: "result announced", part: PartElections,
			before: func(t *testing.T, b *Block) {
				_, err := b.CloseElection(admin, election(b).ID, now)
				must(t, err)
			},
			change: func(t *testing.T, b *Block, _ []Actor) error { return b.MarkAnnounced(election(b).ID) },
		},
		{name: "pledges added", part: PartRegistration, keeps: true, change: func(t *testing.T, b *Block, _ []Actor) error {
			d, err := ParsePledge("Nội dung bổ sung | 10 nhà | 15/12", b.Year, hcm)
			must(t, err)
			_, err = b.AddPledges(admin, b.Units[7].ID, []PledgeDraft{d}, now)
			return err
		}},
		{name: "registration due moved", part: PartRegistration, change: func(t *testing.T, b *Block, _ []Actor) error {
			return b.OpenRegistration(admin, at(2026, 12, 1, 0, 0), now)
		}},
		{name: "registration closed", part: PartRegistration, change: func(t *testing.T, b *Block, _ []Actor) error {
			return b.CloseRegistration(admin, now)
		}},
		{
			name: "registration opened for a unit", part: PartRegistration,
			before: func(t *testing.T, b *Block) { must(t, b.CloseRegistration(admin, now)) },
			change: func(t *testing.T, b *Block, _ []Actor) error {
				return b.OpenRegistrationAlone(admin, b.Units[7].ID, at(2026, 12, 1, 0, 0), now)
			},
		},
		{
			name: "registration opened for a unit without a deadline", part: PartRegistration, keeps: true,
			before: func(t *testing.T, b *Block) { must(t, b.CloseRegistration(admin, now)) },
			change: func(t *testing.T, b *Block, _ []Actor) error {
				return b.OpenRegistrationAlone(admin, b.Units[7].ID, time.Time{}, now)
			},
		},
		{
			name: "unit's registration due moved", part: PartRegistration, before: openedForUnit,
			change: func(t *testing.T, b *Block, _ []Actor) error {
				return b.OpenRegistrationAlone(admin, b.Units[7].ID, at(2026, 12, 2, 0, 0), now)
			},
		},
		{
			name: "unit opened for removed", part: PartRegistration,
			before: func(t *testing.T, b *Block) {
				openedForUnit(t, b)
				_, err := b.CloseElection(admin, election(b).ID, now) // an election keeps the units
				must(t, err)
			},
			change: func(t *testing.T, b *Block, _ []Actor) error {
				_, _, err := b.RemoveUnit(admin, b.Units[7].ID, now)
				return err
			},
		},
		{name: "covenant opened", part: PartRegistration, change: func(t *testing.T, b *Block, _ []Actor) error {
			return openCovenant(b)
		}},
		{
			name: "covenant reposted", part: PartRegistration, keeps: true,
			before: func(t *testing.T, b *Block) { must(t, openCovenant(b)) },
			change: func(t *testing.T, b *Block, _ []Actor) error { _, err := b.RepostCovenant(admin); return err },
		},
		{
			name: "covenant signed", part: PartRegistration, keeps: true,
			before: func(t *testing.T, b *Block) { must(t, openCovenant(b)) },
			change: func(t *testing.T, b *Block, reps []Actor) error {
				if _, err := b.ApprovePledges(admin, b.Units[0].ID, 0, now); err != nil {
					return err
				}
				_, _, err := b.SignCovenant(reps[0], 0, now)
				return err
			},
		},
		{
			name: "covenant completed", part: PartRegistration,
			before: signedBut,
			change: func(t *testing.T, b *Block, _ []Actor) error {
				_, complete, err := b.SignCovenant(late, 0, now)
				if err == nil && !complete {
					t.Fatal("the last signature did not complete the covenant")
				}
				return err
			},
		},
		{
			name: "covenant announced", part: PartRegistration,
			before: func(t *testing.T, b *Block) {
				signedBut(t, b)
				_, _, err := b.SignCovenant(late, 0, now)
				must(t, err)
			},
			change: func(t *testing.T, b *Block, _ []Actor) error {
				if !b.MarkCovenantAnnounced() {
					t.Fatal("nothing to announce")
				}
				return nil
			},
		},
		{name: "reminder sent", part: PartSchedule, change: func(t *testing.T, b *Block, _ []Actor) error {
			ds := b.DueSlots(at(2026, 11, 30, 23, 0))
			b.MarkSlot(ds[0].Deadline, ds[0].Slot.ID, SlotSent, now)
			return nil
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			base, _ := yearEndBlock(t, now)
			b, reps := yearEndBlock(t, now)
			if tt.before != nil {
				tt.before(t, base)
				tt.before(t, b)
			}
			must(t, tt.change(t, b, reps))
			keeps := b.KeepsDue(base, tt.part)
			if keeps != tt.keeps {
				t.Errorf("KeepsDue = %v, want %v", keeps, tt.keeps)
			}
			if keeps && !b.NextDue().Equal(base.NextDue()) {
				t.Errorf("KeepsDue, but NextDue moved from %v to %v", base.NextDue(), b.NextDue())
			}
		})
	}
}

// openedForUnit closes the registration of the block of yearEndBlock and
// opens it for its eighth unit alone, until 01/12.
func openedForUnit(t *testing.T, b *Block) {
	must(t, b.CloseRegistration(admin, at(2026, 11, 20, 9, 0)))
	must(t, b.OpenRegistrationAlone(admin, b.Units[7].ID, at(2026, 12, 1, 0, 0), at(2026, 11, 20, 9, 0)))
}

func BenchmarkKeepsDue(b *testing.B) {
	base, reps := yearEndBlock(b, at(2026, 11, 20, 9, 0))
	blk, _ := yearEndBlock(b, at(2026, 11, 20, 9, 0))
	_, err := blk.SubmitReport(reps[0], blk.Units[0].ID, blk.Results.Periods[3].ID, []ReportLine{{No: 1, Value: Value{Number: 9}}}, t0)
	must(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if !blk.KeepsDue(base, AllParts&^PartSchedule) {
			b.Fatal("the due time moved")
		}
	}
}
