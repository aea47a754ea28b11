package bot

import (
	"fmt"
	"strings"
	"testing"

	"thiduabot/telegramtest"
)

// Entities counts as the fake Bot API does, or more where telegramtest
// knows better (a domain it does not take, two tags over the same text):
// never fewer.
func TestEntitiesCountsAtLeastAsTelegram(t *testing.T) {
	for text, want := range map[string]int{
		"plain text":                                        0,
		"<b>Khối</b> &amp; <i>đơn vị</i>":                   2,
		"<pre><code>x</code></pre>":                         2, // telegramtest: 1
		`<b>Đơn vị <a href="tg://user?id=1">Lan</a> ok</b>`: 4,
		"<b>x <code>a</code> y <code>b</code> z</b>":        7,
		"gõ /report hoặc /help@thiduabot":                   2,
		"ngày 31/03, 1/2":                                   0,
		"@lan_tw, a@b, @x":                                  2, // telegramtest: 1, "@x" being too short
		"#Quý1 #3":                                          2, // telegramtest: 1, "#3" having no letter
		"xem laocai.gov.vn, v.v. hay 1.500":                 3, // telegramtest: 1
		"<b>xem t.me/thiduabot nhé</b>":                     4,
		"<code>/report t.me/x</code>":                       1,
		"<b>x</b>/report":                                   2, // after a tag, a command may start
		"&amp;/report":                                      1,
		// A quote in an attribute's name opens no value: the tag ends at
		// its '>', and the code after it is counted (found by fuzzing).
		`<b>x <a "0="1">2</a>3<code>4</code></b>`: 7,
	} {
		if got := Entities(text); got != want {
			t.Errorf("Entities(%q) = %d, want %d", text, got, want)
		}
		if fake, err := telegramtest.CountEntities(text); err != nil || fake > Entities(text) {
			t.Errorf("telegramtest counts %d entities in %q (%v), Entities %d", fake, text, err, Entities(text))
		}
	}
}

// Split ends a part before it would make more than MaxEntities entities,
// at a line end where it can, else after a space; each part keeps all its
// formatting on the fake Bot API, and all the text is still there.
func TestSplitKeepsEntityLimit(t *testing.T) {
	lines := func(n int, line string) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, line+"\n", i+1)
		}
		return b.String()
	}
	for _, tc := range []struct {
		name, text string
		parts      int
	}{
		{"100 bold lines", lines(100, "<b>%d</b>"), 1},
		{"101 bold lines", lines(101, "<b>%d</b>"), 2},
		{"a line of 150 italic words", strings.Repeat("<i>x</i> ", 150), 2},
		{"a bold line cut by 40 links", "<b>" + strings.Repeat(`<a href="tg://user?id=1">Lan</a> `, 40) + "</b>", 2},
		{"120 commands", strings.Repeat("/report ", 120), 2},
		{"a reminder of 40 units", lines(40, `• <b>Đơn vị %d</b> — <a href="tg://user?id=1">An</a>, <a href="tg://user?id=2">Bình</a>`), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chunks := checkSplit(t, tc.text, MaxMessageLen)
			if len(chunks) != tc.parts {
				t.Errorf("%d parts, want %d", len(chunks), tc.parts)
			}
			for i, c := range chunks {
				if n, err := telegramtest.CountEntities(c); err != nil || n > telegramtest.MaxEntities {
					t.Errorf("part %d makes %d entities (%v): %q", i, n, err, c)
				}
				if i < len(chunks)-1 && strings.Contains(tc.text, "\n") && !strings.HasSuffix(c, "\n") {
					t.Errorf("part %d does not end a line: %q", i, c[max(0, len(c)-40):])
				}
			}
		})
	}
}

// SplitItems ends a chunk between items when the next would take it past
// MaxEntities, however short the items are.
func TestSplitItemsKeepsEntityLimit(t *testing.T) {
	items := make([]string, 60)
	for i := range items {
		items[i] = fmt.Sprintf("<b>%d.</b> <i>Hoa</i>", i+1)
	}
	chunks := SplitItems(items, MaxMessageLen)
	if len(chunks) != 2 || !strings.HasPrefix(chunks[1], "<b>51.</b>") {
		t.Fatalf("chunks = %q", chunks)
	}
	for i, c := range chunks {
		if n := Entities(c); n > MaxEntities {
			t.Errorf("chunk %d makes %d entities", i, n)
		}
	}
}
