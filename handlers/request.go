package handlers

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/storage"
	"thiduabot/thidua"
)

// request is one update being handled: who asked, where, in which language,
// and the block of the chat once loaded.
type request struct {
	ctx  context.Context
	r    *Router
	upd  tgbotapi.Update
	from *tgbotapi.User
	chat *tgbotapi.Chat
	msg  *tgbotapi.Message // the message that triggered the update, if any
	// thread is the topic of the chat the request's answers go to (see
	// post): the topic of its message (of the message pressed, for a
	// press), the block's home topic for what the scheduler posts, 0 for
	// General; 0 too once Telegram refused it (see sendIn).
	thread int
	// callback is the pressed button's query, if any. Of the message the
	// button belongs to, the bot decodes only its id, chat, date and topic
	// (see the bot package's update.go): a handler edits it by id, and
	// cannot read its text or keyboard.
	callback *tgbotapi.CallbackQuery
	lang     bot.Lang
	cmd      *command
	args     string

	blk      *thidua.Block
	isAdmin  *bool
	answered bool
	// answerFailed is set when Telegram failed the answer to the button
	// press (see answer), which it then counts as unanswered.
	answerFailed bool
	// confirmErr is the failure of a callback answer with text given after
	// the change was stored, the change's confirmation, which the handler
	// carried on from: guard then tells the asker the change is saved.
	confirmErr error
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
	// redelivered is set once update found the update applied before and
	// answered it (by replay, or "already recorded"): a handler on a
	// frequent path, which sets no replay, finishes then what its first
	// delivery did after the answer (see report).
	redelivered bool
	// storeErr is the store's failure in the request's first read (see
	// once): the request makes no more calls that would fail the same way.
	storeErr error
	// afterAnswer is what the handler left for after its answer (see
	// later): messages that follow the change, edited once the one who
	// asked has heard.
	afterAnswer []func()
	// posted is set once the request posted a message in its chat (see
	// send), which shows that the bot may post there (see backInGroup).
	posted bool

	// writeFirst marks a request whose handler reads the chat's block in
	// order to change it (command.writeFirst): once runs it first on the
	// block this process has cached, without the first read (speculate).
	writeFirst bool
	// speculative is set while the request runs on the cached block, not
	// yet confirmed current by a read or a write.
	speculative bool
	// stale is set when a speculative run found its block outdated, or the
	// update handled before: every answer and write of the request then
	// stops with errStale, and once handles the update again.
	stale bool
	// checked is the first read that ended a speculative run (see settle),
	// from which once handles the update again.
	checked *firstRead
}

// firstRead is what the first read of a request in a group finds
// (storage.Store.BlockForUpdate).
type firstRead struct {
	blk     *thidua.Block
	handled bool
	err     error
}

// errStale ends a speculative run whose block turned out outdated (see
// speculate); once handles the update again, and users never see it.
var errStale = errors.New("handlers: the cached block was outdated")

func (r *Router) newRequest(ctx context.Context, u tgbotapi.Update, from *tgbotapi.User, chat *tgbotapi.Chat, msg *tgbotapi.Message) *request {
	return &request{ctx: ctx, r: r, upd: u, from: from, chat: chat, msg: msg, thread: bot.TopicOf(ctx).Thread, lang: bot.LangOf(from, r.cfg.Lang)}
}

func (q *request) private() bool { return q.chat.IsPrivate() }

// later has guard run fn once the handler has answered (or failed): for
// the messages a change edits besides its answer, which may wait for the
// group's rate limit where the answer should not.
func (q *request) later(fn func()) { q.afterAnswer = append(q.afterAnswer, fn) }

// retireLater edits, after the answer (see later), one of the bot's earlier
// messages in the chat to text, without its buttons: a message whose
// buttons the request's change left deciding nothing (a submission
// reviewed, a join request or a draft replaced, a covenant post
// superseded). A failed edit is logged as "<what> not edited": the change
// stands.
func (q *request) retireLater(messageID int, text, what string) {
	q.later(func() {
		if err := q.edit(q.chat.ID, messageID, text, nil); err != nil {
			q.r.cfg.Log.Warn(what+" not edited", "chat", q.chat.ID, "message", messageID, "err", err)
		}
	})
}

// errReplied tells guard that the handler already told the user what went
// wrong, so nothing more is to be said.
var errReplied = errors.New("handlers: already answered")

// guard runs a handler and turns the errors it returns into polite answers:
// domain errors into their Vietnamese (or English) explanation, storage
// failures into "not saved, please resend". Only unexpected errors reach the
// dispatcher, which apologises for them; but once the handler has stored its
// change, a failure to confirm it (a reply or edit Telegram failed, a
// callback answer with text it failed, a panic) is answered by guard, which
// says the change is saved and is not to be sent again, and reaches the
// dispatcher marked bot.ErrSaved (see unconfirmed). An answer refused
// because the bot may not post in the group ends the request quietly (see
// mayNotPost).
func (q *request) guard(fn func(*request) error) error {
	err := q.call(fn)
	defer q.afterwards(err)
	if q.mayNotPost(err) || q.mayNotPost(q.confirmErr) {
		return nil
	}
	if err = q.conclude(err); err != nil && q.mayNotPost(err) {
		return nil
	}
	return err
}

// remark replies text to the update outside a handler's guard (a command
// edited, unknown, or in a caption): like guard, it ends the request
// quietly when Telegram refuses the reply because the bot may not post in
// the group (see mayNotPost).
func (q *request) remark(text string) error {
	if err := q.reply(text); !q.mayNotPost(err) {
		return err
	}
	return nil
}

// mayNotPost reports whether err, the outcome of a request from a block's
// group, is Telegram's refusal of its answer because the bot may not post
// there (restricted without the bot being told, see isRestricted), or not
// in General, closed (the request's topic, or the one its answer fell
// back to, see sendIn): then it records the restriction, or the closing,
// as the scheduler's refusals do (cannotPost), which logs it once, and the
// request ends there, with no notice or apology that Telegram would refuse
// too. It checks nothing for a nil err.
func (q *request) mayNotPost(err error) bool {
	if err == nil || q.private() || !isRestricted(err) && !bot.TopicClosed(err) {
		return false
	}
	b, berr := q.block()
	return berr == nil && q.r.cannotPost(q.ctx, b, err)
}

// conclude answers the handler's outcome err for guard: a domain error's
// message, a store failure's notice, a saved change's notice; what is left
// is the dispatcher's to apologise for.
func (q *request) conclude(err error) error {
	switch {
	case err == nil && q.confirmErr != nil:
		return q.unconfirmed(q.confirmErr)
	case err == nil:
		if q.callback != nil && !q.answered {
			return q.answer("", false)
		}
		return nil
	case errors.Is(err, errReplied):
		return nil
	case thidua.IsDomain(err):
		return q.fail(domainMessage(err, q))
	case errors.Is(err, errNoBlock) && q.callback != nil && !q.private():
		// The bot's buttons are only ever under a block's messages: this
		// group's block moved when Telegram upgraded it to a supergroup.
		return q.fail(msgBlockMoved.In(q.lang))
	case errors.Is(err, errNoBlock):
		if late, err := q.lateFromOldGroup(true); late || err != nil {
			return err
		}
		return q.fail(msgNoBlock.In(q.lang))
	case isStoreError(err):
		q.r.cfg.Log.Error("storage failure", "err", err, "chat", q.chat.ID, "update", q.upd.UpdateID)
		return q.fail(msgStorageDown.In(q.lang))
	case q.applied:
		// An apology's "try again" would make the change twice.
		return q.unconfirmed(err)
	case refusedFiles(err) != "":
		return q.answerFilesRefused(refusedFiles(err))
	}
	// The dispatcher apologises for it: an answer like any other.
	if serr := q.settle(); serr != nil {
		return serr
	}
	return err
}

// afterwards runs, once guard has answered the handler's outcome err, what
// follows the answer, in order: what the handler left for later (see
// later), the asker's name brought up to date, the bot's presence in the
// group and whether the group has topics unless the store failed (see
// refreshProfile, backInGroup, followTopics), and the menus of the leader
// unit's representatives (see syncMenus). A run found stale does none of
// it: once runs the handler again, which leaves it anew. A panic in a step is logged and goes no
// further: the asker has had their answer, and the dispatcher's apology
// would have them ask again.
func (q *request) afterwards(err error) {
	steps := q.afterAnswer
	q.afterAnswer = nil
	if q.stale {
		return
	}
	for _, step := range steps {
		q.contain(step)
	}
	if q.storeErr == nil && !isStoreError(err) {
		q.contain(q.refreshProfile)
		q.contain(q.backInGroup)
		q.contain(q.followTopics)
	}
	q.contain(q.syncMenus)
}

// contain runs step, logging a panic instead of letting it through.
func (q *request) contain(step func()) {
	defer func() {
		if p := recover(); p != nil {
			q.r.cfg.Log.Error("panic after the answer", "panic", p, "stack", string(debug.Stack()),
				"chat", q.chat.ID, "update", q.upd.UpdateID)
		}
	}()
	step()
}

// call runs the handler. A panic after the handler stored its change is
// recovered and returned as an error, for guard to tell the asker the change
// is saved; any other panic goes on to the dispatcher, which apologises.
func (q *request) call(fn func(*request) error) (err error) {
	defer func() {
		if !q.applied {
			return
		}
		if p := recover(); p != nil {
			err = fmt.Errorf("panic after the change was stored: %v\n%s", p, debug.Stack())
		}
	}()
	return fn(q)
}

// savedNoticeTimeout bounds the notice of a change saved but not confirmed
// (see unconfirmed), which has a time of its own: the confirmation may have
// failed because the request's time ran out.
var savedNoticeTimeout = 30 * time.Second

// unconfirmed tells the asker that the change their request stored is saved
// although its confirmation failed (cause), that they should not send it
// again, and where to see it: in the answer to their button press while
// Telegram counts it unanswered, otherwise, or when Telegram refuses that
// answer too (a press it no longer lets the bot answer), in the chat,
// replying to their message or, for a press, naming them. The notice is
// sent within savedNoticeTimeout of its own, not cancelled with the
// request, whose time may be what ran out (a confirmation held back by
// Telegram's flood control past the handler's limit); so it still goes
// out, and a shutdown waits for it no longer than that. It returns cause
// marked bot.ErrSaved, with the notice's own failure if any, for the
// dispatcher to log without apologising.
func (q *request) unconfirmed(cause error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(q.ctx), savedNoticeTimeout)
	defer cancel()
	reqCtx := q.ctx
	q.ctx = ctx
	defer func() { q.ctx = reqCtx }()
	if err := q.tell(msgSavedUnconfirmed.In(q.lang)); err != nil {
		return fmt.Errorf("%w, but %w; telling the user so failed too: %w", bot.ErrSaved, cause, err)
	}
	return fmt.Errorf("%w, but %w", bot.ErrSaved, cause)
}

// tell tells the asker text once the request may have answered: in the
// answer to their button press while Telegram counts it unanswered,
// otherwise, or when Telegram refuses that answer, in the chat, replying
// to their message or, for a press, naming them.
func (q *request) tell(text string) error {
	var toastErr error
	if q.callback != nil && (!q.answered || q.answerFailed) {
		q.answered = true
		if toastErr = q.toast(plainText(text), true); toastErr == nil {
			return nil
		}
	}
	if q.callback != nil && q.from != nil {
		// A press has no message of the asker's to reply to: name them.
		text = bot.Mention(q.from.ID, bot.DisplayName(q.from), q.from.UserName) + ": " + text
	}
	if err := q.reply(text); err != nil {
		return errors.Join(toastErr, err)
	}
	return nil
}

// refreshProfile brings the name, username and language stored for the
// asker, when they represent a unit of the block the request saw, up to
// what Telegram now says, so that /units, mentions and reminders name
// people as they call themselves after a rename, and the bot's direct
// messages follow the language of their app (an update that does not say
// it leaves the stored one). It writes, as bookkeeping without history,
// only when they differ, in the block the request saw and in the current
// one.
func (q *request) refreshProfile() {
	if q.blk == nil || q.from == nil {
		return
	}
	a := q.asker()
	if rp := q.blk.RepOf(a.UserID); rp == nil || rp.HasProfile(a) {
		return
	}
	q.r.remember(q.ctx, q.blk.ID, "representative's profile", 0, func(b *thidua.Block) error {
		if !b.UpdateProfile(a) {
			return errUnchanged
		}
		return nil
	})
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
	if err == nil || thidua.IsDomain(err) || errors.Is(err, errReplied) || errors.Is(err, errAlreadyApplied) || errors.Is(err, errStale) {
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
//
// A request marked writeFirst is first run without the first read, on the
// block this process has cached (see speculate); the check that the update
// is new then comes with its write or, if it answers without writing, with
// the read it makes before answering. Such a run that panics after finding
// its block outdated is not run again, and the update not remembered.
func (q *request) once(fn func() error) error {
	d := q.r.cfg.Dedupe
	if d == nil {
		return fn()
	}
	if q.writeFirst && !q.private() {
		if done, err := q.speculate(fn); done {
			return err
		}
	}
	id := int64(q.upd.UpdateID)
	var read firstRead
	switch {
	case q.checked != nil:
		read = *q.checked
	case q.private():
		read.handled, read.err = q.r.cfg.Store.UpdateHandled(q.ctx, d.Scope, id)
	default:
		read.blk, read.handled, read.err = q.r.cfg.Store.BlockForUpdate(q.ctx, q.chat.ID, d.Scope, id)
	}
	q.blk = read.blk
	switch {
	case read.err != nil:
		// Handle it anyway, and spare the user a second wait for a store
		// that is down: the request's reads fail at once (see block), and
		// the update is not remembered; handling it again, should Telegram
		// deliver it again, is harmless.
		q.r.cfg.Log.Warn("could not check for a duplicate update; handling it", "update", id, "err", read.err)
		q.storeErr = read.err
		return fn()
	case read.handled:
		return bot.ErrDuplicate
	}
	defer q.markHandled()
	return fn()
}

// speculate runs fn, for a request marked writeFirst, on the block this
// process has cached for the chat, skipping the request's first read: a
// change writes with a check that the block is still at that version, and
// the first answer of a run that wrote nothing reads the block then (see
// settle). So an update that changes the block costs one round trip, the
// write, where it costs two after a first read, and one that changes
// nothing costs what it costs without speculation. If the block turns out
// outdated, nothing was written or said: the cache holds the current block
// (the write or the read brought it), and speculate runs fn again from it,
// or reports that once is to handle the update as usual, from the read when
// there was one. It reports whether the update was handled, and fn's
// error.
func (q *request) speculate(fn func() error) (bool, error) {
	for range 2 {
		b := q.r.cfg.Store.CachedBlockByChat(q.chat.ID)
		if b == nil {
			return false, nil
		}
		q.blk, q.speculative, q.stale = b, true, false
		if done, err := q.run(fn); done {
			return true, err
		}
		if q.checked != nil {
			break
		}
	}
	q.blk, q.speculative, q.stale = nil, false, false
	return false, nil
}

// run runs fn speculatively (see speculate) and remembers the update as
// handled, as once does, unless the run was stale; it reports whether it
// was not, and fn's error.
func (q *request) run(fn func() error) (done bool, err error) {
	defer func() {
		if !q.stale {
			q.speculative = false
			q.markHandled()
		}
	}()
	err = fn()
	return !q.stale, err
}

// markHandled remembers the update as handled unless it changed the block,
// whose record of applied updates then remembers it (see once).
func (q *request) markHandled() {
	if q.applied {
		return
	}
	d, id := q.r.cfg.Dedupe, int64(q.upd.UpdateID)
	if _, err := q.r.cfg.Store.MarkUpdateHandled(q.ctx, d.Scope, id, d.TTL); err != nil {
		q.r.cfg.Log.Warn("could not mark update handled", "update", id, "err", err)
	}
}

// settle is called before each of the request's answers. In a speculative
// run (see speculate) it makes the first one rest on the current block: it
// makes the first read the run skipped and goes on if the block is still at
// the version the run started from and the update new; otherwise it ends
// the run with errStale, keeping the read for once. Outside a speculative
// run it does nothing.
func (q *request) settle() error {
	if q.stale {
		return errStale
	}
	if !q.speculative {
		return nil
	}
	var read firstRead
	read.blk, read.handled, read.err = q.r.cfg.Store.BlockForUpdate(q.ctx, q.chat.ID, q.r.cfg.Dedupe.Scope, int64(q.upd.UpdateID))
	if read.err == nil && !read.handled && read.blk != nil && read.blk.Version == q.blk.Version {
		q.blk, q.speculative = read.blk, false
		return nil
	}
	q.checked, q.stale = &read, true
	return errStale
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
//
// In a speculative run (see speculate) fn may run only on the block the run
// started from: if the store finds a newer one, the run was deciding from an
// outdated block, and it ends with errStale, having written nothing; so it
// does if the update was marked handled, which the write checks in its
// place (storage.UnlessHandled), and once then skips it as a duplicate. A
// store failure also ends it, so that once answers it without another call
// to a store that is down.
func (q *request) updateParts(parts thidua.Part, fn func(b *thidua.Block) error) (*thidua.Block, error) {
	if q.stale {
		return nil, errStale
	}
	b, err := q.block()
	if err != nil {
		return nil, err
	}
	id, base := int64(q.upd.UpdateID), b.Version
	ctx := q.ctx
	if q.speculative {
		// The first read's check of the update's mark was skipped: the
		// write makes it.
		ctx = storage.UnlessHandled(ctx, q.r.cfg.Dedupe.Scope, id)
	}
	var refused error // fn's error, which the store returns unchanged
	nb, err := q.r.cfg.Store.UpdateParts(ctx, b.ID, parts, func(b *thidua.Block) error {
		if q.speculative && b.Version != base {
			return errStale
		}
		if b.HasApplied(id) {
			return errAlreadyApplied
		}
		if refused = fn(b); refused != nil {
			return refused
		}
		b.MarkApplied(id)
		return nil
	})
	if errors.Is(err, errAlreadyApplied) {
		q.redelivered = true
		if q.replay != nil {
			if err := q.replay(); err != nil {
				return nil, err
			}
		} else {
			_ = q.fail(msgAlreadyApplied.In(q.lang))
		}
		return nil, errReplied
	}
	if errors.Is(err, errStale) {
		q.stale = true
		return nil, errStale
	}
	if errors.Is(err, storage.ErrHandled) {
		q.checked, q.stale = &firstRead{handled: true}, true
		return nil, errStale
	}
	if err != nil && err != refused && q.speculative {
		// The store failed: handle the update as after a failed first
		// read, which answers at once that nothing was saved.
		q.checked, q.stale = &firstRead{err: err}, true
		return nil, errStale
	}
	if err != nil {
		return nil, wrapStore(err)
	}
	q.blk, q.applied, q.speculative = nb, true, false
	return nb, nil
}

// remember writes bookkeeping of the transport into a part of a block, such
// as the id of a message the bot has just sent, with an update of its own
// after the change the message is about was stored. A failure is logged,
// not returned: the change stands, and each feature works without the
// record, if less conveniently. fn returns errUnchanged to write nothing.
func (r *Router) remember(ctx context.Context, blockID, what string, part thidua.Part, fn func(*thidua.Block) error) {
	if _, err := r.cfg.Store.UpdateParts(ctx, blockID, part, fn); err != nil && !errors.Is(err, errUnchanged) {
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

// managedBlock returns the chat's block and the asker, provided they may
// manage it (see manager): the start of every manager's command and button.
func (q *request) managedBlock() (*thidua.Block, thidua.Actor, error) {
	b, err := q.block()
	if err != nil {
		return nil, thidua.Actor{}, err
	}
	a, err := q.manager(b)
	return b, a, err
}

// actor describes the asker for the domain, with their admin rights.
func (q *request) actor() (thidua.Actor, error) {
	adm, err := q.admin()
	if err != nil {
		return thidua.Actor{}, err
	}
	if q.msg != nil && bot.IsAnonymousAdmin(q.msg) {
		return thidua.Actor{UserID: q.chat.ID, Name: q.askerName(), Admin: true}, nil
	}
	a := q.asker()
	a.Admin = adm
	return a, nil
}

// asker describes the asker for the domain as Telegram shows them (id,
// name, username and the language of their app), without their admin
// rights (see actor).
func (q *request) asker() thidua.Actor {
	return thidua.Actor{UserID: q.from.ID, Name: bot.DisplayName(q.from), Username: q.from.UserName, Lang: q.from.LanguageCode}
}

// askerName is the name the asker goes by in the block's messages: theirs,
// or, for an anonymous administrator, one naming the group, in the block's
// language.
func (q *request) askerName() string {
	if q.msg != nil && bot.IsAnonymousAdmin(q.msg) {
		return msgAnonymousAdmin.F(q.r.cfg.Lang, q.chat.Title)
	}
	return bot.DisplayName(q.from)
}

// manager returns the asker as an actor if they may run the block, or answers
// with a refusal and returns errReplied. The refusal tells a representative
// of the unit elected to lead the next year that it takes up the running
// of the block at the turn (/newyear), on a button in a shorter form that
// its alert holds whole.
func (q *request) manager(b *thidua.Block) (thidua.Actor, error) {
	a, err := q.actor()
	if err != nil {
		return a, err
	}
	if !b.CanManage(a) {
		if rp := b.RepOf(a.UserID); rp != nil {
			if next, elected := b.NextHolder(thidua.RoleLeader); elected && next == rp.UnitID {
				if q.callback != nil {
					_ = q.answer(msgLeaderElectNotYetShort.F(q.lang, shorten(b.UnitName(next), 40), b.Year+1), true)
				} else {
					_ = q.reply(msgLeaderElectNotYet.F(q.lang, bot.Escape(b.UnitName(next)), b.Year+1, b.Year))
				}
				return a, errReplied
			}
		}
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
	y := q.year()
	text := bot.T{VI: dated(problem.VI, y), EN: dated(problem.EN, y)}.F(q.lang, args...)
	if q.cmd != nil {
		text += "\n" + msgUsage.F(q.lang, q.cmd.name, bot.Escape(q.cmd.usage.In(q.lang)))
		if ex := q.cmd.exampleIn(q.lang, q.year()); ex != "" {
			text += "\n" + msgExample.F(q.lang, bot.Escape(ex))
		}
	}
	_ = q.fail(text)
	return errReplied
}

// year is the year the request's examples are dated in (see dated): its
// block's, or the current one when it has read no block.
func (q *request) year() int {
	if q.blk != nil {
		return q.blk.Year
	}
	return q.r.now().Year()
}

// noArguments refuses, with the command's usage, arguments given to a
// command that takes none and acts at once, returning errReplied: someone
// who thought it took some (a date to close registration on) would
// otherwise see it done unasked. Without arguments it returns nil.
func (q *request) noArguments() error {
	if q.args == "" {
		return nil
	}
	return q.usage(msgNoArguments)
}

// reply sends an HTML message to the chat, in the request's topic, as a
// reply to the triggering message when there is one. Long texts are split
// at line boundaries.
func (q *request) reply(text string) error {
	_, err := q.send(text, nil)
	return err
}

// send posts an HTML message to the chat, in the request's topic, with an
// optional inline keyboard (attached to the last part of a long text) and
// returns the last message.
func (q *request) send(text string, kb *tgbotapi.InlineKeyboardMarkup) (tgbotapi.Message, error) {
	return q.sendParts(bot.Split(text, bot.MaxMessageLen), kb)
}

// replyItems answers with the text of items joined by line ends (a list
// whose entries take a line or more each), split between items when long
// (see bot.SplitItems), so that no message starts with a line that belongs
// to an entry the message before holds.
func (q *request) replyItems(items []string) error {
	_, err := q.sendParts(bot.SplitItems(items, bot.MaxMessageLen), nil)
	return err
}

// sendParts posts the parts of a long HTML message, each within Telegram's
// limit, as send does.
func (q *request) sendParts(parts []string, kb *tgbotapi.InlineKeyboardMarkup) (tgbotapi.Message, error) {
	if err := q.settle(); err != nil {
		return tgbotapi.Message{}, err
	}
	replyTo := 0
	if q.msg != nil {
		replyTo = q.msg.MessageID
	}
	m, err := q.r.postParts(q.ctx, q.chat.ID, &q.thread, parts, replyTo, kb)
	q.posted = q.posted || err == nil
	return m, err
}

// post sends an HTML message to a chat, in its topic *thread (0 for
// General; see sendIn), split at line boundaries when long (see
// postParts). It returns the last message sent.
func (r *Router) post(ctx context.Context, chatID int64, thread *int, text string, replyTo int, kb *tgbotapi.InlineKeyboardMarkup) (tgbotapi.Message, error) {
	return r.postParts(ctx, chatID, thread, bot.Split(text, bot.MaxMessageLen), replyTo, kb)
}

// postParts sends the parts of a long HTML message to a chat, in its topic
// *thread, one message each: the first replies to message replyTo (if not
// 0), the last carries the keyboard (if any). It returns the last message
// sent.
func (r *Router) postParts(ctx context.Context, chatID int64, thread *int, parts []string, replyTo int, kb *tgbotapi.InlineKeyboardMarkup) (tgbotapi.Message, error) {
	var last tgbotapi.Message
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
		m, err := r.sendTo(ctx, mc, thread)
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
// returned; only errStale is (see settle). When it confirmed the stored
// change, guard says afterwards that the change is saved.
func (q *request) answer(text string, alert bool) error {
	if q.callback == nil || q.answered {
		return nil
	}
	if err := q.settle(); err != nil {
		return err
	}
	q.answered = true
	if err := q.toast(text, alert); err != nil {
		// What the press changed is stored, and the messages that follow
		// matter more than the toast: log, and carry on.
		q.r.cfg.Log.Warn("callback query not answered", "chat", q.chat.ID, "err", err)
		q.answerFailed = true
		if q.applied && text != "" {
			q.confirmErr = err
		}
	}
	return nil
}

// toast answers the button press that triggered the request with a plain
// text cut to Telegram's 200 characters.
func (q *request) toast(text string, alert bool) error {
	cfg := tgbotapi.NewCallback(q.callback.ID, shorten(text, maxAnswerLen))
	cfg.ShowAlert = alert
	_, err := q.r.cfg.Sender.Request(q.ctx, cfg)
	return err
}

// edit replaces the text and keyboard of a message the bot sent earlier.
func (q *request) edit(chatID int64, messageID int, text string, kb *tgbotapi.InlineKeyboardMarkup) error {
	if err := q.settle(); err != nil {
		return err
	}
	ec := tgbotapi.NewEditMessageText(chatID, messageID, text)
	ec.ParseMode = tgbotapi.ModeHTML
	ec.DisableWebPagePreview = true
	if kb != nil {
		ec.ReplyMarkup = kb
	}
	_, err := q.r.cfg.Sender.Send(q.ctx, ec)
	return err
}

// sendTo sends a message in the topic *thread of its chat (see sendIn) and
// follows a group's upgrade to a supergroup: the block moves to the new
// chat id and the message is sent there, in General (*thread becomes 0:
// a basic group has no topics).
func (r *Router) sendTo(ctx context.Context, mc tgbotapi.MessageConfig, thread *int) (tgbotapi.Message, error) {
	m, err := r.sendIn(ctx, mc.ChatID, thread, mc)
	if to, ok := bot.MigratedTo(err); ok {
		if merr := r.migrate(ctx, mc.ChatID, to); merr != nil {
			return m, merr
		}
		mc.ChatID = to
		mc.ReplyToMessageID = 0
		*thread = 0
		return r.cfg.Sender.Send(ctx, mc)
	}
	return m, err
}

// argLines splits the arguments into non-empty trimmed lines (nil for
// none), in a slice made once with room for every line: a report comes as
// twenty lines and more, which appending one by one would copy five times.
func argLines(args string) []string {
	var out []string
	for l := range strings.SplitSeq(args, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if out == nil {
				out = make([]string, 0, strings.Count(args, "\n")+1)
			}
			out = append(out, l)
		}
	}
	return out
}
