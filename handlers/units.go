package handlers

import (
	"errors"
	"fmt"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/thidua"
)

func (r *Router) registerUnits() {
	r.add(&command{
		name: "addunit", aliases: []string{"themdonvi"}, where: inGroup, who: roleManager,
		usage:   bot.T{VI: "<tên đơn vị> (mỗi dòng một đơn vị)", EN: "<unit name> (one per line)"},
		example: bot.T{VI: "/addunit Hội Nông dân tỉnh\nTỉnh Đoàn", EN: "/addunit Hội Nông dân tỉnh\nTỉnh Đoàn"},
		desc:    bot.T{VI: "Thêm đơn vị thành viên", EN: "Add member units"},
		run:     r.addUnits,
	})
	r.add(&command{
		name: "renameunit", aliases: []string{"doiten"}, where: inGroup, who: roleManager,
		usage:   bot.T{VI: "<số thứ tự hoặc tên cũ> | <tên mới>", EN: "<number or old name> | <new name>"},
		example: bot.T{VI: "/renameunit 2 | Hội Cựu chiến binh tỉnh Lào Cai", EN: "/renameunit 2 | Hội Cựu chiến binh tỉnh Lào Cai"},
		desc:    bot.T{VI: "Đổi tên đơn vị", EN: "Rename a unit"},
		run:     r.renameUnit,
	})
	r.add(&command{
		name: "removeunit", aliases: []string{"xoadonvi"}, where: inGroup, who: roleManager,
		usage:   bot.T{VI: "<số thứ tự hoặc tên đơn vị>", EN: "<unit number or name>"},
		example: bot.T{VI: "/removeunit 7", EN: "/removeunit 7"},
		desc:    bot.T{VI: "Xoá đơn vị khỏi khối", EN: "Remove a unit from the block"},
		run:     r.removeUnit,
	})
	r.add(&command{
		name: "leader", aliases: []string{"khoitruong"}, where: inGroup, who: roleManager,
		usage:   bot.T{VI: "<số thứ tự hoặc tên đơn vị>", EN: "<unit number or name>"},
		example: bot.T{VI: "/leader Tỉnh Đoàn", EN: "/leader Tỉnh Đoàn"},
		desc:    bot.T{VI: "Đặt đơn vị Khối trưởng năm nay", EN: "Set this year's leader unit"},
		run:     func(q *request) error { return r.setRole(q, thidua.RoleLeader) },
	})
	r.add(&command{
		name: "deputy", aliases: []string{"khoipho"}, where: inGroup, who: roleManager,
		usage:   bot.T{VI: "<số thứ tự hoặc tên đơn vị>", EN: "<unit number or name>"},
		example: bot.T{VI: "/deputy Ủy ban MTTQ Việt Nam tỉnh", EN: "/deputy Ủy ban MTTQ Việt Nam tỉnh"},
		desc:    bot.T{VI: "Đặt đơn vị Khối phó năm nay", EN: "Set this year's deputy unit"},
		run:     func(q *request) error { return r.setRole(q, thidua.RoleDeputy) },
	})
	r.add(&command{
		name: "units", aliases: []string{"donvi"}, where: inGroup, who: roleAnyone,
		desc: bot.T{VI: "Danh sách đơn vị, Khối trưởng, Khối phó và đầu mối", EN: "Units, leader, deputy and representatives"},
		run:  r.listUnits,
	})
	r.describeActions(map[string]bot.T{
		"unit.add":         {VI: "thêm đơn vị", EN: "added a unit"},
		"unit.rename":      {VI: "đổi tên đơn vị", EN: "renamed a unit"},
		"unit.remove":      {VI: "xoá đơn vị", EN: "removed a unit"},
		"role.leader":      {VI: "đặt Khối trưởng", EN: "set the leader"},
		"role.deputy":      {VI: "đặt Khối phó", EN: "set the deputy"},
		"role.leader.left": {VI: "thôi làm Khối trưởng", EN: "left the leader office"},
		"role.deputy.left": {VI: "thôi làm Khối phó", EN: "left the deputy office"},
	})
	r.onCallback(cbRemoveUnit, r.confirmRemoveUnit)
	r.onCallback(cbCancel, r.cancel)
}

// Callback data prefixes of this file.
const (
	cbRemoveUnit = "ru"
	cbCancel     = "x"
)

var (
	msgAddUnitEmpty = bot.T{VI: "Bạn chưa nhập tên đơn vị nào.", EN: "No unit name was given."}
	msgUnitsAdded   = bot.T{VI: "✅ Đã thêm %d đơn vị:\n%s\n\nKhối hiện có %d đơn vị. Gửi /units để xem.", EN: "✅ Added %d {unit|units}:\n%s\n\nThe block now has %d {unit|units}. Send /units to see them."}
	msgRenameBad    = bot.T{VI: "Cần số thứ tự (hoặc tên cũ) và tên mới, ngăn cách bởi dấu |.", EN: "Give the number (or old name) and the new name, separated by |."}
	msgUnitRenamed  = bot.T{VI: "✅ Đã đổi tên đơn vị thành <b>%s</b>.", EN: "✅ The unit is now called <b>%s</b>."}
	msgRemoveNoUnit = bot.T{VI: "Bạn chưa nêu đơn vị cần xoá.", EN: "Say which unit to remove."}
	msgRemoveAsk    = bot.T{VI: "Xoá đơn vị <b>%s</b> khỏi khối? %d đầu mối của đơn vị cũng sẽ bị gỡ.", EN: "Remove <b>%s</b> from the block? Its %d {representative|representatives} will be removed too."}
	msgRemoveData   = bot.T{
		VI: "\nSố liệu năm %d của đơn vị: %s. Sau khi xoá, các số liệu này không còn trên /progress, /summary, /scores và /export; /history vẫn giữ mọi thay đổi của đơn vị.",
		EN: "\nIts data of %d: %s. Once it is removed, they are no longer on /progress, /summary, /scores or /export; /history keeps every change of the unit.",
	}
	msgRemovePledges  = bot.T{VI: "%d nội dung đăng ký", EN: "%d {pledge|pledges}"}
	msgRemoveSigned   = bot.T{VI: "chữ ký giao ước", EN: "its signature of the covenant"}
	msgRemoveReports  = bot.T{VI: "báo cáo kỳ %[2]s", EN: "%[1]d {report|reports} (%[2]s)"}
	msgRemoveSelf     = bot.T{VI: "điểm tự chấm", EN: "its own scores"}
	msgRemoveReviewed = bot.T{VI: "điểm bình xét", EN: "its agreed scores"}
	msgRemoveAward    = bot.T{VI: "đề nghị %s", EN: "its proposal for %s"}
	msgRemoveNominees = bot.T{VI: "%d cá nhân điển hình được đề nghị", EN: "%d outstanding {individual|individuals} nominated"}
	msgRemoveYes      = bot.T{VI: "🗑 Xoá", EN: "🗑 Remove"}
	msgCancelBtn      = bot.T{VI: "Huỷ", EN: "Cancel"}
	msgUnitRemoved    = bot.T{VI: "🗑 Đã xoá đơn vị <b>%s</b> (bởi %s).", EN: "🗑 Removed <b>%s</b> (by %s)."}
	msgCancelled      = bot.T{VI: "Đã huỷ.", EN: "Cancelled."}
	msgRoleNoUnit     = bot.T{VI: "Bạn chưa nêu đơn vị. Hiện tại: %s.", EN: "No unit was given. Currently: %s."}
	msgRoleSet        = bot.T{VI: "✅ <b>%s</b> là %s năm %d.", EN: "✅ <b>%s</b> is the %s for %d."}
	msgRoleNone       = bot.T{VI: "chưa có", EN: "none"}
	msgRoleLeft       = bot.T{VI: "⚠️ Đơn vị này thôi làm %[1]s: khối hiện chưa có %[1]s.", EN: "⚠️ It is no longer the %[1]s: the block has no %[1]s now."}
	msgNoUnits        = bot.T{VI: "Khối chưa có đơn vị nào. Quản trị viên thêm bằng <code>/addunit</code>.", EN: "The block has no units yet. Administrators add them with <code>/addunit</code>."}
	msgUnitsHead      = bot.T{VI: "<b>%s</b> — năm %d\nKhối trưởng: %s · Khối phó: %s\n", EN: "<b>%s</b> — year %d\nLeader: %s · Deputy: %s\n"}
	msgRepsLine       = bot.T{VI: "   Đầu mối: %s", EN: "   Representatives: %s"}
	msgPendingLine    = bot.T{VI: "\nYêu cầu làm đầu mối chờ duyệt: %d", EN: "\nJoin requests awaiting approval: %d"}

	msgRollFrozen = bot.T{
		VI: "Đang có cuộc bầu chưa kết thúc: %s. Danh sách đơn vị bỏ phiếu đã chốt khi mở bầu, nên chưa thể xoá đơn vị; vui lòng xoá sau khi bầu xong.",
		EN: "Voting is under way: %s. The voter roll was fixed at the opening, so no unit can be removed until the voting closes.",
	}
	// msgRollFrozenAlert is msgRollFrozen in fewer words, for a button's
	// alert, which holds 200 characters: both offices' elections fit whole,
	// runoffs too.
	msgRollFrozenAlert = bot.T{
		VI: "Chưa thể xoá đơn vị khi đang bầu: %s. Vui lòng xoá sau khi bầu xong.",
		EN: "No unit can be removed during a vote: %s. Remove it afterwards.",
	}
)

// roleName is how an office is called.
var roleName = map[thidua.Role]bot.T{
	thidua.RoleLeader: {VI: "Khối trưởng", EN: "leader"},
	thidua.RoleDeputy: {VI: "Khối phó", EN: "deputy"},
}

// msgUnitsAddedClosed ends the answer to units added once registration has
// closed: how to open it for one of them alone.
var msgUnitsAddedClosed = bot.T{VI: "\n⚠️ Đăng ký thi đua đang đóng: để đơn vị mới đăng ký nội dung, Khối trưởng mở riêng cho từng đơn vị, ví dụ <code>/openreg %d | dd/mm/yyyy</code>.", EN: "\n⚠️ Registration is closed: for a new unit to register its pledges, a manager opens it for that unit alone, e.g. <code>/openreg %d | dd/mm/yyyy</code>."}

func (r *Router) addUnits(q *request) error {
	names := argLines(q.args)
	if len(names) == 0 {
		return q.usage(msgAddUnitEmpty)
	}
	_, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	var added []thidua.Unit
	b, err := r.updateShowing(q, func(b *thidua.Block) error {
		added, err = b.AddUnits(a, names, r.now())
		return err
	})
	if err != nil {
		return lineFailure(q, names, err)
	}
	var lines []string
	for _, u := range added {
		lines = append(lines, "• "+bot.Escape(u.Name))
	}
	text := msgUnitsAdded.F(q.lang, len(added), strings.Join(lines, "\n"), len(b.Units))
	if errors.Is(b.RegistrationOpenFor(added[0].ID), thidua.ErrRegistrationClosed) {
		text += msgUnitsAddedClosed.F(q.lang, unitNumber(b, added[0].ID))
	}
	return q.reply(text)
}

func (r *Router) renameUnit(q *request) error {
	ref, name, ok := strings.Cut(q.args, "|")
	if !ok || strings.TrimSpace(ref) == "" || strings.TrimSpace(name) == "" {
		return q.usage(msgRenameBad)
	}
	_, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	var u *thidua.Unit
	if _, err = r.updateShowing(q, func(b *thidua.Block) error {
		u, err = b.RenameUnit(a, ref, name, r.now())
		return err
	}); errors.Is(err, thidua.ErrUnitNameBar) {
		return badInput(q, err)
	} else if err != nil {
		return err
	}
	return q.reply(msgUnitRenamed.F(q.lang, bot.Escape(u.Name)))
}

// removeUnit asks for confirmation with buttons; the removal itself happens
// in confirmRemoveUnit.
func (r *Router) removeUnit(q *request) error {
	if q.args == "" {
		return q.usage(msgRemoveNoUnit)
	}
	b, err := q.block()
	if err != nil {
		return err
	}
	if _, err := q.manager(b); err != nil {
		return err
	}
	u, err := b.FindUnit(q.args)
	if err != nil {
		return err
	}
	if open := b.OpenElections(); len(open) > 0 {
		return r.rollFrozen(q, open)
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(msgRemoveYes.In(q.lang), cbRemoveUnit+":"+u.ID),
		tgbotapi.NewInlineKeyboardButtonData(msgCancelBtn.In(q.lang), cbCancel),
	))
	text := msgRemoveAsk.F(q.lang, bot.Escape(u.Name), len(b.RepsOf(u.ID)))
	if data := unitData(q.lang, b, u.ID); data != "" {
		text += msgRemoveData.F(q.lang, b.Year, data)
	}
	_, err = q.send(text, &kb)
	return err
}

// unitData lists, in l, what the unit has of the year's work, which leaves
// the board and the export with it when it is removed: its pledges, its
// signature of the covenant, its reports (by period), its scores and its
// award proposal; "" when it has none.
func unitData(l bot.Lang, b *thidua.Block, unitID string) string {
	var parts []string
	reg := b.RegistrationOf(unitID)
	if n := len(reg.Pledges); n > 0 {
		parts = append(parts, msgRemovePledges.F(l, n))
	}
	if reg.Signed != nil {
		parts = append(parts, msgRemoveSigned.In(l))
	}
	var periods []string
	for _, p := range b.Periods() {
		if _, ok := b.Report(unitID, p.ID); ok {
			periods = append(periods, bot.Escape(p.Name))
		}
	}
	if len(periods) > 0 {
		parts = append(parts, msgRemoveReports.F(l, len(periods), strings.Join(periods, ", ")))
	}
	sc := b.ScoreOf(unitID)
	if len(sc.Self) > 0 {
		parts = append(parts, msgRemoveSelf.In(l))
	}
	if len(sc.Reviewed) > 0 {
		parts = append(parts, msgRemoveReviewed.In(l))
	}
	if award := b.ProposalOf(unitID); award != "" {
		parts = append(parts, msgRemoveAward.F(l, bot.Escape(award)))
	}
	if n := len(b.ExemplarsOf(unitID)); n > 0 {
		parts = append(parts, msgRemoveNominees.F(l, n))
	}
	return strings.Join(parts, ", ")
}

// rollFrozen refuses the removal of a unit while elections are open
// (thidua.ErrRollFrozen), naming them and when they close, and returns
// errReplied; to a press, when that is too long for its alert (both
// offices' elections open), in the shorter words of msgRollFrozenAlert.
func (r *Router) rollFrozen(q *request, open []thidua.Election) error {
	elections := r.openElections(open, q.lang)
	text := msgRollFrozen.F(q.lang, elections)
	if q.callback != nil && textLen(text) > maxAnswerLen {
		text = msgRollFrozenAlert.F(q.lang, elections)
	}
	if err := q.fail(text); err != nil {
		return err
	}
	return errReplied
}

// findUnits resolves a list of units typed one after another, separated by
// commas or semicolons (or on lines of their own), by number in /units or
// by name (see thidua.Block.FindUnit), and returns their ids in order. It
// answers the first it cannot find with bad, given that unit as typed
// (shortened), or with what became of it when it names a unit by a former
// name or a unit removed, and returns errReplied. A unit whose name holds
// a comma or a semicolon is named in full all the same (see unitRefs).
func findUnits(q *request, b *thidua.Block, list string, bad bot.T) ([]string, error) {
	var ids []string
	for _, ref := range unitRefs(b, list) {
		u, err := b.FindUnit(ref)
		if fe := (*thidua.FormerUnitError)(nil); errors.As(err, &fe) {
			return nil, badInput(q, err)
		} else if err != nil {
			return nil, q.usage(bad, bot.Escape(shorten(ref, 60)))
		}
		ids = append(ids, u.ID)
	}
	return ids, nil
}

// unitRefs splits a list of units, separated by commas, semicolons or line
// breaks, into what names each unit. Pieces that together, with the commas
// and semicolons between them as typed, are the name of one of the block's
// units in full (as thidua.Fold compares) are one: "Sở Văn hóa, Thể thao
// và Du lịch" names one unit, not two, when the block has it, as does a
// name with a semicolon.
func unitRefs(b *thidua.Block, list string) []string {
	named := map[string]bool{} // the folded names that hold a separator
	most := 1                  // the most pieces such a name is cut into
	for _, u := range b.Units {
		if n := strings.Count(u.Name, ",") + strings.Count(u.Name, ";"); n > 0 {
			named[thidua.Fold(u.Name)] = true
			most = max(most, n+1)
		}
	}
	var refs []string
	for _, line := range strings.Split(list, "\n") {
		// The pieces of the line between separators: line[from[i]:to[i]].
		var from, to []int
		start := 0
		for i, c := range line {
			if c == ',' || c == ';' {
				from, to = append(from, start), append(to, i)
				start = i + 1
			}
		}
		from, to = append(from, start), append(to, len(line))
		for i := 0; i < len(from); {
			n := 1
			for k := min(most, len(from)-i); k > 1; k-- {
				if named[thidua.Fold(line[from[i]:to[i+k-1]])] {
					n = k
					break
				}
			}
			if ref := strings.TrimSpace(line[from[i]:to[i+n-1]]); ref != "" {
				refs = append(refs, ref)
			}
			i += n
		}
	}
	return refs
}

func (r *Router) confirmRemoveUnit(q *request, args []string) error {
	if len(args) != 1 {
		return q.answer(msgStaleButton.In(q.lang), true)
	}
	_, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	var gone thidua.Unit
	var complete bool
	var open []thidua.Election // the elections that refused the removal
	var shown []thidua.ReportDraft
	b, err := r.updateShowing(q, func(b *thidua.Block) error {
		shown = shownDrafts(b)
		gone, complete, err = b.RemoveUnit(a, args[0], r.now())
		if errors.Is(err, thidua.ErrRollFrozen) {
			open = b.OpenElections()
		}
		return err
	})
	switch {
	case errors.Is(err, thidua.ErrRollFrozen):
		return r.rollFrozen(q, open)
	case err != nil:
		return err
	}
	r.retireDroppedDrafts(q, shown, b, func(_ thidua.ReportDraft, period string) string {
		return msgDraftUnitGone.F(q.lang, bot.Escape(gone.Name), period) + msgDraftNothingSaved.In(q.lang)
	})
	if err := q.answer("", false); err != nil {
		return err
	}
	if err := q.edit(q.chat.ID, q.callback.Message.MessageID, msgUnitRemoved.F(q.lang, bot.Escape(gone.Name), bot.Escape(a.Name)), nil); err != nil {
		return err
	}
	if complete {
		// Every unit left has signed the covenant: the removal completed it.
		r.announceCompletion(q, b)
	}
	return nil
}

// cancel removes the buttons of a confirmation message. Only managers may
// cancel, since only they can ask for a confirmation.
func (r *Router) cancel(q *request, _ []string) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	if _, err := q.manager(b); err != nil {
		return err
	}
	if err := q.answer("", false); err != nil {
		return err
	}
	return q.edit(q.chat.ID, q.callback.Message.MessageID, msgCancelled.In(q.lang), nil)
}

func (r *Router) setRole(q *request, role thidua.Role) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	if q.args == "" {
		current := b.LeaderUnit
		if role == thidua.RoleDeputy {
			current = b.DeputyUnit
		}
		return q.usage(msgRoleNoUnit, r.unitLabel(q, b, current))
	}
	a, err := q.manager(b)
	if err != nil {
		return err
	}
	other, otherRole := b.DeputyUnit, thidua.RoleDeputy
	if role == thidua.RoleDeputy {
		other, otherRole = b.LeaderUnit, thidua.RoleLeader
	}
	var u *thidua.Unit
	if b, err = q.update(func(b *thidua.Block) error {
		u, err = b.SetRole(a, role, q.args, r.now())
		return err
	}); err != nil {
		return err
	}
	text := msgRoleSet.F(q.lang, bot.Escape(u.Name), roleName[role].In(q.lang), b.Year)
	if other == u.ID {
		// The unit left its other office, which is now empty.
		text += "\n" + msgRoleLeft.F(q.lang, roleName[otherRole].In(q.lang))
	}
	return q.reply(text)
}

// unitLabel is the escaped name of a unit, or "none".
func (r *Router) unitLabel(q *request, b *thidua.Block, unitID string) string {
	if n := b.UnitName(unitID); n != "" {
		return "<b>" + bot.Escape(n) + "</b>"
	}
	return msgRoleNone.In(q.lang)
}

func (r *Router) listUnits(q *request) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	head := msgUnitsHead.F(q.lang, bot.Escape(b.Name), b.Year, r.unitLabel(q, b, b.LeaderUnit), r.unitLabel(q, b, b.DeputyUnit)) + r.electedLines(q, b)
	if len(b.Units) == 0 {
		return q.reply(head + "\n" + msgNoUnits.In(q.lang))
	}
	// A unit's two lines are an item (see replyItems): a long list is
	// split between units.
	items := []string{head}
	for i, u := range b.Units {
		line := fmt.Sprintf("%d. %s", i+1, bot.Escape(u.Name))
		switch u.ID {
		case b.LeaderUnit:
			line += " — ⭐ " + roleName[thidua.RoleLeader].In(q.lang)
		case b.DeputyUnit:
			line += " — ☆ " + roleName[thidua.RoleDeputy].In(q.lang)
		}
		reps := b.RepsOf(u.ID)
		names := make([]string, 0, len(reps))
		for _, rp := range reps {
			names = append(names, repLabel(rp))
		}
		if len(names) == 0 {
			names = append(names, "—")
		}
		items = append(items, line+"\n"+msgRepsLine.F(q.lang, strings.Join(names, ", ")))
	}
	if n := len(b.Requests); n > 0 {
		items = append(items, msgPendingLine.F(q.lang, n))
	}
	return q.replyItems(items)
}

// repLabel names a representative without notifying them: their name, and
// their username without the @ that would ping them.
func repLabel(rp thidua.Representative) string {
	return bot.Escape(thidua.PersonLabel(rp.Name, rp.Username))
}

// unitNames names the units of ids, HTML-escaped, separated by commas.
func unitNames(b *thidua.Block, ids []string) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = bot.Escape(b.UnitName(id))
	}
	return strings.Join(names, ", ")
}
