package storage_test

import (
	"fmt"
	"strconv"
	"syscall"
	"testing"
	"time"

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

// BenchmarkUpdateYearEnd measures the two most frequent changes of a
// year-end block (storagetest.YearEnd), each marking its update applied as
// the handlers do, on a Redis store without checks (which would cost more
// than the change): a unit resubmitting its report for the last period
// (the results part) and a representative pressing a ballot's button (the
// elections part).
func BenchmarkUpdateYearEnd(b *testing.B) {
	b.Run("report", func(b *testing.B) {
		benchmarkYearEnd(b, thidua.PartResults, func(blk *thidua.Block, reps []thidua.Actor, i int) func(*thidua.Block) error {
			unit, lines := blk.Units[i%len(reps)].ID, storagetest.ReportLines(blk, blk.Units[i%len(reps)].ID, 4)
			period := blk.Results.Periods[3].ID
			return func(blk *thidua.Block) error {
				_, err := blk.SubmitReport(reps[i%len(reps)], unit, period, lines, storagetest.YearEndVoting)
				return err
			}
		})
	})
	b.Run("press", func(b *testing.B) {
		benchmarkYearEnd(b, thidua.PartElections, func(blk *thidua.Block, reps []thidua.Actor, i int) func(*thidua.Block) error {
			e := blk.OpenElections()[0]
			receipt := "R" + strconv.Itoa(i)
			return func(blk *thidua.Block) error {
				_, err := blk.Vote(reps[i%len(reps)], e.ID, e.Candidates[i%2], receipt, storagetest.YearEndVoting)
				return err
			}
		})
	})
}

// benchmarkYearEnd stores a year-end block and measures updates of the
// parts, the i-th by the function change returns for the block as stored
// and i. Besides the time of an update, which the round trip to Redis and
// Redis's own work take most of, it reports the CPU time the process
// spent on it (cpu-ns/op), garbage collection included: what a change
// costs the bot, whose path is bound by its CPU.
func benchmarkYearEnd(b *testing.B, parts thidua.Part, change func(blk *thidua.Block, reps []thidua.Actor, i int) func(*thidua.Block) error) {
	client, prefix := storagetest.Redis(b)
	st := storage.NewRedis(client, prefix)
	b.Cleanup(func() { _ = st.Close() })
	ctx := b.Context()
	blk, reps := storagetest.YearEnd(b, "b1", -100)
	if err := st.CreateBlock(ctx, blk); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu := processCPU()
	for i := 0; b.Loop(); i++ {
		fn := change(blk, reps, i)
		update := int64(1000 + i)
		_, err := st.UpdateParts(ctx, "b1", parts, func(blk *thidua.Block) error {
			blk.MarkApplied(update)
			return fn(blk)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
}

// processCPU returns the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkWorkingCopyYearEnd measures the copy of a year-end block
// (storagetest.YearEnd) that a change starts from: of its core alone, and
// of its core with one part (the results for a report, the elections for a
// press of a ballot's button) or with all. The block remembers as many
// applied updates as a block keeps (thidua.Block.MarkApplied), as one does
// that the handlers have changed all year.
func BenchmarkWorkingCopyYearEnd(b *testing.B) {
	blk, _ := storagetest.YearEnd(b, "b1", -100)
	for id := int64(1); id <= 1000; id++ {
		blk.MarkApplied(id)
	}
	for _, bc := range []struct {
		name  string
		parts thidua.Part
	}{{"core", 0}, {"results", thidua.PartResults}, {"elections", thidua.PartElections}, {"all", thidua.AllParts}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				storage.Working(blk, bc.parts)
			}
		})
	}
}
