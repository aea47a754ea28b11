package storage_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"thiduabot/storage"
	"thiduabot/storage/storagetest"
)

// tripCounter counts the commands sent alone through a client, the
// pipelines, and those of them that start with EVALSHA (not the EVAL that
// follows a NOSCRIPT).
type tripCounter struct{ alone, pipelines, scripts atomic.Int64 }

func (c *tripCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *tripCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.alone.Add(1)
		return next(ctx, cmd)
	}
}

func (c *tripCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		c.pipelines.Add(1)
		if cmds[0].Name() == "evalsha" {
			c.scripts.Add(1)
		}
		return next(ctx, cmds)
	}
}

// TestRedisNotesBatched checks that the notes made within a short time are
// written together, in one round trip, that the process sees them before
// they are written and another process once they are, and that Close
// writes those still waiting.
func TestRedisNotesBatched(t *testing.T) {
	client, prefix := storagetest.Redis(t)
	trips := new(tripCounter)
	o := client.(*redis.Client).Options()
	own := redis.NewClient(&redis.Options{Addr: o.Addr, DB: o.DB, Username: o.Username, Password: o.Password})
	own.AddHook(trips)
	s := storage.NewRedis(own, prefix)
	// Long enough for every note below to be made before the batch goes,
	// however slow the machine.
	storage.SetNoteDelay(s, 300*time.Millisecond)
	other := storage.NewRedis(client, prefix) // another process on the same Redis
	ctx := t.Context()
	note := func(st *storage.Redis, block string, id int) string {
		t.Helper()
		n, err := st.MessageNote(ctx, block, id)
		if err != nil {
			t.Fatalf("MessageNote(%s, %d): %v", block, id, err)
		}
		return n
	}

	// More notes of one block than one script call takes, and another
	// block's.
	const many = 1200
	for id := 1; id <= many; id++ {
		if err := s.NoteMessage(ctx, "b1", id, "n"+strconv.Itoa(id)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.NoteMessage(ctx, "b2", 1, "other"); err != nil {
		t.Fatal(err)
	}
	if n := note(s, "b1", 7); n != "n7" {
		t.Errorf("this process reads a waiting note as %q, want n7", n)
	}
	if trips.alone.Load() != 0 || trips.pipelines.Load() != 0 {
		t.Errorf("noting and reading a waiting note made %d calls and %d pipelines, want none", trips.alone.Load(), trips.pipelines.Load())
	}
	// The timer writes them, in one pipeline.
	for deadline := time.Now().Add(5 * time.Second); note(other, "b2", 1) == ""; {
		if time.Now().After(deadline) {
			t.Fatal("the notes were not written within 5 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	for id := 1; id <= many; id++ {
		if n := note(other, "b1", id); n != "n"+strconv.Itoa(id) {
			t.Fatalf("another process reads note %d as %q once written", id, n)
		}
	}
	if got := trips.scripts.Load(); got != 1 {
		t.Errorf("%d notes of two blocks written in %d pipelines, want 1", many+1, got)
	}

	// Close writes what waits, and refuses what comes after.
	if err := s.NoteMessage(ctx, "b3", 9, "last"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := note(other, "b3", 9); n != "last" {
		t.Errorf("a note made just before Close reads %q, want last", n)
	}
	if err := s.NoteMessage(ctx, "b3", 10, "late"); err == nil {
		t.Error("NoteMessage after Close: no error")
	}
}

// TestRedisNotesThroughOutage checks that notes that could not be written
// while Redis was down are kept, still read by their process, and written
// by themselves once Redis is back.
func TestRedisNotesThroughOutage(t *testing.T) {
	m, client := storagetest.Miniredis(t)
	s := storage.NewRedis(client, "")
	storage.SetCallTimeout(s, 200*time.Millisecond)
	ctx := t.Context()

	m.Close()
	if err := s.NoteMessage(ctx, "b1", 3, "report:u1:k1:1"); err != nil {
		t.Fatal(err)
	}
	if err := s.FlushNotes(ctx); err == nil {
		t.Fatal("FlushNotes while Redis is down: no error")
	}
	if n, err := s.MessageNote(ctx, "b1", 3); err != nil || n != "report:u1:k1:1" {
		t.Errorf("a note kept through a failed write reads %q, %v", n, err)
	}
	if err := m.Restart(); err != nil {
		t.Fatal(err)
	}
	// The failed write scheduled another attempt (noteRetry later).
	for deadline := time.Now().Add(5 * time.Second); m.HGet("thidua:{b:b1}:notes", "3") != "report:u1:k1:1"; {
		if time.Now().After(deadline) {
			t.Fatal("the note kept through the outage was not written within 5 s of Redis's return")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
