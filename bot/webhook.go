package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// SecretHeader is the header in which Telegram sends the webhook's secret
// token.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// webhookMaxConnections is the most webhook requests Telegram keeps open at
// once (Telegram's default).
const webhookMaxConnections = 40

// maxUpdateSize bounds the body of a webhook request.
const maxUpdateSize = 1 << 20

var secretForm = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// SetWebhook tells Telegram to deliver updates (of the same kinds the
// Poller asks for) to url with secret in the SecretHeader header. secret
// must be 1 to 256 letters, digits, underscores or hyphens. Pending updates
// are kept. It calls Telegram once: flood control (HTTP 429) is returned,
// for the caller to wait as it sees fit (see RetryAfter).
func SetWebhook(s *Sender, url, secret string) error {
	if !secretForm.MatchString(secret) {
		return errors.New("bot: the webhook secret must be 1 to 256 letters, digits, '_' or '-'")
	}
	allowed, _ := json.Marshal(allowedUpdates) // a []string always marshals
	_, err := s.callOnce("setWebhook", tgbotapi.Params{
		"url":             url,
		"secret_token":    secret,
		"allowed_updates": string(allowed),
		"max_connections": strconv.Itoa(webhookMaxConnections),
	})
	return err
}

// WebhookHandler returns the HTTP handler for Telegram's webhook requests.
// It accepts only POST (405 otherwise) and, when secret is not empty, only
// requests whose SecretHeader equals it (403 otherwise, compared in
// constant time). It reads one update of at most 1 MiB (400 if it is not
// one, 413 if too large), dispatches it with d and answers 200 once it has
// been handled, so Telegram redelivers updates a crash interrupted.
//
// Requests refused for their secret are logged at most once a minute, with
// how many were refused since the line before, so that whoever can reach
// the endpoint cannot fill the log.
func WebhookHandler(secret string, d *Dispatcher, log *slog.Logger) http.Handler {
	return webhookHandler(secret, d, log, time.Now)
}

// webhookHandler is WebhookHandler with its clock.
func webhookHandler(secret string, d *Dispatcher, log *slog.Logger, now func() time.Time) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	if secret == "" {
		log.Warn("the webhook accepts requests without a secret token")
	}
	var (
		mu       sync.Mutex
		refused  int       // requests refused since the last line logged
		loggedAt time.Time // when that line was logged
	)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if secret != "" && subtle.ConstantTimeCompare([]byte(r.Header.Get(SecretHeader)), []byte(secret)) != 1 {
			mu.Lock()
			refused++
			if t := now(); loggedAt.IsZero() || t.Sub(loggedAt) >= time.Minute {
				log.Warn("webhook request with a wrong or missing secret token", "remote", r.RemoteAddr, "refused", refused)
				refused, loggedAt = 0, t
			}
			mu.Unlock()
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		var in incoming
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxUpdateSize)).Decode(&in); err != nil {
			if mbe := new(http.MaxBytesError); errors.As(err, &mbe) {
				http.Error(w, "update too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "bad update: "+err.Error(), http.StatusBadRequest)
			return
		}
		u := in.update()
		if u.u.UpdateID <= 0 {
			http.Error(w, "bad update: no update_id", http.StatusBadRequest)
			return
		}
		d.dispatch(r.Context(), []inbound{u})
		w.WriteHeader(http.StatusOK)
	})
}

// WatchWebhook asks Telegram (getWebhookInfo) every interval, until ctx
// ends, how the webhook set with SetWebhook for url fares, and logs at
// error level what the bot cannot see by itself: each new failure Telegram
// reports delivering updates there (a proxy that does not forward the
// path, a certificate Telegram does not trust, an address that leads
// elsewhere), with the number of updates waiting; and, once, a webhook
// that is no longer url (taken off by a bot polling with the same token,
// or set to another address). A call that fails is left for the next.
func WatchWebhook(ctx context.Context, s *Sender, url string, interval time.Duration, log *slog.Logger) {
	reported := time.Now().Unix() - 1 // the last failure said; those before the start are not
	elsewhere := false
	for sleep(ctx, interval) == nil {
		info, err := withContext(ctx, s.api).GetWebhookInfo()
		switch {
		case err != nil:
		case info.URL != url:
			if !elsewhere {
				log.Error("the webhook is no longer this bot's: Telegram posts updates elsewhere or, with none set, keeps them for a bot polling with this token",
					"webhook_url", url, "telegram_webhook", Redact(info.URL, s.api.Token))
			}
			elsewhere = true
		case int64(info.LastErrorDate) > reported:
			reported = int64(info.LastErrorDate)
			log.Error("Telegram cannot deliver updates to the webhook", "webhook_url", url,
				"error", info.LastErrorMessage, "pending", info.PendingUpdateCount)
			elsewhere = false
		default:
			elsewhere = false
		}
	}
}
