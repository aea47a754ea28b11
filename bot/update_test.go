package bot

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// pressesAnswer is Telegram's answer to getUpdates carrying n presses on a
// ballot of eight candidates: each carries the ballot, its entities and its
// keyboard.
func pressesAnswer(n int) []byte {
	var kb []string
	for i := range 8 {
		kb = append(kb, fmt.Sprintf(`[{"text":"Hội Liên hiệp Phụ nữ tỉnh %d","callback_data":"v:e1:u%d"}]`, i, i))
	}
	const text = `🗳 Bầu Khối trưởng năm 2027 (bỏ phiếu kín)\nMỗi đơn vị một phiếu. Đóng lúc 17:00 30/11/2026.\n\n` +
		`Đã bỏ phiếu (3/8): Hội Nông dân tỉnh, Tỉnh Đoàn, Hội Cựu chiến binh tỉnh\nChưa bỏ phiếu: Ủy ban MTTQ tỉnh, ` +
		`Liên đoàn Lao động tỉnh, Hội LHPN tỉnh, Hội Chữ thập đỏ tỉnh, Đơn vị 8`
	updates := make([]string, n)
	for i := range updates {
		updates[i] = fmt.Sprintf(`{"update_id":%d,"callback_query":{"id":"4382bfdwdsb323b2d9","from":{"id":%d,"is_bot":false,"first_name":"Lan","username":"lan_td","language_code":"vi"},`+
			`"message":{"message_id":42,"from":{"id":999,"is_bot":true,"first_name":"thiduabot","username":"thidua_bot"},"chat":{"id":-1001234567890,"title":"Khối thi đua","type":"supergroup"},"date":1764000000,`+
			`"text":"%s","entities":[{"offset":0,"length":40,"type":"bold"},{"offset":50,"length":10,"type":"italic"}],"reply_markup":{"inline_keyboard":[%s]}},`+
			`"chat_instance":"-1234567","data":"v:e1:u3"}}`, 1000+i, 2000+i, text, strings.Join(kb, ","))
	}
	return []byte(`{"ok":true,"result":[` + strings.Join(updates, ",") + `]}`)
}

// BenchmarkDecodePresses decodes getUpdates' answer of 100 ballot presses
// as getUpdates does (updatesAnswer, whose presses' messages are references),
// and as tgbotapi.Update for comparison.
func BenchmarkDecodePresses(b *testing.B) {
	answer := pressesAnswer(100)
	b.Run("incoming", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var a updatesAnswer
			if err := json.Unmarshal(answer, &a); err != nil || len(a.updates()) != 100 {
				b.Fatal(err)
			}
		}
	})
	b.Run("tgbotapi", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var a struct {
				Result []tgbotapi.Update `json:"result"`
			}
			if err := json.Unmarshal(answer, &a); err != nil {
				b.Fatal(err)
			}
		}
	})
}
