package handlers_test

import (
	"context"
	"strings"
	"testing"

	"thiduabot/storage"
	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

func TestAddRenameRemoveUnits(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	m := h.say(h.group, h.admin, "/themdonvi Hội Doanh nhân trẻ\n\n  Hội Khuyến học  ")
	expect(t, m.Text, "Đã thêm 2 đơn vị", "• Hội Doanh nhân trẻ", "• Hội Khuyến học", "Khối hiện có 9 đơn vị")

	m = h.say(h.group, h.admin, "/renameunit 9 | Hội Khuyến học tỉnh")
	expect(t, m.Text, "Đã đổi tên đơn vị thành Hội Khuyến học tỉnh")
	if h.block().Units[8].Name != "Hội Khuyến học tỉnh" {
		t.Fatal("not renamed")
	}

	ask := h.say(h.group, h.admin, "/removeunit khuyen hoc")
	expect(t, ask.Text, "Xoá đơn vị Hội Khuyến học tỉnh khỏi khối?")
	h.press(h.group, h.admin, ask, ask.Buttons[0][1].Data) // Huỷ
	if len(h.block().Units) != 9 {
		t.Fatal("cancel removed the unit")
	}
	ask = h.say(h.group, h.admin, "/xoadonvi 9")
	h.press(h.group, h.admin, ask, ask.Buttons[0][0].Data)
	b := h.block()
	if len(b.Units) != 8 {
		t.Fatalf("%d units", len(b.Units))
	}
	msgs := h.tg.Messages(h.group.ID)
	var removed bool
	for _, m := range msgs {
		removed = removed || strings.Contains(m.Text, "Đã xoá đơn vị Hội Khuyến học tỉnh (bởi Hùng)")
	}
	if !removed {
		t.Fatal("removal not announced")
	}
}

// While an election is open its roll is frozen: no unit can be removed.
func TestNoUnitRemovalDuringAnElection(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	h.say(h.group, h.admin, "/elect khoitruong")
	m := h.say(h.group, h.admin, "/removeunit 3")
	expect(t, m.Text, "Đang có cuộc bầu chưa kết thúc: Bầu Khối trưởng năm 2027, kết thúc 03/03/2026 09:00.")
	if len(h.block().Units) != 7 {
		t.Fatal("a unit was removed during an election")
	}
}

func TestUnitCommandsBadInput(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	cases := []struct{ text, want string }{
		{"/addunit", "Bạn chưa nhập tên đơn vị nào."},
		{"/addunit Tỉnh Đoàn", "Đơn vị này đã có trong khối"},
		{"/addunit " + strings.Repeat("x", 201), "Tên không hợp lệ"},
		{"/renameunit 2", "Cần số thứ tự (hoặc tên cũ) và tên mới"},
		{"/renameunit 42 | Hội mới", "Không tìm thấy đơn vị này"},
		{"/renameunit 1 | Tỉnh Đoàn", "Đơn vị này đã có trong khối"},
		{"/removeunit", "Bạn chưa nêu đơn vị cần xoá."},
		{"/removeunit Hội", "Không tìm thấy đơn vị này (hoặc tên khớp với nhiều đơn vị)"},
		{"/leader", "Bạn chưa nêu đơn vị. Hiện tại: chưa có."},
		{"/leader Hội Khuyến học", "Không tìm thấy đơn vị này"},
		{"/deputy 0", "Không tìm thấy đơn vị này"},
	}
	before := h.block()
	for _, c := range cases {
		m := h.say(h.group, h.admin, c.text)
		expect(t, m.Text, c.want)
	}
	after := h.block()
	if after.Version != before.Version {
		t.Fatalf("bad input changed the block: version %d -> %d", before.Version, after.Version)
	}
	m := h.say(h.group, h.admin, "/addunit")
	expect(t, m.Text, "Cú pháp: /addunit <tên đơn vị> (mỗi dòng một đơn vị)", "Ví dụ: /addunit Hội Nông dân tỉnh")
}

// A duplicate among several units added at once is named, so the manager
// knows which line to fix; nothing is added.
func TestAddUnitsNamesTheDuplicate(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	before := h.block().Version
	m := h.say(h.group, h.admin, "/addunit Hội Khuyến học tỉnh\nhội nông dân tỉnh\nHội Doanh nhân trẻ")
	expect(t, m.Text, "Đơn vị này đã có trong khối", "hội nông dân tỉnh")
	long := strings.Repeat("x", thidua.MaxNameLen+1)
	m = h.say(h.group, h.admin, "/addunit Hội Khuyến học tỉnh\n"+long)
	expect(t, m.Text, "Tên không hợp lệ", "Dòng 2")
	if h.block().Version != before {
		t.Fatal("a refused /addunit changed the block")
	}
}

func TestLeaderAndDeputy(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	m := h.say(h.group, h.admin, "/leader tinh doan")
	expect(t, m.Text, "✅ Tỉnh Đoàn là Khối trưởng năm 2026.")
	m = h.say(h.group, h.admin, "/khoipho 1")
	expect(t, m.Text, "✅ Ủy ban MTTQ Việt Nam tỉnh là Khối phó năm 2026.")
	b := h.block()
	if b.UnitName(b.LeaderUnit) != "Tỉnh Đoàn" || b.UnitName(b.DeputyUnit) != "Ủy ban MTTQ Việt Nam tỉnh" {
		t.Fatalf("leader %q deputy %q", b.LeaderUnit, b.DeputyUnit)
	}
	m = h.say(h.group, h.admin, "/deputy")
	expect(t, m.Text, "Hiện tại: Ủy ban MTTQ Việt Nam tỉnh")

	m = h.say(h.group, h.admin, "/units")
	expect(t, m.Text, "Khối trưởng: Tỉnh Đoàn · Khối phó: Ủy ban MTTQ Việt Nam tỉnh", "6. Tỉnh Đoàn — ⭐ Khối trưởng", "1. Ủy ban MTTQ Việt Nam tỉnh — ☆ Khối phó")
}

// Making the leader unit the deputy leaves the block without a leader: the
// answer says so, and the history records that the leader office was
// emptied, with its holder before, since the leader's representatives lose
// the right to run the block.
func TestDeputyOnTheLeaderUnitRecordsTheLeaderCleared(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	h.say(h.group, h.admin, "/leader Tỉnh Đoàn")
	m := h.say(h.group, h.admin, "/deputy Tỉnh Đoàn")
	expect(t, m.Text, "✅ Tỉnh Đoàn là Khối phó năm 2026.", "Khối trưởng")
	if b := h.block(); b.LeaderUnit != "" {
		t.Fatalf("leader %q", b.LeaderUnit)
	}
	ev, err := storage.History(t.Context(), h.store, h.block().ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range ev {
		found = found || (e.Action == "role.leader.left" && e.Subject == h.block().Units[5].ID && e.Before == "Tỉnh Đoàn")
	}
	if !found {
		t.Fatalf("the leader office emptied is not in the history: %+v", ev)
	}
	expect(t, h.say(h.group, h.admin, "/lichsu 2").Text, "Hùng (quản trị viên): đặt Khối phó [Tỉnh Đoàn]", "Hùng (quản trị viên): thôi làm Khối trưởng [Tỉnh Đoàn]")
}

// A unit is found by its full name typed without diacritics or in other
// case, even when other units' names contain that name.
func TestUnitFoundByItsFullNameFolded(t *testing.T) {
	h := newHarness(t)
	h.say(h.group, h.admin, "/setup Khối")
	h.say(h.group, h.admin, "/addunit Báo Lào Cai điện tử\nBáo Lào Cai cuối tuần\nBáo Lào Cai")
	m := h.say(h.group, h.admin, "/leader bao lao cai")
	expect(t, m.Text, "✅ Báo Lào Cai là Khối trưởng năm 2026.")
	m = h.say(h.group, h.admin, "/deputy báo lào cai điện tử")
	expect(t, m.Text, "✅ Báo Lào Cai điện tử là Khối phó năm 2026.")
}

func TestManagersOnly(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	lan := h.member("Lan", "lan")
	minh := h.member("Minh", "")
	h.join(lan, "Tỉnh Đoàn")
	h.join(minh, "Hội Nông dân tỉnh")
	before := h.block().Version
	for _, text := range []string{"/addunit Hội X", "/renameunit 1 | Y", "/removeunit 1", "/leader 1", "/deputy 1"} {
		m := h.say(h.group, minh, text)
		expect(t, m.Text, "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")
	}
	if h.block().Version != before {
		t.Fatal("a refused command changed the block")
	}
	// A representative of the leader unit runs the block.
	h.say(h.group, h.admin, "/leader Tỉnh Đoàn")
	m := h.say(h.group, lan, "/addunit Hội Khuyến học tỉnh")
	expect(t, m.Text, "Đã thêm 1 đơn vị")
	ask := h.say(h.group, lan, "/removeunit Hội Khuyến học tỉnh")
	a := h.press(h.group, minh, ask, ask.Buttons[0][0].Data)
	if !a.ShowAlert || !strings.Contains(a.Text, "chỉ quản trị viên nhóm") {
		t.Fatalf("press by a non-manager: %+v", a)
	}
	if len(h.block().Units) != 8 {
		t.Fatal("a non-manager's press removed the unit")
	}
}

// A representative who renames themselves in Telegram is listed under the
// new name once they next write in the group; nothing is recorded in the
// history, and nothing is written while the name stays the same.
func TestRepresentativeRenamed(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	lan := h.member("Lan", "lan_nd")
	h.join(lan, "Hội Nông dân tỉnh")
	h.say(h.group, lan, "/units")
	version, events := h.block().Version, h.events()
	h.say(h.group, lan, "/units")
	if h.block().Version != version {
		t.Fatal("a command with the same name wrote the block")
	}
	h.tg.Rename(lan, "Phạm Thị", "Lan", "lanpham")
	h.say(h.group, lan, "/donvi")
	expect(t, h.say(h.group, lan, "/units").Text, "Phạm Thị Lan")
	rp := h.block().RepOf(lan.ID)
	if rp.Name != "Phạm Thị Lan" || rp.Username != "lanpham" || h.events() != events {
		t.Fatalf("stored %+v, %d events (were %d)", rp, h.events(), events)
	}
}

// A representative who switches their Telegram app to English gets the
// bot's later direct messages in English as soon as they use a command in
// the group: their language is brought up to date like their name, as
// bookkeeping without history, and a command in the language already
// recorded, or one whose sender's language Telegram does not give, writes
// nothing.
func TestRepresentativeSwitchedLanguage(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	lan := h.member("Lan", "lan_nd", telegramtest.Lang("vi"))
	h.handled(h.tg.SendPrivate(lan, "/start"))
	h.join(lan, "Hội Nông dân tỉnh")
	h.say(h.group, h.admin, "/deadline 20/03/2026 | Báo cáo sơ kết")
	doneByAdmin(h, 1, "Hội Nông dân tỉnh")
	expect(t, h.say(h.group, h.admin, "/remindnow 1").Text, "⏰ Nhắc hạn: Báo cáo sơ kết")
	dm, _ := h.tg.LastMessage(lan.ID)
	expect(t, dm.Text, "⏰ Nhắc hạn (", "Đơn vị Hội Nông dân tỉnh của bạn chưa hoàn thành")

	version, events := h.block().Version, h.events()
	h.say(h.group, lan, "/units")
	if h.block().Version != version {
		t.Fatal("a command in the recorded language wrote the block")
	}
	h.tg.SetLanguage(lan, "en-US")
	expect(t, h.say(h.group, lan, "/units").Text, "Representatives: Lan")
	b := h.block()
	if rp := b.RepOf(lan.ID); rp.Lang != "en-US" || b.Version != version+1 || h.events() != events {
		t.Fatalf("stored %+v, version %d (was %d), %d events (were %d)", *rp, b.Version, version, h.events(), events)
	}
	h.say(h.group, lan, "/units")
	h.tg.SetLanguage(lan, "")
	h.say(h.group, lan, "/donvi")
	if b := h.block(); b.Version != version+1 || b.RepOf(lan.ID).Lang != "en-US" {
		t.Fatalf("version %d (want %d), stored %+v", b.Version, version+1, *b.RepOf(lan.ID))
	}

	m := h.say(h.group, h.admin, "/remindnow 1")
	expect(t, m.Text, "⏰ Nhắc hạn: Báo cáo sơ kết")
	dm, _ = h.tg.LastMessage(lan.ID)
	expect(t, dm.Text, "⏰ Reminder (", "Your unit Hội Nông dân tỉnh has not finished")
}

// events counts the block's history.
func (h *harness) events() int {
	h.t.Helper()
	ev, err := storage.History(context.Background(), h.store, h.block().ID, 0)
	if err != nil {
		h.t.Fatal(err)
	}
	return len(ev)
}
