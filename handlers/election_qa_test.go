package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// The defects the election walkthrough (TestElectionWalkthrough) found,
// each on its own.

// /result without an office gives the counting records of both offices,
// the leader's first, in the year and for a year the block turned from:
// the turn's messages point to /result 2026 for "the counting records of
// the elections of 2026 (the leader and deputy for 2027)".
func TestResultWithoutAnOfficeShowsBothOffices(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	electedLeader(h, reps)
	h.say(h.group, h.admin, "/bau khoipho")
	h.votes(reps, ldld, ldld, ldld, ccb, ldld)
	h.now = h.now.Add(time.Hour)
	h.say(h.group, h.admin, "/dongbau")
	leader := h.say(h.group, reps[0], "/ketqua khoitruong").Text
	deputy := h.say(h.group, reps[0], "/ketqua khoipho").Text
	if got := h.say(h.group, reps[0], "/ketqua").Text; got != leader+"\n\n"+deputy {
		t.Fatalf("/result without an office shows\n%s\nnot both records, the leader's first", got)
	}
	ask := h.turnYear(time.Date(2026, 12, 1, 9, 0, 0, 0, hcm))
	expect(t, h.message(ask.ID).Text, "biên bản kiểm phiếu: /result 2026")
	expect(t, h.say(h.group, reps[0], "/ketqua").Text, "Biên bản kiểm phiếu các cuộc bầu năm 2026 (Khối trưởng, Khối phó năm 2027): /result 2026")
	if got := h.say(h.group, reps[0], "/ketqua 2026").Text; got != leader+"\n\n"+deputy {
		t.Fatalf("/result 2026 shows\n%s\nnot both records of 2026", got)
	}
}

// While one office's election is open and the other's closed, /result
// gives the closed one's record and the open one's ballot.
func TestResultWithoutAnOfficeDuringTheOtherElection(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/bau khoitruong")
	h.votes(reps, nongDan, nongDan, nongDan, ccb, nongDan)
	h.say(h.group, h.admin, "/dongbau")
	h.say(h.group, h.admin, "/bau khoipho")
	n := len(h.tg.Messages(h.group.ID))
	ballot := h.say(h.group, reps[1], "/ketqua")
	msgs := h.tg.Messages(h.group.ID)[n:]
	if len(msgs) != 2 { // the record, the ballot
		t.Fatalf("/result said %d messages", len(msgs))
	}
	expect(t, msgs[0].Text, "📋 Biên bản kiểm phiếu — bầu Khối trưởng năm 2027", "🎉 Hội Nông dân tỉnh trúng cử")
	expect(t, ballot.Text, "🗳 Bầu Khối phó năm 2027\n", "Đã bỏ phiếu: 0/7 đơn vị")
	if len(ballot.Buttons) == 0 || h.lastElection().MessageID != ballot.ID {
		t.Fatalf("the deputy's ballot was not posted again: %+v", ballot)
	}
}

// A press once the closing time has come, before the scheduler's tick, is
// refused, and closes the vote as the scheduler would: the result is
// announced, and the pressed ballot shows the vote closed rather than
// open without its buttons. The scheduler then has nothing to announce.
func TestPressAtClosingTimeClosesTheVote(t *testing.T) {
	w, reps := votingDue(t)
	h := w.harness
	ballot := h.ballot()
	n := len(h.tg.Messages(h.group.ID))
	a := h.vote(reps[6], ccb)
	expect(t, a.Text, "Cuộc bầu này đã kết thúc, phiếu không được ghi nhận.")
	closed := h.message(ballot.ID)
	expect(t, closed.Text, "🔚 Đã kết thúc bỏ phiếu lúc 02/03/2026 11:00. Kết quả và biên bản: /result khoitruong", "Đã bỏ phiếu: 5/7 đơn vị")
	if strings.Contains(closed.Text, "⏰ Kết thúc") || len(closed.Buttons) != 0 {
		t.Fatalf("the pressed ballot:\n%s\n%v", closed.Text, closed.Buttons)
	}
	w.closedOnTime(h.tg.Messages(h.group.ID)[n:])
}

// votingDue opens the leader election on 02/03/2026 to close at 11:00, has
// five units vote, four for Hội Nông dân tỉnh, and sets the clock to the
// closing time, which the scheduler's tick has not reached yet.
func votingDue(t *testing.T) (*walk, []*telegramtest.User) {
	w := &walk{harness: newHarness(t)}
	h := w.harness
	reps := electorate(h)
	h.say(h.group, h.admin, "/bau khoitruong | đóng: 02/03/2026 11:00")
	h.votes(reps, nongDan, nongDan, nongDan, ccb, nongDan)
	h.now = time.Date(2026, 3, 2, 11, 0, 0, 0, hcm)
	return w, reps
}

// closedOnTime checks that msgs announce the election of votingDue won on
// time and stored so, and that the scheduler's tick then posts nothing.
func (w *walk) closedOnTime(msgs []telegramtest.Message) {
	w.t.Helper()
	expect(w.t, w.posted(msgs, "🗳 Kết quả bầu Khối trưởng năm 2027"), "🎉 Hội Nông dân tỉnh trúng cử Khối trưởng năm 2027 với 4/5 phiếu.")
	if e := w.lastElection(); e.State != thidua.ElectionWon || e.CloseReason != thidua.ClosedOnTime || e.AnnouncePending {
		w.t.Fatalf("the election stored: %+v", e)
	}
	if got := w.ticked(3, 2, 11, 1); len(got) != 0 {
		w.t.Fatalf("the scheduler announced it again: %q", got[0].Text)
	}
}

// /result once the closing time has come, before the scheduler's tick,
// closes the vote and announces the result, rather than posting a ballot
// whose every button would be refused.
func TestResultAtClosingTimeClosesTheVote(t *testing.T) {
	w, reps := votingDue(t)
	h := w.harness
	n := len(h.tg.Messages(h.group.ID))
	h.say(h.group, reps[0], "/ketqua")
	got := h.tg.Messages(h.group.ID)[n:]
	for _, m := range got {
		if len(m.Buttons) != 0 {
			t.Fatalf("/result at the closing time posted a ballot:\n%s", m.Text)
		}
	}
	w.closedOnTime(got)
}

// /result more than a day after the closing time, the scheduler not
// having ticked since (the bot was down), closes the vote, whose result
// is too old to announce to the group (see closeDueElections): the asker
// is answered with the result's record, not left with nothing, nor told
// that there was no election; a press of the ballot then shows it closed.
func TestResultLongAfterClosingTimeAnswers(t *testing.T) {
	w, reps := votingDue(t)
	h := w.harness
	ballot := h.ballot()
	h.now = time.Date(2026, 3, 3, 12, 0, 0, 0, hcm)
	n := len(h.tg.Messages(h.group.ID))
	h.say(h.group, reps[0], "/ketqua")
	got := h.tg.Messages(h.group.ID)[n:]
	if len(got) != 1 {
		t.Fatalf("/result got %d answers: %v", len(got), got)
	}
	expect(t, got[0].Text, "📋 Biên bản kiểm phiếu — bầu Khối trưởng năm 2027", "🎉 Hội Nông dân tỉnh trúng cử Khối trưởng năm 2027 với 4/5 phiếu.")
	expect(t, h.vote(reps[6], ccb).Text, "Cuộc bầu này đã kết thúc")
	if m := h.message(ballot.ID); len(m.Buttons) != 0 {
		t.Fatalf("the ballot keeps its buttons:\n%s", m.Text)
	}
}

// /result of both offices at the closing time of the leader's election,
// which it closes and announces, says nothing more of the deputy's, of
// which there is none: not that there was no election at all.
func TestResultAtClosingTimeSaysNoMore(t *testing.T) {
	w, reps := votingDue(t)
	h := w.harness
	n := len(h.tg.Messages(h.group.ID))
	h.say(h.group, reps[0], "/ketqua")
	for _, m := range h.tg.Messages(h.group.ID)[n:] {
		if strings.Contains(m.Text, "Chưa có cuộc bầu nào") {
			t.Fatalf("after the result, /result says: %q", m.Text)
		}
	}
}

// /result of the deputy's office alone at the closing time of the
// leader's election, which it closes and announces, still answers what
// was asked: that there is no deputy's election, the leader's result being
// no answer to it.
func TestResultOfTheOtherOfficeAtClosingTimeAnswers(t *testing.T) {
	w, reps := votingDue(t)
	h := w.harness
	n := len(h.tg.Messages(h.group.ID))
	h.say(h.group, reps[0], "/ketqua khoipho")
	got := h.tg.Messages(h.group.ID)[n:]
	w.closedOnTime(got)
	expect(t, w.posted(got, "Chưa có cuộc bầu Khối phó nào"), "/elect khoipho")
}

// A ballot posted again by /result takes over from the earlier copy, which
// loses its buttons and points to the new one: otherwise the earlier copy
// kept its buttons after the close and stopped following the votes.
func TestBallotPostedAgainRetiresTheEarlierCopy(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	first := h.say(h.group, h.admin, "/bau khoitruong")
	h.votes(reps, nongDan, ccb)
	again := h.say(h.group, reps[2], "/ketqua")
	if again.ID == first.ID || len(again.Buttons) != 6 {
		t.Fatalf("the ballot was not posted again: %+v", again)
	}
	old := h.message(first.ID)
	if old.Text != "🗳 Bầu Khối trưởng năm 2027\n⬇️ Phiếu bầu đã được gửi lại ở tin nhắn mới bên dưới: bấm chọn ứng viên trên phiếu đó." || len(old.Buttons) != 0 {
		t.Fatalf("the earlier copy:\n%s\n%v", old.Text, old.Buttons)
	}
	h.votes(reps[2:], nongDan, nongDan, nongDan)
	h.say(h.group, h.admin, "/dongbau")
	e := h.block().LatestElection(thidua.RoleLeader)
	for _, m := range h.tg.Messages(h.group.ID) {
		for _, row := range m.Buttons {
			if strings.HasPrefix(row[0].Data, "ev:"+e.ID+":") {
				t.Fatalf("message %d keeps the closed ballot's buttons:\n%s", m.ID, m.Text)
			}
		}
	}
	expect(t, h.message(again.ID).Text, "🔚 Đã kết thúc bỏ phiếu", "Đã bỏ phiếu: 5/7 đơn vị")
}

// A unit elected and then removed from the block (merged into another, as
// mass organizations are) does not take the office at the turn of the
// year: /units says so, and how to elect again, rather than naming it
// elected as if nothing happened while /newyear keeps this year's holder.
func TestUnitsSaysARemovedElectedUnitWillNotTakeOffice(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	electedLeader(h, reps)
	ask := h.say(h.group, h.admin, "/xoadonvi "+nongDan)
	h.press(h.group, h.admin, ask, button(t, ask, "🗑 Xoá"))
	units := h.say(h.group, reps[0], "/donvi").Text
	expect(t, units, "Khối trưởng năm 2027 (đã bầu): Hội Nông dân tỉnh — đơn vị đã bị xoá khỏi khối nên không nhận chức; bầu lại: /elect khoitruong\n")
	john := h.member("John", "", telegramtest.Lang("en"))
	expect(t, h.say(h.group, john, "/units").Text, "Elected leader for 2027: Hội Nông dân tỉnh — the unit was removed from the block and will not take office; elect again: /elect leader\n")
	h.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	expect(t, h.say(h.group, h.admin, "/nammoi").Text, "Năm 2027: Khối trưởng Tỉnh Đoàn (như năm 2026)")
}

// The deadline of an election reads in English to an English-language
// user, a runoff's too, not "Election: Bầu Khối trưởng năm 2027".
func TestElectionDeadlineInEnglish(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	john := h.member("John", "", telegramtest.Lang("en"))
	h.say(h.group, h.admin, "/bau khoitruong | đóng: 02/03/2026 17:00")
	expect(t, h.say(h.group, john, "/deadlines").Text, "• Election of the leader for 2027 — 02/03/2026 17:00 (due today)\n   Not done (7/7): ")
	expect(t, h.say(h.group, reps[0], "/dshan").Text, "• Bầu Khối trưởng năm 2027 — 02/03/2026 17:00 (hạn hôm nay)\n")
	h.votes(reps, nongDan, nongDan, nongDan, ldld, ldld, ldld)
	h.say(h.group, h.admin, "/dongbau")
	expect(t, h.say(h.group, john, "/deadlines").Text, "• Election of the leader for 2027 (round 2) — 02/03/2026 17:00 (due today)\n")
	expect(t, h.say(h.group, reps[0], "/dshan").Text, "• Bầu Khối trưởng năm 2027 (vòng 2) — 02/03/2026 17:00 (hạn hôm nay)\n")
}

// «kín» and «công khai» together are two choices that exclude each other,
// not an option given twice; either way nothing opens.
func TestElectSecretAndOpenTogether(t *testing.T) {
	h := newHarness(t)
	electorate(h)
	version := h.block().Version
	m := h.say(h.group, h.admin, "/bau khoitruong | kín | công khai")
	expect(t, m.Text, "Chỉ chọn một trong hai: «kín» (bỏ phiếu kín, mặc định) hoặc «công khai».", "Cú pháp: /elect khoitruong|khoipho")
	expect(t, h.say(h.group, h.admin, "/bau khoitruong | công khai | công khai").Text, "Tuỳ chọn «công khai» bị ghi hai lần.")
	if b := h.block(); b.Version != version || len(b.Elections.List) != 0 {
		t.Fatal("a refused /elect changed the block")
	}
}

// The elections of the year elect the leader and deputy for the next:
// /result 2027 in 2026, as the ballots and results read "năm 2027", says
// where they are rather than that the bot keeps no data of 2027.
func TestResultOfTheYearElectedFor(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/bau khoitruong")
	expect(t, h.say(h.group, reps[0], "/ketqua 2027").Text, "Khối trưởng, Khối phó năm 2027 được bầu trong năm thi đua 2026: xem bằng /result.")
	expect(t, h.say(h.group, reps[0], "/ketqua khoitruong 2027").Text, "Khối trưởng, Khối phó năm 2027 được bầu trong năm thi đua 2026: xem bằng /result.")
	john := h.member("John", "", telegramtest.Lang("en"))
	expect(t, h.say(h.group, john, "/result 2027").Text, "The leader and deputy for 2027 are elected in the emulation year 2026: see /result.")
	expect(t, h.say(h.group, john, "/result 2028").Text, "The block has no data of 2028")
}

// The history of a vote names the voter's unit in brackets, as every entry
// names the unit it is about; the wording says it is that unit's vote, not
// the unit voted for, which "An: voted for leader [Ủy ban MTTQ Việt Nam
// tỉnh]" seemed to say of a secret ballot.
func TestHistoryOfAVoteNamesTheVotersUnit(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	lan := h.member("Lan", "")
	h.join(lan, mttq)
	h.say(h.group, h.admin, "/bau khoitruong")
	h.vote(reps[0], nongDan)
	h.vote(lan, ccb)
	expect(t, h.say(h.group, reps[1], "/lichsu 2").Text, "An: bỏ phiếu của đơn vị trong cuộc bầu Khối trưởng [Ủy ban MTTQ Việt Nam tỉnh]\n",
		"Lan: bấm lại phiếu của đơn vị trong cuộc bầu Khối trưởng [Ủy ban MTTQ Việt Nam tỉnh]")
	john := h.member("John", "", telegramtest.Lang("en"))
	expect(t, h.say(h.group, john, "/history 2").Text, "An: cast the unit's vote in the leader election [Ủy ban MTTQ Việt Nam tỉnh]\n",
		"Lan: pressed the unit's vote again in the leader election [Ủy ban MTTQ Việt Nam tỉnh]")
}

// A representative the leader unit's representative, not a group
// administrator, approves while elections are open cannot vote in them
// (thidua.ErrVoterTooNew). The approval says so at once, naming the
// elections and their closing times, and what works: /leave, /join again,
// and a group administrator's approval; so does the newcomer's direct
// message, in their language. An administrator's approval, which lets
// them vote, says nothing of it.
func TestApprovalDuringAnElectionSaysTheNewcomerCannotVote(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/bau khoitruong | đóng: 02/03/2026 17:00")
	h.say(h.group, h.admin, "/bau khoipho | đóng: 03/03/2026 11:00")
	h.now = h.now.Add(10 * time.Minute)
	h.say(h.group, reps[3], "/roikhoi")
	duc := h.member("Đức", "")
	h.handled(h.tg.SendPrivate(duc, "/start"))
	h.say(h.group, duc, "/thamgia "+ldld)
	ask := h.withButton("jd:")
	h.press(h.group, reps[5], ask, ask.Buttons[0][0].Data)
	elections := "Bầu Khối trưởng năm 2027, kết thúc 02/03/2026 17:00; Bầu Khối phó năm 2027, kết thúc 03/03/2026 11:00."
	expect(t, h.message(ask.ID).Text, "✅ Đức là đầu mối của Liên đoàn Lao động tỉnh (duyệt bởi Hà).\n"+
		"⚠️ Đức được duyệt sau khi mở bầu, không phải bởi quản trị viên nhóm, nên chưa bỏ phiếu được trong: "+elections+
		" Để Đức bỏ phiếu: Đức gửi /leave, rồi /join Liên đoàn Lao động tỉnh, và một quản trị viên nhóm bấm duyệt.")
	dm, _ := h.tg.LastMessage(duc.ID)
	expect(t, dm.Text, "Bạn đã được duyệt là đầu mối của Liên đoàn Lao động tỉnh", "\n⚠️ Bạn được duyệt sau khi mở bầu, không phải bởi quản trị viên nhóm, nên chưa bỏ phiếu được trong: "+elections+
		" Để bỏ phiếu: gửi /leave trong nhóm, rồi /join Liên đoàn Lao động tỉnh, và nhờ một quản trị viên nhóm duyệt.")
	expect(t, h.vote(duc, ldld).Text, "Xin lỗi, bạn được duyệt làm đầu mối sau khi cuộc bầu này bắt đầu")

	// John, a second representative of the Red Cross, reads his in English.
	john := h.member("John", "", telegramtest.Lang("en"))
	h.handled(h.tg.SendPrivate(john, "/start"))
	h.say(h.group, john, "/join "+ctd)
	ask = h.withButton("jd:")
	h.press(h.group, reps[5], ask, ask.Buttons[0][0].Data)
	expect(t, h.message(ask.ID).Text, "⚠️ John được duyệt sau khi mở bầu")
	dm, _ = h.tg.LastMessage(john.ID)
	expect(t, dm.Text, "\n⚠️ You were approved after the voting opened, and not by a group administrator, so you cannot vote in: "+
		"Election of the leader for 2027, closing 02/03/2026 17:00; Election of the deputy for 2027, closing 03/03/2026 11:00. "+
		"To vote: send /leave in the group, then /join Hội Chữ thập đỏ tỉnh, and ask a group administrator to approve you.")

	// The way the message gives works, and an administrator's approval
	// warns of nothing.
	h.say(h.group, duc, "/roikhoi")
	h.say(h.group, duc, "/thamgia "+ldld)
	ask = h.withButton("jd:")
	h.press(h.group, h.admin, ask, ask.Buttons[0][0].Data)
	if text := h.message(ask.ID).Text; strings.Contains(text, "⚠️") {
		t.Fatalf("an administrator's approval warns: %q", text)
	}
	if dm, _ := h.tg.LastMessage(duc.ID); strings.Contains(dm.Text, "⚠️") {
		t.Fatalf("the direct message after an administrator's approval warns: %q", dm.Text)
	}
	expect(t, h.vote(duc, ldld).Text, "✅ Đã ghi nhận phiếu của Liên đoàn Lao động tỉnh")
}

// With no election open, or only one whose roll lacks the newcomer's unit
// (added after the opening, it does not vote in it whoever approves), the
// leader unit's approval warns of nothing.
func TestApprovalWarnsOnlyOfElectionsTheUnitVotesIn(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	lan := h.member("Lan", "")
	h.say(h.group, lan, "/thamgia "+nongDan)
	ask := h.withButton("jd:")
	h.press(h.group, reps[5], ask, ask.Buttons[0][0].Data)
	expect(t, h.message(ask.ID).Text, "✅ Lan là đầu mối của Hội Nông dân tỉnh (duyệt bởi Hà).")
	if text := h.message(ask.ID).Text; strings.Contains(text, "⚠️") {
		t.Fatalf("an approval with no election open warns: %q", text)
	}
	h.say(h.group, h.admin, "/bau khoitruong")
	h.now = h.now.Add(10 * time.Minute)
	h.say(h.group, h.admin, "/addunit Hội Khuyến học tỉnh")
	son := h.member("Sơn", "")
	h.say(h.group, son, "/thamgia Hội Khuyến học tỉnh")
	ask = h.withButton("jd:")
	h.press(h.group, reps[5], ask, ask.Buttons[0][0].Data)
	if text := h.message(ask.ID).Text; strings.Contains(text, "⚠️") {
		t.Fatalf("an approval for a unit off the roll warns: %q", text)
	}
}

// The refusal to remove a unit while an election is open names the
// election and when it closes, to /removeunit and to the button of a
// question asked before the opening; with both offices' elections open, it
// names both, in the asker's language.
func TestRemovalRefusedDuringAnElectionNamesIt(t *testing.T) {
	w := &walk{harness: newHarness(t)}
	h := w.harness
	electorate(h)
	ask := h.say(h.group, h.admin, "/xoadonvi "+ctd)
	h.say(h.group, h.admin, "/bau khoitruong | đóng: 02/03/2026 17:00")
	leader := "Đang có cuộc bầu chưa kết thúc: Bầu Khối trưởng năm 2027, kết thúc 02/03/2026 17:00."
	w.unchanged(h.admin, "/xoadonvi "+ctd, leader+" Danh sách đơn vị bỏ phiếu đã chốt khi mở bầu, nên chưa thể xoá đơn vị; vui lòng xoá sau khi bầu xong.")
	version := h.block().Version
	a := h.press(h.group, h.admin, ask, button(t, ask, "🗑 Xoá"))
	if !a.ShowAlert || !strings.HasPrefix(a.Text, leader) {
		t.Fatalf("the press on the removal asked before: %+v", a)
	}
	if b := h.block(); len(b.Units) != 7 || b.Version != version {
		t.Fatal("the removal went through")
	}
	h.say(h.group, h.admin, "/bau khoipho | đóng: 03/03/2026 11:00")
	w.unchanged(h.admin, "/xoadonvi "+ctd, "Đang có cuộc bầu chưa kết thúc: Bầu Khối trưởng năm 2027, kết thúc 02/03/2026 17:00; Bầu Khối phó năm 2027, kết thúc 03/03/2026 11:00. Danh sách")
	john := h.member("John", "", telegramtest.Lang("en"))
	h.group.SetStatus(john, telegramtest.StatusAdministrator)
	w.unchanged(john, "/removeunit "+ctd, "Voting is under way: Election of the leader for 2027, closing 02/03/2026 17:00; Election of the deputy for 2027, closing 03/03/2026 11:00. "+
		"The voter roll was fixed at the opening, so no unit can be removed until the voting closes.")
}

// A /closevote sent in the minute after the closing time, before the
// scheduler's tick, finds voting ended already: it closes the election as
// on time, as the scheduler would, and says so, rather than recording a
// close by hand at that minute.
func TestCloseVoteAfterTheClosingTimeClosesOnTime(t *testing.T) {
	w, reps := votingDue(t)
	h := w.harness
	h.now = h.now.Add(40 * time.Second)
	n := len(h.tg.Messages(h.group.ID))
	h.say(h.group, reps[5], "/dongbau")
	got := h.tg.Messages(h.group.ID)[n:]
	expect(t, w.posted(got, "⏰ "), "⏰ Bầu Khối trưởng năm 2027 đã hết giờ bỏ phiếu lúc 02/03/2026 11:00: cuộc bầu kết thúc đúng giờ, không phải do lệnh /closevote. Kết quả ở tin nhắn dưới.")
	w.closedOnTime(got)
	if e := w.lastElection(); !e.ClosedAt.Equal(e.CloseAt) || e.ClosedBy != "thiduabot" {
		t.Fatalf("the election closed at %v by %q", e.ClosedAt, e.ClosedBy)
	}
	expect(t, h.say(h.group, reps[0], "/ketqua").Text, "Kết thúc: 02/03/2026 11:00 (hết giờ bỏ phiếu)")
}

// A runoff after a round of 08:00–17:00 no longer closes, and is announced,
// at 02:00 at night: it closes at 17:00 the next working day, which its
// ballot and /deadlines show; with weekends off (/remind cuối tuần không),
// a Friday's runoff closes on Monday.
func TestRunoffOfAWorkingDayClosesTheNextWorkingDay(t *testing.T) {
	w := &walk{harness: newHarness(t)}
	h := w.harness
	w.reps = electorate(h)
	w.on(11, 25, 8, 0)
	h.say(h.group, h.admin, "/bau khoitruong | đóng: 25/11/2026 17:00")
	w.on(11, 25, 9, 0)
	h.votes(w.reps, nongDan, nongDan, nongDan, ldld, ldld, ldld)
	got := w.ticked(11, 25, 17, 0)
	expect(t, w.posted(got, "🗳 Kết quả bầu Khối trưởng năm 2027\n"), "bầu lại vòng 2 giữa Hội Nông dân tỉnh, Liên đoàn Lao động tỉnh.")
	expect(t, w.posted(got, "🗳 Bầu Khối trưởng năm 2027 — vòng 2 (bầu lại)\n"), "⏰ Kết thúc: 26/11/2026 17:00\n")
	w.on(11, 25, 17, 5)
	expect(t, h.say(h.group, w.reps[0], "/dshan").Text, "• Bầu Khối trưởng năm 2027 (vòng 2) — 26/11/2026 17:00")
	if got := w.ticked(11, 26, 2, 0); len(got) != 0 {
		t.Fatalf("the scheduler posted at 02:00: %q", got[0].Text)
	}
	w.on(11, 26, 9, 0)
	h.votes(w.reps, nongDan, nongDan, nongDan, nongDan)
	got = w.ticked(11, 26, 17, 0)
	expect(t, w.posted(got, "🗳 Kết quả bầu Khối trưởng năm 2027 — vòng 2 (bầu lại)\n"), "🎉 Hội Nông dân tỉnh trúng cử Khối trưởng năm 2027 với 4/4 phiếu.")

	// Weekends off: Friday's runoff closes on Monday at 17:00.
	w = &walk{harness: newHarness(t)}
	h = w.harness
	w.reps = electorate(h)
	h.say(h.group, h.admin, "/nhacnho cuối tuần không")
	w.on(11, 27, 8, 0)
	h.say(h.group, h.admin, "/bau khoitruong | đóng: 27/11/2026 17:00")
	h.votes(w.reps, nongDan, nongDan, nongDan, ldld, ldld, ldld)
	got = w.ticked(11, 27, 17, 0)
	expect(t, w.posted(got, "🗳 Bầu Khối trưởng năm 2027 — vòng 2 (bầu lại)\n"), "⏰ Kết thúc: 30/11/2026 17:00\n")
}

// The press on a removal asked before the vote, once both offices'
// elections are open, is refused in an alert that fits Telegram's 200
// characters whole: both elections with their closing times, and that the
// unit is to be removed after the vote, in the presser's language; the
// answer to /removeunit keeps its longer explanation.
func TestRemovalRefusedOnAPressNamesBothElectionsWhole(t *testing.T) {
	w := &walk{harness: newHarness(t)}
	h := w.harness
	electorate(h)
	ask := h.say(h.group, h.admin, "/xoadonvi "+ctd)
	h.say(h.group, h.admin, "/bau khoitruong | đóng: 02/03/2026 17:00")
	h.say(h.group, h.admin, "/bau khoipho | đóng: 03/03/2026 11:00")
	john := h.member("John", "", telegramtest.Lang("en"))
	h.group.SetStatus(john, telegramtest.StatusAdministrator)
	version := h.block().Version
	for _, c := range []struct {
		who  *telegramtest.User
		want []string
	}{
		{h.admin, []string{"Bầu Khối trưởng năm 2027, kết thúc 02/03/2026 17:00; Bầu Khối phó năm 2027, kết thúc 03/03/2026 11:00", "xoá sau khi bầu xong."}},
		{john, []string{"Election of the leader for 2027, closing 02/03/2026 17:00; Election of the deputy for 2027, closing 03/03/2026 11:00", "Remove it afterwards."}},
	} {
		a := h.press(h.group, c.who, ask, button(t, ask, "🗑 Xoá"))
		if !a.ShowAlert || utf8.RuneCountInString(a.Text) > 200 || strings.HasSuffix(a.Text, "…") {
			t.Fatalf("the alert is cut: %q (%d characters)", a.Text, utf8.RuneCountInString(a.Text))
		}
		expect(t, a.Text, c.want...)
	}
	if b := h.block(); len(b.Units) != 7 || b.Version != version {
		t.Fatal("the removal went through")
	}
}

// A /closevote whose election another manager (or the scheduler) closes
// between the command's read and its write says that the election had
// closed already and where its result is, not the words meant for a vote
// that came too late.
func TestCloseVoteOfAnElectionClosedMeanwhile(t *testing.T) {
	// The store closes the open elections, as another manager, just before
	// the command's write.
	var store *hookStore
	h := newHarness(t, func(h *harness) {
		store = &hookStore{Store: h.store}
		h.store = store
	})
	store.hook = func(ctx context.Context, id string) error {
		_, err := store.Store.Update(ctx, id, func(b *thidua.Block) error {
			for _, e := range b.OpenElections() {
				if _, err := b.CloseElection(thidua.Actor{UserID: h.admin.ID, Name: "Hùng", Admin: true}, e.ID, h.now); err != nil {
					return err
				}
			}
			return nil
		})
		return err
	}
	reps := electorate(h)
	h.say(h.group, h.admin, "/bau khoitruong")
	store.armOn(1)
	m := h.say(h.group, reps[5], "/dongbau")
	expect(t, m.Text, "Cuộc bầu đã kết thúc trước lệnh /closevote này. Xem kết quả: /result")
	if strings.Contains(m.Text, "phiếu không được ghi nhận") {
		t.Fatalf("answered as a vote: %q", m.Text)
	}
	if e := h.lastElection(); e.State == thidua.ElectionOpen || e.ClosedBy != "Hùng" {
		t.Fatalf("the election stored: %+v", e)
	}
	john := h.member("John", "", telegramtest.Lang("en"))
	h.group.SetStatus(john, telegramtest.StatusAdministrator)
	h.say(h.group, h.admin, "/bau khoipho")
	store.armOn(1)
	expect(t, h.say(h.group, john, "/closevote").Text, "The election had already closed before this /closevote. See the result: /result")
}

// A /closevote naming no office, with both offices' elections open and one
// of them past its closing time before the scheduler's tick, closes that
// one on time and says so, and leaves the other open, saying how to close
// it, rather than asking which to close.
func TestCloseVoteWithBothOpenClosesTheDueOneOnTime(t *testing.T) {
	w := &walk{harness: newHarness(t)}
	h := w.harness
	electorate(h)
	h.say(h.group, h.admin, "/bau khoitruong | đóng: 02/03/2026 11:00")
	h.say(h.group, h.admin, "/bau khoipho | đóng: 03/03/2026 11:00")
	h.now = time.Date(2026, 3, 2, 11, 0, 40, 0, hcm)
	n := len(h.tg.Messages(h.group.ID))
	h.say(h.group, h.admin, "/dongbau")
	got := h.tg.Messages(h.group.ID)[n:]
	expect(t, w.posted(got, "⏰ "), "⏰ Bầu Khối trưởng năm 2027 đã hết giờ bỏ phiếu lúc 02/03/2026 11:00: cuộc bầu kết thúc đúng giờ, không phải do lệnh /closevote.")
	w.posted(got, "🗳 Kết quả bầu Khối trưởng năm 2027")
	expect(t, got[len(got)-1].Text, "Bầu Khối phó năm 2027 vẫn đang mở. Để kết thúc ngay: /closevote khoipho")
	b := h.block()
	if l := b.LatestElection(thidua.RoleLeader); l.State == thidua.ElectionOpen || l.CloseReason != thidua.ClosedOnTime {
		t.Fatalf("the leader election stored: %+v", l)
	}
	if d := b.LatestElection(thidua.RoleDeputy); d.State != thidua.ElectionOpen {
		t.Fatalf("the deputy election stored: %+v", d)
	}
	if got := w.ticked(3, 2, 11, 1); len(got) != 0 {
		t.Fatalf("the scheduler announced it again: %q", got[0].Text)
	}
}

// An approval by the leader unit's representative after an election's
// closing time, before the scheduler's tick closes it, does not warn that
// the newcomer cannot vote in that election: it is over.
func TestApprovalAfterTheClosingTimeNamesNoElectionOver(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/bau khoitruong | đóng: 02/03/2026 11:00")
	h.say(h.group, h.admin, "/bau khoipho | đóng: 03/03/2026 11:00")
	h.now = time.Date(2026, 3, 2, 11, 0, 20, 0, hcm)
	h.say(h.group, reps[3], "/roikhoi")
	duc := h.member("Đức", "")
	h.say(h.group, duc, "/thamgia "+ldld)
	ask := h.withButton("jd:")
	h.press(h.group, reps[5], ask, ask.Buttons[0][0].Data)
	text := h.message(ask.ID).Text
	expect(t, text, "nên chưa bỏ phiếu được trong: Bầu Khối phó năm 2027, kết thúc 03/03/2026 11:00.")
	if strings.Contains(text, "Khối trưởng") {
		t.Fatalf("the warning names the election over: %q", text)
	}
}
