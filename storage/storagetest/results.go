package storagetest

import (
	"fmt"
	"testing"
	"time"

	"thiduabot/thidua"
)

// testResults round-trips a block with periodic results: periods with
// deadlines in the province's time zone, a report replaced once (with its
// earlier submission kept), percentages and notes, evidence, the
// confirmation message ids and a draft filled in step by step. It checks
// that nothing is lost or altered by the store, that lateness and
// completion computed from the stored block are right, that a further
// submission keeps its history, and that a document written before results
// existed reads as "no period yet".
func (s *suite) testResults(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	ict := time.FixedZone("ICT", 7*3600)
	lan := thidua.Actor{UserID: 2, Name: "Lan"}
	b := registeringBlock(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var drafts []thidua.PeriodDraft
	for _, l := range []string{"Quý I | 31/03", "6 tháng | 15/06", "Năm | 15/01/2026"} {
		d, err := thidua.ParsePeriod(l, 2025, ict)
		must(err)
		drafts = append(drafts, d)
	}
	ps, err := b.AddPeriods(Admin, drafts, Now)
	must(err)
	q1, y := ps[0], ps[2]
	line := func(s string) thidua.ReportLine {
		l, err := thidua.ParseReportLine(s)
		must(err)
		return l
	}
	_, err = b.SubmitReport(lan, "u1", q1.ID, []thidua.ReportLine{line("1 12,65 tỷ đồng"), line("3 100% xuất sắc")}, time.Date(2025, 3, 31, 22, 0, 0, 0, ict))
	must(err)
	late := time.Date(2025, 4, 1, 8, 0, 0, 0, ict)
	_, err = b.SubmitReport(lan, "u1", q1.ID, []thidua.ReportLine{line("1 20,24 | vượt tiến độ"), line("2 0")}, late)
	must(err)
	// Messages confirming reports as documents of an earlier release
	// recorded them (see thidua.ReportMessages).
	b.ReportMessages.List = []thidua.ReportMessage{{MessageID: 501, UnitID: "u1", PeriodID: q1.ID, Revision: 1}, {MessageID: 502, UnitID: "u1", PeriodID: q1.ID, Revision: 2}}
	_, err = b.AttachEvidence(lan, "u1", q1.ID, thidua.Evidence{FileID: "AgACAgIAAxk", Kind: thidua.EvidencePhoto, Caption: "Biên bản nghiệm thu"}, late)
	must(err)
	_, err = b.AttachEvidence(Admin, "u1", q1.ID, thidua.Evidence{FileID: "BQACAgIAAxk", Kind: thidua.EvidenceDocument, Name: "báo cáo quý I.pdf"}, late)
	must(err)
	d, err := b.StartDraft(lan, "u1", y.ID, "", Now)
	must(err)
	must(b.SetDraftMessage(d.ID, 600))
	_, err = b.AnswerDraft(lan, d.ID, 0, thidua.Value{Number: 75}, true, "")
	must(err)

	want := *b
	mustCreate(t, st, b)
	want.Version = 1
	got, err := st.Block(ctx, "b1")
	if err != nil {
		t.Fatalf("Block: %v", err)
	}
	sameBlock(t, "Block with results", got, &want)

	// The values the rules depend on survive, not just their encoding.
	gq1 := got.Periods()[0]
	r, ok := got.Report("u1", q1.ID)
	switch {
	case len(got.Periods()) != 3 || gq1.Name != "Quý I" || !gq1.Due.Equal(time.Date(2025, 3, 31, 0, 0, 0, 0, ict)) || !got.Periods()[2].Due.Equal(time.Date(2026, 1, 15, 0, 0, 0, 0, ict)):
		t.Errorf("periods %+v", got.Periods())
	case !ok || r.Revision != 2 || len(r.Earlier) != 1 || len(r.Evidence) != 2:
		t.Errorf("report %+v", r)
	case r.Entries[0].Value != 20.24 || r.Entries[0].Note != "vượt tiến độ" || r.Earlier[0].Revision != 1 || r.Earlier[0].Submitted.UserID != lan.UserID || r.Earlier[0].Entries != nil:
		t.Errorf("entries %+v, earlier %+v", r.Entries, r.Earlier[0])
	case r.Evidence[1].Kind != thidua.EvidenceDocument || r.Evidence[1].Name != "báo cáo quý I.pdf" || r.Evidence[1].Added.UserID != Admin.UserID:
		t.Errorf("evidence %+v", r.Evidence)
	case got.ReportStatusOf("u1", gq1, Now) != thidua.StatusLate || got.IsLate(gq1, r.Earlier[0].Submitted.At):
		t.Errorf("lateness after reading: %v", got.ReportStatusOf("u1", gq1, Now))
	case fmt.Sprint(got.UnitsMissingReport(q1.ID)) != "[u2 u3]":
		t.Errorf("missing reports %v", got.UnitsMissingReport(q1.ID))
	}
	for _, m := range []int{501, 502} {
		if rb, ok := got.ReportByMessage(m); !ok || rb.UnitID != "u1" || rb.PeriodID != q1.ID || rb.Revision != 2 {
			t.Errorf("report by message %d: %+v, %v", m, rb, ok)
		}
	}
	if pct, n := got.UnitCompletion("u1"); n != 1 || pct < 80 || pct > 80.01 {
		t.Errorf("completion %v over %d", pct, n)
	}
	if gd, ok := got.DraftByMessage(600); !ok || gd.Step != 1 || len(gd.Entries) != 1 || !gd.Entries[0].OfTarget {
		t.Errorf("draft %+v", gd)
	}

	got, err = st.Update(ctx, "b1", func(b *thidua.Block) error {
		_, err := b.SubmitDraft(lan, d.ID, Now)
		return err
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	read, err := st.Block(ctx, "b1")
	if err != nil {
		t.Fatalf("Block: %v", err)
	}
	sameBlock(t, "Block after a results Update", read, got)
	if r, ok := read.Report("u1", y.ID); !ok || r.Revision != 1 || len(read.Results.Drafts) != 0 {
		t.Errorf("draft not submitted: %+v, drafts %+v", r, read.Results.Drafts)
	}
	h := history(t, st, "b1", 1)
	if len(h) != 1 || h[0].Action != "report.submit" || h[0].Subject != "u1" || h[0].ActorID != lan.UserID || h[0].After != "Năm — 1: 75% chỉ tiêu" {
		t.Errorf("history %+v", h)
	}

	// Another unit's report, declared as a change of the results alone,
	// leaves the first unit's as they were.
	minh := thidua.Actor{UserID: 3, Name: "Minh", Username: "minh"}
	got, err = st.UpdateParts(ctx, "b1", thidua.PartResults, func(b *thidua.Block) error {
		_, err := b.SubmitReport(minh, "u2", q1.ID, []thidua.ReportLine{line("1 640 hội viên")}, Now)
		return err
	})
	if err != nil {
		t.Fatalf("UpdateParts: %v", err)
	}
	if read, err = st.Block(ctx, "b1"); err != nil {
		t.Fatalf("Block: %v", err)
	}
	sameBlock(t, "Block after another unit's report", read, got)
	r1, _ := read.Report("u1", q1.ID)
	r2, _ := read.Report("u2", q1.ID)
	if r1.Revision != 2 || len(r1.Evidence) != 2 || r2.Revision != 1 || r2.Entries[0].Value != 640 || read.ReportCount(q1.ID) != 2 {
		t.Errorf("after u2's report: u1 %+v, u2 %+v", r1, r2)
	}

	if s.seed == nil {
		return
	}
	old := s.seed(t, map[string][]byte{
		"old": []byte(`{"schema":1,"version":3,"id":"old","chat_id":-200,"name":"Khối","year":2025,"units":[{"id":"u1","name":"A"}],"next_seq":2}`),
	})
	ob, err := old.Block(ctx, "old")
	if err != nil {
		t.Fatalf("Block of a document without results: %v", err)
	}
	if ob.Periods() != nil || len(ob.Results.Reports) != 0 || ob.Progress(Now)[0].Statuses != nil || ob.BehindPace(Now) != nil {
		t.Errorf("a document without results reads as %+v", ob.Results)
	}
}
