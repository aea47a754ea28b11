// Package storagetest holds the conformance suite that every storage.Store
// must pass, and helpers that give tests of any package a store: a real Redis
// when TEST_REDIS_URL is set, else an in-process miniredis, or a bolt file in a
// temporary directory.
package storagetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"thiduabot/storage"
	"thiduabot/thidua"
)

// Admin is the actor the suite changes blocks as: a group administrator.
var Admin = thidua.Actor{UserID: 1, Name: "Quản trị", Admin: true}

// Now is the time the suite's changes happen at.
var Now = time.Date(2025, time.March, 1, 9, 0, 0, 0, time.UTC)

// NewBlock returns a new block set up by Admin, with units of these names, for
// a test; its events are pending (not yet taken).
func NewBlock(t testing.TB, id string, chatID int64, units ...string) *thidua.Block {
	t.Helper()
	b, err := thidua.NewBlock(id, chatID, "Khối thi đua số 1", 2025, Admin, Now)
	if err != nil {
		t.Fatal(err)
	}
	if len(units) > 0 {
		if _, err := b.AddUnits(Admin, units, Now); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// Seeder opens a new store holding the given block documents (raw JSON by
// block id) as another version of the program would have written them, with
// neither chat bindings nor history. The store is closed when the test ends.
type Seeder func(t *testing.T, docs map[string][]byte) storage.Store

// Option adds to what Run checks.
type Option func(*suite)

// WithSeeder lets Run check how stores read documents written by older and
// newer versions of the program. Without it those checks are skipped.
func WithSeeder(seed Seeder) Option {
	return func(s *suite) { s.seed = seed }
}

type suite struct {
	open func(t *testing.T) storage.Store
	seed Seeder
}

// Run runs the conformance suite against the stores open returns. open is
// called once per subtest and must return a new, empty store that is closed
// when that subtest ends. The subtests run in parallel.
func Run(t *testing.T, open func(t *testing.T) storage.Store, opts ...Option) {
	s := &suite{open: open}
	for _, o := range opts {
		o(s)
	}
	tests := []struct {
		name string
		fn   func(t *testing.T)
	}{
		{"CreateAndRead", s.testCreateAndRead},
		{"CreateExisting", s.testCreateExisting},
		{"NotFound", s.testNotFound},
		{"Update", s.testUpdate},
		{"UpdateError", s.testUpdateError},
		{"History", s.testHistory},
		{"SchemaOnCreate", s.testSchemaOnCreate},
		{"SchemaOnRead", s.testSchemaOnRead},
		{"MoveChat", s.testMoveChat},
		{"Menus", s.testMenus},
		{"RepresentativeLanguage", s.testRepresentativeLanguage},
		{"ArchiveYear", s.testArchiveYear},
		{"UpdateHandled", s.testUpdateHandled},
		{"UpdateHandledExpiry", s.testUpdateHandledExpiry},
		{"UpdateUnlessHandled", s.testUpdateUnlessHandled},
		{"BlockForUpdate", s.testBlockForUpdate},
		{"Reachable", s.testReachable},
		{"MessageNotes", s.testMessageNotes},
		{"Ping", s.testPing},
		{"CanceledContext", s.testCanceledContext},
		{"ConcurrentUpdates", s.testConcurrentUpdates},
		{"Registration", s.testRegistration},
		{"Results", s.testResults},
		{"DueIndex", s.testDueIndex},
		{"DueBlocksLimit", s.testDueBlocksLimit},
		{"DueIndexConcurrent", s.testDueIndexConcurrent},
		{"Claim", s.testClaim},
		{"ClaimExpiry", s.testClaimExpiry},
		{"DueCanceledContext", s.testDueCanceledContext},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t)
		})
	}
}

func (s *suite) testCreateAndRead(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	b := NewBlock(t, "b1", -100, "Sở Tư pháp", "Sở Y tế")
	want := *b
	if err := st.CreateBlock(ctx, b); err != nil {
		t.Fatalf("CreateBlock: %v", err)
	}
	if b.Version != 1 {
		t.Errorf("Version after CreateBlock = %d, want 1", b.Version)
	}
	if ev := b.TakeEvents(); len(ev) != 0 {
		t.Errorf("CreateBlock left %d pending events, want 0", len(ev))
	}
	want.Version = 1
	got, err := st.Block(ctx, "b1")
	if err != nil {
		t.Fatalf("Block: %v", err)
	}
	sameBlock(t, "Block", got, &want)
	got, err = st.BlockByChat(ctx, -100)
	if err != nil {
		t.Fatalf("BlockByChat: %v", err)
	}
	sameBlock(t, "BlockByChat", got, &want)
}

func (s *suite) testCreateExisting(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	mustCreate(t, st, NewBlock(t, "b1", -100, "Sở Tư pháp"))

	// Another block for the same chat.
	other := NewBlock(t, "b2", -100)
	err := st.CreateBlock(ctx, other)
	if !errors.Is(err, storage.ErrExists) {
		t.Fatalf("CreateBlock for a bound chat: %v, want ErrExists", err)
	}
	if other.Version != 0 || len(other.TakeEvents()) != 1 {
		t.Errorf("failed CreateBlock changed the block (version %d, events taken)", other.Version)
	}
	if _, err := st.Block(ctx, "b2"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Block of the refused block: %v, want ErrNotFound", err)
	}
	if got, err := st.BlockByChat(ctx, -100); err != nil || got.ID != "b1" {
		t.Errorf("BlockByChat after refused CreateBlock = %v, %v; want b1", got, err)
	}

	// Another chat with the id of an existing block.
	err = st.CreateBlock(ctx, NewBlock(t, "b1", -200))
	if !errors.Is(err, storage.ErrExists) {
		t.Fatalf("CreateBlock with a taken id: %v, want ErrExists", err)
	}
	if _, err := st.BlockByChat(ctx, -200); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("BlockByChat of the refused chat: %v, want ErrNotFound", err)
	}
	if got, err := st.Block(ctx, "b1"); err != nil || got.ChatID != -100 || len(got.Units) != 1 {
		t.Errorf("Block b1 after refused CreateBlock = %+v, %v; want it unchanged", got, err)
	}
}

func (s *suite) testNotFound(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	mustCreate(t, st, NewBlock(t, "b1", -100))

	if _, err := st.Block(ctx, "nope"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Block: %v, want ErrNotFound", err)
	}
	if _, err := st.BlockByChat(ctx, -999); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("BlockByChat: %v, want ErrNotFound", err)
	}
	called := false
	_, err := st.Update(ctx, "nope", func(*thidua.Block) error { called = true; return nil })
	if !errors.Is(err, storage.ErrNotFound) || called {
		t.Errorf("Update: %v (fn called: %v), want ErrNotFound without calling fn", err, called)
	}
	if _, err := st.Block(ctx, "nope"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Block after Update of a missing block: %v, want ErrNotFound", err)
	}
	if _, err := storage.History(ctx, st, "nope", 0); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("History: %v, want ErrNotFound", err)
	}
	if _, _, err := st.HistoryPage(ctx, "nope", 0, 10); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("HistoryPage: %v, want ErrNotFound", err)
	}
	if err := st.MoveChat(ctx, -999, -998); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("MoveChat: %v, want ErrNotFound", err)
	}
}

func (s *suite) testUpdate(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	mustCreate(t, st, NewBlock(t, "b1", -100, "Sở Tư pháp"))

	got, err := st.Update(ctx, "b1", func(b *thidua.Block) error {
		if b.Version != 1 {
			t.Errorf("fn sees version %d, want 1", b.Version)
		}
		_, err := b.AddUnits(Admin, []string{"Sở Y tế", "Sở Tài chính"}, Now)
		return err
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if got.Version != 2 || len(got.Units) != 3 || got.Units[2].Name != "Sở Tài chính" {
		t.Errorf("Update returned version %d with %d units, want version 2 with 3", got.Version, len(got.Units))
	}
	if ev := got.TakeEvents(); len(ev) != 0 {
		t.Errorf("Update returned a block with %d pending events, want 0", len(ev))
	}
	read, err := st.Block(ctx, "b1")
	if err != nil {
		t.Fatalf("Block: %v", err)
	}
	sameBlock(t, "Block after Update", read, got)

	for want := int64(3); want <= 5; want++ {
		got, err := st.Update(ctx, "b1", func(b *thidua.Block) error {
			return b.Rename(Admin, fmt.Sprintf("Khối %d", want), Now)
		})
		if err != nil {
			t.Fatalf("Update: %v", err)
		}
		if got.Version != want {
			t.Errorf("Version after Update = %d, want %d", got.Version, want)
		}
	}
}

func (s *suite) testUpdateError(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	mustCreate(t, st, NewBlock(t, "b1", -100, "Sở Tư pháp"))

	fail := errors.New("changed my mind")
	_, err := st.Update(ctx, "b1", func(b *thidua.Block) error {
		if _, err := b.AddUnits(Admin, []string{"Sở Y tế"}, Now); err != nil {
			t.Error(err)
		}
		b.Name = "Đổi tên"
		return fail
	})
	if err != fail {
		t.Errorf("Update returned %v, want fn's error unchanged", err)
	}
	got, err := st.Block(ctx, "b1")
	if err != nil {
		t.Fatalf("Block: %v", err)
	}
	if got.Version != 1 || len(got.Units) != 1 || got.Name == "Đổi tên" {
		t.Errorf("failed Update wrote: version %d, %d units, name %q", got.Version, len(got.Units), got.Name)
	}
	if h := history(t, st, "b1", 0); len(h) != 2 {
		t.Errorf("history has %d events after a failed Update, want 2", len(h))
	}
}

func (s *suite) testHistory(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	mustCreate(t, st, NewBlock(t, "b1", -100)) // block.setup
	_, err := st.Update(ctx, "b1", func(b *thidua.Block) error {
		_, err := b.AddUnits(Admin, []string{"A", "B", "C"}, Now) // unit.add u1, u2, u3
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Update(ctx, "b1", func(b *thidua.Block) error { return nil }); err != nil {
		t.Fatal(err) // no events
	}
	_, err = st.Update(ctx, "b1", func(b *thidua.Block) error {
		return b.Rename(Admin, "Khối mới", Now) // block.rename
	})
	if err != nil {
		t.Fatal(err)
	}

	all := []string{"block.setup/", "unit.add/u1", "unit.add/u2", "unit.add/u3", "block.rename/"}
	for _, tt := range []struct {
		limit int
		want  []string
	}{
		{0, all},
		{-1, all},
		{5, all},
		{100, all},
		{2, all[3:]},
		{1, all[4:]},
	} {
		got := history(t, st, "b1", tt.limit)
		if fmt.Sprint(describe(got)) != fmt.Sprint(tt.want) {
			t.Errorf("History(limit %d) = %v, want %v", tt.limit, describe(got), tt.want)
		}
	}
	for _, tt := range []struct {
		skip, limit int
		want        []string
	}{
		{0, 2, all[3:]},
		{2, 2, all[1:3]},
		{4, 2, all[:1]},
		{3, 0, all[:2]},
		{1, -1, all[:4]},
		{-3, 1, all[4:]},
		{5, 2, nil},
		{50, 0, nil},
	} {
		got, total, err := st.HistoryPage(ctx, "b1", tt.skip, tt.limit)
		if err != nil || total != len(all) || fmt.Sprint(describe(got)) != fmt.Sprint(tt.want) {
			t.Errorf("HistoryPage(skip %d, limit %d) = %v, %d, %v; want %v, %d", tt.skip, tt.limit, describe(got), total, err, tt.want, len(all))
		}
	}
	// A block without history beyond its setup, and a page past its end.
	mustCreate(t, st, NewBlock(t, "b2", -200))
	if got, total, err := st.HistoryPage(ctx, "b2", 1, 10); err != nil || len(got) != 0 || total != 1 {
		t.Errorf("HistoryPage past the end = %v, %d, %v; want nothing of 1", describe(got), total, err)
	}
	if h := history(t, st, "b1", 1); len(h) == 1 && (h[0].ActorID != Admin.UserID || h[0].Before != "Khối thi đua số 1" || h[0].After != "Khối mới" || !h[0].At.Equal(Now)) {
		t.Errorf("History entry = %+v, want the rename by Admin", h[0])
	}
}

func (s *suite) testSchemaOnCreate(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	old := NewBlock(t, "b1", -100)
	old.Schema, old.NextSeq = 0, 0
	mustCreate(t, st, old)
	got, err := st.Block(ctx, "b1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Schema != thidua.SchemaVersion || got.NextSeq != 1 {
		t.Errorf("stored schema %d, next seq %d; want %d, 1", got.Schema, got.NextSeq, thidua.SchemaVersion)
	}

	future := NewBlock(t, "b2", -200)
	future.Schema = 999
	if err := st.CreateBlock(ctx, future); err == nil || errors.Is(err, storage.ErrExists) {
		t.Errorf("CreateBlock with schema 999: %v, want an error", err)
	}
	if _, err := st.BlockByChat(ctx, -200); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("BlockByChat after refused CreateBlock: %v, want ErrNotFound", err)
	}
}

func (s *suite) testSchemaOnRead(t *testing.T) {
	if s.seed == nil {
		t.Skip("no Seeder given (WithSeeder)")
	}
	st := s.seed(t, map[string][]byte{
		"old":     []byte(`{"schema":0,"version":7,"id":"old","chat_id":-100,"name":"Khối cũ","year":2024,"units":[{"id":"u1","name":"A"}]}`),
		"future":  []byte(`{"schema":999,"version":1,"id":"future","chat_id":-200,"name":"Khối mới","year":2030}`),
		"broken":  []byte(`{"schema":1,`),
		"misfile": []byte(`{"schema":1,"version":1,"id":"elsewhere","chat_id":-300,"name":"Khối","year":2025}`),
	})
	ctx := t.Context()

	got, err := st.Block(ctx, "old")
	if err != nil {
		t.Fatalf("Block of a schema 0 document: %v", err)
	}
	if got.Schema != thidua.SchemaVersion || got.NextSeq != 1 || got.Version != 7 || got.UnitName("u1") != "A" {
		t.Errorf("schema 0 document read as schema %d, next seq %d, version %d; want %d, 1, 7", got.Schema, got.NextSeq, got.Version, thidua.SchemaVersion)
	}
	if !got.Menus.Equal(&thidua.Menus{}) {
		t.Errorf("a document without a record of menus read with one: %+v", got.Menus)
	}
	got, err = st.Update(ctx, "old", func(b *thidua.Block) error { return b.Rename(Admin, "Khối đã chuyển", Now) })
	if err != nil {
		t.Fatalf("Update of a schema 0 document: %v", err)
	}
	if got.Schema != thidua.SchemaVersion || got.Version != 8 {
		t.Errorf("Update of a schema 0 document wrote schema %d, version %d; want %d, 8", got.Schema, got.Version, thidua.SchemaVersion)
	}

	for _, id := range []string{"future", "broken", "misfile"} {
		if _, err := st.Block(ctx, id); err == nil || errors.Is(err, storage.ErrNotFound) {
			t.Errorf("Block(%s): %v, want an error", id, err)
		}
		called := false
		_, err := st.Update(ctx, id, func(*thidua.Block) error { called = true; return nil })
		if err == nil || errors.Is(err, storage.ErrNotFound) || called {
			t.Errorf("Update(%s): %v (fn called: %v), want an error without calling fn", id, err, called)
		}
	}
}

func (s *suite) testMoveChat(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	mustCreate(t, st, NewBlock(t, "b1", -100, "A"))
	mustCreate(t, st, NewBlock(t, "b2", -300, "B"))
	for _, b := range []string{"b1", "b2"} {
		if err := st.NoteMessage(ctx, b, 5, "report:u1:k1:1"); err != nil {
			t.Fatal(err)
		}
	}
	flushNotes(t, st) // written: MoveChat drops the stored notes
	for _, b := range []string{"b1", "b2"} {
		if err := st.NoteMessage(ctx, b, 6, "report:u1:k1:2"); err != nil {
			t.Fatal(err)
		}
	}

	if err := st.MoveChat(ctx, -100, -1001); err != nil {
		t.Fatalf("MoveChat: %v", err)
	}
	// Message ids start again in the new chat: the old chat's notes go.
	// (A note still waiting to be written goes too.)
	flushNotes(t, st)
	for b, want := range map[string]string{"b1": "", "b2": "report:u1:k1:1"} {
		if got, err := st.MessageNote(ctx, b, 5); err != nil || got != want {
			t.Errorf("MessageNote(%s, 5) after b1 moved = %q, %v; want %q", b, got, err, want)
		}
		if want != "" {
			want = "report:u1:k1:2"
		}
		if got, err := st.MessageNote(ctx, b, 6); err != nil || got != want {
			t.Errorf("MessageNote(%s, 6) after b1 moved = %q, %v; want %q", b, got, err, want)
		}
	}
	if _, err := st.BlockByChat(ctx, -100); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("BlockByChat(old chat): %v, want ErrNotFound", err)
	}
	got, err := st.BlockByChat(ctx, -1001)
	if err != nil {
		t.Fatalf("BlockByChat(new chat): %v", err)
	}
	if got.ID != "b1" || got.ChatID != -1001 || got.UnitName("u1") != "A" {
		t.Errorf("BlockByChat(new chat) = block %s with chat %d, want b1 with chat -1001", got.ID, got.ChatID)
	}
	if got, err := st.Block(ctx, "b1"); err != nil || got.ChatID != -1001 {
		t.Errorf("Block(b1) after MoveChat = %+v, %v; want chat -1001", got, err)
	}

	version := got.Version
	if err := st.MoveChat(ctx, -100, -1001); err != nil {
		t.Errorf("repeated MoveChat: %v, want nil", err)
	}
	if got, err := st.Block(ctx, "b1"); err != nil || got.Version != version || got.ChatID != -1001 {
		t.Errorf("repeated MoveChat changed the block: %+v, %v", got, err)
	}

	if err := st.MoveChat(ctx, -1001, -300); !errors.Is(err, storage.ErrExists) {
		t.Errorf("MoveChat onto a bound chat: %v, want ErrExists", err)
	}
	for chat, id := range map[int64]string{-1001: "b1", -300: "b2"} {
		if got, err := st.BlockByChat(ctx, chat); err != nil || got.ID != id || got.ChatID != chat {
			t.Errorf("BlockByChat(%d) after refused MoveChat = %+v, %v; want %s", chat, got, err, id)
		}
	}
}

// testMenus checks that the record of the command menus the bot gave
// (thidua.Block.Menus), in the block's core, is written by a change that
// declares no part, read back by every read, and replaced whole.
func (s *suite) testMenus(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	mustCreate(t, st, NewBlock(t, "b1", -100, "A"))
	record := func(m thidua.Menus) *thidua.Block {
		t.Helper()
		got, err := st.UpdateParts(ctx, "b1", 0, func(b *thidua.Block) error {
			b.Menus = m
			return nil
		})
		if err != nil {
			t.Fatalf("UpdateParts: %v", err)
		}
		return got
	}
	want := thidua.Menus{ChatID: -100, Stamp: "s1", Holders: []int64{7, 8}}
	first := record(want)
	byID, err := st.Block(ctx, "b1")
	if err != nil {
		t.Fatal(err)
	}
	byChat, err := st.BlockByChat(ctx, -100)
	if err != nil {
		t.Fatal(err)
	}
	for what, b := range map[string]*thidua.Block{"UpdateParts": first, "Block": byID, "BlockByChat": byChat} {
		if !b.Menus.Equal(&want) {
			t.Errorf("%s: menus %+v, want %+v", what, b.Menus, want)
		}
	}
	next := thidua.Menus{ChatID: -100, Stamp: "s2", Holders: []int64{9}}
	if got := record(next); !got.Menus.Equal(&next) || !first.Menus.Equal(&want) {
		t.Errorf("replaced: menus %+v, and the block returned before has %+v", got.Menus, first.Menus)
	}
}

// testRepresentativeLanguage checks that the language of representatives
// and of join requests is kept, and replaced by UpdateProfile, in the
// stored document too (read back from a copy of it, see ArchivedYear), and
// that a document from before it was recorded reads with none (the
// block's language), which a later change records.
func (s *suite) testRepresentativeLanguage(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	mustCreate(t, st, NewBlock(t, "b1", -100, "Sở Tư pháp", "Sở Y tế"))
	john := thidua.Actor{UserID: 5, Name: "John", Lang: "en"}
	lan := thidua.Actor{UserID: 6, Name: "Lan"}
	hoa := thidua.Actor{UserID: 7, Name: "Hoa", Lang: "vi"}
	written, err := st.Update(ctx, "b1", func(b *thidua.Block) error {
		for _, a := range []thidua.Actor{john, lan} {
			req, err := b.RequestJoin(a, b.Units[0].ID, Now)
			if err != nil {
				return err
			}
			if _, err := b.DecideJoin(Admin, req.ID, true, Now); err != nil {
				return err
			}
		}
		_, err := b.RequestJoin(hoa, b.Units[1].ID, Now)
		return err
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	langs := func(what string, b *thidua.Block, want ...string) {
		t.Helper()
		got := []string{b.RepOf(john.UserID).Lang, b.RepOf(lan.UserID).Lang}
		for _, r := range b.Requests {
			got = append(got, r.Lang)
		}
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
			t.Errorf("%s: languages %q, want %q", what, got, want)
		}
	}
	langs("Update", written, "en", "", "vi")
	byID, err := st.Block(ctx, "b1")
	if err != nil {
		t.Fatal(err)
	}
	sameBlock(t, "Block", byID, written)
	byChat, err := st.BlockByChat(ctx, -100)
	if err != nil {
		t.Fatal(err)
	}
	langs("BlockByChat", byChat, "en", "", "vi")
	john.Lang = "en-GB"
	updated, err := st.UpdateParts(ctx, "b1", 0, func(b *thidua.Block) error {
		if !b.UpdateProfile(john) {
			t.Error("UpdateProfile changed nothing")
		}
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateParts: %v", err)
	}
	langs("UpdateParts", updated, "en-GB", "", "vi")
	if byID, err = st.Block(ctx, "b1"); err != nil {
		t.Fatal(err)
	}
	sameBlock(t, "Block after UpdateParts", byID, updated)
	// A copy of the stored document is read anew, not from a cache.
	if err := st.ArchiveYear(ctx, "b1", updated.Year, updated.Version); err != nil {
		t.Fatalf("ArchiveYear: %v", err)
	}
	copied, err := st.ArchivedYear(ctx, "b1", updated.Year)
	if err != nil {
		t.Fatalf("ArchivedYear: %v", err)
	}
	langs("ArchivedYear", copied, "en-GB", "", "vi")

	if s.seed == nil {
		return
	}
	st = s.seed(t, map[string][]byte{"old": []byte(`{"schema":3,"version":4,"id":"old","chat_id":-100,"name":"Khối","year":2025,` +
		`"created_at":"2025-03-01T09:00:00Z","units":[{"id":"u1","name":"A","added_at":"2025-03-01T09:00:00Z"}],` +
		`"reps":[{"user_id":5,"name":"John","unit_id":"u1","since":"2025-03-01T09:00:00Z"}],` +
		`"requests":[{"id":"r2","user_id":6,"name":"Lan","unit_id":"u1","at":"2025-03-01T09:00:00Z"}],"next_seq":3}`)})
	old, err := st.Block(ctx, "old")
	if err != nil {
		t.Fatalf("Block of a document without languages: %v", err)
	}
	if old.RepOf(john.UserID).Lang != "" || old.Requests[0].Lang != "" {
		t.Errorf("a document without languages read with %q and %q", old.RepOf(john.UserID).Lang, old.Requests[0].Lang)
	}
	got, err := st.Update(ctx, "old", func(b *thidua.Block) error {
		b.UpdateProfile(john)
		_, err := b.DecideJoin(Admin, "r2", true, Now)
		return err
	})
	if err != nil {
		t.Fatalf("Update of a document without languages: %v", err)
	}
	if got.RepOf(john.UserID).Lang != "en-GB" || got.RepOf(lan.UserID).Lang != "" {
		t.Errorf("languages %q and %q, want \"en-GB\" and none", got.RepOf(john.UserID).Lang, got.RepOf(lan.UserID).Lang)
	}
}

func (s *suite) testUpdateHandled(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	const bot, otherBot = 1111, 2222

	handled := func(scope, id int64, want bool) {
		t.Helper()
		got, err := st.UpdateHandled(ctx, scope, id)
		if err != nil || got != want {
			t.Errorf("UpdateHandled(%d, %d) = %v, %v; want %v", scope, id, got, err, want)
		}
	}
	mark := func(scope, id int64, want bool) {
		t.Helper()
		got, err := st.MarkUpdateHandled(ctx, scope, id, time.Hour)
		if err != nil || got != want {
			t.Errorf("MarkUpdateHandled(%d, %d) = %v, %v; want %v", scope, id, got, err, want)
		}
	}
	handled(bot, 500, false)
	mark(bot, 500, true)
	mark(bot, 500, false)
	handled(bot, 500, true)
	handled(bot, 501, false)
	handled(otherBot, 500, false)
	mark(otherBot, 500, true)
	handled(otherBot, 500, true)

	if _, err := st.MarkUpdateHandled(ctx, bot, 502, 0); err == nil {
		t.Error("MarkUpdateHandled with ttl 0: nil error, want an error")
	}
}

// Under UnlessHandled an update writes nothing for an update marked
// handled, and writes as usual for one that is not.
func (s *suite) testUpdateUnlessHandled(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	const bot = 1111
	mustCreate(t, st, NewBlock(t, "b1", -100, "Sở Tư pháp"))
	if _, err := st.MarkUpdateHandled(ctx, bot, 500, time.Hour); err != nil {
		t.Fatal(err)
	}
	for _, parts := range []thidua.Part{thidua.AllParts, thidua.PartRegistration} {
		b, err := st.UpdateParts(storage.UnlessHandled(ctx, bot, 500), "b1", parts, func(b *thidua.Block) error {
			_, err := b.AddUnits(Admin, []string{"Sở Y tế"}, Now)
			return err
		})
		if !errors.Is(err, storage.ErrHandled) || b != nil {
			t.Errorf("UpdateParts(%05b) of a handled update = %v, %v; want ErrHandled", parts, b, err)
		}
	}
	if got, err := st.Block(ctx, "b1"); err != nil || got.Version != 1 || len(got.Units) != 1 {
		t.Fatalf("after the refused updates: %+v, %v; want version 1, one unit", got, err)
	}
	b, err := st.Update(storage.UnlessHandled(ctx, bot, 501), "b1", func(b *thidua.Block) error {
		_, err := b.AddUnits(Admin, []string{"Sở Y tế"}, Now)
		return err
	})
	if err != nil || b.Version != 2 || len(b.Units) != 2 {
		t.Fatalf("Update of an update not handled = %+v, %v; want version 2, two units", b, err)
	}
	if _, err := st.Update(storage.UnlessHandled(ctx, 2222, 500), "b1", func(b *thidua.Block) error { return b.Rename(Admin, "Khối B", Now) }); err != nil {
		t.Errorf("Update of another bot's update 500: %v", err)
	}
}

func (s *suite) testUpdateHandledExpiry(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	const ttl = 100 * time.Millisecond
	if first, err := st.MarkUpdateHandled(ctx, 1, 7, ttl); err != nil || !first {
		t.Fatalf("MarkUpdateHandled = %v, %v; want true", first, err)
	}
	if ok, err := st.UpdateHandled(ctx, 1, 7); err != nil || !ok {
		t.Fatalf("UpdateHandled right after marking = %v, %v; want true", ok, err)
	}
	time.Sleep(ttl)
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		ok, err := st.UpdateHandled(ctx, 1, 7)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("UpdateHandled still true long after the ttl of %v", ttl)
		}
	}
	if first, err := st.MarkUpdateHandled(ctx, 1, 7, time.Hour); err != nil || !first {
		t.Errorf("MarkUpdateHandled after expiry = %v, %v; want true", first, err)
	}
}

func (s *suite) testReachable(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	reachable := func(user int64, want bool) {
		t.Helper()
		if got, err := st.Reachable(ctx, user); err != nil || got != want {
			t.Errorf("Reachable(%d) = %v, %v; want %v", user, got, err, want)
		}
	}
	set := func(user int64, r bool) {
		t.Helper()
		if err := st.SetReachable(ctx, user, r); err != nil {
			t.Errorf("SetReachable(%d, %v): %v", user, r, err)
		}
	}
	reachable(42, false)
	set(42, true)
	set(42, true)
	reachable(42, true)
	reachable(43, false)
	set(42, false)
	reachable(42, false)
	set(43, false)
	reachable(43, false)
}

func (s *suite) testMessageNotes(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	note := func(block string, id int, want string) {
		t.Helper()
		if got, err := st.MessageNote(ctx, block, id); err != nil || got != want {
			t.Errorf("MessageNote(%s, %d) = %q, %v; want %q", block, id, got, err, want)
		}
	}
	set := func(block string, id int, n string) {
		t.Helper()
		if err := st.NoteMessage(ctx, block, id, n); err != nil {
			t.Fatalf("NoteMessage(%s, %d): %v", block, id, err)
		}
		flushNotes(t, st) // one at a time, to see when trimming happens
	}
	note("b1", 7, "")
	set("b1", 7, "report:u1:k1:1")
	set("b2", 7, "report:u2:k1:1")
	note("b1", 7, "report:u1:k1:1")
	note("b2", 7, "report:u2:k1:1")
	set("b1", 7, "report:u1:k1:2") // a later note of the same message wins
	note("b1", 7, "report:u1:k1:2")
	note("b1", 8, "")

	// Past KeptNotes, the notes of the lowest message ids go, until three
	// quarters remain; the other block keeps its own.
	for id := 8; id <= storage.KeptNotes+6; id++ { // KeptNotes in all
		set("b1", id, "n"+strconv.Itoa(id))
	}
	note("b1", 7, "report:u1:k1:2")
	last := storage.KeptNotes + 7
	set("b1", last, "last")
	first := last - storage.KeptNotes*3/4 + 1
	note("b1", 7, "")
	note("b1", first-1, "")
	note("b1", first, "n"+strconv.Itoa(first))
	note("b1", last, "last")
	note("b2", 7, "report:u2:k1:1")
	set("b1", last+1, "next") // trimmed once, not on every note
	note("b1", first, "n"+strconv.Itoa(first))
}

// flushNotes writes the notes that a store keeps waiting to be written
// (storage.Redis writes them in batches; see its FlushNotes).
func flushNotes(t *testing.T, st storage.Store) {
	t.Helper()
	if f, ok := st.(interface{ FlushNotes(context.Context) error }); ok {
		if err := f.FlushNotes(t.Context()); err != nil {
			t.Fatalf("FlushNotes: %v", err)
		}
	}
}

func (s *suite) testPing(t *testing.T) {
	if err := s.open(t).Ping(t.Context()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func (s *suite) testCanceledContext(t *testing.T) {
	st := s.open(t)
	mustCreate(t, st, NewBlock(t, "b1", -100))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	called := false
	if _, err := st.Update(ctx, "b1", func(*thidua.Block) error { called = true; return nil }); !errors.Is(err, context.Canceled) || called {
		t.Errorf("Update with a canceled context: %v (fn called: %v), want context.Canceled", err, called)
	}
	if _, err := st.Block(ctx, "b1"); !errors.Is(err, context.Canceled) {
		t.Errorf("Block with a canceled context: %v, want context.Canceled", err)
	}
	if _, err := st.MarkUpdateHandled(ctx, 1, 1, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("MarkUpdateHandled with a canceled context: %v, want context.Canceled", err)
	}
}

// testConcurrentUpdates has many writers change one block at once and checks
// that no change was lost. Each change is a join request by a user of its own,
// rejected at once: the document stays small, while every change leaves its
// user's id in two history events and moves NextSeq on by one.
func (s *suite) testConcurrentUpdates(t *testing.T) {
	const writers, perWriter = 20, 25
	st := s.open(t)
	mustCreate(t, st, NewBlock(t, "b1", -100, "Sở Tư pháp")) // 2 events, NextSeq 2
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()

	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				user := thidua.Actor{UserID: int64(1000*(w+1) + i), Name: "Người"}
				_, err := st.Update(ctx, "b1", func(b *thidua.Block) error {
					r, err := b.RequestJoin(user, "u1", Now)
					if err != nil {
						return err
					}
					_, err = b.DecideJoin(Admin, r.ID, false, Now)
					return err
				})
				if err != nil {
					t.Errorf("writer %d, update %d: %v", w, i, err)
					return
				}
			}
		})
	}
	wg.Wait()

	const n = writers * perWriter
	b, err := st.Block(ctx, "b1")
	if err != nil {
		t.Fatal(err)
	}
	if b.Version != 1+n || b.NextSeq != 2+n || len(b.Requests) != 0 {
		t.Errorf("block has version %d, next seq %d, %d requests; want %d, %d, 0", b.Version, b.NextSeq, len(b.Requests), 1+n, 2+n)
	}
	h := history(t, st, "b1", 0)
	rejected := map[int64]int{}
	for _, e := range h[2:] {
		if e.Action == "join.reject" {
			rejected[e.PersonID]++
		}
	}
	if len(h) != 2+2*n || len(rejected) != n {
		t.Errorf("history has %d events rejecting %d users, want %d events rejecting %d", len(h), len(rejected), 2+2*n, n)
	}
}

func mustCreate(t *testing.T, st storage.Store, b *thidua.Block) {
	t.Helper()
	if err := st.CreateBlock(t.Context(), b); err != nil {
		t.Fatalf("CreateBlock(%s): %v", b.ID, err)
	}
}

func history(t *testing.T, st storage.Store, id string, limit int) []thidua.Event {
	t.Helper()
	h, err := storage.History(t.Context(), st, id, limit)
	if err != nil {
		t.Fatalf("History(%s, %d): %v", id, limit, err)
	}
	return h
}

// describe sums up events as action/subject.
func describe(events []thidua.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Action + "/" + e.Subject
	}
	return out
}

// sameBlock reports a difference between the stored fields of two blocks.
func sameBlock(t *testing.T, what string, got, want *thidua.Block) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if string(g) != string(w) {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}
