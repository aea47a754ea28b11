package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// allowedUpdates are the kinds of update the bot asks Telegram for, by long
// polling and by webhook alike.
var allowedUpdates = []string{"message", "edited_message", "callback_query", "my_chat_member", "chat_member"}

// maxPollLimit is the most updates one getUpdates call may return, which
// the poller asks for.
const maxPollLimit = 100

// confirmTimeout bounds the getUpdates call that confirms the last batch
// when the poller stops, and is the slack given to a long poll beyond its
// own timeout.
const confirmTimeout = 10 * time.Second

// Poller takes updates in by long polling (getUpdates) and dispatches them.
// Unlike tgbotapi's GetUpdatesChan it confirms updates to Telegram only
// after they have been handled, so a crash does not lose them.
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
// logged, see warnOfWebhook), then fetches updates
// and dispatches them until ctx is cancelled. The offset given to Telegram
// moves past a batch only once the batch has been dispatched, so the next
// getUpdates confirms it. Failures are logged and retried with exponential
// backoff (honouring retry_after on flood control); a 409 Conflict means
// another poller or a webhook uses the token.
//
// When ctx is cancelled, a long poll in flight is aborted at once; a batch
// being dispatched is finished and confirmed with one last getUpdates, and
// Run returns nil. Run returns an error only if Telegram rejects the token
// (401), which no retry can fix.
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

	offset, confirmed := 0, true
	for {
		var updates []inbound
		err := p.retry(ctx, "getUpdates", func() error {
			var err error
			updates, err = p.fetch(ctx, offset, p.timeout, maxPollLimit)
			return err
		})
		if err != nil {
			if !confirmed {
				p.confirm(ctx, offset)
			}
			return p.stopped(ctx, err)
		}
		confirmed = true
		if len(updates) == 0 {
			continue
		}
		p.d.dispatch(ctx, updates)
		offset = updates[len(updates)-1].u.UpdateID + 1
		confirmed = false
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
