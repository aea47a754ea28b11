package bot

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/prometheus/client_golang/prometheus"
)

// memDedupe is an in-memory Deduper.
type memDedupe struct {
	mu      sync.Mutex
	handled map[int64]bool
	fail    bool
}

func (m *memDedupe) UpdateHandled(_ context.Context, scope, id int64) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		return false, errors.New("store down")
	}
	return m.handled[scope<<32|id], nil
}

func (m *memDedupe) MarkUpdateHandled(_ context.Context, scope, id int64, _ time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		return false, errors.New("store down")
	}
	if m.handled == nil {
		m.handled = map[int64]bool{}
	}
	first := !m.handled[scope<<32|id]
	m.handled[scope<<32|id] = true
	return first, nil
}

func message(id int, chat int64, text string) tgbotapi.Update {
	return tgbotapi.Update{UpdateID: id, Message: &tgbotapi.Message{
		MessageID: id, Text: text,
		Chat: &tgbotapi.Chat{ID: chat},
		From: &tgbotapi.User{ID: chat, FirstName: "U", LanguageCode: "vi"},
	}}
}

func callback(id int, chat int64, queryID, lang string) tgbotapi.Update {
	return tgbotapi.Update{UpdateID: id, CallbackQuery: &tgbotapi.CallbackQuery{
		ID: queryID, Data: "x",
		From:    &tgbotapi.User{ID: 9, FirstName: "U", LanguageCode: lang},
		Message: &tgbotapi.Message{MessageID: 1, Chat: &tgbotapi.Chat{ID: chat}},
	}}
}

func TestDispatchOrderPerChatParallelAcrossChats(t *testing.T) {
	f := newFake(t)
	const workers = 3
	var (
		mu      sync.Mutex
		seen    = map[int64][]int{}
		running atomic.Int32
		peak    atomic.Int32
		perChat sync.Map // chat -> *atomic.Int32 running
	)
	h := HandlerFunc(func(ctx context.Context, u tgbotapi.Update) error {
		chat := ChatOf(u)
		c, _ := perChat.LoadOrStore(chat, new(atomic.Int32))
		if c.(*atomic.Int32).Add(1) > 1 {
			t.Errorf("two updates of chat %d at once", chat)
		}
		defer c.(*atomic.Int32).Add(-1)
		n := running.Add(1)
		defer running.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		if UpdateID(ctx) != int64(u.UpdateID) {
			t.Errorf("UpdateID(ctx) = %d, want %d", UpdateID(ctx), u.UpdateID)
		}
		time.Sleep(5 * time.Millisecond)
		mu.Lock()
		seen[chat] = append(seen[chat], u.UpdateID)
		mu.Unlock()
		return nil
	})
	d := NewDispatcher(DispatcherConfig{Handler: h, Sender: f.sender(), Workers: workers, Log: discard()})

	// Two concurrent Dispatch calls (as from parallel webhook requests) with
	// interleaved updates of 6 chats.
	var batches [2][]tgbotapi.Update
	for id := 1; id <= 60; id++ {
		batches[id%2] = append(batches[id%2], message(id, int64(id%6+1), "m"))
	}
	var wg sync.WaitGroup
	for _, b := range batches {
		wg.Go(func() { d.Dispatch(context.Background(), b) })
	}
	wg.Wait()

	total := 0
	for chat, ids := range seen {
		total += len(ids)
		for i := 1; i < len(ids); i++ {
			if ids[i] < ids[i-1] {
				t.Errorf("chat %d handled out of order: %v", chat, ids)
				break
			}
		}
	}
	if total != 60 {
		t.Errorf("handled %d updates, want 60", total)
	}
	// Chats ran in parallel: more than one handler at once (a check of
	// time taken would fail on a loaded machine).
	if p := peak.Load(); p > workers || p < 2 {
		t.Errorf("peak concurrency %d, want 2..%d", p, workers)
	}
}

func TestDispatchSkipsDuplicates(t *testing.T) {
	f := newFake(t)
	var calls atomic.Int32
	dd := &memDedupe{}
	reg := prometheus.NewRegistry()
	d := NewDispatcher(DispatcherConfig{
		Handler: HandlerFunc(func(context.Context, tgbotapi.Update) error { calls.Add(1); return nil }),
		Sender:  f.sender(), Dedupe: dd, Scope: 42, Metrics: NewMetrics(reg), Log: discard(),
	})
	d.Dispatch(context.Background(), []tgbotapi.Update{message(1, 1, "a"), message(2, 1, "b")})
	d.Dispatch(context.Background(), []tgbotapi.Update{message(2, 1, "b"), message(3, 1, "c")})
	if calls.Load() != 3 {
		t.Errorf("handler called %d times, want 3", calls.Load())
	}
	if got := metricValue(t, reg, "thiduabot_updates_total", "outcome", OutcomeDuplicate); got != 1 {
		t.Errorf("duplicates counted = %v", got)
	}
	if got := metricValue(t, reg, "thiduabot_updates_total", "outcome", OutcomeOK); got != 3 {
		t.Errorf("ok counted = %v", got)
	}

	// A failing store does not stop handling.
	dd.fail = true
	d.Dispatch(context.Background(), []tgbotapi.Update{message(3, 1, "c")})
	if calls.Load() != 4 {
		t.Errorf("with the store down the update was not handled")
	}
}

func TestDispatchRecoversPanicAndApologises(t *testing.T) {
	f := newFake(t)
	log, buf := captureLog()
	reg := prometheus.NewRegistry()
	var handled []int
	d := NewDispatcher(DispatcherConfig{
		Handler: HandlerFunc(func(_ context.Context, u tgbotapi.Update) error {
			handled = append(handled, u.UpdateID)
			switch u.Message.Text {
			case "panic":
				panic("boom")
			case "fail":
				return errors.New("handler broke")
			}
			return nil
		}),
		Sender: f.sender(), Metrics: NewMetrics(reg), Log: log, Workers: 1,
	})
	en := message(2, 7, "fail")
	en.Message.From.LanguageCode = "en-GB"
	d.Dispatch(context.Background(), []tgbotapi.Update{message(1, 7, "panic"), en, message(3, 7, "ok")})

	if len(handled) != 3 {
		t.Errorf("handled %v; updates after a panic must still be handled", handled)
	}
	sent := f.callsTo("sendMessage")
	if len(sent) != 2 {
		t.Fatalf("sent %d apologies, want 2", len(sent))
	}
	if got := sent[0].params.Get("text"); got != apology.VI || sent[0].params.Get("reply_to_message_id") != "1" {
		t.Errorf("apology for the panic = %q (reply to %s)", got, sent[0].params.Get("reply_to_message_id"))
	}
	if got := sent[1].params.Get("text"); got != apology.EN {
		t.Errorf("apology in English = %q", got)
	}
	out := buf.String()
	if !strings.Contains(out, "boom") || !strings.Contains(out, "dispatch.go") || !strings.Contains(out, "handler broke") {
		t.Errorf("log lacks the panic with its stack or the error:\n%s", out)
	}
	for outcome, want := range map[string]float64{OutcomePanic: 1, OutcomeError: 1, OutcomeOK: 1} {
		if got := metricValue(t, reg, "thiduabot_updates_total", "outcome", outcome); got != want {
			t.Errorf("%s counted = %v, want %v", outcome, got, want)
		}
	}
}

func TestDispatchAnswersCallbacksOnce(t *testing.T) {
	f := newFake(t)
	s := f.sender()
	d := NewDispatcher(DispatcherConfig{
		Handler: HandlerFunc(func(ctx context.Context, u tgbotapi.Update) error {
			switch u.CallbackQuery.ID {
			case "answers":
				_, err := s.Request(ctx, tgbotapi.NewCallback("answers", "done"))
				return err
			case "fails":
				return errors.New("broken")
			case "answers-then-fails":
				if _, err := s.Request(ctx, tgbotapi.NewCallback("answers-then-fails", "ok")); err != nil {
					return err
				}
				return errors.New("broken later")
			}
			return nil
		}),
		Sender: s, Log: discard(),
	})
	d.Dispatch(context.Background(), []tgbotapi.Update{
		callback(1, -5, "answers", "vi"),
		callback(2, -5, "silent", "vi"),
		callback(3, -6, "fails", "en"),
		callback(4, -7, "answers-then-fails", "vi"),
	})

	answers := map[string][]url.Values{}
	for _, c := range f.callsTo("answerCallbackQuery") {
		id := c.params.Get("callback_query_id")
		answers[id] = append(answers[id], c.params)
	}
	for _, id := range []string{"answers", "silent", "fails", "answers-then-fails"} {
		if len(answers[id]) != 1 {
			t.Errorf("callback %q answered %d times, want once", id, len(answers[id]))
		}
	}
	if a := answers["answers"]; len(a) == 1 && a[0].Get("text") != "done" {
		t.Errorf("the handler's answer was replaced: %v", a[0])
	}
	if a := answers["silent"]; len(a) == 1 && a[0].Get("text") != "" {
		t.Errorf("auto-answer has text: %v", a[0])
	}
	if a := answers["fails"]; len(a) == 1 && (a[0].Get("text") != apology.EN || a[0].Get("show_alert") != "true") {
		t.Errorf("failed callback answered with %v, want the English apology as an alert", a[0])
	}
	sent := f.callsTo("sendMessage")
	if len(sent) != 1 || sent[0].params.Get("chat_id") != "-7" || sent[0].params.Get("text") != apology.VI {
		t.Errorf("apology after an answered callback: %v", sent)
	}
	if len(s.callbacks) != 0 {
		t.Errorf("callback ids left tracked: %v", s.callbacks)
	}
}

// A handler failing after it saved the update's change (ErrSaved) told the
// user itself that the change is saved: the dispatcher logs the failure and
// counts it, but does not apologise, whose "try again" would have the user
// make the change twice; an unanswered press still gets its empty answer.
func TestDispatchDoesNotApologiseForASavedChange(t *testing.T) {
	f := newFake(t)
	log, buf := captureLog()
	reg := prometheus.NewRegistry()
	d := NewDispatcher(DispatcherConfig{
		Handler: HandlerFunc(func(context.Context, tgbotapi.Update) error {
			return fmt.Errorf("%w, but the confirmation was refused", ErrSaved)
		}),
		Sender: f.sender(), Metrics: NewMetrics(reg), Log: log,
	})
	d.Dispatch(context.Background(), []tgbotapi.Update{message(1, 7, "/pledge"), callback(2, -5, "press", "vi")})

	if sent := f.callsTo("sendMessage"); len(sent) != 0 {
		t.Errorf("sent %d messages, want no apology", len(sent))
	}
	answers := f.callsTo("answerCallbackQuery")
	if len(answers) != 1 || answers[0].params.Get("callback_query_id") != "press" || answers[0].params.Get("text") != "" {
		t.Errorf("callback answers %v, want one empty answer", answers)
	}
	out := buf.String()
	for _, want := range []string{"level=ERROR", "confirmation was refused", "update_id=1 chat_id=7", "update_id=2 chat_id=-5"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if got := metricValue(t, reg, "thiduabot_updates_total", "outcome", OutcomeError); got != 2 {
		t.Errorf("errors counted = %v, want 2", got)
	}
}

func TestDispatchHandlerContext(t *testing.T) {
	f := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	var handlerErr error
	d := NewDispatcher(DispatcherConfig{
		Handler: HandlerFunc(func(hctx context.Context, _ tgbotapi.Update) error {
			cancel() // intake shuts down while the update is in flight
			time.Sleep(10 * time.Millisecond)
			handlerErr = hctx.Err()
			if _, ok := hctx.Deadline(); !ok {
				t.Error("handler context has no deadline")
			}
			return nil
		}),
		Sender: f.sender(), Log: discard(), HandlerTimeout: time.Minute,
	})
	d.Dispatch(ctx, []tgbotapi.Update{message(1, 1, "x")})
	if handlerErr != nil {
		t.Errorf("handler context ended with intake: %v", handlerErr)
	}
	if UpdateID(context.Background()) != 0 {
		t.Error("UpdateID outside a handler is not 0")
	}
}

func TestChatOf(t *testing.T) {
	chat := &tgbotapi.Chat{ID: -100}
	user := &tgbotapi.User{ID: 55}
	for name, tc := range map[string]struct {
		u    tgbotapi.Update
		want int64
	}{
		"message":         {tgbotapi.Update{Message: &tgbotapi.Message{Chat: chat}}, -100},
		"edited":          {tgbotapi.Update{EditedMessage: &tgbotapi.Message{Chat: chat}}, -100},
		"channel post":    {tgbotapi.Update{ChannelPost: &tgbotapi.Message{Chat: chat}}, -100},
		"callback":        {tgbotapi.Update{CallbackQuery: &tgbotapi.CallbackQuery{From: user, Message: &tgbotapi.Message{Chat: chat}}}, -100},
		"inline callback": {tgbotapi.Update{CallbackQuery: &tgbotapi.CallbackQuery{From: user, InlineMessageID: "i"}}, 55},
		"my chat member":  {tgbotapi.Update{MyChatMember: &tgbotapi.ChatMemberUpdated{Chat: *chat}}, -100},
		"chat member":     {tgbotapi.Update{ChatMember: &tgbotapi.ChatMemberUpdated{Chat: *chat}}, -100},
		"join request":    {tgbotapi.Update{ChatJoinRequest: &tgbotapi.ChatJoinRequest{Chat: *chat}}, -100},
		"inline query":    {tgbotapi.Update{InlineQuery: &tgbotapi.InlineQuery{From: user}}, 55},
		"poll answer":     {tgbotapi.Update{PollAnswer: &tgbotapi.PollAnswer{User: *user}}, 55},
		"poll":            {tgbotapi.Update{Poll: &tgbotapi.Poll{}}, 0},
	} {
		if got := ChatOf(tc.u); got != tc.want {
			t.Errorf("%s: ChatOf = %d, want %d", name, got, tc.want)
		}
	}
}

// An update's handling lends its worker slot once however many of its calls
// wait for Telegram at once, takes it back when the last wait is over, and
// frees it once at its end; a call left waiting after the end takes no slot
// back. Outside a handling, pause and resume change nothing.
func TestHandlingLendsItsSlotOnce(t *testing.T) {
	slots := make(chan struct{}, 2)
	slots <- struct{}{} // the slot its worker took
	h := &handling{slots: slots}
	ctx := context.WithValue(context.Background(), handlingKey{}, h)
	held := func(want int, when string) {
		t.Helper()
		if len(slots) != want {
			t.Fatalf("%s: %d slots taken, want %d", when, len(slots), want)
		}
	}
	first, second := pause(ctx), pause(ctx)
	held(0, "two calls waiting")
	first.resume()
	held(0, "one call still waiting")
	second.resume()
	held(1, "no call waiting")
	left := pause(ctx)
	h.end()
	held(0, "ended with a call waiting")
	left.resume()
	held(0, "the call left waiting done")
	pause(context.Background()).resume()
	held(0, "outside a handling")
}
