package thidua

import (
	"errors"
	"sort"
	"testing"
	"time"
)

var (
	t0    = time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	admin = Actor{UserID: 1, Name: "Admin", Admin: true}
	lan   = Actor{UserID: 2, Name: "Lan"}
	minh  = Actor{UserID: 3, Name: "Minh"}
)

// laoCai is the block of seed 001 with its seven units.
func laoCai(t *testing.T) *Block {
	t.Helper()
	b, err := NewBlock("b1", -100, "Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai", 2026, admin, t0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.AddUnits(admin, []string{"Ủy ban MTTQ Việt Nam tỉnh", "Hội Cựu chiến binh tỉnh", "Hội Nông dân tỉnh",
		"Liên đoàn Lao động tỉnh", "Hội Liên hiệp Phụ nữ tỉnh", "Tỉnh Đoàn", "Hội Chữ thập đỏ tỉnh"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// approve makes the actor a representative of the unit.
func approve(t *testing.T, b *Block, a Actor, unitRef string) {
	t.Helper()
	u, err := b.FindUnit(unitRef)
	if err != nil {
		t.Fatal(err)
	}
	req, err := b.RequestJoin(a, u.ID, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.DecideJoin(admin, req.ID, true, t0); err != nil {
		t.Fatal(err)
	}
}

func TestNewBlockNeedsAdminAndName(t *testing.T) {
	if _, err := NewBlock("b", -1, "Khối", 2026, lan, t0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("non-admin setup: %v", err)
	}
	if _, err := NewBlock("b", -1, "   ", 2026, admin, t0); !errors.Is(err, ErrInvalidName) {
		t.Fatalf("empty name: %v", err)
	}
	b, err := NewBlock("b", -1, "  Khối   thi đua  ", 2026, admin, t0)
	if err != nil || b.Name != "Khối thi đua" || b.Schema != SchemaVersion {
		t.Fatalf("got %+v, %v", b, err)
	}
	if ev := b.TakeEvents(); len(ev) != 1 || ev[0].Action != "block.setup" || ev[0].ActorID != 1 {
		t.Fatalf("events %+v", ev)
	}
	if ev := b.TakeEvents(); len(ev) != 0 {
		t.Fatalf("events not cleared: %+v", ev)
	}
}

func TestAddUnitsAllOrNothing(t *testing.T) {
	b := laoCai(t)
	b.TakeEvents()
	if _, err := b.AddUnits(admin, []string{"Hội Doanh nhân trẻ", "tinh doan"}, t0); !errors.Is(err, ErrUnitExists) {
		t.Fatalf("duplicate (folded) name: %v", err)
	}
	if _, err := b.AddUnits(admin, []string{"A", "a"}, t0); !errors.Is(err, ErrUnitExists) {
		t.Fatalf("name twice: %v", err)
	}
	if _, err := b.AddUnits(admin, []string{"A", ""}, t0); !errors.Is(err, ErrInvalidName) {
		t.Fatalf("empty name: %v", err)
	}
	if _, err := b.AddUnits(lan, []string{"B"}, t0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("non-manager: %v", err)
	}
	if len(b.Units) != 7 || len(b.TakeEvents()) != 0 {
		t.Fatalf("a failed add changed the block: %d units", len(b.Units))
	}
	many := make([]string, MaxUnits)
	for i := range many {
		many[i] = string(rune('a'+i%26)) + time.Duration(i).String()
	}
	if _, err := b.AddUnits(admin, many, t0); !errors.Is(err, ErrTooManyUnits) {
		t.Fatalf("too many: %v", err)
	}
}

// TestUnitNameWithoutBar: a unit's name holds no "|", which the commands
// naming a unit put between their parts; the block's name and the other
// titles may.
func TestUnitNameWithoutBar(t *testing.T) {
	b := laoCai(t)
	b.TakeEvents()
	_, err := b.AddUnits(admin, []string{"Hội Khuyến học tỉnh", "Hội A | B"}, t0)
	if le := (*LineError)(nil); !errors.As(err, &le) || le.Line != 2 || !errors.Is(err, ErrUnitNameBar) {
		t.Fatalf("a name with a bar on line 2: %v", err)
	}
	if _, err := b.AddUnits(admin, []string{"|"}, t0); !errors.Is(err, ErrInvalidName) {
		t.Fatalf("a bar alone: %v, want ErrInvalidName", err)
	}
	if _, err := b.RenameUnit(admin, "4", "Liên đoàn | Lao động", t0); !errors.Is(err, ErrUnitNameBar) {
		t.Fatalf("a rename with a bar: %v", err)
	}
	if len(b.Units) != 7 || b.Units[3].Name != "Liên đoàn Lao động tỉnh" || len(b.TakeEvents()) != 0 {
		t.Fatalf("a refused name changed the block: %d units, unit 4 %q", len(b.Units), b.Units[3].Name)
	}
	// A unit named so before is renamed by its number.
	b.Units[3].Name = "Liên đoàn | Lao động tỉnh"
	if u, err := b.RenameUnit(admin, "4", "Liên đoàn Lao động tỉnh", t0); err != nil || u.Name != "Liên đoàn Lao động tỉnh" {
		t.Fatalf("renaming a unit with a bar: %v, %v", u, err)
	}
	if err := b.Rename(admin, "Khối A | B", t0); err != nil {
		t.Fatalf("a block's name with a bar: %v", err)
	}
}

func TestFindUnit(t *testing.T) {
	b := laoCai(t)
	cases := []struct {
		ref, want string
		err       error
	}{
		{"6", "Tỉnh Đoàn", nil},
		{"tinh doan", "Tỉnh Đoàn", nil},
		{"TỈNH ĐOÀN", "Tỉnh Đoàn", nil},
		{"Nông dân", "Hội Nông dân tỉnh", nil},
		{"chu thap do", "Hội Chữ thập đỏ tỉnh", nil},
		{"Hội", "", ErrUnitNotFound}, // several units match
		{"0", "", ErrUnitNotFound},
		{"8", "", ErrUnitNotFound},
		{"", "", ErrUnitNotFound},
		{"Hội Khuyến học", "", ErrUnitNotFound},
	}
	for _, c := range cases {
		u, err := b.FindUnit(c.ref)
		if c.err != nil {
			if !errors.Is(err, c.err) {
				t.Errorf("FindUnit(%q) err = %v, want %v", c.ref, err, c.err)
			}
			continue
		}
		if err != nil || u.Name != c.want {
			t.Errorf("FindUnit(%q) = %v, %v; want %s", c.ref, u, err, c.want)
		}
	}
}

func TestRolesAndManagers(t *testing.T) {
	b := laoCai(t)
	approve(t, b, lan, "Tỉnh Đoàn")
	if b.CanManage(lan) {
		t.Fatal("a representative of a non-leader unit manages the block")
	}
	if reps := b.AppendLeaderRepIDs(nil); len(reps) != 0 || !b.LeaderRepsAre(nil) || b.LeaderRepsAre([]int64{lan.UserID}) {
		t.Fatalf("a block without a leader unit has its representatives: %v", reps)
	}
	if _, err := b.SetRole(lan, RoleLeader, "Tỉnh Đoàn", t0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("non-manager sets the leader: %v", err)
	}
	if _, err := b.SetRole(admin, RoleLeader, "Tỉnh Đoàn", t0); err != nil {
		t.Fatal(err)
	}
	if !b.CanManage(lan) {
		t.Fatal("a representative of the leader unit cannot manage")
	}
	if reps := b.AppendLeaderRepIDs([]int64{1}); len(reps) != 2 || reps[0] != 1 || reps[1] != lan.UserID {
		t.Fatalf("the leader unit's representatives after 1: %v", reps)
	}
	for _, ids := range [][]int64{nil, {1}, {lan.UserID, 1}, {1, lan.UserID}} {
		if b.LeaderRepsAre(ids) {
			t.Errorf("the leader unit's representatives are %v", ids)
		}
	}
	if !b.LeaderRepsAre([]int64{lan.UserID}) {
		t.Errorf("Lan does not represent the leader unit")
	}
	if _, err := b.SetRole(lan, RoleDeputy, "1", t0); err != nil {
		t.Fatal(err)
	}
	// Giving the leader unit the deputy office moves it there.
	if _, err := b.SetRole(admin, RoleDeputy, "Tỉnh Đoàn", t0); err != nil {
		t.Fatal(err)
	}
	if b.LeaderUnit != "" || b.DeputyUnit != b.Units[5].ID {
		t.Fatalf("leader %q deputy %q", b.LeaderUnit, b.DeputyUnit)
	}
	if reps := b.AppendLeaderRepIDs(nil); len(reps) != 0 {
		t.Fatalf("the deputy unit's representatives run the block: %v", reps)
	}
	if _, err := b.SetRole(admin, RoleLeader, "khong co", t0); !errors.Is(err, ErrUnitNotFound) {
		t.Fatalf("unknown unit: %v", err)
	}
}

func TestJoinApproveLeave(t *testing.T) {
	b := laoCai(t)
	u, _ := b.FindUnit("Hội Nông dân tỉnh")
	req, err := b.RequestJoin(lan, u.ID, t0)
	if err != nil {
		t.Fatal(err)
	}
	// A second request replaces the first.
	other, _ := b.FindUnit("Tỉnh Đoàn")
	req2, err := b.RequestJoin(lan, other.ID, t0)
	if err != nil || len(b.Requests) != 1 || req2.ID == req.ID {
		t.Fatalf("replace request: %+v %v", b.Requests, err)
	}
	if _, err := b.DecideJoin(lan, req2.ID, true, t0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("self-approval: %v", err)
	}
	if _, err := b.DecideJoin(admin, req.ID, true, t0); !errors.Is(err, ErrRequestNotFound) {
		t.Fatalf("stale request: %v", err)
	}
	if _, err := b.DecideJoin(admin, req2.ID, true, t0); err != nil {
		t.Fatal(err)
	}
	if rp := b.RepOf(lan.UserID); rp == nil || rp.UnitID != other.ID || rp.ApprovedBy != admin.UserID {
		t.Fatalf("rep %+v", rp)
	}
	if _, err := b.DecideJoin(admin, req2.ID, true, t0); !errors.Is(err, ErrRequestNotFound) {
		t.Fatalf("decided twice: %v", err)
	}
	if _, err := b.RequestJoin(lan, u.ID, t0); !errors.Is(err, ErrAlreadyMember) {
		t.Fatalf("join while member: %v", err)
	}
	if _, err := b.Leave(lan, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Leave(lan, t0); !errors.Is(err, ErrNotRepresentative) {
		t.Fatalf("leave twice: %v", err)
	}
	// Rejection leaves no representative.
	r3, _ := b.RequestJoin(minh, u.ID, t0)
	if _, err := b.DecideJoin(admin, r3.ID, false, t0); err != nil || b.RepOf(minh.UserID) != nil {
		t.Fatalf("reject: %v", err)
	}
}

// A representative's language comes from their request to join, a later
// request replacing it, and is kept up to date by UpdateProfile, which
// leaves it when the actor's is unknown and, with nothing to change,
// reports so and allocates nothing.
func TestRepresentativeLanguage(t *testing.T) {
	b := laoCai(t)
	u, _ := b.FindUnit("Tỉnh Đoàn")
	john := Actor{UserID: 4, Name: "John", Username: "john", Lang: "vi"}
	if req, err := b.RequestJoin(john, u.ID, t0); err != nil || req.Lang != "vi" {
		t.Fatalf("request %+v, %v", req, err)
	}
	john.Lang = "en"
	req, err := b.RequestJoin(john, u.ID, t0)
	if err != nil || req.Lang != "en" {
		t.Fatalf("request again %+v, %v", req, err)
	}
	if _, err := b.DecideJoin(admin, req.ID, true, t0); err != nil {
		t.Fatal(err)
	}
	if rp := b.RepOf(john.UserID); rp.Lang != "en" || !rp.HasProfile(john) {
		t.Fatalf("rep %+v", *rp)
	}
	b.TakeEvents()
	if allocs := testing.AllocsPerRun(100, func() {
		if b.UpdateProfile(john) {
			t.Fatal("changed with nothing to change")
		}
	}); allocs != 0 {
		t.Fatalf("%v allocations", allocs)
	}
	unknown := Actor{UserID: 4, Name: "John", Username: "john"}
	if b.UpdateProfile(unknown) || b.RepOf(john.UserID).Lang != "en" {
		t.Fatalf("an unknown language: %+v", *b.RepOf(john.UserID))
	}
	john.Lang = "vi-VN"
	if b.RepOf(john.UserID).HasProfile(john) || !b.UpdateProfile(john) || b.RepOf(john.UserID).Lang != "vi-VN" {
		t.Fatalf("switched language: %+v", *b.RepOf(john.UserID))
	}
	unknown.Name = "John Smith"
	if !b.UpdateProfile(unknown) || b.RepOf(john.UserID).Lang != "vi-VN" || b.RepOf(john.UserID).Name != "John Smith" {
		t.Fatalf("renamed, language unknown: %+v", *b.RepOf(john.UserID))
	}
	if ev := b.TakeEvents(); len(ev) != 0 {
		t.Fatalf("recorded %+v", ev)
	}
}

func TestRemoveUnitCascades(t *testing.T) {
	b := laoCai(t)
	approve(t, b, lan, "Tỉnh Đoàn")
	if _, err := b.SetRole(admin, RoleLeader, "Tỉnh Đoàn", t0); err != nil {
		t.Fatal(err)
	}
	u, _ := b.FindUnit("Tỉnh Đoàn")
	if _, err := b.RequestJoin(minh, u.ID, t0); err != nil {
		t.Fatal(err)
	}
	gone, _, err := b.RemoveUnit(admin, "Tỉnh Đoàn", t0)
	if err != nil || gone.Name != "Tỉnh Đoàn" {
		t.Fatal(err)
	}
	if len(b.Units) != 6 || b.RepOf(lan.UserID) != nil || len(b.Requests) != 0 || b.LeaderUnit != "" {
		t.Fatalf("cascade incomplete: %+v", b)
	}
}

func TestEventsAttributeAdminActions(t *testing.T) {
	b := laoCai(t)
	approve(t, b, lan, "Tỉnh Đoàn")
	b.TakeEvents()
	if _, err := b.RenameUnit(admin, "Tỉnh Đoàn", "Tỉnh Đoàn Lào Cai", t0); err != nil {
		t.Fatal(err)
	}
	ev := b.TakeEvents()
	if len(ev) != 1 || !ev[0].AsAdmin || ev[0].Before != "Tỉnh Đoàn" || ev[0].After != "Tỉnh Đoàn Lào Cai" {
		t.Fatalf("events %+v", ev)
	}
}

// The record of applied updates keeps the most recent ones, in order,
// each once, in an array of its own of its very length: one allocation an
// update, whether the record is full or not.
func TestAppliedRing(t *testing.T) {
	b := laoCai(t)
	for i := int64(1); i <= appliedKept+10; i++ {
		before := b.Applied
		b.MarkApplied(i)
		if cap(b.Applied) != len(b.Applied) || len(before) > 0 && &before[0] == &b.Applied[0] {
			t.Fatalf("update %d: a record of length %d and capacity %d, sharing the last's array: %v", i, len(b.Applied), cap(b.Applied), len(before) > 0 && &before[0] == &b.Applied[0])
		}
	}
	b.MarkApplied(appliedKept + 10) // again: no duplicate
	if len(b.Applied) != appliedKept || b.HasApplied(10) || !b.HasApplied(11) || !b.HasApplied(appliedKept+10) {
		t.Fatalf("ring: len %d", len(b.Applied))
	}
	for i, id := range b.Applied {
		if id != int64(11+i) {
			t.Fatalf("ring: %d at %d", id, i)
		}
	}
	next := int64(appliedKept + 11)
	if n := testing.AllocsPerRun(100, func() { b.MarkApplied(next); next++ }); n != 1 {
		t.Errorf("marking an update applied allocates %v times", n)
	}
}

func TestMigrate(t *testing.T) {
	b := &Block{ID: "x"}
	if err := b.Migrate(); err != nil || b.Schema != SchemaVersion || b.NextSeq != 1 {
		t.Fatalf("old document: %+v %v", b, err)
	}
	b.Schema = SchemaVersion + 1
	if err := b.Migrate(); err == nil {
		t.Fatal("a newer document was accepted")
	}
}

func TestVietnameseText(t *testing.T) {
	if Fold("  Hội Liên hiệp  PHỤ NỮ  ") != "hoi lien hiep phu nu" || Fold("Đoàn") != "doan" || Fold(" Nha\tO  VAN ") != "nha o van" {
		t.Fatal(Fold("Hội Liên hiệp Phụ nữ"))
	}
	names := []string{"Tỉnh Đoàn", "Ủy ban MTTQ", "Hội Nông dân", "Đảng ủy", "Ân", "An", "Bảo"}
	sort.Slice(names, func(i, j int) bool { return Less(names[i], names[j]) })
	want := []string{"An", "Ân", "Bảo", "Đảng ủy", "Hội Nông dân", "Tỉnh Đoàn", "Ủy ban MTTQ"}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("sorted %v, want %v", names, want)
		}
	}
	if _, err := CleanName("a\x00b"); !errors.Is(err, ErrInvalidName) {
		t.Fatal("control character accepted")
	}
	for _, name := range []string{"|", "| |", "-5", "#999", "31/02", "1.000", "🏆\u200b"} {
		if _, err := CleanName(name); !errors.Is(err, ErrInvalidName) {
			t.Fatalf("%q accepted as a name", name)
		}
	}
	if got, err := CleanName("Đoàn 19"); err != nil || got != "Đoàn 19" {
		t.Fatalf("Đoàn 19: %q, %v", got, err)
	}
}

// Entries about a person name them by name and username and keep their
// id in PersonID, apart from the text.
func TestEventsNamePeopleWithoutIDs(t *testing.T) {
	b := laoCai(t)
	u, _ := b.FindUnit("Tỉnh Đoàn")
	withName := Actor{UserID: 4, Name: "Hoa", Username: "hoa_td"}
	req, _ := b.RequestJoin(withName, u.ID, t0)
	r2, _ := b.RequestJoin(minh, u.ID, t0)
	b.TakeEvents()
	if _, err := b.DecideJoin(admin, req.ID, true, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.DecideJoin(admin, r2.ID, false, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Leave(withName, t0); err != nil {
		t.Fatal(err)
	}
	ev := b.TakeEvents()
	want := []Event{
		{Action: "join.approve", ActorID: admin.UserID, After: "Hoa (hoa_td)", PersonID: 4},
		{Action: "join.reject", ActorID: admin.UserID, After: "Minh", PersonID: minh.UserID},
		{Action: "rep.leave", ActorID: 4, Before: "Hoa (hoa_td)", PersonID: 4},
	}
	if len(ev) != len(want) {
		t.Fatalf("events %+v", ev)
	}
	for i, w := range want {
		e := ev[i]
		if e.Action != w.Action || e.ActorID != w.ActorID || e.Before != w.Before || e.After != w.After || e.PersonID != w.PersonID {
			t.Errorf("event %d = %+v, want %+v", i, e, w)
		}
		m := e
		if m.Migrate(); m != e {
			t.Errorf("Migrate changed a current entry: %+v", m)
		}
	}
}

// Entries recorded before PersonID named the person "Name (123456789)":
// Migrate leaves the name and moves the id, and nothing else.
func TestEventMigrate(t *testing.T) {
	cases := []struct {
		in, want Event
	}{
		{Event{Action: "join.approve", After: "Lan (700000002)"}, Event{Action: "join.approve", After: "Lan", PersonID: 700000002}},
		{Event{Action: "join.reject", After: "Cô Ba (Tỉnh Đoàn) (42)"}, Event{Action: "join.reject", After: "Cô Ba (Tỉnh Đoàn)", PersonID: 42}},
		{Event{Action: "rep.leave", Before: "Minh (3)"}, Event{Action: "rep.leave", Before: "Minh", PersonID: 3}},
		{Event{Action: "block.setup", After: "Khối thi đua (2026)"}, Event{Action: "block.setup", After: "Khối thi đua (2026)"}},
		{Event{Action: "join.approve", After: "Lan (lan)"}, Event{Action: "join.approve", After: "Lan (lan)"}},
		{Event{Action: "join.approve", After: "Lan (1990)", PersonID: 7}, Event{Action: "join.approve", After: "Lan (1990)", PersonID: 7}},
		{Event{Action: "rep.leave", Before: "(12)"}, Event{Action: "rep.leave", Before: "(12)"}},
		{Event{Action: "rep.leave", Before: "Ba ()"}, Event{Action: "rep.leave", Before: "Ba ()"}},
	}
	for _, c := range cases {
		got := c.in
		got.Migrate()
		if got != c.want {
			t.Errorf("Migrate(%+v) = %+v, want %+v", c.in, got, c.want)
		}
	}
}
