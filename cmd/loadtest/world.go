package main

import (
	"context"
	"fmt"
	"time"

	"thiduabot/internal/workload"
	"thiduabot/storage"
	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// zone is the time zone of the blocks and of the bot in a run.
var zone = mustZone("Asia/Ho_Chi_Minh")

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// unitNames are the units of a block, the first seven as in a provincial
// block; more are numbered.
var unitNames = []string{
	"Ủy ban MTTQ Việt Nam tỉnh", "Hội Cựu chiến binh tỉnh", "Hội Nông dân tỉnh", "Liên đoàn Lao động tỉnh",
	"Hội Liên hiệp Phụ nữ tỉnh", "Tỉnh Đoàn", "Hội Chữ thập đỏ tỉnh",
}

func unitName(i int) string {
	if i < len(unitNames) {
		return unitNames[i]
	}
	return fmt.Sprintf("Đơn vị thành viên số %d", i+1)
}

// group is one block's group chat on the fake: its administrator and one
// representative per unit.
type group struct {
	chat  *telegramtest.Chat
	admin *telegramtest.User
	reps  []*telegramtest.User
	// ballot is the open election's ballot message, in the vote scenario.
	ballot *telegramtest.Message
}

// newGroups creates n groups on the fake, each with an administrator and
// reps representatives (members).
func newGroups(tg *telegramtest.Server, n, reps int) []*group {
	gs := make([]*group, n)
	for i := range gs {
		g := &group{chat: tg.NewGroup(fmt.Sprintf("Khối thi đua số %d", i+1))}
		g.admin = tg.NewUser("Quản trị", fmt.Sprintf("admin%d", i+1))
		g.chat.SetStatus(g.admin, telegramtest.StatusCreator)
		for j := range reps {
			u := tg.NewUser(fmt.Sprintf("Cán bộ %d.%d", i+1, j+1), fmt.Sprintf("canbo%d_%d", i+1, j+1))
			g.chat.SetStatus(u, telegramtest.StatusMember)
			g.reps = append(g.reps, u)
		}
		gs[i] = g
	}
	return gs
}

func actorOf(u *telegramtest.User, admin bool) thidua.Actor {
	return thidua.Actor{UserID: u.ID, Name: u.FirstName, Username: u.UserName, Admin: admin}
}

// blockSpec says what a seeded block holds besides its units and
// representatives.
type blockSpec struct {
	// units is how many units (at least one per representative).
	units int
	// pledges is how many pledges each represented unit has registered.
	pledges int
	// periods is how many reporting periods the block has (the first
	// named "Kỳ 1", and so on).
	periods int
	// reportAll makes every represented unit report every period, on all
	// of its pledges.
	reportAll bool
	// applied fills the block's record of applied updates.
	applied int
}

// seedBlock builds g's block as if the group had set it up through the bot,
// one change after another: the block with its units, each representative
// approved for the unit of the same rank, registration open, the pledges,
// the periods and the reports. Each change is one Update of the store, so
// that the history holds what the bot would have written. It returns the
// block as stored.
func seedBlock(ctx context.Context, st storage.Store, id string, g *group, spec blockSpec, now time.Time) (*thidua.Block, error) {
	admin := actorOf(g.admin, true)
	b, err := thidua.NewBlock(id, g.chat.ID, g.chat.Title, now.Year(), admin, now)
	if err != nil {
		return nil, err
	}
	names := make([]string, max(spec.units, len(g.reps)))
	for i := range names {
		names[i] = unitName(i)
	}
	if _, err := b.AddUnits(admin, names, now); err != nil {
		return nil, err
	}
	if err := st.CreateBlock(ctx, b); err != nil {
		return nil, err
	}
	update := func(fn func(b *thidua.Block) error) error {
		var err error
		b, err = st.Update(ctx, id, fn)
		return err
	}
	for i, u := range g.reps {
		rep := actorOf(u, false)
		if err := update(func(b *thidua.Block) error {
			r, err := b.RequestJoin(rep, b.Units[i].ID, now)
			if err == nil {
				_, err = b.DecideJoin(admin, r.ID, true, now)
			}
			return err
		}); err != nil {
			return nil, err
		}
	}
	if err := update(func(b *thidua.Block) error { return b.OpenRegistration(admin, time.Time{}, now) }); err != nil {
		return nil, err
	}
	for i, u := range g.reps {
		rep := actorOf(u, false)
		for from := 0; from < spec.pledges; from += 5 { // five lines to a /pledge, as people type them
			var drafts []thidua.PledgeDraft
			for k := from; k < min(from+5, spec.pledges); k++ {
				d, err := thidua.ParsePledge(workload.PledgeLine(k), now.Year(), zone)
				if err != nil {
					return nil, err
				}
				drafts = append(drafts, d)
			}
			if err := update(func(b *thidua.Block) error {
				_, err := b.AddPledges(rep, b.Units[i].ID, drafts, now)
				return err
			}); err != nil {
				return nil, err
			}
		}
	}
	if spec.periods > 0 {
		var drafts []thidua.PeriodDraft
		for k := range spec.periods {
			d, err := thidua.ParsePeriod(fmt.Sprintf("Kỳ %d | 28/%02d", k+1, min(3*(k+1), 12)), now.Year(), zone)
			if err != nil {
				return nil, err
			}
			drafts = append(drafts, d)
		}
		if err := update(func(b *thidua.Block) error {
			_, err := b.AddPeriods(admin, drafts, now)
			return err
		}); err != nil {
			return nil, err
		}
	}
	if spec.reportAll {
		for _, p := range b.Periods() {
			for i, u := range g.reps {
				lines, err := reportLines(spec.pledges)
				if err != nil {
					return nil, err
				}
				if err := update(func(b *thidua.Block) error {
					_, err := b.SubmitReport(actorOf(u, false), b.Units[i].ID, p.ID, lines, now)
					return err
				}); err != nil {
					return nil, err
				}
			}
		}
	}
	if spec.applied > 0 {
		if err := update(func(b *thidua.Block) error {
			for k := range spec.applied {
				b.MarkApplied(int64(1_000_000 + k))
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// reportLines are a report on the first n pledges, in the /report syntax.
func reportLines(n int) ([]thidua.ReportLine, error) {
	var lines []thidua.ReportLine
	for _, s := range workload.ReportLines(n) {
		l, err := thidua.ParseReportLine(s)
		if err != nil {
			return nil, fmt.Errorf("report line %q: %w", s, err)
		}
		lines = append(lines, l)
	}
	return lines, nil
}
