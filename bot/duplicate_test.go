package bot

import (
	"context"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/prometheus/client_golang/prometheus"
)

// A handler that dedupes updates itself reports a duplicate with
// ErrDuplicate: the dispatcher counts it, and neither apologises nor answers
// its callback query a second time.
func TestDispatchHandlerReportsDuplicate(t *testing.T) {
	f := newFake(t)
	s := f.sender()
	reg := prometheus.NewRegistry()
	var ids []int64
	d := NewDispatcher(DispatcherConfig{
		Handler: HandlerFunc(func(ctx context.Context, u tgbotapi.Update) error {
			ids = append(ids, UpdateID(ctx))
			return ErrDuplicate
		}),
		Sender: s, Metrics: NewMetrics(reg), Log: discard(), Workers: 1,
	})
	d.Dispatch(context.Background(), []tgbotapi.Update{callback(1, -5, "seen", "vi"), message(2, -5, "seen too")})
	if len(ids) != 2 || ids[0] != 1 || ids[1] != 2 {
		t.Errorf("handler saw update ids %v, want [1 2]", ids)
	}
	if n := len(f.callsTo("answerCallbackQuery")) + len(f.callsTo("sendMessage")); n != 0 {
		t.Errorf("%d answers or apologies for duplicates, want none", n)
	}
	if got := metricValue(t, reg, "thiduabot_updates_total", "outcome", OutcomeDuplicate); got != 2 {
		t.Errorf("duplicates counted = %v, want 2", got)
	}
	if len(s.callbacks) != 0 {
		t.Errorf("callback ids left tracked: %v", s.callbacks)
	}
}
