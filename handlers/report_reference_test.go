package handlers

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"thiduabot/bot"
	"thiduabot/thidua"
)

// The references below are reportText, valueText and percent as they were
// before they wrote their messages with bot.T.Fill instead of F (the commit
// that added this file), with msgValueLine and msgPctOver as they were
// then (with %d verbs, which Fill leaves to F), unchanged but for their
// names and for valueText's share of a target without a number, which it
// now words in the reader's language (msgShareOfTarget) rather than in
// thidua's Vietnamese, and for reportText's warning of values far above
// their target (msgOvershoot), added since and written as plainly.
// They are kept as the references the current code must match byte for
// byte, in both languages: TestReportTextMatchesReference checks that.

var (
	msgValueLineReference = bot.T{VI: "%d. %s", EN: "%d. %s"}
	msgPctOverReference   = bot.T{VI: "trên %d%%", EN: "over %d%%"}
)

func (r *Router) reportTextReference(l bot.Lang, b *thidua.Block, rep thidua.Report, budget int) string {
	p := b.Period(rep.PeriodID)
	head := []string{msgReportSaved.F(l, bot.Escape(p.Name), bot.Escape(b.UnitName(rep.UnitID)),
		bot.Escape(rep.Submitted.Name), thidua.FormatDateTime(rep.Submitted.At, r.cfg.Location))}
	if b.IsLate(*p, rep.Submitted.At) {
		head = append(head, msgReportLate.F(l, r.date(p.Due)))
	}
	if n := len(rep.Earlier); rep.Revision > 1 && n > 0 {
		head = append(head, r.replacedLine(l, rep.Earlier[n-1]))
	}
	var values, missing, over []string
	for i, pl := range b.RegistrationOf(rep.UnitID).Pledges {
		e, ok := rep.Entry(pl.ID)
		if !ok {
			missing = append(missing, strconv.Itoa(i+1))
			continue
		}
		values = append(values, msgValueLineReference.F(l, i+1, r.valueTextReference(l, pl, e)))
		if e.Overshoots(pl) {
			value := bot.Escape(e.ValueText(pl))
			if e.OfTarget {
				value = msgShareOfTarget.F(l, thidua.FormatNumber(e.Value))
			}
			over = append(over, msgOvershootItem.F(l, strconv.Itoa(i+1), value, bot.Escape(pl.Target.String())))
		}
	}
	ref := bot.Escape(p.Name)
	if rp := b.RepOf(rep.Submitted.UserID); rp == nil || rp.UnitID != rep.UnitID {
		ref = "#" + strconv.Itoa(unitNumber(b, rep.UnitID)) + " " + ref
	}
	var tail []string
	if len(missing) > 0 {
		tail = append(tail, reportMissing(missing).F(l, strings.Join(missing, ", ")))
	}
	if len(over) > 0 {
		tail = append(tail, msgOvershoot.F(l, strings.Join(over, "; "), msgOvershootResend.F(l, ref)))
	}
	tail = append(tail, msgReportDetails.F(l, ref), "", msgEvidenceHint.In(l))
	return r.withEntries(l, head, values, tail, budget)
}

func (r *Router) valueTextReference(l bot.Lang, p thidua.Pledge, e thidua.Entry) string {
	s := bot.Escape(e.ValueText(p))
	switch c, measurable := e.Completion(p); {
	case measurable && e.OfTarget:
		s = msgEntryLevel.F(l, percentReference(l, c), bot.Escape(p.Target.String()))
	case measurable:
		s = msgEntryOfTarget.F(l, s, bot.Escape(p.Target.String()), percentReference(l, c))
	case e.OfTarget:
		s = msgShareOfTarget.F(l, thidua.FormatNumber(e.Value))
	}
	return s
}

func percentReference(l bot.Lang, c float64) string {
	if c > thidua.CompletionCap {
		return msgPctOverReference.F(l, thidua.CompletionCap)
	}
	return msgPct.F(l, thidua.FormatNumber(math.Round(c)))
}

// TestReportTextMatchesReference has the units of reportingBlock, and one
// more whose names and targets hold text to escape, or are long, report at
// random (by their representative or an administrator, on any pledges,
// with values in the measure or in %, some past the cap, on time or late,
// again and again), and fails unless the confirmation of every report,
// whole or cut to a budget, and each of its values, are written as the
// references write them, in both languages.
func TestReportTextMatchesReference(t *testing.T) {
	blk, reps := reportingBlock(t)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	admin := thidua.Actor{UserID: 1, Name: "Quản trị", Admin: true}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	units, err := blk.AddUnits(admin, []string{"Đoàn <Thanh niên> & Hội"}, now)
	must(err)
	lan := thidua.Actor{UserID: 500, Name: "Lan <b>&"}
	req, err := blk.RequestJoin(lan, units[0].ID, now)
	must(err)
	_, err = blk.DecideJoin(admin, req.ID, true, now)
	must(err)
	reps = append(reps, lan)
	var drafts []thidua.PledgeDraft
	for _, s := range []string{
		"Nhà | 50 nhà", "Hội viên | 1.200 hội viên", "Hộ giỏi | 40%", "Vốn | 25,3 tỷ đồng", "Phong trào | hoàn thành xuất sắc",
		"Vụ | 0 vụ", "Thẻ | 10 <b>&amp;", "Hộ | 40 % hộ", "Không chỉ tiêu", "Đường | 0,5 km", "Lớn | 1.000.000.000 đồng",
		// A measure longer than the buffers a value is written in.
		"Dài | 1.000 hội viên <mới> được kết nạp & giới thiệu về sinh hoạt tại các chi hội cơ sở trên địa bàn tỉnh",
	} {
		d, err := thidua.ParsePledge(s, blk.Year, blk.Location())
		must(err)
		drafts = append(drafts, d)
	}
	_, err = blk.AddPledges(lan, units[0].ID, drafts, now)
	must(err)
	d, err := thidua.ParsePeriod("Kỳ <5> & cuối | 30/12", blk.Year, blk.Location())
	must(err)
	_, err = blk.AddPeriods(admin, []thidua.PeriodDraft{d}, now)
	must(err)

	r := &Router{cfg: Config{Location: blk.Location()}}
	numbers := []float64{0, 0.4, 5, 45, 50, 99.5, 1050, 1200, 25.3, 1234.5, 99999, 1e13}
	notes := []string{"", "nhà", "đã khởi công 5 nhà", "<vượt> & kế hoạch"}
	rng := rand.New(rand.NewPCG(13, 14))
	for range 1500 {
		u := rng.IntN(len(blk.Units))
		a := reps[u]
		if rng.IntN(4) == 0 {
			a = admin
		}
		ps := blk.Periods()
		p := ps[rng.IntN(len(ps))]
		n := len(blk.RegistrationOf(blk.Units[u].ID).Pledges)
		var lines []thidua.ReportLine
		for _, no := range rng.Perm(n)[:1+rng.IntN(n)] {
			v := thidua.Value{Number: numbers[rng.IntN(len(numbers))], Percent: rng.IntN(3) == 0}
			lines = append(lines, thidua.ReportLine{No: no + 1, Value: v, Note: notes[rng.IntN(len(notes))]})
		}
		at := p.Due.Add(time.Duration(rng.IntN(96)-48) * time.Hour)
		rep, err := blk.SubmitReport(a, blk.Units[u].ID, p.ID, lines, at)
		must(err)
		for _, l := range []bot.Lang{bot.VI, bot.EN} {
			for _, budget := range []int{0, 300 + rng.IntN(1500)} {
				if got, want := r.reportText(l, blk, rep, budget), r.reportTextReference(l, blk, rep, budget); got != want {
					t.Fatalf("reportText(%s, budget %d):\n%s\nwant\n%s", l, budget, got, want)
				}
			}
			for _, pl := range blk.RegistrationOf(rep.UnitID).Pledges {
				if e, ok := rep.Entry(pl.ID); ok {
					if got, want := r.valueText(l, pl, e), r.valueTextReference(l, pl, e); got != want {
						t.Fatalf("valueText(%s, %+v, %+v) = %q, want %q", l, pl.Target, e, got, want)
					}
				}
			}
		}
	}
	cs := []float64{math.Inf(-1), -0.5, 0, 0.49, 0.5, 1.5, 99.5, 998.5, 999, 999.4, 999.5, 1000, math.Inf(1), math.NaN()}
	for range 10_000 {
		cs = append(cs, rng.Float64()*1100, float64(rng.IntN(2000)))
	}
	for _, c := range cs {
		for _, l := range []bot.Lang{bot.VI, bot.EN} {
			if got, want := percent(l, c), percentReference(l, c); got != want {
				t.Fatalf("percent(%s, %v) = %q, want %q", l, c, got, want)
			}
		}
	}
	if !slices.ContainsFunc(blk.Results.Reports, func(rep thidua.Report) bool { return rep.Revision > 2 }) {
		t.Fatal("the reports were not replaced")
	}
}
