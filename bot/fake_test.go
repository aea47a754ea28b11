package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// testToken has the form of a real token; tests check that it never leaks.
const testToken = "123456789:AAE-fake_Secret0123456789abcdefghijk"

// call is one request the fake Bot API received.
type call struct {
	method string
	params url.Values
	at     time.Time
}

// reply is the fake's answer to one request.
type reply struct {
	status int
	body   map[string]any
}

func ok(result any) reply {
	return reply{status: http.StatusOK, body: map[string]any{"ok": true, "result": result}}
}

func fail(status int, desc string, params map[string]any) reply {
	body := map[string]any{"ok": false, "error_code": status, "description": desc}
	if params != nil {
		body["parameters"] = params
	}
	return reply{status: status, body: body}
}

// fakeAPI is a small in-process Bot API: it records every call and answers
// from per-method hooks, with defaults for the methods the tests use. Its
// getUpdates serves a queue with Telegram's offset semantics and long
// polling.
type fakeAPI struct {
	t   testing.TB
	srv *httptest.Server

	mu        sync.Mutex
	calls     []call
	hooks     map[string]func(url.Values) reply
	nextMsgID int
	updates   []tgbotapi.Update // not yet confirmed
	confirmed int               // the highest offset received
	newUpdate chan struct{}     // closed and replaced when updates are added
}

func newFake(t testing.TB) *fakeAPI {
	f := &fakeAPI{t: t, hooks: map[string]func(url.Values) reply{}, newUpdate: make(chan struct{})}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// endpoint is the fake's address in tgbotapi's endpoint format.
func (f *fakeAPI) endpoint() string { return f.srv.URL + "/bot%s/%s" }

// on sets the answer to method.
func (f *fakeAPI) on(method string, h func(url.Values) reply) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hooks[method] = h
}

// api returns a client of the fake built by NewAPI.
func (f *fakeAPI) api() *tgbotapi.BotAPI {
	f.t.Helper()
	api, err := NewAPI(Config{Token: testToken, APIEndpoint: f.endpoint(), Log: discard()})
	if err != nil {
		f.t.Fatalf("NewAPI: %v", err)
	}
	return api
}

// sender returns a Sender on the fake with limits that never bind unless
// given.
func (f *fakeAPI) sender(l ...Limits) *Sender {
	lim := Limits{PerChat: 1000, PerChatWindow: time.Millisecond, PerGroup: 1000, PerGroupWindow: time.Millisecond, Global: 1000, GlobalWindow: time.Millisecond}
	if len(l) > 0 {
		lim = l[0]
	}
	return NewSender(f.api(), lim, nil, discard())
}

func (f *fakeAPI) callsTo(method string) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if c.method == method {
			out = append(out, c)
		}
	}
	return out
}

// push adds updates for getUpdates to serve.
func (f *fakeAPI) push(us ...tgbotapi.Update) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.updates = append(f.updates, us...)
	close(f.newUpdate)
	f.newUpdate = make(chan struct{})
}

// unconfirmed returns the ids of the updates Telegram would send again.
func (f *fakeAPI) unconfirmed() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []int
	for _, u := range f.updates {
		if u.UpdateID >= f.confirmed {
			ids = append(ids, u.UpdateID)
		}
	}
	return ids
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	at := time.Now()
	rest, found := strings.CutPrefix(r.URL.Path, "/bot"+testToken+"/")
	if !found {
		f.write(w, fail(http.StatusUnauthorized, "Unauthorized", nil))
		return
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
		f.write(w, fail(http.StatusBadRequest, "Bad Request: "+err.Error(), nil))
		return
	}
	f.mu.Lock()
	f.calls = append(f.calls, call{method: rest, params: r.Form, at: at})
	h := f.hooks[rest]
	f.mu.Unlock()
	if h != nil {
		f.write(w, h(r.Form))
		return
	}
	f.write(w, f.defaultReply(r, rest))
}

func (f *fakeAPI) defaultReply(r *http.Request, method string) reply {
	v := r.Form
	switch method {
	case "getMe":
		return ok(map[string]any{"id": 123456789, "is_bot": true, "first_name": "Thi Đua", "username": "thidua_bot"})
	case "sendMessage", "sendDocument", "sendPhoto":
		f.mu.Lock()
		f.nextMsgID++
		id := f.nextMsgID
		f.mu.Unlock()
		chat, _ := strconv.ParseInt(v.Get("chat_id"), 10, 64)
		return ok(map[string]any{"message_id": id, "date": 1, "chat": map[string]any{"id": chat, "type": "private"}, "text": v.Get("text")})
	case "editMessageText", "editMessageReplyMarkup":
		chat, _ := strconv.ParseInt(v.Get("chat_id"), 10, 64)
		id, _ := strconv.Atoi(v.Get("message_id"))
		return ok(map[string]any{"message_id": id, "date": 1, "chat": map[string]any{"id": chat, "type": "private"}, "text": v.Get("text")})
	case "getUpdates":
		return f.getUpdates(r)
	case "getChatMember":
		return ok(map[string]any{"user": map[string]any{"id": 1, "first_name": "X"}, "status": "member"})
	default:
		return ok(true)
	}
}

func (f *fakeAPI) getUpdates(r *http.Request) reply {
	offset, _ := strconv.Atoi(r.Form.Get("offset"))
	timeout, _ := strconv.Atoi(r.Form.Get("timeout"))
	limit, _ := strconv.Atoi(r.Form.Get("limit"))
	deadline := time.After(time.Duration(timeout) * time.Second)
	for {
		f.mu.Lock()
		f.confirmed = max(f.confirmed, offset)
		var out []tgbotapi.Update
		for _, u := range f.updates {
			if u.UpdateID >= offset && (limit == 0 || len(out) < limit) {
				out = append(out, u)
			}
		}
		wait := f.newUpdate
		f.mu.Unlock()
		if len(out) > 0 || timeout == 0 {
			return ok(out)
		}
		select {
		case <-wait:
		case <-deadline:
			return ok([]tgbotapi.Update{})
		case <-r.Context().Done():
			return ok([]tgbotapi.Update{})
		}
	}
}

func (f *fakeAPI) write(w http.ResponseWriter, rp reply) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rp.status)
	if err := json.NewEncoder(w).Encode(rp.body); err != nil {
		f.t.Errorf("fake: writing the reply: %v", err)
	}
}

// discard returns a logger that drops everything.
func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// logBuffer is a concurrency-safe buffer for captured log output.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func captureLog() (*slog.Logger, *logBuffer) {
	buf := &logBuffer{}
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

// testCtx returns a context that ends with the test or after 10 s.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}
