package storage

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"thiduabot/thidua"
)

// This file holds how the Redis store lays a block out in the fields of its
// document, a hash (see Redis), and reads it back.

// encoding is a block encoded as the fields of its document: "core", the
// block's JSON without its parts (thidua.Part); one field per part that is
// not empty, named as the part in the block's JSON; and one field per unit
// that has reports, "reports:" and the unit's id, the JSON array of its
// reports, which the results part leaves out. A report, the most frequent
// change of a big block, thus writes one unit's reports, not every unit's.
type encoding struct {
	core  []byte
	parts [thidua.NumParts][]byte // nil for an empty part
	// reports holds each unit's reports by unit id; it is nil for a
	// document written before reports had fields of their own, whose
	// results part still holds them all.
	reports map[string][]byte
}

// reportsField prefixes the field of a unit's reports.
const reportsField = "reports:"

// partNames are the JSON names of the block's parts, in the order of
// thidua.Block.Parts, as their fields' tags give them.
var partNames = func() (names [thidua.NumParts]string) {
	var b thidua.Block
	v := reflect.ValueOf(&b).Elem()
	for i, p := range b.Parts() {
		for f := range v.NumField() {
			if v.Type().Field(f).IsExported() && v.Field(f).Addr().Interface() == p {
				names[i], _, _ = strings.Cut(v.Type().Field(f).Tag.Get("json"), ",")
			}
		}
	}
	return names
}()

// encodeBlock encodes block b. From known, when not nil, the encoding of
// the block b was changed from, it reuses the parts not in changed and,
// when changed holds the results, the reports of the units not in units
// (those whose reports changed, thidua.Block.TakeChangedReports). It also
// returns the units whose reports' fields are to be written: units, or,
// when the results changed in a document that kept every unit's reports in
// its results part, every unit.
func encodeBlock(b *thidua.Block, known *encoding, changed thidua.Part, units []string) (*encoding, []string, error) {
	e := new(encoding)
	var err error
	if e.core, err = marshalCore(b); err != nil {
		return nil, nil, fmt.Errorf("storage: block %s: encode document: %w", b.ID, err)
	}
	for i, p := range b.Parts() {
		if changed&(1<<i) == 0 && known != nil {
			e.parts[i] = known.parts[i]
			continue
		}
		if thidua.Part(1<<i) == thidua.PartResults {
			res := b.Results
			res.Reports = nil
			p = &res
		}
		if reflect.ValueOf(p).Elem().IsZero() { // left out (omitzero)
			continue
		}
		if e.parts[i], err = marshalPart(p); err != nil {
			return nil, nil, fmt.Errorf("storage: block %s: encode %s: %w", b.ID, partNames[i], err)
		}
	}
	switch {
	case known != nil && (changed&thidua.PartResults == 0 || known.reports != nil && len(units) == 0):
		e.reports = known.reports
		return e, nil, nil
	case known != nil && known.reports != nil:
		e.reports = maps.Clone(known.reports)
	default:
		e.reports = map[string][]byte{}
		units = nil
		for _, r := range b.Results.Reports {
			if !slices.Contains(units, r.UnitID) {
				units = append(units, r.UnitID)
			}
		}
	}
	for _, u := range units {
		var list []thidua.Report
		for _, r := range b.Results.Reports {
			if r.UnitID == u {
				list = append(list, r)
			}
		}
		delete(e.reports, u)
		if list == nil {
			continue
		}
		if e.reports[u], err = marshalReports(list); err != nil {
			return nil, nil, fmt.Errorf("storage: block %s: encode the reports of unit %s: %w", b.ID, u, err)
		}
	}
	return e, units, nil
}

// size returns the length of the document's fields.
func (e *encoding) size() int {
	n := len(e.core)
	for _, p := range e.parts {
		n += len(p)
	}
	for _, r := range e.reports {
		n += len(r)
	}
	return n
}

// all lists every field of the document with its value, for HSET, the
// block's version first.
func (e *encoding) all(version int64) []any {
	units := slices.Sorted(maps.Keys(e.reports))
	set, _ := e.changes(version, thidua.AllParts, units)
	return set
}

// changes lists, for HSET, the fields that a change of the parts in changed
// and of the reports of the units in units (see encodeBlock) sets, with
// their values, the block's version and core first; and, for HDEL, those it
// deletes, which became empty.
func (e *encoding) changes(version int64, changed thidua.Part, units []string) (set, del []any) {
	set = make([]any, 0, 4+2*len(e.parts)+2*len(units))
	set = append(set, "version", strconv.FormatInt(version, 10), "core", e.core)
	for i, p := range e.parts {
		switch {
		case changed&(1<<i) == 0:
		case p == nil:
			del = append(del, partNames[i])
		default:
			set = append(set, partNames[i], p)
		}
	}
	for _, u := range units {
		if r, ok := e.reports[u]; ok {
			set = append(set, reportsField+u, r)
		} else {
			del = append(del, reportsField+u)
		}
	}
	return set, del
}

// decodeFields decodes block id from its document's fields, as HGETALL
// gives them, and returns it with their encoding. It returns ErrNotFound if
// there are none.
func decodeFields(id string, fields map[string]string) (*thidua.Block, *encoding, error) {
	core, ok := fields["core"]
	if !ok {
		return nil, nil, notFound("block %s", id)
	}
	e := &encoding{core: []byte(core)}
	size := len(core) + 1
	for i, name := range partNames {
		if p, ok := fields[name]; ok {
			e.parts[i] = []byte(p)
			size += len(`,"":`) + len(name) + len(p)
		}
	}
	doc := append(make([]byte, 0, size), core[:len(core)-1]...) // without its closing brace
	for i, p := range e.parts {
		if p != nil {
			doc = append(append(append(append(doc, ',', '"'), partNames[i]...), '"', ':'), p...)
		}
	}
	b := new(thidua.Block)
	if err := json.Unmarshal(append(doc, '}'), b); err != nil {
		return nil, nil, fmt.Errorf("storage: block %s: decode document: %w", id, err)
	}
	if len(b.Results.Reports) == 0 {
		e.reports = map[string][]byte{}
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		u, ok := strings.CutPrefix(name, reportsField)
		if !ok {
			continue
		}
		var list []thidua.Report
		if err := json.Unmarshal([]byte(fields[name]), &list); err != nil {
			return nil, nil, fmt.Errorf("storage: block %s: decode the reports of unit %s: %w", id, u, err)
		}
		b.Results.Reports = append(b.Results.Reports, list...)
		if e.reports != nil {
			e.reports[u] = []byte(fields[name])
		}
	}
	if err := completeBlock(id, b); err != nil {
		return nil, nil, err
	}
	return b, e, nil
}
