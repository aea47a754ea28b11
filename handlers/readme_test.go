package handlers

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// readmeWho is how the README's command table starts the "who" cell of a
// command each role may use.
var readmeWho = map[role]string{
	roleAnyone:  "anyone",
	roleRep:     "representatives",
	roleManager: "managers",
	roleAdmin:   "group admins",
}

// readmeCommand is one row of the README's command table.
type readmeCommand struct {
	aliases []string // the alias cell's commands, without the slash
	who     string   // the "who" cell
}

// readmeCommandName finds a command's name at the start of a cell, and
// readmeAlias every command named in a cell.
var (
	readmeCommandName = regexp.MustCompile("^`/([a-z]+)")
	readmeAlias       = regexp.MustCompile("`/([a-z]+)`")
)

// commandTable reads the rows of the command table of a Markdown file, the
// lines starting "| `/", as their cells, which are separated by " | "; a "|"
// within a cell is written "\|" (and read as "¦"). A row of other than
// width cells fails the test, saying it is not of the form given.
func commandTable(t *testing.T, file, form string, width int) [][]string {
	t.Helper()
	text, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	for _, line := range strings.Split(string(text), "\n") {
		if !strings.HasPrefix(line, "| `/") {
			continue
		}
		cells := strings.Split(strings.ReplaceAll(strings.Trim(line, "| "), `\|`, "¦"), " | ")
		if len(cells) != width {
			t.Fatalf("%s: command row not of the form %s: %q", file, form, line)
		}
		rows = append(rows, cells)
	}
	return rows
}

// readmeCommands reads the README's command table, by command name.
func readmeCommands(t *testing.T) map[string]readmeCommand {
	t.Helper()
	const form = "| `/command …` | `/alias` | who | what |"
	rows := map[string]readmeCommand{}
	for _, cells := range commandTable(t, "../README.md", form, 4) {
		name := readmeCommandName.FindStringSubmatch(cells[0])
		if name == nil {
			t.Fatalf("README command row not of the form %s: %q", form, strings.Join(cells, " | "))
		}
		if _, dup := rows[name[1]]; dup {
			t.Errorf("README has two rows for /%s", name[1])
		}
		var aliases []string
		for _, a := range readmeAlias.FindAllStringSubmatch(cells[1], -1) {
			aliases = append(aliases, a[1])
		}
		rows[name[1]] = readmeCommand{aliases: aliases, who: cells[2]}
	}
	return rows
}

// The README's command table is the users' reference: it lists exactly the
// commands the bot knows, each with its aliases (every command has an
// unaccented Vietnamese one) and who may use it as /help says (one of the
// "who" cell's parts, separated by "; ", starts with that role: /selfscore
// is for "representatives; anyone sees a unit's").
func TestREADMECommandTable(t *testing.T) {
	rows := readmeCommands(t)
	for _, c := range New(Config{}).commands {
		row, ok := rows[c.name]
		if !ok {
			t.Errorf("README has no command table row for /%s", c.name)
			continue
		}
		delete(rows, c.name)
		if len(c.aliases) == 0 {
			t.Errorf("/%s has no Vietnamese alias", c.name)
		}
		if !slices.Equal(row.aliases, c.aliases) {
			t.Errorf("README gives /%s the aliases %v; the bot knows %v", c.name, row.aliases, c.aliases)
		}
		if !slices.ContainsFunc(strings.Split(row.who, "; "), func(part string) bool { return strings.HasPrefix(part, readmeWho[c.who]) }) {
			t.Errorf("README says /%s is for %q; /help says %s (README: %q)", c.name, row.who, msgWhoText[c.who].VI, readmeWho[c.who])
		}
	}
	for name := range rows {
		t.Errorf("README lists /%s, which the bot does not know", name)
	}
}
