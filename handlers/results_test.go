package handlers_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// resCast is the registration cast with Lan's unit (Hội Nông dân tỉnh, unit
// 3) holding four pledges — a number, a percentage, a free text, a number
// due 30/06 — and the year's four periods, added by Minh of the leader unit.
type resCast struct{ *regCast }

func newResCast(t *testing.T) *resCast {
	t.Helper()
	c := &resCast{newRegCast(t)}
	c.open()
	expect(t, c.say(c.group, c.lan, "/dangky Vận động xây nhà đại đoàn kết | 50 nhà\nHộ sản xuất kinh doanh giỏi | 40%\n"+
		"Phong trào thi đua | hoàn thành xuất sắc\nPhát triển hội viên mới | 1.200 hội viên | 30/06").Text, "Đã ghi 4 nội dung")
	expect(t, c.say(c.group, c.minh, "/kybaocao Quý I | 31/03\n6 tháng | 15/06\n9 tháng | 15/09\nNăm | 30/11").Text, "Đã thêm 4 kỳ báo cáo")
	return c
}

// report returns the unit's report for the period named ref.
func (c *resCast) report(unit int, ref string) (thidua.Report, bool) {
	c.t.Helper()
	b := c.block()
	p, err := b.FindPeriod(ref)
	if err != nil {
		c.t.Fatal(err)
	}
	return b.Report(b.Units[unit-1].ID, p.ID)
}

// confirms reports whether the bot's message is noted as confirming a
// submission of report r that r keeps: evidence sent in reply to it goes to
// r.
func (h *harness) confirms(messageID int, r thidua.Report) bool {
	h.t.Helper()
	note, err := h.store.MessageNote(context.Background(), h.block().ID, messageID)
	if err != nil {
		h.t.Fatal(err)
	}
	b := h.block()
	rev, ok := strings.CutPrefix(note, "report:"+strconv.FormatInt(b.ChatID, 10)+":"+r.UnitID+":"+r.PeriodID+":")
	n, err := strconv.Atoi(rev)
	_, kept := b.ReportRevision(r.UnitID, r.PeriodID, n)
	return ok && err == nil && kept
}

// mustReport returns the unit's report for the period, failing if none.
func (c *resCast) mustReport(unit int, ref string) thidua.Report {
	c.t.Helper()
	r, ok := c.report(unit, ref)
	if !ok {
		c.t.Fatalf("unit %d has no report for %s", unit, ref)
	}
	return r
}

// confirmationOfEarlierRelease has Lan report for Quý I, then records, as a
// release that kept them in the block did (thidua.ReportMessages), that a
// bot message confirms that report: the answer to a /units, which stands
// for such a confirmation. It returns that message.
func (c *resCast) confirmationOfEarlierRelease() telegramtest.Message {
	c.t.Helper()
	expect(c.t, c.say(c.group, c.lan, "/report Quý I\n1 45").Text, "Đã ghi báo cáo")
	old := c.say(c.group, c.hoa, "/units")
	r := c.mustReport(3, "Quý I")
	if _, err := c.store.Update(c.t.Context(), c.block().ID, func(b *thidua.Block) error {
		b.ReportMessages.List = append(b.ReportMessages.List, thidua.ReportMessage{MessageID: old.ID, UnitID: r.UnitID, PeriodID: r.PeriodID, Revision: r.Revision})
		return nil
	}); err != nil {
		c.t.Fatal(err)
	}
	return old
}

// pressText presses the button labelled text under msg as user.
func (c *resCast) pressText(user *telegramtest.User, msg telegramtest.Message, text string) telegramtest.CallbackAnswer {
	c.t.Helper()
	for _, row := range msg.Buttons {
		for _, btn := range row {
			if btn.Text == text {
				return c.press(c.group, user, msg, btn.Data)
			}
		}
	}
	c.t.Fatalf("no button %q under %q", text, msg.Text)
	return telegramtest.CallbackAnswer{}
}

// reply makes user reply to msg with text and waits until it is handled.
func (c *resCast) reply(user *telegramtest.User, msg telegramtest.Message, text string) {
	c.t.Helper()
	c.handled(c.tg.Reply(c.group, user, &msg, text))
}

// skipToSummary presses Lan's way through a draft, keeping or skipping
// every pledge, to its summary.
func (c *resCast) skipToSummary(w telegramtest.Message) telegramtest.Message {
	c.t.Helper()
	for !strings.Contains(w.Text, "Kiểm tra lại") {
		label := "Bỏ qua ▶️"
		if slices.Contains(labels(w), "Giữ nguyên ▶️") {
			label = "Giữ nguyên ▶️"
		}
		c.pressText(c.lan, w, label)
		w = c.message(w.ID)
	}
	return w
}

// labels lists the labels of a message's buttons.
func labels(m telegramtest.Message) []string {
	var out []string
	for _, row := range m.Buttons {
		for _, b := range row {
			out = append(out, b.Text)
		}
	}
	return out
}

// pngBytes is a small real PNG image.
func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPeriodsAddListEditDelete(t *testing.T) {
	c := newResCast(t)
	m := c.say(c.group, c.hoa, "/dskybaocao")
	expect(t, m.Text, "Kỳ báo cáo năm 2026", "1. Quý I — hạn 31/03/2026 — đã báo cáo 0/7 đơn vị",
		"2. 6 tháng — hạn 15/06/2026", "4. Năm — hạn 30/11/2026", "/report <kỳ>")
	if m := c.say(c.group, c.hoa, "/period"); !strings.Contains(m.Text, "1. Quý I — hạn 31/03/2026") {
		t.Fatalf("/period alone does not list: %q", m.Text)
	}

	c.refused(c.hoa, "/period Quý V | 30/12", "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")
	c.refused(c.lan, "/period edit 1 | Quý 1", "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")
	c.refused(c.minh, "/period Quý V", "tên kỳ | hạn dd/mm/yyyy", "Cú pháp: /period", "Ví dụ: /period Quý I | 31/03")
	c.refused(c.minh, "/period Quý V | 31/02", "Hạn không phải một ngày có thật")
	c.refused(c.minh, "/period Quý V | 30/06/2031", "Hạn của kỳ phải nằm trong năm thi đua")
	c.refused(c.minh, "/period 12 | 30/06", "không được chỉ là một con số")
	c.refused(c.minh, "/period QUY I | 30/04", "Đã có kỳ báo cáo tên này")
	c.refused(c.minh, "/period Quý V | 30/12\nQuý VI 31/12", "Dòng 2 («Quý VI 31/12»)", "Chưa lưu dòng nào")
	c.refused(c.minh, "/period Quý V | 30/12\nquý v | 31/12", "Đã có kỳ báo cáo tên này")

	m = c.say(c.group, c.minh, "/period edit 1 | Quý I/2026 | 05/04")
	expect(t, m.Text, "✏️ Đã sửa kỳ báo cáo", "trước: Quý I (31/03/2026)", "sau: Quý I/2026 (05/04/2026)")
	expect(t, c.say(c.group, c.minh, "/period sua quy i/2026 | | 31/03").Text, "sau: Quý I/2026 (31/03/2026)")
	expect(t, c.say(c.group, c.minh, "/period edit 1 | Quý I/2026").Text, "Kỳ báo cáo Quý I/2026 (31/03/2026) không thay đổi")
	// A deadline moved past the next period's moves the period down the list.
	expect(t, c.say(c.group, c.minh, "/period edit 1 | Quý I | 20/06").Text, "sau: Quý I (20/06/2026)")
	if ps := c.block().Periods(); ps[0].Name != "6 tháng" || ps[1].Name != "Quý I" {
		t.Fatalf("periods not reordered: %+v", ps)
	}
	expect(t, c.say(c.group, c.minh, "/period edit 2 | | 31/03").Text, "sau: Quý I (31/03/2026)")
	c.refused(c.minh, "/period edit 1", "Cần số thứ tự (hoặc tên) của kỳ")
	c.refused(c.minh, "/period edit 9 | Quý IX", "Không tìm thấy kỳ báo cáo «9»", "Các kỳ: 1. Quý I, 2. 6 tháng, 3. 9 tháng, 4. Năm")
	c.refused(c.minh, "/period edit 1 | Năm", "Đã có kỳ báo cáo tên này")
	c.refused(c.minh, "/period edit 1 | | 30/02", "Hạn không phải một ngày có thật")
	c.refused(c.minh, "/period delete", "Bạn chưa nêu kỳ cần xoá")

	// A period nobody reported for goes at once.
	expect(t, c.say(c.group, c.minh, "/period delete 9 tháng").Text, "🗑 Đã xoá kỳ báo cáo 9 tháng (15/09/2026) (bởi Minh)")
	if len(c.block().Periods()) != 3 {
		t.Fatal("period not deleted")
	}

	// A period with reports asks first.
	expect(t, c.say(c.group, c.lan, "/report Quý I\n1 10").Text, "Đã ghi báo cáo kỳ Quý I")
	var ask telegramtest.Message
	c.unchanged(func() { ask = c.say(c.group, c.minh, "/kybaocao xoa quy i") })
	expect(t, ask.Text, "Kỳ Quý I (31/03/2026) đã có 1 báo cáo", "Xoá?")
	if got := labels(ask); !slices.Equal(got, []string{"🗑 Xoá kỳ và 1 báo cáo", "Huỷ"}) {
		t.Fatalf("buttons %v", got)
	}
	c.unchanged(func() {
		a := c.pressText(c.hoa, ask, "🗑 Xoá kỳ và 1 báo cáo")
		if !a.ShowAlert || !strings.Contains(a.Text, "chỉ quản trị viên nhóm") {
			t.Fatalf("a member confirmed: %+v", a)
		}
		c.pressText(c.minh, ask, "Huỷ")
	})
	expect(t, c.message(ask.ID).Text, "Đã huỷ")
	ask = c.say(c.group, c.minh, "/period delete 1")
	c.pressText(c.admin, ask, "🗑 Xoá kỳ và 1 báo cáo")
	done := c.message(ask.ID)
	expect(t, done.Text, "🗑 Đã xoá kỳ báo cáo Quý I (31/03/2026) cùng 1 báo cáo của các đơn vị (bởi Hùng)")
	if len(done.Buttons) != 0 || len(c.block().Periods()) != 2 || len(c.block().Results.Reports) != 0 {
		t.Fatalf("not deleted: %+v", c.block().Results)
	}
	h := c.say(c.group, c.hoa, "/history 5").Text
	expect(t, h, "xoá kỳ báo cáo: «Quý I | 31/03/2026 (1 báo cáo)»", "gửi báo cáo kết quả [Hội Nông dân tỉnh]: «Quý I — 1: 10 nhà»",
		"sửa kỳ báo cáo: «Quý I | 20/06/2026» → «Quý I | 31/03/2026»")
	c.noApology()
}

func TestReportInOneMessageReplaceAndLate(t *testing.T) {
	c := newResCast(t)
	m := c.say(c.group, c.lan, "/baocao Quý I\n1 45 nhà đã khởi công 5 nhà\n2 35%\n3. 100%")
	expect(t, m.Text, "📊 Đã ghi báo cáo kỳ Quý I của Hội Nông dân tỉnh (Lan, 02/03/2026 09:00).",
		"\n1. 45 nhà / 50 nhà (90%)\n2. 35% / 40% (88%)\n3. 100% chỉ tiêu\nChưa báo cáo: nội dung 4.\n",
		"Tên nội dung và ghi chú: /myreport Quý I", "trả lời (reply) tin nhắn này bằng ảnh hoặc tệp")
	if strings.Contains(m.Text, "Vận động") || strings.Contains(m.Text, "khởi công") {
		t.Fatalf("a confirmation with titles or notes: %q", m.Text)
	}
	if strings.Contains(m.Text, "Nộp muộn") || strings.Contains(m.Text, "Thay cho") {
		t.Fatalf("a first report on time: %q", m.Text)
	}
	first := m.ID
	r := c.mustReport(3, "Quý I")
	if r.Revision != 1 || len(r.Entries) != 3 || r.Entries[0].Value != 45 || r.Entries[0].Note != "đã khởi công 5 nhà" ||
		r.Entries[1].OfTarget || !r.Entries[2].OfTarget || !c.confirms(m.ID, r) || r.Submitted.UserID != c.lan.ID {
		t.Fatalf("stored %+v (confirmation %d)", r, m.ID)
	}

	// A new submission replaces it; the history keeps both.
	c.now = time.Date(2026, 3, 31, 23, 30, 0, 0, hcm)
	m = c.say(c.group, c.lan, "/report 1\n1 50\n4 600 nửa chặng")
	expect(t, m.Text, "Thay cho báo cáo lần 1 của Lan gửi 02/03/2026 09:00; lịch sử vẫn giữ cả hai.", "\n1. 50 nhà / 50 nhà (100%)\n4. 600 hội viên / 1.200 hội viên (50%)\n",
		"Chưa báo cáo: nội dung 2, 3.")
	expect(t, c.say(c.group, c.lan, "/myreport Quý I").Text, "1. Vận động xây nhà đại đoàn kết — 50 nhà / 50 nhà (100%)",
		"2. Hộ sản xuất kinh doanh giỏi — chưa báo cáo", "4. Phát triển hội viên mới — 600 hội viên / 1.200 hội viên (50%) — nửa chặng")
	r = c.mustReport(3, "Quý I")
	if r.Revision != 2 || len(r.Earlier) != 1 || r.Earlier[0].Revision != 1 || !c.confirms(first, r) || !c.confirms(m.ID, r) || len(r.Entries) != 2 {
		t.Fatalf("replaced %+v", r)
	}
	h := c.say(c.group, c.hoa, "/lichsu 2").Text
	expect(t, h, "Lan: gửi báo cáo kết quả [Hội Nông dân tỉnh]: «Quý I — 1: 45 nhà (đã khởi công 5 nhà); 2: 35%; 3: 100% chỉ tiêu» → «Quý I — 1: 50 nhà; 4: 600 hội viên (nửa chặng)»",
		"Lan: gửi báo cáo kết quả [Hội Nông dân tỉnh]: «Quý I — 1: 45 nhà")

	// The day after the deadline a report is accepted and marked late.
	c.now = time.Date(2026, 4, 1, 0, 0, 0, 0, hcm)
	m = c.say(c.group, c.lan, "/report quy i\n1 50\n2 40%")
	expect(t, m.Text, "⏰ Nộp muộn: hạn của kỳ là 31/03/2026.", "Thay cho báo cáo lần 2 của Lan gửi 31/03/2026 23:30")
	b := c.block()
	if st := b.ReportStatusOf(b.Units[2].ID, b.Periods()[0], c.now); st != thidua.StatusLate {
		t.Fatalf("status %v", st)
	}
	expect(t, c.say(c.group, c.hoa, "/history 1").Text, "nộp muộn")
	m = c.say(c.group, c.lan, "/myreport")
	expect(t, m.Text, "Báo cáo kỳ Quý I — Hội Nông dân tỉnh (hạn 31/03/2026)", "Lần 3: Lan, 01/04/2026 00:00 — ⏰ nộp muộn",
		"Các lần gửi trước:", "• Lần 2: Lan, 31/03/2026 23:30 — đúng hạn", "• Lần 1: Lan, 02/03/2026 09:00 — đúng hạn", "Chưa có minh chứng")

	// An administrator reports for a unit with its number, and history says so.
	expect(t, c.say(c.group, c.admin, "/report #3 Quý I\n3 100%").Text, "Đã ghi báo cáo kỳ Quý I của Hội Nông dân tỉnh (Hùng,",
		"Tên nội dung và ghi chú: /myreport #3 Quý I")
	expect(t, c.say(c.group, c.hoa, "/history 1").Text, "Hùng (quản trị viên): gửi báo cáo kết quả [Hội Nông dân tỉnh]")
	c.refused(c.admin, "/report Quý I\n1 5", "Bạn không là đầu mối của đơn vị nào", "/report #6")
	c.noApology()
}

func TestReportBadInputAndRefusals(t *testing.T) {
	c := newResCast(t)
	for _, tc := range []struct {
		user *telegramtest.User
		text string
		want []string
	}{
		{c.hoa, "/report Quý I\n1 5", []string{"Bạn chưa là đầu mối của đơn vị nào trong khối. Gửi /join"}},
		{c.minh, "/report Quý I\n1 5", []string{"Đơn vị chưa đăng ký nội dung thi đua nào", "/pledge"}},
		{c.minh, "/report Quý I", []string{"Đơn vị chưa đăng ký nội dung thi đua nào"}},
		{c.lan, "/report #6 Quý I\n1 5", []string{"chỉ đầu mối của đơn vị mới báo cáo cho đơn vị mình"}},
		{c.lan, "/report #9 Quý I\n1 5", []string{"Sau dấu # là số thứ tự của đơn vị trong /units (từ 1 đến 7)"}},
		{c.lan, "/report", []string{"Bạn chưa nêu kỳ báo cáo. Các kỳ: 1. Quý I, 2. 6 tháng, 3. 9 tháng, 4. Năm.", "Cú pháp: /report", "Ví dụ: /report Quý I\n1 45"}},
		{c.lan, "/report Quý V\n1 5", []string{"Không tìm thấy kỳ báo cáo «Quý V»", "Các kỳ: 1. Quý I"}},
		{c.lan, "/report a\n1 5", []string{"Không tìm thấy kỳ báo cáo «a» (hoặc tên khớp với nhiều kỳ)"}},
		{c.lan, "/report Quý I\n5 10", []string{"Đơn vị không có nội dung đăng ký số này", "Cú pháp: /report"}},
		{c.lan, "/report Quý I\n1 10\n7 10", []string{"Dòng 2 («7 10»): Đơn vị không có nội dung đăng ký số này", "Chưa lưu dòng nào"}},
		{c.lan, "/report Quý I\n1 mười", []string{"Giá trị phải là một con số"}},
		{c.lan, "/report Quý I\n1 10\n2 -5", []string{"Dòng 2 («2 -5»): Giá trị không được là số âm"}},
		{c.lan, "/report Quý I\n1 5\n2 6\n1. 7", []string{"Dòng 3 («1. 7»)", "đã có ở một dòng trước"}},
		{c.lan, "/report Quý I\nmột 5", []string{"Mỗi dòng báo cáo gồm số thứ tự của nội dung"}},
		{c.lan, "/report Quý I\n1 5 " + strings.Repeat("x", thidua.MaxNoteLen+1), []string{"Ghi chú dài tối đa 300 ký tự"}},
	} {
		c.refused(tc.user, tc.text, tc.want...)
	}
	if len(c.block().Results.Reports) != 0 || len(c.block().Results.Drafts) != 0 {
		t.Fatalf("refused reports stored: %+v", c.block().Results)
	}
	c.noApology()
}

func TestReportStepByStep(t *testing.T) {
	c := newResCast(t)
	expect(t, c.say(c.group, c.lan, "/report 6 tháng\n1 30").Text, "Đã ghi báo cáo kỳ 6 tháng")
	w := c.say(c.group, c.lan, "/baocao Quý I")
	expect(t, w.Text, "📝 Báo cáo kỳ Quý I — Hội Nông dân tỉnh", "Lan đang nhập", "Nội dung 1/4: Vận động xây nhà đại đoàn kết",
		"Chỉ tiêu: 50 nhà · hạn 30/11/2026", "Báo cáo gần nhất (kỳ 6 tháng): 30 nhà / 50 nhà (60%)", "trả lời (reply) tin nhắn này bằng giá trị chính xác")
	if got := labels(w); !slices.Equal(got, []string{"0%", "25%", "50%", "75%", "100%", "Bỏ qua ▶️", "✖️ Huỷ"}) {
		t.Fatalf("buttons %v", got)
	}
	for _, row := range w.Buttons {
		for _, btn := range row {
			if len(btn.Data) > 64 {
				t.Fatalf("callback data %q is longer than 64 bytes", btn.Data)
			}
		}
	}
	b := c.block()
	if len(b.Results.Drafts) != 1 || b.Results.Drafts[0].MessageID != w.ID {
		t.Fatalf("draft %+v (message %d)", b.Results.Drafts, w.ID)
	}

	// Only the person filling it in answers.
	c.unchanged(func() {
		a := c.pressText(c.hoa, w, "50%")
		if !a.ShowAlert || !strings.Contains(a.Text, "Chỉ Lan (người đang nhập)") {
			t.Fatalf("someone else answered: %+v", a)
		}
		c.reply(c.minh, w, "45")
	})
	expect(t, c.lastIn(c.group.ID).Text, "Chỉ Lan (người đang nhập) mới trả lời được báo cáo này")

	c.pressText(c.lan, w, "50%")
	w = c.message(w.ID)
	expect(t, w.Text, "Nội dung 2/4: Hộ sản xuất kinh doanh giỏi", "Chỉ tiêu: 40% · hạn 30/11/2026", "Chưa báo cáo lần nào.")
	if got := labels(w); !slices.Contains(got, "◀️ Quay lại") {
		t.Fatalf("no way back: %v", got)
	}

	// The draft survives a restart; a reply gives the exact value and a note.
	c.stop()
	c.start()
	c.unchanged(func() { c.reply(c.lan, w, "nhiều lắm") })
	expect(t, c.lastIn(c.group.ID).Text, "Giá trị phải là một con số", "Chưa ghi nhận gì")
	c.reply(c.lan, w, "35 % đạt kế hoạch")
	w = c.message(w.ID)
	expect(t, w.Text, "Nội dung 3/4: Phong trào thi đua", "Chỉ tiêu: hoàn thành xuất sắc")
	d := c.block().Results.Drafts[0]
	if e, ok := d.Entry(d.Pledges[1]); !ok || e.Value != 35 || e.OfTarget || e.Note != "đạt kế hoạch" {
		t.Fatalf("reply stored as %+v", e)
	}

	// Back, then keep the value as it is; skip a pledge.
	c.pressText(c.lan, w, "◀️ Quay lại")
	w = c.message(w.ID)
	expect(t, w.Text, "Nội dung 2/4", "Trong lần nhập này: 35% / 40% (88%) — đạt kế hoạch")
	c.pressText(c.lan, w, "Giữ nguyên ▶️")
	w = c.message(w.ID)
	c.pressText(c.lan, w, "Bỏ qua ▶️")
	w = c.message(w.ID)
	expect(t, w.Text, "Nội dung 4/4: Phát triển hội viên mới", "hạn 30/06/2026")
	c.pressText(c.lan, w, "100%")
	w = c.message(w.ID)
	expect(t, w.Text, "Kiểm tra lại rồi bấm Gửi báo cáo:",
		"1. Vận động xây nhà đại đoàn kết — 50% của 50 nhà", "2. Hộ sản xuất kinh doanh giỏi — 35% / 40% (88%) — đạt kế hoạch",
		"3. Phong trào thi đua — chưa báo cáo", "4. Phát triển hội viên mới — 100% của 1.200 hội viên")
	if got := labels(w); !slices.Equal(got, []string{"✅ Gửi báo cáo", "◀️ Quay lại", "✖️ Huỷ"}) {
		t.Fatalf("summary buttons %v", got)
	}
	// Evidence comes after sending.
	c.unchanged(func() { c.handled(c.tg.SendPhoto(c.group, c.lan, &w, pngBytes(t), "")) })
	expect(t, c.lastIn(c.group.ID).Text, "Bấm «Gửi báo cáo» trước")

	c.pressText(c.lan, w, "✅ Gửi báo cáo")
	w = c.message(w.ID)
	expect(t, w.Text, "📊 Đã ghi báo cáo kỳ Quý I của Hội Nông dân tỉnh (Lan, 02/03/2026 09:00).", "Chưa báo cáo: nội dung 3.",
		"\n1. 50% của 50 nhà\n2. 35% / 40% (88%)\n4. 100% của 1.200 hội viên\n", "trả lời (reply) tin nhắn này bằng ảnh hoặc tệp")
	if len(w.Buttons) != 0 {
		t.Fatalf("buttons left: %v", labels(w))
	}
	r := c.mustReport(3, "Quý I")
	if r.Revision != 1 || len(r.Entries) != 3 || !c.confirms(w.ID, r) || !r.Entries[0].OfTarget || len(c.block().Results.Drafts) != 0 {
		t.Fatalf("submitted %+v, drafts %+v", r, c.block().Results.Drafts)
	}
	// Evidence in reply to the wizard's final message is attached.
	c.handled(c.tg.SendPhoto(c.group, c.lan, &w, pngBytes(t), "Ảnh công trình"))
	expect(t, c.lastIn(c.group.ID).Text, "📎 Đã đính kèm ảnh vào báo cáo kỳ Quý I của Hội Nông dân tỉnh (1 minh chứng)")

	// Starting again replaces an unfinished draft, which loses its buttons
	// (see TestReplacedDraftLosesItsButtons); cancelling stores nothing.
	first := c.say(c.group, c.lan, "/report Năm")
	second := c.say(c.group, c.lan, "/report Năm")
	if got := c.message(first.ID); len(got.Buttons) != 0 {
		t.Fatalf("the replaced draft keeps its buttons: %v", got.Buttons)
	}
	c.pressText(c.lan, second, "✖️ Huỷ")
	expect(t, c.message(second.ID).Text, "✖️ Đã huỷ lần nhập báo cáo kỳ Năm của Hội Nông dân tỉnh")
	if _, ok := c.report(3, "Năm"); ok || len(c.block().Results.Drafts) != 0 {
		t.Fatalf("a cancelled draft left something: %+v", c.block().Results)
	}
	// A late draft says so before it is sent; an empty one cannot be sent.
	c.now = time.Date(2026, 6, 20, 9, 0, 0, 0, hcm)
	w = c.skipToSummary(c.say(c.group, c.lan, "/report 6 tháng"))
	expect(t, w.Text, "⏰ Hạn của kỳ (15/06/2026) đã qua: báo cáo sẽ được đánh dấu nộp muộn.", "1. Vận động xây nhà đại đoàn kết — 30 nhà / 50 nhà (60%)")
	w = c.skipToSummary(c.say(c.group, c.lan, "/report 9 tháng"))
	expect(t, w.Text, "Chưa có giá trị nào: bấm Quay lại để nhập.")
	if got := labels(w); slices.Contains(got, "✅ Gửi báo cáo") {
		t.Fatalf("an empty report can be sent: %v", got)
	}
	c.noApology()
}

func TestEvidenceAndMyReport(t *testing.T) {
	c := newResCast(t)
	confirm := c.say(c.group, c.lan, "/report Quý I\n1 45\n2 35%")
	photo, pdf := pngBytes(t), []byte("%PDF-1.4 biên bản")

	c.handled(c.tg.SendPhoto(c.group, c.lan, &confirm, photo, "Lễ khởi công"))
	expect(t, c.lastIn(c.group.ID).Text, "📎 Đã đính kèm ảnh vào báo cáo kỳ Quý I của Hội Nông dân tỉnh (1 minh chứng). Xem lại: /myreport Quý I")
	// A replacement keeps the evidence; a reply to the older confirmation
	// still attaches to the period's report.
	expect(t, c.say(c.group, c.lan, "/report Quý I\n1 48").Text, "Thay cho báo cáo lần 1 của Lan")
	c.handled(c.tg.SendDocument(c.group, c.lan, &confirm, "biên-bản.pdf", pdf, ""))
	expect(t, c.lastIn(c.group.ID).Text, "📎 Đã đính kèm tệp «biên-bản.pdf» vào báo cáo kỳ Quý I", "(2 minh chứng)")
	r := c.mustReport(3, "Quý I")
	if len(r.Evidence) != 2 || r.Evidence[0].Kind != thidua.EvidencePhoto || r.Evidence[0].Caption != "Lễ khởi công" || r.Evidence[0].FileID == "" ||
		r.Evidence[1].Kind != thidua.EvidenceDocument || r.Evidence[1].Name != "biên-bản.pdf" || r.Evidence[1].Added.UserID != c.lan.ID {
		t.Fatalf("evidence %+v", r.Evidence)
	}
	expect(t, c.say(c.group, c.hoa, "/history 1").Text, "Lan: đính kèm minh chứng [Hội Nông dân tỉnh]: «Quý I: tệp biên-bản.pdf»")

	// Someone else's photo is refused; photos not replying to a report are
	// none of the bot's business.
	c.unchanged(func() { c.handled(c.tg.SendPhoto(c.group, c.hoa, &confirm, photo, "")) })
	expect(t, c.lastIn(c.group.ID).Text, "chỉ đầu mối của đơn vị mới báo cáo cho đơn vị mình")
	units := c.say(c.group, c.hoa, "/units")
	sent := c.tg.Sent(c.group.ID)
	c.unchanged(func() {
		c.handled(c.tg.SendPhoto(c.group, c.lan, nil, photo, "không trả lời"))
		c.handled(c.tg.SendPhoto(c.group, c.lan, &units, photo, ""))
		c.reply(c.lan, units, "cảm ơn")
	})
	if n := c.tg.Sent(c.group.ID); n != sent {
		t.Fatalf("the bot answered %d unrelated messages", n-sent)
	}

	m := c.say(c.group, c.lan, "/baocaocuatoi")
	expect(t, m.Text, "📊 Báo cáo kỳ Quý I — Hội Nông dân tỉnh (hạn 31/03/2026)", "Lần 2: Lan, 02/03/2026 09:00 — đúng hạn",
		"1. Vận động xây nhà đại đoàn kết — 48 nhà / 50 nhà (96%)", "2. Hộ sản xuất kinh doanh giỏi — chưa báo cáo",
		"• Lần 1: Lan", "Minh chứng (2):", "📷 1. ảnh «Lễ khởi công» — Lan, 02/03/2026 09:00", "📄 2. biên-bản.pdf — Lan",
		"Bấm số để bot gửi lại minh chứng đó.")
	if got := labels(m); !slices.Equal(got, []string{"📷 1", "📄 2", "📎 Gửi lại tất cả"}) {
		t.Fatalf("buttons %v", got)
	}
	c.unchanged(func() {
		a := c.pressText(c.hoa, m, "📄 2")
		if !a.ShowAlert || !strings.Contains(a.Text, "bạn chỉ xem được báo cáo của đơn vị mình") {
			t.Fatalf("a member had evidence sent: %+v", a)
		}
	})
	c.pressText(c.lan, m, "📄 2")
	doc := c.lastIn(c.group.ID)
	if doc.Document == nil || !bytes.Equal(doc.Document.Data, pdf) || doc.ReplyTo != m.ID {
		t.Fatalf("evidence not sent again: %+v", doc)
	}
	expect(t, doc.Text, "Minh chứng 2 — báo cáo kỳ Quý I của Hội Nông dân tỉnh")
	before := len(c.tg.Messages(c.group.ID))
	c.pressText(c.minh, m, "📎 Gửi lại tất cả") // the leader's representative may see every unit's
	msgs := c.tg.Messages(c.group.ID)[before:]
	if len(msgs) != 2 || msgs[0].Photo == nil || !bytes.Equal(msgs[0].Photo.Data, photo) || msgs[1].Document == nil {
		t.Fatalf("all evidence not sent again: %+v", msgs)
	}
	expect(t, msgs[0].Text, "Minh chứng 1 — báo cáo kỳ Quý I của Hội Nông dân tỉnh\nLễ khởi công")

	expect(t, c.say(c.group, c.minh, "/myreport #3 quy i").Text, "Báo cáo kỳ Quý I — Hội Nông dân tỉnh")
	expect(t, c.say(c.group, c.lan, "/myreport 6 tháng").Text, "Hội Nông dân tỉnh chưa gửi báo cáo kỳ 6 tháng (hạn 15/06/2026). Báo cáo bằng /report 6 tháng.")
	expect(t, c.say(c.group, c.minh, "/myreport").Text, "Tỉnh Đoàn chưa gửi báo cáo kết quả nào")
	expect(t, c.say(c.group, c.lan, "/myreport Quý IX").Text, "Không tìm thấy kỳ báo cáo «Quý IX»")
	c.refused(c.hoa, "/myreport", "Bạn chưa là đầu mối của đơn vị nào")
	c.refused(c.hoa, "/myreport #3", "bạn chỉ xem được báo cáo của đơn vị mình")
	expect(t, c.say(c.group, c.lan, "/report 6 tháng\n1 49").Text, "Đã ghi")
	expect(t, c.say(c.group, c.lan, "/myreport").Text, "Báo cáo kỳ 6 tháng — Hội Nông dân tỉnh", "Chưa có minh chứng",
		"Các kỳ đã báo cáo: Quý I, 6 tháng")
	c.noApology()
}

// In the group, the answer to /myreport takes evidence in reply, as the
// report's confirmation does: evidence can follow a report long after its
// confirmation scrolled away. A photo replying to a confirmation whose note
// is gone (trimmed as the chat went on, dropped when the group moved, lost
// in a crash) is answered with the way to attach it, not ignored.
func TestEvidenceInReplyToMyReport(t *testing.T) {
	c := newResCast(t)
	confirm := c.say(c.group, c.lan, "/report Quý I\n1 45")
	m := c.say(c.group, c.lan, "/myreport")
	expect(t, m.Text, "Chưa có minh chứng.\n", "📎 Minh chứng: trả lời (reply) tin nhắn này bằng ảnh hoặc tệp để đính kèm vào báo cáo.")
	c.handled(c.tg.SendPhoto(c.group, c.lan, &m, pngBytes(t), "Biên bản"))
	expect(t, c.lastIn(c.group.ID).Text, "📎 Đã đính kèm ảnh vào báo cáo kỳ Quý I của Hội Nông dân tỉnh (1 minh chứng)")
	if r := c.mustReport(3, "Quý I"); len(r.Evidence) != 1 || r.Evidence[0].Caption != "Biên bản" {
		t.Fatalf("evidence %+v", r.Evidence)
	}

	// The notes are gone.
	if err := c.store.(interface{ FlushNotes(context.Context) error }).FlushNotes(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := c.redis.Del(t.Context(), c.prefix+"{b:"+c.block().ID+"}:notes").Err(); err != nil {
		t.Fatal(err)
	}
	for _, to := range []telegramtest.Message{confirm, m} {
		c.unchanged(func() { c.handled(c.tg.SendDocument(c.group, c.lan, &to, "biên-bản.pdf", []byte("%PDF-1.4"), "")) })
		expect(t, c.lastIn(c.group.ID).Text, "⚠️ Chưa đính kèm được: bot không còn tìm thấy báo cáo gắn với tin nhắn này. Gõ /myreport")
	}
	// A new /myreport takes it; replies to other messages of the bot are
	// still none of its business.
	again := c.say(c.group, c.lan, "/myreport Quý I")
	expect(t, again.Text, "Minh chứng (1):", "📎 Minh chứng: trả lời (reply)")
	c.handled(c.tg.SendDocument(c.group, c.lan, &again, "biên-bản.pdf", []byte("%PDF-1.4"), ""))
	expect(t, c.lastIn(c.group.ID).Text, "📎 Đã đính kèm tệp «biên-bản.pdf» vào báo cáo kỳ Quý I", "(2 minh chứng)")
	units := c.say(c.group, c.hoa, "/units")
	sent := c.tg.Sent(c.group.ID)
	c.unchanged(func() { c.handled(c.tg.SendPhoto(c.group, c.lan, &units, pngBytes(t), "")) })
	if n := c.tg.Sent(c.group.ID); n != sent {
		t.Fatalf("the bot answered a photo replying to /units")
	}
	// The leader's representative sees the unit's report; only the unit's
	// representatives attach evidence to it.
	other := c.say(c.group, c.minh, "/myreport #3")
	c.unchanged(func() { c.handled(c.tg.SendPhoto(c.group, c.minh, &other, pngBytes(t), "")) })
	expect(t, c.lastIn(c.group.ID).Text, "chỉ đầu mối của đơn vị mới báo cáo cho đơn vị mình")
	c.noApology()
}

// A block written by a release that recorded the messages confirming
// reports in the block itself (thidua.ReportMessages), not as notes in
// storage: evidence in reply to such a message still goes to its report.
func TestEvidenceToConfirmationOfEarlierRelease(t *testing.T) {
	c := newResCast(t)
	old := c.confirmationOfEarlierRelease()
	c.handled(c.tg.SendPhoto(c.group, c.lan, &old, pngBytes(t), "Biên bản"))
	expect(t, c.lastIn(c.group.ID).Text, "📎 Đã đính kèm ảnh vào báo cáo kỳ Quý I của Hội Nông dân tỉnh (1 minh chứng)")
	if r := c.mustReport(3, "Quý I"); len(r.Evidence) != 1 || r.Evidence[0].Caption != "Biên bản" {
		t.Fatalf("evidence %+v", r.Evidence)
	}
	c.noApology()
}

// A note names the chat of the message it is about: one of the chat a group
// left, written after the move by a replica whose notes were still waiting,
// is not taken for the new chat's message of the same id. A note of the
// previous release names no chat, and still counts.
func TestEvidenceNoteOfAnotherChat(t *testing.T) {
	c := newResCast(t)
	expect(t, c.say(c.group, c.lan, "/report Quý I\n1 45").Text, "Đã ghi báo cáo")
	r := c.mustReport(3, "Quý I")
	ids := r.UnitID + ":" + r.PeriodID + ":" + strconv.Itoa(r.Revision)
	stale := c.say(c.group, c.hoa, "/units") // stands for a message with the id of an old chat's confirmation
	legacy := c.say(c.group, c.hoa, "/units")
	for id, note := range map[int]string{stale.ID: "report:-1009:" + ids, legacy.ID: "report:" + ids} {
		if err := c.store.NoteMessage(t.Context(), c.block().ID, id, note); err != nil {
			t.Fatal(err)
		}
	}
	c.handled(c.tg.SendPhoto(c.group, c.lan, &stale, pngBytes(t), "Ảnh lạc"))
	if r := c.mustReport(3, "Quý I"); len(r.Evidence) != 0 {
		t.Fatalf("a photo replying to a message noted in another chat became evidence: %+v", r.Evidence)
	}
	c.handled(c.tg.SendPhoto(c.group, c.lan, &legacy, pngBytes(t), "Biên bản"))
	expect(t, c.lastIn(c.group.ID).Text, "📎 Đã đính kèm ảnh vào báo cáo kỳ Quý I của Hội Nông dân tỉnh (1 minh chứng)")
	if r := c.mustReport(3, "Quý I"); len(r.Evidence) != 1 || r.Evidence[0].Caption != "Biên bản" {
		t.Fatalf("evidence %+v", r.Evidence)
	}
	c.noApology()
}

func TestProgressBoard(t *testing.T) {
	c := newResCast(t)
	expect(t, c.say(c.group, c.hoa, "/tiendo").Text, "1. Quý I (hạn 31/03/2026): … 7", "… chưa đến hạn",
		"1. Hội Nông dân tỉnh", "░░░░░░░░░░ 0% · … … … …", "• Ủy ban MTTQ Việt Nam tỉnh\n   ⚠️ chưa đăng ký nội dung nào · … … … …",
		"Thứ tự ký hiệu trong mỗi dòng: Quý I → 6 tháng → 9 tháng → Năm")
	an := c.member("An", "an")
	c.join(an, "Ủy ban MTTQ Việt Nam tỉnh")
	expect(t, c.say(c.group, an, "/pledge Tuyên truyền | 10 buổi").Text, "Đã ghi 1 nội dung")
	c.say(c.group, c.minh, "/pledge Phong trào | xuất sắc")

	expect(t, c.say(c.group, c.lan, "/report Quý I\n1 50\n2 32%\n4 600").Text, "Đã ghi")
	c.now = time.Date(2026, 4, 2, 9, 0, 0, 0, hcm)
	expect(t, c.say(c.group, an, "/report Quý I\n1 3").Text, "Nộp muộn")
	m := c.say(c.group, c.hoa, "/progress")
	expect(t, m.Text, "📈 TIẾN ĐỘ THI ĐUA NĂM 2026", "Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai — ngày 02/04/2026",
		"1. Quý I (hạn 31/03/2026): ✅ 1 · ⏰ 1 · ❌ 5",
		"❌ Chưa nộp: Hội Cựu chiến binh tỉnh, Liên đoàn Lao động tỉnh, Hội Liên hiệp Phụ nữ tỉnh, Tỉnh Đoàn, Hội Chữ thập đỏ tỉnh",
		"2. 6 tháng (hạn 15/06/2026): … 7",
		// (100 + 80 + 50) / 3 = 77%, then An's 3 of 10 buổi.
		"1. Hội Nông dân tỉnh\n   ▓▓▓▓▓▓▓▓░░ 77% · ✅ … … …",
		"2. Ủy ban MTTQ Việt Nam tỉnh\n   ▓▓▓░░░░░░░ 30% · ⏰ … … …",
		"• Tỉnh Đoàn\n   chưa có chỉ tiêu định lượng · ❌ … … …")
	if i, j := strings.Index(m.Text, "Hội Cựu chiến binh tỉnh\n"), strings.Index(m.Text, "• Tỉnh Đoàn"); i < 0 || j < i {
		t.Fatalf("units without measurable targets do not come last:\n%s", m.Text)
	}
	c.noApology()
}

// TestReportNamesAQuarterWithADigit checks that a period named with a
// Roman numeral, «Quý I», is found by the way staff often type it, «quý 1»
// or «quy 2», in /report and /myreport, as any part of its name is; a
// Roman numeral alone still names nothing.
func TestReportNamesAQuarterWithADigit(t *testing.T) {
	c := newResCast(t)
	c.say(c.group, c.minh, "/kybaocao Quý II | 30/06")
	expect(t, c.say(c.group, c.lan, "/baocao quý 1\n1 45").Text, "📊 Đã ghi báo cáo kỳ Quý I của Hội Nông dân tỉnh")
	if r, ok := c.report(3, "Quý I"); !ok || r.Entries[0].Value != 45 {
		t.Fatalf("the report of Quý I: %+v", r)
	}
	expect(t, c.say(c.group, c.lan, "/baocao quy 2\n1 48").Text, "📊 Đã ghi báo cáo kỳ Quý II của Hội Nông dân tỉnh")
	expect(t, c.say(c.group, c.lan, "/baocaocuatoi Quý 1").Text, "📊 Báo cáo kỳ Quý I — Hội Nông dân tỉnh (hạn 31/03/2026)")
	c.refused(c.lan, "/baocao I\n1 50", "Không tìm thấy kỳ báo cáo «I»")
}

// TestReplacedDraftLosesItsButtons checks that a report filled in step by
// step, replaced by another started for the same unit and period or by a
// report sent in one message, loses its buttons, which would only be
// refused now, and says it was replaced; a reply to it is still told that
// nothing was recorded.
func TestReplacedDraftLosesItsButtons(t *testing.T) {
	c := newResCast(t)
	first := c.say(c.group, c.lan, "/baocao Quý I")
	c.press(c.group, c.lan, first, button(t, first, "50%"))
	second := c.say(c.group, c.lan, "/baocao Quý I")
	got := c.message(first.ID)
	expect(t, got.Text, "⤵️ Lần nhập báo cáo kỳ Quý I của Hội Nông dân tỉnh đã được thay bằng lần nhập hoặc báo cáo mới hơn của Lan; chưa có gì được ghi từ tin nhắn này.")
	if len(got.Buttons) != 0 || len(c.message(second.ID).Buttons) == 0 {
		t.Fatalf("the replaced draft keeps its buttons %v, or the new one has none", got.Buttons)
	}
	expect(t, c.say(c.group, c.lan, "/baocao Quý I\n1 45").Text, "📊 Đã ghi báo cáo kỳ Quý I của Hội Nông dân tỉnh")
	if got := c.message(second.ID); len(got.Buttons) != 0 || !strings.Contains(got.Text, "đã được thay bằng lần nhập hoặc báo cáo mới hơn") {
		t.Fatalf("the draft replaced by a report: %q %v", got.Text, got.Buttons)
	}
	if n := len(c.block().Results.Drafts); n != 0 {
		t.Fatalf("%d drafts kept", n)
	}
	c.handled(c.tg.Reply(c.group, c.lan, &second, "48"))
	expect(t, c.lastIn(c.group.ID).Text, "chưa ghi nhận gì")
	if r, _ := c.report(3, "Quý I"); r.Entries[0].Value != 45 {
		t.Fatalf("the report: %+v", r)
	}
}

// TestExpiredDraftSaysItExpired checks that a report filled in step by step
// and left for longer than a draft is kept, which the bot drops when
// another unit starts one, loses its buttons saying that it expired and how
// to start again, not that a newer report of its unit replaced it.
func TestExpiredDraftSaysItExpired(t *testing.T) {
	c := newResCast(t)
	expect(t, c.say(c.group, c.minh, "/dangky Thành lập đội thanh niên tình nguyện | 40 đội").Text, "Đã ghi 1 nội dung")
	old := c.say(c.group, c.lan, "/baocao Quý I")
	c.now = c.now.Add(thidua.DraftLifetime + time.Hour)
	fresh := c.say(c.group, c.minh, "/baocao Quý I")
	if len(fresh.Buttons) == 0 {
		t.Fatalf("no draft for Tỉnh Đoàn: %q", fresh.Text)
	}
	got := c.message(old.ID)
	if strings.Contains(got.Text, "thay bằng") || len(got.Buttons) != 0 {
		t.Fatalf("the expired draft: %q %v", got.Text, got.Buttons)
	}
	expect(t, got.Text, "⌛ Lần nhập báo cáo kỳ Quý I của Hội Nông dân tỉnh đã hết hạn", "chưa có gì được ghi từ tin nhắn này", "/report Quý I")
	if n := len(c.block().Results.Drafts); n != 1 {
		t.Fatalf("%d drafts kept", n)
	}
	c.handled(c.tg.Reply(c.group, c.lan, &old, "48"))
	expect(t, c.lastIn(c.group.ID).Text, "chưa ghi nhận gì")
}

// TestReportRedeliveredAfterACrashRetiresTheDraft checks that a /report
// whose change the bot stored before it died, unacknowledged, retires the
// step-by-step draft the change replaced when Telegram delivers it again,
// as the first delivery would have: the report sent in one message takes
// the buttons off the draft of its unit and period; a draft started again
// is posted, since nothing else shows it, and takes them off the draft it
// replaced.
func TestReportRedeliveredAfterACrashRetiresTheDraft(t *testing.T) {
	c := newResCast(t)
	lan := thidua.Actor{UserID: c.lan.ID, Name: "Lan"}
	quarter := func(b *thidua.Block) string { p, _ := b.FindPeriod("Quý I"); return p.ID }

	draft := c.say(c.group, c.lan, "/baocao Quý I")
	c.crashAfterWrite(c.lan, "/baocao Quý I\n1 45", func(b *thidua.Block) error {
		_, err := b.SubmitReport(lan, b.Units[2].ID, quarter(b), []thidua.ReportLine{{No: 1, Value: thidua.Value{Number: 45}}}, c.now)
		return err
	})
	got := c.message(draft.ID)
	if len(got.Buttons) != 0 || !strings.Contains(got.Text, "đã được thay bằng lần nhập hoặc báo cáo mới hơn") {
		t.Fatalf("the draft the report replaced: %q %v", got.Text, got.Buttons)
	}
	expect(t, c.lastIn(c.group.ID).Text, "Yêu cầu này đã được ghi nhận trước đó")

	first := c.say(c.group, c.lan, "/baocao Quý I")
	c.crashAfterWrite(c.lan, "/baocao Quý I", func(b *thidua.Block) error {
		_, err := b.StartDraft(lan, b.Units[2].ID, quarter(b), "", c.now)
		return err
	})
	got = c.message(first.ID)
	if len(got.Buttons) != 0 || !strings.Contains(got.Text, "đã được thay bằng lần nhập hoặc báo cáo mới hơn") {
		t.Fatalf("the draft the new one replaced: %q %v", got.Text, got.Buttons)
	}
	second := c.lastIn(c.group.ID)
	expect(t, second.Text, "📝 Báo cáo kỳ Quý I — Hội Nông dân tỉnh")
	c.press(c.group, c.lan, second, button(t, second, "50%"))
	if d := c.block().Results.Drafts; len(d) != 1 || d[0].MessageID != second.ID || d[0].Step != 1 {
		t.Fatalf("drafts %+v", d)
	}
}

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
func TestDraftAfterTheGroupMovedIgnoresTheNewChatsMessages(t *testing.T) {
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
func TestEvidenceToConfirmationOfEarlierReleaseAfterTheGroupMoved(t *testing.T) {
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
func TestAnonymousAdminGetsNoDraftNobodyCanAnswer(t *testing.T) {
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
func TestReplyToADroppedDraftIsAnswered(t *testing.T) {
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

// The commands the bot suggests to an administrator acting for a unit name
// that unit, as the report's confirmation does: the same commands without
// #số are refused for someone who represents no unit, or act for their own.
func TestHintsToAnAdministratorNameTheUnit(t *testing.T) {
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

// Evidence sent after /newyear in reply to a confirmation of a finished
// year is not sent down a dead end: /myreport no longer shows that year's
// reports (and would tell the unit to report again), so the answer says
// which year the report belongs to and where its data is, and nothing is
// attached; the same two years on, the block having turned twice, rather
// than that the confirmation was lost.
func TestEvidenceAfterTheTurnSaysTheYearIsClosed(t *testing.T) {
	for _, c := range []struct {
		name  string
		years []int // the years the block turns to
		want  []string
	}{
		{"the year after", []int{2027}, []string{"năm thi đua 2026", "/export 2026"}},
		{"two years after", []int{2027, 2028}, []string{"thuộc năm thi đua 2026", "chuyển sang năm 2027", "/export 2026"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			reps := pledgedElectorate(h)
			conf := h.say(h.group, reps[2], "/baocao Cả năm\n1 45")
			expect(t, conf.Text, "Đã ghi báo cáo kỳ Cả năm")
			for _, next := range c.years {
				h.turnYear(time.Date(next-1, 12, 2, 9, 0, 0, 0, hcm))
				if b := h.block(); b.Year != next {
					t.Fatalf("the block is in %d, want %d", b.Year, next)
				}
			}
			version := h.block().Version

			h.handled(h.tg.SendPhoto(h.group, reps[2], &conf, []byte("jpg"), "Lễ khánh thành"))
			m, _ := h.tg.LastMessage(h.group.ID)
			expect(t, m.Text, c.want...)
			if strings.Contains(m.Text, "/myreport") {
				t.Fatalf("the answer sends the user to /myreport, which no longer has 2026: %q", m.Text)
			}
			if h.block().Version != version {
				t.Fatal("the evidence changed the block")
			}
		})
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
