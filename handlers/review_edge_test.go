package handlers_test

import (
	"strings"
	"testing"
)

// A plain member may show the reminder settings with /remind (README: "anyone;
// managers change"), so /help lists it for them, as it lists /criteria.
func TestReviewEdgeHelpListsRemindForMembers(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	lan := h.member("Lan", "lan")
	m := h.say(h.group, lan, "/remind")
	expect(t, m.Text, "08:00") // the settings are shown to her
	m = h.say(h.group, lan, "/help")
	expect(t, m.Text, "/remind (/nhacnho)")
	// And the manager's commands stay hidden from her, /newyear included.
	for _, hidden := range []string{"/newyear", "/remindnow", "/setup", "/addunit"} {
		if strings.Contains(m.Text, hidden+" ") {
			t.Fatalf("a member's /help lists %s:\n%s", hidden, m.Text)
		}
	}
}
