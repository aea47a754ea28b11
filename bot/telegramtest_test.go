package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/telegramtest"
)

// limitedFake starts the project's fake Bot API keeping limits, closed
// when the test ends, and returns it with a client of it, a Sender keeping
// the same limits, and the log both write to.
func limitedFake(t *testing.T, limits Limits) (*telegramtest.Server, *tgbotapi.BotAPI, *Sender, *slog.Logger, *logBuffer) {
	t.Helper()
	srv := telegramtest.NewServer(telegramtest.WithLimits(telegramtest.Limits(limits)))
	t.Cleanup(srv.Close)
	srv.FailOnFormattingLoss(t)
	log, buf := captureLog()
	api, err := NewAPI(Config{Token: srv.Token(), APIEndpoint: srv.Endpoint(), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	return srv, api, NewSender(api, limits, nil, log), log, buf
}

// TestWithTelegramtest runs the whole transport (poller, dispatcher, sender,
// Split) against the project's fake Bot API, which enforces flood limits,
// parses HTML and checks message lengths like Telegram.
func TestWithTelegramtest(t *testing.T) {
	t.Parallel() // waits out an injected retry_after
	limits := Limits{
		PerChat: 1, PerChatWindow: 50 * time.Millisecond,
		PerGroup: 3, PerGroupWindow: 300 * time.Millisecond,
		Global: 6, GlobalWindow: 100 * time.Millisecond,
	}
	srv, api, s, log, buf := limitedFake(t, limits)

	var report strings.Builder
	for i := range 120 {
		fmt.Fprintf(&report, "<b>Đơn vị %d</b> – <i>hoàn thành chỉ tiêu thi đua</i> &amp; đạt %d%% 🎉\n", i, i%101)
	}
	handler := HandlerFunc(func(ctx context.Context, u tgbotapi.Update) error {
		if u.Message == nil {
			return nil // a button press: the dispatcher answers it
		}
		chunks := Split(report.String(), MaxMessageLen)
		for i, c := range chunks {
			msg := tgbotapi.NewMessage(u.Message.Chat.ID, c)
			msg.ParseMode = tgbotapi.ModeHTML
			if i == len(chunks)-1 {
				msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("OK", "ok")))
			}
			if _, err := s.Send(ctx, msg); err != nil {
				return err
			}
		}
		return nil
	})
	d := NewDispatcher(DispatcherConfig{Handler: handler, Sender: s, Scope: api.Self.ID, Dedupe: &memDedupe{}, Log: log})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- NewPoller(api, d, log, WithPollTimeout(time.Second), WithBackoff(10*time.Millisecond, 100*time.Millisecond)).Run(ctx)
	}()

	group := srv.NewGroup("Tổ công đoàn")
	lan := srv.NewUser("Lan", "lan", telegramtest.Lang("vi"))
	minh := srv.NewUser("Minh", "", telegramtest.Lang("en"))
	srv.Inject429(3, 1)
	updates := []telegramtest.Update{
		srv.Send(group, lan, "báo cáo"),
		srv.Send(group, minh, "report"),
		srv.SendPrivate(lan, "báo cáo"),
	}
	for _, u := range updates {
		if err := srv.WaitConfirmed(u.ID, 10*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	want := Split(report.String(), MaxMessageLen)
	if len(want) < 2 {
		t.Fatalf("the report should need several messages, got %d", len(want))
	}
	for _, chat := range []int64{group.ID, lan.ID} {
		msgs := srv.Messages(chat)
		perReply := len(want)
		if chat == group.ID {
			perReply *= 2
		}
		if len(msgs) != perReply {
			t.Fatalf("chat %d got %d messages, want %d", chat, len(msgs), perReply)
		}
		for i, m := range msgs {
			if m.HTML != want[i%len(want)] {
				t.Errorf("chat %d message %d out of order or altered", chat, i)
			}
		}
	}
	if n := srv.Count429(); n != 3 {
		t.Errorf("the fake answered 429 %d times; only the 3 injected were expected", n)
	}

	// A button nobody handles still gets exactly one answer.
	last, _ := srv.LastMessage(lan.ID)
	press, err := srv.Press(srv.PrivateChat(lan), lan, &last, "ok")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitConfirmed(press.ID, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	answers := 0
	for _, a := range srv.CallbackAnswers() {
		if a.QueryID == press.CallbackQueryID {
			answers++
		}
	}
	if answers != 1 {
		t.Errorf("the button press was answered %d times", answers)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v", err)
	}
	if out := buf.String(); strings.Contains(out, srv.Token()) {
		t.Errorf("log leaks the token:\n%s", out)
	}
}

// An upload (a document sent as bytes, which tgbotapi sends apart from
// other calls and whose refusals it leaves without their code, see
// withCode) that meets flood control waits retry_after and is sent again,
// as any message is.
func TestUploadRetries429(t *testing.T) {
	t.Parallel() // waits out an injected retry_after
	srv, _, s, _, _ := limitedFake(t, Limits{PerChat: 100, PerChatWindow: time.Second, PerGroup: 100, PerGroupWindow: time.Second, Global: 100, GlobalWindow: time.Second})
	group := srv.NewGroup("Khối thi đua")
	srv.Inject429(1, 1)
	doc := tgbotapi.NewDocument(group.ID, tgbotapi.FileBytes{Name: "bao-cao.csv", Bytes: []byte("a;b\n")})
	if _, err := s.Send(testCtx(t), doc); err != nil {
		t.Fatalf("the upload after a 429: %v", err)
	}
	if n := srv.Count429(); n != 1 {
		t.Fatalf("the fake answered 429 %d times, want 1", n)
	}
	if msgs := srv.Messages(group.ID); len(msgs) != 1 || msgs[0].Document == nil {
		t.Fatalf("the group got %+v", msgs)
	}
}
