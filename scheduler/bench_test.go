package scheduler_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"thiduabot/scheduler"
	"thiduabot/storage"
	"thiduabot/storage/storagetest"
)

// noRun fails the benchmark if any block is run.
type noRun struct{ b *testing.B }

func (n noRun) RunDue(context.Context, string, time.Time) error {
	n.b.Error("a block ran although nothing is due")
	return nil
}

// BenchmarkTickNothingDue measures a tick when none of 100,000 blocks is due:
// one range query of the due index, whatever the number of blocks. The
// entries are written directly under the documented key (storage.Redis), due
// over the next 100 days. It uses the Redis of TEST_REDIS_URL, else miniredis.
func BenchmarkTickNothingDue(b *testing.B) {
	const blocks = 100_000
	client, prefix := storagetest.Redis(b)
	ctx := b.Context()
	start := now.Add(time.Minute)
	for from := 0; from < blocks; from += 10_000 {
		_, err := client.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i := from; i < from+10_000; i++ {
				at := start.Add(time.Duration(i) * (100 * 24 * time.Hour / blocks))
				p.ZAdd(ctx, prefix+"due", redis.Z{Score: float64(at.Unix()), Member: "b" + strconv.Itoa(i)})
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if n, err := client.ZCard(ctx, prefix+"due").Result(); err != nil || n != blocks {
		b.Fatalf("%d entries, %v", n, err)
	}
	st := storage.NewRedis(client, prefix)
	s := scheduler.New(scheduler.Config{Store: st, Runner: noRun{b}, Log: quiet})
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Tick(ctx, now); err != nil {
			b.Fatal(err)
		}
	}
}
