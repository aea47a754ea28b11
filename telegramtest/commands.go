package telegramtest

import (
	"cmp"
	"encoding/json"
	"regexp"
	"slices"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// maxCommands is the most commands one scope and language can have.
const maxCommands = 100

var (
	// commandNamePattern is what Telegram allows as a command name.
	commandNamePattern = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
	// languageCodePattern is what Telegram allows as a language_code.
	languageCodePattern = regexp.MustCompile(`^[a-z]{2}$`)
)

// CommandSet is the command list the bot registered for one scope and
// language.
type CommandSet struct {
	// Scope is the scope; its Type is "default" when the bot gave none.
	Scope tgbotapi.BotCommandScope
	// LanguageCode is the language, empty for all languages.
	LanguageCode string
	// Commands are the commands, in the bot's order.
	Commands []tgbotapi.BotCommand
}

// commandKey identifies a command list.
type commandKey struct {
	scope tgbotapi.BotCommandScope
	lang  string
}

// commandStore holds the command lists by scope and language.
type commandStore map[commandKey][]tgbotapi.BotCommand

// commandKeyOf reads and validates the scope and language_code parameters.
// A scope naming a group upgraded to a supergroup is refused as Telegram
// refuses every call naming it, with the supergroup's id. The caller holds
// s.mu.
func (s *Server) commandKeyOf(r *apiRequest) (commandKey, *apiError) {
	key := commandKey{scope: tgbotapi.BotCommandScope{Type: "default"}, lang: r.str("language_code")}
	if key.lang != "" && !languageCodePattern.MatchString(key.lang) {
		return key, badRequest("invalid language code specified")
	}
	if raw := r.str("scope"); raw != "" {
		if json.Unmarshal([]byte(raw), &key.scope) != nil {
			return key, badRequest("can't parse BotCommandScope JSON object")
		}
	}
	switch key.scope.Type {
	case "default", "all_private_chats", "all_group_chats", "all_chat_administrators":
		key.scope.ChatID, key.scope.UserID = 0, 0
	case "chat", "chat_administrators", "chat_member":
		if _, err := s.resolveChatLocked(key.scope.ChatID, false); err != nil {
			return key, err
		}
		if key.scope.Type != "chat_member" {
			key.scope.UserID = 0
		} else if _, ok := s.users[key.scope.UserID]; !ok {
			return key, badRequest("user not found")
		}
	default:
		return key, badRequest("unsupported bot command scope type")
	}
	return key, nil
}

// handleSetMyCommands serves setMyCommands. An empty list deletes the
// commands of the scope and language.
func (s *Server) handleSetMyCommands(r *apiRequest) (any, *apiError) {
	raw := r.str("commands")
	if raw == "" {
		return nil, badRequest("parameter \"commands\" is required")
	}
	var commands []tgbotapi.BotCommand
	if json.Unmarshal([]byte(raw), &commands) != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	if len(commands) > maxCommands {
		return nil, badRequest("BOT_COMMANDS_TOO_MUCH")
	}
	for _, c := range commands {
		if !commandNamePattern.MatchString(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf16Len(c.Description); n < 1 || n > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key, err := s.commandKeyOf(r)
	if err != nil {
		return nil, err
	}
	if len(commands) == 0 {
		delete(s.commands, key)
	} else {
		s.commands[key] = commands
	}
	s.notifyLocked()
	return true, nil
}

// handleGetMyCommands serves getMyCommands: the list of exactly the given
// scope and language, without falling back to broader ones.
func (s *Server) handleGetMyCommands(r *apiRequest) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key, err := s.commandKeyOf(r)
	if err != nil {
		return nil, err
	}
	return append([]tgbotapi.BotCommand{}, s.commands[key]...), nil
}

// handleDeleteMyCommands serves deleteMyCommands.
func (s *Server) handleDeleteMyCommands(r *apiRequest) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key, err := s.commandKeyOf(r)
	if err != nil {
		return nil, err
	}
	delete(s.commands, key)
	s.notifyLocked()
	return true, nil
}

// Commands returns every command list the bot registered, ordered by scope
// type, chat, user and language.
func (s *Server) Commands() []CommandSet {
	s.mu.Lock()
	defer s.mu.Unlock()
	sets := make([]CommandSet, 0, len(s.commands))
	for key, commands := range s.commands {
		sets = append(sets, CommandSet{
			Scope:        key.scope,
			LanguageCode: key.lang,
			Commands:     append([]tgbotapi.BotCommand(nil), commands...),
		})
	}
	slices.SortFunc(sets, func(a, b CommandSet) int {
		return cmp.Or(
			cmp.Compare(a.Scope.Type, b.Scope.Type),
			cmp.Compare(a.Scope.ChatID, b.Scope.ChatID),
			cmp.Compare(a.Scope.UserID, b.Scope.UserID),
			cmp.Compare(a.LanguageCode, b.LanguageCode),
		)
	})
	return sets
}
