package handlers_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"thiduabot/telegramtest"
)

// Evidence sent after /newyear in reply to a confirmation of the finished
// year is not sent down a dead end: /myreport no longer shows that year's
// reports (and would tell the unit to report again), so the answer says the
// year is closed and where its data is, and nothing is attached.
func TestReviewFinalEvidenceAfterTheTurnSaysTheYearIsClosed(t *testing.T) {
	h := newHarness(t)
	reps := pledgedElectorate(h)
	conf := h.say(h.group, reps[2], "/baocao Cả năm\n1 45")
	expect(t, conf.Text, "Đã ghi báo cáo kỳ Cả năm")
	h.turnYear(time.Date(2026, 12, 2, 9, 0, 0, 0, hcm))
	version := h.block().Version

	h.handled(h.tg.SendPhoto(h.group, reps[2], &conf, []byte("jpg"), "Lễ khánh thành"))
	m, _ := h.tg.LastMessage(h.group.ID)
	expect(t, m.Text, "năm thi đua 2026", "/export 2026")
	if strings.Contains(m.Text, "/myreport") {
		t.Fatalf("the answer sends the user to /myreport, which no longer has 2026: %q", m.Text)
	}
	if h.block().Version != version {
		t.Fatal("the evidence changed the block")
	}
}

// A button pressed on a message of the basic group after Telegram upgraded
// it to a supergroup (the block moved with it) is not answered as if the
// group had never been set up: that would send an administrator to /setup.
func TestReviewFinalPressInTheOldGroupAfterTheMove(t *testing.T) {
	h := newHarness(t)
	old := h.tg.NewBasicGroup("Khối thi đua")
	old.SetStatus(h.admin, telegramtest.StatusCreator)
	h.group = old
	h.setUp()
	h.now = time.Date(2026, 12, 2, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, h.admin, "/newyear")
	sg := h.tg.Migrate(old)
	if err := h.tg.WaitIdle(wait); err != nil {
		t.Fatal(err)
	}
	a := h.press(old, h.admin, ask, button(t, ask, "✅ Sang năm 2027"))
	if strings.Contains(a.Text, "/setup") || !strings.Contains(a.Text, "siêu nhóm") {
		t.Fatalf("the press in the old group was answered %q", a.Text)
	}
	h.group = sg
	if b := h.block(); b.Year != 2026 {
		t.Fatalf("the press in the old group turned the block to %d", b.Year)
	}
	// In the supergroup the question is asked again and answered.
	ask = h.say(sg, h.admin, "/newyear")
	h.press(sg, h.admin, ask, button(t, ask, "✅ Sang năm 2027"))
	if b := h.block(); b.Year != 2027 {
		t.Fatalf("the year after the press in the supergroup: %d", b.Year)
	}
}

// Anyone may see a unit's scores with /selfscore #số, which the score board
// tells every member to use: /help lists it for a plain member too, and
// /help selfscore does not say only representatives use it.
func TestReviewFinalHelpListsSelfscoreForMembers(t *testing.T) {
	c := newRegCast(t)
	c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền | 20")
	c.say(c.group, c.lan, "/tucham 1 18")
	expect(t, c.say(c.group, c.hoa, "/bangdiem").Text, "Chi tiết một đơn vị: /selfscore #số")
	expect(t, c.say(c.group, c.hoa, "/tucham #3").Text, "Điểm thi đua năm 2026 — Hội Nông dân tỉnh")
	expect(t, c.say(c.group, c.hoa, "/help").Text, "/selfscore (/tucham)")
	if m := c.say(c.group, c.hoa, "/help selfscore").Text; strings.Contains(m, "Ai dùng: đầu mối của các đơn vị") {
		t.Fatalf("/help selfscore: %q", m)
	}
}

// The export's caption names every sheet, the scores' included, and for a
// year the block turned from it does not say the data runs to today.
func TestReviewFinalExportCaptionNamesTheScores(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	h.say(h.group, h.admin, "/export")
	caption := h.exportCaption()
	expect(t, caption, "chấm điểm")
	h.now = time.Date(2026, 12, 2, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, h.admin, "/newyear")
	h.press(h.group, h.admin, ask, button(t, ask, "✅ Sang năm 2027"))
	h.now = time.Date(2027, 3, 5, 10, 0, 0, 0, hcm)
	h.say(h.group, h.admin, "/export 2026")
	caption = h.exportCaption()
	expect(t, caption, "năm 2026", "chấm điểm")
	if strings.Contains(caption, "05/03/2027") {
		t.Fatalf("the caption of 2026 says its data runs to today: %q", caption)
	}
}

// exportCaption returns the caption of the last workbook sent to the group.
func (h *harness) exportCaption() string {
	h.t.Helper()
	msgs := h.tg.Messages(h.group.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		if d := msgs[i].Document; d != nil && strings.HasSuffix(d.Name, ".xlsx") {
			return msgs[i].Text
		}
	}
	h.t.Fatal("no workbook in the group")
	return ""
}

// Evidence for a confirmation two years back (the block turned twice since)
// is told which year the report belongs to, as for the year just finished,
// not that its confirmation was lost.
func TestEvidenceTwoYearsAfterSaysWhichYearIsClosed(t *testing.T) {
	h := newHarness(t)
	reps := pledgedElectorate(h)
	conf := h.say(h.group, reps[2], "/baocao Cả năm\n1 45")
	expect(t, conf.Text, "Đã ghi báo cáo kỳ Cả năm")
	for _, next := range []int{2027, 2028} {
		h.turnYear(time.Date(next-1, 12, 2, 9, 0, 0, 0, hcm))
		if b := h.block(); b.Year != next {
			t.Fatalf("the block is in %d, want %d", b.Year, next)
		}
	}
	version := h.block().Version

	h.handled(h.tg.SendPhoto(h.group, reps[2], &conf, []byte("jpg"), "Lễ khánh thành"))
	m, _ := h.tg.LastMessage(h.group.ID)
	expect(t, m.Text, "thuộc năm thi đua 2026", "chuyển sang năm 2027", "/export 2026")
	if h.block().Version != version {
		t.Fatal("the evidence changed the block")
	}
}

// A reply to a step-by-step report left open when the year turned is told
// the draft belongs to the year closed, not sent to /report a period the
// new year does not have.
func TestReplyToDraftOfClosedYearSaysTheYearIsClosed(t *testing.T) {
	h := newHarness(t)
	reps := pledgedElectorate(h)
	draft := h.say(h.group, reps[2], "/baocao Cả năm")
	expect(t, draft.Text, "Nội dung 1/1")
	h.turnYear(time.Date(2026, 12, 2, 9, 0, 0, 0, hcm))
	version := h.block().Version

	h.handled(h.tg.Reply(h.group, reps[2], &draft, "45"))
	m, _ := h.tg.LastMessage(h.group.ID)
	expect(t, m.Text, "Lần nhập báo cáo này thuộc năm thi đua 2026", "chuyển sang năm 2027", "/export 2026")
	if h.block().Version != version {
		t.Fatal("the reply changed the block")
	}
}

// pledgedElectorate sets the block up with the electorate's units and
// representatives, one pledge of the third unit, registration open and
// one period, "Cả năm", due 30/11, and returns the representatives.
func pledgedElectorate(h *harness) []*telegramtest.User {
	h.t.Helper()
	reps := electorate(h)
	h.say(h.group, h.admin, "/modangky")
	h.say(h.group, reps[2], "/dangky Vận động xây 50 nhà | 50 nhà")
	h.say(h.group, h.admin, "/period Cả năm | 30/11")
	return reps
}

// turnYear turns the block to the next year on the day given, as a manager
// does: /newyear and its button. It returns the question.
func (h *harness) turnYear(on time.Time) telegramtest.Message {
	h.t.Helper()
	h.now = on
	ask := h.say(h.group, h.admin, "/newyear")
	h.press(h.group, h.admin, ask, button(h.t, ask, "✅ Sang năm "+strconv.Itoa(h.block().Year+1)))
	return ask
}
