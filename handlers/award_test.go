package handlers_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"thiduabot/storage"
	"thiduabot/telegramtest"
)

// scored sets the regCast's block up for the year-end review: three
// criteria, and the agreed scores of Tỉnh Đoàn (94) and Hội Nông dân tỉnh
// (87).
func (c *regCast) scored() {
	c.t.Helper()
	c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền | 20\nPhong trào thi đua | 30\nKết quả thực hiện chỉ tiêu | 50")
	expect(c.t, c.say(c.group, c.admin, "/score #6\n1 20\n2 28\n3 46").Text, "bình xét 94")
	expect(c.t, c.say(c.group, c.admin, "/score #3\n1 17\n2 25\n3 45").Text, "bình xét 87")
}

// lastCSV returns the table of the last CSV export sent to the group.
func (c *regCast) lastCSV(file string) [][]string {
	c.t.Helper()
	zipped := c.lastIn(c.group.ID)
	if zipped.Document == nil {
		c.t.Fatalf("no CSV export: %q", zipped.Text)
	}
	return readCSVZip(c.t, zipped.Document.Data)[file]
}

// hasRow reports whether a table has the row.
func hasRow(rows [][]string, want ...string) bool {
	return slices.ContainsFunc(rows, func(r []string) bool { return slices.Equal(r, want) })
}

// The award proposals through the group: managers record the units the
// block proposes for each award, replace and remove them; anyone sees them
// with /award and at the foot of /scores; bad input is explained and
// changes nothing; the history and the export have them.
func TestAwards(t *testing.T) {
	c := newRegCast(t)
	expect(t, c.say(c.group, c.hoa, "/award").Text, "Khối chưa có đề nghị khen thưởng nào năm 2026",
		"Cờ thi đua của Chính phủ, Cờ thi đua của UBND tỉnh, Bằng khen của UBND tỉnh")
	c.scored()

	// Only managers record them.
	c.refused(c.lan, "/award Cờ thi đua của Chính phủ | 3", "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")
	c.refused(c.hoa, "/khenthuong Cờ thi đua của Chính phủ | 6", "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")

	m := c.say(c.group, c.minh, "/khenthuong Cờ thi đua của Chính phủ | Tỉnh Đoàn")
	expect(t, m.Text, "✅ Đã ghi đề nghị Cờ thi đua của Chính phủ cho 1 đơn vị (bởi Minh).", "ĐỀ NGHỊ KHEN THƯỞNG NĂM 2026",
		"Cờ thi đua của Chính phủ — 1 đơn vị\n• Tỉnh Đoàn — hạng 1 · bình xét 94")
	m = c.say(c.group, c.admin, "/award Cờ thi đua của UBND tỉnh | 3, hội cựu chiến binh")
	expect(t, m.Text, "✅ Đã ghi đề nghị Cờ thi đua của UBND tỉnh cho 2 đơn vị (bởi Hùng).",
		"Cờ thi đua của UBND tỉnh — 2 đơn vị\n• Hội Nông dân tỉnh — hạng 2 · bình xét 87\n• Hội Cựu chiến binh tỉnh — chưa bình xét")
	// Sent again, without diacritics, it replaces the units and keeps the name.
	m = c.say(c.group, c.minh, "/award co thi dua cua ubnd tinh | 3, 5")
	expect(t, m.Text, "✅ Đã ghi đề nghị Cờ thi đua của UBND tỉnh cho 2 đơn vị (bởi Minh).",
		"Cờ thi đua của UBND tỉnh — 2 đơn vị\n• Hội Nông dân tỉnh — hạng 2 · bình xét 87\n• Hội Liên hiệp Phụ nữ tỉnh — chưa bình xét")
	if strings.Contains(m.Text, "Cựu chiến binh") {
		t.Fatalf("the replaced unit stayed: %q", m.Text)
	}
	expect(t, c.say(c.group, c.minh, "/award Bằng khen <b>của</b> UBND tỉnh | 2").Text, "✅ Đã ghi đề nghị Bằng khen <b>của</b> UBND tỉnh cho 1 đơn vị")

	// Bad input: what was wrong, the right form, nothing changed.
	c.refused(c.minh, "/award Bằng khen của UBND tỉnh 2", "Ghi hình thức khen thưởng, dấu |, rồi các đơn vị", "Cú pháp: /award", "Ví dụ: /award Cờ thi đua của UBND tỉnh | 3, Tỉnh Đoàn")
	c.refused(c.minh, "/award Bằng khen của UBND tỉnh | 7, Hội Người <mù>", "Không tìm thấy đơn vị «Hội Người <mù>»", "Cú pháp: /award")
	c.refused(c.minh, "/award Bằng khen của UBND tỉnh | 7, Hội", "Không tìm thấy đơn vị «Hội» (hoặc tên khớp với nhiều đơn vị)")
	c.refused(c.minh, "/award Bằng khen của UBND tỉnh | 7, 4, hội chữ thập đỏ", "Đơn vị Hội Chữ thập đỏ tỉnh được nêu hai lần", "Cú pháp: /award")
	c.refused(c.minh, "/award | 7", "Tên hình thức khen thưởng (trước dấu |) phải có chữ", "Cú pháp: /award")
	c.refused(c.minh, "/award -5 | 7", "Tên hình thức khen thưởng (trước dấu |) phải có chữ")
	c.refused(c.minh, "/award "+strings.Repeat("ờ", 101)+" | 7", "dài tối đa 100 ký tự")
	c.refused(c.minh, "/award Bằng khen của UBND tỉnh | 7, 6",
		"Tỉnh Đoàn đã được đề nghị Cờ thi đua của Chính phủ; mỗi đơn vị chỉ được đề nghị một hình thức khen thưởng",
		"trước hết bỏ đơn vị khỏi đề nghị kia: gửi lại /award Cờ thi đua của Chính phủ | … với các đơn vị còn lại (hoặc /award Cờ thi đua của Chính phủ | nếu không còn đơn vị nào)")
	c.refused(c.minh, "/award Bằng khen của Bộ |", "Khối chưa đề nghị hình thức khen thưởng này nên không có gì để bỏ")

	// Removed.
	expect(t, c.say(c.group, c.minh, "/award bằng khen <b>của</b> ubnd tỉnh |").Text, "🗑 Đã bỏ đề nghị Bằng khen <b>của</b> UBND tỉnh (bởi Minh).")

	list := c.say(c.group, c.hoa, "/award").Text
	expect(t, list, "ĐỀ NGHỊ KHEN THƯỞNG NĂM 2026\nKhối thi đua MTTQ và các đoàn thể tỉnh Lào Cai",
		"Cờ thi đua của Chính phủ — 1 đơn vị\n• Tỉnh Đoàn — hạng 1 · bình xét 94\n\nCờ thi đua của UBND tỉnh — 2 đơn vị", "/award <hình thức> |")
	if strings.Contains(list, "Bằng khen") {
		t.Fatalf("the removed award is listed: %q", list)
	}
	board := c.say(c.group, c.hoa, "/bangdiem").Text
	expect(t, board, "1. Tỉnh Đoàn — bình xét 94", "🎖 Đề nghị khen thưởng (/award)\n• Cờ thi đua của Chính phủ: Tỉnh Đoàn\n"+
		"• Cờ thi đua của UBND tỉnh: Hội Nông dân tỉnh, Hội Liên hiệp Phụ nữ tỉnh")
	if strings.Index(board, "Đề nghị khen thưởng") < strings.Index(board, "Xếp hạng theo điểm bình xét") {
		t.Fatalf("the proposals come before the end of the ranking:\n%s", board)
	}

	expect(t, c.say(c.group, c.hoa, "/lichsu 5").Text,
		"Minh: ghi đề nghị khen thưởng: «Cờ thi đua của Chính phủ: Tỉnh Đoàn»",
		"Hùng (quản trị viên): ghi đề nghị khen thưởng: «Cờ thi đua của UBND tỉnh: Hội Nông dân tỉnh, Hội Cựu chiến binh tỉnh»",
		"Minh: ghi đề nghị khen thưởng: «Cờ thi đua của UBND tỉnh: Hội Nông dân tỉnh, Hội Cựu chiến binh tỉnh» → «Cờ thi đua của UBND tỉnh: Hội Nông dân tỉnh, Hội Liên hiệp Phụ nữ tỉnh»",
		"Minh: ghi đề nghị khen thưởng: «Bằng khen <b>của</b> UBND tỉnh: Hội Cựu chiến binh tỉnh»",
		"Minh: bỏ đề nghị khen thưởng: «Bằng khen <b>của</b> UBND tỉnh: Hội Cựu chiến binh tỉnh»")
	b := c.block()
	if ps := b.Registration.Proposals; len(ps) != 2 || ps[1].Award != "Cờ thi đua của UBND tỉnh" ||
		!slices.Equal(ps[1].UnitIDs, []string{b.Units[2].ID, b.Units[4].ID}) || ps[1].By.UserID != c.minh.ID {
		t.Fatalf("stored %+v", ps)
	}

	// The export gives each unit's row its proposal.
	c.say(c.group, c.hoa, "/export")
	rows := c.lastCSV("cham-diem.csv")
	if len(rows) == 0 || rows[0][len(rows[0])-1] != "Đề nghị khen thưởng" ||
		!hasRow(rows, "Tỉnh Đoàn", "1", "1", "Công tác tuyên truyền", "20", "", "", "20", "", "Cờ thi đua của Chính phủ") ||
		!hasRow(rows, "Hội Nông dân tỉnh", "2", "", "Tổng cộng", "100", "", "", "87", "", "Cờ thi đua của UBND tỉnh") ||
		!hasRow(rows, "Hội Liên hiệp Phụ nữ tỉnh", "", "", "Tổng cộng", "100", "", "", "", "", "Cờ thi đua của UBND tỉnh") ||
		!hasRow(rows, "Hội Cựu chiến binh tỉnh", "", "", "Tổng cộng", "100", "", "", "", "", "") {
		t.Fatalf("cham-diem.csv:\n%q", rows)
	}
	msgs := c.tg.Messages(c.group.ID)
	f := openWorkbook(t, msgs[len(msgs)-2].Document.Data)
	if got := cells(t, f, "Chấm điểm", 2); got[len(got)-1] != "Đề nghị khen thưởng" {
		t.Fatalf("scores header %q", got)
	}
	findRow(t, f, "Chấm điểm", "Tỉnh Đoàn", "1", "", "Tổng cộng", "100", "", "", "94", "", "Cờ thi đua của Chính phủ")

	// A unit removed from the block leaves its proposal.
	ask := c.say(c.group, c.admin, "/removeunit 5")
	c.press(c.group, c.admin, ask, buttonData(t, ask, "ru:"))
	expect(t, c.say(c.group, c.hoa, "/award").Text, "Cờ thi đua của UBND tỉnh — 1 đơn vị\n• Hội Nông dân tỉnh — hạng 2 · bình xét 87\n\nSửa:")
	c.noApology()
}

// A proposal naming units the block has agreed no score for is recorded,
// its confirmation warning of them in one line, in the reader's language;
// a unit agreed on some criteria only has a rank and is not named.
func TestAwardOfUnitsNotAgreedOnWarns(t *testing.T) {
	c := newRegCast(t)
	c.scored()
	c.say(c.group, c.admin, "/score #1\n1 18")
	john := englishAdmin(c.harness)
	expect(t, c.say(c.group, john, "/award Bằng khen của UBND tỉnh | 6, 2, 1, 5").Text,
		"✅ Recorded the proposal of Bằng khen của UBND tỉnh for 4 units (by John).\n"+
			"⚠️ Not agreed on yet: Hội Cựu chiến binh tỉnh, Hội Liên hiệp Phụ nữ tỉnh. Record agreed scores with /score #n.\n\n")
	if ps := c.block().Registration.Proposals; len(ps) != 1 || len(ps[0].UnitIDs) != 4 {
		t.Fatalf("stored %+v", ps)
	}
	if said := c.say(c.group, c.minh, "/award Bằng khen của UBND tỉnh | 6, 1").Text; strings.Contains(said, "⚠️") {
		t.Fatalf("a proposal of units agreed on warns:\n%s", said)
	}
	if said := c.say(c.group, c.minh, "/award Bằng khen của UBND tỉnh |").Text; strings.Contains(said, "⚠️") {
		t.Fatalf("a removal warns:\n%s", said)
	}
}

// A block without scoring criteria, whose units cannot be scored, records
// a proposal without the warning of units not agreed on, which would send
// the manager to /score, refused there for want of criteria (as /newyear
// names no unit not agreed on in such a block).
func TestAwardWithoutCriteriaWarnsOfNoScore(t *testing.T) {
	c := newRegCast(t)
	if n := len(c.block().Registration.Criteria); n != 0 {
		t.Fatalf("the block has %d criteria", n)
	}
	said := c.say(c.group, c.minh, "/award Bằng khen của UBND tỉnh | 1, 2").Text
	expect(t, said, "✅ Đã ghi đề nghị Bằng khen của UBND tỉnh cho 2 đơn vị")
	if strings.Contains(said, "⚠️") {
		t.Fatalf("a proposal in a block without criteria warns of units not agreed on:\n%s", said)
	}
}

// The proposals belong to the year: /newyear closes them with the scores,
// and the finished year's export keeps them.
func TestAwardsCloseWithTheYear(t *testing.T) {
	c := newRegCast(t)
	c.scored()
	c.say(c.group, c.minh, "/award Cờ thi đua của Chính phủ | 6")
	c.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	ask := c.say(c.group, c.admin, "/newyear")
	expect(t, ask.Text, "Khép lại cùng năm 2026:", "điểm tự chấm và điểm bình xét, đề nghị khen thưởng")
	c.press(c.group, c.admin, ask, button(t, ask, "✅ Sang năm 2027"))
	expect(t, c.message(ask.ID).Text, "đã sang năm thi đua 2027")

	if ps := c.block().Registration.Proposals; len(ps) != 0 {
		t.Fatalf("the proposals of 2026 stayed: %+v", ps)
	}
	expect(t, c.say(c.group, c.hoa, "/award").Text, "Khối chưa có đề nghị khen thưởng nào năm 2027")
	// The board of 2026 points to the proposals of 2026, not to /award,
	// which shows 2027's.
	board := c.say(c.group, c.hoa, "/scores 2026").Text
	expect(t, board, "🎖 Đề nghị khen thưởng (/award 2026)\n• Cờ thi đua của Chính phủ: Tỉnh Đoàn")
	if strings.Contains(board, "(/award)") {
		t.Fatalf("the board of 2026 points to this year's proposals: %s", board)
	}
	expect(t, c.say(c.group, c.hoa, "/scores").Text, "🏅 BẢNG ĐIỂM THI ĐUA NĂM 2027")
	c.say(c.group, c.hoa, "/export 2026")
	if rows := c.lastCSV("cham-diem.csv"); !hasRow(rows, "Tỉnh Đoàn", "1", "", "Tổng cộng", "100", "", "", "94", "", "Cờ thi đua của Chính phủ") {
		t.Fatalf("the export of 2026 lacks the proposal:\n%q", rows)
	}
	c.say(c.group, c.hoa, "/export")
	if rows := c.lastCSV("cham-diem.csv"); slices.ContainsFunc(rows, func(r []string) bool { return slices.Contains(r, "Cờ thi đua của Chính phủ") }) {
		t.Fatalf("the export of 2027 has the proposal of 2026:\n%q", rows)
	}
	c.noApology()
}

// A proposal answered, then delivered again after a crash, is not recorded
// twice.
func TestAwardRedelivered(t *testing.T) {
	c := newRegCast(t)
	c.redeliveredOnce(c.minh, "/award Cờ thi đua của Chính phủ | 6")
	if ps := c.block().Registration.Proposals; len(ps) != 1 {
		t.Fatalf("redelivered: proposals %+v", ps)
	}
}

// redeliveredOnce has user send text, which the bot handles, and delivers
// it again as after a crash: the history must not grow again.
func (c *regCast) redeliveredOnce(user *telegramtest.User, text string) {
	c.t.Helper()
	u := c.tg.Send(c.group, user, text)
	c.handled(u)
	events := len(c.history(c.t))
	c.redeliver(u)
	if got := c.history(c.t); len(got) != events {
		c.t.Fatalf("%q redelivered: %d history entries, was %d", text, len(got), events)
	}
}

// history lists the actions of the block's stored history.
func (c *regCast) history(t *testing.T) []string {
	t.Helper()
	var out []string
	evs, err := storage.History(t.Context(), c.store, c.block().ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		out = append(out, e.Action)
	}
	return out
}
