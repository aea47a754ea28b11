package handlers

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/storage"
	"thiduabot/thidua"
)

// This file holds the turn of the block to its next emulation year
// (/newyear): asked, confirmed with a button, the finished year archived.

func (r *Router) registerYear() {
	r.add(&command{
		name: "newyear", aliases: []string{"nammoi"}, where: inGroup, who: roleManager,
		desc: bot.T{VI: "Chuyển khối sang năm thi đua mới (từ 01/12)", EN: "Turn the block to the next emulation year (from 1 December)"},
		run:  r.newYear,
	})
	r.describeActions(map[string]bot.T{
		"year.start": {VI: "chuyển khối sang năm thi đua mới", EN: "turned the block to the next year"},
	})
	r.describeErrors(yearErrors...)
	r.onCallback(cbNewYear, r.confirmNewYear)
}

// cbNewYear prefixes the buttons of /newyear's question: "ny:<the year it
// ends>" turns the block, "ny:<the year>:x" cancels the question.
const cbNewYear = "ny"

var (
	msgNewYearAsk = bot.T{
		VI: "Chuyển <b>%s</b> sang năm thi đua <b>%d</b>?\n\n<b>Giữ nguyên:</b> %d đơn vị và %d đầu mối%s, cách nhắc hạn%s.%s\n<b>Năm %d:</b> Khối trưởng %s; Khối phó %s.\n<b>Khép lại cùng năm %d:</b> đăng ký thi đua, giao ước, kỳ báo cáo và các báo cáo, điểm tự chấm và điểm bình xét, đề nghị khen thưởng, cá nhân điển hình tiên tiến, các cuộc bầu. Số liệu năm %d vẫn được lưu: xuất lại bằng <code>/export %d</code>, bảng điểm: <code>/scores %d</code>, đề nghị khen thưởng: <code>/award %d</code>, cá nhân điển hình: <code>/exemplars %d</code>, biên bản kiểm phiếu: <code>/result %d</code>; lịch sử giữ mọi thay đổi.",
		EN: "Turn <b>%s</b> to the emulation year <b>%d</b>?\n\n<b>Kept:</b> %d {unit|units} and %d {representative|representatives}%s, the reminder settings%s.%s\n<b>In %d:</b> leader %s; deputy %s.\n<b>Closed with %d:</b> pledges, the covenant, reporting periods and reports, own and agreed scores, award proposals, outstanding individuals, elections. The data of %d stays: export it with <code>/export %d</code>, scores: <code>/scores %d</code>, award proposals: <code>/award %d</code>, outstanding individuals: <code>/exemplars %d</code>, counting records: <code>/result %d</code>; the history keeps every change.",
	}
	msgKeptCriteria   = bot.T{VI: ", %d tiêu chí chấm điểm (sửa bằng <code>/criteria</code>)", EN: ", %d scoring {criterion|criteria} (change {it|them} with <code>/criteria</code>)"}
	msgKeptNoCriteria = bot.T{
		VI: "\nKhối chưa có tiêu chí chấm điểm nào: Khối trưởng hoặc quản trị viên thêm bằng <code>/criteria add &lt;tiêu chí&gt; | &lt;điểm tối đa&gt;</code>.",
		EN: "\nThe block has no scoring criteria: the leader or an administrator adds them with <code>/criteria add &lt;criterion&gt; | &lt;maximum points&gt;</code>.",
	}
	msgKeptDeadlines = bot.T{VI: ", %d hạn chót sắp tới", EN: ", %d {deadline|deadlines} to come"}
	msgNewYearBtn    = bot.T{VI: "✅ Sang năm %d", EN: "✅ Start %d"}
	msgNewYearDone   = bot.T{
		VI: "🎊 <b>%s</b> đã sang năm thi đua <b>%d</b> (bởi %s).\nKhối trưởng: %s · Khối phó: %s\n\nViệc đầu năm: xem lại tiêu chí (<code>/criteria</code>), mở đăng ký (<code>/openreg</code>), đặt các kỳ báo cáo (<code>/period</code>), giao ước (<code>/covenant</code>). Số liệu năm %d: <code>/export %d</code>; bảng điểm: <code>/scores %d</code>; đề nghị khen thưởng: <code>/award %d</code>; cá nhân điển hình: <code>/exemplars %d</code>; biên bản kiểm phiếu: <code>/result %d</code>.",
		EN: "🎊 <b>%s</b> is now in the emulation year <b>%d</b> (by %s).\nLeader: %s · Deputy: %s\n\nTo start the year: review the criteria (<code>/criteria</code>), open registration (<code>/openreg</code>), set the reporting periods (<code>/period</code>), the covenant (<code>/covenant</code>). The data of %d: <code>/export %d</code>; scores: <code>/scores %d</code>; award proposals: <code>/award %d</code>; outstanding individuals: <code>/exemplars %d</code>; counting records: <code>/result %d</code>.",
	}
	msgLeftover          = bot.T{VI: "⚠️ %s. Sau khi chuyển năm không ghi thêm được.", EN: "⚠️ %s. None of it can be recorded after the turn."}
	msgLeftUnagreed      = bot.T{VI: "chưa bình xét: %s", EN: "not agreed on: %s"}
	msgLeftPartial       = bot.T{VI: "bình xét chưa đủ tiêu chí: %s", EN: "agreed on some criteria only: %s"}
	msgLeftNoProposal    = bot.T{VI: "chưa có đề nghị khen thưởng", EN: "no award proposal"}
	msgLeftUnreported    = bot.T{VI: "chưa báo cáo kỳ %s: %s", EN: "no report for %s: %s"}
	msgLeftUnits         = bot.T{VI: "%d đơn vị", EN: "%d {unit|units}"}
	msgLeftUnitsNamed    = bot.T{VI: "%d đơn vị (%s)", EN: "%d {unit|units} (%s)"}
	msgYearNotOver       = bot.T{VI: "Năm thi đua %d chưa kết thúc: khối chuyển sang năm %d được từ ngày %s, sau hạn hoàn thành các chỉ tiêu năm (%s).", EN: "The emulation year %d is not over: the block can turn to %d from %s, after the year's final deadline (%s)."}
	msgYearReportsDue    = bot.T{VI: "Chưa chuyển năm được: các đơn vị vẫn đang báo cáo kỳ %s. Chuyển sang năm mới sau hạn đó (số liệu năm %[2]d cần đủ trước khi khép lại), hoặc sửa hạn bằng <code>/period edit</code>.", EN: "Not yet: units are still reporting for %s. Turn to the next year after that deadline (the data of %[2]d should be complete before it closes), or change the deadline with <code>/period edit</code>."}
	msgYearBusy          = bot.T{VI: "Khối đang được cập nhật liên tục nên chưa chuyển năm được. Vui lòng bấm lại sau ít phút.", EN: "The block keeps changing, so the year was not turned. Please press again in a few minutes."}
	msgPeriodStillDue    = bot.T{VI: "«%s» (hạn %s)", EN: "«%s» (deadline %s)"}
	msgYearAlreadyTurned = bot.T{VI: "Khối đã sang năm thi đua %d rồi.", EN: "The block is already in the year %d."}
	msgRoleElected       = bot.T{VI: "%s (đã bầu)", EN: "%s (elected)"}
	msgRoleKept          = bot.T{VI: "%s (như năm %d)", EN: "%s (as in %d)"}
	msgYearBad           = bot.T{VI: "«%s» không phải một năm. Gõ năm bằng số, ví dụ <code>/%s {lastyear}</code>; không ghi năm là năm nay.", EN: "«%s» is not a year. Write the year in digits, e.g. <code>/%s {lastyear}</code>; without a year it is the current one."}
	msgNoYear            = bot.T{VI: "Khối không có số liệu năm %d: bot chỉ lưu những năm khối đã dùng bot và đã chuyển sang năm mới (<code>/newyear</code>). Năm hiện tại: %d, gửi <code>/%s</code>.", EN: "The block has no data of %d: the bot keeps only the years the block used it for and turned from (<code>/newyear</code>). The current year is %d: send <code>/%s</code>."}
)

// yearErrors explains the domain errors of the turn of a year.
var yearErrors = []domainError{
	{thidua.ErrYearNotOver, bot.T{
		VI: "Năm thi đua chưa kết thúc: khối chuyển sang năm mới được từ ngày 01/12, sau hạn hoàn thành các chỉ tiêu năm (30/11).",
		EN: "The emulation year is not over: the block can turn to the next year from 1 December, after the year's final deadline (30/11).",
	}},
	{thidua.ErrReportsDue, bot.T{
		VI: "Còn kỳ báo cáo chưa hết hạn: các đơn vị vẫn đang báo cáo cho năm này. Chuyển năm sau hạn của kỳ đó, hoặc sửa hạn (<code>/period edit</code>).",
		EN: "A reporting period's deadline is still ahead: units are still reporting for this year. Turn the year after it, or change the deadline (<code>/period edit</code>).",
	}},
	{thidua.ErrVoteUnderway, bot.T{
		VI: "Đang có cuộc bầu chưa xong (đang bỏ phiếu, chờ quyết định khi hoà, hoặc chưa công bố kết quả). Kết thúc cuộc bầu (<code>/closevote</code>, <code>/decide</code>) rồi chuyển năm.",
		EN: "An election is not finished (voting, awaiting a decision on a tie, or its result not yet posted). Finish it (<code>/closevote</code>, <code>/decide</code>), then turn the year.",
	}},
}

// errYearMoved ends the turn of a year whose block changed after it was
// archived: the turn starts again from the block as it is now.
var errYearMoved = errors.New("handlers: the block changed since it was archived")

// newYear asks a manager to confirm the turn of the block to its next year,
// saying what stays and what the new year starts with.
func (r *Router) newYear(q *request) error {
	b, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	switch err := b.CanStartYear(a, r.now()); {
	case errors.Is(err, thidua.ErrYearNotOver):
		// Named in full: a block that turned days ago is in a new year,
		// which ends on 30/11 of the next calendar year.
		ends, loc := b.YearEnds(), b.Location()
		return q.fail(msgYearNotOver.F(q.lang, b.Year, b.Year+1, thidua.FormatDate(ends, loc), thidua.FormatDate(ends.AddDate(0, 0, -1), loc)))
	case errors.Is(err, thidua.ErrReportsDue):
		var due []string
		for _, p := range b.PeriodsStillDue(r.now()) {
			due = append(due, msgPeriodStillDue.F(q.lang, bot.Escape(p.Name), r.date(p.Due)))
		}
		return q.fail(msgYearReportsDue.F(q.lang, strings.Join(due, ", "), b.Year))
	case err != nil:
		return err
	}
	next := b.Year + 1
	deadlines := ""
	if n := len(b.DeadlinesToCome(r.now())); n > 0 {
		deadlines = msgKeptDeadlines.F(q.lang, n)
	}
	criteria, noCriteria := "", msgKeptNoCriteria.In(q.lang)
	if n := len(b.Registration.Criteria); n > 0 {
		criteria, noCriteria = msgKeptCriteria.F(q.lang, n), ""
	}
	text := msgNewYearAsk.F(q.lang, bot.Escape(b.Name), next, len(b.Units), len(b.Reps), criteria, deadlines, noCriteria,
		next, r.nextHolder(q.lang, b, thidua.RoleLeader), r.nextHolder(q.lang, b, thidua.RoleDeputy), b.Year, b.Year, b.Year, b.Year, b.Year, b.Year, b.Year)
	if left := b.Leftover(); !left.Empty() {
		text += "\n\n" + leftoverWarning(q.lang, b, left)
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(msgNewYearBtn.F(q.lang, next), cbNewYear+":"+strconv.Itoa(b.Year)),
		tgbotapi.NewInlineKeyboardButtonData(msgCancelBtn.In(q.lang), cbNewYear+":"+strconv.Itoa(b.Year)+":"+cbCancel),
	))
	_, err = q.send(text, &kb)
	return err
}

// fewUnits is how many units a warning names; of more it gives the count.
const fewUnits = 3

// leftoverWarning is the line of /newyear's question that names what of
// b's year is left undone (left, not empty), which the turn closes: «⚠️
// Chưa bình xét: 2 đơn vị (…); chưa có đề nghị khen thưởng. Sau khi
// chuyển năm không ghi thêm được.»
func leftoverWarning(l bot.Lang, b *thidua.Block, left thidua.YearLeftover) string {
	units := func(ids []string) string {
		if len(ids) > fewUnits {
			return msgLeftUnits.F(l, len(ids))
		}
		names := make([]string, len(ids))
		for i, id := range ids {
			names[i] = bot.Escape(b.UnitName(id))
		}
		return msgLeftUnitsNamed.F(l, len(ids), strings.Join(names, ", "))
	}
	var items []string
	if len(left.Unagreed) > 0 {
		items = append(items, msgLeftUnagreed.F(l, units(left.Unagreed)))
	}
	if len(left.Partial) > 0 {
		items = append(items, msgLeftPartial.F(l, units(left.Partial)))
	}
	if left.NoProposals {
		items = append(items, msgLeftNoProposal.In(l))
	}
	for _, p := range left.Unreported {
		items = append(items, msgLeftUnreported.F(l, bot.Escape(p.Period.Name), units(p.UnitIDs)))
	}
	list := strings.Join(items, "; ")
	first, size := utf8.DecodeRuneInString(list)
	return msgLeftover.F(l, string(unicode.ToUpper(first))+list[size:])
}

// nextHolder names the unit that will hold the office in the block's next
// year (thidua.Block.NextHolder): the one elected to it, or else the one
// holding it now.
func (r *Router) nextHolder(l bot.Lang, b *thidua.Block, role thidua.Role) string {
	unitID, elected := b.NextHolder(role)
	switch {
	case unitID == "":
		return msgRoleNone.In(l)
	case elected:
		return msgRoleElected.F(l, bot.Escape(b.UnitName(unitID)))
	}
	return msgRoleKept.F(l, bot.Escape(b.UnitName(unitID)), b.Year)
}

// confirmNewYear turns the block to its next year once a manager presses
// the button of /newyear: the store archives the finished year's document
// (storage.Store.ArchiveYear), then the block turns, in a change that
// checks nothing was written in between; if something was, both steps run
// again on the block as it is now.
func (r *Router) confirmNewYear(q *request, args []string) error {
	if len(args) == 0 || len(args) > 2 || len(args) == 2 && args[1] != cbCancel {
		return q.answer(msgStaleButton.In(q.lang), true)
	}
	from, err := strconv.Atoi(args[0])
	if err != nil {
		return q.answer(msgStaleButton.In(q.lang), true)
	}
	b, err := q.block()
	if err != nil {
		return err
	}
	if len(args) == 2 {
		if b.Year != from {
			// A question of the year the block has turned from: its
			// cancellation would read as the turn's.
			return q.answer(msgYearAlreadyTurned.F(q.lang, b.Year), true)
		}
		return r.cancel(q, nil)
	}
	if b.Year == from+1 && b.HasApplied(int64(q.upd.UpdateID)) {
		// This very press turned the block, and the bot stopped before
		// saying so: say it now (the presser may manage the block no
		// longer, having run the finished year).
		a, err := q.actor()
		if err != nil {
			return err
		}
		return r.yearTurned(q, b, a, from)
	}
	a, err := q.manager(b)
	if err != nil {
		return err
	}
	id := b.ID
	const attempts = 3
	for i := 1; ; i++ {
		if b.Year != from {
			return q.answer(msgYearAlreadyTurned.F(q.lang, b.Year), true)
		}
		base := b.Version
		if err := r.cfg.Store.ArchiveYear(q.ctx, id, b.Year, base); errors.Is(err, storage.ErrConflict) && i < attempts {
			if b, err = r.cfg.Store.Block(q.ctx, id); err != nil {
				return wrapStore(err)
			}
			continue
		} else if err != nil {
			return wrapStore(err)
		}
		b, err = q.update(func(b *thidua.Block) error {
			if b.Version != base {
				return errYearMoved
			}
			_, err := b.StartYear(a, r.now())
			return err
		})
		switch {
		case errors.Is(err, errYearMoved) && i < attempts:
			if b, err = r.cfg.Store.Block(q.ctx, id); err != nil {
				return wrapStore(err)
			}
			continue
		case errors.Is(err, errYearMoved):
			return q.answer(msgYearBusy.In(q.lang), true)
		case err != nil:
			return err
		}
		break
	}
	return r.yearTurned(q, b, a, from)
}

// yearTurned edits the question of /newyear into the announcement that the
// block b turned from the year from, by a.
func (r *Router) yearTurned(q *request, b *thidua.Block, a thidua.Actor, from int) error {
	if err := q.answer("", false); err != nil {
		return err
	}
	return q.edit(q.chat.ID, q.callback.Message.MessageID, msgNewYearDone.F(q.lang, bot.Escape(b.Name), b.Year, bot.Escape(a.Name),
		r.unitLabel(q, b, b.LeaderUnit), r.unitLabel(q, b, b.DeputyUnit), from, from, from, from, from, from), nil)
}

// yearBlock returns the block of year as the bot keeps it: cur for its own
// year (or for 0), else the copy the store kept when the block turned from
// that year (see confirmNewYear). A year it kept nothing of is answered
// with msgNoYear, pointing to the command for the current year, and the
// block is nil.
func (r *Router) yearBlock(q *request, cur *thidua.Block, year int) (*thidua.Block, error) {
	if year == 0 || year == cur.Year {
		return cur, nil
	}
	past, err := r.cfg.Store.ArchivedYear(q.ctx, cur.ID, year)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return nil, q.reply(msgNoYear.F(q.lang, year, cur.Year, q.cmd.name))
	case err != nil:
		return nil, wrapStore(err)
	}
	return past, nil
}

// namedYear returns the block of the year a command's arguments name (see
// yearBlock; /export 2026, /scores 2026): cur when they are empty. It
// answers, returning nil, a year that is not a number or that the block
// has no data of.
func (r *Router) namedYear(q *request, cur *thidua.Block) (*thidua.Block, error) {
	if q.args == "" {
		return cur, nil
	}
	year, err := strconv.Atoi(q.args)
	if err != nil || year <= 0 {
		return nil, q.usage(msgYearBad, bot.Escape(shorten(q.args, 40)), q.cmd.name)
	}
	return r.yearBlock(q, cur, year)
}
