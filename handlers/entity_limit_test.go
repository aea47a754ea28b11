package handlers_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// hugeUnits is how many units the huge block has, and hugePledges how
// many pledges each registers.
const (
	hugeUnits   = 40
	hugePledges = 30
)

// communes name the units of the huge block, a district's communes.
var communes = []string{"A Mú Sung", "Bản Lầu", "Bản Phiệt", "Cốc San", "Cốc Mỳ", "Dền Sáng", "Gia Phú", "Lùng Vai", "Mường Hum", "Nậm Chạc"}

// hugeUnit is the name of unit i of the huge block: short, so that many
// lines fit in a message, each of them formatted.
func hugeUnit(i int) string {
	return "Hội Nông dân xã " + communes[i%len(communes)] + " " + strconv.Itoa(i/len(communes)+1)
}

// said sends text as user and returns the bot's messages in the group in
// answer, failing if any of them lost formatting (telegramtest.MaxEntities).
func (w *bigWalk) said(user *telegramtest.User, text string) []telegramtest.Message {
	w.t.Helper()
	before := len(w.tg.FormattingLosses())
	msgs := w.saidAll(user, text)
	w.keptFormatting(before, text)
	return msgs
}

// keptFormatting fails if the bot's texts lost formatting since there were
// before losses, naming what made them.
func (w *bigWalk) keptFormatting(before int, what string) {
	w.t.Helper()
	for _, l := range w.tg.FormattingLosses()[before:] {
		w.t.Errorf("%q: %s of message %d made %d entities", what, l.Method, l.MessageID, l.Entities)
	}
}

// newHugeBlock sets up a block of hugeUnits units, each with two
// representatives and hugePledges approved pledges, Tỉnh Đoàn (1) leading
// and the MTTQ (2) deputising, twelve criteria and six periods, every unit
// reporting the first four, but for one in six a period, scored and
// proposed for the four awards: the commands, but for the volume stored
// through the domain.
func newHugeBlock(t *testing.T) *bigWalk {
	w := newBigWalk(t)
	w.on(1, 5, 8, 0)
	w.say(w.group, w.admin, "/setup "+bigBlockName)
	names := make([]string, hugeUnits)
	for i := range names {
		names[i] = hugeUnit(i)
	}
	w.saidAll(w.admin, "/addunit "+strings.Join(names, "\n"))
	w.staff = make([][]*telegramtest.User, hugeUnits)
	for i := range hugeUnits {
		for k := range 2 {
			w.staff[i] = append(w.staff[i], w.member(surnames[(i+k)%len(surnames)]+" "+givenNames[(i*3+k)%len(givenNames)], fmt.Sprintf("rep_%d_%d", i, k)))
		}
	}
	w.seatAll(w.staff)
	w.say(w.group, w.admin, "/leader 1")
	w.say(w.group, w.admin, "/deputy 2")
	lead := w.staff[0][0]
	w.on(1, 6, 9, 0)
	w.said(lead, "/tieuchi add "+strings.Join(bigCriteria, "\n"))
	w.said(lead, "/modangky 31/01/2026")
	w.approvedPledges(lead, hugePledges, func(i, k int) string { return pledgeLine(i%len(bigUnits), k) })
	w.said(lead, "/kybaocao "+strings.Join(bigPeriods, "\n"))
	w.apply(func(b *thidua.Block) error {
		for p, per := range b.Periods()[:4] {
			for i, u := range b.Units {
				if (i+p)%6 == 5 {
					continue
				}
				var lines []thidua.ReportLine
				for _, s := range reportLines(i%len(bigUnits), p) {
					if k, _, _ := strings.Cut(s, " "); len(k) > 0 && atoi(k) > hugePledges {
						continue
					}
					l, err := thidua.ParseReportLine(s)
					if err != nil {
						return err
					}
					lines = append(lines, l)
				}
				if _, err := b.SubmitReport(actor(w.staff[i][p%2]), u.ID, per.ID, lines, reportedOn[p]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	w.on(11, 25, 9, 0)
	w.apply(func(b *thidua.Block) error {
		for i, u := range b.Units {
			var sl []thidua.ScoreLine
			for c := range bigCriteria {
				l, err := thidua.ParseScoreLine(fmt.Sprintf("%d %s", c+1, thidua.FormatNumber(float64(3+(i+c)%4))))
				if err != nil {
					return err
				}
				sl = append(sl, l)
			}
			if _, err := b.SelfScore(actor(w.staff[i][0]), u.ID, sl, w.now); err != nil {
				return err
			}
			if i%3 != 2 {
				if _, err := b.ReviewScore(actor(lead), u.ID, sl, w.now); err != nil {
					return err
				}
			}
			if _, err := b.Nominate(actor(w.staff[i][0]), u.ID, nominees(i, 3), w.now); err != nil {
				return err
			}
		}
		return nil
	})
	numbers := make([]string, hugeUnits)
	for i := range numbers {
		numbers[i] = strconv.Itoa(i + 1)
	}
	w.said(lead, "/khenthuong "+bigAwards[2][:strings.Index(bigAwards[2], "|")]+"| "+strings.Join(numbers[:20], ", "))
	w.said(lead, "/khenthuong "+bigAwards[3][:strings.Index(bigAwards[3], "|")]+"| "+strings.Join(numbers[20:], ", "))
	return w
}

// seatAll makes each of staff[i] a representative of unit i+1 through the
// domain, approved by the administrator.
func (w *bigWalk) seatAll(staff [][]*telegramtest.User) {
	w.t.Helper()
	admin := actor(w.admin)
	admin.Admin = true
	w.apply(func(b *thidua.Block) error {
		for i, us := range staff {
			for _, u := range us {
				req, err := b.RequestJoin(actor(u), b.Units[i].ID, w.now)
				if err != nil {
					return err
				}
				if _, err := b.DecideJoin(admin, req.ID, true, w.now); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// approvedPledges has each unit i register n pledges, line(i, k) the k-th,
// and submit them, and lead approve them, through the domain.
func (w *bigWalk) approvedPledges(lead *telegramtest.User, n int, line func(i, k int) string) {
	w.t.Helper()
	w.apply(func(b *thidua.Block) error {
		for i, u := range b.Units {
			drafts := make([]thidua.PledgeDraft, n)
			for k := range drafts {
				d, err := thidua.ParsePledge(line(i, k), b.Year, b.Location())
				if err != nil {
					return err
				}
				drafts[k] = d
			}
			rep := actor(w.staff[i][0])
			if _, err := b.AddPledges(rep, u.ID, drafts, w.now); err != nil {
				return err
			}
			if _, err := b.SubmitPledges(rep, u.ID, w.now); err != nil {
				return err
			}
			if _, err := b.ApprovePledges(actor(lead), u.ID, 0, w.now); err != nil {
				return err
			}
		}
		return nil
	})
}

// nominees are the first n people unit i nominates (exemplarLine).
func nominees(i, n int) []thidua.ExemplarLine {
	people := make([]thidua.ExemplarLine, n)
	for j := range people {
		l, err := thidua.ParseExemplarLine(exemplarLine(i, j))
		if err != nil {
			panic(err) // the lines are the test's own
		}
		people[j] = l
	}
	return people
}

// atoi is strconv.Atoi for numbers known to be well formed.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// In a block of 40 units of 30 pledges each, the longest answers of the
// bot, whose lines each carry bold names, links to people and code, come
// in as many messages as it takes for each to keep within Telegram's 100
// entities, so that none of their formatting is lost, and they still say
// everything: every unit, every person, every entry asked for.
func TestHugeBlockKeepsFormatting(t *testing.T) {
	w := newHugeBlock(t)
	lead := w.staff[0][0]
	reader := w.staff[7][1]

	units := w.parts(w.said(reader, "/units"), regexp.MustCompile(`^\d+\. `))
	for i := range hugeUnits {
		expect(t, units, fmt.Sprintf("\n%d. %s", i+1, hugeUnit(i)), w.staff[i][0].FirstName+" (rep_"+strconv.Itoa(i)+"_0), "+w.staff[i][1].FirstName)
	}

	board := w.said(reader, "/progress")
	text := w.parts(board, regexp.MustCompile(`^\d+\. `))
	for i := range hugeUnits {
		expect(t, text, ". "+hugeUnit(i)+"\n   ▓")
	}
	expect(t, text, "5. 10 tháng (hạn 31/10/2026): ❌ 40", "6. Cả năm (hạn 30/11/2026): … 40")

	summary := w.said(reader, "/summary")
	text = w.parts(summary[:len(summary)-1], regexp.MustCompile(`^\d+\. `))
	for i := range hugeUnits {
		expect(t, text, fmt.Sprintf("%d. %s — ✅ đã duyệt · %d nội dung", i+1, hugeUnit(i), hugePledges))
	}

	scores := w.parts(w.said(reader, "/scores"), regexp.MustCompile(`^(\d+\. |– )`))
	for i := range hugeUnits {
		expect(t, scores, hugeUnit(i)+" — ")
	}

	deadlines := w.parts(w.said(reader, "/deadlines"), regexp.MustCompile(`^(– |• |Nhắc )`))
	for i := range hugeUnits {
		expect(t, deadlines, "– "+hugeUnit(i)+" (còn: ")
	}

	n := w.historyLen()
	// Split between entries, the pointer to older ones with the last.
	history := w.parts(w.said(reader, "/history 100"), historyEntry)
	if got := strings.Count(history, "\n• "); got != 100 || n < 100 {
		t.Fatalf("/history 100 shows %d entries of %d", got, n)
	}

	// The reminders of the leader's deadline and of the year's report name
	// every unit and mention both its representatives.
	w.on(11, 25, 10, 0)
	w.said(lead, "/hanchot 28/11/2026 | "+bigDeadline)
	before := len(w.tg.FormattingLosses())
	got := w.ticked(11, 27, 8, 0)
	w.keptFormatting(before, "the reminders of 27/11")
	for _, head := range []string{"⏰ Nhắc hạn: " + bigDeadline, "⏰ Nhắc hạn: Báo cáo kết quả Cả năm"} {
		reminder := w.parts(reminderParts(got, head), regexp.MustCompile(`^• `))
		for i := range hugeUnits {
			expect(t, reminder, "• "+hugeUnit(i), w.staff[i][0].FirstName+", "+w.staff[i][1].FirstName)
		}
	}

	// An election among the 40 units: the ballot, edited at each vote,
	// keeps its formatting, and so does the counting record.
	w.on(11, 27, 9, 0)
	w.said(lead, "/bau khoitruong | cho tái cử | đóng: 27/11/2026 17:00")
	before = len(w.tg.FormattingLosses())
	for i := range hugeUnits {
		b := w.ballot()
		choice := i // most vote for the leader, the others for themselves
		if i < 25 {
			choice = 0
		}
		w.press(w.group, w.staff[i][1], b, button(t, b, hugeUnit(choice)))
	}
	w.keptFormatting(before, "the votes")
	if e := w.lastElection(); e.State != thidua.ElectionWon {
		t.Fatalf("the election: %+v", e)
	}
	record := w.parts(w.said(w.staff[3][0], "/ketqua khoitruong"), regexp.MustCompile(`^(\d+\. |• )`))
	for i := range hugeUnits {
		expect(t, record, fmt.Sprintf("%d. %s — ✅ đã bỏ phiếu", i+1, hugeUnit(i)))
	}
}

// A report filled in step by step, whose notes each link to the unit's
// evidence: the draft's summary, edited in place and so never split,
// would carry each note in italics cut around its link, past the 100
// entities Telegram keeps; it shows the values by number instead, and
// the confirmation it becomes keeps its formatting too.
func TestDraftSummaryKeepsFormatting(t *testing.T) {
	w := &walk{harness: newHarness(t)}
	w.seated()
	const n = 40
	pledges := make([]string, n)
	for k := range pledges {
		pledges[k] = fmt.Sprintf("Việc %d | %d lớp", k+1, k+2)
	}
	w.registered("Công tác chung | 100", strings.Join(pledges, "\n"))
	w.say(w.group, w.reps[5], "/kybaocao Quý I | 31/03")
	before := len(w.tg.FormattingLosses())
	draft := w.say(w.group, w.reps[0], "/baocao Quý I")
	for k := range n {
		cur := w.message(draft.ID)
		expect(t, cur.Text, fmt.Sprintf("Nội dung %d/%d: Việc %d", k+1, n, k+1))
		w.handled(w.tg.Reply(w.group, w.reps[0], &cur, fmt.Sprintf("%d minh chứng: drive.google.com/d/mc%d", k+2, k+1)))
	}
	summary := w.message(draft.ID)
	expect(t, summary.Text, "(Danh sách dài nên chỉ hiện giá trị theo số thứ tự", fmt.Sprintf("\n%d. %d lớp / %d lớp (100%%)", n, n+1, n+1))
	w.pressed(w.reps[0], summary, "✅ Gửi báo cáo")
	expect(t, w.message(draft.ID).Text, "📊 Đã ghi báo cáo kỳ Quý I", fmt.Sprintf("\n%d. %d lớp / %d lớp (100%%)", n, n+1, n+1))
	for _, l := range w.tg.FormattingLosses()[before:] {
		t.Errorf("%s of message %d made %d entities:\n%s", l.Method, l.MessageID, l.Entities, l.HTML)
	}
	if r, ok := w.block().Report(w.block().Units[0].ID, w.block().Results.Periods[0].ID); !ok || len(r.Entries) != n || r.Entries[n-1].Note != fmt.Sprintf("minh chứng: drive.google.com/d/mc%d", n) {
		t.Fatalf("the report stored: %+v", r)
	}
}

// Units whose names carry their website and channel: Telegram makes a
// link and a mention of each.
// The covenant's list of the units still to sign and the ballot's list of
// those who voted, in messages edited in place and so never split, are cut
// short before they would make more entities than Telegram keeps.
func TestEditedListsKeepFormatting(t *testing.T) {
	w := newBigWalk(t)
	const n = 60 // the most a block takes
	w.say(w.group, w.admin, "/setup Khối thi đua các trường học")
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("Trường %d (truong%d.edu.vn, @truong%d)", i+1, i+1, i+1)
	}
	if added := w.saidAll(w.admin, "/addunit "+strings.Join(names, "\n")); len(w.block().Units) != n {
		t.Fatalf("/addunit of %d units: %q", n, added[0].Text)
	}
	w.staff = make([][]*telegramtest.User, n)
	for i := range n {
		w.staff[i] = []*telegramtest.User{w.member(fmt.Sprintf("Hiệu trưởng %d", i+1), "")}
	}
	w.seatAll(w.staff)
	w.say(w.group, w.admin, "/leader 1")
	lead := w.staff[0][0]
	w.said(lead, "/tieuchi add "+strings.Join(bigCriteria, "\n"))
	w.said(lead, "/modangky")
	w.approvedPledges(lead, 1, pledgeLine)
	before := len(w.tg.FormattingLosses())
	cov := w.said(lead, "/giaouoc "+bigSlogan+" | 15/03/2026")
	post := cov[len(cov)-1]
	for i := range 5 {
		w.press(w.group, w.staff[i][0], post, post.Buttons[0][0].Data)
	}
	expect(t, w.message(post.ID).Text, fmt.Sprintf("Đã ký: 5/%d đơn vị", n), "Chưa ký: "+names[5]+", "+names[6], " đơn vị khác")
	w.keptFormatting(before, "the covenant")

	w.on(11, 27, 9, 0)
	w.said(lead, "/bau khoitruong | cho tái cử | công khai | đóng: 27/11/2026 17:00")
	before = len(w.tg.FormattingLosses())
	for i := range n - 1 {
		b := w.ballot()
		w.press(w.group, w.staff[i][0], b, button(t, b, names[0]))
	}
	expect(t, w.ballot().Text, fmt.Sprintf("✅ %s → %s", names[0], names[0]), " đơn vị khác")
	w.keptFormatting(before, "the ballot")
}
