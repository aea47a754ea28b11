package handlers

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/internal/workload"
	"thiduabot/storage"
	"thiduabot/storage/storagetest"
	"thiduabot/telegramtest"
)

// BenchmarkReport handles one /report as the load command types it (the
// first unit's representative sends "/report Kỳ 2" and a value for each
// of its 20 pledges, on the block of reportingBlock, replacing the unit's
// report for the period) through the router, as the dispatcher calls it:
// the store's write on Redis (miniredis unless TEST_REDIS_URL is set),
// dedupe included, and the confirmation sent to the fake Bot API. Its
// allocations are the whole process's for a report, the fake's side of
// the call included.
func BenchmarkReport(b *testing.B) {
	h := newBenchRouter(b)
	blk, reps := reportingBlockIn(b, h.group.ID, h.reps[0].ID)
	if err := h.store.CreateBlock(context.Background(), blk); err != nil {
		b.Fatal(err)
	}
	text := "/report Kỳ 2\n" + workload.Report(20)
	from := &tgbotapi.User{ID: reps[0].UserID, FirstName: reps[0].Name}
	h.run(b, from, text, "Đã ghi báo cáo kỳ Kỳ 2")
}

// benchRouter is a router, as the program builds it, on a fake Bot API
// with one group and a store of its own, for the benchmarks of a whole
// update.
type benchRouter struct {
	tg    *telegramtest.Server
	store storage.Store
	group *telegramtest.Chat
	// reps are the members of the group, of consecutive ids, who
	// represent reportingBlock's units.
	reps   []*telegramtest.User
	router *Router
}

// newBenchRouter builds a benchRouter; its clock stands at reportingBlock's
// time.
func newBenchRouter(b *testing.B) *benchRouter {
	b.Helper()
	tg := telegramtest.NewServer(telegramtest.WithBotUsername("thiduabot"))
	b.Cleanup(tg.Close)
	client, prefix := storagetest.Redis(b)
	store := storage.NewRedis(client, prefix)
	b.Cleanup(func() { _ = store.Close() })
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	api, err := bot.NewAPI(bot.Config{Token: tg.Token(), APIEndpoint: tg.Endpoint(), Log: quiet})
	if err != nil {
		b.Fatal(err)
	}
	many := bot.Limits{PerChat: 1 << 30, PerChatWindow: time.Second, PerGroup: 1 << 30, PerGroupWindow: time.Second, Global: 1 << 30, GlobalWindow: time.Second}
	sender := bot.NewSender(api, many, nil, quiet)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r := New(Config{
		Store: store, Sender: sender, Admins: bot.NewAdmins(sender, time.Minute),
		BotUsername: "thiduabot", Lang: bot.VI, Location: time.UTC,
		Now: func() time.Time { return now }, Log: quiet,
		Dedupe: &Dedupe{Scope: api.Self.ID},
	})
	h := &benchRouter{tg: tg, store: store, group: tg.NewGroup("Khối thi đua số 1"), router: r}
	for i := range 7 {
		u := tg.NewUser("Cán bộ 1."+strconv.Itoa(i+1), "")
		if i > 0 && u.ID != h.reps[0].ID+int64(i) {
			b.Fatalf("the fake's users have ids %d and %d", h.reps[0].ID, u.ID)
		}
		h.group.SetStatus(u, telegramtest.StatusMember)
		h.reps = append(h.reps, u)
	}
	return h
}

// run has from send text in the group, a new update each time, and
// checks that the bot's answer contains want.
func (h *benchRouter) run(b *testing.B, from *tgbotapi.User, text, want string) {
	b.Helper()
	chat := &tgbotapi.Chat{ID: h.group.ID, Type: "supergroup", Title: h.group.Title}
	command := strings.IndexAny(text, " \n")
	if command < 0 {
		command = len(text)
	}
	id := 0
	handle := func() {
		id++
		u := tgbotapi.Update{UpdateID: id, Message: &tgbotapi.Message{
			MessageID: id, From: from, Chat: chat, Date: int(time.Now().Unix()), Text: text,
			Entities: []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: command}},
		}}
		if err := h.router.Handle(context.Background(), u); err != nil {
			b.Fatal(err)
		}
	}
	handle()
	if m, ok := h.tg.LastMessage(h.group.ID); !ok || !strings.Contains(m.Text, want) {
		b.Fatalf("the bot answered %q", m.Text)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		handle()
	}
}
