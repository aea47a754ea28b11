package handlers

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/thidua"
)

// This file holds reports filled in step by step, for someone on a phone:
// /report <kỳ> posts the first pledge with quick buttons; each answer (a
// button, or a reply with an exact value and a note) edits the same
// message to the next pledge, and the last shows a summary to send or
// cancel. The draft lives in the block, so it survives restarts, and only
// the person filling it in may answer it.

// draftBudget bounds a draft message in UTF-16 units: it is edited in place
// and so cannot be split; its entities are kept within bot.MaxEntities too.
const draftBudget = 3500

// draftLevels are the quick buttons: completion levels, in % of the target.
var draftLevels = []int{0, 25, 50, 75, 100}

var (
	// msgDraftReplaced, msgDraftPeriodGone, msgDraftExpired then
	// msgDraftAgain, msgDraftRepLeft then msgDraftRepsAgain, or
	// msgDraftUnitGone, each of a period and unit and followed by
	// msgDraftNothingSaved, is what the message of a draft dropped by a
	// change says: replaced by another draft or a report of its unit and
	// period, its period deleted (see retirePeriodDrafts), left for longer
	// than thidua.DraftLifetime (see retireDrafts), its owner no longer
	// representing its unit or its unit removed (see retireDroppedDrafts);
	// a reply to it is answered (see showsDraft).
	msgDraftReplaced     = bot.T{VI: "⤵️ Lần nhập báo cáo kỳ <b>%s</b> của <b>%s</b> đã được thay bằng lần nhập hoặc báo cáo mới hơn của %s; ", EN: "⤵️ This step-by-step %s report of <b>%s</b> was replaced by a newer one from %s; "}
	msgDraftExpired      = bot.T{VI: "⌛ Lần nhập báo cáo kỳ <b>%s</b> của <b>%s</b> đã hết hạn (để quá %d ngày chưa gửi); ", EN: "⌛ This step-by-step %s report of <b>%s</b> expired (left unsent for over %d {day|days}); "}
	msgDraftPeriodGone   = bot.T{VI: "🗑 Kỳ báo cáo <b>%s</b> đã bị xoá nên lần nhập báo cáo của <b>%s</b> dừng lại; ", EN: "🗑 The period <b>%s</b> was deleted, so this step-by-step report of <b>%s</b> stopped; "}
	msgDraftRepLeft      = bot.T{VI: "🚪 %s thôi làm đầu mối của <b>%s</b> nên lần nhập báo cáo kỳ <b>%s</b> dừng lại; ", EN: "🚪 %s no longer represents <b>%s</b>, so this step-by-step %s report stopped; "}
	msgDraftRepsAgain    = bot.T{VI: "\nĐầu mối của đơn vị nhập lại: <code>/report %s</code>", EN: "\nThe unit's representatives fill one in again: <code>/report %s</code>"}
	msgDraftUnitGone     = bot.T{VI: "🗑 Đơn vị <b>%s</b> đã bị xoá khỏi khối nên lần nhập báo cáo kỳ <b>%s</b> dừng lại; ", EN: "🗑 <b>%s</b> was removed from the block, so this step-by-step %s report stopped; "}
	msgDraftNothingSaved = bot.T{VI: "chưa có gì được ghi từ tin nhắn này.", EN: "nothing was recorded from this message."}
	msgDraftAgain        = bot.T{VI: "\nNhập lại: <code>/report %s</code>", EN: "\nTo fill one in again: <code>/report %s</code>"}
	msgDraftHead         = bot.T{VI: "📝 <b>Báo cáo kỳ %s — %s</b>\n%s đang nhập; chỉ người này bấm được các nút.", EN: "📝 <b>%s report — %s</b>\n%s is filling it in; only they can press its buttons."}
	msgDraftStep         = bot.T{VI: "Nội dung <b>%d/%d</b>: %s", EN: "Pledge <b>%d/%d</b>: %s"}
	msgDraftTarget       = bot.T{VI: "Chỉ tiêu: %s · hạn %s", EN: "Target: %s · due %s"}
	msgDraftNoTarget     = bot.T{VI: "Không có chỉ tiêu định lượng · hạn %s", EN: "No measurable target · due %s"}
	msgDraftLast         = bot.T{VI: "Báo cáo gần nhất (kỳ %s): %s", EN: "Last reported (%s): %s"}
	msgDraftNever        = bot.T{VI: "Chưa báo cáo lần nào.", EN: "Never reported yet."}
	msgDraftCurrent      = bot.T{VI: "Trong lần nhập này: %s", EN: "In this report: %s"}
	msgDraftGone         = bot.T{VI: "(nội dung này đã bị xoá khỏi danh sách đăng ký; bấm Bỏ qua)", EN: "(this pledge was removed from the list; press Skip)"}
	msgDraftPledgeGone   = bot.T{VI: "Nội dung này đã bị xoá khỏi danh sách đăng ký nên không nhận giá trị; bấm «Bỏ qua» để sang nội dung tiếp theo.", EN: "This pledge was removed from the list, so it takes no value; press «Skip» to go on to the next."}
	msgDraftAsk          = bot.T{VI: "Bấm mức hoàn thành so với chỉ tiêu, hoặc trả lời (reply) tin nhắn này bằng giá trị chính xác kèm ghi chú, ví dụ: <code>45 đã khởi công 5 nhà</code> hoặc <code>60%</code>.", EN: "Press the level reached against the target, or reply to this message with the exact value and a note, e.g. <code>45 đã khởi công 5 nhà</code> or <code>60%</code>."}
	msgDraftSummary      = bot.T{VI: "Kiểm tra lại rồi bấm <b>Gửi báo cáo</b>:", EN: "Check it, then press <b>Send the report</b>:"}
	msgDraftShort        = bot.T{VI: "(Danh sách dài nên chỉ hiện giá trị theo số thứ tự; tên nội dung và ghi chú xem ở từng bước: bấm Quay lại.)", EN: "(A long list, so only the values by number; the titles and notes are in the steps: press Back.)"}
	msgDraftLateWarn     = bot.T{VI: "⏰ Hạn của kỳ (%s) đã qua: báo cáo sẽ được đánh dấu nộp muộn.", EN: "⏰ The period's deadline (%s) has passed: the report will be marked late."}
	msgDraftNothing      = bot.T{VI: "Chưa có giá trị nào: bấm Quay lại để nhập.", EN: "No value yet: press Back to enter some."}
	msgDraftBack         = bot.T{VI: "◀️ Quay lại", EN: "◀️ Back"}
	msgDraftSkip         = bot.T{VI: "Bỏ qua ▶️", EN: "Skip ▶️"}
	msgDraftKeep         = bot.T{VI: "Giữ nguyên ▶️", EN: "Keep ▶️"}
	msgDraftCancel       = bot.T{VI: "✖️ Huỷ", EN: "✖️ Cancel"}
	msgDraftSend         = bot.T{VI: "✅ Gửi báo cáo", EN: "✅ Send the report"}
	msgDraftCancelled    = bot.T{VI: "✖️ Đã huỷ lần nhập báo cáo kỳ %s của %s; chưa có gì được ghi.", EN: "✖️ Cancelled the %s report of %s; nothing was recorded."}
	msgDraftOwnerOnly    = bot.T{VI: "Chỉ %s (người đang nhập) mới trả lời được báo cáo này. Muốn tự nhập: /report %s", EN: "Only %s (who is filling it in) can answer this report. To fill one in yourself: /report %s"}
	msgDraftReplyBad     = bot.T{VI: "%s\nTrả lời tin nhắn báo cáo bằng giá trị rồi ghi chú, ví dụ: <code>45 đã khởi công 5 nhà</code> hoặc <code>60%%</code>. Chưa ghi nhận gì.", EN: "%s\nReply to the report message with the value, then a note, e.g. <code>45 đã khởi công 5 nhà</code> or <code>60%%</code>. Nothing was recorded."}
	msgDraftAnonymous    = bot.T{VI: "Bạn đang gửi tin với tư cách ẩn danh của nhóm, nên không ai bấm được các nút nhập từng bước: Telegram cho bot biết người bấm thật, không phải nhóm. Hãy tắt chế độ ẩn danh rồi gửi lại, hoặc báo cáo trong một tin nhắn: <code>/report %s</code>, xuống dòng rồi mỗi dòng <code>&lt;số thứ tự&gt; &lt;giá trị&gt; [ghi chú]</code>.", EN: "You are posting anonymously as the group, so nobody could press the buttons of a step-by-step report: Telegram tells the bot who really presses, not the group. Turn anonymity off and send it again, or report in one message: <code>/report %s</code>, then one line per pledge <code>&lt;number&gt; &lt;value&gt; [note]</code>."}
	msgDraftDropped      = bot.T{VI: "⚠️ Lần nhập báo cáo này đã được gửi, huỷ hoặc thay bằng lần nhập khác nên không nhận trả lời nữa; chưa ghi nhận gì. Xem báo cáo đơn vị đã gửi (và đính kèm minh chứng vào đó): <code>/myreport</code>; nhập lại: <code>/report &lt;kỳ&gt;</code>.", EN: "⚠️ This report draft was sent, cancelled or replaced, so it takes no replies any more; nothing was recorded. See what your unit reported (and attach evidence to it): <code>/myreport</code>; fill one in again: <code>/report &lt;period&gt;</code>."}
	msgDraftClosed       = bot.T{VI: "⚠️ Lần nhập báo cáo này thuộc năm thi đua %d, đã khép lại khi khối chuyển sang năm %d, nên không nhận trả lời nữa; chưa ghi nhận gì. Số liệu năm %[1]d: <code>/export %[1]d</code>.", EN: "⚠️ This report draft belongs to the emulation year %d, closed when the block turned to %d, so it takes no replies any more; nothing was recorded. The data of %[1]d: <code>/export %[1]d</code>."}
	msgDraftNoteKept     = bot.T{VI: "Đã giữ ghi chú «%s». Muốn bỏ ghi chú: bấm «%s» rồi trả lời tin nhắn bằng giá trị không kèm ghi chú.", EN: "The note «%s» was kept. To drop it, press «%s» and reply to the message with the value alone."}
	msgDraftAllDone      = bot.T{VI: "Đã nhập xong các nội dung: bấm «Gửi báo cáo», hoặc «Quay lại» để sửa.", EN: "Every pledge is done: press «Send the report», or «Back» to change one."}

	// The question whether to replace someone else's draft that holds
	// answers (see askReplace).
	msgReplaceAsk       = bot.T{VI: "✋ <b>%s</b> đang nhập báo cáo kỳ <b>%s</b> của <b>%s</b> (bắt đầu %s), đã nhập %d/%d nội dung, chưa gửi.\nNhập mới thì lần nhập đó bị bỏ cùng các giá trị %s chưa gửi. Chỉ %s bấm được các nút dưới đây.", EN: "✋ <b>%s</b> is filling in the <b>%s</b> report of <b>%s</b> (started %s) and has entered %d of %d {pledge|pledges}, not sent yet.\nStarting anew drops that draft with the values %s has not sent. Only %s can press the buttons below."}
	msgReplaceYes       = bot.T{VI: "🔁 Thay bằng lần nhập mới", EN: "🔁 Replace it, start anew"}
	msgReplaceNo        = bot.T{VI: "✖️ Để nguyên", EN: "✖️ Leave it"}
	msgReplaceLeft      = bot.T{VI: "✖️ Đã để nguyên lần nhập báo cáo kỳ <b>%s</b> của <b>%s</b>; không có gì thay đổi.", EN: "✖️ Left the step-by-step <b>%s</b> report of <b>%s</b> as it is; nothing changed."}
	msgReplaceAskerOnly = bot.T{VI: "Chỉ người đã gõ lệnh /report này mới bấm được các nút. Muốn tự nhập: /report %s", EN: "Only the person who sent this /report can press its buttons. To fill one in yourself: /report %s"}
	msgReplaceMine      = bot.T{VI: "Bạn đang nhập báo cáo kỳ %s của đơn vị rồi: tiếp tục ở tin nhắn của lần nhập đó.", EN: "You are filling in your unit's %s report already: go on in its message."}
	msgReplaceGone      = bot.T{VI: "Lần nhập kia đã được gửi hoặc huỷ trong lúc chờ: lần nhập mới bắt đầu từ báo cáo hiện có của đơn vị.", EN: "That draft was sent or cancelled meanwhile: the new one starts from the unit's current report."}

	// msgDraftOvershootBack ends the warning of a draft's summary of
	// values far above their target (msgOvershoot).
	msgDraftOvershootBack = bot.T{VI: "Nếu nhầm, bấm «Quay lại» để sửa trước khi gửi.", EN: "If one is wrong, press «Back» to correct it before sending."}
)

// startDraft starts filling the unit's report for the period in step by
// step and posts its first step (see openDraft). An administrator posting
// anonymously, as the group, is told to report in one message instead: the
// presses of the draft's buttons would come from their own account, which
// does not own it.
func (r *Router) startDraft(q *request, a thidua.Actor, unitID string, p thidua.Period) error {
	if bot.IsAnonymousAdmin(q.msg) {
		b, err := q.block()
		if err != nil {
			return err
		}
		return q.reply(msgDraftAnonymous.F(q.lang, periodRef(b, a.UserID, unitID, p)))
	}
	return r.openDraft(q, a, unitID, p, "")
}

// openDraft starts the actor's draft of the unit's report for the period
// and shows it (see showDraft). The unit's draft for the period it replaces
// says so (see retireDrafts); but someone else's that holds answers it
// replaces only when its id is replace, what the asker agreed to (see
// replacePress): otherwise it asks the asker first (see askReplace).
func (r *Router) openDraft(q *request, a thidua.Actor, unitID string, p thidua.Period, replace string) error {
	q.replay = func() error { return r.replayDraft(q, a, unitID, p.ID) }
	var d thidua.ReportDraft
	var shown []thidua.ReportDraft
	var question string
	b, err := q.updateParts(thidua.PartResults, func(b *thidua.Block) error {
		var err error
		shown = shownDrafts(b)
		d, err = b.StartDraft(a, unitID, p.ID, replace, r.now())
		if errors.Is(err, thidua.ErrDraftInUse) {
			d, _ = b.DraftInUse(a, unitID, p.ID, r.now())
			question = r.replaceQuestion(q.lang, b, d, a)
		}
		return err
	})
	if errors.Is(err, thidua.ErrDraftInUse) {
		return r.askReplace(q, question, d, a)
	} else if err != nil {
		return err
	}
	r.retireDrafts(q, shown, b, unitID, p.ID)
	return r.showDraft(q, b, d)
}

// replaceQuestion asks the actor whether to replace the draft d of block b,
// someone else's with answers (see thidua.Block.DraftInUse): whose it is,
// when it was started, how far it has come, and what replacing it loses.
func (r *Router) replaceQuestion(l bot.Lang, b *thidua.Block, d thidua.ReportDraft, a thidua.Actor) string {
	owner := bot.Escape(d.Owner.Name)
	return msgReplaceAsk.F(l, owner, bot.Escape(b.Period(d.PeriodID).Name), bot.Escape(b.UnitName(d.UnitID)),
		thidua.FormatDateTime(d.Owner.At, r.cfg.Location), b.DraftAnswers(d), len(d.Pledges), owner, bot.Escape(a.Name))
}

// askReplace asks the actor, with its buttons, the question whether to
// replace the draft d (see replaceQuestion): in a message of its own, or,
// for a press on an earlier question that found another draft in the way,
// in place of that question.
func (r *Router) askReplace(q *request, question string, d thidua.ReportDraft, a thidua.Actor) error {
	data := fmt.Sprintf("%s:%s:%s:%s:%d:", cbReplaceDraft, d.ID, d.UnitID, d.PeriodID, a.UserID)
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(msgReplaceYes.In(q.lang), data+"y"),
		tgbotapi.NewInlineKeyboardButtonData(msgReplaceNo.In(q.lang), data+"n"),
	))
	if q.callback != nil {
		return q.edit(q.chat.ID, q.callback.Message.MessageID, question, &kb)
	}
	_, err := q.send(question, &kb)
	return err
}

// replacePress answers the question whether to replace someone else's
// draft (see askReplace), for its asker only: leaving the draft changes
// nothing; replacing it looks again at the unit's draft for the period,
// which may have changed since the question: the asker's own already (the
// button pressed twice), none any more (its owner sent or cancelled it),
// or another one in the way, which is asked about in turn (see openDraft).
// An asker who may no longer report for the unit (see
// thidua.Block.CanReport) is told why.
func (r *Router) replacePress(q *request, args []string) error {
	if len(args) != 5 || (args[4] != "y" && args[4] != "n") {
		return q.answer(msgStaleButton.In(q.lang), true)
	}
	asker, err := strconv.ParseInt(args[3], 10, 64)
	if err != nil {
		return q.answer(msgStaleButton.In(q.lang), true)
	}
	draftID, unitID, periodID := args[0], args[1], args[2]
	b, err := q.block()
	if err != nil {
		return err
	}
	p := b.Period(periodID)
	if p == nil {
		return thidua.ErrPeriodNotFound
	}
	if q.from.ID != asker {
		return q.answer(msgReplaceAskerOnly.F(q.lang, shorten(p.Name, 40)), true)
	}
	msgID := q.callback.Message.MessageID
	if args[4] == "n" {
		if err := q.answer("", false); err != nil {
			return err
		}
		return q.edit(q.chat.ID, msgID, msgReplaceLeft.F(q.lang, bot.Escape(p.Name), bot.Escape(b.UnitName(unitID))), nil)
	}
	a, err := q.actor()
	if err != nil {
		return err
	}
	if err := b.CanReport(a, unitID, periodID); err != nil {
		// The unit was removed, or the asker left it, since the question.
		return err
	}
	if d, ok := b.OpenDraft(unitID, periodID, r.now()); ok && d.Owner.UserID == a.UserID {
		if d.MessageID == 0 {
			// Stored but never shown: this very press, delivered again
			// after the bot died between the two.
			return r.replayDraft(q, a, unitID, periodID)
		}
		mine := msgReplaceMine.F(q.lang, p.Name)
		if err := q.answer(mine, false); err != nil || d.MessageID == msgID {
			return err
		}
		return q.edit(q.chat.ID, msgID, bot.Escape(mine), nil)
	}
	_, asked := b.Draft(draftID)
	if _, inUse := b.DraftInUse(a, unitID, periodID, r.now()); !asked && !inUse {
		if err := q.answer(msgReplaceGone.In(q.lang), false); err != nil {
			return err
		}
	}
	return r.openDraft(q, a, unitID, *p, draftID)
}

// showDraft shows the draft d of block b at its step, with its buttons, and
// records its message: a message of its own, or, for a press on the
// question whether to replace another's draft (see replacePress), that
// question's message.
func (r *Router) showDraft(q *request, b *thidua.Block, d thidua.ReportDraft) error {
	text, kb := r.draftMessage(q.lang, b, d)
	var id int
	if q.callback != nil {
		id = q.callback.Message.MessageID
		if err := q.edit(q.chat.ID, id, text, kb); err != nil {
			return err
		}
	} else {
		m, err := q.send(text, kb)
		if err != nil {
			return err
		}
		id = m.MessageID
	}
	r.remember(q.ctx, b.ID, "draft message", thidua.PartResults, func(b *thidua.Block) error { return b.SetDraftMessage(d.ID, id) })
	return nil
}

// replayDraft answers a /report of a period alone, or a press replacing
// another's draft (see replacePress), delivered again after its change
// was stored (see request.replay), as its first delivery would have: the
// draft of the unit's report that a started, in the current block, takes
// the buttons off the draft it replaced (see retireReplacedDraft) and,
// unless the bot recorded its message, is shown now (see showDraft), since
// nothing else shows it; a draft shown already gets "already recorded".
func (r *Router) replayDraft(q *request, a thidua.Actor, unitID, periodID string) error {
	if b, err := r.cfg.Store.BlockByChat(q.ctx, q.chat.ID); err == nil {
		for _, d := range b.Results.Drafts {
			if d.UnitID != unitID || d.PeriodID != periodID || d.Owner.UserID != a.UserID {
				continue
			}
			r.retireReplacedDraft(q, b, unitID, periodID, d.Replaced)
			if d.MessageID == 0 {
				return r.showDraft(q, b, d)
			}
		}
	}
	return q.fail(msgAlreadyApplied.In(q.lang))
}

// retireReplacedDraft takes the buttons off the message messageID (none
// for 0) of the unit's draft for the period that a change replaced, a
// draft started again or a report sent in one message (see
// thidua.ReportDraft.Replaced, thidua.Submission.ReplacedDraft), as the
// change's first delivery did (see retireDrafts), for the update
// delivered again after a crash kept that edit from being made. Made
// again, the edit leaves the message as it is.
func (r *Router) retireReplacedDraft(q *request, b *thidua.Block, unitID, periodID string, messageID int) {
	if messageID != 0 {
		r.retireDrafts(q, []thidua.ReportDraft{{UnitID: unitID, PeriodID: periodID, MessageID: messageID}}, b, unitID, periodID)
	}
}

// shownDrafts returns a copy of the drafts of b that the bot has shown in
// a message, nil when there are none: those a change may drop (see
// retireDrafts).
func shownDrafts(b *thidua.Block) []thidua.ReportDraft {
	var out []thidua.ReportDraft
	for _, d := range b.Results.Drafts {
		if d.MessageID != 0 {
			out = append(out, d)
		}
	}
	return out
}

// retireDrafts edits the message of each draft of shown (see shownDrafts)
// that the block b, as a change of the report of unitID for periodID left
// it, no longer holds, to say so, without its buttons, which do nothing any
// more: replaced by the change when it is of that unit and period, else
// expired (thidua.Block.StartDraft drops the drafts older than
// thidua.DraftLifetime). The edits come after the request's answer; a
// failure is logged.
func (r *Router) retireDrafts(q *request, shown []thidua.ReportDraft, b *thidua.Block, unitID, periodID string) {
	for _, d := range shown {
		p := b.Period(d.PeriodID)
		if _, kept := b.Draft(d.ID); kept || p == nil {
			continue
		}
		period, unit := bot.Escape(p.Name), bot.Escape(b.UnitName(d.UnitID))
		text := msgDraftReplaced.F(q.lang, period, unit, bot.Escape(q.askerName())) + msgDraftNothingSaved.In(q.lang)
		if d.UnitID != unitID || d.PeriodID != periodID {
			days := int(thidua.DraftLifetime / (24 * time.Hour))
			text = msgDraftExpired.F(q.lang, period, unit, days) + msgDraftNothingSaved.In(q.lang) +
				msgDraftAgain.F(q.lang, periodRef(b, d.Owner.UserID, d.UnitID, *p))
		}
		q.retireLater(d.MessageID, text, "replaced draft")
	}
}

// retirePeriodDrafts edits the message of each draft of shown (see
// shownDrafts) of the period gone, which a manager deleted with its drafts,
// to say so, without its buttons, as retireDrafts does for drafts replaced
// or expired.
func (r *Router) retirePeriodDrafts(q *request, shown []thidua.ReportDraft, b *thidua.Block, gone thidua.Period) {
	for _, d := range shown {
		if d.PeriodID == gone.ID {
			text := msgDraftPeriodGone.F(q.lang, bot.Escape(gone.Name), bot.Escape(b.UnitName(d.UnitID))) + msgDraftNothingSaved.In(q.lang)
			q.retireLater(d.MessageID, text, "draft of a deleted period")
		}
	}
}

// retireDroppedDrafts edits the message of each draft of shown (see
// shownDrafts) that the block b, as a change left it, no longer holds, to
// say why (why words it, of the draft and its period's name, escaped), without
// its buttons, as retireDrafts does for drafts replaced or expired: the
// change was a representative leaving their unit, or a unit's removal,
// which drop the drafts typed for it (see thidua.Block.Leave,
// thidua.Block.RemoveUnit).
func (r *Router) retireDroppedDrafts(q *request, shown []thidua.ReportDraft, b *thidua.Block, why func(d thidua.ReportDraft, period string) string) {
	for _, d := range shown {
		p := b.Period(d.PeriodID)
		if _, kept := b.Draft(d.ID); kept || p == nil {
			continue
		}
		q.retireLater(d.MessageID, why(d, bot.Escape(p.Name)), "dropped draft")
	}
}

// draftMessage renders a draft at its step, with its buttons: the pledge
// with its target and last reported value, or the summary: each pledge
// with its title, value and note, or, when they do not fit in a message,
// each value by number as the report's confirmation shows it.
func (r *Router) draftMessage(l bot.Lang, b *thidua.Block, d thidua.ReportDraft) (string, *tgbotapi.InlineKeyboardMarkup) {
	p := b.Period(d.PeriodID)
	head := []string{msgDraftHead.F(l, bot.Escape(p.Name), bot.Escape(b.UnitName(d.UnitID)), bot.Escape(d.Owner.Name)), ""}
	data := fmt.Sprintf("%s:%s:%d:", cbDraft, d.ID, d.Step)
	nav := []tgbotapi.InlineKeyboardButton{tgbotapi.NewInlineKeyboardButtonData(msgDraftCancel.In(l), data+"x")}
	if d.Step > 0 {
		nav = slices.Insert(nav, 0, tgbotapi.NewInlineKeyboardButtonData(msgDraftBack.In(l), data+"b"))
	}
	pledges := b.RegistrationOf(d.UnitID).Pledges
	if d.Done() {
		head = append(head, msgDraftSummary.In(l))
		entries := r.entryLines(l, pledges, d.Entries)
		var tail []string
		if over := r.overshoots(l, pledges, d.Entries); over != "" {
			tail = append(tail, "", msgOvershoot.F(l, over, msgDraftOvershootBack.In(l)))
		}
		if b.ReportLate(d.UnitID, *p, r.now()) {
			tail = append(tail, "", msgDraftLateWarn.F(l, r.date(p.Due)))
		}
		if !slices.ContainsFunc(pledges, func(pl thidua.Pledge) bool { _, ok := d.Entry(pl.ID); return ok }) {
			tail = append(tail, "", msgDraftNothing.In(l))
		} else {
			nav = slices.Insert(nav, 0, tgbotapi.NewInlineKeyboardButtonData(msgDraftSend.In(l), data+"ok"))
		}
		if full := strings.Join(slices.Concat(head, entries, tail), "\n"); textLen(full) > draftBudget || bot.Entities(full) > bot.MaxEntities {
			// Too long for one message, which an edit cannot split, or
			// too rich for Telegram to keep its formatting: the values by
			// number, as the confirmation shows them.
			sub := thidua.Submission{Entries: d.Entries}
			entries = r.valueLines(l, pledges, sub)
			head = append(head, msgDraftShort.In(l))
			if missing := missingLine(l, pledges, sub); missing != "" {
				tail = append([]string{missing}, tail...)
			}
		}
		kb := tgbotapi.NewInlineKeyboardMarkup(nav)
		return r.withEntries(l, head, entries, tail, draftBudget), &kb
	}
	lines := append(head, r.draftStep(l, b, d, pledges)...)
	levels := make([]tgbotapi.InlineKeyboardButton, len(draftLevels))
	for i, lv := range draftLevels {
		levels[i] = tgbotapi.NewInlineKeyboardButtonData(strconv.Itoa(lv)+"%", data+"p:"+strconv.Itoa(lv))
	}
	skip := msgDraftSkip
	if _, ok := d.Entry(d.Pledges[d.Step]); ok {
		skip = msgDraftKeep
	}
	nav = slices.Insert(nav, len(nav)-1, tgbotapi.NewInlineKeyboardButtonData(skip.In(l), data+"s"))
	kb := tgbotapi.NewInlineKeyboardMarkup(levels, nav)
	return strings.Join(append(lines, "", msgDraftAsk.In(l)), "\n"), &kb
}

// draftStep describes the pledge a draft asks about: its title and target,
// its last reported value, and its value in the draft.
func (r *Router) draftStep(l bot.Lang, b *thidua.Block, d thidua.ReportDraft, pledges []thidua.Pledge) []string {
	i := slices.IndexFunc(pledges, func(p thidua.Pledge) bool { return p.ID == d.Pledges[d.Step] })
	if i < 0 {
		return []string{msgDraftStep.F(l, d.Step+1, len(d.Pledges), msgDraftGone.In(l))}
	}
	p := pledges[i]
	lines := []string{msgDraftStep.F(l, d.Step+1, len(d.Pledges), bot.Escape(shorten(p.Title, 300)))}
	if t := p.Target.String(); t != "" {
		lines = append(lines, msgDraftTarget.F(l, bot.Escape(t), r.date(p.Due)))
	} else {
		lines = append(lines, msgDraftNoTarget.F(l, r.date(p.Due)))
	}
	if e, from, ok := b.LatestEntry(d.UnitID, p.ID); ok {
		lines = append(lines, msgDraftLast.F(l, bot.Escape(from.Name), r.entryValue(l, p, e, true)))
	} else {
		lines = append(lines, msgDraftNever.In(l))
	}
	if e, ok := d.Entry(p.ID); ok {
		lines = append(lines, msgDraftCurrent.F(l, r.entryValue(l, p, e, true)))
	}
	return lines
}

// draftPress handles a draft's buttons: a level, skip, back, cancel, send.
func (r *Router) draftPress(q *request, args []string) error {
	if len(args) < 3 {
		return q.answer(msgStaleButton.In(q.lang), true)
	}
	id, action := args[0], args[2]
	step, err := strconv.Atoi(args[1])
	level := 0
	if action == "p" && len(args) == 4 {
		level, err = strconv.Atoi(args[3])
		if !slices.Contains(draftLevels, level) {
			err = errors.New("not a level")
		}
	} else if len(args) != 3 || !slices.Contains([]string{"s", "b", "x", "ok"}, action) {
		err = errors.New("not an action")
	}
	if err != nil {
		return q.answer(msgStaleButton.In(q.lang), true)
	}
	b, err := q.block()
	if err != nil {
		return err
	}
	a, err := q.actor()
	if err != nil {
		return err
	}
	if d, ok := b.Draft(id); ok && d.Owner.UserID != a.UserID {
		return q.answer(draftOwnerOnly(q.lang, b, d), true)
	}
	var d thidua.ReportDraft
	var rep thidua.Report
	var toast string // what the press's answer says: the note a level kept
	b, err = q.updateParts(thidua.PartResults, func(b *thidua.Block) error {
		var err error
		switch action {
		case "p":
			if d, err = b.AnswerDraft(a, id, step, thidua.Value{Number: float64(level)}, true, ""); err != nil {
				return err
			}
			if e, _ := d.Entry(d.Pledges[step]); e.Note != "" {
				toast = msgDraftNoteKept.F(q.lang, shorten(e.Note, 60), msgDraftBack.In(q.lang))
			}
		case "s":
			d, err = b.MoveDraft(a, id, step, 1)
		case "b":
			d, err = b.MoveDraft(a, id, step, -1)
		case "x":
			d, err = b.CancelDraft(a, id)
		case "ok":
			rep, err = b.SubmitDraft(a, id, r.now())
		}
		return err
	})
	if errors.Is(err, thidua.ErrDraftStep) {
		return q.answer(domainMessage(err, q), false)
	} else if errors.Is(err, thidua.ErrPledgeNotFound) {
		return r.draftPledgeGone(q, id)
	} else if err != nil {
		return err
	}
	if err := q.answer(toast, false); err != nil {
		return err
	}
	msgID := q.callback.Message.MessageID
	switch action {
	case "x":
		return q.edit(q.chat.ID, msgID, msgDraftCancelled.F(q.lang, bot.Escape(b.Period(d.PeriodID).Name), bot.Escape(b.UnitName(d.UnitID))), nil)
	case "ok":
		r.noteReport(q.ctx, b, msgID, rep)
		return q.edit(q.chat.ID, msgID, r.reportText(q.lang, b, rep, draftBudget), nil)
	}
	text, kb := r.draftMessage(q.lang, b, d)
	return q.edit(q.chat.ID, msgID, text, kb)
}

// draftPledgeGone answers a value for the pledge at the step of the draft
// id that was removed from the unit's list since the draft's message was
// shown, saying to skip it, and shows the step as it now is.
func (r *Router) draftPledgeGone(q *request, id string) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	d, ok := b.Draft(id)
	if !ok {
		return thidua.ErrDraftNotFound
	}
	if err := q.fail(msgDraftPledgeGone.In(q.lang)); err != nil {
		return err
	}
	text, kb := r.draftMessage(q.lang, b, d)
	return q.edit(q.chat.ID, d.MessageID, text, kb)
}

// draftOwnerOnly tells someone else than its owner that a draft is not
// theirs to answer, in at most 200 characters (a button's alert).
func draftOwnerOnly(l bot.Lang, b *thidua.Block, d thidua.ReportDraft) string {
	period := ""
	if p := b.Period(d.PeriodID); p != nil {
		period = shorten(p.Name, 40)
	}
	return msgDraftOwnerOnly.F(l, shorten(d.Owner.Name, 40), period)
}

// showsDraft reports whether the text of one of the bot's messages is a
// report draft waiting for an answer (a step or the summary), or one
// dropped, replaced or expired (see retireDrafts), in either language: a
// reply to it when its draft is gone deserves an answer.
func showsDraft(text string) bool {
	for _, l := range []bot.Lang{bot.VI, bot.EN} {
		if strings.Contains(text, plainText(msgDraftAsk.In(l))) || strings.Contains(text, plainText(msgDraftSummary.In(l))) || strings.Contains(text, msgDraftNothingSaved.In(l)) {
			return true
		}
	}
	return false
}

// draftReply takes a reply to a draft's message as the exact value (and
// note) of its current step, and moves the draft on.
func (r *Router) draftReply(q *request, b *thidua.Block, d thidua.ReportDraft) error {
	a, err := q.actor()
	if err != nil {
		return err
	}
	if d.Owner.UserID != a.UserID {
		return q.reply(bot.Escape(draftOwnerOnly(q.lang, b, d)))
	}
	if d.Done() {
		return q.reply(msgDraftAllDone.In(q.lang))
	}
	v, note, err := thidua.ParseValueNote(q.msg.Text)
	if err != nil {
		if !thidua.IsDomain(err) {
			return err
		}
		return q.reply(msgDraftReplyBad.F(q.lang, domainMessage(err, q)))
	}
	id := d.ID
	b, err = q.updateParts(thidua.PartResults, func(b *thidua.Block) error {
		var err error
		d, err = b.AnswerDraft(a, id, d.Step, v, false, note)
		return err
	})
	if errors.Is(err, thidua.ErrPledgeNotFound) {
		return r.draftPledgeGone(q, id)
	} else if err != nil {
		return err
	}
	text, kb := r.draftMessage(q.lang, b, d)
	return q.edit(q.chat.ID, d.MessageID, text, kb)
}
