package telegramtest_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
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
