package telegramtest_test

import (
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/telegramtest"
)

// retryAfter returns the retry_after of a 429 error, or fails the test.
func retryAfter(t *testing.T, err error) int {
	t.Helper()
	var apiErr *tgbotapi.Error
	if !errors.As(err, &apiErr) || apiErr.Code != http.StatusTooManyRequests || apiErr.RetryAfter < 1 {
		t.Fatalf("err = %#v, want 429 with retry_after", err)
	}
	return apiErr.RetryAfter
}

func TestPerChatLimit(t *testing.T) {
	window := 100 * time.Millisecond
	srv := newServer(t, telegramtest.WithLimits(telegramtest.Limits{PerChat: 1, PerChatWindow: window}))
	bot := newBot(t, srv)
	a, b := srv.NewUser("A", ""), srv.NewUser("B", "")

	if _, err := bot.Send(tgbotapi.NewMessage(a.ID, "1")); err != nil {
		t.Fatal(err)
	}
	_, err := bot.Send(tgbotapi.NewMessage(a.ID, "2"))
	if got := retryAfter(t, err); got != 1 {
		t.Errorf("retry_after = %d, want 1 (a 100ms wait rounds up)", got)
	}
	if err.Error() != "Too Many Requests: retry after 1" {
		t.Errorf("description = %q", err.Error())
	}
	// Other chats have their own budget.
	if _, err := bot.Send(tgbotapi.NewMessage(b.ID, "1")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(window + 10*time.Millisecond)
	if _, err := bot.Send(tgbotapi.NewMessage(a.ID, "2")); err != nil {
		t.Fatalf("send after the window: %v", err)
	}
	if srv.Count429() != 1 || srv.Sent(a.ID) != 2 {
		t.Errorf("Count429 = %d, Sent = %d; want 1 and 2 (refused sends do not count)", srv.Count429(), srv.Sent(a.ID))
	}
	times := srv.SendTimes(a.ID)
	if gap := times[1].Sub(times[0]); gap < window {
		t.Errorf("accepted sends %v apart, want at least %v", gap, window)
	}
	// deleteMessage is not rate limited.
	last, _ := srv.LastMessage(a.ID)
	mustOK(t, srv, "deleteMessage", url.Values{"chat_id": {chatParam(a.ID)}, "message_id": {itoa(last.ID)}})
	if reqs := srv.Requests("sendMessage"); reqs[1].Status != http.StatusTooManyRequests {
		t.Errorf("second sendMessage recorded with status %d, want 429", reqs[1].Status)
	}
}

func TestGroupAndGlobalLimits(t *testing.T) {
	srv := newServer(t, telegramtest.WithLimits(telegramtest.Limits{
		PerGroup: 2, PerGroupWindow: time.Minute,
		Global: 3, GlobalWindow: time.Minute,
	}))
	g := srv.NewGroup("Team")
	u1, u2 := srv.NewUser("A", ""), srv.NewUser("B", "")
	send := func(chatID int64) (int, string) {
		status, resp := call(t, srv, "sendMessage", url.Values{"chat_id": {chatParam(chatID)}, "text": {"x"}})
		return status, resp.Description
	}
	for range 2 {
		if status, desc := send(g.ID); status != http.StatusOK {
			t.Fatalf("group send = %d %q", status, desc)
		}
	}
	resp := mustFail(t, srv, "sendMessage", url.Values{"chat_id": {chatParam(g.ID)}, "text": {"x"}}, http.StatusTooManyRequests, "Too Many Requests: retry after")
	if resp.Parameters == nil || resp.Parameters.RetryAfter < 59 || resp.Parameters.RetryAfter > 60 {
		t.Errorf("group retry_after = %+v, want about 60", resp.Parameters)
	}
	// The group limit does not apply to private chats; the global one does.
	if status, desc := send(u1.ID); status != http.StatusOK {
		t.Fatalf("private send = %d %q", status, desc)
	}
	if status, _ := send(u2.ID); status != http.StatusTooManyRequests {
		t.Errorf("fourth send overall = %d, want 429 from the global limit", status)
	}
	if srv.Count429() != 2 {
		t.Errorf("Count429 = %d, want 2", srv.Count429())
	}
}

func TestTelegramLimitsPerChat(t *testing.T) {
	srv := newServer(t, telegramtest.WithLimits(telegramtest.TelegramLimits))
	u := srv.NewUser("A", "")
	mustOK(t, srv, "sendMessage", url.Values{"chat_id": {chatParam(u.ID)}, "text": {"1"}})
	resp := mustFail(t, srv, "sendMessage", url.Values{"chat_id": {chatParam(u.ID)}, "text": {"2"}}, http.StatusTooManyRequests, "Too Many Requests: retry after 1")
	if resp.Parameters == nil || resp.Parameters.RetryAfter != 1 {
		t.Errorf("parameters = %+v, want retry_after 1", resp.Parameters)
	}
}

func TestInject429(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	u := srv.NewUser("A", "")
	srv.Inject429(2, 7)
	// A send refused for another reason does not use up the storm.
	mustFail(t, srv, "sendMessage", url.Values{"chat_id": {chatParam(u.ID)}}, http.StatusBadRequest, "Bad Request: message text is empty")
	for range 2 {
		_, err := bot.Send(tgbotapi.NewMessage(u.ID, "x"))
		if got := retryAfter(t, err); got != 7 {
			t.Errorf("retry_after = %d, want 7", got)
		}
	}
	if _, err := bot.Send(tgbotapi.NewMessage(u.ID, "x")); err != nil {
		t.Fatalf("send after the storm: %v", err)
	}
	if srv.Count429() != 2 || srv.Sent(u.ID) != 1 {
		t.Errorf("Count429 = %d, Sent = %d; want 2 and 1", srv.Count429(), srv.Sent(u.ID))
	}
}
