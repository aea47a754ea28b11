package storage_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"thiduabot/storage"
	"thiduabot/storage/storagetest"
)

func TestBolt(t *testing.T) {
	storagetest.Run(t,
		func(t *testing.T) storage.Store { return storagetest.NewBoltStore(t) },
		storagetest.WithSeeder(seedBolt))
}

// seedBolt plants documents in the blocks bucket of a new file, then opens it.
func seedBolt(t *testing.T, docs map[string][]byte) storage.Store {
	path := filepath.Join(t.TempDir(), "thidua.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		blocks, err := tx.CreateBucket([]byte("blocks"))
		if err != nil {
			return err
		}
		for id, doc := range docs {
			if err := blocks.Put([]byte(id), doc); err != nil {
				return err
			}
		}
		return nil
	})
	if err := errors.Join(err, db.Close()); err != nil {
		t.Fatal(err)
	}
	s, err := storage.OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// TestBoltOpen checks the modes of what OpenBolt creates and that a second
// opener gets a clear error instead of waiting.
func TestBoltOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "dir", "thidua.db")
	s, err := storage.OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700 | os.ModeDir} {
		if fi, err := os.Stat(p); err != nil || fi.Mode() != want {
			t.Errorf("mode of %s = %v, %v; want %v", p, fi.Mode(), err, want)
		}
	}
	_, err = storage.OpenBolt(path)
	if err == nil || !strings.Contains(err.Error(), "locked by another process") {
		t.Errorf("second OpenBolt: %v, want a locked error", err)
	}
}

// Bolt caches no blocks: every read is local, and the handlers' requests
// read the block first.
func TestBoltCachesNoBlock(t *testing.T) {
	s := storagetest.NewBoltStore(t)
	if err := s.CreateBlock(t.Context(), storagetest.NewBlock(t, "b1", -100, "Sở Tư pháp")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.BlockByChat(t.Context(), -100); err != nil {
		t.Fatal(err)
	}
	if b := s.CachedBlockByChat(-100); b != nil {
		t.Errorf("cached %+v", b)
	}
}
