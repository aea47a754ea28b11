package thidua

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// This file holds the award proposals (đề nghị khen thưởng), the last step
// of the year-end review: once the units are scored and ranked, the
// conference agrees which units the block proposes for which award (seed
// 000: "đề nghị tặng Cờ thi đua của Chính phủ cho 01 tập thể; đề nghị UBND
// tỉnh tặng Cờ thi đua cho 02 tập thể và Bằng khen cho 03 tập thể"). The
// proposals belong to the registration part, beside the scores they follow
// from, and close with them at the turn of the year.

// MaxAwardLen is the longest award name accepted, in characters: the
// usual ones ("Bằng khen của Thủ tướng Chính phủ") are a few dozen.
const MaxAwardLen = 100

// Errors of the award proposals.
var (
	ErrAwardName      = newErr("award_name", "an award's name is empty, too long, without a letter or not valid text")
	ErrAwardUnitTwice = newErr("award_unit_twice", "a unit is named twice for one award")
	ErrAwardTaken     = newErr("award_taken", "the unit is already proposed for another award")
	ErrAwardNotFound  = newErr("award_not_found", "no unit is proposed for this award")
)

// AwardUnitError is ErrAwardUnitTwice or ErrAwardTaken for one unit, so
// that the answer can name it and, when taken, the award it is proposed
// for.
type AwardUnitError struct {
	Err    error
	UnitID string
	// Award is the name of the award the unit is proposed for already
	// (ErrAwardTaken), else "".
	Award string
}

func (e *AwardUnitError) Error() string {
	if e.Award != "" {
		return fmt.Sprintf("%v: %s, for %q", e.Err, e.UnitID, e.Award)
	}
	return fmt.Sprintf("%v: %s", e.Err, e.UnitID)
}

// Unwrap returns the domain error, for errors.Is.
func (e *AwardUnitError) Unwrap() error { return e.Err }

// Proposal is an award and the units the block proposes for it, in the
// order the conference gave them, with who recorded it last and when.
type Proposal struct {
	Award   string       `json:"award"`
	UnitIDs []string     `json:"unit_ids,omitempty"`
	By      *Attribution `json:"by,omitempty"`
}

// ProposalOf returns the award the unit is proposed for, "" for none.
func (b *Block) ProposalOf(unitID string) string {
	for _, p := range b.Registration.Proposals {
		if slices.Contains(p.UnitIDs, unitID) {
			return p.Award
		}
	}
	return ""
}

// ProposeAward records the units the block proposes for the award,
// replacing those proposed for it before: an award is the same whatever
// its case and diacritics ("co thi dua cua chinh phu", typed on a phone
// without Vietnamese keys, is "Cờ thi đua của Chính phủ"), and keeps the
// name it was first proposed under. No unit removes the award. A unit is
// proposed for one award only. Only managers may. The history keeps the
// award's units before and after, by name ("award.propose", or
// "award.remove"). It returns the proposal (without units when removed),
// or ErrForbidden, ErrAwardName, ErrUnitNotFound, ErrAwardNotFound (the
// removal of an award not proposed), an *AwardUnitError wrapping
// ErrAwardUnitTwice or ErrAwardTaken, or, for the units the award has
// already in the same order, the proposal as it is with ErrUnchanged,
// recording nothing.
func (b *Block) ProposeAward(a Actor, award string, unitIDs []string, now time.Time) (Proposal, error) {
	if !b.CanManage(a) {
		return Proposal{}, ErrForbidden
	}
	award, ok := cleanTitle(award, MaxAwardLen)
	if !ok {
		return Proposal{}, ErrAwardName
	}
	key := Fold(award)
	i := slices.IndexFunc(b.Registration.Proposals, func(p Proposal) bool { return Fold(p.Award) == key })
	for j, id := range unitIDs {
		switch other := b.ProposalOf(id); {
		case b.Unit(id) == nil:
			return Proposal{}, ErrUnitNotFound
		case slices.Contains(unitIDs[:j], id):
			return Proposal{}, &AwardUnitError{Err: ErrAwardUnitTwice, UnitID: id}
		case other != "" && Fold(other) != key:
			return Proposal{}, &AwardUnitError{Err: ErrAwardTaken, UnitID: id, Award: other}
		}
	}
	before := ""
	if i >= 0 {
		award, before = b.Registration.Proposals[i].Award, b.proposalRecord(b.Registration.Proposals[i])
	}
	p := Proposal{Award: award, UnitIDs: slices.Clone(unitIDs), By: attribution(a, now)}
	switch {
	case len(unitIDs) == 0 && i < 0:
		return Proposal{}, ErrAwardNotFound
	case i >= 0 && slices.Equal(unitIDs, b.Registration.Proposals[i].UnitIDs):
		return b.Registration.Proposals[i], ErrUnchanged
	case len(unitIDs) == 0:
		b.Registration.Proposals = slices.Delete(b.Registration.Proposals, i, i+1)
		b.record(a, now, "award.remove", "", before, "")
		return Proposal{Award: award, By: p.By}, nil
	case i < 0:
		b.Registration.Proposals = append(b.Registration.Proposals, p)
	default:
		b.Registration.Proposals[i] = p
	}
	b.record(a, now, "award.propose", "", before, b.proposalRecord(p))
	return p, nil
}

// proposalRecord writes a proposal for the history: "Cờ thi đua của UBND
// tỉnh: Hội Nông dân tỉnh, Tỉnh Đoàn". It names the units, which the
// history outlives.
func (b *Block) proposalRecord(p Proposal) string {
	names := make([]string, len(p.UnitIDs))
	for i, id := range p.UnitIDs {
		names[i] = b.UnitName(id)
	}
	return p.Award + ": " + strings.Join(names, ", ")
}

// dropProposed takes the unit out of the proposals, and an award left
// without units with it, recording the change as ProposeAward does: the
// unit is leaving the block (RemoveUnit), whose actor a is.
func (b *Block) dropProposed(a Actor, unitID string, now time.Time) {
	ps := b.Registration.Proposals
	for i := range ps {
		if !slices.Contains(ps[i].UnitIDs, unitID) {
			continue
		}
		before := b.proposalRecord(ps[i])
		ps[i].UnitIDs = slices.DeleteFunc(ps[i].UnitIDs, func(id string) bool { return id == unitID })
		if len(ps[i].UnitIDs) == 0 {
			b.record(a, now, "award.remove", "", before, "")
		} else {
			b.record(a, now, "award.propose", "", before, b.proposalRecord(ps[i]))
		}
	}
	b.Registration.Proposals = slices.DeleteFunc(ps, func(p Proposal) bool { return len(p.UnitIDs) == 0 })
}
