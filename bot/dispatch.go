package bot

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Handler handles one update. A non-nil error is an unexpected failure: the
// dispatcher logs it and apologises to the user, unless it is ErrSaved or
// ErrDuplicate.
type Handler interface {
	Handle(ctx context.Context, u tgbotapi.Update) error
}

// ErrDuplicate is what a Handler returns for an update it recognised as
// handled before and skipped (a handler that dedupes updates itself, in its
// own store round trips): the Dispatcher then counts a duplicate and, as for
// duplicates it finds itself, neither apologises nor answers the update's
// callback query, which was answered the first time.
var ErrDuplicate = errors.New("bot: update handled before")

// ErrSaved is what a Handler returns, wrapped around its failure, when the
// update's change was saved before handling it failed (its confirmation
// could not be sent, or the handler panicked after the write) and the
// handler has told the user that the change is saved: the Dispatcher logs
// the failure and counts an error, but does not apologise, since an
// apology's "try again" would have the user make the change twice.
var ErrSaved = errors.New("bot: the update's change was saved")

// HandlerFunc adapts a function to the Handler interface.
type HandlerFunc func(ctx context.Context, u tgbotapi.Update) error

// Handle calls f(ctx, u).
func (f HandlerFunc) Handle(ctx context.Context, u tgbotapi.Update) error { return f(ctx, u) }

// Deduper remembers which updates have been handled, so that an update
// delivered twice (a webhook retried, a poller restarted before confirming)
// is handled once. storage.Store satisfies it.
type Deduper interface {
	// UpdateHandled reports whether MarkUpdateHandled recorded the update.
	UpdateHandled(ctx context.Context, scope, updateID int64) (bool, error)
	// MarkUpdateHandled records the update as handled for ttl and reports
	// whether this call was the first to do so.
	MarkUpdateHandled(ctx context.Context, scope, updateID int64, ttl time.Duration) (bool, error)
}

// DispatcherConfig configures NewDispatcher.
type DispatcherConfig struct {
	// Handler handles the updates. Required.
	Handler Handler
	// Dedupe skips updates already handled. Optional; leave it unset for a
	// Handler that dedupes updates itself (see ErrDuplicate).
	Dedupe Deduper
	// Scope separates the update ids of bots sharing one Dedupe store; use
	// the bot's user id.
	Scope int64
	// Sender answers callback queries and sends apologies. Required.
	// Handlers must answer callback queries through this Sender, or the
	// dispatcher answers them a second time.
	Sender *Sender
	// Workers is the most updates handled at once, not counting those
	// whose calls wait for Telegram's limits (see Sender.Send) or flood
	// control meanwhile. Defaults to 16.
	Workers int
	// DedupeTTL is how long handled update ids are remembered. Defaults to
	// 48 hours.
	DedupeTTL time.Duration
	// Metrics records outcomes and queue depth. Optional.
	Metrics *Metrics
	// Log receives the dispatcher's log lines. Defaults to slog.Default().
	Log *slog.Logger
	// HandlerTimeout bounds the handling of one update. Defaults to 2
	// minutes.
	HandlerTimeout time.Duration
}

// bookkeepingTimeout bounds the dispatcher's own calls around a handler:
// the dedupe check and mark, the apology, the answer to a callback query.
const bookkeepingTimeout = 30 * time.Second

// apology is sent when a handler fails or panics.
var apology = T{
	VI: "Xin lỗi, đã có lỗi khi xử lý yêu cầu của bạn. Vui lòng thử lại sau.",
	EN: "Sorry, something went wrong while handling your request. Please try again later.",
}

// Dispatcher hands updates to a Handler: the updates of one chat one at a
// time in update_id order, different chats in parallel on a bounded number
// of workers. A handler whose call to Telegram waits for a rate limit or
// flood control lends its worker to another chat's update meanwhile, so
// that chats waiting for their turn do not hold up the others. It skips
// duplicates, survives handler panics, apologises for failures and makes
// sure every callback query is answered.
type Dispatcher struct {
	cfg   DispatcherConfig
	slots chan struct{} // a token per running handler, not counting those whose calls wait for Telegram

	mu    sync.Mutex
	chats map[int64][]pending // per chat with a running worker: its waiting updates by update_id
}

// pending is an update waiting for its chat's worker.
type pending struct {
	ctx  context.Context
	in   inbound
	done tracker
}

// tracker is told of each update handled, whatever the outcome, by the
// worker that handled it.
type tracker interface {
	handled(updateID int)
}

// batch is the tracker of one dispatch call, which waits for its updates.
type batch struct{ sync.WaitGroup }

// handled counts one update of the batch handled.
func (b *batch) handled(int) { b.Done() }

// NewDispatcher returns a Dispatcher configured by cfg, with defaults for
// the zero fields. It panics if cfg.Handler or cfg.Sender is nil.
func NewDispatcher(cfg DispatcherConfig) *Dispatcher {
	if cfg.Handler == nil || cfg.Sender == nil {
		panic("bot: NewDispatcher needs a Handler and a Sender")
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	if cfg.DedupeTTL <= 0 {
		cfg.DedupeTTL = 48 * time.Hour
	}
	if cfg.HandlerTimeout <= 0 {
		cfg.HandlerTimeout = 2 * time.Minute
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Dispatcher{cfg: cfg, slots: make(chan struct{}, cfg.Workers), chats: make(map[int64][]pending)}
}

// Dispatch handles updates and returns when every one of them has been
// handled, whatever the outcome. Updates of one chat are handled one at a
// time in update_id order, also across concurrent Dispatch calls; updates
// of different chats in parallel, at most Workers at once besides those
// waiting for Telegram's limits.
//
// For each update, Dispatch skips it if Dedupe says it was handled (a
// failing Dedupe is logged and the update handled anyway), then calls the
// Handler with a context that carries the update id (see UpdateID) and the
// topic of its message (see TopicOf; always General for the updates given
// to Dispatch, which tgbotapi decoded without their topics, while those the
// Poller and the webhook decode come with theirs) and is not cancelled with
// ctx, so that updates in flight finish during a
// shutdown; it ends after HandlerTimeout. A handler that fails or panics is
// logged and the user gets an apology in their language: as the answer to
// their callback query if it is still unanswered, otherwise as a message in
// the chat; one failing with ErrSaved is logged and gets no apology. A
// callback query the handler did not answer through the Sender gets an
// empty answer, so each is answered once. Finally the update is marked
// handled in Dedupe. A handler returning ErrDuplicate skipped the
// update as a duplicate itself: it gets neither apology nor answer.
func (d *Dispatcher) Dispatch(ctx context.Context, updates []tgbotapi.Update) {
	in := make([]inbound, len(updates))
	for i, u := range updates {
		in[i].u = u
	}
	d.dispatch(ctx, in)
}

// dispatch is Dispatch for updates decoded with their topics.
func (d *Dispatcher) dispatch(ctx context.Context, updates []inbound) {
	var b batch
	b.Add(len(updates))
	d.start(ctx, updates, &b)
	b.Wait()
}

// start is dispatch without the wait: it queues updates for their chats'
// workers and returns at once, and each worker tells done of each update
// it has handled. The updates of a chat are handled in update_id order
// across start calls too.
func (d *Dispatcher) start(ctx context.Context, updates []inbound, done tracker) {
	d.mu.Lock()
	for _, in := range updates {
		chat := ChatOf(in.u)
		q, running := d.chats[chat]
		i, _ := slices.BinarySearchFunc(q, in.u.UpdateID, func(p pending, id int) int { return cmp.Compare(p.in.u.UpdateID, id) })
		d.chats[chat] = slices.Insert(q, i, pending{ctx: ctx, in: in, done: done})
		if !running {
			go d.work(chat)
		}
	}
	d.cfg.Metrics.updatesWaiting(float64(len(updates)))
	d.mu.Unlock()
}

// work handles the waiting updates of chat until there are none left.
func (d *Dispatcher) work(chat int64) {
	for {
		d.mu.Lock()
		if len(d.chats[chat]) == 0 {
			delete(d.chats, chat)
			d.mu.Unlock()
			return
		}
		d.mu.Unlock()

		d.slots <- struct{}{}
		// Only this worker removes updates of chat, so the queue is not
		// empty; taking the first now rather than before waiting for a
		// slot lets an earlier update that arrived meanwhile go first.
		d.mu.Lock()
		p := d.chats[chat][0]
		d.chats[chat] = d.chats[chat][1:]
		d.mu.Unlock()
		d.cfg.Metrics.updatesWaiting(-1)

		d.handle(p.ctx, p.in) // frees the slot
		p.done.handled(p.in.u.UpdateID)
	}
}

// handle runs the whole life of one update in the worker slot its caller
// took, and frees the slot.
func (d *Dispatcher) handle(parent context.Context, in inbound) {
	u := in.u
	id := int64(u.UpdateID)
	log := d.cfg.Log.With("update_id", id, "chat_id", ChatOf(u))
	h := &handling{id: id, topic: in.topic, slots: d.slots}
	defer h.end()
	base := context.WithValue(context.WithoutCancel(parent), handlingKey{}, h)

	if d.handledBefore(base, id, log) {
		d.cfg.Metrics.update(OutcomeDuplicate)
		log.Debug("duplicate update skipped")
		return
	}

	cb := u.CallbackQuery
	if cb != nil {
		d.cfg.Sender.trackCallback(cb.ID)
	}
	outcome, sorry := d.run(base, u, log)
	d.cfg.Metrics.update(outcome)

	ctx, cancel := context.WithTimeout(base, bookkeepingTimeout)
	defer cancel()
	answered := cb != nil && d.cfg.Sender.untrackCallback(cb.ID)
	switch {
	case outcome == OutcomeDuplicate:
		log.Debug("duplicate update skipped by the handler")
		return
	case sorry:
		d.apologize(ctx, u, in.topic.Thread, answered, log)
	case cb != nil && !answered:
		d.answer(ctx, tgbotapi.NewCallback(cb.ID, ""), log)
	}
	if d.cfg.Dedupe != nil {
		if _, err := d.cfg.Dedupe.MarkUpdateHandled(ctx, d.cfg.Scope, id, d.cfg.DedupeTTL); err != nil {
			log.Warn("could not mark update handled", "err", err)
		}
	}
}

// handledBefore asks Dedupe whether the update was handled already. When
// Dedupe fails it answers false: better handle twice than not at all.
func (d *Dispatcher) handledBefore(base context.Context, id int64, log *slog.Logger) bool {
	if d.cfg.Dedupe == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(base, bookkeepingTimeout)
	defer cancel()
	handled, err := d.cfg.Dedupe.UpdateHandled(ctx, d.cfg.Scope, id)
	if err != nil {
		log.Warn("could not check for a duplicate update; handling it", "err", err)
		return false
	}
	return handled
}

// run calls the handler, recovering a panic, and returns the outcome and
// whether the user is owed an apology.
func (d *Dispatcher) run(base context.Context, u tgbotapi.Update, log *slog.Logger) (outcome string, sorry bool) {
	ctx, cancel := context.WithTimeout(base, d.cfg.HandlerTimeout)
	defer cancel()
	start := time.Now()
	defer func() {
		d.cfg.Metrics.handled(time.Since(start))
		if r := recover(); r != nil {
			log.Error("handler panicked", "panic", r, "stack", string(debug.Stack()))
			outcome, sorry = OutcomePanic, true
		}
	}()
	err := d.cfg.Handler.Handle(ctx, u)
	switch {
	case errors.Is(err, ErrDuplicate):
		return OutcomeDuplicate, false
	case errors.Is(err, ErrSaved):
		log.Error("handler failed after saving the update's change; no apology", "err", err)
		return OutcomeError, false
	case err != nil:
		log.Error("handler failed", "err", err)
		return OutcomeError, true
	}
	return OutcomeOK, false
}

// apologize tells the user who sent u that handling it failed: in the
// answer to their callback query if it is unanswered, otherwise in the
// chat, in the topic thread of the update's message, or in General should
// Telegram refuse that topic (closed or deleted). Updates nobody asked for
// (membership changes, channel posts) get no apology.
func (d *Dispatcher) apologize(ctx context.Context, u tgbotapi.Update, thread int, answered bool, log *slog.Logger) {
	text := apology.In(LangOf(u.SentFrom(), VI))
	var msg tgbotapi.MessageConfig
	switch {
	case u.CallbackQuery != nil && !answered:
		d.answer(ctx, tgbotapi.NewCallbackWithAlert(u.CallbackQuery.ID, text), log)
		return
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil:
		msg = tgbotapi.NewMessage(u.CallbackQuery.Message.Chat.ID, text)
	case u.Message != nil || u.EditedMessage != nil:
		m := cmp.Or(u.Message, u.EditedMessage)
		msg = tgbotapi.NewMessage(m.Chat.ID, text)
		msg.ReplyToMessageID = m.MessageID
		msg.AllowSendingWithoutReply = true
	default:
		return
	}
	_, err := d.cfg.Sender.SendInTopic(ctx, msg, thread)
	if thread != 0 && (TopicClosed(err) || TopicDeleted(err)) {
		msg.ReplyToMessageID = 0 // a reply would go to the topic again
		_, err = d.cfg.Sender.Send(ctx, msg)
	}
	if err != nil {
		log.Warn("could not send the apology", "err", err)
	}
}

// answer answers a callback query on the dispatcher's behalf.
func (d *Dispatcher) answer(ctx context.Context, c tgbotapi.CallbackConfig, log *slog.Logger) {
	if _, err := d.cfg.Sender.Request(ctx, c); err != nil {
		log.Warn("could not answer the callback query", "err", err)
	}
}

// handlingKey is the context key of the update being handled, whose
// value is a *handling: one value, so that carrying the topic and the
// worker slot too costs the dispatcher no allocation more than the update
// id alone.
type handlingKey struct{}

// handling is what the context of an update's handling says of it, and the
// dispatcher's worker slot it holds, which it lends out while its calls
// wait for Telegram (see pause).
type handling struct {
	id    int64
	topic Topic

	mu      sync.Mutex
	slots   chan struct{} // the dispatcher's worker slots while the handling holds one of them, nil after it ends
	waiting int           // calls of the handling waiting for Telegram
}

// handlingOf returns the handling ctx belongs to, or nil outside one.
func handlingOf(ctx context.Context) *handling {
	h, _ := ctx.Value(handlingKey{}).(*handling)
	return h
}

// pause lends the worker slot of the handling ctx belongs to, if any, to
// another update while a call of the handling waits for Telegram (a rate
// limit, flood control), so that chats waiting for their turn do not hold
// up the others; the caller calls resume on what pause returns once the
// wait is over, which takes a slot again (waiting for one, should every
// slot be taken meanwhile) before the call goes on. The slot is lent
// while any call of the handling waits.
func pause(ctx context.Context) *handling {
	h := handlingOf(ctx)
	if h == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.waiting++; h.waiting == 1 && h.slots != nil {
		<-h.slots
	}
	return h
}

// resume ends a wait pause began; see pause. It does nothing on nil.
func (h *handling) resume() {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.waiting--; h.waiting == 0 && h.slots != nil {
		h.slots <- struct{}{}
	}
}

// end frees the handling's worker slot, unless it is lent to a call still
// waiting (left behind by the handler), which then takes none back.
func (h *handling) end() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.waiting == 0 {
		<-h.slots
	}
	h.slots = nil
}

// UpdateID returns the id of the update whose handling ctx belongs to (the
// handler's calls and the dispatcher's own around it), or 0 elsewhere.
func UpdateID(ctx context.Context) int64 {
	if h := handlingOf(ctx); h != nil {
		return h.id
	}
	return 0
}

// TopicOf returns the topic of the message of the update whose handling
// ctx belongs to (for a button press, of the message the button is on):
// the zero Topic (General) for a message outside topics, an update
// without a message, or outside the handling of an update.
func TopicOf(ctx context.Context) Topic {
	if h := handlingOf(ctx); h != nil {
		return h.topic
	}
	return Topic{}
}

// ChatOf returns the id of the chat an update belongs to: the chat of a
// message, edited message, channel post, membership change or join request;
// the chat of a callback query's message, or its sender for a query from an
// inline message; the sender of an inline query, chosen inline result,
// shipping or pre-checkout query or poll answer. It returns 0 for updates
// with no chat (a poll's state).
func ChatOf(u tgbotapi.Update) int64 {
	for _, m := range []*tgbotapi.Message{u.Message, u.EditedMessage, u.ChannelPost, u.EditedChannelPost} {
		if m != nil && m.Chat != nil {
			return m.Chat.ID
		}
	}
	switch {
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil && u.CallbackQuery.Message.Chat != nil:
		return u.CallbackQuery.Message.Chat.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.Chat.ID
	case u.ChatMember != nil:
		return u.ChatMember.Chat.ID
	case u.ChatJoinRequest != nil:
		return u.ChatJoinRequest.Chat.ID
	case u.PollAnswer != nil:
		return u.PollAnswer.User.ID
	}
	if from := u.SentFrom(); from != nil {
		return from.ID
	}
	return 0
}
