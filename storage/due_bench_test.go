package storage

import (
	"path/filepath"
	"strconv"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// BenchmarkBoltDueBlocksNothingDue measures the query of a scheduler tick
// when none of 100,000 blocks of the bolt store is due. The entries are
// written directly into the due index, due over the next 100 days.
func BenchmarkBoltDueBlocksNothingDue(b *testing.B) {
	const blocks = 100_000
	s, err := OpenBolt(filepath.Join(b.TempDir(), "thidua.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2026, 3, 13, 8, 0, 0, 0, time.UTC)
	err = s.db.Update(func(tx *bolt.Tx) error {
		for i := range blocks {
			at := now.Add(time.Minute + time.Duration(i)*(100*24*time.Hour/blocks))
			if err := setDue(tx, "b"+strconv.Itoa(i), at); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		ids, err := s.DueBlocks(b.Context(), now, 100)
		if err != nil || len(ids) != 0 {
			b.Fatalf("DueBlocks = %v, %v; want none", ids, err)
		}
	}
}
