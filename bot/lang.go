package bot

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

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
//
// Its English text makes nouns and verbs agree with a count: a choice
// {one|other} stands for its first form when the argument of the last verb
// before it is 1, and for its second otherwise (also when no verb comes
// before it), as in "Recorded %d {pledge|pledges}", "%d {pledge
// remains|pledges remain}" or "at most %s {point|points}". An argument is 1
// when it is the number 1 or the string "1", a number the bot wrote. F,
// Fill and AppendFill make the choices; the forms hold no verb, brace or
// bar, and braces that make no choice are text. Vietnamese words do not
// change with a count, so a Vietnamese text has no choices: they write it
// as it is.
type T struct {
	VI, EN string
}

// In returns the message in l. The English text falls back to the
// Vietnamese one when it is empty, and any language other than EN gets the
// Vietnamese text. A text with choices goes through F or Fill instead.
func (t T) In(l Lang) string {
	text, _ := t.text(l)
	return text
}

// text returns the message in l, and whether it is the English text, whose
// choices F and Fill make.
func (t T) text(l Lang) (string, bool) {
	if l == EN && t.EN != "" {
		return t.EN, true
	}
	return t.VI, false
}

// F formats the message in l with fmt.Sprintf, having made the choices of
// an English text.
func (t T) F(l Lang, args ...any) string {
	format, en := t.text(l)
	if en {
		format = choose(format, args)
	}
	return fmt.Sprintf(format, args...)
}

// Fill formats the message in l with string arguments as F does, without
// fmt's cost, for messages written once per line of a long answer. It puts
// the args in place of the message's %s verbs, in order, % in place of %%,
// and the forms of an English text's choices (see fill); it allocates
// nothing but the message, written in a buffer on the stack unless it is
// longer than fillStack. A message with any other verb, or with more or
// fewer %s than args, is left to F, so that the text is F's in every case.
func (t T) Fill(l Lang, args ...string) string {
	format, en := t.text(l)
	size := len(format) // at least the text's: a choice is longer than its forms
	for _, a := range args {
		size += len(a)
	}
	var buf [fillStack]byte
	dst := buf[:0]
	if size > len(buf) {
		dst = make([]byte, 0, size)
	}
	dst, ok := fill(dst, format, en, args)
	if !ok {
		return t.F(l, anys(args)...)
	}
	return string(dst)
}

// fillStack is the size of the buffer on the stack that Fill writes a
// message in before making its string: most messages are shorter.
const fillStack = 512

// AppendFill appends to dst the message in l filled with args, as Fill
// writes it, for text written into a caller's buffer rather than a string
// for each message: the lines of a long answer, or a message filled with
// another one written in a buffer on the stack. A message Fill leaves to F
// is written by F, at the cost of its strings: the messages the bot
// appends have only %s verbs, which the tests of their allocations check.
// No argument may lie in dst's spare capacity (dst[len(dst):cap(dst)]),
// which AppendFill writes while it still reads the arguments.
func (t T) AppendFill(dst []byte, l Lang, args ...[]byte) []byte {
	format, en := t.text(l)
	if out, ok := fill(dst, format, en, args); ok {
		return out
	}
	return append(dst, t.F(l, anys(args)...)...)
}

// fill appends format to dst with args in place of its %s verbs, in order,
// % in place of %%, and, when en (the English text), each choice {one|other}
// replaced by its first form when the argument of the last verb before it
// is "1", and by its second otherwise. It is Fill's and AppendFill's, for
// arguments as strings or as bytes. ok is false when format has any other
// verb, or more or fewer %s than args: its text is then F's to write, and
// what fill appended to dst is to be dropped.
func fill[S ~string | ~[]byte](dst []byte, format string, en bool, args []S) (_ []byte, ok bool) {
	next := 0 // the arg for the next %s
	for {
		// The next verb or choice, found byte by byte: the messages are
		// short, and their verbs close, for which a loop is faster than
		// strings.IndexByte's calls.
		i := 0
		for i < len(format) && format[i] != '%' && !(en && format[i] == '{') {
			i++
		}
		if i == len(format) {
			break
		}
		dst = append(dst, format[:i]...)
		if format[i] == '{' {
			one, other, n, ok := choice(format[i:])
			switch {
			case !ok:
				dst = append(dst, '{')
				n = 1
			case next > 0 && string(args[next-1]) == "1":
				dst = append(dst, one...)
			default:
				dst = append(dst, other...)
			}
			format = format[i+n:]
			continue
		}
		var verb byte // the byte after %, 0 at the end
		if i+1 < len(format) {
			verb = format[i+1]
		}
		switch {
		case verb == '%':
			dst = append(dst, '%')
		case verb == 's' && next < len(args):
			dst = append(dst, args[next]...)
			next++
		default:
			return dst, false
		}
		format = format[i+2:]
	}
	if next < len(args) {
		return dst, false
	}
	return append(dst, format...), true
}

// choice reads the choice {one|other} at the start of s, returning its two
// forms and its length; ok is false when s does not start with a choice.
func choice(s string) (one, other string, n int, ok bool) {
	end := strings.IndexByte(s, '}')
	if !strings.HasPrefix(s, "{") || end < 0 || strings.ContainsAny(s[1:end], "{%") {
		return "", "", 0, false
	}
	one, other, ok = strings.Cut(s[1:end], "|")
	if !ok || strings.Contains(other, "|") {
		return "", "", 0, false
	}
	return one, other, end + 1, true
}

// choose makes the choices of an English format for args: it writes each
// choice's form for the argument of the verb before it, reading the verbs
// as fmt does, with their flags, width, precision and [n] indexes.
func choose(format string, args []any) string {
	if strings.IndexByte(format, '{') < 0 {
		return format
	}
	var b strings.Builder
	b.Grow(len(format))
	arg, last := 0, -1 // the argument of the next verb, and of the last one
	for i := 0; i < len(format); {
		c := format[i]
		if c == '{' {
			if one, other, n, ok := choice(format[i:]); ok {
				if last >= 0 && last < len(args) && isOne(args[last]) {
					b.WriteString(one)
				} else {
					b.WriteString(other)
				}
				i += n
				continue
			}
		}
		j := i + 1
		if c == '%' {
			j, arg, last = verbEnd(format, j, arg, last)
		}
		b.WriteString(format[i:j])
		i = j
	}
	return b.String()
}

// verbEnd reads the rest of the verb that starts at format[i], just after
// its %, and returns where it ends, the argument of the next verb and the
// argument of the verb before it (which %%, taking no argument, leaves as
// they were).
func verbEnd(format string, i, arg, last int) (end, nextArg, lastArg int) {
	for ; i < len(format); i++ {
		switch c := format[i]; {
		case c == '%':
			return i + 1, arg, last
		case c == '[':
			k := strings.IndexByte(format[i:], ']')
			if k < 0 {
				return i, arg, last
			}
			if n, err := strconv.Atoi(format[i+1 : i+k]); err == nil {
				arg = n - 1
			}
			i += k
		case c == '*':
			arg++
		case strings.IndexByte("+-# 0123456789.", c) < 0:
			_, size := utf8.DecodeRuneInString(format[i:])
			return i + size, arg + 1, arg
		}
	}
	return i, arg, last
}

// isOne reports whether a count is 1: the number 1, or the string "1".
func isOne(arg any) bool {
	v := reflect.ValueOf(arg)
	switch {
	case v.CanInt():
		return v.Int() == 1
	case v.CanUint():
		return v.Uint() == 1
	case v.CanFloat():
		return v.Float() == 1
	case v.Kind() == reflect.String:
		return v.String() == "1"
	}
	return false
}

// anys returns the texts as string arguments for fmt.
func anys[S ~string | ~[]byte](ss []S) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}
