package bot

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// splitReference is Split as it was before it was made to run without
// allocating a token per character (the commit that added this file): the
// tokens of the whole text in a slice, chunk ends found on it. It is kept,
// unchanged but for the names, as the reference that Split must match
// exactly, part for part and byte for byte, for any text and limit:
// FuzzSplitMatchesReference checks that. Split's documentation describes
// what both do.
func splitReference(text string, limit int) []string {
	if limit <= 0 {
		limit = MaxMessageLen
	}
	toks := refTokenize(text)
	var chunks []string
	var open []refToken // tags open where the chunk starts
	for start := 0; start < len(toks); {
		end := refBreakAt(toks, start, limit, open)
		var b strings.Builder
		for _, t := range open {
			b.WriteString(t.raw)
		}
		visible := false
		for _, t := range toks[start:end] {
			b.WriteString(t.raw)
			open = t.apply(open)
			visible = visible || (t.kind == refTextToken && strings.TrimSpace(t.text) != "")
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

// refBreakAt returns where the chunk starting at toks[start], with the tags
// open reopened, ends: after as many whole lines as fit in limit and in
// MaxEntities (see refEntities), or else after the last space that fits,
// or else after as many characters as fit (at least one).
func refBreakAt(toks []refToken, start, limit int, open []refToken) int {
	width, afterLine, afterSpace := 0, -1, -1
	var ents refEntities
	for _, t := range open {
		ents.n += ents.tagCost(t)
		ents.open = append(ents.open, t)
	}
	for i := start; i < len(toks); i++ {
		t := toks[i]
		if width+t.width > limit || ents.n+ents.cost(toks, start, i) > MaxEntities {
			end := afterLine
			if end < 0 {
				end = afterSpace
			}
			if end < 0 {
				end = refHardBreak(toks, start, i)
			}
			return refAdjust(toks, start, end)
		}
		width += t.width
		ents.n += ents.cost(toks, start, i)
		ents.open = t.apply(ents.open)
		switch t.text {
		case "\n":
			afterLine = i + 1
		case " ":
			afterSpace = i + 1
		}
	}
	return len(toks)
}

// refEntities counts the entities of a chunk as Split does, token by
// token: one a tag; two more for each tag other than bold, italic,
// underline, strikethrough and spoiler inside each of those; and outside
// code and pre, one, and two more for each of those around it, where an
// entity may start: a "/", "@", "#" or "$" after a character that is not
// a letter, digit or "_" (for "/" neither "/" nor "<", for "$" not "$"),
// or a dot after one that is or "-", or after a tag or a character
// reference or ";" or ">", whatever they stand for, the chunk's first
// token coming after none; followed by a letter, digit or "_" (ASCII
// after "/" and "@", an upper-case ASCII letter after "$", a letter after
// a dot, also U+200C, U+00B7 or Sinhala after "#").
type refEntities struct {
	n    int
	open []refToken // the tags open
}

// refSplitting lists the tags Telegram cuts around the others.
var refSplitting = []string{"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler"}

// count returns how many of the tags open are bold (or italic...) ones,
// and whether code or pre is open.
func (e *refEntities) count() (splitting int, code bool) {
	for _, t := range e.open {
		splitting += refBool(slices.Contains(refSplitting, t.name))
		code = code || t.name == "code" || t.name == "pre"
	}
	return splitting, code
}

// refBool is 1 for true, 0 for false.
func refBool(b bool) int {
	if b {
		return 1
	}
	return 0
}

// tagCost returns how many entities opening the tag t adds.
func (e *refEntities) tagCost(t refToken) int {
	splitting, _ := e.count()
	if slices.Contains(refSplitting, t.name) {
		return 1
	}
	return 1 + 2*splitting
}

// cost returns how many entities toks[i] adds to a chunk that starts at
// toks[start].
func (e *refEntities) cost(toks []refToken, start, i int) int {
	t := toks[i]
	switch t.kind {
	case refOpenTag:
		return e.tagCost(t)
	case refTextToken:
		// The last text token before t, if it is one.
		k := i - 1
		for k >= start && (toks[k].kind == refCloseTag || toks[k].kind == refOpenTag || toks[k].kind == refOtherTag) {
			k--
		}
		if k < start || !refTrigger(toks, start, k) {
			return 0
		}
		splitting, code := e.count()
		r, _ := utf8.DecodeRuneInString(t.text)
		trigger, _ := utf8.DecodeRuneInString(toks[k].text)
		var follows bool
		switch trigger {
		case '/', '@':
			follows = r == '_' || r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r))
		case '#':
			follows = r == '_' || r == 0x200c || r == 0xb7 || (r >= 0xd80 && r <= 0xdff) || unicode.IsLetter(r) || unicode.Is(unicode.Nd, r)
		case '$':
			follows = r >= 'A' && r <= 'Z'
		case '.':
			follows = unicode.IsLetter(r)
		}
		if !follows || code {
			return 0
		}
		return 1 + 2*splitting
	}
	return 0
}

// refTrigger reports whether toks[k], a text token, is a character that
// may start an entity in a chunk that starts at toks[start].
func refTrigger(toks []refToken, start, k int) bool {
	if len(toks[k].text) != 1 || !strings.Contains("/@#$.", toks[k].text) {
		return false
	}
	var prev rune // the character before, 0 for none
	if k > start {
		prev, _ = utf8.DecodeLastRuneInString(toks[k-1].raw)
		if prev == '>' || prev == ';' {
			return true
		}
	}
	word := prev == '_' || unicode.IsLetter(prev) || unicode.IsNumber(prev)
	switch toks[k].text {
	case "/":
		return !word && prev != '/' && prev != '<'
	case "@":
		return !word
	case "#", "$":
		hashtag := prev == '_' || prev == 0x200c || prev == 0xb7 || (prev >= 0xd80 && prev <= 0xdff) || unicode.IsLetter(prev) || unicode.Is(unicode.Nd, prev)
		return !hashtag && (toks[k].text == "#" || prev != '$')
	}
	return word || prev == '-'
}

// refHardBreak returns a break between characters at or before i (the first
// token that does not fit), avoiding breaks inside a grapheme where it can.
func refHardBreak(toks []refToken, start, i int) int {
	end := max(i, start+1)
	for b := end; b > start+1; b-- {
		if !refJoined(toks[b-1], toks[b]) {
			return b
		}
	}
	return end
}

// refJoined reports whether next continues the character of prev: a
// combining mark (as in decomposed Vietnamese), a variation selector, an
// emoji modifier or tag, or anything after a zero-width joiner.
func refJoined(prev, next refToken) bool {
	if next.kind != refTextToken || prev.kind != refTextToken {
		return false
	}
	r, _ := utf8.DecodeRuneInString(next.text)
	p, _ := utf8.DecodeLastRuneInString(prev.text)
	return p == '\u200d' || r == '\u200d' ||
		unicode.In(r, unicode.Mn, unicode.Me, unicode.Variation_Selector) ||
		(r >= 0x1F3FB && r <= 0x1F3FF) || (r >= 0xE0020 && r <= 0xE007F)
}

// refAdjust moves a break before the opening tags that precede it and past the
// closing tags that follow it, so that chunks neither end with a tag just
// opened nor start with one about to close.
func refAdjust(toks []refToken, start, end int) int {
	for end-1 > start && toks[end-1].kind == refOpenTag {
		end--
	}
	for end < len(toks) && toks[end].kind == refCloseTag {
		end++
	}
	return end
}

type refTokenKind int

const (
	refTextToken refTokenKind = iota // a character, or an entity standing for one
	refOpenTag
	refCloseTag
	refOtherTag // a self-closing tag
)

// refToken is an indivisible piece of HTML text.
type refToken struct {
	kind  refTokenKind
	raw   string // as written
	text  string // the text it stands for (text tokens)
	name  string // the lower-case tag name (tags)
	width int    // UTF-16 code units Telegram counts
}

// apply returns the stack of open tags after t.
func (t refToken) apply(open []refToken) []refToken {
	switch t.kind {
	case refOpenTag:
		return append(open, t)
	case refCloseTag:
		for i := len(open) - 1; i >= 0; i-- {
			if open[i].name == t.name || t.name == "" { // "</>" closes the innermost tag
				return append(open[:i:i], open[i+1:]...)
			}
		}
	}
	return open
}

// refTokenize cuts HTML text into tags, entities and characters.
func refTokenize(s string) []refToken {
	var toks []refToken
	for len(s) > 0 {
		t := refNextToken(s)
		toks = append(toks, t)
		s = s[len(t.raw):]
	}
	return toks
}

func refNextToken(s string) refToken {
	switch s[0] {
	case '<':
		if n := refTagLen(s); n > 0 {
			return refTagToken(s[:n])
		}
	case '&':
		if r, n := refEntity(s); n > 0 {
			return refToken{kind: refTextToken, raw: s[:n], text: string(r), width: utf16.RuneLen(r)}
		}
	}
	r, n := utf8.DecodeRuneInString(s)
	return refToken{kind: refTextToken, raw: s[:n], text: s[:n], width: utf16.RuneLen(r)}
}

// refTagLen returns the length of the tag at the start of s ("<b>", "</a>",
// `<a href="...">`, with '>' allowed inside quoted values, and "</>", which
// Telegram reads as the end of the innermost tag), or 0 if s does not start
// with one. A quote opens a value only after an attribute's '=' and any
// spaces; elsewhere it is a character of a name. So is a '<' in the name
// of an attribute, which comes after a space and runs on to an '=' (after
// any spaces); anywhere else, it makes no tag.
func refTagLen(s string) int {
	i := 1
	if i < len(s) && s[i] == '/' {
		i++
		if rest := strings.TrimLeft(s[i:], " \t\n\r\v"); strings.HasPrefix(rest, ">") {
			return len(s) - len(rest) + 1
		}
	}
	if i >= len(s) || !refIsASCIILetter(rune(s[i])) {
		return 0
	}
	for i < len(s) {
		switch s[i] {
		case '>':
			return i + 1
		case '<':
			const spaces = " \t\n\r\v\x00"
			name := strings.IndexAny(s[i:], spaces+"=>")
			if name < 0 || !strings.ContainsAny(s[:i], spaces) || !strings.HasPrefix(strings.TrimLeft(s[i+name:], spaces), "=") {
				return 0
			}
		case '=':
			i += 1 + len(s[i+1:]) - len(strings.TrimLeft(s[i+1:], " \t\n\r\v\x00"))
			if i < len(s) && s[i] == '<' {
				return 0 // a value starts with a quote, or a letter or digit
			}
			if i < len(s) && (s[i] == '"' || s[i] == '\'') {
				end := strings.IndexByte(s[i+1:], s[i])
				if end < 0 {
					return 0
				}
				i += end + 2
			}
			continue
		}
		i++
	}
	return 0
}

func refTagToken(raw string) refToken {
	t := refToken{kind: refOpenTag, raw: raw}
	body := raw[1 : len(raw)-1]
	switch {
	case strings.HasPrefix(body, "/"):
		t.kind = refCloseTag
		body = body[1:]
	case strings.HasSuffix(body, "/"):
		t.kind = refOtherTag
	}
	end := strings.IndexFunc(body, func(r rune) bool { return !refIsASCIILetter(r) && r != '-' && (r < '0' || r > '9') })
	if end < 0 {
		end = len(body)
	}
	t.name = strings.ToLower(body[:end])
	return t
}

// refEntity decodes the character reference at the start of s, one of those
// Telegram decodes: &lt; &gt; &amp; &quot; and numeric ones ("&#39;",
// "&#x1F600;"). It returns the character and the reference's length, or
// n = 0 if s does not start with one; anything else is plain text.
func refEntity(s string) (r rune, n int) {
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

func refIsASCIILetter(c rune) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// FuzzSplitMatchesReference checks that Split cuts any text, UTF-8 or not,
// exactly as splitReference does, for limits from 1 to beyond
// MaxMessageLen and for the default (limit 0). The seeds are those of the
// other Split fuzz targets, the short benchmark text (the long one makes the
// fuzzer stall while it minimizes inputs grown from it), and texts made to reach
// the corners: no visible text, tags left open or closed twice, "</>",
// entities valid and not, combining marks and joined emoji at the limit.
func FuzzSplitMatchesReference(f *testing.F) {
	seeds := append([]string{
		benchReport,
		"", " ", "\n\n", "&#32;&#10;&#xA0;\u00a0", "<b> </b>\n<i>\t</i>", "<br/> <b/>",
		"<b>never closed", "<b><i>x</b>y</i>z", "</b>x</i>", "<b>a</>b</>c", "<B>x</ >y", "</ \n>", "<A></>0",
		"<a href=\"x>y\">link</a>", "<a href='<'>x", "<b x=\"unterminated>text",
		"<b>x</\v>y",                                        // a vertical tab, one of Telegram's spaces, in an end tag
		"<b>x <a y<z=\"1\">2</a></b>", "<a x<\"y='>'>z</a>", // a '<' in an attribute's name
		"&amp&lt;&#;&#x;&#x1F600;&#128512;&#XD7FF;&#0000065;&#+65;&#1114112;",
		"a\u0301\u0302b\u200d\u200dc\ufe0f👍🏽🏴\U000E0067\U000E007F",
		"<b>" + strings.Repeat("ẹ́", 20) + "</b>",
		"<code>" + strings.Repeat("<i>a</i>", 30) + "</code>",
		strings.Repeat("<b>1</b>\n", 101), strings.Repeat("<i>x</i> ", 120), strings.Repeat("<b>x</b><i>y</i>", 60),
		"<b>" + strings.Repeat("<a href=\"tg://user?id=1\">Lan</a> ", 40) + "</b>",
		strings.Repeat("/report @lan_tw #Quý1 $USD t.me/x 31/03 v.v. ", 25), "<b>" + strings.Repeat("/a ", 40) + "</b>",
		"<b>x</b>/a &#47;b <i>y</i>.com &amp;@c;#d\n<code>/e</code>",
	}, splitSeeds...)
	for _, s := range seeds {
		f.Add(s, uint16(0))
		f.Add(s, uint16(7))
	}
	f.Fuzz(func(t *testing.T, s string, limit uint16) {
		for _, limit := range []int{int(limit), 1, 2, 3, 10, 100, MaxMessageLen} {
			got, want := Split(s, limit), splitReference(s, limit)
			if !slices.Equal(got, want) {
				t.Fatalf("Split(%q, %d):\n got %q\nwant %q", s, limit, got, want)
			}
		}
	})
}
