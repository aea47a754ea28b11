package handlers_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/redis/go-redis/v9"

	"thiduabot/bot"
	"thiduabot/handlers"
	"thiduabot/storage"
	"thiduabot/storage/storagetest"
	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// replica is a second bot process beside the harness's: its own store on
// the same Redis and key prefix, with a cache of its own, and its own
// connection to the fake, through which it handles the updates it is given.
type replica struct {
	h      *harness
	api    *tgbotapi.BotAPI
	router *handlers.Router
	store  *storage.Redis
	// trips counts the replica's round trips to Redis: every command sent
	// alone, every pipeline.
	trips atomic.Int64
}

func newReplica(h *harness) *replica {
	h.t.Helper()
	rp := &replica{h: h}
	client := redis.NewClient(h.redis.(*redis.Client).Options())
	client.AddHook(tripCounter{&rp.trips})
	rp.store = storagetest.Checked(h.t, storage.NewRedis(client, h.prefix))
	rp.api = h.api()
	rp.router = newRouterOn(h, rp.store, bot.NewSender(rp.api, fastLimits, nil, nil))
	return rp
}

// handle has the replica handle the update that send makes, while the
// harness's bot is stopped, and returns it with the round trips to Redis
// that handling it took, the write of the notes it made included (the
// store writes them in batches, a little later).
func (rp *replica) handle(send func() telegramtest.Update) (telegramtest.Update, int64) {
	t := rp.h.t
	t.Helper()
	rp.h.stop()
	defer rp.h.start()
	u := send()
	ups, err := rp.api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 0})
	if err != nil || len(ups) != 1 || ups[0].UpdateID != u.ID {
		t.Fatalf("pending updates %d (want update %d), %v", len(ups), u.ID, err)
	}
	before := rp.trips.Load()
	if err := rp.router.Handle(context.Background(), ups[0]); err != nil {
		t.Fatalf("replica: %v", err)
	}
	if err := rp.store.FlushNotes(context.Background()); err != nil {
		t.Fatal(err)
	}
	trips := rp.trips.Load() - before
	if _, err := rp.api.GetUpdates(tgbotapi.UpdateConfig{Offset: u.ID + 1}); err != nil {
		t.Fatal(err)
	}
	return u, trips
}

// press has the replica handle user's press of the ballot's button for
// candidate, and returns the answer with the round trips it took.
func (rp *replica) press(user *telegramtest.User, candidate string) (telegramtest.CallbackAnswer, int64) {
	rp.h.t.Helper()
	b := rp.h.ballot()
	u, trips := rp.handle(func() telegramtest.Update {
		u, err := rp.h.tg.Press(rp.h.group, user, &b, button(rp.h.t, b, candidate))
		if err != nil {
			rp.h.t.Fatal(err)
		}
		return u
	})
	a, ok := rp.h.tg.AnswerOf(u.CallbackQueryID)
	if !ok {
		rp.h.t.Fatal("the press was not answered")
	}
	return a, trips
}

// tripCounter is a go-redis hook counting round trips.
type tripCounter struct{ n *atomic.Int64 }

func (c tripCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c tripCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmd)
	}
}

func (c tripCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmds)
	}
}

// A ballot press goes straight to the write on the block the replica has
// cached: one round trip. When another replica changed the block since, the
// press is decided on the current block all the same: a refusal the outdated
// block would have given is not given, and a change is applied once, on the
// current block.
func TestBallotPressOnReplicas(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	expect(t, h.say(h.group, h.admin, "/elect khoitruong").Text, "Đã bỏ phiếu: 0/7")
	b := newReplica(h)

	// First contact: the replica reads the chat's binding and the block.
	a, _ := b.press(reps[0], unitNames[1])
	expect(t, a.Text, "Đã ghi nhận phiếu của Ủy ban MTTQ Việt Nam tỉnh")
	a, trips := b.press(reps[0], unitNames[2])
	expect(t, a.Text, "Đã đổi phiếu của Ủy ban MTTQ Việt Nam tỉnh")
	if trips != 1 {
		t.Errorf("a press on the cached, current block took %d round trips, want 1", trips)
	}

	// A representative approved through the other replica, which the
	// replica's cached block does not know, votes through it.
	lan := h.member("Lan", "")
	h.join(lan, unitNames[2])
	a, _ = b.press(lan, unitNames[3])
	expect(t, a.Text, "Đã ghi nhận phiếu của Hội Nông dân tỉnh")

	// A vote through the other replica; a change of vote through this one.
	h.press(h.group, reps[1], h.ballot(), button(t, h.ballot(), unitNames[0]))
	a, trips = b.press(reps[0], unitNames[4])
	expect(t, a.Text, "Đã đổi phiếu của Ủy ban MTTQ Việt Nam tỉnh")
	if trips != 2 {
		t.Errorf("a press on an outdated cached block took %d round trips, want 2 (the write that fails, the write)", trips)
	}
	e := h.lastElection()
	got := map[string]string{}
	for _, bl := range e.Counted() {
		got[bl.UnitID] = bl.Candidate
	}
	if len(e.Ballots) != 3 || got["u1"] != "u5" || got["u2"] != "u1" || got["u3"] != "u4" {
		t.Errorf("ballots %+v", e.Ballots)
	}
	voted := 0
	for _, ev := range history(t, h) {
		if ev.Subject == "u1" && (ev.Action == "election.leader.vote" || ev.Action == "election.leader.again") {
			voted++
		}
	}
	if voted != 3 {
		t.Errorf("the history records %d presses of unit 1, want 3", voted)
	}

	// A refused press is refused after the read it skipped, and marked
	// handled.
	hoa := h.member("Hoa", "hoa")
	a, trips = b.press(hoa, unitNames[0])
	expect(t, a.Text, "đầu mối")
	if trips != 2 {
		t.Errorf("a refused press took %d round trips, want 2 (the read, the mark)", trips)
	}
}

// history returns the block's history, oldest first.
func history(t *testing.T, h *harness) []thidua.Event {
	t.Helper()
	ev, err := storage.History(context.Background(), h.store, h.block().ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// A report through a replica whose cached block is outdated is decided on
// the current block: a period added through the other replica is found, a
// period number names the period it names now, and a report is stored once
// however the replicas' writes interleave. On the
// cached, current block it costs the write and the record of its
// confirmation's message id.
func TestReportOnReplicas(t *testing.T) {
	c := newResCast(t)
	b := newReplica(c.harness)
	report := func(text string) (telegramtest.Message, int64) {
		t.Helper()
		_, trips := b.handle(func() telegramtest.Update { return c.tg.Send(c.group, c.lan, text) })
		m, _ := c.tg.LastMessage(c.group.ID)
		return m, trips
	}
	m, _ := report("/report Quý I\n1 10")
	expect(t, m.Text, "📊 Đã ghi báo cáo kỳ Quý I của Hội Nông dân tỉnh")
	m, trips := report("/report Quý I\n1 20")
	expect(t, m.Text, "Thay cho báo cáo lần 1 của Lan gửi 02/03/2026 09:00")
	if trips != 2 {
		t.Errorf("a report on the cached, current block took %d round trips, want 2 (the write; the note of the confirmation's id, in a batch)", trips)
	}

	// A period added through the other replica.
	expect(t, c.say(c.group, c.minh, "/kybaocao Tháng 10 | 31/10").Text, "Đã thêm 1 kỳ báo cáo")
	m, _ = report("/report Tháng 10\n1 30")
	expect(t, m.Text, "📊 Đã ghi báo cáo kỳ Tháng 10 của Hội Nông dân tỉnh")

	// Another unit's pledge through the other replica; a report through
	// this one.
	expect(t, c.say(c.group, c.minh, "/pledge Thanh niên tình nguyện | 500 người").Text, "Đã ghi 1 nội dung")
	m, _ = report("/report Quý I\n1 40")
	expect(t, m.Text, "Thay cho báo cáo lần 2 của Lan gửi 02/03/2026 09:00")
	r := c.mustReport(3, "Quý I")
	if r.Revision != 3 || r.Entries[0].Value != 40 || !c.confirms(m.ID, r) {
		t.Errorf("report %+v (confirmation %d)", r, m.ID)
	}
	if r := c.mustReport(3, "Tháng 10"); r.Revision != 1 {
		t.Errorf("report of Tháng 10 %+v", r)
	}

	// A period that comes first, added through the other replica, makes
	// "1" name it: the replica's cached block, where "1" is Quý I, decides
	// nothing.
	expect(t, c.say(c.group, c.minh, "/kybaocao Tháng 1 | 31/01").Text, "Đã thêm 1 kỳ báo cáo")
	m, _ = report("/report 1\n1 5")
	expect(t, m.Text, "📊 Đã ghi báo cáo kỳ Tháng 1 của Hội Nông dân tỉnh")
	if r := c.mustReport(3, "Quý I"); r.Revision != 3 {
		t.Errorf("report of Quý I %+v", r)
	}
}

// downStore is a store whose Redis is down: every call fails, but the
// process still has the blocks it cached.
type downStore struct {
	storage.Store
	calls atomic.Int64
}

var errDown = errors.New("dial tcp 127.0.0.1:6379: connect: connection refused")

func (s *downStore) BlockForUpdate(context.Context, int64, int64, int64) (*thidua.Block, bool, error) {
	s.calls.Add(1)
	return nil, false, errDown
}

func (s *downStore) BlockByChat(context.Context, int64) (*thidua.Block, error) {
	s.calls.Add(1)
	return nil, errDown
}

func (s *downStore) UpdateParts(context.Context, string, thidua.Part, func(*thidua.Block) error) (*thidua.Block, error) {
	s.calls.Add(1)
	return nil, errDown
}

func (s *downStore) MarkUpdateHandled(context.Context, int64, int64, time.Duration) (bool, error) {
	s.calls.Add(1)
	return false, errDown
}

// A press on a cached block while Redis is down is answered, after the one
// write that failed, that nothing was saved: as politely, and as soon, as
// when the first read fails.
func TestBallotPressWhileRedisIsDown(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/elect khoitruong")
	b := h.ballot()
	h.stop()
	down := &downStore{Store: h.store}
	api := h.api()
	router := newRouterOn(h, down, bot.NewSender(api, fastLimits, nil, nil))
	u, err := h.tg.Press(h.group, reps[0], &b, button(t, b, unitNames[1]))
	if err != nil {
		t.Fatal(err)
	}
	ups, err := api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 0})
	if err != nil || len(ups) != 1 {
		t.Fatalf("pending updates %d, %v", len(ups), err)
	}
	if err := router.Handle(t.Context(), ups[0]); err != nil {
		t.Fatalf("handled with %v, want an answer", err)
	}
	a, ok := h.tg.AnswerOf(u.CallbackQueryID)
	if !ok {
		t.Fatal("not answered")
	}
	expect(t, a.Text, "chưa được ghi nhận")
	if n := down.calls.Load(); n != 1 {
		t.Errorf("%d calls to the store that is down, want 1", n)
	}
	if len(h.lastElection().Ballots) != 0 {
		t.Errorf("ballots %+v", h.lastElection().Ballots)
	}
}
