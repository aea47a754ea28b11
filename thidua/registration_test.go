package thidua

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

var ict = time.FixedZone("ICT", 7*3600)

// openLaoCai is the Lào Cai block with Lan representing Hội Nông dân tỉnh
// (u3), Minh representing Tỉnh Đoàn (u6, the leader unit), and registration
// open.
func openLaoCai(t *testing.T) *Block {
	t.Helper()
	b := laoCai(t)
	approve(t, b, lan, "Hội Nông dân tỉnh")
	approve(t, b, minh, "Tỉnh Đoàn")
	if _, err := b.SetRole(admin, RoleLeader, "Tỉnh Đoàn", t0); err != nil {
		t.Fatal(err)
	}
	if err := b.OpenRegistration(admin, time.Time{}, t0); err != nil {
		t.Fatal(err)
	}
	b.TakeEvents()
	return b
}

func draft(t *testing.T, s string) PledgeDraft {
	t.Helper()
	d, err := ParsePledge(s, 2026, ict)
	if err != nil {
		t.Fatalf("ParsePledge(%q): %v", s, err)
	}
	return d
}

func TestParseTarget(t *testing.T) {
	for in, want := range map[string]string{
		"50 nhà": "50 nhà", "40 %": "40%", "40%": "40%", "25,3 tỷ đồng": "25,3 tỷ đồng", "1.200 hội viên": "1.200 hội viên",
		"2.5 km": "2,5 km", "100% hộ gia đình": "100% hộ gia đình", "0 vụ cháy rừng": "0 vụ cháy rừng", "  120   ": "120",
		"hoàn thành xuất sắc": "hoàn thành xuất sắc", "Top  3 toàn quốc": "Top 3 toàn quốc", "": "",
	} {
		got, err := ParseTarget(in)
		if err != nil || got.String() != want {
			t.Errorf("ParseTarget(%q) = %q, %v; want %q", in, got.String(), err, want)
		}
	}
	if tg, _ := ParseTarget("25,3 tỷ đồng"); tg.Number == nil || *tg.Number != 25.3 || tg.Measure != "tỷ đồng" {
		t.Errorf("25,3 tỷ đồng read as %+v", tg)
	}
	if tg, _ := ParseTarget("0 vụ"); tg.Number == nil || *tg.Number != 0 || tg.IsZero() {
		t.Errorf("a zero target lost its number: %+v", tg)
	}
	for in, want := range map[string]error{
		"1,2,3 nhà": ErrTargetNumber, "1.20,5 tỷ": ErrTargetNumber, "12, nhà": ErrTargetNumber,
		"30/11/2026": ErrTargetIsDate, "30/11": ErrTargetIsDate, strings.Repeat("x", MaxTargetLen+1): ErrTargetTooLong,
	} {
		if _, err := ParseTarget(in); !errors.Is(err, want) {
			t.Errorf("ParseTarget(%q) = %v, want %v", in, err, want)
		}
	}
}

func TestParsePledge(t *testing.T) {
	d := draft(t, "  Vận động xây   50 nhà đại đoàn kết ")
	if d.Title != "Vận động xây 50 nhà đại đoàn kết" || !d.Target.IsZero() || !d.Due.Equal(time.Date(2026, 11, 30, 0, 0, 0, 0, ict)) {
		t.Fatalf("defaults: %+v", d)
	}
	d = draft(t, "Phát triển hội viên | 1.200 hội viên | 15/10")
	if d.Target.String() != "1.200 hội viên" || !d.Due.Equal(time.Date(2026, 10, 15, 0, 0, 0, 0, ict)) {
		t.Fatalf("target and dd/mm: %+v", d)
	}
	d = draft(t, "Hoàn thành nhiệm vụ | | 31/12/2026")
	if !d.Target.IsZero() || d.Due.Month() != 12 {
		t.Fatalf("empty target: %+v", d)
	}
	if p := (Pledge{Title: d.Title, Due: d.Due}); p.String() != "Hoàn thành nhiệm vụ | | 31/12/2026" {
		t.Fatalf("String without target: %q", p.String())
	}
	if _, err := ParsePledge(strings.Repeat("ư", MaxPledgeLen), 2026, ict); err != nil {
		t.Fatalf("a title of the maximum length: %v", err)
	}
	for in, want := range map[string]error{
		"":                        ErrPledgeTitle,
		"  | 50 nhà":              ErrPledgeTitle,
		strings.Repeat("ư", 501):  ErrPledgeTitle,
		"-5 | 50 nhà":             ErrPledgeTitle,
		"31/02":                   ErrPledgeTitle,
		"A | 1,2,3 nhà":           ErrTargetNumber,
		"A | 50 nhà | 31/02/2026": ErrPledgeDue,
		"A | 50 nhà | hôm nay":    ErrPledgeDue,
		"A | 50 nhà | 15/01/2027": ErrPledgeDueYear,
		"A | 50 nhà | 31/12/2025": ErrPledgeDueYear,
		"A | B | 30/11/2026 | D":  ErrPledgeFormat,
	} {
		if _, err := ParsePledge(in, 2026, ict); !errors.Is(err, want) {
			t.Errorf("ParsePledge(%q) = %v, want %v", in, err, want)
		}
	}
}

func TestPledgeLifecycle(t *testing.T) {
	b := openLaoCai(t)
	u3 := "u3"
	added, err := b.AddPledges(lan, u3, []PledgeDraft{draft(t, "Xây 50 nhà | 50 nhà"), draft(t, "Hội viên mới | 1.200 hội viên | 31/10/2026"), draft(t, "Tuyên truyền")}, t0)
	if err != nil || len(added) != 3 || added[0].ID == added[1].ID {
		t.Fatalf("AddPledges = %+v, %v", added, err)
	}
	ev := b.TakeEvents()
	if len(ev) != 3 || ev[1].Action != "pledge.add" || ev[1].Subject != u3 || ev[1].After != "2. Hội viên mới | 1.200 hội viên | 31/10/2026" || ev[1].AsAdmin {
		t.Fatalf("events %+v", ev)
	}

	before, after, err := b.EditPledge(lan, u3, 2, draft(t, "Hội viên mới | 1.500 hội viên"), t0)
	if err != nil || before.ID != after.ID || after.Target.String() != "1.500 hội viên" || b.RegistrationOf(u3).Pledges[1].ID != before.ID {
		t.Fatalf("EditPledge = %+v, %+v, %v", before, after, err)
	}
	ev = b.TakeEvents()
	if len(ev) != 1 || ev[0].Before != "2. Hội viên mới | 1.200 hội viên | 31/10/2026" || ev[0].After != "2. Hội viên mới | 1.500 hội viên | 30/11/2026" {
		t.Fatalf("edit event %+v", ev)
	}
	if _, _, err := b.EditPledge(lan, u3, 2, draft(t, "Hội viên mới | 1.500 hội viên"), t0); err != nil || len(b.TakeEvents()) != 0 {
		t.Fatalf("an edit that changes nothing: %v", err)
	}
	gone, err := b.DeletePledge(lan, u3, 1, t0)
	if err != nil || gone.Title != "Xây 50 nhà" || len(b.RegistrationOf(u3).Pledges) != 2 {
		t.Fatalf("DeletePledge = %+v, %v", gone, err)
	}
	if ev := b.TakeEvents(); len(ev) != 1 || ev[0].Action != "pledge.delete" || ev[0].Before != "1. Xây 50 nhà | 50 nhà | 30/11/2026" {
		t.Fatalf("delete event %+v", ev)
	}
	for _, n := range []int{0, 3, -1} {
		if _, err := b.DeletePledge(lan, u3, n, t0); !errors.Is(err, ErrPledgeNotFound) {
			t.Errorf("DeletePledge(%d) = %v", n, err)
		}
		if _, _, err := b.EditPledge(lan, u3, n, draft(t, "X"), t0); !errors.Is(err, ErrPledgeNotFound) {
			t.Errorf("EditPledge(%d) = %v", n, err)
		}
	}

	// Submitted: frozen for everyone, the unit's representatives included.
	ur, err := b.SubmitPledges(lan, u3, t0)
	if err != nil || ur.State != ListSubmitted || ur.Round != 1 || ur.Submitted.UserID != lan.UserID {
		t.Fatalf("SubmitPledges = %+v, %v", ur, err)
	}
	if _, err := b.AddPledges(lan, u3, []PledgeDraft{draft(t, "X")}, t0); !errors.Is(err, ErrListSubmitted) {
		t.Fatalf("add to a submitted list: %v", err)
	}
	if _, err := b.AddPledges(admin, u3, []PledgeDraft{draft(t, "X")}, t0); !errors.Is(err, ErrListSubmitted) {
		t.Fatalf("admin adds to a submitted list: %v", err)
	}
	if _, err := b.SubmitPledges(lan, u3, t0); !errors.Is(err, ErrListSubmitted) {
		t.Fatalf("submit twice: %v", err)
	}

	// Returned with a reason: editable again; submitted anew in round 2.
	if _, err := b.ReturnPledges(lan, u3, "Sửa", t0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a representative returns: %v", err)
	}
	if _, err := b.ReturnPledges(minh, u3, "   ", t0); !errors.Is(err, ErrReason) {
		t.Fatalf("return without reason: %v", err)
	}
	b.TakeEvents()
	ur, err = b.ReturnPledges(minh, u3, "Nội dung 2 cần rõ hơn", t0)
	if err != nil || ur.State != ListReturned || ur.Reason != "Nội dung 2 cần rõ hơn" || ur.Decided.UserID != minh.UserID {
		t.Fatalf("ReturnPledges = %+v, %v", ur, err)
	}
	if ev := b.TakeEvents(); len(ev) != 1 || ev[0].Action != "pledges.return" || ev[0].After != "Nội dung 2 cần rõ hơn" {
		t.Fatalf("return event %+v", ev)
	}
	if _, err := b.ApprovePledges(minh, u3, 0, t0); !errors.Is(err, ErrNotSubmitted) {
		t.Fatalf("approve a returned list: %v", err)
	}
	if _, err := b.AddPledges(lan, u3, []PledgeDraft{draft(t, "Thêm")}, t0); err != nil {
		t.Fatalf("add to a returned list: %v", err)
	}
	if ur, err = b.SubmitPledges(lan, u3, t0); err != nil || ur.Round != 2 || ur.Reason != "" {
		t.Fatalf("resubmit = %+v, %v", ur, err)
	}
	if _, err := b.ApprovePledges(minh, u3, 1, t0); !errors.Is(err, ErrListChanged) {
		t.Fatalf("approve the earlier round: %v", err)
	}
	if _, err := b.ApprovePledges(lan, u3, 2, t0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a representative approves: %v", err)
	}
	if ur, err = b.ApprovePledges(minh, u3, 2, t0); err != nil || ur.State != ListApproved || ur.Decided.UserID != minh.UserID {
		t.Fatalf("ApprovePledges = %+v, %v", ur, err)
	}
	if _, err := b.ApprovePledges(minh, u3, 0, t0); !errors.Is(err, ErrAlreadyApproved) {
		t.Fatalf("approve twice: %v", err)
	}
	if _, err := b.DeletePledge(lan, u3, 1, t0); !errors.Is(err, ErrListApproved) {
		t.Fatalf("delete from an approved list: %v", err)
	}
	// An approved list can be returned too.
	if ur, err = b.ReturnPledges(admin, u3, "Bổ sung", t0); err != nil || ur.State != ListReturned {
		t.Fatalf("return an approved list = %+v, %v", ur, err)
	}
	if _, err := b.ReturnPledges(admin, u3, "Lần nữa", t0); !errors.Is(err, ErrNotSubmitted) {
		t.Fatalf("return a returned list: %v", err)
	}
}

func TestPledgeRights(t *testing.T) {
	b := openLaoCai(t)
	one := []PledgeDraft{draft(t, "X")}
	hoa := Actor{UserID: 9, Name: "Hoa"}
	for _, tc := range []struct {
		a    Actor
		unit string
		want error
	}{
		{hoa, "u3", ErrNotYourUnit},  // a member who represents no unit
		{minh, "u3", ErrNotYourUnit}, // the leader unit's representative, for another unit
		{lan, "u6", ErrNotYourUnit},  // a representative, for another unit
		{lan, "u99", ErrUnitNotFound},
	} {
		if _, err := b.AddPledges(tc.a, tc.unit, one, t0); !errors.Is(err, tc.want) {
			t.Errorf("%s adds for %s: %v, want %v", tc.a.Name, tc.unit, err, tc.want)
		}
		if _, err := b.SubmitPledges(tc.a, tc.unit, t0); !errors.Is(err, tc.want) {
			t.Errorf("%s submits for %s: %v, want %v", tc.a.Name, tc.unit, err, tc.want)
		}
	}
	if _, err := b.SubmitPledges(lan, "u3", t0); !errors.Is(err, ErrNoPledges) {
		t.Fatalf("submit an empty list: %v", err)
	}
	if len(b.TakeEvents()) != 0 || len(b.Registration.Units) != 0 {
		t.Fatal("refusals changed the block")
	}

	// An administrator acts for any unit, recorded as an administrator even
	// when representing another unit.
	adminRep := Actor{UserID: 10, Name: "Quân", Admin: true}
	approve(t, b, adminRep, "Hội Cựu chiến binh tỉnh")
	b.TakeEvents()
	if _, err := b.AddPledges(adminRep, "u3", one, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddPledges(adminRep, "u2", one, t0); err != nil {
		t.Fatal(err)
	}
	if ev := b.TakeEvents(); !ev[0].AsAdmin || ev[1].AsAdmin {
		t.Fatalf("AsAdmin for another unit %v, for the own unit %v", ev[0].AsAdmin, ev[1].AsAdmin)
	}

	if _, err := b.AddPledges(lan, "u3", slices.Repeat(one, MaxPledges), t0); !errors.Is(err, ErrTooManyPledges) {
		t.Fatalf("too many pledges: %v", err)
	}
	// All or nothing: an invalid draft among valid ones stores nothing.
	n := len(b.RegistrationOf("u3").Pledges)
	if _, err := b.AddPledges(lan, "u3", []PledgeDraft{draft(t, "A"), {Title: "B", Due: time.Date(2027, 1, 1, 0, 0, 0, 0, ict)}}, t0); !errors.Is(err, ErrPledgeDueYear) {
		t.Fatalf("a draft outside the year: %v", err)
	}
	if len(b.RegistrationOf("u3").Pledges) != n || len(b.TakeEvents()) != 0 {
		t.Fatal("a refused batch stored some pledges")
	}
}

// Registration opened for one unit alone lets that unit change its pledges
// while the others stay closed, until its list is approved or registration
// closes or opens for every unit; its deadline is the unit's alone.
func TestOpenRegistrationAlone(t *testing.T) {
	b := openLaoCai(t)
	binh := Actor{UserID: 4, Name: "Bình"}
	approve(t, b, binh, "Hội Cựu chiến binh tỉnh")
	for _, u := range []struct {
		a    Actor
		unit string
	}{{lan, "u3"}, {minh, "u6"}, {admin, "u5"}} {
		if _, err := b.AddPledges(u.a, u.unit, []PledgeDraft{draft(t, "A")}, t0); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.SubmitPledges(minh, "u6", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SubmitPledges(admin, "u5", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ApprovePledges(admin, "u6", 0, t0); err != nil {
		t.Fatal(err)
	}
	due := time.Date(2026, 2, 1, 0, 0, 0, 0, ict)
	if err := b.OpenRegistrationAlone(admin, "u3", due, t0); !errors.Is(err, ErrOpenForAll) {
		t.Fatalf("open for a unit while open for all: %v", err)
	}
	must(t, b.CloseRegistration(admin, t0))
	b.TakeEvents()
	for _, c := range []struct {
		a    Actor
		unit string
		due  time.Time
		want error
	}{
		{lan, "u3", due, ErrForbidden},
		{admin, "u99", due, ErrUnitNotFound},
		{admin, "u6", due, ErrListApproved},
		{admin, "u5", due, ErrListSubmitted},
		{admin, "u3", t0.AddDate(0, 0, -1), ErrDueInPast},
	} {
		if err := b.OpenRegistrationAlone(c.a, c.unit, c.due, t0); !errors.Is(err, c.want) {
			t.Fatalf("%s opens for %s: %v, want %v", c.a.Name, c.unit, err, c.want)
		}
	}
	must(t, b.OpenRegistrationAlone(admin, "u3", due, t0))
	if err := b.OpenRegistrationAlone(admin, "u3", due, t0); !errors.Is(err, ErrRegistrationOpen) {
		t.Fatalf("opened twice with the same deadline: %v", err)
	}
	later := due.AddDate(0, 0, 7)
	must(t, b.OpenRegistrationAlone(admin, "u3", later, t0))
	if _, err := b.AddPledges(lan, "u3", []PledgeDraft{draft(t, "B")}, t0); err != nil {
		t.Fatalf("the unit opened for: %v", err)
	}
	if _, err := b.AddPledges(binh, "u2", []PledgeDraft{draft(t, "B")}, t0); !errors.Is(err, ErrRegistrationClosed) {
		t.Fatalf("another unit: %v", err)
	}
	if err := b.RegistrationOpenFor("u2"); !errors.Is(err, ErrRegistrationClosed) || b.RegistrationOpenFor("u3") != nil {
		t.Fatalf("open for u2: %v, for u3: %v", err, b.RegistrationOpenFor("u3"))
	}
	ds := b.Deadlines(t0)
	var keys []string
	for _, d := range ds {
		keys = append(keys, d.Key)
		if d.Key == "registration:u3" && (!d.Due.Equal(later.Add(DeadlineClock)) || d.Subject.Unit != "Hội Nông dân tỉnh" ||
			len(d.Owing) != 1 || d.Owing[0].UnitID != "u3" || d.Owing[0].Debts[0].Kind != DebtSubmit) {
			t.Fatalf("the unit's deadline: %+v", d)
		}
	}
	if !slices.Contains(keys, "registration:u3") || slices.Contains(keys, "registration") {
		t.Fatalf("deadlines %v", keys)
	}
	if _, err := b.SubmitPledges(lan, "u3", t0); err != nil {
		t.Fatal(err)
	}
	// Opened, then submitted: its deadline still changes (it matters again
	// should the list be returned).
	latest := later.AddDate(0, 0, 7)
	if err := b.OpenRegistrationAlone(admin, "u3", latest, t0); err != nil || !b.RegistrationOf("u3").Opening.Due.Equal(latest) {
		t.Fatalf("the deadline of a unit opened, its list submitted since: %v", err)
	}
	if _, err := b.ApprovePledges(admin, "u3", 0, t0); err != nil {
		t.Fatal(err)
	}
	if b.RegistrationOf("u3").Opening != nil || len(b.UnitsOpenAlone()) != 0 {
		t.Fatal("the approval left registration open for the unit")
	}
	if err := b.CloseRegistration(admin, t0); !errors.Is(err, ErrRegistrationClosed) {
		t.Fatalf("close with nothing open: %v", err)
	}
	must(t, b.OpenRegistrationAlone(admin, "u2", time.Time{}, t0))
	must(t, b.CloseRegistration(admin, t0))
	if b.RegistrationOf("u2").Opening != nil || b.Registration.Open {
		t.Fatal("closing left registration open")
	}
	must(t, b.OpenRegistrationAlone(admin, "u2", time.Time{}, t0))
	must(t, b.OpenRegistration(admin, time.Time{}, t0))
	if len(b.UnitsOpenAlone()) != 0 {
		t.Fatal("registration open for every unit and for units alone")
	}
	var got []string
	for _, e := range b.TakeEvents() {
		got = append(got, e.Action+"["+e.Subject+"]:"+e.Before+">"+e.After)
	}
	want := []string{
		"reg.unit_open[u3]:>hạn 01/02/2026", "reg.unit_due[u3]:hạn 01/02/2026>hạn 08/02/2026",
		"pledge.add[u3]:>2. B | | 30/11/2026", "pledges.submit[u3]:>2 nội dung",
		"reg.unit_due[u3]:hạn 08/02/2026>hạn 15/02/2026", "pledges.approve[u3]:>2 nội dung",
		"reg.unit_open[u2]:>", "reg.unit_close[u2]:>", "reg.unit_open[u2]:>", "reg.reopen[]:>",
		"reg.unit_close[u2]:>" + OpeningEndedOpenForAll,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("events\n%v\nwant\n%v", got, want)
	}
	must(t, b.CloseRegistration(admin, t0))
	must(t, b.OpenRegistrationAlone(admin, "u2", due, t0))
	if _, _, err := b.RemoveUnit(admin, "u2", t0); err != nil {
		t.Fatal(err)
	}
	if b.RegistrationOf("u2").Opening != nil {
		t.Fatal("a removed unit keeps registration opened for it")
	}
	if ev := b.TakeEvents(); len(ev) < 2 || ev[len(ev)-2].Action != "reg.unit_close" || ev[len(ev)-2].Subject != "u2" ||
		ev[len(ev)-2].Before != "hạn 01/02/2026" || ev[len(ev)-2].After != OpeningEndedRemoved || ev[len(ev)-1].Action != "unit.remove" {
		t.Fatalf("the removal's history: %+v", ev)
	}
}

// CloseRegistrationAlone closes one unit's own opening, leaving another's,
// and refuses, changing nothing, a unit without an opening of its own.
func TestCloseRegistrationAlone(t *testing.T) {
	if err := laoCai(t).CloseRegistrationAlone(admin, "u3", t0); !errors.Is(err, ErrRegistrationNotOpen) {
		t.Fatalf("close for a unit before registration opened: %v", err)
	}
	b := openLaoCai(t)
	if err := b.CloseRegistrationAlone(admin, "u3", t0); !errors.Is(err, ErrOpenForAll) {
		t.Fatalf("close for a unit while open for all: %v", err)
	}
	must(t, b.CloseRegistration(admin, t0))
	due := time.Date(2026, 2, 1, 0, 0, 0, 0, ict)
	must(t, b.OpenRegistrationAlone(admin, "u3", due, t0))
	must(t, b.OpenRegistrationAlone(admin, "u2", time.Time{}, t0))
	b.TakeEvents()
	for _, c := range []struct {
		a    Actor
		unit string
		want error
	}{
		{lan, "u3", ErrForbidden},
		{admin, "u99", ErrUnitNotFound},
		{admin, "u4", ErrRegistrationClosed},
	} {
		if err := b.CloseRegistrationAlone(c.a, c.unit, t0); !errors.Is(err, c.want) {
			t.Fatalf("%s closes for %s: %v, want %v", c.a.Name, c.unit, err, c.want)
		}
	}
	if ev := b.TakeEvents(); len(ev) != 0 {
		t.Fatalf("refusals recorded %+v", ev)
	}
	must(t, b.CloseRegistrationAlone(admin, "u3", t0))
	if b.RegistrationOf("u3").Opening != nil || b.RegistrationOf("u2").Opening == nil {
		t.Fatalf("open alone after closing u3: %v", b.UnitsOpenAlone())
	}
	if _, ok := b.Deadline("registration:u3", t0); ok {
		t.Fatal("u3's deadline outlives its opening")
	}
	if ev := b.TakeEvents(); len(ev) != 1 || ev[0].Action != "reg.unit_close" || ev[0].Subject != "u3" || ev[0].Before != "hạn 01/02/2026" || ev[0].After != "" {
		t.Fatalf("the closing's history: %+v", ev)
	}
	if err := b.CloseRegistrationAlone(admin, "u3", t0); !errors.Is(err, ErrRegistrationClosed) {
		t.Fatalf("closed twice: %v", err)
	}
}

func TestOpenAndCloseRegistration(t *testing.T) {
	b := laoCai(t)
	approve(t, b, lan, "Hội Nông dân tỉnh")
	b.TakeEvents()
	if _, err := b.AddPledges(lan, "u3", []PledgeDraft{draft(t, "X")}, t0); !errors.Is(err, ErrRegistrationNotOpen) {
		t.Fatalf("before opening: %v", err)
	}
	if err := b.OpenRegistration(lan, time.Time{}, t0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a representative opens: %v", err)
	}
	if err := b.CloseRegistration(admin, t0); !errors.Is(err, ErrRegistrationNotOpen) {
		t.Fatalf("close before opening: %v", err)
	}
	if err := b.OpenRegistration(admin, t0.AddDate(0, 0, -1), t0); !errors.Is(err, ErrDueInPast) {
		t.Fatalf("a deadline in the past: %v", err)
	}
	today := time.Date(2026, 1, 10, 0, 0, 0, 0, ict)
	if err := b.OpenRegistration(admin, today, t0); err != nil || !b.RegistrationDue().Equal(today) {
		t.Fatalf("open with today's deadline: %v, due %v", err, b.RegistrationDue())
	}
	if err := b.OpenRegistration(admin, today, t0); !errors.Is(err, ErrRegistrationOpen) {
		t.Fatalf("open twice: %v", err)
	}
	later := today.AddDate(0, 2, 0)
	if err := b.OpenRegistration(admin, later, t0); err != nil || !b.RegistrationDue().Equal(later) {
		t.Fatalf("change the deadline: %v", err)
	}
	if err := b.CloseRegistration(lan, t0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a representative closes: %v", err)
	}
	if err := b.CloseRegistration(admin, t0); err != nil || b.Registration.Open || b.Registration.Closed.UserID != admin.UserID {
		t.Fatalf("close: %v", err)
	}
	if !b.RegistrationDue().IsZero() {
		t.Fatal("a closed registration has a deadline")
	}
	for _, a := range []Actor{lan, admin} {
		if _, err := b.AddPledges(a, "u3", []PledgeDraft{draft(t, "X")}, t0); !errors.Is(err, ErrRegistrationClosed) {
			t.Fatalf("%s adds after close: %v", a.Name, err)
		}
	}
	if err := b.CloseRegistration(admin, t0); !errors.Is(err, ErrRegistrationClosed) {
		t.Fatalf("close twice: %v", err)
	}
	if err := b.OpenRegistration(admin, time.Time{}, t0); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range b.TakeEvents() {
		got = append(got, e.Action+":"+e.Before+">"+e.After)
	}
	want := []string{"reg.open:>hạn 10/01/2026", "reg.due:hạn 10/01/2026>hạn 10/03/2026", "reg.close:hạn 10/03/2026>", "reg.reopen:>"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("events %v, want %v", got, want)
	}
}

func TestCriteria(t *testing.T) {
	b := openLaoCai(t)
	parse := func(s string) CriterionDraft {
		d, err := ParseCriterion(s)
		if err != nil {
			t.Fatalf("ParseCriterion(%q): %v", s, err)
		}
		return d
	}
	for in, want := range map[string]error{
		"Tuyên truyền":        ErrCriterionPoints,
		"Tuyên truyền | abc":  ErrCriterionPoints,
		"Tuyên truyền | 0":    ErrCriterionPoints,
		"Tuyên truyền | -5":   ErrCriterionPoints,
		"Tuyên truyền | 1001": ErrCriterionPoints,
		" | 20":               ErrCriterionTitle,
		"-5 | 20":             ErrCriterionTitle, // no letter: a mistyped line
		"31/02 | 20":          ErrCriterionTitle,
	} {
		if _, err := ParseCriterion(in); !errors.Is(err, want) {
			t.Errorf("ParseCriterion(%q) = %v, want %v", in, err, want)
		}
	}
	if _, err := b.AddCriteria(lan, []CriterionDraft{parse("A | 10")}, t0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a representative adds: %v", err)
	}
	added, err := b.AddCriteria(minh, []CriterionDraft{parse("Tuyên truyền | 20"), parse("Phát triển hội viên | 32,5"), parse("Công tác an sinh | 47,5")}, t0)
	if err != nil || len(added) != 3 || b.CriteriaTotal() != 100 {
		t.Fatalf("AddCriteria = %+v, %v (total %v)", added, err, b.CriteriaTotal())
	}
	if ev := b.TakeEvents(); len(ev) != 3 || ev[1].Action != "criterion.add" || ev[1].After != "Phát triển hội viên | 32,5" {
		t.Fatalf("events %+v", ev)
	}
	if _, err := b.AddCriteria(admin, []CriterionDraft{parse("Khác | 5"), parse("tuyen truyen | 5")}, t0); !errors.Is(err, ErrCriterionExists) || len(b.Registration.Criteria) != 3 {
		t.Fatalf("a duplicate: %v", err)
	}
	if _, err := b.RemoveCriterion(admin, 4, t0); !errors.Is(err, ErrCriterionNotFound) {
		t.Fatalf("remove 4: %v", err)
	}
	gone, err := b.RemoveCriterion(admin, 1, t0)
	if err != nil || gone.Title != "Tuyên truyền" || b.CriteriaTotal() != 80 {
		t.Fatalf("RemoveCriterion = %+v, %v", gone, err)
	}
	if _, err := b.OpenCovenant(admin, "Đoàn kết", time.Time{}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddCriteria(admin, []CriterionDraft{parse("Khác | 5")}, t0); !errors.Is(err, ErrCriteriaFrozen) {
		t.Fatalf("add after the covenant: %v", err)
	}
	if _, err := b.RemoveCriterion(admin, 1, t0); !errors.Is(err, ErrCriteriaFrozen) {
		t.Fatalf("remove after the covenant: %v", err)
	}
}

// signable gives the unit an approved list.
func signable(t *testing.T, b *Block, rep Actor, unitID string) {
	t.Helper()
	if _, err := b.AddPledges(rep, unitID, []PledgeDraft{draft(t, "X")}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SubmitPledges(rep, unitID, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ApprovePledges(admin, unitID, 0, t0); err != nil {
		t.Fatal(err)
	}
}

func TestCovenant(t *testing.T) {
	b, err := NewBlock("b2", -2, "Khối nhỏ", 2026, admin, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.OpenCovenant(admin, "Đoàn kết", time.Time{}, t0); !errors.Is(err, ErrCovenantNoUnits) {
		t.Fatalf("no units: %v", err)
	}
	if _, err := b.AddUnits(admin, []string{"Hội Nông dân tỉnh", "Tỉnh Đoàn"}, t0); err != nil {
		t.Fatal(err)
	}
	approve(t, b, lan, "Hội Nông dân tỉnh")
	approve(t, b, minh, "Tỉnh Đoàn")
	if err := b.OpenRegistration(admin, time.Time{}, t0); err != nil {
		t.Fatal(err)
	}
	if b.UnsignedUnits() != nil || !b.CovenantDue().IsZero() {
		t.Fatal("unsigned units before the covenant")
	}
	if _, err := b.OpenCovenant(admin, "Đoàn kết", time.Time{}, t0); !errors.Is(err, ErrNoCriteria) {
		t.Fatalf("no criteria: %v", err)
	}
	if _, err := b.AddCriteria(admin, []CriterionDraft{{"Tuyên truyền", 100}}, t0); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		a      Actor
		slogan string
		due    time.Time
		want   error
	}{
		{lan, "Đoàn kết", time.Time{}, ErrForbidden},
		{admin, "  ", time.Time{}, ErrSlogan},
		{admin, strings.Repeat("x", MaxSloganLen+1), time.Time{}, ErrSlogan},
		{admin, "Đoàn kết", time.Date(2026, 1, 9, 0, 0, 0, 0, ict), ErrDueInPast},
	} {
		if _, err := b.OpenCovenant(tc.a, tc.slogan, tc.due, t0); !errors.Is(err, tc.want) {
			t.Errorf("OpenCovenant(%s, %.10q) = %v, want %v", tc.a.Name, tc.slogan, err, tc.want)
		}
	}
	if _, _, err := b.SignCovenant(lan, 0, t0); !errors.Is(err, ErrNoCovenant) {
		t.Fatalf("sign before opening: %v", err)
	}
	c, err := b.OpenCovenant(admin, "Đoàn kết", time.Time{}, t0)
	if err != nil || c.Post != 1 {
		t.Fatalf("OpenCovenant = %+v, %v", c, err)
	}
	due := time.Date(2026, 3, 31, 0, 0, 0, 0, ict)
	if c, err = b.OpenCovenant(admin, "Đoàn kết, vượt khó", due, t0); err != nil || c.Post != 2 || !b.CovenantDue().Equal(due) {
		t.Fatalf("replace before signatures = %+v, %v", c, err)
	}
	if err := b.SetCovenantMessage(1, 40); !errors.Is(err, ErrCovenantStale) {
		t.Fatalf("the message of an earlier post: %v", err)
	}
	if err := b.SetCovenantMessage(2, 41); err != nil || b.Registration.Covenant.MessageID != 41 {
		t.Fatalf("SetCovenantMessage = %v, covenant %+v", err, b.Registration.Covenant)
	}
	b.TakeEvents()
	if c, err := b.RepostCovenant(admin); err != nil || c.Post != 3 || c.MessageID != 0 || len(b.TakeEvents()) != 0 {
		t.Fatalf("RepostCovenant = %+v, %v", c, err)
	}
	if _, err := b.RepostCovenant(Actor{UserID: 99, Name: "Quân"}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a member who represents no unit reposts: %v", err)
	}
	// A representative brings it up to sign it: post 4.
	if c, err := b.RepostCovenant(lan); err != nil || c.Post != 4 || len(b.TakeEvents()) != 0 {
		t.Fatalf("a representative reposts: %+v, %v", c, err)
	}
	if got := b.UnsignedUnits(); fmt.Sprint(got) != "[u1 u2]" {
		t.Fatalf("UnsignedUnits = %v", got)
	}

	hoa := Actor{UserID: 9, Name: "Hoa", Admin: true}
	if _, _, err := b.SignCovenant(hoa, 4, t0); !errors.Is(err, ErrNotRepresentative) {
		t.Fatalf("an administrator without a unit signs: %v", err)
	}
	if _, _, err := b.SignCovenant(lan, 3, t0); !errors.Is(err, ErrCovenantStale) {
		t.Fatalf("an earlier post: %v", err)
	}
	if _, _, err := b.SignCovenant(lan, 4, t0); !errors.Is(err, ErrCannotSign) {
		t.Fatalf("sign without an approved list: %v", err)
	}
	signable(t, b, lan, "u1")
	signable(t, b, minh, "u2")
	b.TakeEvents()
	unit, complete, err := b.SignCovenant(lan, 4, t0)
	if err != nil || unit != "u1" || complete {
		t.Fatalf("first signature = %s, %v, %v", unit, complete, err)
	}
	if s := b.RegistrationOf("u1").Signed; s == nil || s.UserID != lan.UserID || !s.At.Equal(t0) {
		t.Fatalf("signature %+v", s)
	}
	if _, _, err := b.SignCovenant(lan, 4, t0); !errors.Is(err, ErrAlreadySigned) {
		t.Fatalf("sign twice: %v", err)
	}
	if _, err := b.OpenCovenant(admin, "Khẩu hiệu khác", time.Time{}, t0); !errors.Is(err, ErrCovenantSigned) {
		t.Fatalf("replace after a signature: %v", err)
	}
	// The last signature completes the covenant, dated by it.
	signedLast := t0.Add(time.Hour)
	if unit, complete, err = b.SignCovenant(minh, 0, signedLast); err != nil || unit != "u2" || !complete || !b.Registration.Covenant.Completed || !b.Registration.Covenant.AnnouncePending || !b.Registration.Covenant.CompletedAt.Equal(signedLast) {
		t.Fatalf("last signature = %s, %v, %v; covenant %+v", unit, complete, err, b.Registration.Covenant)
	}
	if !b.MarkCovenantAnnounced() || b.Registration.Covenant.AnnouncePending || b.MarkCovenantAnnounced() {
		t.Fatalf("MarkCovenantAnnounced: covenant %+v", b.Registration.Covenant)
	}
	if ev := b.TakeEvents(); len(ev) != 2 || ev[0].Action != "covenant.sign" || ev[0].Subject != "u1" || ev[1].ActorID != minh.UserID {
		t.Fatalf("events %+v", ev)
	}
	if len(b.UnsignedUnits()) != 0 {
		t.Fatal("units left unsigned")
	}
	// A unit added later signs too, without a second announcement.
	if _, err := b.AddUnits(admin, []string{"Hội Chữ thập đỏ tỉnh"}, t0); err != nil {
		t.Fatal(err)
	}
	binh := Actor{UserID: 11, Name: "Bình"}
	approve(t, b, binh, "Hội Chữ thập đỏ tỉnh")
	u := b.RepOf(binh.UserID).UnitID
	signable(t, b, binh, u)
	if _, complete, err := b.SignCovenant(binh, 0, t0); err != nil || complete {
		t.Fatalf("a late signature = %v, %v", complete, err)
	}
	// Returning a signed unit's list withdraws its signature; signing
	// again on the list approved again completes the covenant anew.
	b.TakeEvents()
	if _, err := b.ReturnPledges(admin, "u1", "Thiếu chỉ tiêu", t0); err != nil {
		t.Fatal(err)
	}
	if ev := b.TakeEvents(); b.RegistrationOf("u1").Signed != nil || b.Registration.Covenant.Completed || b.Registration.Covenant.AnnouncePending || !b.Registration.Covenant.CompletedAt.IsZero() || !slices.Equal(actions(ev), []string{"pledges.return", "covenant.withdraw"}) {
		t.Fatalf("after the return: %+v, events %+v", b.RegistrationOf("u1"), ev)
	}
	if _, _, err := b.SignCovenant(lan, 0, t0); !errors.Is(err, ErrCannotSign) {
		t.Fatalf("sign on a returned list: %v", err)
	}
	signable(t, b, lan, "u1")
	if _, complete, err := b.SignCovenant(lan, 0, t0); err != nil || !complete || !b.Registration.Covenant.AnnouncePending {
		t.Fatalf("signing again = %v, %v", complete, err)
	}
	// The group upgraded to a supergroup: the message recorded is of the
	// old chat, whose ids start again in the new one.
	c = *b.Registration.Covenant
	if err := b.SetCovenantMessage(c.Post, 50); err != nil {
		t.Fatal(err)
	}
	if b.MoveChat(b.ChatID); b.Registration.Covenant.MessageID != 50 {
		t.Fatalf("a move to the same chat forgot the covenant message: %+v", b.Registration.Covenant)
	}
	if b.MoveChat(b.ChatID - 1); b.Registration.Covenant.MessageID != 0 || b.Registration.Covenant.Post != c.Post {
		t.Fatalf("after a move to another chat: covenant %+v", b.Registration.Covenant)
	}
}

// A new post of the covenant, made again or opened again, replaces the
// message of the latest one, or, when the bot recorded none, the message
// that one replaced; a move to a supergroup forgets both.
func TestCovenantSuperseded(t *testing.T) {
	b, err := NewBlock("b3", -3, "Khối nhỏ", 2026, admin, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddUnits(admin, []string{"Hội Nông dân tỉnh"}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddCriteria(admin, []CriterionDraft{{"Tuyên truyền", 100}}, t0); err != nil {
		t.Fatal(err)
	}
	c := func() Covenant { return *b.Registration.Covenant }
	if _, err := b.OpenCovenant(admin, "Đoàn kết", time.Time{}, t0); err != nil || c().Superseded != 0 {
		t.Fatalf("first post: %v, covenant %+v", err, c())
	}
	if err := b.SetCovenantMessage(1, 10); err != nil {
		t.Fatal(err)
	}
	if _, err := b.RepostCovenant(admin); err != nil || c().MessageID != 0 || c().Superseded != 10 {
		t.Fatalf("repost: %v, covenant %+v", err, c())
	}
	// The second post never recorded: the third replaces the first still.
	if _, err := b.RepostCovenant(admin); err != nil || c().Post != 3 || c().Superseded != 10 {
		t.Fatalf("repost without a record: %v, covenant %+v", err, c())
	}
	if err := b.SetCovenantMessage(3, 12); err != nil {
		t.Fatal(err)
	}
	if _, err := b.OpenCovenant(admin, "Đổi mới", time.Time{}, t0); err != nil || c().Post != 4 || c().MessageID != 0 || c().Superseded != 12 {
		t.Fatalf("opened again: %v, covenant %+v", err, c())
	}
	if err := b.SetCovenantMessage(4, 13); err != nil {
		t.Fatal(err)
	}
	if b.MoveChat(b.ChatID - 1); c().MessageID != 0 || c().Superseded != 0 {
		t.Fatalf("after a move to another chat: covenant %+v", c())
	}
	if _, err := b.RepostCovenant(admin); err != nil || c().Superseded != 0 {
		t.Fatalf("a post in the new chat replaces an old chat's message: %v, covenant %+v", err, c())
	}
}

// A covenant stored before the bot recorded its announcement apart holds
// its completion under the key "announced", which meant announced: it
// reads as completed, with nothing to announce.
func TestCovenantCompletedBeforeAnnouncementsWereRecorded(t *testing.T) {
	var c Covenant
	if err := json.Unmarshal([]byte(`{"slogan":"Đoàn kết","opened":{"user_id":1,"name":"Admin","at":"2026-03-02T09:00:00+07:00"},"post":2,"announced":true}`), &c); err != nil {
		t.Fatal(err)
	}
	if !c.Completed || c.AnnouncePending || c.MessageID != 0 || c.Post != 2 {
		t.Fatalf("covenant %+v", c)
	}
}

func TestReminderViews(t *testing.T) {
	b := openLaoCai(t)
	all := []string{"u1", "u2", "u3", "u4", "u5", "u6", "u7"}
	if fmt.Sprint(b.UnitsWithoutPledges()) != fmt.Sprint(all) || fmt.Sprint(b.UnitsNotApproved()) != fmt.Sprint(all) {
		t.Fatal("a fresh block")
	}
	if _, err := b.AddPledges(minh, "u6", []PledgeDraft{draft(t, "X")}, t0); err != nil {
		t.Fatal(err)
	}
	signable(t, b, lan, "u3")
	if got := b.UnitsWithoutPledges(); fmt.Sprint(got) != "[u1 u2 u4 u5 u7]" {
		t.Fatalf("UnitsWithoutPledges = %v", got)
	}
	if got := b.UnitsNotApproved(); fmt.Sprint(got) != "[u1 u2 u4 u5 u6 u7]" {
		t.Fatalf("UnitsNotApproved = %v", got)
	}
	if got := b.UnsignedUnits(); got != nil {
		t.Fatalf("UnsignedUnits before the covenant = %v", got)
	}
	// Removing a unit drops it from every view.
	if _, _, err := b.RemoveUnit(admin, "1", t0); err != nil {
		t.Fatal(err)
	}
	if got := b.UnitsWithoutPledges(); fmt.Sprint(got) != "[u2 u4 u5 u7]" {
		t.Fatalf("UnitsWithoutPledges after removal = %v", got)
	}
}

// Removing the last unit that had not signed completes the covenant as the
// last signature does: RemoveUnit reports it once, and the covenant records
// it as announced, so that neither a later removal nor a later signature
// announces it again.
func TestCovenantCompletedByRemovingTheLastUnsignedUnit(t *testing.T) {
	b := signedByTwo(t, "Hội Chữ thập đỏ tỉnh", "Hội Khuyến học tỉnh")
	// Two units are left unsigned: removing one completes nothing.
	if _, complete, err := b.RemoveUnit(admin, "Hội Khuyến học tỉnh", t0); err != nil || complete || b.Registration.Covenant.Completed {
		t.Fatalf("removing one of two unsigned units = %v, %v", complete, err)
	}
	b.TakeEvents()
	removed := t0.Add(2 * time.Hour)
	gone, complete, err := b.RemoveUnit(admin, "Hội Chữ thập đỏ tỉnh", removed)
	if err != nil || gone.Name != "Hội Chữ thập đỏ tỉnh" || !complete || !b.Registration.Covenant.Completed || !b.Registration.Covenant.CompletedAt.Equal(removed) || len(b.UnsignedUnits()) != 0 {
		t.Fatalf("removing the last unsigned unit = %+v, %v, %v; covenant %+v", gone, complete, err, b.Registration.Covenant)
	}
	if ev := b.TakeEvents(); !slices.Equal(actions(ev), []string{"unit.remove"}) {
		t.Fatalf("events %+v", ev)
	}
	// Once the group was told, a unit added later and removed unsigned
	// announces nothing again.
	b.MarkCovenantAnnounced()
	if _, err := b.AddUnits(admin, []string{"Hội Khuyến học tỉnh"}, t0); err != nil {
		t.Fatal(err)
	}
	if _, complete, err := b.RemoveUnit(admin, "Hội Khuyến học tỉnh", t0); err != nil || complete {
		t.Fatalf("removing a late unit = %v, %v", complete, err)
	}
	// Removing a signed unit, or the last unit of the block, completes
	// nothing either.
	if _, complete, err := b.RemoveUnit(admin, "Tỉnh Đoàn", t0); err != nil || complete {
		t.Fatalf("removing a signed unit = %v, %v", complete, err)
	}
	if _, err := b.ReturnPledges(admin, "u1", "Thiếu chỉ tiêu", t0); err != nil || b.Registration.Covenant.Completed {
		t.Fatalf("withdrawing the last signature: %v, %+v", err, b.Registration.Covenant)
	}
	if _, complete, err := b.RemoveUnit(admin, "Hội Nông dân tỉnh", t0); err != nil || complete || b.Registration.Covenant.Completed {
		t.Fatalf("removing the block's last unit = %v, %v", complete, err)
	}
}

// signedByTwo returns a block of Hội Nông dân tỉnh (u1, Lan), Tỉnh Đoàn
// (u2, Minh) and the other units named, whose covenant the first two
// signed.
func signedByTwo(t *testing.T, others ...string) *Block {
	t.Helper()
	b, err := NewBlock("b3", -3, "Khối nhỏ", 2026, admin, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddUnits(admin, append([]string{"Hội Nông dân tỉnh", "Tỉnh Đoàn"}, others...), t0); err != nil {
		t.Fatal(err)
	}
	approve(t, b, lan, "Hội Nông dân tỉnh")
	approve(t, b, minh, "Tỉnh Đoàn")
	if err := b.OpenRegistration(admin, time.Time{}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddCriteria(admin, []CriterionDraft{{"Tuyên truyền", 100}}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.OpenCovenant(admin, "Đoàn kết", time.Time{}, t0); err != nil {
		t.Fatal(err)
	}
	signable(t, b, lan, "u1")
	signable(t, b, minh, "u2")
	for i, a := range []Actor{lan, minh} {
		if _, complete, err := b.SignCovenant(a, 0, t0); err != nil || complete != (i == 1 && len(others) == 0) {
			t.Fatalf("signature of %s = %v, %v", a.Name, complete, err)
		}
	}
	return b
}

// A unit added while the covenant's completion is still to be announced
// has not signed it: the completion is undone, with nothing left due, so
// that the group is not told every unit signed; the removal of that unit
// (or its signature) completes the covenant anew, to be announced.
func TestCovenantPendingCompletionUndoneByANewUnit(t *testing.T) {
	b := signedByTwo(t)
	if c := b.Registration.Covenant; !c.AnnouncePending || !b.nextCovenantDue().Equal(t0) {
		t.Fatalf("covenant %+v, due %v", c, b.nextCovenantDue())
	}
	if _, err := b.AddUnits(admin, []string{"Hội Khuyến học tỉnh"}, t0); err != nil {
		t.Fatal(err)
	}
	if c := b.Registration.Covenant; c.Completed || c.AnnouncePending || !c.CompletedAt.IsZero() || !b.nextCovenantDue().IsZero() {
		t.Fatalf("after a unit was added: covenant %+v, due %v", c, b.nextCovenantDue())
	}
	removed := t0.Add(time.Hour)
	if _, complete, err := b.RemoveUnit(admin, "Hội Khuyến học tỉnh", removed); err != nil || !complete || !b.Registration.Covenant.AnnouncePending || !b.nextCovenantDue().Equal(removed) {
		t.Fatalf("removing the new unit = %v, %v; covenant %+v", complete, err, b.Registration.Covenant)
	}
}
