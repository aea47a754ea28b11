package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"math/bits"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"thiduabot/thidua"
)

// This file holds hand-written JSON encoders for what the Redis store
// writes on every change: a report, the block's core, its elections,
// which every press of a ballot's button changes, its results, which a
// report encodes again only to find them as they were, and the history's
// events, which both stores append on every change. They
// produce the very bytes encoding/json does (json.Marshal, which escapes
// HTML), field by field as the types' tags say, without its reflection.
// The tests compare the two on values filled at random, and fail on a
// field of these types that the encoders do not know.
//
// The append functions below append a value's JSON to dst and return the
// extended slice. A value that has no JSON encoding (a float that is NaN
// or infinite, a time that time.Time.MarshalJSON rejects) makes them panic
// with unencodable, as encoding/json's own encoder panics internally; encode
// recovers it, and the caller lets json.Marshal encode the value to return
// the error it returns.

// unencodable is the panic of an append function on a value that has no
// JSON encoding.
type unencodable struct{}

// buffers recycles the encoders' buffers between calls.
var buffers = sync.Pool{New: func() any { return new([]byte) }}

// encode appends v's JSON by appendJSON to a pooled buffer and returns a
// copy of it that the caller owns, or false if v has no JSON encoding.
func encode[T any](v T, appendJSON func([]byte, T) []byte) (out []byte, ok bool) {
	return encodeAgain(nil, v, appendJSON)
}

// encodeAgain is encode for a value whose JSON was was before a change:
// when v's JSON is still was's bytes, it returns was itself and copies
// nothing, so that a part a change left as it was costs its encoding
// alone.
func encodeAgain[T any](was []byte, v T, appendJSON func([]byte, T) []byte) (out []byte, ok bool) {
	buf := buffers.Get().(*[]byte)
	defer func() {
		buffers.Put(buf)
		if r := recover(); r != nil {
			if _, is := r.(unencodable); !is {
				panic(r)
			}
			out, ok = nil, false
		}
	}()
	*buf = appendJSON((*buf)[:0], v)
	if was != nil && bytes.Equal(*buf, was) {
		return was, true
	}
	return bytes.Clone(*buf), true
}

// marshalReport encodes a report exactly as json.Marshal(r) does, and
// fails as it does.
func marshalReport(r *thidua.Report) ([]byte, error) {
	if out, ok := encode(r, appendReport); ok {
		return out, nil
	}
	return json.Marshal(r)
}

// marshalEvent encodes a history event exactly as json.Marshal(e) does,
// and fails as it does.
func marshalEvent(e *thidua.Event) ([]byte, error) {
	if out, ok := encode(e, appendEvent); ok {
		return out, nil
	}
	return json.Marshal(e)
}

// appliedText is a block's record of applied updates (thidua.Block.Applied)
// and its JSON array as the block's core holds it.
type appliedText struct {
	// ids is the record itself, which the domain never changes in place
	// (it replaces it), so that it stays what json encodes.
	ids  []int64
	json []byte
}

// marshalCoreAfter encodes the block's core, its document without its
// parts (thidua.Part), exactly as json.Marshal encodes the block with its
// parts zero, and fails as it does. The block was changed from one whose
// core held the record of applied updates was (none when unknown): the ids
// the two records share are copied from was's JSON (see appendApplied).
// It returns the record the core holds too, for the next change.
func marshalCoreAfter(b *thidua.Block, was appliedText) ([]byte, appliedText, error) {
	j := &coreJob{b: b, was: was}
	if out, ok := encode(j, appendCoreJob); ok {
		return out, appliedText{ids: b.Applied, json: out[j.start:j.end:j.end]}, nil
	}
	c := *b
	for _, p := range c.Parts() {
		reflect.ValueOf(p).Elem().SetZero()
	}
	core, err := json.Marshal(&c)
	return core, appliedText{}, err
}

// marshalElections encodes the block's elections exactly as
// json.Marshal(e) does, and fails as it does.
func marshalElections(e *thidua.Elections) ([]byte, error) {
	if e == nil {
		return []byte("null"), nil
	}
	if out, ok := encode(e, appendElections); ok {
		return out, nil
	}
	return json.Marshal(e)
}

// marshalPart encodes a part of the block, p from thidua.Block.Parts (or
// the results without their reports, as encodeBlock writes them), exactly
// as json.Marshal(p) does, and fails as it does: the elections and the
// results by hand, the other parts with encoding/json. was is the part's
// encoding before the change, or nil: when the part still encodes to its
// bytes, the elections and the results return was itself, having copied
// nothing.
func marshalPart(p any, was []byte) ([]byte, error) {
	var (
		out []byte
		ok  bool
	)
	switch p := p.(type) {
	case *thidua.Elections:
		out, ok = encodeAgain(was, p, appendElections)
	case *thidua.Results:
		out, ok = encodeAgain(was, p, appendResults)
	}
	if ok {
		return out, nil
	}
	return json.Marshal(p)
}

// appendBlock appends the block's whole document: its core, then each of
// its parts that is not zero (the parts' tags say omitzero), as appendPart
// encodes it.
func appendBlock(dst []byte, b *thidua.Block) []byte {
	dst = appendCoreFields(dst, b, nil)
	for i, p := range b.Parts() {
		if reflect.ValueOf(p).Elem().IsZero() {
			continue
		}
		dst = appendPart(append(append(append(dst, ',', '"'), partNames[i]...), '"', ':'), p)
	}
	return append(dst, '}')
}

// appendPart appends a part of the block, p from thidua.Block.Parts: the
// elections and the results by hand (appendElections, appendResults), the
// other parts with encoding/json.
func appendPart(dst []byte, p any) []byte {
	switch p := p.(type) {
	case *thidua.Elections:
		return appendElections(dst, p)
	case *thidua.Results:
		return appendResults(dst, p)
	}
	part, err := json.Marshal(p)
	if err != nil {
		panic(unencodable{})
	}
	return append(dst, part...)
}

// appendInt appends i in decimal, as strconv.AppendInt(dst, i, 10) does,
// but quicker for the ids and counts of a block: a number of up to 16
// digits is converted 8 digits at a time (eightDigits).
func appendInt(dst []byte, i int64) []byte {
	u := uint64(i)
	if i < 0 {
		dst = append(dst, '-')
		u = -u
	}
	switch {
	case u < 10:
		return append(dst, byte('0'+u))
	case u >= 1e16:
		return strconv.AppendUint(dst, u, 10)
	}
	high := u
	if u >= 1e8 {
		high = u / 1e8
	}
	d := eightDigits(high)
	zeros := bits.TrailingZeros64(d) &^ 7 // the leading zero digits, in bits
	n := len(dst) + 8 - zeros/8
	dst = binary.LittleEndian.AppendUint64(dst, (d|zeroDigits)>>zeros)[:n]
	if u >= 1e8 {
		dst = binary.LittleEndian.AppendUint64(dst, eightDigits(u%1e8)|zeroDigits)
	}
	return dst
}

// zeroDigits is eight '0' characters as the bytes of a word.
const zeroDigits = 0x30303030_30303030

// eightDigits returns the eight decimal digits of u < 1e8, with leading
// zeros, as the bytes of a word, the first digit in the lowest byte (so
// that a little-endian store writes them in order), each a value from 0
// to 9. It splits u in halves of four digits, each half in two pairs and
// each pair in two digits, in every lane of the word at once: for the
// values it meets, x/100 is x*10486>>20 and x/10 is x*103>>10, and no lane
// overflows into the next.
func eightDigits(u uint64) uint64 {
	x := u/10000 | u%10000<<32                 // two lanes of 32 bits, four digits each
	h := x * 10486 >> 20 & 0x0000007F_0000007F // their first two digits
	x = h | (x-h*100)<<16                      // four lanes of 16 bits, two digits each
	h = x * 103 >> 10 & 0x000F_000F_000F_000F  // their first digit
	return h | (x-h*10)<<8                     // eight lanes of 8 bits, a digit each
}

// appendFloat appends a float64 as encoding/json does: like ES6's number
// to string conversion, in exponent form below 1e-6 and from 1e21 on, with
// an exponent of one digit not padded to two. A whole number of less than
// 2^53, the common case, is written as an integer, which is the same
// shortest form but quicker.
func appendFloat(dst []byte, f float64) []byte {
	if i := int64(f); float64(i) == f && -1<<53 < i && i < 1<<53 && (i != 0 || !math.Signbit(f)) {
		return appendInt(dst, i)
	}
	if math.IsInf(f, 0) || math.IsNaN(f) {
		panic(unencodable{})
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if n := len(dst); format == 'e' && n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
		dst[n-2] = dst[n-1] // e-07 to e-7
		dst = dst[:n-1]
	}
	return dst
}

// appendTime appends a time as time.Time.MarshalJSON does: quoted RFC 3339
// with nanoseconds, trailing zeros dropped, by time.Time.AppendFormat. As
// MarshalJSON does, it rejects a year outside [0,9999] or a zone offset of
// 24 hours or more, which RFC 3339 cannot write.
func appendTime(dst []byte, t time.Time) []byte {
	dst = append(dst, '"')
	n0 := len(dst)
	dst = t.AppendFormat(dst, time.RFC3339Nano)
	switch n := len(dst); {
	case dst[n0+len("9999")] != '-': // a year of other than four digits
		panic(unencodable{})
	case dst[n-1] != 'Z':
		if c := dst[n-len("Z07:00")]; '0' <= c && c <= '9' || 10*(dst[n-5]-'0')+dst[n-4]-'0' >= 24 {
			panic(unencodable{})
		}
	}
	return append(dst, '"')
}

// Classes of the byte that starts a character in a string, for
// appendString.
const (
	byteSafe   = iota // ASCII that encoding/json writes as it is
	byteEscape        // ASCII that it escapes
	byteLead2         // the first byte of a 2-byte UTF-8 sequence
	byteLead3         // the first byte of a 3-byte one
	byteLead4         // the first byte of a 4-byte one
	byteBad           // a byte that starts no UTF-8 sequence
)

// byteClass classes every byte value: printable ASCII is safe but for the
// quote, the backslash and <, > and &, which encoding/json escapes so that
// the JSON can be embedded in HTML; the lead bytes are those of UTF-8's
// well-formed sequences (0x80 to 0xC1 and 0xF5 on start none).
var byteClass = func() (class [256]uint8) {
	for c := range 256 {
		switch {
		case c < ' ', c == '"', c == '\\', c == '<', c == '>', c == '&':
			class[c] = byteEscape
		case c < utf8.RuneSelf:
			class[c] = byteSafe
		case 0xC2 <= c && c <= 0xDF:
			class[c] = byteLead2
		case 0xE0 <= c && c <= 0xEF:
			class[c] = byteLead3
		case 0xF0 <= c && c <= 0xF4:
			class[c] = byteLead4
		default:
			class[c] = byteBad
		}
	}
	return class
}()

// hexDigits are the digits of \u escapes, in encoding/json's lower case.
const hexDigits = "0123456789abcdef"

// appendString appends a quoted string escaped as encoding/json escapes
// it: the quote and the backslash, \b, \f, \n, \r and \t in short form,
// the other control characters and <, > and & as \u00XX, U+2028 and
// U+2029 as \u2028 and \u2029, and each byte that utf8.DecodeRuneInString
// would decode as utf8.RuneError of size 1 (not the start of a well-formed
// sequence) as \ufffd. It checks the UTF-8 sequences in line rather than
// decoding their runes.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch byteClass[c] {
		case byteSafe:
			i++
			continue
		case byteEscape:
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		case byteLead2:
			if i+1 < len(s) && continuation(s[i+1]) {
				i += 2
				continue
			}
		case byteLead3:
			if i+2 < len(s) && second(c, s[i+1]) && continuation(s[i+2]) {
				if c == 0xE2 && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9) { // U+2028, U+2029
					dst = append(append(dst, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[s[i+2]&0xF])
					start = i + 3
				}
				i += 3
				continue
			}
		case byteLead4:
			if i+3 < len(s) && second(c, s[i+1]) && continuation(s[i+2]) && continuation(s[i+3]) {
				i += 4
				continue
			}
		}
		dst = append(append(dst, s[start:i]...), `\ufffd`...) // not the start of a well-formed sequence
		i++
		start = i
	}
	return append(append(dst, s[start:]...), '"')
}

// continuation reports whether c continues a UTF-8 sequence.
func continuation(c byte) bool { return c&0xC0 == 0x80 }

// second reports whether c may follow the lead byte of a 3- or 4-byte
// UTF-8 sequence: a continuation byte, in a narrower range after the lead
// bytes whose sequences would otherwise include overlong forms (0xE0,
// 0xF0), surrogate halves (0xED) or runes beyond U+10FFFF (0xF4).
func second(lead, c byte) bool {
	switch lead {
	case 0xE0:
		return 0xA0 <= c && c <= 0xBF
	case 0xED:
		return 0x80 <= c && c <= 0x9F
	case 0xF0:
		return 0x90 <= c && c <= 0xBF
	case 0xF4:
		return 0x80 <= c && c <= 0x8F
	}
	return continuation(c)
}

// appendArray appends a JSON array of the elements of s, each by elem, or
// null for a nil slice.
func appendArray[T any](dst []byte, s []T, elem func([]byte, *T) []byte) []byte {
	if s == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i := range s {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = elem(dst, &s[i])
	}
	return append(dst, ']')
}

// appendStringAt appends the string at s, for appendArray.
func appendStringAt(dst []byte, s *string) []byte { return appendString(dst, *s) }

// appendIntAt appends the number at i, for appendArray.
func appendIntAt(dst []byte, i *int64) []byte { return appendInt(dst, *i) }

// appendOmitEmpty appends a string field whose tag says omitempty, unless
// s is empty: key, the comma that separates the field from the one before
// it with the field's quoted name and its colon, then s.
func appendOmitEmpty(dst []byte, key, s string) []byte {
	if s == "" {
		return dst
	}
	return appendString(append(dst, key...), s)
}

// appendResults appends the block's results: their periods, reports and
// drafts, each left out when empty.
func appendResults(dst []byte, res *thidua.Results) []byte {
	dst = append(dst, '{')
	comma := false
	if len(res.Periods) > 0 {
		dst = appendArray(append(dst, `"periods":`...), res.Periods, appendPeriod)
		comma = true
	}
	if len(res.Reports) > 0 {
		if comma {
			dst = append(dst, ',')
		}
		dst = appendArray(append(dst, `"reports":`...), res.Reports, appendReport)
		comma = true
	}
	if len(res.Drafts) > 0 {
		if comma {
			dst = append(dst, ',')
		}
		dst = appendArray(append(dst, `"drafts":`...), res.Drafts, appendReportDraft)
	}
	return append(dst, '}')
}

// appendPeriod appends a reporting period.
func appendPeriod(dst []byte, p *thidua.Period) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendString(dst, p.ID)
	dst = append(dst, `,"name":`...)
	dst = appendString(dst, p.Name)
	dst = append(dst, `,"due":`...)
	dst = appendTime(dst, p.Due)
	dst = append(dst, `,"added":`...)
	return append(appendAttribution(dst, &p.Added), '}')
}

// appendReportDraft appends a report being filled in step by step.
func appendReportDraft(dst []byte, d *thidua.ReportDraft) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendString(dst, d.ID)
	dst = append(dst, `,"unit_id":`...)
	dst = appendString(dst, d.UnitID)
	dst = append(dst, `,"period_id":`...)
	dst = appendString(dst, d.PeriodID)
	dst = append(dst, `,"owner":`...)
	dst = appendAttribution(dst, &d.Owner)
	dst = append(dst, `,"pledges":`...)
	dst = appendArray(dst, d.Pledges, appendStringAt)
	dst = append(dst, `,"step":`...)
	dst = appendInt(dst, int64(d.Step))
	if len(d.Entries) > 0 {
		dst = append(dst, `,"entries":`...)
		dst = appendArray(dst, d.Entries, appendEntry)
	}
	if d.MessageID != 0 {
		dst = append(dst, `,"message_id":`...)
		dst = appendInt(dst, int64(d.MessageID))
	}
	if d.Replaced != 0 {
		dst = append(dst, `,"replaced":`...)
		dst = appendInt(dst, int64(d.Replaced))
	}
	return append(dst, '}')
}

// appendReport appends a report, its submission's fields promoted into it
// as encoding/json does with an embedded struct.
func appendReport(dst []byte, r *thidua.Report) []byte {
	dst = append(dst, `{"unit_id":`...)
	dst = appendString(dst, r.UnitID)
	dst = append(dst, `,"period_id":`...)
	dst = appendString(dst, r.PeriodID)
	dst = appendSubmissionFields(append(dst, ','), &r.Submission)
	if len(r.Evidence) > 0 {
		dst = append(dst, `,"evidence":`...)
		dst = appendArray(dst, r.Evidence, appendEvidence)
	}
	if len(r.Earlier) > 0 {
		dst = append(dst, `,"earlier":`...)
		dst = appendArray(dst, r.Earlier, appendSubmission)
	}
	return append(dst, '}')
}

// appendSubmission appends a submission.
func appendSubmission(dst []byte, s *thidua.Submission) []byte {
	return append(appendSubmissionFields(append(dst, '{'), s), '}')
}

// appendSubmissionFields appends the fields of a submission, without
// braces.
func appendSubmissionFields(dst []byte, s *thidua.Submission) []byte {
	dst = append(dst, `"revision":`...)
	dst = appendInt(dst, int64(s.Revision))
	if len(s.Entries) > 0 {
		dst = append(dst, `,"entries":`...)
		dst = appendArray(dst, s.Entries, appendEntry)
	}
	dst = append(dst, `,"submitted":`...)
	dst = appendAttribution(dst, &s.Submitted)
	if s.MessageID != 0 {
		dst = append(dst, `,"message_id":`...)
		dst = appendInt(dst, int64(s.MessageID))
	}
	if s.ReplacedDraft != 0 {
		dst = append(dst, `,"replaced_draft":`...)
		dst = appendInt(dst, int64(s.ReplacedDraft))
	}
	return dst
}

// appendEntry appends a report's entry.
func appendEntry(dst []byte, e *thidua.Entry) []byte {
	dst = append(dst, `{"pledge_id":`...)
	dst = appendString(dst, e.PledgeID)
	dst = append(dst, `,"value":`...)
	dst = appendFloat(dst, e.Value)
	if e.OfTarget {
		dst = append(dst, `,"of_target":true`...)
	}
	dst = appendOmitEmpty(dst, `,"note":`, e.Note)
	return append(dst, '}')
}

// appendEvidence appends a piece of evidence.
func appendEvidence(dst []byte, e *thidua.Evidence) []byte {
	dst = append(dst, `{"file_id":`...)
	dst = appendString(dst, e.FileID)
	dst = append(dst, `,"kind":`...)
	dst = appendString(dst, string(e.Kind))
	dst = appendOmitEmpty(dst, `,"name":`, e.Name)
	dst = appendOmitEmpty(dst, `,"caption":`, e.Caption)
	dst = append(dst, `,"added":`...)
	dst = appendAttribution(dst, &e.Added)
	dst = appendOmitEmpty(dst, `,"album":`, e.Album)
	if e.Answer != 0 {
		dst = append(dst, `,"answer":`...)
		dst = appendInt(dst, int64(e.Answer))
	}
	return append(dst, '}')
}

// appendAttribution appends who did something and when.
func appendAttribution(dst []byte, a *thidua.Attribution) []byte {
	dst = append(dst, `{"user_id":`...)
	dst = appendInt(dst, a.UserID)
	dst = append(dst, `,"name":`...)
	dst = appendString(dst, a.Name)
	dst = append(dst, `,"at":`...)
	return append(appendTime(dst, a.At), '}')
}

// appendEvent appends an event of the block's history.
func appendEvent(dst []byte, e *thidua.Event) []byte {
	dst = append(dst, `{"at":`...)
	dst = appendTime(dst, e.At)
	dst = append(dst, `,"actor_id":`...)
	dst = appendInt(dst, e.ActorID)
	dst = append(dst, `,"actor_name":`...)
	dst = appendString(dst, e.ActorName)
	if e.AsAdmin {
		dst = append(dst, `,"as_admin":true`...)
	}
	dst = append(dst, `,"action":`...)
	dst = appendString(dst, e.Action)
	dst = appendOmitEmpty(dst, `,"subject":`, e.Subject)
	dst = appendOmitEmpty(dst, `,"before":`, e.Before)
	dst = appendOmitEmpty(dst, `,"after":`, e.After)
	if e.PersonID != 0 {
		dst = append(dst, `,"person_id":`...)
		dst = appendInt(dst, e.PersonID)
	}
	return append(dst, '}')
}

// coreJob is what appendCoreJob encodes: a block's core, with the record
// of applied updates that the core it was changed from held (see
// appendApplied); and, once encoded, where the core's record stands in its
// JSON, from start to end.
type coreJob struct {
	b          *thidua.Block
	was        appliedText
	start, end int
}

// appendCoreJob appends the block's core, its document without its parts,
// as j says, and notes in j where its record of applied updates stands.
func appendCoreJob(dst []byte, j *coreJob) []byte {
	return append(appendCoreFields(dst, j.b, j), '}')
}

// appendCoreFields appends the block's core as a JSON object without its
// closing brace, for the parts to follow. With j, which must be of the
// block, its record of applied updates follows j.was (see appendApplied)
// and j notes where it stands in dst.
func appendCoreFields(dst []byte, b *thidua.Block, j *coreJob) []byte {
	dst = append(dst, `{"schema":`...)
	dst = appendInt(dst, int64(b.Schema))
	dst = append(dst, `,"version":`...)
	dst = appendInt(dst, b.Version)
	dst = append(dst, `,"id":`...)
	dst = appendString(dst, b.ID)
	dst = append(dst, `,"chat_id":`...)
	dst = appendInt(dst, b.ChatID)
	if b.Home != (thidua.Topic{}) {
		dst = append(dst, `,"home":{"thread":`...)
		dst = appendInt(dst, int64(b.Home.Thread))
		dst = append(appendOmitEmpty(dst, `,"name":`, b.Home.Name), '}')
	}
	dst = append(dst, `,"name":`...)
	dst = appendString(dst, b.Name)
	dst = append(dst, `,"year":`...)
	dst = appendInt(dst, int64(b.Year))
	dst = append(dst, `,"created_at":`...)
	dst = appendTime(dst, b.CreatedAt)
	dst = append(dst, `,"units":`...)
	dst = appendArray(dst, b.Units, appendUnit)
	dst = appendOmitEmpty(dst, `,"leader_unit":`, b.LeaderUnit)
	dst = appendOmitEmpty(dst, `,"deputy_unit":`, b.DeputyUnit)
	dst = append(dst, `,"reps":`...)
	dst = appendArray(dst, b.Reps, appendRepresentative)
	if len(b.Requests) > 0 {
		dst = append(dst, `,"requests":`...)
		dst = appendArray(dst, b.Requests, appendJoinRequest)
	}
	dst = append(dst, `,"next_seq":`...)
	dst = appendInt(dst, int64(b.NextSeq))
	if len(b.Removed) > 0 {
		dst = append(dst, `,"removed":`...)
		dst = appendArray(dst, b.Removed, appendRemovedUnit)
	}
	if len(b.Applied) > 0 {
		dst = append(dst, `,"applied":`...)
		if j == nil {
			dst = appendArray(dst, b.Applied, appendIntAt)
		} else {
			j.start = len(dst)
			dst = appendApplied(dst, b.Applied, j.was)
			j.end = len(dst)
		}
	}
	if m := &b.Menus; m.ChatID != 0 || m.Stamp != "" || m.Holders != nil {
		dst = append(dst, `,"menus":`...)
		dst = appendMenus(dst, m)
	}
	return dst
}

// appendApplied appends the record of applied updates ids as a JSON array,
// as appendArray does, but copies the text of the ids it shares with was,
// a record and its JSON: those from the first of ids on, when was ends
// with the ids that ids begins with. Every change the handlers make marks
// its update applied (thidua.Block.MarkApplied): its block's record is its
// cached block's but for the oldest id, once the record is full, and
// followed by the update's, so that a change writes the one id, not the
// 256 of a record, most of the core's encoding.
func appendApplied(dst []byte, ids []int64, was appliedText) []byte {
	if k := slices.Index(was.ids, ids[0]); k >= 0 {
		kept := was.ids[k:]
		if len(kept) <= len(ids) && slices.Equal(kept, ids[:len(kept)]) {
			text := was.json[1 : len(was.json)-1] // the ids, without the brackets
			for range k {
				text = text[bytes.IndexByte(text, ',')+1:]
			}
			dst = append(append(dst, '['), text...)
			for _, id := range ids[len(kept):] {
				dst = appendInt(append(dst, ','), id)
			}
			return append(dst, ']')
		}
	}
	return appendArray(dst, ids, appendIntAt)
}

// appendMenus appends the record of the command menus the bot gave.
func appendMenus(dst []byte, m *thidua.Menus) []byte {
	dst = append(dst, `{"chat_id":`...)
	dst = appendInt(dst, m.ChatID)
	dst = appendOmitEmpty(dst, `,"stamp":`, m.Stamp)
	if len(m.Holders) > 0 {
		dst = append(dst, `,"holders":`...)
		dst = appendArray(dst, m.Holders, appendIntAt)
	}
	return append(dst, '}')
}

// appendUnit appends a unit of the block.
func appendUnit(dst []byte, u *thidua.Unit) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendString(dst, u.ID)
	dst = append(dst, `,"name":`...)
	dst = appendString(dst, u.Name)
	dst = append(dst, `,"added_at":`...)
	dst = appendTime(dst, u.AddedAt)
	if len(u.Former) > 0 {
		dst = append(dst, `,"former":`...)
		dst = appendArray(dst, u.Former, appendFormerName)
	}
	return append(dst, '}')
}

// appendFormerName appends a name a unit had before.
func appendFormerName(dst []byte, f *thidua.FormerName) []byte {
	dst = append(dst, `{"name":`...)
	dst = appendString(dst, f.Name)
	dst = append(dst, `,"until":`...)
	return append(appendTime(dst, f.Until), '}')
}

// appendRemovedUnit appends a unit removed from the block.
func appendRemovedUnit(dst []byte, r *thidua.RemovedUnit) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendString(dst, r.ID)
	dst = append(dst, `,"name":`...)
	dst = appendString(dst, r.Name)
	dst = append(dst, `,"at":`...)
	dst = appendTime(dst, r.At)
	dst = append(dst, `,"by":`...)
	return append(appendString(dst, r.By), '}')
}

// appendRepresentative appends a unit's representative.
func appendRepresentative(dst []byte, r *thidua.Representative) []byte {
	dst = append(dst, `{"user_id":`...)
	dst = appendInt(dst, r.UserID)
	dst = append(dst, `,"name":`...)
	dst = appendString(dst, r.Name)
	dst = appendOmitEmpty(dst, `,"username":`, r.Username)
	dst = append(dst, `,"unit_id":`...)
	dst = appendString(dst, r.UnitID)
	dst = append(dst, `,"since":`...)
	dst = appendTime(dst, r.Since)
	if r.ApprovedBy != 0 {
		dst = append(dst, `,"approved_by":`...)
		dst = appendInt(dst, r.ApprovedBy)
	}
	if r.ApprovedByAdmin {
		dst = append(dst, `,"approved_by_admin":true`...)
	}
	dst = appendOmitEmpty(dst, `,"lang":`, r.Lang)
	return append(dst, '}')
}

// appendJoinRequest appends a pending request to represent a unit.
func appendJoinRequest(dst []byte, r *thidua.JoinRequest) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendString(dst, r.ID)
	dst = append(dst, `,"user_id":`...)
	dst = appendInt(dst, r.UserID)
	dst = append(dst, `,"name":`...)
	dst = appendString(dst, r.Name)
	dst = appendOmitEmpty(dst, `,"username":`, r.Username)
	dst = append(dst, `,"unit_id":`...)
	dst = appendString(dst, r.UnitID)
	dst = append(dst, `,"at":`...)
	dst = appendTime(dst, r.At)
	dst = appendOmitEmpty(dst, `,"lang":`, r.Lang)
	if r.MessageID != 0 {
		dst = append(dst, `,"message_id":`...)
		dst = appendInt(dst, int64(r.MessageID))
	}
	if r.ReplacedMessage != 0 {
		dst = append(dst, `,"replaced_message":`...)
		dst = appendInt(dst, int64(r.ReplacedMessage))
	}
	dst = appendOmitEmpty(dst, `,"replaced_unit":`, r.ReplacedUnit)
	return append(dst, '}')
}

// appendElections appends the block's elections.
func appendElections(dst []byte, e *thidua.Elections) []byte {
	dst = append(dst, '{')
	if len(e.List) > 0 {
		dst = append(dst, `"list":`...)
		dst = appendArray(dst, e.List, appendElection)
	}
	if len(e.Elected) > 0 {
		if len(e.List) > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `"elected":`...)
		dst = appendArray(dst, e.Elected, appendElected)
	}
	return append(dst, '}')
}

// appendElection appends an election. Its times tagged omitzero are left
// out when their IsZero method says so, as encoding/json does, whatever
// their location.
func appendElection(dst []byte, e *thidua.Election) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendString(dst, e.ID)
	dst = append(dst, `,"role":`...)
	dst = appendString(dst, string(e.Role))
	dst = append(dst, `,"year":`...)
	dst = appendInt(dst, int64(e.Year))
	dst = append(dst, `,"round":`...)
	dst = appendInt(dst, int64(e.Round))
	dst = appendOmitEmpty(dst, `,"parent":`, e.Parent)
	dst = append(dst, `,"secret":`...)
	dst = strconv.AppendBool(dst, e.Secret)
	if e.Reelection {
		dst = append(dst, `,"reelection":true`...)
	}
	dst = append(dst, `,"candidates":`...)
	dst = appendArray(dst, e.Candidates, appendStringAt)
	dst = append(dst, `,"roll":`...)
	dst = appendArray(dst, e.Roll, appendRollUnit)
	dst = append(dst, `,"opened_by_id":`...)
	dst = appendInt(dst, e.OpenedByID)
	dst = append(dst, `,"opened_by":`...)
	dst = appendString(dst, e.OpenedBy)
	dst = append(dst, `,"opened_at":`...)
	dst = appendTime(dst, e.OpenedAt)
	dst = append(dst, `,"close_at":`...)
	dst = appendTime(dst, e.CloseAt)
	dst = append(dst, `,"state":`...)
	dst = appendString(dst, string(e.State))
	if len(e.Ballots) > 0 {
		dst = append(dst, `,"ballots":`...)
		dst = appendArray(dst, e.Ballots, appendBallot)
	}
	if !e.ClosedAt.IsZero() {
		dst = append(dst, `,"closed_at":`...)
		dst = appendTime(dst, e.ClosedAt)
	}
	dst = appendOmitEmpty(dst, `,"closed_by":`, e.ClosedBy)
	dst = appendOmitEmpty(dst, `,"close_reason":`, string(e.CloseReason))
	if e.Result != nil {
		dst = append(dst, `,"result":`...)
		dst = appendResult(dst, e.Result)
	}
	dst = appendOmitEmpty(dst, `,"winner":`, e.Winner)
	dst = appendOmitEmpty(dst, `,"runoff":`, e.Runoff)
	dst = appendOmitEmpty(dst, `,"decided_by":`, e.DecidedBy)
	if !e.DecidedAt.IsZero() {
		dst = append(dst, `,"decided_at":`...)
		dst = appendTime(dst, e.DecidedAt)
	}
	if e.MessageID != 0 {
		dst = append(dst, `,"message_id":`...)
		dst = appendInt(dst, int64(e.MessageID))
	}
	if e.AnnouncePending {
		dst = append(dst, `,"announce_pending":true`...)
	}
	return append(dst, '}')
}

// appendRollUnit appends a unit on an election's roll.
func appendRollUnit(dst []byte, u *thidua.RollUnit) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendString(dst, u.ID)
	dst = append(dst, `,"name":`...)
	return append(appendString(dst, u.Name), '}')
}

// appendBallot appends a unit's ballot.
func appendBallot(dst []byte, b *thidua.Ballot) []byte {
	dst = append(dst, `{"unit_id":`...)
	dst = appendString(dst, b.UnitID)
	dst = append(dst, `,"candidate":`...)
	dst = appendString(dst, b.Candidate)
	dst = append(dst, `,"receipt":`...)
	dst = appendString(dst, b.Receipt)
	dst = append(dst, `,"user_id":`...)
	dst = appendInt(dst, b.UserID)
	dst = append(dst, `,"user_name":`...)
	dst = appendString(dst, b.UserName)
	dst = append(dst, `,"at":`...)
	return append(appendTime(dst, b.At), '}')
}

// appendResult appends the count of a closed election.
func appendResult(dst []byte, r *thidua.Result) []byte {
	dst = append(dst, `{"roll":`...)
	dst = appendInt(dst, int64(r.Roll))
	dst = append(dst, `,"cast":`...)
	dst = appendInt(dst, int64(r.Cast))
	dst = append(dst, `,"tally":`...)
	dst = appendArray(dst, r.Tally, appendTally)
	dst = append(dst, `,"quorum":`...)
	dst = strconv.AppendBool(dst, r.Quorum)
	if len(r.Tied) > 0 {
		dst = append(dst, `,"tied":`...)
		dst = appendArray(dst, r.Tied, appendStringAt)
	}
	return append(dst, '}')
}

// appendTally appends a candidate's votes.
func appendTally(dst []byte, t *thidua.Tally) []byte {
	dst = append(dst, `{"unit_id":`...)
	dst = appendString(dst, t.UnitID)
	dst = append(dst, `,"votes":`...)
	return append(appendInt(dst, int64(t.Votes)), '}')
}

// appendElected appends a unit elected to an office.
func appendElected(dst []byte, e *thidua.Elected) []byte {
	dst = append(dst, `{"role":`...)
	dst = appendString(dst, string(e.Role))
	dst = append(dst, `,"unit_id":`...)
	dst = appendString(dst, e.UnitID)
	dst = append(dst, `,"name":`...)
	dst = appendString(dst, e.Name)
	dst = append(dst, `,"year":`...)
	dst = appendInt(dst, int64(e.Year))
	dst = append(dst, `,"election_id":`...)
	dst = appendString(dst, e.ElectionID)
	dst = append(dst, `,"at":`...)
	return append(appendTime(dst, e.At), '}')
}
