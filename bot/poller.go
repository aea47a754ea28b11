package bot

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// allowedUpdates are the kinds of update the bot asks Telegram for, by long
// polling and by webhook alike.
var allowedUpdates = []string{"message", "edited_message", "callback_query", "my_chat_member", "chat_member"}

// maxPollLimit is the most updates one getUpdates call may return, which
// the poller asks for.
const maxPollLimit = 100

// confirmTimeout bounds the getUpdates call that confirms the last updates
// when the poller stops, and is the slack given to a long poll beyond its
// own timeout.
const confirmTimeout = 10 * time.Second

// Poller takes updates in by long polling (getUpdates) and dispatches them,
// without waiting for those in flight to take the next. Unlike tgbotapi's
// GetUpdatesChan it confirms updates to Telegram only after they have been
// handled, so a crash does not lose them.
type Poller struct {
	api        *tgbotapi.BotAPI
	d          *Dispatcher
	log        *slog.Logger
	timeout    time.Duration
	minBackoff time.Duration
	maxBackoff time.Duration
}

// PollerOption configures a Poller.
type PollerOption func(*Poller)

// WithPollTimeout sets how long one getUpdates call waits for updates: 30 s
// by default, in whole seconds, at least one. The HTTP client's timeout
// must exceed it.
func WithPollTimeout(d time.Duration) PollerOption {
	return func(p *Poller) { p.timeout = max(d.Truncate(time.Second), time.Second) }
}

// WithBackoff sets the shortest and longest wait after a failed getUpdates
// (default 1 s and 30 s); the wait doubles with each failure in a row.
func WithBackoff(lo, hi time.Duration) PollerOption {
	return func(p *Poller) { p.minBackoff, p.maxBackoff = lo, hi }
}

// NewPoller returns a Poller that fetches updates with api and hands them to
// d. log defaults to slog.Default().
func NewPoller(api *tgbotapi.BotAPI, d *Dispatcher, log *slog.Logger, opts ...PollerOption) *Poller {
	if log == nil {
		log = slog.Default()
	}
	p := &Poller{
		api: api, d: d, log: log,
		timeout:    30 * time.Second,
		minBackoff: time.Second, maxBackoff: 30 * time.Second,
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

// Run deletes any webhook (keeping pending updates; a webhook it finds is
// logged, see warnOfWebhook), then fetches updates and dispatches them
// until ctx is cancelled. Failures are logged and retried with exponential
// backoff (honouring retry_after on flood control); a 409 Conflict means
// another poller or a webhook uses the token.
//
// Run does not wait for the updates it dispatched before it fetches the
// next ones, so that a chat whose answers wait for Telegram's limits (a
// group past its 20 messages a minute) does not hold up the other chats'
// updates; the Dispatcher keeps each chat's updates in order. Run
// acknowledges updates to Telegram (with the offset of the next
// getUpdates) only up to the oldest update not handled yet, so that every
// update Telegram forgets has been handled, whatever happens to the bot:
// an update handled after one still in flight comes again after a crash,
// and the dedupe (the Dispatcher's or the Handler's own) finds it handled.
// Telegram sends the updates in flight again with every getUpdates, from
// the offset on; Run dispatches none of them twice.
//
// While nothing is in flight Run long-polls, waiting up to the poll
// timeout for updates. While updates are in flight Telegram would answer
// at once, so Run asks without waiting, every busyPollInterval, and long
// polls again as soon as the last update in flight is handled: an update
// sent meanwhile waits at most that interval. One getUpdates answers at
// most 100 updates from the offset, so at most 100 updates are in flight:
// while the oldest is held up (its chat waiting up to a minute for its
// limit), Run sees only the 99 after it and takes none beyond them until
// it is handled; having taken all of them, it asks again only once the
// offset has moved, since Telegram would answer the same 100.
//
// When ctx is cancelled, Run stops fetching (a long poll in flight is
// aborted at once), waits for the updates in flight to be handled,
// acknowledges them with one last getUpdates, and returns nil. Run returns
// an error only if Telegram rejects the token (401), which no retry can
// fix.
func (p *Poller) Run(ctx context.Context) error {
	p.warnOfWebhook(ctx)
	err := p.retry(ctx, "deleteWebhook", func() error {
		if _, err := withContext(ctx, p.api).Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
			return fmt.Errorf("bot: deleteWebhook: %w", err)
		}
		return nil
	})
	if err != nil {
		return p.stopped(ctx, err)
	}
	p.log.Info("long polling started", "bot", p.api.Self.UserName)

	f := &flight{changed: make(chan struct{}, 1)}
	timer := time.NewTimer(busyPollInterval)
	timer.Stop()
	sent, seen := 0, -1 // the offset of the last getUpdates answered, and the first update of its answer if it was full
	for {
		f.pause(ctx, timer, seen)
		var updates []inbound
		var offset int
		err := p.retry(ctx, "getUpdates", func() error {
			var idle bool
			offset, idle = f.state()
			timeout := p.timeout
			if !idle {
				timeout = 0
			}
			var err error
			updates, err = p.fetch(ctx, offset, timeout, maxPollLimit)
			return err
		})
		if err != nil {
			f.wait()
			if offset, _ := f.state(); offset != sent {
				p.confirm(ctx, offset)
			}
			return p.stopped(ctx, err)
		}
		sent, seen = offset, -1
		if len(updates) == maxPollLimit {
			seen = updates[0].u.UpdateID
		}
		if fresh := f.add(offset, updates); len(fresh) > 0 {
			p.d.start(ctx, fresh, f)
		}
	}
}

// busyPollInterval is the pause between two getUpdates calls while
// updates are in flight; see Run.
const busyPollInterval = 250 * time.Millisecond

// flight is what the poller has dispatched and not acknowledged yet: every
// update from the oldest one not handled on, told by the dispatcher's
// workers of each update they handle.
type flight struct {
	mu      sync.Mutex
	q       []flown       // by update_id, the first one not handled
	next    int           // one past the newest update dispatched, 0 before any
	changed chan struct{} // signalled when the first updates of q are handled
}

// flown is an update dispatched and not acknowledged, handled or not.
type flown struct {
	id   int
	done bool
}

// state returns the offset that acknowledges every update handled along
// with all before it, and whether no update is in flight.
func (f *flight) state() (offset int, idle bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.q) > 0 {
		return f.q[0].id, false
	}
	return f.next, true
}

// add records the updates Telegram answered a getUpdates at offset with,
// and returns those dispatched for the first time: those from the next
// after the newest dispatched on. Telegram answers in update_id order, and
// sends all it holds from the offset on (up to the limit), so every update
// from offset up to the newest dispatched was dispatched before, unless
// Telegram numbered its updates afresh (as it does after a week without
// any), which the answer shows by starting below offset.
func (f *flight) add(offset int, updates []inbound) []inbound {
	f.mu.Lock()
	defer f.mu.Unlock()
	fresh := updates
	if len(updates) > 0 && updates[0].u.UpdateID >= offset {
		for len(fresh) > 0 && fresh[0].u.UpdateID < f.next {
			fresh = fresh[1:]
		}
	}
	for _, in := range fresh {
		f.q = append(f.q, flown{id: in.u.UpdateID})
	}
	if len(fresh) > 0 {
		f.next = fresh[len(fresh)-1].u.UpdateID + 1
	}
	return fresh
}

// handled marks update id handled and, if the updates before it are too,
// takes them off, moving the offset on.
func (f *flight) handled(id int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if i, ok := slices.BinarySearchFunc(f.q, id, func(e flown, id int) int { return cmp.Compare(e.id, id) }); ok {
		f.q[i].done = true
	}
	n := 0
	for n < len(f.q) && f.q[n].done {
		n++
	}
	if n == 0 {
		return
	}
	f.q = slices.Delete(f.q, 0, n)
	select {
	case f.changed <- struct{}{}:
	default:
	}
}

// wait returns once no update is in flight.
func (f *flight) wait() {
	for {
		if _, idle := f.state(); idle {
			return
		}
		<-f.changed
	}
}

// pause waits before the next getUpdates while updates are in flight,
// where Telegram would answer at once (see Run): busyPollInterval on timer,
// and then, if the last answer was full, beginning with update seen, until
// the offset has moved past seen, since until then Telegram would answer
// with the same updates (seen is -1 after an answer that was not full). It
// returns at once when nothing is in flight (or the last update in flight
// is handled meanwhile) and when ctx is done.
func (f *flight) pause(ctx context.Context, timer *time.Timer, seen int) {
	if _, idle := f.state(); idle {
		return
	}
	timer.Reset(busyPollInterval)
	defer timer.Stop()
	waited := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
			waited = true
		case <-f.changed:
		}
		if offset, idle := f.state(); idle || waited && offset > seen {
			return
		}
	}
}

// warnOfWebhook says in the log, before Run takes it off, that a webhook
// is set for the bot: whatever serves it (replicas in webhook mode, the
// same bot on another machine) gets no more updates once this one polls. It
// asks Telegram once, and says nothing if Telegram does not answer.
func (p *Poller) warnOfWebhook(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, confirmTimeout)
	defer cancel()
	info, err := withContext(ctx, p.api).GetWebhookInfo()
	if err != nil || info.URL == "" {
		return
	}
	p.log.Warn("a webhook is set for this bot; long polling takes it off, so that whatever serves it gets no more updates",
		"webhook_url", Redact(info.URL, p.api.Token))
}

// confirm tells Telegram that the updates before offset have been handled,
// with a getUpdates call that does not wait and is not cancelled with ctx.
func (p *Poller) confirm(ctx context.Context, offset int) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), confirmTimeout)
	defer cancel()
	if _, err := p.fetch(ctx, offset, 0, 1); err != nil {
		p.log.Warn("could not confirm the last updates; Telegram will send them again", "offset", offset, "err", err)
	}
}

// stopped returns Run's result for the error that ended it: nil once ctx
// is done, the error otherwise.
func (p *Poller) stopped(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		p.log.Info("long polling stopped")
		return nil
	}
	return err
}

// fetch calls getUpdates, bound to ctx and to the long poll's timeout.
func (p *Poller) fetch(ctx context.Context, offset int, timeout time.Duration, limit int) ([]inbound, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout+confirmTimeout)
	defer cancel()
	updates, err := getUpdates(ctx, p.api, tgbotapi.UpdateConfig{
		Offset: offset, Limit: limit, Timeout: int(timeout / time.Second), AllowedUpdates: allowedUpdates,
	})
	if err != nil {
		return nil, fmt.Errorf("bot: getUpdates: %w", redactErr(err, p.api.Token))
	}
	return updates, nil
}

// getUpdates is tgbotapi's GetUpdates bound to ctx, with the same request,
// reading Telegram's answer in one pass, decoding the topic of each
// message (which tgbotapi does not know) and the message of a pressed
// button as a reference only (see incoming). tgbotapi reads the answer four
// times: to find its end, to keep its result as raw JSON, to check that
// JSON, and to decode it, which for the update of a pressed button,
// carrying the whole message the button belongs to, cost some 12 µs of the
// 230 a press costs (BENCHMARKS.md). An API that NewAPI did not make, whose
// endpoint this package does not know, is polled through tgbotapi, and its
// presses' messages reduced to the same reference; its updates come without
// their topics, as if every message were in General.
func getUpdates(ctx context.Context, api *tgbotapi.BotAPI, c tgbotapi.UpdateConfig) ([]inbound, error) {
	rc, ok := api.Client.(*redactingClient)
	if !ok {
		updates, err := withContext(ctx, api).GetUpdates(c)
		if updates == nil {
			return nil, err
		}
		in := make([]inbound, len(updates))
		for i, u := range updates {
			if p := u.CallbackQuery; p != nil && p.Message != nil {
				p.Message = &tgbotapi.Message{MessageID: p.Message.MessageID, Chat: p.Message.Chat, Date: p.Message.Date}
			}
			in[i].u = u
		}
		return in, err
	}
	params := tgbotapi.Params{}
	params.AddNonZero("offset", c.Offset)
	params.AddNonZero("limit", c.Limit)
	params.AddNonZero("timeout", c.Timeout)
	if err := params.AddInterface("allowed_updates", c.AllowedUpdates); err != nil {
		return nil, err
	}
	form := make(url.Values, len(params))
	for k, v := range params {
		form.Set(k, v)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf(rc.endpoint, api.Token, "getUpdates"), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := rc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var answer updatesAnswer
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		return nil, err
	}
	if !answer.Ok {
		e := &tgbotapi.Error{Code: answer.ErrorCode, Message: answer.Description}
		if answer.Parameters != nil {
			e.ResponseParameters = *answer.Parameters
		}
		return nil, e
	}
	return answer.updates(), nil
}

// updatesAnswer is Telegram's answer to getUpdates.
type updatesAnswer struct {
	Ok          bool                         `json:"ok"`
	Result      []incoming                   `json:"result"`
	ErrorCode   int                          `json:"error_code"`
	Description string                       `json:"description"`
	Parameters  *tgbotapi.ResponseParameters `json:"parameters"`
}

// updates returns the updates of a successful answer.
func (a *updatesAnswer) updates() []inbound {
	updates := make([]inbound, len(a.Result))
	for i := range a.Result {
		updates[i] = a.Result[i].update()
	}
	return updates
}

// retry calls do until it succeeds, waiting between failures. It returns
// ctx's error once ctx is done, and at once a failure no wait can fix
// (Telegram rejecting the token).
func (p *Poller) retry(ctx context.Context, method string, do func() error) error {
	backoff := p.minBackoff
	for {
		err := do()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		err = redactErr(err, p.api.Token)
		wait := backoff
		backoff = min(2*backoff, p.maxBackoff)
		e := apiError(err)
		switch ra, flood := RetryAfter(err); {
		case flood:
			wait = ra
			p.log.Warn("telegram flood control", "method", method, "retry_after", ra)
		case e != nil && e.Code == http.StatusUnauthorized:
			return fmt.Errorf("%w (Telegram rejected the token; check it with @BotFather)", err)
		case e != nil && e.Code == http.StatusConflict:
			p.log.Error("another poller or a webhook is using this bot token (409 Conflict); only one may take updates",
				"method", method, "err", err, "retry_in", wait)
		default:
			p.log.Warn("telegram call failed", "method", method, "err", err, "retry_in", wait)
		}
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}
