package storage_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"thiduabot/storage"
	"thiduabot/storage/storagetest"
	"thiduabot/thidua"
)

// Writers of one block in one process take turns: none loses a race to
// another, so each change costs its one write script and nothing more,
// and the block holds every change.
func TestRedisWritersTakeTurns(t *testing.T) {
	client, prefix := storagetest.Redis(t)
	trips := new(tripCounter)
	client.AddHook(trips)
	s := storage.NewRedis(client, prefix)
	ctx := t.Context()
	if err := s.CreateBlock(ctx, storagetest.NewBlock(t, "b1", -100)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, "b1", rename("Khối B")); err != nil { // caches the block, loads the script
		t.Fatal(err)
	}
	trips.alone.Store(0)
	trips.pipelines.Store(0)
	// Twenty writers renaming the block, each in turn: the name is in the
	// core, which a small block's write stages whole (HSET, PEXPIRE and
	// the script, in one pipeline).
	const writers, each = 20, 10
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				if _, err := s.Update(ctx, "b1", rename(fmt.Sprintf("Khối %d-%d", w, i))); err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if alone, pipelines := trips.alone.Load(), trips.pipelines.Load(); alone != 0 || pipelines != writers*each {
		t.Errorf("%d updates cost %d commands and %d pipelines, want 0 and %d", writers*each, alone, pipelines, writers*each)
	}
	b, err := storage.NewRedis(client, prefix).Block(ctx, "b1")
	if err != nil || b.Version != 2+writers*each {
		t.Fatalf("after %d updates: version %d, %v", writers*each, b.Version, err)
	}
	h, err := storage.History(ctx, s, "b1", 0)
	renames := 0
	for _, e := range h {
		if e.Action == "block.rename" {
			renames++
		}
	}
	if err != nil || renames != 1+writers*each {
		t.Errorf("history holds %d renames, %v; want %d", renames, err, 1+writers*each)
	}
}

// A writer waiting for its turn gives up when its context ends, and
// changes nothing; the writer before it is not disturbed.
func TestRedisWriterWaitingGivesUp(t *testing.T) {
	client, prefix := storagetest.Redis(t)
	s := storage.NewRedis(client, prefix)
	ctx := t.Context()
	if err := s.CreateBlock(ctx, storagetest.NewBlock(t, "b1", -100)); err != nil {
		t.Fatal(err)
	}
	inside, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	first := make(chan error, 1)
	go func() {
		_, err := s.Update(ctx, "b1", func(b *thidua.Block) error {
			once.Do(func() { close(inside) })
			<-release
			return rename("Khối B")(b)
		})
		first <- err
	}()
	<-inside
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	called := false
	_, err := s.Update(short, "b1", func(b *thidua.Block) error {
		called = true
		return rename("Khối C")(b)
	})
	if !errors.Is(err, context.DeadlineExceeded) || called {
		t.Errorf("waiting writer: %v, its change called: %v; want %v and not called", err, called, context.DeadlineExceeded)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatalf("first writer: %v", err)
	}
	// Its turn over, the block is anyone's again.
	if _, err := s.Update(ctx, "b1", addUnit("Đơn vị")); err != nil {
		t.Fatal(err)
	}
	b, err := storage.NewRedis(client, prefix).Block(ctx, "b1")
	if err != nil || b.Name != "Khối B" || b.Version != 3 {
		t.Errorf("block %q at version %d, %v; want Khối B at 3", b.Name, b.Version, err)
	}
}
