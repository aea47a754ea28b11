package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
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

// wait bounds every wait for the bot in these tests, but handled's.
const wait = 10 * time.Second

// handledWait bounds the wait for an update to be handled, which only a
// test that fails waits out: it is longer than wait, since the heaviest
// requests (the export of TestLargeBlockWalkthrough) take more than 10 s
// under -race on two cores busy with other tests.
const handledWait = time.Minute

// fastLimits keep the sender's mechanism in play while letting tests run at
// full speed against a fake without limits.
var fastLimits = bot.Limits{PerChat: 1000, PerChatWindow: time.Second, PerGroup: 1000, PerGroupWindow: time.Second, Global: 1000, GlobalWindow: time.Second}

// fastRetries has the sender retry a call that meets a brief outage of
// Telegram (see telegramtest's FailNextWithStatus) after 10, 20 and 40 ms,
// where the program waits 1, 2 and 4 s.
var fastRetries = bot.WithRetryWaits(10*time.Millisecond, 20*time.Millisecond, 40*time.Millisecond)

var hcm = mustLoc("Asia/Ho_Chi_Minh")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// harness runs the real bot (poller, dispatcher, sender, handlers, store)
// against the fake Bot API, with one group and an administrator.
type harness struct {
	t      *testing.T
	tg     *telegramtest.Server
	store  storage.Store
	redis  redis.UniversalClient // the store's client and key prefix
	prefix string
	group  *telegramtest.Chat
	admin  *telegramtest.User
	now    time.Time
	dedupe bool
	// lang is the group's language, the bot's BOT_LANG.
	lang bot.Lang
	// logs is what the handlers of the harness's bot processes log.
	logs *logBuffer
	// handlerTimeout bounds the handling of one update; 0 leaves the
	// dispatcher's default.
	handlerTimeout time.Duration
	// unchecked turns the store's checks off (see withoutStoreChecks).
	unchecked bool
	// dispatchLogs sends the dispatcher's log lines to logs too (see
	// logDispatch).
	dispatchLogs bool
	// retries sets the waits of the senders of the bot and of its ticker
	// (see newTicker) before they retry a call that met an outage:
	// fastRetries unless quickRetries.
	retries bot.SenderOption

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan error
}

type option func(*harness)

// groupLang runs the bot with l as the language of group-wide messages.
func groupLang(l bot.Lang) option { return func(h *harness) { h.lang = l } }

// handlerTimeout bounds the handling of one update to d, where the program
// gives it two minutes.
func handlerTimeout(d time.Duration) option { return func(h *harness) { h.handlerTimeout = d } }

// withoutStoreChecks runs the bot on a store without the checks of
// storagetest.Checked, which encode the whole block four times a request
// (twice to see that the cached block is unchanged, twice to see that a
// change keeps to the parts it declares): for a block of a large year's
// size they cost more than the request does under -race. The other tests
// run the same code with the checks. It replaces the store, so comes
// before any option that wraps it.
func withoutStoreChecks() option {
	return func(h *harness) {
		h.unchecked = true
		h.store = h.openStore()
	}
}

// openStore opens a store on the harness's Redis and key prefix, another
// process's view of it, with checks unless withoutStoreChecks; it is
// closed when the test ends.
func (h *harness) openStore() *storage.Redis {
	s := storage.NewRedis(h.redis, h.prefix)
	if h.unchecked {
		h.t.Cleanup(func() { _ = s.Close() })
		return s
	}
	return storagetest.Checked(h.t, s)
}

// onBolt runs the bot on the embedded bbolt store, in a file of the
// test's temporary directory, instead of Redis. It replaces the store, so
// comes before any option that wraps it.
func onBolt() option { return func(h *harness) { h.store = storagetest.NewBoltStore(h.t) } }

// logDispatch sends what the bot's dispatcher logs (a handler's failure,
// a panic and its stack) to the harness's logs, beside the handlers' lines.
func logDispatch() option { return func(h *harness) { h.dispatchLogs = true } }

// quickRetries has the bot retry a call that meets a brief outage of
// Telegram after 1, 2 and 4 ms rather than fastRetries' 10, 20 and 40 ms:
// for the random walk, which plays many outages (see drawOutage), to check
// what comes of them, not how long they last.
func quickRetries() option {
	return func(h *harness) {
		h.retries = bot.WithRetryWaits(time.Millisecond, 2*time.Millisecond, 4*time.Millisecond)
	}
}

// withoutDedupe runs the bot without the processed-updates index, as if it
// had crashed between writing a change and remembering the update.
func withoutDedupe() option { return func(h *harness) { h.dedupe = false } }

// newHarness starts the bot for the test, on a fake Bot API and a store of
// its own. The test runs in parallel with the other tests that do (see
// inParallel), unless it called runAlone first.
func newHarness(t *testing.T, opts ...option) *harness {
	t.Helper()
	inParallel(t)
	h := &harness{
		t:       t,
		tg:      telegramtest.NewServer(telegramtest.WithBotUsername("thiduabot")),
		now:     time.Date(2026, 3, 2, 9, 0, 0, 0, hcm),
		dedupe:  true,
		lang:    bot.VI,
		logs:    &logBuffer{},
		retries: fastRetries,
	}
	h.redis, h.prefix = storagetest.Redis(t)
	h.store = h.openStore()
	for _, o := range opts {
		o(h)
	}
	t.Cleanup(h.tg.Close)
	h.tg.FailOnFormattingLoss(t)
	h.group = h.tg.NewGroup("Khối thi đua tỉnh Lào Cai")
	h.admin = h.tg.NewUser("Hùng", "hung_admin")
	h.group.SetStatus(h.admin, telegramtest.StatusCreator)
	h.start()
	t.Cleanup(h.stop)
	return h
}

// alone records, for each test that called runAlone or inParallel, whether
// it runs alone (true) or in parallel (false).
var alone sync.Map

// inParallel has the test run in parallel with the other tests that do
// (t.Parallel), the first time it starts a bot, unless it called runAlone:
// each has a fake Bot API, a store and a bot of its own. It comes before
// anything the test starts, which would wait meanwhile.
func inParallel(t *testing.T) {
	if _, decided := alone.LoadOrStore(t, false); !decided {
		t.Cleanup(func() { alone.Delete(t) })
		t.Parallel()
	}
}

// runAlone has the test run alone, not in parallel with the others (see
// inParallel): for a test that changes what the package's tests share
// (handlers.SetSavedNoticeTimeout), or whose bounds on the time the bot
// takes would not hold on a machine busy with other tests.
func runAlone(t *testing.T) {
	if _, decided := alone.LoadOrStore(t, true); decided {
		t.Fatal("runAlone comes before the test starts a bot")
	}
	t.Cleanup(func() { alone.Delete(t) })
}

// start runs a fresh bot process against the same fake and store.
func (h *harness) start() {
	h.t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if h.dispatchLogs {
		log = slog.New(slog.NewTextHandler(h.logs, nil))
	}
	api, err := bot.NewAPI(bot.Config{Token: h.tg.Token(), APIEndpoint: h.tg.Endpoint(), Log: log})
	if err != nil {
		h.t.Fatal(err)
	}
	sender := bot.NewSender(api, fastLimits, nil, log, h.retries)
	dc := bot.DispatcherConfig{Handler: newRouter(h, sender), Scope: api.Self.ID, Sender: sender, Log: log, HandlerTimeout: h.handlerTimeout}
	poller := bot.NewPoller(api, bot.NewDispatcher(dc), log, bot.WithPollTimeout(time.Second), bot.WithBackoff(10*time.Millisecond, 100*time.Millisecond))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- poller.Run(ctx) }()
	h.mu.Lock()
	h.cancel, h.done = cancel, done
	h.mu.Unlock()
}

// newRouter builds the handlers as the program does, on the harness's store
// and clock, deduping updates unless withoutDedupe.
func newRouter(h *harness, sender *bot.Sender) *handlers.Router {
	return newRouterOn(h, h.store, sender)
}

// newRouterOn is newRouter on another store: another process's view of the
// same Redis, or a store made to fail.
func newRouterOn(h *harness, store storage.Store, sender *bot.Sender) *handlers.Router {
	cfg := handlers.Config{
		Store: store, Sender: sender, Admins: bot.NewAdmins(sender, time.Minute),
		BotUsername: "thiduabot", Lang: h.lang, Location: hcm,
		Now: func() time.Time { return h.now }, Log: slog.New(slog.NewTextHandler(h.logs, nil)),
	}
	if h.dedupe {
		cfg.Dedupe = &handlers.Dedupe{Scope: h.tg.BotUser().ID}
	}
	return handlers.New(cfg)
}

// api returns a new connection of the bot to the fake, beside the running
// bot's.
func (h *harness) api() *tgbotapi.BotAPI {
	h.t.Helper()
	api, err := bot.NewAPI(bot.Config{Token: h.tg.Token(), APIEndpoint: h.tg.Endpoint()})
	if err != nil {
		h.t.Fatal(err)
	}
	return api
}

// stop stops the bot the way SIGTERM does and checks it exits cleanly.
func (h *harness) stop() {
	h.mu.Lock()
	cancel, done := h.cancel, h.done
	h.cancel = nil
	h.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			h.t.Errorf("poller stopped with %v", err)
		}
	case <-time.After(wait):
		h.t.Error("poller did not stop")
	}
}

// handled waits until the bot has handled the update.
func (h *harness) handled(u telegramtest.Update) {
	h.t.Helper()
	if err := h.tg.WaitConfirmed(u.ID, handledWait); err != nil {
		h.t.Fatalf("update %d not handled: %v", u.ID, err)
	}
}

// botMessageNumbered has user talk in h.group, the supergroup a basic group
// was upgraded to, until the bot's answer bears id, the id of one of the
// bot's messages in the basic group (message ids start again in the
// supergroup), and returns that answer.
func (h *harness) botMessageNumbered(user *telegramtest.User, id int) telegramtest.Message {
	h.t.Helper()
	// The supergroup holds its service message (1), then each command and
	// the bot's answer.
	last := 1
	if msgs := h.tg.Messages(h.group.ID); len(msgs) > 0 {
		last = msgs[len(msgs)-1].ID
	}
	if (id-last)%2 != 0 {
		h.handled(h.tg.Send(h.group, user, "xin chào")) // the bot says nothing
	}
	var m telegramtest.Message
	for m.ID < id {
		m = h.say(h.group, user, "/units")
	}
	if m.ID != id {
		h.t.Fatalf("the bot's message is %d, not %d", m.ID, id)
	}
	return m
}

// redeliver delivers a handled update again, as Telegram does when the bot
// stopped before confirming it: the bot restarts and receives it anew.
func (h *harness) redeliver(u telegramtest.Update) {
	h.t.Helper()
	h.stop()
	if err := h.tg.Redeliver(u.ID); err != nil {
		h.t.Fatal(err)
	}
	h.start()
	if err := h.tg.WaitIdle(wait); err != nil {
		h.t.Fatal(err)
	}
}

// say sends text as user in chat, waits until it is handled, and returns the
// bot's last message in that chat (zero if none).
func (h *harness) say(chat *telegramtest.Chat, user *telegramtest.User, text string) telegramtest.Message {
	h.t.Helper()
	h.handled(h.tg.Send(chat, user, text))
	m, _ := h.tg.LastMessage(chat.ID)
	return m
}

// sayAll sends text as user in chat, waits until it is handled, and
// returns the text of every message the bot posted there in answer, joined
// by line ends: a long answer (the administrators' /help) comes in several.
func (h *harness) sayAll(chat *telegramtest.Chat, user *telegramtest.User, text string) string {
	h.t.Helper()
	n := len(h.tg.Messages(chat.ID))
	h.handled(h.tg.Send(chat, user, text))
	var texts []string
	for _, m := range h.tg.Messages(chat.ID)[n:] {
		texts = append(texts, m.Text)
	}
	return strings.Join(texts, "\n")
}

// press presses a button and returns the callback answer the presser saw.
func (h *harness) press(chat *telegramtest.Chat, user *telegramtest.User, msg telegramtest.Message, data string) telegramtest.CallbackAnswer {
	h.t.Helper()
	u, err := h.tg.Press(chat, user, &msg, data)
	if err != nil {
		h.t.Fatal(err)
	}
	h.handled(u)
	a, ok := h.tg.AnswerOf(u.CallbackQueryID)
	if !ok {
		h.t.Fatalf("button %q was not answered", data)
	}
	return a
}

// changeStatus changes user's status in chat as Telegram does, which tells
// the bot with a chat_member update (see telegramtest.Chat.ChangeStatus),
// waits until the bot has handled it, checks that the bot said nothing in
// the chat, and returns the update.
func (h *harness) changeStatus(chat *telegramtest.Chat, user *telegramtest.User, status string) telegramtest.Update {
	h.t.Helper()
	said := len(h.tg.Messages(chat.ID))
	u, ok := chat.ChangeStatus(user, status)
	if !ok {
		h.t.Fatalf("no chat_member update of %s's status", user.FirstName)
	}
	h.handled(u)
	if n := len(h.tg.Messages(chat.ID)); n != said {
		h.t.Fatalf("the bot said %d messages on a change of %s's status", n-said, user.FirstName)
	}
	return u
}

// block reads the group's block from the store.
func (h *harness) block() *thidua.Block {
	h.t.Helper()
	b, err := h.store.BlockByChat(context.Background(), h.group.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	return b
}

// member adds a plain member to the group.
func (h *harness) member(name, username string, opts ...telegramtest.UserOption) *telegramtest.User {
	u := h.tg.NewUser(name, username, opts...)
	h.group.SetStatus(u, telegramtest.StatusMember)
	return u
}

// setUp makes the group a block with the seven units of seed 001.
func (h *harness) setUp() {
	h.t.Helper()
	h.say(h.group, h.admin, "/setup Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai")
	h.say(h.group, h.admin, "/addunit Ủy ban MTTQ Việt Nam tỉnh\nHội Cựu chiến binh tỉnh\nHội Nông dân tỉnh\nLiên đoàn Lao động tỉnh\nHội Liên hiệp Phụ nữ tỉnh\nTỉnh Đoàn\nHội Chữ thập đỏ tỉnh")
	if n := len(h.block().Units); n != 7 {
		h.t.Fatalf("set up %d units", n)
	}
}

// join makes user a representative of the unit through /join and the
// administrator's approval.
func (h *harness) join(user *telegramtest.User, unit string) {
	h.t.Helper()
	h.joinIn(h.group, h.admin, user, unit)
}

// joinIn makes user a representative of the unit of the block of chat,
// another block's group maybe, through /join and approver's approval.
func (h *harness) joinIn(chat *telegramtest.Chat, approver, user *telegramtest.User, unit string) {
	h.t.Helper()
	h.say(chat, user, "/join "+unit)
	ask, ok := h.tg.LastMessage(chat.ID)
	if !ok || !strings.Contains(ask.Text, "xin làm đầu mối") {
		h.t.Fatalf("no approval request: %q", ask.Text)
	}
	h.press(chat, approver, ask, ask.Buttons[0][0].Data)
	b, err := h.store.BlockByChat(context.Background(), chat.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	if b.RepOf(user.ID) == nil {
		h.t.Fatalf("%s was not approved", user.FirstName)
	}
}

// expect fails unless s contains every want.
func expect(t *testing.T, s string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Fatalf("%q does not contain %q", s, w)
		}
	}
}

// crashAfterWrite sends text as user while the bot is down, applies change
// to the block as the bot would have before dying (the update recorded as
// applied, nothing said), restarts the bot and waits for the update to be
// handled again. It returns the update.
func (h *harness) crashAfterWrite(user *telegramtest.User, text string, change func(b *thidua.Block) error) telegramtest.Update {
	h.t.Helper()
	return h.crashAfter(func() telegramtest.Update { return h.tg.Send(h.group, user, text) }, change)
}

// crashAfterPress is crashAfterWrite for user's press on the button of msg
// labelled label.
func (h *harness) crashAfterPress(user *telegramtest.User, msg telegramtest.Message, label string, change func(b *thidua.Block) error) telegramtest.Update {
	h.t.Helper()
	return h.crashAfter(func() telegramtest.Update {
		u, err := h.tg.Press(h.group, user, &msg, button(h.t, msg, label))
		if err != nil {
			h.t.Fatal(err)
		}
		return u
	}, change)
}

// crashAfter stops the bot, delivers an update, applies change to the block
// with the update recorded as applied, restarts the bot and waits for the
// update to be handled again (see crashAfterWrite).
func (h *harness) crashAfter(deliver func() telegramtest.Update, change func(b *thidua.Block) error) telegramtest.Update {
	h.t.Helper()
	h.stop()
	u := deliver()
	if _, err := h.store.Update(h.t.Context(), h.block().ID, func(b *thidua.Block) error {
		if err := change(b); err != nil {
			return err
		}
		b.MarkApplied(int64(u.ID))
		return nil
	}); err != nil {
		h.t.Fatal(err)
	}
	h.start()
	h.handled(u)
	return u
}

// withButton returns the bot's latest group message with a button whose
// data starts with prefix.
func (h *harness) withButton(prefix string) telegramtest.Message {
	h.t.Helper()
	return h.latestWhere("a message with a "+strconv.Quote(prefix)+" button", func(m telegramtest.Message) bool {
		_, ok := buttonOf(m, func(b telegramtest.Button) bool { return strings.HasPrefix(b.Data, prefix) })
		return ok
	})
}

// buttonOf returns the first button of msg for which is holds, and
// whether there is one.
func buttonOf(msg telegramtest.Message, is func(telegramtest.Button) bool) (telegramtest.Button, bool) {
	for _, row := range msg.Buttons {
		for _, b := range row {
			if is(b) {
				return b, true
			}
		}
	}
	return telegramtest.Button{}, false
}

// latestWhere returns the latest message in the group for which is holds,
// failing, with what says what was looked for, if none does.
func (h *harness) latestWhere(what string, is func(telegramtest.Message) bool) telegramtest.Message {
	h.t.Helper()
	msgs := h.tg.Messages(h.group.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		if is(msgs[i]) {
			return msgs[i]
		}
	}
	h.t.Fatalf("no %s in the group", what)
	return telegramtest.Message{}
}

// buttonData returns the data of msg's button whose data starts with prefix.
func buttonData(t *testing.T, msg telegramtest.Message, prefix string) string {
	t.Helper()
	b, ok := buttonOf(msg, func(b telegramtest.Button) bool { return strings.HasPrefix(b.Data, prefix) })
	if !ok {
		t.Fatalf("no %q button on %v", prefix, msg.Buttons)
	}
	return b.Data
}
