package storage

import (
	"bytes"
	"time"

	"github.com/redis/go-redis/v9"
)

// NewRedisCrossSlot returns a Redis store that keeps the due index the way
// it does on a Cluster (writes before and after the block's transaction),
// so that the conformance suite covers that path on a single node too.
func NewRedisCrossSlot(client redis.UniversalClient, prefix string) *Redis {
	r := NewRedis(client, prefix)
	r.crossSlot = true
	return r
}

// SetCallTimeout changes the bound of every call of r (CallTimeout).
func SetCallTimeout(r *Redis, d time.Duration) { r.timeout = d }

// Working is working, for the benchmarks of the external tests.
var Working = working

// SetCachedDue makes r's cache hold due as the NextDue of block id, which
// must be cached, so that a test can tell which updates take it from there
// (see Redis.nextDue).
func SetCachedDue(r *Redis, id string, due time.Time) {
	r.blocks.get(id).due.Store(&due)
}

// SetNoteDelay changes how long r's notes wait for those that follow them
// (noteDelay).
func SetNoteDelay(r *Redis, d time.Duration) { r.notes.delay = d }

// SpoilCachedApplied changes a digit of the first id in the JSON of the
// record of applied updates that the cached encoding of block id holds (the
// block must be cached, from a write, with updates applied), as a fault in
// copying it (appendApplied) would, so that a test can tell that the
// checks refuse to write an encoding that is not the block's.
func SpoilCachedApplied(r *Redis, id string) {
	enc := r.blocks.get(id).enc
	text := bytes.Clone(enc.applied.json)
	text[1] ^= 1 // another digit
	enc.applied.json = text
}
