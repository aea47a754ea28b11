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

// walk is the cast of the year-end walkthrough: the seven units of setUp
// with one representative each (reps[i] for unit i+1: An, Bình, Chi, Dũng,
// Giang, Hà of Tỉnh Đoàn, this year's leader, and John of the Red Cross,
// whose Telegram speaks English), and Lan, a second representative of Hội
// Nông dân tỉnh. Chi and John started the bot in private.
type walk struct {
	*harness
	reps []*telegramtest.User
	lan  *telegramtest.User
	// year is the year of the walk's dates (see on): 2026 when zero.
	year int
}

// on sets the clock to a time of the walk's year in the province's zone.
func (w *walk) on(month time.Month, day, hour, minute int) {
	year := w.year
	if year == 0 {
		year = 2026
	}
	w.now = time.Date(year, month, day, hour, minute, 0, 0, hcm)
}

// ticked runs the scheduler at a time of 2026 and returns what it posted
// in the group.
func (w *walk) ticked(month time.Month, day, hour, minute int) []telegramtest.Message {
	w.t.Helper()
	w.on(month, day, hour, minute)
	n := len(w.tg.Messages(w.group.ID))
	w.tick(w.scheduler())
	return w.tg.Messages(w.group.ID)[n:]
}

// posted returns the one message of msgs that starts with head, failing
// unless there is exactly one.
func (w *walk) posted(msgs []telegramtest.Message, head string) string {
	w.t.Helper()
	var found []string
	for _, m := range msgs {
		if strings.HasPrefix(m.Text, head) {
			found = append(found, m.Text)
		}
	}
	if len(found) != 1 {
		var all []string
		for _, m := range msgs {
			all = append(all, m.Text)
		}
		w.t.Fatalf("%d messages start with %q among:\n%s", len(found), head, strings.Join(all, "\n---\n"))
	}
	return found[0]
}

// names fails unless the unit lines of a reminder are exactly want.
func (w *walk) names(reminder string, want ...string) {
	w.t.Helper()
	if got := unitLines(reminder); !slices.Equal(got, want) {
		w.t.Fatalf("the reminder names %q, want %q:\n%s", got, want, reminder)
	}
}

// unitID is the id of the unit named so.
func (w *walk) unitID(name string) string {
	w.t.Helper()
	for _, u := range w.block().Units {
		if u.Name == name {
			return u.ID
		}
	}
	w.t.Fatalf("no unit %q", name)
	return ""
}

// elected fails unless the units named are elected to lead and to
// deputise next year.
func (w *walk) elected(leader, deputy string) {
	w.t.Helper()
	b := w.block()
	if el := b.ElectedFor(thidua.RoleLeader); el == nil || el.UnitID != w.unitID(leader) {
		w.t.Fatalf("elected leader: %+v", el)
	}
	if el := b.ElectedFor(thidua.RoleDeputy); el == nil || el.UnitID != w.unitID(deputy) {
		w.t.Fatalf("elected deputy: %+v", el)
	}
}

// unchanged sends text as user, expects an answer containing want, and
// fails if the block changed.
func (w *walk) unchanged(user *telegramtest.User, text string, want ...string) string {
	w.t.Helper()
	before := w.block().Version
	m := w.say(w.group, user, text)
	expect(w.t, m.Text, want...)
	if after := w.block().Version; after != before {
		w.t.Fatalf("%q changed the block: version %d -> %d", text, before, after)
	}
	return m.Text
}

// exportSlugs are the words of the walkthroughs' blocks' names that their
// exports' file names carry («thi-dua-2026-<slug>.xlsx»), by block name.
var exportSlugs = map[string]string{
	bigBlockName: "cac-co-quan-dang-mat-tran-to-quoc-va-cac",
	"Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai": "mttq-va-cac-doan-the-tinh-lao-cai",
	"Khối thi đua MTTQ và các đoàn thể tỉnh":         "mttq-va-cac-doan-the-tinh",
	"Khối thi đua các sở kinh tế tỉnh":               "cac-so-kinh-te-tinh",
	"Khối thi đua huyện Bảo Thắng":                   "huyen-bao-thang",
}

// exported returns the last export sent to the group: the workbook and the
// tables of the CSV zip, checking both files' names for the year and the
// block (exportSlugs).
func (w *walk) exported(year int) (*workbook, map[string][][]string) {
	w.t.Helper()
	msgs := w.tg.Messages(w.group.ID)
	if len(msgs) < 2 || msgs[len(msgs)-2].Document == nil || msgs[len(msgs)-1].Document == nil {
		w.t.Fatal("the last two messages are not the export's files")
	}
	name := w.block().Name
	slug, ok := exportSlugs[name]
	if !ok {
		w.t.Fatalf("exportSlugs has no file name for the block %q", name)
	}
	book, zipped := msgs[len(msgs)-2].Document, msgs[len(msgs)-1].Document
	if base := fmt.Sprintf("thi-dua-%d-%s", year, slug); book.Name != base+".xlsx" || zipped.Name != base+"-csv.zip" {
		w.t.Fatalf("exported %s and %s, not the files of %d of %s", book.Name, zipped.Name, year, name)
	}
	return openWorkbook(w.t, book.Data), readCSVZip(w.t, zipped.Data)
}

// TestYearEndWalkthrough drives a block of seven units through the end of
// its year, from 25/11 to 03/12/2026, as its staff and leaders would: the
// last reports, one late; reminders for 30/11 to exactly the units that
// owe; own and agreed scores written the Vietnamese way; the leader
// elected after a tie and a runoff closed on time, with a unit that never
// votes; the deputy after a tied runoff decided; award proposals; the
// export; /newyear refused on 30/11 and the turn on 01/12; then the
// finished year's export and records and the new year's empty state.
func TestYearEndWalkthrough(t *testing.T) {
	w := &walk{harness: newHarness(t)}
	h := w.harness
	w.setUpYear()
	reps, ha, chi, john := w.reps, w.reps[5], w.reps[2], w.reps[6]
	ctdID, nongDanID, ldldID := w.unitID(ctd), w.unitID(nongDan), w.unitID(ldld)

	// 25/11: the last reports; the Red Cross sends its 9 months late.
	w.on(11, 25, 9, 0)
	expect(t, h.say(h.group, john, "/report 9 tháng\n1 1.500").Text, "Recorded the report of 9 tháng for Hội Chữ thập đỏ tỉnh (John, 25/11/2026 09:00)",
		"⏰ Late: the period's deadline was 15/09/2026.", "1. 1.500 đơn vị / 2.000 đơn vị (75%)")
	b := h.block()
	nine, _ := b.FindPeriod("9 tháng")
	year, _ := b.FindPeriod("Cả năm")
	if st := b.ReportStatusOf(ctdID, nine, w.now); st != thidua.StatusLate {
		t.Fatalf("the late report's status is %v", st)
	}
	h.say(h.group, reps[0], "/baocao Cả năm\n1 12 đã tổ chức đủ")
	h.say(h.group, reps[1], "/baocao Cả năm\n1 520")
	expect(t, h.say(h.group, chi, "/baocao Cả năm\n1 45 đã khởi công 5 nhà\n2 1.250").Text,
		"📊 Đã ghi báo cáo kỳ Cả năm của Hội Nông dân tỉnh (Chi, 25/11/2026 09:00).", "1. 45 nhà / 50 nhà (90%)", "2. 1.250 hội viên / 1.200 hội viên (104%)")
	h.say(h.group, ha, "/baocao Cả năm\n1 40")
	if r, ok := h.block().Report(nongDanID, year.ID); !ok || len(r.Entries) != 2 || r.Entries[0].Value != 45 || r.Entries[1].Value != 1250 {
		t.Fatalf("Hội Nông dân tỉnh's report: %+v", r)
	}
	expect(t, h.say(h.group, ha, "/tiendo").Text, "1. 9 tháng (hạn 15/09/2026): ✅ 6 · ⏰ 1", "2. Cả năm (hạn 30/11/2026): ✅ 4 · … 3",
		"7. Liên đoàn Lao động tỉnh\n   ▓▓▓▓▓▓▓░░░ 67% · ✅ …")
	expect(t, h.say(h.group, reps[2], "/dshan").Text,
		"• Hoàn thành toàn diện các chỉ tiêu năm 2026 — 30/11/2026 17:00 (còn 5 ngày)\n   Chưa xong (4/7):\n   – Hội Nông dân tỉnh (còn: chỉ tiêu năm chưa đạt tiến độ)\n",
		"• Báo cáo kết quả Cả năm — 30/11/2026 23:59 (còn 5 ngày)\n   Chưa xong (3/7): Liên đoàn Lao động tỉnh, Hội Liên hiệp Phụ nữ tỉnh, Hội Chữ thập đỏ tỉnh")
	w.on(11, 26, 10, 0)
	h.say(h.group, reps[4], "/baocao Cả năm\n1 120")

	w.selfScores()
	w.electLeader()
	w.electDeputy()
	w.agreeAndPropose()

	// 30/11, the last day: the reminders name the units that still owe it.
	got := w.ticked(11, 30, 8, 0)
	w.names(w.posted(got, "⏰ Nhắc hạn: Báo cáo kết quả Cả năm\nHạn: 30/11/2026 23:59 (hạn hôm nay)."),
		"• Liên đoàn Lao động tỉnh (còn: chưa báo cáo kết quả kỳ Cả năm) — Dũng",
		"• Hội Chữ thập đỏ tỉnh (còn: chưa báo cáo kết quả kỳ Cả năm) — John")
	w.posted(got, "⏰ Nhắc hạn: Hoàn thành toàn diện các chỉ tiêu năm 2026\nHạn: 30/11/2026 17:00 (hạn hôm nay).")
	w.on(11, 30, 10, 0)
	expect(t, h.say(h.group, reps[3], "/baocao Cả năm\n1 30").Text, "Đã ghi báo cáo kỳ Cả năm của Liên đoàn Lao động tỉnh (Dũng, 30/11/2026 10:00).")
	got = w.ticked(11, 30, 17, 0)
	overdue := w.posted(got, "⚠️ Quá hạn: Hoàn thành toàn diện các chỉ tiêu năm 2026\nHạn 30/11/2026 17:00 đã qua.\nCác đơn vị chưa hoàn thành (2/7):")
	w.names(overdue, "• Hội Nông dân tỉnh (còn: chỉ tiêu năm chưa đạt tiến độ) — Chi, Lan",
		"• Hội Chữ thập đỏ tỉnh (còn: chưa báo cáo kết quả kỳ Cả năm; chỉ tiêu năm chưa đạt tiến độ) — John")
	expect(t, overdue, "/report <kỳ>", "/progress")
	if dms := h.tg.Messages(chi.ID); !strings.Contains(dms[len(dms)-1].Text, "⚠️ Quá hạn (Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai): Hoàn thành toàn diện các chỉ tiêu năm 2026") {
		t.Fatalf("Chi's last direct message: %q", dms[len(dms)-1].Text)
	}

	// 30/11 in the evening the year cannot turn yet, and says from when.
	w.on(11, 30, 20, 0)
	w.unchanged(ha, "/nammoi", "Năm thi đua 2026 chưa kết thúc: khối chuyển sang năm 2027 được từ ngày 01/12/2026")

	// 01/12: the year's report is overdue for the Red Cross only, which sends it late.
	got = w.ticked(12, 1, 8, 0)
	w.names(w.posted(got, "⚠️ Quá hạn: Báo cáo kết quả Cả năm"), "• Hội Chữ thập đỏ tỉnh (còn: chưa báo cáo kết quả kỳ Cả năm) — John")
	w.on(12, 1, 8, 30)
	expect(t, h.say(h.group, john, "/report Cả năm\n1 2.100").Text, "⏰ Late: the period's deadline was 30/11/2026.", "1. 2.100 đơn vị / 2.000 đơn vị (105%)")

	w.turn()
	w.afterTheTurn(ctdID, nongDanID, ldldID)
}

// setUpYear makes the block as it stands in the autumn (set up on 02/03):
// units, representatives, Tỉnh Đoàn leading and the MTTQ deputy, three
// criteria of 10, 30 and 60 points, every unit's pledges approved, two
// periods (9 months due 15/09, the year due 30/11) and the 9 months'
// reports of all but the Red Cross, sent on 12/09.
func (w *walk) setUpYear() {
	w.t.Helper()
	h := w.harness
	w.seated()
	john := w.reps[6]
	w.lan = h.member("Lan", "lan_nd")
	h.join(w.lan, nongDan)
	h.handled(h.tg.SendPrivate(w.reps[2], "/start"))
	h.handled(h.tg.SendPrivate(john, "/start"))
	ha := w.reps[5]
	w.registered("Công tác tuyên truyền, vận động | 10\nPhát triển hội viên | 30\nAn sinh xã hội | 60", walkPledges...)
	expect(w.t, h.say(h.group, ha, "/kybaocao 9 tháng | 15/09\nCả năm | 30/11").Text, "Đã thêm 2 kỳ báo cáo")
	w.on(9, 12, 10, 0)
	for i, r := range []string{"1 9", "1 380", "1 35\n2 900", "1 20", "1 90", "1 30"} {
		h.say(h.group, w.reps[i], "/baocao 9 tháng\n"+r)
	}
	b := h.block()
	if len(b.Units) != 7 || len(b.Reps) != 8 || len(b.Registration.Criteria) != 3 || len(b.UnitsNotApproved()) != 0 || len(b.Results.Periods) != 2 {
		w.t.Fatalf("the block set up: %d units, %d representatives, %d criteria, %d lists not approved, %d periods",
			len(b.Units), len(b.Reps), len(b.Registration.Criteria), len(b.UnitsNotApproved()), len(b.Results.Periods))
	}
}

// walkPledges are the pledges of the seven units of setUp in the
// walkthroughs, one string per unit, one pledge per line.
var walkPledges = []string{
	"Tổ chức 12 hội nghị phản biện xã hội | 12 hội nghị",
	"Vận động 500 hội viên mới | 500 hội viên",
	"Vận động xây 50 nhà đại đoàn kết | 50 nhà\nPhát triển hội viên mới | 1.200 hội viên",
	"Thành lập 30 công đoàn cơ sở | 30 công đoàn",
	"Hỗ trợ 120 phụ nữ khởi nghiệp | 120 hồ sơ",
	"Thành lập 40 đội thanh niên tình nguyện | 40 đội",
	"Hiến 2.000 đơn vị máu | 2.000 đơn vị",
}

// seated sets the group up with the seven units of setUp, each with one
// representative approved by the administrator: reps[i] for unit i+1, An,
// Bình, Chi, Dũng, Giang, Hà of Tỉnh Đoàn, and John of the Red Cross, whose
// Telegram speaks English.
func (w *walk) seated() {
	w.t.Helper()
	h := w.harness
	h.setUp()
	for i, n := range []string{"An", "Bình", "Chi", "Dũng", "Giang", "Hà"} {
		w.reps = append(w.reps, h.member(n, ""))
		h.join(w.reps[i], unitNames[i])
	}
	john := h.member("John", "john_rc", telegramtest.Lang("en"))
	w.reps = append(w.reps, john)
	h.join(john, ctd)
}

// pressed has user press the button labelled label under msg in the
// group and returns the answer they saw.
func (w *walk) pressed(user *telegramtest.User, msg telegramtest.Message, label string) telegramtest.CallbackAnswer {
	w.t.Helper()
	return w.press(w.group, user, msg, button(w.t, msg, label))
}

// registered makes Tỉnh Đoàn the leader and the MTTQ the deputy; Hà, of
// Tỉnh Đoàn, adds the criteria (lines "<tiêu chí> | <điểm tối đa>") and
// opens registration, and approves the pledges each unit registers and
// submits (pledges[i], one per line, for unit i+1).
func (w *walk) registered(criteria string, pledges ...string) {
	w.t.Helper()
	h, ha := w.harness, w.reps[5]
	h.say(h.group, h.admin, "/leader Tỉnh Đoàn")
	h.say(h.group, h.admin, "/deputy 1")
	h.say(h.group, ha, "/tieuchi add "+criteria)
	h.say(h.group, ha, "/modangky")
	for i, p := range pledges {
		h.say(h.group, w.reps[i], "/dangky "+p)
		h.say(h.group, w.reps[i], "/guidangky")
		h.say(h.group, ha, fmt.Sprintf("/duyet %d", i+1))
	}
}

// selfScores has every unit score itself on 26/11, the Vietnamese way (9,5)
// and John the English way (9.5), and checks the board of own scores.
func (w *walk) selfScores() {
	w.t.Helper()
	h, reps, t := w.harness, w.reps, w.t
	w.on(11, 26, 14, 0)
	expect(t, h.say(h.group, reps[0], "/tucham\n1 9,5\n2 28\n3 57,5").Text, "✅ Đã ghi điểm tự chấm của Ủy ban MTTQ Việt Nam tỉnh (bởi An).",
		"1. Công tác tuyên truyền, vận động (tối đa 10): tự chấm 9,5 · bình xét —", "Tổng: tự chấm 95 · bình xét —")
	expect(t, h.say(h.group, reps[1], "/tucham\n1 9\n2 27 điểm\n3 55").Text, "Tổng: tự chấm 91 · bình xét —")
	w.unchanged(reps[2], "/tucham\n1 9,75\n3 95", "Dòng 2 («3 95»)", "Tiêu chí số 3 «An sinh xã hội» tối đa 60 điểm, không chấm được 95 điểm")
	expect(t, h.say(h.group, reps[2], "/tucham\n1 9,75\n2 29\n3 58").Text, "Tổng: tự chấm 96,75 · bình xét —")
	h.say(h.group, reps[3], "/tucham\n1 8,5\n2 26\n3 54")
	h.say(h.group, reps[4], "/tucham\n1 9\n2 28,5\n3 56")
	h.say(h.group, reps[5], "/tucham\n1 10\n2 29,5\n3 59")
	expect(t, h.say(h.group, reps[6], "/selfscore\n1 9.5\n2 27\n3 55").Text, "✅ Recorded the scores Hội Chữ thập đỏ tỉnh gave itself (by John).",
		"(at most 10): own 9,5 · agreed —", "Total: own 91,5 · agreed —")
	if s := h.block().ScoreOf(w.unitID(ctd)); len(s.Self) != 3 || s.Self[0].Points != 9.5 || s.SelfBy.UserID != reps[6].ID {
		t.Fatalf("the Red Cross's own scores: %+v", s)
	}
	expect(t, h.say(h.group, h.admin, "/bangdiem").Text, "🏅 BẢNG ĐIỂM THI ĐUA NĂM 2026", "– Tỉnh Đoàn — chưa bình xét · tự chấm 98,5\n– Hội Nông dân tỉnh — chưa bình xét · tự chấm 96,75")
}

// electLeader elects next year's leader: opened on 26/11 to close on 27/11
// at 17:00, tied 3-3 with the Red Cross never voting, a runoff opened at
// the close and closed on time on 28/11, Hội Nông dân tỉnh's vote changed
// by its second representative and back; the reminders name only the
// units that owe, and /result gives the counting records.
func (w *walk) electLeader() {
	w.t.Helper()
	h, reps, t := w.harness, w.reps, w.t
	w.on(11, 26, 15, 0)
	ballot := h.say(h.group, reps[5], "/bau khoitruong | đóng: 27/11/2026 15:00")
	expect(t, ballot.Text, "🗳 Bầu Khối trưởng năm 2027", "🔒 Bỏ phiếu kín", "⏰ Kết thúc: 27/11/2026 15:00", "Đã bỏ phiếu: 0/7 đơn vị")
	if strings.Contains(fmt.Sprint(ballot.Buttons), doan) {
		t.Fatalf("the outgoing leader is a candidate: %v", ballot.Buttons)
	}
	h.votes(reps, nongDan, nongDan, nongDan, ldld, ldld, ldld)
	// The ballot posted again is the one the close will take the buttons off.
	shown := h.say(h.group, reps[6], "/result")
	expect(t, shown.Text, "Đã bỏ phiếu: 6/7 đơn vị", "✅ Tỉnh Đoàn")
	if tallyRE.MatchString(shown.Text) || strings.Contains(shown.Text, "✅ Hội Chữ thập đỏ tỉnh") {
		t.Fatalf("the secret ballot shows a tally or a vote not cast: %q", shown.Text)
	}
	if id := h.lastElection().MessageID; id != shown.ID {
		t.Fatalf("the ballot message kept is %d, not the one posted again, %d", id, shown.ID)
	}

	got := w.ticked(11, 27, 8, 0)
	w.names(w.posted(got, "⏰ Nhắc hạn: Bầu Khối trưởng năm 2027\nHạn: 27/11/2026 15:00 (hạn hôm nay)."),
		"• Hội Chữ thập đỏ tỉnh (còn: chưa bỏ phiếu bầu Khối trưởng) — John")
	w.names(w.posted(got, "⏰ Nhắc hạn: Báo cáo kết quả Cả năm\nHạn: 30/11/2026 23:59 (còn 3 ngày)."),
		"• Liên đoàn Lao động tỉnh (còn: chưa báo cáo kết quả kỳ Cả năm) — Dũng",
		"• Hội Chữ thập đỏ tỉnh (còn: chưa báo cáo kết quả kỳ Cả năm) — John")
	final := w.posted(got, "⏰ Nhắc hạn: Hoàn thành toàn diện các chỉ tiêu năm 2026\nHạn: 30/11/2026 17:00 (còn 3 ngày).")
	w.names(final, "• Hội Nông dân tỉnh (còn: chỉ tiêu năm chưa đạt tiến độ) — Chi, Lan",
		"• Liên đoàn Lao động tỉnh (còn: chưa báo cáo kết quả kỳ Cả năm; chỉ tiêu năm chưa đạt tiến độ) — Dũng",
		"• Hội Chữ thập đỏ tỉnh (còn: chưa bỏ phiếu bầu Khối trưởng; chưa báo cáo kết quả kỳ Cả năm; chỉ tiêu năm chưa đạt tiến độ) — John")
	expect(t, final, "Đầu mối báo cáo số liệu mới nhất bằng /report <kỳ>")
	if dms := h.tg.Messages(reps[6].ID); !slices.ContainsFunc(dms, func(m telegramtest.Message) bool {
		return strings.Contains(m.Text, "⏰ Reminder (Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai): Election of the leader for 2027 — due 27/11/2026 15:00 (due today).\nYour unit Hội Chữ thập đỏ tỉnh has not finished (still to do: its vote in the leader election).")
	}) {
		t.Fatal("John was not told in private, in English, that his unit has not voted")
	}

	// 27/11 15:00: closed on time, tied: a runoff between the two, for as
	// long as the first round, to 15:00 the next day, within working hours.
	got = w.ticked(11, 27, 15, 0)
	expect(t, w.posted(got, "🗳 Kết quả bầu Khối trưởng năm 2027\n"), "Số đơn vị bỏ phiếu: 6/7 (cần ít nhất 4): đủ",
		"• Hội Nông dân tỉnh: 3 phiếu\n• Liên đoàn Lao động tỉnh: 3 phiếu",
		"Không ứng viên nào được quá nửa số phiếu bầu (cần ít nhất 4/6): bầu lại vòng 2 giữa Hội Nông dân tỉnh, Liên đoàn Lao động tỉnh.")
	runoff := w.posted(got, "🗳 Bầu Khối trưởng năm 2027 — vòng 2 (bầu lại)")
	expect(t, runoff, "⏰ Kết thúc: 28/11/2026 15:00", "Đã bỏ phiếu: 0/7 đơn vị")
	first := h.block().LatestElection(thidua.RoleLeader)
	if first.Round != 2 || first.State != thidua.ElectionOpen || len(first.Candidates) != 2 || h.block().Election(first.Parent).State != thidua.ElectionRunoff {
		t.Fatalf("the runoff stored: %+v", first)
	}

	// 28/11: the runoff; Lan changes her unit's vote, Chi changes it back.
	w.on(11, 28, 9, 0)
	h.votes(reps, nongDan, nongDan, nongDan, nongDan, ldld, ldld)
	expect(t, h.vote(w.lan, ldld).Text, "✅ Đã đổi phiếu của Hội Nông dân tỉnh: Liên đoàn Lao động tỉnh.")
	chiReceipt := receipt(t, h.vote(reps[2], nongDan))
	if counted := h.block().LatestElection(thidua.RoleLeader).Counted(); len(counted) != 6 {
		t.Fatalf("%d ballots counted, want one per unit that voted: %+v", len(counted), counted)
	}
	h.say(h.group, reps[3], "/ketqua") // the first round's record, then the runoff's ballot
	msgs := h.tg.Messages(h.group.ID)
	expect(t, msgs[len(msgs)-2].Text, "📋 Biên bản kiểm phiếu — bầu Khối trưởng năm 2027\n", "Kết thúc: 27/11/2026 15:00 (hết giờ bỏ phiếu)",
		"7. Hội Chữ thập đỏ tỉnh — chưa bỏ phiếu")
	expect(t, msgs[len(msgs)-1].Text, "🗳 Bầu Khối trưởng năm 2027 — vòng 2 (bầu lại)", "Đã bỏ phiếu: 6/7 đơn vị")
	got = w.ticked(11, 28, 14, 0)
	w.names(w.posted(got, "⏰ Nhắc hạn: Bầu Khối trưởng năm 2027 (vòng 2)\nHạn: 28/11/2026 15:00 (hạn hôm nay)."),
		"• Hội Chữ thập đỏ tỉnh (còn: chưa bỏ phiếu bầu Khối trưởng) — John")
	got = w.ticked(11, 28, 15, 0)
	expect(t, w.posted(got, "🗳 Kết quả bầu Khối trưởng năm 2027 — vòng 2 (bầu lại)"), "• Hội Nông dân tỉnh: 4 phiếu\n• Liên đoàn Lao động tỉnh: 2 phiếu",
		"🎉 Hội Nông dân tỉnh trúng cử Khối trưởng năm 2027 với 4/6 phiếu.")
	if el := h.block().ElectedFor(thidua.RoleLeader); el == nil || el.UnitID != w.unitID(nongDan) || el.Year != 2027 {
		t.Fatalf("elected leader: %+v", el)
	}
	record := w.unchanged(reps[0], "/ketqua khoitruong", "📋 Biên bản kiểm phiếu — bầu Khối trưởng năm 2027 — vòng 2 (bầu lại)",
		"Mở bầu: 27/11/2026 15:00", "Kết thúc: 28/11/2026 15:00 (hết giờ bỏ phiếu)", "Số đơn vị bỏ phiếu: 6/7 (cần ít nhất 4): đủ")
	if !strings.Contains(record, "• Hội Nông dân tỉnh: 4 phiếu — mã phiếu: ") || !strings.Contains(record[strings.Index(record, "• Hội Nông dân tỉnh: 4 phiếu"):], chiReceipt) {
		t.Fatalf("Chi's last receipt %s is not counted for Hội Nông dân tỉnh:\n%s", chiReceipt, record)
	}
	w.unchanged(reps[6], "/result leader", "📋 Counting record — election of the leader for 2027 — round 2 (runoff)",
		"7. Hội Chữ thập đỏ tỉnh — did not vote", "🎉 Hội Nông dân tỉnh is elected leader for 2027 with 4/6 votes.")
}

// electDeputy elects next year's deputy on 29/11 in an open ballot: a
// manager closes the first round, tied, and the runoff, tied again, and
// settles it with /decide among the tied units only.
func (w *walk) electDeputy() {
	w.t.Helper()
	h, reps, t, ha := w.harness, w.reps, w.t, w.reps[5]
	got := w.ticked(11, 29, 8, 0)
	w.names(w.posted(got, "⏰ Nhắc hạn: Báo cáo kết quả Cả năm\nHạn: 30/11/2026 23:59 (còn 1 ngày)."),
		"• Liên đoàn Lao động tỉnh (còn: chưa báo cáo kết quả kỳ Cả năm) — Dũng",
		"• Hội Chữ thập đỏ tỉnh (còn: chưa báo cáo kết quả kỳ Cả năm) — John")
	w.on(11, 29, 8, 30)
	ballot := h.say(h.group, ha, "/bau khoipho | công khai")
	expect(t, ballot.Text, "🗳 Bầu Khối phó năm 2027", "👁 Bỏ phiếu công khai", "⏰ Kết thúc: 30/11/2026 08:30")
	if strings.Contains(fmt.Sprint(ballot.Buttons), nongDan) {
		t.Fatalf("the unit elected leader stands for deputy: %v", ballot.Buttons)
	}
	w.unchanged(ha, "/decide khoipho "+ldld, "Không có vòng bầu lại Khối phó nào hoà phiếu đang chờ quyết định.")
	h.votes(reps, ldld, ldld, ldld, ccb, ccb, ccb)
	expect(t, h.say(h.group, ha, "/dongbau").Text, "🗳 Bầu Khối phó năm 2027 — vòng 2 (bầu lại)")
	h.votes(reps, ldld, ldld, ldld, ccb, ccb, ccb)
	expect(t, h.say(h.group, ha, "/dongbau").Text, "• Hội Cựu chiến binh tỉnh: 3 phiếu\n• Liên đoàn Lao động tỉnh: 3 phiếu",
		"⚖️ Vòng bầu lại hoà phiếu giữa Hội Cựu chiến binh tỉnh, Liên đoàn Lao động tỉnh.", "/decide khoipho <đơn vị>")
	w.unchanged(reps[1], "/quyetdinh khoipho "+ccb, "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")
	w.unchanged(ha, "/quyetdinh khoipho "+nongDan, "Đơn vị này không nằm trong số các đơn vị hoà phiếu.")
	expect(t, h.say(h.group, ha, "/quyetdinh khoipho "+ldld).Text,
		"⚖️ Hoà phiếu giữa Hội Cựu chiến binh tỉnh, Liên đoàn Lao động tỉnh; Hà quyết định (29/11/2026 08:30): Liên đoàn Lao động tỉnh trúng cử Khối phó năm 2027.")
	expect(t, h.say(h.group, reps[0], "/ketqua khoipho").Text, "Hình thức: bỏ phiếu công khai", "1. Ủy ban MTTQ Việt Nam tỉnh — ✅ bầu Liên đoàn Lao động tỉnh (mã ",
		"Kết thúc: 29/11/2026 08:30 (do Hà kết thúc)")
	expect(t, h.say(h.group, reps[0], "/donvi").Text, "Khối trưởng: Tỉnh Đoàn · Khối phó: Ủy ban MTTQ Việt Nam tỉnh",
		"Khối trưởng năm 2027 (đã bầu): Hội Nông dân tỉnh", "Khối phó năm 2027 (đã bầu): Liên đoàn Lao động tỉnh")
}

// agreeAndPropose records on 29/11 the scores the conference agreed on
// (the Red Cross's left for later), ranks the units, records the award
// proposals and exports the year.
func (w *walk) agreeAndPropose() {
	w.t.Helper()
	h, reps, t, ha := w.harness, w.reps, w.t, w.reps[5]
	w.on(11, 29, 9, 0)
	for _, s := range []string{"#1\n1 9,5\n2 28\n3 57", "#6\n1 10\n2 29\n3 59", "#5\n1 9\n2 28\n3 57,5", "#2\n1 9\n2 27\n3 54", "#4\n1 8\n2 26\n3 54"} {
		expect(t, h.say(h.group, ha, "/chamdiem "+s).Text, "✅ Đã ghi điểm bình xét của")
	}
	expect(t, h.say(h.group, ha, "/chamdiem #3\n1 9,5\n2 29\n3 58 thống nhất tại hội nghị").Text,
		"3. An sinh xã hội (tối đa 60): tự chấm 58 · bình xét 58 (thống nhất tại hội nghị)", "Tổng: tự chấm 96,75 · bình xét 96,5")
	w.unchanged(reps[2], "/chamdiem #7\n3 55", "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")
	w.unchanged(ha, "/chamdiem #7\n3 95", "Tiêu chí số 3 «An sinh xã hội» tối đa 60 điểm")
	expect(t, h.say(h.group, reps[6], "/scores").Text, "🏅 SCORES 2026", "1. Tỉnh Đoàn — agreed 98 · own 98,5", "2. Hội Nông dân tỉnh — agreed 96,5 · own 96,75",
		"3. Ủy ban MTTQ Việt Nam tỉnh — agreed 94,5 · own 95\n3. Hội Liên hiệp Phụ nữ tỉnh — agreed 94,5 · own 93,5\n5. Hội Cựu chiến binh tỉnh",
		"– Hội Chữ thập đỏ tỉnh — not agreed yet · own 91,5")

	expect(t, h.say(h.group, ha, "/khenthuong Cờ thi đua của Chính phủ | Tỉnh Đoàn").Text, "✅ Đã ghi đề nghị Cờ thi đua của Chính phủ cho 1 đơn vị (bởi Hà).")
	expect(t, h.say(h.group, ha, "/khenthuong Cờ thi đua của UBND tỉnh | 3, 1").Text,
		"Cờ thi đua của UBND tỉnh — 2 đơn vị\n• Hội Nông dân tỉnh — hạng 2 · bình xét 96,5\n• Ủy ban MTTQ Việt Nam tỉnh — hạng 3 · bình xét 94,5")
	w.unchanged(ha, "/khenthuong Bằng khen của UBND tỉnh | 5, 6", "Tỉnh Đoàn đã được đề nghị Cờ thi đua của Chính phủ", "/award Cờ thi đua của Chính phủ |")
	expect(t, h.say(h.group, ha, "/khenthuong Bằng khen của UBND tỉnh | 5, 7").Text,
		"Bằng khen của UBND tỉnh — 2 đơn vị\n• Hội Liên hiệp Phụ nữ tỉnh — hạng 3 · bình xét 94,5\n• Hội Chữ thập đỏ tỉnh — chưa bình xét")
	if ps := h.block().Registration.Proposals; len(ps) != 3 || len(ps[2].UnitIDs) != 2 || ps[2].By.UserID != ha.ID {
		t.Fatalf("proposals stored: %+v", ps)
	}

	expect(t, h.say(h.group, reps[2], "/xuatfile").Text, "Các bảng trên dạng CSV")
	f, tables := w.exported(2026)
	findRow(t, f, "Chấm điểm", phuNu, "3", "", "Tổng cộng", "100", "93.5", "", "94.5", "", "Bằng khen của UBND tỉnh")
	if rows := tables["cham-diem.csv"]; !hasRow(rows, nongDan, "2", "", "Tổng cộng", "100", "96,75", "", "96,5", "", "Cờ thi đua của UBND tỉnh") ||
		!hasRow(rows, ctd, "", "1", "Công tác tuyên truyền, vận động", "10", "9,5", "", "", "", "Bằng khen của UBND tỉnh") {
		t.Fatalf("cham-diem.csv:\n%q", rows)
	}
	if rows := tables["ket-qua.csv"]; !hasRow(rows, "9 tháng", "2026-09-15", ctd, "1", "Hiến 2.000 đơn vị máu", "2.000 đơn vị", "1500", "đơn vị", "75%", "nộp muộn", "2026-11-25", "John", "", "0") ||
		!hasRow(rows, "Cả năm", "2026-11-30", ldld, "1", "Thành lập 30 công đoàn cơ sở", "30 công đoàn", "", "", "", "chưa đến hạn", "", "", "", "") {
		t.Fatalf("ket-qua.csv:\n%q", rows)
	}
}

// turn turns the block to 2027 on 01/12: the unit elected leader cannot
// yet, the outgoing leader's representative is asked first, confirms, and
// the elected units take office.
func (w *walk) turn() {
	w.t.Helper()
	h, t, ha := w.harness, w.t, w.reps[5]
	w.on(12, 1, 9, 0)
	w.unchanged(w.reps[2], "/nammoi", "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")
	before := h.block().Version
	ask := h.say(h.group, ha, "/nammoi")
	expect(t, ask.Text, "Chuyển Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai sang năm thi đua 2027?",
		"Giữ nguyên: 7 đơn vị và 8 đầu mối, 3 tiêu chí chấm điểm (sửa bằng /criteria), cách nhắc hạn.\n",
		"Năm 2027: Khối trưởng Hội Nông dân tỉnh (đã bầu); Khối phó Liên đoàn Lao động tỉnh (đã bầu).", "/export 2026", "/result 2026")
	if h.block().Version != before {
		t.Fatal("asking changed the block")
	}
	// Every report is in and every unit but the Red Cross agreed on: the
	// question warns of that unit alone.
	if warning := "\n\n⚠️ Chưa bình xét: 1 đơn vị (Hội Chữ thập đỏ tỉnh). Sau khi chuyển năm không ghi thêm được."; !strings.HasSuffix(ask.Text, warning) {
		t.Fatalf("the question does not end with %q:\n%s", warning, ask.Text)
	}
	h.press(h.group, ha, ask, button(t, ask, "✅ Sang năm 2027"))
	turned := h.message(ask.ID)
	expect(t, turned.Text, "🎊 Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai đã sang năm thi đua 2027 (bởi Hà).",
		"Khối trưởng: Hội Nông dân tỉnh · Khối phó: Liên đoàn Lao động tỉnh", "/openreg")
	if len(turned.Buttons) != 0 {
		t.Fatalf("the question kept its buttons: %v", turned.Buttons)
	}
}

// afterTheTurn checks the new year's state and answers on 02/12 and 03/12,
// and that the finished year stays whole in /export 2026 and /result 2026.
func (w *walk) afterTheTurn(ctdID, nongDanID, ldldID string) {
	w.t.Helper()
	h, reps, t := w.harness, w.reps, w.t
	b := h.block()
	switch {
	case b.Year != 2027 || len(b.Units) != 7 || len(b.Reps) != 8 || len(b.Registration.Criteria) != 3:
		t.Fatalf("kept: year %d, %d units, %d representatives, %d criteria", b.Year, len(b.Units), len(b.Reps), len(b.Registration.Criteria))
	case b.LeaderUnit != nongDanID || b.DeputyUnit != ldldID:
		t.Fatalf("offices: leader %q, deputy %q", b.UnitName(b.LeaderUnit), b.UnitName(b.DeputyUnit))
	case len(b.Registration.Units) != 0 || len(b.Registration.Scores) != 0 || len(b.Registration.Proposals) != 0 || b.Registration.Open:
		t.Fatalf("the registration of 2026 stayed: %+v", b.Registration)
	case len(b.Results.Periods) != 0 || len(b.Results.Reports) != 0 || len(b.Elections.List) != 0:
		t.Fatalf("the results or elections of 2026 stayed: %+v %+v", b.Results, b.Elections)
	}
	past, err := h.store.ArchivedYear(t.Context(), b.ID, 2026)
	if err != nil || past.Year != 2026 || len(past.Registration.Proposals) != 3 || len(past.Elections.List) != 4 || len(past.Registration.Scores) != 7 {
		t.Fatalf("the year kept: %v, %+v", err, past)
	}
	if r, ok := past.Report(ctdID, past.Results.Periods[1].ID); !ok || r.Entries[0].Value != 2100 {
		t.Fatalf("the late report of 2026 kept: %+v", r)
	}

	w.on(12, 2, 9, 0)
	expect(t, h.say(h.group, reps[6], "/export 2026").Text, "The same tables as CSV")
	f, tables := w.exported(2026)
	findRow(t, f, "Đơn vị", "6", doan, "Khối trưởng", "Hà", "1")
	if rows := tables["ket-qua.csv"]; !hasRow(rows, "Cả năm", "2026-11-30", ctd, "1", "Hiến 2.000 đơn vị máu", "2.000 đơn vị", "2100", "đơn vị", "105%", "nộp muộn", "2026-12-01", "John", "", "0") {
		t.Fatalf("ket-qua.csv of 2026:\n%q", rows)
	}
	if rows := tables["cham-diem.csv"]; !hasRow(rows, doan, "1", "", "Tổng cộng", "100", "98,5", "", "98", "", "Cờ thi đua của Chính phủ") {
		t.Fatalf("cham-diem.csv of 2026:\n%q", rows)
	}
	h.say(h.group, reps[0], "/xuatfile")
	_, tables = w.exported(2027)
	if rows := tables["dang-ky.csv"]; len(rows) != 8 || !hasRow(rows, mttq, "", "(chưa đăng ký nội dung)", "", "", "", "", "chưa gửi") {
		t.Fatalf("dang-ky.csv of 2027:\n%q", rows)
	}

	expect(t, h.say(h.group, reps[0], "/units").Text, "năm 2027", "Khối trưởng: Hội Nông dân tỉnh · Khối phó: Liên đoàn Lao động tỉnh",
		"3. Hội Nông dân tỉnh — ⭐ Khối trưởng\n   Đầu mối: Chi, Lan (lan_nd)")
	w.unchanged(reps[0], "/dsdangky", "Đăng ký thi đua năm 2027 — Ủy ban MTTQ Việt Nam tỉnh", "Chưa có nội dung nào. Đăng ký thi đua chưa mở", "/openreg")
	w.unchanged(reps[0], "/dangky Tổ chức 12 hội nghị | 12 hội nghị", "Đăng ký thi đua chưa mở")
	w.unchanged(reps[0], "/tieuchi", "1. Công tác tuyên truyền, vận động — tối đa 10 điểm", "Tổng điểm tối đa: 100")
	w.unchanged(reps[0], "/bangdiem", "BẢNG ĐIỂM THI ĐUA NĂM 2027", "Chưa đơn vị nào được chấm điểm năm 2027", "/selfscore", "/score #số")
	w.unchanged(reps[0], "/khenthuong", "Khối chưa có đề nghị khen thưởng nào năm 2027.")
	w.unchanged(reps[0], "/tiendo", "TIẾN ĐỘ THI ĐUA NĂM 2027", "Chưa có kỳ báo cáo nào")
	w.unchanged(reps[0], "/ketqua", "Chưa có cuộc bầu nào", "Biên bản kiểm phiếu các cuộc bầu năm 2026 (Khối trưởng, Khối phó năm 2027): /result 2026")
	w.unchanged(reps[0], "/ketqua khoitruong 2026", "📋 Biên bản kiểm phiếu — bầu Khối trưởng năm 2027\n", "— vòng 2 (bầu lại)",
		"🎉 Hội Nông dân tỉnh trúng cử Khối trưởng năm 2027 với 4/6 phiếu.")
	w.unchanged(reps[6], "/result deputy 2026", "Counting record — election of the deputy for 2027", "Hà decided (29/11/2026 08:30): Liên đoàn Lao động tỉnh is elected deputy for 2027")
	deadlines := w.unchanged(reps[0], "/dshan", "• Hoàn thành toàn diện các chỉ tiêu năm 2027 — 30/11/2027 17:00 (còn 363 ngày)")
	if strings.Contains(deadlines, "2026") {
		t.Fatalf("/deadlines of 2027 lists deadlines of 2026: %s", deadlines)
	}
	expect(t, h.say(h.group, reps[0], "/lichsu 3").Text, "Hà: đặt Khối trưởng [Hội Nông dân tỉnh]: «Tỉnh Đoàn» → «Hội Nông dân tỉnh»",
		"Hà: đặt Khối phó [Liên đoàn Lao động tỉnh]: «Ủy ban MTTQ Việt Nam tỉnh» → «Liên đoàn Lao động tỉnh»",
		"Hà: chuyển khối sang năm thi đua mới: «2026» → «2027»")

	// 03/12: the new leader's representative tries to turn again; the old one no longer can.
	w.on(12, 3, 9, 0)
	w.unchanged(reps[2], "/nammoi", "Năm thi đua 2027 chưa kết thúc: khối chuyển sang năm 2028 được từ ngày 01/12/2027")
	w.unchanged(reps[5], "/nammoi", "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")
}
