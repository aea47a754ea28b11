package bot

import tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

// messageRef is what the bot decodes of a message it only refers to: the
// message a call of its own returns (Sender.Send), and the message a pressed
// button belongs to (incoming). The bot edits such a message by its id and
// answers in its chat; it never reads its text, entities or keyboard, whose
// decoding cost more than building them: a twenty-line confirmation's
// sender, or a press on a ballot of eight candidates some 13 µs of the
// 250 it costs (BENCHMARKS.md).
type messageRef struct {
	MessageID int            `json:"message_id"`
	Chat      *tgbotapi.Chat `json:"chat"`
	Date      int            `json:"date"`
}

// message returns the reference as a tgbotapi.Message with only its id,
// chat and date.
func (m *messageRef) message() tgbotapi.Message {
	return tgbotapi.Message{MessageID: m.MessageID, Chat: m.Chat, Date: m.Date}
}

// incoming is an update as the bot decodes it from Telegram (getUpdates,
// the webhook): tgbotapi.Update, whose callback_query this field, the
// shallower of the two, takes in place of tgbotapi's.
type incoming struct {
	tgbotapi.Update
	CallbackQuery *press `json:"callback_query"`
}

// press is a callback query with its message decoded as a messageRef. A
// handler of a press therefore sees the pressed message's id, chat and date
// only (its Text, Entities and ReplyMarkup are empty), which is all the
// bot's handlers use.
type press struct {
	ID              string         `json:"id"`
	From            *tgbotapi.User `json:"from"`
	Message         *messageRef    `json:"message"`
	InlineMessageID string         `json:"inline_message_id"`
	ChatInstance    string         `json:"chat_instance"`
	Data            string         `json:"data"`
	GameShortName   string         `json:"game_short_name"`
}

// update returns the update the dispatcher handles.
func (in *incoming) update() tgbotapi.Update {
	u := in.Update
	if p := in.CallbackQuery; p != nil {
		u.CallbackQuery = &tgbotapi.CallbackQuery{
			ID: p.ID, From: p.From, InlineMessageID: p.InlineMessageID,
			ChatInstance: p.ChatInstance, Data: p.Data, GameShortName: p.GameShortName,
		}
		if p.Message != nil {
			m := p.Message.message()
			u.CallbackQuery.Message = &m
		}
	}
	return u
}
