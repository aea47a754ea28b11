package handlers

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"thiduabot/bot"
	"thiduabot/thidua"
)

// This file holds the scoring criteria (/criteria): what the units are
// scored against at the year's end, with their maximum points and total.

// registerCriteria registers /criteria, the scoring criteria the block's
// units are scored against and sign the covenant over (called by
// registerRegistration, to keep the order of the commands in /help and the
// menus).
func (r *Router) registerCriteria() {
	r.add(&command{
		name: "criteria", aliases: []string{"tieuchi"}, where: inGroup, who: roleAnyone,
		usage:   bot.T{VI: "[add <tiêu chí> | <điểm tối đa> (mỗi dòng một tiêu chí) | remove <số thứ tự>]", EN: "[add <criterion> | <maximum points> (one per line) | remove <number>]"},
		example: bot.T{VI: "/criteria add Công tác tuyên truyền, vận động | 20", EN: "/criteria add Công tác tuyên truyền, vận động | 20"},
		desc:    bot.T{VI: "Tiêu chí chấm điểm và tổng điểm; Khối trưởng thêm, xoá", EN: "Scoring criteria and their total; managers add and remove them"},
		run:     r.criteria,
	})
	r.describeActions(map[string]bot.T{
		"criterion.add":    {VI: "thêm tiêu chí chấm điểm", EN: "added a criterion"},
		"criterion.remove": {VI: "xoá tiêu chí chấm điểm", EN: "removed a criterion"},
	})
	r.describeErrors(criteriaErrors...)
}

// criteriaErrors explains the domain errors of the scoring criteria.
var criteriaErrors = []domainError{
	{thidua.ErrCriterionTitle, bot.T{
		VI: fmt.Sprintf("Tên tiêu chí phải có chữ và dài tối đa %d ký tự.", thidua.MaxNameLen),
		EN: fmt.Sprintf("A criterion's title must have letters and be at most %d characters long.", thidua.MaxNameLen),
	}},
	{thidua.ErrCriterionPoints, bot.T{
		VI: "Điểm tối đa phải là một số lớn hơn 0 và không quá 1.000, ghi sau dấu |, ví dụ 20 hoặc 12,5.",
		EN: "The maximum of points must be a number above 0 and at most 1.000, after a |, e.g. 20 or 12,5.",
	}},
	{thidua.ErrCriterionExists, bot.T{
		VI: "Tiêu chí này đã có (hoặc bị nhập trùng).",
		EN: "This criterion already exists (or was given twice).",
	}},
	{thidua.ErrTooManyCriteria, bot.T{
		VI: fmt.Sprintf("Khối có tối đa %d tiêu chí chấm điểm.", thidua.MaxCriteria),
		EN: fmt.Sprintf("A block has at most %d criteria.", thidua.MaxCriteria),
	}},
	{thidua.ErrCriterionNotFound, bot.T{
		VI: "Không có tiêu chí số này. Gửi /criteria để xem số thứ tự.",
		EN: "There is no criterion with this number. Send /criteria to see the numbers.",
	}},
	{thidua.ErrCriteriaFrozen, bot.T{
		VI: "Giao ước thi đua đã được phát động theo các tiêu chí này nên không thay đổi được tiêu chí nữa.",
		EN: "The covenant has been opened over these criteria, so they can no longer change.",
	}},
	{thidua.ErrNoCriteria, bot.T{
		VI: "Khối chưa có tiêu chí chấm điểm. Khối trưởng thêm bằng <code>/criteria add &lt;tiêu chí&gt; | &lt;điểm tối đa&gt;</code>: giao ước và việc chấm điểm dựa trên các tiêu chí này.",
		EN: "The block has no scoring criteria. A manager adds them with <code>/criteria add &lt;criterion&gt; | &lt;maximum points&gt;</code>: the covenant and the scoring rest on them.",
	}},
}

var (
	msgCriteriaHead     = bot.T{VI: "<b>Tiêu chí chấm điểm</b>", EN: "<b>Scoring criteria</b>"}
	msgCriterionLine    = bot.T{VI: "%d. %s — tối đa %s điểm", EN: "%d. %s — at most %s {point|points}"}
	msgCriteriaTotal    = bot.T{VI: "Tổng điểm tối đa: <b>%s</b>", EN: "Total of maximum points: <b>%s</b>"}
	msgNoCriteria       = bot.T{VI: "Chưa có tiêu chí chấm điểm. Khối trưởng thêm bằng <code>/criteria add &lt;tiêu chí&gt; | &lt;điểm tối đa&gt;</code>.", EN: "No scoring criteria yet. Managers add them with <code>/criteria add &lt;criterion&gt; | &lt;maximum points&gt;</code>."}
	msgCriteriaSub      = bot.T{VI: "Không rõ thao tác «%s». Dùng <code>/criteria</code> để xem, <code>add</code> để thêm, <code>remove</code> để xoá.", EN: "Unknown action «%s». Use <code>/criteria</code> to list, <code>add</code> to add, <code>remove</code> to remove."}
	msgCriteriaNone     = bot.T{VI: "Bạn chưa nhập tiêu chí nào.", EN: "No criterion was given."}
	msgCriteriaAdded    = bot.T{VI: "✅ Đã thêm %d tiêu chí.\n\n%s", EN: "✅ Added %d {criterion|criteria}.\n\n%s"}
	msgCriterionNumber  = bot.T{VI: "Cần số thứ tự của tiêu chí (xem /criteria).", EN: "Give the criterion's number (see /criteria)."}
	msgCriterionRemoved = bot.T{VI: "🗑 Đã xoá tiêu chí «%s».\n\n%s", EN: "🗑 Removed the criterion «%s».\n\n%s"}
)

// criteriaText lists the criteria with the total of their maximum points.
func (r *Router) criteriaText(l bot.Lang, b *thidua.Block) string {
	cs := b.Registration.Criteria
	if len(cs) == 0 {
		return msgNoCriteria.In(l)
	}
	lines := []string{msgCriteriaHead.In(l)}
	for i, c := range cs {
		lines = append(lines, msgCriterionLine.F(l, i+1, bot.Escape(c.Title), thidua.FormatNumber(c.MaxPoints)))
	}
	return strings.Join(append(lines, msgCriteriaTotal.F(l, thidua.FormatNumber(b.CriteriaTotal()))), "\n")
}

// criteria lists the scoring criteria, or adds or removes some.
func (r *Router) criteria(q *request) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	sub, rest := cutWord(q.args)
	switch thidua.Fold(sub) {
	case "":
		return q.reply(r.criteriaText(q.lang, b))
	case "add", "them":
		return r.addCriteria(q, b, rest)
	case "remove", "xoa":
		return r.removeCriterion(q, b, rest)
	}
	return q.usage(msgCriteriaSub, bot.Escape(shorten(sub, 30)))
}

func (r *Router) addCriteria(q *request, b *thidua.Block, rest string) error {
	a, err := q.manager(b)
	if err != nil {
		return err
	}
	if err := b.CriteriaChangeable(a); err != nil {
		return err
	}
	lines := argLines(rest)
	if len(lines) == 0 {
		return q.usage(msgCriteriaNone)
	}
	drafts, err := parseLines(q, lines, thidua.ParseCriterion)
	if err != nil {
		return err
	}
	var added []thidua.Criterion
	b, err = q.update(func(b *thidua.Block) error {
		added, err = b.AddCriteria(a, drafts, r.now())
		return err
	})
	if errors.Is(err, thidua.ErrCriterionExists) || errors.Is(err, thidua.ErrTooManyCriteria) {
		return badInput(q, err)
	} else if err != nil {
		return err
	}
	return q.reply(msgCriteriaAdded.F(q.lang, len(added), r.criteriaText(q.lang, b)))
}

func (r *Router) removeCriterion(q *request, b *thidua.Block, rest string) error {
	a, err := q.manager(b)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(rest)
	if err != nil {
		return q.usage(msgCriterionNumber)
	}
	var gone thidua.Criterion
	b, err = q.update(func(b *thidua.Block) error {
		gone, err = b.RemoveCriterion(a, n, r.now())
		return err
	})
	if errors.Is(err, thidua.ErrCriterionNotFound) {
		return badInput(q, err)
	} else if err != nil {
		return err
	}
	return q.reply(msgCriterionRemoved.F(q.lang, bot.Escape(gone.Title), r.criteriaText(q.lang, b)))
}
