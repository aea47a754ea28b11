package handlers

import (
	"slices"
	"testing"
	"time"

	"thiduabot/thidua"
)

// Every change of a block (each pledge, report and vote) notes the leader
// unit's representatives before and after it, for their command menus: a
// change that leaves them as they were must cost no allocation, and note
// nothing for syncMenus; one that changes them notes who came and went.
func TestNotingLeadersAllocatesNothing(t *testing.T) {
	b, reps := reportingBlock(t)
	admin := thidua.Actor{UserID: 1, Name: "Quản trị", Admin: true}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if _, err := b.SetRole(admin, thidua.RoleLeader, b.Units[5].ID, now); err != nil {
		t.Fatal(err)
	}
	q := &request{}
	allocs := testing.AllocsPerRun(100, func() {
		q.leadersBefore(b)
		q.noteLeaders(b)
	})
	if allocs != 0 || q.leaders != nil {
		t.Fatalf("an unchanged leader unit: %v allocations, noted %+v", allocs, q.leaders)
	}

	q.leadersBefore(b)
	if _, err := b.SetRole(admin, thidua.RoleLeader, b.Units[2].ID, now); err != nil {
		t.Fatal(err)
	}
	q.noteLeaders(b)
	if c := q.leaders; c == nil || !slices.Equal(c.before, []int64{reps[5].UserID}) || !slices.Equal(c.after, []int64{reps[2].UserID}) {
		t.Fatalf("noted %+v", c)
	}
	// A second change in the same request keeps the first one's before.
	q.leadersBefore(b)
	if _, err := b.SetRole(admin, thidua.RoleLeader, b.Units[4].ID, now); err != nil {
		t.Fatal(err)
	}
	q.noteLeaders(b)
	if c := q.leaders; !slices.Equal(c.before, []int64{reps[5].UserID}) || !slices.Equal(c.after, []int64{reps[4].UserID}) {
		t.Fatalf("noted %+v", c)
	}
}
