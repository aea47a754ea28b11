package telegramtest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// botID is the user id of the bot every Server impersonates; it is also the
// numeric prefix of the token.
const botID int64 = 123456789

// errClosed is returned by waits that end because the server was closed.
var errClosed = errors.New("telegramtest: server closed")

// Server is a fake Telegram Bot API server listening on a loopback port.
// Create one with NewServer and release it with Close.
type Server struct {
	ts         *httptest.Server
	token      string
	cfg        config
	hookClient *http.Client

	// done is closed when Close starts; every wait watches it.
	done      chan struct{}
	closeOnce sync.Once
	// workers tracks webhook delivery goroutines.
	workers sync.WaitGroup

	mu sync.Mutex
	// wake is closed and replaced on every state change (see notifyLocked).
	wake   chan struct{}
	closed bool

	bot      *User
	users    map[int64]*User
	chats    map[int64]*chatState
	ids      idSource
	requests []*Request
	queue    updateQueue
	hook     webhookState
	limiter  limiter
	files    fileStore
	queries  callbackStore
	commands commandStore
	// albums counts the albums users sent (see SendAlbum).
	albums int
	// failing holds, by canonical method name, the calls still to fail
	// and how (see FailNextWithStatus).
	failing map[string]failure
	// onAnswer, when set, is told of every message and callback answer
	// the server accepts (see OnAnswer).
	onAnswer func(Answer)
	// losses are the texts that lost formatting (see FormattingLosses).
	losses []FormattingLoss
}

// Answer is a message the bot sent (sendMessage) or an answer to a button
// press (answerCallbackQuery) that the server accepted, as OnAnswer sees it.
type Answer struct {
	// ChatID and ReplyTo are the chat of a message and the message it
	// replies to (0 for none); QueryID is the press a callback answer
	// answers. Text is the text as the bot sent it (HTML for a message).
	ChatID  int64
	ReplyTo int
	QueryID string
	Text    string
	// At is when the server accepted it.
	At time.Time
}

// OnAnswer makes the server call f with every message and callback answer
// it accepts from then on, as it accepts them, so that a load generator
// learns when the bot answered without parsing the bot's requests again.
// f runs while the server holds its lock: it must be quick and must not
// call the server.
func (s *Server) OnAnswer(f func(Answer)) {
	s.mu.Lock()
	s.onAnswer = f
	s.mu.Unlock()
}

// config holds what the options of NewServer choose.
type config struct {
	limits      Limits
	botUsername string
	retry       retryPolicy
	// hookRoots, when set, are the authorities webhook deliveries trust.
	hookRoots *x509.CertPool
}

// Option configures a Server created by NewServer.
type Option func(*config)

// WithLimits makes the server enforce the given flood limits on chat-bound
// sends. Without it the server enforces NoLimits.
func WithLimits(l Limits) Option {
	return func(c *config) { c.limits = l }
}

// WithBotUsername sets the bot's username (without "@"), as returned by getMe
// and recognised in "/command@username".
func WithBotUsername(username string) Option {
	return func(c *config) { c.botUsername = strings.TrimPrefix(username, "@") }
}

// WithWebhookRetry sets the backoff between webhook delivery attempts of an
// update the bot refused: the first retry waits initial, each next one twice
// as long, at most max. The default is 20ms doubling up to 500ms.
func WithWebhookRetry(initial, max time.Duration) Option {
	return func(c *config) { c.retry = retryPolicy{initial: initial, max: max} }
}

// WithWebhookRootCAs makes webhook deliveries to https URLs trust the
// certificates roots signed, instead of the system's authorities: a test
// can then have the server deliver through a TLS proxy whose certificate
// it made, as Telegram delivers to a public one. A delivery whose
// certificate is not trusted fails, with the error in getWebhookInfo.
func WithWebhookRootCAs(roots *x509.CertPool) Option {
	return func(c *config) { c.hookRoots = roots }
}

// NewServer starts a fake Bot API server. The caller must Close it.
func NewServer(opts ...Option) *Server {
	cfg := config{
		limits:      NoLimits,
		botUsername: "telegramtest_bot",
		retry:       retryPolicy{initial: 20 * time.Millisecond, max: 500 * time.Millisecond},
	}
	for _, opt := range opts {
		opt(&cfg)
	}
	if cfg.retry.initial <= 0 {
		cfg.retry.initial = time.Millisecond
	}
	if cfg.retry.max < cfg.retry.initial {
		cfg.retry.max = cfg.retry.initial
	}

	hookTransport := http.DefaultTransport.(*http.Transport).Clone()
	if cfg.hookRoots != nil {
		hookTransport.TLSClientConfig = &tls.Config{RootCAs: cfg.hookRoots}
	}
	s := &Server{
		token:      fmt.Sprintf("%d:TEST-%s", botID, randomString(30)),
		cfg:        cfg,
		hookClient: &http.Client{Transport: hookTransport},
		done:       make(chan struct{}),
		wake:       make(chan struct{}),
		users:      make(map[int64]*User),
		chats:      make(map[int64]*chatState),
		ids:        newIDSource(),
		queue:      newUpdateQueue(),
		limiter:    limiter{limits: cfg.limits},
		files:      newFileStore(),
		queries:    newCallbackStore(),
		commands:   make(commandStore),
		failing:    make(map[string]failure),
	}
	s.bot = &User{ID: botID, FirstName: "Test Bot", UserName: cfg.botUsername, IsBot: true}
	s.users[s.bot.ID] = s.bot
	anonymous := anonymousAdmin()
	s.users[anonymous.ID] = &anonymous
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// Close stops webhook delivery, ends pending long polls and shuts the HTTP
// server down. It is safe to call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.hook.stopLocked()
		close(s.done)
		s.mu.Unlock()
		s.workers.Wait()
		s.ts.Close()
		s.hookClient.CloseIdleConnections()
	})
}

// Token returns the bot token the server accepts.
func (s *Server) Token() string { return s.token }

// URL returns the base URL of the server, such as "http://127.0.0.1:41234".
func (s *Server) URL() string { return s.ts.URL }

// Endpoint returns the API endpoint format string to pass to
// tgbotapi.NewBotAPIWithAPIEndpoint, "<URL>/bot%s/%s".
func (s *Server) Endpoint() string { return s.ts.URL + "/bot%s/%s" }

// FileEndpoint returns the file download format string, "<URL>/file/bot%s/%s",
// the fake counterpart of tgbotapi.FileEndpoint (which points at Telegram).
func (s *Server) FileEndpoint() string { return s.ts.URL + "/file/bot%s/%s" }

// BotUser returns the bot account the server impersonates.
func (s *Server) BotUser() *User {
	u := *s.bot
	return &u
}

// Request is one Bot API call the server received.
type Request struct {
	// Method is the canonical method name, such as "sendMessage", or the
	// name as requested when the method is unknown.
	Method string
	// Params holds every parameter, from the query string and the body.
	// Uploaded files are not included.
	Params url.Values
	// Status is the HTTP status of the answer, or 0 while the call is still
	// being served (a long poll).
	Status int
	// Description is the error description of a refused call.
	Description string
	// Time is when the call arrived.
	Time time.Time
}

// Requests returns, in arrival order, every call of the given Bot API method,
// or every call when method is empty.
func (s *Server) Requests(method string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.requests {
		if method == "" || r.Method == method {
			c := *r
			c.Params = cloneValues(r.Params)
			out = append(out, c)
		}
	}
	return out
}

// RequestsFrom returns, in arrival order, every call from the i-th on, the
// first being the 0th: Requests("")[i:] without copying the calls before,
// for a test that checks the calls of each of its many steps.
func (s *Server) RequestsFrom(i int) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, 0, max(len(s.requests)-i, 0))
	for _, r := range s.requests[min(i, len(s.requests)):] {
		c := *r
		c.Params = cloneValues(r.Params)
		out = append(out, c)
	}
	return out
}

// serveHTTP routes API calls and file downloads.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/bot"):
		s.serveAPI(w, r, strings.TrimPrefix(r.URL.Path, "/bot"))
	case strings.HasPrefix(r.URL.Path, "/file/bot"):
		s.serveFile(w, r, strings.TrimPrefix(r.URL.Path, "/file/bot"))
	default:
		writeError(w, errNotFound)
	}
}

// serveAPI answers "/bot<token>/<method>".
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, rest string) {
	token, name, _ := strings.Cut(rest, "/")
	spec, known := methods[strings.ToLower(name)]
	if known {
		name = spec.name
	}
	params, files, perr := parseParams(r)
	rec := &Request{Method: name, Params: params, Time: time.Now()}
	s.mu.Lock()
	s.requests = append(s.requests, rec)
	s.mu.Unlock()

	var (
		result any
		aerr   *apiError
	)
	switch {
	case token != s.token:
		aerr = errUnauthorized
	case !known:
		aerr = errNotFound
	case perr != nil:
		aerr = perr
	default:
		if aerr = s.fails(name); aerr == nil {
			result, aerr = spec.handle(s, &apiRequest{ctx: r.Context(), params: params, files: files})
		}
	}

	status := http.StatusOK
	if aerr != nil {
		status = aerr.code
	}
	s.mu.Lock()
	rec.Status = status
	if aerr != nil {
		rec.Description = aerr.description
		if aerr.code == http.StatusTooManyRequests {
			s.limiter.served429++
		}
	}
	s.mu.Unlock()

	if aerr != nil {
		writeError(w, aerr)
		return
	}
	writeResult(w, result)
}

// FailNext makes the next n calls of the Bot API method (its canonical
// name, such as "setMyCommands") fail with 500 Internal Server Error,
// changing nothing, to simulate Telegram failing for a while. Calls
// refused before (a wrong token, unreadable parameters) do not use up n.
func (s *Server) FailNext(method string, n int) {
	s.FailNextWithStatus(method, n, http.StatusInternalServerError)
}

// FailNextWithStatus is FailNext with another server error, status (5xx),
// answered as Telegram answers it: 500 as the Bot API's JSON error, as
// FailNext does; any other (502 Bad Gateway, 503 Service Unavailable, 504
// Gateway Timeout) as its front end does while the Bot API behind it is
// down or slow, with nginx's HTML error page, not JSON. It panics on a
// status that is not a server error.
func (s *Server) FailNextWithStatus(method string, n, status int) {
	if status < 500 || status > 599 {
		panic(fmt.Sprintf("telegramtest: FailNextWithStatus(%q, %d, %d): not a server error", method, n, status))
	}
	err := errInternal
	if status != http.StatusInternalServerError {
		err = &apiError{code: status, description: fmt.Sprintf("%d %s", status, http.StatusText(status)), frontEnd: true}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failing[method] = failure{left: n, err: err}
}

// ClearFailures cancels the failures FailNext and FailNextWithStatus set
// that calls have not used up yet, of every method, so that the next calls
// are served: for a test that plays an outage before an action that may
// not call the method failed, and must not leave the failures to the
// actions after it.
func (s *Server) ClearFailures() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.failing)
}

// failure is how FailNextWithStatus makes the calls of a method fail: the
// next left of them, with err.
type failure struct {
	left int
	err  *apiError
}

// fails returns the failure FailNextWithStatus set for this call of
// method, counting it, or nil if it is to be served.
func (s *Server) fails(method string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.failing[method]
	if f.left == 0 {
		return nil
	}
	f.left--
	s.failing[method] = f
	return f.err
}

// notifyLocked wakes every goroutine waiting for a state change. The caller
// holds s.mu.
func (s *Server) notifyLocked() {
	close(s.wake)
	s.wake = make(chan struct{})
}

// await blocks until cond, which is evaluated with s.mu held, reports true.
// It returns ctx.Err() when ctx ends first and errClosed when the server
// closes first.
func (s *Server) await(ctx context.Context, cond func() bool) error {
	s.mu.Lock()
	for {
		if cond() {
			s.mu.Unlock()
			return nil
		}
		wake := s.wake
		s.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return ctx.Err()
		case <-s.done:
			return errClosed
		}
		s.mu.Lock()
	}
}

// awaitFor is await with a timeout; what describes the awaited condition in
// the timeout error.
func (s *Server) awaitFor(timeout time.Duration, what string, cond func() bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := s.await(ctx, cond)
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("telegramtest: timed out after %v waiting for %s", timeout, what)
	}
	return err
}

// idSource hands out the identifiers of users, chats and callback queries.
type idSource struct {
	user       int64
	supergroup int64
	basicGroup int64
	query      uint64
}

// newIDSource starts every sequence at a realistic-looking value.
func newIDSource() idSource {
	return idSource{
		user:       700000000,
		supergroup: 1001700000000,
		basicGroup: 400000000,
		query:      rand.Uint64N(1<<62) + 1<<61,
	}
}

// randomString returns n random letters and digits.
func randomString(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rand.IntN(len(alphabet))]
	}
	return string(b)
}

// randomDigits returns n random decimal digits, the first one not zero.
func randomDigits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + rand.IntN(10))
	}
	b[0] = byte('1' + rand.IntN(9))
	return string(b)
}

// cloneValues deep-copies v.
func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
