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

// electorate is the Lào Cai block with one representative per unit
// (users 101..107 for units u1..u7) and Tỉnh Đoàn (u6) as this year's leader.
func electorate(t *testing.T) (*Block, []Actor) {
	t.Helper()
	b := laoCai(t)
	reps := make([]Actor, len(b.Units))
	for i, u := range b.Units {
		reps[i] = Actor{UserID: int64(101 + i), Name: fmt.Sprintf("Đầu mối %d", i+1)}
		approve(t, b, reps[i], u.ID)
	}
	if _, err := b.SetRole(admin, RoleLeader, "Tỉnh Đoàn", t0); err != nil {
		t.Fatal(err)
	}
	b.TakeEvents()
	return b, reps
}

// mustOpen opens an election or fails the test.
func mustOpen(t *testing.T, b *Block, spec ElectionSpec) Election {
	t.Helper()
	e, err := b.OpenElection(admin, spec, t0)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// receipts hands out distinct receipt codes.
var receiptSeq int

func nextReceipt() string {
	receiptSeq++
	return fmt.Sprintf("R%05d", receiptSeq)
}

// mustVote casts a ballot of the representative for the candidate.
func mustVote(t *testing.T, b *Block, rep Actor, electionID, candidate string) VoteOutcome {
	t.Helper()
	out, err := b.Vote(rep, electionID, candidate, nextReceipt(), t0.Add(time.Minute))
	if err != nil {
		t.Fatalf("%s votes for %s: %v", rep.Name, candidate, err)
	}
	return out
}

// votes casts the ballots of reps[i] for candidates[i] ("" abstains).
func votes(t *testing.T, b *Block, reps []Actor, electionID string, candidates ...string) {
	t.Helper()
	for i, c := range candidates {
		if c != "" {
			mustVote(t, b, reps[i], electionID, c)
		}
	}
}

func actions(ev []Event) []string {
	var out []string
	for _, e := range ev {
		out = append(out, e.Action)
	}
	return out
}

func TestOpenElectionCandidatesAndRules(t *testing.T) {
	b, reps := electorate(t)
	if _, err := b.OpenElection(reps[0], ElectionSpec{Role: RoleLeader}, t0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("non-manager opens: %v", err)
	}
	// The leader unit's representative is a manager; the outgoing leader
	// (u6) is no candidate by default.
	e, err := b.OpenElection(reps[5], ElectionSpec{Role: RoleLeader, Secret: true}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"u1", "u2", "u3", "u4", "u5", "u7"}; !slices.Equal(e.Candidates, want) {
		t.Fatalf("candidates %v", e.Candidates)
	}
	if e.Year != 2027 || e.Round != 1 || !e.CloseAt.Equal(t0.Add(24*time.Hour)) || len(e.Roll) != 7 || e.State != ElectionOpen {
		t.Fatalf("election %+v", e)
	}
	ev := b.TakeEvents()
	if len(ev) != 1 || ev[0].Action != "election.leader.open" || !strings.Contains(ev[0].After, "🔒") || !strings.Contains(ev[0].After, "11/01/2026 09:00") {
		t.Fatalf("events %+v", ev)
	}
	if _, err := b.OpenElection(admin, ElectionSpec{Role: RoleLeader}, t0); !errors.Is(err, ErrElectionOpen) {
		t.Fatalf("second open leader election: %v", err)
	}
	if !b.nextElectionDue().Equal(e.CloseAt) {
		t.Fatalf("next due %v", b.nextElectionDue())
	}
	if d := b.NextDue(); d.IsZero() || d.After(e.CloseAt) {
		t.Fatalf("the block is due %v, after the closing time %v", d, e.CloseAt)
	}

	// A deputy election may run at the same time; explicit candidates keep
	// their order and lose repeats; the closing time must be ahead.
	if _, err := b.OpenElection(admin, ElectionSpec{Role: RoleDeputy, CloseAt: t0}, t0); !errors.Is(err, ErrCloseTime) {
		t.Fatalf("closing now: %v", err)
	}
	if _, err := b.OpenElection(admin, ElectionSpec{Role: RoleDeputy, Candidates: []string{"u9"}}, t0); !errors.Is(err, ErrUnitNotFound) {
		t.Fatalf("unknown candidate: %v", err)
	}
	d, err := b.OpenElection(admin, ElectionSpec{Role: RoleDeputy, Candidates: []string{"u3", "u1", "u3", "u6"}, CloseAt: t0.Add(2 * time.Hour), Reelection: true}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Candidates, []string{"u3", "u1", "u6"}) || d.Reelection || d.Secret {
		t.Fatalf("deputy election %+v", d)
	}
	if !b.nextElectionDue().Equal(t0.Add(2 * time.Hour)) {
		t.Fatalf("next due %v", b.nextElectionDue())
	}
	if got := b.OpenElections(); len(got) != 2 || got[0].ID != e.ID || got[1].ID != d.ID {
		t.Fatalf("open elections %+v", got)
	}
}

func TestOutgoingLeaderNeedsReelection(t *testing.T) {
	b, _ := electorate(t)
	if _, err := b.OpenElection(admin, ElectionSpec{Role: RoleLeader, Candidates: []string{"u6", "u1"}}, t0); !errors.Is(err, ErrOutgoingLeader) {
		t.Fatalf("outgoing leader listed: %v", err)
	}
	e := mustOpen(t, b, ElectionSpec{Role: RoleLeader, Reelection: true})
	if !e.IsCandidate("u6") || len(e.Candidates) != 7 || !e.Reelection {
		t.Fatalf("re-election allowed: %+v", e.Candidates)
	}
	b2, _ := electorate(t)
	b2.Units = nil
	if _, err := b2.OpenElection(admin, ElectionSpec{Role: RoleDeputy}, t0); !errors.Is(err, ErrNoCandidates) {
		t.Fatalf("no units: %v", err)
	}
}

func TestVoteRulesAndSecretHistory(t *testing.T) {
	b, reps := electorate(t)
	e := mustOpen(t, b, ElectionSpec{Role: RoleLeader, Secret: true})
	b.TakeEvents()
	now := t0.Add(time.Minute)
	if _, err := b.Vote(lan, e.ID, "u1", "AAAAAA", now); !errors.Is(err, ErrNotVoter) {
		t.Fatalf("non-representative: %v", err)
	}
	if _, err := b.Vote(reps[0], e.ID, "u6", "AAAAAA", now); !errors.Is(err, ErrNotCandidate) {
		t.Fatalf("non-candidate: %v", err)
	}
	if _, err := b.Vote(reps[0], "e99", "u1", "AAAAAA", now); !errors.Is(err, ErrElectionNotFound) {
		t.Fatalf("unknown election: %v", err)
	}
	out, err := b.Vote(reps[0], e.ID, "u2", "AAAAAA", now)
	if err != nil || out.Changed || out.Closing != nil || out.Ballot.UnitID != "u1" || out.Ballot.Receipt != "AAAAAA" {
		t.Fatalf("vote %+v %v", out, err)
	}
	if _, err := b.Vote(reps[1], e.ID, "u2", "AAAAAA", now); !errors.Is(err, ErrReceiptTaken) {
		t.Fatalf("receipt reused: %v", err)
	}
	// A second representative of u1 changes the unit's vote: its ballot is
	// replaced, and the history records both presses.
	minh2 := Actor{UserID: 201, Name: "Minh"}
	approve(t, b, minh2, "u1")
	b.TakeEvents()
	out, err = b.Vote(minh2, e.ID, "u3", "BBBBBB", now.Add(time.Minute))
	if err != nil || !out.Changed {
		t.Fatalf("changed vote %+v %v", out, err)
	}
	el := b.Election(e.ID)
	if c := el.Counted(); len(c) != 1 || c[0].Candidate != "u3" || c[0].UserID != 201 || len(el.Ballots) != 1 || el.Ballots[0] != c[0] {
		t.Fatalf("counted %+v, ballots %+v", c, el.Ballots)
	}
	if !slices.Equal(el.Voted(), []string{"u1"}) || len(el.NotVoted()) != 6 {
		t.Fatalf("voted %v, not voted %v", el.Voted(), el.NotVoted())
	}
	// The secret ballot's history says who voted, never for whom nor the
	// receipt, nor whether a later press changed the unit's vote.
	ev := b.TakeEvents()
	if !slices.Equal(actions(ev), []string{"election.leader.again"}) || ev[0].Subject != "u1" || ev[0].Before != "" || ev[0].After != "" {
		t.Fatalf("events %+v", ev)
	}
	// The roll is frozen at the opening.
	b.AddUnits(admin, []string{"Hội Khuyến học tỉnh"}, now)
	late := Actor{UserID: 301, Name: "Hoa"}
	approve(t, b, late, "Hội Khuyến học tỉnh")
	if _, err := b.Vote(late, e.ID, "u1", "CCCCCC", now); !errors.Is(err, ErrNotOnRoll) {
		t.Fatalf("unit added after opening: %v", err)
	}
	// No ballot once the closing time has come, even before the close runs.
	if _, err := b.Vote(reps[2], e.ID, "u1", "DDDDDD", e.CloseAt); !errors.Is(err, ErrElectionClosed) {
		t.Fatalf("vote at the closing time: %v", err)
	}
}

func TestOpenBallotHistoryShowsChoice(t *testing.T) {
	b, reps := electorate(t)
	e := mustOpen(t, b, ElectionSpec{Role: RoleDeputy})
	b.TakeEvents()
	if _, err := b.Vote(reps[0], e.ID, "u2", "AAAAAA", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Vote(reps[0], e.ID, "u3", "BBBBBB", t0); err != nil {
		t.Fatal(err)
	}
	ev := b.TakeEvents()
	if len(ev) != 2 || ev[0].After != "Hội Cựu chiến binh tỉnh (AAAAAA)" || ev[1].Before != "Hội Cựu chiến binh tỉnh" || ev[1].After != "Hội Nông dân tỉnh (BBBBBB)" {
		t.Fatalf("events %+v", ev)
	}
}

func TestMajorityWins(t *testing.T) {
	b, reps := electorate(t)
	e := mustOpen(t, b, ElectionSpec{Role: RoleLeader, Secret: true})
	votes(t, b, reps, e.ID, "u1", "u1", "u1", "u2", "", "", "u1")
	b.TakeEvents()
	if _, err := b.CloseElection(reps[0], e.ID, t0.Add(time.Hour)); !errors.Is(err, ErrForbidden) {
		t.Fatalf("non-manager closes: %v", err)
	}
	c, err := b.CloseElection(reps[5], e.ID, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	got := c.Election
	if got.State != ElectionWon || got.Winner != "u1" || got.Result.Cast != 5 || !got.Result.Quorum || got.CloseReason != ClosedByHand || got.ClosedBy != "Đầu mối 6" {
		t.Fatalf("closed %+v", got)
	}
	if el := b.ElectedFor(RoleLeader); el == nil || el.UnitID != "u1" || el.Year != 2027 || el.Name != "Ủy ban MTTQ Việt Nam tỉnh" {
		t.Fatalf("elected %+v", el)
	}
	ev := b.TakeEvents()
	if !slices.Equal(actions(ev), []string{"election.leader.close", "election.leader.elected"}) {
		t.Fatalf("events %v", actions(ev))
	}
	if ev[0].After != "🗳 5/7: Ủy ban MTTQ Việt Nam tỉnh 4; Hội Cựu chiến binh tỉnh 1; Hội Nông dân tỉnh 0; Liên đoàn Lao động tỉnh 0; Hội Liên hiệp Phụ nữ tỉnh 0; Hội Chữ thập đỏ tỉnh 0" {
		t.Fatalf("close event %q", ev[0].After)
	}
	if _, err := b.CloseElection(admin, e.ID, t0.Add(time.Hour)); !errors.Is(err, ErrElectionClosed) {
		t.Fatalf("closed twice: %v", err)
	}
	if _, err := b.Vote(reps[4], e.ID, "u1", nextReceipt(), t0.Add(time.Hour)); !errors.Is(err, ErrElectionClosed) {
		t.Fatalf("vote after the close: %v", err)
	}
	// The result is due to be announced until the group has been told.
	if got := b.UnannouncedClosings(); len(got) != 1 || got[0].Election.ID != e.ID || !b.nextElectionDue().Equal(b.Election(e.ID).ClosedAt) {
		t.Fatalf("unannounced %v, next due %v", got, b.nextElectionDue())
	}
	if err := b.MarkAnnounced(e.ID); err != nil {
		t.Fatal(err)
	}
	if len(b.UnannouncedClosings()) != 0 || !b.nextElectionDue().IsZero() {
		t.Fatalf("next due %v after the announcement", b.nextElectionDue())
	}
	if err := b.MarkAnnounced("nope"); !errors.Is(err, ErrElectionNotFound) {
		t.Fatalf("unknown election: %v", err)
	}
}

func TestNoMajorityOpensRunoffOfTopTwo(t *testing.T) {
	b, reps := electorate(t)
	e := mustOpen(t, b, ElectionSpec{Role: RoleLeader, Secret: true, CloseAt: t0.Add(3 * time.Hour)})
	// u1 3, u2 1, u3 1, u4 1: u1 lacks a majority of 6; u2, u3, u4 tie for second.
	votes(t, b, reps, e.ID, "u1", "u1", "u1", "u2", "u3", "u4", "")
	b.TakeEvents()
	at := t0.Add(time.Hour)
	c, err := b.CloseElection(admin, e.ID, at)
	if err != nil {
		t.Fatal(err)
	}
	if c.Election.State != ElectionRunoff || !slices.Equal(c.Election.Result.Tied, []string{"u1", "u2", "u3", "u4"}) || c.Runoff == nil {
		t.Fatalf("closing %+v", c)
	}
	r := *c.Runoff
	// Three hours from 17:00 in the block's zone would be after working
	// hours: the runoff closes at 17:00 the next day (see
	// TestRunoffClosesInWorkingHours).
	if r.Round != 2 || r.Parent != e.ID || !r.Secret || !slices.Equal(r.Candidates, []string{"u1", "u2", "u3", "u4"}) ||
		!r.CloseAt.Equal(time.Date(2026, 1, 11, 17, 0, 0, 0, hcm)) || len(r.Roll) != 7 || r.State != ElectionOpen || c.Election.Runoff != r.ID {
		t.Fatalf("runoff %+v", r)
	}
	if b.ElectedFor(RoleLeader) != nil {
		t.Fatal("elected without a majority")
	}
	if got := actions(b.TakeEvents()); !slices.Equal(got, []string{"election.leader.close", "election.leader.runoff"}) {
		t.Fatalf("events %v", got)
	}
	// In the runoff the most votes win.
	votes(t, b, reps, r.ID, "u2", "u2", "u1", "u1", "u2", "", "")
	c, err = b.CloseElection(admin, r.ID, at.Add(time.Hour))
	if err != nil || c.Election.State != ElectionWon || c.Election.Winner != "u2" || c.Runoff != nil {
		t.Fatalf("runoff closing %+v %v", c, err)
	}
}

func TestTieForFirstAndRunoffTieDecided(t *testing.T) {
	b, reps := electorate(t)
	e := mustOpen(t, b, ElectionSpec{Role: RoleDeputy, Candidates: []string{"u1", "u2", "u3"}})
	votes(t, b, reps, e.ID, "u1", "u1", "u2", "u2", "u3", "", "")
	c, err := b.CloseElection(admin, e.ID, t0.Add(time.Hour))
	if err != nil || !slices.Equal(c.Runoff.Candidates, []string{"u1", "u2"}) {
		t.Fatalf("tie for first: %+v %v", c, err)
	}
	r := c.Runoff.ID
	votes(t, b, reps, r, "u1", "u2", "u1", "u2", "", "", "")
	c, err = b.CloseElection(admin, r, t0.Add(2*time.Hour))
	if err != nil || c.Election.State != ElectionTied || !slices.Equal(c.Election.Result.Tied, []string{"u1", "u2"}) || c.Runoff != nil {
		t.Fatalf("runoff tie: %+v %v", c, err)
	}
	b.TakeEvents()
	if _, err := b.OpenElection(admin, ElectionSpec{Role: RoleDeputy}, t0.Add(2*time.Hour)); !errors.Is(err, ErrDecisionPending) {
		t.Fatalf("new election over a pending tie: %v", err)
	}
	if _, err := b.DecideElection(reps[0], r, "u1", t0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("non-manager decides: %v", err)
	}
	if _, err := b.DecideElection(admin, r, "u3", t0); !errors.Is(err, ErrNotAmongTied) {
		t.Fatalf("decides for a unit not tied: %v", err)
	}
	if _, err := b.DecideElection(admin, e.ID, "u1", t0); !errors.Is(err, ErrNothingToDecide) {
		t.Fatalf("decides a round that is not tied: %v", err)
	}
	d, err := b.DecideElection(admin, r, "u2", t0.Add(3*time.Hour))
	if err != nil || d.Election.State != ElectionDecided || d.Election.Winner != "u2" || d.Election.DecidedBy != "Admin" {
		t.Fatalf("decided %+v %v", d, err)
	}
	if el := b.ElectedFor(RoleDeputy); el == nil || el.UnitID != "u2" || el.ElectionID != r {
		t.Fatalf("elected %+v", el)
	}
	ev := b.TakeEvents()
	if !slices.Equal(actions(ev), []string{"election.deputy.decide", "election.deputy.elected"}) || ev[0].Subject != "u2" {
		t.Fatalf("events %+v", ev)
	}
	if _, err := b.DecideElection(admin, r, "u1", t0); !errors.Is(err, ErrNothingToDecide) {
		t.Fatalf("decided twice: %v", err)
	}
}

func TestQuorumFailureElectsNoOne(t *testing.T) {
	b, reps := electorate(t)
	e := mustOpen(t, b, ElectionSpec{Role: RoleLeader})
	votes(t, b, reps, e.ID, "u1", "u1", "u1", "", "", "", "") // 3 of 7: not more than half
	c, err := b.CloseElection(admin, e.ID, t0.Add(time.Hour))
	if err != nil || c.Election.State != ElectionNoQuorum || c.Election.Result.Quorum || c.Runoff != nil || b.ElectedFor(RoleLeader) != nil {
		t.Fatalf("no quorum: %+v %v", c, err)
	}
	if got := actions(b.TakeEvents()); got[len(got)-1] != "election.leader.noquorum" {
		t.Fatalf("events %v", got)
	}
	// The leader may open a new election.
	mustOpen(t, b, ElectionSpec{Role: RoleLeader})
}

func TestLastVoteClosesAtOnce(t *testing.T) {
	b, reps := electorate(t)
	e := mustOpen(t, b, ElectionSpec{Role: RoleLeader, Secret: true})
	votes(t, b, reps, e.ID, "u1", "u1", "u2", "u2", "u1", "u1")
	out := mustVote(t, b, reps[6], e.ID, "u7")
	if out.Closing == nil || out.Closing.Election.State != ElectionWon || out.Closing.Election.CloseReason != ClosedAllVoted || out.Closing.Election.Winner != "u1" {
		t.Fatalf("last vote %+v", out)
	}
	if c := b.CloseDueElections(e.CloseAt); len(c) != 0 {
		t.Fatalf("closed again on time: %+v", c)
	}
}

func TestCloseDueElectionsOnTime(t *testing.T) {
	b, reps := electorate(t)
	e := mustOpen(t, b, ElectionSpec{Role: RoleLeader, CloseAt: t0.Add(time.Hour)})
	votes(t, b, reps, e.ID, "u1", "u1", "u1", "u1")
	if c := b.CloseDueElections(t0.Add(59 * time.Minute)); len(c) != 0 {
		t.Fatalf("closed early: %+v", c)
	}
	late := t0.Add(5 * time.Hour) // the scheduler was down for a while
	c := b.CloseDueElections(late)
	if len(c) != 1 || c[0].Election.State != ElectionWon || c[0].Election.CloseReason != ClosedOnTime || !c[0].Election.ClosedAt.Equal(e.CloseAt) {
		t.Fatalf("closings %+v", c)
	}
	if ev := b.TakeEvents(); ev[len(ev)-2].ActorName != "thiduabot" || !ev[len(ev)-2].At.Equal(late) {
		t.Fatalf("close event %+v", ev[len(ev)-2])
	}
	if c := b.CloseDueElections(late); len(c) != 0 {
		t.Fatalf("closed twice: %+v", c)
	}
}

// A manager's close once the closing time has come, before the scheduler
// ran, is a close on time by the bot: voting had ended already.
func TestCloseElectionAfterTheClosingTimeIsOnTime(t *testing.T) {
	b, reps := electorate(t)
	e := mustOpen(t, b, ElectionSpec{Role: RoleLeader, CloseAt: t0.Add(time.Hour)})
	votes(t, b, reps, e.ID, "u1", "u1", "u1", "u1")
	if _, err := b.CloseElection(reps[0], e.ID, t0.Add(time.Hour)); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a member closes: %v", err)
	}
	c, err := b.CloseElection(admin, e.ID, t0.Add(time.Hour+30*time.Second))
	if err != nil || c.Election.CloseReason != ClosedOnTime || c.Election.ClosedBy != "thiduabot" || !c.Election.ClosedAt.Equal(e.CloseAt) ||
		c.Election.State != ElectionWon {
		t.Fatalf("closing %+v, %v", c.Election, err)
	}
	if c := b.CloseDueElections(t0.Add(2 * time.Hour)); len(c) != 0 {
		t.Fatalf("closed twice: %+v", c)
	}
}

func TestWinningOtherOfficeVacatesIt(t *testing.T) {
	b, reps := electorate(t)
	d := mustOpen(t, b, ElectionSpec{Role: RoleDeputy})
	l := mustOpen(t, b, ElectionSpec{Role: RoleLeader})
	votes(t, b, reps, d.ID, "u1", "u1", "u1", "u1")
	if _, err := b.CloseElection(admin, d.ID, t0); err != nil {
		t.Fatal(err)
	}
	// A deputy-elect is not a default candidate of a later leader election...
	b.TakeEvents()
	votes(t, b, reps, l.ID, "u1", "u1", "u1", "u1")
	c, err := b.CloseElection(admin, l.ID, t0)
	if err != nil {
		t.Fatal(err)
	}
	// ...but one opened at the same time may elect it, which vacates the other office.
	if c.Vacated == nil || c.Vacated.Role != RoleDeputy || c.Vacated.UnitID != "u1" || b.ElectedFor(RoleDeputy) != nil || b.ElectedFor(RoleLeader).UnitID != "u1" {
		t.Fatalf("vacated %+v, elected %+v", c.Vacated, b.Elections.Elected)
	}
	if got := actions(b.TakeEvents()); !slices.Contains(got, "election.deputy.vacate") {
		t.Fatalf("events %v", got)
	}
	n := mustOpen(t, b, ElectionSpec{Role: RoleDeputy})
	if n.IsCandidate("u1") {
		t.Fatal("the leader-elect is a default deputy candidate")
	}
}

// Two representatives of one unit pressing at the same moment: the store
// applies one update after the other (re-running the loser on the winner's
// result), so the unit ends with one counted ballot whichever order wins.
func TestSimultaneousPressesOfOneUnit(t *testing.T) {
	for _, order := range [][2]int{{0, 1}, {1, 0}} {
		b, _ := electorate(t)
		lan2 := Actor{UserID: 202, Name: "Lan"}
		hoa2 := Actor{UserID: 203, Name: "Hoa"}
		approve(t, b, lan2, "u3")
		approve(t, b, hoa2, "u3")
		e := mustOpen(t, b, ElectionSpec{Role: RoleLeader, Secret: true})
		doc, _ := json.Marshal(b)
		press := []func(*Block) (VoteOutcome, error){
			func(b *Block) (VoteOutcome, error) { return b.Vote(lan2, e.ID, "u1", "LANLAN", t0) },
			func(b *Block) (VoteOutcome, error) { return b.Vote(hoa2, e.ID, "u2", "HOAHOA", t0) },
		}
		// Both read the same version; the first writes, the second retries
		// on the written version.
		var first, second Block
		json.Unmarshal(doc, &first)
		json.Unmarshal(doc, &second)
		if _, err := press[order[0]](&first); err != nil {
			t.Fatal(err)
		}
		if _, err := press[order[1]](&second); err != nil {
			t.Fatal(err)
		}
		written, _ := json.Marshal(&first)
		var retried Block
		json.Unmarshal(written, &retried)
		out, err := press[order[1]](&retried)
		if err != nil || !out.Changed {
			t.Fatalf("retried press %+v %v", out, err)
		}
		el := retried.Election(e.ID)
		if c := el.Counted(); len(c) != 1 || len(el.Ballots) != 1 {
			t.Fatalf("order %v: counted %+v of %+v", order, c, el.Ballots)
		}
	}
}

func TestElectionsSurviveEncoding(t *testing.T) {
	var old Block
	if err := json.Unmarshal([]byte(`{"schema":1,"id":"b","year":2026}`), &old); err != nil {
		t.Fatal(err)
	}
	if len(old.Elections.List) != 0 || old.LatestElection("") != nil || !old.nextElectionDue().IsZero() || len(old.OpenElections()) != 0 {
		t.Fatalf("old document %+v", old.Elections)
	}
	b, reps := electorate(t)
	e := mustOpen(t, b, ElectionSpec{Role: RoleLeader, Secret: true})
	votes(t, b, reps, e.ID, "u1", "u2")
	if err := b.SetBallotMessage(e.ID, 42); err != nil {
		t.Fatal(err)
	}
	doc, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var back Block
	if err := json.Unmarshal(doc, &back); err != nil {
		t.Fatal(err)
	}
	got := back.Election(e.ID)
	if got == nil || got.MessageID != 42 || len(got.Ballots) != 2 || !got.CloseAt.Equal(e.CloseAt) || !got.Secret || !slices.Equal(got.NotVoted(), []string{"u3", "u4", "u5", "u6", "u7"}) {
		t.Fatalf("decoded %+v", got)
	}
	if err := back.SetBallotMessage("e99", 1); !errors.Is(err, ErrElectionNotFound) {
		t.Fatalf("unknown election: %v", err)
	}
}

// A representative whom the leader unit's representative approves once the
// election is open does not vote in it (they could otherwise give another
// unit a voter of their choosing mid-vote); one a group administrator
// approves does, as do the representatives from before.
func TestVoterApprovedDuringElection(t *testing.T) {
	b, reps := electorate(t)
	e := mustOpen(t, b, ElectionSpec{Role: RoleLeader, Secret: true})
	later := t0.Add(time.Hour)
	join := func(a, approver Actor, unit string) {
		t.Helper()
		req, err := b.RequestJoin(a, unit, later)
		if err == nil {
			_, err = b.DecideJoin(approver, req.ID, true, later)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	stranger := Actor{UserID: 401, Name: "Người lạ"}
	join(stranger, reps[5], "u1") // by Tỉnh Đoàn's representative, the leader unit's
	if _, err := b.Vote(stranger, e.ID, "u2", "AAAAAA", later); !errors.Is(err, ErrVoterTooNew) {
		t.Fatalf("a representative approved mid-vote by the leader unit: %v", err)
	}
	if el := b.Election(e.ID); len(el.Ballots) != 0 {
		t.Fatalf("ballots %+v", el.Ballots)
	}
	if barred := b.BarredElections(stranger.UserID, later); len(barred) != 1 || barred[0].ID != e.ID {
		t.Fatalf("the elections barred to the stranger: %+v", barred)
	}
	if barred := b.BarredElections(stranger.UserID, e.CloseAt); barred != nil {
		t.Fatalf("at its closing time, before the tick, the election is over: %+v", barred)
	}
	newcomer := Actor{UserID: 402, Name: "Người mới"}
	join(newcomer, admin, "u2")
	if barred := b.BarredElections(newcomer.UserID, later); len(barred) != 0 || b.BarredElections(reps[0].UserID, later) != nil || b.BarredElections(999, later) != nil {
		t.Fatalf("elections barred to voters: %+v", barred)
	}
	if _, err := b.Vote(newcomer, e.ID, "u1", "BBBBBB", later); err != nil {
		t.Fatalf("a representative approved mid-vote by a group administrator: %v", err)
	}
	mustVote(t, b, reps[0], e.ID, "u3")
	if c := b.Election(e.ID).Counted(); len(c) != 2 || c[0].UnitID != "u1" || c[0].Candidate != "u3" {
		t.Fatalf("counted %+v", c)
	}
	// The record survives storage.
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var again Block
	if err := json.Unmarshal(data, &again); err != nil || !again.RepOf(402).ApprovedByAdmin || again.RepOf(401).ApprovedByAdmin {
		t.Fatalf("reps after encoding: %+v, %v", again.Reps, err)
	}
}

// Documents of schema 1 did not record who approved a representative: after
// the upgrade their representatives keep the vote they had in an election
// already open.
func TestMigrateKeepsEarlierRepresentativesVoting(t *testing.T) {
	b, _ := electorate(t)
	e := mustOpen(t, b, ElectionSpec{Role: RoleLeader, Secret: true})
	later := t0.Add(time.Hour)
	req, err := b.RequestJoin(Actor{UserID: 501, Name: "Sơn"}, "u2", later)
	if err == nil {
		_, err = b.DecideJoin(admin, req.ID, true, later)
	}
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var old map[string]any
	if err := json.Unmarshal(data, &old); err != nil {
		t.Fatal(err)
	}
	old["schema"] = 1
	for _, r := range old["reps"].([]any) {
		delete(r.(map[string]any), "approved_by_admin")
	}
	if data, err = json.Marshal(old); err != nil {
		t.Fatal(err)
	}
	var read Block
	if err := json.Unmarshal(data, &read); err != nil {
		t.Fatal(err)
	}
	if err := read.Migrate(); err != nil || read.Schema != SchemaVersion {
		t.Fatalf("Migrate: schema %d, %v", read.Schema, err)
	}
	if _, err := read.Vote(Actor{UserID: 501, Name: "Sơn"}, e.ID, "u1", "MIGRAT", later); err != nil {
		t.Fatalf("a representative from a schema 1 document: %v", err)
	}
}

// A unit elected to an office stays elected until an election elects
// another: a new election for the office opens only once a manager
// confirmed it (ElectionSpec.Confirmed, the office's latest election as
// they saw it), and a confirmation outlived by a later election, or by the
// year, opens nothing.
func TestNewElectionOverAnElectedUnitNeedsConfirmation(t *testing.T) {
	b, reps := electorate(t)
	e := mustOpen(t, b, ElectionSpec{Role: RoleLeader})
	votes(t, b, reps, e.ID, "u1", "u1", "u1", "u1")
	if _, err := b.CloseElection(admin, e.ID, t0); err != nil {
		t.Fatal(err)
	}
	b.TakeEvents()
	// Without a confirmation: refused, once everything else is in order.
	for _, tc := range []struct {
		spec ElectionSpec
		want error
	}{
		{ElectionSpec{Role: RoleLeader, CloseAt: t0}, ErrCloseTime},
		{ElectionSpec{Role: RoleLeader, Candidates: []string{"u9"}}, ErrUnitNotFound},
		{ElectionSpec{Role: RoleLeader, Confirmed: "e99"}, ErrElectionsChanged},
		{ElectionSpec{Role: RoleLeader}, ErrAlreadyElected},
		{ElectionSpec{Role: RoleLeader, Candidates: []string{"u2", "u3"}, Secret: true}, ErrAlreadyElected},
	} {
		if _, err := b.OpenElection(admin, tc.spec, t0); !errors.Is(err, tc.want) {
			t.Errorf("OpenElection(%+v) = %v, want %v", tc.spec, err, tc.want)
		}
	}
	if len(b.Elections.List) != 1 || len(b.TakeEvents()) != 0 {
		t.Fatalf("refusals changed the block: %+v", b.Elections.List)
	}
	// The deputy's office, where no one is elected, needs none.
	mustOpen(t, b, ElectionSpec{Role: RoleDeputy})

	// Confirmed: the new election opens, and the unit stays elected
	// meanwhile; the same confirmation again opens nothing more.
	again := mustOpen(t, b, ElectionSpec{Role: RoleLeader, Confirmed: e.ID})
	if el := b.ElectedFor(RoleLeader); el == nil || el.UnitID != "u1" || el.ElectionID != e.ID {
		t.Fatalf("elected while the new election runs: %+v", el)
	}
	if _, err := b.OpenElection(admin, ElectionSpec{Role: RoleLeader, Confirmed: e.ID}, t0); !errors.Is(err, ErrElectionsChanged) {
		t.Fatalf("confirmed twice: %v", err)
	}
	// Electing no one keeps the result; the confirmation given before that
	// election still opens nothing.
	if c, err := b.CloseElection(admin, again.ID, t0.Add(time.Hour)); err != nil || c.Election.State != ElectionNoQuorum {
		t.Fatalf("closing without votes: %+v, %v", c, err)
	}
	if el := b.ElectedFor(RoleLeader); el == nil || el.UnitID != "u1" {
		t.Fatalf("elected after an election without quorum: %+v", el)
	}
	if _, err := b.OpenElection(admin, ElectionSpec{Role: RoleLeader, Confirmed: e.ID}, t0.Add(time.Hour)); !errors.Is(err, ErrElectionsChanged) {
		t.Fatalf("a confirmation outlived by an election: %v", err)
	}
	// Electing another unit replaces the result, as the history says.
	third, err := b.OpenElection(admin, ElectionSpec{Role: RoleLeader, Confirmed: again.ID}, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	votes(t, b, reps, third.ID, "u2", "u2", "u2", "u2")
	b.TakeEvents()
	if _, err := b.CloseElection(admin, third.ID, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if el := b.ElectedFor(RoleLeader); el == nil || el.UnitID != "u2" || el.ElectionID != third.ID {
		t.Fatalf("elected %+v", el)
	}
	if ev := b.TakeEvents(); ev[len(ev)-1].Action != "election.leader.elected" || ev[len(ev)-1].Before != "Ủy ban MTTQ Việt Nam tỉnh" {
		t.Fatalf("events %+v", ev)
	}

	// A unit elected, then removed from the block, is replaced without a
	// question.
	for _, d := range b.OpenElections() {
		votes(t, b, reps, d.ID, "u3", "u3", "u3", "u3")
		if _, err := b.CloseElection(admin, d.ID, t0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := b.RemoveUnit(admin, "u3", t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	last := mustOpen(t, b, ElectionSpec{Role: RoleDeputy, CloseAt: t0.Add(3 * time.Hour)})
	if _, err := b.CloseElection(admin, last.ID, t0.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}

	// The year turned: a confirmation of the year before opens nothing.
	for _, e := range b.Elections.List {
		if err := b.MarkAnnounced(e.ID); err != nil {
			t.Fatal(err)
		}
	}
	dec := time.Date(2026, 12, 2, 9, 0, 0, 0, ict)
	if _, err := b.StartYear(admin, dec); err != nil {
		t.Fatal(err)
	}
	if _, err := b.OpenElection(admin, ElectionSpec{Role: RoleLeader, Confirmed: third.ID}, dec); !errors.Is(err, ErrElectionsChanged) {
		t.Fatalf("a confirmation of the year before: %v", err)
	}
}

// A runoff lasts as long as the round it continues, unless it would then
// close outside working hours (07:00–17:00 in the block's zone), or on a
// Saturday or Sunday when the block's reminders skip weekends: it then
// closes at the first round's closing time of day (17:00 when that is
// outside working hours too) on the first working day from then, never
// sooner than the round's duration. A round of 08:00–17:00 no longer gives
// a runoff closing, and announced, at 02:00.
func TestRunoffClosesInWorkingHours(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name                   string
		zone                   string
		weekendsOff            bool
		opened, closes, closed time.Time // closed before closes: by hand
		want                   time.Time
	}{
		{name: "within working hours, as long as the first round",
			opened: at(2026, 11, 25, 8, 0), closes: at(2026, 11, 25, 11, 0), closed: at(2026, 11, 25, 11, 0), want: at(2026, 11, 25, 14, 0)},
		{name: "a working day's round: at night, so the next day at its closing time",
			opened: at(2026, 11, 25, 8, 0), closes: at(2026, 11, 25, 17, 0), closed: at(2026, 11, 25, 17, 0), want: at(2026, 11, 26, 17, 0)},
		{name: "closed early by hand, the runoff would close at 19:00: the next day",
			opened: at(2026, 11, 25, 8, 0), closes: at(2026, 11, 25, 17, 0), closed: at(2026, 11, 25, 10, 0), want: at(2026, 11, 26, 17, 0)},
		{name: "before working hours: that day, at the round's closing time",
			opened: at(2026, 11, 25, 14, 0), closes: at(2026, 11, 26, 9, 0), closed: at(2026, 11, 26, 9, 0), want: at(2026, 11, 27, 9, 0)},
		{name: "24 hours from a working morning stays",
			opened: at(2026, 11, 24, 9, 0), closes: at(2026, 11, 25, 9, 0), closed: at(2026, 11, 25, 9, 0), want: at(2026, 11, 26, 9, 0)},
		{name: "a round closing after hours: the runoff at 17:00, not sooner than its duration",
			opened: at(2026, 11, 24, 19, 0), closes: at(2026, 11, 25, 19, 0), closed: at(2026, 11, 25, 19, 0), want: at(2026, 11, 27, 17, 0)},
		{name: "a Saturday, with reminders on weekends",
			opened: at(2026, 11, 27, 8, 0), closes: at(2026, 11, 27, 17, 0), closed: at(2026, 11, 27, 17, 0), want: at(2026, 11, 28, 17, 0)},
		{name: "weekends off: Monday",
			weekendsOff: true, opened: at(2026, 11, 27, 8, 0), closes: at(2026, 11, 27, 17, 0), closed: at(2026, 11, 27, 17, 0), want: at(2026, 11, 30, 17, 0)},
		{name: "weekends off, within hours on a Saturday: Monday at the round's closing time",
			weekendsOff: true, opened: at(2026, 11, 26, 10, 0), closes: at(2026, 11, 27, 10, 0), closed: at(2026, 11, 27, 10, 0), want: at(2026, 11, 30, 10, 0)},
		{name: "the year's turn",
			opened: at(2026, 12, 31, 8, 0), closes: at(2026, 12, 31, 17, 0), closed: at(2026, 12, 31, 17, 0), want: at(2027, 1, 1, 17, 0)},
		{name: "the year's turn over a weekend off",
			weekendsOff: true, opened: at(2027, 12, 31, 8, 0), closes: at(2027, 12, 31, 17, 0), closed: at(2027, 12, 31, 17, 0), want: at(2028, 1, 3, 17, 0)},
		{name: "the wall clock across the end of daylight saving time",
			zone:   "Europe/Berlin",
			opened: time.Date(2026, 10, 24, 8, 0, 0, 0, berlin), closes: time.Date(2026, 10, 24, 17, 0, 0, 0, berlin),
			closed: time.Date(2026, 10, 24, 17, 0, 0, 0, berlin), want: time.Date(2026, 10, 25, 17, 0, 0, 0, berlin)},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, reps := electorate(t)
			if c.zone != "" {
				b.AdoptZone(c.zone)
			}
			if c.weekendsOff {
				s := DefaultReminders()
				s.Weekends = false
				if err := b.SetReminders(admin, s, c.opened); err != nil {
					t.Fatal(err)
				}
			}
			e, err := b.OpenElection(admin, ElectionSpec{Role: RoleLeader, CloseAt: c.closes}, c.opened)
			if err != nil {
				t.Fatal(err)
			}
			for i, cand := range []string{"u1", "u1", "u1", "u2", "u2", "u2"} {
				if _, err := b.Vote(reps[i], e.ID, cand, nextReceipt(), c.opened.Add(time.Minute)); err != nil {
					t.Fatal(err)
				}
			}
			var closing Closing
			if c.closed.Before(c.closes) {
				closing, err = b.CloseElection(admin, e.ID, c.closed)
			} else if due := b.CloseDueElections(c.closed); len(due) == 1 {
				closing = due[0]
			}
			if err != nil || closing.Runoff == nil {
				t.Fatalf("no runoff: %+v, %v", closing, err)
			}
			if got := closing.Runoff.CloseAt; !got.Equal(c.want) {
				t.Fatalf("the runoff closes %v, want %v", got.In(c.want.Location()), c.want)
			}
			if r := b.Election(closing.Runoff.ID); !r.CloseAt.Equal(c.want) {
				t.Fatalf("the runoff stored closes %v", r.CloseAt)
			}
		})
	}
}
