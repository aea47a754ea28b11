package handlers_test

import (
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/telegramtest"
)

// A plain member may show the reminder settings with /remind (README: "anyone;
// managers change"), so /help lists it for them, as it lists /criteria.
func TestReviewEdgeHelpListsRemindForMembers(t *testing.T) {
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

// A command addressed to this bot by name that it does not know is answered
// in the group, not met with silence.
func TestReviewEdgeUnknownCommandAddressedToBot(t *testing.T) {
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

// /help in private says that the block's commands are used in the group
// rather than listing /start and /help alone.
func TestReviewEdgeHelpInPrivatePointsToGroup(t *testing.T) {
	h := newHarness(t)
	lan := h.member("Lan", "lan")
	m := h.say(h.tg.PrivateChat(lan), lan, "/help")
	expect(t, m.Text, "nhóm chat của khối", "/help")
	john := h.tg.NewUser("John", "john", telegramtest.Lang("en"))
	m = h.say(h.tg.PrivateChat(john), john, "/help")
	expect(t, m.Text, "group chat")
}

// /help in a group that is not a block yet says so and how to begin.
func TestReviewEdgeHelpInGroupWithoutBlock(t *testing.T) {
	h := newHarness(t)
	lan := h.member("Lan", "lan")
	m := h.say(h.group, lan, "/help")
	expect(t, m.Text, "Nhóm này chưa được thiết lập khối thi đua", "/setup")
}

// /help accepts the command as Telegram clients write it in groups, with
// the slash and the bot's name.
func TestReviewEdgeHelpOnCommandWithBotName(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	m := h.say(h.group, h.admin, "/help /newyear@thiduabot")
	expect(t, m.Text, "/newyear — Chuyển khối sang năm thi đua mới", "Tên khác: /nammoi",
		"Ai dùng: quản trị viên nhóm và đầu mối đơn vị Khối trưởng")
}

// The history keeps naming the unit of past changes after the unit is
// removed: who did what for which unit stays attributable.
func TestReviewEdgeHistoryNamesRemovedUnit(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	lan := h.member("Lan", "lan")
	h.join(lan, "Hội Chữ thập đỏ tỉnh")
	m := h.say(h.group, h.admin, "/removeunit Hội Chữ thập đỏ tỉnh")
	h.press(h.group, h.admin, m, m.Buttons[0][0].Data)
	if len(h.block().Units) != 6 {
		t.Fatal("not removed")
	}
	m = h.say(h.group, h.admin, "/history 4")
	expect(t, m.Text, "Lan: xin làm đầu mối [Hội Chữ thập đỏ tỉnh]",
		"duyệt đầu mối [Hội Chữ thập đỏ tỉnh]", "xoá đơn vị [Hội Chữ thập đỏ tỉnh]")
}

// The supergroup's own service message moves the block, so that a command
// the supergroup's queue handles before the old group's message is not told
// the group has no block (different chats are handled in parallel).
func TestReviewEdgeSupergroupMessageMovesBlock(t *testing.T) {
	h := newHarness(t)
	old := h.tg.NewBasicGroup("Khối cũ")
	old.SetStatus(h.admin, telegramtest.StatusCreator)
	h.say(old, h.admin, "/setup Khối thi đua")
	h.say(old, h.admin, "/addunit Tỉnh Đoàn")
	sg := h.tg.NewGroup("Khối cũ")
	sg.SetStatus(h.admin, telegramtest.StatusCreator)
	id := h.tg.Deliver(tgbotapi.Update{Message: &tgbotapi.Message{
		MessageID: 1, Date: int(time.Now().Unix()),
		From:              &tgbotapi.User{ID: h.admin.ID, FirstName: h.admin.FirstName},
		Chat:              &tgbotapi.Chat{ID: sg.ID, Type: "supergroup", Title: sg.Title},
		MigrateFromChatID: old.ID,
	}})
	if err := h.tg.WaitConfirmed(id, wait); err != nil {
		t.Fatal(err)
	}
	m := h.say(sg, h.admin, "/units")
	expect(t, m.Text, "Khối thi đua", "1. Tỉnh Đoàn")
}

// The bot re-added to the group of a block greets it as that block rather
// than asking an administrator to set the group up again.
func TestReviewEdgeReaddedBotGreetsExistingBlock(t *testing.T) {
	h := newHarness(t)
	added := func(g *telegramtest.Chat) telegramtest.Message {
		me := h.tg.BotUser()
		id := h.tg.Deliver(tgbotapi.Update{MyChatMember: &tgbotapi.ChatMemberUpdated{
			Chat:          tgbotapi.Chat{ID: g.ID, Type: "supergroup", Title: g.Title},
			From:          tgbotapi.User{ID: h.admin.ID, FirstName: h.admin.FirstName},
			Date:          int(time.Now().Unix()),
			OldChatMember: tgbotapi.ChatMember{User: &tgbotapi.User{ID: me.ID, IsBot: true}, Status: "left"},
			NewChatMember: tgbotapi.ChatMember{User: &tgbotapi.User{ID: me.ID, IsBot: true}, Status: "member"},
		}})
		if err := h.tg.WaitConfirmed(id, wait); err != nil {
			t.Fatal(err)
		}
		m, _ := h.tg.LastMessage(g.ID)
		return m
	}
	// A new group is asked to set up.
	expect(t, added(h.tg.NewGroup("Nhóm mới")).Text, "/setup")
	h.setUp()
	m := added(h.group)
	expect(t, m.Text, "Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai", "/help")
	if strings.Contains(m.Text, "/setup") {
		t.Fatalf("the block's group is asked to set up again: %q", m.Text)
	}
}
