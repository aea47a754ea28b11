package handlers_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/handlers"
	"thiduabot/storage"
	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// The seven units of setUp, in order.
const (
	mttq    = "Ủy ban MTTQ Việt Nam tỉnh"
	ccb     = "Hội Cựu chiến binh tỉnh"
	nongDan = "Hội Nông dân tỉnh"
	ldld    = "Liên đoàn Lao động tỉnh"
	phuNu   = "Hội Liên hiệp Phụ nữ tỉnh"
	doan    = "Tỉnh Đoàn"
	ctd     = "Hội Chữ thập đỏ tỉnh"
)

var unitNames = []string{mttq, ccb, nongDan, ldld, phuNu, doan, ctd}

// tallyRE finds a number of votes ("4 phiếu").
var tallyRE = regexp.MustCompile(`\d+ phiếu`)

// receiptRE finds the receipt code in a voter's callback answer, in either
// language.
var receiptRE = regexp.MustCompile(`(?:Mã phiếu(?: mới)?|Receipt|New receipt): ([A-Z2-9]{6})`)

// electorate sets the block up with one representative per unit (reps[i]
// for unit i+1) and Tỉnh Đoàn as this year's leader, so reps[5] runs the
// block with the administrator.
func electorate(h *harness) []*telegramtest.User {
	h.t.Helper()
	h.setUp()
	names := []string{"An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh"}
	reps := make([]*telegramtest.User, len(names))
	for i, n := range names {
		reps[i] = h.member(n, "")
		h.join(reps[i], unitNames[i])
	}
	h.say(h.group, h.admin, "/leader Tỉnh Đoàn")
	return reps
}

// ballot returns the bot's latest group message carrying vote buttons.
func (h *harness) ballot() telegramtest.Message {
	h.t.Helper()
	msgs := h.tg.Messages(h.group.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		for _, row := range msgs[i].Buttons {
			if len(row) > 0 && strings.HasPrefix(row[0].Data, "ev:") {
				return msgs[i]
			}
		}
	}
	h.t.Fatal("no ballot in the group")
	return telegramtest.Message{}
}

// button returns the callback data of the ballot's button for a candidate.
func button(t *testing.T, ballot telegramtest.Message, candidate string) string {
	t.Helper()
	for _, row := range ballot.Buttons {
		for _, b := range row {
			if b.Text == candidate {
				return b.Data
			}
		}
	}
	t.Fatalf("no button %q on the ballot %v", candidate, ballot.Buttons)
	return ""
}

// vote presses the candidate on the current ballot as user and returns the
// callback answer the user saw.
func (h *harness) vote(user *telegramtest.User, candidate string) telegramtest.CallbackAnswer {
	h.t.Helper()
	b := h.ballot()
	return h.press(h.group, user, b, button(h.t, b, candidate))
}

// votes makes reps[i] vote for candidates[i]; "" abstains.
func (h *harness) votes(reps []*telegramtest.User, candidates ...string) {
	h.t.Helper()
	for i, c := range candidates {
		if c != "" {
			h.vote(reps[i], c)
		}
	}
}

// receipt returns the receipt code of a voter's answer.
func receipt(t *testing.T, a telegramtest.CallbackAnswer) string {
	t.Helper()
	m := receiptRE.FindStringSubmatch(a.Text)
	if m == nil {
		t.Fatalf("no receipt in %q", a.Text)
	}
	return m[1]
}

// message returns the bot's group message with this id, as it is now.
func (h *harness) message(id int) telegramtest.Message {
	h.t.Helper()
	msgs := h.tg.Messages(h.group.ID)
	i := slices.IndexFunc(msgs, func(x telegramtest.Message) bool { return x.ID == id })
	if i < 0 {
		h.t.Fatalf("no message %d in the group", id)
	}
	return msgs[i]
}

// lastElection is the most recent election of the stored block.
func (h *harness) lastElection() *thidua.Election {
	h.t.Helper()
	e := h.block().LatestElection("")
	if e == nil {
		h.t.Fatal("no election stored")
	}
	return e
}

// runDue runs the scheduler's work for the group's block at the harness's
// time, through a router of its own, as the scheduler does.
func (h *harness) runDue() {
	h.t.Helper()
	r := newRouter(h, bot.NewSender(h.api(), fastLimits, nil, nil))
	if err := r.RunDue(context.Background(), h.block().ID, h.now); err != nil {
		h.t.Fatal(err)
	}
}

func TestElectionNormalWin(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	lan := h.member("Lan", "lan")
	h.handled(h.tg.SendPrivate(lan, "/start"))

	m := h.say(h.group, h.admin, "/bau khoitruong")
	expect(t, m.Text, "🗳 Bầu Khối trưởng năm 2027", "🔒 Bỏ phiếu kín", "⏰ Kết thúc: 03/03/2026 09:00", "Đã bỏ phiếu: 0/7 đơn vị")
	var labels []string
	for _, row := range m.Buttons {
		labels = append(labels, row[0].Text)
		if len(row[0].Data) > 64 {
			t.Fatalf("callback data too long: %q", row[0].Data)
		}
	}
	if want := []string{mttq, ccb, nongDan, ldld, phuNu, ctd}; !slices.Equal(labels, want) {
		t.Fatalf("candidates %v: the outgoing leader stands", labels)
	}
	e := h.lastElection()
	if e.MessageID != m.ID || e.Role != thidua.RoleLeader || !e.Secret || e.State != thidua.ElectionOpen {
		t.Fatalf("election %+v", e)
	}

	a := h.vote(reps[0], nongDan)
	if !a.ShowAlert {
		t.Fatal("the receipt is not shown as an alert")
	}
	expect(t, a.Text, "Đã ghi nhận phiếu của Ủy ban MTTQ Việt Nam tỉnh: Hội Nông dân tỉnh.")
	codes := []string{receipt(t, a)}
	for i, c := range []string{nongDan, nongDan, ccb, nongDan} {
		codes = append(codes, receipt(t, h.vote(reps[i+1], c)))
	}
	b := h.ballot()
	if b.ID != m.ID {
		t.Fatal("the ballot was not edited in place")
	}
	expect(t, b.Text, "Đã bỏ phiếu: 5/7 đơn vị", "✅ Ủy ban MTTQ Việt Nam tỉnh", "✅ Hội Liên hiệp Phụ nữ tỉnh")
	if strings.Contains(b.Text, "✅ Tỉnh Đoàn") || strings.Contains(b.Text, "→") {
		t.Fatalf("ballot %q", b.Text)
	}

	// Only managers close; the leader's representative may.
	m = h.say(h.group, reps[0], "/closevote")
	expect(t, m.Text, "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")
	h.now = h.now.Add(2 * time.Hour)
	m = h.say(h.group, reps[5], "/dongbau")
	expect(t, m.Text, "Kết quả bầu Khối trưởng năm 2027", "Số đơn vị bỏ phiếu: 5/7 (cần ít nhất 4): đủ",
		"• Hội Nông dân tỉnh: 4 phiếu", "• Hội Cựu chiến binh tỉnh: 1 phiếu", "• Ủy ban MTTQ Việt Nam tỉnh: 0 phiếu",
		"🎉 Hội Nông dân tỉnh trúng cử Khối trưởng năm 2027 với 4/5 phiếu.", "/result khoitruong")
	closed := h.message(e.MessageID)
	if len(closed.Buttons) != 0 {
		t.Fatal("buttons left on the closed ballot")
	}
	expect(t, closed.Text, "Đã kết thúc bỏ phiếu lúc 02/03/2026 11:00", "Đã bỏ phiếu: 5/7 đơn vị")

	st := h.block()
	if el := st.ElectedFor(thidua.RoleLeader); el == nil || el.Name != nongDan || el.Year != 2027 {
		t.Fatalf("elected %+v", el)
	}
	if st.LeaderUnit == st.ElectedFor(thidua.RoleLeader).UnitID {
		t.Fatal("this year's leader changed")
	}
	m = h.say(h.group, lan, "/units")
	expect(t, m.Text, "Khối trưởng năm 2027 (đã bầu): Hội Nông dân tỉnh", "Khối trưởng: Tỉnh Đoàn")

	// The counting record lists the roll, turnout, tally, winner and every
	// counted receipt under its candidate, without tying units to them.
	m = h.say(h.group, lan, "/ketqua")
	expect(t, m.Text, "📋 Biên bản kiểm phiếu — bầu Khối trưởng năm 2027", "Ngày lập: 02/03/2026", "Hình thức: bỏ phiếu kín",
		"Mở bầu: 02/03/2026 09:00, bởi Hùng", "Kết thúc: 02/03/2026 11:00 (do Hà kết thúc)",
		"Danh sách cử tri (chốt khi mở bầu, 7 đơn vị):", "1. Ủy ban MTTQ Việt Nam tỉnh — ✅ đã bỏ phiếu", "6. Tỉnh Đoàn — chưa bỏ phiếu",
		"Số đơn vị bỏ phiếu: 5/7", "🎉 Hội Nông dân tỉnh trúng cử")
	four := slices.Clone(codes)
	four = slices.DeleteFunc(four, func(c string) bool { return c == codes[3] })
	sort.Strings(four)
	expect(t, m.Text, "• Hội Nông dân tỉnh: 4 phiếu — mã phiếu: "+strings.Join(four, ", "), "• Hội Cựu chiến binh tỉnh: 1 phiếu — mã phiếu: "+codes[3])

	m = h.say(h.group, lan, "/history 30")
	expect(t, m.Text, "mở bầu Khối trưởng: «🔒 Ủy ban MTTQ", "bỏ phiếu của đơn vị trong cuộc bầu Khối trưởng [Ủy ban MTTQ Việt Nam tỉnh]",
		"Hà: kết thúc bỏ phiếu bầu Khối trưởng: «🗳 5/7: ", "trúng cử Khối trưởng năm sau [Hội Nông dân tỉnh]: «2027»")
	if dm, _ := h.tg.LastMessage(lan.ID); strings.Contains(dm.Text, "phiếu") {
		t.Fatalf("a direct message about the vote: %q", dm.Text)
	}
}

func TestElectionRunoffClosedWhenAllVoted(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/elect leader | candidates: 1, 2, 3 | đóng: 02/03/2026 15:00")
	// 3-2-2: no majority of 7; a runoff between the first and both second.
	h.votes(reps, mttq, mttq, mttq, ccb, ccb, nongDan, nongDan)
	msgs := h.tg.Messages(h.group.ID)
	all := msgs[len(msgs)-3]
	expect(t, all.Text, "Tất cả 7/7 đơn vị đã bỏ phiếu bầu Khối trưởng năm 2027 — kết thúc bỏ phiếu.")
	res := msgs[len(msgs)-2]
	expect(t, res.Text, "• Ủy ban MTTQ Việt Nam tỉnh: 3 phiếu", "Không ứng viên nào được quá nửa số phiếu bầu (cần ít nhất 4/7): bầu lại vòng 2 giữa Ủy ban MTTQ Việt Nam tỉnh, Hội Cựu chiến binh tỉnh, Hội Nông dân tỉnh")
	runoff := h.ballot()
	expect(t, runoff.Text, "Bầu Khối trưởng năm 2027 — vòng 2 (bầu lại)", "🔒 Bỏ phiếu kín", "⏰ Kết thúc: 02/03/2026 15:00", "Đã bỏ phiếu: 0/7")
	if len(runoff.Buttons) != 3 {
		t.Fatalf("runoff buttons %v", runoff.Buttons)
	}
	st := h.block()
	first, second := st.Elections.List[0], st.Elections.List[1]
	if first.State != thidua.ElectionRunoff || first.CloseReason != thidua.ClosedAllVoted || second.Parent != first.ID ||
		second.MessageID != runoff.ID || !second.CloseAt.Equal(h.now.Add(6*time.Hour)) {
		t.Fatalf("rounds %+v\n%+v", first, second)
	}
	// The first round's buttons are gone.
	if round1 := h.message(first.MessageID); len(round1.Buttons) != 0 {
		t.Fatal("first round still has buttons")
	}

	// The runoff: the most votes win.
	h.votes(reps, ccb, ccb, mttq, ccb, nongDan, ccb, mttq)
	m, _ := h.tg.LastMessage(h.group.ID)
	expect(t, m.Text, "Kết quả bầu Khối trưởng năm 2027 — vòng 2 (bầu lại)", "🎉 Hội Cựu chiến binh tỉnh trúng cử Khối trưởng năm 2027 với 4/7 phiếu.")
	m = h.say(h.group, reps[0], "/result khoitruong")
	expect(t, m.Text, "Biên bản kiểm phiếu — bầu Khối trưởng năm 2027\n", "Kết thúc: 02/03/2026 09:00 (tất cả đơn vị đã bỏ phiếu)", "bầu lại vòng 2",
		"Biên bản kiểm phiếu — bầu Khối trưởng năm 2027 — vòng 2 (bầu lại)", "🎉 Hội Cựu chiến binh tỉnh trúng cử")
}

// When the last unit's vote closes the election, neither the history nor
// the counting record names that voter as the one who closed it, opened
// the runoff or elected the winner: a representative only voted.
func TestCloseWhenAllVotedIsNotAttributedToTheLastVoter(t *testing.T) {
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

func TestElectionRunoffTieSettledByDecide(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, reps[5], "/elect khoipho | ứng viên: nong dan; 4 | công khai")
	h.votes(reps, nongDan, nongDan, nongDan, ldld, ldld, ldld)
	h.say(h.group, h.admin, "/closevote khoipho")
	if h.lastElection().Round != 2 {
		t.Fatal("no runoff after a tie for first")
	}
	h.votes(reps, nongDan, nongDan, nongDan, ldld, ldld, ldld)
	h.now = h.now.Add(time.Hour)
	m := h.say(h.group, h.admin, "/closevote")
	expect(t, m.Text, "⚖️ Vòng bầu lại hoà phiếu giữa Hội Nông dân tỉnh, Liên đoàn Lao động tỉnh.", "/decide khoipho <đơn vị>")
	if e := h.lastElection(); e.State != thidua.ElectionTied || h.block().ElectedFor(thidua.RoleDeputy) != nil {
		t.Fatalf("tied election %+v", e)
	}

	m = h.say(h.group, h.admin, "/elect khoipho")
	expect(t, m.Text, "hoà phiếu và đang chờ quyết định")
	m = h.say(h.group, reps[0], "/decide Hội Nông dân tỉnh")
	expect(t, m.Text, "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")
	m = h.say(h.group, reps[5], "/quyetdinh")
	expect(t, m.Text, "Cần nêu đơn vị được chọn", "Cú pháp: /decide")
	m = h.say(h.group, reps[5], "/quyetdinh khoipho Hội Cựu chiến binh tỉnh")
	expect(t, m.Text, "Đơn vị này không nằm trong số các đơn vị hoà phiếu.")
	m = h.say(h.group, reps[5], "/quyetdinh khoipho lien doan")
	expect(t, m.Text, "⚖️ Hoà phiếu giữa Hội Nông dân tỉnh, Liên đoàn Lao động tỉnh; Hà quyết định (02/03/2026 10:00): Liên đoàn Lao động tỉnh trúng cử Khối phó năm 2027.")
	st := h.block()
	if el := st.ElectedFor(thidua.RoleDeputy); el == nil || el.Name != ldld {
		t.Fatalf("elected %+v", el)
	}
	if e := st.LatestElection(thidua.RoleDeputy); e.State != thidua.ElectionDecided || e.DecidedBy != "Hà" {
		t.Fatalf("decided %+v", e)
	}
	m = h.say(h.group, h.admin, "/decide lien doan")
	expect(t, m.Text, "Không có vòng bầu lại nào hoà phiếu đang chờ quyết định.")
	m = h.say(h.group, reps[0], "/units")
	expect(t, m.Text, "Khối phó năm 2027 (đã bầu): Liên đoàn Lao động tỉnh")
	// In an open ballot the record shows each unit's choice and receipt.
	m = h.say(h.group, reps[0], "/result")
	expect(t, m.Text, "Hình thức: bỏ phiếu công khai", "1. Ủy ban MTTQ Việt Nam tỉnh — ✅ bầu Hội Nông dân tỉnh (mã ", "7. Hội Chữ thập đỏ tỉnh — chưa bỏ phiếu",
		"Hà quyết định")
	m = h.say(h.group, reps[0], "/history 5")
	expect(t, m.Text, "bầu lại Khối phó hoà phiếu", "Hà: quyết định Khối phó khi hoà phiếu [Liên đoàn Lao động tỉnh]", "trúng cử Khối phó năm sau [Liên đoàn Lao động tỉnh]")
}

// A representative whom the leader unit's representative approves during
// the first round does not vote in it, nor in the runoff that follows it:
// the runoff continues the same election, with the same roll.
func TestRunoffKeepsNewVotersOut(t *testing.T) {
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

func TestElectionFailedQuorum(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/elect khoitruong")
	h.votes(reps, mttq, mttq, ccb)
	m := h.say(h.group, h.admin, "/closevote")
	expect(t, m.Text, "Số đơn vị bỏ phiếu: 3/7 (cần ít nhất 4): không đủ", "⚠️ Không đủ quá nửa số đơn vị bỏ phiếu nên không có đơn vị nào trúng cử.", "/elect khoitruong")
	st := h.block()
	if e := st.LatestElection(""); e.State != thidua.ElectionNoQuorum || st.ElectedFor(thidua.RoleLeader) != nil || len(st.Elections.List) != 1 {
		t.Fatalf("elections %+v", st.Elections)
	}
	// A new election may follow.
	m = h.say(h.group, h.admin, "/elect khoitruong")
	expect(t, m.Text, "Bầu Khối trưởng năm 2027", "Đã bỏ phiếu: 0/7")
}

func TestElectionRefusesNonVoters(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/elect khoitruong")
	e := h.lastElection()
	outsider := h.member("Quân", "quan")
	a := h.vote(outsider, mttq)
	if !a.ShowAlert {
		t.Fatal("refusal not shown as an alert")
	}
	expect(t, a.Text, "Xin lỗi, chỉ đầu mối của các đơn vị thành viên mới bỏ phiếu được.")
	// An administrator represents no unit and has no vote either.
	a = h.vote(h.admin, mttq)
	expect(t, a.Text, "chỉ đầu mối của các đơn vị thành viên")
	// A unit added after the opening is not on the roll.
	h.say(h.group, h.admin, "/addunit Hội Khuyến học tỉnh")
	late := h.member("Tâm", "")
	h.join(late, "Hội Khuyến học tỉnh")
	a = h.vote(late, mttq)
	expect(t, a.Text, "không có trong danh sách cử tri của cuộc bầu này")
	if got := h.block().Election(e.ID); len(got.Ballots) != 0 {
		t.Fatalf("ballots %+v", got.Ballots)
	}
	if b := h.ballot(); !strings.Contains(b.Text, "Đã bỏ phiếu: 0/7") {
		t.Fatalf("ballot %q", b.Text)
	}
	// A representative whom the leader unit's representative approves once
	// the vote is open does not vote in it.
	h.now = h.now.Add(time.Minute)
	newcomer := h.member("Phúc", "")
	h.say(h.group, newcomer, "/join Hội Nông dân tỉnh")
	ask, _ := h.tg.LastMessage(h.group.ID)
	h.press(h.group, reps[5], ask, ask.Buttons[0][0].Data) // Tỉnh Đoàn leads the block
	if h.block().RepOf(newcomer.ID) == nil {
		t.Fatal("the leader unit's representative could not approve")
	}
	a = h.vote(newcomer, mttq)
	expect(t, a.Text, "được duyệt làm đầu mối sau khi cuộc bầu này bắt đầu nên chưa bỏ phiếu được", "nhờ quản trị viên nhóm duyệt.")
	if !a.ShowAlert || len(h.block().Election(e.ID).Ballots) != 0 {
		t.Fatalf("alert %v, ballots %+v", a.ShowAlert, h.block().Election(e.ID).Ballots)
	}
	// The representatives still vote.
	expect(t, h.vote(reps[0], mttq).Text, "Đã ghi nhận phiếu của Ủy ban MTTQ Việt Nam tỉnh")
}

func ptr[T any](v T) *T { return &v }

func TestElectionChangedVote(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/elect khoitruong | công khai")
	second := h.member("Bảo", "bao")
	h.join(second, mttq)
	first := h.vote(reps[0], ccb)
	m := h.ballot()
	expect(t, m.Text, "👁 Bỏ phiếu công khai", "✅ Ủy ban MTTQ Việt Nam tỉnh → Hội Cựu chiến binh tỉnh", "Đã bỏ phiếu: 1/7")
	changed := h.vote(second, nongDan)
	expect(t, changed.Text, "Đã đổi phiếu của Ủy ban MTTQ Việt Nam tỉnh: Hội Nông dân tỉnh.", "Mã phiếu mới:")
	if receipt(t, changed) == receipt(t, first) {
		t.Fatal("the changed vote kept its receipt")
	}
	m = h.ballot()
	expect(t, m.Text, "✅ Ủy ban MTTQ Việt Nam tỉnh → Hội Nông dân tỉnh", "Đã bỏ phiếu: 1/7")
	e := h.lastElection()
	if c := e.Counted(); len(c) != 1 || c[0].Candidate != "u3" || c[0].UserID != second.ID || len(e.Ballots) != 1 {
		t.Fatalf("counted %+v of %+v", c, e.Ballots)
	}
	m = h.say(h.group, reps[1], "/history 5")
	expect(t, m.Text, "An: bỏ phiếu của đơn vị trong cuộc bầu Khối trưởng [Ủy ban MTTQ Việt Nam tỉnh]: «Hội Cựu chiến binh tỉnh (",
		"Bảo: đổi phiếu của đơn vị trong cuộc bầu Khối trưởng [Ủy ban MTTQ Việt Nam tỉnh]: «Hội Cựu chiến binh tỉnh» → «Hội Nông dân tỉnh (")
	// Changing back is a change too; the latest counts at the close.
	h.vote(reps[0], ccb)
	h.votes(reps[1:], ccb, ccb, ccb)
	m = h.say(h.group, h.admin, "/closevote")
	expect(t, m.Text, "• Hội Cựu chiến binh tỉnh: 4 phiếu", "trúng cử Khối trưởng năm 2027 với 4/4 phiếu")
}

// transcript is everything a secret election shows to anyone: each message,
// edit and callback answer the bot sent, with all its parameters, in order,
// minus the voters' own answers to their votes (skip), which only they see.
func transcript(h *harness, skip map[string]bool) []string {
	var out []string
	for _, r := range h.tg.Requests("") {
		if !strings.HasPrefix(r.Method, "send") && !strings.HasPrefix(r.Method, "edit") &&
			!strings.HasPrefix(r.Method, "answer") && !strings.HasPrefix(r.Method, "delete") {
			continue
		}
		if skip[r.Params.Get("callback_query_id")] {
			continue
		}
		r.Params.Del("callback_query_id") // random on each server
		out = append(out, r.Method+" "+r.Params.Encode())
	}
	return out
}

// The secret ballot: until the close, what anyone can see (every message in
// every chat, every edit, every callback answer but a voter's own, every
// command's answer, leader and administrators included) depends only on who
// voted, never on how. Two runs with different choices show exactly the same.
func TestSecretBallotLeaksNothingBeforeTheClose(t *testing.T) {
	choices := [][]string{
		{nongDan, nongDan, mttq, ccb, nongDan},
		{mttq, ccb, ccb, mttq, ldld},
	}
	var runs [][]string
	var hs []*harness
	for _, pick := range choices {
		h := newHarness(t)
		reps := electorate(h)
		for _, u := range append(reps, h.admin) {
			h.handled(h.tg.SendPrivate(u, "/start"))
		}
		h.say(h.group, reps[5], "/elect khoitruong | ứng viên: 1, 2, 3, 4, 5")
		own := map[string]bool{}
		var codes []string
		for i, c := range pick {
			u, err := h.tg.Press(h.group, reps[i], ptr(h.ballot()), button(t, h.ballot(), c))
			if err != nil {
				t.Fatal(err)
			}
			h.handled(u)
			a, _ := h.tg.AnswerOf(u.CallbackQueryID)
			expect(t, a.Text, "Đã ghi nhận phiếu của "+unitNames[i]+": "+c+".")
			own[u.CallbackQueryID] = true
			codes = append(codes, receipt(t, a))
		}
		// A change of vote, a refused outsider, and everyone asking.
		u, _ := h.tg.Press(h.group, reps[0], ptr(h.ballot()), button(t, h.ballot(), pick[4]))
		h.handled(u)
		own[u.CallbackQueryID] = true
		a, _ := h.tg.AnswerOf(u.CallbackQueryID)
		codes = append(codes, receipt(t, a))
		h.vote(h.member("Quân", "quan"), mttq)
		for _, who := range []*telegramtest.User{h.admin, reps[5], reps[0]} {
			for _, cmd := range []string{"/result", "/result khoitruong", "/units", "/history 100", "/help", "/closevote khoipho", "/decide 1"} {
				h.say(h.group, who, cmd)
			}
		}
		for _, cmd := range []string{"/help", "/start", "/result"} {
			h.say(h.tg.PrivateChat(h.admin), h.admin, cmd)
		}
		tr := transcript(h, own)
		all := strings.Join(tr, "\n")
		for _, c := range codes {
			if strings.Contains(all, c) {
				t.Fatalf("receipt %s shown to others before the close", c)
			}
		}
		for _, chat := range append([]int64{h.group.ID}, h.admin.ID, reps[0].ID, reps[5].ID) {
			for _, m := range h.tg.Messages(chat) {
				if tallyRE.MatchString(m.Text) || strings.Contains(m.Text, "→") {
					t.Fatalf("a tally or a choice in %q", m.Text)
				}
			}
		}
		runs = append(runs, tr)
		hs = append(hs, h)
	}
	if !slices.Equal(runs[0], runs[1]) {
		for i := range min(len(runs[0]), len(runs[1])) {
			if runs[0][i] != runs[1][i] {
				t.Fatalf("what others see depends on the votes:\n%s\n%s", runs[0][i], runs[1][i])
			}
		}
		t.Fatalf("transcripts of %d and %d requests", len(runs[0]), len(runs[1]))
	}
	// After the close the result is public, and differs.
	a := hs[0].say(hs[0].group, hs[0].admin, "/closevote")
	expect(t, a.Text, "• Hội Nông dân tỉnh: 3 phiếu", "🎉 Hội Nông dân tỉnh trúng cử")
	hs[1].say(hs[1].group, hs[1].admin, "/closevote")
	if countContaining(hs[1], hs[1].group.ID, "• Hội Cựu chiến binh tỉnh: 2 phiếu") != 1 || countContaining(hs[1], hs[1].group.ID, "bầu lại vòng 2") != 1 {
		t.Fatal("no runoff in the second run")
	}
}

// raceStore is the store of one replica in a race: the first two block
// updates of the replicas sharing the race read the same version before
// either writes, as two replicas handling two presses at the same moment
// do.
type raceStore struct {
	storage.Store
	*race
}

// race counts the block updates of the replicas in it, the first two of
// which wait for each other.
type race struct {
	calls   atomic.Int32
	arrived sync.WaitGroup
}

func (s *raceStore) UpdateParts(ctx context.Context, id string, parts thidua.Part, fn func(*thidua.Block) error) (*thidua.Block, error) {
	return s.Store.UpdateParts(ctx, id, parts, func(b *thidua.Block) error {
		err := fn(b)
		if s.calls.Add(1) <= 2 {
			s.arrived.Done()
			done := make(chan struct{})
			go func() { s.arrived.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(wait): // a store that serialises updates
			}
		}
		return err
	})
}

func TestConcurrentPressesLeaveOneBallot(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	lan := h.member("Lan", "lan")
	h.join(lan, nongDan)
	mai := h.member("Mai", "mai")
	h.join(mai, ldld)
	h.say(h.group, h.admin, "/elect khoitruong")
	e := h.lastElection()

	// Through one process: two presses queued before either is handled.
	b := h.ballot()
	u1, err := h.tg.Press(h.group, reps[2], &b, button(t, b, mttq))
	if err != nil {
		t.Fatal(err)
	}
	u2, err := h.tg.Press(h.group, lan, &b, button(t, b, ccb))
	if err != nil {
		t.Fatal(err)
	}
	h.handled(u1)
	h.handled(u2)
	got := h.block().Election(e.ID)
	if c := got.Counted(); len(c) != 1 || c[0].Candidate != "u2" || len(got.Ballots) != 1 {
		t.Fatalf("counted %+v of %+v", c, got.Ballots)
	}

	// Through two replicas at the same moment: both read the block before
	// either writes; the store makes the loser start over on the winner's
	// write, where the unit has voted.
	h.stop()
	b = h.ballot()
	p1, _ := h.tg.Press(h.group, reps[3], &b, button(t, b, nongDan))
	p2, _ := h.tg.Press(h.group, mai, &b, button(t, b, phuNu))
	api := h.api()
	ups, err := api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 0})
	if err != nil || len(ups) != 2 {
		t.Fatalf("pending updates %d, %v", len(ups), err)
	}
	rc := &race{}
	rc.arrived.Add(2)
	replica := func() *handlers.Router {
		// A store of its own, as another process has: the writers of one
		// store take turns instead of racing.
		return newRouterOn(h, &raceStore{Store: newReplica(h).store, race: rc}, bot.NewSender(api, fastLimits, nil, nil))
	}
	replicas := []*handlers.Router{replica(), replica()}
	var wg sync.WaitGroup
	for i, u := range ups {
		wg.Go(func() {
			if err := replicas[i].Handle(t.Context(), u); err != nil {
				t.Errorf("replica %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if _, err := api.GetUpdates(tgbotapi.UpdateConfig{Offset: ups[1].UpdateID + 1}); err != nil {
		t.Fatal(err)
	}
	h.start()
	if rc.calls.Load() < 3 {
		t.Fatalf("%d update attempts: the presses did not collide", rc.calls.Load())
	}
	got = h.block().Election(e.ID)
	counted := got.Counted()
	if len(counted) != 2 || len(got.Ballots) != 2 || counted[1].UnitID != "u4" {
		t.Fatalf("counted %+v of %+v", counted, got.Ballots)
	}
	a1, _ := h.tg.AnswerOf(p1.CallbackQueryID)
	a2, _ := h.tg.AnswerOf(p2.CallbackQueryID)
	answers := []string{a1.Text[:strings.Index(a1.Text, ":")], a2.Text[:strings.Index(a2.Text, ":")]}
	sort.Strings(answers)
	if answers[0] != "✅ Đã ghi nhận phiếu của Liên đoàn Lao động tỉnh" || answers[1] != "✅ Đã đổi phiếu của Liên đoàn Lao động tỉnh" {
		t.Fatalf("answers %q", answers)
	}
	// The later of the two, in the store's order, counts: the one answered
	// as a change.
	changed := a1
	if strings.HasPrefix(a2.Text, "✅ Đã đổi") {
		changed = a2
	}
	if counted[1].Receipt != receipt(t, changed) {
		t.Fatalf("counted %+v, answered as the change %q", counted[1], changed.Text)
	}
}

func TestScheduledCloseAfterRestart(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	m := h.say(h.group, h.admin, "/elect khoitruong | đóng: 02/03/2026 17:00")
	expect(t, m.Text, "⏰ Kết thúc: 02/03/2026 17:00")
	e := h.lastElection()
	if due := h.block().NextDue(); due.IsZero() || due.After(e.CloseAt) {
		t.Fatalf("next due %v, closing %v", due, e.CloseAt)
	}
	h.votes(reps, nongDan, nongDan, ccb)

	// A restart loses no ballot; voting goes on.
	h.stop()
	h.start()
	h.votes(reps[3:], nongDan, nongDan)
	if got := h.block().Election(e.ID); len(got.Counted()) != 5 {
		t.Fatalf("counted %d after the restart", len(got.Counted()))
	}
	before := h.tg.Sent(h.group.ID)
	h.now = time.Date(2026, 3, 2, 16, 59, 0, 0, hcm)
	h.runDue()
	if h.tg.Sent(h.group.ID) != before || h.lastElection().State != thidua.ElectionOpen {
		t.Fatal("closed before its time")
	}

	// A press queued while the bot is down, handled after the close.
	h.stop()
	b := h.ballot()
	late, err := h.tg.Press(h.group, reps[5], &b, button(t, b, nongDan))
	if err != nil {
		t.Fatal(err)
	}
	h.now = time.Date(2026, 3, 2, 17, 0, 0, 0, hcm)
	h.runDue()
	res, _ := h.tg.LastMessage(h.group.ID)
	expect(t, res.Text, "Kết quả bầu Khối trưởng năm 2027", "Số đơn vị bỏ phiếu: 5/7", "🎉 Hội Nông dân tỉnh trúng cử Khối trưởng năm 2027 với 4/5 phiếu.")
	if closed := h.message(e.MessageID); len(closed.Buttons) != 0 {
		t.Fatal("the scheduled close left the buttons")
	}
	got := h.lastElection()
	if got.State != thidua.ElectionWon || got.CloseReason != thidua.ClosedOnTime || got.ClosedBy != "thiduabot" {
		t.Fatalf("closed %+v", got)
	}
	h.start()
	h.handled(late)
	a, _ := h.tg.AnswerOf(late.CallbackQueryID)
	expect(t, a.Text, "Cuộc bầu này đã kết thúc, phiếu không được ghi nhận.")
	if n := len(h.block().Election(e.ID).Ballots); n != 5 {
		t.Fatalf("%d ballots after a late press", n)
	}

	// Running it again does nothing more.
	sent := h.tg.Sent(h.group.ID)
	h.now = h.now.Add(time.Hour)
	h.runDue()
	if h.tg.Sent(h.group.ID) != sent {
		t.Fatal("closed twice")
	}
	m = h.say(h.group, reps[0], "/result")
	expect(t, m.Text, "Kết thúc: 02/03/2026 17:00 (hết giờ bỏ phiếu)")
	m = h.say(h.group, reps[0], "/history 5")
	expect(t, m.Text, "thiduabot: kết thúc bỏ phiếu bầu Khối trưởng")
}

func TestResultDuringElectionRepostsBallot(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	m := h.say(h.group, reps[0], "/result")
	expect(t, m.Text, "Chưa có cuộc bầu nào.")
	h.say(h.group, h.admin, "/elect khoitruong")
	first := h.ballot()
	h.votes(reps, ccb, nongDan)
	m = h.say(h.group, reps[3], "/ketqua khoitruong")
	if m.ID == first.ID || len(m.Buttons) != 6 {
		t.Fatalf("ballot not posted again: %+v", m)
	}
	expect(t, m.Text, "Đã bỏ phiếu: 2/7 đơn vị", "✅ Ủy ban MTTQ Việt Nam tỉnh", "✅ Hội Cựu chiến binh tỉnh")
	if h.lastElection().MessageID != m.ID {
		t.Fatal("the new copy is not the ballot edited from now on")
	}
	// The older copy points to the new one, without buttons that would go
	// on counting while it no longer follows the votes.
	if old := h.message(first.ID); len(old.Buttons) != 0 || !strings.Contains(old.Text, "Phiếu bầu đã được gửi lại ở tin nhắn mới bên dưới") {
		t.Fatalf("the older copy: %+v", old)
	}
	h.press(h.group, reps[2], m, button(t, m, mttq))
	expect(t, h.message(m.ID).Text, "Đã bỏ phiếu: 3/7 đơn vị")
	// Asked for the other office, the bot says that office has had no
	// election, not that the block has had none: the ballot is just above.
	m = h.say(h.group, reps[3], "/result khoipho")
	expect(t, m.Text, "Chưa có cuộc bầu Khối phó nào. Khối trưởng hoặc quản trị viên mở bầu bằng /elect khoipho.")
	m = h.say(h.group, reps[3], "/result chutich")
	expect(t, m.Text, "Không hiểu «chutich»: ghi khoitruong hoặc khoipho.", "Cú pháp: /result [khoitruong|khoipho]")
}

func TestElectBadInputAndRefusals(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	for _, c := range []struct{ cmd, want string }{
		{"/elect", "Cần nêu chức danh cần bầu"},
		{"/elect khoitruong | ứng viên: 1, tinh doan", "Khối trưởng đương nhiệm chỉ được đề cử lại khi thêm tuỳ chọn «cho tái cử»."},
		{"/elect chutich", "Cần nêu chức danh cần bầu"},
		{"/elect khoitruong | bí mật", "Không hiểu tuỳ chọn «bí mật»."},
		{"/elect khoitruong | công khai | kín", "Chỉ chọn một trong hai: «kín» (bỏ phiếu kín, mặc định) hoặc «công khai»."},
		{"/elect khoitruong | kín | kín", "Tuỳ chọn «kín» bị ghi hai lần."},
		{"/elect khoitruong | đóng: 31/02/2026 17:00", "Thời điểm kết thúc «31/02/2026 17:00» không hợp lệ"},
		{"/elect khoitruong | đóng: 01/03/2026 17:00", "Thời điểm kết thúc bỏ phiếu phải sau thời điểm hiện tại."},
		{"/elect khoitruong | đóng", "Không hiểu tuỳ chọn «đóng»."},
		{"/elect khoitruong | ứng viên: 1, Hội Khuyến học", "Không tìm thấy ứng viên «Hội Khuyến học»"},
		{"/elect khoipho | cho tái cử", "Tuỳ chọn «cho tái cử» chỉ dùng khi bầu Khối trưởng."},
		{"/closevote", "Không có cuộc bầu nào đang mở."},
		{"/closevote chutich", "Không hiểu «chutich»"},
		{"/decide 1", "Không có vòng bầu lại nào hoà phiếu đang chờ quyết định."},
	} {
		m := h.say(h.group, h.admin, c.cmd)
		expect(t, m.Text, c.want)
		if strings.HasPrefix(c.cmd, "/elect") && !strings.Contains(c.want, "đương nhiệm") {
			expect(t, m.Text, "Cú pháp: /elect khoitruong|khoipho", "Ví dụ: /elect khoitruong | ứng viên: 1, 3, 6 | đóng: 25/11/2026 17:00")
		}
	}
	m := h.say(h.group, reps[0], "/elect khoitruong")
	expect(t, m.Text, "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")
	if n := len(h.block().Elections.List); n != 0 {
		t.Fatalf("%d elections stored from bad input", n)
	}

	// Options in any order, on separate lines, re-election allowed.
	m = h.say(h.group, h.admin, "/elect khối trưởng\nđóng 05/03/2026\ncho tái cử\nứng viên: tinh doan, 2")
	expect(t, m.Text, "⏰ Kết thúc: 05/03/2026 17:00")
	if e := h.lastElection(); !slices.Equal(e.Candidates, []string{"u6", "u2"}) || !e.Reelection || !e.Secret {
		t.Fatalf("election %+v", e)
	}
	m = h.say(h.group, h.admin, "/elect leader")
	expect(t, m.Text, "Đang có cuộc bầu cho chức danh này chưa kết thúc.")
	h.say(h.group, h.admin, "/elect deputy | open")
	m = h.say(h.group, h.admin, "/closevote")
	expect(t, m.Text, "Đang mở cả bầu Khối trưởng và bầu Khối phó: ghi rõ chức danh.", "Cú pháp: /closevote [khoitruong|khoipho]")
	m = h.say(h.group, h.admin, "/closevote khoi pho")
	expect(t, m.Text, "Kết quả bầu Khối phó năm 2027")
	if open := h.block().OpenElections(); len(open) != 1 || open[0].Role != thidua.RoleLeader {
		t.Fatalf("open elections %+v", open)
	}

	// English speakers get English.
	john := h.member("John", "john", telegramtest.Lang("en"))
	m = h.say(h.group, john, "/result deputy")
	expect(t, m.Text, "Counting record — election of the deputy for 2027", "Half of the units or fewer voted")
}

// A manager who names the wrong office is told that no election of that
// office is open, not that none is, while the other office's election is.
func TestWrongOfficeRefusalNamesTheOffice(t *testing.T) {
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

func TestVoteAnswerFitsTelegramLimit(t *testing.T) {
	h := newHarness(t)
	h.say(h.group, h.admin, "/setup Khối")
	long := string([]rune(strings.Repeat("Hội Liên hiệp các Hội Khoa học và Kỹ thuật ", 5))[:190])
	h.say(h.group, h.admin, "/addunit "+long+"\n"+strings.Replace(long, "Hội", "Hộj", 1))
	lan := h.member("Lan", "lan")
	h.join(lan, "1")
	h.say(h.group, h.admin, "/elect khoipho")
	b := h.ballot()
	a := h.press(h.group, lan, b, b.Buttons[1][0].Data)
	expect(t, a.Text, "Đã ghi nhận phiếu của Hội Liên hiệp", "…", "Mã phiếu: ")
	if n := len([]rune(a.Text)); n > 200 {
		t.Fatalf("answer of %d characters", n)
	}
}

// A result the bot could not post when the election closed (Telegram
// refused, the bot was down) is posted by a later tick, once.
func TestResultAnnouncedLaterWhenTelegramFailed(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/elect khoitruong | đóng: 02/03/2026 17:00")
	h.votes(reps, nongDan, nongDan, nongDan, ccb)

	h.tg.FailNext("sendMessage", 1)
	h.now = time.Date(2026, 3, 2, 17, 0, 0, 0, hcm)
	if err := newRouter(h, bot.NewSender(h.api(), fastLimits, nil, nil)).RunDue(t.Context(), h.block().ID, h.now); err == nil {
		t.Fatal("posting the result that Telegram refused succeeded")
	}
	if got := h.lastElection(); got.State != thidua.ElectionWon || !got.AnnouncePending {
		t.Fatalf("state %s, pending %v", got.State, got.AnnouncePending)
	}
	if due := h.block().NextDue(); due.IsZero() || due.After(h.now) {
		t.Fatalf("the pending announcement is not due: %v", due)
	}

	h.now = h.now.Add(time.Minute)
	h.runDue() // one attempt per 5-minute window: this one was taken
	if got := h.lastElection(); !got.AnnouncePending {
		t.Fatal("announced twice in one attempt window")
	}
	before := countContaining(h, h.group.ID, "Kết quả bầu Khối trưởng năm 2027")
	h.now = h.now.Add(5 * time.Minute)
	h.runDue()
	h.now = h.now.Add(5 * time.Minute)
	h.runDue()
	if n := countContaining(h, h.group.ID, "Kết quả bầu Khối trưởng năm 2027") - before; n != 1 {
		t.Fatalf("result announced %d times", n)
	}
	if h.lastElection().AnnouncePending || !h.block().NextDue().IsZero() && !h.block().NextDue().After(h.now) {
		t.Fatal("still pending after the announcement")
	}
}

// Should the bot die after /elect opened the election but before it posted
// the ballot, the update comes again: the bot posts the ballot then, rather
// than only saying the request was recorded, so the group can vote.
func TestElectRedeliveredAfterACrashPostsTheBallot(t *testing.T) {
	h := newHarness(t)
	electorate(h)
	// What the bot wrote before it died: the election, and no ballot message.
	u := h.crashAfterWrite(h.admin, "/elect khoitruong", func(b *thidua.Block) error {
		admin := thidua.Actor{UserID: h.admin.ID, Name: h.admin.FirstName, Admin: true}
		_, err := b.OpenElection(admin, thidua.ElectionSpec{Role: thidua.RoleLeader, Secret: true}, h.now)
		return err
	})
	ballot := h.ballot()
	expect(t, ballot.Text, "Đã bỏ phiếu: 0/7")
	if ballot.ReplyTo != u.Message.ID {
		t.Errorf("the ballot replies to %d, want the /elect message %d", ballot.ReplyTo, u.Message.ID)
	}
	if e := h.lastElection(); e.MessageID != ballot.ID || len(h.block().OpenElections()) != 1 {
		t.Fatalf("election %+v, ballot %d", e, ballot.ID)
	}
	if countContaining(h, h.group.ID, "đã được ghi nhận trước đó") != 0 {
		t.Fatal("answered only that the request was recorded")
	}
}

// electedLeader elects Hội Nông dân tỉnh next year's leader, by four votes
// of seven, closed by the administrator at 09:00.
func electedLeader(h *harness, reps []*telegramtest.User) {
	h.t.Helper()
	h.say(h.group, h.admin, "/elect khoitruong")
	h.votes(reps, nongDan, nongDan, nongDan, nongDan)
	expect(h.t, h.say(h.group, h.admin, "/closevote").Text, "🎉 Hội Nông dân tỉnh trúng cử Khối trưởng năm 2027")
}

// A new election for an office a unit is already elected to opens only once
// a manager confirms it: the bot says who was elected, and that the new
// election's result would replace it. Cancelling, or a member's press,
// opens nothing; a manager's press opens the election as /elect would have,
// with its options, and the elected unit stays elected meanwhile.
func TestElectAgainAsksBeforeReplacingTheElectedUnit(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	electedLeader(h, reps)
	h.now = h.now.Add(time.Hour)
	elections := func() int { return len(h.block().Elections.List) }

	ask := h.say(h.group, h.admin, "/elect khoitruong | công khai | ứng viên: 1, 2, 4 | đóng: 05/03/2026 17:00")
	expect(t, ask.Text, "Hội Nông dân tỉnh đã trúng cử Khối trưởng năm 2027 (lúc 02/03/2026 09:00)",
		"kết quả bầu mới sẽ thay thế kết quả này", "Hội Nông dân tỉnh vẫn là Khối trưởng được bầu năm 2027.")
	if len(ask.Buttons) != 1 || len(ask.Buttons[0]) != 2 || ask.Buttons[0][0].Text != "🗳 Bầu lại" || ask.Buttons[0][1].Text != "Huỷ" {
		t.Fatalf("buttons %+v", ask.Buttons)
	}
	if n := elections(); n != 1 {
		t.Fatalf("%d elections after the question", n)
	}

	// Cancelled: nothing opens.
	h.press(h.group, h.admin, ask, button(t, ask, "Huỷ"))
	if m := h.message(ask.ID); m.Text != "Đã huỷ." || len(m.Buttons) != 0 || elections() != 1 {
		t.Fatalf("cancelled: %q %v, %d elections", m.Text, m.Buttons, elections())
	}

	// A member's press is refused, and changes nothing.
	ask = h.say(h.group, h.admin, "/elect khoitruong | công khai | ứng viên: 1, 2, 4 | đóng: 05/03/2026 17:00")
	version := h.block().Version
	for _, label := range []string{"🗳 Bầu lại", "Huỷ"} {
		a := h.press(h.group, reps[0], ask, button(t, ask, label))
		if !a.ShowAlert || !strings.Contains(a.Text, "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng") {
			t.Fatalf("a member presses %s: %+v", label, a)
		}
	}
	if h.block().Version != version || len(h.message(ask.ID).Buttons) != 1 {
		t.Fatal("a member's press changed something")
	}

	// A manager's press opens the election asked for.
	older := h.say(h.group, h.admin, "/elect khoitruong")
	a := h.press(h.group, reps[5], ask, button(t, ask, "🗳 Bầu lại"))
	if a.ShowAlert {
		t.Fatalf("the manager was alerted: %q", a.Text)
	}
	ballot := h.ballot()
	expect(t, ballot.Text, "🗳 Bầu Khối trưởng năm 2027", "👁 Bỏ phiếu công khai", "⏰ Kết thúc: 05/03/2026 17:00", "Đã bỏ phiếu: 0/7 đơn vị")
	var labels []string
	for _, row := range ballot.Buttons {
		labels = append(labels, row[0].Text)
	}
	if want := []string{mttq, ccb, ldld}; !slices.Equal(labels, want) {
		t.Fatalf("candidates %v, want %v", labels, want)
	}
	m := h.message(ask.ID)
	expect(t, m.Text, "🗳 Đã mở cuộc bầu mới Khối trưởng năm 2027 (bởi Hà): phiếu bầu ở tin nhắn bên dưới.")
	if len(m.Buttons) != 0 {
		t.Fatalf("the question keeps its buttons: %+v", m.Buttons)
	}
	st := h.block()
	e := st.LatestElection(thidua.RoleLeader)
	if len(st.Elections.List) != 2 || e.State != thidua.ElectionOpen || e.Secret || e.OpenedBy != "Hà" || e.MessageID != ballot.ID {
		t.Fatalf("elections %+v", st.Elections.List)
	}
	if el := st.ElectedFor(thidua.RoleLeader); el == nil || el.Name != nongDan {
		t.Fatalf("elected while the new election runs: %+v", el)
	}

	// The older question outlived by that election opens nothing, and its
	// «Huỷ» does not read as if the election was cancelled.
	for _, label := range []string{"🗳 Bầu lại", "Huỷ"} {
		a := h.press(h.group, h.admin, older, button(t, older, label))
		if !a.ShowAlert || !strings.Contains(a.Text, "đã có cuộc bầu mới cho chức danh này") {
			t.Fatalf("%s on an outlived question: %+v", label, a)
		}
	}
	if m := h.message(older.ID); m.Text != older.Text || elections() != 2 {
		t.Fatalf("the outlived question %q, %d elections", m.Text, elections())
	}
	m = h.say(h.group, h.admin, "/history 3")
	expect(t, m.Text, "Hà: mở bầu Khối trưởng: «👁 Ủy ban MTTQ Việt Nam tỉnh; Hội Cựu chiến binh tỉnh; Liên đoàn Lao động tỉnh")

	// English speakers are asked in English.
	h.say(h.group, h.admin, "/closevote")
	john := h.member("John", "john", telegramtest.Lang("en"))
	h.group.SetStatus(john, telegramtest.StatusAdministrator)
	m = h.say(h.group, john, "/elect leader")
	expect(t, m.Text, "Hội Nông dân tỉnh was elected leader for 2027 (at 02/03/2026 09:00)")
	if m.Buttons[0][0].Text != "🗳 Elect again" || m.Buttons[0][1].Text != "Cancel" {
		t.Fatalf("buttons %+v", m.Buttons)
	}
}

// A unit elected after a tie, by a manager's decision, is replaced only
// once a manager confirms it too.
func TestElectAgainAfterADecidedTie(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/elect khoipho | ứng viên: 3, 4")
	h.votes(reps, nongDan, nongDan, ldld, ldld)
	h.say(h.group, h.admin, "/closevote")
	h.votes(reps, nongDan, nongDan, ldld, ldld)
	h.say(h.group, h.admin, "/closevote")
	h.now = h.now.Add(time.Hour)
	expect(t, h.say(h.group, h.admin, "/decide lien doan").Text, "Liên đoàn Lao động tỉnh trúng cử Khối phó năm 2027")
	m := h.say(h.group, h.admin, "/elect khoipho")
	expect(t, m.Text, "Liên đoàn Lao động tỉnh đã trúng cử Khối phó năm 2027 (lúc 02/03/2026 10:00)")
	if n := len(h.block().Elections.List); n != 2 {
		t.Fatalf("%d elections", n)
	}
	h.press(h.group, h.admin, m, button(t, m, "🗳 Bầu lại"))
	expect(t, h.ballot().Text, "🗳 Bầu Khối phó năm 2027", "Đã bỏ phiếu: 0/7")
}

// A question asked before the year turned opens nothing after the turn, and
// its «Huỷ» does not read as if something was cancelled.
func TestElectAgainAskedBeforeTheYearTurned(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	electedLeader(h, reps)
	ask := h.say(h.group, h.admin, "/elect khoitruong")
	turn := h.say(h.group, h.admin, "/newyear")
	h.press(h.group, h.admin, turn, button(t, turn, "✅ Sang năm 2027"))
	for _, label := range []string{"🗳 Bầu lại", "Huỷ"} {
		a := h.press(h.group, h.admin, ask, button(t, ask, label))
		if !a.ShowAlert || !strings.Contains(a.Text, "Khối đã sang năm thi đua 2027 rồi") {
			t.Fatalf("%s after the turn: %+v", label, a)
		}
	}
	if st := h.block(); st.Year != 2027 || len(st.Elections.List) != 0 || h.message(ask.ID).Text != ask.Text {
		t.Fatalf("year %d, elections %+v", st.Year, st.Elections.List)
	}
}

// Should the bot die after a manager's press opened the election but before
// it posted the ballot, the press comes again: the bot posts the ballot
// then and closes the question, and opens nothing more, however often it
// comes (here without the processed-updates index, so that only the
// block's record of applied updates stands in the way).
func TestElectAgainRedeliveredAfterACrashPostsTheBallot(t *testing.T) {
	h := newHarness(t, withoutDedupe())
	reps := electorate(h)
	electedLeader(h, reps)
	ask := h.say(h.group, h.admin, "/elect khoitruong")
	first := h.block().LatestElection(thidua.RoleLeader).ID
	u := h.crashAfterPress(h.admin, ask, "🗳 Bầu lại", func(b *thidua.Block) error {
		admin := thidua.Actor{UserID: h.admin.ID, Name: "Hùng", Admin: true}
		_, err := b.OpenElection(admin, thidua.ElectionSpec{Role: thidua.RoleLeader, Secret: true, Confirmed: first}, h.now)
		return err
	})
	ballot := h.ballot()
	expect(t, ballot.Text, "🗳 Bầu Khối trưởng năm 2027", "Đã bỏ phiếu: 0/7")
	expect(t, h.message(ask.ID).Text, "🗳 Đã mở cuộc bầu mới Khối trưởng năm 2027 (bởi Hùng)")
	st := h.block()
	if len(st.Elections.List) != 2 || st.LatestElection(thidua.RoleLeader).MessageID != ballot.ID {
		t.Fatalf("elections %+v", st.Elections.List)
	}
	if countContaining(h, h.group.ID, "Bầu Khối trưởng năm 2027") != 2 { // the first ballot and this one
		t.Fatal("the ballot was posted more than once")
	}
	// Delivered once more, the press opens and posts nothing more.
	h.redeliver(u)
	if n := len(h.block().Elections.List); n != 2 || countContaining(h, h.group.ID, "Bầu Khối trưởng năm 2027") != 2 {
		t.Fatalf("%d elections after another delivery", n)
	}
	if n := countContaining(h, h.group.ID, "đã có lỗi khi xử lý"); n != 0 {
		t.Fatal("the bot apologised")
	}
}

// The press opens the election for the candidates the question was asked
// for, wherever the units added since stand; when units were removed, so
// that the candidates' places name other units, it says so and opens
// nothing. A list of candidates too long for a button's data is refused
// at once, rather than asked about.
func TestElectAgainCandidatesAreTheUnitsAsked(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	electedLeader(h, reps)
	ask := h.say(h.group, h.admin, "/elect khoitruong | ứng viên: 2, 4")
	h.say(h.group, h.admin, "/addunit Hội Khuyến học tỉnh")
	h.press(h.group, h.admin, ask, button(t, ask, "🗳 Bầu lại"))
	var labels []string
	for _, row := range h.ballot().Buttons {
		labels = append(labels, row[0].Text)
	}
	if want := []string{ccb, ldld}; !slices.Equal(labels, want) {
		t.Fatalf("candidates %v, want %v", labels, want)
	}
	h.say(h.group, h.admin, "/closevote")

	ask = h.say(h.group, h.admin, "/elect khoitruong | ứng viên: 2, 4")
	remove := h.say(h.group, h.admin, "/removeunit 1")
	h.press(h.group, h.admin, remove, button(t, remove, "🗑 Xoá"))
	n := len(h.block().Elections.List)
	a := h.press(h.group, h.admin, ask, button(t, ask, "🗳 Bầu lại"))
	if !a.ShowAlert || !strings.Contains(a.Text, "Danh sách đơn vị đã thay đổi từ khi hỏi") || len(h.block().Elections.List) != n {
		t.Fatalf("a press after a removal: %+v, %d elections", a, len(h.block().Elections.List))
	}

	var names, refs []string
	for i := 1; i <= 44; i++ {
		names = append(names, fmt.Sprintf("Đơn vị số %d", i))
	}
	h.say(h.group, h.admin, "/addunit "+strings.Join(names, "\n"))
	for i := 1; i <= 50; i++ {
		if i != 5 { // Tỉnh Đoàn, the outgoing leader
			refs = append(refs, fmt.Sprint(i))
		}
	}
	m := h.say(h.group, h.admin, "/elect khoitruong | ứng viên: "+strings.Join(refs, ", "))
	expect(t, m.Text, "Danh sách ứng viên quá dài để hỏi xác nhận bầu lại bằng nút bấm")
	if len(m.Buttons) != 0 || len(h.block().Elections.List) != n {
		t.Fatalf("buttons %+v, %d elections", m.Buttons, len(h.block().Elections.List))
	}
}

// After the year's turn the counting records of the finished year's
// elections stay within reach: /result in the new year points to them, and
// /result 2026 (with an office or without) shows them as they were, from
// the year kept at the turn; a year the block has no data of is said so.
func TestResultOfAYearTurnedFrom(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/bau khoitruong")
	h.votes(reps, nongDan, nongDan, nongDan, ccb, nongDan)
	h.now = h.now.Add(2 * time.Hour)
	expect(t, h.say(h.group, reps[5], "/dongbau").Text, "🎉 Hội Nông dân tỉnh trúng cử Khối trưởng năm 2027")
	record := h.say(h.group, reps[0], "/ketqua").Text
	h.turnYear(time.Date(2026, 12, 1, 9, 0, 0, 0, hcm))
	version := h.block().Version

	expect(t, h.say(h.group, reps[0], "/ketqua").Text, "Chưa có cuộc bầu nào", "/result 2026")
	expect(t, h.say(h.group, reps[0], "/ketqua khoitruong").Text, "Chưa có cuộc bầu Khối trưởng nào", "/result 2026")
	if got := h.say(h.group, reps[0], "/ketqua 2026").Text; got != record {
		t.Fatalf("/result 2026 shows\n%s\nnot the record of 2026\n%s", got, record)
	}
	if got := h.say(h.group, reps[1], "/result khoitruong 2026").Text; got != record {
		t.Fatalf("/result khoitruong 2026 shows\n%s", got)
	}
	m := h.say(h.group, reps[1], "/result khoipho 2026").Text
	expect(t, m, "Năm 2026 khối không có cuộc bầu Khối phó nào")
	if strings.Contains(m, "/elect") {
		t.Fatalf("/result of a past year asks to open an election: %q", m)
	}
	expect(t, h.say(h.group, reps[1], "/result 2025").Text, "Khối không có số liệu năm 2025", "Năm hiện tại: 2027")
	expect(t, h.say(h.group, reps[1], "/result khoitruong năm ngoái").Text, "Không hiểu «khoitruong năm ngoái»", "/result")
	if h.block().Version != version {
		t.Fatal("/result of a past year changed the block")
	}
}

// A press on the candidate the unit already voted for (a double tap, or a
// second representative checking) keeps the unit's ballot: the receipt the
// voter wrote down stays the one counted, and the answer shows it again.
func TestPressingTheSameCandidateAgainKeepsTheReceipt(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	expect(t, h.say(h.group, reps[5], "/elect khoitruong").Text, "Bầu Khối trưởng")
	first := receipt(t, h.vote(reps[0], nongDan))
	history := func() int {
		events, err := storage.History(context.Background(), h.store, h.block().ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(events)
	}
	events := history()
	again := h.vote(reps[0], nongDan)
	expect(t, again.Text, "vẫn là", nongDan, first, "bấm tên ứng viên khác")
	if receipt(t, again) != first {
		t.Fatalf("the second press showed another receipt: %q", again.Text)
	}
	// The history records the press as it would a change: in a secret
	// ballot nobody may tell the two apart.
	if n := history(); n != events+1 {
		t.Fatalf("the second press made %d history events, want 1", n-events)
	}
	expect(t, h.say(h.group, reps[2], "/history").Text, "An: bấm lại phiếu của đơn vị trong cuộc bầu Khối trưởng")
	h.tg.SetLanguage(reps[1], "en")
	english := receipt(t, h.vote(reps[1], ccb))
	expect(t, h.vote(reps[1], ccb).Text, "stays", ccb, english, "another candidate")
	h.votes(reps, "", "", nongDan, nongDan, nongDan)
	expect(t, h.say(h.group, reps[5], "/closevote").Text, "trúng cử")
	expect(t, h.say(h.group, reps[0], "/result khoitruong").Text, first, english)
}

// A group upgraded to a supergroup during an election starts its message ids
// again: the ballot's id in the old group names another message in the new
// one, which the close must not overwrite with the ballot.
func TestBallotAfterSupergroupUpgradeKeepsOtherMessages(t *testing.T) {
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
