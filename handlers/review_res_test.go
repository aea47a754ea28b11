package handlers_test

import (
	"testing"

	"thiduabot/telegramtest"
)

// newBasicResCast is newResCast in a basic group, which Telegram may later
// upgrade to a supergroup, with Lan's unit holding two pledges and one
// period, Quý I.
func newBasicResCast(t *testing.T) *resCast {
	t.Helper()
	h := newHarness(t)
	h.group = h.tg.NewBasicGroup("Khối thi đua tỉnh Lào Cai")
	h.group.SetStatus(h.admin, telegramtest.StatusCreator)
	h.setUp()
	c := &resCast{&regCast{harness: h, lan: h.member("Lan", ""), minh: h.member("Minh", "minh_td"), hoa: h.member("Hoa", "hoa")}}
	h.join(c.lan, "Hội Nông dân tỉnh")
	h.join(c.minh, "Tỉnh Đoàn")
	h.say(h.group, h.admin, "/leader Tỉnh Đoàn")
	c.open()
	expect(t, c.say(c.group, c.lan, "/dangky Vận động xây nhà đại đoàn kết | 50 nhà\nHộ sản xuất kinh doanh giỏi | 40%").Text, "Đã ghi 2 nội dung")
	expect(t, c.say(c.group, c.minh, "/kybaocao Quý I | 31/03").Text, "Đã thêm 1 kỳ báo cáo")
	return c
}

// A report draft left open when the group becomes a supergroup does not
// take over a message of the new chat that happens to have its message's
// id (message ids start again in the new chat): a reply to the bot's answer
// to /units there is not a value for the draft, and the bot does not turn
// that answer into the draft.
func TestReviewResDraftAfterGroupMovedIgnoresNewChatsMessages(t *testing.T) {
	c := newBasicResCast(t)
	w := c.say(c.group, c.lan, "/baocao Quý I")
	expect(t, w.Text, "Nội dung 1/2")

	c.migrate()
	units := c.botMessageWithID(w.ID)
	c.reply(c.lan, units, "45 đã khởi công")
	if got := c.message(units.ID).Text; got != units.Text {
		t.Fatalf("the answer to /units became %q", got)
	}
	if d := c.block().Results.Drafts; len(d) == 1 && len(d[0].Entries) != 0 {
		t.Fatalf("a reply to /units in the new chat answered the draft: %+v", d[0].Entries)
	}
	c.noApology()
}

// botMessageWithID makes the bot post in the group until its answer to
// /units has the id want, and returns that answer.
func (c *resCast) botMessageWithID(want int) telegramtest.Message {
	c.t.Helper()
	var m telegramtest.Message
	for m.ID < want {
		if (want-m.ID)%2 == 1 {
			c.handled(c.tg.Send(c.group, c.hoa, "chào cả nhà")) // shifts the ids by one
		}
		m = c.say(c.group, c.hoa, "/units")
	}
	if m.ID != want {
		c.t.Fatalf("no bot message with id %d (got %d)", want, m.ID)
	}
	return m
}

// migrate upgrades the cast's basic group to a supergroup, where the cast
// goes on.
func (c *resCast) migrate() {
	c.t.Helper()
	sg := c.tg.Migrate(c.group)
	if err := c.tg.WaitIdle(wait); err != nil {
		c.t.Fatal(err)
	}
	sg.SetStatus(c.admin, telegramtest.StatusCreator)
	c.group = sg
}

// A block of an earlier release recorded the messages confirming reports in
// the block itself, without their chat: once the group has become a
// supergroup, a photo replying to a message of the new chat with such an id
// is not evidence for that report.
func TestReviewResEarlierReleaseConfirmationAfterGroupMoved(t *testing.T) {
	c := newBasicResCast(t)
	old := c.confirmationOfEarlierRelease()
	c.migrate()
	m := c.botMessageWithID(old.ID)
	c.handled(c.tg.SendPhoto(c.group, c.lan, &m, pngBytes(t), "ảnh gia đình"))
	if r := c.mustReport(3, "Quý I"); len(r.Evidence) != 0 {
		t.Fatalf("a photo replying to /units in the new chat became evidence: %+v", r.Evidence)
	}
	c.noApology()
}

// An administrator posting anonymously, as the group, cannot fill a report
// in step by step: Telegram tells the bot who presses a button, never
// "the group", so nobody could answer the draft. The bot says so, and how
// to report instead, and starts no draft.
func TestReviewResAnonymousAdminGetsNoDraftNobodyCanAnswer(t *testing.T) {
	c := newResCast(t)
	var m telegramtest.Message
	c.unchanged(func() {
		c.handled(c.tg.SendAsGroup(c.group, "/report #3 Quý I"))
		m = c.lastIn(c.group.ID)
	})
	expect(t, m.Text, "ẩn danh", "/report #3 Quý I")
	if len(m.Buttons) != 0 {
		t.Fatalf("a draft nobody can answer: %q %v", m.Text, labels(m))
	}
	// In one message it works.
	c.handled(c.tg.SendAsGroup(c.group, "/report #3 Quý I\n1 45"))
	expect(t, c.lastIn(c.group.ID).Text, "📊 Đã ghi báo cáo kỳ Quý I của Hội Nông dân tỉnh")
	c.noApology()
}

// A reply to a step-by-step report whose draft is gone (the unit reported in
// one message meanwhile, someone started it again, the period was deleted)
// is answered: the message still asks for a reply, and silence would leave
// the person believing the value was taken.
func TestReviewResReplyToDroppedDraftIsAnswered(t *testing.T) {
	c := newResCast(t)
	w := c.say(c.group, c.lan, "/report 6 tháng")
	expect(t, w.Text, "Nội dung 1/4", "trả lời (reply) tin nhắn này bằng giá trị chính xác")
	expect(t, c.say(c.group, c.lan, "/report 6 tháng\n1 30").Text, "Đã ghi báo cáo kỳ 6 tháng") // drops the draft
	for _, send := range []func(){
		func() { c.reply(c.lan, w, "45 đã khởi công") },
		func() { c.handled(c.tg.SendPhoto(c.group, c.lan, &w, pngBytes(t), "Lễ khởi công")) },
	} {
		n := c.tg.Sent(c.group.ID)
		c.unchanged(send)
		if c.tg.Sent(c.group.ID) == n {
			t.Fatal("a reply to a dropped draft was not answered")
		}
		expect(t, c.lastIn(c.group.ID).Text, "Lần nhập báo cáo này đã được gửi, huỷ hoặc thay bằng lần nhập khác", "/myreport", "/report <kỳ>")
	}
	// The draft's summary asks for a press, not a reply: the same.
	s := c.skipToSummary(c.say(c.group, c.lan, "/report 9 tháng"))
	c.say(c.group, c.lan, "/report 9 tháng")
	c.unchanged(func() { c.reply(c.lan, s, "gửi") })
	expect(t, c.lastIn(c.group.ID).Text, "Lần nhập báo cáo này đã được gửi, huỷ hoặc thay bằng lần nhập khác")
	// Replies to the bot's other messages are still none of its business.
	units := c.say(c.group, c.hoa, "/units")
	n := c.tg.Sent(c.group.ID)
	c.reply(c.lan, units, "cảm ơn")
	if c.tg.Sent(c.group.ID) != n {
		t.Fatal("the bot answered a reply to /units")
	}
	c.noApology()
}

// The period names head the columns of the progress table: in the CSV
// export a name a spreadsheet would take for a formula is defused like any
// other cell, and a manager cannot plant a formula that runs when a unit
// opens the file.
func TestReviewResExportDefusesFormulaInCSVHeaders(t *testing.T) {
	c := newResCast(t)
	expect(t, c.say(c.group, c.minh, `/kybaocao =HYPERLINK("http://x";"Quý V") | 30/12`).Text, "Đã thêm 1 kỳ báo cáo")
	c.say(c.group, c.hoa, "/export")
	zipped := c.lastIn(c.group.ID)
	if zipped.Document == nil {
		t.Fatalf("no zip: %q", zipped.Text)
	}
	head := readCSVZip(t, zipped.Document.Data)["tien-do.csv"][0]
	if got := head[len(head)-1]; got != `'=HYPERLINK("http://x";"Quý V")` {
		t.Fatalf("the header of the period's column is %q", got)
	}
	c.noApology()
}

// The commands the bot suggests to an administrator acting for a unit name
// that unit, as the report's confirmation does: the same commands without
// #số are refused for someone who represents no unit, or act for their own.
func TestReviewResHintsToAdministratorNameTheUnit(t *testing.T) {
	c := newResCast(t)
	confirm := c.say(c.group, c.admin, "/report #3 Năm\n1 5")
	expect(t, confirm.Text, "/myreport #3 Năm")
	c.handled(c.tg.SendPhoto(c.group, c.admin, &confirm, pngBytes(t), ""))
	expect(t, c.lastIn(c.group.ID).Text, "📎 Đã đính kèm ảnh vào báo cáo kỳ Năm của Hội Nông dân tỉnh (1 minh chứng). Xem lại: /myreport #3 Năm")
	expect(t, c.say(c.group, c.admin, "/myreport #3 6 tháng").Text, "Hội Nông dân tỉnh chưa gửi báo cáo kỳ 6 tháng (hạn 15/06/2026). Báo cáo bằng /report #3 6 tháng.")
	// The unit's own representative is told the short form.
	c.handled(c.tg.SendPhoto(c.group, c.lan, &confirm, pngBytes(t), ""))
	expect(t, c.lastIn(c.group.ID).Text, "(2 minh chứng). Xem lại: /myreport Năm")
	expect(t, c.say(c.group, c.lan, "/myreport 6 tháng").Text, "Báo cáo bằng /report 6 tháng.")
	c.noApology()
}
