package handlers_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"thiduabot/storage"
	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// voteRE finds a number of votes in English ("3 votes").
var voteRE = regexp.MustCompile(`\d+ votes?\b`)

// electionWalk is the cast of the election walkthrough: the seven units of
// setUp with one representative each (reps[i] for unit i+1: An, Bình,
// Chi, Dũng, Giang, Hà of Tỉnh Đoàn, this year's leader, and John of the
// Red Cross, whose Telegram speaks English), Lan, a second representative
// of Hội Nông dân tỉnh, and the Ủy ban MTTQ as this year's deputy. Bình
// also represents Hội Khuyến học tỉnh in another block, whose group (other,
// run by Sơn) Quân of Hội Nhà báo tỉnh shares with him; Tâm is a member of
// the group without a unit.
type electionWalk struct {
	*walk
	john, lan, tam, quan, son *telegramtest.User
	other                     *telegramtest.Chat
	// own holds the callback queries whose answers only their voters saw.
	own map[string]bool
	// receipts holds every receipt code given, in order.
	receipts []string
}

// TestElectionWalkthrough drives a block of seven units through the
// election of next year's leader and deputy on 25/11/2026, the week the
// real blocks hold it, as its staff and leader would: the vote opened by
// the leader's representative and refused to a member; one vote per unit,
// changed by a second representative and back; presses of a non-voter, an
// administrator and a member of another block refused; a representative
// of two blocks voting in each for the right unit; a representative
// leaving, a newcomer approved in the middle of the vote, a unit's
// removal refused; nothing of the count shown before the close on any
// surface; a tie closed on time by the scheduler and its runoff, a press
// at the runoff's closing time; the Red Cross never voting; the deputy,
// without the elected leader, closed by hand; /result with both offices;
// the Red Cross removed once no vote is open, the records keeping it; and
// /newyear installing the elected units.
func TestElectionWalkthrough(t *testing.T) {
	w := newElectionWalk(t)
	h, reps, ha := w.harness, w.reps, w.reps[5]
	block := h.block()

	// 07:45: a member cannot open the vote, in either language.
	w.on(11, 25, 7, 45)
	w.unchanged(reps[1], "/bau khoitruong", "Xin lỗi, chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng mới thực hiện được thao tác này.")
	w.unchanged(w.john, "/elect leader", "Sorry, only group administrators or representatives of the leader unit can do this.")
	if len(h.block().Elections.List) != 0 {
		t.Fatal("a refused /elect stored an election")
	}
	// 07:50: the administrator asks to remove the Red Cross, which is
	// merging into the MTTQ, and leaves the question for later.
	w.on(11, 25, 7, 50)
	removal := h.say(h.group, h.admin, "/xoadonvi "+ctd)
	expect(t, removal.Text, "Xoá đơn vị Hội Chữ thập đỏ tỉnh khỏi khối? 1 đầu mối của đơn vị cũng sẽ bị gỡ.")

	// 08:00: Hà of Tỉnh Đoàn opens the vote, to close at 11:00.
	w.on(11, 25, 8, 0)
	ballot := h.say(h.group, ha, "/bau khoitruong | đóng: 25/11/2026 11:00")
	if ballot.Text != "🗳 Bầu Khối trưởng năm 2027\n"+
		"🔒 Bỏ phiếu kín: không ai biết đơn vị nào bầu ai; kết quả chỉ công bố khi kết thúc.\n"+
		"Mỗi đơn vị một phiếu: một đầu mối của đơn vị bấm tên ứng viên. Bấm lại trước khi kết thúc để đổi phiếu; phiếu sau cùng được tính.\n"+
		"⏰ Kết thúc: 25/11/2026 11:00\n"+
		"Đã bỏ phiếu: 0/7 đơn vị" {
		t.Fatalf("the ballot:\n%s", ballot.Text)
	}
	if got, want := labels(ballot), []string{mttq, ccb, nongDan, ldld, phuNu, ctd}; !slices.Equal(got, want) {
		t.Fatalf("the candidates are %q, want every unit but the outgoing leader %q", got, want)
	}
	first := h.lastElection()
	if first.State != thidua.ElectionOpen || !first.Secret || first.Round != 1 || first.Year != 2027 || len(first.Roll) != 7 ||
		first.OpenedBy != "Hà" || first.MessageID != ballot.ID || !first.CloseAt.Equal(w.now.Add(3*time.Hour)) {
		t.Fatalf("the election stored: %+v", first)
	}
	w.on(11, 25, 8, 1)
	w.unchanged(ha, "/bau khoitruong", "Đang có cuộc bầu cho chức danh này chưa kết thúc. Kết thúc bằng /closevote trước khi mở cuộc bầu mới.")

	// 08:05: the first votes; the ballot shows who has voted, not for whom.
	w.on(11, 25, 8, 5)
	expect(t, w.cast(reps[0], nongDan).Text, "✅ Đã ghi nhận phiếu của Ủy ban MTTQ Việt Nam tỉnh: Hội Nông dân tỉnh.\nMã phiếu: ", "(ghi lại để đối chiếu khi kiểm phiếu).")
	expect(t, h.message(ballot.ID).Text, "Đã bỏ phiếu: 1/7 đơn vị\n✅ Ủy ban MTTQ Việt Nam tỉnh")
	w.cast(reps[1], ldld)
	// Chi votes for her own unit; Lan, of the same unit, changes the
	// unit's vote; Chi changes it back. One ballot counts for the unit.
	w.on(11, 25, 8, 10)
	expect(t, w.cast(reps[2], nongDan).Text, "✅ Đã ghi nhận phiếu của Hội Nông dân tỉnh: Hội Nông dân tỉnh.")
	lan := w.cast(w.lan, ldld)
	expect(t, lan.Text, "✅ Đã đổi phiếu của Hội Nông dân tỉnh: Liên đoàn Lao động tỉnh.\nMã phiếu mới: ", "(phiếu trước không còn được tính).")
	chi := w.cast(reps[2], nongDan)
	expect(t, chi.Text, "✅ Đã đổi phiếu của Hội Nông dân tỉnh: Hội Nông dân tỉnh.\nMã phiếu mới: ")
	expect(t, h.message(ballot.ID).Text, "Đã bỏ phiếu: 3/7 đơn vị\n✅ Ủy ban MTTQ Việt Nam tỉnh\n✅ Hội Cựu chiến binh tỉnh\n✅ Hội Nông dân tỉnh")
	counted := h.lastElection().Counted()
	if len(counted) != 3 || counted[2].Candidate != w.unitID(nongDan) || counted[2].UserID != reps[2].ID || counted[2].Receipt != receipt(t, chi) {
		t.Fatalf("counted: %+v", counted)
	}

	// 08:15: whoever represents no unit of this block is refused, the
	// administrator included, and nothing is stored.
	w.on(11, 25, 8, 15)
	for _, u := range []*telegramtest.User{w.tam, h.admin, w.quan} {
		a := h.vote(u, nongDan)
		if !a.ShowAlert || a.Text != "Xin lỗi, chỉ đầu mối của các đơn vị thành viên mới bỏ phiếu được. Nếu bạn là đầu mối, gửi /join để đăng ký." {
			t.Fatalf("%s pressing: %+v", u.FirstName, a)
		}
	}
	if n := len(h.lastElection().Ballots); n != 3 {
		t.Fatalf("%d ballots after the refused presses", n)
	}
	// Bình represents a unit of each block: in the other block's vote his
	// press counts for Hội Khuyến học tỉnh, and here he cannot take on a
	// second unit.
	w.on(11, 25, 8, 20)
	h.say(w.other, w.son, "/bau khoitruong")
	otherBallot, _ := h.tg.LastMessage(w.other.ID)
	a := h.press(w.other, reps[1], otherBallot, button(t, otherBallot, "Hội Luật gia tỉnh"))
	w.own[a.QueryID] = true
	expect(t, a.Text, "✅ Đã ghi nhận phiếu của Hội Khuyến học tỉnh: Hội Luật gia tỉnh.")
	expect(t, h.message(ballot.ID).Text, "Đã bỏ phiếu: 3/7 đơn vị")
	w.unchanged(reps[1], "/thamgia "+nongDan, "Bạn đã là đầu mối của một đơn vị trong khối. Gửi /leave trước nếu muốn đổi đơn vị.")

	// 08:30: Dũng leaves Liên đoàn Lao động tỉnh before voting; Đức, who
	// takes over, is approved by Hà and cannot vote, then by the
	// administrator and can.
	w.on(11, 25, 8, 30)
	expect(t, h.say(h.group, reps[3], "/roikhoi").Text, "Bạn không còn là đầu mối của Liên đoàn Lao động tỉnh.")
	duc := h.member("Đức", "")
	w.on(11, 25, 8, 35)
	h.say(h.group, duc, "/thamgia "+ldld)
	ask := h.withButton("jd:")
	h.press(h.group, ha, ask, ask.Buttons[0][0].Data)
	expect(t, h.message(ask.ID).Text, "⚠️ Đức được duyệt sau khi mở bầu, không phải bởi quản trị viên nhóm, nên chưa bỏ phiếu được trong: Bầu Khối trưởng năm 2027, kết thúc 25/11/2026 11:00.")
	w.on(11, 25, 8, 40)
	a = h.vote(duc, ldld)
	expect(t, a.Text, "Xin lỗi, bạn được duyệt làm đầu mối sau khi cuộc bầu này bắt đầu nên chưa bỏ phiếu được.")
	h.say(h.group, duc, "/roikhoi")
	h.say(h.group, duc, "/thamgia "+ldld)
	ask = h.withButton("jd:")
	h.press(h.group, h.admin, ask, ask.Buttons[0][0].Data)
	w.on(11, 25, 8, 45)
	expect(t, w.cast(duc, ldld).Text, "✅ Đã ghi nhận phiếu của Liên đoàn Lao động tỉnh: Liên đoàn Lao động tỉnh.")
	reps[3] = duc

	// 09:00: Giang votes and leaves: her unit's vote stays counted.
	w.on(11, 25, 9, 0)
	w.cast(reps[4], ldld)
	w.on(11, 25, 9, 5)
	h.say(h.group, reps[4], "/roikhoi")
	expect(t, h.message(ballot.ID).Text, "Đã bỏ phiếu: 5/7 đơn vị", "✅ Hội Liên hiệp Phụ nữ tỉnh")
	a = h.vote(reps[4], nongDan)
	expect(t, a.Text, "chỉ đầu mối của các đơn vị thành viên mới bỏ phiếu được")
	if voted := h.lastElection().Voted(); !slices.Contains(voted, w.unitID(phuNu)) {
		t.Fatalf("the vote of the unit Giang left is not counted: %v", voted)
	}
	w.on(11, 25, 9, 10)
	w.cast(ha, nongDan)

	// 09:30: the roll is frozen: the Red Cross cannot be removed, neither
	// by a new command nor by the question asked before the opening.
	w.on(11, 25, 9, 30)
	w.unchanged(h.admin, "/xoadonvi "+ctd, "Đang có cuộc bầu chưa kết thúc: Bầu Khối trưởng năm 2027, kết thúc 25/11/2026 11:00. "+
		"Danh sách đơn vị bỏ phiếu đã chốt khi mở bầu, nên chưa thể xoá đơn vị; vui lòng xoá sau khi bầu xong.")
	version := h.block().Version
	a = h.press(h.group, h.admin, removal, button(t, removal, "🗑 Xoá"))
	expect(t, a.Text, "Bầu Khối trưởng năm 2027, kết thúc 25/11/2026 11:00. Danh sách đơn vị bỏ phiếu đã chốt")
	if b := h.block(); len(b.Units) != 7 || b.Version != version {
		t.Fatalf("the removal went through: %d units, version %d -> %d", len(b.Units), version, b.Version)
	}

	// 09:40: nothing of the count shows anywhere before the close, to
	// anyone, managers included: only who has voted.
	w.on(11, 25, 9, 40)
	w.secrecy(block.ID)

	// 11:00: the scheduler closes the vote on time: a tie, 3 – 3, with the
	// Red Cross never voting; a runoff opens at once until 14:00.
	got := w.ticked(11, 25, 11, 0)
	result := w.posted(got, "🗳 Kết quả bầu Khối trưởng năm 2027\n")
	if result != "🗳 Kết quả bầu Khối trưởng năm 2027\n"+
		"Số đơn vị bỏ phiếu: 6/7 (cần ít nhất 4): đủ\n"+
		"• Hội Nông dân tỉnh: 3 phiếu\n"+
		"• Liên đoàn Lao động tỉnh: 3 phiếu\n"+
		"• Ủy ban MTTQ Việt Nam tỉnh: 0 phiếu\n"+
		"• Hội Cựu chiến binh tỉnh: 0 phiếu\n"+
		"• Hội Liên hiệp Phụ nữ tỉnh: 0 phiếu\n"+
		"• Hội Chữ thập đỏ tỉnh: 0 phiếu\n"+
		"Không ứng viên nào được quá nửa số phiếu bầu (cần ít nhất 4/6): bầu lại vòng 2 giữa Hội Nông dân tỉnh, Liên đoàn Lao động tỉnh.\n"+
		"Biên bản kiểm phiếu: /result khoitruong" {
		t.Fatalf("the first round's result:\n%s", result)
	}
	runoff := w.posted(got, "🗳 Bầu Khối trưởng năm 2027 — vòng 2 (bầu lại)\n")
	expect(t, runoff, "⏰ Kết thúc: 25/11/2026 14:00", "Đã bỏ phiếu: 0/7 đơn vị")
	// The ballot first posted points to the copy /result posted last,
	// which the close edited.
	expect(t, h.message(ballot.ID).Text, "⬇️ Phiếu bầu đã được gửi lại ở tin nhắn mới bên dưới")
	closed := h.message(h.block().Election(first.ID).MessageID)
	expect(t, closed.Text, "🔚 Đã kết thúc bỏ phiếu lúc 25/11/2026 11:00. Kết quả và biên bản: /result khoitruong", "Đã bỏ phiếu: 6/7 đơn vị")
	w.noButtonsOf(first.ID)
	b := h.block()
	round1, round2 := b.Election(first.ID), b.LatestElection(thidua.RoleLeader)
	if round1.State != thidua.ElectionRunoff || round1.CloseReason != thidua.ClosedOnTime || round1.Result.Cast != 6 ||
		round2.Round != 2 || round2.Parent != first.ID || !slices.Equal(round2.Candidates, []string{w.unitID(nongDan), w.unitID(ldld)}) {
		t.Fatalf("the rounds stored: %+v\n%+v", round1, round2)
	}
	// /result gives the first round's record, then the runoff's ballot.
	expect(t, h.say(h.group, reps[0], "/ketqua khoitruong").Text, "🗳 Bầu Khối trưởng năm 2027 — vòng 2 (bầu lại)\n", "Đã bỏ phiếu: 0/7 đơn vị")
	msgs := h.tg.Messages(h.group.ID)
	expect(t, msgs[len(msgs)-2].Text, "📋 Biên bản kiểm phiếu — bầu Khối trưởng năm 2027\n", "Kết thúc: 25/11/2026 11:00 (hết giờ bỏ phiếu)",
		"7. Hội Chữ thập đỏ tỉnh — chưa bỏ phiếu", "• Hội Nông dân tỉnh: 3 phiếu — mã phiếu: ")

	// The runoff: the Liên đoàn Lao động comes round to Hội Nông dân tỉnh;
	// the Phụ nữ, without a representative, and the Red Cross do not vote.
	w.on(11, 25, 11, 30)
	w.votes(nongDan, ldld, nongDan, nongDan, "", nongDan)
	// 14:00: John presses as the runoff closes, before the scheduler has
	// run: refused, and the vote closes on time there and then.
	w.on(11, 25, 14, 0)
	runoffBallot := h.ballot()
	n := len(h.tg.Messages(h.group.ID))
	a = h.vote(w.john, nongDan)
	if !a.ShowAlert || a.Text != "This election is closed; the vote was not recorded. See the result: /result" {
		t.Fatalf("John's late press: %+v", a)
	}
	expect(t, h.message(runoffBallot.ID).Text, "🔚 Đã kết thúc bỏ phiếu lúc 25/11/2026 14:00.")
	got = h.tg.Messages(h.group.ID)[n:]
	expect(t, w.posted(got, "🗳 Kết quả bầu Khối trưởng năm 2027 — vòng 2 (bầu lại)"), "Số đơn vị bỏ phiếu: 5/7 (cần ít nhất 4): đủ",
		"• Hội Nông dân tỉnh: 4 phiếu\n• Liên đoàn Lao động tỉnh: 1 phiếu", "🎉 Hội Nông dân tỉnh trúng cử Khối trưởng năm 2027 với 4/5 phiếu.")
	if got := w.ticked(11, 25, 14, 1); len(got) != 0 {
		t.Fatalf("the scheduler announced the runoff again: %q", got[0].Text)
	}
	if el := h.block().ElectedFor(thidua.RoleLeader); el == nil || el.UnitID != w.unitID(nongDan) || el.Year != 2027 {
		t.Fatalf("the elected leader: %+v", el)
	}
	if e := h.block().Election(round2.ID); e.CloseReason != thidua.ClosedOnTime || !e.ClosedAt.Equal(e.CloseAt) {
		t.Fatalf("the runoff closed %v at %v", e.CloseReason, e.ClosedAt)
	}
	w.noButtonsOf(round2.ID)
	expect(t, h.say(h.group, reps[0], "/donvi").Text, "Khối trưởng: Tỉnh Đoàn · Khối phó: Ủy ban MTTQ Việt Nam tỉnh\nKhối trưởng năm 2027 (đã bầu): Hội Nông dân tỉnh\n")

	w.electDeputy()
	w.bothOffices()

	// 16:10: with no vote open, the Red Cross can go; the records keep it
	// on the rolls, as they were frozen.
	w.on(11, 25, 16, 10)
	removal = h.say(h.group, h.admin, "/xoadonvi "+ctd)
	h.press(h.group, h.admin, removal, button(t, removal, "🗑 Xoá"))
	if b := h.block(); len(b.Units) != 6 || b.RepOf(w.john.ID) != nil {
		t.Fatalf("the Red Cross was not removed: %d units", len(b.Units))
	}
	w.unchanged(reps[0], "/ketqua khoipho", "Danh sách cử tri (chốt khi mở bầu, 7 đơn vị):", "7. Hội Chữ thập đỏ tỉnh — ✅ đã bỏ phiếu",
		"• Ủy ban MTTQ Việt Nam tỉnh: 2 phiếu — mã phiếu: ")
	w.turn()
}

// newElectionWalk sets the block up as it stands on the morning of the
// vote (see electionWalk) and the other block of Bình and Quân.
func newElectionWalk(t *testing.T) *electionWalk {
	h := newHarness(t)
	w := &electionWalk{walk: &walk{harness: h}, own: map[string]bool{}}
	h.setUp()
	for i, n := range []string{"An", "Bình", "Chi", "Dũng", "Giang", "Hà"} {
		w.reps = append(w.reps, h.member(n, ""))
		h.join(w.reps[i], unitNames[i])
	}
	w.john = h.member("John", "john_rc", telegramtest.Lang("en"))
	w.reps = append(w.reps, w.john)
	h.say(h.group, w.john, "/join "+ctd)
	ask := h.withButton("jd:")
	h.press(h.group, h.admin, ask, ask.Buttons[0][0].Data)
	w.lan = h.member("Lan", "lan_nd")
	h.join(w.lan, nongDan)
	w.tam = h.member("Tâm", "")
	h.say(h.group, h.admin, "/leader Tỉnh Đoàn")
	h.say(h.group, h.admin, "/deputy 1")

	w.other = h.tg.NewGroup("Khối thi đua các hội đặc thù tỉnh Lào Cai")
	w.son = h.tg.NewUser("Sơn", "son_admin")
	w.other.SetStatus(w.son, telegramtest.StatusCreator)
	w.quan = h.member("Quân", "quan_nb")
	h.say(w.other, w.son, "/setup Khối thi đua các hội đặc thù tỉnh Lào Cai")
	h.say(w.other, w.son, "/addunit Hội Khuyến học tỉnh\nHội Nhà báo tỉnh\nHội Luật gia tỉnh")
	for _, j := range []struct {
		u    *telegramtest.User
		unit string
	}{{w.reps[1], "Hội Khuyến học tỉnh"}, {w.quan, "Hội Nhà báo tỉnh"}} {
		w.other.SetStatus(j.u, telegramtest.StatusMember)
		ask := h.say(w.other, j.u, "/join "+j.unit)
		h.press(w.other, w.son, ask, ask.Buttons[0][0].Data)
	}
	b := h.block()
	if len(b.Units) != 7 || len(b.Reps) != 8 || b.LeaderUnit != w.unitID(doan) || b.DeputyUnit != w.unitID(mttq) {
		t.Fatalf("the block set up: %d units, %d representatives, leader %q, deputy %q", len(b.Units), len(b.Reps), b.LeaderUnit, b.DeputyUnit)
	}
	return w
}

// cast votes for a candidate on the current ballot as user and returns the
// answer, which only the voter sees.
func (w *electionWalk) cast(user *telegramtest.User, candidate string) telegramtest.CallbackAnswer {
	w.t.Helper()
	a := w.vote(user, candidate)
	w.own[a.QueryID] = true
	w.receipts = append(w.receipts, receipt(w.t, a))
	return a
}

// votes has reps[i] cast a vote for candidates[i]; "" abstains.
func (w *electionWalk) votes(candidates ...string) {
	w.t.Helper()
	for i, c := range candidates {
		if c != "" {
			w.cast(w.reps[i], c)
		}
	}
}

// noButtonsOf fails if a message of the group still carries a ballot
// button of the election, which has closed.
func (w *electionWalk) noButtonsOf(electionID string) {
	w.t.Helper()
	for _, m := range w.tg.Messages(w.group.ID) {
		for _, row := range m.Buttons {
			for _, b := range row {
				if strings.HasPrefix(b.Data, "ev:"+electionID+":") {
					w.t.Fatalf("message %d still carries the closed election's buttons:\n%s", m.ID, m.Text)
				}
			}
		}
	}
}

// secrecy has the leader's representative, the administrator, a member and
// John ask every surface that shows the block while the secret vote is
// open, and checks that nothing anyone but a voter saw (every message,
// edit and callback answer of the bot so far) holds a receipt, a count or
// a unit's choice; and that the history stored records who voted, not for
// whom.
func (w *electionWalk) secrecy(blockID string) {
	w.t.Helper()
	h, t := w.harness, w.t
	for _, who := range []*telegramtest.User{w.reps[5], h.admin, w.reps[0], w.john} {
		for _, cmd := range []string{"/result", "/result khoitruong", "/history 50", "/deadlines", "/scores", "/units"} {
			h.say(h.group, who, cmd)
		}
	}
	expect(t, h.say(h.group, w.reps[5], "/ketqua").Text, "Đã bỏ phiếu: 6/7 đơn vị\n✅ Ủy ban MTTQ Việt Nam tỉnh\n✅ Hội Cựu chiến binh tỉnh\n✅ Hội Nông dân tỉnh\n"+
		"✅ Liên đoàn Lao động tỉnh\n✅ Hội Liên hiệp Phụ nữ tỉnh\n✅ Tỉnh Đoàn")
	history := h.say(h.group, w.reps[5], "/lichsu 30").Text
	expect(t, history, "Lan: bấm lại phiếu của đơn vị trong cuộc bầu Khối trưởng [Hội Nông dân tỉnh]\n", "Hà: bỏ phiếu của đơn vị trong cuộc bầu Khối trưởng [Tỉnh Đoàn]")
	expect(t, h.say(h.group, w.john, "/deadlines").Text, "• Election of the leader for 2027 — 25/11/2026 11:00 (due today)\n   Not done (1/7): Hội Chữ thập đỏ tỉnh\n")
	h.say(h.group, w.reps[5], "/xuatfile")
	f, tables := w.exported(2026)
	var cells []string
	for _, rows := range tables {
		for _, r := range rows {
			cells = append(cells, r...)
		}
	}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			cells = append(cells, r...)
		}
	}
	seen := strings.Join(append(w.seenByOthers(), cells...), "\n")
	for _, c := range w.receipts {
		if strings.Contains(seen, c) {
			t.Fatalf("receipt %s shown before the close", c)
		}
	}
	for _, re := range []*regexp.Regexp{tallyRE, voteRE} {
		if m := re.FindString(seen); m != "" {
			t.Fatalf("a count %q shown before the close", m)
		}
	}
	for _, c := range unitNames {
		for _, choice := range []string{"→ " + c, "bầu " + c, "for " + c} {
			if strings.Contains(seen, choice) {
				t.Fatalf("a choice %q shown before the close", choice)
			}
		}
	}
	events, err := storage.History(t.Context(), h.store, blockID, 100)
	if err != nil {
		t.Fatal(err)
	}
	votes := 0
	for _, e := range events {
		if strings.HasPrefix(e.Action, "election.leader.") && (strings.HasSuffix(e.Action, ".vote") || strings.HasSuffix(e.Action, ".again")) {
			votes++
			if e.Before != "" || e.After != "" {
				t.Fatalf("the history records a secret choice: %+v", e)
			}
		}
	}
	if votes != 8 {
		t.Fatalf("%d presses recorded, want 8", votes)
	}
}

// seenByOthers returns every text the bot sent so far (messages, edits,
// captions, callback answers, buttons), decoded, but the answers to
// voters' own presses.
func (w *electionWalk) seenByOthers() []string {
	var out []string
	for _, r := range w.tg.Requests("") {
		if w.own[r.Params.Get("callback_query_id")] {
			continue
		}
		for _, vs := range r.Params {
			out = append(out, vs...)
		}
	}
	return out
}

// electDeputy elects the deputy on 25/11 from 14:30, without Hội Nông dân
// tỉnh, elected leader: John votes in English, a member cannot close the
// vote, and Hà closes it at 16:00 with the Phụ nữ, whose representative
// left, not voting.
func (w *electionWalk) electDeputy() {
	w.t.Helper()
	h, t, ha := w.harness, w.t, w.reps[5]
	w.on(11, 25, 14, 30)
	ballot := h.say(h.group, ha, "/bau khoipho")
	expect(t, ballot.Text, "🗳 Bầu Khối phó năm 2027\n🔒 Bỏ phiếu kín", "⏰ Kết thúc: 26/11/2026 14:30", "Đã bỏ phiếu: 0/7 đơn vị")
	if got, want := labels(ballot), []string{mttq, ccb, ldld, phuNu, doan, ctd}; !slices.Equal(got, want) {
		t.Fatalf("the deputy's candidates are %q, want every unit but the elected leader %q", got, want)
	}
	w.on(11, 25, 15, 0)
	w.votes(ldld, ldld, ldld, mttq, "", ldld)
	expect(t, w.cast(w.john, mttq).Text, "✅ Recorded the vote of Hội Chữ thập đỏ tỉnh: Ủy ban MTTQ Việt Nam tỉnh.\nReceipt: ", "(keep it to check the count).")
	w.on(11, 25, 16, 0)
	w.unchanged(w.reps[1], "/dongbau", "Xin lỗi, chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng mới thực hiện được thao tác này.")
	w.unchanged(ha, "/dongbau khoitruong", "Không có cuộc bầu Khối trưởng nào đang mở.")
	n := len(h.tg.Messages(h.group.ID))
	h.say(h.group, ha, "/dongbau")
	got := h.tg.Messages(h.group.ID)[n:]
	if res := w.posted(got, "🗳 Kết quả bầu Khối phó năm 2027\n"); res != "🗳 Kết quả bầu Khối phó năm 2027\n"+
		"Số đơn vị bỏ phiếu: 6/7 (cần ít nhất 4): đủ\n"+
		"• Liên đoàn Lao động tỉnh: 4 phiếu\n"+
		"• Ủy ban MTTQ Việt Nam tỉnh: 2 phiếu\n"+
		"• Hội Cựu chiến binh tỉnh: 0 phiếu\n"+
		"• Hội Liên hiệp Phụ nữ tỉnh: 0 phiếu\n"+
		"• Tỉnh Đoàn: 0 phiếu\n"+
		"• Hội Chữ thập đỏ tỉnh: 0 phiếu\n"+
		"🎉 Liên đoàn Lao động tỉnh trúng cử Khối phó năm 2027 với 4/6 phiếu.\n"+
		"Biên bản kiểm phiếu: /result khoipho" {
		t.Fatalf("the deputy's result:\n%s", res)
	}
	e := h.block().LatestElection(thidua.RoleDeputy)
	if e.State != thidua.ElectionWon || e.CloseReason != thidua.ClosedByHand || e.ClosedBy != "Hà" || e.Winner != w.unitID(ldld) {
		t.Fatalf("the deputy's election stored: %+v", e)
	}
	w.noButtonsOf(e.ID)
}

// bothOffices checks that /result, asked without an office, gives the
// counting records of both elections, in Vietnamese and in English, and
// that /units names both elected units.
func (w *electionWalk) bothOffices() {
	w.t.Helper()
	h, t := w.harness, w.t
	w.on(11, 25, 16, 5)
	all := w.unchanged(w.reps[0], "/ketqua", "📋 Biên bản kiểm phiếu — bầu Khối trưởng năm 2027\n", "📋 Biên bản kiểm phiếu — bầu Khối trưởng năm 2027 — vòng 2 (bầu lại)\n",
		"🎉 Hội Nông dân tỉnh trúng cử Khối trưởng năm 2027 với 4/5 phiếu.", "📋 Biên bản kiểm phiếu — bầu Khối phó năm 2027\n",
		"Kết thúc: 25/11/2026 16:00 (do Hà kết thúc)", "🎉 Liên đoàn Lao động tỉnh trúng cử Khối phó năm 2027 với 4/6 phiếu.")
	if strings.Index(all, "bầu Khối trưởng") > strings.Index(all, "bầu Khối phó") {
		t.Fatalf("the leader's records do not come first:\n%s", all)
	}
	w.unchanged(w.john, "/result", "📋 Counting record — election of the leader for 2027 — round 2 (runoff)", "🎉 Hội Nông dân tỉnh is elected leader for 2027 with 4/5 votes.",
		"📋 Counting record — election of the deputy for 2027", "Closed: 25/11/2026 16:00 (by Hà)", "5. Hội Liên hiệp Phụ nữ tỉnh — did not vote",
		"🎉 Liên đoàn Lao động tỉnh is elected deputy for 2027 with 4/6 votes.")
	expect(t, h.say(h.group, w.reps[0], "/donvi").Text, "Khối trưởng năm 2027 (đã bầu): Hội Nông dân tỉnh\nKhối phó năm 2027 (đã bầu): Liên đoàn Lao động tỉnh\n")
}

// turn refuses /newyear during the week of the vote and turns the block
// on 01/12: the elected units take office, and /result 2026 keeps both
// records.
func (w *electionWalk) turn() {
	w.t.Helper()
	h, t, ha := w.harness, w.t, w.reps[5]
	w.unchanged(ha, "/nammoi", "Năm thi đua 2026 chưa kết thúc: khối chuyển sang năm 2027 được từ ngày 01/12/2026, sau hạn hoàn thành các chỉ tiêu năm (30/11/2026).")
	w.on(12, 1, 9, 0)
	ask := h.say(h.group, ha, "/nammoi")
	expect(t, ask.Text, "Giữ nguyên: 6 đơn vị và 6 đầu mối", "Năm 2027: Khối trưởng Hội Nông dân tỉnh (đã bầu); Khối phó Liên đoàn Lao động tỉnh (đã bầu).")
	h.press(h.group, ha, ask, button(t, ask, "✅ Sang năm 2027"))
	expect(t, h.message(ask.ID).Text, "Khối trưởng: Hội Nông dân tỉnh · Khối phó: Liên đoàn Lao động tỉnh")
	b := h.block()
	if b.Year != 2027 || b.LeaderUnit != w.unitID(nongDan) || b.DeputyUnit != w.unitID(ldld) || len(b.Elections.List) != 0 {
		t.Fatalf("the block turned: year %d, leader %q, deputy %q, %d elections", b.Year, b.LeaderUnit, b.DeputyUnit, len(b.Elections.List))
	}
	w.unchanged(w.reps[2], "/ketqua 2026", "📋 Biên bản kiểm phiếu — bầu Khối trưởng năm 2027 — vòng 2 (bầu lại)", "📋 Biên bản kiểm phiếu — bầu Khối phó năm 2027\n")
	w.unchanged(ha, "/bau khoitruong", "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")
	expect(t, h.say(h.group, w.reps[0], "/donvi").Text, "Khối trưởng: Hội Nông dân tỉnh · Khối phó: Liên đoàn Lao động tỉnh\n\n")
}
