package bot

import tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

// Topic is where a message is in a supergroup with topics (a forum), which
// Telegram divides into topics, each a thread of its own messages: what
// the bot decodes of it alongside tgbotapi's Message, which predates
// topics (Bot API 6.3). The zero Topic is the General topic, which is also
// all there is of a chat without topics: Telegram gives its messages no
// thread, and the bot sends there without one (see Sender.SendInTopic).
type Topic struct {
	// Thread is the topic's message_thread_id: the id of the service
	// message that created it, which the messages in it carry.
	Thread int
	// Name is the topic's name, when Telegram gave it with the message (a
	// message in a topic that replies to nothing else comes as a reply to
	// the message that created the topic, which names it); "" otherwise.
	// It is the name the topic was created with: that message keeps it
	// when the topic is renamed. The message that renames the topic
	// (Change TopicRenamed) gives its new name instead.
	Name string
	// Forum reports whether the message's chat has topics (is_forum), as
	// Telegram gave it with the message.
	Forum bool
	// Change is what the message, a service message about its topic, says
	// changed in it; TopicUnchanged for any other message.
	Change TopicChange
}

// TopicChange is a change of a topic that a service message announces.
type TopicChange uint8

const (
	// TopicUnchanged is a message that announces no change of its topic.
	TopicUnchanged TopicChange = iota
	// TopicRenamed is forum_topic_edited with a new name.
	TopicRenamed
	// TopicOpened is forum_topic_reopened. General unhidden is no change:
	// it stays closed (see the service messages of inMessage).
	TopicOpened
)

// inTopic is what the bot decodes of a message's place among the topics
// of its chat. Only a message sent to a forum topic counts: a reply in
// the General topic, or in a chat without topics, carries the
// message_thread_id of its reply thread, but no is_topic_message, and
// that thread is no topic to send to.
type inTopic struct {
	ThreadID       int  `json:"message_thread_id"`
	IsTopicMessage bool `json:"is_topic_message"`
}

// thread returns the thread of the message's topic, 0 for General.
func (t *inTopic) thread() int {
	if !t.IsTopicMessage {
		return 0
	}
	return t.ThreadID
}

// messageRef is what the bot decodes of a message it only refers to: the
// message a call of its own returns (Sender.Send), and the message a pressed
// button belongs to (incoming). The bot edits such a message by its id and
// answers in its chat and topic; it never reads its text, entities or
// keyboard, whose decoding cost more than building them: a twenty-line
// confirmation's sender, or a press on a ballot of eight candidates some
// 13 µs of the 250 it costs (BENCHMARKS.md).
type messageRef struct {
	MessageID int   `json:"message_id"`
	Chat      *chat `json:"chat"`
	Date      int   `json:"date"`
	inTopic
}

// message returns the reference as a tgbotapi.Message with only its id,
// chat and date.
func (m *messageRef) message() tgbotapi.Message {
	return tgbotapi.Message{MessageID: m.MessageID, Chat: m.Chat.chat(), Date: m.Date}
}

// chat is a message's chat as the bot decodes it: tgbotapi's, which
// predates topics, with whether it has them.
type chat struct {
	tgbotapi.Chat
	IsForum bool `json:"is_forum"`
}

// chat returns c as tgbotapi's, which shares c's memory; nil for nil.
func (c *chat) chat() *tgbotapi.Chat {
	if c == nil {
		return nil
	}
	return &c.Chat
}

// inMessage is a message the bot handles (message, edited_message): a
// tgbotapi.Message with its topic. Its chat is decoded here rather than
// by tgbotapi, for whether it has topics, and so is its reply_to_message,
// for the name of the topic in the service message that created it.
type inMessage struct {
	tgbotapi.Message
	inTopic
	Chat           *chat    `json:"chat"`
	ReplyToMessage *replied `json:"reply_to_message"`
	// The service messages that change a topic (see TopicChange); the
	// one with nothing to read is decoded as a pointer to an empty struct,
	// which costs no allocation. Those that close a topic, or hide General
	// (which closes it), are not decoded: they do not say whether the bot
	// may still post there (an administrator that manages topics may),
	// which only a refused post does. Nor is the one that unhides General,
	// which leaves it closed.
	ForumTopicEdited   struct{ Name string } `json:"forum_topic_edited"`
	ForumTopicReopened *struct{}             `json:"forum_topic_reopened"`
}

// replied is the message a message replies to, with the name of the topic
// it created if it is a topic's first, service message.
type replied struct {
	tgbotapi.Message
	ForumTopicCreated struct {
		Name string `json:"name"`
	} `json:"forum_topic_created"`
}

// resolve returns the message as tgbotapi's, which shares m's memory, and
// its topic.
func (m *inMessage) resolve() (*tgbotapi.Message, Topic) {
	t := Topic{Thread: m.thread()}
	if m.Chat != nil {
		m.Message.Chat, t.Forum = &m.Chat.Chat, m.Chat.IsForum
	}
	if r := m.ReplyToMessage; r != nil {
		m.Message.ReplyToMessage = &r.Message
		if t.Thread != 0 && r.MessageID == t.Thread {
			t.Name = r.ForumTopicCreated.Name
		}
	}
	switch {
	case m.ForumTopicEdited.Name != "":
		t.Name, t.Change = m.ForumTopicEdited.Name, TopicRenamed
	case m.ForumTopicReopened != nil:
		t.Change = TopicOpened
	}
	return &m.Message, t
}

// incoming is an update as the bot decodes it from Telegram (getUpdates,
// the webhook): tgbotapi.Update, whose message, edited_message and
// callback_query these fields, which read their topic too, take in place
// of tgbotapi's. The press's is also the shallower (see press).
type incoming struct {
	tgbotapi.Update
	Message       *inMessage `json:"message"`
	EditedMessage *inMessage `json:"edited_message"`
	CallbackQuery *press     `json:"callback_query"`
}

// press is a callback query with its message decoded as a messageRef. A
// handler of a press therefore sees the pressed message's id, chat, date
// and topic only (its Text, Entities and ReplyMarkup are empty), which is
// all the bot's handlers use.
type press struct {
	ID              string         `json:"id"`
	From            *tgbotapi.User `json:"from"`
	Message         *messageRef    `json:"message"`
	InlineMessageID string         `json:"inline_message_id"`
	ChatInstance    string         `json:"chat_instance"`
	Data            string         `json:"data"`
	GameShortName   string         `json:"game_short_name"`
}

// inbound is an update the dispatcher handles, with the topic of its
// message (of the message whose button was pressed, for a press).
type inbound struct {
	u     tgbotapi.Update
	topic Topic
}

// update returns the update the dispatcher handles, with its topic. It
// shares the memory of in.
func (in *incoming) update() inbound {
	var t Topic
	u := in.Update
	if m := in.Message; m != nil {
		u.Message, t = m.resolve()
	}
	if m := in.EditedMessage; m != nil {
		u.EditedMessage, t = m.resolve()
	}
	if p := in.CallbackQuery; p != nil {
		// One allocation for the query and its message, which live as long.
		q := &pressedQuery{CallbackQuery: tgbotapi.CallbackQuery{
			ID: p.ID, From: p.From, InlineMessageID: p.InlineMessageID,
			ChatInstance: p.ChatInstance, Data: p.Data, GameShortName: p.GameShortName,
		}}
		if p.Message != nil {
			q.message = p.Message.message()
			q.Message = &q.message
			t.Thread = p.Message.thread()
			t.Forum = p.Message.Chat != nil && p.Message.Chat.IsForum
		}
		u.CallbackQuery = &q.CallbackQuery
	}
	return inbound{u: u, topic: t}
}

// pressedQuery is a callback query the dispatcher handles, with the
// message its Message points to.
type pressedQuery struct {
	tgbotapi.CallbackQuery
	message tgbotapi.Message
}
