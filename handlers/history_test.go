package handlers_test

import (
	"strconv"
	"strings"
	"testing"
)

func TestHistoryIsAttributable(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	lan := h.member("Lan", "lan")
	h.join(lan, "Tỉnh Đoàn")
	h.say(h.group, h.admin, "/renameunit 6 | Tỉnh Đoàn Lào Cai")
	m := h.say(h.group, lan, "/lichsu 5")
	expect(t, m.Text, "Lịch sử thay đổi (5 mục gần nhất)",
		"02/03/2026 09:00 — Hùng (quản trị viên): đổi tên đơn vị [Tỉnh Đoàn Lào Cai]: «Tỉnh Đoàn» → «Tỉnh Đoàn Lào Cai»",
		"Lan: xin làm đầu mối [Tỉnh Đoàn Lào Cai]",
		"Hùng (quản trị viên): duyệt đầu mối")
	m = h.say(h.group, lan, "/history")
	for _, line := range strings.Split(m.Text, "\n")[1:] {
		if strings.Contains(line, ": unit.") || strings.Contains(line, ": join.") || strings.Contains(line, ": block.") {
			t.Fatalf("an action without a name: %q", line)
		}
	}
	m = h.say(h.group, lan, "/history 1000")
	expect(t, m.Text, "Số mục phải là một số từ 1 đến 100")
}

// The history names people by name, with their username when they have
// one, and never by their Telegram id, which it keeps apart (PersonID,
// ActorID) for disputes; entries stored before so, "Name (123456789)",
// show the name alone.
func TestHistoryNamesPeopleWithoutIDs(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	lan := h.member("Lan", "lan")
	h.join(lan, doan)
	minh := h.member("Minh", "")
	h.say(h.group, minh, "/join Hội Nông dân")
	ask, _ := h.tg.LastMessage(h.group.ID)
	h.press(h.group, h.admin, ask, ask.Buttons[0][1].Data) // Từ chối
	h.say(h.group, lan, "/leave")
	b := h.block()
	if b.RepOf(lan.ID) != nil || b.RepOf(minh.ID) != nil || len(b.Requests) != 0 {
		t.Fatalf("representatives %+v, requests %+v", b.Reps, b.Requests)
	}

	// An entry stored by an earlier version, and the block's setup, whose
	// year in brackets is no id.
	old := `{"at":"2026-03-01T08:00:00+07:00","actor_id":` + strconv.FormatInt(h.admin.ID, 10) +
		`,"actor_name":"Hùng","as_admin":true,"action":"join.approve","subject":"` + b.Units[0].ID + `","after":"Cũ (123456789)"}`
	if err := h.redis.RPush(t.Context(), h.prefix+"{b:"+b.ID+"}:log", old).Err(); err != nil {
		t.Fatal(err)
	}

	m := h.say(h.group, minh, "/history")
	expect(t, m.Text,
		"Lan: xin làm đầu mối [Tỉnh Đoàn]: «Tỉnh Đoàn»",
		"Hùng (quản trị viên): duyệt đầu mối [Tỉnh Đoàn]: «Lan (lan)»",
		"Hùng (quản trị viên): từ chối đầu mối [Hội Nông dân tỉnh]: «Minh»",
		"Lan: thôi làm đầu mối [Tỉnh Đoàn]: «Lan (lan)»",
		"01/03/2026 08:00 — Hùng (quản trị viên): duyệt đầu mối [Ủy ban MTTQ Việt Nam tỉnh]: «Cũ»",
		"thiết lập khối: «Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai (2026)»")
	for _, id := range []int64{lan.ID, minh.ID, h.admin.ID, 123456789} {
		if strings.Contains(m.Text, strconv.FormatInt(id, 10)) {
			t.Fatalf("the history shows the id %d: %q", id, m.Text)
		}
	}

	// Who they were stays stored.
	events, err := h.store.History(t.Context(), b.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	about := map[string][]int64{} // action: actor, person
	for _, e := range events {
		about[e.Action+" "+e.Before+e.After] = []int64{e.ActorID, e.PersonID}
	}
	for key, want := range map[string][]int64{
		"join.approve Lan (lan)": {h.admin.ID, lan.ID},
		"join.reject Minh":       {h.admin.ID, minh.ID},
		"rep.leave Lan (lan)":    {lan.ID, lan.ID},
		"join.approve Cũ":        {h.admin.ID, 123456789},
	} {
		if got := about[key]; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("%s: actor and person %v, want %v", key, got, want)
		}
	}
}
