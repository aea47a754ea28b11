package handlers_test

import (
	"os"
	"strings"
	"testing"
)

// The README's command table is the users' reference: every command and
// alias the bot knows must be in it.
func TestREADMEListsEveryCommand(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t)
	r := newRouter(h, nil)
	for _, c := range r.Commands() {
		row := ""
		for _, line := range strings.Split(string(readme), "\n") {
			if strings.HasPrefix(line, "| `/"+c.Name+"`") || strings.HasPrefix(line, "| `/"+c.Name+" ") {
				row = line
			}
		}
		if row == "" {
			t.Errorf("README has no command table row for /%s", c.Name)
			continue
		}
		for _, a := range c.Aliases {
			if !strings.Contains(row, "`/"+a+"`") {
				t.Errorf("README row of /%s lacks the alias /%s", c.Name, a)
			}
		}
	}
}
