package bot

import (
	"context"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/prometheus/client_golang/prometheus"
)

// BenchmarkDispatch hands the dispatcher one message at a time for a
// handler that does nothing: what the dispatcher itself costs an update.
func BenchmarkDispatch(b *testing.B) {
	f := newFake(b)
	d := NewDispatcher(DispatcherConfig{
		Handler: HandlerFunc(func(context.Context, tgbotapi.Update) error { return nil }),
		Sender:  f.sender(), Metrics: NewMetrics(prometheus.NewRegistry()), Log: discard(),
	})
	u := []tgbotapi.Update{message(1, -100, "/units")}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		u[0].UpdateID = i
		d.Dispatch(context.Background(), u)
	}
}

// BenchmarkPoll has the Poller take one message at a time from the fake
// Bot API by long polling and a handler echo it through the Sender: what an
// update costs from getUpdates to its answer, both HTTP round trips
// included.
func BenchmarkPoll(b *testing.B) {
	f := newFake(b)
	s := f.sender()
	answered := make(chan struct{})
	d := NewDispatcher(DispatcherConfig{
		Handler: HandlerFunc(func(ctx context.Context, u tgbotapi.Update) error {
			_, err := s.Send(ctx, tgbotapi.NewMessage(u.Message.Chat.ID, u.Message.Text))
			answered <- struct{}{}
			return err
		}),
		Sender: s, Metrics: NewMetrics(prometheus.NewRegistry()), Log: discard(),
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- NewPoller(f.api(), d, discard()).Run(ctx) }()
	b.ReportAllocs()
	for i := 1; b.Loop(); i++ {
		f.push(message(i, -100-int64(i%8), "/units"))
		<-answered
	}
	b.StopTimer()
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSend sends one message at a time through the Sender, within its
// limits, to the fake Bot API: what a message costs, the HTTP round trip
// included.
func BenchmarkSend(b *testing.B) {
	f := newFake(b)
	s := f.sender()
	msg := tgbotapi.NewMessage(-100, benchReport)
	msg.ParseMode = tgbotapi.ModeHTML
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Send(context.Background(), msg); err != nil {
			b.Fatal(err)
		}
	}
}
