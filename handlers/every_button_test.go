package handlers_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"thiduabot/handlers"
	"thiduabot/telegramtest"
)

// The guard over every button: each kind of button the router registers is
// put on a message, on a block in the middle of its year and at its end,
// and pressed by people it is not for. The press must be answered,
// politely, in Vietnamese, without the dispatcher's apology, and leave the
// block as it was.

// buttonCase is a message with buttons and who may not press them.
type buttonCase struct {
	what string
	msg  telegramtest.Message
	// chat is where the message is.
	chat *telegramtest.Chat
	// not are the people each of its buttons must refuse.
	not []*telegramtest.User
}

func TestEveryButtonRefusesPoliteNotFails(t *testing.T) {
	c := newMidYearCast(t)
	khach := c.member("Khách", "")
	g := &guardRun{midYearCast: c, t: t}
	pressed := map[string]bool{}
	// add presses each button of m, at once, as each of not.
	add := func(what string, m telegramtest.Message, not ...*telegramtest.User) {
		t.Helper()
		if len(m.Buttons) == 0 {
			t.Fatalf("%s: the message has no buttons: %q", what, m.Text)
		}
		bc := buttonCase{what: what, msg: m, chat: c.group, not: not}
		for _, row := range m.Buttons {
			for _, b := range row {
				if b.Data == "" {
					continue
				}
				pressed[strings.SplitN(b.Data, ":", 2)[0]] = true
				for _, who := range not {
					g.pressRefused(bc, who, b)
				}
			}
		}
	}
	// find returns the latest message that says want, with buttons unless
	// any.
	find := func(want string, any bool) telegramtest.Message {
		t.Helper()
		msgs := c.tg.Messages(c.group.ID)
		for i := len(msgs) - 1; i >= 0; i-- {
			if (any || len(msgs[i].Buttons) > 0) && strings.Contains(msgs[i].Text, want) {
				return msgs[i]
			}
		}
		t.Fatalf("no message says %q", want)
		return telegramtest.Message{}
	}

	add("the covenant", find("GIAO ƯỚC THI ĐUA NĂM 2026", false), c.hoa, khach)
	add("the ballot", find("Bầu Khối phó", false), c.hoa, khach)
	add("Minh's submitted list", find("gửi danh sách đăng ký", false), c.hoa, c.lan, c.binh)

	picker := c.say(c.group, c.hoa, "/join")
	// Anyone who represents no unit may pick from the list (it asks
	// "the unit you represent"): a representative may not.
	add("Hoa's unit picker", picker, c.lan)
	c.press(c.group, c.hoa, picker, picker.Buttons[1][0].Data)
	add("Hoa's join request", find("xin làm đầu mối", false), c.hoa, c.lan, khach)

	add("deleting a period", c.say(c.group, c.admin, "/period delete Quý I"), c.hoa, c.lan, khach)
	add("reminding now", c.say(c.group, c.admin, "/remindnow"), c.hoa, c.lan, khach)
	draft := c.say(c.group, c.lan, "/report 9 tháng")
	add("Lan's step-by-step report", draft, c.hoa, c.binh, c.minh, khach)
	// Once Lan has answered a pledge, the administrator starting the unit's
	// report over hers is asked first; nobody else answers the question.
	c.press(c.group, c.lan, draft, draft.Buttons[0][0].Data)
	add("replacing Lan's step-by-step report", c.say(c.group, c.admin, "/report #3 9 tháng"), c.hoa, c.lan, c.minh, khach)

	confirm := find("Đã ghi báo cáo", true)
	c.handled(c.tg.SendPhoto(c.group, c.lan, &confirm, pngBytes(t), "Ảnh khởi công"))
	// A unit's evidence is sent again to its representatives and the
	// managers only.
	add("Lan's evidence", c.say(c.group, c.lan, "/myreport 6 tháng"), c.hoa)

	// The year's end: the deputy elected, then asked for again; a unit's
	// removal, which waited for the election; the turn of the year.
	dung := c.member("Dũng", "")
	c.join(dung, "Liên đoàn Lao động tỉnh")
	ballot := find("Bầu Khối phó", false)
	for _, voter := range []*telegramtest.User{c.lan, c.minh, c.binh, dung} {
		c.press(c.group, voter, ballot, ballot.Buttons[0][0].Data)
	}
	expect(t, c.say(c.group, c.admin, "/closevote").Text, "trúng cử")
	add("electing the deputy again", c.say(c.group, c.admin, "/elect khoipho"), c.hoa, c.lan, khach)
	add("removing a unit", c.say(c.group, c.admin, "/removeunit 2"), c.hoa, c.lan, khach)
	c.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	add("the turn of the year", c.say(c.group, c.admin, "/newyear"), c.hoa, c.lan, khach)

	var missed []string
	for _, p := range handlers.CallbackPrefixes() {
		if !pressed[p] {
			missed = append(missed, p)
		}
	}
	sort.Strings(missed)
	if len(missed) > 0 {
		t.Errorf("buttons of prefixes %v were not pressed: give them a case", missed)
	}
}

// pressRefused presses button b of the case's message as who, and fails the
// test unless the bot answered the press, in Vietnamese, without its
// apology, and the block is as it was.
func (g *guardRun) pressRefused(bc buttonCase, who *telegramtest.User, b telegramtest.Button) {
	t := g.t
	t.Helper()
	g.version = g.midYearCast.version(t)
	said := len(g.tg.Messages(bc.chat.ID))
	a := g.press(bc.chat, who, bc.msg, b.Data)
	t.Logf("%s: %s presses «%s» → %q (alert %v)", bc.what, who.FirstName, b.Text, a.Text, a.ShowAlert)
	texts := []string{a.Text}
	for _, m := range g.tg.Messages(bc.chat.ID)[said:] {
		t.Logf("  and the bot said: %s", m.Text)
		texts = append(texts, m.Text)
	}
	for _, s := range texts {
		if strings.Contains(s, "đã có lỗi khi xử lý") {
			t.Errorf("%s: %s pressed «%s»: the bot failed and apologised", bc.what, who.FirstName, b.Text)
		}
	}
	if !vietnamese.MatchString(a.Text) {
		t.Errorf("%s: %s pressed «%s»: the answer is not a Vietnamese explanation: %q", bc.what, who.FirstName, b.Text, a.Text)
	}
	if v := g.midYearCast.version(t); v != g.version {
		t.Errorf("%s: %s pressed «%s»: the block changed (version %d → %d)", bc.what, who.FirstName, b.Text, g.version, v)
	}
}
