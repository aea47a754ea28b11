package handlers_test

import (
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/telegramtest"
)

// multiBlock is the cast of the walkthrough of one bot serving three blocks
// of a province (see TestMultiBlockWalkthrough), on the year-end
// walkthrough's helpers (walk), whose group is the block at hand:
//   - a, the block of the mass organisations, the harness's group, run by
//     Hùng: Lan represents Hội Nông dân tỉnh, Mai Liên đoàn Lao động tỉnh;
//     Khoa, the province's IT officer, is an administrator;
//   - b, the block of the economic departments, a basic group (Telegram
//     upgrades it to a supergroup on the way), made by Sơn, with Lan an
//     administrator: Mai represents Công đoàn Viên chức tỉnh, Khoa Sở Công
//     Thương;
//   - c, a district's block, made by Tú: Khoa represents Phòng Văn hóa -
//     Thông tin huyện.
//
// Lan, Mai and Khoa started the bot in private.
type multiBlock struct {
	*walk
	a, b, c                *telegramtest.Chat
	son, tu                *telegramtest.User
	lan, mai, khoa         *telegramtest.User
	nameA, nameB, nameC    string
	unitsA, unitsB, unitsC []string
}

// TestMultiBlockWalkthrough plays one bot serving three blocks as a
// province deploys it, with people in two or three of them: /start, /help
// and the block's commands in private; join requests, /history, /progress
// and /export kept to their block; one deadline due in all three in the
// same minute, each group reminded on its own and each person once per
// block, the direct messages naming the block and the unit; a block's
// group left by the bot and another upgraded to a supergroup while the
// rest carry on; one block turned to the next year while another is still
// in the old one; and what a block can set for itself (reminders) and what
// the whole bot shares (the language, the time zone).
func TestMultiBlockWalkthrough(t *testing.T) {
	m := &multiBlock{walk: &walk{harness: newHarness(t)}}
	m.setUpThreeBlocks()
	m.inPrivate()
	m.joinRequestsStayInTheirBlock()
	m.remindedInTheSameMinute()
	m.reportsStayInTheirBlock()
	m.oneLeftOneUpgraded()
	m.settingsOfABlock()
	m.oneTurnsTheYear()
}

// in makes g the group the walk's helpers act on.
func (m *multiBlock) in(g *telegramtest.Chat) *multiBlock {
	m.group = g
	return m
}

// setUpThreeBlocks sets the three blocks up on 02/03/2026 and has their
// representatives join; Khoa's request in the district's block waits.
func (m *multiBlock) setUpThreeBlocks() {
	h, t := m.harness, m.t
	m.a = h.group
	m.b = h.tg.NewBasicGroup("Khối thi đua các sở kinh tế")
	m.c = h.tg.NewGroup("Khối thi đua huyện Bảo Thắng")
	m.son, m.tu = h.tg.NewUser("Sơn", "son_kt"), h.tg.NewUser("Tú", "tu_bt")
	m.b.SetStatus(m.son, telegramtest.StatusCreator)
	m.c.SetStatus(m.tu, telegramtest.StatusCreator)
	m.lan, m.mai, m.khoa = h.member("Lan", "lan_nd"), h.member("Mai", ""), h.member("Khoa", "khoa_it")
	m.a.SetStatus(m.khoa, telegramtest.StatusAdministrator)
	m.b.SetStatus(m.lan, telegramtest.StatusAdministrator)
	m.b.SetStatus(m.mai, telegramtest.StatusMember)
	m.b.SetStatus(m.khoa, telegramtest.StatusMember)
	m.c.SetStatus(m.khoa, telegramtest.StatusMember)

	m.nameA, m.nameB, m.nameC = "Khối thi đua MTTQ và các đoàn thể tỉnh", "Khối thi đua các sở kinh tế tỉnh", "Khối thi đua huyện Bảo Thắng"
	m.unitsA = []string{"Hội Nông dân tỉnh", "Liên đoàn Lao động tỉnh", "Tỉnh Đoàn"}
	m.unitsB = []string{"Sở Tài chính", "Sở Công Thương", "Công đoàn Viên chức tỉnh"}
	m.unitsC = []string{"Phòng Văn hóa - Thông tin huyện", "Hội Nông dân huyện"}
	for _, s := range []struct {
		chat  *telegramtest.Chat
		admin *telegramtest.User
		name  string
		units []string
	}{{m.a, h.admin, m.nameA, m.unitsA}, {m.b, m.son, m.nameB, m.unitsB}, {m.c, m.tu, m.nameC, m.unitsC}} {
		expect(t, h.say(s.chat, s.admin, "/setup "+s.name).Text, "✅ Nhóm này đã trở thành "+s.name+", năm thi đua 2026.")
		expect(t, h.say(s.chat, s.admin, "/addunit "+strings.Join(s.units, "\n")).Text, "Khối hiện có")
	}
	h.joinIn(m.a, h.admin, m.lan, m.unitsA[0])
	h.joinIn(m.a, h.admin, m.mai, m.unitsA[1])
	h.joinIn(m.b, m.lan, m.mai, m.unitsB[2]) // Lan approves as the group's administrator
	h.joinIn(m.b, m.lan, m.khoa, m.unitsB[1])
	expect(t, h.say(m.c, m.khoa, "/join "+m.unitsC[0]).Text, "🙋 Khoa xin làm đầu mối của Phòng Văn hóa - Thông tin huyện.")
	for _, u := range []*telegramtest.User{m.lan, m.mai, m.khoa} {
		h.handled(h.tg.SendPrivate(u, "/start"))
	}
}

// private sends text to the bot in user's private chat and returns its
// answers.
func (m *multiBlock) private(user *telegramtest.User, text string) []string {
	m.t.Helper()
	n := len(m.tg.Messages(user.ID))
	m.handled(m.tg.SendPrivate(user, text))
	return m.directs(user, n)
}

// directs returns the texts of the messages of the bot in user's private
// chat after the first n.
func (m *multiBlock) directs(user *telegramtest.User, n int) []string {
	var out []string
	for _, msg := range m.tg.Messages(user.ID)[n:] {
		out = append(out, msg.Text)
	}
	return out
}

// only fails unless texts is one message containing want, and returns it.
func (m *multiBlock) only(texts []string, want ...string) string {
	m.t.Helper()
	if len(texts) != 1 {
		m.t.Fatalf("%d messages, want one: %q", len(texts), texts)
	}
	expect(m.t, texts[0], want...)
	return texts[0]
}

// none fails if s names any of names.
func (m *multiBlock) none(what, s string, names ...string) {
	m.t.Helper()
	for _, n := range names {
		if strings.Contains(s, n) {
			m.t.Fatalf("%s names %q of another block:\n%s", what, n, s)
		}
	}
}

// others are the names of the blocks and units other than g's.
func (m *multiBlock) others(g *telegramtest.Chat) []string {
	var out []string
	for _, s := range []struct {
		chat  *telegramtest.Chat
		name  string
		units []string
	}{{m.a, m.nameA, m.unitsA}, {m.b, m.nameB, m.unitsB}, {m.c, m.nameC, m.unitsC}} {
		if s.chat.ID != g.ID {
			out = append(append(out, s.name), s.units...)
		}
	}
	return out
}

// inPrivate has Mai, who represents units of two blocks, ask the bot in
// private: /start and /help say nothing of either block, and so pick none;
// the commands that need a block are refused, pointing to the block's
// group, rather than run in one of hers; a mistyped command, a plain
// message or a photo meant as evidence are answered politely, in
// Vietnamese, and change nothing.
func (m *multiBlock) inPrivate() {
	h, t, mai := m.harness, m.t, m.mai
	m.none("/start in private", m.only(m.private(mai, "/start"), "✅ Từ nay bot có thể nhắn riêng cho bạn"), append(m.unitsA, m.unitsB...)...)
	help := m.only(m.private(mai, "/help"), "Các lệnh khác dùng trong nhóm chat của khối thi đua")
	m.none("/help in private", help, append(m.unitsA, m.unitsB...)...)
	if strings.Contains(help, "Bạn là:") {
		t.Fatalf("/help in private gives a role, of a block it cannot know:\n%s", help)
	}
	versions := []int64{m.in(m.a).block().Version, m.in(m.b).block().Version}
	for _, text := range []string{"/myreport", "/baocaocuatoi Quý I", "/report Quý I\n1 40", "/done 1", "/pledges", "/leave"} {
		m.only(m.private(mai, text), "Lệnh này dùng trong nhóm chat của khối thi đua.")
	}
	m.only(m.private(mai, "/baocaoo Quý I"), "Không có lệnh /baocaoo. Gửi /help để xem các lệnh.")
	for _, text := range []string{"báo cáo quý I: 45 nhà", "<b>1 40</b>"} {
		m.only(m.private(mai, text), "Bot không đọc tin nhắn, ảnh hay tệp gửi riêng, nên chưa ghi nhận gì.", "nhóm chat của khối")
	}
	n := len(h.tg.Messages(mai.ID))
	h.handled(h.tg.SendPhoto(h.tg.PrivateChat(mai), mai, nil, pngBytes(t), "Minh chứng quý I"))
	m.only(m.directs(mai, n), "Bot không đọc tin nhắn, ảnh hay tệp gửi riêng", "minh chứng")
	n = len(h.tg.Messages(mai.ID))
	for _, u := range h.tg.SendAlbum(h.tg.PrivateChat(mai), mai, nil, [][]byte{pngBytes(t), pngBytes(t), pngBytes(t)}, "Minh chứng quý I") {
		h.handled(u)
	}
	m.only(m.directs(mai, n), "Bot không đọc tin nhắn, ảnh hay tệp gửi riêng") // once for the album, not once a photo
	if got := []int64{m.in(m.a).block().Version, m.in(m.b).block().Version}; got[0] != versions[0] || got[1] != versions[1] {
		t.Fatalf("messages in private changed a block: versions %v -> %v", versions, got)
	}
}

// joinRequestsStayInTheirBlock checks that Khoa's request waiting in the
// district's block shows nowhere else: not in /units or /help of the block
// of the economic departments, where he represents Sở Công Thương, nor in
// the mass organisations', where he is an administrator.
func (m *multiBlock) joinRequestsStayInTheirBlock() {
	h, t := m.harness, m.t
	expect(t, h.say(m.c, m.tu, "/units").Text, "Yêu cầu làm đầu mối chờ duyệt: 1")
	expect(t, h.say(m.c, m.khoa, "/help").Text, "Bạn đã xin làm đầu mối của Phòng Văn hóa - Thông tin huyện; yêu cầu đang chờ")
	for _, g := range []*telegramtest.Chat{m.a, m.b} {
		units := h.say(g, m.khoa, "/units").Text
		help := h.say(g, m.khoa, "/help").Text
		if strings.Contains(units, "chờ duyệt") || strings.Contains(help, "đã xin làm đầu mối") {
			t.Fatalf("the district's request shows in %s:\n%s\n%s", g.Title, units, help)
		}
		m.none("/units of "+g.Title, units, m.others(g)...)
	}
	expect(t, h.say(m.b, m.khoa, "/help").Text, "Bạn là: đầu mối của Sở Công Thương")
	expect(t, h.sayAll(m.a, m.khoa, "/help"), "Bạn là: quản trị viên nhóm")
	expect(t, h.sayAll(m.b, m.lan, "/help"), "Bạn là: quản trị viên nhóm")
	expect(t, h.say(m.a, m.lan, "/help").Text, "Bạn là: đầu mối của Hội Nông dân tỉnh")
	ask := m.in(m.c).withButton("jd:")
	h.press(m.c, m.tu, ask, ask.Buttons[0][0].Data)
	expect(t, h.say(m.c, m.tu, "/units").Text, "Đầu mối: Khoa")
}

// remindedInTheSameMinute sets a deadline at 10/03/2026 17:00 in each block
// and runs the reminders of 09/03 at 08:00: each group gets its own,
// naming its units only; Mai gets two direct messages, Khoa two, Lan one,
// each naming its block and the person's unit there.
func (m *multiBlock) remindedInTheSameMinute() {
	h, t := m.harness, m.t
	for _, g := range []struct {
		chat  *telegramtest.Chat
		admin *telegramtest.User
	}{{m.a, h.admin}, {m.b, m.son}, {m.c, m.tu}} {
		expect(t, h.say(g.chat, g.admin, "/hanchot 10/03/2026 17:00 | Nộp báo cáo tháng 3").Text, "✅ Đã đặt hạn #1: Nộp báo cáo tháng 3\nHạn: 10/03/2026 17:00")
	}
	m.on(3, 9, 8, 0)
	groups := []*telegramtest.Chat{m.a, m.b, m.c}
	before := m.mark()
	h.tick(h.scheduler())
	for _, g := range groups {
		r := m.in(g).posted(m.since(g, before[g.ID]), "⏰ Nhắc hạn: Nộp báo cáo tháng 3\nHạn: 10/03/2026 17:00 (còn 1 ngày).")
		m.none("the reminder in "+g.Title, r, m.others(g)...)
	}
	m.names(m.in(m.a).posted(m.since(m.a, before[m.a.ID]), "⏰"), "• Hội Nông dân tỉnh — Lan", "• Liên đoàn Lao động tỉnh — Mai", "• Tỉnh Đoàn — chưa có đầu mối")
	m.twoDirects(m.mai, before, m.nameA, m.unitsA[1], m.nameB, m.unitsB[2])
	m.twoDirects(m.khoa, before, m.nameB, m.unitsB[1], m.nameC, m.unitsC[0])
	m.only(m.directs(m.lan, before[m.lan.ID]), "⏰ Nhắc hạn ("+m.nameA+")", "Đơn vị Hội Nông dân tỉnh của bạn")
}

// mark counts the messages of the bot in each group and private chat of
// the walk.
func (m *multiBlock) mark() map[int64]int {
	out := map[int64]int{}
	for _, id := range []int64{m.a.ID, m.b.ID, m.c.ID, m.lan.ID, m.mai.ID, m.khoa.ID} {
		out[id] = len(m.tg.Messages(id))
	}
	return out
}

// since returns the bot's messages in g after the first n.
func (m *multiBlock) since(g *telegramtest.Chat, n int) []telegramtest.Message {
	return m.tg.Messages(g.ID)[n:]
}

// twoDirects fails unless user received, since before, exactly two direct
// messages, one naming block1 and unit1, the other block2 and unit2.
func (m *multiBlock) twoDirects(user *telegramtest.User, before map[int64]int, block1, unit1, block2, unit2 string) {
	m.t.Helper()
	dms := m.directs(user, before[user.ID])
	if len(dms) != 2 {
		m.t.Fatalf("%s got %d direct messages, want one per block: %q", user.FirstName, len(dms), dms)
	}
	if strings.Contains(dms[0], block2) {
		dms[0], dms[1] = dms[1], dms[0]
	}
	expect(m.t, dms[0], "("+block1+")", "Đơn vị "+unit1+" của bạn")
	expect(m.t, dms[1], "("+block2+")", "Đơn vị "+unit2+" của bạn")
}

// reportsStayInTheirBlock has Mai register and report for her unit in each
// of her two blocks on 09/03, the same period name in both, run by Hùng
// and by Lan, B's administrator; /report picks the unit of the group's
// block; /history, /progress and /export of each block name nothing of
// the others, and the export's files carry the block's name (exported), so
// that the province's emulation office, collecting them, tells them apart.
func (m *multiBlock) reportsStayInTheirBlock() {
	h, t, mai := m.harness, m.t, m.mai
	for _, g := range []struct {
		chat    *telegramtest.Chat
		manager *telegramtest.User
		pledge  string
		unit    string
	}{{m.a, h.admin, "Phát triển 500 đoàn viên công đoàn | 500 đoàn viên", m.unitsA[1]}, {m.b, m.lan, "Kết nạp 80 đoàn viên | 80 đoàn viên", m.unitsB[2]}} {
		h.say(g.chat, g.manager, "/openreg")
		expect(t, h.say(g.chat, mai, "/pledge "+g.pledge).Text, "✅ Đã ghi 1 nội dung đăng ký thi đua của "+g.unit)
		expect(t, h.say(g.chat, g.manager, "/period Quý I | 31/03").Text, "✅ Đã thêm 1 kỳ báo cáo.")
		expect(t, h.say(g.chat, mai, "/report Quý I\n1 40").Text, "📊 Đã ghi báo cáo kỳ Quý I của "+g.unit+" (Mai, 09/03/2026 08:00).")
	}
	for _, g := range []*telegramtest.Chat{m.a, m.b, m.c} {
		admin := map[int64]*telegramtest.User{m.a.ID: h.admin, m.b.ID: m.son, m.c.ID: m.tu}[g.ID]
		m.none("/history of "+g.Title, h.say(g, admin, "/history 50").Text, m.others(g)...)
		m.none("/progress of "+g.Title, h.say(g, admin, "/progress").Text, m.others(g)...)
		m.none("/export of "+g.Title, m.exportedCells(g, admin, "/export", 2026), m.others(g)...)
	}
	expect(t, h.say(m.a, h.admin, "/progress").Text, "Liên đoàn Lao động tỉnh\n   ▓░░░░░░░░░ 8%")
	expect(t, h.say(m.b, m.son, "/progress").Text, "Công đoàn Viên chức tỉnh\n   ▓▓▓▓▓░░░░░ 50%")
}

// exportedCells has user send cmd, an /export, in g and returns every cell
// of the CSV tables of the year sent, one per line.
func (m *multiBlock) exportedCells(g *telegramtest.Chat, user *telegramtest.User, cmd string, year int) string {
	m.t.Helper()
	m.say(g, user, cmd)
	_, tables := m.in(g).exported(year)
	var cells []string
	for _, rows := range tables {
		for _, row := range rows {
			cells = append(cells, row...)
		}
	}
	return strings.Join(cells, "\n")
}

// oneLeftOneUpgraded has Tú remove the bot from the district's group and
// Telegram upgrade the economic departments' group to a supergroup on
// 09/03. On 10/03 at 08:00 the two other groups get the day's reminder,
// the supergroup included, and Khoa only the direct message of the block
// whose group still has the bot; Mai pins hers, which the bot leaves
// alone. Tú adds the bot back at noon, and at 17:00 each of the three
// groups gets its own overdue notice.
func (m *multiBlock) oneLeftOneUpgraded() {
	h, t, me := m.harness, m.t, m.tg.BotUser()
	h.handled(mustChange(t)(m.c.ChangeStatusBy(me, telegramtest.StatusLeft, m.tu)))
	m.b = m.in(m.b).upgrade()
	expect(t, m.posted(m.since(m.b, 0), "ℹ️"), "Khối thi đua các sở kinh tế tỉnh (năm thi đua 2026) tiếp tục ở đây")

	m.on(3, 10, 8, 0)
	before := m.mark()
	h.tick(h.scheduler())
	for _, g := range []*telegramtest.Chat{m.a, m.b} {
		m.in(g).posted(m.since(g, before[g.ID]), "⏰ Nhắc hạn: Nộp báo cáo tháng 3\nHạn: 10/03/2026 17:00 (hạn hôm nay).")
	}
	if msgs := m.since(m.c, before[m.c.ID]); len(msgs) != 0 {
		t.Fatalf("the bot, removed, posted in the district's group: %q", msgs[0].Text)
	}
	m.twoDirects(m.mai, before, m.nameA, m.unitsA[1], m.nameB, m.unitsB[2])
	m.only(m.directs(m.khoa, before[m.khoa.ID]), "⏰ Nhắc hạn ("+m.nameB+")", "Đơn vị Sở Công Thương của bạn")

	dm := m.tg.Messages(m.mai.ID)[len(m.tg.Messages(m.mai.ID))-1]
	private := &tgbotapi.Chat{ID: m.mai.ID, Type: "private", FirstName: m.mai.FirstName}
	pin := &tgbotapi.Message{MessageID: dm.ID + 1, Date: int(m.now.Unix()), Chat: private,
		From:          &tgbotapi.User{ID: m.mai.ID, FirstName: m.mai.FirstName},
		PinnedMessage: &tgbotapi.Message{MessageID: dm.ID, Date: int(m.now.Unix()), Chat: private, Text: dm.Text}}
	n := len(m.tg.Messages(m.mai.ID))
	if err := m.tg.WaitConfirmed(m.tg.Deliver(tgbotapi.Update{Message: pin}), wait); err != nil {
		t.Fatal(err)
	}
	if dms := m.directs(m.mai, n); len(dms) != 0 {
		t.Fatalf("the bot answered Mai's pinning its message: %q", dms)
	}

	expect(t, h.say(m.b, m.mai, "/done 1").Text, "✅ Công đoàn Viên chức tỉnh đã hoàn thành «Nộp báo cáo tháng 3» (hạn #1).")
	m.on(3, 10, 12, 0)
	h.handled(mustChange(t)(m.c.ChangeStatusBy(me, telegramtest.StatusAdministrator, m.tu)))
	back, _ := m.tg.LastMessage(m.c.ID)
	expect(t, back.Text, "Nhóm này vẫn là Khối thi đua huyện Bảo Thắng", "bot không gửi nhắc hạn nào")
	expect(t, h.say(m.c, m.tu, "/history 3").Text, "Tú: gỡ bot khỏi nhóm", "Tú: thêm bot trở lại nhóm")
	m.none("/history of "+m.nameA, h.say(m.a, h.admin, "/history 50").Text, "gỡ bot", "nâng cấp")

	m.on(3, 10, 17, 0)
	before = m.mark()
	h.tick(h.scheduler())
	for _, g := range []*telegramtest.Chat{m.a, m.b, m.c} {
		overdue := m.in(g).posted(m.since(g, before[g.ID]), "⚠️ Quá hạn: Nộp báo cáo tháng 3\nHạn 10/03/2026 17:00 đã qua.")
		m.none("the overdue notice in "+g.Title, overdue, m.others(g)...)
	}
	m.names(m.in(m.b).posted(m.since(m.b, before[m.b.ID]), "⚠️"), "• Sở Tài chính — chưa có đầu mối", "• Sở Công Thương — Khoa")
	m.only(m.directs(m.mai, before[m.mai.ID]), "⚠️ Quá hạn ("+m.nameA+")", "Đơn vị Liên đoàn Lao động tỉnh của bạn")
	m.twoDirects(m.khoa, before, m.nameB, m.unitsB[1], m.nameC, m.unitsC[0])
}

// settingsOfABlock has Hùng change the reminders of the mass
// organisations' block to 7, 3 and 1 days before, at 07:30, which leaves
// the other blocks' at 08:00. A block has no setting of its own for the
// time zone or the language, which the bot's process sets for all (TZ,
// BOT_LANG): /remind refuses a zone, and changes nothing.
func (m *multiBlock) settingsOfABlock() {
	h, t := m.harness, m.t
	expect(t, h.say(m.a, h.admin, "/remind 7,3,1 07:30").Text, "✅ Đã đổi cách nhắc hạn:\nNhắc 7, 3, 1 ngày trước hạn, lúc 07:30 (giờ Asia/Ho_Chi_Minh).")
	for _, g := range []*telegramtest.Chat{m.b, m.c} {
		expect(t, h.say(g, m.khoa, "/remind").Text, "Nhắc 7, 3, 1 ngày trước hạn và trong ngày hạn, lúc 08:00 (giờ Asia/Ho_Chi_Minh).")
	}
	m.in(m.a).unchanged(h.admin, "/remind Asia/Bangkok", "Không hiểu «Asia/Bangkok».", "Cú pháp: /remind")
}

// oneTurnsTheYear has Hùng turn the mass organisations' block to 2027 on
// 01/12/2026 while the economic departments' stays in 2026, its data
// whole; each block's /progress and /export show its own year. A deadline
// of 15/01/2027 in both is reminded on 14/01 at each block's time: Mai
// gets the mass organisations' at 07:30 and the economic departments' at
// 08:00, each naming its block.
func (m *multiBlock) oneTurnsTheYear() {
	h, t := m.harness, m.t
	m.in(m.a).turnYear(time.Date(2026, 12, 1, 9, 0, 0, 0, hcm))
	if a, b := m.in(m.a).block(), m.in(m.b).block(); a.Year != 2027 || b.Year != 2026 || len(b.Results.Periods) != 1 {
		t.Fatalf("after the turn: the mass organisations' block in %d, the economic departments' in %d with %d periods", a.Year, b.Year, len(b.Results.Periods))
	}
	expect(t, h.say(m.a, m.mai, "/progress").Text, "📈 TIẾN ĐỘ THI ĐUA NĂM 2027")
	expect(t, h.say(m.b, m.mai, "/progress").Text, "📈 TIẾN ĐỘ THI ĐUA NĂM 2026", "Công đoàn Viên chức tỉnh\n   ▓▓▓▓▓░░░░░ 50%")
	expect(t, h.say(m.b, m.mai, "/myreport Quý I").Text, "Báo cáo kỳ Quý I — Công đoàn Viên chức tỉnh")
	for _, g := range []*telegramtest.Chat{m.a, m.b} {
		m.none("/export 2026 of "+g.Title, m.exportedCells(g, m.mai, "/export 2026", 2026), m.others(g)...)
	}

	for _, g := range []struct {
		chat    *telegramtest.Chat
		manager *telegramtest.User
	}{{m.a, h.admin}, {m.b, m.lan}} {
		expect(t, h.say(g.chat, g.manager, "/deadline 15/01/2027 | Nộp báo cáo tổng kết").Text, "✅ Đã đặt hạn #2: Nộp báo cáo tổng kết")
	}
	m.year = 2027
	for _, at := range []struct {
		hour, minute int
		block, unit  string
	}{{7, 30, m.nameA, m.unitsA[1]}, {8, 0, m.nameB, m.unitsB[2]}} {
		m.on(1, 14, at.hour, at.minute)
		before := m.mark()
		h.tick(h.scheduler())
		m.only(m.directs(m.mai, before[m.mai.ID]), "⏰ Nhắc hạn ("+at.block+"): Nộp báo cáo tổng kết — hạn 15/01/2027 17:00 (còn 1 ngày).", "Đơn vị "+at.unit+" của bạn")
	}
}
