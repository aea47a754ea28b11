package handlers

import (
	"context"
	"errors"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/storage"
	"thiduabot/thidua"
)

// This file follows the topics of a group that has them (a supergroup
// Telegram divides into topics): the bot answers a request in the topic
// of its message (of the message pressed, for a press; see request.thread
// and sendIn), and posts what it posts of its own accord in the block's
// home topic (thidua.Block.Home), which /setup's topic starts as and
// /hometopic moves. A topic Telegram refuses, closed or deleted, gives way
// to General.

func (r *Router) registerTopics() {
	r.add(&command{
		name: "hometopic", aliases: []string{"chudechinh"}, where: inGroup, who: roleManager,
		usage:   bot.T{VI: "(không kèm gì, gửi trong chủ đề muốn chọn)", EN: "(sent alone, in the topic to choose)"},
		example: bot.T{VI: "/hometopic", EN: "/hometopic"},
		desc: bot.T{
			VI: "Chọn chủ đề đang gửi lệnh làm nơi bot đăng nhắc hạn, kết quả bầu và thông báo của khối",
			EN: "Make the topic you are in the one where the bot posts reminders, election results and the block's news",
		},
		run: r.homeTopic,
	})
	r.describeActions(map[string]bot.T{
		"topic.home":    {VI: "chọn chủ đề bot đăng thông báo", EN: "chose the topic the bot posts its news in"},
		"topic.renamed": {VI: "đổi tên chủ đề bot đăng thông báo", EN: "renamed the topic the bot posts its news in"},
		"topic.lost":    {VI: "chủ đề bot đăng thông báo không còn nữa; bot đăng vào General", EN: "the topic the bot posted its news in is gone; it posts in General"},
	})
}

var (
	msgHomeMoved = bot.T{
		VI: "✅ Từ nay bot đăng nhắc hạn, kết quả bầu và các thông báo khác của khối vào %s (do %s chọn).",
		EN: "✅ From now on the bot posts reminders, election results and the block's other news in %s (chosen by %s).",
	}
	msgHomeAlready = bot.T{
		VI: "Bot đã đăng các thông báo của khối vào chủ đề này rồi.",
		EN: "The bot already posts the block's news in this topic.",
	}
	msgHomeAlreadyGeneral = bot.T{
		VI: "Bot đã đăng các thông báo của khối vào General rồi (nhóm không chia chủ đề thì vào chính nhóm). Trong nhóm có chủ đề, gửi /hometopic trong chủ đề muốn chọn.",
		EN: "The bot already posts the block's news in General (in a group without topics, the group itself). In a group with topics, send /hometopic in the topic to choose.",
	}
	msgHomeLost = bot.T{
		VI: "ℹ️ %s không còn nữa: từ nay bot đăng vào General. Muốn chọn chủ đề khác, quản trị viên hoặc đầu mối đơn vị Khối trưởng gửi /hometopic trong chủ đề đó.",
		EN: "ℹ️ %s is gone: from now on the bot posts in General. To choose another topic, an administrator or a representative of the leader unit sends /hometopic in it.",
	}
	// The topic msgHomeLost says is gone: named when the bot heard its
	// name, described otherwise.
	msgHomeLostNamed = bot.T{
		VI: "Chủ đề «%s», nơi bot đăng nhắc hạn và thông báo của khối,",
		EN: "The topic «%s», where the bot posted reminders and the block's news,",
	}
	msgHomeLostUnnamed = bot.T{
		VI: "Chủ đề nơi bot đăng nhắc hạn và thông báo của khối",
		EN: "The topic where the bot posted reminders and the block's news",
	}
	msgGeneralClosed = bot.T{
		VI: "⚠️ Chủ đề General đang đóng nên bot không đăng được nhắc hạn và các thông báo khác của khối vào đó. Để bot đăng lại: quản trị viên nhóm mở lại General, hoặc quản trị viên hoặc đầu mối đơn vị Khối trưởng gửi /hometopic trong chủ đề muốn bot đăng.",
		EN: "⚠️ The General topic is closed, so the bot cannot post reminders and the block's other news there. For the bot to post again: a group administrator reopens General, or an administrator or a representative of the leader unit sends /hometopic in the topic the bot should post in.",
	}
	msgHomeNamed   = bot.T{VI: "chủ đề «%s»", EN: "the topic «%s»"}
	msgHomeThis    = bot.T{VI: "chủ đề này", EN: "this topic"}
	msgHomeGeneral = bot.T{
		VI: "chủ đề General (nhóm không chia chủ đề thì vào chính nhóm)",
		EN: "the General topic (in a group without topics, the group itself)",
	}
	msgSetupHome = bot.T{
		VI: "Nhắc hạn và các thông báo khác của khối sẽ được đăng vào chủ đề này; muốn đổi, quản trị viên hoặc đầu mối đơn vị Khối trưởng gửi /hometopic trong chủ đề muốn chọn.",
		EN: "Reminders and the block's other news will be posted in this topic; to change it, an administrator or a representative of the leader unit sends /hometopic in the topic to choose.",
	}
)

// homeTopic makes the topic the command was sent in (General if none) the
// block's home topic. Only managers may; it takes no arguments.
func (r *Router) homeTopic(q *request) error {
	if err := q.noArguments(); err != nil {
		return err
	}
	b, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	t := topicOf(q.ctx)
	if t.Thread == b.Home.Thread && (t.Name == "" || t.Name == b.Home.Name) {
		return q.reply(homeAlready(q.lang, t))
	}
	moved := false
	if _, err := q.updateParts(0, func(b *thidua.Block) error {
		was := b.Home.Thread
		if _, err := b.MoveHome(a, t, r.now()); err != nil {
			return err
		}
		moved = b.Home.Thread != was
		return nil
	}); err != nil {
		return err
	}
	if !moved {
		return q.reply(homeAlready(q.lang, t))
	}
	place := msgHomeGeneral.In(q.lang)
	switch {
	case t.Name != "":
		place = msgHomeNamed.F(q.lang, bot.Escape(t.Name))
	case t.Thread != 0:
		place = msgHomeThis.In(q.lang)
	}
	return q.reply(msgHomeMoved.F(q.lang, place, bot.Escape(a.Name)))
}

// topicOf returns the topic of the message of the update whose handling
// ctx belongs to, as the block records topics (see bot.TopicOf).
func topicOf(ctx context.Context) thidua.Topic {
	t := bot.TopicOf(ctx)
	return thidua.Topic{Thread: t.Thread, Name: t.Name}
}

// linkTo returns a link to the message messageID that the request posted
// in its topic, for an earlier message of the bot to point to it: in a
// group with topics, where the earlier message may be in another topic,
// so that "below" would not find it; "" elsewhere (a group without topics,
// where the new message is below), and for 0, no message.
func (q *request) linkTo(messageID int) string {
	if messageID == 0 || !bot.TopicOf(q.ctx).Forum {
		return ""
	}
	return bot.MessageLink(q.chat.ID, q.thread, messageID)
}

// topicChanged follows a service message about a topic of a group (see
// bot.TopicChange): the home topic renamed, whose new name the block
// records, with who renamed it; the General topic reopened, which the
// block records open (see thidua.Block.NoteGeneral). Other topics
// reopened change nothing: the bot tries them, and posts in General when
// one is refused. A service message is nobody's request: nothing is said,
// not even when it is delivered again after it changed the block.
func (r *Router) topicChanged(ctx context.Context, u tgbotapi.Update, t bot.Topic) error {
	m := u.Message
	if m.Chat.IsPrivate() || t.Change != bot.TopicRenamed && t.Thread != 0 {
		return nil
	}
	q := r.newRequest(ctx, u, m.From, m.Chat, nil)
	q.replay = func() error { return nil } // delivered again: nothing to say
	return q.once(func() error {
		b, err := q.block()
		if errors.Is(err, errNoBlock) || err == nil && t.Change == bot.TopicRenamed && b.Home.Thread != t.Thread {
			return nil
		}
		if err != nil {
			return err
		}
		a, now := q.asker(), r.now()
		part, change := thidua.Part(0), func(b *thidua.Block) bool { return b.RenameHome(a, t.Thread, t.Name, now) }
		if t.Change != bot.TopicRenamed {
			part, change = thidua.PartSchedule, func(b *thidua.Block) bool { return b.NoteGeneral(true, now) }
		}
		_, err = q.updateParts(part, func(b *thidua.Block) error {
			if !change(b) {
				return errUnchanged
			}
			return nil
		})
		if errors.Is(err, errUnchanged) || errors.Is(err, errReplied) {
			return nil // unchanged, or changed before this delivery
		}
		return err
	})
}

// generalClosed records, in block blockID, that the General topic of its
// group is closed, Telegram having refused a post there (err), and warns
// of it in the log unless the block recorded it already (see
// thidua.Block.NoteGeneral).
func (r *Router) generalClosed(ctx context.Context, blockID string, err error) {
	now, closed := r.now(), false
	r.remember(ctx, blockID, "the General topic's closing", thidua.PartSchedule, func(b *thidua.Block) error {
		if closed = b.NoteGeneral(false, now); !closed {
			return errUnchanged
		}
		return nil
	})
	if closed {
		r.cfg.Log.Warn("the General topic of the block's group is closed: the bot posts nothing there until it is reopened", "block", blockID, "err", err)
	}
}

// homeAlready says that t, the topic /hometopic was sent in, is the home
// topic already; General, which is also all of a group without topics,
// with how to choose a topic.
func homeAlready(l bot.Lang, t thidua.Topic) string {
	if t.Thread == 0 {
		return msgHomeAlreadyGeneral.In(l)
	}
	return msgHomeAlready.In(l)
}

// sendIn sends c, a message for the chat chatID, in its topic *thread (0
// for General). Should Telegram refuse the topic, closed or deleted (or
// the group's topics turned off), it sends c in General instead, without
// its reply (to a message of that topic, which would take it back there),
// and *thread becomes 0 for what follows (the other parts of a long text,
// the other messages of an answer or announcement): nothing is lost. Only
// a later message that still replies to one in the refused topic (the
// second file of /export, which replies to the command) asks Telegram
// again: a reply sent without a thread goes to the topic of the message it
// replies to, which refuses it in turn, and it too is sent in General
// without its reply. A deleted topic that is the block's home is
// forgotten (see forgetHome), which the group is told in General after
// the message; a closed one stays the home, for when it is reopened, and
// so does one refused because the group turned its topics off, for when
// they are back.
func (r *Router) sendIn(ctx context.Context, chatID int64, thread *int, c tgbotapi.Chattable) (tgbotapi.Message, error) {
	m, err := r.cfg.Sender.SendInTopic(ctx, c, *thread)
	if err == nil || !bot.TopicClosed(err) && !bot.TopicDeleted(err) {
		return m, err
	}
	plain, replied := withoutReply(c)
	refused := *thread
	if refused == 0 && !replied {
		return m, err // General itself refused it
	}
	*thread = 0
	r.cfg.Log.Info("the topic refused the message; posting in General", "chat", chatID, "thread", refused, "err", err)
	lost, forgot := thidua.Topic{}, false
	if refused != 0 && bot.TopicDeleted(err) {
		lost, forgot = r.forgetHome(ctx, chatID, refused)
	}
	m, err = r.cfg.Sender.Send(ctx, plain)
	if forgot {
		topic := msgHomeLostUnnamed.In(r.cfg.Lang)
		if lost.Name != "" {
			topic = msgHomeLostNamed.F(r.cfg.Lang, bot.Escape(lost.Name))
		}
		general := 0
		if _, err := r.post(ctx, chatID, &general, msgHomeLost.F(r.cfg.Lang, topic), 0, nil); err != nil {
			r.cfg.Log.Warn("could not tell the group its home topic is gone", "chat", chatID, "err", err)
		}
	}
	return m, err
}

// withoutReply returns c without the message it replies to, and reports
// whether it replied to one. c is one of the configs the bot posts through
// sendIn (a text, a document, a photo); any other is returned as it is.
func withoutReply(c tgbotapi.Chattable) (tgbotapi.Chattable, bool) {
	switch m := c.(type) {
	case tgbotapi.MessageConfig:
		replied := m.ReplyToMessageID != 0
		m.ReplyToMessageID = 0
		return m, replied
	case tgbotapi.DocumentConfig:
		replied := m.ReplyToMessageID != 0
		m.ReplyToMessageID = 0
		return m, replied
	case tgbotapi.PhotoConfig:
		replied := m.ReplyToMessageID != 0
		m.ReplyToMessageID = 0
		return m, replied
	}
	return c, false
}

// forgetHome forgets the home topic of the block of the chat chatID when
// it is thread, which Telegram says does not exist, once Telegram says the
// group still has topics (bot.HasTopics): the topic was deleted, which the
// block records (thidua.Block.LoseHome), and the bot posts in General from
// then on rather than be refused at every post. A group that turned its
// topics off keeps the topic as its home for when they are back: the
// block records them off (thidua.Block.NoteTopics), and the bot posts in
// General meanwhile without trying the topic. It returns the topic
// forgotten and whether this call forgot it. A failure (of the store, or
// of the question) is logged; the next post tries again.
func (r *Router) forgetHome(ctx context.Context, chatID int64, thread int) (thidua.Topic, bool) {
	b, err := r.cfg.Store.BlockByChat(ctx, chatID)
	if err != nil {
		if !errors.Is(err, storage.ErrNotFound) {
			r.cfg.Log.Warn("the lost home topic not forgotten", "chat", chatID, "thread", thread, "err", err)
		}
		return thidua.Topic{}, false
	}
	if b.Home.Thread != thread {
		return thidua.Topic{}, false
	}
	forum, err := bot.HasTopics(ctx, r.cfg.Sender, chatID)
	if err != nil {
		r.cfg.Log.Warn("could not ask whether the group still has topics; the home topic is kept", "block", b.ID, "chat", chatID, "err", err)
		return thidua.Topic{}, false
	}
	now := r.now()
	if !forum {
		r.cfg.Log.Info("the group turned its topics off: the bot posts in General until they are back", "block", b.ID, "chat", chatID, "thread", thread)
		r.remember(ctx, b.ID, "the group's topics turned off", thidua.PartSchedule, func(b *thidua.Block) error {
			if !b.NoteTopics(false, now) {
				return errUnchanged
			}
			return nil
		})
		return thidua.Topic{}, false
	}
	lost := b.Home
	_, err = r.cfg.Store.UpdateParts(ctx, b.ID, 0, func(b *thidua.Block) error {
		if !b.LoseHome(thread, now) {
			return errUnchanged
		}
		return nil
	})
	switch {
	case errors.Is(err, errUnchanged):
	case err != nil:
		r.cfg.Log.Warn("the lost home topic not forgotten", "block", b.ID, "thread", thread, "err", err)
	default:
		r.cfg.Log.Warn("the block's home topic is gone: the bot posts in General", "block", b.ID, "chat", chatID, "thread", thread)
		return lost, true
	}
	return thidua.Topic{}, false
}

// followTopics brings, after the answer, what the block the request saw
// records of its group's topics up to what the request shows: topics on
// again (see thidua.Block.NoteTopics), when its message (the message
// pressed, for a press) says the group has them; General open again (see
// thidua.Block.NoteGeneral), when the request posted there. It writes, as
// bookkeeping, only when the block records topics off or General closed.
// While General, closed, is where the bot posts, the first manager whose
// command is answered in another topic is told so, once, and how to put
// it right (see tellGeneralClosed).
func (q *request) followTopics() {
	b := q.blk
	if b == nil || b.Schedule.TopicsOff.IsZero() && b.Schedule.GeneralClosed.IsZero() {
		return
	}
	topicsOn := !b.Schedule.TopicsOff.IsZero() && bot.TopicOf(q.ctx).Forum
	generalOpen := !b.Schedule.GeneralClosed.IsZero() && q.posted && q.thread == 0
	if topicsOn || generalOpen {
		q.r.remember(q.ctx, b.ID, "the group's topics", thidua.PartSchedule, func(b *thidua.Block) error {
			changed := topicsOn && b.NoteTopics(true, time.Time{})
			if generalOpen && b.NoteGeneral(true, time.Time{}) || changed {
				return nil
			}
			return errUnchanged
		})
		return
	}
	if b.GeneralHomeClosed() && !b.Schedule.GeneralClosedTold && q.cmd != nil && q.thread != 0 {
		q.tellGeneralClosed()
	}
}

// tellGeneralClosed tells the asker, in the topic of their command, that
// General, where the bot posts its news, is closed, and how to put it
// right, if they may (a manager, who can choose another topic) and the
// block records that nobody was told yet (see
// thidua.Block.TellGeneralClosed). The block records it first, so that
// one manager is told, not several at once; a failed note is logged.
func (q *request) tellGeneralClosed() {
	a, err := q.actor()
	if err != nil || !q.blk.CanManage(a) {
		return
	}
	tell := false
	q.r.remember(q.ctx, q.blk.ID, "the note that General is closed", thidua.PartSchedule, func(b *thidua.Block) error {
		if tell = b.TellGeneralClosed(); !tell {
			return errUnchanged
		}
		return nil
	})
	if !tell {
		return
	}
	if err := q.reply(msgGeneralClosed.In(q.lang)); err != nil {
		q.r.cfg.Log.Warn("the managers not told that General is closed", "block", q.blk.ID, "err", err)
	}
}
