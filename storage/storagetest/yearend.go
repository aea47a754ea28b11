package storagetest

import (
	"fmt"
	"testing"
	"time"

	"thiduabot/thidua"
)

// YearEndVoting is the time at which YearEnd's block stands: its election
// is open, and every reminder slot due by then was sent.
var YearEndVoting = time.Date(2025, time.November, 20, 9, 0, 0, 0, hcm)

// YearEnd returns a block as it stands late in its year (2025, at
// YearEndVoting), of the size at which the cost of a change matters: eight
// units, the first seven with a representative each (reps, in unit order),
// 20 pledges each, registration open with a due date, four reporting
// periods with a report of every represented unit for each, a deadline of
// the block's own and an open election of the leader, closing on 27/11,
// with three ballots. Its events are taken, so that it is stored as it is.
func YearEnd(t testing.TB, id string, chatID int64) (b *thidua.Block, reps []thidua.Actor) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, hcm) }
	start := day(time.January, 10).Add(9 * time.Hour)
	b, err := thidua.NewBlock(id, chatID, "Khối thi đua các đoàn thể tỉnh", 2025, Admin, start)
	must(err)
	_, err = b.AddUnits(Admin, []string{"Ủy ban MTTQ Việt Nam tỉnh", "Hội Cựu chiến binh tỉnh", "Hội Nông dân tỉnh",
		"Liên đoàn Lao động tỉnh", "Hội Liên hiệp Phụ nữ tỉnh", "Tỉnh Đoàn", "Hội Chữ thập đỏ tỉnh", "Hội Người cao tuổi tỉnh"}, start)
	must(err)
	reps = make([]thidua.Actor, 7)
	for i := range reps {
		reps[i] = thidua.Actor{UserID: int64(301 + i), Name: fmt.Sprintf("Đầu mối %d", i+1)}
		req, err := b.RequestJoin(reps[i], b.Units[i].ID, start)
		must(err)
		_, err = b.DecideJoin(Admin, req.ID, true, start)
		must(err)
	}
	_, err = b.SetRole(Admin, thidua.RoleLeader, "Tỉnh Đoàn", start)
	must(err)
	must(b.OpenRegistration(Admin, day(time.February, 15), start))

	targets := []string{"1.200 hội viên", "50 nhà", "40%", "25,3 tỷ đồng", "hoàn thành xuất sắc"}
	pledges := make([]thidua.PledgeDraft, 20)
	for i := range pledges {
		s := fmt.Sprintf("Nội dung thi đua số %d | %s | %02d/%02d", i+1, targets[i%len(targets)], 10+i%18, 1+i%12)
		pledges[i], err = thidua.ParsePledge(s, b.Year, hcm)
		must(err)
	}
	for i, u := range b.Units {
		_, err := b.AddPledges(Admin, u.ID, pledges, start)
		must(err)
		if i < 5 {
			_, err = b.SubmitPledges(Admin, u.ID, start)
			must(err)
		}
	}

	var periods []thidua.PeriodDraft
	for _, s := range []string{"Quý I | 31/03", "6 tháng | 15/06", "9 tháng | 15/09", "Năm | 20/11"} {
		p, err := thidua.ParsePeriod(s, b.Year, hcm)
		must(err)
		periods = append(periods, p)
	}
	added, err := b.AddPeriods(Admin, periods, start)
	must(err)
	for k, p := range added {
		for i, rep := range reps {
			_, err := b.SubmitReport(rep, b.Units[i].ID, p.ID, ReportLines(b, b.Units[i].ID, k+1), p.Due.Add(-time.Duration(i)*time.Hour))
			must(err)
		}
	}

	_, err = b.AddDeadline(Admin, day(time.November, 25).Add(17*time.Hour), "Nộp báo cáo tổng kết năm", day(time.November, 2))
	must(err)
	opened := day(time.November, 16).Add(9 * time.Hour)
	e, err := b.OpenElection(Admin, thidua.ElectionSpec{Role: thidua.RoleLeader, CloseAt: day(time.November, 27).Add(17 * time.Hour)}, opened)
	must(err)
	for i := range 3 {
		_, err := b.Vote(reps[i], e.ID, e.Candidates[i%2], fmt.Sprintf("Y%04d", i), opened.Add(time.Hour))
		must(err)
	}
	for _, ds := range b.DueSlots(YearEndVoting) {
		b.MarkSlot(ds.Deadline, ds.Slot.ID, thidua.SlotSent, ds.Slot.At)
	}
	b.TakeEvents()
	b.TakeChangedReports()
	return b, reps
}

// ReportLines returns a report on every pledge of the unit, as a unit
// reports at the n-th period: a fifth of each target per period, more or
// less.
func ReportLines(b *thidua.Block, unitID string, n int) []thidua.ReportLine {
	pledges := b.RegistrationOf(unitID).Pledges
	lines := make([]thidua.ReportLine, len(pledges))
	for i, p := range pledges {
		v := thidua.Value{Number: float64(20 * n), Percent: true}
		if p.Target.Number != nil {
			v = thidua.Value{Number: *p.Target.Number * float64(n+i%3) / 5}
		}
		lines[i] = thidua.ReportLine{No: i + 1, Value: v}
	}
	return lines
}
