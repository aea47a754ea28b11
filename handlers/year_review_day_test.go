package handlers_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// withButton returns the bot's latest group message with a button whose
// data starts with prefix.
func (h *harness) withButton(prefix string) telegramtest.Message {
	h.t.Helper()
	return h.latestWhere("a message with a "+strconv.Quote(prefix)+" button", func(m telegramtest.Message) bool {
		_, ok := buttonOf(m, func(b telegramtest.Button) bool { return strings.HasPrefix(b.Data, prefix) })
		return ok
	})
}

// buttonOf returns the first button of msg for which is holds, and
// whether there is one.
func buttonOf(msg telegramtest.Message, is func(telegramtest.Button) bool) (telegramtest.Button, bool) {
	for _, row := range msg.Buttons {
		for _, b := range row {
			if is(b) {
				return b, true
			}
		}
	}
	return telegramtest.Button{}, false
}

// latestWhere returns the latest message in the group for which is holds,
// failing, with what says what was looked for, if none does.
func (h *harness) latestWhere(what string, is func(telegramtest.Message) bool) telegramtest.Message {
	h.t.Helper()
	msgs := h.tg.Messages(h.group.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		if is(msgs[i]) {
			return msgs[i]
		}
	}
	h.t.Fatalf("no %s in the group", what)
	return telegramtest.Message{}
}

// buttonData returns the data of msg's button whose data starts with prefix.
func buttonData(t *testing.T, msg telegramtest.Message, prefix string) string {
	t.Helper()
	b, ok := buttonOf(msg, func(b telegramtest.Button) bool { return strings.HasPrefix(b.Data, prefix) })
	if !ok {
		t.Fatalf("no %q button on %v", prefix, msg.Buttons)
	}
	return b.Data
}

// The buttons of the finished year's messages (a submitted list's ✅, the
// covenant's ✍️) act on nothing of the new year: a press on the 2026
// submission does not approve the unit's list of 2027, which the presser
// has not seen, and a press on the 2026 covenant does not sign the 2027
// covenant.
func TestReviewDayNewYearOldButtons(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/modangky")
	h.say(h.group, reps[2], "/dangky Vận động xây 50 nhà đại đoàn kết | 50 nhà")
	h.say(h.group, reps[2], "/guidangky")
	oldList := h.withButton("rg:a:")
	approveOld := buttonData(t, oldList, "rg:a:")
	// The edit that takes the approved submission's buttons off fails (the
	// message was too old to edit, say): they stay.
	h.tg.FailNext("editMessageText", 1)
	h.say(h.group, h.admin, "/approve 3")
	h.say(h.group, h.admin, "/criteria add Tuyên truyền | 100")
	h.say(h.group, h.admin, "/covenant Đoàn kết năm 2026")
	oldCovenant := h.withButton("cv:")
	signOld := buttonData(t, oldCovenant, "cv:")

	h.now = time.Date(2026, 12, 2, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, h.admin, "/newyear")
	h.press(h.group, h.admin, ask, button(t, ask, "✅ Sang năm 2027"))
	if b := h.block(); b.Year != 2027 {
		t.Fatalf("the block is in %d", b.Year)
	}

	h.say(h.group, h.admin, "/modangky")
	h.say(h.group, reps[2], "/dangky Phát triển 300 hội viên mới | 300 hội viên")
	h.say(h.group, reps[2], "/guidangky")
	u := h.block().Units[2].ID
	h.press(h.group, h.admin, oldList, approveOld)
	if st := h.block().RegistrationOf(u).State; st != thidua.ListSubmitted {
		t.Errorf("a press on the 2026 submission left the 2027 list %q, want it still awaiting approval", st)
	}

	h.say(h.group, h.admin, "/approve 3")
	h.say(h.group, h.admin, "/covenant Đổi mới, sáng tạo năm 2027")
	h.press(h.group, reps[2], oldCovenant, signOld)
	if s := h.block().RegistrationOf(u).Signed; s != nil {
		t.Errorf("a press on the 2026 covenant signed the 2027 covenant: %+v", s)
	}
	if m := h.message(oldCovenant.ID); strings.Contains(m.Text, "2027") {
		t.Errorf("the 2026 covenant's message became the 2027 covenant: %q", m.Text)
	}
}

// The question of /newyear names the offices as the turn leaves them: a
// deputy elected leader leaves the deputy's office (and the block has no
// deputy until one is set), so the question does not promise it as deputy
// too.
func TestReviewDayNewYearAskNamesOfficesAsTheTurnLeavesThem(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/deputy "+mttq)
	h.say(h.group, h.admin, "/bau khoitruong")
	h.votes(reps, mttq, mttq, mttq, mttq)
	h.now = h.now.Add(2 * time.Hour)
	expect(t, h.say(h.group, reps[5], "/dongbau").Text, mttq+" trúng cử Khối trưởng năm 2027")

	h.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, h.admin, "/newyear")
	h.press(h.group, h.admin, ask, button(t, ask, "✅ Sang năm 2027"))
	b := h.block()
	if b.Year != 2027 || b.Unit(b.LeaderUnit).Name != mttq || b.DeputyUnit != "" {
		t.Fatalf("after the turn: year %d, leader %q, deputy %q", b.Year, b.LeaderUnit, b.DeputyUnit)
	}
	if strings.Contains(ask.Text, "Khối phó "+mttq) {
		t.Errorf("the question promised %s as deputy, which the turn leaves without one: %q", mttq, ask.Text)
	}
	expect(t, ask.Text, "Khối trưởng "+mttq+" (đã bầu); Khối phó chưa có")
}

// Should the bot die after the turn was written but before it edited the
// question, the press comes again: the question then says the block turned,
// as the first delivery would have, rather than keeping its buttons with
// only the presser told that the block is already in the new year.
func TestReviewDayNewYearRedeliveredAfterACrashAnnouncesTheTurn(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	h.now = time.Date(2026, 12, 2, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, h.admin, "/newyear")
	u := h.crashAfterPress(h.admin, ask, "✅ Sang năm 2027", func(b *thidua.Block) error {
		_, err := b.StartYear(thidua.Actor{UserID: h.admin.ID, Name: "Hùng", Admin: true}, h.now)
		return err
	})
	if a, _ := h.tg.AnswerOf(u.CallbackQueryID); a.ShowAlert {
		t.Errorf("the presser was alerted: %q", a.Text)
	}
	m := h.message(ask.ID)
	expect(t, m.Text, "đã sang năm thi đua 2027 (bởi Hùng)", "/export 2026")
	if len(m.Buttons) != 0 {
		t.Errorf("the question kept its buttons: %+v", m.Buttons)
	}
}
