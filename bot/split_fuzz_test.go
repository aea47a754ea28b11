package bot

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"thiduabot/telegramtest"
)

// FuzzSplitAccepted checks Split against the fake Bot API's own HTML parser
// (FuzzSplit checks it against Split's tokenizer): any text Telegram would
// accept but for its length is cut into parts Telegram accepts, well-formed,
// none empty, none longer than MaxMessageLen and none making more entities
// than Telegram keeps, as the fake counts them. The texts are the input as
// it comes, and the input escaped, its lines in turn bold, italic with a
// mention, and linked, repeated up to 255 times, as the bot's long messages
// are made; the lines, two to an item, are split as items too
// (SplitItems).
func FuzzSplitAccepted(f *testing.F) {
	for _, s := range []string{
		"Khối thi đua", "<b>Hội Nông dân</b> &amp; Tỉnh Đoàn", "a\nb\n\nc", "🏆👨‍👩‍👧 x",
		"<a href=\"tg://user?id=1\">Lan</a>", "e\u0301\u0302 ", "<pre>x\ny</pre>", "&lt;&gt;", "\u00a0 \n \t",
		"<b>Đơn vị <a href=\"tg://user?id=1\">Lan</a>, <code>/done 1</code></b>", "gõ /report, @lan_tw #Quý1 $USD t.me/x",
		`<b>x <a y<z="1">2</a>3</b>`, // a '<' in an attribute's name, which Telegram reads as part of it
	} {
		f.Add(s, uint8(1))
		f.Add(s, uint8(200))
	}
	f.Fuzz(func(t *testing.T, s string, times uint8) {
		if !utf8.ValidString(s) {
			return // Telegram's texts are UTF-8, and so are the bot's
		}
		if err := telegramtest.ValidateHTML(s); err == nil || strings.HasSuffix(err.Error(), "message is too long") {
			checkParts(t, strings.Repeat(s+"\n", int(times)))
		}
		lines := strings.Split(Escape(s), "\n")
		for i, l := range lines {
			switch i % 4 {
			case 1:
				lines[i] = "<b>" + l + "</b>"
			case 2:
				lines[i] = "• <i>" + l + "</i> — " + Mention(int64(i), s, "")
			case 3:
				lines[i] = `<a href="https://t.me/thiduabot">` + l + "</a>"
			}
		}
		checkParts(t, strings.Repeat(strings.Join(lines, "\n")+"\n", int(times)))
		checkItems(t, lines, int(times))
	})
}

// checkItems fails unless every part SplitItems makes of the lines,
// repeated times times, two lines an item, is a message Telegram accepts
// and shows with all its formatting, and the parts make the text of the
// items again.
func checkItems(t *testing.T, lines []string, times int) {
	t.Helper()
	var items []string
	for range times {
		for i := 0; i < len(lines); i += 2 {
			items = append(items, strings.Join(lines[i:min(i+2, len(lines))], "\n"))
		}
	}
	parts := SplitItems(items, MaxMessageLen)
	for i, p := range parts {
		if err := keepsAll(p, lines...); err != nil {
			t.Fatalf("part %d of the items %q: %v:\n%q", i, items, err, p)
		}
	}
	if got, want := textTokens(strings.Join(parts, ""), true), textTokens(strings.Join(items, "\n"), true); strings.Join(got, "") != strings.Join(want, "") {
		t.Fatalf("the parts of the items lose text:\n got %q\nwant %q", got, want)
	}
}

// checkParts fails unless every part Split makes of text is a message
// Telegram accepts and shows with all its formatting.
func checkParts(t *testing.T, text string) {
	t.Helper()
	for i, p := range Split(text, MaxMessageLen) {
		if err := keepsAll(p, text); err != nil {
			t.Fatalf("part %d of %q: %v:\n%q", i, text, err, p)
		}
	}
}

// keepsAll returns nil if Telegram accepts part, a part of text, and keeps
// all its entities as the fake counts them (telegramtest.CountEntities),
// which Split must manage unless text nests tags deeper than shallow.
func keepsAll(part string, text ...string) error {
	n, err := telegramtest.CountEntities(part)
	if err != nil {
		return err
	}
	if n > telegramtest.MaxEntities && depth(strings.Join(text, "")) <= shallow {
		return fmt.Errorf("%d entities, of which Telegram keeps %d", n, telegramtest.MaxEntities)
	}
	return nil
}
