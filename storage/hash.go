package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/bits"
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
// not empty, named as the part in the block's JSON; and one field per
// report, "report:", its unit's id, ":" and its period's id (reportField),
// the report's JSON object, which the results part leaves out. A report,
// the most frequent change of a big block, thus writes itself alone, not
// its unit's other reports nor the results part.
//
// Documents of earlier releases keep reports otherwise, and the encoding
// read from one says so, until a change converts them (see encodeBlock):
// schema 3 kept each unit's reports in one field, "reports:" and the
// unit's id, the JSON array of its reports; schema 2 and before kept every
// report in the results part.
type encoding struct {
	core []byte
	// applied is the record of applied updates that core holds and its
	// JSON within core, which the next change's core copies what it
	// shares of (see appendApplied); none in an encoding read from Redis.
	applied appliedText
	parts   [thidua.NumParts][]byte // nil for an empty part
	// reports holds the JSON of every report of the block, as its field
	// holds it, or, for a report still in a field of an earlier layout, as
	// its own field will.
	reports reportsJSON
	// unitFields lists, sorted, the units whose reports the document still
	// keeps in one field of schema 3, "reports:" and the unit's id.
	unitFields []string
	// inResults is true when the document's results part still holds
	// every report, as before schema 3: then parts holds that part as
	// stored, reports and all.
	inResults bool
}

// The prefixes of the names of the fields holding reports: a report's own
// (see reportField), and a unit's reports in a document of schema 3.
const (
	reportPrefix      = "report:"
	unitReportsPrefix = "reports:"
)

// reportField returns the name of the field of the report under key. Unit
// and period ids ("u12", "k40") hold no ':', but the name is never read
// back as a key: the report's JSON names its unit and period.
func reportField(key thidua.ReportKey) string {
	return reportPrefix + key.UnitID + ":" + key.PeriodID
}

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

// reportsJSON is the JSON of a block's reports, by their keys, in the order
// of the keys (thidua.ReportKey.Compare), which thidua.Results.Reports
// keeps too.
//
// Neither slice is changed in place once its encoding is made. The
// encoding of a change shares keys with the encoding it was made from
// until a report is added or removed. It has a json of its own, a copy of
// the slice headers (see own), in which it replaces the reports the change
// encoded anew: for a report, that costs less than copying a map of every
// report would.
type reportsJSON struct {
	keys []thidua.ReportKey
	json [][]byte
}

// reportsOf returns the JSON of the reports of b, each as marshal returns
// it, in the order of their keys, which is the order of b's reports: the
// domain keeps them so, and a block decoded is put so (thidua.Block.Migrate).
// Reports out of that order, or two under one key, which no document could
// hold, are an error rather than an encoding that misses one.
func reportsOf(b *thidua.Block, marshal func(*thidua.Report) ([]byte, error)) (reportsJSON, error) {
	n := len(b.Results.Reports)
	r := reportsJSON{keys: make([]thidua.ReportKey, n), json: make([][]byte, n)}
	for i := range b.Results.Reports {
		var err error
		rep := &b.Results.Reports[i]
		r.keys[i] = rep.Key()
		if i > 0 && r.keys[i-1].Compare(r.keys[i]) >= 0 {
			return r, fmt.Errorf("the reports of %v and %v are out of order or twice the same", r.keys[i-1], r.keys[i])
		}
		if r.json[i], err = marshal(rep); err != nil {
			return r, err
		}
	}
	return r, nil
}

// find returns where the report under k is in r, or would be, and whether
// it is there.
func (r *reportsJSON) find(k thidua.ReportKey) (int, bool) {
	return slices.BinarySearchFunc(r.keys, k, thidua.ReportKey.Compare)
}

// get returns the JSON of the report under k, and whether r has one.
func (r *reportsJSON) get(k thidua.ReportKey) ([]byte, bool) {
	if i, ok := r.find(k); ok {
		return r.json[i], true
	}
	return nil, false
}

// own returns a copy of r that set and remove may change without changing
// r.
func (r *reportsJSON) own() reportsJSON {
	return reportsJSON{keys: slices.Clip(r.keys), json: slices.Clone(r.json)}
}

// set sets the JSON of the report under k to v, adding it in its place if
// r has none: then keys, which r may share, is made anew (it is clipped,
// see own). r must be a copy of its own (own).
func (r *reportsJSON) set(k thidua.ReportKey, v []byte) {
	i, ok := r.find(k)
	if ok {
		r.json[i] = v
		return
	}
	r.keys = slices.Insert(slices.Clip(r.keys), i, k)
	r.json = slices.Insert(r.json, i, v)
}

// remove removes the report under k, if r has one, making keys, which r
// may share, anew. r must be a copy of its own (own).
func (r *reportsJSON) remove(k thidua.ReportKey) {
	if i, ok := r.find(k); ok {
		r.keys = slices.Concat(r.keys[:i], r.keys[i+1:])
		r.json = slices.Delete(r.json, i, i+1)
	}
}

// delta is what a change writes of a document besides its version and its
// core (see encoding.changes): the parts whose encoding changed, each set,
// or deleted when it became empty; the reports added or whose encoding
// changed, set, in the order of their keys, then those removed, deleted;
// and the fields of earlier layouts that the change converts, deleted.
type delta struct {
	parts   thidua.Part
	reports []thidua.ReportKey
	earlier []string
}

// encodeBlock encodes block b. When known, the encoding of the block b was
// changed from, is nil, it encodes everything; otherwise it reuses the parts
// not in changed and, of the reports, those whose keys are not in keys
// (the reports that changed, thidua.Block.TakeChangedReports), which only a
// change of the results may change, and returns what the change writes
// (delta): of what it encoded again, only what differs from known, so that
// a part the change declared but left as it was (the results, for a
// report), or a report noted but left as it was, is not sent again.
//
// It converts the fields of earlier layouts that known holds: a unit's
// field of reports (schema 3) once a report of the unit changes, all the
// unit's reports then written in fields of their own and the unit's field
// deleted in the same write; and a results part holding every report
// (before schema 3) on the first change, whatever it changes, the results
// part and every report then written.
func encodeBlock(b *thidua.Block, known *encoding, changed thidua.Part, keys []thidua.ReportKey) (*encoding, delta, error) {
	e := new(encoding)
	var (
		d   delta
		err error
	)
	var was appliedText
	if known != nil {
		was = known.applied
	}
	if e.core, e.applied, err = marshalCoreAfter(b, was); err != nil {
		return nil, d, fmt.Errorf("storage: block %s: encode document: %w", b.ID, err)
	}
	if known != nil && known.inResults {
		changed |= thidua.PartResults
	}
	for i, p := range b.Parts() {
		part := thidua.Part(1 << i)
		if known != nil && changed&part == 0 {
			e.parts[i] = known.parts[i]
			continue
		}
		if part == thidua.PartResults {
			res := b.Results
			res.Reports = nil
			p = &res
		}
		if !reflect.ValueOf(p).Elem().IsZero() { // else left out (omitzero)
			var was []byte
			if known != nil {
				was = known.parts[i]
			}
			if e.parts[i], err = marshalPart(p, was); err != nil {
				return nil, d, fmt.Errorf("storage: block %s: encode %s: %w", b.ID, partNames[i], err)
			}
		}
		if known != nil && bytes.Equal(e.parts[i], known.parts[i]) {
			e.parts[i] = known.parts[i]
		} else {
			d.parts |= part
		}
	}
	switch {
	case known == nil || known.inResults:
		if e.reports, err = reportsOf(b, marshalReport); err != nil {
			return nil, d, fmt.Errorf("storage: block %s: encode a report: %w", b.ID, err)
		}
		d.reports = e.reports.keys
		if known != nil {
			for _, u := range known.unitFields {
				d.earlier = append(d.earlier, unitReportsPrefix+u)
			}
		}
		return e, d, nil
	case changed&thidua.PartResults == 0 || len(keys) == 0:
		e.reports, e.unitFields = known.reports, known.unitFields
		return e, d, nil
	}

	// The units of schema 3 whose reports changed are converted: each of
	// their reports is written.
	var convert []string
	for _, k := range keys {
		if slices.Contains(known.unitFields, k.UnitID) && !slices.Contains(convert, k.UnitID) {
			convert = append(convert, k.UnitID)
		}
	}
	e.unitFields = known.unitFields
	if convert != nil {
		e.unitFields = slices.DeleteFunc(slices.Clone(known.unitFields), func(u string) bool { return slices.Contains(convert, u) })
		for _, u := range convert {
			d.earlier = append(d.earlier, unitReportsPrefix+u)
		}
	}
	e.reports = known.reports.own()
	for i := range b.Results.Reports {
		r := &b.Results.Reports[i]
		k := r.Key()
		converted := slices.Contains(convert, k.UnitID)
		if !converted && !slices.Contains(keys, k) {
			continue
		}
		enc, err := marshalReport(r)
		if err != nil {
			return nil, d, fmt.Errorf("storage: block %s: encode the report of unit %s for period %s: %w", b.ID, r.UnitID, r.PeriodID, err)
		}
		if was, ok := known.reports.get(k); ok && !converted && bytes.Equal(enc, was) {
			enc = was
		} else {
			d.reports = append(d.reports, k)
		}
		e.reports.set(k, enc)
	}
	if len(e.reports.keys) == len(b.Results.Reports) {
		return e, d, nil // none removed: every report the encoding holds is the block's
	}
	for _, k := range keys {
		if slices.ContainsFunc(b.Results.Reports, func(r thidua.Report) bool { return r.UnitID == k.UnitID && r.PeriodID == k.PeriodID }) {
			continue
		}
		// A report removed: its field goes, unless it had none.
		if _, had := e.reports.get(k); had && !slices.Contains(convert, k.UnitID) {
			d.reports = append(d.reports, k)
		}
		e.reports.remove(k)
	}
	return e, d, nil
}

// size returns the length of the document's fields.
func (e *encoding) size() int {
	n := len(e.core)
	for _, p := range e.parts {
		n += len(p)
	}
	for _, r := range e.reports.json {
		n += len(r)
	}
	return n
}

// all lists every field of the document with its value, for HSET, the
// block's version first and its reports in the order of their keys: the
// whole document in the layout of this release, which no field of an
// earlier layout may join. The encoding must come from encodeBlock, whose
// results part never holds the reports.
func (e *encoding) all(version int64) []any {
	set, _ := e.changes(version, delta{parts: thidua.AllParts, reports: e.reports.keys})
	return set
}

// changes lists, for HSET, the fields that the change d (see encodeBlock)
// sets, with their values, the block's version and core first; and, for
// HDEL, those it deletes: parts that became empty, reports removed, fields
// of earlier layouts converted.
func (e *encoding) changes(version int64, d delta) (set, del []any) {
	set = make([]any, 0, 4+2*bits.OnesCount(uint(d.parts))+2*len(d.reports))
	set = append(set, "version", strconv.FormatInt(version, 10), "core", e.core)
	for i, p := range e.parts {
		switch {
		case d.parts&(1<<i) == 0:
		case p == nil:
			del = append(del, partNames[i])
		default:
			set = append(set, partNames[i], p)
		}
	}
	for _, k := range d.reports {
		if r, ok := e.reports.get(k); ok {
			set = append(set, reportField(k), r)
		} else {
			del = append(del, reportField(k))
		}
	}
	for _, f := range d.earlier {
		del = append(del, f)
	}
	return set, del
}

// decodeFields decodes block id from its document's fields, as HGETALL
// gives them, and returns it with their encoding. It reads documents of
// the earlier layouts too (see encoding), and a report that a field of its
// own holds wins over one of the same key that such a layout holds (no
// release writes both). The reports, read in any order, are put in the
// order of their keys, which every change keeps (thidua.Results.Reports),
// so that the block decoded equals the block as written. It returns
// ErrNotFound if there are none.
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
	earlier := b.Results.Reports // the results part's, before schema 3
	e.inResults = len(earlier) > 0
	b.Results.Reports = nil
	own := map[thidua.ReportKey][]byte{}
	for name, v := range fields {
		switch {
		case strings.HasPrefix(name, reportPrefix):
			var r thidua.Report
			if err := json.Unmarshal([]byte(v), &r); err != nil {
				return nil, nil, fmt.Errorf("storage: block %s: decode the report %s: %w", id, name, err)
			}
			b.Results.Reports = append(b.Results.Reports, r)
			own[r.Key()] = []byte(v)
		case strings.HasPrefix(name, unitReportsPrefix):
			u := strings.TrimPrefix(name, unitReportsPrefix)
			var list []thidua.Report
			if err := json.Unmarshal([]byte(v), &list); err != nil {
				return nil, nil, fmt.Errorf("storage: block %s: decode the reports of unit %s: %w", id, u, err)
			}
			earlier = append(earlier, list...)
			e.unitFields = append(e.unitFields, u)
		}
	}
	slices.Sort(e.unitFields)
	for _, r := range earlier {
		if _, ok := own[r.Key()]; !ok {
			b.Results.Reports = append(b.Results.Reports, r)
		}
	}
	if err := completeBlock(id, b); err != nil { // puts the reports in order
		return nil, nil, err
	}
	var err error
	e.reports, err = reportsOf(b, func(r *thidua.Report) ([]byte, error) {
		if enc, ok := own[r.Key()]; ok {
			return enc, nil
		}
		return marshalReport(r)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("storage: block %s: encode a report: %w", id, err)
	}
	return b, e, nil
}
