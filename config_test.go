package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const testToken = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-Nc"

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestConfigDefaults(t *testing.T) {
	c, err := loadConfig(env("TELEGRAM_BOT_TOKEN", testToken))
	if err != nil {
		t.Fatal(err)
	}
	if c.APIEndpoint != "https://api.telegram.org/bot%s/%s" || c.DataDir != "data" || c.RedisURL != "" ||
		c.Location.String() != "Asia/Ho_Chi_Minh" || c.Lang != "vi" || c.HTTPAddr != ":8080" ||
		c.RedisPrefix != "thidua:" || c.WebhookURL != "" {
		t.Fatalf("defaults: %+v", c)
	}
}

// configErrorCase is a configuration loadConfig refuses, and what its
// error says.
type configErrorCase struct {
	name string
	env  func(string) string
	want string
}

// configErrorCases are the configurations loadConfig refuses, among them
// every setting's mistakes and the token typed where it has no place.
func configErrorCases() []configErrorCase {
	return []configErrorCase{
		{"no token", env(), "TELEGRAM_BOT_TOKEN is not set"},
		// The README's quick start shows a token 26 characters too short.
		{"malformed token", env("TELEGRAM_BOT_TOKEN", "123456789:ABCdefGhIJKlmNoPQRsTUVwxyZ"), "TELEGRAM_BOT_TOKEN is malformed: expected \"<digits>:"},
		{"quoted token", env("TELEGRAM_BOT_TOKEN", `"`+testToken+`"`), "TELEGRAM_BOT_TOKEN is malformed: expected \"<digits>:<about 35 letters, digits, '_' or '-'>\" as issued by @BotFather (it has surrounding spaces or quotes)"},
		{"bad redis", env("TELEGRAM_BOT_TOKEN", testToken, "REDIS_URL", "localhost:6379"), "REDIS_URL is not readable"},
		{"redis bad db", env("TELEGRAM_BOT_TOKEN", testToken, "REDIS_URL", "redis://:pw-AAEhBOweik6ad9r@redis:6379/zero"), "REDIS_URL is not readable"},
		{"redis negative db", env("TELEGRAM_BOT_TOKEN", testToken, "REDIS_URL", "redis://redis:6379/-1"), "REDIS_URL is not readable (database -1"},
		// Sentinel's or Cluster's list of servers, which the bot would try
		// to reach as one host named "h1:6379,h2" for ever.
		{"redis several servers", env("TELEGRAM_BOT_TOKEN", testToken, "REDIS_URL", "redis://:pw-AAEhBOweik6ad9r@h1:6379,h2:6379/0"), "REDIS_URL is not readable (one Redis server only"},
		{"redis unknown option", env("TELEGRAM_BOT_TOKEN", testToken, "REDIS_URL", "redis://redis:6379/0?fsync=always"), "REDIS_URL is not readable"},
		{"bad tz", env("TELEGRAM_BOT_TOKEN", testToken, "TZ", "Mars/Olympus"), "TZ \"Mars/Olympus\" is not a known time zone"},
		{"tz local", env("TELEGRAM_BOT_TOKEN", testToken, "TZ", "Local"), "TZ \"Local\" is not a known time zone: use an IANA name such as Asia/Ho_Chi_Minh"},
		{"bad lang", env("TELEGRAM_BOT_TOKEN", testToken, "BOT_LANG", "fr"), "BOT_LANG"},
		{"bad api url", env("TELEGRAM_BOT_TOKEN", testToken, "TELEGRAM_API_URL", "api.telegram.org"), "TELEGRAM_API_URL"},
		// A proxy's user and password without a scheme: url.Parse reads
		// "bot" as the scheme, and the error must not quote the password.
		{"api url without scheme, with a password", env("TELEGRAM_BOT_TOKEN", testToken, "TELEGRAM_API_URL", "bot:pr0xy-s3cret@proxy.example.org"), "TELEGRAM_API_URL \"xxxxx@proxy.example.org\" is not an http(s) URL"},
		{"api url of another scheme, with a password", env("TELEGRAM_BOT_TOKEN", testToken, "TELEGRAM_API_URL", "ftp://bot:pr0xy-s3cret@proxy.example.org"), "TELEGRAM_API_URL \"ftp://xxxxx@proxy.example.org\" is not an http(s) URL"},
		{"bad level", env("TELEGRAM_BOT_TOKEN", testToken, "LOG_LEVEL", "loud"), "LOG_LEVEL"},
		{"bad format", env("TELEGRAM_BOT_TOKEN", testToken, "LOG_FORMAT", "xml"), "LOG_FORMAT"},
		{"webhook without secret", env("TELEGRAM_BOT_TOKEN", testToken, "WEBHOOK_URL", "https://bot.example.org/tg"), "WEBHOOK_SECRET must be set"},
		{"webhook bad secret", env("TELEGRAM_BOT_TOKEN", testToken, "WEBHOOK_URL", "https://bot.example.org/tg", "WEBHOOK_SECRET", "has space"), "WEBHOOK_SECRET must be set"},
		// Meant for webhook mode, WEBHOOK_URL misspelt or left out: long
		// polling would take the webhook off every replica serving it.
		{"secret without webhook", env("TELEGRAM_BOT_TOKEN", testToken, "WEBHOOK_SECRET", "s3cret", "WEBHOOK_URI", "https://bot.example.org/tg"), "WEBHOOK_SECRET is set without WEBHOOK_URL"},
		{"webhook path with a space", env("TELEGRAM_BOT_TOKEN", testToken, "WEBHOOK_URL", "https://bot.example.org/tele gram", "WEBHOOK_SECRET", "s3cret"), "WEBHOOK_URL \"https://bot.example.org/tele gram\" has a path"},
		{"webhook path with braces", env("TELEGRAM_BOT_TOKEN", testToken, "WEBHOOK_URL", "https://bot.example.org/{id}", "WEBHOOK_SECRET", "s3cret"), "WEBHOOK_URL \"https://bot.example.org/{id}\" has a path"},
		{"http addr without colon", env("TELEGRAM_BOT_TOKEN", testToken, "HTTP_ADDR", "8080"), "HTTP_ADDR \"8080\" is not"},
		{"http addr bad port", env("TELEGRAM_BOT_TOKEN", testToken, "HTTP_ADDR", ":99999"), "HTTP_ADDR \":99999\" is not"},
		{"http addr no port", env("TELEGRAM_BOT_TOKEN", testToken, "HTTP_ADDR", "127.0.0.1:"), "HTTP_ADDR \"127.0.0.1:\" is not"},
		// The token where it has no place, as tutorials put it: in the
		// webhook's path, or in the API's URL.
		{"webhook path holding the token", env("TELEGRAM_BOT_TOKEN", testToken, "WEBHOOK_URL", "https://bot.example.org/"+testToken, "WEBHOOK_SECRET", "s3cret"), "WEBHOOK_URL holds the token"},
		{"webhook path holding the token's secret", env("TELEGRAM_BOT_TOKEN", testToken, "WEBHOOK_URL", "https://bot.example.org/AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-Nc", "WEBHOOK_SECRET", "s3cret"), "WEBHOOK_URL holds the token"},
		{"unreadable webhook url holding the token", env("TELEGRAM_BOT_TOKEN", testToken, "WEBHOOK_URL", "bot.example.org/"+testToken, "WEBHOOK_SECRET", "s3cret"), "WEBHOOK_URL \"bot.example.org/<redacted>\" is not a URL"},
		{"api url holding the token", env("TELEGRAM_BOT_TOKEN", testToken, "TELEGRAM_API_URL", "api.telegram.org/bot"+testToken), "TELEGRAM_API_URL \"api.telegram.org/bot<redacted>\" is not"},
		{"https api url holding the token", env("TELEGRAM_BOT_TOKEN", testToken, "TELEGRAM_API_URL", "https://api.telegram.org/bot"+testToken+"/"), "TELEGRAM_API_URL holds the token"},
	}
}

func TestConfigErrorsSayWhatToSet(t *testing.T) {
	for _, c := range configErrorCases() {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadConfig(c.env)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to contain %q", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err)
			}
			if strings.Contains(err.Error(), "AAEhBOweik6ad9r") {
				t.Fatalf("error contains the token: %q", err)
			}
		})
	}
}

func TestConfigWebhookAndAPI(t *testing.T) {
	c, err := loadConfig(env("TELEGRAM_BOT_TOKEN", testToken, "WEBHOOK_URL", "https://bot.example.org/tg/hook",
		"WEBHOOK_SECRET", "s3cret_-X", "TELEGRAM_API_URL", "http://127.0.0.1:8081/", "BOT_LANG", "EN",
		"REDIS_URL", "redis://:pw@redis:6379/2", "LOG_FORMAT", "json"))
	if err != nil {
		t.Fatal(err)
	}
	if c.webhookPath() != "/tg/hook" || c.APIEndpoint != "http://127.0.0.1:8081/bot%s/%s" || c.Lang != "en" || !c.LogJSON {
		t.Fatalf("%+v", c)
	}
}

// Under LOG_FORMAT=json the error that stops the bot for its configuration
// is one JSON line, as every other line the program writes, so that a log
// collector reading JSON keeps it; under text (the default), or a
// LOG_FORMAT that is itself wrong, it is the plain line. Neither holds the
// token.
func TestConfigErrorsFollowLogFormat(t *testing.T) {
	for _, c := range configErrorCases() {
		t.Run(c.name, func(t *testing.T) {
			format := cmp.Or(c.env("LOG_FORMAT"), " JSON ")
			getenv := func(k string) string {
				if k == "LOG_FORMAT" {
					return format
				}
				return c.env(k)
			}
			_, err := loadConfig(getenv)
			if err == nil {
				t.Fatal("the configuration is taken")
			}
			var out strings.Builder
			configFailed(getenv, &out, err)
			line := out.String()
			if strings.Contains(line, "AAEhBOweik6ad9r") {
				t.Fatalf("the token is in %q", line)
			}
			if strings.Count(line, "\n") != 1 || !strings.HasSuffix(line, "\n") {
				t.Fatalf("not one line: %q", line)
			}
			if format != " JSON " {
				if line != "thiduabot: "+err.Error()+"\n" {
					t.Fatalf("LOG_FORMAT %q: %q", format, line)
				}
				return
			}
			var entry struct{ Level, Msg, Err string }
			if err := json.Unmarshal([]byte(line), &entry); err != nil {
				t.Fatalf("not a JSON line: %q", line)
			}
			if entry.Level != "ERROR" || entry.Msg != "invalid configuration" || !strings.Contains(entry.Err, c.want) {
				t.Fatalf("%q", line)
			}
		})
	}
	var out strings.Builder
	configFailed(env(), &out, errors.New("TELEGRAM_BOT_TOKEN is not set"))
	if out.String() != "thiduabot: TELEGRAM_BOT_TOKEN is not set\n" {
		t.Fatalf("without LOG_FORMAT: %q", out.String())
	}
}
