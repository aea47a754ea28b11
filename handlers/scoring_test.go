package handlers_test

import (
	"slices"
	"strings"
	"testing"
)

// The year-end review through the group: units score themselves against
// the criteria, the leader's side records the agreed scores, and /scores
// ranks the units; bad input is explained and changes nothing.
func TestScoring(t *testing.T) {
	c := newRegCast(t)
	c.refused(c.lan, "/tucham\n1 18", "Khối chưa có tiêu chí chấm điểm", "/criteria add")
	c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền | 20\nPhong trào thi đua | 30\nKết quả thực hiện chỉ tiêu | 50")

	m := c.say(c.group, c.lan, "/tucham\n1 18\n2 25,5 tổ chức tốt <các> phong trào")
	expect(t, m.Text, "✅ Đã ghi điểm tự chấm của Hội Nông dân tỉnh (bởi Lan).", "Điểm thi đua năm 2026 — Hội Nông dân tỉnh (tối đa 100 điểm)",
		"1. Công tác tuyên truyền (tối đa 20): tự chấm 18 · bình xét —",
		"2. Phong trào thi đua (tối đa 30): tự chấm 25,5 (tổ chức tốt <các> phong trào) · bình xét —",
		"3. Kết quả thực hiện chỉ tiêu (tối đa 50): tự chấm — · bình xét —", "Tổng: tự chấm 43,5 (2/3 tiêu chí) · bình xét —")
	expect(t, c.say(c.group, c.lan, "/selfscore 3 45").Text, "Tổng: tự chấm 88,5 · bình xét —")
	expect(t, c.say(c.group, c.minh, "/selfscore\n1 20\n2 30\n3 48").Text, "Tỉnh Đoàn", "Tổng: tự chấm 98")

	// Bad input: the line at fault, the right form, nothing changed.
	c.refused(c.lan, "/tucham\n1 18\n2 31", "Dòng 2", "Tiêu chí số 2 «Phong trào thi đua» tối đa 30 điểm", "/selfscore")
	c.refused(c.lan, "/tucham 4 10", "Không có tiêu chí số này")
	c.refused(c.lan, "/tucham\n1 10\n1 12", "Một tiêu chí được chấm hai lần")
	c.refused(c.lan, "/tucham 1 mười tám", "Điểm phải là một số")
	c.refused(c.lan, "/tucham #6\n1 10", "chỉ đầu mối của đơn vị mới tự chấm được cho đơn vị đó")
	c.refused(c.lan, "/tucham 1 18 2 25 3 45", "Mỗi tiêu chí ghi trên một dòng riêng")
	c.refused(c.hoa, "/tucham 1 10", "chưa là đầu mối")

	// The agreed scores: managers only, naming the unit.
	c.refused(c.lan, "/chamdiem #3\n1 17", "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")
	c.refused(c.minh, "/chamdiem 1 17", "Nêu đơn vị bằng #số")
	c.refused(c.minh, "/chamdiem #3", "Bạn chưa ghi dòng điểm nào")
	m = c.say(c.group, c.minh, "/chamdiem #3\n1 17\n2 25\n3 45 thống nhất tại hội nghị")
	expect(t, m.Text, "✅ Đã ghi điểm bình xét của Hội Nông dân tỉnh (bởi Minh).", "3. Kết quả thực hiện chỉ tiêu (tối đa 50): tự chấm 45 · bình xét 45 (thống nhất tại hội nghị)",
		"Tổng: tự chấm 88,5 · bình xét 87")
	expect(t, c.say(c.group, c.admin, "/score #6\n1 20\n2 28\n3 46").Text, "Tổng: tự chấm 98 · bình xét 94")
	expect(t, c.say(c.group, c.admin, "/score #1\n1 19").Text, "Ủy ban MTTQ Việt Nam tỉnh", "Tổng: tự chấm — · bình xét 19 (1/3 tiêu chí)")

	board := c.say(c.group, c.hoa, "/bangdiem").Text
	expect(t, board, "BẢNG ĐIỂM THI ĐUA NĂM 2026", "tối đa 100 điểm, 3 tiêu chí",
		"1. Tỉnh Đoàn — bình xét 94 · tự chấm 98", "2. Hội Nông dân tỉnh — bình xét 87 · tự chấm 88,5",
		"– Ủy ban MTTQ Việt Nam tỉnh — bình xét chưa đủ tiêu chí: 19 (1/3 tiêu chí) · tự chấm —", "– Hội Cựu chiến binh tỉnh — chưa bình xét · tự chấm —")
	if strings.Index(board, "Tỉnh Đoàn — bình xét") > strings.Index(board, "Hội Nông dân tỉnh — bình xét") {
		t.Fatalf("the ranking is out of order:\n%s", board)
	}
	expect(t, c.say(c.group, c.hoa, "/lichsu 6").Text, "Lan: tự chấm điểm thi đua [Hội Nông dân tỉnh]: «43,5 điểm (2/3 tiêu chí) — 3: chưa chấm» → «88,5 điểm (3/3 tiêu chí) — 3: 45»",
		"Minh: ghi điểm bình xét [Hội Nông dân tỉnh]: «87 điểm (3/3 tiêu chí) — 1: 17; 2: 25; 3: 45 (thống nhất tại hội nghị)»")
	if s := c.block().ScoreOf(c.block().Units[2].ID); len(s.Self) != 3 || len(s.Reviewed) != 3 || s.ReviewedBy.UserID != c.minh.ID {
		t.Fatalf("stored %+v", s)
	}
	// The export has the scores, the units in the ranking's order.
	c.say(c.group, c.hoa, "/export")
	zipped := c.lastIn(c.group.ID)
	if zipped.Document == nil {
		t.Fatalf("no CSV export: %q", zipped.Text)
	}
	rows := readCSVZip(t, zipped.Document.Data)["cham-diem.csv"]
	want := [][]string{
		{"Đơn vị", "Hạng", "STT", "Tiêu chí", "Điểm tối đa", "Tự chấm", "Ghi chú tự chấm", "Bình xét", "Ghi chú bình xét", "Đề nghị khen thưởng"},
		{"Tỉnh Đoàn", "1", "1", "Công tác tuyên truyền", "20", "20", "", "20", "", ""},
	}
	if len(rows) < 2 || !slices.Equal(rows[0], want[0]) || !slices.Equal(rows[1], want[1]) ||
		!slices.ContainsFunc(rows, func(r []string) bool {
			return slices.Equal(r, []string{"Hội Nông dân tỉnh", "2", "3", "Kết quả thực hiện chỉ tiêu", "50", "45", "", "45", "thống nhất tại hội nghị", ""})
		}) ||
		!slices.ContainsFunc(rows, func(r []string) bool {
			return slices.Equal(r, []string{"Hội Nông dân tỉnh", "2", "", "Tổng cộng", "100", "88,5", "", "87", "", ""})
		}) {
		t.Fatalf("cham-diem.csv:\n%q", rows)
	}
	c.noApology()
}

// Points above a criterion's maximum are refused naming the criterion and
// its maximum, and the line among several: "95" typed for a criterion of
// 10 points (meant as 9,5) or of 60 is told what the most is.
func TestScoreAboveTheMaximumNamesIt(t *testing.T) {
	c := newRegCast(t)
	c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền, vận động | 10\nPhát triển hội viên | 30\nAn sinh xã hội | 60")
	c.refused(c.lan, "/tucham 1 95", "Tiêu chí số 1 «Công tác tuyên truyền, vận động» tối đa 10 điểm", "không chấm được 95 điểm", "9,5", "/selfscore")
	c.refused(c.minh, "/chamdiem #3\n1 9,5\n3 95", "Dòng 2 («3 95»)", "Tiêu chí số 3 «An sinh xã hội» tối đa 60 điểm", "không chấm được 95 điểm", "/score")
	// Points that are no number keep their explanation.
	c.refused(c.lan, "/tucham 1 mười", "Điểm phải là một số")
}

// /scores before any unit is scored (a new year, say) says so and how
// scoring starts, instead of a list of units all «chưa bình xét · tự
// chấm —».
func TestScoresBeforeAnyScoreSaysHowToStart(t *testing.T) {
	c := newRegCast(t)
	c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền | 20\nPhong trào thi đua | 30")
	board := c.refused(c.hoa, "/bangdiem", "BẢNG ĐIỂM THI ĐUA NĂM 2026", "Chưa đơn vị nào được chấm điểm năm 2026",
		"/selfscore", "/score #số").Text
	if strings.Contains(board, "chưa bình xét · tự chấm —") || strings.Contains(board, "Xếp hạng theo") {
		t.Fatalf("the empty board lists every unit unscored, or says how it ranks none:\n%s", board)
	}
	c.say(c.group, c.lan, "/tucham 1 18")
	board = c.say(c.group, c.hoa, "/bangdiem").Text
	expect(t, board, "– Hội Nông dân tỉnh — chưa bình xét · tự chấm 18 (1/2 tiêu chí)", "– Tỉnh Đoàn — chưa bình xét · tự chấm —")
	if strings.Contains(board, "Chưa đơn vị nào") {
		t.Fatalf("the board says no unit is scored:\n%s", board)
	}
}

// The export's scores sheet gives each unit its rank, as /scores and
// /award do: two units the block agreed on the same total share a rank
// (the sheet's order alone would number them 1 and 2), and a unit not
// agreed on has none.
func TestExportScoresGiveTheRank(t *testing.T) {
	c := newRegCast(t)
	c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền | 20")
	c.say(c.group, c.minh, "/chamdiem #6 1 18")
	c.say(c.group, c.minh, "/chamdiem #3 1 18")
	c.say(c.group, c.minh, "/chamdiem #1 1 9,5")
	c.say(c.group, c.lan, "/tucham 1 19")
	expect(t, c.say(c.group, c.hoa, "/bangdiem").Text, "1. Hội Nông dân tỉnh — bình xét 18", "1. Tỉnh Đoàn — bình xét 18", "3. Ủy ban MTTQ Việt Nam tỉnh — bình xét 9,5")
	c.say(c.group, c.hoa, "/export")
	rows := c.lastCSV("cham-diem.csv")
	if len(rows) == 0 || rows[0][1] != "Hạng" ||
		!hasRow(rows, "Hội Nông dân tỉnh", "1", "", "Tổng cộng", "20", "19", "", "18", "", "") ||
		!hasRow(rows, "Tỉnh Đoàn", "1", "1", "Công tác tuyên truyền", "20", "", "", "18", "", "") ||
		!hasRow(rows, "Ủy ban MTTQ Việt Nam tỉnh", "3", "", "Tổng cộng", "20", "", "", "9,5", "", "") ||
		!hasRow(rows, "Hội Cựu chiến binh tỉnh", "", "", "Tổng cộng", "20", "", "", "", "", "") {
		t.Fatalf("cham-diem.csv:\n%q", rows)
	}
}

// Points copied from a paper form as «9,5/10», out of the criterion's
// maximum, are the points when that maximum is the criterion's: nothing
// else could be meant. Out of another maximum they are refused, naming the
// criterion's maximum and the form to write, and nothing is recorded: the
// points may be on another scale, or the line about another criterion.
func TestScoreOutOfTheMaximum(t *testing.T) {
	c := newRegCast(t)
	c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền | 10\nPhong trào thi đua | 30\nKết quả thực hiện chỉ tiêu | 60")
	m := c.say(c.group, c.lan, "/tucham\n1 9,5/10\n2 25/30 điểm tổ chức tốt\n3 55,5/60đ")
	expect(t, m.Text, "✅ Đã ghi điểm tự chấm của Hội Nông dân tỉnh",
		"1. Công tác tuyên truyền (tối đa 10): tự chấm 9,5 · bình xét —",
		"2. Phong trào thi đua (tối đa 30): tự chấm 25 (tổ chức tốt) · bình xét —",
		"3. Kết quả thực hiện chỉ tiêu (tối đa 60): tự chấm 55,5 · bình xét —", "Tổng: tự chấm 90")
	expect(t, c.say(c.group, c.minh, "/chamdiem #3\n1 9/10\n2 24/30").Text, "✅ Đã ghi điểm bình xét của Hội Nông dân tỉnh", "Tổng: tự chấm 90 · bình xét 33 (2/3 tiêu chí)")

	c.refused(c.lan, "/tucham\n1 9\n2 9,5/10",
		"Dòng 2 («2 9,5/10»)", "Tiêu chí số 2 «Phong trào thi đua» tối đa 30 điểm, không phải 10",
		"Ghi điểm theo thang 30 điểm của tiêu chí: 2 <điểm> hoặc 2 <điểm>/30", "/criteria")
	c.refused(c.minh, "/chamdiem #3 1 8/100", "Tiêu chí số 1 «Công tác tuyên truyền» tối đa 10 điểm, không phải 100")
	// Above the maximum it names, or a maximum that is no number.
	c.refused(c.lan, "/tucham 1 12/10", "Tiêu chí số 1 «Công tác tuyên truyền» tối đa 10 điểm", "không chấm được 12 điểm")
	c.refused(c.lan, "/tucham 1 9/0", "Điểm phải là một số")
	c.refused(c.lan, "/tucham 1 9/mười", "Điểm phải là một số")
	// The maximum in a column of its own is still refused.
	c.refused(c.lan, "/tucham 1 10 9,5", "Sau số tiêu chí có hai số")
	c.noApology()
}

// Points out of a maximum typed with spaces around the slash («9,5 / 10»,
// «25 /30») are read as written together: out of the criterion's maximum
// they are the points, out of another they are refused as «9,5/10» is,
// instead of recorded with the maximum taken for a note.
func TestScoreOutOfTheMaximumWrittenApart(t *testing.T) {
	c := newRegCast(t)
	c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền | 10\nPhong trào thi đua | 30")
	c.refused(c.lan, "/tucham\n1 9,5 / 10\n2 9,5 / 10",
		"Dòng 2 («2 9,5 / 10»)", "Tiêu chí số 2 «Phong trào thi đua» tối đa 30 điểm, không phải 10")
	expect(t, c.say(c.group, c.lan, "/tucham\n1 9,5 / 10\n2 25 /30 tổ chức tốt").Text, "✅ Đã ghi điểm tự chấm của Hội Nông dân tỉnh",
		"1. Công tác tuyên truyền (tối đa 10): tự chấm 9,5 · bình xét —\n",
		"2. Phong trào thi đua (tối đa 30): tự chấm 25 (tổ chức tốt) · bình xét —")
	c.noApology()
}

// Two units the block agreed on the same total, shown alike (30,3), share a
// rank and keep the units' order, even when their points per criterion add
// up differently in binary (10,1 + 20,2 and 10,2 + 20,1).
func TestEqualTotalsShareARank(t *testing.T) {
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
func TestScoreNoteLimitIsSaid(t *testing.T) {
	c := newRegCast(t)
	c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền | 20")
	expect(t, c.say(c.group, c.lan, "/tucham 1 18 "+strings.Repeat("a", 250)).Text, "✅ Đã ghi điểm tự chấm")
	c.refused(c.lan, "/tucham 1 18 "+strings.Repeat("a", 301), "tối đa 300 ký tự")
}

// A change of the agreed points that keeps the total (points moved from
// one criterion to another at the conference) is told in the history:
// which criteria, from what to what, so that a dispute can be settled.
func TestScoreHistoryTellsThePointsChanged(t *testing.T) {
	c := newRegCast(t)
	c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền | 20\nPhong trào thi đua | 30\nKết quả thực hiện chỉ tiêu | 50")
	c.say(c.group, c.minh, "/chamdiem #3\n1 17\n2 25")
	c.say(c.group, c.admin, "/chamdiem #3\n2 22 trừ điểm nộp muộn\n1 20")
	expect(t, c.say(c.group, c.hoa, "/lichsu 2").Text,
		"Minh: ghi điểm bình xét [Hội Nông dân tỉnh]: «42 điểm (2/3 tiêu chí) — 1: 17; 2: 25»",
		"Hùng (quản trị viên): ghi điểm bình xét [Hội Nông dân tỉnh]: «42 điểm (2/3 tiêu chí) — 1: 17; 2: 25» → «42 điểm (2/3 tiêu chí) — 1: 20; 2: 22 (trừ điểm nộp muộn)»")
}

// The points written with their word, as people say them ("18 điểm",
// "25,5 đ"), are the points: the word is not kept as the note.
func TestPointsWithTheirWordAreNoNote(t *testing.T) {
	c := newRegCast(t)
	c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền | 20\nPhong trào thi đua | 30")
	m := c.say(c.group, c.lan, "/tucham\n1 18 điểm\n2 25,5 đ tổ chức tốt")
	expect(t, m.Text, "1. Công tác tuyên truyền (tối đa 20): tự chấm 18 · bình xét —",
		"2. Phong trào thi đua (tối đa 30): tự chấm 25,5 (tổ chức tốt) · bình xét —")
}
