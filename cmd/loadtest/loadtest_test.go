package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"thiduabot/storage"
	"thiduabot/storage/storagetest"
)

// newStore returns a store on the test's Redis (TEST_REDIS_URL, else
// miniredis), its client, and the round-trip counter hooked into it. The
// store is closed at the end of the test, as the command closes it: the
// notes it still holds are written first.
func newStore(t testing.TB) (*storage.Redis, redis.UniversalClient, *roundTrips) {
	client, prefix := storagetest.Redis(t)
	rt := newRoundTrips()
	client.AddHook(rt)
	store := storage.NewRedis(client, prefix)
	t.Cleanup(func() {
		if err := store.Close(); err != nil {
			t.Errorf("closing the store: %v", err)
		}
	})
	return store, client, rt
}

// Every scenario of the load command runs, briefly, and every update is
// answered as a success.
func TestScenarios(t *testing.T) {
	o := options{groups: 2, reps: 3, ops: 3, pledges: 4}
	for _, sc := range []scenario{echoScenario, pledgeScenario, resultScenario, voteScenario} {
		t.Run(sc.name, func(t *testing.T) {
			store, client, rt := newStore(t)
			res, err := runScenario(t.Context(), sc, o, store, client, rt)
			if err != nil {
				t.Fatal(err)
			}
			if res.Updates != 18 || res.Failed != 0 || res.PerSec <= 0 {
				t.Errorf("%+v", res)
			}
			// The paths under test write on the block the bot has cached:
			// one round trip before the answer. A report's confirmation is
			// noted after it, in batches of the notes of 10 ms: up to one
			// round trip more per report in a run this small, a fraction
			// of one in a busy run. A write that lost a race with another
			// writer of the block costs one more (rare; allowed for a few
			// updates in a busy run).
			before := map[string]float64{"echo": 0, "pledge": 1, "result": 1, "vote": 1}[sc.name]
			if res.RoundTripsBefore < before || res.RoundTripsBefore > before+0.25 {
				t.Errorf("%.2f round trips before the answer, want %v", res.RoundTripsBefore, before)
			}
			all := map[string]float64{"echo": 0, "pledge": 1, "result": 1, "vote": 1}[sc.name]
			notes := map[string]float64{"result": 1}[sc.name]
			if res.RoundTrips < all || res.RoundTrips > all+notes+0.25 {
				t.Errorf("%.2f round trips in all, want %v", res.RoundTrips, all)
			}
		})
	}
	t.Run("fanout", func(t *testing.T) {
		store, _, _ := newStore(t)
		res, err := runFanout(t.Context(), 5, store)
		if err != nil {
			t.Fatal(err)
		}
		if res.Sent != 5 || res.Missing != 0 || res.TooMany != 0 {
			t.Errorf("%+v", res)
		}
	})
	t.Run("memory", func(t *testing.T) {
		if os.Getenv(storagetest.RedisURLEnv) == "" {
			t.Skip("MEMORY USAGE needs a real Redis: set " + storagetest.RedisURLEnv)
		}
		client, prefix := storagetest.Redis(t)
		res, err := runMemory(t.Context(), storage.NewRedis(client, prefix), client, prefix)
		if err != nil {
			t.Fatal(err)
		}
		if res.DocBytes == 0 || res.HistoryEntries == 0 || res.Total < res.DocBytes {
			t.Errorf("%+v", res)
		}
	})
}

// The command checks its flags and prints a table.
func TestCommandLine(t *testing.T) {
	var out bytes.Buffer
	if err := loadtest([]string{"-groups", "0"}, &out); err == nil {
		t.Error("-groups 0 accepted")
	}
	url := os.Getenv(storagetest.RedisURLEnv)
	if url == "" {
		m, _ := storagetest.Miniredis(t)
		url = "redis://" + m.Addr() + "/0"
	}
	if err := loadtest([]string{"-redis", url, "-groups", "1", "-reps", "2", "-ops", "2", "-scenarios", "echo,vote"}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"scenario", "echo", "vote", "deleted"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// benchScenario runs sc with b.N updates in all, from 20 groups of 7
// representatives (more groups for pledges, of which a unit has 50 at
// most), and reports the load command's figures. Use a real Redis
// (TEST_REDIS_URL): miniredis measures miniredis.
func benchScenario(b *testing.B, sc scenario) {
	o := options{groups: 20, reps: 7, pledges: 20}
	users := o.groups * o.reps
	o.ops = max(1, (b.N+users-1)/users)
	if sc.name == "pledge" && o.ops > 40 {
		o.ops = 40
		o.groups = (b.N + 40*o.reps - 1) / (40 * o.reps)
	}
	store, client, rt := newStore(b)
	r, err := startRun(b.Context(), sc, o, store, client, rt)
	if err != nil {
		b.Fatal(err)
	}
	defer r.close()
	b.ResetTimer()
	res, err := r.measure(b.Context())
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if res.Failed > 0 {
		b.Fatalf("%d updates failed", res.Failed)
	}
	b.ReportMetric(res.PerSec, "updates/s")
	b.ReportMetric(res.P50ms, "p50-ms")
	b.ReportMetric(res.P99ms, "p99-ms")
	b.ReportMetric(res.RoundTrips, "rt/update")
	b.ReportMetric(res.RoundTripsBefore, "rt-before-answer/update")
	b.ReportMetric(res.Allocs, "allocs/update")
}

func BenchmarkEcho(b *testing.B)   { benchScenario(b, echoScenario) }
func BenchmarkPledge(b *testing.B) { benchScenario(b, pledgeScenario) }
func BenchmarkResult(b *testing.B) { benchScenario(b, resultScenario) }
func BenchmarkVote(b *testing.B)   { benchScenario(b, voteScenario) }
