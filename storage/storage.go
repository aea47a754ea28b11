// Package storage persists thiduabot's state: each block as one aggregate,
// read whole and changed with optimistic concurrency (on Redis, writing only
// the parts a change declares; see Store.UpdateParts), plus the small indexes around
// it (chat to block, processed update ids, users reachable in private, the
// block's append-only history, the due index of the scheduler and its
// claims).
//
// Two implementations satisfy Store and pass one conformance suite
// (storage/storagetest): Redis (go-redis v9 UniversalClient, so a single node,
// Sentinel or Cluster) and an embedded durable file store (bbolt) for a single
// small install.
package storage

import (
	"context"
	"errors"
	"time"

	"thiduabot/thidua"
)

// Errors returned by stores. Compare with errors.Is.
var (
	// ErrNotFound is returned when a block (or chat binding) does not exist.
	ErrNotFound = errors.New("storage: not found")
	// ErrExists is returned by CreateBlock when the chat already has a block.
	ErrExists = errors.New("storage: already exists")
	// ErrConflict is returned by Update when concurrent writers kept winning
	// the race for longer than the store's retry budget.
	ErrConflict = errors.New("storage: too much contention, try again")
	// ErrHandled is returned by Update and UpdateParts, under a context
	// made by UnlessHandled, when the update was marked handled.
	ErrHandled = errors.New("storage: the update was handled before")
)

// KeptNotes bounds the notes a block keeps (see Store.NoteMessage): past
// it, the oldest notes, of the lowest message ids, are dropped until three
// quarters remain, so that trimming is rare.
const KeptNotes = 2000

// UnlessHandled returns a context under which Update and UpdateParts write
// nothing, and return ErrHandled, if the update was marked handled
// (MarkUpdateHandled). A change decided on a block read without
// BlockForUpdate's check (see CachedBlockByChat) is thus not made for an
// update handled before. The stores check the mark in the write's own
// transaction (Redis in its script; on a Cluster, where the mark lies in
// another slot, with a read before the write), so it costs no round trip.
func UnlessHandled(ctx context.Context, scope, updateID int64) context.Context {
	return context.WithValue(ctx, unlessHandledKey{}, updateRef{scope, updateID})
}

type unlessHandledKey struct{}

// updateRef names an update whose mark a read or a write also checks.
type updateRef struct{ scope, id int64 }

// unlessHandled returns the update that ctx says a write must check (see
// UnlessHandled).
func unlessHandled(ctx context.Context) (updateRef, bool) {
	u, ok := ctx.Value(unlessHandledKey{}).(updateRef)
	return u, ok
}

// Store is the persistence contract. Every method is safe for concurrent use,
// including from several processes sharing one Redis.
type Store interface {
	// CreateBlock stores a new block and binds b.ChatID to it, appending
	// b.TakeEvents() to its history and entering its NextDue in the due
	// index (see DueBlocks). It returns ErrExists if the chat is
	// already bound to a block or a block with this id exists, and an error
	// if b.Migrate fails (a schema newer than this program's). It sets
	// b.Version to 1; on error b is left unchanged, events included.
	CreateBlock(ctx context.Context, b *thidua.Block) error

	// Block returns the block with this id, or ErrNotFound. Like every
	// block a store returns, it may share memory with the store's cache:
	// the caller must not modify it (Update gives fn a block of its own).
	Block(ctx context.Context, id string) (*thidua.Block, error)

	// BlockByChat returns the block bound to the chat, or ErrNotFound.
	BlockByChat(ctx context.Context, chatID int64) (*thidua.Block, error)

	// BlockForUpdate is the first read of an update's handling: it returns
	// the block bound to the chat (nil if there is none) and reports whether
	// the update was marked handled (see UpdateHandled), in one round trip
	// where the store allows, so that skipping a duplicate costs nothing more
	// than reading the block the update needs anyway.
	BlockForUpdate(ctx context.Context, chatID, scope, updateID int64) (*thidua.Block, bool, error)

	// CachedBlockByChat returns the block bound to the chat as this process
	// last read or wrote it, without asking the store, or nil if it keeps
	// none. The block may be outdated: another process may have changed it
	// since. A caller acts on it only through a change whose fn checks the
	// version (Update reruns fn on the current block when the cached one was
	// outdated) or after BlockForUpdate confirms it is current.
	CachedBlockByChat(chatID int64) *thidua.Block

	// Update reads the block, calls fn on it, and writes it back atomically
	// together with the events fn recorded (b.TakeEvents()), only if nobody
	// else wrote it in between; otherwise it re-reads and calls fn again. fn
	// must therefore be free of side effects other than on the block. If fn
	// returns an error nothing is written and that error is returned
	// unchanged. Older documents are migrated (thidua.Block.Migrate) before
	// fn sees them; a document of a newer schema is an error. The block's
	// entry in the due index is brought forward if its NextDue moved earlier
	// (see DueBlocks). It returns the block as written (its events taken),
	// ErrNotFound, or ErrConflict.
	Update(ctx context.Context, id string, fn func(*thidua.Block) error) (*thidua.Block, error)

	// UpdateParts is Update for an fn that changes, besides the block's
	// core, only the given parts (see thidua.Part): a store may then copy
	// and encode only those. fn must not change any other part; a store
	// with checks on (Redis.EnableChecks, in tests) reports it if it does.
	// Update is UpdateParts with thidua.AllParts.
	UpdateParts(ctx context.Context, id string, parts thidua.Part, fn func(*thidua.Block) error) (*thidua.Block, error)

	// MoveChat rebinds the block of oldChat to newChat (a group upgraded to a
	// supergroup) and updates the block's ChatID. Moving it again is a no-op:
	// when oldChat is bound to nothing but newChat is bound, it returns nil;
	// when neither is bound it returns ErrNotFound. It returns ErrExists if
	// newChat is bound to another block.
	MoveChat(ctx context.Context, oldChat, newChat int64) error

	// ArchiveYear keeps a copy of block id's document as it is now, as the
	// record of the block's year `year`, provided the block is at version
	// `version`; a copy kept earlier for that year is replaced. It returns
	// ErrConflict if the block's version differs and ErrNotFound if there is
	// no such block. ArchivedYear reads the copy back. A block is archived
	// just before it turns to its next year (thidua.Block.StartYear), so
	// that the finished year stays readable.
	ArchiveYear(ctx context.Context, id string, year int, version int64) error

	// ArchivedYear returns the copy of block id that ArchiveYear kept for
	// the year, decoded (and migrated, thidua.Block.Migrate) as Block
	// decodes a block, or ErrNotFound. The copy is the caller's to read
	// only, like every block a store returns.
	ArchivedYear(ctx context.Context, id string, year int) (*thidua.Block, error)

	// HistoryPage returns a stretch of the block's history without reading
	// the rest: up to limit of the events that come before the skip most
	// recent ones, oldest first (limit <= 0 means all of them), and how
	// many events the history holds. Reading a history from its newest
	// entry back, a page at a time, the caller sees new entries appended
	// meanwhile as a larger total, by which its skip moves on. It returns
	// ErrNotFound if there is no block with this id.
	HistoryPage(ctx context.Context, id string, skip, limit int) ([]thidua.Event, int, error)

	// UpdateHandled reports whether the update was marked handled by
	// MarkUpdateHandled within the retention time. scope separates bots that
	// share one store (it is the bot's user id).
	UpdateHandled(ctx context.Context, scope, updateID int64) (bool, error)

	// MarkUpdateHandled records that the update has been handled, for ttl.
	// It reports whether this call was the first to mark it (a mark that
	// expired counts as absent). It returns an error if ttl is not positive.
	MarkUpdateHandled(ctx context.Context, scope, updateID int64, ttl time.Duration) (bool, error)

	// NoteMessage records note, which says what the bot's message messageID
	// in the chat of block blockID is about (handlers define notes), so that
	// a reply to that message can be understood. It is a write of its own,
	// outside the block's document: bookkeeping of the transport, with no
	// version and no history, and it reads nothing. A store may write notes
	// a little later, in batches (Redis does, within some 10 ms, or once it
	// is reachable again within a minute); its own MessageNote sees them at
	// once, other processes once written. A block keeps the
	// notes of its highest message ids (its latest messages), at least
	// KeptNotes*3/4 and at most KeptNotes; MoveChat drops them all, since
	// message ids start again in the new chat.
	NoteMessage(ctx context.Context, blockID string, messageID int, note string) error

	// MessageNote returns the note NoteMessage recorded for the message, or
	// "" if none is kept.
	MessageNote(ctx context.Context, blockID string, messageID int) (string, error)

	// SetReachable records whether the user has started the bot in private
	// (so the bot may send them direct messages).
	SetReachable(ctx context.Context, userID int64, reachable bool) error

	// Reachable reports what SetReachable recorded last (false if nothing).
	Reachable(ctx context.Context, userID int64) (bool, error)

	// DueBlocks returns the ids of up to limit blocks (all if limit <= 0)
	// whose entry in the due index is at or before until, earliest first. The
	// due index holds, for each block with timed work, a time no later than
	// its thidua.Block.NextDue (rounded down to the second): CreateBlock and
	// Update keep it so. An entry may be earlier than the block's NextDue
	// (after a crash between two steps, or a change that postponed the
	// block's work): whoever finds the block has nothing due calls
	// RefreshDue. Its cost grows with the number of entries returned, not
	// with the number of blocks.
	DueBlocks(ctx context.Context, until time.Time, limit int) ([]string, error)

	// RefreshDue sets block id's entry in the due index to the block's
	// current NextDue exactly, removing the entry when that is zero or there
	// is no such block. Unlike the writes of CreateBlock and Update, which
	// may only bring an entry forward, it may postpone one, so it makes sure
	// that a change of the block made meanwhile is not overridden. It returns
	// ErrConflict if the block kept changing.
	RefreshDue(ctx context.Context, id string) error

	// Claim takes the claim named key for ttl and reports whether this call
	// took it: false while an earlier claim of the same key has not expired.
	// Processes sharing a store use it to do something once (send one
	// reminder). It returns an error if ttl is not positive.
	Claim(ctx context.Context, key string, ttl time.Duration) (bool, error)

	// Ping checks that the store can serve requests.
	Ping(ctx context.Context) error

	// Close releases the store's resources.
	Close() error
}

// History returns up to limit of the most recent events of block id in s,
// oldest first (limit <= 0 means all), through Store.HistoryPage. It
// returns ErrNotFound if there is no block with this id.
func History(ctx context.Context, s Store, id string, limit int) ([]thidua.Event, error) {
	events, _, err := s.HistoryPage(ctx, id, 0, limit)
	return events, err
}
