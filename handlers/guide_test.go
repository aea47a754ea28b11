package handlers

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// guideFile is the users' guide, in Vietnamese, at the repository's root.
const guideFile = "../HUONGDAN.md"

// guideWho is how the guide's command table starts the "who" cell of a
// command each role may use: the words the guide explains above the table.
var guideWho = map[role]string{
	roleAnyone:  "mọi người",
	roleRep:     "đầu mối",
	roleManager: "điều hành",
	roleAdmin:   "quản trị viên",
}

var (
	// guideCommandCell is the first cell of a row of the guide's command
	// table: the command's aliases, then its name in parentheses.
	guideCommandCell = regexp.MustCompile("^`/[a-z]+`(, `/[a-z]+`)* \\(`/[a-z]+`\\)$")
	// guideMention finds a slash and the word after it, a command's name
	// if the slash does not stand within a word (dd/mm/yyyy, t.me/…).
	guideMention = regexp.MustCompile(`/\p{L}[\p{L}\p{N}_]*`)
)

// guideMentions returns the names of the commands text mentions, in order.
func guideMentions(text string) []string {
	var names []string
	for _, at := range guideMention.FindAllStringIndex(text, -1) {
		if before, _ := utf8.DecodeLastRuneInString(text[:at[0]]); unicode.IsLetter(before) || unicode.IsDigit(before) {
			continue
		}
		names = append(names, text[at[0]+1:at[1]])
	}
	return names
}

// The users' guide (HUONGDAN.md) is printed and followed by people who
// cannot check it against the code, so it stays true to the bot: every
// command it mentions is one the bot knows, by name or alias, and its
// command table lists each command the bot has once, its aliases first and
// its name in parentheses, who may use it as /help says (one of the "who"
// cell's parts, separated by "; ", starts with the guide's word for that
// role), and an example that is that command.
func TestGuideCommands(t *testing.T) {
	r := New(Config{})
	guide, err := os.ReadFile(guideFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range guideMentions(string(guide)) {
		if r.byName[name] == nil {
			t.Errorf("the guide mentions /%s, which the bot does not know", name)
		}
	}
	type row struct{ aliases, cells []string }
	rows := map[string]row{}
	for _, cells := range commandTable(t, guideFile, "| `/alias` (`/command`) | ai dùng | việc | ví dụ |", 4) {
		if !guideCommandCell.MatchString(cells[0]) {
			t.Errorf("the guide's command row %q does not start with `/alias` (`/command`)", cells[0])
			continue
		}
		var names []string
		for _, m := range readmeAlias.FindAllStringSubmatch(cells[0], -1) {
			names = append(names, m[1])
		}
		name := names[len(names)-1]
		if _, dup := rows[name]; dup {
			t.Errorf("the guide has two rows for /%s", name)
		}
		rows[name] = row{aliases: names[:len(names)-1], cells: cells}
	}
	for _, c := range r.commands {
		row, ok := rows[c.name]
		if !ok {
			t.Errorf("the guide's command table has no row for /%s", c.name)
			continue
		}
		delete(rows, c.name)
		if !slices.Equal(row.aliases, c.aliases) {
			t.Errorf("the guide gives /%s the aliases %v; the bot knows %v", c.name, row.aliases, c.aliases)
		}
		if who := row.cells[1]; !slices.ContainsFunc(strings.Split(who, "; "), func(part string) bool { return strings.HasPrefix(part, guideWho[c.who]) }) {
			t.Errorf("the guide says /%s is for %q; /help says %s (the guide: %q)", c.name, who, msgWhoText[c.who].VI, guideWho[c.who])
		}
		if ex := readmeCommandName.FindStringSubmatch(row.cells[3]); ex == nil || r.byName[ex[1]] != c {
			t.Errorf("the guide's example of /%s, %q, is not that command", c.name, row.cells[3])
		}
	}
	for name := range rows {
		t.Errorf("the guide's command table lists /%s, which the bot does not know", name)
	}
}
