package handlers_test

import (
	"errors"
	"strconv"
	"testing"

	"thiduabot/storage"
	"thiduabot/telegramtest"
)

// askedAbout counts the bot's getChatMember calls about user in chat.
func askedAbout(h *harness, chat *telegramtest.Chat, user *telegramtest.User) int {
	n := 0
	for _, r := range h.tg.Requests("getChatMember") {
		if r.Params.Get("chat_id") == strconv.FormatInt(chat.ID, 10) && r.Params.Get("user_id") == strconv.FormatInt(user.ID, 10) {
			n++
		}
	}
	return n
}

// A demoted administrator is refused the managers' commands at once, and a
// promoted member may use them at once: the bot learns the new status from
// Telegram's chat_member update, rather than trusting for up to a minute
// the answer it remembered, and does not ask Telegram again.
func TestAdminRightsFollowStatusChanges(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	mai := h.member("Mai", "mai")
	h.group.SetStatus(mai, telegramtest.StatusAdministrator)
	binh := h.member("Bình", "")
	expect(t, h.say(h.group, mai, "/addunit Hội Khuyến học tỉnh").Text, "Đã thêm 1 đơn vị")
	expect(t, h.say(h.group, binh, "/addunit Hội Doanh nhân trẻ").Text, "chỉ quản trị viên nhóm hoặc đầu mối")
	askedMai, askedBinh := askedAbout(h, h.group, mai), askedAbout(h, h.group, binh)

	h.changeStatus(h.group, mai, telegramtest.StatusMember)
	h.changeStatus(h.group, binh, telegramtest.StatusAdministrator)
	expect(t, h.say(h.group, mai, "/addunit Hội Luật gia tỉnh").Text, "chỉ quản trị viên nhóm hoặc đầu mối")
	expect(t, h.say(h.group, binh, "/addunit Hội Doanh nhân trẻ").Text, "Đã thêm 1 đơn vị")
	if a, b := askedAbout(h, h.group, mai), askedAbout(h, h.group, binh); a != askedMai || b != askedBinh {
		t.Fatalf("the bot asked Telegram again about Mai %d and Bình %d times", a-askedMai, b-askedBinh)
	}
	if n := len(h.block().Units); n != 9 {
		t.Fatalf("%d units", n)
	}
}

// A representative of the leader unit promoted to administrator gets
// every command in their menu (/setup among them) at once, and the
// managers' menu back when demoted; nothing is written to the block.
// Another representative promoted gets no menu of their own: the
// administrators' menu is Telegram's to show. One who leaves the group,
// or is removed from it, keeps a menu, which Telegram shows nobody outside
// it, and remains a representative until a manager decides otherwise.
func TestLeaderRepMenuFollowsAdminRights(t *testing.T) {
	h := newHarness(t)
	lan := leaderRep(h)
	binh := h.member("Bình", "")
	h.join(binh, nongDan)
	version := h.block().Version

	h.changeStatus(h.group, lan, telegramtest.StatusAdministrator)
	expectManagersMenu(h, h.group, lan, true)
	h.changeStatus(h.group, lan, telegramtest.StatusMember)
	expectManagersMenu(h, h.group, lan, false)
	h.changeStatus(h.group, binh, telegramtest.StatusAdministrator)
	expectNoMenu(h, h.group, binh)
	if v := h.block().Version; v != version {
		t.Fatalf("the block was written: version %d, was %d", v, version)
	}

	given := len(h.tg.Requests("setMyCommands"))
	h.changeStatus(h.group, lan, telegramtest.StatusLeft)
	h.changeStatus(h.group, lan, telegramtest.StatusMember)
	expectManagersMenu(h, h.group, lan, false)
	if n := len(h.tg.Requests("setMyCommands")); n != given {
		t.Fatalf("%d menus given when Lan left and came back", n-given)
	}
	// An administrator removed from the group: the managers' menu, ready
	// for her return.
	h.changeStatus(h.group, lan, telegramtest.StatusAdministrator)
	h.changeStatus(h.group, lan, telegramtest.StatusKicked)
	expectManagersMenu(h, h.group, lan, false)
	if h.block().RepOf(lan.ID) == nil {
		t.Fatal("Lan no longer represents her unit")
	}
}

// A menu Telegram failed to give on a promotion is given at the next
// request in the group, with every command.
func TestLeaderRepMenuOnPromotionAfterTelegramFailed(t *testing.T) {
	h := newHarness(t)
	lan := leaderRep(h)
	h.tg.FailNext("setMyCommands", 1)
	h.changeStatus(h.group, lan, telegramtest.StatusAdministrator)
	if menus := memberMenu(h, h.group, lan); len(menus) == 0 {
		t.Fatal("Lan lost her menu")
	}
	binh := h.member("Bình", "")
	h.say(h.group, binh, "/help")
	expectManagersMenu(h, h.group, lan, true)
}

// In a group without a block a change of status only teaches the bot who
// may set one up: it says nothing, gives no menu and writes nothing.
func TestStatusChangeInAGroupWithoutABlock(t *testing.T) {
	h := newHarness(t)
	g := h.tg.NewGroup("Nhóm chưa thiết lập")
	binh := h.tg.NewUser("Bình", "")
	g.SetStatus(binh, telegramtest.StatusMember)
	expect(t, h.say(g, binh, "/setup Khối thi đua").Text, "chỉ quản trị viên nhóm mới")
	asked, menus := askedAbout(h, g, binh), len(h.tg.Requests("setMyCommands"))+len(h.tg.Requests("deleteMyCommands"))

	h.changeStatus(g, binh, telegramtest.StatusAdministrator)
	if _, err := h.store.BlockByChat(t.Context(), g.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("a block after a change of status: %v", err)
	}
	if n := len(h.tg.Requests("setMyCommands")) + len(h.tg.Requests("deleteMyCommands")); n != menus {
		t.Fatalf("%d menu calls", n-menus)
	}
	expect(t, h.say(g, binh, "/setup Khối thi đua").Text, "Nhóm này đã trở thành")
	if n := askedAbout(h, g, binh); n != asked {
		t.Fatalf("the bot asked Telegram about Bình %d more times", n-asked)
	}
}

// A chat_member update Telegram delivers again, after the bot stopped
// before confirming it, is not handled again: an old promotion coming
// after the demotion would give back, for a minute, the rights and the
// menu the demotion took.
func TestStatusChangeRedelivered(t *testing.T) {
	h := newHarness(t)
	lan := leaderRep(h)
	mai := h.member("Mai", "mai")
	promoted := h.changeStatus(h.group, mai, telegramtest.StatusAdministrator)
	h.changeStatus(h.group, mai, telegramtest.StatusMember)
	lanPromoted := h.changeStatus(h.group, lan, telegramtest.StatusAdministrator)
	h.changeStatus(h.group, lan, telegramtest.StatusMember)
	said := len(h.tg.Messages(h.group.ID))

	h.redeliver(promoted)
	h.redeliver(lanPromoted)
	if n := len(h.tg.Messages(h.group.ID)); n != said {
		t.Fatalf("the bot said %d messages", n-said)
	}
	expectManagersMenu(h, h.group, lan, false)
	expect(t, h.say(h.group, mai, "/addunit Hội Luật gia tỉnh").Text, "chỉ quản trị viên nhóm hoặc đầu mối")
}
