package bot

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// redacted replaces a bot token wherever one would appear.
const redacted = "<redacted>"

// Redact returns s with every occurrence of token replaced by "<redacted>",
// so the request path "/bot<token>/getMe" becomes "/bot<redacted>/getMe". It
// also replaces the secret part of the token (after the colon) on its own,
// which catches forms where the colon was escaped. An empty token leaves s
// unchanged.
func Redact(s, token string) string {
	if token == "" {
		return s
	}
	s = strings.ReplaceAll(s, token, redacted)
	if _, secret, ok := strings.Cut(token, ":"); ok && len(secret) >= minSecretLen {
		s = strings.ReplaceAll(s, secret, redacted)
	}
	return s
}

// minSecretLen is the shortest secret part Redact replaces on its own;
// shorter strings would match ordinary text.
const minSecretLen = 8

var tokenForm = regexp.MustCompile(`^[0-9]{1,20}:[A-Za-z0-9_-]{30,64}$`)

// ValidToken reports whether token has the form of a bot token issued by
// @BotFather: the bot's numeric id, a colon, and about 35 letters, digits,
// underscores or hyphens. The error it returns describes the expected form
// and never contains the token itself; for a token that is not empty, it
// wraps that description alone, for callers that say "malformed" their way.
func ValidToken(token string) error {
	if tokenForm.MatchString(token) {
		return nil
	}
	const form = `expected "<digits>:<about 35 letters, digits, '_' or '-'>" as issued by @BotFather`
	const malformed = "bot: the Telegram bot token is malformed: %w"
	switch {
	case token == "":
		return errors.New("bot: the Telegram bot token is empty; get one from @BotFather")
	case strings.TrimSpace(token) != token || strings.Trim(token, `"'`) != token:
		return fmt.Errorf(malformed, errors.New(form+" (it has surrounding spaces or quotes)"))
	default:
		return fmt.Errorf(malformed, errors.New(form))
	}
}

// redactErr returns err with token removed from its message. It keeps the
// types callers inspect: a *url.Error stays a *url.Error (with the token-free
// URL and the original cause, so timeouts and context errors still match),
// and a *tgbotapi.Error stays a *tgbotapi.Error. Errors that do not mention
// the token are returned unchanged.
func redactErr(err error, token string) error {
	if err == nil || token == "" || Redact(err.Error(), token) == err.Error() {
		return err
	}
	var ue *url.Error
	if errors.As(err, &ue) && error(ue) == err {
		return &url.Error{Op: ue.Op, URL: Redact(ue.URL, token), Err: redactErr(ue.Err, token)}
	}
	var te *tgbotapi.Error
	if errors.As(err, &te) && error(te) == err {
		return &tgbotapi.Error{Code: te.Code, Message: Redact(te.Message, token), ResponseParameters: te.ResponseParameters}
	}
	return errors.New(Redact(err.Error(), token))
}

// libLogger is the logger installed into tgbotapi with SetLogger. tgbotapi
// has a single, process-wide logger, so it redacts every token any NewAPI
// call has seen and writes to the logger of the most recent NewAPI call.
type libLogger struct {
	mu     sync.RWMutex
	tokens []string
	log    atomic.Pointer[slog.Logger]
}

var (
	tgLog         = &libLogger{}
	installTgLogs sync.Once
)

// useLibLogger makes tgbotapi log through log with token redacted.
func useLibLogger(log *slog.Logger, token string) {
	tgLog.mu.Lock()
	if !slices.Contains(tgLog.tokens, token) {
		tgLog.tokens = append(tgLog.tokens, token)
	}
	tgLog.mu.Unlock()
	tgLog.log.Store(log)
	installTgLogs.Do(func() {
		// SetLogger only fails for a nil logger.
		_ = tgbotapi.SetLogger(tgLog)
	})
}

// Println implements tgbotapi.BotLogger.
func (l *libLogger) Println(v ...any) {
	l.emit(strings.TrimSuffix(fmt.Sprintln(v...), "\n"))
}

// Printf implements tgbotapi.BotLogger.
func (l *libLogger) Printf(format string, v ...any) {
	l.emit(fmt.Sprintf(format, v...))
}

func (l *libLogger) emit(msg string) {
	l.mu.RLock()
	for _, t := range l.tokens {
		msg = Redact(msg, t)
	}
	l.mu.RUnlock()
	log := l.log.Load()
	if log == nil {
		log = slog.Default()
	}
	log.Info(msg, "source", "tgbotapi")
}
