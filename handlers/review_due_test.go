package handlers_test

import (
	"fmt"
	"testing"
)

// "/remind 7 3 1" (days separated by spaces rather than commas) must set
// the three days, not silently keep only the last one.
func TestReviewDueRemindDaysSeparatedBySpaces(t *testing.T) {
	h := newHarness(t)
	withReps(h)
	m := h.say(h.group, h.admin, "/remind 7 3 1")
	expect(t, m.Text, "Nhắc 7, 3, 1 ngày trước hạn")
	if s := h.block().Reminders(); fmt.Sprint(s.Days) != "[7 3 1]" {
		t.Fatalf("days %v, want [7 3 1]", s.Days)
	}
	m = h.say(h.group, h.admin, "/nhacnho 14,7 3,1 0 8h30")
	expect(t, m.Text, "Nhắc 14, 7, 3, 1 ngày trước hạn và trong ngày hạn, lúc 08:30")
	if s := h.block().Reminders(); fmt.Sprint(s.Days) != "[14 7 3 1 0]" {
		t.Fatalf("days %v, want [14 7 3 1 0]", s.Days)
	}
}
