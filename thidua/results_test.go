package thidua

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// reporting is the Lào Cai block with Lan's unit (u3) holding four pledges
// (a number, a percentage, a free text, a number due 30/06) and the four
// periods of the year.
func reporting(t *testing.T) *Block {
	t.Helper()
	b := openLaoCai(t)
	_, err := b.AddPledges(lan, "u3", []PledgeDraft{
		draft(t, "Vận động xây nhà đại đoàn kết | 50 nhà"),
		draft(t, "Hộ sản xuất kinh doanh giỏi | 40%"),
		draft(t, "Phong trào thi đua | hoàn thành xuất sắc"),
		draft(t, "Phát triển hội viên | 1.200 hội viên | 30/06"),
	}, t0)
	if err != nil {
		t.Fatal(err)
	}
	addPeriods(t, b, "Quý I | 31/03", "6 tháng | 15/06", "9 tháng | 15/09", "Năm | 30/11")
	b.TakeEvents()
	return b
}

func addPeriods(t *testing.T, b *Block, lines ...string) []Period {
	t.Helper()
	var drafts []PeriodDraft
	for _, l := range lines {
		d, err := ParsePeriod(l, b.Year, ict)
		if err != nil {
			t.Fatalf("ParsePeriod(%q): %v", l, err)
		}
		drafts = append(drafts, d)
	}
	ps, err := b.AddPeriods(admin, drafts, t0)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func period(t *testing.T, b *Block, ref string) Period {
	t.Helper()
	p, err := b.FindPeriod(ref)
	if err != nil {
		t.Fatalf("FindPeriod(%q): %v", ref, err)
	}
	return p
}

func lines(t *testing.T, ss ...string) []ReportLine {
	t.Helper()
	out := make([]ReportLine, len(ss))
	for i, s := range ss {
		l, err := ParseReportLine(s)
		if err != nil {
			t.Fatalf("ParseReportLine(%q): %v", s, err)
		}
		out[i] = l
	}
	return out
}

func submit(t *testing.T, b *Block, a Actor, unitID, periodRef string, at time.Time, ss ...string) Report {
	t.Helper()
	r, err := b.SubmitReport(a, unitID, period(t, b, periodRef).ID, lines(t, ss...), at)
	if err != nil {
		t.Fatalf("SubmitReport: %v", err)
	}
	return r
}

func TestParsePeriod(t *testing.T) {
	d, err := ParsePeriod("  Quý  I | 31/03 ", 2026, ict)
	if err != nil || d.Name != "Quý I" || !d.Due.Equal(time.Date(2026, 3, 31, 0, 0, 0, 0, ict)) {
		t.Fatalf("Quý I: %+v, %v", d, err)
	}
	if d, err := ParsePeriod("Năm | 15/01/2027", 2026, ict); err != nil || d.Due.Year() != 2027 {
		t.Fatalf("a deadline in January of the next year: %+v, %v", d, err)
	}
	for in, want := range map[string]error{
		"Quý I": ErrPeriodFormat, "Quý I |": ErrPeriodFormat, "Quý I | 31/03 | x": ErrPeriodFormat,
		"Quý I | 31/02": ErrPeriodDue, "Quý I | 31.3.26": ErrPeriodDue, "Quý I | 31/03/2030": ErrPeriodDueYear,
		"Quý I | 31/03/2025": ErrPeriodDueYear, "Năm | 01/02/2027": ErrPeriodDueYear, "Năm | 30/11/2027": ErrPeriodDueYear, " | 31/03": ErrPeriodName, "12 | 31/03": ErrPeriodName,
		strings.Repeat("k", MaxPeriodNameLen+1) + " | 31/03": ErrPeriodName,
	} {
		if _, err := ParsePeriod(in, 2026, ict); !errors.Is(err, want) {
			t.Errorf("ParsePeriod(%q) = %v, want %v", in, err, want)
		}
	}
	e, err := ParsePeriodEdit(" | 05/04", 2026, ict)
	if err != nil || e.Name != "" || e.Due.Day() != 5 {
		t.Fatalf("edit of the deadline only: %+v, %v", e, err)
	}
	if e, err = ParsePeriodEdit("Quý 1", 2026, ict); err != nil || e.Name != "Quý 1" || !e.Due.IsZero() {
		t.Fatalf("edit of the name only: %+v, %v", e, err)
	}
	for in, want := range map[string]error{"": ErrPeriodFormat, " | ": ErrPeriodFormat, "a | b | c": ErrPeriodFormat, "7": ErrPeriodName, "Quý 1 | 30/02": ErrPeriodDue, "| 01/01/2029": ErrPeriodDueYear, "| 30/11/2027": ErrPeriodDueYear} {
		if _, err := ParsePeriodEdit(in, 2026, ict); !errors.Is(err, want) {
			t.Errorf("ParsePeriodEdit(%q) = %v, want %v", in, err, want)
		}
	}
}

func TestPeriodsLifecycle(t *testing.T) {
	b := openLaoCai(t)
	ps := addPeriods(t, b, "Năm | 30/11", "Quý I | 31/03", "6 tháng | 15/06")
	if len(ps) != 3 {
		t.Fatalf("added %v", ps)
	}
	var names []string
	for _, p := range b.Periods() {
		names = append(names, p.Name)
	}
	if fmt.Sprint(names) != "[Quý I 6 tháng Năm]" {
		t.Fatalf("periods are not in deadline order: %v", names)
	}
	if ev := b.TakeEvents(); len(ev) != 3 || ev[1].Action != "period.add" || ev[1].After != "Quý I | 31/03/2026" {
		t.Fatalf("events %+v", ev)
	}

	// Named by number, name, or a part of the name, without diacritics.
	for ref, want := range map[string]string{"1": "Quý I", "3": "Năm", "quy i": "Quý I", "6 THANG": "6 tháng", "nam": "Năm"} {
		if p := period(t, b, ref); p.Name != want {
			t.Errorf("FindPeriod(%q) = %s, want %s", ref, p.Name, want)
		}
	}
	for _, ref := range []string{"0", "4", "", "Quý II", "a"} { // "a" is in "tháng" and "Năm"
		if _, err := b.FindPeriod(ref); !errors.Is(err, ErrPeriodNotFound) {
			t.Errorf("FindPeriod(%q) = %v", ref, err)
		}
	}

	d, _ := ParsePeriod("quy I | 30/09", 2026, ict)
	if _, err := b.AddPeriods(admin, []PeriodDraft{d}, t0); !errors.Is(err, ErrPeriodExists) {
		t.Fatalf("a name already there: %v", err)
	}
	d1, _ := ParsePeriod("9 tháng | 15/09", 2026, ict)
	if _, err := b.AddPeriods(admin, []PeriodDraft{d1, d1}, t0); !errors.Is(err, ErrPeriodExists) || len(b.Periods()) != 3 {
		t.Fatalf("a name given twice: %v", err)
	}
	if _, err := b.AddPeriods(minh, []PeriodDraft{d1}, t0); err != nil {
		t.Fatalf("the leader's representative adds periods: %v", err)
	}
	if _, err := b.AddPeriods(lan, []PeriodDraft{d1}, t0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a representative of another unit: %v", err)
	}
	many := make([]PeriodDraft, MaxPeriods)
	for i := range many {
		many[i] = PeriodDraft{Name: fmt.Sprintf("Tháng %d", i+1), Due: time.Date(2026, 12, 1, 0, 0, 0, 0, ict)}
	}
	if _, err := b.AddPeriods(admin, many, t0); !errors.Is(err, ErrTooManyPeriods) {
		t.Fatalf("too many: %v", err)
	}
	b.TakeEvents()

	// Editing moves a period in the order and keeps its id.
	q1 := period(t, b, "Quý I")
	before, after, err := b.EditPeriod(admin, q1.ID, PeriodDraft{Due: time.Date(2026, 7, 1, 0, 0, 0, 0, ict)}, t0)
	if err != nil || before.Name != "Quý I" || after.Name != "Quý I" || after.ID != q1.ID || b.Periods()[1].ID != q1.ID {
		t.Fatalf("edit: %+v -> %+v, %v; periods %v", before, after, err, b.Periods())
	}
	if ev := b.TakeEvents(); len(ev) != 1 || ev[0].Before != "Quý I | 31/03/2026" || ev[0].After != "Quý I | 01/07/2026" {
		t.Fatalf("edit events %+v", ev)
	}
	if _, _, err := b.EditPeriod(admin, q1.ID, PeriodDraft{Name: "NĂM"}, t0); !errors.Is(err, ErrPeriodExists) {
		t.Fatalf("renamed to another period's name: %v", err)
	}
	if _, _, err := b.EditPeriod(lan, q1.ID, PeriodDraft{Name: "Quý 1"}, t0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("edit by a representative: %v", err)
	}
	if _, _, err := b.EditPeriod(admin, "k999", PeriodDraft{Name: "Quý 1"}, t0); !errors.Is(err, ErrPeriodNotFound) {
		t.Fatalf("edit of an unknown period: %v", err)
	}
	if _, _, err := b.EditPeriod(admin, q1.ID, PeriodDraft{Name: "Quý I"}, t0); err != nil || len(b.TakeEvents()) != 0 {
		t.Fatalf("an edit changing nothing is recorded or refused: %v", err)
	}
	// A deadline stored before the rule on January of the next year was kept
	// by a rename that leaves it as it is.
	q1 = period(t, b, "Quý I")
	q1.Due = time.Date(2027, 3, 31, 0, 0, 0, 0, ict)
	b.Period(q1.ID).Due = q1.Due
	if _, after, err := b.EditPeriod(admin, q1.ID, PeriodDraft{Name: "Quý một"}, t0); err != nil || after.Name != "Quý một" || !after.Due.Equal(q1.Due) {
		t.Fatalf("a rename keeping an earlier deadline: %+v, %v", after, err)
	}
	if _, _, err := b.EditPeriod(admin, q1.ID, PeriodDraft{Due: time.Date(2027, 4, 30, 0, 0, 0, 0, ict)}, t0); !errors.Is(err, ErrPeriodDueYear) {
		t.Fatalf("a deadline moved to April of the next year: %v", err)
	}
	if _, _, err := b.EditPeriod(admin, q1.ID, PeriodDraft{Name: "Quý I", Due: time.Date(2026, 7, 1, 0, 0, 0, 0, ict)}, t0); err != nil {
		t.Fatalf("the period back as it was: %v", err)
	}
	b.TakeEvents()

	// Deleting a period with reports needs confirmation and takes them along.
	if _, err := b.AddPledges(lan, "u3", []PledgeDraft{draft(t, "Xây nhà | 50 nhà")}, t0); err != nil {
		t.Fatal(err)
	}
	submit(t, b, lan, "u3", "Quý I", t0, "1 10")
	if _, err := b.StartDraft(lan, "u3", q1.ID, "", t0); err != nil {
		t.Fatal(err)
	}
	b.TakeEvents()
	gone, n, err := b.DeletePeriod(admin, q1.ID, false, t0)
	if !errors.Is(err, ErrPeriodHasReports) || n != 1 || gone.ID != q1.ID || b.Period(q1.ID) == nil || len(b.TakeEvents()) != 0 {
		t.Fatalf("delete without confirmation: %v, %d", err, n)
	}
	if _, _, err := b.DeletePeriod(lan, q1.ID, true, t0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("delete by a representative: %v", err)
	}
	if _, n, err = b.DeletePeriod(admin, q1.ID, true, t0); err != nil || n != 1 || b.Period(q1.ID) != nil ||
		len(b.Results.Reports) != 0 || len(b.Results.Drafts) != 0 {
		t.Fatalf("confirmed delete: %v, %d, %+v", err, n, b.Results)
	}
	if ev := b.TakeEvents(); len(ev) != 1 || ev[0].Action != "period.delete" || ev[0].Before != "Quý I | 01/07/2026 (1 báo cáo)" {
		t.Fatalf("delete events %+v", ev)
	}
	if _, _, err := b.DeletePeriod(admin, q1.ID, true, t0); !errors.Is(err, ErrPeriodNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
}

func TestParseReportLine(t *testing.T) {
	for in, want := range map[string]ReportLine{
		"1 45":                          {No: 1, Value: Value{Number: 45}},
		"2 60%":                         {No: 2, Value: Value{Number: 60, Percent: true}},
		"2 60 % đạt kế hoạch":           {No: 2, Value: Value{Number: 60, Percent: true}, Note: "đạt kế hoạch"},
		"3. 1.200 | vượt kế hoạch":      {No: 3, Value: Value{Number: 1200}, Note: "vượt kế hoạch"},
		"4: 25,3 - tỷ   đồng":           {No: 4, Value: Value{Number: 25.3}, Note: "tỷ đồng"},
		"5) 0":                          {No: 5, Value: Value{Number: 0}},
		"  12   2.5   ghi chú  dài ":    {No: 12, Value: Value{Number: 2.5}, Note: "ghi chú dài"},
		"6 45 -10% so với kế hoạch":     {No: 6, Value: Value{Number: 45}, Note: "-10% so với kế hoạch"},
		"7 45 | –2 hộ so với năm trước": {No: 7, Value: Value{Number: 45}, Note: "–2 hộ so với năm trước"},
		"8 45 -- ghi chú":               {No: 8, Value: Value{Number: 45}, Note: "ghi chú"},
		"9 45 5 nhà đang xây":           {No: 9, Value: Value{Number: 45}, Note: "5 nhà đang xây"},
	} {
		got, err := ParseReportLine(in)
		if err != nil || got != want {
			t.Errorf("ParseReportLine(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for in, want := range map[string]error{
		"": ErrReportLine, "45": ErrReportLine, "một 45": ErrReportLine, "1": ErrReportLine, "1.": ErrReportLine,
		"1 bốn mươi": ErrReportValue, "1 45nhà": ErrReportValue, "1 %": ErrReportValue, "1 1,2,3": ErrReportValue,
		"1 -5": ErrReportNegative, "1 -5%": ErrReportNegative, "1 5 " + strings.Repeat("x", MaxNoteLen+1): ErrReportNote,
		"1 5 a\x00b": ErrReportNote,
		// A row of a table: the target, then the result.
		"1 50 45": ErrReportTwoValues, "1 50 | 45": ErrReportTwoValues, "2 40% 35%": ErrReportTwoValues, "3 1.200 - 1.250": ErrReportTwoValues,
	} {
		if _, err := ParseReportLine(in); !errors.Is(err, want) {
			t.Errorf("ParseReportLine(%q) = %v, want %v", in, err, want)
		}
	}
}

func TestSubmitReportValuesAndRights(t *testing.T) {
	b := reporting(t)
	q1 := period(t, b, "Quý I")
	r := submit(t, b, lan, "u3", "quy i", time.Date(2026, 3, 31, 23, 59, 0, 0, ict),
		"1 45 nhà đã khởi công 5 nhà", "2 35%", "3 100%", "4 50% nửa chặng")
	want := []Entry{
		{PledgeID: "p10", Value: 45, Note: "đã khởi công 5 nhà"},
		{PledgeID: "p11", Value: 35},
		{PledgeID: "p12", Value: 100, OfTarget: true},
		{PledgeID: "p13", Value: 50, OfTarget: true, Note: "nửa chặng"},
	}
	if r.Revision != 1 || !reflect.DeepEqual(r.Entries, want) || r.Submitted.UserID != lan.UserID {
		t.Fatalf("report %+v\nwant entries %+v", r, want)
	}
	if st := b.ReportStatusOf("u3", q1, t0); st != StatusOnTime {
		t.Fatalf("a report on the deadline day is late: %v", st)
	}
	ev := b.TakeEvents()
	if len(ev) != 1 || ev[0].Action != "report.submit" || ev[0].Subject != "u3" || ev[0].Before != "" ||
		ev[0].After != "Quý I — 1: 45 nhà (đã khởi công 5 nhà); 2: 35%; 3: 100% chỉ tiêu; 4: 50% chỉ tiêu (nửa chặng)" {
		t.Fatalf("events %+v", ev)
	}
	pledges := b.RegistrationOf("u3").Pledges
	for i, wantPct := range []float64{90, 87.5, 0, 50} {
		got, ok := r.Entries[i].Completion(pledges[i])
		if ok != (i != 2) || got != wantPct {
			t.Errorf("completion of pledge %d = %v, %v; want %v", i+1, got, ok, wantPct)
		}
	}

	// A new submission replaces the report; the earlier one is kept
	// without its values, which the history records.
	late := time.Date(2026, 4, 1, 0, 0, 0, 0, ict)
	r = submit(t, b, lan, "u3", "1", late, "1 50")
	if r.Revision != 2 || len(r.Entries) != 1 || len(r.Earlier) != 1 || r.Earlier[0].Revision != 1 || r.Earlier[0].Entries != nil || r.Earlier[0].Submitted.UserID != lan.UserID {
		t.Fatalf("replacement %+v", r)
	}
	if st := b.ReportStatusOf("u3", q1, late); st != StatusLate || !b.IsLate(q1, late) {
		t.Fatalf("a report the day after the deadline: %v", st)
	}
	ev = b.TakeEvents()
	if len(ev) != 1 || !strings.HasPrefix(ev[0].Before, "Quý I — 1: 45 nhà") || ev[0].After != "Quý I — 1: 50 nhà — nộp muộn" {
		t.Fatalf("replacement events %+v", ev)
	}
	// Moving the deadline forgives the lateness.
	if _, _, err := b.EditPeriod(admin, q1.ID, PeriodDraft{Due: time.Date(2026, 4, 5, 0, 0, 0, 0, ict)}, t0); err != nil {
		t.Fatal(err)
	}
	if st := b.ReportStatusOf("u3", *b.Period(q1.ID), late); st != StatusOnTime {
		t.Fatalf("after the deadline moved: %v", st)
	}
	b.TakeEvents()
	for i := range KeptRevisions + 2 {
		r = submit(t, b, admin, "u3", "1", late, fmt.Sprintf("1 %d", i))
	}
	if r.Revision != KeptRevisions+4 || len(r.Earlier) != KeptRevisions || r.Earlier[0].Revision != 4 {
		t.Fatalf("earlier submissions are not bounded: revision %d, %d earlier from %d", r.Revision, len(r.Earlier), r.Earlier[0].Revision)
	}
	if ev := b.TakeEvents(); len(ev) != KeptRevisions+2 || !ev[0].AsAdmin {
		t.Fatalf("an administrator's report is not marked: %+v", ev)
	}

	for name, tc := range map[string]struct {
		a      Actor
		unit   string
		period string
		lines  []string
		want   error
		line   int
	}{
		"another unit's":        {minh, "u3", q1.ID, []string{"1 5"}, ErrNotYourReport, 0},
		"no unit":               {Actor{UserID: 9, Name: "Hoa"}, "u3", q1.ID, []string{"1 5"}, ErrNotYourReport, 0},
		"unknown unit":          {admin, "u99", q1.ID, []string{"1 5"}, ErrUnitNotFound, 0},
		"unknown period":        {lan, "u3", "k999", []string{"1 5"}, ErrPeriodNotFound, 0},
		"no pledges":            {minh, "u6", q1.ID, []string{"1 5"}, ErrNothingToReport, 0},
		"no lines":              {lan, "u3", q1.ID, nil, ErrReportEmpty, 0},
		"pledge 5 of 4":         {lan, "u3", q1.ID, []string{"1 5", "5 1"}, ErrReportPledge, 2},
		"pledge 0":              {lan, "u3", q1.ID, []string{"0 1"}, ErrReportPledge, 1},
		"pledge given twice":    {lan, "u3", q1.ID, []string{"2 5", "1 1", "2. 6"}, ErrReportDuplicate, 3},
		"admin, pledge too far": {admin, "u3", q1.ID, []string{"9 1"}, ErrReportPledge, 1},
	} {
		version := fmt.Sprint(b.Results)
		_, err := b.SubmitReport(tc.a, tc.unit, tc.period, lines(t, tc.lines...), t0)
		var le *LineError
		if !errors.Is(err, tc.want) || (tc.line > 0) != errors.As(err, &le) || (le != nil && le.Line != tc.line) {
			t.Errorf("%s: %v, want %v at line %d", name, err, tc.want, tc.line)
		}
		if fmt.Sprint(b.Results) != version || len(b.TakeEvents()) != 0 {
			t.Errorf("%s: the refused report changed the block", name)
		}
	}
}

func TestEntryValueText(t *testing.T) {
	b := reporting(t)
	ps := b.RegistrationOf("u3").Pledges
	for _, tc := range []struct {
		pledge int
		value  string
		want   string
		note   string
	}{
		{0, "45 nhà", "45 nhà", ""},
		{0, "45 nhà xong", "45 nhà", "xong"},
		{0, "45 nhàxong", "45 nhà", "nhàxong"},
		{0, "45 nhà - đã khởi công", "45 nhà", "đã khởi công"},
		{0, "45 nhà | -5 so với kế hoạch", "45 nhà", "-5 so với kế hoạch"},
		{0, "60%", "60% chỉ tiêu", ""},
		{1, "35%", "35%", ""},
		{1, "35 % hộ", "35%", "hộ"},
		{3, "1.250,5 Hội Viên mới", "1.250,5 hội viên", "mới"},
		{2, "1", "1", ""},
	} {
		v, note, err := ParseValueNote(tc.value)
		if err != nil {
			t.Fatal(err)
		}
		e := entryFor(ps[tc.pledge], v, false, note)
		if got := e.ValueText(ps[tc.pledge]); got != tc.want || e.Note != tc.note {
			t.Errorf("%q for pledge %d: %q, note %q; want %q, %q", tc.value, tc.pledge+1, got, e.Note, tc.want, tc.note)
		}
	}
	if e := entryFor(ps[1], Value{Number: 50}, true, ""); !e.OfTarget || e.ValueText(ps[1]) != "50% chỉ tiêu" {
		t.Errorf("a level on a target in %%: %+v", e)
	}
	zero := Pledge{ID: "z", Target: Target{Number: new(float64), Measure: "vụ"}}
	if zero.Measurable() {
		t.Error("a zero target is measurable")
	}
}

// TestEntryOvershoots checks which values are likely typos: ten times the
// target or more, in its measure or as a share of it, and above 200% for a
// target in %; and that Overshooting finds them in the pledges' order.
func TestEntryOvershoots(t *testing.T) {
	b := reporting(t)
	ps := b.RegistrationOf("u3").Pledges // 50 nhà, 40%, a text, 1.200 hội viên
	for _, tc := range []struct {
		pledge int
		value  string
		want   bool
	}{
		{0, "499", false}, {0, "500", true}, {0, "999%", false}, {0, "1000%", true},
		{1, "200", false}, {1, "201", true}, {1, "200%", false}, {1, "400", true},
		{2, "1", false}, {2, "999%", false}, {2, "1000%", true}, {2, "100000", false},
		{3, "11.999", false}, {3, "12000", true}, {3, "12.000 hội viên", true},
	} {
		v, note, err := ParseValueNote(tc.value)
		if err != nil {
			t.Fatal(err)
		}
		if got := entryFor(ps[tc.pledge], v, false, note).Overshoots(ps[tc.pledge]); got != tc.want {
			t.Errorf("%q for pledge %d overshoots: %v, want %v", tc.value, tc.pledge+1, got, tc.want)
		}
	}
	zero := Pledge{ID: "z", Target: Target{Number: new(float64), Measure: "vụ"}}
	if (Entry{PledgeID: "z", Value: 5}).Overshoots(zero) {
		t.Error("a value overshoots a target of zero")
	}
	entries := []Entry{
		{PledgeID: ps[3].ID, Value: 12000}, {PledgeID: ps[1].ID, Value: 35}, {PledgeID: "gone", Value: 1e9}, {PledgeID: ps[0].ID, Value: 500},
	}
	if got := Overshooting(ps, entries); !slices.Equal(got, []int{0, 3}) {
		t.Errorf("Overshooting = %v, want [0 3]", got)
	}
	if got := Overshooting(ps, entries[1:2]); got != nil {
		t.Errorf("Overshooting of a plausible value = %v", got)
	}
}

func TestCompletionProgressAndPace(t *testing.T) {
	b := reporting(t)
	approve(t, b, Actor{UserID: 4, Name: "An"}, "Ủy ban MTTQ")
	if _, err := b.AddPledges(Actor{UserID: 4}, "u1", []PledgeDraft{draft(t, "Tuyên truyền | 10 buổi"), draft(t, "Hoạt động | tốt")}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddPledges(minh, "u6", []PledgeDraft{draft(t, "Phong trào | xuất sắc")}, t0); err != nil {
		t.Fatal(err)
	}
	apr := time.Date(2026, 4, 10, 9, 0, 0, 0, ict)
	if got := b.BehindPace(time.Date(2026, 3, 31, 23, 0, 0, 0, ict)); got != nil {
		t.Fatalf("behind pace before the first deadline passed: %v", got)
	}
	if got := fmt.Sprint(b.BehindPace(apr)); got != "[u1 u3]" {
		t.Fatalf("behind pace with nothing reported: %v", got)
	}

	submit(t, b, lan, "u3", "Quý I", time.Date(2026, 3, 30, 9, 0, 0, 0, ict), "1 100", "2 32%")
	submit(t, b, Actor{UserID: 4}, "u1", "Quý I", time.Date(2026, 4, 2, 9, 0, 0, 0, ict), "1 1", "2 100%")
	submit(t, b, lan, "u3", "6 tháng", time.Date(2026, 4, 9, 9, 0, 0, 0, ict), "1 30", "4 600")
	// Lan's unit: pledge 1 latest 30/50 = 60% (the later period wins over
	// Quý I's 200%), pledge 2 32%/40% = 80%, pledge 4 600/1.200 = 50%.
	if pct, n := b.UnitCompletion("u3"); n != 3 || fmt.Sprintf("%.2f", pct) != "63.33" {
		t.Fatalf("completion of u3 = %v over %d", pct, n)
	}
	if e, p, ok := b.LatestEntry("u3", "p10"); !ok || e.Value != 30 || p.Name != "6 tháng" {
		t.Fatalf("latest entry %+v from %s", e, p.Name)
	}
	submit(t, b, lan, "u3", "6 tháng", time.Date(2026, 4, 9, 10, 0, 0, 0, ict), "1 500", "4 600")
	// Each pledge counts at most 100%: (100 + 80 + 50) / 3.
	if pct, _ := b.UnitCompletion("u3"); fmt.Sprintf("%.2f", pct) != "76.67" {
		t.Fatalf("capped completion of u3 = %v", pct)
	}
	if pct, n := b.UnitCompletion("u6"); n != 0 || pct != 0 {
		t.Fatalf("a unit without measurable targets: %v over %d", pct, n)
	}

	board := b.Progress(apr)
	var order []string
	for _, up := range board {
		order = append(order, up.UnitID)
	}
	if fmt.Sprint(order) != "[u3 u1 u2 u4 u5 u6 u7]" {
		t.Fatalf("board order %v", order)
	}
	if u3 := board[0]; fmt.Sprint(u3.Statuses) != fmt.Sprint([]ReportStatus{StatusOnTime, StatusOnTime, StatusPending, StatusPending}) {
		t.Fatalf("statuses of u3 %v", u3.Statuses)
	}
	if u1 := board[1]; u1.Completion != 10 || u1.Measurable != 1 || u1.Statuses[0] != StatusLate {
		t.Fatalf("u1 %+v", u1)
	}
	if u2 := board[2]; u2.Measurable != 0 || u2.Statuses[0] != StatusMissing || u2.Statuses[1] != StatusPending {
		t.Fatalf("u2 %+v", u2)
	}
	if got := fmt.Sprint(b.UnitsMissingReport(period(t, b, "Quý I").ID)); got != "[u2 u4 u5 u6 u7]" {
		t.Fatalf("missing Quý I: %v", got)
	}
	if b.UnitsMissingReport("k999") != nil {
		t.Fatal("missing reports of an unknown period")
	}
	// On 10/04 about 30% of the time to 30/11 has passed (and 55% to 30/06):
	// u3 is ahead, u1 at 10% is behind.
	if got := fmt.Sprint(b.BehindPace(apr)); got != "[u1]" {
		t.Fatalf("behind pace: %v", got)
	}
	if got := fmt.Sprint(b.BehindPace(time.Date(2027, 1, 5, 0, 0, 0, 0, ict))); got != "[u1 u3]" {
		t.Fatalf("behind pace once every due date has passed: %v", got)
	}
}

func TestReportDraft(t *testing.T) {
	b := reporting(t)
	q1 := period(t, b, "Quý I")
	submit(t, b, lan, "u3", "Quý I", t0, "3 100%")
	b.TakeEvents()
	d, err := b.StartDraft(lan, "u3", q1.ID, "", t0)
	if err != nil || len(d.Pledges) != 4 || d.Step != 0 || len(d.Entries) != 1 || d.Owner.UserID != lan.UserID {
		t.Fatalf("draft %+v, %v", d, err)
	}
	if err := b.SetDraftMessage(d.ID, 77); err != nil {
		t.Fatal(err)
	}
	if got, ok := b.DraftByMessage(77); !ok || got.ID != d.ID {
		t.Fatalf("draft by message: %+v", got)
	}
	if _, err := b.AnswerDraft(minh, d.ID, 0, Value{Number: 50}, true, ""); !errors.Is(err, ErrDraftOwner) {
		t.Fatalf("answered by another: %v", err)
	}
	if _, err := b.AnswerDraft(lan, d.ID, 1, Value{Number: 50}, true, ""); !errors.Is(err, ErrDraftStep) {
		t.Fatalf("answered at another step: %v", err)
	}
	d, err = b.AnswerDraft(lan, d.ID, 0, Value{Number: 45}, false, "nhà xong")
	if err != nil || d.Step != 1 {
		t.Fatalf("answer: %+v, %v", d, err)
	}
	if d, err = b.AnswerDraft(lan, d.ID, 1, Value{Number: 50}, true, ""); err != nil {
		t.Fatal(err)
	}
	if e, _ := d.Entry("p11"); !e.OfTarget || e.Value != 50 {
		t.Fatalf("a level on a target in %%: %+v", e)
	}
	if d, err = b.MoveDraft(lan, d.ID, 2, -1); err != nil || d.Step != 1 {
		t.Fatalf("back: %+v, %v", d, err)
	}
	if d, err = b.AnswerDraft(lan, d.ID, 1, Value{Number: 35, Percent: true}, false, ""); err != nil {
		t.Fatal(err)
	}
	if e, _ := d.Entry("p11"); e.OfTarget || e.Value != 35 || len(d.Entries) != 3 {
		t.Fatalf("answered again: %+v", d.Entries)
	}
	// A level keeps the note of the value it replaces, which a button
	// cannot give.
	for step := 2; step > 0; step-- {
		if d, err = b.MoveDraft(lan, d.ID, step, -1); err != nil {
			t.Fatal(err)
		}
	}
	if d, err = b.AnswerDraft(lan, d.ID, 0, Value{Number: 100}, true, ""); err != nil {
		t.Fatal(err)
	}
	if e, _ := d.Entry(d.Pledges[0]); !e.OfTarget || e.Value != 100 || e.Note != "xong" {
		t.Fatalf("a level replacing a value with a note: %+v", e)
	}
	if d, err = b.MoveDraft(lan, d.ID, 1, 1); err != nil {
		t.Fatal(err)
	}
	for step := 2; step < 4; step++ {
		if d, err = b.MoveDraft(lan, d.ID, step, 1); err != nil {
			t.Fatal(err)
		}
	}
	if !d.Done() {
		t.Fatalf("not done at step %d", d.Step)
	}
	if _, err := b.MoveDraft(lan, d.ID, 4, 1); err != nil || b.draft(d.ID).Step != 4 {
		t.Fatalf("moved past the summary: %v", err)
	}
	if _, err := b.AnswerDraft(lan, d.ID, 4, Value{Number: 1}, false, ""); !errors.Is(err, ErrDraftStep) {
		t.Fatalf("answered the summary: %v", err)
	}
	if len(b.TakeEvents()) != 0 {
		t.Fatal("a draft recorded events")
	}
	if _, err := b.SubmitDraft(minh, d.ID, t0); !errors.Is(err, ErrDraftOwner) {
		t.Fatalf("submitted by another: %v", err)
	}
	r, err := b.SubmitDraft(lan, d.ID, t0)
	if err != nil || r.Revision != 2 || len(r.Entries) != 3 || r.Entries[0].Note != "xong" {
		t.Fatalf("submitted: %+v, %v", r, err)
	}
	if _, ok := b.Draft(d.ID); ok {
		t.Fatal("the draft outlived its submission")
	}
	if ev := b.TakeEvents(); len(ev) != 1 || ev[0].Action != "report.submit" {
		t.Fatalf("events %+v", ev)
	}

	// A draft answered with nothing cannot be sent; a one-message report drops it.
	q2 := period(t, b, "6 tháng")
	d, _ = b.StartDraft(lan, "u3", q2.ID, "", t0)
	if _, err := b.SubmitDraft(lan, d.ID, t0); !errors.Is(err, ErrReportEmpty) {
		t.Fatalf("empty draft: %v", err)
	}
	submit(t, b, lan, "u3", "6 tháng", t0, "1 1")
	if _, err := b.SubmitDraft(lan, d.ID, t0); !errors.Is(err, ErrDraftNotFound) {
		t.Fatalf("a draft overtaken by a report: %v", err)
	}
	// Starting again replaces the unit's draft; old drafts expire.
	d1, _ := b.StartDraft(lan, "u3", q2.ID, "", t0)
	d2, _ := b.StartDraft(admin, "u3", q2.ID, "", t0)
	if _, ok := b.Draft(d1.ID); ok || len(b.Results.Drafts) != 1 {
		t.Fatalf("drafts %+v", b.Results.Drafts)
	}
	if _, err := b.StartDraft(lan, "u3", q1.ID, "", t0.Add(DraftLifetime+time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, ok := b.Draft(d2.ID); ok {
		t.Fatal("an old draft was kept")
	}
	if _, err := b.StartDraft(minh, "u6", q1.ID, "", t0); !errors.Is(err, ErrNothingToReport) {
		t.Fatalf("a draft without pledges: %v", err)
	}
	d, _ = b.StartDraft(lan, "u3", q2.ID, "", t0)
	if _, err := b.CancelDraft(minh, d.ID); !errors.Is(err, ErrDraftOwner) {
		t.Fatalf("cancelled by another: %v", err)
	}
	if _, err := b.CancelDraft(lan, d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.MoveDraft(lan, d.ID, 0, 1); !errors.Is(err, ErrDraftNotFound) {
		t.Fatalf("a cancelled draft: %v", err)
	}
}

// TestDraftInUse checks that someone else's draft holding answers of its
// own is replaced only when the one starting anew names it, while a
// draft without them, one's own, or one expired is replaced as ever; and
// that an answer repeating the unit's report is no answer of the draft's.
func TestDraftInUse(t *testing.T) {
	b := reporting(t)
	submit(t, b, lan, "u3", "Quý I", t0, "1 45")
	q1 := period(t, b, "Quý I")
	d, _ := b.StartDraft(lan, "u3", q1.ID, "", t0)
	if n := b.DraftAnswers(d); n != 0 {
		t.Fatalf("a draft fresh from the report holds %d answers", n)
	}
	d, _ = b.AnswerDraft(lan, d.ID, 0, Value{Number: 45}, false, "")
	if _, inUse := b.DraftInUse(admin, "u3", q1.ID, t0); inUse || b.DraftAnswers(d) != 0 {
		t.Fatalf("the reported value typed again is an answer: %d", b.DraftAnswers(d))
	}
	d, _ = b.AnswerDraft(lan, d.ID, 1, Value{Number: 30}, false, "")
	if got, inUse := b.DraftInUse(admin, "u3", q1.ID, t0); !inUse || got.ID != d.ID || b.DraftAnswers(got) != 1 {
		t.Fatalf("Lan's draft with an answer: %+v in use %v", got, inUse)
	}
	if _, inUse := b.DraftInUse(lan, "u3", q1.ID, t0); inUse {
		t.Fatal("Lan's own draft is in her way")
	}
	if _, err := b.StartDraft(admin, "u3", q1.ID, "", t0); !errors.Is(err, ErrDraftInUse) {
		t.Fatalf("replaced unasked: %v", err)
	}
	if _, err := b.StartDraft(admin, "u3", q1.ID, "d0", t0); !errors.Is(err, ErrDraftInUse) {
		t.Fatalf("replaced naming another draft: %v", err)
	}
	if got, _ := b.Draft(d.ID); len(got.Entries) != 2 {
		t.Fatalf("Lan's draft changed: %+v", got)
	}
	late := t0.Add(DraftLifetime + time.Minute)
	if _, inUse := b.DraftInUse(admin, "u3", q1.ID, late); inUse {
		t.Fatal("an expired draft is in the way")
	}
	nd, err := b.StartDraft(admin, "u3", q1.ID, d.ID, t0)
	if err != nil || nd.Replaced != d.MessageID {
		t.Fatalf("replacing as agreed: %+v, %v", nd, err)
	}
	if _, ok := b.Draft(d.ID); ok || len(b.Results.Drafts) != 1 {
		t.Fatalf("drafts %+v", b.Results.Drafts)
	}
}

func TestEvidence(t *testing.T) {
	b := reporting(t)
	q1 := period(t, b, "Quý I")
	photo := Evidence{FileID: "f1", Kind: EvidencePhoto, Caption: "  Lễ   bàn giao  "}
	if _, err := b.AttachEvidence(lan, "u3", q1.ID, photo, t0); !errors.Is(err, ErrReportNotFound) {
		t.Fatalf("evidence without a report: %v", err)
	}
	submit(t, b, lan, "u3", "Quý I", t0, "1 10")
	if _, ok := b.ReportRevision("u3", q1.ID, 2); ok {
		t.Fatal("a report by a revision not sent yet")
	}
	submit(t, b, lan, "u3", "Quý I", t0, "1 20")
	b.TakeEvents()
	for _, rev := range []int{1, 2} {
		if r, ok := b.ReportRevision("u3", q1.ID, rev); !ok || r.Revision != 2 {
			t.Fatalf("report by revision %d: %+v", rev, r)
		}
	}
	if _, ok := b.ReportRevision("u2", q1.ID, 1); ok {
		t.Fatal("a report of a unit that sent none")
	}
	if _, err := b.AttachEvidence(minh, "u3", q1.ID, photo, t0); !errors.Is(err, ErrNotYourReport) {
		t.Fatalf("evidence by another unit: %v", err)
	}
	r, err := b.AttachEvidence(lan, "u3", q1.ID, photo, t0)
	if err != nil || len(r.Evidence) != 1 || r.Evidence[0].Caption != "Lễ bàn giao" || r.Evidence[0].Added.UserID != lan.UserID {
		t.Fatalf("attached: %+v, %v", r, err)
	}
	doc := Evidence{FileID: "f2", Kind: EvidenceDocument, Name: strings.Repeat("b", MaxCaptionLen+10) + ".pdf"}
	if r, err = b.AttachEvidence(admin, "u3", q1.ID, doc, t0); err != nil || len([]rune(r.Evidence[1].Name)) != MaxCaptionLen {
		t.Fatalf("long name: %+v, %v", r.Evidence, err)
	}
	ev := b.TakeEvents()
	if len(ev) != 2 || ev[0].Action != "report.evidence" || ev[0].After != "Quý I: ảnh — Lễ bàn giao" || !ev[1].AsAdmin {
		t.Fatalf("events %+v", ev)
	}
	// Evidence stays with the period's report when it is submitted again.
	if r = submit(t, b, lan, "u3", "Quý I", t0, "1 30"); len(r.Evidence) != 2 {
		t.Fatalf("evidence lost on resubmission: %+v", r)
	}
	for range MaxEvidence - 2 {
		if _, err := b.AttachEvidence(lan, "u3", q1.ID, photo, t0); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.AttachEvidence(lan, "u3", q1.ID, photo, t0); !errors.Is(err, ErrTooMuchEvidence) {
		t.Fatalf("too much evidence: %v", err)
	}
}

func TestResultsSurviveEncoding(t *testing.T) {
	b := reporting(t)
	submit(t, b, lan, "u3", "Quý I", t0, "1 45 xong", "2 60%")
	q1 := period(t, b, "Quý I")
	if _, err := b.AttachEvidence(lan, "u3", q1.ID, Evidence{FileID: "f", Kind: EvidencePhoto}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.StartDraft(lan, "u3", period(t, b, "Năm").ID, "", t0); err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var got Block
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Results.Reports, b.Results.Reports) || len(got.Results.Drafts) != 1 || len(got.Periods()) != 4 {
		t.Fatalf("results changed in encoding:\n%+v\n%+v", got.Results, b.Results)
	}
	if st := got.ReportStatusOf("u3", got.Periods()[0], t0); st != StatusOnTime {
		t.Fatalf("status after decoding: %v", st)
	}
	var empty Block
	if err := json.Unmarshal([]byte(`{"id":"x","year":2026}`), &empty); err != nil || empty.Periods() != nil || len(empty.Results.Reports) != 0 {
		t.Fatalf("a document without results: %+v, %v", empty.Results, err)
	}
	if raw, _ := json.Marshal(&empty); strings.Contains(string(raw), "results") {
		t.Fatalf("empty results are written: %s", raw)
	}
}

// Documents written before the bot noted its messages in storage kept a
// confirmation's message id in its submission, or, later, in
// ReportMessages: evidence in reply to such a message still finds its
// report, unless that submission is no longer kept.
func TestReportByMessageOfEarlierDocuments(t *testing.T) {
	var b Block
	b.Results.Reports = []Report{
		{UnitID: "u1", PeriodID: "k1", Submission: Submission{Revision: 2, MessageID: 12}, Earlier: []Submission{{Revision: 1, MessageID: 11}}},
		{UnitID: "u2", PeriodID: "k1", Submission: Submission{Revision: 9}, Earlier: []Submission{{Revision: 8}}},
	}
	b.ReportMessages.List = []ReportMessage{{MessageID: 20, UnitID: "u2", PeriodID: "k1", Revision: 8}, {MessageID: 21, UnitID: "u2", PeriodID: "k1", Revision: 2}}
	for m, unit := range map[int]string{11: "u1", 12: "u1", 20: "u2"} {
		if r, ok := b.ReportByMessage(m); !ok || r.UnitID != unit || r.Revision != map[string]int{"u1": 2, "u2": 9}[unit] {
			t.Errorf("message %d: %+v, %v", m, r, ok)
		}
	}
	for _, m := range []int{0, 13, 21} {
		if r, ok := b.ReportByMessage(m); ok {
			t.Errorf("found a report by message %d, which confirms none kept: %+v", m, r)
		}
	}
}

// Reports are kept in the order of their unit's id, then their period's
// (byte order: u1, u10, u2), which storage can restore from reports stored
// apart; and every change of them notes the reports it changed, by unit and
// period, for storage to write those alone.
func TestReportsOrderedAndNoted(t *testing.T) {
	b := reporting(t)
	if _, err := b.AddPledges(admin, "u1", []PledgeDraft{draft(t, "Hội viên mới | 300 hội viên")}, t0); err != nil {
		t.Fatal(err)
	}
	b.TakeEvents()
	q1, h1 := period(t, b, "Quý I").ID, period(t, b, "6 tháng").ID
	noted := func(want ...ReportKey) {
		t.Helper()
		if got := b.TakeChangedReports(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("noted the reports %v, want %v", got, want)
		}
	}
	noted()
	submit(t, b, lan, "u3", "Quý I", t0, "1 10")
	noted(ReportKey{"u3", q1})
	submit(t, b, admin, "u1", "6 tháng", t0, "1 100")
	submit(t, b, lan, "u3", "6 tháng", t0, "1 20")
	submit(t, b, admin, "u1", "Quý I", t0, "1 50")
	submit(t, b, lan, "u3", "Quý I", t0, "1 15") // again: stays in its place
	noted(ReportKey{"u1", h1}, ReportKey{"u3", h1}, ReportKey{"u1", q1}, ReportKey{"u3", q1})
	var order []string
	for _, r := range b.Results.Reports {
		order = append(order, r.UnitID+" "+r.PeriodID)
	}
	want := []string{"u1 " + min(q1, h1), "u1 " + max(q1, h1), "u3 " + min(q1, h1), "u3 " + max(q1, h1)}
	if !slices.Equal(order, want) {
		t.Fatalf("reports in the order %q, want %q", order, want)
	}
	if _, err := b.AttachEvidence(lan, "u3", q1, Evidence{FileID: "f", Kind: EvidencePhoto}, t0); err != nil {
		t.Fatal(err)
	}
	noted(ReportKey{"u3", q1})
	if _, _, err := b.DeletePeriod(admin, q1, true, t0); err != nil {
		t.Fatal(err)
	}
	noted(ReportKey{"u1", q1}, ReportKey{"u3", q1})
	if _, _, err := b.DeletePeriod(admin, period(t, b, "Năm").ID, true, t0); err != nil {
		t.Fatal(err)
	}
	noted()

	// A document written before reports were kept in this order is put in
	// it when read.
	b.Results.Reports = append(b.Results.Reports, Report{UnitID: "u2", PeriodID: "x"}, Report{UnitID: "u1", PeriodID: "y"}, Report{UnitID: "u1", PeriodID: "a"})
	if err := b.Migrate(); err != nil {
		t.Fatal(err)
	}
	order = order[:0]
	for _, r := range b.Results.Reports {
		order = append(order, r.UnitID+" "+r.PeriodID)
	}
	if want := []string{"u1 a", "u1 " + h1, "u1 y", "u2 x", "u3 " + h1}; !slices.Equal(order, want) {
		t.Fatalf("read in the order %q, want %q", order, want)
	}
}
