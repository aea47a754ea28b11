package telegramtest_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/telegramtest"
)

func TestMyCommands(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	g := srv.NewGroup("Team")
	commands := []tgbotapi.BotCommand{{Command: "thidua", Description: "Bảng thi đua"}, {Command: "help", Description: "Trợ giúp"}}
	if _, err := bot.Request(tgbotapi.NewSetMyCommands(commands...)); err != nil {
		t.Fatal(err)
	}
	scope := tgbotapi.NewBotCommandScopeChat(g.ID)
	cfg := tgbotapi.NewSetMyCommandsWithScopeAndLanguage(scope, "vi", commands[:1]...)
	if _, err := bot.Request(cfg); err != nil {
		t.Fatal(err)
	}

	got, err := bot.GetMyCommands()
	if err != nil || len(got) != 2 || got[0] != commands[0] {
		t.Errorf("getMyCommands = %+v, %v", got, err)
	}
	got, err = bot.GetMyCommandsWithConfig(tgbotapi.NewGetMyCommandsWithScopeAndLanguage(scope, "vi"))
	if err != nil || len(got) != 1 {
		t.Errorf("getMyCommands(chat, vi) = %+v, %v", got, err)
	}
	got, err = bot.GetMyCommandsWithConfig(tgbotapi.NewGetMyCommandsWithScope(scope))
	if err != nil || len(got) != 0 {
		t.Errorf("getMyCommands(chat) = %+v, %v; want none, without fallback", got, err)
	}
	sets := srv.Commands()
	if len(sets) != 2 || sets[0].Scope.Type != "chat" || sets[0].Scope.ChatID != g.ID || sets[0].LanguageCode != "vi" || sets[1].Scope.Type != "default" {
		t.Errorf("Commands = %+v", sets)
	}

	for name, bad := range map[string]string{
		"upper case":       `[{"command":"Start","description":"x"}]`,
		"too long":         `[{"command":"` + strings.Repeat("a", 33) + `","description":"x"}]`,
		"slash":            `[{"command":"/start","description":"x"}]`,
		"empty desc":       `[{"command":"start","description":""}]`,
		"long description": `[{"command":"start","description":"` + strings.Repeat("d", 257) + `"}]`,
	} {
		status, resp := call(t, srv, "setMyCommands", url.Values{"commands": {bad}})
		if status != http.StatusBadRequest || !strings.HasPrefix(resp.Description, "Bad Request: BOT_COMMAND") {
			t.Errorf("%s: setMyCommands = %d %q, want 400", name, status, resp.Description)
		}
	}
	mustFail(t, srv, "setMyCommands", url.Values{"commands": {`[]`}, "scope": {`{"type":"chat","chat_id":-5}`}}, http.StatusBadRequest, "Bad Request: chat not found")

	if _, err := bot.Request(tgbotapi.NewDeleteMyCommands()); err != nil {
		t.Fatal(err)
	}
	if sets := srv.Commands(); len(sets) != 1 {
		t.Errorf("after deleteMyCommands Commands = %+v, want only the chat scope", sets)
	}
}

// TestMyCommandsPerMember checks the scope of one member of a group: its
// lists are kept apart from the group's, per user and language, deleted one
// language at a time, and refused for a group upgraded to a supergroup.
func TestMyCommandsPerMember(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	g := srv.NewGroup("Team")
	lan, binh := srv.NewUser("Lan", "lan"), srv.NewUser("Bình", "")
	commands := []tgbotapi.BotCommand{{Command: "newyear", Description: "Năm mới"}}
	for _, req := range []tgbotapi.Chattable{
		tgbotapi.NewSetMyCommandsWithScope(tgbotapi.NewBotCommandScopeChat(g.ID), commands...),
		tgbotapi.NewSetMyCommandsWithScope(tgbotapi.NewBotCommandScopeChatMember(g.ID, lan.ID), commands...),
		tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeChatMember(g.ID, lan.ID), "en", commands...),
		tgbotapi.NewSetMyCommandsWithScope(tgbotapi.NewBotCommandScopeChatMember(g.ID, binh.ID), commands...),
	} {
		if _, err := bot.Request(req); err != nil {
			t.Fatal(err)
		}
	}
	member := func(u *telegramtest.User) []string {
		var langs []string
		for _, s := range srv.Commands() {
			if s.Scope.Type == "chat_member" && s.Scope.ChatID == g.ID && s.Scope.UserID == u.ID {
				langs = append(langs, s.LanguageCode)
			}
		}
		return langs
	}
	if got := member(lan); len(got) != 2 || got[0] != "" || got[1] != "en" {
		t.Fatalf("Lan's lists: languages %q, want \"\" and en", got)
	}
	got, err := bot.GetMyCommandsWithConfig(tgbotapi.NewGetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeChatMember(g.ID, lan.ID), "en"))
	if err != nil || len(got) != 1 || got[0] != commands[0] {
		t.Errorf("getMyCommands(Lan, en) = %+v, %v", got, err)
	}

	if _, err := bot.Request(tgbotapi.NewDeleteMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeChatMember(g.ID, lan.ID), "en")); err != nil {
		t.Fatal(err)
	}
	if got := member(lan); len(got) != 1 || got[0] != "" {
		t.Errorf("after deleting Lan's en list: languages %q, want only \"\"", got)
	}
	if _, err := bot.Request(tgbotapi.NewDeleteMyCommandsWithScope(tgbotapi.NewBotCommandScopeChatMember(g.ID, lan.ID))); err != nil {
		t.Fatal(err)
	}
	if got := member(lan); len(got) != 0 {
		t.Errorf("after deleting Lan's lists: languages %q", got)
	}
	if got := member(binh); len(got) != 1 {
		t.Errorf("Bình's list went with Lan's: %q", got)
	}
	if n := len(srv.Commands()); n != 2 {
		t.Errorf("%d lists left, want the group's and Bình's", n)
	}

	mustFail(t, srv, "setMyCommands", url.Values{"commands": {`[]`}, "scope": {`{"type":"chat_member","chat_id":` + strconv.FormatInt(g.ID, 10) + `,"user_id":424242}`}}, http.StatusBadRequest, "Bad Request: user not found")
	old := srv.NewBasicGroup("Old")
	sup := srv.Migrate(old)
	resp := mustFail(t, srv, "deleteMyCommands", url.Values{"scope": {`{"type":"chat_member","chat_id":` + strconv.FormatInt(old.ID, 10) + `,"user_id":` + strconv.FormatInt(lan.ID, 10) + `}`}}, http.StatusBadRequest, "Bad Request: group chat was upgraded to a supergroup chat")
	if resp.Parameters == nil || resp.Parameters.MigrateToChatID != sup.ID {
		t.Errorf("the refusal names no supergroup: %+v", resp.Parameters)
	}
}
