package handlers_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// phoneWalk is the results cast (see resCast) on their phones: Lan and Nga
// represent Hội Nông dân tỉnh (unit 3), whose four pledges are a number, a
// percentage, a free text and a number due 30/06; Peter, whose Telegram
// speaks English, represents Hội Chữ thập đỏ tỉnh (unit 7). They fill in
// reports step by step with buttons and replies, tap twice, start drafts
// over each other's, and send evidence as albums, files and photos.
type phoneWalk struct {
	*resCast
	nga, peter *telegramtest.User
}

func TestPhoneWalkthrough(t *testing.T) {
	w := &phoneWalk{resCast: newResCast(t)}
	w.nga = w.member("Nga", "")
	w.join(w.nga, "Hội Nông dân tỉnh")
	w.peter = w.member("Peter", "peter_ctd", telegramtest.Lang("en"))
	w.join(w.peter, "Hội Chữ thập đỏ tỉnh")

	w.stepByStep()
	w.overEachOther()
	w.listChanged()
	w.periodChanged()
	w.leftEightDays()
	w.longList()
	w.evidence()
	w.album()
	w.inEnglish()
	w.noApology()
}

// draft returns the block's draft shown in the bot's message id.
func (w *phoneWalk) draft(id int) (thidua.ReportDraft, bool) {
	return w.block().DraftByMessage(id)
}

// step fails unless the draft shown in msg is at step (0 the first
// pledge) and holds n answers.
func (w *phoneWalk) step(msg telegramtest.Message, step, n int) {
	w.t.Helper()
	d, ok := w.draft(msg.ID)
	if !ok || d.Step != step || len(d.Entries) != n {
		w.t.Fatalf("draft of message %d: %+v (found %v), want step %d with %d answers", msg.ID, d, ok, step, n)
	}
}

// noDrafts fails unless the block keeps no draft.
func (w *phoneWalk) noDrafts() {
	w.t.Helper()
	if d := w.block().Results.Drafts; len(d) != 0 {
		w.t.Fatalf("drafts left: %+v", d)
	}
}

// retired returns the bot's message id, failing unless it says want and
// has lost its buttons: a draft dropped by a change.
func (w *phoneWalk) retired(id int, want string) telegramtest.Message {
	w.t.Helper()
	m := w.message(id)
	expect(w.t, m.Text, want)
	if len(m.Buttons) != 0 {
		w.t.Fatalf("the dropped draft %q keeps its buttons %v", m.Text, labels(m))
	}
	return m
}

// tapped has user press the buttons of msg labelled labels, in order, so
// fast that the bot handles none before the last is pressed, as a finger
// on a slow connection does; it returns the answers each press got.
func (w *phoneWalk) tapped(user *telegramtest.User, msg telegramtest.Message, labels ...string) []telegramtest.CallbackAnswer {
	w.t.Helper()
	var ups []telegramtest.Update
	for _, l := range labels {
		u, err := w.tg.PressText(w.group, user, &msg, l)
		if err != nil {
			w.t.Fatal(err)
		}
		ups = append(ups, u)
	}
	answers := make([]telegramtest.CallbackAnswer, len(ups))
	for i, u := range ups {
		w.handled(u)
		a, ok := w.tg.AnswerOf(u.CallbackQueryID)
		if !ok {
			w.t.Fatalf("press %q not answered", labels[i])
		}
		answers[i] = a
	}
	return answers
}

// answered has user reply to msg with text, expects the bot's answer to
// contain want and the block to be unchanged: bad input changes nothing.
func (w *phoneWalk) answered(user *telegramtest.User, msg telegramtest.Message, text string, want ...string) {
	w.t.Helper()
	w.unchanged(func() { w.reply(user, msg, text) })
	expect(w.t, w.lastIn(w.group.ID).Text, want...)
}

// stepByStep has Lan fill in Quý I on her phone: a double tap, no way back
// from the first pledge, replies in Vietnamese notation with and without a
// note, a word that is no number, a value for the free-text pledge, a
// percentage, and a restart of the bot in the middle.
func (w *phoneWalk) stepByStep() {
	t := w.t
	d := w.say(w.group, w.lan, "/baocao Quý I")
	expect(t, d.Text, "📝 Báo cáo kỳ Quý I — Hội Nông dân tỉnh\nLan đang nhập; chỉ người này bấm được các nút.", "Nội dung 1/4: Vận động xây nhà đại đoàn kết")
	if slices.Contains(labels(d), "◀️ Quay lại") {
		t.Fatalf("the first pledge has a way back: %v", labels(d))
	}
	// Two fast taps on 50%: the second finds the question answered.
	as := w.tapped(w.lan, d, "50%", "50%")
	if as[0].Text != "" || as[1].Text != "Câu này đã được trả lời rồi." || as[1].ShowAlert {
		t.Fatalf("double tap answered %+v", as)
	}
	w.step(d, 1, 1)
	d = w.message(d.ID)
	expect(t, d.Text, "Nội dung 2/4: Hộ sản xuất kinh doanh giỏi", "Chỉ tiêu: 40%")
	// Back on the second, then forward again, tapped twice: one step only.
	w.tapped(w.lan, d, "◀️ Quay lại", "◀️ Quay lại")
	w.step(d, 0, 1)
	d = w.message(d.ID)
	expect(t, d.Text, "Nội dung 1/4", "Trong lần nhập này: 50% của 50 nhà")
	if slices.Contains(labels(d), "◀️ Quay lại") || !slices.Contains(labels(d), "Giữ nguyên ▶️") {
		t.Fatalf("first pledge, answered: %v", labels(d))
	}
	// A reply in Vietnamese notation with a note replaces the level.
	w.reply(w.lan, d, "47,5 nhà - đã khởi công 5 nhà")
	w.step(d, 1, 1)
	if e := w.block().Results.Drafts[0].Entries[0]; e.Value != 47.5 || e.OfTarget || e.Note != "đã khởi công 5 nhà" {
		t.Fatalf("reply stored as %+v", e)
	}
	// Text that is no number, a negative value, an empty note's separator.
	d = w.message(d.ID)
	w.answered(w.lan, d, "khoảng ba mươi", "Giá trị phải là một con số viết kiểu Việt Nam (45, 1.200, 25,3)", "Chưa ghi nhận gì.")
	w.answered(w.lan, d, "-5", "Giá trị không được là số âm.", "Chưa ghi nhận gì.")
	// The bot restarts; a percentage against a percentage target.
	w.stop()
	w.start()
	w.reply(w.lan, d, "35%")
	w.step(d, 2, 2)
	d = w.message(d.ID)
	expect(t, d.Text, "Nội dung 3/4: Phong trào thi đua", "Chỉ tiêu: hoàn thành xuất sắc · hạn 30/11/2026")
	// A number for the free-text pledge is taken as it is.
	w.reply(w.lan, d, "1.200")
	w.step(d, 3, 3)
	// A value only for the last; the summary shows each.
	w.reply(w.lan, w.message(d.ID), "1.150")
	d = w.message(d.ID)
	expect(t, d.Text, "Kiểm tra lại rồi bấm Gửi báo cáo:",
		"1. Vận động xây nhà đại đoàn kết — 47,5 nhà / 50 nhà (95%) — đã khởi công 5 nhà",
		"2. Hộ sản xuất kinh doanh giỏi — 35% / 40% (88%)", "3. Phong trào thi đua — 1.200",
		"4. Phát triển hội viên mới — 1.150 hội viên / 1.200 hội viên (96%)")
	// A reply to the summary is told every pledge is done; a photo that
	// the report is not sent yet.
	w.answered(w.lan, d, "12", "Đã nhập xong các nội dung: bấm «Gửi báo cáo», hoặc «Quay lại» để sửa.")
	w.unchanged(func() { w.handled(w.tg.SendPhoto(w.group, w.lan, &d, pngBytes(t), "Ảnh")) })
	expect(t, w.lastIn(w.group.ID).Text, "Bấm «Gửi báo cáo» trước, rồi trả lời tin nhắn này bằng ảnh hoặc tệp minh chứng.")
	// Sent twice in a hurry: one report.
	as = w.tapped(w.lan, d, "✅ Gửi báo cáo", "✅ Gửi báo cáo")
	expect(t, as[1].Text, "Lần nhập báo cáo này đã được gửi, huỷ hoặc thay bằng lần nhập khác.")
	if r := w.mustReport(3, "Quý I"); r.Revision != 1 || len(r.Entries) != 4 || len(w.block().Results.Drafts) != 0 {
		t.Fatalf("report %+v, drafts %+v", r, w.block().Results.Drafts)
	}
	expect(t, w.message(d.ID).Text, "📊 Đã ghi báo cáo kỳ Quý I của Hội Nông dân tỉnh (Lan, 02/03/2026 09:00).", "1. 47,5 nhà / 50 nhà (95%)")
}

// overEachOther has Nga press and answer Lan's draft, start her own over
// it, Lan keep drafts of two periods, report one in a single message while
// its draft is open, and cancel one with a tap on a level right after.
func (w *phoneWalk) overEachOther() {
	t := w.t
	lan := w.say(w.group, w.lan, "/report 6 tháng")
	w.pressText(w.lan, lan, "25%")
	w.unchanged(func() {
		a := w.pressText(w.nga, w.message(lan.ID), "50%")
		if !a.ShowAlert || a.Text != "Chỉ Lan (người đang nhập) mới trả lời được báo cáo này. Muốn tự nhập: /report 6 tháng" {
			t.Fatalf("Nga pressed Lan's draft: %+v", a)
		}
	})
	w.answered(w.nga, lan, "45", "Chỉ Lan (người đang nhập) mới trả lời được báo cáo này. Muốn tự nhập: /report 6 tháng")
	// Nga starts her own: asked first, since Lan has answered one pledge,
	// she replaces it; Lan's says so.
	nga := w.say(w.group, w.nga, "/report 6 tháng")
	expect(t, nga.Text, "✋ Lan đang nhập báo cáo kỳ 6 tháng", "đã nhập 1/4 nội dung")
	w.pressText(w.nga, nga, "🔁 Thay bằng lần nhập mới")
	nga = w.message(nga.ID)
	expect(t, nga.Text, "Nga đang nhập", "Nội dung 1/4")
	got := w.retired(lan.ID, "⤵️ Lần nhập báo cáo kỳ 6 tháng của Hội Nông dân tỉnh đã được thay bằng lần nhập hoặc báo cáo mới hơn của Nga; chưa có gì được ghi từ tin nhắn này.")
	w.answered(w.lan, got, "45", "⚠️ Lần nhập báo cáo này đã được gửi, huỷ hoặc thay bằng lần nhập khác nên không nhận trả lời nữa; chưa ghi nhận gì.")
	w.unchanged(func() {
		if a := w.pressText(w.lan, nga, "25%"); !strings.Contains(a.Text, "Chỉ Nga (người đang nhập)") {
			t.Fatalf("Lan pressed Nga's draft: %+v", a)
		}
	})
	// Lan keeps drafts of two other periods at once.
	nine := w.say(w.group, w.lan, "/report 9 tháng")
	year := w.say(w.group, w.lan, "/report Năm")
	w.pressText(w.lan, nine, "75%")
	w.pressText(w.lan, year, "100%")
	w.step(nine, 1, 1)
	w.step(year, 1, 1)
	w.step(nga, 0, 0)
	// A report in one message replaces the open draft of its period only.
	expect(t, w.say(w.group, w.nga, "/report 9 tháng\n1 30").Text, "📊 Đã ghi báo cáo kỳ 9 tháng của Hội Nông dân tỉnh (Nga")
	w.retired(nine.ID, "⤵️ Lần nhập báo cáo kỳ 9 tháng của Hội Nông dân tỉnh đã được thay")
	w.step(year, 1, 1)
	// Cancel, and a level tapped right after: nothing recorded.
	year = w.message(year.ID)
	as := w.tapped(w.lan, year, "✖️ Huỷ", "50%")
	if !as[1].ShowAlert || as[1].Text != "Lần nhập báo cáo này đã được gửi, huỷ hoặc thay bằng lần nhập khác." {
		t.Fatalf("a tap after cancelling: %+v", as[1])
	}
	expect(t, w.message(year.ID).Text, "✖️ Đã huỷ lần nhập báo cáo kỳ Năm của Hội Nông dân tỉnh; chưa có gì được ghi.")
	if _, ok := w.report(3, "Năm"); ok {
		t.Fatal("a cancelled draft was reported")
	}
	w.pressText(w.nga, nga, "✖️ Huỷ")
	w.noDrafts()
}

// listChanged has Lan's draft meet her unit's list changed under it: a
// pledge added, and the pledge at her step removed.
func (w *phoneWalk) listChanged() {
	t := w.t
	d := w.say(w.group, w.lan, "/report Năm")
	w.pressText(w.lan, d, "25%")
	expect(t, w.say(w.group, w.lan, "/pledge Tập huấn cán bộ hội | 4 lớp").Text, "Đã ghi 1 nội dung")
	expect(t, w.say(w.group, w.lan, "/delpledge 2").Text, "Đã xoá nội dung số 2")
	d = w.message(d.ID)
	expect(t, d.Text, "Nội dung 2/4: Hộ sản xuất kinh doanh giỏi") // as shown before the change
	// A level, then a reply, for the pledge removed: told precisely, and
	// the message shows the step as it now is.
	w.unchanged(func() {
		if a := w.pressText(w.lan, d, "50%"); !a.ShowAlert || a.Text != "Nội dung này đã bị xoá khỏi danh sách đăng ký nên không nhận giá trị; bấm «Bỏ qua» để sang nội dung tiếp theo." {
			t.Fatalf("a level for a removed pledge: %+v", a)
		}
	})
	d = w.message(d.ID)
	expect(t, d.Text, "Nội dung 2/4: (nội dung này đã bị xoá khỏi danh sách đăng ký; bấm Bỏ qua)")
	w.answered(w.lan, d, "12", "Nội dung này đã bị xoá khỏi danh sách đăng ký nên không nhận giá trị; bấm «Bỏ qua» để sang nội dung tiếp theo.")
	w.pressText(w.lan, d, "Bỏ qua ▶️")
	d = w.message(d.ID)
	expect(t, d.Text, "Nội dung 3/4: Phong trào thi đua")
	w.pressText(w.lan, d, "Bỏ qua ▶️")
	// The pledge added meanwhile is asked after the last.
	w.pressText(w.lan, w.message(d.ID), "Bỏ qua ▶️")
	d = w.message(d.ID)
	expect(t, d.Text, "Nội dung 5/5: Tập huấn cán bộ hội", "Chỉ tiêu: 4 lớp")
	w.pressText(w.lan, d, "50%")
	d = w.message(d.ID)
	expect(t, d.Text, "1. Vận động xây nhà đại đoàn kết — 25% của 50 nhà", "4. Tập huấn cán bộ hội — 50% của 4 lớp")
	w.pressText(w.lan, d, "✖️ Huỷ")
}

// periodChanged has Nga's draft meet its period renamed, then deleted.
func (w *phoneWalk) periodChanged() {
	t := w.t
	expect(t, w.say(w.group, w.minh, "/period Quý IV | 15/12").Text, "Đã thêm 1 kỳ báo cáo")
	d := w.say(w.group, w.nga, "/report Quý IV")
	expect(t, w.say(w.group, w.minh, "/period edit Quý IV | Quý 4 (bổ sung) |").Text, "sau: Quý 4 (bổ sung)")
	w.pressText(w.nga, d, "25%")
	expect(t, w.message(d.ID).Text, "📝 Báo cáo kỳ Quý 4 (bổ sung) — Hội Nông dân tỉnh")
	expect(t, w.say(w.group, w.minh, "/period delete Quý 4").Text, "🗑 Đã xoá kỳ báo cáo Quý 4 (bổ sung) (15/12/2026) (bởi Minh).")
	got := w.retired(d.ID, "🗑 Kỳ báo cáo Quý 4 (bổ sung) đã bị xoá nên lần nhập báo cáo của Hội Nông dân tỉnh dừng lại; chưa có gì được ghi từ tin nhắn này.")
	w.answered(w.nga, got, "45", "⚠️ Lần nhập báo cáo này đã được gửi, huỷ hoặc thay bằng lần nhập khác nên không nhận trả lời nữa; chưa ghi nhận gì.")
	w.noDrafts()
}

// leftEightDays has Lan leave a draft for eight days: nobody started
// another, so it is still hers to send; one started then drops an older
// one, whose message says it expired.
func (w *phoneWalk) leftEightDays() {
	t := w.t
	d := w.say(w.group, w.lan, "/report Năm")
	w.pressText(w.lan, d, "75%")
	old := w.say(w.group, w.nga, "/report 9 tháng")
	w.now = w.now.Add(8 * 24 * time.Hour)
	d = w.skipToSummary(w.message(d.ID))
	w.pressText(w.lan, d, "✅ Gửi báo cáo")
	expect(t, w.message(d.ID).Text, "📊 Đã ghi báo cáo kỳ Năm của Hội Nông dân tỉnh (Lan, 10/03/2026 09:00).")
	w.say(w.group, w.lan, "/report 6 tháng")
	w.retired(old.ID, "⌛ Lần nhập báo cáo kỳ 9 tháng của Hội Nông dân tỉnh đã hết hạn (để quá 7 ngày chưa gửi); chưa có gì được ghi từ tin nhắn này.\nNhập lại: /report 9 tháng")
	w.pressText(w.lan, w.lastIn(w.group.ID), "✖️ Huỷ")
	w.noDrafts()
}

// longList has Minh fill in a report of Tỉnh Đoàn's fifty pledges with
// long titles, each with a long note: the final check, edited in place, is
// within Telegram's limit and still shows every value.
func (w *phoneWalk) longList() {
	t := w.t
	var lines []string
	for i := 1; i <= 50; i++ {
		lines = append(lines, fmt.Sprintf("Nội dung %d: %s | %d nhà", i, strings.Repeat("Vận động đoàn viên, thanh niên tham gia xây dựng nông thôn mới ", 3)[:180], i*10))
	}
	w.say(w.group, w.minh, "/pledge "+strings.Join(lines, "\n"))
	if n := len(w.unit(6).Pledges); n != 50 {
		t.Fatalf("Tỉnh Đoàn registered %d pledges", n)
	}
	d := w.say(w.group, w.minh, "/report Quý I")
	for i := 1; i <= 50; i++ {
		if i == 7 {
			w.pressText(w.minh, w.message(d.ID), "Bỏ qua ▶️")
			continue
		}
		w.reply(w.minh, d, fmt.Sprintf("%d %s", i, strings.Repeat("đã hoàn thành theo kế hoạch ", 10)))
	}
	d = w.message(d.ID)
	if n := len([]rune(d.Text)); n > 4096 {
		t.Fatalf("the final check is %d characters long", n)
	}
	expect(t, d.Text, "Kiểm tra lại rồi bấm Gửi báo cáo:", "\n1. 1 nhà / 10 nhà (10%)\n", "\n6. 6 nhà / 60 nhà (10%)\n8. 8 nhà / 80 nhà (10%)\n",
		"\n50. 50 nhà / 500 nhà (10%)\n", "Chưa báo cáo: nội dung 7.")
	w.pressText(w.minh, d, "✅ Gửi báo cáo")
	expect(t, w.message(d.ID).Text, "📊 Đã ghi báo cáo kỳ Quý I của Tỉnh Đoàn (Minh", "\n50. 50 nhà / 500 nhà (10%)\n", "Chưa báo cáo: nội dung 7.")
	if r := w.mustReport(6, "Quý I"); len(r.Entries) != 49 || r.Entries[48].Note != strings.TrimSpace(strings.Repeat("đã hoàn thành theo kế hoạch ", 10)) {
		t.Fatalf("report of %d entries", len(r.Entries))
	}
}

// evidence has Lan attach a file with a Vietnamese name and a photo with a
// caption, up to the 20th file and past it; Nga's evidence, to a
// confirmation of a report resubmitted since; Peter's, refused; and
// /myreport's buttons pressed by Peter.
func (w *phoneWalk) evidence() {
	t := w.t
	// In one message too, a note after the measure loses its separator.
	confirm := w.say(w.group, w.nga, "/report 6 tháng\n1 20 nhà | đợt 1\n2 10%")
	if e := w.mustReport(3, "6 tháng").Entries[0]; e.Value != 20 || e.Note != "đợt 1" {
		t.Fatalf("line stored as %+v", e)
	}
	w.handled(w.tg.SendDocument(w.group, w.lan, &confirm, "Biên bản nghiệm thu <nhà số 3> & ảnh.pdf", []byte("%PDF-1.4"), ""))
	expect(t, w.lastIn(w.group.ID).Text, "📎 Đã đính kèm tệp «Biên bản nghiệm thu <nhà số 3> & ảnh.pdf» vào báo cáo kỳ 6 tháng của Hội Nông dân tỉnh (1 minh chứng). Xem lại: /myreport 6 tháng")
	expect(t, w.say(w.group, w.lan, "/report 6 tháng\n1 25").Text, "Thay cho báo cáo lần 1 của Nga")
	w.handled(w.tg.SendPhoto(w.group, w.nga, &confirm, pngBytes(t), "Lễ khởi công <nhà> số 3"))
	expect(t, w.lastIn(w.group.ID).Text, "📎 Đã đính kèm ảnh vào báo cáo kỳ 6 tháng của Hội Nông dân tỉnh (2 minh chứng)")
	r := w.mustReport(3, "6 tháng")
	if r.Revision != 2 || len(r.Evidence) != 2 || r.Evidence[0].Name != "Biên bản nghiệm thu <nhà số 3> & ảnh.pdf" ||
		r.Evidence[1].Caption != "Lễ khởi công <nhà> số 3" || r.Evidence[1].Added.UserID != w.nga.ID {
		t.Fatalf("evidence %+v", r.Evidence)
	}
	w.unchanged(func() { w.handled(w.tg.SendPhoto(w.group, w.peter, &confirm, pngBytes(t), "")) })
	expect(t, w.lastIn(w.group.ID).Text, "Sorry, only a unit's representatives report for it")
	for i := 3; i <= 20; i++ {
		w.handled(w.tg.SendPhoto(w.group, w.lan, &confirm, []byte(fmt.Sprint("ảnh ", i)), ""))
	}
	expect(t, w.lastIn(w.group.ID).Text, "(20 minh chứng)")
	w.unchanged(func() { w.handled(w.tg.SendDocument(w.group, w.lan, &confirm, "thứ-21.pdf", []byte("%PDF"), "")) })
	expect(t, w.lastIn(w.group.ID).Text, "Báo cáo này đã có đủ 20 minh chứng.")
	// Peter, of another unit, presses the buttons of Lan's /myreport.
	m := w.say(w.group, w.lan, "/myreport 6 tháng")
	expect(t, m.Text, "Minh chứng (20):", "📄 1. Biên bản nghiệm thu <nhà số 3> & ảnh.pdf — Lan", "📷 2. ảnh «Lễ khởi công <nhà> số 3» — Nga")
	sent := w.tg.Sent(w.group.ID)
	w.unchanged(func() {
		for _, label := range []string{"📄 1", "📎 Gửi lại tất cả"} {
			if a := w.pressText(w.peter, m, label); !a.ShowAlert || !strings.Contains(a.Text, "you can see only your own unit's reports") {
				t.Fatalf("Peter pressed %s: %+v", label, a)
			}
		}
	})
	if n := w.tg.Sent(w.group.ID); n != sent {
		t.Fatalf("the bot sent %d messages for Peter", n-sent)
	}
}

// album has Lan send an album of four photos, captioned, in reply to a
// confirmation: Telegram delivers each photo as its own message replying
// to it, and the bot attaches each and answers once. Albums past the
// report's 20 files, to a report not sent yet, from another unit: one
// answer each.
func (w *phoneWalk) album() {
	t := w.t
	confirm := w.say(w.group, w.lan, "/report Quý I\n1 48")
	photos := [][]byte{pngBytes(t), []byte("ảnh 2"), []byte("ảnh 3"), []byte("ảnh 4")}
	answer := w.albumAnswer(w.lan, confirm, photos, "Công trình nhà đại đoàn kết")
	r := w.mustReport(3, "Quý I")
	if len(r.Evidence) != 4 || r.Evidence[0].Caption != "Công trình nhà đại đoàn kết" {
		t.Fatalf("album attached as %+v", r.Evidence)
	}
	expect(t, answer, "📎 Đã đính kèm 4 minh chứng của album vào báo cáo kỳ Quý I của Hội Nông dân tỉnh (báo cáo có 4 minh chứng). Xem lại: /myreport Quý I")
	// Two more albums, of ten and eight, by Nga: the report takes 20
	// files, and the last album's answer says its last two were not taken.
	album := func(n int) [][]byte {
		out := make([][]byte, n)
		for i := range out {
			out[i] = []byte(fmt.Sprint("album ", n, " ảnh ", i))
		}
		return out
	}
	w.albumAnswer(w.nga, confirm, album(10), "")
	expect(t, w.albumAnswer(w.nga, confirm, album(8), ""), "📎 Đã đính kèm 6 minh chứng của album vào báo cáo kỳ Quý I của Hội Nông dân tỉnh (báo cáo có 20 minh chứng).",
		"⚠️ Báo cáo đã đủ 20 minh chứng nên các ảnh, tệp còn lại của album không được đính kèm.")
	if r := w.mustReport(3, "Quý I"); len(r.Evidence) != 20 || r.Evidence[19].Added.UserID != w.nga.ID {
		t.Fatalf("%d files attached", len(r.Evidence))
	}
	// Refused albums: to a full report, from another unit, to a draft.
	other := w.say(w.group, w.lan, "/report 9 tháng\n1 35")
	w.unchanged(func() {
		expect(t, w.albumAnswer(w.lan, confirm, album(3), ""), "Báo cáo này đã có đủ 20 minh chứng.")
		expect(t, w.albumAnswer(w.peter, other, album(3), ""), "Sorry, only a unit's representatives report for it")
	})
	d := w.say(w.group, w.lan, "/report Năm")
	w.unchanged(func() {
		expect(t, w.albumAnswer(w.lan, d, album(5), "Biên bản"), "Bấm «Gửi báo cáo» trước, rồi trả lời tin nhắn này bằng ảnh hoặc tệp minh chứng.")
	})
	w.pressText(w.lan, d, "✖️ Huỷ")
}

// albumAnswer has user send photos as an album, captioned, in reply to the
// bot's message to, and returns the bot's one answer, failing if it
// answered more than once.
func (w *phoneWalk) albumAnswer(user *telegramtest.User, to telegramtest.Message, photos [][]byte, caption string) string {
	w.t.Helper()
	before := len(w.tg.Messages(w.group.ID))
	for _, u := range w.tg.SendAlbum(w.group, user, &to, photos, caption) {
		w.handled(u)
	}
	answers := w.tg.Messages(w.group.ID)[before:]
	if len(answers) != 1 {
		w.t.Fatalf("the bot answered an album of %d photos with %d messages", len(photos), len(answers))
	}
	return w.message(answers[0].ID).Text
}

// inEnglish has Peter fill in a report step by step: the draft, the
// answers and the refusals are in English.
func (w *phoneWalk) inEnglish() {
	t := w.t
	expect(t, w.say(w.group, w.peter, "/pledge Hiến máu tình nguyện | 2.000 đơn vị máu\nSơ cấp cứu | 150 lớp").Text, "Recorded 2 pledges")
	d := w.say(w.group, w.peter, "/report Quý I")
	expect(t, d.Text, "📝 Quý I report — Hội Chữ thập đỏ tỉnh\nPeter is filling it in; only they can press its buttons.", "Pledge 1/2: Hiến máu tình nguyện",
		"Target: 2.000 đơn vị máu · due 30/11/2026", "Never reported yet.")
	if got := labels(d); !slices.Equal(got, []string{"0%", "25%", "50%", "75%", "100%", "Skip ▶️", "✖️ Cancel"}) {
		t.Fatalf("buttons %v", got)
	}
	w.unchanged(func() {
		if a := w.pressText(w.lan, d, "50%"); a.Text != "Chỉ Peter (người đang nhập) mới trả lời được báo cáo này. Muốn tự nhập: /report Quý I" {
			t.Fatalf("Lan pressed Peter's draft: %+v", a)
		}
	})
	w.answered(w.peter, d, "many", "The value must be a number written the Vietnamese way", "Nothing was recorded.")
	w.reply(w.peter, d, "1.500,5 đơn vị máu - tại 3 huyện")
	d = w.message(d.ID)
	expect(t, d.Text, "Pledge 2/2: Sơ cấp cứu")
	w.pressText(w.peter, d, "100%")
	d = w.message(d.ID)
	expect(t, d.Text, "Check it, then press Send the report:", "1. Hiến máu tình nguyện — 1.500,5 đơn vị máu / 2.000 đơn vị máu (75%) — tại 3 huyện")
	w.pressText(w.peter, d, "✅ Send the report")
	d = w.message(d.ID)
	expect(t, d.Text, "📊 Recorded the report of Quý I for Hội Chữ thập đỏ tỉnh (Peter, 10/03/2026 09:00).")
	w.handled(w.tg.SendDocument(w.group, w.peter, &d, "Báo cáo hiến máu.pdf", []byte("%PDF"), ""))
	expect(t, w.lastIn(w.group.ID).Text, "📎 Attached the file «Báo cáo hiến máu.pdf» to the report of Quý I for Hội Chữ thập đỏ tỉnh (1 piece of evidence).")
	expect(t, w.albumAnswer(w.peter, d, [][]byte{[]byte("hiến máu 1"), []byte("hiến máu 2")}, "Ngày hội hiến máu"), "📎 Attached 2 files of the album to the report of Quý I for Hội Chữ thập đỏ tỉnh (3 pieces of evidence in all). See them: /myreport Quý I")
}
