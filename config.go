package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"thiduabot/bot"
	"thiduabot/storage"
)

// config is the program's configuration, read from the environment.
type config struct {
	Token         string         // TELEGRAM_BOT_TOKEN, required
	APIEndpoint   string         // from TELEGRAM_API_URL: the tgbotapi endpoint format
	RedisURL      string         // REDIS_URL; empty selects the embedded file store
	RedisPrefix   string         // REDIS_PREFIX
	DataDir       string         // DATA_DIR, for the embedded file store
	Location      *time.Location // TZ
	Lang          bot.Lang       // BOT_LANG
	HTTPAddr      string         // HTTP_ADDR: health, readiness, metrics, webhook
	LogLevel      slog.Level     // LOG_LEVEL
	LogJSON       bool           // LOG_FORMAT=json
	WebhookURL    string         // WEBHOOK_URL; empty selects long polling
	WebhookSecret string         // WEBHOOK_SECRET, required with WEBHOOK_URL
}

// Defaults of the optional settings, as documented in the README.
const (
	defaultAPIURL      = "https://api.telegram.org"
	defaultRedisPrefix = "thidua:"
	defaultDataDir     = "./data"
	defaultTZ          = "Asia/Ho_Chi_Minh"
	defaultHTTPAddr    = ":8080"
)

var webhookSecretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// webhookPathRE matches the paths of WEBHOOK_URL whose characters the HTTP
// server can route as they are (no spaces, no {wildcards}); see also
// servedAsIs.
var webhookPathRE = regexp.MustCompile(`^(/[A-Za-z0-9._~-]*)*$`)

// servedAsIs reports whether the HTTP server serves requests for p, the
// path of WEBHOOK_URL, at p itself: net/http's ServeMux answers a path
// that is not clean (an empty segment, as in a doubled slash, or a . or ..
// segment) with a redirect to its clean form, which Telegram does not
// follow. The empty path is the root's.
func servedAsIs(p string) bool {
	if p == "" {
		return true
	}
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	return clean == p
}

// loadConfig reads the configuration through getenv. The error, if any, is
// one line saying what to set and how; it never contains the token, even
// where it quotes a setting the token was typed into.
func loadConfig(getenv func(string) string) (c config, err error) {
	get := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	c = config{
		Token:         strings.TrimSpace(getenv("TELEGRAM_BOT_TOKEN")),
		RedisURL:      get("REDIS_URL", ""),
		RedisPrefix:   get("REDIS_PREFIX", defaultRedisPrefix),
		DataDir:       get("DATA_DIR", defaultDataDir),
		HTTPAddr:      get("HTTP_ADDR", defaultHTTPAddr),
		WebhookURL:    get("WEBHOOK_URL", ""),
		WebhookSecret: get("WEBHOOK_SECRET", ""),
	}
	if c.Token == "" {
		return c, errors.New("TELEGRAM_BOT_TOKEN is not set: set it to the token @BotFather gave your bot, of the form 123456789:ABCdef... (digits, a colon, then letters, digits, _ and -)")
	}
	if err := bot.ValidToken(c.Token); err != nil {
		return c, fmt.Errorf("TELEGRAM_BOT_TOKEN is malformed: %w", errors.Unwrap(err))
	}
	// A well-formed token is taken out of the settings the errors below
	// quote (a webhook path or an API URL copied from a tutorial).
	defer func() {
		if err != nil {
			err = errors.New(bot.Redact(err.Error(), c.Token))
		}
	}()

	api := get("TELEGRAM_API_URL", defaultAPIURL)
	u, err := url.Parse(api)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, fmt.Errorf("TELEGRAM_API_URL %q is not an http(s) URL: set it to the Bot API server's base URL, e.g. %s", maskUserinfo(api), defaultAPIURL)
	}
	if bot.Redact(api, c.Token) != api {
		return c, fmt.Errorf("TELEGRAM_API_URL holds the token: set it to the Bot API server's base URL alone, e.g. %s; the bot adds the token from TELEGRAM_BOT_TOKEN", defaultAPIURL)
	}
	c.APIEndpoint = strings.TrimRight(api, "/") + "/bot%s/%s"

	if c.RedisURL != "" {
		const form = "use the form redis://[:password@]host:6379/0 (or rediss:// for TLS), or leave it unset to use the embedded file store in DATA_DIR"
		if !strings.HasPrefix(c.RedisURL, "redis://") && !strings.HasPrefix(c.RedisURL, "rediss://") {
			return c, errors.New("REDIS_URL is not readable: " + form)
		}
		// The reason ParseRedisURL wraps names the part at fault (a
		// database that is not a number, an unknown option), never the
		// password.
		if _, err := storage.ParseRedisURL(c.RedisURL); err != nil {
			return c, fmt.Errorf("REDIS_URL is not readable (%v): %s", errors.Unwrap(err), form)
		}
	}
	c.DataDir = filepath.Clean(c.DataDir)

	if _, port, err := net.SplitHostPort(c.HTTPAddr); err != nil || !validPort(port) {
		return c, fmt.Errorf("HTTP_ADDR %q is not host:port: use e.g. %s (every interface) or 127.0.0.1:8080 (this machine only)", c.HTTPAddr, defaultHTTPAddr)
	}

	tz := get("TZ", defaultTZ)
	// "Local" is the zone TZ names, which it cannot name itself: Go reads
	// TZ=Local as a zone file named Local, finds none and uses UTC.
	if c.Location, err = time.LoadLocation(tz); err != nil || tz == "Local" {
		return c, fmt.Errorf("TZ %q is not a known time zone: use an IANA name such as %s", tz, defaultTZ)
	}

	switch lang := strings.ToLower(get("BOT_LANG", string(bot.VI))); lang {
	case string(bot.VI), string(bot.EN):
		c.Lang = bot.Lang(lang)
	default:
		return c, fmt.Errorf("BOT_LANG %q is not supported: use vi or en", lang)
	}

	if err := c.LogLevel.UnmarshalText([]byte(get("LOG_LEVEL", "info"))); err != nil {
		return c, fmt.Errorf("LOG_LEVEL %q is not a level: use debug, info, warn or error", getenv("LOG_LEVEL"))
	}
	if c.LogJSON, err = logJSON(getenv); err != nil {
		return c, err
	}

	if c.WebhookURL == "" && c.WebhookSecret != "" {
		return c, errors.New("WEBHOOK_SECRET is set without WEBHOOK_URL: set WEBHOOK_URL too for webhook mode, or leave both unset for long polling (which takes any webhook off the bot)")
	}
	if c.WebhookURL != "" {
		w, err := url.Parse(c.WebhookURL)
		if err != nil || (w.Scheme != "https" && w.Scheme != "http") || w.Host == "" {
			return c, fmt.Errorf("WEBHOOK_URL %q is not a URL: use the public https address Telegram should post to, e.g. https://bot.example.org/telegram", c.WebhookURL)
		}
		if bot.Redact(c.WebhookURL, c.Token) != c.WebhookURL {
			return c, errors.New("WEBHOOK_URL holds the token, which would be in the log and in every proxy's: use a path of your own, e.g. https://bot.example.org/telegram; WEBHOOK_SECRET is what tells Telegram's requests apart")
		}
		if !webhookPathRE.MatchString(w.Path) || !servedAsIs(w.Path) {
			return c, fmt.Errorf("WEBHOOK_URL %q has a path the bot cannot serve: use letters, digits and - _ . ~ between single slashes, without . or .. for a part, e.g. https://bot.example.org/telegram", c.WebhookURL)
		}
		if !webhookSecretRE.MatchString(c.WebhookSecret) {
			return c, errors.New("WEBHOOK_SECRET must be set with WEBHOOK_URL: 1 to 256 characters of A-Z, a-z, 0-9, _ and - (e.g. the output of: openssl rand -hex 32)")
		}
	}
	return c, nil
}

// logJSON reads LOG_FORMAT through getenv: whether it asks for JSON lines
// (json) rather than text (text, or unset).
func logJSON(getenv func(string) string) (bool, error) {
	switch f := strings.ToLower(strings.TrimSpace(getenv("LOG_FORMAT"))); f {
	case "", "text":
		return false, nil
	case "json":
		return true, nil
	default:
		return false, fmt.Errorf("LOG_FORMAT %q is not supported: use text or json", f)
	}
}

// configFailed writes err, why loadConfig refused the configuration read
// through getenv, to w as one line: a JSON object when LOG_FORMAT asks for
// JSON (as every other line of the program then is), plain text otherwise,
// a LOG_FORMAT it cannot read included. err never holds the token
// (loadConfig takes it out).
func configFailed(getenv func(string) string, w io.Writer, err error) {
	if json, _ := logJSON(getenv); json {
		slog.New(slog.NewJSONHandler(w, nil)).Error("invalid configuration", "err", err.Error())
		return
	}
	fmt.Fprintln(w, "thiduabot: "+err.Error())
}

// validPort reports whether port is a TCP port number, 0 to 65535.
func validPort(port string) bool {
	_, err := strconv.ParseUint(port, 10, 16)
	return err == nil
}

// webhookPath is the HTTP path the webhook is served on: the path of
// WEBHOOK_URL, where Telegram posts the updates.
func (c config) webhookPath() string {
	u, err := url.Parse(c.WebhookURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

// maskUserinfo hides what comes before the last "@" of a URL that cannot be
// read, after its scheme if it has one: a user and password, as a proxy's
// URL holds them, which an error must not quote.
func maskUserinfo(raw string) string {
	at := strings.LastIndex(raw, "@")
	if at < 0 {
		return raw
	}
	start := 0
	if i := strings.Index(raw, "://"); i >= 0 && i < at {
		start = i + len("://")
	}
	return raw[:start] + "xxxxx" + raw[at:]
}
