package thidua

import (
	"slices"
	"time"
)

// This file holds the drafts of reports filled in step by step, one pledge
// at a time, for someone on a phone (see results.go for the reports).

// ReportDraft is a report being filled in step by step, one pledge at a
// time, by one person. It lives in the block so that it survives restarts;
// it is bookkeeping and records no event until it is submitted.
type ReportDraft struct {
	ID       string      `json:"id"`
	UnitID   string      `json:"unit_id"`
	PeriodID string      `json:"period_id"`
	Owner    Attribution `json:"owner"`
	// Pledges are the ids of the unit's pledges when the draft started, in
	// order, then those registered since (see catchUp): one step each,
	// then the summary.
	Pledges []string `json:"pledges"`
	// Step is the position in Pledges being answered; len(Pledges) is the
	// summary.
	Step int `json:"step"`
	// Entries are the answers so far, starting from the current report.
	Entries []Entry `json:"entries,omitempty"`
	// MessageID is the bot's message showing the draft; 0 while unknown.
	MessageID int `json:"message_id,omitempty"`
	// Replaced is the message of the unit's earlier draft for the period
	// that this one replaced (see StartDraft), 0 for none, so that its
	// buttons can be taken off again should the update that started this
	// one be delivered again.
	Replaced int `json:"replaced,omitempty"`
}

// Done reports whether every step is answered and the draft shows its
// summary.
func (d ReportDraft) Done() bool { return d.Step >= len(d.Pledges) }

// Entry returns the draft's answer for the pledge.
func (d ReportDraft) Entry(pledgeID string) (Entry, bool) {
	return Submission{Entries: d.Entries}.Entry(pledgeID)
}

// StartDraft starts a report for the unit and period filled in step by step
// by the actor, starting from the unit's current report for the period. It
// replaces the unit's earlier draft for the period, recording its message
// (ReportDraft.Replaced), and drops drafts older than DraftLifetime; but
// someone else's draft that replacing would lose answers of (see
// DraftInUse) it replaces only when its id is replace, what the actor
// agreed to after seeing it. It returns ErrDraftInUse then, or the errors
// of CanReport.
func (b *Block) StartDraft(a Actor, unitID, periodID, replace string, now time.Time) (ReportDraft, error) {
	if err := b.CanReport(a, unitID, periodID); err != nil {
		return ReportDraft{}, err
	}
	if d, ok := b.DraftInUse(a, unitID, periodID, now); ok && d.ID != replace {
		return ReportDraft{}, ErrDraftInUse
	}
	res := &b.Results
	replaced := b.draftMessage(unitID, periodID)
	res.Drafts = slices.DeleteFunc(res.Drafts, func(d ReportDraft) bool {
		return (d.UnitID == unitID && d.PeriodID == periodID) || expired(d, now)
	})
	d := ReportDraft{ID: b.seq("d"), UnitID: unitID, PeriodID: periodID, Owner: *attribution(a, now), Replaced: replaced}
	for _, p := range b.RegistrationOf(unitID).Pledges {
		d.Pledges = append(d.Pledges, p.ID)
	}
	if r := b.report(unitID, periodID); r != nil {
		d.Entries = slices.Clone(r.Entries)
	}
	res.Drafts = append(res.Drafts, d)
	return d, nil
}

// expired reports whether the draft was started longer than DraftLifetime
// before now, so that the next draft started drops it.
func expired(d ReportDraft, now time.Time) bool { return now.Sub(d.Owner.At) > DraftLifetime }

// OpenDraft returns the unit's draft for the period, unless it has expired
// (see DraftLifetime).
func (b *Block) OpenDraft(unitID, periodID string, now time.Time) (ReportDraft, bool) {
	for _, d := range b.Results.Drafts {
		if d.UnitID == unitID && d.PeriodID == periodID && !expired(d, now) {
			return d, true
		}
	}
	return ReportDraft{}, false
}

// DraftInUse returns the unit's open draft for the period (see OpenDraft)
// when it is someone else's than the actor's and holds at least one answer
// (see DraftAnswers): the draft that starting another would take from its
// owner with their answers.
func (b *Block) DraftInUse(a Actor, unitID, periodID string, now time.Time) (ReportDraft, bool) {
	d, ok := b.OpenDraft(unitID, periodID, now)
	if !ok || d.Owner.UserID == a.UserID || b.DraftAnswers(d) == 0 {
		return ReportDraft{}, false
	}
	return d, true
}

// DraftAnswers returns how many of the draft's values its owner gave: those
// that differ from the unit's current report for the period, which the
// draft started from.
func (b *Block) DraftAnswers(d ReportDraft) int {
	var reported Submission
	if r := b.report(d.UnitID, d.PeriodID); r != nil {
		reported = r.Submission
	}
	n := 0
	for _, e := range d.Entries {
		if was, ok := reported.Entry(e.PledgeID); !ok || was != e {
			n++
		}
	}
	return n
}

// draftMessage returns the bot's message showing the unit's draft for the
// period, 0 when it has none (or its message is unknown): what a change
// that replaces the draft records, to take its buttons off again should
// the change's update be delivered again (see StartDraft, SubmitReport).
func (b *Block) draftMessage(unitID, periodID string) int {
	for i := range b.Results.Drafts {
		if d := &b.Results.Drafts[i]; d.UnitID == unitID && d.PeriodID == periodID {
			return d.MessageID
		}
	}
	return 0
}

// Draft returns the draft with this id.
func (b *Block) Draft(id string) (ReportDraft, bool) {
	if d := b.draft(id); d != nil {
		return *d, true
	}
	return ReportDraft{}, false
}

func (b *Block) draft(id string) *ReportDraft {
	for i := range b.Results.Drafts {
		if b.Results.Drafts[i].ID == id {
			return &b.Results.Drafts[i]
		}
	}
	return nil
}

// DraftByMessage returns the draft the bot's message shows.
func (b *Block) DraftByMessage(messageID int) (ReportDraft, bool) {
	for _, d := range b.Results.Drafts {
		if messageID != 0 && d.MessageID == messageID {
			return d, true
		}
	}
	return ReportDraft{}, false
}

// SetDraftMessage remembers the bot's message showing the draft. It is
// bookkeeping and records no event. It returns ErrDraftNotFound.
func (b *Block) SetDraftMessage(id string, messageID int) error {
	d := b.draft(id)
	if d == nil {
		return ErrDraftNotFound
	}
	d.MessageID = messageID
	return nil
}

// ownDraft returns the actor's draft at step (-1: any step), or
// ErrDraftNotFound, ErrDraftOwner or ErrDraftStep.
func (b *Block) ownDraft(a Actor, id string, step int) (*ReportDraft, error) {
	d := b.draft(id)
	switch {
	case d == nil:
		return nil, ErrDraftNotFound
	case d.Owner.UserID != a.UserID:
		return nil, ErrDraftOwner
	case step >= 0 && step != d.Step:
		return nil, ErrDraftStep
	}
	return d, nil
}

// AnswerDraft records the value of the pledge at the draft's step and moves
// to the next step (a pledge registered since the draft started comes
// after its last). step must be the draft's current Step, so that a
// second press on the same question does nothing. With level set, the
// value is a share of the target whatever the pledge's measure (a quick
// button), and without a note of its own it keeps the note the pledge's
// value had in the draft, which a button cannot give; otherwise it is read
// as in a report line, value and note replacing the pledge's (a note left
// out drops it). Only the draft's owner
// answers. It returns ErrDraftNotFound, ErrDraftOwner, ErrDraftStep or
// ErrPledgeNotFound (the pledge was deleted since), and the draft.
func (b *Block) AnswerDraft(a Actor, id string, step int, v Value, level bool, note string) (ReportDraft, error) {
	d, err := b.ownDraft(a, id, step)
	if err != nil {
		return ReportDraft{}, err
	}
	if d.Done() {
		return ReportDraft{}, ErrDraftStep
	}
	pledges := b.RegistrationOf(d.UnitID).Pledges
	i := slices.IndexFunc(pledges, func(p Pledge) bool { return p.ID == d.Pledges[d.Step] })
	if i < 0 {
		return ReportDraft{}, ErrPledgeNotFound
	}
	e := entryFor(pledges[i], v, level, note)
	if old, ok := d.Entry(e.PledgeID); ok && level && note == "" {
		e.Note = old.Note // a level button gives no note: the pledge keeps its own
	}
	d.Entries = slices.DeleteFunc(d.Entries, func(o Entry) bool { return o.PledgeID == e.PledgeID })
	d.Entries = append(d.Entries, e)
	d.Step++
	d.catchUp(pledges)
	return *d, nil
}

// MoveDraft moves the draft from step by delta steps (1 skips the pledge,
// keeping its value as it is; -1 goes back), within its steps and summary;
// a pledge registered since the draft started comes after its last.
// Only the draft's owner moves it. It returns ErrDraftNotFound,
// ErrDraftOwner or ErrDraftStep, and the draft.
func (b *Block) MoveDraft(a Actor, id string, step, delta int) (ReportDraft, error) {
	d, err := b.ownDraft(a, id, step)
	if err != nil {
		return ReportDraft{}, err
	}
	d.Step = max(0, min(len(d.Pledges), d.Step+delta))
	d.catchUp(b.RegistrationOf(d.UnitID).Pledges)
	return *d, nil
}

// catchUp adds to the steps of a draft past its last step the pledges of
// the unit's list, pledges, registered since it started, so that a pledge
// added meanwhile is asked before the summary.
func (d *ReportDraft) catchUp(pledges []Pledge) {
	if !d.Done() {
		return
	}
	for _, p := range pledges {
		if !slices.Contains(d.Pledges, p.ID) {
			d.Pledges = append(d.Pledges, p.ID)
		}
	}
}

// dropDrafts drops the drafts for which drop holds.
func (b *Block) dropDrafts(drop func(ReportDraft) bool) {
	if slices.ContainsFunc(b.Results.Drafts, drop) {
		b.Results.Drafts = slices.DeleteFunc(b.Results.Drafts, drop)
	}
}

// CancelDraft drops the draft. Only its owner cancels it. It returns
// ErrDraftNotFound or ErrDraftOwner.
func (b *Block) CancelDraft(a Actor, id string) (ReportDraft, error) {
	d, err := b.ownDraft(a, id, -1)
	if err != nil {
		return ReportDraft{}, err
	}
	gone := *d
	b.Results.Drafts = slices.DeleteFunc(b.Results.Drafts, func(d ReportDraft) bool { return d.ID == id })
	return gone, nil
}

// SubmitDraft submits the draft as the unit's report for its period, like
// SubmitReport, and drops the draft. Values of pledges
// deleted since the draft started are left out. Only the draft's owner
// submits it. It returns ErrDraftNotFound, ErrDraftOwner, the errors of
// CanReport, or ErrReportEmpty.
func (b *Block) SubmitDraft(a Actor, id string, now time.Time) (Report, error) {
	d, err := b.ownDraft(a, id, -1)
	if err != nil {
		return Report{}, err
	}
	if err := b.CanReport(a, d.UnitID, d.PeriodID); err != nil {
		return Report{}, err
	}
	byPledge := map[string]Entry{}
	for _, e := range d.Entries {
		byPledge[e.PledgeID] = e
	}
	var entries []Entry
	for _, p := range b.RegistrationOf(d.UnitID).Pledges {
		if e, ok := byPledge[p.ID]; ok {
			entries = append(entries, e)
		}
	}
	if len(entries) == 0 {
		return Report{}, ErrReportEmpty
	}
	return b.submit(a, d.UnitID, d.PeriodID, entries, 0, now), nil
}
