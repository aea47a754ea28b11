package handlers

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"thiduabot/bot"
	"thiduabot/thidua"
)

// This file holds the year-end review (bình xét thi đua): a unit scores
// itself against the criteria (/selfscore), managers record the score the
// block agreed on (/score), and /scores ranks the units, for the award
// proposals (award.go).

func (r *Router) registerScoring() {
	r.add(&command{
		name: "selfscore", aliases: []string{"tucham"}, where: inGroup, who: roleAnyone,
		usage:   bot.T{VI: "[#số] rồi mỗi dòng: <số tiêu chí> <điểm> [ghi chú]", EN: "[#n] then one line each: <criterion number> <points> [note]"},
		example: bot.T{VI: "/selfscore\n1 18\n2 25,5 tổ chức tốt các phong trào", EN: "/selfscore\n1 18\n2 25,5 campaigns well run"},
		desc:    bot.T{VI: "Xem điểm thi đua của một đơn vị (#số); đầu mối tự chấm cho đơn vị mình theo các tiêu chí", EN: "See a unit's scores (#n); representatives score their own unit against the criteria"},
		run:     r.selfScore,
	})
	r.add(&command{
		name: "score", aliases: []string{"chamdiem"}, where: inGroup, who: roleManager,
		usage:   bot.T{VI: "#<số đơn vị> rồi mỗi dòng: <số tiêu chí> <điểm> [ghi chú]", EN: "#<unit number> then one line each: <criterion number> <points> [note]"},
		example: bot.T{VI: "/score #3\n1 17\n2 25 đã thống nhất tại hội nghị", EN: "/score #3\n1 17\n2 25 agreed at the conference"},
		desc:    bot.T{VI: "Ghi điểm bình xét (điểm khối thống nhất) của một đơn vị", EN: "Record the score the block agreed on for a unit"},
		run:     r.reviewScore,
	})
	r.add(&command{
		name: "scores", aliases: []string{"bangdiem"}, where: inGroup, who: roleAnyone,
		usage:   bot.T{VI: "[năm]", EN: "[year]"},
		example: bot.T{VI: "/scores {lastyear}", EN: "/scores {lastyear}"},
		desc:    bot.T{VI: "Bảng điểm thi đua và xếp hạng các đơn vị (năm nay, hoặc một năm đã qua)", EN: "The units' scores and ranking (this year's, or a past year's)"},
		run:     r.scoreBoard,
	})
	r.describeActions(map[string]bot.T{
		"score.self":   {VI: "tự chấm điểm thi đua", EN: "scored the unit"},
		"score.review": {VI: "ghi điểm bình xét", EN: "recorded the agreed score"},
	})
	r.describeErrors(scoringErrors...)
}

var (
	msgSelfScored   = bot.T{VI: "✅ Đã ghi điểm tự chấm của <b>%s</b> (bởi %s).", EN: "✅ Recorded the scores <b>%s</b> gave itself (by %s)."}
	msgReviewScored = bot.T{VI: "✅ Đã ghi điểm bình xét của <b>%s</b> (bởi %s).", EN: "✅ Recorded the agreed scores of <b>%s</b> (by %s)."}
	// Scores sent again as they are (the same sheet pasted twice).
	msgSelfScoreSame   = bot.T{VI: "☑️ Điểm tự chấm của <b>%s</b> vẫn như đã ghi%s; không có gì thay đổi.", EN: "☑️ The scores <b>%s</b> gave itself are as recorded%s; nothing changed."}
	msgReviewScoreSame = bot.T{VI: "☑️ Điểm bình xét của <b>%s</b> vẫn như đã ghi%s; không có gì thay đổi.", EN: "☑️ The agreed scores of <b>%s</b> are as recorded%s; nothing changed."}
	msgScoreCardHead   = bot.T{VI: "🏅 <b>Điểm thi đua năm %d — %s</b> (tối đa %s điểm)", EN: "🏅 <b>Scores %d — %s</b> (at most %s {point|points})"}
	msgScoreLine       = bot.T{VI: "%d. %s (tối đa %s): tự chấm %s · bình xét %s", EN: "%d. %s (at most %s): own %s · agreed %s"}
	msgScoreNone       = bot.T{VI: "—", EN: "—"}
	msgScoreTotal      = bot.T{VI: "<b>Tổng:</b> tự chấm %s · bình xét %s", EN: "<b>Total:</b> own %s · agreed %s"}
	msgScoreOfTotal    = bot.T{VI: "%s (%d/%d tiêu chí)", EN: "%s (%d/%d {criterion|criteria})"}
	msgSelfScoreHint   = bot.T{VI: "Tự chấm: <code>/selfscore</code> rồi mỗi dòng <code>&lt;số tiêu chí&gt; &lt;điểm&gt; [ghi chú]</code>; gửi lại để sửa.", EN: "Score: <code>/selfscore</code> then one line each <code>&lt;criterion number&gt; &lt;points&gt; [note]</code>; send again to change."}
	msgScoreOverMax    = bot.T{VI: "Tiêu chí số %d «%s» tối đa %s điểm, không chấm được %s điểm. Số lẻ viết bằng dấu phẩy, ví dụ 9,5.", EN: "Criterion %d «%s» is worth at most %s {point|points}, so it cannot get %s. Write decimals with a comma, e.g. 9,5."}
	msgScoreOutOf      = bot.T{VI: "Tiêu chí số %[1]d «%[2]s» tối đa %[3]s điểm, không phải %[4]s như dòng này ghi. Ghi điểm theo thang %[3]s điểm của tiêu chí: <code>%[1]d &lt;điểm&gt;</code> hoặc <code>%[1]d &lt;điểm&gt;/%[3]s</code>; kiểm tra cả số tiêu chí: /criteria.", EN: "Criterion %[1]d «%[2]s» is worth at most %[3]s {point|points}, not %[4]s as this line writes. Give the points on the criterion's scale of %[3]s: <code>%[1]d &lt;points&gt;</code> or <code>%[1]d &lt;points&gt;/%[3]s</code>; check the criterion's number too: /criteria."}
	msgScoreWhich      = bot.T{VI: "Nêu đơn vị bằng #số (số thứ tự trong /units), rồi các dòng điểm.", EN: "Name the unit with #n (its number in /units), then the lines of points."}
	msgScoreNoLines    = bot.T{VI: "Bạn chưa ghi dòng điểm nào.", EN: "No line of points was given."}

	// A scoring sheet's total line (see thidua.ScoreLine.Total).
	msgScoreTotalMatches = bot.T{VI: " ✓ Khớp dòng tổng %s điểm.", EN: " ✓ Matches the total line, %s {point|points}."}
	msgScoreTotalDiffers = bot.T{VI: "Dòng tổng ghi <b>%s</b> điểm nhưng điểm các tiêu chí cộng lại là <b>%s</b> điểm (%d/%d tiêu chí).", EN: "The total line gives <b>%s</b> {point|points}, but the criteria add up to <b>%s</b> {point|points} (%d/%d {criterion|criteria})."}
	msgScoreTotalKept    = bot.T{VI: "Các dòng trong tin nhắn cộng lại %s điểm; các tiêu chí còn lại giữ điểm đã chấm trước.", EN: "The message's lines add up to %s {point|points}; the other criteria keep the points given before."}
	msgScoreTotalCheck   = bot.T{VI: "Kiểm tra lại điểm từng dòng và dòng tổng; chưa ghi gì.", EN: "Check each line's points and the total line; nothing was recorded."}

	msgBoardScores   = bot.T{VI: "🏅 <b>BẢNG ĐIỂM THI ĐUA NĂM %d</b>\n<b>%s</b> — tối đa %s điểm, %d tiêu chí", EN: "🏅 <b>SCORES %d</b>\n<b>%s</b> — at most %s {point|points}, %d {criterion|criteria}"}
	msgBoardRanked   = bot.T{VI: "%d. <b>%s</b> — bình xét <b>%s</b> · tự chấm %s", EN: "%d. <b>%s</b> — agreed <b>%s</b> · own %s"}
	msgBoardUnranked = bot.T{VI: "– %s — chưa bình xét · tự chấm %s", EN: "– %s — not agreed yet · own %s"}
	msgBoardPartial  = bot.T{VI: "– %s — bình xét chưa đủ tiêu chí: %s · tự chấm %s", EN: "– %s — agreed on some criteria only: %s · own %s"}
	msgBoardEmpty    = bot.T{VI: "Chưa đơn vị nào được chấm điểm năm %d. Đầu mối tự chấm cho đơn vị mình: <code>/selfscore</code> rồi mỗi dòng <code>&lt;số tiêu chí&gt; &lt;điểm&gt;</code>; Khối trưởng ghi điểm bình xét: <code>/score #số</code>.", EN: "No unit is scored for %d yet. Representatives score their unit: <code>/selfscore</code> then one line each <code>&lt;criterion number&gt; &lt;points&gt;</code>; the leader records the agreed scores: <code>/score #n</code>."}
	msgBoardOrder    = bot.T{VI: "Xếp hạng theo điểm bình xét đủ các tiêu chí; đơn vị bình xét chưa đủ tiêu chí xếp sau, không xếp hạng, rồi đơn vị chưa được bình xét, theo điểm tự chấm. Chi tiết một đơn vị: <code>/selfscore #số</code>.", EN: "Ranked by the scores agreed on every criterion; units agreed on some criteria only come after, unranked, then units not agreed yet, by their own. One unit's details: <code>/selfscore #n</code>."}

	// The board of a year the block turned from (/scores 2026).
	msgBoardOrderClosed = bot.T{VI: "Xếp hạng theo điểm bình xét đủ các tiêu chí; đơn vị bình xét chưa đủ tiêu chí xếp sau, không xếp hạng, rồi đơn vị chưa được bình xét, theo điểm tự chấm. Điểm từng tiêu chí: <code>/export %d</code>.", EN: "Ranked by the scores agreed on every criterion; units agreed on some criteria only come after, unranked, then units not agreed yet, by their own. The points of each criterion: <code>/export %d</code>."}
	msgBoardEmptyClosed = bot.T{VI: "Không đơn vị nào được chấm điểm năm %d.", EN: "No unit was scored for %d."}
)

// scoringErrors explains the domain errors of scoring.
var scoringErrors = []domainError{
	{thidua.ErrScoreLine, bot.T{VI: "Mỗi dòng điểm ghi: số tiêu chí, điểm, rồi ghi chú nếu có, ví dụ <code>2 25,5 tổ chức tốt</code>.", EN: "Each line of points is: the criterion's number, the points, then a note if any, e.g. <code>2 25,5 well run</code>."}},
	{thidua.ErrScoreCriterion, bot.T{VI: "Không có tiêu chí số này. Gửi /criteria để xem các tiêu chí và số thứ tự.", EN: "No criterion has this number. Send /criteria for the criteria and their numbers."}},
	{thidua.ErrScorePoints, bot.T{VI: "Điểm phải là một số từ 0 đến điểm tối đa của tiêu chí (viết kiểu Việt Nam: 25,5).", EN: "Points are a number from 0 to the criterion's maximum (written 25,5)."}},
	{thidua.ErrScoreTwice, bot.T{VI: "Một tiêu chí được chấm hai lần trong cùng tin nhắn.", EN: "A criterion is scored twice in one message."}},
	{thidua.ErrScoreNote, bot.T{
		VI: fmt.Sprintf("Ghi chú quá dài (tối đa %d ký tự) hoặc có ký tự không hợp lệ.", thidua.MaxNoteLen),
		EN: fmt.Sprintf("The note is too long (at most %d characters) or has characters that are not allowed.", thidua.MaxNoteLen),
	}},
	{thidua.ErrNotYourScore, bot.T{VI: "Xin lỗi, chỉ đầu mối của đơn vị mới tự chấm được cho đơn vị đó; quản trị viên nhóm ghi cho đơn vị nào cũng được, bằng #số.", EN: "Sorry, only a unit's representatives score it; group administrators score any unit, naming it with #n."}},
	{thidua.ErrScoreOneLine, bot.T{VI: "Mỗi tiêu chí ghi trên một dòng riêng: xuống dòng sau điểm của mỗi tiêu chí.", EN: "Each criterion goes on a line of its own: start a new line after each criterion's points."}},
	{thidua.ErrScoreTwoPoints, bot.T{
		VI: "Sau số tiêu chí có hai số, như một dòng chép từ bảng có cột điểm tối đa: mỗi dòng ghi số tiêu chí rồi điểm chấm, ví dụ <code>1 9,5</code>, không ghi điểm tối đa (bot đã biết điểm tối đa của từng tiêu chí). Ghi chú, nếu có, viết bằng chữ sau điểm.",
		EN: "The criterion's number is followed by two numbers, as in a row copied from a table with a column of maximum points: each line gives the criterion's number then the points given, e.g. <code>1 9,5</code>, without the maximum (the bot knows each criterion's). A note, if any, is words after the points.",
	}},
	{thidua.ErrScoreOutOf, bot.T{VI: "Điểm ghi theo thang khác điểm tối đa của tiêu chí. Ghi <code>&lt;số tiêu chí&gt; &lt;điểm&gt;</code>, hoặc <code>9,5/10</code> với 10 là điểm tối đa của tiêu chí (xem /criteria).", EN: "The points are out of a maximum other than the criterion's. Write <code>&lt;criterion number&gt; &lt;points&gt;</code>, or <code>9,5/10</code> where 10 is the criterion's maximum (see /criteria)."}},
	{thidua.ErrScoreTotal, bot.T{VI: "Dòng tổng khác tổng điểm các tiêu chí.", EN: "The total line differs from the criteria's total."}},
	{thidua.ErrScoreTotalLine, bot.T{VI: "Dòng tổng ghi: Tổng &lt;điểm&gt;, ví dụ <code>Tổng 88,5</code> hoặc <code>Tổng cộng: 88,5 điểm</code>.", EN: "A total line is: Tổng &lt;points&gt;, e.g. <code>Tổng 88,5</code> or <code>Total: 88,5</code>."}},
	{thidua.ErrScoreTotalOnly, bot.T{VI: "Tin nhắn chỉ có dòng tổng. Ghi điểm từng tiêu chí, mỗi dòng <code>&lt;số tiêu chí&gt; &lt;điểm&gt;</code>; dòng tổng, nếu có, chỉ để đối chiếu.", EN: "The message only gives a total. Give each criterion's points, one line each <code>&lt;criterion number&gt; &lt;points&gt;</code>; a total line, if any, is only checked against them."}},
}

// selfScore records the scores a unit gives itself, or shows them when no
// line is given.
func (r *Router) selfScore(q *request) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	a, unitID, rest, err := r.actingUnit(q, b)
	if err != nil {
		return err
	}
	lines := argLines(rest)
	if len(lines) == 0 {
		if len(b.Registration.Criteria) == 0 {
			return thidua.ErrNoCriteria
		}
		return q.reply(r.scoreCard(q.lang, b, unitID) + "\n\n" + msgSelfScoreHint.In(q.lang))
	}
	return r.recordScores(q, lines, selfScoring, a, unitID)
}

// reviewScore records the scores the block agreed on for the unit named by
// #số.
func (r *Router) reviewScore(q *request) error {
	b, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	if !strings.HasPrefix(q.args, "#") {
		return q.usage(msgScoreWhich)
	}
	_, unitID, rest, err := r.actingUnit(q, b)
	if err != nil {
		return err
	}
	lines := argLines(rest)
	if len(lines) == 0 {
		return q.usage(msgScoreNoLines)
	}
	return r.recordScores(q, lines, reviewScoring, a, unitID)
}

// scoring is what recordScores records and words: a unit's own scores or
// the agreed ones.
type scoring struct {
	// score records the lines (SelfScore or ReviewScore).
	score func(*thidua.Block, thidua.Actor, string, []thidua.ScoreLine, time.Time) (thidua.UnitScore, error)
	// done answers scores recorded; same, lines that changed nothing,
	// naming who recorded the scores (by) and when.
	done, same bot.T
	by         func(thidua.UnitScore) *thidua.Attribution
}

var (
	selfScoring = scoring{
		score: (*thidua.Block).SelfScore, done: msgSelfScored, same: msgSelfScoreSame,
		by: func(us thidua.UnitScore) *thidua.Attribution { return us.SelfBy },
	}
	reviewScoring = scoring{
		score: (*thidua.Block).ReviewScore, done: msgReviewScored, same: msgReviewScoreSame,
		by: func(us thidua.UnitScore) *thidua.Attribution { return us.ReviewedBy },
	}
)

// recordScores reads the lines of points and records them for the unit as
// kind says (own or agreed scores), then answers with what was recorded,
// or that the lines changed nothing and who recorded the scores when, and
// the unit's scores.
func (r *Router) recordScores(q *request, lines []string, kind scoring, a thidua.Actor, unitID string) error {
	parsed, err := parseLines(q, lines, thidua.ParseScoreLine)
	if err != nil {
		return err
	}
	var us thidua.UnitScore
	b, err := q.updateParts(thidua.PartRegistration, func(b *thidua.Block) error {
		us, err = kind.score(b, a, unitID, parsed, r.now())
		return err
	})
	var text string
	switch {
	case errors.Is(err, thidua.ErrUnchanged):
		if b, err = q.block(); err != nil {
			return err
		}
		text = kind.same.F(q.lang, bot.Escape(b.UnitName(unitID)), recordedBy(kind.by(us), r.zoneOf(b)))
	case err != nil:
		return scoreFailure(q, lines, parsed, err)
	default:
		text = kind.done.F(q.lang, bot.Escape(b.UnitName(unitID)), bot.Escape(a.Name))
	}
	if i := slices.IndexFunc(parsed, func(l thidua.ScoreLine) bool { return l.Total }); i >= 0 {
		text += msgScoreTotalMatches.F(q.lang, thidua.FormatNumber(parsed[i].Points))
	}
	return q.reply(text + "\n\n" + r.scoreCard(q.lang, b, unitID))
}

// recordedBy words who recorded something and when, to follow «as
// recorded»: " (Hà, 03/12/2026 10:00)", or "" when that is not known.
func recordedBy(by *thidua.Attribution, loc *time.Location) string {
	if by == nil {
		return ""
	}
	return " (" + bot.Escape(by.Name) + ", " + thidua.FormatDateTime(by.At, loc) + ")"
}

// scored reports whether a unit has points of its own or agreed ones.
func scored(st thidua.Standing) bool {
	self, _ := st.Self.Scored()
	reviewed, _ := st.Reviewed.Scored()
	return self > 0 || reviewed > 0
}

// scoreFailure answers a refused score (see lineFailure). Points above a
// criterion's maximum name the criterion and its maximum: "95" typed for a
// criterion of 10 points was likely meant as 9,5. Points out of another
// maximum than the criterion's («9,5/10» for a criterion of 30) name the
// criterion's and the form to write. A total line that differs from the
// criteria's total names both (see scoreTotalFailure).
func scoreFailure(q *request, lines []string, parsed []thidua.ScoreLine, err error) error {
	if te := (*thidua.ScoreTotalError)(nil); errors.As(err, &te) {
		return scoreTotalFailure(q, te)
	}
	le := (*thidua.LineError)(nil)
	if !errors.As(err, &le) || q.blk == nil {
		return lineFailure(q, lines, err)
	}
	l, criteria := parsed[le.Line-1], q.blk.Registration.Criteria
	if l.No < 1 || l.No > len(criteria) {
		return lineFailure(q, lines, err)
	}
	c := criteria[l.No-1]
	most, points := thidua.FormatNumber(c.MaxPoints), thidua.FormatNumber(l.Points)
	switch {
	case errors.Is(le.Err, thidua.ErrScorePoints):
		return explainLineWith(q, lines, le.Line, msgScoreOverMax.F(q.lang, l.No, bot.Escape(c.Title), most, points))
	case errors.Is(le.Err, thidua.ErrScoreOutOf):
		return explainLineWith(q, lines, le.Line, msgScoreOutOf.F(q.lang, l.No, bot.Escape(c.Title), most, thidua.FormatNumber(l.OutOf)))
	}
	return lineFailure(q, lines, err)
}

// scoreTotalFailure answers a message refused because its total line
// differs from the unit's total once recorded, naming both figures, and
// the sum of the message's lines when criteria it leaves count in that
// total, so that the person finds their typo.
func scoreTotalFailure(q *request, te *thidua.ScoreTotalError) error {
	scored, of := te.Total.Scored()
	text := msgScoreTotalDiffers.F(q.lang, thidua.FormatNumber(te.Typed), thidua.FormatNumber(te.Total.Points), scored, of)
	if te.Given != te.Total.Points {
		text += "\n" + msgScoreTotalKept.F(q.lang, thidua.FormatNumber(te.Given))
	}
	_ = q.fail(text + "\n" + msgScoreTotalCheck.In(q.lang))
	return errReplied
}

// scoreCard shows a unit's scores criterion by criterion, its own and the
// block's, with their totals.
func (r *Router) scoreCard(l bot.Lang, b *thidua.Block, unitID string) string {
	us := b.ScoreOf(unitID)
	lines := []string{msgScoreCardHead.F(l, b.Year, bot.Escape(b.UnitName(unitID)), thidua.FormatNumber(b.CriteriaTotal()))}
	for i, c := range b.Registration.Criteria {
		lines = append(lines, msgScoreLine.F(l, i+1, bot.Escape(c.Title), thidua.FormatNumber(c.MaxPoints),
			scoreText(l, us.Self, c.ID), scoreText(l, us.Reviewed, c.ID)))
	}
	st := b.StandingOf(unitID)
	lines = append(lines, msgScoreTotal.F(l, totalText(l, st.Self), totalText(l, st.Reviewed)))
	return strings.Join(lines, "\n")
}

// scoreText writes the points a list gives the criterion, with the note.
func scoreText(l bot.Lang, scores []thidua.Score, criterionID string) string {
	switch s, ok := thidua.ScoreFor(scores, criterionID); {
	case !ok:
		return msgScoreNone.In(l)
	case s.Note != "":
		return thidua.FormatNumber(s.Points) + " (<i>" + bot.Escape(s.Note) + "</i>)"
	default:
		return thidua.FormatNumber(s.Points)
	}
}

// totalText writes a total, saying how many criteria it covers when not
// all, or a dash when none.
func totalText(l bot.Lang, t thidua.ScoreTotal) string {
	scored, of := t.Scored()
	switch {
	case scored == 0:
		return msgScoreNone.In(l)
	case t.Complete():
		return thidua.FormatNumber(t.Points)
	}
	return msgScoreOfTotal.F(l, thidua.FormatNumber(t.Points), scored, of)
}

// scoreBoard ranks the units by the scores the block agreed on, then by
// their own, and ends with the award proposals, if any: this year's, or
// those of a year the block turned from, as kept at the turn.
func (r *Router) scoreBoard(q *request) error {
	cur, err := q.block()
	if err != nil {
		return err
	}
	b, err := r.namedYear(q, cur)
	if b == nil || err != nil {
		return err
	}
	switch {
	case len(b.Registration.Criteria) == 0 && b != cur:
		// Criteria added now would be the current year's.
		return q.reply(msgBoardEmptyClosed.F(q.lang, b.Year))
	case len(b.Registration.Criteria) == 0:
		return thidua.ErrNoCriteria
	}
	l := q.lang
	lines := []string{msgBoardScores.F(l, b.Year, bot.Escape(b.Name), thidua.FormatNumber(b.CriteriaTotal()), len(b.Registration.Criteria)), ""}
	ranking := b.Ranking()
	if !slices.ContainsFunc(ranking, scored) {
		empty := msgBoardEmpty
		if b != cur {
			empty = msgBoardEmptyClosed
		}
		lines = append(lines, empty.F(l, b.Year))
		ranking = nil
	}
	for _, st := range ranking {
		name := bot.Escape(b.UnitName(st.UnitID))
		switch scored, _ := st.Reviewed.Scored(); {
		case st.Rank == 0 && scored > 0:
			lines = append(lines, msgBoardPartial.F(l, name, totalText(l, st.Reviewed), totalText(l, st.Self)))
			continue
		case st.Rank == 0:
			lines = append(lines, msgBoardUnranked.F(l, name, totalText(l, st.Self)))
			continue
		}
		lines = append(lines, msgBoardRanked.F(l, st.Rank, name, totalText(l, st.Reviewed), totalText(l, st.Self)))
	}
	switch {
	case ranking != nil && b != cur:
		lines = append(lines, "", msgBoardOrderClosed.F(l, b.Year))
	case ranking != nil:
		lines = append(lines, "", msgBoardOrder.In(l))
	}
	if brief := awardBrief(l, b, b != cur); brief != "" {
		lines = append(lines, "", brief)
	}
	return q.reply(strings.Join(lines, "\n"))
}
