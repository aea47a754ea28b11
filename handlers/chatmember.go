package handlers

import (
	"context"
	"errors"
	"slices"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/thidua"
)

// handleChatMember follows a change of a member's status in a group, which
// Telegram tells a bot that administers the group (a chat_member update).
//
// The bot's memory of who administers the group (bot.Admins) learns the
// new status, in place of the answer it remembered for up to a minute: a
// demoted administrator is refused the managers' commands at once, and a
// promoted member may use them at once. Learning the status, rather than
// forgetting the old answer, spares the next request (or the menu given
// below) a getChatMember call before it answers; and the update, which
// the dispatcher hands over in order with the chat's other updates, is
// the news of the change itself.
//
// A representative of the leader unit who holds a menu of their own in the
// group (see menu.go), and whose admin rights changed, gets it again: every
// command as an administrator, the managers' otherwise. The record of the
// menus does not know admin rights, so it stays as it is, unless Telegram
// fails to give the menu: the record is then marked of no command set, so
// that the next request gives every menu again (see forgetMenuStamp).
// Other members' menus follow Telegram's own list of administrators (see
// RegisterMenu). A representative who leaves the group, or is removed
// from it, keeps their office, since removing a representative is a
// manager's decision, and a menu, which Telegram shows nobody outside the
// group: an administrator's turns the managers' one, ready for a return as
// a member.
//
// A change that leaves the admin rights as they were (a member joining or
// leaving, restricted or freed) changes nothing, and costs nothing.
//
// The update is nobody's request: nothing is said in the group, and a
// failure is only logged (by the dispatcher, which apologises to nobody
// for a change of membership). An update handled before is skipped (see
// once): delivered again after a later change, it would teach the bot a
// status gone by.
func (r *Router) handleChatMember(ctx context.Context, u tgbotapi.Update) error {
	m := u.ChatMember
	user := m.NewChatMember.User
	admin := bot.Administers(m.NewChatMember)
	if m.Chat.IsPrivate() || user == nil || admin == bot.Administers(m.OldChatMember) {
		// Joining, leaving, restricted or freed, the member's rights stay.
		return nil
	}
	q := r.newRequest(ctx, u, &m.From, &m.Chat, nil)
	return q.once(func() error {
		r.cfg.Admins.Learn(m.Chat.ID, user.ID, admin, time.Unix(int64(m.Date), 0))
		b, err := q.block()
		if errors.Is(err, errNoBlock) {
			return nil
		}
		if err != nil {
			return err
		}
		if holdsMenu(b, user.ID) && !r.giveMenu(ctx, b.ChatID, user.ID) {
			r.forgetMenuStamp(ctx, b)
		}
		return nil
	})
}

// holdsMenu reports whether the user is a representative of the leader
// unit of block b holding a menu of their own in its group by the record
// of the menus. One who holds a menu and is no longer in office waits for
// the next request to take it.
func holdsMenu(b *thidua.Block, userID int64) bool {
	rp := b.RepOf(userID)
	return rp != nil && rp.UnitID == b.LeaderUnit && b.Menus.ChatID == b.ChatID && slices.Contains(b.Menus.Holders, userID)
}
