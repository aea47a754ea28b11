package handlers_test

import (
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// memberMenu returns the command menus the bot gave user alone in chat
// (scope chat_member), by language code; none when it gave them none.
func memberMenu(h *harness, chat *telegramtest.Chat, user *telegramtest.User) map[string][]string {
	h.t.Helper()
	menus := map[string][]string{}
	for _, s := range h.tg.Commands() {
		if s.Scope.Type != "chat_member" || s.Scope.ChatID != chat.ID || s.Scope.UserID != user.ID {
			continue
		}
		for _, c := range s.Commands {
			menus[s.LanguageCode] = append(menus[s.LanguageCode], c.Command)
		}
	}
	return menus
}

// expectManagersMenu fails unless user has, in chat, a menu of their own
// in every language with the commands of those who run the block, and
// /setup only if admin.
func expectManagersMenu(h *harness, chat *telegramtest.Chat, user *telegramtest.User, admin bool) {
	h.t.Helper()
	menus := memberMenu(h, chat, user)
	for _, lang := range []string{"", "vi", "en"} {
		m := menus[lang]
		if !slices.Contains(m, "newyear") || !slices.Contains(m, "score") || !slices.Contains(m, "openreg") ||
			!slices.Contains(m, "pledge") || !slices.Contains(m, "help") || slices.Contains(m, "setup") != admin {
			h.t.Fatalf("%s's menu in language %q: %v", user.FirstName, lang, m)
		}
	}
}

// expectNoMenu fails if user has a menu of their own in chat.
func expectNoMenu(h *harness, chat *telegramtest.Chat, user *telegramtest.User) {
	h.t.Helper()
	if menus := memberMenu(h, chat, user); len(menus) != 0 {
		h.t.Fatalf("%s has a menu of their own: %v", user.FirstName, menus)
	}
}

// leaderRep sets the group up with Tỉnh Đoàn leading the block and Lan
// approved as its representative, and returns Lan, checking that she has
// the managers' menu.
func leaderRep(h *harness) *telegramtest.User {
	h.t.Helper()
	h.setUp()
	expect(h.t, h.say(h.group, h.admin, "/leader Tỉnh Đoàn").Text, "✅ Tỉnh Đoàn là Khối trưởng năm 2026")
	lan := h.member("Lan", "lan")
	h.join(lan, doan)
	if b := h.block(); b.Unit(b.LeaderUnit).Name != doan || b.Unit(b.RepOf(lan.ID).UnitID).Name != doan {
		h.t.Fatalf("Lan is not a representative of the leader unit: %+v", b.Reps)
	}
	expectManagersMenu(h, h.group, lan, false)
	return lan
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

// The leader unit's representatives run the block without being the
// group's administrators: each gets the managers' commands in a menu of
// their own when they come to run it, approved or by their unit taking
// the office, and loses it when they stop, by leaving or by their unit
// handing the office on.
func TestLeaderRepsMenu(t *testing.T) {
	h := newHarness(t)
	lan := leaderRep(h)
	binh := h.member("Bình", "")
	h.join(binh, nongDan)
	expectManagersMenu(h, h.group, lan, false)
	expectNoMenu(h, h.group, binh) // a member unit's representative: the members' menu
	expectNoMenu(h, h.group, h.admin)
	// An administrator representing the leader unit keeps every command.
	h.join(h.admin, doan)
	expectManagersMenu(h, h.group, h.admin, true)

	expect(t, h.say(h.group, h.admin, "/khoitruong Hội Nông dân").Text, "✅ Hội Nông dân tỉnh là Khối trưởng năm 2026")
	if b := h.block(); b.Unit(b.LeaderUnit).Name != nongDan {
		t.Fatalf("the leader unit is %q", b.LeaderUnit)
	}
	expectNoMenu(h, h.group, lan)
	expectNoMenu(h, h.group, h.admin)
	expectManagersMenu(h, h.group, binh, false)

	expect(t, h.say(h.group, binh, "/leave").Text, "Bạn không còn là đầu mối của Hội Nông dân tỉnh")
	if h.block().RepOf(binh.ID) != nil {
		t.Fatal("Bình still represents his unit")
	}
	expectNoMenu(h, h.group, binh)
}

// electNongDan has the electorate's units elect Hội Nông dân tỉnh leader
// for 2027, Tỉnh Đoàn's representative (reps[5]) closing the vote.
func electNongDan(h *harness, reps []*telegramtest.User) {
	h.t.Helper()
	h.say(h.group, h.admin, "/bau khoitruong")
	h.votes(reps, nongDan, nongDan, nongDan, ccb)
	h.now = h.now.Add(2 * time.Hour)
	expect(h.t, h.say(h.group, reps[5], "/dongbau").Text, "Hội Nông dân tỉnh trúng cử Khối trưởng năm 2027")
}

// expectNongDanLeads fails unless the block turned to 2027 with Hội Nông
// dân tỉnh in office, whose representative (reps[2]) has the managers'
// menu and Tỉnh Đoàn's (reps[5]) none.
func expectNongDanLeads(h *harness, reps []*telegramtest.User) {
	h.t.Helper()
	if b := h.block(); b.Year != 2027 || b.Unit(b.LeaderUnit).Name != nongDan {
		h.t.Fatalf("after the turn: year %d, leader %q", b.Year, b.LeaderUnit)
	}
	expectManagersMenu(h, h.group, reps[2], false)
	expectNoMenu(h, h.group, reps[5])
}

// The units elected at the year-end election take office when the block
// turns to its next year: the menus go with the office.
func TestLeaderRepsMenuAtNewYear(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h) // Tỉnh Đoàn leads: reps[5], Hà
	expectManagersMenu(h, h.group, reps[5], false)
	expectNoMenu(h, h.group, reps[2])
	electNongDan(h, reps)
	expectNoMenu(h, h.group, reps[2]) // elected, not yet in office

	h.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, reps[5], "/nammoi")
	h.press(h.group, reps[5], ask, button(t, ask, "✅ Sang năm 2027"))
	expectNongDanLeads(h, reps)
}

// Removing the leader unit takes the menus of its representatives, who
// are removed with it.
func TestLeaderRepsMenuWhenTheUnitIsRemoved(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	expectManagersMenu(h, h.group, reps[5], false)
	ask := h.say(h.group, h.admin, "/xoadonvi Tỉnh Đoàn")
	h.press(h.group, h.admin, ask, ask.Buttons[0][0].Data)
	if b := h.block(); b.LeaderUnit != "" || b.RepOf(reps[5].ID) != nil {
		t.Fatalf("the leader unit stayed: %q", b.LeaderUnit)
	}
	expectNoMenu(h, h.group, reps[5])
}

// A menu Telegram refuses is logged, not the command's failure: the answer
// stands, and the unit's other representatives get theirs. Nor is it asked
// for again at every request in the group: Telegram would refuse it again.
func TestLeaderRepsMenuRefused(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	lan := h.member("Lan", "lan")
	h.join(lan, doan)
	// A representative Telegram no longer knows (the account was deleted).
	if _, err := h.store.Update(t.Context(), h.block().ID, func(b *thidua.Block) error {
		b.Reps = append([]thidua.Representative{{UserID: 424242, Name: "Đã xoá", UnitID: b.RepOf(lan.ID).UnitID}}, b.Reps...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	expect(t, h.say(h.group, h.admin, "/leader Tỉnh Đoàn").Text, "✅ Tỉnh Đoàn là Khối trưởng năm 2026")
	expectManagersMenu(h, h.group, lan, false)
	if b := h.block(); b.Unit(b.LeaderUnit).Name != doan {
		t.Fatalf("the leader unit is %q", b.LeaderUnit)
	}
	refusals := func() int {
		n := 0
		for _, r := range h.tg.Requests("setMyCommands") {
			if r.Status == http.StatusBadRequest && strings.Contains(r.Params.Get("scope"), `"user_id":424242`) {
				n++
			}
		}
		return n
	}
	if refusals() != 1 {
		t.Fatalf("Telegram refused %d menus", refusals())
	}
	h.say(h.group, lan, "/help")
	if refusals() != 1 {
		t.Fatal("the refused menu was asked for again")
	}
}

// Telegram's upgrade of the group to a supergroup gives the block a new
// chat: the leader unit's representatives get their menus there.
func TestLeaderRepsMenuAfterMigration(t *testing.T) {
	h := newHarness(t)
	old := h.tg.NewBasicGroup("Khối cũ")
	old.SetStatus(h.admin, telegramtest.StatusCreator)
	lan := h.tg.NewUser("Lan", "lan")
	old.SetStatus(lan, telegramtest.StatusMember)
	h.say(old, h.admin, "/setup Khối thi đua")
	h.say(old, h.admin, "/addunit Tỉnh Đoàn")
	h.say(old, h.admin, "/leader Tỉnh Đoàn")
	h.say(old, lan, "/join Tỉnh Đoàn")
	ask, _ := h.tg.LastMessage(old.ID)
	h.press(old, h.admin, ask, ask.Buttons[0][0].Data)
	expectManagersMenu(h, old, lan, false)

	sg := h.tg.Migrate(old)
	if err := h.tg.WaitIdle(wait); err != nil {
		t.Fatal(err)
	}
	expectManagersMenu(h, sg, lan, false)
	b, err := h.store.BlockByChat(t.Context(), sg.ID)
	if err != nil || b.RepOf(lan.ID) == nil {
		t.Fatalf("the block did not move: %+v %v", b, err)
	}
	if m := b.Menus; m.ChatID != sg.ID || !slices.Equal(m.Holders, []int64{lan.ID}) {
		t.Fatalf("the record of the menus after the move: %+v", m)
	}
}

// Should the bot die after the press of /newyear turned the block but
// before it answered, the press comes again and the bot announces the turn
// then: the menus go with the office then too, although this delivery
// changes nothing.
func TestLeaderRepsMenuAtNewYearRedeliveredAfterACrash(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h) // Tỉnh Đoàn leads: reps[5], Hà
	electNongDan(h, reps)
	h.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, reps[5], "/nammoi")

	h.stop()
	u, err := h.tg.Press(h.group, reps[5], &ask, button(t, ask, "✅ Sang năm 2027"))
	if err != nil {
		t.Fatal(err)
	}
	b := h.block()
	if err := h.store.ArchiveYear(t.Context(), b.ID, b.Year, b.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.Update(t.Context(), b.ID, func(b *thidua.Block) error {
		ha := thidua.Actor{UserID: reps[5].ID, Name: reps[5].FirstName}
		if _, err := b.StartYear(ha, h.now); err != nil {
			return err
		}
		b.MarkApplied(int64(u.ID))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	h.start()
	h.handled(u)
	expect(t, h.message(ask.ID).Text, "đã sang năm thi đua 2027")
	expectNongDanLeads(h, reps)
}

// A block of an earlier release, whose bot gave no menus: the leader
// unit's representatives already in office get theirs at the next request
// in the group, whatever it is.
func TestLeaderRepsMenuForThoseInOfficeBeforeTheMenus(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	lan := h.member("Lan", "lan")
	h.join(lan, doan)
	expectNoMenu(h, h.group, lan)
	if _, err := h.store.Update(t.Context(), h.block().ID, func(b *thidua.Block) error {
		b.LeaderUnit = b.RepOf(lan.ID).UnitID
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	expectNoMenu(h, h.group, lan)
	binh := h.member("Bình", "")
	expect(t, h.say(h.group, binh, "/help").Text, "/units")
	expectManagersMenu(h, h.group, lan, false)
}

// Should the bot die after writing an approval, or a change of the leader
// unit, but before it answered, the update comes again and changes
// nothing: the menus follow the office then all the same.
func TestLeaderRepsMenuAfterACrashBetweenTheWriteAndTheAnswer(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	expect(t, h.say(h.group, h.admin, "/leader Tỉnh Đoàn").Text, "✅ Tỉnh Đoàn là Khối trưởng năm 2026")
	admin := thidua.Actor{UserID: h.admin.ID, Name: h.admin.FirstName, Admin: true}
	lan := h.member("Lan", "lan")
	ask := h.say(h.group, lan, "/join Tỉnh Đoàn")
	h.crashAfterPress(h.admin, ask, "✅ Duyệt", func(b *thidua.Block) error {
		_, err := b.DecideJoin(admin, b.Requests[0].ID, true, h.now)
		return err
	})
	if b := h.block(); b.RepOf(lan.ID) == nil {
		t.Fatal("Lan was not approved")
	}
	expectManagersMenu(h, h.group, lan, false)

	binh := h.member("Bình", "")
	h.join(binh, nongDan)
	expectNoMenu(h, h.group, binh)
	h.crashAfterWrite(h.admin, "/leader Hội Nông dân tỉnh", func(b *thidua.Block) error {
		_, err := b.SetRole(admin, thidua.RoleLeader, b.RepOf(binh.ID).UnitID, h.now)
		return err
	})
	if b := h.block(); b.LeaderUnit != b.RepOf(binh.ID).UnitID {
		t.Fatalf("the leader unit is %q", b.LeaderUnit)
	}
	expectManagersMenu(h, h.group, binh, false)
	expectNoMenu(h, h.group, lan)
}

// A release that changes the commands of those who run the block refreshes
// the menus given before it, at the next request in the group; then the
// menus are left alone.
func TestLeaderRepsMenuOfAnEarlierRelease(t *testing.T) {
	h := newHarness(t)
	lan := leaderRep(h)
	// What an earlier release gave Lan, and recorded under its stamp.
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	sender := bot.NewSender(h.api(), fastLimits, nil, log)
	earlier := []bot.Command{{Name: "help", Desc: bot.T{VI: "Trợ giúp", EN: "Help"}}}
	if err := bot.SetCommands(t.Context(), sender, tgbotapi.NewBotCommandScopeChatMember(h.group.ID, lan.ID), earlier); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.Update(t.Context(), h.block().ID, func(b *thidua.Block) error {
		b.Menus.Stamp = "earlier"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	binh := h.member("Bình", "")
	h.say(h.group, binh, "/help")
	expectManagersMenu(h, h.group, lan, false)
	if m := h.block().Menus; m.Stamp == "earlier" || m.Stamp == "" || !slices.Equal(m.Holders, []int64{lan.ID}) {
		t.Fatalf("the record after the refresh: %+v", m)
	}
	given := len(h.tg.Requests("setMyCommands"))
	h.say(h.group, binh, "/help")
	if n := len(h.tg.Requests("setMyCommands")); n != given {
		t.Fatalf("%d more menus given to menus up to date", n-given)
	}
}

// A menu Telegram failed to give, or to take, is given or taken at the
// next request in the group.
func TestLeaderRepsMenuAfterTelegramFailed(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	expect(t, h.say(h.group, h.admin, "/leader Tỉnh Đoàn").Text, "✅ Tỉnh Đoàn là Khối trưởng năm 2026")
	lan := h.member("Lan", "lan")
	h.tg.FailNext("setMyCommands", 1)
	h.join(lan, doan)
	expectNoMenu(h, h.group, lan)
	expect(t, h.say(h.group, lan, "/help").Text, "/newyear")
	expectManagersMenu(h, h.group, lan, false)

	h.tg.FailNext("deleteMyCommands", 1)
	expect(t, h.say(h.group, h.admin, "/leader Hội Nông dân tỉnh").Text, "✅ Hội Nông dân tỉnh là Khối trưởng năm 2026")
	if len(memberMenu(h, h.group, lan)) == 0 {
		t.Fatal("Telegram failed, and Lan's menu went all the same")
	}
	h.say(h.group, lan, "/help")
	expectNoMenu(h, h.group, lan)
}
