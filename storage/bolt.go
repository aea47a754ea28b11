package storage

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"thiduabot/thidua"
)

// Buckets of the bolt file. Integers in keys and values are 8-byte big-endian,
// so that keys sort numerically.
var (
	// bucketBlocks maps a block id to the block's JSON document.
	bucketBlocks = []byte("blocks")
	// bucketChats maps a chat id to the id of the block bound to it.
	bucketChats = []byte("chats")
	// bucketHistory holds one nested bucket per block id, mapping a sequence
	// number to one JSON event.
	bucketHistory = []byte("history")
	// bucketUpdates maps scope and update id to the mark's expiry (Unix
	// nanoseconds).
	bucketUpdates = []byte("updates")
	// bucketDM holds the ids of the users who have started the bot in private.
	bucketDM = []byte("dm")
	// bucketDue is the due index: its keys are a block's due time (Unix
	// seconds, sign bit flipped so that keys sort by time) followed by the
	// block id, with empty values.
	bucketDue = []byte("due")
	// bucketDueOf maps a block id to its key in bucketDue.
	bucketDueOf = []byte("due_of")
	// bucketNotes holds one nested bucket per block id, mapping a message id
	// to its note (see Store.NoteMessage); a nested bucket's sequence counts
	// its notes.
	bucketNotes = []byte("notes")
	// bucketClaims maps a claim's key to its expiry (Unix nanoseconds).
	bucketClaims = []byte("claims")
	// bucketYears keeps the documents of blocks' finished years (see
	// Store.ArchiveYear): it maps a block id, "/" and the year (see
	// yearKey) to a copy of what bucketBlocks held for the block.
	bucketYears = []byte("years")
)

// boltLockTimeout is how long OpenBolt waits for another process to release
// the file.
const boltLockTimeout = time.Second

// sweepBatch is how many marks of handled updates (or claims)
// MarkUpdateHandled (or Claim) examines for expiry on each call.
const sweepBatch = 32

// Bolt is a Store in one local bbolt file, for a single small install: one
// process at a time may open the file. Every change is one bbolt transaction,
// synced to disk before it returns.
type Bolt struct {
	db *bolt.DB

	// sweepUpdates and sweepClaims are where the next sweeps of expired
	// update marks and claims start (nil: at the beginning). Only read-write
	// transactions use them, and bbolt runs one of those at a time.
	sweepUpdates, sweepClaims []byte
}

var _ Store = (*Bolt)(nil)

// OpenBolt opens the bolt file at path, creating it (mode 0600) and its
// directory (mode 0700) if needed. It returns an error saying so if another
// process holds the file open, after waiting about a second.
func OpenBolt(path string) (*Bolt, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("storage: create data directory: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: boltLockTimeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("storage: data file %s is locked by another process", path)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: open data file %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketBlocks, bucketChats, bucketHistory, bucketUpdates, bucketDM, bucketDue, bucketDueOf, bucketClaims, bucketNotes, bucketYears} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("storage: prepare data file %s: %w", path, err)
	}
	return &Bolt{db: db}, nil
}

// CreateBlock stores a new block and binds b.ChatID to it, appending
// b.TakeEvents() to its history, sets its entry in the due index, and sets
// b.Version. It returns ErrExists if the chat is already bound to a block or
// a block with this id exists. On error b is unchanged.
func (s *Bolt) CreateBlock(ctx context.Context, b *thidua.Block) error {
	c, events, err := newDocument(b)
	if err != nil {
		return err
	}
	doc, err := marshalBlock(&c)
	if err != nil {
		return err
	}
	err = s.update(ctx, func(tx *bolt.Tx) error {
		chats, blocks := tx.Bucket(bucketChats), tx.Bucket(bucketBlocks)
		chat := int64Key(c.ChatID)
		if chats.Get(chat) != nil {
			return exists("chat %d already has a block", c.ChatID)
		}
		if blocks.Get([]byte(c.ID)) != nil {
			return exists("block %s", c.ID)
		}
		if err := chats.Put(chat, []byte(c.ID)); err != nil {
			return boltErr(err)
		}
		if err := putBlock(tx, c.ID, doc, events); err != nil {
			return err
		}
		return setDue(tx, c.ID, c.NextDue())
	})
	if err != nil {
		return err
	}
	*b = c
	return nil
}

// Block returns the block with this id. It returns ErrNotFound if there is
// none.
func (s *Bolt) Block(ctx context.Context, id string) (*thidua.Block, error) {
	var b *thidua.Block
	err := s.view(ctx, func(tx *bolt.Tx) error {
		var err error
		b, err = getBlock(tx, id)
		return err
	})
	return b, err
}

// BlockByChat returns the block bound to the chat. It returns ErrNotFound if
// the chat is bound to no block.
func (s *Bolt) BlockByChat(ctx context.Context, chatID int64) (*thidua.Block, error) {
	var b *thidua.Block
	err := s.view(ctx, func(tx *bolt.Tx) error {
		id := tx.Bucket(bucketChats).Get(int64Key(chatID))
		if id == nil {
			return notFound("chat %d", chatID)
		}
		var err error
		b, err = getBlock(tx, string(id))
		return err
	})
	return b, err
}

// CachedBlockByChat returns nil: Bolt keeps no blocks in memory, its reads
// cost no round trip.
func (s *Bolt) CachedBlockByChat(chatID int64) *thidua.Block { return nil }

// BlockForUpdate returns the block bound to the chat (nil if none) and
// whether the update was marked handled, in one read transaction.
func (s *Bolt) BlockForUpdate(ctx context.Context, chatID, scope, updateID int64) (*thidua.Block, bool, error) {
	var (
		b       *thidua.Block
		handled bool
	)
	err := s.view(ctx, func(tx *bolt.Tx) error {
		handled = handledIn(tx, scope, updateID)
		id := tx.Bucket(bucketChats).Get(int64Key(chatID))
		if id == nil {
			return nil
		}
		var err error
		b, err = getBlock(tx, string(id))
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return b, handled, nil
}

// Update reads the block, calls fn on it and writes it back with its version
// bumped, appending the events fn recorded to its history and setting its
// entry in the due index, all in one bbolt transaction; bbolt runs one such transaction at a time, so no other write
// can come in between and fn is called once. If fn returns an error nothing is
// written and that error is returned unchanged. It returns the block as
// written, or ErrNotFound if there is none. It never returns ErrConflict.
func (s *Bolt) Update(ctx context.Context, id string, fn func(*thidua.Block) error) (*thidua.Block, error) {
	var b *thidua.Block
	err := s.update(ctx, func(tx *bolt.Tx) error {
		if u, ok := unlessHandled(ctx); ok && handledIn(tx, u.scope, u.id) {
			return ErrHandled
		}
		var err error
		b, err = updateBlock(tx, id, fn)
		return err
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// MoveChat rebinds the block of oldChat to newChat and sets the block's
// ChatID, in one transaction. If oldChat is bound to nothing it does nothing
// when newChat is bound (the move was done before) and returns ErrNotFound
// otherwise. It returns ErrExists if newChat is bound to another block.
func (s *Bolt) MoveChat(ctx context.Context, oldChat, newChat int64) error {
	return s.update(ctx, func(tx *bolt.Tx) error {
		chats := tx.Bucket(bucketChats)
		id := chats.Get(int64Key(oldChat))
		if id == nil {
			if chats.Get(int64Key(newChat)) == nil {
				return notFound("chat %d", oldChat)
			}
			return nil
		}
		if oldChat == newChat {
			return nil
		}
		if chats.Get(int64Key(newChat)) != nil {
			return exists("chat %d already has a block", newChat)
		}
		blockID := string(id)
		if err := chats.Put(int64Key(newChat), id); err != nil {
			return boltErr(err)
		}
		if err := chats.Delete(int64Key(oldChat)); err != nil {
			return boltErr(err)
		}
		// Message ids start again in the new chat: the old chat's notes
		// would be taken for its messages.
		if err := tx.Bucket(bucketNotes).DeleteBucket(id); err != nil && !errors.Is(err, bolterrors.ErrBucketNotFound) {
			return boltErr(err)
		}
		_, err := updateBlock(tx, blockID, setChat(newChat))
		return err
	})
}

// ArchiveYear copies block id's document, if it is at version, into the
// years bucket as the record of the year, replacing an earlier copy, in one
// transaction. It returns ErrConflict if the block is at another version
// and ErrNotFound if there is no such block.
func (s *Bolt) ArchiveYear(ctx context.Context, id string, year int, version int64) error {
	return s.update(ctx, func(tx *bolt.Tx) error {
		doc := tx.Bucket(bucketBlocks).Get([]byte(id))
		if doc == nil {
			return notFound("block %s", id)
		}
		b, err := decodeBlock(id, doc)
		if err != nil {
			return err
		}
		if b.Version != version {
			return fmt.Errorf("%w: block %s is at version %d, not %d", ErrConflict, id, b.Version, version)
		}
		// Put keeps the value it is given until the commit: give it bytes of
		// its own, not the file's.
		return boltErr(tx.Bucket(bucketYears).Put(yearKey(id, year), bytes.Clone(doc)))
	})
}

// ArchivedYear returns the copy of block id that ArchiveYear kept for the
// year, decoded as Block decodes a block, or ErrNotFound.
func (s *Bolt) ArchivedYear(ctx context.Context, id string, year int) (*thidua.Block, error) {
	var b *thidua.Block
	err := s.view(ctx, func(tx *bolt.Tx) error {
		doc := tx.Bucket(bucketYears).Get(yearKey(id, year))
		if doc == nil {
			return notFound("year %d of block %s", year, id)
		}
		var err error
		b, err = decodeBlock(id, doc)
		return err
	})
	return b, err
}

// HistoryPage returns up to limit of the events that come before the skip
// most recent ones, oldest first (limit <= 0: all of them), and the
// history's length. A block's entries are keyed by their sequence number,
// 1 to the bucket's sequence, and never deleted: the bucket's sequence is
// the length, and a cursor goes straight to the newest entry wanted and
// walks back from it. It returns ErrNotFound if there is no block with
// this id.
func (s *Bolt) HistoryPage(ctx context.Context, id string, skip, limit int) ([]thidua.Event, int, error) {
	var (
		events []thidua.Event
		total  int
	)
	err := s.view(ctx, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketBlocks).Get([]byte(id)) == nil {
			return notFound("block %s", id)
		}
		log := tx.Bucket(bucketHistory).Bucket([]byte(id))
		if log == nil {
			return nil
		}
		total = int(log.Sequence())
		newest := total - max(skip, 0)
		if newest < 1 {
			return nil
		}
		c := log.Cursor()
		for k, v := c.Seek(uint64Key(uint64(newest))); k != nil && (limit <= 0 || len(events) < limit); k, v = c.Prev() {
			e, err := decodeEvent(id, v)
			if err != nil {
				return err
			}
			events = append(events, e)
		}
		slices.Reverse(events)
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return events, total, nil
}

// UpdateParts is Update: a block read from bbolt is decoded afresh, so
// there is nothing to save by knowing which parts fn changes.
func (s *Bolt) UpdateParts(ctx context.Context, id string, _ thidua.Part, fn func(*thidua.Block) error) (*thidua.Block, error) {
	return s.Update(ctx, id, fn)
}

// UpdateHandled reports whether the update was marked handled by
// MarkUpdateHandled and the mark has not expired.
func (s *Bolt) UpdateHandled(ctx context.Context, scope, updateID int64) (bool, error) {
	var handled bool
	err := s.view(ctx, func(tx *bolt.Tx) error {
		handled = handledIn(tx, scope, updateID)
		return nil
	})
	return handled, err
}

// MarkUpdateHandled records that the update has been handled, for ttl, and
// reports whether this call was the first to mark it. It returns an error if
// ttl is not positive. Each call also removes some expired marks.
func (s *Bolt) MarkUpdateHandled(ctx context.Context, scope, updateID int64, ttl time.Duration) (bool, error) {
	if ttl <= 0 {
		return false, fmt.Errorf("storage: mark update %d: ttl %v is not positive", updateID, ttl)
	}
	var first bool
	err := s.update(ctx, func(tx *bolt.Tx) error {
		marks, now := tx.Bucket(bucketUpdates), time.Now()
		key := updateKey(scope, updateID)
		if live(marks.Get(key), now) {
			return nil
		}
		first = true
		if err := marks.Put(key, int64Key(now.Add(ttl).UnixNano())); err != nil {
			return boltErr(err)
		}
		return sweep(marks, &s.sweepUpdates, now)
	})
	if err != nil {
		return false, err
	}
	return first, nil
}

// sweep deletes the expired marks (values holding an expiry) among the next
// sweepBatch, continuing where the previous sweep stopped (*from) and
// wrapping around at the end.
func sweep(marks *bolt.Bucket, from *[]byte, now time.Time) error {
	var expired [][]byte
	c := marks.Cursor()
	k, v := c.Seek(*from)
	for i := 0; i < sweepBatch && k != nil; i++ {
		if !live(v, now) {
			expired = append(expired, append([]byte(nil), k...))
		}
		k, v = c.Next()
	}
	*from = append([]byte(nil), k...)
	for _, k := range expired {
		if err := marks.Delete(k); err != nil {
			return boltErr(err)
		}
	}
	return nil
}

// NoteMessage records what the bot's message is about in the block's
// bucket of notes, trimming the oldest when there are too many.
func (s *Bolt) NoteMessage(ctx context.Context, blockID string, messageID int, note string) error {
	return s.update(ctx, func(tx *bolt.Tx) error {
		notes, err := tx.Bucket(bucketNotes).CreateBucketIfNotExists([]byte(blockID))
		if err != nil {
			return boltErr(err)
		}
		key, n := int64Key(int64(messageID)), notes.Sequence()
		if notes.Get(key) == nil {
			n++
		}
		if err := notes.Put(key, []byte(note)); err != nil {
			return boltErr(err)
		}
		if n > KeptNotes {
			c := notes.Cursor()
			for k, _ := c.First(); k != nil && n > KeptNotes*3/4; k, _ = c.First() {
				if err := c.Delete(); err != nil {
					return boltErr(err)
				}
				n--
			}
		}
		return boltErr(notes.SetSequence(n))
	})
}

// MessageNote returns the note recorded for the message.
func (s *Bolt) MessageNote(ctx context.Context, blockID string, messageID int) (string, error) {
	var note string
	err := s.view(ctx, func(tx *bolt.Tx) error {
		if notes := tx.Bucket(bucketNotes).Bucket([]byte(blockID)); notes != nil {
			note = string(notes.Get(int64Key(int64(messageID))))
		}
		return nil
	})
	return note, err
}

// SetReachable records whether the user has started the bot in private.
func (s *Bolt) SetReachable(ctx context.Context, userID int64, reachable bool) error {
	return s.update(ctx, func(tx *bolt.Tx) error {
		dm := tx.Bucket(bucketDM)
		if reachable {
			return boltErr(dm.Put(int64Key(userID), []byte{1}))
		}
		return boltErr(dm.Delete(int64Key(userID)))
	})
}

// Reachable reports what SetReachable recorded last for the user (false if
// nothing).
func (s *Bolt) Reachable(ctx context.Context, userID int64) (bool, error) {
	var reachable bool
	err := s.view(ctx, func(tx *bolt.Tx) error {
		reachable = tx.Bucket(bucketDM).Get(int64Key(userID)) != nil
		return nil
	})
	return reachable, err
}

// DueBlocks returns the ids of up to limit blocks (all if limit <= 0) whose
// due time is at or before until, earliest first, walking the due index from
// its start.
func (s *Bolt) DueBlocks(ctx context.Context, until time.Time, limit int) ([]string, error) {
	var ids []string
	err := s.view(ctx, func(tx *bolt.Tx) error {
		end := dueTimeKey(until)
		c := tx.Bucket(bucketDue).Cursor()
		for k, _ := c.First(); k != nil && (limit <= 0 || len(ids) < limit); k, _ = c.Next() {
			if len(k) < 8 || bytes.Compare(k[:8], end) > 0 {
				break
			}
			ids = append(ids, string(k[8:]))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// RefreshDue sets block id's entry in the due index to the block's NextDue,
// removing it when that is zero or the block does not exist, in one
// transaction. (Every write sets the entry exactly, so this only repairs.)
func (s *Bolt) RefreshDue(ctx context.Context, id string) error {
	return s.update(ctx, func(tx *bolt.Tx) error {
		b, err := getBlock(tx, id)
		if errors.Is(err, ErrNotFound) {
			return setDue(tx, id, time.Time{})
		}
		if err != nil {
			return err
		}
		return setDue(tx, id, b.NextDue())
	})
}

// Claim takes the claim named key for ttl and reports whether this call took
// it. It returns an error if ttl is not positive. Each call also removes some
// expired claims.
func (s *Bolt) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if ttl <= 0 {
		return false, fmt.Errorf("storage: claim %s: ttl %v is not positive", key, ttl)
	}
	var won bool
	err := s.update(ctx, func(tx *bolt.Tx) error {
		claims, now := tx.Bucket(bucketClaims), time.Now()
		if live(claims.Get([]byte(key)), now) {
			return nil
		}
		won = true
		if err := claims.Put([]byte(key), int64Key(now.Add(ttl).UnixNano())); err != nil {
			return boltErr(err)
		}
		return sweep(claims, &s.sweepClaims, now)
	})
	if err != nil {
		return false, err
	}
	return won, nil
}

// Ping checks that the file is open.
func (s *Bolt) Ping(ctx context.Context) error {
	return s.view(ctx, func(*bolt.Tx) error { return nil })
}

// Close closes the file.
func (s *Bolt) Close() error {
	return s.db.Close()
}

// view runs fn in a read-only transaction unless ctx is done. It returns
// fn's error unchanged.
func (s *Bolt) view(ctx context.Context, fn func(*bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var fnErr error
	err := s.db.View(func(tx *bolt.Tx) error {
		fnErr = fn(tx)
		return fnErr
	})
	if fnErr != nil {
		return fnErr
	}
	return boltErr(err)
}

// update runs fn in a read-write transaction unless ctx is done, also once
// the transaction's turn has come, and commits it if fn succeeds. It returns
// fn's error unchanged.
func (s *Bolt) update(ctx context.Context, fn func(*bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var fnErr error
	err := s.db.Update(func(tx *bolt.Tx) error {
		if fnErr = ctx.Err(); fnErr == nil {
			fnErr = fn(tx)
		}
		return fnErr
	})
	if fnErr != nil {
		return fnErr
	}
	return boltErr(err)
}

// boltErr marks an error of bbolt itself (nil stays nil).
func boltErr(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("storage: bolt: %w", err)
}

// getBlock reads and decodes block id. It returns ErrNotFound if there is
// none.
func getBlock(tx *bolt.Tx, id string) (*thidua.Block, error) {
	doc := tx.Bucket(bucketBlocks).Get([]byte(id))
	if doc == nil {
		return nil, notFound("block %s", id)
	}
	return decodeBlock(id, doc)
}

// updateBlock is one read-modify-write of block id inside tx (see modify),
// with its entry in the due index.
func updateBlock(tx *bolt.Tx, id string, fn func(*thidua.Block) error) (*thidua.Block, error) {
	b, err := getBlock(tx, id)
	if err != nil {
		return nil, err
	}
	c, err := modify(id, b, fn)
	if err != nil {
		return nil, err
	}
	doc, err := marshalBlock(c.block)
	if err != nil {
		return nil, err
	}
	if err := putBlock(tx, id, doc, c.events); err != nil {
		return nil, err
	}
	return c.block, setDue(tx, id, c.block.NextDue())
}

// setDue sets block id's entry in the due index to due, or removes it when
// due is zero.
func setDue(tx *bolt.Tx, id string, due time.Time) error {
	index, of := tx.Bucket(bucketDue), tx.Bucket(bucketDueOf)
	if old := of.Get([]byte(id)); old != nil {
		if err := index.Delete(old); err != nil {
			return boltErr(err)
		}
	}
	if due.IsZero() {
		return boltErr(of.Delete([]byte(id)))
	}
	key := append(dueTimeKey(due), id...)
	if err := index.Put(key, []byte{}); err != nil {
		return boltErr(err)
	}
	return boltErr(of.Put([]byte(id), key))
}

// dueTimeKey encodes a time for the due index: Unix seconds rounded down,
// big-endian with the sign bit flipped, so that keys sort by time.
func dueTimeKey(t time.Time) []byte { return uint64Key(uint64(t.Unix()) ^ 1<<63) }

// putBlock writes block id's document and appends events to its history.
func putBlock(tx *bolt.Tx, id string, doc []byte, events [][]byte) error {
	if err := tx.Bucket(bucketBlocks).Put([]byte(id), doc); err != nil {
		return boltErr(err)
	}
	log, err := tx.Bucket(bucketHistory).CreateBucketIfNotExists([]byte(id))
	if err != nil {
		return boltErr(err)
	}
	for _, e := range events {
		seq, err := log.NextSequence()
		if err != nil {
			return boltErr(err)
		}
		if err := log.Put(uint64Key(seq), e); err != nil {
			return boltErr(err)
		}
	}
	return nil
}

// live reports whether an update mark (its expiry) exists and has not expired.
// handledIn reports whether tx holds a live mark of the update.
func handledIn(tx *bolt.Tx, scope, updateID int64) bool {
	return live(tx.Bucket(bucketUpdates).Get(updateKey(scope, updateID)), time.Now())
}

func live(mark []byte, now time.Time) bool {
	return len(mark) == 8 && int64(binary.BigEndian.Uint64(mark)) > now.UnixNano()
}

func updateKey(scope, updateID int64) []byte {
	return binary.BigEndian.AppendUint64(int64Key(scope), uint64(updateID))
}

// yearKey is the key of block id's year in bucketYears. A year has no "/",
// so the last "/" of a key ends the block's id.
func yearKey(id string, year int) []byte { return []byte(id + "/" + strconv.Itoa(year)) }

func int64Key(n int64) []byte { return uint64Key(uint64(n)) }

func uint64Key(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }
