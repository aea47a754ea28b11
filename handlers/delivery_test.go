package handlers_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/telegramtest"
)

// countContaining counts the bot's messages in the chat whose text holds s.
func countContaining(h *harness, chatID int64, s string) int {
	n := 0
	for _, m := range h.tg.Messages(chatID) {
		if strings.Contains(m.Text, s) {
			n++
		}
	}
	return n
}

// An update delivered again after its answer has its effect once. One
// that changed the block is recognised by the block's record of applied
// updates and answered "already recorded"; one that changed nothing, by its
// handled mark, and not answered again.
func TestUpdateDeliveredTwiceHasOneEffect(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	u := h.tg.Send(h.group, h.admin, "/addunit Hội Khuyến học tỉnh")
	h.handled(u)
	h.redeliver(u)
	h.say(h.group, h.admin, "/units") // a later update, handled after the redelivery
	if n := len(h.block().Units); n != 8 {
		t.Fatalf("%d units", n)
	}
	if n := countContaining(h, h.group.ID, "Đã thêm 1 đơn vị"); n != 1 {
		t.Fatalf("answered %d times", n)
	}
	if n := countContaining(h, h.group.ID, "Yêu cầu này đã được ghi nhận trước đó"); n != 1 {
		t.Fatalf("the change delivered again answered %d times \"already recorded\", want once", n)
	}
	read := h.tg.Send(h.group, h.admin, "/units")
	h.handled(read)
	before := len(h.tg.Messages(h.group.ID))
	h.redeliver(read)
	if n := len(h.tg.Messages(h.group.ID)); n != before {
		t.Fatalf("a read delivered again was answered again: %d messages, want %d", n, before)
	}
}

// Even when the processed-updates index has lost the update (a crash between
// the block's write and the acknowledgement), the block itself knows the
// update was applied.
func TestRedeliveryAfterCrashIsNotAppliedTwice(t *testing.T) {
	h := newHarness(t, withoutDedupe())
	h.setUp()
	u := h.tg.Send(h.group, h.admin, "/addunit Hội Khuyến học tỉnh")
	h.handled(u)
	h.redeliver(u)
	m, _ := h.tg.LastMessage(h.group.ID)
	expect(t, m.Text, "Yêu cầu này đã được ghi nhận trước đó")
	if n := len(h.block().Units); n != 8 {
		t.Fatalf("%d units", n)
	}
}

func TestRateLimitStormLosesNothing(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	h.tg.Inject429(3, 1)
	var ids []telegramtest.Update
	for i := 1; i <= 4; i++ {
		ids = append(ids, h.tg.Send(h.group, h.admin, fmt.Sprintf("/addunit Đơn vị %d", i)))
	}
	for _, u := range ids {
		h.handled(u)
	}
	if h.tg.Count429() < 3 {
		t.Fatalf("only %d 429 answers", h.tg.Count429())
	}
	for i := 1; i <= 4; i++ {
		if n := countContaining(h, h.group.ID, fmt.Sprintf("• Đơn vị %d", i)); n != 1 {
			t.Fatalf("answer %d delivered %d times", i, n)
		}
	}
	if n := len(h.block().Units); n != 11 {
		t.Fatalf("%d units", n)
	}
}

func TestRestartInTheMiddleLosesNothing(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	h.stop()
	// Updates arrive while the bot is down, and keep arriving across a restart.
	var ups []telegramtest.Update
	for i := 1; i <= 5; i++ {
		ups = append(ups, h.tg.Send(h.group, h.admin, fmt.Sprintf("/addunit Đơn vị %d", i)))
	}
	h.start()
	h.handled(ups[0])
	h.stop()
	for i := 6; i <= 8; i++ {
		ups = append(ups, h.tg.Send(h.group, h.admin, fmt.Sprintf("/addunit Đơn vị %d", i)))
	}
	h.start()
	for _, u := range ups {
		h.handled(u)
	}
	b := h.block()
	if len(b.Units) != 15 {
		t.Fatalf("%d units", len(b.Units))
	}
	for i := 1; i <= 8; i++ {
		if n := countContaining(h, h.group.ID, fmt.Sprintf("• Đơn vị %d\n", i)); n != 1 {
			t.Fatalf("unit %d answered %d times", i, n)
		}
		if b.Units[6+i].Name != fmt.Sprintf("Đơn vị %d", i) {
			t.Fatalf("order broken: %v", b.Units[6+i].Name)
		}
	}
}

func TestGroupUpgradedToSupergroupKeepsBlock(t *testing.T) {
	h := newHarness(t)
	old := h.tg.NewBasicGroup("Khối cũ")
	old.SetStatus(h.admin, telegramtest.StatusCreator)
	h.say(old, h.admin, "/setup Khối thi đua")
	h.say(old, h.admin, "/addunit Tỉnh Đoàn")
	sg := h.tg.Migrate(old)
	if err := h.tg.WaitIdle(wait); err != nil {
		t.Fatal(err)
	}
	sg.SetStatus(h.admin, telegramtest.StatusCreator)
	m := h.say(sg, h.admin, "/units")
	expect(t, m.Text, "Khối thi đua", "1. Tỉnh Đoàn")
	b, err := h.store.BlockByChat(t.Context(), sg.ID)
	if err != nil || b.ChatID != sg.ID {
		t.Fatalf("block %+v %v", b, err)
	}
	if _, err := h.store.BlockByChat(t.Context(), old.ID); err == nil {
		t.Fatal("the old chat still resolves")
	}
}

func TestCommandMenu(t *testing.T) {
	h := newHarness(t)
	sender := bot.NewSender(h.api(), fastLimits, nil, nil)
	r := newRouter(h, sender)
	if err := r.RegisterMenu(t.Context()); err != nil {
		t.Fatal(err)
	}
	sets := h.tg.Commands()
	found := map[string]bool{}
	for _, s := range sets {
		var names []string
		for _, c := range s.Commands {
			names = append(names, c.Command)
		}
		found[s.Scope.Type+"/"+s.LanguageCode+":"+strings.Join(names, ",")] = true
	}
	want := []string{"all_group_chats/en:", "all_group_chats/vi:", "all_chat_administrators/vi:", "all_private_chats/en:start,help"}
	for _, w := range want {
		ok := false
		for k := range found {
			ok = ok || strings.HasPrefix(k, w)
		}
		if !ok {
			t.Fatalf("no command set %q in %v", w, found)
		}
	}
	// Members see what they may use; administrators see every command.
	for _, s := range sets {
		has := func(name string) bool {
			return slices.ContainsFunc(s.Commands, func(c tgbotapi.BotCommand) bool { return c.Command == name })
		}
		switch s.Scope.Type {
		case "all_group_chats":
			if !has("pledge") || !has("scores") || has("newyear") || has("setup") || has("score") {
				t.Errorf("the members' menu: %+v", s.Commands)
			}
		case "all_chat_administrators":
			if !has("pledge") || !has("newyear") || !has("setup") || !has("score") {
				t.Errorf("the administrators' menu: %+v", s.Commands)
			}
		}
	}
}
