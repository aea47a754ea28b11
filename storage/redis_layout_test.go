package storage_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"thiduabot/storage"
	"thiduabot/storage/storagetest"
	"thiduabot/thidua"
)

// This file checks how the Redis store lays a block's reports out in its
// document, one field per report, and how it reads and converts the
// layouts of earlier releases.

// writeArgs is a call of the Redis store's write script as its arguments
// (ARGV) tell it: the fields it sets, in order, those it deletes, how many
// history entries it appends, whether it renames a staged document into
// place instead, and how many bytes its arguments hold, which Redis copies
// into Lua.
type writeArgs struct {
	set, del []string
	events   int
	staged   bool
	bytes    int
}

// argBytes returns the length of a command's argument as sent.
func argBytes(a any) int {
	switch v := a.(type) {
	case string:
		return len(v)
	case []byte:
		return len(v)
	}
	return len(fmt.Sprint(a))
}

// lastWrite reads the last script call as a call of the write script:
// "evalsha", its hash, the number of keys, the keys, then ARGV: the
// version written over, the due score, the block id, then "staged" or the
// number of fields set, those fields with their values, the number of
// fields deleted and those fields, and last the history entries.
func (s *scriptArgs) lastWrite(t *testing.T) writeArgs {
	t.Helper()
	s.mu.Lock()
	args := s.args[len(s.args)-1]
	s.mu.Unlock()
	keys, ok := args[2].(int)
	if !ok || len(args) < 7+keys {
		t.Fatalf("the last script call is not a write: %q", args)
	}
	argv := args[3+keys:]
	var w writeArgs
	for _, a := range argv {
		w.bytes += argBytes(a)
	}
	if argv[3] == "staged" {
		w.staged, w.events = true, len(argv)-4
		return w
	}
	n := argv[3].(int)
	for j := range n {
		w.set = append(w.set, argv[4+2*j].(string))
	}
	i := 4 + 2*n
	m := argv[i].(int)
	for _, f := range argv[i+1 : i+1+m] {
		w.del = append(w.del, f.(string))
	}
	w.events = len(argv) - (i + 1 + m)
	return w
}

// reportField is the field of the document holding the unit's report for
// the period.
func reportField(unitID, periodID string) string { return "report:" + unitID + ":" + periodID }

// sameBlock fails t unless the blocks got and want encode alike, the
// order of their reports included, once each is read back from its JSON:
// a list emptied in memory, which the JSON leaves out, is nil once read,
// in the block a process wrote and caches as in the block it decodes.
func sameBlock(t *testing.T, what string, got, want *thidua.Block) {
	t.Helper()
	if x, y := reencoded(t, got), reencoded(t, want); x != y {
		t.Fatalf("%s: read\n%s\nwant\n%s", what, x, y)
	}
}

// reencoded returns the JSON of b read back from its JSON.
func reencoded(t *testing.T, b *thidua.Block) string {
	t.Helper()
	var read thidua.Block
	if err := json.Unmarshal(must(json.Marshal(b)), &read); err != nil {
		t.Fatal(err)
	}
	return string(must(json.Marshal(&read)))
}

// readFresh reads block id through a store that has nothing cached: from
// the document alone, as another replica reads it.
func readFresh(t *testing.T, client redis.UniversalClient, prefix, id string) *thidua.Block {
	t.Helper()
	b, err := storage.NewRedis(client, prefix).Block(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// storeYearEnd stores a year-end block (storagetest.YearEnd), "b1",
// through a store with checks on, and returns the store's client, its
// prefix, the block as stored and its representatives, in unit order.
func storeYearEnd(t *testing.T) (client redis.UniversalClient, prefix string, b *thidua.Block, reps []thidua.Actor) {
	t.Helper()
	client, prefix = storagetest.Redis(t)
	b, reps = storagetest.YearEnd(t, "b1", -100)
	if err := storagetest.Checked(t, storage.NewRedis(client, prefix)).CreateBlock(t.Context(), b); err != nil {
		t.Fatal(err)
	}
	return client, prefix, b, reps
}

// reportAgain has the representative of the i-th unit of block "b1", a
// year-end block, report for the period through s, as the unit reports at
// the last period, and returns the block as written.
func reportAgain(t *testing.T, s *storage.Redis, reps []thidua.Actor, i int, periodID string) *thidua.Block {
	t.Helper()
	written, err := s.UpdateParts(t.Context(), "b1", thidua.PartResults, func(b *thidua.Block) error {
		b.MarkApplied(int64(1000 + b.Version))
		unit := b.Units[i].ID
		_, err := b.SubmitReport(reps[i], unit, periodID, storagetest.ReportLines(b, unit, 4), storagetest.YearEndVoting)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return written
}

// A report writes the block's version, its core, the one report's field
// and the history entry: not the results part, which it does not change,
// nor the unit's other reports. A period deleted with its reports deletes
// their fields and writes no other report.
func TestRedisReportWritesItsFieldAlone(t *testing.T) {
	client, prefix, b, reps := storeYearEnd(t)
	s := storagetest.Checked(t, storage.NewRedis(client, prefix))
	ctx := t.Context()
	doc := prefix + "{b:b1}:doc"
	fields := client.HGetAll(ctx, doc).Val()
	for _, r := range b.Results.Reports {
		if fields[reportField(r.UnitID, r.PeriodID)] == "" {
			t.Fatalf("no field for the report of %s for %s: %q", r.UnitID, r.PeriodID, slices.Sorted(maps.Keys(fields)))
		}
	}
	if strings.Contains(fields["results"], `"reports"`) || len(fields) != 2+4+len(b.Results.Reports) {
		t.Fatalf("the document's fields: %q", slices.Sorted(maps.Keys(fields)))
	}

	spy := new(scriptArgs)
	client.AddHook(spy)
	unit, period := b.Units[1].ID, b.Results.Periods[3].ID
	written := reportAgain(t, s, reps, 1, period)
	w := spy.lastWrite(t)
	if w.staged || !slices.Equal(w.set, []string{"version", "core", reportField(unit, period)}) || w.del != nil || w.events != 1 {
		t.Fatalf("a report wrote %+v", w)
	}
	t.Logf("a report's write: %d bytes of arguments", w.bytes)
	var stored thidua.Report
	if err := json.Unmarshal([]byte(client.HGet(ctx, doc, reportField(unit, period)).Val()), &stored); err != nil || stored.Revision != 2 {
		t.Fatalf("the report's field holds %+v (%v)", stored, err)
	}
	sameBlock(t, "after a report", readFresh(t, client, prefix, "b1"), written)

	gone := b.Results.Periods[0].ID
	written, err := s.UpdateParts(ctx, "b1", thidua.PartResults, func(b *thidua.Block) error {
		_, _, err := b.DeletePeriod(storagetest.Admin, gone, true, storagetest.YearEndVoting)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	w = spy.lastWrite(t)
	var want []string
	for _, u := range b.Units[:len(reps)] {
		want = append(want, reportField(u.ID, gone))
	}
	if w.staged || !slices.Equal(w.set, []string{"version", "core", "results"}) || !slices.Equal(w.del, want) {
		t.Fatalf("deleting a period with its reports wrote %+v, want %q deleted", w, want)
	}
	sameBlock(t, "after a period deleted", readFresh(t, client, prefix, "b1"), written)

	// A change of the core alone sends the core: not the parts it could
	// have changed but left as they were.
	if _, err = s.Update(ctx, "b1", rename("Khối B")); err != nil {
		t.Fatal(err)
	}
	if w = spy.lastWrite(t); !slices.Equal(w.set, []string{"version", "core"}) || w.del != nil {
		t.Fatalf("a change of the core alone wrote %+v", w)
	}
}

// The layouts of documents that earlier releases wrote: one field per unit
// holding its reports (schema 3), or every report in the results part
// (schema 2 and before).
const (
	unitsLayout   = "units"
	resultsLayout = "results"
)

// rewriteEarlier rewrites block id's document in an earlier release's
// layout, with that release's schema: the reports of each unit, in the
// reverse of the order this release keeps, in a field "reports:" and the
// unit's id (unitsLayout, schema 3); or every report, in that order, in
// the results part (resultsLayout, schema 2). Its version stays: only a
// store that has not cached the block may read it afterwards.
func rewriteEarlier(t *testing.T, client redis.UniversalClient, prefix, id, layout string) {
	t.Helper()
	ctx, key := t.Context(), prefix+"{b:"+id+"}:doc"
	reports := readFresh(t, client, prefix, id).Results.Reports
	slices.Reverse(reports)
	fields := client.HGetAll(ctx, key).Val()
	for name := range fields {
		if strings.HasPrefix(name, "report") {
			delete(fields, name)
		}
	}
	schema := 3
	switch layout {
	case unitsLayout:
		byUnit := map[string][]thidua.Report{}
		for _, r := range reports {
			byUnit[r.UnitID] = append(byUnit[r.UnitID], r)
		}
		for u, list := range byUnit {
			fields["reports:"+u] = string(must(json.Marshal(list)))
		}
	case resultsLayout:
		schema = 2
		var res thidua.Results
		if p, ok := fields["results"]; ok { // of either layout
			if err := json.Unmarshal([]byte(p), &res); err != nil {
				t.Fatal(err)
			}
		}
		if res.Reports = reports; res.Periods != nil || res.Reports != nil || res.Drafts != nil {
			fields["results"] = string(must(json.Marshal(&res)))
		}
	}
	now := `{"schema":` + strconv.Itoa(thidua.SchemaVersion) + `,`
	if !strings.HasPrefix(fields["core"], now) {
		t.Fatalf("the core does not start with %s: %.40s", now, fields["core"])
	}
	fields["core"] = `{"schema":` + strconv.Itoa(schema) + `,` + strings.TrimPrefix(fields["core"], now)
	_, err := client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, key)
		p.HSet(ctx, key, fields)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// must returns v, panicking on err.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// reportNames returns the names of the document's fields that hold
// reports, of every layout.
func reportNames(fields map[string]string) []string {
	var names []string
	for name := range fields {
		if strings.HasPrefix(name, "report") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// A document of the current release's predecessor, each unit's reports in
// a field of their own, reads as the block, its reports in this release's
// order; a report of a unit writes every report of the unit in a field of
// its own and deletes the unit's field in the same call, leaving the other
// units' as they are; a change that stages the whole document converts
// them all. A document whose results part holds every report is read as
// well and converted whole by its first change, whatever it is.
func TestRedisConvertsEarlierLayouts(t *testing.T) {
	client, prefix, b, reps := storeYearEnd(t)
	ctx := t.Context()
	doc := prefix + "{b:b1}:doc"
	rewriteEarlier(t, client, prefix, "b1", unitsLayout)
	units := b.Units[:len(reps)]
	for i, name := range reportNames(client.HGetAll(ctx, doc).Val()) {
		if want := "reports:" + units[i].ID; name != want {
			t.Fatalf("field %s of the earlier layout, want %s", name, want)
		}
	}
	sameBlock(t, "a document of the earlier layout", readFresh(t, client, prefix, "b1"), b)

	s := storagetest.Checked(t, storage.NewRedis(client, prefix))
	spy := new(scriptArgs)
	client.AddHook(spy)
	unit, period := units[1].ID, b.Results.Periods[3].ID
	written := reportAgain(t, s, reps, 1, period)
	w := spy.lastWrite(t)
	var want []string
	for _, p := range b.Results.Periods {
		want = append(want, reportField(unit, p.ID))
	}
	slices.Sort(want) // the order of the keys
	want = append([]string{"version", "core"}, want...)
	if w.staged || !slices.Equal(w.set, want) || !slices.Equal(w.del, []string{"reports:" + unit}) {
		t.Fatalf("the first report of a unit of the earlier layout wrote %+v, want %q set, its field deleted", w, want)
	}
	fields := client.HGetAll(ctx, doc).Val()
	var names []string
	for _, u := range units {
		if u.ID == unit {
			for _, p := range b.Results.Periods {
				names = append(names, reportField(u.ID, p.ID))
			}
		} else {
			names = append(names, "reports:"+u.ID)
		}
	}
	if slices.Sort(names); !slices.Equal(reportNames(fields), names) {
		t.Fatalf("after the unit's report, the fields of reports are %q, want %q", reportNames(fields), names)
	}
	sameBlock(t, "a document of both layouts", readFresh(t, client, prefix, "b1"), written)

	// A change staged whole, here of the registration, the biggest part,
	// leaves no field of the earlier layout: the next report of a unit
	// that had one writes its own field alone.
	written, err := s.UpdateParts(ctx, "b1", thidua.PartRegistration, func(b *thidua.Block) error {
		return b.CloseRegistration(storagetest.Admin, storagetest.YearEndVoting)
	})
	if err != nil {
		t.Fatal(err)
	}
	if w := spy.lastWrite(t); !w.staged {
		t.Fatalf("closing the registration was not staged: %+v", w)
	}
	fields = client.HGetAll(ctx, doc).Val()
	names = names[:0]
	for _, r := range written.Results.Reports {
		names = append(names, reportField(r.UnitID, r.PeriodID))
	}
	if slices.Sort(names); !slices.Equal(reportNames(fields), names) {
		t.Fatalf("after a staged change the fields of reports are %q, want %q", reportNames(fields), names)
	}
	sameBlock(t, "after a staged change", readFresh(t, client, prefix, "b1"), written)
	unit = units[2].ID
	written = reportAgain(t, s, reps, 2, period)
	if w := spy.lastWrite(t); w.staged || !slices.Equal(w.set, []string{"version", "core", reportField(unit, period)}) || w.del != nil {
		t.Fatalf("a report after a staged change wrote %+v", w)
	}
	sameBlock(t, "a report after a staged change", readFresh(t, client, prefix, "b1"), written)

	// Every report in the results part.
	rewriteEarlier(t, client, prefix, "b1", resultsLayout)
	if names := reportNames(client.HGetAll(ctx, doc).Val()); names != nil {
		t.Fatalf("fields of reports in the results layout: %q", names)
	}
	sameBlock(t, "a document of the results layout", readFresh(t, client, prefix, "b1"), written)
	s = storagetest.Checked(t, storage.NewRedis(client, prefix))
	if written, err = s.UpdateParts(ctx, "b1", 0, rename("Khối B")); err != nil {
		t.Fatal(err)
	}
	fields = client.HGetAll(ctx, doc).Val()
	names = names[:0]
	for _, r := range written.Results.Reports {
		names = append(names, reportField(r.UnitID, r.PeriodID))
	}
	if slices.Sort(names); strings.Contains(fields["results"], `"reports"`) || !slices.Equal(reportNames(fields), names) {
		t.Fatalf("a change of the core left the fields of reports %q and the results %.200s", reportNames(fields), fields["results"])
	}
	sameBlock(t, "a document converted from the results layout", readFresh(t, client, prefix, "b1"), written)
}

// A document this release writes carries a schema above 3, the last whose
// programs read a block's reports from one field per unit only: they
// refuse it (thidua.Block.Migrate) rather than read it without the reports
// in fields of their own and lose them on their next change.
func TestRedisDocumentRefusedByEarlierReleases(t *testing.T) {
	client, prefix, b, reps := storeYearEnd(t)
	reportAgain(t, storagetest.Checked(t, storage.NewRedis(client, prefix)), reps, 0, b.Results.Periods[3].ID)
	var core struct{ Schema int }
	if err := json.Unmarshal([]byte(client.HGet(t.Context(), prefix+"{b:b1}:doc", "core").Val()), &core); err != nil {
		t.Fatal(err)
	}
	if core.Schema <= 3 || core.Schema != thidua.SchemaVersion {
		t.Fatalf("the document's schema is %d: programs of schema 3 would read it without its reports", core.Schema)
	}
	refused := thidua.Block{ID: "b1", Schema: core.Schema}
	if err := refused.Migrate(); err != nil {
		t.Fatalf("this release refuses its own document: %v", err)
	}
}

// Random changes of the reports of a block of eleven units (u1, u10, u11,
// u2, ... in byte order) through two stores, reports, evidence, periods
// added and deleted with their reports, a change of the core, and now and
// then the document rewritten in an earlier layout, leave a document that
// a store with nothing cached reads as the block the change returned, its
// reports in the same order; the other store, which cached the block
// before the change, reads it so as well.
func TestRedisReportsReadAsWritten(t *testing.T) {
	client, prefix := storagetest.Redis(t)
	ctx, admin := t.Context(), storagetest.Admin
	names := make([]string, 11)
	for i := range names {
		names[i] = fmt.Sprintf("Đơn vị %d", i+1)
	}
	b := storagetest.NewBlock(t, "b1", -100, names...)
	if err := b.OpenRegistration(admin, time.Time{}, storagetest.Now); err != nil {
		t.Fatal(err)
	}
	pledges := []thidua.PledgeDraft{
		must(thidua.ParsePledge("Hồ sơ giải quyết đúng hạn | 100%", 2025, time.UTC)),
		must(thidua.ParsePledge("Hội viên mới | 300 hội viên", 2025, time.UTC)),
	}
	for _, u := range b.Units {
		must(b.AddPledges(admin, u.ID, pledges, storagetest.Now))
	}
	stores := func() [2]*storage.Redis {
		return [2]*storage.Redis{storagetest.Checked(t, storage.NewRedis(client, prefix)), storagetest.Checked(t, storage.NewRedis(client, prefix))}
	}
	st := stores()
	if err := st[0].CreateBlock(ctx, b); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	pick := rng.IntN
	added, reported := 0, 0
	for step := range 400 {
		if step%100 == 99 {
			rewriteEarlier(t, client, prefix, "b1", []string{unitsLayout, resultsLayout}[pick(2)])
			st = stores()
		}
		s := st[pick(2)]
		if _, err := st[pick(2)].Block(ctx, "b1"); err != nil { // cached there
			t.Fatal(err)
		}
		at := storagetest.Now.Add(time.Duration(step) * time.Minute)
		unit := fmt.Sprintf("u%d", 1+pick(11))
		var (
			parts = thidua.PartResults
			op    func(*thidua.Block) error
		)
		switch k := pick(10); {
		case k < 5:
			op = func(b *thidua.Block) error {
				ps := b.Results.Periods
				if len(ps) == 0 {
					return thidua.ErrPeriodNotFound
				}
				_, err := b.SubmitReport(admin, unit, ps[pick(len(ps))].ID, []thidua.ReportLine{{No: 1 + pick(2), Value: thidua.Value{Number: float64(pick(100))}}}, at)
				reported++
				return err
			}
		case k < 6:
			op = func(b *thidua.Block) error {
				rs := b.Results.Reports
				if len(rs) == 0 {
					return thidua.ErrReportNotFound
				}
				r := rs[pick(len(rs))]
				_, err := b.AttachEvidence(admin, r.UnitID, r.PeriodID, thidua.Evidence{FileID: fmt.Sprint("f", step), Kind: thidua.EvidencePhoto}, at)
				return err
			}
		case k < 8:
			op = func(b *thidua.Block) error {
				added++
				_, err := b.AddPeriods(admin, []thidua.PeriodDraft{must(thidua.ParsePeriod(fmt.Sprintf("Kỳ %d | %02d/%02d", added, 1+pick(28), 1+pick(12)), 2025, time.UTC))}, at)
				return err
			}
		case k < 9:
			op = func(b *thidua.Block) error {
				ps := b.Results.Periods
				if len(ps) == 0 {
					return thidua.ErrPeriodNotFound
				}
				_, _, err := b.DeletePeriod(admin, ps[pick(len(ps))].ID, true, at)
				return err
			}
		default:
			parts, op = 0, rename(fmt.Sprintf("Khối %d", step))
		}
		var refused error
		written, err := s.UpdateParts(ctx, "b1", parts, func(b *thidua.Block) error {
			refused = op(b)
			return refused
		})
		switch {
		case err != nil && errors.Is(err, refused):
			continue
		case err != nil:
			t.Fatalf("step %d: %v", step, err)
		}
		sameBlock(t, fmt.Sprintf("step %d, read afresh", step), readFresh(t, client, prefix, "b1"), written)
		for _, other := range st {
			got, err := other.Block(ctx, "b1")
			if err != nil {
				t.Fatal(err)
			}
			sameBlock(t, fmt.Sprintf("step %d, read by a store", step), got, written)
		}
	}
	if final := readFresh(t, client, prefix, "b1"); len(final.Results.Reports) < 10 || reported < 100 {
		t.Fatalf("the walk ended with %d reports, %d reported: it tried too little", len(final.Results.Reports), reported)
	}
}
