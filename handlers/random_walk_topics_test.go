package handlers_test

import (
	"fmt"
	"slices"
	"strings"

	"thiduabot/telegramtest"
)

// This file holds the walk's topics: the group turns its topics on (and
// off again, now and then), its administrator makes topics, closes,
// reopens, renames and deletes them, closes General and reopens it, and
// gives the bot the right to post in closed topics or takes it; people
// then send their commands in General or in a topic, and reply in the
// topic of the message they reply to, where Telegram lets them post.

// walkForum is what the walk knows of the group's topics: whether they are
// on, whether General is closed, the topics made, which of them are closed
// or deleted, and whether the bot manages topics (posts in closed ones).
type walkForum struct {
	on, generalClosed, botManages bool
	topics                        []telegramtest.Topic
	closed, deleted               map[int]bool
}

// walkTopicNames are the names of the topics the administrator makes.
var walkTopicNames = []string{"Báo cáo kết quả", "Bình xét thi đua", "Thông báo", "<b>Khen thưởng</b> & kỷ luật", "Reports"}

// liveTopics are the topics not deleted.
func (f *walkForum) liveTopics() []telegramtest.Topic {
	return slices.DeleteFunc(slices.Clone(f.topics), func(t telegramtest.Topic) bool { return f.deleted[t.Thread] })
}

// mayPost reports whether Telegram lets user post in the thread of the
// group (0 for General): anywhere without topics; else not in a deleted
// topic, and in a closed one, General included, only if they manage
// topics, as the group's creator does (see telegramtest.Chat.SetManageTopics).
func (w *walker) mayPost(user *telegramtest.User, thread int) bool {
	f := w.forum
	switch manager := user == w.admin; {
	case !f.on:
		return true
	case thread == 0:
		return !f.generalClosed || manager
	case f.deleted[thread]:
		return false
	default:
		return !f.closed[thread] || manager
	}
}

// botMayPost reports whether the bot's answer to a message in the thread
// reaches the group: in the thread, or, refused there, in General (see
// handlers' sendIn).
func (w *walker) botMayPost(thread int) bool {
	f := w.forum
	if !f.on || f.botManages {
		return true
	}
	if thread != 0 && !f.deleted[thread] && !f.closed[thread] {
		return true
	}
	return !f.generalClosed
}

// threadFor draws where user sends a command: in General, or now and then
// in a topic, where Telegram lets them; false if nowhere.
func (w *walker) threadFor(user *telegramtest.User) (int, bool) {
	var threads []int
	if w.forum.on {
		for _, t := range w.forum.liveTopics() {
			if w.mayPost(user, t.Thread) {
				threads = append(threads, t.Thread)
			}
		}
	}
	if w.mayPost(user, 0) && (len(threads) == 0 || w.chance(2)) {
		return 0, true
	}
	if len(threads) == 0 {
		return 0, false
	}
	return threads[w.rnd.IntN(len(threads))], true
}

// topic returns the topic of the thread.
func (w *walker) topic(thread int) telegramtest.Topic {
	i := slices.IndexFunc(w.forum.topics, func(t telegramtest.Topic) bool { return t.Thread == thread })
	return w.forum.topics[i]
}

// changeTopics has the group turn its topics on, or, once they are, its
// administrator change them: make a topic, send /hometopic in one (or in
// General), close, reopen, rename or delete one, close General or reopen
// it, give the bot the right to manage topics or take it; or the group
// turn its topics off, or on again.
func (w *walker) changeTopics() string {
	f := w.forum
	live := f.liveTopics()
	var open, closed []telegramtest.Topic
	for _, t := range live {
		if f.closed[t.Thread] {
			closed = append(closed, t)
		} else {
			open = append(open, t)
		}
	}
	pick := func(ts []telegramtest.Topic) telegramtest.Topic { return ts[w.rnd.IntN(len(ts))] }
	switch r := w.rnd.IntN(20); {
	case !f.on && (len(f.topics) == 0 || w.chance(3)) || f.on && r == 0:
		f.on = !f.on
		w.group.SetForum(f.on)
		return fmt.Sprintf("the group's topics are on: %v", f.on)
	case !f.on:
		return w.command(w.manager(), "/hometopic") // in a group without topics
	case r < 4 && len(live) < 4 || len(live) == 0:
		name := w.pick(walkTopicNames...)
		w.typedText(name)
		f.topics = append(f.topics, w.group.NewTopic(w.admin, name))
		return "the administrator makes the topic " + name
	case r < 9:
		user, thread := w.manager(), 0
		if w.chance(4) {
			user = w.anyone()
		}
		if !w.chance(5) {
			thread = pick(live).Thread
		}
		if !w.mayPost(user, thread) {
			return user.FirstName + " may not post in thread " + fmt.Sprint(thread)
		}
		return w.commandIn(user, thread, "/hometopic")
	case r < 11 && len(open) > 0:
		t := pick(open)
		w.group.CloseTopic(t)
		f.closed[t.Thread] = true
		return "the administrator closes the topic " + t.Name
	case r < 13 && len(closed) > 0:
		t := pick(closed)
		w.group.ReopenTopic(t)
		f.closed[t.Thread] = false
		return "the administrator reopens the topic " + t.Name
	case r == 13:
		t, name := pick(live), w.pick(walkTopicNames...)
		w.typedText(name)
		w.serviceMessage(w.group.RenameTopic(w.admin, t, name))
		return "the administrator renames the topic " + t.Name + " " + name
	case r == 14:
		t := pick(live)
		w.group.DeleteTopic(t)
		f.deleted[t.Thread] = true
		gone := func(s saidMessage) bool { return s.msg.Thread == t.Thread }
		w.said, w.answers = slices.DeleteFunc(w.said, gone), slices.DeleteFunc(w.answers, gone)
		return "the administrator deletes the topic " + t.Name
	case r < 17 && !f.generalClosed:
		hide := w.chance(2)
		w.serviceMessage(w.group.CloseGeneral(w.admin, hide))
		f.generalClosed = true
		return fmt.Sprintf("the administrator closes General (hidden: %v)", hide)
	case r < 17:
		return w.reopenGeneral(w.chance(3))
	case w.botIsAdmin:
		f.botManages = !f.botManages
		w.group.SetManageTopics(w.tg.BotUser(), f.botManages)
		return fmt.Sprintf("the bot manages topics: %v", f.botManages)
	}
	return "the bot, no administrator, cannot be let manage topics"
}

// reopenGeneral has the administrator reopen General, closed, or only
// unhide it, which leaves it closed.
func (w *walker) reopenGeneral(unhideOnly bool) string {
	w.serviceMessage(w.group.ReopenGeneral(w.admin, unhideOnly))
	w.forum.generalClosed = unhideOnly
	return fmt.Sprintf("the administrator reopens General (unhides it only: %v)", unhideOnly)
}

// serviceMessage waits until the bot handled the update of a service
// message about a topic, which may be delivered again.
func (w *walker) serviceMessage(u telegramtest.Update) {
	w.handled(u)
	w.delivered(u)
}

// topicName names the thread for the walk's log.
func (w *walker) topicName(thread int) string {
	if thread == 0 || !w.forum.on {
		return ""
	}
	return " in «" + strings.TrimSpace(w.topic(thread).Name) + "»"
}
