// Package telegramtest is an in-process fake of the Telegram Bot API for
// end-to-end tests of bots built on
// github.com/go-telegram-bot-api/telegram-bot-api/v5.
//
// A Server plays both sides of a conversation. Towards the bot it serves the
// Bot API over HTTP (net/http/httptest), with Telegram's validation rules,
// error descriptions, update offsets, webhooks and flood limits. Towards the
// test it offers typed actions that make users write, reply, upload files and
// press inline buttons, and observers that report what the bot did:
//
//	srv := telegramtest.NewServer()
//	defer srv.Close()
//	bot, err := tgbotapi.NewBotAPIWithAPIEndpoint(srv.Token(), srv.Endpoint())
//	// ... start the bot under test with bot ...
//
//	group := srv.NewGroup("Team")
//	lan := srv.NewUser("Lan", "lan_tw", telegramtest.Lang("en"))
//	group.SetStatus(lan, telegramtest.StatusAdministrator)
//	upd := srv.Send(group, lan, "/start")
//	if err := srv.WaitConfirmed(upd.ID, 5*time.Second); err != nil {
//		t.Fatal(err)
//	}
//	reply, _ := srv.LastMessage(group.ID)
//
// Supergroups with topics (forums, NewForum) are modelled as Telegram has
// them since Bot API 6.3, which tgbotapi predates: messages in a topic
// carry its message_thread_id, and the bot's messages for a closed or
// deleted topic are refused with Telegram's errors (see topics.go).
//
// The server never talks to Telegram. Everything it knows lives in memory and
// disappears with Close. All methods are safe for concurrent use.
//
// Deliberate simplifications: privacy mode is not modelled (the bot receives
// every message, as an administrator would); of the updates, only the
// chat_member and my_chat_member updates of Chat.ChangeStatus and
// Chat.RestrictBy heed the kinds the bot asked for (allowed_updates), the
// others are sent whatever it asked; Chat.SetStatus and Chat.Restrict
// change a status without telling the bot; of a restricted member's
// permissions, only text, documents and photos are told apart; only
// parse_mode HTML is implemented, and the fake is stricter than Telegram
// about a bare "&" in HTML, which it refuses.
package telegramtest
