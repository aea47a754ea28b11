package telegramtest_test

import (
	"fmt"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/telegramtest"
)

// boldLines returns n lines, each a bold number.
func boldLines(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "<b>%d</b>\n", i+1)
	}
	return b.String()
}

// A message of exactly 100 entities keeps them all; one of 101 is
// accepted, but its 101st entity is shown as plain text, and the fake
// records the loss.
func TestEntityLimit(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	g := srv.NewGroup("Team")
	send := func(text string) telegramtest.Message {
		t.Helper()
		mc := tgbotapi.NewMessage(g.ID, text)
		mc.ParseMode = tgbotapi.ModeHTML
		if _, err := bot.Send(mc); err != nil {
			t.Fatal(err)
		}
		m, _ := srv.LastMessage(g.ID)
		return m
	}

	if m := send(boldLines(100)); len(m.Entities) != 100 {
		t.Fatalf("100 bold lines kept %d entities", len(m.Entities))
	}
	if l := srv.FormattingLosses(); len(l) != 0 {
		t.Fatalf("100 entities recorded as lost: %+v", l)
	}

	m := send(boldLines(101))
	if len(m.Entities) != 100 || m.Entities[99].Offset != strings.Index(m.Text, "100") {
		t.Fatalf("101 bold lines kept %d entities, the last %+v", len(m.Entities), m.Entities[len(m.Entities)-1])
	}
	if !strings.HasSuffix(m.Text, "\n101") {
		t.Errorf("the 101st line lost its text: %q", m.Text[len(m.Text)-10:])
	}
	l := srv.FormattingLosses()
	if len(l) != 1 || l[0].Method != "sendMessage" || l[0].ChatID != g.ID || l[0].MessageID != m.ID || l[0].Entities != 101 || l[0].HTML != boldLines(101) {
		t.Fatalf("losses = %+v, want the 101 bold lines", l)
	}

	// An edit loses formatting the same way, and so does a caption.
	edit := tgbotapi.NewEditMessageText(g.ID, m.ID, boldLines(102))
	edit.ParseMode = tgbotapi.ModeHTML
	if _, err := bot.Send(edit); err != nil {
		t.Fatal(err)
	}
	doc := tgbotapi.NewDocument(g.ID, tgbotapi.FileBytes{Name: "a.txt", Bytes: []byte("a")})
	doc.Caption, doc.ParseMode = strings.Repeat("<i>x</i> ", 101), tgbotapi.ModeHTML
	if _, err := bot.Send(doc); err != nil {
		t.Fatal(err)
	}
	l = srv.FormattingLosses()
	if len(l) != 3 || l[1].Method != "editMessageText" || l[1].Entities != 102 || l[2].Method != "sendDocument" || l[2].Entities != 101 {
		t.Fatalf("losses = %+v, want the edit's and the caption's too", l)
	}
	if m, _ := srv.LastMessage(g.ID); len(m.Entities) != 100 {
		t.Errorf("the caption kept %d entities", len(m.Entities))
	}
}

// Telegram cuts a bold (or italic...) entity into pieces around the links,
// code and mentions inside it, and finds commands, mentions, hashtags and
// links in the text by itself: CountEntities counts all those entities.
func TestCountEntities(t *testing.T) {
	for text, want := range map[string]int{
		"plain text":                      0,
		"<b>Khối</b> &amp; <i>đơn vị</i>": 2,
		"<b>a</b><b></b>":                 1, // an empty tag makes nothing
		"<pre><code>x</code></pre>":       1,
		`<b>Đơn vị <a href="tg://user?id=1">Lan</a> ok</b>`: 4, // bold cut in three, and the link
		`<b><a href="https://t.me/x">Lan</a></b>`:           2, // nothing to cut at either end
		"<b>x <code>a</code> y <code>b</code> z</b>":        7,
		"gõ /report hoặc /help@thiduabot":                   2,
		"ngày 31/03, 1/2":                                   0,
		"@lan_tw, a@b, @x":                                  1,
		"#Quý1 #3 #a#b":                                     1,
		"$USD $usd":                                         1,
		"xem laocai.gov.vn, v.v. hay 1.500 hoặc TP.HCM":     2, // any two letters make a domain
		"<b>xem t.me/thiduabot nhé</b>":                     4,
		"<code>/report t.me/x</code>":                       1, // not found in code
		`<a href="https://t.me/x">t.me/x</a>`:               1,
	} {
		got, err := telegramtest.CountEntities(text)
		if err != nil || got != want {
			t.Errorf("CountEntities(%q) = %d, %v; want %d", text, got, err, want)
		}
	}
	if _, err := telegramtest.CountEntities("<b>x"); err == nil {
		t.Error("CountEntities accepted unbalanced HTML")
	}
}

// The entities Telegram finds by itself count towards the limit: the
// bold entities past them are the ones dropped.
func TestEntityLimitCountsFoundEntities(t *testing.T) {
	srv := newServer(t)
	u := srv.NewUser("Lan", "")
	text := strings.Repeat("/report ", 60) + strings.Repeat("<b>x</b> ", 50)
	mustOK(t, srv, "sendMessage", map[string][]string{"chat_id": {chatParam(u.ID)}, "text": {text}, "parse_mode": {"HTML"}})
	m, _ := srv.LastMessage(u.ID)
	if len(m.Entities) != 40 {
		t.Errorf("kept %d bold entities after 60 commands, want 40", len(m.Entities))
	}
	if l := srv.FormattingLosses(); len(l) != 1 || l[0].Entities != 110 {
		t.Errorf("losses = %+v, want one of 110 entities", l)
	}
}

// fakeT records what FailOnFormattingLoss does with a test.
type fakeT struct {
	cleanups []func()
	errors   []string
}

func (f *fakeT) Helper()           {}
func (f *fakeT) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }
func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

// FailOnFormattingLoss fails the test at its end for each text that lost
// formatting, and not at all when none did.
func TestFailOnFormattingLoss(t *testing.T) {
	srv := newServer(t)
	u := srv.NewUser("Lan", "")
	var ft fakeT
	srv.FailOnFormattingLoss(&ft)
	if len(ft.cleanups) != 1 || len(ft.errors) != 0 {
		t.Fatalf("FailOnFormattingLoss: %d cleanups, errors %q", len(ft.cleanups), ft.errors)
	}
	ft.cleanups[0]()
	if len(ft.errors) != 0 {
		t.Fatalf("no message, yet errors %q", ft.errors)
	}
	mustOK(t, srv, "sendMessage", map[string][]string{"chat_id": {chatParam(u.ID)}, "text": {boldLines(100)}, "parse_mode": {"HTML"}})
	mustOK(t, srv, "sendMessage", map[string][]string{"chat_id": {chatParam(u.ID)}, "text": {boldLines(120)}, "parse_mode": {"HTML"}})
	ft.cleanups[0]()
	if len(ft.errors) != 1 || !strings.Contains(ft.errors[0], "sendMessage in chat") || !strings.Contains(ft.errors[0], "(message 2) made 120 entities") {
		t.Errorf("errors = %q, want one for the second message", ft.errors)
	}
}
