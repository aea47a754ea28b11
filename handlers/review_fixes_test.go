package handlers_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// A command posted as a channel has no person behind it (every channel
// shares Telegram's Channel_Bot account): it is refused and changes nothing.
func TestCommandPostedAsChannelIsRefused(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	before := h.block().Version
	text := "/join Hội Nông dân tỉnh"
	id := h.tg.Deliver(tgbotapi.Update{Message: &tgbotapi.Message{
		MessageID: 900, Date: int(h.now.Unix()), Text: text,
		From:       &tgbotapi.User{ID: 136817688, IsBot: true, FirstName: "Channel", UserName: "Channel_Bot"},
		SenderChat: &tgbotapi.Chat{ID: -1009999999999, Type: "channel", Title: "Kênh tin"},
		Chat:       &tgbotapi.Chat{ID: h.group.ID, Type: "supergroup", Title: h.group.Title},
		Entities:   []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: 5}},
	}})
	if err := h.tg.WaitConfirmed(id, wait); err != nil {
		t.Fatal(err)
	}
	m, _ := h.tg.LastMessage(h.group.ID)
	expect(t, m.Text, "dưới danh nghĩa một kênh")
	if b := h.block(); b.Version != before || len(b.Requests) != 0 {
		t.Fatal("a channel post changed the block")
	}
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

// While an election is open its roll is frozen: no unit can be removed.
func TestNoUnitRemovalDuringAnElection(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	h.say(h.group, h.admin, "/elect khoitruong")
	m := h.say(h.group, h.admin, "/removeunit 3")
	expect(t, m.Text, "Đang có cuộc bầu chưa kết thúc: Bầu Khối trưởng năm 2027, kết thúc 03/03/2026 09:00.")
	if len(h.block().Units) != 7 {
		t.Fatal("a unit was removed during an election")
	}
}

// An administrator who also represents an ordinary unit acts on the block
// by administrator rights, and the history says so.
func TestAdminActionsAreMarkedEvenForRepresentatives(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	h.join(h.admin, "Ủy ban MTTQ")
	h.say(h.group, h.admin, "/renameunit 2 | Hội Cựu chiến binh tỉnh Lào Cai")
	m := h.say(h.group, h.admin, "/history 1")
	expect(t, m.Text, "Hùng (quản trị viên): đổi tên đơn vị")
}

// An election that closes on time is announced, not followed by an overdue
// reminder to vote.
func TestElectionClosingOnTimeSendsNoOverdueReminder(t *testing.T) {
	h := newHarness(t)
	_, minh := withReps(h)
	ballot := h.say(h.group, h.admin, "/elect khoitruong | đóng: 03/03/2026 17:00")
	h.press(h.group, minh, ballot, ballot.Buttons[0][0].Data)
	tk := newTicker(h)
	got := tk.run(at(3, 3, 17, 0), at(3, 3, 17, 2), time.Minute)
	for _, s := range got {
		if strings.Contains(s.msg.Text, "Quá hạn") {
			t.Fatalf("overdue reminder after the close: %s", s.msg.Text)
		}
	}
	if len(h.block().OpenElections()) != 0 {
		t.Fatal("the election did not close on time")
	}
}
