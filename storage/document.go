package storage

import (
	"encoding/json"
	"errors"
	"fmt"
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
	c.TakeChangedReports() // the document is written whole
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
	if err := completeBlock(id, b); err != nil {
		return nil, err
	}
	return b, nil
}

// completeBlock checks that b, decoded from block id's document, is that
// block, and migrates it to the current schema.
func completeBlock(id string, b *thidua.Block) error {
	if b.ID != id {
		return fmt.Errorf("storage: block %s: document holds block %q", id, b.ID)
	}
	if err := b.Migrate(); err != nil {
		return fmt.Errorf("storage: %w", err)
	}
	return nil
}

// change is the outcome of one read-modify-write of a block.
type change struct {
	block  *thidua.Block // as written, its events taken
	events [][]byte      // the encoded events fn recorded
	// reports lists the keys of the reports fn changed.
	reports []thidua.ReportKey
	due     time.Time // the block's NextDue after the change, set by the caller of modify
}

// earlier reports whether the change brought the block's due time forward
// from before (or gave it one), so that the due index must be lowered.
func (c change) earlier(before time.Time) bool {
	return !c.due.IsZero() && (before.IsZero() || c.due.Before(before))
}

// modify is one read-modify-write of block id minus the I/O, the encoding
// of the document and the block's due time, which the caller computes (or
// knows; see Redis.nextDue): it lets fn change b, the caller's own copy of
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
	return change{block: b, events: events, reports: b.TakeChangedReports()}, nil
}

// marshalBlock encodes the block's document whole, exactly as json.Marshal
// does: its core, its elections and its results by hand, its other parts
// with encoding/json (see appendBlock).
// A block that has no JSON encoding is left to json.Marshal, for the error
// it returns.
func marshalBlock(b *thidua.Block) ([]byte, error) {
	if doc, ok := encode(b, appendBlock); ok {
		return doc, nil
	}
	doc, err := json.Marshal(b) // for its error
	if err != nil {
		return nil, fmt.Errorf("storage: block %s: encode document: %w", b.ID, err)
	}
	return doc, nil
}

// encodeEvents takes and encodes the block's pending events, by hand
// (marshalEvent).
func encodeEvents(b *thidua.Block) ([][]byte, error) {
	taken := b.TakeEvents()
	events := make([][]byte, len(taken))
	for i := range taken {
		var err error
		if events[i], err = marshalEvent(&taken[i]); err != nil {
			return nil, fmt.Errorf("storage: block %s: encode event: %w", b.ID, err)
		}
	}
	return events, nil
}

// decodeEvent decodes one history entry of block id, migrated to the
// current form (thidua.Event.Migrate).
func decodeEvent(id string, data []byte) (thidua.Event, error) {
	var e thidua.Event
	if err := json.Unmarshal(data, &e); err != nil {
		return e, fmt.Errorf("storage: block %s: decode history entry: %w", id, err)
	}
	e.Migrate()
	return e, nil
}

// setChat returns an update that binds the block to the chat its group
// moved to (see thidua.Block.MoveChat).
func setChat(chatID int64) func(*thidua.Block) error {
	return func(b *thidua.Block) error {
		b.MoveChat(chatID)
		return nil
	}
}
