package storage

import (
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestBoltSweep checks that MarkUpdateHandled prunes expired marks and keeps
// live ones, so that the updates bucket does not grow without bound.
func TestBoltSweep(t *testing.T) {
	s, err := OpenBolt(filepath.Join(t.TempDir(), "thidua.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	if _, err := s.MarkUpdateHandled(ctx, 1, 1, time.Hour); err != nil {
		t.Fatal(err)
	}
	const n = 200
	for id := int64(2); id <= n; id++ {
		if _, err := s.MarkUpdateHandled(ctx, 1, id, time.Nanosecond); err != nil {
			t.Fatal(err)
		}
	}
	var kept int
	err = s.db.View(func(tx *bolt.Tx) error {
		kept = tx.Bucket(bucketUpdates).Stats().KeyN
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d of %d marks kept", kept, n)
	if kept > 2*sweepBatch {
		t.Errorf("%d of %d marks kept, want at most %d", kept, n, 2*sweepBatch)
	}
	if ok, err := s.UpdateHandled(ctx, 1, 1); err != nil || !ok {
		t.Errorf("live mark: UpdateHandled = %v, %v; want true", ok, err)
	}
}
