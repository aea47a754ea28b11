package handlers_test

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// bigBlockName is the large block's name.
const bigBlockName = "Khối thi đua các cơ quan Đảng, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội tỉnh Lào Cai"

// bigUnits are the fifteen units of the large block, with the long
// official names real provincial blocks have.
var bigUnits = []string{
	"Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lào Cai",
	"Ban Tuyên giáo và Dân vận Tỉnh ủy",
	"Đảng ủy các cơ quan Đảng tỉnh",
	"Hội Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh",
	"Hội Cựu chiến binh tỉnh Lào Cai",
	"Hội Nông dân tỉnh Lào Cai",
	"Liên đoàn Lao động tỉnh Lào Cai",
	"Hội Liên hiệp Phụ nữ tỉnh Lào Cai",
	"Tỉnh Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Lào Cai",
	"Hội Chữ thập đỏ tỉnh Lào Cai",
	"Liên minh Hợp tác xã tỉnh Lào Cai",
	"Hội Bảo trợ người khuyết tật, trẻ mồ côi và bệnh nhân nghèo tỉnh Lào Cai",
	"Liên hiệp các tổ chức hữu nghị tỉnh Lào Cai",
	"Hội Người cao tuổi tỉnh Lào Cai",
	"Hội Văn học Nghệ thuật tỉnh Lào Cai",
}

// The units the walk follows closely, by their index in bigUnits: Hội Nông
// dân registers and reports through the bot, Liên đoàn Lao động reports
// step by step on a phone, Tỉnh Đoàn leads the block, the MTTQ is its
// deputy, and the Hội Bảo trợ has the longest name.
const (
	bigMTTQ     = 0
	bigNongDan  = 5
	bigLDLD     = 6
	bigTinhDoan = 8
	bigBaoTro   = 11
)

// bigCriteria are the large block's twelve scoring criteria, 100 points.
var bigCriteria = []string{
	"Công tác lãnh đạo, chỉ đạo, tổ chức phát động phong trào thi đua | 10",
	"Công tác tuyên truyền, giáo dục chính trị tư tưởng | 8",
	"Xây dựng tổ chức, phát triển đoàn viên, hội viên | 10",
	"Tham gia giám sát và phản biện xã hội | 8",
	"Thực hiện chương trình giảm nghèo bền vững và an sinh xã hội | 10",
	"Xây dựng nông thôn mới, đô thị văn minh | 8",
	"Phong trào «Toàn dân đoàn kết xây dựng đời sống văn hóa» | 8",
	"Công tác đối ngoại nhân dân | 6",
	"Chuyển đổi số trong hoạt động của cơ quan, đơn vị | 8",
	"Thực hành tiết kiệm, chống lãng phí; cải cách hành chính | 8",
	"Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến | 8",
	"Thực hiện chế độ thông tin, báo cáo | 8",
}

// bigSlogan is the large block's covenant slogan (seed 003).
const bigSlogan = "Đoàn kết, vượt khó - Chủ động thích ứng - Điều hành linh hoạt - Đổi mới, sáng tạo - Kịp thời, hiệu quả"

// bigPeriods are the large block's six reporting periods, one of them with
// a long name.
var bigPeriods = []string{
	"Quý I | 31/03",
	"6 tháng | 15/06",
	"Chuyên đề: sơ kết phong trào «Lào Cai chung sức xây dựng nông thôn mới, đô thị văn minh» | 31/07",
	"9 tháng | 15/09",
	"10 tháng | 31/10",
	"Cả năm | 30/11",
}

// bigDeadline is the leader's deadline at the year's end, with the long
// title such deadlines have.
const bigDeadline = "Nộp báo cáo tổng kết công tác thi đua, khen thưởng năm 2026 và phương hướng nhiệm vụ năm 2027 kèm hồ sơ đề nghị khen thưởng (bản giấy và bản điện tử)"

// bigAwards are the award proposals, covering the fifteen units.
var bigAwards = []string{
	"Cờ thi đua của Chính phủ | 9",
	"Cờ thi đua của Ủy ban nhân dân tỉnh Lào Cai dành cho tập thể dẫn đầu khối thi đua | 1, 6",
	"Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho tập thể có thành tích xuất sắc | 2, 3, 4, 5, 7, 8",
	"Giấy khen của Ban Thi đua - Khen thưởng tỉnh cho tập thể hoàn thành tốt nhiệm vụ | 10, 11, 12, 13, 14, 15",
}

// surnames and givenNames make the representatives' and the nominees'
// names.
var (
	surnames   = []string{"Nguyễn Thị", "Trần Văn", "Lò Thị", "Vàng A", "Hoàng Minh", "Phạm Thu", "Lê Quang", "Đỗ Thị Hồng"}
	givenNames = []string{"An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga", "Oanh", "Phúc", "Quân", "Sơn", "Tâm", "Uyên"}
)

// positions are the nominees' positions, leaders and not.
var positions = []string{
	"Chuyên viên Ban Tuyên giáo, phụ trách công tác tuyên truyền miệng và báo cáo viên cơ sở",
	"Phó Trưởng ban Phong trào, kiêm Bí thư Chi bộ cơ quan",
	"Hội viên, chủ trang trại chăn nuôi tổng hợp tại xã Bản Lầu, huyện Mường Khương",
	"Chủ tịch Hội cơ sở xã Cốc San, thành phố Lào Cai",
}

// pledgeTitle is the title of pledge k of unit i: long, as official
// wordings are, every ninth at the 500 characters the bot accepts.
func pledgeTitle(i, k int) string {
	title := fmt.Sprintf("Nội dung %d.%d: Tiếp tục đẩy mạnh phong trào thi đua «Lào Cai chung sức xây dựng nông thôn mới, đô thị văn minh», gắn với học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", i+1, k+1)
	want := 120 + (k*37+i*11)%381
	if k%9 == 0 {
		want = thidua.MaxPledgeLen
	}
	for utf8.RuneCountInString(title) < want {
		title += "; vận động đoàn viên, hội viên và Nhân dân các dân tộc trên địa bàn tỉnh tích cực tham gia, tạo sức lan tỏa sâu rộng"
	}
	return strings.TrimSpace(string([]rune(title)[:want]))
}

// pledgeTarget is the target of pledge k: a number with a measure, a
// percentage or free text.
func pledgeTarget(k int) string {
	switch k % 4 {
	case 0:
		return fmt.Sprintf("%d hội viên", 100+k*10)
	case 1:
		return "95%"
	case 2:
		return fmt.Sprintf("%d mô hình", 5+k)
	}
	return "hoàn thành xuất sắc"
}

// pledgeCount is how many pledges unit i registers: 35 to 45.
func pledgeCount(i int) int { return 35 + (i*7)%11 }

// pledgeLine is the line registering pledge k of unit i.
func pledgeLine(i, k int) string { return pledgeTitle(i, k) + " | " + pledgeTarget(k) }

// reportNote is the note of unit i on pledge k for period p: on one pledge
// in five, long on half of those, as units write what they did.
func reportNote(i, k, p int) string {
	if (i+k+p)%5 != 0 {
		return ""
	}
	note := fmt.Sprintf("Kỳ %d: đã tổ chức hội nghị triển khai tại 9 huyện, thị xã, thành phố; phối hợp với các sở, ngành kiểm tra, giám sát", p+1)
	if k%2 == 0 {
		note += ", đánh giá kết quả tại cơ sở, biểu dương các tập thể, cá nhân có thành tích xuất sắc và đề xuất khen thưởng theo quy định của tỉnh"
	}
	return note
}

// longNote is a note of almost the 300 characters the bot accepts, which
// Liên đoàn Lao động gives each pledge of its year's report.
func longNote(k int) string {
	note := fmt.Sprintf("nội dung %d: đã tổ chức 12 hội nghị tại các huyện, thị xã, thành phố và 45 công đoàn cơ sở; phối hợp với các sở, ngành kiểm tra, giám sát việc thực hiện, biểu dương 30 tập thể, 52 cá nhân tiêu biểu; kết quả cụ thể có trong báo cáo tổng kết gửi kèm và biên bản kiểm tra của đoàn liên ngành", k+1)
	return string([]rune(note)[:min(utf8.RuneCountInString(note), thidua.MaxNoteLen-10)])
}

// reportLines are unit i's report lines for period p: cumulative values at
// the pace of the year, a pledge in seven left out.
func reportLines(i, p int) []string {
	var lines []string
	for k := range pledgeCount(i) {
		if (i+k+p)%7 == 6 {
			continue
		}
		var v string
		switch k % 4 {
		case 0:
			v = strconv.Itoa((100 + k*10) * (p + 1) / 7)
		case 1:
			v = fmt.Sprintf("%d%%", 15*(p+1))
		case 2:
			v = strconv.Itoa((5 + k) * (p + 1) / 6)
		default:
			v = fmt.Sprintf("%d%%", 100*(p+1)/6)
		}
		line := fmt.Sprintf("%d %s", k+1, v)
		if n := reportNote(i, k, p); n != "" {
			line += " " + n
		}
		lines = append(lines, line)
	}
	return lines
}

// exemplarLine is the nomination line of unit i's person j.
func exemplarLine(i, j int) string {
	name := surnames[(i+j+3)%len(surnames)] + " " + givenNames[(i*5+j*3)%len(givenNames)]
	return name + " | " + positions[j%len(positions)] + " | Có nhiều đóng góp tiêu biểu trong phong trào thi đua năm 2026, được tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh về thành tích xuất sắc trong công tác vận động quần chúng"
}

// bigWalk is the cast of the large block: staff[i] are the two or three
// representatives of unit i+1, the first of each approved through /join,
// the others through the domain; Tỉnh Đoàn leads the block and the MTTQ
// is its deputy.
type bigWalk struct {
	*walk
	staff [][]*telegramtest.User
}

// newBigWalk starts the bot for the large block, on a store without the
// checks that would cost it more than its requests (withoutStoreChecks).
func newBigWalk(t *testing.T) *bigWalk {
	return &bigWalk{walk: &walk{harness: newHarness(t, withoutStoreChecks())}}
}

// actor is the domain's view of a user, as the bot sees them.
func actor(u *telegramtest.User) thidua.Actor {
	return thidua.Actor{UserID: u.ID, Name: u.FirstName, Username: u.UserName}
}

// lead is the leader unit's first representative.
func (w *bigWalk) lead() *telegramtest.User { return w.staff[bigTinhDoan][0] }

// unit is the unit at index i of the stored block.
func (w *bigWalk) unit(i int) thidua.Unit {
	w.t.Helper()
	return w.block().Units[i]
}

// apply changes the stored block through the domain where only volume
// matters: what a year of typing would have stored.
func (w *bigWalk) apply(fn func(b *thidua.Block) error) {
	w.t.Helper()
	if _, err := w.store.Update(w.t.Context(), w.block().ID, fn); err != nil {
		w.t.Fatal(err)
	}
}

// saidAll sends text as user, which a person can send in one message, and
// returns every message the bot posted in the group in answer, checked
// against the limits of Telegram that the fake does not enforce (fits).
func (w *bigWalk) saidAll(user *telegramtest.User, text string) []telegramtest.Message {
	w.t.Helper()
	if n := utf16Len(text); n > 4096 {
		w.t.Fatalf("a person cannot send %d characters in one message", n)
	}
	n := len(w.tg.Messages(w.group.ID))
	w.handled(w.tg.Send(w.group, user, text))
	msgs := w.tg.Messages(w.group.ID)[n:]
	w.fits(msgs...)
	return msgs
}

// mentions counts the mentions of people in a message.
func mentions(m telegramtest.Message) int {
	n := 0
	for _, e := range m.Entities {
		if e.Type == "text_mention" || strings.HasPrefix(e.URL, "tg://user") {
			n++
		}
	}
	return n
}

// fits fails unless each message keeps the limits of Telegram that the fake
// does not enforce: 50 mentions (it notifies nobody of more) and 100
// buttons. (The fake records the messages past its 100 formatting entities,
// and the harness fails the test for them: see
// telegramtest.Server.FailOnFormattingLoss.)
func (w *bigWalk) fits(msgs ...telegramtest.Message) {
	w.t.Helper()
	for _, m := range msgs {
		buttons := 0
		for _, row := range m.Buttons {
			buttons += len(row)
		}
		if mentions(m) > 50 || buttons > 100 {
			w.t.Fatalf("message %d has %d mentions and %d buttons:\n%s", m.ID, mentions(m), buttons, m.Text)
		}
	}
}

// parts fails unless every message of a long answer after the first starts
// with a whole line that matches starts, where the message before ended,
// and returns the answer's text, its messages joined by line ends.
func (w *bigWalk) parts(msgs []telegramtest.Message, starts *regexp.Regexp) string {
	w.t.Helper()
	texts := make([]string, len(msgs))
	for i, m := range msgs {
		texts[i] = m.Text
		if i > 0 && !starts.MatchString(m.Text) {
			w.t.Fatalf("message %d of %d starts %q, not with a line matching %s; the one before ends %q", i+1, len(msgs),
				cutText(m.Text[:strings.IndexByte(m.Text+"\n", '\n')]), starts, cutText(msgs[i-1].Text[strings.LastIndexByte(msgs[i-1].Text, '\n')+1:]))
		}
	}
	return strings.Join(texts, "\n")
}

// cutText cuts s to 80 characters for a failure's message.
func cutText(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}

// historyLen is how many entries the block's history holds.
func (w *bigWalk) historyLen() int {
	w.t.Helper()
	_, n, err := w.store.HistoryPage(w.t.Context(), w.block().ID, 0, 1)
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

// TestLargeBlockWalkthrough plays a year of a large provincial block: 15
// units with long official names, 2 or 3 representatives each, 35 to 45
// pledges per unit with titles up to the 500 characters the bot takes, 12
// criteria, 6 reporting periods, 15 units proposed for 4 awards, 60
// nominated individuals, an election among 15 candidates and a history of
// over 900 entries. What volume alone needs is stored through the
// domain; every feature it checks goes through the bot, and every answer
// is checked against Telegram's limits, those of an edited message (which
// cannot be split) and those the fake does not enforce (fits), and for
// where it splits.
func TestLargeBlockWalkthrough(t *testing.T) {
	w := newBigWalk(t)
	w.seatBig()
	w.registerBig()
	w.submitBig()
	w.signBig()
	w.reportBig()
	w.boardsBig()
	w.phoneReportBig()
	w.reviewBig()
	w.removalQuestionBig()
	w.remindBig()
	w.electBig()
	w.historyBig()
	w.exportBig()
	w.helpBig()
}

// seatBig, on 05/01: the administrator sets the block up with its fifteen
// units in one message; the MTTQ's first representative picks the unit
// from /join's fifteen buttons, the other units' first representatives
// name theirs, the others are approved through the domain; then Tỉnh Đoàn
// leads and the MTTQ deputises. /units lists it all in one message.
func (w *bigWalk) seatBig() {
	w.t.Helper()
	t := w.t
	w.on(1, 5, 8, 0)
	w.say(w.group, w.admin, "/setup "+bigBlockName)
	added := w.saidAll(w.admin, "/addunit "+strings.Join(bigUnits, "\n"))
	expect(t, added[0].Text, "✅ Đã thêm 15 đơn vị", "• "+bigUnits[bigBaoTro])
	if got := namesOf(w.block()); !slices.Equal(got, bigUnits) {
		t.Fatalf("the units stored: %q", got)
	}
	w.staff = make([][]*telegramtest.User, len(bigUnits))
	for i := range bigUnits {
		for k := range 2 + i%2 {
			w.staff[i] = append(w.staff[i], w.member(surnames[(i+k)%len(surnames)]+" "+givenNames[(i*3+k)%len(givenNames)], ""))
		}
	}
	pick := w.saidAll(w.staff[bigMTTQ][0], "/join")
	if len(pick) != 1 || len(pick[0].Buttons) != len(bigUnits) {
		t.Fatalf("/join offers %d messages, the last with %d rows of buttons", len(pick), len(pick[len(pick)-1].Buttons))
	}
	for i, row := range pick[0].Buttons {
		if len(row) != 1 || row[0].Text != bigUnits[i] {
			t.Fatalf("/join's row %d is %v, not the unit's full name alone", i+1, row)
		}
	}
	w.press(w.group, w.staff[bigMTTQ][0], pick[0], pick[0].Buttons[bigMTTQ][0].Data)
	ask, _ := w.tg.LastMessage(w.group.ID)
	w.press(w.group, w.admin, ask, ask.Buttons[0][0].Data)
	for i := range bigUnits[1:] {
		w.join(w.staff[i+1][0], bigUnits[i+1])
	}
	others := make([][]*telegramtest.User, len(w.staff))
	for i, us := range w.staff {
		others[i] = us[1:]
	}
	w.seatAll(others)
	w.say(w.group, w.admin, "/leader 9")
	w.say(w.group, w.admin, "/deputy 1")
	w.handled(w.tg.SendPrivate(w.staff[bigBaoTro][0], "/start"))
	units := w.saidAll(w.staff[bigLDLD][1], "/units")
	if len(units) != 1 {
		t.Fatalf("/units takes %d messages", len(units))
	}
	expect(t, units[0].Text, "Khối trưởng: "+bigUnits[bigTinhDoan]+" · Khối phó: "+bigUnits[bigMTTQ],
		"12. "+bigUnits[bigBaoTro]+"\n   Đầu mối: "+w.staff[bigBaoTro][0].FirstName+", "+w.staff[bigBaoTro][1].FirstName+", "+w.staff[bigBaoTro][2].FirstName,
		"15. "+bigUnits[14]+"\n   Đầu mối: "+w.staff[14][0].FirstName+", "+w.staff[14][1].FirstName)
	if b := w.block(); len(b.Reps) != 37 || b.LeaderUnit != b.Units[bigTinhDoan].ID {
		t.Fatalf("%d representatives, the leader %q", len(b.Reps), b.LeaderUnit)
	}
}

// namesOf are the names of a block's units, in order.
func namesOf(b *thidua.Block) []string {
	names := make([]string, len(b.Units))
	for i, u := range b.Units {
		names[i] = u.Name
	}
	return names
}

// pledgeNumber is a line of a unit's pledge list: its number first.
var pledgeNumber = regexp.MustCompile(`^\d+\. Nội dung \d+\.\d+: `)

// registerBig, from 06/01: Tỉnh Đoàn adds the twelve criteria in one
// message and opens registration; Hội Nông dân registers its 37 pledges in
// the messages a phone can send (under 4,096 characters each), the other
// units through the domain. Its list, on /pledges, and the summary of
// every unit's come in messages that each start with a whole line.
func (w *bigWalk) registerBig() {
	w.t.Helper()
	t, lead, nd := w.t, w.lead(), w.staff[bigNongDan]
	w.on(1, 6, 9, 0)
	expect(t, w.say(w.group, lead, "/tieuchi add "+strings.Join(bigCriteria, "\n")).Text, "✅ Đã thêm 12 tiêu chí", "Tổng điểm tối đa: 100")
	w.say(w.group, lead, "/modangky 31/01/2026")

	w.on(1, 12, 10, 0)
	msg, sent := "/dangky", 0
	for k := range pledgeCount(bigNongDan) {
		line := pledgeLine(bigNongDan, k)
		if utf16Len(msg+"\n"+line) > 4096 {
			expect(t, w.saidAll(nd[0], msg)[0].Text, "✅ Đã ghi ")
			msg, sent = "/dangky", sent+1
		}
		msg += "\n" + line
	}
	expect(t, w.saidAll(nd[0], msg)[0].Text, "✅ Đã ghi ")
	reg := w.block().RegistrationOf(w.unit(bigNongDan).ID)
	if sent < 3 || len(reg.Pledges) != 37 || reg.Pledges[36].Title != pledgeTitle(bigNongDan, 36) || reg.Pledges[0].Target.String() != "100 hội viên" {
		t.Fatalf("Hội Nông dân registered %d pledges in %d messages", len(reg.Pledges), sent+1)
	}
	w.apply(func(b *thidua.Block) error {
		for i, u := range b.Units {
			if i == bigNongDan {
				continue
			}
			drafts := make([]thidua.PledgeDraft, pledgeCount(i))
			for k := range drafts {
				d, err := thidua.ParsePledge(pledgeLine(i, k), b.Year, b.Location())
				if err != nil {
					return err
				}
				drafts[k] = d
			}
			if _, err := b.AddPledges(actor(w.staff[i][0]), u.ID, drafts, w.now); err != nil {
				return err
			}
		}
		return nil
	})

	list := w.parts(w.saidAll(nd[1], "/dsdangky"), pledgeNumber)
	expect(t, list, "Đăng ký thi đua năm 2026 — Hội Nông dân tỉnh Lào Cai\nTrạng thái: 📝 chưa gửi",
		"\n37. "+pledgeTitle(bigNongDan, 36)+" — chỉ tiêu: 460 hội viên — hạn 30/11/2026")
	summary := w.saidAll(w.staff[bigLDLD][0], "/tonghop")
	if len(summary) != 2 || summary[0].Document != nil || summary[1].Document == nil {
		t.Fatalf("the summary of %d pledges came as %d messages, not an overview and a file", w.pledgeTotal(), len(summary))
	}
	units := make([]string, len(bigUnits))
	for i, u := range bigUnits {
		units[i] = fmt.Sprintf("%d. %s — 📝 chưa gửi · %d nội dung", i+1, u, pledgeCount(i))
	}
	expect(t, summary[0].Text, "TỔNG HỢP ĐĂNG KÝ THI ĐUA NĂM 2026\n"+bigBlockName+"\nĐăng ký: đang mở, hạn 31/01/2026\n"+
		"Đơn vị: 15 · đã duyệt 0 · chờ duyệt 0 · bị trả lại 0 · chưa gửi 15 · chưa đăng ký nội dung nào 0\n"+
		"Tiêu chí chấm điểm: 12, tổng điểm tối đa 100 (xem /criteria)\n\n"+strings.Join(units, "\n")+"\n\n📎 Danh sách đầy đủ",
		"/pledges <số>")
	doc := summary[1].Document
	if doc.Name != "tong-hop-dang-ky-2026-cac-co-quan-dang-mat-tran-to-quoc-va-cac.xlsx" {
		t.Fatalf("the summary's file is named %q", doc.Name)
	}
	f := openWorkbook(t, doc.Data)
	if rows := f.rows(t, "Đăng ký"); len(rows)-2 != w.pledgeTotal() {
		t.Fatalf("the summary's file has %d pledges, not %d", len(rows)-2, w.pledgeTotal())
	}
	for i, u := range bigUnits {
		for k := range pledgeCount(i) {
			findRow(t, f, "Đăng ký", u, strconv.Itoa(k+1), pledgeTitle(i, k), pledgeTarget(k))
		}
	}
}

// pledgeTotal is how many pledges the block's units registered.
func (w *bigWalk) pledgeTotal() int {
	n := 0
	for i := range bigUnits {
		n += pledgeCount(i)
	}
	return n
}

// submitBig, on 20/01: Hội Nông dân submits its list of 37 long pledges,
// too long for one message: the list comes first, whole, and the managers'
// buttons under a message of their own naming the unit, which the
// leader's approval then edits without taking any of the list away. The
// other units' lists are submitted and approved through the domain.
func (w *bigWalk) submitBig() {
	w.t.Helper()
	t, lead := w.t, w.lead()
	w.on(1, 20, 9, 0)
	sub := w.saidAll(w.staff[bigNongDan][0], "/guidangky")
	ask := sub[len(sub)-1]
	expect(t, ask.Text, "Hội Nông dân tỉnh Lào Cai", "37 nội dung", "/return 6 | lý do")
	if len(ask.Buttons) != 1 || len(ask.Buttons[0]) != 2 {
		t.Fatalf("the submission's buttons: %v", ask.Buttons)
	}
	w.press(w.group, lead, ask, ask.Buttons[0][0].Data)
	after := w.message(ask.ID)
	expect(t, after.Text, "✅ Đã duyệt danh sách đăng ký thi đua của Hội Nông dân tỉnh Lào Cai (37 nội dung) — bởi "+lead.FirstName+".")
	list := w.parts(sub[:len(sub)-1], pledgeNumber)
	for k := range 37 {
		expect(t, list, fmt.Sprintf("%d. %s — chỉ tiêu: %s", k+1, pledgeTitle(bigNongDan, k), pledgeTarget(k)))
	}
	w.apply(func(b *thidua.Block) error {
		for i, u := range b.Units {
			if i == bigNongDan {
				continue
			}
			if _, err := b.SubmitPledges(actor(w.staff[i][0]), u.ID, w.now); err != nil {
				return err
			}
			if _, err := b.ApprovePledges(actor(lead), u.ID, 0, w.now); err != nil {
				return err
			}
		}
		return nil
	})
	if n := len(w.block().UnitsNotApproved()); n != 0 {
		t.Fatalf("%d lists not approved", n)
	}
}

// signBig, on 22/01: Tỉnh Đoàn opens the covenant, which every unit signs
// with its button; the message, edited at each signature, stays one
// message naming the units still to sign, then announces the completion.
func (w *bigWalk) signBig() {
	w.t.Helper()
	t := w.t
	w.on(1, 22, 9, 0)
	cov := w.saidAll(w.lead(), "/giaouoc "+bigSlogan+" | 15/02/2026")
	if len(cov) != 1 || len(cov[0].Buttons) != 1 {
		t.Fatalf("the covenant takes %d messages", len(cov))
	}
	expect(t, cov[0].Text, "Đã ký: 0/15 đơn vị", "chấm điểm theo 12 tiêu chí, tổng 100 điểm")
	for i := range bigUnits {
		w.press(w.group, w.staff[i][len(w.staff[i])-1], cov[0], cov[0].Buttons[0][0].Data)
		if i == 7 {
			m := w.message(cov[0].ID)
			w.fits(m)
			expect(t, m.Text, "Đã ký: 8/15 đơn vị\nChưa ký: "+strings.Join(bigUnits[8:], ", "))
		}
	}
	expect(t, w.message(cov[0].ID).Text, "Đã ký: 15/15 đơn vị")
	if missing := w.block().UnsignedUnits(); len(missing) != 0 {
		t.Fatalf("units not signed: %q", missing)
	}
	w.on(1, 25, 9, 0)
	expect(t, w.saidAll(w.lead(), "/kybaocao "+strings.Join(bigPeriods, "\n"))[0].Text, "✅ Đã thêm 6 kỳ báo cáo.",
		"3. Chuyên đề: sơ kết phong trào «Lào Cai chung sức xây dựng nông thôn mới, đô thị văn minh» — hạn 31/07/2026 — đã báo cáo 0/15 đơn vị")
}

// reportedOn are the days the units report for each of the first five
// periods; some a week late.
var reportedOn = []time.Time{
	time.Date(2026, 3, 28, 10, 0, 0, 0, hcm),
	time.Date(2026, 6, 12, 10, 0, 0, 0, hcm),
	time.Date(2026, 7, 30, 10, 0, 0, 0, hcm),
	time.Date(2026, 9, 14, 10, 0, 0, 0, hcm),
	time.Date(2026, 10, 30, 10, 0, 0, 0, hcm),
}

// reportBig stores the year's reports through the domain: every unit
// reports for the first five periods, through one of its representatives
// in turn, on the days of reportedOn (a week late when (i+p)%4 is 3),
// except a unit per period that never does ((i+p)%6 is 5).
func (w *bigWalk) reportBig() {
	w.t.Helper()
	w.apply(func(b *thidua.Block) error {
		for p, per := range b.Periods()[:5] {
			for i, u := range b.Units {
				if (i+p)%6 == 5 {
					continue
				}
				at := reportedOn[p]
				if (i+p)%4 == 3 {
					at = at.AddDate(0, 0, 7)
				}
				var lines []thidua.ReportLine
				for _, s := range reportLines(i, p) {
					l, err := thidua.ParseReportLine(s)
					if err != nil {
						return fmt.Errorf("%q: %w", s, err)
					}
					lines = append(lines, l)
				}
				if _, err := b.SubmitReport(actor(w.staff[i][p%len(w.staff[i])]), u.ID, per.ID, lines, at); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// boardsBig, on 20/11: the boards of the year at this size, each in one
// message (/periods, /progress) or split between whole lines (/deadlines,
// /myreport); Hội Nông dân reports its year through the bot, 37 lines in
// one message, confirmed in one message.
func (w *bigWalk) boardsBig() {
	w.t.Helper()
	t, nd := w.t, w.staff[bigNongDan]
	w.on(11, 20, 9, 0)
	periods := w.saidAll(nd[1], "/dskybaocao")
	if len(periods) != 1 {
		t.Fatalf("/periods takes %d messages", len(periods))
	}
	expect(t, periods[0].Text, "1. Quý I — hạn 31/03/2026 — đã báo cáo 13/15 đơn vị (đã quá hạn)",
		"3. Chuyên đề: sơ kết phong trào «Lào Cai chung sức xây dựng nông thôn mới, đô thị văn minh» — hạn 31/07/2026 — đã báo cáo 13/15 đơn vị (đã quá hạn)",
		"6. Cả năm — hạn 30/11/2026 — đã báo cáo 0/15 đơn vị")
	board := w.saidAll(nd[1], "/tiendo")
	if len(board) != 1 {
		t.Fatalf("/progress takes %d messages", len(board))
	}
	expect(t, board[0].Text, "1. Quý I (hạn 31/03/2026): ✅ 11 · ⏰ 2 · ❌ 2\n   ❌ Chưa nộp: Hội Nông dân tỉnh Lào Cai, "+bigUnits[bigBaoTro],
		"6. Cả năm (hạn 30/11/2026): … 15", "15. Ban Tuyên giáo và Dân vận Tỉnh ủy\n   ▓▓▓▓▓▓░░░░ 59% · ✅ ✅ ⏰ ✅ ❌ …")
	deadlines := w.parts(w.saidAll(nd[1], "/dshan"), regexp.MustCompile(`^(– |• )`))
	expect(t, deadlines, "Chưa xong (15/15):\n   – "+bigUnits[bigMTTQ]+" (còn: chưa báo cáo kết quả kỳ Cả năm; chỉ tiêu năm chưa đạt tiến độ)",
		"   – "+bigUnits[bigNongDan]+" (còn: chưa báo cáo kết quả kỳ Quý I; chưa báo cáo kết quả kỳ Cả năm; chỉ tiêu năm chưa đạt tiến độ)")
	mine := w.parts(w.saidAll(nd[1], "/baocaocuatoi 10 tháng"), regexp.MustCompile(`^\d+\. Nội dung 6\.\d+: `))
	expect(t, mine, "📊 Báo cáo kỳ 10 tháng — Hội Nông dân tỉnh Lào Cai (hạn 31/10/2026)\nLần 1: "+nd[1].FirstName+", 30/10/2026 10:00 — đúng hạn",
		"\n37. Nội dung 6.37: ", "Các kỳ đã báo cáo: 6 tháng, Chuyên đề: sơ kết phong trào «Lào Cai chung sức xây dựng nông thôn mới, đô thị văn minh», 9 tháng, 10 tháng")

	year := w.saidAll(nd[0], "/baocao Cả năm\n"+strings.Join(reportLines(bigNongDan, 5), "\n"))
	if len(year) != 1 {
		t.Fatalf("the confirmation of a report of 37 pledges takes %d messages", len(year))
	}
	expect(t, year[0].Text, "📊 Đã ghi báo cáo kỳ Cả năm của Hội Nông dân tỉnh Lào Cai ("+nd[0].FirstName+", 20/11/2026 09:00).",
		"\n37. 394 hội viên / 460 hội viên (86%)\nChưa báo cáo: nội dung 4, 11, 18, 25, 32.")
	b := w.block()
	per, _ := b.FindPeriod("Cả năm")
	if r, ok := b.Report(w.unit(bigNongDan).ID, per.ID); !ok || len(r.Entries) != 32 {
		t.Fatalf("Hội Nông dân's year report: %+v", r)
	}
}

// phoneReportBig, on 20/11: Liên đoàn Lao động reports its year step by
// step on a phone, answering each of its 44 pledges by a reply with the
// value and a long note; the draft's summary, an edited message that
// cannot be split, shows the values by number; sent, it is the
// confirmation. On 21/11 its second representative sends the report again
// in one message, which /history will show beside the first.
func (w *bigWalk) phoneReportBig() {
	w.t.Helper()
	t, ldld := w.t, w.staff[bigLDLD]
	start := w.saidAll(ldld[0], "/baocao Cả năm")
	draft := start[len(start)-1]
	expect(t, draft.Text, "📝 Báo cáo kỳ Cả năm — Liên đoàn Lao động tỉnh Lào Cai", "Nội dung 1/44: Nội dung 7.1: ")
	for k := range pledgeCount(bigLDLD) {
		cur := w.message(draft.ID)
		expect(t, cur.Text, fmt.Sprintf("Nội dung %d/44: Nội dung 7.%d: ", k+1, k+1))
		w.handled(w.tg.Reply(w.group, ldld[0], &cur, "85% "+longNote(k)))
	}
	check := w.message(draft.ID)
	w.fits(check)
	if n := utf16Len(check.Text); n > 3500 {
		t.Fatalf("the draft's summary has %d characters", n)
	}
	expect(t, check.Text, "Kiểm tra lại rồi bấm Gửi báo cáo:\n(Danh sách dài nên chỉ hiện giá trị theo số thứ tự", "\n1. 85% của 100 hội viên\n", "\n44. 85% chỉ tiêu")
	w.press(w.group, ldld[0], check, button(t, check, "✅ Gửi báo cáo"))
	sent := w.message(draft.ID)
	expect(t, sent.Text, "📊 Đã ghi báo cáo kỳ Cả năm của Liên đoàn Lao động tỉnh Lào Cai ("+ldld[0].FirstName+", 20/11/2026 09:00).", "\n44. 85% chỉ tiêu")
	b := w.block()
	per, _ := b.FindPeriod("Cả năm")
	if r, ok := b.Report(w.unit(bigLDLD).ID, per.ID); !ok || len(r.Entries) != 44 || r.Entries[43].Note != longNote(43) {
		t.Fatalf("Liên đoàn Lao động's year report: %+v", r)
	}
	w.on(11, 21, 15, 0)
	again := w.saidAll(ldld[1], "/baocao Cả năm\n"+strings.Join(reportLines(bigLDLD, 5), "\n"))
	expect(t, again[0].Text, "\nThay cho báo cáo lần 1 của "+ldld[0].FirstName+" gửi 20/11/2026 09:00; lịch sử vẫn giữ cả hai.\n")
}

// reviewBig, on 25/11: the year-end review. Hội Nông dân scores itself on
// the twelve criteria and nominates its four people through the bot, the
// leader agrees its score; the other units' scores and nominations are
// stored through the domain, the Hội Văn học Nghệ thuật's score left
// unagreed. /scores is one message; /exemplars, 60 people, splits between
// people, never between a person and their achievement; the leader
// proposes the fifteen units for four awards.
func (w *bigWalk) reviewBig() {
	w.t.Helper()
	t, lead, nd := w.t, w.lead(), w.staff[bigNongDan]
	w.on(11, 25, 9, 0)
	score := func(i int, agreed bool) []string {
		var lines []string
		for c := range bigCriteria {
			pts := []float64{10, 8, 10, 8, 10, 8, 8, 6, 8, 8, 8, 8}[c] - float64((i+c)%3)*0.5
			if agreed {
				pts -= float64(i%2) * 0.25
			}
			lines = append(lines, fmt.Sprintf("%d %s", c+1, thidua.FormatNumber(pts)))
		}
		return lines
	}
	expect(t, w.saidAll(nd[0], "/tucham\n"+strings.Join(score(bigNongDan, false), "\n"))[0].Text,
		"✅ Đã ghi điểm tự chấm của Hội Nông dân tỉnh Lào Cai", "Tổng: tự chấm 94 · bình xét —")
	expect(t, w.saidAll(lead, "/chamdiem #6\n"+strings.Join(score(bigNongDan, true), "\n"))[0].Text,
		"✅ Đã ghi điểm bình xét của Hội Nông dân tỉnh Lào Cai", "Tổng: tự chấm 94 · bình xét 91")
	var people []string
	for j := range 4 {
		people = append(people, exemplarLine(bigNongDan, j))
	}
	expect(t, w.saidAll(nd[1], "/dienhinh\n"+strings.Join(people, "\n"))[0].Text, "✅ Đã ghi 4 người của Hội Nông dân tỉnh Lào Cai")
	w.apply(func(b *thidua.Block) error {
		for i, u := range b.Units {
			if i == bigNongDan {
				continue
			}
			for k, lines := range [][]string{score(i, false), score(i, true)} {
				var sl []thidua.ScoreLine
				for _, s := range lines {
					l, err := thidua.ParseScoreLine(s)
					if err != nil {
						return err
					}
					sl = append(sl, l)
				}
				var err error
				switch {
				case k == 0:
					_, err = b.SelfScore(actor(w.staff[i][0]), u.ID, sl, w.now)
				case i != 14:
					_, err = b.ReviewScore(actor(lead), u.ID, sl, w.now)
				}
				if err != nil {
					return err
				}
			}
			if _, err := b.Nominate(actor(w.staff[i][0]), u.ID, nominees(i, 4), w.now); err != nil {
				return err
			}
		}
		return nil
	})
	scores := w.saidAll(nd[1], "/bangdiem")
	if len(scores) != 1 {
		t.Fatalf("/scores takes %d messages", len(scores))
	}
	expect(t, scores[0].Text, "— tối đa 100 điểm, 12 tiêu chí", "\n8. Hội Nông dân tỉnh Lào Cai — bình xét 91 · tự chấm 94\n",
		"\n– Hội Văn học Nghệ thuật tỉnh Lào Cai — chưa bình xét · tự chấm 94")
	people2 := w.parts(w.saidAll(nd[1], "/dienhinh"), regexp.MustCompile(`^(\d+\.\d+\. |\d+\. .* — 4 người\n)`))
	expect(t, people2, "60 người được đề nghị; 30/60 người không giữ chức vụ lãnh đạo, quản lý (50% — đạt mục tiêu 40%).",
		"\n12. "+bigUnits[bigBaoTro]+" — 4 người\n12.1. ★ ")
	if n := len(w.block().ExemplarsOf(w.unit(bigNongDan).ID)); n != 4 {
		t.Fatalf("Hội Nông dân nominated %d people", n)
	}
	for _, a := range bigAwards {
		expect(t, w.saidAll(lead, "/khenthuong "+a)[0].Text, "✅ Đã ghi đề nghị ")
	}
	awards := w.saidAll(nd[1], "/khenthuong")
	if len(awards) != 1 {
		t.Fatalf("/award takes %d messages", len(awards))
	}
	expect(t, awards[0].Text, "Giấy khen của Ban Thi đua - Khen thưởng tỉnh cho tập thể hoàn thành tốt nhiệm vụ — 6 đơn vị\n• Hội Chữ thập đỏ tỉnh Lào Cai — hạng 8 · bình xét 91",
		"• Hội Văn học Nghệ thuật tỉnh Lào Cai — chưa bình xét")
	if ps := w.block().Registration.Proposals; len(ps) != 4 || len(ps[3].UnitIDs) != 6 {
		t.Fatalf("the proposals stored: %+v", ps)
	}
}

// removalQuestionBig, on 26/11: the administrator asks to remove Hội Nông
// dân; the question, in one message with its two buttons, counts its
// representatives and what it has of the year, the long period's name
// among its reports; cancelled, nothing changes.
func (w *bigWalk) removalQuestionBig() {
	w.t.Helper()
	t := w.t
	w.on(11, 26, 9, 0)
	before := w.block().Version
	ask := w.saidAll(w.admin, "/xoadonvi 6")
	if len(ask) != 1 || len(ask[0].Buttons) != 1 || len(ask[0].Buttons[0]) != 2 {
		t.Fatalf("the question takes %d messages: %+v", len(ask), ask)
	}
	expect(t, ask[0].Text, "Xoá đơn vị Hội Nông dân tỉnh Lào Cai khỏi khối? 3 đầu mối của đơn vị cũng sẽ bị gỡ.", "37 nội dung đăng ký",
		"báo cáo kỳ 6 tháng, Chuyên đề: sơ kết phong trào «Lào Cai chung sức xây dựng nông thôn mới, đô thị văn minh», 9 tháng, 10 tháng, Cả năm",
		"Cờ thi đua của Ủy ban nhân dân tỉnh Lào Cai dành cho tập thể dẫn đầu khối thi đua", "4 cá nhân điển hình")
	w.press(w.group, w.admin, ask[0], button(t, ask[0], "Huỷ"))
	if b := w.block(); b.Version != before || len(b.Units) != 15 || len(b.RepsOf(b.Units[bigNongDan].ID)) != 3 {
		t.Fatalf("cancelling the removal left %d units, version %d -> %d", len(b.Units), before, b.Version)
	}
}

// remindBig, on 27/11 at 08:00: the scheduler reminds of the leader's
// deadline (tomorrow), the year's final deadline and the year's report
// (in three days): each names every unit that owes it and mentions its
// representatives, within Telegram's 50 mentions a message, and splits
// between units.
func (w *bigWalk) remindBig() {
	w.t.Helper()
	t := w.t
	w.on(11, 25, 10, 0)
	expect(t, w.saidAll(w.lead(), "/hanchot 28/11/2026 | "+bigDeadline)[0].Text, "✅ Đã đặt hạn #1: "+bigDeadline)
	got := w.ticked(11, 27, 8, 0)
	w.fits(got...)
	custom := w.posted(got, "⏰ Nhắc hạn: "+bigDeadline)
	if n := strings.Count(custom, "\n• "); n != 15 {
		t.Fatalf("the reminder names %d units:\n%s", n, custom)
	}
	for _, m := range got {
		if strings.HasPrefix(m.Text, "⏰ Nhắc hạn: "+bigDeadline) && mentions(m) != 37 {
			t.Fatalf("the reminder mentions %d representatives", mentions(m))
		}
	}
	expect(t, custom, "Các đơn vị chưa hoàn thành (15/15):\n• "+bigUnits[bigMTTQ]+" — "+w.staff[bigMTTQ][0].FirstName+", "+w.staff[bigMTTQ][1].FirstName)
	text := w.parts(reminderParts(got, "⏰ Nhắc hạn: Hoàn thành toàn diện các chỉ tiêu năm 2026"), regexp.MustCompile(`^• `))
	expect(t, text, "Các đơn vị chưa hoàn thành (15/15):", "• "+bigUnits[14]+" (còn: "+bigDeadline+"; chưa báo cáo kết quả kỳ 9 tháng; chưa báo cáo kết quả kỳ Cả năm; chỉ tiêu năm chưa đạt tiến độ) — "+w.staff[14][0].FirstName)
	dms := w.tg.Messages(w.staff[bigBaoTro][0].ID)
	w.fits(dms...)
	expect(t, w.parts(dms[len(dms)-3:], regexp.MustCompile(`^⏰ `)), "⏰ Nhắc hạn ("+bigBlockName+"): "+bigDeadline,
		"(còn: "+bigDeadline+"; chưa báo cáo kết quả kỳ Quý I; chưa báo cáo kết quả kỳ Cả năm; chỉ tiêu năm chưa đạt tiến độ).")
	year := w.posted(got, "⏰ Nhắc hạn: Báo cáo kết quả Cả năm")
	expect(t, year, "Các đơn vị chưa hoàn thành (13/15):")
	if strings.Contains(year, bigUnits[bigNongDan]) || strings.Contains(year, bigUnits[bigLDLD]) {
		t.Fatalf("the reminder names a unit that reported:\n%s", year)
	}
}

// reminderParts returns the messages of the reminder among msgs whose first
// starts with head: that one and those after it up to the next reminder.
func reminderParts(msgs []telegramtest.Message, head string) []telegramtest.Message {
	var parts []telegramtest.Message
	for i, m := range msgs {
		if strings.HasPrefix(m.Text, head) {
			parts = msgs[i:]
		}
	}
	for i, m := range parts {
		if i > 0 && strings.HasPrefix(m.Text, "⏰ ") {
			return parts[:i]
		}
	}
	return parts
}

// electBig, on 27/11: Tỉnh Đoàn opens the election of next year's leader
// among all fifteen units (re-election allowed): one button a row, each
// the unit's full name. Every unit votes; the Hội Bảo trợ, whose name is
// the longest, votes for itself, and its alert keeps the receipt within
// Telegram's 200 characters. The last vote closes the election: Tỉnh Đoàn
// wins with 8 of 15; /result's counting record lists the 15 voters and
// the receipts under each candidate.
func (w *bigWalk) electBig() {
	w.t.Helper()
	t := w.t
	w.on(11, 27, 9, 0)
	open := w.saidAll(w.lead(), "/bau khoitruong | cho tái cử | đóng: 27/11/2026 17:00")
	ballot := open[len(open)-1]
	if len(ballot.Buttons) != 15 {
		t.Fatalf("the ballot has %d rows of buttons", len(ballot.Buttons))
	}
	for i, row := range ballot.Buttons {
		if len(row) != 1 || row[0].Text != bigUnits[i] || len(row[0].Data) > 64 {
			t.Fatalf("the ballot's row %d: %+v", i+1, row)
		}
	}
	choice := []int{8, 8, 8, 8, 8, 8, 8, 8, 0, 1, 2, bigBaoTro, 12, 13, 14}
	var receipts []string
	for i, c := range choice {
		b := w.ballot()
		a := w.press(w.group, w.staff[i][len(w.staff[i])-1], b, button(t, b, bigUnits[c]))
		if n := utf8.RuneCountInString(a.Text); n > 200 || !a.ShowAlert {
			t.Fatalf("the answer to %s's vote (%d characters): %q", bigUnits[i], n, a.Text)
		}
		receipts = append(receipts, receipt(t, a))
		if i == bigBaoTro {
			expect(t, a.Text, "Mã phiếu: "+receipts[i])
		}
		if i < 14 {
			m := w.message(b.ID)
			w.fits(m)
			if utf16Len(m.Text) > 4096 {
				t.Fatalf("the ballot has %d characters", utf16Len(m.Text))
			}
		}
	}
	e := w.lastElection()
	if e.State != thidua.ElectionWon || e.Winner != w.unit(bigTinhDoan).ID {
		t.Fatalf("the election: %+v", e)
	}
	record := w.parts(w.saidAll(w.staff[bigLDLD][0], "/ketqua khoitruong"), regexp.MustCompile(`^(\d+\. |• )`))
	expect(t, record, "Danh sách cử tri (chốt khi mở bầu, 15 đơn vị):\n1. "+bigUnits[bigMTTQ]+" — ✅ đã bỏ phiếu",
		"Số đơn vị bỏ phiếu: 15/15 (cần ít nhất 8): đủ",
		"• "+bigUnits[bigTinhDoan]+": 8 phiếu — mã phiếu: "+strings.Join(sorted(receipts[:8]), ", "),
		"• "+bigUnits[bigBaoTro]+": 1 phiếu — mã phiếu: "+receipts[bigBaoTro])
}

// sorted returns a sorted copy of ss.
func sorted(ss []string) []string {
	out := slices.Clone(ss)
	slices.Sort(out)
	return out
}

// historyEntry is a line of /history: an entry.
var historyEntry = regexp.MustCompile(`^• \d\d/\d\d/2026 \d\d:\d\d — `)

// historyBig, on 28/11: the year's history, over 900 entries, a
// page at a time: the counts in each page's head and the command for the
// next, the last page and the one past it; and the history of Liên đoàn
// Lao động, whose year report of 44 long notes was sent again: each entry
// on a line of its own, in messages that each start with an entry, its
// values cut where they would not fit a message, the export keeping them
// whole.
func (w *bigWalk) historyBig() {
	w.t.Helper()
	t, reader := w.t, w.staff[bigBaoTro][2]
	w.on(11, 28, 9, 0)
	n := w.historyLen()
	if n < 900 {
		t.Fatalf("the history has %d entries", n)
	}
	last := (n + 19) / 20
	first := w.parts(w.saidAll(reader, "/lichsu"), historyEntry)
	expect(t, first, fmt.Sprintf("Lịch sử thay đổi (20 mục gần nhất trong %d)\n• ", n), "\nCác mục cũ hơn: /history trang 2")
	if got := strings.Count(first, "\n• "); got != 20 {
		t.Fatalf("the first page shows %d entries", got)
	}
	page := w.parts(w.saidAll(reader, "/lichsu trang 40"), historyEntry)
	expect(t, page, fmt.Sprintf("Lịch sử thay đổi (mục 781–800 trong %d, đếm từ mục mới nhất)\n• 12/01/2026 10:00 — ", n),
		"\nCác mục cũ hơn: /history trang 41")
	end := w.parts(w.saidAll(reader, fmt.Sprintf("/lichsu trang %d", last)), historyEntry)
	expect(t, end, fmt.Sprintf("Lịch sử thay đổi (mục %d–%d trong %d, đếm từ mục mới nhất)\n• 05/01/2026 08:00 — Hùng (quản trị viên): thiết lập khối: «"+bigBlockName+" (2026)»", (last-1)*20+1, n, n))
	if strings.Contains(end, "Các mục cũ hơn") {
		t.Fatalf("the last page points to older entries:\n%s", end)
	}
	w.unchanged(reader, fmt.Sprintf("/lichsu trang %d", last+1),
		fmt.Sprintf("Trang %d không có mục nào: lịch sử có %d mục, 20 mục mỗi trang, tức là %d trang.", last+1, n, last))
	hundred := w.parts(w.saidAll(reader, "/lichsu 100 trang 3"), historyEntry)
	if got := strings.Count(hundred, "\n• "); got != 100 {
		t.Fatalf("a page of 100 shows %d entries", got)
	}
	expect(t, hundred, fmt.Sprintf("Lịch sử thay đổi (mục 201–300 trong %d, đếm từ mục mới nhất)", n), "\nCác mục cũ hơn: /history 100 trang 4")

	ldld := w.parts(w.saidAll(reader, "/lichsu #7 10"), historyEntry)
	expect(t, ldld, "Lịch sử thay đổi — Liên đoàn Lao động tỉnh Lào Cai (10 mục gần nhất; còn mục cũ hơn)",
		"\n• 20/11/2026 09:00 — "+w.staff[bigLDLD][0].FirstName+": gửi báo cáo kết quả [Liên đoàn Lao động tỉnh Lào Cai]: «Cả năm — 1: 85% chỉ tiêu ("+longNote(0)+"); 2: 85% (",
		"…»\n• 21/11/2026 15:00 — "+w.staff[bigLDLD][1].FirstName+": gửi báo cáo kết quả [Liên đoàn Lao động tỉnh Lào Cai]: «Cả năm — 1: 85% chỉ tiêu (",
		"…» → «Cả năm — 1: 85 hội viên; 2: 90%; 4: 100% chỉ tiêu;",
		"\nGiá trị dài hơn 1.000 ký tự được rút gọn (…); bản đầy đủ ở trang Lịch sử của /export.\nCác mục cũ hơn: /history #7 10 trang 2")
}

// exportBig, on 28/11: the export of the whole year, workbook and CSV,
// with a row per pledge, per outstanding individual and per history entry,
// Liên đoàn Lao động's report sent again whole.
func (w *bigWalk) exportBig() {
	w.t.Helper()
	t := w.t
	n := w.historyLen()
	expect(t, w.saidAll(w.staff[bigBaoTro][1], "/xuatfile")[1].Text, "Các bảng trên dạng CSV")
	f, tables := w.exported(2026)
	if rows, err := f.GetRows("Cá nhân điển hình"); err != nil || len(rows) != 63 || rows[62][3] != "60 người" {
		t.Fatalf("the workbook's sheet of outstanding individuals has %d rows (%v)", len(rows), err)
	}
	if got := len(tables["dang-ky.csv"]) - 1; got != w.pledgeTotal() {
		t.Fatalf("dang-ky.csv has %d pledges, not %d", got, w.pledgeTotal())
	}
	history := tables["lich-su.csv"]
	if got := len(history) - 1; got != n {
		t.Fatalf("lich-su.csv has %d entries, the history %d", got, n)
	}
	again := slices.IndexFunc(history, func(r []string) bool {
		return slices.Equal(r[:4], []string{"2026-11-21 15:00", w.staff[bigLDLD][1].FirstName, "gửi báo cáo kết quả", bigUnits[bigLDLD]})
	})
	if again < 0 || !strings.HasSuffix(history[again][4], "44: 85% chỉ tiêu ("+longNote(43)+")") {
		t.Fatalf("lich-su.csv lacks the report sent again, or cuts it (row %d)", again)
	}
	people := tables["ca-nhan-dien-hinh.csv"]
	if len(people) != 62 || people[60][2] != `="15.4"` || people[61][3] != "60 người" {
		t.Fatalf("ca-nhan-dien-hinh.csv has %d rows", len(people))
	}
}

// helpBig, on 28/11: /help lists the commands of each role, for the
// administrator all of them, for the leader's representative those of
// the block's running, each in messages that start with a whole line.
func (w *bigWalk) helpBig() {
	w.t.Helper()
	t := w.t
	command := regexp.MustCompile(`^(/\w+ \(/\w+\) — |[^/\n]+\n/)`)
	admin := w.parts(w.saidAll(w.admin, "/trogiup"), command)
	expect(t, admin, "/newyear (/nammoi) — ", "/exemplars (/dienhinh) — ")
	lead := w.parts(w.saidAll(w.lead(), "/trogiup"), command)
	expect(t, lead, "Bạn là: đầu mối của "+bigUnits[bigTinhDoan]+" (đơn vị Khối trưởng)", "/elect (/bau) — ")
}
