package handlers

import (
	"errors"
	"fmt"
	"strings"

	"thiduabot/bot"
	"thiduabot/thidua"
)

// This file holds the award proposals (đề nghị khen thưởng), the last step
// of the year-end review: after the ranking (/scores) managers record
// which units the block proposes for which award, and anyone sees them.

func (r *Router) registerAwards() {
	r.add(&command{
		name: "award", aliases: []string{"khenthuong"}, where: inGroup, who: roleAnyone,
		usage:   bot.T{VI: "[năm] hoặc <hình thức khen thưởng> | <đơn vị>, <đơn vị>, …", EN: "[year] or <award> | <unit>, <unit>, …"},
		example: bot.T{VI: "/award Cờ thi đua của UBND tỉnh | 3, Tỉnh Đoàn", EN: "/award Cờ thi đua của UBND tỉnh | 3, Tỉnh Đoàn"},
		desc: bot.T{
			VI: "Đề nghị khen thưởng của khối (Cờ thi đua của Chính phủ, Cờ thi đua của UBND tỉnh, Bằng khen của UBND tỉnh…); Khối trưởng ghi, sửa, bỏ",
			EN: "The block's award proposals (Cờ thi đua của Chính phủ, Cờ thi đua của UBND tỉnh, Bằng khen của UBND tỉnh…); managers record, change, remove them",
		},
		run: r.award,
	})
	r.describeActions(map[string]bot.T{
		"award.propose": {VI: "ghi đề nghị khen thưởng", EN: "recorded an award proposal"},
		"award.remove":  {VI: "bỏ đề nghị khen thưởng", EN: "removed an award proposal"},
	})
	r.describeErrors(awardErrors...)
}

var (
	msgAwardProposed = bot.T{VI: "✅ Đã ghi đề nghị <b>%s</b> cho %d đơn vị (bởi %s).", EN: "✅ Recorded the proposal of <b>%s</b> for %d {unit|units} (by %s)."}
	msgAwardUnagreed = bot.T{VI: "⚠️ Chưa bình xét: %s. Điểm bình xét ghi bằng <code>/score #số</code>.", EN: "⚠️ Not agreed on yet: %s. Record agreed scores with <code>/score #n</code>."}
	msgAwardSame     = bot.T{VI: "☑️ Đề nghị <b>%s</b> vẫn như đã ghi%s; không có gì thay đổi.", EN: "☑️ The proposal of <b>%s</b> is as recorded%s; nothing changed."}
	msgAwardRemoved  = bot.T{VI: "🗑 Đã bỏ đề nghị <b>%s</b> (bởi %s).", EN: "🗑 Removed the proposal of <b>%s</b> (by %s)."}
	msgAwardsHead    = bot.T{VI: "🎖 <b>ĐỀ NGHỊ KHEN THƯỞNG NĂM %d</b>\n<b>%s</b>", EN: "🎖 <b>AWARD PROPOSALS %d</b>\n<b>%s</b>"}
	msgAwardHead     = bot.T{VI: "<b>%s</b> — %d đơn vị", EN: "<b>%s</b> — %d {unit|units}"}
	msgAwardRanked   = bot.T{VI: "• %s — hạng %d · bình xét %s", EN: "• %s — rank %d · agreed %s"}
	msgAwardUnranked = bot.T{VI: "• %s — chưa bình xét", EN: "• %s — not agreed yet"}
	msgAwardPartial  = bot.T{VI: "• %s — bình xét chưa đủ tiêu chí: %s", EN: "• %s — agreed on some criteria only: %s"}
	msgAwardsNone    = bot.T{VI: "Khối chưa có đề nghị khen thưởng nào năm %d.", EN: "The block has no award proposal for %d yet."}
	msgAwardsHint    = bot.T{
		VI: "Khối trưởng ghi đề nghị sau khi bình xét (<code>/scores</code>): <code>/award &lt;hình thức&gt; | &lt;đơn vị&gt;, &lt;đơn vị&gt;</code> (đơn vị theo số thứ tự trong /units hoặc tên), ví dụ <code>/award Cờ thi đua của UBND tỉnh | 3, Tỉnh Đoàn</code>. Các hình thức thường dùng: Cờ thi đua của Chính phủ, Cờ thi đua của UBND tỉnh, Bằng khen của UBND tỉnh. Mỗi đơn vị được đề nghị một hình thức.",
		EN: "Managers record the proposals after the review (<code>/scores</code>): <code>/award &lt;award&gt; | &lt;unit&gt;, &lt;unit&gt;</code> (units by number in /units or by name), e.g. <code>/award Cờ thi đua của UBND tỉnh | 3, Tỉnh Đoàn</code>. The usual awards: Cờ thi đua của Chính phủ, Cờ thi đua của UBND tỉnh, Bằng khen của UBND tỉnh. A unit is proposed for one award.",
	}
	msgAwardsEdit = bot.T{
		VI: "Sửa: gửi lại <code>/award &lt;hình thức&gt; | &lt;đơn vị&gt;, …</code> với danh sách mới; bỏ một hình thức: <code>/award &lt;hình thức&gt; |</code> (không nêu đơn vị).",
		EN: "To change one: send <code>/award &lt;award&gt; | &lt;unit&gt;, …</code> again with the new list; to remove an award: <code>/award &lt;award&gt; |</code> (no unit).",
	}
	msgAwardsBrief    = bot.T{VI: "🎖 <b>Đề nghị khen thưởng</b> (<code>/award</code>)", EN: "🎖 <b>Award proposals</b> (<code>/award</code>)"}
	msgAwardBrief     = bot.T{VI: "• %s: %s", EN: "• %s: %s"}
	msgAwardNoBar     = bot.T{VI: "Ghi hình thức khen thưởng, dấu |, rồi các đơn vị được đề nghị, cách nhau bằng dấu phẩy.", EN: "Write the award, a |, then the units proposed for it, separated by commas."}
	msgAwardBadUnit   = bot.T{VI: "Không tìm thấy đơn vị «%s» (hoặc tên khớp với nhiều đơn vị). Ghi số thứ tự trong /units hoặc tên đơn vị, ngăn cách bằng dấu phẩy.", EN: "No unit «%s» (or the name matches several units). Give numbers from /units or unit names, separated by commas."}
	msgAwardUnitTwice = bot.T{VI: "Đơn vị <b>%s</b> được nêu hai lần.", EN: "The unit <b>%s</b> is named twice."}
	msgAwardTaken     = bot.T{
		VI: "<b>%[1]s</b> đã được đề nghị <b>%[2]s</b>; mỗi đơn vị chỉ được đề nghị một hình thức khen thưởng. Muốn chuyển đơn vị sang hình thức khác, trước hết bỏ đơn vị khỏi đề nghị kia: gửi lại <code>/award %[2]s | …</code> với các đơn vị còn lại (hoặc <code>/award %[2]s |</code> nếu không còn đơn vị nào).",
		EN: "<b>%[1]s</b> is already proposed for <b>%[2]s</b>; a unit is proposed for one award only. To move it to another, first take it out of that one: send <code>/award %[2]s | …</code> again with the other units (or <code>/award %[2]s |</code> if none is left).",
	}

	// The proposals of a year the block turned from (/award 2026).
	msgAwardsNoneClosed  = bot.T{VI: "Khối không có đề nghị khen thưởng nào năm %d.", EN: "The block made no award proposal for %d."}
	msgAwardsBriefClosed = bot.T{VI: "🎖 <b>Đề nghị khen thưởng</b> (<code>/award %d</code>)", EN: "🎖 <b>Award proposals</b> (<code>/award %d</code>)"}
)

// awardErrors explains the domain errors of the award proposals. A unit
// named twice or proposed already is explained naming it (see
// awardFailure); the messages here stand in for a caller that does not.
var awardErrors = []domainError{
	{thidua.ErrAwardName, bot.T{
		VI: fmt.Sprintf("Tên hình thức khen thưởng (trước dấu |) phải có chữ, dài tối đa %d ký tự, không có ký tự điều khiển.", thidua.MaxAwardLen),
		EN: fmt.Sprintf("The award's name (before the |) must have letters, be at most %d characters long, and have no control characters.", thidua.MaxAwardLen),
	}},
	{thidua.ErrAwardNotFound, bot.T{
		VI: "Khối chưa đề nghị hình thức khen thưởng này nên không có gì để bỏ. Gửi <code>/award</code> để xem các đề nghị.",
		EN: "The block has not proposed this award, so there is nothing to remove. Send <code>/award</code> for the proposals.",
	}},
	{thidua.ErrAwardUnitTwice, bot.T{VI: "Một đơn vị được nêu hai lần.", EN: "A unit is named twice."}},
	{thidua.ErrAwardTaken, bot.T{VI: "Đơn vị đã được đề nghị một hình thức khen thưởng khác.", EN: "The unit is already proposed for another award."}},
}

// award shows the proposals (of a year the block turned from, given one),
// or records the units a manager names for an award: "<award> | <unit>,
// <unit>", no unit removing it.
func (r *Router) award(q *request) error {
	if strings.Trim(q.args, "0123456789") == "" {
		cur, err := q.block()
		if err != nil {
			return err
		}
		b, err := r.namedYear(q, cur)
		if b == nil || err != nil {
			return err
		}
		return q.reply(awardList(q.lang, b, b != cur))
	}
	b, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	name, list, ok := strings.Cut(q.args, "|")
	if !ok {
		return q.usage(msgAwardNoBar)
	}
	ids, err := findUnits(q, b, list, msgAwardBadUnit)
	if err != nil {
		return err
	}
	var p thidua.Proposal
	nb, err := q.updateParts(thidua.PartRegistration, func(b *thidua.Block) error {
		p, err = b.ProposeAward(a, name, ids, r.now())
		return err
	})
	switch {
	case errors.Is(err, thidua.ErrUnchanged):
		if nb, err = q.block(); err != nil {
			return err
		}
		same := msgAwardSame.F(q.lang, bot.Escape(p.Award), recordedBy(p.By, r.zoneOf(nb)))
		return q.reply(same + "\n\n" + awardList(q.lang, nb, false))
	case err != nil:
		return awardFailure(q, b, err)
	}
	done := msgAwardRemoved.F(q.lang, bot.Escape(p.Award), bot.Escape(a.Name))
	if len(p.UnitIDs) > 0 {
		done = msgAwardProposed.F(q.lang, bot.Escape(p.Award), len(p.UnitIDs), bot.Escape(a.Name))
		var unagreed []string
		for _, id := range p.UnitIDs {
			// A block without criteria cannot score its units, and /score
			// would refuse (see thidua.Block.Leftover).
			if scored, _ := nb.StandingOf(id).Reviewed.Scored(); scored == 0 && len(nb.Registration.Criteria) > 0 {
				unagreed = append(unagreed, bot.Escape(nb.UnitName(id)))
			}
		}
		if len(unagreed) > 0 {
			done += "\n" + msgAwardUnagreed.F(q.lang, strings.Join(unagreed, ", "))
		}
	}
	return q.reply(done + "\n\n" + awardList(q.lang, nb, false))
}

// awardFailure answers a proposal the domain refused as bad input, naming
// the unit named twice or proposed already (by its name in b) and the award
// it is proposed for; it returns any other error as it is.
func awardFailure(q *request, b *thidua.Block, err error) error {
	var ue *thidua.AwardUnitError
	switch {
	case errors.As(err, &ue) && errors.Is(ue, thidua.ErrAwardTaken):
		return q.usage(msgAwardTaken, bot.Escape(b.UnitName(ue.UnitID)), bot.Escape(ue.Award))
	case errors.As(err, &ue):
		return q.usage(msgAwardUnitTwice, bot.Escape(b.UnitName(ue.UnitID)))
	case errors.Is(err, thidua.ErrAwardName), errors.Is(err, thidua.ErrAwardNotFound):
		return badInput(q, err)
	}
	return err
}

// awardList shows the proposals award by award, each unit with its rank
// and agreed total, or says there is none, with how to record or change
// them unless closed (a year the block turned from).
func awardList(l bot.Lang, b *thidua.Block, closed bool) string {
	ps := b.Registration.Proposals
	switch {
	case len(ps) == 0 && closed:
		return msgAwardsNoneClosed.F(l, b.Year)
	case len(ps) == 0:
		return msgAwardsNone.F(l, b.Year) + "\n\n" + msgAwardsHint.In(l)
	}
	standings := map[string]thidua.Standing{}
	for _, st := range b.Ranking() {
		standings[st.UnitID] = st
	}
	lines := []string{msgAwardsHead.F(l, b.Year, bot.Escape(b.Name))}
	for _, p := range ps {
		lines = append(lines, "", msgAwardHead.F(l, bot.Escape(p.Award), len(p.UnitIDs)))
		for _, id := range p.UnitIDs {
			name := bot.Escape(b.UnitName(id))
			st := standings[id]
			switch scored, _ := st.Reviewed.Scored(); {
			case st.Rank > 0:
				lines = append(lines, msgAwardRanked.F(l, name, st.Rank, totalText(l, st.Reviewed)))
			case scored > 0:
				lines = append(lines, msgAwardPartial.F(l, name, totalText(l, st.Reviewed)))
			default:
				lines = append(lines, msgAwardUnranked.F(l, name))
			}
		}
	}
	if !closed {
		lines = append(lines, "", msgAwardsEdit.In(l))
	}
	return strings.Join(lines, "\n")
}

// awardBrief lists the proposals one line per award, for the foot of
// /scores, which shows the units' ranks already; "" when there is none.
// Its head points to /award, or, closed (a year the block turned from),
// to /award and the year, since /award alone shows the current year's.
func awardBrief(l bot.Lang, b *thidua.Block, closed bool) string {
	ps := b.Registration.Proposals
	if len(ps) == 0 {
		return ""
	}
	head := msgAwardsBrief.In(l)
	if closed {
		head = msgAwardsBriefClosed.F(l, b.Year)
	}
	lines := []string{head}
	for _, p := range ps {
		lines = append(lines, msgAwardBrief.F(l, "<b>"+bot.Escape(p.Award)+"</b>", unitNames(b, p.UnitIDs)))
	}
	return strings.Join(lines, "\n")
}
