package handlers

import (
	"slices"
	"testing"
	"time"

	"thiduabot/bot"
	"thiduabot/thidua"
)

// After every request that read a block (each pledge, report and vote) the
// bot compares the leader unit's representatives with the block's record
// of their command menus: when the record agrees, the comparison must cost
// no allocation (nor any call: the router here has neither Telegram nor a
// store, and would fail on one).
func TestCheckingMenusAllocatesNothing(t *testing.T) {
	b, reps := reportingBlock(t)
	r := New(Config{})
	q := &request{r: r, blk: b}
	// No leader unit, and no record.
	if allocs := testing.AllocsPerRun(100, q.syncMenus); allocs != 0 {
		t.Fatalf("no leader unit: %v allocations", allocs)
	}
	admin := thidua.Actor{UserID: 1, Name: "Quản trị", Admin: true}
	if _, err := b.SetRole(admin, thidua.RoleLeader, b.Units[5].ID, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	b.Menus = thidua.Menus{ChatID: b.ChatID, Stamp: r.menuStamp, Holders: []int64{reps[5].UserID}}
	if allocs := testing.AllocsPerRun(100, q.syncMenus); allocs != 0 {
		t.Fatalf("menus as recorded: %v allocations", allocs)
	}
	// A leader unit with many representatives, all holding their menus.
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := range 11 {
		rep := thidua.Actor{UserID: int64(500 + i), Name: "Cán bộ"}
		req, err := b.RequestJoin(rep, b.Units[5].ID, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.DecideJoin(admin, req.ID, true, now); err != nil {
			t.Fatal(err)
		}
	}
	b.Menus.Holders = b.AppendLeaderRepIDs(nil)
	if len(b.Menus.Holders) != 12 {
		t.Fatalf("leader representatives %v", b.Menus.Holders)
	}
	if allocs := testing.AllocsPerRun(100, q.syncMenus); allocs != 0 {
		t.Fatalf("12 leader representatives: %v allocations", allocs)
	}
	// A record of the group before it became a supergroup, and no leader
	// unit: nothing to give nor to take there.
	b.Menus.ChatID, b.LeaderUnit = b.ChatID-1, ""
	if allocs := testing.AllocsPerRun(100, q.syncMenus); allocs != 0 {
		t.Fatalf("a record of another chat: %v allocations", allocs)
	}
}

// The stamp of the menus changes with any command's name or description,
// in any language, and with the menu a command is in.
func TestMenuStampFollowsTheCommands(t *testing.T) {
	help := bot.Command{Name: "help", Desc: bot.T{VI: "Trợ giúp", EN: "Help"}}
	units := bot.Command{Name: "units", Desc: bot.T{VI: "Các đơn vị", EN: "Units"}}
	stamp := menuStampOf([]bot.Command{help}, []bot.Command{help, units})
	if again := menuStampOf([]bot.Command{help}, []bot.Command{help, units}); again != stamp {
		t.Fatalf("the same menus: %q and %q", stamp, again)
	}
	renamed := help
	renamed.Desc.EN = "Commands"
	for name, other := range map[string]string{
		"an English description": menuStampOf([]bot.Command{renamed}, []bot.Command{renamed, units}),
		"a command moved":        menuStampOf([]bot.Command{help, units}, []bot.Command{help}),
		"a command less":         menuStampOf([]bot.Command{help}, []bot.Command{help}),
	} {
		if other == stamp {
			t.Errorf("%s: the same stamp %q", name, stamp)
		}
	}
}

// The record of the menus after syncMenus made its calls is their outcome;
// but should another request (on another replica) have recorded meanwhile,
// its record stands with the menus given here added, and no menu given is
// left out of it.
func TestRecordMenus(t *testing.T) {
	before := thidua.Menus{ChatID: -1, Stamp: "a", Holders: []int64{1}}
	now := thidua.Menus{ChatID: -1, Stamp: "b", Holders: []int64{1, 2}}
	for _, c := range []struct {
		name    string
		rec     thidua.Menus
		now     thidua.Menus
		changed bool
		want    thidua.Menus
	}{
		{"as it was", before, now, true, now},
		{"nothing done", before, before, false, before},
		{"recorded meanwhile", thidua.Menus{ChatID: -1, Stamp: "c", Holders: append(make([]int64, 0, 4), 3)}, now, true, thidua.Menus{ChatID: -1, Stamp: "c", Holders: []int64{3, 1, 2}}},
		{"recorded meanwhile, holding them", thidua.Menus{ChatID: -1, Stamp: "c", Holders: []int64{2, 3, 1}}, now, false, thidua.Menus{ChatID: -1, Stamp: "c", Holders: []int64{2, 3, 1}}},
		{"moved meanwhile", thidua.Menus{ChatID: -2}, now, false, thidua.Menus{ChatID: -2}},
	} {
		rec := c.rec
		// The stored block's holders, shared with the copy the update
		// changes: the room past their end too must stay as it was.
		stored := c.rec.Holders[:cap(c.rec.Holders)]
		held := slices.Clone(stored)
		if changed := recordMenus(&rec, &before, &c.now); changed != c.changed || !rec.Equal(&c.want) {
			t.Errorf("%s: %v %+v, want %v %+v", c.name, changed, rec, c.changed, c.want)
		}
		if !slices.Equal(stored, held) {
			t.Errorf("%s: the holders recorded before changed: %v", c.name, stored)
		}
	}
}
