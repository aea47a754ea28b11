package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// An election's closing: once its closing time has come, before the
// scheduler's tick, a press on the ballot, /result and /closevote close it
// on time and announce the result once, /result long after the closing
// time still answers, and an approval no longer warns of it; a /closevote
// of an election another manager closed meanwhile; and the closing time of
// a runoff, the next working day at 17:00.

// A press once the closing time has come, before the scheduler's tick, is
// refused, and closes the vote as the scheduler would: the result is
// announced, and the pressed ballot shows the vote closed rather than
// open without its buttons. The scheduler then has nothing to announce.
func TestPressAtClosingTimeClosesTheVote(t *testing.T) {
	w, reps := votingDue(t)
	h := w.harness
	ballot := h.ballot()
	n := len(h.tg.Messages(h.group.ID))
	a := h.vote(reps[6], ccb)
	expect(t, a.Text, "Cuộc bầu này đã kết thúc, phiếu không được ghi nhận.")
	closed := h.message(ballot.ID)
	expect(t, closed.Text, "🔚 Đã kết thúc bỏ phiếu lúc 02/03/2026 11:00. Kết quả và biên bản: /result khoitruong", "Đã bỏ phiếu: 5/7 đơn vị")
	if strings.Contains(closed.Text, "⏰ Kết thúc") || len(closed.Buttons) != 0 {
		t.Fatalf("the pressed ballot:\n%s\n%v", closed.Text, closed.Buttons)
	}
	w.closedOnTime(h.tg.Messages(h.group.ID)[n:])
}

// votingDue opens the leader election on 02/03/2026 to close at 11:00, has
// five units vote, four for Hội Nông dân tỉnh, and sets the clock to the
// closing time, which the scheduler's tick has not reached yet.
func votingDue(t *testing.T) (*walk, []*telegramtest.User) {
	w := &walk{harness: newHarness(t)}
	h := w.harness
	reps := electorate(h)
	h.say(h.group, h.admin, "/bau khoitruong | đóng: 02/03/2026 11:00")
	h.votes(reps, nongDan, nongDan, nongDan, ccb, nongDan)
	h.now = time.Date(2026, 3, 2, 11, 0, 0, 0, hcm)
	return w, reps
}

// closedOnTime checks that msgs announce the election of votingDue won on
// time and stored so, and that the scheduler's tick then posts nothing.
func (w *walk) closedOnTime(msgs []telegramtest.Message) {
	w.t.Helper()
	expect(w.t, w.posted(msgs, "🗳 Kết quả bầu Khối trưởng năm 2027"), "🎉 Hội Nông dân tỉnh trúng cử Khối trưởng năm 2027 với 4/5 phiếu.")
	if e := w.lastElection(); e.State != thidua.ElectionWon || e.CloseReason != thidua.ClosedOnTime || e.AnnouncePending {
		w.t.Fatalf("the election stored: %+v", e)
	}
	if got := w.ticked(3, 2, 11, 1); len(got) != 0 {
		w.t.Fatalf("the scheduler announced it again: %q", got[0].Text)
	}
}

// /result once the closing time has come, before the scheduler's tick,
// closes the vote and announces the result, rather than posting a ballot
// whose every button would be refused.
func TestResultAtClosingTimeClosesTheVote(t *testing.T) {
	w, reps := votingDue(t)
	h := w.harness
	n := len(h.tg.Messages(h.group.ID))
	h.say(h.group, reps[0], "/ketqua")
	got := h.tg.Messages(h.group.ID)[n:]
	for _, m := range got {
		if len(m.Buttons) != 0 {
			t.Fatalf("/result at the closing time posted a ballot:\n%s", m.Text)
		}
	}
	w.closedOnTime(got)
}

// /result more than a day after the closing time, the scheduler not
// having ticked since (the bot was down), closes the vote, whose result
// is too old to announce to the group (see closeDueElections): the asker
// is answered with the result's record, not left with nothing, nor told
// that there was no election; a press of the ballot then shows it closed.
func TestResultLongAfterClosingTimeAnswers(t *testing.T) {
	w, reps := votingDue(t)
	h := w.harness
	ballot := h.ballot()
	h.now = time.Date(2026, 3, 3, 12, 0, 0, 0, hcm)
	n := len(h.tg.Messages(h.group.ID))
	h.say(h.group, reps[0], "/ketqua")
	got := h.tg.Messages(h.group.ID)[n:]
	if len(got) != 1 {
		t.Fatalf("/result got %d answers: %v", len(got), got)
	}
	expect(t, got[0].Text, "📋 Biên bản kiểm phiếu — bầu Khối trưởng năm 2027", "🎉 Hội Nông dân tỉnh trúng cử Khối trưởng năm 2027 với 4/5 phiếu.")
	expect(t, h.vote(reps[6], ccb).Text, "Cuộc bầu này đã kết thúc")
	if m := h.message(ballot.ID); len(m.Buttons) != 0 {
		t.Fatalf("the ballot keeps its buttons:\n%s", m.Text)
	}
}

// /result of both offices at the closing time of the leader's election,
// which it closes and announces, says nothing more of the deputy's, of
// which there is none: not that there was no election at all.
func TestResultAtClosingTimeSaysNoMore(t *testing.T) {
	w, reps := votingDue(t)
	h := w.harness
	n := len(h.tg.Messages(h.group.ID))
	h.say(h.group, reps[0], "/ketqua")
	for _, m := range h.tg.Messages(h.group.ID)[n:] {
		if strings.Contains(m.Text, "Chưa có cuộc bầu nào") {
			t.Fatalf("after the result, /result says: %q", m.Text)
		}
	}
}

// /result of the deputy's office alone at the closing time of the
// leader's election, which it closes and announces, still answers what
// was asked: that there is no deputy's election, the leader's result being
// no answer to it.
func TestResultOfTheOtherOfficeAtClosingTimeAnswers(t *testing.T) {
	w, reps := votingDue(t)
	h := w.harness
	n := len(h.tg.Messages(h.group.ID))
	h.say(h.group, reps[0], "/ketqua khoipho")
	got := h.tg.Messages(h.group.ID)[n:]
	w.closedOnTime(got)
	expect(t, w.posted(got, "Chưa có cuộc bầu Khối phó nào"), "/elect khoipho")
}

// A /closevote sent in the minute after the closing time, before the
// scheduler's tick, finds voting ended already: it closes the election as
// on time, as the scheduler would, and says so, rather than recording a
// close by hand at that minute.
func TestCloseVoteAfterTheClosingTimeClosesOnTime(t *testing.T) {
	w, reps := votingDue(t)
	h := w.harness
	h.now = h.now.Add(40 * time.Second)
	n := len(h.tg.Messages(h.group.ID))
	h.say(h.group, reps[5], "/dongbau")
	got := h.tg.Messages(h.group.ID)[n:]
	expect(t, w.posted(got, "⏰ "), "⏰ Bầu Khối trưởng năm 2027 đã hết giờ bỏ phiếu lúc 02/03/2026 11:00: cuộc bầu kết thúc đúng giờ, không phải do lệnh /closevote. Kết quả ở tin nhắn dưới.")
	w.closedOnTime(got)
	if e := w.lastElection(); !e.ClosedAt.Equal(e.CloseAt) || e.ClosedBy != "thiduabot" {
		t.Fatalf("the election closed at %v by %q", e.ClosedAt, e.ClosedBy)
	}
	expect(t, h.say(h.group, reps[0], "/ketqua").Text, "Kết thúc: 02/03/2026 11:00 (hết giờ bỏ phiếu)")
}

// A runoff after a round of 08:00–17:00 no longer closes, and is announced,
// at 02:00 at night: it closes at 17:00 the next working day, which its
// ballot and /deadlines show; with weekends off (/remind cuối tuần không),
// a Friday's runoff closes on Monday.
func TestRunoffOfAWorkingDayClosesTheNextWorkingDay(t *testing.T) {
	w := &walk{harness: newHarness(t)}
	h := w.harness
	w.reps = electorate(h)
	w.on(11, 25, 8, 0)
	h.say(h.group, h.admin, "/bau khoitruong | đóng: 25/11/2026 17:00")
	w.on(11, 25, 9, 0)
	h.votes(w.reps, nongDan, nongDan, nongDan, ldld, ldld, ldld)
	got := w.ticked(11, 25, 17, 0)
	expect(t, w.posted(got, "🗳 Kết quả bầu Khối trưởng năm 2027\n"), "bầu lại vòng 2 giữa Hội Nông dân tỉnh, Liên đoàn Lao động tỉnh.")
	expect(t, w.posted(got, "🗳 Bầu Khối trưởng năm 2027 — vòng 2 (bầu lại)\n"), "⏰ Kết thúc: 26/11/2026 17:00\n")
	w.on(11, 25, 17, 5)
	expect(t, h.say(h.group, w.reps[0], "/dshan").Text, "• Bầu Khối trưởng năm 2027 (vòng 2) — 26/11/2026 17:00")
	if got := w.ticked(11, 26, 2, 0); len(got) != 0 {
		t.Fatalf("the scheduler posted at 02:00: %q", got[0].Text)
	}
	w.on(11, 26, 9, 0)
	h.votes(w.reps, nongDan, nongDan, nongDan, nongDan)
	got = w.ticked(11, 26, 17, 0)
	expect(t, w.posted(got, "🗳 Kết quả bầu Khối trưởng năm 2027 — vòng 2 (bầu lại)\n"), "🎉 Hội Nông dân tỉnh trúng cử Khối trưởng năm 2027 với 4/4 phiếu.")

	// Weekends off: Friday's runoff closes on Monday at 17:00.
	w = &walk{harness: newHarness(t)}
	h = w.harness
	w.reps = electorate(h)
	h.say(h.group, h.admin, "/nhacnho cuối tuần không")
	w.on(11, 27, 8, 0)
	h.say(h.group, h.admin, "/bau khoitruong | đóng: 27/11/2026 17:00")
	h.votes(w.reps, nongDan, nongDan, nongDan, ldld, ldld, ldld)
	got = w.ticked(11, 27, 17, 0)
	expect(t, w.posted(got, "🗳 Bầu Khối trưởng năm 2027 — vòng 2 (bầu lại)\n"), "⏰ Kết thúc: 30/11/2026 17:00\n")
}

// A /closevote whose election another manager (or the scheduler) closes
// between the command's read and its write says that the election had
// closed already and where its result is, not the words meant for a vote
// that came too late.
func TestCloseVoteOfAnElectionClosedMeanwhile(t *testing.T) {
	// The store closes the open elections, as another manager, just before
	// the command's write.
	var store *hookStore
	h := newHarness(t, func(h *harness) {
		store = &hookStore{Store: h.store}
		h.store = store
	})
	store.hook = func(ctx context.Context, id string) error {
		_, err := store.Store.Update(ctx, id, func(b *thidua.Block) error {
			for _, e := range b.OpenElections() {
				if _, err := b.CloseElection(thidua.Actor{UserID: h.admin.ID, Name: "Hùng", Admin: true}, e.ID, h.now); err != nil {
					return err
				}
			}
			return nil
		})
		return err
	}
	reps := electorate(h)
	h.say(h.group, h.admin, "/bau khoitruong")
	store.armOn(1)
	m := h.say(h.group, reps[5], "/dongbau")
	expect(t, m.Text, "Cuộc bầu đã kết thúc trước lệnh /closevote này. Xem kết quả: /result")
	if strings.Contains(m.Text, "phiếu không được ghi nhận") {
		t.Fatalf("answered as a vote: %q", m.Text)
	}
	if e := h.lastElection(); e.State == thidua.ElectionOpen || e.ClosedBy != "Hùng" {
		t.Fatalf("the election stored: %+v", e)
	}
	john := h.member("John", "", telegramtest.Lang("en"))
	h.group.SetStatus(john, telegramtest.StatusAdministrator)
	h.say(h.group, h.admin, "/bau khoipho")
	store.armOn(1)
	expect(t, h.say(h.group, john, "/closevote").Text, "The election had already closed before this /closevote. See the result: /result")
}

// A /closevote naming no office, with both offices' elections open and one
// of them past its closing time before the scheduler's tick, closes that
// one on time and says so, and leaves the other open, saying how to close
// it, rather than asking which to close.
func TestCloseVoteWithBothOpenClosesTheDueOneOnTime(t *testing.T) {
	w := &walk{harness: newHarness(t)}
	h := w.harness
	electorate(h)
	h.say(h.group, h.admin, "/bau khoitruong | đóng: 02/03/2026 11:00")
	h.say(h.group, h.admin, "/bau khoipho | đóng: 03/03/2026 11:00")
	h.now = time.Date(2026, 3, 2, 11, 0, 40, 0, hcm)
	n := len(h.tg.Messages(h.group.ID))
	h.say(h.group, h.admin, "/dongbau")
	got := h.tg.Messages(h.group.ID)[n:]
	expect(t, w.posted(got, "⏰ "), "⏰ Bầu Khối trưởng năm 2027 đã hết giờ bỏ phiếu lúc 02/03/2026 11:00: cuộc bầu kết thúc đúng giờ, không phải do lệnh /closevote.")
	w.posted(got, "🗳 Kết quả bầu Khối trưởng năm 2027")
	expect(t, got[len(got)-1].Text, "Bầu Khối phó năm 2027 vẫn đang mở. Để kết thúc ngay: /closevote khoipho")
	b := h.block()
	if l := b.LatestElection(thidua.RoleLeader); l.State == thidua.ElectionOpen || l.CloseReason != thidua.ClosedOnTime {
		t.Fatalf("the leader election stored: %+v", l)
	}
	if d := b.LatestElection(thidua.RoleDeputy); d.State != thidua.ElectionOpen {
		t.Fatalf("the deputy election stored: %+v", d)
	}
	if got := w.ticked(3, 2, 11, 1); len(got) != 0 {
		t.Fatalf("the scheduler announced it again: %q", got[0].Text)
	}
}

// An approval by the leader unit's representative after an election's
// closing time, before the scheduler's tick closes it, does not warn that
// the newcomer cannot vote in that election: it is over.
func TestApprovalAfterTheClosingTimeNamesNoElectionOver(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/bau khoitruong | đóng: 02/03/2026 11:00")
	h.say(h.group, h.admin, "/bau khoipho | đóng: 03/03/2026 11:00")
	h.now = time.Date(2026, 3, 2, 11, 0, 20, 0, hcm)
	h.say(h.group, reps[3], "/roikhoi")
	duc := h.member("Đức", "")
	h.say(h.group, duc, "/thamgia "+ldld)
	ask := h.withButton("jd:")
	h.press(h.group, reps[5], ask, ask.Buttons[0][0].Data)
	text := h.message(ask.ID).Text
	expect(t, text, "nên chưa bỏ phiếu được trong: Bầu Khối phó năm 2027, kết thúc 03/03/2026 11:00.")
	if strings.Contains(text, "Khối trưởng") {
		t.Fatalf("the warning names the election over: %q", text)
	}
}
