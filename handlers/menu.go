package handlers

import (
	"context"
	"errors"
	"slices"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/storage"
	"thiduabot/thidua"
)

// This file holds the command menus of the leader unit's representatives.
// Telegram shows a member of a group the menu of the narrowest scope that
// covers them (see RegisterMenu): the members' menu lacks the commands of
// those who run the block, which the leader unit's representatives do
// without being the group's administrators. Each of them gets a menu of
// their own in the block's group (scope chat_member) when they come to run
// the block: approved as a representative of the leader unit, or their
// unit taking the office (/leader, or the turn of the year to the unit the
// election chose); they lose it when they stop: leaving, their unit
// removed, or handing the office on. The menus are set after the answer,
// and a menu Telegram refuses is logged: the change stands, and /help
// still lists the commands.

// leaderChange is what a request's changes did to the leader unit's
// representatives (thidua.Block.AppendLeaderRepIDs): their user ids before
// the request's first change of the block and after its last, in the
// block's chat.
type leaderChange struct {
	chatID        int64
	before, after []int64
}

// leaderBufLen is how many leader representatives the request notes
// without allocating (see leadersBefore).
const leaderBufLen = 8

// leadersBefore notes the leader unit's representatives of block b before
// a change, for noteLeaders. Every change of a block calls it (see
// updateParts): it writes into the request's own buffer, allocating
// nothing for up to leaderBufLen of them.
func (q *request) leadersBefore(b *thidua.Block) {
	q.leadersSeen = b.AppendLeaderRepIDs(q.leaderBuf[0][:0])
}

// noteLeaders records, after a change of block b, the leader unit's
// representatives before it (leadersBefore) and after it, for syncMenus,
// when they differ or an earlier change of the request changed them. Like
// leadersBefore, it allocates nothing when they are the same.
func (q *request) noteLeaders(b *thidua.Block) {
	after := b.AppendLeaderRepIDs(q.leaderBuf[1][:0])
	switch {
	case q.leaders != nil:
		q.leaders.chatID, q.leaders.after = b.ChatID, slices.Clone(after)
	case !slices.Equal(q.leadersSeen, after):
		q.leaders = &leaderChange{chatID: b.ChatID, before: slices.Clone(q.leadersSeen), after: slices.Clone(after)}
	}
}

// syncMenus gives, after the answer, a menu of their own to those the
// request's changes made representatives of the leader unit, and takes it
// from those they no longer are.
func (q *request) syncMenus() {
	c := q.leaders
	if c == nil {
		return
	}
	q.leaders = nil
	for _, id := range c.after {
		if !slices.Contains(c.before, id) {
			q.r.giveMenu(q.ctx, c.chatID, id)
		}
	}
	for _, id := range c.before {
		if !slices.Contains(c.after, id) {
			q.r.takeMenu(q.ctx, c.chatID, id)
		}
	}
}

// giveMenus gives every representative of the leader unit of the chat's
// block their menu: after the group became a supergroup, whose chat the
// menus of the old group do not cover.
func (r *Router) giveMenus(ctx context.Context, chatID int64) {
	b, err := r.cfg.Store.BlockByChat(ctx, chatID)
	if err != nil {
		if !errors.Is(err, storage.ErrNotFound) {
			r.cfg.Log.Warn("command menus not given", "chat", chatID, "err", err)
		}
		return
	}
	for _, id := range b.AppendLeaderRepIDs(nil) {
		r.giveMenu(ctx, chatID, id)
	}
}

// giveMenu gives a representative of the leader unit a menu of their own
// in the group: the commands of those who run the block, and every command
// if they administer the group too, since their menu replaces the
// administrators' for them. A failure is logged.
func (r *Router) giveMenu(ctx context.Context, chatID, userID int64) {
	upTo := roleManager
	if admin, err := r.cfg.Admins.IsAdmin(ctx, chatID, userID); err != nil {
		r.cfg.Log.Warn("checking admin rights for a command menu", "chat", chatID, "user", userID, "err", err)
	} else if admin {
		upTo = roleAdmin
	}
	scope := tgbotapi.NewBotCommandScopeChatMember(chatID, userID)
	if err := bot.SetCommands(ctx, r.cfg.Sender, scope, r.menu(inGroup, upTo)); err != nil {
		r.cfg.Log.Warn("command menu not given", "chat", chatID, "user", userID, "err", err)
	}
}

// takeMenu removes the menu giveMenu gave: the user sees the members' menu
// again, or the administrators'. A failure is logged.
func (r *Router) takeMenu(ctx context.Context, chatID, userID int64) {
	scope := tgbotapi.NewBotCommandScopeChatMember(chatID, userID)
	if err := bot.DeleteCommands(ctx, r.cfg.Sender, scope); err != nil {
		r.cfg.Log.Warn("command menu not taken", "chat", chatID, "user", userID, "err", err)
	}
}
