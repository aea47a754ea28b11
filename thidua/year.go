package thidua

import (
	"slices"
	"strconv"
	"time"
)

// This file holds the turn of a block to its next emulation year: the
// year's work is done by 30/11, the year-end conference elects next year's
// leader and deputy, and the same group goes on with the same units.

// Errors of the turn of a year.
var (
	ErrYearNotOver  = newErr("year_not_over", "the block's year has not ended")
	ErrVoteUnderway = newErr("vote_underway", "an election is open, awaits a decision, or its result is still to be posted")
	ErrReportsDue   = newErr("reports_due", "a reporting period's deadline is still ahead")
)

// YearTurn says what StartYear did, for its answer.
type YearTurn struct {
	// From and To are the finished year and the new one.
	From, To int
	// Elected lists the offices the year's elections filled for the new
	// year, which the units took up.
	Elected []Elected
	// Criteria is how many scoring criteria the new year keeps.
	Criteria int
	// Deadlines is how many of the managers' deadlines, still to come, the
	// new year keeps.
	Deadlines int
}

// YearEnds returns when the block's year is over for StartYear: the
// midnight after its final deadline day, 30/11, in the block's time zone.
func (b *Block) YearEnds() time.Time {
	return time.Date(b.Year, time.December, 1, 0, 0, 0, 0, b.Location())
}

// CanStartYear checks that the actor may turn the block to its next year
// now (see StartYear), and returns ErrForbidden, ErrYearNotOver,
// ErrVoteUnderway or ErrReportsDue (a period's reports are due after 30/11,
// the year's report due in January say, and still on time: the turn would
// drop the period before they come) if not.
func (b *Block) CanStartYear(a Actor, now time.Time) error {
	if !b.CanManage(a) {
		return ErrForbidden
	}
	if now.Before(b.YearEnds()) {
		return ErrYearNotOver
	}
	for _, e := range b.Elections.List {
		if e.State == ElectionOpen || e.State == ElectionTied || e.AnnouncePending {
			return ErrVoteUnderway
		}
	}
	if len(b.PeriodsStillDue(now)) > 0 {
		return ErrReportsDue
	}
	return nil
}

// PeriodsStillDue returns the reporting periods whose reports are still on
// time at now, earliest deadline first.
func (b *Block) PeriodsStillDue(now time.Time) []Period {
	var out []Period
	for _, p := range b.Periods() {
		if now.Before(b.PeriodEnd(p)) {
			out = append(out, p)
		}
	}
	return out
}

// StartYear turns the block to its next year, once the year is over, no
// election is under way and no period's reports are still due; only
// managers may. The units, their
// representatives and pending join requests, the reminder settings and
// the time zone stay; the units elected for the new year take up their
// offices (the others stay with their units); the scoring criteria stay,
// for the leader to revise; the managers' deadlines still to come stay.
// Everything else of the finished year goes: pledges, the covenant,
// reporting periods, reports and drafts, elections (the new year numbers
// its lists' submissions and covenant posts after the finished year's, so
// that the buttons of its messages act on nothing new). The store keeps the
// finished year's document (storage.Store.ArchiveYear) and its history; the
// turn is recorded as "year.start". It returns the errors of CanStartYear.
func (b *Block) StartYear(a Actor, now time.Time) (YearTurn, error) {
	if err := b.CanStartYear(a, now); err != nil {
		return YearTurn{}, err
	}
	turn := YearTurn{From: b.Year, To: b.Year + 1}
	for _, el := range b.Elections.Elected {
		if el.Year == turn.To && b.Unit(el.UnitID) != nil {
			turn.Elected = append(turn.Elected, el)
		}
	}
	// The leader first: an elected leader who was the deputy leaves that
	// office before the elected deputy takes it.
	slices.SortStableFunc(turn.Elected, func(x, y Elected) int {
		return boolRank(x.Role != RoleLeader) - boolRank(y.Role != RoleLeader)
	})
	for _, el := range turn.Elected {
		b.assignRole(a, el.Role, el.UnitID, now)
	}

	for _, r := range b.Results.Reports {
		b.reportsChange(r.Key())
	}
	numbered := b.Registration.Numbered
	for _, u := range b.Registration.Units {
		numbered = max(numbered, u.Round)
	}
	if c := b.Registration.Covenant; c != nil {
		numbered = max(numbered, c.Post)
	}
	b.Registration = Registration{Criteria: b.Registration.Criteria, Numbered: numbered}
	b.Results = Results{}
	b.Elections = Elections{}
	b.ReportMessages = ReportMessages{}
	s := &b.Schedule
	s.Custom = b.DeadlinesToCome(now)
	s.Handled = slices.DeleteFunc(slices.Clone(s.Handled), func(h HandledSlot) bool {
		return !slices.ContainsFunc(s.Custom, func(c CustomDeadline) bool { return CustomKey(c.No) == h.Deadline })
	})
	turn.Criteria, turn.Deadlines = len(b.Registration.Criteria), len(s.Custom)

	b.Year = turn.To
	b.record(a, now, "year.start", "", strconv.Itoa(turn.From), strconv.Itoa(turn.To))
	return turn, nil
}

// DeadlinesToCome returns the managers' deadlines due after now, which the
// next year keeps (see StartYear).
func (b *Block) DeadlinesToCome(now time.Time) []CustomDeadline {
	return slices.DeleteFunc(slices.Clone(b.Schedule.Custom), func(c CustomDeadline) bool { return !c.Due.After(now) })
}

// NextHolder returns the unit that will hold the office once the block
// turns to its next year (StartYear), "" for none, and whether it was
// elected to it: the unit elected to it for the next year, or else the one
// holding it now, unless that unit was elected to the other office, which
// it then leaves.
func (b *Block) NextHolder(role Role) (unitID string, elected bool) {
	next := func(role Role) *Elected {
		if el := b.ElectedFor(role); el != nil && el.Year == b.Year+1 && b.Unit(el.UnitID) != nil {
			return el
		}
		return nil
	}
	if el := next(role); el != nil {
		return el.UnitID, true
	}
	current, other := b.LeaderUnit, RoleDeputy
	if role == RoleDeputy {
		current, other = b.DeputyUnit, RoleLeader
	}
	if el := next(other); el != nil && el.UnitID == current {
		return "", false
	}
	return current, false
}

// YearLeftover is what of the block's year is left undone that the turn
// to the next year (StartYear) closes for good, nothing of it being
// recorded after: see Leftover.
type YearLeftover struct {
	// Unagreed lists the units the block has agreed no score for, and
	// Partial those it agreed on for some criteria only, in the units'
	// order; both are empty for a block without criteria, whose units
	// cannot be scored.
	Unagreed, Partial []string
	// NoProposals is true when the block, having units, proposes none for
	// an award.
	NoProposals bool
	// Unreported lists the reporting periods some units never reported for,
	// in period order.
	Unreported []PeriodUnreported
}

// PeriodUnreported is a reporting period and the units that never reported
// for it.
type PeriodUnreported struct {
	Period  Period
	UnitIDs []string
}

// Empty reports whether nothing is left undone.
func (y YearLeftover) Empty() bool {
	return len(y.Unagreed) == 0 && len(y.Partial) == 0 && !y.NoProposals && len(y.Unreported) == 0
}

// Leftover returns what of the year is left undone that the turn to the
// next year closes: the review (agreed scores, award proposals) and the
// reports never sent, which a unit may send late until the turn.
func (b *Block) Leftover() YearLeftover {
	var y YearLeftover
	if len(b.Registration.Criteria) > 0 {
		for _, u := range b.Units {
			switch t := b.StandingOf(u.ID).Reviewed; {
			case t.scored == 0:
				y.Unagreed = append(y.Unagreed, u.ID)
			case !t.Complete():
				y.Partial = append(y.Partial, u.ID)
			}
		}
	}
	y.NoProposals = len(b.Units) > 0 && len(b.Registration.Proposals) == 0
	for _, p := range b.Results.Periods {
		if ids := b.UnitsMissingReport(p.ID); len(ids) > 0 {
			y.Unreported = append(y.Unreported, PeriodUnreported{Period: p, UnitIDs: ids})
		}
	}
	return y
}

// boolRank is 1 for true and 0 for false, to order by a condition.
func boolRank(v bool) int {
	if v {
		return 1
	}
	return 0
}
