package handlers_test

import (
	"strings"
	"testing"
)

// TestOpenRegistrationForOneUnit walks a unit that joins once registration
// has closed: the farmers' association of Yên Bái is added on 01/07 (the
// answer says how to open registration for it alone), after
// every unit's list was approved and the covenant signed, while Bình's
// list has just been returned. Registration is opened for it alone
// (/modangky #8 15/07): its representative registers, edits, removes,
// submits, gets the list approved and signs the covenant, while Bình and
// an administrator acting for Bình's unit get the closed message. The
// opening is refused politely to a representative, for a unit that does
// not exist, an approved list, a deadline passed or not a date, and twice
// with the same deadline; it shows in /summary and /pledges and in the
// history, in either language; the reminders of its deadline name the unit
// alone; the approval ends it. Then opened for Bình's unit, it gives way
// to registration opened for every unit (when /modangky #2 is refused),
// its deadline changes, and /dongdangky closes it.
func TestOpenRegistrationForOneUnit(t *testing.T) {
	w := &walk{harness: newHarness(t)}
	h := w.harness
	w.on(1, 5, 8, 30)
	w.seated()
	ha, binh, john := w.reps[5], w.reps[1], w.reps[6]
	w.registered("Công tác tuyên truyền, vận động | 20\nPhát triển hội viên | 30\nAn sinh xã hội | 50", walkPledges...)
	cov := h.say(h.group, ha, "/giaouoc Đoàn kết, vượt khó - Chủ động thích ứng")
	for _, rep := range w.reps {
		w.pressed(rep, cov, "✍️ Ký giao ước")
	}
	expect(t, h.say(h.group, ha, "/dongdangky").Text, "🔒 Đã đóng đăng ký thi đua (bởi Hà).")

	w.on(7, 1, 8, 0)
	expect(t, h.say(h.group, h.admin, "/themdonvi "+nongDanYB).Text, "✅ Đã thêm 1 đơn vị",
		"Đăng ký thi đua đang đóng: để đơn vị mới đăng ký nội dung, Khối trưởng mở riêng cho từng đơn vị, ví dụ /openreg 8 | dd/mm/yyyy.")
	tung := h.member("Tùng", "tung_nd_yb")
	h.join(tung, nongDanYB)
	expect(t, h.say(h.group, ha, "/tralai 2 | Bổ sung chỉ tiêu hội viên").Text,
		"Đăng ký thi đua đang đóng: để đơn vị sửa, Khối trưởng mở lại cho riêng đơn vị (/openreg 2) hoặc cho cả khối (/openreg).")
	w.unchanged(tung, "/dangky Phát triển hội viên mới | 400 hội viên", "Đăng ký thi đua đã đóng")

	// Refused, changing nothing.
	w.unchanged(binh, "/modangky #8", "chỉ quản trị viên")
	w.unchanged(ha, "/modangky #9", "Không tìm thấy đơn vị này")
	w.unchanged(ha, "/modangky Hội Khuyến học tỉnh | 15/07", "Không tìm thấy đơn vị này")
	w.unchanged(ha, "/modangky #3", "Danh sách đăng ký thi đua của Hội Nông dân tỉnh đã được duyệt nên không mở đăng ký riêng cho đơn vị.",
		"/return 3 | lý do", "/openreg 3")
	w.unchanged(ha, "/modangky #8 30/06/2026", "Hạn này đã qua")
	w.unchanged(ha, "/modangky #8 31/02", "Hạn đăng ký không phải một ngày có thật", "riêng một đơn vị: <số thứ tự hoặc tên đơn vị> [| hạn dd/mm/yyyy]")

	expect(t, h.say(h.group, ha, "/modangky #8 15/07").Text,
		"🔓 Đã mở đăng ký thi đua riêng cho "+nongDanYB+", hạn 15/07/2026 (bởi Hà); các đơn vị khác vẫn đóng.\nTùng: đăng ký bằng /pledge",
		"Đăng ký riêng này đóng lại khi danh sách được duyệt, hoặc bằng /closereg.")
	w.unchanged(ha, "/modangky "+nongDanYB+" | 15/07/2026", "Đăng ký thi đua đã mở riêng cho "+nongDanYB+" rồi và hạn không đổi.")
	w.unchanged(binh, "/suadangky 1 Vận động 600 hội viên mới | 600 hội viên", "Đăng ký thi đua đã đóng")
	w.unchanged(h.admin, "/dangky #2 Vận động 600 hội viên mới | 600 hội viên", "Đăng ký thi đua đã đóng")

	expect(t, h.say(h.group, w.reps[0], "/tonghop").Text,
		"Đăng ký: đã đóng (bởi Hà, 05/01/2026 08:30) · mở riêng cho: "+nongDanYB+", hạn 15/07/2026\n")
	expect(t, h.say(h.group, w.reps[0], "/dsdangky 8").Text,
		"🔓 Đăng ký đang mở riêng cho đơn vị, hạn 15/07/2026 (Hà, 01/07/2026 08:00).", "Chưa có nội dung nào. Đăng ký bằng /pledge")
	if s := h.say(h.group, w.reps[0], "/dsdangky 2").Text; strings.Contains(s, "🔓") {
		t.Fatalf("Bình's unit shows an opening of its own:\n%s", s)
	}
	expect(t, h.say(h.group, w.reps[0], "/lichsu "+nongDanYB).Text, "Hà: mở đăng ký thi đua riêng cho đơn vị ["+nongDanYB+"]: «hạn 15/07/2026»")
	expect(t, h.say(h.group, john, "/history "+nongDanYB).Text, "Hà: opened registration for the unit alone ["+nongDanYB+"]: «due 15/07/2026»")

	// The reminder a week before names the newcomer alone, not Bình's unit.
	got := w.ticked(7, 8, 8, 0)
	w.names(w.posted(got, "⏰ Nhắc hạn: Đăng ký nội dung thi đua (mở riêng cho "+nongDanYB+")\nHạn: 15/07/2026 17:00"),
		"• "+nongDanYB+" (còn: chưa đăng ký nội dung thi đua) — Tùng")

	expect(t, h.say(h.group, tung, "/dangky Phát triển hội viên mới | 400 hội viên\nXây dựng mô hình kinh tế tập thể | 10 mô hình").Text,
		"✅ Đã ghi 2 nội dung đăng ký thi đua của "+nongDanYB)
	expect(t, h.say(h.group, tung, "/suadangky 1 Phát triển hội viên mới | 450 hội viên").Text, "✏️ Đã sửa nội dung số 1")
	expect(t, h.say(h.group, tung, "/xoadangky 2").Text, "🗑 Đã xoá nội dung số 2")
	sub := h.say(h.group, tung, "/guidangky")
	expect(t, sub.Text, "📨 "+nongDanYB+" gửi danh sách đăng ký thi đua (1 nội dung) để duyệt")
	w.pressed(ha, sub, "✅ Duyệt")
	if o := h.block().RegistrationOf(w.unitID(nongDanYB)).Opening; o != nil {
		t.Fatalf("the approval left registration open for the unit: %+v", o)
	}
	if s := h.say(h.group, w.reps[0], "/tonghop").Text; strings.Contains(s, "mở riêng") {
		t.Fatalf("the summary shows an opening after the approval:\n%s", s)
	}
	w.unchanged(tung, "/dangky Thêm một nội dung", "Đăng ký thi đua đã đóng")
	again := h.say(h.group, tung, "/giaouoc")
	if a := w.pressed(tung, again, "✍️ Ký giao ước"); a.Text != "✅ Đã ký giao ước cho "+nongDanYB+"." {
		t.Fatalf("Tùng's signature: %+v", a)
	}
	for _, m := range w.ticked(7, 12, 8, 0) {
		if strings.HasPrefix(m.Text, "⏰ Nhắc hạn: Đăng ký") {
			t.Fatalf("a reminder of an opening the approval ended: %q", m.Text)
		}
	}

	// Opened for Bình's unit, then for every unit, then closed.
	expect(t, h.say(h.group, ha, "/modangky 2 | 20/07").Text, "🔓 Đã mở đăng ký thi đua riêng cho Hội Cựu chiến binh tỉnh, hạn 20/07/2026 (bởi Hà)")
	expect(t, h.say(h.group, binh, "/suadangky 1 Vận động 600 hội viên mới | 600 hội viên").Text, "✏️ Đã sửa nội dung số 1")
	expect(t, h.say(h.group, ha, "/modangky").Text, "🔓 Đã mở lại đăng ký thi đua.")
	if alone := h.block().UnitsOpenAlone(); len(alone) != 0 {
		t.Fatalf("registration open for every unit and for %v alone", alone)
	}
	w.unchanged(ha, "/modangky #2", "Đăng ký thi đua đang mở cho mọi đơn vị rồi")
	expect(t, h.say(h.group, ha, "/dongdangky").Text, "🔒 Đã đóng đăng ký thi đua (bởi Hà).")
	expect(t, h.say(h.group, ha, "/modangky #2 20/07").Text, "🔓 Đã mở đăng ký thi đua riêng cho Hội Cựu chiến binh tỉnh, hạn 20/07/2026")
	expect(t, h.say(h.group, ha, "/modangky Hội Cựu chiến binh | 25/07").Text, "🗓 Hạn đăng ký riêng của Hội Cựu chiến binh tỉnh: 25/07/2026.")
	expect(t, h.say(h.group, ha, "/dongdangky").Text, "🔒 Đã đóng đăng ký mở riêng cho Hội Cựu chiến binh tỉnh (bởi Hà).")
	w.unchanged(ha, "/dongdangky", "Đăng ký thi đua đã đóng")
	w.unchanged(binh, "/suadangky 1 Vận động 700 hội viên mới | 700 hội viên", "Đăng ký thi đua đã đóng")
	expect(t, h.say(h.group, w.reps[0], "/lichsu Hội Cựu chiến binh tỉnh").Text,
		"Hà: đổi hạn đăng ký riêng của đơn vị [Hội Cựu chiến binh tỉnh]: «hạn 20/07/2026» → «hạn 25/07/2026»",
		"Hà: đóng đăng ký mở riêng cho đơn vị [Hội Cựu chiến binh tỉnh]")
}

// TestOpenRegistrationForOneUnitNeedsItOpenedOnce: before registration was
// ever opened, it is opened for the block, not for one unit.
func TestOpenRegistrationForOneUnitNeedsItOpenedOnce(t *testing.T) {
	w := &walk{harness: newHarness(t)}
	w.seated()
	w.say(w.group, w.admin, "/leader Tỉnh Đoàn")
	w.unchanged(w.reps[5], "/openreg #3", "Đăng ký thi đua chưa mở")
	w.unchanged(w.admin, "/openreg 3 | 31/03", "Đăng ký thi đua chưa mở")
}

// TestRemindNowNamesTheUnitOpenedAlone: /remindnow offers a button per
// deadline owed, and those of registration opened for two units alone,
// due the same day, name their unit, which the reminder's own title («Đăng
// ký nội dung thi đua (mở riêng cho …)») would leave cut off; each sends
// its unit's reminder.
func TestRemindNowNamesTheUnitOpenedAlone(t *testing.T) {
	w := &walk{harness: newHarness(t)}
	w.on(3, 2, 9, 0)
	w.seated()
	w.say(w.group, w.admin, "/leader Tỉnh Đoàn")
	w.say(w.group, w.admin, "/openreg")
	w.say(w.group, w.admin, "/closereg")
	expect(t, w.say(w.group, w.admin, "/openreg 2 | 20/03").Text, "🔓 Đã mở đăng ký thi đua riêng cho Hội Cựu chiến binh tỉnh")
	expect(t, w.say(w.group, w.admin, "/openreg Hội Nông dân tỉnh | 20/03").Text, "🔓 Đã mở đăng ký thi đua riêng cho Hội Nông dân tỉnh")
	pick := w.say(w.group, w.admin, "/remindnow")
	if got := labels(pick); len(got) != 3 || got[0] != "Đăng ký riêng: Hội Cựu chiến binh tỉnh — 20/03/2026" ||
		got[1] != "Đăng ký riêng: Hội Nông dân tỉnh — 20/03/2026" {
		t.Fatalf("buttons %q", got)
	}
	w.press(w.group, w.admin, pick, pick.Buttons[1][0].Data)
	msgs := w.tg.Messages(w.group.ID)
	expect(t, msgs[len(msgs)-1].Text, "⏰ Nhắc hạn: Đăng ký nội dung thi đua (mở riêng cho Hội Nông dân tỉnh)", "• Hội Nông dân tỉnh")
	if strings.Contains(msgs[len(msgs)-1].Text, "Hội Cựu chiến binh tỉnh") {
		t.Fatalf("the reminder names the other unit:\n%s", msgs[len(msgs)-1].Text)
	}
	if got := labels(w.say(w.group, englishAdmin(w.harness), "/remindnow")); got[1] != "Registration alone: Hội Nông dân tỉnh — 20/03/2026" {
		t.Fatalf("buttons in English %q", got)
	}
}

// TestOpenRegistrationForOneUnitByNumberAndDate: `/openreg 2 20/03`, the
// unit's number then a deadline without `#` or `|`, opens registration for
// unit 2 with that deadline rather than reading the whole as a date; and a
// unit whose list awaits approval is not opened (its representatives could
// change nothing), the answer saying to approve or return the list first.
func TestOpenRegistrationForOneUnitByNumberAndDate(t *testing.T) {
	w := &walk{harness: newHarness(t)}
	w.on(3, 2, 9, 0)
	w.seated()
	w.say(w.group, w.admin, "/leader Tỉnh Đoàn")
	w.say(w.group, w.admin, "/openreg")
	expect(t, w.say(w.group, w.reps[2], "/pledge Phát triển hội viên | 300 hội viên").Text, "✅ Đã ghi 1 nội dung")
	expect(t, w.say(w.group, w.reps[2], "/submit").Text, "📨")
	w.say(w.group, w.admin, "/closereg")

	expect(t, w.say(w.group, w.admin, "/openreg 2 20/03").Text,
		"🔓 Đã mở đăng ký thi đua riêng cho Hội Cựu chiến binh tỉnh, hạn 20/03/2026")
	w.unchanged(w.admin, "/openreg 3 20/03", "Danh sách đăng ký thi đua của Hội Nông dân tỉnh đang chờ duyệt",
		"/approve 3", "/return 3 | lý do", "/openreg 3")
	w.unchanged(w.admin, "/openreg 2 ngày mai", "Hạn đăng ký không phải một ngày có thật")
}
