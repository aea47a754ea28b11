package handlers_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// "/remind 7 3 1" (days separated by spaces rather than commas) must set
// the three days, not silently keep only the last one.
func TestReviewDueRemindDaysSeparatedBySpaces(t *testing.T) {
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

// A representative's direct message says what the unit still owes, as the
// group's reminder does: for the final deadline it is the only way to know.
func TestReviewDueDirectMessageSaysWhatIsOwed(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2026, 11, 24, 9, 0, 0, 0, hcm)
	lan, _ := withReps(h)
	h.say(h.group, h.admin, "/openreg 27/11/2026")
	expect(t, h.say(h.group, lan, "/pledge Xây 10 nhà đại đoàn kết | 10 nhà").Text, "Xây 10 nhà")

	tk := newTicker(h)
	got := tk.run(time.Date(2026, 11, 27, 8, 0, 0, 0, hcm), time.Date(2026, 11, 27, 8, 1, 0, 0, hcm), time.Minute)
	if len(got) != 2 {
		t.Fatalf("sent %v, want the registration's and the final deadline's reminders", got)
	}
	var dms []string
	for _, m := range h.tg.Messages(lan.ID) {
		if strings.Contains(m.Text, "Nhắc hạn") {
			dms = append(dms, m.Text)
		}
	}
	if len(dms) != 2 {
		t.Fatalf("Lan got %d reminders in private: %q", len(dms), dms)
	}
	for _, dm := range dms {
		expect(t, dm, "Đơn vị Hội Nông dân tỉnh của bạn chưa hoàn thành", "chưa gửi danh sách đăng ký (/submit)")
	}

	// Owing many deadlines with long titles still makes a message Telegram
	// accepts.
	for i := range 25 {
		h.say(h.group, h.admin, fmt.Sprintf("/deadline 29/11/2026 | %02d %s", i, strings.Repeat("Nộp hồ sơ ", 19)))
	}
	pick := h.say(h.group, h.admin, "/remindnow")
	h.press(h.group, h.admin, pick, "rn:final")
	dm, _ := h.tg.LastMessage(lan.ID)
	expect(t, dm.Text, "Hoàn thành toàn diện các chỉ tiêu năm 2026", "(còn: 00 Nộp hồ sơ", "…).")
}

// The final deadline names a unit that still owes the year's report due on
// 30/11 itself (at 23:59, since a report is on time until the day ends): it
// is a deadline of the year like the others.
func TestReviewDueFinalNamesTheYearReportDueThatDay(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2026, 11, 24, 9, 0, 0, 0, hcm)
	lan, minh := pledgingReps(h)
	expect(t, h.say(h.group, h.admin, "/period 9 tháng | 15/09\nNăm | 30/11").Text, "Năm")
	expect(t, h.say(h.group, lan, "/report 9 tháng\n1 10").Text, "9 tháng")
	expect(t, h.say(h.group, lan, "/report Năm\n1 10").Text, "Năm")
	expect(t, h.say(h.group, minh, "/report 9 tháng\n1 5").Text, "9 tháng")

	tk := newTicker(h)
	var final string
	for _, s := range tk.run(time.Date(2026, 11, 27, 8, 0, 0, 0, hcm), time.Date(2026, 11, 27, 8, 1, 0, 0, hcm), time.Minute) {
		if strings.Contains(s.msg.Text, "Hoàn thành toàn diện các chỉ tiêu năm 2026") {
			final = s.msg.Text
		}
	}
	if final == "" {
		t.Fatal("no reminder of the final deadline on 27/11")
	}
	expect(t, final, "• Tỉnh Đoàn (còn: chưa báo cáo kết quả kỳ Năm) — Minh")
	if strings.Contains(final, "Hội Nông dân tỉnh") {
		t.Fatalf("a unit that has done everything is named: %s", final)
	}
}
