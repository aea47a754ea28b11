package telegramtest

import (
	"fmt"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// maxCallbackAnswer is the longest answerCallbackQuery text, in UTF-16 code
// units.
const maxCallbackAnswer = 200

// CallbackAnswer is the bot's answer to a button press.
type CallbackAnswer struct {
	// QueryID is the callback query id.
	QueryID string
	// UserID is the user who pressed the button.
	UserID int64
	// Data is the callback data of the pressed button.
	Data string
	// Text is the notification shown to the user.
	Text string
	// ShowAlert reports whether Text is shown as an alert.
	ShowAlert bool
	// URL is the URL the user's client is asked to open.
	URL string
	// CacheTime is the cache_time in seconds.
	CacheTime int
	// Time is when the answer arrived.
	Time time.Time
}

// callbackQuery is a button press the bot may answer once.
type callbackQuery struct {
	userID   int64
	data     string
	answered bool
}

// callbackStore holds button presses and their answers.
type callbackStore struct {
	queries map[string]*callbackQuery
	answers []CallbackAnswer
}

// newCallbackStore returns an empty store.
func newCallbackStore() callbackStore {
	return callbackStore{queries: map[string]*callbackQuery{}}
}

// Press makes user press the inline button with the given callback data
// under msg in chat, enqueuing a callback_query update. Like a real user,
// it can only press a button that exists: it fails unless the message, as
// currently edited and not deleted, carries that button, and unless the
// user can see the chat (see Send).
func (s *Server) Press(chat *Chat, user *User, msg *Message, data string) (Update, error) {
	return s.press(chat, user, msg, func(b tgbotapi.InlineKeyboardButton) bool {
		return b.CallbackData != nil && *b.CallbackData == data
	}, fmt.Sprintf("callback data %q", data))
}

// PressText is Press for the first callback button labelled text.
func (s *Server) PressText(chat *Chat, user *User, msg *Message, text string) (Update, error) {
	return s.press(chat, user, msg, func(b tgbotapi.InlineKeyboardButton) bool {
		return b.CallbackData != nil && b.Text == text
	}, fmt.Sprintf("label %q", text))
}

// press enqueues a press of the first button of msg that pick selects; what
// describes the button for errors.
func (s *Server) press(chat *Chat, user *User, msg *Message, pick func(tgbotapi.InlineKeyboardButton) bool, what string) (Update, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chat)
	u := s.userLocked(user)
	if msg == nil || msg.ChatID != c.id {
		return Update{}, fmt.Errorf("telegramtest: message is not in chat %d", c.id)
	}
	if err := s.joinLocked(c, u); err != nil {
		return Update{}, err
	}
	m := c.lookup(msg.ID)
	if m == nil || m.deleted {
		return Update{}, fmt.Errorf("telegramtest: message %d of chat %d does not exist or was deleted", msg.ID, c.id)
	}
	var button *tgbotapi.InlineKeyboardButton
	if m.markup != nil {
	rows:
		for _, row := range m.markup.InlineKeyboard {
			for i := range row {
				if pick(row[i]) {
					button = &row[i]
					break rows
				}
			}
		}
	}
	if button == nil {
		return Update{}, fmt.Errorf("telegramtest: message %d of chat %d has no inline button with %s; buttons: %v", m.id, c.id, what, buttonsOf(m.markup))
	}
	s.ids.query++
	id := strconv.FormatUint(s.ids.query, 10)
	s.queries.queries[id] = &callbackQuery{userID: u.ID, data: *button.CallbackData}
	apiMsg := c.apiMessage(m, true)
	updateID := s.enqueueLocked(wireUpdate{CallbackQuery: &wireCallback{CallbackQuery: tgbotapi.CallbackQuery{
		ID:           id,
		From:         apiUser(u),
		ChatInstance: c.instance,
		Data:         *button.CallbackData,
	}, Message: &apiMsg}})
	return Update{ID: updateID, CallbackQueryID: id}, nil
}

// handleAnswerCallbackQuery serves answerCallbackQuery. A query can be
// answered once.
func (s *Server) handleAnswerCallbackQuery(r *apiRequest) (any, *apiError) {
	cacheTime, err := r.integer("cache_time", 0, badRequest("invalid cache_time specified"))
	if err != nil {
		return nil, err
	}
	id := r.str("callback_query_id")
	text := r.str("text")
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.queries.queries[id]
	if !ok || q.answered {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	if utf16Len(text) > maxCallbackAnswer {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	q.answered = true
	now := time.Now()
	s.queries.answers = append(s.queries.answers, CallbackAnswer{
		QueryID:   id,
		UserID:    q.userID,
		Data:      q.data,
		Text:      text,
		ShowAlert: r.flag("show_alert"),
		URL:       r.str("url"),
		CacheTime: int(cacheTime),
		Time:      now,
	})
	s.notifyLocked()
	if s.onAnswer != nil {
		s.onAnswer(Answer{QueryID: id, Text: text, At: now})
	}
	return true, nil
}

// CallbackAnswers returns the bot's answers to button presses, in the order
// they arrived.
func (s *Server) CallbackAnswers() []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CallbackAnswer(nil), s.queries.answers...)
}

// AnswerOf returns the bot's answer to a button press, and false when the
// bot has not answered it.
func (s *Server) AnswerOf(queryID string) (CallbackAnswer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.queries.answers {
		if a.QueryID == queryID {
			return a, true
		}
	}
	return CallbackAnswer{}, false
}
