package handlers_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"thiduabot/storage"
	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

func TestHistoryIsAttributable(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	lan := h.member("Lan", "lan")
	h.join(lan, "Tỉnh Đoàn")
	h.say(h.group, h.admin, "/renameunit 6 | Tỉnh Đoàn Lào Cai")
	m := h.say(h.group, lan, "/lichsu 5")
	expect(t, m.Text, "Lịch sử thay đổi (5 mục gần nhất trong ",
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

// An administrator who also represents an ordinary unit acts on the block
// by administrator rights, and the history says so.
func TestAdminActionsAreMarkedEvenForRepresentatives(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	h.join(h.admin, "Ủy ban MTTQ")
	h.say(h.group, h.admin, "/renameunit 2 | Hội Cựu chiến binh tỉnh Lào Cai")
	m := h.say(h.group, h.admin, "/history 1")
	expect(t, m.Text, "Hùng (quản trị viên): đổi tên đơn vị")
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
	events, err := storage.History(t.Context(), h.store, b.ID, 0)
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

// The history keeps naming the unit of past changes after the unit is
// removed: who did what for which unit stays attributable.
func TestHistoryNamesARemovedUnit(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	lan := h.member("Lan", "lan")
	h.join(lan, "Hội Chữ thập đỏ tỉnh")
	m := h.say(h.group, h.admin, "/removeunit Hội Chữ thập đỏ tỉnh")
	h.press(h.group, h.admin, m, m.Buttons[0][0].Data)
	if len(h.block().Units) != 6 {
		t.Fatal("not removed")
	}
	m = h.say(h.group, h.admin, "/history 4")
	expect(t, m.Text, "Lan: xin làm đầu mối [Hội Chữ thập đỏ tỉnh]",
		"duyệt đầu mối [Hội Chữ thập đỏ tỉnh]", "xoá đơn vị [Hội Chữ thập đỏ tỉnh]")
}

// The values of history entries that the domain writes with words of its
// own, in Vietnamese, are read in the reader's language, entries stored by
// earlier versions as well: an English speaker reads them in English, a
// Vietnamese speaker as they were stored; a value the bot does not
// recognise, and the words users typed (a note, a title), stay as stored.
func TestHistoryWordsStoredValuesInTheReadersLanguage(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	unit := h.block().Units[2].ID
	checkHistoryValues(h, []storedEntry{
		{"reg.open", "", "", "hạn 31/03/2026", "«due 31/03/2026»"},
		{"reg.due", "", "hạn 31/03/2026", "hạn chót 15/04", "«due 31/03/2026» → «hạn chót 15/04»"},
		{"pledges.submit", unit, "", "3 nội dung", "«3 pledges»"},
		{"pledges.approve", unit, "", "1 nội dung", "«1 pledge»"},
		{"reminder.settings", "", "7,3,1,0 ngày · 08:00 · yên lặng 21:00-07:00 · cả cuối tuần", "1 ngày · 07:30 · không giờ yên lặng · trừ cuối tuần",
			"«7,3,1,0 days · 08:00 · quiet 21:00-07:00 · weekends on» → «1 day · 07:30 · quiet off · weekends off»"},
		{"reminder.sent", "final", "", "Hoàn thành toàn diện các chỉ tiêu năm 2026: Tỉnh Đoàn", "«Complete all of the year's targets (2026): Tỉnh Đoàn»"},
		{"reminder.sent", "registration", "", "Đăng ký nội dung thi đua: Tỉnh Đoàn", "«Register and submit the pledges: Tỉnh Đoàn»"},
		{"reminder.sent", "covenant", "", "Ký giao ước thi đua: Tỉnh Đoàn", "«Sign the covenant: Tỉnh Đoàn»"},
		{"reminder.sent", "election:e7", "", "Bầu Khối phó năm 2027 (vòng 2): Hội Nông dân tỉnh", "«Election of the deputy for 2027 (round 2): Hội Nông dân tỉnh»"},
		{"reminder.now", "period:p1", "", "Báo cáo kết quả Quý I", "«Results report: Quý I»"},
		{"reminder.now", "custom:1", "", "Báo cáo kết quả tháng 3", "«Báo cáo kết quả tháng 3»"},
		{"period.delete", "", "Quý I | 31/03/2026 (2 báo cáo)", "", "«Quý I | 31/03/2026 (2 reports)»"},
		{"report.submit", unit, "", "Quý I — 1: 45 nhà (đạt 60% chỉ tiêu); 2: 60% chỉ tiêu — nộp muộn",
			"«Quý I — 1: 45 nhà (đạt 60% chỉ tiêu); 2: 60% of the target — late»"},
		{"report.evidence", unit, "", "Quý I: ảnh", "«Quý I: photo»"},
		{"report.evidence", unit, "", "Quý I: tệp bien-ban.pdf — Biên bản", "«Quý I: file bien-ban.pdf — Biên bản»"},
		{"score.review", unit, "88,5 điểm (2/3 tiêu chí) — 3: chưa chấm", "1 điểm (1/1 tiêu chí) — 1: 1 (chưa chấm lại)",
			"«88,5 points (2/3 criteria) — 3: not scored» → «1 point (1/1 criterion) — 1: 1 (chưa chấm lại)»"},
	})
}

// storedEntry is a history entry as stored, with the end of its line in
// /history read in English.
type storedEntry struct{ action, subject, before, after, english string }

// checkHistoryValues stores the entries in the history of the harness's
// block, as any version of the bot may have written them, and checks that
// /history shows each to an English speaker ending as its english says,
// and to a Vietnamese speaker as stored.
func checkHistoryValues(h *harness, entries []storedEntry) {
	t := h.t
	t.Helper()
	b := h.block()
	john := h.member("John", "john", telegramtest.Lang("en"))
	for i, e := range entries {
		stored, err := json.Marshal(thidua.Event{At: time.Date(2026, 3, 1, 8, i, 0, 0, hcm), ActorName: "Hùng",
			Action: e.action, Subject: e.subject, Before: e.before, After: e.after})
		if err != nil {
			t.Fatal(err)
		}
		if err := h.redis.RPush(t.Context(), h.prefix+"{b:"+b.ID+"}:log", stored).Err(); err != nil {
			t.Fatal(err)
		}
	}
	english := h.say(h.group, john, "/history 100").Text
	vietnamese := h.say(h.group, h.admin, "/history 100").Text
	for i, e := range entries {
		at := fmt.Sprintf("01/03/2026 08:%02d — Hùng: ", i)
		line := func(text string) string {
			for l := range strings.SplitSeq(text, "\n") {
				if strings.Contains(l, at) {
					return l
				}
			}
			t.Fatalf("no entry at %s in:\n%s", at, text)
			return ""
		}
		if got := line(english); !strings.HasSuffix(got, ": "+e.english) {
			t.Errorf("in English, %s %q → %q reads %q, want it to end %q", e.action, e.before, e.after, got, e.english)
		}
		stored := "«" + e.after + "»"
		switch {
		case e.before != "" && e.after != "":
			stored = "«" + e.before + "» → " + stored
		case e.before != "":
			stored = "«" + e.before + "»"
		}
		if got := line(vietnamese); !strings.HasSuffix(got, ": "+stored) {
			t.Errorf("in Vietnamese, %s reads %q, want it as stored, %q", e.action, got, stored)
		}
	}
}

// What users typed into a history value is not taken for the words the
// bot wrote around it: a document's caption that says «: ảnh» leaves the
// document a file, read in English as one, the caption as typed.
func TestHistoryValuesKeepWhatUsersTyped(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	unit := h.block().Units[2].ID
	checkHistoryValues(h, []storedEntry{
		{"report.evidence", unit, "", "Quý I: tệp ho-so.pdf — Hồ sơ gồm: ảnh và danh sách", "«Quý I: file ho-so.pdf — Hồ sơ gồm: ảnh và danh sách»"},
		{"report.evidence", unit, "", "Quý I: ảnh — Gửi kèm: tệp danh sách sau", "«Quý I: photo — Gửi kèm: tệp danh sách sau»"},
	})
}
