package storage

import (
	"bytes"
	goencoding "encoding"
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"thiduabot/thidua"
)

// marshalCore encodes the block's core, its document without its parts
// (thidua.Part), as a write does without a cached core to copy the record
// of applied updates from (see marshalCoreAfter).
func marshalCore(b *thidua.Block) ([]byte, error) {
	core, _, err := marshalCoreAfter(b, appliedText{})
	return core, err
}

// encodedFields lists, for each struct type that the hand-written encoders
// of fastjson.go write, the exported fields they know, as fieldOf writes
// them: name, type and JSON tag. For thidua.Block it lists the core, not
// the parts, which are written on their own: the elections and the
// results by hand, the others by encoding/json. A field added, retyped or retagged in one of
// these types fails TestEncodersKnowEveryField until the encoders and
// this list follow.
var encodedFields = map[reflect.Type][]string{
	reflect.TypeFor[thidua.Block](): {
		`Schema int "schema"`,
		`Version int64 "version"`,
		`ID string "id"`,
		`ChatID int64 "chat_id"`,
		`Home thidua.Topic "home,omitzero"`,
		`Name string "name"`,
		`Year int "year"`,
		`CreatedAt time.Time "created_at"`,
		`Units []thidua.Unit "units"`,
		`LeaderUnit string "leader_unit,omitempty"`,
		`DeputyUnit string "deputy_unit,omitempty"`,
		`Reps []thidua.Representative "reps"`,
		`Requests []thidua.JoinRequest "requests,omitempty"`,
		`NextSeq int "next_seq"`,
		`Removed []thidua.RemovedUnit "removed,omitempty"`,
		`Applied []int64 "applied,omitempty"`,
		`Menus thidua.Menus "menus,omitzero"`,
	},
	reflect.TypeFor[thidua.Topic](): {
		`Thread int "thread"`,
		`Name string "name,omitempty"`,
	},
	reflect.TypeFor[thidua.Menus](): {
		`ChatID int64 "chat_id"`,
		`Stamp string "stamp,omitempty"`,
		`Holders []int64 "holders,omitempty"`,
	},
	reflect.TypeFor[thidua.Unit](): {
		`ID string "id"`,
		`Name string "name"`,
		`AddedAt time.Time "added_at"`,
		`Former []thidua.FormerName "former,omitempty"`,
	},
	reflect.TypeFor[thidua.FormerName](): {
		`Name string "name"`,
		`Until time.Time "until"`,
	},
	reflect.TypeFor[thidua.RemovedUnit](): {
		`ID string "id"`,
		`Name string "name"`,
		`At time.Time "at"`,
		`By string "by"`,
	},
	reflect.TypeFor[thidua.Representative](): {
		`UserID int64 "user_id"`,
		`Name string "name"`,
		`Username string "username,omitempty"`,
		`UnitID string "unit_id"`,
		`Since time.Time "since"`,
		`ApprovedBy int64 "approved_by,omitempty"`,
		`ApprovedByAdmin bool "approved_by_admin,omitempty"`,
		`Lang string "lang,omitempty"`,
	},
	reflect.TypeFor[thidua.JoinRequest](): {
		`ID string "id"`,
		`UserID int64 "user_id"`,
		`Name string "name"`,
		`Username string "username,omitempty"`,
		`UnitID string "unit_id"`,
		`At time.Time "at"`,
		`Lang string "lang,omitempty"`,
		`MessageID int "message_id,omitempty"`,
		`ReplacedMessage int "replaced_message,omitempty"`,
		`ReplacedUnit string "replaced_unit,omitempty"`,
	},
	reflect.TypeFor[thidua.Results](): {
		`Periods []thidua.Period "periods,omitempty"`,
		`Reports []thidua.Report "reports,omitempty"`,
		`Drafts []thidua.ReportDraft "drafts,omitempty"`,
	},
	reflect.TypeFor[thidua.Period](): {
		`ID string "id"`,
		`Name string "name"`,
		`Due time.Time "due"`,
		`Added thidua.Attribution "added"`,
	},
	reflect.TypeFor[thidua.ReportDraft](): {
		`ID string "id"`,
		`UnitID string "unit_id"`,
		`PeriodID string "period_id"`,
		`Owner thidua.Attribution "owner"`,
		`Pledges []string "pledges"`,
		`Step int "step"`,
		`Entries []thidua.Entry "entries,omitempty"`,
		`MessageID int "message_id,omitempty"`,
		`Replaced int "replaced,omitempty"`,
	},
	reflect.TypeFor[thidua.Report](): {
		`UnitID string "unit_id"`,
		`PeriodID string "period_id"`,
		`Submission thidua.Submission ""`,
		`Evidence []thidua.Evidence "evidence,omitempty"`,
		`Earlier []thidua.Submission "earlier,omitempty"`,
	},
	reflect.TypeFor[thidua.Submission](): {
		`Revision int "revision"`,
		`Entries []thidua.Entry "entries,omitempty"`,
		`Submitted thidua.Attribution "submitted"`,
		`MessageID int "message_id,omitempty"`,
		`ReplacedDraft int "replaced_draft,omitempty"`,
	},
	reflect.TypeFor[thidua.Entry](): {
		`PledgeID string "pledge_id"`,
		`Value float64 "value"`,
		`OfTarget bool "of_target,omitempty"`,
		`Note string "note,omitempty"`,
	},
	reflect.TypeFor[thidua.Evidence](): {
		`FileID string "file_id"`,
		`Kind thidua.EvidenceKind "kind"`,
		`Name string "name,omitempty"`,
		`Caption string "caption,omitempty"`,
		`Added thidua.Attribution "added"`,
		`Album string "album,omitempty"`,
		`Answer int "answer,omitempty"`,
	},
	reflect.TypeFor[thidua.Attribution](): {
		`UserID int64 "user_id"`,
		`Name string "name"`,
		`At time.Time "at"`,
	},
	reflect.TypeFor[thidua.Elections](): {
		`List []thidua.Election "list,omitempty"`,
		`Elected []thidua.Elected "elected,omitempty"`,
	},
	reflect.TypeFor[thidua.Election](): {
		`ID string "id"`,
		`Role thidua.Role "role"`,
		`Year int "year"`,
		`Round int "round"`,
		`Parent string "parent,omitempty"`,
		`Secret bool "secret"`,
		`Reelection bool "reelection,omitempty"`,
		`Candidates []string "candidates"`,
		`Roll []thidua.RollUnit "roll"`,
		`OpenedByID int64 "opened_by_id"`,
		`OpenedBy string "opened_by"`,
		`OpenedAt time.Time "opened_at"`,
		`CloseAt time.Time "close_at"`,
		`State thidua.ElectionState "state"`,
		`Ballots []thidua.Ballot "ballots,omitempty"`,
		`ClosedAt time.Time "closed_at,omitzero"`,
		`ClosedBy string "closed_by,omitempty"`,
		`CloseReason thidua.CloseReason "close_reason,omitempty"`,
		`Result *thidua.Result "result,omitempty"`,
		`Winner string "winner,omitempty"`,
		`Runoff string "runoff,omitempty"`,
		`DecidedBy string "decided_by,omitempty"`,
		`DecidedAt time.Time "decided_at,omitzero"`,
		`MessageID int "message_id,omitempty"`,
		`AnnouncePending bool "announce_pending,omitempty"`,
	},
	reflect.TypeFor[thidua.RollUnit](): {
		`ID string "id"`,
		`Name string "name"`,
	},
	reflect.TypeFor[thidua.Ballot](): {
		`UnitID string "unit_id"`,
		`Candidate string "candidate"`,
		`Receipt string "receipt"`,
		`UserID int64 "user_id"`,
		`UserName string "user_name"`,
		`At time.Time "at"`,
	},
	reflect.TypeFor[thidua.Result](): {
		`Roll int "roll"`,
		`Cast int "cast"`,
		`Tally []thidua.Tally "tally"`,
		`Quorum bool "quorum"`,
		`Tied []string "tied,omitempty"`,
	},
	reflect.TypeFor[thidua.Tally](): {
		`UnitID string "unit_id"`,
		`Votes int "votes"`,
	},
	reflect.TypeFor[thidua.Event](): {
		`At time.Time "at"`,
		`ActorID int64 "actor_id"`,
		`ActorName string "actor_name"`,
		`AsAdmin bool "as_admin,omitempty"`,
		`Action string "action"`,
		`Subject string "subject,omitempty"`,
		`Before string "before,omitempty"`,
		`After string "after,omitempty"`,
		`PersonID int64 "person_id,omitempty"`,
	},
	reflect.TypeFor[thidua.Elected](): {
		`Role thidua.Role "role"`,
		`UnitID string "unit_id"`,
		`Name string "name"`,
		`Year int "year"`,
		`ElectionID string "election_id"`,
		`At time.Time "at"`,
	},
}

// fieldOf describes a struct field as encodedFields lists it.
func fieldOf(f reflect.StructField) string {
	return fmt.Sprintf("%s %s %q", f.Name, f.Type, f.Tag.Get("json"))
}

// isPart reports whether the field of thidua.Block is one of its parts,
// which the core leaves out (TestEncodersKnowEveryField walks the
// elections and the results on their own).
func isPart(f reflect.StructField) bool {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return slices.Contains(partNames[:], name)
}

// checkEncoded walks the types reachable from t as the hand-written
// encoders write them and returns what they would get wrong: a struct
// whose exported fields are not exactly those encodedFields lists for it,
// or a type with a JSON or text marshaler of its own.
func checkEncoded(t reflect.Type, seen map[reflect.Type]bool) (problems []string) {
	if seen[t] || t == timeType {
		return nil
	}
	seen[t] = true
	for _, m := range []reflect.Type{reflect.TypeFor[json.Marshaler](), reflect.TypeFor[goencoding.TextMarshaler]()} {
		if t.Implements(m) || reflect.PointerTo(t).Implements(m) {
			problems = append(problems, fmt.Sprintf("%s implements %s", t, m))
		}
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return append(problems, checkEncoded(t.Elem(), seen)...)
	case reflect.Struct:
	default:
		return problems
	}
	known, ok := encodedFields[t]
	if !ok {
		return append(problems, fmt.Sprintf("type %s is not in encodedFields", t))
	}
	var fields []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || t == reflect.TypeFor[thidua.Block]() && isPart(f) {
			continue
		}
		fields = append(fields, fieldOf(f))
		if !slices.Contains(known, fieldOf(f)) {
			problems = append(problems, fmt.Sprintf("field %s.%s is unknown to the encoders: %s", t, f.Name, fieldOf(f)))
		}
		problems = append(problems, checkEncoded(f.Type, seen)...)
	}
	for _, k := range known {
		if !slices.Contains(fields, k) {
			problems = append(problems, fmt.Sprintf("%s has no field %s any more", t, k))
		}
	}
	return problems
}

// The hand-written encoders know every field of the types they write,
// with its type and tag, and no such type marshals itself.
func TestEncodersKnowEveryField(t *testing.T) {
	seen := map[reflect.Type]bool{}
	problems := checkEncoded(reflect.TypeFor[thidua.Results](), seen)
	problems = append(problems, checkEncoded(reflect.TypeFor[thidua.Block](), seen)...)
	problems = append(problems, checkEncoded(reflect.TypeFor[thidua.Elections](), seen)...)
	problems = append(problems, checkEncoded(reflect.TypeFor[thidua.Event](), seen)...)
	for _, p := range problems {
		t.Error(p)
	}
	for typ := range encodedFields {
		if !seen[typ] {
			t.Errorf("encodedFields lists %s, which the encoders do not write", typ)
		}
	}
}

// hazards are pieces of strings that encoding/json escapes, or might be
// expected to: quotes, backslashes, every control character, HTML's
// special characters, U+2028 and U+2029, invalid and truncated UTF-8,
// surrogate halves, runes beyond U+10FFFF, overlong forms, and ordinary
// Vietnamese and ASCII text.
var hazards = func() []string {
	h := []string{
		`"`, `\`, "/", "<", ">", "&", "'", "\x7f", "\u2028", "\u2029", "\u2027", "\u202a",
		"\ufffd", "\xff", "\xfe", "\xc3", "\xe2\x80", "\xf0\x9f\x98", "\xed\xa0\x80", "\xed\xbf\xbf",
		"\xf4\x90\x80\x80", "\xc0\xaf", "\xe0\x80\xaf", "\x80", "\U0001F600", "\U0010FFFF", "\u00a0",
		"Hội Nông dân tỉnh", "Sở Giáo dục và Đào tạo", "a", "plain ascii text", " ", "%", "\\u0041",
	}
	for c := range 0x20 {
		h = append(h, string(rune(c)))
	}
	return h
}()

// randomString returns a string of a few hazards and random bytes.
func randomString(r *rand.Rand) string {
	var sb strings.Builder
	for range r.IntN(7) {
		if r.IntN(8) == 0 {
			sb.WriteByte(byte(r.UintN(256)))
		} else {
			sb.WriteString(hazards[r.IntN(len(hazards))])
		}
	}
	return sb.String()
}

// randomFloat returns a float that is neither NaN nor infinite: zero, minus
// zero, whole numbers, the bounds of encoding/json's exponent form, values
// of every magnitude and sign, or any finite bit pattern.
func randomFloat(r *rand.Rand) float64 {
	switch r.IntN(10) {
	case 0:
		return []float64{0, math.Copysign(0, -1), 1, -1, 1e21, 1e-6, 999999999999999999999, 9.999999999999999e-7,
			1e20, 1e-7, math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, 0.1, 12.65, 1200,
			1 << 53, 1<<53 - 1, -(1<<53 - 1), -1 << 53, 1<<53 + 2, 1 << 60, 1<<62 + 1<<40, -1 << 63}[r.IntN(24)]
	case 1:
		return float64(r.Int64N(2_000_000) - 1_000_000)
	case 2:
		return float64(r.Int64N(1<<55) - 1<<54)
	case 3:
		for {
			if f := math.Float64frombits(r.Uint64()); !math.IsNaN(f) && !math.IsInf(f, 0) {
				return f
			}
		}
	default:
		return r.NormFloat64() * math.Pow(10, float64(r.IntN(61)-30))
	}
}

// zones are the time zones of random times: UTC, the local zone, whole,
// half and quarter hours both sides of UTC, up to 23:59, offsets with
// seconds, and a zone with daylight saving time when the system has it.
var zones = func() []*time.Location {
	z := []*time.Location{time.UTC, time.Local}
	for _, off := range []int{7 * 3600, -(3*3600 + 30*60), 5*3600 + 45*60, 14 * 3600, -12 * 3600, 23*3600 + 59*60, -(23*3600 + 59*60), 30, -59, 3600 + 1} {
		z = append(z, time.FixedZone(fmt.Sprintf("Z%d", off), off))
	}
	if l, err := time.LoadLocation("America/New_York"); err == nil {
		z = append(z, l)
	}
	return z
}()

// randomTime returns a time that encoding/json can encode: the zero time,
// in UTC or in one of zones (zero to its IsZero method, which omitzero
// asks, though not to reflection), or one of years 2 to 9997 in one of
// zones, with nanoseconds of any precision.
func randomTime(r *rand.Rand) time.Time {
	switch r.IntN(12) {
	case 0:
		return time.Time{}
	case 1:
		return time.Time{}.In(zones[r.IntN(len(zones))])
	}
	year := 2 + r.IntN(9996)
	if r.IntN(2) == 0 {
		year = 2000 + r.IntN(50)
	}
	nsec := r.IntN(1e9)
	if r.IntN(2) == 0 {
		nsec -= nsec % []int{1e9, 1e8, 1e6, 1e3, 10}[r.IntN(5)]
	}
	t := time.Date(year, time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), nsec, time.UTC)
	return t.In(zones[r.IntN(len(zones))])
}

// randomize sets v, and every exported field reachable from it, to random
// values: nil, empty and short slices and maps, nil and set pointers,
// strings of hazards, integers of any size and sign, floats as randomFloat
// and times as randomTime. Past depth it leaves v zero. It fails t on a
// kind it cannot fill, so that a new type is not left out silently.
func randomize(t testing.TB, r *rand.Rand, v reflect.Value, depth int) {
	if depth > 10 {
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt([]int64{0, 1, -1, r.Int64N(1000), -r.Int64N(1e12), int64(r.Uint64()), math.MaxInt64, math.MinInt64}[r.IntN(8)]) // truncated to v's size
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(r.IntN(256)))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(randomFloat(r))
	case reflect.String:
		v.SetString(randomString(r))
	case reflect.Pointer:
		if r.IntN(3) > 0 {
			p := reflect.New(v.Type().Elem())
			randomize(t, r, p.Elem(), depth+1)
			v.Set(p)
		}
	case reflect.Slice:
		switch n := r.IntN(5) - 1; n {
		case -1: // nil
		default:
			s := reflect.MakeSlice(v.Type(), n, n)
			for i := range n {
				randomize(t, r, s.Index(i), depth+1)
			}
			v.Set(s)
		}
	case reflect.Map:
		if r.IntN(4) == 0 {
			return
		}
		m := reflect.MakeMap(v.Type())
		for range r.IntN(3) {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			randomize(t, r, k, depth+1)
			randomize(t, r, e, depth+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		if v.Type() == timeType {
			v.Set(reflect.ValueOf(randomTime(r)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && r.IntN(8) > 0 { // now and then a field stays zero
				randomize(t, r, v.Field(i), depth+1)
			}
		}
	case reflect.Array:
		for i := range v.Len() {
			randomize(t, r, v.Index(i), depth+1)
		}
	default:
		t.Fatalf("randomize: cannot fill a %s", v.Type())
	}
}

// sameAsJSON fails t unless got and err are what json.Marshal(v) returns.
func sameAsJSON(t testing.TB, what string, v any, got []byte, err error) {
	t.Helper()
	want, wantErr := json.Marshal(v)
	switch {
	case (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error():
		t.Fatalf("%s: error %v, json.Marshal's %v", what, err, wantErr)
	case !bytes.Equal(got, want):
		t.Fatalf("%s:\n got %q\nwant %q", what, got, want)
	}
}

// coreOf returns a copy of the block with its parts zero, which json.Marshal
// encodes as marshalCore encodes the block.
func coreOf(b *thidua.Block) *thidua.Block {
	c := *b
	for _, p := range c.Parts() {
		reflect.ValueOf(p).Elem().SetZero()
	}
	return &c
}

// Reports filled at random, every field of every type in them, encode as
// json.Marshal encodes them.
func TestMarshalReportMatchesJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 5000 {
		var rs []thidua.Report
		randomize(t, r, reflect.ValueOf(&rs).Elem(), 0)
		for k := range rs {
			got, err := marshalReport(&rs[k])
			sameAsJSON(t, fmt.Sprintf("reports %d, report %d", i, k), &rs[k], got, err)
		}
	}
}

// matchesJSON fails t unless marshal encodes n values of T filled at
// random (from seed), every field of every type in them, as json.Marshal
// encodes them.
func matchesJSON[T any](t *testing.T, seed uint64, n int, marshal func(*T) ([]byte, error)) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed+1))
	for i := range n {
		v := new(T)
		randomize(t, r, reflect.ValueOf(v).Elem(), 0)
		got, err := marshal(v)
		sameAsJSON(t, fmt.Sprintf("%T %d", v, i), v, got, err)
	}
}

// Elections filled at random, every field of every type in them, encode as
// json.Marshal encodes them.
func TestMarshalElectionsMatchesJSON(t *testing.T) {
	matchesJSON(t, 7, 5000, marshalElections)
	got, err := marshalElections(nil)
	sameAsJSON(t, "no elections", (*thidua.Elections)(nil), got, err)
}

// Events filled at random encode as json.Marshal encodes them.
func TestMarshalEventMatchesJSON(t *testing.T) {
	matchesJSON(t, 9, 20000, marshalEvent)
}

// Results filled at random, every field of every type in them, encode as
// json.Marshal encodes them, whole and without their reports, as the
// field of the document holding them; encoded again over their own
// encoding, they come back as that very slice.
func TestMarshalResultsMatchesJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for i := range 3000 {
		res := new(thidua.Results)
		randomize(t, r, reflect.ValueOf(res).Elem(), 0)
		got, err := marshalPart(res, nil)
		sameAsJSON(t, fmt.Sprintf("results %d", i), res, got, err)
		part := *res
		part.Reports = nil
		got, err = marshalPart(&part, nil)
		sameAsJSON(t, fmt.Sprintf("results %d without reports", i), &part, got, err)
		if err != nil {
			continue
		}
		if again, err := marshalPart(&part, got); err != nil || &again[0] != &got[0] {
			t.Fatalf("results %d encoded again over their encoding: %v, a copy", i, err)
		}
		if again, _ := marshalPart(&part, append(slices.Clip(got), ' ')); &again[0] == &got[0] {
			t.Fatalf("results %d encoded over another encoding came back as it", i)
		}
	}
}

// inDomainOrder puts the reports of a block filled at random in the order
// of their keys, one a key, as the domain keeps them (see reportsOf).
func inDomainOrder(b *thidua.Block) {
	byKey := func(x, y thidua.Report) int { return x.Key().Compare(y.Key()) }
	slices.SortStableFunc(b.Results.Reports, byKey)
	b.Results.Reports = slices.CompactFunc(b.Results.Reports, func(x, y thidua.Report) bool { return byKey(x, y) == 0 })
}

// A block filled at random encodes as json.Marshal encodes it: its core
// alone, whole, and its elections and results as the fields of its
// document that encodeBlock writes (none when they are empty).
func TestMarshalBlockMatchesJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 1000 {
		b := new(thidua.Block)
		randomize(t, r, reflect.ValueOf(b).Elem(), 0)
		inDomainOrder(b)
		if i%4 == 0 { // parts are often empty
			for _, p := range b.Parts() {
				if r.IntN(2) == 0 {
					reflect.ValueOf(p).Elem().SetZero()
				}
			}
		}
		got, err := marshalCore(b)
		sameAsJSON(t, fmt.Sprintf("core %d", i), coreOf(b), got, err)
		got, err = marshalBlock(b)
		if err != nil {
			t.Fatalf("block %d: %v", i, err)
		}
		sameAsJSON(t, fmt.Sprintf("block %d", i), b, got, nil)
		enc, _, err := encodeBlock(b, nil, thidua.PartElections, nil)
		if err != nil {
			t.Fatalf("block %d: %v", i, err)
		}
		got = enc.parts[bits.TrailingZeros(uint(thidua.PartElections))]
		if reflect.ValueOf(b.Elections).IsZero() {
			if got != nil {
				t.Fatalf("block %d: empty elections encoded as %q", i, got)
			}
		} else {
			sameAsJSON(t, fmt.Sprintf("block %d's elections", i), &b.Elections, got, nil)
		}
		res := b.Results
		res.Reports = nil
		got = enc.parts[bits.TrailingZeros(uint(thidua.PartResults))]
		if reflect.ValueOf(res).IsZero() {
			if got != nil {
				t.Fatalf("block %d: empty results encoded as %q", i, got)
			}
		} else {
			sameAsJSON(t, fmt.Sprintf("block %d's results", i), &res, got, nil)
		}
	}
}

// A core encoded after another, copying the text of the ids their
// records of applied updates share (see appendApplied), encodes as
// json.Marshal encodes it, and returns its record with that record's JSON,
// through records that gain ids at their end, lose some at their start,
// both, as a block's do, or are cut short, replaced, emptied, or hold an
// id twice.
func TestMarshalCoreAfterMatchesJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	b := new(thidua.Block)
	randomize(t, r, reflect.ValueOf(b).Elem(), 0)
	ids := func(n int) []int64 {
		s := make([]int64, n)
		for i := range s {
			s[i] = []int64{r.Int64N(1000), 1e9 + r.Int64N(1e9), int64(r.Uint64()), math.MinInt64, math.MaxInt64}[r.IntN(5)]
		}
		return s
	}
	var was appliedText
	for i := range 20000 {
		old := b.Applied
		switch r.IntN(8) {
		case 0:
			b.Applied = ids(r.IntN(300))
		case 1:
			b.Applied = nil
		case 2:
			b.Applied = slices.Concat(old[:max(0, len(old)-1-r.IntN(2))], ids(r.IntN(2)))
		case 3:
			if len(old) > 0 {
				b.Applied = append(slices.Clip(old), old[r.IntN(len(old))])
			}
		default: // as the handlers change a block: one update more, the oldest dropped once full
			b.MarkApplied(1e9 + r.Int64N(1e9))
			if r.IntN(4) == 0 {
				b.Applied = slices.Concat(old[min(len(old), r.IntN(4)):], ids(r.IntN(4)))
			}
		}
		got, applied, err := marshalCoreAfter(b, was)
		sameAsJSON(t, fmt.Sprintf("core %d", i), coreOf(b), got, err)
		if want := appendArray(nil, b.Applied, appendIntAt); len(b.Applied) > 0 && !bytes.Equal(applied.json, want) || !slices.Equal(applied.ids, b.Applied) {
			t.Fatalf("core %d: the record of applied updates %v returned as %v, %q", i, b.Applied, applied.ids, applied.json)
		}
		was = applied
	}
}

// appendApplied copies the text of the ids a record shares with the one
// before, from its first id on, rather than writing them again, and writes
// a record that shares none anew.
func TestAppendApplied(t *testing.T) {
	was := appliedText{ids: []int64{1, 2, 3}, json: []byte("[1, 2,3]")} // spaces that only a copy keeps
	for _, c := range []struct {
		ids  []int64
		want string
	}{
		{[]int64{1, 2, 3}, "[1, 2,3]"},
		{[]int64{1, 2, 3, 4}, "[1, 2,3,4]"},
		{[]int64{2, 3, 4}, "[ 2,3,4]"},
		{[]int64{3, 4, 5}, "[3,4,5]"},
		{[]int64{3}, "[3]"},
		{[]int64{1, 2}, "[1,2]"},
		{[]int64{2, 4}, "[2,4]"},
		{[]int64{4, 1, 2, 3}, "[4,1,2,3]"},
	} {
		if got := appendApplied([]byte("x"), c.ids, was); string(got) != "x"+c.want {
			t.Errorf("record %v after %v: %s, want x%s", c.ids, was.ids, got, c.want)
		}
	}
}

// Every rune, every byte alone and between others, and every sequence of
// two bytes, alone or followed or split by bytes that would continue a
// UTF-8 sequence, is escaped as encoding/json escapes it.
func TestEncoderStringMatchesJSON(t *testing.T) {
	check := func(s string) {
		t.Helper()
		sameAsJSON(t, fmt.Sprintf("string %q", s), s, appendString(nil, s), nil)
	}
	var sb strings.Builder
	for c := rune(0); c <= utf8.MaxRune; c++ {
		sb.WriteRune(c) // a surrogate half is written as U+FFFD
		if c%4096 == 4095 || c == utf8.MaxRune {
			check(sb.String())
			sb.Reset()
		}
	}
	for a := range 256 {
		check(string([]byte{byte(a)}))
		check("ab" + string([]byte{byte(a)}) + "cd")
		for b := range 256 {
			x, y := byte(a), byte(b)
			for _, seq := range [][]byte{{x, y}, {x, y, 0x80}, {x, y, 0xa8}, {x, y, 0x80, 0x80}, {x, 0x80, y}, {x, 0x90, y, 0x80}, {x, 0x90, 0x80, y}} {
				check(string(seq))
			}
		}
	}
}

// The Unix times of the first and the last second of the years RFC 3339
// can write: 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
const (
	firstUnix = -62167219200
	lastUnix  = 253402300799
)

// Times encode as time.Time.MarshalJSON encodes them, and those it
// refuses, appendTime refuses: the first and last instants of days about
// the turns of months, leap days, centuries and the bounds of the years
// RFC 3339 can write, in every zone of zones and at offsets about a whole
// day; times at random through those years and a little beyond them;
// times far beyond them; the zero time.
func TestAppendTimeMatchesJSON(t *testing.T) {
	locs := slices.Clone(zones)
	for _, off := range []int{1, -1, 59, -59, 60, -60, 86340, -86340, 86399, -86399, 86400, -86400, 100 * 3600, -100 * 3600, math.MaxInt32} {
		locs = append(locs, time.FixedZone("", off))
	}
	check := func(at time.Time) {
		t.Helper()
		want, wantErr := at.MarshalJSON()
		got, ok := encode(at, appendTime)
		if ok != (wantErr == nil) || ok && !bytes.Equal(got, want) {
			t.Fatalf("time %v (Unix %d): %q, %v; MarshalJSON's %q, %v", at, at.Unix(), got, ok, want, wantErr)
		}
	}
	for _, year := range []int{-1, 0, 1, 4, 99, 100, 400, 1582, 1600, 1700, 1900, 1969, 1970, 2000, 2024, 2025, 2100, 2400, 9998, 9999, 10000} {
		for _, md := range [][2]int{{1, 1}, {2, 28}, {2, 29}, {3, 1}, {6, 30}, {12, 31}} {
			for _, clock := range [][4]int{{0, 0, 0, 0}, {23, 59, 59, 999999999}, {12, 30, 5, 500000000}, {7, 0, 0, 1}} {
				for _, loc := range locs {
					check(time.Date(year, time.Month(md[0]), md[1], clock[0], clock[1], clock[2], clock[3], time.UTC).In(loc))
					check(time.Date(year, time.Month(md[0]), md[1], clock[0], clock[1], clock[2], clock[3], loc))
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(15, 16))
	for range 300000 {
		sec := firstUnix - 2*86400 + r.Int64N(lastUnix-firstUnix+4*86400)
		nsec := r.Int64N(1e9)
		if r.IntN(2) == 0 {
			nsec -= nsec % []int64{1e9, 1e8, 1e6, 1e3, 10}[r.IntN(5)]
		}
		check(time.Unix(sec, nsec).In(locs[r.IntN(len(locs))]))
	}
	for _, at := range []time.Time{{}, time.Unix(math.MaxInt64, 0), time.Unix(math.MinInt64, 0), time.Unix(1<<40, 0), time.Unix(-1<<40, 0), time.Date(-300000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(300000, 1, 1, 0, 0, 0, 0, time.UTC)} {
		for _, loc := range locs {
			check(at.In(loc))
		}
	}
}

// Integers are written as strconv.AppendInt writes them: every number
// below 2e6, about the powers of ten and the extremes, and at random; the
// division by multiplication in eightDigits is exact for every value it
// meets.
func TestAppendInt(t *testing.T) {
	for x := range uint64(10000) {
		if x*10486>>20 != x/100 || x < 100 && x*103>>10 != x/10 {
			t.Fatalf("the division of %d by multiplication is wrong", x)
		}
	}
	check := func(i int64) {
		if got, want := appendInt([]byte("x"), i), strconv.AppendInt([]byte("x"), i, 10); !bytes.Equal(got, want) {
			t.Fatalf("appendInt(%d) = %s, want %s", i, got, want)
		}
	}
	for i := range int64(2e6) {
		check(i)
		check(-i)
	}
	for p := int64(1); p <= 1e18; p *= 10 {
		for _, i := range []int64{p - 1, p, p + 1, 2*p - 1, 9 * p, -p + 1, -p, -p - 1} {
			check(i)
		}
	}
	check(math.MaxInt64)
	check(math.MinInt64)
	r := rand.New(rand.NewPCG(5, 6))
	for range 1_000_000 {
		check(int64(r.Uint64()))
		check(r.Int64N(1e16) >> r.IntN(54))
	}
}

// Values that JSON cannot hold fail as json.Marshal fails: a NaN or
// infinite value, a time of a year outside [0,9999] or in a zone 24 hours
// or more from UTC, in reports, in a block's core and in every time field
// of elections, omitzero or not, in results and in events. The bounds
// themselves encode.
func TestMarshalFailsAsJSON(t *testing.T) {
	day := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	times := []time.Time{
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 12, 31, 0, 0, 0, 0, time.UTC),
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).In(time.FixedZone("", -3600)),
		time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC).In(time.FixedZone("", 3600)),
		day.In(time.FixedZone("", 24*3600)),
		day.In(time.FixedZone("", -24*3600)),
		day.In(time.FixedZone("", 24*3600-1)),
		day.In(time.FixedZone("", 99*3600)),
		day.In(time.FixedZone("", 100*3600)),
		day.In(time.FixedZone("", -100*3600)),
	}
	for _, at := range times {
		rep := &thidua.Report{UnitID: "u1", Submission: thidua.Submission{Submitted: thidua.Attribution{At: at}}}
		got, err := marshalReport(rep)
		sameAsJSON(t, fmt.Sprintf("report at %v", at), rep, got, err)
		b := &thidua.Block{ID: "b1", CreatedAt: day, Reps: []thidua.Representative{{Since: at}}}
		got, err = marshalCore(b)
		sameAsJSON(t, fmt.Sprintf("core at %v", at), b, got, err)
		for k, es := range []thidua.Elections{
			{List: []thidua.Election{{OpenedAt: at, CloseAt: day}}},
			{List: []thidua.Election{{OpenedAt: day, CloseAt: at}}},
			{List: []thidua.Election{{OpenedAt: day, CloseAt: day, Ballots: []thidua.Ballot{{At: day}, {At: at}}}}},
			{List: []thidua.Election{{OpenedAt: day, CloseAt: day, ClosedAt: at}}},
			{List: []thidua.Election{{OpenedAt: day, CloseAt: day, DecidedAt: at}}},
			{Elected: []thidua.Elected{{At: day}, {At: at}}},
		} {
			got, err = marshalElections(&es)
			sameAsJSON(t, fmt.Sprintf("elections %d at %v", k, at), &es, got, err)
		}
		for k, res := range []thidua.Results{
			{Periods: []thidua.Period{{Due: day, Added: thidua.Attribution{At: day}}, {Due: at, Added: thidua.Attribution{At: day}}}},
			{Periods: []thidua.Period{{Due: day, Added: thidua.Attribution{At: at}}}},
			{Reports: []thidua.Report{*rep}},
			{Drafts: []thidua.ReportDraft{{Owner: thidua.Attribution{At: day}}, {Owner: thidua.Attribution{At: at}}}},
		} {
			got, err = marshalPart(&res, nil)
			sameAsJSON(t, fmt.Sprintf("results %d at %v", k, at), &res, got, err)
		}
		ev := &thidua.Event{At: at, ActorName: "Lan", Action: "report.submit", After: "Kỳ 1 — 1: 5"}
		got, err = marshalEvent(ev)
		sameAsJSON(t, fmt.Sprintf("event at %v", at), ev, got, err)
	}
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		rep := &thidua.Report{Submission: thidua.Submission{Entries: []thidua.Entry{{Value: 1}, {Value: v}}}}
		got, err := marshalReport(rep)
		sameAsJSON(t, fmt.Sprintf("report of value %v", v), rep, got, err)
		res := &thidua.Results{Drafts: []thidua.ReportDraft{{Entries: []thidua.Entry{{Value: 1}, {Value: v}}}}}
		got, err = marshalPart(res, nil)
		sameAsJSON(t, fmt.Sprintf("draft of value %v", v), res, got, err)
	}
}

// FuzzMarshal compares the hand-written encoders with json.Marshal on a
// report, a block core, elections, results and events made of the fuzzed
// strings, numbers and time,
// whatever they are: the time may be one that JSON cannot hold, the float
// NaN or infinite.
func FuzzMarshal(f *testing.F) {
	f.Add("u1", "Hội <Nông> dân & \"tỉnh\"\n", 12.65, int64(1740819600), int64(0), 7*3600, int64(42), true)
	f.Add("", "\u2028\u2029\xff\xc3\x00\x1f\x7f", math.Copysign(0, -1), int64(-62135596800), int64(999999999), -(3*3600 + 30*60), int64(-1), false)
	f.Add("\\u0041", "\xed\xa0\x80\U0001F600", 1e21, int64(253402300799), int64(1), 24*3600, int64(math.MaxInt64), true)
	f.Add("p", "%", 1e-7, int64(253402300800), int64(120000000), 0, int64(0), false)
	f.Add("a\tb", "</script>", 999999999999999999999.0, int64(-62135596801), int64(5), -100*3600, int64(math.MinInt64), true)
	f.Fuzz(func(t *testing.T, s1, s2 string, v float64, sec, nsec int64, offset int, n int64, flag bool) {
		at := time.Unix(sec, nsec).In(time.FixedZone(s1, offset))
		by := thidua.Attribution{UserID: n, Name: s2, At: at}
		sub := thidua.Submission{Revision: int(n), Entries: []thidua.Entry{{PledgeID: s1, Value: v, OfTarget: flag, Note: s2}, {}}, Submitted: by, MessageID: int(n), ReplacedDraft: int(n)}
		rs := []thidua.Report{{
			UnitID: s1, PeriodID: s2, Submission: sub,
			Evidence: []thidua.Evidence{{FileID: s2, Kind: thidua.EvidenceKind(s1), Name: s1, Caption: s2, Added: by, Album: s1, Answer: int(n)}, {}},
			Earlier:  []thidua.Submission{sub, {}},
		}, {}}
		for k := range rs {
			got, err := marshalReport(&rs[k])
			sameAsJSON(t, fmt.Sprintf("report %d", k), &rs[k], got, err)
		}

		b := &thidua.Block{
			Schema: int(n), Version: n, ID: s1, ChatID: n, Name: s2, Year: int(n), CreatedAt: at,
			Units:      []thidua.Unit{{ID: s1, Name: s2, AddedAt: at}},
			LeaderUnit: s1, DeputyUnit: s2,
			Reps:     []thidua.Representative{{UserID: n, Name: s1, Username: s2, UnitID: s1, Since: at, ApprovedBy: n, ApprovedByAdmin: flag, Lang: s2}},
			Requests: []thidua.JoinRequest{{ID: s1, UserID: n, Name: s2, Username: s1, UnitID: s2, At: at, Lang: s1, MessageID: int(n), ReplacedMessage: int(n), ReplacedUnit: s2}, {}},
			NextSeq:  int(n), Applied: []int64{n, -n},
		}
		got, err := marshalCore(b)
		sameAsJSON(t, "core", b, got, err)

		es := &thidua.Elections{
			List: []thidua.Election{{
				ID: s1, Role: thidua.Role(s2), Year: int(n), Round: int(n), Parent: s1, Secret: flag, Reelection: flag,
				Candidates: []string{s1, s2}, Roll: []thidua.RollUnit{{ID: s1, Name: s2}},
				OpenedByID: n, OpenedBy: s2, OpenedAt: at, CloseAt: at, State: thidua.ElectionState(s1),
				Ballots:  []thidua.Ballot{{UnitID: s1, Candidate: s2, Receipt: s1, UserID: n, UserName: s2, At: at}},
				ClosedAt: at, ClosedBy: s1, CloseReason: thidua.CloseReason(s2),
				Result: &thidua.Result{Roll: int(n), Cast: int(n), Tally: []thidua.Tally{{UnitID: s1, Votes: int(n)}}, Quorum: flag, Tied: []string{s2}},
				Winner: s1, Runoff: s2, DecidedBy: s1, DecidedAt: at, MessageID: int(n), AnnouncePending: flag,
			}, {}},
			Elected: []thidua.Elected{{Role: thidua.Role(s1), UnitID: s2, Name: s1, Year: int(n), ElectionID: s2, At: at}},
		}
		got, err = marshalElections(es)
		sameAsJSON(t, "elections", es, got, err)

		res := &thidua.Results{
			Periods: []thidua.Period{{ID: s1, Name: s2, Due: at, Added: by}, {}},
			Reports: rs,
			Drafts:  []thidua.ReportDraft{{ID: s2, UnitID: s1, PeriodID: s2, Owner: by, Pledges: []string{s1, s2}, Step: int(n), Entries: sub.Entries, MessageID: int(n), Replaced: int(n)}, {}},
		}
		got, err = marshalPart(res, nil)
		sameAsJSON(t, "results", res, got, err)

		for k, ev := range []thidua.Event{
			{At: at, ActorID: n, ActorName: s1, AsAdmin: flag, Action: s2, Subject: s1, Before: s2, After: s1, PersonID: n},
			{At: at, ActorName: s2, Action: s1},
		} {
			got, err = marshalEvent(&ev)
			sameAsJSON(t, fmt.Sprintf("event %d", k), &ev, got, err)
		}
	})
}

// yearEndBlock returns a block at the end of a year, built as people build
// one (see cmd/loadtest's seedBlock): 7 units with a representative each,
// 20 pledges a unit, 4 periods that every unit reported on, the elections
// of next year's leader, which every unit voted in and which closed with a
// winner, and of its deputy, open with the ballots of 5 units, and the
// record of 256 applied updates.
func yearEndBlock(tb testing.TB) *thidua.Block {
	tb.Helper()
	ict := time.FixedZone("ICT", 7*3600)
	now := time.Date(2025, 12, 20, 9, 30, 15, 123456789, ict)
	admin := thidua.Actor{UserID: 1, Name: "Quản trị", Admin: true}
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	b, err := thidua.NewBlock("b1", -1001234567890, "Khối thi đua các Sở, ban, ngành", 2025, admin, now)
	must(err)
	units, err := b.AddUnits(admin, []string{"Sở Tư pháp", "Sở Y tế", "Sở Tài chính", "Sở Nội vụ", "Sở Xây dựng", "Sở Công Thương", "Sở Giáo dục và Đào tạo"}, now)
	must(err)
	reps := make([]thidua.Actor, len(units))
	for i, u := range units {
		reps[i] = thidua.Actor{UserID: int64(100 + i), Name: fmt.Sprintf("Cán bộ đầu mối %d", i+1), Username: fmt.Sprintf("canbo%d", i+1)}
		r, err := b.RequestJoin(reps[i], u.ID, now)
		must(err)
		_, err = b.DecideJoin(admin, r.ID, true, now)
		must(err)
	}
	must(b.OpenRegistration(admin, time.Time{}, now))
	for i, u := range units {
		var drafts []thidua.PledgeDraft
		for k := range 20 {
			line := []string{
				fmt.Sprintf("Vận động xây %d nhà đại đoàn kết cho hộ nghèo | %d nhà | 30/11", 10+k, 10+k),
				fmt.Sprintf("Phát triển hội viên mới, nội dung số %d | 1.200 hội viên", k+1),
				fmt.Sprintf("Tổ chức tuyên truyền, phổ biến pháp luật đợt %d | 40%%", k+1),
			}[k%3]
			d, err := thidua.ParsePledge(line, 2025, ict)
			must(err)
			drafts = append(drafts, d)
		}
		_, err := b.AddPledges(reps[i], u.ID, drafts, now)
		must(err)
	}
	var periods []thidua.PeriodDraft
	for k := range 4 {
		d, err := thidua.ParsePeriod(fmt.Sprintf("Kỳ %d | 28/%02d", k+1, 3*(k+1)), 2025, ict)
		must(err)
		periods = append(periods, d)
	}
	_, err = b.AddPeriods(admin, periods, now)
	must(err)
	for _, p := range b.Periods() {
		for i, u := range units {
			var lines []thidua.ReportLine
			for k := range 20 {
				text := []string{fmt.Sprintf("%d %d đã khởi công %d nhà", k+1, 5+k, 2+k), fmt.Sprintf("%d 1.050", k+1), fmt.Sprintf("%d %d%%", k+1, 30+k)}[k%3]
				l, err := thidua.ParseReportLine(text)
				must(err)
				lines = append(lines, l)
			}
			_, err := b.SubmitReport(reps[i], u.ID, p.ID, lines, now)
			must(err)
		}
	}
	receipts := 0
	vote := func(e thidua.Election, voter int, candidate string) {
		tb.Helper()
		receipts++
		_, err := b.Vote(reps[voter], e.ID, candidate, fmt.Sprintf("R%04d", receipts), now)
		must(err)
	}
	leader, err := b.OpenElection(admin, thidua.ElectionSpec{Role: thidua.RoleLeader}, now)
	must(err)
	vote(leader, 0, leader.Candidates[1]) // changed below
	for i := range reps {
		vote(leader, i, leader.Candidates[min(i/4, 1)]) // the last ballot closes the election
	}
	deputy, err := b.OpenElection(admin, thidua.ElectionSpec{Role: thidua.RoleDeputy, Secret: true}, now)
	must(err)
	for i := range 5 {
		vote(deputy, i, deputy.Candidates[i%3])
	}
	for k := range 256 {
		b.MarkApplied(int64(1_000_000 + k))
	}
	b.TakeEvents()
	b.TakeChangedReports()
	return b
}

// benchmarkEncoders runs the sub-benchmarks "json" and "fast", which
// encode the same value with json.Marshal (viaJSON) and with a
// hand-written encoder (byHand).
func benchmarkEncoders(b *testing.B, viaJSON, byHand func() ([]byte, error)) {
	for _, bc := range []struct {
		name   string
		encode func() ([]byte, error)
	}{{"json", viaJSON}, {"fast", byHand}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bc.encode(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEncodeReport measures encoding what a report writes in a block
// at the end of a year (yearEndBlock): the report of the first unit for
// the last period, of 20 entries, with json.Marshal and with the
// hand-written encoder.
func BenchmarkEncodeReport(b *testing.B) {
	blk := yearEndBlock(b)
	r, ok := blk.Report(blk.Units[0].ID, blk.Results.Periods[len(blk.Results.Periods)-1].ID)
	if !ok || len(r.Entries) != 20 {
		b.Fatalf("the year-end block's report is not as described: %+v", r)
	}
	benchmarkEncoders(b,
		func() ([]byte, error) { return json.Marshal(&r) },
		func() ([]byte, error) { return marshalReport(&r) })
}

// BenchmarkEncodeEvent measures encoding the history event of a report
// in a block at the end of a year (yearEndBlock): the first unit
// resubmitting its report for the last period, 20 values before and
// after, with json.Marshal and with the hand-written encoder.
func BenchmarkEncodeEvent(b *testing.B) {
	blk := yearEndBlock(b)
	u, p := blk.Units[0].ID, blk.Results.Periods[len(blk.Results.Periods)-1].ID
	r, _ := blk.Report(u, p)
	lines := make([]thidua.ReportLine, len(r.Entries))
	for i, e := range r.Entries {
		lines[i] = thidua.ReportLine{No: i + 1, Value: thidua.Value{Number: e.Value + 1}}
	}
	if _, err := blk.SubmitReport(thidua.Actor{UserID: 100, Name: "Cán bộ đầu mối 1"}, u, p, lines, blk.CreatedAt); err != nil {
		b.Fatal(err)
	}
	events := blk.TakeEvents()
	if len(events) != 1 || events[0].Before == "" || events[0].After == "" {
		b.Fatalf("the report recorded %+v", events)
	}
	e := &events[0]
	benchmarkEncoders(b,
		func() ([]byte, error) { return json.Marshal(e) },
		func() ([]byte, error) { return marshalEvent(e) })
}

// BenchmarkEncodeResults measures encoding what a report encodes again of
// the results of a block at the end of a year (yearEndBlock), the results
// without their reports (4 periods): with json.Marshal, as the store did,
// and by hand over their own encoding, as it does, which finds them
// unchanged and copies nothing.
func BenchmarkEncodeResults(b *testing.B) {
	res := yearEndBlock(b).Results
	res.Reports = nil
	was, err := json.Marshal(&res)
	if err != nil || len(res.Periods) != 4 {
		b.Fatalf("the year-end block's results are not as described: %v %+v", err, res)
	}
	benchmarkEncoders(b,
		func() ([]byte, error) { return json.Marshal(&res) },
		func() ([]byte, error) { return marshalPart(&res, was) })
}

// BenchmarkEncodeTime measures encoding a time as a block's are, with
// time.Time.MarshalJSON and as the store does (appendTime).
func BenchmarkEncodeTime(b *testing.B) {
	at := time.Date(2025, 12, 20, 9, 30, 15, 123456789, time.FixedZone("ICT", 7*3600))
	buf := make([]byte, 0, 64)
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			_, _ = at.MarshalJSON()
		}
	})
	b.Run("store", func(b *testing.B) {
		for b.Loop() {
			buf = appendTime(buf[:0], at)
		}
	})
}

// BenchmarkEncodeCore measures encoding the core of a block at the end of
// a year (yearEndBlock) as the store did, with json.Marshal of a copy of
// the block with its parts zero, and with the hand-written encoder; and
// ("after") as a change encodes it, one more update applied, after the
// core of the block it changed, whose record of applied updates it copies
// but for the oldest id.
func BenchmarkEncodeCore(b *testing.B) {
	blk := yearEndBlock(b)
	benchmarkEncoders(b,
		func() ([]byte, error) { return json.Marshal(coreOf(blk)) },
		func() ([]byte, error) { return marshalCore(blk) })
	_, was, err := marshalCoreAfter(blk, appliedText{})
	if err != nil {
		b.Fatal(err)
	}
	next := *blk
	next.MarkApplied(2_000_000)
	b.Run("after", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := marshalCoreAfter(&next, was); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkEncodeElections measures encoding the elections of a block at
// the end of a year (yearEndBlock), as the store does on every press of a
// ballot's button: a closed election of 7 candidates with its result and
// an open one of 6 with 5 ballots, with json.Marshal and with the
// hand-written encoder.
func BenchmarkEncodeElections(b *testing.B) {
	es := &yearEndBlock(b).Elections
	if len(es.List) != 2 || es.List[0].Result == nil || len(es.Elected) != 1 || len(es.List[1].Ballots) != 5 {
		b.Fatalf("the year-end block's elections are not as described: %+v", es)
	}
	benchmarkEncoders(b,
		func() ([]byte, error) { return json.Marshal(es) },
		func() ([]byte, error) { return marshalElections(es) })
}
