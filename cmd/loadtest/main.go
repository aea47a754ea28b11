// Command loadtest measures thiduabot under load: the real bot (API client,
// sender, dispatcher, poller, handlers, Redis store) against the in-process
// fake Bot API (telegramtest) and a real Redis.
//
//	go run ./cmd/loadtest -redis redis://127.0.0.1:6379/15 -groups 100 -reps 7 -ops 10
//
// Scenarios (-scenarios, comma-separated, all by default):
//
//	echo    the baseline: the same intake, dispatch and sender with a handler
//	        that only replies, no storage
//	pledge  representatives register pledges (/pledge)
//	result  representatives submit their unit's report for a period (/report)
//	vote    representatives press candidates on a secret ballot
//	fanout  one scheduler tick sends the reminders of -blocks blocks due in
//	        the same minute, within Telegram's limits, to a fake enforcing them
//	memory  the Redis memory of one year-end block
//
// In the first four, every representative of -groups groups (-reps each)
// acts -ops times, each time waiting for the bot's answer (a closed loop of
// groups × reps users), and the command reports for each scenario:
//
//   - updates/s: updates handled over the time from the first update sent
//     until the bot has finished with the last one;
//   - p50, p99: answer latency, from the moment the fake enqueues an update
//     to the moment it accepts the bot's answer (the reply to the message,
//     or the answer to the button press);
//   - rt/upd: Redis round trips per update (every command sent alone and
//     every pipeline, transaction or script counted once, by a go-redis
//     hook), all of them; and rt-before-answer: those made while handling
//     the update before its answer, which the update waits for one after the
//     other;
//   - allocs/upd: heap allocations of the whole process (bot, fake and load
//     generator) per update, from runtime.MemStats;
//   - peak heap and sys: the highest heap in use and memory obtained from
//     the system, sampled every 10 ms.
//
// Every key is written under a prefix of the run's own and deleted at the
// end (SCAN and DEL; the database is never flushed). See BENCHMARKS.md.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"text/tabwriter"

	"github.com/redis/go-redis/v9"
)

func main() {
	if err := loadtest(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest: "+err.Error())
		os.Exit(1)
	}
}

// report is everything a run measured, as -json writes it.
type report struct {
	Machine   string         `json:"machine"`
	Options   map[string]any `json:"options"`
	Scenarios []result       `json:"scenarios,omitempty"`
	Fanout    *fanoutResult  `json:"fanout,omitempty"`
	Memory    *memoryResult  `json:"memory,omitempty"`
}

func loadtest(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	redisURL := fs.String("redis", "redis://127.0.0.1:6379/15", "the Redis to use (keys go under a prefix of the run's own and are deleted at the end)")
	var o options
	fs.IntVar(&o.groups, "groups", 100, "groups (blocks) in the pledge, result, vote and echo scenarios")
	fs.IntVar(&o.reps, "reps", 7, "representatives per group, one per unit")
	fs.IntVar(&o.ops, "ops", 10, "actions of each representative (at most 50 for pledge)")
	fs.IntVar(&o.pledges, "pledges", 20, "pledges of each unit in the result and vote scenarios")
	fs.IntVar(&o.workers, "workers", 0, "the dispatcher's workers (0: its default)")
	blocks := fs.Int("blocks", 1000, "blocks in the fanout scenario")
	which := fs.String("scenarios", "echo,pledge,result,vote,fanout,memory", "the scenarios to run, in order")
	jsonOut := fs.String("json", "", "also write the figures as JSON to this file")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of each throughput scenario's measured load to this path, followed by .<scenario>")
	fs.StringVar(&o.memProfile, "memprofile", "", "write the allocations profile of the process before and after each throughput scenario's measured load to this path, followed by .<scenario>.base and .<scenario> (compare them with go tool pprof -diff_base)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.groups < 1 || o.reps < 1 || o.ops < 1 || o.pledges < 1 || *blocks < 1 {
		return fmt.Errorf("-groups, -reps, -ops, -pledges and -blocks must be positive")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	root := "thidua-loadtest:" + randomHex(6) + ":"
	rep := report{
		Machine: fmt.Sprintf("%s/%s, %d CPUs, %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version()),
		Options: map[string]any{"groups": o.groups, "reps": o.reps, "ops": o.ops, "pledges": o.pledges, "workers": o.workers, "blocks": *blocks},
	}
	cleanup, err := dial(ctx, *redisURL)
	if err != nil {
		return err
	}
	defer func() {
		n, err := deleteKeys(context.Background(), cleanup, root)
		if err != nil {
			fmt.Fprintf(os.Stderr, "loadtest: deleting the keys under %s: %v\n", root, err)
		} else {
			fmt.Fprintf(out, "deleted %d keys under %s\n", n, root)
		}
		_ = cleanup.Close()
	}()
	fmt.Fprintf(out, "machine: %s; redis: %s\n", rep.Machine, redisVersion(ctx, cleanup))

	scenarios := map[string]scenario{"echo": echoScenario, "pledge": pledgeScenario, "result": resultScenario, "vote": voteScenario}
	for _, name := range strings.Split(*which, ",") {
		name = strings.TrimSpace(name)
		rt := newRoundTrips()
		store, client, err := openRedis(ctx, *redisURL, root+name+":", rt)
		if err != nil {
			return err
		}
		switch name {
		case "fanout":
			var res fanoutResult
			res, err = runFanout(ctx, *blocks, store)
			rep.Fanout = &res
			fmt.Fprintf(out, "fanout: %d blocks, %d reminders sent in %.1f s: %.1f msg/s, %d answered 429, %d groups without exactly one\n",
				res.Blocks, res.Sent, res.Seconds, res.PerSec, res.TooMany, res.Missing)
		case "memory":
			var res memoryResult
			res, err = runMemory(ctx, store, client, root+name+":")
			rep.Memory = &res
			fmt.Fprintf(out, "memory of a year-end block: document %d bytes (MEMORY USAGE %d), history %d entries (%d), chat binding %d: %d bytes in all\n",
				res.DocBytes, res.DocMemory, res.HistoryEntries, res.HistoryMemory, res.ChatMemory, res.Total)
		default:
			sc, ok := scenarios[name]
			if !ok {
				_ = store.Close()
				return fmt.Errorf("unknown scenario %q", name)
			}
			var res result
			res, err = runScenario(ctx, sc, o, store, client, rt)
			rep.Scenarios = append(rep.Scenarios, res)
			fmt.Fprintf(out, "%s: %d updates in %.1f s\n", name, res.Updates, res.Seconds)
		}
		_ = store.Close()
		if err != nil {
			return err
		}
	}
	printTable(out, rep.Scenarios)
	if *jsonOut != "" {
		data, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*jsonOut, append(data, '\n'), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// printTable prints the figures of the throughput scenarios, with each
// one's updates/s relative to the echo baseline's.
func printTable(out io.Writer, results []result) {
	if len(results) == 0 {
		return
	}
	echo := 0.0
	for _, r := range results {
		if r.Scenario == "echo" {
			echo = r.PerSec
		}
	}
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "scenario\tupdates\tfailed\tupdates/s\tof echo\tp50 ms\tp99 ms\trt/upd\trt before answer\tallocs/upd\tcpu µs/upd\tredis cpu µs/upd\tpeak heap MiB\tpeak sys MiB\t")
	for _, r := range results {
		rel := "-"
		if echo > 0 {
			rel = fmt.Sprintf("%.0f%%", 100*r.PerSec/echo)
		}
		fmt.Fprintf(w, "%s\t%d\t%d\t%.0f\t%s\t%.1f\t%.1f\t%.2f\t%.2f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t\n",
			r.Scenario, r.Updates, r.Failed, r.PerSec, rel, r.P50ms, r.P99ms, r.RoundTrips, r.RoundTripsBefore, r.Allocs, r.CPUus, r.RedisCPUus, r.PeakHeapMiB, r.PeakSysMiB)
	}
	_ = w.Flush()
}

// redisVersion returns the server's version, or "?".
func redisVersion(ctx context.Context, client redis.UniversalClient) string {
	info, err := client.Info(ctx, "server").Result()
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "redis_version:"); ok {
			return "Redis " + v
		}
	}
	return "?"
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
