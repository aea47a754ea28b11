package bot

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxEntities is the most entities Telegram keeps in a message: it accepts
// a text that makes more, but shows every entity past the 100th as plain
// text, bold, links and code alike. Split keeps each part within it.
const MaxEntities = 100

// entityCount counts the entities Telegram makes of HTML text as it is
// read, token by token, erring on the side of more (as telegramtest counts
// them):
//
//   - each tag opened (or reopened where a part starts) makes one;
//   - a bold, italic, underline, strikethrough or spoiler tag is cut into
//     pieces around the other tags inside it (a link, code...), two more
//     for each, since Telegram cuts it where each starts and ends;
//   - outside code, each place where a bot command, a mention, a hashtag,
//     a cashtag, or a link or e-mail address may start makes one, and cuts
//     the bold (or italic...) tags open around it likewise (see mayStart
//     and startCost).
//
// The characters are counted by the reader (Split, measure), which keeps
// the last character if it is a trigger that may start an entity
// (mayStart) and adds the cost of the character after it (startCost).
type entityCount struct {
	n      int // entities so far
	split  int // bold, italic... tags open, which others cut
	opaque int // code and pre tags open, where Telegram finds nothing
}

// tagClass tells how a tag takes part in counting entities.
type tagClass uint8

const (
	wall   tagClass = iota // a link, custom emoji or quote: it cuts the tags below
	splits                 // bold, italic...: cut around the others inside it
	opaque                 // code or pre: a wall, inside which Telegram finds nothing
)

// classOf returns the class of the tag name, whose case Telegram ignores.
func classOf(name string) tagClass {
	switch name {
	case "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler":
		return splits
	case "code", "pre":
		return opaque
	}
	if lower := strings.ToLower(name); lower != name {
		return classOf(lower)
	}
	return wall
}

// reopen returns the count of a part that starts with the tags open
// reopened.
func reopen(open []tag) entityCount {
	var c entityCount
	for _, t := range open {
		c.n += c.openCost(t.class)
		c.opened(t.class)
	}
	return c
}

// openCost returns how many entities opening a tag of class adds.
func (c *entityCount) openCost(class tagClass) int {
	if class == splits {
		return 1
	}
	return 1 + 2*c.split
}

// opened takes in the opening of a tag of class, once its cost is added.
func (c *entityCount) opened(class tagClass) {
	switch class {
	case splits:
		c.split++
	case opaque:
		c.opaque++
	}
}

// closed takes in a closing tag: open is the stack of open tags after it.
func (c *entityCount) closed(open []tag) {
	c.split, c.opaque = 0, 0
	for _, t := range open {
		c.opened(t.class)
	}
}

// startCost returns how many entities the character r adds after the
// trigger ("/", "@", "#", "$" or a dot) when the trigger may start an
// entity there (see mayStart): an entity, and the cuts of the bold (or
// italic...) tags around it, when r may follow the trigger in one (a
// letter, digit or "_" after "/", "@" or "#", an upper-case letter after
// "$", a letter after a dot) and no code is open.
func (c *entityCount) startCost(trigger, r rune) int {
	var starts bool
	switch trigger {
	case '/', '@':
		starts = r == '_' || r < utf8.RuneSelf && (isASCIILetter(byte(r)) || isDigit(byte(r), 10))
	case '#':
		starts = hashtagChar(r)
	case '$':
		starts = r >= 'A' && r <= 'Z'
	default: // '.'
		starts = unicode.IsLetter(r)
	}
	if !starts || c.opaque > 0 {
		return 0
	}
	return 1 + 2*c.split
}

// mayStart reports whether the trigger r ("/", "@", "#", "$" or a dot),
// the character at text[i] in a part of text that starts at start, may
// start an entity there: a "/", "@", "#" or "$" after a character that is
// not a letter, digit or "_" (nor "/" or "<" before a command, "$" before
// a cashtag), a dot after one that is or "-". A character not known,
// after a tag or a character reference, may be either.
func mayStart(text string, start, i int, r rune) bool {
	var prev rune
	if i > start {
		prev, _ = utf8.DecodeLastRuneInString(text[start:i])
		if prev == '>' || prev == ';' {
			return true
		}
	}
	switch r {
	case '/':
		return !wordChar(prev) && prev != '/' && prev != '<'
	case '@':
		return !wordChar(prev)
	case '#':
		return !hashtagChar(prev)
	case '$':
		return !hashtagChar(prev) && prev != '$'
	}
	return wordChar(prev) || prev == '-' // '.'
}

// wordChar reports whether r is a letter, a number or "_".
func wordChar(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || isASCIILetter(byte(r)) || isDigit(byte(r), 10)
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// hashtagChar reports whether r may be part of a hashtag.
func hashtagChar(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || isASCIILetter(byte(r)) || isDigit(byte(r), 10)
	}
	return r == 0x200c || r == 0xb7 || (r >= 0xd80 && r <= 0xdff) || unicode.IsLetter(r) || unicode.Is(unicode.Nd, r)
}

// Entities returns how many entities Telegram makes of text, a message in
// its HTML parse mode, counted as Split counts them: never fewer than
// Telegram makes. Past MaxEntities, Telegram shows the rest as plain text.
func Entities(text string) int {
	_, n := measure(text)
	return n
}

// measure returns the width of text as Split measures it, in UTF-16 code
// units of the text after entity parsing, tags not counted, and how many
// entities it makes (see Entities).
func measure(text string) (width, entities int) {
	var c entityCount
	var open []tag
	var trigger rune // see Split
	var triggerAt int
	for i := 0; i < len(text); {
		t := nextToken(text[i:])
		switch t.kind {
		case textToken:
			width += utf16.RuneLen(t.r)
			if trigger != 0 {
				if e := c.startCost(trigger, t.r); e > 0 && mayStart(text, 0, triggerAt, trigger) {
					c.n += e
				}
			}
			trigger = 0
			switch t.r {
			case '/', '@', '#', '$', '.':
				trigger, triggerAt = t.r, i
			}
		case openTag:
			open = t.apply(open)
			class := open[len(open)-1].class
			c.n += c.openCost(class)
			c.opened(class)
		case closeTag:
			open = t.apply(open)
			c.closed(open)
		}
		i += len(t.raw)
	}
	return width, c.n
}
