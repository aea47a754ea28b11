package handlers_test

import (
	"slices"
	"testing"

	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// A unit's name cannot hold a "|": the commands that name a unit use it
// between their parts, so a unit so named could not be named there by its
// name (/closereg Hội A | B would read "B" as a deadline). /addunit and
// /renameunit refuse one, say why and how to write the command, and change
// nothing; /addunit with several lines refuses them all, naming the line.
func TestUnitNameWithBarRefused(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	before := h.block()
	cases := []struct {
		text string
		want []string
	}{
		{"/addunit Hội A | B", []string{
			"Tên đơn vị không được có dấu «|»", "ngăn cách các phần của lệnh",
			"Cú pháp: /addunit <tên đơn vị> (mỗi dòng một đơn vị)", "Ví dụ: /addunit Hội Nông dân tỉnh",
		}},
		{"/addunit Hội Khuyến học tỉnh\nHội A | B\nHội Doanh nhân trẻ", []string{
			"Dòng 2 («Hội A | B»): Tên đơn vị không được có dấu «|»", "Chưa lưu dòng nào",
		}},
		{"/renameunit 4 | Liên đoàn | Lao động", []string{
			"Tên đơn vị không được có dấu «|»", "ngăn cách các phần của lệnh",
			"Cú pháp: /renameunit <số thứ tự hoặc tên cũ> | <tên mới>", "Ví dụ: /renameunit 2 | Hội Cựu chiến binh tỉnh Lào Cai",
		}},
		// A "|" alone is a mistyped command, as before: a name has letters.
		{"/addunit |", []string{"Tên không hợp lệ"}},
	}
	for _, c := range cases {
		m := h.say(h.group, h.admin, c.text)
		expect(t, m.Text, c.want...)
	}
	after := h.block()
	if after.Version != before.Version || !slices.Equal(namesOf(after), namesOf(before)) {
		t.Fatalf("refused names changed the block: version %d -> %d, units %q", before.Version, after.Version, namesOf(after))
	}
	english := h.member("Anna", "anna", telegramtest.Lang("en"))
	h.group.SetStatus(english, telegramtest.StatusAdministrator)
	m := h.say(h.group, english, "/addunit Hội A | B")
	expect(t, m.Text, "A unit's name cannot contain «|»")
}

// A unit named with a "|" before the bot refused one is still there: /units
// lists it, commands name it by its number, and /renameunit by its number
// takes the "|" out.
func TestUnitNameWithBarKept(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	if _, err := h.store.Update(t.Context(), h.block().ID, func(b *thidua.Block) error {
		b.Units[3].Name = "Liên đoàn | Lao động tỉnh"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	m := h.say(h.group, h.admin, "/units")
	expect(t, m.Text, "4. Liên đoàn | Lao động tỉnh")
	m = h.say(h.group, h.admin, "/leader 4")
	expect(t, m.Text, "✅ Liên đoàn | Lao động tỉnh là Khối trưởng năm 2026.")
	m = h.say(h.group, h.admin, "/award Cờ thi đua của UBND tỉnh | 4")
	expect(t, m.Text, "Đã ghi đề nghị Cờ thi đua của UBND tỉnh cho 1 đơn vị")
	m = h.say(h.group, h.admin, "/renameunit 4 | Liên đoàn Lao động tỉnh")
	expect(t, m.Text, "✅ Đã đổi tên đơn vị thành Liên đoàn Lao động tỉnh.")
	b := h.block()
	if b.Units[3].Name != "Liên đoàn Lao động tỉnh" || b.UnitName(b.LeaderUnit) != "Liên đoàn Lao động tỉnh" {
		t.Fatalf("unit 4 %q, leader %q", b.Units[3].Name, b.UnitName(b.LeaderUnit))
	}
}

// A unit's name may hold a comma, as Sở Văn hóa, Thể thao và Du lịch does;
// the lists of units of /award and of /elect's candidates, separated by
// commas, name it by its name in full all the same.
func TestUnitNameWithComma(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	const vhttdl = "Sở Văn hóa, Thể thao và Du lịch"
	expect(t, h.say(h.group, h.admin, "/addunit "+vhttdl).Text, "Đã thêm 1 đơn vị", "• "+vhttdl)
	m := h.say(h.group, h.admin, "/award Cờ thi đua của UBND tỉnh | Tỉnh Đoàn, sở văn hoá,  thể thao và du lịch, 2")
	expect(t, m.Text, "Đã ghi đề nghị Cờ thi đua của UBND tỉnh cho 3 đơn vị")
	b := h.block()
	want := []string{b.Units[5].ID, b.Units[7].ID, b.Units[1].ID}
	if p := b.Registration.Proposals; len(p) != 1 || !slices.Equal(p[0].UnitIDs, want) {
		t.Fatalf("proposals %+v, want the units %q", p, want)
	}
	// A part of its name before a comma still names it when only it has it.
	m = h.say(h.group, h.admin, "/award Bằng khen của UBND tỉnh | Sở Văn hóa")
	expect(t, m.Text, "Sở Văn hóa, Thể thao và Du lịch đã được đề nghị Cờ thi đua của UBND tỉnh")

	h.say(h.group, h.admin, "/elect khoipho | ứng viên: "+vhttdl+", 2")
	open := h.block().OpenElections()
	if len(open) != 1 || !slices.Equal(open[0].Candidates, []string{b.Units[7].ID, b.Units[1].ID}) {
		t.Fatalf("elections %+v, want the candidates %s and %s", open, b.Units[7].ID, b.Units[1].ID)
	}
}

// A unit's name may hold a semicolon too, or a comma and a semicolon: the
// lists of units of /award and of /elect's candidates, separated by commas
// or semicolons, name such a unit by its name in full as one unit, while
// the other units of the list, separated by either, are named one by one.
func TestUnitNameWithSemicolon(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	const (
		semi = "Ban Thi đua; Khen thưởng tỉnh"
		both = "Sở Văn hóa, Thể thao; Du lịch"
	)
	expect(t, h.say(h.group, h.admin, "/addunit "+semi+"\n"+both).Text, "Đã thêm 2 đơn vị", "• "+semi, "• "+both)
	m := h.say(h.group, h.admin, "/award Cờ thi đua của UBND tỉnh | Tỉnh Đoàn; ban thi dua;  khen thuong tinh, "+both+"; 2, 3")
	expect(t, m.Text, "Đã ghi đề nghị Cờ thi đua của UBND tỉnh cho 5 đơn vị")
	b := h.block()
	want := []string{b.Units[5].ID, b.Units[7].ID, b.Units[8].ID, b.Units[1].ID, b.Units[2].ID}
	if p := b.Registration.Proposals; len(p) != 1 || !slices.Equal(p[0].UnitIDs, want) {
		t.Fatalf("proposals %+v, want the units %q", p, want)
	}

	h.say(h.group, h.admin, "/elect khoipho | ứng viên: "+both+"; "+semi+", 2; 4")
	open := h.block().OpenElections()
	if want := []string{b.Units[8].ID, b.Units[7].ID, b.Units[1].ID, b.Units[3].ID}; len(open) != 1 || !slices.Equal(open[0].Candidates, want) {
		t.Fatalf("elections %+v, want the candidates %q", open, want)
	}
}
