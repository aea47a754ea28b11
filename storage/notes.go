package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// This file holds how the Redis store writes the notes of the bot's
// messages (see Store.NoteMessage): in batches, off the path of the update
// that made them.

// Timing and bounds of the Redis store's notes.
const (
	// noteDelay is how long a note waits for those that follow it: the
	// notes of that time are written together, in one round trip.
	noteDelay = 10 * time.Millisecond
	// noteRetry is how long notes wait after a batch failed to be written.
	noteRetry = time.Second
	// noteKeep is how long a note that cannot be written is kept for
	// another attempt.
	noteKeep = time.Minute
	// maxWaitingNotes bounds the notes waiting to be written; past it,
	// NoteMessage refuses new ones.
	maxWaitingNotes = 10_000
	// notesPerCall bounds the notes of one block in one script call (Lua
	// unpacks its arguments on a bounded stack).
	notesPerCall = 500
)

// noteQueue holds the notes waiting to be written, by block and message
// id. A timer writes them noteDelay after the first (flushNotes).
type noteQueue struct {
	// flushing is held while a batch is written, so that MoveChat, which
	// drops a block's notes, does not race with a batch holding them.
	flushing sync.Mutex

	mu sync.Mutex
	// waiting holds the notes not yet written, writing those of the batch
	// being written; both are read by MessageNote.
	waiting, writing map[string]map[int]waitingNote
	count            int           // notes in waiting
	timer            *time.Timer   // nil when no write is scheduled
	delay            time.Duration // noteDelay but in tests
	closed           bool
}

// waitingNote is a note and when it was first made.
type waitingNote struct {
	note  string
	since time.Time
}

// noteScript sets, in hash KEYS[1], the fields and values that follow
// ARGV[2] and, when the hash then holds more than ARGV[1] fields, drops
// those of the lowest message ids until ARGV[2] remain.
var noteScript = redis.NewScript(`
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
local n = redis.call('HLEN', KEYS[1])
if n > tonumber(ARGV[1]) then
	local ids = redis.call('HKEYS', KEYS[1])
	table.sort(ids, function(a, b) return tonumber(a) < tonumber(b) end)
	for i = 1, n - tonumber(ARGV[2]) do
		redis.call('HDEL', KEYS[1], ids[i])
	end
end
return n
`)

// NoteMessage records what the bot's message is about in the block's hash
// of notes. It returns at once: the note is written noteDelay later with
// every note made meanwhile, in one round trip (a pipeline of one script
// call per block and up to notesPerCall notes), and MessageNote in this
// process sees it before then; other processes see it once written. A
// batch that fails is tried again every noteRetry, for noteKeep; the
// failure is logged (SetLog). So a note made just before the process dies
// can be lost, as it could be when the process died before making it, and
// so can the notes waiting through an outage of Redis when it dies.
// NoteMessage returns an error once the store is closed, or if
// maxWaitingNotes notes wait already (Redis has been unreachable for long).
func (r *Redis) NoteMessage(ctx context.Context, blockID string, messageID int, note string) error {
	q := &r.notes
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case q.closed:
		return fmt.Errorf("storage: note message %d of block %s: the store is closed", messageID, blockID)
	case q.count >= maxWaitingNotes:
		return fmt.Errorf("storage: note message %d of block %s: %d notes wait to be written", messageID, blockID, q.count)
	}
	if q.waiting == nil {
		q.waiting = map[string]map[int]waitingNote{}
	}
	notes := q.waiting[blockID]
	if notes == nil {
		notes = map[int]waitingNote{}
		q.waiting[blockID] = notes
	}
	if _, ok := notes[messageID]; !ok {
		q.count++
	}
	notes[messageID] = waitingNote{note: note, since: time.Now()}
	if q.timer == nil {
		q.timer = time.AfterFunc(q.delay, r.flushNotes)
	}
	return nil
}

// MessageNote returns the note recorded for the message: one waiting to be
// written, or the stored one, with one HGET.
func (r *Redis) MessageNote(ctx context.Context, blockID string, messageID int) (string, error) {
	q := &r.notes
	q.mu.Lock()
	n, ok := q.waiting[blockID][messageID]
	if !ok {
		n, ok = q.writing[blockID][messageID]
	}
	q.mu.Unlock()
	if ok {
		return n.note, nil
	}
	ctx, cancel := r.bound(ctx)
	defer cancel()
	note, err := r.client.HGet(ctx, r.notesKey(blockID), strconv.Itoa(messageID)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("storage: read the note of message %d of block %s: %w", messageID, blockID, err)
	}
	return note, nil
}

// FlushNotes writes the notes waiting to be written now, and returns when
// they are written or failed to be (they then wait for another attempt).
func (r *Redis) FlushNotes(ctx context.Context) error {
	ctx, cancel := r.bound(ctx)
	defer cancel()
	return r.writeNotes(ctx)
}

// flushNotes runs on the timer: it writes the waiting notes and schedules
// the next write if notes are still waiting (made meanwhile, or kept after
// a failure).
func (r *Redis) flushNotes() {
	err := r.FlushNotes(context.Background())
	if err != nil {
		r.logger().Warn("notes of the bot's messages not written", "err", err)
	}
	q := &r.notes
	q.mu.Lock()
	defer q.mu.Unlock()
	q.timer = nil
	if q.count > 0 && !q.closed {
		delay := q.delay
		if err != nil {
			delay = noteRetry
		}
		q.timer = time.AfterFunc(delay, r.flushNotes)
	}
}

// writeNotes writes the waiting notes in one pipeline. If it fails, the
// notes not made again meanwhile wait for the next attempt, but for those
// older than noteKeep, which are dropped.
func (r *Redis) writeNotes(ctx context.Context) error {
	q := &r.notes
	q.flushing.Lock()
	defer q.flushing.Unlock()
	q.mu.Lock()
	batch := q.waiting
	q.waiting, q.writing, q.count = nil, batch, 0
	q.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	err := r.runNotes(ctx, batch)
	q.mu.Lock()
	defer q.mu.Unlock()
	q.writing = nil
	if err == nil {
		return nil
	}
	dropped := 0
	for block, notes := range batch {
		for id, n := range notes {
			if time.Since(n.since) > noteKeep {
				dropped++
				continue
			}
			if q.waiting == nil {
				q.waiting = map[string]map[int]waitingNote{}
			}
			if q.waiting[block] == nil {
				q.waiting[block] = map[int]waitingNote{}
			}
			if _, newer := q.waiting[block][id]; !newer {
				q.waiting[block][id] = n
				q.count++
			}
		}
	}
	if q.count > 0 && q.timer == nil && !q.closed {
		// A FlushNotes of its own failed after the timer's write: try
		// again as the timer would.
		q.timer = time.AfterFunc(noteRetry, r.flushNotes)
	}
	if dropped > 0 {
		return fmt.Errorf("storage: write notes of the bot's messages (%d dropped after %v): %w", dropped, noteKeep, err)
	}
	return fmt.Errorf("storage: write notes of the bot's messages: %w", err)
}

// runNotes sends the notes of batch in one pipeline of noteScript calls,
// loading the script first if Redis does not know it.
func (r *Redis) runNotes(ctx context.Context, batch map[string]map[int]waitingNote) error {
	var (
		calls [][]any
		keys  []string
	)
	for block, notes := range batch {
		var args []any
		left := len(notes)
		for id, n := range notes {
			if args == nil {
				args = append(make([]any, 0, 2+2*min(left, notesPerCall)), KeptNotes, KeptNotes*3/4)
			}
			left--
			if args = append(args, id, n.note); len(args) == cap(args) {
				calls, keys = append(calls, args), append(keys, r.notesKey(block))
				args = nil
			}
		}
	}
	run := func(eval func(context.Context, redis.Scripter, []string, ...any) *redis.Cmd) error {
		_, err := r.client.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, args := range calls {
				eval(ctx, p, []string{keys[i]}, args...)
			}
			return nil
		})
		return err
	}
	err := run(noteScript.EvalSha)
	if redis.HasErrorPrefix(err, "NOSCRIPT") {
		// Redis restarted since the script was last loaded: EVAL loads it.
		err = run(noteScript.Eval)
	}
	return err
}

// dropNotes forgets the waiting notes of the block and deletes its stored
// ones, with no batch being written meanwhile.
func (r *Redis) dropNotes(ctx context.Context, blockID string) error {
	q := &r.notes
	q.flushing.Lock()
	defer q.flushing.Unlock()
	q.mu.Lock()
	q.count -= len(q.waiting[blockID])
	delete(q.waiting, blockID)
	q.mu.Unlock()
	return r.client.Del(ctx, r.notesKey(blockID)).Err()
}

// closeNotes refuses further notes and writes those waiting.
func (r *Redis) closeNotes() error {
	q := &r.notes
	q.mu.Lock()
	q.closed = true
	if q.timer != nil {
		q.timer.Stop()
		q.timer = nil
	}
	q.mu.Unlock()
	return r.FlushNotes(context.Background())
}
