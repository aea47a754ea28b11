package handlers_test

import (
	"testing"

	"thiduabot/storage"
	"thiduabot/telegramtest"
)

func TestSetupByAdmin(t *testing.T) {
	h := newHarness(t)
	m := h.say(h.group, h.admin, "/setup Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai")
	expect(t, m.Text, "✅ Nhóm này đã trở thành Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai, năm thi đua 2026", "/addunit")
	b := h.block()
	if b.Name != "Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai" || b.Year != 2026 || b.ChatID != h.group.ID {
		t.Fatalf("block %+v", b)
	}
	m = h.say(h.group, h.admin, "/thietlap Khối thi đua số 1")
	expect(t, m.Text, "Đã đổi tên khối thành Khối thi đua số 1")
	if h.block().Name != "Khối thi đua số 1" {
		t.Fatal("not renamed")
	}
}

func TestSetupRefusals(t *testing.T) {
	h := newHarness(t)
	lan := h.member("Lan", "lan")
	m := h.say(h.group, lan, "/setup Khối của Lan")
	expect(t, m.Text, "chỉ quản trị viên nhóm")
	m = h.say(h.group, h.admin, "/setup")
	expect(t, m.Text, "Bạn chưa nhập tên khối", "Cú pháp: /setup <tên khối>", "Ví dụ: /setup Khối thi đua")
	m = h.say(h.group, h.admin, "/units")
	expect(t, m.Text, "Nhóm này chưa được thiết lập khối thi đua")
	if _, err := h.store.BlockByChat(t.Context(), h.group.ID); err == nil {
		t.Fatal("a refused setup created a block")
	}
	// In private the command belongs to the group.
	m = h.say(h.tg.PrivateChat(h.admin), h.admin, "/setup Khối")
	expect(t, m.Text, "Lệnh này dùng trong nhóm chat của khối")
}

func TestSetupByAnonymousAdmin(t *testing.T) {
	h := newHarness(t)
	h.handled(h.tg.SendAsGroup(h.group, "/setup Khối ẩn danh"))
	m, _ := h.tg.LastMessage(h.group.ID)
	expect(t, m.Text, "Khối ẩn danh")
	ev, err := storage.History(t.Context(), h.store, h.block().ID, 0)
	if err != nil || len(ev) == 0 || ev[0].ActorID != h.group.ID {
		t.Fatalf("history %+v %v", ev, err)
	}
}

func TestEnglishSpeaker(t *testing.T) {
	h := newHarness(t)
	john := h.tg.NewUser("John", "", telegramtest.Lang("en-GB"))
	h.group.SetStatus(john, telegramtest.StatusAdministrator)
	m := h.say(h.group, john, "/setup Emulation block")
	expect(t, m.Text, "This group is now Emulation block, emulation year 2026")
}

func TestHTMLIsEscaped(t *testing.T) {
	h := newHarness(t)
	m := h.say(h.group, h.admin, "/setup Khối <b>A</b> & B")
	expect(t, m.Text, "Khối <b>A</b> & B") // shown literally: the fake rejects bad HTML
	expect(t, m.HTML, "Khối &lt;b&gt;A&lt;/b&gt; &amp; B")
}
