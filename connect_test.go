package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/telegramtest"
)

// inFront puts a server in front of the fake Bot API, as a proxy on the
// way to Telegram: each call of a method is first offered to answer, which
// reports whether it answered it; the others go through to the fake. It
// returns the configuration of a bot that calls Telegram through it, and
// the times the calls of getMe arrived.
func inFront(t *testing.T, tg *telegramtest.Server, answer func(w http.ResponseWriter, method string) bool) (config, func() []time.Time) {
	t.Helper()
	target, err := url.Parse(tg.URL())
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	var mu sync.Mutex
	var getMe []time.Time
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		if method == "getMe" {
			mu.Lock()
			getMe = append(getMe, time.Now())
			mu.Unlock()
		}
		if !answer(w, method) {
			proxy.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(front.Close)
	cfg := testConfig(t, tg)
	cfg.APIEndpoint = front.URL + "/bot%s/%s"
	return cfg, func() []time.Time {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Time(nil), getMe...)
	}
}

// first answers the first n calls of method with answer, and lets the
// others through (see inFront).
func first(n int, method string, answer func(w http.ResponseWriter)) func(http.ResponseWriter, string) bool {
	var mu sync.Mutex
	return func(w http.ResponseWriter, m string) bool {
		mu.Lock()
		defer mu.Unlock()
		if m != method || n == 0 {
			return false
		}
		n--
		answer(w)
		return true
	}
}

// Telegram's flood control at start (a bot restarted again and again)
// asks, in retry_after, how long to wait: the bot waits that long, rather
// than its own shorter backoff, before it asks again, and says so.
func TestStartWaitsAsTelegramAsks(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	cfg, getMe := inFront(t, tg, first(1, "getMe", func(w http.ResponseWriter) { tooManyRequests(w, 3) }))
	var logs syncBuffer
	a, err := newApp(t.Context(), cfg, &logs)
	if err != nil {
		t.Fatalf("newApp: %v; logs:\n%s", err, logs.String())
	}
	defer a.close()
	calls := getMe()
	if len(calls) != 2 || calls[1].Sub(calls[0]) < 3*time.Second {
		t.Fatalf("getMe called at %v, want twice, 3 s apart", calls)
	}
	expect(t, logs.String(), "cannot reach Telegram; trying again", "retry_in=3s")
}

// So does the bot when Telegram's flood control refuses to register its
// webhook at start: it waits what Telegram asks, within the same bound (see
// startWait), and registers it.
func TestWebhookWaitsAsTelegramAsks(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	var mu sync.Mutex
	var calls []time.Time
	cfg, _ := inFront(t, tg, func(w http.ResponseWriter, method string) bool {
		if method != "setWebhook" {
			return false
		}
		mu.Lock()
		defer mu.Unlock()
		if calls = append(calls, time.Now()); len(calls) > 1 {
			return false
		}
		tooManyRequests(w, 3)
		return true
	})
	addr := freeAddr(t)
	cfg.HTTPAddr, cfg.WebhookURL, cfg.WebhookSecret = addr, "http://"+addr+"/hook", "s3cret"
	var logs syncBuffer
	stop := runApp(t, cfg, &logs)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), "webhook registered") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	mu.Lock()
	defer mu.Unlock()
	if len(calls) != 2 || calls[1].Sub(calls[0]) < 3*time.Second {
		t.Fatalf("setWebhook called at %v, want twice, 3 s apart; logs:\n%s", calls, logs.String())
	}
	expect(t, logs.String(), "cannot reach Telegram; trying again", "method=setWebhook", "retry_in=3s", "webhook registered")
}

// A webhook Telegram refuses (a plain http URL, a port it does not post
// to) stops the bot at start with an error naming WEBHOOK_URL, the setting
// to change, and Telegram's reason.
func TestRefusedWebhookNamesWebhookURL(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	cfg, _ := inFront(t, tg, func(w http.ResponseWriter, method string) bool {
		if method != "setWebhook" {
			return false
		}
		refuse(w, http.StatusBadRequest, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook", "")
		return true
	})
	addr := freeAddr(t)
	cfg.HTTPAddr, cfg.WebhookURL, cfg.WebhookSecret = addr, "http://"+addr+"/hook", "s3cret"
	a, err := newApp(t.Context(), cfg, &syncBuffer{})
	if err != nil {
		t.Fatal(err)
	}
	err = a.run(t.Context())
	if err == nil || !strings.HasPrefix(err.Error(), "WEBHOOK_URL "+cfg.WebhookURL+": ") || !strings.Contains(err.Error(), "An HTTPS URL must be provided") {
		t.Fatalf("run: %v", err)
	}
}

// A server at TELEGRAM_API_URL that refuses getMe, which every Bot API
// server answers (a self-hosted one reached under the wrong path, say),
// stops the bot at start with an error naming TELEGRAM_API_URL and its
// value, the setting to change, and the server's reason, without the
// token.
func TestRefusedGetMeNamesTelegramAPIURL(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	cfg, _ := inFront(t, tg, first(1, "getMe", func(w http.ResponseWriter) {
		refuse(w, http.StatusNotFound, "Not Found", "")
	}))
	api := strings.TrimSuffix(cfg.APIEndpoint, "/bot%s/%s")
	_, err := newApp(t.Context(), cfg, &syncBuffer{})
	if err == nil || !strings.HasPrefix(err.Error(), "TELEGRAM_API_URL "+api+": ") || !strings.Contains(err.Error(), "Not Found") ||
		strings.Contains(err.Error(), tg.Token()) {
		t.Fatalf("newApp: %v", err)
	}
}

// Telegram's own server answers getMe to the token of every bot it knows,
// and refuses others, not only with 401: a token of no bot (a bot deleted,
// an id mistyped) may get 404 Not Found. At the default TELEGRAM_API_URL,
// any refusal of getMe stops the bot naming TELEGRAM_BOT_TOKEN, rather than
// asking to set TELEGRAM_API_URL to the very value it has; a wrong path
// after Telegram's address (".../bot") is still named TELEGRAM_API_URL.
func TestRefusedGetMeAtTelegramNamesTheToken(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	cfg, _ := inFront(t, tg, first(2, "getMe", func(w http.ResponseWriter) {
		refuse(w, http.StatusNotFound, "Not Found", "")
	}))
	front, err := url.Parse(strings.TrimSuffix(cfg.APIEndpoint, "/bot%s/%s"))
	if err != nil {
		t.Fatal(err)
	}
	// Telegram's address leads to the fake, in front of which getMe is
	// refused.
	was := http.DefaultTransport
	t.Cleanup(func() { http.DefaultTransport = was })
	http.DefaultTransport = roundTripper(func(r *http.Request) (*http.Response, error) {
		if r.URL.Host == "api.telegram.org" {
			r = r.Clone(r.Context())
			r.URL.Scheme, r.URL.Host, r.Host = front.Scheme, front.Host, ""
		}
		return was.RoundTrip(r)
	})
	cfg.APIEndpoint = defaultAPIURL + "/bot%s/%s"
	_, err = newApp(t.Context(), cfg, &syncBuffer{})
	if err == nil || !strings.HasPrefix(err.Error(), "TELEGRAM_BOT_TOKEN: Telegram rejected the token (Not Found)") || strings.Contains(err.Error(), tg.Token()) {
		t.Fatalf("newApp at Telegram's address: %v", err)
	}
	cfg.APIEndpoint = defaultAPIURL + "/bot/bot%s/%s"
	if _, err = newApp(t.Context(), cfg, &syncBuffer{}); err == nil || !strings.HasPrefix(err.Error(), "TELEGRAM_API_URL "+defaultAPIURL+"/bot: ") {
		t.Fatalf("newApp at a path after Telegram's address: %v", err)
	}
}

// roundTripper adapts a function to http.RoundTripper.
type roundTripper func(*http.Request) (*http.Response, error)

// RoundTrip calls f(r).
func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A TELEGRAM_API_URL holding a user and password (a self-hosted Bot API
// server behind a proxy asking for them, which Go's HTTP client sends) is
// named in the error of a refused getMe with the password masked, as Go's
// own errors name it, so that it reaches neither the error nor the log.
func TestRefusedGetMeHidesTheAPIURLPassword(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	cfg, _ := inFront(t, tg, first(1, "getMe", func(w http.ResponseWriter) {
		refuse(w, http.StatusNotFound, "Not Found", "")
	}))
	cfg.APIEndpoint = strings.Replace(cfg.APIEndpoint, "http://", "http://bot:pr0xy-s3cret@", 1)
	var logs syncBuffer
	_, err := newApp(t.Context(), cfg, &logs)
	if err == nil || !strings.HasPrefix(err.Error(), "TELEGRAM_API_URL http://bot:xxxxx@") {
		t.Fatalf("newApp: %v", err)
	}
	if strings.Contains(err.Error(), "pr0xy-s3cret") || strings.Contains(logs.String(), "pr0xy-s3cret") {
		t.Fatalf("the password leaked: %v / %s", err, logs.String())
	}
}

// tooManyRequests answers as Telegram's flood control does, asking to
// wait retryAfter seconds.
func tooManyRequests(w http.ResponseWriter, retryAfter int) {
	refuse(w, http.StatusTooManyRequests, fmt.Sprintf("Too Many Requests: retry after %d", retryAfter), fmt.Sprintf(`{"retry_after":%d}`, retryAfter))
}

// refuse answers a call as the Bot API refuses one: with status, its
// description and, unless "", the parameters (a JSON object).
func refuse(w http.ResponseWriter, status int, description, parameters string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	answer := fmt.Sprintf(`{"ok":false,"error_code":%d,"description":%q`, status, description)
	if parameters != "" {
		answer += `,"parameters":` + parameters
	}
	_, _ = io.WriteString(w, answer+"}")
}

// The wait Telegram asks for is honoured up to a bound, and never makes
// the backoff shorter.
func TestStartWaitIsBounded(t *testing.T) {
	flood := func(s int) error {
		return &tgbotapi.Error{Code: http.StatusTooManyRequests, ResponseParameters: tgbotapi.ResponseParameters{RetryAfter: s}}
	}
	for _, c := range []struct {
		err     error
		backoff time.Duration
		want    time.Duration
	}{
		{errors.New("connection refused"), 4 * time.Second, 4 * time.Second},
		{flood(10), time.Second, 10 * time.Second},
		{flood(1), 8 * time.Second, 8 * time.Second},
		{flood(86400), time.Second, startMaxRetryAfter},
	} {
		if got := startWait(c.err, c.backoff); got != c.want {
			t.Errorf("startWait(%v, %v) = %v, want %v", c.err, c.backoff, got, c.want)
		}
	}
}

// A proxy, firewall or captive portal answering the bot's calls at start
// with an HTML page of its own (here a 502) keeps the bot trying, since the
// way to Telegram may come back, and the log says once, clearly, what
// answered instead: the status and content type, not the page, nor the
// token.
func TestStartSaysWhatAnsweredInsteadOfTelegram(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	page := "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
	cfg, getMe := inFront(t, tg, first(2, "getMe", func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte(page))
	}))
	var logs syncBuffer
	a, err := newApp(context.Background(), cfg, &logs)
	if err != nil {
		t.Fatalf("newApp: %v; logs:\n%s", err, logs.String())
	}
	defer a.close()
	if n := len(getMe()); n != 3 {
		t.Fatalf("%d calls of getMe", n)
	}
	out := logs.String()
	if n := strings.Count(out, "not the Bot API"); n != 1 {
		t.Fatalf("%d explanations of what answered, want 1:\n%s", n, out)
	}
	expect(t, out, "status=502", `content_type="text/html; charset=utf-8"`, "TELEGRAM_API_URL")
	if strings.Contains(out, "nginx") || strings.Contains(out, "<html") || strings.Contains(out, tg.Token()) {
		t.Fatalf("the logs hold the page or the token:\n%s", out)
	}
}

// expect fails unless s contains every want.
func expect(t *testing.T, s string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Fatalf("%q does not contain %q", s, w)
		}
	}
}
