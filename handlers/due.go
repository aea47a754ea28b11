package handlers

import (
	"context"
	"errors"
	"fmt"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/thidua"
)

// RunDue does the block's timed work that is due at now: closing elections,
// posting the announcements the bot could not post when they were due,
// sending reminders. The scheduler calls it for every block whose
// thidua.Block.NextDue has come. Each step must be safe to run again for the
// same time (by several processes sharing one store): it records what it did
// in the block, so a repeated call finds nothing left to do. All steps run
// even when one fails; the errors are joined.
func (r *Router) RunDue(ctx context.Context, blockID string, now time.Time) error {
	var errs []error
	for _, step := range []func(context.Context, string, time.Time) error{
		// Each feature with timed work adds its step here.
		r.closeDueElections, // first: a closed election owes no reminder
		r.announceCovenantDue,
		r.sendDueReminders,
	} {
		errs = append(errs, step(ctx, blockID, now))
	}
	return errors.Join(errs...)
}

// announceRetryFor is how long the scheduler keeps trying to post what the
// group was not told when it happened (an election's result, the
// covenant's completion), one attempt per announceEvery window.
const (
	announceRetryFor = 24 * time.Hour
	announceEvery    = 5 * time.Minute
)

// claimAnnouncement takes the claim of the current announceEvery window on
// posting the announcement of subject (an election's id, the covenant's
// completion) in block blockID, and reports whether this process got it.
// The change's request and every replica's scheduler claim the same key
// before they post, so that one of them posts in a window; should it fail,
// the announcement stays pending and the scheduler tries again in the
// next window.
func (r *Router) claimAnnouncement(ctx context.Context, blockID, subject string) (bool, error) {
	window := r.now().Truncate(announceEvery).Unix()
	return r.cfg.Store.Claim(ctx, fmt.Sprintf("announce:%s:%s:%d", blockID, subject, window), 2*announceEvery)
}

// gaveUp reports whether the announcement of what, pending from the time
// since, has had its announceRetryFor of attempts by now. If so it logs
// that the group was never told (naming the block, and attrs) and records
// by mark, a change of part, that it is pending no more: the scheduler
// stops trying, and what it would have said stays in the bot's answers
// (/result, /covenant).
func (r *Router) gaveUp(ctx context.Context, blockID, what string, since, now time.Time, part thidua.Part, mark func(*thidua.Block) error, attrs ...any) bool {
	if now.Sub(since) <= announceRetryFor {
		return false
	}
	r.cfg.Log.Warn(what+" never announced; giving up", append([]any{"block", blockID}, attrs...)...)
	r.remember(ctx, blockID, what+" announcement given up", part, mark)
	return true
}

// groupRequest is a request addressed to the group of block b, in its home
// topic, without an update behind it, for what the scheduler announces.
func (r *Router) groupRequest(ctx context.Context, b *thidua.Block) *request {
	return &request{ctx: ctx, r: r, chat: &tgbotapi.Chat{ID: b.ChatID, Type: "supergroup"}, thread: b.HomeThread(), lang: r.cfg.Lang}
}
