package handlers

import (
	"encoding/json"
	"slices"
	"sort"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// This file keeps the inline keyboards that grow with a block's data
// within Telegram's bounds, beyond which it refuses the message with «Bad
// Request: reply markup is too long». A keyboard of a button per unit (the
// /join picker, a ballot) cannot have too many buttons, a block having at
// most thidua.MaxUnits units, but long names can make it too large: its
// labels are shortened as much as it takes (fitLabels).

// Telegram's bounds on an inline keyboard: its buttons and the bytes of its
// JSON. A row has at most 8 buttons too, which the keyboards built here
// heed as they are built.
const (
	keyboardMaxButtons = 100
	keyboardMaxBytes   = 10240
)

// jsonSize is the length of v's JSON, as tgbotapi sends a keyboard or a
// row of one to the Bot API.
func jsonSize(v any) int {
	raw, _ := json.Marshal(v) // buttons are strings and pointers to them
	return len(raw)
}

// fitLabels returns the keyboard of rows, its labels shortened (see
// shorten) to the most characters that lets it fit keyboardMaxBytes when
// it would not fit otherwise. rows, which it does not change, must be
// within the other bounds (keyboardMaxButtons, 8 to a row).
func fitLabels(rows [][]tgbotapi.InlineKeyboardButton) tgbotapi.InlineKeyboardMarkup {
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	if jsonSize(kb) <= keyboardMaxBytes {
		return kb
	}
	longest := 0
	for _, row := range rows {
		for _, b := range row {
			longest = max(longest, textLen(b.Text))
		}
	}
	// The shortest length that does not fit, less one, is the longest that
	// does; a label keeps one character at least.
	n := sort.Search(longest, func(i int) bool { return jsonSize(shortLabels(rows, i+1)) > keyboardMaxBytes })
	return shortLabels(rows, max(n, 1))
}

// shortLabels returns the keyboard of rows with every label shortened to n
// characters.
func shortLabels(rows [][]tgbotapi.InlineKeyboardButton, n int) tgbotapi.InlineKeyboardMarkup {
	out := make([][]tgbotapi.InlineKeyboardButton, len(rows))
	for i, row := range rows {
		out[i] = slices.Clone(row)
		for j := range out[i] {
			out[i][j].Text = shorten(out[i][j].Text, n)
		}
	}
	return tgbotapi.NewInlineKeyboardMarkup(out...)
}
