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
// the events recorded so far. It returns the copy and its encoded events,
// for the caller to encode the copy its way; once the write succeeds the
// caller assigns the copy to *b, which sets b.Version and empties b's
// pending events.
func newDocument(b *thidua.Block) (c thidua.Block, events [][]byte, err error) {
	if b.ID == "" {
		return c, nil, errors.New("storage: block has no id")
	}
	c = *b
	if err := c.Migrate(); err != nil {
		return c, nil, fmt.Errorf("storage: %w", err)
	}
	c.Version = 1
	events, err = encodeEvents(&c)
	return c, events, err
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
	events [][]byte      // the encoded events fn recorded
	due    time.Time     // the block's NextDue after the change
}

// earlier reports whether the change brought the block's due time forward
// from before (or gave it one), so that the due index must be lowered.
func (c change) earlier(before time.Time) bool {
	return !c.due.IsZero() && (before.IsZero() || c.due.Before(before))
}

// modify is one read-modify-write of block id minus the I/O and the
// encoding of the document: it lets fn change b, the caller's own copy of
// the block as stored, bumps its version and encodes the events fn
// recorded. It returns fn's error unchanged, and an error if fn changed the
// block's id.
func modify(id string, b *thidua.Block, fn func(*thidua.Block) error) (change, error) {
	version := b.Version
	if err := fn(b); err != nil {
		return change{}, err
	}
	if b.ID != id {
		return change{}, fmt.Errorf("storage: update of block %s changed its id to %q", id, b.ID)
	}
	b.Version = version + 1
	events, err := encodeEvents(b)
	if err != nil {
		return change{}, err
	}
	return change{block: b, events: events, due: b.NextDue()}, nil
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
// of thidua.Block.Parts; nil for a part that is zero, which a document
// leaves out.
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

// encodeParts encodes block b part by part: its core (the document without
// its parts) and each part. It reuses from known, when not nil, the
// encoding of each part that is not in changed. assemble puts them
// together into the document, exactly what json.Marshal(b) gives.
func encodeParts(b *thidua.Block, known *partEncodings, changed thidua.Part) (core []byte, encs partEncodings, err error) {
	c := *b
	for _, p := range c.Parts() {
		reflect.ValueOf(p).Elem().SetZero()
	}
	if core, err = marshalBlock(&c); err != nil {
		return nil, encs, err
	}
	for i, p := range b.Parts() {
		switch {
		case changed&(1<<i) == 0 && known != nil:
			encs[i] = known[i]
		case reflect.ValueOf(p).Elem().IsZero(): // left out (omitzero)
		default:
			if encs[i], err = json.Marshal(p); err != nil {
				return nil, encs, fmt.Errorf("storage: block %s: encode %s: %w", b.ID, partNames[i], err)
			}
		}
	}
	return core, encs, nil
}

// assemble puts a block's document together from its core and its parts
// (see encodeParts): the parts are the block's last fields.
func assemble(core []byte, encs partEncodings) []byte {
	size := len(core)
	for i, enc := range encs {
		if enc != nil {
			size += len(`,"":`) + len(partNames[i]) + len(enc)
		}
	}
	doc := append(make([]byte, 0, size), core[:len(core)-1]...) // without its closing brace
	for i, enc := range encs {
		if enc != nil {
			doc = append(append(append(append(doc, ',', '"'), partNames[i]...), '"', ':'), enc...)
		}
	}
	return append(doc, '}')
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
