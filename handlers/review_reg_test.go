package handlers_test

import (
	"strings"
	"testing"

	"thiduabot/storage"
	"thiduabot/thidua"
)

// Making the leader unit the deputy leaves the block without a leader: the
// answer says so, and the history records that the leader office was
// emptied, with its holder before, since the leader's representatives lose
// the right to run the block.
func TestReviewRegDeputyOnLeaderRecordsLeaderCleared(t *testing.T) {
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
func TestReviewRegFindUnitByFoldedFullName(t *testing.T) {
	h := newHarness(t)
	h.say(h.group, h.admin, "/setup Khối")
	h.say(h.group, h.admin, "/addunit Báo Lào Cai điện tử\nBáo Lào Cai cuối tuần\nBáo Lào Cai")
	m := h.say(h.group, h.admin, "/leader bao lao cai")
	expect(t, m.Text, "✅ Báo Lào Cai là Khối trưởng năm 2026.")
	m = h.say(h.group, h.admin, "/deputy báo lào cai điện tử")
	expect(t, m.Text, "✅ Báo Lào Cai điện tử là Khối phó năm 2026.")
}

// A duplicate among several units added at once is named, so the manager
// knows which line to fix; nothing is added.
func TestReviewRegAddUnitsNamesTheDuplicate(t *testing.T) {
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

// Should the bot die after /join recorded the request but before it posted
// the approval buttons, the update comes again: the bot posts the request
// with its buttons then, since nothing else approves a request, rather than
// only telling the asker it was recorded.
func TestReviewRegJoinRedeliveredAfterACrashPostsTheButtons(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	lan := h.member("Lan", "lan")
	// What the bot wrote before it died: the request, and no message.
	h.crashAfterWrite(lan, "/join Hội Nông dân tỉnh", func(b *thidua.Block) error {
		_, err := b.RequestJoin(thidua.Actor{UserID: lan.ID, Name: lan.FirstName, Username: lan.UserName}, b.Units[2].ID, h.now)
		return err
	})
	ask, _ := h.tg.LastMessage(h.group.ID)
	expect(t, ask.Text, "🙋 Lan xin làm đầu mối của Hội Nông dân tỉnh.")
	if len(ask.Buttons) != 1 || len(ask.Buttons[0]) != 2 {
		t.Fatalf("buttons %+v", ask.Buttons)
	}
	h.press(h.group, h.admin, ask, ask.Buttons[0][0].Data)
	if rp := h.block().RepOf(lan.ID); rp == nil || rp.UnitID != h.block().Units[2].ID {
		t.Fatalf("Lan was not approved: %+v", rp)
	}
	if n := len(h.block().Requests); n != 0 {
		t.Fatalf("%d requests left", n)
	}
}

// A target written as a range or a fraction ("3-5 mô hình", "1/2 số xã")
// is kept as the representative wrote it, a target in words: not the first
// number with the rest taken for its measure ("3 -5 mô hình"), against
// which completion would be measured.
func TestReviewRegRangeTargetIsKeptAsWritten(t *testing.T) {
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

// A list returned and not sent again cannot be returned (or approved) a
// second time; the answer says why without claiming the unit never sent
// it.
func TestReviewRegReturnTwiceSaysTheListWasReturned(t *testing.T) {
	c := newRegCast(t)
	c.open()
	c.say(c.group, c.lan, "/pledge Xây nhà | 5 nhà")
	c.say(c.group, c.lan, "/submit")
	expect(t, c.say(c.group, c.minh, "/return 3 | Cần rõ hơn").Text, "được trả lại để sửa")
	c.refused(c.minh, "/return 3 | Ghi rõ số hộ", "chưa gửi lại sau khi bị trả lại")
	c.refused(c.minh, "/approve 3", "chưa gửi lại sau khi bị trả lại")
}

// Should the bot die after /submit or /covenant wrote their change but
// before posting the message with its buttons, the update comes again: the
// bot posts that message then, rather than only saying the request was
// recorded (a covenant posted again had its older buttons made stale).
func TestReviewRegSubmitAndCovenantRedeliveredAfterACrashPostTheirButtons(t *testing.T) {
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
