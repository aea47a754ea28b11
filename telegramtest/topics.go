package telegramtest

import (
	"fmt"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// This file models forum topics (Bot API 6.3): a supergroup with topics
// (a forum) divides its messages among topics, each a thread of its own.
// A message in a topic carries the topic's message_thread_id, the id of
// the service message that created it, and is_topic_message; one in the
// General topic carries neither, and the bot posts there without a thread
// (Telegram knows no thread of General's own: sending with
// message_thread_id 1 is refused with "message thread not found"). A
// message sent in reply to another, without a thread, goes to the topic of
// the message it replies to. Only the creator and the administrators
// with the right to manage topics (can_manage_topics, see
// SetManageTopics) post in a closed topic; the bot without it is refused
// ("Bad Request: TOPIC_CLOSED"). A deleted topic goes with its messages, and
// the bot's messages for it are refused with "Bad Request: message thread
// not found", as are those for a thread that is no topic of the chat (a
// chat without topics, a group that turned its topics off). tgbotapi's
// types predate topics: the server sends messages and updates with the
// fields of topics through the wire types below.

// Topic is a handle on a forum topic of a supergroup with topics (see
// Chat.NewTopic). Its fields never change.
type Topic struct {
	// Thread is the topic's message_thread_id: the id of the service
	// message that created it.
	Thread int
	// Name is the topic's name.
	Name string

	chat *Chat
}

// Chat returns the chat of the topic.
func (t Topic) Chat() *Chat { return t.chat }

// topicState is what the server knows of a forum topic.
type topicState struct {
	name    string
	closed  bool
	deleted bool
}

// NewForum creates a supergroup with topics (a forum), in which the bot is
// an administrator, as NewGroup does.
func (s *Server) NewForum(title string) *Chat {
	c := s.NewGroup(title)
	c.SetForum(true)
	return c
}

// SetForum turns the topics of the supergroup c on or off, as its
// administrators do in its settings. With topics off, the chat's messages
// carry no thread, and the bot's messages for one of its topics are
// refused as for a deleted topic; turned on again, the topics are back. It
// panics unless c is a supergroup.
func (c *Chat) SetForum(on bool) {
	s := c.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.chatLocked(c)
	if st.kind != ChatSupergroup {
		panic(fmt.Sprintf("telegramtest: chat %d is not a supergroup: it has no topics", c.ID))
	}
	st.forum = on
	if st.topics == nil {
		st.topics = map[int]*topicState{}
	}
	s.notifyLocked()
}

// NewTopic makes creator create a topic named name in the forum c, with
// the service message whose id is the topic's thread; topics never get
// thread 1, which is General's own in Telegram. Telegram tells the bot of
// the service message; the fake does not. It panics unless c has topics.
func (c *Chat) NewTopic(creator *User, name string) Topic {
	s := c.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.chatLocked(c)
	if !st.forum {
		panic(fmt.Sprintf("telegramtest: chat %d has no topics", c.ID))
	}
	u := s.userLocked(creator)
	if err := s.joinLocked(st, u); err != nil {
		panic(err.Error())
	}
	if len(st.messages) == 0 {
		st.add(&message{from: u}) // the supergroup's first service message
	}
	m := st.add(&message{from: u, topicName: name})
	m.thread = m.id
	st.topics[m.id] = &topicState{name: name}
	s.notifyLocked()
	return Topic{Thread: m.id, Name: name, chat: c}
}

// SetManageTopics gives u, an administrator of the supergroup c, the
// right to manage topics (can_manage_topics), or takes it from u with on
// false: with it, u (the bot too) posts in closed topics, General
// included. Administrators start without it, and lose it with their
// status. getChatMember does not report it: tgbotapi's ChatMember
// predates it. It panics unless u is an administrator of c.
func (c *Chat) SetManageTopics(u *User, on bool) {
	s := c.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.chatLocked(c)
	user := s.userLocked(u)
	if s.statusLocked(st, user.ID) != StatusAdministrator {
		panic(fmt.Sprintf("telegramtest: user %d is no administrator of chat %d", user.ID, c.ID))
	}
	if st.topicManagers == nil {
		st.topicManagers = map[int64]bool{}
	}
	st.topicManagers[user.ID] = on
	s.notifyLocked()
}

// managesTopicsLocked reports whether the user userID manages the topics
// of c, and so posts in closed ones: its creator, or an administrator
// with the right (see SetManageTopics).
func (s *Server) managesTopicsLocked(c *chatState, userID int64) bool {
	switch s.statusLocked(c, userID) {
	case StatusCreator:
		return true
	case StatusAdministrator:
		return c.topicManagers[userID]
	}
	return false
}

// CloseTopic closes the topic t: from then on only its chat's creator
// and administrators who manage topics post in it (see SetManageTopics).
// Telegram tells the bot with a service message; the fake does not.
func (c *Chat) CloseTopic(t Topic) { c.setTopic(t, func(ts *topicState) { ts.closed = true }) }

// RenameTopic makes the administrator by rename the topic t to name, with
// the service message (forum_topic_edited) in the topic that tells the bot
// so, whose update it returns. The message that created the topic, which
// messages in the topic come as replies to, keeps the name it was created
// with, as Telegram's does; t keeps it too.
func (c *Chat) RenameTopic(by *User, t Topic, name string) Update {
	c.setTopic(t, func(ts *topicState) { ts.name = name })
	return c.topicEvent(by, t.Thread, topicEdited, name)
}

// CloseGeneral makes the administrator by close the General topic, with
// the service message (forum_topic_closed) in General, whose update it
// returns: from then on only the chat's creator and administrators who
// manage topics post there (see SetManageTopics); the bot without the
// right is refused ("Bad Request: TOPIC_CLOSED"). With hide set, by hides
// it as well (general_forum_topic_hidden instead), which closes it.
func (c *Chat) CloseGeneral(by *User, hide bool) Update {
	event := topicClosed
	if hide {
		event = generalHidden
	}
	return c.setGeneral(by, event, func(st *chatState) { st.generalClosed, st.generalHidden = true, st.generalHidden || hide })
}

// ReopenGeneral makes the administrator by reopen the General topic, which
// unhides it too, with the service message (forum_topic_reopened) in
// General, whose update it returns. With unhideOnly set, by only unhides
// it (general_forum_topic_unhidden instead), which leaves it closed, as in
// Telegram.
func (c *Chat) ReopenGeneral(by *User, unhideOnly bool) Update {
	if unhideOnly {
		return c.setGeneral(by, generalUnhidden, func(st *chatState) { st.generalHidden = false })
	}
	return c.setGeneral(by, topicReopened, func(st *chatState) { st.generalClosed, st.generalHidden = false, false })
}

// setGeneral changes the state of the General topic of c, a supergroup with
// topics, and posts the service message of event in it.
func (c *Chat) setGeneral(by *User, event topicEvent, change func(*chatState)) Update {
	s := c.srv
	s.mu.Lock()
	st := s.chatLocked(c)
	if !st.forum {
		s.mu.Unlock()
		panic(fmt.Sprintf("telegramtest: chat %d has no topics", c.ID))
	}
	change(st)
	s.mu.Unlock()
	return c.topicEvent(by, 0, event, "")
}

// topicEvent posts, as the administrator by, the service message of event
// in the thread of c (0 for General), and enqueues its update.
func (c *Chat) topicEvent(by *User, thread int, event topicEvent, newName string) Update {
	s := c.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.chatLocked(c)
	u := s.userLocked(by)
	if status := s.statusLocked(st, u.ID); status != StatusCreator && status != StatusAdministrator {
		panic(fmt.Sprintf("telegramtest: user %d manages no topics of chat %d", u.ID, c.ID))
	}
	return s.postLocked(st, &message{from: u, thread: thread, event: event, newName: newName})
}

// topicEvent is the kind of a service message about a topic, other than
// its creation; the zero topicEvent is none.
type topicEvent int

const (
	topicEdited     topicEvent = iota + 1 // forum_topic_edited
	topicClosed                           // forum_topic_closed
	topicReopened                         // forum_topic_reopened
	generalHidden                         // general_forum_topic_hidden
	generalUnhidden                       // general_forum_topic_unhidden
)

// wire sets the field of the service message of e in w, newName being the
// new name of a renamed topic.
func (e topicEvent) wire(w *wireMessage, newName string) {
	switch e {
	case topicEdited:
		w.ForumTopicEdited = &forumTopicEdited{Name: newName}
	case topicClosed:
		w.ForumTopicClosed = &struct{}{}
	case topicReopened:
		w.ForumTopicReopened = &struct{}{}
	case generalHidden:
		w.GeneralForumTopicHidden = &struct{}{}
	case generalUnhidden:
		w.GeneralForumTopicUnhidden = &struct{}{}
	}
}

// ReopenTopic reopens the closed topic t.
func (c *Chat) ReopenTopic(t Topic) { c.setTopic(t, func(ts *topicState) { ts.closed = false }) }

// DeleteTopic deletes the topic t with all its messages.
func (c *Chat) DeleteTopic(t Topic) {
	c.setTopic(t, func(ts *topicState) { ts.deleted = true })
	s := c.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.chatLocked(c).messages {
		if m.thread == t.Thread {
			m.deleted = true
		}
	}
	s.notifyLocked()
}

// setTopic changes the state of the topic t of c, which must be one of
// its topics not deleted.
func (c *Chat) setTopic(t Topic, change func(*topicState)) {
	s := c.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.chatLocked(c).topics[t.Thread]
	if t.chat == nil || t.chat.ID != c.ID || ts == nil || ts.deleted {
		panic(fmt.Sprintf("telegramtest: thread %d is no topic of chat %d", t.Thread, c.ID))
	}
	change(ts)
	s.notifyLocked()
}

// SendInTopic makes user write text in the topic t, as Send does in a
// chat. It panics as Send does, and when the topic is deleted, or closed
// and user no administrator of its chat.
func (s *Server) SendInTopic(t Topic, user *User, text string) Update {
	return s.userPost(t.chat, post{from: user, text: text, thread: t.Thread})
}

// postThreadLocked returns the thread of a message u posts in c (see
// post), anonymously (as the group) or not: its topic's, given or that of
// the message it replies to. It panics when the topic cannot take it.
func (s *Server) postThreadLocked(c *chatState, u *User, anonymous bool, thread int, replyTo *message) int {
	if thread == 0 && replyTo != nil {
		thread = replyTo.thread
	}
	manager := anonymous || s.managesTopicsLocked(c, u.ID)
	if thread == 0 || !c.forum {
		if c.forum && c.generalClosed && !manager {
			panic(fmt.Sprintf("telegramtest: the General topic of chat %d is closed", c.id))
		}
		return 0
	}
	ts := c.topics[thread]
	switch {
	case ts == nil || ts.deleted:
		panic(fmt.Sprintf("telegramtest: thread %d is no topic of chat %d", thread, c.id))
	case ts.closed && !manager:
		panic(fmt.Sprintf("telegramtest: topic %d of chat %d is closed", thread, c.id))
	}
	return thread
}

// errThreadNotFound refuses a send to a topic that does not exist, and
// errTopicClosed one to a closed topic (see errReplyNotFound).
var (
	errThreadNotFound = badRequest("message thread not found")
	errTopicClosed    = badRequest("TOPIC_CLOSED")
)

// sendThreadLocked returns the thread of a message the bot sends to c:
// the call's message_thread_id, or else that of the message it replies to
// (replyTo, 0 for none), 0 being General. It refuses, as Telegram does, a
// thread that is no topic of c, and a closed topic unless the bot manages
// topics (see SetManageTopics).
func (s *Server) sendThreadLocked(c *chatState, r *apiRequest, replyTo int) (int, *apiError) {
	thread, err := r.integer("message_thread_id", 0, errThreadNotFound)
	if err != nil {
		return 0, err
	}
	if thread == 0 && replyTo != 0 && c.forum {
		thread = int64(c.lookup(replyTo).thread)
	}
	closed := errTopicClosed
	if s.managesTopicsLocked(c, s.bot.ID) {
		closed = nil
	}
	if thread == 0 && c.forum && c.generalClosed && closed != nil {
		return 0, closed
	}
	if thread == 0 {
		return 0, nil
	}
	ts := c.topics[int(thread)]
	switch {
	case !c.forum || ts == nil || ts.deleted:
		return 0, errThreadNotFound
	case ts.closed && closed != nil:
		return 0, closed
	}
	return int(thread), nil
}

// replyInThread checks that the message a message for thread replies to
// (replyTo, 0 for none) is in that thread: Telegram does not reply across
// topics. One elsewhere counts as not found: the message goes without the
// reply when the call allows it, and is refused otherwise.
func replyInThread(c *chatState, r *apiRequest, thread, replyTo int) (int, *apiError) {
	if replyTo == 0 || !c.forum || c.lookup(replyTo).thread == thread {
		return replyTo, nil
	}
	if r.flag("allow_sending_without_reply") {
		return 0, nil
	}
	return 0, badRequest("message to be replied not found")
}

// wireChat is a chat as the Bot API sends it: tgbotapi's, with is_forum.
type wireChat struct {
	tgbotapi.Chat
	IsForum bool `json:"is_forum,omitempty"`
}

// wireMessage is a message as the Bot API sends it: tgbotapi's, with the
// fields of topics.
type wireMessage struct {
	tgbotapi.Message
	Chat              *wireChat          `json:"chat"`
	SenderChat        *wireChat          `json:"sender_chat,omitempty"`
	MessageThreadID   int                `json:"message_thread_id,omitempty"`
	IsTopicMessage    bool               `json:"is_topic_message,omitempty"`
	ForumTopicCreated *forumTopicCreated `json:"forum_topic_created,omitempty"`
	ReplyToMessage    *wireMessage       `json:"reply_to_message,omitempty"`
	// The service messages about topics other than their creation (see
	// topicEvent).
	ForumTopicEdited          *forumTopicEdited `json:"forum_topic_edited,omitempty"`
	ForumTopicClosed          *struct{}         `json:"forum_topic_closed,omitempty"`
	ForumTopicReopened        *struct{}         `json:"forum_topic_reopened,omitempty"`
	GeneralForumTopicHidden   *struct{}         `json:"general_forum_topic_hidden,omitempty"`
	GeneralForumTopicUnhidden *struct{}         `json:"general_forum_topic_unhidden,omitempty"`
}

// forumTopicEdited is the service message that renames a topic (or
// changes its icon, which the fake does not).
type forumTopicEdited struct {
	Name string `json:"name,omitempty"`
}

// forumTopicCreated is the service message that creates a topic.
type forumTopicCreated struct {
	Name      string `json:"name"`
	IconColor int    `json:"icon_color"`
}

// wireUpdate is an update as the Bot API sends it, its messages with the
// fields of topics (see wireMessage).
type wireUpdate struct {
	tgbotapi.Update
	Message       *wireMessage  `json:"message,omitempty"`
	EditedMessage *wireMessage  `json:"edited_message,omitempty"`
	CallbackQuery *wireCallback `json:"callback_query,omitempty"`
}

// wireCallback is a callback query as the Bot API sends it.
type wireCallback struct {
	tgbotapi.CallbackQuery
	Message *wireMessage `json:"message,omitempty"`
}

// wireOf returns a hand-made update (see Deliver) as the server sends it.
func wireOf(u tgbotapi.Update) wireUpdate {
	w := wireUpdate{Update: u, Message: plainWire(u.Message), EditedMessage: plainWire(u.EditedMessage)}
	if q := u.CallbackQuery; q != nil {
		w.CallbackQuery = &wireCallback{CallbackQuery: *q, Message: plainWire(q.Message)}
	}
	return w
}

// plainWire returns m, a message of tgbotapi's (or nil), as the server
// sends it: outside topics.
func plainWire(m *tgbotapi.Message) *wireMessage {
	if m == nil {
		return nil
	}
	w := &wireMessage{Message: *m, ReplyToMessage: plainWire(m.ReplyToMessage)}
	if m.Chat != nil {
		w.Chat = &wireChat{Chat: *m.Chat}
	}
	if m.SenderChat != nil {
		w.SenderChat = &wireChat{Chat: *m.SenderChat}
	}
	return w
}
