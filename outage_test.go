package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"thiduabot/telegramtest"
)

// Redis stopped for ten seconds under load (SIGTERM, as an operator or an
// orchestrator stops it; it keeps its data in its append-only file) and
// started again: the program keeps running, tells each user whose change it
// could not save that it was not recorded, loses none of the changes it
// confirmed, and saves again by itself once Redis is back. It runs against
// a redis-server of its own, never the shared one.
func TestBotThroughRedisOutage(t *testing.T) {
	const (
		groups   = 16
		every    = 250 * time.Millisecond // one /pledge, from the next group in turn
		before   = 4 * time.Second
		outage   = 10 * time.Second
		after    = 6 * time.Second
		recovery = time.Second // after Redis is back, every change is saved
	)
	rs := startRedisServer(t)
	tg := fakeTelegram(t, telegramtest.WithBotUsername("thiduabot"))
	defer tg.Close()
	cfg := testConfig(t, tg)
	cfg.RedisURL, cfg.RedisPrefix = rs.url(), "thidua:"
	st := openTestStore(t, cfg.RedisURL, cfg.RedisPrefix)
	gs := make([]*crashGroup, groups)
	for i := range gs {
		g := &crashGroup{chat: tg.NewGroup(fmt.Sprintf("Khối %d", i+1)), admin: tg.NewUser("Hùng", fmt.Sprintf("admin%d", i))}
		g.chat.SetStatus(g.admin, telegramtest.StatusCreator)
		for j := range g.reps {
			g.reps[j] = tg.NewUser(fmt.Sprintf("Cán bộ %d.%d", i+1, j+1), "")
			g.chat.SetStatus(g.reps[j], telegramtest.StatusMember)
		}
		seedCrashGroup(t, st, i, g)
		gs[i] = g
	}

	var logs syncBuffer
	var ended func() (bool, error)
	stop := runApp(t, cfg, &logs, stopWithin(30*time.Second), endCheck(&ended))

	type sent struct {
		g     *crashGroup
		msg   int
		title string
		at    time.Time
	}
	var updates []sent
	start := time.Now()
	var stopped, restarted time.Time
	for i := 0; time.Since(start) < before+outage+after; i++ {
		switch {
		case stopped.IsZero() && time.Since(start) >= before:
			rs.stop()
			stopped = time.Now()
		case restarted.IsZero() && !stopped.IsZero() && time.Since(stopped) >= outage:
			rs.start()
			restarted = time.Now()
		}
		g := gs[i%groups]
		title := fmt.Sprintf("Nội dung số %d", i)
		u := tg.Send(g.chat, g.reps[0], "/pledge "+title+" | 10 nhà")
		updates = append(updates, sent{g: g, msg: u.Message.ID, title: title, at: time.Now()})
		time.Sleep(every)
	}
	if err := tg.WaitIdle(time.Minute); err != nil {
		t.Fatalf("%v; logs:\n%s", err, logs.String())
	}
	if over, err := ended(); over {
		t.Fatalf("the program stopped during the outage: %v", err)
	}

	saved, refused := 0, 0
	var slowest time.Duration // the longest wait for an answer
	for _, u := range updates {
		var answers []string
		for _, m := range tg.Messages(u.g.chat.ID) {
			if m.ReplyTo == u.msg {
				answers = append(answers, m.Text)
				slowest = max(slowest, m.Date.Sub(u.at))
			}
		}
		if len(answers) != 1 {
			t.Errorf("%q sent at %v got %d answers, want one: %q", u.title, u.at.Sub(start).Round(time.Millisecond), len(answers), answers)
			continue
		}
		b, err := st.BlockByChat(t.Context(), u.g.chat.ID)
		if err != nil {
			t.Fatal(err)
		}
		stored := false
		for _, p := range b.RegistrationOf(b.Units[0].ID).Pledges {
			stored = stored || p.Title == u.title
		}
		switch ans := answers[0]; {
		case strings.HasPrefix(ans, "✅ Đã ghi"):
			saved++
			if !stored {
				t.Errorf("%q was confirmed (%v) but is not stored", u.title, u.at.Sub(start).Round(time.Millisecond))
			}
		case strings.Contains(ans, "không lưu được dữ liệu"):
			refused++
			if u.at.Before(stopped) || u.at.After(restarted.Add(recovery)) {
				t.Errorf("%q sent at %v, with Redis up, was refused: %q", u.title, u.at.Sub(start).Round(time.Millisecond), ans)
			}
		default:
			t.Errorf("%q got the answer %q", u.title, ans)
		}
	}
	if refused == 0 {
		t.Error("no change was refused while Redis was down")
	}
	t.Logf("%d changes sent: %d confirmed and stored, %d refused while Redis was down (%v); the longest wait for an answer %v",
		len(updates), saved, refused, outage, slowest.Round(10*time.Millisecond))

	stop()
}
