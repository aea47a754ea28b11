package thidua

import (
	"slices"
	"time"
)

// NextDue returns the earliest time at which the scheduler must act on the
// block (close an election, send a reminder, post an announcement the bot
// could not post when it was due), or the zero time when nothing is
// scheduled. Storage keeps a due index from it, written in the same
// transaction as the block, so a scheduler tick costs time in proportion to
// what is due rather than to the number of blocks. It must depend only on the
// block's state, and what it reads of the parts other than the schedule must
// be compared by KeepsDue.
func (b *Block) NextDue() time.Time {
	var next time.Time
	for _, t := range []time.Time{
		// Each feature with timed work adds its next due time here.
		b.nextReminderDue(),
		b.nextElectionDue(),
		b.nextCovenantDue(),
	} {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	return next
}

// KeepsDue reports whether b, changed from base in its core and in the
// parts in changed only (its other parts being base's), certainly has
// base's NextDue, because nothing that NextDue reads differs between them.
// Storage uses it to skip computing NextDue again after the frequent
// changes that cannot move it: a report, a ballot that does not close its
// election.
//
// NextDue reads of the core only the year and the creation time (the
// year's final deadline), and of the parts:
//   - the whole schedule: the time zone, the reminder settings, the
//     deadlines of the block's own and the slots handled. KeepsDue does not
//     compare it: a change of the schedule never keeps the due time;
//   - of the registration, whether it is open, its due date and when it was
//     opened, each unit's opening alone that has a due date, and the
//     covenant's due date and opening (see
//     registrationDeadlines, covenantDeadlines), whether its completion
//     awaits announcing and when it was completed (see nextCovenantDue);
//   - of each election, its id, state, opening, closing and closed times,
//     and whether its result awaits announcing (see electionDeadlines,
//     nextElectionDue);
//   - of the results, each period's id, deadline and the time it was added
//     (see periodDeadlines), nothing of the reports and drafts;
//   - nothing of the report messages.
func (b *Block) KeepsDue(base *Block, changed Part) bool {
	switch {
	case b.Year != base.Year || !b.CreatedAt.Equal(base.CreatedAt):
		return false
	case changed&PartSchedule != 0:
		return false
	case changed&PartRegistration != 0 && !b.Registration.keepsDue(&base.Registration):
		return false
	case changed&PartElections != 0 && !b.Elections.keepsDue(&base.Elections):
		return false
	case changed&PartResults != 0 && !b.Results.keepsDue(&base.Results):
		return false
	}
	return true
}

// keepsDue reports whether the registration has o's due date and opening
// time, the same units' openings alone with a deadline, with their due
// dates and opening times, and o's covenant's (see KeepsDue).
func (r *Registration) keepsDue(o *Registration) bool {
	return r.Open == o.Open && r.Due.Equal(o.Due) && sameTime(r.Opened, o.Opened) &&
		slices.Equal(openings(r.Units), openings(o.Units)) && r.Covenant.keepsDue(o.Covenant)
}

// unitOpening is what NextDue reads of registration opened for a unit alone.
type unitOpening struct {
	unitID      string
	due, opened time.Time
}

// openings returns the openings for units alone among units that have a
// deadline, in order, as NextDue reads them (see registrationDeadlines),
// their times in UTC so that equal instants compare equal.
func openings(units []UnitRegistration) []unitOpening {
	var out []unitOpening
	for _, u := range units {
		if o := u.Opening; o != nil && !o.Due.IsZero() {
			out = append(out, unitOpening{u.UnitID, o.Due.UTC(), o.Opened.At.UTC()})
		}
	}
	return out
}

// keepsDue reports whether the covenant, nil if not opened, has o's due
// date and opening time, and o's pending announcement and completion time.
func (c *Covenant) keepsDue(o *Covenant) bool {
	if c == nil || o == nil {
		return c == o
	}
	return c.Due.Equal(o.Due) && c.Opened.At.Equal(o.Opened.At) &&
		c.AnnouncePending == o.AnnouncePending && c.CompletedAt.Equal(o.CompletedAt)
}

// sameTime reports whether a and b are both nil or both of the same time.
func sameTime(a, b *Attribution) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.At.Equal(b.At)
}

// keepsDue reports whether the elections are o's in what NextDue reads of
// them (see KeepsDue).
func (e *Elections) keepsDue(o *Elections) bool {
	if len(e.List) != len(o.List) {
		return false
	}
	for i := range e.List {
		x, y := &e.List[i], &o.List[i]
		if x.ID != y.ID || x.State != y.State || x.AnnouncePending != y.AnnouncePending ||
			!x.OpenedAt.Equal(y.OpenedAt) || !x.CloseAt.Equal(y.CloseAt) || !x.ClosedAt.Equal(y.ClosedAt) {
			return false
		}
	}
	return true
}

// keepsDue reports whether the periods are o's in what NextDue reads of
// them (see KeepsDue).
func (res *Results) keepsDue(o *Results) bool {
	if len(res.Periods) != len(o.Periods) {
		return false
	}
	for i := range res.Periods {
		x, y := &res.Periods[i], &o.Periods[i]
		if x.ID != y.ID || !x.Due.Equal(y.Due) || !x.Added.At.Equal(y.Added.At) {
			return false
		}
	}
	return true
}
