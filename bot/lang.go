package bot

import (
	"fmt"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Lang is a language the bot speaks.
type Lang string

// The languages the bot speaks.
const (
	VI Lang = "vi"
	EN Lang = "en"
)

// LangOf returns the language to answer u in: EN if u's Telegram language
// code starts with "en", VI if it starts with "vi", and fallback otherwise
// (also for a nil u).
func LangOf(u *tgbotapi.User, fallback Lang) Lang {
	if u == nil {
		return fallback
	}
	code := strings.ToLower(u.LanguageCode)
	switch {
	case strings.HasPrefix(code, string(EN)):
		return EN
	case strings.HasPrefix(code, string(VI)):
		return VI
	default:
		return fallback
	}
}

// T is a message in both languages.
type T struct {
	VI, EN string
}

// In returns the message in l. The English text falls back to the
// Vietnamese one when it is empty, and any language other than EN gets the
// Vietnamese text.
func (t T) In(l Lang) string {
	if l == EN && t.EN != "" {
		return t.EN
	}
	return t.VI
}

// F formats the message in l with fmt.Sprintf.
func (t T) F(l Lang, args ...any) string {
	return fmt.Sprintf(t.In(l), args...)
}
