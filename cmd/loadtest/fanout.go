package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"thiduabot/bot"
	"thiduabot/scheduler"
	"thiduabot/storage"
	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// fanoutResult is what the fan-out scenario measured.
type fanoutResult struct {
	Blocks int `json:"blocks"`
	// Sent is how many messages the fake accepted, TooMany how many calls it
	// refused with 429.
	Sent    int `json:"sent"`
	TooMany int `json:"too_many_requests"`
	// Seconds is the scheduler tick's duration; PerSec is Sent over it.
	Seconds float64 `json:"seconds"`
	PerSec  float64 `json:"messages_per_s"`
	// Missing is how many groups did not get exactly one reminder.
	Missing int `json:"missing"`
}

// runFanout measures a reminder storm: blocks blocks, each with a deadline
// its one unit still owes, whose reminder falls due in the same minute. One
// scheduler tick sends them all through the bot's sender, which keeps
// Telegram's limits, to a fake that enforces the same limits.
func runFanout(ctx context.Context, blocks int, store *storage.Redis) (fanoutResult, error) {
	tg := telegramtest.NewServer(telegramtest.WithBotUsername("thiduabot"), telegramtest.WithLimits(telegramtest.TelegramLimits))
	defer tg.Close()
	groups := newGroups(tg, blocks, 1)
	// The reminder seven days before a deadline, at 08:00.
	at := time.Date(time.Now().Year(), time.March, 2, 8, 0, 0, 0, zone)
	created, due := at.AddDate(0, 0, -1), time.Date(at.Year(), at.Month(), at.Day()+7, 17, 0, 0, 0, zone)
	err := parallel(len(groups), func(i int) error {
		g := groups[i]
		id := fmt.Sprintf("fanout%d", i+1)
		if _, err := seedBlock(ctx, store, id, g, blockSpec{units: 1}, created); err != nil {
			return err
		}
		b, err := store.Update(ctx, id, func(b *thidua.Block) error {
			_, err := b.AddDeadline(actorOf(g.admin, true), due, "Nộp báo cáo sơ kết 6 tháng đầu năm", created)
			return err
		})
		if err != nil {
			return err
		}
		if n := len(b.DueSlots(at)); n != 1 || b.NextDue().After(at) {
			return fmt.Errorf("block %s: %d slots due at %v, next due %v", id, n, at, b.NextDue())
		}
		return nil
	})
	if err != nil {
		return fanoutResult{}, fmt.Errorf("fanout: seeding the blocks: %w", err)
	}
	s, err := startStack(tg, store, stackConfig{limits: bot.TelegramLimits()})
	if err != nil {
		return fanoutResult{}, err
	}
	defer s.stop()
	sched := scheduler.New(scheduler.Config{Store: store, Runner: s.router, Location: zone, Log: quiet})
	start := time.Now()
	tickErr := sched.Tick(ctx, at)
	elapsed := time.Since(start)
	res := fanoutResult{Blocks: blocks, TooMany: tg.Count429(), Seconds: elapsed.Seconds()}
	for _, g := range groups {
		n := tg.Sent(g.chat.ID)
		res.Sent += n
		if n != 1 {
			res.Missing++
		}
	}
	res.PerSec = float64(res.Sent) / elapsed.Seconds()
	if tickErr != nil {
		return res, errors.Join(errors.New("fanout: the tick failed"), tickErr)
	}
	if err := lostFormatting(tg); err != nil {
		return res, fmt.Errorf("fanout: %w", err)
	}
	return res, nil
}
