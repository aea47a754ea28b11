package handlers_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"thiduabot/storage"
	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// regCast is the Lào Cai block of seed 001 with Lan representing Hội Nông
// dân tỉnh (unit 3, who started the bot in private), Minh representing Tỉnh
// Đoàn (unit 6, the leader unit), and Hoa, a member who represents no unit.
type regCast struct {
	*harness
	lan, minh, hoa *telegramtest.User
}

func newRegCast(t *testing.T) *regCast {
	t.Helper()
	h := newHarness(t)
	h.setUp()
	c := &regCast{harness: h, lan: h.member("Lan", ""), minh: h.member("Minh", "minh_td"), hoa: h.member("Hoa", "hoa")}
	h.handled(h.tg.SendPrivate(c.lan, "/start"))
	h.join(c.lan, "Hội Nông dân tỉnh")
	h.join(c.minh, "Tỉnh Đoàn")
	h.say(h.group, h.admin, "/leader Tỉnh Đoàn")
	return c
}

// open opens registration as the administrator.
func (c *regCast) open() {
	c.t.Helper()
	expect(c.t, c.say(c.group, c.admin, "/openreg").Text, "Đã mở đăng ký thi đua năm 2026")
}

// unit returns the registration of the unit with this number in /units.
func (c *regCast) unit(n int) thidua.UnitRegistration {
	c.t.Helper()
	b := c.block()
	return b.RegistrationOf(b.Units[n-1].ID)
}

// titles lists the titles of the unit's pledges.
func (c *regCast) titles(n int) []string {
	var out []string
	for _, p := range c.unit(n).Pledges {
		out = append(out, p.Title)
	}
	return out
}

// unchanged runs fn and fails if it changed the block.
func (c *regCast) unchanged(fn func()) {
	c.t.Helper()
	before := c.block().Version
	fn()
	if after := c.block().Version; after != before {
		c.t.Fatalf("the block changed: version %d -> %d", before, after)
	}
}

// refused sends text as user and expects an answer containing want, with
// the block unchanged.
func (c *regCast) refused(user *telegramtest.User, text string, want ...string) telegramtest.Message {
	c.t.Helper()
	var m telegramtest.Message
	c.unchanged(func() { m = c.say(c.group, user, text) })
	expect(c.t, m.Text, want...)
	return m
}

// noApology fails if the bot apologised for a failure in the group.
func (c *regCast) noApology() {
	c.t.Helper()
	for _, m := range c.tg.Messages(c.group.ID) {
		if strings.Contains(m.Text, "đã có lỗi khi xử lý") {
			c.t.Fatalf("the bot failed: %q", m.Text)
		}
	}
}

// message returns the bot's group message with this id, as it is now.
func (c *regCast) message(id int) telegramtest.Message {
	c.t.Helper()
	msgs := c.tg.Messages(c.group.ID)
	i := slices.IndexFunc(msgs, func(m telegramtest.Message) bool { return m.ID == id })
	if i < 0 {
		c.t.Fatalf("no message %d", id)
	}
	return msgs[i]
}

// lastIn returns the bot's last message in the chat.
func (c *regCast) lastIn(chatID int64) telegramtest.Message {
	m, _ := c.tg.LastMessage(chatID)
	return m
}

func TestPledgeAddListEditDelete(t *testing.T) {
	c := newRegCast(t)
	c.open()
	m := c.say(c.group, c.lan, "/dangky Vận động xây 50 nhà đại đoàn kết | 50 nhà\n"+
		"Phát triển hội viên mới | 1.200 hội viên | 31/10/2026\n\n"+
		"Tỷ lệ hộ đạt chuẩn | 40 %\n"+
		"Giá trị sản xuất | 25,3 tỷ đồng | 15/12\n"+
		"Phong trào thi đua | hoàn thành xuất sắc")
	expect(t, m.Text, "✅ Đã ghi 5 nội dung đăng ký thi đua của Hội Nông dân tỉnh",
		"1. Vận động xây 50 nhà đại đoàn kết — chỉ tiêu: 50 nhà — hạn 30/11/2026",
		"2. Phát triển hội viên mới — chỉ tiêu: 1.200 hội viên — hạn 31/10/2026",
		"3. Tỷ lệ hộ đạt chuẩn — chỉ tiêu: 40% — hạn 30/11/2026",
		"4. Giá trị sản xuất — chỉ tiêu: 25,3 tỷ đồng — hạn 15/12/2026",
		"5. Phong trào thi đua — chỉ tiêu: hoàn thành xuất sắc",
		"Danh sách hiện có 5 nội dung", "/submit")
	ur := c.unit(3)
	if len(ur.Pledges) != 5 || ur.State != thidua.ListDraft {
		t.Fatalf("stored %+v", ur)
	}
	p := ur.Pledges[3]
	if p.Target.Number == nil || *p.Target.Number != 25.3 || p.Target.Measure != "tỷ đồng" || thidua.FormatDate(p.Due, hcm) != "15/12/2026" {
		t.Fatalf("pledge 4 stored as %+v", p)
	}
	if ur.Pledges[4].Target.Number != nil || ur.Pledges[4].Target.Text != "hoàn thành xuất sắc" {
		t.Fatalf("free target stored as %+v", ur.Pledges[4].Target)
	}

	m = c.say(c.group, c.lan, "/pledge Tuyên truyền pháp luật")
	expect(t, m.Text, "Đã ghi 1 nội dung", "6. Tuyên truyền pháp luật — hạn 30/11/2026", "Danh sách hiện có 6 nội dung")

	m = c.say(c.group, c.lan, "/dsdangky")
	expect(t, m.Text, "Đăng ký thi đua năm 2026 — Hội Nông dân tỉnh", "Trạng thái: 📝 chưa gửi",
		"1. Vận động xây 50 nhà", "6. Tuyên truyền pháp luật", "gửi /submit")
	// Anyone may look at any unit's pledges.
	m = c.say(c.group, c.hoa, "/pledges nong dan")
	expect(t, m.Text, "Hội Nông dân tỉnh", "6. Tuyên truyền pháp luật")
	m = c.say(c.group, c.hoa, "/pledges #6")
	expect(t, m.Text, "Tỉnh Đoàn", "Chưa có nội dung nào")

	id := c.unit(3).Pledges[1].ID
	m = c.say(c.group, c.lan, "/suadangky 2 Phát triển hội viên mới | 1.500 hội viên | 31/10/2026")
	expect(t, m.Text, "✏️ Đã sửa nội dung số 2 của Hội Nông dân tỉnh",
		"trước: 2. Phát triển hội viên mới — chỉ tiêu: 1.200 hội viên — hạn 31/10/2026",
		"sau: 2. Phát triển hội viên mới — chỉ tiêu: 1.500 hội viên — hạn 31/10/2026")
	if p := c.unit(3).Pledges[1]; p.ID != id || p.Target.String() != "1.500 hội viên" {
		t.Fatalf("edited pledge %+v (id was %s)", p, id)
	}
	// An edit to the same text answers so and records nothing.
	events := func() int {
		h, err := storage.History(t.Context(), c.store, c.block().ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(h)
	}
	n := events()
	m = c.say(c.group, c.lan, "/editpledge 2 Phát triển hội viên mới | 1.500 hội viên | 31/10/2026")
	expect(t, m.Text, "Nội dung số 2 của Hội Nông dân tỉnh không thay đổi")
	if events() != n {
		t.Fatal("an edit without change was recorded")
	}

	m = c.say(c.group, c.lan, "/xoadangky 1")
	expect(t, m.Text, "🗑 Đã xoá nội dung số 1 của Hội Nông dân tỉnh: 1. Vận động xây 50 nhà đại đoàn kết", "Danh sách còn 5 nội dung")
	if got := c.titles(3); len(got) != 5 || got[0] != "Phát triển hội viên mới" {
		t.Fatalf("after delete: %v", got)
	}

	m = c.say(c.group, c.lan, "/lichsu 4")
	expect(t, m.Text, "Lan: thêm nội dung đăng ký [Hội Nông dân tỉnh]: «6. Tuyên truyền pháp luật | | 30/11/2026»",
		"Lan: sửa nội dung đăng ký [Hội Nông dân tỉnh]: «2. Phát triển hội viên mới | 1.200 hội viên | 31/10/2026» → «2. Phát triển hội viên mới | 1.500 hội viên | 31/10/2026»",
		"Lan: xoá nội dung đăng ký [Hội Nông dân tỉnh]: «1. Vận động xây 50 nhà đại đoàn kết | 50 nhà | 30/11/2026»")
	c.noApology()
}

func TestPledgeBadInputStoresNothing(t *testing.T) {
	c := newRegCast(t)
	c.open()
	c.say(c.group, c.lan, "/pledge Nội dung một\nNội dung hai")
	long := strings.Repeat("Nội dung rất dài ", 40) // 680 characters
	cases := []struct{ text, want string }{
		{"/pledge", "Bạn chưa nhập nội dung đăng ký nào."},
		{"/pledge  | 50 nhà", "Nội dung đăng ký phải có chữ và dài tối đa 500 ký tự."},
		{"/pledge " + long, "Nội dung đăng ký phải có chữ và dài tối đa 500 ký tự."},
		{"/pledge Xây nhà | 1,2,3 nhà", "Chỉ tiêu bắt đầu bằng số nhưng số này không đọc được"},
		{"/pledge Xây nhà | 50 nhà | 31/02/2026", "Hạn không phải một ngày có thật. Viết ngày theo dạng dd/mm/yyyy, ví dụ 30/11/2026."},
		{"/pledge Xây nhà | 50 nhà | 15/01/2027", "Hạn phải nằm trong năm thi đua của khối."},
		{"/pledge Xây nhà | 30/11/2026", "Chỉ tiêu trông như một ngày"},
		{"/pledge Xây nhà | 50 nhà | 30/11/2026 | thêm", "Mỗi dòng có tối đa 3 phần"},
		{"/pledge Xây nhà | " + strings.Repeat("x", 201), "Chỉ tiêu dài tối đa 200 ký tự."},
		{"/pledge Đúng | 10 hộ\nSai | 50 nhà | 31/02/2026\nĐúng nữa", "Dòng 2 («Sai | 50 nhà | 31/02/2026»): Hạn không phải một ngày có thật"},
		{"/editpledge 9 Xây nhà | 50 nhà", "Không có nội dung số này trong danh sách của đơn vị"},
		{"/editpledge 0 Xây nhà", "Không có nội dung số này"},
		{"/editpledge hai Xây nhà", "Cần số thứ tự của nội dung"},
		{"/editpledge 2", "Cần số thứ tự rồi nội dung mới"},
		{"/editpledge 2 Xây nhà | 50 nhà | 29/02/2026", "Hạn không phải một ngày có thật"},
		{"/editpledge 2 Xây nhà\nThêm dòng", "Cần số thứ tự rồi nội dung mới (một dòng)"},
		{"/delpledge 3", "Không có nội dung số này"},
		{"/delpledge", "Cần số thứ tự của nội dung"},
		{"/delpledge 1 2", "Cần số thứ tự của nội dung"},
		{"/pledge #0 Xây nhà", "Sau dấu # là số thứ tự của đơn vị trong /units (từ 1 đến 7)."},
		{"/pledges Hội", "Không tìm thấy đơn vị này"},
		{"/submit ngay", "Lệnh này không cần nội dung"},
	}
	c.unchanged(func() {
		for _, tc := range cases {
			expect(t, c.say(c.group, c.lan, tc.text).Text, tc.want)
		}
	})
	if got := c.titles(3); fmt.Sprint(got) != "[Nội dung một Nội dung hai]" {
		t.Fatalf("bad input changed the pledges: %v", got)
	}
	// Every answer to bad input shows a correct example.
	m := c.say(c.group, c.lan, "/pledge Đúng\nSai | 1,2,3 nhà")
	expect(t, m.Text, "Dòng 2", "Chưa lưu dòng nào", "Cú pháp: /pledge [#số đơn vị] <nội dung> | <chỉ tiêu> | <hạn dd/mm/yyyy>",
		"Ví dụ: /pledge Vận động xây 50 nhà đại đoàn kết | 50 nhà | 30/11/2026")
	m = c.say(c.group, c.lan, "/editpledge 9 X")
	expect(t, m.Text, "Ví dụ: /editpledge 2 Phát triển hội viên mới | 1.500 hội viên | 31/10/2026")
	m = c.say(c.group, c.lan, "/delpledge 9")
	expect(t, m.Text, "Ví dụ: /delpledge 2")

	// At most 50 pledges per unit, all or nothing.
	lines := make([]string, 49)
	for i := range lines {
		lines[i] = fmt.Sprintf("Nội dung %d", i+3)
	}
	c.refused(c.lan, "/pledge "+strings.Join(lines, "\n"), "Mỗi đơn vị đăng ký tối đa 50 nội dung.")
	m = c.say(c.group, c.lan, "/pledge "+strings.Join(lines[:48], "\n"))
	expect(t, m.Text, "Danh sách hiện có 50 nội dung")
	c.noApology()
}

// A target written as a range or a fraction ("3-5 mô hình", "1/2 số xã")
// is kept as the representative wrote it, a target in words: not the first
// number with the rest taken for its measure ("3 -5 mô hình"), against
// which completion would be measured.
func TestRangeTargetIsKeptAsWritten(t *testing.T) {
	c := newRegCast(t)
	c.open()
	m := c.say(c.group, c.lan, "/pledge Xây dựng mô hình kinh tế tập thể | 3-5 mô hình\nPhủ sóng chi hội | 1/2 số xã\nHộ thoát nghèo | 10 – 15%")
	expect(t, m.Text, "chỉ tiêu: 3-5 mô hình", "chỉ tiêu: 1/2 số xã", "chỉ tiêu: 10 – 15%")
	for i, p := range c.unit(3).Pledges {
		if p.Target.Number != nil {
			t.Errorf("pledge %d: target %q read as the number %v", i+1, p.Target, *p.Target.Number)
		}
	}
}

func TestPledgeRefusals(t *testing.T) {
	c := newRegCast(t)
	c.refused(c.lan, "/pledge Xây nhà | 50 nhà", "Đăng ký thi đua chưa mở", "/openreg")
	c.refused(c.admin, "/pledge #3 Xây nhà", "Đăng ký thi đua chưa mở")
	c.refused(c.lan, "/submit", "Đăng ký thi đua chưa mở")
	for _, text := range []string{"/openreg", "/closereg", "/approve 3", "/return 3 | Lý do", "/criteria add Tuyên truyền | 20", "/criteria remove 1", "/covenant Đoàn kết"} {
		c.refused(c.lan, text, "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")
		c.refused(c.hoa, text, "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")
	}
	c.open()
	c.say(c.group, c.lan, "/pledge Xây nhà | 50 nhà")

	// Someone who represents no unit.
	for _, text := range []string{"/pledge Xây nhà", "/editpledge 1 Khác", "/delpledge 1", "/submit"} {
		c.refused(c.hoa, text, "Bạn chưa là đầu mối của đơn vị nào trong khối")
	}
	c.refused(c.hoa, "/dangky #3 Xây nhà", "bạn chỉ thay đổi được nội dung đăng ký của đơn vị mình")
	// A representative, for another unit — the leader unit's included.
	c.refused(c.lan, "/pledge #6 Xây nhà", "bạn chỉ thay đổi được nội dung đăng ký của đơn vị mình")
	c.refused(c.minh, "/delpledge #3 1", "bạn chỉ thay đổi được nội dung đăng ký của đơn vị mình")
	c.refused(c.minh, "/submit #3", "bạn chỉ thay đổi được nội dung đăng ký của đơn vị mình")
	// Refused before the input is read: a bad line gets the refusal, not a parse error.
	c.refused(c.hoa, "/pledge Sai | 1,2,3 nhà", "Bạn chưa là đầu mối")
	// An administrator who represents no unit must name one.
	c.refused(c.admin, "/pledge Xây nhà", "Bạn không là đầu mối của đơn vị nào", "/pledge #6 …")
	c.refused(c.admin, "/pledge #8 Xây nhà", "từ 1 đến 7")
	if got := c.titles(3); fmt.Sprint(got) != "[Xây nhà]" {
		t.Fatalf("refusals changed the pledges: %v", got)
	}

	// Closed: frozen for everyone until a manager reopens.
	m := c.say(c.group, c.minh, "/dongdangky")
	expect(t, m.Text, "🔒 Đã đóng đăng ký thi đua (bởi Minh)", "Đã duyệt: 0/7 đơn vị")
	for _, who := range []*telegramtest.User{c.lan, c.admin} {
		c.refused(who, "/pledge #3 Khác", "Đăng ký thi đua đã đóng", "/openreg")
		c.refused(who, "/editpledge #3 1 Khác", "Đăng ký thi đua đã đóng")
		c.refused(who, "/delpledge #3 1", "Đăng ký thi đua đã đóng")
		c.refused(who, "/submit #3", "Đăng ký thi đua đã đóng")
	}
	c.refused(c.minh, "/closereg", "Đăng ký thi đua đã đóng")
	m = c.say(c.group, c.minh, "/modangky")
	expect(t, m.Text, "🔓 Đã mở lại đăng ký thi đua")
	expect(t, c.say(c.group, c.lan, "/pledge Khác").Text, "Đã ghi 1 nội dung")
	m = c.say(c.group, c.lan, "/history 3")
	expect(t, m.Text, "Minh: đóng đăng ký thi đua", "Minh: mở lại đăng ký thi đua", "Lan: thêm nội dung đăng ký")
	c.noApology()
}

func TestAdministratorActsForUnit(t *testing.T) {
	c := newRegCast(t)
	c.open()
	m := c.say(c.group, c.admin, "/pledge #2 Vận động hội viên | 100 hội viên\nChăm lo cựu chiến binh | 40%")
	expect(t, m.Text, "Đã ghi 2 nội dung đăng ký thi đua của Hội Cựu chiến binh tỉnh")
	if got := c.titles(2); len(got) != 2 {
		t.Fatalf("unit 2 pledges %v", got)
	}
	expect(t, c.say(c.group, c.admin, "/editpledge #2 2 Chăm lo cựu chiến binh | 45%").Text, "Đã sửa nội dung số 2 của Hội Cựu chiến binh tỉnh")
	expect(t, c.say(c.group, c.admin, "/submit #2").Text, "Hội Cựu chiến binh tỉnh gửi danh sách đăng ký thi đua (2 nội dung)")
	// An anonymous administrator posting as the group acts the same way.
	c.handled(c.tg.SendAsGroup(c.group, "/pledge #4 Phát triển đoàn viên | 500 đoàn viên"))
	expect(t, c.lastIn(c.group.ID).Text, "Đã ghi 1 nội dung đăng ký thi đua của Liên đoàn Lao động tỉnh")

	events, err := storage.History(t.Context(), c.store, c.block().ID, 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events[len(events)-4:] {
		if !e.AsAdmin || !strings.HasPrefix(e.Action, "pledge") {
			t.Fatalf("not recorded as an administrator's action: %+v", e)
		}
	}
	m = c.say(c.group, c.lan, "/lichsu 4")
	expect(t, m.Text, "Hùng (quản trị viên): thêm nội dung đăng ký [Hội Cựu chiến binh tỉnh]", "Hùng (quản trị viên): gửi duyệt danh sách đăng ký [Hội Cựu chiến binh tỉnh]")
	c.noApology()
}

func TestSubmitReturnApprove(t *testing.T) {
	c := newRegCast(t)
	c.open()
	c.say(c.group, c.lan, "/pledge Xây nhà | 50 nhà\nHội viên mới | 1.200 hội viên")
	c.refused(c.minh, "/approve 3", "Đơn vị này chưa gửi danh sách đăng ký để duyệt")
	c.refused(c.minh, "/return 3 | Sửa", "Đơn vị này chưa gửi danh sách đăng ký để duyệt")
	c.refused(c.hoa, "/submit #6", "bạn chỉ thay đổi được")
	c.refused(c.minh, "/submit", "Đơn vị chưa đăng ký nội dung nào")

	sub := c.say(c.group, c.lan, "/guidangky")
	expect(t, sub.Text, "📨 Hội Nông dân tỉnh gửi danh sách đăng ký thi đua (2 nội dung) để duyệt:",
		"1. Xây nhà — chỉ tiêu: 50 nhà", "2. Hội viên mới — chỉ tiêu: 1.200 hội viên", "/return 3 | lý do")
	if len(sub.Buttons) != 1 || len(sub.Buttons[0]) != 2 || sub.Buttons[0][0].Text != "✅ Duyệt" || sub.Buttons[0][1].Text != "↩️ Trả lại…" {
		t.Fatalf("buttons %+v", sub.Buttons)
	}
	if ur := c.unit(3); ur.State != thidua.ListSubmitted || ur.Round != 1 {
		t.Fatalf("state %+v", ur)
	}
	expect(t, c.say(c.group, c.lan, "/dsdangky").Text, "Trạng thái: ⏳ chờ duyệt (Lan, 02/03/2026 09:00)")
	// Frozen while awaiting approval, for the unit and administrators alike.
	c.refused(c.lan, "/pledge Thêm", "đang chờ duyệt nên tạm thời không sửa được", "/return")
	c.refused(c.admin, "/delpledge #3 1", "đang chờ duyệt")
	c.refused(c.lan, "/submit", "đang chờ duyệt")

	// Only managers decide; the return button explains how to give a reason.
	c.unchanged(func() {
		a := c.press(c.group, c.lan, sub, sub.Buttons[0][0].Data)
		if !a.ShowAlert || !strings.Contains(a.Text, "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng") {
			t.Fatalf("a representative approves: %+v", a)
		}
		a = c.press(c.group, c.minh, sub, sub.Buttons[0][1].Data)
		if !a.ShowAlert || a.Text != "Để trả lại kèm lý do, gửi trong nhóm: /return 3 | lý do" {
			t.Fatalf("return button: %+v", a)
		}
	})

	// Returned with a reason: the representatives are told, in the group and privately.
	for _, bad := range []struct{ text, want string }{
		{"/return 3", "Cần đơn vị và lý do trả lại"},
		{"/return 3 |   ", "Cần đơn vị và lý do trả lại"},
		{"/return Hội | Sửa", "Không tìm thấy đơn vị này"},
		{"/return 3 | " + strings.Repeat("x", 501), "Lý do trả lại không được để trống và dài tối đa 500 ký tự."},
		{"/approve", "Bạn chưa nêu đơn vị."},
	} {
		c.refused(c.minh, bad.text, bad.want)
	}
	m := c.say(c.group, c.minh, "/tralai #3 | Nội dung số 2 cần ghi rõ thời hạn")
	expect(t, m.Text, "↩️ Danh sách đăng ký thi đua của Hội Nông dân tỉnh được trả lại để sửa (bởi Minh).",
		"Lý do: Nội dung số 2 cần ghi rõ thời hạn", "Lan: vui lòng sửa")
	expect(t, m.HTML, fmt.Sprintf(`<a href="tg://user?id=%d">Lan</a>`, c.lan.ID))
	dm := c.lastIn(c.lan.ID)
	expect(t, dm.Text, "Danh sách đăng ký thi đua của Hội Nông dân tỉnh trong Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai bị trả lại (bởi Minh)",
		"Lý do: Nội dung số 2 cần ghi rõ thời hạn")
	if ur := c.unit(3); ur.State != thidua.ListReturned || ur.Reason != "Nội dung số 2 cần ghi rõ thời hạn" || ur.Decided.UserID != c.minh.ID {
		t.Fatalf("state %+v", ur)
	}
	expect(t, c.say(c.group, c.lan, "/pledges").Text, "Trạng thái: ↩️ bị trả lại (Minh, 02/03/2026 09:00)", "Lý do trả lại: Nội dung số 2 cần ghi rõ thời hạn", "gửi lại /submit")
	// The submission's buttons, which no longer approve a returned list, are gone.
	if got := c.message(sub.ID); len(got.Buttons) != 0 || !strings.Contains(got.Text, "đã được trả lại để sửa") {
		t.Fatalf("the returned submission: %q %v", got.Text, got.Buttons)
	}

	// Editable again; submitted anew.
	expect(t, c.say(c.group, c.lan, "/editpledge 2 Hội viên mới | 1.200 hội viên | 31/10/2026").Text, "Đã sửa nội dung số 2")
	sub2 := c.say(c.group, c.lan, "/submit")
	if ur := c.unit(3); ur.State != thidua.ListSubmitted || ur.Round != 2 || ur.Reason != "" {
		t.Fatalf("state %+v", ur)
	}
	a := c.press(c.group, c.minh, sub2, sub2.Buttons[0][0].Data)
	if a.ShowAlert {
		t.Fatalf("approval: %+v", a)
	}
	done := c.lastIn(c.group.ID)
	if done.ID != sub2.ID || len(done.Buttons) != 0 {
		t.Fatalf("submission not edited in place: %+v", done)
	}
	expect(t, done.Text, "✅ Đã duyệt danh sách đăng ký thi đua của Hội Nông dân tỉnh (2 nội dung) — bởi Minh.")
	expect(t, c.lastIn(c.lan.ID).Text, "Danh sách đăng ký thi đua của Hội Nông dân tỉnh trong Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai đã được duyệt (bởi Minh)")
	if ur := c.unit(3); ur.State != thidua.ListApproved || ur.Decided.UserID != c.minh.ID {
		t.Fatalf("state %+v", ur)
	}
	c.refused(c.minh, "/approve 3", "đã được duyệt rồi")
	c.refused(c.lan, "/pledge Thêm", "đã được duyệt nên không sửa được")

	// The approve command, for a unit the administrator submitted.
	c.say(c.group, c.admin, "/pledge #6 Thanh niên tình nguyện | 1.000 đoàn viên")
	c.say(c.group, c.admin, "/submit #6")
	m = c.say(c.group, c.admin, "/duyet tinh doan")
	expect(t, m.Text, "✅ Đã duyệt danh sách đăng ký thi đua của Tỉnh Đoàn (1 nội dung) — bởi Hùng.", "Minh")
	if c.unit(6).State != thidua.ListApproved {
		t.Fatal("not approved")
	}

	m = c.say(c.group, c.hoa, "/lichsu 12")
	expect(t, m.Text, "Minh: trả lại danh sách đăng ký [Hội Nông dân tỉnh]: «Nội dung số 2 cần ghi rõ thời hạn»",
		"Lan: gửi duyệt danh sách đăng ký [Hội Nông dân tỉnh]: «2 nội dung»",
		"Minh: duyệt danh sách đăng ký [Hội Nông dân tỉnh]: «2 nội dung»")
	c.noApology()
}

// A list returned and not sent again cannot be returned (or approved) a
// second time; the answer says why without claiming the unit never sent
// it.
func TestReturnTwiceSaysTheListWasReturned(t *testing.T) {
	c := newRegCast(t)
	c.open()
	c.say(c.group, c.lan, "/pledge Xây nhà | 5 nhà")
	c.say(c.group, c.lan, "/submit")
	expect(t, c.say(c.group, c.minh, "/return 3 | Cần rõ hơn").Text, "được trả lại để sửa")
	c.refused(c.minh, "/return 3 | Ghi rõ số hộ", "chưa gửi lại sau khi bị trả lại")
	c.refused(c.minh, "/approve 3", "chưa gửi lại sau khi bị trả lại")
}

func TestOpenRegistrationDeadline(t *testing.T) {
	c := newRegCast(t)
	for _, bad := range []struct{ text, want string }{
		{"/openreg 31/02/2026", "Hạn đăng ký không phải một ngày có thật"},
		{"/openreg ngày mai", "Hạn đăng ký không phải một ngày có thật"},
		{"/openreg 01/03/2026", "Hạn này đã qua"},
	} {
		m := c.refused(c.admin, bad.text, bad.want)
		expect(t, m.Text, "Ví dụ: /openreg 31/03/2026")
	}
	m := c.say(c.group, c.minh, "/modangky 31/03")
	expect(t, m.Text, "📝 Đã mở đăng ký thi đua năm 2026, hạn 31/03/2026.", "/pledge <nội dung> | <chỉ tiêu> | <hạn>")
	b := c.block()
	if !b.Registration.Open || b.Registration.Opened.UserID != c.minh.ID || thidua.FormatDate(b.RegistrationDue(), hcm) != "31/03/2026" {
		t.Fatalf("registration %+v", b.Registration)
	}
	c.refused(c.minh, "/openreg 31/03/2026", "Đăng ký thi đua đang mở rồi và hạn không đổi.")
	expect(t, c.say(c.group, c.minh, "/openreg 15/04/2026").Text, "🗓 Hạn đăng ký thi đua: 15/04/2026.")
	expect(t, c.say(c.group, c.minh, "/openreg").Text, "🗓 Hạn đăng ký thi đua: không có hạn.")
	if !c.block().RegistrationDue().IsZero() {
		t.Fatal("deadline not removed")
	}
	c.refused(c.minh, "/openreg", "Đăng ký thi đua đang mở rồi và hạn không đổi.", "/openreg dd/mm/yyyy")
	expect(t, c.say(c.group, c.hoa, "/tonghop").Text, "Đăng ký: đang mở")
	m = c.say(c.group, c.hoa, "/lichsu 3")
	expect(t, m.Text, "Minh: mở đăng ký thi đua: «hạn 31/03/2026»", "Minh: đổi hạn đăng ký thi đua: «hạn 31/03/2026» → «hạn 15/04/2026»", "Minh: đổi hạn đăng ký thi đua: «hạn 15/04/2026»")
	c.noApology()
}

func TestCriteriaCommands(t *testing.T) {
	c := newRegCast(t)
	expect(t, c.say(c.group, c.hoa, "/tieuchi").Text, "Chưa có tiêu chí chấm điểm")
	m := c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền, vận động | 20\nPhát triển hội viên | 32,5\nAn sinh xã hội | 47,5")
	expect(t, m.Text, "✅ Đã thêm 3 tiêu chí.", "1. Công tác tuyên truyền, vận động — tối đa 20 điểm",
		"2. Phát triển hội viên — tối đa 32,5 điểm", "Tổng điểm tối đa: 100")
	b := c.block()
	if len(b.Registration.Criteria) != 3 || b.CriteriaTotal() != 100 {
		t.Fatalf("criteria %+v", b.Registration.Criteria)
	}
	expect(t, c.say(c.group, c.hoa, "/criteria").Text, "3. An sinh xã hội — tối đa 47,5 điểm", "Tổng điểm tối đa: 100")
	for _, bad := range []struct{ text, want string }{
		{"/criteria add", "Bạn chưa nhập tiêu chí nào."},
		{"/criteria add Thi đua | abc", "Điểm tối đa phải là một số lớn hơn 0"},
		{"/criteria add Thi đua | 0", "Điểm tối đa phải là một số lớn hơn 0"},
		{"/criteria add Thi đua", "Điểm tối đa phải là một số lớn hơn 0"},
		{"/criteria add  | 10", "Tên tiêu chí phải có chữ"},
		{"/criteria add 31/02 | 10", "Tên tiêu chí phải có chữ"},
		{"/criteria add Khác | 10\nphat trien hoi vien | 5", "Tiêu chí này đã có"},
		{"/criteria add Đúng | 10\nSai | 1.2.3", "Dòng 2 («Sai | 1.2.3»): Điểm tối đa"},
		{"/criteria remove 4", "Không có tiêu chí số này"},
		{"/criteria remove hai", "Cần số thứ tự của tiêu chí"},
		{"/criteria sua 1", "Không rõ thao tác «sua»"},
	} {
		m := c.refused(c.minh, bad.text, bad.want)
		expect(t, m.Text, "Ví dụ: /criteria add Công tác tuyên truyền, vận động | 20")
	}
	m = c.say(c.group, c.admin, "/tieuchi xoá 1")
	expect(t, m.Text, "🗑 Đã xoá tiêu chí «Công tác tuyên truyền, vận động».", "Tổng điểm tối đa: 80")
	m = c.say(c.group, c.admin, "/tieuchi thêm Tuyên truyền | 20")
	expect(t, m.Text, "Tổng điểm tối đa: 100")
	m = c.say(c.group, c.hoa, "/lichsu 2")
	expect(t, m.Text, "Hùng (quản trị viên): xoá tiêu chí chấm điểm: «Công tác tuyên truyền, vận động | 20»", "thêm tiêu chí chấm điểm: «Tuyên truyền | 20»")
	c.noApology()
}

// utf16Len measures text the way Telegram limits it.
func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

// A summary of up to three messages comes in messages, split between
// lines, each pledge whole in one of them.
func TestSummarySplitsLongText(t *testing.T) {
	c := newRegCast(t)
	c.open()
	c.say(c.group, c.minh, "/criteria add Tuyên truyền | 40\nHội viên | 60")
	// Six long pledges (about 9.000 characters in all), with characters
	// that must be escaped, for each of units 1 to 3 (the third's list
	// approved); the others register nothing.
	var want []string
	for u := 1; u <= 3; u++ {
		var lines []string
		for i := 1; i <= 6; i++ {
			title := fmt.Sprintf("Đơn vị %d nội dung %d <b>&</b> %s", u, i, strings.Repeat("vận động nhân dân tham gia ", 15))
			lines = append(lines, title+"| 1.200 hội viên")
			want = append(want, fmt.Sprintf("%d. %s — chỉ tiêu: 1.200 hội viên — hạn 30/11/2026", i, strings.TrimSpace(title)))
		}
		expect(t, c.say(c.group, c.admin, fmt.Sprintf("/pledge #%d ", u)+strings.Join(lines, "\n")).Text, "Đã ghi 6 nội dung")
	}
	c.say(c.group, c.lan, "/submit")
	c.say(c.group, c.minh, "/approve 3")

	before := len(c.tg.Messages(c.group.ID))
	c.say(c.group, c.hoa, "/tonghop")
	parts := c.tg.Messages(c.group.ID)[before:]
	if len(parts) < 2 || len(parts) > 3 {
		t.Fatalf("the summary came in %d messages", len(parts))
	}
	var all strings.Builder
	for i, m := range parts {
		if n := utf16Len(m.Text); n > 4096 {
			t.Fatalf("part %d is %d long", i+1, n)
		}
		if m.Document != nil || i > 0 && m.ReplyTo != 0 {
			t.Fatalf("part %d is a file or replies to a message", i+1)
		}
		all.WriteString(m.Text + "\n")
	}
	text := all.String()
	expect(t, text, "TỔNG HỢP ĐĂNG KÝ THI ĐUA NĂM 2026", "Tổng điểm tối đa: 100",
		"Đơn vị: 7 · đã duyệt 1 · chờ duyệt 0 · bị trả lại 0 · chưa gửi 6 · chưa đăng ký nội dung nào 4",
		"3. Hội Nông dân tỉnh — ✅ đã duyệt", "1. Ủy ban MTTQ Việt Nam tỉnh — 📝 chưa gửi",
		"7. Hội Chữ thập đỏ tỉnh — ⚠️ chưa đăng ký nội dung nào")
	// Every pledge line arrives whole, in one message.
	for _, w := range want {
		found := slices.ContainsFunc(parts, func(m telegramtest.Message) bool { return strings.Contains(m.Text, w) })
		if !found {
			t.Fatalf("pledge line broken or missing: %q", w)
		}
	}
	c.noApology()
}

// covenantCast is a block of three units, each with a representative who
// started the bot, registration open and one criterion.
type covenantCast struct {
	*regCast
	reps []*telegramtest.User
}

func newCovenantCast(t *testing.T) *covenantCast {
	t.Helper()
	h := newHarness(t)
	c := &covenantCast{regCast: &regCast{harness: h, hoa: h.member("Hoa", "hoa")}}
	h.say(h.group, h.admin, "/setup Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai")
	h.say(h.group, h.admin, "/addunit Hội Nông dân tỉnh\nTỉnh Đoàn\nHội Chữ thập đỏ tỉnh")
	for i, name := range []string{"Lan", "Minh", "Bình"} {
		u := h.member(name, "")
		h.handled(h.tg.SendPrivate(u, "/start"))
		h.join(u, fmt.Sprint(i+1))
		c.reps = append(c.reps, u)
	}
	h.say(h.group, h.admin, "/leader 2")
	c.open()
	return c
}

// approved gives unit n (1-based) an approved pledge list.
func (c *covenantCast) approved(n int) {
	c.t.Helper()
	c.say(c.group, c.reps[n-1], "/pledge Nội dung | 10 hộ")
	c.say(c.group, c.reps[n-1], "/submit")
	expect(c.t, c.say(c.group, c.admin, fmt.Sprintf("/approve %d", n)).Text, "Đã duyệt")
}

func TestCovenantSigning(t *testing.T) {
	c := newCovenantCast(t)
	lan, minh, binh := c.reps[0], c.reps[1], c.reps[2]
	c.refused(minh, "/covenant Đoàn kết, vượt khó", "Khối chưa có tiêu chí chấm điểm")
	c.say(c.group, minh, "/criteria add Tuyên truyền | 40\nHội viên | 60")
	for _, bad := range []struct{ text, want string }{
		{"/covenant", "Bạn chưa nhập khẩu hiệu của giao ước."},
		{"/covenant  | 31/03/2026", "Khẩu hiệu không được để trống"},
		{"/covenant " + strings.Repeat("Đoàn kết ", 60), "Khẩu hiệu không được để trống và dài tối đa 500 ký tự."},
		{"/covenant Đoàn kết | 31/02/2026", "Hạn ký không phải một ngày có thật"},
		{"/covenant Đoàn kết | 01/03/2026", "Hạn này đã qua"},
	} {
		m := c.refused(minh, bad.text, bad.want)
		expect(t, m.Text, "Ví dụ: /covenant Đoàn kết, vượt khó")
	}
	c.refused(lan, "/covenant Đoàn kết", "chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng")

	slogan := "Đoàn kết, vượt khó - Chủ động thích ứng - Điều hành linh hoạt - Đổi mới, sáng tạo - Kịp thời, hiệu quả"
	cov := c.say(c.group, minh, "/giaouoc "+slogan+" | 31/03/2026")
	expect(t, cov.Text, "📜 GIAO ƯỚC THI ĐUA NĂM 2026", "Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai", "Khẩu hiệu: "+slogan,
		"chấm điểm theo 2 tiêu chí, tổng 100 điểm", "Hạn ký: 31/03/2026", "Đã ký: 0/3 đơn vị",
		"Chưa ký: Hội Nông dân tỉnh, Tỉnh Đoàn, Hội Chữ thập đỏ tỉnh")
	if len(cov.Buttons) != 1 || cov.Buttons[0][0].Text != "✍️ Ký giao ước" {
		t.Fatalf("buttons %+v", cov.Buttons)
	}
	b := c.block()
	if cv := b.Registration.Covenant; cv == nil || cv.Slogan != slogan || cv.Opened.UserID != minh.ID || thidua.FormatDate(b.CovenantDue(), hcm) != "31/03/2026" {
		t.Fatalf("covenant %+v", b.Registration.Covenant)
	}
	if got := b.UnsignedUnits(); len(got) != 3 {
		t.Fatalf("UnsignedUnits = %v", got)
	}
	sign := cov.Buttons[0][0].Data

	// Refusals, each an alert that changes nothing.
	c.unchanged(func() {
		a := c.press(c.group, c.hoa, cov, sign)
		if !a.ShowAlert || !strings.Contains(a.Text, "Bạn chưa là đầu mối của đơn vị nào") {
			t.Fatalf("a member signs: %+v", a)
		}
		a = c.press(c.group, c.admin, cov, sign)
		if !a.ShowAlert || !strings.Contains(a.Text, "Bạn chưa là đầu mối của đơn vị nào") {
			t.Fatalf("an administrator without a unit signs: %+v", a)
		}
		a = c.press(c.group, lan, cov, sign)
		if !a.ShowAlert || !strings.Contains(a.Text, "chưa đăng ký nội dung thi đua nào nên chưa ký được giao ước") {
			t.Fatalf("a unit without an approved list signs: %+v", a)
		}
	})
	c.refused(minh, "/criteria add Khác | 5", "Giao ước thi đua đã được phát động theo các tiêu chí này")

	c.approved(1)
	a := c.press(c.group, lan, cov, sign)
	if a.ShowAlert || a.Text != "✅ Đã ký giao ước cho Hội Nông dân tỉnh." {
		t.Fatalf("signature: %+v", a)
	}
	cov = c.message(cov.ID)
	if cov.EditCount != 1 || len(cov.Buttons) != 1 {
		t.Fatalf("covenant message not edited in place: %+v", cov)
	}
	expect(t, cov.Text, "Đã ký: 1/3 đơn vị", "Chưa ký: Tỉnh Đoàn, Hội Chữ thập đỏ tỉnh")
	s := c.unit(1).Signed
	if s == nil || s.UserID != lan.ID || s.Name != "Lan" || !s.At.Equal(c.now) {
		t.Fatalf("signature %+v", s)
	}
	c.unchanged(func() {
		a := c.press(c.group, lan, cov, sign)
		if !a.ShowAlert || a.Text != "Đơn vị Hội Nông dân tỉnh đã ký giao ước lúc 02/03/2026 09:00 (Lan)." {
			t.Fatalf("second press: %+v", a)
		}
	})
	c.refused(minh, "/covenant Khẩu hiệu khác", "Đã có đơn vị ký giao ước nên không đổi được khẩu hiệu")
	expect(t, c.say(c.group, c.hoa, "/pledges 1").Text, "✍️ Đã ký giao ước: Lan, 02/03/2026 09:00")

	// Posting the covenant again moves the button down; the old post says
	// so, without its button (see TestCovenantRepostRetiresTheOldPost).
	cov2 := c.say(c.group, minh, "/covenant")
	expect(t, cov2.Text, "Đã ký: 1/3 đơn vị")
	c.retired(cov, "Khẩu hiệu: "+slogan)
	c.approved(2)
	c.press(c.group, minh, cov2, cov2.Buttons[0][0].Data)
	c.approved(3)
	before := len(c.tg.Messages(c.group.ID))
	c.press(c.group, binh, cov2, cov2.Buttons[0][0].Data)
	msgs := c.tg.Messages(c.group.ID)
	if len(msgs) != before+1 {
		t.Fatalf("%d new messages after the last signature", len(msgs)-before)
	}
	expect(t, msgs[len(msgs)-1].Text, "🎉 Tất cả 3 đơn vị của Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai đã ký giao ước thi đua năm 2026!", "Khẩu hiệu: "+slogan)
	done := c.message(cov2.ID)
	if len(done.Buttons) != 0 {
		t.Fatalf("the finished covenant keeps its button: %+v", done.Buttons)
	}
	expect(t, done.Text, "Đã ký: 3/3 đơn vị", "🎉 Tất cả đơn vị đã ký.")
	b = c.block()
	if !b.Registration.Covenant.Completed || len(b.UnsignedUnits()) != 0 {
		t.Fatalf("covenant %+v", b.Registration.Covenant)
	}
	m := c.say(c.group, c.hoa, "/lichsu 10")
	expect(t, m.Text, "Minh: ký giao ước [Tỉnh Đoàn]", "Bình: ký giao ước [Hội Chữ thập đỏ tỉnh]")

	// Returning a signed unit's list withdraws its signature: it signs
	// again on the list approved again, and the completion is announced
	// again.
	m = c.say(c.group, c.admin, "/return 3 | Thiếu chỉ tiêu về hội viên")
	expect(t, m.Text, "được trả lại để sửa", "Chữ ký giao ước của đơn vị được huỷ", "/covenant")
	b = c.block()
	if c.unit(3).Signed != nil || b.Registration.Covenant.Completed || fmt.Sprint(b.UnsignedUnits()) != "["+c.unit(3).UnitID+"]" {
		t.Fatalf("after the return: signed %+v, covenant %+v, unsigned %v", c.unit(3).Signed, b.Registration.Covenant, b.UnsignedUnits())
	}
	expect(t, c.say(c.group, c.hoa, "/lichsu 3").Text, "huỷ chữ ký giao ước (danh sách bị trả lại) [Hội Chữ thập đỏ tỉnh]")
	c.say(c.group, binh, "/submit")
	m = c.say(c.group, c.admin, "/return 3 | Xem lại")
	if strings.Contains(m.Text, "Chữ ký giao ước") {
		t.Fatalf("a list returned while its unit had not signed: %q", m.Text)
	}
	c.say(c.group, binh, "/submit")
	expect(t, c.say(c.group, c.admin, "/approve 3").Text, "Đã duyệt")
	cov3 := c.say(c.group, minh, "/covenant")
	expect(t, cov3.Text, "Đã ký: 2/3 đơn vị", "Chưa ký: Hội Chữ thập đỏ tỉnh")
	// A minute later, as the bot names the claim on announcing a
	// completion by its time.
	c.now = c.now.Add(time.Minute)
	c.press(c.group, binh, cov3, cov3.Buttons[0][0].Data)
	msgs = c.tg.Messages(c.group.ID)
	expect(t, msgs[len(msgs)-1].Text, "🎉 Tất cả 3 đơn vị")
	c.noApology()
}

// Removing the only unit that had not signed leaves every unit signed: the
// group is told the covenant is complete, as after the last signature, and
// once only, however often the press comes; a unit added later signs
// without a second announcement.
func TestCovenantCompletedByRemovingTheLastUnsignedUnit(t *testing.T) {
	c := newCovenantCast(t)
	lan, minh := c.reps[0], c.reps[1]
	c.say(c.group, minh, "/criteria add Tuyên truyền | 100")
	cov := c.say(c.group, minh, "/covenant Đoàn kết")
	c.approved(1)
	c.approved(2)
	c.press(c.group, lan, cov, cov.Buttons[0][0].Data)
	c.press(c.group, minh, cov, cov.Buttons[0][0].Data)
	if n := countContaining(c.harness, c.group.ID, "đã ký giao ước thi đua năm"); n != 0 {
		t.Fatalf("announced with a unit unsigned: %d", n)
	}

	ask := c.say(c.group, c.admin, "/removeunit 3")
	expect(t, ask.Text, "Xoá đơn vị Hội Chữ thập đỏ tỉnh khỏi khối?")
	before := len(c.tg.Messages(c.group.ID))
	u, err := c.tg.Press(c.group, c.admin, &ask, ask.Buttons[0][0].Data)
	if err != nil {
		t.Fatal(err)
	}
	c.handled(u)
	expect(t, c.message(ask.ID).Text, "🗑 Đã xoá đơn vị Hội Chữ thập đỏ tỉnh (bởi Hùng).")
	msgs := c.tg.Messages(c.group.ID)
	if len(msgs) != before+1 {
		t.Fatalf("%d new messages after the removal", len(msgs)-before)
	}
	expect(t, msgs[len(msgs)-1].Text, "🎉 Tất cả 2 đơn vị của Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai đã ký giao ước thi đua năm 2026!", "Khẩu hiệu: Đoàn kết")
	b := c.block()
	if len(b.Units) != 2 || !b.Registration.Covenant.Completed || len(b.UnsignedUnits()) != 0 {
		t.Fatalf("units %d, covenant %+v, unsigned %v", len(b.Units), b.Registration.Covenant, b.UnsignedUnits())
	}
	expect(t, c.say(c.group, minh, "/covenant").Text, "Đã ký: 2/2 đơn vị", "🎉 Tất cả đơn vị đã ký.")

	// The press delivered again removes nothing more and announces nothing
	// again.
	c.redeliver(u)
	if n := countContaining(c.harness, c.group.ID, "đã ký giao ước thi đua năm"); n != 1 {
		t.Fatalf("completion announced %d times", n)
	}

	// A unit added later signs without a second announcement.
	c.say(c.group, c.admin, "/addunit Hội Khuyến học tỉnh")
	tu := c.member("Tú", "")
	c.join(tu, "3")
	c.reps[2] = tu
	c.approved(3)
	cov = c.say(c.group, minh, "/covenant")
	expect(t, cov.Text, "Đã ký: 2/3 đơn vị", "Chưa ký: Hội Khuyến học tỉnh")
	c.press(c.group, tu, cov, cov.Buttons[0][0].Data)
	expect(t, c.message(cov.ID).Text, "Đã ký: 3/3 đơn vị")
	if n := countContaining(c.harness, c.group.ID, "đã ký giao ước thi đua năm"); n != 1 {
		t.Fatalf("completion announced %d times", n)
	}
	c.noApology()
}

func TestPledgeRedeliveredAppliesOnce(t *testing.T) {
	c := newRegCast(t)
	c.open()
	u := c.tg.Send(c.group, c.lan, "/pledge Xây nhà | 50 nhà")
	c.handled(u)
	c.redeliver(u)
	c.say(c.group, c.lan, "/pledges")
	if got := c.titles(3); len(got) != 1 {
		t.Fatalf("pledges after redelivery: %v", got)
	}
}

func TestRegistrationInEnglish(t *testing.T) {
	c := newRegCast(t)
	john := c.tg.NewUser("John", "john", telegramtest.Lang("en"))
	c.group.SetStatus(john, telegramtest.StatusMember)
	c.join(john, "Hội Cựu chiến binh tỉnh")
	expect(t, c.say(c.group, john, "/pledge X").Text, "Registration has not been opened yet.")
	c.open()
	expect(t, c.say(c.group, john, "/pledge X | 1,2,3 nhà").Text, "The target starts with a number that cannot be read", "Example: /pledge")
	expect(t, c.say(c.group, john, "/pledge Members | 100 hội viên").Text, "✅ Recorded 1 pledge of Hội Cựu chiến binh tỉnh:", "1. Members — target: 100 hội viên — due 30/11/2026")
}

// The direct messages telling a unit's representatives that their pledge
// list was returned or approved are in each one's language: John's app is
// in English, while the group hears the block's language.
func TestPledgeDecisionsInTheRepresentativesLanguage(t *testing.T) {
	c := newRegCast(t)
	john := c.member("John", "john", telegramtest.Lang("en"))
	c.handled(c.tg.SendPrivate(john, "/start"))
	c.join(john, "Hội Cựu chiến binh tỉnh")
	c.open()
	c.say(c.group, john, "/pledge Members | 100 hội viên")
	c.say(c.group, john, "/submit")
	block := "Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai"
	expect(t, c.say(c.group, c.minh, "/return 2 | Ghi rõ thời hạn").Text, "↩️ Danh sách đăng ký thi đua của Hội Cựu chiến binh tỉnh được trả lại để sửa (bởi Minh).")
	expect(t, c.lastIn(john.ID).Text, "↩️ The pledge list of Hội Cựu chiến binh tỉnh in "+block+" was returned (by Minh).", "Reason: Ghi rõ thời hạn", "send /submit again")
	c.say(c.group, john, "/submit")
	expect(t, c.say(c.group, c.minh, "/approve 2").Text, "✅ Đã duyệt danh sách đăng ký thi đua của Hội Cựu chiến binh tỉnh (1 nội dung) — bởi Minh.")
	expect(t, c.lastIn(john.ID).Text, "✅ The pledge list of Hội Cựu chiến binh tỉnh in "+block+" is approved (by Minh).")
}

// /pledges of a unit without pledges says how to register only while
// registration is open; before it opens (a new year, say) or once closed,
// it says so and who opens it, rather than sending the unit to a /pledge
// that refuses.
func TestPledgesEmptySaysWhetherRegistrationIsOpen(t *testing.T) {
	c := newRegCast(t)
	m := c.refused(c.lan, "/pledges", "Chưa có nội dung nào.", "Đăng ký thi đua chưa mở", "/openreg")
	if strings.Contains(m.Text, "Đăng ký bằng /pledge") {
		t.Fatalf("/pledges sends the unit to /pledge before registration opens: %q", m.Text)
	}
	c.open()
	expect(t, c.say(c.group, c.lan, "/pledges").Text, "Chưa có nội dung nào. Đăng ký bằng /pledge")
	c.say(c.group, c.minh, "/closereg")
	m = c.refused(c.lan, "/dsdangky", "Chưa có nội dung nào.", "Đăng ký thi đua đã đóng", "/openreg")
	if strings.Contains(m.Text, "Đăng ký bằng /pledge") {
		t.Fatalf("/pledges sends the unit to /pledge once registration closed: %q", m.Text)
	}
}

// TestExamplesAreOfTheBlocksYear checks that, in a block of 2027, the
// examples the bot gives (with a mistyped command, and in /help) and its
// hints about dates name the block's year, not a fixed one: a pledge's
// example copied from the bot's answer is taken as it is, where one dated
// 30/11/2026 would be refused as outside the block's year.
func TestExamplesAreOfTheBlocksYear(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2027, 1, 5, 9, 0, 0, 0, hcm)
	h.setUp()
	lan := h.member("Lan", "")
	h.join(lan, "Hội Nông dân tỉnh")
	h.say(h.group, h.admin, "/leader Tỉnh Đoàn")
	h.say(h.group, h.admin, "/openreg")
	m := h.say(h.group, lan, "/dangky Giá trị sản xuất | 25,3 tỷ đồng | 31/02/2027")
	expect(t, m.Text, "Hạn không phải một ngày có thật. Viết ngày theo dạng dd/mm/yyyy, ví dụ 30/11/2027.", "Ví dụ: /pledge Vận động xây 50 nhà đại đoàn kết | 50 nhà | 30/11/2027")
	_, example, _ := strings.Cut(m.Text, "Ví dụ: ")
	expect(t, h.say(h.group, lan, example).Text, "✅ Đã ghi 2 nội dung đăng ký thi đua của Hội Nông dân tỉnh")
	if n := len(h.block().RegistrationOf(h.block().Units[2].ID).Pledges); n != 2 {
		t.Fatalf("the example stored %d pledges", n)
	}
	for cmd, want := range map[string]string{
		"pledge":     "| 30/11/2027",
		"editpledge": "| 31/10/2027",
		"openreg":    "/openreg 31/03/2027",
		"covenant":   "| 31/03/2027",
		"deadline":   "/deadline 15/06/2027 17:00",
		"elect":      "đóng: 25/11/2027 17:00",
		"export":     "/export 2026",
	} {
		if m := h.say(h.group, lan, "/help "+cmd); !strings.Contains(m.Text, want) || strings.Contains(m.Text, "/2026") {
			t.Errorf("/help %s: %q does not give the example of 2027 (%q)", cmd, m.Text, want)
		}
	}
	m = h.say(h.group, h.admin, "/hanchot 31/02/2027 | Gửi ảnh hoạt động")
	expect(t, m.Text, "Ví dụ: /deadline 15/06/2027 17:00 | Nộp báo cáo kết quả 6 tháng")
	_, example, _ = strings.Cut(m.Text, "Ví dụ: ")
	expect(t, h.say(h.group, h.admin, example).Text, "✅ Đã đặt hạn #1: Nộp báo cáo kết quả 6 tháng", "Hạn: 15/06/2027 17:00")
}

// TestReturnOrApproveByCommandTakesTheButtonsOffTheSubmission checks that a
// list returned with /return, or approved with /approve, no longer shows
// the ✅ Duyệt and ↩️ Trả lại… buttons under its submission (which would
// only be refused now), as the ✅ button's own press does: the message says
// what became of the list, by whom, and why it was returned.
func TestReturnOrApproveByCommandTakesTheButtonsOffTheSubmission(t *testing.T) {
	c := newRegCast(t)
	c.open()
	c.say(c.group, c.lan, "/dangky Vận động xây 50 nhà đại đoàn kết | 50 nhà\nPhát triển hội viên mới | 1.200 hội viên")
	first := c.say(c.group, c.lan, "/guidangky")
	if len(first.Buttons) == 0 || c.unit(3).MessageID != first.ID {
		t.Fatalf("the submission %d with buttons %v is not the one recorded: %d", first.ID, first.Buttons, c.unit(3).MessageID)
	}
	expect(t, c.say(c.group, c.minh, "/tralai 3 | Nội dung số 2 cần ghi rõ hạn").Text, "được trả lại để sửa")
	got := c.message(first.ID)
	expect(t, got.Text, "↩️ Danh sách đăng ký thi đua của Hội Nông dân tỉnh (2 nội dung) đã được trả lại để sửa — bởi Minh.", "Lý do: Nội dung số 2 cần ghi rõ hạn")
	if len(got.Buttons) != 0 {
		t.Fatalf("the returned submission keeps its buttons: %v", got.Buttons)
	}
	second := c.say(c.group, c.lan, "/guidangky")
	if c.unit(3).MessageID != second.ID {
		t.Fatalf("the new submission %d is not recorded: %d", second.ID, c.unit(3).MessageID)
	}
	expect(t, c.say(c.group, c.minh, "/duyet 3").Text, "✅ Đã duyệt danh sách đăng ký thi đua của Hội Nông dân tỉnh (2 nội dung) — bởi Minh.")
	got = c.message(second.ID)
	expect(t, got.Text, "✅ Đã duyệt danh sách đăng ký thi đua của Hội Nông dân tỉnh (2 nội dung) — bởi Minh.")
	if len(got.Buttons) != 0 || c.unit(3).State != thidua.ListApproved {
		t.Fatalf("the approved submission keeps its buttons %v, or the list is %v", got.Buttons, c.unit(3).State)
	}
	// Returning the approved list leaves the message of its approval as it is.
	c.say(c.group, c.minh, "/tralai 3 | Bổ sung nội dung")
	if got := c.message(second.ID); !strings.HasPrefix(got.Text, "✅ Đã duyệt") {
		t.Fatalf("the approval's message was edited: %q", got.Text)
	}
}

// TestApprovalSaysWhenTheUnitSigns checks that the approval of a list tells
// the unit's representatives, by name, what comes next for the unit: to
// sign the covenant with its button when the covenant is open, or that the
// unit signs once it is opened; not their bare names on a line of their
// own. A press on ✅ says it too.
func TestApprovalSaysWhenTheUnitSigns(t *testing.T) {
	c := newRegCast(t)
	c.open()
	c.say(c.group, c.minh, "/criteria add Tuyên truyền | 100")
	c.say(c.group, c.lan, "/dangky Vận động xây 50 nhà đại đoàn kết | 50 nhà")
	c.say(c.group, c.lan, "/guidangky")
	m := c.say(c.group, c.minh, "/duyet 3")
	expect(t, m.Text, "✅ Đã duyệt danh sách đăng ký thi đua của Hội Nông dân tỉnh (1 nội dung) — bởi Minh.\nLan: đơn vị ký giao ước khi Khối trưởng phát động giao ước (/covenant).")
	expect(t, m.HTML, fmt.Sprintf(`<a href="tg://user?id=%d">Lan</a>`, c.lan.ID))

	cov := c.say(c.group, c.minh, "/giaouoc Đoàn kết")
	c.say(c.group, c.minh, "/dangky Thành lập 40 đội thanh niên tình nguyện | 40 đội")
	sub := c.say(c.group, c.minh, "/guidangky")
	c.press(c.group, c.minh, sub, sub.Buttons[0][0].Data)
	expect(t, c.message(sub.ID).Text, "✅ Đã duyệt danh sách đăng ký thi đua của Tỉnh Đoàn (1 nội dung) — bởi Minh.\nMinh: đơn vị ký được giao ước rồi — bấm «✍️ Ký giao ước» dưới tin giao ước (gửi /covenant để hiện lại).")

	c.press(c.group, c.lan, cov, cov.Buttons[0][0].Data)
	c.say(c.group, c.minh, "/tralai 3 | Ghi rõ số nhà")
	c.say(c.group, c.lan, "/guidangky")
	expect(t, c.say(c.group, c.minh, "/duyet 3").Text, "\nLan: đơn vị ký được giao ước rồi — bấm «✍️ Ký giao ước»")
	if ur := c.unit(3); ur.State != thidua.ListApproved || ur.Signed != nil {
		t.Fatalf("Hội Nông dân tỉnh's list approved again: %+v", ur)
	}
}

// TestSubmitRedeliveredAfterItsPostIsNotPostedTwice checks that /submit,
// delivered again after the bot posted the submission and recorded its
// message but died before Telegram heard the update was handled, does not
// post the submission a second time: its buttons would outlive the
// approval by /approve, which takes them off the message recorded only. The
// redelivery is told it was recorded before.
func TestSubmitRedeliveredAfterItsPostIsNotPostedTwice(t *testing.T) {
	c := newRegCast(t)
	c.open()
	c.say(c.group, c.lan, "/pledge Xây nhà | 5 nhà")
	u := c.tg.Send(c.group, c.lan, "/submit")
	c.handled(u)
	sub := c.withButton("rg:")
	c.redeliver(u)
	if n := countContaining(c.harness, c.group.ID, "📨 Hội Nông dân tỉnh gửi danh sách"); n != 1 {
		t.Fatalf("the submission was posted %d times", n)
	}
	m, _ := c.tg.LastMessage(c.group.ID)
	expect(t, m.Text, "Yêu cầu này đã được ghi nhận trước đó")
	if c.unit(3).MessageID != sub.ID {
		t.Fatalf("the submission recorded is %d, not %d", c.unit(3).MessageID, sub.ID)
	}
	c.say(c.group, c.minh, "/approve 3")
	if got := c.message(sub.ID); len(got.Buttons) != 0 {
		t.Fatalf("the approved submission keeps its buttons: %v", got.Buttons)
	}
}

// submitted opens registration, has Lan register one pledge of unit 3 and
// submit the list, and returns the submission.
func (c *regCast) submitted() telegramtest.Message {
	c.t.Helper()
	c.open()
	c.say(c.group, c.lan, "/pledge Xây nhà | 5 nhà")
	return c.say(c.group, c.lan, "/submit")
}

// reviewByMinh is the change of a review of unit 3's list by Minh, for a
// crash to leave stored (see crashAfterWrite): its approval, or its return
// for reason when reason is not "".
func (c *regCast) reviewByMinh(reason string) func(*thidua.Block) error {
	minh := thidua.Actor{UserID: c.minh.ID, Name: "Minh"}
	return func(b *thidua.Block) error {
		var err error
		if reason == "" {
			_, err = b.ApprovePledges(minh, b.Units[2].ID, 0, c.now)
		} else {
			_, err = b.ReturnPledges(minh, b.Units[2].ID, reason, c.now)
		}
		return err
	}
}

// closedSubmission fails unless the group's message id, a list's
// submission, says each of want and has lost its buttons.
func (c *regCast) closedSubmission(id int, want ...string) {
	c.t.Helper()
	got := c.message(id)
	expect(c.t, got.Text, want...)
	if len(got.Buttons) != 0 {
		c.t.Fatalf("the submission keeps its buttons: %v", got.Buttons)
	}
}

// TestReturnOrApproveByCommandRedeliveredAfterACrashTakesTheButtonsOff
// checks that /approve or /return, should the bot die after storing the
// decision but before taking the buttons off the list's submission, takes
// them off when the update comes again, while it answers that the request
// was recorded before; a list returned after its approval keeps the message
// of its approval as it is.
func TestReturnOrApproveByCommandRedeliveredAfterACrashTakesTheButtonsOff(t *testing.T) {
	c := newRegCast(t)
	first := c.submitted()
	c.crashAfterWrite(c.minh, "/return 3 | Ghi rõ số nhà", c.reviewByMinh("Ghi rõ số nhà"))
	expect(t, c.lastIn(c.group.ID).Text, "Yêu cầu này đã được ghi nhận trước đó")
	c.closedSubmission(first.ID, "↩️ Danh sách đăng ký thi đua của Hội Nông dân tỉnh (1 nội dung) đã được trả lại để sửa — bởi Minh.", "Lý do: Ghi rõ số nhà")

	second := c.say(c.group, c.lan, "/submit")
	c.crashAfterWrite(c.minh, "/approve 3", c.reviewByMinh(""))
	c.closedSubmission(second.ID, "✅ Đã duyệt danh sách đăng ký thi đua của Hội Nông dân tỉnh (1 nội dung) — bởi Minh.")

	c.crashAfterWrite(c.minh, "/return 3 | Bổ sung nội dung", c.reviewByMinh("Bổ sung nội dung"))
	if got := c.message(second.ID); !strings.HasPrefix(got.Text, "✅ Đã duyệt") {
		t.Fatalf("the approval's message was edited: %q", got.Text)
	}
}

// TestApprovePressRedeliveredAfterACrashTakesTheButtonsOff checks that a
// press on ✅ Duyệt, should the bot die after storing the approval but
// before editing the submission, takes its buttons off when the press comes
// again, and says it was recorded before.
func TestApprovePressRedeliveredAfterACrashTakesTheButtonsOff(t *testing.T) {
	c := newRegCast(t)
	sub := c.submitted()
	u := c.crashAfterPress(c.minh, sub, "✅ Duyệt", c.reviewByMinh(""))
	if a, _ := c.tg.AnswerOf(u.CallbackQueryID); !strings.Contains(a.Text, "đã được ghi nhận trước đó") {
		t.Fatalf("the press is answered %+v", a)
	}
	c.closedSubmission(sub.ID, "✅ Đã duyệt danh sách đăng ký thi đua của Hội Nông dân tỉnh (1 nội dung) — bởi Minh.")
}

// Should the bot die after /submit or /covenant wrote their change but
// before posting the message with its buttons, the update comes again: the
// bot posts that message then, rather than only saying the request was
// recorded (a covenant posted again had its older buttons made stale).
func TestSubmitAndCovenantRedeliveredAfterACrashPostTheirButtons(t *testing.T) {
	c := newRegCast(t)
	c.open()
	c.say(c.group, c.lan, "/pledge Xây nhà | 5 nhà")
	lan := thidua.Actor{UserID: c.lan.ID, Name: "Lan"}
	c.crashAfterWrite(c.lan, "/submit", func(b *thidua.Block) error {
		_, err := b.SubmitPledges(lan, b.Units[2].ID, c.now)
		return err
	})
	sub, _ := c.tg.LastMessage(c.group.ID)
	expect(t, sub.Text, "📨 Hội Nông dân tỉnh gửi danh sách đăng ký thi đua (1 nội dung) để duyệt")
	if len(sub.Buttons) != 1 {
		t.Fatalf("buttons %+v", sub.Buttons)
	}
	c.press(c.group, c.minh, sub, sub.Buttons[0][0].Data)
	if c.unit(3).State != thidua.ListApproved {
		t.Fatalf("state %q", c.unit(3).State)
	}

	c.say(c.group, c.minh, "/criteria add Tuyên truyền | 100")
	c.say(c.group, c.minh, "/covenant Đoàn kết")
	minh := thidua.Actor{UserID: c.minh.ID, Name: "Minh"}
	c.crashAfterWrite(c.minh, "/covenant", func(b *thidua.Block) error {
		_, err := b.RepostCovenant(minh)
		return err
	})
	cov, _ := c.tg.LastMessage(c.group.ID)
	expect(t, cov.Text, "GIAO ƯỚC THI ĐUA NĂM 2026", "Đã ký: 0/7 đơn vị")
	if len(cov.Buttons) != 1 {
		t.Fatalf("buttons %+v", cov.Buttons)
	}
	if a := c.press(c.group, c.lan, cov, cov.Buttons[0][0].Data); a.ShowAlert {
		t.Fatalf("signature refused: %+v", a)
	}
	if c.unit(3).Signed == nil {
		t.Fatal("not signed")
	}
}
