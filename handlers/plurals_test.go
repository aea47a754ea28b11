package handlers_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"thiduabot/bot"
	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// englishAdmin adds John, a group administrator whose Telegram speaks
// English, to the harness's group.
func englishAdmin(h *harness) *telegramtest.User {
	john := h.tg.NewUser("John", "john_admin", telegramtest.Lang("en"))
	h.group.SetStatus(john, telegramtest.StatusAdministrator)
	return john
}

// rawChoice finds a choice of English forms, "{unit|units}", that F or
// Fill should have made.
var rawChoice = regexp.MustCompile(`\{[^{}]*\|[^{}]*\}`)

// noRawChoices fails if a message of the bot in the group shows a choice
// of English forms as it is written in the text.
func noRawChoices(h *harness) {
	h.t.Helper()
	for _, m := range h.tg.Messages(h.group.ID) {
		if c := rawChoice.FindString(m.Text); c != "" {
			h.t.Fatalf("the bot wrote %q in %q", c, m.Text)
		}
	}
}

// English counts of units, representatives, pledges, criteria, reporting
// periods and history entries take the singular for one and the plural
// for two, in answers to an English speaker's own commands.
func TestEnglishCountsOfTheBlock(t *testing.T) {
	h := newHarness(t)
	john := englishAdmin(h)
	h.say(h.group, john, "/setup Khối thi đua")

	m := h.say(h.group, john, "/addunit Hội Nông dân tỉnh")
	expect(t, m.Text, "✅ Added 1 unit:", "The block now has 1 unit. Send /units")
	m = h.say(h.group, john, "/addunit Tỉnh Đoàn\nHội Cựu chiến binh tỉnh")
	expect(t, m.Text, "✅ Added 2 units:", "The block now has 3 units. Send /units")
	if n := len(h.block().Units); n != 3 {
		t.Fatalf("%d units", n)
	}

	mary := h.member("Mary", "mary", telegramtest.Lang("en"))
	h.join(mary, "Hội Nông dân tỉnh")
	m = h.say(h.group, john, "/removeunit 1")
	expect(t, m.Text, "Its 1 representative will be removed too.")
	h.join(h.member("Lan", "lan"), "Hội Nông dân tỉnh")
	m = h.say(h.group, john, "/removeunit 1")
	expect(t, m.Text, "Its 2 representatives will be removed too.")
	if n := len(h.block().RepsOf(h.block().Units[0].ID)); n != 2 {
		t.Fatalf("the question removed representatives: %d left", n)
	}

	h.say(h.group, john, "/openreg")
	m = h.say(h.group, mary, "/pledge Xây 10 nhà đại đoàn kết | 10 nhà")
	expect(t, m.Text, "✅ Recorded 1 pledge of Hội Nông dân tỉnh:", "The list now has 1 pledge (see /pledges).")
	m = h.say(h.group, mary, "/pledge Phát triển 50 hội viên | 50 hội viên\nThành lập 2 tổ hợp tác | 2 tổ")
	expect(t, m.Text, "✅ Recorded 2 pledges of Hội Nông dân tỉnh:", "The list now has 3 pledges (see /pledges).")
	m = h.say(h.group, mary, "/delpledge 3")
	expect(t, m.Text, "🗑 Removed pledge 3 of Hội Nông dân tỉnh", "2 pledges remain.")
	m = h.say(h.group, mary, "/delpledge 2")
	expect(t, m.Text, "🗑 Removed pledge 2 of Hội Nông dân tỉnh", "1 pledge remains.")
	if ps := h.block().RegistrationOf(h.block().Units[0].ID).Pledges; len(ps) != 1 || ps[0].Title != "Xây 10 nhà đại đoàn kết" {
		t.Fatalf("pledges %+v", ps)
	}

	m = h.say(h.group, john, "/criteria add Công tác tuyên truyền | 1")
	expect(t, m.Text, "✅ Added 1 criterion.", "1. Công tác tuyên truyền — at most 1 point\n")
	m = h.say(h.group, john, "/criteria add Công tác phát triển hội viên | 20\nCông tác an sinh | 29")
	expect(t, m.Text, "✅ Added 2 criteria.", "2. Công tác phát triển hội viên — at most 20 points")
	if n := len(h.block().Registration.Criteria); n != 3 {
		t.Fatalf("%d criteria", n)
	}

	m = h.say(h.group, john, "/period Quý I | 31/03/2026")
	expect(t, m.Text, "✅ Added 1 reporting period.")
	m = h.say(h.group, john, "/period Quý II | 30/06/2026\nQuý III | 30/09/2026")
	expect(t, m.Text, "✅ Added 2 reporting periods.")
	if n := len(h.block().Periods()); n != 3 {
		t.Fatalf("%d periods", n)
	}

	expect(t, h.say(h.group, mary, "/history 1").Text, "Change history (last 1 entry of ")
	expect(t, h.say(h.group, mary, "/history 2").Text, "Change history (last 2 entries of ")
	noRawChoices(h)
}

// English counts of days, of units still to finish a deadline and of the
// days before it the reminders go out.
func TestEnglishCountsOfDays(t *testing.T) {
	h := newHarness(t) // now: Monday 2/3/2026 09:00
	john := englishAdmin(h)
	h.setUp()
	h.say(h.group, john, "/deadline 04/03/2026 | Nộp báo cáo")
	for _, c := range []struct {
		day  int
		left string
	}{{2, "2 days left"}, {3, "1 day left"}, {5, "1 day overdue"}, {6, "2 days overdue"}} {
		h.now = at(3, c.day, 9, 0)
		expect(t, h.say(h.group, john, "/deadlines").Text, "#1 Nộp báo cáo — 04/03/2026 17:00 ("+c.left+")")
	}

	doneByAdmin(h, 1, ccb, nongDan)
	m := h.say(h.group, john, "/done 1 Hội Cựu chiến binh tỉnh")
	expect(t, m.Text, "✅ Hội Cựu chiến binh tỉnh has met «Nộp báo cáo» (deadline #1).", "Still to finish: 1 of 7 units.")
	if d := h.block().Custom(1); len(d.Done) != 6 {
		t.Fatalf("done %v", d.Done)
	}
	h.say(h.group, john, "/deadline 30/04/2026 | Nộp danh sách")
	doneByAdmin(h, 2, ccb, nongDan, doan)
	m = h.say(h.group, john, "/done 2 Hội Cựu chiến binh tỉnh")
	expect(t, m.Text, "Still to finish: 2 of 7 units.")

	m = h.say(h.group, john, "/remind 1 08:00")
	expect(t, m.Text, "✅ Reminders changed:", "Reminders 1 day before, at 08:00")
	if days := h.block().Reminders().Days; len(days) != 1 || days[0] != 1 {
		t.Fatalf("reminder days %v", days)
	}
	m = h.say(h.group, john, "/remind 2,1")
	expect(t, m.Text, "Reminders 2, 1 days before, at 08:00")
	m = h.say(h.group, john, "/remind 2")
	expect(t, m.Text, "Reminders 2 days before, at 08:00")
	noRawChoices(h)
}

// English counts of the pledges a report leaves out, of the units an award
// proposes and of the reports of a period deleted: one report is that
// report, which the history keeps, two are those reports.
func TestEnglishCountsOfResults(t *testing.T) {
	h := newHarness(t)
	john := englishAdmin(h)
	h.setUp()
	mary := h.member("Mary", "mary", telegramtest.Lang("en"))
	h.join(mary, nongDan)
	h.say(h.group, john, "/openreg")
	h.say(h.group, mary, "/pledge Xây 10 nhà | 10 nhà\nPhát triển 50 hội viên | 50 hội viên\nThành lập 2 tổ | 2 tổ")
	h.say(h.group, john, "/period Quý I | 31/03/2026")

	m := h.say(h.group, mary, "/report Quý I\n1 4\n2 20")
	expect(t, m.Text, "Not reported: pledge 3.")
	m = h.say(h.group, mary, "/report Quý I\n1 5")
	expect(t, m.Text, "Not reported: pledges 2, 3.")
	if rep, ok := h.block().Report(h.block().Units[2].ID, h.block().Periods()[0].ID); !ok || len(rep.Entries) != 1 || rep.Revision != 2 {
		t.Fatalf("report %+v", rep)
	}

	m = h.say(h.group, john, "/award Bằng khen của UBND tỉnh | 3")
	expect(t, m.Text, "✅ Recorded the proposal of Bằng khen của UBND tỉnh for 1 unit (by John)")
	m = h.say(h.group, john, "/award Cờ thi đua của UBND tỉnh | 1, 2")
	expect(t, m.Text, "✅ Recorded the proposal of Cờ thi đua của UBND tỉnh for 2 units")
	m = h.say(h.group, john, "/award")
	expect(t, m.Text, "Bằng khen của UBND tỉnh — 1 unit\n", "Cờ thi đua của UBND tỉnh — 2 units")
	if n := len(h.block().Registration.Proposals); n != 2 {
		t.Fatalf("%d proposals", n)
	}

	lan := h.member("Lan", "lan")
	h.join(lan, ccb)
	h.say(h.group, lan, "/pledge Kết nạp 30 hội viên | 30 hội viên")
	h.say(h.group, john, "/period Quý II | 30/06/2026")
	h.say(h.group, mary, "/report Quý II\n1 6")
	h.say(h.group, lan, "/report Quý II\n1 12")
	for i, c := range []struct{ period, asked, deleted, kept string }{
		{"Quý I", "has 1 report from units. Deleting it deletes it too (with its evidence); the history keeps its contents.",
			"the units' 1 report", "The history keeps that report."},
		{"Quý II", "has 2 reports from units. Deleting it deletes them too (with their evidence); the history keeps their contents.",
			"the units' 2 reports", "The history keeps those reports."},
	} {
		ask := h.say(h.group, john, "/period delete "+c.period)
		expect(t, ask.Text, c.asked)
		h.press(h.group, john, ask, ask.Buttons[0][0].Data)
		expect(t, h.message(ask.ID).Text, c.deleted, c.kept)
		if n := len(h.block().Periods()); n != 1-i {
			t.Fatalf("%d periods left after deleting %s", n, c.period)
		}
	}
	noRawChoices(h)
}

// An English speaker reads the votes of each candidate, one or more, in
// the result of an election.
func TestEnglishCountsOfVotes(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/elect khoitruong")
	h.votes(reps, nongDan, nongDan, nongDan, ccb, ccb, ldld, nongDan)
	h.say(h.group, h.admin, "/closevote")
	if e := h.lastElection(); e.State != thidua.ElectionWon {
		t.Fatalf("state %s", e.State)
	}
	john := h.member("John", "john", telegramtest.Lang("en"))
	m := h.say(h.group, john, "/result")
	expect(t, m.Text, "(fixed at the opening, 7 units)", "• Hội Nông dân tỉnh: 4 votes — receipts: ", "• Hội Cựu chiến binh tỉnh: 2 votes — receipts: ",
		"• Liên đoàn Lao động tỉnh: 1 vote — receipts: ", "• Hội Liên hiệp Phụ nữ tỉnh: 0 votes\n", "is elected leader for 2027 with 4/7 votes.")
	noRawChoices(h)
}

// hasLine fails unless text has a line that is exactly line.
func hasLine(t *testing.T, text, line string) {
	t.Helper()
	if !slices.Contains(strings.Split(text, "\n"), line) {
		t.Fatalf("%q has no line %q", text, line)
	}
}

// In a group whose language is English, the ballot, the close of a voting
// every unit took part in, the result and a reminder agree with their
// counts too.
func TestEnglishCountsInAnEnglishGroup(t *testing.T) {
	h := newHarness(t, groupLang(bot.EN))
	h.say(h.group, h.admin, "/setup Khối thi đua")
	h.say(h.group, h.admin, "/addunit Hội Nông dân tỉnh")
	mary := h.member("Mary", "mary")
	ask := h.say(h.group, mary, "/join 1")
	expect(t, ask.Text, "asks to represent Hội Nông dân tỉnh")
	h.press(h.group, h.admin, ask, ask.Buttons[0][0].Data)

	h.say(h.group, h.admin, "/elect khoitruong")
	hasLine(t, h.ballot().Text, "Voted: 0/1 unit")
	h.vote(mary, "Hội Nông dân tỉnh")
	e := h.lastElection()
	if e.State != thidua.ElectionWon || e.CloseReason != thidua.ClosedAllVoted {
		t.Fatalf("state %s, closed %s", e.State, e.CloseReason)
	}
	msgs := h.tg.Messages(h.group.ID)
	closed, result := msgs[len(msgs)-2], msgs[len(msgs)-1]
	hasLine(t, closed.Text, "🗳 All 1/1 unit has voted for the leader for 2027 — voting is closed.")
	hasLine(t, result.Text, "🎉 Hội Nông dân tỉnh is elected leader for 2027 with 1/1 vote.")
	hasLine(t, result.Text, "• Hội Nông dân tỉnh: 1 vote")

	h.say(h.group, h.admin, "/addunit Tỉnh Đoàn")
	h.say(h.group, h.admin, "/deadline 03/03/2026 | Nộp báo cáo")
	h.say(h.group, h.admin, "/remindnow 1")
	var reminder string
	for _, m := range h.tg.Messages(h.group.ID) {
		if strings.HasPrefix(m.Text, "⏰ Reminder: Nộp báo cáo") {
			reminder = m.Text
		}
	}
	hasLine(t, reminder, "Due: 03/03/2026 17:00 (1 day left).")
	hasLine(t, reminder, "Still to finish (2 of 2 units):")
	if d := h.block().Custom(1); len(d.Done) != 0 {
		t.Fatalf("done %v", d.Done)
	}
	noRawChoices(h)
}
