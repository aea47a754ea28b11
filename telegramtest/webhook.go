package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// SecretTokenHeader is the header carrying the secret_token of setWebhook on
// every webhook delivery.
const SecretTokenHeader = "X-Telegram-Bot-Api-Secret-Token"

// defaultMaxConnections is Telegram's default max_connections.
const defaultMaxConnections = 40

// errWebhookActive is the error of getUpdates while a webhook is set.
var errWebhookActive = conflict("can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")

// secretTokenPattern is what Telegram allows in a secret_token.
var secretTokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// retryPolicy is the backoff between failed webhook deliveries.
type retryPolicy struct {
	initial time.Duration
	max     time.Duration
}

// webhookState is the webhook the bot set, if any.
type webhookState struct {
	url            string
	secret         string
	maxConnections int
	certificate    bool
	lastErrorDate  time.Time
	lastError      string
	// cancel stops the delivery goroutine; nil when no webhook is set.
	cancel context.CancelFunc
	// stopped is closed when the delivery goroutine has returned.
	stopped chan struct{}
}

// active reports whether a webhook is set.
func (h *webhookState) active() bool { return h.cancel != nil }

// stopLocked removes the webhook and returns a channel closed once its
// delivery goroutine has returned (already closed when there was none).
func (h *webhookState) stopLocked() <-chan struct{} {
	stopped := h.stopped
	if h.cancel != nil {
		h.cancel()
	}
	*h = webhookState{}
	if stopped == nil {
		stopped = make(chan struct{})
		close(stopped)
	}
	return stopped
}

// handleSetWebhook serves setWebhook. An empty url removes the webhook.
// Plain http URLs are accepted, for httptest servers.
func (s *Server) handleSetWebhook(r *apiRequest) (any, *apiError) {
	rawURL := r.str("url")
	if rawURL == "" {
		return s.handleDeleteWebhook(r)
	}
	u, perr := url.Parse(rawURL)
	if perr != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	secret := r.str("secret_token")
	if secret != "" && !secretTokenPattern.MatchString(secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	maxConns, err := r.integer("max_connections", defaultMaxConnections, badRequest("bad webhook: invalid max_connections"))
	if err != nil {
		return nil, err
	}
	if maxConns < 1 || maxConns > 100 {
		return nil, badRequest("bad webhook: max_connections must be between 1 and 100")
	}
	allowed, setAllowed, err := r.allowedUpdates()
	if err != nil {
		return nil, err
	}
	_, hasCert := r.files["certificate"]

	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, &apiError{code: http.StatusServiceUnavailable, description: "Service Unavailable"}
	}
	previous := s.hook.stopLocked()
	if r.flag("drop_pending_updates") {
		s.queue.pending = nil
	}
	if setAllowed {
		s.queue.allowed = allowed
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	s.hook = webhookState{
		url:            rawURL,
		secret:         secret,
		maxConnections: int(maxConns),
		certificate:    hasCert,
		cancel:         cancel,
		stopped:        stopped,
	}
	s.workers.Add(1)
	s.notifyLocked()
	s.mu.Unlock()

	go s.deliver(ctx, rawURL, secret, previous, stopped)
	return true, nil
}

// handleDeleteWebhook serves deleteWebhook. It returns once the delivery
// goroutine has stopped, so that no update is delivered both ways.
func (s *Server) handleDeleteWebhook(r *apiRequest) (any, *apiError) {
	s.mu.Lock()
	stopped := s.hook.stopLocked()
	if r.flag("drop_pending_updates") {
		s.queue.pending = nil
	}
	s.notifyLocked()
	s.mu.Unlock()
	<-stopped
	return true, nil
}

// handleGetWebhookInfo serves getWebhookInfo.
func (s *Server) handleGetWebhookInfo(*apiRequest) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := tgbotapi.WebhookInfo{
		URL:                  s.hook.url,
		HasCustomCertificate: s.hook.certificate,
		PendingUpdateCount:   len(s.queue.pending),
		LastErrorMessage:     s.hook.lastError,
		MaxConnections:       s.hook.maxConnections,
	}
	if s.hook.active() {
		info.AllowedUpdates = s.queue.allowed
	}
	if !s.hook.lastErrorDate.IsZero() {
		info.LastErrorDate = int(s.hook.lastErrorDate.Unix())
	}
	return info, nil
}

// deliver posts pending updates to the webhook one at a time, in order,
// until ctx ends or the server closes. A 2xx answer confirms an update; any
// other outcome is retried with exponential backoff. It first waits for the
// previous webhook's goroutine to stop.
func (s *Server) deliver(ctx context.Context, target, secret string, previous <-chan struct{}, stopped chan struct{}) {
	defer s.workers.Done()
	defer close(stopped)
	select {
	case <-previous:
	case <-ctx.Done():
		return
	}
	backoff := s.cfg.retry.initial
	for {
		var next wireUpdate
		if s.await(ctx, func() bool {
			if len(s.queue.pending) == 0 {
				return false
			}
			next = s.queue.pending[0]
			return true
		}) != nil {
			return
		}
		failure := s.post(ctx, target, secret, next)
		s.mu.Lock()
		if failure == "" {
			s.queue.confirmID(next.UpdateID)
		} else if ctx.Err() == nil {
			s.hook.lastErrorDate, s.hook.lastError = time.Now(), failure
		}
		s.notifyLocked()
		s.mu.Unlock()
		if failure == "" {
			backoff = s.cfg.retry.initial
			continue
		}
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return
		}
		backoff = min(2*backoff, s.cfg.retry.max)
	}
}

// post delivers one update and returns why it failed, or "" on a 2xx answer.
func (s *Server) post(ctx context.Context, target, secret string, u wireUpdate) string {
	body, err := json.Marshal(u)
	if err != nil {
		return err.Error()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(SecretTokenHeader, secret)
	}
	resp, err := s.hookClient.Do(req)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Sprintf("Wrong response from the webhook: %s", resp.Status)
	}
	return ""
}
