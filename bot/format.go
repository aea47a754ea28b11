package bot

import (
	"fmt"
	"html"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// MaxMessageLen is the longest message text Telegram accepts, in UTF-16
// code units after entity parsing.
const MaxMessageLen = 4096

// Escape escapes s for Telegram's HTML parse mode.
func Escape(s string) string {
	return html.EscapeString(s)
}

// Mention returns HTML that mentions a user: a tg://user link around the
// escaped name. Without a name it is the plain "@username", which Telegram
// turns into a mention itself, or else a link reading "user <id>".
func Mention(userID int64, name, username string) string {
	if name == "" {
		if username != "" {
			return "@" + Escape(username)
		}
		name = fmt.Sprintf("user %d", userID)
	}
	return fmt.Sprintf(`<a href="tg://user?id=%d">%s</a>`, userID, Escape(name))
}

// DisplayName returns the user's first and last name, or their username
// (without "@") when both are empty, or "" for a nil user.
func DisplayName(u *tgbotapi.User) string {
	if u == nil {
		return ""
	}
	if name := strings.TrimSpace(u.FirstName + " " + u.LastName); name != "" {
		return name
	}
	return u.UserName
}

// Split splits text in Telegram's HTML parse mode into chunks that each
// measure at most limit the way Telegram does: UTF-16 code units of the
// text after entity parsing, tags not counted, an entity counting as the
// character it stands for. limit <= 0 means MaxMessageLen.
//
// Chunks end at line ends where possible; a line too long on its own is
// split after a space, or else between characters (not inside a character
// with combining marks or a joined emoji where that can be helped). Tags
// and entities are never split: tags open at the end of a chunk are closed
// there and reopened at the start of the next. The separators stay at the
// end of their chunk, so joining the chunks gives back text, apart from the
// closed and reopened tags. Chunks with nothing but white space, which
// Telegram would refuse, are left out; empty text gives no chunks.
func Split(text string, limit int) []string {
	if limit <= 0 {
		limit = MaxMessageLen
	}
	toks := tokenize(text)
	var chunks []string
	var open []token // tags open where the chunk starts
	for start := 0; start < len(toks); {
		end := breakAt(toks, start, limit)
		var b strings.Builder
		for _, t := range open {
			b.WriteString(t.raw)
		}
		visible := false
		for _, t := range toks[start:end] {
			b.WriteString(t.raw)
			open = t.apply(open)
			visible = visible || (t.kind == textToken && strings.TrimSpace(t.text) != "")
		}
		for i := len(open) - 1; i >= 0; i-- {
			b.WriteString("</" + open[i].name + ">")
		}
		if visible {
			chunks = append(chunks, b.String())
		}
		start = end
	}
	return chunks
}

// breakAt returns where the chunk starting at toks[start] ends: after as
// many whole lines as fit in limit, or else after the last space that fits,
// or else after as many characters as fit (at least one).
func breakAt(toks []token, start, limit int) int {
	width, afterLine, afterSpace := 0, -1, -1
	for i := start; i < len(toks); i++ {
		t := toks[i]
		if width+t.width > limit {
			end := afterLine
			if end < 0 {
				end = afterSpace
			}
			if end < 0 {
				end = hardBreak(toks, start, i)
			}
			return adjust(toks, start, end)
		}
		width += t.width
		switch t.text {
		case "\n":
			afterLine = i + 1
		case " ":
			afterSpace = i + 1
		}
	}
	return len(toks)
}

// hardBreak returns a break between characters at or before i (the first
// token that does not fit), avoiding breaks inside a grapheme where it can.
func hardBreak(toks []token, start, i int) int {
	end := max(i, start+1)
	for b := end; b > start+1; b-- {
		if !joined(toks[b-1], toks[b]) {
			return b
		}
	}
	return end
}

// joined reports whether next continues the character of prev: a
// combining mark (as in decomposed Vietnamese), a variation selector, an
// emoji modifier or tag, or anything after a zero-width joiner.
func joined(prev, next token) bool {
	if next.kind != textToken || prev.kind != textToken {
		return false
	}
	r, _ := utf8.DecodeRuneInString(next.text)
	p, _ := utf8.DecodeLastRuneInString(prev.text)
	return p == '\u200d' || r == '\u200d' ||
		unicode.In(r, unicode.Mn, unicode.Me, unicode.Variation_Selector) ||
		(r >= 0x1F3FB && r <= 0x1F3FF) || (r >= 0xE0020 && r <= 0xE007F)
}

// adjust moves a break before the opening tags that precede it and past the
// closing tags that follow it, so that chunks neither end with a tag just
// opened nor start with one about to close.
func adjust(toks []token, start, end int) int {
	for end-1 > start && toks[end-1].kind == openTag {
		end--
	}
	for end < len(toks) && toks[end].kind == closeTag {
		end++
	}
	return end
}

type tokenKind int

const (
	textToken tokenKind = iota // a character, or an entity standing for one
	openTag
	closeTag
	otherTag // a self-closing tag
)

// token is an indivisible piece of HTML text.
type token struct {
	kind  tokenKind
	raw   string // as written
	text  string // the text it stands for (text tokens)
	name  string // the lower-case tag name (tags)
	width int    // UTF-16 code units Telegram counts
}

// apply returns the stack of open tags after t.
func (t token) apply(open []token) []token {
	switch t.kind {
	case openTag:
		return append(open, t)
	case closeTag:
		for i := len(open) - 1; i >= 0; i-- {
			if open[i].name == t.name || t.name == "" { // "</>" closes the innermost tag
				return append(open[:i:i], open[i+1:]...)
			}
		}
	}
	return open
}

// tokenize cuts HTML text into tags, entities and characters.
func tokenize(s string) []token {
	var toks []token
	for len(s) > 0 {
		t := nextToken(s)
		toks = append(toks, t)
		s = s[len(t.raw):]
	}
	return toks
}

func nextToken(s string) token {
	switch s[0] {
	case '<':
		if n := tagLen(s); n > 0 {
			return tagToken(s[:n])
		}
	case '&':
		if r, n := entity(s); n > 0 {
			return token{kind: textToken, raw: s[:n], text: string(r), width: utf16.RuneLen(r)}
		}
	}
	r, n := utf8.DecodeRuneInString(s)
	return token{kind: textToken, raw: s[:n], text: s[:n], width: utf16.RuneLen(r)}
}

// tagLen returns the length of the tag at the start of s ("<b>", "</a>",
// `<a href="...">`, with '>' allowed inside quoted values, and "</>", which
// Telegram reads as the end of the innermost tag), or 0 if s does not start
// with one.
func tagLen(s string) int {
	i := 1
	if i < len(s) && s[i] == '/' {
		i++
		if rest := strings.TrimLeft(s[i:], " \t\n\r"); strings.HasPrefix(rest, ">") {
			return len(s) - len(rest) + 1
		}
	}
	if i >= len(s) || !isASCIILetter(rune(s[i])) {
		return 0
	}
	var quote byte
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i + 1
		case c == '<':
			return 0
		}
	}
	return 0
}

func tagToken(raw string) token {
	t := token{kind: openTag, raw: raw}
	body := raw[1 : len(raw)-1]
	switch {
	case strings.HasPrefix(body, "/"):
		t.kind = closeTag
		body = body[1:]
	case strings.HasSuffix(body, "/"):
		t.kind = otherTag
	}
	end := strings.IndexFunc(body, func(r rune) bool { return !isASCIILetter(r) && r != '-' && (r < '0' || r > '9') })
	if end < 0 {
		end = len(body)
	}
	t.name = strings.ToLower(body[:end])
	return t
}

// entity decodes the character reference at the start of s, one of those
// Telegram decodes: &lt; &gt; &amp; &quot; and numeric ones ("&#39;",
// "&#x1F600;"). It returns the character and the reference's length, or
// n = 0 if s does not start with one; anything else is plain text.
func entity(s string) (r rune, n int) {
	const maxLen = 12 // "&#x" + 8 hex digits + ";"
	end := strings.IndexByte(s[:min(len(s), maxLen)], ';')
	if end < 2 {
		return 0, 0
	}
	switch name := s[1:end]; {
	case name == "lt":
		return '<', end + 1
	case name == "gt":
		return '>', end + 1
	case name == "amp":
		return '&', end + 1
	case name == "quot":
		return '"', end + 1
	case name[0] == '#':
		digits, base := name[1:], 10
		if digits != "" && (digits[0] == 'x' || digits[0] == 'X') {
			digits, base = digits[1:], 16
		}
		v, err := strconv.ParseUint(digits, base, 32)
		if err != nil || digits == "" || digits[0] == '+' || v == 0 || v > unicode.MaxRune || (v >= 0xD800 && v <= 0xDFFF) {
			return 0, 0
		}
		return rune(v), end + 1
	}
	return 0, 0
}

func isASCIILetter(c rune) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
