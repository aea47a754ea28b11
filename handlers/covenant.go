package handlers

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/storage"
	"thiduabot/thidua"
)

// This file holds the covenant (/covenant, giao ước thi đua): the leader
// opens it with a slogan and a signing deadline, and each unit whose list
// is approved signs it with the button under its post.

// registerCovenant registers /covenant and its sign button (called by
// registerRegistration, to keep the order of the commands in /help and the
// menus).
func (r *Router) registerCovenant() {
	r.add(&command{
		name: "covenant", aliases: []string{"giaouoc"}, where: inGroup, who: roleRep,
		usage:   bot.T{VI: "<khẩu hiệu> [| hạn ký dd/mm/yyyy]", EN: "<slogan> [| signing deadline dd/mm/yyyy]"},
		example: bot.T{VI: "/covenant Đoàn kết, vượt khó - Đổi mới, sáng tạo - Kịp thời, hiệu quả | 31/03/{year}", EN: "/covenant Đoàn kết, vượt khó - Đổi mới, sáng tạo - Kịp thời, hiệu quả | 31/03/{year}"},
		desc:    bot.T{VI: "Giao ước thi đua: Khối trưởng phát động kèm khẩu hiệu; đầu mối gửi /covenant để hiện lại tin giao ước và ký", EN: "The covenant: the leader opens it with a slogan; representatives send /covenant to bring it up again and sign"},
		run:     r.covenant,
	})
	r.describeActions(map[string]bot.T{
		"covenant.open":     {VI: "phát động ký giao ước", EN: "opened the covenant"},
		"covenant.sign":     {VI: "ký giao ước", EN: "signed the covenant"},
		"covenant.withdraw": {VI: "huỷ chữ ký giao ước (danh sách bị trả lại)", EN: "withdrew the covenant signature (list returned)"},
	})
	r.describeErrors(covenantErrors...)
	r.onCallback(cbSign, r.signPress)
}

// Callback data prefixes of this file.
const (
	cbSign = "cv" // cv:<post>: a representative signs the covenant for their unit
)

// covenantErrors explains the domain errors of the covenant. Those that can
// answer a button press are plain text of at most 200 characters.
var covenantErrors = []domainError{
	{thidua.ErrCovenantNoUnits, bot.T{
		VI: "Khối chưa có đơn vị nào để ký giao ước.",
		EN: "The block has no units to sign the covenant.",
	}},
	{thidua.ErrSlogan, bot.T{
		VI: fmt.Sprintf("Khẩu hiệu không được để trống và dài tối đa %d ký tự.", thidua.MaxSloganLen),
		EN: fmt.Sprintf("The slogan must not be empty and is at most %d characters long.", thidua.MaxSloganLen),
	}},
	{thidua.ErrCovenantSigned, bot.T{
		VI: "Đã có đơn vị ký giao ước nên không đổi được khẩu hiệu và hạn ký. Gửi /covenant không kèm gì để đăng lại tin giao ước.",
		EN: "Units have signed already, so the slogan and deadline cannot change. Send /covenant alone to post the covenant again.",
	}},
	{thidua.ErrNoCovenant, bot.T{
		VI: "Giao ước thi đua chưa được phát động.",
		EN: "The covenant has not been opened.",
	}},
	{thidua.ErrCovenantStale, bot.T{
		VI: "Tin giao ước này đã cũ. Hãy bấm nút ở tin giao ước mới nhất.",
		EN: "This covenant message is outdated. Press the button on the latest one.",
	}},
	{thidua.ErrCannotSign, msgCannotSign},
	{thidua.ErrAlreadySigned, bot.T{
		VI: "Đơn vị của bạn đã ký giao ước rồi.",
		EN: "Your unit has already signed the covenant.",
	}},
}

// The refusals of a signature by a unit whose list is not approved, as the
// list stands (see cannotSign): plain text of at most 200 characters, for
// an alert.
var (
	msgCannotSign = bot.T{
		VI: "Đơn vị của bạn chưa có danh sách đăng ký thi đua được duyệt nên chưa ký được giao ước. Hãy gửi /submit để Khối trưởng duyệt trước.",
		EN: "Your unit has no approved pledge list yet, so it cannot sign. Send /submit for approval first.",
	}
	msgCannotSignEmpty = bot.T{
		VI: "Đơn vị của bạn chưa đăng ký nội dung thi đua nào nên chưa ký được giao ước: đăng ký bằng /pledge, gửi /submit để Khối trưởng duyệt, rồi ký.",
		EN: "Your unit has registered no pledges, so it cannot sign yet: register them with /pledge, send /submit for approval, then sign.",
	}
	msgCannotSignYet = bot.T{
		VI: "Danh sách đăng ký thi đua của đơn vị bạn đang chờ Khối trưởng duyệt; đơn vị ký giao ước được sau khi danh sách được duyệt.",
		EN: "Your unit's pledge list awaits approval; the unit signs the covenant once the list is approved.",
	}
	msgCannotSignReturned = bot.T{
		VI: "Danh sách đăng ký thi đua của đơn vị bạn đã bị trả lại: sửa theo lý do (xem /pledges) rồi gửi lại /submit; đơn vị ký được sau khi danh sách được duyệt.",
		EN: "Your unit's pledge list was returned: change it as the reason says (see /pledges) and send /submit again; the unit signs once the list is approved.",
	}
)

var (
	msgSloganMissing    = bot.T{VI: "Bạn chưa nhập khẩu hiệu của giao ước.", EN: "The covenant's slogan is missing."}
	msgBadSignDue       = bot.T{VI: "Hạn ký không phải một ngày có thật. Viết ngày theo dạng dd/mm/yyyy.", EN: "The signing deadline is not a real date. Write it as dd/mm/yyyy."}
	msgCovenantHead     = bot.T{VI: "📜 <b>GIAO ƯỚC THI ĐUA NĂM %d</b>\n<b>%s</b>\nKhẩu hiệu: <i>%s</i>", EN: "📜 <b>EMULATION COVENANT %d</b>\n<b>%s</b>\nSlogan: <i>%s</i>"}
	msgCovenantBody     = bot.T{VI: "Các đơn vị thành viên cam kết thực hiện các nội dung đã đăng ký thi đua, chấm điểm theo %d tiêu chí, tổng %s điểm.", EN: "The member units commit to their registered pledges, scored on %d {criterion|criteria} totalling %s {point|points}."}
	msgCovenantDue      = bot.T{VI: "Hạn ký: %s", EN: "Signing deadline: %s"}
	msgCovenantCount    = bot.T{VI: "Đã ký: <b>%d/%d</b> đơn vị", EN: "Signed: <b>%d/%d</b> {unit|units}"}
	msgCovenantMissing  = bot.T{VI: "Chưa ký: %s", EN: "Not signed yet: %s"}
	msgCovenantMore     = bot.T{VI: " … và %d đơn vị khác", EN: " … and %d more {unit|units}"}
	msgCovenantPress    = bot.T{VI: "Đầu mối của từng đơn vị bấm nút dưới đây để ký cho đơn vị mình.", EN: "Each unit's representative presses the button below to sign for the unit."}
	msgCovenantAllDone  = bot.T{VI: "🎉 Tất cả đơn vị đã ký.", EN: "🎉 Every unit has signed."}
	msgSignBtn          = bot.T{VI: "✍️ Ký giao ước", EN: "✍️ Sign the covenant"}
	msgSignedAlert      = bot.T{VI: "✅ Đã ký giao ước cho %s.", EN: "✅ Signed the covenant for %s."}
	msgAlreadySigned    = bot.T{VI: "Đơn vị %s đã ký giao ước lúc %s (%s).", EN: "%s signed the covenant at %s (%s)."}
	msgCovenantComplete = bot.T{VI: "🎉 Tất cả %d đơn vị của <b>%s</b> đã ký giao ước thi đua năm %d!\nKhẩu hiệu: <i>%s</i>", EN: "🎉 <b>%[2]s</b>: all %[1]d {unit has|units have} signed the %[3]d covenant!\nSlogan: <i>%[4]s</i>"}

	// msgCovenantSuperseded heads the message of a covenant post that a
	// later one replaced; msgCovenantSupersededDone once every unit signed.
	msgCovenantSuperseded     = bot.T{VI: "⤵️ <b>Đã có %s — vui lòng ký ở tin nhắn mới nhất.</b>", EN: "⤵️ <b>A newer post is %s — please sign on the latest message.</b>"}
	msgCovenantSupersededDone = bot.T{VI: "⤵️ <b>Đã có %s.</b>", EN: "⤵️ <b>A newer post is %s.</b>"}
	// Where msgCovenantSuperseded and msgCovenantSupersededDone say the
	// newer post is: below, or in a group with topics, where it may be in
	// another topic, at a link.
	msgCovenantBelow = bot.T{VI: "bản mới bên dưới", EN: "below"}
	msgCovenantAt    = bot.T{VI: "<a href=\"%s\">bản mới</a>", EN: "<a href=\"%s\">here</a>"}
)

// covenantMissingBudget bounds, in UTF-16 code units, the names of unsigned
// units listed in the covenant message, so that the message stays under
// Telegram's 4096 with the longest block name and slogan; the list is cut
// short too where it would make more entities than Telegram keeps.
const covenantMissingBudget = 2000

// covenant opens the covenant (or, without arguments, posts it again) and
// posts it with the sign button. Managers open it; a representative may
// post it again too.
func (r *Router) covenant(q *request) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	var a thidua.Actor
	if q.args == "" && b.Registration.Covenant != nil && b.RepOf(q.from.ID) != nil {
		// A representative brings the covenant up to sign it, as the
		// bot's answers and reminders tell them.
		a, err = q.actor()
	} else {
		a, err = q.manager(b)
	}
	if err != nil {
		return err
	}
	// Should this very update have changed the covenant before a crash
	// kept it from the group, post it now: its older buttons are stale. A
	// post the bot recorded made it to the group, but the edit of the one
	// it replaced may not have: make it again, which leaves a message
	// edited already as it is.
	q.replay = func() error {
		cur, err := r.cfg.Store.BlockByChat(q.ctx, q.chat.ID)
		if err != nil || cur.Registration.Covenant == nil {
			return q.fail(msgAlreadyApplied.In(q.lang))
		}
		if cur.Registration.Covenant.MessageID == 0 {
			return r.postCovenant(q, cur)
		}
		r.retireCovenant(q, cur, cur.Registration.Covenant.Superseded, cur.Registration.Covenant.MessageID)
		return q.fail(msgAlreadyApplied.In(q.lang))
	}
	if q.args == "" {
		if b.Registration.Covenant == nil {
			return q.usage(msgSloganMissing)
		}
		b, err = q.update(func(b *thidua.Block) error {
			_, err := b.RepostCovenant(a)
			return err
		})
	} else {
		slogan, dueText, _ := strings.Cut(q.args, "|")
		due, perr := r.parseDue(q, b, dueText, msgBadSignDue)
		if perr != nil {
			return perr
		}
		b, err = q.update(func(b *thidua.Block) error {
			_, err := b.OpenCovenant(a, slogan, due, r.now())
			return err
		})
		if errors.Is(err, thidua.ErrSlogan) || errors.Is(err, thidua.ErrDueInPast) {
			return badInput(q, err)
		}
	}
	if err != nil {
		return err
	}
	return r.postCovenant(q, b)
}

// postCovenant posts the covenant of the block b with its sign button, and
// records the message as the one to edit when what it shows changes (see
// showCovenant). The record is bookkeeping, written on its own after the
// post: without it the message is not kept current, and /covenant posts
// the covenant as it is. The message of the post this one replaced, as
// the record finds it (none after a move to a supergroup, see
// thidua.Block.MoveChat), is then retired (see retireCovenant).
func (r *Router) postCovenant(q *request, b *thidua.Block) error {
	text, kb := r.covenantMessage(b)
	m, err := q.send(text, kb)
	if err != nil {
		return err
	}
	post, superseded := b.Registration.Covenant.Post, 0
	r.remember(q.ctx, b.ID, "covenant message", thidua.PartRegistration, func(b *thidua.Block) error {
		if err := b.SetCovenantMessage(post, m.MessageID); err != nil {
			return err
		}
		superseded = b.Registration.Covenant.Superseded
		return nil
	})
	r.retireCovenant(q, b, superseded, m.MessageID)
	return nil
}

// retireCovenant edits the group message superseded (0 for none), of a
// covenant post that a later post of the block b replaced, to say that a
// newer post is below, or, in a group with topics, where it may be in
// another topic, at a link to posted, its message (see
// supersededCovenant), without the sign button, which no longer signs.
// The edit comes after the request's answer (see request.later). Made
// again, on a replay, it leaves a message retired already as it is,
// unless the covenant's terms changed meanwhile: the sender takes
// Telegram's "message is not modified" for success. A failed edit (the
// message was deleted, is too old to edit, Telegram failed) is logged and
// changes nothing else: the new post stands, and the old one keeps its
// text and a button whose press is refused as outdated.
func (r *Router) retireCovenant(q *request, b *thidua.Block, superseded, posted int) {
	if superseded == 0 {
		return
	}
	text := r.supersededCovenant(b, q.linkTo(posted))
	q.retireLater(superseded, text, "superseded covenant message")
}

// supersededCovenant renders, in the group's language, the message of a
// covenant post that a later one replaced: a line pointing to the newer
// post (below, or at link unless it is ""), over the covenant as it now
// stands (a slogan opened again shows the one in force), without who has
// signed, which the message no longer follows.
func (r *Router) supersededCovenant(b *thidua.Block, link string) string {
	note, where := msgCovenantSuperseded, msgCovenantBelow.In(r.cfg.Lang)
	if len(b.UnsignedUnits()) == 0 {
		note = msgCovenantSupersededDone
	}
	if link != "" {
		where = msgCovenantAt.F(r.cfg.Lang, link)
	}
	return strings.Join(append([]string{note.F(r.cfg.Lang, where), ""}, r.covenantTerms(b)...), "\n")
}

// covenantTerms renders, in the group's language, the lines of the
// covenant that do not change with signatures: its year, block, slogan,
// scoring and signing deadline.
func (r *Router) covenantTerms(b *thidua.Block) []string {
	l, c := r.cfg.Lang, b.Registration.Covenant
	lines := []string{
		msgCovenantHead.F(l, b.Year, bot.Escape(b.Name), bot.Escape(c.Slogan)),
		msgCovenantBody.F(l, len(b.Registration.Criteria), thidua.FormatNumber(b.CriteriaTotal())),
	}
	if !c.Due.IsZero() {
		lines = append(lines, msgCovenantDue.F(l, thidua.FormatDate(c.Due, r.cfg.Location)))
	}
	return lines
}

// covenantMessage renders the covenant in the group's language with who has
// signed, and the sign button of the current post while units are missing.
func (r *Router) covenantMessage(b *thidua.Block) (string, *tgbotapi.InlineKeyboardMarkup) {
	l, c := r.cfg.Lang, b.Registration.Covenant
	lines := r.covenantTerms(b)
	missing := b.UnsignedUnits()
	lines = append(lines, "", msgCovenantCount.F(l, len(b.Units)-len(missing), len(b.Units)))
	if len(missing) == 0 {
		return strings.Join(append(lines, msgCovenantAllDone.In(l)), "\n"), nil
	}
	var names []string
	rest := strings.Join(lines, "\n") + "\n" + msgCovenantMissing.F(l, "") + "\n\n" + msgCovenantPress.In(l)
	left := room{width: covenantMissingBudget, entities: bot.MaxEntities - bot.Entities(rest)}
	for _, id := range missing {
		name := bot.Escape(b.UnitName(id))
		if !left.take(name, 2) && len(names) > 0 {
			break
		}
		names = append(names, name)
	}
	list := strings.Join(names, ", ")
	if more := len(missing) - len(names); more > 0 {
		list += msgCovenantMore.F(l, more)
	}
	lines = append(lines, msgCovenantMissing.F(l, list), "", msgCovenantPress.In(l))
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(msgSignBtn.In(l), cbSign+":"+strconv.Itoa(c.Post)),
	))
	return strings.Join(lines, "\n"), &kb
}

// signPress signs the covenant for the presser's unit, updates the covenant
// message in place, and announces when every unit has signed.
func (r *Router) signPress(q *request, args []string) error {
	if len(args) != 1 {
		return q.answer(msgStaleButton.In(q.lang), true)
	}
	post, err := strconv.Atoi(args[0])
	if err != nil {
		return q.answer(msgStaleButton.In(q.lang), true)
	}
	q.replay = func() error { return r.replayCovenant(q, post) }
	a := q.asker()
	var unitID string
	var complete bool
	var ur thidua.UnitRegistration
	b, err := q.update(func(b *thidua.Block) error {
		var err error
		unitID, complete, err = b.SignCovenant(a, post, r.now())
		ur = b.RegistrationOf(unitID)
		return err
	})
	if errors.Is(err, thidua.ErrCannotSign) {
		return q.answer(cannotSign(ur).In(q.lang), true)
	}
	if errors.Is(err, thidua.ErrAlreadySigned) && q.blk != nil {
		if s := q.blk.RegistrationOf(unitID).Signed; s != nil {
			return q.answer(msgAlreadySigned.F(q.lang, shorten(q.blk.UnitName(unitID), 60), thidua.FormatDateTime(s.At, r.cfg.Location), shorten(s.Name, 40)), true)
		}
	}
	if err != nil {
		return err
	}
	if err := q.answer(msgSignedAlert.F(q.lang, shorten(b.UnitName(unitID), 100)), false); err != nil {
		return err
	}
	r.showCovenant(q, b, q.callback.Message.MessageID)
	if complete {
		r.announceCompletion(q, b)
	}
	return nil
}

// cannotSign tells a representative whose unit cannot sign the covenant yet,
// its list ur not being approved, what the unit still has to do as the list
// stands: register pledges, submit them, wait for the approval of a list
// submitted, or correct a returned list and submit it again.
func cannotSign(ur thidua.UnitRegistration) bot.T {
	switch {
	case ur.State == thidua.ListSubmitted:
		return msgCannotSignYet
	case ur.State == thidua.ListReturned:
		return msgCannotSignReturned
	case len(ur.Pledges) == 0:
		return msgCannotSignEmpty
	}
	return msgCannotSign
}

// announceCompletion announces, from the request whose change completed
// the covenant or from its replay, that every unit of the block b signed
// it. A failure is logged, not returned: the change stands and was
// answered, and the announcement, still pending, is the scheduler's (see
// announceCovenantDue), so nobody is told that something went wrong.
func (r *Router) announceCompletion(q *request, b *thidua.Block) {
	if err := r.announceCovenantComplete(q, b); err != nil {
		r.cfg.Log.Warn("covenant completion not announced; the scheduler will try again", "block", b.ID, "err", err)
	}
}

// announceCovenantComplete tells the group that every unit of the block b
// has signed the covenant, and then records that it did. The change that
// completed it (a signature, a unit's removal) calls it through
// announceCompletion, once, when the domain reports the completion; and,
// while the record is missing, the replay of an update that changed the
// covenant's state (see replayCovenant), so that a crash between the
// change and the announcement loses nothing; and the scheduler while the
// record is missing after that (see announceCovenantDue). Each takes the attempt window's claim
// first, so that one of them posts in a window. Should the process die
// between the announcement and its record, the group is told twice, which
// beats never.
func (r *Router) announceCovenantComplete(q *request, b *thidua.Block) error {
	// The completion's time tells a completion made anew (after a
	// signature was withdrawn) from the one before.
	completion := "covenant@" + strconv.FormatInt(b.Registration.Covenant.CompletedAt.Unix(), 10)
	if mine, err := r.claimAnnouncement(q.ctx, b.ID, completion); err != nil || !mine {
		return err
	}
	if _, err := q.send(msgCovenantComplete.F(r.cfg.Lang, len(b.Units), bot.Escape(b.Name), b.Year, bot.Escape(b.Registration.Covenant.Slogan)), nil); err != nil {
		return err
	}
	r.remember(q.ctx, b.ID, "covenant announcement", thidua.PartRegistration, markCovenantAnnounced)
	return nil
}

// markCovenantAnnounced records in b that the group was told every unit
// signed the covenant, or ends the update with errUnchanged when that was
// recorded already.
func markCovenantAnnounced(b *thidua.Block) error {
	if !b.MarkCovenantAnnounced() {
		return errUnchanged
	}
	return nil
}

// announceCovenantDue is the RunDue step of the covenant: when the group
// was not told that every unit signed it (Telegram refused the message,
// the network failed, the bot stopped and the change's update never came
// again), it announces it, once per announceEvery window, for
// announceRetryFor after the completion, then gives up. It does not try
// while the bot is out of the group, or General, where it posts, is
// closed.
func (r *Router) announceCovenantDue(ctx context.Context, blockID string, now time.Time) error {
	b, err := r.cfg.Store.Block(ctx, blockID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading block %s: %w", blockID, err)
	}
	c := b.Registration.Covenant
	if c == nil || !c.AnnouncePending ||
		r.gaveUp(ctx, blockID, "covenant completion", c.CompletedAt, now, thidua.PartRegistration, markCovenantAnnounced) ||
		b.BotAwayAt(now) || b.GeneralHomeClosed() { // away from the group, or General closed, the bot announces it once it may
		return nil
	}
	if err := r.announceCovenantComplete(r.groupRequest(ctx, b), b); !r.cannotPost(ctx, b, err) {
		return err
	}
	return nil
}

// showCovenant edits the covenant's messages in the group to the state of
// the block b: the message of the latest post, as the bot recorded it (see
// postCovenant), and the message pressed (0 for none), which a sign press
// found carrying the latest post too, unless it is the same. A failed edit
// (the message was deleted, say) is logged: the change stands, and
// /covenant posts the covenant as it is.
func (r *Router) showCovenant(q *request, b *thidua.Block, pressed int) {
	c := b.Registration.Covenant
	if c == nil {
		return
	}
	text, kb := r.covenantMessage(b)
	for i, id := range [...]int{c.MessageID, pressed} {
		if id == 0 || i == 1 && id == c.MessageID {
			continue
		}
		if err := q.edit(q.chat.ID, id, text, kb); err != nil {
			r.cfg.Log.Warn("covenant message not edited", "chat", q.chat.ID, "message", id, "err", err)
		}
	}
}

// replayCovenant answers an update delivered again whose change to what
// the covenant shows (a signature, a unit added, renamed or removed, ...)
// is in the block already: a crash may have kept the change's effects in
// the group from happening, so besides saying the request was recorded it
// edits the covenant's message to the current state and, should every unit
// have signed without the group being told, announces it. post is the
// covenant post of the message pressed, edited too while it is the latest;
// 0 for none.
func (r *Router) replayCovenant(q *request, post int) error {
	if err := q.fail(msgAlreadyApplied.In(q.lang)); err != nil {
		return err
	}
	b, err := r.cfg.Store.BlockByChat(q.ctx, q.chat.ID)
	if err != nil {
		r.cfg.Log.Warn("covenant not shown again", "chat", q.chat.ID, "err", err)
		return nil
	}
	c := b.Registration.Covenant
	if c == nil {
		return nil
	}
	pressed := 0
	if post != 0 && post == c.Post {
		pressed = q.callback.Message.MessageID
	}
	r.showCovenant(q, b, pressed)
	if c.AnnouncePending {
		r.announceCompletion(q, b)
	}
	return nil
}

// updateShowing is q.update for a change that may alter what the covenant's
// message shows: units added, renamed or removed, the block renamed, a
// signature withdrawn. It edits the message the bot recorded (see
// showCovenant) when the change altered its text, and only then, sparing
// the group's rate limit a needless edit; the keyboard changes only with
// the text (the button goes when the line saying every unit signed comes).
// The edit comes after the request's answer (see request.later): it may
// wait for the group's rate limit, the answer should not. Its replay (see
// replayCovenant) edits the message whatever its text, and announces a
// completion the group was not told; a caller with more to replay sets a
// replay of its own first, which calls replayCovenant.
func (r *Router) updateShowing(q *request, fn func(*thidua.Block) error) (*thidua.Block, error) {
	if q.replay == nil {
		q.replay = func() error { return r.replayCovenant(q, 0) }
	}
	var shown string
	b, err := q.update(func(b *thidua.Block) error {
		shown = r.covenantShown(b)
		return fn(b)
	})
	if err == nil && r.covenantShown(b) != shown {
		q.later(func() { r.showCovenant(q, b, 0) })
	}
	return b, err
}

// covenantShown is the text of the covenant message the bot recorded for
// the block b as it would show now (see covenantMessage); "" without a
// covenant or a recorded message.
func (r *Router) covenantShown(b *thidua.Block) string {
	if c := b.Registration.Covenant; c == nil || c.MessageID == 0 {
		return ""
	}
	text, _ := r.covenantMessage(b)
	return text
}
