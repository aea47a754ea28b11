package handlers_test

import (
	"strings"
	"testing"
	"unicode/utf16"

	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

func TestJoinWithButtonsAndApprove(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	lan := h.member("Lan", "") // no username: mentioned by link
	h.handled(h.tg.SendPrivate(lan, "/start"))

	pick := h.say(h.group, lan, "/thamgia")
	expect(t, pick.Text, "Chọn đơn vị mà bạn làm đầu mối")
	if len(pick.Buttons) != 7 || pick.Buttons[2][0].Text != "Hội Nông dân tỉnh" {
		t.Fatalf("buttons %+v", pick.Buttons)
	}
	a := h.press(h.group, lan, pick, pick.Buttons[2][0].Data)
	expect(t, a.Text, "Đã gửi yêu cầu làm đầu mối của Hội Nông dân tỉnh")
	ask, _ := h.tg.LastMessage(h.group.ID)
	expect(t, ask.Text, "🙋 Lan xin làm đầu mối của Hội Nông dân tỉnh")
	expect(t, ask.HTML, `<a href="tg://user?id=`)
	if len(h.block().Requests) != 1 || h.block().RepOf(lan.ID) != nil {
		t.Fatal("request not pending")
	}

	// Only managers decide.
	minh := h.member("Minh", "minh")
	a = h.press(h.group, minh, ask, ask.Buttons[0][0].Data)
	if !a.ShowAlert || !strings.Contains(a.Text, "chỉ quản trị viên nhóm") {
		t.Fatalf("non-manager approval: %+v", a)
	}
	if h.block().RepOf(lan.ID) != nil {
		t.Fatal("approved by a non-manager")
	}

	h.press(h.group, h.admin, ask, ask.Buttons[0][0].Data)
	done, _ := h.tg.LastMessage(h.group.ID)
	if done.ID != ask.ID || len(done.Buttons) != 0 {
		t.Fatalf("approval message not edited in place: %+v", done)
	}
	expect(t, done.Text, "✅ Lan là đầu mối của Hội Nông dân tỉnh (duyệt bởi Hùng)")
	b := h.block()
	if rp := b.RepOf(lan.ID); rp == nil || b.UnitName(rp.UnitID) != "Hội Nông dân tỉnh" || len(b.Requests) != 0 {
		t.Fatalf("rep %+v", rp)
	}
	dm, _ := h.tg.LastMessage(lan.ID)
	expect(t, dm.Text, "Bạn đã được duyệt là đầu mối của Hội Nông dân tỉnh")

	m := h.say(h.group, lan, "/units")
	expect(t, m.Text, "3. Hội Nông dân tỉnh", "Đầu mối: Lan")
	m = h.say(h.group, lan, "/join")
	expect(t, m.Text, "Bạn đã là đầu mối của một đơn vị")
	m = h.say(h.group, lan, "/leave")
	expect(t, m.Text, "Bạn không còn là đầu mối của Hội Nông dân tỉnh")
	if h.block().RepOf(lan.ID) != nil {
		t.Fatal("still a representative")
	}
	m = h.say(h.group, lan, "/roikhoi")
	expect(t, m.Text, "Bạn chưa là đầu mối của đơn vị nào")
}

// The direct message saying a request to represent a unit was approved is
// in the language of the requester's Telegram app, recorded with the
// request and then with the representative; the group's messages stay in
// the block's language.
func TestJoinApprovedInTheRequestersLanguage(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	john := h.member("John", "john_rc", telegramtest.Lang("en-GB"))
	h.handled(h.tg.SendPrivate(john, "/start"))
	h.say(h.group, john, "/join Hội Chữ thập đỏ tỉnh")
	ask, _ := h.tg.LastMessage(h.group.ID)
	expect(t, ask.Text, "🙋 John xin làm đầu mối của Hội Chữ thập đỏ tỉnh")
	if reqs := h.block().Requests; len(reqs) != 1 || reqs[0].Lang != "en-GB" {
		t.Fatalf("requests %+v", reqs)
	}
	h.press(h.group, h.admin, ask, ask.Buttons[0][0].Data)
	done, _ := h.tg.LastMessage(h.group.ID)
	expect(t, done.Text, "✅ John là đầu mối của Hội Chữ thập đỏ tỉnh (duyệt bởi Hùng)")
	dm, _ := h.tg.LastMessage(john.ID)
	expect(t, dm.Text, "✅ You now represent Hội Chữ thập đỏ tỉnh in Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai.")
	if rp := h.block().RepOf(john.ID); rp == nil || rp.Lang != "en-GB" {
		t.Fatalf("rep %+v", rp)
	}
}

func TestJoinRejectAndBadInput(t *testing.T) {
	h := newHarness(t)
	m := h.say(h.group, h.admin, "/join")
	expect(t, m.Text, "chưa được thiết lập")
	h.say(h.group, h.admin, "/setup Khối")
	m = h.say(h.group, h.admin, "/join")
	expect(t, m.Text, "Khối chưa có đơn vị nào")
	h.say(h.group, h.admin, "/addunit Tỉnh Đoàn\nHội Nông dân tỉnh")

	minh := h.member("Minh", "minh")
	m = h.say(h.group, minh, "/join Hội Phụ nữ")
	expect(t, m.Text, "Không tìm thấy đơn vị này")
	h.say(h.group, minh, "/join nong dan")
	ask, _ := h.tg.LastMessage(h.group.ID)
	h.press(h.group, h.admin, ask, ask.Buttons[0][1].Data)
	done, _ := h.tg.LastMessage(h.group.ID)
	expect(t, done.Text, "❌ Yêu cầu làm đầu mối Hội Nông dân tỉnh của Minh không được duyệt (bởi Hùng)")
	if b := h.block(); b.RepOf(minh.ID) != nil || len(b.Requests) != 0 {
		t.Fatal("rejected request left state")
	}
	h.handled(h.tg.SendAsGroup(h.group, "/join"))
	m, _ = h.tg.LastMessage(h.group.ID)
	expect(t, m.Text, "Hãy tắt chế độ ẩn danh")
}

// A unit with a long name can still be joined with its button: the answer
// to the press is cut to Telegram's 200 characters.
func TestJoinButtonWithLongUnitName(t *testing.T) {
	h := newHarness(t)
	h.say(h.group, h.admin, "/setup Khối")
	long := "Hội Liên hiệp các tổ chức hữu nghị " + strings.Repeat("và hợp tác phát triển bền vững ", 4) + "tỉnh Lào Cai"
	h.say(h.group, h.admin, "/addunit "+long)
	lan := h.member("Lan", "lan")
	pick := h.say(h.group, lan, "/join")
	a := h.press(h.group, lan, pick, pick.Buttons[0][0].Data)
	if n := len(utf16.Encode([]rune(a.Text))); n > 200 || !strings.HasSuffix(a.Text, "…") {
		t.Fatalf("answer of %d units: %q", n, a.Text)
	}
	ask, _ := h.tg.LastMessage(h.group.ID)
	expect(t, ask.Text, "🙋 Lan xin làm đầu mối của "+long)
}

func TestLeaderRepresentativeApproves(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	lan := h.member("Lan", "lan")
	h.join(lan, "Tỉnh Đoàn")
	h.say(h.group, h.admin, "/leader Tỉnh Đoàn")
	minh := h.member("Minh", "minh")
	h.say(h.group, minh, "/join 2")
	ask, _ := h.tg.LastMessage(h.group.ID)
	h.press(h.group, lan, ask, ask.Buttons[0][0].Data)
	if rp := h.block().RepOf(minh.ID); rp == nil || rp.ApprovedBy != lan.ID {
		t.Fatalf("rep %+v", rp)
	}
}

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

// TestChangedJoinRequestLosesItsButtons checks that a member who asks to
// represent another unit while their first request waits (they picked the
// wrong unit) leaves no ✅ Duyệt or ❌ Từ chối under the first request,
// which would only be refused now: its message says it was replaced, and
// the new request is decided as usual.
func TestChangedJoinRequestLosesItsButtons(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	tuan := h.member("Tuấn", "")
	pick := h.say(h.group, tuan, "/join")
	h.press(h.group, tuan, pick, pick.Buttons[2][0].Data)
	first := h.withButton("jd:")
	expect(t, first.Text, "🙋 Tuấn xin làm đầu mối của Hội Nông dân tỉnh.")
	if b := h.block(); len(b.Requests) != 1 || b.Requests[0].MessageID != first.ID {
		t.Fatalf("the request's message is not recorded: %+v", b.Requests)
	}
	h.press(h.group, tuan, pick, pick.Buttons[3][0].Data)
	second := h.withButton("jd:")
	expect(t, second.Text, "🙋 Tuấn xin làm đầu mối của Liên đoàn Lao động tỉnh.")
	got := h.message(first.ID)
	expect(t, got.Text, "↪️ Tuấn đã đổi yêu cầu: xin làm đầu mối của Liên đoàn Lao động tỉnh (tin bên dưới) thay cho Hội Nông dân tỉnh.")
	if len(got.Buttons) != 0 || second.ID == first.ID {
		t.Fatalf("the replaced request keeps its buttons: %v", got.Buttons)
	}
	h.press(h.group, h.admin, second, second.Buttons[0][0].Data)
	if rp := h.block().RepOf(tuan.ID); rp == nil || rp.UnitID != h.block().Units[3].ID || len(h.block().Requests) != 0 {
		t.Fatalf("Tuấn represents %+v", rp)
	}
}

// TestJoinRequestSentAgainSaysSo checks that a member who asks again to
// represent the unit their waiting request names (they thought the first
// one lost) finds the first request's message saying the request was sent
// again below, without its buttons: not that they changed it to the same
// unit "instead of" itself.
func TestJoinRequestSentAgainSaysSo(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	tuan := h.member("Tuấn", "")
	h.say(h.group, tuan, "/join Hội Nông dân tỉnh")
	first := h.withButton("jd:")
	h.say(h.group, tuan, "/join Hội Nông dân tỉnh")
	second := h.withButton("jd:")
	if second.ID == first.ID {
		t.Fatal("the request was not posted again")
	}
	got := h.message(first.ID)
	expect(t, got.Text, "↪️ Tuấn đã gửi lại yêu cầu làm đầu mối của Hội Nông dân tỉnh (tin bên dưới).")
	if strings.Contains(got.Text, "thay cho") || len(got.Buttons) != 0 {
		t.Fatalf("the first request's message: %q %v", got.Text, got.Buttons)
	}
	if b := h.block(); len(b.Requests) != 1 || b.Requests[0].MessageID != second.ID {
		t.Fatalf("requests %+v", b.Requests)
	}
}

// TestJoinRedeliveredAfterItsPostIsNotPostedTwice checks that /join,
// delivered again after the bot posted the request with its buttons and
// recorded its message but died before Telegram heard the update was
// handled, does not post the request a second time: the first post's
// buttons would outlive a change of the request, which retires the message
// recorded only.
func TestJoinRedeliveredAfterItsPostIsNotPostedTwice(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	tuan := h.member("Tuấn", "")
	u := h.tg.Send(h.group, tuan, "/join Hội Nông dân tỉnh")
	h.handled(u)
	ask := h.withButton("jd:")
	h.redeliver(u)
	if n := countContaining(h, h.group.ID, "🙋 Tuấn xin làm đầu mối"); n != 1 {
		t.Fatalf("the request was posted %d times", n)
	}
	if b := h.block(); len(b.Requests) != 1 || b.Requests[0].MessageID != ask.ID {
		t.Fatalf("requests %+v, want the message %d", b.Requests, ask.ID)
	}
	h.say(h.group, tuan, "/join Liên đoàn Lao động tỉnh")
	if got := h.message(ask.ID); len(got.Buttons) != 0 {
		t.Fatalf("the replaced request keeps its buttons: %v", got.Buttons)
	}
}

// Should the bot die after /join recorded the request but before it posted
// the approval buttons, the update comes again: the bot posts the request
// with its buttons then, since nothing else approves a request, rather than
// only telling the asker it was recorded.
func TestJoinRedeliveredAfterACrashPostsTheButtons(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	lan := h.member("Lan", "lan")
	// What the bot wrote before it died: the request, and no message.
	h.crashAfterWrite(lan, "/join Hội Nông dân tỉnh", func(b *thidua.Block) error {
		_, err := b.RequestJoin(thidua.Actor{UserID: lan.ID, Name: lan.FirstName, Username: lan.UserName}, b.Units[2].ID, h.now)
		return err
	})
	ask, _ := h.tg.LastMessage(h.group.ID)
	expect(t, ask.Text, "🙋 Lan xin làm đầu mối của Hội Nông dân tỉnh.")
	if len(ask.Buttons) != 1 || len(ask.Buttons[0]) != 2 {
		t.Fatalf("buttons %+v", ask.Buttons)
	}
	h.press(h.group, h.admin, ask, ask.Buttons[0][0].Data)
	if rp := h.block().RepOf(lan.ID); rp == nil || rp.UnitID != h.block().Units[2].ID {
		t.Fatalf("Lan was not approved: %+v", rp)
	}
	if n := len(h.block().Requests); n != 0 {
		t.Fatalf("%d requests left", n)
	}
}

// TestChangedJoinRequestRedeliveredAfterACrashRetiresTheOldOne checks that
// a /join which replaced a waiting request, stored before the bot died and
// delivered again, takes the buttons off the replaced request's message as
// its first delivery would have: whether the bot died before posting the
// new request (posted then) or after (not posted twice).
func TestChangedJoinRequestRedeliveredAfterACrashRetiresTheOldOne(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	tuan := h.member("Tuấn", "")
	asker := thidua.Actor{UserID: tuan.ID, Name: tuan.FirstName}
	h.say(h.group, tuan, "/join Hội Nông dân tỉnh")
	first := h.withButton("jd:")
	h.crashAfterWrite(tuan, "/join Liên đoàn Lao động tỉnh", func(b *thidua.Block) error {
		_, err := b.RequestJoin(asker, b.Units[3].ID, h.now)
		return err
	})
	got := h.message(first.ID)
	expect(t, got.Text, "↪️ Tuấn đã đổi yêu cầu: xin làm đầu mối của Liên đoàn Lao động tỉnh (tin bên dưới) thay cho Hội Nông dân tỉnh.")
	second := h.withButton("jd:")
	if len(got.Buttons) != 0 || second.ID == first.ID {
		t.Fatalf("the replaced request keeps its buttons %v, or the new one was not posted", got.Buttons)
	}
	expect(t, second.Text, "🙋 Tuấn xin làm đầu mối của Liên đoàn Lao động tỉnh.")

	h.crashAfterWrite(tuan, "/join Tỉnh Đoàn", func(b *thidua.Block) error {
		req, err := b.RequestJoin(asker, b.Units[5].ID, h.now)
		if err != nil {
			return err
		}
		return b.SetJoinMessage(req.ID, second.ID+100) // posted and recorded before the crash
	})
	got = h.message(second.ID)
	expect(t, got.Text, "↪️ Tuấn đã đổi yêu cầu: xin làm đầu mối của Tỉnh Đoàn (tin bên dưới) thay cho Liên đoàn Lao động tỉnh.")
	if len(got.Buttons) != 0 {
		t.Fatalf("the replaced request keeps its buttons: %v", got.Buttons)
	}
	if n := countContaining(h, h.group.ID, "🙋 Tuấn xin làm đầu mối của Tỉnh Đoàn"); n != 0 {
		t.Fatalf("the request posted before the crash was posted %d times more", n)
	}
}
