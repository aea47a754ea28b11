package handlers

import (
	"time"

	"thiduabot/bot"
)

// Command is a registered command as the tests of package handlers_test
// see it.
type Command struct {
	// Name is the command's name, without the slash.
	Name string
	// InGroup and InPrivate say where it may be used.
	InGroup, InPrivate bool
	// Who is who may use it, as the README's command table says it:
	// "anyone", "representatives", "managers" or "group admins".
	Who string
	// Example is its Vietnamese example dated in 2026, the year of the
	// tests' blocks, "" if it has none.
	Example string
}

// Commands lists the registered commands in registration order, read from
// the router as TestREADMECommandTable reads them.
func Commands() []Command {
	var out []Command
	for _, c := range New(Config{}).commands {
		out = append(out, Command{
			Name: c.name, InGroup: c.where&inGroup != 0, InPrivate: c.where&inPrivate != 0,
			Who: readmeWho[c.who], Example: c.exampleIn(bot.VI, 2026),
		})
	}
	return out
}

// CallbackPrefixes lists the prefixes of the button data the router
// registers handlers for.
func CallbackPrefixes() []string {
	var out []string
	for p := range New(Config{}).callbacks {
		out = append(out, p)
	}
	return out
}

// SetSavedNoticeTimeout bounds the notice of a change saved but not
// confirmed to d, and returns what puts the bound back.
func SetSavedNoticeTimeout(d time.Duration) (restore func()) {
	was := savedNoticeTimeout
	savedNoticeTimeout = d
	return func() { savedNoticeTimeout = was }
}
