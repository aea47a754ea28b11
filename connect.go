package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
)

// The waits between attempts to reach Telegram at start: the first, and the
// longest, which the wait doubles up to; and the longest wait that
// Telegram's flood control may ask for (retry_after) that the bot honours:
// it asks again after that, at the cost of one more refusal, rather than
// stay down for hours on one answer (of a proxy, say).
const (
	startMinBackoff    = time.Second
	startMaxBackoff    = 30 * time.Second
	startMaxRetryAfter = 5 * time.Minute
)

// connect builds the Bot API client, which asks Telegram who the bot is
// (getMe), waiting for Telegram as untilAnswered does. Refused, it fails
// with an error naming the setting to change: TELEGRAM_BOT_TOKEN for a
// token Telegram rejects (401, or any refusal at Telegram's own address,
// which answers 404 to a token of no bot it knows), TELEGRAM_API_URL for
// any other refusal of getMe, which every Bot API server answers.
func connect(ctx context.Context, cfg config, log *slog.Logger) (*tgbotapi.BotAPI, error) {
	var api *tgbotapi.BotAPI
	err := untilAnswered(ctx, log, "getMe", func() error {
		var err error
		api, err = bot.NewAPI(bot.Config{Token: cfg.Token, APIEndpoint: cfg.APIEndpoint, Log: log})
		return err
	})
	var e *tgbotapi.Error
	base := strings.TrimSuffix(cfg.APIEndpoint, "/bot%s/%s")
	switch {
	case err == nil:
		return api, nil
	case !errors.As(err, &e):
		// ctx is done; a call left in flight may still set api.
		return nil, err
	case e.Code == http.StatusUnauthorized || base == defaultAPIURL:
		return nil, fmt.Errorf("TELEGRAM_BOT_TOKEN: Telegram rejected the token (%s): check it with @BotFather (/mybots, API Token), which also gives a new one", e.Message)
	default:
		if u, err := url.Parse(base); err == nil {
			base = u.Redacted() // a proxy's password, as Go's own errors hide it
		}
		return nil, fmt.Errorf("TELEGRAM_API_URL %s: the server there refused getMe (%d %s), which every Bot API server answers: set it to the server's base URL alone, e.g. %s",
			base, e.Code, e.Message, defaultAPIURL)
	}
}

// untilAnswered makes the call of a Bot API method the bot needs at start.
// While Telegram cannot be reached or fails (the network not up yet after a
// reboot, a 5xx, flood control) it logs why and tries again, waiting longer
// each time, or as long as flood control asks (see startWait). Something
// else answering in Telegram's place (the HTML page of a proxy, see
// bot.NotJSONError) is tried again too, since the way to Telegram may come
// back, and explained once in the log, with the status and content type of
// the answer. It gives up at once when Telegram refuses the call (a token it
// rejects, a method it does not know at the API URL given, a webhook URL it
// will not take), and when ctx is done, without waiting for a call in
// flight: the calls take no context, so such a call is left to end (within
// its HTTP timeout) on its own, and call must not write what the caller
// reads after an error.
func untilAnswered(ctx context.Context, log *slog.Logger, method string, call func() error) error {
	backoff := startMinBackoff
	explained := false
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
		if nj := (*bot.NotJSONError)(nil); !explained && errors.As(err, &nj) {
			explained = true
			log.Error("what answers at Telegram's address is not the Bot API: a proxy, firewall or captive portal "+
				"in the way, or a TELEGRAM_API_URL that is not a Bot API server; trying again",
				"method", method, "status", nj.Status, "content_type", nj.ContentType)
		}
		wait := startWait(err, backoff)
		log.Warn("cannot reach Telegram; trying again", "method", method, "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		backoff = min(2*backoff, startMaxBackoff)
	}
}

// startWait is how long untilAnswered waits after the call failed with err,
// at backoff in its doubling: as long as Telegram's flood control asks
// (retry_after) when that is longer, up to startMaxRetryAfter.
func startWait(err error, backoff time.Duration) time.Duration {
	if ra, flood := bot.RetryAfter(err); flood {
		return min(max(ra, backoff), startMaxRetryAfter)
	}
	return backoff
}

// refused reports whether err is Telegram refusing the request (4xx other
// than flood control), which trying again cannot change.
func refused(err error) bool {
	var e *tgbotapi.Error
	return errors.As(err, &e) && e.Code >= 400 && e.Code < 500 && e.Code != http.StatusTooManyRequests
}
