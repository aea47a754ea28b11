package handlers

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"thiduabot/bot"
	"thiduabot/internal/workload"
	"thiduabot/thidua"
)

// reportingBlock is a block as the load test seeds it (cmd/loadtest's
// seedBlock): 7 units, each with a representative (the actors returned)
// and 20 pledges (targets in houses, members and %), four periods, and
// every unit's report on all of its pledges for every period, typed as the
// load test types them (workload).
func reportingBlock(tb testing.TB) (*thidua.Block, []thidua.Actor) {
	tb.Helper()
	return reportingBlockIn(tb, -1, 100)
}

// reportingBlockIn is reportingBlock for the group of chatID, whose
// representatives are the users of ids firstRep, firstRep+1, ...
func reportingBlockIn(tb testing.TB, chatID, firstRep int64) (*thidua.Block, []thidua.Actor) {
	tb.Helper()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	admin := thidua.Actor{UserID: 1, Name: "Quản trị", Admin: true}
	b, err := thidua.NewBlock("bench", chatID, "Khối thi đua số 1", 2026, admin, now)
	must(err)
	_, err = b.AddUnits(admin, []string{"Ủy ban MTTQ Việt Nam tỉnh", "Hội Cựu chiến binh tỉnh", "Hội Nông dân tỉnh",
		"Liên đoàn Lao động tỉnh", "Hội Liên hiệp Phụ nữ tỉnh", "Tỉnh Đoàn", "Hội Chữ thập đỏ tỉnh"}, now)
	must(err)
	reps := make([]thidua.Actor, len(b.Units))
	for i := range reps {
		reps[i] = thidua.Actor{UserID: firstRep + int64(i), Name: fmt.Sprintf("Cán bộ 1.%d", i+1)}
		req, err := b.RequestJoin(reps[i], b.Units[i].ID, now)
		must(err)
		_, err = b.DecideJoin(admin, req.ID, true, now)
		must(err)
	}
	must(b.OpenRegistration(admin, time.Time{}, now))
	drafts := make([]thidua.PledgeDraft, 20)
	for k := range drafts {
		drafts[k], err = thidua.ParsePledge(workload.PledgeLine(k), b.Year, b.Location())
		must(err)
	}
	var pds []thidua.PeriodDraft
	for k := range 4 {
		d, err := thidua.ParsePeriod(fmt.Sprintf("Kỳ %d | 28/%02d", k+1, 3*(k+1)), b.Year, b.Location())
		must(err)
		pds = append(pds, d)
	}
	_, err = b.AddPeriods(admin, pds, now)
	must(err)
	lines := make([]thidua.ReportLine, len(drafts))
	for k, s := range workload.ReportLines(len(drafts)) {
		lines[k], err = thidua.ParseReportLine(s)
		must(err)
	}
	for i, u := range b.Units {
		_, err := b.AddPledges(reps[i], u.ID, drafts, now)
		must(err)
		for _, p := range b.Periods() {
			_, err := b.SubmitReport(reps[i], u.ID, p.ID, lines, now)
			must(err)
		}
	}
	b.TakeEvents()
	return b, reps
}

// benchSink keeps what a benchmark writes alive, so that the compiler
// cannot leave the writing out.
var benchSink string

// reportingReport returns the block of reportingBlock, the first unit's
// report for the second period, on its 20 pledges, and a router to write
// it.
func reportingReport(tb testing.TB) (*thidua.Block, thidua.Report, *Router) {
	tb.Helper()
	blk, _ := reportingBlock(tb)
	rep, ok := blk.Report(blk.Units[0].ID, blk.Results.Periods[1].ID)
	if !ok {
		tb.Fatal("no report")
	}
	return blk, rep, &Router{cfg: Config{Location: blk.Location()}}
}

// BenchmarkReportText writes the confirmation of a report on 20 pledges,
// sent by the unit's representative, in both languages.
func BenchmarkReportText(b *testing.B) {
	blk, rep, r := reportingReport(b)
	for _, l := range []bot.Lang{bot.VI, bot.EN} {
		b.Run(string(l), func(b *testing.B) {
			if text := r.reportText(l, blk, rep, 0); !strings.Contains(text, "\n20. ") {
				b.Fatalf("the confirmation lacks its 20 values:\n%s", text)
			}
			b.ReportAllocs()
			for b.Loop() {
				benchSink = r.reportText(l, blk, rep, 0)
			}
		})
	}
}

// BenchmarkParseLines reads the 20 lines of a report as /report does.
func BenchmarkParseLines(b *testing.B) {
	lines := workload.ReportLines(20)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseLines(nil, lines, thidua.ParseReportLine); err != nil {
			b.Fatal(err)
		}
	}
}

// TestOvershootCheckAllocatesNothing guards the hot path of /report: the
// check for values far above their target (see overshoots) allocates
// nothing for a report of 20 pledges where none is, as the load test
// types them, and the confirmation of such a report carries no warning.
func TestOvershootCheckAllocatesNothing(t *testing.T) {
	blk, rep, r := reportingReport(t)
	pledges := blk.RegistrationOf(rep.UnitID).Pledges
	if text := r.reportText(bot.VI, blk, rep, 0); strings.Contains(text, "⚠️") {
		t.Fatalf("the load test's report is warned of:\n%s", text)
	}
	if n := testing.AllocsPerRun(100, func() { benchSink = r.overshoots(bot.VI, pledges, rep.Entries) }); n != 0 {
		t.Fatalf("the check allocates %v times for a report without an overshoot", n)
	}
}

// TestReportTextAllocations guards the hot path of /report: the
// confirmation of the load test's report writes its 20 values into its
// text (appendValueLine) without a string for each, in both languages, so
// that it allocates only the strings of its head and details lines and the
// text, however many values it gives; and the lines reading the report
// allocate only their result.
func TestReportTextAllocations(t *testing.T) {
	blk, rep, r := reportingReport(t)
	for _, l := range []bot.Lang{bot.VI, bot.EN} {
		if n := testing.AllocsPerRun(100, func() { benchSink = r.reportText(l, blk, rep, 0) }); n > 6 {
			t.Errorf("the confirmation in %s allocates %v times", l, n)
		}
	}
	lines := workload.ReportLines(20)
	if n := testing.AllocsPerRun(100, func() { _, _ = parseLines(nil, lines, thidua.ParseReportLine) }); n != 1 {
		t.Errorf("reading the lines of a report allocates %v times", n)
	}
}

// TestValueLineAllocatesNothing has appendValueLine write the line of a
// value of every kind into a buffer on the stack, in both languages: in
// the measure against its target, past the cap, as a share of a target
// with or without a number, for a pledge without a target, and with a
// measure to escape. None allocates: its messages are filled without F
// (see bot.T.AppendFill), and its value escaped without a string.
func TestValueLineAllocatesNothing(t *testing.T) {
	r := &Router{}
	for _, c := range []struct {
		target string
		e      thidua.Entry
		want   string
	}{
		{"50 nhà", thidua.Entry{Value: 45}, "7. 45 nhà / 50 nhà (90%)"},
		{"50 nhà", thidua.Entry{Value: 1e6}, "7. 1.000.000 nhà / 50 nhà (trên 999%)"},
		{"50 nhà", thidua.Entry{Value: 60, OfTarget: true}, "7. 60% của 50 nhà"},
		{"hoàn thành xuất sắc", thidua.Entry{Value: 100, OfTarget: true}, "7. 100% chỉ tiêu"},
		{"", thidua.Entry{Value: 1200}, "7. 1.200"},
		{"10 <b>&amp;", thidua.Entry{Value: 5}, "7. 5 &lt;b&gt;&amp;amp; / 10 &lt;b&gt;&amp;amp; (50%)"},
	} {
		d, err := thidua.ParsePledge("Nội dung | "+c.target, 2026, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		p := thidua.Pledge{ID: "p", Title: d.Title, Target: d.Target}
		var buf [256]byte
		if got := string(r.appendValueLine(buf[:0], bot.VI, 7, p, c.e)); got != c.want {
			t.Errorf("appendValueLine(%q, %+v) = %q, want %q", c.target, c.e, got, c.want)
		}
		for _, l := range []bot.Lang{bot.VI, bot.EN} {
			n := testing.AllocsPerRun(100, func() {
				var buf [256]byte
				benchSink = string(r.appendValueLine(buf[:0], l, 7, p, c.e)[:1])
			})
			if n != 0 {
				t.Errorf("the line of %+v against %q in %s allocates %v times", c.e, c.target, l, n)
			}
		}
	}
}
