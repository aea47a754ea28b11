package handlers_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// This file plays what a group with topics changes of its topics after the
// bot chose one (a rename), and what the bot says of a message it posted
// in another topic than the one it is read in.

// The home topic renamed: the bot hears it (forum_topic_edited), names the
// home by its new name from then on, in /history too, and keeps it when a
// later message in the topic comes with the name the topic was created
// with. A rename of another topic changes nothing.
func TestTopicsHomeRenamed(t *testing.T) {
	h := newHarness(t)
	topics := h.forumHome("Thông báo", "Chuyện trò")
	news, chat := topics[0], topics[1]

	h.handled(h.group.RenameTopic(h.admin, news, "Tin của khối"))
	renamed := thidua.Topic{Thread: news.Thread, Name: "Tin của khối"}
	if home := h.block().Home; home != renamed {
		t.Fatalf("after the rename the home is %+v, want %+v", home, renamed)
	}
	expect(t, h.sayIn(news, h.admin, "/hometopic").Text, "Bot đã đăng các thông báo của khối vào chủ đề này rồi")
	if home := h.block().Home; home != renamed {
		t.Fatalf("a message with the topic's first name took the home back to it: %+v", home)
	}
	expect(t, h.say(h.group, h.admin, "/history 1").Text, "Hùng: đổi tên chủ đề bot đăng thông báo: «Thông báo» → «Tin của khối»")

	h.sayIn(chat, h.admin, "/hometopic")
	expect(t, h.say(h.group, h.admin, "/history 1").Text, "chọn chủ đề bot đăng thông báo: «Tin của khối» → «Chuyện trò»")
	version := h.block().Version
	h.handled(h.group.RenameTopic(h.admin, news, "Lưu trữ"))
	if b := h.block(); b.Version != version {
		t.Fatalf("the rename of a topic that is not the home changed the block: %+v", b.Home)
	}
}

// The service messages that change the block, the home topic renamed and
// General reopened, delivered again, as Telegram does to a bot restarted
// before it confirmed them: the bot says nothing (no "already recorded",
// no apology), logs no error, and the history is as it was.
func TestTopicsServiceMessageDeliveredAgain(t *testing.T) {
	h := newHarness(t, logDispatch())
	news := h.forumHome("Thông báo")[0]
	renamed := h.group.RenameTopic(h.admin, news, "Tin của khối")
	h.handled(renamed)
	h.handled(h.group.CloseGeneral(h.admin, false))
	h.say(h.group, h.admin, "/units") // refused: General recorded closed
	reopened := h.group.ReopenGeneral(h.admin, false)
	h.handled(reopened)
	if b := h.block(); b.Home != (thidua.Topic{Thread: news.Thread, Name: "Tin của khối"}) || !b.Schedule.GeneralClosed.IsZero() {
		t.Fatalf("the block records %+v, %+v", b.Home, b.Schedule)
	}
	history := func() int {
		_, n, err := h.store.HistoryPage(t.Context(), h.block().ID, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, u := range []telegramtest.Update{renamed, reopened} {
		before, version, entries := len(h.tg.Messages(h.group.ID)), h.block().Version, history()
		h.redeliver(u)
		if got := h.since(before); len(got) != 0 {
			t.Fatalf("update %d delivered again, the bot posted %+v", u.ID, got)
		}
		if h.block().Version != version || history() != entries {
			t.Fatalf("update %d delivered again changed the block", u.ID)
		}
	}
	if logs := h.logs.String(); logLines(logs, "ERROR") != 0 {
		t.Fatalf("errors in the log:\n%s", logs)
	}
}

// A ballot posted again by /result in another topic than its earlier copy:
// the earlier copy does not send its readers "below", where the new one
// is not, but links to it; in a group without topics it still says below.
func TestTopicsBallotPostedAgainInAnotherTopic(t *testing.T) {
	h := newHarness(t)
	topics := h.forum("Bầu cử", "Hỏi đáp")
	vote, faq := topics[0], topics[1]
	reps := electorate(h)
	h.sayIn(vote, h.admin, "/elect khoitruong")
	first := h.ballot()
	allIn(t, vote.Thread, []telegramtest.Message{first})
	again := h.sayIn(faq, reps[3], "/ketqua khoitruong")
	if again.ID == first.ID || len(again.Buttons) == 0 {
		t.Fatalf("ballot not posted again: %+v", again)
	}
	allIn(t, faq.Thread, []telegramtest.Message{again})
	old := h.message(first.ID)
	if strings.Contains(old.Text, "bên dưới") || len(old.Buttons) != 0 {
		t.Fatalf("the earlier copy, in another topic, points below: %q", old.Text)
	}
	expect(t, old.Text, "Phiếu bầu đã được gửi lại ở tin nhắn mới")
	link := fmt.Sprintf("https://t.me/c/%d/%d/%d", -h.group.ID-1_000_000_000_000, faq.Thread, again.ID)
	if !hasLink(old, link) {
		t.Fatalf("the earlier copy does not link to %s: %+v", link, old.Entities)
	}
}

// hasLink reports whether the message has a link to url.
func hasLink(m telegramtest.Message, url string) bool {
	for _, e := range m.Entities {
		if e.Type == "text_link" && e.URL == url {
			return true
		}
	}
	return false
}

// The home topic deleted while the bot is restricted from posting: nothing
// can be said meanwhile; once an administrator lets the bot post again,
// its greeting goes to General and the group is told the topic is gone.
func TestTopicsHomeDeletedWhileRestricted(t *testing.T) {
	h := newHarness(t)
	news := h.forumHome("Thông báo")[0]
	me := h.tg.BotUser()
	h.handled(mustChange(t)(h.group.ChangeStatus(me, telegramtest.StatusRestricted)))
	h.group.DeleteTopic(news)
	before := len(h.tg.Messages(h.group.ID))
	h.handled(mustChange(t)(h.group.ChangeStatus(me, telegramtest.StatusAdministrator)))
	posted := h.since(before)
	if len(posted) != 2 {
		t.Fatalf("freed, the bot posted %d messages: %+v", len(posted), posted)
	}
	allIn(t, 0, posted)
	expect(t, posted[0].Text, "Nhóm này vẫn là", "Trong thời gian bot bị hạn chế quyền gửi tin")
	expect(t, posted[1].Text, "Chủ đề «Thông báo», nơi bot đăng nhắc hạn và thông báo của khối, không còn nữa")
	if h.block().Home != (thidua.Topic{}) {
		t.Fatal("the deleted home topic is still the home")
	}
}

// A join request changed, or sent again, in another topic than the one
// its first message is in: that message does not point below, where the
// new one is not, but links to it.
func TestTopicsJoinRequestChangedInAnotherTopic(t *testing.T) {
	h := newHarness(t)
	topics := h.forum("Đơn vị", "Hỏi đáp")
	units, faq := topics[0], topics[1]
	h.setUp()
	tuan := h.member("Tuấn", "")
	h.sayIn(units, tuan, "/join Hội Nông dân tỉnh")
	first := h.withButton("jd:")
	allIn(t, units.Thread, []telegramtest.Message{first})
	link := func(m telegramtest.Message) string {
		return fmt.Sprintf("https://t.me/c/%d/%d/%d", -h.group.ID-1_000_000_000_000, m.Thread, m.ID)
	}
	for _, c := range []struct {
		in         telegramtest.Topic
		unit, want string
	}{
		{faq, "Liên đoàn Lao động tỉnh", "↪️ Tuấn đã đổi yêu cầu: xin làm đầu mối của Liên đoàn Lao động tỉnh (tin mới) thay cho Hội Nông dân tỉnh."},
		{units, "Liên đoàn Lao động tỉnh", "↪️ Tuấn đã gửi lại yêu cầu làm đầu mối của Liên đoàn Lao động tỉnh (tin mới)."},
	} {
		h.sayIn(c.in, tuan, "/join "+c.unit)
		second := h.withButton("jd:")
		allIn(t, c.in.Thread, []telegramtest.Message{second})
		old := h.message(first.ID)
		expect(t, old.Text, c.want)
		if len(old.Buttons) != 0 || !hasLink(old, link(second)) {
			t.Fatalf("the replaced request's message %q does not link to %s: %+v", old.Text, link(second), old.Entities)
		}
		first = second
	}
}

// generalRefused counts the bot's sendMessage calls Telegram refused
// because the General topic is closed.
func generalRefused(h *harness) int {
	n := 0
	for _, r := range h.tg.Requests("sendMessage") {
		if r.Status != 200 && r.Params.Get("message_thread_id") == "" {
			n++
		}
	}
	return n
}

// The General topic, the bot's home, closed (or hidden, which closes it):
// the bot learns it from the first post Telegram refuses there, not from
// the notice, and then posts nothing there and does not try, marking the
// reminders due meanwhile as not sent, without errors in the log; the
// first manager who sends a command in another topic is told, once, why
// and how to fix it. Unhidden only, General stays closed: nothing changes,
// and nothing more is refused. Reopened, the reminders go out there again.
func TestTopicsGeneralClosed(t *testing.T) {
	h := newHarness(t)
	faq := h.forum("Hỏi đáp")[0]
	lan, _ := withReps(h)
	h.say(h.group, h.admin, "/deadline 16/03/2026 | Nộp báo cáo quý I")
	tk := newTicker(h)
	// The reminders fall 7, 3 and 1 days before, and on the day; the
	// scheduler ticks every 5 minutes until noon.
	day := func(d int) []sent { return tk.run(at(3, d, 7, 55), at(3, d, 12, 0), 5*time.Minute) }

	version := h.block().Version
	h.handled(h.group.CloseGeneral(h.admin, true))
	if b := h.block(); b.Version != version {
		t.Fatalf("the notice that General is hidden changed the block: %+v", b.Schedule)
	}
	if got := day(9); len(got) != 0 || generalRefused(h) != 1 {
		t.Fatalf("General closed, the bot posted %v, refused %d times, want once", got, generalRefused(h))
	}
	if b := h.block(); b.Schedule.GeneralClosed.IsZero() || !b.GeneralHomeClosed() {
		t.Fatalf("General refused the reminder, the block records it open: %+v", b.Schedule)
	}
	notSent := 0
	for _, hs := range h.block().Schedule.Handled {
		if hs.Outcome == thidua.SlotClosed {
			notSent++
		}
	}
	if notSent != 1 {
		t.Fatalf("the reminder of 9/3 is not marked not sent: %+v", h.block().Schedule.Handled)
	}

	// A member's command in the topic: just its answer. A manager's: the
	// answer, then the note, once.
	before := len(h.tg.Messages(h.group.ID))
	h.sayIn(faq, lan, "/units")
	if n := len(h.since(before)); n != 1 {
		t.Fatalf("a member's command got %d messages", n)
	}
	before = len(h.tg.Messages(h.group.ID))
	h.sayIn(faq, h.admin, "/units")
	got := h.since(before)
	if len(got) != 2 {
		t.Fatalf("the manager's command got %d messages: %+v", len(got), got)
	}
	allIn(t, faq.Thread, got)
	expect(t, got[1].Text, "⚠️ Chủ đề General đang đóng", "quản trị viên nhóm mở lại General", "/hometopic")
	before = len(h.tg.Messages(h.group.ID))
	h.sayIn(faq, h.admin, "/units")
	if n := len(h.since(before)); n != 1 {
		t.Fatalf("the note came again: %d messages", n)
	}

	// An administrator's command in General, closed: its answer is
	// refused (twice: as a reply to the command, and again without it,
	// should the command's topic alone have refused it; see sendIn), and
	// the request ends there, without an apology that Telegram would
	// refuse in turn.
	h.say(h.group, h.admin, "/units")
	if n := generalRefused(h); n != 3 {
		t.Fatalf("a command in General, closed: %d refused calls, want 2", n-1)
	}

	// Unhidden only: still closed, which the block still records; the
	// managers are not told again, and nothing is refused.
	version = h.block().Version
	h.handled(h.group.ReopenGeneral(h.admin, true))
	if b := h.block(); b.Version != version || !b.GeneralHomeClosed() {
		t.Fatalf("the notice that General is unhidden changed the block: %+v", b.Schedule)
	}
	if got := day(13); len(got) != 0 || generalRefused(h) != 3 {
		t.Fatalf("General unhidden but closed, the bot posted %v, refused %d times", got, generalRefused(h)-3)
	}
	before = len(h.tg.Messages(h.group.ID))
	h.sayIn(faq, h.admin, "/units")
	if n := len(h.since(before)); n != 1 {
		t.Fatalf("General unhidden, the note came again: %d messages", n)
	}

	h.handled(h.group.ReopenGeneral(h.admin, false))
	if b := h.block(); !b.Schedule.GeneralClosed.IsZero() || b.GeneralHomeClosed() {
		t.Fatalf("General reopened, the block records it closed: %+v", b.Schedule)
	}
	got = nil
	for _, s := range day(15) {
		got = append(got, s.msg)
	}
	if len(got) != 1 {
		t.Fatalf("General reopened, the bot posted %d messages", len(got))
	}
	allIn(t, 0, got)
	expect(t, got[0].Text, "Nhắc hạn: Nộp báo cáo quý I")
	logs := tk.logs.String() + h.logs.String()
	if n := logLines(logs, "ERROR"); n != 0 {
		t.Fatalf("%d errors in the log:\n%s", n, logs)
	}
	if n := strings.Count(logs, "General topic of the block's group is closed"); n != 1 {
		t.Fatalf("%d warnings that General is closed, want 1 (the refusal's):\n%s", n, logs)
	}
}

// The General topic, the bot's home, closed while the bot may not post in
// the group, then the bot let post again: its greeting, refused in
// General, is not a failure (nothing logged at error level, no apology
// Telegram would refuse too); the block records the bot back and General
// closed, as a refused answer does, and the scheduler posts nothing there.
func TestTopicsGeneralClosedWhileRestricted(t *testing.T) {
	h := newHarness(t, logDispatch())
	h.forum("Hỏi đáp")
	withReps(h)
	h.say(h.group, h.admin, "/deadline 16/03/2026 | Nộp báo cáo quý I")
	me := h.tg.BotUser()
	h.handled(mustChange(t)(h.group.ChangeStatus(me, telegramtest.StatusRestricted)))
	h.handled(h.group.CloseGeneral(h.admin, false))
	before := len(h.tg.Messages(h.group.ID))
	h.handled(mustChange(t)(h.group.ChangeStatus(me, telegramtest.StatusAdministrator)))
	if got := h.since(before); len(got) != 0 {
		t.Fatalf("General closed, the bot posted %+v", got)
	}
	if n := generalRefused(h); n != 1 {
		t.Fatalf("the greeting refused %d times, want once", n)
	}
	if logs := h.logs.String(); logLines(logs, "ERROR") != 0 {
		t.Fatalf("errors in the log:\n%s", logs)
	}
	if b := h.block(); b.Schedule.Away != nil || !b.GeneralHomeClosed() {
		t.Fatalf("freed in a group whose General is closed, the block records %+v", b.Schedule)
	}
	if got := newTicker(h).run(at(3, 9, 7, 55), at(3, 9, 8, 5), 5*time.Minute); len(got) != 0 || generalRefused(h) != 1 {
		t.Fatalf("General closed, the scheduler posted %v, refused %d times", got, generalRefused(h)-1)
	}
}

// The General topic, the bot's home, closed while the bot is an
// administrator with the right to manage topics, who posts in closed
// topics: the bot goes on posting there, and no manager is told that it
// cannot.
func TestTopicsGeneralClosedToATopicManager(t *testing.T) {
	h := newHarness(t)
	faq := h.forum("Hỏi đáp")[0]
	withReps(h)
	h.group.SetManageTopics(h.tg.BotUser(), true)
	h.say(h.group, h.admin, "/deadline 16/03/2026 | Nộp báo cáo quý I")
	tk := newTicker(h)

	h.handled(h.group.CloseGeneral(h.admin, false))
	if b := h.block(); !b.Schedule.GeneralClosed.IsZero() {
		t.Fatalf("General closed to others, the block records it closed to the bot: %+v", b.Schedule)
	}
	got := tk.run(at(3, 9, 7, 55), at(3, 9, 8, 5), 5*time.Minute)
	if len(got) != 1 {
		t.Fatalf("General closed to others, the bot posted %v", got)
	}
	allIn(t, 0, []telegramtest.Message{got[0].msg})
	expect(t, got[0].msg.Text, "Nhắc hạn: Nộp báo cáo quý I")
	before := len(h.tg.Messages(h.group.ID))
	h.sayIn(faq, h.admin, "/units")
	if got := h.since(before); len(got) != 1 {
		t.Fatalf("the manager's command got %d messages, the note among them: %+v", len(got), got)
	}
	if n := generalRefused(h); n != 0 {
		t.Fatalf("Telegram refused %d posts in General", n)
	}
}

// The General topic recorded closed, then the group's topics turned off:
// a group without topics has no closed General, and the bot posts there,
// its reminders too, without waiting for a command to be answered.
func TestTopicsGeneralClosedThenTopicsOff(t *testing.T) {
	h := newHarness(t)
	h.forumHome("Thông báo")
	h.say(h.group, h.admin, "/deadline 16/03/2026 | Nộp báo cáo quý I")
	tk := newTicker(h)

	h.handled(h.group.CloseGeneral(h.admin, false))
	h.say(h.group, h.admin, "/units")
	if b := h.block(); b.Schedule.GeneralClosed.IsZero() {
		t.Fatalf("the answer refused in General did not record it closed: %+v", b.Schedule)
	}
	h.group.SetForum(false)
	for _, d := range []int{9, 13} {
		got := tk.run(at(3, d, 7, 55), at(3, d, 8, 5), 5*time.Minute)
		if len(got) != 1 {
			t.Fatalf("topics off, the bot posted %v on %d/3", got, d)
		}
		allIn(t, 0, []telegramtest.Message{got[0].msg})
		expect(t, got[0].msg.Text, "Nhắc hạn: Nộp báo cáo quý I")
	}
	if b := h.block(); b.GeneralHomeClosed() || b.Schedule.TopicsOff.IsZero() {
		t.Fatalf("topics off, the block records General closed: %+v", b.Schedule)
	}
}

// The covenant posted again (/covenant) in another topic than its earlier
// post: the earlier post does not send its readers "below", where the new
// one is not, but links to it, whether units are still to sign or not.
func TestTopicsCovenantPostedAgainInAnotherTopic(t *testing.T) {
	h := newHarness(t)
	topics := h.forum("Giao ước", "Hỏi đáp")
	covenant, faq := topics[0], topics[1]
	h.setUp()
	h.sayIn(covenant, h.admin, "/criteria add Tuyên truyền | 100")
	first := h.sayIn(covenant, h.admin, "/covenant Đoàn kết")
	for _, c := range []struct {
		in   telegramtest.Topic
		want string
	}{
		{faq, "⤵️ Đã có bản mới — vui lòng ký ở tin nhắn mới nhất."},
		{covenant, "⤵️ Đã có bản mới — vui lòng ký ở tin nhắn mới nhất."},
	} {
		second := h.sayIn(c.in, h.admin, "/covenant")
		allIn(t, c.in.Thread, []telegramtest.Message{second})
		old := h.message(first.ID)
		link := fmt.Sprintf("https://t.me/c/%d/%d/%d", -h.group.ID-1_000_000_000_000, c.in.Thread, second.ID)
		expect(t, old.Text, c.want, "📜 GIAO ƯỚC THI ĐUA NĂM 2026")
		if strings.Contains(old.Text, "bên dưới") || len(old.Buttons) != 0 || !hasLink(old, link) {
			t.Fatalf("the earlier covenant post %q does not link to %s: %+v", old.Text, link, old.Entities)
		}
		first = second
	}
}
