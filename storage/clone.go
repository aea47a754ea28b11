package storage

import (
	"reflect"
	"sync"
	"time"

	"thiduabot/thidua"
)

// cloneBlock returns a deep copy of b: changing one never changes the other.
// The Redis store keeps recently used blocks decoded (see blockCache) and
// hands out copies, which is some twenty times cheaper than decoding the
// document again. b's pending events, which the cache never holds, are
// shared with the copy, not copied.
func cloneBlock(b *thidua.Block) *thidua.Block {
	c := new(thidua.Block)
	deepCopy(reflect.ValueOf(c).Elem(), reflect.ValueOf(b).Elem())
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
// assignment (reflection cannot set them); sharedFields lists those that
// hold references, which TestCloneBlock checks.
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
