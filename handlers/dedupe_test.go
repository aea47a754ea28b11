package handlers_test

import "testing"

// A button press Telegram delivers again after the bot stopped before
// confirming it is skipped: the approval is not applied twice, the press is
// not answered again, and the group hears nothing more.
func TestPressDeliveredTwiceIsHandledOnce(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	lan := h.member("Lan", "lan")
	h.say(h.group, lan, "/join Tỉnh Đoàn")
	ask, _ := h.tg.LastMessage(h.group.ID)
	u, err := h.tg.Press(h.group, h.admin, &ask, ask.Buttons[0][0].Data)
	if err != nil {
		t.Fatal(err)
	}
	h.handled(u)
	before := len(h.tg.Messages(h.group.ID))
	h.redeliver(u)
	h.say(h.group, h.admin, "/units")
	if n := len(h.tg.Messages(h.group.ID)); n != before+1 {
		t.Errorf("%d messages after the redelivery and /units, want %d", n, before+1)
	}
	answers := 0
	for _, a := range h.tg.CallbackAnswers() {
		if a.QueryID == u.CallbackQueryID {
			answers++
		}
	}
	if answers != 1 {
		t.Errorf("the press was answered %d times, want once", answers)
	}
	if n := len(h.block().Reps); n != 1 {
		t.Errorf("%d representatives, want 1", n)
	}
}

// In a private chat, where there is no block to read, the check is a
// round trip of its own, and a redelivered command is not answered twice.
func TestPrivateCommandDeliveredTwiceIsAnsweredOnce(t *testing.T) {
	h := newHarness(t)
	lan := h.tg.NewUser("Lan", "lan")
	u := h.tg.SendPrivate(lan, "/help")
	h.handled(u)
	h.redeliver(u)
	private := h.tg.PrivateChat(lan)
	h.say(private, lan, "/start")
	if n := len(h.tg.Messages(private.ID)); n != 2 {
		t.Errorf("%d answers in private to /help (redelivered) and /start, want 2", n)
	}
}

// A /pledge refused, and so remembered as handled, is not applied when
// Telegram delivers it again after the refusal no longer holds (the
// representative sent it again once registration opened): the pledge,
// which runs on the cached block without the first read, has its write
// check the update's mark.
func TestRefusedPledgeRedeliveredIsSkipped(t *testing.T) {
	c := newRegCast(t)
	u := c.tg.Send(c.group, c.lan, "/pledge Vận động xây 50 nhà | 50 nhà | 30/11/2026")
	c.handled(u)
	m, _ := c.tg.LastMessage(c.group.ID)
	expect(t, m.Text, "Đăng ký thi đua chưa mở")
	c.open()
	expect(t, c.say(c.group, c.lan, "/pledge Vận động xây 50 nhà | 50 nhà | 30/11/2026").Text, "Đã ghi 1 nội dung")
	before := len(c.tg.Messages(c.group.ID))
	c.redeliver(u)
	if n := len(c.tg.Messages(c.group.ID)); n != before {
		last, _ := c.tg.LastMessage(c.group.ID)
		t.Errorf("the redelivered /pledge was answered again: %q", last.Text)
	}
	if n := len(c.unit(3).Pledges); n != 1 {
		t.Errorf("unit 3 has %d pledges %q, want 1", n, c.titles(3))
	}
}

// A ballot press refused (the presser represented no unit) is not applied
// when Telegram delivers it again after the presser became a
// representative: it would replace the unit's ballot that its other
// representative cast meanwhile, unseen.
func TestRefusedPressRedeliveredIsSkipped(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	expect(t, h.say(h.group, h.admin, "/elect khoitruong").Text, "Đã bỏ phiếu: 0/7")
	hoa := h.member("Hoa", "hoa")
	b := h.ballot()
	u, err := h.tg.Press(h.group, hoa, &b, button(t, b, unitNames[0]))
	if err != nil {
		t.Fatal(err)
	}
	h.handled(u)
	a, _ := h.tg.AnswerOf(u.CallbackQueryID)
	expect(t, a.Text, "đầu mối")
	h.join(hoa, unitNames[2])
	expect(t, h.press(h.group, reps[2], h.ballot(), button(t, h.ballot(), unitNames[4])).Text, "Đã ghi nhận phiếu của Hội Nông dân tỉnh")
	h.redeliver(u)
	for _, bl := range h.lastElection().Counted() {
		if bl.UnitID == "u3" && bl.Candidate != "u5" {
			t.Errorf("unit 3's vote is for %s, want u5 as its representative cast it", bl.Candidate)
		}
	}
}
