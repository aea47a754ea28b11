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
