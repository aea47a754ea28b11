package scheduler_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"thiduabot/scheduler"
	"thiduabot/storage"
	"thiduabot/storage/storagetest"
	"thiduabot/thidua"
)

var (
	quiet = slog.New(slog.NewTextHandler(io.Discard, nil))
	now   = time.Date(2026, 3, 13, 8, 0, 0, 0, time.UTC)
)

// fakeIndex is an in-memory due index whose truth (each block's NextDue) is
// kept by the test's runner.
type fakeIndex struct {
	mu      sync.Mutex
	entries map[string]time.Time
	truth   map[string]time.Time
	queries int
	panics  bool
}

func newFakeIndex() *fakeIndex {
	return &fakeIndex{entries: map[string]time.Time{}, truth: map[string]time.Time{}}
}

func (f *fakeIndex) set(id string, at time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.entries[id], f.truth[id] = at, at
}

func (f *fakeIndex) DueBlocks(_ context.Context, until time.Time, limit int) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.panics {
		panic("index on fire")
	}
	f.queries++
	var ids []string
	for id, at := range f.entries {
		if !at.After(until) {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := f.entries[ids[i]], f.entries[ids[j]]
		return a.Before(b) || a.Equal(b) && ids[i] < ids[j]
	})
	if limit > 0 && len(ids) > limit {
		ids = ids[:limit]
	}
	return ids, nil
}

func (f *fakeIndex) RefreshDue(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if t := f.truth[id]; t.IsZero() {
		delete(f.entries, id)
	} else {
		f.entries[id] = t
	}
	return nil
}

// fakeRunner does a block's work by moving its truth a day on, except for
// the blocks in fail (an error, their work still due) and panic.
type fakeRunner struct {
	index *fakeIndex
	fail  map[string]bool
	panic string

	mu            sync.Mutex
	runs          map[string]int
	running, peak int
	sawWrongNow   bool
}

func (r *fakeRunner) RunDue(_ context.Context, id string, at time.Time) error {
	r.mu.Lock()
	if r.runs == nil {
		r.runs = map[string]int{}
	}
	r.runs[id]++
	r.running++
	r.peak = max(r.peak, r.running)
	r.sawWrongNow = r.sawWrongNow || !at.Equal(now)
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.running--
		r.mu.Unlock()
	}()
	time.Sleep(time.Millisecond) // let the workers overlap
	switch {
	case id == r.panic:
		panic("runner on fire")
	case r.fail[id]:
		return errors.New("telegram is down")
	}
	r.index.mu.Lock()
	r.index.truth[id] = at.Add(24 * time.Hour)
	r.index.mu.Unlock()
	return nil
}

func newScheduler(index scheduler.DueIndex, runner scheduler.Runner) *scheduler.Scheduler {
	return scheduler.New(scheduler.Config{Store: index, Runner: runner, Log: quiet, Batch: 100, Workers: 4})
}

func TestTickRunsEachDueBlockOnceInBatches(t *testing.T) {
	index := newFakeIndex()
	for i := range 250 {
		index.set(fmt.Sprintf("due%03d", i), now.Add(-time.Duration(i)*time.Minute))
	}
	for i := range 5 {
		index.set(fmt.Sprintf("later%d", i), now.Add(time.Minute))
	}
	runner := &fakeRunner{index: index}
	if err := newScheduler(index, runner).Tick(t.Context(), now); err != nil {
		t.Fatal(err)
	}
	if len(runner.runs) != 250 {
		t.Fatalf("%d blocks ran, want 250", len(runner.runs))
	}
	for id, n := range runner.runs {
		if n != 1 || !strings.HasPrefix(id, "due") {
			t.Errorf("block %s ran %d times", id, n)
		}
	}
	if runner.peak > 4 || runner.peak < 2 {
		t.Errorf("%d blocks ran at once, want 2 to 4", runner.peak)
	}
	if runner.sawWrongNow {
		t.Error("a block ran with another time than the tick's")
	}
	if index.queries != 3 {
		t.Errorf("%d queries of the index, want 3 (100 + 100 + 50)", index.queries)
	}
	for id, at := range index.entries {
		if !at.After(now) {
			t.Errorf("entry of %s not refreshed: %v", id, at)
		}
	}
}

func TestTickNothingDueIsOneQuery(t *testing.T) {
	index := newFakeIndex()
	index.set("b1", now.Add(time.Second))
	runner := &fakeRunner{index: index}
	if err := newScheduler(index, runner).Tick(t.Context(), now); err != nil || len(runner.runs) != 0 || index.queries != 1 {
		t.Fatalf("Tick = %v; %d runs, %d queries; want nil, 0, 1", err, len(runner.runs), index.queries)
	}
}

// A block whose work fails stays due: it is not run again in the same tick,
// is tried again on the next, and does not hold up the others.
func TestTickFailureIsRetriedNextTick(t *testing.T) {
	index := newFakeIndex()
	for i := range 10 {
		index.set(fmt.Sprintf("b%d", i), now.Add(-time.Hour))
	}
	runner := &fakeRunner{index: index, fail: map[string]bool{"b3": true, "b7": true}}
	s := scheduler.New(scheduler.Config{Store: index, Runner: runner, Log: quiet, Batch: 2, Workers: 3})
	err := s.Tick(t.Context(), now)
	if err == nil || !strings.Contains(err.Error(), "block b3") || !strings.Contains(err.Error(), "block b7") {
		t.Fatalf("Tick = %v, want the failures of b3 and b7", err)
	}
	for i := range 10 {
		if n := runner.runs[fmt.Sprintf("b%d", i)]; n != 1 {
			t.Errorf("b%d ran %d times in one tick", i, n)
		}
	}
	delete(runner.fail, "b3")
	if err := s.Tick(t.Context(), now); err == nil {
		t.Fatal("b7 still fails, but the second tick reports nothing")
	}
	if runner.runs["b3"] != 2 || runner.runs["b7"] != 2 || runner.runs["b1"] != 1 {
		t.Errorf("runs after the second tick: %v", runner.runs)
	}
}

func TestTickRecoversAPanickingBlock(t *testing.T) {
	index := newFakeIndex()
	for _, id := range []string{"b1", "b2", "b3"} {
		index.set(id, now)
	}
	runner := &fakeRunner{index: index, panic: "b2"}
	err := newScheduler(index, runner).Tick(t.Context(), now)
	if err == nil || !strings.Contains(err.Error(), "panic: runner on fire") {
		t.Fatalf("Tick = %v, want the panic", err)
	}
	if runner.runs["b1"] != 1 || runner.runs["b3"] != 1 {
		t.Errorf("runs %v", runner.runs)
	}
}

type failingIndex struct{ *fakeIndex }

func (failingIndex) DueBlocks(context.Context, time.Time, int) ([]string, error) {
	return nil, errors.New("redis is down")
}

func TestTickStoreFailure(t *testing.T) {
	runner := &fakeRunner{}
	if err := newScheduler(failingIndex{newFakeIndex()}, runner).Tick(t.Context(), now); err == nil || !strings.Contains(err.Error(), "redis is down") {
		t.Fatalf("Tick = %v", err)
	}
}

// storeRunner does a block's due work on a real store the way the handlers
// do, minus the messages: it marks every due reminder slot as handled.
type storeRunner struct {
	store storage.Store
	mu    sync.Mutex
	runs  []string
}

func (r *storeRunner) RunDue(ctx context.Context, id string, at time.Time) error {
	r.mu.Lock()
	r.runs = append(r.runs, id)
	r.mu.Unlock()
	_, err := r.store.Update(ctx, id, func(b *thidua.Block) error {
		for _, ds := range b.DueSlots(at) {
			b.MarkSlot(ds.Deadline, ds.Slot.ID, thidua.SlotNobody, at)
		}
		return nil
	})
	return err
}

// With a real store, a tick runs what is due, moves the entries on, and heals
// an entry left too early.
func TestTickWithStore(t *testing.T) {
	for name, open := range map[string]func(testing.TB) storage.Store{
		"redis": func(t testing.TB) storage.Store { return storagetest.NewRedisStore(t) },
		"bolt":  func(t testing.TB) storage.Store { return storagetest.NewBoltStore(t) },
	} {
		t.Run(name, func(t *testing.T) {
			st, ctx := open(t), t.Context()
			hcm, err := time.LoadLocation(thidua.DefaultZone)
			if err != nil {
				t.Fatal(err)
			}
			// Blocks of 2026 with deadlines on Friday 20/3 and 27/3 at
			// 17:00: first reminders on 13/3 and 20/3 at 08:00.
			for i, day := range []int{20, 27} {
				b, err := thidua.NewBlock(fmt.Sprintf("b%d", i+1), int64(-100-i), "Khối", 2026, storagetest.Admin, storagetest.Now)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := b.AddDeadline(storagetest.Admin, time.Date(2026, 3, day, 17, 0, 0, 0, hcm), "Hạn", storagetest.Now); err != nil {
					t.Fatal(err)
				}
				if err := st.CreateBlock(ctx, b); err != nil {
					t.Fatal(err)
				}
			}
			runner := &storeRunner{store: st}
			s := scheduler.New(scheduler.Config{Store: st, Runner: runner, Log: quiet})
			tick := func(at time.Time, want ...string) {
				t.Helper()
				runner.runs = nil
				if err := s.Tick(ctx, at); err != nil {
					t.Fatal(err)
				}
				slices.Sort(runner.runs)
				if !slices.Equal(runner.runs, want) {
					t.Fatalf("tick at %v ran %v, want %v", at, runner.runs, want)
				}
			}
			mar13 := time.Date(2026, 3, 13, 8, 0, 0, 0, hcm)
			tick(mar13.Add(-time.Minute))
			tick(mar13, "b1")
			tick(mar13) // done: its entry moved on to 17/3
			tick(mar13.AddDate(0, 0, 4), "b1")

			// b2's deadline is deleted. On Redis its entry stays early: the
			// tick finds nothing to do and moves it on to the final
			// deadline's first reminder. Bolt sets it right at once.
			if _, err := st.Update(ctx, "b2", func(b *thidua.Block) error {
				_, err := b.DeleteDeadline(storagetest.Admin, 1, storagetest.Now)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			mar20 := time.Date(2026, 3, 20, 8, 0, 0, 0, hcm)
			if name == "redis" {
				tick(mar20, "b1", "b2")
			} else {
				tick(mar20, "b1")
			}
			if ids, _ := st.DueBlocks(ctx, mar20.AddDate(0, 6, 0), 0); slices.Contains(ids, "b2") {
				t.Fatalf("the entry of b2 was not healed: %v", ids)
			}
		})
	}
}
