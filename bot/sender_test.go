package bot

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/prometheus/client_golang/prometheus"

	"thiduabot/telegramtest"
)

// checkWindow fails the test if more than n of times (sorted) fall within
// any span of length d.
func checkWindow(t *testing.T, what string, times []time.Time, n int, d time.Duration) {
	t.Helper()
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	for i := 0; i+n < len(times); i++ {
		if gap := times[i+n].Sub(times[i]); gap < d {
			t.Errorf("%s: %d calls within %v (calls %d..%d), limit %d per %v", what, n+1, gap, i, i+n, n, d)
		}
	}
}

func TestSenderKeepsLimits(t *testing.T) {
	f := newFake(t)
	lim := Limits{
		PerChat: 1, PerChatWindow: 50 * time.Millisecond,
		PerGroup: 3, PerGroupWindow: 200 * time.Millisecond,
		Global: 10, GlobalWindow: 100 * time.Millisecond,
	}
	reg := prometheus.NewRegistry()
	s := NewSender(f.api(), lim, NewMetrics(reg), discard())

	chats := []int64{1, 2, 3, 4, 5, 6, -1001, -1002, -1003}
	const perChat = 5
	var wg sync.WaitGroup
	for _, chat := range chats {
		// Two goroutines per chat, one sending and one editing.
		for g := range 2 {
			wg.Go(func() {
				for i := range perChat {
					var c tgbotapi.Chattable = tgbotapi.NewMessage(chat, fmt.Sprintf("%d-%d-%d", chat, g, i))
					if g == 1 {
						c = tgbotapi.NewEditMessageText(chat, i+1, fmt.Sprintf("edit %d-%d", chat, i))
					}
					if _, err := s.Send(testCtx(t), c); err != nil {
						t.Errorf("Send: %v", err)
					}
				}
			})
		}
	}
	wg.Wait()

	var all []time.Time
	byChat := map[int64][]time.Time{}
	for _, c := range append(f.callsTo("sendMessage"), f.callsTo("editMessageText")...) {
		chat, _ := strconv.ParseInt(c.params.Get("chat_id"), 10, 64)
		byChat[chat] = append(byChat[chat], c.at)
		all = append(all, c.at)
	}
	if len(all) != len(chats)*perChat*2 {
		t.Fatalf("server got %d calls, want %d", len(all), len(chats)*perChat*2)
	}
	checkWindow(t, "global", all, lim.Global, lim.GlobalWindow)
	for chat, times := range byChat {
		checkWindow(t, fmt.Sprintf("chat %d", chat), times, lim.PerChat, lim.PerChatWindow)
		if chat < 0 {
			checkWindow(t, fmt.Sprintf("group %d", chat), times, lim.PerGroup, lim.PerGroupWindow)
		}
	}
	if got := metricValue(t, reg, "thiduabot_send_queue_depth"); got != 0 {
		t.Errorf("send queue depth after all sends = %v", got)
	}
	if got := metricValue(t, reg, "thiduabot_messages_sent_total", "method", "editMessageText"); got != float64(len(chats)*perChat) {
		t.Errorf("edits counted = %v", got)
	}
}

func TestSenderIsFairAcrossChats(t *testing.T) {
	f := newFake(t)
	// Only the global limit binds: 2 calls per 100 ms.
	s := f.sender(Limits{PerChat: 100, PerChatWindow: time.Millisecond, PerGroup: 100, PerGroupWindow: time.Millisecond, Global: 2, GlobalWindow: 100 * time.Millisecond})
	ctx := testCtx(t)

	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			if _, err := s.Send(ctx, tgbotapi.NewMessage(1, "flood "+strconv.Itoa(i))); err != nil {
				t.Error(err)
			}
		})
	}
	time.Sleep(20 * time.Millisecond) // let the flood queue up
	start := time.Now()
	if _, err := s.Send(ctx, tgbotapi.NewMessage(2, "other chat")); err != nil {
		t.Fatal(err)
	}
	// The flood needs a second; the other chat must get one of the next slots.
	if waited := time.Since(start); waited > 350*time.Millisecond {
		t.Errorf("a quiet chat waited %v behind a flooded one", waited)
	}
	wg.Wait()
}

func TestSenderRetries429ExactlyOnce(t *testing.T) {
	t.Parallel() // waits out retry_after
	f := newFake(t)
	var refused atomic.Int32
	delivered := map[string]int{}
	var mu sync.Mutex
	f.on("sendMessage", func(v url.Values) reply {
		if refused.Add(1) <= 6 {
			return fail(http.StatusTooManyRequests, "Too Many Requests: retry after 1", map[string]any{"retry_after": 1})
		}
		mu.Lock()
		delivered[v.Get("text")]++
		mu.Unlock()
		return ok(map[string]any{"message_id": 7, "date": 1, "chat": map[string]any{"id": 1, "type": "private"}})
	})
	reg := prometheus.NewRegistry()
	s := NewSender(f.api(), Limits{PerChat: 100, PerChatWindow: time.Millisecond, PerGroup: 100, PerGroupWindow: time.Millisecond, Global: 100, GlobalWindow: time.Millisecond}, NewMetrics(reg), discard())

	var wg sync.WaitGroup
	const n = 8
	for i := range n {
		wg.Go(func() {
			msg, err := s.Send(testCtx(t), tgbotapi.NewMessage(int64(i%3+1), "m"+strconv.Itoa(i)))
			if err != nil || msg.MessageID != 7 {
				t.Errorf("Send = %v, %v", msg.MessageID, err)
			}
		})
	}
	wg.Wait()
	for i := range n {
		if got := delivered["m"+strconv.Itoa(i)]; got != 1 {
			t.Errorf("message %d delivered %d times", i, got)
		}
	}
	if got := metricValue(t, reg, "thiduabot_telegram_429_total"); got != 6 {
		t.Errorf("429s counted = %v, want 6", got)
	}
}

func TestSenderRetryKeepsChatOrder(t *testing.T) {
	t.Parallel() // waits out retry_after
	f := newFake(t)
	var refused atomic.Bool
	var order []string
	var mu sync.Mutex
	f.on("sendMessage", func(v url.Values) reply {
		if !refused.Swap(true) {
			return fail(http.StatusTooManyRequests, "Too Many Requests: retry after 1", map[string]any{"retry_after": 1})
		}
		mu.Lock()
		order = append(order, v.Get("text"))
		mu.Unlock()
		return ok(map[string]any{"message_id": 1, "date": 1, "chat": map[string]any{"id": 1, "type": "private"}})
	})
	s := f.sender(Limits{PerChat: 1, PerChatWindow: 10 * time.Millisecond, PerGroup: 100, PerGroupWindow: time.Millisecond, Global: 100, GlobalWindow: time.Millisecond})
	ctx := testCtx(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := s.Send(ctx, tgbotapi.NewMessage(5, "first")); err != nil {
			t.Error(err)
		}
	}()
	for len(f.callsTo("sendMessage")) == 0 {
		time.Sleep(time.Millisecond)
	}
	if _, err := s.Send(ctx, tgbotapi.NewMessage(5, "second")); err != nil {
		t.Fatal(err)
	}
	<-done
	if !slices.Equal(order, []string{"first", "second"}) {
		t.Errorf("delivery order = %v", order)
	}
}

func TestSenderHonoursContextWhileWaiting(t *testing.T) {
	f := newFake(t)
	s := f.sender(Limits{PerChat: 1, PerChatWindow: time.Hour, PerGroup: 10, PerGroupWindow: time.Hour, Global: 10, GlobalWindow: time.Hour})
	if _, err := s.Send(testCtx(t), tgbotapi.NewMessage(1, "a")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := s.Send(ctx, tgbotapi.NewMessage(1, "b")); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Send past the deadline = %v", err)
	}
	if n := len(f.callsTo("sendMessage")); n != 1 {
		t.Errorf("server got %d messages, want 1", n)
	}
	// The abandoned wait left nothing behind: another chat is served.
	if _, err := s.Send(testCtx(t), tgbotapi.NewMessage(2, "c")); err != nil {
		t.Fatal(err)
	}
}

func TestSenderErrors(t *testing.T) {
	f := newFake(t)
	f.on("sendMessage", func(url.Values) reply {
		return fail(http.StatusBadRequest, "Bad Request: group chat was upgraded to a supergroup chat", map[string]any{"migrate_to_chat_id": -1001234})
	})
	f.on("editMessageText", func(url.Values) reply {
		return fail(http.StatusBadRequest, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same", nil)
	})
	f.on("sendPhoto", func(url.Values) reply {
		return fail(http.StatusForbidden, "Forbidden: bot was blocked by the user", nil)
	})
	s := f.sender()
	ctx := testCtx(t)

	_, err := s.Send(ctx, tgbotapi.NewMessage(-42, "x"))
	if id, ok := MigratedTo(err); !ok || id != -1001234 {
		t.Errorf("MigratedTo(%v) = %d, %v", err, id, ok)
	}
	if _, err := s.Send(ctx, tgbotapi.NewEditMessageText(1, 2, "same")); err != nil {
		t.Errorf("not modified = %v, want success", err)
	}
	_, err = s.Send(ctx, tgbotapi.NewPhoto(1, tgbotapi.FileID("abc")))
	if e := apiError(err); e == nil || e.Code != http.StatusForbidden {
		t.Errorf("403 = %#v", err)
	}
	if _, ok := MigratedTo(err); ok {
		t.Error("MigratedTo true for a 403")
	}
	if _, err := s.Send(ctx, tgbotapi.NewDeleteMessage(1, 2)); err != nil {
		t.Errorf("deleteMessage (result true) = %v", err)
	}
}

func TestRequestRetries429(t *testing.T) {
	t.Parallel() // waits out retry_after
	f := newFake(t)
	var n atomic.Int32
	f.on("answerCallbackQuery", func(url.Values) reply {
		if n.Add(1) == 1 {
			return fail(http.StatusTooManyRequests, "Too Many Requests: retry after 1", map[string]any{"retry_after": 1})
		}
		return ok(true)
	})
	s := f.sender()
	start := time.Now()
	if _, err := s.Request(testCtx(t), tgbotapi.NewCallback("q", "")); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 2 || time.Since(start) < time.Second {
		t.Errorf("calls = %d after %v; want 2 after retry_after", n.Load(), time.Since(start))
	}
	ctx, cancel := context.WithCancel(context.Background())
	n.Store(0)
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	if _, err := s.Request(ctx, tgbotapi.NewCallback("q", "")); !errors.Is(err, context.Canceled) {
		t.Errorf("Request cancelled during retry_after = %v", err)
	}
}

func TestChatKeyOf(t *testing.T) {
	for _, tc := range []struct {
		c    tgbotapi.Chattable
		want chatKey
	}{
		{tgbotapi.NewMessage(5, "x"), chatKey{id: 5}},
		{tgbotapi.NewEditMessageText(-7, 1, "x"), chatKey{id: -7}},
		{tgbotapi.NewDeleteMessage(-7, 1), chatKey{id: -7}},
		{tgbotapi.NewDocument(9, tgbotapi.FileID("f")), chatKey{id: 9}},
		{&tgbotapi.MessageConfig{BaseChat: tgbotapi.BaseChat{ChannelUsername: "@news"}}, chatKey{username: "@news"}},
		{tgbotapi.EditMessageTextConfig{BaseEdit: tgbotapi.BaseEdit{InlineMessageID: "i"}}, chatKey{}},
	} {
		if got := chatKeyOf(tc.c); got != tc.want {
			t.Errorf("chatKeyOf(%T) = %+v, want %+v", tc.c, got, tc.want)
		}
	}
	if got := typeLabel(tgbotapi.NewEditMessageText(1, 1, "")); got != "editMessageText" {
		t.Errorf("typeLabel = %q", got)
	}
}

func TestWindow(t *testing.T) {
	w := newWindow(2, time.Second)
	t0 := time.Unix(1000, 0)
	if at, ok := w.freeAt(t0); !ok || !at.Equal(t0) {
		t.Fatalf("empty window: %v %v", at, ok)
	}
	w.reserve()
	w.reserve()
	if _, ok := w.freeAt(t0); ok {
		t.Fatal("full of calls in flight, yet free")
	}
	w.complete(t0)
	w.complete(t0.Add(100 * time.Millisecond))
	at, ok := w.freeAt(t0)
	if want := t0.Add(w.span); !ok || !at.Equal(want) {
		t.Errorf("freeAt = %v, want %v", at, want)
	}
	if !w.busy(t0.Add(time.Second)) || w.busy(t0.Add(2*time.Second)) {
		t.Error("busy is wrong")
	}
}

// metricValue reads a counter or gauge from reg, the one with the label
// pair if given.
func metricValue(t *testing.T, reg *prometheus.Registry, name string, label ...string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			matches := len(label) == 0
			for _, lp := range m.GetLabel() {
				matches = matches || (lp.GetName() == label[0] && lp.GetValue() == label[1])
			}
			if matches {
				return m.GetCounter().GetValue() + m.GetGauge().GetValue()
			}
		}
	}
	return 0
}

// withCode costs a call that succeeded nothing: every message the bot
// sends goes through it (an allocation here showed as one more per update
// on every path of the load command).
func TestWithCodeAllocatesNothingOnSuccess(t *testing.T) {
	ok := &tgbotapi.APIResponse{Ok: true}
	if n := testing.AllocsPerRun(100, func() { _ = withCode(ok, nil) }); n != 0 {
		t.Fatalf("withCode of a success allocates %v times", n)
	}
	refused := &tgbotapi.APIResponse{ErrorCode: 400, Description: "Bad Request: not enough rights to send documents to the chat"}
	err := withCode(refused, &tgbotapi.Error{Message: refused.Description})
	var te *tgbotapi.Error
	if !errors.As(err, &te) || te.Code != 400 {
		t.Fatalf("an upload's refusal: %#v", err)
	}
}

// fastRetries are the tests' waits before the retries after a brief
// outage, where the program waits 1 s, 2 s and 4 s.
var fastRetries = []time.Duration{10 * time.Millisecond, 20 * time.Millisecond, 40 * time.Millisecond}

// noLimits never bind.
var noLimits = Limits{PerChat: 1000, PerChatWindow: time.Millisecond, PerGroup: 1000, PerGroupWindow: time.Millisecond, Global: 1000, GlobalWindow: time.Millisecond}

// outageFake starts the project's fake Bot API, closed when the test ends,
// and returns it with a Sender on it that keeps limits and waits waits
// before its retries after a brief outage, counting in the returned
// registry and logging to the returned buffer, and a user to send to.
func outageFake(t *testing.T, limits Limits, waits ...time.Duration) (*telegramtest.Server, *Sender, *prometheus.Registry, *logBuffer, *telegramtest.User) {
	t.Helper()
	srv := telegramtest.NewServer()
	t.Cleanup(srv.Close)
	log, buf := captureLog()
	api, err := NewAPI(Config{Token: srv.Token(), APIEndpoint: srv.Endpoint(), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	return srv, NewSender(api, limits, NewMetrics(reg), log, WithRetryWaits(waits...)), reg, buf, srv.NewUser("Lan", "lan_tw")
}

// A message that meets Telegram's front end out for a moment (nginx's
// 502 page, not JSON) is sent again after the waits and delivered once;
// each retry is counted, and logged at warn with the method and the
// status, never the token.
func TestSenderRetriesBadGateway(t *testing.T) {
	srv, s, reg, logs, u := outageFake(t, noLimits, fastRetries...)
	srv.FailNextWithStatus("sendMessage", 2, http.StatusBadGateway)
	start := time.Now()
	m, err := s.Send(testCtx(t), tgbotapi.NewMessage(u.ID, "Đã lưu cam kết"))
	if err != nil || m.MessageID == 0 {
		t.Fatalf("Send = %+v, %v", m, err)
	}
	if took := time.Since(start); took < fastRetries[0]+fastRetries[1] {
		t.Errorf("delivered after %v, before the waits", took)
	}
	if msgs := srv.Messages(u.ID); len(msgs) != 1 || msgs[0].ID != m.MessageID {
		t.Errorf("delivered %+v, want the message once", msgs)
	}
	if n := len(srv.Requests("sendMessage")); n != 3 {
		t.Errorf("%d calls, want 3", n)
	}
	if got := metricValue(t, reg, "thiduabot_telegram_5xx_total"); got != 2 {
		t.Errorf("retries counted = %v, want 2", got)
	}
	out := logs.String()
	if n := strings.Count(out, "level=WARN"); n != 2 || !strings.Contains(out, "method=message") || !strings.Contains(out, "status=502") {
		t.Errorf("want 2 warnings naming the method and the status, got:\n%s", out)
	}
	if Redact(out, srv.Token()) != out {
		t.Errorf("the log leaks the token:\n%s", out)
	}
}

// After more failures than retries, Send gives up with the last one, which
// names the status and not the token; the next call goes out as usual.
func TestSenderGivesUpAfterTheRetries(t *testing.T) {
	srv, s, reg, _, u := outageFake(t, noLimits, fastRetries...)
	srv.FailNextWithStatus("sendMessage", len(fastRetries)+1, http.StatusServiceUnavailable)
	_, err := s.Send(testCtx(t), tgbotapi.NewMessage(u.ID, "Nhắc hạn"))
	var nj *NotJSONError
	if !errors.As(err, &nj) || nj.Status != http.StatusServiceUnavailable || !strings.Contains(err.Error(), "503") {
		t.Fatalf("Send = %v, want the 503", err)
	}
	if Redact(err.Error(), srv.Token()) != err.Error() {
		t.Errorf("the error leaks the token: %v", err)
	}
	if n := len(srv.Requests("sendMessage")); n != len(fastRetries)+1 {
		t.Errorf("%d calls, want one and %d retries", n, len(fastRetries))
	}
	if got := metricValue(t, reg, "thiduabot_telegram_5xx_total"); got != float64(len(fastRetries)) {
		t.Errorf("retries counted = %v", got)
	}
	if _, err := s.Send(testCtx(t), tgbotapi.NewMessage(u.ID, "Nhắc hạn")); err != nil {
		t.Fatal(err)
	}
	if msgs := srv.Messages(u.ID); len(msgs) != 1 {
		t.Errorf("delivered %+v", msgs)
	}
}

// A call that is not a message (the answer to a button press) is retried
// alike, after the Bot API's JSON 502, 503 and 504 too; a JSON 500 (which
// the project's fake answers for a failure that lasts), a refusal (4xx)
// and a timeout after the request went out are returned at once: Telegram
// may have performed them, or would refuse them again.
func TestSenderRetriesOnlyTransientFailures(t *testing.T) {
	f := newFake(t)
	var answers atomic.Int32
	f.on("answerCallbackQuery", func(url.Values) reply {
		switch answers.Add(1) {
		case 1:
			return fail(http.StatusGatewayTimeout, "Gateway Timeout", nil)
		case 2:
			return fail(http.StatusBadGateway, "Bad Gateway", nil)
		}
		return ok(true)
	})
	s := NewSender(f.api(), noLimits, nil, discard(), WithRetryWaits(fastRetries...))
	ctx := testCtx(t)
	if _, err := s.Request(ctx, tgbotapi.NewCallback("q", "Đã ghi nhận")); err != nil || answers.Load() != 3 {
		t.Fatalf("Request = %v after %d calls, want success after 3", err, answers.Load())
	}

	for _, refusal := range []reply{
		fail(http.StatusInternalServerError, "Internal Server Error", nil),
		fail(http.StatusBadRequest, "Bad Request: chat not found", nil),
		fail(http.StatusForbidden, "Forbidden: bot was blocked by the user", nil),
	} {
		f.on("sendMessage", func(url.Values) reply { return refusal })
		before := len(f.callsTo("sendMessage"))
		_, err := s.Send(ctx, tgbotapi.NewMessage(1, "x"))
		if e := apiError(err); e == nil || e.Code != refusal.status {
			t.Errorf("%d: Send = %v", refusal.status, err)
		}
		if n := len(f.callsTo("sendMessage")) - before; n != 1 {
			t.Errorf("%d: %d calls, want 1", refusal.status, n)
		}
	}

	slow := newFake(t)
	slow.on("sendMessage", func(url.Values) reply {
		time.Sleep(300 * time.Millisecond)
		return fail(http.StatusGatewayTimeout, "Gateway Timeout", nil)
	})
	api, err := NewAPI(Config{Token: testToken, APIEndpoint: slow.endpoint(), HTTPClient: &http.Client{Timeout: 100 * time.Millisecond}, Log: discard()})
	if err != nil {
		t.Fatal(err)
	}
	s = NewSender(api, noLimits, nil, discard(), WithRetryWaits(fastRetries...))
	if _, err := s.Send(ctx, tgbotapi.NewMessage(1, "x")); err == nil || leaks(err.Error()) {
		t.Errorf("Send timed out = %v", err)
	}
	if n := len(slow.callsTo("sendMessage")); n != 1 {
		t.Errorf("a call that timed out went out %d times, want once", n)
	}
}

// A call that could not reach Telegram at all (no connection: the request
// never left) is retried too, and fails with the transport's error once
// the retries are used up.
func TestSenderRetriesWithoutAConnection(t *testing.T) {
	f := newFake(t)
	reg := prometheus.NewRegistry()
	s := NewSender(f.api(), noLimits, NewMetrics(reg), discard(), WithRetryWaits(fastRetries...))
	f.srv.Close()
	_, err := s.Send(testCtx(t), tgbotapi.NewMessage(1, "x"))
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "dial" || leaks(err.Error()) {
		t.Fatalf("Send = %#v", err)
	}
	if got := metricValue(t, reg, "thiduabot_telegram_5xx_total"); got != float64(len(fastRetries)) {
		t.Errorf("retries counted = %v", got)
	}
}

// The wait before a retry ends with ctx, at once.
func TestSenderRetryWaitEndsWithContext(t *testing.T) {
	srv, s, _, _, u := outageFake(t, noLimits, time.Hour)
	for _, call := range []struct {
		method string
		do     func(context.Context) error
	}{
		{"sendMessage", func(ctx context.Context) error {
			_, err := s.Send(ctx, tgbotapi.NewMessage(u.ID, "x"))
			return err
		}},
		{"setMyCommands", func(ctx context.Context) error {
			_, err := s.Request(ctx, tgbotapi.NewSetMyCommands(tgbotapi.BotCommand{Command: "help", Description: "Trợ giúp"}))
			return err
		}},
	} {
		srv.FailNextWithStatus(call.method, 1, http.StatusBadGateway)
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			for len(srv.Requests(call.method)) == 0 || srv.Requests(call.method)[0].Status == 0 {
				time.Sleep(time.Millisecond)
			}
			cancel()
		}()
		start := time.Now()
		if err := call.do(ctx); !errors.Is(err, context.Canceled) || time.Since(start) > 5*time.Second {
			t.Errorf("%s = %v after %v, want it cancelled in the wait", call.method, err, time.Since(start))
		}
		if n := len(srv.Requests(call.method)); n != 1 {
			t.Errorf("%s: %d calls, want 1", call.method, n)
		}
	}
}

// A retry after a brief outage goes out before any other call to the chat
// that came meanwhile, as after flood control.
func TestSenderOutageRetryKeepsChatOrder(t *testing.T) {
	oneAtATime := Limits{PerChat: 1, PerChatWindow: 10 * time.Millisecond, PerGroup: 100, PerGroupWindow: time.Millisecond, Global: 100, GlobalWindow: time.Millisecond}
	srv, s, _, _, u := outageFake(t, oneAtATime, 50*time.Millisecond, 100*time.Millisecond)
	srv.FailNextWithStatus("sendMessage", 2, http.StatusBadGateway)
	ctx := testCtx(t)
	done := make(chan error, 1)
	go func() {
		_, err := s.Send(ctx, tgbotapi.NewMessage(u.ID, "first"))
		done <- err
	}()
	for len(srv.Requests("sendMessage")) == 0 {
		time.Sleep(time.Millisecond)
	}
	if _, err := s.Send(ctx, tgbotapi.NewMessage(u.ID, "second")); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, m := range srv.Messages(u.ID) {
		texts = append(texts, m.Text)
	}
	if !slices.Equal(texts, []string{"first", "second"}) {
		t.Errorf("delivery order = %q", texts)
	}
	if n := len(srv.Requests("sendMessage")); n != 4 {
		t.Errorf("%d calls, want 4", n)
	}
}

// Handlers whose calls wait to be retried after a brief outage (a message,
// and a call that is not one) lend their worker meanwhile: another chat's
// update is handled at once.
func TestOutageRetriesHoldNoWorker(t *testing.T) {
	t.Parallel() // waits out a retry
	const retryWait = 2 * time.Second
	f := newFake(t)
	var failed sync.WaitGroup
	failed.Add(2)
	var answers, toChat3 atomic.Int32
	f.on("answerCallbackQuery", func(url.Values) reply {
		if answers.Add(1) == 1 {
			defer failed.Done()
			return fail(http.StatusBadGateway, "Bad Gateway", nil)
		}
		return ok(true)
	})
	f.on("sendMessage", func(v url.Values) reply {
		if v.Get("chat_id") == "3" && toChat3.Add(1) == 1 {
			defer failed.Done()
			return fail(http.StatusServiceUnavailable, "Service Unavailable", nil)
		}
		return ok(map[string]any{"message_id": 1, "date": 1, "chat": map[string]any{"id": 1, "type": "private"}})
	})
	s := NewSender(f.api(), noLimits, nil, discard(), WithRetryWaits(retryWait))
	d := NewDispatcher(DispatcherConfig{
		Handler: HandlerFunc(func(ctx context.Context, u tgbotapi.Update) error {
			if u.Message.Chat.ID == 1 {
				_, err := s.Request(ctx, tgbotapi.NewCallback("q", ""))
				return err
			}
			_, err := s.Send(ctx, tgbotapi.NewMessage(u.Message.Chat.ID, "ok"))
			return err
		}),
		Sender: s, Workers: 1, Log: discard(),
	})
	var wg sync.WaitGroup
	for _, chat := range []int64{1, 3} {
		wg.Go(func() { d.Dispatch(context.Background(), []tgbotapi.Update{message(int(chat), chat, "x")}) })
	}
	failed.Wait()
	start := time.Now()
	d.Dispatch(context.Background(), []tgbotapi.Update{message(2, 2, "x")})
	if took := time.Since(start); took > retryWait/2 {
		t.Errorf("another chat's update took %v, behind the retries", took)
	}
	wg.Wait()
	if answers.Load() != 2 || toChat3.Load() != 2 {
		t.Errorf("%d answers and %d messages to chat 3, want each retried once", answers.Load(), toChat3.Load())
	}
}

func TestTransient(t *testing.T) {
	for _, tc := range []struct {
		err    error
		status int
		want   bool
	}{
		{&NotJSONError{Status: 502, ContentType: "text/html"}, 502, true},
		{&NotJSONError{Status: 503}, 503, true},
		{&NotJSONError{Status: 504}, 504, true},
		{&NotJSONError{Status: 500}, 500, false},
		{&NotJSONError{Status: 200, ContentType: "text/html"}, 200, false},
		{fmt.Errorf("bot: message: %w", &tgbotapi.Error{Code: 502, Message: "Bad Gateway"}), 502, true},
		{&tgbotapi.Error{Code: 500, Message: "Internal Server Error"}, 500, false},
		{&tgbotapi.Error{Code: 429, Message: "Too Many Requests"}, 429, false},
		{&tgbotapi.Error{Code: 400, Message: "Bad Request"}, 400, false},
		{&url.Error{Op: "Post", URL: "u", Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}}, 0, true},
		{&url.Error{Op: "Post", URL: "u", Err: &net.OpError{Op: "proxyconnect", Net: "tcp", Err: errors.New("connection refused")}}, 0, true},
		{&url.Error{Op: "Post", URL: "u", Err: &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}}, 0, false},
		{&url.Error{Op: "Post", URL: "u", Err: context.DeadlineExceeded}, 0, false},
		{nil, 0, false},
	} {
		if status, ok := transient(tc.err); status != tc.status || ok != tc.want {
			t.Errorf("transient(%v) = %d, %v; want %d, %v", tc.err, status, ok, tc.status, tc.want)
		}
	}
}
