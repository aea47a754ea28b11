package telegramtest

import (
	"encoding/json"
	"net/url"
	"reflect"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// The sizes Telegram accepts: callback_data in bytes, buttons in an inline
// keyboard and in one of its rows, and the reply_markup parameter's JSON in
// bytes. Beyond the last three Telegram answers errMarkupTooLong.
const (
	maxCallbackData = 64
	maxButtons      = 100
	maxRowButtons   = 8
	maxMarkupBytes  = 10240
)

// buttonActions lists the fields of which an inline keyboard button must
// carry one.
var buttonActions = []string{
	"url", "callback_data", "login_url", "web_app", "switch_inline_query",
	"switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
	"callback_game", "pay", "copy_text",
}

var (
	// errMarkupJSON is the error of a reply_markup that is not a keyboard.
	errMarkupJSON = badRequest("can't parse reply keyboard markup JSON object")
	// errMarkupTooLong is the error of a reply_markup beyond Telegram's
	// sizes: more than maxButtons inline buttons, more than maxRowButtons
	// in a row, or more than maxMarkupBytes of JSON.
	errMarkupTooLong = badRequest("reply markup is too long")
)

// parseMarkup validates the reply_markup parameter raw and returns the
// inline keyboard it carries, nil when it carries none. Reply keyboards,
// keyboard removals and force-reply markups are accepted and not kept,
// unless inlineOnly is set (edits), in which case they are refused. A
// markup beyond Telegram's sizes (see maxButtons) is refused.
func parseMarkup(raw string, inlineOnly bool) (*tgbotapi.InlineKeyboardMarkup, *apiError) {
	if raw == "" {
		return nil, nil
	}
	if len(raw) > maxMarkupBytes {
		return nil, errMarkupTooLong
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &fields); err != nil {
		return nil, errMarkupJSON
	}
	rowsJSON, ok := fields["inline_keyboard"]
	if !ok {
		for _, other := range []string{"keyboard", "remove_keyboard", "force_reply"} {
			if _, ok := fields[other]; ok {
				if inlineOnly {
					return nil, badRequest("inline keyboard expected")
				}
				return nil, nil
			}
		}
		return nil, errMarkupJSON
	}
	var rows [][]map[string]json.RawMessage
	if err := json.Unmarshal(rowsJSON, &rows); err != nil {
		return nil, badRequest("can't parse inline keyboard button: field \"inline_keyboard\" must be an Array of Arrays")
	}
	markup := &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}}
	count := 0
	for _, row := range rows {
		if len(row) == 0 {
			continue
		}
		count += len(row)
		if len(row) > maxRowButtons || count > maxButtons {
			return nil, errMarkupTooLong
		}
		buttons := make([]tgbotapi.InlineKeyboardButton, 0, len(row))
		for _, fields := range row {
			b, err := parseButton(fields)
			if err != nil {
				return nil, err
			}
			buttons = append(buttons, b)
		}
		markup.InlineKeyboard = append(markup.InlineKeyboard, buttons)
	}
	if len(markup.InlineKeyboard) == 0 {
		return nil, nil
	}
	return markup, nil
}

// parseButton validates one inline keyboard button.
func parseButton(fields map[string]json.RawMessage) (tgbotapi.InlineKeyboardButton, *apiError) {
	var b tgbotapi.InlineKeyboardButton
	raw, err := json.Marshal(fields)
	if err != nil || json.Unmarshal(raw, &b) != nil {
		return b, badRequest("can't parse inline keyboard button")
	}
	if b.Text == "" {
		return b, badRequest("can't parse inline keyboard button: Text is empty")
	}
	actions := 0
	for _, name := range buttonActions {
		if v, ok := fields[name]; ok && string(v) != "null" {
			actions++
		}
	}
	if actions == 0 {
		return b, badRequest("text buttons are unallowed in the inline keyboard")
	}
	if b.CallbackData != nil && (len(*b.CallbackData) == 0 || len(*b.CallbackData) > maxCallbackData) {
		return b, badRequest("BUTTON_DATA_INVALID")
	}
	if b.URL != nil && !validButtonURL(*b.URL) {
		return b, badRequest("inline keyboard button URL '%s' is invalid: Wrong HTTP URL", *b.URL)
	}
	return b, nil
}

// validButtonURL reports whether Telegram would accept u as a URL button.
func validButtonURL(u string) bool {
	parsed, err := url.Parse(u)
	if err != nil {
		return false
	}
	switch parsed.Scheme {
	case "http", "https":
		return parsed.Host != ""
	case "tg":
		return true
	default:
		return false
	}
}

// sameMarkup reports whether two inline keyboards are identical.
func sameMarkup(a, b *tgbotapi.InlineKeyboardMarkup) bool {
	return reflect.DeepEqual(a, b)
}

// Button is an inline keyboard button as users see it.
type Button struct {
	// Text is the label.
	Text string
	// Data is the callback_data, empty for other kinds of button.
	Data string
	// URL is the link of a URL button.
	URL string
}

// buttonsOf converts an inline keyboard to rows of Buttons.
func buttonsOf(markup *tgbotapi.InlineKeyboardMarkup) [][]Button {
	if markup == nil {
		return nil
	}
	rows := make([][]Button, 0, len(markup.InlineKeyboard))
	for _, row := range markup.InlineKeyboard {
		buttons := make([]Button, 0, len(row))
		for _, b := range row {
			buttons = append(buttons, Button{Text: b.Text, Data: deref(b.CallbackData), URL: deref(b.URL)})
		}
		rows = append(rows, buttons)
	}
	return rows
}

// deref returns *p, or "" for nil.
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
