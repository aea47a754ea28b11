package thidua

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"
)

// A year-end block turns to 2027 once 30/11 has passed and its election
// is settled and announced: the units, representatives, criteria,
// reminder settings and deadlines to come stay, the elected leader takes
// office, and the year's pledges, periods, reports and elections go.
func TestStartYear(t *testing.T) {
	b, reps := yearEndBlock(t, time.Time{})
	c, err := ParseCriterion("Tổ chức phong trào | 50")
	must(t, err)
	_, err = b.AddCriteria(admin, []CriterionDraft{c}, t0)
	must(t, err)
	_, err = b.SelfScore(admin, b.Units[0].ID, scoreLines(t, "1 40"), t0)
	must(t, err)
	_, err = b.ProposeAward(admin, "Bằng khen của UBND tỉnh", []string{b.Units[0].ID}, t0)
	must(t, err)
	err = b.SetReminders(admin, ReminderSettings{Days: []int{5, 1}, At: ClockOf(9 * time.Hour), QuietFrom: ClockOf(21 * time.Hour), QuietTo: ClockOf(7 * time.Hour)}, t0)
	must(t, err)
	e := b.OpenElections()[0]
	mustVote(t, b, reps[3], e.ID, e.Candidates[0])
	mustVote(t, b, reps[4], e.ID, e.Candidates[0])
	units, reminders := slices.Clone(b.Units), b.Schedule.Reminders
	dec1 := at(2026, 12, 1, 9, 0)
	_, err = b.AddDeadline(admin, at(2027, 1, 15, 17, 0), "Nộp dự thảo đăng ký thi đua 2027", at(2026, 11, 20, 9, 0))
	must(t, err)
	b.TakeEvents()

	for _, tc := range []struct {
		name string
		a    Actor
		now  time.Time
		want error
	}{
		{"before the year is over", admin, at(2026, 11, 30, 23, 59), ErrYearNotOver},
		{"while the election is open", admin, dec1, ErrVoteUnderway},
		{"by a representative of an ordinary unit", reps[0], dec1, ErrForbidden},
	} {
		if _, err := b.StartYear(tc.a, tc.now); !errors.Is(err, tc.want) {
			t.Errorf("%s: StartYear = %v, want %v", tc.name, err, tc.want)
		}
	}
	closings := b.CloseDueElections(dec1)
	if len(closings) != 1 || closings[0].Election.State != ElectionWon {
		t.Fatalf("closing the election: %+v", closings)
	}
	if _, err := b.StartYear(admin, dec1); !errors.Is(err, ErrVoteUnderway) {
		t.Errorf("with the result not posted yet: StartYear = %v", err)
	}
	must(t, b.MarkAnnounced(e.ID))
	winner := b.ElectedFor(RoleLeader).UnitID
	b.TakeEvents()
	b.TakeChangedReports()
	var reported []ReportKey
	for _, r := range b.Results.Reports {
		reported = append(reported, r.Key())
	}

	turn, err := b.StartYear(admin, dec1)
	must(t, err)
	if turn.From != 2026 || turn.To != 2027 || len(turn.Elected) != 1 || turn.Criteria != 1 || turn.Deadlines != 1 {
		t.Errorf("turn = %+v", turn)
	}
	if b.Year != 2027 || b.LeaderUnit != winner {
		t.Errorf("year %d, leader %q; want 2027 and the elected %q", b.Year, b.LeaderUnit, winner)
	}
	if !reflect.DeepEqual(b.Units, units) || len(b.Reps) != len(reps) || len(b.Registration.Criteria) != 1 || !reflect.DeepEqual(b.Schedule.Reminders, reminders) {
		t.Errorf("the units, representatives, criteria or reminders changed: %+v", b)
	}
	if len(b.Registration.Units) != 0 || b.Registration.Covenant != nil || len(b.Registration.Scores) != 0 || len(b.Registration.Proposals) != 0 || len(b.Results.Periods) != 0 || len(b.Results.Reports) != 0 || len(b.Elections.List) != 0 || len(b.Elections.Elected) != 0 {
		t.Errorf("the finished year's work stayed: registration %+v, results %+v, elections %+v", b.Registration, b.Results, b.Elections)
	}
	if len(b.Schedule.Custom) != 1 || b.Schedule.Custom[0].Title != "Nộp dự thảo đăng ký thi đua 2027" {
		t.Errorf("deadlines kept: %+v", b.Schedule.Custom)
	}
	if got := actions(b.TakeEvents()); !slices.Equal(got, []string{"role.leader", "year.start"}) {
		t.Errorf("events = %v", got)
	}
	if got := b.TakeChangedReports(); len(reported) == 0 || !slices.Equal(got, reported) {
		t.Errorf("reports noted as changed = %v, want every report, %v", got, reported)
	}
	if ds := b.Deadlines(t0); len(ds) != 2 || ds[0].Kind != KindCustom || ds[1].Kind != KindFinal || ds[1].Due.Year() != 2027 {
		t.Errorf("deadlines of the new year = %+v", ds)
	}
	if _, err := b.StartYear(admin, dec1); !errors.Is(err, ErrYearNotOver) {
		t.Errorf("turning twice: StartYear = %v", err)
	}
}

// A period whose reports are due after 30/11 (the year's report due in
// January) holds the turn back until its deadline has passed: the turn
// would drop the period before the reports come.
func TestStartYearWaitsForReportsStillDue(t *testing.T) {
	b := reporting(t)
	addPeriods(t, b, "Cả năm | 15/01/2027")
	if _, err := b.StartYear(admin, at(2026, 12, 1, 9, 0)); !errors.Is(err, ErrReportsDue) {
		t.Fatalf("StartYear with the year's report due on 15/01 = %v", err)
	}
	if due := b.PeriodsStillDue(at(2027, 1, 15, 23, 0)); len(due) != 1 || due[0].Name != "Cả năm" {
		t.Fatalf("periods still due on 15/01 = %+v", due)
	}
	if _, err := b.StartYear(admin, at(2027, 1, 16, 0, 0)); err != nil || b.Year != 2027 {
		t.Fatalf("StartYear once the deadline has passed = %v, year %d", err, b.Year)
	}
}
