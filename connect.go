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
	startMinBackoff = time.Second
	startMaxBackoff = 30 * time.Second
)

// connect builds the Bot API client, which asks Telegram who the bot is
// (getMe), waiting for Telegram as untilAnswered does.
func connect(ctx context.Context, cfg config, log *slog.Logger) (*tgbotapi.BotAPI, error) {
	var api *tgbotapi.BotAPI
	err := untilAnswered(ctx, log, "getMe", func() error {
		var err error
		api, err = bot.NewAPI(bot.Config{Token: cfg.Token, APIEndpoint: cfg.APIEndpoint, Log: log})
		return err
	})
	if err != nil {
		// A call left in flight may still set api.
		return nil, err
	}
	return api, nil
}

// untilAnswered makes the call of a Bot API method the bot needs at start.
// While Telegram cannot be reached or fails (the network not up yet after a
// reboot, a 5xx, flood control) it logs why and tries again, waiting longer
// each time. It gives up at once when Telegram refuses the call (a token it
// rejects, an API URL that is not a Bot API, a webhook URL it will not
// take), and when ctx is done, without waiting for a call in flight: the
// calls take no context, so such a call is left to end (within its HTTP
// timeout) on its own, and call must not write what the caller reads
// after an error.
func untilAnswered(ctx context.Context, log *slog.Logger, method string, call func() error) error {
	backoff := startMinBackoff
	for {
		done := make(chan error, 1)
		go func() { done <- call() }()
		var err error
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err = <-done:
		}
		if err == nil || refused(err) {
			return err
		}
		log.Warn("cannot reach Telegram; trying again", "method", method, "err", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, startMaxBackoff)
	}
}

// refused reports whether err is Telegram refusing the request (4xx other
// than flood control), which trying again cannot change.
func refused(err error) bool {
	var e *tgbotapi.Error
	return errors.As(err, &e) && e.Code >= 400 && e.Code < 500 && e.Code != http.StatusTooManyRequests
}
