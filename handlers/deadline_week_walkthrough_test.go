package handlers_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// deadlineWeek is the cast of the walkthrough of the week before 30/11
// (see TestDeadlineWeekWalkthrough): the year-end walkthrough's helpers
// (walk) on a block of six units, the first six of setUp, with one
// representative each (reps[i] for unit i+1: An, Bình, Chi, Dũng, Giang,
// and Hà of Tỉnh Đoàn, the leader) and Lan, a second representative of
// Hội Nông dân tỉnh. Chi and Giang started the bot in private.
type deadlineWeek struct {
	*walk
}

// directs returns the direct messages user received after the first n.
func (d *deadlineWeek) directs(user *telegramtest.User, n int) []string {
	var out []string
	for _, m := range d.tg.Messages(user.ID)[n:] {
		out = append(out, m.Text)
	}
	return out
}

// TestDeadlineWeekWalkthrough drives a block of six units through the
// week of its 30/11 deadline, from 25/11 to 01/12/2026, as its staff and
// leaders would: the year's report period, due 20/11 and already overdue,
// moved to 30/11, which forgives the reports sent meanwhile; a deadline of
// the leader's; /progress, /deadlines and /remindnow; reports refused for
// a wrong period, a value that is no number, a line too many, a pledge
// twice, a date that does not exist, each changing nothing; the reminders
// naming exactly the units that owe, not the one that reported between
// two reminders, in the group and in private; a report corrected by the
// unit's other representative, attributable on /myreport and /history;
// a report after the deadline, late and not missing; the export; and the
// review opened on 01/12 with what a late unit still owes.
func TestDeadlineWeekWalkthrough(t *testing.T) {
	d := &deadlineWeek{walk: &walk{harness: newHarness(t)}}
	d.setUpAutumn()
	d.moveTheDeadline()
	d.refusedReports()
	d.remindedBeforeTheDeadline()
	d.corrected()
	d.afterTheDeadline()
	d.exportAndReview()
}

// setUpAutumn makes the block as it stands on 25/11: six units (set up on
// 02/03), pledges approved, the covenant signed, three periods (6 months
// due 15/06, 9 months due 15/09, the year due 20/11), every unit's 6
// months, all but Tỉnh Đoàn's 9 months; for the year, the MTTQ on time on
// 18/11, the overdue notice of 21/11, then Hội Cựu chiến binh tỉnh and
// Hội Liên hiệp Phụ nữ tỉnh late on 22/11, the latter on one of its two
// pledges only.
func (d *deadlineWeek) setUpAutumn() {
	d.t.Helper()
	h, t := d.harness, d.t
	h.say(h.group, h.admin, "/setup Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai")
	h.say(h.group, h.admin, "/addunit "+strings.Join(unitNames[:6], "\n"))
	for i, n := range []string{"An", "Bình", "Chi", "Dũng", "Giang", "Hà"} {
		d.reps = append(d.reps, h.member(n, ""))
		h.join(d.reps[i], unitNames[i])
	}
	d.lan = h.member("Lan", "lan_nd")
	h.join(d.lan, nongDan)
	h.handled(h.tg.SendPrivate(d.reps[2], "/start"))
	h.handled(h.tg.SendPrivate(d.reps[4], "/start"))
	d.registered("Công tác tuyên truyền, vận động | 20\nPhát triển hội viên | 30\nAn sinh xã hội | 50",
		"Tổ chức 12 hội nghị phản biện xã hội | 12 hội nghị",
		"Vận động 500 hội viên mới | 500 hội viên\nXây 10 nhà nghĩa tình đồng đội | 10 nhà",
		"Vận động xây 50 nhà đại đoàn kết | 50 nhà\nPhát triển hội viên mới | 1.200 hội viên\nHộ sản xuất kinh doanh giỏi | 40%",
		"Thành lập 30 công đoàn cơ sở | 30 công đoàn\nKý 25 thoả ước lao động tập thể | 25 thoả ước",
		"Hỗ trợ 120 phụ nữ khởi nghiệp | 120 hồ sơ\nTỷ lệ hội viên tham gia sinh hoạt | 40%",
		"Thành lập 40 đội thanh niên tình nguyện | 40 đội",
	)
	reps, ha := d.reps, d.reps[5]
	cov := h.say(h.group, ha, "/giaouoc Đoàn kết, vượt khó - Đổi mới, sáng tạo | 31/03/2026")
	for _, rep := range reps {
		h.press(h.group, rep, cov, button(t, cov, "✍️ Ký giao ước"))
	}
	expect(t, h.say(h.group, ha, "/kybaocao 6 tháng | 15/06\n9 tháng | 15/09\nCả năm | 20/11").Text, "✅ Đã thêm 3 kỳ báo cáo.",
		"3. Cả năm — hạn 20/11/2026 — đã báo cáo 0/6 đơn vị")
	d.on(6, 10, 9, 0)
	for i, r := range []string{"1 5", "1 200\n2 4", "1 20\n2 500\n3 20%", "1 12\n2 10", "1 50\n2 30%", "1 15"} {
		h.say(h.group, reps[i], "/baocao 6 tháng\n"+r)
	}
	d.on(9, 12, 9, 0)
	for i, r := range []string{"1 9", "1 380\n2 7", "1 35\n2 900\n3 30%", "1 20\n2 18", "1 90\n2 35%"} {
		h.say(h.group, reps[i], "/baocao 9 tháng\n"+r)
	}
	d.on(11, 18, 9, 0)
	h.say(h.group, reps[0], "/baocao Cả năm\n1 12 đã tổ chức đủ")
	overdue := d.posted(d.ticked(11, 21, 8, 0), "⚠️ Quá hạn: Báo cáo kết quả Cả năm\nHạn 20/11/2026 23:59 đã qua.\nCác đơn vị chưa hoàn thành (5/6):")
	if strings.Contains(overdue, mttq) {
		t.Fatalf("the overdue notice names the unit that reported: %s", overdue)
	}
	d.on(11, 22, 10, 0)
	expect(t, h.say(h.group, reps[1], "/baocao Cả năm\n1 510\n2 10").Text, "(Bình, 22/11/2026 10:00).\n⏰ Nộp muộn: hạn của kỳ là 20/11/2026.")
	expect(t, h.say(h.group, reps[4], "/baocao Cả năm\n1 118").Text, "⏰ Nộp muộn: hạn của kỳ là 20/11/2026.\n1. 118 hồ sơ / 120 hồ sơ (98%)\nChưa báo cáo: nội dung 2.")
	b := h.block()
	if len(b.Units) != 6 || len(b.Reps) != 7 || len(b.UnitsNotApproved()) != 0 || len(b.UnsignedUnits()) != 0 || len(b.Results.Periods) != 3 {
		t.Fatalf("the block set up: %d units, %d representatives, %d lists not approved, %d unsigned, %d periods",
			len(b.Units), len(b.Reps), len(b.UnitsNotApproved()), len(b.UnsignedUnits()), len(b.Results.Periods))
	}
}

// moveTheDeadline has Hà, the leader's representative, find on 25/11 the
// year's period overdue and mistype its new deadline (31/11, refused;
// 30/11/2027, refused; 03/11, taken and said to have passed) before moving
// it to 30/11, which turns the reports of 22/11 on time, and set a
// deadline of her own for the paper report, after a mistyped one.
func (d *deadlineWeek) moveTheDeadline() {
	d.t.Helper()
	h, t, reps, ha := d.harness, d.t, d.reps, d.reps[5]
	d.on(11, 25, 8, 30)
	expect(t, h.say(h.group, reps[0], "/tiendo").Text, "Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai — ngày 25/11/2026",
		"2. 9 tháng (hạn 15/09/2026): ✅ 5 · ❌ 1\n   ❌ Chưa nộp: Tỉnh Đoàn\n",
		"3. Cả năm (hạn 20/11/2026): ✅ 1 · ⏰ 2 · ❌ 3\n   ❌ Chưa nộp: Hội Nông dân tỉnh, Liên đoàn Lao động tỉnh, Tỉnh Đoàn\n")
	expect(t, h.say(h.group, reps[0], "/dshan").Text, "• Báo cáo kết quả Cả năm — 20/11/2026 23:59 (quá hạn 5 ngày)\n   Chưa xong (3/6): Hội Nông dân tỉnh, Liên đoàn Lao động tỉnh, Tỉnh Đoàn")

	d.unchanged(reps[1], "/kybaocao sua Cả năm | | 30/11", "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")
	d.unchanged(ha, "/kybaocao sua Cả năm | | 31/11", "Hạn không phải một ngày có thật. Viết ngày theo dạng dd/mm/yyyy hoặc dd/mm")
	// 2027 for 2026: a whole year more, holding /newyear back until then.
	d.unchanged(ha, "/kybaocao sua Cả năm | | 30/11/2027", "Hạn của kỳ phải nằm trong năm thi đua của khối (hoặc tháng 1 năm sau")
	d.unchanged(ha, "/kybaocao sua Quý IV | | 30/11", "Không tìm thấy kỳ báo cáo «Quý IV»", "Các kỳ: 1. 6 tháng, 2. 9 tháng, 3. Cả năm.")
	// 03/11 for 30/11: taken, since a deadline may be set in the past, and
	// said to have passed, as when a period is added so.
	expect(t, h.say(h.group, ha, "/kybaocao sua ca nam | | 03/11").Text, "✏️ Đã sửa kỳ báo cáo:\ntrước: Cả năm (20/11/2026)\nsau: Cả năm (03/11/2026)\n"+
		"⚠️ Hạn của kỳ Cả năm đã qua: báo cáo gửi từ nay được đánh dấu nộp muộn (sửa hạn: /period edit).")
	moved := h.say(h.group, ha, "/kybaocao sua ca nam | | 30/11").Text
	if moved != "✏️ Đã sửa kỳ báo cáo:\ntrước: Cả năm (03/11/2026)\nsau: Cả năm (30/11/2026)" {
		t.Fatalf("the period moved to 30/11: %q", moved)
	}
	expect(t, h.say(h.group, ha, "/kybaocao sua 3 | | 30/11/2026").Text, "Kỳ báo cáo Cả năm (30/11/2026) không thay đổi.")
	expect(t, h.say(h.group, reps[0], "/tiendo").Text, "3. Cả năm (hạn 30/11/2026): ✅ 3 · … 3\n",
		"Hội Cựu chiến binh tỉnh\n   ▓▓▓▓▓▓▓▓▓▓ 100% · ✅ ✅ ✅", "6. Tỉnh Đoàn\n   ▓▓▓▓░░░░░░ 38% · ✅ ❌ …")
	expect(t, h.say(h.group, reps[0], "/lichsu 1").Text, "25/11/2026 08:30 — Hà: sửa kỳ báo cáo: «Cả năm | 03/11/2026» → «Cả năm | 30/11/2026»")

	d.unchanged(ha, "/hanchot 31/11/2026 | Gửi báo cáo tổng kết năm (bản giấy)", "Ngày giờ «31/11/2026» không hợp lệ.", "Cú pháp: /deadline <dd/mm/yyyy [HH:MM]> | <nội dung>")
	expect(t, h.say(h.group, ha, "/hanchot 28/11/2026 | Gửi báo cáo tổng kết năm (bản giấy)").Text,
		"✅ Đã đặt hạn #1: Gửi báo cáo tổng kết năm (bản giấy)\nHạn: 28/11/2026 17:00 (còn 3 ngày).", "/done 1")
	for _, i := range []int{0, 1, 4} {
		h.say(h.group, reps[i], "/xong 1")
	}
	deadlines := h.say(h.group, reps[2], "/dshan").Text
	expect(t, deadlines, "#1 Gửi báo cáo tổng kết năm (bản giấy) — 28/11/2026 17:00 (còn 3 ngày)\n   Chưa xong (3/6): Hội Nông dân tỉnh, Liên đoàn Lao động tỉnh, Tỉnh Đoàn",
		"• Báo cáo kết quả Cả năm — 30/11/2026 23:59 (còn 5 ngày)\n   Chưa xong (3/6): Hội Nông dân tỉnh, Liên đoàn Lao động tỉnh, Tỉnh Đoàn",
		"Nhắc 7, 3, 1 ngày trước hạn và trong ngày hạn, lúc 08:00 (giờ Asia/Ho_Chi_Minh).")
}

// refusedReports has the representatives get their reports wrong on 25/11
// in every way the week sees: each answer says what is wrong, politely,
// and nothing is stored. In private the bot points to the group.
func (d *deadlineWeek) refusedReports() {
	d.t.Helper()
	h, t, reps, chi := d.harness, d.t, d.reps, d.reps[2]
	d.unchanged(chi, "/baocao Quý 5\n1 40", "Không tìm thấy kỳ báo cáo «Quý 5» (hoặc tên khớp với nhiều kỳ). Các kỳ: 1. 6 tháng, 2. 9 tháng, 3. Cả năm.",
		"Cú pháp: /report [#số đơn vị] <kỳ>, rồi mỗi dòng: <số thứ tự> <giá trị> [ghi chú]")
	d.unchanged(chi, "/baocao Cả năm\n1 abc", "Giá trị phải là một con số viết kiểu Việt Nam (45, 1.200, 25,3) hoặc phần trăm của chỉ tiêu (60%).")
	d.unchanged(chi, "/baocao Cả năm\n1 40\n2 abc", "Dòng 2 («2 abc»): Giá trị phải là một con số", "Chưa lưu dòng nào; sửa dòng này rồi gửi lại cả tin nhắn.")
	d.unchanged(chi, "/baocao Cả năm\n1 40\n2 1.100\n3 35%\n4 10", "Dòng 4 («4 10»): Đơn vị không có nội dung đăng ký số này. Gửi /pledges để xem số thứ tự các nội dung.",
		"Chưa lưu dòng nào")
	d.unchanged(chi, "/baocao Cả năm\n1 40\n1 45", "Dòng 2 («1 45»): Nội dung này đã có ở một dòng trước; mỗi nội dung chỉ báo cáo một dòng.")
	d.unchanged(chi, "/baocao Cả năm\n1 45\nđã khởi công 5 nhà", "Dòng 2 («đã khởi công 5 nhà»): Mỗi dòng báo cáo gồm số thứ tự của nội dung (xem /pledges), giá trị, rồi ghi chú nếu có")
	d.unchanged(chi, "/baocao Cả năm\n1 -5", "Giá trị không được là số âm.")
	d.unchanged(chi, "/baocao #4 Cả năm\n1 25", "Xin lỗi, chỉ đầu mối của đơn vị mới báo cáo cho đơn vị mình")
	d.unchanged(reps[3], "/baocao Cả năm\n1 25\n2 20\n3 5", "Dòng 3 («3 5»): Đơn vị không có nội dung đăng ký số này.")
	before := h.block().Version
	for _, text := range []string{"/baocao Cả năm\n1 40", "/tiendo", "/dshan", "/nhacngay"} {
		h.handled(h.tg.SendPrivate(chi, text))
		if m, _ := h.tg.LastMessage(chi.ID); m.Text != "Lệnh này dùng trong nhóm chat của khối thi đua." {
			t.Fatalf("%q in private: %q", text, m.Text)
		}
	}
	if h.block().Version != before {
		t.Fatal("commands in private changed the block")
	}
	if _, ok := h.block().Report(d.unitID(nongDan), d.yearPeriod().ID); ok {
		t.Fatal("a refused report was stored")
	}
}

// yearPeriod is the year's report period.
func (d *deadlineWeek) yearPeriod() thidua.Period {
	d.t.Helper()
	p, err := d.block().FindPeriod("Cả năm")
	if err != nil {
		d.t.Fatal(err)
	}
	return p
}

// remindedBeforeTheDeadline runs the reminders of 27/11 and 29/11: the
// year's report names the three units that have not reported, and Chi,
// who started the bot, hears of it in private; Chi reports on 28/11, Hà
// reminds the other two once more with /remindnow; on 29/11 the reminder
// and Chi's direct messages leave her unit out.
func (d *deadlineWeek) remindedBeforeTheDeadline() {
	d.t.Helper()
	h, t, chi, ha := d.harness, d.t, d.reps[2], d.reps[5]
	chiSeen, giangSeen := len(h.tg.Messages(chi.ID)), len(h.tg.Messages(d.reps[4].ID))
	got := d.ticked(11, 27, 8, 0)
	head := "⏰ Nhắc hạn: Báo cáo kết quả Cả năm\nHạn: 30/11/2026 23:59 "
	d.names(d.posted(got, head+"(còn 3 ngày).\nCác đơn vị chưa hoàn thành (3/6):"),
		"• Hội Nông dân tỉnh (còn: chưa báo cáo kết quả kỳ Cả năm) — Chi, Lan",
		"• Liên đoàn Lao động tỉnh (còn: chưa báo cáo kết quả kỳ Cả năm) — Dũng",
		"• Tỉnh Đoàn (còn: chưa báo cáo kết quả kỳ Cả năm) — Hà")
	d.names(d.posted(got, "⏰ Nhắc hạn: Gửi báo cáo tổng kết năm (bản giấy)\nHạn: 28/11/2026 17:00 (còn 1 ngày)."),
		"• Hội Nông dân tỉnh — Chi, Lan", "• Liên đoàn Lao động tỉnh — Dũng", "• Tỉnh Đoàn — Hà")
	final := d.posted(got, "⏰ Nhắc hạn: Hoàn thành toàn diện các chỉ tiêu năm 2026\nHạn: 30/11/2026 17:00 (còn 3 ngày).")
	expect(t, final, "• Tỉnh Đoàn (còn: Gửi báo cáo tổng kết năm (bản giấy); chưa báo cáo kết quả kỳ 9 tháng; chưa báo cáo kết quả kỳ Cả năm; chỉ tiêu năm chưa đạt tiến độ) — Hà")
	if strings.Contains(final, mttq) {
		t.Fatalf("the final deadline names the MTTQ, which owes nothing: %s", final)
	}
	if !slices.Contains(d.directs(chi, chiSeen), "⏰ Nhắc hạn (Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai): Báo cáo kết quả Cả năm — hạn 30/11/2026 23:59 (còn 3 ngày).\n"+
		"Đơn vị Hội Nông dân tỉnh của bạn chưa hoàn thành (còn: chưa báo cáo kết quả kỳ Cả năm).\n"+
		"Đầu mối báo cáo bằng /report <kỳ> (mỗi dòng: số thứ tự, giá trị), hoặc gửi /report <kỳ> không kèm dòng nào để báo cáo từng bước bằng nút bấm.") {
		t.Fatalf("Chi's direct messages: %q", d.directs(chi, chiSeen))
	}
	for _, m := range d.directs(d.reps[4], giangSeen) {
		if strings.Contains(m, "Báo cáo kết quả Cả năm") || strings.Contains(m, "báo cáo tổng kết") {
			t.Fatalf("Giang, whose unit has done both, was told: %q", m)
		}
	}

	// 28/11: Chi reports between the two reminders; Hà reminds the others.
	d.on(11, 28, 9, 0)
	expect(t, h.say(h.group, chi, "/baocao Cả năm\n1 45 đã khởi công 5 nhà\n2 1.150\n3 38%").Text,
		"📊 Đã ghi báo cáo kỳ Cả năm của Hội Nông dân tỉnh (Chi, 28/11/2026 09:00).\n1. 45 nhà / 50 nhà (90%)\n2. 1.150 hội viên / 1.200 hội viên (96%)\n3. 38% / 40% (95%)")
	h.say(h.group, chi, "/xong 1")
	d.unchanged(ha, "/nhacngay 9", "Không có hạn số này. Gửi /deadlines để xem số của các hạn.")
	d.unchanged(ha, "/nhacngay 31/11", "Số hạn phải là một số nguyên dương (xem /deadlines).")
	d.unchanged(d.reps[1], "/nhacngay", "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")
	pick := h.say(h.group, ha, "/nhacngay")
	expect(t, pick.Text, "Chọn hạn cần nhắc ngay:")
	label := ""
	for _, row := range pick.Buttons {
		if strings.HasPrefix(row[0].Text, "Báo cáo kết quả Cả năm") {
			label = row[0].Text
		}
	}
	if label != "Báo cáo kết quả Cả năm — 30/11/2026" {
		t.Fatalf("the /remindnow buttons: %v", pick.Buttons)
	}
	n := len(h.tg.Messages(h.group.ID))
	d.pressed(ha, pick, label)
	expect(t, h.message(pick.ID).Text, "📣 Đã gửi nhắc hạn «Báo cáo kết quả Cả năm» (theo yêu cầu của Hà).")
	d.names(d.posted(h.tg.Messages(h.group.ID)[n:], head+"(còn 2 ngày)."),
		"• Liên đoàn Lao động tỉnh (còn: chưa báo cáo kết quả kỳ Cả năm) — Dũng", "• Tỉnh Đoàn (còn: chưa báo cáo kết quả kỳ Cả năm) — Hà")

	chiSeen = len(h.tg.Messages(chi.ID))
	got = d.ticked(11, 29, 8, 0)
	d.names(d.posted(got, head+"(còn 1 ngày)."),
		"• Liên đoàn Lao động tỉnh (còn: chưa báo cáo kết quả kỳ Cả năm) — Dũng", "• Tỉnh Đoàn (còn: chưa báo cáo kết quả kỳ Cả năm) — Hà")
	for _, m := range d.directs(chi, chiSeen) {
		if strings.Contains(m, "chưa báo cáo kết quả kỳ Cả năm") {
			t.Fatalf("Chi, whose unit reported on 28/11, was told: %q", m)
		}
	}
}

// corrected has Lan correct on 29/11 the report Chi sent on 28/11: the
// group sees who replaced what, /myreport keeps both submissions with
// their senders, /history the values before and after, and the board
// still counts the unit on time.
func (d *deadlineWeek) corrected() {
	d.t.Helper()
	h, t, reps := d.harness, d.t, d.reps
	d.on(11, 29, 10, 0)
	expect(t, h.say(h.group, d.lan, "/baocao Cả năm\n1 48 đã bàn giao 3 nhà\n2 1.150\n3 38%").Text,
		"📊 Đã ghi báo cáo kỳ Cả năm của Hội Nông dân tỉnh (Lan, 29/11/2026 10:00).\nThay cho báo cáo lần 1 của Chi gửi 28/11/2026 09:00; lịch sử vẫn giữ cả hai.\n1. 48 nhà / 50 nhà (96%)")
	expect(t, h.say(h.group, reps[5], "/baocaocuatoi #3 Cả năm").Text, "📊 Báo cáo kỳ Cả năm — Hội Nông dân tỉnh (hạn 30/11/2026)\nLần 2: Lan, 29/11/2026 10:00 — đúng hạn",
		"1. Vận động xây 50 nhà đại đoàn kết — 48 nhà / 50 nhà (96%) — đã bàn giao 3 nhà", "Các lần gửi trước:\n• Lần 1: Chi, 28/11/2026 09:00 — đúng hạn")
	expect(t, h.say(h.group, reps[0], "/lichsu 1").Text,
		"29/11/2026 10:00 — Lan: gửi báo cáo kết quả [Hội Nông dân tỉnh]: «Cả năm — 1: 45 nhà (đã khởi công 5 nhà); 2: 1.150 hội viên; 3: 38%» → «Cả năm — 1: 48 nhà (đã bàn giao 3 nhà); 2: 1.150 hội viên; 3: 38%»")
	expect(t, h.say(h.group, reps[0], "/tiendo").Text, "3. Cả năm (hạn 30/11/2026): ✅ 4 · … 2\n", "Hội Nông dân tỉnh\n   ▓▓▓▓▓▓▓▓▓░ 96% · ✅ ✅ ✅")
	if r, _ := h.block().Report(d.unitID(nongDan), d.yearPeriod().ID); r.Revision != 2 || r.Submitted.UserID != d.lan.ID || r.Earlier[0].Submitted.UserID != reps[2].ID || r.Entries[0].Value != 48 {
		t.Fatalf("Hội Nông dân tỉnh's report of the year: %+v", r)
	}
}

// afterTheDeadline runs 30/11 and the night after: the last reminder;
// Dũng reporting half an hour after midnight (the clock in UTC), told it
// is late; the overdue notice naming Tỉnh Đoàn only; the board showing
// Dũng's unit late, not missing; /deadlines saying what each unit owes.
func (d *deadlineWeek) afterTheDeadline() {
	d.t.Helper()
	h, t, reps, dung := d.harness, d.t, d.reps, d.reps[3]
	d.names(d.posted(d.ticked(11, 30, 8, 0), "⏰ Nhắc hạn: Báo cáo kết quả Cả năm\nHạn: 30/11/2026 23:59 (hạn hôm nay)."),
		"• Liên đoàn Lao động tỉnh (còn: chưa báo cáo kết quả kỳ Cả năm) — Dũng", "• Tỉnh Đoàn (còn: chưa báo cáo kết quả kỳ Cả năm) — Hà")

	d.now = time.Date(2026, 11, 30, 17, 30, 0, 0, time.UTC) // 01/12 00:30 in the province
	expect(t, h.say(h.group, dung, "/baocao Cả năm\n1 28\n2 22").Text,
		"📊 Đã ghi báo cáo kỳ Cả năm của Liên đoàn Lao động tỉnh (Dũng, 01/12/2026 00:30).\n⏰ Nộp muộn: hạn của kỳ là 30/11/2026.\n1. 28 công đoàn / 30 công đoàn (93%)")
	expect(t, h.say(h.group, dung, "/baocaocuatoi").Text, "Lần 1: Dũng, 01/12/2026 00:30 — ⏰ nộp muộn")
	if st := h.block().ReportStatusOf(d.unitID(ldld), d.yearPeriod(), d.now); st != thidua.StatusLate {
		t.Fatalf("Liên đoàn Lao động tỉnh's report is %v", st)
	}

	overdue := d.posted(d.ticked(12, 1, 8, 0), "⚠️ Quá hạn: Báo cáo kết quả Cả năm\nHạn 30/11/2026 23:59 đã qua.\nCác đơn vị chưa hoàn thành (1/6):")
	d.names(overdue, "• Tỉnh Đoàn (còn: chưa báo cáo kết quả kỳ Cả năm) — Hà")
	d.on(12, 1, 9, 0)
	expect(t, h.say(h.group, reps[0], "/tiendo").Text, "3. Cả năm (hạn 30/11/2026): ✅ 4 · ⏰ 1 · ❌ 1\n   ❌ Chưa nộp: Tỉnh Đoàn\n",
		"Liên đoàn Lao động tỉnh\n   ▓▓▓▓▓▓▓▓▓░ 91% · ✅ ✅ ⏰", "6. Tỉnh Đoàn\n   ▓▓▓▓░░░░░░ 38% · ✅ ❌ ❌")
	deadlines := h.say(h.group, reps[0], "/dshan").Text
	expect(t, deadlines, "• Hoàn thành toàn diện các chỉ tiêu năm 2026 — 30/11/2026 17:00 (quá hạn 1 ngày)\n",
		"   – Tỉnh Đoàn (còn: Gửi báo cáo tổng kết năm (bản giấy); chưa báo cáo kết quả kỳ 9 tháng; chưa báo cáo kết quả kỳ Cả năm; chỉ tiêu năm chưa đạt tiến độ)\n",
		"• Báo cáo kết quả Cả năm — 30/11/2026 23:59 (quá hạn 1 ngày)\n   Chưa xong (1/6): Tỉnh Đoàn")
	if strings.Contains(deadlines, "– "+mttq) || strings.Contains(deadlines, "– "+ccb) {
		t.Fatalf("/deadlines names a unit that owes nothing: %s", deadlines)
	}
}

// exportAndReview exports the year on 01/12, when the review opens: each
// unit's status for the year's report as the board has it, the corrected
// report under its last sender; then a late unit scores itself, Tỉnh
// Đoàn sends its two missing reports late, and the leader records an
// agreed score.
func (d *deadlineWeek) exportAndReview() {
	d.t.Helper()
	h, t, reps, ha := d.harness, d.t, d.reps, d.reps[5]
	expect(t, h.say(h.group, reps[1], "/xuatfile").Text, "Các bảng trên dạng CSV")
	_, tables := d.exported(2026)
	rows := tables["ket-qua.csv"]
	for _, want := range [][]string{
		{"Cả năm", "2026-11-30", ccb, "1", "Vận động 500 hội viên mới", "500 hội viên", "510", "hội viên", "102%", "đúng hạn", "2026-11-22", "Bình", "", "0"},
		{"Cả năm", "2026-11-30", nongDan, "1", "Vận động xây 50 nhà đại đoàn kết", "50 nhà", "48", "nhà", "96%", "đúng hạn", "2026-11-29", "Lan", "đã bàn giao 3 nhà", "0"},
		{"Cả năm", "2026-11-30", ldld, "2", "Ký 25 thoả ước lao động tập thể", "25 thoả ước", "22", "thoả ước", "88%", "nộp muộn", "2026-12-01", "Dũng", "", "0"},
		{"Cả năm", "2026-11-30", doan, "1", "Thành lập 40 đội thanh niên tình nguyện", "40 đội", "", "", "", "quá hạn, chưa nộp", "", "", "", ""},
		{"9 tháng", "2026-09-15", doan, "1", "Thành lập 40 đội thanh niên tình nguyện", "40 đội", "", "", "", "quá hạn, chưa nộp", "", "", "", ""},
	} {
		if !hasRow(rows, want...) {
			t.Fatalf("ket-qua.csv has no row %q:\n%q", want, rows)
		}
	}
	if !hasRow(tables["tien-do.csv"], "6", doan, "37,5%", "đúng hạn", "quá hạn, chưa nộp", "quá hạn, chưa nộp") {
		t.Fatalf("tien-do.csv:\n%q", tables["tien-do.csv"])
	}

	d.on(12, 1, 10, 0)
	expect(t, h.say(h.group, reps[3], "/tucham\n1 18\n2 27\n3 45").Text, "✅ Đã ghi điểm tự chấm của Liên đoàn Lao động tỉnh (bởi Dũng).", "Tổng: tự chấm 90 · bình xét —")
	d.unchanged(reps[3], "/tucham\n1 18\n3 95", "Tiêu chí số 3 «An sinh xã hội» tối đa 50 điểm, không chấm được 95 điểm")
	expect(t, h.say(h.group, ha, "/baocao 9 tháng\n1 30").Text, "⏰ Nộp muộn: hạn của kỳ là 15/09/2026.")
	expect(t, h.say(h.group, ha, "/baocao Cả năm\n1 38").Text, "⏰ Nộp muộn: hạn của kỳ là 30/11/2026.", "1. 38 đội / 40 đội (95%)")
	deadlines := h.say(h.group, reps[0], "/dshan").Text
	expect(t, deadlines, "   – Tỉnh Đoàn (còn: Gửi báo cáo tổng kết năm (bản giấy); chỉ tiêu năm chưa đạt tiến độ)\n",
		"• Báo cáo kết quả Cả năm — 30/11/2026 23:59 (quá hạn 1 ngày)\n   ✅ Tất cả đơn vị đã hoàn thành")
	expect(t, h.say(h.group, ha, "/chamdiem #4\n1 17\n2 26\n3 44 nộp báo cáo năm muộn").Text, "✅ Đã ghi điểm bình xét của Liên đoàn Lao động tỉnh (bởi Hà).",
		"Tổng: tự chấm 90 · bình xét 87")
	expect(t, h.say(h.group, reps[0], "/bangdiem").Text, "1. Liên đoàn Lao động tỉnh — bình xét 87 · tự chấm 90")
	expect(t, h.say(h.group, reps[0], "/tiendo").Text, "3. Cả năm (hạn 30/11/2026): ✅ 4 · ⏰ 2\n", "2. 9 tháng (hạn 15/09/2026): ✅ 5 · ⏰ 1\n")
}
