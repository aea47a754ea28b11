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

// LangOf returns the language to answer u in: the language of u's
// Telegram language code (see LangOfCode), and fallback for a nil u.
func LangOf(u *tgbotapi.User, fallback Lang) Lang {
	if u == nil {
		return fallback
	}
	return LangOfCode(u.LanguageCode, fallback)
}

// LangOfCode returns the language to write in to someone whose Telegram
// app has this IETF language code: EN if it starts with "en", VI if it
// starts with "vi", and fallback otherwise (also for an unknown code, "").
func LangOfCode(code string, fallback Lang) Lang {
	code = strings.ToLower(code)
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

// Fill formats the message in l with string arguments as F does, without
// fmt's cost, for messages written once per line of a long answer. It puts
// the args in place of the message's %s verbs, in order, and % in place of
// %%. A message with any other verb, or with more or fewer %s than args,
// is left to F, so that the text is F's in every case.
func (t T) Fill(l Lang, args ...string) string {
	format := t.In(l)
	size := len(format)
	for _, a := range args {
		size += len(a)
	}
	var b strings.Builder
	b.Grow(size)
	next := 0 // the arg for the next %s
	for {
		i := strings.IndexByte(format, '%')
		if i < 0 {
			break
		}
		b.WriteString(format[:i])
		switch verb := format[i+1:]; {
		case strings.HasPrefix(verb, "%"):
			b.WriteByte('%')
		case strings.HasPrefix(verb, "s") && next < len(args):
			b.WriteString(args[next])
			next++
		default:
			return t.F(l, anys(args)...)
		}
		format = format[i+2:]
	}
	if next < len(args) {
		return t.F(l, anys(args)...)
	}
	b.WriteString(format)
	return b.String()
}

// anys returns the strings as arguments for fmt.
func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
