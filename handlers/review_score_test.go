package handlers_test

import (
	"strings"
	"testing"
	"time"
)

// Two units the block agreed on the same total, shown alike (30,3), share a
// rank and keep the units' order, even when their points per criterion add
// up differently in binary (10,1 + 20,2 and 10,2 + 20,1).
func TestReviewScoreEqualTotalsShareARank(t *testing.T) {
	c := newRegCast(t)
	c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền | 20\nPhong trào thi đua | 30\nKết quả thực hiện chỉ tiêu | 50")
	c.say(c.group, c.minh, "/chamdiem #1\n1 10,1\n2 20,2\n3 40")
	c.say(c.group, c.minh, "/chamdiem #2\n1 10,2\n2 20,1\n3 40")
	board := c.say(c.group, c.hoa, "/bangdiem").Text
	expect(t, board, "1. Ủy ban MTTQ Việt Nam tỉnh — bình xét 70,3", "1. Hội Cựu chiến binh tỉnh — bình xét 70,3")
	if strings.Index(board, "Ủy ban MTTQ") > strings.Index(board, "Hội Cựu chiến binh") {
		t.Fatalf("equal totals out of the units' order:\n%s", board)
	}
}

// A score's note of up to 300 characters is kept, and the refusal of a
// longer one says the limit it applies.
func TestReviewScoreNoteLimitSaid(t *testing.T) {
	c := newRegCast(t)
	c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền | 20")
	expect(t, c.say(c.group, c.lan, "/tucham 1 18 "+strings.Repeat("a", 250)).Text, "✅ Đã ghi điểm tự chấm")
	c.refused(c.lan, "/tucham 1 18 "+strings.Repeat("a", 301), "tối đa 300 ký tự")
}

// A change of the agreed points that keeps the total (points moved from
// one criterion to another at the conference) is told in the history:
// which criteria, from what to what, so that a dispute can be settled.
func TestReviewScoreHistoryTellsThePointsChanged(t *testing.T) {
	c := newRegCast(t)
	c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền | 20\nPhong trào thi đua | 30\nKết quả thực hiện chỉ tiêu | 50")
	c.say(c.group, c.minh, "/chamdiem #3\n1 17\n2 25")
	c.say(c.group, c.admin, "/chamdiem #3\n2 22 trừ điểm nộp muộn\n1 20")
	expect(t, c.say(c.group, c.hoa, "/lichsu 2").Text,
		"Minh: ghi điểm bình xét [Hội Nông dân tỉnh]: «42 điểm (2/3 tiêu chí) — 1: 17; 2: 25»",
		"Hùng (quản trị viên): ghi điểm bình xét [Hội Nông dân tỉnh]: «42 điểm (2/3 tiêu chí) — 1: 17; 2: 25» → «42 điểm (2/3 tiêu chí) — 1: 20; 2: 22 (trừ điểm nộp muộn)»")
}

// The question before /newyear names the year's scores among what closes
// with it: the turn leaves /scores empty.
func TestReviewScoreNewYearSaysTheScoresClose(t *testing.T) {
	c := newRegCast(t)
	c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền | 20")
	c.say(c.group, c.lan, "/tucham 1 18")
	c.say(c.group, c.minh, "/chamdiem #3 1 17")
	c.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	expect(t, c.say(c.group, c.admin, "/nammoi").Text, "Khép lại cùng năm 2026:", "điểm tự chấm và điểm bình xét")
}

// The points written with their word, as people say them ("18 điểm",
// "25,5 đ"), are the points: the word is not kept as the note.
func TestReviewScorePointsWordIsNoNote(t *testing.T) {
	c := newRegCast(t)
	c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền | 20\nPhong trào thi đua | 30")
	m := c.say(c.group, c.lan, "/tucham\n1 18 điểm\n2 25,5 đ tổ chức tốt")
	expect(t, m.Text, "1. Công tác tuyên truyền (tối đa 20): tự chấm 18 · bình xét —",
		"2. Phong trào thi đua (tối đa 30): tự chấm 25,5 (tổ chức tốt) · bình xét —")
}
