package bot

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
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

// recorder is a Handler that records the updates it handles, in the order
// it handles them, holding those it was told to hold until released.
type recorder struct {
	mu      sync.Mutex
	handled []int
	held    map[int]chan struct{}
}

// newRecorder returns a recorder holding the updates of the ids held.
func newRecorder(held ...int) *recorder {
	r := &recorder{held: map[int]chan struct{}{}}
	for _, id := range held {
		r.held[id] = make(chan struct{})
	}
	return r
}

func (r *recorder) Handle(_ context.Context, u tgbotapi.Update) error {
	if c := r.held[u.UpdateID]; c != nil {
		<-c
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handled = append(r.handled, u.UpdateID)
	return nil
}

// release lets the held update id be handled.
func (r *recorder) release(id int) { close(r.held[id]) }

// ids returns the ids of the updates handled, in the order handled.
func (r *recorder) ids() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.handled)
}

// has reports whether every update of ids has been handled.
func (r *recorder) has(ids ...int) bool {
	got := r.ids()
	for _, id := range ids {
		if !slices.Contains(got, id) {
			return false
		}
	}
	return true
}

// pollRecorded starts a Poller on a fake Bot API holding updates, whose
// handler is a recorder holding the updates of the ids held, and returns
// the fake, the recorder, the poller's stop and runPoller's wait.
func pollRecorded(t *testing.T, updates []tgbotapi.Update, held ...int) (*fakeAPI, *recorder, context.CancelFunc, func(*testing.T, time.Duration) error) {
	f := newFake(t)
	rec := newRecorder(held...)
	d := NewDispatcher(DispatcherConfig{Handler: rec, Sender: f.sender(), Log: discard()})
	f.push(updates...)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return f, rec, cancel, runPoller(ctx, NewPoller(f.api(), d, discard()))
}

// An update held up (its chat waiting for Telegram's limits) holds up no
// other chat's updates: the poller takes new updates while it is handled,
// without dispatching again those Telegram sends again meanwhile, polling
// every busyPollInterval without waiting rather than spinning, and
// acknowledges none from the held one on until it is handled. The held
// chat's next update waits for it.
func TestPollerTakesUpdatesWhileOthersAreHandled(t *testing.T) {
	t.Parallel() // watches the poller for a second
	f, rec, cancel, wait := pollRecorded(t, []tgbotapi.Update{message(9, 3, "a"), message(10, 1, "chậm"), message(11, 2, "b")}, 10)

	waitFor(t, "the updates around the held one handled", func() bool { return rec.has(9, 11) })
	f.push(message(12, 2, "c"), message(13, 1, "d"))
	waitFor(t, "an update sent while the held one is handled", func() bool { return rec.has(12) })
	if got := f.unconfirmed(); !slices.Equal(got, []int{10, 11, 12, 13}) {
		t.Errorf("with update 10 held, unconfirmed = %v, want 10 to 13", got)
	}

	before := len(f.callsTo("getUpdates"))
	time.Sleep(time.Second)
	gets := f.callsTo("getUpdates")[before:]
	// At most one a busyPollInterval (no busy loop), and at least one: the
	// loop goes on (update 12, fetched while 10 was held, showed it fetches;
	// more than one in the second is not required of a loaded machine).
	if n := len(gets); n < 1 || n > int(time.Second/busyPollInterval)+1 {
		t.Errorf("%d getUpdates in a second with an update in flight, want one every %v", n, busyPollInterval)
	}
	for _, g := range gets {
		if g.params.Get("offset") != "10" || g.params.Get("timeout") != "" {
			t.Errorf("getUpdates %v with update 10 in flight, want offset 10 without waiting", g.params)
		}
	}
	if got := rec.ids(); !slices.Equal(got, []int{9, 11, 12}) && !slices.Equal(got, []int{11, 9, 12}) {
		t.Errorf("with update 10 held, handled %v, want 9, 11 and 12 once each (13 waits for 10, in its chat)", got)
	}

	rec.release(10)
	waitFor(t, "every update acknowledged", func() bool { return len(f.unconfirmed()) == 0 })
	if gets := f.callsTo("getUpdates"); gets[len(gets)-1].params.Get("timeout") != "30" {
		t.Errorf("getUpdates %v acknowledged the updates, want a long poll once nothing is in flight", gets[len(gets)-1].params)
	}
	if got := rec.ids(); len(got) != 5 || !slices.Equal(got[3:], []int{10, 13}) {
		t.Errorf("handled %v, want each update once, 10 then 13", got)
	}
	cancel()
	if err := wait(t, 2*time.Second); err != nil {
		t.Errorf("Run = %v", err)
	}
}

// A stop (SIGTERM) with an update in flight stops fetching at once, waits
// for the update, and then acknowledges it, with what was handled before
// it, in one getUpdates that does not wait; updates sent meanwhile are
// left to the next start.
func TestPollerStopsAfterUpdatesInFlight(t *testing.T) {
	f, rec, cancel, wait := pollRecorded(t, []tgbotapi.Update{message(10, 1, "a"), message(11, 2, "b"), message(12, 1, "c")}, 12)

	waitFor(t, "the updates before the held one acknowledged", func() bool { return slices.Equal(f.unconfirmed(), []int{12}) })
	cancel()
	before := len(f.callsTo("getUpdates"))
	f.push(message(13, 2, "d"))
	time.Sleep(2 * busyPollInterval)
	if n := len(f.callsTo("getUpdates")); n != before {
		t.Errorf("%d getUpdates after the stop, before the update in flight was handled", n-before)
	}
	if got := f.unconfirmed(); !slices.Equal(got, []int{12, 13}) {
		t.Errorf("stopping with update 12 in flight, unconfirmed = %v, want 12 and 13", got)
	}
	rec.release(12)
	if err := wait(t, 2*time.Second); err != nil {
		t.Errorf("Run = %v", err)
	}
	if got := f.unconfirmed(); !slices.Equal(got, []int{13}) {
		t.Errorf("after Run, unconfirmed = %v, want 13, sent after the stop", got)
	}
	if got := rec.ids(); !slices.Equal(got, []int{10, 11, 12}) && !slices.Equal(got, []int{11, 10, 12}) {
		t.Errorf("handled %v, want 10 to 12", got)
	}
	gets := f.callsTo("getUpdates")
	if last := gets[len(gets)-1].params; len(gets) != before+1 || last.Get("offset") != "13" || last.Get("timeout") != "" {
		t.Errorf("%d getUpdates after the stop, the last %v; want one, at offset 13 without waiting", len(gets)-before, last)
	}
	if !strings.Contains(gets[0].params.Get("allowed_updates"), "callback_query") {
		t.Errorf("allowed_updates = %q", gets[0].params.Get("allowed_updates"))
	}
	if dw := f.callsTo("deleteWebhook"); len(dw) != 1 || dw[0].params.Get("drop_pending_updates") == "true" {
		t.Errorf("deleteWebhook calls = %v", dw)
	}
}

// getUpdates answers at most 100 updates from the offset: with the oldest
// update in flight held up and the 99 after it handled, the poller, which
// would get the same answer again, waits for the held one instead of
// asking again and again, and then takes the updates beyond.
func TestPollerWaitsOutAFullAnswer(t *testing.T) {
	var updates []tgbotapi.Update
	var all []int
	for id := 10; id <= 160; id++ {
		updates = append(updates, message(id, int64(id), "x"))
		all = append(all, id)
	}
	f, rec, cancel, wait := pollRecorded(t, updates, 10)

	waitFor(t, "the 99 updates after the held one handled", func() bool { return len(rec.ids()) == maxPollLimit-1 })
	time.Sleep(3 * busyPollInterval)
	if n := len(f.callsTo("getUpdates")); n != 1 {
		t.Errorf("%d getUpdates while the first 100 updates were taken and one of them held, want 1", n)
	}
	rec.release(10)
	waitFor(t, "every update acknowledged", func() bool { return len(f.unconfirmed()) == 0 })
	got := rec.ids()
	slices.Sort(got)
	if !slices.Equal(got, all) {
		t.Errorf("handled %v, want 10 to 160 once each", got)
	}
	cancel()
	if err := wait(t, 2*time.Second); err != nil {
		t.Errorf("Run = %v", err)
	}
}

// A bot killed while an update is held up loses nothing: the updates
// handled before it were acknowledged, while it and the updates after it,
// handled or not, were not, so that Telegram sends them again to the next
// start (whose dedupe finds those handled).
func TestPollerLeavesUnacknowledgedUpdatesToTheNextStart(t *testing.T) {
	srv, api, s, log, _ := limitedFake(t, TelegramLimits())
	user := srv.NewUser("Lan", "lan")
	a, b, c := srv.NewGroup("Khối A"), srv.NewGroup("Khối B"), srv.NewGroup("Khối C")
	first, held, after := srv.Send(a, user, "/units"), srv.Send(b, user, "/units"), srv.Send(c, user, "/units")
	rec := newRecorder(held.ID)
	ctx, kill := context.WithCancel(context.Background())
	defer kill()
	wait := runPoller(ctx, NewPoller(api, NewDispatcher(DispatcherConfig{Handler: rec, Sender: s, Log: log}), log))

	if err := srv.WaitConfirmed(first.ID, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the update after the held one handled", func() bool { return rec.has(after.ID) })
	later := srv.Send(c, user, "/units")
	waitFor(t, "an update sent later handled", func() bool { return rec.has(later.ID) })
	if n := srv.Pending(); n != 3 {
		t.Errorf("%d updates unacknowledged, want the held one, the one after it and the later one", n)
	}
	if err := srv.WaitConfirmed(after.ID, 0); err == nil {
		t.Errorf("update %d, handled after the held one, acknowledged", after.ID)
	}

	// Killed: the stop waits for the held update, and acknowledges nothing
	// meanwhile; the next start gets what was not acknowledged.
	kill()
	next := &recorder{}
	ctx2, stop := context.WithCancel(context.Background())
	wait2 := runPoller(ctx2, NewPoller(api, NewDispatcher(DispatcherConfig{Handler: next, Sender: s, Log: log}), log))
	if err := srv.WaitIdle(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	stop()
	if err := wait2(t, 2*time.Second); err != nil {
		t.Errorf("Run after the restart = %v", err)
	}
	got := next.ids()
	slices.Sort(got)
	if want := []int{held.ID, after.ID, later.ID}; !slices.Equal(got, want) {
		t.Errorf("after the restart, handled %v, want %v", got, want)
	}
	rec.release(held.ID)
	if err := wait(t, 2*time.Second); err != nil {
		t.Errorf("Run = %v", err)
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
