package storage

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"thiduabot/thidua"
)

// This file holds hand-written JSON encoders for what the Redis store
// writes on every change: a unit's reports and the block's core. They
// produce the very bytes encoding/json does (json.Marshal, which escapes
// HTML), field by field as the types' tags say, without its reflection.
// The tests compare the two on values filled at random, and fail on a
// field of these types that the encoders do not know.

// encoder appends JSON to buf the way json.Marshal would.
type encoder struct {
	buf []byte
	// failed is set once a value has no JSON encoding: a float that is
	// NaN or infinite, or a time that time.Time.MarshalJSON rejects. The
	// caller then lets encoding/json encode the whole value, to return the
	// error it returns.
	failed bool
}

// encoders recycles the encoders' buffers between calls.
var encoders = sync.Pool{New: func() any { return new(encoder) }}

// newEncoder returns an empty encoder from the pool.
func newEncoder() *encoder {
	e := encoders.Get().(*encoder)
	e.buf, e.failed = e.buf[:0], false
	return e
}

// done returns a copy of what e encoded, which it owns, and gives e back
// to the pool.
func (e *encoder) done() []byte {
	out := bytes.Clone(e.buf)
	encoders.Put(e)
	return out
}

// marshalReports encodes a unit's reports exactly as json.Marshal(rs) does,
// and fails as it does.
func marshalReports(rs []thidua.Report) ([]byte, error) {
	e := newEncoder()
	e.reports(rs)
	if e.failed {
		encoders.Put(e)
		return json.Marshal(rs)
	}
	return e.done(), nil
}

// marshalCore encodes the block's core, its document without its parts
// (thidua.Part), exactly as json.Marshal encodes the block with its parts
// zero.
func marshalCore(b *thidua.Block) ([]byte, error) {
	e := newEncoder()
	e.coreFields(b)
	if e.failed {
		encoders.Put(e)
		c := *b
		for _, p := range c.Parts() {
			reflect.ValueOf(p).Elem().SetZero()
		}
		return json.Marshal(&c)
	}
	e.buf = append(e.buf, '}')
	return e.done(), nil
}

// raw appends s as it is.
func (e *encoder) raw(s string) { e.buf = append(e.buf, s...) }

// int appends an integer.
func (e *encoder) int(i int64) { e.buf = strconv.AppendInt(e.buf, i, 10) }

// float appends a float64 as encoding/json does: like ES6's number to
// string conversion, in exponent form below 1e-6 and from 1e21 on, with an
// exponent of one digit not padded to two. A NaN or an infinity fails e.
func (e *encoder) float(f float64) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		e.failed = true
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	e.buf = strconv.AppendFloat(e.buf, f, format, -1, 64)
	if n := len(e.buf); format == 'e' && n >= 4 && e.buf[n-4] == 'e' && e.buf[n-3] == '-' && e.buf[n-2] == '0' {
		e.buf[n-2] = e.buf[n-1] // e-07 to e-7
		e.buf = e.buf[:n-1]
	}
}

// time appends a time as time.Time.MarshalJSON does: quoted RFC 3339 with
// nanoseconds, trailing zeros dropped. As MarshalJSON does, it fails e for
// a year outside [0,9999] or a zone offset of 24 hours or more, which RFC
// 3339 cannot write.
func (e *encoder) time(t time.Time) {
	e.buf = append(e.buf, '"')
	n0 := len(e.buf)
	e.buf = t.AppendFormat(e.buf, time.RFC3339Nano)
	b := e.buf
	switch {
	case b[n0+len("9999")] != '-': // a year of other than four digits
		e.failed = true
	case b[len(b)-1] != 'Z':
		c := b[len(b)-len("Z07:00")]
		if '0' <= c && c <= '9' || 10*(b[len(b)-5]-'0')+b[len(b)-4]-'0' >= 24 {
			e.failed = true
		}
	}
	e.buf = append(e.buf, '"')
}

// htmlSafe tells the ASCII characters that encoding/json writes in a
// string as they are: the printable ones but for the quote, the backslash
// and <, > and &, which it escapes so that the JSON can be embedded in HTML.
var htmlSafe = func() (safe [utf8.RuneSelf]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		safe[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return safe
}()

// hexDigits are the digits of \u escapes, in encoding/json's lower case.
const hexDigits = "0123456789abcdef"

// str appends a quoted string escaped as encoding/json escapes it: the
// quote and the backslash, \b, \f, \n, \r and \t in short form, the other
// control characters, <, >, &, U+2028 and U+2029 as \u00XX or \u202X,
// and each byte of invalid UTF-8 as \ufffd.
func (e *encoder) str(s string) {
	e.buf = append(e.buf, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if htmlSafe[c] {
				i++
				continue
			}
			e.buf = append(e.buf, s[start:i]...)
			switch c {
			case '\\', '"':
				e.buf = append(e.buf, '\\', c)
			case '\b':
				e.buf = append(e.buf, '\\', 'b')
			case '\f':
				e.buf = append(e.buf, '\\', 'f')
			case '\n':
				e.buf = append(e.buf, '\\', 'n')
			case '\r':
				e.buf = append(e.buf, '\\', 'r')
			case '\t':
				e.buf = append(e.buf, '\\', 't')
			default:
				e.buf = append(e.buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			e.buf = append(append(e.buf, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			e.buf = append(append(e.buf, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	e.buf = append(append(e.buf, s[start:]...), '"')
}

// array appends a JSON array of the elements of s, each by elem, or null
// for a nil slice.
func array[T any](e *encoder, s []T, elem func(*encoder, *T)) {
	if s == nil {
		e.raw("null")
		return
	}
	e.buf = append(e.buf, '[')
	for i := range s {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		elem(e, &s[i])
	}
	e.buf = append(e.buf, ']')
}

// reports appends a list of reports.
func (e *encoder) reports(rs []thidua.Report) { array(e, rs, (*encoder).report) }

// report appends a report, its submission's fields promoted into it as
// encoding/json does with an embedded struct.
func (e *encoder) report(r *thidua.Report) {
	e.raw(`{"unit_id":`)
	e.str(r.UnitID)
	e.raw(`,"period_id":`)
	e.str(r.PeriodID)
	e.buf = append(e.buf, ',')
	e.submissionFields(&r.Submission)
	if len(r.Evidence) > 0 {
		e.raw(`,"evidence":`)
		array(e, r.Evidence, (*encoder).evidence)
	}
	if len(r.Earlier) > 0 {
		e.raw(`,"earlier":`)
		array(e, r.Earlier, (*encoder).submission)
	}
	e.buf = append(e.buf, '}')
}

// submission appends a submission.
func (e *encoder) submission(s *thidua.Submission) {
	e.buf = append(e.buf, '{')
	e.submissionFields(s)
	e.buf = append(e.buf, '}')
}

// submissionFields appends the fields of a submission, without braces.
func (e *encoder) submissionFields(s *thidua.Submission) {
	e.raw(`"revision":`)
	e.int(int64(s.Revision))
	if len(s.Entries) > 0 {
		e.raw(`,"entries":`)
		array(e, s.Entries, (*encoder).entry)
	}
	e.raw(`,"submitted":`)
	e.attribution(&s.Submitted)
	if s.MessageID != 0 {
		e.raw(`,"message_id":`)
		e.int(int64(s.MessageID))
	}
}

// entry appends a report's entry.
func (e *encoder) entry(en *thidua.Entry) {
	e.raw(`{"pledge_id":`)
	e.str(en.PledgeID)
	e.raw(`,"value":`)
	e.float(en.Value)
	if en.OfTarget {
		e.raw(`,"of_target":true`)
	}
	if en.Note != "" {
		e.raw(`,"note":`)
		e.str(en.Note)
	}
	e.buf = append(e.buf, '}')
}

// evidence appends a piece of evidence.
func (e *encoder) evidence(ev *thidua.Evidence) {
	e.raw(`{"file_id":`)
	e.str(ev.FileID)
	e.raw(`,"kind":`)
	e.str(string(ev.Kind))
	if ev.Name != "" {
		e.raw(`,"name":`)
		e.str(ev.Name)
	}
	if ev.Caption != "" {
		e.raw(`,"caption":`)
		e.str(ev.Caption)
	}
	e.raw(`,"added":`)
	e.attribution(&ev.Added)
	e.buf = append(e.buf, '}')
}

// attribution appends who did something and when.
func (e *encoder) attribution(a *thidua.Attribution) {
	e.raw(`{"user_id":`)
	e.int(a.UserID)
	e.raw(`,"name":`)
	e.str(a.Name)
	e.raw(`,"at":`)
	e.time(a.At)
	e.buf = append(e.buf, '}')
}

// coreFields appends the block's core as a JSON object without its closing
// brace, for the parts to follow.
func (e *encoder) coreFields(b *thidua.Block) {
	e.raw(`{"schema":`)
	e.int(int64(b.Schema))
	e.raw(`,"version":`)
	e.int(b.Version)
	e.raw(`,"id":`)
	e.str(b.ID)
	e.raw(`,"chat_id":`)
	e.int(b.ChatID)
	e.raw(`,"name":`)
	e.str(b.Name)
	e.raw(`,"year":`)
	e.int(int64(b.Year))
	e.raw(`,"created_at":`)
	e.time(b.CreatedAt)
	e.raw(`,"units":`)
	array(e, b.Units, (*encoder).unit)
	if b.LeaderUnit != "" {
		e.raw(`,"leader_unit":`)
		e.str(b.LeaderUnit)
	}
	if b.DeputyUnit != "" {
		e.raw(`,"deputy_unit":`)
		e.str(b.DeputyUnit)
	}
	e.raw(`,"reps":`)
	array(e, b.Reps, (*encoder).representative)
	if len(b.Requests) > 0 {
		e.raw(`,"requests":`)
		array(e, b.Requests, (*encoder).joinRequest)
	}
	e.raw(`,"next_seq":`)
	e.int(int64(b.NextSeq))
	if len(b.Applied) > 0 {
		e.raw(`,"applied":`)
		array(e, b.Applied, func(e *encoder, id *int64) { e.int(*id) })
	}
}

// unit appends a unit of the block.
func (e *encoder) unit(u *thidua.Unit) {
	e.raw(`{"id":`)
	e.str(u.ID)
	e.raw(`,"name":`)
	e.str(u.Name)
	e.raw(`,"added_at":`)
	e.time(u.AddedAt)
	e.buf = append(e.buf, '}')
}

// representative appends a unit's representative.
func (e *encoder) representative(r *thidua.Representative) {
	e.raw(`{"user_id":`)
	e.int(r.UserID)
	e.raw(`,"name":`)
	e.str(r.Name)
	if r.Username != "" {
		e.raw(`,"username":`)
		e.str(r.Username)
	}
	e.raw(`,"unit_id":`)
	e.str(r.UnitID)
	e.raw(`,"since":`)
	e.time(r.Since)
	if r.ApprovedBy != 0 {
		e.raw(`,"approved_by":`)
		e.int(r.ApprovedBy)
	}
	if r.ApprovedByAdmin {
		e.raw(`,"approved_by_admin":true`)
	}
	e.buf = append(e.buf, '}')
}

// joinRequest appends a pending request to represent a unit.
func (e *encoder) joinRequest(r *thidua.JoinRequest) {
	e.raw(`{"id":`)
	e.str(r.ID)
	e.raw(`,"user_id":`)
	e.int(r.UserID)
	e.raw(`,"name":`)
	e.str(r.Name)
	if r.Username != "" {
		e.raw(`,"username":`)
		e.str(r.Username)
	}
	e.raw(`,"unit_id":`)
	e.str(r.UnitID)
	e.raw(`,"at":`)
	e.time(r.At)
	e.buf = append(e.buf, '}')
}
