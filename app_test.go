package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"thiduabot/bot"
	"thiduabot/storage/storagetest"
	"thiduabot/telegramtest"
)

// freeAddr returns a loopback address no one listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	// A port the kernel picks (":0") comes from the range it also gives
	// outgoing connections, one of which may take it between this check and
	// the bot's listening (seen with many tests making connections at once):
	// take one below that range (Linux's starts at 32768) instead.
	for range 100 {
		addr := "127.0.0.1:" + strconv.Itoa(20000+rand.IntN(12000))
		if l, err := net.Listen("tcp", addr); err == nil {
			l.Close()
			return addr
		}
	}
	t.Fatal("no free port between 20000 and 32000")
	return ""
}

// In webhook mode the bot registers its URL with the secret token (trying
// again when Telegram fails), Telegram (the fake) posts updates there, and
// requests without the secret are refused.
func TestAppWebhookMode(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	tg.FailNext("setWebhook", 1)
	addr := freeAddr(t)
	var logs syncBuffer
	stop := runApp(t, webhookConfig(t, tg, addr, "http://"+addr+"/tg/hook"), &logs)
	setUpBlock(t, tg, "Khối qua webhook", &logs)
	if n := len(tg.Requests("setWebhook")); n != 2 || !strings.Contains(logs.String(), "cannot reach Telegram; trying again") {
		t.Fatalf("%d setWebhook calls; logs:\n%s", n, logs.String())
	}
	if p := tg.Requests("setWebhook")[1].Params; p.Get("secret_token") != webhookSecret {
		t.Fatalf("setWebhook params %v", p)
	}
	if !strings.Contains(logs.String(), `msg="webhook registered" url=http://`+addr+"/tg/hook") ||
		!strings.Contains(logs.String(), `msg="http server listening" addr=`+addr) {
		t.Fatalf("logs:\n%s", logs.String())
	}

	for _, secret := range []string{"", "wrong"} {
		if code := postUpdate(t, http.DefaultClient, "http://"+addr+"/tg/hook", secret); code != http.StatusForbidden {
			t.Fatalf("secret %q: status %d", secret, code)
		}
	}
	stop()
}

// webhookSecret is the WEBHOOK_SECRET of webhookConfig.
const webhookSecret = "s3cret-token_1"

// webhookConfig is the configuration of a bot of tg in webhook mode, its
// HTTP server on addr, Telegram posting updates to url with webhookSecret.
func webhookConfig(t *testing.T, tg *telegramtest.Server, addr, url string) config {
	t.Helper()
	cfg, err := loadConfig(env("TELEGRAM_BOT_TOKEN", tg.Token(), "TELEGRAM_API_URL", tg.URL(), "DATA_DIR", t.TempDir(),
		"HTTP_ADDR", addr, "WEBHOOK_URL", url, "WEBHOOK_SECRET", webhookSecret))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// setUpBlock has the creator of a new group of tg set a block named name up
// (/setup) and fails the test unless the bot confirms the update within
// 10 s and answers with the name; logs is the bot's log, shown on failure.
func setUpBlock(t *testing.T, tg *telegramtest.Server, name string, logs *syncBuffer) {
	t.Helper()
	g := tg.NewGroup("Khối")
	admin := tg.NewUser("Hùng", "hung")
	g.SetStatus(admin, telegramtest.StatusCreator)
	u := tg.Send(g, admin, "/setup "+name)
	if err := tg.WaitConfirmed(u.ID, 10*time.Second); err != nil {
		t.Fatalf("%v; logs:\n%s", err, logs.String())
	}
	if m, _ := tg.LastMessage(g.ID); !strings.Contains(m.Text, name) {
		t.Fatalf("answer %q", m.Text)
	}
}

// runApp builds the program from cfg, its log going to logs, and runs it;
// the function it returns stops it and fails the test unless it stops
// cleanly within 10 s. opts change how (tuned, stopWithin, buildingAsItRuns,
// endCheck).
func runApp(t *testing.T, cfg config, logs io.Writer, opts ...runOption) (stop func()) {
	t.Helper()
	s := runSettings{stopWithin: 10 * time.Second}
	for _, o := range opts {
		o(&s)
	}
	ctx, cancel := context.WithCancel(t.Context())
	build := func() (*app, error) {
		a, err := newApp(ctx, cfg, logs)
		if err == nil && s.tune != nil {
			s.tune(a)
		}
		return a, err
	}
	var a *app
	if !s.buildAsItRuns {
		var err error
		if a, err = build(); err != nil {
			cancel()
			t.Fatal(err)
		}
	}
	ended := make(chan struct{}) // closed once runErr is what run returned
	var runErr error
	go func() {
		defer close(ended)
		if a == nil {
			if a, runErr = build(); runErr != nil {
				return
			}
		}
		runErr = a.run(ctx)
	}()
	if s.ended != nil {
		*s.ended = func() (bool, error) {
			select {
			case <-ended:
				return true, runErr
			default:
				return false, nil
			}
		}
	}
	return func() {
		t.Helper()
		cancel()
		select {
		case <-ended:
			if runErr != nil {
				t.Errorf("run: %v", runErr)
			}
		case <-time.After(s.stopWithin):
			t.Error("the app did not stop")
		}
	}
}

// runSettings are how runApp runs the program.
type runSettings struct {
	tune          func(*app)
	stopWithin    time.Duration
	buildAsItRuns bool
	ended         *func() (bool, error)
}

// A runOption changes how runApp runs the program.
type runOption func(*runSettings)

// tuned has runApp let tune change the program, once built, before it runs
// it; a nil tune changes nothing.
func tuned(tune func(*app)) runOption {
	return func(s *runSettings) { s.tune = tune }
}

// stopWithin gives the program d, rather than 10 s, to stop.
func stopWithin(d time.Duration) runOption {
	return func(s *runSettings) { s.stopWithin = d }
}

// buildingAsItRuns has runApp build the program in the background, as it
// runs it, and return at once, for a test that goes on while newApp waits
// (for Telegram); an error of newApp's then fails the test when it stops
// the program.
func buildingAsItRuns() runOption {
	return func(s *runSettings) { s.buildAsItRuns = true }
}

// endCheck has runApp set *ended to a function that says, without waiting,
// whether the program has ended (before the test stopped it) and what run
// returned.
func endCheck(ended *func() (bool, error)) runOption {
	return func(s *runSettings) { s.ended = ended }
}

// postUpdate posts an update (a private /start) to the webhook url through
// client, with the secret token secret (none when empty), and returns the
// status of the answer.
func postUpdate(t *testing.T, client *http.Client, url, secret string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"update_id":999999,"message":{"message_id":1,"chat":{"id":1,"type":"private"},"text":"/start"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if secret != "" {
		req.Header.Set(bot.SecretHeader, secret)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// Every WEBHOOK_URL the bot accepts has a path its HTTP server routes, as
// it is, to the webhook: a path the server would answer with a redirect
// instead (an empty segment, as in a doubled slash, or a . or ..
// segment), which Telegram does not follow, so that no update would ever
// arrive, stops the bot at start with one line naming WEBHOOK_URL.
func TestWebhookURLsTakenAreServed(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	for _, path := range []string{"/tg/hook", "/telegram/", "/", "/.well_known-x/~hook.v2",
		"//telegram", "/tg//hook", "/tg/hook//", "/tg/./hook", "/tg/../hook", "/.", "/..", "/tg/."} {
		url := "https://bot.example.org" + path
		cfg, err := loadConfig(env("TELEGRAM_BOT_TOKEN", tg.Token(), "TELEGRAM_API_URL", tg.URL(), "DATA_DIR", t.TempDir(),
			"WEBHOOK_URL", url, "WEBHOOK_SECRET", "s3cret"))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "WEBHOOK_URL") {
				t.Errorf("%s: %v", url, err)
			}
			continue
		}
		a, err := newApp(t.Context(), cfg, &syncBuffer{})
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		a.httpHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, url, strings.NewReader("{}")))
		a.close()
		// Without the secret token the webhook answers 403.
		if rec.Code != http.StatusForbidden {
			t.Errorf("WEBHOOK_URL %s is taken, but a POST there is answered %d %s, not by the webhook", url, rec.Code, rec.Header().Get("Location"))
		}
	}
}

// /readyz answers 503 while the store is unreachable, and recovers with it.
func TestReadyzFollowsStorage(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	mr, _ := storagetest.Miniredis(t)
	cfg := testConfig(t, tg)
	cfg.RedisURL, cfg.HTTPAddr = "redis://"+mr.Addr()+"/0", freeAddr(t)
	r := startApp(t, cfg, nil)
	r.waitLog("long polling started")
	status := func() int {
		resp, err := http.Get("http://" + cfg.HTTPAddr + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := status(); s != 200 {
		t.Fatalf("ready: %d", s)
	}
	mr.Close()
	if s := status(); s != http.StatusServiceUnavailable {
		t.Fatalf("store down: %d", s)
	}
	if err := mr.Restart(); err != nil {
		t.Fatal(err)
	}
	if s := status(); s != 200 {
		t.Fatalf("store back: %d", s)
	}
	r.stop()
}

// The real binary stops on SIGTERM with exit status 0, after finishing what
// it was doing, or at once while it waits for Telegram at start; a missing
// token stops it at once with status 2 and one line.
func TestProcessSignalsAndExitCodes(t *testing.T) {
	if os.Getenv("THIDUABOT_TEST_MAIN") == "1" {
		runMain()
		return
	}
	tg := fakeTelegram(t)
	defer tg.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestProcessSignalsAndExitCodes$")
	cmd.Env = append(os.Environ(), "THIDUABOT_TEST_MAIN=1", "TELEGRAM_BOT_TOKEN=", "DATA_DIR="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "TELEGRAM_BOT_TOKEN is not set") {
		t.Fatalf("missing token: %v %s", err, out)
	}

	// Stopped while Telegram is out of reach at start, it exits 0 at once.
	var startLogs syncBuffer
	cmd = startMain(t, &startLogs, "TELEGRAM_BOT_TOKEN="+tg.Token(), "TELEGRAM_API_URL=http://"+freeAddr(t))
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(startLogs.String(), "trying again"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("no retry at start; logs:\n%s", startLogs.String())
		}
	}
	terminate(t, cmd, 5*time.Second, &startLogs)
	if strings.Contains(startLogs.String(), tg.Token()) {
		t.Fatalf("logs:\n%s", startLogs.String())
	}

	var logs syncBuffer
	cmd = startMain(t, &logs, "TELEGRAM_BOT_TOKEN="+tg.Token(), "TELEGRAM_API_URL="+tg.URL())
	g := tg.NewGroup("Khối")
	admin := tg.NewUser("Hùng", "hung")
	g.SetStatus(admin, telegramtest.StatusCreator)
	u := tg.Send(g, admin, "/setup Khối trong tiến trình thật")
	if err := tg.WaitConfirmed(u.ID, 20*time.Second); err != nil {
		t.Fatalf("%v; logs:\n%s", err, logs.String())
	}
	terminate(t, cmd, 15*time.Second, &logs)
	if !strings.Contains(logs.String(), "thiduabot stopped") || strings.Contains(logs.String(), tg.Token()) {
		t.Fatalf("logs:\n%s", logs.String())
	}
}

// startMain starts the program in a process of its own (this test binary
// running TestProcessSignalsAndExitCodes, which calls main) with the file
// store in a temporary folder, a free HTTP_ADDR and the settings of env, its
// output going to logs.
func startMain(t *testing.T, logs *syncBuffer, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestProcessSignalsAndExitCodes$")
	cmd.Env = append(os.Environ(), append([]string{"THIDUABOT_TEST_MAIN=1", "DATA_DIR=" + t.TempDir(), "HTTP_ADDR=" + freeAddr(t), "REDIS_URL="}, env...)...)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// terminate sends cmd SIGTERM and fails the test unless it exits with
// status 0 within d.
func terminate(t *testing.T, cmd *exec.Cmd, d time.Duration, logs *syncBuffer) {
	t.Helper()
	stopped, err := sigterm(t, cmd, d)
	switch {
	case !stopped:
		t.Fatalf("the process did not stop within %v of SIGTERM; logs:\n%s", d, logs)
	case err != nil:
		t.Fatalf("exit: %v; logs:\n%s", err, logs)
	}
}

// sigterm sends cmd SIGTERM and returns, with stopped true, how it exited,
// or, when it has not within d, kills it and returns stopped false.
func sigterm(t *testing.T, cmd *exec.Cmd, d time.Duration) (stopped bool, err error) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exit := make(chan error, 1)
	go func() { exit <- cmd.Wait() }()
	select {
	case err := <-exit:
		return true, err
	case <-time.After(d):
		_ = cmd.Process.Kill()
		<-exit
		return false, nil
	}
}

// An HTTP_ADDR another process listens on stops the program at start, at
// once rather than after Telegram answers, with an error naming the
// address, rather than leaving it running without its health check and
// metrics.
func TestAppStopsWhenHTTPAddrIsTaken(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	cfg := testConfig(t, tg)
	cfg.HTTPAddr = taken.Addr().String()
	cfg.APIEndpoint = "http://" + freeAddr(t) + "/bot%s/%s" // Telegram out of reach
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if _, err := newApp(ctx, cfg, &syncBuffer{}); err == nil || !strings.HasPrefix(err.Error(), "HTTP_ADDR "+cfg.HTTPAddr+": ") {
		t.Fatalf("newApp: %v", err)
	}
}

// The Redis client's own log lines (a connection that cannot be made) go to
// the program's log in its format, not to stderr in another: with
// LOG_FORMAT=json every line is a JSON object.
func TestRedisClientLogsThroughTheLog(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	mr, _ := storagetest.Miniredis(t)
	cfg := testConfig(t, tg)
	cfg.RedisURL, cfg.LogJSON = "redis://"+mr.Addr()+"/0", true
	var logs syncBuffer
	a, err := newApp(context.Background(), cfg, &logs)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	mr.Close()
	if err := a.store.Ping(t.Context()); err == nil {
		t.Fatal("the store answers without its Redis")
	}
	if !strings.Contains(logs.String(), `"source":"go-redis"`) {
		t.Fatalf("the Redis client's lines are not in the log:\n%s", logs.String())
	}
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if !json.Valid([]byte(line)) {
			t.Fatalf("not a JSON line: %s", line)
		}
	}
}

// With LOG_FORMAT=json a wait is written as Go writes it in text ("1s"), not
// as a count of nanoseconds: the line of a getUpdates call Telegram failed
// says when the bot tries again.
func TestJSONLogsWriteDurationsReadably(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	cfg := testConfig(t, tg)
	cfg.LogJSON = true
	var logs syncBuffer
	stop := runApp(t, cfg, &logs, tuned(func(*app) { tg.FailNext("getUpdates", 1) }))
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), `"retry_in"`) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	if !strings.Contains(logs.String(), `"retry_in":"1s"`) {
		t.Fatalf("logs:\n%s", logs.String())
	}
}

// Telegram failing or out of reach at start (the network not up yet after a
// reboot) makes the bot try again, saying so without the token, until it
// answers; a token Telegram rejects still stops it (TestAppRejectedToken).
func TestAppWaitsForTelegramAtStart(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	tg.FailNext("getMe", 1)
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := newApp(ctx, testConfig(t, tg), &logs)
	if err != nil {
		t.Fatalf("newApp: %v; logs:\n%s", err, logs.String())
	}
	defer a.close()
	if !strings.Contains(logs.String(), "cannot reach Telegram; trying again") || strings.Contains(logs.String(), tg.Token()) {
		t.Fatalf("logs:\n%s", logs.String())
	}
	if a.api.Self.UserName != "telegramtest_bot" {
		t.Fatalf("connected as %q", a.api.Self.UserName)
	}
}

// fileInTheWay returns the path of a new file, under which no folder can
// be made: a DATA_DIR below it is one the bot cannot use.
func fileInTheWay(t *testing.T) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// A DATA_DIR the bot cannot use (not writable, here under a file) stops it
// with an error naming DATA_DIR, the setting to change.
func TestAppNamesAnUnusableDataDir(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	file := fileInTheWay(t)
	cfg := testConfig(t, tg)
	cfg.DataDir = filepath.Join(file, "data")
	_, err := newApp(context.Background(), cfg, &syncBuffer{})
	if err == nil || !strings.HasPrefix(err.Error(), "DATA_DIR "+cfg.DataDir+": ") {
		t.Fatalf("newApp: %v", err)
	}
}

// A DATA_DIR the bot may not write (a host folder mounted into the
// container and not given to the image's user) stops it with an error
// that says, besides the folder, which user must be able to write there
// and how; any other reason the folder cannot be used is named as it is.
func TestUnwritableDataDirSaysWhoMustWriteThere(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	file := filepath.Join(dir, "thiduabot.db")
	denied := fmt.Errorf("storage: open data file %s: %w", file, &fs.PathError{Op: "open", Path: file, Err: fs.ErrPermission})
	if os.Getuid() != 0 {
		// Root writes everywhere: only another user meets a real refusal.
		if err := os.Mkdir(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		tg := fakeTelegram(t)
		defer tg.Close()
		cfg := testConfig(t, tg)
		cfg.DataDir = dir
		_, err := newApp(t.Context(), cfg, &syncBuffer{})
		if err == nil || !errors.Is(err, fs.ErrPermission) {
			t.Fatalf("newApp: %v", err)
		}
		denied = errors.Unwrap(err)
	}
	err := dataDirError(dir, denied)
	want := "DATA_DIR " + dir + ": " + denied.Error() + ": "
	if id := os.Getuid(); id >= 0 {
		want += fmt.Sprintf("the bot runs as user %d, who must be able to write there: chown it to %d:%d", id, id, os.Getgid())
	}
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got  %v\nwant %s…", err, want)
	}
	locked := errors.New("storage: data file " + file + " is locked by another process")
	if err := dataDirError(dir, locked); err.Error() != "DATA_DIR "+dir+": "+locked.Error() {
		t.Errorf("locked: %v", err)
	}
}

// A Redis that refuses the bot for good (a wrong or missing password, a
// password given to a Redis 5 that has none, a database it does not have)
// stops it at start with one line naming REDIS_URL, without the password,
// rather than a bot that says it is ready and then tells every user their
// change was not saved. So does a REDIS_URL whose scheme the server does not
// speak, the line showing the URL with its password masked and the scheme
// to write, rather than a bot that waits for a Redis that answers all
// along: rediss:// to a Redis without TLS (miniredis; a redis-server, which
// does not answer the TLS handshake at all), redis:// to a server that
// speaks TLS only. So does a Redis whose TLS certificate the bot does not
// trust, the line saying how to give it the authority's certificate. A
// Redis that does not answer yet (started after the bot) is said in the
// log, and the bot starts all the same, as it rides out an outage.
func TestAppChecksRedisAtStart(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	mr, _ := storagetest.Miniredis(t)
	mr.RequireAuth("Zq8xWv7kPm3t")
	const refused = "REDIS_URL: "
	noTLS := func(addr string) string {
		return "REDIS_URL rediss://:xxxxx@" + addr + "/0: the Redis server there does not speak TLS: write REDIS_URL with redis:// rather than rediss://"
	}
	tlsOnly := tlsServer(t)
	stops := map[string]string{ // the URL: the start of the error it stops the bot with
		"redis://:Wrong4pW@" + mr.Addr() + "/0":  refused,
		"redis://" + mr.Addr() + "/0":            refused,
		"redis://:Wrong4pW@" + redis5(t) + "/0":  refused,
		"rediss://:Wrong4pW@" + mr.Addr() + "/0": noTLS(mr.Addr()),
		"REDISS://:Wrong4pW@" + mr.Addr() + "/0": noTLS(mr.Addr()),
		"redis://bot:Wrong4pW@" + tlsOnly + "/0": "REDIS_URL redis://bot:xxxxx@" + tlsOnly + "/0: the server there speaks TLS only: write REDIS_URL with rediss:// rather than redis://",
		"rediss://:Wrong4pW@" + tlsOnly + "/0":   "REDIS_URL rediss://:xxxxx@" + tlsOnly + "/0: the bot does not trust the Redis server's TLS certificate (tls: failed to verify certificate: x509: ",
	}
	if _, err := exec.LookPath("redis-server"); err == nil {
		addr := "127.0.0.1:" + startRedisServer(t).port
		stops["redis://"+addr+"/99"] = refused
		stops["rediss://:Wrong4pW@"+addr+"/0"] = noTLS(addr)
	}
	for url, want := range stops {
		cfg := testConfig(t, tg)
		cfg.RedisURL = url
		var logs syncBuffer
		a, err := newApp(t.Context(), cfg, &logs)
		if err == nil {
			a.close()
			t.Errorf("%s: the bot starts; logs:\n%s", url, logs.String())
			continue
		}
		if !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "Wrong4pW") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s:\ngot  %v\nwant %s…", url, err, want)
		}
	}

	for _, url := range []string{"redis://:Wrong4pW@" + freeAddr(t) + "/0", "rediss://:Wrong4pW@" + freeAddr(t) + "/0"} {
		cfg := testConfig(t, tg)
		cfg.RedisURL = url
		var logs syncBuffer
		a, err := newApp(t.Context(), cfg, &logs)
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		a.close()
		if !strings.Contains(logs.String(), `level=ERROR msg="Redis does not answer`) || strings.Contains(logs.String(), "Wrong4pW") {
			t.Fatalf("%s: logs:\n%s", url, logs.String())
		}
	}
}

// A Redis that speaks TLS with a certificate of a private authority, as
// managed Redis services have: without the authority's certificate the
// bot stops at start saying to give it with SSL_CERT_FILE, and with
// SSL_CERT_FILE it starts and is ready, as the README's configuration says.
func TestRedisWithTLSAndAPrivateAuthority(t *testing.T) {
	port, caFile := startTLSRedisServer(t)
	tg := fakeTelegram(t)
	defer tg.Close()
	env := []string{"TELEGRAM_BOT_TOKEN=" + tg.Token(), "TELEGRAM_API_URL=" + tg.URL(), "REDIS_URL=rediss://localhost:" + port + "/0", "REDIS_PREFIX=" + t.Name() + ":"}

	var logs syncBuffer
	cmd := startMain(t, &logs, env...)
	if err := cmd.Wait(); err == nil || !strings.Contains(logs.String(), "does not trust the Redis server's TLS certificate") || !strings.Contains(logs.String(), "SSL_CERT_FILE=") {
		t.Fatalf("without the authority: %v; logs:\n%s", err, logs.String())
	}

	var readyLogs syncBuffer
	addr := freeAddr(t)
	cmd = startMain(t, &readyLogs, append(env, "SSL_CERT_FILE="+caFile, "HTTP_ADDR="+addr)...)
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("with SSL_CERT_FILE, not ready; logs:\n%s", readyLogs.String())
		}
	}
	terminate(t, cmd, 10*time.Second, &readyLogs)
	if strings.Contains(readyLogs.String(), "Redis does not answer") {
		t.Errorf("logs:\n%s", readyLogs.String())
	}
}

// SIGTERM while updates are in flight (the bot keeps Telegram's limit of a
// message a second in a chat, so that a burst of commands takes seconds)
// loses none that was confirmed: by long polling the bot finishes the
// updates it took and confirms them before exiting; by webhook it finishes the
// requests it is answering, and Telegram delivers the others to the next
// start. Either way each command has its effect once.
func TestStopFinishesUpdatesInFlight(t *testing.T) {
	for _, webhook := range []bool{false, true} {
		tg := fakeTelegram(t)
		defer tg.Close()
		addr := freeAddr(t)
		env := []string{"TELEGRAM_BOT_TOKEN=" + tg.Token(), "TELEGRAM_API_URL=" + tg.URL(), "DATA_DIR=" + t.TempDir(), "HTTP_ADDR=" + addr}
		if webhook {
			env = append(env, "WEBHOOK_URL=http://"+addr+"/tg", "WEBHOOK_SECRET=s3cret")
		}
		var logs syncBuffer
		cmd, g, admin := startWithBlock(t, tg, &logs, env)
		names := []string{"Hội Nông dân tỉnh", "Tỉnh Đoàn", "Hội Cựu chiến binh tỉnh", "Liên đoàn Lao động tỉnh"}
		var sent []telegramtest.Update
		for _, n := range names {
			sent = append(sent, tg.Send(g, admin, "/addunit "+n))
		}
		if _, err := tg.WaitFor(g.ID, 10*time.Second, func(m telegramtest.Message) bool { return strings.Contains(m.Text, names[0]) }); err != nil {
			t.Fatal(err)
		}
		terminate(t, cmd, 20*time.Second, &logs)
		if !webhook {
			// Every command the bot answered was confirmed before it exited;
			// those it had not taken yet wait for the next start.
			answers := 0
			for _, u := range sent {
				if !slices.ContainsFunc(tg.Messages(g.ID), func(m telegramtest.Message) bool { return m.ReplyTo == u.Message.ID }) {
					continue
				}
				answers++
				if tg.WaitConfirmed(u.ID, 0) != nil {
					t.Errorf("long polling: update %d answered but left unconfirmed at exit", u.ID)
				}
			}
			if answers == 0 {
				t.Fatal("no command's answer replies to it: the check above checks nothing")
			}
		}

		unitsListedOnce(t, tg, g, admin, &logs, env, names)
	}
}

// startWithBlock starts the program with env, and has the creator of a new
// group of tg set a block up there; it returns the program, the group and
// its creator.
func startWithBlock(t *testing.T, tg *telegramtest.Server, logs *syncBuffer, env []string) (*exec.Cmd, *telegramtest.Chat, *telegramtest.User) {
	t.Helper()
	cmd := startMain(t, logs, env...)
	g := tg.NewGroup("Khối")
	admin := tg.NewUser("Hùng", "hung")
	g.SetStatus(admin, telegramtest.StatusCreator)
	if err := tg.WaitConfirmed(tg.Send(g, admin, "/setup Khối thử").ID, 20*time.Second); err != nil {
		t.Fatalf("%v; logs:\n%s", err, logs.String())
	}
	return cmd, g, admin
}

// unitsListedOnce starts the program again with env, waits until it has
// handled what Telegram held for it, and fails the test unless /units then
// lists in group g each of names, as a unit of its own, once.
func unitsListedOnce(t *testing.T, tg *telegramtest.Server, g *telegramtest.Chat, admin *telegramtest.User, logs *syncBuffer, env []string, names []string) {
	t.Helper()
	cmd := startMain(t, logs, env...)
	if err := tg.WaitIdle(30 * time.Second); err != nil {
		t.Fatalf("%v; logs:\n%s", err, logs.String())
	}
	if err := tg.WaitConfirmed(tg.Send(g, admin, "/units").ID, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	terminate(t, cmd, 20*time.Second, logs)
	m, _ := tg.LastMessage(g.ID)
	for _, n := range names {
		if c := strings.Count(m.Text, ". "+n+"\n"); c != 1 {
			t.Errorf("env %q: %s listed %d times in /units:\n%s", env, n, c, m.Text)
		}
	}
}

// A stop that takes long (the answers to a burst of commands in one group
// wait for Telegram's limit of a message a second in a chat) is said in the
// log as it begins, and a second SIGTERM (Ctrl-C pressed again) ends the
// program at once, with status 1, rather than being ignored; the commands
// it had not confirmed are applied at the next start, each once.
func TestSecondSignalStopsAtOnce(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	env := []string{"TELEGRAM_BOT_TOKEN=" + tg.Token(), "TELEGRAM_API_URL=" + tg.URL(), "DATA_DIR=" + t.TempDir()}
	var logs syncBuffer
	cmd, g, admin := startWithBlock(t, tg, &logs, env)
	var names []string
	for i := range 8 {
		names = append(names, fmt.Sprintf("Đơn vị số %d", i+1))
		tg.Send(g, admin, "/addunit "+names[i])
	}
	if _, err := tg.WaitFor(g.ID, 10*time.Second, func(m telegramtest.Message) bool { return strings.Contains(m.Text, names[0]) }); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(logs.String(), `msg="stopping: finishing the updates in flight`); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("no word of the stop in the logs:\n%s", logs.String())
		}
	}
	stopped, err := sigterm(t, cmd, 3*time.Second)
	if !stopped {
		t.Fatalf("a second SIGTERM did not stop the program at once; logs:\n%s", logs.String())
	}
	// Status 1, as the README says: not a stop that finished.
	if ee := (*exec.ExitError)(nil); !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("stopped at once with %v, want exit status 1; logs:\n%s", err, logs.String())
	}
	if n := len(tg.Messages(g.ID)); n >= 1+len(names) {
		t.Fatalf("every command was answered before the second SIGTERM (%d messages): the check above checks nothing", n)
	}
	unitsListedOnce(t, tg, g, admin, &logs, env, names)
}

// runningApp is the program built from a configuration as main does and
// running, its log kept.
type runningApp struct {
	t    *testing.T
	logs syncBuffer
	stop func() // stops the program as SIGTERM does and checks it ends cleanly
}

// startApp builds the program from cfg, lets tune change it (nil leaves it
// as newApp made it) and runs it until the test calls stop.
func startApp(t *testing.T, cfg config, tune func(*app)) *runningApp {
	t.Helper()
	r := &runningApp{t: t}
	r.stop = runApp(t, cfg, &r.logs, tuned(tune))
	return r
}

// waitLog waits up to 10 s for the log to hold every one of want.
func (r *runningApp) waitLog(want ...string) {
	r.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		logs := r.logs.String()
		if !slices.ContainsFunc(want, func(w string) bool { return !strings.Contains(logs, w) }) {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("no %q in the logs:\n%s", want, logs)
		}
	}
}

// Long polling takes any webhook off the bot: started on a token a webhook
// is set for (replicas in webhook mode, the same bot on another machine),
// the bot says so in its log, naming the webhook, since those get no more
// updates from then on.
func TestPollingSaysItTakesAWebhookOff(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	hook := "http://" + freeAddr(t) + "/tg"
	resp, err := http.PostForm(tg.URL()+"/bot"+tg.Token()+"/setWebhook", map[string][]string{"url": {hook}, "secret_token": {"s3cret"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	r := startApp(t, testConfig(t, tg), nil)
	r.waitLog("long polling started")
	r.stop()
	r.waitLog(`level=WARN msg="a webhook is set for this bot; long polling takes it off`, "webhook_url="+hook)
}

// A WEBHOOK_URL Telegram takes but cannot deliver to (a proxy that does
// not forward it, a certificate Telegram does not trust, an address that
// leads elsewhere) is said in the bot's log, with Telegram's reason and the
// updates waiting, rather than the bot waiting in silence after "webhook
// registered"; so is the webhook taken off (a bot polling with the token).
func TestWebhookTheBotCannotBeReachedAtIsLogged(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	elsewhere := freeAddr(t)
	cfg := testConfig(t, tg)
	cfg.HTTPAddr, cfg.WebhookURL, cfg.WebhookSecret = freeAddr(t), "http://"+elsewhere+"/tg", "s3cret"
	r := startApp(t, cfg, func(a *app) { a.webhookWatch = 50 * time.Millisecond })
	r.waitLog("webhook registered")
	g := tg.NewGroup("Khối")
	tg.Send(g, tg.NewUser("Hùng", "hung"), "/help")
	r.waitLog(`level=ERROR msg="Telegram cannot deliver updates to the webhook" webhook_url=http://`+elsewhere+"/tg", "connection refused", "pending=1")

	resp, err := http.PostForm(tg.URL()+"/bot"+tg.Token()+"/deleteWebhook", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	r.waitLog(`level=ERROR msg="the webhook is no longer this bot's`)
	r.stop()
}

// With LOG_FORMAT=json every line the program writes is a JSON object, the
// one saying why it could not start included (a setting it refuses, with
// exit status 2, without the token typed into it; a data folder it cannot
// use), and the one saying it stopped while waiting for Telegram at start.
func TestJSONLogsWhenTheProgramCannotStart(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	file := fileInTheWay(t)
	jsonLines := func(logs *syncBuffer, want string) {
		t.Helper()
		if !strings.Contains(logs.String(), want) {
			t.Errorf("no %q in the logs:\n%s", want, logs.String())
		}
		for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
			// PASS is the verdict of the test binary the program runs in.
			if line != "PASS" && !json.Valid([]byte(line)) {
				t.Errorf("not a JSON line: %s", line)
			}
		}
	}

	var refused syncBuffer
	cmd := startMain(t, &refused, "LOG_FORMAT=json", "TELEGRAM_BOT_TOKEN="+tg.Token(), "TELEGRAM_API_URL="+tg.URL(),
		"WEBHOOK_URL=https://bot.example.org/"+tg.Token(), "WEBHOOK_SECRET=s3cret")
	if err := cmd.Wait(); err == nil || cmd.ProcessState.ExitCode() != 2 {
		t.Fatalf("exit: %v; logs:\n%s", err, refused.String())
	}
	jsonLines(&refused, `"msg":"invalid configuration","err":"WEBHOOK_URL holds the token`)
	if strings.Contains(refused.String(), tg.Token()[strings.Index(tg.Token(), ":")+1:]) {
		t.Errorf("the token is in the logs:\n%s", refused.String())
	}

	var logs syncBuffer
	cmd = startMain(t, &logs, "LOG_FORMAT=json", "TELEGRAM_BOT_TOKEN="+tg.Token(), "TELEGRAM_API_URL="+tg.URL(), "DATA_DIR="+filepath.Join(file, "data"))
	if err := cmd.Wait(); err == nil || cmd.ProcessState.ExitCode() != 1 {
		t.Fatalf("exit: %v; logs:\n%s", err, logs.String())
	}
	jsonLines(&logs, "DATA_DIR "+filepath.Join(file, "data"))

	var waiting syncBuffer
	cmd = startMain(t, &waiting, "LOG_FORMAT=json", "TELEGRAM_BOT_TOKEN="+tg.Token(), "TELEGRAM_API_URL=http://"+freeAddr(t))
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(waiting.String(), "trying again"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("no retry at start; logs:\n%s", waiting.String())
		}
	}
	terminate(t, cmd, 5*time.Second, &waiting)
	jsonLines(&waiting, "stopped before Telegram answered")
}

// The HTTP server answers from the start, before Telegram does (the network
// not up yet after a reboot, a proxy in the way): /healthz and /readyz with
// 503 and what the bot waits for, which the container's health check
// prints; /metrics as always; and the webhook's path with 503, so that
// updates of a webhook set before come again later. Once Telegram answers
// getMe, the webhook's path takes updates, and only then is Telegram told
// of it (setWebhook), while the health check says so; once registered, the
// bot is healthy and ready.
func TestHTTPServerAnswersWhileWaitingForTelegram(t *testing.T) {
	tg := fakeTelegram(t)
	defer tg.Close()
	var down sync.Map // the methods the way to Telegram fails for
	down.Store("getMe", true)
	down.Store("setWebhook", true)
	cfg, _ := inFront(t, tg, func(w http.ResponseWriter, method string) bool {
		if _, ok := down.Load(method); !ok {
			return false
		}
		refuse(w, http.StatusBadGateway, "Bad Gateway", "")
		return true
	})
	addr := freeAddr(t)
	cfg.HTTPAddr, cfg.WebhookURL, cfg.WebhookSecret = addr, "http://"+addr+"/tg", "s3cret"
	var logs syncBuffer
	stop := runApp(t, cfg, &logs, buildingAsItRuns())
	ask := func(method, path, secret string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, "http://"+addr+path, strings.NewReader(`{"update_id":1}`))
		if secret != "" {
			req.Header.Set(bot.SecretHeader, secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v; logs:\n%s", method, path, err, logs.String())
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	healthcheckSays := func(code int, want string) {
		t.Helper()
		var out strings.Builder
		if c := healthcheck(env("HTTP_ADDR", addr), &out); c != code || !strings.Contains(out.String(), want) {
			t.Errorf("healthcheck: exit %d, %q; want %d, %q", c, out.String(), code, want)
		}
	}
	waitLog := func(want string) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !strings.Contains(logs.String(), want); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("no %q in the logs:\n%s", want, logs.String())
			}
		}
	}

	waitLog(`msg="cannot reach Telegram; trying again" method=getMe`)
	const getMe = "starting: waiting for Telegram (getMe)\n"
	for _, c := range []struct {
		method, path, secret string
		code                 int
		body                 string
	}{
		{"GET", "/healthz", "", 503, getMe},
		{"GET", "/readyz", "", 503, getMe},
		{"GET", "/metrics", "", 200, `thiduabot_updates_total{outcome="ok"} 0`},
		{"POST", "/tg", "s3cret", 503, getMe},
	} {
		if code, body := ask(c.method, c.path, c.secret); code != c.code || !strings.Contains(body, c.body) {
			t.Errorf("%s %s while Telegram cannot be reached: %d %q", c.method, c.path, code, body)
		}
	}
	healthcheckSays(1, "503 Service Unavailable: "+getMe)
	if n := len(tg.Requests("setWebhook")); n != 0 {
		t.Fatalf("Telegram told of the webhook before the bot takes updates there")
	}

	down.Delete("getMe")
	waitLog(`msg="cannot reach Telegram; trying again" method=setWebhook`)
	const setWebhook = "starting: registering the webhook with Telegram (setWebhook)\n"
	if code, body := ask("GET", "/healthz", ""); code != 503 || body != setWebhook {
		t.Errorf("/healthz while Telegram refuses setWebhook: %d %q", code, body)
	}
	if code, _ := ask("POST", "/tg", "wrong"); code != http.StatusForbidden {
		t.Errorf("the webhook does not serve its path before Telegram is told of it: %d", code)
	}
	healthcheckSays(1, setWebhook)

	down.Delete("setWebhook")
	waitLog("webhook registered")
	for path, want := range map[string]string{"/healthz": "ok\n", "/readyz": "ready\n"} {
		if code, body := ask("GET", path, ""); code != 200 || body != want {
			t.Errorf("%s once registered: %d %q", path, code, body)
		}
	}
	healthcheckSays(0, "")
	g := tg.NewGroup("Khối")
	admin := tg.NewUser("Hùng", "hung")
	g.SetStatus(admin, telegramtest.StatusCreator)
	if err := tg.WaitConfirmed(tg.Send(g, admin, "/setup Khối").ID, 10*time.Second); err != nil {
		t.Fatalf("%v; logs:\n%s", err, logs.String())
	}
	stop()
}
