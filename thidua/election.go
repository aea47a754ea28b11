package thidua

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// DefaultVotingTime is how long an election stays open when no closing time
// is given.
const DefaultVotingTime = 24 * time.Hour

// The working hours of the provincial offices, in the block's time zone: a
// runoff that would close outside them closes within them instead (see
// runoffClose), when the units are at work to hear the result.
const (
	workdayStart Clock = 7 * 60                             // 07:00
	workdayEnd   Clock = Clock(DeadlineClock / time.Minute) // 17:00
)

// Errors of elections.
var (
	ErrElectionNotFound = newErr("election_not_found", "no such election")
	ErrElectionOpen     = newErr("election_open", "an election for this office is already open")
	ErrElectionClosed   = newErr("election_closed", "the election is closed")
	ErrNoOpenElection   = newErr("no_open_election", "no election is open")
	ErrDecisionPending  = newErr("decision_pending", "a tied runoff for this office awaits a decision")
	ErrNothingToDecide  = newErr("nothing_to_decide", "no tied runoff awaits a decision")
	ErrNotAmongTied     = newErr("not_among_tied", "the unit is not among the tied candidates")
	ErrNoCandidates     = newErr("no_candidates", "the election has no candidates")
	ErrOutgoingLeader   = newErr("outgoing_leader", "the outgoing leader may stand only when re-election is allowed")
	ErrCloseTime        = newErr("close_time", "the closing time is not in the future")
	ErrNotVoter         = newErr("not_voter", "only representatives of member units vote")
	ErrNotOnRoll        = newErr("not_on_roll", "the voter's unit is not on the election's roll")
	ErrVoterTooNew      = newErr("voter_too_new", "a representative approved after the election opened, other than by a group administrator, does not vote in it")
	ErrNotCandidate     = newErr("not_candidate", "not a candidate of this election")
	ErrReceiptTaken     = newErr("receipt_taken", "the receipt code is already used in this election")
	ErrAlreadyElected   = newErr("already_elected", "a unit is already elected to this office: a new election needs a manager's confirmation")
	ErrElectionsChanged = newErr("elections_changed", "the office's elections changed since the confirmation was asked")
)

// Elections holds the block's elections of next year's leader and deputy:
// every election ever opened, kept for the record, and the units elected.
// The zero value means no election yet.
//
// The elections change in place (their state, ballots, result), but some of
// their slices, and the pointer to an election's result, are only ever
// replaced or appended to, never changed in place: storage shares them
// between a stored block and the copies that changes start from (their tag
// copy:"append-only", or copy:"replaced" for the pointer; see storage's
// copyElections).
type Elections struct {
	// List holds every election, oldest first; a runoff comes after the
	// round it continues.
	List []Election `json:"list,omitempty"`
	// Elected holds the units elected to serve next year, at most one per
	// office. A new election replaces the list (see Block.elect).
	Elected []Elected `json:"elected,omitempty" copy:"append-only"`
}

// Elected is a unit elected to an office for a year.
type Elected struct {
	Role       Role      `json:"role"`
	UnitID     string    `json:"unit_id"`
	Name       string    `json:"name"` // the unit's name when it was elected
	Year       int       `json:"year"`
	ElectionID string    `json:"election_id"`
	At         time.Time `json:"at"`
}

// ElectionState is where an election stands.
type ElectionState string

// The states of an election. Every state but ElectionOpen is final, except
// that a tied runoff becomes decided.
const (
	ElectionOpen     ElectionState = "open"      // accepting ballots
	ElectionWon      ElectionState = "won"       // closed with a winner
	ElectionRunoff   ElectionState = "runoff"    // closed without a majority; a runoff was opened
	ElectionTied     ElectionState = "tied"      // a runoff closed tied; awaits DecideElection
	ElectionNoQuorum ElectionState = "no_quorum" // closed with half of the roll or less voting
	ElectionDecided  ElectionState = "decided"   // a tie settled by a manager
)

// CloseReason says what closed an election.
type CloseReason string

// The reasons an election closes.
const (
	ClosedOnTime   CloseReason = "time"      // its closing time came
	ClosedAllVoted CloseReason = "all_voted" // every unit on the roll voted
	ClosedByHand   CloseReason = "manual"    // a manager closed it
)

// Election is one round of voting for an office. A unit has one vote, cast
// by any of its representatives; a later ballot of the unit replaces its
// earlier one, and every ballot is kept.
type Election struct {
	ID   string `json:"id"`
	Role Role   `json:"role"`
	// Year is the year the elected unit serves: the block's year plus one.
	Year int `json:"year"`
	// Round is 1 for an election and 2, 3... for the runoffs that follow it.
	Round int `json:"round"`
	// Parent is the id of the round this runoff continues.
	Parent string `json:"parent,omitempty"`
	// Secret hides how each unit voted and the tally until the close.
	Secret bool `json:"secret"`
	// Reelection lets the outgoing leader stand in a leader election.
	Reelection bool `json:"reelection,omitempty"`
	// Candidates are unit ids, in the order of the ballot's buttons, set
	// when the election opens and never changed.
	Candidates []string `json:"candidates" copy:"append-only"`
	// Roll lists the units that may vote, frozen when the election opened.
	Roll       []RollUnit    `json:"roll" copy:"append-only"`
	OpenedByID int64         `json:"opened_by_id"`
	OpenedBy   string        `json:"opened_by"`
	OpenedAt   time.Time     `json:"opened_at"`
	CloseAt    time.Time     `json:"close_at"`
	State      ElectionState `json:"state"`
	// Ballots holds each unit's ballot: a press replaces the unit's earlier
	// ballot, which the history records (see Vote). Documents written
	// before may hold earlier ballots too; each unit's latest counts.
	Ballots     []Ballot    `json:"ballots,omitempty"`
	ClosedAt    time.Time   `json:"closed_at,omitzero"`
	ClosedBy    string      `json:"closed_by,omitempty"`
	CloseReason CloseReason `json:"close_reason,omitempty"`
	// Result is the count, frozen at the close: the close sets a new one,
	// with the tied candidates, which nothing changes after.
	Result *Result `json:"result,omitempty" copy:"replaced"`
	// Winner is the elected unit, once there is one.
	Winner string `json:"winner,omitempty"`
	// Runoff is the id of the runoff opened when this round had no winner.
	Runoff    string    `json:"runoff,omitempty"`
	DecidedBy string    `json:"decided_by,omitempty"`
	DecidedAt time.Time `json:"decided_at,omitzero"`
	// MessageID is the group message showing the ballot, edited as votes
	// come in and when the election closes; 0 until it is posted.
	MessageID int `json:"message_id,omitempty"`
	// AnnouncePending is set when the election closes and cleared once the
	// group has been told the result (MarkAnnounced), so that a result the
	// bot could not post (Telegram unreachable, a crash) is posted later.
	AnnouncePending bool `json:"announce_pending,omitempty"`
}

// RollUnit is a unit on an election's roll, with its name at the opening.
type RollUnit struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Ballot is a unit's vote, as its latest press of a candidate's button cast
// it: who cast it and when, and the receipt code given to the voter.
type Ballot struct {
	UnitID    string    `json:"unit_id"`
	Candidate string    `json:"candidate"`
	Receipt   string    `json:"receipt"`
	UserID    int64     `json:"user_id"`
	UserName  string    `json:"user_name"`
	At        time.Time `json:"at"`
}

// Result is the count of a closed election.
type Result struct {
	// Roll is the number of units on the roll; Cast the number that voted.
	Roll int `json:"roll"`
	Cast int `json:"cast"`
	// Tally holds the votes of every candidate, in candidate order.
	Tally []Tally `json:"tally"`
	// Quorum reports whether more than half of the roll voted.
	Quorum bool `json:"quorum"`
	// Tied lists the candidates without whom no one won: those sent to the
	// runoff after a first round, or those tied first in a runoff.
	Tied []string `json:"tied,omitempty"`
}

// Tally is the number of votes one candidate received.
type Tally struct {
	UnitID string `json:"unit_id"`
	Votes  int    `json:"votes"`
}

// ElectionSpec is what a manager chooses when opening an election.
type ElectionSpec struct {
	Role Role
	// Candidates are unit ids; empty means every member unit, less the
	// outgoing leader in a leader election (unless Reelection) and less the
	// unit already elected to the other office.
	Candidates []string
	Secret     bool
	// CloseAt is the closing time; zero means DefaultVotingTime from now.
	CloseAt time.Time
	// Reelection lets the outgoing leader stand in a leader election.
	Reelection bool
	// Confirmed is set when a manager confirmed a new election for an
	// office a unit is already elected to (see OpenElection): the id of the
	// office's latest election when they were asked.
	Confirmed string
}

// VoteOutcome is what a ballot did.
type VoteOutcome struct {
	Ballot Ballot
	// Changed reports that the unit had voted before for another
	// candidate: this ballot replaces its earlier one.
	Changed bool
	// Same reports that the unit's vote was already for the candidate:
	// Ballot is its ballot as it was, with its receipt.
	Same bool
	// Closing is set when this ballot completed the roll, which closed the
	// election at once.
	Closing *Closing
}

// Closing is what closing an election did.
type Closing struct {
	// Election is the closed election, with its result.
	Election Election
	// Runoff is the runoff opened at once when no candidate won.
	Runoff *Election
	// Vacated is the unit's former election to the other office, cleared
	// because it won this one (one unit cannot hold both offices).
	Vacated *Elected
}

// electionTimer is the actor recorded when an election closes by itself:
// on time, or when every unit on its roll has voted.
var electionTimer = Actor{Name: "thiduabot"}

// Name returns the name a unit had on the election's roll, or "".
func (e *Election) Name(unitID string) string {
	for _, u := range e.Roll {
		if u.ID == unitID {
			return u.Name
		}
	}
	return ""
}

// IsCandidate reports whether the unit stands in the election.
func (e *Election) IsCandidate(unitID string) bool { return slices.Contains(e.Candidates, unitID) }

// onRoll reports whether the unit may vote in the election.
func (e *Election) onRoll(unitID string) bool { return e.Name(unitID) != "" }

// latest returns the unit's counting ballot: its latest one, or nil.
func (e *Election) latest(unitID string) *Ballot {
	for i := len(e.Ballots) - 1; i >= 0; i-- {
		if e.Ballots[i].UnitID == unitID {
			return &e.Ballots[i]
		}
	}
	return nil
}

// Counted returns the ballots that count, one per unit that voted (its
// latest), in roll order.
func (e *Election) Counted() []Ballot {
	var out []Ballot
	for _, u := range e.Roll {
		if bl := e.latest(u.ID); bl != nil {
			out = append(out, *bl)
		}
	}
	return out
}

// Voted returns the ids of the units on the roll that have voted, in roll
// order. It reveals nothing of how they voted.
func (e *Election) Voted() []string {
	var out []string
	for _, u := range e.Roll {
		if e.latest(u.ID) != nil {
			out = append(out, u.ID)
		}
	}
	return out
}

// NotVoted returns the ids of the units on the roll that have not voted yet,
// in roll order: whom a reminder should address.
func (e *Election) NotVoted() []string {
	var out []string
	for _, u := range e.Roll {
		if e.latest(u.ID) == nil {
			out = append(out, u.ID)
		}
	}
	return out
}

// Election returns the election with this id, or nil.
func (b *Block) Election(id string) *Election {
	for i := range b.Elections.List {
		if b.Elections.List[i].ID == id {
			return &b.Elections.List[i]
		}
	}
	return nil
}

// OpenElections returns copies of the elections accepting ballots, oldest
// first. Reminders use it with Election.NotVoted and Election.CloseAt.
func (b *Block) OpenElections() []Election {
	var out []Election
	for _, e := range b.Elections.List {
		if e.State == ElectionOpen {
			out = append(out, e)
		}
	}
	return out
}

// LatestElection returns the most recent election for the office, or of any
// office when role is "", or nil when there is none.
func (b *Block) LatestElection(role Role) *Election {
	for i := len(b.Elections.List) - 1; i >= 0; i-- {
		if role == "" || b.Elections.List[i].Role == role {
			return &b.Elections.List[i]
		}
	}
	return nil
}

// ElectionsIn returns the elections for the office (every office when role
// is "") in one of the states, oldest first.
func (b *Block) ElectionsIn(role Role, states ...ElectionState) []Election {
	var out []Election
	for _, e := range b.Elections.List {
		if (role == "" || e.Role == role) && slices.Contains(states, e.State) {
			out = append(out, e)
		}
	}
	return out
}

// ElectedFor returns the unit elected to the office for next year, or nil.
func (b *Block) ElectedFor(role Role) *Elected {
	for i := range b.Elections.Elected {
		if b.Elections.Elected[i].Role == role {
			return &b.Elections.Elected[i]
		}
	}
	return nil
}

// nextElectionDue is the earliest closing time of the open elections, or
// zero when none is open.
func (b *Block) nextElectionDue() time.Time {
	var next time.Time
	for _, e := range b.Elections.List {
		at := e.CloseAt
		switch {
		case e.State == ElectionOpen:
		case e.AnnouncePending:
			at = e.ClosedAt // due now: the result is still to be posted
		default:
			continue
		}
		if next.IsZero() || at.Before(next) {
			next = at
		}
	}
	return next
}

// UnannouncedClosings returns the closed elections whose result the group
// has not been told yet, oldest first, each with the runoff it opened when
// that runoff is still open. The unit vacated by a double election (see
// Closing.Vacated) is not known any more and is left out.
func (b *Block) UnannouncedClosings() []Closing {
	var out []Closing
	for _, e := range b.Elections.List {
		if e.State == ElectionOpen || !e.AnnouncePending {
			continue
		}
		c := Closing{Election: e}
		for _, r := range b.Elections.List {
			if r.Parent == e.ID && r.State == ElectionOpen {
				c.Runoff = &r
			}
		}
		out = append(out, c)
	}
	return out
}

// MarkAnnounced records that the group has been told the result of the
// election. It records no history event: the close is recorded already. It
// returns ErrElectionNotFound for an unknown id.
func (b *Block) MarkAnnounced(electionID string) error {
	e := b.Election(electionID)
	if e == nil {
		return ErrElectionNotFound
	}
	e.AnnouncePending = false
	return nil
}

// otherRole is the office that is not r.
func otherRole(r Role) Role {
	if r == RoleLeader {
		return RoleDeputy
	}
	return RoleLeader
}

// OpenElection opens an election of next year's leader or deputy. Only
// managers open elections, one open election per office at a time. The roll
// is every member unit at this moment.
//
// A unit of the block already elected to the office stays elected until an
// election elects another (see elect): the new election opens only once a
// manager has confirmed it (ElectionSpec.Confirmed), and only if the
// office's latest election is still the one they saw, so that a
// confirmation outlived by another election, or by the year's turn, opens
// nothing.
//
// It returns ErrForbidden, ErrElectionsChanged (Confirmed is not the
// office's latest election), ErrElectionOpen, ErrDecisionPending (a tied
// runoff for the office awaits DecideElection), ErrCloseTime,
// ErrUnitNotFound (a candidate is no unit), ErrOutgoingLeader,
// ErrNoCandidates or, when everything else is in order, ErrAlreadyElected
// (a unit is elected to the office and Confirmed is not set).
func (b *Block) OpenElection(a Actor, spec ElectionSpec, now time.Time) (Election, error) {
	if !b.CanManage(a) {
		return Election{}, ErrForbidden
	}
	if spec.Role != RoleLeader && spec.Role != RoleDeputy {
		return Election{}, fmt.Errorf("%w: office %q", ErrNoCandidates, spec.Role)
	}
	if latest := b.LatestElection(spec.Role); spec.Confirmed != "" && (latest == nil || latest.ID != spec.Confirmed) {
		return Election{}, ErrElectionsChanged
	}
	if len(b.ElectionsIn(spec.Role, ElectionOpen)) > 0 {
		return Election{}, ErrElectionOpen
	}
	if len(b.ElectionsIn(spec.Role, ElectionTied)) > 0 {
		return Election{}, ErrDecisionPending
	}
	closeAt := spec.CloseAt
	if closeAt.IsZero() {
		closeAt = now.Add(DefaultVotingTime)
	}
	if !closeAt.After(now) {
		return Election{}, ErrCloseTime
	}
	reelect := spec.Reelection && spec.Role == RoleLeader
	candidates, err := b.candidates(spec.Role, spec.Candidates, reelect)
	if err != nil {
		return Election{}, err
	}
	if el := b.ElectedFor(spec.Role); el != nil && b.Unit(el.UnitID) != nil && spec.Confirmed == "" {
		return Election{}, ErrAlreadyElected
	}
	roll := make([]RollUnit, 0, len(b.Units))
	for _, u := range b.Units {
		roll = append(roll, RollUnit{ID: u.ID, Name: u.Name})
	}
	e := Election{
		ID: b.seq("e"), Role: spec.Role, Year: b.Year + 1, Round: 1, Secret: spec.Secret, Reelection: reelect,
		Candidates: candidates, Roll: roll, OpenedByID: a.UserID, OpenedBy: a.Name, OpenedAt: now,
		CloseAt: closeAt, State: ElectionOpen,
	}
	b.Elections.List = append(b.Elections.List, e)
	b.record(a, now, e.action("open"), "", "", e.summary())
	return e, nil
}

// candidates resolves the candidate unit ids of a new election (see
// ElectionSpec.Candidates), keeping the given order and dropping repeats.
func (b *Block) candidates(role Role, ids []string, reelect bool) ([]string, error) {
	outgoing := ""
	if role == RoleLeader && !reelect {
		outgoing = b.LeaderUnit
	}
	var out []string
	if len(ids) == 0 {
		other := ""
		if el := b.ElectedFor(otherRole(role)); el != nil {
			other = el.UnitID
		}
		for _, u := range b.Units {
			if u.ID != outgoing && u.ID != other {
				out = append(out, u.ID)
			}
		}
	}
	for _, id := range ids {
		switch {
		case b.Unit(id) == nil:
			return nil, fmt.Errorf("%w: %s", ErrUnitNotFound, id)
		case id == outgoing:
			return nil, ErrOutgoingLeader
		case !slices.Contains(out, id):
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		return nil, ErrNoCandidates
	}
	return out, nil
}

// Vote records the ballot of the actor's unit for a candidate, with the
// receipt code the caller drew at random for it (the domain draws nothing,
// so that a retried update stays the same). A later ballot of the same unit
// replaces its earlier one, and the history records every press (in a
// secret ballot without the choice or the receipt, and a unit's later
// presses alike, whether they changed its vote or not). When
// the ballot completes the roll, the election closes at once (see
// VoteOutcome.Closing). It returns ErrElectionNotFound, ErrElectionClosed
// (closed, or its closing time has come), ErrNotVoter (the actor
// represents no unit), ErrNotOnRoll, ErrVoterTooNew, ErrNotCandidate or
// ErrReceiptTaken (draw another code and try again). A press for the
// candidate the unit's vote is already for keeps its ballot and receipt
// (VoteOutcome.Same).
//
// A representative approved after the election opened (its first round,
// for a runoff) votes in it only if a group administrator approved them:
// the leader unit's representatives, who approve representatives too,
// could otherwise give another unit a voter of their choosing in the middle
// of the vote.
func (b *Block) Vote(a Actor, electionID, candidate, receipt string, now time.Time) (VoteOutcome, error) {
	e := b.Election(electionID)
	if e == nil {
		return VoteOutcome{}, ErrElectionNotFound
	}
	if e.State != ElectionOpen || !now.Before(e.CloseAt) {
		return VoteOutcome{}, ErrElectionClosed
	}
	rep := b.RepOf(a.UserID)
	if rep == nil {
		return VoteOutcome{}, ErrNotVoter
	}
	if !e.onRoll(rep.UnitID) {
		return VoteOutcome{}, ErrNotOnRoll
	}
	if b.tooNew(rep, e) {
		return VoteOutcome{}, ErrVoterTooNew
	}
	if !e.IsCandidate(candidate) {
		return VoteOutcome{}, ErrNotCandidate
	}
	prev := e.latest(rep.UnitID)
	if prev != nil && prev.Candidate == candidate {
		// A double tap, or a second representative checking: the ballot,
		// and the receipt the unit noted, stay the ones counted. The
		// history records the press as it records a change in a secret
		// ballot, which must not tell the two apart.
		after := ""
		if !e.Secret {
			after = e.Name(candidate)
		}
		b.record(a, now, e.action("again"), rep.UnitID, "", after)
		return VoteOutcome{Ballot: *prev, Same: true}, nil
	}
	if receipt == "" || slices.ContainsFunc(e.Ballots, func(x Ballot) bool { return x.Receipt == receipt }) {
		return VoteOutcome{}, ErrReceiptTaken
	}
	out := VoteOutcome{Changed: prev != nil}
	before := ""
	if prev != nil {
		before = e.Name(prev.Candidate)
	}
	bl := Ballot{UnitID: rep.UnitID, Candidate: candidate, Receipt: receipt, UserID: a.UserID, UserName: a.Name, At: now}
	// The new ballot replaces the unit's earlier one: an election's ballots
	// stay one per unit however often units change their vote, and the
	// history below records each press.
	if prev != nil {
		*prev = bl
	} else {
		e.Ballots = append(e.Ballots, bl)
	}
	out.Ballot = bl
	// In a secret ballot the history says only that the unit voted: the
	// receipt, listed under its candidate in the counting record, would
	// otherwise tie the unit to its choice.
	verb, after := "vote", fmt.Sprintf("%s (%s)", e.Name(candidate), receipt)
	switch {
	case out.Changed && e.Secret:
		verb = "again"
	case out.Changed:
		verb = "revote"
	}
	if e.Secret {
		before, after = "", ""
	}
	b.record(a, now, e.action(verb), rep.UnitID, before, after)
	if len(e.NotVoted()) == 0 {
		// The bot closes it, as on time: the last voter only voted, and
		// neither closed the election nor opened its runoff.
		c := b.close(electionTimer, electionID, now, ClosedAllVoted)
		out.Closing = &c
	}
	return out, nil
}

// tooNew reports whether the representative was approved after the
// election opened (its first round, for a runoff) by someone other than a
// group administrator, and so does not vote in it (see Vote).
func (b *Block) tooNew(rep *Representative, e *Election) bool {
	return !rep.ApprovedByAdmin && rep.Since.After(b.firstOpened(e))
}

// BarredElections returns copies of the open elections, oldest first, that
// the representative's unit votes in but the representative does not, for
// being approved after they opened by someone other than a group
// administrator (Vote's ErrVoterTooNew): what an approval by the leader
// unit's representatives must warn of. An election whose closing time has
// come by now is over, though not yet closed, and is left out. It returns
// none for a user who represents no unit.
func (b *Block) BarredElections(userID int64, now time.Time) []Election {
	rep := b.RepOf(userID)
	if rep == nil {
		return nil
	}
	var out []Election
	for i := range b.Elections.List {
		e := &b.Elections.List[i]
		if e.State == ElectionOpen && now.Before(e.CloseAt) && e.onRoll(rep.UnitID) && b.tooNew(rep, e) {
			out = append(out, *e)
		}
	}
	return out
}

// firstOpened returns when the first round of the election opened: the
// election's own opening, or for a runoff that of the round it continues.
// It follows at most as many rounds as the block has elections.
func (b *Block) firstOpened(e *Election) time.Time {
	at := e.OpenedAt
	for p, n := b.Election(e.Parent), 0; p != nil && n < len(b.Elections.List); p, n = b.Election(p.Parent), n+1 {
		at = p.OpenedAt
	}
	return at
}

// CloseElection closes an open election now and counts it. Only managers
// close elections by hand. An election whose closing time has come by now
// (the scheduler has not run yet) had ended when the manager asked: it
// closes on time, as CloseDueElections would close it, recorded as closed
// by the bot (Closing.Election.CloseReason is ClosedOnTime). It returns
// ErrForbidden, ErrElectionNotFound or ErrElectionClosed.
func (b *Block) CloseElection(a Actor, electionID string, now time.Time) (Closing, error) {
	if !b.CanManage(a) {
		return Closing{}, ErrForbidden
	}
	e := b.Election(electionID)
	if e == nil {
		return Closing{}, ErrElectionNotFound
	}
	if e.State != ElectionOpen {
		return Closing{}, ErrElectionClosed
	}
	if !now.Before(e.CloseAt) {
		return b.close(electionTimer, electionID, now, ClosedOnTime), nil
	}
	return b.close(a, electionID, now, ClosedByHand), nil
}

// CloseDueElections closes every open election whose closing time has come
// by now, and returns what each closing did (nothing when none was due, so
// running it again is harmless). A runoff it opens is due later.
func (b *Block) CloseDueElections(now time.Time) []Closing {
	var due []string
	for _, e := range b.Elections.List {
		if e.State == ElectionOpen && !now.Before(e.CloseAt) {
			due = append(due, e.ID)
		}
	}
	var out []Closing
	for _, id := range due {
		out = append(out, b.close(electionTimer, id, now, ClosedOnTime))
	}
	return out
}

// close counts the open election and applies the outcome: a winner is
// elected; a first round without a majority opens a runoff at once between
// the top two (all tied for first, or the first and all tied for second)
// with the same roll and secrecy, closing as runoffClose says; a runoff is
// won by the most votes, a tie awaiting DecideElection; half of the roll
// or less voting elects no one.
func (b *Block) close(a Actor, electionID string, now time.Time, reason CloseReason) Closing {
	e := b.Election(electionID)
	e.ClosedAt, e.ClosedBy, e.CloseReason = now, a.Name, reason
	e.AnnouncePending = true
	if reason == ClosedOnTime {
		e.ClosedAt = e.CloseAt
	}
	res := e.count()
	e.Result = &res
	b.record(a, now, e.action("close"), "", "", e.tallySummary())
	var c Closing
	switch {
	case !res.Quorum:
		e.State = ElectionNoQuorum
		b.record(a, now, e.action("noquorum"), "", "", fmt.Sprintf("🗳 %d/%d", res.Cast, res.Roll))
	default:
		winner, tied := res.decide(e.Round)
		switch {
		case winner != "":
			e.State, e.Winner = ElectionWon, winner
			c.Vacated = b.elect(a, e, winner, now)
		case e.Round == 1:
			e.State, e.Result.Tied = ElectionRunoff, tied
			runoff := b.openRunoff(a, e, tied, now)
			c.Runoff = &runoff
		default:
			e.State, e.Result.Tied = ElectionTied, tied
			b.record(a, now, e.action("tie"), "", "", e.names(tied))
		}
	}
	// The runoff was appended to the list, which may have moved e.
	c.Election = *b.Election(electionID)
	return c
}

// count tallies the counting ballots of the election.
func (e *Election) count() Result {
	res := Result{Roll: len(e.Roll)}
	votes := map[string]int{}
	for _, bl := range e.Counted() {
		votes[bl.Candidate]++
		res.Cast++
	}
	for _, c := range e.Candidates {
		res.Tally = append(res.Tally, Tally{UnitID: c, Votes: votes[c]})
	}
	res.Quorum = 2*res.Cast > res.Roll
	return res
}

// decide applies the counting rule of a round with quorum. In the first
// round a winner needs more than half of the votes cast; without one, tied
// lists the runoff's candidates. In a runoff the most votes win; tied lists
// those tied first.
func (res Result) decide(round int) (winner string, tied []string) {
	ranked := slices.Clone(res.Tally)
	slices.SortStableFunc(ranked, func(x, y Tally) int { return cmp.Compare(y.Votes, x.Votes) })
	if len(ranked) == 0 {
		return "", nil
	}
	first := ranked[0].Votes
	for _, t := range ranked {
		if t.Votes == first {
			tied = append(tied, t.UnitID)
		}
	}
	if len(tied) == 1 && (round > 1 || 2*first > res.Cast) {
		return tied[0], nil
	}
	if len(tied) == 1 && len(ranked) > 1 {
		second := ranked[1].Votes
		for _, t := range ranked[1:] {
			if t.Votes == second {
				tied = append(tied, t.UnitID)
			}
		}
	}
	return "", tied
}

// openRunoff opens the runoff of a first round without a majority.
func (b *Block) openRunoff(a Actor, e *Election, candidates []string, now time.Time) Election {
	r := Election{
		ID: b.seq("e"), Role: e.Role, Year: e.Year, Round: e.Round + 1, Parent: e.ID, Secret: e.Secret,
		Reelection: e.Reelection, Candidates: candidates, Roll: slices.Clone(e.Roll),
		OpenedByID: a.UserID, OpenedBy: a.Name, OpenedAt: now, CloseAt: b.runoffClose(e, now),
		State: ElectionOpen,
	}
	e.Runoff = r.ID
	b.record(a, now, r.action("runoff"), "", "", r.summary())
	b.Elections.List = append(b.Elections.List, r)
	return r
}

// runoffClose returns when the runoff of round e, opened at now, closes: as
// long after now as e was to last, when that falls within working hours
// (workdayStart to workdayEnd, in the block's time zone) on a working day,
// Saturdays and Sundays being working days unless the block's reminders
// skip weekends. Otherwise the runoff closes at e's closing time of day
// (workdayEnd when that is outside working hours too) on the first working
// day from then: the same day when it would close before work, the next
// one after it, so that it never lasts less than e was to. A round of
// 08:00–17:00 thus gives a runoff closing at 17:00 the next working day,
// not at 02:00. Holidays are not known. The clocks are the wall clock's,
// also across a change of daylight saving time.
func (b *Block) runoffClose(e *Election, now time.Time) time.Time {
	loc := b.Location()
	at := now.Add(e.CloseAt.Sub(e.OpenedAt)).In(loc)
	weekendsOff := b.Schedule.Reminders != nil && !b.Schedule.Reminders.Weekends
	offDay := func(t time.Time) bool {
		return weekendsOff && (t.Weekday() == time.Saturday || t.Weekday() == time.Sunday)
	}
	c := clockAt(at)
	if c >= workdayStart && c <= workdayEnd && !offDay(at) {
		return at
	}
	day := at
	if c > workdayEnd {
		day = at.AddDate(0, 0, 1)
	}
	for offDay(day) {
		day = day.AddDate(0, 0, 1)
	}
	closes := clockAt(e.CloseAt.In(loc))
	if closes < workdayStart || closes > workdayEnd {
		closes = workdayEnd
	}
	return closes.on(day)
}

// elect makes the unit next year's holder of the election's office. A unit
// elected to the other office before loses that election, which is returned.
func (b *Block) elect(a Actor, e *Election, unitID string, now time.Time) *Elected {
	var kept []Elected
	var before string
	var vacated *Elected
	for _, el := range b.Elections.Elected {
		switch {
		case el.Role == e.Role:
			before = el.Name
		case el.UnitID == unitID:
			v := el
			vacated = &v
			b.record(a, now, electionAction(el.Role, "vacate"), el.UnitID, "", fmt.Sprint(el.Year))
		default:
			kept = append(kept, el)
		}
	}
	name := e.Name(unitID)
	b.Elections.Elected = append(kept, Elected{Role: e.Role, UnitID: unitID, Name: name, Year: e.Year, ElectionID: e.ID, At: now})
	b.record(a, now, e.action("elected"), unitID, before, fmt.Sprint(e.Year))
	return vacated
}

// DecideElection settles a tied runoff: a manager chooses one of the tied
// units, which is elected. It returns ErrForbidden, ErrElectionNotFound,
// ErrNothingToDecide (the election is not a tied runoff) or ErrNotAmongTied.
func (b *Block) DecideElection(a Actor, electionID, unitID string, now time.Time) (Closing, error) {
	if !b.CanManage(a) {
		return Closing{}, ErrForbidden
	}
	e := b.Election(electionID)
	if e == nil {
		return Closing{}, ErrElectionNotFound
	}
	if e.State != ElectionTied || e.Result == nil {
		return Closing{}, ErrNothingToDecide
	}
	if !slices.Contains(e.Result.Tied, unitID) {
		return Closing{}, ErrNotAmongTied
	}
	e.State, e.Winner, e.DecidedBy, e.DecidedAt = ElectionDecided, unitID, a.Name, now
	b.record(a, now, e.action("decide"), unitID, "", e.names(e.Result.Tied))
	vacated := b.elect(a, e, unitID, now)
	return Closing{Election: *e, Vacated: vacated}, nil
}

// SetBallotMessage remembers the group message that shows the ballot of an
// open election, so that it can be edited as votes come in and at the close.
// It is bookkeeping of the transport and records no event. It returns
// ErrElectionNotFound or ErrElectionClosed.
func (b *Block) SetBallotMessage(electionID string, messageID int) error {
	e := b.Election(electionID)
	if e == nil {
		return ErrElectionNotFound
	}
	if e.State != ElectionOpen {
		return ErrElectionClosed
	}
	e.MessageID = messageID
	return nil
}

// forgetBallotMessages forgets the group messages showing the ballots (see
// MoveChat): a press then edits the message pressed, and /result posts the
// ballot again.
func (b *Block) forgetBallotMessages() {
	for i := range b.Elections.List {
		b.Elections.List[i].MessageID = 0
	}
}

// action is the history action of a step of the election.
func (e *Election) action(verb string) string { return electionAction(e.Role, verb) }

// electionAction is the history action of an election step for an office:
// election.<office>.<verb>.
func electionAction(role Role, verb string) string { return "election." + string(role) + "." + verb }

// names joins the roll names of units.
func (e *Election) names(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = e.Name(id)
	}
	return strings.Join(out, "; ")
}

// summary describes an opened election for the history: secrecy, candidates
// and closing time.
func (e *Election) summary() string {
	kind := "👁"
	if e.Secret {
		kind = "🔒"
	}
	return fmt.Sprintf("%s %s — ⏰ %s", kind, e.names(e.Candidates), FormatDateTime(e.CloseAt, e.CloseAt.Location()))
}

// tallySummary describes a count for the history: turnout and votes.
func (e *Election) tallySummary() string {
	parts := make([]string, len(e.Result.Tally))
	for i, t := range e.Result.Tally {
		parts[i] = fmt.Sprintf("%s %d", e.Name(t.UnitID), t.Votes)
	}
	return fmt.Sprintf("🗳 %d/%d: %s", e.Result.Cast, e.Result.Roll, strings.Join(parts, "; "))
}
