package handlers

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/storage"
)

// Config holds what the handlers need from the rest of the program.
type Config struct {
	// Store keeps the blocks.
	Store storage.Store
	// Sender performs every call to Telegram.
	Sender *bot.Sender
	// Admins answers whether a user administers a group.
	Admins *bot.Admins
	// BotUsername is the bot's @username without the @, used to recognise
	// "/command@thiduabot" and to build links.
	BotUsername string
	// Lang is the language of messages addressed to the whole group and to
	// users whose Telegram language is neither Vietnamese nor English.
	Lang bot.Lang
	// Location is the time zone dates are shown and read in.
	Location *time.Location
	// Now returns the current time; tests replace it. Defaults to time.Now.
	Now func() time.Time
	// Log receives the handlers' log lines. Defaults to slog.Default().
	Log *slog.Logger
	// Dedupe, when set, makes the router skip the updates it handled before
	// and remember those it handles without changing a block, which the
	// block's record of applied updates remembers (see request.once); the
	// dispatcher then needs no Dedupe of its own.
	Dedupe *Dedupe
}

// Dedupe configures how the router recognises updates it handled before:
// Telegram delivers an update again when the bot stopped before confirming
// it, and retries a webhook delivery that failed.
type Dedupe struct {
	// Scope separates the update ids of bots sharing one store: the bot's
	// user id.
	Scope int64
	// TTL is how long handled updates are remembered. Defaults to 48 hours.
	TTL time.Duration
}

// Router dispatches updates to the feature handlers. It implements bot.Handler.
type Router struct {
	cfg       Config
	commands  []*command
	byName    map[string]*command
	callbacks map[string]*callback
	actions   map[string]bot.T // history action names, for /history
	errors    []domainError    // what users are told for each domain error
	// menuStamp identifies the command menus of the leader unit's
	// representatives of this release (see menuStampOf).
	menuStamp string
}

// Where a command may be used.
type place int

const (
	inGroup place = 1 << iota
	inPrivate
)

// Who may use a command; /help lists what the asker's role allows.
type role int

const (
	roleAnyone  role = iota
	roleRep          // a representative of a unit
	roleManager      // a group administrator or a representative of the leader unit
	roleAdmin        // a group administrator
)

// command is one chat command with its Vietnamese aliases.
type command struct {
	name    string
	aliases []string
	where   place
	who     role
	usage   bot.T // the arguments, shown in /help and in error messages
	example bot.T // a complete example, shown when the arguments are wrong
	desc    bot.T
	run     func(q *request) error
	// writeFirst marks a command whose handler reads the chat's block only
	// to change it, answering after the change: it runs on the block this
	// process has cached, which the change's write checks, so that it costs
	// one round trip to Redis instead of two (see request.speculate). Every
	// answer it gives must go through the request (send, answer, edit).
	writeFirst bool
}

// exampleIn is the command's example in l, dated in year (see dated).
func (c *command) exampleIn(l bot.Lang, year int) string { return dated(c.example.In(l), year) }

// callback handles the presses of buttons whose data start with its prefix.
type callback struct {
	run func(q *request, args []string) error
	// writeFirst is as for a command.
	writeFirst bool
}

// New builds a Router with every feature registered.
func New(cfg Config) *Router {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Lang == "" {
		cfg.Lang = bot.VI
	}
	if cfg.Dedupe != nil && cfg.Dedupe.TTL <= 0 {
		d := *cfg.Dedupe
		d.TTL = 48 * time.Hour
		cfg.Dedupe = &d
	}
	r := &Router{cfg: cfg, byName: map[string]*command{}, callbacks: map[string]*callback{}, actions: map[string]bot.T{}}
	r.describeErrors(coreErrors...)
	// Features, in the order /help lists them.
	r.registerHelp()
	r.registerGroup()
	r.registerSetup()
	r.registerTopics()
	r.registerUnits()
	r.registerJoin()
	r.registerHistory()
	r.registerRegistration()
	r.registerElection()
	r.registerDeadlines()
	r.registerResults()
	r.registerScoring()
	r.registerAwards()
	r.registerExemplars()
	r.registerYear()
	r.menuStamp = menuStampOf(r.menu(inGroup, roleManager), r.menu(inGroup, roleAdmin))
	return r
}

func (r *Router) add(c *command) {
	r.commands = append(r.commands, c)
	for _, n := range append([]string{c.name}, c.aliases...) {
		if _, dup := r.byName[n]; dup {
			panic("handlers: command registered twice: " + n)
		}
		r.byName[n] = c
	}
}

// onCallback registers the handler of the buttons whose data start with
// prefix, and returns it for options to be set.
func (r *Router) onCallback(prefix string, fn func(*request, []string) error) *callback {
	if _, dup := r.callbacks[prefix]; dup {
		panic("handlers: callback prefix registered twice: " + prefix)
	}
	c := &callback{run: fn}
	r.callbacks[prefix] = c
	return c
}

// describeActions names, for /history, the actions a feature records.
func (r *Router) describeActions(names map[string]bot.T) {
	for k, v := range names {
		if _, dup := r.actions[k]; dup {
			panic("handlers: history action described twice: " + k)
		}
		r.actions[k] = v
	}
}

// describeErrors says what users are told for a feature's domain errors. The
// first entry matching an error (errors.Is) wins.
func (r *Router) describeErrors(errs ...domainError) {
	r.errors = append(r.errors, errs...)
}

// RegisterMenu publishes the command menu with setMyCommands, for group and
// private chats, in Vietnamese and English. Aliases are left out of the menu.
// In groups, members see the commands anyone or a representative may use,
// and the groups' administrators every command (Telegram shows a user the
// menu of the narrowest scope that fits them); the leader unit's
// representatives get a menu of their own in their group (see giveMenu).
func (r *Router) RegisterMenu(ctx context.Context) error {
	menus := []struct {
		scope tgbotapi.BotCommandScope
		where place
		upTo  role
	}{
		{tgbotapi.NewBotCommandScopeAllGroupChats(), inGroup, roleRep},
		{tgbotapi.NewBotCommandScopeAllChatAdministrators(), inGroup, roleAdmin},
		{tgbotapi.NewBotCommandScopeAllPrivateChats(), inPrivate, roleAdmin},
	}
	for _, m := range menus {
		if err := bot.SetCommands(ctx, r.cfg.Sender, m.scope, r.menu(m.where, m.upTo)); err != nil {
			return err
		}
	}
	return nil
}

// menu lists the commands usable in where by the role upTo and those below
// it, in registration order, without aliases.
func (r *Router) menu(where place, upTo role) []bot.Command {
	var cmds []bot.Command
	for _, c := range r.commands {
		if c.where&where != 0 && c.who <= upTo {
			cmds = append(cmds, bot.Command{Name: c.name, Desc: c.desc})
		}
	}
	return cmds
}

// Handle handles one update. It implements bot.Handler. Errors it returns are
// unexpected failures; the dispatcher logs them and apologises to the chat.
func (r *Router) Handle(ctx context.Context, u tgbotapi.Update) error {
	switch {
	case u.Message != nil:
		return r.handleMessage(ctx, u)
	case u.CallbackQuery != nil:
		return r.handleCallback(ctx, u)
	case u.EditedMessage != nil:
		return r.handleEdited(ctx, u)
	case u.MyChatMember != nil:
		return r.handleMyChatMember(ctx, u)
	case u.ChatMember != nil:
		return r.handleChatMember(ctx, u)
	}
	return nil
}

func (r *Router) handleMessage(ctx context.Context, u tgbotapi.Update) error {
	m := u.Message
	if m.MigrateToChatID != 0 {
		return r.migrate(ctx, m.Chat.ID, m.MigrateToChatID)
	}
	if m.MigrateFromChatID != 0 {
		return r.upgraded(ctx, u)
	}
	if m.Text == "" {
		if t := bot.TopicOf(ctx); t.Change != bot.TopicUnchanged {
			return r.topicChanged(ctx, u, t)
		}
	}
	q := r.newRequest(ctx, u, m.From, m.Chat, m)
	name, args, addressed, ok := r.parseCommand(m)
	if !ok {
		if q.private() && m.PinnedMessage == nil && m.MessageAutoDeleteTimerChanged == nil {
			// Someone writing to the bot, maybe a report or its evidence, is
			// told where it goes rather than left to think it was taken; a
			// reminder pinned, or the chat's timer set, is no message to it.
			return q.once(func() error {
				return q.guard(func(q *request) error {
					return r.replyOncePerAlbum(q, "private:"+strconv.FormatInt(q.chat.ID, 10), msgPrivateNotRead.In(q.lang))
				})
			})
		}
		if m.ReplyToMessage != nil && r.isOurs(m.ReplyToMessage) {
			// A value typed for a report draft, or evidence for a report.
			return q.once(func() error { return q.guard(r.replyToReport) })
		}
		if c := r.captionCommand(m); c != nil {
			return q.once(func() error { return q.remark(msgCaptionCommand.F(q.lang, c.name)) })
		}
		return nil
	}
	c := r.byName[name]
	if c == nil {
		if q.private() || addressed {
			return q.once(func() error { return q.remark(msgUnknownCommand.F(q.lang, bot.Escape(name))) })
		}
		return nil // another bot's command, or a typo in a busy group: stay quiet
	}
	q.args = args
	q.cmd = c
	q.writeFirst = c.writeFirst
	return q.once(func() error {
		if m.From == nil || (m.From.IsBot && !bot.IsAnonymousAdmin(m)) || (m.SenderChat != nil && !bot.IsAnonymousAdmin(m)) {
			// Posted as a channel (every channel shares one Telegram account) or
			// by a bot: nobody to attribute it to.
			return q.remark(msgPostAsYourself.In(q.lang))
		}
		if q.private() && c.where&inPrivate == 0 {
			return q.remark(msgGroupOnly.In(q.lang))
		}
		if !q.private() && c.where&inGroup == 0 {
			return q.remark(msgPrivateOnly.F(q.lang, r.cfg.BotUsername))
		}
		return q.guard(c.run)
	})
}

// handleEdited answers a message edited after it was sent, when it holds
// one of the bot's commands: the bot does not carry out a command again
// with its new text (a pledge would be registered twice, a vote cast
// again, and what the first one did cannot be told apart from what the
// edit wants undone), and says so, replying to it, asking for the
// corrected command as a new message. Other edits (chatter, another bot's
// commands, a caption) get no answer.
func (r *Router) handleEdited(ctx context.Context, u tgbotapi.Update) error {
	m := u.EditedMessage
	name, _, _, ok := r.parseCommand(m)
	if !ok || r.byName[name] == nil {
		return nil
	}
	q := r.newRequest(ctx, u, m.From, m.Chat, m)
	return q.once(func() error { return q.remark(msgEditedCommand.F(q.lang, r.byName[name].name)) })
}

// captionCommand returns the bot's command that the caption of a photo or
// file starts with, if any. The bot does not carry it out: the file would
// be dropped, and evidence goes with a reply to a report's confirmation
// (see replyToReport); its sender is told so.
func (r *Router) captionCommand(m *tgbotapi.Message) *command {
	if m.Caption == "" {
		return nil
	}
	c := *m
	c.Text, c.Entities = m.Caption, m.CaptionEntities
	name, _, _, ok := r.parseCommand(&c)
	if !ok {
		return nil
	}
	return r.byName[name]
}

// isOurs reports whether m is one of the bot's own messages.
func (r *Router) isOurs(m *tgbotapi.Message) bool {
	return m.From != nil && m.From.IsBot && strings.EqualFold(m.From.UserName, r.cfg.BotUsername)
}

// parseCommand extracts the command name (lower-cased, without @bot) and its
// arguments, and reports whether the command names this bot
// ("/command@thiduabot"). A command addressed to another bot is not ours.
func (r *Router) parseCommand(m *tgbotapi.Message) (name, args string, addressed, ok bool) {
	if !m.IsCommand() {
		return "", "", false, false
	}
	full := m.CommandWithAt()
	name, at, _ := strings.Cut(full, "@")
	if at != "" && !strings.EqualFold(at, r.cfg.BotUsername) {
		return "", "", false, false
	}
	return strings.ToLower(name), strings.TrimSpace(m.CommandArguments()), at != "", true
}

func (r *Router) handleCallback(ctx context.Context, u tgbotapi.Update) error {
	cb := u.CallbackQuery
	if cb.Message == nil {
		return nil
	}
	q := r.newRequest(ctx, u, cb.From, cb.Message.Chat, nil)
	q.callback = cb
	parts := strings.Split(cb.Data, ":")
	c := r.callbacks[parts[0]]
	if c == nil {
		return q.once(func() error { return q.answer(msgStaleButton.In(q.lang), true) })
	}
	q.writeFirst = c.writeFirst
	return q.once(func() error {
		return q.guard(func(q *request) error { return c.run(q, parts[1:]) })
	})
}
