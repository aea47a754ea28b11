package storagetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// A test deletes its keys when it ends (see Redis), but a test process
// that ends before its tests do (interrupted with Ctrl-C, killed, stopped
// by go test's -timeout, or brought down by one test's panic) runs no
// cleanup, and the keys of every test it was running stay on the Redis of
// TEST_REDIS_URL. So a test process holds a lease while any of its tests
// has keys, a key with a time to live that it renews, deleted when its
// last such test ends; its tests' prefixes begin with its name
// ("thiduatest:<process>:<test>:"); and its first test deletes the keys
// under "thiduatest:" of every process whose lease is gone.

const (
	// keysRoot begins every key a test writes on a real Redis.
	keysRoot = "thiduatest:"
	// leaseRoot begins the key of a test process's lease; it is outside
	// keysRoot, so that no sweep reads a lease as a test's key.
	leaseRoot = "thiduatest-lease:"
	// leaseTTL is how long a lease lasts unless renewed, leaseRenewal how
	// often the process renews it: the keys of a process that has been
	// gone for leaseTTL are deleted by the next test process.
	leaseTTL     = 10 * time.Minute
	leaseRenewal = time.Minute
)

// process names this test process in its lease and its tests' prefixes:
// "p" and random hex digits, the "p" telling them from the prefixes of test
// processes before leases ("thiduatest:<hex>:"), which no sweep touches,
// since they may be a running test process's of an older checkout.
var process = "p" + randomHex(8)

// lease is this process's lease.
var lease struct {
	mu sync.Mutex
	// client is the process's own, never closed: the tests close theirs.
	client  redis.UniversalClient
	holders int  // the tests that hold the lease
	swept   bool // whether the first test swept
}

// holdLease has a test hold this process's lease on the Redis of opts
// until it calls release, after deleting its keys. The first call deletes
// the keys of the test processes whose lease is gone.
func holdLease(opts *redis.UniversalOptions) (release func(), err error) {
	lease.mu.Lock()
	defer lease.mu.Unlock()
	if lease.client == nil {
		lease.client = redis.NewUniversalClient(opts)
		go func() {
			for range time.Tick(leaseRenewal) {
				lease.mu.Lock()
				if lease.holders > 0 {
					_ = setLease() // a renewal missed is made up by the next
				}
				lease.mu.Unlock()
			}
		}()
	}
	if lease.holders == 0 {
		if err := setLease(); err != nil {
			return nil, fmt.Errorf("take the test process's lease: %w", err)
		}
	}
	lease.holders++
	release = func() {
		lease.mu.Lock()
		defer lease.mu.Unlock()
		if lease.holders--; lease.holders == 0 {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = lease.client.Del(ctx, leaseRoot+process).Err()
		}
	}
	if !lease.swept {
		lease.swept = true
		if err := sweep(lease.client); err != nil {
			return release, err
		}
	}
	return release, nil
}

// setLease takes or renews the lease, for leaseTTL; lease.mu is held.
func setLease() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return lease.client.Set(ctx, leaseRoot+process, 1, leaseTTL).Err()
}

// sweep deletes the keys of every test process, other than this one, that
// holds no lease.
func sweep(c redis.UniversalClient) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	keys, err := scanKeys(ctx, c, keysRoot)
	if err != nil {
		return fmt.Errorf("sweep the keys of ended test processes: %w", err)
	}
	byProcess := map[string][]string{}
	for _, k := range keys {
		p, _, _ := strings.Cut(strings.TrimPrefix(k, keysRoot), ":")
		if p != process && strings.HasPrefix(p, "p") {
			byProcess[p] = append(byProcess[p], k)
		}
	}
	for p, keys := range byProcess {
		held, err := c.Exists(ctx, leaseRoot+p).Result()
		if err == nil && held == 0 {
			err = deleteKeys(ctx, c, keys)
		}
		if err != nil {
			return fmt.Errorf("sweep the keys of test process %s: %w", p, err)
		}
	}
	return nil
}
