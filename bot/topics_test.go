package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/telegramtest"
)

// TestTopics runs the transport against a forum of the fake: a handler
// learns the topic of each message (its thread and name) and of each
// pressed message, answers in it, and Telegram's refusals of a closed or
// deleted topic are told apart; General is addressed without a thread.
func TestTopics(t *testing.T) {
	srv := telegramtest.NewServer()
	defer srv.Close()
	srv.FailOnFormattingLoss(t)
	log, _ := captureLog()
	api, err := NewAPI(Config{Token: srv.Token(), APIEndpoint: srv.Endpoint(), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	s := NewSender(api, Limits{PerChat: 1000, PerGroup: 1000, Global: 1000}, nil, log)

	var mu sync.Mutex
	topics := map[int]Topic{} // by update id
	sendErrs := map[int]error{}
	handler := HandlerFunc(func(ctx context.Context, u tgbotapi.Update) error {
		topic := TopicOf(ctx)
		mu.Lock()
		topics[u.UpdateID] = topic
		mu.Unlock()
		if u.Message == nil {
			return nil
		}
		if u.Message.Text == "/fail" {
			return errors.New("failed")
		}
		msg := tgbotapi.NewMessage(u.Message.Chat.ID, "trả lời: "+u.Message.Text)
		msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("OK", "ok")))
		_, err := s.SendInTopic(ctx, msg, topic.Thread)
		mu.Lock()
		sendErrs[u.UpdateID] = err
		mu.Unlock()
		return nil
	})
	d := NewDispatcher(DispatcherConfig{Handler: handler, Sender: s, Scope: api.Self.ID, Log: log})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- NewPoller(api, d, log, WithPollTimeout(time.Second), WithBackoff(10*time.Millisecond, 100*time.Millisecond)).Run(ctx)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v", err)
		}
	}()
	handled := func(u telegramtest.Update) (Topic, error) {
		t.Helper()
		if err := srv.WaitConfirmed(u.ID, 10*time.Second); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		return topics[u.ID], sendErrs[u.ID]
	}

	forum := srv.NewForum("Khối thi đua")
	lan := srv.NewUser("Lan", "lan")
	news := forum.NewTopic(lan, "Thông báo")
	reports := forum.NewTopic(lan, "Báo cáo")

	// A message in a topic: its thread and name; the answer goes there.
	topic, err := handled(srv.SendInTopic(news, lan, "/units"))
	if topic != (Topic{Thread: news.Thread, Name: "Thông báo", Forum: true}) || err != nil {
		t.Fatalf("a message in the topic came with %+v and its answer failed with %v", topic, err)
	}
	answer, _ := srv.LastMessage(forum.ID)
	if answer.Thread != news.Thread {
		t.Fatalf("the answer went to thread %d, not the topic's %d", answer.Thread, news.Thread)
	}
	// A reply in a topic: its thread, but no name (it replies to another
	// message than the topic's first).
	if topic, _ := handled(srv.Reply(forum, lan, &answer, "/units")); topic != (Topic{Thread: news.Thread, Forum: true}) {
		t.Errorf("a reply in the topic came with %+v", topic)
	}
	// A press on a message in a topic: the topic's thread.
	press, err := srv.Press(forum, lan, &answer, "ok")
	if err != nil {
		t.Fatal(err)
	}
	if topic, _ := handled(press); topic != (Topic{Thread: news.Thread, Forum: true}) {
		t.Errorf("a press in the topic came with %+v", topic)
	}
	// General: no thread, and the answer is in General.
	if topic, err := handled(srv.Send(forum, lan, "/units")); topic != (Topic{Forum: true}) || err != nil {
		t.Errorf("a message in General came with %+v; its answer failed with %v", topic, err)
	}
	if m, _ := srv.LastMessage(forum.ID); m.Thread != 0 {
		t.Errorf("the answer in General went to thread %d", m.Thread)
	}
	if _, err := s.SendInTopic(ctx, tgbotapi.NewMessage(forum.ID, "General?"), 1); !TopicDeleted(err) {
		t.Errorf("thread 1 (General's own in Telegram) was not refused as no topic: %v", err)
	}

	// Refusals: a closed topic, a deleted one.
	forum.CloseTopic(reports)
	if _, err := s.SendInTopic(ctx, tgbotapi.NewMessage(forum.ID, "đóng"), reports.Thread); !TopicClosed(err) || TopicDeleted(err) {
		t.Errorf("sending to a closed topic failed with %v", err)
	}
	// The apology for a failure in a closed topic (where the group's
	// creator may still write) goes to General.
	forum.SetStatus(lan, telegramtest.StatusCreator)
	handled(srv.SendInTopic(reports, lan, "/fail"))
	if m, _ := srv.LastMessage(forum.ID); m.Thread != 0 || !strings.Contains(m.Text, "Xin lỗi") {
		t.Errorf("the apology in a closed topic was %+v", m)
	}
	forum.DeleteTopic(news)
	if _, err := s.SendInTopic(ctx, tgbotapi.NewMessage(forum.ID, "xoá"), news.Thread); !TopicDeleted(err) || TopicClosed(err) {
		t.Errorf("sending to a deleted topic failed with %v", err)
	}
	// Topics turned off: messages come without a topic, threads are gone.
	forum.SetForum(false)
	if topic, err := handled(srv.Send(forum, lan, "/units")); topic != (Topic{}) || err != nil {
		t.Errorf("a message of a group without topics came with %+v; its answer failed with %v", topic, err)
	}
	if _, err := s.SendInTopic(ctx, tgbotapi.NewMessage(forum.ID, "tắt"), reports.Thread); !TopicDeleted(err) {
		t.Errorf("sending to a topic of a group without topics failed with %v", err)
	}
}

// TestTopicsWebhook checks that updates taken in by the webhook come with
// their topics too.
func TestTopicsWebhook(t *testing.T) {
	f := newFake(t)
	var got Topic
	d := NewDispatcher(DispatcherConfig{Sender: f.sender(), Log: discard(), Handler: HandlerFunc(func(ctx context.Context, u tgbotapi.Update) error {
		got = TopicOf(ctx)
		return nil
	})})
	const body = `{"update_id":5,"message":{"message_id":9,"date":1,"chat":{"id":-100,"type":"supergroup","is_forum":true},` +
		`"message_thread_id":4,"is_topic_message":true,"text":"x",` +
		`"reply_to_message":{"message_id":4,"date":1,"chat":{"id":-100,"type":"supergroup"},"forum_topic_created":{"name":"Họp","icon_color":1}}}}`
	w := httptest.NewRecorder()
	WebhookHandler("", d, discard()).ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/webhook", strings.NewReader(body)))
	if w.Code != http.StatusOK || got != (Topic{Thread: 4, Name: "Họp", Forum: true}) {
		t.Errorf("the webhook answered %d and the handler saw %+v", w.Code, got)
	}
}

// TestTopicChanges checks that the service messages that change a topic
// come with the change: a rename with the new name (not the one of the
// message that created the topic, which it replies to), General reopened;
// an icon changed alone is no change, nor is a topic closed or General
// hidden, which the bot learns of from a refused post, nor General
// unhidden, which leaves it closed.
func TestTopicChanges(t *testing.T) {
	const chat = `"chat":{"id":-100,"type":"supergroup","is_forum":true}`
	const inTopic = `"message_thread_id":4,"is_topic_message":true,"reply_to_message":{"message_id":4,"date":1,` + chat +
		`,"forum_topic_created":{"name":"Họp","icon_color":1}},`
	for _, c := range []struct {
		fields string
		want   Topic
	}{
		{inTopic + `"forum_topic_edited":{"name":"Họp tuần"}`, Topic{Thread: 4, Name: "Họp tuần", Forum: true, Change: TopicRenamed}},
		{inTopic + `"forum_topic_edited":{"icon_custom_emoji_id":"5"}`, Topic{Thread: 4, Name: "Họp", Forum: true}},
		{`"forum_topic_closed":{}`, Topic{Forum: true}},
		{`"general_forum_topic_hidden":{}`, Topic{Forum: true}},
		{`"forum_topic_reopened":{}`, Topic{Forum: true, Change: TopicOpened}},
		{`"general_forum_topic_unhidden":{}`, Topic{Forum: true}},
	} {
		var in incoming
		if err := json.Unmarshal([]byte(`{"update_id":5,"message":{"message_id":9,"date":1,`+chat+`,`+c.fields+`}}`), &in); err != nil {
			t.Fatal(err)
		}
		if got := in.update().topic; got != c.want {
			t.Errorf("%s: the handler sees %+v, want %+v", c.fields, got, c.want)
		}
	}
}

// TestTopicOnlyForTopicMessages checks that a reply's thread outside
// topics (a reply thread of General, or of a chat without topics, which
// carries message_thread_id without is_topic_message) is no topic.
func TestTopicOnlyForTopicMessages(t *testing.T) {
	var in incoming
	if err := json.Unmarshal([]byte(`{"update_id":1,"message":{"message_id":9,"date":1,"chat":{"id":-100,"type":"supergroup"},"message_thread_id":7,"text":"x",`+
		`"reply_to_message":{"message_id":7,"date":1,"chat":{"id":-100,"type":"supergroup"},"text":"y"}}}`), &in); err != nil {
		t.Fatal(err)
	}
	u := in.update()
	if u.topic != (Topic{}) || u.u.Message.ReplyToMessage == nil || u.u.Message.ReplyToMessage.Text != "y" {
		t.Errorf("a reply in General decoded as %+v in %+v", u.u.Message, u.topic)
	}
}

// TestDecodingTopicsAllocatesNoMore checks that decoding the topics of
// updates costs no allocation: getUpdates' answer of presses on a ballot,
// and of reports and pledges (messages, one of them replying to another),
// decodes with as many allocations as it did into the shapes before topics
// (preTopics*), whose updates had none.
func TestDecodingTopicsAllocatesNoMore(t *testing.T) {
	const text = `/baocao Quý I\n1 45 nhà\n2 1.200 hội viên\n3 40%`
	var msgs []string
	for i := range 20 {
		msgs = append(msgs, fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"from":{"id":%d,"is_bot":false,"first_name":"Lan","language_code":"vi"},`+
			`"chat":{"id":-1001234567890,"title":"Khối thi đua","type":"supergroup"},"date":1764000000,"text":"%s","entities":[{"offset":0,"length":7,"type":"bot_command"}]`+
			`,"reply_to_message":{"message_id":3,"date":1764000000,"chat":{"id":-1001234567890,"type":"supergroup"},"text":"Đã ghi báo cáo"}}}`, 3000+i, 50+i, 2000+i, text))
	}
	messages := []byte(`{"ok":true,"result":[` + strings.Join(msgs, ",") + `]}`)
	for name, answer := range map[string][]byte{"presses": pressesAnswer(100), "messages": messages} {
		now := testing.AllocsPerRun(20, func() {
			var a updatesAnswer
			if err := json.Unmarshal(answer, &a); err != nil || len(a.updates()) == 0 {
				t.Fatal(err)
			}
		})
		before := testing.AllocsPerRun(20, func() {
			var a preTopicsAnswer
			if err := json.Unmarshal(answer, &a); err != nil || len(a.updates()) == 0 {
				t.Fatal(err)
			}
		})
		if now > before {
			t.Errorf("decoding %s allocates %.0f times, %.0f before topics", name, now, before)
		}
	}
}

// preTopicsAnswer, preTopicsIncoming and preTopicsPress are how getUpdates
// decoded updates before topics.
type preTopicsAnswer struct {
	Ok     bool                `json:"ok"`
	Result []preTopicsIncoming `json:"result"`
}

type preTopicsIncoming struct {
	tgbotapi.Update
	CallbackQuery *preTopicsPress `json:"callback_query"`
}

type preTopicsPress struct {
	ID      string         `json:"id"`
	From    *tgbotapi.User `json:"from"`
	Message *struct {
		MessageID int            `json:"message_id"`
		Chat      *tgbotapi.Chat `json:"chat"`
		Date      int            `json:"date"`
	} `json:"message"`
	InlineMessageID string `json:"inline_message_id"`
	ChatInstance    string `json:"chat_instance"`
	Data            string `json:"data"`
	GameShortName   string `json:"game_short_name"`
}

func (a *preTopicsAnswer) updates() []tgbotapi.Update {
	updates := make([]tgbotapi.Update, len(a.Result))
	for i := range a.Result {
		in := &a.Result[i]
		u := in.Update
		if p := in.CallbackQuery; p != nil {
			u.CallbackQuery = &tgbotapi.CallbackQuery{
				ID: p.ID, From: p.From, InlineMessageID: p.InlineMessageID,
				ChatInstance: p.ChatInstance, Data: p.Data, GameShortName: p.GameShortName,
			}
			if p.Message != nil {
				m := tgbotapi.Message{MessageID: p.Message.MessageID, Chat: p.Message.Chat, Date: p.Message.Date}
				u.CallbackQuery.Message = &m
			}
		}
		updates[i] = u
	}
	return updates
}
