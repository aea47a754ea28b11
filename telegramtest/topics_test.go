package telegramtest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"thiduabot/telegramtest"
)

// topicFields is what a message says of its topic on the wire.
type topicFields struct {
	MessageID         int  `json:"message_id"`
	MessageThreadID   int  `json:"message_thread_id"`
	IsTopicMessage    bool `json:"is_topic_message"`
	ForumTopicCreated *struct {
		Name string `json:"name"`
	} `json:"forum_topic_created"`
	Chat struct {
		IsForum bool `json:"is_forum"`
	} `json:"chat"`
	ReplyToMessage *topicFields `json:"reply_to_message"`
}

// wireUpdates returns the messages of the pending updates as sent.
func wireUpdates(t *testing.T, srv *telegramtest.Server) []topicFields {
	t.Helper()
	var out []topicFields
	for _, raw := range rawUpdates(t, srv) {
		var u struct {
			Message       *topicFields `json:"message"`
			CallbackQuery *struct {
				Message *topicFields `json:"message"`
			} `json:"callback_query"`
		}
		if err := json.Unmarshal(raw, &u); err != nil {
			t.Fatal(err)
		}
		if u.CallbackQuery != nil {
			u.Message = u.CallbackQuery.Message
		}
		out = append(out, *u.Message)
	}
	return out
}

// rawUpdates returns the pending updates as getUpdates sends them.
func rawUpdates(t *testing.T, srv *telegramtest.Server) []json.RawMessage {
	t.Helper()
	var raws []json.RawMessage
	if err := json.Unmarshal(mustOK(t, srv, "getUpdates", url.Values{}), &raws); err != nil {
		t.Fatal(err)
	}
	return raws
}

func TestTopicsOnTheWire(t *testing.T) {
	srv := newServer(t)
	forum := srv.NewForum("Khối")
	lan := srv.NewUser("Lan", "lan")
	topic := forum.NewTopic(lan, "Thông báo")
	if topic.Thread < 2 {
		t.Fatalf("the topic has thread %d; 1 is General's", topic.Thread)
	}
	inTopic := srv.SendInTopic(topic, lan, "/units")
	inGeneral := srv.Send(forum, lan, "/units")
	if inTopic.Message.Thread != topic.Thread || inGeneral.Message.Thread != 0 {
		t.Fatalf("posted in threads %d and %d", inTopic.Message.Thread, inGeneral.Message.Thread)
	}
	got := wireUpdates(t, srv)
	m, g := got[0], got[1]
	if m.MessageThreadID != topic.Thread || !m.IsTopicMessage || !m.Chat.IsForum || m.ReplyToMessage == nil ||
		m.ReplyToMessage.MessageID != topic.Thread || m.ReplyToMessage.ForumTopicCreated == nil || m.ReplyToMessage.ForumTopicCreated.Name != "Thông báo" {
		t.Errorf("a message in a topic was sent as %+v", m)
	}
	if g.MessageThreadID != 0 || g.IsTopicMessage || g.ReplyToMessage != nil {
		t.Errorf("a message in General was sent as %+v", g)
	}

	chat := strconv.FormatInt(forum.ID, 10)
	thread := strconv.Itoa(topic.Thread)
	// The bot's message to the topic, and its reply there without a thread.
	var sent topicFields
	if err := json.Unmarshal(mustOK(t, srv, "sendMessage", url.Values{"chat_id": {chat}, "text": {"a"}, "message_thread_id": {thread}}), &sent); err != nil {
		t.Fatal(err)
	}
	if sent.MessageThreadID != topic.Thread || !sent.IsTopicMessage {
		t.Errorf("the bot's message to the topic is %+v", sent)
	}
	mustOK(t, srv, "sendMessage", url.Values{"chat_id": {chat}, "text": {"b"}, "reply_to_message_id": {strconv.Itoa(inTopic.Message.ID)}})
	if last, _ := srv.LastMessage(forum.ID); last.Thread != topic.Thread {
		t.Errorf("a reply without a thread went to thread %d, not its message's", last.Thread)
	}
	// Across topics: the reply goes when allowed, the call fails otherwise.
	mustFail(t, srv, "sendMessage", url.Values{"chat_id": {chat}, "text": {"c"}, "reply_to_message_id": {strconv.Itoa(inGeneral.Message.ID)}, "message_thread_id": {thread}},
		http.StatusBadRequest, "Bad Request: message to be replied not found")
	mustOK(t, srv, "sendMessage", url.Values{"chat_id": {chat}, "text": {"c"}, "reply_to_message_id": {strconv.Itoa(inGeneral.Message.ID)}, "message_thread_id": {thread}, "allow_sending_without_reply": {"true"}})
	if last, _ := srv.LastMessage(forum.ID); last.Thread != topic.Thread || last.ReplyTo != 0 {
		t.Errorf("a reply across topics went as %+v", last)
	}
	// General has no thread of its own; a group without topics none at all.
	mustFail(t, srv, "sendMessage", url.Values{"chat_id": {chat}, "text": {"d"}, "message_thread_id": {"1"}}, http.StatusBadRequest, "Bad Request: message thread not found")
	group := srv.NewGroup("Nhóm")
	mustFail(t, srv, "sendMessage", url.Values{"chat_id": {strconv.FormatInt(group.ID, 10)}, "text": {"d"}, "message_thread_id": {thread}}, http.StatusBadRequest, "Bad Request: message thread not found")

	// A closed topic takes nothing from the bot, even in reply; reopened, it does.
	forum.CloseTopic(topic)
	mustFail(t, srv, "sendMessage", url.Values{"chat_id": {chat}, "text": {"e"}, "message_thread_id": {thread}}, http.StatusBadRequest, "Bad Request: TOPIC_CLOSED")
	mustFail(t, srv, "sendMessage", url.Values{"chat_id": {chat}, "text": {"e"}, "reply_to_message_id": {strconv.Itoa(inTopic.Message.ID)}}, http.StatusBadRequest, "Bad Request: TOPIC_CLOSED")
	forum.ReopenTopic(topic)
	mustOK(t, srv, "sendMessage", url.Values{"chat_id": {chat}, "text": {"e"}, "message_thread_id": {thread}})

	// A deleted topic goes with its messages.
	forum.DeleteTopic(topic)
	mustFail(t, srv, "sendMessage", url.Values{"chat_id": {chat}, "text": {"f"}, "message_thread_id": {thread}}, http.StatusBadRequest, "Bad Request: message thread not found")
	for _, m := range srv.Messages(forum.ID) {
		if m.Thread == topic.Thread && !m.Deleted {
			t.Errorf("message %d of the deleted topic is still there", m.ID)
		}
	}

	// Topics turned off: messages come without a thread.
	other := forum.NewTopic(lan, "Khác")
	forum.SetForum(false)
	srv.Send(forum, lan, "/units")
	if got := wireUpdates(t, srv); got[len(got)-1].MessageThreadID != 0 || got[len(got)-1].Chat.IsForum {
		t.Errorf("a message of a group without topics was sent as %+v", got[len(got)-1])
	}
	mustFail(t, srv, "sendMessage", url.Values{"chat_id": {chat}, "text": {"g"}, "message_thread_id": {strconv.Itoa(other.Thread)}}, http.StatusBadRequest, "Bad Request: message thread not found")
}

// A closed topic, General included, refuses the bot unless it is an
// administrator with the right to manage topics; given the right, it
// posts there, and loses it with its administrator's status.
func TestTopicsClosedTakeFromTopicManagers(t *testing.T) {
	srv := newServer(t)
	forum := srv.NewForum("Khối")
	owner := srv.NewUser("Hùng", "hung")
	forum.SetStatus(owner, telegramtest.StatusCreator)
	topic := forum.NewTopic(owner, "Thông báo")
	forum.CloseTopic(topic)
	forum.CloseGeneral(owner, false)
	rawUpdates(t, srv)
	chat := strconv.FormatInt(forum.ID, 10)
	inTopic := url.Values{"chat_id": {chat}, "text": {"a"}, "message_thread_id": {strconv.Itoa(topic.Thread)}}
	inGeneral := url.Values{"chat_id": {chat}, "text": {"b"}}
	refused := func() {
		t.Helper()
		mustFail(t, srv, "sendMessage", inTopic, http.StatusBadRequest, "Bad Request: TOPIC_CLOSED")
		mustFail(t, srv, "sendMessage", inGeneral, http.StatusBadRequest, "Bad Request: TOPIC_CLOSED")
	}
	refused()

	me := srv.BotUser()
	forum.SetManageTopics(me, true)
	mustOK(t, srv, "sendMessage", inTopic)
	mustOK(t, srv, "sendMessage", inGeneral)
	forum.SetManageTopics(me, false)
	refused()
	forum.SetManageTopics(me, true)
	forum.SetStatus(me, telegramtest.StatusMember)
	forum.SetStatus(me, telegramtest.StatusAdministrator)
	refused()
	// The creator posts in them without being given the right.
	srv.SendInTopic(topic, owner, "/units")
	srv.Send(forum, owner, "/units")
}
