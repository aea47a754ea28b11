package handlers_test

import (
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
