package handlers

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// buttonRows returns n rows of one button each, labelled label and its
// number.
func buttonRows(n int, label string) [][]tgbotapi.InlineKeyboardButton {
	rows := make([][]tgbotapi.InlineKeyboardButton, n)
	for i := range rows {
		rows[i] = tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(fmt.Sprint(label, i+1), fmt.Sprint("t:", i+1)))
	}
	return rows
}

// withinBounds fails the test unless kb is within Telegram's bounds.
func withinBounds(t *testing.T, kb tgbotapi.InlineKeyboardMarkup) {
	t.Helper()
	buttons := 0
	for _, row := range kb.InlineKeyboard {
		if len(row) > 8 {
			t.Fatalf("a row of %d buttons", len(row))
		}
		buttons += len(row)
	}
	if size := jsonSize(kb); buttons > keyboardMaxButtons || size > keyboardMaxBytes {
		t.Fatalf("%d buttons, %d bytes", buttons, size)
	}
}

// Labels are shortened only when the keyboard would not fit otherwise, and
// then as little as it takes.
func TestFitLabels(t *testing.T) {
	short := buttonRows(60, "Hội Nông dân tỉnh ")
	if kb := fitLabels(short); !slices.EqualFunc(kb.InlineKeyboard, short, slices.Equal) {
		t.Fatal("short labels shortened")
	}
	long := buttonRows(60, strings.Repeat("Hội Nông dân & Cựu chiến binh ", 7))
	kb := fitLabels(long)
	withinBounds(t, kb)
	n := textLen(kb.InlineKeyboard[0][0].Text)
	for i, row := range kb.InlineKeyboard {
		if label := row[0].Text; !strings.HasSuffix(label, "…") || textLen(label) > n || !strings.HasPrefix(long[i][0].Text, strings.TrimSuffix(label, "…")) || *row[0].CallbackData != *long[i][0].CallbackData {
			t.Fatalf("row %d is %+v, for %q", i+1, row[0], long[i][0].Text)
		}
	}
	if jsonSize(shortLabels(long, n+1)) <= keyboardMaxBytes {
		t.Fatalf("labels shortened to %d characters, where %d fit", n, n+1)
	}
	if long[0][0].Text == kb.InlineKeyboard[0][0].Text {
		t.Fatal("fitLabels changed its rows")
	}
}
