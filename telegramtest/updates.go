package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// maxUpdatesLimit is the most updates one getUpdates call returns.
const maxUpdatesLimit = 100

// Update is an update the server enqueued for the bot.
type Update struct {
	// ID is the update_id; pass it to WaitConfirmed to wait until the bot
	// has handled the update.
	ID int
	// Message is the message a user posted, nil for callback queries and
	// raw updates.
	Message *Message
	// CallbackQueryID is the id of a button press, empty otherwise.
	CallbackQueryID string
}

// updateQueue holds the updates the bot has not confirmed yet.
type updateQueue struct {
	nextID int
	// pending holds unconfirmed updates, ordered by update_id.
	pending []wireUpdate
	// history holds every update ever enqueued, by update_id.
	history map[int]wireUpdate
	// polls counts getUpdates calls; a long poll that sees it change was
	// superseded by a newer call.
	polls uint64
	// allowed are the kinds of update the bot last asked for with
	// allowed_updates (getUpdates, setWebhook); empty for Telegram's
	// default (see wants).
	allowed []string
}

// offByDefault are the kinds of update Telegram sends only to a bot that
// names them in allowed_updates.
var offByDefault = []string{"chat_member", "message_reaction", "message_reaction_count"}

// wants reports whether the bot asked for updates of kind: named in its
// allowed_updates or, when it named none, any kind but those off by
// default. As on Telegram, the choice applies to updates made after it.
func (q *updateQueue) wants(kind string) bool {
	if len(q.allowed) == 0 {
		return !slices.Contains(offByDefault, kind)
	}
	return slices.Contains(q.allowed, kind)
}

// allowedUpdates reads the allowed_updates parameter of getUpdates and
// setWebhook, and reports whether there is one: without it (or with null)
// the bot's previous choice stands.
func (r *apiRequest) allowedUpdates() (kinds []string, set bool, err *apiError) {
	raw := r.str("allowed_updates")
	if raw == "" || raw == "null" {
		return nil, false, nil
	}
	if json.Unmarshal([]byte(raw), &kinds) != nil {
		return nil, false, badRequest("can't parse allowed updates JSON object")
	}
	return kinds, true, nil
}

// newUpdateQueue returns an empty queue whose first update_id is random, as
// on Telegram.
func newUpdateQueue() updateQueue {
	return updateQueue{nextID: 100000 + rand.IntN(900000), history: map[int]wireUpdate{}}
}

// enqueueLocked gives u the next update_id, queues it for the bot and
// returns the id.
func (s *Server) enqueueLocked(u wireUpdate) int {
	q := &s.queue
	u.UpdateID = q.nextID
	q.nextID++
	q.history[u.UpdateID] = u
	q.pending = append(q.pending, u)
	s.notifyLocked()
	return u.UpdateID
}

// index returns the position of update id in pending, and whether it is
// there.
func (q *updateQueue) index(id int) (int, bool) {
	i := sort.Search(len(q.pending), func(i int) bool { return q.pending[i].UpdateID >= id })
	return i, i < len(q.pending) && q.pending[i].UpdateID == id
}

// confirm forgets the updates an offset confirms: those below a positive
// offset, or all but the last -offset ones for a negative offset.
func (q *updateQueue) confirm(offset int) {
	switch {
	case offset > 0:
		i, _ := q.index(offset)
		q.pending = q.pending[i:]
	case offset < 0:
		if keep := -offset; keep < len(q.pending) {
			q.pending = q.pending[len(q.pending)-keep:]
		}
	}
}

// confirmID forgets update id.
func (q *updateQueue) confirmID(id int) {
	if i, ok := q.index(id); ok {
		q.pending = append(q.pending[:i:i], q.pending[i+1:]...)
	}
}

// from returns up to limit pending updates with an update_id of at least
// offset.
func (q *updateQueue) from(offset, limit int) []wireUpdate {
	i, _ := q.index(offset)
	n := min(len(q.pending)-i, limit)
	return append([]wireUpdate(nil), q.pending[i:i+n]...)
}

// handleGetUpdates serves getUpdates, with Telegram's offset, limit and
// long-poll semantics. Of two calls waiting at once the older one ends with
// 409 Conflict.
func (s *Server) handleGetUpdates(r *apiRequest) (any, *apiError) {
	offset, err := r.integer("offset", 0, badRequest("invalid offset specified"))
	if err != nil {
		return nil, err
	}
	limit, err := r.integer("limit", maxUpdatesLimit, badRequest("invalid limit specified"))
	if err != nil {
		return nil, err
	}
	if limit < 1 || limit > maxUpdatesLimit {
		limit = maxUpdatesLimit
	}
	timeout, err := r.integer("timeout", 0, badRequest("invalid timeout specified"))
	if err != nil {
		return nil, err
	}
	allowed, setAllowed, err := r.allowedUpdates()
	if err != nil {
		return nil, err
	}

	s.mu.Lock()
	if s.hook.active() {
		s.mu.Unlock()
		return nil, errWebhookActive
	}
	s.queue.polls++
	poll := s.queue.polls
	if setAllowed {
		s.queue.allowed = allowed
	}
	s.queue.confirm(int(offset))
	s.notifyLocked()
	s.mu.Unlock()

	ctx := r.ctx
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(timeout)*time.Second)
		defer cancel()
	}
	result := []wireUpdate{}
	var refused *apiError
	// A timeout, a vanished client or a closing server all end the poll
	// with whatever was found: nothing.
	_ = s.await(ctx, func() bool {
		switch {
		case s.queue.polls != poll:
			refused = conflict("terminated by other getUpdates request; make sure that only one bot instance is running")
		case s.hook.active():
			refused = errWebhookActive
		default:
			result = s.queue.from(int(offset), int(limit))
			return len(result) > 0 || timeout <= 0
		}
		return true
	})
	if refused != nil {
		return nil, refused
	}
	if result == nil {
		result = []wireUpdate{}
	}
	return result, nil
}

// Deliver enqueues a hand-made update, giving it the next update_id, which
// it returns.
func (s *Server) Deliver(u tgbotapi.Update) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enqueueLocked(wireOf(u))
}

// Redeliver enqueues again an update the bot already confirmed, with the
// same update_id, as Telegram does when a bot crashed before confirming.
// It fails when the update is unknown or still pending.
func (s *Server) Redeliver(updateID int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.queue.history[updateID]
	if !ok {
		return fmt.Errorf("telegramtest: unknown update %d", updateID)
	}
	i, pending := s.queue.index(updateID)
	if pending {
		return fmt.Errorf("telegramtest: update %d is still pending", updateID)
	}
	s.queue.pending = append(s.queue.pending[:i], append([]wireUpdate{u}, s.queue.pending[i:]...)...)
	s.notifyLocked()
	return nil
}

// Pending returns how many updates the bot has not confirmed yet.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue.pending)
}

// WaitConfirmed waits until the bot has confirmed update updateID: by a
// getUpdates call with a higher offset, or by a 2xx answer to its webhook
// delivery. This is how a test knows the bot finished handling an update.
func (s *Server) WaitConfirmed(updateID int, timeout time.Duration) error {
	var unknown bool
	err := s.awaitFor(timeout, fmt.Sprintf("the bot to confirm update %d", updateID), func() bool {
		if _, ok := s.queue.history[updateID]; !ok {
			unknown = true
			return true
		}
		_, pending := s.queue.index(updateID)
		return !pending
	})
	if err == nil && unknown {
		return fmt.Errorf("telegramtest: unknown update %d", updateID)
	}
	return err
}

// WaitIdle waits until the bot has confirmed every update.
func (s *Server) WaitIdle(timeout time.Duration) error {
	return s.awaitFor(timeout, "the bot to confirm every update", func() bool {
		return len(s.queue.pending) == 0
	})
}
