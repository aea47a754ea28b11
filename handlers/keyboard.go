package handlers

import (
	"encoding/json"
	"slices"
	"sort"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
)

// This file keeps the inline keyboards that grow with a block's data
// within Telegram's bounds, beyond which it refuses the message with «Bad
// Request: reply markup is too long». A keyboard of a button per unit (the
// /join picker, a ballot) cannot have too many buttons, a block having at
// most thidua.MaxUnits units, but long names can make it too large: its
// labels are shortened as much as it takes (fitLabels). One whose buttons
// have no such bound (/remindnow's deadlines) is shown a page at a time
// (keyboardPage).

// Telegram's bounds on an inline keyboard: its buttons and the bytes of its
// JSON. A row has at most 8 buttons too, which the keyboards built here
// heed as they are built.
const (
	keyboardMaxButtons = 100
	keyboardMaxBytes   = 10240
)

// emptyKeyboard is the JSON of an inline keyboard without buttons, which
// the rows' JSON, between commas, fills.
const emptyKeyboard = `{"inline_keyboard":[]}`

// pageArg marks the data of a button that turns a paged keyboard's page:
// the prefix of its feature's buttons, pageArg and the page's number from
// 0 ("rn:p:2").
const pageArg = "p"

var (
	msgPageBack = bot.T{VI: "◀️ Trang %d/%d", EN: "◀️ Page %d/%d"}
	msgPageNext = bot.T{VI: "Trang %d/%d ▶️", EN: "Page %d/%d ▶️"}
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
// characters, its middle cut out (see shortenMiddle): units' names that
// begin alike («Trường Trung học phổ thông …») keep the end that tells them
// apart.
func shortLabels(rows [][]tgbotapi.InlineKeyboardButton, n int) tgbotapi.InlineKeyboardMarkup {
	out := make([][]tgbotapi.InlineKeyboardButton, len(rows))
	for i, row := range rows {
		out[i] = slices.Clone(row)
		for j := range out[i] {
			out[i][j].Text = shortenMiddle(out[i][j].Text, n)
		}
	}
	return tgbotapi.NewInlineKeyboardMarkup(out...)
}

// keyboardPage lays rows out on pages, as many to a page as fit Telegram's
// bounds, and returns page p (from 0; the last page when p is past it)
// with, when there are several, a row of buttons to the page before and
// the page after, whose data are turn and the page's number (see pageArg).
// Each row must have at most 8 buttons.
func keyboardPage(l bot.Lang, rows [][]tgbotapi.InlineKeyboardButton, p int, turn string) tgbotapi.InlineKeyboardMarkup {
	starts := pageStarts(l, rows, turn)
	p = min(max(p, 0), len(starts)-1)
	end := len(rows)
	if p+1 < len(starts) {
		end = starts[p+1]
	}
	page := slices.Clone(rows[starts[p]:end])
	if len(starts) > 1 {
		page = append(page, pageTurns(l, p, len(starts), turn))
	}
	return tgbotapi.NewInlineKeyboardMarkup(page...)
}

// pageStarts returns the index in rows of the first row of each page of
// keyboardPage: one page when they all fit, otherwise as many rows to a
// page as fit with the row turning pages at its longest.
func pageStarts(l bot.Lang, rows [][]tgbotapi.InlineKeyboardButton, turn string) []int {
	all := 0
	for _, row := range rows {
		all += len(row)
	}
	if all <= keyboardMaxButtons && jsonSize(tgbotapi.NewInlineKeyboardMarkup(rows...)) <= keyboardMaxBytes {
		return []int{0}
	}
	bytes := keyboardMaxBytes - len(emptyKeyboard) - jsonSize(pageTurns(l, len(rows), len(rows)+2, turn)) - 1
	buttons := keyboardMaxButtons - 2
	starts := []int{0}
	size, count := 0, 0
	for i, row := range rows {
		s := jsonSize(row) + 1 // and its comma
		if i > starts[len(starts)-1] && (size+s > bytes || count+len(row) > buttons) {
			starts = append(starts, i)
			size, count = 0, 0
		}
		size += s
		count += len(row)
	}
	return starts
}

// pageTurns is the row of buttons to the pages before and after page p of
// pages, those that there are.
func pageTurns(l bot.Lang, p, pages int, turn string) []tgbotapi.InlineKeyboardButton {
	var row []tgbotapi.InlineKeyboardButton
	if p > 0 {
		row = append(row, tgbotapi.NewInlineKeyboardButtonData(msgPageBack.F(l, p, pages), turn+strconv.Itoa(p-1)))
	}
	if p+1 < pages {
		row = append(row, tgbotapi.NewInlineKeyboardButtonData(msgPageNext.F(l, p+2, pages), turn+strconv.Itoa(p+1)))
	}
	return row
}

// pageTurn returns the page that the arguments of a press ask for, and
// whether they are those of a button of pageTurns.
func pageTurn(args []string) (int, bool) {
	if len(args) != 2 || args[0] != pageArg {
		return 0, false
	}
	p, err := strconv.Atoi(args[1])
	return p, err == nil && p >= 0
}
