package bot

import (
	"context"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Command is an entry of the bot's command menu.
type Command struct {
	// Name is the command without the slash: 1 to 32 lower-case letters,
	// digits and underscores.
	Name string
	// Desc describes the command in both languages.
	Desc T
}

// menuLanguages are the languages of a command menu: the default menu (no
// language code) and the "vi" menu in Vietnamese, the "en" menu in English.
var menuLanguages = []struct {
	code string
	lang Lang
}{{"", VI}, {string(VI), VI}, {string(EN), EN}}

// SetCommands publishes cmds as the command menu for scope with one
// setMyCommands call per language (see menuLanguages).
func SetCommands(ctx context.Context, s *Sender, scope tgbotapi.BotCommandScope, cmds []Command) error {
	for _, m := range menuLanguages {
		list := make([]tgbotapi.BotCommand, len(cmds))
		for i, c := range cmds {
			list[i] = tgbotapi.BotCommand{Command: c.Name, Description: c.Desc.In(m.lang)}
		}
		if _, err := s.Request(ctx, tgbotapi.NewSetMyCommandsWithScopeAndLanguage(scope, m.code, list...)); err != nil {
			return err
		}
	}
	return nil
}

// DeleteCommands removes the command menu SetCommands published for scope,
// in every language, with one deleteMyCommands call per language: the
// users it covered see the menu of the next broader scope again.
func DeleteCommands(ctx context.Context, s *Sender, scope tgbotapi.BotCommandScope) error {
	for _, m := range menuLanguages {
		if _, err := s.Request(ctx, tgbotapi.NewDeleteMyCommandsWithScopeAndLanguage(scope, m.code)); err != nil {
			return err
		}
	}
	return nil
}
