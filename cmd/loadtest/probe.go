package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"thiduabot/bot"
	"thiduabot/telegramtest"
)

// This file holds the two probes of a run: one on the fake Bot API, which
// sees each answer the bot gives as the fake accepts it, and one on the
// Redis client, which counts round trips and attributes them to
// the update being handled.

// answerKey names the answer a user waits for: the reply to their message
// (chat and message id) or the answer to their button press (query id).
type answerKey struct {
	chat    int64
	message int
	query   string
}

// answer is what the probe saw of the bot's answer to one update.
type answer struct {
	at   time.Time // when the fake accepted it
	text string
}

// tracker matches the bot's answers with the updates users wait on. An
// answer may come before its update is registered: it is then kept until
// the user asks for it.
type tracker struct {
	mu      sync.Mutex
	waiting map[answerKey]chan answer
	early   map[answerKey]answer
}

func newTracker() *tracker {
	return &tracker{waiting: map[answerKey]chan answer{}, early: map[answerKey]answer{}}
}

// expect returns a channel that receives the answer for k once it comes.
func (t *tracker) expect(k answerKey) <-chan answer {
	ch := make(chan answer, 1)
	t.mu.Lock()
	defer t.mu.Unlock()
	if a, ok := t.early[k]; ok {
		delete(t.early, k)
		ch <- a
		return ch
	}
	t.waiting[k] = ch
	return ch
}

// forget drops the wait for k (a user that gave up).
func (t *tracker) forget(k answerKey) {
	t.mu.Lock()
	delete(t.waiting, k)
	t.mu.Unlock()
}

// answered delivers an answer; only the first answer for k counts.
func (t *tracker) answered(k answerKey, a answer) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if ch, ok := t.waiting[k]; ok {
		delete(t.waiting, k)
		ch <- a
		return
	}
	if _, ok := t.early[k]; !ok {
		t.early[k] = a
	}
}

// observe is the fake's observer of answers (telegramtest.Server.OnAnswer):
// it tells the tracker of each reply to a message and each callback
// answer, with the time the fake accepted it.
func (t *tracker) observe(a telegramtest.Answer) {
	switch {
	case a.QueryID != "":
		t.answered(answerKey{query: a.QueryID}, answer{at: a.At, text: a.Text})
	case a.ReplyTo != 0:
		t.answered(answerKey{chat: a.ChatID, message: a.ReplyTo}, answer{at: a.At, text: a.Text})
	}
}

// roundTrips is a go-redis hook counting round trips: every command sent on
// its own and every pipeline or transaction (MULTI/EXEC) is one. Those made
// while handling an update (bot.UpdateID of the call's context) are also
// recorded with their time, so that they can be split into before and after
// the update's answer.
type roundTrips struct {
	total atomic.Int64

	mu       sync.Mutex
	byUpdate map[int64][]time.Time
}

func newRoundTrips() *roundTrips { return &roundTrips{byUpdate: map[int64][]time.Time{}} }

// reset forgets what was counted so far.
func (c *roundTrips) reset() {
	c.total.Store(0)
	c.mu.Lock()
	c.byUpdate = map[int64][]time.Time{}
	c.mu.Unlock()
}

func (c *roundTrips) count(ctx context.Context) {
	c.total.Add(1)
	if id := bot.UpdateID(ctx); id != 0 {
		at := time.Now()
		c.mu.Lock()
		c.byUpdate[id] = append(c.byUpdate[id], at)
		c.mu.Unlock()
	}
}

// of returns the start times of the round trips made for the update.
func (c *roundTrips) of(updateID int64) []time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byUpdate[updateID]
}

// DialHook implements redis.Hook.
func (c *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

// ProcessHook implements redis.Hook.
func (c *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.count(ctx)
		return next(ctx, cmd)
	}
}

// ProcessPipelineHook implements redis.Hook.
func (c *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		c.count(ctx)
		return next(ctx, cmds)
	}
}
