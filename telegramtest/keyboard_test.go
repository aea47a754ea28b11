package telegramtest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// markupOf returns the reply_markup JSON of an inline keyboard with the
// given number of buttons in each row.
func markupOf(rows ...int) string {
	keyboard := make([][]map[string]string, len(rows))
	for i, n := range rows {
		for j := range n {
			keyboard[i] = append(keyboard[i], map[string]string{"text": fmt.Sprint(i, j), "callback_data": fmt.Sprint(i, ":", j)})
		}
	}
	raw, err := json.Marshal(map[string]any{"inline_keyboard": keyboard})
	if err != nil {
		panic(err)
	}
	return string(raw)
}

// markupOfSize returns the reply_markup JSON of a one-button inline
// keyboard that is exactly size bytes long.
func markupOfSize(size int) string {
	empty := `{"inline_keyboard":[[{"text":"","callback_data":"x"}]]}`
	return strings.Replace(empty, `""`, `"`+strings.Repeat("a", size-len(empty))+`"`, 1)
}

// rowsOf returns n rows of full (8-button) rows and then the rest.
func rowsOf(n int) []int {
	var rows []int
	for ; n > 8; n -= 8 {
		rows = append(rows, 8)
	}
	return append(rows, n)
}

func TestReplyMarkupLimits(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	u := srv.NewUser("Lan", "")
	chat := chatParam(u.ID)
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	doc, err := bot.Send(tgbotapi.NewDocument(u.ID, tgbotapi.FileBytes{Name: "a.txt", Bytes: []byte("a")}))
	if err != nil {
		t.Fatal(err)
	}
	photo, err := bot.Send(tgbotapi.NewPhoto(u.ID, tgbotapi.FileBytes{Name: "a.png", Bytes: img.Bytes()}))
	if err != nil {
		t.Fatal(err)
	}
	target, err := bot.Send(tgbotapi.NewMessage(u.ID, "Pick"))
	if err != nil {
		t.Fatal(err)
	}
	id := itoa(target.MessageID)
	methods := []struct {
		name   string
		params url.Values
	}{
		{"sendMessage", url.Values{"chat_id": {chat}, "text": {"x"}}},
		{"sendDocument", url.Values{"chat_id": {chat}, "document": {doc.Document.FileID}}},
		{"sendPhoto", url.Values{"chat_id": {chat}, "photo": {photo.Photo[0].FileID}}},
		{"editMessageText", url.Values{"chat_id": {chat}, "message_id": {id}, "text": {"Pick"}}},
		{"editMessageReplyMarkup", url.Values{"chat_id": {chat}, "message_id": {id}}},
	}
	cases := []struct {
		name       string
		good, over string
	}{
		{"100 buttons", markupOf(rowsOf(100)...), markupOf(rowsOf(101)...)},
		{"8 in a row", markupOf(8, 1), markupOf(9)},
		{"10240 bytes", markupOfSize(10240), markupOfSize(10241)},
	}
	for _, m := range methods {
		for _, tc := range cases {
			t.Run(m.name+" "+tc.name, func(t *testing.T) {
				before := srv.Messages(u.ID)
				params := url.Values{"reply_markup": {tc.over}}
				for k, v := range m.params {
					params[k] = v
				}
				mustFail(t, srv, m.name, params, http.StatusBadRequest, "Bad Request: reply markup is too long")
				after := srv.Messages(u.ID)
				if len(after) != len(before) {
					t.Fatalf("%d messages after a refused %s, want %d", len(after), m.name, len(before))
				}
				if last, was := after[target.MessageID-1], before[target.MessageID-1]; last.EditCount != was.EditCount || len(last.Buttons) != len(was.Buttons) {
					t.Fatalf("a refused %s changed the message to %+v", m.name, last)
				}
				params.Set("reply_markup", tc.good)
				mustOK(t, srv, m.name, params)
				if strings.HasPrefix(m.name, "edit") {
					// The next case's edit must change the keyboard.
					mustOK(t, srv, "editMessageReplyMarkup", url.Values{"chat_id": {chat}, "message_id": {id}, "reply_markup": {markupOf(1)}})
				}
			})
		}
	}
	if got := len(srv.Messages(u.ID)); got != 3+3*3 {
		t.Errorf("%d messages, want the 3 first and 3 of each kind of send", got)
	}
}
