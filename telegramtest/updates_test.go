package telegramtest_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/telegramtest"
)

func TestGetUpdatesOffsetAndLimit(t *testing.T) {
	srv := newServer(t)
	g := srv.NewGroup("Team")
	lan := srv.NewUser("Lan", "lan_tw")
	a := srv.Send(g, lan, "one")
	b := srv.Send(g, lan, "two")
	c := srv.Send(g, lan, "three")
	if b.ID != a.ID+1 || c.ID != b.ID+1 {
		t.Fatalf("update ids %d %d %d, want consecutive", a.ID, b.ID, c.ID)
	}

	got := getUpdates(t, srv, url.Values{"limit": {"2"}})
	if !slices.Equal(ids(got), []int{a.ID, b.ID}) {
		t.Fatalf("getUpdates(limit=2) = %v, want [%d %d]", ids(got), a.ID, b.ID)
	}
	if got[0].Message == nil || got[0].Message.Text != "one" || got[0].Message.Chat.ID != g.ID || got[0].Message.From.ID != lan.ID {
		t.Errorf("first update = %+v, want Lan's message one in the group", got[0].Message)
	}
	if srv.Pending() != 3 {
		t.Errorf("Pending = %d before confirming, want 3", srv.Pending())
	}

	got = getUpdates(t, srv, url.Values{"offset": {itoa(b.ID)}})
	if !slices.Equal(ids(got), []int{b.ID, c.ID}) {
		t.Fatalf("getUpdates(offset=b) = %v, want [%d %d]", ids(got), b.ID, c.ID)
	}
	if err := srv.WaitConfirmed(a.ID, time.Second); err != nil {
		t.Errorf("WaitConfirmed(a): %v", err)
	}
	if srv.Pending() != 2 {
		t.Errorf("Pending = %d, want 2", srv.Pending())
	}

	// A negative offset keeps only the last updates.
	got = getUpdates(t, srv, url.Values{"offset": {"-1"}})
	if !slices.Equal(ids(got), []int{c.ID}) {
		t.Errorf("getUpdates(offset=-1) = %v, want [%d]", ids(got), c.ID)
	}
	if got := getUpdates(t, srv, url.Values{"offset": {itoa(c.ID + 1)}}); len(got) != 0 {
		t.Errorf("getUpdates after confirming all = %v, want none", ids(got))
	}
	if err := srv.WaitIdle(time.Second); err != nil {
		t.Errorf("WaitIdle: %v", err)
	}
	if err := srv.WaitConfirmed(12345, time.Second); err == nil {
		t.Error("WaitConfirmed of an unknown update succeeded")
	}
}

func TestGetUpdatesLongPoll(t *testing.T) {
	srv := newServer(t)
	lan := srv.NewUser("Lan", "")

	start := time.Now()
	if got := getUpdates(t, srv, url.Values{"timeout": {"1"}}); len(got) != 0 {
		t.Fatalf("long poll with nothing pending returned %v", ids(got))
	}
	if elapsed := time.Since(start); elapsed < 900*time.Millisecond {
		t.Errorf("long poll returned after %v, want about 1s", elapsed)
	}

	result := make(chan []tgbotapi.Update, 1)
	go func() { result <- getUpdates(t, srv, url.Values{"timeout": {"10"}}) }()
	waitInFlight(t, srv, "getUpdates")
	upd := srv.SendPrivate(lan, "hello")
	select {
	case got := <-result:
		if !slices.Equal(ids(got), []int{upd.ID}) {
			t.Errorf("long poll = %v, want [%d]", ids(got), upd.ID)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("long poll did not return when an update arrived")
	}
}

func TestGetUpdatesConflict(t *testing.T) {
	srv := newServer(t)
	first := make(chan tgbotapi.APIResponse, 1)
	go func() {
		_, resp := call(t, srv, "getUpdates", url.Values{"timeout": {"10"}})
		first <- resp
	}()
	waitInFlight(t, srv, "getUpdates")
	mustOK(t, srv, "getUpdates", nil)
	select {
	case resp := <-first:
		if resp.ErrorCode != http.StatusConflict || resp.Description != "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running" {
			t.Errorf("older poll = %d %q, want 409 terminated by other getUpdates request", resp.ErrorCode, resp.Description)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("older poll was not terminated")
	}
}

func TestRedeliver(t *testing.T) {
	srv := newServer(t)
	lan := srv.NewUser("Lan", "lan_tw")
	upd := srv.SendPrivate(lan, "pay 10")
	if err := srv.Redeliver(upd.ID); err == nil {
		t.Error("Redeliver of a pending update succeeded")
	}
	getUpdates(t, srv, url.Values{"offset": {itoa(upd.ID + 1)}})
	if err := srv.Redeliver(upd.ID); err != nil {
		t.Fatalf("Redeliver: %v", err)
	}
	got := getUpdates(t, srv, nil)
	if len(got) != 1 || got[0].UpdateID != upd.ID || got[0].Message.Text != "pay 10" {
		t.Errorf("after Redeliver getUpdates = %+v, want the same update again", got)
	}
	if err := srv.Redeliver(999); err == nil {
		t.Error("Redeliver of an unknown update succeeded")
	}
}

func TestDeliverRawUpdate(t *testing.T) {
	srv := newServer(t)
	id := srv.Deliver(tgbotapi.Update{EditedMessage: &tgbotapi.Message{MessageID: 7, Text: "edited", Chat: &tgbotapi.Chat{ID: 1}}})
	got := getUpdates(t, srv, nil)
	if len(got) != 1 || got[0].UpdateID != id || got[0].EditedMessage == nil || got[0].EditedMessage.Text != "edited" {
		t.Errorf("getUpdates = %+v, want the raw update with id %d", got, id)
	}
}

func TestCommandsAndAnonymousAdmins(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	g := srv.NewGroup("Team")
	lan := srv.NewUser("Lan", "lan_tw", telegramtest.LastName("Nguyen"), telegramtest.Lang("vi"))
	srv.Send(g, lan, "/thidua@"+bot.Self.UserName+" tuần này")
	srv.Send(g, lan, "/thiđua")
	srv.SendAsGroup(g, "/report")

	got := getUpdates(t, srv, nil)
	if len(got) != 3 {
		t.Fatalf("got %d updates, want 3", len(got))
	}
	m := got[0].Message
	if !m.IsCommand() || m.Command() != "thidua" || m.CommandArguments() != "tuần này" {
		t.Errorf("command %q: IsCommand=%v Command=%q Arguments=%q", m.Text, m.IsCommand(), m.Command(), m.CommandArguments())
	}
	if m.From.LastName != "Nguyen" || m.From.LanguageCode != "vi" || m.Chat.Type != "supergroup" || m.Chat.Title != "Team" {
		t.Errorf("message sender/chat = %+v / %+v", m.From, m.Chat)
	}
	if got[1].Message.IsCommand() {
		t.Errorf("%q should not be a command: Telegram commands are ASCII", got[1].Message.Text)
	}
	anon := got[2].Message
	if anon.From.ID != telegramtest.GroupAnonymousBotID || anon.From.UserName != "GroupAnonymousBot" || !anon.From.IsBot {
		t.Errorf("anonymous admin message from %+v, want GroupAnonymousBot", anon.From)
	}
	if anon.SenderChat == nil || anon.SenderChat.ID != g.ID || anon.Command() != "report" {
		t.Errorf("anonymous admin message sender_chat=%+v command=%q", anon.SenderChat, anon.Command())
	}
}

func TestBotLoopEndToEnd(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	g := srv.NewGroup("Team")
	lan := srv.NewUser("Lan", "lan_tw")

	cfg := tgbotapi.NewUpdate(0)
	cfg.Timeout = 30
	updates := bot.GetUpdatesChan(cfg)
	t.Cleanup(bot.StopReceivingUpdates)
	go func() {
		for u := range updates {
			if u.Message == nil {
				continue
			}
			reply := tgbotapi.NewMessage(u.Message.Chat.ID, "echo: <b>"+u.Message.Text+"</b>")
			reply.ParseMode = tgbotapi.ModeHTML
			reply.ReplyToMessageID = u.Message.MessageID
			if _, err := bot.Send(reply); err != nil {
				t.Errorf("Send: %v", err)
			}
		}
	}()

	upd := srv.Send(g, lan, "xin chào")
	got, err := srv.WaitFor(g.ID, 5*time.Second, func(m telegramtest.Message) bool { return m.ReplyTo == upd.Message.ID })
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "echo: xin chào" || got.HTML != "echo: <b>xin chào</b>" || got.ParseMode != "HTML" {
		t.Errorf("reply = %+v", got)
	}
	// The bot confirms an update with its next poll.
	second := srv.Reply(g, lan, &got, "again")
	if _, err := srv.WaitFor(g.ID, 5*time.Second, func(m telegramtest.Message) bool { return m.ReplyTo == second.Message.ID }); err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitConfirmed(upd.ID, 5*time.Second); err != nil {
		t.Error(err)
	}
}

func TestRenamedUserSendsUnderTheNewName(t *testing.T) {
	srv := newServer(t)
	g := srv.NewGroup("Team")
	lan := srv.NewUser("Lan", "lan_tw")
	copyOfLan := *lan
	srv.Rename(lan, "Phạm Thị", "Lan", "@lanpham")
	if lan.FirstName != "Phạm Thị" || lan.LastName != "Lan" || lan.UserName != "lanpham" {
		t.Fatalf("the caller's user is %+v", lan)
	}
	srv.Send(g, &copyOfLan, "xin chào") // an old copy sends under the new name too
	got := getUpdates(t, srv, nil)
	if from := got[len(got)-1].Message.From; from.FirstName != "Phạm Thị" || from.LastName != "Lan" || from.UserName != "lanpham" {
		t.Fatalf("the message is from %+v", from)
	}
}

func TestUserWhoSwitchedLanguageSendsInTheNewOne(t *testing.T) {
	srv := newServer(t)
	g := srv.NewGroup("Team")
	lan := srv.NewUser("Lan", "lan_tw", telegramtest.Lang("vi"))
	copyOfLan := *lan
	srv.SetLanguage(lan, "en")
	if lan.LanguageCode != "en" {
		t.Fatalf("the caller's user is %+v", lan)
	}
	srv.Send(g, &copyOfLan, "hello") // an old copy sends in the new language too
	got := getUpdates(t, srv, nil)
	if from := got[len(got)-1].Message.From; from.LanguageCode != "en" {
		t.Fatalf("the message is from %+v", from)
	}
}
