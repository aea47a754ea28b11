// Package bot is thiduabot's Telegram transport. It builds the Bot API client
// with the token kept out of every error and log line, takes updates in by
// long polling or webhook, dispatches them to a Handler one chat at a time,
// sends through one outbound Sender that keeps Telegram's rate limits, and
// offers small helpers for HTML formatting, languages and command menus.
//
// The package knows Telegram but nothing of the thidua domain.
package bot

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// defaultHTTPTimeout bounds every Bot API call made with the default HTTP
// client. It exceeds the default long-poll timeout with room to spare.
const defaultHTTPTimeout = 90 * time.Second

// Config configures NewAPI.
type Config struct {
	// Token is the bot token issued by @BotFather.
	Token string
	// APIEndpoint is the Bot API endpoint in tgbotapi's format, with one %s
	// for the token and one for the method. Defaults to tgbotapi.APIEndpoint
	// ("https://api.telegram.org/bot%s/%s"); point it at a fake or at a
	// self-hosted Bot API server.
	APIEndpoint string
	// HTTPClient performs the requests. Defaults to a client with a 90 s
	// timeout; a custom client's timeout must exceed the poller's long-poll
	// timeout.
	HTTPClient *http.Client
	// Log receives tgbotapi's log lines, token redacted. Defaults to
	// slog.Default().
	Log *slog.Logger
}

// NewAPI checks the token's form with ValidToken, builds the tgbotapi client
// and calls getMe, which fills the returned BotAPI's Self. Every error the
// client's HTTP layer returns, and the error NewAPI returns, has the token
// redacted; tgbotapi's process-wide logger is replaced by one that redacts
// it too. Debug is never enabled.
func NewAPI(cfg Config) (*tgbotapi.BotAPI, error) {
	if err := ValidToken(cfg.Token); err != nil {
		return nil, err
	}
	if cfg.APIEndpoint == "" {
		cfg.APIEndpoint = tgbotapi.APIEndpoint
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: defaultHTTPTimeout}
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	useLibLogger(cfg.Log, cfg.Token)
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, cfg.APIEndpoint, &redactingClient{c: cfg.HTTPClient, token: cfg.Token, endpoint: cfg.APIEndpoint})
	if err != nil {
		err = redactErr(err, cfg.Token)
		if e := apiError(err); e != nil && e.Code == http.StatusUnauthorized {
			return nil, fmt.Errorf("bot: getMe: Telegram rejected the token (%w); check it with @BotFather", err)
		}
		return nil, fmt.Errorf("bot: getMe: %w", err)
	}
	return api, nil
}

// redactingClient performs requests for tgbotapi and removes the token from
// the errors (a transport *url.Error carries the request URL, token and
// all), so that neither tgbotapi nor its callers ever see it. It also keeps
// the endpoint, which tgbotapi does not expose, for the calls this package
// makes without tgbotapi (see getUpdates).
type redactingClient struct {
	c        tgbotapi.HTTPClient
	token    string
	endpoint string
}

// Do implements tgbotapi.HTTPClient. An answer that is not JSON fails
// with a *NotJSONError (see notJSON).
func (rc *redactingClient) Do(req *http.Request) (*http.Response, error) {
	resp, err := rc.c.Do(req)
	if err != nil {
		return resp, redactErr(err, rc.token)
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		return notJSON(resp)
	}
	return resp, nil
}

// NotJSONError is the failure of a call that was answered with something
// other than the Bot API's JSON: the HTML error page of a proxy, firewall
// or captive portal in the way to Telegram, or of a web server that is not
// a Bot API server. It holds what answered, not the page.
type NotJSONError struct {
	// Status is the HTTP status of the answer.
	Status int
	// ContentType is its Content-Type, cut to 100 bytes.
	ContentType string
}

// Error implements error.
func (e *NotJSONError) Error() string {
	ct := e.ContentType
	if ct == "" {
		ct = "none"
	}
	return fmt.Sprintf("the API answered HTTP %d %s (Content-Type %s), not JSON", e.Status, http.StatusText(e.Status), ct)
}

// notJSON checks an answer whose Content-Type does not say JSON: one whose
// body starts as a JSON object nonetheless (a server that does not say
// what it sends) is returned for decoding; any other is closed and fails
// with a *NotJSONError, which says more than the decoder's "invalid
// character '<'".
func notJSON(resp *http.Response) (*http.Response, error) {
	body := bufio.NewReader(resp.Body)
	for {
		c, err := body.ReadByte()
		switch {
		case err == nil && (c == ' ' || c == '\t' || c == '\r' || c == '\n'):
			continue
		case err == nil && c == '{':
			_ = body.UnreadByte()
			resp.Body = struct {
				io.Reader
				io.Closer
			}{body, resp.Body}
			return resp, nil
		}
		resp.Body.Close()
		ct := resp.Header.Get("Content-Type")
		if len(ct) > 100 {
			ct = ct[:100]
		}
		return nil, &NotJSONError{Status: resp.StatusCode, ContentType: ct}
	}
}

// contextClient performs requests bound to a context, so that cancelling it
// aborts a request in flight.
type contextClient struct {
	c   tgbotapi.HTTPClient
	ctx context.Context
}

// Do implements tgbotapi.HTTPClient.
func (cc contextClient) Do(req *http.Request) (*http.Response, error) {
	return cc.c.Do(req.WithContext(cc.ctx))
}

// withContext returns a shallow copy of api whose requests are bound to ctx.
// tgbotapi has no context of its own; the copy shares the token, endpoint
// and underlying HTTP client.
func withContext(ctx context.Context, api *tgbotapi.BotAPI) *tgbotapi.BotAPI {
	c := *api
	c.Client = contextClient{c: api.Client, ctx: ctx}
	return &c
}

// threadClient performs requests for tgbotapi with the message_thread_id
// parameter added, which tgbotapi's configs cannot carry: their parameters
// come from an unexported method, so that a request's only way to carry a
// parameter they lack is its HTTP request. It goes into the URL's query
// string, which the Bot API reads besides the form or multipart body (see
// tdlib/telegram-bot-api#177), so that it serves every kind of message
// alike: text, and files uploaded or sent again by file id.
type threadClient struct {
	c      tgbotapi.HTTPClient
	thread string
}

// Do implements tgbotapi.HTTPClient.
func (tc threadClient) Do(req *http.Request) (*http.Response, error) {
	u := *req.URL
	q := u.Query()
	q.Set("message_thread_id", tc.thread)
	u.RawQuery = q.Encode()
	r := *req
	r.URL = &u
	return tc.c.Do(&r)
}

// inThread returns a shallow copy of api whose requests post in the topic
// thread, as withContext binds them to a context.
func inThread(api *tgbotapi.BotAPI, thread int) *tgbotapi.BotAPI {
	c := *api
	c.Client = threadClient{c: api.Client, thread: strconv.Itoa(thread)}
	return &c
}

// apiError returns the Telegram error inside err, or nil.
func apiError(err error) *tgbotapi.Error {
	var e *tgbotapi.Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// RetryAfter reports whether err is Telegram's flood control (HTTP 429) and
// how long it asked to wait (its retry_after, at least a second).
func RetryAfter(err error) (time.Duration, bool) {
	e := apiError(err)
	if e == nil || (e.Code != http.StatusTooManyRequests && e.RetryAfter == 0) {
		return 0, false
	}
	return max(time.Duration(e.RetryAfter)*time.Second, minRetryAfter), true
}

// minRetryAfter is the shortest wait after a 429, for answers whose
// retry_after is missing or zero.
const minRetryAfter = time.Second

// MigratedTo reports whether err says that the group chat was upgraded to a
// supergroup, and the supergroup's chat id. Send returns such an error for
// calls addressed to the old group id; callers should move their records to
// the new id and send there.
func MigratedTo(err error) (int64, bool) {
	e := apiError(err)
	if e == nil || e.MigrateToChatID == 0 {
		return 0, false
	}
	return e.MigrateToChatID, true
}

// sleep waits for d or until ctx is done, and returns ctx.Err() in the
// latter case.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
