// Package handlers turns Telegram updates into block operations: it parses
// commands and button presses, checks who is asking, calls the thidua domain
// through storage, and answers through the bot's outbound sender.
//
// There is one file per feature (setup.go, units.go, join.go, help.go, ...).
// Each feature registers its commands and button prefixes in router.go's
// tables, so /help, the Telegram command menu and the README's command table
// all come from one list.
package handlers
