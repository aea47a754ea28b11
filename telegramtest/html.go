package telegramtest

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// formatted is a message text or caption as sent and as parsed.
type formatted struct {
	raw       string // exactly as the bot sent it
	parseMode string // the parse_mode parameter as sent
	text      string // the plain text users see
	entities  []tgbotapi.MessageEntity
	// count is how many entities Telegram makes of the text (see
	// entityCosts); past MaxEntities it dropped some of entities, showing
	// their text plain (see limitEntities).
	count int
}

// textField describes the rules of a text parameter.
type textField struct {
	limit    int    // maximum length after parsing, in UTF-16 code units
	tooLong  string // reason of the error when over the limit
	required bool   // whether an empty text is refused
}

var (
	messageText = textField{limit: 4096, tooLong: "message is too long", required: true}
	captionText = textField{limit: 1024, tooLong: "message caption is too long"}
)

// parseFormatted parses raw like Telegram: it applies parseMode (or the
// explicit entities given as JSON), strips surrounding whitespace, checks
// the length rules of field and keeps the first MaxEntities entities.
func parseFormatted(raw, parseMode, entitiesJSON string, field textField) (formatted, *apiError) {
	f := formatted{raw: raw, parseMode: parseMode}
	if !utf8.ValidString(raw) {
		return f, badRequest("text must be encoded in UTF-8")
	}
	switch strings.ToLower(parseMode) {
	case "":
		f.text = raw
		if entitiesJSON != "" {
			if err := json.Unmarshal([]byte(entitiesJSON), &f.entities); err != nil {
				return f, badRequest("can't parse entities JSON object")
			}
		}
	case "html":
		text, entities, err := parseHTML(raw)
		if err != nil {
			return f, badRequest("can't parse entities: %v", err)
		}
		f.text, f.entities = text, entities
	case "markdown", "markdownv2":
		return f, badRequest("unsupported parse_mode %q: telegramtest implements only HTML", parseMode)
	default:
		return f, badRequest("unsupported parse_mode")
	}
	f.text, f.entities = trimSpace(f.text, f.entities)
	if f.text == "" && field.required {
		return f, badRequest("message text is empty")
	}
	if utf16Len(f.text) > field.limit {
		return f, badRequest("%s", field.tooLong)
	}
	f.entities, f.count = limitEntities(f.text, f.entities)
	return f, nil
}

// CountEntities returns how many entities Telegram makes of text, a message
// in parse_mode HTML, as the fake counts them (see MaxEntities): past
// MaxEntities, it shows some of the text's formatting as plain text. The
// error is ValidateHTML's.
func CountEntities(text string) (int, error) {
	f, e := parseFormatted(text, "HTML", "", messageText)
	if e != nil {
		return 0, errors.New(e.description)
	}
	return f.count, nil
}

// ValidateHTML returns nil if Telegram would accept text as a message in
// parse_mode HTML, as the fake does: valid UTF-8, well-formed HTML of the
// tags Telegram knows, and once parsed neither empty nor longer than 4096
// UTF-16 code units. Otherwise the error gives the reason, worded as the
// fake's "Bad Request" answer to sendMessage.
func ValidateHTML(text string) error {
	if _, e := parseFormatted(text, "HTML", "", messageText); e != nil {
		return errors.New(e.description)
	}
	return nil
}

// sameContent reports whether a and b show users the same thing.
func sameContent(a, b formatted) bool {
	if a.text != b.text || len(a.entities) != len(b.entities) {
		return false
	}
	for i := range a.entities {
		x, y := a.entities[i], b.entities[i]
		if x.Type != y.Type || x.Offset != y.Offset || x.Length != y.Length || x.URL != y.URL || x.Language != y.Language {
			return false
		}
	}
	return true
}

// htmlError is a reason why HTML could not be parsed, worded like
// Telegram's.
type htmlError string

// Error returns the reason.
func (e htmlError) Error() string { return string(e) }

// newHTMLError formats a parse failure reason.
func newHTMLError(format string, args ...any) error {
	return htmlError(fmt.Sprintf(format, args...))
}

// htmlTags lists the tags Telegram's HTML parse mode understands.
var htmlTags = map[string]bool{
	"a": true, "b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "code": true, "pre": true, "span": true,
	"tg-spoiler": true, "tg-emoji": true, "blockquote": true,
}

// openTag is a start tag whose end tag has not been seen yet.
type openTag struct {
	name   string
	arg    string // href, code language, span class or emoji id
	offset int    // UTF-16 offset of the tag's content in the output
	start  int    // byte offset of the tag's content in the output
}

// htmlParser turns Telegram HTML into plain text and entities. It follows
// the algorithm of TDLib, so its error reasons read like Telegram's, except
// that a "&" which does not start an entity is refused rather than kept.
type htmlParser struct {
	src      string
	out      strings.Builder
	offset   int // UTF-16 length of out
	stack    []openTag
	entities []tgbotapi.MessageEntity
}

// parseHTML parses s in parse_mode HTML.
func parseHTML(s string) (string, []tgbotapi.MessageEntity, error) {
	p := &htmlParser{src: s}
	p.out.Grow(len(s))
	for i := 0; i < len(s); {
		var err error
		switch s[i] {
		case '&':
			r, n, ok := decodeHTMLEntity(s[i:])
			if !ok {
				return "", nil, newHTMLError(`Unsupported HTML entity at byte offset %d: a bare "&" must be written as "&amp;"`, i)
			}
			p.out.WriteRune(r)
			p.offset += runeUTF16Len(r)
			i += n
		case '<':
			if i+1 < len(s) && s[i+1] == '/' {
				i, err = p.endTag(i)
			} else {
				i, err = p.startTag(i)
			}
			if err != nil {
				return "", nil, err
			}
		default:
			// Text up to the next entity or tag, copied as it is.
			n := strings.IndexAny(s[i:], "&<")
			if n < 0 {
				n = len(s) - i
			}
			p.out.WriteString(s[i : i+n])
			p.offset += utf16Len(s[i : i+n])
			i += n
		}
	}
	if len(p.stack) > 0 {
		return "", nil, newHTMLError("Can't find end tag corresponding to start tag %q", p.stack[len(p.stack)-1].name)
	}
	for i := range p.entities {
		if p.entities[i].Type == "code" {
			p.entities[i].Language = ""
		}
	}
	slices.SortStableFunc(p.entities, func(a, b tgbotapi.MessageEntity) int {
		return cmp.Or(cmp.Compare(a.Offset, b.Offset), cmp.Compare(b.Length, a.Length))
	})
	return p.out.String(), p.entities, nil
}

// startTag parses the start tag at s[begin] and returns the offset after it.
func (p *htmlParser) startTag(begin int) (int, error) {
	s := p.src
	i := begin + 1
	for i < len(s) && !isHTMLSpace(s[i]) && s[i] != '>' {
		i++
	}
	if i == len(s) {
		return 0, newHTMLError("Unclosed start tag at byte offset %d", begin)
	}
	name := strings.ToLower(s[begin+1 : i])
	if !htmlTags[name] {
		return 0, newHTMLError("Unsupported start tag %q at byte offset %d", name, begin)
	}
	tag := openTag{name: name, offset: p.offset, start: p.out.Len()}
	for {
		i = skipHTMLSpace(s, i)
		if i == len(s) {
			return 0, newHTMLError("Unclosed start tag at byte offset %d", begin)
		}
		if s[i] == '>' {
			break
		}
		attrBegin := i
		for i < len(s) && !isHTMLSpace(s[i]) && s[i] != '=' && s[i] != '>' {
			i++
		}
		attr := strings.ToLower(s[attrBegin:i])
		if attr == "" {
			return 0, newHTMLError("Empty attribute name in the tag %q at byte offset %d", name, begin)
		}
		i = skipHTMLSpace(s, i)
		if name == "blockquote" && attr == "expandable" && (i == len(s) || s[i] != '=') {
			tag.arg = attr
			continue
		}
		if i == len(s) || s[i] != '=' {
			return 0, newHTMLError("Expected equal sign in declaration of an attribute of the tag %q at byte offset %d", name, begin)
		}
		i = skipHTMLSpace(s, i+1)
		if i == len(s) {
			return 0, newHTMLError("Unclosed start tag %q at byte offset %d", name, begin)
		}
		value, next, err := attributeValue(s, i, begin)
		if err != nil {
			return 0, err
		}
		i = next
		switch {
		case name == "a" && attr == "href":
			tag.arg = value
		case name == "code" && attr == "class" && strings.HasPrefix(value, "language-"):
			tag.arg = strings.TrimPrefix(value, "language-")
		case name == "span" && attr == "class" && strings.HasPrefix(value, "tg-"):
			tag.arg = strings.TrimPrefix(value, "tg-")
		case name == "tg-emoji" && attr == "emoji-id":
			tag.arg = value
		}
	}
	if name == "span" && tag.arg != "spoiler" {
		return 0, newHTMLError(`Tag "span" must have class "tg-spoiler" at byte offset %d`, begin)
	}
	if name == "tg-emoji" {
		if _, err := strconv.ParseInt(tag.arg, 10, 64); err != nil {
			return 0, newHTMLError("Invalid custom emoji identifier specified at byte offset %d", begin)
		}
	}
	p.stack = append(p.stack, tag)
	return i + 1, nil
}

// attributeValue parses the attribute value at s[i], quoted or a name
// token, and returns it with the offset after it. tagBegin is the offset of
// the enclosing tag, for error reasons.
func attributeValue(s string, i, tagBegin int) (string, int, error) {
	if q := s[i]; q == '"' || q == '\'' {
		var b strings.Builder
		for i++; i < len(s) && s[i] != q; {
			if s[i] == '&' {
				if r, n, ok := decodeHTMLEntity(s[i:]); ok {
					b.WriteRune(r)
					i += n
					continue
				}
			}
			b.WriteByte(s[i])
			i++
		}
		if i == len(s) {
			return "", 0, newHTMLError("Unclosed start tag at byte offset %d", tagBegin)
		}
		return b.String(), i + 1, nil
	}
	begin := i
	for i < len(s) && (isASCIIAlnum(s[i]) || s[i] == '.' || s[i] == '-') {
		i++
	}
	if i == len(s) {
		return "", 0, newHTMLError("Unclosed start tag at byte offset %d", tagBegin)
	}
	if !isHTMLSpace(s[i]) && s[i] != '>' {
		return "", 0, newHTMLError("Unexpected end of name token at byte offset %d", begin)
	}
	return strings.ToLower(s[begin:i]), i, nil
}

// endTag parses the end tag at s[begin], closes the innermost open tag and
// returns the offset after the end tag.
func (p *htmlParser) endTag(begin int) (int, error) {
	s := p.src
	if len(p.stack) == 0 {
		return 0, newHTMLError("Unexpected end tag at byte offset %d", begin)
	}
	i := begin + 2
	for i < len(s) && !isHTMLSpace(s[i]) && s[i] != '>' {
		i++
	}
	name := strings.ToLower(s[begin+2 : i])
	i = skipHTMLSpace(s, i)
	if i == len(s) || s[i] != '>' {
		return 0, newHTMLError("Unclosed end tag at byte offset %d", begin)
	}
	top := p.stack[len(p.stack)-1]
	if name != "" && name != top.name {
		return 0, newHTMLError(`Unmatched end tag at byte offset %d, expected "</%s>", found "</%s>"`, begin, top.name, name)
	}
	p.stack = p.stack[:len(p.stack)-1]
	if p.offset > top.offset {
		p.close(top)
	}
	return i + 1, nil
}

// close adds the entity of a non-empty closed tag.
func (p *htmlParser) close(tag openTag) {
	e := tgbotapi.MessageEntity{Offset: tag.offset, Length: p.offset - tag.offset}
	switch tag.name {
	case "b", "strong":
		e.Type = "bold"
	case "i", "em":
		e.Type = "italic"
	case "u", "ins":
		e.Type = "underline"
	case "s", "strike", "del":
		e.Type = "strikethrough"
	case "span", "tg-spoiler":
		e.Type = "spoiler"
	case "tg-emoji":
		e.Type = "custom_emoji"
	case "blockquote":
		e.Type = "blockquote"
		if tag.arg == "expandable" {
			e.Type = "expandable_blockquote"
		}
	case "code":
		// The language is kept only until an enclosing <pre> claims it.
		e.Type, e.Language = "code", tag.arg
	case "pre":
		e.Type = "pre"
		if n := len(p.entities); n > 0 {
			last := p.entities[n-1]
			if last.Type == "code" && last.Offset == e.Offset && last.Length == e.Length {
				e.Language = last.Language
				p.entities = p.entities[:n-1]
			}
		}
	case "a":
		link := tag.arg
		if link == "" {
			link = p.out.String()[tag.start:]
		}
		u, ok := checkLink(link)
		if !ok {
			// Telegram silently drops links it cannot use.
			return
		}
		e.Type, e.URL = "text_link", u
	}
	p.entities = append(p.entities, e)
}

// checkLink normalises a link target like Telegram: a missing scheme means
// http. It reports false for targets that are not links.
func checkLink(link string) (string, bool) {
	link = strings.TrimSpace(link)
	if !strings.Contains(link, "://") && !strings.HasPrefix(link, "mailto:") && !strings.HasPrefix(link, "tg:") {
		link = "http://" + link
	}
	u, err := url.Parse(link)
	if err != nil || u.Scheme == "" {
		return "", false
	}
	if (u.Scheme == "http" || u.Scheme == "https") && (u.Host == "" || strings.ContainsAny(u.Host, " <>")) {
		return "", false
	}
	return link, true
}

// decodeHTMLEntity decodes the entity at the start of s, one of &lt; &gt;
// &amp; &quot; &#NNN; and &#xHH;, and returns it with its length.
func decodeHTMLEntity(s string) (rune, int, bool) {
	end := strings.IndexByte(s, ';')
	if end < 2 || end > 10 {
		return 0, 0, false
	}
	name := s[1:end]
	switch name {
	case "lt":
		return '<', end + 1, true
	case "gt":
		return '>', end + 1, true
	case "amp":
		return '&', end + 1, true
	case "quot":
		return '"', end + 1, true
	}
	if name[0] != '#' || len(name) < 2 {
		return 0, 0, false
	}
	digits, base := name[1:], 10
	if digits[0] == 'x' || digits[0] == 'X' {
		digits, base = digits[1:], 16
	}
	if digits == "" || strings.ContainsAny(digits, "+-") {
		return 0, 0, false
	}
	n, err := strconv.ParseUint(digits, base, 32)
	if err != nil || n == 0 || n > utf8.MaxRune || (n >= 0xD800 && n <= 0xDFFF) {
		return 0, 0, false
	}
	return rune(n), end + 1, true
}

// trimSpace strips leading and trailing whitespace from text, as Telegram
// does, and shifts and clips the entities accordingly.
func trimSpace(text string, entities []tgbotapi.MessageEntity) (string, []tgbotapi.MessageEntity) {
	trimmed := strings.TrimLeft(text, " \t\r\n")
	shift := utf16Len(text[:len(text)-len(trimmed)])
	trimmed = strings.TrimRight(trimmed, " \t\r\n")
	size := utf16Len(trimmed)
	out := entities[:0] // entities are the caller's own, filtered in place
	for _, e := range entities {
		begin, end := max(e.Offset-shift, 0), min(e.Offset+e.Length-shift, size)
		if end > begin {
			e.Offset, e.Length = begin, end-begin
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		out = nil
	}
	return trimmed, out
}

// utf16Len returns the length of s in UTF-16 code units, the unit of every
// Telegram length and offset.
func utf16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		n += runeUTF16Len(r)
		i += size
	}
	return n
}

// runeUTF16Len returns the number of UTF-16 code units of r.
func runeUTF16Len(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// isHTMLSpace reports whether c is a space to Telegram's HTML parser
// (tdlib's is_space): not form feed, which HTML calls a space, but
// vertical tab and NUL, which skipHTMLSpace does not skip.
func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == 0
}

// skipHTMLSpace returns the offset of the first non-space byte of s at or
// after i; NUL, where tdlib's C string ends, is not skipped.
func skipHTMLSpace(s string, i int) int {
	for i < len(s) && isHTMLSpace(s[i]) && s[i] != 0 {
		i++
	}
	return i
}

// isASCIIAlnum reports whether c is an ASCII letter or digit.
func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
