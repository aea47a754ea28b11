package handlers_test

import (
	"strings"
	"testing"

	"thiduabot/thidua"
)

// People copy their scoring sheet, which ends with its total: «Tổng
// 88,5», «Tổng cộng: 88,5 điểm», «Cộng 88,5». /selfscore and /score take
// that line as the sheet's total, not as a criterion: they check it
// against the unit's total once the message is recorded, and refuse,
// naming both figures, when a typo makes them differ.
func TestScoreSheetTotalLine(t *testing.T) {
	c := newRegCast(t)
	c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền | 20\nPhong trào thi đua | 30\nKết quả thực hiện chỉ tiêu | 50")
	self := func() []thidua.Score { return c.block().ScoreOf(c.block().Units[2].ID).Self }

	m := c.say(c.group, c.lan, "/tucham\n1 18\n2 25,5 tổ chức tốt\n3 45\nTổng 88,5")
	expect(t, m.Text, "✅ Đã ghi điểm tự chấm của Hội Nông dân tỉnh (bởi Lan). ✓ Khớp dòng tổng 88,5 điểm.", "Tổng: tự chấm 88,5 · bình xét —")
	if s := self(); len(s) != 3 || s[2].Points != 45 {
		t.Fatalf("stored %+v", s)
	}

	// A typo: the sheet's criteria add up to more than its total.
	c.refused(c.lan, "/tucham\n1 18\n2 28,5\n3 45\nTổng cộng: 88,5 điểm",
		"Dòng tổng ghi 88,5 điểm nhưng điểm các tiêu chí cộng lại là 91,5 điểm (3/3 tiêu chí)",
		"Kiểm tra lại điểm từng dòng và dòng tổng; chưa ghi gì.")
	// The total is the unit's once recorded: criteria the message leaves
	// keep the points given before, and count.
	c.refused(c.lan, "/tucham 3 40\nCộng 40",
		"Dòng tổng ghi 40 điểm nhưng điểm các tiêu chí cộng lại là 83,5 điểm (3/3 tiêu chí)",
		"Các dòng trong tin nhắn cộng lại 40 điểm; các tiêu chí còn lại giữ điểm đã chấm trước.")
	expect(t, c.say(c.group, c.lan, "/tucham 3 40\nCộng 83,5đ").Text, "✓ Khớp dòng tổng 83,5 điểm.", "Tổng: tự chấm 83,5")
	if s := self(); s[2].Points != 40 {
		t.Fatalf("stored %+v", s)
	}
	// Some criteria only: the total of those scored.
	expect(t, c.say(c.group, c.minh, "/tucham\n1 20\n2 28\nTổng số điểm: 48").Text, "Tỉnh Đoàn", "✓ Khớp dòng tổng 48 điểm.", "Tổng: tự chấm 48 (2/3 tiêu chí)")

	// The agreed scores, likewise.
	c.refused(c.minh, "/chamdiem #3\n1 17\n2 25\n3 45\nTỔNG 88", "Dòng tổng ghi 88 điểm nhưng điểm các tiêu chí cộng lại là 87 điểm (3/3 tiêu chí)")
	expect(t, c.say(c.group, c.minh, "/chamdiem #3\n1 17\n2 25\n3 45\nTổng: 87/100 điểm").Text, "✅ Đã ghi điểm bình xét của Hội Nông dân tỉnh (bởi Minh). ✓ Khớp dòng tổng 87 điểm.")

	// A total alone, or one that is no number, is explained.
	c.refused(c.lan, "/tucham Tổng 83,5", "Tin nhắn chỉ có dòng tổng", "<số tiêu chí> <điểm>")
	c.refused(c.lan, "/tucham\n1 18\nTổng tám mươi", "Dòng 2 («Tổng tám mươi»)", "Dòng tổng ghi: Tổng <điểm>")
	// Without a total line, nothing more is said.
	if m := c.say(c.group, c.lan, "/tucham 1 19"); strings.Contains(m.Text, "✓") {
		t.Fatalf("a message without a total: %q", m.Text)
	}
	c.noApology()
}
