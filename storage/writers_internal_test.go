package storage

import (
	"context"
	"testing"
)

// A writer's turn on a block nobody else writes costs no allocation, and
// leaves nothing behind.
func TestWritersTurnAllocates(t *testing.T) {
	var w writers
	ctx := context.Background()
	allocs := testing.AllocsPerRun(1000, func() {
		q, err := w.wait(ctx, "b1")
		if err != nil {
			t.Fatal(err)
		}
		w.done("b1", q)
	})
	if allocs != 0 {
		t.Errorf("a turn allocates %v times, want 0", allocs)
	}
	if len(w.byBlock) != 0 {
		t.Errorf("%d queues left", len(w.byBlock))
	}
}
