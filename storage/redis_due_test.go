package storage_test

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"thiduabot/storage"
	"thiduabot/storage/storagetest"
	"thiduabot/thidua"
)

// An update that cannot move its block's due time (thidua.Block.KeepsDue)
// takes it from the cached block it started from instead of computing it
// again: a report and a ballot do. One that may move it computes it, and
// the due index follows when it comes forward: a new period, the close of
// an election, a deadline of the block's own. The cache is made to hold a
// wrong due time, earlier than any, to show which updates take it.
func TestRedisKeepsDue(t *testing.T) {
	client, prefix := storagetest.Redis(t)
	st := storage.NewRedis(client, prefix)
	ctx, now := t.Context(), storagetest.YearEndVoting
	wrong := now.AddDate(0, 0, -30)
	indexed := func(id string, at time.Time) bool {
		t.Helper()
		ids, err := st.DueBlocks(ctx, at, 0)
		if err != nil {
			t.Fatal(err)
		}
		return slices.Contains(ids, id)
	}
	for i, tt := range []struct {
		name   string
		parts  thidua.Part
		change func(b *thidua.Block, reps []thidua.Actor) error
		keeps  bool
	}{
		{"report", thidua.PartResults, func(b *thidua.Block, reps []thidua.Actor) error {
			unit := b.Units[0].ID
			_, err := b.SubmitReport(reps[0], unit, b.Results.Periods[3].ID, storagetest.ReportLines(b, unit, 4), now)
			return err
		}, true},
		{"press", thidua.PartElections, func(b *thidua.Block, reps []thidua.Actor) error {
			e := b.OpenElections()[0]
			_, err := b.Vote(reps[4], e.ID, e.Candidates[0], "Z0001", now)
			return err
		}, true},
		{"new period", thidua.PartResults, func(b *thidua.Block, _ []thidua.Actor) error {
			p, err := thidua.ParsePeriod("Bổ sung | 21/11", b.Year, now.Location())
			if err == nil {
				_, err = b.AddPeriods(storagetest.Admin, []thidua.PeriodDraft{p}, now)
			}
			return err
		}, false},
		{"election closed", thidua.PartElections, func(b *thidua.Block, _ []thidua.Actor) error {
			_, err := b.CloseElection(storagetest.Admin, b.OpenElections()[0].ID, now)
			return err
		}, false},
		{"deadline", thidua.PartSchedule, func(b *thidua.Block, _ []thidua.Actor) error {
			_, err := b.AddDeadline(storagetest.Admin, now.Add(2*time.Hour), "Gửi danh sách khen thưởng", now)
			return err
		}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			id := "b" + tt.name
			blk, reps := storagetest.YearEnd(t, id, int64(-100-i))
			// Nothing is due for a day, so that a new deadline comes first.
			for _, ds := range blk.DueSlots(now.Add(24 * time.Hour)) {
				blk.MarkSlot(ds.Deadline, ds.Slot.ID, thidua.SlotSent, ds.Slot.At)
			}
			blk.TakeEvents()
			before := blk.NextDue()
			if err := st.CreateBlock(ctx, blk); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Block(ctx, id); err != nil { // cached
				t.Fatal(err)
			}
			storage.SetCachedDue(st, id, wrong)
			b, err := st.UpdateParts(ctx, id, tt.parts, func(b *thidua.Block) error { return tt.change(b, reps) })
			if err != nil {
				t.Fatal(err)
			}
			if took := indexed(id, wrong); took != tt.keeps {
				t.Fatalf("the update took the cached due time: %v, want %v", took, tt.keeps)
			}
			if tt.keeps {
				return
			}
			due := b.NextDue()
			if !due.Before(before) {
				t.Fatalf("the change moved the due time from %v to %v, not forward", before, due)
			}
			if !indexed(id, due) || indexed(id, due.Add(-time.Second)) {
				t.Errorf("the due index does not list the block at its new due time %v", due)
			}
		})
	}
}

// With checks on, an update that takes the cached due time computes it all
// the same, and reports and refuses the change if the two differ.
func TestRedisChecksKeptDue(t *testing.T) {
	client, prefix := storagetest.Redis(t)
	st := storage.NewRedis(client, prefix)
	var (
		mu       sync.Mutex
		reported []error
	)
	st.EnableChecks(func(err error) {
		mu.Lock()
		reported = append(reported, err)
		mu.Unlock()
	})
	ctx, now := t.Context(), storagetest.YearEndVoting
	blk, reps := storagetest.YearEnd(t, "b1", -100)
	if err := st.CreateBlock(ctx, blk); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Block(ctx, "b1"); err != nil {
		t.Fatal(err)
	}
	storage.SetCachedDue(st, "b1", now.AddDate(0, 0, -30))
	_, err := st.UpdateParts(ctx, "b1", thidua.PartElections, func(b *thidua.Block) error {
		e := b.OpenElections()[0]
		_, err := b.Vote(reps[4], e.ID, e.Candidates[0], "Z0001", now)
		return err
	})
	mu.Lock()
	defer mu.Unlock()
	if err == nil || len(reported) != 1 || !strings.Contains(reported[0].Error(), "KeepsDue") {
		t.Fatalf("an update keeping a wrong due time: %v, reported %v", err, reported)
	}
	if b, err := st.Block(ctx, "b1"); err != nil {
		t.Fatal(err)
	} else if b.Version != 1 {
		t.Errorf("the refused update was written: version %d", b.Version)
	}
}
