package storage_test

import (
	"fmt"
	"testing"

	"thiduabot/storage"
	"thiduabot/storage/storagetest"
	"thiduabot/thidua"
)

// BenchmarkUpdate measures one read-modify-write of a block of realistic size:
// 7 units with leader and deputy, a representative each, a pending request
// and the recent update ids, renamed (one history event) per operation.
func BenchmarkUpdate(b *testing.B) {
	b.Run("redis", func(b *testing.B) { benchmarkUpdate(b, storagetest.NewRedisStore(b)) })
	b.Run("bolt", func(b *testing.B) { benchmarkUpdate(b, storagetest.NewBoltStore(b)) })
}

func benchmarkUpdate(b *testing.B, st storage.Store) {
	ctx, now, admin := b.Context(), storagetest.Now, storagetest.Admin
	blk := storagetest.NewBlock(b, "b1", -100,
		"Sở Tư pháp", "Sở Y tế", "Sở Tài chính", "Sở Nội vụ", "Sở Xây dựng", "Sở Công Thương", "Sở Giáo dục và Đào tạo")
	for i, u := range blk.Units {
		user := thidua.Actor{UserID: int64(100 + i), Name: fmt.Sprintf("Cán bộ %d", i), Username: fmt.Sprintf("canbo%d", i)}
		r, err := blk.RequestJoin(user, u.ID, now)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := blk.DecideJoin(admin, r.ID, true, now); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := blk.RequestJoin(thidua.Actor{UserID: 200, Name: "Người mới"}, "u1", now); err != nil {
		b.Fatal(err)
	}
	for role, unit := range map[thidua.Role]string{thidua.RoleLeader: "1", thidua.RoleDeputy: "2"} {
		if _, err := blk.SetRole(admin, role, unit, now); err != nil {
			b.Fatal(err)
		}
	}
	for id := int64(1); id <= 100; id++ {
		blk.MarkApplied(id)
	}
	if err := st.CreateBlock(ctx, blk); err != nil {
		b.Fatal(err)
	}

	names := []string{"Khối thi đua số 1", "Khối thi đua số 2"}
	update := int64(1000)
	b.ReportAllocs()
	for b.Loop() {
		update++
		_, err := st.Update(ctx, "b1", func(blk *thidua.Block) error {
			blk.MarkApplied(update)
			return blk.Rename(admin, names[update%2], now)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
