package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	"thiduabot/thidua"
)

func TestDeadlineAddListDelete(t *testing.T) {
	h := newHarness(t) // now: Monday 2/3/2026 09:00
	lan, _ := withReps(h)

	m := h.say(h.group, lan, "/deadline 15/06/2026 | Nộp báo cáo 6 tháng")
	expect(t, m.Text, "chỉ quản trị viên nhóm")
	for _, tt := range []struct{ cmd, want string }{
		{"/deadline", "Cần ngày hạn và nội dung, ngăn cách bởi dấu |."},
		{"/deadline 15/06/2026 Nộp báo cáo", "Cần ngày hạn và nội dung"},
		{"/deadline 15/06/2026 |   ", "Cần ngày hạn và nội dung"},
		{"/deadline 31/02/2026 | Nộp báo cáo", "Ngày giờ «31/02/2026» không hợp lệ."},
		{"/deadline 15/13/2026 | Nộp báo cáo", "Ngày giờ «15/13/2026» không hợp lệ."},
		{"/deadline 15/06/2026 25:00 | Nộp báo cáo", "Ngày giờ «15/06/2026 25:00» không hợp lệ."},
		{"/deadline mai | Nộp báo cáo", "Ngày giờ «mai» không hợp lệ."},
		{"/deadline 01/03/2026 | Nộp báo cáo", "Thời điểm này đã qua"},
		{"/deadline 02/03/2026 08:00 | Nộp báo cáo", "Thời điểm này đã qua"},
		{"/deadline 15/06/2030 | Nộp báo cáo", "chỉ đặt được hạn trong vòng 2 năm tới"},
		{"/deadline 15/06/2026 | " + strings.Repeat("dài ", 60), "dài tối đa 200 ký tự"},
	} {
		m := h.say(h.group, h.admin, tt.cmd)
		expect(t, m.Text, tt.want)
		if strings.HasPrefix(tt.want, "Cần") || strings.HasPrefix(tt.want, "Ngày giờ") {
			expect(t, m.Text, "Cú pháp: /deadline <dd/mm/yyyy [HH:MM]> | <nội dung>", "Ví dụ: /deadline 15/06/2026 17:00 | Nộp báo cáo kết quả 6 tháng")
		}
	}
	if b := h.block(); len(b.Schedule.Custom) != 0 || b.Schedule.Zone != "" {
		t.Fatalf("bad input stored %+v", b.Schedule)
	}

	m = h.say(h.group, h.admin, "/deadline 15/06/2026 | Nộp báo cáo 6 tháng")
	expect(t, m.Text, "✅ Đã đặt hạn #1: Nộp báo cáo 6 tháng", "Hạn: 15/06/2026 17:00 (còn 105 ngày)", "/done 1")
	m = h.say(h.group, h.admin, "/hanchot 20/03 08:30 | Gửi danh sách <cá nhân> & tập thể")
	expect(t, m.Text, "Đã đặt hạn #2: Gửi danh sách <cá nhân> & tập thể", "Hạn: 20/03/2026 08:30 (còn 18 ngày)")
	b := h.block()
	if len(b.Schedule.Custom) != 2 || b.Schedule.Zone != "Asia/Ho_Chi_Minh" || !b.Custom(2).Due.Equal(at(3, 20, 8, 30)) || b.Custom(1).CreatedBy != h.admin.ID {
		t.Fatalf("stored %+v", b.Schedule)
	}

	m = h.say(h.group, lan, "/deadlines")
	expect(t, m.Text, "📅 Các hạn của khối",
		"#2 Gửi danh sách <cá nhân> & tập thể — 20/03/2026 08:30 (còn 18 ngày)\n   Chưa xong (7/7): Ủy ban MTTQ Việt Nam tỉnh, Hội Cựu chiến binh tỉnh",
		"#1 Nộp báo cáo 6 tháng — 15/06/2026 17:00 (còn 105 ngày)",
		"• Hoàn thành toàn diện các chỉ tiêu năm 2026 — 30/11/2026 17:00 (còn 273 ngày)",
		"Nhắc 7, 3, 1 ngày trước hạn và trong ngày hạn, lúc 08:00 (giờ Asia/Ho_Chi_Minh).",
		"Giờ yên lặng (không gửi): 21:00–07:00.", "Thứ Bảy, Chủ nhật: có nhắc.")
	if strings.Index(m.Text, "#2") > strings.Index(m.Text, "#1") {
		t.Fatalf("not in order of due time: %s", m.Text)
	}

	// Days left as the deadlines come and go.
	h.now = at(3, 20, 8, 0)
	expect(t, h.say(h.group, lan, "/dshan").Text, "20/03/2026 08:30 (hạn hôm nay)")
	h.now = at(3, 20, 9, 0)
	expect(t, h.say(h.group, lan, "/dshan").Text, "20/03/2026 08:30 (đã quá hạn)")
	h.now = at(3, 25, 9, 0)
	expect(t, h.say(h.group, lan, "/dshan").Text, "20/03/2026 08:30 (quá hạn 5 ngày)")
	h.now = at(3, 28, 9, 0)
	if m := h.say(h.group, lan, "/dshan"); strings.Contains(m.Text, "#2") {
		t.Fatalf("a deadline passed over a week ago is listed: %s", m.Text)
	}

	expect(t, h.say(h.group, lan, "/deldeadline 1").Text, "chỉ quản trị viên nhóm")
	expect(t, h.say(h.group, h.admin, "/deldeadline").Text, "Số hạn phải là một số nguyên dương", "Cú pháp: /deldeadline <số hạn>")
	expect(t, h.say(h.group, h.admin, "/deldeadline một").Text, "Số hạn phải là một số nguyên dương")
	expect(t, h.say(h.group, h.admin, "/deldeadline 7").Text, "Không có hạn số này")
	expect(t, h.say(h.group, h.admin, "/xoahan #2").Text, "🗑 Đã xoá hạn #2: Gửi danh sách <cá nhân> & tập thể.")
	expect(t, h.say(h.group, h.admin, "/deldeadline 2").Text, "Không có hạn số này")
	if b := h.block(); len(b.Schedule.Custom) != 1 || b.Custom(1) == nil {
		t.Fatalf("after delete %+v", b.Schedule.Custom)
	}
	expect(t, h.say(h.group, h.admin, "/history 3").Text, "Hùng (quản trị viên): đặt hạn: «#2 Gửi danh sách <cá nhân> & tập thể (20/03/2026 08:30)»",
		"Hùng (quản trị viên): xoá hạn: «#2 Gửi danh sách <cá nhân> & tập thể (20/03/2026 08:30)»")
}

func TestDeadlineDone(t *testing.T) {
	h := newHarness(t)
	lan, minh := withReps(h)
	h.say(h.group, h.admin, "/deadline 20/03/2026 | Báo cáo sơ kết")

	for _, tt := range []struct{ cmd, want string }{
		{"/done", "Số hạn phải là một số nguyên dương"},
		{"/done abc", "Số hạn phải là một số nguyên dương"},
		{"/done -1", "Số hạn phải là một số nguyên dương"},
		{"/done 9", "Không có hạn số này"},
		{"/done 1 Hội Phụ nữ Việt Nam", "Không tìm thấy đơn vị này"},
		{"/done 1 Tỉnh Đoàn", "Bạn chỉ báo hoàn thành được cho đơn vị của mình"},
	} {
		expect(t, h.say(h.group, lan, tt.cmd).Text, tt.want)
	}
	expect(t, h.say(h.group, lan, "/done").Text, "Cú pháp: /done <số hạn> [đơn vị]")
	stranger := h.member("Khách", "khach")
	expect(t, h.say(h.group, stranger, "/done 1").Text, "Bạn chưa là đầu mối của đơn vị nào")
	expect(t, h.say(h.group, h.admin, "/done 1").Text, "hãy nêu đơn vị sau số hạn")
	if d, _ := h.block().Deadline("custom:1", h.now); len(d.Owing) != 7 {
		t.Fatalf("bad input recorded something: %d units owe", len(d.Owing))
	}

	expect(t, h.say(h.group, lan, "/done 1").Text, "✅ Hội Nông dân tỉnh đã hoàn thành «Báo cáo sơ kết» (hạn #1).\nCòn 6/7 đơn vị chưa xong.")
	expect(t, h.say(h.group, lan, "/xong #1").Text, "Đơn vị này đã báo hoàn thành hạn này rồi")
	expect(t, h.say(h.group, h.admin, "/done 1 tinh doan").Text, "✅ Tỉnh Đoàn đã hoàn thành «Báo cáo sơ kết» (hạn #1).")
	expect(t, h.say(h.group, minh, "/done 1").Text, "Đơn vị này đã báo hoàn thành hạn này rồi")
	doneByAdmin(h, 1, "Hội Nông dân tỉnh", "Tỉnh Đoàn", "Hội Chữ thập đỏ tỉnh")
	h.now = at(3, 20, 17, 0) // the deadline's very minute: passed, as /deadlines says
	expect(t, h.say(h.group, h.admin, "/done 1 Hội Chữ thập đỏ tỉnh").Text,
		"✅ Hội Chữ thập đỏ tỉnh đã hoàn thành «Báo cáo sơ kết» (hạn #1).\n⏰ Xong sau hạn 20/03/2026 17:00.\n🎉 Tất cả đơn vị đã hoàn thành.")

	b := h.block()
	c := b.Custom(1)
	if len(c.Done) != 7 || c.Done[0].By != lan.ID || c.Done[1].By != h.admin.ID {
		t.Fatalf("done %+v", c.Done)
	}
	expect(t, h.say(h.group, lan, "/deadlines").Text, "✅ Tất cả đơn vị đã hoàn thành")
	expect(t, h.say(h.group, lan, "/history 20").Text, "Lan: báo đã hoàn thành [Hội Nông dân tỉnh]: «#1 Báo cáo sơ kết»",
		"Hùng (quản trị viên): báo đã hoàn thành [Tỉnh Đoàn]")
}

// TestRemindQuotesTheWordAsTyped checks that /remind, refusing a word it
// cannot read, quotes it as the person typed it, with its diacritics and
// case, not as the bot compares words (folded: «hang» for «hàng»), while it
// still reads its own words whatever their case and diacritics.
func TestRemindQuotesTheWordAsTyped(t *testing.T) {
	h := newHarness(t)
	withReps(h)
	for cmd, want := range map[string]string{
		"/nhacnho hàng ngày":              "Không hiểu «hàng».",
		"/nhacnho 7, 3 Sáng":              "Không hiểu «Sáng».",
		"/nhacnho cuối tuần Nghỉ":         "Sau «cuối tuần» ghi «có» hoặc «không», không phải «Nghỉ».",
		"/nhacnho yên lặng từ 21:00":      "Giờ yên lặng «từ» không hợp lệ",
		"/nhacnho Yên Lặng 22:00-06:00 x": "Không hiểu «x».",
	} {
		before := h.block().Version
		expect(t, h.say(h.group, h.admin, cmd).Text, want)
		if h.block().Version != before {
			t.Fatalf("%q changed the block", cmd)
		}
	}
	expect(t, h.say(h.group, h.admin, "/nhacnho Cuối Tuần KHÔNG yên lặng 22:00-06:30").Text, "Giờ yên lặng (không gửi): 22:00–06:30.", "Thứ Bảy, Chủ nhật: không nhắc")
	if s := h.block().Reminders(); s.Weekends || s.QuietFrom.String() != "22:00" {
		t.Fatalf("the settings stored: %+v", s)
	}
	// The same settings again change nothing, and the answer says so.
	before := h.block().Version
	expect(t, h.say(h.group, h.admin, "/nhacnho cuối tuần không").Text, "Cách nhắc hạn vẫn như cũ:", "Thứ Bảy, Chủ nhật: không nhắc")
	if h.block().Version != before {
		t.Fatal("settings as they were rewrote the block")
	}
}

func TestRemindSettings(t *testing.T) {
	h := newHarness(t)
	lan, _ := withReps(h)
	m := h.say(h.group, lan, "/remind")
	expect(t, m.Text, "⏰ Cách nhắc hạn của khối", "Nhắc 7, 3, 1 ngày trước hạn và trong ngày hạn, lúc 08:00", "Giờ yên lặng (không gửi): 21:00–07:00")
	expect(t, h.say(h.group, lan, "/remind 3,1").Text, "chỉ quản trị viên nhóm")

	for _, tt := range []struct{ cmd, want string }{
		{"/remind 3,1 sớm", "Không hiểu «sớm»."},
		{"/remind 3;1", "Không hiểu «3;1»."},
		{"/remind yên 25:00-07:00", "Giờ yên lặng «25:00-07:00» không hợp lệ"},
		{"/remind yên", "Giờ yên lặng «» không hợp lệ"},
		{"/remind cuối tuần thỉnh thoảng", "Sau «cuối tuần» ghi «có» hoặc «không», không phải «thỉnh»."},
		{"/remind 61", "Số ngày trước hạn là các số nguyên từ 0 (ngày hạn) đến 60"},
		{"/remind 1,2,3,4,5,6,7,8,9,10,11", "tối đa 10 số"},
		{"/remind 22:00", "Giờ nhắc nằm trong giờ yên lặng"},
		{"/remind 08:00 yên 07:00-09:00", "Giờ nhắc nằm trong giờ yên lặng"},
	} {
		m := h.say(h.group, h.admin, tt.cmd)
		expect(t, m.Text, tt.want, "Cú pháp: /remind [số ngày trước hạn] [giờ nhắc]", "Ví dụ: /remind 14,7,3,1,0 08:00 yên 21:00-07:00 cuối tuần không")
	}
	if b := h.block(); b.Schedule.Reminders != nil {
		t.Fatalf("bad input stored %+v", b.Schedule.Reminders)
	}

	m = h.say(h.group, h.admin, "/nhacnho 14, 7, 3, 1, 0 8h30 yên lặng 22:00-06:00 cuối tuần không")
	expect(t, m.Text, "✅ Đã đổi cách nhắc hạn", "Nhắc 14, 7, 3, 1 ngày trước hạn và trong ngày hạn, lúc 08:30",
		"Giờ yên lặng (không gửi): 22:00–06:00.", "Thứ Bảy, Chủ nhật: không nhắc")
	s := h.block().Reminders()
	if fmt.Sprint(s.Days) != "[14 7 3 1 0]" || s.At != 8*60+30 || s.QuietFrom != 22*60 || s.QuietTo != 6*60 || s.Weekends {
		t.Fatalf("settings %+v", s)
	}
	// Only what is given changes.
	h.say(h.group, h.admin, "/remind 09:00")
	if s := h.block().Reminders(); s.At != 9*60 || len(s.Days) != 5 || s.Weekends {
		t.Fatalf("settings %+v", s)
	}
	m = h.say(h.group, h.admin, "/remind 2 quiet off weekends on")
	expect(t, m.Text, "Nhắc 2 ngày trước hạn, lúc 09:00", "Không có giờ yên lặng.", "Thứ Bảy, Chủ nhật: có nhắc.")
	if s := h.block().Reminders(); s.HasQuiet() || !s.Weekends || fmt.Sprint(s.Days) != "[2]" {
		t.Fatalf("settings %+v", s)
	}
	expect(t, h.say(h.group, h.admin, "/history 1").Text, "Hùng (quản trị viên): đổi cách nhắc hạn: «14,7,3,1,0 ngày · 09:00 · yên lặng 22:00-06:00 · trừ cuối tuần» → «2 ngày · 09:00 · không giờ yên lặng · cả cuối tuần»")
	if z := h.block().Schedule.Zone; z != thidua.DefaultZone {
		t.Fatalf("zone %q", z)
	}
}

// "/remind 7 3 1" (days separated by spaces rather than commas) must set
// the three days, not silently keep only the last one.
func TestRemindDaysSeparatedBySpaces(t *testing.T) {
	h := newHarness(t)
	withReps(h)
	m := h.say(h.group, h.admin, "/remind 7 3 1")
	expect(t, m.Text, "Nhắc 7, 3, 1 ngày trước hạn")
	if s := h.block().Reminders(); fmt.Sprint(s.Days) != "[7 3 1]" {
		t.Fatalf("days %v, want [7 3 1]", s.Days)
	}
	m = h.say(h.group, h.admin, "/nhacnho 14,7 3,1 0 8h30")
	expect(t, m.Text, "Nhắc 14, 7, 3, 1 ngày trước hạn và trong ngày hạn, lúc 08:30")
	if s := h.block().Reminders(); fmt.Sprint(s.Days) != "[14 7 3 1 0]" {
		t.Fatalf("days %v, want [14 7 3 1 0]", s.Days)
	}
}

// /deadlines says why each unit still owes the year's final deadline, as
// its reminder does: a unit that reported everything but is behind on its
// targets is not left wondering why it is «chưa xong».
func TestDeadlinesSayWhatTheFinalDeadlineIsOwedFor(t *testing.T) {
	h := newHarness(t)
	lan, minh := pledgingReps(h)
	h.say(h.group, h.admin, "/period 9 tháng | 15/09\nCả năm | 30/11")
	h.say(h.group, lan, "/report 9 tháng\n1 6")
	h.say(h.group, minh, "/report 9 tháng\n1 4")
	h.now = at(11, 25, 9, 0)
	h.say(h.group, lan, "/report Cả năm\n1 9")
	h.say(h.group, minh, "/report Cả năm\n1 5")
	m := h.say(h.group, lan, "/deadlines").Text
	expect(t, m, "• Hoàn thành toàn diện các chỉ tiêu năm 2026 — 30/11/2026 17:00 (còn 5 ngày)\n   Chưa xong (6/7):\n   – Ủy ban MTTQ Việt Nam tỉnh (còn: chưa báo cáo kết quả kỳ 9 tháng; chưa báo cáo kết quả kỳ Cả năm)\n",
		"\n   – Hội Nông dân tỉnh (còn: chỉ tiêu năm chưa đạt tiến độ)\n",
		"• Báo cáo kết quả Cả năm — 30/11/2026 23:59 (còn 5 ngày)\n   Chưa xong (5/7): Ủy ban MTTQ Việt Nam tỉnh, Hội Cựu chiến binh tỉnh,")
	if strings.Contains(m, "– Tỉnh Đoàn") {
		t.Fatalf("a unit that owes nothing is listed: %s", m)
	}
}

// TestFinalDeadlineNamesOnlyUnitsBehindPace checks that the year's final
// deadline names, as behind on its targets (chỉ tiêu năm chưa đạt tiến độ),
// only a unit whose completion lags the time elapsed of the year, as the
// README says, not every unit that has not met its targets yet: none before
// the first period's deadline, when nothing is expected yet; in April, the
// unit at 20% of a target due 30/11 and not the one at 50%; in late
// November, both.
func TestFinalDeadlineNamesOnlyUnitsBehindPace(t *testing.T) {
	h := newHarness(t)
	lan, minh := pledgingReps(h)
	h.say(h.group, h.admin, "/period Quý I | 31/03\nCả năm | 30/11")
	behind := func(m string) []string {
		var out []string
		for _, l := range strings.Split(m, "\n") {
			if strings.HasPrefix(l, "   – ") && strings.Contains(l, "chỉ tiêu năm chưa đạt tiến độ") {
				out = append(out, strings.TrimPrefix(l[:strings.Index(l, " (còn:")], "   – "))
			}
		}
		return out
	}
	if got := behind(h.say(h.group, lan, "/deadlines").Text); len(got) != 0 {
		t.Fatalf("behind pace before anything is expected: %v", got)
	}
	h.now = at(3, 30, 9, 0)
	h.say(h.group, lan, "/report Quý I\n1 5")
	h.say(h.group, minh, "/report Quý I\n1 1")
	h.now = at(4, 2, 9, 0)
	m := h.say(h.group, lan, "/deadlines").Text
	if got := behind(m); len(got) != 1 || got[0] != "Tỉnh Đoàn" {
		t.Fatalf("behind pace on 02/04: %v\n%s", got, m)
	}
	expect(t, m, "   – Hội Nông dân tỉnh (còn: chưa báo cáo kết quả kỳ Cả năm)\n", "   – Tỉnh Đoàn (còn: chưa báo cáo kết quả kỳ Cả năm; chỉ tiêu năm chưa đạt tiến độ)\n")
	h.now = at(11, 25, 9, 0)
	if got := behind(h.say(h.group, lan, "/deadlines").Text); len(got) != 2 {
		t.Fatalf("behind pace on 25/11: %v", got)
	}
}

// TestDeadlinesSayWhenEveryUnitIsDone checks that /deadlines says that
// every unit has met a deadline of the year's own (a report period's, the
// registration's), as it says of a deadline of the leader's, instead of
// listing it with nothing under it; the year's final deadline, which a
// block that has registered nothing owes nothing either, is left without.
func TestDeadlinesSayWhenEveryUnitIsDone(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	h.say(h.group, h.admin, "/openreg 20/03/2026")
	h.say(h.group, h.admin, "/period Quý I | 31/03")
	for n := 1; n <= 7; n++ {
		h.say(h.group, h.admin, fmt.Sprintf("/pledge #%d Tuyên truyền | 10 buổi", n))
		h.say(h.group, h.admin, fmt.Sprintf("/submit #%d", n))
		h.say(h.group, h.admin, fmt.Sprintf("/report #%d Quý I\n1 3", n))
	}
	h.say(h.group, h.admin, "/deadline 20/03/2026 | Gửi ảnh hoạt động")
	for n := 1; n <= 7; n++ {
		h.say(h.group, h.admin, fmt.Sprintf("/done 1 %d", n))
	}
	m := h.say(h.group, h.admin, "/deadlines")
	expect(t, m.Text, "• Đăng ký nội dung thi đua — 20/03/2026 17:00 (còn 18 ngày)\n   ✅ Tất cả đơn vị đã hoàn thành\n",
		"#1 Gửi ảnh hoạt động — 20/03/2026 17:00 (còn 18 ngày)\n   ✅ Tất cả đơn vị đã hoàn thành\n",
		"• Báo cáo kết quả Quý I — 31/03/2026 23:59 (còn 29 ngày)\n   ✅ Tất cả đơn vị đã hoàn thành\n")
	if strings.Count(m.Text, "✅ Tất cả đơn vị đã hoàn thành") != 3 {
		t.Fatalf("/deadlines: %q", m.Text)
	}
}

// A unit added once a deadline of the leader's had passed owes it no more
// than the reports of the periods past before it joined: the year's final
// deadline does not name it for that deadline, as it still names the
// units that were there and did not do it.
func TestDeadlinePastBeforeAUnitJoinedIsNotOwedByIt(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	h.say(h.group, h.admin, "/deadline 20/03/2026 | Nộp báo cáo chuyên đề")
	h.now = at(7, 1, 9, 0)
	expect(t, h.say(h.group, h.admin, "/addunit Hội Làm vườn tỉnh").Text, "Hội Làm vườn tỉnh")
	h.say(h.group, h.admin, "/pledge #8 Phát triển vườn mẫu | 10 vườn")
	m := h.say(h.group, h.admin, "/deadlines").Text
	expect(t, m, "– Ủy ban MTTQ Việt Nam tỉnh (còn: Nộp báo cáo chuyên đề")
	if strings.Contains(m, "– Hội Làm vườn tỉnh (còn: Nộp báo cáo chuyên đề") {
		t.Fatalf("the unit added on 01/07 owes the deadline of 20/03:\n%s", m)
	}
}
