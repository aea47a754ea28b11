package bot

import (
	"fmt"
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

// Escape escapes s for Telegram's HTML parse mode, as html.EscapeString
// does: &, ', <, > and " are written as entities (see escapes). Text with
// none of them is s itself, without an allocation; other text is written
// by AppendEscape, in a buffer on the stack unless it is long.
func Escape(s string) string {
	if escapeAt(s) < 0 {
		return s
	}
	var buf [256]byte
	dst := buf[:0]
	if len(s) >= len(buf) {
		dst = make([]byte, 0, len(s)+len(s)/2)
	}
	return string(AppendEscape(dst, s))
}

// AppendEscape appends s escaped as Escape escapes it, for text written
// into a caller's buffer rather than a string for each piece. s may be
// bytes of another buffer, but not of dst's spare capacity
// (dst[len(dst):cap(dst)]), which AppendEscape writes while it still
// reads s.
func AppendEscape[S ~string | ~[]byte](dst []byte, s S) []byte {
	for {
		i := escapeAt(s)
		if i < 0 {
			return append(dst, s...)
		}
		dst = append(append(dst, s[:i]...), escapes[s[i]]...)
		s = s[i+1:]
	}
}

// escapes are the entities Escape writes for the bytes it escapes, those
// of html.EscapeString; "" for the other bytes, which it leaves as they
// are.
var escapes = [256]string{'&': "&amp;", '\'': "&#39;", '<': "&lt;", '>': "&gt;", '"': "&#34;"}

// escapeAt returns the index of the first byte of s that Escape escapes,
// or -1 if there is none.
func escapeAt[S ~string | ~[]byte](s S) int {
	for i := 0; i < len(s); i++ {
		if escapes[s[i]] != "" {
			return i
		}
	}
	return -1
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

// MessageLink returns the link to the message messageID of the
// supergroup chatID, in its topic thread (0 for General or a chat without
// topics), which opens it for the group's members: https://t.me/c/ and the
// chat's id without its -100, then the topic's thread, then the message's
// id. It returns "" for a chat of another kind, whose messages have no
// such link.
func MessageLink(chatID int64, thread, messageID int) string {
	const supergroups = -1_000_000_000_000 // a supergroup's id is -100 and its own
	if chatID >= supergroups {
		return ""
	}
	link := "https://t.me/c/" + strconv.FormatInt(supergroups-chatID, 10) + "/"
	if thread != 0 {
		link += strconv.Itoa(thread) + "/"
	}
	return link + strconv.Itoa(messageID)
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
// character it stands for. limit <= 0 means MaxMessageLen. Each chunk also
// makes at most MaxEntities entities, counted as Entities counts them, so
// that Telegram keeps all its formatting; only tags nested so deep that
// reopening them makes more cannot keep to it.
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
	var chunks []string
	var stacks [2][8]tag
	open := stacks[0][:0] // tags open where the chunk starts
	next := stacks[1][:0] // tags open where it ends
	for start := 0; start < len(text); {
		// Take in tokens while they fit: the rest of the text, usually.
		end, visible := start, false
		next = append(next[:0], open...)
		count := reopen(open)
		var trigger rune  // the character just read if it is "/", "@", "#", "$" or "." (see mayStart)
		var triggerAt int // where
		width, afterLine, afterSpace := 0, -1, -1
	scan:
		for end < len(text) {
			var r rune
			var n int
			if c := text[end]; c == '<' || c == '&' {
				t := nextToken(text[end:])
				switch t.kind {
				case openTag:
					next = t.apply(next)
					class := next[len(next)-1].class
					e := count.openCost(class)
					if count.n+e > MaxEntities {
						next = next[:len(next)-1]
						break scan
					}
					count.n += e
					count.opened(class)
				case closeTag:
					next = t.apply(next)
					count.closed(next)
				case otherTag:
				default:
					r, n = t.r, len(t.raw)
				}
				if t.kind != textToken {
					end += len(t.raw)
					continue
				}
			} else {
				r, n = utf8.DecodeRuneInString(text[end:])
			}
			w := utf16.RuneLen(r)
			if width+w > limit {
				break
			}
			if trigger != 0 {
				if e := count.startCost(trigger, r); e > 0 && mayStart(text, start, triggerAt, trigger) {
					if count.n+e > MaxEntities {
						break
					}
					count.n += e
				}
				trigger = 0
			}
			width += w
			if r <= '@' {
				switch r {
				case '\n':
					afterLine = end + n
				case ' ':
					afterSpace = end + n
				case '/', '@', '#', '$', '.':
					trigger, triggerAt = r, end
				}
			}
			end += n
			visible = visible || !unicode.IsSpace(r)
		}
		if end < len(text) {
			// The chunk ends after the last line that fits, or else after
			// the last space, or else between characters; then it has to
			// be taken in again, up to there.
			switch {
			case afterLine >= 0:
				end = afterLine
			case afterSpace >= 0:
				end = afterSpace
			default:
				end = hardBreak(text, start, end)
			}
			end = skipCloseTags(text, end)
			next, visible = takeIn(text, start, end, append(next[:0], open...))
		}
		if visible {
			chunks = append(chunks, chunk(text[start:end], open, next))
		}
		open, next = next, open
		start = end
	}
	return chunks
}

// SplitItems splits the text of items joined by line ends into chunks as
// Split does, but ends each chunk between two items: an item (a person and
// the line of their achievement under them, a heading and the first line it
// heads) is split only when it does not fit in a chunk by itself (in width
// or in entities), and then
// as Split splits it. Each item is to close the tags it opens. As with
// Split, a chunk keeps the line end that follows it, and chunks with
// nothing but white space are left out. limit <= 0 means MaxMessageLen.
func SplitItems(items []string, limit int) []string {
	if limit <= 0 {
		limit = MaxMessageLen
	}
	var chunks []string
	var cur strings.Builder // the chunk taking items in
	width, ents := 0, 0     // cur's width as Telegram counts it, and its entities
	flush := func() {
		chunks = append(chunks, Split(cur.String(), limit)...)
		cur.Reset()
		width, ents = 0, 0
	}
	for i, item := range items {
		if i < len(items)-1 {
			item += "\n"
		}
		w, e := measure(item)
		if (width > 0 || ents > 0) && (width+w > limit || ents+e > MaxEntities) {
			flush()
		}
		if w <= limit && e <= MaxEntities {
			cur.WriteString(item)
			width += w
			ents += e
			continue
		}
		parts := Split(item, limit)
		if len(parts) == 0 {
			continue
		}
		chunks = append(chunks, parts[:len(parts)-1]...)
		cur.WriteString(parts[len(parts)-1])
		width, ents = measure(parts[len(parts)-1])
	}
	flush()
	return chunks
}

// takeIn returns the stack of open tags after text[start:end], given that
// before it, and whether text[start:end] has any visible text.
func takeIn(text string, start, end int, open []tag) ([]tag, bool) {
	visible := false
	for i := start; i < end; {
		if c := text[i]; c != '<' && c != '&' {
			r, n := utf8.DecodeRuneInString(text[i:])
			visible = visible || !unicode.IsSpace(r)
			i += n
			continue
		}
		t := nextToken(text[i:])
		open = t.apply(open)
		visible = visible || t.kind == textToken && !unicode.IsSpace(t.r)
		i += len(t.raw)
	}
	return open, visible
}

// chunk returns body with the tags open before it reopened in front and
// those open after it closed behind: body itself if there are none.
func chunk(body string, open, next []tag) string {
	if len(open) == 0 && len(next) == 0 {
		return body
	}
	n := len(body)
	for _, t := range open {
		n += len(t.raw)
	}
	for _, t := range next {
		n += len("</>") + len(t.name)
	}
	var b strings.Builder
	b.Grow(n)
	for _, t := range open {
		b.WriteString(t.raw)
	}
	b.WriteString(body)
	for i := len(next) - 1; i >= 0; i-- {
		b.WriteString("</")
		for _, c := range []byte(next[i].name) {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
		}
		b.WriteByte('>')
	}
	return b.String()
}

// hardBreak returns where a chunk that starts at start and has no line end
// or space to end after ends when the token at i is the first that does
// not fit: between characters at or before i (after the first token at
// the latest), not inside a grapheme where that can be helped, and before
// any opening tags just before the break.
func hardBreak(text string, start, i int) int {
	pos := start + len(nextToken(text[start:]).raw)
	if i == start {
		return pos
	}
	// Go over the tokens after the first up to i, noting the last break
	// between two of them not joined and the start of the run of opening
	// tags that leads up to each break.
	run, cut := pos, -1
	var prev token
	for k := 0; ; k++ {
		t := nextToken(text[pos:])
		if k > 0 && !joined(prev, t) {
			cut = run
		}
		if pos == i {
			break
		}
		pos += len(t.raw)
		if t.kind != openTag {
			run = pos
		}
		prev = t
	}
	if cut >= 0 {
		return cut
	}
	return run
}

// skipCloseTags returns the end of the closing tags at text[end:], so that a
// chunk ending at end does not leave them to start the next one.
func skipCloseTags(text string, end int) int {
	for end < len(text) {
		t := nextToken(text[end:])
		if t.kind != closeTag {
			break
		}
		end += len(t.raw)
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
	r := next.r
	return prev.r == '\u200d' || r == '\u200d' ||
		r >= 0x300 && unicode.In(r, unicode.Mn, unicode.Me, unicode.Variation_Selector) ||
		(r >= 0x1F3FB && r <= 0x1F3FF) || (r >= 0xE0020 && r <= 0xE007F)
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
	kind tokenKind
	raw  string // as written
	r    rune   // the character it stands for (text tokens), utf8.RuneError for a byte that is not UTF-8
}

// tag is an opening tag, as written and by name, and how it takes part in
// counting entities.
type tag struct {
	raw, name string
	class     tagClass
}

// apply returns the stack of open tags after the tag t, changed in place.
func (t token) apply(open []tag) []tag {
	switch t.kind {
	case openTag:
		name := t.name()
		return append(open, tag{raw: t.raw, name: name, class: classOf(name)})
	case closeTag:
		name := t.name()
		for i := len(open) - 1; i >= 0; i-- {
			if name == "" || strings.EqualFold(open[i].name, name) { // "</>" closes the innermost tag
				return append(open[:i], open[i+1:]...)
			}
		}
	}
	return open
}

// name returns the name of the tag t as written: Telegram ignores its case.
func (t token) name() string {
	s := t.raw[1:]
	if t.kind == closeTag {
		s = s[1:]
	}
	n := 0
	for n < len(s) && (isASCIILetter(s[n]) || isDigit(s[n], 10) || s[n] == '-') {
		n++
	}
	return s[:n]
}

// nextToken returns the tag, entity or character at the start of s, which
// must not be empty.
func nextToken(s string) token {
	switch s[0] {
	case '<':
		if n := tagLen(s); n > 0 {
			return token{kind: tagKind(s[:n]), raw: s[:n]}
		}
	case '&':
		if r, n := entity(s); n > 0 {
			return token{kind: textToken, raw: s[:n], r: r}
		}
	}
	r, n := utf8.DecodeRuneInString(s)
	return token{kind: textToken, raw: s[:n], r: r}
}

// tagLen returns the length of the tag at the start of s ("<b>", "</a>",
// `<a href="...">`, with '>' allowed inside quoted values, and "</>", which
// Telegram reads as the end of the innermost tag), or 0 if s does not start
// with one. As in Telegram's parser, a quote opens a value only after an
// attribute's '=' (and spaces): elsewhere it is part of a name, so that
// `<a "x="y">` ends at its '>'; and so is a '<' (see attributeNameEnd), so
// that `<a x<y="1">` is one tag.
func tagLen(s string) int {
	i := 1
	if i < len(s) && s[i] == '/' {
		i++
		j := i
		for j < len(s) && strings.IndexByte(endTagSpaces, s[j]) >= 0 {
			j++
		}
		if j < len(s) && s[j] == '>' {
			return j + 1
		}
	}
	if i >= len(s) || !isASCIILetter(s[i]) {
		return 0
	}
	var quote byte
	value := false    // after an attribute's '=', where a quote opens its value
	pastName := false // past the tag's own name, which ends at a space
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case value && (c == '"' || c == '\''):
			quote, value = c, false
		case c == '=':
			value = true
		case c == '>':
			return i + 1
		case c == '<':
			eq := -1
			if pastName && !value {
				eq = attributeNameEnd(s, i)
			}
			if eq < 0 {
				return 0
			}
			i = eq - 1 // on to the name's '='
		case strings.IndexByte(tagSpaces, c) >= 0:
			pastName = true
		default:
			value = false
		}
	}
	return 0
}

// endTagSpaces are the characters Telegram's parser takes for spaces in an
// end tag ("</ >"), and tagSpaces those in a start tag, where NUL is one
// too.
const (
	endTagSpaces = " \t\n\r\v"
	tagSpaces    = endTagSpaces + "\x00"
)

// attributeNameEnd returns the offset of the '=' ending the attribute's
// name that the '<' at s[i] is a character of, as Telegram reads a start
// tag (past the tag's own name, outside its values): a name runs on to
// an '=', after any spaces. It returns -1 when the name ends otherwise,
// which makes a tag Telegram refuses, and none: so that a '<' left
// unclosed, such as Split ends a part with, does not take in the end tags
// after it.
func attributeNameEnd(s string, i int) int {
	for i < len(s) && s[i] != '=' && s[i] != '>' && strings.IndexByte(tagSpaces, s[i]) < 0 {
		i++
	}
	for i < len(s) && strings.IndexByte(tagSpaces, s[i]) >= 0 {
		i++
	}
	if i < len(s) && s[i] == '=' {
		return i
	}
	return -1
}

// tagKind returns the kind of a tag that tagLen found.
func tagKind(raw string) tokenKind {
	switch {
	case raw[1] == '/':
		return closeTag
	case raw[len(raw)-2] == '/':
		return otherTag
	}
	return openTag
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
		digits, base := name[1:], uint64(10)
		if digits != "" && (digits[0] == 'x' || digits[0] == 'X') {
			digits, base = digits[1:], 16
		}
		if digits == "" {
			return 0, 0
		}
		var v uint64 // at most 9 decimal or 8 hex digits: no overflow
		for i := range len(digits) {
			c := digits[i]
			if !isDigit(c, base) {
				return 0, 0
			}
			v = v*base + uint64(digitValue(c))
		}
		if v == 0 || v > unicode.MaxRune || (v >= 0xD800 && v <= 0xDFFF) {
			return 0, 0
		}
		return rune(v), end + 1
	}
	return 0, 0
}

// isASCIILetter reports whether c is an ASCII letter.
func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isDigit reports whether c is a digit in base 10 or 16.
func isDigit(c byte, base uint64) bool {
	return c >= '0' && c <= '9' || base == 16 && (c|0x20 >= 'a' && c|0x20 <= 'f')
}

// digitValue returns the value of a digit that isDigit accepts.
func digitValue(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return (c | 0x20) - 'a' + 10
}
