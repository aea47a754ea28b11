package bot

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

const testSecret = "AAE-fake_Secret0123456789abcdefghijk"

// leaks reports whether s contains the token or its secret part.
func leaks(s string) bool {
	return strings.Contains(s, testToken) || strings.Contains(s, testSecret)
}

func TestRedact(t *testing.T) {
	for _, in := range []string{
		"POST https://api.telegram.org/bot" + testToken + "/getMe",
		"escaped: /bot123456789%3A" + testSecret + "/getMe",
		testToken,
	} {
		got := Redact(in, testToken)
		if leaks(got) || !strings.Contains(got, "<redacted>") {
			t.Errorf("Redact(%q) = %q", in, got)
		}
	}
	if got := Redact("nothing here", testToken); got != "nothing here" {
		t.Errorf("Redact changed a token-free string: %q", got)
	}
	if got := Redact("x", ""); got != "x" {
		t.Errorf("Redact with no token = %q", got)
	}
}

func TestValidToken(t *testing.T) {
	if err := ValidToken(testToken); err != nil {
		t.Errorf("ValidToken(good) = %v", err)
	}
	for _, bad := range []string{"", "abc", testSecret, " " + testToken, `"` + testToken + `"`, "123:short", "12a:" + testSecret} {
		err := ValidToken(bad)
		if err == nil {
			t.Errorf("ValidToken(%q) = nil", bad)
			continue
		}
		if bad != "" && strings.Contains(err.Error(), strings.Trim(bad, ` "`)) {
			t.Errorf("ValidToken echoes the token: %v", err)
		}
		if !strings.Contains(err.Error(), "@BotFather") {
			t.Errorf("ValidToken error does not say where tokens come from: %v", err)
		}
	}
}

func TestNewAPITransportErrorIsRedacted(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now

	log, buf := captureLog()
	_, err = NewAPI(Config{Token: testToken, APIEndpoint: "http://" + addr + "/bot%s/%s", Log: log})
	if err == nil {
		t.Fatal("NewAPI succeeded against a closed port")
	}
	if leaks(err.Error()) {
		t.Errorf("error leaks the token: %v", err)
	}
	var ue *url.Error
	if !errors.As(err, &ue) || leaks(ue.URL) {
		t.Errorf("want a token-free *url.Error inside, got %#v", err)
	}
	if leaks(buf.String()) {
		t.Errorf("log leaks the token: %s", buf)
	}
}

func TestNewAPIUnauthorizedIsRedacted(t *testing.T) {
	f := newFake(t)
	// A hostile server that echoes the request path, token and all.
	f.on("getMe", func(url.Values) reply {
		return fail(http.StatusUnauthorized, "Unauthorized: /bot"+testToken+"/getMe", nil)
	})
	_, err := NewAPI(Config{Token: testToken, APIEndpoint: f.endpoint(), Log: discard()})
	if err == nil {
		t.Fatal("NewAPI succeeded on 401")
	}
	if leaks(err.Error()) {
		t.Errorf("error leaks the token: %v", err)
	}
	if !strings.Contains(err.Error(), "@BotFather") {
		t.Errorf("401 error does not point at @BotFather: %v", err)
	}
	if e := apiError(err); e == nil || e.Code != http.StatusUnauthorized {
		t.Errorf("want a *tgbotapi.Error with code 401 inside, got %#v", err)
	}
}

func TestNewAPIRefusesMalformedToken(t *testing.T) {
	f := newFake(t)
	if _, err := NewAPI(Config{Token: "not-a-token", APIEndpoint: f.endpoint()}); err == nil {
		t.Fatal("NewAPI accepted a malformed token")
	}
	if n := len(f.callsTo("getMe")); n != 0 {
		t.Errorf("a malformed token was sent to the server %d times", n)
	}
}

func TestSendErrorsAndLogsAreRedacted(t *testing.T) {
	f := newFake(t)
	log, buf := captureLog()
	api, err := NewAPI(Config{Token: testToken, APIEndpoint: f.endpoint(), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	if api.Self.UserName != "thidua_bot" {
		t.Errorf("Self = %+v", api.Self)
	}
	s := NewSender(api, TelegramLimits(), nil, log, WithRetryWaits(time.Millisecond))
	f.srv.Close() // every call now fails in the transport, and is retried once

	_, err = s.Send(context.Background(), tgbotapi.NewMessage(1, "hi"))
	if err == nil || leaks(err.Error()) {
		t.Errorf("Send error = %v", err)
	}
	_, err = s.Request(context.Background(), tgbotapi.NewCallback("q", ""))
	if err == nil || leaks(err.Error()) {
		t.Errorf("Request error = %v", err)
	}
	p := NewPoller(api, nil, log)
	if _, err := p.fetch(context.Background(), 0, 0, 1); err == nil || leaks(err.Error()) {
		t.Errorf("getUpdates error = %v", err)
	}

	// tgbotapi's own logger: it logs transport errors in its update loop.
	tgLog.Printf("Endpoint: %s, error: %v", "https://api.telegram.org/bot"+testToken+"/getUpdates", err)
	tgLog.Println("token", testToken)
	out := buf.String()
	if leaks(out) {
		t.Errorf("log leaks the token:\n%s", out)
	}
	if !strings.Contains(out, "telegram unavailable; retrying") {
		t.Errorf("the retries were not logged:\n%s", out)
	}
	if !strings.Contains(out, "source=tgbotapi") {
		t.Errorf("tgbotapi's log lines did not reach slog:\n%s", out)
	}
	if api.Debug {
		t.Error("Debug is on")
	}
}

func TestRedactErrKeepsTypes(t *testing.T) {
	inner := context.DeadlineExceeded
	err := redactErr(&url.Error{Op: "Post", URL: "https://x/bot" + testToken + "/getMe", Err: inner}, testToken)
	if leaks(err.Error()) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("redacted url.Error = %v", err)
	}
	err = redactErr(&tgbotapi.Error{Code: 400, Message: "bad " + testToken, ResponseParameters: tgbotapi.ResponseParameters{MigrateToChatID: -100}}, testToken)
	if id, ok := MigratedTo(err); leaks(err.Error()) || !ok || id != -100 {
		t.Errorf("redacted tgbotapi.Error = %v (migrated %d %v)", err, id, ok)
	}
	plain := errors.New("no token")
	if redactErr(plain, testToken) != plain {
		t.Error("a token-free error was replaced")
	}
}
