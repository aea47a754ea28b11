package storage_test

import (
	"context"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"thiduabot/storage"
	"thiduabot/storage/storagetest"
	"thiduabot/thidua"
)

func TestRedis(t *testing.T) {
	storagetest.Run(t,
		func(t *testing.T) storage.Store { return storagetest.NewRedisStore(t) },
		storagetest.WithSeeder(seedRedis))
}

// TestRedisCrossSlot runs the suite with the due index kept as on a
// Cluster, where one transaction cannot cover a block and the index.
func TestRedisCrossSlot(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Store {
		client, prefix := storagetest.Redis(t)
		return storagetest.Checked(t, storage.NewRedisCrossSlot(client, prefix))
	})
}

// seedRedis plants documents as the earlier release stored them, each one
// JSON string, which the store converts to its hash when it meets them.
func seedRedis(t *testing.T, docs map[string][]byte) storage.Store {
	client, prefix := storagetest.Redis(t)
	for id, doc := range docs {
		if err := client.Set(t.Context(), prefix+"{b:"+id+"}:doc", doc, 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	return storagetest.Checked(t, storage.NewRedis(client, prefix))
}

// TestRedisOutage checks that calls fail promptly while Redis is down, within
// the caller's deadline, and succeed again once it is back.
func TestRedisOutage(t *testing.T) {
	m, client := storagetest.Miniredis(t)
	s := storage.NewRedis(client, "")
	ctx := t.Context()
	if err := s.CreateBlock(ctx, storagetest.NewBlock(t, "b1", -100, "A")); err != nil {
		t.Fatal(err)
	}
	rename := func(name string) func(*thidua.Block) error {
		return func(b *thidua.Block) error { return b.Rename(storagetest.Admin, name, storagetest.Now) }
	}

	m.Close()
	const deadline = 300 * time.Millisecond
	for name, call := range map[string]func(context.Context) error{
		"Update": func(ctx context.Context) error { _, err := s.Update(ctx, "b1", rename("Khối B")); return err },
		"Block":  func(ctx context.Context) error { _, err := s.Block(ctx, "b1"); return err },
		"Ping":   s.Ping,
	} {
		ctx, cancel := context.WithTimeout(ctx, deadline)
		start := time.Now()
		err := call(ctx)
		cancel()
		if err == nil {
			t.Errorf("%s while Redis is down: nil error", name)
		}
		d := time.Since(start)
		t.Logf("%s while Redis is down: %v after %v", name, err, d.Round(time.Millisecond))
		if d > deadline+time.Second {
			t.Errorf("%s while Redis is down took %v, want about %v at most", name, d, deadline)
		}
	}

	if err := m.Restart(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	b, err := s.Update(ctx, "b1", rename("Khối C"))
	if err != nil {
		t.Fatalf("Update after Redis is back: %v", err)
	}
	if b.Name != "Khối C" || b.Version != 2 {
		t.Errorf("Update after Redis is back wrote name %q, version %d; want Khối C, 2", b.Name, b.Version)
	}
}

func TestParseRedisURL(t *testing.T) {
	opts, err := storage.ParseRedisURL("rediss://bot:s3cret@redis.example:6380/2?dial_timeout=3s&pool_size=7")
	if err != nil {
		t.Fatal(err)
	}
	if len(opts.Addrs) != 1 || opts.Addrs[0] != "redis.example:6380" || opts.DB != 2 ||
		opts.Username != "bot" || opts.Password != "s3cret" || opts.TLSConfig == nil ||
		opts.DialTimeout != 3*time.Second || opts.PoolSize != 7 || !opts.ContextTimeoutEnabled {
		t.Errorf("ParseRedisURL = %+v", opts)
	}

	for _, bad := range []string{
		"redis://bot:s3cret@redis.example:port/0",
		"redis://bot:s3cret@redis.example:6379/x",
		"redis://bot:s3cret@redis.example:6379/0?nonsense=1",
		"http://bot:s3cret@redis.example:6379/0",
		"unix://bot:s3cret@/run/redis.sock",
		"redis://bot:s3cret@redis example",
	} {
		_, err := storage.OpenRedis(bad, "")
		if err == nil {
			t.Errorf("OpenRedis(%q): nil error", bad)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("OpenRedis(%q) error shows the password: %v", bad, err)
		}
	}

	// A password with a character a URL reserves, not percent-encoded (as
	// openssl rand -base64 makes them), splits the URL elsewhere: the error
	// shows no part of it and says how to write it.
	for _, sep := range []string{"/", "#", "?", "%zz", " "} {
		bad := "redis://bot:Zq8xWv" + sep + "7kPm3t@redis.example:6379/0"
		_, err := storage.ParseRedisURL(bad)
		if err == nil {
			t.Errorf("ParseRedisURL(%q): nil error", bad)
			continue
		}
		if strings.Contains(err.Error(), "Zq8xWv") || strings.Contains(err.Error(), "7kPm3t") || !strings.Contains(err.Error(), "percent-encode") {
			t.Errorf("ParseRedisURL(%q) error shows part of the password, or not how to write it: %v", bad, err)
		}
	}
	// A fault elsewhere is named as it is, even with such a password.
	if _, err := storage.ParseRedisURL("redis://bot:Zq8x/Wv@redis.example:port/0"); err == nil || !strings.Contains(err.Error(), `invalid port ":port"`) {
		t.Errorf("a URL with a bad port and a password to encode: %v", err)
	}
}

func TestOpenRedis(t *testing.T) {
	m, _ := storagetest.Miniredis(t)
	s, err := storage.OpenRedis("redis://"+m.Addr()+"/0", "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.CreateBlock(t.Context(), storagetest.NewBlock(t, "b1", -100)); err != nil {
		t.Fatal(err)
	}
	if !m.Exists("thidua:{b:b1}:doc") || !m.Exists("thidua:{b:b1}:log") || !m.Exists("thidua:chat:-100") {
		t.Errorf("keys after CreateBlock with the default prefix: %v", m.Keys())
	}
	if err := s.Ping(t.Context()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

// TestRedisArchiveYearKey checks where ArchiveYear keeps a year: a hash
// of its own on the block's slot, under the store's prefix (so that a
// test's cleanup deletes it with the other keys), holding the document's
// fields; and that ArchivedYear leaves the cache of current blocks alone.
func TestRedisArchiveYearKey(t *testing.T) {
	var key string
	t.Run("archive", func(t *testing.T) {
		client, prefix := storagetest.Redis(t)
		s := storagetest.Checked(t, storage.NewRedis(client, prefix))
		ctx := t.Context()
		if err := s.CreateBlock(ctx, storagetest.NewBlock(t, "b1", -100, "Sở Tư pháp")); err != nil {
			t.Fatal(err)
		}
		if err := s.ArchiveYear(ctx, "b1", 2025, 1); err != nil {
			t.Fatal(err)
		}
		key = prefix + "{b:b1}:year:2025"
		if typ := client.Type(ctx, key).Val(); typ != "hash" {
			t.Fatalf("%s is a %q after ArchiveYear, want a hash; keys: %v", key, typ, client.Keys(ctx, prefix+"*").Val())
		}
		if keys := client.Keys(ctx, prefix+"*").Val(); !slices.Contains(keys, key) {
			t.Errorf("keys under the prefix %v lack %s", keys, key)
		}
		doc, err := client.HGetAll(ctx, prefix+"{b:b1}:doc").Result()
		if err != nil {
			t.Fatal(err)
		}
		if year := client.HGetAll(ctx, key).Val(); !maps.Equal(year, doc) {
			t.Errorf("%s holds %v, want the document's fields %v", key, year, doc)
		}

		if _, err := s.Update(ctx, "b1", func(b *thidua.Block) error {
			return b.Rename(storagetest.Admin, "Khối B", storagetest.Now)
		}); err != nil {
			t.Fatal(err)
		}
		if got, err := s.ArchivedYear(ctx, "b1", 2025); err != nil || got.Version != 1 {
			t.Fatalf("ArchivedYear = %+v, %v; want version 1", got, err)
		}
		if got := s.CachedBlockByChat(-100); got == nil || got.Version != 2 || got.Name != "Khối B" {
			t.Errorf("cached after ArchivedYear: %+v; want version 2, Khối B", got)
		}
	})
	rawURL := os.Getenv(storagetest.RedisURLEnv)
	if rawURL == "" || key == "" {
		return // miniredis went with the subtest, and its keys with it
	}
	opts, err := storage.ParseRedisURL(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	client := redis.NewUniversalClient(opts)
	defer client.Close()
	if n, err := client.Exists(t.Context(), key).Result(); err != nil || n != 0 {
		t.Errorf("%s after the test's cleanup: %d keys, %v; want it deleted", key, n, err)
	}
}
