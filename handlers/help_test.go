package handlers_test

import (
	"strings"
	"testing"

	"thiduabot/telegramtest"
)

func TestHelpByRole(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	minh := h.member("Minh", "minh")
	m := h.say(h.group, minh, "/help")
	expect(t, m.Text, "Bạn là: thành viên nhóm", "/join (/thamgia)", "/units (/donvi)")
	if strings.Contains(m.Text, "/addunit") || strings.Contains(m.Text, "/setup") {
		t.Fatalf("a member sees managers' commands: %s", m.Text)
	}
	h.join(minh, "Tỉnh Đoàn")
	h.say(h.group, h.admin, "/leader Tỉnh Đoàn")
	m = h.say(h.group, minh, "/trogiup")
	expect(t, m.Text, "Bạn là: đầu mối của Tỉnh Đoàn (đơn vị Khối trưởng)", "Điều hành khối", "/addunit (/themdonvi)", "/leave")
	if strings.Contains(m.Text, "/setup") {
		t.Fatal("a leader representative sees the admins' /setup")
	}
	expect(t, h.sayAll(h.group, h.admin, "/help"), "Bạn là: quản trị viên nhóm", "/setup (/thietlap)")

	john := h.tg.NewUser("John", "john", telegramtest.Lang("en"))
	m = h.say(h.tg.PrivateChat(john), john, "/help")
	expect(t, m.Text, "Everyone", "/start", "/help")
	if strings.Contains(m.Text, "/units") {
		t.Fatal("group commands listed in private")
	}
}

func TestStartAndUnknownCommands(t *testing.T) {
	h := newHarness(t)
	lan := h.tg.NewUser("Lan", "lan")
	m := h.say(h.tg.PrivateChat(lan), lan, "/start")
	expect(t, m.Text, "Từ nay bot có thể nhắn riêng cho bạn",
		"Khối của bạn chưa dùng bot: thêm bot vào nhóm chat của khối", "Khối đã dùng bot: gửi lệnh trong nhóm chat của khối.")
	if ok, err := h.store.Reachable(t.Context(), lan.ID); err != nil || !ok {
		t.Fatalf("reachable %v %v", ok, err)
	}
	m = h.say(h.tg.PrivateChat(lan), lan, "/khongco")
	expect(t, m.Text, "Không có lệnh /khongco")
	before := h.tg.Sent(h.group.ID)
	h.say(h.group, lan, "/khongco")
	h.say(h.group, lan, "/units@otherbot")
	h.say(h.group, lan, "xin chào cả nhóm")
	if h.tg.Sent(h.group.ID) != before {
		t.Fatal("the bot answered chatter or another bot's command in the group")
	}
	m = h.say(h.group, lan, "/units@thiduabot")
	expect(t, m.Text, "chưa được thiết lập")
}

// A command addressed to this bot by name that it does not know is answered
// in the group, not met with silence.
func TestUnknownCommandAddressedToTheBotIsAnswered(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	lan := h.member("Lan", "lan")
	before := len(h.tg.Messages(h.group.ID))
	m := h.say(h.group, lan, "/dangki@thiduabot Vận động xây nhà")
	if len(h.tg.Messages(h.group.ID)) == before {
		t.Fatal("no answer to an unknown command addressed to the bot")
	}
	expect(t, m.Text, "Không có lệnh /dangki", "/help")
	// A command for another bot, or an unaddressed typo, stays unanswered.
	n := len(h.tg.Messages(h.group.ID))
	h.say(h.group, lan, "/dangki@otherbot x")
	h.say(h.group, lan, "/dangki x")
	if got := len(h.tg.Messages(h.group.ID)); got != n {
		t.Fatalf("%d answers to commands not addressed to the bot", got-n)
	}
}

func TestHelpIsCompactAndExplainsOneCommand(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	// Each command is an entity to Telegram, which keeps 100 in a
	// message: the administrator's list comes in two, split between the
	// commands for everyone and those that run the block; a member's in one.
	before := len(h.tg.Messages(h.group.ID))
	h.say(h.group, h.admin, "/help")
	msgs := h.since(before)
	if len(msgs) != 2 || !strings.HasPrefix(msgs[1].Text, "Điều hành khối\n/setup (/thietlap) — ") {
		t.Fatalf("/help took %d messages, the last %q", len(msgs), msgs[len(msgs)-1].Text)
	}
	expect(t, msgs[0].Text, "Bạn là: quản trị viên nhóm", "/pledge (/dangky)", "/report (/baocao)")
	expect(t, msgs[1].Text, "/elect (/bau)", "Gửi /help <lệnh> để xem cú pháp")
	before = len(h.tg.Messages(h.group.ID))
	m := h.say(h.group, h.member("Minh", ""), "/help")
	if n := len(h.since(before)); n != 1 {
		t.Fatalf("a member's /help took %d messages", n)
	}
	expect(t, m.Text, "Bạn là: thành viên nhóm", "/units (/donvi)", "Gửi /help <lệnh> để xem cú pháp")
	m = h.say(h.group, h.admin, "/trogiup /dangky")
	expect(t, m.Text, "/pledge —", "Tên khác: /dangky", "Ai dùng:", "Cú pháp: /pledge", "Ví dụ: /pledge")
	expect(t, h.say(h.group, h.admin, "/help export").Text, "/export — Xuất tệp Excel và CSV số liệu của khối")
	m = h.say(h.group, h.admin, "/help khongco")
	expect(t, m.Text, "Không có lệnh «khongco».", "Cú pháp: /help [lệnh]")
}

// TestHelpTellsANewcomerHowToJoin checks that /help, for a member of the
// group who represents no unit, says what to do next: send /join when they
// represent a unit; and, once they asked, that their request to represent
// the unit awaits approval; a representative and an administrator are not
// told so.
func TestHelpTellsANewcomerHowToJoin(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	tuan := h.member("Tuấn", "")
	m := h.say(h.group, tuan, "/help")
	expect(t, m.Text, "Bạn là: thành viên nhóm\nNếu bạn là cán bộ đầu mối của một đơn vị trong khối, gửi /join rồi chọn đơn vị để đăng ký làm đầu mối.")
	h.say(h.group, tuan, "/join Hội Nông dân tỉnh")
	m = h.say(h.group, tuan, "/trogiup")
	expect(t, m.Text, "Bạn là: thành viên nhóm\nBạn đã xin làm đầu mối của Hội Nông dân tỉnh; yêu cầu đang chờ quản trị viên nhóm hoặc đầu mối đơn vị Khối trưởng duyệt.")
	ask := h.withButton("jd:")
	h.press(h.group, h.admin, ask, ask.Buttons[0][0].Data)
	for _, u := range []*telegramtest.User{tuan, h.admin} {
		if m := h.say(h.group, u, "/help"); strings.Contains(m.Text, "/join rồi chọn") || strings.Contains(m.Text, "đang chờ") {
			t.Fatalf("%s is told how to join: %q", u.FirstName, m.Text)
		}
	}
	// In a group without units yet, there is nothing to join.
	h2 := newHarness(t)
	h2.say(h2.group, h2.admin, "/setup Khối thi đua tỉnh")
	if m := h2.say(h2.group, h2.member("Tuấn", ""), "/help"); strings.Contains(m.Text, "/join rồi chọn") {
		t.Fatalf("told to join a block without units: %q", m.Text)
	}
}

// A plain member may show the reminder settings with /remind (README: "anyone;
// managers change"), so /help lists it for them, as it lists /criteria.
func TestHelpListsRemindForMembers(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	lan := h.member("Lan", "lan")
	m := h.say(h.group, lan, "/remind")
	expect(t, m.Text, "08:00") // the settings are shown to her
	m = h.say(h.group, lan, "/help")
	expect(t, m.Text, "/remind (/nhacnho)")
	// And the manager's commands stay hidden from her, /newyear included.
	for _, hidden := range []string{"/newyear", "/remindnow", "/setup", "/addunit"} {
		if strings.Contains(m.Text, hidden+" ") {
			t.Fatalf("a member's /help lists %s:\n%s", hidden, m.Text)
		}
	}
}

// Anyone may see a unit's scores with /selfscore #số, which the score board
// tells every member to use: /help lists it for a plain member too, and
// /help selfscore does not say only representatives use it.
func TestHelpListsSelfscoreForMembers(t *testing.T) {
	c := newRegCast(t)
	c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền | 20")
	c.say(c.group, c.lan, "/tucham 1 18")
	expect(t, c.say(c.group, c.hoa, "/bangdiem").Text, "Chi tiết một đơn vị: /selfscore #số")
	expect(t, c.say(c.group, c.hoa, "/tucham #3").Text, "Điểm thi đua năm 2026 — Hội Nông dân tỉnh")
	expect(t, c.say(c.group, c.hoa, "/help").Text, "/selfscore (/tucham)")
	if m := c.say(c.group, c.hoa, "/help selfscore").Text; strings.Contains(m, "Ai dùng: đầu mối của các đơn vị") {
		t.Fatalf("/help selfscore: %q", m)
	}
}

// /help in private says that the block's commands are used in the group
// rather than listing /start and /help alone.
func TestHelpInPrivatePointsToTheGroup(t *testing.T) {
	h := newHarness(t)
	lan := h.member("Lan", "lan")
	m := h.say(h.tg.PrivateChat(lan), lan, "/help")
	expect(t, m.Text, "nhóm chat của khối", "/help")
	john := h.tg.NewUser("John", "john", telegramtest.Lang("en"))
	m = h.say(h.tg.PrivateChat(john), john, "/help")
	expect(t, m.Text, "group chat")
}

// /help in a group that is not a block yet says so and how to begin.
func TestHelpInAGroupWithoutABlock(t *testing.T) {
	h := newHarness(t)
	lan := h.member("Lan", "lan")
	m := h.say(h.group, lan, "/help")
	expect(t, m.Text, "Nhóm này chưa được thiết lập khối thi đua", "/setup")
}

// /help accepts the command as Telegram clients write it in groups, with
// the slash and the bot's name.
func TestHelpOnACommandWithTheBotsName(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	m := h.say(h.group, h.admin, "/help /newyear@thiduabot")
	expect(t, m.Text, "/newyear — Chuyển khối sang năm thi đua mới", "Tên khác: /nammoi",
		"Ai dùng: quản trị viên nhóm và đầu mối đơn vị Khối trưởng")
}
