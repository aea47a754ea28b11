package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
)

// The waits between attempts to reach Telegram at start: the first, and the
// longest, which the wait doubles up to.
const (
	connectMinBackoff = time.Second
	connectMaxBackoff = 30 * time.Second
)

// connect builds the Bot API client, which asks Telegram who the bot is
// (getMe). While Telegram cannot be reached or fails (the network not up
// yet after a reboot, a 5xx, flood control) it logs why and tries again,
// waiting longer each time; it gives up at once when Telegram refuses the
// request (a token it rejects, an API URL that is not a Bot API) and when
// ctx is done, without waiting for a call in flight.
func connect(ctx context.Context, cfg config, log *slog.Logger) (*tgbotapi.BotAPI, error) {
	type result struct {
		api *tgbotapi.BotAPI
		err error
	}
	backoff := connectMinBackoff
	for {
		// bot.NewAPI takes no context: a call in flight when ctx ends is
		// left to finish (within its HTTP timeout) on its own.
		done := make(chan result, 1)
		go func() {
			api, err := bot.NewAPI(bot.Config{Token: cfg.Token, APIEndpoint: cfg.APIEndpoint, Log: log})
			done <- result{api, err}
		}()
		var r result
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case r = <-done:
		}
		if r.err == nil {
			return r.api, nil
		}
		if refused(r.err) {
			return nil, r.err
		}
		log.Warn("cannot reach Telegram; trying again", "err", r.err, "retry_in", backoff)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, connectMaxBackoff)
	}
}

// refused reports whether err is Telegram refusing the request (4xx other
// than flood control), which trying again cannot change.
func refused(err error) bool {
	var e *tgbotapi.Error
	return errors.As(err, &e) && e.Code >= 400 && e.Code < 500 && e.Code != http.StatusTooManyRequests
}
