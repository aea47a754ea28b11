package telegramtest_test

import (
	"fmt"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/telegramtest"
)

// A test plays a group and its users; the bot under test talks to the fake
// server through the real tgbotapi client.
func ExampleServer() {
	srv := telegramtest.NewServer(telegramtest.WithBotUsername("thiduabot"))
	defer srv.Close()
	bot, err := tgbotapi.NewBotAPIWithAPIEndpoint(srv.Token(), srv.Endpoint())
	if err != nil {
		panic(err)
	}

	group := srv.NewGroup("Khối thi đua")
	lan := srv.NewUser("Lan", "lan_tw", telegramtest.Lang("vi"))
	sent := srv.Send(group, lan, "/score@thiduabot")

	// What the bot under test would do: poll, answer, confirm.
	updates, _ := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 1})
	for _, u := range updates {
		reply := tgbotapi.NewMessage(u.Message.Chat.ID, "<b>Lan</b>: 10 điểm")
		reply.ParseMode = tgbotapi.ModeHTML
		reply.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonData("+1", "score:+1"),
		))
		_, _ = bot.Send(reply)
		_, _ = bot.GetUpdates(tgbotapi.UpdateConfig{Offset: u.UpdateID + 1})
	}

	if err := srv.WaitConfirmed(sent.ID, time.Second); err != nil {
		panic(err)
	}
	msg, _ := srv.LastMessage(group.ID)
	fmt.Println(msg.Text)
	fmt.Println(msg.Buttons[0][0].Data)
	_, err = srv.Press(group, lan, &msg, "score:+2")
	fmt.Println(err != nil)
	// Output:
	// Lan: 10 điểm
	// score:+1
	// true
}
