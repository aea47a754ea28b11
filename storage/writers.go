package storage

import (
	"context"
	"sync"
)

// writers lets one writer of a block at a time, within a process, run its
// read-modify-write (see Redis.UpdateParts). Writers of one process then
// queue and each starts from the block the one before it wrote, instead of
// racing through the write script's version check and backing off; only
// writers in other processes can still lose that race. Without it, a burst
// of writers of one block (the scheduler and a busy chat, a test's twenty
// goroutines) wastes a script call per lost race, and the unluckiest of
// them can run out of attempts (ErrConflict) on a slow machine.
type writers struct {
	mu      sync.Mutex
	byBlock map[string]*writerQueue
}

// writerQueue is the queue of one block's writers.
type writerQueue struct {
	turn chan struct{} // holds a token while a writer has its turn
	n    int           // the writer having its turn and those waiting
}

// queues keeps the queues of blocks nobody is writing, for the next
// block's writers: a write costs no allocation for its turn.
var queues = sync.Pool{New: func() any { return &writerQueue{turn: make(chan struct{}, 1)} }}

// wait waits for the turn of a writer of block id, or for ctx to be done,
// whose error it then returns. A writer that got its turn ends it with
// done(id, q).
func (w *writers) wait(ctx context.Context, id string) (q *writerQueue, err error) {
	w.mu.Lock()
	if w.byBlock == nil {
		w.byBlock = map[string]*writerQueue{}
	}
	q = w.byBlock[id]
	if q == nil {
		q = queues.Get().(*writerQueue)
		w.byBlock[id] = q
	}
	q.n++
	w.mu.Unlock()
	select {
	case q.turn <- struct{}{}:
		return q, nil
	case <-ctx.Done():
		w.leave(id, q)
		return nil, ctx.Err()
	}
}

// done ends the turn of the writer of block id that waited in q.
func (w *writers) done(id string, q *writerQueue) {
	<-q.turn
	w.leave(id, q)
}

// leave takes a writer off q, and q off the block once nobody is in it.
func (w *writers) leave(id string, q *writerQueue) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if q.n--; q.n == 0 {
		delete(w.byBlock, id)
		queues.Put(q)
	}
}
