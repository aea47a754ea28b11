package telegramtest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

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

	g.SetStatus(srv.BotUser(), telegramtest.StatusRestricted)
	mustFail(t, srv, "sendMessage", url.Values{"chat_id": {chatParam(g.ID)}, "text": {"x"}}, http.StatusBadRequest, "Bad Request: not enough rights to send text messages to the chat")
	if _, err := bot.Send(tgbotapi.NewMessage(member.ID, "in private")); err != nil {
		t.Errorf("a bot restricted in a group was refused a private message: %v", err)
	}
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

	// The bot hears that it joined the supergroup, then of the upgrade in
	// each chat.
	updates := getUpdates(t, srv, nil)
	if len(updates) != 3 {
		t.Fatalf("migration updates = %+v", updates)
	}
	if j := updates[0].MyChatMember; j == nil || j.Chat.ID != sup.ID || j.From.ID != owner.ID ||
		j.OldChatMember.Status != telegramtest.StatusLeft || j.NewChatMember.Status != telegramtest.StatusAdministrator ||
		j.NewChatMember.User.ID != srv.BotUser().ID {
		t.Errorf("the bot's joining the supergroup = %+v", updates[0])
	}
	if updates[1].Message.MigrateToChatID != sup.ID || updates[1].Message.Chat.ID != old.ID ||
		updates[2].Message.MigrateFromChatID != old.ID || updates[2].Message.Chat.ID != sup.ID || updates[1].Message.From.ID != owner.ID {
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

// ChangeStatus changes a status as Telegram does: a chat_member update
// tells the bot, when it administers the group and asked for chat_member
// updates (allowed_updates of getUpdates or setWebhook, kept until asked
// again); a my_chat_member update tells it of its own status. SetStatus
// stays silent.
func TestChangeStatus(t *testing.T) {
	srv := newServer(t)
	g := srv.NewGroup("Team")
	owner := srv.NewUser("Owner", "owner")
	lan := srv.NewUser("Lan", "lan")
	g.SetStatus(owner, telegramtest.StatusCreator)
	g.SetStatus(lan, telegramtest.StatusMember)
	self := srv.BotUser()
	statusOf := func(u *telegramtest.User) string {
		t.Helper()
		var m tgbotapi.ChatMember
		if err := json.Unmarshal(mustOK(t, srv, "getChatMember", url.Values{"chat_id": {chatParam(g.ID)}, "user_id": {itoa(int(u.ID))}}), &m); err != nil {
			t.Fatal(err)
		}
		return m.Status
	}
	// changed checks that the last change delivered exactly this update of
	// u's status, by from, to the bot, and confirms it.
	changed := func(u telegramtest.Update, ok bool, who, from *telegramtest.User, was, now string) {
		t.Helper()
		updates := getUpdates(t, srv, nil)
		if !ok || len(updates) != 1 || updates[0].UpdateID != u.ID {
			t.Fatalf("ChangeStatus = %+v, %v; updates %+v", u, ok, updates)
		}
		m := updates[0].ChatMember
		if who.ID == self.ID {
			m = updates[0].MyChatMember
		}
		if m == nil || m.Chat.ID != g.ID || m.From.ID != from.ID || m.Date == 0 || m.OldChatMember.User.ID != who.ID ||
			m.NewChatMember.User.ID != who.ID || m.OldChatMember.Status != was || m.NewChatMember.Status != now {
			t.Fatalf("update of %s's status: %+v", who.FirstName, updates[0])
		}
		getUpdates(t, srv, url.Values{"offset": {itoa(u.ID + 1)}})
	}
	silent := func(u telegramtest.Update, ok bool) {
		t.Helper()
		if ok || u.ID != 0 || srv.Pending() != 0 {
			t.Fatalf("ChangeStatus delivered %+v (%v); %d pending", u, ok, srv.Pending())
		}
	}

	// Telegram sends no chat_member update unless the bot asked for it.
	u, ok := g.ChangeStatus(lan, telegramtest.StatusAdministrator)
	silent(u, ok)
	if statusOf(lan) != telegramtest.StatusAdministrator {
		t.Fatal("the status did not change")
	}
	getUpdates(t, srv, url.Values{"allowed_updates": {`["message","my_chat_member","chat_member"]`}})
	u, ok = g.ChangeStatus(lan, telegramtest.StatusMember)
	changed(u, ok, lan, owner, telegramtest.StatusAdministrator, telegramtest.StatusMember)
	u, ok = g.ChangeStatus(lan, telegramtest.StatusMember) // no change, no update
	silent(u, ok)
	g.SetStatus(lan, telegramtest.StatusAdministrator)
	silent(telegramtest.Update{}, false)
	// A call without allowed_updates keeps the bot's choice.
	getUpdates(t, srv, nil)
	u, ok = g.ChangeStatus(lan, telegramtest.StatusLeft) // she left
	changed(u, ok, lan, lan, telegramtest.StatusAdministrator, telegramtest.StatusLeft)
	u, ok = g.ChangeStatus(lan, telegramtest.StatusMember) // she came back
	changed(u, ok, lan, lan, telegramtest.StatusLeft, telegramtest.StatusMember)
	u, ok = g.ChangeStatus(lan, telegramtest.StatusKicked)
	changed(u, ok, lan, owner, telegramtest.StatusMember, telegramtest.StatusKicked)

	// Of its own status the bot hears by my_chat_member, administrator or
	// not; of the members' only as an administrator.
	u, ok = g.ChangeStatus(self, telegramtest.StatusMember)
	changed(u, ok, self, owner, telegramtest.StatusAdministrator, telegramtest.StatusMember)
	u, ok = g.ChangeStatus(lan, telegramtest.StatusMember)
	silent(u, ok)
	u, ok = g.ChangeStatus(self, telegramtest.StatusAdministrator)
	changed(u, ok, self, owner, telegramtest.StatusMember, telegramtest.StatusAdministrator)
	// The bot neither leaves nor joins by itself: whoever removed or added
	// it did.
	u, ok = g.ChangeStatus(self, telegramtest.StatusLeft)
	changed(u, ok, self, owner, telegramtest.StatusAdministrator, telegramtest.StatusLeft)
	u, ok = g.ChangeStatusBy(self, telegramtest.StatusMember, lan)
	changed(u, ok, self, lan, telegramtest.StatusLeft, telegramtest.StatusMember)
	u, ok = g.ChangeStatus(self, telegramtest.StatusAdministrator)
	changed(u, ok, self, owner, telegramtest.StatusMember, telegramtest.StatusAdministrator)

	// An empty list asks for the default kinds, without chat_member.
	getUpdates(t, srv, url.Values{"allowed_updates": {`[]`}})
	u, ok = g.ChangeStatus(lan, telegramtest.StatusAdministrator)
	silent(u, ok)
	mustFail(t, srv, "getUpdates", url.Values{"allowed_updates": {`chat_member`}}, http.StatusBadRequest, "Bad Request: can't parse allowed updates JSON object")

	// A webhook's allowed_updates choose alike, and getWebhookInfo tells.
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer target.Close()
	mustOK(t, srv, "setWebhook", url.Values{"url": {target.URL}, "allowed_updates": {`["chat_member"]`}})
	var info tgbotapi.WebhookInfo
	if err := json.Unmarshal(mustOK(t, srv, "getWebhookInfo", nil), &info); err != nil || len(info.AllowedUpdates) != 1 || info.AllowedUpdates[0] != "chat_member" {
		t.Fatalf("getWebhookInfo = %+v, %v", info, err)
	}
	u, ok = g.ChangeStatus(lan, telegramtest.StatusMember)
	if !ok || u.ID == 0 {
		t.Fatal("no chat_member update for the webhook")
	}
	if err := srv.WaitConfirmed(u.ID, 5*time.Second); err != nil {
		t.Fatal(err)
	}

	for _, bad := range []func(){
		func() { g.ChangeStatus(lan, "admin") },
		func() { srv.PrivateChat(lan).ChangeStatus(owner, telegramtest.StatusMember) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("ChangeStatus did not panic")
				}
			}()
			bad()
		}()
	}
}

// An administrator may restrict the bot from sending files while letting
// it send text: each kind of content is refused alone, with Telegram's
// error for it, and the bot hears that it is restricted but may send
// messages.
func TestRestrictFilesButNotText(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	g := srv.NewGroup("Team")
	owner := srv.NewUser("Owner", "owner")
	g.SetStatus(owner, telegramtest.StatusCreator)
	me := srv.BotUser()
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	// tgbotapi leaves the code of a refused upload unset: the test reads
	// the description.
	refused := func(c tgbotapi.Chattable, want string) {
		t.Helper()
		var apiErr *tgbotapi.Error
		if _, err := bot.Send(c); !errors.As(err, &apiErr) || apiErr.Message != want {
			t.Fatalf("send %T: err = %v, want %q", c, err, want)
		}
	}
	sent := func(c tgbotapi.Chattable) {
		t.Helper()
		if _, err := bot.Send(c); err != nil {
			t.Fatalf("send %T: %v", c, err)
		}
	}
	doc := func() tgbotapi.Chattable {
		d := tgbotapi.NewDocument(g.ID, tgbotapi.FileBytes{Name: "a.csv", Bytes: []byte("a")})
		d.Caption = "a caption needs no right to send text"
		return d
	}
	photo := func() tgbotapi.Chattable {
		return tgbotapi.NewPhoto(g.ID, tgbotapi.FileBytes{Name: "a.png", Bytes: img.Bytes()})
	}
	text := tgbotapi.NewMessage(g.ID, "x")

	u, ok := g.RestrictBy(me, telegramtest.Permissions{Messages: true}, owner)
	if !ok {
		t.Fatal("the bot was not told of its restriction")
	}
	sent(text)
	refused(doc(), "Bad Request: not enough rights to send documents to the chat")
	refused(photo(), "Bad Request: not enough rights to send photos to the chat")
	mustFail(t, srv, "sendDocument", url.Values{"chat_id": {chatParam(g.ID)}, "document": {"a-file-id"}}, http.StatusBadRequest,
		"Bad Request: not enough rights to send documents to the chat")
	updates := getUpdates(t, srv, nil)
	if len(updates) != 1 || updates[0].UpdateID != u.ID || updates[0].MyChatMember == nil {
		t.Fatalf("updates = %+v, want the bot's restriction", updates)
	}
	if m := updates[0].MyChatMember; m.From.ID != owner.ID || m.OldChatMember.Status != telegramtest.StatusAdministrator ||
		m.NewChatMember.Status != telegramtest.StatusRestricted || !m.NewChatMember.IsMember || !m.NewChatMember.CanSendMessages {
		t.Errorf("the restriction told = %+v", m)
	}
	if _, again := g.RestrictBy(me, telegramtest.Permissions{Messages: true}, owner); again {
		t.Error("a restriction made again was told")
	}

	g.Restrict(me, telegramtest.Permissions{Messages: true, Photos: true})
	sent(photo())
	refused(doc(), "Bad Request: not enough rights to send documents to the chat")
	g.Restrict(me, telegramtest.Permissions{Documents: true})
	sent(doc())
	refused(text, "Bad Request: not enough rights to send text messages to the chat")
	m, err := bot.GetChatMember(tgbotapi.GetChatMemberConfig{ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: g.ID, UserID: me.ID}})
	if err != nil || m.Status != telegramtest.StatusRestricted || m.CanSendMessages {
		t.Errorf("getChatMember = %+v, %v; want restricted from sending messages", m, err)
	}

	// A restriction by status allows nothing; freed, the bot sends all.
	g.SetStatus(me, telegramtest.StatusRestricted)
	refused(doc(), "Bad Request: not enough rights to send documents to the chat")
	g.SetStatus(me, telegramtest.StatusMember)
	sent(text)
	sent(doc())
	sent(photo())
}
