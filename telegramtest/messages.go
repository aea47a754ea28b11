package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// message is a message of a chat, posted by the bot or by a user.
type message struct {
	id         int
	from       *User
	senderChat bool // posted on behalf of the chat (anonymous administrator)
	date       time.Time
	editDate   time.Time
	content    formatted // the text, or the caption of a media message
	markup     *tgbotapi.InlineKeyboardMarkup
	replyTo    int
	editCount  int
	deleted    bool
	document   *storedFile
	photo      *storedFile
	// album is the media_group_id of the album the message is part of.
	album string
	// migrateTo and migrateFrom make a migration service message.
	migrateTo   int64
	migrateFrom int64
	// thread is the thread of the message's topic, 0 for General (see
	// topics.go); topicName makes the service message creating a topic.
	thread    int
	topicName string
	// event makes a service message about a topic other than its
	// creation (see topics.go), newName that of a renamed one.
	event   topicEvent
	newName string
}

// hasMedia reports whether m carries a file, so that content is a caption.
func (m *message) hasMedia() bool { return m.document != nil || m.photo != nil }

// Message is a snapshot of a message as it is now, after edits.
type Message struct {
	// ID is the message id, unique within its chat.
	ID int
	// ChatID is the id of the chat the message belongs to.
	ChatID int64
	// From is the sender.
	From User
	// Text is the text users see, after entity parsing: the caption for
	// documents and photos.
	Text string
	// HTML is the text or caption exactly as sent, before entity parsing; it
	// equals Text when no parse mode was used.
	HTML string
	// ParseMode is the parse_mode the text was sent with.
	ParseMode string
	// Entities are the formatting entities of Text that Telegram kept:
	// those past the first MaxEntities are dropped (see
	// FormattingLosses).
	Entities []tgbotapi.MessageEntity
	// Buttons is the inline keyboard, row by row.
	Buttons [][]Button
	// ReplyTo is the id of the message this one replies to, or 0.
	ReplyTo int
	// EditCount counts accepted edits of the text or keyboard.
	EditCount int
	// Deleted reports whether the message was deleted.
	Deleted bool
	// Date is when the message was sent.
	Date time.Time
	// Document is the attached document, if any.
	Document *File
	// Photo is the attached photo, if any.
	Photo *File
	// Thread is the message_thread_id of the forum topic the message is
	// in, 0 for the General topic or a chat without topics.
	Thread int
}

// HasButton reports whether the message carries an inline button with the
// given callback data.
func (m Message) HasButton(data string) bool {
	for _, row := range m.Buttons {
		for _, b := range row {
			if b.Data == data {
				return true
			}
		}
	}
	return false
}

// snapshot returns the test-facing copy of m in c.
func (c *chatState) snapshot(m *message) Message {
	out := Message{
		ID:        m.id,
		ChatID:    c.id,
		From:      *m.from,
		Text:      m.content.text,
		HTML:      m.content.raw,
		ParseMode: m.content.parseMode,
		Entities:  append([]tgbotapi.MessageEntity(nil), m.content.entities...),
		Buttons:   buttonsOf(m.markup),
		ReplyTo:   m.replyTo,
		EditCount: m.editCount,
		Deleted:   m.deleted,
		Date:      m.date,
		Thread:    m.thread,
	}
	if m.document != nil {
		out.Document = m.document.public()
	}
	if m.photo != nil {
		out.Photo = m.photo.public()
	}
	return out
}

// apiMessage returns m as the Bot API Message the bot receives. With withReply set
// the replied-to message is included, one level deep, as Telegram does; a
// message in a topic that replies to no other comes as a reply to the
// message that created the topic.
func (c *chatState) apiMessage(m *message, withReply bool) wireMessage {
	out := wireMessage{Message: tgbotapi.Message{
		MessageID:         m.id,
		From:              apiUser(m.from),
		Date:              int(m.date.Unix()),
		ReplyMarkup:       m.markup,
		MigrateToChatID:   m.migrateTo,
		MigrateFromChatID: m.migrateFrom,
	}, Chat: c.wireChat()}
	if m.senderChat {
		out.SenderChat = c.wireChat()
	}
	if m.thread != 0 && c.forum {
		out.MessageThreadID, out.IsTopicMessage = m.thread, true
	}
	if m.topicName != "" {
		out.ForumTopicCreated = &forumTopicCreated{Name: m.topicName, IconColor: 0x6FB9F0}
	}
	m.event.wire(&out, m.newName)
	if !m.editDate.IsZero() {
		out.EditDate = int(m.editDate.Unix())
	}
	if m.hasMedia() {
		out.Caption, out.CaptionEntities = m.content.text, m.content.entities
	} else {
		out.Text, out.Entities = m.content.text, m.content.entities
	}
	if m.document != nil {
		out.Document = m.document.apiDocument()
	}
	if m.photo != nil {
		out.Photo = m.photo.apiPhoto()
	}
	out.MediaGroupID = m.album
	replyTo := m.replyTo
	if replyTo == 0 && out.IsTopicMessage && m.thread != m.id {
		replyTo = m.thread
	}
	if withReply && replyTo != 0 {
		reply := c.apiMessage(c.messages[replyTo-1], false)
		out.ReplyToMessage = &reply
	}
	return out
}

// add appends m to the chat, assigning its id and date.
func (c *chatState) add(m *message) *message {
	m.id = len(c.messages) + 1
	m.date = time.Now()
	c.messages = append(c.messages, m)
	return m
}

// lookup returns message id of c, or nil.
func (c *chatState) lookup(id int) *message {
	if id < 1 || id > len(c.messages) {
		return nil
	}
	return c.messages[id-1]
}

// handleSendMessage serves sendMessage.
func (s *Server) handleSendMessage(r *apiRequest) (any, *apiError) {
	chatID, err := r.chatID()
	if err != nil {
		return nil, err
	}
	// The text and the keyboard are read before the server is locked,
	// their errors told after the chat's, as Telegram tells them.
	content, contentErr := parseFormatted(r.str("text"), r.str("parse_mode"), r.str("entities"), messageText)
	markup, markupErr := parseMarkup(r.str("reply_markup"), false)
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.resolveChatLocked(chatID, true)
	if err != nil {
		return nil, err
	}
	if err := s.mayPostLocked(c, kindText); err != nil {
		return nil, err
	}
	if contentErr != nil {
		return nil, contentErr
	}
	if markupErr != nil {
		return nil, markupErr
	}
	replyTo, thread, err := s.sendTargetsLocked(c, r)
	if err != nil {
		return nil, err
	}
	if err := s.limiter.admitLocked(c, time.Now()); err != nil {
		return nil, err
	}
	m := c.add(&message{from: s.bot, content: content, markup: markup, replyTo: replyTo, thread: thread})
	s.lostLocked("sendMessage", c, m)
	s.notifyLocked()
	if s.onAnswer != nil {
		s.onAnswer(Answer{ChatID: c.id, ReplyTo: replyTo, Text: r.str("text"), At: time.Now()})
	}
	return c.apiMessage(m, true), nil
}

// sendTargetsLocked returns the message a send replies to (see replyTarget) and
// the thread of the topic it goes to (see sendThreadLocked).
func (s *Server) sendTargetsLocked(c *chatState, r *apiRequest) (replyTo, thread int, err *apiError) {
	if replyTo, err = replyTarget(c, r); err != nil {
		return 0, 0, err
	}
	if thread, err = s.sendThreadLocked(c, r, replyTo); err != nil {
		return 0, 0, err
	}
	replyTo, err = replyInThread(c, r, thread, replyTo)
	return replyTo, thread, err
}

// errReplyNotFound refuses a reply to a message that does not exist; it
// is shared, built once, as the fake's errors are never changed.
var errReplyNotFound = badRequest("message to be replied not found")

// replyTarget returns the message a send replies to, from
// reply_to_message_id or reply_parameters, or 0.
func replyTarget(c *chatState, r *apiRequest) (int, *apiError) {
	var params struct {
		MessageID                int  `json:"message_id"`
		AllowSendingWithoutReply bool `json:"allow_sending_without_reply"`
	}
	if raw := r.str("reply_parameters"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &params); err != nil {
			return 0, badRequest("can't parse reply parameters JSON object")
		}
	} else {
		id, err := r.integer("reply_to_message_id", 0, errReplyNotFound)
		if err != nil {
			return 0, err
		}
		params.MessageID = int(id)
		params.AllowSendingWithoutReply = r.flag("allow_sending_without_reply")
	}
	if params.MessageID == 0 {
		return 0, nil
	}
	if m := c.lookup(params.MessageID); m != nil && !m.deleted {
		return m.id, nil
	}
	if params.AllowSendingWithoutReply {
		return 0, nil
	}
	return 0, badRequest("message to be replied not found")
}

// errNotModified is the error of an edit that changes nothing.
var errNotModified = badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")

// edit serves an edit call: it finds the bot's message the call names and
// lets change work out the edit of it in its chat, under the server's lock; change returns
// what to apply, or an error (errNotModified when the edit changes
// nothing). An edit is rate limited like a message; once admitted, apply
// runs and the edited message is returned.
func (s *Server) edit(r *apiRequest, change func(c *chatState, m *message) (apply func(), err *apiError)) (any, *apiError) {
	chatID, err := r.chatID()
	if err != nil {
		return nil, err
	}
	id, err := r.messageID()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.resolveChatLocked(chatID, true)
	if err != nil {
		return nil, err
	}
	m := c.lookup(id)
	if m == nil || m.deleted {
		return nil, badRequest("message to edit not found")
	}
	if m.from.ID != s.bot.ID {
		return nil, badRequest("message can't be edited")
	}
	apply, err := change(c, m)
	if err != nil {
		return nil, err
	}
	if err := s.limiter.admitLocked(c, time.Now()); err != nil {
		return nil, err
	}
	apply()
	s.editedLocked(m)
	return c.apiMessage(m, true), nil
}

// handleEditMessageText serves editMessageText. As on Telegram, leaving out
// reply_markup removes the inline keyboard.
func (s *Server) handleEditMessageText(r *apiRequest) (any, *apiError) {
	return s.edit(r, func(c *chatState, m *message) (func(), *apiError) {
		if m.hasMedia() {
			return nil, badRequest("there is no text in the message to edit")
		}
		content, err := parseFormatted(r.str("text"), r.str("parse_mode"), r.str("entities"), messageText)
		if err != nil {
			return nil, err
		}
		markup, err := parseMarkup(r.str("reply_markup"), true)
		if err != nil {
			return nil, err
		}
		if sameContent(content, m.content) && sameMarkup(markup, m.markup) {
			return nil, errNotModified
		}
		return func() {
			m.content, m.markup = content, markup
			s.lostLocked("editMessageText", c, m)
		}, nil
	})
}

// handleEditMessageReplyMarkup serves editMessageReplyMarkup. Leaving out
// reply_markup removes the inline keyboard.
func (s *Server) handleEditMessageReplyMarkup(r *apiRequest) (any, *apiError) {
	return s.edit(r, func(c *chatState, m *message) (func(), *apiError) {
		markup, err := parseMarkup(r.str("reply_markup"), true)
		if err != nil {
			return nil, err
		}
		if sameMarkup(markup, m.markup) {
			return nil, errNotModified
		}
		return func() { m.markup = markup }, nil
	})
}

// editedLocked records an accepted edit of m.
func (s *Server) editedLocked(m *message) {
	m.editCount++
	m.editDate = time.Now()
	s.notifyLocked()
}

// handleDeleteMessage serves deleteMessage. It is not rate limited. In
// groups the bot must be an administrator to delete other people's messages.
func (s *Server) handleDeleteMessage(r *apiRequest) (any, *apiError) {
	chatID, err := r.chatID()
	if err != nil {
		return nil, err
	}
	id, err := r.messageID()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.resolveChatLocked(chatID, true)
	if err != nil {
		return nil, err
	}
	m := c.lookup(id)
	if m == nil || m.deleted {
		return nil, badRequest("message to delete not found")
	}
	if m.from.ID != s.bot.ID && c.kind != ChatPrivate {
		if status := s.statusLocked(c, s.bot.ID); status != StatusAdministrator && status != StatusCreator {
			return nil, badRequest("message can't be deleted")
		}
	}
	m.deleted = true
	s.notifyLocked()
	return true, nil
}

// Messages returns the bot's messages in a chat as they are now, oldest
// first, deleted ones included and flagged.
func (s *Server) Messages(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.botMessagesLocked(chatID)
}

// botMessagesLocked snapshots the bot's messages in a chat.
func (s *Server) botMessagesLocked(chatID int64) []Message {
	c, ok := s.chats[chatID]
	if !ok {
		return nil
	}
	var out []Message
	for _, m := range c.messages {
		if m.from.ID == s.bot.ID {
			out = append(out, c.snapshot(m))
		}
	}
	return out
}

// LastMessage returns the bot's most recent message in a chat, deleted or
// not, and false when the bot has sent none there.
func (s *Server) LastMessage(chatID int64) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chats[chatID]
	if !ok {
		return Message{}, false
	}
	for i := len(c.messages) - 1; i >= 0; i-- {
		if m := c.messages[i]; m.from.ID == s.bot.ID {
			return c.snapshot(m), true
		}
	}
	return Message{}, false
}

// WaitFor waits until one of the bot's messages in a chat, as it is now,
// satisfies match, and returns the most recent such message. It fails when
// timeout passes first or the server closes. match runs without locks held
// and may call the server.
func (s *Server) WaitFor(chatID int64, timeout time.Duration, match func(Message) bool) (Message, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		s.mu.Lock()
		msgs := s.botMessagesLocked(chatID)
		wake := s.wake
		s.mu.Unlock()
		for i := len(msgs) - 1; i >= 0; i-- {
			if match(msgs[i]) {
				return msgs[i], nil
			}
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return Message{}, fmt.Errorf("telegramtest: no matching bot message in chat %d within %v (bot messages there: %d)", chatID, timeout, len(msgs))
		case <-s.done:
			return Message{}, errClosed
		}
	}
}

// Sent returns how many chat-bound sends (sendMessage, editMessageText,
// editMessageReplyMarkup, sendDocument, sendPhoto) the server accepted in a
// chat.
func (s *Server) Sent(chatID int64) int {
	return len(s.SendTimes(chatID))
}

// SendTimes returns when each accepted chat-bound send in a chat happened,
// oldest first, so that tests can check the bot kept to flood limits.
func (s *Server) SendTimes(chatID int64) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chats[chatID]
	if !ok {
		return nil
	}
	return append([]time.Time(nil), c.sendTimes...)
}
