package handlers_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"thiduabot/telegramtest"
)

// historyWalk is the cast of the walkthroughs of the block's history and
// reminder settings (see TestHistoryWalkthrough and
// TestReminderSettingsWalkthrough): the year-end walkthrough's block and
// people (walk).
type historyWalk struct {
	*walk
}

// history has user send /lichsu n (or /history n: english) and returns the
// bot's answer, its parts joined, failing unless every part is one
// Telegram takes and the answer holds every want, each on a line of its
// own. It fails too if a line shows an action without a name.
func (a *historyWalk) history(user *telegramtest.User, n int, want ...string) string {
	a.t.Helper()
	cmd := "/lichsu"
	if user.LanguageCode == "en" {
		cmd = "/history"
	}
	before := len(a.tg.Messages(a.group.ID))
	a.handled(a.tg.Send(a.group, user, fmt.Sprintf("%s %d", cmd, n)))
	var parts []string
	for _, m := range a.tg.Messages(a.group.ID)[before:] {
		if m.From.ID == user.ID {
			continue
		}
		if l := utf16Len(m.Text); l > 4096 {
			a.t.Fatalf("a part of /history %d measures %d", n, l)
		}
		parts = append(parts, m.Text)
	}
	text := strings.Join(parts, "\n")
	lines := strings.Split(text, "\n")
	for _, w := range want {
		found := false
		for _, l := range lines {
			found = found || strings.Contains(l, w)
		}
		if !found {
			a.t.Fatalf("/history %d has no line with %q:\n%s", n, w, text)
		}
	}
	for _, l := range lines {
		if strings.Contains(l, ": unit.") || strings.Contains(l, ": role.") || strings.Contains(l, ": rep.") || strings.Contains(l, ": reminder.") {
			a.t.Fatalf("a line of /history shows what it must not: %q", l)
		}
	}
	return text
}

// TestHistoryWalkthrough follows a year of the block through /history, as
// its leaders read it when a unit disputes a score, a vote or a missed
// deadline: every kind of change, who made it (a representative, an
// administrator acting for a unit, an anonymous administrator, the bot on
// its own), when, in the block's zone, and the values before and after, in
// Vietnamese and, for John, in English; then what a unit's removal leaves
// behind, and the turn of the year.
func TestHistoryWalkthrough(t *testing.T) {
	a := &historyWalk{walk: &walk{harness: newHarness(t)}}
	a.setUpYear()
	a.registration()
	a.duringTheYear()
	a.yearEnd()
	a.unitRemoved()
	a.turned()
}

// registration checks the history of the setting up, registration and
// covenant: the administrator's changes marked, the leader's not.
func (a *historyWalk) registration() {
	a.t.Helper()
	h, reps, ha := a.harness, a.reps, a.reps[5]
	a.history(reps[0], 100,
		"• 02/03/2026 09:00 — Hùng (quản trị viên): thiết lập khối: «Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai (2026)»",
		"• 02/03/2026 09:00 — Hùng (quản trị viên): thêm đơn vị [Hội Chữ thập đỏ tỉnh]: «Hội Chữ thập đỏ tỉnh»",
		"• 02/03/2026 09:00 — John: xin làm đầu mối [Hội Chữ thập đỏ tỉnh]: «Hội Chữ thập đỏ tỉnh»",
		"• 02/03/2026 09:00 — Hùng (quản trị viên): duyệt đầu mối [Hội Nông dân tỉnh]: «Lan (lan_nd)»",
		"• 02/03/2026 09:00 — Hùng (quản trị viên): đặt Khối trưởng [Tỉnh Đoàn]: «Tỉnh Đoàn»",
		"• 02/03/2026 09:00 — Hà: thêm tiêu chí chấm điểm: «An sinh xã hội | 60»",
		"• 02/03/2026 09:00 — Hà: mở đăng ký thi đua",
		"• 02/03/2026 09:00 — Chi: thêm nội dung đăng ký [Hội Nông dân tỉnh]: «2. Phát triển hội viên mới | 1.200 hội viên | 30/11/2026»",
		"• 02/03/2026 09:00 — Chi: gửi duyệt danh sách đăng ký [Hội Nông dân tỉnh]: «2 nội dung»",
		"• 02/03/2026 09:00 — Hà: duyệt danh sách đăng ký [Hội Nông dân tỉnh]: «2 nội dung»",
		"• 02/03/2026 09:00 — Hà: thêm kỳ báo cáo: «Cả năm | 30/11/2026»",
		"• 12/09/2026 10:00 — Chi: gửi báo cáo kết quả [Hội Nông dân tỉnh]: «9 tháng — 1: 35 nhà; 2: 900 hội viên»")

	// 14/09: a list returned, corrected by an administrator for the unit,
	// approved again; registration closed and reopened; the covenant.
	a.on(9, 14, 8, 15)
	h.say(h.group, ha, "/tralai 2 | Ghi rõ số hội viên mới")
	h.say(h.group, h.admin, "/suadangky #2 1 Vận động 520 hội viên mới | 520 hội viên")
	h.say(h.group, reps[1], "/guidangky")
	h.say(h.group, ha, "/duyet 2")
	h.say(h.group, ha, "/dongdangky")
	h.say(h.group, ha, "/modangky 30/09/2026")
	h.say(h.group, ha, "/tieuchi add Thử nghiệm | 5")
	h.say(h.group, ha, "/tieuchi remove 4")
	h.say(h.group, ha, "/giaouoc Đoàn kết, vượt khó | 30/09/2026")
	cov := h.withButton("cv:")
	for _, r := range reps {
		h.press(h.group, r, cov, cov.Buttons[0][0].Data)
	}
	a.history(reps[6], 30,
		"• 14/09/2026 08:15 — Hà: returned the pledge list [Hội Cựu chiến binh tỉnh]: «Ghi rõ số hội viên mới»",
		"• 14/09/2026 08:15 — Hùng (administrator): edited a pledge [Hội Cựu chiến binh tỉnh]: «1. Vận động 500 hội viên mới | 500 hội viên | 30/11/2026» → «1. Vận động 520 hội viên mới | 520 hội viên | 30/11/2026»",
		"• 14/09/2026 08:15 — Bình: submitted the pledge list [Hội Cựu chiến binh tỉnh]: «1 pledge»",
		"• 14/09/2026 08:15 — Hà: closed registration",
		"• 14/09/2026 08:15 — Hà: reopened registration: «due 30/09/2026»",
		"• 14/09/2026 08:15 — Hà: removed a criterion: «Thử nghiệm | 5»",
		"• 14/09/2026 08:15 — Hà: opened the covenant: «Đoàn kết, vượt khó | 30/09/2026»",
		"• 14/09/2026 08:15 — John: signed the covenant [Hội Chữ thập đỏ tỉnh]: «Đoàn kết, vượt khó»")
}

// duringTheYear checks the history of deadlines, /done, reminder settings,
// periods and a report corrected by an administrator, some of it sent by
// an administrator posting anonymously.
func (a *historyWalk) duringTheYear() {
	a.t.Helper()
	h, reps, ha := a.harness, a.reps, a.reps[5]
	a.on(9, 15, 9, 5)
	h.handled(h.tg.SendAsGroup(h.group, "/hanchot 20/10/2026 | Nộp báo cáo chuyên đề"))
	h.say(h.group, reps[0], "/xong 1")
	h.say(h.group, h.admin, "/xong 1 Hội Nông dân")
	h.say(h.group, ha, "/kybaocao edit 2 | Năm 2026 |")
	h.say(h.group, ha, "/kybaocao Quý thử | 30/10")
	h.say(h.group, ha, "/kybaocao delete 2")
	h.say(h.group, h.admin, "/baocao #2 9 tháng\n1 400")
	h.say(h.group, ha, "/nhacnho 14,7,3,1,0 8h30 cuối tuần không")
	h.say(h.group, ha, "/nhacnho 7,3,1,0 08:00 cuối tuần có")
	a.history(ha, 9,
		"• 15/09/2026 09:05 — Quản trị viên ẩn danh (Khối thi đua tỉnh Lào Cai): đặt hạn: «#1 Nộp báo cáo chuyên đề (20/10/2026 17:00)»",
		"• 15/09/2026 09:05 — An: báo đã hoàn thành [Ủy ban MTTQ Việt Nam tỉnh]: «#1 Nộp báo cáo chuyên đề»",
		"• 15/09/2026 09:05 — Hùng (quản trị viên): báo đã hoàn thành [Hội Nông dân tỉnh]: «#1 Nộp báo cáo chuyên đề»",
		"• 15/09/2026 09:05 — Hà: sửa kỳ báo cáo: «Cả năm | 30/11/2026» → «Năm 2026 | 30/11/2026»",
		"• 15/09/2026 09:05 — Hà: xoá kỳ báo cáo: «Quý thử | 30/10/2026»",
		"• 15/09/2026 09:05 — Hùng (quản trị viên): gửi báo cáo kết quả [Hội Cựu chiến binh tỉnh]: «9 tháng — 1: 380 hội viên» → «9 tháng — 1: 400 hội viên»",
		"• 15/09/2026 09:05 — Hà: đổi cách nhắc hạn: «7,3,1,0 ngày · 08:00 · yên lặng 21:00-07:00 · cả cuối tuần» → «14,7,3,1,0 ngày · 08:30 · yên lặng 21:00-07:00 · trừ cuối tuần»",
		"• 15/09/2026 09:05 — Hà: đổi cách nhắc hạn: «14,7,3,1,0 ngày · 08:30 · yên lặng 21:00-07:00 · trừ cuối tuần» → «7,3,1,0 ngày · 08:00 · yên lặng 21:00-07:00 · cả cuối tuần»")
	h.say(h.group, ha, "/kybaocao edit 2 | Cả năm |")
	h.say(h.group, ha, "/xoahan 1")
}

// yearEnd runs the year-end walkthrough's conference (the last reports,
// own scores, both elections, agreed scores and proposals) and checks
// the history of the elections, the scores, the reminders and the overdue
// notice, which the bot sends on its own.
func (a *historyWalk) yearEnd() {
	a.t.Helper()
	h, reps := a.harness, a.reps
	a.on(11, 25, 9, 0)
	h.say(h.group, reps[6], "/report 9 tháng\n1 1.500")
	for i, r := range []string{"1 12 đã tổ chức đủ", "1 520", "1 45 đã khởi công 5 nhà\n2 1.250", "", "", "1 40"} {
		if r != "" {
			h.say(h.group, reps[i], "/baocao Cả năm\n"+r)
		}
	}
	a.on(11, 26, 10, 0)
	h.say(h.group, reps[4], "/baocao Cả năm\n1 120")
	a.selfScores()
	a.electLeader()
	text := a.history(reps[6], 40,
		"• 26/11/2026 15:00 — Hà: opened the leader election: «🔒 Ủy ban MTTQ Việt Nam tỉnh; Hội Cựu chiến binh tỉnh; Hội Nông dân tỉnh; Liên đoàn Lao động tỉnh; Hội Liên hiệp Phụ nữ tỉnh; Hội Chữ thập đỏ tỉnh — ⏰ 27/11/2026 15:00»",
		"• 27/11/2026 08:00 — thiduabot: sent a reminder: «Election of the leader for 2027: Hội Chữ thập đỏ tỉnh»",
		"• 27/11/2026 15:00 — thiduabot: closed the leader vote: «🗳 6/7: Ủy ban MTTQ Việt Nam tỉnh 0; Hội Cựu chiến binh tỉnh 0; Hội Nông dân tỉnh 3; Liên đoàn Lao động tỉnh 3; Hội Liên hiệp Phụ nữ tỉnh 0; Hội Chữ thập đỏ tỉnh 0»",
		"• 28/11/2026 09:00 — Lan: pressed the unit's vote again in the leader election [Hội Nông dân tỉnh]",
		"• 28/11/2026 15:00 — thiduabot: elected next year's leader [Hội Nông dân tỉnh]: «2027»")
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, "28/11/2026 09:00") && strings.Contains(l, "«") {
			t := a.t
			t.Fatalf("a vote of the secret runoff shows a value: %q", l)
		}
	}
	a.electDeputy()
	a.agreeAndPropose()
	a.history(h.admin, 12,
		"• 29/11/2026 08:30 — Hà: quyết định Khối phó khi hoà phiếu [Liên đoàn Lao động tỉnh]: «Hội Cựu chiến binh tỉnh; Liên đoàn Lao động tỉnh»",
		"• 29/11/2026 09:00 — Hà: ghi điểm bình xét [Hội Nông dân tỉnh]: «96,5 điểm (3/3 tiêu chí) — 1: 9,5; 2: 29; 3: 58 (thống nhất tại hội nghị)»",
		"• 29/11/2026 09:00 — Hà: ghi đề nghị khen thưởng: «Cờ thi đua của UBND tỉnh: Hội Nông dân tỉnh, Ủy ban MTTQ Việt Nam tỉnh»")

	// 30/11: the day's reminder at 08:00, then the overdue notice at 17:00,
	// which the history must not call a reminder.
	a.ticked(11, 30, 8, 0)
	a.ticked(11, 30, 17, 0)
	a.history(h.admin, 3,
		"• 30/11/2026 08:00 — thiduabot: nhắc hạn: «Hoàn thành toàn diện các chỉ tiêu năm 2026: Hội Nông dân tỉnh, Liên đoàn Lao động tỉnh, Hội Chữ thập đỏ tỉnh»",
		"• 30/11/2026 17:00 — thiduabot: báo quá hạn: «Hoàn thành toàn diện các chỉ tiêu năm 2026: Hội Nông dân tỉnh, Liên đoàn Lao động tỉnh, Hội Chữ thập đỏ tỉnh»")
	a.history(reps[6], 1, "• 30/11/2026 17:00 — thiduabot: sent an overdue notice: «Complete all of the year's targets (2026): Hội Nông dân tỉnh, Liên đoàn Lao động tỉnh, Hội Chữ thập đỏ tỉnh»")
}

// unitRemoved removes, on 30/11 in the evening, the MTTQ, this year's
// deputy, proposed for the provincial flag, with its representative An:
// the history keeps each of these consequences, not the removal alone.
func (a *historyWalk) unitRemoved() {
	a.t.Helper()
	h := a.harness
	a.on(11, 30, 19, 0)
	ask := h.say(h.group, h.admin, "/xoadonvi 1")
	h.press(h.group, h.admin, ask, button(a.t, ask, "🗑 Xoá"))
	a.history(h.admin, 4,
		"• 30/11/2026 19:00 — Hùng (quản trị viên): gỡ đầu mối (đơn vị bị xoá) [Ủy ban MTTQ Việt Nam tỉnh]: «An»",
		"• 30/11/2026 19:00 — Hùng (quản trị viên): thôi làm Khối phó [Ủy ban MTTQ Việt Nam tỉnh]: «Ủy ban MTTQ Việt Nam tỉnh»",
		"• 30/11/2026 19:00 — Hùng (quản trị viên): ghi đề nghị khen thưởng: «Cờ thi đua của UBND tỉnh: Hội Nông dân tỉnh, Ủy ban MTTQ Việt Nam tỉnh» → «Cờ thi đua của UBND tỉnh: Hội Nông dân tỉnh»",
		"• 30/11/2026 19:00 — Hùng (quản trị viên): xoá đơn vị [Ủy ban MTTQ Việt Nam tỉnh]: «Ủy ban MTTQ Việt Nam tỉnh»")
	a.history(a.reps[6], 4, "Hùng (administrator): removed a representative (unit removed) [Ủy ban MTTQ Việt Nam tỉnh]: «An»")
}

// turned turns the year on 01/12 and checks its history, then a
// representative's leaving, and that a whole year's history, the most
// /history shows, comes in parts Telegram takes.
func (a *historyWalk) turned() {
	a.t.Helper()
	h, reps, ha := a.harness, a.reps, a.reps[5]
	a.on(12, 1, 9, 0)
	ask := h.say(h.group, ha, "/nammoi")
	h.press(h.group, ha, ask, button(a.t, ask, "✅ Sang năm 2027"))
	h.say(h.group, reps[3], "/roikhoi")
	a.history(reps[2], 4,
		"• 01/12/2026 09:00 — Hà: đặt Khối trưởng [Hội Nông dân tỉnh]: «Tỉnh Đoàn» → «Hội Nông dân tỉnh»",
		"• 01/12/2026 09:00 — Hà: chuyển khối sang năm thi đua mới: «2026» → «2027»",
		"• 01/12/2026 09:00 — Dũng: thôi làm đầu mối [Liên đoàn Lao động tỉnh]: «Dũng»")
	// A representative and a manager read the same history.
	if rep, mgr := a.history(reps[2], 100), a.history(h.admin, 100); rep != mgr {
		a.t.Fatalf("a representative and a manager read different histories:\n%s\n---\n%s", rep, mgr)
	}
	a.history(reps[6], 100, "Change history (last 100 entries of ")
}

// TestReminderSettingsWalkthrough walks /remind (/nhacnho) as a leader uses
// it in the spring: each setting changed on its own, in Vietnamese and in
// English; bad values refused, with what is wrong and the command's form,
// changing nothing; /deadlines showing the settings; and, around each
// change, the scheduler sending a reminder already sent that day not again
// and one that falls due after the change at its new time.
func TestReminderSettingsWalkthrough(t *testing.T) {
	a := &historyWalk{walk: &walk{harness: newHarness(t)}}
	h := a.harness
	h.setUp()
	ha, an := h.member("Hà", ""), h.member("An", "")
	john := h.member("John", "john", telegramtest.Lang("en"))
	h.join(ha, doan)
	h.join(an, mttq)
	h.join(john, ctd)
	h.say(h.group, h.admin, "/leader Tỉnh Đoàn")
	const form = "Cú pháp: /remind [số ngày trước hạn] [giờ nhắc] [yên HH:MM-HH:MM | yên tắt] [cuối tuần có | không]"
	defaults := "Nhắc 7, 3, 1 ngày trước hạn và trong ngày hạn, lúc 08:00 (giờ Asia/Ho_Chi_Minh).\nGiờ yên lặng (không gửi): 21:00–07:00.\nThứ Bảy, Chủ nhật: có nhắc."
	a.unchanged(an, "/nhacnho", defaults)
	a.unchanged(ha, "/remind", defaults)
	a.unchanged(an, "/nhacnho 14", "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")
	a.unchanged(john, "/remind 14", "Sorry, only group administrators or representatives of the leader unit can do this.")
	for _, c := range []struct{ args, why string }{
		{"25:00", "Giờ nhắc «25:00» không có thật"},
		{"8:60", "Giờ nhắc «8:60» không có thật"},
		{"-1", "Không hiểu «-1»."},
		{"7,3,1,0,-1", "Không hiểu «7,3,1,0,-1»."},
		{"100", "Số ngày trước hạn là các số nguyên từ 0 (ngày hạn) đến 60, tối đa 10 số"},
		{"1,2,3,4,5,6,7,8,9,10,11", "tối đa 10 số"},
		{"7,3,,1", "Không hiểu «7,3,,1»."},
		{"yên", "Giờ yên lặng «» không hợp lệ"},
		{"yên 25:00-07:00", "Giờ yên lặng «25:00-07:00» không hợp lệ"},
		{"cuối tuần", "Sau «cuối tuần» ghi «có» hoặc «không»"},
		{"22:00", "Giờ nhắc nằm trong giờ yên lặng"},
		{"yên 06:00-09:00 08:00", "Giờ nhắc nằm trong giờ yên lặng"},
		{"08:00 09:00", "«09:00»: thiết lập này đã ghi ở trên; mỗi lệnh ghi mỗi thiết lập một lần."},
		{"yên tắt yên 22:00-06:00", "«yên»: thiết lập này đã ghi ở trên"},
		{"cuối tuần có cuối tuần không", "«cuối tuần»: thiết lập này đã ghi ở trên"},
	} {
		a.unchanged(ha, "/nhacnho "+c.args, c.why, form)
	}
	mary := h.member("Mary", "mary", telegramtest.Lang("en"))
	h.group.SetStatus(mary, telegramtest.StatusAdministrator)
	a.unchanged(mary, "/remind 25:00", "The reminder time «25:00» does not exist", "/remind [")
	a.unchanged(mary, "/remind weekends off weekends on", "«weekends»: this setting was given already")

	// Each setting on its own, the others kept; English words too.
	expect(t, h.say(h.group, ha, "/nhacnho 7, 6, 3, 1, 0").Text, "✅ Đã đổi cách nhắc hạn:\nNhắc 7, 6, 3, 1 ngày trước hạn và trong ngày hạn, lúc 08:00")
	expect(t, h.say(h.group, ha, "/nhacnho 8h30").Text, "lúc 08:30")
	expect(t, h.say(h.group, ha, "/nhacnho yen lang 22:00-06:00").Text, "Giờ yên lặng (không gửi): 22:00–06:00.")
	expect(t, h.say(h.group, h.admin, "/remind weekends off quiet 21:00-07:00 09:00").Text, "lúc 09:00", "Giờ yên lặng (không gửi): 21:00–07:00.", "Thứ Bảy, Chủ nhật: không nhắc")
	expect(t, h.say(h.group, john, "/deadlines").Text, "Reminders 7, 6, 3, 1 days before and on the day, at 09:00 (Asia/Ho_Chi_Minh time).", "Quiet hours (nothing sent): 21:00–07:00.")
	a.history(john, 4, "Hà: changed the reminders: «7,3,1,0 days · 08:00 · quiet 21:00-07:00 · weekends on» → «7,6,3,1,0 days · 08:00 · quiet 21:00-07:00 · weekends on»",
		"Hùng (administrator): changed the reminders: «7,6,3,1,0 days · 08:30 · quiet 22:00-06:00 · weekends on» → «7,6,3,1,0 days · 09:00 · quiet 21:00-07:00 · weekends off»")
	h.say(h.group, ha, "/nhacnho 7,3,1,0 08:00 cuối tuần có")

	// Around a change, a reminder goes out once a day, at the time in
	// force: Friday 13/03 at 08:00, 7 days before a deadline of 20/03.
	h.say(h.group, ha, "/hanchot 20/03/2026 | Nộp báo cáo quý I")
	s := h.scheduler()
	remindedAt := func(month time.Month, day, hour, minute int, left string) {
		t.Helper()
		a.on(month, day, hour, minute)
		n := len(h.tg.Messages(h.group.ID))
		h.tick(s)
		var got []string
		for _, m := range h.tg.Messages(h.group.ID)[n:] {
			got = append(got, m.Text)
		}
		if left == "" && len(got) != 0 || left != "" && (len(got) != 1 || !strings.Contains(got[0], "Hạn: 20/03/2026 17:00 ("+left+").")) {
			t.Fatalf("the tick of %02d/%02d %02d:%02d posted %q, want a reminder %q", day, month, hour, minute, got, left)
		}
	}
	remindedAt(3, 13, 8, 0, "còn 7 ngày")
	h.say(h.group, ha, "/nhacnho 09:00")
	remindedAt(3, 13, 9, 0, "") // the day's reminder went out at 08:00
	h.say(h.group, ha, "/nhacnho 7,6,3,1,0")
	remindedAt(3, 14, 8, 0, "")
	remindedAt(3, 14, 9, 0, "còn 6 ngày") // a day added, at the new time
	a.on(3, 17, 7, 45)
	h.say(h.group, ha, "/nhacnho 3,1,0 07:30")
	remindedAt(3, 17, 7, 46, "còn 3 ngày") // moved before now, still due today
	remindedAt(3, 17, 8, 0, "")
	a.on(3, 19, 7, 50)
	h.say(h.group, ha, "/nhacnho 10:00")
	remindedAt(3, 19, 8, 0, "") // moved later: not at the old time
	remindedAt(3, 19, 10, 0, "còn 1 ngày")
	remindedAt(3, 20, 10, 0, "hạn hôm nay")
	a.ticked(3, 20, 17, 0)
	a.history(ha, 2, "• 20/03/2026 10:00 — thiduabot: nhắc hạn: «Nộp báo cáo quý I:", "• 20/03/2026 17:00 — thiduabot: báo quá hạn: «Nộp báo cáo quý I:")
}
