package handlers_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"thiduabot/handlers"
	"thiduabot/telegramtest"
)

// The guard over what people type: every string a user controls (the
// names of people, units and the block, pledges and their targets, report
// notes, scores' notes, reasons, periods, deadlines, the covenant's
// slogan, award names, nominees' positions and achievements, evidence
// file names and captions) is made markup,
// then every command is sent and every button pressed; the bot's calls
// must show it as typed: never as markup in an HTML text, never escaped
// twice, never escaped in a plain text (a button's label or alert, a
// file's caption).

// hostile is markup of kinds the bot never writes itself (underline,
// strikethrough, a link to a web page), with the characters HTML escapes.
const hostile = `<u>U</u><s>S</s><a href="https://evil.example/">E</a> & "q" 'a' >`

// injected finds what shows hostile unescaped in an HTML text.
var injected = []string{"<u>", "<s>", "evil.example/\""}

// escapedTwice finds HTML escapes escaped again in an HTML text, which
// users see as "&lt;".
var escapedTwice = []string{"&amp;lt;", "&amp;gt;", "&amp;amp;", "&amp;quot;", "&amp;#"}

// escapedPlain finds HTML escapes in a plain text, which users see as
// they are.
var escapedPlain = []string{"&lt;", "&gt;", "&amp;", "&quot;", "&#"}

func TestHostileTextStaysText(t *testing.T) {
	c := newMidYearCast(t)
	people := []*telegramtest.User{c.admin, c.lan, c.minh, c.binh, c.hoa}
	for _, u := range people {
		if u != c.lan {
			c.handled(c.tg.SendPrivate(u, "/start"))
		}
		c.tg.Rename(u, u.FirstName+hostile, hostile, u.UserName)
	}
	b := c.stored(t)
	for i, u := range b.Units {
		c.say(c.group, c.admin, fmt.Sprintf("/renameunit %d | %s %s", i+1, u.Name, hostile))
	}
	steps := []struct {
		who  *telegramtest.User
		text string
	}{
		{c.admin, "/setup Khối " + hostile},
		{c.binh, "/pledge Tuyên truyền " + hostile + " | 5 buổi " + hostile},
		{c.binh, "/submit"},
		{c.admin, "/return 1 | Lý do " + hostile},
		{c.admin, "/deadline 30/07/2026 | Hạn " + hostile},
		{c.minh, "/period Kỳ " + hostile + " | 30/10"},
		{c.minh, "/criteria add Tiêu chí " + hostile + " | 10"},
		{c.lan, "/report 6 tháng\n1 48 ghi chú " + hostile + "\n2 36%"},
	}
	for _, s := range steps {
		c.say(c.group, s.who, s.text)
	}
	confirm, _ := c.tg.LastMessage(c.group.ID)
	c.handled(c.tg.SendDocument(c.group, c.lan, &confirm, "tệp "+hostile+".pdf", []byte("%PDF-1.4"), "chú thích "+hostile))
	for _, s := range []struct {
		who  *telegramtest.User
		text string
	}{
		{c.lan, "/selfscore\n1 30 tự chấm " + hostile},
		{c.admin, "/score #3\n1 20 chấm " + hostile},
		{c.minh, "/covenant Khẩu hiệu " + hostile + " | 31/07/2026"},
		{c.admin, "/award Cờ " + hostile + " | 3"},
		{c.lan, "/dienhinh\nNguyễn Thị Hoa | Chuyên viên " + hostile + " | Thành tích " + hostile},
		{c.lan, "/report 9 tháng"},
		{c.admin, "/remindnow"},
	} {
		c.say(c.group, s.who, s.text)
	}
	if b := c.stored(t); !strings.Contains(b.Name, hostile) || !strings.Contains(b.Units[0].Name, hostile) || !strings.Contains(b.RepOf(c.lan.ID).Name, hostile) {
		t.Fatalf("the names were not taken: %q, %q, %q", b.Name, b.Units[0].Name, b.RepOf(c.lan.ID).Name)
	}

	for _, cmd := range handlers.Commands() {
		for _, text := range []string{"/" + cmd.Name, cmd.Example} {
			if text == "" || cmd.Name == "newyear" || cmd.Name == "removeunit" {
				continue
			}
			for _, u := range []*telegramtest.User{c.admin, c.lan} {
				c.handled(c.tg.Send(c.group, u, text))
			}
		}
	}
	c.handled(c.tg.Send(c.group, c.admin, "/history 500"))
	// Every button of the bot's messages, pressed by Lan, then by the
	// administrator: what they bring up, and what they refuse.
	for _, u := range []*telegramtest.User{c.lan, c.admin} {
		for _, m := range c.tg.Messages(c.group.ID) {
			for _, row := range m.Buttons {
				for _, btn := range row {
					if btn.Data == "" || strings.HasPrefix(btn.Data, "ru:") || strings.HasPrefix(btn.Data, "ny:") {
						continue
					}
					if up, err := c.tg.Press(c.group, u, &m, btn.Data); err == nil {
						c.handled(up)
					}
				}
			}
		}
	}
	c.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	c.handled(c.tg.Send(c.group, c.admin, "/newyear"))
	c.handled(c.tg.Send(c.group, c.admin, "/removeunit 2"))

	for _, r := range c.tg.Requests("") {
		what := r.Method
		for _, field := range []string{"text", "caption"} {
			s := r.Params.Get(field)
			if s == "" {
				continue
			}
			bad := escapedPlain
			if strings.EqualFold(r.Params.Get("parse_mode"), "HTML") {
				bad = slices.Concat(injected, escapedTwice)
			}
			for _, b := range bad {
				if strings.Contains(s, b) {
					t.Errorf("%s %s shows %q: %q", what, field, b, s)
					break
				}
			}
		}
		if r.Status >= 400 && !strings.Contains(r.Description, "message is not modified") {
			t.Errorf("Telegram refused %s (%s): %q", what, r.Description, shortText(r.Params.Get("text")+r.Params.Get("caption")))
		}
	}
	chats := []*telegramtest.Chat{c.group}
	for _, u := range people {
		chats = append(chats, c.tg.PrivateChat(u))
	}
	for _, chat := range chats {
		for _, m := range c.tg.Messages(chat.ID) {
			for _, row := range m.Buttons {
				for _, btn := range row {
					for _, b := range escapedPlain {
						if strings.Contains(btn.Text, b) {
							t.Errorf("a button's label shows %q: %q", b, btn.Text)
							break
						}
					}
				}
			}
		}
	}
	for _, a := range c.tg.CallbackAnswers() {
		for _, b := range escapedPlain {
			if strings.Contains(a.Text, b) {
				t.Errorf("an alert shows %q: %q", b, a.Text)
				break
			}
		}
	}
}
