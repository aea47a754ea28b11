package storagetest

import (
	"testing"
	"time"

	"thiduabot/thidua"
)

// testBlockForUpdate checks the first read of an update's handling: the
// chat's block, or none, and whether the update was marked handled, by this
// bot.
func (s *suite) testBlockForUpdate(t *testing.T) {
	st, ctx := s.open(t), t.Context()
	const bot, otherBot = 1111, 2222
	read := func(chat, scope, id int64, wantBlock string, wantHandled bool) {
		t.Helper()
		b, handled, err := st.BlockForUpdate(ctx, chat, scope, id)
		switch {
		case err != nil:
			t.Errorf("BlockForUpdate(%d, %d, %d): %v", chat, scope, id, err)
		case wantBlock == "" && b != nil:
			t.Errorf("BlockForUpdate(%d, %d, %d) = block %s, want none", chat, scope, id, b.ID)
		case wantBlock != "" && (b == nil || b.ID != wantBlock || b.ChatID != chat):
			t.Errorf("BlockForUpdate(%d, %d, %d) = %+v, want block %s", chat, scope, id, b, wantBlock)
		case handled != wantHandled:
			t.Errorf("BlockForUpdate(%d, %d, %d) reports handled %v, want %v", chat, scope, id, handled, wantHandled)
		}
	}
	read(-100, bot, 7, "", false)
	if _, err := st.MarkUpdateHandled(ctx, bot, 7, time.Hour); err != nil {
		t.Fatal(err)
	}
	read(-100, bot, 7, "", true)
	mustCreate(t, st, NewBlock(t, "b1", -100, "Sở Tư pháp"))
	read(-100, bot, 7, "b1", true)
	read(-100, bot, 8, "b1", false)
	read(-100, otherBot, 7, "b1", false)
	read(-200, bot, 7, "", true)

	// The block read is the caller's, like BlockByChat's, and up to date.
	b, _, err := st.BlockForUpdate(ctx, -100, bot, 8)
	if err != nil {
		t.Fatal(err)
	}
	name := b.Name
	b.Name = "sửa tại chỗ"
	if again, _, err := st.BlockForUpdate(ctx, -100, bot, 8); err != nil || again.Name != name {
		t.Errorf("after the caller changed its block, BlockForUpdate = %+v, %v; want the name %q", again, err, name)
	}
	if _, err := st.Update(ctx, "b1", func(b *thidua.Block) error { return b.Rename(Admin, "Khối mới", Now) }); err != nil {
		t.Fatal(err)
	}
	if b, _, err := st.BlockForUpdate(ctx, -100, bot, 8); err != nil || b.Name != "Khối mới" || b.Version != 2 {
		t.Errorf("BlockForUpdate after a rename = %+v, %v", b, err)
	}
	if err := st.MoveChat(ctx, -100, -1001); err != nil {
		t.Fatal(err)
	}
	read(-100, bot, 8, "", false)
	read(-1001, bot, 8, "b1", false)
}
