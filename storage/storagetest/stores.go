package storagetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"thiduabot/storage"
)

// RedisURLEnv names the environment variable that points the tests at a real
// Redis, e.g. redis://127.0.0.1:6379/0. When it is empty they use miniredis.
const RedisURLEnv = "TEST_REDIS_URL"

// NewRedisStore returns a Redis store on Redis(t), closed when the test ends,
// with its checks on (storage.Redis.EnableChecks): the test fails if
// anything modified a block the store shares, or an update changed a part
// it did not declare.
func NewRedisStore(t testing.TB) *storage.Redis {
	client, prefix := Redis(t)
	return Checked(t, storage.NewRedis(client, prefix))
}

// Checked turns the checks of s on (storage.Redis.EnableChecks) and returns
// it: when the test ends, s is closed and the test fails with what the
// checks found.
func Checked(t testing.TB, s *storage.Redis) *storage.Redis {
	var (
		mu     sync.Mutex
		errors []error
	)
	s.EnableChecks(func(err error) {
		mu.Lock()
		errors = append(errors, err)
		mu.Unlock()
	})
	t.Cleanup(func() {
		_ = s.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, err := range errors {
			t.Error(err)
		}
	})
	return s
}

// NewBoltStore returns a bolt store in a new temporary directory, closed when
// the test ends.
func NewBoltStore(t testing.TB) *storage.Bolt {
	s, err := storage.OpenBolt(filepath.Join(t.TempDir(), "thidua.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Redis returns a client and a key prefix of its own for one test. The client
// talks to the Redis at $TEST_REDIS_URL if that is set (the test fails if it
// does not answer), and otherwise to a new in-process miniredis. The client
// has ContextTimeoutEnabled set. When the test ends every key under the prefix
// is deleted (SCAN and DEL, never FLUSHDB) and the client closed, if the
// caller has not closed it; so whatever writes under the prefix (a bot, a
// store) must stop, in a cleanup registered after this call, before then.
// On a real Redis, the first call of a test process also deletes the keys
// that test processes which ended without their cleanups left (see
// holdLease).
func Redis(t testing.TB) (client redis.UniversalClient, prefix string) {
	prefix = keysRoot + process + ":" + randomHex(8) + ":"
	rawURL := os.Getenv(RedisURLEnv)
	if rawURL == "" {
		_, client = Miniredis(t)
		return client, prefix
	}
	opts, err := storage.ParseRedisURL(rawURL)
	if err != nil {
		t.Fatalf("%s: %v", RedisURLEnv, err)
	}
	release, err := holdLease(opts)
	if release != nil {
		t.Cleanup(release) // after the keys are deleted
	}
	if err != nil {
		t.Fatalf("%s: %v", RedisURLEnv, err)
	}
	client = redis.NewUniversalClient(opts)
	t.Cleanup(func() {
		_ = client.Close()
		// The store under test may have closed client: clean up with another.
		c := redis.NewUniversalClient(opts)
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		keys, err := scanKeys(ctx, c, prefix)
		if err == nil {
			err = deleteKeys(ctx, c, keys)
		}
		if err != nil {
			t.Errorf("delete test keys under %s: %v", prefix, err)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		t.Fatalf("%s: %v", RedisURLEnv, err)
	}
	return client, prefix
}

// Miniredis starts an in-process Redis for one test and returns it with a
// client (ContextTimeoutEnabled set). Keys expire with the wall clock, as on a
// real Redis. Closing and restarting the server (Close, Restart) simulates an
// outage. Both are closed when the test ends.
func Miniredis(t testing.TB) (*miniredis.Miniredis, redis.UniversalClient) {
	m := miniredis.RunT(t)
	m.ClockTTL(true)
	client := redis.NewClient(&redis.Options{Addr: m.Addr(), ContextTimeoutEnabled: true})
	t.Cleanup(func() { _ = client.Close() })
	return m, client
}

// scanKeys returns every key under prefix.
func scanKeys(ctx context.Context, client redis.UniversalClient, prefix string) ([]string, error) {
	iter := client.Scan(ctx, 0, prefix+"*", 500).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	return keys, iter.Err()
}

// deleteKeys deletes keys, one DEL per key, so that keys on different
// Cluster slots are fine.
func deleteKeys(ctx context.Context, client redis.UniversalClient, keys []string) error {
	_, err := client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range keys {
			p.Del(ctx, k)
		}
		return nil
	})
	return err
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
