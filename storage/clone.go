package storage

import (
	"reflect"
	"sync"
	"time"

	"thiduabot/thidua"
)

// working returns the copy of the stored block m that an update changes:
// its core and the parts in changed are deep copies, so that changing them
// never changes m; the other parts are m's own, which the update must leave
// alone (see Store.UpdateParts). m's pending events and its list of units
// whose reports changed, which the cache never holds, are shared with the
// copy.
//
// The Redis store keeps recently used blocks decoded (see blockCache) and
// starts each update from such a copy, which is some twenty times cheaper
// than decoding the document again, and cheaper still for the parts it does
// not copy.
func working(m *thidua.Block, changed thidua.Part) *thidua.Block {
	core := *m
	for _, p := range core.Parts() {
		reflect.ValueOf(p).Elem().SetZero()
	}
	w := new(thidua.Block)
	deepCopy(reflect.ValueOf(w).Elem(), reflect.ValueOf(&core).Elem())
	from, to := m.Parts(), w.Parts()
	for i := range to {
		dst, src := reflect.ValueOf(to[i]).Elem(), reflect.ValueOf(from[i]).Elem()
		if changed&(1<<i) != 0 {
			deepCopy(dst, src)
		} else {
			dst.Set(src)
		}
	}
	return w
}

// copyPlan says how to copy values of one type: by assignment (a value
// holding no references, or a time.Time, whose location is never modified),
// or deeply, and for a struct which exported fields need a deep copy and
// which are append-only slices.
//
// A slice field tagged `copy:"append-only"` is one the domain only ever
// replaces or appends to, never changes in place (a report's entries,
// evidence and earlier submissions): the copy shares its elements, clipped
// to their length so that an append to the copy allocates anew instead of
// writing past the original's end.
type copyPlan struct {
	deep       bool
	fields     []int
	appendOnly []int
}

// copyPlans caches a copyPlan per reflect.Type.
var copyPlans sync.Map

var timeType = reflect.TypeFor[time.Time]()

// planOf returns the copyPlan of t. Unexported fields are copied by
// assignment (reflection cannot set them); sharedFields lists those that
// hold references, which TestWorkingCopy checks.
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
			switch f := t.Field(i); {
			case !f.IsExported():
			case f.Tag.Get("copy") == "append-only" && f.Type.Kind() == reflect.Slice:
				p.appendOnly = append(p.appendOnly, i)
			case planOf(f.Type).deep:
				p.fields = append(p.fields, i)
			}
		}
		p.deep = len(p.fields) > 0 || len(p.appendOnly) > 0
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
		for _, i := range p.appendOnly {
			if f := src.Field(i); !f.IsNil() {
				dst.Field(i).Set(f.Slice3(0, f.Len(), f.Len()))
			}
		}
	}
}
