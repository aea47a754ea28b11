package handlers_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"thiduabot/storage"
	"thiduabot/telegramtest"
	"thiduabot/thidua"
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
		"Đăng ký riêng này đóng lại khi danh sách được duyệt, hoặc bằng /closereg 8.")
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
// ever opened, it is opened for the block, not for one unit, nor closed
// for one.
func TestOpenRegistrationForOneUnitNeedsItOpenedOnce(t *testing.T) {
	w := &walk{harness: newHarness(t)}
	w.seated()
	w.say(w.group, w.admin, "/leader Tỉnh Đoàn")
	w.unchanged(w.reps[5], "/openreg #3", "Đăng ký thi đua chưa mở")
	w.unchanged(w.admin, "/openreg 3 | 31/03", "Đăng ký thi đua chưa mở")
	w.unchanged(w.admin, "/closereg 3", "Đăng ký thi đua chưa mở")
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
// Words after the number are the unit's name, as /closereg reads them:
// `/openreg 4 Liên đoàn Lao động tỉnh` opens for unit 4, and `/openreg 2
// Hội Cựu chiến binh tỉnh | 25/03` changes unit 2's deadline; another
// unit's name or words that name no unit («ngày mai») are refused,
// saying so and the right forms, changing nothing.
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
	w.unchanged(w.admin, "/openreg 2 "+nongDan, "«"+nongDan+"» không phải tên của "+ccb+" (số thứ tự 2), nên bot chưa mở gì",
		"bằng số thứ tự hoặc bằng tên: /openreg 2 [hạn dd/mm/yyyy] hoặc /openreg <tên đơn vị> [| hạn dd/mm/yyyy].", "Cú pháp: /openreg")
	w.unchanged(w.admin, "/openreg 2 ngày mai", "«ngày mai» không phải tên của "+ccb+" (số thứ tự 2), nên bot chưa mở gì")
	w.unchanged(w.admin, "/openreg #2 Hội Nông dân | 25/03", "«Hội Nông dân» không phải tên của "+ccb+" (số thứ tự 2), nên bot chưa mở gì")
	w.unchanged(w.admin, "/openreg 9 "+ccb, "Không tìm thấy đơn vị này")
	w.unchanged(w.admin, "/openreg 2 "+ccb+" | 31/02", "Hạn đăng ký không phải một ngày có thật")

	expect(t, w.say(w.group, w.admin, "/openreg 4 "+ldld).Text, "🔓 Đã mở đăng ký thi đua riêng cho "+ldld+" (bởi Hùng)")
	expect(t, w.say(w.group, w.admin, "/openreg 2 "+ccb+" | 25/03").Text, "🗓 Hạn đăng ký riêng của "+ccb+": 25/03/2026.")
	expect(t, w.say(w.group, w.admin, "/openreg #2 Hội Cựu chiến binh | 26/03").Text, "🗓 Hạn đăng ký riêng của "+ccb+": 26/03/2026.")
	b := w.block()
	if o := b.RegistrationOf(w.unitID(ldld)).Opening; o == nil || !o.Due.IsZero() {
		t.Fatalf("unit 4's opening: %+v", o)
	}
	if o := b.RegistrationOf(w.unitID(ccb)).Opening; o == nil || o.Due.Day() != 26 {
		t.Fatalf("unit 2's opening: %+v", o)
	}
	w.unchanged(englishAdmin(w.harness), "/openreg 2 "+nongDan, "«"+nongDan+"» is not the name of "+ccb+" (number 2), so nothing was opened",
		"by its number or by its name: /openreg 2 [deadline dd/mm/yyyy] or /openreg <unit name> [| deadline dd/mm/yyyy].")
}

// TestCloseRegistrationForOneUnit: with registration closed and opened for
// the veterans' and the farmers' associations alone, `/closereg 2` closes
// the veterans' opening only: their pledges are frozen again, their
// deadline and its reminders gone, the history recording who closed it,
// while the farmers' opening stands. Refused, changing nothing: a
// representative, a unit not in the block, a unit without an opening of
// its own, a date (closing takes none), a number followed by another
// unit's name or by words that name no unit: the name after the number
// must be that unit's (`/closereg 2 Hội Cựu chiến binh tỉnh` closes the
// veterans' opening, as `/closereg 2` does). The farmers' list, submitted,
// stays awaiting approval once their opening is closed (`/closereg #3`),
// and is approved as usual. Open for every unit, registration is not closed for
// one unit alone: the answer points to `/closereg`.
func TestCloseRegistrationForOneUnit(t *testing.T) {
	w := &walk{harness: newHarness(t)}
	h := w.harness
	ha := w.registrationClosed()
	binh, chi := w.reps[1], w.reps[2]
	expect(t, h.say(h.group, ha, "/openreg 2 | 20/03").Text, "🔓 Đã mở đăng ký thi đua riêng cho "+ccb+", hạn 20/03/2026",
		"Đăng ký riêng này đóng lại khi danh sách được duyệt, hoặc bằng /closereg 2.")
	expect(t, h.say(h.group, ha, "/openreg "+nongDan+" | 25/03").Text, "🔓 Đã mở đăng ký thi đua riêng cho "+nongDan)
	w.unchanged(ha, "/openreg 2 | 20/03", "Đăng ký thi đua đã mở riêng cho "+ccb+" rồi và hạn không đổi.", "đóng: /closereg 2")
	veterans, farmers := w.unitID(ccb), w.unitID(nongDan)

	w.unchanged(binh, "/closereg 2", "chỉ quản trị viên")
	w.unchanged(ha, "/closereg #9", "Không tìm thấy đơn vị này", "/units", "Cú pháp: /closereg")
	w.unchanged(ha, "/closereg Hội Khuyến học tỉnh", "Không tìm thấy đơn vị này")
	w.unchanged(ha, "/closereg 4", "Đăng ký thi đua không mở riêng cho "+ldld+", nên bot không đóng gì.",
		"Đăng ký đang mở riêng cho: "+ccb+", "+nongDan+".")
	w.unchanged(ha, "/closereg 31/03", "Đóng đăng ký không kèm ngày, nên bot chưa đóng gì", "Cú pháp: /closereg")
	w.unchanged(ha, "/closereg 2 20/03", "Đóng đăng ký không kèm ngày, nên bot chưa đóng gì")
	w.unchanged(ha, "/closereg 2 "+nongDan, "«"+nongDan+"» không phải tên của "+ccb+" (số thứ tự 2), nên bot chưa đóng gì",
		"bằng số thứ tự hoặc bằng tên: /closereg 2 hoặc /closereg <tên đơn vị>.", "Cú pháp: /closereg")
	w.unchanged(ha, "/closereg #2 ngày mai", "«ngày mai» không phải tên của "+ccb+" (số thứ tự 2), nên bot chưa đóng gì")
	w.unchanged(ha, "/closereg 9 "+ccb, "Không tìm thấy đơn vị này")

	expect(t, h.say(h.group, ha, "/closereg 2 "+ccb).Text,
		"🔒 Đã đóng đăng ký mở riêng cho "+ccb+" (bởi Hà). Nội dung đăng ký được giữ nguyên.", "Đăng ký vẫn mở riêng cho: "+nongDan+".")
	b := h.block()
	if b.RegistrationOf(veterans).Opening != nil || b.RegistrationOf(farmers).Opening == nil || b.Registration.Open {
		t.Fatalf("openings after /closereg 2: %v", b.UnitsOpenAlone())
	}
	if _, ok := b.Deadline("registration:"+veterans, w.now); ok {
		t.Fatal("the veterans' deadline outlives their opening")
	}
	if _, ok := b.Deadline("registration:"+farmers, w.now); !ok {
		t.Fatal("the farmers' deadline went with the veterans' opening")
	}
	events, err := storage.History(context.Background(), h.store, b.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if e := events[0]; e.Action != "reg.unit_close" || e.Subject != veterans || e.ActorID != ha.ID || e.Before != "hạn 20/03/2026" || e.After != "" {
		t.Fatalf("the history's last entry: %+v", e)
	}
	expect(t, h.say(h.group, w.reps[0], "/lichsu #2").Text, "Hà: đóng đăng ký mở riêng cho đơn vị ["+ccb+"]: «hạn 20/03/2026»")
	w.unchanged(binh, "/dangky Vận động 500 hội viên mới | 500 hội viên", "Đăng ký thi đua đã đóng")
	w.unchanged(ha, "/closereg 2", "Đăng ký thi đua không mở riêng cho "+ccb+", nên bot không đóng gì.", "Đăng ký đang mở riêng cho: "+nongDan+".")
	expect(t, h.say(h.group, w.reps[0], "/tonghop").Text, "· mở riêng cho: "+nongDan+", hạn 25/03/2026\n")

	// The farmers submit, then their opening is closed: the list awaits
	// approval still, and is approved as usual.
	expect(t, h.say(h.group, chi, "/dangky Vận động xây 50 nhà đại đoàn kết | 50 nhà").Text, "✅ Đã ghi 1 nội dung")
	expect(t, h.say(h.group, chi, "/guidangky").Text, "📨 "+nongDan+" gửi danh sách")
	expect(t, h.say(h.group, ha, "/closereg #3").Text, "🔒 Đã đóng đăng ký mở riêng cho "+nongDan+" (bởi Hà).",
		"Danh sách đăng ký của đơn vị vẫn chờ duyệt: /approve 3 hoặc /return 3 | lý do.")
	if reg := h.block().RegistrationOf(farmers); reg.Opening != nil || reg.State != thidua.ListSubmitted {
		t.Fatalf("the farmers' registration once closed: %+v", reg)
	}
	for _, m := range w.ticked(3, 18, 8, 0) {
		if strings.HasPrefix(m.Text, "⏰ Nhắc hạn: Đăng ký") {
			t.Fatalf("a reminder of an opening closed: %q", m.Text)
		}
	}
	w.unchanged(ha, "/closereg 3", "Đăng ký thi đua không mở riêng cho "+nongDan+", nên bot không đóng gì.")
	w.unchanged(ha, "/closereg", "Đăng ký thi đua đã đóng")
	expect(t, h.say(h.group, ha, "/duyet 3").Text, "✅ Đã duyệt danh sách đăng ký thi đua của "+nongDan)

	// Open for every unit, it is closed for every unit.
	h.say(h.group, ha, "/openreg")
	w.unchanged(ha, "/closereg 2", "Đăng ký thi đua đang mở cho mọi đơn vị, kể cả "+ccb+", nên không đóng riêng cho một đơn vị được",
		"Đóng đăng ký cho cả khối: /closereg")
	john := englishAdmin(h)
	w.unchanged(john, "/closereg 2", "Registration is open for every unit, "+ccb+" included, so it cannot be closed for one unit alone",
		"To close registration for the whole block: /closereg")
	w.unchanged(john, "/closereg 31/03", "Closing registration takes no date, so nothing was closed")
	h.say(h.group, ha, "/closereg")
	h.say(h.group, ha, "/openreg 2")
	w.unchanged(john, "/closereg 2 "+nongDan, "«"+nongDan+"» is not the name of "+ccb+" (number 2), so nothing was closed",
		"by its number or by its name: /closereg 2 or /closereg <unit name>.")
}

// TestOpeningsEndedOtherwiseAreInTheHistory: registration opened for units
// alone ends too when it opens for every unit, and when the unit is
// removed; the history records each such end as the closing of the
// unit's opening, saying why, so that a unit's history shows its opening
// end: in /history, in either language, and in the export's history sheet.
func TestOpeningsEndedOtherwiseAreInTheHistory(t *testing.T) {
	w := &walk{harness: newHarness(t)}
	h := w.harness
	ha := w.registrationClosed()
	h.say(h.group, ha, "/openreg 2 | 20/03")
	h.say(h.group, ha, "/openreg 3")
	veterans, farmers := w.unitID(ccb), w.unitID(nongDan)

	w.on(3, 3, 10, 0)
	expect(t, h.say(h.group, ha, "/openreg").Text, "🔓 Đã mở lại đăng ký thi đua.")
	events, err := storage.History(context.Background(), h.store, h.block().ID, 3)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range events {
		got = append(got, fmt.Sprintf("%s[%s] %s: %s>%s", e.Action, e.Subject, e.ActorName, e.Before, e.After))
	}
	if want := []string{"reg.reopen[] Hà: >", "reg.unit_close[" + veterans + "] Hà: hạn 20/03/2026>mở cho mọi đơn vị",
		"reg.unit_close[" + farmers + "] Hà: >mở cho mọi đơn vị"}; !slices.Equal(got, want) {
		t.Fatalf("the history of /openreg:\n%q\nwant\n%q", got, want)
	}
	expect(t, h.say(h.group, w.reps[0], "/lichsu #2").Text,
		"03/03/2026 10:00 — Hà: đóng đăng ký mở riêng cho đơn vị ["+ccb+"]: «hạn 20/03/2026» → «mở cho mọi đơn vị»")
	expect(t, h.say(h.group, w.reps[6], "/history #3").Text,
		"03/03/2026 10:00 — Hà: closed registration opened for the unit alone ["+nongDan+"]: «opened for every unit»")

	h.say(h.group, ha, "/closereg")
	h.say(h.group, ha, "/openreg 2 | 20/03")
	w.on(3, 4, 11, 0)
	ask := h.say(h.group, h.admin, "/xoadonvi 2")
	w.pressed(h.admin, ask, "🗑 Xoá")
	if b := h.block(); len(b.UnitsOpenAlone()) != 0 || b.Unit(veterans) != nil {
		t.Fatalf("the unit removed still open alone: %v", b.UnitsOpenAlone())
	}
	events, err = storage.History(context.Background(), h.store, h.block().ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	if e := events[0]; e.Action != "reg.unit_close" || e.Subject != veterans || e.ActorID != h.admin.ID || e.Before != "hạn 20/03/2026" || e.After != "đơn vị bị xoá khỏi khối" ||
		events[1].Action != "unit.remove" {
		t.Fatalf("the history of the removal: %+v", events)
	}
	expect(t, h.say(h.group, w.reps[0], "/lichsu").Text,
		"04/03/2026 11:00 — Hùng (quản trị viên): đóng đăng ký mở riêng cho đơn vị ["+ccb+"]: «hạn 20/03/2026» → «đơn vị bị xoá khỏi khối»")
	expect(t, h.say(h.group, w.reps[6], "/history").Text,
		"Hùng (administrator): closed registration opened for the unit alone ["+ccb+"]: «due 20/03/2026» → «unit removed from the block»")

	h.say(h.group, w.reps[0], "/export")
	f, _ := w.exported(2026)
	findRow(t, f, "Lịch sử", "03/03/2026 10:00", "Hà", "đóng đăng ký mở riêng cho đơn vị", ccb, "hạn 20/03/2026", "mở cho mọi đơn vị")
	findRow(t, f, "Lịch sử", "04/03/2026 11:00", "Hùng (quản trị viên)", "đóng đăng ký mở riêng cho đơn vị", ccb, "hạn 20/03/2026", "đơn vị bị xoá khỏi khối")
}

// registrationClosed seats the walk on 02/03 at 09:00, Tỉnh Đoàn leading
// the block, and has Hà, its representative, open registration and close
// it again; it returns Hà.
func (w *walk) registrationClosed() *telegramtest.User {
	w.t.Helper()
	w.on(3, 2, 9, 0)
	w.seated()
	ha := w.reps[5]
	w.say(w.group, w.admin, "/leader Tỉnh Đoàn")
	expect(w.t, w.say(w.group, ha, "/openreg").Text, "📝 Đã mở đăng ký thi đua năm 2026")
	expect(w.t, w.say(w.group, ha, "/closereg").Text, "🔒 Đã đóng đăng ký thi đua (bởi Hà).")
	return ha
}
