package thidua

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

var hcm = zone(DefaultZone)

// at is a time in the block's default zone.
func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, hcm)
}

// slotTimes sums slots up as "dd/mm HH:MM" (overdue notices marked "!").
func slotTimes(slots []Slot) string {
	var out []string
	for _, s := range slots {
		mark := ""
		if s.Overdue {
			mark = "!"
		}
		out = append(out, mark+s.At.In(hcm).Format("Mon 02/01 15:04")+"-"+s.Until.In(hcm).Format("15:04"))
	}
	return strings.Join(out, ", ")
}

// addDeadline adds a custom deadline as the administrator at t0.
func addDeadline(t *testing.T, b *Block, due time.Time, title string) CustomDeadline {
	t.Helper()
	c, err := b.AddDeadline(admin, due, title, t0)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFinalDeadlineAndItsSlots(t *testing.T) {
	b := laoCai(t)
	ds := b.Deadlines(t0)
	if len(ds) != 1 || ds[0].Key != "final" || ds[0].Kind != KindFinal || !ds[0].Due.Equal(at(2026, 11, 30, 17, 0)) {
		t.Fatalf("deadlines %+v", ds)
	}
	if ds[0].Title != "Hoàn thành toàn diện các chỉ tiêu năm 2026" || len(ds[0].Owing) != 0 {
		t.Fatalf("final %+v: nobody owes anything without other deadlines", ds[0])
	}
	// 30/11/2026 is a Monday; the default settings include weekends.
	// A reminder is useful until the quiet hours of its day, or the
	// deadline when that comes first.
	want := "Mon 23/11 08:00-21:00, Fri 27/11 08:00-21:00, Sun 29/11 08:00-21:00, Mon 30/11 08:00-17:00, !Mon 30/11 17:00-21:00"
	if got := slotTimes(b.Slots(ds[0])); got != want {
		t.Fatalf("slots\n got %s\nwant %s", got, want)
	}
	if got := b.NextDue(); !got.Equal(at(2026, 11, 23, 8, 0)) {
		t.Fatalf("NextDue %v", got)
	}
}

func TestCustomDeadlineOwingAndDone(t *testing.T) {
	b := laoCai(t)
	approve(t, b, lan, "Hội Nông dân tỉnh")
	b.TakeEvents()
	c := addDeadline(t, b, at(2026, 6, 15, 17, 0), "  Nộp   báo cáo 6 tháng ")
	if c.No != 1 || c.Title != "Nộp báo cáo 6 tháng" || c.CreatedBy != admin.UserID {
		t.Fatalf("deadline %+v", c)
	}
	d, ok := b.Deadline("custom:1", t0)
	if !ok || len(d.Owing) != 7 || d.No != 1 || !d.Since.Equal(t0) {
		t.Fatalf("deadline %+v", d)
	}
	final, _ := b.Deadline("final", t0)
	if len(final.Owing) != 7 || !slices.Equal(final.Owing[0].Debts, []Debt{{Kind: DebtDeadline, Name: "Nộp báo cáo 6 tháng"}}) {
		t.Fatalf("final owing %+v", final.Owing)
	}

	if _, err := b.MarkDone(minh, 1, "", t0); !errors.Is(err, ErrNotRepresentative) {
		t.Fatalf("non-rep done: %v", err)
	}
	u1 := b.Units[0].ID
	if _, err := b.MarkDone(lan, 1, u1, t0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("done for another unit: %v", err)
	}
	if _, err := b.MarkDone(lan, 2, "", t0); !errors.Is(err, ErrDeadlineNotFound) {
		t.Fatalf("unknown deadline: %v", err)
	}
	if _, err := b.MarkDone(lan, 1, "", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.MarkDone(lan, 1, "", t0); !errors.Is(err, ErrAlreadyDone) {
		t.Fatalf("done twice: %v", err)
	}
	if _, err := b.MarkDone(admin, 1, u1, t0); err != nil {
		t.Fatalf("admin marks a unit: %v", err)
	}
	d, _ = b.Deadline("custom:1", t0)
	for _, o := range d.Owing {
		if name := b.UnitName(o.UnitID); name == "Hội Nông dân tỉnh" || name == "Ủy ban MTTQ Việt Nam tỉnh" {
			t.Fatalf("%s owes after marking done", name)
		}
	}
	if len(d.Owing) != 5 {
		t.Fatalf("owing %d", len(d.Owing))
	}
	ev := b.TakeEvents()
	if len(ev) != 3 || ev[0].Action != "deadline.add" || ev[0].After != "#1 Nộp báo cáo 6 tháng (15/06/2026 17:00)" ||
		ev[1].Action != "deadline.done" || ev[1].Subject != b.RepOf(lan.UserID).UnitID || ev[2].AsAdmin != true {
		t.Fatalf("events %+v", ev)
	}

	// A deadline after the final one does not count for the year.
	addDeadline(t, b, at(2026, 12, 20, 17, 0), "Hội nghị tổng kết")
	final, _ = b.Deadline("final", t0)
	if len(final.Owing) != 5 || !slices.Equal(final.Owing[0].Debts, []Debt{{Kind: DebtDeadline, Name: "Nộp báo cáo 6 tháng"}}) {
		t.Fatalf("final owing %+v", final.Owing)
	}
	keys := []string{}
	for _, d := range b.Deadlines(t0) {
		keys = append(keys, d.Key)
	}
	if fmt.Sprint(keys) != "[custom:1 final custom:2]" {
		t.Fatalf("order %v", keys)
	}
}

func TestAddDeadlineRules(t *testing.T) {
	b := laoCai(t)
	for _, tt := range []struct {
		a     Actor
		due   time.Time
		title string
		want  error
	}{
		{lan, t0.Add(time.Hour), "A", ErrForbidden},
		{admin, t0, "A", ErrDeadlinePast},
		{admin, t0.Add(-time.Hour), "A", ErrDeadlinePast},
		{admin, t0.AddDate(2, 0, 1), "A", ErrDeadlineTooFar},
		{admin, t0.Add(time.Hour), "   ", ErrDeadlineTitle},
		{admin, t0.Add(time.Hour), strings.Repeat("x", 201), ErrDeadlineTitle},
	} {
		if _, err := b.AddDeadline(tt.a, tt.due, tt.title, t0); !errors.Is(err, tt.want) {
			t.Errorf("AddDeadline(%s, %v, %q) = %v, want %v", tt.a.Name, tt.due, tt.title, err, tt.want)
		}
	}
	if len(b.Schedule.Custom) != 0 || b.Schedule.LastNo != 0 {
		t.Fatalf("refused deadlines stored: %+v", b.Schedule)
	}
	for i := range MaxCustomDeadlines {
		addDeadline(t, b, t0.Add(time.Duration(i+1)*time.Hour), "A")
	}
	if _, err := b.AddDeadline(admin, t0.Add(time.Hour), "B", t0); !errors.Is(err, ErrTooManyDeadlines) {
		t.Fatalf("too many: %v", err)
	}
	if _, err := b.DeleteDeadline(lan, 5, t0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("delete by non-manager: %v", err)
	}
	gone, err := b.DeleteDeadline(admin, 5, t0)
	if err != nil || gone.No != 5 || b.Custom(5) != nil || len(b.Schedule.Custom) != MaxCustomDeadlines-1 {
		t.Fatalf("delete: %+v %v", gone, err)
	}
	if _, err := b.DeleteDeadline(admin, 5, t0); !errors.Is(err, ErrDeadlineNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
	// Numbers are never reused.
	if c := addDeadline(t, b, t0.Add(time.Hour), "C"); c.No != MaxCustomDeadlines+1 {
		t.Fatalf("new number %d", c.No)
	}
}

func TestSlotsQuietHoursWeekendsAndSince(t *testing.T) {
	b := laoCai(t)
	// Created on Friday 13/3/2026 at 10:00 for Monday 23/3 at 07:30.
	created := at(2026, 3, 13, 10, 0)
	c, err := b.AddDeadline(admin, at(2026, 3, 23, 7, 30), "Gửi danh sách", created)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := b.Deadline(CustomKey(c.No), t0)
	// 7 days before (16/3), 3 (Fri 20/3), 1 (Sun 22/3); on the day 08:00 is
	// after 07:30 and dropped. The overdue notice at 07:30 is outside quiet hours.
	want := "Mon 16/03 08:00-21:00, Fri 20/03 08:00-21:00, Sun 22/03 08:00-21:00, !Mon 23/03 07:30-21:00"
	if got := slotTimes(b.Slots(d)); got != want {
		t.Fatalf("slots\n got %s\nwant %s", got, want)
	}

	if err := b.SetReminders(admin, ReminderSettings{Days: []int{1, 14, 3, 7, 3}, At: 9 * 60, QuietFrom: 21 * 60, QuietTo: 7 * 60}, created); err != nil {
		t.Fatal(err)
	}
	if got := b.Reminders(); fmt.Sprint(got.Days) != "[14 7 3 1]" || got.Weekends {
		t.Fatalf("settings %+v", got)
	}
	// 14 days before is before the deadline was set; Sun 22/3 moves to Fri
	// 20/3, which 3 days before is too: one slot.
	want = "Mon 16/03 09:00-21:00, Fri 20/03 09:00-21:00, !Mon 23/03 07:30-21:00"
	if got := slotTimes(b.Slots(d)); got != want {
		t.Fatalf("weekends off\n got %s\nwant %s", got, want)
	}

	// A deadline at 22:30 on a Friday: the overdue notice waits for the end
	// of quiet hours, then for Monday at the reminder time.
	c, _ = b.AddDeadline(admin, at(2026, 4, 3, 22, 30), "Nộp ảnh", created)
	d, _ = b.Deadline(CustomKey(c.No), t0)
	slots := b.Slots(d)
	last := slots[len(slots)-1]
	if !last.Overdue || !last.At.Equal(at(2026, 4, 6, 9, 0)) || !last.Until.Equal(at(2026, 4, 6, 21, 0)) {
		t.Fatalf("overdue notice %s", slotTimes(slots))
	}
	// The day's reminder is useful until the deadline if it comes first.
	if err := b.SetReminders(admin, ReminderSettings{Days: []int{0}, At: 9 * 60}, created); err != nil {
		t.Fatal(err)
	}
	c, _ = b.AddDeadline(admin, at(2026, 4, 8, 10, 0), "Họp", created)
	d, _ = b.Deadline(CustomKey(c.No), t0)
	if got := slotTimes(b.Slots(d)); got != "Wed 08/04 09:00-10:00, !Wed 08/04 10:00-00:00" {
		t.Fatalf("no quiet hours: %s", got)
	}
}

// An overdue notice whose waking window would be shorter than an hour (the
// deadline passes just before midnight or the quiet hours) goes out at the
// next reminder time instead, keeping its id; NextDue agrees.
func TestOverdueNoticeShortWindow(t *testing.T) {
	overdue := func(t *testing.T, b *Block, due time.Time) Slot {
		t.Helper()
		c := addDeadline(t, b, due, "Nộp báo cáo")
		d, _ := b.Deadline(CustomKey(c.No), t0)
		slots := b.Slots(d)
		last := slots[len(slots)-1]
		if !last.Overdue || last.ID != fmt.Sprintf("o:%d", due.Unix()) {
			t.Fatalf("slots %s, last %+v", slotTimes(slots), last)
		}
		if _, err := b.DeleteDeadline(admin, c.No, t0); err != nil {
			t.Fatal(err)
		}
		return last
	}
	for _, tt := range []struct {
		name      string
		settings  ReminderSettings
		due       time.Time
		at, until time.Time
	}{
		// Quiet hours off, a deadline at 23:59 on Monday 30/11: the notice
		// goes out on Tuesday at the reminder time, useful until midnight.
		{"no quiet hours, 23:59", ReminderSettings{Days: []int{1, 0}, At: 8 * 60, Weekends: true},
			at(2026, 11, 30, 23, 59), at(2026, 12, 1, 8, 0), at(2026, 12, 2, 0, 0)},
		// Quiet hours from 21:00, a deadline at 20:30: the next morning.
		{"quiet hours 30 minutes after", ReminderSettings{Days: []int{1, 0}, At: 8 * 60, QuietFrom: 21 * 60, QuietTo: 7 * 60, Weekends: true},
			at(2026, 6, 10, 20, 30), at(2026, 6, 11, 8, 0), at(2026, 6, 11, 21, 0)},
		// Weekends off, a deadline at 23:59 on Friday 3/4: Saturday's
		// reminder time moves on to Monday.
		{"weekends off, landing on Saturday", ReminderSettings{Days: []int{0}, At: 9 * 60},
			at(2026, 4, 3, 23, 59), at(2026, 4, 6, 9, 0), at(2026, 4, 7, 0, 0)},
		// A window of exactly an hour is long enough: unchanged.
		{"an hour before the quiet hours", ReminderSettings{Days: []int{0}, At: 8 * 60, QuietFrom: 21 * 60, QuietTo: 7 * 60, Weekends: true},
			at(2026, 6, 10, 20, 0), at(2026, 6, 10, 20, 0), at(2026, 6, 10, 21, 0)},
		// After midnight, before quiet hours from 00:30: that morning.
		{"after midnight", ReminderSettings{Days: []int{1}, At: 8 * 60, QuietFrom: 30, QuietTo: 6 * 60, Weekends: true},
			at(2026, 6, 10, 0, 10), at(2026, 6, 10, 8, 0), at(2026, 6, 11, 0, 0)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := laoCai(t)
			if err := b.SetReminders(admin, tt.settings, t0); err != nil {
				t.Fatal(err)
			}
			got := overdue(t, b, tt.due)
			if !got.At.Equal(tt.at) || !got.Until.Equal(tt.until) {
				t.Fatalf("overdue notice %s, want %s-%s", slotTimes([]Slot{got}), tt.at.Format("Mon 02/01 15:04"), tt.until.Format("15:04"))
			}
			c := addDeadline(t, b, tt.due, "Nộp báo cáo")
			checkCheapPath(t, tt.name, b)
			d, _ := b.Deadline(CustomKey(c.No), t0)
			for _, s := range b.Slots(d) {
				if !s.Overdue {
					b.MarkSlot(d, s.ID, SlotSent, t0)
				}
			}
			final, _ := b.Deadline("final", t0)
			for _, s := range b.Slots(final) {
				b.MarkSlot(final, s.ID, SlotSent, t0)
			}
			if next := b.NextDue(); !next.Equal(tt.at) {
				t.Fatalf("NextDue %v, want the overdue notice at %v", next, tt.at)
			}
		})
	}
}

func TestSetRemindersRules(t *testing.T) {
	b := laoCai(t)
	b.TakeEvents()
	good := DefaultReminders()
	for _, tt := range []struct {
		a    Actor
		s    ReminderSettings
		want error
	}{
		{lan, good, ErrForbidden},
		{admin, ReminderSettings{Days: nil, At: 8 * 60}, ErrReminderDays},
		{admin, ReminderSettings{Days: []int{61}, At: 8 * 60}, ErrReminderDays},
		{admin, ReminderSettings{Days: []int{-1}, At: 8 * 60}, ErrReminderDays},
		{admin, ReminderSettings{Days: []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, At: 8 * 60}, ErrReminderDays},
		{admin, ReminderSettings{Days: []int{1}, At: 22 * 60, QuietFrom: 21 * 60, QuietTo: 7 * 60}, ErrReminderQuiet},
		{admin, ReminderSettings{Days: []int{1}, At: 6 * 60, QuietFrom: 21 * 60, QuietTo: 7 * 60}, ErrReminderQuiet},
		{admin, ReminderSettings{Days: []int{1}, At: 12 * 60, QuietFrom: 12 * 60, QuietTo: 13 * 60}, ErrReminderQuiet},
		{admin, ReminderSettings{Days: []int{1}, At: 24 * 60}, ErrInvalidDate},
	} {
		if err := b.SetReminders(tt.a, tt.s, t0); !errors.Is(err, tt.want) {
			t.Errorf("SetReminders(%s, %+v) = %v, want %v", tt.a.Name, tt.s, err, tt.want)
		}
	}
	if b.Schedule.Reminders != nil {
		t.Fatal("refused settings stored")
	}
	if err := b.SetReminders(admin, good, t0); !errors.Is(err, ErrUnchanged) || b.Schedule.Reminders != nil || len(b.TakeEvents()) != 0 {
		t.Fatalf("setting the defaults again changed something: %v", err)
	}
	s := good
	s.At, s.Weekends = 7*60, false
	if err := b.SetReminders(admin, s, t0); err != nil {
		t.Fatal(err)
	}
	ev := b.TakeEvents()
	if len(ev) != 1 || ev[0].Action != "reminder.settings" ||
		ev[0].Before != "7,3,1,0 ngày · 08:00 · yên lặng 21:00-07:00 · cả cuối tuần" ||
		ev[0].After != "7,3,1,0 ngày · 07:00 · yên lặng 21:00-07:00 · trừ cuối tuần" {
		t.Fatalf("events %+v", ev)
	}
	// Reminders returns a copy.
	b.Reminders().Days[0] = 99
	if b.Reminders().Days[0] != 7 {
		t.Fatal("Reminders shares its slice")
	}
}

func TestDueSlotsMarkSlotAndNextDue(t *testing.T) {
	b := laoCai(t)
	c := addDeadline(t, b, at(2026, 3, 20, 17, 0), "Báo cáo quý I") // Friday
	d, _ := b.Deadline(CustomKey(c.No), t0)
	if got := b.NextDue(); !got.Equal(at(2026, 3, 13, 8, 0)) {
		t.Fatalf("NextDue %v", got)
	}
	if got := b.DueSlots(at(2026, 3, 13, 7, 59)); len(got) != 0 {
		t.Fatalf("due early: %+v", got)
	}
	// After downtime, three slots are due at once, earliest first; only
	// the day's is still useful.
	due := b.DueSlots(at(2026, 3, 19, 9, 0))
	if len(due) != 3 || due[0].Slot.ID != "d:2026-03-13" || due[1].Slot.ID != "d:2026-03-17" || due[2].Slot.ID != "d:2026-03-19" || due[0].Deadline.Key != d.Key {
		t.Fatalf("due %+v", due)
	}
	if due[0].Slot.Useful(at(2026, 3, 19, 9, 0)) || due[1].Slot.Useful(at(2026, 3, 19, 9, 0)) || !due[2].Slot.Useful(at(2026, 3, 19, 9, 0)) {
		t.Fatal("usefulness")
	}
	b.TakeEvents()
	if !b.MarkSlot(d, due[0].Slot.ID, SlotSkipped, t0) || !b.MarkSlot(d, due[1].Slot.ID, SlotSkipped, t0) ||
		!b.MarkSlot(d, due[2].Slot.ID, SlotSent, t0) || b.MarkSlot(d, due[2].Slot.ID, SlotSent, t0) {
		t.Fatal("MarkSlot results")
	}
	ev := b.TakeEvents()
	if len(ev) != 1 || ev[0].Action != "reminder.sent" || ev[0].ActorName != "thiduabot" || ev[0].Subject != d.Key ||
		!strings.HasPrefix(ev[0].After, "Báo cáo quý I: Ủy ban MTTQ Việt Nam tỉnh, Hội Cựu chiến binh tỉnh") {
		t.Fatalf("events %+v", ev)
	}
	if got := b.NextDue(); !got.Equal(at(2026, 3, 20, 8, 0)) {
		t.Fatalf("NextDue after marking %v", got)
	}
	// Deleting the deadline drops its records; the final deadline remains.
	if _, err := b.DeleteDeadline(admin, c.No, t0); err != nil {
		t.Fatal(err)
	}
	if len(b.Schedule.Handled) != 0 || !b.NextDue().Equal(at(2026, 11, 23, 8, 0)) {
		t.Fatalf("after delete: %+v, next %v", b.Schedule.Handled, b.NextDue())
	}
	// Once every slot is handled, nothing is due.
	final, _ := b.Deadline("final", t0)
	for _, s := range b.Slots(final) {
		b.MarkSlot(final, s.ID, SlotNobody, t0)
	}
	if !b.NextDue().IsZero() {
		t.Fatalf("NextDue %v, want zero", b.NextDue())
	}
}

func TestNoSlotsBeforeTheBlockExisted(t *testing.T) {
	b, err := NewBlock("b", -1, "Khối", 2025, admin, at(2025, 12, 5, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	final, _ := b.Deadline("final", t0)
	if s := b.Slots(final); len(s) != 0 || !b.NextDue().IsZero() {
		t.Fatalf("slots of a final deadline before the block existed: %s", slotTimes(s))
	}
}

func TestRemindNow(t *testing.T) {
	b := laoCai(t)
	if _, err := b.RemindNow(admin, "final", t0); !errors.Is(err, ErrNothingOwed) {
		t.Fatalf("nobody owes: %v", err)
	}
	c := addDeadline(t, b, at(2026, 3, 20, 17, 0), "Báo cáo")
	b.TakeEvents()
	if _, err := b.RemindNow(lan, CustomKey(c.No), t0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("non-manager: %v", err)
	}
	if _, err := b.RemindNow(admin, "custom:9", t0); !errors.Is(err, ErrDeadlineNotFound) {
		t.Fatalf("unknown: %v", err)
	}
	d, err := b.RemindNow(admin, CustomKey(c.No), t0)
	if err != nil || d.Title != "Báo cáo" || len(d.Owing) != 7 {
		t.Fatalf("%+v %v", d, err)
	}
	if ev := b.TakeEvents(); len(ev) != 1 || ev[0].Action != "reminder.now" {
		t.Fatalf("events %+v", ev)
	}
}

// A reminder sent by hand is the deadline's reminder of the day, in the
// block's time zone: RemindNow records the request and changes no slot,
// and once the reminder went out RemindedByHand marks that day's scheduled
// one handled, once; other days' reminders and the overdue notice stay due.
func TestRemindNowTakesTheDaysReminder(t *testing.T) {
	b := laoCai(t)
	c := addDeadline(t, b, at(2026, 3, 20, 17, 0), "Báo cáo") // 13, 17, 19, 20/3 at 08:00
	key := CustomKey(c.No)
	handled := func() string {
		var out []string
		for _, h := range b.Schedule.Handled {
			out = append(out, h.Deadline+" "+h.Slot+" "+string(h.Outcome))
		}
		return strings.Join(out, ", ")
	}
	byHand := func(now time.Time) bool {
		t.Helper()
		if _, err := b.RemindNow(admin, key, now); err != nil {
			t.Fatal(err)
		}
		return b.RemindedByHand(key, now)
	}
	b.TakeEvents()
	// 06:30 on 17/3 in Hanoi is still 16/3 in UTC.
	now := at(2026, 3, 17, 6, 30).UTC()
	if _, err := b.RemindNow(admin, key, now); err != nil {
		t.Fatal(err)
	}
	if got := handled(); got != "" {
		t.Fatalf("handled %q before the reminder went out", got)
	}
	if !b.RemindedByHand(key, now) {
		t.Fatal("the day's reminder was not marked")
	}
	if got := handled(); got != "custom:1 d:2026-03-17 by_hand" {
		t.Fatalf("handled %q", got)
	}
	if ev := b.TakeEvents(); len(ev) != 1 || ev[0].Action != "reminder.now" {
		t.Fatalf("events %+v: the reminder sent by hand is recorded once", ev)
	}
	if due := b.DueSlots(at(2026, 3, 17, 8, 0)); len(due) != 1 || due[0].Slot.ID != "d:2026-03-13" {
		t.Fatalf("due on 17/3 %+v", due)
	}
	b.MarkSlot(Deadline{Key: key}, "d:2026-03-13", SlotSkipped, t0)
	if got := b.NextDue(); !got.Equal(at(2026, 3, 19, 8, 0)) {
		t.Fatalf("NextDue %v, want the reminder of 19/3", got)
	}
	checkCheapPath(t, "after a reminder by hand", b)
	// Again the same day, and on a day without a reminder: nothing more.
	if byHand(at(2026, 3, 17, 10, 0)) || byHand(at(2026, 3, 18, 9, 0)) {
		t.Fatal("marked a slot again")
	}
	if got := handled(); got != "custom:1 d:2026-03-17 by_hand, custom:1 d:2026-03-13 skipped" {
		t.Fatalf("handled %q", got)
	}
	// On the deadline's day the overdue notice stays due.
	byHand(at(2026, 3, 20, 7, 0))
	due := b.DueSlots(at(2026, 3, 20, 17, 0))
	if len(due) != 2 || due[0].Slot.ID != "d:2026-03-19" || !due[1].Slot.Overdue {
		t.Fatalf("due on 20/3 %+v (handled %s)", due, handled())
	}
	if b.RemindedByHand("custom:9", now) {
		t.Fatal("marked a slot of no deadline")
	}
}

// A reminder sent by hand after the deadline is an overdue notice: it
// takes the place of the overdue notice of its day, not of one on another
// day.
func TestRemindedByHandAfterTheDeadline(t *testing.T) {
	b := laoCai(t)
	due := at(2026, 3, 20, 20, 30) // Friday, half an hour before the quiet hours
	c := addDeadline(t, b, due, "Báo cáo")
	key := CustomKey(c.No)
	d, _ := b.Deadline(key, t0)
	slots := b.Slots(d)
	overdue := slots[len(slots)-1]
	if !overdue.Overdue || !overdue.At.Equal(at(2026, 3, 21, 8, 0)) {
		t.Fatalf("overdue notice %+v", overdue)
	}
	for _, s := range slots[:len(slots)-1] {
		b.MarkSlot(d, s.ID, SlotSent, t0)
	}
	if b.RemindedByHand(key, at(2026, 3, 20, 21, 0)) {
		t.Fatal("the evening's overdue notice took the next morning's")
	}
	if !b.RemindedByHand(key, at(2026, 3, 21, 7, 30)) {
		t.Fatal("the morning's overdue notice by hand did not take the scheduled one")
	}
	if due := b.DueSlots(at(2026, 3, 21, 8, 0)); len(due) != 0 {
		t.Fatalf("still due %+v", due)
	}
	if h := b.Schedule.Handled[len(b.Schedule.Handled)-1]; h.Slot != overdue.ID || h.Outcome != SlotByHand {
		t.Fatalf("handled %+v", h)
	}
}

func TestScheduleZoneAndDocument(t *testing.T) {
	b := laoCai(t)
	doc, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(doc), `"schedule"`) {
		t.Fatalf("an empty schedule is stored: %s", doc)
	}
	if b.Location().String() != DefaultZone || b.AdoptZone("") {
		t.Fatal("default zone")
	}
	if !b.AdoptZone("Asia/Bangkok") || b.AdoptZone("Europe/Paris") || b.Location().String() != "Asia/Bangkok" {
		t.Fatalf("adopted %q", b.Schedule.Zone)
	}
	if zone("Nowhere/Atlantis").String() != "UTC+7" {
		t.Fatal("unknown zone fallback")
	}
	addDeadline(t, b, at(2026, 3, 20, 17, 0), "Báo cáo")
	if err := b.SetReminders(admin, ReminderSettings{Days: []int{2}, At: 9 * 60}, t0); err != nil {
		t.Fatal(err)
	}
	doc, _ = json.Marshal(b)
	var back Block
	if err := json.Unmarshal(doc, &back); err != nil {
		t.Fatal(err)
	}
	if !back.NextDue().Equal(b.NextDue()) || back.Reminders().String() != b.Reminders().String() || len(back.Deadlines(t0)) != 2 {
		t.Fatalf("round trip changed the schedule: %s", doc)
	}
}

// The bot's absence from the group is recorded once, by whoever removed it
// (or the bot, told by a refusal), and ended once, each with a history
// entry.
func TestBotAwayAndBack(t *testing.T) {
	b := laoCai(t)
	b.TakeEvents()
	if b.BotAdded(admin, t0) != nil || b.BotBack(t0) {
		t.Fatal("the bot came back without having left")
	}
	if !b.BotRemoved(admin, t0) || b.BotRemoved(admin, t0.Add(time.Hour)) || b.BotGone(t0.Add(time.Hour)) {
		t.Fatal("the removal was not recorded exactly once")
	}
	if away := b.BotAdded(admin, t0.Add(2*time.Hour)); away == nil || away.UserID != admin.UserID || !away.At.Equal(t0) {
		t.Fatalf("BotAdded = %+v, want the removal", away)
	}
	if !b.BotGone(t0.Add(3*time.Hour)) || !b.BotBack(t0.Add(4*time.Hour)) || b.Schedule.Away != nil {
		t.Fatalf("away %+v", b.Schedule.Away)
	}
	var actions []string
	for _, e := range b.TakeEvents() {
		actions = append(actions, e.ActorName+":"+e.Action)
	}
	if got := strings.Join(actions, " "); got != admin.Name+":bot.removed "+admin.Name+":bot.added thiduabot:bot.gone thiduabot:bot.back" {
		t.Fatalf("history %s", got)
	}
}

// A restriction from posting is an absence of its own (Schedule.Muted):
// recorded once, turned into a removal when the bot is removed as well
// (keeping when the absence began), and ended by the bot's return, each
// with a history entry saying which.
func TestBotRestrictedAndFreed(t *testing.T) {
	b := laoCai(t)
	b.TakeEvents()
	if !b.BotRestricted(admin, t0, time.Time{}) || b.BotRestricted(admin, t0.Add(time.Hour), time.Time{}) || b.BotMuted(t0.Add(time.Hour)) || !b.Schedule.Muted {
		t.Fatal("the restriction was not recorded exactly once")
	}
	if away := b.BotAdded(admin, t0.Add(2*time.Hour)); away == nil || !away.At.Equal(t0) || b.Schedule.Muted {
		t.Fatalf("BotAdded = %+v, muted %v; want the restriction ended", away, b.Schedule.Muted)
	}
	if !b.BotMuted(t0.Add(3*time.Hour)) || !b.BotRemoved(admin, t0.Add(4*time.Hour)) || b.Schedule.Muted || !b.Schedule.Away.At.Equal(t0.Add(3*time.Hour)) {
		t.Fatalf("away %+v, muted %v; want removed since the restriction", b.Schedule.Away, b.Schedule.Muted)
	}
	if !b.BotRestricted(admin, t0.Add(5*time.Hour), time.Time{}) || !b.BotBack(t0.Add(6*time.Hour)) || b.Schedule.Away != nil || b.Schedule.Muted {
		t.Fatalf("away %+v, muted %v", b.Schedule.Away, b.Schedule.Muted)
	}
	var actions []string
	for _, e := range b.TakeEvents() {
		actions = append(actions, e.ActorName+":"+e.Action)
	}
	want := admin.Name + ":bot.restricted " + admin.Name + ":bot.unrestricted thiduabot:bot.muted " + admin.Name + ":bot.removed " +
		admin.Name + ":bot.restricted thiduabot:bot.back"
	if got := strings.Join(actions, " "); got != want {
		t.Fatalf("history %s", got)
	}
}

// A restriction with an end keeps the bot away for the scheduler until
// then only (BotAwayAt); a refusal after it records the restriction anew,
// without end, and the return forgets the end.
func TestBotRestrictedUntil(t *testing.T) {
	b := laoCai(t)
	until := t0.Add(24 * time.Hour)
	if b.BotAwayAt(t0) || !b.BotRestricted(admin, t0, until) || !b.BotAwayAt(until.Add(-time.Minute)) || b.BotAwayAt(until) {
		t.Fatalf("restricted until %v: %+v", until, b.Schedule)
	}
	if !b.BotMuted(until.Add(time.Hour)) || !b.BotAwayAt(until.Add(48*time.Hour)) || !b.Schedule.MutedUntil.IsZero() || !b.Schedule.Away.At.Equal(t0) {
		t.Fatalf("refused after the restriction's end: %+v", b.Schedule)
	}
	if b.BotMuted(until.Add(2 * time.Hour)) {
		t.Fatal("a second refusal was recorded")
	}
	if !b.BotRestricted(admin, until.Add(3*time.Hour), until.Add(4*time.Hour)) || !b.BotBack(until.Add(5*time.Hour)) || b.BotAwayAt(until) || !b.Schedule.MutedUntil.IsZero() {
		t.Fatalf("back: %+v", b.Schedule)
	}
	if !b.BotRemoved(admin, until.Add(6*time.Hour)) || !b.BotAwayAt(until.Add(100*time.Hour)) {
		t.Fatalf("removed: %+v", b.Schedule)
	}
}
