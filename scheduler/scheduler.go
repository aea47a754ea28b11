// Package scheduler runs the blocks' timed work (reminders, deadline
// follow-ups) when it falls due, once per slot across processes.
//
// A cron job (robfig/cron/v3, in the configured time zone, with panic
// recovery) ticks every minute. Each tick asks the store's due index for the
// blocks whose next due time has come (one range query: the cost follows
// what is due, not the number of blocks), runs each block's due work through
// the Runner with bounded concurrency, and then refreshes the block's entry
// from its new NextDue. The Runner records in the block what it did and
// claims each reminder in the store before sending it, so a repeated run, a
// restart or a second process sharing the store finds nothing left to do.
//
// One minute-tick over a due index, rather than a cron entry per reminder,
// keeps the schedule in the blocks' state, where every process sees the same
// one: nothing to rebuild at start-up or to keep in step when a deadline
// changes, and work missed while the bot was down is simply found due by the
// first tick after it comes back (robfig/cron itself never catches up).
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// Defaults of Config.
const (
	DefaultBatch   = 100
	DefaultWorkers = 8
	// TickTimeout bounds one tick, so that a hung call cannot stop the
	// schedule: cron skips ticks while one is still running.
	TickTimeout = 10 * time.Minute
	// spec is the cron schedule of the tick: every minute.
	spec = "* * * * *"
)

// Runner does a block's work that is due at now. It must be safe to call
// again for the same block and time, by several processes at once; the
// handlers' Router implements it.
type Runner interface {
	RunDue(ctx context.Context, blockID string, now time.Time) error
}

// DueIndex is the part of storage.Store the scheduler uses.
type DueIndex interface {
	// DueBlocks returns the ids of up to limit blocks due at or before
	// until, earliest first.
	DueBlocks(ctx context.Context, until time.Time, limit int) ([]string, error)
	// RefreshDue sets the block's entry from its current NextDue.
	RefreshDue(ctx context.Context, id string) error
}

// Config is what a Scheduler needs.
type Config struct {
	// Store holds the due index.
	Store DueIndex
	// Runner does each due block's work.
	Runner Runner
	// Location is the time zone of the cron schedule. Defaults to UTC.
	Location *time.Location
	// Now returns the current time; tests replace it. Defaults to time.Now.
	Now func() time.Time
	// Log receives the scheduler's log lines. Defaults to slog.Default().
	Log *slog.Logger
	// Batch is how many due blocks a tick fetches at a time (DefaultBatch).
	Batch int
	// Workers is how many blocks run at once (DefaultWorkers).
	Workers int
}

// Scheduler ticks every minute and runs the blocks that are due.
type Scheduler struct {
	cfg  Config
	cron *cron.Cron
}

// New returns a Scheduler; Start starts it.
func New(cfg Config) *Scheduler {
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Batch <= 0 {
		cfg.Batch = DefaultBatch
	}
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultWorkers
	}
	logger := cronLogger{cfg.Log}
	c := cron.New(
		cron.WithLocation(cfg.Location),
		cron.WithLogger(logger),
		// Recover inside SkipIfStillRunning: a panic must not escape the
		// latter, which would then skip every later tick.
		cron.WithChain(cron.SkipIfStillRunning(logger), cron.Recover(logger)),
	)
	s := &Scheduler{cfg: cfg, cron: c}
	if _, err := c.AddFunc(spec, s.tickNow); err != nil {
		panic("scheduler: bad cron spec: " + err.Error()) // a constant: cannot happen
	}
	return s
}

// Start starts ticking every minute, in the background.
func (s *Scheduler) Start() { s.cron.Start() }

// Stop stops the ticks and waits for a running tick to finish, so that no
// reminder is left claimed but unsent.
func (s *Scheduler) Stop() { <-s.cron.Stop().Done() }

// tickNow is the cron job: one tick at the current time.
func (s *Scheduler) tickNow() {
	ctx, cancel := context.WithTimeout(context.Background(), TickTimeout)
	defer cancel()
	if err := s.Tick(ctx, s.cfg.Now()); err != nil {
		s.cfg.Log.Error("scheduler tick", "err", err)
	}
}

// Tick runs every block due at now: it fetches due blocks in batches
// (earliest first), runs each through the Runner, Workers at a time, then
// refreshes its entry in the due index. A block still due after its run
// (its work failed, to be tried again next tick) is not run twice in one
// tick. A tick with nothing due costs one query of the index. It returns
// the failures joined; one block's failure does not hold up the others.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) error {
	done := map[string]bool{}
	var errs []error
	limit := s.cfg.Batch
	for {
		ids, err := s.cfg.Store.DueBlocks(ctx, now, limit)
		if err != nil {
			return errors.Join(append(errs, fmt.Errorf("scheduler: %w", err))...)
		}
		var batch []string
		stale := 0 // blocks run earlier in this tick and still due
		for _, id := range ids {
			if done[id] {
				stale++
				continue
			}
			batch = append(batch, id)
			done[id] = true
		}
		failed := s.run(ctx, batch, now)
		errs = append(errs, failed...)
		if len(ids) < limit {
			return errors.Join(errs...) // nothing more is due
		}
		// Blocks already run that are still due (their work failed) come
		// back in the next fetch: ask for a batch more than those.
		limit = stale + len(failed) + s.cfg.Batch
		if len(batch) == 0 {
			limit = len(ids) + s.cfg.Batch
		}
	}
}

// run runs the blocks, Workers at a time, and returns their failures.
func (s *Scheduler) run(ctx context.Context, ids []string, now time.Time) []error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		sem  = make(chan struct{}, s.cfg.Workers)
	)
	for _, id := range ids {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := s.runBlock(ctx, id, now); err != nil {
				s.cfg.Log.Error("scheduled work failed", "block", id, "err", err)
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errs
}

// runBlock runs one block's due work and refreshes its entry in the due
// index, whatever the outcome. A panic is recovered and returned.
func (s *Scheduler) runBlock(ctx context.Context, id string, now time.Time) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("scheduler: block %s: panic: %v\n%s", id, p, debug.Stack())
		}
		if rerr := s.cfg.Store.RefreshDue(ctx, id); rerr != nil {
			err = errors.Join(err, fmt.Errorf("scheduler: block %s: %w", id, rerr))
		}
	}()
	if err := s.cfg.Runner.RunDue(ctx, id, now); err != nil {
		return fmt.Errorf("scheduler: block %s: %w", id, err)
	}
	return nil
}

// cronLogger passes robfig/cron's log lines to slog: its errors (recovered
// panics) at error level, its information (skipped ticks) at debug level.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, keysAndValues ...any) {
	l.log.Debug("cron: "+msg, keysAndValues...)
}

func (l cronLogger) Error(err error, msg string, keysAndValues ...any) {
	l.log.Error("cron: "+msg, append([]any{"err", err}, keysAndValues...)...)
}
