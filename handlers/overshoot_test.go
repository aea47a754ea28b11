package handlers_test

import (
	"strings"
	"testing"

	"thiduabot/telegramtest"
)

// A reported value ten times its pledge's target or more (500 typed for 50
// nhà, 12000 for 1.200 hội viên), or above 200% for a target in %, is most
// likely a typo: the report is saved as sent, since real results can
// overshoot, and its confirmation warns in one line, naming the pledges
// and their values, and says how to correct it.
func TestReportWarnsOfValuesFarAboveTheTarget(t *testing.T) {
	c := newResCast(t)
	const warn = "⚠️ Kiểm tra lại, có thể gõ nhầm — giá trị vượt xa chỉ tiêu: "

	m := c.say(c.group, c.lan, "/report Quý I\n1 500 đã khởi công\n2 35%\n3 100%\n4 12000")
	expect(t, m.Text, "📊 Đã ghi báo cáo kỳ Quý I của Hội Nông dân tỉnh",
		warn+"1. 500 nhà (chỉ tiêu 50 nhà); 4. 12.000 hội viên (chỉ tiêu 1.200 hội viên). "+
			"Báo cáo đã được ghi như đã gửi; nếu nhầm, gửi lại cả báo cáo: /report Quý I, mỗi dòng một nội dung.")
	if strings.Count(m.Text, "⚠️") != 1 {
		t.Fatalf("more than one warning:\n%s", m.Text)
	}
	if r := c.mustReport(3, "Quý I"); r.Entries[0].Value != 500 || r.Entries[3].Value != 12000 {
		t.Fatalf("the report was not saved as sent: %+v", r.Entries)
	}

	// Just under ten times, or 200% of a target in %: no warning.
	m = c.say(c.group, c.lan, "/report Quý I\n1 499\n2 200\n3 999%\n4 11999")
	if strings.Contains(m.Text, "⚠️") {
		t.Fatalf("warned of plausible values:\n%s", m.Text)
	}
	// Above 200% of a target in %, or a share of ten times the target.
	m = c.say(c.group, c.lan, "/report 6 tháng\n1 1000%\n2 350\n3 1000%")
	expect(t, m.Text, warn+"1. 1.000% chỉ tiêu (chỉ tiêu 50 nhà); 2. 350% (chỉ tiêu 40%); 3. 1.000% chỉ tiêu (chỉ tiêu hoàn thành xuất sắc). ")

	// Step by step: the summary warns before sending, the confirmation
	// after.
	d := c.say(c.group, c.lan, "/report 9 tháng")
	c.reply(c.lan, d, "500 nhà")
	s := c.skipToSummary(c.message(d.ID))
	expect(t, s.Text, warn+"1. 500 nhà (chỉ tiêu 50 nhà). Nếu nhầm, bấm «Quay lại» để sửa trước khi gửi.")
	c.pressText(c.lan, s, "✅ Gửi báo cáo")
	expect(t, c.message(d.ID).Text, warn+"1. 500 nhà (chỉ tiêu 50 nhà). Báo cáo đã được ghi như đã gửi; nếu nhầm, gửi lại cả báo cáo: /report 9 tháng")
	c.noApology()
}

// A value likely a typo stays marked where it is read later: /myreport
// puts a ⚠️ after each such value and says once, below the values, how to
// correct them; /progress, read by the leader, adds under the unit one
// line naming the pledges whose latest value is likely a typo and where to
// see them, since a typo there counts as a target reached. A report that
// corrects the values takes the line away.
func TestMyReportAndProgressMarkValuesFarAboveTheTarget(t *testing.T) {
	c := newResCast(t)
	expect(t, c.say(c.group, c.lan, "/report Quý I\n1 500 đã khởi công\n2 35%\n4 12000").Text, "⚠️ Kiểm tra lại")

	m := c.say(c.group, c.lan, "/myreport")
	expect(t, m.Text,
		"1. Vận động xây nhà đại đoàn kết — 500 nhà / 50 nhà (trên 999%) ⚠️ — đã khởi công\n"+
			"2. Hộ sản xuất kinh doanh giỏi — 35% / 40% (88%)\n",
		"4. Phát triển hội viên mới — 12.000 hội viên / 1.200 hội viên (trên 999%) ⚠️\n",
		"⚠️ Giá trị vượt xa chỉ tiêu, có thể gõ nhầm. Nếu nhầm, gửi lại cả báo cáo: /report Quý I, mỗi dòng một nội dung.")
	if n := strings.Count(m.Text, "⚠️"); n != 3 {
		t.Fatalf("%d ⚠️ in /myreport, want 3:\n%s", n, m.Text)
	}
	// A manager sees the same, told to report with the unit's number.
	expect(t, c.say(c.group, c.minh, "/myreport #3").Text, "Nếu nhầm, gửi lại cả báo cáo: /report #3 Quý I")

	board := "1. Hội Nông dân tỉnh\n   ▓▓▓▓▓▓▓▓▓░ 96% · ✅ … … …\n   ⚠️ Có thể gõ nhầm, giá trị vượt xa chỉ tiêu: nội dung 1, 4 — xem /myreport #3\n"
	expect(t, c.say(c.group, c.hoa, "/progress").Text, board)
	ann := c.member("Ann", "ann", telegramtest.Lang("en"))
	en := c.say(c.group, ann, "/progress").Text
	expect(t, en, "   ⚠️ 2 values far above the target, maybe typos: pledges 1, 4 — see /myreport #3\n")

	// The next period's values replace them on the board; Quý I keeps its
	// marks.
	expect(t, c.say(c.group, c.lan, "/report 6 tháng\n1 45\n4 12000").Text, "⚠️ Kiểm tra lại")
	expect(t, c.say(c.group, c.hoa, "/progress").Text, "\n   ⚠️ Có thể gõ nhầm, giá trị vượt xa chỉ tiêu: nội dung 4 — xem /myreport #3\n")
	expect(t, c.say(c.group, ann, "/progress").Text, "   ⚠️ 1 value far above the target, maybe a typo: pledge 4 — see /myreport #3\n")
	expect(t, c.say(c.group, c.lan, "/report 6 tháng\n1 45\n4 1200").Text, "📊 Đã ghi")
	if p := c.say(c.group, c.hoa, "/progress").Text; strings.Contains(p, "gõ nhầm") {
		t.Fatalf("corrected values still marked:\n%s", p)
	}
	if m := c.say(c.group, c.lan, "/myreport 6 tháng").Text; strings.Contains(m, "⚠️") {
		t.Fatalf("plausible values marked:\n%s", m)
	}
	expect(t, c.say(c.group, c.lan, "/myreport Quý I").Text, "(trên 999%) ⚠️ — đã khởi công")
	c.noApology()
}
