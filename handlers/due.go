package handlers

import (
	"context"
	"errors"
	"time"
)

// RunDue does the block's timed work that is due at now: closing elections,
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
		r.sendDueReminders,
	} {
		errs = append(errs, step(ctx, blockID, now))
	}
	return errors.Join(errs...)
}
