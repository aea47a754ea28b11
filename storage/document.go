package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"thiduabot/thidua"
)

// This file holds what both backends share: how a block is turned into a
// stored document plus history entries and back, including the schema check
// and migration. The backends only move the bytes.

// notFound returns ErrNotFound annotated with what was missing.
func notFound(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrNotFound, fmt.Sprintf(format, args...))
}

// exists returns ErrExists annotated with what was already there.
func exists(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrExists, fmt.Sprintf(format, args...))
}

// newDocument prepares a block to be stored for the first time. It works on a
// copy, so that b is unchanged if the write fails: the copy is migrated (which
// completes the schema, or rejects a newer one), gets version 1 and gives up
// the events recorded so far. It returns the copy, its encoded document and
// its encoded events; once the write succeeds the caller assigns the copy to
// *b, which sets b.Version and empties b's pending events.
func newDocument(b *thidua.Block) (c thidua.Block, doc []byte, events [][]byte, err error) {
	if b.ID == "" {
		return c, nil, nil, errors.New("storage: block has no id")
	}
	c = *b
	if err := c.Migrate(); err != nil {
		return c, nil, nil, fmt.Errorf("storage: %w", err)
	}
	c.Version = 1
	doc, events, err = encode(&c)
	return c, doc, events, err
}

// decodeBlock decodes the stored document of block id and migrates it to the
// current schema. It returns an error for a document that is not a block, holds
// another id, or was written by a newer version of the program.
func decodeBlock(id string, doc []byte) (*thidua.Block, error) {
	b := new(thidua.Block)
	if err := json.Unmarshal(doc, b); err != nil {
		return nil, fmt.Errorf("storage: block %s: decode document: %w", id, err)
	}
	if b.ID != id {
		return nil, fmt.Errorf("storage: block %s: document holds block %q", id, b.ID)
	}
	if err := b.Migrate(); err != nil {
		return nil, fmt.Errorf("storage: %w", err)
	}
	return b, nil
}

// change is the outcome of one read-modify-write of a block.
type change struct {
	block  *thidua.Block // as written, its events taken
	doc    []byte        // its encoded document
	events [][]byte      // the encoded events fn recorded
	due    time.Time     // the block's NextDue after the change
}

// earlier reports whether the change brought the block's due time forward
// from before (or gave it one), so that the due index must be lowered.
func (c change) earlier(before time.Time) bool {
	return !c.due.IsZero() && (before.IsZero() || c.due.Before(before))
}

// modify is one read-modify-write of block id minus the I/O: it lets fn
// change b, the caller's own copy of the block as stored, and encodes the
// result with its version bumped, the document by encodeDoc, together with
// the events fn recorded. It returns fn's error unchanged, and an error if
// fn changed the block's id.
func modify(id string, b *thidua.Block, fn func(*thidua.Block) error, encodeDoc func(*thidua.Block) ([]byte, error)) (change, error) {
	version := b.Version
	if err := fn(b); err != nil {
		return change{}, err
	}
	if b.ID != id {
		return change{}, fmt.Errorf("storage: update of block %s changed its id to %q", id, b.ID)
	}
	b.Version = version + 1
	newDoc, err := encodeDoc(b)
	if err != nil {
		return change{}, err
	}
	events, err := encodeEvents(b)
	if err != nil {
		return change{}, err
	}
	return change{block: b, doc: newDoc, events: events, due: b.NextDue()}, nil
}

// encode encodes the block's document and takes and encodes its pending events.
func encode(b *thidua.Block) (doc []byte, events [][]byte, err error) {
	if doc, err = marshalBlock(b); err != nil {
		return nil, nil, err
	}
	events, err = encodeEvents(b)
	return doc, events, err
}

// marshalBlock encodes the block's document whole.
func marshalBlock(b *thidua.Block) ([]byte, error) {
	doc, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("storage: block %s: encode document: %w", b.ID, err)
	}
	return doc, nil
}

// encodeEvents takes and encodes the block's pending events.
func encodeEvents(b *thidua.Block) ([][]byte, error) {
	taken := b.TakeEvents()
	events := make([][]byte, len(taken))
	for i := range taken {
		var err error
		if events[i], err = json.Marshal(&taken[i]); err != nil {
			return nil, fmt.Errorf("storage: block %s: encode event: %w", b.ID, err)
		}
	}
	return events, nil
}

// partEncodings holds the encoding of each of a block's parts, in the order
// of thidua.Block.Parts; nil where not known.
type partEncodings [thidua.NumParts][]byte

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

// encodeParts encodes block b's document part by part: exactly what
// json.Marshal(b) gives, since the parts are the block's last fields, each
// left out when zero (omitzero). It reuses from known the encoding of each
// part that is not in changed, and returns the document with the encodings
// of all its parts.
func encodeParts(b *thidua.Block, known *partEncodings, changed thidua.Part) ([]byte, partEncodings, error) {
	var encs partEncodings
	core := *b
	for _, p := range core.Parts() {
		reflect.ValueOf(p).Elem().SetZero()
	}
	doc, err := marshalBlock(&core)
	if err != nil {
		return nil, encs, err
	}
	size := len(doc)
	var present [thidua.NumParts]bool
	for i, p := range b.Parts() {
		if changed&(1<<i) == 0 && known != nil && known[i] != nil {
			encs[i] = known[i]
		} else if encs[i], err = json.Marshal(p); err != nil {
			return nil, encs, fmt.Errorf("storage: block %s: encode %s: %w", b.ID, partNames[i], err)
		}
		if present[i] = !reflect.ValueOf(p).Elem().IsZero(); present[i] {
			size += len(`,"":`) + len(partNames[i]) + len(encs[i])
		}
	}
	// One allocation for a document of tens of kilobytes, rather than one
	// for each time appending outgrows the last.
	whole := append(make([]byte, 0, size), doc[:len(doc)-1]...) // the core without its closing brace
	for i, enc := range encs {
		if present[i] {
			whole = append(append(append(append(whole, ',', '"'), partNames[i]...), '"', ':'), enc...)
		}
	}
	return append(whole, '}'), encs, nil
}

// decodeEvent decodes one history entry of block id.
func decodeEvent(id string, data []byte) (thidua.Event, error) {
	var e thidua.Event
	if err := json.Unmarshal(data, &e); err != nil {
		return e, fmt.Errorf("storage: block %s: decode history entry: %w", id, err)
	}
	return e, nil
}

// setChat returns an update that binds the block to the chat.
func setChat(chatID int64) func(*thidua.Block) error {
	return func(b *thidua.Block) error {
		b.ChatID = chatID
		return nil
	}
}
