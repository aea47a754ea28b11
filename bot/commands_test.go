package bot

import (
	"encoding/json"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestSetCommands(t *testing.T) {
	f := newFake(t)
	cmds := []Command{
		{Name: "start", Desc: T{VI: "Bắt đầu", EN: "Start"}},
		{Name: "help", Desc: T{VI: "Trợ giúp", EN: "Help"}},
	}
	if err := SetCommands(testCtx(t), f.sender(), tgbotapi.NewBotCommandScopeAllGroupChats(), cmds); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"": "Bắt đầu", "vi": "Bắt đầu", "en": "Start"}
	calls := f.callsTo("setMyCommands")
	if len(calls) != len(want) {
		t.Fatalf("setMyCommands called %d times, want %d", len(calls), len(want))
	}
	for _, c := range calls {
		lang := c.params.Get("language_code")
		var got []tgbotapi.BotCommand
		if err := json.Unmarshal([]byte(c.params.Get("commands")), &got); err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Command != "start" || got[0].Description != want[lang] {
			t.Errorf("language %q: commands %+v", lang, got)
		}
		delete(want, lang)
		if c.params.Get("scope") != `{"type":"all_group_chats"}` {
			t.Errorf("scope = %s", c.params.Get("scope"))
		}
	}
	if len(want) != 0 {
		t.Errorf("languages not set: %v", want)
	}
}

func TestDeleteCommands(t *testing.T) {
	f := newFake(t)
	if err := DeleteCommands(testCtx(t), f.sender(), tgbotapi.NewBotCommandScopeChatMember(-100, 7)); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"": true, "vi": true, "en": true}
	calls := f.callsTo("deleteMyCommands")
	if len(calls) != len(want) {
		t.Fatalf("deleteMyCommands called %d times, want %d", len(calls), len(want))
	}
	for _, c := range calls {
		if !want[c.params.Get("language_code")] {
			t.Errorf("language %q deleted twice or not set", c.params.Get("language_code"))
		}
		delete(want, c.params.Get("language_code"))
		if c.params.Get("scope") != `{"type":"chat_member","chat_id":-100,"user_id":7}` {
			t.Errorf("scope = %s", c.params.Get("scope"))
		}
	}
}
