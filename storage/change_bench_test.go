package storage

import (
	"testing"

	"thiduabot/thidua"
)

// BenchmarkReportChange measures what a report costs an update of the
// Redis store in the process, but for the round trip and the client: the
// working copy of a block at the end of a year (yearEndBlock), the
// report (the first unit resubmitting the last period's, with its update
// marked applied, as the handlers do), its encoding and the fields it
// writes, the outcome then standing as the cached block the next report
// starts from. Without I/O or a server to share the machine with, it
// tells apart changes that the year-end benchmarks of the store
// (BenchmarkUpdateYearEnd) measure in their noise.
func BenchmarkReportChange(b *testing.B) {
	blk := yearEndBlock(b)
	enc, _, err := encodeBlock(blk, nil, thidua.AllParts, nil)
	if err != nil {
		b.Fatal(err)
	}
	rep := thidua.Actor{UserID: 100, Name: "Cán bộ đầu mối 1", Username: "canbo1"}
	unit, period := blk.Units[0].ID, blk.Results.Periods[len(blk.Results.Periods)-1].ID
	r, _ := blk.Report(unit, period)
	lines := make([]thidua.ReportLine, len(r.Entries))
	for i, e := range r.Entries {
		lines[i] = thidua.ReportLine{No: i + 1, Value: thidua.Value{Number: e.Value + 1}}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		update := int64(2_000_000 + i)
		c, err := modify(blk.ID, working(blk, thidua.PartResults), func(b *thidua.Block) error {
			b.MarkApplied(update)
			_, err := b.SubmitReport(rep, unit, period, lines, b.CreatedAt)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		var d delta
		if enc, d, err = encodeBlock(c.block, enc, thidua.PartResults, c.reports); err != nil {
			b.Fatal(err)
		}
		if set, _ := enc.changes(c.block.Version, d); len(set) != 6 {
			b.Fatalf("the report sets %d fields", len(set)/2)
		}
		blk = c.block
	}
}
