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
