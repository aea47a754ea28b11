package thidua

import (
	"fmt"
	"time"
)

// The kinds of deadlines the year's features contribute (see Deadlines).
const (
	KindRegistration DeadlineKind = "registration" // registering and submitting pledges
	KindCovenant     DeadlineKind = "covenant"     // signing the covenant
	KindElection     DeadlineKind = "election"     // voting in an election
	KindPeriod       DeadlineKind = "period"       // reporting results for a period
)

// periodDeadlines are the reporting periods' deadlines, in period order: a
// unit owes each until it has reported for the period. A report is on time
// until the end of the deadline day, so the deadline falls due at 23:59
// that day. Without owing, Owing is left nil (see deadlines).
func (b *Block) periodDeadlines(owing bool) []Deadline {
	var out []Deadline
	for _, p := range b.Results.Periods {
		d := Deadline{Key: "period:" + p.ID, Kind: KindPeriod, Due: b.PeriodEnd(p).Add(-time.Minute),
			Since: p.Added.At, Title: "Báo cáo kết quả " + p.Name, Subject: DeadlineSubject{Period: p.Name}}
		if owing {
			for _, id := range b.UnitsMissingReport(p.ID) {
				d.Owing = append(d.Owing, owes(id, Debt{Kind: DebtReport, Name: p.Name}))
			}
		}
		out = append(out, d)
	}
	return out
}

// behindPaceOwing lists the units whose measurable targets lag the time
// elapsed of the year at now, at the pace that meets them by their due
// dates (see BehindPace).
func (b *Block) behindPaceOwing(now time.Time) []Owing {
	var out []Owing
	for _, id := range b.BehindPace(now) {
		out = append(out, owes(id, Debt{Kind: DebtPace}))
	}
	return out
}

// registrationDeadlines is the deadline of an open registration that has
// one, and those of registration opened for units alone (see
// OpenRegistrationAlone) that have one: a unit owes it until its pledge list
// is submitted (and not returned). A list awaiting approval is the
// leader's to decide, not the unit's debt. Without owing, Owing is left
// nil (see deadlines). Their times are of the registration only (see
// KeepsDue): a unit removed loses its opening (see RemoveUnit), and a unit's
// name, in the deadline's Subject, moves no slot.
func (b *Block) registrationDeadlines(owing bool) []Deadline {
	var out []Deadline
	if due := b.RegistrationDue(); !due.IsZero() {
		d := Deadline{Key: "registration", Kind: KindRegistration, Due: due.Add(DeadlineClock),
			Title: "Đăng ký nội dung thi đua"}
		if b.Registration.Opened != nil {
			d.Since = b.Registration.Opened.At
		}
		if owing {
			for _, u := range b.Units {
				d.Owing = appendRegistrationDebt(d.Owing, b.RegistrationOf(u.ID))
			}
		}
		out = append(out, d)
	}
	for _, reg := range b.Registration.Units {
		o := reg.Opening
		if o == nil || o.Due.IsZero() {
			continue
		}
		d := Deadline{Key: "registration:" + reg.UnitID, Kind: KindRegistration, Due: o.Due.Add(DeadlineClock),
			Since: o.Opened.At, Title: "Đăng ký nội dung thi đua", Subject: DeadlineSubject{Unit: b.UnitName(reg.UnitID)}}
		if owing {
			d.Owing = appendRegistrationDebt(nil, reg)
		}
		out = append(out, d)
	}
	return out
}

// appendRegistrationDebt appends to owing the unit of reg with what it owes
// for registration, if anything: pledges, its list's submission, or the
// correction of its returned list.
func appendRegistrationDebt(owing []Owing, reg UnitRegistration) []Owing {
	switch {
	case len(reg.Pledges) == 0:
		return append(owing, owes(reg.UnitID, Debt{Kind: DebtPledges}))
	case reg.State == ListDraft:
		return append(owing, owes(reg.UnitID, Debt{Kind: DebtSubmit}))
	case reg.State == ListReturned:
		return append(owing, owes(reg.UnitID, Debt{Kind: DebtReturned}))
	}
	return owing
}

// covenantDeadlines is the signing deadline of an opened covenant that has
// one: every unit that has not signed owes it. Without owing, Owing is left
// nil (see deadlines).
func (b *Block) covenantDeadlines(owing bool) []Deadline {
	due := b.CovenantDue()
	if due.IsZero() {
		return nil
	}
	d := Deadline{Key: "covenant", Kind: KindCovenant, Due: due.Add(DeadlineClock),
		Title: "Ký giao ước thi đua", Since: b.Registration.Covenant.Opened.At}
	if owing {
		for _, id := range b.UnsignedUnits() {
			d.Owing = append(d.Owing, owes(id, Debt{Kind: DebtSign}))
		}
	}
	return []Deadline{d}
}

// electionDeadlines are the closing times of the open elections: every unit
// on the roll that has not voted owes a ballot. Without owing, Owing is left
// nil (see deadlines).
func (b *Block) electionDeadlines(owing bool) []Deadline {
	var out []Deadline
	for _, e := range b.OpenElections() {
		office := "Khối trưởng"
		if e.Role == RoleDeputy {
			office = "Khối phó"
		}
		title := fmt.Sprintf("Bầu %s năm %d", office, e.Year)
		if e.Round > 1 {
			title += fmt.Sprintf(" (vòng %d)", e.Round)
		}
		d := Deadline{Key: "election:" + e.ID, Kind: KindElection, Due: e.CloseAt, Since: e.OpenedAt, Title: title,
			Subject: DeadlineSubject{Role: e.Role, Year: e.Year, Round: e.Round}}
		if owing {
			for _, id := range e.NotVoted() {
				d.Owing = append(d.Owing, owes(id, Debt{Kind: DebtVote, Role: e.Role}))
			}
		}
		out = append(out, d)
	}
	return out
}

// owes is the unit that owes one debt.
func owes(unitID string, d Debt) Owing { return Owing{UnitID: unitID, Debts: []Debt{d}} }
