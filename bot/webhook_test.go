package bot

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestWebhookHandler(t *testing.T) {
	const secret = "s3cret_token-1"
	f := newFake(t)
	var dispatched atomic.Int32
	d := NewDispatcher(DispatcherConfig{
		Handler: HandlerFunc(func(context.Context, tgbotapi.Update) error { dispatched.Add(1); return nil }),
		Sender:  f.sender(), Log: discard(),
	})
	h := WebhookHandler(secret, d, discard())
	const update = `{"update_id": 7, "message": {"message_id": 1, "date": 1, "chat": {"id": 1, "type": "private"}, "text": "hi"}}`

	for _, tc := range []struct {
		name, method, secret, body string
		want                       int
		dispatched                 bool
	}{
		{"good", http.MethodPost, secret, update, http.StatusOK, true},
		{"wrong secret", http.MethodPost, "s3cret_token-2", update, http.StatusForbidden, false},
		{"missing secret", http.MethodPost, "", update, http.StatusForbidden, false},
		{"prefix of the secret", http.MethodPost, secret[:5], update, http.StatusForbidden, false},
		{"GET", http.MethodGet, secret, "", http.StatusMethodNotAllowed, false},
		{"bad JSON", http.MethodPost, secret, `{"update_id": `, http.StatusBadRequest, false},
		{"no update_id", http.MethodPost, secret, `{}`, http.StatusBadRequest, false},
		{"too large", http.MethodPost, secret, `{"update_id": 8, "x": "` + strings.Repeat("a", maxUpdateSize) + `"}`, http.StatusRequestEntityTooLarge, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := dispatched.Load()
			r := httptest.NewRequest(tc.method, "/webhook", strings.NewReader(tc.body))
			if tc.secret != "" {
				r.Header.Set(SecretHeader, tc.secret)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.want {
				t.Errorf("status = %d, want %d (%s)", w.Code, tc.want, w.Body)
			}
			if got := dispatched.Load() > before; got != tc.dispatched {
				t.Errorf("dispatched = %v, want %v", got, tc.dispatched)
			}
		})
	}
}

func TestSetWebhook(t *testing.T) {
	f := newFake(t)
	s := f.sender()
	if err := SetWebhook(s, "https://example.org/hook", "abc_DEF-123"); err != nil {
		t.Fatal(err)
	}
	calls := f.callsTo("setWebhook")
	if len(calls) != 1 {
		t.Fatalf("setWebhook calls = %d", len(calls))
	}
	p := calls[0].params
	if p.Get("url") != "https://example.org/hook" || p.Get("secret_token") != "abc_DEF-123" ||
		!strings.Contains(p.Get("allowed_updates"), `"my_chat_member"`) || p.Get("max_connections") == "" {
		t.Errorf("setWebhook params = %v", p)
	}
	if err := SetWebhook(s, "https://example.org/hook", "bad secret!"); err == nil {
		t.Error("SetWebhook accepted a secret Telegram refuses")
	}
}

// A press that comes by webhook is decoded as by the poller: its message is
// a reference (see incoming), the rest as Telegram sent it.
func TestWebhookPress(t *testing.T) {
	f := newFake(t)
	got := make(chan tgbotapi.Update, 1)
	d := NewDispatcher(DispatcherConfig{
		Handler: HandlerFunc(func(_ context.Context, u tgbotapi.Update) error { got <- u; return nil }),
		Sender:  f.sender(), Log: discard(),
	})
	const press = `{"update_id": 9, "callback_query": {"id": "q9", "from": {"id": 5, "first_name": "Lan", "language_code": "vi"},
		"message": {"message_id": 42, "date": 3, "chat": {"id": -100, "type": "supergroup"}, "text": "Bầu Khối trưởng",
			"reply_markup": {"inline_keyboard": [[{"text": "Tỉnh Đoàn", "callback_data": "v:e1:u2"}]]}},
		"chat_instance": "-7", "data": "v:e1:u2"}}`
	w := httptest.NewRecorder()
	WebhookHandler("", d, discard()).ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/webhook", strings.NewReader(press)))
	if w.Code != http.StatusOK {
		t.Fatalf("status = %d (%s)", w.Code, w.Body)
	}
	u := <-got
	p := u.CallbackQuery
	if u.UpdateID != 9 || p == nil || p.ID != "q9" || p.From.ID != 5 || p.From.LanguageCode != "vi" || p.ChatInstance != "-7" || p.Data != "v:e1:u2" {
		t.Fatalf("dispatched %+v, callback %+v", u, p)
	}
	if m := p.Message; m == nil || m.MessageID != 42 || m.Date != 3 || m.Chat.ID != -100 || m.Chat.Type != "supergroup" || m.Text != "" || m.ReplyMarkup != nil {
		t.Errorf("the pressed message is %+v, want its id, date and chat only", m)
	}
}

// A flood of requests with a wrong secret is logged once a minute, with
// how many were refused, not once a request: anyone who can reach the
// endpoint could otherwise fill the log.
func TestWebhookRefusalsLoggedOnceAMinute(t *testing.T) {
	f := newFake(t)
	d := NewDispatcher(DispatcherConfig{
		Handler: HandlerFunc(func(context.Context, tgbotapi.Update) error { return nil }),
		Sender:  f.sender(), Log: discard(),
	})
	log, buf := captureLog()
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	h := webhookHandler("s3cret", d, log, func() time.Time { return now })
	refuse := func(n int) {
		for range n {
			r := httptest.NewRequest(http.MethodPost, "/webhook", strings.NewReader(`{"update_id": 1}`))
			r.Header.Set(SecretHeader, "wrong")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusForbidden {
				t.Fatalf("status = %d", w.Code)
			}
		}
	}
	refuse(100)
	if got := strings.Count(buf.String(), "wrong or missing secret"); got != 1 {
		t.Fatalf("%d lines for 100 refusals in a minute:\n%s", got, buf)
	}
	now = now.Add(time.Minute)
	refuse(1)
	if got := strings.Count(buf.String(), "wrong or missing secret"); got != 2 || !strings.Contains(buf.String(), "refused=100") {
		t.Fatalf("the next minute's line does not count the refusals since the last:\n%s", buf)
	}
}
