package handlers_test

import (
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
