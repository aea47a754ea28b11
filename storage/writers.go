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

// wait waits for the turn of a writer of block id, or for ctx to be done,
// whose error it then returns. It returns the function that ends the turn.
func (w *writers) wait(ctx context.Context, id string) (done func(), err error) {
	w.mu.Lock()
	if w.byBlock == nil {
		w.byBlock = map[string]*writerQueue{}
	}
	q := w.byBlock[id]
	if q == nil {
		q = &writerQueue{turn: make(chan struct{}, 1)}
		w.byBlock[id] = q
	}
	q.n++
	w.mu.Unlock()
	leave := func() {
		w.mu.Lock()
		if q.n--; q.n == 0 {
			delete(w.byBlock, id)
		}
		w.mu.Unlock()
	}
	select {
	case q.turn <- struct{}{}:
		return func() { <-q.turn; leave() }, nil
	case <-ctx.Done():
		leave()
		return nil, ctx.Err()
	}
}
