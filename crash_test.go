package main

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"thiduabot/storage"
	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// botProcess is the real program run as a process of its own (this test
// binary, running the test named test, which calls main), so that a test
// can kill it.
type botProcess struct {
	t    *testing.T
	test string
	addr string // HTTP_ADDR
	env  []string
	logs *syncBuffer
	cmd  *exec.Cmd
	exit chan error
}

// start starts a new process of the program.
func (p *botProcess) start() {
	p.t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+p.test+"$")
	cmd.Env = append(os.Environ(), append([]string{"THIDUABOT_TEST_MAIN=1", "HTTP_ADDR=" + p.addr}, p.env...)...)
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	p.cmd, p.exit = cmd, make(chan error, 1)
	go func(exit chan<- error) { exit <- cmd.Wait() }(p.exit)
}

// ready waits until the process serves its health check, which it does once
// it has set up everything, signal handling included.
func (p *botProcess) ready() {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + p.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the program does not serve /healthz; logs:\n%s", p.logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill kills the process with SIGKILL: no chance to finish anything.
func (p *botProcess) kill() {
	_ = p.cmd.Process.Kill()
	<-p.exit
	p.cmd = nil
}

// stop stops the process with SIGTERM and checks that it exits cleanly.
func (p *botProcess) stop() {
	p.t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.exit:
		if err != nil {
			p.t.Errorf("the program exited with %v; logs:\n%s", err, p.logs)
		}
	case <-time.After(30 * time.Second):
		p.kill()
		p.t.Errorf("the program did not stop on SIGTERM; logs:\n%s", p.logs)
	}
	p.cmd = nil
}

// crashGroup is one block's group in TestKilledBotAppliesEveryUpdateOnce:
// two representatives, each registering pledges and voting.
type crashGroup struct {
	chat   *telegramtest.Chat
	admin  *telegramtest.User
	reps   [2]*telegramtest.User
	ballot telegramtest.Message
	// titles are the pledges sent, by representative; presses the
	// candidates pressed, by representative.
	titles  [2][]string
	presses [2][]string
}

// seedCrashGroup stores g's block: three units, the first two represented
// by g's representatives, the third by nobody (so that an election stays
// open whoever votes), and registration open.
func seedCrashGroup(t *testing.T, st storage.Store, i int, g *crashGroup) {
	t.Helper()
	now := time.Now()
	admin := thidua.Actor{UserID: g.admin.ID, Name: g.admin.FirstName, Admin: true}
	b, err := thidua.NewBlock(fmt.Sprintf("crash%d", i), g.chat.ID, g.chat.Title, now.Year(), admin, now)
	if err != nil {
		t.Fatal(err)
	}
	units, err := b.AddUnits(admin, []string{"Hội Nông dân tỉnh", "Tỉnh Đoàn", "Hội Chữ thập đỏ tỉnh"}, now)
	if err != nil {
		t.Fatal(err)
	}
	for j, u := range g.reps {
		r, err := b.RequestJoin(thidua.Actor{UserID: u.ID, Name: u.FirstName}, units[j].ID, now)
		if err == nil {
			_, err = b.DecideJoin(admin, r.ID, true, now)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := b.OpenRegistration(admin, time.Time{}, now); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateBlock(t.Context(), b); err != nil {
		t.Fatal(err)
	}
}

// The program, killed with SIGKILL again and again while updates stream in
// and restarted each time, gives every update its effect exactly once:
// Telegram (the fake) delivers again whatever was not confirmed, and each
// pledge sent is registered once, each ballot press recorded once. The
// program keeps Telegram's rate limits (one message a second in a chat),
// which keeps the updates in flight for seconds and gives the kills
// something to interrupt.
func TestKilledBotAppliesEveryUpdateOnce(t *testing.T) {
	if os.Getenv("THIDUABOT_TEST_MAIN") == "1" {
		runMain()
		return
	}
	const (
		groups, pledges, presses = 20, 6, 4
		kills                    = 8
	)
	url, prefix := testRedis(t)
	st := openTestStore(t, url, prefix)
	tg := fakeTelegram(t, telegramtest.WithBotUsername("thiduabot"))
	defer tg.Close()
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
	p := &botProcess{t: t, test: "TestKilledBotAppliesEveryUpdateOnce", addr: freeAddr(t), logs: &syncBuffer{}, env: []string{
		"TELEGRAM_BOT_TOKEN=" + tg.Token(), "TELEGRAM_API_URL=" + tg.URL(), "REDIS_URL=" + url,
		"REDIS_PREFIX=" + prefix, "DATA_DIR=" + t.TempDir(), "LOG_LEVEL=warn",
	}}
	p.start()
	defer func() {
		if p.cmd != nil {
			p.kill()
		}
	}()
	for _, g := range gs {
		// An open ballot: its history names each press's choice.
		tg.Send(g.chat, g.admin, "/elect khoitruong | công khai")
	}
	if err := tg.WaitIdle(time.Minute); err != nil {
		t.Fatalf("%v; logs:\n%s", err, p.logs)
	}
	for _, g := range gs {
		m, ok := tg.LastMessage(g.chat.ID)
		if !ok || len(m.Buttons) != 3 {
			t.Fatalf("no ballot in %s: %q", g.chat.Title, m.Text)
		}
		g.ballot = m
	}

	// The stream: each representative registers pledges with titles of
	// their own and presses candidates, all groups interleaved, while the
	// program is killed and restarted.
	fed := make(chan struct{})
	go func() {
		defer close(fed)
		for i := range pledges + presses {
			for gi, g := range gs {
				j := i % 2
				if i%5 == 2 || i%5 == 4 { // presses at 2, 4, 7, 9; pledges otherwise
					row := g.ballot.Buttons[(i+gi)%len(g.ballot.Buttons)][0]
					if _, err := tg.Press(g.chat, g.reps[j], &g.ballot, row.Data); err != nil {
						t.Error(err)
						return
					}
					g.presses[j] = append(g.presses[j], row.Data[strings.LastIndex(row.Data, ":")+1:])
				} else {
					title := fmt.Sprintf("Nội dung %d của %s", i, g.reps[j].FirstName)
					tg.Send(g.chat, g.reps[j], "/pledge "+title+" | 10 nhà")
					g.titles[j] = append(g.titles[j], title)
				}
				time.Sleep(2 * time.Millisecond)
			}
		}
	}()
	killed := 0
	for range kills {
		time.Sleep(time.Duration(150+rand.IntN(450)) * time.Millisecond)
		if tg.Pending() == 0 {
			break
		}
		p.kill()
		killed++
		p.start()
	}
	<-fed
	if err := tg.WaitIdle(2 * time.Minute); err != nil {
		t.Fatalf("%v; logs:\n%s", err, p.logs)
	}
	p.ready()
	p.stop()
	if killed < 3 {
		t.Errorf("killed only %d times while updates were pending, want at least 3", killed)
	}

	for i, g := range gs {
		b, err := st.BlockByChat(t.Context(), g.chat.ID)
		if err != nil {
			t.Fatal(err)
		}
		for j := range g.reps {
			var got []string
			for _, pl := range b.RegistrationOf(b.Units[j].ID).Pledges {
				got = append(got, pl.Title)
			}
			if strings.Join(got, "\n") != strings.Join(g.titles[j], "\n") {
				t.Errorf("group %d, unit %d: pledges\n%q\nwant, in order, once each,\n%q", i, j, got, g.titles[j])
			}
		}
		// Each press is recorded once, in order, and each unit's ballot is
		// its last press.
		events, err := storage.History(t.Context(), st, b.ID, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var got [2][]string
		for _, ev := range events {
			if !strings.HasPrefix(ev.Action, "election.") || !strings.HasSuffix(ev.Action, "vote") {
				continue
			}
			for j, r := range g.reps {
				if ev.ActorID == r.ID {
					name, _, _ := strings.Cut(ev.After, " (")
					for _, u := range b.Units {
						if u.Name == name {
							got[j] = append(got[j], u.ID)
						}
					}
				}
			}
		}
		var last [2]string
		for _, bl := range b.LatestElection(thidua.RoleLeader).Counted() {
			for j := range g.reps {
				if bl.UnitID == b.Units[j].ID {
					last[j] = bl.Candidate
				}
			}
		}
		for j, p := range g.presses {
			if len(p) > 0 && last[j] != p[len(p)-1] {
				t.Errorf("group %d, unit %d: ballot for %q, want the last press, %q", i, j, last[j], p[len(p)-1])
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(g.presses) {
			t.Errorf("group %d: presses recorded %v, want each once, in order, %v", i, got, g.presses)
		}
	}
	logs := p.logs.String()
	if strings.Contains(logs, "handler failed") || strings.Contains(logs, "panicked") {
		t.Errorf("the program failed on an update; logs:\n%s", logs)
	}
	again := 0
	for _, g := range gs {
		for _, m := range tg.Messages(g.chat.ID) {
			if strings.Contains(m.Text, "đã được ghi nhận trước đó") {
				again++
			}
		}
	}
	t.Logf("%d kills while updates were pending; %d updates answered \"already recorded\" (applied before a kill, answered after)", killed, again)
}
