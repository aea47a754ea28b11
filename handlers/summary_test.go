package handlers_test

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// longTitle is the title of pledge k of unit u in a long registration:
// about 400 characters, as official wordings run, with text of the
// unit's own (hostile, say) in it.
func longTitle(u, k int, own string) string {
	return strings.Join(strings.Fields(fmt.Sprintf("Đơn vị %d nội dung %d %s %s", u, k, own, strings.Repeat("vận động nhân dân tham gia ", 14))), " ")
}

// returnReason is the reason the long registration's unit 1 is returned
// with: longer than the overview shows.
const returnReason = "Nội dung số 3 và số 5 trùng nhau; chỉ tiêu số 7 chưa có số liệu cụ thể, đề nghị đơn vị rà soát lại toàn bộ danh sách trước khi gửi lại"

// longRegistration registers, through the bot, eight long pledges for each
// of units 1 to 6 of c's block (about 20,000 characters: six or more
// messages in full), titled with own, and two criteria; unit 7 registers
// nothing. Hội Nông dân (3) is approved and signs the covenant, the MTTQ
// (1) is returned with returnReason, the others are not submitted. It
// returns the titles, by unit.
func longRegistration(c *regCast, own string) [][]string {
	c.t.Helper()
	c.open()
	c.say(c.group, c.minh, "/criteria add Tuyên truyền | 40\nHội viên | 60")
	titles := make([][]string, 6)
	for u := 1; u <= 6; u++ {
		var lines []string
		for k := 1; k <= 8; k++ {
			titles[u-1] = append(titles[u-1], longTitle(u, k, own))
			lines = append(lines, longTitle(u, k, own)+" | 1.200 hội viên")
		}
		expect(c.t, c.say(c.group, c.admin, fmt.Sprintf("/pledge #%d ", u)+strings.Join(lines, "\n")).Text, "Danh sách hiện có 8 nội dung")
	}
	c.say(c.group, c.lan, "/submit")
	c.say(c.group, c.minh, "/approve 3")
	c.say(c.group, c.admin, "/submit #1")
	expect(c.t, c.say(c.group, c.minh, "/return 1 | "+returnReason).Text, "trả lại")
	c.say(c.group, c.minh, "/covenant Đoàn kết, đổi mới")
	cov := c.lastIn(c.group.ID)
	c.press(c.group, c.lan, cov, cov.Buttons[0][0].Data)
	return titles
}

// summaryAnswer has user send text in the group, checks that it changes
// nothing, and returns what the bot posted in answer.
func summaryAnswer(c *regCast, user *telegramtest.User, text string) []telegramtest.Message {
	c.t.Helper()
	before := len(c.tg.Messages(c.group.ID))
	c.unchanged(func() { c.say(c.group, user, text) })
	return c.tg.Messages(c.group.ID)[before:]
}

// overviewAndFile fails unless msgs are an overview, one message
// replying to the command and within Telegram's limit, and a document
// after it, replying to the command too, and returns both.
func overviewAndFile(t *testing.T, msgs []telegramtest.Message) (telegramtest.Message, *telegramtest.File) {
	t.Helper()
	if len(msgs) != 2 || msgs[0].Document != nil || msgs[1].Document == nil {
		t.Fatalf("the summary came as %d messages, not an overview and a file: %+v", len(msgs), msgs)
	}
	if msgs[0].ReplyTo == 0 || msgs[1].ReplyTo != msgs[0].ReplyTo {
		t.Fatalf("the overview replies to %d, the file to %d", msgs[0].ReplyTo, msgs[1].ReplyTo)
	}
	if n := utf16Len(msgs[0].Text); n > 4096 {
		t.Fatalf("the overview is %d long", n)
	}
	return msgs[0], msgs[1].Document
}

// summaryBook opens the summary's workbook and checks that it holds the
// registration's three tables and every pledge of titles, by unit, under
// the unit's name in units.
func summaryBook(t *testing.T, doc *telegramtest.File, units []string, titles [][]string) {
	t.Helper()
	if doc.Name != "tong-hop-dang-ky-2026-mttq-va-cac-doan-the-tinh-lao-cai.xlsx" {
		t.Fatalf("the file is named %q", doc.Name)
	}
	f := openWorkbook(t, doc.Data)
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Đơn vị", "Đăng ký", "Tiêu chí"}) {
		t.Fatalf("sheets %v", got)
	}
	if got := cells(t, f, "Đăng ký", 1); got[0] != "Tổng hợp đăng ký thi đua năm 2026 — Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai — Đăng ký" {
		t.Fatalf("title %q", got)
	}
	for u, ts := range titles {
		for k, title := range ts {
			findRow(t, f, "Đăng ký", units[u], strconv.Itoa(k+1), title, "1.200 hội viên")
		}
	}
	findRow(t, f, "Đăng ký", units[6], "", "(chưa đăng ký nội dung)")
	findRow(t, f, "Đăng ký", units[2], "8", titles[2][7], "1.200 hội viên", "1200", "hội viên", "30/11/2026", "đã duyệt")
	findRow(t, f, "Đăng ký", units[0], "1", titles[0][0], "1.200 hội viên", "1200", "hội viên", "30/11/2026", "bị trả lại")
	for i, u := range units {
		findRow(t, f, "Đơn vị", strconv.Itoa(i+1), u)
	}
	findRow(t, f, "Tiêu chí", "", "Tổng cộng", "100")
	rows, err := f.GetRows("Đăng ký")
	if err != nil || len(rows) != 2+6*8+1 {
		t.Fatalf("the pledges' sheet has %d rows (%v)", len(rows), err)
	}
}

// seedUnits are the units of the harness's block (see setUp).
var seedUnits = []string{"Ủy ban MTTQ Việt Nam tỉnh", "Hội Cựu chiến binh tỉnh", "Hội Nông dân tỉnh", "Liên đoàn Lao động tỉnh",
	"Hội Liên hiệp Phụ nữ tỉnh", "Tỉnh Đoàn", "Hội Chữ thập đỏ tỉnh"}

// A registration summary too long for three messages comes as one short
// overview, a line per unit, and the full summary as an Excel workbook:
// every pledge of every unit. Anyone may ask for it; it changes nothing.
// The pledges of one unit are where the overview says they are.
func TestSummaryTooLongComesAsOverviewAndWorkbook(t *testing.T) {
	c := newRegCast(t)
	titles := longRegistration(c, "")
	overview, doc := overviewAndFile(t, summaryAnswer(c, c.hoa, "/tonghop"))
	expect(t, overview.Text, "TỔNG HỢP ĐĂNG KÝ THI ĐUA NĂM 2026\nKhối thi đua MTTQ và các đoàn thể tỉnh Lào Cai\nĐăng ký: đang mở\n"+
		"Đơn vị: 7 · đã duyệt 1 · chờ duyệt 0 · bị trả lại 1 · chưa gửi 5 · chưa đăng ký nội dung nào 1\n"+
		"Tiêu chí chấm điểm: 2, tổng điểm tối đa 100 (xem /criteria)\n\n"+
		"1. Ủy ban MTTQ Việt Nam tỉnh — ↩️ bị trả lại · 8 nội dung\n"+
		"   Lý do trả lại: Nội dung số 3 và số 5 trùng nhau; chỉ tiêu số 7 chưa có số liệu cụ thể, đề nghị…\n"+
		"2. Hội Cựu chiến binh tỉnh — 📝 chưa gửi · 8 nội dung\n"+
		"3. Hội Nông dân tỉnh — ✅ đã duyệt · 8 nội dung · ✍️ đã ký giao ước\n",
		"7. Hội Chữ thập đỏ tỉnh — ⚠️ chưa đăng ký nội dung nào\n\n"+
			"📎 Danh sách đầy đủ, với từng nội dung đăng ký của mọi đơn vị, ở tệp Excel gửi kèm ngay sau tin này. "+
			"Xem nội dung của một đơn vị: /pledges <số> (số thứ tự như trên).")
	if strings.Contains(overview.Text, "vận động nhân dân") {
		t.Fatalf("the overview lists pledges:\n%s", overview.Text)
	}
	if !strings.HasPrefix(c.lastIn(c.group.ID).Text, "📎 Tổng hợp đăng ký thi đua năm 2026 — Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai, số liệu đến 02/03/2026 09:00: ") {
		t.Fatalf("the file's caption: %q", c.lastIn(c.group.ID).Text)
	}
	summaryBook(t, doc, seedUnits, titles)

	// The overview's hint works.
	expect(t, c.say(c.group, c.hoa, "/pledges 3").Text, "1. "+titles[2][0]+" — chỉ tiêu: 1.200 hội viên")
	c.noApology()
}

// An English speaker's overview is in English; the workbook, the block's
// document, is in Vietnamese as /export's is.
func TestSummaryOverviewInEnglish(t *testing.T) {
	c := newRegCast(t)
	titles := longRegistration(c, "")
	john := c.member("John", "john", telegramtest.Lang("en"))
	overview, doc := overviewAndFile(t, summaryAnswer(c, john, "/summary"))
	expect(t, overview.Text, "REGISTRATION SUMMARY 2026\nKhối thi đua MTTQ và các đoàn thể tỉnh Lào Cai\nRegistration: open\n"+
		"Units: 7 · approved 1 · awaiting approval 0 · returned 1 · not submitted 5 · without pledges 1\n"+
		"Scoring criteria: 2, total of maximum points 100 (see /criteria)\n\n"+
		"1. Ủy ban MTTQ Việt Nam tỉnh — ↩️ returned · 8 pledges\n   Reason for return: ",
		"3. Hội Nông dân tỉnh — ✅ approved · 8 pledges · ✍️ signed the covenant\n",
		"7. Hội Chữ thập đỏ tỉnh — ⚠️ no pledges registered\n\n"+
			"📎 The full list, with every pledge of every unit, is in the Excel file sent right after this message. "+
			"To see one unit's pledges: /pledges <number> (numbered as above).")
	caption := c.lastIn(c.group.ID).Text
	expect(t, caption, "📎 Registration summary 2026 — Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai, data as of 02/03/2026 09:00: criteria, units and every pledge.")
	typed := append(slices.Clone(seedUnits), "Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai")
	typed = append(typed, strings.Fields(returnReason)...) // cut short
	for _, text := range []string{overview.Text, caption} {
		if why := notEnglish(text, typed); why != "" {
			t.Fatalf("%s:\n%s", why, text)
		}
	}
	summaryBook(t, doc, seedUnits, titles)
	c.noApology()
}

// When Telegram refuses the summary's file, the asker is told politely
// what to do instead, after the overview; nothing fails, and asking
// again sends it.
func TestSummaryFileRefused(t *testing.T) {
	c := newRegCast(t)
	titles := longRegistration(c, "")
	c.tg.FailNext("sendDocument", 1)
	msgs := summaryAnswer(c, c.hoa, "/tonghop")
	if len(msgs) != 2 || msgs[0].Document != nil || msgs[1].Document != nil {
		t.Fatalf("with the file refused the bot posted %+v", msgs)
	}
	expect(t, msgs[0].Text, "TỔNG HỢP ĐĂNG KÝ THI ĐUA NĂM 2026", "📎 Danh sách đầy đủ")
	if msgs[1].Text != "⚠️ Telegram không nhận tệp tổng hợp nên chưa gửi được danh sách đầy đủ. "+
		"Xem nội dung của từng đơn vị bằng /pledges <số>, hoặc gửi lại /summary sau ít phút." || msgs[1].ReplyTo != msgs[0].ReplyTo {
		t.Fatalf("the notice: %q, replying to %d", msgs[1].Text, msgs[1].ReplyTo)
	}
	c.noApology()
	_, doc := overviewAndFile(t, summaryAnswer(c, c.hoa, "/tonghop"))
	summaryBook(t, doc, seedUnits, titles)
}

// Hostile unit names, pledge titles and reasons stay text in the overview
// and are plain text, not formulas, in the workbook.
func TestSummaryOverviewHostileText(t *testing.T) {
	h := newHarness(t)
	const sly = `<b>Hội</b> & "<a href="tg://user?id=1">x</a>"`
	const formula = `=HYPERLINK("http://evil.example","bấm")`
	h.say(h.group, h.admin, "/setup Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai")
	units := []string{"Ủy ban MTTQ Việt Nam tỉnh", "Hội Cựu chiến binh tỉnh " + sly, "Hội Nông dân tỉnh", "Liên đoàn Lao động tỉnh",
		"Hội Liên hiệp Phụ nữ tỉnh", "Tỉnh Đoàn", formula}
	h.say(h.group, h.admin, "/addunit "+strings.Join(units, "\n"))
	c := &regCast{harness: h, lan: h.member("Lan", ""), minh: h.member("Minh", "minh_td"), hoa: h.member("Hoa", "hoa")}
	h.handled(h.tg.SendPrivate(c.lan, "/start"))
	h.join(c.lan, "3")
	h.join(c.minh, "6")
	h.say(h.group, h.admin, "/leader 6")
	titles := longRegistration(c, sly)
	h.say(h.group, h.admin, "/pledge #2 "+formula+" | 10 buổi")
	titles[1] = append(titles[1], formula)

	overview, doc := overviewAndFile(t, summaryAnswer(c, c.hoa, "/tonghop"))
	expect(t, overview.Text, "2. Hội Cựu chiến binh tỉnh "+sly+" — 📝 chưa gửi · 9 nội dung\n", "\n7. "+formula+" — ⚠️ chưa đăng ký nội dung nào\n")
	bold := 0
	for _, e := range overview.Entities {
		switch e.Type {
		case "bold":
			bold++
		case "text_link", "text_mention", "italic", "underline", "code", "pre":
			t.Fatalf("the overview has a %s entity: %+v", e.Type, overview.Entities)
		}
	}
	if bold != 3 { // the title, the block's name, the criteria's total
		t.Fatalf("the overview has %d bold entities: %+v", bold, overview.Entities)
	}
	f := openWorkbook(t, doc.Data)
	for u, ts := range titles {
		for k, title := range ts {
			findRow(t, f, "Đăng ký", units[u], strconv.Itoa(k+1), title)
		}
	}
	findRow(t, f, "Đơn vị", "7", formula)
	for _, sheet := range []string{"Đơn vị", "Đăng ký"} {
		rows, _ := f.GetRows(sheet)
		for i := range rows {
			for j := range rows[i] {
				cell := fmt.Sprintf("%c%d", 'A'+j, i+1)
				if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
					t.Fatalf("%s!%s became a formula: %q", sheet, cell, formula)
				}
			}
		}
	}
	c.noApology()
}

// The overview of a block of the most units, with the longest names, does
// not fit in one message: it is split between units, each line whole.
func TestSummaryOverviewOfManyUnitsIsSplitBetweenUnits(t *testing.T) {
	h := newHarness(t)
	h.say(h.group, h.admin, "/setup Khối thi đua các huyện, thị xã, thành phố")
	h.say(h.group, h.admin, "/openreg")
	admin := thidua.Actor{UserID: h.admin.ID, Name: h.admin.FirstName, Admin: true}
	names := longUnitNames()
	if _, err := h.store.Update(t.Context(), h.block().ID, func(b *thidua.Block) error {
		units, err := b.AddUnits(admin, names, h.now)
		if err != nil {
			return err
		}
		d, err := thidua.ParsePledge("Vận động xây 50 nhà đại đoàn kết cho hộ nghèo trên địa bàn | 50 nhà", b.Year, b.Location())
		if err != nil {
			return err
		}
		for _, u := range units {
			if _, err := b.AddPledges(admin, u.ID, []thidua.PledgeDraft{d}, h.now); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	before := len(h.tg.Messages(h.group.ID))
	h.say(h.group, h.admin, "/summary")
	msgs := h.tg.Messages(h.group.ID)[before:]
	parts, doc := msgs[:len(msgs)-1], msgs[len(msgs)-1].Document
	// Sixty lines of about 230 characters.
	if len(parts) != 4 || doc == nil {
		t.Fatalf("the summary came as %d messages, the last a file: %v", len(msgs), doc != nil)
	}
	var text []string
	unitLine := regexp.MustCompile(`^\d+\. Ủy ban nhân dân huyện số \d+, `)
	for i, m := range parts {
		if n := utf16Len(m.Text); n > 4096 || m.Document != nil {
			t.Fatalf("part %d is %d long", i+1, n)
		}
		if i > 0 && !unitLine.MatchString(m.Text) {
			t.Fatalf("part %d starts %q", i+1, m.Text[:min(len(m.Text), 80)])
		}
		text = append(text, m.Text)
	}
	for i, name := range names {
		expect(t, strings.Join(text, "\n"), fmt.Sprintf("\n%d. %s — 📝 chưa gửi · 1 nội dung\n", i+1, name))
	}
	expect(t, text[len(text)-1], "📎 Danh sách đầy đủ")
	if rows, err := openWorkbook(t, doc.Data).GetRows("Đăng ký"); err != nil || len(rows) != 2+thidua.MaxUnits {
		t.Fatalf("the file has %d rows (%v)", len(rows), err)
	}
}
