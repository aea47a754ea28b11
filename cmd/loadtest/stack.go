package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/redis/go-redis/v9"

	"thiduabot/bot"
	"thiduabot/handlers"
	"thiduabot/storage"
	"thiduabot/telegramtest"
)

// quiet discards the bot's log lines during a run.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// unlimited are sender limits high enough never to hold a throughput run
// back, while keeping the sender's mechanism in play.
var unlimited = bot.Limits{
	PerChat: 1_000_000, PerChatWindow: time.Second,
	PerGroup: 1_000_000, PerGroupWindow: time.Second,
	Global: 1_000_000, GlobalWindow: time.Second,
}

// stackConfig says what bot a stack runs.
type stackConfig struct {
	// echo replaces the handlers with one that only replies, without storage.
	echo bool
	// limits are the sender's limits.
	limits bot.Limits
	// workers is the dispatcher's number of workers (its default if 0).
	workers int
}

// stack is the real bot (API client, sender, dispatcher, poller, handlers
// on the Redis store) running against a fake Bot API in this process.
type stack struct {
	tg      *telegramtest.Server
	store   *storage.Redis
	router  *handlers.Router
	sender  *bot.Sender
	tracker *tracker

	cancel context.CancelFunc
	done   chan error
}

// startStack starts a bot on tg and store, as main.go wires it, with the
// probes of the run: tracker sees its answers. The store may be nil for the
// echo bot.
func startStack(tg *telegramtest.Server, store *storage.Redis, cfg stackConfig) (*stack, error) {
	tr := newTracker()
	// Many handlers call the fake at once over HTTP/1.1 (Telegram speaks
	// HTTP/2): keep enough idle connections for all of them.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 256
	api, err := bot.NewAPI(bot.Config{
		Token: tg.Token(), APIEndpoint: tg.Endpoint(), Log: quiet,
		HTTPClient: &http.Client{Timeout: 90 * time.Second, Transport: transport},
	})
	if err != nil {
		return nil, err
	}
	tg.OnAnswer(tr.observe)
	sender := bot.NewSender(api, cfg.limits, nil, quiet)
	s := &stack{tg: tg, store: store, sender: sender, tracker: tr}
	dc := bot.DispatcherConfig{Scope: api.Self.ID, Sender: sender, Workers: cfg.workers, Log: quiet}
	if cfg.echo {
		dc.Handler = echoHandler(sender)
	} else {
		s.router = handlers.New(handlers.Config{
			Store: store, Sender: sender, Admins: bot.NewAdmins(sender, time.Minute),
			BotUsername: api.Self.UserName, Lang: bot.VI, Location: zone, Log: quiet,
			Dedupe: &handlers.Dedupe{Scope: api.Self.ID},
		})
		dc.Handler = s.router
	}
	poller := bot.NewPoller(api, bot.NewDispatcher(dc), quiet, bot.WithPollTimeout(time.Second),
		bot.WithBackoff(10*time.Millisecond, 100*time.Millisecond))
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan error, 1)
	go func() { s.done <- poller.Run(ctx) }()
	return s, nil
}

// stop stops the bot as SIGTERM does.
func (s *stack) stop() error {
	s.cancel()
	select {
	case err := <-s.done:
		return err
	case <-time.After(30 * time.Second):
		return errors.New("the bot did not stop")
	}
}

// echoHandler answers every message with a reply and every button press
// with an answer, through the sender, touching no storage: the baseline of
// intake, dispatch and sending.
func echoHandler(sender *bot.Sender) bot.Handler {
	return bot.HandlerFunc(func(ctx context.Context, u tgbotapi.Update) error {
		switch {
		case u.Message != nil:
			mc := tgbotapi.NewMessage(u.Message.Chat.ID, "✅ "+bot.Escape(u.Message.Text))
			mc.ParseMode = tgbotapi.ModeHTML
			mc.ReplyToMessageID = u.Message.MessageID
			_, err := sender.Send(ctx, mc)
			return err
		case u.CallbackQuery != nil:
			_, err := sender.Request(ctx, tgbotapi.NewCallback(u.CallbackQuery.ID, "✅"))
			return err
		}
		return nil
	})
}

// dial connects to the Redis at rawURL and checks that it answers.
func dial(ctx context.Context, rawURL string) (redis.UniversalClient, error) {
	opts, err := storage.ParseRedisURL(rawURL)
	if err != nil {
		return nil, err
	}
	client := redis.NewUniversalClient(opts)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := client.Ping(pctx).Err(); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("redis: %w", err)
	}
	return client, nil
}

// openRedis connects to the Redis at rawURL with the round-trip counter
// hooked in, and returns a store on it under prefix, and its client.
func openRedis(ctx context.Context, rawURL, prefix string, rt *roundTrips) (*storage.Redis, redis.UniversalClient, error) {
	client, err := dial(ctx, rawURL)
	if err != nil {
		return nil, nil, err
	}
	client.AddHook(rt)
	return storage.NewRedis(client, prefix), client, nil
}

// deleteKeys deletes every key under prefix (SCAN and DEL, never FLUSHDB),
// and returns how many there were.
func deleteKeys(ctx context.Context, client redis.UniversalClient, prefix string) (int, error) {
	iter := client.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		return 0, err
	}
	for from := 0; from < len(keys); from += 1000 {
		batch := keys[from:min(from+1000, len(keys))]
		// One DEL per key, so that keys on different Cluster slots are fine.
		_, err := client.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, k := range batch {
				p.Del(ctx, k)
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}
