// Command thiduabot runs the Telegram bot of a Vietnamese emulation block
// (Khối thi đua). It is configured by environment variables; see README.md.
//
// This file only wires the parts together: configuration, storage, the
// Telegram transport, the handlers, the scheduler and the HTTP endpoints,
// then runs until SIGINT or SIGTERM.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
	_ "time/tzdata" // time zones on machines and images without a zoneinfo database

	"thiduabot/bot"
	"thiduabot/handlers"
	"thiduabot/scheduler"
	"thiduabot/storage"
)

// usage is what the program says of its command line.
const usage = `Usage:
  thiduabot              run the bot, configured by environment variables
                         (README.md, "Configuration": TELEGRAM_BOT_TOKEN, REDIS_URL, ...)
  thiduabot healthcheck  ask the running bot's /healthz on HTTP_ADDR: exit 0 when it answers
`

// commandLine reads the program's arguments: none runs the bot ("run"),
// healthcheck asks a running one ("healthcheck"); help asked for is written
// to stdout and anything else refused on stderr with the usage, and the
// program is to exit with code ("exit").
func commandLine(args []string, stdout, stderr io.Writer) (action string, code int) {
	switch {
	case len(args) == 0:
		return "run", 0
	case len(args) == 1 && args[0] == "healthcheck":
		return "healthcheck", 0
	case len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help"):
		fmt.Fprint(stdout, usage)
		return "exit", 0
	}
	fmt.Fprintf(stderr, "thiduabot: unexpected arguments %q\n%s", args, usage)
	return "exit", 2
}

func main() {
	switch action, code := commandLine(os.Args[1:], os.Stdout, os.Stderr); action {
	case "healthcheck":
		os.Exit(healthcheck(os.Getenv, os.Stderr))
	case "exit":
		os.Exit(code)
	}
	cfg, err := loadConfig(os.Getenv)
	if err != nil {
		configFailed(os.Getenv, os.Stderr, err)
		os.Exit(2)
	}
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go stopOnSignals(signals, stop, newLogger(cfg, os.Stderr))
	a, err := newApp(ctx, cfg, os.Stderr)
	if err != nil && ctx.Err() != nil {
		// Asked to stop while waiting for Telegram at start.
		newLogger(cfg, os.Stderr).Info("stopped before Telegram answered")
		return
	}
	if err != nil {
		newLogger(cfg, os.Stderr).Error("cannot start", "err", bot.Redact(err.Error(), cfg.Token))
		os.Exit(1)
	}
	if err := a.run(ctx); err != nil {
		a.log.Error("stopped with an error", "err", err)
		os.Exit(1)
	}
}

// stopOnSignals stops the program as SIGINT and SIGTERM (Ctrl-C, docker
// stop) ask: at the first, it says so and calls stop, which has the bot
// finish the updates in flight (see app.run), what may take a minute while
// their answers wait for Telegram's limits; at the second, it ends the
// program at once, with status 1. Nothing confirmed is lost either way:
// Telegram sends the updates the bot did not confirm again, and each is
// applied once.
func stopOnSignals(signals <-chan os.Signal, stop context.CancelFunc, log *slog.Logger) {
	<-signals
	log.Info("stopping: finishing the updates in flight; a second SIGTERM or Ctrl-C stops at once")
	stop()
	<-signals
	log.Warn("stopping at once: Telegram sends the updates not confirmed again at the next start")
	os.Exit(1)
}

// app is the running program: every part, built once.
type app struct {
	cfg        config
	log        *slog.Logger
	store      storage.Store
	api        *tgbotapi.BotAPI
	sender     *bot.Sender
	dispatcher *bot.Dispatcher
	router     *handlers.Router
	scheduler  *scheduler.Scheduler
	registry   *prometheus.Registry
	// webhookWatch is how often, in webhook mode, the bot asks Telegram how
	// the delivery of updates to its webhook goes.
	webhookWatch time.Duration

	// http serves the health, readiness and metrics endpoints and the
	// webhook from before Telegram answers; httpErr receives its failure,
	// and is closed when it stops serving.
	http    *http.Server
	httpErr chan error
	// starting says what the bot waits for before it takes updates, which
	// /healthz and /readyz answer with 503; nil once it takes them.
	starting atomic.Pointer[string]
	// webhook serves the webhook's path once the bot can take updates
	// there; nil before.
	webhook atomic.Pointer[http.Handler]
}

// Why the bot does not take updates yet, as /healthz and /readyz say it.
const (
	waitingForGetMe      = "starting: waiting for Telegram (getMe)"
	waitingForSetWebhook = "starting: registering the webhook with Telegram (setWebhook)"
)

// newApp builds the program from its configuration. It opens the store,
// starts the HTTP server (see httpHandler: /healthz and /readyz answer 503
// until run takes updates), then waits for Telegram to answer (see
// connect); it fails when the store cannot be opened, HTTP_ADDR cannot be
// listened on, Telegram rejects the token, or ctx ends first.
func newApp(ctx context.Context, cfg config, logw io.Writer) (*app, error) {
	log := newLogger(cfg, logw)
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics := bot.NewMetrics(reg)
	a := &app{cfg: cfg, log: log, store: store, registry: reg, webhookWatch: time.Minute}
	a.setStarting(waitingForGetMe)
	if err := a.serve(); err != nil {
		store.Close()
		return nil, err
	}
	api, err := connect(ctx, cfg, log)
	if err != nil {
		a.http.Close()
		store.Close()
		return nil, err
	}
	sender := bot.NewSender(api, bot.TelegramLimits(), metrics, log)
	router := handlers.New(handlers.Config{
		Store:       store,
		Sender:      sender,
		Admins:      bot.NewAdmins(sender, time.Minute),
		BotUsername: api.Self.UserName,
		Lang:        cfg.Lang,
		Location:    cfg.Location,
		Log:         log,
		// The router dedupes updates itself, in the round trips it makes
		// to the store anyway.
		Dedupe: &handlers.Dedupe{Scope: api.Self.ID},
	})
	dispatcher := bot.NewDispatcher(bot.DispatcherConfig{
		Handler: router, Scope: api.Self.ID, Sender: sender, Metrics: metrics, Log: log,
	})
	log.Info("thiduabot ready", "bot", api.Self.UserName, "store", storeKind(cfg), "webhook", cfg.WebhookURL != "")
	a.api, a.sender, a.dispatcher, a.router = api, sender, dispatcher, router
	a.scheduler = scheduler.New(scheduler.Config{Store: store, Runner: router, Location: cfg.Location, Log: log})
	if cfg.WebhookURL != "" {
		// Served before Telegram is told of it (see run).
		h := bot.WebhookHandler(cfg.WebhookSecret, dispatcher, log)
		a.webhook.Store(&h)
		a.setStarting(waitingForSetWebhook)
	}
	return a, nil
}

// setStarting records why the bot does not take updates yet; "" records that it
// takes them.
func (a *app) setStarting(why string) {
	if why == "" {
		a.starting.Store(nil)
		return
	}
	a.starting.Store(&why)
}

// serve listens on HTTP_ADDR and serves httpHandler there. Listening
// before anything else starts makes an address in use, or not allowed,
// stop the program at once rather than leave it running without its health
// check, metrics and webhook.
func (a *app) serve() error {
	l, err := net.Listen("tcp", a.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("HTTP_ADDR %s: %w", a.cfg.HTTPAddr, err)
	}
	a.log.Info("http server listening", "addr", l.Addr().String())
	a.http = &http.Server{Handler: a.httpHandler(), ReadHeaderTimeout: 10 * time.Second}
	a.httpErr = make(chan error, 1)
	go func() {
		if err := a.http.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.httpErr <- err
		}
		close(a.httpErr)
	}()
	return nil
}

// newLogger returns the program's logger, writing to w at the level and
// in the format (LOG_FORMAT) of cfg.
func newLogger(cfg config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogJSON {
		opts.ReplaceAttr = readableDuration
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// readableDuration writes a duration in a JSON log as the text log writes
// it ("1.5s"), rather than as a number of nanoseconds.
func readableDuration(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		a.Value = slog.StringValue(a.Value.Duration().String())
	}
	return a
}

// openStore opens Redis when REDIS_URL is set, else the embedded file store.
// A Redis that refuses the bot (see storage.RedisRefused), a server whose
// TLS certificate the bot does not trust, or a server that does not speak
// what REDIS_URL's scheme names (see storage.RedisSchemeWrong) fails it,
// with an error naming REDIS_URL; one that does not answer is logged, and
// the bot starts all the same, telling users their changes are not saved
// until it answers, as it does through an outage.
func openStore(ctx context.Context, cfg config, log *slog.Logger) (storage.Store, error) {
	if cfg.RedisURL != "" {
		r, err := storage.OpenRedis(cfg.RedisURL, cfg.RedisPrefix)
		if err != nil {
			return nil, err
		}
		r.SetLog(log)
		redis.SetLogger(redisLog{log})
		var untrusted *tls.CertificateVerificationError
		switch err := r.Ping(ctx); {
		case storage.RedisRefused(err):
			r.Close()
			return nil, fmt.Errorf("REDIS_URL: Redis refuses the bot (%v): check the user, password and database number in REDIS_URL", errors.Unwrap(err))
		case errors.As(err, &untrusted):
			r.Close()
			return nil, fmt.Errorf("%s: the bot does not trust the Redis server's TLS certificate (%v): give it the certificate of the authority that signed it with SSL_CERT_FILE=/path/to/ca.pem (on Linux, as in the image; elsewhere, add it to the system's trusted authorities), or write in REDIS_URL a host name the certificate names", redactedRedisURL(cfg.RedisURL), untrusted)
		case err != nil && storage.RedisSchemeWrong(ctx, cfg.RedisURL, err):
			r.Close()
			return nil, redisSchemeError(cfg.RedisURL)
		case err != nil:
			log.Error("Redis does not answer; starting all the same: until it does, users are told their changes are not saved", "err", err)
		}
		return r, nil
	}
	b, err := storage.OpenBolt(filepath.Join(cfg.DataDir, "thiduabot.db"))
	if err != nil {
		return nil, dataDirError(cfg.DataDir, err)
	}
	return b, nil
}

// redisSchemeError is the error that stops the bot when the server at
// rawURL, REDIS_URL, does not speak what its scheme names (see
// storage.RedisSchemeWrong): it shows the URL with its password masked, and
// the scheme to write.
func redisSchemeError(rawURL string) error {
	if u, err := url.Parse(rawURL); err == nil && u.Scheme == "rediss" { // url.Parse writes it in lower case
		return fmt.Errorf("%s: the Redis server there does not speak TLS: write REDIS_URL with redis:// rather than rediss:// (or turn TLS on in Redis)", redactedRedisURL(rawURL))
	}
	return fmt.Errorf("%s: the server there speaks TLS only: write REDIS_URL with rediss:// rather than redis://", redactedRedisURL(rawURL))
}

// redactedRedisURL names REDIS_URL, rawURL, for an error that stops the
// bot: "REDIS_URL" and the URL with its password masked, or "REDIS_URL"
// alone when it cannot be read.
func redactedRedisURL(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil {
		return "REDIS_URL " + u.Redacted()
	}
	return "REDIS_URL"
}

// dataDirError is the error that stops the bot when the file store in dir
// cannot be opened for err, naming DATA_DIR; a permission refused also says
// which user must be able to write there (in a container, the image's, to
// whom a host folder mounted there is to be given) and how.
func dataDirError(dir string, err error) error {
	if !errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("DATA_DIR %s: %w", dir, err)
	}
	uid := os.Getuid()
	if uid < 0 { // Windows has no user ids
		return fmt.Errorf("DATA_DIR %s: %w: set DATA_DIR to a folder the bot's user can write", dir, err)
	}
	return fmt.Errorf("DATA_DIR %s: %w: the bot runs as user %d, who must be able to write there: chown it to %d:%d (in a container, the host folder mounted there), or set DATA_DIR to a folder that user can write",
		dir, err, uid, uid, os.Getgid())
}

// redisLog writes the Redis client's own lines (connections it cannot
// make, for instance) to the program's log, in its format, rather than to
// stderr in the client's.
type redisLog struct{ log *slog.Logger }

// Printf implements the go-redis logger.
func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.WarnContext(ctx, strings.TrimPrefix(fmt.Sprintf(format, v...), "redis: "), "source", "go-redis")
}

func storeKind(cfg config) string {
	if cfg.RedisURL != "" {
		return "redis"
	}
	return "file:" + filepath.Join(cfg.DataDir, "thiduabot.db")
}

// httpHandler serves the health, readiness and metrics endpoints, and the
// webhook when one is configured. Until the bot takes updates, /healthz,
// /readyz and the webhook answer 503 with what it waits for.
func (a *app) httpHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		if a.refuseWhileStarting(w) {
			return
		}
		_, _ = io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if a.refuseWhileStarting(w) {
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := a.store.Ping(ctx); err != nil {
			a.log.Warn("not ready: storage unreachable", "err", err)
			http.Error(w, "storage unreachable", http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "ready\n")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(a.registry, promhttp.HandlerOpts{}))
	if a.cfg.WebhookURL != "" {
		mux.HandleFunc(a.cfg.webhookPath(), func(w http.ResponseWriter, r *http.Request) {
			if h := a.webhook.Load(); h != nil {
				(*h).ServeHTTP(w, r)
				return
			}
			a.refuseWhileStarting(w)
		})
	}
	return mux
}

// refuseWhileStarting answers 503 with what the bot waits for, and reports
// true, while it does not take updates yet.
func (a *app) refuseWhileStarting(w http.ResponseWriter) bool {
	why := a.starting.Load()
	if why == nil {
		return false
	}
	http.Error(w, *why, http.StatusServiceUnavailable)
	return true
}

// run serves until ctx is cancelled, then stops taking updates, finishes the
// ones in flight and returns nil.
func (a *app) run(ctx context.Context) error {
	defer func() {
		// Closing writes what the store still holds (the notes of the
		// bot's messages): say if that failed.
		if err := a.store.Close(); err != nil {
			a.log.Warn("closing the store", "err", err)
		}
	}()
	// The scheduler stops (after its running tick) before the store closes.
	a.scheduler.Start()
	defer a.scheduler.Stop()
	if err := a.router.RegisterMenu(ctx); err != nil {
		a.log.Warn("could not publish the command menu", "err", err)
	}

	var intakeErr error
	if a.cfg.WebhookURL != "" {
		err := untilAnswered(ctx, a.log, "setWebhook", func() error {
			return bot.SetWebhook(a.sender, a.cfg.WebhookURL, a.cfg.WebhookSecret)
		})
		switch {
		case ctx.Err() != nil:
		case err != nil:
			intakeErr = fmt.Errorf("WEBHOOK_URL %s: Telegram refused to post updates there: %w", a.cfg.WebhookURL, err)
		default:
			a.setStarting("")
			a.log.Info("webhook registered", "url", a.cfg.WebhookURL, "path", a.cfg.webhookPath())
			go bot.WatchWebhook(ctx, a.sender, a.cfg.WebhookURL, a.webhookWatch, a.log)
			select {
			case <-ctx.Done():
			case intakeErr = <-a.httpErr:
			}
		}
	} else {
		a.setStarting("")
		intakeErr = bot.NewPoller(a.api, a.dispatcher, a.log).Run(ctx)
	}

	// Shutdown lets in-flight webhook requests, hence their updates, finish.
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	if err := a.http.Shutdown(shutdownCtx); err != nil {
		a.log.Warn("http shutdown", "err", err)
	}
	if err, ok := <-a.httpErr; ok && intakeErr == nil {
		intakeErr = fmt.Errorf("http server on %s: %w", a.cfg.HTTPAddr, err)
	}
	a.log.Info("thiduabot stopped")
	return intakeErr
}
