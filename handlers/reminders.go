package handlers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"thiduabot/bot"
	"thiduabot/storage"
	"thiduabot/thidua"
)

// This file sends the deadline reminders: the scheduler's step for a due
// block (sendDueReminders, in RunDue) and the reminder message itself, also
// used by /remindnow.

// claimTTL is how long a claim on a reminder slot lasts. It is longer than a
// scheduler tick may run (10 minutes), so a claim outlives any attempt to
// send; if the send failed, the slot is still unmarked when the claim
// expires and the reminder is tried again, while still useful.
const claimTTL = 15 * time.Minute

var (
	msgReminderHead  = bot.T{VI: "⏰ <b>Nhắc hạn: %s</b>\nHạn: %s (%s).", EN: "⏰ <b>Reminder: %s</b>\nDue: %s (%s)."}
	msgOverdueHead   = bot.T{VI: "⚠️ <b>Quá hạn: %s</b>\nHạn %s đã qua.", EN: "⚠️ <b>Overdue: %s</b>\nThe deadline %s has passed."}
	msgOwingHead     = bot.T{VI: "Các đơn vị chưa hoàn thành (%d/%d):", EN: "Still to finish (%d of %d {unit|units}):"}
	msgOwingReason   = bot.T{VI: " (còn: %s)", EN: " (still to do: %s)"}
	msgNoRep         = bot.T{VI: "chưa có đầu mối", EN: "no representative yet"}
	msgDoneHint      = bot.T{VI: "Đơn vị đã hoàn thành: đầu mối gửi <code>/done %d</code> trong nhóm.", EN: "Finished? A representative sends <code>/done %d</code> in the group."}
	msgReminderDM    = bot.T{VI: "⏰ Nhắc hạn (<b>%s</b>): <b>%s</b> — hạn %s (%s).\nĐơn vị <b>%s</b> của bạn chưa hoàn thành%s.", EN: "⏰ Reminder (<b>%s</b>): <b>%s</b> — due %s (%s).\nYour unit <b>%s</b> has not finished%s."}
	msgOverdueDM     = bot.T{VI: "⚠️ Quá hạn (<b>%s</b>): <b>%s</b> — hạn %s đã qua.\nĐơn vị <b>%s</b> của bạn chưa hoàn thành%s.", EN: "⚠️ Overdue (<b>%s</b>): <b>%s</b> — the deadline %s has passed.\nYour unit <b>%s</b> has not finished%s."}
	msgFinalDeadline = bot.T{VI: "Hoàn thành toàn diện các chỉ tiêu năm %d", EN: "Complete all of the year's targets (%d)"}

	// Labels and hints of the deadlines the year's features contribute.
	msgRegistrationDeadline = bot.T{VI: "Đăng ký nội dung thi đua", EN: "Register and submit the pledges"}
	msgRegistrationAlone    = bot.T{VI: " (mở riêng cho %s)", EN: " (open for %s alone)"}
	msgRegistrationHint     = bot.T{VI: "Đầu mối đăng ký bằng <code>/pledge</code> rồi gửi duyệt bằng <code>/submit</code>.", EN: "Representatives register with <code>/pledge</code>, then send the list with <code>/submit</code>."}
	msgCovenantDeadline     = bot.T{VI: "Ký giao ước thi đua", EN: "Sign the covenant"}
	msgCovenantHint         = bot.T{VI: "Đầu mối bấm nút «%s» dưới giao ước (gửi <code>/covenant</code> để hiện lại).", EN: "A representative presses «%s» under the covenant (send <code>/covenant</code> to show it again)."}
	msgElectionDeadline     = bot.T{VI: "Bầu %s năm %d", EN: "Election of the %s for %d"}
	msgElectionRound        = bot.T{VI: " (vòng %d)", EN: " (round %d)"}
	msgPeriodDeadline       = bot.T{VI: "Báo cáo kết quả %s", EN: "Results report: %s"}
	msgPeriodHint           = bot.T{VI: "Đầu mối báo cáo bằng <code>/report &lt;kỳ&gt;</code> (mỗi dòng: số thứ tự, giá trị), hoặc gửi <code>/report &lt;kỳ&gt;</code> không kèm dòng nào để báo cáo từng bước bằng nút bấm.", EN: "Representatives report with <code>/report &lt;period&gt;</code> (one line per pledge: number, value), or send <code>/report &lt;period&gt;</code> alone to report step by step with buttons."}
	msgFinalHint            = bot.T{VI: "Đầu mối báo cáo số liệu mới nhất bằng <code>/report &lt;kỳ&gt;</code>; các việc còn thiếu khác xem <code>/deadlines</code>, tiến độ chỉ tiêu xem <code>/progress</code>.", EN: "Representatives report their latest figures with <code>/report &lt;period&gt;</code>; for the rest of what is owed see <code>/deadlines</code>, and the progress of the targets in <code>/progress</code>."}
	msgElectionHint         = bot.T{VI: "Đầu mối bấm chọn ứng viên trên phiếu bầu (gửi <code>/result</code> để hiện lại phiếu).", EN: "A representative presses a candidate on the ballot (send <code>/result</code> to show it again)."}

	// What a unit still owes, by the kind of debt (see owingText).
	msgDebts = map[thidua.DebtKind]bot.T{
		thidua.DebtPledges:  {VI: "chưa đăng ký nội dung thi đua", EN: "registering its pledges"},
		thidua.DebtSubmit:   {VI: "chưa gửi danh sách đăng ký (/submit)", EN: "submitting its pledge list (/submit)"},
		thidua.DebtReturned: {VI: "danh sách bị trả lại, cần sửa và gửi lại", EN: "correcting its returned pledge list and submitting it again"},
		thidua.DebtSign:     {VI: "chưa ký giao ước thi đua", EN: "signing the covenant"},
		thidua.DebtVote:     {VI: "chưa bỏ phiếu bầu %s", EN: "its vote in the %s election"},
		thidua.DebtReport:   {VI: "chưa báo cáo kết quả kỳ %s", EN: "the report for %s"},
		thidua.DebtPace:     {VI: "chỉ tiêu năm chưa đạt tiến độ", EN: "catching up with the pace of the year's targets"},
		thidua.DebtDeadline: {VI: "%s", EN: "%s"},
	}
)

// owingText says in l what the unit of o still owes, in plain text: its
// debts, each worded by its kind, joined by semicolons; "" when the
// deadline's title says it all.
func owingText(o thidua.Owing, l bot.Lang) string {
	parts := make([]string, len(o.Debts))
	for i, d := range o.Debts {
		switch t := msgDebts[d.Kind]; d.Kind {
		case thidua.DebtVote:
			parts[i] = t.F(l, roleName[d.Role].In(l))
		case thidua.DebtReport, thidua.DebtDeadline:
			parts[i] = t.F(l, d.Name)
		default:
			parts[i] = t.In(l)
		}
	}
	return strings.Join(parts, "; ")
}

// owingReason is what the unit of o still owes, in l, as a line of the
// group's reminder or of /deadlines adds it after the unit's name, escaped
// for HTML, its plain text cut by cut (see shorten) unless 0; "" when the
// deadline's title says it all.
func owingReason(o thidua.Owing, l bot.Lang, cut int) string {
	if len(o.Debts) == 0 {
		return ""
	}
	text := owingText(o, l)
	if cut > 0 {
		text = shorten(text, cut)
	}
	return msgOwingReason.F(l, bot.Escape(text))
}

// maxDMReason bounds, in UTF-16 units, what a direct message says the unit
// still owes, so that the message stays one Telegram accepts (the group's
// reminder is split instead).
const maxDMReason = 2000

// errUnchanged ends an Update that found nothing to change.
var errUnchanged = errors.New("handlers: nothing to change")

// sendDueReminders deals with the block's reminder slots that are due at
// now, earliest first: a slot whose useful time has passed (the bot was not
// running) is skipped with a log line, one for which nobody owes anything is
// marked without sending, and any other is claimed in the store, so that
// one process only sends it, sent, and marked sent in the block.
func (r *Router) sendDueReminders(ctx context.Context, blockID string, now time.Time) error {
	b, err := r.cfg.Store.Block(ctx, blockID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	var errs []error
	for _, ds := range b.DueSlots(now) {
		errs = append(errs, r.dueSlot(ctx, b, ds, now))
	}
	return errors.Join(errs...)
}

// dueSlot deals with one due slot (see sendDueReminders). While the bot
// is out of the block's group or may not post there (see
// thidua.Block.BotAwayAt), or General, where it posts, is closed (see
// thidua.Block.GeneralHomeClosed), or once Telegram says so, the slot is
// marked as not sent, without an error: it is not tried again.
func (r *Router) dueSlot(ctx context.Context, b *thidua.Block, ds thidua.DueSlot, now time.Time) error {
	log := r.cfg.Log.With("block", b.ID, "deadline", ds.Deadline.Key, "slot", ds.Slot.ID)
	switch {
	case !ds.Slot.Useful(now):
		log.Info("reminder skipped: its time passed while the bot was not running",
			"due_at", ds.Slot.At, "useful_until", ds.Slot.Until)
		return r.markSlot(ctx, b.ID, ds, thidua.SlotSkipped, now)
	case len(ds.Deadline.Owing) == 0:
		return r.markSlot(ctx, b.ID, ds, thidua.SlotNobody, now)
	case b.BotAwayAt(now):
		log.Info("reminder not sent: "+awayReason(b.Schedule.Muted, "the group"), "since", b.Schedule.Away.At)
		return r.markSlot(ctx, b.ID, ds, thidua.SlotAway, now)
	case b.GeneralHomeClosed():
		log.Info("reminder not sent: "+generalClosedReason, "since", b.Schedule.GeneralClosed)
		return r.markSlot(ctx, b.ID, ds, thidua.SlotClosed, now)
	}
	won, err := r.cfg.Store.Claim(ctx, b.ID+":"+ds.Deadline.Key+":"+ds.Slot.ID, claimTTL)
	if err != nil {
		return err
	}
	if !won {
		// Another process is sending it, or sent it and is marking it.
		log.Debug("reminder claimed by another process")
		return nil
	}
	thread := b.HomeThread()
	if err := r.postReminder(ctx, b, &thread, ds.Deadline, now); r.cannotPost(ctx, b, err) {
		outcome, reason := thidua.SlotAway, awayReason(isRestricted(err), "the group")
		if bot.TopicClosed(err) {
			outcome, reason = thidua.SlotClosed, generalClosedReason
		}
		log.Info("reminder not sent: " + reason)
		return r.markSlot(ctx, b.ID, ds, outcome, now)
	} else if err != nil {
		return fmt.Errorf("reminder %s %s of block %s: %w", ds.Deadline.Key, ds.Slot.ID, b.ID, err)
	}
	log.Info("reminder sent", "units", len(ds.Deadline.Owing))
	return r.markSlot(ctx, b.ID, ds, thidua.SlotSent, now)
}

// generalClosedReason says, for the logs, why the bot posts nothing in
// the block's group: General, where it posts, is closed.
const generalClosedReason = "the General topic, where the bot posts, is closed"

// markSlot records the slot's outcome in the block's schedule.
func (r *Router) markSlot(ctx context.Context, blockID string, ds thidua.DueSlot, outcome thidua.SlotOutcome, now time.Time) error {
	_, err := r.cfg.Store.UpdateParts(ctx, blockID, thidua.PartSchedule, func(b *thidua.Block) error {
		if !b.MarkSlot(ds.Deadline, ds.Slot.ID, outcome, now) {
			return errUnchanged
		}
		return nil
	})
	if errors.Is(err, errUnchanged) {
		return nil
	}
	return err
}

// postReminder sends the deadline's reminder, or its overdue notice once it
// has passed, to the block's group, in its topic *thread (see sendIn), in
// the block's language: one message naming every unit that owes something
// and mentioning its representatives. The representatives who can be
// reached in private also get a direct message, in their own language (see
// notifyPrivately), saying what their unit still owes (see reminderDM).
func (r *Router) postReminder(ctx context.Context, b *thidua.Block, thread *int, d thidua.Deadline, now time.Time) error {
	lang, loc, passed := r.cfg.Lang, b.Location(), d.Passed(now)
	title, due, left := deadlineTitle(d, lang), thidua.FormatDateTime(d.Due, loc), daysLeft(now, d.Due, loc, lang)
	head := msgReminderHead.F(lang, title, due, left)
	if passed {
		head = msgOverdueHead.F(lang, title, due)
	}
	lines := []string{head, msgOwingHead.F(lang, len(d.Owing), len(b.Units))}
	for _, o := range d.Owing {
		line := "• <b>" + bot.Escape(b.UnitName(o.UnitID)) + "</b>" + owingReason(o, lang, 0)
		var reps []string
		for _, rp := range b.RepsOf(o.UnitID) {
			reps = append(reps, bot.Mention(rp.UserID, rp.Name, rp.Username))
		}
		if len(reps) == 0 {
			reps = append(reps, msgNoRep.In(lang))
		}
		lines = append(lines, line+" — "+strings.Join(reps, ", "))
	}
	hint := r.deadlineHint(d, lang)
	if hint != "" {
		lines = append(lines, hint)
	}
	if _, err := r.post(ctx, b.ChatID, thread, strings.Join(lines, "\n"), 0, nil); err != nil {
		return err
	}
	for _, o := range d.Owing {
		text := func(l bot.Lang) string { return r.reminderDM(b, d, o, now, l) }
		for _, rp := range b.RepsOf(o.UnitID) {
			r.notifyPrivately(ctx, &rp, text)
		}
	}
	return nil
}

// reminderDM is the direct message of a deadline's reminder, or of its
// overdue notice once it has passed, to a representative of the owing unit
// o, in l: what the unit still owes and how to do it.
func (r *Router) reminderDM(b *thidua.Block, d thidua.Deadline, o thidua.Owing, now time.Time, l bot.Lang) string {
	loc := b.Location()
	title, due, unit, reason := deadlineTitle(d, l), thidua.FormatDateTime(d.Due, loc), bot.Escape(b.UnitName(o.UnitID)), owingReason(o, l, maxDMReason)
	text := msgReminderDM.F(l, bot.Escape(b.Name), title, due, daysLeft(now, d.Due, loc, l), unit, reason)
	if d.Passed(now) {
		text = msgOverdueDM.F(l, bot.Escape(b.Name), title, due, unit, reason)
	}
	if hint := r.deadlineHint(d, l); hint != "" {
		text += "\n" + hint
	}
	return text
}

// deadlineLabel names a deadline in plain text, in lang. Each kind of
// deadline words its title here; custom ones keep their own.
func deadlineLabel(d thidua.Deadline, lang bot.Lang) string {
	switch d.Kind {
	case thidua.KindFinal:
		return msgFinalDeadline.F(lang, d.Due.Year())
	case thidua.KindRegistration:
		if d.Subject.Unit != "" {
			return msgRegistrationDeadline.In(lang) + msgRegistrationAlone.F(lang, d.Subject.Unit)
		}
		return msgRegistrationDeadline.In(lang)
	case thidua.KindCovenant:
		return msgCovenantDeadline.In(lang)
	case thidua.KindElection:
		return electionLabel(d.Subject.Role, d.Subject.Year, d.Subject.Round, lang)
	case thidua.KindPeriod:
		return msgPeriodDeadline.F(lang, d.Subject.Period)
	default:
		return d.Title
	}
}

// electionLabel names an election in plain text, in lang, as its deadline
// does: "Bầu Khối trưởng năm 2027 (vòng 2)".
func electionLabel(office thidua.Role, year, round int, lang bot.Lang) string {
	label := msgElectionDeadline.F(lang, roleName[office].In(lang), year)
	if round > 1 {
		label += msgElectionRound.F(lang, round)
	}
	return label
}

// deadlineTitle is deadlineLabel escaped for HTML.
func deadlineTitle(d thidua.Deadline, lang bot.Lang) string {
	return bot.Escape(deadlineLabel(d, lang))
}

// deadlineHint tells the units, in lang, how to do their part of a
// deadline, if the bot records it through a command ("" otherwise),
// naming the covenant's button as it reads, in the group's language. The
// final deadline gathers the others' debts and the targets behind pace,
// which reports make up.
func (r *Router) deadlineHint(d thidua.Deadline, lang bot.Lang) string {
	switch d.Kind {
	case thidua.KindFinal:
		return msgFinalHint.In(lang)
	case thidua.KindCustom:
		return msgDoneHint.F(lang, d.No)
	case thidua.KindRegistration:
		return msgRegistrationHint.In(lang)
	case thidua.KindCovenant:
		return msgCovenantHint.F(lang, msgSignBtn.In(r.cfg.Lang))
	case thidua.KindElection:
		return msgElectionHint.In(lang)
	case thidua.KindPeriod:
		return msgPeriodHint.In(lang)
	}
	return ""
}
