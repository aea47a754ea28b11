package telegramtest_test

import (
	"errors"
	"net/http"
	"net/url"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/telegramtest"
)

func TestChatMembers(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	g := srv.NewGroup("Team")
	if g.ID > -1000000000000 || g.Type != telegramtest.ChatSupergroup {
		t.Errorf("NewGroup = %+v, want a supergroup with a -100… id", g)
	}
	owner := srv.NewUser("Owner", "owner")
	admin := srv.NewUser("Admin", "")
	member := srv.NewUser("Member", "member")
	stranger := srv.NewUser("Stranger", "")
	g.SetStatus(owner, telegramtest.StatusCreator)
	g.SetStatus(admin, telegramtest.StatusAdministrator)
	srv.Send(g, member, "hi") // posting joins the group

	statusOf := func(u *telegramtest.User) string {
		t.Helper()
		m, err := bot.GetChatMember(tgbotapi.GetChatMemberConfig{ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: g.ID, UserID: u.ID}})
		if err != nil {
			t.Fatal(err)
		}
		return m.Status
	}
	for u, want := range map[*telegramtest.User]string{owner: "creator", admin: "administrator", member: "member", stranger: "left"} {
		if got := statusOf(u); got != want {
			t.Errorf("status of %s = %q, want %q", u.FirstName, got, want)
		}
	}
	mustFail(t, srv, "getChatMember", url.Values{"chat_id": {chatParam(g.ID)}, "user_id": {"5"}}, http.StatusBadRequest, "Bad Request: user not found")

	admins, err := bot.GetChatAdministrators(tgbotapi.ChatAdministratorsConfig{ChatConfig: tgbotapi.ChatConfig{ChatID: g.ID}})
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, a := range admins {
		got = append(got, a.User.ID)
	}
	if want := []int64{owner.ID, srv.BotUser().ID, admin.ID}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("administrators = %v, want creator then administrators in order %v", got, want)
	}

	chat, err := bot.GetChat(tgbotapi.ChatInfoConfig{ChatConfig: tgbotapi.ChatConfig{ChatID: member.ID}})
	if err != nil || chat.Type != "private" || chat.UserName != "member" {
		t.Errorf("getChat(private) = %+v, %v", chat, err)
	}
	mustFail(t, srv, "getChatAdministrators", url.Values{"chat_id": {chatParam(member.ID)}}, http.StatusBadRequest, "Bad Request: there are no administrators in the private chat")

	g.SetStatus(srv.BotUser(), telegramtest.StatusKicked)
	mustFail(t, srv, "sendMessage", url.Values{"chat_id": {chatParam(g.ID)}, "text": {"x"}}, http.StatusForbidden, "Forbidden: bot was kicked from the supergroup chat")
}

func TestMigrate(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	old := srv.NewBasicGroup("Team")
	owner := srv.NewUser("Owner", "owner")
	old.SetStatus(owner, telegramtest.StatusCreator)
	if old.Type != telegramtest.ChatGroup || old.ID >= 0 || old.ID < -999999999 {
		t.Errorf("NewBasicGroup = %+v, want a group with a small negative id", old)
	}
	if _, err := bot.Send(tgbotapi.NewMessage(old.ID, "before")); err != nil {
		t.Fatal(err)
	}

	sup := srv.Migrate(old)
	if sup.Type != telegramtest.ChatSupergroup || sup.ID == old.ID || sup.Title != "Team" {
		t.Fatalf("Migrate = %+v", sup)
	}
	_, err := bot.Send(tgbotapi.NewMessage(old.ID, "after"))
	var apiErr *tgbotapi.Error
	if !errors.As(err, &apiErr) || apiErr.Message != "Bad Request: group chat was upgraded to a supergroup chat" || apiErr.MigrateToChatID != sup.ID {
		t.Fatalf("send to migrated group: err = %#v, want upgraded with migrate_to_chat_id %d", err, sup.ID)
	}
	if _, err := bot.Send(tgbotapi.NewMessage(sup.ID, "after")); err != nil {
		t.Fatalf("send to the supergroup: %v", err)
	}

	updates := getUpdates(t, srv, nil)
	if len(updates) != 2 || updates[0].Message.MigrateToChatID != sup.ID || updates[0].Message.Chat.ID != old.ID ||
		updates[1].Message.MigrateFromChatID != old.ID || updates[1].Message.Chat.ID != sup.ID || updates[0].Message.From.ID != owner.ID {
		t.Errorf("migration updates = %+v", updates)
	}
	m, err := bot.GetChatMember(tgbotapi.GetChatMemberConfig{ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: sup.ID, UserID: owner.ID}})
	if err != nil || m.Status != "creator" {
		t.Errorf("owner in the supergroup = %q, %v, want creator", m.Status, err)
	}
	if msgs := srv.Messages(old.ID); len(msgs) != 1 || msgs[0].Text != "before" {
		t.Errorf("Messages(old) = %+v, want the message sent before migration", msgs)
	}
	mustFail(t, srv, "getChat", url.Values{"chat_id": {chatParam(old.ID)}}, http.StatusBadRequest, "Bad Request: group chat was upgraded to a supergroup chat")
}
