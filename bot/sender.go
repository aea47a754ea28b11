package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Limits are the rates the Sender keeps: at most N calls in any sliding
// window of the given length. A count or window of zero or less takes the
// value of TelegramLimits.
type Limits struct {
	// PerChat and PerChatWindow limit the calls to one chat.
	PerChat       int
	PerChatWindow time.Duration
	// PerGroup and PerGroupWindow limit, in addition, the calls to one group
	// or channel (a chat with a negative id, or one addressed by @username).
	PerGroup       int
	PerGroupWindow time.Duration
	// Global and GlobalWindow limit the calls to all chats together.
	Global       int
	GlobalWindow time.Duration
}

// TelegramLimits returns the limits Telegram documents for bots: one
// message per second in a chat, twenty per minute in a group, thirty per
// second in all.
func TelegramLimits() Limits {
	return Limits{
		PerChat: 1, PerChatWindow: time.Second,
		PerGroup: 20, PerGroupWindow: time.Minute,
		Global: 30, GlobalWindow: time.Second,
	}
}

// withDefaults fills the zero fields of l from TelegramLimits.
func (l Limits) withDefaults() Limits {
	d := TelegramLimits()
	orDefault(&l.PerChat, d.PerChat)
	orDefault(&l.PerGroup, d.PerGroup)
	orDefault(&l.Global, d.Global)
	orDefault(&l.PerChatWindow, d.PerChatWindow)
	orDefault(&l.PerGroupWindow, d.PerGroupWindow)
	orDefault(&l.GlobalWindow, d.GlobalWindow)
	return l
}

// orDefault sets *v to d if it is zero or less.
func orDefault[N int | time.Duration](v *N, d N) {
	if *v <= 0 {
		*v = d
	}
}

// Sender performs every call to Telegram that the bot makes on its own
// initiative or in answer to an update. Chat-bound calls (Send) keep
// Telegram's rate limits; all calls wait out flood control (HTTP 429) and
// Telegram's brief outages (HTTP 502, 503, 504) and retry. A Sender is
// safe for concurrent use.
type Sender struct {
	api   *tgbotapi.BotAPI
	lim   *limiter
	m     *Metrics
	log   *slog.Logger
	waits []time.Duration // before the retries after a brief outage

	mu        sync.Mutex
	callbacks map[string]bool // callback query ids the dispatcher tracks -> answered
}

// SenderOption configures a Sender.
type SenderOption func(*Sender)

// WithRetryWaits sets the waits before the retries of a call that met a
// brief outage of Telegram (see Send): one retry after each wait, in
// order. The default is 1 s, 2 s and 4 s; no waits turn these retries
// off. A wait shorter than a millisecond is taken as one.
func WithRetryWaits(waits ...time.Duration) SenderOption {
	return func(s *Sender) {
		s.waits = make([]time.Duration, len(waits))
		for i, w := range waits {
			s.waits[i] = max(w, time.Millisecond)
		}
	}
}

// defaultRetryWaits are the waits before the retries after a brief outage
// (see WithRetryWaits): 7 s in all, about as long as Telegram's front end
// answers 502 at a time in an incident.
var defaultRetryWaits = []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}

// NewSender returns a Sender that calls api within limits. m may be nil; log
// defaults to slog.Default().
func NewSender(api *tgbotapi.BotAPI, limits Limits, m *Metrics, log *slog.Logger, opts ...SenderOption) *Sender {
	if log == nil {
		log = slog.Default()
	}
	s := &Sender{
		api:       api,
		lim:       newLimiter(limits.withDefaults(), m),
		m:         m,
		log:       log,
		waits:     defaultRetryWaits,
		callbacks: make(map[string]bool),
	}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// Send performs a chat-bound call (sendMessage, editMessageText,
// editMessageReplyMarkup, sendDocument, sendPhoto, deleteMessage, ...) and
// returns the identity of the message Telegram returns (its MessageID, Chat
// and Date; the rest, which the bot just sent, is not decoded), or a zero
// Message for calls whose result is not a message (deleteMessage, edits of
// inline messages).
//
// It blocks until a slot within every limit is free: sliding windows per
// chat, per group and for the whole bot, where edits and deletions count as
// messages. Chats waiting at once are served in turn, so a busy chat does
// not hold up the others. On flood control (HTTP 429) it waits retry_after
// and sends the same call again, before any other call to that chat, for as
// long as ctx lives. On a brief outage of Telegram it sends the call again
// the same way after 1 s, 2 s and 4 s (see WithRetryWaits), then gives up
// with the last failure: when Telegram's front end answers 502 Bad
// Gateway, 503 Service Unavailable or 504 Gateway Timeout (as an HTML
// page, or as the Bot API's JSON), or when no connection to it could be
// made (the request never left). Any other failure is returned at once:
// a 500, a refusal (4xx), or a timeout or broken connection after the
// request went out, which Telegram may have performed. A 502 or a 503
// almost always means that the Bot API never saw the call, but a 504 means
// that the front end gave up waiting for a Bot API that may yet have
// performed it, so that a retry may, rarely, deliver a message twice. That
// is accepted: a confirmation sent twice is better than none, which would
// leave the user unsure whether to send their change again, and an edit
// sent twice leaves the message as the first did. While it waits, the
// update the caller handles lends its worker to another chat's. ctx
// bounds the waiting only: a request in flight completes. Since a call
// may be sent again, upload files as tgbotapi.FileBytes or FilePath, not
// as a FileReader, which can be read only once.
//
// An edit that Telegram refuses with "message is not modified" succeeds
// with a zero Message. A call to a group that became a supergroup fails
// with an error for which MigratedTo reports the new chat id. The errors
// never contain the token.
func (s *Sender) Send(ctx context.Context, c tgbotapi.Chattable) (tgbotapi.Message, error) {
	return s.SendInTopic(ctx, c, 0)
}

// SendInTopic is Send for a message posted (sendMessage, sendDocument,
// sendPhoto, ...) in the topic whose message_thread_id is thread, of a
// supergroup with topics. Thread 0 sends without one, which is how the Bot
// API addresses the General topic (it knows no thread of that id, and
// refuses thread 1 with "message thread not found") and a chat without
// topics. A reply without a thread goes to the topic of the message it
// replies to. The call fails with an error for which TopicClosed or
// TopicDeleted reports true when Telegram refuses the topic.
func (s *Sender) SendInTopic(ctx context.Context, c tgbotapi.Chattable, thread int) (tgbotapi.Message, error) {
	method := typeLabel(c)
	key := chatKeyOf(c)
	api := s.api
	if thread != 0 {
		api = inThread(api, thread)
	}
	outages := 0
	for retry := false; ; retry = true {
		cs, err := s.lim.acquire(ctx, key, retry)
		if err != nil {
			return tgbotapi.Message{}, err
		}
		resp, err := api.Request(c)
		err = withCode(resp, err)
		// The chat pauses for the wait, and the retry goes first after it.
		wait, again := s.again(method, err, &outages)
		s.lim.release(cs, wait)
		if again {
			continue
		}
		if err != nil {
			if isNotModified(err) {
				return tgbotapi.Message{}, nil
			}
			return tgbotapi.Message{}, s.failed(method, err)
		}
		s.m.sentOne(method)
		var sent messageRef // all the bot reads of it
		if len(resp.Result) > 0 && resp.Result[0] == '{' {
			if err := json.Unmarshal(resp.Result, &sent); err != nil {
				return tgbotapi.Message{}, fmt.Errorf("bot: %s: decoding the result: %w", method, err)
			}
		}
		return sent.message(), nil
	}
}

// Request performs a call that is not a chat message (answerCallbackQuery,
// getChatMember, setMyCommands, ...) without rate limits, with the same
// retries after flood control and brief outages as Send. The errors never
// contain the token.
//
// Handlers answer callback queries here (tgbotapi.NewCallback): the
// Dispatcher sees the answer and does not answer the query again.
func (s *Sender) Request(ctx context.Context, c tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	resp, err := s.retrying(ctx, typeLabel(c), func() (*tgbotapi.APIResponse, error) {
		resp, err := s.api.Request(c)
		return resp, withCode(resp, err)
	})
	if err == nil {
		if id, ok := callbackID(c); ok {
			s.callbackAnswered(id)
		}
	}
	return resp, err
}

// callOnce performs the Bot API method with raw parameters once: flood
// control (HTTP 429) is returned, for the caller to wait as it sees fit
// (see RetryAfter).
func (s *Sender) callOnce(method string, params tgbotapi.Params) (*tgbotapi.APIResponse, error) {
	resp, err := s.api.MakeRequest(method, params)
	return resp, s.failed(method, err)
}

// withCode returns err, Telegram's refusal of a call whose answer was
// resp, with its error code: tgbotapi leaves the code out of the error of
// a call that uploads a file (a document, a photo), keeping only the
// description, where that of any other call has it; so that a refusal of
// an upload tells as much as any other (400, 403: see the handlers'
// isRestricted), the code is taken from the answer. Any other err is
// returned as it is.
func withCode(resp *tgbotapi.APIResponse, err error) error {
	if err == nil || resp == nil || resp.ErrorCode == 0 {
		return err // the path of every call that succeeds: no allocation
	}
	return codedAs(resp.ErrorCode, err)
}

// codedAs returns err with code as its error code when it is a
// *tgbotapi.Error without one (see withCode), and err otherwise. It is
// apart from withCode because errors.As makes its target escape, which
// would cost every call an allocation.
func codedAs(code int, err error) error {
	var te *tgbotapi.Error
	if !errors.As(err, &te) || te.Code != 0 {
		return err
	}
	coded := *te
	coded.Code = code
	return &coded
}

// failed returns the failure err of a call of method, token redacted and
// named after the method, or nil without one.
func (s *Sender) failed(method string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("bot: %s: %w", method, redactErr(err, s.api.Token))
}

// retrying calls do until it succeeds or fails for good (see again),
// waiting in between while ctx lives.
func (s *Sender) retrying(ctx context.Context, method string, do func() (*tgbotapi.APIResponse, error)) (*tgbotapi.APIResponse, error) {
	outages := 0
	for {
		resp, err := do()
		wait, again := s.again(method, err, &outages)
		if !again {
			return resp, s.failed(method, err)
		}
		h := pause(ctx) // the update the caller handles lends its worker meanwhile
		err = sleep(ctx, wait)
		h.resume()
		if err != nil {
			return nil, err
		}
	}
}

// again reports whether a call of method that failed with err is to be
// sent again, and after what wait: after flood control (HTTP 429), once
// its retry_after has passed, however often; after a brief outage (see
// transient), once the next of the Sender's waits has passed, while
// *outages, the outages the call met before, has not used them all. It
// counts and logs each retry.
func (s *Sender) again(method string, err error, outages *int) (time.Duration, bool) {
	if err == nil {
		return 0, false
	}
	if wait, flood := RetryAfter(err); flood {
		s.m.tooManyRequests()
		s.log.Warn("telegram flood control; retrying", "method", method, "retry_after", wait)
		return wait, true
	}
	status, ok := transient(err)
	if !ok || *outages >= len(s.waits) {
		return 0, false
	}
	wait := s.waits[*outages]
	*outages++
	s.m.unavailable()
	s.log.Warn("telegram unavailable; retrying", "method", method, "status", status,
		"retry", *outages, "of", len(s.waits), "wait", wait, "error", redactErr(err, s.api.Token))
	return wait, true
}

// transient reports whether err is the failure of a call during a brief
// outage of Telegram, which a retry after a few seconds may pass: its
// front end answered 502 Bad Gateway, 503 Service Unavailable or 504
// Gateway Timeout, as nginx's HTML page (a *NotJSONError) or as the Bot
// API's JSON error; or no connection to it, or to the HTTP proxy on the
// way (HTTPS_PROXY), could be made (a dial error: the request never left). It also returns the HTTP status of the answer,
// 0 for none.
func transient(err error) (int, bool) {
	var status int
	var nj *NotJSONError
	var op *net.OpError
	switch e := apiError(err); {
	case e != nil:
		status = e.Code
	case errors.As(err, &nj):
		status = nj.Status
	case errors.As(err, &op):
		return 0, op.Op == "dial" || op.Op == "proxyconnect"
	}
	switch status {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return status, true
	}
	return status, false
}

// trackCallback starts recording whether the callback query id gets
// answered through this Sender.
func (s *Sender) trackCallback(id string) {
	s.mu.Lock()
	s.callbacks[id] = false
	s.mu.Unlock()
}

// untrackCallback stops recording and reports whether the callback query
// was answered since trackCallback.
func (s *Sender) untrackCallback(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	answered := s.callbacks[id]
	delete(s.callbacks, id)
	return answered
}

func (s *Sender) callbackAnswered(id string) {
	s.mu.Lock()
	if _, tracked := s.callbacks[id]; tracked {
		s.callbacks[id] = true
	}
	s.mu.Unlock()
}

// callbackID returns the query id of an answerCallbackQuery call.
func callbackID(c tgbotapi.Chattable) (string, bool) {
	switch cb := c.(type) {
	case tgbotapi.CallbackConfig:
		return cb.CallbackQueryID, true
	case *tgbotapi.CallbackConfig:
		return cb.CallbackQueryID, true
	}
	return "", false
}

// TopicClosed reports whether err is Telegram refusing a message for a
// topic that is closed ("Bad Request: TOPIC_CLOSED"): only the group's
// administrators who manage topics post there until it is reopened.
func TopicClosed(err error) bool {
	e := apiError(err)
	return e != nil && strings.Contains(strings.ToUpper(e.Message), "TOPIC_CLOSED")
}

// TopicDeleted reports whether err is Telegram refusing a message for a
// topic that does not exist (any more): "Bad Request: message thread not
// found", as it answers for a topic deleted with its messages (or a group
// that turned its topics off), or "Bad Request: TOPIC_DELETED".
func TopicDeleted(err error) bool {
	e := apiError(err)
	if e == nil {
		return false
	}
	m := strings.ToLower(e.Message)
	return strings.Contains(m, "message thread not found") || strings.Contains(m, "topic_deleted")
}

// HasTopics asks Telegram (getChat) whether the chat chatID, a
// supergroup, has topics now (is_forum): TopicDeleted refuses a message
// for a topic deleted in a group that has them and for any topic of a
// group that turned them off alike.
func HasTopics(ctx context.Context, s *Sender, chatID int64) (bool, error) {
	resp, err := s.Request(ctx, tgbotapi.ChatInfoConfig{ChatConfig: tgbotapi.ChatConfig{ChatID: chatID}})
	if err != nil {
		return false, err
	}
	var c chat
	if err := json.Unmarshal(resp.Result, &c); err != nil {
		return false, fmt.Errorf("bot: getChat: %w", err)
	}
	return c.IsForum, nil
}

// isNotModified reports whether err is Telegram refusing an edit that
// would leave the message as it is.
func isNotModified(err error) bool {
	e := apiError(err)
	return e != nil && strings.Contains(e.Message, "message is not modified")
}

// typeLabel names a call after its tgbotapi config type, for logs and
// metrics: MessageConfig is "message", EditMessageTextConfig is
// "editMessageText". (tgbotapi keeps the method name unexported.)
func typeLabel(c tgbotapi.Chattable) string {
	t := reflect.TypeOf(c)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	name := strings.TrimSuffix(t.Name(), "Config")
	r, n := utf8.DecodeRuneInString(name)
	return string(unicode.ToLower(r)) + name[n:]
}

// chatKey identifies the chat a call goes to: by id, or by @username for
// channels. The zero key means no chat (an inline message).
type chatKey struct {
	id       int64
	username string
}

func (k chatKey) group() bool { return k.id < 0 || k.username != "" }

// chatKeyOf finds the chat a tgbotapi config is addressed to. Every
// chat-bound config has a ChatID field and most a ChannelUsername, directly
// or through an embedded BaseChat or BaseEdit.
func chatKeyOf(c tgbotapi.Chattable) chatKey {
	v := reflect.Indirect(reflect.ValueOf(c))
	if v.Kind() != reflect.Struct {
		return chatKey{}
	}
	var k chatKey
	if f := v.FieldByName("ChatID"); f.IsValid() && f.Kind() == reflect.Int64 {
		k.id = f.Int()
	}
	if f := v.FieldByName("ChannelUsername"); k.id == 0 && f.IsValid() && f.Kind() == reflect.String {
		k.username = f.String()
	}
	return k
}

// limiter hands out send slots that keep sliding-window limits per chat, per
// group and globally. A slot is counted from when it is granted; once the
// call completes it is stamped with the completion time, which is no
// earlier than the server saw the request, so windows measured from
// completions hold at the server whatever the network delay. A margin of
// 2% of each window covers clock granularity on top.
//
// Callers of one chat are served first come, first served; chats are served
// round-robin: whenever a slot frees up, the first chat in the ring whose
// own limits allow it gets it and moves to the back.
type limiter struct {
	limits Limits
	m      *Metrics

	mu        sync.Mutex
	global    *window
	chats     map[chatKey]*chatState
	ring      []*chatState // chats with waiting callers, in service order
	timer     *time.Timer  // runs pump when the next slot frees by time
	timerAt   time.Time
	lastSweep time.Time
}

// chatState is the limiter's view of one chat.
type chatState struct {
	windows []*window // the chat's own window, and its group window
	paused  time.Time // flood control or an outage: nothing before this time
	queue   []*waiter
	inRing  bool
}

type waiter struct {
	ready   chan struct{}
	granted bool
}

func newLimiter(l Limits, m *Metrics) *limiter {
	return &limiter{
		limits:    l,
		m:         m,
		global:    newWindow(l.Global, l.GlobalWindow),
		chats:     make(map[chatKey]*chatState),
		lastSweep: time.Now(),
	}
}

// chatLocked returns the state of the chat k, creating it if needed.
func (l *limiter) chatLocked(k chatKey) *chatState {
	cs := l.chats[k]
	if cs == nil {
		cs = &chatState{}
		if k != (chatKey{}) {
			cs.windows = append(cs.windows, newWindow(l.limits.PerChat, l.limits.PerChatWindow))
		}
		if k.group() {
			cs.windows = append(cs.windows, newWindow(l.limits.PerGroup, l.limits.PerGroupWindow))
		}
		l.chats[k] = cs
	}
	return cs
}

// acquire waits for a slot in the chat k and reserves it; the caller must
// pass the returned state to release once the call completes. A retry
// (front) goes ahead of the chat's other waiting callers. It returns
// ctx.Err() if ctx ends first.
func (l *limiter) acquire(ctx context.Context, k chatKey, front bool) (*chatState, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w := &waiter{ready: make(chan struct{})}
	l.mu.Lock()
	cs := l.chatLocked(k)
	if front {
		cs.queue = slices.Insert(cs.queue, 0, w)
	} else {
		cs.queue = append(cs.queue, w)
	}
	if !cs.inRing {
		cs.inRing = true
		l.ring = append(l.ring, cs)
	}
	l.m.sendWaiting(1)
	l.pump(time.Now())
	granted := w.granted
	l.mu.Unlock()

	if !granted {
		// The update the caller handles lends its worker meanwhile.
		defer pause(ctx).resume()
	}
	select {
	case <-w.ready:
		return cs, nil
	case <-ctx.Done():
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if w.granted {
		return cs, nil // granted meanwhile: use the slot
	}
	cs.queue = slices.DeleteFunc(cs.queue, func(x *waiter) bool { return x == w })
	if len(cs.queue) == 0 {
		l.leaveRing(cs)
	}
	l.m.sendWaiting(-1)
	return nil, ctx.Err()
}

// release stamps the slot acquire reserved in cs and, after flood control
// or a brief outage (see Sender.again), pauses the chat for pause. A chat is not forgotten while it has waiting
// callers, calls in flight, a pause or stamps within its windows, so the
// state acquire returned stays the chat's only one.
func (l *limiter) release(cs *chatState, pause time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	l.global.complete(now)
	for _, w := range cs.windows {
		w.complete(now)
	}
	if pause > 0 {
		cs.paused = now.Add(pause)
	}
	l.pump(now)
}

// pump grants slots to waiting callers while limits allow, and otherwise
// arranges to run again when the next slot frees by time. Slots held by
// calls in flight free up in release, which pumps.
func (l *limiter) pump(now time.Time) {
	l.sweep(now)
	for len(l.ring) > 0 {
		at, ok := l.global.freeAt(now)
		if !ok {
			return
		}
		if at.After(now) {
			l.wakeAt(at)
			return
		}
		var next time.Time
		granted := false
		for _, cs := range l.ring {
			at, ok := cs.freeAt(now)
			if !ok {
				continue
			}
			if at.After(now) {
				if next.IsZero() || at.Before(next) {
					next = at
				}
				continue
			}
			l.grant(cs)
			granted = true
			break
		}
		if !granted {
			if !next.IsZero() {
				l.wakeAt(next)
			}
			return
		}
	}
}

// grant gives the slot to the first caller waiting in cs and moves cs to
// the back of the ring.
func (l *limiter) grant(cs *chatState) {
	w := cs.queue[0]
	cs.queue = cs.queue[1:]
	l.leaveRing(cs)
	if len(cs.queue) > 0 {
		cs.inRing = true
		l.ring = append(l.ring, cs)
	}
	l.global.reserve()
	for _, win := range cs.windows {
		win.reserve()
	}
	w.granted = true
	close(w.ready)
	l.m.sendWaiting(-1)
}

func (l *limiter) leaveRing(cs *chatState) {
	if cs.inRing {
		cs.inRing = false
		l.ring = slices.DeleteFunc(l.ring, func(x *chatState) bool { return x == cs })
	}
}

// wakeAt makes pump run at t, unless it already will by then.
func (l *limiter) wakeAt(t time.Time) {
	if !l.timerAt.IsZero() && !l.timerAt.After(t) {
		return
	}
	l.timerAt = t
	d := time.Until(t)
	if l.timer == nil {
		l.timer = time.AfterFunc(d, l.wake)
	} else {
		l.timer.Reset(d)
	}
}

func (l *limiter) wake() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.timerAt = time.Time{}
	l.pump(time.Now())
}

// sweep forgets, about once per longest window, the chats whose windows
// have emptied, so the map does not grow with every chat ever served.
func (l *limiter) sweep(now time.Time) {
	span := max(l.limits.PerChatWindow, l.limits.PerGroupWindow)
	if now.Sub(l.lastSweep) < span {
		return
	}
	l.lastSweep = now
	for k, cs := range l.chats {
		if len(cs.queue) == 0 && now.After(cs.paused) && !slices.ContainsFunc(cs.windows, func(w *window) bool { return w.busy(now) }) {
			delete(l.chats, k)
		}
	}
}

// freeAt reports when cs's own limits next allow a call, or false if that
// waits on calls in flight.
func (cs *chatState) freeAt(now time.Time) (time.Time, bool) {
	at := now
	if cs.paused.After(at) {
		at = cs.paused
	}
	for _, w := range cs.windows {
		t, ok := w.freeAt(now)
		if !ok {
			return time.Time{}, false
		}
		if t.After(at) {
			at = t
		}
	}
	return at, true
}

// window is a sliding-window limit: at most n calls whose slots overlap any
// span of time. It keeps the completion times of the last n calls, in
// order, and the number of calls in flight.
type window struct {
	n        int
	span     time.Duration // the window plus its safety margin
	stamps   []time.Time
	inflight int
}

func newWindow(n int, d time.Duration) *window {
	return &window{n: n, span: d + d/50}
}

// freeAt reports when the window has room for one more call, or false if
// it is full of calls in flight.
func (w *window) freeAt(now time.Time) (time.Time, bool) {
	room := w.n - w.inflight
	if room <= 0 {
		return time.Time{}, false
	}
	// At most room-1 completed calls may lie within the span before the
	// new one: the room-th most recent must have left it.
	k := len(w.stamps)
	if k < room {
		return now, true
	}
	at := w.stamps[k-room].Add(w.span)
	if at.Before(now) {
		at = now
	}
	return at, true
}

func (w *window) reserve() { w.inflight++ }

// complete turns one call in flight into a completed one at t.
func (w *window) complete(t time.Time) {
	w.inflight--
	i := len(w.stamps)
	for i > 0 && w.stamps[i-1].After(t) {
		i--
	}
	w.stamps = slices.Insert(w.stamps, i, t)
	if len(w.stamps) > w.n {
		w.stamps = slices.Delete(w.stamps, 0, len(w.stamps)-w.n)
	}
}

// busy reports whether the window still constrains calls made at now.
func (w *window) busy(now time.Time) bool {
	return w.inflight > 0 || (len(w.stamps) > 0 && now.Sub(w.stamps[len(w.stamps)-1]) < w.span)
}
