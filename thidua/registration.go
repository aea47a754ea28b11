package thidua

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of the registration phase.
const (
	// MaxPledges is the most pledge items one unit may register.
	MaxPledges = 50
	// MaxPledgeLen is the longest pledge title, in characters.
	MaxPledgeLen = 500
	// MaxTargetLen is the longest pledge target, in characters.
	MaxTargetLen = 200
	// MaxCriteria is the most scoring criteria a block may have.
	MaxCriteria = 30
	// MaxPoints is the highest maximum of points of one criterion.
	MaxPoints = 1000
	// MaxReasonLen is the longest reason for returning a pledge list, in characters.
	MaxReasonLen = 500
	// MaxSloganLen is the longest covenant slogan, in characters.
	MaxSloganLen = 500
)

// Errors of the registration phase. Compare with errors.Is.
var (
	ErrRegistrationNotOpen = newErr("registration_not_open", "registration has not been opened")
	ErrRegistrationClosed  = newErr("registration_closed", "registration is closed")
	ErrRegistrationOpen    = newErr("registration_open", "registration is already open with this deadline")
	ErrOpenForAll          = newErr("open_for_all", "registration is open for every unit")
	ErrDueInPast           = newErr("due_in_past", "the deadline has already passed")
	ErrNotYourUnit         = newErr("not_your_unit", "only the unit's representatives or an administrator may change its pledges")
	ErrPledgeFormat        = newErr("pledge_format", "a pledge has at most three parts separated by |")
	ErrPledgeTitle         = newErr("pledge_title", "the pledge title is empty, too long or without a letter")
	ErrTargetNumber        = newErr("target_number", "the target starts with a number that cannot be read")
	ErrTargetTooLong       = newErr("target_too_long", "the target is too long")
	ErrTargetIsDate        = newErr("target_is_date", "the target looks like a date")
	ErrPledgeDue           = newErr("pledge_due", "the due date is not a date dd/mm/yyyy that exists")
	ErrPledgeDueYear       = newErr("pledge_due_year", "the due date is outside the block's year")
	ErrTooManyPledges      = newErr("too_many_pledges", "too many pledges for one unit")
	ErrPledgeNotFound      = newErr("pledge_not_found", "no pledge with this number")
	ErrNoPledges           = newErr("no_pledges", "the unit has registered no pledges")
	ErrListSubmitted       = newErr("list_submitted", "the pledge list awaits approval")
	ErrListApproved        = newErr("list_approved", "the pledge list is approved")
	ErrNotSubmitted        = newErr("not_submitted", "the pledge list has not been submitted")
	ErrAlreadyApproved     = newErr("already_approved", "the pledge list is already approved")
	ErrListChanged         = newErr("list_changed", "the pledge list was submitted again since")
	ErrReason              = newErr("reason", "the reason is empty or too long")
	ErrCriterionTitle      = newErr("criterion_title", "the criterion title is empty, too long or without a letter")
	ErrCriterionPoints     = newErr("criterion_points", "the maximum of points is not a number in (0, 1000]")
	ErrCriterionExists     = newErr("criterion_exists", "a criterion with this title already exists")
	ErrTooManyCriteria     = newErr("too_many_criteria", "too many criteria")
	ErrCriterionNotFound   = newErr("criterion_not_found", "no criterion with this number")
	ErrCriteriaFrozen      = newErr("criteria_frozen", "the criteria are part of the covenant already opened")
	ErrNoCriteria          = newErr("no_criteria", "the block has no scoring criteria")
	ErrCovenantNoUnits     = newErr("covenant_no_units", "the block has no units to sign")
	ErrSlogan              = newErr("slogan", "the slogan is empty or too long")
	ErrCovenantSigned      = newErr("covenant_signed", "units have signed the covenant already")
	ErrNoCovenant          = newErr("no_covenant", "the covenant has not been opened")
	ErrCovenantStale       = newErr("covenant_stale", "this covenant message was superseded")
	ErrCannotSign          = newErr("cannot_sign", "the unit has no approved pledge list")
	ErrAlreadySigned       = newErr("already_signed", "the unit has signed already")
)

// Registration is the first phase of the year (đăng ký thi đua): the scoring
// criteria, every unit's pledge list with its approval, and the covenant the
// units sign. The zero value means that nothing has happened yet.
type Registration struct {
	// Open reports whether units may change their pledges.
	Open bool `json:"open,omitempty"`
	// Opened says who opened registration last, and when; nil if never.
	Opened *Attribution `json:"opened,omitempty"`
	// Closed says who closed registration last, and when; nil if never.
	Closed *Attribution `json:"closed,omitempty"`
	// Due is the last day of registration (midnight starting it), or zero.
	Due time.Time `json:"due,omitzero"`
	// Criteria are the scoring criteria, in the leader's order.
	Criteria []Criterion `json:"criteria,omitempty"`
	// Units holds each unit's pledges and their state; a unit that has
	// registered nothing may be missing (see Block.RegistrationOf).
	Units []UnitRegistration `json:"units,omitempty"`
	// Covenant is the covenant once opened for signing, else nil.
	Covenant *Covenant `json:"covenant,omitempty"`
	// Scores are the units' scores against the criteria (see SelfScore,
	// ReviewScore); a unit that has none may be missing.
	Scores []UnitScore `json:"scores,omitempty"`
	// Proposals are the awards the block proposes units for (see
	// ProposeAward), in the order first proposed.
	Proposals []Proposal `json:"proposals,omitempty"`
	// Exemplars are the people the units nominate as outstanding (see
	// Nominate), in the order first nominated.
	Exemplars []Exemplar `json:"exemplars,omitempty"`
	// Numbered is the highest list Round and covenant Post of the block's
	// earlier years (see Block.StartYear): this year's are numbered after
	// it, so that a button under an earlier year's submission or covenant
	// acts on nothing of this year.
	Numbered int `json:"numbered,omitempty"`
}

// Attribution says who did something, and when.
type Attribution struct {
	UserID int64     `json:"user_id"`
	Name   string    `json:"name"`
	At     time.Time `json:"at"`
}

func attribution(a Actor, now time.Time) *Attribution {
	return &Attribution{UserID: a.UserID, Name: a.Name, At: now}
}

// ListState is where a unit's pledge list stands in its approval.
type ListState string

// The states of a pledge list. A unit edits its list while it is a draft or
// returned; submitted and approved lists are frozen.
const (
	ListDraft     ListState = ""          // chưa gửi: not submitted yet
	ListSubmitted ListState = "submitted" // chờ duyệt: awaiting approval
	ListReturned  ListState = "returned"  // bị trả lại: returned with a reason
	ListApproved  ListState = "approved"  // đã duyệt: approved
)

// UnitRegistration is one unit's part of the registration.
type UnitRegistration struct {
	UnitID string `json:"unit_id"`
	// Pledges are the unit's pledge items, shown numbered 1..n in this order.
	Pledges []Pledge  `json:"pledges,omitempty"`
	State   ListState `json:"state,omitempty"`
	// Round counts the submissions of the list, so that an approval names
	// the submission it approves.
	Round int `json:"round,omitempty"`
	// Submitted says who submitted the list last, and when.
	Submitted *Attribution `json:"submitted,omitempty"`
	// Decided says who approved or returned the list last, and when.
	Decided *Attribution `json:"decided,omitempty"`
	// Reason is why the list was returned, while it is returned.
	Reason string `json:"reason,omitempty"`
	// Signed says which representative signed the covenant for the unit,
	// and when; nil while unsigned.
	Signed *Attribution `json:"signed,omitempty"`
	// MessageID is the group message posting the list's latest submission
	// with the managers' buttons (see SetSubmissionMessage), which the bot
	// takes off once the list is approved or returned; 0 while unknown, and
	// once an approved list is returned (the approval took them off). Like
	// Covenant.MessageID, it is of the block's chat.
	MessageID int `json:"message_id,omitempty"`
	// Opening is registration opened for this unit alone while it is
	// closed for the others (see OpenRegistrationAlone), until it ends (the
	// unit's list approved, registration closed for the unit or for all,
	// or opened for all); nil otherwise.
	Opening *UnitOpening `json:"opening,omitempty"`
}

// UnitOpening is registration opened for one unit alone: who opened it,
// when, and the unit's own deadline.
type UnitOpening struct {
	Opened Attribution `json:"opened"`
	// Due is the unit's last day of registration (midnight starting it),
	// or zero.
	Due time.Time `json:"due,omitzero"`
}

// Pledge is one item a unit registers for the year (nội dung đăng ký thi đua).
type Pledge struct {
	// ID is stable across edits and never reused in the block.
	ID     string    `json:"id"`
	Title  string    `json:"title"`
	Target Target    `json:"target,omitzero"`
	Due    time.Time `json:"due"`
}

// String writes the pledge the way it is typed: "title | target | due",
// "title | | due" without a target.
func (p Pledge) String() string {
	s := p.Title + " |"
	if t := p.Target.String(); t != "" {
		s += " " + t + " |"
	} else {
		s += " |"
	}
	return s + " " + FormatDate(p.Due, p.Due.Location())
}

// Target is what a pledge aims at: a number with its measure ("50 nhà",
// "40%"), or a free text ("hoàn thành xuất sắc"). The zero Target means none.
type Target struct {
	// Number is the number of a measurable target, else nil.
	Number *float64 `json:"number,omitempty"`
	// Measure is what Number counts: "nhà", "%", "tỷ đồng"; possibly empty.
	Measure string `json:"measure,omitempty"`
	// Text is a target that is not a number.
	Text string `json:"text,omitempty"`
}

// IsZero reports whether the target is empty.
func (t Target) IsZero() bool { return t.Number == nil && t.Text == "" }

// String writes the target with the number the Vietnamese way: "1.200 hội
// viên", "25,3 tỷ đồng", "40%".
func (t Target) String() string {
	if t.Number == nil {
		return t.Text
	}
	var buf [64]byte
	return string(appendMeasured(buf[:0], *t.Number, t.Measure))
}

// AppendString appends the target as String writes it, for text written
// into a buffer rather than a string for each target.
func (t Target) AppendString(dst []byte) []byte {
	if t.Number == nil {
		return append(dst, t.Text...)
	}
	return appendMeasured(dst, *t.Number, t.Measure)
}

// appendMeasured appends a number in a measure as Target.String writes it:
// the number, then the measure after a space, or right after it for a
// measure in % ("40%").
func appendMeasured(dst []byte, n float64, measure string) []byte {
	dst = AppendNumber(dst, n)
	switch {
	case measure == "":
		return dst
	case strings.HasPrefix(measure, "%"):
		return append(dst, measure...)
	}
	return append(append(dst, ' '), measure...)
}

// leadingNumber matches the number a measurable target starts with.
var leadingNumber = regexp.MustCompile(`^[+-]?\d[\d.,]*`)

// ParseTarget reads a pledge target. Text starting with a digit is a number
// (read by ParseNumber: "1.200", "25,3") followed by its measure ("50 nhà",
// "40 %", "40%", "25,3 tỷ đồng"), unless a range or a fraction ("3-5 mô
// hình", "1/2 số xã"); other text is a free target. Empty text is
// no target. It returns ErrTargetNumber when the leading number cannot be
// read, ErrTargetIsDate for a date ("30/11/2026"), and ErrTargetTooLong for
// more than MaxTargetLen characters.
func ParseTarget(s string) (Target, error) {
	if strings.TrimSpace(s) == "" {
		return Target{}, nil
	}
	s, ok := CleanText(s, MaxTargetLen)
	if !ok {
		return Target{}, ErrTargetTooLong
	}
	num := leadingNumber.FindString(s)
	if num == "" {
		return Target{Text: s}, nil
	}
	if _, err := ParseDate(s, 2000, time.UTC); err == nil {
		return Target{}, fmt.Errorf("%w: %q", ErrTargetIsDate, s)
	}
	if rangeOrFraction(s[len(num):]) {
		return Target{Text: s}, nil
	}
	v, err := ParseNumber(num)
	if err != nil {
		return Target{}, fmt.Errorf("%w: %q", ErrTargetNumber, num)
	}
	t := Target{Number: &v, Measure: strings.TrimSpace(s[len(num):])}
	if utf8.RuneCountInString(t.String()) > MaxTargetLen {
		// As shown ("1.200 hội viên") it would no longer be accepted.
		return Target{}, ErrTargetTooLong
	}
	return t, nil
}

// rangeOrFraction reports whether the text after a target's leading number
// goes on with a dash or a slash: a range ("3-5 mô hình", "10 – 15%") or a
// fraction ("1/2 số xã"), which no one number measures.
func rangeOrFraction(rest string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimSpace(rest))
	return strings.ContainsRune("-–—/", r)
}

// PledgeDraft is a pledge as a person wrote it, before it is registered.
type PledgeDraft struct {
	Title  string
	Target Target
	Due    time.Time
}

// DefaultPledgeDue is the due date of a pledge given none: 30/11 of the year,
// by when the year's targets are customarily met, at midnight in loc.
func DefaultPledgeDue(year int, loc *time.Location) time.Time {
	return time.Date(year, time.November, 30, 0, 0, 0, 0, loc)
}

// ParsePledge reads one pledge written "<nội dung> | <chỉ tiêu> | <hạn>":
// a title, an optional target (see ParseTarget) and an optional due date
// dd/mm/yyyy read in loc (DefaultPledgeDue when left out; dd/mm means the
// block's year). It returns ErrPledgeFormat (more than three parts),
// ErrPledgeTitle (empty, too long or without a letter: "-5", "31/02"), the
// errors of ParseTarget, ErrPledgeDue (not a date that exists) or
// ErrPledgeDueYear (a date outside year).
func ParsePledge(s string, year int, loc *time.Location) (PledgeDraft, error) {
	parts := strings.Split(s, "|")
	if len(parts) > 3 {
		return PledgeDraft{}, ErrPledgeFormat
	}
	parts = append(parts, "", "")
	d := PledgeDraft{Title: parts[0], Due: DefaultPledgeDue(year, loc)}
	if _, ok := cleanTitle(d.Title, MaxPledgeLen); !ok {
		return PledgeDraft{}, ErrPledgeTitle
	}
	var err error
	if d.Target, err = ParseTarget(parts[1]); err != nil {
		return PledgeDraft{}, err
	}
	if due := strings.TrimSpace(parts[2]); due != "" {
		if d.Due, err = ParseDate(due, year, loc); err != nil {
			return PledgeDraft{}, fmt.Errorf("%w: %q", ErrPledgeDue, due)
		}
	}
	return d.check(year)
}

// check validates a draft for a block of the year and returns it cleaned.
func (d PledgeDraft) check(year int) (PledgeDraft, error) {
	title, ok := cleanTitle(d.Title, MaxPledgeLen)
	if !ok {
		return d, ErrPledgeTitle
	}
	d.Title = title
	if utf8.RuneCountInString(d.Target.Text+d.Target.Measure) > MaxTargetLen {
		return d, ErrTargetTooLong
	}
	if d.Due.IsZero() || d.Due.Year() != year {
		return d, ErrPledgeDueYear
	}
	return d, nil
}

// Criterion is a scoring heading with its maximum of points (tiêu chí chấm điểm).
type Criterion struct {
	ID        string  `json:"id"`
	Title     string  `json:"title"`
	MaxPoints float64 `json:"max_points"`
}

// CriterionDraft is a criterion as a person wrote it, before it is added.
type CriterionDraft struct {
	Title     string
	MaxPoints float64
}

// ParseCriterion reads a criterion written "<tiêu chí> | <điểm tối đa>",
// the points read by ParseNumber ("40", "12,5"). It returns
// ErrCriterionTitle (empty, too long or without a letter) or
// ErrCriterionPoints.
func ParseCriterion(s string) (CriterionDraft, error) {
	i := strings.LastIndex(s, "|")
	if i < 0 {
		return CriterionDraft{}, ErrCriterionPoints
	}
	if _, ok := cleanTitle(s[:i], MaxNameLen); !ok {
		return CriterionDraft{}, ErrCriterionTitle
	}
	v, err := ParseNumber(s[i+1:])
	if err != nil {
		return CriterionDraft{}, fmt.Errorf("%w: %q", ErrCriterionPoints, strings.TrimSpace(s[i+1:]))
	}
	return CriterionDraft{Title: s[:i], MaxPoints: v}.check()
}

// check validates a criterion draft and returns it cleaned, its points
// rounded to the two decimals FormatNumber shows.
func (d CriterionDraft) check() (CriterionDraft, error) {
	title, ok := cleanTitle(d.Title, MaxNameLen)
	if !ok {
		return d, ErrCriterionTitle
	}
	d.Title = title
	d.MaxPoints = math.Round(d.MaxPoints*100) / 100
	if !(d.MaxPoints > 0 && d.MaxPoints <= MaxPoints) {
		return d, ErrCriterionPoints
	}
	return d, nil
}

// String writes the criterion as it is typed: title | points.
func (c Criterion) String() string { return c.Title + " | " + FormatNumber(c.MaxPoints) }

// Covenant is the year's covenant (giao ước thi đua) once opened for signing.
// The units' signatures are kept in their UnitRegistration.
type Covenant struct {
	Slogan string      `json:"slogan"`
	Opened Attribution `json:"opened"`
	// Due is the last day for signing (midnight starting it), or zero.
	Due time.Time `json:"due,omitzero"`
	// Post numbers the group messages carrying the sign button: a button
	// carries the Post it was posted with, and only the latest post signs.
	Post int `json:"post"`
	// MessageID is the group message of the latest Post, which the bot
	// edits when what it shows changes (see SetCovenantMessage); 0 until
	// the bot records it.
	MessageID int `json:"message_id,omitempty"`
	// Superseded is the group message of an earlier post that a later one
	// replaced, which the bot edits to say so and to take its stale button
	// off; 0 for none. Like MessageID, it is of the block's chat.
	Superseded int `json:"superseded,omitempty"`
	// Completed reports whether every unit signed, which a signature or a
	// unit's removal made so and the bot announces once: a unit added
	// once the group was told signs without a second announcement, and
	// only a withdrawn signature (see ReturnPledges), or a unit added
	// before the group was told (see AddUnits), makes a completion anew.
	// It keeps the key of the flag it was before the bot recorded the
	// announcement apart (AnnouncePending), which older blocks hold.
	Completed bool `json:"announced,omitempty"`
	// AnnouncePending is set with Completed and cleared once the group has
	// been told (MarkCovenantAnnounced), so that a completion the bot could
	// not announce (a crash right after the change, Telegram refusing the
	// message) is announced when the change's update comes again, or by the
	// scheduler. An older block that is Completed has it clear: its
	// completion was announced.
	AnnouncePending bool `json:"announce_pending,omitempty"`
	// CompletedAt is when the change that completed the covenant was
	// made, while it is Completed: the scheduler posts an announcement
	// still pending from then on (see nextCovenantDue), and gives up a
	// while after.
	CompletedAt time.Time `json:"completed_at,omitzero"`
}

// String writes the covenant as it is typed: slogan | signing deadline, the
// slogan alone without a deadline.
func (c *Covenant) String() string {
	if c.Due.IsZero() {
		return c.Slogan
	}
	return c.Slogan + " | " + FormatDate(c.Due, c.Due.Location())
}

// RegistrationOf returns the unit's part of the registration; a unit that
// has registered nothing gets the zero value with its id. The result shares
// memory with the block and must not be changed.
func (b *Block) RegistrationOf(unitID string) UnitRegistration {
	for _, u := range b.Registration.Units {
		if u.UnitID == unitID {
			return u
		}
	}
	return UnitRegistration{UnitID: unitID}
}

// unitReg returns the unit's part of the registration for changing, adding
// an empty one if there is none.
func (b *Block) unitReg(unitID string) *UnitRegistration {
	r := &b.Registration
	for i := range r.Units {
		if r.Units[i].UnitID == unitID {
			return &r.Units[i]
		}
	}
	r.Units = append(r.Units, UnitRegistration{UnitID: unitID})
	return &r.Units[len(r.Units)-1]
}

// recordFor records a change to a unit's data. An administrator who does not
// represent that unit acts as an administrator, and the event says so, even
// when they represent another unit.
func (b *Block) recordFor(a Actor, unitID string, now time.Time, action, before, after string) {
	b.record(a, now, action, unitID, before, after)
	rep := b.RepOf(a.UserID)
	b.events[len(b.events)-1].AsAdmin = a.Admin && (rep == nil || rep.UnitID != unitID)
}

// dueText describes a deadline for the history.
func dueText(due time.Time) string {
	if due.IsZero() {
		return ""
	}
	return "hạn " + FormatDate(due, due.Location())
}

// checkDue returns ErrDueInPast when the day due is before the day of now.
func checkDue(due, now time.Time) error {
	if due.IsZero() {
		return nil
	}
	n := now.In(due.Location())
	if due.Before(time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, due.Location())) {
		return ErrDueInPast
	}
	return nil
}

// OpenRegistration opens registration, with an optional last day due (zero
// for none); opening it again after it was closed is recorded as a reopening,
// and ends the registration opened for units alone (see
// OpenRegistrationAlone), recorded for each unit. Opened already, it only
// changes the deadline. Only managers open it. It
// returns ErrForbidden, ErrDueInPast or ErrRegistrationOpen (open already
// with this deadline).
func (b *Block) OpenRegistration(a Actor, due, now time.Time) error {
	if !b.CanManage(a) {
		return ErrForbidden
	}
	if err := checkDue(due, now); err != nil {
		return err
	}
	r := &b.Registration
	if r.Open {
		if due.Equal(r.Due) {
			return ErrRegistrationOpen
		}
		b.record(a, now, "reg.due", "", dueText(r.Due), dueText(due))
		r.Due = due
		return nil
	}
	action := "reg.open"
	if r.Opened != nil {
		action = "reg.reopen"
	}
	r.Open, r.Opened, r.Due = true, attribution(a, now), due
	b.record(a, now, action, "", "", dueText(due))
	// Open for every unit, registration takes the place of the units' own.
	for _, id := range b.UnitsOpenAlone() {
		b.endOpening(a, id, now, OpeningEndedOpenForAll)
	}
	return nil
}

// OpenRegistrationAlone opens registration for one unit alone while it is
// closed for the others (a unit that joined late, a list returned once
// registration closed), with an optional last day due of the unit's own
// (zero for none): the unit's representatives register, change and
// submit its pledges as if registration were open; the other units stay
// closed. It ends when the unit's list is approved (ApprovePledges), when
// it is closed (CloseRegistrationAlone), when registration closes
// (CloseRegistration) or opens for every unit (OpenRegistration), or when
// the unit is removed (RemoveUnit); its deadline, like the block's, closes nothing by
// itself. Opened already for the unit, it only changes the deadline. Only
// managers open it. It returns ErrForbidden, ErrUnitNotFound,
// ErrRegistrationNotOpen (never opened for the block), ErrOpenForAll,
// ErrListApproved (the unit's list is approved: to be returned first),
// ErrListSubmitted (the list awaits approval: its representatives could
// change nothing until it is approved or returned; for a unit opened
// already, whose list was submitted since, the deadline changes),
// ErrDueInPast or ErrRegistrationOpen (open for the unit already with this
// deadline).
func (b *Block) OpenRegistrationAlone(a Actor, unitID string, due, now time.Time) error {
	if !b.CanManage(a) {
		return ErrForbidden
	}
	if b.Unit(unitID) == nil {
		return b.unitNotFound(unitID)
	}
	switch err := b.registrationOpen(); {
	case err == nil:
		return ErrOpenForAll
	case errors.Is(err, ErrRegistrationNotOpen):
		return err
	}
	if reg := b.RegistrationOf(unitID); reg.Opening == nil {
		// Opened already, the list may have been submitted since: the
		// deadline still changes (approval ends the opening).
		switch reg.State {
		case ListApproved:
			return ErrListApproved
		case ListSubmitted:
			return ErrListSubmitted
		}
	}
	if err := checkDue(due, now); err != nil {
		return err
	}
	u := b.unitReg(unitID)
	if o := u.Opening; o != nil {
		if due.Equal(o.Due) {
			return ErrRegistrationOpen
		}
		b.record(a, now, "reg.unit_due", unitID, dueText(o.Due), dueText(due))
		o.Due = due
		return nil
	}
	u.Opening = &UnitOpening{Opened: *attribution(a, now), Due: due}
	b.record(a, now, "reg.unit_open", unitID, "", dueText(due))
	return nil
}

// CloseRegistration closes registration: every unit's pledges are frozen
// until a manager reopens it. Closed for every unit, it closes the
// registration opened for units alone (see OpenRegistrationAlone), recorded
// for each unit. Only managers close it. It returns ErrForbidden,
// ErrRegistrationNotOpen or ErrRegistrationClosed (closed, and open for no
// unit alone).
func (b *Block) CloseRegistration(a Actor, now time.Time) error {
	if !b.CanManage(a) {
		return ErrForbidden
	}
	r := &b.Registration
	if err := b.registrationOpen(); err != nil {
		opened := b.UnitsOpenAlone()
		if len(opened) == 0 {
			return err
		}
		for _, id := range opened {
			b.endOpening(a, id, now, "")
		}
		return nil
	}
	r.Open, r.Closed = false, attribution(a, now)
	b.record(a, now, "reg.close", "", dueText(r.Due), "")
	return nil
}

// CloseRegistrationAlone closes the registration opened for the unit alone
// (see OpenRegistrationAlone), leaving that of any other unit open: the
// unit's pledges are frozen again and its deadline goes; a list it
// submitted awaits approval still. Only managers close it. It returns
// ErrForbidden, ErrUnitNotFound, ErrOpenForAll (registration is open for
// every unit, which CloseRegistration closes), ErrRegistrationNotOpen
// (never opened) or ErrRegistrationClosed (closed, and not open for the
// unit alone).
func (b *Block) CloseRegistrationAlone(a Actor, unitID string, now time.Time) error {
	if !b.CanManage(a) {
		return ErrForbidden
	}
	if b.Unit(unitID) == nil {
		return b.unitNotFound(unitID)
	}
	if b.RegistrationOf(unitID).Opening == nil {
		if err := b.registrationOpen(); err != nil {
			return err
		}
		return ErrOpenForAll
	}
	b.endOpening(a, unitID, now, "")
	return nil
}

// Why registration opened for a unit alone ended, when it was not closed
// (see endOpening): the value after of its reg.unit_close entry.
const (
	OpeningEndedOpenForAll = "mở cho mọi đơn vị"
	OpeningEndedRemoved    = "đơn vị bị xoá khỏi khối"
)

// endOpening ends the registration opened for the unit alone, which must
// be open, recording reg.unit_close with its deadline and why it ended
// ("" when closed; see OpeningEndedOpenForAll), so that the unit's history
// shows each of its openings end.
func (b *Block) endOpening(a Actor, unitID string, now time.Time, why string) {
	u := b.unitReg(unitID)
	b.record(a, now, "reg.unit_close", unitID, dueText(u.Opening.Due), why)
	u.Opening = nil
}

// UnitsOpenAlone returns the ids of the units, in unit order, for which
// registration is open alone (see OpenRegistrationAlone).
func (b *Block) UnitsOpenAlone() []string {
	return b.unitsWhere(func(u UnitRegistration) bool { return u.Opening != nil })
}

// registrationOpen returns nil while registration is open, else
// ErrRegistrationNotOpen (never opened) or ErrRegistrationClosed.
func (b *Block) registrationOpen() error {
	switch {
	case b.Registration.Open:
		return nil
	case b.Registration.Opened == nil:
		return ErrRegistrationNotOpen
	}
	return ErrRegistrationClosed
}

// RegistrationOpenFor returns nil while the unit may register: registration
// is open, for every unit or for this one alone (see OpenRegistrationAlone);
// else ErrRegistrationNotOpen (never opened) or ErrRegistrationClosed.
func (b *Block) RegistrationOpenFor(unitID string) error {
	if b.RegistrationOf(unitID).Opening != nil {
		return nil
	}
	return b.registrationOpen()
}

// PledgesEditable returns nil when the actor may change the unit's pledges
// now: the actor represents the unit or administers the group, registration
// is open for the unit (see RegistrationOpenFor), and the unit's list is a
// draft or returned. Otherwise it returns
// ErrUnitNotFound, ErrNotYourUnit, ErrRegistrationNotOpen,
// ErrRegistrationClosed, ErrListSubmitted or ErrListApproved, in that order.
func (b *Block) PledgesEditable(a Actor, unitID string) error {
	if b.Unit(unitID) == nil {
		return b.unitNotFound(unitID)
	}
	if !b.CanActFor(a, unitID) {
		return ErrNotYourUnit
	}
	if err := b.RegistrationOpenFor(unitID); err != nil {
		return err
	}
	switch b.RegistrationOf(unitID).State {
	case ListSubmitted:
		return ErrListSubmitted
	case ListApproved:
		return ErrListApproved
	}
	return nil
}

// AddPledges appends pledges to the unit's list, all or none. It returns
// the errors of PledgesEditable, ErrTooManyPledges (more than MaxPledges in
// all), or the error of the first invalid draft (see ParsePledge), wrapped
// with its position.
func (b *Block) AddPledges(a Actor, unitID string, drafts []PledgeDraft, now time.Time) ([]Pledge, error) {
	if err := b.PledgesEditable(a, unitID); err != nil {
		return nil, err
	}
	if len(drafts) == 0 {
		return nil, ErrPledgeTitle
	}
	if len(b.RegistrationOf(unitID).Pledges)+len(drafts) > MaxPledges {
		return nil, ErrTooManyPledges
	}
	clean := make([]PledgeDraft, len(drafts))
	for i, d := range drafts {
		c, err := d.check(b.Year)
		if err != nil {
			return nil, fmt.Errorf("pledge %d: %w", i+1, err)
		}
		clean[i] = c
	}
	u := b.unitReg(unitID)
	added := make([]Pledge, 0, len(clean))
	for _, d := range clean {
		p := Pledge{ID: b.seq("p"), Title: d.Title, Target: d.Target, Due: d.Due}
		u.Pledges = append(u.Pledges, p)
		added = append(added, p)
		b.recordFor(a, unitID, now, "pledge.add", "", fmt.Sprintf("%d. %s", len(u.Pledges), p))
	}
	return added, nil
}

// pledgeIndex returns the index of the unit's pledge number n (1-based), or
// ErrPledgeNotFound.
func (b *Block) pledgeIndex(unitID string, n int) (int, error) {
	if n < 1 || n > len(b.RegistrationOf(unitID).Pledges) {
		return 0, ErrPledgeNotFound
	}
	return n - 1, nil
}

// EditPledge replaces the unit's pledge number n (1-based) with the draft,
// keeping its id, and returns the pledge before and after. It returns the
// errors of PledgesEditable, ErrPledgeNotFound, or the draft's error (see
// ParsePledge).
func (b *Block) EditPledge(a Actor, unitID string, n int, d PledgeDraft, now time.Time) (before, after Pledge, err error) {
	if err := b.PledgesEditable(a, unitID); err != nil {
		return before, after, err
	}
	i, err := b.pledgeIndex(unitID, n)
	if err != nil {
		return before, after, err
	}
	if d, err = d.check(b.Year); err != nil {
		return before, after, err
	}
	u := b.unitReg(unitID)
	before = u.Pledges[i]
	after = Pledge{ID: before.ID, Title: d.Title, Target: d.Target, Due: d.Due}
	if before.String() != after.String() {
		u.Pledges[i] = after
		b.recordFor(a, unitID, now, "pledge.edit", fmt.Sprintf("%d. %s", n, before), fmt.Sprintf("%d. %s", n, after))
	}
	return before, after, nil
}

// DeletePledge removes the unit's pledge number n (1-based); the pledges
// after it move up one number. It returns the errors of PledgesEditable or
// ErrPledgeNotFound.
func (b *Block) DeletePledge(a Actor, unitID string, n int, now time.Time) (Pledge, error) {
	if err := b.PledgesEditable(a, unitID); err != nil {
		return Pledge{}, err
	}
	i, err := b.pledgeIndex(unitID, n)
	if err != nil {
		return Pledge{}, err
	}
	u := b.unitReg(unitID)
	gone := u.Pledges[i]
	u.Pledges = append(u.Pledges[:i], u.Pledges[i+1:]...)
	b.recordFor(a, unitID, now, "pledge.delete", fmt.Sprintf("%d. %s", n, gone), "")
	return gone, nil
}

// SubmitPledges sends the unit's list for approval: it is frozen until a
// manager approves or returns it. It returns the errors of PledgesEditable
// or ErrNoPledges, and on success the unit's registration as submitted.
func (b *Block) SubmitPledges(a Actor, unitID string, now time.Time) (UnitRegistration, error) {
	if err := b.PledgesEditable(a, unitID); err != nil {
		return UnitRegistration{}, err
	}
	if len(b.RegistrationOf(unitID).Pledges) == 0 {
		return UnitRegistration{}, ErrNoPledges
	}
	u := b.unitReg(unitID)
	u.State, u.Round, u.Submitted, u.Reason = ListSubmitted, max(u.Round, b.Registration.Numbered)+1, attribution(a, now), ""
	u.MessageID = 0
	b.recordFor(a, unitID, now, "pledges.submit", "", fmt.Sprintf("%d nội dung", len(u.Pledges)))
	return *u, nil
}

// ApprovePledges approves the unit's submitted list. A round other than 0
// must be the list's current Round, so that a button under an earlier
// submission approves nothing. The approval ends registration opened for
// the unit alone (see OpenRegistrationAlone). Only managers approve. It
// returns ErrForbidden, ErrUnitNotFound, ErrAlreadyApproved,
// ErrNotSubmitted or ErrListChanged.
func (b *Block) ApprovePledges(a Actor, unitID string, round int, now time.Time) (UnitRegistration, error) {
	if !b.CanManage(a) {
		return UnitRegistration{}, ErrForbidden
	}
	if b.Unit(unitID) == nil {
		return UnitRegistration{}, b.unitNotFound(unitID)
	}
	switch cur := b.RegistrationOf(unitID); {
	case cur.State == ListApproved:
		return UnitRegistration{}, ErrAlreadyApproved
	case cur.State != ListSubmitted:
		return UnitRegistration{}, ErrNotSubmitted
	case round != 0 && round != cur.Round:
		return UnitRegistration{}, ErrListChanged
	}
	u := b.unitReg(unitID)
	u.State, u.Decided = ListApproved, attribution(a, now)
	u.Opening = nil // registration opened for the unit alone has done its work
	b.record(a, now, "pledges.approve", unitID, "", fmt.Sprintf("%d nội dung", len(u.Pledges)))
	return *u, nil
}

// ReturnPledges returns the unit's submitted or approved list with a reason:
// the unit may edit it again (while registration is open) and submit it
// anew. A unit that had signed the covenant on the list it is returned
// loses its signature (recorded as covenant.withdraw): it signs again once
// its list is approved again, and the covenant's completion is announced
// again then. Only managers return lists. It returns ErrForbidden,
// ErrUnitNotFound, ErrNotSubmitted or ErrReason (empty, or longer than
// MaxReasonLen).
func (b *Block) ReturnPledges(a Actor, unitID, reason string, now time.Time) (UnitRegistration, error) {
	if !b.CanManage(a) {
		return UnitRegistration{}, ErrForbidden
	}
	if b.Unit(unitID) == nil {
		return UnitRegistration{}, b.unitNotFound(unitID)
	}
	if s := b.RegistrationOf(unitID).State; s != ListSubmitted && s != ListApproved {
		return UnitRegistration{}, ErrNotSubmitted
	}
	reason, ok := CleanText(reason, MaxReasonLen)
	if !ok {
		return UnitRegistration{}, ErrReason
	}
	u := b.unitReg(unitID)
	if u.State == ListApproved {
		u.MessageID = 0 // its buttons went with the approval
	}
	u.State, u.Decided, u.Reason = ListReturned, attribution(a, now), reason
	b.record(a, now, "pledges.return", unitID, "", reason)
	if u.Signed != nil {
		b.record(a, now, "covenant.withdraw", unitID, FormatDate(u.Signed.At, b.Location()), "")
		u.Signed = nil
		if c := b.Registration.Covenant; c != nil {
			c.reopen()
		}
	}
	return *u, nil
}

// AddCriteria appends scoring criteria, all or none. Only managers add
// them, and only before the covenant is opened. It returns ErrForbidden,
// ErrCriteriaFrozen, ErrTooManyCriteria, ErrCriterionExists (a title already
// there or given twice), or the error of the first invalid draft (see
// ParseCriterion), wrapped with its position.
func (b *Block) AddCriteria(a Actor, drafts []CriterionDraft, now time.Time) ([]Criterion, error) {
	if err := b.CriteriaChangeable(a); err != nil {
		return nil, err
	}
	r := &b.Registration
	if len(drafts) == 0 {
		return nil, ErrCriterionTitle
	}
	if len(r.Criteria)+len(drafts) > MaxCriteria {
		return nil, ErrTooManyCriteria
	}
	seen := map[string]bool{}
	for _, c := range r.Criteria {
		seen[Fold(c.Title)] = true
	}
	clean := make([]CriterionDraft, len(drafts))
	for i, d := range drafts {
		c, err := d.check()
		if err != nil {
			return nil, fmt.Errorf("criterion %d: %w", i+1, err)
		}
		if seen[Fold(c.Title)] {
			return nil, fmt.Errorf("criterion %d: %w: %s", i+1, ErrCriterionExists, c.Title)
		}
		seen[Fold(c.Title)] = true
		clean[i] = c
	}
	added := make([]Criterion, 0, len(clean))
	for _, d := range clean {
		c := Criterion{ID: b.seq("c"), Title: d.Title, MaxPoints: d.MaxPoints}
		r.Criteria = append(r.Criteria, c)
		added = append(added, c)
		b.record(a, now, "criterion.add", "", "", c.String())
	}
	return added, nil
}

// RemoveCriterion removes criterion number n (1-based). Only managers remove
// criteria, and only before the covenant is opened. It returns ErrForbidden,
// ErrCriteriaFrozen or ErrCriterionNotFound.
func (b *Block) RemoveCriterion(a Actor, n int, now time.Time) (Criterion, error) {
	if err := b.CriteriaChangeable(a); err != nil {
		return Criterion{}, err
	}
	r := &b.Registration
	if n < 1 || n > len(r.Criteria) {
		return Criterion{}, ErrCriterionNotFound
	}
	gone := r.Criteria[n-1]
	r.Criteria = append(r.Criteria[:n-1], r.Criteria[n:]...)
	b.record(a, now, "criterion.remove", "", gone.String(), "")
	return gone, nil
}

// CriteriaChangeable returns nil when the actor may change the scoring
// criteria now, else ErrForbidden (not a manager) or ErrCriteriaFrozen (the
// covenant over them is opened).
func (b *Block) CriteriaChangeable(a Actor) error {
	if !b.CanManage(a) {
		return ErrForbidden
	}
	if b.Registration.Covenant != nil {
		return ErrCriteriaFrozen
	}
	return nil
}

// CriteriaTotal returns the sum of the criteria's maximum points.
func (b *Block) CriteriaTotal() float64 {
	var sum float64
	for _, c := range b.Registration.Criteria {
		sum += c.MaxPoints
	}
	return sum
}

// OpenCovenant opens the covenant for signing with the year's slogan and an
// optional last day for signing (zero for none). While no unit has signed,
// opening it again replaces the slogan and the deadline. Each opening makes
// a new Post. Only managers open it. It returns ErrForbidden, ErrSlogan
// (empty, or longer than MaxSloganLen), ErrDueInPast, ErrCovenantNoUnits,
// ErrNoCriteria or ErrCovenantSigned.
func (b *Block) OpenCovenant(a Actor, slogan string, due, now time.Time) (Covenant, error) {
	if !b.CanManage(a) {
		return Covenant{}, ErrForbidden
	}
	slogan, ok := CleanText(slogan, MaxSloganLen)
	if !ok {
		return Covenant{}, ErrSlogan
	}
	if err := checkDue(due, now); err != nil {
		return Covenant{}, err
	}
	if len(b.Units) == 0 {
		return Covenant{}, ErrCovenantNoUnits
	}
	if len(b.Registration.Criteria) == 0 {
		return Covenant{}, ErrNoCriteria
	}
	for _, u := range b.Registration.Units {
		if u.Signed != nil && b.Unit(u.UnitID) != nil {
			return Covenant{}, ErrCovenantSigned
		}
	}
	c := Covenant{Slogan: slogan, Opened: *attribution(a, now), Due: due, Post: b.Registration.Numbered + 1}
	before := ""
	if old := b.Registration.Covenant; old != nil {
		c.Post, c.Superseded = old.Post+1, old.replaced()
		before = old.String()
	}
	b.Registration.Covenant = &c
	b.record(a, now, "covenant.open", "", before, c.String())
	return c, nil
}

// RepostCovenant makes a new Post of the opened covenant, so that the sign
// button can be posted again at the bottom of the chat; the buttons of
// earlier posts stop working. It records no event, since the covenant does
// not change. Managers repost it, and so do representatives, who bring it
// up to sign it. It returns ErrForbidden or ErrNoCovenant.
func (b *Block) RepostCovenant(a Actor) (Covenant, error) {
	if !b.CanManage(a) && b.RepOf(a.UserID) == nil {
		return Covenant{}, ErrForbidden
	}
	c := b.Registration.Covenant
	if c == nil {
		return Covenant{}, ErrNoCovenant
	}
	c.Post++
	c.MessageID, c.Superseded = 0, c.replaced()
	return *c, nil
}

// replaced is the message a new post replaces (see Superseded): that of
// the latest post or, when the bot recorded none (its post or the record
// failed), the one the latest post replaced, which may not have been
// edited yet.
func (c *Covenant) replaced() int {
	if c.MessageID != 0 {
		return c.MessageID
	}
	return c.Superseded
}

// SetCovenantMessage records the group message that carries post, the
// covenant's latest Post, as the one to edit when what it shows changes.
// It records no history event. It returns ErrNoCovenant, or
// ErrCovenantStale when a later post superseded post.
func (b *Block) SetCovenantMessage(post, messageID int) error {
	c := b.Registration.Covenant
	switch {
	case c == nil:
		return ErrNoCovenant
	case post != c.Post:
		return ErrCovenantStale
	}
	c.MessageID = messageID
	return nil
}

// SetSubmissionMessage records the group message that posts round, the
// unit's latest submission of its list, with the managers' buttons. It
// records no history event. It returns ErrListChanged when the list is no
// longer awaiting approval in that round.
func (b *Block) SetSubmissionMessage(unitID string, round, messageID int) error {
	if cur := b.RegistrationOf(unitID); cur.State != ListSubmitted || cur.Round != round {
		return ErrListChanged
	}
	b.unitReg(unitID).MessageID = messageID
	return nil
}

// forgetSubmissionMessages forgets the messages of the lists' submissions,
// which are of the chat the block moved from (see MoveChat).
func (b *Block) forgetSubmissionMessages() {
	for i := range b.Registration.Units {
		b.Registration.Units[i].MessageID = 0
	}
}

// forgetCovenantMessage forgets the messages of the covenant's posts,
// which are of the chat the block moved from (see MoveChat): the bot keeps
// no message current until /covenant posts it in the new chat, and that
// post replaces none.
func (b *Block) forgetCovenantMessage() {
	if c := b.Registration.Covenant; c != nil {
		c.MessageID, c.Superseded = 0, 0
	}
}

// SignCovenant signs the covenant for the actor's unit, once. A post other
// than 0 must be the covenant's current Post. A unit signs only with an
// approved pledge list. It returns the unit's id and whether this signature
// completed the covenant (every unit signed, to be announced now and never
// again, see completeCovenant), or ErrNoCovenant, ErrCovenantStale,
// ErrNotRepresentative, ErrAlreadySigned or ErrCannotSign.
func (b *Block) SignCovenant(a Actor, post int, now time.Time) (unitID string, complete bool, err error) {
	c := b.Registration.Covenant
	switch {
	case c == nil:
		return "", false, ErrNoCovenant
	case post != 0 && post != c.Post:
		return "", false, ErrCovenantStale
	}
	rep := b.RepOf(a.UserID)
	if rep == nil {
		return "", false, ErrNotRepresentative
	}
	cur := b.RegistrationOf(rep.UnitID)
	switch {
	case cur.Signed != nil:
		return rep.UnitID, false, ErrAlreadySigned
	case cur.State != ListApproved || len(cur.Pledges) == 0:
		return rep.UnitID, false, ErrCannotSign
	}
	b.unitReg(rep.UnitID).Signed = attribution(a, now)
	b.recordFor(a, rep.UnitID, now, "covenant.sign", "", c.Slogan)
	return rep.UnitID, b.completeCovenant(now), nil
}

// completeCovenant marks the opened covenant completed at now, its
// announcement pending, once every unit of the block has signed it, unless
// it was completed before, and reports whether it did: the caller then
// announces the completion and records it (MarkCovenantAnnounced), or the
// scheduler does (see nextCovenantDue). A change that may leave every unit
// signed (a signature, a unit's removal) calls it.
func (b *Block) completeCovenant(now time.Time) bool {
	c := b.Registration.Covenant
	if c == nil || c.Completed || len(b.Units) == 0 || len(b.UnsignedUnits()) > 0 {
		return false
	}
	c.Completed, c.AnnouncePending, c.CompletedAt = true, true, now
	return true
}

// reopen undoes the covenant's completion, announced or not: a unit of the
// block has not signed it (a signature withdrawn, see ReturnPledges; a unit
// added before the group was told, see AddUnits), and the change that
// leaves every unit signed again completes it anew (see completeCovenant).
func (c *Covenant) reopen() {
	c.Completed, c.AnnouncePending, c.CompletedAt = false, false, time.Time{}
}

// nextCovenantDue is the time the covenant was completed while the group
// has not been told (due now: the announcement is still to be posted), or
// zero.
func (b *Block) nextCovenantDue() time.Time {
	if c := b.Registration.Covenant; c != nil && c.AnnouncePending {
		return c.CompletedAt
	}
	return time.Time{}
}

// MarkCovenantAnnounced records that the group has been told every unit
// signed the covenant, and reports whether that was pending. It records no
// history event: the signature or removal that completed it is recorded.
func (b *Block) MarkCovenantAnnounced() bool {
	c := b.Registration.Covenant
	if c == nil || !c.AnnouncePending {
		return false
	}
	c.AnnouncePending = false
	return true
}

// unitsWhere returns the ids of the units, in unit order, whose registration
// satisfies keep.
func (b *Block) unitsWhere(keep func(UnitRegistration) bool) []string {
	var out []string
	for _, u := range b.Units {
		if keep(b.RegistrationOf(u.ID)) {
			out = append(out, u.ID)
		}
	}
	return out
}

// UnitsWithoutPledges returns the ids of the units, in unit order, that have
// registered no pledge.
func (b *Block) UnitsWithoutPledges() []string {
	return b.unitsWhere(func(u UnitRegistration) bool { return len(u.Pledges) == 0 })
}

// UnitsNotApproved returns the ids of the units, in unit order, whose pledge
// list is not approved: not submitted, awaiting approval, or returned.
func (b *Block) UnitsNotApproved() []string {
	return b.unitsWhere(func(u UnitRegistration) bool { return u.State != ListApproved })
}

// UnsignedUnits returns the ids of the units, in unit order, that have not
// signed the covenant; none while the covenant is not opened.
func (b *Block) UnsignedUnits() []string {
	if b.Registration.Covenant == nil {
		return nil
	}
	return b.unitsWhere(func(u UnitRegistration) bool { return u.Signed == nil })
}

// RegistrationDue returns the last day of registration (midnight starting
// it, in the block's time zone) while registration is open, and the zero
// time when it is closed or has no deadline.
func (b *Block) RegistrationDue() time.Time {
	if !b.Registration.Open {
		return time.Time{}
	}
	return b.Registration.Due
}

// CovenantDue returns the last day for signing the covenant (midnight
// starting it, in the block's time zone), and the zero time when the
// covenant is not opened or has no deadline.
func (b *Block) CovenantDue() time.Time {
	if c := b.Registration.Covenant; c != nil {
		return c.Due
	}
	return time.Time{}
}
