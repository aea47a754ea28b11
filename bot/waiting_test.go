package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/telegramtest"
)

// A chat whose answer waits for Telegram's limits (a group past its
// messages a minute) holds up no other chat: with a waiting chat behind
// every worker, a quiet chat's command is answered at once rather than
// after the wait, whether Telegram delivers it to a webhook (several
// requests at once) or the bot takes it by long polling (in a later
// getUpdates than the busy chats' commands, which are still being handled);
// the busy chats still get their answers, after what the bot sent them
// before, once their limits allow.
func TestChatsWaitingForTheirLimitHoldNoWorker(t *testing.T) {
	t.Parallel() // waits out a group's window
	for _, intake := range []string{"webhook", "long polling"} {
		t.Run(intake, func(t *testing.T) {
			t.Parallel()
			chatsWaitingForTheirLimit(t, intake == "webhook")
		})
	}
}

// chatsWaitingForTheirLimit is TestChatsWaitingForTheirLimitHoldNoWorker,
// the bot taking its updates by webhook or by long polling.
func chatsWaitingForTheirLimit(t *testing.T, webhook bool) {
	const groupWindow = 3 * time.Second
	limits := Limits{
		PerChat: 1, PerChatWindow: 10 * time.Millisecond,
		PerGroup: 1, PerGroupWindow: groupWindow,
		Global: 100, GlobalWindow: time.Second,
	}
	srv, api, s, log, _ := limitedFake(t, limits)
	d := NewDispatcher(DispatcherConfig{
		Handler: HandlerFunc(func(ctx context.Context, u tgbotapi.Update) error {
			_, err := s.Send(ctx, tgbotapi.NewMessage(u.Message.Chat.ID, "đã nhận "+u.Message.Text))
			return err
		}),
		Sender: s, Scope: api.Self.ID, Workers: 2, Log: log,
	})
	// command has g's command /units answered, and returns once it is.
	var command func(g *telegramtest.Chat)
	if webhook {
		hook := httptest.NewServer(WebhookHandler("s3cret", d, log))
		defer hook.Close()
		var id int
		var mu sync.Mutex
		command = func(g *telegramtest.Chat) {
			mu.Lock()
			id++
			body, _ := json.Marshal(message(id, g.ID, "/units"))
			mu.Unlock()
			req, _ := http.NewRequest(http.MethodPost, hook.URL, bytes.NewReader(body))
			req.Header.Set(SecretHeader, "s3cret")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("the command in %s: %s", g.Title, resp.Status)
			}
		}
	} else {
		ctx, cancel := context.WithCancel(context.Background())
		wait := runPoller(ctx, NewPoller(api, d, log))
		defer func() {
			cancel()
			if err := wait(t, 5*time.Second); err != nil {
				t.Errorf("Run = %v", err)
			}
		}()
		user := srv.NewUser("Lan", "lan")
		command = func(g *telegramtest.Chat) {
			srv.Send(g, user, "/units")
			if _, err := srv.WaitFor(g.ID, 2*groupWindow, func(m telegramtest.Message) bool { return m.Text == "đã nhận /units" }); err != nil {
				t.Error(err)
			}
		}
	}
	waiting := func() int {
		s.lim.mu.Lock()
		defer s.lim.mu.Unlock()
		n := 0
		for _, cs := range s.lim.ring {
			n += len(cs.queue)
		}
		return n
	}

	// As many groups as workers have just had the one message their window
	// allows (a reminder), and each sends a command.
	busy := []*telegramtest.Chat{srv.NewGroup("Khối A"), srv.NewGroup("Khối B")}
	var wg sync.WaitGroup
	for _, g := range busy {
		if _, err := s.Send(t.Context(), tgbotapi.NewMessage(g.ID, "nhắc hạn")); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() { command(g) })
	}
	for deadline := time.Now().Add(5 * time.Second); waiting() < len(busy); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d answers wait for their group's window, want %d", waiting(), len(busy))
		}
	}

	quiet := srv.NewGroup("Khối C")
	start := time.Now()
	command(quiet)
	if took := time.Since(start); took > groupWindow/3 {
		t.Errorf("the quiet group's command took %v, behind the groups waiting for their window", took)
	}
	wg.Wait()
	for _, g := range append(busy, quiet) {
		var texts []string
		for _, m := range srv.Messages(g.ID) {
			texts = append(texts, m.Text)
		}
		want := []string{"nhắc hạn", "đã nhận /units"}
		if g == quiet {
			want = want[1:]
		}
		if !slices.Equal(texts, want) {
			t.Errorf("%s got %q, want %q", g.Title, texts, want)
		}
	}
	if n := srv.Count429(); n != 0 {
		t.Errorf("Telegram refused %d messages for flood", n)
	}
	if !webhook {
		if err := srv.WaitIdle(5 * time.Second); err != nil {
			t.Error(err)
		}
	}
}
