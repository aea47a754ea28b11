package thidua

import (
	"strings"
	"testing"
	"time"

	"thiduabot/internal/workload"
)

// benchReportLines are the lines of a /report on 20 pledges as the load
// test types them.
var benchReportLines = workload.ReportLines(20)

// benchNumbers are values FormatNumber writes on the report path: whole
// targets and values, percentages, decimals, and a large amount.
var benchNumbers = []float64{50, 1200, 1050, 40, 32, 90, 25.3, 1234.5, 0.25, 1234567890}

// benchSink keeps what a benchmark writes alive, so that the compiler
// cannot leave the writing out.
var benchSink string

func BenchmarkFormatNumber(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, v := range benchNumbers {
			benchSink = FormatNumber(v)
		}
	}
}

// BenchmarkParseReportLine reads the 20 lines of one report.
func BenchmarkParseReportLine(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range benchReportLines {
			if _, err := ParseReportLine(s); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// resubmitting returns a function that has the first unit of yearEndBlock
// (7 units with 20 pledges each, four periods all reported) report again
// for a period on its 20 pledges, as the load test does, the report it
// replaces described for the history too, and takes the events and the
// changed reports as storage does.
func resubmitting(tb testing.TB) func() {
	blk, reps := yearEndBlock(tb, time.Time{})
	lines := make([]ReportLine, len(benchReportLines))
	for i, s := range benchReportLines {
		var err error
		lines[i], err = ParseReportLine(s)
		must(tb, err)
	}
	unitID, periodID := blk.Units[0].ID, blk.Results.Periods[1].ID
	at := blk.Results.Periods[1].Due
	return func() {
		if _, err := blk.SubmitReport(reps[0], unitID, periodID, lines, at); err != nil {
			tb.Fatal(err)
		}
		blk.TakeEvents()
		blk.TakeChangedReports()
	}
}

// BenchmarkSubmitReport has a unit report again (see resubmitting).
func BenchmarkSubmitReport(b *testing.B) {
	submit := resubmitting(b)
	b.ReportAllocs()
	for b.Loop() {
		submit()
	}
}

// BenchmarkSubmissionText describes the submission of a report on 20
// pledges for the history.
func BenchmarkSubmissionText(b *testing.B) {
	blk, _ := yearEndBlock(b, time.Time{})
	r := blk.Results.Reports[0]
	p := *blk.Period(r.PeriodID)
	if !strings.Contains(blk.submissionText(p, r.UnitID, r.Submission), "20: ") {
		b.Fatal("the report does not hold 20 values")
	}
	b.ReportAllocs()
	for b.Loop() {
		benchSink = blk.submissionText(p, r.UnitID, r.Submission)
	}
}

// TestReportPathAllocations guards the domain's side of /report, as the
// load test types it: reading its 20 lines allocates nothing (numbers
// grouped by dots and notes included), and submitting it again allocates
// only what it keeps (the entries, the submissions replaced, the history's
// two texts, its event and the note of the unit whose reports changed),
// not a string for each note it reads against a measure.
func TestReportPathAllocations(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() {
		for _, s := range benchReportLines {
			if _, err := ParseReportLine(s); err != nil {
				t.Fatal(err)
			}
		}
	}); n != 0 {
		t.Errorf("reading the lines of a report allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, resubmitting(t)); n > 6 {
		t.Errorf("submitting a report allocates %v times", n)
	}
}
