package handlers_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

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

// The leader unit's representatives run the block without being the
// group's administrators: each gets the managers' commands in a menu of
// their own when they come to run it, approved or by their unit taking
// the office, and loses it when they stop, by leaving or by their unit
// handing the office on.
func TestLeaderRepsMenu(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	expect(t, h.say(h.group, h.admin, "/leader Tỉnh Đoàn").Text, "✅ Tỉnh Đoàn là Khối trưởng năm 2026")
	lan := h.member("Lan", "lan")
	h.join(lan, doan)
	binh := h.member("Bình", "")
	h.join(binh, nongDan)
	if b := h.block(); b.Unit(b.LeaderUnit).Name != doan || b.Unit(b.RepOf(lan.ID).UnitID).Name != doan {
		t.Fatalf("Lan is not a representative of the leader unit: %+v", b.Reps)
	}
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

// The units elected at the year-end election take office when the block
// turns to its next year: the menus go with the office.
func TestLeaderRepsMenuAtNewYear(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h) // Tỉnh Đoàn leads: reps[5], Hà
	expectManagersMenu(h, h.group, reps[5], false)
	expectNoMenu(h, h.group, reps[2])
	h.say(h.group, h.admin, "/bau khoitruong")
	h.votes(reps, nongDan, nongDan, nongDan, ccb)
	h.now = h.now.Add(2 * time.Hour)
	expect(t, h.say(h.group, reps[5], "/dongbau").Text, "Hội Nông dân tỉnh trúng cử Khối trưởng năm 2027")
	expectNoMenu(h, h.group, reps[2]) // elected, not yet in office

	h.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, reps[5], "/nammoi")
	h.press(h.group, reps[5], ask, button(t, ask, "✅ Sang năm 2027"))
	if b := h.block(); b.Year != 2027 || b.Unit(b.LeaderUnit).Name != nongDan {
		t.Fatalf("after the turn: year %d, leader %q", b.Year, b.LeaderUnit)
	}
	expectManagersMenu(h, h.group, reps[2], false)
	expectNoMenu(h, h.group, reps[5])
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
// stands, and the unit's other representatives get theirs.
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
	refused := false
	for _, r := range h.tg.Requests("setMyCommands") {
		refused = refused || r.Status == http.StatusBadRequest && strings.Contains(r.Params.Get("scope"), `"user_id":424242`)
	}
	if !refused {
		t.Fatal("Telegram refused no menu")
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
	if b, err := h.store.BlockByChat(t.Context(), sg.ID); err != nil || b.RepOf(lan.ID) == nil {
		t.Fatalf("the block did not move: %+v %v", b, err)
	}
	expectManagersMenu(h, sg, lan, false)
}

// Should the bot die after the press of /newyear turned the block but
// before it answered, the press comes again and the bot announces the turn
// then: the menus go with the office then too, from the year as kept at
// the turn, although this delivery changes nothing.
func TestLeaderRepsMenuAtNewYearRedeliveredAfterACrash(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h) // Tỉnh Đoàn leads: reps[5], Hà
	h.say(h.group, h.admin, "/bau khoitruong")
	h.votes(reps, nongDan, nongDan, nongDan, ccb)
	h.now = h.now.Add(2 * time.Hour)
	expect(t, h.say(h.group, reps[5], "/dongbau").Text, "Hội Nông dân tỉnh trúng cử Khối trưởng năm 2027")
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
	if b := h.block(); b.Year != 2027 || b.Unit(b.LeaderUnit).Name != nongDan {
		t.Fatalf("after the turn: year %d, leader %q", b.Year, b.LeaderUnit)
	}
	expectManagersMenu(h, h.group, reps[2], false)
	expectNoMenu(h, h.group, reps[5])
}
