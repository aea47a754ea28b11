package handlers

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/thidua"
)

// This file holds the deadline commands: setting, listing and deleting
// deadlines, marking one's part done, the reminder settings and sending a
// reminder at once. The reminders themselves are in reminders.go.

func (r *Router) registerDeadlines() {
	r.add(&command{
		name: "deadline", aliases: []string{"hanchot"}, where: inGroup, who: roleManager,
		usage:   bot.T{VI: "<dd/mm/yyyy [HH:MM]> | <nội dung>", EN: "<dd/mm/yyyy [HH:MM]> | <what is due>"},
		example: bot.T{VI: "/deadline 15/06/{year} 17:00 | Nộp báo cáo kết quả 6 tháng", EN: "/deadline 15/06/{year} 17:00 | Nộp báo cáo kết quả 6 tháng"},
		desc:    bot.T{VI: "Đặt hạn chót cho các đơn vị (mặc định 17:00)", EN: "Set a deadline for the units (17:00 unless given)"},
		run:     r.addDeadline,
	})
	r.add(&command{
		name: "deadlines", aliases: []string{"dshan"}, where: inGroup, who: roleAnyone,
		desc: bot.T{VI: "Các hạn sắp tới, còn mấy ngày, đơn vị nào chưa xong", EN: "Coming deadlines, days left, units not done"},
		run:  r.listDeadlines,
	})
	r.add(&command{
		name: "deldeadline", aliases: []string{"xoahan"}, where: inGroup, who: roleManager,
		usage:   bot.T{VI: "<số hạn>", EN: "<deadline number>"},
		example: bot.T{VI: "/deldeadline 3", EN: "/deldeadline 3"},
		desc:    bot.T{VI: "Xoá một hạn đã đặt", EN: "Delete a deadline"},
		run:     r.deleteDeadline,
	})
	r.add(&command{
		name: "done", aliases: []string{"xong"}, where: inGroup, who: roleRep,
		usage:   bot.T{VI: "<số hạn> [đơn vị]", EN: "<deadline number> [unit]"},
		example: bot.T{VI: "/done 3", EN: "/done 3"},
		desc:    bot.T{VI: "Báo đơn vị mình đã hoàn thành một hạn", EN: "Report that your unit has met a deadline"},
		run:     r.markDone,
	})
	r.add(&command{
		name: "remind", aliases: []string{"nhacnho"}, where: inGroup, who: roleAnyone,
		usage: bot.T{
			VI: "[số ngày trước hạn] [giờ nhắc] [yên HH:MM-HH:MM | yên tắt] [cuối tuần có | không]",
			EN: "[days before] [time] [quiet HH:MM-HH:MM | quiet off] [weekends on | off]",
		},
		example: bot.T{VI: "/remind 14,7,3,1,0 08:00 yên 21:00-07:00 cuối tuần không", EN: "/remind 14,7,3,1,0 08:00 quiet 21:00-07:00 weekends off"},
		desc:    bot.T{VI: "Cách nhắc hạn; Khối trưởng đổi ngày, giờ nhắc", EN: "How reminders go out; managers change it"},
		run:     r.remind,
	})
	r.add(&command{
		name: "remindnow", aliases: []string{"nhacngay"}, where: inGroup, who: roleManager,
		usage:   bot.T{VI: "[số hạn]", EN: "[deadline number]"},
		example: bot.T{VI: "/remindnow 3", EN: "/remindnow 3"},
		desc:    bot.T{VI: "Gửi ngay lời nhắc một hạn cho các đơn vị chưa xong", EN: "Send a deadline's reminder to the units not done, now"},
		run:     r.remindNow,
	})
	r.describeActions(map[string]bot.T{
		"deadline.add":      {VI: "đặt hạn", EN: "set a deadline"},
		"deadline.delete":   {VI: "xoá hạn", EN: "deleted a deadline"},
		"deadline.done":     {VI: "báo đã hoàn thành", EN: "reported done"},
		"reminder.settings": {VI: "đổi cách nhắc hạn", EN: "changed the reminders"},
		"reminder.sent":     {VI: "nhắc hạn", EN: "sent a reminder"},
		"reminder.overdue":  {VI: "báo quá hạn", EN: "sent an overdue notice"},
		"reminder.now":      {VI: "yêu cầu nhắc hạn ngay", EN: "asked for a reminder now"},
	})
	r.describeErrors(deadlineErrors...)
	r.describeErrors(reminderSettingErrors...)
	r.onCallback(cbRemindNow, r.remindNowPress)
}

// cbRemindNow:<deadline key> sends the deadline's reminder now;
// cbRemindNow:p:<page> turns the page of the buttons (see pageArg).
const cbRemindNow = "rn"

// recentDays is how long after a deadline /deadlines and /remindnow still
// show it.
const recentDays = 7

var deadlineErrors = []domainError{
	{thidua.ErrDeadlineNotFound, bot.T{
		VI: "Không có hạn số này. Gửi /deadlines để xem số của các hạn.",
		EN: "There is no deadline with this number. Send /deadlines to see the numbers.",
	}},
	{thidua.ErrDeadlineTitle, bot.T{
		VI: "Nội dung hạn phải có chữ và dài tối đa 200 ký tự.",
		EN: "The deadline's description must have letters and be at most 200 characters long.",
	}},
	{thidua.ErrDeadlinePast, bot.T{
		VI: "Thời điểm này đã qua. Hạn phải ở trong tương lai.",
		EN: "That time has passed. A deadline must be in the future.",
	}},
	{thidua.ErrDeadlineTooFar, bot.T{
		VI: "Hạn quá xa: chỉ đặt được hạn trong vòng 2 năm tới.",
		EN: "Too far ahead: deadlines can be set up to 2 years ahead.",
	}},
	{thidua.ErrTooManyDeadlines, bot.T{
		VI: "Khối đã có 100 hạn. Hãy xoá bớt các hạn cũ bằng /deldeadline.",
		EN: "The block already has 100 deadlines. Delete old ones with /deldeadline.",
	}},
	{thidua.ErrAlreadyDone, bot.T{
		VI: "Đơn vị này đã báo hoàn thành hạn này rồi.",
		EN: "This unit has already reported this deadline done.",
	}},
	{thidua.ErrNothingOwed, bot.T{
		VI: "Các đơn vị đều đã hoàn thành hạn này: không cần nhắc.",
		EN: "Every unit has met this deadline: no reminder is needed.",
	}},
}

// reminderSettingErrors explain bad reminder settings; /remind shows them
// with its usage.
var reminderSettingErrors = []domainError{
	{thidua.ErrReminderDays, bot.T{
		VI: "Số ngày trước hạn là các số nguyên từ 0 (ngày hạn) đến 60, tối đa 10 số, ngăn cách bởi dấu phẩy.",
		EN: "Days before the deadline are whole numbers from 0 (the day itself) to 60, at most 10 of them, separated by commas.",
	}},
	{thidua.ErrReminderQuiet, bot.T{
		VI: "Giờ nhắc nằm trong giờ yên lặng: hãy chọn giờ nhắc khác hoặc đổi giờ yên lặng.",
		EN: "The reminder time falls in the quiet hours: choose another time or change the quiet hours.",
	}},
}

var (
	msgDeadlineBad     = bot.T{VI: "Cần ngày hạn và nội dung, ngăn cách bởi dấu |.", EN: "Give the date and what is due, separated by |."}
	msgDeadlineBadDate = bot.T{VI: "Ngày giờ «%s» không hợp lệ.", EN: "«%s» is not a valid date and time."}
	msgDeadlineAdded   = bot.T{
		VI: "✅ Đã đặt hạn <b>#%d</b>: <b>%s</b>\nHạn: %s (%s).\nBot sẽ nhắc các đơn vị chưa hoàn thành; đầu mối đơn vị làm xong gửi <code>/done %d</code>.",
		EN: "✅ Deadline <b>#%d</b> set: <b>%s</b>\nDue: %s (%s).\nThe bot will remind the units that have not finished; representatives send <code>/done %d</code> once done.",
	}
	msgDeadlinesHead  = bot.T{VI: "📅 <b>Các hạn của khối</b>", EN: "📅 <b>The block's deadlines</b>"}
	msgDeadlinesNone  = bot.T{VI: "Không có hạn nào sắp tới.", EN: "No deadlines coming."}
	msgDeadlineLine   = bot.T{VI: "%s <b>%s</b> — %s (%s)", EN: "%s <b>%s</b> — %s (%s)"}
	msgOwingLine      = bot.T{VI: "   Chưa xong (%d/%d): %s", EN: "   Not done (%d/%d): %s"}
	msgOwingHeadLine  = bot.T{VI: "   Chưa xong (%d/%d):", EN: "   Not done (%d/%d):"}
	msgAllDoneLine    = bot.T{VI: "   ✅ Tất cả đơn vị đã hoàn thành", EN: "   ✅ Every unit has finished"}
	msgDueToday       = bot.T{VI: "hạn hôm nay", EN: "due today"}
	msgDaysLeft       = bot.T{VI: "còn %d ngày", EN: "%d {day|days} left"}
	msgOverdue        = bot.T{VI: "đã quá hạn", EN: "overdue"}
	msgOverdueDays    = bot.T{VI: "quá hạn %d ngày", EN: "%d {day|days} overdue"}
	msgDeadlineNoBad  = bot.T{VI: "Số hạn phải là một số nguyên dương (xem /deadlines).", EN: "The deadline number must be a positive whole number (see /deadlines)."}
	msgDeadlineGone   = bot.T{VI: "🗑 Đã xoá hạn <b>#%d</b>: %s.", EN: "🗑 Deleted deadline <b>#%d</b>: %s."}
	msgDoneNameUnit   = bot.T{VI: "Bạn không là đầu mối của đơn vị nào: hãy nêu đơn vị sau số hạn.", EN: "You represent no unit: name the unit after the deadline number."}
	msgDoneOwnUnit    = bot.T{VI: "Bạn chỉ báo hoàn thành được cho đơn vị của mình (quản trị viên nhóm báo được cho mọi đơn vị).", EN: "You can only report for your own unit (group administrators can report for any unit)."}
	msgDoneRecorded   = bot.T{VI: "✅ <b>%s</b> đã hoàn thành «%s» (hạn #%d).", EN: "✅ <b>%s</b> has met «%s» (deadline #%d)."}
	msgDoneLate       = bot.T{VI: "⏰ Xong sau hạn %s.", EN: "⏰ Done after the deadline, %s."}
	msgDoneRemaining  = bot.T{VI: "Còn %d/%d đơn vị chưa xong.", EN: "Still to finish: %d of %d {unit|units}."}
	msgDoneAll        = bot.T{VI: "🎉 Tất cả đơn vị đã hoàn thành.", EN: "🎉 Every unit has finished."}
	msgRemindShow     = bot.T{VI: "⏰ <b>Cách nhắc hạn của khối</b>\n%s\n\nĐổi bằng lệnh, ví dụ: <code>/remind 14,7,3,1,0 08:00 yên 21:00-07:00 cuối tuần không</code>", EN: "⏰ <b>How the block is reminded</b>\n%s\n\nChange it with, e.g.: <code>/remind 14,7,3,1,0 08:00 quiet 21:00-07:00 weekends off</code>"}
	msgRemindChanged  = bot.T{VI: "✅ Đã đổi cách nhắc hạn:\n%s", EN: "✅ Reminders changed:\n%s"}
	msgRemindSame     = bot.T{VI: "Cách nhắc hạn vẫn như cũ:\n%s", EN: "The reminders stay as they were:\n%s"}
	msgRemindBadWord  = bot.T{VI: "Không hiểu «%s».", EN: "«%s» is not understood."}
	msgRemindBadQuiet = bot.T{VI: "Giờ yên lặng «%s» không hợp lệ: viết dạng HH:MM-HH:MM (ví dụ 21:00-07:00), hoặc «yên tắt» để bỏ.", EN: "Quiet hours «%s» are not valid: write HH:MM-HH:MM (e.g. 21:00-07:00), or «quiet off» for none."}
	msgRemindBadWeek  = bot.T{VI: "Sau «cuối tuần» ghi «có» hoặc «không», không phải «%s».", EN: "Write «on» or «off» after «weekends», not «%s»."}
	msgRemindBadClock = bot.T{VI: "Giờ nhắc «%s» không có thật: viết HH:MM, từ 00:00 đến 23:59 (ví dụ 08:00 hoặc 8h30).", EN: "The reminder time «%s» does not exist: write HH:MM, from 00:00 to 23:59 (e.g. 08:00 or 8h30)."}
	msgRemindTwice    = bot.T{VI: "«%s»: thiết lập này đã ghi ở trên; mỗi lệnh ghi mỗi thiết lập một lần.", EN: "«%s»: this setting was given already; give each setting once."}
	msgSettingsDays   = bot.T{VI: "Nhắc %s, lúc %s (giờ %s).", EN: "Reminders %s, at %s (%s time)."}
	msgDaysBefore     = bot.T{VI: "%s ngày trước hạn", EN: "%s {day|days} before"}
	msgOnTheDay       = bot.T{VI: "trong ngày hạn", EN: "on the day"}
	msgAnd            = bot.T{VI: " và ", EN: " and "}
	msgSettingsQuiet  = bot.T{VI: "Giờ yên lặng (không gửi): %s–%s.", EN: "Quiet hours (nothing sent): %s–%s."}
	msgSettingsNoQ    = bot.T{VI: "Không có giờ yên lặng.", EN: "No quiet hours."}
	msgWeekendsOn     = bot.T{VI: "Thứ Bảy, Chủ nhật: có nhắc.", EN: "Saturdays and Sundays: reminders go out."}
	msgWeekendsOff    = bot.T{VI: "Thứ Bảy, Chủ nhật: không nhắc (lời nhắc rơi vào cuối tuần gửi sớm vào thứ Sáu).", EN: "Saturdays and Sundays: none (a reminder falling on a weekend goes out on the Friday before)."}
	msgRemindNowPick  = bot.T{VI: "Chọn hạn cần nhắc ngay:", EN: "Choose the deadline to remind of now:"}
	// msgRemindNowAlone labels the button of registration opened for a
	// unit alone by its unit, which the deadline's title would leave cut
	// off (see remindNowLabel).
	msgRemindNowAlone = bot.T{VI: "Đăng ký riêng: %s", EN: "Registration alone: %s"}
	msgRemindNowNone  = bot.T{VI: "Không có hạn nào còn đơn vị chưa hoàn thành.", EN: "No deadline has units that have not finished."}
	msgRemindNowDone  = bot.T{VI: "📣 Đã gửi nhắc hạn «%s» (theo yêu cầu của %s).", EN: "📣 Reminder of «%s» sent (asked by %s)."}
)

// addDeadline sets a deadline of the block's own.
func (r *Router) addDeadline(q *request) error {
	when, title, ok := strings.Cut(q.args, "|")
	when, title = strings.TrimSpace(when), strings.TrimSpace(title)
	if !ok || when == "" || title == "" {
		return q.usage(msgDeadlineBad)
	}
	b, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	zone := r.zoneOf(b)
	due, err := thidua.ParseDateTime(when, b.Year, thidua.DeadlineClock, zone)
	if err != nil {
		return q.usage(msgDeadlineBadDate, bot.Escape(when))
	}
	now := r.now()
	var c thidua.CustomDeadline
	if b, err = q.update(func(b *thidua.Block) error {
		b.AdoptZone(zone.String())
		c, err = b.AddDeadline(a, due, title, now)
		return err
	}); err != nil {
		return err
	}
	loc := b.Location()
	return q.reply(msgDeadlineAdded.F(q.lang, c.No, bot.Escape(c.Title), thidua.FormatDateTime(c.Due, loc), daysLeft(now, c.Due, loc, q.lang), c.No))
}

// zoneOf is the zone times of the block are read in: the block's, or the
// configured one that the block adopts with its first schedule change.
func (r *Router) zoneOf(b *thidua.Block) *time.Location {
	if b.Schedule.Zone == "" {
		return r.cfg.Location
	}
	return b.Location()
}

// listDeadlines shows the deadlines to come and those passed in the last
// week, with the days left and the units not done, then the reminder settings.
func (r *Router) listDeadlines(q *request) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	now, loc := r.now(), b.Location()
	lines := []string{msgDeadlinesHead.In(q.lang)}
	for _, d := range shownDeadlines(b, now) {
		mark := "•"
		if d.Kind == thidua.KindCustom {
			mark = fmt.Sprintf("<b>#%d</b>", d.No)
		}
		lines = append(lines, "", msgDeadlineLine.F(q.lang, mark, deadlineTitle(d, q.lang), thidua.FormatDateTime(d.Due, loc), daysLeft(now, d.Due, loc, q.lang)))
		switch {
		case len(d.Owing) > 0 && d.Kind == thidua.KindFinal:
			// The final deadline gathers different debts: each unit's on a
			// line of its own, as its reminder says them.
			lines = append(lines, msgOwingHeadLine.F(q.lang, len(d.Owing), len(b.Units)))
			for _, o := range d.Owing {
				lines = append(lines, "   – "+bot.Escape(b.UnitName(o.UnitID))+owingReason(o, q.lang, 0))
			}
		case len(d.Owing) > 0:
			names := make([]string, len(d.Owing))
			for i, o := range d.Owing {
				names[i] = bot.Escape(b.UnitName(o.UnitID))
			}
			lines = append(lines, msgOwingLine.F(q.lang, len(d.Owing), len(b.Units), strings.Join(names, ", ")))
		case d.Kind != thidua.KindFinal && len(b.Units) > 0:
			// The final deadline is owed nothing by a block that has
			// registered nothing yet either: "all done" would mislead.
			lines = append(lines, msgAllDoneLine.In(q.lang))
		}
	}
	if len(lines) == 1 {
		lines = append(lines, msgDeadlinesNone.In(q.lang))
	}
	lines = append(lines, "", settingsText(b, q.lang))
	return q.reply(strings.Join(lines, "\n"))
}

// shownDeadlines are the deadlines still to come or passed less than
// recentDays ago.
func shownDeadlines(b *thidua.Block, now time.Time) []thidua.Deadline {
	var out []thidua.Deadline
	for _, d := range b.Deadlines(now) {
		if d.Due.After(now.AddDate(0, 0, -recentDays)) {
			out = append(out, d)
		}
	}
	return out
}

// deleteDeadline removes a custom deadline.
func (r *Router) deleteDeadline(q *request) error {
	no, ok := parseDeadlineNo(q.args)
	if !ok {
		return q.usage(msgDeadlineNoBad)
	}
	_, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	var gone thidua.CustomDeadline
	if _, err := q.update(func(b *thidua.Block) error {
		gone, err = b.DeleteDeadline(a, no, r.now())
		return err
	}); err != nil {
		return err
	}
	return q.reply(msgDeadlineGone.F(q.lang, gone.No, bot.Escape(gone.Title)))
}

// markDone records that the asker's unit (or the unit named, for an
// administrator) has met a custom deadline.
func (r *Router) markDone(q *request) error {
	ref := ""
	if f := strings.Fields(q.args); len(f) > 0 {
		ref = f[0]
	}
	unitRef := strings.TrimSpace(strings.TrimPrefix(q.args, ref))
	no, ok := parseDeadlineNo(ref)
	if !ok {
		return q.usage(msgDeadlineNoBad)
	}
	b, err := q.block()
	if err != nil {
		return err
	}
	a, err := q.actor()
	if err != nil {
		return err
	}
	unitID := ""
	if unitRef != "" {
		u, err := b.FindUnit(unitRef)
		if err != nil {
			return err
		}
		if !b.CanActFor(a, u.ID) {
			return q.refuse(msgDoneOwnUnit)
		}
		unitID = u.ID
	} else if a.Admin && b.RepOf(a.UserID) == nil {
		return q.usage(msgDoneNameUnit)
	}
	var c thidua.CustomDeadline
	if b, err = q.update(func(b *thidua.Block) error {
		c, err = b.MarkDone(a, no, unitID, r.now())
		return err
	}); err != nil {
		return err
	}
	mark := c.Done[len(c.Done)-1]
	text := msgDoneRecorded.F(q.lang, bot.Escape(b.UnitName(mark.UnitID)), bot.Escape(c.Title), c.No)
	if !mark.At.Before(c.Due) {
		text += "\n" + msgDoneLate.F(q.lang, thidua.FormatDateTime(c.Due, r.zoneOf(b)))
	}
	d, _ := b.Deadline(thidua.CustomKey(c.No), r.now())
	if len(d.Owing) == 0 {
		return q.reply(text + "\n" + msgDoneAll.In(q.lang))
	}
	return q.reply(text + "\n" + msgDoneRemaining.F(q.lang, len(d.Owing), len(b.Units)))
}

// parseDeadlineNo reads a deadline number, with or without "#".
func parseDeadlineNo(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(s), "#"))
	return n, err == nil && n > 0
}

// remind shows the reminder settings, or changes those given.
func (r *Router) remind(q *request) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	if q.args == "" {
		return q.reply(msgRemindShow.F(q.lang, settingsText(b, q.lang)))
	}
	a, err := q.manager(b)
	if err != nil {
		return err
	}
	s, problem, word := parseReminders(q.args, b.Reminders())
	if problem != nil {
		return q.usage(*problem, bot.Escape(word))
	}
	zone := r.zoneOf(b)
	b, err = q.update(func(b *thidua.Block) error {
		if err := b.SetReminders(a, s, r.now()); err != nil {
			return err
		}
		b.AdoptZone(zone.String())
		return nil
	})
	if errors.Is(err, thidua.ErrUnchanged) {
		b, err = q.block()
		if err != nil {
			return err
		}
		return q.reply(msgRemindSame.F(q.lang, settingsText(b, q.lang)))
	}
	for _, e := range reminderSettingErrors {
		if errors.Is(err, e.err) {
			return q.usage(e.msg)
		}
	}
	if err != nil {
		return err
	}
	return q.reply(msgRemindChanged.F(q.lang, settingsText(b, q.lang)))
}

var (
	// daysListRE matches a list of day offsets: "14,7,3,1,0".
	daysListRE = regexp.MustCompile(`^\d{1,3}(,\d{1,3})*$`)
	// commaSpaceRE matches a comma with spaces around it.
	commaSpaceRE = regexp.MustCompile(`\s*,\s*`)
	// clockRE matches what is written as a time of day, "08:00" or
	// "8h30", whether or not the time exists.
	clockRE = regexp.MustCompile(`^\d{1,2}[:hg]\d{0,2}$`)
)

// remindWord is a word of /remind's arguments: as the bot reads it
// (folded, see thidua.Fold; "cuối tuần" and "yên lặng" one word each) and
// as it was typed, which an answer quotes.
type remindWord struct{ folded, typed string }

// remindPairs are the two-word names of /remind's settings, folded, and the
// word each reads as.
var remindPairs = map[string]string{"cuoi tuan": "cuoituan", "yen lang": "yen"}

// remindWords splits /remind's arguments into words, a list of days
// written with spaces after its commas ("14, 7, 3") being one word.
func remindWords(args string) []remindWord {
	fields := strings.Fields(commaSpaceRE.ReplaceAllString(args, ","))
	words := make([]remindWord, 0, len(fields))
	for i := 0; i < len(fields); i++ {
		w := remindWord{thidua.Fold(fields[i]), fields[i]}
		if i+1 < len(fields) {
			if one, ok := remindPairs[w.folded+" "+thidua.Fold(fields[i+1])]; ok {
				w = remindWord{one, fields[i] + " " + fields[i+1]}
				i++
			}
		}
		words = append(words, w)
	}
	return words
}

// parseReminders reads /remind's arguments over the current settings: a
// list of days ("14,7,3,1,0", also separated by spaces: "7 3 1"), a time
// ("08:00"), "yên HH:MM-HH:MM" or "yên tắt" (also "quiet"), "cuối tuần
// có|không" (also "weekends on|off"), in any order, case and diacritics
// optional. Each but the days is given once. It returns the problem and
// the word at fault, as typed, when the arguments cannot be read; the
// domain checks the values.
func parseReminders(args string, s thidua.ReminderSettings) (thidua.ReminderSettings, *bot.T, string) {
	words := remindWords(args)
	daysGiven := false // the days given so far replace the current ones
	var given [3]bool  // the time, the quiet hours, the weekends
	once := func(setting int) bool {
		first := !given[setting]
		given[setting] = true
		return first
	}
	for i := 0; i < len(words); i++ {
		w, next, typed := words[i].folded, "", ""
		if i+1 < len(words) {
			next, typed = words[i+1].folded, words[i+1].typed
		}
		switch {
		case daysListRE.MatchString(w):
			if !daysGiven {
				s.Days, daysGiven = nil, true
			}
			for _, d := range strings.Split(w, ",") {
				n, _ := strconv.Atoi(d)
				s.Days = append(s.Days, n)
			}
		case (w == "yen" || w == "quiet") && !once(1), (w == "cuoituan" || w == "weekends" || w == "weekend") && !once(2):
			return s, &msgRemindTwice, words[i].typed
		case w == "yen" || w == "quiet":
			i++
			from, to, ok := parseQuiet(next)
			if !ok {
				return s, &msgRemindBadQuiet, typed
			}
			s.QuietFrom, s.QuietTo = from, to
		case w == "cuoituan" || w == "weekends" || w == "weekend":
			i++
			switch next {
			case "co", "on", "yes":
				s.Weekends = true
			case "khong", "off", "no":
				s.Weekends = false
			default:
				return s, &msgRemindBadWeek, typed
			}
		default:
			at, err := thidua.ParseClock(w)
			if err != nil && clockRE.MatchString(w) {
				return s, &msgRemindBadClock, words[i].typed
			}
			if err != nil {
				return s, &msgRemindBadWord, words[i].typed
			}
			if !once(0) {
				return s, &msgRemindTwice, words[i].typed
			}
			s.At = thidua.ClockOf(at)
		}
	}
	return s, nil, ""
}

// parseQuiet reads quiet hours "HH:MM-HH:MM", or "tat"/"off"/"khong" for
// none.
func parseQuiet(s string) (from, to thidua.Clock, ok bool) {
	switch s {
	case "tat", "off", "khong", "no":
		return 0, 0, true
	}
	a, b, found := strings.Cut(s, "-")
	f, err1 := thidua.ParseClock(a)
	t, err2 := thidua.ParseClock(b)
	if !found || err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return thidua.ClockOf(f), thidua.ClockOf(t), true
}

// settingsText describes the block's reminder settings.
func settingsText(b *thidua.Block, lang bot.Lang) string {
	s := b.Reminders()
	var before []string
	onTheDay := false
	for _, d := range s.Days {
		if d == 0 {
			onTheDay = true
		} else {
			before = append(before, strconv.Itoa(d))
		}
	}
	var when []string
	if len(before) > 0 {
		when = append(when, msgDaysBefore.F(lang, strings.Join(before, ", ")))
	}
	if onTheDay {
		when = append(when, msgOnTheDay.In(lang))
	}
	lines := []string{msgSettingsDays.F(lang, strings.Join(when, msgAnd.In(lang)), s.At, bot.Escape(b.Location().String()))}
	if s.HasQuiet() {
		lines = append(lines, msgSettingsQuiet.F(lang, s.QuietFrom, s.QuietTo))
	} else {
		lines = append(lines, msgSettingsNoQ.In(lang))
	}
	if s.Weekends {
		lines = append(lines, msgWeekendsOn.In(lang))
	} else {
		lines = append(lines, msgWeekendsOff.In(lang))
	}
	return strings.Join(lines, "\n")
}

// remindNow sends the reminder of custom deadline n now, or offers a button
// for each deadline with units not done.
func (r *Router) remindNow(q *request) error {
	b, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	if q.args != "" {
		no, ok := parseDeadlineNo(q.args)
		if !ok {
			return q.usage(msgDeadlineNoBad)
		}
		_, err := r.sendNow(q, a, thidua.CustomKey(no))
		return err
	}
	kb, ok := remindNowKeyboard(b, q.lang, r.now(), 0)
	if !ok {
		return q.reply(msgRemindNowNone.In(q.lang))
	}
	_, err = q.send(msgRemindNowPick.In(q.lang), &kb)
	return err
}

// remindNowKeyboard returns page p of the buttons of /remindnow on block b
// at now (see keyboardPage), one per deadline with units not done, in the
// order of /deadlines; false when there is none.
func remindNowKeyboard(b *thidua.Block, lang bot.Lang, now time.Time, p int) (tgbotapi.InlineKeyboardMarkup, bool) {
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, d := range shownDeadlines(b, now) {
		if len(d.Owing) > 0 {
			label := remindNowLabel(d, lang) + " — " + thidua.FormatDate(d.Due, b.Location())
			rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(label, cbRemindNow+":"+d.Key)))
		}
	}
	if len(rows) == 0 {
		return tgbotapi.InlineKeyboardMarkup{}, false
	}
	return keyboardPage(lang, rows, p, cbRemindNow+":"+pageArg+":"), true
}

// remindNowLabel names a deadline on its /remindnow button, in 40
// characters at most: as its reminders do (see deadlineLabel), but
// registration opened for a unit alone by its unit («Đăng ký riêng: Hội
// Nông dân tỉnh»), so that two such buttons tell their units apart.
func remindNowLabel(d thidua.Deadline, lang bot.Lang) string {
	if d.Kind == thidua.KindRegistration && d.Subject.Unit != "" {
		return shorten(msgRemindNowAlone.F(lang, d.Subject.Unit), 40)
	}
	return shorten(deadlineLabel(d, lang), 40)
}

// remindNowPress handles a button of /remindnow: a deadline's, or one
// that turns the page.
func (r *Router) remindNowPress(q *request, args []string) error {
	if len(args) == 0 {
		return q.answer(msgStaleButton.In(q.lang), true)
	}
	b, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	if p, ok := pageTurn(args); ok {
		if err := q.answer("", false); err != nil {
			return err
		}
		kb, ok := remindNowKeyboard(b, q.lang, r.now(), p)
		if !ok {
			return q.edit(q.chat.ID, q.callback.Message.MessageID, msgRemindNowNone.In(q.lang), nil)
		}
		return q.edit(q.chat.ID, q.callback.Message.MessageID, msgRemindNowPick.In(q.lang), &kb)
	}
	d, err := r.sendNow(q, a, strings.Join(args, ":"))
	if err != nil {
		return err
	}
	if err := q.answer("", false); err != nil {
		return err
	}
	return q.edit(q.chat.ID, q.callback.Message.MessageID, msgRemindNowDone.F(q.lang, deadlineTitle(d, q.lang), bot.Escape(a.Name)), nil)
}

// sendNow records a manager's request, sends the deadline's reminder and
// then marks the day's scheduled reminder it took the place of (see
// thidua.Block.RemindedByHand): only once it went out, so that a reminder
// that failed, or was lost in a crash before it was sent, leaves the day's
// schedule as it was.
func (r *Router) sendNow(q *request, a thidua.Actor, key string) (thidua.Deadline, error) {
	now := r.now()
	var d thidua.Deadline
	b, err := q.updateParts(0, func(b *thidua.Block) error {
		var err error
		d, err = b.RemindNow(a, key, now)
		return err
	})
	if err != nil {
		return d, err
	}
	if err := r.postReminder(q.ctx, b, &q.thread, d, now); err != nil {
		return d, err
	}
	r.remember(q.ctx, b.ID, "reminder sent by hand", thidua.PartSchedule, func(b *thidua.Block) error {
		if !b.RemindedByHand(key, now) {
			return errUnchanged
		}
		return nil
	})
	return d, nil
}

// daysLeft says how far a deadline is from now, in calendar days of loc:
// "còn 3 ngày", "hạn hôm nay", "quá hạn 2 ngày".
func daysLeft(now, due time.Time, loc *time.Location, lang bot.Lang) string {
	days := calendarDays(now.In(loc), due.In(loc))
	switch {
	case !now.Before(due) && days == 0:
		return msgOverdue.In(lang)
	case !now.Before(due):
		return msgOverdueDays.F(lang, -days)
	case days == 0:
		return msgDueToday.In(lang)
	default:
		return msgDaysLeft.F(lang, days)
	}
}

// calendarDays is the number of days from a's date to b's date.
func calendarDays(a, b time.Time) int {
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, time.UTC) }
	return int(day(b).Sub(day(a)).Hours() / 24)
}
