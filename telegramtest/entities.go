package telegramtest

import (
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// MaxEntities is the most entities Telegram keeps in one message or
// caption. It accepts a text that makes more, but shows every entity past
// the 100th as plain text (rubenlagus/TelegramBots#854,
// tdlib/telegram-bot-api#820), which the fake records (FormattingLosses).
const MaxEntities = 100

// The fake counts the entities a text carries as Telegram makes them,
// erring on the side of more:
//
//   - each formatting entity of parse_mode HTML or of the explicit
//     entities counts;
//   - a bold, italic, underline, strikethrough or spoiler entity counts
//     once and once more for each border of another kind of entity (a
//     link, code, a mention...) inside it, because Telegram cuts it there
//     into pieces (tdlib's split_entities);
//   - the entities Telegram finds in the text by itself count too, and cut
//     the entities around them likewise: bot commands, mentions, hashtags
//     and cashtags by Telegram's rules, and links and e-mail addresses
//     roughly, as any "name.tld" with a top-level domain of two letters or
//     more, known or not; those inside a link, code or custom emoji are
//     not found, as on Telegram. They are counted only, not added to the
//     message's entities.
//
// The fake does not merge pieces that touch nor drop pieces with nothing
// but spaces, and an entity found by itself that crosses the border of a
// bold (or italic...) one does not cut it.

// splittable reports whether Telegram cuts entities of type t around the
// entities of other types inside them.
func splittable(t string) bool {
	switch t {
	case "bold", "italic", "underline", "strikethrough", "spoiler":
		return true
	}
	return false
}

// span is the range of an entity, in UTF-16 code units.
type span struct{ start, end int }

// entityCosts returns how many entities Telegram makes of each of
// entities, in text, and the spans of the entities it finds in text by
// itself, each of which makes one more.
func entityCosts(text string, entities []tgbotapi.MessageEntity) ([]int, []span) {
	var walls []span // the entities that cut splittable ones
	var opaque []span
	for _, e := range entities {
		if splittable(e.Type) {
			continue
		}
		s := span{e.Offset, e.Offset + e.Length}
		walls = append(walls, s)
		if e.Type != "blockquote" && e.Type != "expandable_blockquote" {
			opaque = append(opaque, s)
		}
	}
	found := foundEntities(text, opaque)
	costs := make([]int, len(entities))
	for i, e := range entities {
		costs[i] = 1
		if !splittable(e.Type) {
			continue
		}
		start, end := e.Offset, e.Offset+e.Length
		cuts := map[int]bool{}
		for _, w := range walls {
			for _, p := range [2]int{w.start, w.end} {
				if start < p && p < end {
					cuts[p] = true
				}
			}
		}
		for _, f := range found {
			if start <= f.start && f.end <= end {
				for _, p := range [2]int{f.start, f.end} {
					if start < p && p < end {
						cuts[p] = true
					}
				}
			}
		}
		costs[i] += len(cuts)
	}
	return costs, found
}

// limitEntities keeps the entities of text, sorted by offset, that come
// within the first MaxEntities entities Telegram makes (see entityCosts),
// and returns them with the number of entities Telegram makes in all.
func limitEntities(text string, entities []tgbotapi.MessageEntity) ([]tgbotapi.MessageEntity, int) {
	costs, found := entityCosts(text, entities)
	total := len(found)
	for _, c := range costs {
		total += c
	}
	if total <= MaxEntities {
		return entities, total
	}
	order := make([]int, len(entities))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return entities[order[a]].Offset < entities[order[b]].Offset })
	used, f := 0, 0
	var kept []tgbotapi.MessageEntity
	for _, i := range order {
		e := entities[i]
		for ; f < len(found) && found[f].start < e.Offset; f++ {
			used++
		}
		if used+costs[i] > MaxEntities {
			break
		}
		used += costs[i]
		kept = append(kept, e)
	}
	return kept, total
}

// foundEntities returns the spans of the entities Telegram finds in text
// by itself (see entityCosts), sorted and not overlapping, leaving out
// those that overlap one of opaque.
func foundEntities(text string, opaque []span) []span {
	if !strings.ContainsAny(text, "/@#$.") {
		return nil // the switch below finds no entity without one of them
	}
	sc := scratches.Get().(*scratch)
	defer scratches.Put(sc)
	runes, offsets := sc.runes[:0], append(sc.offsets[:0], 0) // offsets: UTF-16 offset of each rune
	for _, r := range text {
		runes = append(runes, r)
		offsets = append(offsets, offsets[len(offsets)-1]+runeUTF16Len(r))
	}
	sc.runes, sc.offsets = runes, offsets
	var found []span
	for i, r := range runes {
		var end int
		switch r {
		case '/':
			end = botCommandEnd(runes, i)
		case '@':
			end = mentionEnd(runes, i)
		case '#':
			end = hashtagEnd(runes, i)
		case '$':
			end = cashtagEnd(runes, i)
		case '.':
			if start, e := domainSpan(runes, i); e > 0 {
				found = append(found, span{offsets[start], offsets[e]})
			}
			continue
		}
		if end > 0 {
			found = append(found, span{offsets[i], offsets[end]})
		}
	}
	sort.SliceStable(found, func(a, b int) bool { return found[a].start < found[b].start })
	var out []span
	for _, f := range found {
		if len(out) > 0 && f.start < out[len(out)-1].end || overlaps(f, opaque) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// scratch holds the buffers foundEntities reads a text into, kept in
// scratches between calls: the fake reads every message it accepts.
type scratch struct {
	runes   []rune
	offsets []int
}

// scratches are the scratch buffers not in use.
var scratches = sync.Pool{New: func() any { return new(scratch) }}

// overlaps reports whether s shares a code unit with one of spans.
func overlaps(s span, spans []span) bool {
	for _, o := range spans {
		if s.start < o.end && o.start < s.end {
			return true
		}
	}
	return false
}

// wordChar reports whether r is a letter, a number or "_" (tdlib's
// is_word_character).
func wordChar(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) }

// hashtagChar reports whether r may be part of a hashtag (tdlib's
// is_hashtag_letter).
func hashtagChar(r rune) bool {
	return r == '_' || r == 0x200c || r == 0xb7 || (r >= 0xd80 && r <= 0xdff) || unicode.IsLetter(r) || unicode.Is(unicode.Nd, r)
}

// asciiWordChar reports whether r is an ASCII letter, digit or "_".
func asciiWordChar(r rune) bool { return r < utf8.RuneSelf && isASCIIAlnum(byte(r)) || r == '_' }

// at returns runes[i], or 0 past either end.
func at(runes []rune, i int) rune {
	if i < 0 || i >= len(runes) {
		return 0
	}
	return runes[i]
}

// run returns the end of the run of runes from i on that ok accepts, at
// most max long.
func run(runes []rune, i, max int, ok func(rune) bool) int {
	end := i
	for end < len(runes) && end-i < max && ok(runes[end]) {
		end++
	}
	return end
}

// botCommandEnd returns the end of the bot command "/name" or
// "/name@bot" at runes[i], or 0 if there is none there.
func botCommandEnd(runes []rune, i int) int {
	if p := at(runes, i-1); wordChar(p) || p == '/' || p == '<' || p == '>' {
		return 0
	}
	end := run(runes, i+1, 65, asciiWordChar)
	if n := end - i - 1; n < 1 || n > 64 {
		return 0
	}
	if at(runes, end) == '@' {
		bot := run(runes, end+1, 33, asciiWordChar)
		if n := bot - end - 1; n < 3 || n > 32 {
			return 0
		}
		end = bot
	}
	if n := at(runes, end); wordChar(n) || n == '/' || n == '<' || n == '>' {
		return 0
	}
	return end
}

// mentionEnd returns the end of the mention "@username" at runes[i], or 0.
func mentionEnd(runes []rune, i int) int {
	if wordChar(at(runes, i-1)) {
		return 0
	}
	end := run(runes, i+1, 33, asciiWordChar)
	if n := end - i - 1; n < 2 || n > 32 || wordChar(at(runes, end)) {
		return 0
	}
	return end
}

// hashtagEnd returns the end of the hashtag at runes[i], or 0.
func hashtagEnd(runes []rune, i int) int {
	if hashtagChar(at(runes, i-1)) {
		return 0
	}
	end := run(runes, i+1, len(runes), hashtagChar)
	letter := false
	for _, r := range runes[i+1 : end] {
		letter = letter || unicode.IsLetter(r)
	}
	if end == i+1 || !letter || at(runes, end) == '#' {
		return 0
	}
	return end
}

// cashtagEnd returns the end of the cashtag "$ABC" at runes[i], or 0.
func cashtagEnd(runes []rune, i int) int {
	if p := at(runes, i-1); hashtagChar(p) || p == '$' {
		return 0
	}
	end := run(runes, i+1, 9, func(r rune) bool { return r >= 'A' && r <= 'Z' })
	if n := end - i - 1; n < 1 || n > 8 {
		return 0
	}
	if n := at(runes, end); hashtagChar(n) || n == '$' {
		return 0
	}
	return end
}

// urlChar reports whether r may be part of a link or an e-mail address
// the fake finds, besides its letters and digits.
func urlChar(r rune) bool {
	switch r {
	case '-', '_', '.', '/', '@', ':', '%', '~', '+', '=', '&', '?', '#':
		return true
	}
	return wordChar(r)
}

// domainSpan returns the link or e-mail address around the dot at
// runes[i] when the dot ends a name (a letter, digit, "_" or "-" before it)
// and starts a top-level domain of two letters or more, or else end 0.
// The link runs over the characters around it that links have, but for
// punctuation at its end.
func domainSpan(runes []rune, i int) (start, end int) {
	if p := at(runes, i-1); !wordChar(p) && p != '-' {
		return 0, 0
	}
	if run(runes, i+1, 2, unicode.IsLetter)-i-1 < 2 {
		return 0, 0
	}
	start = i
	for start > 0 && urlChar(runes[start-1]) {
		start--
	}
	end = run(runes, i+1, len(runes), urlChar)
	for end > i+1 && !wordChar(runes[end-1]) && runes[end-1] != '/' {
		end--
	}
	return start, end
}

// FormattingLoss is a text the bot sent, in a message, an edit or a
// caption, that made more than MaxEntities entities, so that Telegram
// showed some of its formatting as plain text.
type FormattingLoss struct {
	// Method is the Bot API method that sent the text, ChatID and
	// MessageID the message it made or edited.
	Method    string
	ChatID    int64
	MessageID int
	// Entities is how many entities the text made (see MaxEntities).
	Entities int
	// HTML is the text as the bot sent it.
	HTML string
}

// lostLocked records a formatting loss, if the content of m that method
// just sent or edited made one.
func (s *Server) lostLocked(method string, c *chatState, m *message) {
	if m.content.count > MaxEntities {
		s.losses = append(s.losses, FormattingLoss{Method: method, ChatID: c.id, MessageID: m.id, Entities: m.content.count, HTML: m.content.raw})
	}
}

// FormattingLosses returns, oldest first, the texts the bot sent that lost
// formatting for making more than MaxEntities entities.
func (s *Server) FormattingLosses() []FormattingLoss {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]FormattingLoss(nil), s.losses...)
}

// TB is the part of testing.TB that FailOnFormattingLoss uses.
type TB interface {
	Helper()
	Cleanup(func())
	Errorf(format string, args ...any)
}

// FailOnFormattingLoss has the test t fail when it ends if the bot sent a
// text that lost formatting (see FormattingLosses), naming each. Called
// once the server is made, the check runs after whatever the test set to
// run at its end later, such as stopping the bot.
func (s *Server) FailOnFormattingLoss(t TB) {
	t.Helper()
	t.Cleanup(func() {
		for _, l := range s.FormattingLosses() {
			t.Errorf("telegramtest: %s in chat %d (message %d) made %d entities: Telegram shows those past the %dth as plain text:\n%s",
				l.Method, l.ChatID, l.MessageID, l.Entities, MaxEntities, l.HTML)
		}
	})
}
