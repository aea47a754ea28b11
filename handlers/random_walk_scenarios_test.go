package handlers_test

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// This file holds the walk's scenarios: bursts of steps that drive the
// block towards a state its random draws hardly reach, such as every unit
// having signed the covenant. Each step of a scenario is a step of the
// walk, checked as any other, and the walk's other actions come in
// between, so that a scenario meets the block as they leave it.

// walkScenario is a scenario under way: next takes its next step, from
// the block as the walk last saw it, and says what it did, or returns ""
// once its goal is reached or out of reach; left counts the steps it may
// still take.
type walkScenario struct {
	name string
	next func(w *walker) string
	left int
}

// scenarioSteps bounds the steps of one scenario: enough for every unit
// to register, be approved and sign, with the walk's noise in between.
const scenarioSteps = 60

// walkScenarios make the walk's scenarios, each with a state of its own.
var walkScenarios = []func(w *walker) *walkScenario{
	newCovenantScenario,
	newTieScenario,
	newReplaceDraftScenario,
	newUnitAloneScenario,
	newYearScenario,
	newDeadlineScenario,
	newStepByStepScenario,
	newReviewScenario,
}

// startScenario starts the next scenario, unless one is under way, and
// takes its first step. The scenarios take turns, from one the seed
// picks, so that even a short walk plays several.
func (w *walker) startScenario() string {
	if w.scenario == nil {
		w.scenario = walkScenarios[(int(w.seed%uint64(len(walkScenarios)))+w.scenarios)%len(walkScenarios)](w)
		w.scenario.left = scenarioSteps
		w.scenarios++
	}
	return w.scenarioStep()
}

// scenarioStep takes the next step of the scenario under way, or, once it
// has none to take, ends it.
func (w *walker) scenarioStep() string {
	s := w.scenario
	s.left--
	did := s.next(w)
	if did == "" || s.left == 0 {
		w.scenario = nil
	}
	if did == "" {
		return "[" + s.name + "] ends"
	}
	return "[" + s.name + "] " + did
}

// Milestones the walk reaches, which the scenarios aim at.
const (
	reachedCovenant   = "every unit signed the covenant"
	reachedRunoff     = "a runoff opened"
	reachedTie        = "a runoff tied"
	reachedDecide     = "a tie decided (/decide)"
	reachedAsked      = "asked whether to replace someone else's report draft"
	reachedReplaced   = "someone else's report draft replaced"
	reachedAlone      = "registration opened for a unit alone, closed (/closereg <unit>)"
	reachedNewYear    = "the block turned to its next year"
	reachedReminder   = "a deadline's reminder sent"
	reachedOverdue    = "a deadline's overdue notice sent"
	reachedStepByStep = "a report filled in step by step, sent"
	reachedReviewed   = "every unit's score agreed on every criterion"
)

// milestones are every milestone, the scenarios' and the outages' (see
// reachedOutage), for the walk's account of them.
var milestones = []string{reachedCovenant, reachedRunoff, reachedTie, reachedDecide, reachedAsked, reachedReplaced, reachedAlone, reachedNewYear, reachedReminder, reachedOverdue, reachedStepByStep, reachedReviewed, reachedOutage, reachedUploadOutage}

// noteMilestones notes the milestones the block reached going from a to b.
func (w *walker) noteMilestones(a, b *thidua.Block) {
	if c := b.Registration.Covenant; c != nil && c.Completed && (a.Registration.Covenant == nil || !a.Registration.Covenant.Completed) {
		w.reached[reachedCovenant]++
	}
	for state, m := range map[thidua.ElectionState]string{thidua.ElectionRunoff: reachedRunoff, thidua.ElectionTied: reachedTie, thidua.ElectionDecided: reachedDecide} {
		count := func(b *thidua.Block) int {
			n := 0
			for _, e := range b.Elections.List {
				// A decided tie was a tie first.
				if e.State == state || state == thidua.ElectionTied && e.State == thidua.ElectionDecided {
					n++
				}
			}
			return n
		}
		if count(b) > count(a) {
			w.reached[m]++
		}
	}
	if strings.HasPrefix(w.acted, "/closereg ") && len(b.UnitsOpenAlone()) < len(a.UnitsOpenAlone()) {
		w.reached[reachedAlone]++
	}
	if b.Year > a.Year {
		w.reached[reachedNewYear]++
	}
	if reviewed(b) && !reviewed(a) {
		w.reached[reachedReviewed]++
	}
	if w.acted == "[rp]" && revisions(b) > revisions(a) {
		w.reached[reachedStepByStep]++
	}
	for _, h := range b.Schedule.Handled {
		if h.Outcome != thidua.SlotSent || slices.Contains(a.Schedule.Handled, h) {
			continue
		}
		if strings.HasPrefix(h.Slot, "o:") {
			w.reached[reachedOverdue]++
		} else {
			w.reached[reachedReminder]++
		}
	}
	for _, d := range b.Results.Drafts {
		if slices.ContainsFunc(a.Results.Drafts, func(x thidua.ReportDraft) bool { return x.ID == d.ID }) {
			continue
		}
		for _, was := range a.Results.Drafts {
			// Only a draft still open, with answers, is asked about first
			// (see thidua.Block.DraftInUse).
			open := w.now.Sub(was.Owner.At) <= thidua.DraftLifetime
			if open && was.UnitID == d.UnitID && was.PeriodID == d.PeriodID && was.Owner.UserID != d.Owner.UserID && a.DraftAnswers(was) > 0 {
				w.reached[reachedReplaced]++
			}
		}
	}
}

// revisions counts the submissions of the block's current reports.
func revisions(b *thidua.Block) int {
	n := 0
	for _, r := range b.Results.Reports {
		n += r.Revision
	}
	return n
}

// reviewed reports whether the block has criteria and every unit a score
// agreed on each (see thidua.Block.Leftover).
func reviewed(b *thidua.Block) bool {
	left := b.Leftover()
	return len(b.Registration.Criteria) > 0 && len(b.Units) > 0 && len(left.Unagreed) == 0 && len(left.Partial) == 0
}

// Helpers of the scenarios.

// presentRep returns a representative of the unit in the group who may
// vote in the election e (any, for nil), or nil.
func (w *walker) presentRep(unitID string, e *thidua.Election) *telegramtest.User {
	for _, u := range w.present() {
		rp := w.blk.RepOf(u.ID)
		if rp == nil || rp.UnitID != unitID {
			continue
		}
		if e == nil || rp.ApprovedByAdmin || !rp.Since.After(w.firstOpened(e)) {
			return u
		}
	}
	return nil
}

// firstOpened is when the election's first round opened (see
// thidua.Block.Vote).
func (w *walker) firstOpened(e *thidua.Election) time.Time {
	for range w.blk.Elections.List {
		p := w.blk.Election(e.Parent)
		if p == nil {
			break
		}
		e = p
	}
	return e.OpenedAt
}

// unitNo is the unit's number in /units, "" if the block has no such unit.
func (w *walker) unitNo(unitID string) string {
	i := slices.IndexFunc(w.blk.Units, func(u thidua.Unit) bool { return u.ID == unitID })
	if i < 0 {
		return ""
	}
	return strconv.Itoa(i + 1)
}

// staff gives the unit one more representative: the administrator
// approves the request of someone in the group to represent it, or someone
// who represents no unit asks to. It returns "" if nobody is free to.
func (w *walker) staff(unitID string) string {
	for _, r := range w.blk.Requests {
		if r.UnitID != unitID || w.away[r.UserID] {
			continue
		}
		if m, bs := w.latestButtons(func(d string) bool { return d == "jd:"+r.ID+":y" }); len(bs) > 0 {
			return w.pressed(w.group, w.admin, m, bs[0])
		}
	}
	for _, u := range w.present()[1:] {
		if w.blk.RepOf(u.ID) == nil {
			return w.command(u, "/join "+w.unitNo(unitID))
		}
	}
	return ""
}

// pressData has user press the button of the latest message that has
// one with exactly the data, and says what happened; it returns "" if no
// message has.
func (w *walker) pressData(user *telegramtest.User, data string) string {
	m, bs := w.latestButtons(func(d string) bool { return d == data })
	if len(bs) == 0 {
		return ""
	}
	return w.pressed(w.group, user, m, bs[0])
}

// groupMessage returns the bot's group message with the id, if it is
// there still.
func (w *walker) groupMessage(id int) (telegramtest.Message, bool) {
	for _, m := range w.tg.Messages(w.group.ID) {
		if m.ID == id && !m.Deleted {
			return m, true
		}
	}
	return telegramtest.Message{}, false
}

// newCovenantScenario drives every unit to sign the covenant, which the
// bot then announces: criteria, the covenant opened, and for each unit in
// turn a representative (someone free joins a unit without one), its
// registration open, a pledge, its list submitted and approved, its
// signature.
func newCovenantScenario(*walker) *walkScenario {
	return &walkScenario{name: "covenant", next: func(w *walker) string {
		b := w.blk
		c := b.Registration.Covenant
		if len(b.Units) == 0 || c != nil && c.Completed {
			return ""
		}
		if len(b.Registration.Criteria) == 0 {
			return w.command(w.admin, "/criteria add Công tác tuyên truyền | 40\nPhong trào thi đua | 60")
		}
		for _, u := range b.Units {
			reg := b.RegistrationOf(u.ID)
			if reg.Signed != nil {
				continue
			}
			rep := w.presentRep(u.ID, nil)
			switch {
			case rep == nil:
				return w.staff(u.ID)
			case reg.State == thidua.ListSubmitted:
				return w.command(w.admin, "/approve "+w.unitNo(u.ID))
			case reg.State == thidua.ListApproved && len(reg.Pledges) > 0 && c == nil:
				return w.command(w.admin, "/covenant Đoàn kết, đổi mới, sáng tạo")
			case reg.State == thidua.ListApproved && len(reg.Pledges) > 0:
				if did := w.pressData(rep, "cv:"+strconv.Itoa(c.Post)); did != "" {
					return did
				}
				return w.command(rep, "/covenant") // its message is gone: post it again
			case b.RegistrationOpenFor(u.ID) != nil:
				return w.command(w.admin, "/openreg")
			case len(reg.Pledges) == 0:
				return w.command(rep, "/pledge Vận động xây nhà đại đoàn kết | 50 nhà")
			}
			return w.command(rep, "/submit")
		}
		return ""
	}}
}

// newTieScenario drives an election to a tie and its runoff to a tie, which
// a manager then decides: the administrator opens an election between two
// units; the units that can vote (someone free joins a unit without a
// representative, while too few can) split their votes evenly between the
// candidates, as many as make a quorum; the administrator closes it, unless
// the last vote did; the runoff alike; then /decide. An election the
// walk's noise decides otherwise is followed by another, three at most.
func newTieScenario(w *walker) *walkScenario {
	role := []thidua.Role{thidua.RoleLeader, thidua.RoleDeputy}[w.rnd.IntN(2)]
	office := map[thidua.Role]string{thidua.RoleLeader: "khoitruong", thidua.RoleDeputy: "khoipho"}[role]
	opened, decided := 0, w.reached[reachedDecide]
	asked := map[string]bool{"": true} // the questions to elect again answered
	return &walkScenario{name: "tie", next: func(w *walker) string {
		if w.reached[reachedDecide] > decided {
			return ""
		}
		b := w.blk
		var open *thidua.Election
		for i := range b.Elections.List {
			switch e := &b.Elections.List[i]; {
			case e.Role != role:
			case e.State == thidua.ElectionTied:
				return w.command(w.admin, "/decide "+office+" "+w.tiedUnit(e))
			case e.State == thidua.ElectionOpen:
				open = e
			}
		}
		if open == nil {
			if opened == 3 || len(b.Units) < 2 {
				return ""
			}
			if data := w.electAgainData(role); !asked[data] {
				// The bot asked whether to elect again: the button opens
				// the election, unless one opened since.
				asked[data] = true
				if did := w.pressData(w.admin, data); did != "" {
					return did
				}
			}
			opened++
			perm := w.rnd.Perm(len(b.Units))
			text := "/elect " + office + " | ứng viên: " + strconv.Itoa(perm[0]+1) + ", " + strconv.Itoa(perm[1]+1) + " | " + w.pick("công khai", "kín")
			if role == thidua.RoleLeader {
				text += " | cho tái cử"
			}
			return w.command(w.admin, text)
		}
		if len(open.Candidates) < 2 { // the walk's noise opened it: no tie
			return w.command(w.admin, "/closevote "+office)
		}
		// Those who voted come first, so as to count in the split.
		var voters []string
		for _, voted := range []bool{true, false} {
			for _, r := range open.Roll {
				if (latestBallot(open, r.ID) != nil) == voted && w.presentRep(r.ID, open) != nil {
					voters = append(voters, r.ID)
				}
			}
		}
		k := len(voters) &^ 1
		if 2*k <= len(open.Roll) {
			for _, r := range open.Roll {
				if b.Unit(r.ID) != nil && w.presentRep(r.ID, open) == nil {
					if did := w.staff(r.ID); did != "" {
						return did
					}
				}
			}
			return "" // too few can vote
		}
		for i, unit := range voters[:k] {
			want := open.Candidates[i%2]
			if bl := latestBallot(open, unit); bl != nil && bl.Candidate == want {
				continue
			}
			rep := w.presentRep(unit, open)
			if did := w.pressData(rep, "ev:"+open.ID+":"+want); did != "" {
				return did
			}
			return w.command(rep, "/result "+office) // its ballot is gone: post it again
		}
		return w.command(w.admin, "/closevote "+office)
	}}
}

// tiedUnit draws one of the units tied in the election e, by its number,
// or by its name if the block no longer has it.
func (w *walker) tiedUnit(e *thidua.Election) string {
	tied := e.Result.Tied[w.rnd.IntN(len(e.Result.Tied))]
	if no := w.unitNo(tied); no != "" {
		return no
	}
	return e.Name(tied)
}

// electAgainData is the data of the button of the bot's latest question
// whether to elect the office again, which opens the election asked for,
// "" if there is none.
func (w *walker) electAgainData(role thidua.Role) string {
	prefix := "ea:" + map[thidua.Role]string{thidua.RoleLeader: "l", thidua.RoleDeputy: "d"}[role] + ":"
	_, bs := w.latestButtons(func(d string) bool { return strings.HasPrefix(d, prefix) && !strings.HasSuffix(d, ":x") })
	if len(bs) == 0 {
		return ""
	}
	return bs[0].Data
}

// newReplaceDraftScenario has someone fill in a unit's report step by step
// and answer a step, then someone else who may report for the unit (a
// second representative, who joins it, or the administrator) start the
// same report, whom the bot asks first whether to replace the draft; they
// leave it, now and then, and ask again, then replace it.
func newReplaceDraftScenario(w *walker) *walkScenario {
	second, replaced := w.chance(2), w.reached[reachedReplaced]
	var unit string // the unit reporting
	return &walkScenario{name: "replace draft", next: func(w *walker) string {
		b := w.blk
		if w.reached[reachedReplaced] > replaced {
			return ""
		}
		if len(b.Results.Periods) == 0 {
			return w.command(w.admin, "/period Năm | 30/11")
		}
		if unit = w.reportingUnit(unit); unit == "" {
			return ""
		}
		p := b.Results.Periods[0]
		reps := slices.DeleteFunc(w.present()[1:], func(u *telegramtest.User) bool {
			rp := b.RepOf(u.ID)
			return rp == nil || rp.UnitID != unit
		})
		if len(reps) == 0 {
			return ""
		}
		if did := w.pledgeToReport(unit, reps[0]); did != "" {
			return did
		}
		switch {
		case second && len(reps) == 1:
			if did := w.staff(unit); did != "" {
				return did
			}
			second = false
		}
		d, ok := b.OpenDraft(unit, p.ID, w.now)
		var owner *telegramtest.User
		if ok {
			owner = w.person(d.Owner.UserID)
		}
		switch {
		case owner == nil: // no draft, or its owner left
			return w.command(reps[0], "/report 1")
		case b.DraftAnswers(d) == 0:
			m, found := w.groupMessage(d.MessageID)
			if !found {
				return w.command(owner, "/report 1")
			}
			if !w.chance(3) && w.mayPost(owner, m.Thread) {
				text := strconv.Itoa(10 + w.rnd.IntN(900))
				w.posted(owner, text, func() telegramtest.Update { return w.tg.Reply(w.group, owner, &m, text) })
				return owner.FirstName + " answers " + text + " to " + shortText(m.Text)
			}
			if m, bs := w.latestButtons(func(data string) bool { return strings.HasPrefix(data, "rp:"+d.ID+":") }); len(bs) > 0 {
				return w.pressed(w.group, owner, m, bs[w.rnd.IntN(len(bs))])
			}
			return w.command(owner, "/report 1")
		}
		// Someone else who may report for the unit: another representative,
		// or the administrator.
		others := slices.DeleteFunc(append(reps, w.admin), func(u *telegramtest.User) bool { return u == owner })
		other, report := others[0], "/report 1"
		if other == w.admin {
			report = "/report #" + w.unitNo(unit) + " 1"
		}
		ask := "rr:" + d.ID + ":" + unit + ":" + p.ID + ":" + strconv.FormatInt(other.ID, 10) + ":"
		if _, bs := w.latestButtons(func(data string) bool { return strings.HasPrefix(data, ask) }); len(bs) > 0 {
			return w.pressData(other, ask+w.pick("y", "y", "n"))
		}
		return w.command(other, report)
	}}
}

// newUnitAloneScenario closes registration, then opens it again for one
// or two units alone, until registration opened for one of them is closed
// alone: the administrator closes registration for the block (opens it
// first if it never was), returns a unit's list approved or submitted, and
// opens registration for the unit alone, with a deadline now and then,
// which it changes once in a while; the unit's representative (someone
// free joins the unit if none is in the group, or else the administrator
// acts for it) pledges. With two units, the first submits its list, which
// the administrator returns once, the representative corrects and submits
// again, and the administrator approves, which ends its opening. The last
// unit submits its list, or not, and the administrator closes registration
// for it alone (/closereg <unit>).
func newUnitAloneScenario(w *walker) *walkScenario {
	closed, returned, edited, changedDue, submit := w.reached[reachedAlone], false, false, !w.chance(4), w.chance(2)
	var units []string          // the units picked, the one to close alone last
	opened := map[string]bool{} // the units picked seen open alone
	return &walkScenario{name: "unit alone", next: func(w *walker) string {
		b := w.blk
		switch {
		case w.reached[reachedAlone] > closed || len(b.Units) == 0:
			return ""
		case b.Registration.Opened == nil:
			return w.command(w.admin, "/openreg")
		case b.Registration.Open:
			return w.command(w.admin, "/closereg")
		}
		if slices.ContainsFunc(units, func(id string) bool { return b.Unit(id) == nil }) {
			units = nil // the walk removed one
		}
		if units == nil {
			for _, i := range w.rnd.Perm(len(b.Units))[:min(1+w.rnd.IntN(2), len(b.Units))] {
				units = append(units, b.Units[i].ID)
			}
		}
		due := func() string { return w.now.AddDate(0, 0, 3+w.rnd.IntN(30)).Format("02/01/2006") }
		last := units[len(units)-1]
		for _, id := range units {
			reg, no := b.RegistrationOf(id), w.unitNo(id)
			if reg.Opening != nil {
				opened[id] = true
			} else if opened[id] && id != last {
				continue // approved, which ended its opening (or the walk closed it)
			}
			rep, hash := w.presentRep(id, nil), ""
			if rep == nil {
				if did := w.staff(id); did != "" {
					return did
				}
				rep, hash = w.admin, "#"+no+" "
			}
			switch {
			case reg.Opening == nil && (reg.State == thidua.ListApproved || reg.State == thidua.ListSubmitted):
				return w.command(w.admin, "/return "+no+" | Bổ sung chỉ tiêu cho năm nay")
			case reg.Opening == nil && w.chance(3):
				return w.command(w.admin, "/openreg "+no+" | "+due())
			case reg.Opening == nil:
				return w.command(w.admin, "/openreg "+no)
			case !changedDue:
				changedDue = true
				return w.command(w.admin, "/openreg "+no+" | "+due())
			case len(reg.Pledges) == 0:
				return w.command(rep, "/pledge "+hash+"Tổ chức 3 lớp tập huấn | 3 lớp | "+due())
			case id == last && (!submit || reg.State == thidua.ListSubmitted):
				return w.command(w.admin, "/closereg "+w.pick(no, b.UnitName(id)))
			case reg.State == thidua.ListSubmitted && !returned:
				returned = true
				return w.command(w.admin, "/return "+no+" | Ghi rõ chỉ tiêu")
			case reg.State == thidua.ListSubmitted:
				if did := w.pressData(w.admin, "rg:a:"+id+":"+strconv.Itoa(reg.Round)); did != "" {
					return did
				}
				return w.command(w.admin, "/approve "+no)
			case reg.State == thidua.ListReturned && returned && !edited:
				edited = true
				return w.command(rep, "/editpledge "+hash+"1 Tổ chức 3 lớp tập huấn | 4 lớp")
			}
			return w.command(rep, strings.TrimSpace("/submit "+hash))
		}
		return ""
	}}
}

// newYearScenario turns the block to its next year: the clock moves past
// the year's end (1 December) and the deadlines of the periods still due,
// or the administrator moves a deadline of the next year to the year's
// end; elections under way are closed, ties decided, results still to
// announce announced (the bot may post again, the scheduler ticks); then
// the administrator sends /newyear and confirms it, having cancelled the
// question first now and then.
func newYearScenario(w *walker) *walkScenario {
	year, cancel := w.blk.Year, w.chance(3)
	return &walkScenario{name: "new year", next: func(w *walker) string {
		b := w.blk
		if b.Year != year {
			return ""
		}
		if end := b.YearEnds(); w.now.Before(end) {
			w.now = end.Add(time.Duration(8+w.rnd.IntN(24*20)) * time.Hour)
			return "the clock moves to " + w.now.Format("02/01/2006 15:04")
		}
		office := map[thidua.Role]string{thidua.RoleLeader: "khoitruong", thidua.RoleDeputy: "khoipho"}
		for _, e := range b.Elections.List {
			switch {
			case e.State == thidua.ElectionOpen:
				return w.command(w.admin, "/closevote "+office[e.Role])
			case e.State == thidua.ElectionTied:
				return w.command(w.admin, "/decide "+office[e.Role]+" "+w.tiedUnit(&e))
			case e.AnnouncePending && w.muted:
				return w.changeBotStatus()
			case e.AnnouncePending:
				return w.tick()
			}
		}
		if due := b.PeriodsStillDue(w.now); len(due) > 0 {
			p := due[len(due)-1]
			if end := b.PeriodEnd(p); end.Before(w.now.AddDate(0, 3, 0)) {
				w.now = end.Add(time.Hour)
				return "the clock moves to " + w.now.Format("02/01/2006 15:04")
			}
			i := slices.IndexFunc(b.Results.Periods, func(q thidua.Period) bool { return q.ID == p.ID })
			return w.command(w.admin, "/period edit "+strconv.Itoa(i+1)+" | "+p.Name+" | 30/11/"+strconv.Itoa(year))
		}
		data := "ny:" + strconv.Itoa(year)
		if cancel {
			data += ":x"
		}
		if did := w.pressData(w.admin, data); did != "" {
			cancel = false
			return did
		}
		return w.command(w.admin, "/newyear")
	}}
}

// newDeadlineScenario follows a deadline through its reminders to its
// overdue notice: the administrator sets a deadline a few days ahead,
// unless one is near; the clock moves to the time each reminder is due
// (see thidua.Block.NextDue), within the hours it is useful, and the
// scheduler ticks; in between, the representatives of units that owe
// something mark it done, now and then, and the bot, if it may not post
// in the group, is let post again, now and then, and General, closed,
// reopened. It ends once an overdue notice is sent.
func newDeadlineScenario(w *walker) *walkScenario {
	overdue := w.reached[reachedOverdue]
	return &walkScenario{name: "deadline", next: func(w *walker) string {
		b := w.blk
		if w.reached[reachedOverdue] > overdue {
			return ""
		}
		near := slices.ContainsFunc(b.Schedule.Custom, func(c thidua.CustomDeadline) bool {
			return c.Due.After(w.now) && c.Due.Before(w.now.AddDate(0, 0, 10))
		})
		if !near {
			due := w.now.AddDate(0, 0, 2+w.rnd.IntN(5)).Format("02/01/2006")
			return w.command(w.admin, "/deadline "+due+" "+w.pick("17:00", "08:30", "23:59")+" | Nộp báo cáo quý")
		}
		if w.chance(4) {
			for _, d := range b.Deadlines(w.now) {
				for _, o := range d.Owing {
					if rep := w.presentRep(o.UnitID, nil); rep != nil && d.No > 0 {
						return w.command(rep, "/done "+strconv.Itoa(d.No))
					}
				}
			}
		}
		switch {
		case w.muted && w.chance(2):
			return w.changeBotStatus()
		case w.forum.on && w.forum.generalClosed && w.chance(2):
			return w.reopenGeneral(false)
		}
		next := b.NextDue()
		switch {
		case next.IsZero() || next.After(w.now.AddDate(0, 0, 20)):
			return ""
		case next.After(w.now):
			w.now = next.Add(time.Duration(w.rnd.IntN(90)) * time.Minute)
			return "the clock moves to " + w.now.Format("02/01/2006 15:04")
		}
		return w.tick()
	}}
}

// reportingUnit returns the unit, if the block still has it, or else one
// with a representative in the group, one with pledges if any; "" if none.
func (w *walker) reportingUnit(unit string) string {
	b := w.blk
	if b.Unit(unit) != nil {
		return unit
	}
	unit = ""
	for _, u := range b.Units {
		if w.presentRep(u.ID, nil) != nil && (unit == "" || len(b.RegistrationOf(u.ID).Pledges) > 0) {
			unit = u.ID
		}
	}
	return unit
}

// pledgeToReport has the unit, with no pledges, register one, which its
// representative rep pledges, registration opened first if it must be;
// it returns "" if the unit has pledges to report on.
func (w *walker) pledgeToReport(unit string, rep *telegramtest.User) string {
	switch reg := w.blk.RegistrationOf(unit); {
	case len(reg.Pledges) > 0:
		return ""
	case w.blk.RegistrationOpenFor(unit) != nil:
		return w.command(w.admin, "/openreg")
	}
	return w.command(rep, "/pledge Vận động xây nhà đại đoàn kết | 50 nhà")
}

// newStepByStepScenario has a representative fill in their unit's report
// step by step and send it: /report <period> alone (replacing someone
// else's draft if the bot asks), then at each pledge a level pressed, or
// a value and a note replied, or now and then the pledge skipped or a step
// back; at the summary, the report sent, having gone back first now and
// then. A period is added first if the block has none named plainly.
func newStepByStepScenario(w *walker) *walkScenario {
	sent := w.reached[reachedStepByStep]
	var unit string
	return &walkScenario{name: "step by step", next: func(w *walker) string {
		b := w.blk
		if w.reached[reachedStepByStep] > sent {
			return ""
		}
		i := slices.IndexFunc(b.Results.Periods, func(p thidua.Period) bool {
			return slices.Contains([]string{"Quý I", "6 tháng", "9 tháng", "Năm"}, p.Name)
		})
		if i < 0 {
			return w.command(w.admin, "/period 6 tháng | 15/06")
		}
		p := b.Results.Periods[i]
		if unit = w.reportingUnit(unit); unit == "" {
			return ""
		}
		rep := w.presentRep(unit, nil)
		if rep == nil {
			return w.staff(unit)
		}
		if did := w.pledgeToReport(unit, rep); did != "" {
			return did
		}
		d, ok := b.OpenDraft(unit, p.ID, w.now)
		m, shown := w.groupMessage(d.MessageID)
		if !ok || d.Owner.UserID != rep.ID || !shown {
			ask := "rr:" + d.ID + ":" + unit + ":" + p.ID + ":" + strconv.FormatInt(rep.ID, 10) + ":y"
			if did := w.pressData(rep, ask); ok && did != "" {
				return did
			}
			return w.command(rep, "/report "+p.Name)
		}
		var press string
		switch r := w.rnd.IntN(10); {
		case d.Step > 0 && r == 0:
			press = "b"
		case d.Done():
			press = "ok"
		case r == 1:
			press = "s"
		case r < 5 && w.mayPost(rep, m.Thread):
			text := strings.TrimSpace(w.pick("45", "60%", "1.200", "12") + " " + w.pick("đã khởi công 5 nhà", "", "vượt <b>kế hoạch</b> & tiến độ"))
			w.posted(rep, text, func() telegramtest.Update { return w.tg.Reply(w.group, rep, &m, text) })
			return rep.FirstName + " answers " + strconv.Quote(text) + " to " + shortText(m.Text)
		default:
			press = "p:" + w.pick("0", "25", "50", "75", "100")
		}
		data := "rp:" + d.ID + ":" + strconv.Itoa(d.Step) + ":"
		did := w.pressData(rep, data+press)
		if did == "" && press == "ok" {
			did = w.pressData(rep, data+"b") // nothing to send: back to enter some
		}
		if did != "" {
			return did
		}
		return w.command(rep, "/report "+p.Name) // no such button: show the draft again
	}}
}

// newReviewScenario has the block review every unit's year: criteria
// added if it has none; then, unit by unit, a representative scores the
// unit on every criterion (/selfscore; someone free joins a unit without
// one, or else the administrator scores for it), and the administrator
// records the scores the block agreed on (/score).
func newReviewScenario(*walker) *walkScenario {
	return &walkScenario{name: "review", next: func(w *walker) string {
		b := w.blk
		switch {
		case reviewed(b) || len(b.Units) == 0:
			return ""
		case len(b.Registration.Criteria) == 0:
			return w.command(w.admin, "/criteria add Công tác tuyên truyền | 40\nPhong trào thi đua | 60")
		}
		for _, u := range b.Units {
			sc, no := b.ScoreOf(u.ID), w.unitNo(u.ID)
			switch {
			case !scoredAll(b, sc.Self):
				if rep := w.presentRep(u.ID, nil); rep != nil {
					return w.command(rep, "/selfscore"+w.scoreSheet())
				}
				if did := w.staff(u.ID); did != "" {
					return did
				}
				return w.command(w.admin, "/selfscore #"+no+w.scoreSheet())
			case !scoredAll(b, sc.Reviewed):
				return w.command(w.admin, "/score #"+no+w.scoreSheet())
			}
		}
		return ""
	}}
}

// scoredAll reports whether the scores hold points for every criterion of
// the block.
func scoredAll(b *thidua.Block, scores []thidua.Score) bool {
	for _, c := range b.Registration.Criteria {
		if !slices.ContainsFunc(scores, func(s thidua.Score) bool { return s.CriterionID == c.ID }) {
			return false
		}
	}
	return true
}

// scoreSheet draws points for every criterion of the block, within its
// maximum, a line each, after the command's first line.
func (w *walker) scoreSheet() string {
	var s string
	for i, c := range w.blk.Registration.Criteria {
		s += "\n" + strconv.Itoa(i+1) + " " + strconv.Itoa(w.rnd.IntN(int(c.MaxPoints)+1))
		if w.chance(4) {
			s += " " + w.text()
		}
	}
	return s
}

// latestBallot returns the unit's counting ballot in the election, its
// latest, or nil.
func latestBallot(e *thidua.Election, unitID string) *thidua.Ballot {
	for i := len(e.Ballots) - 1; i >= 0; i-- {
		if e.Ballots[i].UnitID == unitID {
			return &e.Ballots[i]
		}
	}
	return nil
}

// person returns the person of the walk with the id if they are in the
// group, or nil.
func (w *walker) person(id int64) *telegramtest.User {
	for _, u := range w.present() {
		if u.ID == id {
			return u
		}
	}
	return nil
}
