package handlers_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// Telegram refuses an inline keyboard of more than 100 buttons, of a row
// of more than 8 or of more than 10,240 bytes of JSON, as the fake does:
// the keyboards that grow with a block's data stay within these bounds
// however large the block, and every choice stays within reach.

// longUnitNames are thidua.MaxUnits unit names of the longest length, each
// telling its number early.
func longUnitNames() []string {
	names := make([]string, thidua.MaxUnits)
	for i := range names {
		names[i] = string([]rune(fmt.Sprintf("Ủy ban nhân dân huyện số %d, %s", i+1, strings.Repeat("tỉnh Lào Cai, ", 20)))[:thidua.MaxNameLen])
	}
	return names
}

// withLongUnits sets a block up with the longest units' names, as many as
// a block may have, and returns them.
func withLongUnits(h *harness) []string {
	h.t.Helper()
	h.say(h.group, h.admin, "/setup Khối thi đua các huyện, thị xã, thành phố")
	admin := thidua.Actor{UserID: h.admin.ID, Name: h.admin.FirstName, Admin: true}
	names := longUnitNames()
	if _, err := h.store.Update(h.t.Context(), h.block().ID, func(b *thidua.Block) error {
		_, err := b.AddUnits(admin, names, h.now)
		return err
	}); err != nil {
		h.t.Fatal(err)
	}
	return names
}

// unitButtons checks that m has a button per unit of names, in order, one
// to a row, each labelled with the unit's name or its beginning, and that
// no two are labelled alike; it returns the buttons' data.
func unitButtons(t *testing.T, m telegramtest.Message, names []string) []string {
	t.Helper()
	if len(m.Buttons) != len(names) {
		t.Fatalf("%d rows of buttons for %d units: %q", len(m.Buttons), len(names), m.Text)
	}
	var data, seen []string
	for i, row := range m.Buttons {
		label := row[0].Text
		head, tail, _ := strings.Cut(label, "…")
		if len(row) != 1 || !strings.HasPrefix(names[i], head) || !strings.HasSuffix(names[i], tail) || slices.Contains(seen, label) || !strings.HasPrefix(label, fmt.Sprintf("Ủy ban nhân dân huyện số %d,", i+1)) {
			t.Fatalf("row %d is %+v, for %q", i+1, row, names[i])
		}
		seen = append(seen, label)
		data = append(data, row[0].Data)
	}
	return data
}

func TestJoinPickerOfTheMostUnitsWithTheLongestNames(t *testing.T) {
	h := newHarness(t)
	names := withLongUnits(h)
	hoa := h.member("Hoa", "")
	pick := h.say(h.group, hoa, "/join")
	expect(t, pick.Text, "Chọn đơn vị mà bạn làm đầu mối")
	data := unitButtons(t, pick, names)
	h.press(h.group, hoa, pick, data[len(data)-1])
	ask, _ := h.tg.LastMessage(h.group.ID)
	expect(t, ask.Text, "🙋 Hoa xin làm đầu mối của "+names[len(names)-1])
}

func TestBallotOfTheMostUnitsWithTheLongestNames(t *testing.T) {
	h := newHarness(t)
	names := withLongUnits(h)
	lan := h.member("Lan", "")
	h.join(lan, "60")
	h.say(h.group, h.admin, "/elect khoitruong | công khai")
	ballot := h.ballot()
	data := unitButtons(t, ballot, names)
	a := h.press(h.group, lan, ballot, data[len(data)-1])
	expect(t, a.Text, "Đã ghi nhận phiếu")
	e := h.block().LatestElection(thidua.RoleLeader)
	if got := e.Counted(); len(got) != 1 || e.Name(got[0].Candidate) != names[len(names)-1] {
		t.Fatalf("votes counted %+v", got)
	}
	// The ballot, edited to show the vote, keeps every button.
	after := h.message(ballot.ID)
	expect(t, after.Text, "Đã bỏ phiếu: 1/60")
	unitButtons(t, after, names)
}

func TestRemindNowOfMoreDeadlinesThanAKeyboardHolds(t *testing.T) {
	h := newHarness(t)
	_, minh := withReps(h)
	admin := thidua.Actor{UserID: h.admin.ID, Name: h.admin.FirstName, Admin: true}
	if _, err := h.store.Update(t.Context(), h.block().ID, func(b *thidua.Block) error {
		for i := range thidua.MaxCustomDeadlines {
			title := fmt.Sprintf("Nộp báo cáo chuyên đề số %d về công tác tuyên truyền, vận động đoàn viên, hội viên", i+1)
			if _, err := b.AddDeadline(admin, h.now.AddDate(0, 1, i), title, h.now); err != nil {
				return err
			}
		}
		var periods []thidua.PeriodDraft
		for i := range 10 {
			periods = append(periods, thidua.PeriodDraft{Name: fmt.Sprintf("Tháng %d", i+3), Due: time.Date(2026, time.Month(i+3), 28, 0, 0, 0, 0, hcm)})
		}
		_, err := b.AddPeriods(admin, periods, h.now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, d := range h.block().Deadlines(h.now) {
		if len(d.Owing) > 0 {
			want = append(want, "rn:"+d.Key)
		}
	}
	if len(want) <= 110 {
		t.Fatalf("only %d deadlines are owed", len(want))
	}

	// The pages, from the first to the last and back.
	pick := h.say(h.group, h.admin, "/remindnow")
	expect(t, pick.Text, "Chọn hạn cần nhắc ngay")
	var got []string
	var pages []telegramtest.Message
	for {
		pages = append(pages, pick)
		next := ""
		for _, row := range pick.Buttons {
			for _, b := range row {
				switch {
				case !strings.HasPrefix(b.Data, "rn:p:"):
					got = append(got, b.Data)
				case strings.HasSuffix(b.Text, "▶️"):
					next = b.Data
				}
			}
		}
		if next == "" {
			break
		}
		if a := h.press(h.group, minh, pick, next); !a.ShowAlert || h.message(pick.ID).EditCount != pick.EditCount {
			t.Fatalf("Minh, no manager, turned the page: %+v", a)
		}
		h.press(h.group, h.admin, pick, next)
		pick = h.message(pick.ID)
		expect(t, pick.Text, "Chọn hạn cần nhắc ngay")
	}
	if len(pages) < 2 || !slices.Equal(got, want) {
		t.Fatalf("%d pages show %d deadlines %v, want the %d owed %v", len(pages), len(got), got, len(want), want)
	}
	first := pages[0].Buttons
	if last := first[len(first)-1]; len(last) != 1 || last[0].Text != fmt.Sprintf("Trang 2/%d ▶️", len(pages)) {
		t.Fatalf("the first page ends with %+v", last)
	}
	if last := pick.Buttons[len(pick.Buttons)-1]; len(last) != 1 || last[0].Text != fmt.Sprintf("◀️ Trang %d/%d", len(pages)-1, len(pages)) {
		t.Fatalf("the last page ends with %+v", last)
	}
	h.press(h.group, h.admin, pick, pick.Buttons[len(pick.Buttons)-1][0].Data)
	if back := h.message(pick.ID); !slices.EqualFunc(back.Buttons, pages[len(pages)-2].Buttons, slices.Equal) {
		t.Fatalf("◀️ shows %v", back.Buttons)
	}

	// A deadline of the last page is reminded of.
	turns := pages[len(pages)-2].Buttons[len(pages[len(pages)-2].Buttons)-1]
	h.press(h.group, h.admin, pick, turns[len(turns)-1].Data)
	pick = h.message(pick.ID)
	last := pick.Buttons[len(pick.Buttons)-2][0]
	h.press(h.group, h.admin, pick, last.Data)
	msgs := h.tg.Messages(h.group.ID)
	title, _, _ := strings.Cut(last.Text, " — ")
	expect(t, msgs[len(msgs)-1].Text, "⏰ Nhắc hạn: "+strings.TrimSuffix(title, "…"))
	expect(t, h.message(pick.ID).Text, "Đã gửi nhắc hạn «"+strings.TrimSuffix(title, "…"))
}
