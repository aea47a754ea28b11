package handlers_test

import (
	"bytes"
	"cmp"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"thiduabot/bot"
	"thiduabot/handlers"
	"thiduabot/scheduler"
	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// logBuffer is a log sink safe for concurrent writers.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// ticker is a scheduler over the harness's store and fake Bot API, with a
// router, sender and log of its own: another bot process, as far as the
// store and Telegram can tell.
type ticker struct {
	h    *harness
	s    *scheduler.Scheduler
	logs *logBuffer
	// clock is the time of the last tick run by tick, the router's now
	// (the time of day before the first).
	clock time.Time
}

func newTicker(h *harness) *ticker {
	h.t.Helper()
	logs := &logBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	api, err := bot.NewAPI(bot.Config{Token: h.tg.Token(), APIEndpoint: h.tg.Endpoint(), Log: log})
	if err != nil {
		h.t.Fatal(err)
	}
	sender := bot.NewSender(api, fastLimits, nil, log, h.retries)
	tk := &ticker{h: h, logs: logs}
	router := handlers.New(handlers.Config{
		Store: h.store, Sender: sender, Admins: bot.NewAdmins(sender, time.Minute),
		BotUsername: "thiduabot", Lang: h.lang, Location: hcm, Log: log,
		Now: func() time.Time { return cmp.Or(tk.clock, time.Now()) },
	})
	tk.s = scheduler.New(scheduler.Config{Store: h.store, Runner: router, Location: hcm, Log: log})
	return tk
}

// tick runs one scheduler tick at the time.
func (tk *ticker) tick(at time.Time) {
	tk.h.t.Helper()
	tk.clock = at
	if err := tk.s.Tick(tk.h.t.Context(), at); err != nil {
		tk.h.t.Fatalf("tick at %v: %v", at, err)
	}
}

// sent is a message the bot sent to the group during a tick.
type sent struct {
	at  time.Time // the tick's time
	msg telegramtest.Message
}

func (s sent) String() string { return s.at.Format("Mon 02/01 15:04") }

// run ticks every step from from (inclusive) to to (exclusive), as the
// scheduler does every minute, and returns what reached the group.
func (tk *ticker) run(from, to time.Time, step time.Duration) []sent {
	tk.h.t.Helper()
	var out []sent
	for at := from; at.Before(to); at = at.Add(step) {
		n := len(tk.h.tg.Messages(tk.h.group.ID))
		tk.tick(at)
		for _, m := range tk.h.tg.Messages(tk.h.group.ID)[n:] {
			out = append(out, sent{at, m})
		}
	}
	return out
}

// at is a time in the harness's zone.
func at(month time.Month, day, hour, minute int) time.Time {
	return time.Date(2026, month, day, hour, minute, 0, 0, hcm)
}

// lines of the group's reminders that name units (they start with "• ").
func unitLines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "• ") {
			out = append(out, l)
		}
	}
	return out
}

// withReps sets the harness's block up with Lan (no username, started the
// bot in private) representing Hội Nông dân tỉnh and Minh representing Tỉnh
// Đoàn.
func withReps(h *harness) (lan, minh *telegramtest.User) {
	h.t.Helper()
	h.setUp()
	lan = h.member("Lan", "")
	h.handled(h.tg.SendPrivate(lan, "/start"))
	minh = h.member("Minh", "minh_td")
	h.join(lan, "Hội Nông dân tỉnh")
	h.join(minh, "Tỉnh Đoàn")
	return lan, minh
}

// pledgingReps is withReps with registration open and a pledge of each
// representative's unit: Lan's, 10 houses; Minh's, 5 teams.
func pledgingReps(h *harness) (lan, minh *telegramtest.User) {
	h.t.Helper()
	lan, minh = withReps(h)
	h.say(h.group, h.admin, "/openreg")
	expect(h.t, h.say(h.group, lan, "/pledge Xây 10 nhà đại đoàn kết | 10 nhà").Text, "Xây 10 nhà")
	expect(h.t, h.say(h.group, minh, "/pledge Thành lập 5 đội tình nguyện | 5 đội").Text, "Thành lập 5 đội")
	return lan, minh
}

// doneByAdmin marks deadline no done for every unit but those named.
func doneByAdmin(h *harness, no int, except ...string) {
	h.t.Helper()
	for _, u := range h.block().Units {
		skip := false
		for _, e := range except {
			skip = skip || u.Name == e
		}
		if !skip {
			m := h.say(h.group, h.admin, fmt.Sprintf("/done %d %s", no, u.Name))
			expect(h.t, m.Text, "đã hoàn thành")
		}
	}
}

// lastReminder ticks the scheduler at the time and returns the reminder it
// posted in the group, failing if none.
func lastReminder(t *testing.T, tk *ticker, when time.Time) string {
	t.Helper()
	got := tk.run(when, when.Add(time.Minute), time.Minute)
	if len(got) != 1 {
		t.Fatalf("tick at %v posted %d messages", when, len(got))
	}
	return got[0].msg.Text
}

// The whole schedule of one deadline, ticking through the days: 7, 3 and 1
// days before and on the day at 08:00, then the overdue notice; each names
// exactly the units that have not finished, once.
func TestReminderScheduleOfOneDeadline(t *testing.T) {
	h := newHarness(t)
	lan, minh := withReps(h)
	m := h.say(h.group, h.admin, "/deadline 16/03/2026 | Nộp báo cáo quý I")
	expect(t, m.Text, "Đã đặt hạn #1", "16/03/2026 17:00", "còn 14 ngày")
	doneByAdmin(h, 1, "Hội Nông dân tỉnh", "Tỉnh Đoàn")

	tk := newTicker(h)
	got := tk.run(at(3, 2, 9, 15), at(3, 14, 9, 0), 15*time.Minute)
	// Lan's unit finishes: it is never named again.
	h.now = at(3, 14, 9, 0)
	expect(t, h.say(h.group, lan, "/xong 1").Text, "Hội Nông dân tỉnh đã hoàn thành «Nộp báo cáo quý I»", "Còn 1/7")
	got = append(got, tk.run(at(3, 14, 9, 0), at(3, 18, 0, 0), 15*time.Minute)...)

	if fmt.Sprint(got) != "[Mon 09/03 08:00 Fri 13/03 08:00 Sun 15/03 08:00 Mon 16/03 08:00 Mon 16/03 17:00]" {
		t.Fatalf("reminders at %v", got)
	}
	for i, want := range []string{"còn 7 ngày", "còn 3 ngày", "còn 1 ngày", "hạn hôm nay"} {
		expect(t, got[i].msg.Text, "⏰ Nhắc hạn: Nộp báo cáo quý I", "Hạn: 16/03/2026 17:00 ("+want+")", "/done 1")
	}
	expect(t, got[4].msg.Text, "⚠️ Quá hạn: Nộp báo cáo quý I", "Hạn 16/03/2026 17:00 đã qua", "Các đơn vị chưa hoàn thành (1/7):")
	for i, s := range got {
		lines := unitLines(s.msg.Text)
		want := []string{"• Tỉnh Đoàn — Minh"}
		if i < 2 {
			want = []string{"• Hội Nông dân tỉnh — Lan", "• Tỉnh Đoàn — Minh"}
		}
		if fmt.Sprint(lines) != fmt.Sprint(want) {
			t.Errorf("reminder %d names %q, want %q", i, lines, want)
		}
		expect(t, s.msg.HTML, fmt.Sprintf(`<a href="tg://user?id=%d">Minh</a>`, minh.ID))
	}
	expect(t, got[0].msg.HTML, fmt.Sprintf(`<a href="tg://user?id=%d">Lan</a>`, lan.ID))

	// Lan started the bot in private: a direct message each time her unit
	// owed something; Minh did not: none.
	var dms []string
	for _, m := range h.tg.Messages(lan.ID) {
		if strings.Contains(m.Text, "Nhắc hạn") {
			dms = append(dms, m.Text)
		}
	}
	if len(dms) != 2 {
		t.Fatalf("Lan got %d reminders in private, want 2: %q", len(dms), dms)
	}
	expect(t, dms[0], "Nhắc hạn (Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai): Nộp báo cáo quý I — hạn 16/03/2026 17:00 (còn 7 ngày)", "Đơn vị Hội Nông dân tỉnh của bạn chưa hoàn thành", "/done 1")
	if n := len(h.tg.Messages(minh.ID)); n != 0 {
		t.Fatalf("Minh, who never started the bot, got %d direct messages", n)
	}

	// Each reminder is recorded in the block and its history.
	b := h.block()
	sentSlots := 0
	for _, hs := range b.Schedule.Handled {
		if hs.Deadline == "custom:1" && hs.Outcome == thidua.SlotSent {
			sentSlots++
		}
	}
	if sentSlots != 5 {
		t.Fatalf("block records %d sent reminders: %+v", sentSlots, b.Schedule.Handled)
	}
	expect(t, h.say(h.group, h.admin, "/history 3").Text, "thiduabot: nhắc hạn: «Nộp báo cáo quý I: Tỉnh Đoàn»")
	// Ticking the same days again sends nothing.
	if again := tk.run(at(3, 9, 8, 0), at(3, 17, 0, 0), time.Hour); len(again) != 0 {
		t.Fatalf("sent again: %v", again)
	}
}

// Quiet hours and weekends off: nothing goes out at night or at the
// weekend; the reminder before a Monday moves to Friday, an overdue notice
// at night waits for the morning, one at the weekend for Monday.
func TestReminderQuietHoursAndWeekends(t *testing.T) {
	h := newHarness(t)
	withReps(h)
	expect(t, h.say(h.group, h.admin, "/remind 1,0 08:00 cuối tuần không").Text, "Đã đổi cách nhắc hạn", "Thứ Bảy, Chủ nhật: không nhắc")
	// Monday 30/3 and Saturday 4/4, both at 22:30, in the quiet hours.
	h.say(h.group, h.admin, "/deadline 30/03/2026 22:30 | Gửi danh sách đề nghị khen thưởng")
	h.say(h.group, h.admin, "/deadline 04/04/2026 22:30 | Gửi ảnh hoạt động")

	got := newTicker(h).run(at(3, 2, 9, 15), at(4, 8, 0, 0), 15*time.Minute)
	want := "[Fri 27/03 08:00 Mon 30/03 08:00 Tue 31/03 07:00 Fri 03/04 08:00 Mon 06/04 08:00]"
	if fmt.Sprint(got) != want {
		t.Fatalf("reminders at %v, want %s", got, want)
	}
	for _, s := range got {
		if c := s.at.Hour(); c < 7 || c >= 21 || s.at.Weekday() == time.Saturday || s.at.Weekday() == time.Sunday {
			t.Errorf("a reminder went out at %v", s)
		}
	}
	expect(t, got[0].msg.Text, "Nhắc hạn: Gửi danh sách đề nghị khen thưởng", "(còn 3 ngày)")
	expect(t, got[2].msg.Text, "Quá hạn: Gửi danh sách đề nghị khen thưởng")
	expect(t, got[3].msg.Text, "Nhắc hạn: Gửi ảnh hoạt động", "(còn 1 ngày)")
	expect(t, got[4].msg.Text, "Quá hạn: Gửi ảnh hoạt động", "Hạn 04/04/2026 22:30 đã qua")
}

// Without quiet hours, the overdue notice of a deadline at 23:59 goes out
// the next morning at the reminder time, not in the last minute of the day
// (when a tick that comes late finds it useless), naming the units that
// still owe it then.
func TestOverdueNoticeNextMorning(t *testing.T) {
	h := newHarness(t)
	lan, minh := withReps(h)
	expect(t, h.say(h.group, h.admin, "/remind yên tắt").Text, "Đã đổi cách nhắc hạn", "Không có giờ yên lặng")
	h.say(h.group, h.admin, "/deadline 20/03/2026 23:59 | Nộp ảnh hoạt động") // Friday
	doneByAdmin(h, 1, "Hội Nông dân tỉnh", "Tỉnh Đoàn")

	tk := newTicker(h)
	got := tk.run(at(3, 20, 7, 0), at(3, 21, 7, 0), 15*time.Minute)
	if fmt.Sprint(got) != "[Fri 20/03 08:00]" {
		t.Fatalf("reminders at %v, want the day's only", got)
	}
	expect(t, got[0].msg.Text, "⏰ Nhắc hạn: Nộp ảnh hoạt động", "(hạn hôm nay)")
	// Lan's unit finishes after the deadline, before the notice.
	h.now = at(3, 21, 7, 0)
	expect(t, h.say(h.group, lan, "/xong 1").Text, "Hội Nông dân tỉnh đã hoàn thành")
	got = tk.run(at(3, 21, 7, 0), at(3, 22, 0, 0), 15*time.Minute)
	if fmt.Sprint(got) != "[Sat 21/03 08:00]" {
		t.Fatalf("overdue notice at %v, want Saturday's reminder time", got)
	}
	expect(t, got[0].msg.Text, "⚠️ Quá hạn: Nộp ảnh hoạt động", "Hạn 20/03/2026 23:59 đã qua", "(1/7)")
	if lines := unitLines(got[0].msg.Text); fmt.Sprint(lines) != "[• Tỉnh Đoàn — Minh]" {
		t.Fatalf("the notice names %q", lines)
	}
	expect(t, got[0].msg.HTML, fmt.Sprintf(`<a href="tg://user?id=%d">Minh</a>`, minh.ID))
	overdue := fmt.Sprintf("o:%d", at(3, 20, 23, 59).Unix())
	outcome := h.slotOutcome(overdue)
	if outcome != thidua.SlotSent {
		t.Fatalf("slot %s: %q, want sent: %+v", overdue, outcome, h.block().Schedule.Handled)
	}
}

// An election that closes on time is announced, not followed by an overdue
// reminder to vote.
func TestElectionClosingOnTimeSendsNoOverdueReminder(t *testing.T) {
	h := newHarness(t)
	_, minh := withReps(h)
	ballot := h.say(h.group, h.admin, "/elect khoitruong | đóng: 03/03/2026 17:00")
	h.press(h.group, minh, ballot, ballot.Buttons[0][0].Data)
	tk := newTicker(h)
	got := tk.run(at(3, 3, 17, 0), at(3, 3, 17, 2), time.Minute)
	for _, s := range got {
		if strings.Contains(s.msg.Text, "Quá hạn") {
			t.Fatalf("overdue reminder after the close: %s", s.msg.Text)
		}
	}
	if len(h.block().OpenElections()) != 0 {
		t.Fatal("the election did not close on time")
	}
}

// After downtime, a slot of the same day is sent late if the deadline has
// not passed; older ones are skipped with a log line.
func TestReminderCatchUpAfterDowntime(t *testing.T) {
	h := newHarness(t)
	withReps(h)
	h.say(h.group, h.admin, "/deadline 20/03/2026 | Báo cáo sơ kết") // Friday 17:00
	tk := newTicker(h)
	if got := tk.run(at(3, 12, 7, 0), at(3, 12, 9, 0), time.Minute); len(got) != 0 {
		t.Fatalf("sent %v", got)
	}
	// Down from 12/3 9:00 to 19/3 10:30: the slots of 13/3 and 17/3 are
	// missed; the one of 19/3 08:00 is still useful.
	got := tk.run(at(3, 19, 10, 30), at(3, 19, 10, 31), time.Minute)
	if len(got) != 1 {
		t.Fatalf("sent %v after coming back, want the day's reminder", got)
	}
	expect(t, got[0].msg.Text, "Nhắc hạn: Báo cáo sơ kết", "(còn 1 ngày)", "(7/7)", "• Ủy ban MTTQ Việt Nam tỉnh — chưa có đầu mối\n")
	logs := tk.logs.String()
	for _, slot := range []string{"d:2026-03-13", "d:2026-03-17"} {
		if !strings.Contains(logs, `msg="reminder skipped: its time passed while the bot was not running"`) || !strings.Contains(logs, "slot="+slot) {
			t.Fatalf("no log line for skipping %s:\n%s", slot, logs)
		}
	}
	// Down again for the whole of 20/3: the day's reminder and the overdue
	// notice (useful until the quiet hours) are skipped.
	if got := tk.run(at(3, 20, 21, 30), at(3, 21, 12, 0), time.Minute); len(got) != 0 {
		t.Fatalf("sent %v after the deadline's day", got)
	}
	outcomes := map[string]thidua.SlotOutcome{}
	for _, hs := range h.block().Schedule.Handled {
		outcomes[hs.Slot] = hs.Outcome
	}
	want := "map[d:2026-03-13:skipped d:2026-03-17:skipped d:2026-03-19:sent d:2026-03-20:skipped o:1774000800:skipped]"
	if fmt.Sprint(outcomes) != want {
		t.Fatalf("outcomes %v, want %s", outcomes, want)
	}
}

// Two scheduler processes on one store (Redis when TEST_REDIS_URL is set),
// ticking the same minutes at once, send each reminder once.
func TestRemindersOnceAcrossTwoSchedulers(t *testing.T) {
	h := newHarness(t)
	withReps(h)
	h.say(h.group, h.admin, "/deadline 20/03/2026 | Báo cáo sơ kết")
	h.say(h.group, h.admin, "/deadline 21/03/2026 09:00 | Nộp ảnh")
	a, b := newTicker(h), newTicker(h)
	before := len(h.tg.Messages(h.group.ID))
	for _, minute := range []time.Time{at(3, 13, 8, 0), at(3, 14, 8, 0), at(3, 18, 8, 0), at(3, 18, 8, 1), at(3, 20, 8, 0), at(3, 20, 17, 0)} {
		var wg sync.WaitGroup
		for _, tk := range []*ticker{a, b, a, b} {
			wg.Go(func() {
				if err := tk.s.Tick(t.Context(), minute); err != nil {
					t.Errorf("tick at %v: %v", minute, err)
				}
			})
		}
		wg.Wait()
	}
	var heads []string
	for _, m := range h.tg.Messages(h.group.ID)[before:] {
		heads = append(heads, strings.SplitN(m.Text, "\n", 2)[0])
	}
	want := []string{
		"⏰ Nhắc hạn: Báo cáo sơ kết", // 13/3, 7 days before
		"⏰ Nhắc hạn: Nộp ảnh",        // 14/3, 7 days before
		"⏰ Nhắc hạn: Nộp ảnh",        // 18/3, 3 days before
		"⏰ Nhắc hạn: Báo cáo sơ kết", // 20/3, the day
		"⏰ Nhắc hạn: Nộp ảnh",        // 20/3, 1 day before
		"⚠️ Quá hạn: Báo cáo sơ kết", // 20/3 17:00
	}
	// The two processes may send the two reminders of 20/3 08:00 in either order.
	slices.Sort(heads)
	slices.Sort(want)
	if fmt.Sprint(heads) != fmt.Sprint(want) {
		t.Fatalf("the group got\n%q\nwant\n%q", heads, want)
	}
}

// Nobody owing means nothing sent, and the slot is recorded as such.
func TestReminderNobodyOwes(t *testing.T) {
	h := newHarness(t)
	withReps(h)
	h.say(h.group, h.admin, "/deadline 20/03/2026 | Báo cáo sơ kết")
	doneByAdmin(h, 1)
	if got := newTicker(h).run(at(3, 13, 7, 0), at(3, 21, 0, 0), 30*time.Minute); len(got) != 0 {
		t.Fatalf("sent %v although every unit has finished", got)
	}
	for _, hs := range h.block().Schedule.Handled {
		if hs.Outcome != thidua.SlotNobody {
			t.Fatalf("slot %+v", hs)
		}
	}
	if n := len(h.block().Schedule.Handled); n != 5 {
		t.Fatalf("%d slots handled, want 5", n)
	}
}

func TestRemindNow(t *testing.T) {
	h := newHarness(t)
	lan, minh := withReps(h)
	h.say(h.group, h.admin, "/deadline 20/03/2026 | Báo cáo sơ kết")
	doneByAdmin(h, 1, "Hội Nông dân tỉnh", "Tỉnh Đoàn")

	expect(t, h.say(h.group, minh, "/remindnow 1").Text, "chỉ quản trị viên nhóm")
	for arg, want := range map[string]string{
		"abc": "Số hạn phải là một số nguyên dương",
		"0":   "Số hạn phải là một số nguyên dương",
		"9":   "Không có hạn số này",
	} {
		m := h.say(h.group, h.admin, "/nhacngay "+arg)
		expect(t, m.Text, want)
	}

	m := h.say(h.group, h.admin, "/remindnow 1")
	expect(t, m.Text, "⏰ Nhắc hạn: Báo cáo sơ kết", "Hạn: 20/03/2026 17:00 (còn 18 ngày)", "(2/7)")
	if fmt.Sprint(unitLines(m.Text)) != "[• Hội Nông dân tỉnh — Lan • Tỉnh Đoàn — Minh]" {
		t.Fatalf("names %q", unitLines(m.Text))
	}
	dm, _ := h.tg.LastMessage(lan.ID)
	expect(t, dm.Text, "Nhắc hạn", "Báo cáo sơ kết")

	// Without a number: a button per deadline with units not done.
	pick := h.say(h.group, h.admin, "/remindnow")
	expect(t, pick.Text, "Chọn hạn cần nhắc ngay")
	// The final deadline is owed too, for the same units.
	if len(pick.Buttons) != 2 || pick.Buttons[0][0].Text != "Báo cáo sơ kết — 20/03/2026" || pick.Buttons[1][0].Data != "rn:final" {
		t.Fatalf("buttons %+v", pick.Buttons)
	}
	if a := h.press(h.group, minh, pick, pick.Buttons[1][0].Data); !a.ShowAlert {
		t.Fatalf("a non-manager pressed: %+v", a)
	}
	h.press(h.group, h.admin, pick, pick.Buttons[1][0].Data)
	msgs := h.tg.Messages(h.group.ID)
	final := msgs[len(msgs)-1]
	expect(t, final.Text, "⏰ Nhắc hạn: Hoàn thành toàn diện các chỉ tiêu năm 2026", "Hạn: 30/11/2026 17:00",
		"• Hội Nông dân tỉnh (còn: Báo cáo sơ kết) — Lan")
	if strings.Contains(final.Text, "/done") {
		t.Fatal("the final deadline's reminder suggests /done")
	}
	for _, m := range msgs {
		if m.ID == pick.ID {
			expect(t, m.Text, "Đã gửi nhắc hạn «Hoàn thành toàn diện các chỉ tiêu năm 2026» (theo yêu cầu của Hùng)")
		}
	}

	// Once everyone has finished there is nothing to remind of.
	h.say(h.group, lan, "/done 1")
	h.say(h.group, minh, "/done 1")
	before := h.tg.Sent(h.group.ID)
	expect(t, h.say(h.group, h.admin, "/remindnow 1").Text, "Các đơn vị đều đã hoàn thành hạn này")
	expect(t, h.say(h.group, h.admin, "/remindnow").Text, "Không có hạn nào còn đơn vị chưa hoàn thành")
	if h.tg.Sent(h.group.ID) != before+2 {
		t.Fatal("a reminder was sent although nobody owes anything")
	}
	expect(t, h.say(h.group, h.admin, "/history 30").Text, "Hùng (quản trị viên): yêu cầu nhắc hạn ngay: «Báo cáo sơ kết»")
}

// A representative who started the bot gets the private reminder, and the
// overdue notice, in the language of their Telegram app, recorded when they
// asked to represent their unit: John's app is in English, Lan's in
// Vietnamese. The group's reminder stays in the block's language.
func TestPrivateRemindersInTheRepresentativesLanguage(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	john := h.member("John", "john_rc", telegramtest.Lang("en"))
	lan := h.member("Lan", "", telegramtest.Lang("vi"))
	for _, u := range []*telegramtest.User{john, lan} {
		h.handled(h.tg.SendPrivate(u, "/start"))
	}
	h.join(john, "Hội Chữ thập đỏ tỉnh")
	h.join(lan, "Hội Nông dân tỉnh")
	if b := h.block(); b.RepOf(john.ID).Lang != "en" || b.RepOf(lan.ID).Lang != "vi" {
		t.Fatalf("stored %+v and %+v", *b.RepOf(john.ID), *b.RepOf(lan.ID))
	}
	h.say(h.group, h.admin, "/deadline 20/03/2026 | Báo cáo sơ kết") // 13, 17, 19 and 20/3 at 08:00, overdue 20/3 17:00
	doneByAdmin(h, 1, "Hội Chữ thập đỏ tỉnh", "Hội Nông dân tỉnh")
	block := "Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai"

	tk := newTicker(h)
	got := tk.run(at(3, 13, 7, 45), at(3, 13, 8, 15), 15*time.Minute)
	if len(got) != 1 {
		t.Fatalf("reminders %v", got)
	}
	expect(t, got[0].msg.Text, "⏰ Nhắc hạn: Báo cáo sơ kết", "Hạn: 20/03/2026 17:00 (còn 7 ngày)", "Các đơn vị chưa hoàn thành (2/7):", "Đơn vị đã hoàn thành")
	dm, _ := h.tg.LastMessage(john.ID)
	expect(t, dm.Text, "⏰ Reminder ("+block+"): Báo cáo sơ kết — due 20/03/2026 17:00 (7 days left).",
		"Your unit Hội Chữ thập đỏ tỉnh has not finished.", "Finished? A representative sends /done 1 in the group.")
	dm, _ = h.tg.LastMessage(lan.ID)
	expect(t, dm.Text, "⏰ Nhắc hạn ("+block+"): Báo cáo sơ kết — hạn 20/03/2026 17:00 (còn 7 ngày).",
		"Đơn vị Hội Nông dân tỉnh của bạn chưa hoàn thành.", "Đơn vị đã hoàn thành: đầu mối gửi /done 1 trong nhóm.")

	got = tk.run(at(3, 13, 9, 0), at(3, 20, 18, 0), time.Hour)
	if fmt.Sprint(got) != "[Tue 17/03 08:00 Thu 19/03 08:00 Fri 20/03 08:00 Fri 20/03 17:00]" {
		t.Fatalf("reminders at %v", got)
	}
	expect(t, got[3].msg.Text, "⚠️ Quá hạn: Báo cáo sơ kết", "Hạn 20/03/2026 17:00 đã qua")
	dm, _ = h.tg.LastMessage(john.ID)
	expect(t, dm.Text, "⚠️ Overdue ("+block+"): Báo cáo sơ kết — the deadline 20/03/2026 17:00 has passed.",
		"Your unit Hội Chữ thập đỏ tỉnh has not finished.")
	dm, _ = h.tg.LastMessage(lan.ID)
	expect(t, dm.Text, "⚠️ Quá hạn ("+block+"): Báo cáo sơ kết — hạn 20/03/2026 17:00 đã qua.",
		"Đơn vị Hội Nông dân tỉnh của bạn chưa hoàn thành.")
}

// A representative's direct message says what the unit still owes, as the
// group's reminder does: for the final deadline it is the only way to know.
func TestPrivateReminderSaysWhatIsOwed(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2026, 11, 24, 9, 0, 0, 0, hcm)
	lan, _ := withReps(h)
	h.say(h.group, h.admin, "/openreg 27/11/2026")
	expect(t, h.say(h.group, lan, "/pledge Xây 10 nhà đại đoàn kết | 10 nhà").Text, "Xây 10 nhà")

	tk := newTicker(h)
	got := tk.run(time.Date(2026, 11, 27, 8, 0, 0, 0, hcm), time.Date(2026, 11, 27, 8, 1, 0, 0, hcm), time.Minute)
	if len(got) != 2 {
		t.Fatalf("sent %v, want the registration's and the final deadline's reminders", got)
	}
	var dms []string
	for _, m := range h.tg.Messages(lan.ID) {
		if strings.Contains(m.Text, "Nhắc hạn") {
			dms = append(dms, m.Text)
		}
	}
	if len(dms) != 2 {
		t.Fatalf("Lan got %d reminders in private: %q", len(dms), dms)
	}
	for _, dm := range dms {
		expect(t, dm, "Đơn vị Hội Nông dân tỉnh của bạn chưa hoàn thành", "chưa gửi danh sách đăng ký (/submit)")
	}

	// Owing many deadlines with long titles still makes a message Telegram
	// accepts.
	for i := range 25 {
		h.say(h.group, h.admin, fmt.Sprintf("/deadline 29/11/2026 | %02d %s", i, strings.Repeat("Nộp hồ sơ ", 19)))
	}
	pick := h.say(h.group, h.admin, "/remindnow")
	h.press(h.group, h.admin, pick, "rn:final")
	dm, _ := h.tg.LastMessage(lan.ID)
	expect(t, dm.Text, "Hoàn thành toàn diện các chỉ tiêu năm 2026", "(còn: 00 Nộp hồ sơ", "…).")
}

// A reminder sent by hand is the day's reminder: the scheduled one of that
// day does not follow it minutes later, and the next configured day's goes
// out as usual.
func TestRemindNowTakesTheDaysReminder(t *testing.T) {
	h := newHarness(t)
	withReps(h)
	h.say(h.group, h.admin, "/deadline 20/03/2026 | Báo cáo sơ kết") // 13, 17, 19 and 20/3 at 08:00
	doneByAdmin(h, 1, "Hội Nông dân tỉnh", "Tỉnh Đoàn")
	tk := newTicker(h)
	if got := tk.run(at(3, 13, 7, 0), at(3, 17, 7, 30), time.Hour); fmt.Sprint(got) != "[Fri 13/03 08:00]" {
		t.Fatalf("reminders at %v", got)
	}

	h.now = at(3, 17, 7, 30)
	m := h.say(h.group, h.admin, "/nhacngay 1")
	expect(t, m.Text, "⏰ Nhắc hạn: Báo cáo sơ kết", "(còn 3 ngày)", "(2/7)")
	b := h.block()
	var handled []string
	for _, hs := range b.Schedule.Handled {
		handled = append(handled, hs.Slot+" "+string(hs.Outcome))
	}
	if fmt.Sprint(handled) != "[d:2026-03-13 sent d:2026-03-17 by_hand]" {
		t.Fatalf("handled %v", handled)
	}
	if next := b.NextDue(); !next.Equal(at(3, 19, 8, 0)) {
		t.Fatalf("NextDue %v, want the reminder of 19/3", next)
	}
	if got := tk.run(at(3, 17, 7, 45), at(3, 18, 0, 0), 15*time.Minute); len(got) != 0 {
		t.Fatalf("reminded again the same day at %v", got)
	}
	// The due index, which writes only ever bring forward, was set to the
	// next reminder by the tick that found nothing to send.
	if ids, err := h.store.DueBlocks(t.Context(), at(3, 19, 7, 59), 10); err != nil || len(ids) != 0 {
		t.Fatalf("due blocks before 19/3 08:00: %v %v", ids, err)
	}
	got := tk.run(at(3, 18, 0, 0), at(3, 19, 12, 0), 15*time.Minute)
	if fmt.Sprint(got) != "[Thu 19/03 08:00]" {
		t.Fatalf("reminders at %v, want the one of 19/3", got)
	}
	expect(t, got[0].msg.Text, "⏰ Nhắc hạn: Báo cáo sơ kết", "(còn 1 ngày)")
	if lines := unitLines(got[0].msg.Text); len(lines) != 2 {
		t.Fatalf("names %q", lines)
	}
}

// Should the bot die after recording a /remindnow but before the reminder
// went out, the redelivered command is answered as already recorded and
// sends nothing: the day's scheduled reminder must then still go out, since
// no reminder reached the group that day.
func TestRemindNowLostInACrashKeepsTheDaysReminder(t *testing.T) {
	h := newHarness(t)
	withReps(h)
	h.say(h.group, h.admin, "/deadline 20/03/2026 | Báo cáo sơ kết") // 13, 17, 19 and 20/3 at 08:00
	doneByAdmin(h, 1, "Hội Nông dân tỉnh", "Tỉnh Đoàn")
	tk := newTicker(h)
	tk.run(at(3, 13, 7, 0), at(3, 17, 7, 30), time.Hour)

	h.now = at(3, 17, 7, 30)
	sent := h.tg.Sent(h.group.ID)
	admin := thidua.Actor{UserID: h.admin.ID, Name: "Hùng", Admin: true}
	h.crashAfterWrite(h.admin, "/nhacngay 1", func(b *thidua.Block) error {
		_, err := b.RemindNow(admin, thidua.CustomKey(1), h.now)
		return err
	})
	m, _ := h.tg.LastMessage(h.group.ID)
	expect(t, m.Text, "Yêu cầu này đã được ghi nhận trước đó")
	if h.tg.Sent(h.group.ID) != sent+1 {
		t.Fatal("the redelivered command sent a reminder")
	}
	got := tk.run(at(3, 17, 7, 45), at(3, 17, 12, 0), 15*time.Minute)
	if fmt.Sprint(got) != "[Tue 17/03 08:00]" {
		t.Fatalf("reminders at %v, want the day's scheduled one", got)
	}
	expect(t, got[0].msg.Text, "⏰ Nhắc hạn: Báo cáo sơ kết", "(còn 3 ngày)")
}

// A reminder sent by hand once the deadline has passed is an overdue
// notice: the scheduled overdue notice of that day (here moved to the
// morning after a deadline at 23:59) does not follow it minutes later.
func TestRemindNowAfterTheDeadlineTakesTheDaysOverdueNotice(t *testing.T) {
	h := newHarness(t)
	withReps(h)
	h.say(h.group, h.admin, "/remind yên tắt")
	h.say(h.group, h.admin, "/deadline 20/03/2026 23:59 | Nộp ảnh hoạt động") // Friday
	doneByAdmin(h, 1, "Hội Nông dân tỉnh", "Tỉnh Đoàn")
	tk := newTicker(h)
	tk.run(at(3, 20, 7, 0), at(3, 21, 7, 0), 15*time.Minute)

	h.now = at(3, 21, 7, 30)
	m := h.say(h.group, h.admin, "/nhacngay 1")
	expect(t, m.Text, "⚠️ Quá hạn: Nộp ảnh hoạt động", "Hạn 20/03/2026 23:59 đã qua", "(2/7)")
	if got := tk.run(at(3, 21, 7, 45), at(3, 22, 0, 0), 15*time.Minute); len(got) != 0 {
		t.Fatalf("an overdue notice again at %v", got)
	}
	overdue := fmt.Sprintf("o:%d", at(3, 20, 23, 59).Unix())
	outcome := h.slotOutcome(overdue)
	if outcome != thidua.SlotByHand {
		t.Fatalf("slot %s: %q, want by_hand: %+v", overdue, outcome, h.block().Schedule.Handled)
	}
}

// slotOutcome is what the stored block says became of its reminder slot
// with this id, "" if nothing yet.
func (h *harness) slotOutcome(slot string) thidua.SlotOutcome {
	h.t.Helper()
	var outcome thidua.SlotOutcome
	for _, hs := range h.block().Schedule.Handled {
		if hs.Slot == slot {
			outcome = hs.Outcome
		}
	}
	return outcome
}

// The registration and covenant deadlines remind exactly the units that
// have not registered, submitted or signed, saying what each still owes.
func TestRemindersForRegistrationAndCovenant(t *testing.T) {
	h := newHarness(t)
	lan, minh := withReps(h)
	expect(t, h.say(h.group, h.admin, "/openreg 09/03/2026").Text, "09/03/2026")
	expect(t, h.say(h.group, lan, "/pledge Vận động 100 hộ tham gia bảo hiểm | 100 hộ").Text, "Vận động 100 hộ")
	expect(t, h.say(h.group, minh, "/pledge Thành lập 5 đội thanh niên tình nguyện | 5 đội").Text, "Thành lập 5 đội")
	h.say(h.group, minh, "/submit")
	tk := newTicker(h)

	// Registration opened after 08:00 on the day of the 7-day reminder: the
	// first reminder is the one 3 days before.
	text := lastReminder(t, tk, at(3, 6, 8, 0))
	expect(t, text, "⏰ Nhắc hạn: Đăng ký nội dung thi đua", "Hạn: 09/03/2026 17:00 (còn 3 ngày)",
		"• Hội Nông dân tỉnh (còn: chưa gửi danh sách đăng ký (/submit)) — Lan",
		"• Ủy ban MTTQ Việt Nam tỉnh (còn: chưa đăng ký nội dung thi đua) — chưa có đầu mối",
		"/pledge", "/submit")
	if strings.Contains(text, "Tỉnh Đoàn") {
		t.Fatalf("a unit that submitted is reminded: %s", text)
	}

	// Everyone registers and is approved; the covenant opens with a deadline.
	h.say(h.group, lan, "/submit")
	for i, u := range h.block().Units {
		if u.Name != "Hội Nông dân tỉnh" && u.Name != "Tỉnh Đoàn" {
			h.say(h.group, h.admin, fmt.Sprintf("/pledge #%d Nội dung của đơn vị %d | 1 việc", i+1, i+1))
			h.say(h.group, h.admin, fmt.Sprintf("/submit #%d", i+1))
		}
		h.say(h.group, h.admin, fmt.Sprintf("/approve %d", i+1))
	}
	if n := len(h.block().UnitsNotApproved()); n != 0 {
		t.Fatalf("%d lists not approved", n)
	}
	h.say(h.group, h.admin, "/criteria add Thực hiện chỉ tiêu | 100")
	cov := h.say(h.group, h.admin, "/covenant Đoàn kết, vượt khó | 13/03/2026")
	expect(t, cov.Text, "Đoàn kết, vượt khó")
	h.press(h.group, minh, cov, cov.Buttons[0][0].Data)

	text = lastReminder(t, tk, at(3, 10, 8, 0)) // 3 days before the signing deadline
	expect(t, text, "⏰ Nhắc hạn: Ký giao ước thi đua", "Hạn: 13/03/2026 17:00 (còn 3 ngày)",
		"• Hội Nông dân tỉnh (còn: chưa ký giao ước thi đua) — Lan", "Các đơn vị chưa hoàn thành (6/7)", "Ký giao ước")
	if strings.Contains(text, "Tỉnh Đoàn") {
		t.Fatalf("a unit that signed is reminded: %s", text)
	}
	// Registration is complete: its deadline owes nothing any more.
	if d, ok := h.block().Deadline("registration", h.now); !ok || len(d.Owing) != 0 {
		t.Fatalf("registration deadline %+v", d)
	}
}

// An open election reminds the units that have not voted on the day it
// closes, without revealing anything about the ballots; then it closes on
// time.
func TestRemindersForAnElection(t *testing.T) {
	h := newHarness(t)
	_, minh := withReps(h)
	ballot := h.say(h.group, h.admin, "/elect khoitruong | đóng: 04/03/2026 17:00")
	expect(t, ballot.Text, "04/03/2026 17:00")
	h.press(h.group, minh, ballot, ballot.Buttons[0][0].Data)

	tk := newTicker(h)
	text := lastReminder(t, tk, at(3, 4, 8, 0))
	expect(t, text, "⏰ Nhắc hạn: Bầu Khối trưởng năm 2027", "hạn hôm nay", "(6/7)",
		"• Hội Nông dân tỉnh (còn: chưa bỏ phiếu bầu Khối trưởng) — Lan", "phiếu bầu")
	if strings.Contains(text, "Tỉnh Đoàn") {
		t.Fatalf("a unit that voted is reminded: %s", text)
	}
	// The final deadline of the year gathers what each unit still owes.
	d, ok := h.block().Deadline("final", h.now)
	if !ok || len(d.Owing) != 6 || !slices.Contains(d.Owing[0].Debts, thidua.Debt{Kind: thidua.DebtVote, Role: thidua.RoleLeader}) {
		t.Fatalf("final deadline %+v", d)
	}
}

// A reporting period reminds the units that have not reported for it, and
// the year's final deadline names the units whose targets are behind pace.
func TestRemindersForAReportingPeriodAndThePace(t *testing.T) {
	h := newHarness(t)
	lan, _ := pledgingReps(h)
	expect(t, h.say(h.group, h.admin, "/period Quý I | 31/03").Text, "Quý I")
	expect(t, h.say(h.group, lan, "/report Quý I\n1 2 đã khởi công").Text, "Quý I")

	tk := newTicker(h)
	text := lastReminder(t, tk, at(3, 31, 8, 0))
	expect(t, text, "⏰ Nhắc hạn: Báo cáo kết quả Quý I", "Hạn: 31/03/2026 23:59 (hạn hôm nay)",
		"• Tỉnh Đoàn (còn: chưa báo cáo kết quả kỳ Quý I) — Minh", "/report")
	if strings.Contains(text, "Hội Nông dân tỉnh") {
		t.Fatalf("a unit that reported is reminded: %s", text)
	}

	// After the period, Lan's unit is at 20% of a target due 30/11, behind
	// the 27% of the year gone (see TestFinalDeadlineNamesOnlyUnitsBehindPace).
	h.now = at(4, 2, 9, 0)
	final, _ := h.block().Deadline("final", h.now)
	var debts []thidua.Debt
	for _, o := range final.Owing {
		if h.block().UnitName(o.UnitID) == "Hội Nông dân tỉnh" {
			debts = o.Debts
		}
	}
	if !slices.Contains(debts, thidua.Debt{Kind: thidua.DebtPace}) {
		t.Fatalf("Hội Nông dân tỉnh owes %+v, not its targets' pace", debts)
	}
}

// The reminder of the year's final deadline, and its overdue notice, say
// what to do next, as the other deadlines' reminders do: a unit named for
// targets behind pace reports its latest figures, and /progress and
// /deadlines show where it stands. Lan, who started the bot in private, is
// told the same.
func TestFinalDeadlineReminderSaysWhatToDo(t *testing.T) {
	h := newHarness(t)
	lan, minh := pledgingReps(h)
	expect(t, h.say(h.group, h.admin, "/period Quý I | 31/03").Text, "Quý I")
	expect(t, h.say(h.group, lan, "/report Quý I\n1 5").Text, "Quý I")
	expect(t, h.say(h.group, minh, "/report Quý I\n1 5").Text, "Quý I")

	tk := newTicker(h)
	for _, when := range []time.Time{at(11, 27, 8, 0), at(11, 30, 17, 0)} {
		text := lastReminder(t, tk, when)
		expect(t, text, "Hoàn thành toàn diện các chỉ tiêu năm 2026", "• Hội Nông dân tỉnh (còn: chỉ tiêu năm chưa đạt tiến độ) — Lan",
			"/report <kỳ>", "/progress", "/deadlines")
	}
	dms := h.tg.Messages(lan.ID)
	if len(dms) == 0 {
		t.Fatal("Lan got no direct message")
	}
	expect(t, dms[len(dms)-1].Text, "Hội Nông dân tỉnh", "/report <kỳ>", "/progress")
}

// The final deadline names a unit that still owes the year's report due on
// 30/11 itself (at 23:59, since a report is on time until the day ends): it
// is a deadline of the year like the others.
func TestFinalDeadlineReminderNamesTheYearReportDueThatDay(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2026, 11, 24, 9, 0, 0, 0, hcm)
	lan, minh := pledgingReps(h)
	expect(t, h.say(h.group, h.admin, "/period 9 tháng | 15/09\nNăm | 30/11").Text, "Năm")
	expect(t, h.say(h.group, lan, "/report 9 tháng\n1 10").Text, "9 tháng")
	expect(t, h.say(h.group, lan, "/report Năm\n1 10").Text, "Năm")
	expect(t, h.say(h.group, minh, "/report 9 tháng\n1 5").Text, "9 tháng")

	tk := newTicker(h)
	var final string
	for _, s := range tk.run(time.Date(2026, 11, 27, 8, 0, 0, 0, hcm), time.Date(2026, 11, 27, 8, 1, 0, 0, hcm), time.Minute) {
		if strings.Contains(s.msg.Text, "Hoàn thành toàn diện các chỉ tiêu năm 2026") {
			final = s.msg.Text
		}
	}
	if final == "" {
		t.Fatal("no reminder of the final deadline on 27/11")
	}
	expect(t, final, "• Tỉnh Đoàn (còn: chưa báo cáo kết quả kỳ Năm) — Minh")
	if strings.Contains(final, "Hội Nông dân tỉnh") {
		t.Fatalf("a unit that has done everything is named: %s", final)
	}
}
