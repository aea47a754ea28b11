package storage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"thiduabot/thidua"
)

// fill sets every exported field reachable from v to a value that is not
// zero, with two elements in every slice and map, whatever the features
// add to thidua.Block, so that the copy test covers every type in it.
// Every slice has room for a third element, which a copy must not write
// into.
func fill(v reflect.Value, depth int) {
	if depth > 8 {
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(7)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1.5)
	case reflect.String:
		v.SetString("Hội Nông dân tỉnh")
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 3)
		for i := range 2 {
			fill(s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for i := range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(k, depth+1)
			if k.Kind() == reflect.String {
				k.SetString(k.String() + string(rune('a'+i)))
			} else if k.CanInt() {
				k.SetInt(int64(i))
			}
			fill(e, depth+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		if v.Type() == timeType {
			v.Set(reflect.ValueOf(time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	case reflect.Array:
		for i := range v.Len() {
			fill(v.Index(i), depth+1)
		}
	}
}

// shared reports the first place, as a path, where a and b share memory
// that a change through one would show in the other. An append-only slice
// (tagged copy:"append-only") may be shared if b's is clipped, so that
// appending to it never writes into a's; a path ending in "(unclipped)"
// says it is not. A field the domain only ever replaces (tagged
// copy:"replaced") may be shared as it is.
func shared(a, b reflect.Value, path string) string {
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() {
			return ""
		}
		if a.Pointer() == b.Pointer() {
			return path
		}
		return shared(a.Elem(), b.Elem(), path)
	case reflect.Slice:
		if a.Len() > 0 && a.Pointer() == b.Pointer() {
			return path
		}
		for i := range a.Len() {
			if p := shared(a.Index(i), b.Index(i), path+"[]"); p != "" {
				return p
			}
		}
	case reflect.Map:
		if a.Len() > 0 && a.Pointer() == b.Pointer() {
			return path
		}
		for it := a.MapRange(); it.Next(); {
			if p := shared(it.Value(), b.MapIndex(it.Key()), path+"[k]"); p != "" {
				return p
			}
		}
	case reflect.Interface:
		if !a.IsNil() {
			return shared(a.Elem(), b.Elem(), path)
		}
	case reflect.Struct:
		for i := range a.NumField() {
			f := a.Type().Field(i)
			switch tag := f.Tag.Get("copy"); {
			case !f.IsExported() || tag == "replaced":
			case tag == "append-only":
				if b.Field(i).Cap() != b.Field(i).Len() {
					return path + "." + f.Name + " (unclipped)"
				}
			default:
				if p := shared(a.Field(i), b.Field(i), path+"."+f.Name); p != "" {
					return p
				}
			}
		}
	case reflect.Array:
		for i := range a.Len() {
			if p := shared(a.Index(i), b.Index(i), path+"[]"); p != "" {
				return p
			}
		}
	}
	return ""
}

// unexportedRefs lists the unexported fields holding references in the
// types reachable from t, which working copies by assignment.
func unexportedRefs(t reflect.Type, seen map[reflect.Type]bool, out *[]string) {
	if seen[t] {
		return
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		unexportedRefs(t.Elem(), seen, out)
	case reflect.Map:
		unexportedRefs(t.Key(), seen, out)
		unexportedRefs(t.Elem(), seen, out)
	case reflect.Struct:
		if t == timeType {
			return
		}
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() && planOf(f.Type).deep {
				*out = append(*out, t.Name()+"."+f.Name)
			}
			unexportedRefs(f.Type, seen, out)
		}
	}
}

func TestWorkingCopy(t *testing.T) {
	b := new(thidua.Block)
	fill(reflect.ValueOf(b).Elem(), 0)
	c := working(b, thidua.AllParts)
	if !reflect.DeepEqual(b, c) {
		t.Fatal("the copy differs from the original")
	}
	if p := shared(reflect.ValueOf(b), reflect.ValueOf(c), "Block"); p != "" {
		t.Fatalf("the copy shares %s with the original", p)
	}
	var refs []string
	unexportedRefs(reflect.TypeFor[thidua.Block](), map[reflect.Type]bool{}, &refs)
	// Only the pending events and the reports that changed, which
	// cached blocks never have (storage takes them), may be shared: any
	// other unexported reference would make a cached block change with its
	// copies.
	if want := []string{"Block.events", "Block.reportsChanged"}; !slices.Equal(refs, want) {
		t.Errorf("unexported fields holding references: %v, want only %v", refs, want)
	}
	c.Units[0].Name = "Tỉnh Đoàn"
	if b.Units[0].Name == "Tỉnh Đoàn" {
		t.Error("renaming a unit of the copy renamed the original's")
	}

	// A copy for a change of the elections copies the core and the
	// elections, and shares the other parts.
	c = working(b, thidua.PartElections)
	if !reflect.DeepEqual(b, c) {
		t.Fatal("the partial copy differs from the original")
	}
	if p := shared(reflect.ValueOf(b.Elections), reflect.ValueOf(c.Elections), "Elections"); p != "" {
		t.Errorf("the partial copy shares %s with the original", p)
	}
	if p := shared(reflect.ValueOf(coreOf(b)), reflect.ValueOf(coreOf(c)), "Block"); p != "" {
		t.Errorf("the partial copy shares %s of the core with the original", p)
	}
	if &c.Results.Periods[0] != &b.Results.Periods[0] || &c.Registration.Units[0] != &b.Registration.Units[0] {
		t.Error("the partial copy copied parts it was not asked to")
	}

	// A copy for a change of the results shares a report's evidence with
	// the original, and appending to the copy's leaves the original's alone.
	orig := &b.Results.Reports[0]
	n := len(orig.Evidence)
	c = working(b, thidua.PartResults)
	cr := &c.Results.Reports[0]
	if &cr.Evidence[0] != &orig.Evidence[0] {
		t.Error("the copy for a change of the results copied a report's evidence")
	}
	cr.Evidence = append(cr.Evidence, thidua.Evidence{FileID: "new"})
	if len(orig.Evidence) != n || orig.Evidence[:n+1][n].FileID == "new" {
		t.Error("appending evidence to the copy wrote into the original's")
	}

	t.Run("core changed by the domain", testCoreChanged)
	t.Run("elections changed by the domain", testElectionsChanged)
	t.Run("results changed by the domain", testResultsChanged)
}

// testAdmin is the group administrator who changes the blocks of the tests
// of working copies.
var testAdmin = thidua.Actor{UserID: 1, Name: "Quản trị", Admin: true}

// checker returns a function that fails t, where it is called, when the
// error it is given is not nil, whatever the value given with it.
func checker(t *testing.T) func(any, error) {
	return func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

// domainChange is a change that the domain makes to a block, named for the
// test that makes it on a working copy.
type domainChange struct {
	name string
	make func(c *thidua.Block) (any, error)
}

// steps returns a change made of several, made in turn until one fails.
func steps(changes ...func(c *thidua.Block) (any, error)) func(c *thidua.Block) (any, error) {
	return func(c *thidua.Block) (any, error) {
		var out any
		for _, ch := range changes {
			var err error
			if out, err = ch(c); err != nil {
				return out, err
			}
		}
		return out, nil
	}
}

// checkChanges makes each change on its own working copy of b for a
// change of parts, and fails t unless the copy changed and b stayed as it
// was, as JSON and behind the ends of its slices, which it first gives room
// behind their ends (see makeRoom) for a copy that wrongly shares them to
// write into.
func checkChanges(t *testing.T, b *thidua.Block, parts thidua.Part, changes []domainChange) {
	t.Helper()
	makeRoom(reflect.ValueOf(b).Elem())
	doc := must(json.Marshal(b))
	if p := writtenPastEnd(reflect.ValueOf(b), "Block"); p != "" {
		t.Fatalf("the original holds something behind the end of %s", p)
	}
	for _, ch := range changes {
		c := working(b, parts)
		if _, err := ch.make(c); err != nil {
			t.Fatalf("%s: %v", ch.name, err)
		}
		if bytes.Equal(must(json.Marshal(c)), doc) {
			t.Fatalf("%s: the copy did not change", ch.name)
		}
		if !bytes.Equal(must(json.Marshal(b)), doc) {
			t.Fatalf("%s: the original changed", ch.name)
		}
		if p := writtenPastEnd(reflect.ValueOf(b), "Block"); p != "" {
			t.Fatalf("%s: the copy wrote behind the end of the original's %s", ch.name, p)
		}
	}
}

// coreBlock returns a block with three units, the first the leader and the
// second the deputy, a representative each for the first two (reps[0] and
// reps[1]), pending requests of reps[2] for the third and of reps[3] for
// the first, and a hundred updates applied; its parts are empty.
func coreBlock(t *testing.T, now time.Time) (*thidua.Block, []thidua.Actor) {
	check := checker(t)
	b, err := thidua.NewBlock("b1", -100, "Khối thi đua số 1", 2026, testAdmin, now)
	check(b, err)
	check(b.AddUnits(testAdmin, []string{"Hội Nông dân tỉnh", "Tỉnh Đoàn", "Hội Cựu chiến binh tỉnh"}, now))
	check(b.SetRole(testAdmin, thidua.RoleLeader, "u1", now))
	check(b.SetRole(testAdmin, thidua.RoleDeputy, "u2", now))
	reps := []thidua.Actor{{UserID: 11, Name: "Lan", Lang: "vi"}, {UserID: 12, Name: "Minh"}, {UserID: 13, Name: "Hà", Lang: "vi"}, {UserID: 14, Name: "Tú", Lang: "en"}}
	for i, u := range []string{"u1", "u2", "u3", "u1"} {
		req, err := b.RequestJoin(reps[i], u, now)
		check(req, err)
		if i < 2 {
			check(b.DecideJoin(testAdmin, req.ID, true, now))
		}
	}
	for id := int64(1); id <= 100; id++ {
		b.MarkApplied(id)
	}
	b.TakeEvents()
	return b, reps
}

// Every change of the core that the domain makes, on a copy for a change
// of no part, leaves the original as it was, behind the ends of its slices
// too, though the copy shares the record of applied updates with it.
func testCoreChanged(t *testing.T) {
	now := time.Date(2026, 3, 20, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	b, reps := coreBlock(t, now)
	r3, r4 := b.Requests[0].ID, b.Requests[1].ID
	checkChanges(t, b, 0, []domainChange{
		{"units added", func(c *thidua.Block) (any, error) {
			return c.AddUnits(testAdmin, []string{"Sở Y tế", "Sở Nội vụ"}, now)
		}},
		{"unit renamed", func(c *thidua.Block) (any, error) { return c.RenameUnit(testAdmin, "2", "Đoàn Thanh niên", now) }},
		{"unit removed with its representative and request", func(c *thidua.Block) (any, error) {
			gone, _, err := c.RemoveUnit(testAdmin, "u1", now)
			return gone, err
		}},
		{"role given", func(c *thidua.Block) (any, error) { return c.SetRole(testAdmin, thidua.RoleDeputy, "u3", now) }},
		{"join requested", func(c *thidua.Block) (any, error) {
			return c.RequestJoin(thidua.Actor{UserID: 15, Name: "Hoa"}, "u2", now)
		}},
		{"join requested again", func(c *thidua.Block) (any, error) { return c.RequestJoin(reps[2], "u2", now) }},
		{"join requested again in another language", func(c *thidua.Block) (any, error) {
			return c.RequestJoin(thidua.Actor{UserID: reps[2].UserID, Name: reps[2].Name, Lang: "en"}, "u3", now)
		}},
		{"join approved", func(c *thidua.Block) (any, error) { return c.DecideJoin(testAdmin, r3, true, now) }},
		{"join rejected", func(c *thidua.Block) (any, error) { return c.DecideJoin(testAdmin, r4, false, now) }},
		{"representative left", func(c *thidua.Block) (any, error) { return c.Leave(reps[0], now) }},
		{"profile updated", func(c *thidua.Block) (any, error) {
			return c.UpdateProfile(thidua.Actor{UserID: reps[1].UserID, Name: "Minh Anh", Username: "minhanh"}), nil
		}},
		{"language updated", func(c *thidua.Block) (any, error) {
			return c.UpdateProfile(thidua.Actor{UserID: reps[0].UserID, Name: reps[0].Name, Lang: "en-US"}), nil
		}},
		{"block renamed", func(c *thidua.Block) (any, error) { return nil, c.Rename(testAdmin, "Khối thi đua số 2", now) }},
		{"update applied", func(c *thidua.Block) (any, error) { c.MarkApplied(1000); return nil, nil }},
		{"updates applied past the record's limit", func(c *thidua.Block) (any, error) {
			for id := int64(1000); id < 1300; id++ {
				c.MarkApplied(id)
			}
			return nil, nil
		}},
	})
}

// electionsBlock returns a block of four units with a representative each
// (reps, in unit order) and elections in every state a change finds them
// in: the leader's first election won by the first unit (its result not
// announced yet), the deputy's first round closed without a majority and
// its runoff open with one ballot, and a second election of the leader
// open with two. It returns the ids of the runoff and of the open leader
// election.
func electionsBlock(t *testing.T, now time.Time) (b *thidua.Block, reps []thidua.Actor, runoff, leader string) {
	check := checker(t)
	b, err := thidua.NewBlock("b1", -100, "Khối thi đua số 1", 2026, testAdmin, now.Add(-time.Hour))
	check(b, err)
	units, err := b.AddUnits(testAdmin, []string{"Hội Nông dân tỉnh", "Tỉnh Đoàn", "Hội Cựu chiến binh tỉnh", "Hội Liên hiệp Phụ nữ tỉnh"}, now.Add(-time.Hour))
	check(units, err)
	for i, u := range units {
		reps = append(reps, thidua.Actor{UserID: int64(11 + i), Name: fmt.Sprintf("Đầu mối %d", i+1)})
		req, err := b.RequestJoin(reps[i], u.ID, now.Add(-time.Hour))
		check(req, err)
		check(b.DecideJoin(testAdmin, req.ID, true, now.Add(-time.Hour)))
	}
	vote := func(e thidua.Election, votes map[int]int, at time.Time) {
		t.Helper()
		for rep, unit := range votes {
			check(b.Vote(reps[rep], e.ID, units[unit].ID, fmt.Sprintf("%s-%d", e.ID, rep), at))
		}
	}
	e1, err := b.OpenElection(testAdmin, thidua.ElectionSpec{Role: thidua.RoleLeader}, now)
	check(e1, err)
	vote(e1, map[int]int{0: 0, 1: 0, 2: 1}, now.Add(30*time.Minute))
	check(b.CloseElection(testAdmin, e1.ID, now.Add(time.Hour)))
	e2, err := b.OpenElection(testAdmin, thidua.ElectionSpec{Role: thidua.RoleDeputy, Secret: true}, now.Add(time.Hour))
	check(e2, err)
	vote(e2, map[int]int{0: 1, 1: 2, 2: 3}, now.Add(90*time.Minute))
	closing, err := b.CloseElection(testAdmin, e2.ID, now.Add(2*time.Hour))
	check(closing, err)
	vote(*closing.Runoff, map[int]int{0: 1}, now.Add(150*time.Minute))
	e4, err := b.OpenElection(testAdmin, thidua.ElectionSpec{Role: thidua.RoleLeader, Confirmed: e1.ID}, now.Add(2*time.Hour)) // over the unit e1 elected
	check(e4, err)
	vote(e4, map[int]int{1: 0, 2: 1}, now.Add(150*time.Minute))
	var states []thidua.ElectionState
	for _, e := range b.Elections.List {
		states = append(states, e.State)
	}
	if want := []thidua.ElectionState{thidua.ElectionWon, thidua.ElectionRunoff, thidua.ElectionOpen, thidua.ElectionOpen}; !slices.Equal(states, want) || len(b.Elections.Elected) != 1 {
		t.Fatalf("elections in states %q, %d units elected; want %q, 1", states, len(b.Elections.Elected), want)
	}
	b.TakeEvents()
	return b, reps, closing.Runoff.ID, e4.ID
}

// Every change of the elections that the domain makes, on a copy for a
// change of the elections, leaves the original as it was, behind the ends
// of its slices too, though the copy shares elections' candidates, rolls
// and results, and the units elected, with it.
func testElectionsChanged(t *testing.T) {
	now := time.Date(2026, 11, 16, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	b, reps, runoff, leader := electionsBlock(t, now)
	at := now.Add(3 * time.Hour)
	vote := func(rep int, id, unit, receipt string) func(c *thidua.Block) (any, error) {
		return func(c *thidua.Block) (any, error) { return c.Vote(reps[rep], id, unit, receipt, at) }
	}
	closeByHand := func(id string) func(c *thidua.Block) (any, error) {
		return func(c *thidua.Block) (any, error) { return c.CloseElection(testAdmin, id, at) }
	}
	checkChanges(t, b, thidua.PartElections, []domainChange{
		{"vote", vote(3, leader, "u3", "V1")},
		{"vote changed", vote(1, leader, "u2", "V2")},
		{"vote in the runoff", vote(1, runoff, "u3", "V3")},
		{"vote in the runoff changed", vote(0, runoff, "u4", "V4")},
		{"closed by hand without quorum", closeByHand(leader)},
		{"closed on time", func(c *thidua.Block) (any, error) { return c.CloseDueElections(now.Add(48 * time.Hour)), nil }},
		{"ballot message noted", func(c *thidua.Block) (any, error) { return nil, c.SetBallotMessage(leader, 77) }},
		{"result announced", func(c *thidua.Block) (any, error) { return nil, c.MarkAnnounced(c.Elections.List[0].ID) }},
		{"runoff won, then the winner elected to the other office too by the last ballot", steps(
			vote(1, runoff, "u2", "V5"), vote(2, runoff, "u2", "V6"), closeByHand(runoff),
			vote(0, leader, "u2", "V7"), func(c *thidua.Block) (any, error) {
				out, err := c.Vote(reps[3], leader, "u2", "V8", at)
				if err == nil && (out.Closing == nil || out.Closing.Vacated == nil) {
					err = errors.New("the last ballot did not elect the deputy-elect leader")
				}
				return out, err
			})},
		{"runoff tied and decided", steps(
			vote(1, runoff, "u3", "V9"), vote(2, runoff, "u4", "V10"), closeByHand(runoff),
			func(c *thidua.Block) (any, error) { return c.DecideElection(testAdmin, runoff, "u3", at) })},
		{"election opened and voted in", steps(closeByHand(leader),
			func(c *thidua.Block) (any, error) {
				return c.OpenElection(testAdmin, thidua.ElectionSpec{Role: thidua.RoleLeader, Candidates: []string{"u3", "u4"}, Confirmed: leader}, at)
			},
			func(c *thidua.Block) (any, error) {
				return c.Vote(reps[0], c.Elections.List[len(c.Elections.List)-1].ID, "u4", "V11", at)
			})},
	})
}

// reportingBlock returns a block in the middle of its first reporting
// period: two units with a representative each (reps) and two pledges
// each, two periods, both units' reports for the first, one resubmitted
// and with evidence (a file of an album), and a draft of the other's
// under way.
func reportingBlock(t *testing.T, now time.Time) (*thidua.Block, []thidua.Actor) {
	check := checker(t)
	b, err := thidua.NewBlock("b1", -100, "Khối thi đua số 1", 2026, testAdmin, now)
	check(b, err)
	units, err := b.AddUnits(testAdmin, []string{"Hội Nông dân tỉnh", "Tỉnh Đoàn"}, now)
	check(units, err)
	check(nil, b.OpenRegistration(testAdmin, time.Time{}, now))
	var pledges []thidua.PledgeDraft
	for _, s := range []string{"Phát triển hội viên | 1.200 hội viên | 15/12", "Xây nhà đại đoàn kết | 50 nhà | 30/11"} {
		d, err := thidua.ParsePledge(s, b.Year, now.Location())
		check(d, err)
		pledges = append(pledges, d)
	}
	var periods []thidua.PeriodDraft
	for _, s := range []string{"Quý I | 31/03", "6 tháng | 30/06"} {
		d, err := thidua.ParsePeriod(s, b.Year, now.Location())
		check(d, err)
		periods = append(periods, d)
	}
	check(b.AddPeriods(testAdmin, periods, now))
	q1 := b.Results.Periods[0].ID
	reps := []thidua.Actor{{UserID: 11, Name: "Lan"}, {UserID: 12, Name: "Minh"}}
	for i, u := range units {
		req, err := b.RequestJoin(reps[i], u.ID, now)
		check(req, err)
		check(b.DecideJoin(testAdmin, req.ID, true, now))
		check(b.AddPledges(testAdmin, u.ID, pledges, now))
		check(b.SubmitReport(reps[i], u.ID, q1, []thidua.ReportLine{{No: 1, Value: thidua.Value{Number: 300}}, {No: 2, Value: thidua.Value{Number: 10}}}, now))
	}
	check(b.SubmitReport(reps[0], units[0].ID, q1, []thidua.ReportLine{{No: 1, Value: thidua.Value{Number: 320}}}, now))
	check(b.AttachEvidence(reps[0], units[0].ID, q1, thidua.Evidence{FileID: "f1", Kind: thidua.EvidencePhoto, Album: "a1"}, now))
	check(b.StartDraft(reps[1], units[1].ID, q1, "", now))
	b.TakeEvents()
	b.TakeChangedReports()
	return b, reps
}

// makeRoom gives every slice reachable from v, which must be settable, room
// for one more element behind its end.
func makeRoom(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			makeRoom(v.Elem())
		}
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		s := reflect.MakeSlice(v.Type(), v.Len(), v.Len()+1)
		reflect.Copy(s, v)
		for i := range s.Len() {
			makeRoom(s.Index(i))
		}
		v.Set(s)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				makeRoom(v.Field(i))
			}
		}
	}
}

// writtenPastEnd returns the first place, as a path, where a slice
// reachable from v holds something that is not zero behind its end, or "".
func writtenPastEnd(v reflect.Value, path string) string {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			return writtenPastEnd(v.Elem(), path)
		}
	case reflect.Slice:
		for i := v.Len(); i < v.Cap(); i++ {
			if !v.Slice(0, v.Cap()).Index(i).IsZero() {
				return path
			}
		}
		for i := range v.Len() {
			if p := writtenPastEnd(v.Index(i), path+"[]"); p != "" {
				return p
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				if p := writtenPastEnd(v.Field(i), path+"."+f.Name); p != "" {
					return p
				}
			}
		}
	}
	return ""
}

// Every change of the results that the domain makes, on a copy for a
// change of the results, leaves the original as it was, behind the ends
// of its slices too, though the copy shares a report's slices with it.
func testResultsChanged(t *testing.T) {
	now := time.Date(2026, 3, 20, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	b, reps := reportingBlock(t, now)
	u1, u2, q1 := b.Units[0].ID, b.Units[1].ID, b.Results.Periods[0].ID
	q2, draft := b.Results.Periods[1].ID, b.Results.Drafts[0].ID
	checkChanges(t, b, thidua.PartResults, []domainChange{
		{"report resubmitted", func(c *thidua.Block) (any, error) {
			return c.SubmitReport(reps[0], u1, q1, []thidua.ReportLine{{No: 2, Value: thidua.Value{Number: 12}}}, now)
		}},
		{"first report for a period", func(c *thidua.Block) (any, error) {
			return c.SubmitReport(reps[0], u1, q2, []thidua.ReportLine{{No: 1, Value: thidua.Value{Number: 500}}}, now)
		}},
		{"evidence attached", func(c *thidua.Block) (any, error) {
			return c.AttachEvidence(reps[0], u1, q1, thidua.Evidence{FileID: "f2", Kind: thidua.EvidenceDocument, Name: "biên bản.pdf"}, now)
		}},
		{"album answered", func(c *thidua.Block) (any, error) { return nil, c.SetAlbumAnswer(u1, q1, "a1", 700) }},
		{"draft answered", func(c *thidua.Block) (any, error) {
			return c.AnswerDraft(reps[1], draft, 0, thidua.Value{Number: 50, Percent: true}, true, "")
		}},
		{"draft moved", func(c *thidua.Block) (any, error) { return c.MoveDraft(reps[1], draft, 0, 1) }},
		{"draft message", func(c *thidua.Block) (any, error) { return nil, c.SetDraftMessage(draft, 600) }},
		{"draft submitted", func(c *thidua.Block) (any, error) { return c.SubmitDraft(reps[1], draft, now) }},
		{"draft cancelled", func(c *thidua.Block) (any, error) { return c.CancelDraft(reps[1], draft) }},
		{"draft started again", func(c *thidua.Block) (any, error) { return c.StartDraft(reps[1], u2, q1, "", now) }},
		{"period moved", func(c *thidua.Block) (any, error) {
			_, after, err := c.EditPeriod(testAdmin, q2, thidua.PeriodDraft{Due: time.Date(2026, 2, 28, 0, 0, 0, 0, now.Location())}, now)
			return after, err
		}},
		{"period added", func(c *thidua.Block) (any, error) {
			return c.AddPeriods(testAdmin, []thidua.PeriodDraft{{Name: "Tháng 2", Due: time.Date(2026, 2, 28, 0, 0, 0, 0, now.Location())}}, now)
		}},
		{"period deleted with its reports", func(c *thidua.Block) (any, error) {
			_, n, err := c.DeletePeriod(testAdmin, q1, true, now)
			return n, err
		}},
	})
}

// copyResults handles every field of the results part that holds
// references: a field added to thidua.Results or a type in it fails this
// test until copyResults copies it (or shares it clipped, for a report's
// slice that the domain only ever replaces or appends to, tagged
// copy:"append-only") and the list below names it.
func TestCopyResults(t *testing.T) {
	checkHandCopy(t, "copyResults", "Results", copyResults, []string{
		"Results.Periods",
		"Results.Reports",
		"Results.Reports[].Submission.Entries (shared)",
		"Results.Reports[].Evidence (shared)",
		"Results.Reports[].Earlier (shared)",
		"Results.Reports[].Earlier[].Entries (shared)",
		"Results.Drafts",
		"Results.Drafts[].Pledges",
		"Results.Drafts[].Entries",
	})
}

// copyCore handles every field of the core that holds references: a field
// added to thidua.Block but for its parts, or to a type in it, fails this
// test until copyCore copies it (or shares it clipped, for a slice that
// the domain only ever replaces or appends to, tagged copy:"append-only")
// and the list below names it. The pending events and the units whose
// reports changed are shared with the copy on purpose (see working).
func TestCopyCore(t *testing.T) {
	var refs []string
	b := new(thidua.Block)
	v, parts := reflect.ValueOf(b).Elem(), b.Parts()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !slices.ContainsFunc(parts[:], func(p any) bool { return reflect.ValueOf(p).Pointer() == v.Field(i).UnsafeAddr() }) {
			referencePaths(f.Type, "Block."+f.Name, f.Tag, &refs)
		}
	}
	checkReferences(t, "copyCore", refs, []string{
		"Block.Units",
		"Block.Units[].Former (shared)",
		"Block.Reps",
		"Block.Requests",
		"Block.Removed (shared)",
		"Block.Applied (shared)",
		"Block.Menus.Holders (shared)",
		"Block.events",
		"Block.reportsChanged",
	})
	fill(v, 0)
	c := copyCore(b)
	checkCopied(t, coreOf(b), coreOf(c), "Block")
	if !reflect.DeepEqual(b, c) {
		t.Fatal("the copy of the core differs from the original in its parts")
	}
	if &c.Elections.List[0] != &b.Elections.List[0] || &c.Results.Periods[0] != &b.Results.Periods[0] {
		t.Error("the copy of the core copied parts")
	}
}

// copyElections handles every field of the elections part that holds
// references: a field added to thidua.Elections or a type in it fails this
// test until copyElections copies it (or shares it, for a slice that the
// domain only ever replaces or appends to, tagged copy:"append-only", or a
// pointer it only ever replaces, tagged copy:"replaced") and the list
// below names it.
func TestCopyElections(t *testing.T) {
	checkHandCopy(t, "copyElections", "Elections", copyElections, []string{
		"Elections.List",
		"Elections.List[].Candidates (shared)",
		"Elections.List[].Roll (shared)",
		"Elections.List[].Ballots",
		"Elections.List[].Result (shared)",
		"Elections.List[].Result.Tally",
		"Elections.List[].Result.Tied",
		"Elections.Elected (shared)",
	})
}

// checkHandCopy fails t unless want lists the places holding references
// in values of type T, named name (see referencePaths), those that the
// hand-written copy named copier handles, and unless copier copies a
// value filled with every field (see fill) as checkCopied requires.
func checkHandCopy[T any](t *testing.T, copier, name string, copyOf func(*T) T, want []string) {
	t.Helper()
	var refs []string
	referencePaths(reflect.TypeFor[T](), name, "", &refs)
	checkReferences(t, copier, refs, want)
	v := new(T)
	fill(reflect.ValueOf(v).Elem(), 0)
	c := copyOf(v)
	checkCopied(t, v, &c, name)
}

// checkReferences fails t unless refs, the places holding references in
// what the hand-written copy named copier copies (see referencePaths), are
// want, those it handles.
func checkReferences(t *testing.T, copier string, refs, want []string) {
	t.Helper()
	if !slices.Equal(refs, want) {
		t.Fatalf("the fields holding references are\n%q\nwhich %s may not handle: it handles\n%q", refs, copier, want)
	}
}

// checkCopied fails t unless c, a hand-written copy of orig, equals it and
// shares nothing with it that a change may modify in place (see shared);
// path names orig's type in failures.
func checkCopied(t *testing.T, orig, c any, path string) {
	t.Helper()
	if !reflect.DeepEqual(orig, c) {
		t.Fatal("the copy differs from the original")
	}
	if p := shared(reflect.ValueOf(orig), reflect.ValueOf(c), path); p != "" {
		t.Fatalf("the copy shares %s with the original", p)
	}
}

// referencePaths lists, as paths under path, the places in values of type
// t that hold references, unexported ones included: each slice, map,
// pointer and interface, marked "(shared)" when tag is copy:"append-only"
// or copy:"replaced", and those inside the values they refer to, shared
// or not, so that a field added anywhere changes the list.
func referencePaths(t reflect.Type, path string, tag reflect.StructTag, out *[]string) {
	switch t.Kind() {
	case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface:
		if c := tag.Get("copy"); c == "append-only" || c == "replaced" {
			*out = append(*out, path+" (shared)")
		} else {
			*out = append(*out, path)
		}
		switch t.Kind() {
		case reflect.Map:
			referencePaths(t.Key(), path+"[k]", "", out)
			referencePaths(t.Elem(), path+"[]", "", out)
		case reflect.Slice:
			referencePaths(t.Elem(), path+"[]", "", out)
		case reflect.Pointer:
			referencePaths(t.Elem(), path, "", out)
		}
	case reflect.Array:
		referencePaths(t.Elem(), path+"[]", "", out)
	case reflect.Struct:
		if t == timeType {
			return
		}
		for i := range t.NumField() {
			f := t.Field(i)
			referencePaths(f.Type, path+"."+f.Name, f.Tag, out)
		}
	}
}

// fieldsOf turns a list of fields and values, as given to HSET, into the
// map HGETALL gives.
func fieldsOf(list []any) map[string]string {
	fields := map[string]string{}
	for i := 0; i < len(list); i += 2 {
		switch v := list[i+1].(type) {
		case string:
			fields[list[i].(string)] = v
		case []byte:
			fields[list[i].(string)] = string(v)
		}
	}
	return fields
}

// threeReports returns a block of the current schema with every field set
// (see fill) and three reports, in the order of their keys: two of unit u1
// and one of u2.
func threeReports() *thidua.Block {
	b := new(thidua.Block)
	fill(reflect.ValueOf(b).Elem(), 0)
	b.Schema = thidua.SchemaVersion
	r := b.Results.Reports[0]
	b.Results.Reports = []thidua.Report{r, r, r}
	b.Results.Reports[0].UnitID, b.Results.Reports[1].UnitID, b.Results.Reports[2].UnitID = "u1", "u1", "u2"
	b.Results.Reports[1].PeriodID = "p2" // after the others' period id
	return b
}

// A block encoded as the fields of its document and decoded from them is
// the block, whichever parts are empty; so it is when the encoding reuses
// what an update did not change: other parts, other reports. A change
// writes only what it changed: not a part it declared but left as it was,
// nor a report it noted but left as it was; a report removed, it deletes.
func TestEncodeBlock(t *testing.T) {
	full := threeReports()
	keys := []thidua.ReportKey{full.Results.Reports[0].Key(), full.Results.Reports[1].Key(), full.Results.Reports[2].Key()}
	decodes := func(what string, enc *encoding, b *thidua.Block) {
		t.Helper()
		want, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := decodeFields(b.ID, fieldsOf(enc.all(b.Version)))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if doc, _ := json.Marshal(got); !bytes.Equal(doc, want) {
			t.Fatalf("%s: decoded\n%s\nwant\n%s", what, doc, want)
		}
	}
	for empty := range thidua.AllParts + 1 {
		b := working(full, thidua.AllParts)
		for i, p := range b.Parts() {
			if empty&(1<<i) != 0 {
				reflect.ValueOf(p).Elem().SetZero()
			}
		}
		enc, d, err := encodeBlock(b, nil, thidua.AllParts, nil)
		if err != nil {
			t.Fatal(err)
		}
		decodes(fmt.Sprintf("parts %05b empty", empty), enc, b)
		for i := range enc.parts {
			if (enc.parts[i] == nil) != (empty&(1<<i) != 0) {
				t.Errorf("parts %05b empty: part %d encoded as %q", empty, i, enc.parts[i])
			}
		}
		hasReports := empty&thidua.PartResults == 0
		want := keys[:0] // an empty results part holds no report
		if hasReports {
			want = keys
		}
		if !slices.Equal(d.reports, want) || !slices.Equal(enc.reports.keys, want) || len(enc.reports.json) != len(want) {
			t.Errorf("parts %05b empty: reports %v written, %v encoded", empty, d.reports, enc.reports.keys)
		}
		again, d, err := encodeBlock(b, enc, thidua.PartElections, nil)
		if err != nil || d.parts != 0 || d.reports != nil || d.earlier != nil {
			t.Fatalf("parts %05b empty, encodings reused: %v, %+v written", empty, err, d)
		}
		decodes(fmt.Sprintf("parts %05b empty, encodings reused", empty), again, b)
		if !hasReports {
			continue
		}
		c := working(b, thidua.PartResults)
		c.Results.Reports[2].Revision++
		one, d, err := encodeBlock(c, enc, thidua.PartResults, keys[2:])
		if err != nil || d.parts != 0 || !slices.Equal(d.reports, keys[2:]) || &one.reports.json[0][0] != &enc.reports.json[0][0] || &one.reports.keys[0] != &enc.reports.keys[0] {
			t.Fatalf("parts %05b empty, one report changed: %v, %+v written", empty, err, d)
		}
		if res := bits.TrailingZeros(uint(thidua.PartResults)); &one.parts[res][0] != &enc.parts[res][0] {
			t.Errorf("parts %05b empty, one report changed: the results part, unchanged, was copied", empty)
		}
		decodes(fmt.Sprintf("parts %05b empty, one report changed", empty), one, c)
		if _, d, err = encodeBlock(b, enc, thidua.PartResults, keys[:1]); err != nil || d.parts != 0 || d.reports != nil {
			t.Fatalf("parts %05b empty, a report noted but left as it was: %v, %+v written", empty, err, d)
		}
		c = working(b, thidua.PartResults)
		c.Results.Reports = slices.Delete(c.Results.Reports, 0, 1)
		gone, d, err := encodeBlock(c, enc, thidua.PartResults, keys[:1])
		if _, del := gone.changes(c.Version, d); err != nil || !slices.Equal(d.reports, keys[:1]) || !slices.Equal(del, []any{reportField(keys[0])}) {
			t.Fatalf("parts %05b empty, a report removed: %v, %+v written, %q deleted", empty, err, d, del)
		}
		decodes(fmt.Sprintf("parts %05b empty, a report removed", empty), gone, c)
	}
}

// earlierFields returns the fields of the document of b, which holds the
// reports of units u1 and u2, in the layout of an earlier release: each
// unit's reports in a field "reports:" and the unit's id, in the reverse
// of their order (schema 3), or, with inResults, every report in the
// results part, so ordered (before schema 3).
func earlierFields(t *testing.T, b *thidua.Block, inResults bool) map[string]string {
	t.Helper()
	enc, _, err := encodeBlock(b, nil, thidua.AllParts, nil)
	if err != nil {
		t.Fatal(err)
	}
	fields := fieldsOf(enc.all(b.Version))
	for _, k := range enc.reports.keys {
		delete(fields, reportField(k))
	}
	reversed := slices.Clone(b.Results.Reports)
	slices.Reverse(reversed)
	if inResults {
		res := b.Results
		res.Reports = reversed
		fields["results"] = string(must(json.Marshal(&res)))
		return fields
	}
	for _, u := range []string{"u1", "u2"} {
		var list []thidua.Report
		for _, r := range reversed {
			if r.UnitID == u {
				list = append(list, r)
			}
		}
		fields[unitReportsPrefix+u] = string(must(json.Marshal(list)))
	}
	return fields
}

// A document of an earlier layout is read whole, its reports in the order
// of their keys. One whose results part holds every report is converted by
// its next change, whatever it changes: the results part is written
// without them and every report in its own field. One that keeps each
// unit's reports in a field is converted unit by unit: a change of a
// unit's report writes all the unit's reports and deletes its field.
func TestEncodeBlockOfEarlierLayout(t *testing.T) {
	b := threeReports()
	want := must(json.Marshal(b))

	got, earlier, err := decodeFields(b.ID, earlierFields(t, b, true))
	if err != nil || !earlier.inResults || earlier.unitFields != nil {
		t.Fatalf("the results layout decoded: %v, %+v", err, earlier)
	}
	if doc := must(json.Marshal(got)); !bytes.Equal(doc, want) {
		t.Fatalf("the results layout decoded\n%s\nwant\n%s", doc, want)
	}
	c := working(got, thidua.PartElections)
	c.Elections.Elected = nil
	later, d, err := encodeBlock(c, earlier, thidua.PartElections, nil)
	if err != nil || d.parts != thidua.PartElections|thidua.PartResults || len(d.reports) != 3 || later.inResults {
		t.Fatalf("the first change of the results layout: %v, %+v written", err, d)
	}
	if set, _ := later.changes(c.Version, d); strings.Contains(fieldsOf(set)["results"], `"reports"`) {
		t.Fatalf("the first change of the results layout writes the results %s", fieldsOf(set)["results"])
	}

	got, earlier, err = decodeFields(b.ID, earlierFields(t, b, false))
	if err != nil || earlier.inResults || !slices.Equal(earlier.unitFields, []string{"u1", "u2"}) {
		t.Fatalf("the units layout decoded: %v, %+v", err, earlier)
	}
	if doc := must(json.Marshal(got)); !bytes.Equal(doc, want) {
		t.Fatalf("the units layout decoded\n%s\nwant\n%s", doc, want)
	}
	c = working(got, thidua.PartResults)
	c.Results.Reports[0].Revision++
	later, d, err = encodeBlock(c, earlier, thidua.PartResults, []thidua.ReportKey{c.Results.Reports[0].Key()})
	u1 := []thidua.ReportKey{c.Results.Reports[0].Key(), c.Results.Reports[1].Key()}
	if err != nil || d.parts != 0 || !slices.Equal(d.reports, u1) || !slices.Equal(d.earlier, []string{unitReportsPrefix + "u1"}) || !slices.Equal(later.unitFields, []string{"u2"}) {
		t.Fatalf("a change of a report of u1 in the units layout: %v, %+v written, units %q left", err, d, later.unitFields)
	}
	if later.all(c.Version); !slices.Equal(earlier.unitFields, []string{"u1", "u2"}) {
		t.Fatal("the change changed the encoding it started from")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func BenchmarkWorkingCopy(b *testing.B) {
	blk := new(thidua.Block)
	fill(reflect.ValueOf(blk).Elem(), 0)
	b.ReportAllocs()
	for b.Loop() {
		working(blk, thidua.AllParts)
	}
}
