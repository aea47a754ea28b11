package bot

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

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
