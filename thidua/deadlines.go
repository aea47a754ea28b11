package thidua

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// This file holds deadlines and the reminders about them. Every feature with
// a deadline (the year's final one, the covenant, report periods, elections,
// the leader's own deadlines) contributes Deadline values computed from the
// block's state, each naming the units that still owe something for it. The
// reminder slots follow from the deadlines, the block's reminder settings
// and the record of slots already handled, so the whole schedule is a pure
// function of the block and nothing is ever sent twice.

// DefaultZone is the time zone of a block's schedule until one is adopted
// (see AdoptZone): the province's, UTC+7 without daylight saving time.
const DefaultZone = "Asia/Ho_Chi_Minh"

// DeadlineClock is the time of day a deadline falls due when none is given,
// and the time of the year's final deadline: 17:00, the end of the working
// day in provincial offices.
const DeadlineClock = 17 * time.Hour

// Bounds of the schedule.
const (
	// MaxCustomDeadlines is the most deadlines of their own a block keeps,
	// past ones included, so that the document stays small.
	MaxCustomDeadlines = 100
	// MaxReminderDays is the most days before a deadline a reminder may go out.
	MaxReminderDays = 60
	// MaxReminderOffsets is the most reminders per deadline (overdue notice aside).
	MaxReminderOffsets = 10
	// minOverdueWindow is the shortest waking time an overdue notice is
	// given: one that would have less, before quiet hours or midnight, goes
	// out at the next reminder time instead.
	minOverdueWindow = time.Hour
	// deadlineHorizon is how far ahead a deadline may be set.
	deadlineHorizon = 2 // years
)

// Errors of deadlines and reminders.
var (
	ErrDeadlineNotFound = newErr("deadline_not_found", "no deadline with this number")
	ErrDeadlineTitle    = newErr("deadline_title", "the deadline's description is empty, too long or without a letter")
	ErrDeadlinePast     = newErr("deadline_past", "the deadline is not in the future")
	ErrDeadlineTooFar   = newErr("deadline_too_far", "the deadline is more than two years ahead")
	ErrTooManyDeadlines = newErr("too_many_deadlines", "the block has too many deadlines")
	ErrAlreadyDone      = newErr("already_done", "the unit has already marked this deadline done")
	ErrReminderDays     = newErr("reminder_days", "reminder days must be whole numbers of days from 0 to 60, at most 10 of them")
	ErrReminderQuiet    = newErr("reminder_in_quiet_hours", "the reminder time falls in the quiet hours")
	ErrNothingOwed      = newErr("nothing_owed", "no unit owes anything for this deadline")
)

// SystemActor is the actor of the changes the bot makes on its own, such as
// recording that a reminder went out.
var SystemActor = Actor{Name: "thiduabot"}

// Schedule is a block's deadlines and reminder state. Its zero value means
// no deadlines of the block's own, default reminder settings, the default
// time zone and no reminder sent yet.
type Schedule struct {
	// Zone is the IANA name of the block's time zone; empty means DefaultZone.
	Zone string `json:"zone,omitempty"`
	// Reminders are the block's reminder settings; nil means the defaults.
	Reminders *ReminderSettings `json:"reminders,omitempty"`
	// Custom are the deadlines the block's managers set.
	Custom []CustomDeadline `json:"custom,omitempty"`
	// LastNo is the number of the last custom deadline; numbers are never reused.
	LastNo int `json:"last_no,omitempty"`
	// Handled records the reminder slots already dealt with.
	Handled []HandledSlot `json:"handled,omitempty"`
	// Away records who removed the bot from the block's group, or
	// restricted it from sending messages there, and when, while it is out
	// of it or may not post there; nil while the bot is in the group and
	// may post (see BotRemoved, BotRestricted).
	Away *Attribution `json:"away,omitempty"`
	// Muted is set, with Away, while the bot is in the group but may not
	// send messages there (see BotRestricted), rather than out of it.
	Muted bool `json:"muted,omitempty"`
	// MutedUntil is, while Muted, when the restriction ends by itself (the
	// end an administrator gave it), which Telegram does not tell the bot:
	// from then on the scheduler posts again (see BotAwayAt). Zero for a
	// restriction without end, or one the bot learnt of by a refusal.
	MutedUntil time.Time `json:"muted_until,omitzero"`
	// TopicsOff is when the bot learnt that the block's group turned its
	// topics off (Telegram refused its home topic, and said the group has
	// no topics); zero while it knows of none, and again once a message
	// from the group showed them on (see NoteTopics). Meanwhile the bot
	// posts in General, keeping its home topic for when they are back
	// (see HomeThread).
	TopicsOff time.Time `json:"topics_off,omitzero"`
	// GeneralClosed is when the bot learnt that the General topic of the
	// block's group is closed (or hidden, which closes it) to it, from
	// Telegram's refusal of a post there (the notice that closed it does
	// not tell: a bot that manages topics still posts there); zero while
	// it knows it open (see NoteGeneral), and while the group's topics
	// are off (see NoteTopics). While General is where the bot posts (see
	// GeneralHomeClosed), the scheduler posts nothing, as while the bot is
	// away.
	GeneralClosed time.Time `json:"general_closed,omitzero"`
	// GeneralClosedTold is set once the bot told the group's managers that
	// General, where it posts, is closed (see TellGeneralClosed).
	GeneralClosedTold bool `json:"general_closed_told,omitempty"`
}

// CustomDeadline is a deadline a manager set (/deadline). Every unit owes it
// until one of its representatives marks it done.
type CustomDeadline struct {
	No            int        `json:"no"`
	Title         string     `json:"title"`
	Due           time.Time  `json:"due"`
	CreatedBy     int64      `json:"created_by"`
	CreatedByName string     `json:"created_by_name"`
	CreatedAt     time.Time  `json:"created_at"`
	Done          []DoneMark `json:"done,omitempty"`
}

// DoneMark records that a unit has done its part for a custom deadline.
type DoneMark struct {
	UnitID string    `json:"unit_id"`
	By     int64     `json:"by"`
	ByName string    `json:"by_name"`
	At     time.Time `json:"at"`
}

// SlotOutcome is what became of a reminder slot.
type SlotOutcome string

// The outcomes of a reminder slot.
const (
	SlotSent    SlotOutcome = "sent"    // the reminder went out
	SlotSkipped SlotOutcome = "skipped" // its time passed while the bot was not running
	SlotNobody  SlotOutcome = "nobody"  // no unit owed anything: nothing was sent
	SlotByHand  SlotOutcome = "by_hand" // a manager sent the day's reminder by hand (/remindnow)
	SlotAway    SlotOutcome = "away"    // the bot was not in the block's group: nothing was sent
	SlotClosed  SlotOutcome = "closed"  // General, where the bot posts, was closed: nothing was sent
)

// HandledSlot records that the slot of a deadline was dealt with.
type HandledSlot struct {
	Deadline string      `json:"deadline"`
	Slot     string      `json:"slot"`
	Outcome  SlotOutcome `json:"outcome"`
	At       time.Time   `json:"at"`
}

// DeadlineKind tells what a deadline is about; handlers word each kind in
// the reader's language.
type DeadlineKind string

// The kinds of deadlines.
const (
	KindFinal  DeadlineKind = "final"  // the year's final deadline (30/11)
	KindCustom DeadlineKind = "custom" // a deadline a manager set
)

// Deadline is one deadline of the block as its state stands, with the units
// that still owe something for it.
type Deadline struct {
	// Key identifies the deadline stably: "final", "custom:<no>", ...
	Key  string
	Kind DeadlineKind
	// No is the number users type for a custom deadline, 0 for other kinds.
	No int
	// Title says what is due, in Vietnamese, as the history keeps it (a
	// reminder's entry); handlers word the deadlines of the year's features
	// in the reader's language from their Kind and Subject instead, and
	// show a custom deadline's title as typed.
	Title string
	// Subject says which deadline of its kind it is: for KindPeriod the
	// name of the reporting period, for KindElection the office, the year
	// and the round of the election, for KindRegistration the unit it was
	// opened for alone, if so.
	Subject DeadlineSubject
	Due     time.Time
	// Since is when the deadline became known: no reminder is scheduled
	// before it. Zero means no limit.
	Since time.Time
	// Owing lists the units that have not done their part, in the order of
	// the block's units.
	Owing []Owing
}

// DeadlineSubject is what a deadline of the year's features is about,
// beyond its kind (see Deadline.Subject). The final deadline's year is
// that of its Due.
type DeadlineSubject struct {
	// Period is the name of a reporting period, as typed.
	Period string
	// Role, Year and Round are the office an election fills, the year it
	// fills it for, and the election's round (1, or more for a runoff).
	Role  Role
	Year  int
	Round int
	// Unit is the name of the unit registration was opened for alone (see
	// OpenRegistrationAlone), for its KindRegistration deadline.
	Unit string
}

// Owing is a unit that still owes something for a deadline, and what.
type Owing struct {
	UnitID string
	// Debts say what the unit still owes, in order; none when the
	// deadline's title says it all (a custom deadline).
	Debts []Debt
}

// DebtKind is a kind of thing a unit may owe; handlers word each kind in
// the reader's language.
type DebtKind string

// The kinds of debts.
const (
	DebtPledges  DebtKind = "pledges"  // it has registered no pledge
	DebtSubmit   DebtKind = "submit"   // it has not submitted its list
	DebtReturned DebtKind = "returned" // its list was returned, to correct and submit again
	DebtSign     DebtKind = "sign"     // it has not signed the covenant
	DebtVote     DebtKind = "vote"     // it has not voted in an election (Debt.Role)
	DebtReport   DebtKind = "report"   // it has not reported for a period (Debt.Name)
	DebtPace     DebtKind = "pace"     // its measurable targets are behind the year's pace
	DebtDeadline DebtKind = "deadline" // it has not done a custom deadline (Debt.Name)
)

// Debt is one thing a unit owes.
type Debt struct {
	Kind DebtKind
	// Name is what a DebtReport or a DebtDeadline is about, as typed: the
	// reporting period's name, the custom deadline's title.
	Name string
	// Role is the office of the election a DebtVote is owed in.
	Role Role
}

// Passed reports whether the deadline has passed at now.
func (d Deadline) Passed(now time.Time) bool { return !now.Before(d.Due) }

// Deadlines returns the block's deadlines, earliest first (ties by key),
// with the units that owe each at now: the year's final deadline names the
// units whose targets are behind the pace at now (see finalDeadline).
func (b *Block) Deadlines(now time.Time) []Deadline { return b.deadlines(true, now) }

// deadlines returns the block's deadlines, earliest first (ties by key),
// with who owes each at now. With owing false, the deadlines are the same
// but their Owing is left nil and nothing is computed for it (now is not
// used then): a reminder slot depends only on the deadline's Key, Due and
// Since (see Slots), so scheduling (NextDue) and pruning the handled slots
// take this cheap path. Each contributor takes owing and decides whether a
// deadline exists the same way either way.
func (b *Block) deadlines(owing bool, now time.Time) []Deadline {
	var out []Deadline
	for _, f := range []func(owing bool) []Deadline{
		b.customDeadlines,
		b.registrationDeadlines,
		b.covenantDeadlines,
		b.electionDeadlines,
		b.periodDeadlines,
		// Each feature with a deadline adds its function here.
	} {
		out = append(out, f(owing)...)
	}
	out = append(out, b.finalDeadline(out, owing, now))
	slices.SortStableFunc(out, func(x, y Deadline) int {
		if c := x.Due.Compare(y.Due); c != 0 {
			return c
		}
		return strings.Compare(x.Key, y.Key)
	})
	return out
}

// Deadline returns the deadline with this key, with who owes it at now.
func (b *Block) Deadline(key string, now time.Time) (Deadline, bool) {
	return b.deadline(key, true, now)
}

// deadline returns the deadline with this key, with its Owing at now only
// if owing is true (see deadlines).
func (b *Block) deadline(key string, owing bool, now time.Time) (Deadline, bool) {
	for _, d := range b.deadlines(owing, now) {
		if d.Key == key {
			return d, true
		}
	}
	return Deadline{}, false
}

// finalDeadline is the year's final deadline, 30/11 at DeadlineClock: "hoàn
// thành toàn diện các chỉ tiêu năm". A unit owes it while it owes anything
// for another deadline of the year (others, due by the end of 30/11: the
// year's report due that day counts, although it is on time until 23:59),
// or while its measurable targets are behind the pace that meets them by
// then at now (see BehindPace; at the deadline, once it has passed), the
// reason naming what. Without owing, its Owing is left nil (see deadlines).
func (b *Block) finalDeadline(others []Deadline, owing bool, now time.Time) Deadline {
	day := time.Date(b.Year, time.November, 30, 0, 0, 0, 0, b.Location())
	due := day.Add(DeadlineClock)
	final := Deadline{
		Key: "final", Kind: KindFinal, Due: due, Since: b.CreatedAt,
		Title: fmt.Sprintf("Hoàn thành toàn diện các chỉ tiêu năm %d", b.Year),
	}
	if !owing {
		return final
	}
	debts := map[string][]Debt{}
	pace := now
	if pace.After(due) {
		pace = due
	}
	others = append(others, Deadline{Due: due, Owing: b.behindPaceOwing(pace)})
	dayEnd := day.AddDate(0, 0, 1)
	for _, d := range others {
		if !d.Due.Before(dayEnd) {
			continue
		}
		for _, o := range d.Owing {
			if len(o.Debts) == 0 {
				o.Debts = []Debt{{Kind: DebtDeadline, Name: d.Title}}
			}
			debts[o.UnitID] = append(debts[o.UnitID], o.Debts...)
		}
	}
	for _, u := range b.Units {
		if ds := debts[u.ID]; len(ds) > 0 {
			final.Owing = append(final.Owing, Owing{UnitID: u.ID, Debts: ds})
		}
	}
	return final
}

// customDeadlines are the managers' deadlines. Every unit owes each until
// it marks it done, but one that joined the block once it had passed (see
// owedBy); without owing, Owing is left nil (see deadlines).
func (b *Block) customDeadlines(owing bool) []Deadline {
	out := make([]Deadline, 0, len(b.Schedule.Custom))
	for _, c := range b.Schedule.Custom {
		d := Deadline{Key: CustomKey(c.No), Kind: KindCustom, No: c.No, Title: c.Title, Due: c.Due, Since: c.CreatedAt}
		if owing {
			for _, u := range b.Units {
				if c.owedBy(u) && !c.doneBy(u.ID) {
					d.Owing = append(d.Owing, Owing{UnitID: u.ID})
				}
			}
		}
		out = append(out, d)
	}
	return out
}

// CustomKey is the key of custom deadline no.
func CustomKey(no int) string { return "custom:" + strconv.Itoa(no) }

// owedBy reports whether the unit owes the deadline: unless it joined the
// block once the deadline had passed, the deadline set already, as a unit
// owes no report for a period past before it joined (see
// Block.ReportOwed).
func (c *CustomDeadline) owedBy(u Unit) bool {
	return u.AddedAt.Before(c.Due) || !u.AddedAt.After(c.CreatedAt)
}

func (c *CustomDeadline) doneBy(unitID string) bool {
	for _, m := range c.Done {
		if m.UnitID == unitID {
			return true
		}
	}
	return false
}

// Custom returns the custom deadline with this number, or nil.
func (b *Block) Custom(no int) *CustomDeadline {
	for i := range b.Schedule.Custom {
		if b.Schedule.Custom[i].No == no {
			return &b.Schedule.Custom[i]
		}
	}
	return nil
}

// AddDeadline adds a deadline of the block's own: every unit owes it until
// it marks it done. Only managers add deadlines. It returns ErrForbidden,
// ErrDeadlineTitle, ErrDeadlinePast (due not after now), ErrDeadlineTooFar
// (more than two years ahead) or ErrTooManyDeadlines.
func (b *Block) AddDeadline(a Actor, due time.Time, title string, now time.Time) (CustomDeadline, error) {
	if !b.CanManage(a) {
		return CustomDeadline{}, ErrForbidden
	}
	title, err := CleanName(title)
	if err != nil {
		return CustomDeadline{}, ErrDeadlineTitle
	}
	switch {
	case !due.After(now):
		return CustomDeadline{}, ErrDeadlinePast
	case due.After(now.AddDate(deadlineHorizon, 0, 0)):
		return CustomDeadline{}, ErrDeadlineTooFar
	case len(b.Schedule.Custom) >= MaxCustomDeadlines:
		return CustomDeadline{}, ErrTooManyDeadlines
	}
	b.Schedule.LastNo++
	c := CustomDeadline{No: b.Schedule.LastNo, Title: title, Due: due, CreatedBy: a.UserID, CreatedByName: a.Name, CreatedAt: now}
	b.Schedule.Custom = append(b.Schedule.Custom, c)
	b.record(a, now, "deadline.add", "", "", c.describe(b.Location()))
	return c, nil
}

// describe sums a custom deadline up for the history: "#3 Title (dd/mm/yyyy HH:MM)".
func (c CustomDeadline) describe(loc *time.Location) string {
	return fmt.Sprintf("#%d %s (%s)", c.No, c.Title, FormatDateTime(c.Due, loc))
}

// DeleteDeadline removes a custom deadline with the record of its
// reminders. Only managers delete deadlines. It returns ErrForbidden or
// ErrDeadlineNotFound.
func (b *Block) DeleteDeadline(a Actor, no int, now time.Time) (CustomDeadline, error) {
	if !b.CanManage(a) {
		return CustomDeadline{}, ErrForbidden
	}
	c := b.Custom(no)
	if c == nil {
		return CustomDeadline{}, ErrDeadlineNotFound
	}
	gone := *c
	kept := b.Schedule.Custom[:0]
	for _, o := range b.Schedule.Custom {
		if o.No != no {
			kept = append(kept, o)
		}
	}
	b.Schedule.Custom = kept
	b.pruneHandled()
	b.record(a, now, "deadline.delete", "", gone.describe(b.Location()), "")
	return gone, nil
}

// MarkDone records that a unit has done its part for custom deadline no, so
// that it is no longer reminded. unitID "" means the actor's own unit. A
// unit's representatives mark it; an administrator may mark any unit. It
// returns ErrDeadlineNotFound, ErrNotRepresentative (no unit given and the
// actor represents none), ErrUnitNotFound, ErrForbidden or ErrAlreadyDone.
func (b *Block) MarkDone(a Actor, no int, unitID string, now time.Time) (CustomDeadline, error) {
	c := b.Custom(no)
	if c == nil {
		return CustomDeadline{}, ErrDeadlineNotFound
	}
	if unitID == "" {
		r := b.RepOf(a.UserID)
		if r == nil {
			return CustomDeadline{}, ErrNotRepresentative
		}
		unitID = r.UnitID
	}
	if b.Unit(unitID) == nil {
		return CustomDeadline{}, ErrUnitNotFound
	}
	if !b.CanActFor(a, unitID) {
		return CustomDeadline{}, ErrForbidden
	}
	if c.doneBy(unitID) {
		return CustomDeadline{}, ErrAlreadyDone
	}
	c.Done = append(c.Done, DoneMark{UnitID: unitID, By: a.UserID, ByName: a.Name, At: now})
	b.recordFor(a, unitID, now, "deadline.done", "", fmt.Sprintf("#%d %s", c.No, c.Title))
	return *c, nil
}

// RemindNow records that a manager asked for the reminder of a deadline to
// go out at once, and returns the deadline. It changes only the history (no
// part): once the reminder has gone out, RemindedByHand marks the
// scheduled one it takes the place of. It returns ErrForbidden,
// ErrDeadlineNotFound, or ErrNothingOwed when no unit owes anything for it.
func (b *Block) RemindNow(a Actor, key string, now time.Time) (Deadline, error) {
	if !b.CanManage(a) {
		return Deadline{}, ErrForbidden
	}
	d, ok := b.Deadline(key, now)
	if !ok {
		return Deadline{}, ErrDeadlineNotFound
	}
	if len(d.Owing) == 0 {
		return Deadline{}, ErrNothingOwed
	}
	b.record(a, now, "reminder.now", key, "", d.Title)
	return d, nil
}

// RemindedByHand records that the reminder of the deadline with this key,
// asked for with RemindNow, went out at now. It is the deadline's reminder
// of the day: the deadline's scheduled slot of now's day in the block's
// time zone, if still pending, is marked handled (SlotByHand), so that the
// units are not reminded twice in a day. The slot is of the kind the
// reminder sent was: the day's reminder before the deadline, the overdue
// notice once it has passed (postReminder then sends that notice). The
// other days' reminders, and an overdue notice on another day, stay due.
// It changes only the schedule (PartSchedule), and reports whether it
// marked a slot.
func (b *Block) RemindedByHand(key string, now time.Time) bool {
	d, ok := b.deadline(key, false, now)
	if !ok {
		return false
	}
	loc := b.Location()
	y, m, day := now.In(loc).Date()
	for _, s := range b.Slots(d) {
		if sy, sm, sd := s.At.In(loc).Date(); s.Overdue == d.Passed(now) && sd == day && sm == m && sy == y {
			return b.MarkSlot(d, s.ID, SlotByHand, now)
		}
	}
	return false
}

// Clock is a time of day, in minutes since midnight.
type Clock int

// ClockOf converts a duration since midnight (as ParseClock returns it) to
// a Clock, dropping seconds.
func ClockOf(d time.Duration) Clock { return Clock(d / time.Minute) }

// String writes the clock as HH:MM.
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// on returns the time at this clock on the day of t, in t's location.
func (c Clock) on(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, int(c)/60, int(c)%60, 0, 0, t.Location())
}

func clockAt(t time.Time) Clock { return Clock(t.Hour()*60 + t.Minute()) }

// ReminderSettings say when reminders go out.
type ReminderSettings struct {
	// Days are the days before a deadline a reminder goes out, largest
	// first; 0 is the day itself.
	Days []int `json:"days"`
	// At is the time of day reminders go out.
	At Clock `json:"at"`
	// QuietFrom and QuietTo bound the quiet hours, when nothing is sent;
	// equal values mean no quiet hours. The period may span midnight.
	QuietFrom Clock `json:"quiet_from"`
	QuietTo   Clock `json:"quiet_to"`
	// Weekends is whether reminders go out on Saturdays and Sundays.
	Weekends bool `json:"weekends"`
}

// DefaultReminders are the settings of a block that has set none: 7, 3 and
// 1 days before and on the day, at 08:00, quiet from 21:00 to 07:00,
// weekends included.
func DefaultReminders() ReminderSettings {
	return ReminderSettings{Days: []int{7, 3, 1, 0}, At: 8 * 60, QuietFrom: 21 * 60, QuietTo: 7 * 60, Weekends: true}
}

// Reminders returns the block's reminder settings (a copy).
func (b *Block) Reminders() ReminderSettings {
	if b.Schedule.Reminders == nil {
		return DefaultReminders()
	}
	s := *b.Schedule.Reminders
	s.Days = append([]int(nil), s.Days...)
	return s
}

// SetReminders changes the block's reminder settings. Days are sorted
// largest first and repeated ones dropped. Only managers change them.
// Settings given as they already are change nothing and are not recorded:
// it returns ErrUnchanged. It returns ErrForbidden, ErrReminderDays, or
// ErrReminderQuiet when the reminder time falls in the quiet hours.
func (b *Block) SetReminders(a Actor, s ReminderSettings, now time.Time) error {
	if !b.CanManage(a) {
		return ErrForbidden
	}
	days := append([]int(nil), s.Days...)
	sort.Sort(sort.Reverse(sort.IntSlice(days)))
	s.Days = days[:0]
	for _, d := range days {
		if d < 0 || d > MaxReminderDays {
			return ErrReminderDays
		}
		if len(s.Days) == 0 || s.Days[len(s.Days)-1] != d {
			s.Days = append(s.Days, d)
		}
	}
	if len(s.Days) == 0 || len(s.Days) > MaxReminderOffsets {
		return ErrReminderDays
	}
	if s.At < 0 || s.At >= 24*60 || s.QuietFrom < 0 || s.QuietFrom >= 24*60 || s.QuietTo < 0 || s.QuietTo >= 24*60 {
		return fmt.Errorf("%w: a time of day is out of range", ErrInvalidDate)
	}
	if s.quietAt(s.At) {
		return ErrReminderQuiet
	}
	before := b.Reminders()
	if before.String() == s.String() {
		return ErrUnchanged
	}
	b.Schedule.Reminders = &s
	b.record(a, now, "reminder.settings", "", before.String(), s.String())
	return nil
}

// String sums the settings up for the history, e.g.
// "7,3,1,0 ngày · 08:00 · yên lặng 21:00-07:00 · cả cuối tuần".
func (s ReminderSettings) String() string {
	days := make([]string, len(s.Days))
	for i, d := range s.Days {
		days[i] = strconv.Itoa(d)
	}
	quiet := "không giờ yên lặng"
	if s.HasQuiet() {
		quiet = "yên lặng " + s.QuietFrom.String() + "-" + s.QuietTo.String()
	}
	weekends := "cả cuối tuần"
	if !s.Weekends {
		weekends = "trừ cuối tuần"
	}
	return strings.Join(days, ",") + " ngày · " + s.At.String() + " · " + quiet + " · " + weekends
}

// HasQuiet reports whether the settings have quiet hours.
func (s ReminderSettings) HasQuiet() bool { return s.QuietFrom != s.QuietTo }

// quietAt reports whether the clock falls in the quiet hours.
func (s ReminderSettings) quietAt(c Clock) bool {
	switch {
	case !s.HasQuiet():
		return false
	case s.QuietFrom < s.QuietTo:
		return c >= s.QuietFrom && c < s.QuietTo
	default:
		return c >= s.QuietFrom || c < s.QuietTo
	}
}

// wake returns t, or the end of the quiet period t falls in.
func (s ReminderSettings) wake(t time.Time) time.Time {
	if !s.quietAt(clockAt(t)) {
		return t
	}
	end := s.QuietTo.on(t)
	if !end.After(t) {
		end = s.QuietTo.on(t.AddDate(0, 0, 1))
	}
	return end
}

// windowEnd is the end of the waking period that t (outside quiet hours)
// falls in: the next start of quiet hours or midnight, whichever is first.
func (s ReminderSettings) windowEnd(t time.Time) time.Time {
	end := midnightAfter(t)
	if s.HasQuiet() {
		q := s.QuietFrom.on(t)
		if !q.After(t) {
			q = s.QuietFrom.on(t.AddDate(0, 0, 1))
		}
		if q.Before(end) {
			end = q
		}
	}
	return end
}

// nextAt returns the first reminder time after t: the reminder time of t's
// day if it is later, else of the day after.
func (s ReminderSettings) nextAt(t time.Time) time.Time {
	next := s.At.on(t)
	if !next.After(t) {
		next = s.At.on(t.AddDate(0, 0, 1))
	}
	return next
}

func midnightAfter(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, t.Location())
}

// fridayIfWeekend moves a time on Saturday or Sunday back to the Friday
// before, at the same clock.
func fridayIfWeekend(t time.Time) time.Time {
	switch t.Weekday() {
	case time.Saturday:
		return t.AddDate(0, 0, -1)
	case time.Sunday:
		return t.AddDate(0, 0, -2)
	}
	return t
}

// mondayIfWeekend moves a time on Saturday or Sunday on to the Monday
// after, at the same clock.
func mondayIfWeekend(t time.Time) time.Time {
	switch t.Weekday() {
	case time.Saturday:
		return t.AddDate(0, 0, 2)
	case time.Sunday:
		return t.AddDate(0, 0, 1)
	}
	return t
}

// overdueSlot starts the ID of a deadline's overdue notice (see Slot.ID).
const overdueSlot = "o:"

// Slot is one moment a reminder about a deadline is due.
type Slot struct {
	// ID identifies the slot within its deadline: "d:<yyyy-mm-dd>" for a
	// reminder (at most one per deadline and day), "o:<due unix time>" for
	// the overdue notice.
	ID string
	// Overdue is true for the notice after the deadline has passed.
	Overdue bool
	// At is when the reminder is due; Until is when it stops being useful
	// (the deadline, quiet hours or midnight, whichever comes first). A slot
	// found after Until, because the bot was not running, is skipped.
	At, Until time.Time
}

// Useful reports whether the slot is still worth sending at now.
func (s Slot) Useful(now time.Time) bool { return now.Before(s.Until) }

// Slots returns the reminder slots of a deadline under the block's
// settings, earliest first:
//   - for each configured day offset k, k days before the due date at the
//     reminder time, in the block's time zone; with weekends off, a slot on
//     Saturday or Sunday moves back to the Friday before; slots at or after
//     the deadline, or before it became known (Since), are dropped, and two
//     landing on the same day are one;
//   - the overdue notice when the deadline passes, moved out of quiet hours
//     to their end; if that leaves it less than an hour (minOverdueWindow)
//     before quiet hours or midnight, on to the next reminder time (the
//     next morning's, for a deadline late in the day), out of quiet hours;
//     and with weekends off from a weekend to Monday at the reminder time.
//     Its ID stays "o:<due unix time>" wherever it moves.
func (b *Block) Slots(d Deadline) []Slot {
	return b.Reminders().slots(d, b.Location())
}

// slots returns the reminder slots of a deadline under the settings in the
// time zone loc (see Block.Slots).
func (s ReminderSettings) slots(d Deadline, loc *time.Location) []Slot {
	out := make([]Slot, 0, len(s.Days)+1)
	var buf [32]byte // the ID being written, so that a dropped slot allocates none
	s.slotTimes(d, loc, func(at time.Time, overdue bool) {
		if overdue {
			id := strconv.AppendInt(append(buf[:0], overdueSlot...), d.Due.Unix(), 10)
			out = append(out, Slot{ID: string(id), Overdue: true, At: at, Until: s.windowEnd(at)})
			return
		}
		id := at.AppendFormat(append(buf[:0], "d:"...), "2006-01-02")
		// Two landing on the same day are one; out holds only reminders yet.
		if slices.ContainsFunc(out, func(o Slot) bool { return o.ID == string(id) }) {
			return
		}
		until := s.windowEnd(at)
		if due := d.Due.In(loc); due.Before(until) {
			until = due
		}
		out = append(out, Slot{ID: string(id), At: at, Until: until})
	})
	slices.SortStableFunc(out, func(x, y Slot) int { return x.At.Compare(y.At) })
	return out
}

// slotTimes calls fn with the time of each reminder slot of a deadline
// under the settings in the time zone loc (see Block.Slots), the reminders
// first, in the order of the settings' days, and two on one day both; then
// the overdue notice, if any, with overdue set.
func (s ReminderSettings) slotTimes(d Deadline, loc *time.Location, fn func(at time.Time, overdue bool)) {
	due := d.Due.In(loc)
	for _, k := range s.Days {
		at := s.At.on(due.AddDate(0, 0, -k))
		if !s.Weekends {
			at = fridayIfWeekend(at)
		}
		at = s.wake(at)
		if !at.Before(due) || at.Before(d.Since) {
			continue
		}
		fn(at, false)
	}
	if d.Since.Before(due) {
		at := s.wake(due)
		if s.windowEnd(at).Sub(at) < minOverdueWindow {
			at = s.wake(s.nextAt(at))
		}
		if monday := mondayIfWeekend(at); !s.Weekends && !monday.Equal(at) {
			at = s.wake(s.At.on(monday))
		}
		fn(at, true)
	}
}

// DueSlot is a reminder slot whose time has come, with its deadline.
type DueSlot struct {
	Deadline Deadline
	Slot     Slot
}

// DueSlots returns the slots not yet handled whose time is at or before
// now, earliest first.
func (b *Block) DueSlots(now time.Time) []DueSlot {
	var out []DueSlot
	b.eachPendingSlot(true, now, nil, func(d Deadline, s Slot) {
		if !s.At.After(now) {
			out = append(out, DueSlot{d, s})
		}
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Slot.At.Before(out[j].Slot.At) })
	return out
}

// nextReminderDue is the time of the earliest slot not yet handled, or zero.
// Slots do not depend on who owes what, so it computes no owing; and of a
// deadline none of whose slots was handled it needs only the times, not
// the slots' ids.
func (b *Block) nextReminderDue() time.Time {
	var next time.Time
	earliest := func(t time.Time, _ bool) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	touched := make(map[string]bool, len(b.Schedule.Handled))
	for _, h := range b.Schedule.Handled {
		touched[h.Deadline] = true
	}
	settings, loc := b.Reminders(), b.Location()
	b.eachPendingSlot(false, time.Time{}, func(d Deadline) bool {
		if touched[d.Key] {
			return true
		}
		settings.slotTimes(d, loc, earliest)
		return false
	}, func(_ Deadline, s Slot) { earliest(s.At, false) })
	return next
}

// eachPendingSlot calls fn for every slot of every deadline not yet handled,
// the deadlines computed with their Owing at now or without it (see
// deadlines).
// When slotsOf is not nil, only the deadlines for which it returns true
// have their slots computed and given to fn.
func (b *Block) eachPendingSlot(owing bool, now time.Time, slotsOf func(Deadline) bool, fn func(Deadline, Slot)) {
	type slotKey struct{ deadline, slot string }
	handled := make(map[slotKey]bool, len(b.Schedule.Handled))
	for _, h := range b.Schedule.Handled {
		handled[slotKey{h.Deadline, h.Slot}] = true
	}
	settings, loc := b.Reminders(), b.Location()
	for _, d := range b.deadlines(owing, now) {
		if slotsOf != nil && !slotsOf(d) {
			continue
		}
		for _, s := range settings.slots(d, loc) {
			if !handled[slotKey{d.Key, s.ID}] {
				fn(d, s)
			}
		}
	}
}

// MarkSlot records what became of a reminder slot, so that it is not dealt
// with again, and reports whether it was not recorded before. It changes
// only the schedule (PartSchedule). A sent
// reminder is recorded in the history (as SystemActor) with the units it
// named, "reminder.sent", or "reminder.overdue" for the overdue notice.
// Records of deadlines that no longer exist are dropped.
func (b *Block) MarkSlot(d Deadline, slotID string, outcome SlotOutcome, now time.Time) bool {
	for _, h := range b.Schedule.Handled {
		if h.Deadline == d.Key && h.Slot == slotID {
			return false
		}
	}
	b.pruneHandled()
	b.Schedule.Handled = append(b.Schedule.Handled, HandledSlot{Deadline: d.Key, Slot: slotID, Outcome: outcome, At: now})
	if outcome == SlotSent {
		names := make([]string, 0, len(d.Owing))
		for _, o := range d.Owing {
			names = append(names, b.UnitName(o.UnitID))
		}
		action := "reminder.sent"
		if strings.HasPrefix(slotID, overdueSlot) {
			action = "reminder.overdue"
		}
		b.record(SystemActor, now, action, d.Key, "", d.Title+": "+strings.Join(names, ", "))
	}
	return true
}

// pruneHandled drops the records of slots of deadlines that no longer exist.
// It needs only the deadlines' keys, so it computes no owing.
func (b *Block) pruneHandled() {
	keys := map[string]bool{}
	for _, d := range b.deadlines(false, time.Time{}) {
		keys[d.Key] = true
	}
	kept := b.Schedule.Handled[:0]
	for _, h := range b.Schedule.Handled {
		if keys[h.Deadline] {
			kept = append(kept, h)
		}
	}
	b.Schedule.Handled = kept
}

// BotRemoved records that a removed the bot from the block's group at now
// (Schedule.Away), with a history entry, and reports whether that changed
// the block: the bot posts nothing in the group while it is out of it, so
// the scheduler notes each reminder falling due meanwhile as SlotAway, and
// keeps the announcements it owes the group for its return. A bot
// restricted until then (see BotRestricted) is out of the group now; the
// record of its absence keeps its start.
func (b *Block) BotRemoved(a Actor, now time.Time) bool {
	return b.botAway(a, now, "bot.removed", false, time.Time{})
}

// BotGone is BotRemoved for a removal the bot did not hear of: Telegram
// refused to post in the group because the bot is not in it. The history
// entry is the bot's.
func (b *Block) BotGone(now time.Time) bool {
	return b.botAway(SystemActor, now, "bot.gone", false, time.Time{})
}

// BotRestricted is BotRemoved for a bot that a restricted from sending
// messages in the group until the time until (zero for no end): it is in
// the group, but may post nothing there (Schedule.Muted), and is treated
// as away until it may again (see BotAdded), or until until (see
// BotAwayAt).
func (b *Block) BotRestricted(a Actor, now, until time.Time) bool {
	return b.botAway(a, now, "bot.restricted", true, until)
}

// BotMuted is BotRestricted for a restriction the bot did not hear of:
// Telegram refused to post in the group because the bot may not send
// messages there; its end is not known, and one that was known has not
// come after all. The history entry is the bot's.
func (b *Block) BotMuted(now time.Time) bool {
	return b.botAway(SystemActor, now, "bot.muted", true, time.Time{})
}

// botAway records that the bot is away from the block's group since now,
// out of it or, when muted, in it without the right to post until until,
// by a, under the history action (see BotRemoved, BotRestricted).
func (b *Block) botAway(a Actor, now time.Time, action string, muted bool, until time.Time) bool {
	s := &b.Schedule
	if s.Away != nil && s.Muted == muted && s.MutedUntil.Equal(until) {
		return false
	}
	if s.Away == nil {
		s.Away = attribution(a, now)
	}
	s.Muted, s.MutedUntil = muted, until
	b.record(a, now, action, "", "", "")
	return true
}

// BotAwayAt reports whether the bot is away from the block's group at now,
// for what the scheduler posts there: recorded away (Schedule.Away), but
// for a restriction whose end (Schedule.MutedUntil) has come, which
// Telegram lifts without telling the bot. The scheduler then posts again:
// a post that goes through shows the bot is back (BotBack), a refused one
// that the restriction goes on (BotMuted).
func (b *Block) BotAwayAt(now time.Time) bool {
	s := &b.Schedule
	return s.Away != nil && (!s.Muted || s.MutedUntil.IsZero() || now.Before(s.MutedUntil))
}

// BotAdded records that a added the bot back to the block's group, or let
// it post there again after a restriction (Schedule.Muted), at now, with a
// history entry saying which, and returns the record of its absence; nil,
// changing nothing, when the block does not record the bot as away.
func (b *Block) BotAdded(a Actor, now time.Time) *Attribution {
	action := "bot.added"
	if b.Schedule.Muted {
		action = "bot.unrestricted"
	}
	return b.botBack(a, now, action)
}

// BotBack records that the bot is in the block's group again, and may
// post there, without having been told it was added back or freed (a
// request came from the group, or was answered there), with a history
// entry of the bot's, and reports whether the block recorded it away.
func (b *Block) BotBack(now time.Time) bool {
	return b.botBack(SystemActor, now, "bot.back") != nil
}

// botBack records that the bot is back in the block's group since now, by
// a, under the history action, and returns the record of its absence (see
// BotAdded).
func (b *Block) botBack(a Actor, now time.Time, action string) *Attribution {
	away := b.Schedule.Away
	if away == nil {
		return nil
	}
	b.Schedule.Away, b.Schedule.Muted, b.Schedule.MutedUntil = nil, false, time.Time{}
	b.record(a, now, action, "", "", "")
	return away
}

// NoteGeneral records whether the General topic of the block's group is
// open, as the bot learnt at now (see Schedule.GeneralClosed); a General
// opened again may be closed anew, and the managers told anew. It
// records no history: a refusal is no one's doing, and the service
// messages that close and reopen General are in the group for all to
// see. It reports whether the block changed.
func (b *Block) NoteGeneral(open bool, now time.Time) bool {
	s := &b.Schedule
	if open == s.GeneralClosed.IsZero() {
		return false
	}
	s.GeneralClosed, s.GeneralClosedTold = time.Time{}, false
	if !open {
		s.GeneralClosed = now
	}
	return true
}

// GeneralHomeClosed reports whether General is where the bot posts what it
// posts of its own accord (see HomeThread) and is closed to it
// (Schedule.GeneralClosed), so that it may not post there. The scheduler
// then posts nothing, as while the bot is away (see BotAwayAt), until
// General is open again.
func (b *Block) GeneralHomeClosed() bool {
	return !b.Schedule.GeneralClosed.IsZero() && b.HomeThread() == 0
}

// TellGeneralClosed records that the group's managers are being told that
// General, where the bot posts, is closed (see GeneralHomeClosed), and
// reports whether they are to be: once per closing.
func (b *Block) TellGeneralClosed() bool {
	if !b.GeneralHomeClosed() || b.Schedule.GeneralClosedTold {
		return false
	}
	b.Schedule.GeneralClosedTold = true
	return true
}

// AdoptZone makes the named time zone the block's if it has none yet, and
// reports whether it did. It records nothing: the zone is the install's
// configuration, not a decision of the block.
func (b *Block) AdoptZone(name string) bool {
	if b.Schedule.Zone != "" || name == "" {
		return false
	}
	b.Schedule.Zone = name
	return true
}

// Location returns the block's time zone (DefaultZone unless adopted).
func (b *Block) Location() *time.Location { return zone(b.Schedule.Zone) }

// zones caches loaded time zones by name.
var zones sync.Map

// zone returns the named time zone (DefaultZone for ""). The time zone
// database is read once per name; a name it lacks falls back to UTC+7.
func zone(name string) *time.Location {
	if name == "" {
		name = DefaultZone
	}
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		l = time.FixedZone("UTC+7", 7*60*60)
	}
	zones.Store(name, l)
	return l
}
