package handlers_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"thiduabot/storage"
	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// After the year-end election, a manager turns the block to 2027 from
// 1 December: asked first, confirmed with a button only a manager may
// press; the units, representatives and the elected leader go on, the
// year's pledges and elections do not, and /export 2026 still gives the
// finished year.
func TestNewYear(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/modangky")
	expect(t, h.say(h.group, reps[2], "/dangky Vận động xây 50 nhà đại đoàn kết | 50 nhà").Text, "Vận động xây 50 nhà đại đoàn kết")
	h.say(h.group, h.admin, "/bau khoitruong")
	h.votes(reps, nongDan, nongDan, nongDan, ccb)
	h.now = h.now.Add(2 * time.Hour)
	expect(t, h.say(h.group, reps[5], "/dongbau").Text, "🎉 Hội Nông dân tỉnh trúng cử Khối trưởng năm 2027")
	before := h.block()

	h.now = time.Date(2026, 11, 30, 20, 0, 0, 0, hcm)
	expect(t, h.say(h.group, h.admin, "/nammoi").Text, "Năm thi đua 2026 chưa kết thúc", "từ ngày 01/12/2026")
	h.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	expect(t, h.say(h.group, reps[0], "/newyear").Text, "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")
	ask := h.say(h.group, h.admin, "/nammoi")
	expect(t, ask.Text, "Chuyển Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai sang năm thi đua 2027?",
		"Giữ nguyên: 7 đơn vị và 7 đầu mối", "Năm 2027: Khối trưởng Hội Nông dân tỉnh (đã bầu); Khối phó chưa có",
		"/export 2026")
	if h.block().Version != before.Version {
		t.Fatal("asking changed the block")
	}
	older := h.say(h.group, h.admin, "/newyear") // asked twice, say from two phones
	confirm := button(t, ask, "✅ Sang năm 2027")
	if a := h.press(h.group, reps[0], ask, confirm); !strings.Contains(a.Text, "chỉ quản trị viên nhóm") || h.block().Year != 2026 {
		t.Fatalf("an ordinary representative's press: %q, year %d", a.Text, h.block().Year)
	}
	h.press(h.group, reps[5], ask, confirm) // the outgoing leader's representative is a manager
	expect(t, h.message(ask.ID).Text, "🎊 Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai đã sang năm thi đua 2027 (bởi Hà)",
		"Khối trưởng: Hội Nông dân tỉnh · Khối phó: chưa có", "/openreg", "/export 2026")

	b := h.block()
	if b.Year != 2027 || b.Unit(b.LeaderUnit).Name != nongDan || len(b.Units) != 7 || len(b.Reps) != 7 {
		t.Fatalf("after the turn: year %d, leader %q, %d units, %d representatives", b.Year, b.LeaderUnit, len(b.Units), len(b.Reps))
	}
	if len(b.Registration.Units) != 0 || len(b.Elections.List) != 0 || b.Registration.Open {
		t.Fatalf("the finished year's registration or elections stayed: %+v %+v", b.Registration, b.Elections)
	}
	if a := h.press(h.group, h.admin, older, confirm); !strings.Contains(a.Text, "Khối đã sang năm thi đua 2027 rồi") || h.block().Version != b.Version {
		t.Fatalf("a press on the other question: %q", a.Text)
	}
	expect(t, h.say(h.group, reps[0], "/units").Text, "năm 2027", "Khối trưởng: Hội Nông dân tỉnh")
	expect(t, h.say(h.group, reps[0], "/history 3").Text, "Hà: chuyển khối sang năm thi đua mới: «2026» → «2027»")

	// The finished year is exported as it was; this year has no pledge yet.
	h.say(h.group, reps[0], "/export 2026")
	if got := h.exportedPledges(); !strings.Contains(got, "Vận động xây 50 nhà đại đoàn kết") {
		t.Fatalf("the export of 2026 lacks the year's pledge: %q", got)
	}
	h.say(h.group, reps[0], "/xuatfile")
	if got := h.exportedPledges(); strings.Contains(got, "Vận động xây") {
		t.Fatalf("the export of 2027 has the pledge of 2026: %q", got)
	}
	unchanged := h.block().Version
	expect(t, h.say(h.group, reps[0], "/export 2025").Text, "Khối không có số liệu năm 2025", "Năm hiện tại: 2027")
	expect(t, h.say(h.group, reps[0], "/export năm ngoái").Text, "«năm ngoái» không phải một năm", "/export 2026")
	expect(t, h.say(h.group, reps[0], "/export -5").Text, "«-5» không phải một năm", "/export 2026")
	if h.block().Version != unchanged {
		t.Fatal("a bad /export changed the block")
	}

	// The new year goes on: a pledge of 2027 is due in 2027.
	h.say(h.group, h.admin, "/modangky")
	expect(t, h.say(h.group, reps[2], "/dangky Phát triển 300 hội viên mới | 300 hội viên").Text, "hạn 30/11/2027")
	if el := h.block(); el.Registration.Units[0].Pledges[0].Due.Year() != 2027 || el.LeaderUnit != b.LeaderUnit {
		t.Fatalf("the pledge of 2027: %+v", el.Registration.Units[0].Pledges[0])
	}
}

// turnYear turns the block to the next year on the day given, as a manager
// does: /newyear and its button. It returns the question.
func (h *harness) turnYear(on time.Time) telegramtest.Message {
	h.t.Helper()
	h.now = on
	ask := h.say(h.group, h.admin, "/newyear")
	h.press(h.group, h.admin, ask, button(h.t, ask, "✅ Sang năm "+strconv.Itoa(h.block().Year+1)))
	return ask
}

// exportedPledges returns the pledges' table of the last CSV export sent to
// the group, a line per row.
func (h *harness) exportedPledges() string {
	h.t.Helper()
	msgs := h.tg.Messages(h.group.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		if d := msgs[i].Document; d != nil && strings.HasSuffix(d.Name, "-csv.zip") {
			var rows []string
			for _, row := range readCSVZip(h.t, d.Data)["dang-ky.csv"] {
				rows = append(rows, strings.Join(row, ";"))
			}
			return strings.Join(rows, "\n")
		}
	}
	h.t.Fatal("no CSV export in the group")
	return ""
}

// sneakyArchive is a store on which another change of the block lands
// right after each of the first copies of its year is kept, as another
// process's could.
type sneakyArchive struct {
	storage.Store
	mu     sync.Mutex
	sneaks int // how many copies are followed by a change
	sneak  func(ctx context.Context, id string)
}

func (s *sneakyArchive) ArchiveYear(ctx context.Context, id string, year int, version int64) error {
	err := s.Store.ArchiveYear(ctx, id, year, version)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sneaks > 0 {
		s.sneaks--
		s.sneak(ctx, id)
	}
	return err
}

// A change that lands between the copy of the finished year and the turn
// is not lost from the copy: the turn starts again, and the year kept is
// the block as it was at the turn.
func TestNewYearKeepsAChangeMadeMeanwhile(t *testing.T) {
	var store *sneakyArchive
	h := newHarness(t, func(h *harness) {
		store = &sneakyArchive{Store: h.store, sneaks: 1}
		h.store = store
	})
	store.sneak = func(ctx context.Context, id string) {
		if _, err := store.Store.Update(ctx, id, func(b *thidua.Block) error {
			return b.Rename(thidua.Actor{UserID: h.admin.ID, Name: "Hùng", Admin: true}, "Khối thi đua các đoàn thể tỉnh Lào Cai", h.now)
		}); err != nil {
			t.Error(err)
		}
	}
	h.setUp()
	h.now = time.Date(2026, 12, 2, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, h.admin, "/newyear")
	h.press(h.group, h.admin, ask, button(t, ask, "✅ Sang năm 2027"))
	expect(t, h.message(ask.ID).Text, "Khối thi đua các đoàn thể tỉnh Lào Cai đã sang năm thi đua 2027")
	past, err := store.ArchivedYear(context.Background(), h.block().ID, 2026)
	if err != nil || past.Name != "Khối thi đua các đoàn thể tỉnh Lào Cai" || past.Year != 2026 {
		t.Fatalf("the year kept: %v, %+v", err, past)
	}
	if b := h.block(); b.Year != 2027 || b.Version != past.Version+1 {
		t.Fatalf("the turn: year %d, version %d; the copy's version %d", b.Year, b.Version, past.Version)
	}
}

// The year's report may be due in January: the block turns only once its
// deadline has passed, since the turn closes the year's periods.
func TestNewYearWaitsForTheYearsReport(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	expect(t, h.say(h.group, h.admin, "/period 9 tháng | 15/09\nCả năm | 15/01/2027").Text, "Cả năm")
	h.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	version := h.block().Version
	expect(t, h.say(h.group, h.admin, "/newyear").Text, "Chưa chuyển năm được: các đơn vị vẫn đang báo cáo kỳ «Cả năm» (hạn 15/01/2027)", "/period edit")
	if h.block().Version != version {
		t.Fatal("a refused /newyear changed the block")
	}
	h.now = time.Date(2027, 1, 16, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, h.admin, "/newyear")
	h.press(h.group, h.admin, ask, button(t, ask, "✅ Sang năm 2027"))
	if b := h.block(); b.Year != 2027 || len(b.Results.Periods) != 0 {
		t.Fatalf("after the turn: year %d, periods %+v", b.Year, b.Results.Periods)
	}
}

// A block that changes after every copy of its year is not turned: after a
// few tries the presser is asked to press again later, and nothing changes
// but the copy.
func TestNewYearOnABusyBlock(t *testing.T) {
	var store *sneakyArchive
	h := newHarness(t, func(h *harness) {
		store = &sneakyArchive{Store: h.store, sneaks: 100}
		h.store = store
	})
	n := 0
	store.sneak = func(ctx context.Context, id string) {
		n++
		if _, err := store.Store.Update(ctx, id, func(b *thidua.Block) error {
			return b.Rename(thidua.Actor{UserID: h.admin.ID, Name: "Hùng", Admin: true}, fmt.Sprintf("Khối thi đua số %d", n), h.now)
		}); err != nil {
			t.Error(err)
		}
	}
	h.setUp()
	h.now = time.Date(2026, 12, 2, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, h.admin, "/newyear")
	a := h.press(h.group, h.admin, ask, button(t, ask, "✅ Sang năm 2027"))
	if !strings.Contains(a.Text, "Khối đang được cập nhật liên tục") || h.block().Year != 2026 || n != 3 {
		t.Fatalf("answer %q, year %d, %d copies", a.Text, h.block().Year, n)
	}
}

// Cancelling the question of /newyear removes its buttons; on a question
// of a year the block has turned from since, it says so instead of «Đã
// huỷ», which would read as if the turn was cancelled.
func TestNewYearCancelled(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	h.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	first := h.say(h.group, h.admin, "/newyear")
	h.press(h.group, h.admin, first, button(t, first, "Huỷ"))
	if m := h.message(first.ID); m.Text != "Đã huỷ." || len(m.Buttons) != 0 || h.block().Year != 2026 {
		t.Fatalf("the cancelled question: %q %v, year %d", m.Text, m.Buttons, h.block().Year)
	}
	older := h.say(h.group, h.admin, "/newyear")
	ask := h.say(h.group, h.admin, "/newyear")
	h.press(h.group, h.admin, ask, button(t, ask, "✅ Sang năm 2027"))
	a := h.press(h.group, h.admin, older, button(t, older, "Huỷ"))
	if !strings.Contains(a.Text, "Khối đã sang năm thi đua 2027 rồi") || h.message(older.ID).Text != older.Text {
		t.Fatalf("cancelling a question of the year turned from: %q, the question now %q", a.Text, h.message(older.ID).Text)
	}
}

// /newyear sent too early names the year and the day it can turn, in full:
// two days after the turn to 2027, a leader who tries again is told that
// 2027 runs until 30/11/2027, not that the year "turns from 01/12", which
// reads as the day before yesterday.
func TestNewYearTooEarlySaysWhichYearAndWhen(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	h.now = time.Date(2026, 11, 30, 20, 0, 0, 0, hcm)
	expect(t, h.say(h.group, h.admin, "/newyear").Text, "Năm thi đua 2026 chưa kết thúc", "sang năm 2027 được từ ngày 01/12/2026", "(30/11/2026)")
	h.turnYear(time.Date(2026, 12, 1, 9, 0, 0, 0, hcm))
	h.now = time.Date(2026, 12, 3, 9, 0, 0, 0, hcm)
	version := h.block().Version
	m := h.say(h.group, h.admin, "/nammoi")
	expect(t, m.Text, "Năm thi đua 2027 chưa kết thúc", "sang năm 2028 được từ ngày 01/12/2027", "(30/11/2027)")
	if h.block().Version != version || h.block().Year != 2027 {
		t.Fatal("a refused /newyear changed the block")
	}
}

// The question of /newyear does not list "0 hạn chót sắp tới" among what
// stays: a block without deadlines to come is told the reminder settings
// stay, and one with a deadline in January is told it stays.
func TestNewYearAskListsDeadlinesOnlyWhenSome(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	h.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, h.admin, "/newyear")
	expect(t, ask.Text, "Giữ nguyên: 7 đơn vị và 0 đầu mối, cách nhắc hạn.\n")
	if strings.Contains(ask.Text, "0 hạn chót") {
		t.Fatalf("the question lists no deadline as kept: %q", ask.Text)
	}
	h.say(h.group, h.admin, "/deadline 15/01/2027 | Nộp báo cáo tổng kết")
	expect(t, h.say(h.group, h.admin, "/newyear").Text, "cách nhắc hạn, 1 hạn chót sắp tới.\n")
}

// The question of /newyear and the announcement of the turn say where the
// finished year's counting records are (/result 2026): the export, which
// they name for the year's data, has no elections; and where its ranking,
// award proposals and outstanding individuals are read (/scores 2026,
// /award 2026, /exemplars 2026), in English too.
func TestNewYearSaysWhereTheElectionsAre(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	electNongDan(h, reps)
	john := englishAdmin(h)
	h.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, h.admin, "/newyear")
	expect(t, ask.Text, "Số liệu năm 2026 vẫn được lưu: xuất lại bằng /export 2026, bảng điểm: /scores 2026, đề nghị khen thưởng: /award 2026, cá nhân điển hình: /exemplars 2026, biên bản kiểm phiếu: /result 2026;")
	asked := h.say(h.group, john, "/newyear")
	expect(t, asked.Text, "The data of 2026 stays: export it with /export 2026, scores: /scores 2026, award proposals: /award 2026, outstanding individuals: /exemplars 2026, counting records: /result 2026;")
	h.press(h.group, john, asked, button(t, asked, "✅ Start 2027"))
	expect(t, h.message(asked.ID).Text, "The data of 2026: /export 2026; scores: /scores 2026; award proposals: /award 2026; outstanding individuals: /exemplars 2026; counting records: /result 2026.")
	if b := h.block(); b.Year != 2027 {
		t.Fatalf("John's press left the block in %d", b.Year)
	}
}

// A block without scoring criteria is not told that "0 tiêu chí chấm điểm"
// stay, to be changed with /criteria: the question of /newyear says it has
// none and how to add them; with criteria it counts them among what stays.
func TestNewYearAskWithoutCriteriaSaysHowToAddThem(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	h.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, h.admin, "/newyear").Text
	expect(t, ask, "Giữ nguyên: 7 đơn vị và 0 đầu mối, cách nhắc hạn.\n"+
		"Khối chưa có tiêu chí chấm điểm nào: Khối trưởng hoặc quản trị viên thêm bằng /criteria add <tiêu chí> | <điểm tối đa>.\n"+
		"Năm 2027: ")
	if strings.Contains(ask, "0 tiêu chí") {
		t.Fatalf("the question counts no criteria as kept: %q", ask)
	}
	john := h.member("John", "", telegramtest.Lang("en"))
	h.group.SetStatus(john, telegramtest.StatusAdministrator)
	expect(t, h.say(h.group, john, "/newyear").Text, "Kept: 7 units and 0 representatives, the reminder settings.\n"+
		"The block has no scoring criteria: the leader or an administrator adds them with /criteria add <criterion> | <maximum points>.\n")
	h.say(h.group, h.admin, "/criteria add Hoàn thành chỉ tiêu | 60")
	expect(t, h.say(h.group, h.admin, "/newyear").Text, "Giữ nguyên: 7 đơn vị và 0 đầu mối, 1 tiêu chí chấm điểm (sửa bằng /criteria), cách nhắc hạn.\nNăm 2027: ")
	expect(t, h.say(h.group, john, "/newyear").Text, "Kept: 7 units and 0 representatives, 1 scoring criterion (change it with /criteria), the reminder settings.\n")
}

// The question before /newyear names the year's scores among what closes
// with it: the turn leaves /scores empty.
func TestNewYearAskSaysTheScoresClose(t *testing.T) {
	c := newRegCast(t)
	c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền | 20")
	c.say(c.group, c.lan, "/tucham 1 18")
	c.say(c.group, c.minh, "/chamdiem #3 1 17")
	c.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	expect(t, c.say(c.group, c.admin, "/nammoi").Text, "Khép lại cùng năm 2026:", "điểm tự chấm và điểm bình xét")
}

// The question of /newyear warns of what of the year's review is left
// undone, which cannot be recorded after the turn: the units without an
// agreed score (named when few), those agreed on some criteria only, and
// the lack of any award proposal; in English to an English speaker; and
// nothing once all is done.
func TestNewYearWarnsOfTheReviewLeftUndone(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	john := englishAdmin(h)
	h.say(h.group, h.admin, "/criteria add Công tác tuyên truyền | 40\nAn sinh xã hội | 60")
	h.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, h.admin, "/newyear").Text
	if want := "\n\n⚠️ Chưa bình xét: 7 đơn vị; chưa có đề nghị khen thưởng. Sau khi chuyển năm không ghi thêm được."; !strings.HasSuffix(ask, want) {
		t.Fatalf("the question does not end with %q:\n%s", want, ask)
	}
	for i := 1; i <= 5; i++ {
		h.say(h.group, h.admin, fmt.Sprintf("/score #%d\n1 35\n2 55", i))
	}
	h.say(h.group, h.admin, "/score #6\n1 38")
	version := h.block().Version
	expect(t, h.say(h.group, h.admin, "/newyear").Text,
		"\n\n⚠️ Chưa bình xét: 1 đơn vị (Hội Chữ thập đỏ tỉnh); bình xét chưa đủ tiêu chí: 1 đơn vị (Tỉnh Đoàn); chưa có đề nghị khen thưởng. Sau khi chuyển năm không ghi thêm được.")
	expect(t, h.say(h.group, john, "/newyear").Text,
		"\n\n⚠️ Not agreed on: 1 unit (Hội Chữ thập đỏ tỉnh); agreed on some criteria only: 1 unit (Tỉnh Đoàn); no award proposal. None of it can be recorded after the turn.")
	if h.block().Version != version {
		t.Fatal("asking changed the block")
	}

	h.say(h.group, h.admin, "/score #6\n2 58")
	h.say(h.group, h.admin, "/score #7\n1 30\n2 50")
	h.say(h.group, h.admin, "/award Cờ thi đua của UBND tỉnh | 6")
	for _, user := range []*telegramtest.User{h.admin, john} {
		if ask := h.say(h.group, user, "/newyear").Text; strings.Contains(ask, "⚠️") {
			t.Fatalf("the question of a finished review warns:\n%s", ask)
		}
	}
}

// The buttons of the finished year's messages (a submitted list's ✅, the
// covenant's ✍️) act on nothing of the new year: a press on the 2026
// submission does not approve the unit's list of 2027, which the presser
// has not seen, and a press on the 2026 covenant does not sign the 2027
// covenant.
func TestNewYearOldButtonsActOnNothingOfTheNewYear(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/modangky")
	h.say(h.group, reps[2], "/dangky Vận động xây 50 nhà đại đoàn kết | 50 nhà")
	h.say(h.group, reps[2], "/guidangky")
	oldList := h.withButton("rg:a:")
	approveOld := buttonData(t, oldList, "rg:a:")
	// The edit that takes the approved submission's buttons off fails (the
	// message was too old to edit, say): they stay.
	h.tg.FailNext("editMessageText", 1)
	h.say(h.group, h.admin, "/approve 3")
	h.say(h.group, h.admin, "/criteria add Tuyên truyền | 100")
	h.say(h.group, h.admin, "/covenant Đoàn kết năm 2026")
	oldCovenant := h.withButton("cv:")
	signOld := buttonData(t, oldCovenant, "cv:")

	h.now = time.Date(2026, 12, 2, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, h.admin, "/newyear")
	h.press(h.group, h.admin, ask, button(t, ask, "✅ Sang năm 2027"))
	if b := h.block(); b.Year != 2027 {
		t.Fatalf("the block is in %d", b.Year)
	}

	h.say(h.group, h.admin, "/modangky")
	h.say(h.group, reps[2], "/dangky Phát triển 300 hội viên mới | 300 hội viên")
	h.say(h.group, reps[2], "/guidangky")
	u := h.block().Units[2].ID
	h.press(h.group, h.admin, oldList, approveOld)
	if st := h.block().RegistrationOf(u).State; st != thidua.ListSubmitted {
		t.Errorf("a press on the 2026 submission left the 2027 list %q, want it still awaiting approval", st)
	}

	h.say(h.group, h.admin, "/approve 3")
	h.say(h.group, h.admin, "/covenant Đổi mới, sáng tạo năm 2027")
	h.press(h.group, reps[2], oldCovenant, signOld)
	if s := h.block().RegistrationOf(u).Signed; s != nil {
		t.Errorf("a press on the 2026 covenant signed the 2027 covenant: %+v", s)
	}
	if m := h.message(oldCovenant.ID); strings.Contains(m.Text, "2027") {
		t.Errorf("the 2026 covenant's message became the 2027 covenant: %q", m.Text)
	}
}

// The question of /newyear names the offices as the turn leaves them: a
// deputy elected leader leaves the deputy's office (and the block has no
// deputy until one is set), so the question does not promise it as deputy
// too.
func TestNewYearAskNamesOfficesAsTheTurnLeavesThem(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	h.say(h.group, h.admin, "/deputy "+mttq)
	h.say(h.group, h.admin, "/bau khoitruong")
	h.votes(reps, mttq, mttq, mttq, mttq)
	h.now = h.now.Add(2 * time.Hour)
	expect(t, h.say(h.group, reps[5], "/dongbau").Text, mttq+" trúng cử Khối trưởng năm 2027")

	h.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, h.admin, "/newyear")
	h.press(h.group, h.admin, ask, button(t, ask, "✅ Sang năm 2027"))
	b := h.block()
	if b.Year != 2027 || b.Unit(b.LeaderUnit).Name != mttq || b.DeputyUnit != "" {
		t.Fatalf("after the turn: year %d, leader %q, deputy %q", b.Year, b.LeaderUnit, b.DeputyUnit)
	}
	if strings.Contains(ask.Text, "Khối phó "+mttq) {
		t.Errorf("the question promised %s as deputy, which the turn leaves without one: %q", mttq, ask.Text)
	}
	expect(t, ask.Text, "Khối trưởng "+mttq+" (đã bầu); Khối phó chưa có")
}

// Should the bot die after the turn was written but before it edited the
// question, the press comes again: the question then says the block turned,
// as the first delivery would have, rather than keeping its buttons with
// only the presser told that the block is already in the new year.
func TestNewYearRedeliveredAfterACrashAnnouncesTheTurn(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	h.now = time.Date(2026, 12, 2, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, h.admin, "/newyear")
	u := h.crashAfterPress(h.admin, ask, "✅ Sang năm 2027", func(b *thidua.Block) error {
		_, err := b.StartYear(thidua.Actor{UserID: h.admin.ID, Name: "Hùng", Admin: true}, h.now)
		return err
	})
	if a, _ := h.tg.AnswerOf(u.CallbackQueryID); a.ShowAlert {
		t.Errorf("the presser was alerted: %q", a.Text)
	}
	m := h.message(ask.ID)
	expect(t, m.Text, "đã sang năm thi đua 2027 (bởi Hùng)", "/export 2026")
	if len(m.Buttons) != 0 {
		t.Errorf("the question kept its buttons: %+v", m.Buttons)
	}
}

// A representative of the unit elected to lead the next year, refused a
// manager's command or button before the turn, is told that the unit takes
// up the running of the block when the block turns (/newyear), in their
// language; anyone else gets the usual refusal, the outgoing leader after
// the turn included.
func TestManagersRefusalToTheLeaderElect(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	electNongDan(h, reps)
	mary := h.member("Mary", "", telegramtest.Lang("en"))
	h.join(mary, nongDan)
	version := h.block().Version
	expect(t, h.say(h.group, mary, "/openreg").Text, "Sorry, Hội Nông dân tỉnh takes up the running of the block (leader for 2027) when the block turns to 2027 (/newyear); "+
		"until then only group administrators or representatives of the leader unit of 2026 can do this.")
	if said := h.say(h.group, reps[0], "/openreg").Text; !strings.Contains(said, "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng") || strings.Contains(said, "nhận quyền") {
		t.Fatalf("another unit's representative is told: %s", said)
	}

	h.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, h.admin, "/newyear")
	// A button's alert holds 200 characters: the refusal fits, whole.
	if got := h.press(h.group, reps[2], ask, button(t, ask, "✅ Sang năm 2027")).Text; got != "Xin lỗi, Hội Nông dân tỉnh nhận quyền điều hành khi khối sang năm 2027 (/newyear); đến lúc đó chưa thực hiện được thao tác này." {
		t.Fatalf("the press is answered: %q", got)
	}
	if got := h.press(h.group, mary, ask, button(t, ask, "✅ Sang năm 2027")).Text; got != "Sorry, Hội Nông dân tỉnh takes up the running of the block when it turns to 2027 (/newyear); until then you cannot do this." {
		t.Fatalf("Mary's press is answered: %q", got)
	}
	if b := h.block(); b.Version != version || b.Year != 2026 {
		t.Fatalf("the refusals changed the block: version %d -> %d, year %d", version, b.Version, b.Year)
	}
	h.press(h.group, h.admin, ask, button(t, ask, "✅ Sang năm 2027"))
	if said := h.say(h.group, reps[5], "/openreg").Text; !strings.Contains(said, "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng") || strings.Contains(said, "nhận quyền") {
		t.Fatalf("the outgoing leader's representative is told: %s", said)
	}
	expect(t, h.say(h.group, mary, "/openreg").Text, "Registration for 2027 is open")
}

// /scores of a finished year that had no scoring criteria says that no
// unit was scored that year, in the reader's language, rather than tell a
// manager to add criteria, which would go to the current year.
func TestScoresOfAFinishedYearWithoutCriteria(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	h.turnYear(time.Date(2026, 12, 1, 9, 0, 0, 0, hcm))
	john := h.member("John", "", telegramtest.Lang("en"))
	for _, c := range []struct {
		who  *telegramtest.User
		want string
	}{
		{h.admin, "Không đơn vị nào được chấm điểm năm 2026."},
		{john, "No unit was scored for 2026."},
	} {
		if got := h.say(h.group, c.who, "/scores 2026").Text; !strings.Contains(got, c.want) || strings.Contains(got, "/criteria add") {
			t.Errorf("/scores 2026 of a year without criteria: %q", got)
		}
	}
	expect(t, h.say(h.group, h.admin, "/scores").Text, "Khối chưa có tiêu chí chấm điểm", "/criteria add")
}
