package storage_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"thiduabot/storage"
	"thiduabot/storage/storagetest"
	"thiduabot/thidua"
)

func rename(name string) func(*thidua.Block) error {
	return func(b *thidua.Block) error { return b.Rename(storagetest.Admin, name, storagetest.Now) }
}

func addUnit(name string) func(*thidua.Block) error {
	return func(b *thidua.Block) error {
		_, err := b.AddUnits(storagetest.Admin, []string{name}, storagetest.Now)
		return err
	}
}

// Two processes on one Redis each keep blocks and chat bindings in memory:
// each still sees what the other wrote, builds on it, and follows a chat
// the other moved.
func TestRedisProcessesShareOneRedis(t *testing.T) {
	client, prefix := storagetest.Redis(t)
	one, two := storage.NewRedis(client, prefix), storage.NewRedis(client, prefix)
	ctx := t.Context()
	if err := one.CreateBlock(ctx, storagetest.NewBlock(t, "b1", -100, "Sở Tư pháp")); err != nil {
		t.Fatal(err)
	}
	if _, err := one.BlockByChat(ctx, -100); err != nil { // cached in one
		t.Fatal(err)
	}
	if _, err := two.Update(ctx, "b1", rename("Khối B")); err != nil {
		t.Fatal(err)
	}
	if b, err := one.BlockByChat(ctx, -100); err != nil || b.Name != "Khối B" || b.Version != 2 {
		t.Fatalf("one reads %v, %v after two's rename; want Khối B, version 2", b, err)
	}
	if _, err := two.Update(ctx, "b1", addUnit("Sở Y tế")); err != nil {
		t.Fatal(err)
	}
	// one's cached block is version 2: its update must build on version 3.
	b, err := one.Update(ctx, "b1", addUnit("Sở Tài chính"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Units) != 3 || b.Version != 4 {
		t.Fatalf("one's update wrote %d units, version %d; want 3 units, version 4", len(b.Units), b.Version)
	}
	if got, _, err := two.BlockForUpdate(ctx, -100, 1, 1); err != nil || len(got.Units) != 3 {
		t.Fatalf("two reads %v, %v; want 3 units", got, err)
	}

	if err := two.MoveChat(ctx, -100, -1001); err != nil {
		t.Fatal(err)
	}
	if _, err := one.BlockByChat(ctx, -100); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("one reads the moved chat: %v, want ErrNotFound", err)
	}
	if b, handled, err := one.BlockForUpdate(ctx, -100, 1, 1); b != nil || handled || err != nil {
		t.Errorf("BlockForUpdate of the moved chat = %v, %v, %v; want nothing", b, handled, err)
	}
	if b, err := one.BlockByChat(ctx, -1001); err != nil || b.ID != "b1" || b.ChatID != -1001 {
		t.Errorf("one reads the new chat: %v, %v", b, err)
	}
	if _, err := one.Update(ctx, "b1", rename("Khối C")); err != nil {
		t.Fatal(err)
	}
	if b, err := two.Block(ctx, "b1"); err != nil || b.Name != "Khối C" || len(b.Units) != 3 || b.ChatID != -1001 {
		t.Errorf("two reads %+v, %v", b, err)
	}
}

// CachedBlockByChat gives the block a process last read or wrote for a
// chat, without a round trip, however outdated: another process's change
// reaches it with the process's next read or write, and a write on it
// builds on the current block.
func TestRedisCachedBlockByChat(t *testing.T) {
	client, prefix := storagetest.Redis(t)
	one, two := storage.NewRedis(client, prefix), storage.NewRedis(client, prefix)
	ctx := t.Context()
	if b := one.CachedBlockByChat(-100); b != nil {
		t.Fatalf("a chat never seen: %+v", b)
	}
	if err := one.CreateBlock(ctx, storagetest.NewBlock(t, "b1", -100, "Sở Tư pháp")); err != nil {
		t.Fatal(err)
	}
	if _, err := one.BlockByChat(ctx, -100); err != nil {
		t.Fatal(err)
	}
	if b := one.CachedBlockByChat(-100); b == nil || b.ID != "b1" || b.Version != 1 {
		t.Fatalf("cached after a read: %+v", b)
	}
	if b := one.CachedBlockByChat(-200); b != nil {
		t.Fatalf("another chat: %+v", b)
	}
	if _, err := two.Update(ctx, "b1", rename("Khối B")); err != nil {
		t.Fatal(err)
	}
	if b := one.CachedBlockByChat(-100); b == nil || b.Version != 1 || b.Name == "Khối B" {
		t.Fatalf("cached after another process's write: %+v, want version 1 as read", b)
	}
	if b, err := one.Update(ctx, "b1", addUnit("Sở Y tế")); err != nil || b.Version != 3 || b.Name != "Khối B" {
		t.Fatalf("a write on the outdated block: %+v, %v", b, err)
	}
	if b := one.CachedBlockByChat(-100); b == nil || b.Version != 3 {
		t.Fatalf("cached after the write: %+v", b)
	}
	if err := two.MoveChat(ctx, -100, -1001); err != nil {
		t.Fatal(err)
	}
	if _, err := one.BlockByChat(ctx, -1001); err != nil {
		t.Fatal(err)
	}
	if b := one.CachedBlockByChat(-100); b != nil {
		t.Errorf("the chat the block moved from: %+v", b)
	}
	if b := one.CachedBlockByChat(-1001); b == nil || b.ChatID != -1001 {
		t.Errorf("the chat the block moved to: %+v", b)
	}
}

// Writers racing from two processes lose no change, and leave no document
// staged for a write behind (those of one process take turns), on a single
// node and as on a Cluster.
func TestRedisRacingWriters(t *testing.T) {
	for name, open := range map[string]func(redis.UniversalClient, string) *storage.Redis{
		"single node": storage.NewRedis, "cross-slot": storage.NewRedisCrossSlot,
	} {
		t.Run(name, func(t *testing.T) {
			client, prefix := storagetest.Redis(t)
			stores := []*storage.Redis{open(client, prefix), open(client, prefix)}
			ctx := t.Context()
			if err := stores[0].CreateBlock(ctx, storagetest.NewBlock(t, "b1", -100)); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			for w := range 4 {
				wg.Go(func() {
					for i := range 10 {
						if _, err := stores[w%2].Update(ctx, "b1", addUnit(fmt.Sprintf("Đơn vị %d-%d", w, i))); err != nil {
							t.Errorf("writer %d: %v", w, err)
							return
						}
					}
				})
			}
			wg.Wait()
			b, err := stores[1].Block(ctx, "b1")
			if err != nil || len(b.Units) != 40 || b.Version != 41 {
				t.Fatalf("after 40 racing updates: %d units, version %d, %v", len(b.Units), b.Version, err)
			}
			if keys, err := client.Keys(ctx, prefix+"*:w:*").Result(); err != nil || len(keys) != 0 {
				t.Errorf("staged documents left: %v, %v", keys, err)
			}
			if n, err := client.TTL(ctx, prefix+"{b:b1}:doc").Result(); err != nil || n != -1 {
				t.Errorf("the document's TTL is %v, %v; want none", n, err)
			}
		})
	}
}

// After Redis forgot its scripts (a restart, SCRIPT FLUSH), writes and due
// refreshes load them again: a write that stages the whole document (the
// rename of a small block, see Redis.write) and one that sends the fields
// it changes alone (a report on a year-end block).
func TestRedisScriptsFlushed(t *testing.T) {
	client, prefix := storagetest.Redis(t)
	s := storage.NewRedis(client, prefix)
	ctx := t.Context()
	if err := s.CreateBlock(ctx, storagetest.NewBlock(t, "b1", -100)); err != nil {
		t.Fatal(err)
	}
	big, reps := storagetest.YearEnd(t, "b2", -200)
	if err := s.CreateBlock(ctx, big); err != nil {
		t.Fatal(err)
	}
	unit, period := big.Units[0].ID, big.Results.Periods[3].ID
	lines := storagetest.ReportLines(big, unit, 2)
	for i, step := range []func() error{
		func() error { _, err := s.Update(ctx, "b1", rename("Khối B")); return err },
		func() error { return s.RefreshDue(ctx, "b1") },
		func() error {
			_, err := s.UpdateParts(ctx, "b2", thidua.PartResults, func(b *thidua.Block) error {
				_, err := b.SubmitReport(reps[0], unit, period, lines, storagetest.YearEndVoting)
				return err
			})
			return err
		},
	} {
		if err := client.ScriptFlush(ctx).Err(); err != nil {
			t.Fatal(err)
		}
		if err := step(); err != nil {
			t.Errorf("step %d after SCRIPT FLUSH: %v", i, err)
		}
	}
	if b, err := s.Block(ctx, "b1"); err != nil || b.Name != "Khối B" {
		t.Errorf("Block = %v, %v", b, err)
	}
	if r, ok := must(s.Block(ctx, "b2")).Report(unit, period); !ok || r.Revision != 2 {
		t.Errorf("the report after SCRIPT FLUSH: %+v", r)
	}
}

// A Redis that accepts connections but never answers holds a call up for
// the store's call timeout at most, whatever the caller's context.
func TestRedisCallTimeout(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // keep it open, say nothing
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	}()
	client := redis.NewClient(&redis.Options{Addr: l.Addr().String(), ContextTimeoutEnabled: true,
		ReadTimeout: time.Minute, WriteTimeout: time.Minute, Protocol: 2, DisableIdentity: true})
	s := storage.NewRedis(client, "")
	defer s.Close()
	const timeout = 300 * time.Millisecond
	storage.SetCallTimeout(s, timeout)
	for name, call := range map[string]func(context.Context) error{
		"BlockForUpdate": func(ctx context.Context) error { _, _, err := s.BlockForUpdate(ctx, -100, 1, 1); return err },
		"Update":         func(ctx context.Context) error { _, err := s.Update(ctx, "b1", rename("Khối B")); return err },
		"MarkUpdateHandled": func(ctx context.Context) error {
			_, err := s.MarkUpdateHandled(ctx, 1, 1, time.Hour)
			return err
		},
	} {
		start := time.Now()
		err := call(context.Background())
		if d := time.Since(start); err == nil || d > timeout+time.Second {
			t.Errorf("%s on a Redis that never answers: %v after %v; want an error within about %v", name, err, d, timeout)
		}
	}
}

// A document of an earlier release, the block's JSON in a string, is turned
// into a hash the first time the store meets it, whether it reads it,
// updates it, refreshes its due time or archives its year, and reads the
// same.
func TestRedisConvertsEarlierDocuments(t *testing.T) {
	client, prefix := storagetest.Redis(t)
	ctx := t.Context()
	b := storagetest.NewBlock(t, "b1", -100, "Sở Tư pháp", "Sở Y tế")
	if err := b.OpenRegistration(storagetest.Admin, time.Time{}, storagetest.Now); err != nil {
		t.Fatal(err)
	}
	b.Version = 7
	doc, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	key := prefix + "{b:b1}:doc"
	for name, step := range map[string]func(s *storage.Redis) error{
		"BlockForUpdate": func(s *storage.Redis) error {
			got, _, err := s.BlockForUpdate(ctx, -100, 1, 1)
			if err == nil && (got == nil || got.Version != 7 || !got.Registration.Open || len(got.Units) != 2) {
				err = fmt.Errorf("read %+v", got)
			}
			return err
		},
		"Update": func(s *storage.Redis) error {
			got, err := s.UpdateParts(ctx, "b1", thidua.PartElections, rename("Khối B"))
			if err == nil && (got.Version != 8 || got.Name != "Khối B" || !got.Registration.Open) {
				err = fmt.Errorf("wrote %+v", got)
			}
			return err
		},
		"RefreshDue": func(s *storage.Redis) error { return s.RefreshDue(ctx, "b1") },
		"ArchiveYear": func(s *storage.Redis) error {
			if err := s.ArchiveYear(ctx, "b1", 2025, 7); err != nil {
				return err
			}
			got, err := s.ArchivedYear(ctx, "b1", 2025)
			if err == nil && (got.Version != 7 || !got.Registration.Open || len(got.Units) != 2) {
				err = fmt.Errorf("archived %+v", got)
			}
			return err
		},
	} {
		if err := client.Set(ctx, key, doc, 0).Err(); err != nil {
			t.Fatal(err)
		}
		if err := client.Set(ctx, prefix+"chat:-100", "b1", 0).Err(); err != nil {
			t.Fatal(err)
		}
		s := storage.NewRedis(client, prefix)
		if err := step(s); err != nil {
			t.Fatalf("%s on an earlier document: %v", name, err)
		}
		if typ := client.Type(ctx, key).Val(); typ != "hash" {
			t.Fatalf("%s left the document a %s", name, typ)
		}
		again, err := storage.NewRedis(client, prefix).Block(ctx, "b1")
		if err != nil || again.ID != "b1" || !again.Registration.Open {
			t.Fatalf("after %s the document reads %+v, %v", name, again, err)
		}
		if err := client.Del(ctx, key).Err(); err != nil {
			t.Fatal(err)
		}
	}
	// Whatever the order of its fields.
	var fields map[string]any
	if err := json.Unmarshal(doc, &fields); err != nil {
		t.Fatal(err)
	}
	sorted, err := json.Marshal(fields) // "applied" first, "version" last
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Set(ctx, key, sorted, 0).Err(); err != nil {
		t.Fatal(err)
	}
	if got, err := storage.NewRedis(client, prefix).Block(ctx, "b1"); err != nil || got.Version != 7 || client.Type(ctx, key).Val() != "hash" {
		t.Fatalf("a document with its fields in another order: %+v, %v", got, err)
	}
}

// An update that declares the parts it changes writes them, and shares the
// others with the cache; with checks on, a change to a part it did not
// declare is refused, and a block modified where the cache shares it is
// reported and read again from Redis.
func TestRedisUpdateParts(t *testing.T) {
	client, prefix := storagetest.Redis(t)
	s := storage.NewRedis(client, prefix)
	var found []error
	s.EnableChecks(func(err error) { found = append(found, err) })
	ctx := t.Context()
	if err := s.CreateBlock(ctx, storagetest.NewBlock(t, "b1", -100, "Sở Tư pháp", "Sở Y tế")); err != nil {
		t.Fatal(err)
	}
	admin, now := storagetest.Admin, storagetest.Now
	open := func(b *thidua.Block) error { return b.OpenRegistration(admin, time.Time{}, now) }
	if _, err := s.UpdateParts(ctx, "b1", thidua.PartRegistration, open); err != nil {
		t.Fatal(err)
	}
	// A fresh store decodes the document: the declared part was written.
	if b, err := storage.NewRedis(client, prefix).Block(ctx, "b1"); err != nil || !b.Registration.Open {
		t.Fatalf("registration open %v (%v) after an update of its part", b != nil && b.Registration.Open, err)
	}
	if len(found) > 0 {
		t.Fatalf("checks found %v", found)
	}

	closeReg := func(b *thidua.Block) error { return b.CloseRegistration(admin, now) }
	if _, err := s.UpdateParts(ctx, "b1", thidua.PartElections, closeReg); err == nil || len(found) != 1 {
		t.Fatalf("an update changing an undeclared part returned %v, checks found %v", err, found)
	}
	if b, err := storage.NewRedis(client, prefix).Block(ctx, "b1"); err != nil || !b.Registration.Open || b.Version != 2 {
		t.Fatalf("the refused update was written: %+v, %v", b, err)
	}

	// A declared part that becomes empty leaves the document.
	addDeadline := func(b *thidua.Block) error {
		_, err := b.AddDeadline(admin, now.AddDate(0, 1, 0), "Nộp báo cáo sơ kết", now)
		return err
	}
	if _, err := s.UpdateParts(ctx, "b1", thidua.PartSchedule, addDeadline); err != nil {
		t.Fatal(err)
	}
	if n := client.HExists(ctx, prefix+"{b:b1}:doc", "schedule").Val(); !n {
		t.Fatal("the schedule part was not written")
	}
	emptySchedule := func(b *thidua.Block) error { b.Schedule = thidua.Schedule{}; return nil }
	if _, err := s.UpdateParts(ctx, "b1", thidua.PartSchedule, emptySchedule); err != nil {
		t.Fatal(err)
	}
	if client.HExists(ctx, prefix+"{b:b1}:doc", "schedule").Val() {
		t.Fatal("an emptied part stayed in the document")
	}
	if b, err := storage.NewRedis(client, prefix).Block(ctx, "b1"); err != nil || len(b.Schedule.Custom) != 0 || !b.Registration.Open {
		t.Fatalf("after emptying the schedule: %+v, %v", b, err)
	}

	found = nil
	b, err := s.Block(ctx, "b1")
	if err != nil {
		t.Fatal(err)
	}
	b.Units[0].Name = "Sửa nhầm"
	if b, err = s.Block(ctx, "b1"); err != nil || b.Units[0].Name != "Sở Tư pháp" || len(found) != 1 {
		t.Fatalf("after modifying a shared block: read %v, %v; checks found %v", b, err, found)
	}
}

// With checks on, an update whose encoding would write what the block
// does not encode to, as reusing the cached encoding wrongly would, is
// refused and reported.
func TestRedisChecksTheEncodingWritten(t *testing.T) {
	client, prefix := storagetest.Redis(t)
	s := storage.NewRedis(client, prefix)
	var found []error
	s.EnableChecks(func(err error) { found = append(found, err) })
	ctx := t.Context()
	if err := s.CreateBlock(ctx, storagetest.NewBlock(t, "b1", -100, "Sở Tư pháp")); err != nil {
		t.Fatal(err)
	}
	apply := func(id int64) func(*thidua.Block) error {
		return func(b *thidua.Block) error { b.MarkApplied(id); return nil }
	}
	for id := int64(10); id < 13; id++ {
		if _, err := s.UpdateParts(ctx, "b1", 0, apply(id)); err != nil || len(found) > 0 {
			t.Fatalf("update %d: %v; checks found %v", id, err, found)
		}
	}
	storage.SpoilCachedApplied(s, "b1")
	if _, err := s.UpdateParts(ctx, "b1", 0, apply(13)); err == nil || len(found) != 1 || !strings.Contains(found[0].Error(), "core") {
		t.Fatalf("an update writing a spoilt core returned %v; checks found %v", err, found)
	}
	if b, err := storage.NewRedis(client, prefix).Block(ctx, "b1"); err != nil || b.Version != 4 || !slices.Equal(b.Applied, []int64{10, 11, 12}) {
		t.Fatalf("the refused update was written: %+v, %v", b, err)
	}
}

// scriptArgs records the arguments of every script call made through a
// client.
type scriptArgs struct {
	mu   sync.Mutex
	args [][]any
}

func (s *scriptArgs) DialHook(next redis.DialHook) redis.DialHook { return next }

func (s *scriptArgs) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		s.record(cmd)
		return next(ctx, cmd)
	}
}

func (s *scriptArgs) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, cmd := range cmds {
			s.record(cmd)
		}
		return next(ctx, cmds)
	}
}

func (s *scriptArgs) record(cmd redis.Cmder) {
	if name := cmd.Name(); name == "evalsha" || name == "eval" {
		s.mu.Lock()
		s.args = append(s.args, cmd.Args())
		s.mu.Unlock()
	}
}
