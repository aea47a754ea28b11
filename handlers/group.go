package handlers

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/storage"
	"thiduabot/thidua"
)

// This file follows the bot's own place in its group: added to a group,
// removed from it and added back, restricted from posting there and freed,
// the group upgraded to a supergroup.

func (r *Router) registerGroup() {
	r.describeActions(map[string]bot.T{
		"bot.removed":    {VI: "gỡ bot khỏi nhóm", EN: "removed the bot from the group"},
		"bot.gone":       {VI: "không gửi được tin vào nhóm vì bot không còn ở trong nhóm", EN: "could not post in the group: the bot is no longer in it"},
		"bot.added":      {VI: "thêm bot trở lại nhóm", EN: "added the bot back to the group"},
		"bot.back":       {VI: "bot hoạt động lại trong nhóm", EN: "is back at work in the group"},
		"bot.restricted": {VI: "hạn chế quyền gửi tin của bot trong nhóm", EN: "restricted the bot from posting in the group"},
		"bot.muted": {VI: "không gửi được tin vào nhóm vì bot bị hạn chế quyền gửi tin",
			EN: "could not post in the group: the bot is restricted from sending messages there"},
		"bot.unrestricted": {VI: "cho bot gửi tin trở lại trong nhóm", EN: "let the bot post in the group again"},
	})
}

var (
	msgWelcome = bot.T{
		VI: "Xin chào! Tôi là trợ lý khối thi đua. Quản trị viên nhóm gửi <code>/setup &lt;tên khối&gt;</code> để thiết lập, rồi /help để xem các lệnh.",
		EN: "Hello! I am the emulation block assistant. A group administrator sends <code>/setup &lt;block name&gt;</code> to begin, then /help for the commands.",
	}
	msgWelcomeBack = bot.T{
		VI: "Xin chào! Nhóm này vẫn là <b>%s</b>, năm thi đua %d; số liệu của khối được giữ nguyên. Gửi /help để xem các lệnh.",
		EN: "Hello again! This group is still <b>%s</b>, emulation year %d; the block's data is all kept. Send /help for the commands.",
	}
	msgUpgraded = bot.T{
		VI: "ℹ️ Telegram đã nâng cấp nhóm lên siêu nhóm. <b>%s</b> (năm thi đua %d) tiếp tục ở đây với đầy đủ số liệu, không cần thiết lập lại. Nút bấm trên các tin nhắn trước khi nâng cấp không còn dùng được: gửi lại lệnh để có tin mới (ví dụ /covenant, /result).",
		EN: "ℹ️ Telegram upgraded this group to a supergroup. <b>%s</b> (emulation year %d) carries on here with all its data; no need to set it up again. Buttons on the messages from before the upgrade no longer work: send the command again for a new message (e.g. /covenant, /result).",
	}
	msgLateCommand = bot.T{
		VI: "lệnh /%s của bạn được gửi trong nhóm cũ, trước khi Telegram nâng cấp nhóm lên siêu nhóm, nên chưa được thực hiện. Vui lòng gửi lại tại đây.",
		EN: "your /%s command was sent in the old group, before Telegram upgraded it to a supergroup, so it was not carried out. Please send it again here.",
	}
	msgLateFile = bot.T{
		VI: "ảnh hoặc tệp của bạn được gửi trong nhóm cũ, trước khi Telegram nâng cấp nhóm lên siêu nhóm, nên chưa được ghi nhận. Vui lòng gửi lại tại đây, trả lời (reply) tin nhắn của bot về báo cáo (gửi /myreport để có tin đó).",
		EN: "your photo or file was sent in the old group, before Telegram upgraded it to a supergroup, so it was not recorded. Please send it again here, in reply to the bot's message about the report (send /myreport for one).",
	}
	msgWelcomeAfterAway = bot.T{
		VI: "Trong thời gian bot không ở trong nhóm (từ %s), bot không gửi nhắc hạn nào; bot nhắc tiếp từ lần nhắc tới. Gửi /deadlines để xem các hạn.",
		EN: "While the bot was out of the group (since %s) it sent no reminders; it carries on from the next one. Send /deadlines for the deadlines.",
	}
	msgFilesRefused = bot.T{
		VI: "⚠️ Nhóm này không cho bot gửi %[1]s, nên bot chưa gửi được %[1]s bạn cần. Quản trị viên nhóm vui lòng cho bot quyền gửi %[1]s (hoặc đặt bot làm quản trị viên), rồi %[2]s.",
		EN: "⚠️ This group does not let the bot send %[1]s, so it could not send the %[1]s you asked for. A group administrator, please allow the bot to send %[1]s (or make it an administrator), then %[2]s.",
	}
	msgFiles             = bot.T{VI: "tệp", EN: "files"}
	msgPhotos            = bot.T{VI: "ảnh", EN: "photos"}
	msgSendAgain         = bot.T{VI: "gửi lại %s", EN: "send %s again"}
	msgPressAgain        = bot.T{VI: "bấm lại nút", EN: "press the button again"}
	msgWelcomeAfterMuted = bot.T{
		VI: "Trong thời gian bot bị hạn chế quyền gửi tin trong nhóm (từ %s), bot không gửi nhắc hạn nào; bot nhắc tiếp từ lần nhắc tới. Gửi /deadlines để xem các hạn.",
		EN: "While the bot was restricted from posting in the group (since %s) it sent no reminders; it carries on from the next one. Send /deadlines for the deadlines.",
	}
)

// presence is where the bot stands in a group, as far as posting there
// goes.
type presence int

const (
	absent  presence = iota // out of the group: left, removed, or restricted outside it
	muted                   // in the group, restricted from sending messages
	present                 // in the group, and may post
)

// presenceOf reads the bot's presence from its membership m: a restricted
// member (Telegram's ChatMemberRestricted) is in the group only while
// is_member, and may post only while can_send_messages.
func presenceOf(m tgbotapi.ChatMember) presence {
	switch {
	case m.Status == "kicked" || m.Status == "left" || m.Status == "restricted" && !m.IsMember:
		return absent
	case m.Status == "restricted" && !m.CanSendMessages:
		return muted
	}
	return present
}

// handleMyChatMember follows a change of the bot's own status: in a private
// chat, whether the user can be messaged (blocked or started again); in a
// group, its removal and its restriction from posting (see botAway), and
// its arrival or freedom to post again (see botAdded). A change that
// leaves it where it stood (see presence), an administrator made a
// member, say, changes nothing.
func (r *Router) handleMyChatMember(ctx context.Context, u tgbotapi.Update) error {
	m := u.MyChatMember
	now := presenceOf(m.NewChatMember)
	if m.Chat.IsPrivate() {
		return r.cfg.Store.SetReachable(ctx, m.From.ID, now != absent)
	}
	if now == presenceOf(m.OldChatMember) {
		return nil
	}
	q := r.newRequest(ctx, u, &m.From, &m.Chat, nil)
	at := time.Unix(int64(m.Date), 0)
	return q.once(func() error {
		switch now {
		case absent:
			return r.botAway(q, "the bot was removed from the block's group", func(b *thidua.Block, a thidua.Actor) bool { return b.BotRemoved(a, at) })
		case muted:
			until := restrictedUntil(m.NewChatMember)
			return r.botAway(q, "the bot was restricted from posting in the block's group", func(b *thidua.Block, a thidua.Actor) bool { return b.BotRestricted(a, at, until) })
		}
		return r.botAdded(q, at)
	})
}

// restrictedUntil is when the restriction of the member m ends by itself
// (Telegram's until_date), zero for one without end.
func restrictedUntil(m tgbotapi.ChatMember) time.Time {
	if m.UntilDate <= 0 {
		return time.Time{}
	}
	return time.Unix(m.UntilDate, 0)
}

// botAway records, in the block of the group the bot was removed from or
// restricted in (if it has one), by mark, who did it and when, logging it
// as what: the scheduler sends the group nothing until the bot is back
// (see thidua.Block.BotRemoved). Nothing can be said in the group.
func (r *Router) botAway(q *request, what string, mark func(*thidua.Block, thidua.Actor) bool) error {
	b, err := q.block()
	if errors.Is(err, errNoBlock) {
		return nil
	}
	if err != nil {
		return err
	}
	a := q.asker()
	r.cfg.Log.Info(what, "block", b.ID, "chat", b.ChatID, "by", a.UserID)
	return r.recordAway(q.ctx, b.ID, func(b *thidua.Block) bool { return mark(b, a) })
}

// botAdded greets a group the bot was added to, or may post in again, in
// the group's language (not that of whoever added it: the greeting is for
// everyone): a group without a block is told how to set it up; a block's
// group, in its home topic, that its data is all there and, when the bot
// had been removed or restricted, that the reminders due meanwhile were
// not sent and those to come will be (see thidua.Block.BotAdded). A
// greeting General refuses, closed while the bot was away, is not a
// failure: the block records General closed (see request.mayNotPost).
func (r *Router) botAdded(q *request, at time.Time) error {
	l := r.cfg.Lang
	text := msgWelcome.In(l)
	b, err := q.block()
	switch {
	case err == nil:
		text = msgWelcomeBack.F(l, bot.Escape(b.Name), b.Year)
		q.thread = b.HomeThread()
		var away *thidua.Attribution
		note := msgWelcomeAfterAway
		a := q.asker()
		if _, err := r.cfg.Store.UpdateParts(q.ctx, b.ID, thidua.PartSchedule, func(b *thidua.Block) error {
			if b.Schedule.Muted {
				note = msgWelcomeAfterMuted
			}
			if away = b.BotAdded(a, at); away == nil {
				return errUnchanged
			}
			return nil
		}); err != nil && !errors.Is(err, errUnchanged) {
			return wrapStore(err)
		}
		if away != nil {
			text += "\n" + note.F(l, thidua.FormatDateTime(away.At, b.Location()))
		}
	case !errors.Is(err, errNoBlock):
		return err
	}
	mc := tgbotapi.NewMessage(q.chat.ID, text)
	mc.ParseMode = tgbotapi.ModeHTML
	if _, err = r.sendTo(q.ctx, mc, &q.thread); q.mayNotPost(err) {
		return nil // General, closed meanwhile, refused it: recorded
	}
	return err
}

// recordAway records, by mark, that the bot is away from the group of
// block blockID, out of it or restricted from posting there; mark reports
// whether that changes the block.
func (r *Router) recordAway(ctx context.Context, blockID string, mark func(*thidua.Block) bool) error {
	_, err := r.cfg.Store.UpdateParts(ctx, blockID, thidua.PartSchedule, func(b *thidua.Block) error {
		if !mark(b) {
			return errUnchanged
		}
		return nil
	})
	if err != nil && !errors.Is(err, errUnchanged) {
		return wrapStore(err)
	}
	return nil
}

// cannotPost reports whether err is Telegram's refusal to post in the
// group of block b because the bot is not in it (removed while the bot did
// not hear of it, or the group deleted) or may not send messages there
// (restricted, see isRestricted). If so it records that the bot is away
// from the group (see thidua.Block.BotGone, BotMuted), logging it unless b
// recorded it already (a restriction whose end has come counts as ended),
// so that the scheduler, which calls it with the outcome of what it posts,
// stops posting there until the bot is back, rather than failing again at
// every attempt. So it does with a refusal because the General topic,
// where the post went or fell back to (see sendIn), is closed: it records
// that (see generalClosed), and the scheduler posts nothing there until
// it is open again (see thidua.Block.GeneralHomeClosed). A post that went
// through (err nil) while b records the bot away, which the scheduler
// makes once a restriction's end has come (see thidua.Block.BotAwayAt),
// records the bot's return.
func (r *Router) cannotPost(ctx context.Context, b *thidua.Block, err error) bool {
	if err == nil && b.Schedule.Away != nil {
		r.botBack(ctx, b.ID)
	}
	if bot.TopicClosed(err) {
		r.generalClosed(ctx, b.ID, err)
		return true
	}
	restricted := isRestricted(err)
	if !restricted && !isForbidden(err) {
		return false
	}
	now := r.now()
	if !b.BotAwayAt(now) || b.Schedule.Muted != restricted {
		r.cfg.Log.Warn(awayReason(restricted, "the block's group")+": nothing is posted there until it is back",
			"block", b.ID, "chat", b.ChatID, "err", err)
	}
	if rerr := r.recordAway(ctx, b.ID, func(b *thidua.Block) bool {
		if restricted {
			return b.BotMuted(now)
		}
		return b.BotGone(now)
	}); rerr != nil {
		r.cfg.Log.Warn("the bot's absence from the group not recorded", "block", b.ID, "err", rerr)
	}
	return true
}

// awayReason says, for the logs, why the bot posts nothing in where (a
// group): it is not in it, or, restricted, may not post there.
func awayReason(restricted bool, where string) string {
	if restricted {
		return "the bot may not post in " + where
	}
	return "the bot is not in " + where
}

// isRestricted reports whether Telegram refused a post because the bot may
// not send messages in the chat: an administrator restricted it (400 "Bad
// Request: not enough rights to send text messages to the chat", or "have
// no rights to send a message" as older servers word it). A file refused
// for want of the right to send files of its kind is not that (see
// refusedFiles): the bot may still post text.
func isRestricted(err error) bool {
	var te *tgbotapi.Error
	return errors.As(err, &te) && te.Code == http.StatusBadRequest && refusedFiles(err) == "" &&
		(strings.Contains(te.Message, "not enough rights to send") || strings.Contains(te.Message, "have no rights to send"))
}

// refusedFiles returns the kind of file, "documents" or "photos", that
// Telegram refused to take from the bot because the chat does not let it
// send that kind (400 "Bad Request: not enough rights to send documents to
// the chat", or photos): an administrator may restrict a member from
// sending files while letting them send text, each kind apart (Telegram's
// ChatPermissions, can_send_documents and can_send_photos). It returns ""
// for any other error. The code is not checked: the description alone
// names the kind (the sender gives an upload's refusal its code, which
// tgbotapi leaves out, see bot.Sender).
func refusedFiles(err error) string {
	var te *tgbotapi.Error
	if !errors.As(err, &te) {
		return ""
	}
	for _, kind := range []string{"documents", "photos"} {
		if strings.Contains(te.Message, "not enough rights to send "+kind) {
			return kind
		}
	}
	return ""
}

// answerFilesRefused answers a request whose files Telegram refused for
// want of the right to send them in the group (see refusedFiles): the
// asker is told that the group does not let the bot send files (or
// photos), and that an administrator may allow it, or make the bot an
// administrator, after which they ask again, sending the command as they
// sent it or pressing the button again. On a press already answered, as
// evidence sent again is, it is said in the group, naming them (see tell).
// The bot is not away from the group, which lets it post text: should the
// answer be refused too, guard records that (see mayNotPost).
func (q *request) answerFilesRefused(kind string) error {
	q.r.cfg.Log.Info("files refused: the group does not let the bot send them", "chat", q.chat.ID, "kind", kind)
	what := msgFiles
	if kind == "photos" {
		what = msgPhotos
	}
	again := msgPressAgain.In(q.lang)
	if q.callback == nil && q.msg != nil {
		again = msgSendAgain.F(q.lang, bot.Escape(strings.TrimSpace("/"+q.msg.Command()+" "+q.args)))
	}
	return q.tell(msgFilesRefused.F(q.lang, what.In(q.lang), again))
}

// backInGroup clears the record that the bot is away from the group (see
// thidua.Block.BotBack) in the block the request saw, when the request
// shows that the bot is back although Telegram did not tell it so (an
// update lost while the bot was down, or a refusal taken for an absence,
// see cannotPost): out of the group, by coming from the group after the
// bot left it (a message sent before says nothing of that); restricted
// from posting, only by an answer the bot posted there (as an answer
// shows either), since a restricted bot still hears the group. It writes,
// as bookkeeping, only when the block records the bot away.
func (q *request) backInGroup() {
	b := q.blk
	if b == nil || q.private() || b.Schedule.Away == nil {
		return
	}
	if !q.posted && (b.Schedule.Muted || q.msg != nil && time.Unix(int64(q.msg.Date), 0).Before(b.Schedule.Away.At)) {
		return
	}
	q.r.botBack(q.ctx, b.ID)
}

// botBack records, as bookkeeping, that the bot is back in the group of
// block blockID (see thidua.Block.BotBack), if the block records it away.
func (r *Router) botBack(ctx context.Context, blockID string) {
	now := r.now()
	r.remember(ctx, blockID, "the bot's return to the group", thidua.PartSchedule, func(b *thidua.Block) error {
		if !b.BotBack(now) {
			return errUnchanged
		}
		return nil
	})
}

// upgraded handles the supergroup's own notice of the upgrade of a group
// (migrate_from_chat_id), which the supergroup's updates follow: the block
// moves before any of them is handled, whichever of the two notices comes
// first (chats are handled in parallel, and replicas may each get one).
// The leader unit's representatives get their menus in the new chat at
// once, rather than at the first request there (see syncMenus), and the
// group is told that the block carries on there, and how to get buttons
// that work: Telegram tells the bot that it joined the supergroup too,
// and if the bot heard of that before the block moved, it asked for a
// /setup (see botAdded), which this notice, coming after it, puts right.
func (r *Router) upgraded(ctx context.Context, u tgbotapi.Update) error {
	m := u.Message
	if err := r.migrate(ctx, m.MigrateFromChatID, m.Chat.ID); err != nil {
		return err
	}
	r.syncMenusOf(ctx, m.Chat.ID)
	q := r.newRequest(ctx, u, m.From, m.Chat, nil)
	q.lang = r.cfg.Lang
	return q.once(func() error {
		b, err := q.block()
		if errors.Is(err, errNoBlock) {
			return nil
		}
		if err != nil {
			return err
		}
		return q.reply(msgUpgraded.F(q.lang, bot.Escape(b.Name), b.Year))
	})
}

// lateFromOldGroup handles a message of the request's basic group, which
// has no block, in case Telegram upgraded the group to a supergroup after
// the message was sent (an update the bot took late): Telegram then
// answers a call about the group naming the supergroup. If the block
// moved there, the sender is told there that their command (or, command
// unset, their photo or file for a report) was not handled and to send it
// again there: it is not carried out in the supergroup, since its replies
// and numbers are the old group's. It reports whether the group was
// upgraded; the caller answers as in a group without a block otherwise. A
// group that had no block either gets the answer of a group without a
// block to a command, and nothing otherwise. It is asked only of basic
// groups, by a getChat call.
func (q *request) lateFromOldGroup(command bool) (bool, error) {
	if q.chat.Type != "group" || q.msg == nil {
		return false, nil
	}
	_, err := q.r.cfg.Sender.Request(q.ctx, tgbotapi.ChatInfoConfig{ChatConfig: tgbotapi.ChatConfig{ChatID: q.chat.ID}})
	to, moved := bot.MigratedTo(err)
	if !moved {
		return false, nil
	}
	text := msgNoBlock.In(q.lang)
	switch _, err := q.r.cfg.Store.BlockByChat(q.ctx, to); {
	case err == nil:
		late := msgLateFile.In(q.lang)
		if command {
			late = msgLateCommand.F(q.lang, bot.Escape(q.msg.Command()))
		}
		text = bot.Mention(q.from.ID, bot.DisplayName(q.from), q.from.UserName) + ": " + late
	case !errors.Is(err, storage.ErrNotFound):
		return true, wrapStore(err)
	case !command:
		return true, nil
	}
	general := 0 // the supergroup's: the block's home topic was the basic group's (see thidua.Block.MoveChat)
	_, err = q.r.post(q.ctx, to, &general, text, 0, nil)
	return true, err
}

// migrate moves the block of a group that Telegram upgraded to a supergroup.
func (r *Router) migrate(ctx context.Context, from, to int64) error {
	err := r.cfg.Store.MoveChat(ctx, from, to)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	r.cfg.Log.Info("group migrated to supergroup", "from", from, "to", to)
	return nil
}
