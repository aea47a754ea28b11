package thidua

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"
	"unicode/utf8"
)

// scoring is the Lào Cai block with three criteria (20, 30 and 50 points).
func scoring(t *testing.T) *Block {
	t.Helper()
	b := openLaoCai(t)
	var drafts []CriterionDraft
	for _, s := range []string{"Công tác tuyên truyền | 20", "Phong trào thi đua | 30", "Kết quả thực hiện chỉ tiêu | 50"} {
		c, err := ParseCriterion(s)
		must(t, err)
		drafts = append(drafts, c)
	}
	_, err := b.AddCriteria(admin, drafts, t0)
	must(t, err)
	b.TakeEvents()
	return b
}

func scoreLines(t *testing.T, ss ...string) []ScoreLine {
	t.Helper()
	out := make([]ScoreLine, len(ss))
	for i, s := range ss {
		l, err := ParseScoreLine(s)
		if err != nil {
			t.Fatalf("ParseScoreLine(%q): %v", s, err)
		}
		out[i] = l
	}
	return out
}

func TestParseScoreLine(t *testing.T) {
	for in, want := range map[string]ScoreLine{
		"1 18":                       {No: 1, Points: 18},
		"2. 25,5 tổ chức tốt":        {No: 2, Points: 25.5, Note: "tổ chức tốt"},
		"3 | 30":                     {No: 3, Points: 30},
		"3: 12,345 - làm tròn":       {No: 3, Points: 12.35, Note: "làm tròn"},
		" 10   0   chưa   làm  ":     {No: 10, Points: 0, Note: "chưa làm"},
		"1 20 -2 điểm vì nộp muộn":   {No: 1, Points: 20, Note: "-2 điểm vì nộp muộn"},
		"5 18 2 lần tổ chức hội thi": {No: 5, Points: 18, Note: "2 lần tổ chức hội thi"},
		"6 18 | 2 25":                {No: 6, Points: 18, Note: "2 25"},
		"4 1.200":                    {No: 4, Points: 1200},
		"1 18 điểm":                  {No: 1, Points: 18},
		"1 18đ":                      {No: 1, Points: 18},
		"2 9,5Đ tổ chức tốt":         {No: 2, Points: 9.5, Note: "tổ chức tốt"},
		"3 57,5điểm":                 {No: 3, Points: 57.5},
		"2 25,5 Đ - tổ chức tốt":     {No: 2, Points: 25.5, Note: "tổ chức tốt"},
		"3 30 | điểm thưởng":         {No: 3, Points: 30, Note: "điểm thưởng"},
		// Points out of a maximum, as paper forms write them.
		"1 9,5/10":                 {No: 1, Points: 9.5, OutOf: 10},
		"2 25/30 điểm tổ chức tốt": {No: 2, Points: 25, OutOf: 30, Note: "tổ chức tốt"},
		"3 55,5đ/60đ":              {No: 3, Points: 55.5, OutOf: 60},
		"4 7,25/7,5":               {No: 4, Points: 7.25, OutOf: 7.5},
		// The slash written apart from the numbers.
		"1 9,5 / 10":           {No: 1, Points: 9.5, OutOf: 10},
		"2 25 /30 tổ chức tốt": {No: 2, Points: 25, OutOf: 30, Note: "tổ chức tốt"},
		"3 55,5đ/ 60đ":         {No: 3, Points: 55.5, OutOf: 60},
		"3 55,5 điểm / 60":     {No: 3, Points: 55.5, OutOf: 60},
		"1 9 / tốt":            {No: 1, Points: 9, Note: "/ tốt"},
		"Tổng 88,5 / 100":      {Points: 88.5, Total: true},
		// A sheet's total line.
		"Tổng 88,5":                        {Points: 88.5, Total: true},
		"Tổng cộng: 88,5 điểm":             {Points: 88.5, Total: true},
		"Cộng 88,5":                        {Points: 88.5, Total: true},
		"TỔNG CỘNG 1.200,25đ":              {Points: 1200.25, Total: true},
		"Tổng:88,5":                        {Points: 88.5, Total: true},
		"tong diem tu cham: 88,5/100 diem": {Points: 88.5, Total: true},
		"Tổng số điểm 88,5/100đ":           {Points: 88.5, Total: true},
		"Total 88.5":                       {Points: 88.5, Total: true},
	} {
		got, err := ParseScoreLine(in)
		if err != nil || got != want {
			t.Errorf("ParseScoreLine(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for in, want := range map[string]error{
		"": ErrScoreLine, "18": ErrScoreLine, "1": ErrScoreLine, "một 18": ErrScoreLine,
		"1 mười": ErrScorePoints, "1 -5": ErrScorePoints, "1 18đồng": ErrScorePoints, "1 đ": ErrScorePoints,
		"1 18 a\x00b": ErrScoreNote, "1 18 2 25": ErrScoreOneLine, "1 18 điểm 2 25,5 3 45": ErrScoreOneLine,
		"Tổng": ErrScoreTotalLine, "Tổng tám mươi": ErrScoreTotalLine, "Tổng 88,5 xuất sắc": ErrScoreTotalLine,
		"Tổng -5": ErrScoreTotalLine, "Tổng 88,5/một trăm": ErrScoreTotalLine, "Tổngcộng 88": ErrScoreLine,
		// A row of a sheet's table: the maximum, then the points given.
		"1 9/0": ErrScorePoints, "1 9/0,001": ErrScorePoints, "1 9/mười": ErrScorePoints, "1 /10": ErrScorePoints, "1 9/10/10": ErrScorePoints,
		"1 9,5/10 10": ErrScoreTwoPoints,
		"1 10 9":      ErrScoreTwoPoints, "1 | 10 | 9": ErrScoreTwoPoints, "2 30 27,5 điểm": ErrScoreTwoPoints, "3 60đ - 54đ": ErrScoreTwoPoints,
	} {
		if _, err := ParseScoreLine(in); !errors.Is(err, want) {
			t.Errorf("ParseScoreLine(%q) = %v, want %v", in, err, want)
		}
	}
}

func TestSelfAndReviewedScores(t *testing.T) {
	b := scoring(t)
	us, err := b.SelfScore(lan, "u3", scoreLines(t, "1 18", "2 25,5 tổ chức tốt"), t0)
	must(t, err)
	if len(us.Self) != 2 || us.SelfBy.UserID != lan.UserID || us.Self[1] != (Score{CriterionID: b.Registration.Criteria[1].ID, Points: 25.5, Note: "tổ chức tốt"}) {
		t.Fatalf("self scores %+v", us)
	}
	// Sending again replaces the criteria named and keeps the others.
	us, err = b.SelfScore(lan, "u3", scoreLines(t, "2 27", "3 45"), t0)
	must(t, err)
	if st := b.StandingOf("u3"); st.Self.Points != 90 || !st.Self.Complete() {
		t.Fatalf("self total %+v after %+v", st.Self, us)
	}
	ev := b.TakeEvents()
	if got := actions(ev); !slices.Equal(got, []string{"score.self", "score.self"}) || ev[1].Before != "43,5 điểm (2/3 tiêu chí) — 2: 25,5 (tổ chức tốt); 3: chưa chấm" || ev[1].After != "90 điểm (3/3 tiêu chí) — 2: 27; 3: 45" {
		t.Fatalf("events %+v", ev)
	}
	// The same points and notes again, by anyone, change nothing: the
	// scores stay with their attribution, and nothing is recorded.
	us, err = b.SelfScore(admin, "u3", scoreLines(t, "3 45", "2 27"), t0.Add(time.Hour))
	if !errors.Is(err, ErrUnchanged) || us.SelfBy.UserID != lan.UserID || !us.SelfBy.At.Equal(t0) || len(b.TakeEvents()) != 0 {
		t.Fatalf("the same scores again: %v, %+v", err, us)
	}

	for _, tc := range []struct {
		name  string
		a     Actor
		unit  string
		lines []ScoreLine
		want  error
	}{
		{"another unit's representative", minh, "u3", scoreLines(t, "1 10"), ErrNotYourScore},
		{"no such unit", admin, "u99", scoreLines(t, "1 10"), ErrUnitNotFound},
		{"no such criterion", lan, "u3", scoreLines(t, "1 10", "4 10"), ErrScoreCriterion},
		{"over the maximum", lan, "u3", scoreLines(t, "1 20,5"), ErrScorePoints},
		{"twice", lan, "u3", scoreLines(t, "2 10", "2 12"), ErrScoreTwice},
		{"out of another maximum", lan, "u3", scoreLines(t, "1 9,5/10"), ErrScoreOutOf},
		{"out of the maximum, above it", lan, "u3", scoreLines(t, "1 25/20"), ErrScorePoints},
	} {
		if _, err := b.SelfScore(tc.a, tc.unit, tc.lines, t0); !errors.Is(err, tc.want) {
			t.Errorf("%s: SelfScore = %v, want %v", tc.name, err, tc.want)
		}
	}
	var le *LineError
	if _, err := b.SelfScore(lan, "u3", scoreLines(t, "1 10", "4 10"), t0); !errors.As(err, &le) || le.Line != 2 {
		t.Errorf("the bad line: %v", err)
	}
	if st := b.StandingOf("u3"); st.Self.Points != 90 || len(b.TakeEvents()) != 0 {
		t.Fatalf("a refused score changed something: %+v", st)
	}

	// An administrator scores any unit; only managers record the agreed score.
	_, err = b.SelfScore(admin, "u6", scoreLines(t, "1 20", "2 30", "3 48"), t0)
	must(t, err)
	if _, err := b.ReviewScore(lan, "u3", scoreLines(t, "1 15"), t0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a representative recorded the agreed score: %v", err)
	}
	_, err = b.ReviewScore(minh, "u3", scoreLines(t, "1 17", "2 27", "3 45"), t0)
	must(t, err)
	if ev := b.TakeEvents(); len(ev) != 2 || ev[1].Action != "score.review" || ev[1].Subject != "u3" || ev[1].Before != "" {
		t.Fatalf("events %+v", ev)
	}

	// Ranked: the units the block scored first, by their agreed total; then
	// the others by their own.
	var order []string
	for _, st := range b.Ranking() {
		order = append(order, st.UnitID)
	}
	if order[0] != "u3" || order[1] != "u6" || len(order) != len(b.Units) {
		t.Fatalf("ranking %v", order)
	}
	_, err = b.ReviewScore(admin, "u6", scoreLines(t, "1 20", "2 30", "3 45"), t0)
	must(t, err)
	if r := b.Ranking(); r[0].UnitID != "u6" || r[0].Reviewed.Points != 95 || r[1].Reviewed.Points != 89 {
		t.Fatalf("ranking %+v", r[:2])
	}

	// A unit agreed on some criteria only is not ranked among the complete
	// totals, whatever its partial total: it comes after them, by that
	// total, before the units not agreed on at all.
	_, err = b.ReviewScore(admin, "u1", scoreLines(t, "2 30", "3 50"), t0)
	must(t, err)
	r := b.Ranking()
	if r[0].UnitID != "u6" || r[0].Rank != 1 || r[1].UnitID != "u3" || r[1].Rank != 2 || r[2].UnitID != "u1" || r[2].Rank != 0 || r[3].Reviewed.Points != 0 {
		t.Fatalf("a partial agreed total in the ranking %+v", r[:4])
	}

	// Without criteria nothing can be scored.
	if _, err := laoCai(t).SelfScore(admin, "u3", scoreLines(t, "1 10"), t0); !errors.Is(err, ErrNoCriteria) {
		t.Fatalf("scoring without criteria: %v", err)
	}
}

// A criterion removed (before the covenant froze the criteria) no longer
// counts in the totals.
func TestScoresOfARemovedCriterion(t *testing.T) {
	b := scoring(t)
	_, err := b.SelfScore(lan, "u3", scoreLines(t, "1 18", "2 25", "3 40"), t0)
	must(t, err)
	_, err = b.RemoveCriterion(admin, 1, t0)
	must(t, err)
	if st := b.StandingOf("u3"); st.Self.Points != 65 || !st.Self.Complete() {
		t.Fatalf("total after the removal %+v", st.Self)
	}
}

// FuzzParseScoreLine checks that any score line is either refused with a
// scoring error or read as a criterion number, points that are not
// negative and have at most two decimals, and a clean note, which reads
// back the same once written as the bot writes it.
func FuzzParseScoreLine(f *testing.F) {
	for _, s := range []string{
		"1 18", "2. 25,5 tổ chức tốt", "3 | 30", "3: 12,345 - làm tròn", "1 -5", "1 mười", "", "999 1e9",
		"1 20 -2 điểm vì nộp muộn", "1 5 a\x00b", "01 007,50 điểm", "1 1.200,75", "2 9,5đ tốt",
		"Tổng cộng: 88,5 điểm", "Cộng 88,5/100đ", "Tổng: x", "1 9,5/10", "2 25/30 điểm tốt", "3 55,5/60đ", "1 9/0", "1 9/mười", "1 /10", "1 9,5 / 10", "2 25 /30 tốt", "3 55,5 điểm/ 60đ", "1 9 / tốt", "Tổng 88,5 / 100",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseScoreLine(s)
		if err != nil {
			for _, known := range []error{ErrScoreLine, ErrScorePoints, ErrScoreNote, ErrScoreOneLine, ErrScoreTotalLine, ErrScoreTwoPoints} {
				if errors.Is(err, known) {
					return
				}
			}
			t.Fatalf("ParseScoreLine(%q) returned a foreign error %v", s, err)
		}
		p := l.Points
		if l.No < 0 || p < 0 || l.OutOf < 0 || l.Total && l.OutOf != 0 || math.IsNaN(p) || math.IsInf(p, 0) || math.Abs(p*100-math.Round(p*100)) > 1e-6*math.Max(1, p) {
			t.Fatalf("ParseScoreLine(%q) = %+v", s, l)
		}
		if clean, ok := CleanText(l.Note, MaxNoteLen); l.Note != "" && (!ok || clean != l.Note) || !utf8.ValidString(l.Note) {
			t.Fatalf("ParseScoreLine(%q) kept an unclean note %q", s, l.Note)
		}
		points := FormatNumber(p)
		if l.OutOf != 0 {
			points += "/" + FormatNumber(l.OutOf)
		}
		again := fmt.Sprintf("%d %s | %s", l.No, points, l.Note)
		if l.Total {
			if l.No != 0 || l.Note != "" {
				t.Fatalf("ParseScoreLine(%q) = %+v", s, l)
			}
			again = "Tổng " + FormatNumber(p)
		}
		back, err := ParseScoreLine(again)
		if err != nil || back.No != l.No || back.Note != l.Note || back.Total != l.Total || math.Abs(back.Points-p) > 0.006 || back.OutOf != l.OutOf {
			t.Fatalf("%q read as %+v, written %q, read back as %+v, %v", s, l, again, back, err)
		}
	})
}

// TestScoreTotalLine checks that a sheet's total line is checked against
// the unit's total once the message is recorded, criteria it leaves
// keeping their points: a total that differs refuses the whole message,
// naming both figures and the sum of its lines, and changes nothing; one
// that matches is recorded as if it were not there.
func TestScoreTotalLine(t *testing.T) {
	b := scoring(t)
	_, err := b.SelfScore(lan, "u3", scoreLines(t, "1 18", "2 25,5", "Tổng 43,5"), t0)
	must(t, err)
	b.TakeEvents()
	before := b.ScoreOf("u3")
	_, err = b.SelfScore(lan, "u3", scoreLines(t, "3 49", "Tổng cộng 88,5 điểm"), t0)
	var te *ScoreTotalError
	if !errors.As(err, &te) || !errors.Is(err, ErrScoreTotal) || !IsDomain(err) || te.Typed != 88.5 || te.Total.Points != 92.5 || !te.Total.Complete() || te.Given != 49 {
		t.Fatalf("a total that differs: %v (%+v)", err, te)
	}
	if got := b.ScoreOf("u3"); len(got.Self) != len(before.Self) || len(b.TakeEvents()) != 0 {
		t.Fatalf("a refused message changed the scores: %+v", got)
	}
	if _, err := b.SelfScore(lan, "u3", scoreLines(t, "Tổng 43,5"), t0); !errors.Is(err, ErrScoreTotalOnly) {
		t.Fatalf("a total alone: %v", err)
	}
	// A new unit's scores, refused: no empty entry is left behind.
	if _, err := b.ReviewScore(admin, "u1", scoreLines(t, "1 10", "Tổng 11"), t0); !errors.Is(err, ErrScoreTotal) {
		t.Fatalf("an agreed total that differs: %v", err)
	}
	if n := len(b.Registration.Scores); n != 1 {
		t.Fatalf("%d units' scores after a refusal", n)
	}
	us, err := b.SelfScore(lan, "u3", scoreLines(t, "3 45", "Cộng 88,5"), t0)
	must(t, err)
	if st := b.StandingOf("u3"); st.Self.Points != 88.5 || len(us.Self) != 3 {
		t.Fatalf("a matching total: %+v %+v", st, us)
	}
}
