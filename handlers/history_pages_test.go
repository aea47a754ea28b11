package handlers_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"thiduabot/storage"
	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// historyYear is a block whose history holds a year's entries: the
// electorate's setting up, a list registered by Chi for the Hội Nông dân
// (an administrator adding a pledge for it, Hà of the leader unit
// approving it), then 300 reminders of the bot from April on, then, in
// October, Chi leaving the Hội Nông dân for the Hội Chữ thập đỏ and
// registering for it, Hà adding a period, and the Hội Liên hiệp Phụ nữ
// removed. It returns the people and how many entries the history holds.
func historyYear(t *testing.T) (*harness, []*telegramtest.User, int) {
	h := newHarness(t)
	reps := electorate(h)
	chi, ha := reps[2], reps[5]
	h.say(h.group, h.admin, "/modangky")
	h.say(h.group, chi, "/dangky Vận động xây 50 nhà | 50 nhà")
	h.say(h.group, h.admin, "/dangky #3 Phát triển 100 hội viên | 100 hội viên")
	h.say(h.group, chi, "/guidangky")
	h.say(h.group, ha, "/duyet 3")
	b := h.block()
	for i := 1; i <= 300; i++ {
		stored, err := json.Marshal(thidua.Event{At: time.Date(2026, 4, 1, 8, 0, 0, 0, hcm).Add(time.Duration(i) * 12 * time.Hour),
			ActorName: "thiduabot", Action: "reminder.sent", Subject: "custom:1", After: fmt.Sprintf("Nộp hồ sơ số %d: Hội Cựu chiến binh tỉnh", i)})
		if err != nil {
			t.Fatal(err)
		}
		if err := h.redis.RPush(t.Context(), h.prefix+"{b:"+b.ID+"}:log", stored).Err(); err != nil {
			t.Fatal(err)
		}
	}
	h.now = time.Date(2026, 10, 1, 9, 0, 0, 0, hcm)
	h.say(h.group, chi, "/roikhoi")
	h.join(chi, ctd)
	h.say(h.group, chi, "/dangky Hiến 500 đơn vị máu | 500 đơn vị")
	h.say(h.group, ha, "/kybaocao Quý IV | 30/11")
	ask := h.say(h.group, h.admin, "/xoadonvi 5")
	h.press(h.group, h.admin, ask, button(t, ask, "🗑 Xoá"))
	all, err := storage.History(t.Context(), h.store, b.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	return h, reps, len(all)
}

// readHistory has user send /lichsu with args and returns the bot's
// answer, its parts joined.
func readHistory(h *harness, user *telegramtest.User, args string) string {
	h.t.Helper()
	before := len(h.tg.Messages(h.group.ID))
	h.handled(h.tg.Send(h.group, user, strings.TrimSpace("/lichsu "+args)))
	var parts []string
	for _, m := range h.tg.Messages(h.group.ID)[before:] {
		if m.From.ID != user.ID {
			parts = append(parts, m.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// entryLines counts the entries of an answer of /history.
func entryLines(text string) int { return strings.Count(text, "\n• ") }

// lacks fails if s contains any of unwanted.
func lacks(t *testing.T, s string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(s, u) {
			t.Fatalf("%q contains %q", s, u)
		}
	}
}

// In December a leader pages back through a year of history, the whole
// or a unit's, to March: each page says which entries it shows of how
// many and how to ask for the older ones; a number alone is still the
// number of entries.
func TestHistoryPages(t *testing.T) {
	h, reps, n := historyYear(t)
	an := reps[0]
	// The newest page: 7 entries of October, then the latest reminders.
	page := readHistory(h, an, "")
	expect(t, page, fmt.Sprintf("Lịch sử thay đổi (20 mục gần nhất trong %d)", n),
		"«Nộp hồ sơ số 300: Hội Cựu chiến binh tỉnh»", "Hùng (quản trị viên): xoá đơn vị [Hội Liên hiệp Phụ nữ tỉnh]",
		"Các mục cũ hơn: /history trang 2")
	if entryLines(page) != 20 {
		t.Fatalf("the first page shows %d entries:\n%s", entryLines(page), page)
	}
	newest := 0 // the reminder at the end of the second page
	for i := 300; i > 0; i-- {
		if !strings.Contains(page, fmt.Sprintf("«Nộp hồ sơ số %d:", i)) {
			newest = i
			break
		}
	}
	page = readHistory(h, an, "trang 2")
	expect(t, page, fmt.Sprintf("Lịch sử thay đổi (mục 21–40 trong %d, đếm từ mục mới nhất)", n),
		fmt.Sprintf("«Nộp hồ sơ số %d:", newest), fmt.Sprintf("«Nộp hồ sơ số %d:", newest-19), "Các mục cũ hơn: /history trang 3")
	lacks(t, page, fmt.Sprintf("«Nộp hồ sơ số %d:", newest+1), fmt.Sprintf("«Nộp hồ sơ số %d:", newest-20))
	if entryLines(page) != 20 || strings.Index(page, fmt.Sprintf("số %d:", newest-19)) > strings.Index(page, fmt.Sprintf("số %d:", newest)) {
		t.Fatalf("the second page is not entries 21–40, oldest first:\n%s", page)
	}
	expect(t, readHistory(h, an, "50"), fmt.Sprintf("(50 mục gần nhất trong %d)", n), "Các mục cũ hơn: /history 50 trang 2")
	expect(t, readHistory(h, an, "50 Trang 2"), fmt.Sprintf("(mục 51–100 trong %d, đếm từ mục mới nhất)", n), "/history 50 trang 3")

	// The last page: March, the setting up, the units named, the one
	// removed since in October too.
	last := (n + 99) / 100
	page = readHistory(h, an, fmt.Sprintf("100 trang %d", last))
	expect(t, page, fmt.Sprintf("(mục %d–%d trong %d, đếm từ mục mới nhất)", (last-1)*100+1, n, n),
		"Hùng (quản trị viên): thiết lập khối", "Hùng (quản trị viên): thêm đơn vị [Hội Liên hiệp Phụ nữ tỉnh]",
		"Giang: xin làm đầu mối [Hội Liên hiệp Phụ nữ tỉnh]")
	lacks(t, page, "Các mục cũ hơn")

	// In English, "page".
	john := h.member("John", "john", telegramtest.Lang("en"))
	expect(t, readHistory(h, john, "page 2"), fmt.Sprintf("Change history (entries 21–40 of %d, counting from the newest)", n), "Older entries: /history page 3")
}

// The entries about a unit are those about its data, whoever changed it,
// and what its representatives did while they represented it: the
// leader's representative's management of the block included, another
// unit's data changed by a former representative not.
func TestHistoryOfAUnit(t *testing.T) {
	h, reps, _ := historyYear(t)
	an := reps[0]
	nd := readHistory(h, an, "nong dan")
	expect(t, nd, "Lịch sử thay đổi — Hội Nông dân tỉnh (cả 8 mục)",
		"Hùng (quản trị viên): thêm đơn vị [Hội Nông dân tỉnh]",
		"Chi: xin làm đầu mối [Hội Nông dân tỉnh]",
		"Chi: thêm nội dung đăng ký [Hội Nông dân tỉnh]: «1. Vận động xây 50 nhà | 50 nhà | 30/11/2026»",
		"Hùng (quản trị viên): thêm nội dung đăng ký [Hội Nông dân tỉnh]: «2. Phát triển 100 hội viên",
		"Chi: gửi duyệt danh sách đăng ký [Hội Nông dân tỉnh]",
		"Hà: duyệt danh sách đăng ký [Hội Nông dân tỉnh]",
		"01/10/2026 09:00 — Chi: thôi làm đầu mối [Hội Nông dân tỉnh]")
	lacks(t, nd, "Nộp hồ sơ", "Hội Chữ thập đỏ tỉnh", "Các mục cũ hơn", "thêm kỳ báo cáo")

	// Tỉnh Đoàn leads: Hà's management is its own. It is the fifth unit
	// since the Hội Liên hiệp Phụ nữ was removed.
	doanH := readHistory(h, an, "#5")
	expect(t, doanH, "Lịch sử thay đổi — Tỉnh Đoàn (",
		"Hà: duyệt danh sách đăng ký [Hội Nông dân tỉnh]", "Hà: thêm kỳ báo cáo: «Quý IV | 30/11/2026»",
		"Hùng (quản trị viên): đặt Khối trưởng [Tỉnh Đoàn]")
	lacks(t, doanH, "Nộp hồ sơ", "Chi:")
	// Chi's registration for the Hội Chữ thập đỏ is its own.
	expect(t, readHistory(h, an, "Hội Chữ thập đỏ tỉnh"), "Chi: thêm nội dung đăng ký [Hội Chữ thập đỏ tỉnh]")

	// A page of a unit's entries: the walk stops once it has them, so
	// that how many there are is not known then.
	page := readHistory(h, an, "nông dân 3 trang 2")
	expect(t, page, "Lịch sử thay đổi — Hội Nông dân tỉnh (mục 4–6, đếm từ mục mới nhất; còn mục cũ hơn)",
		"Chi: thêm nội dung đăng ký [Hội Nông dân tỉnh]", "Các mục cũ hơn: /history #3 3 trang 3")
	if entryLines(page) != 3 {
		t.Fatalf("a page of 3 shows %d entries:\n%s", entryLines(page), page)
	}
	expect(t, readHistory(h, an, "nông dân 3 trang 3"), "(mục 7–8 trong 8, đếm từ mục mới nhất)", "Chi: xin làm đầu mối [Hội Nông dân tỉnh]")
	expect(t, readHistory(h, an, "#3 4"), "(4 mục gần nhất; còn mục cũ hơn)", "/history #3 4 trang 2")
}

// A unit removed from the block whose full name ends in a number is named
// so too, as /history finds a removed unit by its name: its entries, not
// those of a unit whose name holds it («Chi đoàn 12»), nor a count of
// entries; its pages' command names it so again.
func TestHistoryOfARemovedUnitWhoseNameEndsInANumber(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	h.say(h.group, h.admin, "/addunit Chi đoàn 2\nChi đoàn 12")
	ask := h.say(h.group, h.admin, "/removeunit Chi đoàn 2")
	h.press(h.group, h.admin, ask, buttonData(t, ask, "ru:"))
	got := readHistory(h, h.admin, "chi đoàn 2")
	expect(t, got, "Lịch sử thay đổi — Chi đoàn 2 (cả 2 mục)", "thêm đơn vị [Chi đoàn 2]", "xoá đơn vị [Chi đoàn 2]")
	if strings.Contains(got, "Chi đoàn 12") {
		t.Fatalf("the removed Chi đoàn 2 read as Chi đoàn 12:\n%s", got)
	}
	expect(t, readHistory(h, h.admin, "Chi đoàn 2 1 trang 1"), "Lịch sử thay đổi — Chi đoàn 2 (1 mục gần nhất; còn mục cũ hơn)", "/history Chi đoàn 2 1 trang 2")
	expect(t, readHistory(h, h.admin, "Chi đoàn 2 1 trang 2"), "Lịch sử thay đổi — Chi đoàn 2", "thêm đơn vị [Chi đoàn 2]")
}

// A unit whose full name ends in a number is named so, the number no
// count of entries; a number alone is a count, a unit by its number is
// written #number; what /history cannot read is answered politely with
// the command's form, and nothing changes.
func TestHistoryArgumentsAndMistakes(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	h.say(h.group, h.admin, "/addunit Chi đoàn 2\nChi đoàn 12")
	expect(t, readHistory(h, h.admin, "chi đoàn 2"), "Lịch sử thay đổi — Chi đoàn 2 (cả 1 mục)", "thêm đơn vị [Chi đoàn 2]")
	expect(t, readHistory(h, h.admin, "chi đoàn 2 1"), "Lịch sử thay đổi — Chi đoàn 2 (cả 1 mục)")
	expect(t, readHistory(h, h.admin, "đoàn 12 trang 1"), "Lịch sử thay đổi — Chi đoàn 12 (cả 1 mục)")
	expect(t, readHistory(h, h.admin, "3"), "Lịch sử thay đổi (3 mục gần nhất trong 10)")

	b := h.block()
	john := h.member("John", "john", telegramtest.Lang("en"))
	const form = "Cú pháp: /history [#số hoặc tên đơn vị] [số mục, tối đa 100] [trang số]"
	for _, c := range []struct {
		args string
		want []string
	}{
		{"trang", []string{"Sau «trang» ghi số trang, một số từ 1 trở lên", form}},
		{"trang 0", []string{"Sau «trang» ghi số trang", form}},
		{"20 trang hai", []string{"Sau «trang» ghi số trang", form}},
		{"0", []string{"Số mục phải là một số từ 1 đến 100.", form}},
		{"101 trang 2", []string{"Số mục phải là một số từ 1 đến 100.", form}},
		{"5 10", []string{"«5»: một số đứng riêng là số mục; đơn vị số 5 viết là #5, ví dụ /history #5 20.", form}},
		{"#10", []string{"Sau dấu # là số thứ tự của đơn vị trong /units (từ 1 đến 9).", form}},
		{"#", []string{"Sau dấu # là số thứ tự", form}},
		{"hội <b>xyz</b>", []string{"Không có đơn vị nào khớp với «hội <b>xyz</b>»", form}},
		{"hội", []string{"Không có đơn vị nào khớp với «hội» (hoặc tên khớp với nhiều đơn vị)", form}},
		{"trang 9223372036854775807", []string{"Trang 9223372036854775807 không có mục nào: lịch sử có 10 mục", form}},
		{"#1 100 trang 9223372036854775807", []string{"Trang 9223372036854775807 không có mục nào: lịch sử của Ủy ban MTTQ Việt Nam tỉnh có 1 mục"}},
		{"trang 2", []string{"Trang 2 không có mục nào: lịch sử có 10 mục, 20 mục mỗi trang, tức là 1 trang.", form}},
		{"#1 trang 2", []string{"Trang 2 không có mục nào: lịch sử của Ủy ban MTTQ Việt Nam tỉnh có 1 mục, 20 mục mỗi trang, tức là 1 trang."}},
	} {
		got := readHistory(h, h.admin, c.args)
		expect(t, got, c.want...)
		lacks(t, got, "• ")
	}
	expect(t, readHistory(h, john, "page"), "After «page» write the page number", "Usage: /history [#number or name of a unit]")
	expect(t, readHistory(h, john, "trang 3"), "Page 3 has no entries: the history has 10 entries, 20 a page, that is 1 page.")
	if after := h.block(); after.Version != b.Version {
		t.Fatalf("reading the history changed the block: version %d, then %d", b.Version, after.Version)
	}
}

// The export carries the year's history: a sheet «Lịch sử» and its CSV
// file, a row per entry from the setting up (or the turn into the year)
// to the turn to the next, with a real date and time, who (marked as
// administrator), what as /history says it, the unit, the values before
// and after, text a spreadsheet would take for a formula defused. The
// year after the turn has its own entries only.
func TestExportHistory(t *testing.T) {
	h := newHarness(t)
	reps := electorate(h)
	chi, ha := reps[2], reps[5]
	h.say(h.group, h.admin, "/modangky")
	h.say(h.group, chi, "/dangky Vận động xây 50 nhà | 50 nhà")
	h.say(h.group, chi, "/guidangky")
	h.now = time.Date(2026, 3, 5, 14, 30, 0, 0, hcm)
	h.say(h.group, ha, "/tralai 3 | =SUM(A1) ghi rõ")
	h.say(h.group, chi, "/guidangky")
	h.say(h.group, ha, "/duyet 3")
	h.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, ha, "/nammoi")
	h.press(h.group, ha, ask, button(t, ask, "✅ Sang năm 2027"))
	h.now = time.Date(2026, 12, 2, 8, 0, 0, 0, hcm)
	h.say(h.group, h.admin, "/modangky")

	exported := func(args string) (*workbook, [][]string) {
		t.Helper()
		before := len(h.tg.Messages(h.group.ID))
		h.say(h.group, reps[0], strings.TrimSpace("/export "+args))
		msgs := h.tg.Messages(h.group.ID)[before:]
		if len(msgs) != 2 || msgs[0].Document == nil || msgs[1].Document == nil {
			t.Fatalf("/export %s sent %+v", args, msgs)
		}
		return openWorkbook(t, msgs[0].Document.Data), readCSVZip(t, msgs[1].Document.Data)["lich-su.csv"]
	}
	f, csvRows := exported("2026")
	if got := f.GetSheetList(); got[len(got)-1] != "Lịch sử" {
		t.Fatalf("sheets %q", got)
	}
	if got := cells(t, f, "Lịch sử", 2); !slices.Equal(got, []string{"Thời gian", "Người thực hiện", "Thao tác", "Đơn vị", "Trước", "Sau"}) {
		t.Fatalf("the history's header: %q", got)
	}
	rows, err := f.GetRows("Lịch sử")
	if err != nil {
		t.Fatal(err)
	}
	first, last := rows[2], rows[len(rows)-1]
	if !slices.Equal(first, []string{"02/03/2026 09:00", "Hùng (quản trị viên)", "thiết lập khối", "", "", "Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai (2026)"}) ||
		!slices.Equal(last, []string{"01/12/2026 09:00", "Hà", "chuyển khối sang năm thi đua mới", "", "2026", "2027"}) {
		t.Fatalf("the history of 2026 runs from %q to %q", first, last)
	}
	findRow(t, f, "Lịch sử", "05/03/2026 14:30", "Hà", "trả lại danh sách đăng ký", "Hội Nông dân tỉnh", "", "=SUM(A1) ghi rõ")
	findRow(t, f, "Lịch sử", "02/03/2026 09:00", "Chi", "thêm nội dung đăng ký", "Hội Nông dân tỉnh", "", "1. Vận động xây 50 nhà | 50 nhà | 30/11/2026")
	if v, err := f.GetCellValue("Lịch sử", "A3", excelize.Options{RawCellValue: true}); err != nil || !strings.Contains(v, ".") {
		t.Fatalf("the time is no date-time cell: %q, %v", v, err)
	}
	if ty, err := f.GetCellType("Lịch sử", "F3"); err != nil || ty == excelize.CellTypeFormula {
		t.Fatalf("a value is a formula: %v, %v", ty, err)
	}
	// The CSV file writes the time as ISO 8601, which a spreadsheet of any
	// regional settings reads as that time.
	if len(csvRows) != len(rows)-1 || !slices.Equal(csvRows[1], append([]string{"2026-03-02 09:00"}, first[1:]...)) {
		t.Fatalf("lich-su.csv has %d rows, the sheet %d; first %q", len(csvRows), len(rows)-1, csvRows[1])
	}
	defused := false
	for _, r := range csvRows {
		defused = defused || slices.Contains(r, "'=SUM(A1) ghi rõ")
	}
	if !defused {
		t.Fatalf("lich-su.csv does not defuse the formula: %q", csvRows)
	}
	for _, r := range rows[2:] {
		if strings.Contains(r[0], "/12/2026") && r[2] != "chuyển khối sang năm thi đua mới" && r[2] != "đặt Khối trưởng" {
			t.Fatalf("the history of 2026 holds an entry of 2027: %q", r)
		}
	}

	f, _ = exported("")
	rows, err = f.GetRows("Lịch sử")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || !slices.Equal(rows[2], []string{"02/12/2026 08:00", "Hùng (quản trị viên)", "mở đăng ký thi đua"}) {
		t.Fatalf("the history of 2027: %q", rows)
	}
}
