package handlers

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
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

// Rows that fit one keyboard are one page, without buttons to turn it;
// more are laid out on pages each within the bounds, every row on one of
// them, in order.
func TestKeyboardPages(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rows  [][]tgbotapi.InlineKeyboardButton
		pages int
	}{
		{"100 buttons", buttonRows(100, "x"), 1},
		{"101 buttons", buttonRows(101, "x"), 2},
		{"300 buttons", buttonRows(300, "x"), 4},
		{"long labels", buttonRows(200, strings.Repeat("ư", 40)), 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var shown [][]tgbotapi.InlineKeyboardButton
			pages := 0
			for p := 0; ; p++ {
				kb := keyboardPage(bot.VI, tc.rows, p, "t:p:")
				withinBounds(t, kb)
				rows := kb.InlineKeyboard
				pages++
				if tc.pages == 1 {
					shown = rows
					break
				}
				turns := rows[len(rows)-1]
				shown = append(shown, rows[:len(rows)-1]...)
				if last := turns[len(turns)-1]; strings.HasSuffix(last.Text, "▶️") {
					if want := fmt.Sprintf("Trang %d/%d ▶️", p+2, tc.pages); last.Text != want || *last.CallbackData != fmt.Sprint("t:p:", p+1) {
						t.Fatalf("page %d turns with %q (%s), want %q", p+1, last.Text, *last.CallbackData, want)
					}
					continue
				}
				if p+1 != tc.pages || turns[0].Text != fmt.Sprintf("◀️ Trang %d/%d", p, tc.pages) {
					t.Fatalf("page %d of %d ends with %+v", p+1, tc.pages, turns)
				}
				if past := keyboardPage(bot.VI, tc.rows, p+5, "t:p:"); !reflect.DeepEqual(past.InlineKeyboard, rows) {
					t.Fatal("a page past the last is not the last")
				}
				break
			}
			if pages != tc.pages || !slices.EqualFunc(shown, tc.rows, slices.Equal) {
				t.Fatalf("%d pages show %d rows, want %d pages of all %d", pages, len(shown), tc.pages, len(tc.rows))
			}
		})
	}
	if p, ok := pageTurn([]string{pageArg, "2"}); !ok || p != 2 {
		t.Fatalf("pageTurn = %d, %v", p, ok)
	}
	for _, args := range [][]string{{"custom", "2"}, {pageArg, "-1"}, {pageArg, "x"}, {pageArg}} {
		if _, ok := pageTurn(args); ok {
			t.Fatalf("%q is a page turn", args)
		}
	}
}

// Labels are shortened only when the keyboard would not fit otherwise, and
// then as little as it takes, their middle cut out: names that begin alike
// and differ at their end (here by a number) keep apart.
func TestFitLabels(t *testing.T) {
	short := buttonRows(60, "Hội Nông dân tỉnh ")
	if kb := fitLabels(short); !slices.EqualFunc(kb.InlineKeyboard, short, slices.Equal) {
		t.Fatal("short labels shortened")
	}
	long := buttonRows(60, strings.Repeat("Hội Nông dân & Cựu chiến binh ", 7))
	kb := fitLabels(long)
	withinBounds(t, kb)
	n := textLen(kb.InlineKeyboard[0][0].Text)
	seen := map[string]bool{}
	for i, row := range kb.InlineKeyboard {
		label := row[0].Text
		head, tail, cut := strings.Cut(label, "…")
		if !cut || textLen(label) > n || !strings.HasPrefix(long[i][0].Text, head) || !strings.HasSuffix(long[i][0].Text, tail) || *row[0].CallbackData != *long[i][0].CallbackData {
			t.Fatalf("row %d is %+v, for %q", i+1, row[0], long[i][0].Text)
		}
		if seen[label] {
			t.Fatalf("two buttons read %q: the names differ at their end, which the label must keep", label)
		}
		seen[label] = true
	}
	if jsonSize(shortLabels(long, n+1)) <= keyboardMaxBytes {
		t.Fatalf("labels shortened to %d characters, where %d fit", n, n+1)
	}
	if long[0][0].Text == kb.InlineKeyboard[0][0].Text {
		t.Fatal("fitLabels changed its rows")
	}
}
