package telegramtest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/telegramtest"
)

func TestGetMe(t *testing.T) {
	srv := newServer(t, telegramtest.WithBotUsername("@thidua_bot"))
	bot := newBot(t, srv)
	if !bot.Self.IsBot || bot.Self.UserName != "thidua_bot" || bot.Self.ID != srv.BotUser().ID {
		t.Errorf("Self = %+v, want the bot thidua_bot with id %d", bot.Self, srv.BotUser().ID)
	}
	if !strings.HasPrefix(srv.Token(), fmt.Sprintf("%d:", srv.BotUser().ID)) {
		t.Errorf("Token() = %q, want the bot id as prefix", srv.Token())
	}
}

func TestWrongTokenIsUnauthorized(t *testing.T) {
	srv := newServer(t)
	if _, err := tgbotapi.NewBotAPIWithAPIEndpoint("123456789:WRONG", srv.Endpoint()); err == nil {
		t.Fatal("NewBotAPIWithAPIEndpoint with a wrong token succeeded")
	}
	status, resp := callURL(t, fmt.Sprintf(srv.Endpoint(), "123456789:WRONG", "getMe"), nil)
	if status != http.StatusUnauthorized || resp.ErrorCode != 401 || resp.Description != "Unauthorized" {
		t.Errorf("getMe with a wrong token = %d %d %q, want 401 Unauthorized", status, resp.ErrorCode, resp.Description)
	}
	if got := srv.Requests("getMe"); len(got) != 2 || got[1].Status != http.StatusUnauthorized {
		t.Errorf("Requests(getMe) = %+v, want 2 calls, the second refused", got)
	}
}

func TestUnknownMethodIsNotFound(t *testing.T) {
	srv := newServer(t)
	mustFail(t, srv, "sendDice", nil, http.StatusNotFound, "Not Found")
	// Method names are case-insensitive, as on Telegram.
	mustOK(t, srv, "GETME", nil)
	if got := srv.Requests("getMe"); len(got) != 1 {
		t.Errorf("Requests(getMe) = %d calls, want the GETME call under its canonical name", len(got))
	}
}

// FailNext fails the next calls of one method, case-insensitively named,
// with a server error that changes nothing; other methods answer as usual.
func TestFailNext(t *testing.T) {
	srv := newServer(t)
	g := srv.NewGroup("Nhóm")
	srv.FailNext("setMyCommands", 2)
	params := url.Values{"commands": {`[{"command":"help","description":"Trợ giúp"}]`}, "scope": {`{"type":"chat","chat_id":` + fmt.Sprint(g.ID) + `}`}}
	mustFail(t, srv, "setMyCommands", params, http.StatusInternalServerError, "Internal Server Error")
	mustOK(t, srv, "getMe", nil)
	mustFail(t, srv, "SETMYCOMMANDS", params, http.StatusInternalServerError, "Internal Server Error")
	if sets := srv.Commands(); len(sets) != 0 {
		t.Fatalf("a failed call set commands: %+v", sets)
	}
	mustOK(t, srv, "setMyCommands", params)
	if sets := srv.Commands(); len(sets) != 1 {
		t.Fatalf("after the failures: %+v", sets)
	}
}

// FailNextWithStatus fails the next calls of one method as Telegram's
// front end does in an outage: with nginx's HTML page for the status, not
// the Bot API's JSON, changing nothing; other methods answer as usual, and
// a status of 500 is the Bot API's JSON error FailNext answers.
func TestFailNextWithStatus(t *testing.T) {
	srv := newServer(t)
	u := srv.NewUser("Lan", "lan_tw")
	params := url.Values{"chat_id": {chatParam(u.ID)}, "text": {"Xin chào"}}
	srv.FailNextWithStatus("sendMessage", 3, http.StatusBadGateway)
	for i := range 3 {
		resp, err := http.PostForm(fmt.Sprintf(srv.Endpoint(), srv.Token(), "SENDMESSAGE"), params)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		want := "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
		if resp.StatusCode != http.StatusBadGateway || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || string(body) != want {
			t.Fatalf("call %d = %d %q %q, want nginx's 502 page", i, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if i == 0 {
			mustOK(t, srv, "getMe", nil)
		}
	}
	if msgs := srv.Messages(u.ID); len(msgs) != 0 {
		t.Fatalf("a failed call sent %+v", msgs)
	}
	mustOK(t, srv, "sendMessage", params)
	if msgs := srv.Messages(u.ID); len(msgs) != 1 {
		t.Fatalf("after the failures: %+v", msgs)
	}
	var statuses []int
	for _, r := range srv.Requests("sendMessage") {
		statuses = append(statuses, r.Status)
	}
	if !reflect.DeepEqual(statuses, []int{502, 502, 502, 200}) {
		t.Errorf("statuses recorded = %v", statuses)
	}

	for _, status := range []int{http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
		srv.FailNextWithStatus("getMe", 1, status)
		resp, err := http.PostForm(fmt.Sprintf(srv.Endpoint(), srv.Token(), "getMe"), nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		title := fmt.Sprintf("<title>%d %s</title>", status, http.StatusText(status))
		if resp.StatusCode != status || !strings.Contains(string(body), title) {
			t.Errorf("getMe = %d %q, want nginx's %d page", resp.StatusCode, body, status)
		}
	}
	srv.FailNextWithStatus("getMe", 1, http.StatusInternalServerError)
	mustFail(t, srv, "getMe", nil, http.StatusInternalServerError, "Internal Server Error")
	mustOK(t, srv, "getMe", nil)
}

// ClearFailures cancels the failures of every method not used up yet:
// the calls after it are served.
func TestClearFailures(t *testing.T) {
	srv := newServer(t)
	u := srv.NewUser("Lan", "lan_tw")
	params := url.Values{"chat_id": {chatParam(u.ID)}, "text": {"Xin chào"}}
	srv.FailNext("sendMessage", 3)
	srv.FailNextWithStatus("getMe", 2, http.StatusServiceUnavailable)
	mustFail(t, srv, "sendMessage", params, http.StatusInternalServerError, "Internal Server Error")
	srv.ClearFailures()
	mustOK(t, srv, "sendMessage", params)
	mustOK(t, srv, "getMe", nil)
	if msgs := srv.Messages(u.ID); len(msgs) != 1 {
		t.Fatalf("after ClearFailures: %+v", msgs)
	}
	srv.FailNext("sendMessage", 1) // failures set after it fail as before
	mustFail(t, srv, "sendMessage", params, http.StatusInternalServerError, "Internal Server Error")
	mustOK(t, srv, "sendMessage", params)
}

func TestParametersFromJSONBodyAndQueryString(t *testing.T) {
	srv := newServer(t)
	u := srv.NewUser("Lan", "lan_tw")

	body, _ := json.Marshal(map[string]any{
		"chat_id": u.ID,
		"text":    "<b>JSON</b>",
		"reply_markup": map[string]any{"inline_keyboard": [][]map[string]string{
			{{"text": "OK", "callback_data": "ok"}},
		}},
	})
	resp, err := http.Post(fmt.Sprintf(srv.Endpoint(), srv.Token(), "sendMessage")+"?parse_mode=HTML", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sendMessage with a JSON body = %d", resp.StatusCode)
	}

	q := url.Values{"chat_id": {chatParam(u.ID)}, "text": {"query"}}
	resp, err = http.Get(fmt.Sprintf(srv.Endpoint(), srv.Token(), "sendMessage") + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sendMessage by GET = %d", resp.StatusCode)
	}

	msgs := srv.Messages(u.ID)
	if len(msgs) != 2 {
		t.Fatalf("Messages = %d, want 2", len(msgs))
	}
	if msgs[0].Text != "JSON" || msgs[0].HTML != "<b>JSON</b>" || !msgs[0].HasButton("ok") {
		t.Errorf("JSON message = %+v, want text JSON with an ok button", msgs[0])
	}
	if msgs[1].Text != "query" {
		t.Errorf("GET message text = %q, want query", msgs[1].Text)
	}
	reqs := srv.Requests("sendMessage")
	if len(reqs) != 2 || reqs[0].Params.Get("parse_mode") != "HTML" || reqs[1].Params.Get("text") != "query" {
		t.Errorf("Requests(sendMessage) = %+v, want both calls with their parameters", reqs)
	}
	all := srv.Requests("")
	if from := srv.RequestsFrom(1); !reflect.DeepEqual(from, all[1:]) {
		t.Errorf("RequestsFrom(1) = %+v, want %+v", from, all[1:])
	}
	if from := srv.RequestsFrom(len(all) + 1); len(from) != 0 {
		t.Errorf("RequestsFrom past the last call = %+v, want none", from)
	}
}

func TestCloseEndsLongPolls(t *testing.T) {
	srv := telegramtest.NewServer()
	done := make(chan int)
	go func() {
		resp, err := http.PostForm(fmt.Sprintf(srv.Endpoint(), srv.Token(), "getUpdates"), url.Values{"timeout": {"30"}})
		if err != nil {
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	waitInFlight(t, srv, "getUpdates")
	srv.Close()
	if status := <-done; status != http.StatusOK && status != 0 {
		t.Errorf("long poll ended with %d on Close", status)
	}
	srv.Close() // idempotent
}
