package handlers

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/storage"
	"thiduabot/thidua"
)

// request is one update being handled: who asked, where, in which language,
// and the block of the chat once loaded.
type request struct {
	ctx      context.Context
	r        *Router
	upd      tgbotapi.Update
	from     *tgbotapi.User
	chat     *tgbotapi.Chat
	msg      *tgbotapi.Message // the message that triggered the update, if any
	callback *tgbotapi.CallbackQuery
	lang     bot.Lang
	cmd      *command
	args     string

	blk      *thidua.Block
	isAdmin  *bool
	answered bool
	// applied is set once the update changed the block (see updateParts):
	// the block's record of applied updates then guards against applying
	// it twice, and once does not mark it handled.
	applied bool
	// replay, when set, answers a redelivered update whose change is
	// already in the block (see update) instead of "already recorded": a
	// handler whose answer carries what users need next (the ballot of
	// /elect) sets it, so that a crash between the write and the answer
	// loses nothing.
	replay func() error
	// storeErr is the store's failure in the request's first read (see
	// once): the request makes no more calls that would fail the same way.
	storeErr error
}

func (r *Router) newRequest(ctx context.Context, u tgbotapi.Update, from *tgbotapi.User, chat *tgbotapi.Chat, msg *tgbotapi.Message) *request {
	return &request{ctx: ctx, r: r, upd: u, from: from, chat: chat, msg: msg, lang: bot.LangOf(from, r.cfg.Lang)}
}

func (q *request) private() bool { return q.chat.IsPrivate() }

// errReplied tells guard that the handler already told the user what went
// wrong, so nothing more is to be said.
var errReplied = errors.New("handlers: already answered")

// guard runs a handler and turns the errors it returns into polite answers:
// domain errors into their Vietnamese (or English) explanation, storage
// failures into "not saved, please resend". Only unexpected errors reach the
// dispatcher.
func (q *request) guard(fn func(*request) error) error {
	err := fn(q)
	switch {
	case err == nil:
		if q.callback != nil && !q.answered {
			return q.answer("", false)
		}
		return nil
	case errors.Is(err, errReplied):
		return nil
	case thidua.IsDomain(err):
		return q.fail(domainMessage(err, q))
	case errors.Is(err, errNoBlock):
		return q.fail(msgNoBlock.In(q.lang))
	case isStoreError(err):
		q.r.cfg.Log.Error("storage failure", "err", err, "chat", q.chat.ID, "update", q.upd.UpdateID)
		return q.fail(msgStorageDown.In(q.lang))
	}
	return err
}

// fail tells the asker what went wrong: as an alert on a button press, as a
// reply to a command.
func (q *request) fail(text string) error {
	if q.callback != nil {
		return q.answer(plainText(text), true)
	}
	return q.reply(text)
}

// storeError marks an error as coming from the store being unreachable or
// overloaded rather than from the request itself.
type storeError struct{ err error }

func (e storeError) Error() string { return "store: " + e.err.Error() }
func (e storeError) Unwrap() error { return e.err }

func isStoreError(err error) bool {
	var se storeError
	return errors.As(err, &se)
}

// wrapStore marks a store error so that guard answers it as a storage
// failure; domain errors returned through the store's Update pass unchanged.
func wrapStore(err error) error {
	if err == nil || thidua.IsDomain(err) || errors.Is(err, errReplied) || errors.Is(err, errAlreadyApplied) {
		return err
	}
	return storeError{err}
}

// errNoBlock is returned when the chat has no block yet.
var errNoBlock = errors.New("handlers: chat has no block")

// block loads the chat's block once per request. It returns errNoBlock when
// the group is not set up.
func (q *request) block() (*thidua.Block, error) {
	if q.blk != nil {
		return q.blk, nil
	}
	if q.storeErr != nil {
		return nil, wrapStore(q.storeErr)
	}
	b, err := q.r.cfg.Store.BlockByChat(q.ctx, q.chat.ID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, errNoBlock
	}
	if err != nil {
		return nil, wrapStore(err)
	}
	q.blk = b
	return b, nil
}

// once handles the update through fn unless it was handled before, and
// then remembers it as handled, when the router dedupes updates
// (Config.Dedupe). In a group the check comes with the first read of the
// chat's block (Store.BlockForUpdate), which the request keeps, so it costs
// no round trip of its own; in a private chat it is one. The update is
// remembered once fn has returned (or panicked), after the user's answer:
// should the process die in between, the update comes again and is handled
// again, and a change it made is not made twice (see update). An update
// that changed the block is not remembered here: the block's record of
// applied updates, written with the change, already keeps it from being
// applied twice, so its answer costs no round trip after the write (a
// delivery of it again is answered "already recorded"). A check that fails
// is logged and the update handled: better twice than not at all. For a
// duplicate it returns bot.ErrDuplicate, and nothing is said.
func (q *request) once(fn func() error) error {
	d := q.r.cfg.Dedupe
	if d == nil {
		return fn()
	}
	id := int64(q.upd.UpdateID)
	var (
		handled bool
		err     error
	)
	if q.private() {
		handled, err = q.r.cfg.Store.UpdateHandled(q.ctx, d.Scope, id)
	} else {
		q.blk, handled, err = q.r.cfg.Store.BlockForUpdate(q.ctx, q.chat.ID, d.Scope, id)
	}
	switch {
	case err != nil:
		// Handle it anyway, and spare the user a second wait for a store
		// that is down: the request's reads fail at once (see block), and
		// the update is not remembered; handling it again, should Telegram
		// deliver it again, is harmless.
		q.r.cfg.Log.Warn("could not check for a duplicate update; handling it", "update", id, "err", err)
		q.storeErr = err
		return fn()
	case handled:
		return bot.ErrDuplicate
	}
	defer func() {
		if q.applied {
			return
		}
		if _, err := q.r.cfg.Store.MarkUpdateHandled(q.ctx, d.Scope, id, d.TTL); err != nil {
			q.r.cfg.Log.Warn("could not mark update handled", "update", id, "err", err)
		}
	}()
	return fn()
}

// errAlreadyApplied is returned by update when this very update changed the
// block before (a redelivery after a crash between the write and the
// acknowledgement); nothing is applied twice.
var errAlreadyApplied = errors.New("handlers: update already applied")

// update changes the chat's block atomically through fn, marking the update
// as applied in the same write. On a redelivered update it answers that the
// request was already recorded and returns errReplied.
func (q *request) update(fn func(b *thidua.Block) error) (*thidua.Block, error) {
	return q.updateParts(thidua.AllParts, fn)
}

// updateParts is update for an fn that changes, besides the block's core,
// only the given parts (see storage.Store.UpdateParts): the frequent
// changes (a pledge, a report, a vote) say so, which spares the store
// copying and encoding the rest of a block grown big by the year's work.
func (q *request) updateParts(parts thidua.Part, fn func(b *thidua.Block) error) (*thidua.Block, error) {
	b, err := q.block()
	if err != nil {
		return nil, err
	}
	id := int64(q.upd.UpdateID)
	nb, err := q.r.cfg.Store.UpdateParts(q.ctx, b.ID, parts, func(b *thidua.Block) error {
		if b.HasApplied(id) {
			return errAlreadyApplied
		}
		if err := fn(b); err != nil {
			return err
		}
		b.MarkApplied(id)
		return nil
	})
	if errors.Is(err, errAlreadyApplied) {
		if q.replay != nil {
			if err := q.replay(); err != nil {
				return nil, err
			}
		} else {
			_ = q.fail(msgAlreadyApplied.In(q.lang))
		}
		return nil, errReplied
	}
	if err != nil {
		return nil, wrapStore(err)
	}
	q.blk, q.applied = nb, true
	return nb, nil
}

// remember writes bookkeeping of the transport into a part of a block, such
// as the id of a message the bot has just sent, with an update of its own
// after the change the message is about was stored. A failure is logged,
// not returned: the change stands, and each feature works without the
// record, if less conveniently.
func (r *Router) remember(ctx context.Context, blockID, what string, part thidua.Part, fn func(*thidua.Block) error) {
	if _, err := r.cfg.Store.UpdateParts(ctx, blockID, part, fn); err != nil {
		r.cfg.Log.Warn(what+" not remembered", "block", blockID, "err", err)
	}
}

// admin reports whether the asker administers the group: a creator or
// administrator by getChatMember (cached), or an anonymous administrator
// posting as the group itself.
func (q *request) admin() (bool, error) {
	if q.isAdmin != nil {
		return *q.isAdmin, nil
	}
	yes := false
	switch {
	case q.private():
	case q.msg != nil && bot.IsAnonymousAdmin(q.msg):
		yes = true
	default:
		ok, err := q.r.cfg.Admins.IsAdmin(q.ctx, q.chat.ID, q.from.ID)
		if err != nil {
			return false, fmt.Errorf("checking admin rights: %w", err)
		}
		yes = ok
	}
	q.isAdmin = &yes
	return yes, nil
}

// actor describes the asker for the domain, with their admin rights.
func (q *request) actor() (thidua.Actor, error) {
	adm, err := q.admin()
	if err != nil {
		return thidua.Actor{}, err
	}
	if q.msg != nil && bot.IsAnonymousAdmin(q.msg) {
		return thidua.Actor{UserID: q.chat.ID, Name: anonymousName(q), Admin: true}, nil
	}
	return thidua.Actor{UserID: q.from.ID, Name: bot.DisplayName(q.from), Username: q.from.UserName, Admin: adm}, nil
}

func anonymousName(q *request) string {
	return msgAnonymousAdmin.F(q.r.cfg.Lang, q.chat.Title)
}

// manager returns the asker as an actor if they may run the block, or answers
// with a refusal and returns errReplied.
func (q *request) manager(b *thidua.Block) (thidua.Actor, error) {
	a, err := q.actor()
	if err != nil {
		return a, err
	}
	if !b.CanManage(a) {
		return a, q.refuse(msgOnlyManagers)
	}
	return a, nil
}

// refuse answers with a polite refusal and returns errReplied.
func (q *request) refuse(t bot.T) error {
	_ = q.fail(t.In(q.lang))
	return errReplied
}

// usage answers with the command's usage and an explanation of what was
// wrong, and returns errReplied.
func (q *request) usage(problem bot.T, args ...any) error {
	text := problem.F(q.lang, args...)
	if q.cmd != nil {
		text += "\n" + msgUsage.F(q.lang, q.cmd.name, bot.Escape(q.cmd.usage.In(q.lang)))
		if ex := q.cmd.example.In(q.lang); ex != "" {
			text += "\n" + msgExample.F(q.lang, bot.Escape(ex))
		}
	}
	_ = q.fail(text)
	return errReplied
}

// reply sends an HTML message to the chat, as a reply to the triggering
// message when there is one. Long texts are split at line boundaries.
func (q *request) reply(text string) error {
	_, err := q.send(text, nil)
	return err
}

// send posts an HTML message to the chat with an optional inline keyboard
// (attached to the last part of a long text) and returns the last message.
func (q *request) send(text string, kb *tgbotapi.InlineKeyboardMarkup) (tgbotapi.Message, error) {
	replyTo := 0
	if q.msg != nil {
		replyTo = q.msg.MessageID
	}
	return q.r.post(q.ctx, q.chat.ID, text, replyTo, kb)
}

// post sends an HTML message to a chat, split at line boundaries when long:
// the first part replies to message replyTo (if not 0), the last carries
// the keyboard (if any). It returns the last message sent.
func (r *Router) post(ctx context.Context, chatID int64, text string, replyTo int, kb *tgbotapi.InlineKeyboardMarkup) (tgbotapi.Message, error) {
	var last tgbotapi.Message
	parts := bot.Split(text, bot.MaxMessageLen)
	for i, part := range parts {
		mc := tgbotapi.NewMessage(chatID, part)
		mc.ParseMode = tgbotapi.ModeHTML
		mc.DisableWebPagePreview = true
		if i == 0 && replyTo != 0 {
			mc.ReplyToMessageID = replyTo
			mc.AllowSendingWithoutReply = true
		}
		if i == len(parts)-1 && kb != nil {
			mc.ReplyMarkup = *kb
		}
		m, err := r.sendTo(ctx, mc)
		if err != nil {
			return last, err
		}
		last = m
	}
	return last, nil
}

// answer answers the button press that triggered the request, once, with a
// plain text cut to Telegram's 200 characters. A failed answer (the press
// waited too long behind the chat's rate limit, say) is logged, not
// returned.
func (q *request) answer(text string, alert bool) error {
	if q.callback == nil || q.answered {
		return nil
	}
	q.answered = true
	cfg := tgbotapi.NewCallback(q.callback.ID, shorten(text, maxAnswerLen))
	cfg.ShowAlert = alert
	if _, err := q.r.cfg.Sender.Request(q.ctx, cfg); err != nil {
		// What the press changed is stored, and the messages that follow
		// matter more than the toast: log, and carry on.
		q.r.cfg.Log.Warn("callback query not answered", "chat", q.chat.ID, "err", err)
	}
	return nil
}

// edit replaces the text and keyboard of a message the bot sent earlier.
func (q *request) edit(chatID int64, messageID int, text string, kb *tgbotapi.InlineKeyboardMarkup) error {
	ec := tgbotapi.NewEditMessageText(chatID, messageID, text)
	ec.ParseMode = tgbotapi.ModeHTML
	ec.DisableWebPagePreview = true
	if kb != nil {
		ec.ReplyMarkup = kb
	}
	_, err := q.r.cfg.Sender.Send(q.ctx, ec)
	return err
}

// sendTo sends a message and follows a group's upgrade to a supergroup: the
// block moves to the new chat id and the message is sent there.
func (r *Router) sendTo(ctx context.Context, mc tgbotapi.MessageConfig) (tgbotapi.Message, error) {
	m, err := r.cfg.Sender.Send(ctx, mc)
	if to, ok := bot.MigratedTo(err); ok {
		if merr := r.migrate(ctx, mc.ChatID, to); merr != nil {
			return m, merr
		}
		mc.ChatID = to
		mc.ReplyToMessageID = 0
		return r.cfg.Sender.Send(ctx, mc)
	}
	return m, err
}

// argLines splits the arguments into non-empty trimmed lines.
func argLines(args string) []string {
	var out []string
	for _, l := range strings.Split(args, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
