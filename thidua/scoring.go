package thidua

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file holds the year-end review (bình xét thi đua): each unit scores
// itself against the block's scoring criteria (tự chấm), the block agrees
// on each unit's score at its year-end conference (bình xét), and the
// ranking of the units follows. The scores belong to the registration
// part, beside the criteria they are given against.

// Errors of scoring.
var (
	ErrScoreLine      = newErr("score_line", "a score line is «<criterion number> <points> [note]»")
	ErrScoreCriterion = newErr("score_criterion", "no criterion has this number")
	ErrScorePoints    = newErr("score_points", "the points are not between 0 and the criterion's maximum")
	ErrScoreTwice     = newErr("score_twice", "a criterion is scored twice in one message")
	ErrNotYourScore   = newErr("not_your_score", "only the unit's representatives or an administrator may score it")
	ErrScoreNote      = newErr("score_note", "a score's note is too long or not valid text")
	ErrScoreOneLine   = newErr("score_one_line", "several criteria are scored on one line")
	ErrScoreTotal     = newErr("score_total", "the total line differs from the unit's total")
	ErrScoreTotalLine = newErr("score_total_line", "a total line is «Tổng <points>»")
	ErrScoreTotalOnly = newErr("score_total_only", "the message gives a total but no criterion's points")
	ErrScoreTwoPoints = newErr("score_two_points", "a score line gives two numbers of points, as a table's row with its column of maximum points does")
	ErrScoreOutOf     = newErr("score_out_of", "the points are written out of a maximum («9,5/10») other than the criterion's")
)

// ScoreTotalError refuses the scores of a message whose total line (see
// ScoreLine.Total) differs from the total the message would leave the
// unit with: a typo in a line of the sheet, or in its total. It wraps
// ErrScoreTotal.
type ScoreTotalError struct {
	// Typed is the total the line gives.
	Typed float64
	// Total is the unit's total once the message is recorded, over the
	// block's criteria, those the message leaves keeping their points.
	Total ScoreTotal
	// Given is the sum of the points of the message's lines.
	Given float64
}

func (e *ScoreTotalError) Error() string {
	return fmt.Sprintf("the total line gives %s, the criteria add up to %s", FormatNumber(e.Typed), e.Total)
}

// Unwrap returns ErrScoreTotal.
func (e *ScoreTotalError) Unwrap() error { return ErrScoreTotal }

// Score is the points given to a unit for one criterion, with a note.
type Score struct {
	CriterionID string  `json:"criterion_id"`
	Points      float64 `json:"points"`
	Note        string  `json:"note,omitempty"`
}

// UnitScore is a unit's scores of the year: its own (Self) and the block's
// (Reviewed), each with who gave them last and when.
type UnitScore struct {
	UnitID     string       `json:"unit_id"`
	Self       []Score      `json:"self,omitempty"`
	SelfBy     *Attribution `json:"self_by,omitempty"`
	Reviewed   []Score      `json:"reviewed,omitempty"`
	ReviewedBy *Attribution `json:"reviewed_by,omitempty"`
}

// ScoreLine is one line of a score as a person typed it: the criterion's
// number in the block's list, the points and a note; or the total of the
// sheet the person copied.
type ScoreLine struct {
	No     int
	Points float64
	Note   string
	// OutOf is the maximum the points were written out of, as on a paper
	// form («9,5/10»), rounded to two decimals; 0 when none was written.
	// The points are the criterion's only when it is the criterion's
	// maximum (see SelfScore).
	OutOf float64
	// Total marks the sheet's total line («Tổng 88,5»): Points is the
	// total it gives, No is 0 and Note empty. It scores no criterion: the
	// unit's total is checked against it (see SelfScore).
	Total bool
}

// ParseScoreLine reads "<số tiêu chí> <điểm> [ghi chú]": "1 18", "2. 25,5
// tổ chức tốt", "3 | 30", "1 18 điểm", "2 9,5đ" (the word for points after
// them, apart or glued on, is not a note), "1 9,5/10" or "1 9,5 / 10"
// (points out of a maximum, as paper forms write them: see ScoreLine.OutOf
// and glueOutOf). Points are
// rounded to the two decimals shown. It returns
// ErrScoreLine, ErrScorePoints (points that are not a number, or negative,
// or out of a maximum that is no number above 0),
// ErrScoreNote, ErrScoreOneLine when what follows the points is another
// criterion and its points ("1 18 2 25": one line each, please), or
// ErrScoreTwoPoints when it is a number of points alone ("1 10 9", "1 | 10
// | 9": a row copied from a scoring sheet's table, whose column of maximum
// points comes before the points given, would record the maximum).
func ParseScoreLine(s string) (ScoreLine, error) {
	if rest, ok := cutTotalWords(s); ok {
		return parseScoreTotal(s, rest)
	}
	no, rest, ok := cutPledgeNo(strings.TrimSpace(s))
	word, note := firstField(trimNoteSeparators(strings.TrimSpace(rest)))
	if !ok || word == "" {
		return ScoreLine{}, fmt.Errorf("%w: %q", ErrScoreLine, s)
	}
	word, note = glueOutOf(word, note)
	word, outOf, ok := cutOutOf(word)
	points, note, isPoints := cutPoints(word, note)
	if !ok || !isPoints {
		return ScoreLine{}, fmt.Errorf("%w: %q", ErrScorePoints, word)
	}
	if next, after := firstField(note); next != "" {
		// "1 18 2 25": a second criterion and its points, typed on the
		// same line, would become the first one's note.
		if _, _, ok := cutPledgeNo(note); ok {
			if more, _ := firstField(after); more != "" {
				if _, err := ParseNumber(more); err == nil {
					return ScoreLine{}, fmt.Errorf("%w: %q", ErrScoreOneLine, s)
				}
			}
		}
	}
	if word, rest := firstField(trimNoteSeparators(note)); word != "" {
		if _, after, ok := cutPoints(word, rest); ok && after == "" {
			return ScoreLine{}, fmt.Errorf("%w: %q", ErrScoreTwoPoints, s)
		}
	}
	note, ok = cleanNote(note)
	if !ok {
		return ScoreLine{}, ErrScoreNote
	}
	return ScoreLine{No: no, Points: points, Note: note, OutOf: outOf}, nil
}

// glueOutOf joins to the points' word a maximum written apart from it,
// with white space around the slash («9,5 / 10», «9,5 /10», «9,5/ 10»,
// «9,5 điểm / 10»), as cutOutOf reads it, and returns the word and what
// follows the maximum; rest is what follows the word. A slash not
// followed by a number is left as it is, in the note.
func glueOutOf(word, rest string) (string, string) {
	w, r := word, rest
	if unit, after := firstField(r); isPointsWord(unit) && strings.HasPrefix(after, "/") {
		w, r = w+unit, after // «9,5 điểm / 10»: the word for points glued on
	}
	slash := ""
	switch {
	case strings.HasSuffix(w, "/"):
	case strings.HasPrefix(r, "/") && !strings.Contains(w, "/"):
		slash, r = "/", r[1:]
	default:
		return word, rest
	}
	if most, after := firstField(r); most != "" && most[0] >= '0' && most[0] <= '9' {
		return w + slash + most, after
	}
	return word, rest
}

// cutOutOf splits points written out of a maximum, «9,5/10» or «88,5/100đ»,
// into the points and the maximum, rounded to two decimals, the word for
// points after the maximum dropped (see isPointsWord). A word without a
// slash is returned as it is, with 0. It returns false when what follows
// the slash is no number above 0.
func cutOutOf(word string) (string, float64, bool) {
	points, most, ok := strings.Cut(word, "/")
	if !ok {
		return word, 0, true
	}
	if i := strings.LastIndexAny(most, "0123456789"); i >= 0 && isPointsWord(most[i+1:]) {
		most = most[:i+1]
	}
	n, err := ParseNumber(most)
	if n = math.Round(n*100) / 100; err != nil || n <= 0 {
		return word, 0, false
	}
	return points, n, true
}

// cutPoints reads word as points, which the word for them may follow, glued
// on or as the first word of rest (see isPointsWord): it returns the
// points, rounded to the two decimals shown, the rest without that word,
// and false for a word that is no number of points, or a negative one.
func cutPoints(word, rest string) (float64, string, bool) {
	if i := strings.LastIndexAny(word, "0123456789"); i >= 0 && isPointsWord(word[i+1:]) {
		word = word[:i+1]
	}
	if unit, after := firstField(rest); isPointsWord(unit) {
		rest = after
	}
	points, err := ParseNumber(word)
	if err != nil || points < 0 {
		return 0, rest, false
	}
	return math.Round(points*100) / 100, rest, true
}

// maxTotalWords is the most words a total line has before its points, as in
// «Tổng cộng điểm tự chấm: 88,5».
const maxTotalWords = 6

// cutTotalWords reports whether the line s is a scoring sheet's total line:
// one starting with «Tổng», «Cộng» or «Total» (a criterion's line starts
// with its number), and returns what follows the words before its points.
func cutTotalWords(s string) (string, bool) {
	word, rest := firstField(s)
	if head, glued, ok := strings.Cut(word, ":"); ok { // «Tổng:88,5»
		word, rest = head, glued+" "+rest
	}
	switch Fold(word) {
	case "tong", "cong", "total":
	default:
		return "", false
	}
	for range maxTotalWords {
		next, after := firstField(rest)
		if next == "" || next[0] >= '0' && next[0] <= '9' {
			break
		}
		rest = after
	}
	return rest, true
}

// parseScoreTotal reads the points of the total line s, rest being what
// follows its words (see cutTotalWords): a number written the Vietnamese
// way, the word for points after it or not, out of the most points
// possibly («88,5/100 điểm», see cutOutOf), which is not checked. It
// returns ErrScoreTotalLine for anything else.
func parseScoreTotal(s, rest string) (ScoreLine, error) {
	word, after := glueOutOf(firstField(rest))
	word, _, ok := cutOutOf(word)
	points, after, isPoints := cutPoints(word, after)
	if !ok || !isPoints || after != "" {
		return ScoreLine{}, fmt.Errorf("%w: %q", ErrScoreTotalLine, s)
	}
	return ScoreLine{Points: points, Total: true}, nil
}

// isPointsWord reports whether s is the word for points written after
// them: "điểm" or "đ", with or without diacritics.
func isPointsWord(s string) bool {
	f := Fold(s)
	return f == "diem" || f == "d"
}

// ScoreFor returns the score a list gives the criterion, and whether it
// gives one.
func ScoreFor(scores []Score, criterionID string) (Score, bool) {
	i := slices.IndexFunc(scores, func(s Score) bool { return s.CriterionID == criterionID })
	if i < 0 {
		return Score{}, false
	}
	return scores[i], true
}

// ScoreOf returns the unit's scores (empty when it has none).
func (b *Block) ScoreOf(unitID string) UnitScore {
	for _, s := range b.Registration.Scores {
		if s.UnitID == unitID {
			return s
		}
	}
	return UnitScore{UnitID: unitID}
}

// SelfScore records the unit's own scores for the criteria its lines name,
// keeping those it gave the others before. Only the unit's representatives
// and administrators may. It returns ErrNoCriteria, ErrUnitNotFound,
// ErrNotYourScore, a *LineError wrapping ErrScoreCriterion, ErrScoreOutOf
// (points out of a maximum other than the criterion's), ErrScorePoints or
// ErrScoreTwice, a *ScoreTotalError, or, for lines that
// change nothing, the unit's scores as they are with ErrUnchanged.
func (b *Block) SelfScore(a Actor, unitID string, lines []ScoreLine, now time.Time) (UnitScore, error) {
	switch {
	case b.Unit(unitID) == nil:
		return UnitScore{}, ErrUnitNotFound
	case !b.CanActFor(a, unitID):
		return UnitScore{}, ErrNotYourScore
	}
	return b.score(a, unitID, lines, now, false)
}

// ReviewScore records the scores the block agreed on for the unit, for the
// criteria its lines name, keeping those given before for the others. Only
// managers may. It returns ErrForbidden, ErrNoCriteria, ErrUnitNotFound, or
// a *LineError as SelfScore does.
func (b *Block) ReviewScore(a Actor, unitID string, lines []ScoreLine, now time.Time) (UnitScore, error) {
	switch {
	case !b.CanManage(a):
		return UnitScore{}, ErrForbidden
	case b.Unit(unitID) == nil:
		return UnitScore{}, ErrUnitNotFound
	}
	return b.score(a, unitID, lines, now, true)
}

// score checks the lines against the criteria and records them as the
// unit's own scores or, when reviewed, the block's, the history keeping the
// total and the named criteria's points before and after (scoreRecord).
// The total lines among them are checked against the unit's total once
// the others are recorded (see ScoreTotalError). Lines that give every
// criterion they name the points and note it has already return the
// unit's scores as they are with ErrUnchanged, recording nothing.
func (b *Block) score(a Actor, unitID string, lines []ScoreLine, now time.Time, reviewed bool) (UnitScore, error) {
	criteria := b.Registration.Criteria
	if len(criteria) == 0 {
		return UnitScore{}, ErrNoCriteria
	}
	seen := map[int]bool{}
	var nos []int
	for i, l := range lines {
		switch {
		case l.Total:
			continue
		case l.No < 1 || l.No > len(criteria):
			return UnitScore{}, &LineError{Line: i + 1, Err: ErrScoreCriterion}
		case l.OutOf != 0 && hundredths(l.OutOf) != hundredths(criteria[l.No-1].MaxPoints):
			return UnitScore{}, &LineError{Line: i + 1, Err: ErrScoreOutOf}
		case l.Points < 0 || l.Points > criteria[l.No-1].MaxPoints:
			return UnitScore{}, &LineError{Line: i + 1, Err: ErrScorePoints}
		case seen[l.No]:
			return UnitScore{}, &LineError{Line: i + 1, Err: ErrScoreTwice}
		}
		seen[l.No] = true
		nos = append(nos, l.No)
	}
	switch {
	case len(nos) == 0 && len(lines) > 0:
		return UnitScore{}, ErrScoreTotalOnly
	case len(nos) == 0:
		return UnitScore{}, ErrScoreLine
	}
	us := b.ScoreOf(unitID)
	list, by, action := &us.Self, &us.SelfBy, "score.self"
	if reviewed {
		list, by, action = &us.Reviewed, &us.ReviewedBy, "score.review"
	}
	slices.Sort(nos)
	beforeText := ""
	if before := b.scoreTotal(*list); before.scored > 0 {
		beforeText = b.scoreRecord(before, *list, nos)
	}
	scores := slices.Clone(*list)
	var given []Score // the message's lines, summed as totals are
	for _, l := range lines {
		if l.Total {
			continue
		}
		s := Score{CriterionID: criteria[l.No-1].ID, Points: l.Points, Note: l.Note}
		given = append(given, s)
		if j := slices.IndexFunc(scores, func(x Score) bool { return x.CriterionID == s.CriterionID }); j >= 0 {
			scores[j] = s
		} else {
			scores = append(scores, s)
		}
	}
	after := b.scoreTotal(scores)
	for _, l := range lines {
		if l.Total && hundredths(l.Points) != hundredths(after.Points) {
			return UnitScore{}, &ScoreTotalError{Typed: l.Points, Total: after, Given: b.scoreTotal(given).Points}
		}
	}
	if slices.Equal(scores, *list) {
		return us, ErrUnchanged
	}
	*list, *by = scores, attribution(a, now)
	if i := slices.IndexFunc(b.Registration.Scores, func(s UnitScore) bool { return s.UnitID == unitID }); i >= 0 {
		b.Registration.Scores[i] = us
	} else {
		b.Registration.Scores = append(b.Registration.Scores, us)
	}
	b.recordFor(a, unitID, now, action, beforeText, b.scoreRecord(after, scores, nos))
	return us, nil
}

// scoreRecord writes for the history a unit's total and the points scores
// give the criteria numbered nos, with their notes: "88,5 điểm (3/3 tiêu
// chí) — 2: 25,5 (tổ chức tốt); 3: chưa chấm". The points of each criterion
// a change names are kept so, not only the totals, which a change moving
// points from one criterion to another leaves as they were.
func (b *Block) scoreRecord(t ScoreTotal, scores []Score, nos []int) string {
	var sb strings.Builder
	sb.WriteString(t.String())
	for i, no := range nos {
		sep := "; "
		if i == 0 {
			sep = " — "
		}
		sb.WriteString(sep + strconv.Itoa(no) + ": ")
		switch sc, ok := ScoreFor(scores, b.Registration.Criteria[no-1].ID); {
		case !ok:
			sb.WriteString("chưa chấm")
		case sc.Note != "":
			sb.WriteString(FormatNumber(sc.Points) + " (" + sc.Note + ")")
		default:
			sb.WriteString(FormatNumber(sc.Points))
		}
	}
	return sb.String()
}

// ScoreTotal is the sum of a unit's scores over the block's current
// criteria, with how many criteria it covers.
type ScoreTotal struct {
	Points float64
	scored int
	of     int
}

// Complete reports whether every criterion is scored.
func (t ScoreTotal) Complete() bool { return t.of > 0 && t.scored == t.of }

// Scored returns how many criteria are scored, of how many.
func (t ScoreTotal) Scored() (scored, of int) { return t.scored, t.of }

// String writes the total as the history keeps it: "85 điểm (3/3 tiêu
// chí)".
func (t ScoreTotal) String() string {
	return fmt.Sprintf("%s điểm (%d/%d tiêu chí)", FormatNumber(t.Points), t.scored, t.of)
}

// scoreTotal sums scores over the block's current criteria (a score of a
// criterion removed since does not count). It adds hundredths of a point,
// which every score is rounded to, so that totals written alike are equal
// (10,1 + 20,2 and 10,2 + 20,1 are both 30,3) and rank alike.
func (b *Block) scoreTotal(scores []Score) ScoreTotal {
	t := ScoreTotal{of: len(b.Registration.Criteria)}
	var sum int64
	for _, c := range b.Registration.Criteria {
		if s, ok := ScoreFor(scores, c.ID); ok {
			sum += hundredths(s.Points)
			t.scored++
		}
	}
	t.Points = float64(sum) / 100
	return t
}

// hundredths returns points in hundredths of a point, which every score is
// rounded to.
func hundredths(points float64) int64 { return int64(math.Round(points * 100)) }

// Standing is a unit's place in the ranking (see Ranking).
type Standing struct {
	UnitID   string
	Self     ScoreTotal
	Reviewed ScoreTotal
	// Rank is the unit's place by its agreed total, from 1, equal totals
	// sharing one; 0 for a unit the block has not scored. Only Ranking
	// sets it.
	Rank int
}

// StandingOf returns the unit's totals, its own and the block's.
func (b *Block) StandingOf(unitID string) Standing {
	s := b.ScoreOf(unitID)
	return Standing{UnitID: unitID, Self: b.scoreTotal(s.Self), Reviewed: b.scoreTotal(s.Reviewed)}
}

// Ranking returns every unit's totals and rank: the units the block has
// agreed on every criterion first, ranked by their agreed total, highest
// first; then, unranked, those agreed on some criteria only, by that
// partial total, which no complete total can be compared with; then the
// others by their own total. Ties keep the units' order.
func (b *Block) Ranking() []Standing {
	out := make([]Standing, len(b.Units))
	for i, u := range b.Units {
		out[i] = b.StandingOf(u.ID)
	}
	slices.SortStableFunc(out, func(x, y Standing) int {
		if c := cmp.Compare(y.agreement(), x.agreement()); c != 0 {
			return c
		}
		if x.Reviewed.scored > 0 {
			return cmp.Compare(y.Reviewed.Points, x.Reviewed.Points)
		}
		return cmp.Compare(y.Self.Points, x.Self.Points)
	})
	for i := range out {
		switch st := &out[i]; {
		case !st.Reviewed.Complete():
		case i > 0 && out[i-1].Reviewed.Complete() && out[i-1].Reviewed.Points == st.Reviewed.Points:
			st.Rank = out[i-1].Rank
		default:
			st.Rank = i + 1
		}
	}
	return out
}

// agreement orders standings in the ranking: 2 for an agreed total over
// every criterion, 1 over some, 0 for none.
func (st Standing) agreement() int {
	switch {
	case st.Reviewed.Complete():
		return 2
	case st.Reviewed.scored > 0:
		return 1
	}
	return 0
}
