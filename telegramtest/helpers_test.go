package telegramtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/telegramtest"
)

// newServer starts a server that is closed when the test ends.
func newServer(t *testing.T, opts ...telegramtest.Option) *telegramtest.Server {
	t.Helper()
	srv := telegramtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// newBot connects the real tgbotapi client to srv.
func newBot(t *testing.T, srv *telegramtest.Server) *tgbotapi.BotAPI {
	t.Helper()
	bot, err := tgbotapi.NewBotAPIWithAPIEndpoint(srv.Token(), srv.Endpoint())
	if err != nil {
		t.Fatalf("NewBotAPIWithAPIEndpoint: %v", err)
	}
	return bot
}

// call makes a raw form-encoded Bot API call and returns the HTTP status and
// the decoded answer.
func call(t *testing.T, srv *telegramtest.Server, method string, params url.Values) (int, tgbotapi.APIResponse) {
	t.Helper()
	return callURL(t, fmt.Sprintf(srv.Endpoint(), srv.Token(), method), params)
}

// callURL posts params form-encoded to u and decodes the answer.
func callURL(t *testing.T, u string, params url.Values) (int, tgbotapi.APIResponse) {
	t.Helper()
	resp, err := http.PostForm(u, params)
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	defer resp.Body.Close()
	var out tgbotapi.APIResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("decode answer of %s: %v", u, err)
	}
	return resp.StatusCode, out
}

// mustOK fails the test unless the call succeeded, and returns its result.
func mustOK(t *testing.T, srv *telegramtest.Server, method string, params url.Values) json.RawMessage {
	t.Helper()
	status, resp := call(t, srv, method, params)
	if status != http.StatusOK || !resp.Ok {
		t.Fatalf("%s(%v) = %d %q, want success", method, params, status, resp.Description)
	}
	return resp.Result
}

// mustFail fails the test unless the call was refused with status and a
// description starting with want, and returns the answer.
func mustFail(t *testing.T, srv *telegramtest.Server, method string, params url.Values, status int, want string) tgbotapi.APIResponse {
	t.Helper()
	got, resp := call(t, srv, method, params)
	if got != status || resp.Ok || resp.ErrorCode != status || !strings.HasPrefix(resp.Description, want) {
		t.Fatalf("%s(%v) = %d ok=%v code=%d %q, want %d %q", method, params, got, resp.Ok, resp.ErrorCode, resp.Description, status, want)
	}
	return resp
}

// getUpdates calls getUpdates and decodes the updates.
func getUpdates(t *testing.T, srv *telegramtest.Server, params url.Values) []tgbotapi.Update {
	t.Helper()
	var updates []tgbotapi.Update
	if err := json.Unmarshal(mustOK(t, srv, "getUpdates", params), &updates); err != nil {
		t.Fatalf("decode updates: %v", err)
	}
	return updates
}

// ids returns the update ids of updates.
func ids(updates []tgbotapi.Update) []int {
	out := make([]int, len(updates))
	for i, u := range updates {
		out[i] = u.UpdateID
	}
	return out
}

// chatParam returns the chat_id parameter of a chat.
func chatParam(id int64) string { return fmt.Sprint(id) }

// waitInFlight waits until a call of method is being served.
func waitInFlight(t *testing.T, srv *telegramtest.Server, method string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		for _, r := range srv.Requests(method) {
			if r.Status == 0 {
				return
			}
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("no %s call in flight", method)
}

// itoa formats an int.
func itoa(n int) string { return fmt.Sprint(n) }
