package handlers_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// nominees lists the names of the people the unit with this number in
// /units nominates, as stored.
func (c *regCast) nominees(n int) []string {
	c.t.Helper()
	b := c.block()
	var out []string
	for _, e := range b.ExemplarsOf(b.Units[n-1].ID) {
		out = append(out, e.Name)
	}
	return out
}

// The nominations of outstanding individuals through the group: a unit's
// representative nominates people of their unit, one per line, and each
// is told whether they hold a leadership or management post, as their
// position reads or as marked; managers nominate for any unit with #số;
// the same name again updates the person; anyone sees the list, by unit,
// with the share of people holding no such post against the 40% aim;
// people are removed by their number in the list; bad input is explained
// and changes nothing; every change is in the history.
func TestExemplars(t *testing.T) {
	c := newRegCast(t)
	expect(t, c.say(c.group, c.hoa, "/dienhinh").Text, "Chưa có cá nhân điển hình tiên tiến nào được đề nghị năm 2026.",
		"Đầu mối đề nghị người của đơn vị mình: /exemplars rồi mỗi dòng <họ tên> | <chức vụ> | <thành tích>")

	m := c.say(c.group, c.lan, "/dienhinh\nNguyễn Thị Hoa | Chuyên viên Ban Phong trào | Hoàn thành xuất sắc công tác vận động quỹ\nTrần Văn Nam | Phó Chủ tịch Hội")
	expect(t, m.Text, "✅ Đã ghi 2 người của Hội Nông dân tỉnh (bởi Lan):\n"+
		"3.1. ★ Nguyễn Thị Hoa — Chuyên viên Ban Phong trào\n"+
		"    → không giữ chức vụ lãnh đạo, quản lý (theo chức vụ) · mới\n"+
		"    Hoàn thành xuất sắc công tác vận động quỹ\n"+
		"3.2. Trần Văn Nam — Phó Chủ tịch Hội\n"+
		"    → giữ chức vụ lãnh đạo, quản lý (theo chức vụ) · mới\n\n"+
		"Xếp loại chưa đúng? Gửi lại dòng của người đó, thêm ở cuối | lãnh đạo hoặc | không lãnh đạo.\n"+
		"Cả khối: 1/2 người không giữ chức vụ lãnh đạo, quản lý (50% — đạt mục tiêu 40%). Danh sách: /exemplars.")
	b := c.block()
	if es := b.Registration.Exemplars; len(es) != 2 || es[0].UnitID != b.Units[2].ID || es[0].Leader || !es[1].Leader ||
		es[0].Achievement != "Hoàn thành xuất sắc công tác vận động quỹ" || es[1].By.UserID != c.lan.ID {
		t.Fatalf("stored %+v", es)
	}

	// A manager nominates for any unit, with #số; so does an
	// administrator, whose mark holds over the position.
	expect(t, c.say(c.group, c.minh, "/exemplars #1\nLê Văn Bình | Chủ tịch Ủy ban MTTQ\nĐinh Thị Mai | Trưởng ban Dân tộc - Tôn giáo | Vận động đồng bào").Text,
		"✅ Đã ghi 2 người của Ủy ban MTTQ Việt Nam tỉnh (bởi Minh):\n1.1. Lê Văn Bình — Chủ tịch Ủy ban MTTQ\n",
		"1.2. Đinh Thị Mai — Trưởng ban Dân tộc - Tôn giáo\n    → giữ chức vụ lãnh đạo, quản lý (theo chức vụ) · mới",
		"Cả khối: 1/4 người không giữ chức vụ lãnh đạo, quản lý (25% — chưa đạt mục tiêu 40%: cần thêm 1 người không giữ chức vụ lãnh đạo, quản lý).")
	m = c.say(c.group, c.admin, "/dienhinh #6\nHoàng Thị Thu | Chủ tịch Công đoàn cơ sở | Tổ chức tốt phong trào | không lãnh đạo")
	expect(t, m.Text, "✅ Đã ghi 1 người của Tỉnh Đoàn (bởi Hùng):\n6.1. ★ Hoàng Thị Thu — Chủ tịch Công đoàn cơ sở\n"+
		"    → không giữ chức vụ lãnh đạo, quản lý (đã ghi rõ) · mới\n    Tổ chức tốt phong trào\n\n"+
		"Cả khối: 2/5 người không giữ chức vụ lãnh đạo, quản lý (40% — đạt mục tiêu 40%).")
	if strings.Contains(m.Text, "Xếp loại chưa đúng?") {
		t.Fatalf("a marked person is told how to mark them: %q", m.Text)
	}

	// The same name again, typed without diacritics too, updates the
	// person, who keeps their number and their name's diacritics; a mark
	// corrects the position's reading.
	m = c.say(c.group, c.lan, "/dienhinh\ntran van nam | Phó Chủ tịch Hội | Chỉ đạo phong trào nông dân sản xuất giỏi | không lãnh đạo\nNguyễn Thị Hoa | Chuyên viên Ban Phong trào | Hoàn thành xuất sắc công tác vận động quỹ\nVũ Thị Lan | Hội viên")
	expect(t, m.Text, "✅ Đã ghi 3 người của Hội Nông dân tỉnh (bởi Lan):\n"+
		"3.2. ★ Trần Văn Nam — Phó Chủ tịch Hội\n    → không giữ chức vụ lãnh đạo, quản lý (đã ghi rõ) · cập nhật\n    Chỉ đạo phong trào nông dân sản xuất giỏi\n"+
		"3.1. ★ Nguyễn Thị Hoa — Chuyên viên Ban Phong trào\n    → không giữ chức vụ lãnh đạo, quản lý (theo chức vụ) · không đổi\n",
		"3.3. ★ Vũ Thị Lan — Hội viên\n    → không giữ chức vụ lãnh đạo, quản lý (theo chức vụ) · mới",
		"Cả khối: 4/6 người không giữ chức vụ lãnh đạo, quản lý (67% — đạt mục tiêu 40%).")
	if got := c.nominees(3); !slices.Equal(got, []string{"Nguyễn Thị Hoa", "Trần Văn Nam", "Vũ Thị Lan"}) {
		t.Fatalf("Hội Nông dân tỉnh's nominees %q", got)
	}

	// Anyone sees the list, by unit in the block's order.
	list := c.say(c.group, c.hoa, "/dienhinh").Text
	expect(t, list, "🌟 CÁ NHÂN ĐIỂN HÌNH TIÊN TIẾN NĂM 2026\nKhối thi đua MTTQ và các đoàn thể tỉnh Lào Cai\n"+
		"6 người được đề nghị; 4/6 người không giữ chức vụ lãnh đạo, quản lý (67% — đạt mục tiêu 40%).\n\n"+
		"1. Ủy ban MTTQ Việt Nam tỉnh — 2 người\n1.1. Lê Văn Bình — Chủ tịch Ủy ban MTTQ\n1.2. Đinh Thị Mai — Trưởng ban Dân tộc - Tôn giáo\n    Vận động đồng bào\n\n"+
		"3. Hội Nông dân tỉnh — 3 người\n3.1. ★ Nguyễn Thị Hoa — Chuyên viên Ban Phong trào\n    Hoàn thành xuất sắc công tác vận động quỹ\n"+
		"3.2. ★ Trần Văn Nam — Phó Chủ tịch Hội\n    Chỉ đạo phong trào nông dân sản xuất giỏi\n3.3. ★ Vũ Thị Lan — Hội viên\n\n"+
		"6. Tỉnh Đoàn — 1 người\n6.1. ★ Hoàng Thị Thu — Chủ tịch Công đoàn cơ sở\n    Tổ chức tốt phong trào\n\n"+
		"Chưa đề nghị: Hội Cựu chiến binh tỉnh, Liên đoàn Lao động tỉnh, Hội Liên hiệp Phụ nữ tỉnh, Hội Chữ thập đỏ tỉnh.\n"+
		"★ không giữ chức vụ lãnh đạo, quản lý.\n\nĐầu mối đề nghị người của đơn vị mình:")

	// Bad input: what was wrong, on which line, the right form; nothing
	// changed.
	c.refused(c.lan, "/dienhinh\nNguyễn Văn An | Nông dân\nPhạm Thị Bé", "Dòng 2 («Phạm Thị Bé»): Thiếu chức vụ", "Chưa lưu dòng nào", "Cú pháp: /exemplars", "Ví dụ: /exemplars\nNguyễn Thị Hoa")
	c.refused(c.lan, "/dienhinh\n| Chuyên viên", "Họ tên phải bắt đầu bằng chữ cái", "Cú pháp: /exemplars")
	c.refused(c.lan, "/dienhinh\nNguyễn Văn 3 | Nông dân", "Họ tên phải bắt đầu bằng chữ cái, chỉ gồm chữ cái")
	c.refused(c.lan, "/dienhinh\nNguyễn Văn An |  | Nông dân giỏi", "Thiếu chức vụ")
	c.refused(c.lan, "/dienhinh\nNguyễn Văn An | lãnh đạo", "Thiếu chức vụ")
	c.refused(c.lan, "/dienhinh\nNguyễn Văn An | Nông dân\nLê Văn Chiến | Nông dân | Sản xuất giỏi | Xuất sắc", "Dòng 2 («Lê Văn Chiến | Nông dân | Sản xuất giỏi | Xuất sắc»): Dòng có quá nhiều phần")
	c.refused(c.lan, "/dienhinh\nNguyễn Văn An | Nông dân | "+strings.Repeat("ư", 301), "Thành tích dài tối đa 300 ký tự")
	c.refused(c.lan, "/dienhinh\nNguyễn Văn An | Nông dân\nnguyen van an | Hội viên", "Dòng 2 («nguyen van an | Hội viên»): Một người được ghi hai lần trong cùng tin nhắn.")
	c.refused(c.lan, "/dienhinh #1\nNguyễn Văn An | Nông dân", "chỉ đầu mối của đơn vị mới đề nghị hoặc bỏ cá nhân của đơn vị đó")
	c.refused(c.hoa, "/dienhinh\nNguyễn Văn An | Nông dân", "chưa là đầu mối")
	c.refused(c.admin, "/dienhinh\nNguyễn Văn An | Nông dân", "Bạn không là đầu mối của đơn vị nào", "/exemplars #6 …")
	c.refused(c.admin, "/dienhinh #9\nNguyễn Văn An | Nông dân", "Sau dấu # là số thứ tự của đơn vị trong /units (từ 1 đến 7).")
	c.refused(c.minh, "/dienhinh #3", "Ghi mỗi người một dòng sau lệnh")
	c.refused(c.lan, "/dienhinh xoá 1.1", "chỉ đầu mối của đơn vị mới đề nghị hoặc bỏ cá nhân của đơn vị đó")
	c.refused(c.hoa, "/dienhinh xoá 3.1", "chỉ đầu mối của đơn vị mới đề nghị hoặc bỏ cá nhân của đơn vị đó")
	c.refused(c.lan, "/dienhinh xoá 3.9", "Hội Nông dân tỉnh không có người số 9: đơn vị đề nghị 3 người.")
	c.refused(c.lan, "/dienhinh xoá 4", "Hội Nông dân tỉnh không có người số 4")
	c.refused(c.minh, "/dienhinh xoá 2.1", "Hội Cựu chiến binh tỉnh không có người số 1: đơn vị đề nghị 0 người.")
	c.refused(c.lan, "/dienhinh xoá 9.1", "Không có đơn vị số «9»: số trước dấu chấm là số thứ tự của đơn vị trong /units (từ 1 đến 7).", "Cú pháp: /exemplars")
	c.refused(c.lan, "/dienhinh xoá", "Bỏ một người: /exemplars xoá <số>")
	c.refused(c.lan, "/dienhinh xoá Nguyễn Thị Hoa", "Bỏ một người: /exemplars xoá <số>")
	c.refused(c.lan, "/dienhinh #3 xoá 3.1", "Bỏ một người: /exemplars xoá <số>")
	c.refused(c.admin, "/dienhinh xoá 2", "Bạn không là đầu mối của đơn vị nào")

	// Removed by the number in the list: a representative of their own
	// unit by its number there, a manager any unit's. The answer names
	// those who move up a number.
	expect(t, c.say(c.group, c.lan, "/dienhinh xoá 1").Text,
		"🗑 Đã bỏ Nguyễn Thị Hoa (Chuyên viên Ban Phong trào) khỏi danh sách cá nhân điển hình tiên tiến của Hội Nông dân tỉnh (bởi Lan).\n"+
			"Số thứ tự mới của những người xếp sau: 3.1 Trần Văn Nam, 3.2 Vũ Thị Lan.\n"+
			"Cả khối: 3/5 người không giữ chức vụ lãnh đạo, quản lý (60% — đạt mục tiêu 40%).")
	expect(t, c.say(c.group, c.minh, "/exemplars remove 1.2").Text, "🗑 Đã bỏ Đinh Thị Mai (Trưởng ban Dân tộc - Tôn giáo) khỏi danh sách cá nhân điển hình tiên tiến của Ủy ban MTTQ Việt Nam tỉnh (bởi Minh).")
	expect(t, c.say(c.group, c.admin, "/dienhinh #3 xóa 2").Text, "🗑 Đã bỏ Vũ Thị Lan (Hội viên)")
	if got := c.nominees(3); !slices.Equal(got, []string{"Trần Văn Nam"}) {
		t.Fatalf("Hội Nông dân tỉnh's nominees %q", got)
	}
	expect(t, c.say(c.group, c.hoa, "/dienhinh").Text, "3 người được đề nghị; 2/3 người không giữ chức vụ lãnh đạo, quản lý (67% — đạt mục tiêu 40%).",
		"3. Hội Nông dân tỉnh — 1 người\n3.1. ★ Trần Văn Nam — Phó Chủ tịch Hội")

	expect(t, c.say(c.group, c.hoa, "/lichsu 12").Text,
		"Lan: đề nghị cá nhân điển hình tiên tiến [Hội Nông dân tỉnh]: «Nguyễn Thị Hoa | Chuyên viên Ban Phong trào | Hoàn thành xuất sắc công tác vận động quỹ | không lãnh đạo»",
		"Lan: đề nghị cá nhân điển hình tiên tiến [Hội Nông dân tỉnh]: «Trần Văn Nam | Phó Chủ tịch Hội | lãnh đạo»",
		"Minh: đề nghị cá nhân điển hình tiên tiến [Ủy ban MTTQ Việt Nam tỉnh]: «Lê Văn Bình | Chủ tịch Ủy ban MTTQ | lãnh đạo»",
		"Hùng (quản trị viên): đề nghị cá nhân điển hình tiên tiến [Tỉnh Đoàn]: «Hoàng Thị Thu | Chủ tịch Công đoàn cơ sở | Tổ chức tốt phong trào | không lãnh đạo»",
		"Lan: sửa cá nhân điển hình tiên tiến [Hội Nông dân tỉnh]: «Trần Văn Nam | Phó Chủ tịch Hội | lãnh đạo» → «Trần Văn Nam | Phó Chủ tịch Hội | Chỉ đạo phong trào nông dân sản xuất giỏi | không lãnh đạo»",
		"Lan: bỏ cá nhân điển hình tiên tiến [Hội Nông dân tỉnh]: «Nguyễn Thị Hoa | Chuyên viên Ban Phong trào | Hoàn thành xuất sắc công tác vận động quỹ | không lãnh đạo»",
		"Hùng (quản trị viên): bỏ cá nhân điển hình tiên tiến [Hội Nông dân tỉnh]: «Vũ Thị Lan | Hội viên | không lãnh đạo»")
	if h := strings.Join(c.history(t), " "); strings.Count(h, "exemplar.update") != 1 {
		t.Fatalf("an unchanged person was recorded as updated: %s", h)
	}

	// A unit removed from the block takes its people with it, in the
	// history too.
	ask := c.say(c.group, c.admin, "/removeunit 6")
	expect(t, ask.Text, "1 cá nhân điển hình được đề nghị.")
	c.press(c.group, c.admin, ask, buttonData(t, ask, "ru:"))
	if got := c.nominees(5); got != nil {
		t.Fatalf("the removed unit's people stayed: %q", got)
	}
	expect(t, c.say(c.group, c.hoa, "/lichsu 4").Text,
		"Hùng (quản trị viên): bỏ cá nhân điển hình tiên tiến [Tỉnh Đoàn]: «Hoàng Thị Thu | Chủ tịch Công đoàn cơ sở | Tổ chức tốt phong trào | không lãnh đạo»")
	expect(t, c.say(c.group, c.hoa, "/dienhinh").Text, "2 người được đề nghị; 1/2 người không giữ chức vụ lãnh đạo, quản lý (50% — đạt mục tiêu 40%).")
	c.noApology()
}

// A nomination answered, then delivered again after a crash, is not
// recorded twice.
func TestExemplarsRedelivered(t *testing.T) {
	c := newRegCast(t)
	c.redeliveredOnce(c.lan, "/dienhinh\nNguyễn Thị Hoa | Chuyên viên")
	if es := c.block().Registration.Exemplars; len(es) != 1 {
		t.Fatalf("redelivered: nominations %+v", es)
	}
}

// A long list is sent in parts Telegram takes, at line ends, each person
// whole in one part, the achievements shortened; the share below the aim
// says how many more people holding no leadership post it would take.
func TestExemplarsLongList(t *testing.T) {
	c := newRegCast(t)
	long := strings.Repeat("Vận động xây nhà đại đoàn kết cho hộ nghèo, ", 7)[:280]
	for unit := 1; unit <= 7; unit++ {
		var lines []string
		for i := range 12 {
			position := "Phó Chủ tịch Hội"
			if i%4 == 0 {
				position = "Chuyên viên Văn phòng"
			}
			lines = append(lines, fmt.Sprintf("Nguyễn Văn %s %s | %s | %s", strings.Repeat("A", unit), strings.Repeat("B", i+1), position, long))
		}
		c.say(c.group, c.admin, fmt.Sprintf("/dienhinh #%d\n%s", unit, strings.Join(lines, "\n")))
		if n := len(c.nominees(unit)); n != 12 {
			t.Fatalf("unit %d nominates %d people", unit, n)
		}
	}
	before := len(c.tg.Messages(c.group.ID))
	c.say(c.group, c.hoa, "/dienhinh")
	parts := c.tg.Messages(c.group.ID)[before:]
	if len(parts) < 3 {
		t.Fatalf("the list of 84 people in %d messages", len(parts))
	}
	whole := ""
	for _, p := range parts {
		if n := len(utf16.Encode([]rune(p.Text))); n > 4096 {
			t.Fatalf("a part of %d characters", n)
		}
		whole += p.Text + "\n"
	}
	expect(t, whole, "84 người được đề nghị; 21/84 người không giữ chức vụ lãnh đạo, quản lý (25% — chưa đạt mục tiêu 40%: cần thêm 21 người không giữ chức vụ lãnh đạo, quản lý).",
		"7. Hội Chữ thập đỏ tỉnh — 12 người\n7.1. ★ Nguyễn Văn AAAAAAA B — Chuyên viên Văn phòng\n", "7.12. Nguyễn Văn AAAAAAA BBBBBBBBBBBB — Phó Chủ tịch Hội")
	for _, p := range parts {
		if strings.HasPrefix(p.Text, "    ") {
			t.Fatalf("a part starts within a person: %q", p.Text[:40])
		}
	}
	if strings.Contains(whole, long) || !strings.Contains(whole, long[:60]) {
		t.Fatal("the achievements are not shortened in the list")
	}
	c.noApology()
}

// The nominations belong to the year: /newyear starts the next without
// them; the finished year's are seen with /exemplars 2026 and exported
// with it.
func TestExemplarsCloseWithTheYear(t *testing.T) {
	c := newRegCast(t)
	c.say(c.group, c.lan, "/dienhinh\nNguyễn Thị Hoa | Chuyên viên Ban Phong trào | Vận động quỹ")
	c.now = time.Date(2026, 12, 1, 9, 0, 0, 0, hcm)
	ask := c.say(c.group, c.admin, "/newyear")
	expect(t, ask.Text, "đề nghị khen thưởng, cá nhân điển hình tiên tiến, các cuộc bầu", "cá nhân điển hình: /exemplars 2026")
	c.press(c.group, c.admin, ask, button(t, ask, "✅ Sang năm 2027"))
	expect(t, c.message(ask.ID).Text, "đã sang năm thi đua 2027", "cá nhân điển hình: /exemplars 2026")

	if es := c.block().Registration.Exemplars; len(es) != 0 {
		t.Fatalf("the nominations of 2026 stayed: %+v", es)
	}
	expect(t, c.say(c.group, c.hoa, "/dienhinh").Text, "Chưa có cá nhân điển hình tiên tiến nào được đề nghị năm 2027.")
	past := c.say(c.group, c.hoa, "/dienhinh 2026").Text
	expect(t, past, "🌟 CÁ NHÂN ĐIỂN HÌNH TIÊN TIẾN NĂM 2026", "3.1. ★ Nguyễn Thị Hoa — Chuyên viên Ban Phong trào\n    Vận động quỹ")
	if strings.Contains(past, "Đầu mối đề nghị") || strings.Contains(past, "Chưa đề nghị") {
		t.Fatalf("the finished year's list tells how to nominate: %q", past)
	}
	expect(t, c.say(c.group, c.hoa, "/dienhinh 2025").Text, "Khối không có số liệu năm 2025")
	c.say(c.group, c.hoa, "/export 2026")
	if rows := c.lastCSV("ca-nhan-dien-hinh.csv"); !hasRow(rows, "1", "Hội Nông dân tỉnh", `="3.1"`, "Nguyễn Thị Hoa", "Chuyên viên Ban Phong trào", "Không", "chức vụ", "Vận động quỹ", "Lan", "2026-03-02 09:00") {
		t.Fatalf("the export of 2026 lacks the nomination:\n%q", rows)
	}
	c.noApology()
}

// The export has a sheet of the nominations, in the list's order, with
// whether each person holds a leadership or management post and how that
// was decided, and the share against the aim.
func TestExemplarsExport(t *testing.T) {
	c := newRegCast(t)
	c.say(c.group, c.minh, "/dienhinh\nĐỗ Văn Hùng | Bí thư Tỉnh Đoàn\nLò Thị Xuân | Đoàn viên | Tình nguyện viên tiêu biểu | lãnh đạo")
	c.say(c.group, c.lan, "/dienhinh\nNguyễn Thị Hoa | Chuyên viên Ban Phong trào | =HYPERLINK(\"http://x\")")
	c.say(c.group, c.hoa, "/export")
	rows := c.lastCSV("ca-nhan-dien-hinh.csv")
	want := [][]string{
		{"STT", "Đơn vị", "Số", "Họ và tên", "Chức vụ", "Giữ chức vụ lãnh đạo, quản lý", "Xếp loại theo", "Thành tích", "Người ghi", "Thời gian ghi"},
		{"1", "Hội Nông dân tỉnh", `="3.1"`, "Nguyễn Thị Hoa", "Chuyên viên Ban Phong trào", "Không", "chức vụ", `'=HYPERLINK("http://x")`, "Lan", "2026-03-02 09:00"},
		{"2", "Tỉnh Đoàn", `="6.1"`, "Đỗ Văn Hùng", "Bí thư Tỉnh Đoàn", "Có", "chức vụ", "", "Minh", "2026-03-02 09:00"},
		{"3", "Tỉnh Đoàn", `="6.2"`, "Lò Thị Xuân", "Đoàn viên", "Có", "ghi rõ", "Tình nguyện viên tiêu biểu", "Minh", "2026-03-02 09:00"},
		{"", "Tổng cộng", "", "3 người", "", "", "", "1/3 người không giữ chức vụ lãnh đạo, quản lý (33% — chưa đạt mục tiêu 40%: cần thêm 1 người không giữ chức vụ lãnh đạo, quản lý)", "", ""},
	}
	if !slices.EqualFunc(rows, want, slices.Equal) {
		t.Fatalf("ca-nhan-dien-hinh.csv:\n%q\nwant\n%q", rows, want)
	}
	msgs := c.tg.Messages(c.group.ID)
	f := openWorkbook(t, msgs[len(msgs)-2].Document.Data)
	if got := cells(t, f, "Cá nhân điển hình", 2); got[3] != "Họ và tên" || got[5] != "Giữ chức vụ lãnh đạo, quản lý" {
		t.Fatalf("header %q", got)
	}
	findRow(t, f, "Cá nhân điển hình", "2", "Tỉnh Đoàn", "6.1", "Đỗ Văn Hùng", "Bí thư Tỉnh Đoàn", "Có")
	if formula, _ := f.GetCellFormula("Cá nhân điển hình", "H3"); formula != "" {
		t.Fatalf("an achievement became a formula: %q", formula)
	}
	c.noApology()
}

// The nominations in English: the confirmation, the list and the history
// in the reader's language, the names and positions as typed.
func TestExemplarsInEnglish(t *testing.T) {
	c := newRegCast(t)
	john := englishAdmin(c.harness)
	expect(t, c.say(c.group, john, "/exemplars #3\nNguyễn Thị Hoa | Chuyên viên Ban Phong trào\nTrần Văn Nam | Phó Chủ tịch Hội | Chỉ đạo sản xuất | not leader").Text,
		"✅ Recorded 2 people of Hội Nông dân tỉnh (by John):\n3.1. ★ Nguyễn Thị Hoa — Chuyên viên Ban Phong trào\n"+
			"    → holds no leadership or management post (from the position) · new\n"+
			"3.2. ★ Trần Văn Nam — Phó Chủ tịch Hội\n    → holds no leadership or management post (as marked) · new\n",
		"Classified wrongly? Send the person's line again ending with | leader or | not leader.\n"+
			"The block: 2/2 not holding a leadership or management post (100% — the 40% aim is met). The list: /exemplars.")
	expect(t, c.say(c.group, john, "/exemplars #3\nLê Văn An | Giám đốc HTX").Text, "✅ Recorded 1 person of Hội Nông dân tỉnh (by John):",
		"→ holds a leadership or management post (from the position) · new")
	expect(t, c.say(c.group, john, "/exemplars #6\nĐỗ Văn Hùng | Bí thư\nLò Văn Sáng | Phó Bí thư").Text,
		"The block: 2/5 not holding a leadership or management post (40% — the 40% aim is met).")
	expect(t, c.say(c.group, john, "/exemplars #6\nHà Văn Tú | Ủy viên Ban Thường vụ").Text,
		"The block: 2/6 not holding a leadership or management post (33% — short of the 40% aim: 1 more person without one would reach it).")
	expect(t, c.say(c.group, john, "/exemplars").Text, "🌟 OUTSTANDING INDIVIDUALS 2026", "6 people nominated; 2/6 not holding",
		"3. Hội Nông dân tỉnh — 3 people\n3.1. ★ Nguyễn Thị Hoa", "6. Tỉnh Đoàn — 3 people", "Not nominated yet: Ủy ban MTTQ Việt Nam tỉnh,",
		"★ holds no leadership or management post.")
	expect(t, c.say(c.group, john, "/exemplars remove 3.3").Text, "🗑 Removed Lê Văn An (Giám đốc HTX) from the outstanding individuals of Hội Nông dân tỉnh (by John).")
	expect(t, c.say(c.group, john, "/exemplars #3 remove 9").Text, "Hội Nông dân tỉnh has no person 9: it nominates 2 people.")
	expect(t, c.say(c.group, john, "/history 3").Text, "John (administrator): removed an outstanding individual [Hội Nông dân tỉnh]: «Lê Văn An | Giám đốc HTX | leader»",
		"John (administrator): nominated an outstanding individual [Tỉnh Đoàn]: «Hà Văn Tú | Ủy viên Ban Thường vụ | leader»")
	expect(t, c.say(c.group, john, "/history 8").Text, "«Trần Văn Nam | Phó Chủ tịch Hội | Chỉ đạo sản xuất | not leader»")
	c.noApology()
}

// Lines copied from a document or a table are read as typed by hand: a
// line ended with a | after its achievement or its mark, as after its
// position, is the line without it, not one with too many parts; a bullet
// that became an en dash («– », as a word processor makes of «- ») is
// dropped as «- » is.
func TestExemplarLinesCopiedFromDocuments(t *testing.T) {
	c := newRegCast(t)
	expect(t, c.say(c.group, c.lan, "/dienhinh\nNguyễn Thị Hoa | Chuyên viên Ban Phong trào | Vận động quỹ |\nTrần Văn Nam | Phó Chủ tịch Hội | Chỉ đạo sản xuất | không lãnh đạo |").Text,
		"✅ Đã ghi 2 người của Hội Nông dân tỉnh (bởi Lan):\n3.1. ★ Nguyễn Thị Hoa — Chuyên viên Ban Phong trào\n"+
			"    → không giữ chức vụ lãnh đạo, quản lý (theo chức vụ) · mới\n    Vận động quỹ\n"+
			"3.2. ★ Trần Văn Nam — Phó Chủ tịch Hội\n    → không giữ chức vụ lãnh đạo, quản lý (đã ghi rõ) · mới\n    Chỉ đạo sản xuất\n")
	expect(t, c.say(c.group, c.lan, "/dienhinh\n– Lê Thị Mai | Chuyên viên\n– Vũ Văn Bình | Phó Chủ tịch Hội").Text,
		"✅ Đã ghi 2 người của Hội Nông dân tỉnh (bởi Lan):\n3.3. ★ Lê Thị Mai — Chuyên viên\n", "3.4. Vũ Văn Bình — Phó Chủ tịch Hội\n")
	if got := c.nominees(3); !slices.Equal(got, []string{"Nguyễn Thị Hoa", "Trần Văn Nam", "Lê Thị Mai", "Vũ Văn Bình"}) {
		t.Fatalf("Hội Nông dân tỉnh's nominees %q", got)
	}
	c.noApology()
}

// Names that differ only in their diacritics are different people:
// «Nguyễn Thị Thu» and «Nguyễn Thị Thư» are both nominated, in one message
// or two, neither taking the other's place; a name typed without
// diacritics still updates the person so named, keeping the spelling.
func TestExemplarNamesDifferingInDiacriticsAreTwoPeople(t *testing.T) {
	c := newRegCast(t)
	expect(t, c.say(c.group, c.lan, "/dienhinh\nNguyễn Thị Thu | Chuyên viên\nNguyễn Thị Thư | Kế toán").Text,
		"✅ Đã ghi 2 người của Hội Nông dân tỉnh (bởi Lan):\n3.1. ★ Nguyễn Thị Thu — Chuyên viên\n", "3.2. ★ Nguyễn Thị Thư — Kế toán\n")
	expect(t, c.say(c.group, c.lan, "/dienhinh\nNguyễn Thị Hoa | Chuyên viên").Text, "3.3. ★ Nguyễn Thị Hoa — Chuyên viên\n    → không giữ chức vụ lãnh đạo, quản lý (theo chức vụ) · mới")
	expect(t, c.say(c.group, c.lan, "/dienhinh\nNguyễn Thị Hòa | Phó Chủ tịch Hội").Text, "3.4. Nguyễn Thị Hòa — Phó Chủ tịch Hội\n    → giữ chức vụ lãnh đạo, quản lý (theo chức vụ) · mới")
	expect(t, c.say(c.group, c.lan, "/dienhinh\nnguyen thi hoa | Chuyên viên Ban Phong trào").Text, "3.3. ★ Nguyễn Thị Hoa — Chuyên viên Ban Phong trào\n    → không giữ chức vụ lãnh đạo, quản lý (theo chức vụ) · cập nhật")
	expect(t, c.say(c.group, c.lan, "/dienhinh\nNguyễn Thị Thư | Kế toán trưởng").Text, "3.2. ★ Nguyễn Thị Thư — Kế toán trưởng\n    → không giữ chức vụ lãnh đạo, quản lý (theo chức vụ) · cập nhật")
	if got := c.nominees(3); !slices.Equal(got, []string{"Nguyễn Thị Thu", "Nguyễn Thị Thư", "Nguyễn Thị Hoa", "Nguyễn Thị Hòa"}) {
		t.Fatalf("Hội Nông dân tỉnh's nominees %q", got)
	}
	c.refused(c.lan, "/dienhinh\nNguyễn Văn An | Nông dân\nnguyen van an | Hội viên", "Dòng 2 («nguyen van an | Hội viên»): Một người được ghi hai lần trong cùng tin nhắn.")
	c.noApology()
}

// The number of a person in the list, «3.2» or «3.10», is text that a
// spreadsheet opening the CSV file would read as a date or a decimal
// number (3.10 as 3,1): the file writes it as the formula ="3.10", which
// Excel, LibreOffice and Google Sheets keep as the text 3.10, the one
// formula the export writes (for text of only a number or a date too),
// made of digits and the signs of numbers and dates only; text the users
// typed stays defused. The workbook has it as text.
func TestExportKeepsTheNumbersOfPeopleAsText(t *testing.T) {
	c := newRegCast(t)
	var lines []string
	for i := range 10 {
		lines = append(lines, "Người Số "+string(rune('A'+i))+" | Hội viên")
	}
	lines[9] = "Người Số J | -Hội viên | =HYPERLINK(\"http://x\")"
	expect(t, c.say(c.group, c.lan, "/dienhinh\n"+strings.Join(lines, "\n")).Text, "✅ Đã ghi 10 người")
	c.say(c.group, c.hoa, "/export")
	msgs := c.tg.Messages(c.group.ID)
	body := string(csvFiles(t, msgs[len(msgs)-1].Document.Data)["ca-nhan-dien-hinh.csv"])
	for _, want := range []string{
		"\r\n1,Hội Nông dân tỉnh,\"=\"\"3.1\"\"\",Người Số A,Hội viên,Không,chức vụ,,Lan,2026-03-02 09:00\r\n",
		"\r\n10,Hội Nông dân tỉnh,\"=\"\"3.10\"\"\",Người Số J,'-Hội viên,Không,chức vụ,\"'=HYPERLINK(\"\"http://x\"\")\",Lan,2026-03-02 09:00\r\n",
		"\r\n,Tổng cộng,,10 người,",
	} {
		if !strings.Contains(body, want) {
			t.Fatalf("ca-nhan-dien-hinh.csv:\n%s\nlacks\n%q", body, want)
		}
	}
	f := openWorkbook(t, msgs[len(msgs)-2].Document.Data)
	findRow(t, f, "Cá nhân điển hình", "10", "Hội Nông dân tỉnh", "3.10", "Người Số J")
	if typ, err := f.GetCellType("Cá nhân điển hình", "C12"); err != nil || typ != excelize.CellTypeSharedString {
		t.Fatalf("the workbook's number 3.10 is of type %v, %v", typ, err)
	}
	c.noApology()
}

// A grass-roots post, one heading or deputising a youth union cell, an
// association's branch, a team or a village (Bí thư Chi đoàn, Chi hội
// trưởng, Tổ trưởng, Trưởng thôn, Trưởng bản), is not a leadership or
// management post at the unit (seed 001: «người không giữ chức vụ lãnh
// đạo, quản lý ở cơ quan, đơn vị»), which blocks usually hold to, but some
// count it: the reading says it is uncertain, marks the person ⚠️ in the
// answer and the list, and gives the lines to send, with the person's
// achievement, to count them otherwise. A mark settles it.
func TestExemplarsGrassRootsPostsAreUncertain(t *testing.T) {
	c := newRegCast(t)
	m := c.say(c.group, c.lan, "/dienhinh\nLê Văn Cường | Trưởng thôn Bản Phố | Hoà giải thành 12 vụ việc\nBùi Thị Hà | Bí thư Chi đoàn\n"+
		"Lò Thị Mai | Tổ trưởng tổ phụ nữ\nNông Văn Sáng | Chi hội trưởng Chi hội nông dân thôn Làng Mới\n"+
		"Vàng Thị Mai | Chủ tịch Hội Nông dân xã Bản Lầu\nHà Văn Khánh | Hội viên Chi hội thôn Nà Lang")
	expect(t, m.Text,
		"3.1. ★ Lê Văn Cường — Trưởng thôn Bản Phố ⚠️\n    → không giữ chức vụ lãnh đạo, quản lý (theo chức vụ, chưa chắc) · mới\n    Hoà giải thành 12 vụ việc\n",
		"3.2. ★ Bùi Thị Hà — Bí thư Chi đoàn ⚠️\n    → không giữ chức vụ lãnh đạo, quản lý (theo chức vụ, chưa chắc) · mới\n",
		"3.3. ★ Lò Thị Mai — Tổ trưởng tổ phụ nữ ⚠️\n", "3.4. ★ Nông Văn Sáng — Chi hội trưởng Chi hội nông dân thôn Làng Mới ⚠️\n",
		"3.5. Vàng Thị Mai — Chủ tịch Hội Nông dân xã Bản Lầu\n    → giữ chức vụ lãnh đạo, quản lý (theo chức vụ) · mới\n",
		"3.6. ★ Hà Văn Khánh — Hội viên Chi hội thôn Nà Lang\n    → không giữ chức vụ lãnh đạo, quản lý (theo chức vụ) · mới\n",
		"⚠️ Chưa chắc: chức vụ ở cơ sở (chi đoàn, chi hội, tổ, thôn, bản…) thường không được tính là chức vụ lãnh đạo, quản lý ở cơ quan, đơn vị, nhưng có khối tính khác. "+
			"Nếu khối tính là lãnh đạo, quản lý, gửi lại (bỏ bớt người không cần sửa):\n"+
			"/exemplars\nLê Văn Cường | Trưởng thôn Bản Phố | Hoà giải thành 12 vụ việc | lãnh đạo\nBùi Thị Hà | Bí thư Chi đoàn | | lãnh đạo\n"+
			"Lò Thị Mai | Tổ trưởng tổ phụ nữ | | lãnh đạo\nNông Văn Sáng | Chi hội trưởng Chi hội nông dân thôn Làng Mới | | lãnh đạo\n",
		"Cả khối: 5/6 người không giữ chức vụ lãnh đạo, quản lý")
	if strings.Contains(m.Text, "Xếp loại chưa đúng?") {
		t.Fatalf("the answer gives both hints:\n%s", m.Text)
	}
	list := c.say(c.group, c.hoa, "/dienhinh").Text
	expect(t, list, "3.2. ★ Bùi Thị Hà — Bí thư Chi đoàn ⚠️\n", "3.5. Vàng Thị Mai — Chủ tịch Hội Nông dân xã Bản Lầu\n",
		"★ không giữ chức vụ lãnh đạo, quản lý.\n⚠️ chức vụ ở cơ sở: xếp theo chức vụ, chưa chắc. Nếu khối tính khác, gửi lại dòng của người đó (cả thành tích), thêm ở cuối | lãnh đạo hoặc | không lãnh đạo.")

	// The block counts Bí thư Chi đoàn: the mark settles it.
	m = c.say(c.group, c.lan, "/dienhinh\nBùi Thị Hà | Bí thư Chi đoàn | | lãnh đạo")
	expect(t, m.Text, "3.2. Bùi Thị Hà — Bí thư Chi đoàn\n    → giữ chức vụ lãnh đạo, quản lý (đã ghi rõ) · cập nhật", "Cả khối: 4/6 người")
	if strings.Contains(m.Text, "⚠️") {
		t.Fatalf("a marked person is uncertain:\n%s", m.Text)
	}
	if list := c.say(c.group, c.hoa, "/dienhinh").Text; !strings.Contains(list, "3.2. Bùi Thị Hà — Bí thư Chi đoàn\n") {
		t.Fatalf("the list still marks the settled person:\n%s", list)
	}
	// A mark that confirms the reading settles it too, which the history
	// tells.
	expect(t, c.say(c.group, c.lan, "/dienhinh\nLò Thị Mai | Tổ trưởng tổ phụ nữ | | không lãnh đạo").Text,
		"3.3. ★ Lò Thị Mai — Tổ trưởng tổ phụ nữ\n    → không giữ chức vụ lãnh đạo, quản lý (đã ghi rõ) · cập nhật", "Cả khối: 4/6 người")
	expect(t, c.say(c.group, c.hoa, "/lichsu 3").Text,
		"Lan: sửa cá nhân điển hình tiên tiến [Hội Nông dân tỉnh]: «Lò Thị Mai | Tổ trưởng tổ phụ nữ | không lãnh đạo (theo chức vụ)» → «Lò Thị Mai | Tổ trưởng tổ phụ nữ | không lãnh đạo (ghi rõ)»")
	// A manager acting for the unit is given the command with its number;
	// in English.
	john := englishAdmin(c.harness)
	expect(t, c.say(c.group, john, "/exemplars #3\nĐào Văn Tư | Phó trưởng bản Nậm Cang").Text,
		"3.7. ★ Đào Văn Tư — Phó trưởng bản Nậm Cang ⚠️\n    → holds no leadership or management post (from the position, uncertain) · new",
		"⚠️ Uncertain: a grass-roots post (of a youth union cell, an association's branch, a team, a village…) usually does not count as a leadership or management post at the unit, though some blocks count it. "+
			"If the block counts it as one, send again (leaving out those to keep):\n/exemplars #3\nĐào Văn Tư | Phó trưởng bản Nậm Cang | | leader")
	c.say(c.group, c.hoa, "/export")
	rows := c.lastCSV("ca-nhan-dien-hinh.csv")
	if !hasRow(rows, "1", "Hội Nông dân tỉnh", `="3.1"`, "Lê Văn Cường", "Trưởng thôn Bản Phố", "Không", "chức vụ, chưa chắc", "Hoà giải thành 12 vụ việc", "Lan", "2026-03-02 09:00") ||
		!hasRow(rows, "2", "Hội Nông dân tỉnh", `="3.2"`, "Bùi Thị Hà", "Bí thư Chi đoàn", "Có", "ghi rõ", "", "Lan", "2026-03-02 09:00") {
		t.Fatalf("ca-nhan-dien-hinh.csv:\n%q", rows)
	}
	c.noApology()
}

// A school or a street named after someone («Trường Tô Hiệu», «phố Tô
// Hiệu») is no grass-roots organisation, though «Trường», «phố» and «Tô»
// fold as «trưởng», «phó» and «tổ» do: its principal or director holds a
// leadership post, read with certainty, and its teacher none.
func TestExemplarsSchoolNamedAfterSomeoneIsNoGrassRootsPost(t *testing.T) {
	c := newRegCast(t)
	m := c.say(c.group, c.lan, "/dienhinh\nNguyễn Văn An | Hiệu trưởng Trường Tô Hiệu\nLê Thị Bình | Giáo viên Trường Tô Hiệu\n"+
		"Trần Văn Cường | Giám đốc Chi nhánh phố Tô Hiệu")
	expect(t, m.Text,
		"3.1. Nguyễn Văn An — Hiệu trưởng Trường Tô Hiệu\n    → giữ chức vụ lãnh đạo, quản lý (theo chức vụ) · mới\n",
		"3.2. ★ Lê Thị Bình — Giáo viên Trường Tô Hiệu\n    → không giữ chức vụ lãnh đạo, quản lý (theo chức vụ) · mới\n",
		"3.3. Trần Văn Cường — Giám đốc Chi nhánh phố Tô Hiệu\n    → giữ chức vụ lãnh đạo, quản lý (theo chức vụ) · mới\n",
		"Cả khối: 1/3 người không giữ chức vụ lãnh đạo, quản lý")
	if strings.Contains(m.Text, "⚠️") {
		t.Fatalf("read as uncertain:\n%s", m.Text)
	}
	c.noApology()
}
