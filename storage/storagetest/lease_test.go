package storagetest

import (
	"context"
	"testing"
	"time"
)

// The keys of a test process that ended without its cleanups (here: keys
// under a process name that holds no lease) are swept; those of this
// process, of another one that holds its lease and of a prefix of before
// leases (perhaps a test process of an older checkout, running) are kept,
// and so is every key outside the tests' root.
func TestSweepDeletesTheKeysOfEndedProcesses(t *testing.T) {
	client, prefix := Redis(t)
	ctx := t.Context()
	live := "p" + randomHex(8)
	ended := []string{
		keysRoot + "p" + randomHex(8) + ":" + randomHex(8) + ":{b:b1}:doc",
		keysRoot + "p" + randomHex(8) + ":" + randomHex(8) + ":upd:1:7",
	}
	kept := []string{
		prefix + "{b:b1}:doc",
		keysRoot + live + ":" + randomHex(8) + ":due",
		keysRoot + randomHex(8) + ":chat:-100", // a prefix of before leases, perhaps a running test's
		"thidua-sweep-test:" + randomHex(8),
	}
	t.Cleanup(func() { _ = client.Del(context.Background(), append(kept[1:], leaseRoot+live)...).Err() })
	if err := client.Set(ctx, leaseRoot+live, 1, time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	for _, k := range append(ended, kept...) {
		if err := client.Set(ctx, k, 1, 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	if err := sweep(client); err != nil {
		t.Fatal(err)
	}
	for _, k := range ended {
		if n, err := client.Exists(ctx, k).Result(); err != nil || n != 0 {
			t.Errorf("%s after the sweep: %d, %v; want it deleted", k, n, err)
		}
	}
	for _, k := range kept {
		if n, err := client.Exists(ctx, k).Result(); err != nil || n != 1 {
			t.Errorf("%s after the sweep: %d, %v; want it kept", k, n, err)
		}
	}
}
