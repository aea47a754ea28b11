package thidua

import "fmt"

// The kinds of deadlines the year's features contribute (see Deadlines).
const (
	KindRegistration DeadlineKind = "registration" // registering and submitting pledges
	KindCovenant     DeadlineKind = "covenant"     // signing the covenant
	KindElection     DeadlineKind = "election"     // voting in an election
)

// registrationDeadlines is the deadline of an open registration that has
// one: a unit owes it until its pledge list is submitted (and not
// returned). A list awaiting approval is the leader's to decide, not the
// unit's debt.
func (b *Block) registrationDeadlines() []Deadline {
	due := b.RegistrationDue()
	if due.IsZero() {
		return nil
	}
	d := Deadline{Key: "registration", Kind: KindRegistration, Due: due.Add(DeadlineClock),
		Title: "Đăng ký nội dung thi đua"}
	if b.Registration.Opened != nil {
		d.Since = b.Registration.Opened.At
	}
	for _, u := range b.Units {
		reg := b.RegistrationOf(u.ID)
		switch {
		case len(reg.Pledges) == 0:
			d.Owing = append(d.Owing, Owing{UnitID: u.ID, Reason: "chưa đăng ký nội dung thi đua"})
		case reg.State == ListDraft:
			d.Owing = append(d.Owing, Owing{UnitID: u.ID, Reason: "chưa gửi danh sách đăng ký (/submit)"})
		case reg.State == ListReturned:
			d.Owing = append(d.Owing, Owing{UnitID: u.ID, Reason: "danh sách bị trả lại, cần sửa và gửi lại"})
		}
	}
	return []Deadline{d}
}

// covenantDeadlines is the signing deadline of an opened covenant that has
// one: every unit that has not signed owes it.
func (b *Block) covenantDeadlines() []Deadline {
	due := b.CovenantDue()
	if due.IsZero() {
		return nil
	}
	d := Deadline{Key: "covenant", Kind: KindCovenant, Due: due.Add(DeadlineClock),
		Title: "Ký giao ước thi đua", Since: b.Registration.Covenant.Opened.At}
	for _, id := range b.UnsignedUnits() {
		d.Owing = append(d.Owing, Owing{UnitID: id, Reason: "chưa ký giao ước thi đua"})
	}
	return []Deadline{d}
}

// electionDeadlines are the closing times of the open elections: every unit
// on the roll that has not voted owes a ballot.
func (b *Block) electionDeadlines() []Deadline {
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
		d := Deadline{Key: "election:" + e.ID, Kind: KindElection, Due: e.CloseAt, Since: e.OpenedAt, Title: title}
		for _, id := range e.NotVoted() {
			d.Owing = append(d.Owing, Owing{UnitID: id, Reason: "chưa bỏ phiếu bầu " + office})
		}
		out = append(out, d)
	}
	return out
}
