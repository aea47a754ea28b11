package telegramtest_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/telegramtest"
)

func TestSendMessageHTML(t *testing.T) {
	srv := newServer(t)
	u := srv.NewUser("Lan", "lan_tw")
	send := func(text string) (int, tgbotapi.APIResponse) {
		return call(t, srv, "sendMessage", url.Values{"chat_id": {chatParam(u.ID)}, "text": {text}, "parse_mode": {"HTML"}})
	}

	good := []struct {
		name, html, text string
		entities         []tgbotapi.MessageEntity
	}{
		{"plain", "Thi đua tuần 5", "Thi đua tuần 5", nil},
		{"bold after emoji counts UTF-16", "🏆 <b>Lan</b>", "🏆 Lan", []tgbotapi.MessageEntity{{Type: "bold", Offset: 3, Length: 3}}},
		{"nested and synonyms", "<strong>a<em>b</em></strong><ins>c</ins><del>d</del>", "abcd", []tgbotapi.MessageEntity{
			{Type: "bold", Offset: 0, Length: 2}, {Type: "italic", Offset: 1, Length: 1},
			{Type: "underline", Offset: 2, Length: 1}, {Type: "strikethrough", Offset: 3, Length: 1},
		}},
		{"entities decode", "a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#x27;", `a <b> & "c" 'd'`, nil},
		{"link", `<a href="https://example.com/?a=1&amp;b=2">site</a>`, "site", []tgbotapi.MessageEntity{{Type: "text_link", Offset: 0, Length: 4, URL: "https://example.com/?a=1&b=2"}}},
		{"pre with language", `<pre><code class="language-go">x := 1</code></pre>`, "x := 1", []tgbotapi.MessageEntity{{Type: "pre", Offset: 0, Length: 6, Language: "go"}}},
		{"spoilers and quote", `<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler><blockquote>q</blockquote>`, "stq", []tgbotapi.MessageEntity{
			{Type: "spoiler", Offset: 0, Length: 1}, {Type: "spoiler", Offset: 1, Length: 1}, {Type: "blockquote", Offset: 2, Length: 1},
		}},
		{"upper-case tags and a bare >", "<B>x</B> > y", "x > y", []tgbotapi.MessageEntity{{Type: "bold", Offset: 0, Length: 1}}},
		{"surrounding whitespace trimmed", "\n  <b>hi</b>  \n", "hi", []tgbotapi.MessageEntity{{Type: "bold", Offset: 0, Length: 2}}},
	}
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			status, resp := send(tc.html)
			if status != http.StatusOK {
				t.Fatalf("sendMessage(%q) = %d %q", tc.html, status, resp.Description)
			}
			var m tgbotapi.Message
			if err := json.Unmarshal(resp.Result, &m); err != nil {
				t.Fatal(err)
			}
			if m.Text != tc.text || !sameEntities(m.Entities, tc.entities) {
				t.Errorf("sendMessage(%q) = %q %+v, want %q %+v", tc.html, m.Text, m.Entities, tc.text, tc.entities)
			}
			last, _ := srv.LastMessage(u.ID)
			if last.Text != tc.text || last.HTML != tc.html || last.ID != m.MessageID {
				t.Errorf("LastMessage = %+v, want text %q and HTML %q", last, tc.text, tc.html)
			}
		})
	}

	bad := []struct{ name, html, reason string }{
		{"unknown tag", "<p>x</p>", `Unsupported start tag "p" at byte offset 0`},
		{"br is not supported", "a<br/>b", `Unsupported start tag "br/" at byte offset 1`},
		{"bare less-than", "1 < 2", `Unsupported start tag "" at byte offset 2`},
		{"unclosed", "<b>x", `Can't find end tag corresponding to start tag "b"`},
		{"mismatched", "<b><i>x</b></i>", `Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		{"unexpected end", "x</b>", "Unexpected end tag at byte offset 1"},
		{"unterminated start tag", "a <b", "Unclosed start tag at byte offset 2"},
		{"bare ampersand", "Q&A", "Unsupported HTML entity at byte offset 1"},
		{"unknown entity", "&nbsp;", "Unsupported HTML entity at byte offset 0"},
		{"span without spoiler class", `<span class="x">y</span>`, `Tag "span" must have class "tg-spoiler"`},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			status, resp := send(tc.html)
			want := "Bad Request: can't parse entities: " + tc.reason
			if status != http.StatusBadRequest || !strings.HasPrefix(resp.Description, want) {
				t.Errorf("sendMessage(%q) = %d %q, want 400 %q", tc.html, status, resp.Description, want)
			}
		})
	}
}

func sameEntities(a, b []tgbotapi.MessageEntity) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Type != b[i].Type || a[i].Offset != b[i].Offset || a[i].Length != b[i].Length || a[i].URL != b[i].URL || a[i].Language != b[i].Language {
			return false
		}
	}
	return true
}

func TestSendMessageLengthCountsUTF16(t *testing.T) {
	srv := newServer(t)
	u := srv.NewUser("Lan", "")
	p := func(text, mode string) url.Values {
		return url.Values{"chat_id": {chatParam(u.ID)}, "text": {text}, "parse_mode": {mode}}
	}
	// Vietnamese letters with diacritics are one UTF-16 unit each.
	mustOK(t, srv, "sendMessage", p(strings.Repeat("ế", 4096), ""))
	mustFail(t, srv, "sendMessage", p(strings.Repeat("ế", 4097), ""), http.StatusBadRequest, "Bad Request: message is too long")
	// An emoji outside the BMP is two.
	mustOK(t, srv, "sendMessage", p(strings.Repeat("🏆", 2048), ""))
	mustFail(t, srv, "sendMessage", p(strings.Repeat("🏆", 2048)+"!", ""), http.StatusBadRequest, "Bad Request: message is too long")
	// The limit applies after entity parsing.
	mustOK(t, srv, "sendMessage", p("<b>"+strings.Repeat("&amp;", 4096)+"</b>", "HTML"))
}

func TestSendMessageErrors(t *testing.T) {
	srv := newServer(t)
	u := srv.NewUser("Lan", "")
	mustFail(t, srv, "sendMessage", url.Values{"chat_id": {"-100123"}, "text": {"x"}}, http.StatusBadRequest, "Bad Request: chat not found")
	mustFail(t, srv, "sendMessage", url.Values{"text": {"x"}}, http.StatusBadRequest, "Bad Request: chat_id is empty")
	mustFail(t, srv, "sendMessage", url.Values{"chat_id": {chatParam(u.ID)}}, http.StatusBadRequest, "Bad Request: message text is empty")
	mustFail(t, srv, "sendMessage", url.Values{"chat_id": {chatParam(u.ID)}, "text": {" \n "}}, http.StatusBadRequest, "Bad Request: message text is empty")
	mustFail(t, srv, "sendMessage", url.Values{"chat_id": {chatParam(u.ID)}, "text": {"<b></b>"}, "parse_mode": {"HTML"}}, http.StatusBadRequest, "Bad Request: message text is empty")
	mustFail(t, srv, "sendMessage", url.Values{"chat_id": {chatParam(u.ID)}, "text": {"x"}, "parse_mode": {"Fancy"}}, http.StatusBadRequest, "Bad Request: unsupported parse_mode")
	mustFail(t, srv, "sendMessage", url.Values{"chat_id": {chatParam(u.ID)}, "text": {"x"}, "reply_to_message_id": {"42"}}, http.StatusBadRequest, "Bad Request: message to be replied not found")
	mustOK(t, srv, "sendMessage", url.Values{"chat_id": {chatParam(u.ID)}, "text": {"x"}, "reply_to_message_id": {"42"}, "allow_sending_without_reply": {"true"}})
	mustFail(t, srv, "sendMessage", url.Values{"chat_id": {chatParam(u.ID)}, "text": {"x"}, "reply_markup": {"{"}}, http.StatusBadRequest, "Bad Request: can't parse reply keyboard markup JSON object")
	mustFail(t, srv, "sendMessage", url.Values{"chat_id": {chatParam(u.ID)}, "text": {"x"}, "reply_markup": {`{"inline_keyboard":[[{"text":"plain"}]]}`}}, http.StatusBadRequest, "Bad Request: text buttons are unallowed in the inline keyboard")
	if n := len(srv.Messages(u.ID)); n != 1 {
		t.Errorf("Messages = %d, want only the one accepted send", n)
	}
}

func TestCallbackDataLimit(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	u := srv.NewUser("Lan", "")
	msg := tgbotapi.NewMessage(u.ID, "Pick")
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("long", strings.Repeat("x", 65)),
	))
	_, err := bot.Send(msg)
	var apiErr *tgbotapi.Error
	if !errors.As(err, &apiErr) || apiErr.Code != http.StatusBadRequest || apiErr.Message != "Bad Request: BUTTON_DATA_INVALID" {
		t.Fatalf("65-byte callback_data: err = %v, want 400 BUTTON_DATA_INVALID", err)
	}
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("ok", strings.Repeat("x", 64)),
		tgbotapi.NewInlineKeyboardButtonURL("site", "https://example.com"),
	))
	sent, err := bot.Send(msg)
	if err != nil {
		t.Fatalf("64-byte callback_data: %v", err)
	}
	if sent.ReplyMarkup == nil || len(sent.ReplyMarkup.InlineKeyboard[0]) != 2 {
		t.Errorf("sent keyboard = %+v", sent.ReplyMarkup)
	}
	last, _ := srv.LastMessage(u.ID)
	want := [][]telegramtest.Button{{{Text: "ok", Data: strings.Repeat("x", 64)}, {Text: "site", URL: "https://example.com"}}}
	if len(last.Buttons) != 1 || len(last.Buttons[0]) != 2 || last.Buttons[0][0] != want[0][0] || last.Buttons[0][1] != want[0][1] {
		t.Errorf("Buttons = %+v, want %+v", last.Buttons, want)
	}
}

func TestEditMessage(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	g := srv.NewGroup("Team")
	keyboard := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Vote", "vote")))
	msg := tgbotapi.NewMessage(g.ID, "Score: 1")
	msg.ReplyMarkup = keyboard
	sent, err := bot.Send(msg)
	if err != nil {
		t.Fatal(err)
	}

	edit := tgbotapi.NewEditMessageTextAndMarkup(g.ID, sent.MessageID, "Score: 1", keyboard)
	_, err = bot.Send(edit)
	if err == nil || !strings.HasPrefix(err.Error(), "Bad Request: message is not modified: specified new message content and reply markup are exactly the same") {
		t.Fatalf("identical edit: err = %v, want message is not modified", err)
	}
	edit.Text = "<b>Score: 1</b>"
	edit.ParseMode = tgbotapi.ModeHTML
	if _, err := bot.Send(edit); err != nil {
		t.Fatalf("edit changing only formatting: %v", err)
	}
	// Without reply_markup, editMessageText removes the keyboard.
	if _, err := bot.Send(tgbotapi.NewEditMessageText(g.ID, sent.MessageID, "Score: 2")); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages(g.ID)[0]
	if got.Text != "Score: 2" || got.EditCount != 2 || got.Buttons != nil {
		t.Errorf("after edits = %+v, want text Score: 2, 2 edits, no keyboard", got)
	}
	if _, err := bot.Send(tgbotapi.NewEditMessageReplyMarkup(g.ID, sent.MessageID, keyboard)); err != nil {
		t.Fatalf("editMessageReplyMarkup: %v", err)
	}
	if _, err := bot.Send(tgbotapi.NewEditMessageReplyMarkup(g.ID, sent.MessageID, keyboard)); err == nil || !strings.Contains(err.Error(), "message is not modified") {
		t.Errorf("identical editMessageReplyMarkup: err = %v, want not modified", err)
	}
	if got, _ := srv.LastMessage(g.ID); !got.HasButton("vote") || got.EditCount != 3 {
		t.Errorf("after markup edit = %+v", got)
	}

	mustFail(t, srv, "editMessageText", url.Values{"chat_id": {chatParam(g.ID)}, "message_id": {"99"}, "text": {"x"}},
		http.StatusBadRequest, "Bad Request: message to edit not found")
	lan := srv.NewUser("Lan", "")
	upd := srv.Send(g, lan, "mine")
	mustFail(t, srv, "editMessageText", url.Values{"chat_id": {chatParam(g.ID)}, "message_id": {itoa(upd.Message.ID)}, "text": {"x"}},
		http.StatusBadRequest, "Bad Request: message can't be edited")
}

func TestDeleteMessage(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	g := srv.NewGroup("Team")
	sent, err := bot.Send(tgbotapi.NewMessage(g.ID, "temporary"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bot.Request(tgbotapi.NewDeleteMessage(g.ID, sent.MessageID)); err != nil {
		t.Fatal(err)
	}
	_, err = bot.Request(tgbotapi.NewDeleteMessage(g.ID, sent.MessageID))
	if err == nil || err.Error() != "Bad Request: message to delete not found" {
		t.Errorf("second delete: err = %v, want message to delete not found", err)
	}
	if msgs := srv.Messages(g.ID); len(msgs) != 1 || !msgs[0].Deleted {
		t.Errorf("Messages = %+v, want the message flagged deleted", msgs)
	}
	mustFail(t, srv, "editMessageText", url.Values{"chat_id": {chatParam(g.ID)}, "message_id": {itoa(sent.MessageID)}, "text": {"x"}},
		http.StatusBadRequest, "Bad Request: message to edit not found")
	// Deleting someone else's message needs administrator rights.
	lan := srv.NewUser("Lan", "")
	upd := srv.Send(g, lan, "spam")
	g.SetStatus(srv.BotUser(), telegramtest.StatusMember)
	mustFail(t, srv, "deleteMessage", url.Values{"chat_id": {chatParam(g.ID)}, "message_id": {itoa(upd.Message.ID)}}, http.StatusBadRequest, "Bad Request: message can't be deleted")
}

// LastMessage is the bot's last message in the chat, deleted or not,
// whatever people said after it.
func TestLastMessageIsTheBots(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	g := srv.NewGroup("Team")
	lan := srv.NewUser("Lan", "")
	srv.Send(g, lan, "hello")
	if m, ok := srv.LastMessage(g.ID); ok {
		t.Errorf("LastMessage before the bot spoke = %+v, want none", m)
	}
	if m, ok := srv.LastMessage(-999); ok {
		t.Errorf("LastMessage of an unknown chat = %+v, want none", m)
	}
	var sent tgbotapi.Message
	for _, text := range []string{"one", "two"} {
		var err error
		if sent, err = bot.Send(tgbotapi.NewMessage(g.ID, text)); err != nil {
			t.Fatal(err)
		}
	}
	srv.Send(g, lan, "after")
	if m, ok := srv.LastMessage(g.ID); !ok || m.Text != "two" || m.From.ID != srv.BotUser().ID {
		t.Errorf("LastMessage = %+v, %v; want the bot's two", m, ok)
	}
	if _, err := bot.Request(tgbotapi.NewDeleteMessage(g.ID, sent.MessageID)); err != nil {
		t.Fatal(err)
	}
	if m, ok := srv.LastMessage(g.ID); !ok || m.Text != "two" || !m.Deleted {
		t.Errorf("LastMessage after its deletion = %+v, %v; want two, deleted", m, ok)
	}
}

func TestWaitFor(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	u := srv.NewUser("Lan", "")
	go func() {
		time.Sleep(20 * time.Millisecond)
		_, _ = bot.Send(tgbotapi.NewMessage(u.ID, "first"))
		_, _ = bot.Send(tgbotapi.NewMessage(u.ID, "done"))
	}()
	got, err := srv.WaitFor(u.ID, 5*time.Second, func(m telegramtest.Message) bool { return m.Text == "done" })
	if err != nil || got.Text != "done" || got.ChatID != u.ID || got.From.ID != srv.BotUser().ID {
		t.Fatalf("WaitFor = %+v, %v", got, err)
	}
	if _, err := srv.WaitFor(u.ID, 20*time.Millisecond, func(m telegramtest.Message) bool { return m.Text == "never" }); err == nil {
		t.Error("WaitFor of a message that never comes succeeded")
	}
	if srv.Sent(u.ID) != 2 || len(srv.SendTimes(u.ID)) != 2 {
		t.Errorf("Sent = %d, want 2", srv.Sent(u.ID))
	}
}

// A user edits their message: the bot gets an edited_message update with
// the new text, its command entity and the edit date; only the author may
// edit a message.
func TestUserEditsText(t *testing.T) {
	srv := newServer(t)
	g := srv.NewGroup("Team")
	lan := srv.NewUser("Lan", "lan")
	minh := srv.NewUser("Minh", "minh")
	sent := srv.Send(g, lan, "/pledge Xây nhà")
	getUpdates(t, srv, nil)
	u := srv.EditText(g, lan, sent.Message, "/pledge Xây 10 nhà")
	updates := getUpdates(t, srv, url.Values{"offset": {itoa(sent.ID + 1)}})
	if len(updates) != 1 || updates[0].UpdateID != u.ID || updates[0].Message != nil {
		t.Fatalf("updates %+v", updates)
	}
	e := updates[0].EditedMessage
	if e == nil || e.MessageID != sent.Message.ID || e.Text != "/pledge Xây 10 nhà" || e.EditDate == 0 || e.Command() != "pledge" || e.From.ID != lan.ID {
		t.Fatalf("edited message %+v", e)
	}
	if m := u.Message; m == nil || m.ID != sent.Message.ID || m.Text != "/pledge Xây 10 nhà" || m.EditCount != 1 {
		t.Fatalf("the edited message %+v", m)
	}
	defer func() {
		if recover() == nil {
			t.Error("Minh edited Lan's message")
		}
	}()
	srv.EditText(g, minh, sent.Message, "x")
}
