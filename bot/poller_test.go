package bot

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// runPoller starts p.Run and returns a function that waits for it to end.
func runPoller(ctx context.Context, p *Poller) func(t *testing.T, within time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	return func(t *testing.T, within time.Duration) error {
		t.Helper()
		select {
		case err := <-done:
			return err
		case <-time.After(within):
			t.Fatalf("Run did not return within %v", within)
			return nil
		}
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestPollerConfirmsOnlyHandledUpdates(t *testing.T) {
	f := newFake(t)
	release := make(chan struct{})
	var handled atomic.Int32
	d := NewDispatcher(DispatcherConfig{
		Handler: HandlerFunc(func(_ context.Context, u tgbotapi.Update) error {
			if u.UpdateID == 12 {
				<-release
			}
			handled.Add(1)
			return nil
		}),
		Sender: f.sender(), Log: discard(),
	})
	f.push(message(10, 1, "a"), message(11, 2, "b"), message(12, 1, "c"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wait := runPoller(ctx, NewPoller(f.api(), d, discard()))

	waitFor(t, "two updates handled", func() bool { return handled.Load() == 2 })
	if got := f.unconfirmed(); !slices.Equal(got, []int{10, 11, 12}) {
		t.Errorf("while the batch is handled, unconfirmed = %v, want all three", got)
	}
	// Shut down mid-batch: the batch is finished, then confirmed.
	cancel()
	time.Sleep(20 * time.Millisecond)
	if got := f.unconfirmed(); len(got) != 3 {
		t.Errorf("confirmed before the batch was handled: unconfirmed = %v", got)
	}
	close(release)
	if err := wait(t, 2*time.Second); err != nil {
		t.Errorf("Run = %v", err)
	}
	if got := f.unconfirmed(); len(got) != 0 {
		t.Errorf("after Run, unconfirmed = %v", got)
	}
	gets := f.callsTo("getUpdates")
	last := gets[len(gets)-1].params
	if last.Get("offset") != "13" || last.Get("timeout") != "" {
		t.Errorf("last getUpdates = %v, want offset 13 without waiting", last)
	}
	if !strings.Contains(gets[0].params.Get("allowed_updates"), "callback_query") {
		t.Errorf("allowed_updates = %q", gets[0].params.Get("allowed_updates"))
	}
	if dw := f.callsTo("deleteWebhook"); len(dw) != 1 || dw[0].params.Get("drop_pending_updates") == "true" {
		t.Errorf("deleteWebhook calls = %v", dw)
	}
}

func TestPollerStopsDuringLongPoll(t *testing.T) {
	f := newFake(t)
	d := NewDispatcher(DispatcherConfig{Handler: HandlerFunc(func(context.Context, tgbotapi.Update) error { return nil }), Sender: f.sender(), Log: discard()})
	ctx, cancel := context.WithCancel(context.Background())
	wait := runPoller(ctx, NewPoller(f.api(), d, discard(), WithPollTimeout(30*time.Second)))
	waitFor(t, "a long poll", func() bool { return len(f.callsTo("getUpdates")) == 1 })
	start := time.Now()
	cancel()
	if err := wait(t, time.Second); err != nil {
		t.Errorf("Run = %v", err)
	}
	if took := time.Since(start); took > 500*time.Millisecond {
		t.Errorf("Run took %v to stop", took)
	}
	if n := len(f.callsTo("getUpdates")); n != 1 {
		t.Errorf("%d getUpdates calls; nothing was handled, so none is needed to confirm", n)
	}
}

func TestPollerBacksOffAndRecovers(t *testing.T) {
	f := newFake(t)
	var n atomic.Int32
	f.on("getUpdates", func(v url.Values) reply {
		switch n.Add(1) {
		case 1:
			return fail(http.StatusConflict, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running", nil)
		case 2:
			return fail(http.StatusBadGateway, "Bad Gateway", nil)
		case 3:
			return ok([]tgbotapi.Update{message(5, 1, "hi")})
		}
		return ok([]tgbotapi.Update{})
	})
	got := make(chan int, 1)
	d := NewDispatcher(DispatcherConfig{
		Handler: HandlerFunc(func(_ context.Context, u tgbotapi.Update) error { got <- u.UpdateID; return nil }),
		Sender:  f.sender(), Log: discard(),
	})
	log, buf := captureLog()
	ctx, cancel := context.WithCancel(context.Background())
	wait := runPoller(ctx, NewPoller(f.api(), d, log, WithBackoff(5*time.Millisecond, 20*time.Millisecond)))
	select {
	case id := <-got:
		if id != 5 {
			t.Errorf("handled update %d", id)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("no update handled after errors")
	}
	waitFor(t, "the batch confirmed", func() bool { return n.Load() >= 4 })
	cancel()
	if err := wait(t, time.Second); err != nil {
		t.Errorf("Run = %v", err)
	}
	if out := buf.String(); !strings.Contains(out, "409 Conflict") || leaks(out) {
		t.Errorf("log does not report the conflict clearly (or leaks):\n%s", out)
	}
}

func TestPollerStopsOnRevokedToken(t *testing.T) {
	f := newFake(t)
	api := f.api()
	f.on("getUpdates", func(url.Values) reply { return fail(http.StatusUnauthorized, "Unauthorized", nil) })
	d := NewDispatcher(DispatcherConfig{Handler: HandlerFunc(func(context.Context, tgbotapi.Update) error { return nil }), Sender: f.sender(), Log: discard()})
	err := NewPoller(api, d, discard()).Run(testCtx(t))
	if err == nil || leaks(err.Error()) || !strings.Contains(err.Error(), "@BotFather") {
		t.Errorf("Run with a revoked token = %v", err)
	}
}

// asReferences turns the message of each press in updates, as tgbotapi
// decodes it, into what the bot decodes of it: its id, chat and date.
func asReferences(updates []tgbotapi.Update) {
	for _, u := range updates {
		if p := u.CallbackQuery; p != nil && p.Message != nil {
			p.Message = &tgbotapi.Message{MessageID: p.Message.MessageID, Chat: p.Message.Chat, Date: p.Message.Date}
		}
	}
}

// TestGetUpdatesAsTgbotapi checks that getUpdates sends what tgbotapi's
// GetUpdates sends and returns what it returns, updates (but for the
// message of a press, see incoming) and errors alike, and that an API
// NewAPI did not make is polled through tgbotapi.
func TestGetUpdatesAsTgbotapi(t *testing.T) {
	f := newFake(t)
	api := f.api()
	other, err := tgbotapi.NewBotAPIWithAPIEndpoint(testToken, f.endpoint())
	if err != nil {
		t.Fatal(err)
	}
	press := callback(21, -5, "q1", "vi")
	press.CallbackQuery.Message = &tgbotapi.Message{MessageID: 7, Chat: &tgbotapi.Chat{ID: -5, Type: "supergroup"}, Text: "Bầu Khối trưởng",
		Entities:    []tgbotapi.MessageEntity{{Type: "bold", Offset: 0, Length: 3}},
		ReplyMarkup: &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{{tgbotapi.NewInlineKeyboardButtonData("Hội Nông dân", "v:1")}}}}
	f.push(message(20, -5, "/baocao Quý I\n1. 45 nhà"), press)
	ctx := testCtx(t)
	configs := []tgbotapi.UpdateConfig{
		{Offset: 20, Limit: 100, AllowedUpdates: allowedUpdates},
		{Offset: 21, Limit: 1},
		{AllowedUpdates: []string{}},
	}
	for _, c := range configs {
		want, wantErr := withContext(ctx, api).GetUpdates(c)
		asReferences(want)
		got, gotErr := getUpdates(ctx, api, c)
		if !reflect.DeepEqual(plainUpdates(got), want) || gotErr != wantErr {
			t.Errorf("getUpdates(%+v) = %+v, %v; tgbotapi's = %+v, %v", c, got, gotErr, want, wantErr)
		}
		if viaOther, err := getUpdates(ctx, other, c); !reflect.DeepEqual(plainUpdates(viaOther), want) || err != nil {
			t.Errorf("getUpdates(%+v) through an API of tgbotapi's = %+v, %v", c, viaOther, err)
		}
		gets := f.callsTo("getUpdates")
		if n := len(gets); !reflect.DeepEqual(gets[n-3].params, gets[n-2].params) || !reflect.DeepEqual(gets[n-2].params, gets[n-1].params) {
			t.Errorf("getUpdates(%+v) sent %v; tgbotapi's %v and %v", c, gets[n-2].params, gets[n-3].params, gets[n-1].params)
		}
	}
	in, _ := getUpdates(ctx, api, configs[0])
	got := plainUpdates(in)
	if len(got) != 2 || got[0].Message.Text != "/baocao Quý I\n1. 45 nhà" || got[1].CallbackQuery.ID != "q1" || got[1].CallbackQuery.Data != "x" {
		t.Fatalf("getUpdates returned %+v, want the message and the press", got)
	}
	if m := got[1].CallbackQuery.Message; m.MessageID != 7 || m.Chat.ID != -5 || m.Text != "" || m.ReplyMarkup != nil {
		t.Errorf("the pressed message is %+v, want its id and chat only", m)
	}

	f.on("getUpdates", func(url.Values) reply {
		return fail(http.StatusTooManyRequests, "Too Many Requests: retry after 3", map[string]any{"retry_after": 3})
	})
	_, wantErr := withContext(ctx, api).GetUpdates(configs[0])
	_, gotErr := getUpdates(ctx, api, configs[0])
	if !reflect.DeepEqual(gotErr, wantErr) {
		t.Errorf("getUpdates failed with %#v; tgbotapi's with %#v", gotErr, wantErr)
	}
	if ra, ok := RetryAfter(gotErr); !ok || ra != 3*time.Second {
		t.Errorf("RetryAfter(%v) = %v, %v", gotErr, ra, ok)
	}
}

// plainUpdates returns the updates of in without their topics.
func plainUpdates(in []inbound) []tgbotapi.Update {
	if in == nil {
		return nil
	}
	out := make([]tgbotapi.Update, len(in))
	for i := range in {
		out[i] = in[i].u
	}
	return out
}
