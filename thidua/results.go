package thidua

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// This file holds the periodic results of the year: the reporting periods
// (kỳ báo cáo) with their deadlines, each unit's report for a period with
// its evidence, the drafts of reports typed step by step, and what follows
// from them: whether a report was late, how far each unit has come against
// its targets.

// Limits of the periodic results.
const (
	// MaxPeriods is the most reporting periods a block may have.
	MaxPeriods = 24
	// MaxPeriodNameLen is the longest period name, in characters.
	MaxPeriodNameLen = 100
	// MaxNoteLen is the longest note of a reported value, in characters.
	MaxNoteLen = 300
	// MaxEvidence is the most evidence files one report keeps.
	MaxEvidence = 20
	// MaxCaptionLen is the longest caption or file name of evidence kept, in
	// characters; longer ones are cut.
	MaxCaptionLen = 200
	// KeptRevisions is how many earlier submissions a report keeps besides
	// the current one, without their values; the history keeps every
	// submission with its values.
	KeptRevisions = 5
	// DraftLifetime is how long a report draft typed step by step is kept
	// unfinished; older drafts are dropped when another one starts.
	DraftLifetime = 7 * 24 * time.Hour
	// CompletionCap is the highest completion shown for one pledge, in %.
	CompletionCap = 999
	// OvershootFactor is how many times its pledge's target a reported
	// value must reach to be likely a typo (500 typed for 50 nhà): see
	// Entry.Overshoots.
	OvershootFactor = 10
	// MaxLikelyPercent is the highest value, in %, likely for a pledge
	// whose target is itself in % ("40%"): above it a value is likely a
	// typo (350 typed for 35,0), ten times the target or not.
	MaxLikelyPercent = 200
)

// Errors of the periodic results. Compare with errors.Is.
var (
	ErrPeriodFormat     = newErr("period_format", "a period is written <name> | <deadline dd/mm/yyyy>")
	ErrPeriodName       = newErr("period_name", "the period name is empty, too long or a bare number")
	ErrPeriodDue        = newErr("period_due", "the period deadline is not a date dd/mm/yyyy that exists")
	ErrPeriodDueYear    = newErr("period_due_year", "the period deadline is outside the block's year and January of the next")
	ErrPeriodExists     = newErr("period_exists", "a period with this name already exists")
	ErrTooManyPeriods   = newErr("too_many_periods", "too many reporting periods")
	ErrPeriodNotFound   = newErr("period_not_found", "no such reporting period")
	ErrPeriodHasReports = newErr("period_has_reports", "units have reported for this period")
	ErrReportLine       = newErr("report_line", "a report line is <pledge number> <value> [note]")
	ErrReportValue      = newErr("report_value", "the reported value is not a number")
	ErrReportNegative   = newErr("report_negative", "the reported value is negative")
	ErrReportNote       = newErr("report_note", "the note is too long")
	ErrReportTwoValues  = newErr("report_two_values", "a report line gives two values, as a table's row with its target column does")
	ErrReportPledge     = newErr("report_pledge", "the unit has no pledge with this number")
	ErrReportDuplicate  = newErr("report_duplicate", "the same pledge is reported twice")
	ErrReportEmpty      = newErr("report_empty", "the report holds no value")
	ErrNothingToReport  = newErr("nothing_to_report", "the unit has registered no pledges to report on")
	ErrNotYourReport    = newErr("not_your_report", "only the unit's representatives or an administrator may report for it")
	ErrReportNotFound   = newErr("report_not_found", "the unit has not reported for this period")
	ErrTooMuchEvidence  = newErr("too_much_evidence", "the report has the most evidence files it may keep")
	ErrDraftNotFound    = newErr("draft_not_found", "the report draft was finished, cancelled or replaced")
	ErrDraftOwner       = newErr("draft_owner", "only the person filling the draft in may answer it")
	ErrDraftStep        = newErr("draft_step", "this step of the draft was answered already")
	ErrDraftInUse       = newErr("draft_in_use", "someone else's draft of the unit's report for the period holds answers")
)

// Results are the periodic results of the year: the reporting periods, the
// units' reports and the drafts being filled in. The zero value means no
// period and no report yet.
type Results struct {
	// Periods are the reporting periods, earliest deadline first, numbered
	// 1..n in this order.
	Periods []Period `json:"periods,omitempty"`
	// Reports holds the current report of each unit for each period, in
	// the order of their keys (ReportKey.Compare: unit ids, then period
	// ids, in byte order, as u1, u10, u2): storage keeps each report as a
	// record of its own (see Block.TakeChangedReports) and restores this
	// order, which the records alone determine, when it reads them.
	Reports []Report `json:"reports,omitempty"`
	// Drafts are reports being filled in step by step, at most one per unit
	// and period.
	Drafts []ReportDraft `json:"drafts,omitempty"`
}

// Period is a reporting period of the year (kỳ báo cáo): "Quý I", "6 tháng".
type Period struct {
	// ID is stable across edits and never reused in the block.
	ID   string `json:"id"`
	Name string `json:"name"`
	// Due is the last day for reports (midnight starting it); a report
	// received after that day, in the block's time zone, is late.
	Due   time.Time   `json:"due"`
	Added Attribution `json:"added"`
}

// String writes the period the way it is typed: "Quý I | 31/03/2026".
func (p Period) String() string { return p.Name + " | " + FormatDate(p.Due, p.Due.Location()) }

// PeriodDraft is a period as a person wrote it, before it is added.
type PeriodDraft struct {
	Name string
	Due  time.Time
}

// ParsePeriod reads a period written "<tên kỳ> | <hạn dd/mm/yyyy>", the
// deadline read in loc; dd/mm means the block's year. It returns
// ErrPeriodFormat (not two parts), ErrPeriodName, ErrPeriodDue or
// ErrPeriodDueYear (a deadline outside year and January of the next).
func ParsePeriod(s string, year int, loc *time.Location) (PeriodDraft, error) {
	name, due, ok := strings.Cut(s, "|")
	if !ok || strings.Contains(due, "|") || strings.TrimSpace(due) == "" {
		return PeriodDraft{}, ErrPeriodFormat
	}
	d := PeriodDraft{Name: name}
	var err error
	if d.Due, err = parsePeriodDue(due, year, loc); err != nil {
		return PeriodDraft{}, err
	}
	return d.check(year)
}

// parsePeriodDue reads a period deadline, returning ErrPeriodDue.
func parsePeriodDue(s string, year int, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	due, err := ParseDate(s, year, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q", ErrPeriodDue, s)
	}
	return due, nil
}

// ParsePeriodEdit reads the new name and deadline of a period, either of
// which may be empty to keep it: "<tên kỳ> | <hạn>", "<tên kỳ>", "| <hạn>".
// It returns the errors of ParsePeriod.
func ParsePeriodEdit(s string, year int, loc *time.Location) (PeriodDraft, error) {
	name, due, _ := strings.Cut(s, "|")
	if strings.Contains(due, "|") || strings.TrimSpace(s) == "" || strings.TrimSpace(s) == "|" {
		return PeriodDraft{}, ErrPeriodFormat
	}
	d := PeriodDraft{Name: strings.TrimSpace(name)}
	if d.Name != "" {
		if _, err := cleanPeriodName(d.Name); err != nil {
			return PeriodDraft{}, err
		}
	}
	if strings.TrimSpace(due) != "" {
		var err error
		if d.Due, err = parsePeriodDue(due, year, loc); err != nil {
			return PeriodDraft{}, err
		}
		if !dueInYears(d.Due, year) {
			return PeriodDraft{}, ErrPeriodDueYear
		}
	}
	return d, nil
}

// cleanPeriodName cleans a period name; a bare number is refused, since
// periods are also named by their number.
func cleanPeriodName(s string) (string, error) {
	name, ok := CleanText(s, MaxPeriodNameLen)
	if !ok {
		return "", ErrPeriodName
	}
	if _, err := strconv.Atoi(name); err == nil {
		return "", ErrPeriodName
	}
	return name, nil
}

// dueInYears reports whether a period deadline falls in the block's year or
// in January of the next (a year-end report may be due then). A later one
// is most likely the wrong year typed, and would hold the turn to the next
// year back until it passed (see Block.PeriodsStillDue).
func dueInYears(due time.Time, year int) bool {
	return due.Year() == year || due.Year() == year+1 && due.Month() == time.January
}

// check validates a period draft for a block of the year and returns it
// cleaned.
func (d PeriodDraft) check(year int) (PeriodDraft, error) {
	name, err := cleanPeriodName(d.Name)
	if err != nil {
		return d, err
	}
	d.Name = name
	if d.Due.IsZero() || !dueInYears(d.Due, year) {
		return d, ErrPeriodDueYear
	}
	return d, nil
}

// Periods returns a copy of the block's reporting periods, earliest deadline
// first; a period's number is its position in this list plus one.
func (b *Block) Periods() []Period { return slices.Clone(b.Results.Periods) }

// Period returns the period with this id, or nil.
func (b *Block) Period(id string) *Period {
	for i := range b.Results.Periods {
		if b.Results.Periods[i].ID == id {
			return &b.Results.Periods[i]
		}
	}
	return nil
}

// FindPeriod resolves what a person typed to a period: its number in
// /periods, its name, or a part of its name that matches only one period,
// ignoring case and diacritics. It returns ErrPeriodNotFound when nothing or
// more than one period matches.
func (b *Block) FindPeriod(ref string) (Period, error) {
	ps := b.Results.Periods
	i, ok := findByName(ref, len(ps), func(i int) string { return ps[i].Name })
	if !ok {
		// «quý 1» names «Quý I», as staff often type it; a numeral alone
		// ("I") would read as a period's number, and names none.
		if digits := romanAsDigits(ref); strings.ContainsFunc(digits, unicode.IsLetter) {
			i, ok = findByName(digits, len(ps), func(i int) string { return romanAsDigits(ps[i].Name) })
		}
	}
	if !ok {
		return Period{}, fmt.Errorf("%w: %q", ErrPeriodNotFound, strings.TrimSpace(ref))
	}
	return ps[i], nil
}

// romanNumerals are the Roman numerals of the months and quarters that
// period names use, folded (see Fold), as digits.
var romanNumerals = map[string]string{
	"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6",
	"vii": "7", "viii": "8", "ix": "9", "x": "10", "xi": "11", "xii": "12",
}

// romanAsDigits folds s (see Fold) and writes its words that are Roman
// numerals from I to XII as digits: «Quý II» becomes «quy 2».
func romanAsDigits(s string) string {
	words := strings.Fields(Fold(s))
	for i, w := range words {
		if d, ok := romanNumerals[w]; ok {
			words[i] = d
		}
	}
	return strings.Join(words, " ")
}

// PeriodEnd returns the first moment a report for the period is late: the
// midnight ending its deadline day in the block's time zone.
func (b *Block) PeriodEnd(p Period) time.Time {
	d := p.Due.In(b.Location())
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, b.Location())
}

// IsLate reports whether a report received at t for the period is late. It
// follows the period's current deadline, so extending a deadline forgives
// the reports received before the new one.
func (b *Block) IsLate(p Period, t time.Time) bool { return !t.Before(b.PeriodEnd(p)) }

// ReportOwed reports whether the unit owes a report for the period: unless
// it joined the block once the period's deadline day had ended, the period
// set already (see Unit.AddedAt). What closed before a unit joined it could
// not do: it is not overdue for it, not reminded of it, and a report it
// sends for it anyway is not late. A period a manager sets after the unit
// joined is owed as by every unit, whatever its deadline.
func (b *Block) ReportOwed(unitID string, p Period) bool {
	u := b.Unit(unitID)
	return u == nil || u.AddedAt.Before(b.PeriodEnd(p)) || !u.AddedAt.After(p.Added.At)
}

// ReportLate reports whether the unit's report for the period received at t
// is late: after the period's deadline day, for a unit that owes it (see
// ReportOwed).
func (b *Block) ReportLate(unitID string, p Period, t time.Time) bool {
	return b.IsLate(p, t) && b.ReportOwed(unitID, p)
}

// sortPeriods keeps the periods in deadline order, ties in the order added.
func (b *Block) sortPeriods() {
	slices.SortStableFunc(b.Results.Periods, func(x, y Period) int { return x.Due.Compare(y.Due) })
}

// checkPeriodName returns ErrPeriodExists when another period than except
// has the name, ignoring case and diacritics.
func (b *Block) checkPeriodName(name, except string) error {
	for _, p := range b.Results.Periods {
		if p.ID != except && Fold(p.Name) == Fold(name) {
			return fmt.Errorf("%w: %s", ErrPeriodExists, p.Name)
		}
	}
	return nil
}

// AddPeriods adds reporting periods, all or none. Only managers add them. It
// returns ErrForbidden, ErrTooManyPeriods, ErrPeriodExists (a name already
// there or given twice) or the error of the first invalid draft (see
// ParsePeriod), wrapped with its position.
func (b *Block) AddPeriods(a Actor, drafts []PeriodDraft, now time.Time) ([]Period, error) {
	if !b.CanManage(a) {
		return nil, ErrForbidden
	}
	if len(drafts) == 0 {
		return nil, ErrPeriodFormat
	}
	if len(b.Results.Periods)+len(drafts) > MaxPeriods {
		return nil, ErrTooManyPeriods
	}
	clean := make([]PeriodDraft, len(drafts))
	seen := map[string]bool{}
	for i, d := range drafts {
		c, err := d.check(b.Year)
		if err == nil {
			err = b.checkPeriodName(c.Name, "")
		}
		if err == nil && seen[Fold(c.Name)] {
			err = fmt.Errorf("%w: %s", ErrPeriodExists, c.Name)
		}
		if err != nil {
			return nil, fmt.Errorf("period %d: %w", i+1, err)
		}
		seen[Fold(c.Name)] = true
		clean[i] = c
	}
	added := make([]Period, 0, len(clean))
	for _, d := range clean {
		p := Period{ID: b.seq("k"), Name: d.Name, Due: d.Due, Added: *attribution(a, now)}
		b.Results.Periods = append(b.Results.Periods, p)
		added = append(added, p)
		b.record(a, now, "period.add", "", "", p.String())
	}
	b.sortPeriods()
	return added, nil
}

// EditPeriod renames the period or moves its deadline: an empty name or a
// zero deadline in d keeps the current one. The reports already received
// stay; whether they are late follows the new deadline. Only managers edit
// periods. It returns ErrForbidden, ErrPeriodNotFound, ErrPeriodName,
// ErrPeriodDueYear or ErrPeriodExists, and the period before and after.
func (b *Block) EditPeriod(a Actor, periodID string, d PeriodDraft, now time.Time) (before, after Period, err error) {
	if !b.CanManage(a) {
		return before, after, ErrForbidden
	}
	p := b.Period(periodID)
	if p == nil {
		return before, after, ErrPeriodNotFound
	}
	before = *p
	if d.Name == "" {
		d.Name = p.Name
	}
	if d.Due.IsZero() {
		// The deadline kept is not checked again: one stored under an
		// earlier rule stays through a rename.
		d.Due = p.Due
		if d.Name, err = cleanPeriodName(d.Name); err != nil {
			return before, after, err
		}
	} else if d, err = d.check(b.Year); err != nil {
		return before, after, err
	}
	if err := b.checkPeriodName(d.Name, p.ID); err != nil {
		return before, after, err
	}
	p.Name, p.Due = d.Name, d.Due
	after = *p
	if before.String() != after.String() {
		b.record(a, now, "period.edit", "", before.String(), after.String())
		b.sortPeriods()
	}
	return before, after, nil
}

// ReportCount returns how many of the block's units have reported for the
// period.
func (b *Block) ReportCount(periodID string) int {
	n := 0
	for _, r := range b.Results.Reports {
		if r.PeriodID == periodID && b.Unit(r.UnitID) != nil {
			n++
		}
	}
	return n
}

// ReportsDue returns how many of the block's units are to report for the
// period: those that owe it (see ReportOwed), and those that reported for
// it all the same.
func (b *Block) ReportsDue(p Period) int {
	n := 0
	for _, u := range b.Units {
		if b.ReportOwed(u.ID, p) || b.report(u.ID, p.ID) != nil {
			n++
		}
	}
	return n
}

// DeletePeriod removes a period with its drafts. When units have reported
// for it, their reports go too, but only with withReports set; otherwise it
// returns ErrPeriodHasReports, so that a manager confirms first. Only
// managers delete periods. It returns ErrForbidden, ErrPeriodNotFound or
// ErrPeriodHasReports, and the period with its number of reports (see
// ReportCount).
func (b *Block) DeletePeriod(a Actor, periodID string, withReports bool, now time.Time) (Period, int, error) {
	if !b.CanManage(a) {
		return Period{}, 0, ErrForbidden
	}
	p := b.Period(periodID)
	if p == nil {
		return Period{}, 0, ErrPeriodNotFound
	}
	gone := *p
	n := b.ReportCount(periodID)
	if n > 0 && !withReports {
		return gone, n, ErrPeriodHasReports
	}
	res := &b.Results
	res.Periods = slices.DeleteFunc(res.Periods, func(p Period) bool { return p.ID == periodID })
	res.Reports = slices.DeleteFunc(res.Reports, func(r Report) bool {
		if r.PeriodID == periodID {
			b.reportsChange(r.Key())
			return true
		}
		return false
	})
	res.Drafts = slices.DeleteFunc(res.Drafts, func(d ReportDraft) bool { return d.PeriodID == periodID })
	before := gone.String()
	if n > 0 {
		before += fmt.Sprintf(" (%d báo cáo)", n)
	}
	b.record(a, now, "period.delete", "", before, "")
	return gone, n, nil
}

// Value is a reported value as typed: a number, and whether it was written
// with % ("60%").
type Value struct {
	Number  float64
	Percent bool
}

// ParseValue reads a reported value: a non-negative number written the
// Vietnamese way (see ParseNumber), optionally followed by % ("60%", "60
// %"). It returns ErrReportValue or ErrReportNegative.
func ParseValue(s string) (Value, error) {
	s = strings.TrimSpace(s)
	v := Value{}
	if rest, ok := strings.CutSuffix(s, "%"); ok {
		v.Percent, s = true, strings.TrimSpace(rest)
	}
	n, err := ParseNumber(s)
	switch {
	case err != nil:
		return Value{}, fmt.Errorf("%w: %q", ErrReportValue, s)
	case n < 0:
		return Value{}, fmt.Errorf("%w: %q", ErrReportNegative, s)
	}
	v.Number = n
	return v, nil
}

// ReportLine is one line of a report typed in one message: the pledge's
// number in /pledges, its value and an optional note.
type ReportLine struct {
	No    int
	Value Value
	Note  string
}

// cutPledgeNo cuts the pledge number starting a report line: one to three
// digits, optionally followed by ".", ":" or ")" ("1.", "2:", "3)"), then
// white space or the end. It returns the number and the rest after the white
// space, or false.
func cutPledgeNo(s string) (int, string, bool) {
	n := 0
	for n < len(s) && n <= 3 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == 0 || n > 3 {
		return 0, "", false
	}
	no, _ := strconv.Atoi(s[:n])
	rest := s[n:]
	if rest != "" && strings.IndexByte(".:)", rest[0]) >= 0 {
		rest = rest[1:]
	}
	spaced := rest
	for spaced != "" && strings.IndexByte(" \t\n\f\r", spaced[0]) >= 0 { // TrimLeft builds its set of bytes each time
		spaced = spaced[1:]
	}
	if len(spaced) == len(rest) && rest != "" {
		return 0, "", false
	}
	return no, spaced, true
}

// ParseReportLine reads "<số thứ tự> <giá trị> [ghi chú]": "1 45", "2 60%
// đã khởi công", "3. 1.200 | vượt kế hoạch". It returns ErrReportLine (no
// pledge number or no value), the errors of ParseValue, ErrReportNote, or
// ErrReportTwoValues for a note that is a value alone ("1 50 45", "1 50 |
// 45": a row copied from a table whose target column comes before the
// result would record the target).
func ParseReportLine(s string) (ReportLine, error) {
	no, rest, ok := cutPledgeNo(strings.TrimSpace(s))
	if !ok || strings.TrimSpace(rest) == "" {
		return ReportLine{}, ErrReportLine
	}
	v, note, err := ParseValueNote(rest)
	if err != nil {
		return ReportLine{}, err
	}
	if isBareValue(note) {
		return ReportLine{}, fmt.Errorf("%w: %q", ErrReportTwoValues, s)
	}
	return ReportLine{No: no, Value: v, Note: note}, nil
}

// isBareValue reports whether a note is a value alone, «45» or «45%»
// (see ParseValue).
func isBareValue(note string) bool {
	if note == "" || note[0] < '0' || note[0] > '9' || strings.ContainsAny(note, " \t") {
		return false
	}
	_, err := ParseValue(note)
	return err == nil
}

// noteSeparators are the characters people put between a value and its
// note ("45 | ghi chú", "45 - ghi chú"); they are dropped from the note.
const noteSeparators = "|-–—: "

// trimNoteSeparators drops the separators that start a note, but not a
// minus sign: a dash right before a digit ("45 -10% so với kế hoạch") is
// part of the note.
func trimNoteSeparators(note string) string {
	for i, r := range note {
		next := i + utf8.RuneLen(r)
		if !strings.ContainsRune(noteSeparators, r) ||
			(r == '-' || r == '–') && next < len(note) && note[next] >= '0' && note[next] <= '9' {
			return note[i:]
		}
	}
	return ""
}

// ParseValueNote reads "<giá trị> [ghi chú]": a value (see ParseValue) as
// its first word, or first two when the second is "%", then a note, from
// which leading separators ("|", "-", "—", ":") are dropped. It returns the
// errors of ParseValue, ErrReportLine for empty text, or ErrReportNote (a
// note longer than MaxNoteLen, or not valid text).
func ParseValueNote(s string) (Value, string, error) {
	word, rest := firstField(s)
	if word == "" {
		return Value{}, "", ErrReportLine
	}
	if next, after := firstField(rest); next == "%" {
		word, rest = word+"%", after
	}
	v, err := ParseValue(word)
	if err != nil {
		return Value{}, "", err
	}
	note, ok := cleanNote(rest)
	if !ok {
		return Value{}, "", ErrReportNote
	}
	return v, note, nil
}

// cleanNote reads the note that follows a value on a line: without the
// separators before it (see trimNoteSeparators) and cleaned by CleanText.
// It reports false for a note longer than MaxNoteLen or not valid text.
func cleanNote(s string) (string, bool) {
	note := trimNoteSeparators(foldSpaces(s))
	if note == "" {
		return "", true
	}
	note, ok := CleanText(note, MaxNoteLen)
	return note, ok && utf8.ValidString(note)
}

// firstField returns the first word of s as strings.Fields splits it, and
// the text after that word from the next one on; an empty word when s holds
// only white space.
func firstField(s string) (word, rest string) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	if end := strings.IndexFunc(s, unicode.IsSpace); end >= 0 {
		return s[:end], strings.TrimLeftFunc(s[end:], unicode.IsSpace)
	}
	return s, ""
}

// Entry is the value a report gives for one pledge.
type Entry struct {
	PledgeID string `json:"pledge_id"`
	// Value is in the pledge's measure ("45" nhà, "35" for a target "40%"),
	// or a percentage of the target when OfTarget is set.
	Value    float64 `json:"value"`
	OfTarget bool    `json:"of_target,omitempty"`
	Note     string  `json:"note,omitempty"`
}

// entryFor turns a typed value into the entry for a pledge. A value with %
// is a share of the target, except for a target itself in % ("40%"), where
// it is in the target's measure; a level (a quick button) is always a
// share of the target. A note repeating the pledge's measure loses it,
// and the separators after it: "45 nhà" reads as 45 without a note, "45
// nhà - đã khởi công" as 45 with the note "đã khởi công".
func entryFor(p Pledge, v Value, level bool, note string) Entry {
	e := Entry{PledgeID: p.ID, Value: v.Number, Note: note}
	e.OfTarget = level || (v.Percent && !strings.HasPrefix(p.Target.Measure, "%"))
	if v.Percent || note == "" {
		return e // a value in % keeps its note; an empty note has no measure to lose
	}
	// The note's first words, as many as the measure has, against the
	// measure; then the words after them, spaced as strings.Fields and
	// Join would space them. Fold folds runs of white space as it folds
	// single spaces, so the words need not be split and joined again: a
	// report's values are read for every report.
	words := countFields(p.Target.Measure)
	if head, rest, ok := cutFields(note, words); words > 0 && ok && foldEqual(head, p.Target.Measure) {
		e.Note = trimNoteSeparators(foldSpaces(strings.TrimLeftFunc(rest, unicode.IsSpace)))
	}
	return e
}

// countFields returns len(strings.Fields(s)).
func countFields(s string) int {
	n, inField := 0, false
	for _, r := range s {
		space := unicode.IsSpace(r)
		if !space && !inField {
			n++
		}
		inField = !space
	}
	return n
}

// cutFields cuts s after its n-th word, as strings.Fields splits it
// (n above 0): head runs from its first word to the end of the n-th, rest
// is what follows. It reports false when s has fewer words.
func cutFields(s string, n int) (head, rest string, ok bool) {
	start, words, inField := 0, 0, false
	for i, r := range s {
		space := unicode.IsSpace(r)
		switch {
		case space && inField && words == n:
			return s[start:i], s[i:], true
		case !space && !inField:
			if words++; words == 1 {
				start = i
			}
		}
		inField = !space
	}
	if inField && words == n {
		return s[start:], "", true
	}
	return "", "", false
}

// Measurable reports whether the pledge has a target number above zero, so
// that its completion can be computed.
func (p Pledge) Measurable() bool { return p.Target.Number != nil && *p.Target.Number > 0 }

// Completion returns how far the entry reaches the pledge's target, in %
// (not capped), and false when the pledge is not measurable.
func (e Entry) Completion(p Pledge) (float64, bool) {
	if !p.Measurable() {
		return 0, false
	}
	if e.OfTarget {
		return e.Value, true
	}
	return e.Value / *p.Target.Number * 100, true
}

// Overshoots reports whether the entry is so far above the pledge's target
// that it is most likely a typo, though real results may overshoot:
// OvershootFactor times its target or more, whether in the target's
// measure or as a share of the target (1000%, of a target with or without
// a number); or, for a target in % ("40%"), above MaxLikelyPercent.
func (e Entry) Overshoots(p Pledge) bool {
	switch {
	case e.OfTarget:
		return e.Value >= OvershootFactor*100
	case !p.Measurable():
		return false
	}
	return e.Value >= OvershootFactor**p.Target.Number || strings.HasPrefix(p.Target.Measure, "%") && e.Value > MaxLikelyPercent
}

// Overshooting returns the positions in pledges, in order, of the pledges
// whose entry among entries overshoots its target (see Entry.Overshoots);
// nil, allocating nothing, when none does.
func Overshooting(pledges []Pledge, entries []Entry) []int {
	var out []int
	next := 0
	for _, e := range entries {
		i := pledgeIndex(pledges, e.PledgeID, next)
		if i < 0 {
			continue
		}
		next = i + 1
		if e.Overshoots(pledges[i]) {
			out = append(out, i)
		}
	}
	slices.Sort(out) // a draft's answers come in the order given
	return out
}

// pledgeIndex returns the position in pledges of the pledge id, -1 for
// none, looking at position hint first: a report's entries follow the
// order of the pledges (see Submission.Entries), so that the pledge of an
// entry is most often the one after the previous entry's.
func pledgeIndex(pledges []Pledge, id string, hint int) int {
	if hint < len(pledges) && pledges[hint].ID == id {
		return hint
	}
	return slices.IndexFunc(pledges, func(p Pledge) bool { return p.ID == id })
}

// ValueText writes the entry's value: "45 nhà", "35%", "60% chỉ tiêu".
func (e Entry) ValueText(p Pledge) string {
	var buf [64]byte
	return string(e.AppendValueText(buf[:0], p))
}

// AppendValueText appends the entry's value as ValueText writes it: a share
// of the target, a bare number for a pledge without a target number, or
// else a number in the target's measure.
func (e Entry) AppendValueText(dst []byte, p Pledge) []byte {
	switch {
	case e.OfTarget:
		return append(AppendNumber(dst, e.Value), "% chỉ tiêu"...)
	case p.Target.Number == nil:
		return AppendNumber(dst, e.Value)
	}
	return appendMeasured(dst, e.Value, p.Target.Measure)
}

// Report is a unit's current report for a period, with the earlier
// submissions it replaced and the evidence attached to it. Its slices, and
// its submissions' entries, are replaced or appended to, never changed in
// place: storage shares them between a stored block and the copies that
// changes start from (their tag copy:"append-only"; see storage's
// copyResults).
type Report struct {
	UnitID   string `json:"unit_id"`
	PeriodID string `json:"period_id"`
	Submission
	// Evidence is attached to the period's report, kept across
	// resubmissions, oldest first.
	Evidence []Evidence `json:"evidence,omitempty" copy:"append-only"`
	// Earlier are the submissions this one replaced, oldest first, at most
	// KeptRevisions: who sent each and when, without its values, which the
	// history keeps (documents written before this kept them too).
	Earlier []Submission `json:"earlier,omitempty" copy:"append-only"`
}

// Submission is one submission of a report.
type Submission struct {
	// Revision counts the unit's submissions for the period: 1, 2, ...
	Revision int `json:"revision"`
	// Entries are the values, in the order of the unit's pledges; none in
	// a submission kept in Report.Earlier.
	Entries   []Entry     `json:"entries,omitempty" copy:"append-only"`
	Submitted Attribution `json:"submitted"`
	// MessageID is the bot's group message confirming the submission, as
	// documents written before ReportMessages recorded it; 0 in later ones.
	// Later releases note that message in storage (storage.Store.NoteMessage).
	MessageID int `json:"message_id,omitempty"`
	// ReplacedDraft is the bot's message showing the step-by-step draft
	// of the unit and period that the submission replaced (see
	// SubmitReport), 0 for none, so that its buttons can be taken off
	// again should the update that submitted it be delivered again; 0 in
	// a submission kept in Report.Earlier.
	ReplacedDraft int `json:"replaced_draft,omitempty"`
}

// ReportMessages is a part of a block (PartReportMessages): the bot's group
// messages confirming reports, as documents written before the bot noted
// those messages in storage (storage.Store.NoteMessage) recorded them, so
// that evidence sent in reply to one is still attached to its report (see
// ReportByMessage). Nothing adds to it any more.
type ReportMessages struct {
	List []ReportMessage `json:"list,omitempty"`
}

// ReportMessage is the bot's message confirming a submission of a report.
type ReportMessage struct {
	MessageID int    `json:"message_id"`
	UnitID    string `json:"unit_id"`
	PeriodID  string `json:"period_id"`
	Revision  int    `json:"revision"`
}

// Entry returns the submission's entry for the pledge.
func (s Submission) Entry(pledgeID string) (Entry, bool) {
	for _, e := range s.Entries {
		if e.PledgeID == pledgeID {
			return e, true
		}
	}
	return Entry{}, false
}

// EvidenceKind is how a piece of evidence was sent.
type EvidenceKind string

// The kinds of evidence.
const (
	EvidencePhoto    EvidenceKind = "photo"
	EvidenceDocument EvidenceKind = "document"
)

// Evidence is a file attached to a report (minh chứng), kept as the
// Telegram file_id by which the bot can send it again.
type Evidence struct {
	FileID string       `json:"file_id"`
	Kind   EvidenceKind `json:"kind"`
	// Name is a document's file name, empty for photos.
	Name    string      `json:"name,omitempty"`
	Caption string      `json:"caption,omitempty"`
	Added   Attribution `json:"added"`
	// Album is the album (Telegram's media group) the file was sent in, ""
	// for a file sent on its own: an album comes as one message per file.
	Album string `json:"album,omitempty"`
	// Answer is the bot's message that answered the album, kept on the
	// album's first file (see SetAlbumAnswer), which its later files
	// update rather than each getting an answer; 0 while unknown.
	Answer int `json:"answer,omitempty"`
}

// Album returns how many files of the album the report keeps, and the
// bot's message that answered the album, 0 while unknown.
func (r Report) Album(album string) (n, answer int) {
	for _, e := range r.Evidence {
		if e.Album == album {
			n++
			answer = max(answer, e.Answer)
		}
	}
	return n, answer
}

// SetAlbumAnswer remembers the bot's message answering the album of the
// unit's report for the period, on the album's first file. It is
// bookkeeping and records no event. It returns ErrReportNotFound when the
// report keeps no file of the album.
func (b *Block) SetAlbumAnswer(unitID, periodID, album string, messageID int) error {
	if r := b.report(unitID, periodID); r != nil {
		if i := slices.IndexFunc(r.Evidence, func(e Evidence) bool { return e.Album == album }); i >= 0 {
			// A report's evidence is replaced or appended to, never
			// changed in place: storage's working copy shares it with the
			// block it keeps decoded.
			r.Evidence = slices.Clone(r.Evidence)
			r.Evidence[i].Answer = messageID
			b.reportsChange(r.Key())
			return nil
		}
	}
	return ErrReportNotFound
}

// Report returns the unit's current report for the period. The result
// shares memory with the block and must not be changed.
func (b *Block) Report(unitID, periodID string) (Report, bool) {
	if r := b.report(unitID, periodID); r != nil {
		return *r, true
	}
	return Report{}, false
}

func (b *Block) report(unitID, periodID string) *Report {
	for i := range b.Results.Reports {
		if r := &b.Results.Reports[i]; r.UnitID == unitID && r.PeriodID == periodID {
			return r
		}
	}
	return nil
}

// addReport adds an empty report of the unit for the period in its place
// among the reports (see Results.Reports) and returns it.
func (res *Results) addReport(unitID, periodID string) *Report {
	key := ReportKey{UnitID: unitID, PeriodID: periodID}
	i, _ := slices.BinarySearchFunc(res.Reports, key, func(r Report, k ReportKey) int { return r.Key().Compare(k) })
	res.Reports = slices.Insert(res.Reports, i, Report{UnitID: unitID, PeriodID: periodID})
	return &res.Reports[i]
}

// sortReports puts the reports in the order Results.Reports keeps them,
// which documents written before it was kept need, and which storage,
// reading each report from a record of its own, restores with it.
func (res *Results) sortReports() {
	byKey := func(a, b Report) int { return a.Key().Compare(b.Key()) }
	if !slices.IsSortedFunc(res.Reports, byKey) {
		slices.SortStableFunc(res.Reports, byKey)
	}
}

// ReportKey names a report: the unit's for the period. Storage keeps each
// report as a record of its own under its key.
type ReportKey struct {
	UnitID, PeriodID string
}

// Key returns the report's key.
func (r *Report) Key() ReportKey { return ReportKey{UnitID: r.UnitID, PeriodID: r.PeriodID} }

// Compare orders keys as Results.Reports keeps its reports: by unit id,
// then by period id, in byte order. It returns -1, 0 or +1 as k comes
// before, is or comes after o.
func (k ReportKey) Compare(o ReportKey) int {
	if c := strings.Compare(k.UnitID, o.UnitID); c != 0 {
		return c
	}
	return strings.Compare(k.PeriodID, o.PeriodID)
}

// reportsChange notes that the report under key is about to change, be
// added or be removed, for TakeChangedReports.
func (b *Block) reportsChange(key ReportKey) {
	if !slices.Contains(b.reportsChanged, key) {
		b.reportsChanged = append(b.reportsChanged, key)
	}
}

// TakeChangedReports returns the keys of the reports that changed, were
// added or were removed since the last call, in the order first noted, and
// forgets them. Storage, which keeps each report as a record of its own,
// calls it to write or delete those alone; every change of
// Results.Reports goes through a method that notes what it changes.
func (b *Block) TakeChangedReports() []ReportKey {
	keys := b.reportsChanged
	b.reportsChanged = nil
	return keys
}

// ReportRevision returns the unit's report for the period if revision is
// its current submission or one it keeps from before: the report that the
// bot's message confirming that submission is about.
func (b *Block) ReportRevision(unitID, periodID string, revision int) (Report, bool) {
	if r := b.report(unitID, periodID); r != nil && r.hasRevision(revision) {
		return *r, true
	}
	return Report{}, false
}

// ReportByMessage returns the report that the bot's message confirms, in
// its current or an earlier submission, as documents written before the
// bot noted its messages in storage recorded it (see ReportMessages).
func (b *Block) ReportByMessage(messageID int) (Report, bool) {
	if messageID == 0 {
		return Report{}, false
	}
	list := b.ReportMessages.List
	for i := len(list) - 1; i >= 0; i-- { // the latest record of the message counts
		m := list[i]
		if m.MessageID == messageID {
			return b.ReportRevision(m.UnitID, m.PeriodID, m.Revision)
		}
	}
	for _, r := range b.Results.Reports {
		if r.MessageID == messageID || slices.ContainsFunc(r.Earlier, func(s Submission) bool { return s.MessageID == messageID }) {
			return r, true
		}
	}
	return Report{}, false
}

// forgetReportMessages forgets the ids of the bot's messages that the results
// keep: those showing report drafts, and, in documents of earlier releases,
// those confirming reports (ReportMessages, Submission.MessageID). A draft
// whose message is forgotten is answered by no message any more; its owner
// starts again with /report.
func (b *Block) forgetReportMessages() {
	res := &b.Results
	for i := range res.Drafts {
		res.Drafts[i].MessageID = 0
	}
	b.ReportMessages.List = nil
	for i := range res.Reports {
		r := &res.Reports[i]
		if r.MessageID == 0 && !slices.ContainsFunc(r.Earlier, func(s Submission) bool { return s.MessageID != 0 }) {
			continue
		}
		b.reportsChange(r.Key())
		r.MessageID = 0
		earlier := slices.Clone(r.Earlier) // shared with stored blocks: replaced, not changed in place
		for j := range earlier {
			earlier[j].MessageID = 0
		}
		r.Earlier = earlier
	}
}

// hasRevision reports whether revision is the report's current submission
// or one it keeps from before.
func (r *Report) hasRevision(revision int) bool {
	return r.Revision == revision || slices.ContainsFunc(r.Earlier, func(s Submission) bool { return s.Revision == revision })
}

// canReport returns nil when the actor may report for the unit now: the
// unit exists, the actor represents it or administers the group, and it
// has pledges. Otherwise it returns ErrUnitNotFound, ErrNotYourReport or
// ErrNothingToReport.
func (b *Block) canReport(a Actor, unitID string) error {
	switch {
	case b.Unit(unitID) == nil:
		return b.unitNotFound(unitID)
	case !b.CanActFor(a, unitID):
		return ErrNotYourReport
	case len(b.RegistrationOf(unitID).Pledges) == 0:
		return ErrNothingToReport
	}
	return nil
}

// CanReport returns nil when the actor may report for the unit for the
// period now, or ErrPeriodNotFound and the errors of canReport. A unit
// reports on the pledges it has registered, whether or not its list is
// approved.
func (b *Block) CanReport(a Actor, unitID, periodID string) error {
	if b.Period(periodID) == nil {
		return ErrPeriodNotFound
	}
	return b.canReport(a, unitID)
}

// LineError is the error of one line of a text typed in one message: a
// report, units added at once.
type LineError struct {
	// Line is the position of the line among the text's lines, from 1.
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the line's error.
func (e *LineError) Unwrap() error { return e.Err }

// SubmitReport records the unit's report for the period from typed lines,
// replacing its current report if any (which is kept as an earlier
// submission and in the history). A report received after the period's
// deadline day is accepted and late. A draft for the same unit and period
// is dropped, its message recorded (Submission.ReplacedDraft). It returns
// the errors of CanReport, ErrReportEmpty, or a *LineError wrapping
// ErrReportPledge or ErrReportDuplicate.
func (b *Block) SubmitReport(a Actor, unitID, periodID string, lines []ReportLine, now time.Time) (Report, error) {
	if err := b.CanReport(a, unitID, periodID); err != nil {
		return Report{}, err
	}
	if len(lines) == 0 {
		return Report{}, ErrReportEmpty
	}
	pledges := b.RegistrationOf(unitID).Pledges
	byNo := make([]Entry, len(pledges)) // pledge number n's entry at n-1, without a PledgeID until a line gives it
	for i, l := range lines {
		if l.No < 1 || l.No > len(pledges) {
			return Report{}, &LineError{Line: i + 1, Err: ErrReportPledge}
		}
		if byNo[l.No-1].PledgeID != "" { // pledge ids are unique, so a pledge repeats when its number does
			return Report{}, &LineError{Line: i + 1, Err: ErrReportDuplicate}
		}
		byNo[l.No-1] = entryFor(pledges[l.No-1], l.Value, false, l.Note)
	}
	// Clipped: the report keeps its entries, not room for every pledge.
	entries := slices.Clip(slices.DeleteFunc(byNo, func(e Entry) bool { return e.PledgeID == "" }))
	return b.submit(a, unitID, periodID, entries, b.draftMessage(unitID, periodID), now), nil
}

// submit stores the unit's report for the period with the entries, in the
// order of the unit's pledges, and records it; the unit's draft for the
// period, whose message was replacedDraft (0 for none, or for the draft
// submitted), is dropped.
func (b *Block) submit(a Actor, unitID, periodID string, entries []Entry, replacedDraft int, now time.Time) Report {
	s := Submission{Revision: 1, Entries: entries, Submitted: *attribution(a, now), ReplacedDraft: replacedDraft}
	p := *b.Period(periodID)
	r := b.report(unitID, periodID)
	before := ""
	b.reportsChange(ReportKey{UnitID: unitID, PeriodID: periodID})
	if r == nil {
		r = b.Results.addReport(unitID, periodID)
	} else {
		before = b.submissionText(p, unitID, r.Submission)
		s.Revision = r.Revision + 1
		replaced := r.Submission
		replaced.Entries, replaced.ReplacedDraft = nil, 0
		if n := len(r.Earlier); n >= KeptRevisions {
			// The last KeptRevisions in a new array, not appended to the
			// one the report shares (see Report) and then copied.
			earlier := make([]Submission, 0, KeptRevisions)
			r.Earlier = append(append(earlier, r.Earlier[n-KeptRevisions+1:]...), replaced)
		} else {
			r.Earlier = append(r.Earlier, replaced)
		}
	}
	r.Submission = s
	b.Results.Drafts = slices.DeleteFunc(b.Results.Drafts, func(d ReportDraft) bool {
		return d.UnitID == unitID && d.PeriodID == periodID
	})
	b.recordFor(a, unitID, now, "report.submit", before, b.submissionText(p, unitID, s))
	return *r
}

// submissionText describes a submission for the history: the period, then
// each value by pledge number, and whether it was late.
func (b *Block) submissionText(p Period, unitID string, s Submission) string {
	pledges := b.RegistrationOf(unitID).Pledges
	// Written on the stack, then copied into the string: a report
	// describes two submissions, and most fit (20 values with short notes).
	var buf [1024]byte
	text := append(append(buf[:0], p.Name...), " — "...)
	next, first := 0, true
	for _, e := range s.Entries {
		i := pledgeIndex(pledges, e.PledgeID, next)
		if i < 0 {
			continue
		}
		next = i + 1
		if !first {
			text = append(text, "; "...)
		}
		first = false
		text = append(strconv.AppendInt(text, int64(i+1), 10), ": "...)
		text = e.AppendValueText(text, pledges[i])
		if e.Note != "" {
			text = append(append(append(text, " ("...), e.Note...), ')')
		}
	}
	if b.ReportLate(unitID, p, s.Submitted.At) {
		text = append(text, " — nộp muộn"...)
	}
	return string(text)
}

// AttachEvidence attaches a file to the unit's report for the period. The
// caption and the file name are cut to MaxCaptionLen. It returns
// ErrUnitNotFound (a *FormerUnitError for a unit removed since),
// ErrNotYourReport, ErrReportNotFound or ErrTooMuchEvidence, and the report
// with its evidence.
func (b *Block) AttachEvidence(a Actor, unitID, periodID string, e Evidence, now time.Time) (Report, error) {
	if b.Unit(unitID) == nil {
		return Report{}, b.unitNotFound(unitID)
	}
	if !b.CanActFor(a, unitID) {
		return Report{}, ErrNotYourReport
	}
	r := b.report(unitID, periodID)
	switch {
	case r == nil || b.Period(periodID) == nil:
		return Report{}, ErrReportNotFound
	case len(r.Evidence) >= MaxEvidence:
		return Report{}, ErrTooMuchEvidence
	}
	e.Name, e.Caption = cut(e.Name, MaxCaptionLen), cut(e.Caption, MaxCaptionLen)
	e.Added = *attribution(a, now)
	b.reportsChange(r.Key())
	r.Evidence = append(r.Evidence, e)
	what := "ảnh"
	if e.Kind == EvidenceDocument {
		what = "tệp " + e.Name
	}
	if e.Caption != "" {
		what += " — " + e.Caption
	}
	b.recordFor(a, unitID, now, "report.evidence", "", b.Period(periodID).Name+": "+what)
	return *r, nil
}

// cut cleans s and shortens it to at most n characters, ending it with "…"
// when cut; text that is not clean becomes empty.
func cut(s string, n int) string {
	s, ok := CleanText(s, utf8.RuneCountInString(s))
	if !ok {
		return ""
	}
	if rs := []rune(s); len(rs) > n {
		return string(rs[:n-1]) + "…"
	}
	return s
}

// ReportStatus is where a unit stands for a period.
type ReportStatus int

// The statuses of a unit for a period.
const (
	StatusPending ReportStatus = iota // not reported, the deadline not passed
	StatusOnTime                      // reported by the deadline
	StatusLate                        // reported after the deadline
	StatusMissing                     // not reported, the deadline passed
	StatusNotOwed                     // not reported, the deadline passed before the unit joined (see ReportOwed)
)

// ReportStatusOf returns where the unit stands for the period at now.
func (b *Block) ReportStatusOf(unitID string, p Period, now time.Time) ReportStatus {
	r := b.report(unitID, p.ID)
	switch {
	case r != nil && b.ReportLate(unitID, p, r.Submitted.At):
		return StatusLate
	case r != nil:
		return StatusOnTime
	case !b.ReportOwed(unitID, p):
		return StatusNotOwed
	case b.IsLate(p, now):
		return StatusMissing
	}
	return StatusPending
}

// UnitsMissingReport returns the ids of the units, in unit order, that owe
// a report for the period (see ReportOwed) and have not sent it (whatever
// the time: compare the period's Due to decide whether they are overdue).
// Units without pledges are included: they must register pledges before
// they can report. It returns nil for an unknown period.
func (b *Block) UnitsMissingReport(periodID string) []string {
	p := b.Period(periodID)
	if p == nil {
		return nil
	}
	var out []string
	for _, u := range b.Units {
		if b.report(u.ID, periodID) == nil && b.ReportOwed(u.ID, *p) {
			out = append(out, u.ID)
		}
	}
	return out
}

// LatestEntry returns the latest value the unit reported for the pledge:
// the entry in the report of the latest period (in period order) that
// gives one, with that period. Values are cumulative over the year, so a
// later period's value supersedes an earlier one.
func (b *Block) LatestEntry(unitID, pledgeID string) (Entry, Period, bool) {
	ps := b.Results.Periods
	for i := len(ps) - 1; i >= 0; i-- {
		if r := b.report(unitID, ps[i].ID); r != nil {
			if e, ok := r.Entry(pledgeID); ok {
				return e, ps[i], true
			}
		}
	}
	return Entry{}, Period{}, false
}

// UnitCompletion returns the unit's completion of its measurable targets,
// in %: the average over its measurable pledges of the latest value
// against the target, each pledge counting at most 100% (so that exceeding
// one target does not hide a shortfall in another) and a pledge never
// reported counting 0. It also returns how many pledges were measurable;
// with none the completion means nothing.
func (b *Block) UnitCompletion(unitID string) (pct float64, measurable int) {
	pct, measurable, _ = b.unitLatest(unitID, false)
	return pct, measurable
}

// unitLatest reads the unit's latest value of each pledge once: it returns
// the unit's completion (see UnitCompletion) and, with typos, the
// positions among its pledges of those whose latest value is likely a
// typo (see Entry.Overshoots), nil for none.
func (b *Block) unitLatest(unitID string, typos bool) (pct float64, measurable int, over []int) {
	var sum float64
	for i, p := range b.RegistrationOf(unitID).Pledges {
		if !p.Measurable() && !typos {
			continue
		}
		e, _, ok := b.LatestEntry(unitID, p.ID)
		if ok && typos && e.Overshoots(p) {
			over = append(over, i)
		}
		if !p.Measurable() {
			continue
		}
		measurable++
		if ok {
			c, _ := e.Completion(p)
			sum += min(c, 100)
		}
	}
	if measurable == 0 {
		return 0, 0, over
	}
	return sum / float64(measurable), measurable, over
}

// UnitProgress is one unit's line of the progress board.
type UnitProgress struct {
	UnitID string
	// Completion is the unit's completion of its measurable targets in %
	// (see UnitCompletion), meaningful when Measurable > 0.
	Completion float64
	Measurable int
	// Statuses are the unit's statuses for each period, in period order.
	Statuses []ReportStatus
	// Overshooting are the positions among the unit's pledges, in order,
	// of those whose latest value is likely a typo (see Overshooting),
	// which the completion counts as a target reached; nil for none.
	Overshooting []int
}

// Progress returns the progress board at now: every unit with its
// completion and its status for each period, the most advanced first (ties
// and units without measurable targets, last, in unit order).
func (b *Block) Progress(now time.Time) []UnitProgress {
	out := make([]UnitProgress, len(b.Units))
	for i, u := range b.Units {
		up := UnitProgress{UnitID: u.ID}
		up.Completion, up.Measurable, up.Overshooting = b.unitLatest(u.ID, true)
		for _, p := range b.Results.Periods {
			up.Statuses = append(up.Statuses, b.ReportStatusOf(u.ID, p, now))
		}
		out[i] = up
	}
	slices.SortStableFunc(out, func(x, y UnitProgress) int {
		switch {
		case (x.Measurable > 0) != (y.Measurable > 0):
			if x.Measurable > 0 {
				return -1
			}
			return 1
		case x.Completion > y.Completion:
			return -1
		case x.Completion < y.Completion:
			return 1
		}
		return 0
	})
	return out
}

// BehindPace returns the ids of the units, in unit order, whose completion
// of their measurable targets lags the time elapsed at now. A unit is
// behind when its completion (see UnitCompletion) is below its expected
// completion: the average over its measurable pledges of the share of time
// elapsed from the start of the block's year (1/1, in the block's time
// zone) to the end of the pledge's due day, in %, at most 100. For a unit
// that joined during the year, once the first reporting period had closed
// (it does not owe that period's report: see ReportOwed), the time counts
// from the day it joined, for what came before it could not do. Units
// without measurable pledges are never behind. Before the deadline of the
// first reporting period has passed nothing is expected yet and it returns
// nil.
func (b *Block) BehindPace(now time.Time) []string {
	ps := b.Results.Periods
	if len(ps) == 0 || !b.IsLate(ps[0], now) {
		return nil
	}
	loc := b.Location()
	yearStart := time.Date(b.Year, time.January, 1, 0, 0, 0, 0, loc)
	var out []string
	for _, u := range b.Units {
		start := yearStart
		if joined := u.AddedAt.In(loc); joined.After(yearStart) && !b.ReportOwed(u.ID, ps[0]) {
			start = time.Date(joined.Year(), joined.Month(), joined.Day(), 0, 0, 0, 0, loc)
		}
		var expected float64
		n := 0
		for _, p := range b.RegistrationOf(u.ID).Pledges {
			if !p.Measurable() {
				continue
			}
			d := p.Due.In(loc)
			end := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc)
			share := 100.0
			if span := end.Sub(start); span > 0 && now.Before(end) {
				share = math.Max(0, float64(now.Sub(start))/float64(span)*100)
			}
			expected += share
			n++
		}
		if n == 0 {
			continue
		}
		if done, _ := b.UnitCompletion(u.ID); done < expected/float64(n) {
			out = append(out, u.ID)
		}
	}
	return out
}
