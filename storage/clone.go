package storage

import (
	"reflect"
	"slices"
	"sync"
	"time"

	"thiduabot/thidua"
)

// working returns the copy of the stored block m that an update changes:
// its core and the parts in changed are copies, deep but for what they
// share with m that the domain never changes in place (see copyCore,
// copyElections, copyResults), so that changing them never changes m; the
// other parts are m's own, which the update must leave alone (see
// Store.UpdateParts). m's pending events and its list of the reports that
// changed, which the cache never holds, are shared with the copy.
//
// The Redis store keeps recently used blocks decoded (see blockCache) and
// starts each update from such a copy, which is some twenty times cheaper
// than decoding the document again, and cheaper still for the parts it does
// not copy.
func working(m *thidua.Block, changed thidua.Part) *thidua.Block {
	w := copyCore(m)
	from, to := m.Parts(), w.Parts()
	for i := range to {
		switch part := thidua.Part(1 << i); {
		case changed&part == 0:
		case part == thidua.PartResults:
			w.Results = copyResults(&m.Results)
		case part == thidua.PartElections:
			w.Elections = copyElections(&m.Elections)
		default:
			deepCopy(reflect.ValueOf(to[i]).Elem(), reflect.ValueOf(from[i]).Elem())
		}
	}
	return w
}

// copyCore returns a copy of m whose core (all but its parts) a change may
// modify without modifying m's, copying no more than the domain's changes
// of the core (thidua's block.go) require; its parts, its pending events
// and its list of the reports that changed are m's. The domain sets,
// filters and deletes units, representatives and join requests in place,
// so the copy has arrays of its own for them (their elements hold no
// references). But it only ever appends to the record of applied updates
// or replaces it (the field tagged `copy:"append-only"`), so the copy
// shares that with m, clipped to its length, so that appending to the
// copy's allocates anew instead of writing past the end of m's; and the
// handlers only ever replace the holders of the record of command menus,
// as the domain does the list of units removed and each unit's former
// names (tagged `copy:"replaced"`), which the copy shares as they are.
// TestCopyCore fails when a field is added to the core that copyCore does
// not handle.
func copyCore(m *thidua.Block) *thidua.Block {
	c := *m
	c.Units = slices.Clone(m.Units)
	c.Reps = slices.Clone(m.Reps)
	c.Requests = slices.Clone(m.Requests)
	c.Applied = slices.Clip(m.Applied)
	return &c
}

// copyResults returns a copy of the results part res that a change may
// modify without modifying res, copying no more than the domain's changes
// of the results (thidua's results.go and results_draft.go) require. They
// set, insert, delete and sort periods, reports and drafts in place, so the
// copy has arrays of its own; and they change a draft's entries in place,
// so those are copied too, with its pledges. But they only ever replace a
// report's slices or append to them (the fields tagged
// `copy:"append-only"`: its entries, evidence and earlier submissions), so
// the copy shares those with res, clipped to their length, so that
// appending to the copy's allocates anew instead of writing past the end of
// res's. This spares copying every report's values when one unit reports.
// TestCopyResults fails when a field is added that copyResults does not
// handle.
func copyResults(res *thidua.Results) thidua.Results {
	c := *res
	c.Periods = slices.Clone(res.Periods)
	c.Reports = slices.Clone(res.Reports)
	for i := range c.Reports {
		r := &c.Reports[i]
		r.Entries, r.Evidence, r.Earlier = slices.Clip(r.Entries), slices.Clip(r.Evidence), slices.Clip(r.Earlier)
	}
	c.Drafts = slices.Clone(res.Drafts)
	for i := range c.Drafts {
		d := &c.Drafts[i]
		d.Pledges, d.Entries = slices.Clone(d.Pledges), slices.Clone(d.Entries)
	}
	return c
}

// copyElections returns a copy of the elections part el that a change may
// modify without modifying el, copying no more than the domain's changes
// of the elections (thidua's election.go) require. They append elections
// and change them in place (their state, closing, result, winner, ballot
// message), so the copy has an array of elections of its own; and a press
// replaces its unit's ballot in place, so every election's ballots are
// copied too. But they only ever replace an election's result, and the
// list of units elected, and never change an election's candidates or
// roll (the fields tagged `copy:"append-only"` or `copy:"replaced"`), so
// the copy shares those with el, its slices clipped to their length, so
// that appending to the copy's allocates anew instead of writing past the
// end of el's. TestCopyElections fails when a field is added that
// copyElections does not handle.
func copyElections(el *thidua.Elections) thidua.Elections {
	c := *el
	c.List = slices.Clone(el.List)
	for i := range c.List {
		e := &c.List[i]
		e.Candidates, e.Roll, e.Ballots = slices.Clip(e.Candidates), slices.Clip(e.Roll), slices.Clone(e.Ballots)
	}
	c.Elected = slices.Clip(el.Elected)
	return c
}

// copyPlan says how to copy values of one type: by assignment (a value
// holding no references, or a time.Time, whose location is never modified),
// or deeply, and for a struct which exported fields need a deep copy.
type copyPlan struct {
	deep   bool
	fields []int
}

// copyPlans caches a copyPlan per reflect.Type.
var copyPlans sync.Map

var timeType = reflect.TypeFor[time.Time]()

// planOf returns the copyPlan of t. Unexported fields are copied by
// assignment (reflection cannot set them); TestWorkingCopy checks which of
// them hold references.
func planOf(t reflect.Type) *copyPlan {
	if p, ok := copyPlans.Load(t); ok {
		return p.(*copyPlan)
	}
	p := &copyPlan{}
	switch t.Kind() {
	case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface:
		p.deep = true
	case reflect.Array:
		p.deep = planOf(t.Elem()).deep
	case reflect.Struct:
		if t == timeType {
			break
		}
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && planOf(f.Type).deep {
				p.fields = append(p.fields, i)
			}
		}
		p.deep = len(p.fields) > 0
	}
	actual, _ := copyPlans.LoadOrStore(t, p)
	return actual.(*copyPlan)
}

// deepCopy sets dst, which must be settable, to a deep copy of src.
func deepCopy(dst, src reflect.Value) {
	t := src.Type()
	p := planOf(t)
	if !p.deep {
		dst.Set(src)
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		n := reflect.New(t.Elem())
		deepCopy(n.Elem(), src.Elem())
		dst.Set(n)
	case reflect.Slice:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		n := reflect.MakeSlice(t, src.Len(), src.Len())
		if planOf(t.Elem()).deep {
			for i := range src.Len() {
				deepCopy(n.Index(i), src.Index(i))
			}
		} else {
			reflect.Copy(n, src)
		}
		dst.Set(n)
	case reflect.Map:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		n := reflect.MakeMapWithSize(t, src.Len())
		for it := src.MapRange(); it.Next(); {
			v := reflect.New(t.Elem()).Elem()
			deepCopy(v, it.Value())
			n.SetMapIndex(it.Key(), v)
		}
		dst.Set(n)
	case reflect.Interface:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		v := reflect.New(src.Elem().Type()).Elem()
		deepCopy(v, src.Elem())
		dst.Set(v)
	case reflect.Array:
		for i := range src.Len() {
			deepCopy(dst.Index(i), src.Index(i))
		}
	case reflect.Struct:
		dst.Set(src)
		for _, i := range p.fields {
			deepCopy(dst.Field(i), src.Field(i))
		}
	}
}
