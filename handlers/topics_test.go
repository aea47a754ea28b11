package handlers_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"thiduabot/bot"
	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// This file plays the block in a group with topics (a forum): answers in
// the topic of the command or of the message pressed, the block's home
// topic for what the bot posts of its own accord, and topics Telegram
// refuses (closed, deleted, turned off).

// forum turns the harness's group into a group with topics and creates
// the topics named, as its administrator.
func (h *harness) forum(names ...string) []telegramtest.Topic {
	h.t.Helper()
	h.group.SetForum(true)
	var topics []telegramtest.Topic
	for _, n := range names {
		topics = append(topics, h.group.NewTopic(h.admin, n))
	}
	return topics
}

// forumHome turns the harness's group into a group with the topics named,
// sets the block up with representatives (see withReps), and makes the
// first topic its home.
func (h *harness) forumHome(names ...string) []telegramtest.Topic {
	h.t.Helper()
	topics := h.forum(names...)
	withReps(h)
	h.sayIn(topics[0], h.admin, "/hometopic")
	return topics
}

// sayIn sends text as user in the topic, waits until it is handled, and
// returns the bot's last message in the group.
func (h *harness) sayIn(topic telegramtest.Topic, user *telegramtest.User, text string) telegramtest.Message {
	h.t.Helper()
	h.handled(h.tg.SendInTopic(topic, user, text))
	m, _ := h.tg.LastMessage(h.group.ID)
	return m
}

// since returns the bot's messages in the group after the first n.
func (h *harness) since(n int) []telegramtest.Message {
	return h.tg.Messages(h.group.ID)[n:]
}

// allIn fails unless every message is in the thread.
func allIn(t *testing.T, thread int, msgs []telegramtest.Message) {
	t.Helper()
	if len(msgs) == 0 {
		t.Fatal("the bot posted nothing")
	}
	for _, m := range msgs {
		if m.Thread != thread {
			t.Fatalf("message %d (%.60q) went to thread %d, not %d", m.ID, m.Text, m.Thread, thread)
		}
	}
}

// threadParams counts the bot's sendMessage calls with a
// message_thread_id, and those refused.
func threadParams(h *harness) (calls, refused int) {
	for _, r := range h.tg.Requests("sendMessage") {
		if r.Params.Get("message_thread_id") != "" {
			calls++
			if r.Status != 200 {
				refused++
			}
		}
	}
	return calls, refused
}

// A block set up in a topic has it as its home; a command sent in a topic
// gets every part of its answer there (a long one too), and the messages
// that follow a press on a message in a topic go there; General is
// addressed without a thread.
func TestTopicsAnswersStayInTheirTopic(t *testing.T) {
	h := newHarness(t)
	topics := h.forum("Thông báo", "Đơn vị")
	news, units := topics[0], topics[1]

	m := h.sayIn(news, h.admin, "/setup Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai")
	expect(t, m.Text, "Nhóm này đã trở thành Khối thi đua", "Nhắc hạn và các thông báo khác của khối sẽ được đăng vào chủ đề này", "/hometopic")
	allIn(t, news.Thread, []telegramtest.Message{m})
	if home := h.block().Home; home != (thidua.Topic{Thread: news.Thread, Name: "Thông báo"}) {
		t.Fatalf("the block's home is %+v, not the topic of /setup", home)
	}

	// A long answer: forty units of long names, listed in the units' topic.
	var names []string
	for i := 1; i <= 40; i++ {
		names = append(names, fmt.Sprintf("Đơn vị số %d — %s", i, strings.Repeat("Hội Liên hiệp Phụ nữ ", 5)))
	}
	before := len(h.tg.Messages(h.group.ID))
	h.sayIn(units, h.admin, "/addunit "+strings.Join(names, "\n"))
	allIn(t, units.Thread, h.since(before))
	before = len(h.tg.Messages(h.group.ID))
	h.sayIn(units, h.admin, "/units")
	parts := h.since(before)
	if len(parts) < 2 {
		t.Fatalf("/units came in %d messages; the test needs a long answer", len(parts))
	}
	allIn(t, units.Thread, parts)
	// Files too: the export's workbook and CSV files.
	before = len(h.tg.Messages(h.group.ID))
	h.sayIn(units, h.admin, "/export")
	files := h.since(before)
	if len(files) != 2 || files[0].Document == nil || files[1].Document == nil {
		t.Fatalf("/export sent %+v", files)
	}
	allIn(t, units.Thread, files)

	// A press on a message in a topic: what follows goes there too.
	lan := h.member("Lan", "")
	ask := h.sayIn(units, lan, "/join")
	allIn(t, units.Thread, []telegramtest.Message{ask})
	before = len(h.tg.Messages(h.group.ID))
	h.press(h.group, lan, ask, ask.Buttons[2][0].Data)
	asked := h.since(before)
	allIn(t, units.Thread, asked)
	expect(t, asked[len(asked)-1].Text, "Lan xin làm đầu mối của Đơn vị số 3")
	h.press(h.group, h.admin, asked[len(asked)-1], asked[len(asked)-1].Buttons[0][0].Data)
	if h.block().RepOf(lan.ID) == nil {
		t.Fatal("Lan was not approved")
	}

	// General: no thread, and none sent.
	calls, _ := threadParams(h)
	before = len(h.tg.Messages(h.group.ID))
	h.say(h.group, lan, "/help")
	allIn(t, 0, h.since(before))
	if now, _ := threadParams(h); now != calls {
		t.Fatalf("the answer in General was sent with a message_thread_id")
	}
}

// A manager moves the home topic to the topic they are in (or back to
// General), which the history records with who did it; anyone else is
// refused and nothing changes. Reminders go to the home topic.
func TestTopicsHomeTopic(t *testing.T) {
	h := newHarness(t)
	topics := h.forum("Thông báo", "Chuyện trò")
	news, chat := topics[0], topics[1]
	lan, minh := withReps(h)
	if h.block().Home != (thidua.Topic{}) {
		t.Fatal("a block set up in General has a home topic")
	}

	// Refusals: a member, and arguments.
	version := h.block().Version
	expect(t, h.sayIn(news, lan, "/hometopic").Text, "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")
	expect(t, h.sayIn(news, h.admin, "/chudechinh Thông báo").Text, "Lệnh này không kèm nội dung nào", "Cú pháp: /hometopic")
	if b := h.block(); b.Version != version || b.Home != (thidua.Topic{}) {
		t.Fatalf("a refused /hometopic changed the block: %+v", b.Home)
	}

	// The leader unit's representative moves it: answered in the topic.
	h.say(h.group, h.admin, "/leader Tỉnh Đoàn")
	m := h.sayIn(news, minh, "/chudechinh")
	expect(t, m.Text, "Từ nay bot đăng nhắc hạn, kết quả bầu và các thông báo khác của khối vào chủ đề «Thông báo» (do Minh chọn)")
	allIn(t, news.Thread, []telegramtest.Message{m})
	if home := h.block().Home; home != (thidua.Topic{Thread: news.Thread, Name: "Thông báo"}) {
		t.Fatalf("the home is %+v", home)
	}
	expect(t, h.sayIn(news, minh, "/hometopic").Text, "Bot đã đăng các thông báo của khối vào chủ đề này rồi")
	expect(t, h.say(h.group, h.admin, "/history 2").Text, "Minh: chọn chủ đề bot đăng thông báo: «General» → «Thông báo»")

	// A reminder goes to the home topic.
	h.say(h.group, h.admin, "/deadline 16/03/2026 | Nộp báo cáo quý I")
	got := newTicker(h).run(at(3, 9, 7, 55), at(3, 9, 8, 5), 5*time.Minute)
	if len(got) != 1 {
		t.Fatalf("reminders: %v", got)
	}
	expect(t, got[0].msg.Text, "Nhắc hạn: Nộp báo cáo quý I")
	allIn(t, news.Thread, []telegramtest.Message{got[0].msg})

	// A command in another topic is still answered there: a reminder by
	// hand (/remindnow 1) is its answer, and so is the one that follows a
	// press on the buttons of /remindnow.
	m = h.sayIn(chat, h.admin, "/remindnow 1")
	expect(t, m.Text, "Nhắc hạn: Nộp báo cáo quý I")
	allIn(t, chat.Thread, []telegramtest.Message{m})
	pick := h.sayIn(chat, h.admin, "/remindnow")
	before := len(h.tg.Messages(h.group.ID))
	h.press(h.group, h.admin, pick, pick.Buttons[0][0].Data)
	pressed := h.since(before)
	expect(t, pressed[0].Text, "Nhắc hạn: Nộp báo cáo quý I")
	allIn(t, chat.Thread, pressed)

	// Back to General.
	m = h.say(h.group, h.admin, "/hometopic")
	expect(t, m.Text, "Từ nay bot đăng nhắc hạn, kết quả bầu và các thông báo khác của khối vào chủ đề General")
	expect(t, h.say(h.group, h.admin, "/history 1").Text, "Hùng (quản trị viên): chọn chủ đề bot đăng thông báo: «Thông báo» → «General»")
	got = newTicker(h).run(at(3, 13, 7, 55), at(3, 13, 8, 5), 5*time.Minute)
	if len(got) != 1 {
		t.Fatalf("reminders: %v", got)
	}
	allIn(t, 0, []telegramtest.Message{got[0].msg})
}

// The home topic closed: the bot posts in General meanwhile, keeping its
// home, and there again once it is reopened. Deleted: the bot posts in
// General, forgets it (in the history) and is not refused again. A command
// whose topic closes or goes before its answer is answered in General,
// every part, with one refusal.
func TestTopicsClosedAndDeletedFallBackToGeneral(t *testing.T) {
	h := newHarness(t)
	topics := h.forumHome("Thông báo", "Hỏi đáp")
	news, faq := topics[0], topics[1]
	h.say(h.group, h.admin, "/deadline 31/03/2026 | Nộp báo cáo quý I")
	tk := newTicker(h)
	reminder := func(day int) telegramtest.Message {
		t.Helper()
		got := tk.run(at(3, day, 7, 55), at(3, day, 8, 5), 5*time.Minute)
		if day == 30 { // the topic deleted: the group is told after the reminder
			if len(got) != 2 || !strings.Contains(got[1].msg.Text, "không còn nữa") {
				t.Fatalf("reminders of %d/3: %v", day, got)
			}
			got = got[:1]
		}
		if len(got) != 1 {
			t.Fatalf("reminders of %d/3: %v", day, got)
		}
		expect(t, got[0].msg.Text, "Nhắc hạn: Nộp báo cáo quý I")
		return got[0].msg
	}

	// The reminders fall 7, 3 and 1 days before, and on the day.
	h.group.CloseTopic(news)
	allIn(t, 0, []telegramtest.Message{reminder(24)})
	if h.block().Home.Thread != news.Thread {
		t.Fatal("the bot forgot a topic that is only closed")
	}
	h.group.ReopenTopic(news)
	allIn(t, news.Thread, []telegramtest.Message{reminder(28)})

	h.group.DeleteTopic(news)
	_, refusedBefore := threadParams(h)
	allIn(t, 0, []telegramtest.Message{reminder(30)})
	if home := h.block().Home; home != (thidua.Topic{}) {
		t.Fatalf("the deleted home topic is still the home: %+v", home)
	}
	lostNote, _ := h.tg.LastMessage(h.group.ID)
	allIn(t, 0, []telegramtest.Message{lostNote})
	expect(t, lostNote.Text, "ℹ️ ", "Chủ đề «Thông báo», nơi bot đăng nhắc hạn và thông báo của khối, không còn nữa: từ nay bot đăng vào General.", "/hometopic")
	allIn(t, 0, []telegramtest.Message{reminder(31)})
	if _, refused := threadParams(h); refused != refusedBefore+1 {
		t.Fatalf("Telegram refused %d posts for the deleted topic, want 1", refused-refusedBefore)
	}
	expect(t, h.say(h.group, h.admin, "/history 3").Text, "thiduabot: chủ đề bot đăng thông báo không còn nữa; bot đăng vào General: «Thông báo» → «General»")
	logs := tk.logs.String()
	if n := logLines(logs, "ERROR"); n != 0 {
		t.Fatalf("%d errors in the log:\n%s", n, logs)
	}

	// A command whose topic is closed, then deleted, before the bot answers it.
	for _, gone := range []func(){func() { h.group.CloseTopic(faq) }, func() { h.group.DeleteTopic(faq) }} {
		h.stop()
		u := h.tg.SendInTopic(faq, h.admin, "/units")
		gone()
		before := len(h.tg.Messages(h.group.ID))
		_, refusedBefore := threadParams(h)
		h.start()
		h.handled(u)
		allIn(t, 0, h.since(before))
		expect(t, h.since(before)[0].Text, "Ủy ban MTTQ Việt Nam tỉnh")
		if _, refused := threadParams(h); refused != refusedBefore+1 {
			t.Fatalf("Telegram refused %d posts, want 1", refused-refusedBefore)
		}
		if h.block().Home != (thidua.Topic{}) {
			t.Fatal("the block's home changed")
		}
	}
}

// Topics turned off in the group, and on again: commands are answered in
// the group; the home topic, refused as gone while topics are off, is kept
// for when they are back, the bot posting in General meanwhile with no
// notice and no refusal after the first; once a message from the group
// shows topics back on, the bot posts in the home topic again; deleted
// then, it is forgotten and the group told, as any deleted home topic.
func TestTopicsTurnedOff(t *testing.T) {
	h := newHarness(t)
	news := h.forumHome("Thông báo")
	home := h.block().Home
	h.say(h.group, h.admin, "/deadline 16/03/2026 | Nộp báo cáo quý I")
	tk := newTicker(h)
	// The reminders fall 7, 3 and 1 days before, and on the day.
	reminders := func(day, want int) []telegramtest.Message {
		t.Helper()
		got := tk.run(at(3, day, 7, 55), at(3, day, 8, 5), 5*time.Minute)
		if len(got) != want {
			t.Fatalf("posts of %d/3: %v", day, got)
		}
		expect(t, got[0].msg.Text, "Nhắc hạn: Nộp báo cáo quý I")
		var msgs []telegramtest.Message
		for _, s := range got {
			msgs = append(msgs, s.msg)
		}
		return msgs
	}

	h.group.SetForum(false)
	m := h.say(h.group, h.admin, "/units")
	expect(t, m.Text, "Ủy ban MTTQ Việt Nam tỉnh")
	allIn(t, 0, []telegramtest.Message{m})
	_, refusedBefore := threadParams(h)
	allIn(t, 0, reminders(9, 1))
	allIn(t, 0, reminders(13, 1))
	if _, refused := threadParams(h); refused != refusedBefore+1 {
		t.Fatalf("Telegram refused %d posts for the home topic while topics were off, want 1", refused-refusedBefore)
	}
	if b := h.block(); b.Home != home {
		t.Fatalf("topics turned off, the home became %+v", b.Home)
	}

	h.group.SetForum(true)
	h.say(h.group, h.admin, "/units")
	allIn(t, news[0].Thread, reminders(15, 1))
	if b := h.block(); b.Home != home {
		t.Fatalf("topics back on, the home became %+v", b.Home)
	}

	h.group.DeleteTopic(news[0])
	got := reminders(16, 2)
	allIn(t, 0, got)
	expect(t, got[1].Text, "Chủ đề «Thông báo», nơi bot đăng nhắc hạn và thông báo của khối, không còn nữa: từ nay bot đăng vào General.")
	if h.block().Home != (thidua.Topic{}) {
		t.Fatal("the deleted home topic is still the home")
	}
	if n := logLines(tk.logs.String(), "ERROR"); n != 0 {
		t.Fatalf("%d errors in the log:\n%s", n, tk.logs.String())
	}
}

// What the scheduler announces (an election closed on time) goes to the
// home topic.
func TestTopicsElectionResultGoesHome(t *testing.T) {
	h := newHarness(t)
	news := h.forum("Thông báo")[0]
	reps := electorate(h)
	h.sayIn(news, h.admin, "/hometopic")
	h.say(h.group, h.admin, "/elect khoitruong | đóng: 02/03/2026 17:00")
	h.votes(reps, nongDan, nongDan, nongDan, ccb)
	before := len(h.tg.Messages(h.group.ID))
	newTicker(h).run(at(3, 2, 16, 58), at(3, 2, 17, 3), time.Minute)
	posted := h.since(before)
	allIn(t, news.Thread, posted)
	expect(t, posted[len(posted)-1].Text, "Hội Nông dân tỉnh")
}

// A command edited in a topic is answered there that edits are not read.
func TestTopicsEditedCommand(t *testing.T) {
	h := newHarness(t)
	units := h.forum("Đơn vị")[0]
	lan, _ := withReps(h)
	sent := h.tg.SendInTopic(units, lan, "/units")
	h.handled(sent)
	h.handled(h.tg.EditText(h.group, lan, sent.Message, "/donvi"))
	m, _ := h.tg.LastMessage(h.group.ID)
	expect(t, m.Text, "Bot không đọc tin nhắn đã sửa")
	allIn(t, units.Thread, []telegramtest.Message{m})
}

// Telegram upgrades a basic group to a supergroup: whatever home topic
// the block recorded, a thread of the old chat, is none of the new one's,
// and the bot posts in the supergroup's General.
func TestTopicsForgottenWhenTheGroupMoves(t *testing.T) {
	h := newHarness(t)
	h.group = h.tg.NewBasicGroup("Khối thi đua tỉnh Lào Cai")
	h.group.SetStatus(h.admin, telegramtest.StatusCreator)
	withReps(h)
	h.say(h.group, h.admin, "/deadline 16/03/2026 | Nộp báo cáo quý I")
	// A basic group has no topics: the record stands for one the block
	// would keep of its old chat.
	if _, err := h.store.Update(t.Context(), h.block().ID, func(b *thidua.Block) error {
		b.Home = thidua.Topic{Thread: 5, Name: "Cũ"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sg := h.upgrade()
	if home := h.block().Home; home != (thidua.Topic{}) {
		t.Fatalf("the block moved with the old chat's home topic %+v", home)
	}
	calls, _ := threadParams(h)
	got := newTicker(h).run(at(3, 9, 7, 55), at(3, 9, 8, 5), 5*time.Minute)
	if len(got) != 1 || got[0].msg.ChatID != sg.ID {
		t.Fatalf("reminders: %v", got)
	}
	allIn(t, 0, []telegramtest.Message{got[0].msg})
	if now, _ := threadParams(h); now != calls {
		t.Fatal("the reminder in the supergroup was sent with a message_thread_id")
	}
}

// A command whose answer is several messages each replying to it (the
// workbook and the CSV file of /export), in a topic closed before the bot
// answers: every one of them goes to General. Telegram puts a reply sent
// without a thread in the topic of the message it replies to, which
// refuses the later files as it refused the first.
func TestTopicsClosedBeforeAnAnswerOfSeveralReplies(t *testing.T) {
	h := newHarness(t)
	faq := h.forum("Hỏi đáp")[0]
	withReps(h)
	h.stop()
	u := h.tg.SendInTopic(faq, h.admin, "/export")
	h.group.CloseTopic(faq)
	before := len(h.tg.Messages(h.group.ID))
	h.start()
	h.handled(u)
	files := h.since(before)
	if len(files) != 2 || files[0].Document == nil || files[1].Document == nil {
		t.Fatalf("/export in a closed topic sent %+v", files)
	}
	allIn(t, 0, files)
	if n := logLines(h.logs.String(), "ERROR"); n != 0 {
		t.Fatalf("%d errors in the log:\n%s", n, h.logs.String())
	}
}

// A home topic whose name the bot never heard (/hometopic sent as a reply
// in it, which Telegram does not give the topic's name with) and which is
// then deleted: the group is told that the topic is gone in a sentence
// that reads, in the group's language, not "Chủ đề chủ đề này" ("The topic
// this topic").
func TestTopicsLostHomeWithoutItsName(t *testing.T) {
	for _, c := range []struct {
		lang bot.Lang
		want string
	}{
		{bot.VI, "ℹ️ Chủ đề nơi bot đăng nhắc hạn và thông báo của khối không còn nữa: từ nay bot đăng vào General."},
		{bot.EN, "ℹ️ The topic where the bot posted reminders and the block's news is gone: from now on the bot posts in General."},
	} {
		t.Run(string(c.lang), func(t *testing.T) {
			h := newHarness(t, groupLang(c.lang))
			news := h.forum("Thông báo")[0]
			h.setUp()
			units := h.sayIn(news, h.admin, "/units")
			h.handled(h.tg.Reply(h.group, h.admin, &units, "/hometopic"))
			if home := h.block().Home; home != (thidua.Topic{Thread: news.Thread}) {
				t.Fatalf("the home is %+v; the test needs a topic without its name", home)
			}
			h.say(h.group, h.admin, "/deadline 16/03/2026 | Nộp báo cáo quý I")
			h.group.DeleteTopic(news)
			got := newTicker(h).run(at(3, 9, 7, 55), at(3, 9, 8, 5), 5*time.Minute)
			if len(got) != 2 {
				t.Fatalf("posts: %v", got)
			}
			expect(t, got[1].msg.Text, c.want, "/hometopic")
			if strings.Contains(got[1].msg.Text, "chủ đề này") || strings.Contains(got[1].msg.Text, "this topic") {
				t.Fatalf("the note names the topic gone as the one it is read in: %q", got[1].msg.Text)
			}
		})
	}
}
