package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"thiduabot/telegramtest"
)

// syncBuffer is a log sink safe for the app's concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func testConfig(t *testing.T, tg *telegramtest.Server) config {
	t.Helper()
	c, err := loadConfig(env("TELEGRAM_BOT_TOKEN", tg.Token(), "TELEGRAM_API_URL", tg.URL(),
		"DATA_DIR", t.TempDir(), "HTTP_ADDR", "127.0.0.1:0", "LOG_LEVEL", "debug"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fakeTelegram starts the fake Bot API for the test, which fails when it
// ends if the bot sent a text that lost formatting (see
// telegramtest.Server.FailOnFormattingLoss). The caller closes it.
func fakeTelegram(t *testing.T, opts ...telegramtest.Option) *telegramtest.Server {
	t.Helper()
	tg := telegramtest.NewServer(opts...)
	tg.FailOnFormattingLoss(t)
	return tg
}

// The whole program, wired as main does, serves a group over long polling,
// answers health checks, and stops cleanly when asked to.
func TestAppServesAndStops(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	var logs syncBuffer
	var srv *httptest.Server
	stop := runApp(t, testConfig(t, tg), &logs, tuned(func(a *app) { srv = httptest.NewServer(a.httpHandler()) }))
	defer srv.Close()

	g := tg.NewGroup("Khối")
	admin := tg.NewUser("Hùng", "hung")
	g.SetStatus(admin, telegramtest.StatusCreator)
	u := tg.Send(g, admin, "/setup Khối thi đua tỉnh")
	if err := tg.WaitConfirmed(u.ID, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if m, _ := tg.LastMessage(g.ID); !strings.Contains(m.Text, "Khối thi đua tỉnh") {
		t.Fatalf("answer %q", m.Text)
	}

	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready", "/metrics": "thiduabot_updates_total"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Fatalf("%s: %d %q", path, resp.StatusCode, body)
		}
	}

	stop()
	if strings.Contains(logs.String(), tg.Token()) {
		t.Fatal("the token is in the logs")
	}
}

// A token Telegram rejects stops the program with an error that names
// TELEGRAM_BOT_TOKEN, the setting to change, and does not contain the
// token.
func TestAppRejectedToken(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	cfg := testConfig(t, tg)
	cfg.Token = "987654321:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	var logs syncBuffer
	_, err := newApp(context.Background(), cfg, &logs)
	if err == nil {
		t.Fatal("a rejected token was accepted")
	}
	if !strings.HasPrefix(err.Error(), "TELEGRAM_BOT_TOKEN: Telegram rejected the token (Unauthorized)") {
		t.Fatalf("newApp: %v", err)
	}
	if strings.Contains(err.Error(), cfg.Token) || strings.Contains(logs.String(), cfg.Token) {
		t.Fatalf("the token leaked: %v / %s", err, logs.String())
	}
}

func TestHealthcheckCommand(t *testing.T) {
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
		}
	}))
	defer ok.Close()
	addr := strings.TrimPrefix(ok.URL, "http://")
	var out strings.Builder
	if code := healthcheck(env("HTTP_ADDR", addr), &out); code != 0 || out.Len() != 0 {
		t.Fatalf("healthy server: exit %d, %q", code, out.String())
	}
	ok.Close()
	if code := healthcheck(env("HTTP_ADDR", addr), &out); code != 1 || !strings.Contains(out.String(), "connection refused") {
		t.Fatalf("a stopped server: exit %d, want 1 (unhealthy); %q", code, out.String())
	}
	// Docker reserves exit status 2 of a health check: whatever fails is 1.
	if code := healthcheck(env("HTTP_ADDR", "8080"), io.Discard); code != 1 {
		t.Fatalf("HTTP_ADDR not host:port: exit %d, want 1 (unhealthy)", code)
	}
}

// close stops the HTTP server and closes the store of an app newApp built
// and nothing ran.
func (a *app) close() {
	a.http.Close()
	a.store.Close()
}

// The program takes no argument but healthcheck: help asked for is given
// on stdout, and anything else is refused with the usage on stderr, rather
// than the bot starting as if nothing had been typed.
func TestCommandLine(t *testing.T) {
	for _, tc := range []struct {
		args        []string
		action      string
		code        int
		out, errOut string
	}{
		{nil, "run", 0, "", ""},
		{[]string{"healthcheck"}, "healthcheck", 0, "", ""},
		{[]string{"--help"}, "exit", 0, "thiduabot healthcheck", ""},
		{[]string{"-h"}, "exit", 0, "Usage:", ""},
		{[]string{"help"}, "exit", 0, "Configuration", ""},
		{[]string{"healthcheck", "extra"}, "exit", 2, "", "unexpected arguments"},
		{[]string{"--token=x"}, "exit", 2, "", "Usage:"},
	} {
		var out, errOut strings.Builder
		action, code := commandLine(tc.args, &out, &errOut)
		if action != tc.action || code != tc.code ||
			!strings.Contains(out.String(), tc.out) || !strings.Contains(errOut.String(), tc.errOut) ||
			tc.out == "" && out.Len() != 0 || tc.errOut == "" && errOut.Len() != 0 {
			t.Errorf("%q: %s, code %d, stdout %q, stderr %q", tc.args, action, code, out.String(), errOut.String())
		}
	}
}

// runMain runs the program in a test's child process as the binary runs,
// without the test's own flags on its command line.
func runMain() {
	os.Args = os.Args[:1]
	main()
}

// /metrics of a bot that has just started shows every outcome of
// thiduabot_updates_total at 0, so that an alert on errors, or on updates
// stopping, has a series to read before the first update.
func TestMetricsAtStart(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	a, err := newApp(t.Context(), testConfig(t, tg), &syncBuffer{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	rec := httptest.NewRecorder()
	a.httpHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for _, outcome := range []string{"ok", "error", "panic", "duplicate"} {
		if want := `thiduabot_updates_total{outcome="` + outcome + `"} 0`; !strings.Contains(rec.Body.String(), want) {
			t.Errorf("no %s in /metrics:\n%s", want, rec.Body.String())
		}
	}
}
