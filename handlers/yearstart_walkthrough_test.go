package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// yearStart is the cast of the walkthrough of a new block's first ten
// months (see TestYearStartWalkthrough): the year-end walkthrough's helpers
// (walk) in 2027, on a block set up then, whose representatives reps[i]
// join for unit i+1 (An, Bình, Chi, Dũng, Giang, Hà of Tỉnh Đoàn, the
// leader, and John of the Red Cross, whose Telegram speaks English), and
// Tuấn, a member whose request to represent a unit is rejected.
type yearStart struct {
	*walk
	tuan *telegramtest.User
}

// replied has user reply to the bot's message to with text and returns the
// bot's last message in the group then.
func (s *yearStart) replied(user *telegramtest.User, to telegramtest.Message, text string) telegramtest.Message {
	s.t.Helper()
	s.handled(s.tg.Reply(s.group, user, &to, text))
	m, _ := s.tg.LastMessage(s.group.ID)
	return m
}

// answer has user send text in the group and returns every message the bot
// answered with, joined: a long answer comes in several.
func (s *yearStart) answer(user *telegramtest.User, text string) string {
	s.t.Helper()
	n := len(s.tg.Messages(s.group.ID))
	s.handled(s.tg.Send(s.group, user, text))
	var parts []string
	for _, m := range s.tg.Messages(s.group.ID)[n:] {
		if m.From.ID != user.ID {
			parts = append(parts, m.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// unit is the registration of the unit numbered n in /units.
func (s *yearStart) unit(n int) thidua.UnitRegistration {
	s.t.Helper()
	b := s.block()
	return b.RegistrationOf(b.Units[n-1].ID)
}

// TestYearStartWalkthrough drives a new block of seven units through its
// first ten months, from 05/01 to 15/10/2027, as its staff and leaders
// would: the group set up by its administrator; the representatives
// joining with buttons, one rejected, the others approved by the leader
// unit's representative; /help for a newcomer and for a manager; pledges
// typed the Vietnamese way, edited, deleted, submitted, returned with a
// reason and approved with the button; the summary; the covenant signed by
// button, its late signer reminded; the reporting periods; reports in one
// message and step by step, corrected, with a photo and a PDF as evidence;
// /myreport and /progress on time, late and overdue; a deadline of the
// leader's with /done; the reminders moved off the weekend and the quiet
// hours; /remindnow; and the history.
func TestYearStartWalkthrough(t *testing.T) {
	s := &yearStart{walk: &walk{harness: newHarness(t), year: 2027}}
	s.setUpAndJoin()
	s.register()
	s.signCovenant()
	s.firstQuarter()
	s.leadersDeadline()
	s.halfYear()
	s.autumn()
}

// setUpAndJoin sets the group up on 05/01/2027 and has the
// representatives join with buttons: Hà of Tỉnh Đoàn, approved by the
// administrator, then the others, approved by Hà; Tuấn's request is
// rejected.
func (s *yearStart) setUpAndJoin() {
	s.t.Helper()
	h, t := s.harness, s.t
	s.on(1, 5, 8, 30)
	expect(t, h.sayAll(h.group, h.admin, "/help"), "Bạn là: quản trị viên nhóm", "Nhóm này chưa được thiết lập khối thi đua", "/setup (/thietlap)")
	expect(t, h.say(h.group, h.admin, "/setup Khối thi đua MTTQ và các đoàn thể tỉnh").Text,
		"✅ Nhóm này đã trở thành Khối thi đua MTTQ và các đoàn thể tỉnh, năm thi đua 2027.", "1. Quản trị viên thêm các đơn vị thành viên: /addunit")
	expect(t, h.say(h.group, h.admin, "/addunit "+strings.Join(unitNames, "\n")).Text, "✅ Đã thêm 7 đơn vị:\n• Ủy ban MTTQ Việt Nam tỉnh\n", "Khối hiện có 7 đơn vị.")
	expect(t, h.say(h.group, h.admin, "/leader tinh doan").Text, "✅ Tỉnh Đoàn là Khối trưởng năm 2027.")
	expect(t, h.say(h.group, h.admin, "/deputy 1").Text, "✅ Ủy ban MTTQ Việt Nam tỉnh là Khối phó năm 2027.")
	if b := h.block(); b.Year != 2027 || len(b.Units) != 7 || b.LeaderUnit != s.unitID(doan) || b.DeputyUnit != s.unitID(mttq) {
		t.Fatalf("the block set up: year %d, %d units, leader %q, deputy %q", b.Year, len(b.Units), b.LeaderUnit, b.DeputyUnit)
	}

	// A newcomer asks for help: told how to join.
	s.tuan = h.member("Tuấn", "")
	expect(t, h.say(h.group, s.tuan, "/trogiup").Text, "Bạn là: thành viên nhóm\nNếu bạn là cán bộ đầu mối của một đơn vị trong khối, gửi /join rồi chọn đơn vị")

	for _, n := range []string{"An", "Bình", "Chi", "Dũng", "Giang", "Hà"} {
		s.reps = append(s.reps, h.member(n, ""))
	}
	s.reps = append(s.reps, h.member("John", "john_rc", telegramtest.Lang("en")))
	ha, john := s.reps[5], s.reps[6]
	pick := h.say(h.group, ha, "/join")
	expect(t, pick.Text, "Chọn đơn vị mà bạn làm đầu mối:")
	if a := s.pressed(ha, pick, doan); a.Text != "Đã gửi yêu cầu làm đầu mối của Tỉnh Đoàn. Vui lòng chờ duyệt." {
		t.Fatalf("Hà's press: %+v", a)
	}
	ask := h.withButton("jd:")
	expect(t, ask.Text, "🙋 Hà xin làm đầu mối của Tỉnh Đoàn.\nQuản trị viên nhóm hoặc đầu mối đơn vị Khối trưởng bấm nút để duyệt.")
	s.pressed(h.admin, ask, "✅ Duyệt")
	expect(t, h.message(ask.ID).Text, "✅ Hà là đầu mối của Tỉnh Đoàn (duyệt bởi Hùng).")
	help := h.say(h.group, ha, "/help").Text
	expect(t, help, "Bạn là: đầu mối của Tỉnh Đoàn (đơn vị Khối trưởng)", "Điều hành khối", "/openreg (/modangky)", "/period (/kybaocao)", "/remindnow (/nhacngay)")
	if strings.Contains(help, "/setup") || strings.Contains(help, "/join rồi chọn") {
		t.Fatalf("the leader unit's representative is shown the administrators' /setup or told to join: %s", help)
	}

	// The others join by button; Hà, of the leader unit, approves them.
	for i, rep := range s.reps {
		if rep == ha {
			continue
		}
		pick := h.say(h.group, rep, "/thamgia")
		s.pressed(rep, pick, unitNames[i])
		ask := h.withButton("jd:")
		s.pressed(ha, ask, "✅ Duyệt")
		expect(t, h.message(ask.ID).Text, fmt.Sprintf("✅ %s là đầu mối của %s (duyệt bởi Hà).", rep.FirstName, unitNames[i]))
		if rp := h.block().RepOf(rep.ID); rp == nil || rp.UnitID != s.unitID(unitNames[i]) || rp.ApprovedBy != ha.ID {
			t.Fatalf("%s represents %+v", rep.FirstName, rp)
		}
	}
	if pick := h.say(h.group, john, "/join"); !strings.Contains(pick.Text, "You already represent a unit of the block.") {
		t.Fatalf("John's second /join: %q", pick.Text)
	}

	// Tuấn picks Hội Cựu chiến binh tỉnh, then Hội Nông dân tỉnh instead,
	// whose representative is Chi: rejected.
	pick = h.say(h.group, s.tuan, "/join")
	s.pressed(s.tuan, pick, ccb)
	wrong := h.withButton("jd:")
	s.pressed(s.tuan, pick, nongDan)
	if got := h.message(wrong.ID); len(got.Buttons) != 0 || !strings.Contains(got.Text, "↪️ Tuấn đã đổi yêu cầu: xin làm đầu mối của Hội Nông dân tỉnh (tin bên dưới) thay cho Hội Cựu chiến binh tỉnh.") {
		t.Fatalf("Tuấn's first request once changed: %q %v", got.Text, got.Buttons)
	}
	expect(t, h.say(h.group, s.tuan, "/help").Text, "Bạn đã xin làm đầu mối của Hội Nông dân tỉnh; yêu cầu đang chờ quản trị viên nhóm hoặc đầu mối đơn vị Khối trưởng duyệt.")
	ask = h.withButton("jd:")
	s.pressed(ha, ask, "❌ Từ chối")
	rejected := h.message(ask.ID)
	expect(t, rejected.Text, "❌ Yêu cầu làm đầu mối Hội Nông dân tỉnh của Tuấn không được duyệt (bởi Hà).")
	if b := h.block(); len(rejected.Buttons) != 0 || b.RepOf(s.tuan.ID) != nil || len(b.Requests) != 0 || len(b.Reps) != 7 {
		t.Fatalf("after the rejection: buttons %v, %d requests, %d representatives", rejected.Buttons, len(b.Requests), len(b.Reps))
	}
	expect(t, h.say(h.group, s.tuan, "/help").Text, "gửi /join rồi chọn đơn vị")

	h.handled(h.tg.SendPrivate(s.reps[2], "/start"))
	h.handled(h.tg.SendPrivate(john, "/start"))
	expect(t, h.say(h.group, s.reps[0], "/donvi").Text, "Khối thi đua MTTQ và các đoàn thể tỉnh — năm 2027",
		"Khối trưởng: Tỉnh Đoàn · Khối phó: Ủy ban MTTQ Việt Nam tỉnh", "1. Ủy ban MTTQ Việt Nam tỉnh — ☆ Khối phó\n   Đầu mối: An",
		"6. Tỉnh Đoàn — ⭐ Khối trưởng\n   Đầu mối: Hà", "7. Hội Chữ thập đỏ tỉnh\n   Đầu mối: John (john_rc)")
}

// register runs registration from 06/01 to 01/02: the criteria, the
// pledges (the Vietnamese way, an edit, a deletion, a mistyped date), the
// lists submitted, Hội Nông dân tỉnh's returned with a reason and approved
// with the button once corrected, the others approved with /approve but
// Liên đoàn Lao động tỉnh's, approved late; the summary.
func (s *yearStart) register() {
	s.t.Helper()
	h, t, reps, ha, chi, john := s.harness, s.t, s.reps, s.reps[5], s.reps[2], s.reps[6]
	s.on(1, 6, 9, 0)
	expect(t, h.say(h.group, ha, "/tieuchi add Công tác tuyên truyền, vận động | 20\nPhát triển hội viên | 30\nAn sinh xã hội | 50").Text,
		"✅ Đã thêm 3 tiêu chí.", "3. An sinh xã hội — tối đa 50 điểm", "Tổng điểm tối đa: 100")
	expect(t, h.say(h.group, ha, "/modangky 31/01/2027").Text, "📝 Đã mở đăng ký thi đua năm 2027, hạn 31/01/2027.", "/submit")
	if reg := h.block().Registration; !reg.Open || thidua.FormatDate(reg.Due, hcm) != "31/01/2027" {
		t.Fatalf("registration: open %v, due %v", reg.Open, reg.Due)
	}

	expect(t, h.say(h.group, chi, "/dangky Vận động xây 50 nhà đại đoàn kết | 50 nhà\nPhát triển hội viên mới | 1.200 hội viên | 31/10/2027\nGiá trị sản xuất | 25,3 tỷ đồng\nHộ sản xuất kinh doanh giỏi | 40%").Text,
		"✅ Đã ghi 4 nội dung đăng ký thi đua của Hội Nông dân tỉnh:",
		"1. Vận động xây 50 nhà đại đoàn kết — chỉ tiêu: 50 nhà — hạn 30/11/2027",
		"2. Phát triển hội viên mới — chỉ tiêu: 1.200 hội viên — hạn 31/10/2027",
		"3. Giá trị sản xuất — chỉ tiêu: 25,3 tỷ đồng — hạn 30/11/2027",
		"4. Hộ sản xuất kinh doanh giỏi — chỉ tiêu: 40% — hạn 30/11/2027", "Danh sách hiện có 4 nội dung")
	ps := s.unit(3).Pledges
	if len(ps) != 4 || *ps[1].Target.Number != 1200 || ps[1].Target.Measure != "hội viên" || *ps[2].Target.Number != 25.3 || ps[2].Target.Measure != "tỷ đồng" || *ps[3].Target.Number != 40 || ps[3].Target.Measure != "%" {
		t.Fatalf("the pledges stored: %+v", ps)
	}
	bad := s.unchanged(chi, "/dangky Giá trị sản xuất | 25,3 tỷ đồng | 31/02/2027", "Hạn không phải một ngày có thật. Viết ngày theo dạng dd/mm/yyyy, ví dụ 30/11/2027.")
	expect(t, bad, "Ví dụ: /pledge Vận động xây 50 nhà đại đoàn kết | 50 nhà | 30/11/2027")
	expect(t, h.say(h.group, chi, "/suadangky 3 Giá trị sản xuất nông nghiệp | 25,3 tỷ đồng | 30/09").Text,
		"✏️ Đã sửa nội dung số 3 của Hội Nông dân tỉnh:\ntrước: 3. Giá trị sản xuất — chỉ tiêu: 25,3 tỷ đồng — hạn 30/11/2027\nsau: 3. Giá trị sản xuất nông nghiệp — chỉ tiêu: 25,3 tỷ đồng — hạn 30/09/2027")
	expect(t, h.say(h.group, chi, "/xoadangky 4").Text, "🗑 Đã xoá nội dung số 4 của Hội Nông dân tỉnh: 4. Hộ sản xuất kinh doanh giỏi — chỉ tiêu: 40%", "Danh sách còn 3 nội dung.")
	if ps := s.unit(3).Pledges; len(ps) != 3 || ps[2].Title != "Giá trị sản xuất nông nghiệp" || thidua.FormatDate(ps[2].Due, hcm) != "30/09/2027" {
		t.Fatalf("the pledges after the edit and the deletion: %+v", ps)
	}
	expect(t, h.say(h.group, john, "/pledge Hiến máu tình nguyện | 2.000 đơn vị máu\nTập huấn sơ cấp cứu | 150 lớp").Text,
		"✅ Recorded 2 pledges of Hội Chữ thập đỏ tỉnh:", "1. Hiến máu tình nguyện — target: 2.000 đơn vị máu — due 30/11/2027", "send /submit for approval")
	for i, p := range []string{
		"Tổ chức 12 hội nghị phản biện xã hội | 12 hội nghị",
		"Vận động 500 hội viên mới | 500 hội viên",
		"",
		"Thành lập 30 công đoàn cơ sở | 30 công đoàn",
		"Hỗ trợ 120 phụ nữ khởi nghiệp | 120 hồ sơ\nTỷ lệ hội viên tham gia sinh hoạt | 40%",
		"Thành lập 40 đội thanh niên tình nguyện | 40 đội",
	} {
		if p != "" {
			expect(t, h.say(h.group, reps[i], "/dangky "+p).Text, "✅ Đã ghi")
		}
	}
	submissions := map[int]telegramtest.Message{}
	for i, rep := range reps {
		m := h.say(h.group, rep, "/guidangky")
		expect(t, m.Text, fmt.Sprintf("📨 %s gửi danh sách đăng ký thi đua", unitNames[i]), fmt.Sprintf("/return %d | lý do", i+1))
		submissions[i+1] = m
	}

	// Hội Nông dân tỉnh's list is returned with a reason, then corrected
	// and approved with the button.
	returned := h.say(h.group, ha, "/tralai 3 | Nội dung số 3 cần ghi rõ giá trị theo giá hiện hành")
	expect(t, returned.Text, "↩️ Danh sách đăng ký thi đua của Hội Nông dân tỉnh được trả lại để sửa (bởi Hà).",
		"Lý do: Nội dung số 3 cần ghi rõ giá trị theo giá hiện hành", "Chi: vui lòng sửa bằng /editpledge, /delpledge hoặc /pledge rồi gửi lại /submit.")
	if old := h.message(submissions[3].ID); len(old.Buttons) != 0 || !strings.Contains(old.Text, "đã được trả lại để sửa — bởi Hà.") {
		t.Fatalf("the returned submission: %q %v", old.Text, old.Buttons)
	}
	if dms := h.tg.Messages(chi.ID); !strings.Contains(dms[len(dms)-1].Text, "bị trả lại (bởi Hà).\nLý do: Nội dung số 3 cần ghi rõ giá trị theo giá hiện hành") {
		t.Fatalf("Chi's last direct message: %q", dms[len(dms)-1].Text)
	}
	if ur := s.unit(3); ur.State != thidua.ListReturned || ur.Reason != "Nội dung số 3 cần ghi rõ giá trị theo giá hiện hành" {
		t.Fatalf("the returned list: %+v", ur)
	}
	expect(t, h.say(h.group, chi, "/dsdangky").Text, "Trạng thái: ↩️ bị trả lại (Hà, 06/01/2027 09:00)", "Lý do trả lại: Nội dung số 3 cần ghi rõ giá trị theo giá hiện hành",
		"Sửa bằng /editpledge, /delpledge hoặc /pledge rồi gửi lại /submit.")
	h.say(h.group, chi, "/suadangky 3 Giá trị sản xuất nông nghiệp (giá hiện hành) | 25,3 tỷ đồng | 30/09")
	again := h.say(h.group, chi, "/guidangky")
	expect(t, again.Text, "📨 Hội Nông dân tỉnh gửi danh sách đăng ký thi đua (3 nội dung) để duyệt:", "3. Giá trị sản xuất nông nghiệp (giá hiện hành)")
	if a := s.pressed(ha, again, "✅ Duyệt"); a.ShowAlert {
		t.Fatalf("Hà's approval: %+v", a)
	}
	if got := h.message(again.ID); got.Text != "✅ Đã duyệt danh sách đăng ký thi đua của Hội Nông dân tỉnh (3 nội dung) — bởi Hà.\nChi: đơn vị ký giao ước khi Khối trưởng phát động giao ước (/covenant)." || len(got.Buttons) != 0 {
		t.Fatalf("the approved submission: %q %v", got.Text, got.Buttons)
	}
	for _, n := range []int{1, 2, 5, 6, 7} {
		expect(t, h.say(h.group, ha, fmt.Sprintf("/duyet %d", n)).Text, fmt.Sprintf("✅ Đã duyệt danh sách đăng ký thi đua của %s", unitNames[n-1]),
			fmt.Sprintf("— bởi Hà.\n%s: đơn vị ký giao ước khi Khối trưởng phát động giao ước (/covenant).", reps[n-1].FirstName))
		if got := h.message(submissions[n].ID); len(got.Buttons) != 0 || !strings.HasPrefix(got.Text, "✅ Đã duyệt") {
			t.Fatalf("the submission of unit %d after /duyet: %q %v", n, got.Text, got.Buttons)
		}
	}
	if ur := s.unit(3); ur.State != thidua.ListApproved || ur.Round != 2 || ur.Decided.UserID != ha.ID {
		t.Fatalf("Hội Nông dân tỉnh's list: %+v", ur)
	}

	summary := h.say(h.group, reps[0], "/tonghop").Text
	expect(t, summary, "TỔNG HỢP ĐĂNG KÝ THI ĐUA NĂM 2027\nKhối thi đua MTTQ và các đoàn thể tỉnh\nĐăng ký: đang mở, hạn 31/01/2027",
		"Đơn vị: 7 · đã duyệt 6 · chờ duyệt 1 · bị trả lại 0 · chưa gửi 0 · chưa đăng ký nội dung nào 0", "Tổng điểm tối đa: 100",
		"3. Hội Nông dân tỉnh — ✅ đã duyệt\n   1. Vận động xây 50 nhà đại đoàn kết — chỉ tiêu: 50 nhà — hạn 30/11/2027",
		"4. Liên đoàn Lao động tỉnh — ⏳ chờ duyệt", "5. Hội Liên hiệp Phụ nữ tỉnh — ✅ đã duyệt\n   1. Hỗ trợ 120 phụ nữ khởi nghiệp — chỉ tiêu: 120 hồ sơ — hạn 30/11/2027\n   2. Tỷ lệ hội viên tham gia sinh hoạt — chỉ tiêu: 40%")
}

// signCovenant opens the covenant on 10/01 with a signing deadline of
// 20/01. Six units sign by button (John in English); Liên đoàn Lao động
// tỉnh, whose list still awaits approval, is told so, and once approved on
// 11/01 is reminded each morning the reminders fall on, named overdue at
// 17:00 on 20/01, and signs on 21/01, which completes the covenant.
func (s *yearStart) signCovenant() {
	s.t.Helper()
	h, t, reps, ha, dung := s.harness, s.t, s.reps, s.reps[5], s.reps[3]
	s.on(1, 10, 9, 0)
	slogan := "Đoàn kết, vượt khó - Chủ động thích ứng - Đổi mới, sáng tạo"
	cov := h.say(h.group, ha, "/giaouoc "+slogan+" | 20/01/2027")
	expect(t, cov.Text, "📜 GIAO ƯỚC THI ĐUA NĂM 2027\nKhối thi đua MTTQ và các đoàn thể tỉnh\nKhẩu hiệu: "+slogan,
		"chấm điểm theo 3 tiêu chí, tổng 100 điểm.\nHạn ký: 20/01/2027", "Đã ký: 0/7 đơn vị")
	for i, rep := range reps {
		if rep == dung {
			continue
		}
		a := s.pressed(rep, cov, "✍️ Ký giao ước")
		if want := "✅ Đã ký giao ước cho " + unitNames[i] + "."; rep == reps[6] {
			want = "✅ Signed the covenant for " + ctd + "."
			if a.Text != want {
				t.Fatalf("John's signature: %q", a.Text)
			}
		} else if a.Text != want {
			t.Fatalf("%s's signature: %q", rep.FirstName, a.Text)
		}
	}
	if a := s.pressed(dung, cov, "✍️ Ký giao ước"); !a.ShowAlert || !strings.Contains(a.Text, "đang chờ Khối trưởng duyệt; đơn vị ký giao ước được sau khi danh sách được duyệt") {
		t.Fatalf("Dũng's press while his list awaits approval: %+v", a)
	}
	if a := s.pressed(s.tuan, cov, "✍️ Ký giao ước"); !strings.Contains(a.Text, "Bạn chưa là đầu mối của đơn vị nào trong khối") {
		t.Fatalf("Tuấn's press: %+v", a)
	}
	now := h.message(cov.ID)
	expect(t, now.Text, "Đã ký: 6/7 đơn vị\nChưa ký: Liên đoàn Lao động tỉnh")
	if s.unit(7).Signed == nil || s.unit(7).Signed.UserID != reps[6].ID || s.unit(4).Signed != nil {
		t.Fatalf("signatures: the Red Cross %+v, Liên đoàn Lao động tỉnh %+v", s.unit(7).Signed, s.unit(4).Signed)
	}
	expect(t, h.say(h.group, reps[0], "/lichsu 1").Text, "John: ký giao ước [Hội Chữ thập đỏ tỉnh]: «"+slogan+"»")

	s.on(1, 11, 9, 0)
	expect(t, h.say(h.group, ha, "/duyet 4").Text, "✅ Đã duyệt danh sách đăng ký thi đua của Liên đoàn Lao động tỉnh (1 nội dung) — bởi Hà.\nDũng: đơn vị ký được giao ước rồi — bấm «✍️ Ký giao ước» dưới tin giao ước (gửi /covenant để hiện lại).")
	for _, day := range []struct {
		day  int
		left string
	}{{13, "còn 7 ngày"}, {17, "còn 3 ngày"}, {19, "còn 1 ngày"}, {20, "hạn hôm nay"}} {
		reminder := s.posted(s.ticked(1, day.day, 8, 0), "⏰ Nhắc hạn: Ký giao ước thi đua\nHạn: 20/01/2027 17:00 ("+day.left+").")
		s.names(reminder, "• Liên đoàn Lao động tỉnh (còn: chưa ký giao ước thi đua) — Dũng")
		expect(t, reminder, "Đầu mối bấm nút «✍️ Ký giao ước» dưới giao ước (gửi /covenant để hiện lại).")
	}
	overdue := s.posted(s.ticked(1, 20, 17, 0), "⚠️ Quá hạn: Ký giao ước thi đua\nHạn 20/01/2027 17:00 đã qua.")
	s.names(overdue, "• Liên đoàn Lao động tỉnh (còn: chưa ký giao ước thi đua) — Dũng")

	s.on(1, 21, 7, 45)
	before := len(h.tg.Messages(h.group.ID))
	if a := s.pressed(dung, cov, "✍️ Ký giao ước"); a.Text != "✅ Đã ký giao ước cho Liên đoàn Lao động tỉnh." {
		t.Fatalf("Dũng's late signature: %+v", a)
	}
	s.posted(h.tg.Messages(h.group.ID)[before:], "🎉 Tất cả 7 đơn vị của Khối thi đua MTTQ và các đoàn thể tỉnh đã ký giao ước thi đua năm 2027!\nKhẩu hiệu: "+slogan)
	expect(t, h.say(h.group, reps[0], "/lichsu 2").Text, "21/01/2027 07:45 — Dũng: ký giao ước [Liên đoàn Lao động tỉnh]")
	if done := h.message(cov.ID); !strings.Contains(done.Text, "Đã ký: 7/7 đơn vị\n🎉 Tất cả đơn vị đã ký.") || len(done.Buttons) != 0 {
		t.Fatalf("the covenant once signed: %q %v", done.Text, done.Buttons)
	}
	if cv := h.block().Registration.Covenant; !cv.Completed || len(h.block().UnsignedUnits()) != 0 {
		t.Fatalf("the covenant stored: %+v", cv)
	}
	deadlines := h.say(h.group, reps[0], "/dshan").Text
	expect(t, deadlines, "• Ký giao ước thi đua — 20/01/2027 17:00 (quá hạn 1 ngày)\n   ✅ Tất cả đơn vị đã hoàn thành\n",
		"• Đăng ký nội dung thi đua — 31/01/2027 17:00 (còn 10 ngày)\n   ✅ Tất cả đơn vị đã hoàn thành\n",
		"• Hoàn thành toàn diện các chỉ tiêu năm 2027 — 30/11/2027 17:00 (còn 313 ngày)\n\n")
	history := s.answer(reps[1], "/lichsu 100")
	expect(t, history, "05/01/2027 08:30 — Hùng (quản trị viên): thiết lập khối: «Khối thi đua MTTQ và các đoàn thể tỉnh (2027)»",
		"05/01/2027 08:30 — Hà: duyệt đầu mối [Hội Cựu chiến binh tỉnh]: «Bình»",
		"05/01/2027 08:30 — Tuấn: xin làm đầu mối [Hội Nông dân tỉnh]: «Hội Cựu chiến binh tỉnh» → «Hội Nông dân tỉnh»",
		"05/01/2027 08:30 — Hà: từ chối đầu mối [Hội Nông dân tỉnh]: «Tuấn»",
		"06/01/2027 09:00 — Chi: xoá nội dung đăng ký [Hội Nông dân tỉnh]: «4. Hộ sản xuất kinh doanh giỏi | 40% | 30/11/2027»",
		"06/01/2027 09:00 — Hà: trả lại danh sách đăng ký [Hội Nông dân tỉnh]: «Nội dung số 3 cần ghi rõ giá trị theo giá hiện hành»",
		"10/01/2027 09:00 — Hà: phát động ký giao ước: «"+slogan+" | 20/01/2027»",
		"20/01/2027 17:00 — thiduabot: báo quá hạn: «Ký giao ước thi đua: Liên đoàn Lao động tỉnh»")
}

// firstQuarter closes registration on 01/02, adds the year's reporting
// periods, and has the units report for Quý I: Hội Nông dân tỉnh in one
// message («quý 1»), with a photo in reply, then corrected with a PDF in
// reply to the new confirmation; Hội Liên hiệp Phụ nữ tỉnh and Hội Cựu
// chiến binh tỉnh step by step, by replies and by buttons; Liên đoàn Lao
// động tỉnh late, after the overdue notice; the Red Cross not at all.
func (s *yearStart) firstQuarter() {
	s.t.Helper()
	h, t, reps, ha, chi, john := s.harness, s.t, s.reps, s.reps[5], s.reps[2], s.reps[6]
	if got := s.ticked(1, 24, 8, 0); len(got) != 0 {
		t.Fatalf("a reminder of the registration deadline, which every unit has met: %q", got[0].Text)
	}
	s.on(2, 1, 9, 0)
	expect(t, h.say(h.group, ha, "/dongdangky").Text, "🔒 Đã đóng đăng ký thi đua (bởi Hà).", "Đã duyệt: 7/7 đơn vị.")
	periods := h.say(h.group, ha, "/kybaocao Quý I | 31/03\n6 tháng | 15/06\n9 tháng | 15/09\nCả năm | 30/11").Text
	expect(t, periods, "✅ Đã thêm 4 kỳ báo cáo.", "Kỳ báo cáo năm 2027\n1. Quý I — hạn 31/03/2027 — đã báo cáo 0/7 đơn vị\n2. 6 tháng — hạn 15/06/2027",
		"4. Cả năm — hạn 30/11/2027 — đã báo cáo 0/7 đơn vị", "hoặc chỉ /report <kỳ> để nhập từng bước.")
	if b := h.block(); len(b.Results.Periods) != 4 || b.Registration.Open {
		t.Fatalf("%d periods, registration open %v", len(b.Results.Periods), b.Registration.Open)
	}

	// Hội Nông dân tỉnh reports in one message, with a photo in reply.
	s.on(3, 26, 9, 0)
	first := h.say(h.group, chi, "/baocao quý 1\n1 12 đã khởi công 5 nhà\n2 350\n3 6,5 tỷ đồng")
	expect(t, first.Text, "📊 Đã ghi báo cáo kỳ Quý I của Hội Nông dân tỉnh (Chi, 26/03/2027 09:00).\n1. 12 nhà / 50 nhà (24%)\n2. 350 hội viên / 1.200 hội viên (29%)\n3. 6,5 tỷ đồng / 25,3 tỷ đồng (26%)",
		"Tên nội dung và ghi chú: /myreport Quý I", "📎 Minh chứng: trả lời (reply) tin nhắn này bằng ảnh hoặc tệp")
	h.handled(h.tg.SendPhoto(h.group, chi, &first, []byte("jpeg: lễ khởi công"), "Lễ khởi công"))
	expect(t, s.lastText(), "📎 Đã đính kèm ảnh vào báo cáo kỳ Quý I của Hội Nông dân tỉnh (1 minh chứng). Xem lại: /myreport Quý I")
	h.handled(h.tg.SendPhoto(h.group, s.tuan, &first, []byte("jpeg: ảnh khác"), ""))
	expect(t, s.lastText(), "Xin lỗi, chỉ đầu mối của đơn vị mới báo cáo cho đơn vị mình")

	// Corrected three days later: revision 2; a PDF in reply to it.
	s.on(3, 29, 10, 0)
	second := h.say(h.group, chi, "/baocao Quý I\n1 15 đã khởi công 8 nhà\n2 400\n3 7 tỷ đồng")
	expect(t, second.Text, "(Chi, 29/03/2027 10:00).\nThay cho báo cáo lần 1 của Chi gửi 26/03/2027 09:00; lịch sử vẫn giữ cả hai.\n1. 15 nhà / 50 nhà (30%)\n2. 400 hội viên / 1.200 hội viên (33%)\n3. 7 tỷ đồng / 25,3 tỷ đồng (28%)")
	h.handled(h.tg.SendDocument(h.group, chi, &second, "bien-ban.pdf", []byte("%PDF-1.4 biên bản"), "Biên bản nghiệm thu"))
	expect(t, s.lastText(), "📎 Đã đính kèm tệp «bien-ban.pdf» vào báo cáo kỳ Quý I của Hội Nông dân tỉnh (2 minh chứng).")
	q1, _ := h.block().FindPeriod("Quý I")
	r, _ := h.block().Report(s.unitID(nongDan), q1.ID)
	if r.Revision != 2 || len(r.Earlier) != 1 || len(r.Evidence) != 2 || r.Evidence[0].Kind != thidua.EvidencePhoto || r.Evidence[1].Name != "bien-ban.pdf" || r.Entries[0].Value != 15 || r.Entries[0].Note != "đã khởi công 8 nhà" {
		t.Fatalf("Hội Nông dân tỉnh's report of Quý I: %+v", r)
	}
	mine := h.say(h.group, chi, "/baocaocuatoi")
	expect(t, mine.Text, "📊 Báo cáo kỳ Quý I — Hội Nông dân tỉnh (hạn 31/03/2027)\nLần 2: Chi, 29/03/2027 10:00 — đúng hạn",
		"1. Vận động xây 50 nhà đại đoàn kết — 15 nhà / 50 nhà (30%) — đã khởi công 8 nhà", "• Lần 1: Chi, 26/03/2027 09:00 — đúng hạn",
		"Minh chứng (2):\n📷 1. ảnh «Lễ khởi công» — Chi, 26/03/2027 09:00\n📄 2. bien-ban.pdf «Biên bản nghiệm thu» — Chi, 29/03/2027 10:00")
	s.pressed(chi, mine, "📄 2")
	if last, _ := h.tg.LastMessage(h.group.ID); last.Document == nil || last.Document.Name != "bien-ban.pdf" {
		t.Fatalf("the PDF was not sent again: %+v", last)
	}

	// Hội Liên hiệp Phụ nữ tỉnh step by step, by replies.
	draft := h.say(h.group, reps[4], "/baocao Quý I")
	expect(t, draft.Text, "📝 Báo cáo kỳ Quý I — Hội Liên hiệp Phụ nữ tỉnh\nGiang đang nhập; chỉ người này bấm được các nút.", "Nội dung 1/2: Hỗ trợ 120 phụ nữ khởi nghiệp\nChỉ tiêu: 120 hồ sơ · hạn 30/11/2027\nChưa báo cáo lần nào.")
	expect(t, s.replied(reps[4], draft, "30 vượt tiến độ quý").Text, "Nội dung 2/2: Tỷ lệ hội viên tham gia sinh hoạt\nChỉ tiêu: 40%")
	expect(t, s.replied(reps[4], draft, "35%").Text, "Kiểm tra lại rồi bấm Gửi báo cáo:\n1. Hỗ trợ 120 phụ nữ khởi nghiệp — 30 hồ sơ / 120 hồ sơ (25%) — vượt tiến độ quý\n2. Tỷ lệ hội viên tham gia sinh hoạt — 35% / 40% (88%)")
	if a := s.pressed(reps[3], h.message(draft.ID), "✅ Gửi báo cáo"); !a.ShowAlert {
		t.Fatalf("Dũng sent Giang's draft: %+v", a)
	}
	s.pressed(reps[4], h.message(draft.ID), "✅ Gửi báo cáo")
	expect(t, h.message(draft.ID).Text, "📊 Đã ghi báo cáo kỳ Quý I của Hội Liên hiệp Phụ nữ tỉnh (Giang, 29/03/2027 10:00).\n1. 30 hồ sơ / 120 hồ sơ (25%)\n2. 35% / 40% (88%)")
	if r, _ := h.block().Report(s.unitID(phuNu), q1.ID); len(r.Entries) != 2 || r.Entries[1].Value != 35 || r.Entries[1].OfTarget || len(h.block().Results.Drafts) != 0 {
		t.Fatalf("Hội Liên hiệp Phụ nữ tỉnh's report: %+v", r)
	}

	// Hội Cựu chiến binh tỉnh step by step, by buttons; An and Hà in one message.
	s.on(3, 30, 9, 0)
	draft = h.say(h.group, reps[1], "/baocao 1")
	s.pressed(reps[1], draft, "25%")
	expect(t, h.message(draft.ID).Text, "1. Vận động 500 hội viên mới — 25% của 500 hội viên")
	s.pressed(reps[1], h.message(draft.ID), "✅ Gửi báo cáo")
	expect(t, h.message(draft.ID).Text, "📊 Đã ghi báo cáo kỳ Quý I của Hội Cựu chiến binh tỉnh (Bình, 30/03/2027 09:00).\n1. 25% của 500 hội viên")
	h.say(h.group, reps[0], "/baocao Quý I\n1 3 hội nghị")
	h.say(h.group, ha, "/baocao Quý I\n1 10")

	// 01/04: overdue for two units; Liên đoàn Lao động tỉnh reports late.
	overdue := s.posted(s.ticked(4, 1, 8, 0), "⚠️ Quá hạn: Báo cáo kết quả Quý I\nHạn 31/03/2027 23:59 đã qua.\nCác đơn vị chưa hoàn thành (2/7):")
	s.names(overdue, "• Liên đoàn Lao động tỉnh (còn: chưa báo cáo kết quả kỳ Quý I) — Dũng", "• Hội Chữ thập đỏ tỉnh (còn: chưa báo cáo kết quả kỳ Quý I) — John")
	expect(t, overdue, "Đầu mối báo cáo bằng /report <kỳ>")
	s.on(4, 2, 9, 0)
	draft = h.say(h.group, reps[3], "/baocao Quý I")
	expect(t, draft.Text, "Nội dung 1/1: Thành lập 30 công đoàn cơ sở")
	expect(t, h.say(h.group, reps[3], "/baocao Quý I\n1 8").Text, "(Dũng, 02/04/2027 09:00).\n⏰ Nộp muộn: hạn của kỳ là 31/03/2027.\n1. 8 công đoàn / 30 công đoàn (27%)")
	if st := h.block().ReportStatusOf(s.unitID(ldld), q1, s.now); st != thidua.StatusLate {
		t.Fatalf("Liên đoàn Lao động tỉnh's report is %v", st)
	}
	// The draft Dũng started, then left for a report in one message, says so.
	if got := h.message(draft.ID); len(got.Buttons) != 0 || !strings.Contains(got.Text, "⤵️ Lần nhập báo cáo kỳ Quý I của Liên đoàn Lao động tỉnh đã được thay bằng lần nhập hoặc báo cáo mới hơn") {
		t.Fatalf("Dũng's draft once replaced: %q %v", got.Text, got.Buttons)
	}
	board := h.say(h.group, reps[0], "/tiendo").Text
	expect(t, board, "📈 TIẾN ĐỘ THI ĐUA NĂM 2027\nKhối thi đua MTTQ và các đoàn thể tỉnh — ngày 02/04/2027",
		"1. Quý I (hạn 31/03/2027): ✅ 5 · ⏰ 1 · ❌ 1\n   ❌ Chưa nộp: Hội Chữ thập đỏ tỉnh\n2. 6 tháng (hạn 15/06/2027): … 7",
		"1. Hội Liên hiệp Phụ nữ tỉnh\n   ▓▓▓▓▓▓░░░░ 56% · ✅ … … …\n2. Hội Nông dân tỉnh\n   ▓▓▓░░░░░░░ 30% · ✅ … … …\n3. Liên đoàn Lao động tỉnh\n   ▓▓▓░░░░░░░ 27% · ⏰ … … …",
		"7. Hội Chữ thập đỏ tỉnh\n   ░░░░░░░░░░ 0% · ❌ … … …")
	expect(t, h.say(h.group, john, "/progress").Text, "📈 PROGRESS 2027", "1. Quý I (deadline 31/03/2027): ✅ 5 · ⏰ 1 · ❌ 1\n   ❌ Missing: Hội Chữ thập đỏ tỉnh")
}

// lastText is the text of the bot's last message in the group.
func (s *yearStart) lastText() string {
	s.t.Helper()
	m, _ := s.tg.LastMessage(s.group.ID)
	return m.Text
}

// leadersDeadline sets a deadline of the leader's on 05/04, reported done
// by most units; the reminders move to 07:30, with quiet hours from 22:00
// to 06:30 and none at weekends; the last unit is reminded, named overdue,
// reminded once more with /remindnow, and reports done late.
func (s *yearStart) leadersDeadline() {
	s.t.Helper()
	h, t, reps, ha, john := s.harness, s.t, s.reps, s.reps[5], s.reps[6]
	s.on(4, 5, 9, 0)
	title := "Nộp báo cáo sơ kết phong trào thi đua quý I"
	expect(t, h.say(h.group, ha, "/hanchot 30/04/2027 | "+title).Text, "✅ Đã đặt hạn #1: "+title+"\nHạn: 30/04/2027 17:00 (còn 25 ngày).",
		"đầu mối đơn vị làm xong gửi /done 1.")
	expect(t, h.say(h.group, reps[0], "/xong 1").Text, "✅ Ủy ban MTTQ Việt Nam tỉnh đã hoàn thành «"+title+"» (hạn #1).\nCòn 6/7 đơn vị chưa xong.")
	s.unchanged(reps[0], "/xong 1", "Đơn vị này đã báo hoàn thành hạn này rồi.")
	expect(t, h.say(h.group, john, "/done 1").Text, "✅ Hội Chữ thập đỏ tỉnh has met «"+title+"» (deadline #1).\nStill to finish: 5 of 7 units.")
	if c := h.block().Custom(1); c == nil || len(c.Done) != 2 || c.Done[1].By != john.ID {
		t.Fatalf("deadline #1: %+v", c)
	}

	s.unchanged(ha, "/nhacnho hàng ngày", "Không hiểu «hàng».", "Ví dụ: /remind 14,7,3,1,0 08:00")
	s.unchanged(john, "/remind 3,1", "Sorry, only group administrators or representatives of the leader unit can do this.")
	expect(t, h.say(h.group, ha, "/nhacnho 7,3,1,0 7h30 yên 22:00-06:30 cuối tuần không").Text, "✅ Đã đổi cách nhắc hạn:\nNhắc 7, 3, 1 ngày trước hạn và trong ngày hạn, lúc 07:30 (giờ Asia/Ho_Chi_Minh).\nGiờ yên lặng (không gửi): 22:00–06:30.\nThứ Bảy, Chủ nhật: không nhắc (lời nhắc rơi vào cuối tuần gửi sớm vào thứ Sáu).")
	if st := h.block().Reminders(); st.At.String() != "07:30" || st.QuietFrom.String() != "22:00" || st.QuietTo.String() != "06:30" || st.Weekends {
		t.Fatalf("the reminder settings: %+v", st)
	}
	expect(t, h.say(h.group, john, "/remind").Text, "Reminders 7, 3, 1 days before and on the day, at 07:30", "Quiet hours (nothing sent): 22:00–06:30.", "Saturdays and Sundays: none")

	reminder := s.posted(s.ticked(4, 23, 7, 30), "⏰ Nhắc hạn: "+title+"\nHạn: 30/04/2027 17:00 (còn 7 ngày).\nCác đơn vị chưa hoàn thành (5/7):")
	s.names(reminder, "• Hội Cựu chiến binh tỉnh — Bình", "• Hội Nông dân tỉnh — Chi", "• Liên đoàn Lao động tỉnh — Dũng", "• Hội Liên hiệp Phụ nữ tỉnh — Giang", "• Tỉnh Đoàn — Hà")
	expect(t, reminder, "Đơn vị đã hoàn thành: đầu mối gửi /done 1 trong nhóm.")
	s.on(4, 26, 9, 0)
	for _, i := range []int{1, 2, 4, 5} {
		h.say(h.group, reps[i], "/xong 1")
	}
	s.names(s.posted(s.ticked(4, 27, 7, 30), "⏰ Nhắc hạn: "+title+"\nHạn: 30/04/2027 17:00 (còn 3 ngày)."), "• Liên đoàn Lao động tỉnh — Dũng")
	s.names(s.posted(s.ticked(4, 30, 17, 0), "⚠️ Quá hạn: "+title+"\nHạn 30/04/2027 17:00 đã qua."), "• Liên đoàn Lao động tỉnh — Dũng")

	// Monday 03/05: Hà reminds Dũng's unit once more, with a button.
	s.on(5, 3, 9, 0)
	pick := h.say(h.group, ha, "/nhacngay")
	expect(t, pick.Text, "Chọn hạn cần nhắc ngay:")
	label := pick.Buttons[0][0].Text
	if !strings.HasPrefix(label, "Nộp báo cáo sơ kết phong trào thi đua") || !strings.HasSuffix(label, " — 30/04/2027") {
		t.Fatalf("the first deadline to remind of: %v", pick.Buttons)
	}
	before := len(h.tg.Messages(h.group.ID))
	s.pressed(ha, pick, label)
	if got := h.message(pick.ID); got.Text != "📣 Đã gửi nhắc hạn «"+title+"» (theo yêu cầu của Hà)." || len(got.Buttons) != 0 {
		t.Fatalf("the /remindnow question once pressed: %q %v", got.Text, got.Buttons)
	}
	s.names(s.posted(h.tg.Messages(h.group.ID)[before:], "⚠️ Quá hạn: "+title), "• Liên đoàn Lao động tỉnh — Dũng")
	s.on(5, 3, 10, 0)
	expect(t, h.say(h.group, reps[3], "/xong 1").Text, "✅ Liên đoàn Lao động tỉnh đã hoàn thành «"+title+"» (hạn #1).", "🎉 Tất cả đơn vị đã hoàn thành.")
	expect(t, h.say(h.group, reps[0], "/lichsu 3").Text, "03/05/2027 09:00 — Hà: yêu cầu nhắc hạn ngay: «"+title+"»",
		"03/05/2027 10:00 — Dũng: báo đã hoàn thành [Liên đoàn Lao động tỉnh]: «#1 "+title+"»")
}

// halfYear runs the reports of 6 months: the Red Cross in English; Hội
// Nông dân tỉnh step by step, going back, keeping a value, replying one,
// skipping one, with a photo sent too early and then in reply to the
// confirmation; the reminders of the period at 07:30, the Saturday's on
// Friday, none in the quiet hours; Tỉnh Đoàn late.
func (s *yearStart) halfYear() {
	s.t.Helper()
	h, t, reps, ha, chi, john := s.harness, s.t, s.reps, s.reps[5], s.reps[2], s.reps[6]
	s.on(6, 1, 9, 0)
	expect(t, h.say(h.group, john, "/report 6 tháng\n1 1.100 đơn vị máu thu được\n2 70").Text,
		"📊 Recorded the report of 6 tháng for Hội Chữ thập đỏ tỉnh (John, 01/06/2027 09:00).\n1. 1.100 đơn vị máu / 2.000 đơn vị máu (55%)\n2. 70 lớp / 150 lớp (47%)",
		"📎 Evidence: reply to this message with a photo or a file")
	expect(t, h.say(h.group, john, "/myreport").Text, "📊 6 tháng report — Hội Chữ thập đỏ tỉnh (deadline 15/06/2027)\nSubmission 1: John, 01/06/2027 09:00 — on time",
		"1. Hiến máu tình nguyện — 1.100 đơn vị máu / 2.000 đơn vị máu (55%) — thu được", "No evidence yet.")

	draft := h.say(h.group, chi, "/baocao 6 tháng")
	expect(t, draft.Text, "Nội dung 1/3: Vận động xây 50 nhà đại đoàn kết\nChỉ tiêu: 50 nhà · hạn 30/11/2027\nBáo cáo gần nhất (kỳ Quý I): 15 nhà / 50 nhà (30%) — đã khởi công 8 nhà")
	s.pressed(chi, draft, "50%")
	expect(t, h.message(draft.ID).Text, "Nội dung 2/3: Phát triển hội viên mới")
	s.pressed(chi, h.message(draft.ID), "◀️ Quay lại")
	expect(t, h.message(draft.ID).Text, "Nội dung 1/3: Vận động xây 50 nhà đại đoàn kết", "Trong lần nhập này: 50% của 50 nhà")
	s.pressed(chi, h.message(draft.ID), "Giữ nguyên ▶️")
	expect(t, s.replied(chi, draft, "650 đã kết nạp ở 8 huyện").Text, "Nội dung 3/3: Giá trị sản xuất nông nghiệp (giá hiện hành)")
	s.pressed(chi, h.message(draft.ID), "Bỏ qua ▶️")
	review := h.message(draft.ID)
	expect(t, review.Text, "Kiểm tra lại rồi bấm Gửi báo cáo:\n1. Vận động xây 50 nhà đại đoàn kết — 50% của 50 nhà\n2. Phát triển hội viên mới — 650 hội viên / 1.200 hội viên (54%) — đã kết nạp ở 8 huyện\n3. Giá trị sản xuất nông nghiệp (giá hiện hành) — chưa báo cáo")
	h.handled(h.tg.SendPhoto(h.group, chi, &review, []byte("jpeg: nhà đại đoàn kết"), "Nhà đại đoàn kết"))
	expect(t, s.lastText(), "Bấm «Gửi báo cáo» trước, rồi trả lời tin nhắn này bằng ảnh hoặc tệp minh chứng.")
	s.pressed(chi, review, "✅ Gửi báo cáo")
	sent := h.message(draft.ID)
	expect(t, sent.Text, "📊 Đã ghi báo cáo kỳ 6 tháng của Hội Nông dân tỉnh (Chi, 01/06/2027 09:00).\n1. 50% của 50 nhà\n2. 650 hội viên / 1.200 hội viên (54%)\nChưa báo cáo: nội dung 3.")
	h.handled(h.tg.SendPhoto(h.group, chi, &sent, []byte("jpeg: nhà đại đoàn kết"), "Nhà đại đoàn kết"))
	expect(t, s.lastText(), "📎 Đã đính kèm ảnh vào báo cáo kỳ 6 tháng của Hội Nông dân tỉnh (1 minh chứng).")
	six, _ := h.block().FindPeriod("6 tháng")
	if r, _ := h.block().Report(s.unitID(nongDan), six.ID); len(r.Entries) != 2 || !r.Entries[0].OfTarget || r.Entries[0].Value != 50 || r.Entries[1].Value != 650 || len(r.Evidence) != 1 {
		t.Fatalf("Hội Nông dân tỉnh's report of 6 months: %+v", r)
	}

	head := "⏰ Nhắc hạn: Báo cáo kết quả 6 tháng\nHạn: 15/06/2027 23:59 "
	s.names(s.posted(s.ticked(6, 8, 7, 30), head+"(còn 7 ngày)."),
		"• Ủy ban MTTQ Việt Nam tỉnh (còn: chưa báo cáo kết quả kỳ 6 tháng) — An", "• Hội Cựu chiến binh tỉnh (còn: chưa báo cáo kết quả kỳ 6 tháng) — Bình",
		"• Liên đoàn Lao động tỉnh (còn: chưa báo cáo kết quả kỳ 6 tháng) — Dũng", "• Hội Liên hiệp Phụ nữ tỉnh (còn: chưa báo cáo kết quả kỳ 6 tháng) — Giang",
		"• Tỉnh Đoàn (còn: chưa báo cáo kết quả kỳ 6 tháng) — Hà")
	s.on(6, 9, 9, 0)
	h.say(h.group, reps[0], "/baocao 6 tháng\n1 7")
	h.say(h.group, reps[1], "/baocao 6 tháng\n1 60%")
	h.say(h.group, reps[4], "/baocao 6 tháng\n1 70\n2 38%")
	// The reminder of Saturday 12/06, 3 days before, goes out on Friday.
	s.names(s.posted(s.ticked(6, 11, 7, 30), head+"(còn 4 ngày)."),
		"• Liên đoàn Lao động tỉnh (còn: chưa báo cáo kết quả kỳ 6 tháng) — Dũng", "• Tỉnh Đoàn (còn: chưa báo cáo kết quả kỳ 6 tháng) — Hà")
	if got := s.ticked(6, 12, 7, 30); len(got) != 0 {
		t.Fatalf("a reminder on Saturday: %q", got[0].Text)
	}
	s.posted(s.ticked(6, 14, 7, 30), head+"(còn 1 ngày).")
	s.on(6, 14, 16, 0)
	h.say(h.group, reps[3], "/baocao 6 tháng\n1 17")
	s.names(s.posted(s.ticked(6, 15, 7, 30), head+"(hạn hôm nay)."), "• Tỉnh Đoàn (còn: chưa báo cáo kết quả kỳ 6 tháng) — Hà")
	// The overdue notice, due at midnight, waits for the end of the quiet hours.
	for _, at := range [][2]int{{0, 0}, {6, 29}} {
		if got := s.ticked(6, 16, at[0], at[1]); len(got) != 0 {
			t.Fatalf("a notice at %02d:%02d, in the quiet hours: %q", at[0], at[1], got[0].Text)
		}
	}
	s.names(s.posted(s.ticked(6, 16, 6, 30), "⚠️ Quá hạn: Báo cáo kết quả 6 tháng\nHạn 15/06/2027 23:59 đã qua."), "• Tỉnh Đoàn (còn: chưa báo cáo kết quả kỳ 6 tháng) — Hà")
	s.on(6, 20, 10, 0)
	expect(t, h.say(h.group, ha, "/baocao 6 tháng\n1 25").Text, "⏰ Nộp muộn: hạn của kỳ là 15/06/2027.", "1. 25 đội / 40 đội (63%)")
	expect(t, h.say(h.group, reps[0], "/tiendo").Text, "1. Quý I (hạn 31/03/2027): ✅ 5 · ⏰ 1 · ❌ 1", "2. 6 tháng (hạn 15/06/2027): ✅ 6 · ⏰ 1\n3. 9 tháng")
}

// autumn runs the reports of 9 months, which the Red Cross misses, and
// looks back on 15/10: the board, the deadlines to come and the history.
func (s *yearStart) autumn() {
	s.t.Helper()
	h, t, reps, ha := s.harness, s.t, s.reps, s.reps[5]
	s.on(9, 13, 9, 0)
	for i, r := range []string{"1 10", "1 80%", "1 40\n2 900\n3 20 tỷ đồng", "1 24", "1 100\n2 39%", "1 36"} {
		expect(t, h.say(h.group, reps[i], "/baocao 9 tháng\n"+r).Text, "📊 Đã ghi báo cáo kỳ 9 tháng của "+unitNames[i])
	}
	s.on(10, 15, 9, 0)
	board := h.say(h.group, reps[0], "/tiendo").Text
	expect(t, board, "Khối thi đua MTTQ và các đoàn thể tỉnh — ngày 15/10/2027", "3. 9 tháng (hạn 15/09/2027): ✅ 6 · ❌ 1\n   ❌ Chưa nộp: Hội Chữ thập đỏ tỉnh\n4. Cả năm (hạn 30/11/2027): … 7")
	// Behind the pace of 15/10 are the units below the share of the year
	// gone (86% for a target due 30/11), not Hội Liên hiệp Phụ nữ tỉnh and
	// Tỉnh Đoàn, at 90%.
	deadlines := h.say(h.group, ha, "/dshan").Text
	expect(t, deadlines, "• Hoàn thành toàn diện các chỉ tiêu năm 2027 — 30/11/2027 17:00 (còn 46 ngày)\n   Chưa xong (7/7):\n",
		"   – Hội Nông dân tỉnh (còn: chưa báo cáo kết quả kỳ Cả năm; chỉ tiêu năm chưa đạt tiến độ)\n",
		"   – Hội Liên hiệp Phụ nữ tỉnh (còn: chưa báo cáo kết quả kỳ Cả năm)\n   – Tỉnh Đoàn (còn: chưa báo cáo kết quả kỳ Cả năm)\n",
		"   – Hội Chữ thập đỏ tỉnh (còn: chưa báo cáo kết quả kỳ Quý I; chưa báo cáo kết quả kỳ 9 tháng; chưa báo cáo kết quả kỳ Cả năm; chỉ tiêu năm chưa đạt tiến độ)\n",
		"• Báo cáo kết quả Cả năm — 30/11/2027 23:59 (còn 46 ngày)", "– Ủy ban MTTQ Việt Nam tỉnh (còn: chưa báo cáo kết quả kỳ Cả năm; chỉ tiêu năm chưa đạt tiến độ)",
		"Nhắc 7, 3, 1 ngày trước hạn và trong ngày hạn, lúc 07:30 (giờ Asia/Ho_Chi_Minh).\nGiờ yên lặng (không gửi): 22:00–06:30.\nThứ Bảy, Chủ nhật: không nhắc")
	history := h.say(h.group, reps[4], "/lichsu 8").Text
	expect(t, history, "Lịch sử thay đổi (8 mục gần nhất trong ", "13/09/2027 09:00 — Chi: gửi báo cáo kết quả [Hội Nông dân tỉnh]: «9 tháng — 1: 40 nhà; 2: 900 hội viên; 3: 20 tỷ đồng»",
		"13/09/2027 09:00 — Hà: gửi báo cáo kết quả [Tỉnh Đoàn]: «9 tháng — 1: 36 đội»")
}
