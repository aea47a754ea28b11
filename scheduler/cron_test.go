package scheduler

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// oneDue always has block b1 due; it panics instead when told to.
type oneDue struct{ panics bool }

func (o oneDue) DueBlocks(context.Context, time.Time, int) ([]string, error) {
	if o.panics {
		panic("index on fire")
	}
	return []string{"b1"}, nil
}

func (oneDue) RefreshDue(context.Context, string) error { return nil }

// blockingRunner reports each run on started and returns once release is closed.
type blockingRunner struct {
	started chan struct{}
	release chan struct{}
}

func (r blockingRunner) RunDue(ctx context.Context, _ string, _ time.Time) error {
	r.started <- struct{}{}
	<-r.release
	return nil
}

// every is a cron schedule of a fixed period, less than a second allowed
// (cron.Every rounds up to a second).
type every time.Duration

func (e every) Next(t time.Time) time.Time { return t.Add(time.Duration(e)) }

// fast makes the scheduler also tick every few milliseconds, through the
// same cron chain as the minute tick.
func fast(s *Scheduler) {
	s.cron.Schedule(every(5*time.Millisecond), cron.FuncJob(s.tickNow))
}

func TestCronScheduleAndZone(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{Store: oneDue{}, Runner: blockingRunner{}, Location: loc})
	if s.cron.Location() != loc {
		t.Fatalf("cron location %v", s.cron.Location())
	}
	entries := s.cron.Entries()
	if len(entries) != 1 {
		t.Fatalf("%d cron entries, want 1", len(entries))
	}
	from := time.Date(2026, 3, 13, 7, 59, 30, 0, loc)
	if next := entries[0].Schedule.Next(from); !next.Equal(time.Date(2026, 3, 13, 8, 0, 0, 0, loc)) {
		t.Fatalf("next tick after %v is %v, want the next whole minute", from, next)
	}
}

// Stop waits for a running tick, and a tick still running makes cron skip
// the next ones rather than run two at once.
func TestStopWaitsForTheRunningTick(t *testing.T) {
	runner := blockingRunner{started: make(chan struct{}, 10), release: make(chan struct{})}
	s := New(Config{Store: oneDue{}, Runner: runner, Log: slog.New(slog.DiscardHandler)})
	fast(s)
	s.Start()
	<-runner.started
	time.Sleep(30 * time.Millisecond) // several ticks come and are skipped
	stopped := make(chan struct{})
	go func() {
		s.Stop()
		close(stopped)
	}()
	select {
	case <-stopped:
		t.Fatal("Stop returned while a tick was running")
	case <-time.After(50 * time.Millisecond):
	}
	close(runner.release)
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("Stop did not return after the tick ended")
	}
	if n := len(runner.started); n != 0 {
		t.Fatalf("%d more ticks ran while one was running", n)
	}
}

// A panic in a tick is recovered by cron and logged; the scheduler keeps
// ticking.
func TestCronRecoversPanics(t *testing.T) {
	var logs syncBuffer
	s := New(Config{Store: oneDue{panics: true}, Runner: blockingRunner{}, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	fast(s)
	s.Start()
	defer s.Stop()
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(logs.String(), "index on fire") < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("no two recovered panics logged: %s", logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), "level=ERROR msg=\"cron: panic\"") {
		t.Fatalf("panic not logged at error level: %s", logs.String())
	}
}
