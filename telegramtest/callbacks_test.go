package telegramtest_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/telegramtest"
)

// sendKeyboard makes the bot send a message with Yes/No buttons to chat.
func sendKeyboard(t *testing.T, srv *telegramtest.Server, bot *tgbotapi.BotAPI, chatID int64) telegramtest.Message {
	t.Helper()
	msg := tgbotapi.NewMessage(chatID, "Agree?")
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("Yes", "vote:yes"),
		tgbotapi.NewInlineKeyboardButtonData("No", "vote:no"),
	))
	if _, err := bot.Send(msg); err != nil {
		t.Fatal(err)
	}
	last, _ := srv.LastMessage(chatID)
	return last
}

func TestPressAndAnswer(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	g := srv.NewGroup("Team")
	lan := srv.NewUser("Lan", "lan_tw")
	msg := sendKeyboard(t, srv, bot, g.ID)

	press, err := srv.Press(g, lan, &msg, "vote:yes")
	if err != nil {
		t.Fatal(err)
	}
	updates := getUpdates(t, srv, nil)
	if len(updates) != 1 || updates[0].UpdateID != press.ID {
		t.Fatalf("updates = %v, want the press %d", ids(updates), press.ID)
	}
	q := updates[0].CallbackQuery
	if q == nil || q.ID != press.CallbackQueryID || q.Data != "vote:yes" || q.From.ID != lan.ID ||
		q.Message == nil || q.Message.MessageID != msg.ID || q.Message.Chat.ID != g.ID || q.ChatInstance == "" {
		t.Fatalf("callback query = %+v", q)
	}

	if _, err := bot.Request(tgbotapi.NewCallbackWithAlert(q.ID, "Đã ghi nhận")); err != nil {
		t.Fatalf("answerCallbackQuery: %v", err)
	}
	_, err = bot.Request(tgbotapi.NewCallback(q.ID, "again"))
	if err == nil || err.Error() != "Bad Request: query is too old and response timeout expired or query ID is invalid" {
		t.Errorf("second answer: err = %v, want query is too old", err)
	}
	mustFail(t, srv, "answerCallbackQuery", url.Values{"callback_query_id": {"42"}}, http.StatusBadRequest, "Bad Request: query is too old")

	got, ok := srv.AnswerOf(press.CallbackQueryID)
	if !ok || got.Text != "Đã ghi nhận" || !got.ShowAlert || got.UserID != lan.ID || got.Data != "vote:yes" {
		t.Errorf("AnswerOf = %+v, %v", got, ok)
	}
	if all := srv.CallbackAnswers(); len(all) != 1 {
		t.Errorf("CallbackAnswers = %+v, want one", all)
	}

	byLabel, err := srv.PressText(g, lan, &msg, "No")
	if err != nil {
		t.Fatal(err)
	}
	mustFail(t, srv, "answerCallbackQuery", url.Values{"callback_query_id": {byLabel.CallbackQueryID}, "text": {strings.Repeat("a", 201)}},
		http.StatusBadRequest, "Bad Request: MESSAGE_TOO_LONG")
	mustOK(t, srv, "answerCallbackQuery", url.Values{"callback_query_id": {byLabel.CallbackQueryID}, "text": {strings.Repeat("ệ", 200)}})
	if a, _ := srv.AnswerOf(byLabel.CallbackQueryID); a.Data != "vote:no" {
		t.Errorf("PressText pressed %q, want vote:no", a.Data)
	}
}

func TestPressOnlyExistingButtons(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	g := srv.NewGroup("Team")
	lan := srv.NewUser("Lan", "lan_tw")
	msg := sendKeyboard(t, srv, bot, g.ID)

	if _, err := srv.Press(g, lan, &msg, "vote:maybe"); err == nil {
		t.Error("Press of a button that does not exist succeeded")
	}
	if _, err := srv.PressText(g, lan, &msg, "Maybe"); err == nil {
		t.Error("PressText of a label that does not exist succeeded")
	}
	other := srv.NewGroup("Other")
	if _, err := srv.Press(other, lan, &msg, "vote:yes"); err == nil {
		t.Error("Press in the wrong chat succeeded")
	}
	kicked := srv.NewUser("Kicked", "")
	g.SetStatus(kicked, telegramtest.StatusKicked)
	if _, err := srv.Press(g, kicked, &msg, "vote:yes"); err == nil {
		t.Error("Press by a kicked user succeeded")
	}

	// Once the keyboard is edited away, its buttons cannot be pressed.
	if _, err := bot.Send(tgbotapi.NewEditMessageText(g.ID, msg.ID, "Closed")); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Press(g, lan, &msg, "vote:yes"); err == nil {
		t.Error("Press of a button removed by an edit succeeded")
	}
	msg = sendKeyboard(t, srv, bot, g.ID)
	if _, err := bot.Request(tgbotapi.NewDeleteMessage(g.ID, msg.ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Press(g, lan, &msg, "vote:yes"); err == nil {
		t.Error("Press on a deleted message succeeded")
	}
	if srv.Pending() != 0 {
		t.Errorf("refused presses enqueued %d updates", srv.Pending())
	}
}

// TestOnAnswerSeesAcceptedAnswers checks that the observer of answers is
// told of each reply and callback answer the server accepts, and of
// nothing it refuses.
func TestOnAnswerSeesAcceptedAnswers(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	g := srv.NewGroup("Team")
	lan := srv.NewUser("Lan", "lan_tw")
	var seen []telegramtest.Answer
	srv.OnAnswer(func(a telegramtest.Answer) { seen = append(seen, a) })

	asked := srv.Send(g, lan, "/ping")
	reply := tgbotapi.NewMessage(g.ID, "<b>pong</b>")
	reply.ParseMode, reply.ReplyToMessageID = tgbotapi.ModeHTML, asked.Message.ID
	if _, err := bot.Send(reply); err != nil {
		t.Fatal(err)
	}
	bad := tgbotapi.NewMessage(g.ID, "<b>unclosed")
	bad.ParseMode = tgbotapi.ModeHTML
	if _, err := bot.Send(bad); err == nil {
		t.Fatal("a message of bad HTML was accepted")
	}
	msg := sendKeyboard(t, srv, bot, g.ID)
	press, err := srv.Press(g, lan, &msg, "vote:yes")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bot.Request(tgbotapi.NewCallback(press.CallbackQueryID, "ok")); err != nil {
		t.Fatal(err)
	}
	bot.Request(tgbotapi.NewCallback(press.CallbackQueryID, "twice")) // refused: answered already

	if len(seen) != 3 {
		t.Fatalf("seen %d answers, want 3 (the reply, the keyboard, the callback answer): %+v", len(seen), seen)
	}
	if a := seen[0]; a.ChatID != g.ID || a.ReplyTo != asked.Message.ID || a.Text != "<b>pong</b>" || a.QueryID != "" || a.At.IsZero() {
		t.Errorf("the reply seen as %+v", a)
	}
	if a := seen[1]; a.ChatID != g.ID || a.ReplyTo != 0 || a.Text != "Agree?" {
		t.Errorf("the keyboard seen as %+v", a)
	}
	if a := seen[2]; a.QueryID != press.CallbackQueryID || a.Text != "ok" || a.ChatID != 0 {
		t.Errorf("the callback answer seen as %+v", a)
	}
}
