package storagetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"thiduabot/storage"
	"thiduabot/thidua"
)

// This file checks the scheduler's part of the contract: the due index
// (DueBlocks, RefreshDue, and its upkeep by CreateBlock and Update) and
// claims.

// hcm is the blocks' time zone (thidua.DefaultZone).
var hcm = func() *time.Location {
	l, err := time.LoadLocation(thidua.DefaultZone)
	if err != nil {
		panic(err)
	}
	return l
}()

// farFuture is after every due time of the suite's blocks.
var farFuture = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)

// withDeadline adds a custom deadline due at the date (17:00) to b.
func withDeadline(t *testing.T, b *thidua.Block, month time.Month, day int) *thidua.Block {
	t.Helper()
	due := time.Date(2025, month, day, 17, 0, 0, 0, hcm)
	if _, err := b.AddDeadline(Admin, due, fmt.Sprintf("Hạn %d/%d", day, month), Now); err != nil {
		t.Fatal(err)
	}
	return b
}

// dueBlocks calls DueBlocks and fails the test on an error.
func dueBlocks(t *testing.T, st storage.Store, until time.Time, limit int) []string {
	t.Helper()
	ids, err := st.DueBlocks(t.Context(), until, limit)
	if err != nil {
		t.Fatalf("DueBlocks(%v, %d): %v", until, limit, err)
	}
	return ids
}

// indexedInTime fails the test unless every listed block with timed work is
// returned by DueBlocks at its NextDue: the index is never later than the
// truth.
func indexedInTime(t *testing.T, st storage.Store, ids ...string) {
	t.Helper()
	for _, id := range ids {
		b, err := st.Block(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if due := b.NextDue(); !due.IsZero() && !slices.Contains(dueBlocks(t, st, due, 0), id) {
			t.Errorf("block %s is due at %v but DueBlocks then does not list it", id, due)
		}
	}
}

func (s *suite) testDueIndex(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	// b1 has only the year's final deadline: first reminder 23/11/2025 08:00.
	mustCreate(t, st, NewBlock(t, "b1", -100, "A"))
	// b2 has a deadline on 10/4: first reminder 3/4 08:00.
	mustCreate(t, st, withDeadline(t, NewBlock(t, "b2", -200, "A"), time.April, 10))
	// b3 was set up for a year whose deadlines are past: nothing is due.
	b3, err := thidua.NewBlock("b3", -300, "Khối cũ", 2024, Admin, Now)
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, st, b3)

	apr3 := time.Date(2025, time.April, 3, 8, 0, 0, 0, hcm)
	if got := dueBlocks(t, st, farFuture, 0); !slices.Equal(got, []string{"b2", "b1"}) {
		t.Fatalf("DueBlocks(far future) = %v, want [b2 b1]", got)
	}
	if got := dueBlocks(t, st, apr3, 0); !slices.Equal(got, []string{"b2"}) {
		t.Errorf("DueBlocks(at b2's due time) = %v, want [b2]", got)
	}
	if got := dueBlocks(t, st, apr3.Add(-time.Second), 0); len(got) != 0 {
		t.Errorf("DueBlocks(just before) = %v, want none", got)
	}

	// A change that brings b1's work forward moves it ahead at once.
	if _, err := st.Update(ctx, "b1", func(b *thidua.Block) error { withDeadline(t, b, time.March, 20); return nil }); err != nil {
		t.Fatal(err)
	}
	if got := dueBlocks(t, st, farFuture, 0); !slices.Equal(got, []string{"b1", "b2"}) {
		t.Fatalf("DueBlocks after an earlier deadline = %v, want [b1 b2]", got)
	}
	indexedInTime(t, st, "b1", "b2", "b3")

	// Deleting it may leave the entry early; RefreshDue sets it right.
	if _, err := st.Update(ctx, "b1", func(b *thidua.Block) error {
		_, err := b.DeleteDeadline(Admin, 1, Now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	indexedInTime(t, st, "b1")
	if err := st.RefreshDue(ctx, "b1"); err != nil {
		t.Fatalf("RefreshDue: %v", err)
	}
	if got := dueBlocks(t, st, farFuture, 0); !slices.Equal(got, []string{"b2", "b1"}) {
		t.Errorf("DueBlocks after RefreshDue = %v, want [b2 b1]", got)
	}
	if got := dueBlocks(t, st, apr3, 0); !slices.Equal(got, []string{"b2"}) {
		t.Errorf("DueBlocks(3/4) after RefreshDue = %v, want [b2]", got)
	}

	// Once every reminder of b2 is dealt with, RefreshDue removes it.
	if _, err := st.Update(ctx, "b2", func(b *thidua.Block) error {
		for _, d := range b.Deadlines(Now) {
			for _, sl := range b.Slots(d) {
				b.MarkSlot(d, sl.ID, thidua.SlotNobody, Now)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := st.RefreshDue(ctx, "b2"); err != nil {
		t.Fatalf("RefreshDue: %v", err)
	}
	if err := st.RefreshDue(ctx, "nope"); err != nil {
		t.Errorf("RefreshDue of a missing block: %v, want nil", err)
	}
	if got := dueBlocks(t, st, farFuture, 0); !slices.Equal(got, []string{"b1"}) {
		t.Errorf("DueBlocks after b2's work is done = %v, want [b1]", got)
	}
}

func (s *suite) testDueBlocksLimit(t *testing.T) {
	st := s.open(t)
	var want []string
	for i := range 5 {
		id := fmt.Sprintf("b%d", i)
		// Created in reverse order of due time.
		mustCreate(t, st, withDeadline(t, NewBlock(t, id, int64(-100-i), "A"), time.May, 20-i))
		want = append([]string{id}, want...)
	}
	if got := dueBlocks(t, st, farFuture, 0); !slices.Equal(got, want) {
		t.Errorf("DueBlocks(limit 0) = %v, want %v", got, want)
	}
	if got := dueBlocks(t, st, farFuture, 2); !slices.Equal(got, want[:2]) {
		t.Errorf("DueBlocks(limit 2) = %v, want %v", got, want[:2])
	}
	if got := dueBlocks(t, st, farFuture, -1); len(got) != 5 {
		t.Errorf("DueBlocks(limit -1) = %v, want all 5", got)
	}
}

// testDueIndexConcurrent has writers bring a block's work forward and put it
// off while others refresh its entry, and checks that the entry ends no later
// than the block's NextDue.
func (s *suite) testDueIndexConcurrent(t *testing.T) {
	st := s.open(t)
	mustCreate(t, st, NewBlock(t, "b1", -100, "A"))
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 10 {
				_, err := st.Update(ctx, "b1", func(b *thidua.Block) error {
					if i%2 == 1 && len(b.Schedule.Custom) > 0 {
						_, err := b.DeleteDeadline(Admin, b.Schedule.Custom[0].No, Now)
						return err
					}
					due := time.Date(2025, time.June, 1+w*5+i, 17, 0, 0, 0, hcm)
					_, err := b.AddDeadline(Admin, due, "Hạn", Now)
					return err
				})
				if err != nil {
					t.Errorf("writer %d, update %d: %v", w, i, err)
					return
				}
			}
		})
		wg.Go(func() {
			for range 10 {
				if err := st.RefreshDue(ctx, "b1"); err != nil {
					t.Errorf("RefreshDue: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	indexedInTime(t, st, "b1")
}

func (s *suite) testClaim(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	claim := func(key string, want bool) {
		t.Helper()
		if got, err := st.Claim(ctx, key, time.Hour); err != nil || got != want {
			t.Errorf("Claim(%s) = %v, %v; want %v", key, got, err, want)
		}
	}
	claim("b1:final:d:2025-11-23", true)
	claim("b1:final:d:2025-11-23", false)
	claim("b1:final:d:2025-11-24", true)
	if _, err := st.Claim(ctx, "b1:x", 0); err == nil {
		t.Error("Claim with ttl 0: nil error, want an error")
	}

	// Many claimants at once: exactly one wins.
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		wins int
	)
	for range 20 {
		wg.Go(func() {
			won, err := st.Claim(ctx, "race", time.Hour)
			if err != nil {
				t.Error(err)
			}
			if won {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d of 20 concurrent claims won, want 1", wins)
	}
}

func (s *suite) testClaimExpiry(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	const ttl = 100 * time.Millisecond
	if won, err := st.Claim(ctx, "k", ttl); err != nil || !won {
		t.Fatalf("Claim = %v, %v; want true", won, err)
	}
	time.Sleep(ttl)
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		won, err := st.Claim(ctx, "k", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if won {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("claim still held long after its ttl of %v", ttl)
		}
	}
}

func (s *suite) testDueCanceledContext(t *testing.T) {
	st := s.open(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := st.DueBlocks(ctx, farFuture, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("DueBlocks with a canceled context: %v, want context.Canceled", err)
	}
	if _, err := st.Claim(ctx, "k", time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Claim with a canceled context: %v, want context.Canceled", err)
	}
	if err := st.RefreshDue(ctx, "b1"); !errors.Is(err, context.Canceled) {
		t.Errorf("RefreshDue with a canceled context: %v, want context.Canceled", err)
	}
}
