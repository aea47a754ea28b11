package handlers_test

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/scheduler"
	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// completeText is in the announcement that every unit signed, and nowhere
// else.
const completeText = "đã ký giao ước thi đua năm"

// opened adds a criterion, opens the covenant as Minh, approves the lists
// of units 1..approved and has units 1..signed sign; it returns the
// covenant message as it is then.
func (c *covenantCast) opened(approved, signed int) telegramtest.Message {
	c.t.Helper()
	c.say(c.group, c.reps[1], "/criteria add Tuyên truyền | 100")
	cov := c.say(c.group, c.reps[1], "/covenant Đoàn kết")
	for n := 1; n <= approved; n++ {
		c.approved(n)
	}
	for n := 1; n <= signed; n++ {
		c.press(c.group, c.reps[n-1], cov, cov.Buttons[0][0].Data)
	}
	return c.message(cov.ID)
}

// announced fails unless the group was told exactly once that every unit
// signed.
func (c *covenantCast) announced() {
	c.t.Helper()
	if n := countContaining(c.harness, c.group.ID, completeText); n != 1 {
		c.t.Fatalf("completion announced %d times", n)
	}
}

// finished fails unless the covenant message shows every one of n units
// signed, without its button.
func (c *covenantCast) finished(cov telegramtest.Message, n int) {
	c.t.Helper()
	m := c.message(cov.ID)
	expect(c.t, m.Text, fmt.Sprintf("Đã ký: %d/%d đơn vị", n, n), "🎉 Tất cả đơn vị đã ký.")
	if len(m.Buttons) != 0 {
		c.t.Fatalf("the finished covenant keeps its button: %+v", m.Buttons)
	}
}

// The last signature is written, then the process dies before it answers:
// the press delivered again tells the group the covenant is complete and
// takes the button off the covenant message, once however often it comes.
func TestCovenantCompletingSignatureSurvivesACrash(t *testing.T) {
	c := newCovenantCast(t)
	cov := c.opened(3, 2)
	c.completedOnce(c.signedInCrash(cov, 3, nil), cov, 3)
}

// The removal of the last unsigned unit is written, then the process dies
// before it answers: the press delivered again announces the completion
// and updates the covenant message, once.
func TestCovenantCompletingRemovalSurvivesACrash(t *testing.T) {
	c := newCovenantCast(t)
	cov := c.opened(2, 2)
	ask := c.say(c.group, c.admin, "/removeunit 3")
	gone := c.block().Units[2].ID
	u := c.crashAfterPress(c.admin, ask, "🗑 Xoá", func(b *thidua.Block) error {
		_, _, err := b.RemoveUnit(thidua.Actor{UserID: c.admin.ID, Name: "Hùng", Admin: true}, gone, c.now)
		return err
	})
	c.completedOnce(u, cov, 2)
}

// signedInCrash has unit n's representative press the sign button of cov
// while the bot is down, writes the signature as the bot would have before
// dying, then more (if not nil), and restarts the bot, which handles the
// press again. It returns the press.
func (c *covenantCast) signedInCrash(cov telegramtest.Message, n int, more func(*thidua.Block)) telegramtest.Update {
	c.t.Helper()
	rep := c.reps[n-1]
	return c.crashAfterPress(rep, cov, "✍️ Ký giao ước", func(b *thidua.Block) error {
		_, _, err := b.SignCovenant(thidua.Actor{UserID: rep.ID, Name: rep.FirstName}, 0, c.now)
		if more != nil {
			more(b)
		}
		return err
	})
}

// completedOnce checks that the press u, which completed the covenant of n
// units shown in cov, announced the completion and finished cov, once
// however often it comes.
func (c *covenantCast) completedOnce(u telegramtest.Update, cov telegramtest.Message, n int) {
	c.t.Helper()
	c.announced()
	c.finished(cov, n)
	c.redeliver(u)
	c.announced()
	c.noApology()
}

// A completion announced before the press came again is not announced a
// second time.
func TestCovenantAnnouncedCompletionNotRepeated(t *testing.T) {
	c := newCovenantCast(t)
	cov := c.opened(3, 2)
	u, err := c.tg.Press(c.group, c.reps[2], &cov, cov.Buttons[0][0].Data)
	if err != nil {
		t.Fatal(err)
	}
	c.handled(u)
	c.completedOnce(u, cov, 3)
}

// scheduler is another bot process's scheduler, on its own view of the
// harness's store and its own connection to the fake, on the harness's
// clock.
func (h *harness) scheduler() *scheduler.Scheduler {
	h.t.Helper()
	store := h.openStore()
	r := newRouterOn(h, store, bot.NewSender(h.api(), fastLimits, nil, nil))
	return scheduler.New(scheduler.Config{Store: store, Runner: r, Location: hcm, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// tick has the schedulers tick at the harness's time, all at once.
func (h *harness) tick(ss ...*scheduler.Scheduler) {
	h.t.Helper()
	var wg sync.WaitGroup
	for _, s := range ss {
		wg.Go(func() {
			if err := s.Tick(h.t.Context(), h.now); err != nil {
				h.t.Errorf("tick at %v: %v", h.now, err)
			}
		})
	}
	wg.Wait()
}

// completedRefused has the last of the three units sign cov while
// Telegram refuses the bot's next message, the announcement, and checks
// that the covenant is complete with its announcement pending and due.
func (c *covenantCast) completedRefused(cov telegramtest.Message) {
	c.t.Helper()
	c.tg.FailNext("sendMessage", 1)
	c.press(c.group, c.reps[2], cov, cov.Buttons[0][0].Data)
	if n := countContaining(c.harness, c.group.ID, completeText); n != 0 {
		c.t.Fatalf("completion announced %d times through a refusal", n)
	}
	// The signature stands and its announcement is the scheduler's now:
	// nobody is told that something went wrong.
	if n := countContaining(c.harness, c.group.ID, "Xin lỗi"); n != 0 {
		c.t.Fatalf("the group got %d apologies for a signature recorded", n)
	}
	b := c.block()
	if cv := b.Registration.Covenant; !cv.Completed || !cv.AnnouncePending || !cv.CompletedAt.Equal(c.now) {
		c.t.Fatalf("covenant %+v", cv)
	}
	if due := b.NextDue(); due.IsZero() || due.After(c.now) {
		c.t.Fatalf("the pending announcement is not due: %v", due)
	}
	c.finished(cov, 3)
}

// pending reports whether the stored covenant's announcement is pending.
func (c *covenantCast) pending() bool {
	c.t.Helper()
	return c.block().Registration.Covenant.AnnouncePending
}

// The announcement of the last signature, refused by Telegram, is posted
// by the scheduler in the next attempt window (the refused attempt took
// the current one), once.
func TestCovenantCompletionAnnouncedLaterWhenTelegramFailed(t *testing.T) {
	c := newCovenantCast(t)
	cov := c.opened(3, 2)
	c.completedRefused(cov)
	s := c.scheduler()
	c.tick(s)
	if n := countContaining(c.harness, c.group.ID, completeText); n != 0 || !c.pending() {
		t.Fatalf("announced %d times in the refused attempt's window", n)
	}
	c.now = c.now.Add(5 * time.Minute)
	c.tick(s)
	c.announced()
	c.now = c.now.Add(5 * time.Minute)
	c.tick(s)
	c.announced()
	if b := c.block(); b.Registration.Covenant.AnnouncePending || !b.NextDue().IsZero() && !b.NextDue().After(c.now) {
		t.Fatalf("still pending after the announcement: %+v, due %v", b.Registration.Covenant, b.NextDue())
	}
}

// A completion the group could not be told for a day is given up: the
// scheduler posts nothing and stops trying.
func TestCovenantCompletionAnnouncementGivenUp(t *testing.T) {
	c := newCovenantCast(t)
	cov := c.opened(3, 2)
	c.completedRefused(cov)
	c.now = c.now.Add(24*time.Hour + time.Minute)
	c.tick(c.scheduler())
	if n := countContaining(c.harness, c.group.ID, completeText); n != 0 {
		t.Fatalf("announced %d times after a day", n)
	}
	if cv := c.block().Registration.Covenant; !cv.Completed || cv.AnnouncePending {
		t.Fatalf("covenant %+v", cv)
	}
}

// Two replicas' schedulers ticking at once, twice, post a pending
// completion once.
func TestCovenantCompletionAnnouncedOnceByTwoReplicas(t *testing.T) {
	c := newCovenantCast(t)
	cov := c.opened(3, 2)
	c.completedRefused(cov)
	c.now = c.now.Add(5 * time.Minute)
	a, b := c.scheduler(), c.scheduler()
	c.tick(a, b, a, b)
	c.announced()
	if c.pending() {
		t.Fatal("still pending after the announcement")
	}
}

// A unit added while the completion's announcement is pending has not
// signed: the scheduler does not tell the group that every unit (four,
// with the new one) signed; the removal of the new unit completes the
// covenant anew and announces it, once.
func TestCovenantPendingCompletionAndANewUnit(t *testing.T) {
	c := newCovenantCast(t)
	cov := c.opened(3, 2)
	c.completedRefused(cov)
	expect(t, c.say(c.group, c.admin, "/addunit Hội Khuyến học tỉnh").Text, "Đã thêm 1 đơn vị")
	expect(t, c.message(cov.ID).Text, "Đã ký: 3/4 đơn vị")
	c.now = c.now.Add(5 * time.Minute)
	c.tick(c.scheduler())
	if n := countContaining(c.harness, c.group.ID, completeText); n != 0 || c.pending() {
		t.Fatalf("announced %d times that every unit signed, with a unit that has not (pending %v)", n, c.pending())
	}
	ask := c.say(c.group, c.admin, "/removeunit 4")
	c.press(c.group, c.admin, ask, buttonData(t, ask, "ru:"))
	c.announced()
	if n := countContaining(c.harness, c.group.ID, "Tất cả 3 đơn vị"); n != 1 {
		t.Fatalf("the completion announced does not count the three units: %d", n)
	}
	c.finished(cov, 3)
	c.now = c.now.Add(5 * time.Minute)
	c.tick(c.scheduler())
	c.announced()
	c.noApology()
}

// A block written before the bot recorded covenant announcements holds a
// completion as one flag, which meant it was announced: the press that
// completed it, delivered again, announces nothing.
func TestCovenantCompletedInAnOlderBlock(t *testing.T) {
	c := newCovenantCast(t)
	cov := c.opened(3, 2)
	c.signedInCrash(cov, 3, func(b *thidua.Block) { b.Registration.Covenant.AnnouncePending = false })
	if n := countContaining(c.harness, c.group.ID, completeText); n != 0 {
		t.Fatalf("an old completion announced %d times", n)
	}
	if cv := c.block().Registration.Covenant; !cv.Completed || cv.AnnouncePending {
		t.Fatalf("covenant %+v", cv)
	}
	c.finished(cov, 3)
	// Nor does the scheduler.
	c.tick(c.scheduler())
	if n := countContaining(c.harness, c.group.ID, completeText); n != 0 {
		t.Fatalf("an old completion announced %d times by the scheduler", n)
	}
}

// The covenant message follows the units: adding, renaming and removing a
// unit, renaming the block and withdrawing a signature edit it to what
// /covenant would show; a change it does not show leaves it alone, and a
// signature edits it once.
func TestCovenantMessageFollowsTheBlock(t *testing.T) {
	c := newCovenantCast(t)
	cov := c.opened(2, 1)
	edits := func() int { return c.message(cov.ID).EditCount }
	if n := edits(); n != 1 {
		t.Fatalf("one signature, %d edits", n)
	}
	same := func(want ...string) {
		t.Helper()
		m := c.message(cov.ID)
		expect(t, m.Text, want...)
		if len(m.Buttons) != 1 || m.Buttons[0][0].Data != cov.Buttons[0][0].Data {
			t.Fatalf("buttons %+v", m.Buttons)
		}
	}

	expect(t, c.say(c.group, c.admin, "/addunit Hội Khuyến học tỉnh").Text, "Đã thêm 1 đơn vị")
	same("Đã ký: 1/4 đơn vị", "Chưa ký: Tỉnh Đoàn, Hội Chữ thập đỏ tỉnh, Hội Khuyến học tỉnh")
	c.say(c.group, c.admin, "/renameunit 4 | Hội Khuyến học tỉnh Lào Cai")
	same("Đã ký: 1/4 đơn vị", "Chưa ký: Tỉnh Đoàn, Hội Chữ thập đỏ tỉnh, Hội Khuyến học tỉnh Lào Cai")
	c.say(c.group, c.admin, "/setup Khối thi đua các đoàn thể tỉnh Lào Cai")
	same("Khối thi đua các đoàn thể tỉnh Lào Cai", "Đã ký: 1/4 đơn vị")

	// Renaming a signed unit, or approving a list, changes nothing shown.
	before := edits()
	c.say(c.group, c.admin, "/renameunit 1 | Hội Nông dân tỉnh Lào Cai")
	c.approved(3)
	if n := edits(); n != before {
		t.Fatalf("%d edits for changes the covenant does not show", n-before)
	}

	ask := c.say(c.group, c.admin, "/removeunit 4")
	c.press(c.group, c.admin, ask, ask.Buttons[0][0].Data)
	same("Đã ký: 1/3 đơn vị", "Chưa ký: Tỉnh Đoàn, Hội Chữ thập đỏ tỉnh")

	// The signature of unit 2 edits the message once.
	before = edits()
	c.press(c.group, c.reps[1], cov, cov.Buttons[0][0].Data)
	if n := edits(); n != before+1 {
		t.Fatalf("a signature made %d edits", n-before)
	}
	same("Đã ký: 2/3 đơn vị", "Chưa ký: Hội Chữ thập đỏ tỉnh")

	// Removing the last unsigned unit finishes the message.
	ask = c.say(c.group, c.admin, "/removeunit 3")
	c.press(c.group, c.admin, ask, ask.Buttons[0][0].Data)
	c.announced()
	c.finished(cov, 2)

	// A returned list withdraws its signature: the message shows it, with
	// its button again.
	c.say(c.group, c.admin, "/return 2 | Xem lại")
	same("Đã ký: 1/2 đơn vị", "Chưa ký: Tỉnh Đoàn")

	// A reposted covenant is the one that follows.
	cov2 := c.say(c.group, c.reps[1], "/covenant")
	old := edits()
	c.say(c.group, c.admin, "/addunit Hội Người cao tuổi tỉnh")
	if n := edits(); n != old {
		t.Fatalf("the superseded covenant message was edited")
	}
	expect(t, c.message(cov2.ID).Text, "Đã ký: 1/3 đơn vị", "Hội Người cao tuổi tỉnh")
	c.noApology()
}

// A covenant message deleted in the group cannot be edited: the change
// that would have edited it stands all the same.
func TestCovenantMessageDeleted(t *testing.T) {
	c := newCovenantCast(t)
	cov := c.opened(2, 2)
	if _, err := c.api().Request(tgbotapi.NewDeleteMessage(c.group.ID, cov.ID)); err != nil {
		t.Fatal(err)
	}
	expect(t, c.say(c.group, c.admin, "/addunit Hội Khuyến học tỉnh").Text, "Đã thêm 1 đơn vị")
	ask := c.say(c.group, c.admin, "/removeunit 4")
	c.press(c.group, c.admin, ask, ask.Buttons[0][0].Data)
	expect(t, c.message(ask.ID).Text, "🗑 Đã xoá đơn vị Hội Khuyến học tỉnh")
	ask = c.say(c.group, c.admin, "/removeunit 3")
	c.press(c.group, c.admin, ask, ask.Buttons[0][0].Data)
	expect(t, c.message(ask.ID).Text, "🗑 Đã xoá đơn vị Hội Chữ thập đỏ tỉnh")
	if n := len(c.block().Units); n != 2 {
		t.Fatalf("%d units", n)
	}
	c.announced()
	c.noApology()
}

// A repost of the covenant written, then the process dies before posting
// it: the command delivered again posts it, records it as the message to
// keep current, and retires the message it replaced. A repost that made it
// to the group, delivered again, posts nothing more, and edits the message
// it retired to what it shows already.
func TestCovenantRepostSurvivesACrash(t *testing.T) {
	c := newCovenantCast(t)
	first := c.opened(1, 1)
	minh := c.reps[1]
	posted := func() int { return countContaining(c.harness, c.group.ID, "GIAO ƯỚC THI ĐUA NĂM") }
	c.crashAfterWrite(minh, "/covenant", func(b *thidua.Block) error {
		_, err := b.RepostCovenant(thidua.Actor{UserID: minh.ID, Name: "Minh"})
		return err
	})
	if n := posted(); n != 2 {
		t.Fatalf("%d covenant messages", n)
	}
	cov, _ := c.tg.LastMessage(c.group.ID)
	expect(t, cov.Text, "Đã ký: 1/3 đơn vị")
	c.current(cov)
	c.retired(first)
	c.say(c.group, c.admin, "/addunit Hội Khuyến học tỉnh")
	expect(t, c.message(cov.ID).Text, "Đã ký: 1/4 đơn vị")

	u := c.tg.Send(c.group, minh, "/covenant")
	c.handled(u)
	retired := c.retired(cov)
	tries := c.editsOf(cov.ID)
	c.redeliver(u)
	if n := posted(); n != 3 {
		t.Fatalf("%d covenant messages after a repost delivered twice", n)
	}
	// Telegram finds the edit made again changes nothing, which is no
	// failure.
	if m := c.message(cov.ID); m.EditCount != retired.EditCount || m.Text != retired.Text || c.editsOf(cov.ID) != tries+1 {
		t.Fatalf("the retired message edited %d times more: %+v", c.editsOf(cov.ID)-tries, m)
	}
	if strings.Contains(c.logs.String(), "not edited") {
		t.Fatalf("logs: %s", c.logs.String())
	}
	c.noApology()
}

// covenantInABasicGroup is a harness whose group is a basic group, made a
// block of two units with a criterion, and the covenant message that
// /covenant posted there.
func covenantInABasicGroup(t *testing.T) (*harness, telegramtest.Message) {
	t.Helper()
	h := newHarness(t)
	old := h.tg.NewBasicGroup("Khối cũ")
	old.SetStatus(h.admin, telegramtest.StatusCreator)
	h.group = old
	h.say(old, h.admin, "/setup Khối thi đua")
	h.say(old, h.admin, "/addunit Hội Nông dân tỉnh\nTỉnh Đoàn")
	h.say(old, h.admin, "/criteria add Tuyên truyền | 100")
	cov := h.say(old, h.admin, "/covenant Đoàn kết")
	expect(t, cov.Text, "Đã ký: 0/2 đơn vị")
	return h, cov
}

// upgrade has Telegram upgrade the harness's group to a supergroup, which
// becomes the harness's group, and returns it.
func (h *harness) upgrade() *telegramtest.Chat {
	h.t.Helper()
	sg := h.tg.Migrate(h.group)
	if err := h.tg.WaitIdle(wait); err != nil {
		h.t.Fatal(err)
	}
	h.group = sg
	return sg
}

// A group upgraded to a supergroup starts its message ids again: the
// covenant message's id in the old group names another of the bot's
// messages in the new one, which a change the covenant shows must not
// overwrite with the covenant. /covenant posts it in the supergroup, and
// that message follows the block.
func TestCovenantMessageAfterSupergroupUpgrade(t *testing.T) {
	h, cov := covenantInABasicGroup(t)
	sg := h.upgrade()
	victim := h.botMessageNumbered(h.admin, cov.ID)
	h.say(sg, h.admin, "/addunit Hội Khuyến học tỉnh")
	if got := h.message(cov.ID); got.Text != victim.Text || len(got.Buttons) != 0 {
		t.Fatalf("the bot's message %d in the supergroup became %q with buttons %+v", cov.ID, got.Text, got.Buttons)
	}

	cov = h.say(sg, h.admin, "/covenant")
	h.say(sg, h.admin, "/renameunit 3 | Hội Khuyến học tỉnh Lào Cai")
	expect(t, h.message(cov.ID).Text, "Đã ký: 0/3 đơn vị", "Hội Khuyến học tỉnh Lào Cai")
	(&regCast{harness: h}).noApology()
}

// A press that changes what the covenant shows is answered before the
// covenant message is edited: the answer, which Telegram wants within
// seconds, does not wait for the group's rate limit behind the edit.
func TestCovenantEditAfterThePressIsAnswered(t *testing.T) {
	c := newCovenantCast(t)
	cov := c.opened(2, 2)
	ask := c.say(c.group, c.admin, "/removeunit 3")
	before := len(c.tg.Requests(""))
	u, err := c.tg.Press(c.group, c.admin, &ask, ask.Buttons[0][0].Data)
	if err != nil {
		t.Fatal(err)
	}
	c.handled(u)
	c.finished(cov, 2)
	var calls []string
	for _, r := range c.tg.Requests("")[before:] {
		switch {
		case r.Method == "answerCallbackQuery" && r.Params.Get("callback_query_id") == u.CallbackQueryID:
			calls = append(calls, "answer")
		case r.Method == "editMessageText" && r.Params.Get("message_id") == fmt.Sprint(cov.ID):
			calls = append(calls, "covenant")
		}
	}
	if fmt.Sprint(calls) != "[answer covenant]" {
		t.Fatalf("calls in this order: %v", calls)
	}

	// So is a command's reply: the one who typed it hears first.
	before = len(c.tg.Requests(""))
	c.say(c.group, c.admin, "/addunit Hội Người cao tuổi tỉnh")
	c.sentThenEdited(before, "Hội Người cao tuổi tỉnh", cov.ID)
}

// sentThenEdited fails unless, among the bot's calls from the before-th
// on, it sent one message containing text and then edited the message id
// once.
func (c *covenantCast) sentThenEdited(before int, text string, id int) {
	c.t.Helper()
	var calls []string
	for _, r := range c.tg.Requests("")[before:] {
		switch {
		case r.Method == "sendMessage" && strings.Contains(r.Params.Get("text"), text):
			calls = append(calls, "send")
		case r.Method == "editMessageText" && r.Params.Get("message_id") == fmt.Sprint(id):
			calls = append(calls, "edit")
		}
	}
	if fmt.Sprint(calls) != "[send edit]" {
		c.t.Fatalf("calls in this order: %v", calls)
	}
}

// supersededText heads the message of a covenant post that a newer one
// replaced.
const supersededText = "⤵️ Đã có bản mới bên dưới — vui lòng ký ở tin nhắn mới nhất."

// retired fails unless the covenant message cov says that a newer post is
// below, with the covenant and want, but neither the sign button, which no
// longer signs, nor the count, which it no longer follows.
func (c *covenantCast) retired(cov telegramtest.Message, want ...string) telegramtest.Message {
	c.t.Helper()
	m := c.message(cov.ID)
	expect(c.t, m.Text, append([]string{supersededText, "📜 GIAO ƯỚC THI ĐUA NĂM 2026", "Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai"}, want...)...)
	if len(m.Buttons) != 0 || strings.Contains(m.Text, "Đã ký:") || strings.Contains(m.Text, "Chưa ký:") {
		c.t.Fatalf("the superseded covenant message: %q, buttons %+v", m.Text, m.Buttons)
	}
	return m
}

// editsOf counts the bot's calls to edit the text of the group message id,
// those Telegram refused included.
func (c *covenantCast) editsOf(id int) int {
	n := 0
	for _, r := range c.tg.Requests("editMessageText") {
		if r.Params.Get("message_id") == fmt.Sprint(id) {
			n++
		}
	}
	return n
}

// current fails unless cov, a covenant message with its sign button, is
// the one the block records as its latest post.
func (c *covenantCast) current(cov telegramtest.Message) {
	c.t.Helper()
	if len(cov.Buttons) != 1 || cov.Buttons[0][0].Text != "✍️ Ký giao ước" {
		c.t.Fatalf("the new covenant message's buttons: %+v", cov.Buttons)
	}
	cv := c.block().Registration.Covenant
	if cv.MessageID != cov.ID || cov.Buttons[0][0].Data != fmt.Sprintf("cv:%d", cv.Post) {
		c.t.Fatalf("covenant %+v, the latest message %d with %q", cv, cov.ID, cov.Buttons[0][0].Data)
	}
}

// Posting the covenant again retires the message of the post it replaces,
// after the new post: that message says a newer post is below, keeps the
// covenant and loses its button and count. The new post is the one the
// bot keeps current, and a signature on it leaves the old one alone.
func TestCovenantRepostRetiresTheOldPost(t *testing.T) {
	c := newCovenantCast(t)
	cov := c.opened(2, 1)
	before := len(c.tg.Requests(""))
	cov2 := c.say(c.group, c.reps[1], "/covenant")
	expect(t, cov2.Text, "Đã ký: 1/3 đơn vị", "Chưa ký: Tỉnh Đoàn, Hội Chữ thập đỏ tỉnh")
	c.current(cov2)
	old := c.retired(cov, "Khẩu hiệu: Đoàn kết", "chấm điểm theo 1 tiêu chí, tổng 100 điểm")
	c.sentThenEdited(before, "GIAO ƯỚC THI ĐUA", cov.ID)

	c.press(c.group, c.reps[1], cov2, cov2.Buttons[0][0].Data)
	expect(t, c.message(cov2.ID).Text, "Đã ký: 2/3 đơn vị")
	if m := c.message(cov.ID); m.EditCount != old.EditCount {
		t.Fatal("a signature edited the superseded covenant message")
	}

	// A third post retires the second, and leaves the first as it was.
	cov3 := c.say(c.group, c.reps[1], "/covenant")
	c.current(cov3)
	c.retired(cov2)
	if m := c.message(cov.ID); m.EditCount != old.EditCount {
		t.Fatal("the third post edited the first")
	}
	c.noApology()
}

// Opening the covenant again with another slogan retires the message of
// the earlier opening, which then shows the slogan and deadline in force.
func TestCovenantReopenRetiresTheOldPost(t *testing.T) {
	c := newCovenantCast(t)
	minh := c.reps[1]
	c.say(c.group, minh, "/criteria add Tuyên truyền | 100")
	cov := c.say(c.group, minh, "/covenant Đoàn kết")
	cov2 := c.say(c.group, minh, "/covenant Đổi mới, sáng tạo | 31/03/2026")
	expect(t, cov2.Text, "Khẩu hiệu: Đổi mới, sáng tạo", "Đã ký: 0/3 đơn vị")
	c.current(cov2)
	if m := c.retired(cov, "Khẩu hiệu: Đổi mới, sáng tạo", "Hạn ký: 31/03/2026"); strings.Contains(m.Text, "Khẩu hiệu: Đoàn kết") {
		t.Fatalf("the superseded message shows the slogan replaced: %q", m.Text)
	}
	c.noApology()
}

// When every unit has signed, the message of a post replaced asks nobody
// to sign.
func TestCovenantRepostOfACompleteCovenant(t *testing.T) {
	c := newCovenantCast(t)
	cov := c.opened(3, 3)
	cov2 := c.say(c.group, c.reps[1], "/covenant")
	expect(t, cov2.Text, "Đã ký: 3/3 đơn vị", "🎉 Tất cả đơn vị đã ký.")
	m := c.message(cov.ID)
	expect(t, m.Text, "⤵️ Đã có bản mới bên dưới.", "📜 GIAO ƯỚC THI ĐUA NĂM 2026")
	if len(m.Buttons) != 0 || strings.Contains(m.Text, "ký ở tin nhắn") {
		t.Fatalf("the superseded message of a complete covenant: %q, buttons %+v", m.Text, m.Buttons)
	}
}

// The message of the post replaced, deleted in the group, cannot be
// edited: the new post is made and recorded all the same, the failure is
// logged, and nobody is told that something went wrong.
func TestCovenantRepostOfADeletedPost(t *testing.T) {
	c := newCovenantCast(t)
	cov := c.opened(2, 1)
	if _, err := c.api().Request(tgbotapi.NewDeleteMessage(c.group.ID, cov.ID)); err != nil {
		t.Fatal(err)
	}
	cov2 := c.say(c.group, c.reps[1], "/covenant")
	expect(t, cov2.Text, "Đã ký: 1/3 đơn vị")
	c.current(cov2)
	expect(t, c.logs.String(), "level=WARN", "superseded covenant message not edited", fmt.Sprintf("message=%d", cov.ID))
	c.noApology()
}

// Telegram failing the edit of the post replaced leaves that message as
// it was: its button, which a client still shows, is refused politely as
// outdated and changes nothing, and the new post is the one recorded.
func TestCovenantRepostWhenTheOldPostCannotBeEdited(t *testing.T) {
	c := newCovenantCast(t)
	cov := c.opened(2, 1)
	c.tg.FailNext("editMessageText", 1)
	cov2 := c.say(c.group, c.reps[1], "/covenant")
	c.current(cov2)
	old := c.message(cov.ID)
	expect(t, old.Text, "Đã ký: 1/3 đơn vị")
	if len(old.Buttons) != 1 || old.EditCount != cov.EditCount {
		t.Fatalf("the old covenant message changed: %+v", old)
	}
	expect(t, c.logs.String(), "level=WARN", "superseded covenant message not edited")
	c.unchanged(func() {
		a := c.press(c.group, c.reps[1], old, old.Buttons[0][0].Data)
		if !a.ShowAlert || !strings.Contains(a.Text, "Tin giao ước này đã cũ. Hãy bấm nút ở tin giao ước mới nhất.") {
			t.Fatalf("press on the old post: %+v", a)
		}
	})
	c.noApology()
}

// The repost recorded its message, then the process died before the
// message it replaced was retired: the command delivered again retires it,
// and posts nothing more. (TestCovenantRepostSurvivesACrash delivers a
// repost again after its retirement.)
func TestCovenantRepostRecordedBeforeACrash(t *testing.T) {
	c := newCovenantCast(t)
	cov := c.opened(1, 1)
	minh := c.reps[1]
	// The post the bot made before dying.
	posted, err := c.api().Send(tgbotapi.NewMessage(c.group.ID, "📜 GIAO ƯỚC THI ĐUA NĂM 2026 (bản mới)"))
	if err != nil {
		t.Fatal(err)
	}
	c.crashAfterWrite(minh, "/covenant", func(b *thidua.Block) error {
		cv, err := b.RepostCovenant(thidua.Actor{UserID: minh.ID, Name: "Minh"})
		if err != nil {
			return err
		}
		return b.SetCovenantMessage(cv.Post, posted.MessageID)
	})
	c.retired(cov)
	if n := countContaining(c.harness, c.group.ID, "GIAO ƯỚC THI ĐUA NĂM"); n != 2 {
		t.Fatalf("%d covenant messages", n)
	}
	if cv := c.block().Registration.Covenant; cv.MessageID != posted.MessageID {
		t.Fatalf("covenant %+v", cv)
	}
	c.noApology()
}

// A basic group upgraded to a supergroup starts its message ids again: a
// post in the supergroup replaces none of the old group's covenant
// messages, whose ids name other messages of the bot there, and edits
// none of them.
func TestCovenantRepostAfterSupergroupUpgrade(t *testing.T) {
	h, cov := covenantInABasicGroup(t)
	cov2 := h.say(h.group, h.admin, "/covenant")
	expect(t, h.message(cov.ID).Text, supersededText)

	sg := h.upgrade()
	victims := []telegramtest.Message{h.botMessageNumbered(h.admin, cov.ID), h.botMessageNumbered(h.admin, cov2.ID)}
	cov3 := h.say(sg, h.admin, "/covenant")
	expect(t, cov3.Text, "Đã ký: 0/2 đơn vị")
	cov4 := h.say(sg, h.admin, "/covenant")
	for _, v := range victims {
		if got := h.message(v.ID); got.Text != v.Text || got.EditCount != v.EditCount {
			t.Fatalf("the bot's message %d in the supergroup became %q", v.ID, got.Text)
		}
	}
	// Posts in the supergroup replace each other.
	expect(t, h.message(cov3.ID).Text, supersededText)
	if b := h.block(); b.Registration.Covenant.MessageID != cov4.ID {
		t.Fatalf("covenant %+v", b.Registration.Covenant)
	}
	(&regCast{harness: h}).noApology()
}

// TestCovenantRefusalSaysWhatTheUnitStillNeeds checks that a unit's
// representative who presses ✍️ before the unit's list is approved is told
// what the unit still has to do, as the list stands: register its pledges,
// submit them, wait for a list awaiting approval (not "send /submit", which
// would be refused), or correct a returned one and submit it again.
func TestCovenantRefusalSaysWhatTheUnitStillNeeds(t *testing.T) {
	c := newRegCast(t)
	c.open()
	c.say(c.group, c.minh, "/criteria add Tuyên truyền | 100")
	cov := c.say(c.group, c.minh, "/covenant Đoàn kết")
	sign := func(want, not string) {
		t.Helper()
		c.unchanged(func() {
			a := c.press(c.group, c.lan, cov, cov.Buttons[0][0].Data)
			if !a.ShowAlert || !strings.Contains(a.Text, want) || not != "" && strings.Contains(a.Text, not) || len([]rune(a.Text)) > 200 {
				t.Fatalf("the refusal of Lan's signature, with her list %v: %q, want %q", c.unit(3).State, a.Text, want)
			}
		})
	}
	sign("chưa đăng ký nội dung thi đua nào nên chưa ký được giao ước: đăng ký bằng /pledge, gửi /submit để Khối trưởng duyệt, rồi ký.", "")
	c.say(c.group, c.lan, "/dangky Vận động xây 50 nhà đại đoàn kết | 50 nhà")
	sign("chưa có danh sách đăng ký thi đua được duyệt nên chưa ký được giao ước. Hãy gửi /submit", "")
	c.say(c.group, c.lan, "/guidangky")
	sign("Danh sách đăng ký thi đua của đơn vị bạn đang chờ Khối trưởng duyệt; đơn vị ký giao ước được sau khi danh sách được duyệt.", "/submit")
	c.say(c.group, c.minh, "/tralai 3 | Ghi rõ số hộ")
	sign("Danh sách đăng ký thi đua của đơn vị bạn đã bị trả lại: sửa theo lý do (xem /pledges) rồi gửi lại /submit", "")
	c.say(c.group, c.lan, "/guidangky")
	c.say(c.group, c.minh, "/duyet 3")
	if a := c.press(c.group, c.lan, cov, cov.Buttons[0][0].Data); a.ShowAlert || c.unit(3).Signed == nil {
		t.Fatalf("Lan's signature once the list is approved: %+v", a)
	}
}

// TestCovenantHistoryKeepsTheSloganApartFromTheDeadline checks that the
// history of /covenant writes the slogan and the signing deadline as they
// are typed, apart («slogan | dd/mm/yyyy»), not run together as if «hạn
// 31/03/2026» ended the slogan.
func TestCovenantHistoryKeepsTheSloganApartFromTheDeadline(t *testing.T) {
	c := newRegCast(t)
	c.say(c.group, c.minh, "/criteria add Tuyên truyền | 100")
	c.say(c.group, c.minh, "/giaouoc Đoàn kết, vượt khó - Đổi mới, sáng tạo | 31/03/2026")
	c.say(c.group, c.minh, "/giaouoc Chủ động thích ứng | 15/04/2026")
	expect(t, c.say(c.group, c.hoa, "/lichsu 2").Text,
		"Minh: phát động ký giao ước: «Đoàn kết, vượt khó - Đổi mới, sáng tạo | 31/03/2026»\n",
		"Minh: phát động ký giao ước: «Đoàn kết, vượt khó - Đổi mới, sáng tạo | 31/03/2026» → «Chủ động thích ứng | 15/04/2026»")
	if cv := c.block().Registration.Covenant; cv.Slogan != "Chủ động thích ứng" {
		t.Fatalf("the slogan stored: %q", cv.Slogan)
	}
}
