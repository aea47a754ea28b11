package storagetest

import (
	"errors"
	"testing"

	"thiduabot/storage"
	"thiduabot/thidua"
)

// testArchiveYear checks that ArchiveYear keeps a block's document as it
// stands at the version given, and only then; that ArchivedYear reads the
// copy back the same whatever happens to the block afterwards, until the
// year is archived again; and that a copy is of one block and one year.
func (s *suite) testArchiveYear(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	b, _ := YearEnd(t, "b1", -100)
	mustCreate(t, st, b)
	mustCreate(t, st, NewBlock(t, "b2", -200, "Sở Tư pháp"))
	read := func(id string) *thidua.Block {
		t.Helper()
		b, err := st.Block(ctx, id)
		if err != nil {
			t.Fatalf("Block(%s): %v", id, err)
		}
		return b
	}
	archive := func(id string, year int, version int64) {
		t.Helper()
		if err := st.ArchiveYear(ctx, id, year, version); err != nil {
			t.Fatalf("ArchiveYear(%s, %d, %d): %v", id, year, version, err)
		}
	}
	archived := func(id string, year int) *thidua.Block {
		t.Helper()
		b, err := st.ArchivedYear(ctx, id, year)
		if err != nil {
			t.Fatalf("ArchivedYear(%s, %d): %v", id, year, err)
		}
		return b
	}
	notArchived := func(id string, year int) {
		t.Helper()
		if b, err := st.ArchivedYear(ctx, id, year); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("ArchivedYear(%s, %d) = %v, %v; want ErrNotFound", id, year, b, err)
		}
	}

	notArchived("b1", 2025)
	if err := st.ArchiveYear(ctx, "nope", 2025, 1); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("ArchiveYear of a missing block: %v, want ErrNotFound", err)
	}
	notArchived("nope", 2025)
	if err := st.ArchiveYear(ctx, "b1", 2025, 2); !errors.Is(err, storage.ErrConflict) {
		t.Errorf("ArchiveYear at a version the block is not at: %v, want ErrConflict", err)
	}
	notArchived("b1", 2025)

	finished := read("b1")
	archive("b1", 2025, 1)
	got := archived("b1", 2025)
	sameBlock(t, "ArchivedYear", got, finished)
	// What an export of the year reads is there, not only its encoding.
	u := got.Units[0].ID
	if _, ok := got.Report(u, got.Periods()[0].ID); got.Version != 1 || got.Year != 2025 || len(got.Units) != 8 ||
		len(got.RegistrationOf(u).Pledges) != 20 || !ok {
		t.Errorf("ArchivedYear = version %d, year %d, %d units, %d pledges of the first, its first report kept: %v; want 1, 2025, 8, 20, true",
			got.Version, got.Year, len(got.Units), len(got.RegistrationOf(u).Pledges), ok)
	}

	// The block turns to its next year: the copy stays as it was, and the
	// finished year can no longer be archived at its old version.
	if _, err := st.Update(ctx, "b1", func(b *thidua.Block) error {
		b.Year++
		return b.Rename(Admin, "Khối thi đua năm mới", Now)
	}); err != nil {
		t.Fatalf("Update: %v", err)
	}
	next := read("b1")
	if next.Year != 2026 || next.Version != 2 {
		t.Fatalf("Block after the update: year %d, version %d; want 2026, 2", next.Year, next.Version)
	}
	sameBlock(t, "ArchivedYear after the block changed", archived("b1", 2025), finished)
	if err := st.ArchiveYear(ctx, "b1", 2025, 1); !errors.Is(err, storage.ErrConflict) {
		t.Errorf("ArchiveYear at the block's old version: %v, want ErrConflict", err)
	}
	sameBlock(t, "ArchivedYear after a refused ArchiveYear", archived("b1", 2025), finished)

	// Archiving the year again, at the block's version, replaces the copy.
	archive("b1", 2025, 2)
	got = archived("b1", 2025)
	sameBlock(t, "ArchivedYear archived again", got, next)
	if got.Version != 2 || got.Name != "Khối thi đua năm mới" {
		t.Errorf("ArchivedYear archived again = version %d, name %q; want 2, Khối thi đua năm mới", got.Version, got.Name)
	}
	notArchived("b1", 2026)

	// Another block's years are its own.
	notArchived("b2", 2025)
	other := read("b2")
	archive("b2", 2025, 1)
	sameBlock(t, "ArchivedYear of b2", archived("b2", 2025), other)
	sameBlock(t, "ArchivedYear of b1 after b2 was archived", archived("b1", 2025), next)
	if got := read("b2"); got.Version != 1 {
		t.Errorf("ArchiveYear changed b2 to version %d", got.Version)
	}
}
