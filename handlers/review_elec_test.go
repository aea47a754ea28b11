package handlers_test

import (
	"thiduabot/telegramtest"

	"strings"
	"testing"
	"time"
)

// A representative whom the leader unit's representative approves during
// the first round does not vote in it, nor in the runoff that follows it:
// the runoff continues the same election, with the same roll.
func TestReviewElecRunoffKeepsNewVotersOut(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/elect khoitruong | ứng viên: 1, 2, 3")
	h.now = h.now.Add(time.Minute)
	newcomer := h.member("Phúc", "")
	h.say(h.group, newcomer, "/join Hội Nông dân tỉnh")
	ask, _ := h.tg.LastMessage(h.group.ID)
	h.press(h.group, reps[5], ask, ask.Buttons[0][0].Data) // Tỉnh Đoàn leads the block
	expect(t, h.vote(newcomer, mttq).Text, "được duyệt làm đầu mối sau khi cuộc bầu này bắt đầu")

	h.now = h.now.Add(time.Minute)
	h.votes(reps, mttq, mttq, ccb, ccb, nongDan, nongDan, "")
	h.say(h.group, h.admin, "/closevote")
	if e := h.lastElection(); e.Round != 2 {
		t.Fatalf("no runoff: %+v", e)
	}
	h.now = h.now.Add(time.Minute)
	a := h.vote(newcomer, mttq)
	expect(t, a.Text, "được duyệt làm đầu mối sau khi cuộc bầu này bắt đầu")
	if n := len(h.lastElection().Ballots); n != 0 {
		t.Fatalf("%d ballots in the runoff after the newcomer's press", n)
	}
}

// When the last unit's vote closes the election, neither the history nor
// the counting record names that voter as the one who closed it, opened
// the runoff or elected the winner: a representative only voted.
func TestReviewElecAllVotedCloseNotAttributedToLastVoter(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/elect khoitruong | ứng viên: 1, 2, 3")
	h.votes(reps, mttq, mttq, mttq, ccb, ccb, nongDan, nongDan) // Khánh votes last
	h.votes(reps, ccb, ccb, mttq, ccb, nongDan, ccb, mttq)
	m := h.say(h.group, reps[0], "/result khoitruong")
	expect(t, m.Text, "vòng 2 (bầu lại)\n")
	if strings.Contains(m.Text, "bởi Khánh") {
		t.Fatalf("the record says the last voter opened the runoff: %q", m.Text)
	}
	m = h.say(h.group, reps[0], "/history 12")
	for _, line := range strings.Split(m.Text, "\n") {
		if strings.Contains(line, "Khánh") && !strings.Contains(line, "bỏ phiếu của đơn vị trong cuộc bầu Khối trưởng [Hội Chữ thập đỏ tỉnh]") {
			t.Fatalf("the history attributes to the last voter: %q", line)
		}
	}
}

// A group upgraded to a supergroup during an election starts its message ids
// again: the ballot's id in the old group names another message in the new
// one, which the close must not overwrite with the ballot.
func TestReviewElecSupergroupUpgradeKeepsOtherMessages(t *testing.T) {
	h := newHarness(t)
	old := h.tg.NewBasicGroup("Khối cũ")
	old.SetStatus(h.admin, telegramtest.StatusCreator)
	h.group = old
	reps := electorate(h)
	h.say(h.group, h.admin, "/elect khoitruong")
	ballotID := h.lastElection().MessageID
	h.votes(reps, nongDan)

	sg := h.tg.Migrate(old)
	if err := h.tg.WaitIdle(wait); err != nil {
		t.Fatal(err)
	}
	h.group = sg
	victim := h.botMessageNumbered(reps[0], ballotID)
	h.say(sg, h.admin, "/closevote")
	if got := h.message(ballotID); got.Text != victim.Text {
		t.Fatalf("the bot's message %d in the supergroup became %q", ballotID, got.Text)
	}
}

// A manager who names the wrong office is told that no election of that
// office is open, not that none is, while the other office's election is.
func TestReviewElecWrongOfficeNamesTheOffice(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/elect khoipho | ứng viên: 1, 2 | công khai")
	m := h.say(h.group, h.admin, "/closevote khoitruong")
	if strings.Contains(m.Text, "Không có cuộc bầu nào đang mở") {
		t.Fatalf("told that no election is open while the deputy's is: %q", m.Text)
	}
	expect(t, m.Text, "Không có cuộc bầu Khối trưởng nào đang mở.")
	if len(h.block().OpenElections()) != 1 {
		t.Fatal("the deputy election was closed")
	}
	// A tied runoff of the deputy: /decide naming the leader's office.
	h.votes(reps, mttq, mttq, mttq, ccb, ccb, ccb)
	h.say(h.group, h.admin, "/closevote")
	h.votes(reps, mttq, mttq, mttq, ccb, ccb, ccb)
	h.say(h.group, h.admin, "/closevote")
	m = h.say(h.group, h.admin, "/decide khoitruong 1")
	if strings.Contains(m.Text, "Không có vòng bầu lại nào") {
		t.Fatalf("told that no runoff awaits while the deputy's does: %q", m.Text)
	}
	expect(t, m.Text, "Không có vòng bầu lại Khối trưởng nào hoà phiếu đang chờ quyết định.")
}
