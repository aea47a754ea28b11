package storage

import (
	"container/list"
	"sync"
	"sync/atomic"
	"time"

	"thiduabot/thidua"
)

// blockCacheBytes bounds the documents a Redis store keeps decoded, by the
// length of their encoding: about 300 year-end blocks of seven units (57 KB
// each), some five times that in heap (the decoded block, four times its
// encoding, and the encoding of its parts).
const blockCacheBytes = 16 << 20

// blockCache keeps the most recently read or written blocks of a Redis
// store decoded, by id, least recently used first out. A cached block is
// never modified: readers share it (the Store's blocks are read-only) and
// updates start from a copy of what they change (see working). It is only
// ever a starting point: a read still asks Redis whether the stored version
// is the cached one, and a write checks the version it started from.
type blockCache struct {
	mu    sync.Mutex
	max   int
	size  int
	order *list.List // of *cachedBlock, most recent at the front
	byID  map[string]*list.Element
}

// cachedBlock is one decoded block, the length of its document and its
// encoding, so that the next update encodes only what it changes, and its
// NextDue, so that an update which cannot move it need not compute it (see
// Redis.nextDue).
type cachedBlock struct {
	block *thidua.Block
	size  int
	enc   *encoding
	// due is the block's NextDue, nil until known: set when the update that
	// wrote the block computed it or took it from the block it changed
	// (thidua.Block.KeepsDue), else when an update first needs it.
	due atomic.Pointer[time.Time]
	// doc is the block's document as encoded when cached, kept only with
	// checks on (see Redis.EnableChecks).
	doc []byte
}

// nextDue returns the block's NextDue, computing it the first time.
// Updates that race may each compute it, to the same value.
func (cb *cachedBlock) nextDue() time.Time {
	if due := cb.due.Load(); due != nil {
		return *due
	}
	due := cb.block.NextDue()
	cb.due.Store(&due)
	return due
}

func newBlockCache(maxBytes int) *blockCache {
	return &blockCache{max: maxBytes, order: list.New(), byID: map[string]*list.Element{}}
}

// get returns the cached block with this id, or nil. The caller must not
// modify it.
func (c *blockCache) get(id string) *cachedBlock {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byID[id]
	if !ok {
		return nil
	}
	c.order.MoveToFront(e)
	return e.Value.(*cachedBlock)
}

// put caches cb in place of any older copy of its block, unless the cache
// holds a later version already (a slower concurrent reader). Neither cb
// nor its block may be modified afterwards.
func (c *blockCache) put(cb *cachedBlock) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byID[cb.block.ID]; ok {
		old := e.Value.(*cachedBlock)
		if old.block.Version > cb.block.Version {
			return
		}
		c.size += cb.size - old.size
		e.Value = cb
		c.order.MoveToFront(e)
	} else {
		c.byID[cb.block.ID] = c.order.PushFront(cb)
		c.size += cb.size
	}
	for c.size > c.max && c.order.Len() > 1 {
		last := c.order.Back()
		cb := c.order.Remove(last).(*cachedBlock)
		delete(c.byID, cb.block.ID)
		c.size -= cb.size
	}
}

// drop forgets the block with this id.
func (c *blockCache) drop(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byID[id]; ok {
		c.size -= c.order.Remove(e).(*cachedBlock).size
		delete(c.byID, id)
	}
}
