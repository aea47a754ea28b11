package thidua

import "time"

// NextDue returns the earliest time at which the scheduler must act on the
// block (close an election, send a reminder), or the zero time when nothing is
// scheduled. Storage keeps a due index from it, written in the same
// transaction as the block, so a scheduler tick costs time in proportion to
// what is due rather than to the number of blocks. It must depend only on the
// block's state.
func (b *Block) NextDue() time.Time {
	var next time.Time
	for _, t := range []time.Time{
		// Each feature with timed work adds its next due time here.
		b.nextReminderDue(),
		b.nextElectionDue(),
	} {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	return next
}
