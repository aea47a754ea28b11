package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"thiduabot/internal/workload"
	"thiduabot/storage"
	"thiduabot/telegramtest"
)

// answerTimeout is how long a user waits for the bot's answer before the
// update counts as failed.
const answerTimeout = time.Minute

// scenario is one kind of load: what each representative sends, over and
// over, waiting for the bot's answer each time.
type scenario struct {
	name string
	// echo runs the baseline bot, which only replies and has no storage.
	echo bool
	// spec is each group's block before the load (not for echo).
	spec func(o options) blockSpec
	// prepare runs once the bot is up, before the load is measured.
	prepare func(ctx context.Context, r *run) error
	// act makes representative j of g do its i-th action, and returns the
	// update and the key of the answer to wait for.
	act func(r *run, g *group, j, i int) (telegramtest.Update, answerKey, error)
	// success tells the answer to a successful action from any other.
	success func(text string) bool
}

// options size a run.
type options struct {
	groups, reps, ops int
	// pledges is how many pledges each unit has in the blocks of the
	// result and vote scenarios.
	pledges int
	// workers is the dispatcher's number of workers (its default if 0).
	workers int
	// cpuProfile, if not empty, is where to write a CPU profile of the
	// measured load, followed by "." and the scenario's name.
	cpuProfile string
	// memProfile, if not empty, is where to write the allocations profile
	// of the process before and after each scenario's measured load,
	// followed by "." and the scenario's name, and ".base" for the first.
	memProfile string
}

// run is one scenario being run: the fake, the bot and the groups.
type run struct {
	sc     scenario
	opts   options
	tg     *telegramtest.Server
	store  *storage.Redis
	client redis.UniversalClient
	rt     *roundTrips
	stack  *stack
	groups []*group
	// reports are the messages of the result scenario, one a period, typed
	// once: the users' typing is not what the run measures.
	reports [4]string
}

// record is what a run measured of one update.
type record struct {
	id       int64
	enqueued time.Time
	answered time.Time // zero if no answer came in time
	ok       bool
}

// result is what a scenario measured.
type result struct {
	Scenario string  `json:"scenario"`
	Updates  int     `json:"updates"`
	Failed   int     `json:"failed"`
	Seconds  float64 `json:"seconds"`
	PerSec   float64 `json:"updates_per_s"`
	P50ms    float64 `json:"p50_ms"`
	P99ms    float64 `json:"p99_ms"`
	// RoundTrips is every Redis round trip of the run per update;
	// RoundTripsBefore only those an update waited for before its answer.
	RoundTrips       float64 `json:"redis_round_trips"`
	RoundTripsBefore float64 `json:"redis_round_trips_before_answer"`
	Allocs           float64 `json:"allocs_per_update"`
	// CPUus is the CPU time of this process (bot, fake and load generator)
	// per update, RedisCPUus Redis's, in microseconds.
	CPUus       float64 `json:"cpu_us_per_update"`
	RedisCPUus  float64 `json:"redis_cpu_us_per_update"`
	PeakHeapMiB float64 `json:"peak_heap_inuse_mib"`
	PeakSysMiB  float64 `json:"peak_sys_mib"`
}

// runScenario runs sc (see startRun), then lets every representative act
// opts.ops times, one action at a time, and measures. store, under a prefix
// of its own, is counted by rt; client is its client.
func runScenario(ctx context.Context, sc scenario, o options, store *storage.Redis, client redis.UniversalClient, rt *roundTrips) (result, error) {
	r, err := startRun(ctx, sc, o, store, client, rt)
	if err != nil {
		return result{}, err
	}
	defer r.close()
	return r.measure(ctx)
}

// startRun prepares sc: it builds the groups on a new fake (and their blocks
// in store, unless sc is the echo baseline), starts the bot and runs the
// scenario's preparation. The caller must close the run.
func startRun(ctx context.Context, sc scenario, o options, store *storage.Redis, client redis.UniversalClient, rt *roundTrips) (*run, error) {
	tg := telegramtest.NewServer(telegramtest.WithBotUsername("thiduabot"))
	r := &run{sc: sc, opts: o, tg: tg, store: store, client: client, rt: rt, groups: newGroups(tg, o.groups, o.reps)}
	for k := range r.reports {
		r.reports[k] = fmt.Sprintf("/report Kỳ %d\n%s", k+1, workload.Report(o.pledges))
	}
	if !sc.echo {
		if err := r.seed(ctx); err != nil {
			tg.Close()
			return nil, fmt.Errorf("%s: seeding the blocks: %w", sc.name, err)
		}
	}
	s, err := startStack(tg, store, stackConfig{echo: sc.echo, limits: unlimited, workers: o.workers})
	if err != nil {
		tg.Close()
		return nil, err
	}
	r.stack = s
	if sc.prepare != nil {
		if err := sc.prepare(ctx, r); err != nil {
			r.close()
			return nil, fmt.Errorf("%s: %w", sc.name, err)
		}
	}
	return r, nil
}

// close stops the bot and the fake.
func (r *run) close() {
	_ = r.stack.stop()
	r.tg.Close()
}

// seed stores every group's block, several groups at a time.
func (r *run) seed(ctx context.Context) error {
	spec := r.sc.spec(r.opts)
	now := time.Now().In(zone)
	return parallel(len(r.groups), func(i int) error {
		_, err := seedBlock(ctx, r.store, fmt.Sprintf("%s%d", r.sc.name, i+1), r.groups[i], spec, now)
		return err
	})
}

// parallel calls fn for 0..n-1, eight at a time, and returns the errors
// joined.
func parallel(n int, fn func(i int) error) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		sem  = make(chan struct{}, 8)
	)
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := fn(i); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// measure runs the load and measures it.
func (r *run) measure(ctx context.Context) (result, error) {
	runtime.GC()
	if r.opts.memProfile != "" {
		if err := writeAllocs(r.opts.memProfile + "." + r.sc.name + ".base"); err != nil {
			return result{}, err
		}
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	redisBefore := redisCPU(ctx, r.client)
	r.rt.reset()
	cpuBefore := processCPU()
	if r.opts.cpuProfile != "" {
		f, err := os.Create(r.opts.cpuProfile + "." + r.sc.name)
		if err != nil {
			return result{}, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return result{}, err
		}
		defer pprof.StopCPUProfile()
	}
	stopSampling := make(chan struct{})
	peak := make(chan memPeak, 1)
	go func() { peak <- sampleMemory(stopSampling) }()

	start := time.Now()
	records := make([][]record, len(r.groups)*r.opts.reps)
	var (
		wg      sync.WaitGroup
		errOnce sync.Once
		actErr  error
	)
	for gi, g := range r.groups {
		for j := range g.reps {
			wg.Go(func() {
				recs, err := r.user(ctx, g, j)
				records[gi*r.opts.reps+j] = recs
				if err != nil {
					errOnce.Do(func() { actErr = err })
				}
			})
		}
	}
	wg.Wait()
	// The run ends once the bot has finished with every update, including
	// what it does after answering.
	idleErr := r.tg.WaitIdle(answerTimeout)
	elapsed := time.Since(start)
	cpu, roundTrips := processCPU()-cpuBefore, r.rt.total.Load()
	redisUsed := redisCPU(ctx, r.client) - redisBefore
	close(stopSampling)
	runtime.ReadMemStats(&after)
	p := <-peak
	if r.opts.memProfile != "" {
		if err := writeAllocs(r.opts.memProfile + "." + r.sc.name); err != nil {
			return result{}, err
		}
	}
	if actErr != nil {
		return result{}, fmt.Errorf("%s: %w", r.sc.name, actErr)
	}
	if idleErr != nil {
		return result{}, fmt.Errorf("%s: %w", r.sc.name, idleErr)
	}
	if err := lostFormatting(r.tg); err != nil {
		return result{}, fmt.Errorf("%s: %w", r.sc.name, err)
	}
	all := slices.Concat(records...)
	res := result{
		Scenario: r.sc.name, Updates: len(all), Seconds: elapsed.Seconds(),
		PerSec:      float64(len(all)) / elapsed.Seconds(),
		RoundTrips:  float64(roundTrips) / float64(len(all)),
		Allocs:      float64(after.Mallocs-before.Mallocs) / float64(len(all)),
		CPUus:       float64(cpu.Microseconds()) / float64(len(all)),
		RedisCPUus:  float64(redisUsed.Microseconds()) / float64(len(all)),
		PeakHeapMiB: float64(p.heapInuse) / (1 << 20), PeakSysMiB: float64(p.sys) / (1 << 20),
	}
	var latencies []time.Duration
	beforeAnswer := 0
	for _, rec := range all {
		if rec.answered.IsZero() || !rec.ok {
			res.Failed++
		}
		if rec.answered.IsZero() {
			continue
		}
		latencies = append(latencies, rec.answered.Sub(rec.enqueued))
		for _, at := range r.rt.of(rec.id) {
			if at.Before(rec.answered) {
				beforeAnswer++
			}
		}
	}
	res.RoundTripsBefore = float64(beforeAnswer) / float64(max(len(latencies), 1))
	res.P50ms, res.P99ms = percentile(latencies, 0.50), percentile(latencies, 0.99)
	return res, nil
}

// lostFormatting returns an error naming the texts the bot sent to tg that
// lost formatting for making too many entities (see
// telegramtest.MaxEntities), or nil if none did.
func lostFormatting(tg *telegramtest.Server) error {
	losses := tg.FormattingLosses()
	if len(losses) == 0 {
		return nil
	}
	l := losses[0]
	return fmt.Errorf("%d texts lost formatting, the first (%s in chat %d) making %d entities", len(losses), l.Method, l.ChatID, l.Entities)
}

// user is one representative acting opts.ops times, each time waiting for
// the bot's answer.
func (r *run) user(ctx context.Context, g *group, j int) ([]record, error) {
	recs := make([]record, 0, r.opts.ops)
	for i := range r.opts.ops {
		if err := ctx.Err(); err != nil {
			return recs, err
		}
		enqueued := time.Now()
		u, key, err := r.sc.act(r, g, j, i)
		if err != nil {
			return recs, err
		}
		rec := record{id: int64(u.ID), enqueued: enqueued}
		select {
		case a := <-r.stack.tracker.expect(key):
			rec.answered, rec.ok = a.at, r.sc.success(a.text)
		case <-time.After(answerTimeout):
			r.stack.tracker.forget(key)
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

// percentile returns the p-quantile of ds in milliseconds (nearest rank).
func percentile(ds []time.Duration, p float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := min(int(p*float64(len(ds))), len(ds)-1)
	return float64(ds[i].Microseconds()) / 1000
}

// processCPU returns the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// redisCPU returns the CPU time Redis has used, user and system, from INFO
// (zero if it cannot tell).
func redisCPU(ctx context.Context, client redis.UniversalClient) time.Duration {
	info, err := client.Info(ctx, "cpu").Result()
	if err != nil {
		return 0
	}
	var total float64
	for _, line := range strings.Split(info, "\n") {
		k, v, _ := strings.Cut(strings.TrimSpace(line), ":")
		if k == "used_cpu_sys" || k == "used_cpu_user" {
			f, _ := strconv.ParseFloat(v, 64)
			total += f
		}
	}
	return time.Duration(total * float64(time.Second))
}

// memPeak is the highest memory use sampled during a run.
type memPeak struct{ heapInuse, sys uint64 }

// sampleMemory samples the heap in use and the memory obtained from the
// system every 10 ms (runtime/metrics: no stop of the world) until stop is
// closed, and returns the peaks.
func sampleMemory(stop <-chan struct{}) memPeak {
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/total:bytes"},
	}
	var p memPeak
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for {
		metrics.Read(samples)
		p.heapInuse = max(p.heapInuse, samples[0].Value.Uint64()+samples[1].Value.Uint64())
		p.sys = max(p.sys, samples[2].Value.Uint64())
		select {
		case <-stop:
			return p
		case <-t.C:
		}
	}
}

// The scenarios of a run.
var (
	echoScenario = scenario{
		name: "echo",
		echo: true,
		act: func(r *run, g *group, j, i int) (telegramtest.Update, answerKey, error) {
			return r.send(g, j, "/pledge "+workload.PledgeLine(i))
		},
		success: func(text string) bool { return strings.HasPrefix(text, "✅") },
	}
	pledgeScenario = scenario{
		name: "pledge",
		spec: func(o options) blockSpec { return blockSpec{units: o.reps} },
		act: func(r *run, g *group, j, i int) (telegramtest.Update, answerKey, error) {
			return r.send(g, j, "/pledge "+workload.PledgeLine(i))
		},
		success: func(text string) bool { return strings.HasPrefix(text, "✅ Đã ghi") },
	}
	resultScenario = scenario{
		name: "result",
		spec: func(o options) blockSpec { return blockSpec{units: o.reps, pledges: o.pledges, periods: 4} },
		act: func(r *run, g *group, j, i int) (telegramtest.Update, answerKey, error) {
			return r.send(g, j, r.reports[i%len(r.reports)])
		},
		success: func(text string) bool { return strings.HasPrefix(text, "📊 Đã ghi báo cáo") },
	}
	voteScenario = scenario{
		name: "vote",
		// One unit more than there are representatives: it never votes, so
		// the election stays open however often the others vote.
		spec: func(o options) blockSpec {
			return blockSpec{units: o.reps + 1, pledges: o.pledges, periods: 4, reportAll: true}
		},
		prepare: openElections,
		act: func(r *run, g *group, j, i int) (telegramtest.Update, answerKey, error) {
			buttons := g.ballot.Buttons
			b := buttons[(j+i)%len(buttons)][0]
			u, err := r.tg.Press(g.chat, g.reps[j], g.ballot, b.Data)
			return u, answerKey{query: u.CallbackQueryID}, err
		},
		success: func(text string) bool { return strings.HasPrefix(text, "✅") },
	}
)

// send makes representative j of g send text in the group.
func (r *run) send(g *group, j int, text string) (telegramtest.Update, answerKey, error) {
	u := r.tg.Send(g.chat, g.reps[j], text)
	return u, answerKey{chat: g.chat.ID, message: u.Message.ID}, nil
}

// openElections has every group's administrator open a secret election
// of next year's leader through the bot, and keeps each ballot message.
func openElections(ctx context.Context, r *run) error {
	for _, g := range r.groups {
		r.tg.Send(g.chat, g.admin, "/elect khoitruong")
	}
	if err := r.tg.WaitIdle(answerTimeout); err != nil {
		return err
	}
	for _, g := range r.groups {
		m, ok := r.tg.LastMessage(g.chat.ID)
		if !ok || len(m.Buttons) == 0 {
			return errors.New("no ballot in " + g.chat.Title + ": " + m.Text)
		}
		g.ballot = &m
	}
	return ctx.Err()
}

// writeAllocs writes the allocations profile of the process so far to path,
// after a collection, so that it holds every allocation made until then.
func writeAllocs(path string) error {
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
