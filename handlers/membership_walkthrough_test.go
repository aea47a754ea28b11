package handlers_test

import (
	"slices"
	"strings"
	"testing"

	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// The units the reorganisation of 2026 brings and renames in the membership
// walkthrough: Tỉnh Đoàn under its full name, the farmers' association of
// Yên Bái, which joins and then merges into Lào Cai's, renamed for the new
// province.
const (
	doanMoi    = "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Lào Cai"
	nongDanYB  = "Hội Nông dân tỉnh Yên Bái"
	nongDanMoi = "Hội Nông dân tỉnh Lào Cai"
)

// membership is the cast of the membership walkthrough: the year-end
// walkthrough's (walk, without Lan at first) in a basic group that Telegram
// upgrades to a supergroup in August; Quang, a member made a group
// administrator for the reorganisation and demoted in October; Lan, who
// takes over Hội Nông dân tỉnh from Chi; and Tùng, the representative of
// the farmers' association of Yên Bái.
type membership struct {
	*walk
	quang, tung *telegramtest.User
	// cov is the covenant message signed in January.
	cov telegramtest.Message
	// johnQ1 is the confirmation of the Red Cross's report for Quý I.
	johnQ1 telegramtest.Message
}

// photo has user reply to the bot's message to with a photo and returns
// the bot's answer.
func (m *membership) photo(user *telegramtest.User, to telegramtest.Message, caption string) string {
	m.t.Helper()
	m.handled(m.tg.SendPhoto(m.group, user, &to, pngBytes(m.t), caption))
	last, _ := m.tg.LastMessage(m.group.ID)
	return last.Text
}

// unitNamed is the unit of the stored block named so, nil if none.
func (m *membership) unitNamed(name string) *thidua.Unit {
	b := m.block()
	for i := range b.Units {
		if b.Units[i].Name == name {
			return &b.Units[i]
		}
	}
	return nil
}

// TestMembershipWalkthrough drives a block through a year whose membership
// changes, 2026, when Lào Cai and Yên Bái merged and the mass
// organisations were reorganised: a representative leaves her job with a
// report half typed and another takes over; a new administrator renames
// Tỉnh Đoàn, removes the Red Cross (which moves to another block) with its
// reports, and adds the farmers' association of Yên Bái after two periods
// have passed, which registers, signs the covenant and reports; the two
// farmers' associations merge; Telegram upgrades the group to a
// supergroup; the reminders go on; the administrator is demoted; a unit
// cannot leave during an election; and the export and history keep it all.
func TestMembershipWalkthrough(t *testing.T) {
	m := &membership{walk: &walk{harness: newHarness(t)}}
	m.january()
	m.firstHalf()
	m.handover()
	m.reorganisation()
	m.newcomer()
	m.merger()
	m.upgrade()
	m.autumn()
}

// january sets the block up on 05/01 in a basic group: the seven units of
// seed 001 with a representative each (John of the Red Cross in English),
// registration approved and closed, four periods, and the covenant signed
// by every unit.
func (m *membership) january() {
	t, h := m.t, m.harness
	old := h.tg.NewBasicGroup("Khối thi đua tỉnh Lào Cai")
	old.SetStatus(h.admin, telegramtest.StatusCreator)
	h.group = old
	m.on(1, 5, 8, 30)
	m.seated()
	m.quang = h.member("Quang", "quang_vp")
	h.handled(h.tg.SendPrivate(m.reps[2], "/start"))
	m.registered("Công tác tuyên truyền, vận động | 20\nPhát triển hội viên | 30\nAn sinh xã hội | 50", walkPledges...)
	ha := m.reps[5]
	expect(t, h.say(h.group, ha, "/dongdangky").Text, "🔒 Đã đóng đăng ký thi đua (bởi Hà).", "Đã duyệt: 7/7 đơn vị.")
	expect(t, h.say(h.group, ha, "/kybaocao Quý I | 31/03\n6 tháng | 15/06\n9 tháng | 15/09\nCả năm | 30/11").Text, "✅ Đã thêm 4 kỳ báo cáo.")
	m.cov = h.say(h.group, ha, "/giaouoc Đoàn kết, vượt khó - Chủ động thích ứng | 31/01/2026")
	for _, rep := range m.reps {
		m.pressed(rep, m.cov, "✍️ Ký giao ước")
	}
	expect(t, h.message(m.cov.ID).Text, "Đã ký: 7/7 đơn vị\n🎉 Tất cả đơn vị đã ký.")
}

// firstHalf has every unit report for Quý I on 30/03 and all but Hội Nông
// dân tỉnh for 6 tháng on 12/06; on the evening of 14/06 Chi starts that
// report step by step and answers its first pledge.
func (m *membership) firstHalf() {
	t, h := m.t, m.harness
	m.on(3, 30, 9, 0)
	for i, r := range []string{"1 3", "1 120", "1 10\n2 300", "1 8", "1 30", "1 10"} {
		expect(t, h.say(h.group, m.reps[i], "/baocao Quý I\n"+r).Text, "📊 Đã ghi báo cáo kỳ Quý I của "+unitNames[i])
	}
	m.johnQ1 = h.say(h.group, m.reps[6], "/baocao Quý I\n1 500")
	expect(t, m.johnQ1.Text, "Recorded the report of Quý I for Hội Chữ thập đỏ tỉnh (John, 30/03/2026 09:00).")
	m.on(6, 12, 9, 0)
	for _, i := range []int{0, 1, 3, 4, 5, 6} {
		h.say(h.group, m.reps[i], "/baocao 6 tháng\n1 "+[]string{"6", "250", "", "15", "60", "20", "1.000"}[i])
	}
	if n := h.block().ReportCount(mustPeriod(t, h.block(), "6 tháng").ID); n != 6 {
		t.Fatalf("%d units reported for 6 tháng", n)
	}
}

// mustPeriod is the block's period named name.
func mustPeriod(t *testing.T, b *thidua.Block, name string) thidua.Period {
	t.Helper()
	p, err := b.FindPeriod(name)
	if err != nil {
		t.Fatalf("no period %q: %v", name, err)
	}
	return p
}

// handover: on 14/06 Chi, of Hội Nông dân tỉnh, starts the 6 tháng report
// step by step and answers one pledge; on 15/06 she leaves her job
// (/leave): her half-typed report stops, saying so, and she can press
// nothing more. On 16/06 Lan takes over: approved by Hà, she sees the
// unit's report for Quý I, attaches a photo to it, and sends the 6 tháng
// report, late, in one message. Chi, who had started the bot, gets no
// more reminders.
func (m *membership) handover() {
	t, h, chi, ha := m.t, m.harness, m.reps[2], m.reps[5]
	m.on(6, 14, 20, 0)
	draft := h.say(h.group, chi, "/baocao 6 tháng")
	expect(t, draft.Text, "📝 Báo cáo kỳ 6 tháng — Hội Nông dân tỉnh\nChi đang nhập", "Nội dung 1/2: Vận động xây 50 nhà đại đoàn kết")
	m.pressed(chi, draft, "50%")
	expect(t, h.message(draft.ID).Text, "Nội dung 2/2: Phát triển hội viên mới")

	m.on(6, 15, 8, 0)
	expect(t, h.say(h.group, chi, "/roikhoi").Text, "Bạn không còn là đầu mối của Hội Nông dân tỉnh.")
	stopped := h.message(draft.ID)
	expect(t, stopped.Text, "🚪 Chi thôi làm đầu mối của Hội Nông dân tỉnh nên lần nhập báo cáo kỳ 6 tháng dừng lại; chưa có gì được ghi từ tin nhắn này.",
		"Đầu mối của đơn vị nhập lại: /report 6 tháng")
	if b := h.block(); len(stopped.Buttons) != 0 || len(b.Results.Drafts) != 0 || b.RepOf(chi.ID) != nil {
		t.Fatalf("after Chi left: buttons %v, drafts %+v", stopped.Buttons, b.Results.Drafts)
	}
	// A reply to it records nothing either.
	m.handled(m.tg.Reply(m.group, chi, &stopped, "30"))
	last, _ := h.tg.LastMessage(h.group.ID)
	expect(t, last.Text, "không nhận trả lời nữa; chưa ghi nhận gì")

	m.on(6, 16, 9, 0)
	m.lan = h.member("Lan", "lan_nd")
	h.joinIn(h.group, ha, m.lan, nongDan)
	mine := h.say(h.group, m.lan, "/baocaocuatoi Quý I")
	expect(t, mine.Text, "📊 Báo cáo kỳ Quý I — Hội Nông dân tỉnh", "Lần 1: Chi, 30/03/2026 09:00 — đúng hạn")
	expect(t, m.photo(m.lan, mine, "Biên bản bàn giao nhà đại đoàn kết"), "📎 Đã đính kèm ảnh vào báo cáo kỳ Quý I của Hội Nông dân tỉnh (1 minh chứng).")
	expect(t, h.say(h.group, m.lan, "/baocao 6 tháng\n1 30\n2 700").Text, "📊 Đã ghi báo cáo kỳ 6 tháng của Hội Nông dân tỉnh (Lan, 16/06/2026 09:00).", "⏰ Nộp muộn")
	if st := h.block().ReportStatusOf(m.unitID(nongDan), mustPeriod(t, h.block(), "6 tháng"), m.now); st != thidua.StatusLate {
		t.Fatalf("Hội Nông dân tỉnh's 6 tháng report: %v", st)
	}
}

// reorganisation: on 01/07 Quang, made a group administrator, renames
// Tỉnh Đoàn, which keeps its office, reports and history, and which its
// old name still finds with a hint; then he removes the Red Cross, which
// moves to another block: the question says what goes with it, John's
// correction typed step by step stops, evidence replying to its reports
// is refused, saying why, and the history keeps the unit under its name.
func (m *membership) reorganisation() {
	t, h, john, ha := m.t, m.harness, m.reps[6], m.reps[5]
	m.on(6, 30, 16, 0)
	correction := h.say(h.group, john, "/baocao 6 tháng")
	expect(t, correction.Text, "6 tháng report — Hội Chữ thập đỏ tỉnh")

	m.on(7, 1, 8, 0)
	h.changeStatus(h.group, m.quang, telegramtest.StatusAdministrator)
	expect(t, h.say(h.group, m.quang, "/doiten Tỉnh Đoàn | "+doanMoi).Text, "✅ Đã đổi tên đơn vị thành "+doanMoi+".")
	doan6 := m.unitNamed(doanMoi)
	if b := h.block(); doan6 == nil || b.LeaderUnit != doan6.ID || len(doan6.Former) != 1 || doan6.Former[0].Name != doan {
		t.Fatalf("the renamed unit: %+v, leader %q", doan6, b.LeaderUnit)
	}
	expect(t, h.say(h.group, ha, "/dsdangky").Text, doanMoi, "Thành lập 40 đội thanh niên tình nguyện")
	expect(t, h.say(h.group, ha, "/baocaocuatoi Quý I").Text, "Báo cáo kỳ Quý I — "+doanMoi, "Lần 1: Hà, 30/03/2026 09:00 — đúng hạn")
	// The old name finds the unit no more, but says what it is called now.
	hint := m.unchanged(m.reps[0], "/dsdangky Tỉnh Đoàn", "«Tỉnh Đoàn» là tên cũ của đơn vị số 6, nay là "+doanMoi+" (đổi tên ngày 01/07/2026). Gửi lại lệnh với tên mới hoặc số thứ tự 6.")
	if strings.Contains(hint, "Không tìm thấy") {
		t.Fatalf("the old name is not found: %q", hint)
	}
	m.unchanged(m.reps[0], "/lichsu tinh doan", "«Tỉnh Đoàn» là tên cũ của đơn vị số 6")
	history := h.say(h.group, m.reps[0], "/lichsu "+doanMoi).Text
	expect(t, history, "Lịch sử thay đổi — "+doanMoi, "Hà: gửi báo cáo kết quả ["+doanMoi+"]: «Quý I — 1: 10 đội»",
		"Quang (quản trị viên): đổi tên đơn vị ["+doanMoi+"]: «Tỉnh Đoàn» → «"+doanMoi+"»")

	// The Red Cross moves to another block: the question says what goes.
	ask := h.say(h.group, m.quang, "/xoadonvi Hội Chữ thập đỏ")
	expect(t, ask.Text, "Xoá đơn vị Hội Chữ thập đỏ tỉnh khỏi khối? 1 đầu mối của đơn vị cũng sẽ bị gỡ.",
		"Số liệu năm 2026 của đơn vị: 1 nội dung đăng ký, chữ ký giao ước, báo cáo kỳ Quý I, 6 tháng.",
		"Sau khi xoá, các số liệu này không còn trên /progress, /summary, /scores và /export; /history vẫn giữ mọi thay đổi của đơn vị.")
	m.pressed(m.quang, ask, "🗑 Xoá")
	expect(t, h.message(ask.ID).Text, "🗑 Đã xoá đơn vị Hội Chữ thập đỏ tỉnh (bởi Quang).")
	b := h.block()
	if len(b.Units) != 6 || b.RepOf(john.ID) != nil || len(b.Removed) != 1 || b.Removed[0].Name != ctd || b.Removed[0].By != "Quang" {
		t.Fatalf("after the removal: %d units, John %+v, removed %+v", len(b.Units), b.RepOf(john.ID), b.Removed)
	}
	stopped := h.message(correction.ID)
	expect(t, stopped.Text, "🗑 Đơn vị Hội Chữ thập đỏ tỉnh đã bị xoá khỏi khối nên lần nhập báo cáo kỳ 6 tháng dừng lại; chưa có gì được ghi từ tin nhắn này.")
	if len(stopped.Buttons) != 0 || len(b.Results.Drafts) != 0 {
		t.Fatalf("John's correction: %v, drafts %+v", stopped.Buttons, b.Results.Drafts)
	}
	// Evidence for its reports is refused, to its former representative
	// and to an administrator alike, saying why.
	for _, who := range []*telegramtest.User{john, m.quang} {
		before := h.block().Version
		answer := m.photo(who, m.johnQ1, "Ngày hội hiến máu")
		if !strings.Contains(answer, "Hội Chữ thập đỏ tỉnh") || !strings.Contains(answer, "01/07/2026") || strings.Contains(answer, "#0") {
			t.Fatalf("%s's photo for the removed unit's report: %q", who.FirstName, answer)
		}
		if h.block().Version != before {
			t.Fatalf("%s's photo changed the block", who.FirstName)
		}
	}
	m.unchanged(m.reps[0], "/dsdangky Hội Chữ thập đỏ", "Đơn vị «Hội Chữ thập đỏ tỉnh» đã bị xoá khỏi khối ngày 01/07/2026 (bởi Quang); không ghi nhận được gì cho đơn vị này nữa. Gửi /units để xem các đơn vị hiện có.")
	gone := h.say(h.group, m.reps[0], "/lichsu Hội Chữ thập đỏ").Text
	expect(t, gone, "Lịch sử thay đổi — Hội Chữ thập đỏ tỉnh", "John: gửi báo cáo kết quả [Hội Chữ thập đỏ tỉnh]: «Quý I — 1: 500 đơn vị»",
		"Quang (quản trị viên): gỡ đầu mối (đơn vị bị xoá) [Hội Chữ thập đỏ tỉnh]: «John (john_rc)»",
		"Quang (quản trị viên): xoá đơn vị [Hội Chữ thập đỏ tỉnh]: «Hội Chữ thập đỏ tỉnh»")
}

// newcomer: on 01/07, after Quý I and 6 tháng have passed, the farmers'
// association of Yên Bái joins. It owes no report for those periods, which
// closed before it joined: /progress and /deadlines do not count it
// overdue. Its representative Tùng registers once Hà reopens registration,
// brings the covenant up himself and signs it, and reports for 6 tháng,
// which is not late for a unit that joined after it.
func (m *membership) newcomer() {
	t, h, ha := m.t, m.harness, m.reps[5]
	expect(t, h.say(h.group, m.quang, "/themdonvi "+nongDanYB).Text, "✅ Đã thêm 1 đơn vị:\n• "+nongDanYB)
	expect(t, h.message(m.cov.ID).Text, "Đã ký: 6/7 đơn vị\nChưa ký: "+nongDanYB)
	board := h.say(h.group, m.reps[0], "/tiendo").Text
	expect(t, board, "1. Quý I (hạn 31/03/2026): ✅ 6 · — 1\n", "2. 6 tháng (hạn 15/06/2026): ✅ 5 · ⏰ 1 · — 1\n",
		"• "+nongDanYB+"\n   ⚠️ chưa đăng ký nội dung nào · — — … …", "— chưa vào khối khi hết hạn")
	if strings.Contains(board, "❌ Chưa nộp") || strings.Contains(board, "❌ 1") {
		t.Fatalf("the newcomer is overdue on the board:\n%s", board)
	}
	expect(t, h.say(h.group, m.reps[0], "/dskybaocao").Text, "1. Quý I — hạn 31/03/2026 — đã báo cáo 6/6 đơn vị (đã quá hạn)",
		"2. 6 tháng — hạn 15/06/2026 — đã báo cáo 6/6 đơn vị (đã quá hạn)", "3. 9 tháng — hạn 15/09/2026 — đã báo cáo 0/7 đơn vị")
	yb := m.unitID(nongDanYB)
	b := h.block()
	for _, name := range []string{"Quý I", "6 tháng"} {
		p := mustPeriod(t, b, name)
		if st := b.ReportStatusOf(yb, p, m.now); st != thidua.StatusNotOwed || slices.Contains(b.UnitsMissingReport(p.ID), yb) {
			t.Fatalf("the newcomer for %s: %v, missing %v", name, st, b.UnitsMissingReport(p.ID))
		}
	}
	final := h.say(h.group, m.reps[0], "/dshan").Text
	expect(t, final, "– "+nongDanYB+" (còn: chưa ký giao ước thi đua; chưa báo cáo kết quả kỳ 9 tháng; chưa báo cáo kết quả kỳ Cả năm)")

	m.tung = h.member("Tùng", "tung_nd_yb")
	h.joinIn(h.group, ha, m.tung, nongDanYB)
	m.unchanged(m.tung, "/dangky Phát triển hội viên mới | 400 hội viên", "Đăng ký thi đua đã đóng")
	expect(t, h.say(h.group, ha, "/modangky").Text, "🔓 Đã mở lại đăng ký thi đua.")
	expect(t, h.say(h.group, m.tung, "/dangky Phát triển hội viên mới | 400 hội viên").Text, "✅ Đã ghi 1 nội dung đăng ký thi đua của "+nongDanYB)
	h.say(h.group, m.tung, "/guidangky")
	expect(t, h.say(h.group, ha, "/duyet "+nongDanYB).Text, "✅ Đã duyệt danh sách đăng ký thi đua của "+nongDanYB,
		"Tùng: đơn vị ký được giao ước rồi — bấm «✍️ Ký giao ước» dưới tin giao ước (gửi /covenant để hiện lại).")
	h.say(h.group, ha, "/dongdangky")
	// The covenant is far up the chat: Tùng brings it up as told, and
	// /help says he may.
	expect(t, h.say(h.group, m.tung, "/help covenant").Text, "đầu mối gửi /covenant để hiện lại tin giao ước và ký", "đầu mối của các đơn vị")
	before := len(h.tg.Messages(h.group.ID))
	again := h.say(h.group, m.tung, "/giaouoc")
	expect(t, again.Text, "📜 GIAO ƯỚC THI ĐUA NĂM 2026", "Đã ký: 6/7 đơn vị\nChưa ký: "+nongDanYB)
	if a := m.pressed(m.tung, again, "✍️ Ký giao ước"); a.Text != "✅ Đã ký giao ước cho "+nongDanYB+"." {
		t.Fatalf("Tùng's signature: %+v", a)
	}
	expect(t, h.message(again.ID).Text, "Đã ký: 7/7 đơn vị")
	for _, msg := range h.tg.Messages(h.group.ID)[before:] {
		if strings.HasPrefix(msg.Text, "🎉") {
			t.Fatalf("the covenant's completion announced again: %q", msg.Text)
		}
	}
	// Its half-year report is not late: it joined after the deadline.
	conf := h.say(h.group, m.tung, "/baocao 6 tháng\n1 120").Text
	expect(t, conf, "📊 Đã ghi báo cáo kỳ 6 tháng của "+nongDanYB+" (Tùng, 01/07/2026 08:00).")
	if strings.Contains(conf, "Nộp muộn") {
		t.Fatalf("the newcomer's report is late: %q", conf)
	}
	expect(t, h.say(h.group, m.reps[0], "/dskybaocao").Text, "2. 6 tháng — hạn 15/06/2026 — đã báo cáo 7/7 đơn vị (đã quá hạn)")
	expect(t, h.say(h.group, m.reps[0], "/tiendo").Text, "2. 6 tháng (hạn 15/06/2026): ✅ 6 · ⏰ 1\n", "7. "+nongDanYB+"\n   ▓▓▓░░░░░░░ 30% · — ✅ … …")
	// At 30% of its target on the day it joined it is not behind: its pace
	// counts from that day, not from 1/1.
	expect(t, h.say(h.group, m.reps[0], "/dshan").Text, "– "+nongDanYB+" (còn: chưa báo cáo kết quả kỳ 9 tháng; chưa báo cáo kết quả kỳ Cả năm)\n")
}

// merger: on 01/08 the two farmers' associations merge: Quang removes Yên
// Bái's, which says what goes with it, and renames Lào Cai's; Tùng, whose
// unit is gone, is told so when he asks to join it, and joins the merged
// association. The removed unit's history stays to be read by its name.
func (m *membership) merger() {
	t, h, ha := m.t, m.harness, m.reps[5]
	m.on(8, 1, 8, 0)
	ask := h.say(h.group, m.quang, "/xoadonvi "+nongDanYB)
	expect(t, ask.Text, "Xoá đơn vị "+nongDanYB+" khỏi khối? 1 đầu mối", "1 nội dung đăng ký, chữ ký giao ước, báo cáo kỳ 6 tháng.")
	m.pressed(m.quang, ask, "🗑 Xoá")
	expect(t, h.say(h.group, m.quang, "/doiten Hội Nông dân tỉnh | "+nongDanMoi).Text, "✅ Đã đổi tên đơn vị thành "+nongDanMoi+".")
	m.unchanged(m.tung, "/thamgia "+nongDanYB, "Đơn vị «"+nongDanYB+"» đã bị xoá khỏi khối ngày 01/08/2026 (bởi Quang)")
	h.joinIn(h.group, ha, m.tung, nongDanMoi)
	if reps := h.block().RepsOf(m.unitID(nongDanMoi)); len(reps) != 2 {
		t.Fatalf("the merged association's representatives: %+v", reps)
	}
	expect(t, h.say(h.group, m.reps[0], "/lichsu "+nongDanYB).Text, "Lịch sử thay đổi — "+nongDanYB,
		"Tùng: gửi báo cáo kết quả ["+nongDanYB+"]: «6 tháng — 1: 120 hội viên»", "Quang (quản trị viên): xoá đơn vị ["+nongDanYB+"]")
	b := h.block()
	if len(b.Units) != 6 || len(b.Removed) != 2 || b.Removed[1].Name != nongDanYB {
		t.Fatalf("after the merger: %d units, removed %+v", len(b.Units), b.Removed)
	}
}

// upgrade: on 20/08 Telegram upgrades the group to a supergroup while Lan
// is typing the 9 tháng report step by step: the old group's buttons say
// the block moved; in the supergroup she starts again and sends it, and a
// photo replying to it is evidence; the covenant is posted there anew.
func (m *membership) upgrade() {
	t, h := m.t, m.harness
	m.on(8, 19, 16, 0)
	old := h.group
	draft := h.say(old, m.lan, "/baocao 9 tháng")
	expect(t, draft.Text, "📝 Báo cáo kỳ 9 tháng — "+nongDanMoi)
	m.on(8, 20, 9, 0)
	sg := h.upgrade()
	expect(t, h.tg.Messages(sg.ID)[len(h.tg.Messages(sg.ID))-1].Text, "ℹ️ Telegram đã nâng cấp nhóm lên siêu nhóm.")
	if a := h.press(old, m.lan, draft, button(t, draft, "50%")); !strings.Contains(a.Text, "nhóm đã được nâng cấp thành siêu nhóm") {
		t.Fatalf("Lan's press in the old group: %+v", a)
	}
	draft = h.say(sg, m.lan, "/baocao 9 tháng")
	m.pressed(m.lan, draft, "75%")
	m.pressed(m.lan, h.message(draft.ID), "75%")
	m.pressed(m.lan, h.message(draft.ID), "✅ Gửi báo cáo")
	expect(t, h.message(draft.ID).Text, "📊 Đã ghi báo cáo kỳ 9 tháng của "+nongDanMoi+" (Lan, 20/08/2026 09:00).")
	expect(t, m.photo(m.tung, h.message(draft.ID), "Hội nghị sơ kết 9 tháng"), "📎 Đã đính kèm ảnh vào báo cáo kỳ 9 tháng của "+nongDanMoi+" (1 minh chứng).")
	m.cov = h.say(sg, m.reps[5], "/giaouoc")
	expect(t, m.cov.Text, "Đã ký: 6/6 đơn vị")
}

// autumn: the reminders of 9 tháng go to the supergroup, naming the units
// that owe it and their representatives now, and none to Chi; Quang,
// demoted on 01/10, runs the block no more; on 20/11 award proposals
// naming units by their old names, or removed ones, say what became of
// them, and no unit can leave while the leader is being elected; and the
// export keeps the year.
func (m *membership) autumn() {
	t, h, chi, ha := m.t, m.harness, m.reps[2], m.reps[5]
	chiDMs := len(h.tg.Messages(chi.ID))
	m.names(m.posted(m.ticked(9, 8, 8, 0), "⏰ Nhắc hạn: Báo cáo kết quả 9 tháng"),
		"• Ủy ban MTTQ Việt Nam tỉnh (còn: chưa báo cáo kết quả kỳ 9 tháng) — An",
		"• Hội Cựu chiến binh tỉnh (còn: chưa báo cáo kết quả kỳ 9 tháng) — Bình",
		"• Liên đoàn Lao động tỉnh (còn: chưa báo cáo kết quả kỳ 9 tháng) — Dũng",
		"• Hội Liên hiệp Phụ nữ tỉnh (còn: chưa báo cáo kết quả kỳ 9 tháng) — Giang",
		"• "+doanMoi+" (còn: chưa báo cáo kết quả kỳ 9 tháng) — Hà")
	if n := len(h.tg.Messages(chi.ID)); n != chiDMs {
		t.Fatalf("Chi, who left in June, got %d direct messages", n-chiDMs)
	}

	m.on(10, 1, 9, 0)
	h.changeStatus(h.group, m.quang, telegramtest.StatusMember)
	m.unchanged(m.quang, "/themdonvi Hội Khuyến học tỉnh", "Xin lỗi, chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng mới thực hiện được thao tác này.")

	m.on(11, 20, 8, 0)
	// Award proposals that name units as they were known find them no
	// more, and say why.
	m.unchanged(ha, "/khenthuong Bằng khen của UBND tỉnh | Tỉnh Đoàn, Hội Chữ thập đỏ", "«Tỉnh Đoàn» là tên cũ của đơn vị số 6, nay là "+doanMoi)
	m.unchanged(ha, "/khenthuong Bằng khen của UBND tỉnh | "+doanMoi+", Hội Chữ thập đỏ", "Đơn vị «Hội Chữ thập đỏ tỉnh» đã bị xoá khỏi khối ngày 01/07/2026 (bởi Quang)")
	expect(t, h.say(h.group, ha, "/bau khoitruong").Text, "🗳 Bầu Khối trưởng năm 2027")
	m.unchanged(h.admin, "/xoadonvi Liên đoàn Lao động tỉnh", "Đang có cuộc bầu chưa kết thúc: Bầu Khối trưởng năm 2027, kết thúc 21/11/2026 08:00.")

	h.say(h.group, ha, "/xuatfile")
	_, tables := m.exported(2026)
	for _, row := range tables["ket-qua.csv"] {
		if slices.Contains(row, ctd) || slices.Contains(row, nongDanYB) {
			t.Fatalf("a removed unit's result in the export: %v", row)
		}
	}
	var removals []string
	for _, row := range tables["lich-su.csv"] {
		if len(row) > 2 && row[2] == "xoá đơn vị" {
			removals = append(removals, row[3])
		}
	}
	if !slices.Equal(removals, []string{ctd, nongDanYB}) {
		t.Fatalf("the removals in the history sheet: %v", removals)
	}
}
