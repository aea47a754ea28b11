package handlers_test

import (
	"slices"
	"strings"
	"testing"

	"thiduabot/telegramtest"
)

// conferenceDay is the cast of the walkthrough of the week of the year-end
// conference (see TestConferenceDayWalkthrough): the year-end
// walkthrough's block and people (walk, set up by setUpYear: Tỉnh Đoàn
// leading with Hà, the MTTQ deputy with An, Chi and Lan for Hội Nông dân
// tỉnh, John of the Red Cross in English).
type conferenceDay struct {
	*walk
}

// says sends text as user in the group and returns the bot's answer,
// failing unless it holds every want.
func (c *conferenceDay) says(user *telegramtest.User, text string, want ...string) string {
	c.t.Helper()
	m := c.say(c.group, user, text)
	expect(c.t, m.Text, want...)
	return m.Text
}

// english fails unless text, an answer to John, is English but for the
// data the block's people typed and the others given (see notEnglish), and
// returns it.
func (c *conferenceDay) english(text string, others ...string) string {
	c.t.Helper()
	b := c.block()
	if b.Year != 2026 {
		past, err := c.store.ArchivedYear(c.t.Context(), b.ID, 2026)
		if err != nil {
			c.t.Fatal(err)
		}
		b = past
	}
	typed := append(blockTexts(b), append([]string{cutAchievement}, others...)...)
	if problem := notEnglish(text, typed); problem != "" {
		c.t.Fatalf("John's answer is not English: %s\n%s", problem, text)
	}
	return text
}

// TestConferenceDayWalkthrough plays the week of the block's year-end
// conference, from 28/11 to 05/12/2026, with the features of the year's
// end together: the last reports, one with a typo (500 for a target of 50
// nhà) warned of and corrected, a step-by-step draft of one
// representative met by another's; own scores copied from paper sheets
// with their total line, one total mistyped, one sheet pasted twice, one
// copied with its column of maximum points; the outstanding individuals
// each unit nominates, positions that read either way, the 40% share
// short and made up, a nominee withdrawn; the election of next year's
// leader and deputy by secret ballot at the conference; the agreed scores,
// the ranking and the award proposals, some sent twice; the export for the
// minutes; and the turn to 2027 on 05/12 with the finished year's views,
// alike in /scores, /award, /exemplars and the export. John's answers are
// English throughout.
func TestConferenceDayWalkthrough(t *testing.T) {
	c := &conferenceDay{walk: &walk{harness: newHarness(t)}}
	c.setUpYear()
	c.lastReports()
	c.ownScores()
	c.nominations()
	c.elect()
	c.agree()
	c.propose()
	c.minutes()
	c.turn()
}

// lastReports plays 28/11 to 30/11: four units send the year's report on
// the weekend, one first copying its table's row with the target before
// the result, refused; on 30/11 Chi types 500 for the 50 houses, is
// warned, and the unit corrects it: Lan, on her phone, step by step, while
// Chi, at her desk, starts a draft too and is asked first; John's typo is
// corrected in one message, in English; the last unit reports in the
// afternoon.
func (c *conferenceDay) lastReports() {
	c.t.Helper()
	h, t, reps, chi, lan, john := c.harness, c.t, c.reps, c.reps[2], c.lan, c.reps[6]
	c.on(11, 28, 20, 0)
	// Bình copies his report's table, whose target column comes before
	// the result: the bot must not take the target for the result.
	c.unchanged(reps[1], "/baocao Cả năm\n1 500 520", "Sau số thứ tự nội dung có hai số, như một dòng chép từ bảng có cột chỉ tiêu",
		"Cú pháp: /report")
	for i, r := range []string{"1 12 đã tổ chức đủ", "1 520", "", "", "1 120", "1 40"} {
		if r != "" {
			c.says(reps[i], "/baocao Cả năm\n"+r, "📊 Đã ghi báo cáo kỳ Cả năm")
		}
	}
	nongDanID := c.unitID(nongDan)
	year, _ := h.block().FindPeriod("Cả năm")

	// 30/11, the last day: 500 typed for 50 houses is recorded as sent,
	// and warned of once.
	c.on(11, 30, 9, 0)
	sent := c.says(chi, "/baocao Cả năm\n1 500 đã khởi công 5 nhà\n2 1.250",
		"📊 Đã ghi báo cáo kỳ Cả năm của Hội Nông dân tỉnh (Chi, 30/11/2026 09:00).", "1. 500 nhà / 50 nhà (trên 999%)",
		"⚠️ Kiểm tra lại, có thể gõ nhầm — giá trị vượt xa chỉ tiêu: 1. 500 nhà (chỉ tiêu 50 nhà). Báo cáo đã được ghi như đã gửi; nếu nhầm, gửi lại cả báo cáo: /report Cả năm, mỗi dòng một nội dung.")
	if strings.Count(sent, "⚠️") != 1 {
		t.Fatalf("the typo is warned of more than once:\n%s", sent)
	}
	if r, _ := h.block().Report(nongDanID, year.ID); r.Entries[0].Value != 500 {
		t.Fatalf("the report was not recorded as sent: %+v", r.Entries)
	}

	// Lan sees the warning and corrects it on her phone, step by step; she
	// answers the first pledge and is called away.
	c.on(11, 30, 9, 15)
	draft := h.say(h.group, lan, "/baocao Cả năm")
	expect(t, draft.Text, "Lan đang nhập", "Nội dung 1/2: Vận động xây 50 nhà đại đoàn kết", "Báo cáo gần nhất (kỳ Cả năm): 500 nhà / 50 nhà (trên 999%)")
	c.pressed(lan, draft, "100%")
	// Chi starts one too: she is asked first, told whose draft it is, and
	// leaves it to Lan.
	c.on(11, 30, 9, 20)
	before := h.block().Version
	ask := h.say(h.group, chi, "/baocao Cả năm")
	expect(t, ask.Text, "✋ Lan đang nhập báo cáo kỳ Cả năm của Hội Nông dân tỉnh (bắt đầu 30/11/2026 09:15), đã nhập 1/2 nội dung, chưa gửi.",
		"Nhập mới thì lần nhập đó bị bỏ cùng các giá trị Lan chưa gửi. Chỉ Chi bấm được các nút dưới đây.")
	if h.block().Version != before {
		t.Fatal("the question changed the block")
	}
	c.pressed(chi, ask, "✖️ Để nguyên")
	expect(t, h.message(ask.ID).Text, "✖️ Đã để nguyên lần nhập báo cáo kỳ Cả năm của Hội Nông dân tỉnh; không có gì thay đổi.")
	// Lan goes on: the second pledge kept, the summary without a warning,
	// sent.
	c.on(11, 30, 9, 40)
	c.pressed(lan, h.message(draft.ID), "Giữ nguyên ▶️")
	summary := h.message(draft.ID)
	expect(t, summary.Text, "Kiểm tra lại rồi bấm Gửi báo cáo:")
	if strings.Contains(summary.Text, "⚠️") {
		t.Fatalf("the corrected draft is warned of:\n%s", summary.Text)
	}
	c.pressed(lan, summary, "✅ Gửi báo cáo")
	expect(t, h.message(draft.ID).Text, "Hội Nông dân tỉnh", "Thay cho báo cáo lần 1 của Chi gửi 30/11/2026 09:00", "1. 100% của 50 nhà\n")
	if r, _ := h.block().Report(nongDanID, year.ID); !r.Entries[0].OfTarget || r.Entries[0].Value != 100 || r.Entries[1].Value != 1250 || r.Submitted.UserID != lan.ID {
		t.Fatalf("the corrected report: %+v by %+v", r.Entries, r.Submitted)
	}
	if ds := h.block().Results.Drafts; len(ds) != 0 {
		t.Fatalf("drafts left: %+v", ds)
	}

	// John's typo, in English, corrected in one message.
	c.on(11, 30, 16, 0)
	c.english(c.says(john, "/report Cả năm\n1 20000", "⚠️ Check these, maybe typos — values far above the target: 1. 20.000 đơn vị (target 2.000 đơn vị)."))
	fixed := c.english(c.says(john, "/report Cả năm\n1 2.000", "Recorded the report of Cả năm for Hội Chữ thập đỏ tỉnh", "1. 2.000 đơn vị / 2.000 đơn vị (100%)"))
	if strings.Contains(fixed, "⚠️") {
		t.Fatalf("the corrected report is warned of:\n%s", fixed)
	}
	c.says(reps[3], "/baocao Cả năm\n1 30", "📊 Đã ghi báo cáo kỳ Cả năm của Liên đoàn Lao động tỉnh")
	c.unchanged(reps[5], "/tiendo", "2. Cả năm (hạn 30/11/2026): ✅ 7")
}

// ownScores plays 01/12: the units copy their scoring sheets, which end
// with a total line: Chi's adds up; An's total is mistyped, refused with
// both figures, then corrected; An, unsure it went through, pastes the
// sheet again, which changes nothing and is told so; Bình's rows, copied
// with the column of maximum points, are refused; John's, in English.
func (c *conferenceDay) ownScores() {
	c.t.Helper()
	h, t, reps, chi, an, john := c.harness, c.t, c.reps, c.reps[2], c.reps[0], c.reps[6]
	c.on(12, 1, 8, 30)
	c.says(chi, "/tucham\n1 9,5\n2 28\n3 57\nTổng 94,5",
		"✅ Đã ghi điểm tự chấm của Hội Nông dân tỉnh (bởi Chi). ✓ Khớp dòng tổng 94,5 điểm.", "Tổng: tự chấm 94,5 · bình xét —")
	sheet := "/tucham\n1 9,5 điểm\n2 28 điểm\n3 57,5 điểm\n"
	c.unchanged(an, sheet+"Tổng cộng: 96 điểm", "Dòng tổng ghi 96 điểm nhưng điểm các tiêu chí cộng lại là 95 điểm (3/3 tiêu chí).",
		"Kiểm tra lại điểm từng dòng và dòng tổng; chưa ghi gì.")
	c.on(12, 1, 8, 40)
	c.says(an, sheet+"Tổng cộng: 95 điểm", "✅ Đã ghi điểm tự chấm của Ủy ban MTTQ Việt Nam tỉnh (bởi An). ✓ Khớp dòng tổng 95 điểm.", "Tổng: tự chấm 95 · bình xét —")
	// The same sheet again: nothing changes, and the answer says so, with
	// who recorded the scores and when, rather than «recorded» again.
	c.on(12, 1, 8, 50)
	again := c.unchanged(an, sheet+"Tổng cộng: 95 điểm",
		"☑️ Điểm tự chấm của Ủy ban MTTQ Việt Nam tỉnh vẫn như đã ghi (An, 01/12/2026 08:40); không có gì thay đổi. ✓ Khớp dòng tổng 95 điểm.",
		"Tổng: tự chấm 95 · bình xét —")
	if strings.Contains(again, "✅") {
		t.Fatalf("the same sheet again is answered as recorded:\n%s", again)
	}
	if s := h.block().ScoreOf(c.unitID(mttq)); s.SelfBy.At.In(hcm).Minute() != 40 || len(s.Self) != 3 || s.Self[2].Points != 57.5 {
		t.Fatalf("the MTTQ's own scores: %+v by %+v", s.Self, s.SelfBy)
	}
	// Bình copies the rows of his sheet's table, whose column of maximum
	// points comes before the points given: the bot must not take the
	// maximum for the points and the points for a note.
	c.unchanged(reps[1], "/tucham\n1 10 9\n2 30 27\n3 60 54", "Dòng 1 («1 10 9»): Sau số tiêu chí có hai số, như một dòng chép từ bảng có cột điểm tối đa",
		"Chưa lưu dòng nào")
	if s := h.block().ScoreOf(c.unitID(ccb)); len(s.Self) != 0 {
		t.Fatalf("the veterans' scores from a table's rows: %+v", s.Self)
	}
	for i, s := range []string{"", "1 9\n2 27\n3 54", "", "1 9\n2 28\n3 56", "1 9\n2 28\n3 57", "1 10\n2 29,5\n3 59"} {
		if s != "" {
			c.says(reps[i], "/tucham\n"+s, "✅ Đã ghi điểm tự chấm")
		}
	}
	c.english(c.says(john, "/selfscore\n1 9.5\n2 27\n3 55\nTotal: 91.5", "✅ Recorded the scores Hội Chữ thập đỏ tỉnh gave itself (by John). ✓ Matches the total line, 91,5 points."))
	c.english(c.unchanged(john, "/selfscore\n1 9.5\n2 27\n3 55", "☑️ The scores Hội Chữ thập đỏ tỉnh gave itself are as recorded (John, 01/12/2026 08:50); nothing changed."))
	c.english(c.unchanged(john, "/selfscore\n1 10 9.5", "The criterion's number is followed by two numbers"))
	// The history has An's scores once.
	if hist := c.unchanged(an, "/lichsu #1 2", "01/12/2026 08:40 — An: tự chấm điểm thi đua [Ủy ban MTTQ Việt Nam tỉnh]: «95 điểm (3/3 tiêu chí) — 1: 9,5; 2: 28; 3: 57,5»"); strings.Count(hist, "tự chấm điểm thi đua") != 1 {
		t.Fatalf("the history of the MTTQ's own scores:\n%s", hist)
	}
}

// nominations plays 01/12 and 02/12: each unit nominates its outstanding
// individuals, some positions reading either way (Phó Chủ tịch Hội cơ sở,
// Chuyên viên, Trưởng thôn, Bí thư Chi đoàn: the bot says the grass-roots
// posts are uncertain); Hà checks the 40% share, confirms her unit's Bí
// thư Chi đoàn, still short, and asks Hội Nông dân
// tỉnh, whose three all hold posts, to add people without one; a nominee
// of the veterans withdrawn.
func (c *conferenceDay) nominations() {
	c.t.Helper()
	h, t, reps, chi, ha, john := c.harness, c.t, c.reps, c.reps[2], c.reps[5], c.reps[6]
	c.on(12, 1, 14, 0)
	c.says(reps[0], "/dienhinh\nLê Văn Cường | Trưởng thôn Bản Phố | Hoà giải thành 12 vụ việc\nTrần Thị Bích | Chuyên viên Ban Phong trào\nĐinh Văn Hải | Phó Chủ tịch Ủy ban MTTQ huyện Bát Xát",
		"✅ Đã ghi 3 người của Ủy ban MTTQ Việt Nam tỉnh (bởi An):",
		"1.1. ★ Lê Văn Cường — Trưởng thôn Bản Phố ⚠️\n    → không giữ chức vụ lãnh đạo, quản lý (theo chức vụ, chưa chắc) · mới\n    Hoà giải thành 12 vụ việc",
		"1.3. Đinh Văn Hải — Phó Chủ tịch Ủy ban MTTQ huyện Bát Xát\n    → giữ chức vụ lãnh đạo, quản lý (theo chức vụ) · mới",
		"⚠️ Chưa chắc: chức vụ ở cơ sở", "gửi lại (bỏ bớt người không cần sửa):\n/exemplars\nLê Văn Cường | Trưởng thôn Bản Phố | Hoà giải thành 12 vụ việc | lãnh đạo\n",
		"Cả khối: 2/3 người không giữ chức vụ lãnh đạo, quản lý (67% — đạt mục tiêu 40%). Danh sách: /exemplars.")
	c.says(reps[1], "/dienhinh\n- Phạm Văn Hùng | Chủ tịch Hội CCB huyện Bảo Thắng | Vận động xây dựng quỹ 2 tỷ đồng\n- Hoàng Văn Minh | Phó Chủ tịch Hội cơ sở | 10 năm liền hoàn thành xuất sắc nhiệm vụ\n- Nông Văn Sáng | Chi hội trưởng Chi hội CCB thôn Làng Mới",
		"2.2. Hoàng Văn Minh — Phó Chủ tịch Hội cơ sở\n    → giữ chức vụ lãnh đạo, quản lý (theo chức vụ) · mới", "2.3. ★ Nông Văn Sáng")
	c.says(chi, "/dienhinh\nVàng Thị Mai | Chủ tịch Hội Nông dân xã Bản Lầu | Mô hình nuôi cá lồng\nLò Văn Tâm | Phó Chủ tịch Hội Nông dân huyện Mường Khương\nSùng A Páo | Trưởng ban Kiểm tra",
		"✅ Đã ghi 3 người của Hội Nông dân tỉnh (bởi Chi):", "Cả khối: 3/9 người không giữ chức vụ lãnh đạo, quản lý (33% — chưa đạt mục tiêu 40%: cần thêm 1 người không giữ chức vụ lãnh đạo, quản lý).")
	c.says(reps[3], "/dienhinh\nĐặng Văn Tuấn | Công nhân Công ty CP Apatit Việt Nam | 5 sáng kiến cải tiến kỹ thuật\nLý Thị Hoa | Chủ tịch Công đoàn cơ sở", "4.1. ★ Đặng Văn Tuấn", "4.2. Lý Thị Hoa")
	c.says(reps[4], "/dienhinh\nNguyễn Thị Hạnh | Chủ tịch Hội LHPN xã Cốc San\nTrần Thị Lan | Phó Chủ tịch Hội LHPN huyện Sa Pa\n"+longNominee,
		"✅ Đã ghi 3 người của Hội Liên hiệp Phụ nữ tỉnh (bởi Giang):", "5.3. Hoàng Thị Phương Thảo Nguyên — Ủy viên Ban Thường vụ")
	c.says(ha, "/dienhinh\nBùi Thị Hà | Bí thư Chi đoàn\nNguyễn Văn Long | Đoàn viên, thanh niên tình nguyện | 300 ngày công tình nguyện",
		"6.1. ★ Bùi Thị Hà — Bí thư Chi đoàn ⚠️\n    → không giữ chức vụ lãnh đạo, quản lý (theo chức vụ, chưa chắc) · mới", "6.2. ★ Nguyễn Văn Long")
	c.english(c.says(john, "/exemplars\nGiàng A Lử | Tình nguyện viên | Hiến máu 30 lần\nMa Thị Thu | Chủ tịch Hội Chữ thập đỏ xã Bản Vược",
		"✅ Recorded 2 people of Hội Chữ thập đỏ tỉnh (by John):", "7.1. ★ Giàng A Lử — Tình nguyện viên\n    → holds no leadership or management post (from the position) · new",
		"The block: 7/18 not holding a leadership or management post (39% — short of the 40% aim: 1 more person without one would reach it). The list: /exemplars."))

	// 02/12: Hà checks the list. Her unit's Bí thư Chi đoàn is a young
	// worker's part-time post, as the bot read it, uncertain: she marks it
	// so, which leaves the block one person short.
	c.on(12, 2, 9, 0)
	c.unchanged(ha, "/dienhinh", "🌟 CÁ NHÂN ĐIỂN HÌNH TIÊN TIẾN NĂM 2026\nKhối thi đua MTTQ và các đoàn thể tỉnh Lào Cai\n"+
		"18 người được đề nghị; 7/18 người không giữ chức vụ lãnh đạo, quản lý (39% — chưa đạt mục tiêu 40%: cần thêm 1 người không giữ chức vụ lãnh đạo, quản lý).",
		"\n\n3. Hội Nông dân tỉnh — 3 người\n3.1. Vàng Thị Mai — Chủ tịch Hội Nông dân xã Bản Lầu\n    Mô hình nuôi cá lồng\n3.2. Lò Văn Tâm",
		"\n\n★ không giữ chức vụ lãnh đạo, quản lý.\n⚠️ chức vụ ở cơ sở: xếp theo chức vụ, chưa chắc.")
	c.says(ha, "/dienhinh\nBùi Thị Hà | Bí thư Chi đoàn | | không lãnh đạo",
		"6.1. ★ Bùi Thị Hà — Bí thư Chi đoàn\n    → không giữ chức vụ lãnh đạo, quản lý (đã ghi rõ) · cập nhật",
		"Cả khối: 7/18 người không giữ chức vụ lãnh đạo, quản lý (39% — chưa đạt mục tiêu 40%: cần thêm 1 người không giữ chức vụ lãnh đạo, quản lý).")
	// Asked in the group, Hội Nông dân tỉnh adds a farmer.
	c.on(12, 2, 10, 0)
	c.says(c.lan, "/dienhinh\nHà Văn Khánh | Hội viên, chủ trang trại | Tạo việc làm cho 25 lao động địa phương",
		"✅ Đã ghi 1 người của Hội Nông dân tỉnh (bởi Lan):", "3.4. ★ Hà Văn Khánh — Hội viên, chủ trang trại",
		"Cả khối: 8/19 người không giữ chức vụ lãnh đạo, quản lý (42% — đạt mục tiêu 40%).")
	// The veterans withdraw Hoàng Văn Minh; the one after him moves up a
	// number, which the answer says, since the list on the screen still
	// shows him as 2.3.
	c.on(12, 2, 15, 0)
	c.says(reps[1], "/dienhinh xoá 2.2",
		"🗑 Đã bỏ Hoàng Văn Minh (Phó Chủ tịch Hội cơ sở) khỏi danh sách cá nhân điển hình tiên tiến của Hội Cựu chiến binh tỉnh (bởi Bình).\n"+
			"Số thứ tự mới của những người xếp sau: 2.2 Nông Văn Sáng.\n"+
			"Cả khối: 8/18 người không giữ chức vụ lãnh đạo, quản lý (44% — đạt mục tiêu 40%).")
	// John withdraws his unit's last: nobody moves up, and nothing says so.
	c.english(c.says(john, "/exemplars remove 2", "🗑 Removed Ma Thị Thu (Chủ tịch Hội Chữ thập đỏ xã Bản Vược) from the outstanding individuals of Hội Chữ thập đỏ tỉnh (by John).\n"+
		"The block: 8/17 not holding a leadership or management post (47% — the 40% aim is met)."), "Ma Thị Thu", "Chủ tịch Hội Chữ thập đỏ xã Bản Vược")
	c.says(john, "/exemplars\nMa Thị Thu | Chủ tịch Hội Chữ thập đỏ xã Bản Vược", "7.2. Ma Thị Thu", "· new")
	b := h.block()
	if es := b.ExemplarsOf(c.unitID(ccb)); len(es) != 2 || es[1].Name != "Nông Văn Sáng" {
		t.Fatalf("the veterans' nominees: %+v", es)
	}
	if tally := b.ExemplarTally(); tally.Total != 18 || tally.NonLeaders != 8 {
		t.Fatalf("the tally: %+v", tally)
	}
}

// cutAchievement is longNominee's achievement as the list shows it, cut
// between words.
const cutAchievement = "Chủ trì mô hình «Phụ nữ khởi nghiệp», hỗ trợ 120 hồ sơ vay vốn với tổng dư nợ 18,5 tỷ đồng; vận…"

// longNominee is a nomination line as long as a real one can be: a long
// name, a position with several titles, and an achievement with commas
// and quotation marks, for the list and the export to keep whole.
const longNominee = "Hoàng Thị Phương Thảo Nguyên | Ủy viên Ban Thường vụ, Trưởng Ban Tuyên giáo Hội Liên hiệp Phụ nữ tỉnh kiêm Chủ nhiệm Câu lạc bộ Nữ doanh nhân | " +
	"Chủ trì mô hình «Phụ nữ khởi nghiệp», hỗ trợ 120 hồ sơ vay vốn với tổng dư nợ 18,5 tỷ đồng; vận động \"Nuôi con nuôi\" cho 46 trẻ mồ côi; tổ chức 35 lớp tập huấn kỹ năng số cho hội viên vùng cao"

// elect elects, on the conference's morning, 03/12, next year's leader and
// deputy by secret ballot: every unit votes, John in English, and each
// election closes with the last vote; until then the ballot shows who has
// voted, not for whom.
func (c *conferenceDay) elect() {
	c.t.Helper()
	h, t, reps, ha, john := c.harness, c.t, c.reps, c.reps[5], c.reps[6]
	c.on(12, 3, 8, 0)
	ballot := h.say(h.group, ha, "/bau khoitruong | đóng: 03/12/2026 11:00")
	expect(t, ballot.Text, "🗳 Bầu Khối trưởng năm 2027", "🔒 Bỏ phiếu kín", "⏰ Kết thúc: 03/12/2026 11:00", "Đã bỏ phiếu: 0/7 đơn vị")
	h.votes(reps, nongDan, nongDan, ldld, nongDan, nongDan, nongDan)
	// /result posts the ballot again, at the foot of the chat.
	shown := c.says(reps[0], "/ketqua", "Đã bỏ phiếu: 6/7 đơn vị", "✅ Tỉnh Đoàn")
	if tallyRE.MatchString(shown) {
		t.Fatalf("the secret ballot shows a tally: %s", shown)
	}
	expect(t, h.vote(john, ldld).Text, "Hội Chữ thập đỏ tỉnh")
	result := h.tg.Messages(h.group.ID)
	expect(t, result[len(result)-1].Text, "🗳 Kết quả bầu Khối trưởng năm 2027", "Số đơn vị bỏ phiếu: 7/7 (cần ít nhất 4): đủ",
		"• Hội Nông dân tỉnh: 5 phiếu\n• Liên đoàn Lao động tỉnh: 2 phiếu", "🎉 Hội Nông dân tỉnh trúng cử Khối trưởng năm 2027 với 5/7 phiếu.")

	c.on(12, 3, 8, 20)
	ballot = h.say(h.group, ha, "/bau khoipho | đóng: 03/12/2026 11:00")
	expect(t, ballot.Text, "🗳 Bầu Khối phó năm 2027", "🔒 Bỏ phiếu kín")
	h.votes(reps, ldld, ldld, ldld, mttq, ldld, ldld, mttq)
	result = h.tg.Messages(h.group.ID)
	expect(t, result[len(result)-1].Text, "🗳 Kết quả bầu Khối phó năm 2027", "🎉 Liên đoàn Lao động tỉnh trúng cử Khối phó năm 2027 với 5/7 phiếu.")
	c.english(c.unchanged(john, "/result deputy", "📋 Counting record — election of the deputy for 2027", "Secret ballot",
		"🎉 Liên đoàn Lao động tỉnh is elected deputy for 2027 with 5/7 votes."))
	c.elected(nongDan, ldld)
}

// agree records the scores the conference agrees on, from 09:00: one
// sheet with its total mistyped, refused, then right; one sent again as
// it is, which changes nothing; then the ranking, alike for everyone.
func (c *conferenceDay) agree() {
	c.t.Helper()
	h, t, reps, ha, john := c.harness, c.t, c.reps, c.reps[5], c.reps[6]
	c.on(12, 3, 9, 0)
	for _, s := range []string{"#1\n1 9,5\n2 28\n3 57", "#2\n1 9\n2 27\n3 54", "#3\n1 9,5\n2 28,5\n3 58\nTổng 96", "#4\n1 9\n2 28\n3 56", "#5\n1 9\n2 28\n3 57", "#6\n1 10\n2 29\n3 59"} {
		c.says(ha, "/chamdiem "+s, "✅ Đã ghi điểm bình xét của", "(bởi Hà)")
	}
	c.unchanged(ha, "/chamdiem #7\n1 9,5\n2 27\n3 55\nTổng 92,5", "Dòng tổng ghi 92,5 điểm nhưng điểm các tiêu chí cộng lại là 91,5 điểm (3/3 tiêu chí).")
	c.says(ha, "/chamdiem #7\n1 9,5\n2 27\n3 55\nTổng 91,5", "✅ Đã ghi điểm bình xét của Hội Chữ thập đỏ tỉnh (bởi Hà). ✓ Khớp dòng tổng 91,5 điểm.")
	// Hà sends Hội Nông dân tỉnh's again as she reads it out: nothing
	// changes, and the answer says so.
	c.on(12, 3, 9, 30)
	c.unchanged(ha, "/chamdiem #3\n1 9,5\n2 28,5\n3 58\nTổng 96",
		"☑️ Điểm bình xét của Hội Nông dân tỉnh vẫn như đã ghi (Hà, 03/12/2026 09:00); không có gì thay đổi. ✓ Khớp dòng tổng 96 điểm.",
		"Tổng: tự chấm 94,5 · bình xét 96")

	board := c.unchanged(reps[1], "/bangdiem", "🏅 BẢNG ĐIỂM THI ĐUA NĂM 2026\nKhối thi đua MTTQ và các đoàn thể tỉnh Lào Cai — tối đa 100 điểm, 3 tiêu chí\n\n"+
		"1. Tỉnh Đoàn — bình xét 98 · tự chấm 98,5\n"+
		"2. Hội Nông dân tỉnh — bình xét 96 · tự chấm 94,5\n"+
		"3. Ủy ban MTTQ Việt Nam tỉnh — bình xét 94,5 · tự chấm 95\n"+
		"4. Hội Liên hiệp Phụ nữ tỉnh — bình xét 94 · tự chấm 94\n"+
		"5. Liên đoàn Lao động tỉnh — bình xét 93 · tự chấm 93\n"+
		"6. Hội Chữ thập đỏ tỉnh — bình xét 91,5 · tự chấm 91,5\n"+
		"7. Hội Cựu chiến binh tỉnh — bình xét 90 · tự chấm 90\n")
	if managers := h.say(h.group, ha, "/bangdiem").Text; managers != board {
		t.Fatalf("the manager's /scores differs from the representative's:\n%s\n---\n%s", managers, board)
	}
	c.english(c.unchanged(john, "/scores", "🏅 SCORES 2026", "6. Hội Chữ thập đỏ tỉnh — agreed 91,5 · own 91,5"))
}

// propose records the award proposals at 10:00: the Government flag for
// the first, the provincial flags for the next two, certificates of merit
// for three more; one sent again as it is changes nothing and says so.
func (c *conferenceDay) propose() {
	c.t.Helper()
	h, t, ha, john := c.harness, c.t, c.reps[5], c.reps[6]
	c.on(12, 3, 10, 0)
	c.says(ha, "/khenthuong Cờ thi đua của Chính phủ | Tỉnh Đoàn", "✅ Đã ghi đề nghị Cờ thi đua của Chính phủ cho 1 đơn vị (bởi Hà).")
	c.says(ha, "/khenthuong Cờ thi đua của UBND tỉnh | 3, 1", "Cờ thi đua của UBND tỉnh — 2 đơn vị\n• Hội Nông dân tỉnh — hạng 2 · bình xét 96\n• Ủy ban MTTQ Việt Nam tỉnh — hạng 3 · bình xét 94,5")
	list := c.says(ha, "/khenthuong Bằng khen của UBND tỉnh | 5, 4, 7", "✅ Đã ghi đề nghị Bằng khen của UBND tỉnh cho 3 đơn vị (bởi Hà).\n\n",
		"Bằng khen của UBND tỉnh — 3 đơn vị\n• Hội Liên hiệp Phụ nữ tỉnh — hạng 4 · bình xét 94\n• Liên đoàn Lao động tỉnh — hạng 5 · bình xét 93\n• Hội Chữ thập đỏ tỉnh — hạng 6 · bình xét 91,5")
	if strings.Contains(list, "⚠️") {
		t.Fatalf("a proposal of units all agreed on warns:\n%s", list)
	}
	// The provincial flags read out and sent again as they are.
	c.on(12, 3, 10, 10)
	again := c.unchanged(ha, "/khenthuong co thi dua cua ubnd tinh | 3, 1",
		"☑️ Đề nghị Cờ thi đua của UBND tỉnh vẫn như đã ghi (Hà, 03/12/2026 10:00); không có gì thay đổi.", "🎖 ĐỀ NGHỊ KHEN THƯỞNG NĂM 2026")
	if strings.Contains(again, "✅") {
		t.Fatalf("a proposal sent again as it is is answered as recorded:\n%s", again)
	}
	c.english(c.unchanged(john, "/award", "🎖 AWARD PROPOSALS 2026", "Cờ thi đua của UBND tỉnh — 2 units\n• Hội Nông dân tỉnh — rank 2 · agreed 96"))
	if hist := c.unchanged(ha, "/lichsu 4", "Hà: ghi đề nghị khen thưởng: «Bằng khen của UBND tỉnh: Hội Liên hiệp Phụ nữ tỉnh, Liên đoàn Lao động tỉnh, Hội Chữ thập đỏ tỉnh»"); strings.Count(hist, "Cờ thi đua của UBND tỉnh") != 1 {
		t.Fatalf("the history of the provincial flags:\n%s", hist)
	}
	if ps := h.block().Registration.Proposals; len(ps) != 3 || ps[1].By.At.In(hcm).Minute() != 0 {
		t.Fatalf("proposals stored: %+v", ps)
	}
}

// minutes exports the year at the conference's end, 03/12 11:00, for its
// minutes: the units with this year's offices and next year's elected;
// the ranking and proposals as /scores and /award gave them; the
// outstanding individuals as /exemplars lists them, with the share; the
// long nominee whole, diacritics, quotation marks and all, in the CSV.
func (c *conferenceDay) minutes() {
	c.t.Helper()
	t := c.t
	c.on(12, 3, 11, 0)
	c.says(c.reps[1], "/xuatfile", "Các bảng trên dạng CSV")
	f, tables := c.exported(2026)
	findRow(t, f, "Đơn vị", "3", nongDan, "Khối trưởng năm 2027 (đã bầu)", "Chi; Lan (@lan_nd)")
	for _, want := range [][]string{
		{"1", mttq, "Khối phó", "An", "1"},
		{"3", nongDan, "Khối trưởng năm 2027 (đã bầu)", "Chi; Lan (@lan_nd)", "2"},
		{"4", ldld, "Khối phó năm 2027 (đã bầu)", "Dũng", "1"},
		{"6", doan, "Khối trưởng", "Hà", "1"},
	} {
		if !hasRow(tables["don-vi.csv"], want...) {
			t.Fatalf("don-vi.csv has no row %q:\n%q", want, tables["don-vi.csv"])
		}
	}
	// The ranking and the proposals, as /scores and /award gave them.
	for _, want := range [][]string{
		{doan, "1", "", "Tổng cộng", "100", "98,5", "", "98", "", "Cờ thi đua của Chính phủ"},
		{nongDan, "2", "", "Tổng cộng", "100", "94,5", "", "96", "", "Cờ thi đua của UBND tỉnh"},
		{mttq, "3", "", "Tổng cộng", "100", "95", "", "94,5", "", "Cờ thi đua của UBND tỉnh"},
		{ctd, "6", "", "Tổng cộng", "100", "91,5", "", "91,5", "", "Bằng khen của UBND tỉnh"},
		{ccb, "7", "", "Tổng cộng", "100", "90", "", "90", "", ""},
	} {
		if !hasRow(tables["cham-diem.csv"], want...) {
			t.Fatalf("cham-diem.csv has no row %q:\n%q", want, tables["cham-diem.csv"])
		}
	}
	// The outstanding individuals, as /exemplars numbers them, with the
	// share it gives.
	people := tables["ca-nhan-dien-hinh.csv"]
	if len(people) != 20 || !slices.Equal(people[0], []string{"STT", "Đơn vị", "Số", "Họ và tên", "Chức vụ", "Giữ chức vụ lãnh đạo, quản lý", "Xếp loại theo", "Thành tích", "Người ghi", "Thời gian ghi"}) {
		t.Fatalf("ca-nhan-dien-hinh.csv:\n%q", people)
	}
	long := strings.Split(longNominee, " | ")
	for _, want := range [][]string{
		{"5", ccb, `="2.2"`, "Nông Văn Sáng", "Chi hội trưởng Chi hội CCB thôn Làng Mới", "Không", "chức vụ, chưa chắc", "", "Bình", "2026-12-01 14:00"},
		{"9", nongDan, `="3.4"`, "Hà Văn Khánh", "Hội viên, chủ trang trại", "Không", "chức vụ", "Tạo việc làm cho 25 lao động địa phương", "Lan", "2026-12-02 10:00"},
		{"14", phuNu, `="5.3"`, long[0], long[1], "Có", "chức vụ", long[2], "Giang", "2026-12-01 14:00"},
		{"15", doan, `="6.1"`, "Bùi Thị Hà", "Bí thư Chi đoàn", "Không", "ghi rõ", "", "Hà", "2026-12-02 09:00"},
		{"", "Tổng cộng", "", "18 người", "", "", "", "8/18 người không giữ chức vụ lãnh đạo, quản lý (44% — đạt mục tiêu 40%)", "", ""},
	} {
		if !hasRow(people, want...) {
			t.Fatalf("ca-nhan-dien-hinh.csv has no row %q:\n%q", want, people)
		}
	}
	findRow(t, f, "Cá nhân điển hình", "14", phuNu, "5.3", long[0], long[1], "Có", "chức vụ", long[2])
	c.unchanged(c.reps[0], "/dienhinh", "18 người được đề nghị; 8/18 người không giữ chức vụ lãnh đạo, quản lý (44% — đạt mục tiêu 40%).",
		"5. Hội Liên hiệp Phụ nữ tỉnh — 3 người\n5.1. Nguyễn Thị Hạnh")
}

// turn turns the block to 2027 on Saturday 05/12: the question warns of
// what the year leaves undone and points to the finished year's records;
// then the finished year's scores, proposals, outstanding individuals and
// export read as at the conference, the long achievement cut in the list
// between words, and the new year starts empty.
func (c *conferenceDay) turn() {
	c.t.Helper()
	h, t, reps, ha, john := c.harness, c.t, c.reps, c.reps[5], c.reps[6]
	c.on(12, 5, 9, 0)
	ask := h.say(h.group, ha, "/nammoi")
	expect(t, ask.Text, "Chuyển Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai sang năm thi đua 2027?",
		"Năm 2027: Khối trưởng Hội Nông dân tỉnh (đã bầu); Khối phó Liên đoàn Lao động tỉnh (đã bầu).",
		"Khép lại cùng năm 2026: đăng ký thi đua, giao ước, kỳ báo cáo và các báo cáo, điểm tự chấm và điểm bình xét, đề nghị khen thưởng, cá nhân điển hình tiên tiến, các cuộc bầu.",
		"cá nhân điển hình: /exemplars 2026",
		// setUpYear's Red Cross skipped the 9 months; every unit sent the
		// year's report and was agreed on.
		"\n\n⚠️ Chưa báo cáo kỳ 9 tháng: 1 đơn vị (Hội Chữ thập đỏ tỉnh). Sau khi chuyển năm không ghi thêm được.")
	c.pressed(ha, ask, "✅ Sang năm 2027")
	expect(t, h.message(ask.ID).Text, "🎊 Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai đã sang năm thi đua 2027 (bởi Hà).",
		"Khối trưởng: Hội Nông dân tỉnh · Khối phó: Liên đoàn Lao động tỉnh")
	b := h.block()
	if b.Year != 2027 || b.LeaderUnit != c.unitID(nongDan) || len(b.Registration.Exemplars) != 0 || len(b.Registration.Scores) != 0 || len(b.Registration.Proposals) != 0 {
		t.Fatalf("the block of 2027: year %d, leader %q, %d nominees, %d scores, %d proposals",
			b.Year, b.UnitName(b.LeaderUnit), len(b.Registration.Exemplars), len(b.Registration.Scores), len(b.Registration.Proposals))
	}

	// The finished year, as the conference left it.
	c.on(12, 5, 10, 0)
	c.unchanged(reps[0], "/bangdiem 2026", "🏅 BẢNG ĐIỂM THI ĐUA NĂM 2026\n", "2. Hội Nông dân tỉnh — bình xét 96 · tự chấm 94,5\n",
		"7. Hội Cựu chiến binh tỉnh — bình xét 90 · tự chấm 90\n", "Điểm từng tiêu chí: /export 2026",
		"🎖 Đề nghị khen thưởng (/award 2026)\n• Cờ thi đua của Chính phủ: Tỉnh Đoàn\n• Cờ thi đua của UBND tỉnh: Hội Nông dân tỉnh, Ủy ban MTTQ Việt Nam tỉnh\n")
	c.english(c.unchanged(john, "/award 2026", "🎖 AWARD PROPOSALS 2026", "Bằng khen của UBND tỉnh — 3 units\n• Hội Liên hiệp Phụ nữ tỉnh — rank 4 · agreed 94"))
	list := c.unchanged(reps[0], "/dienhinh 2026", "🌟 CÁ NHÂN ĐIỂN HÌNH TIÊN TIẾN NĂM 2026\nKhối thi đua MTTQ và các đoàn thể tỉnh Lào Cai\n"+
		"18 người được đề nghị; 8/18 người không giữ chức vụ lãnh đạo, quản lý (44% — đạt mục tiêu 40%).",
		"5.3. Hoàng Thị Phương Thảo Nguyên — Ủy viên Ban Thường vụ, Trưởng Ban Tuyên giáo Hội Liên hiệp Phụ nữ tỉnh kiêm Chủ nhiệm Câu lạc bộ Nữ doanh nhân\n    "+cutAchievement+"\n")
	if strings.Contains(list, "Chưa đề nghị") || strings.Contains(list, "/exemplars xoá") {
		t.Fatalf("the finished year's list says what to do:\n%s", list)
	}
	c.english(c.unchanged(john, "/exemplars 2026", "🌟 OUTSTANDING INDIVIDUALS 2026", "18 people nominated; 8/18 not holding a leadership or management post (44% — the 40% aim is met)."))
	c.unchanged(reps[0], "/dienhinh", "Chưa có cá nhân điển hình tiên tiến nào được đề nghị năm 2027.")
	c.unchanged(reps[0], "/bangdiem", "BẢNG ĐIỂM THI ĐUA NĂM 2027", "Chưa đơn vị nào được chấm điểm năm 2027")
	h.say(h.group, john, "/export 2026")
	_, tables := c.exported(2026)
	if rows := tables["ca-nhan-dien-hinh.csv"]; !hasRow(rows, "", "Tổng cộng", "", "18 người", "", "", "", "8/18 người không giữ chức vụ lãnh đạo, quản lý (44% — đạt mục tiêu 40%)", "", "") {
		t.Fatalf("ca-nhan-dien-hinh.csv of 2026:\n%q", rows)
	}
	if rows := tables["don-vi.csv"]; !hasRow(rows, "3", nongDan, "Khối trưởng năm 2027 (đã bầu)", "Chi; Lan (@lan_nd)", "2") || !hasRow(rows, "6", doan, "Khối trưởng", "Hà", "1") {
		t.Fatalf("don-vi.csv of 2026:\n%q", rows)
	}
	if rows := tables["lich-su.csv"]; !hasRow(rows, "2026-12-02 15:00", "Bình", "bỏ cá nhân điển hình tiên tiến", ccb, "Hoàng Văn Minh | Phó Chủ tịch Hội cơ sở | 10 năm liền hoàn thành xuất sắc nhiệm vụ | lãnh đạo", "") {
		t.Fatalf("lich-su.csv of 2026:\n%q", rows)
	}
}
