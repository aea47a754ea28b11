package handlers

import (
	"context"
	"errors"
	"hash/fnv"
	"net/http"
	"slices"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/storage"
	"thiduabot/thidua"
)

// This file holds the command menus of the leader unit's representatives.
// Telegram shows a member of a group the menu of the narrowest scope that
// covers them (see RegisterMenu): the members' menu lacks the commands of
// those who run the block, which the leader unit's representatives do
// without being the group's administrators. Each of them has a menu of
// their own in the block's group (scope chat_member) while they run the
// block: approved as a representative of the leader unit, or their unit
// taking the office (/leader, or the turn of the year to the unit the
// election chose); they lose it when they stop: leaving, their unit
// removed, or handing the office on. It follows their admin rights too,
// which Telegram tells of (see handleChatMember).
//
// The block records the menus the bot gave (thidua.Block.Menus), and after
// the answer to every request that read the block, whatever it did, the
// bot compares the record with the leader unit's representatives and the
// command set of this release (Router.menuStamp): where they differ, it
// gives, takes or refreshes menus, then records what it did. So the menus
// come to those in office when the block was written by a release without
// menus, to those whose update came again after a crash between the write
// and the answer, and anew when a release changes the commands; and a menu
// Telegram failed to give or take is given or taken at the next request.
// A failure is logged: the change stands, and /help still lists the
// commands.

// syncMenus brings, after the answer, the menus of the leader unit's
// representatives of the block the request has in hand to what the block
// calls for (see Router.syncMenus). Every request that read a block calls
// it (each pledge, report and vote): when the record agrees, it costs a
// comparison in place, without allocating. A request that ran on a block
// it did not confirm current (see speculate) leaves the menus to the next
// one.
func (q *request) syncMenus() {
	if q.blk == nil || q.stale || q.speculative {
		return
	}
	q.r.syncMenus(q.ctx, q.blk)
}

// syncMenus gives a menu of their own to each representative of the leader
// unit of block b who lacks one by its record (thidua.Block.Menus), or has
// one of another command set than menuStamp; takes it from those the
// record holds who are no longer among them; and records the outcome. It
// does nothing, and allocates nothing, when the record agrees.
//
// A menu Telegram failed to give is not recorded, and one it failed to
// take stays recorded, so that the next request tries again; but one it
// refused (see refused) is settled as if given or taken, since asking
// again, at every request in the group, would fare no better.
//
// The record is written with a bookkeeping write after the calls. Should
// another request (on another replica) have recorded meanwhile, its record
// stands with the menus given here added, which the next request takes
// back if they were not due: a record may hold a menu that is gone, which
// costs a call, never lack one that was given.
func (r *Router) syncMenus(ctx context.Context, b *thidua.Block) {
	was := &b.Menus
	var held []int64
	if was.ChatID == b.ChatID {
		// A record of another chat, the group's before it became a
		// supergroup, holds no menu in this one.
		held = was.Holders
	}
	if b.LeaderRepsAre(held) && (len(held) == 0 || was.Stamp == r.menuStamp) {
		return
	}
	leaders := b.AppendLeaderRepIDs(nil)
	now := thidua.Menus{ChatID: b.ChatID, Stamp: r.menuStamp}
	for _, id := range leaders {
		if was.Stamp == r.menuStamp && slices.Contains(held, id) || r.giveMenu(ctx, b.ChatID, id) {
			now.Holders = append(now.Holders, id)
		}
	}
	for _, id := range held {
		if !slices.Contains(leaders, id) && !r.takeMenu(ctx, b.ChatID, id) {
			now.Holders = append(now.Holders, id)
		}
	}
	before := *was
	r.remember(ctx, b.ID, "command menus", 0, func(cur *thidua.Block) error {
		if !recordMenus(&cur.Menus, &before, &now) {
			return errUnchanged
		}
		return nil
	})
}

// recordMenus records in rec, a block's record of command menus as it is
// now, the menus held after syncMenus made its calls from the record
// before: now, unless another request recorded meanwhile, whose record
// then stands with the holders of now added (see syncMenus). It reports
// whether it changed rec, whose holders it replaces rather than changes.
func recordMenus(rec, before, now *thidua.Menus) bool {
	switch {
	case rec.Equal(before):
		if now.Equal(before) {
			return false
		}
		*rec = *now
	case rec.ChatID == now.ChatID:
		holders := rec.Holders
		for _, id := range now.Holders {
			if !slices.Contains(holders, id) {
				holders = append(slices.Clip(holders), id)
			}
		}
		if len(holders) == len(rec.Holders) {
			return false
		}
		rec.Holders = holders
	default:
		// The block moved to another chat meanwhile: these menus are of
		// the old one.
		return false
	}
	return true
}

// forgetMenuStamp marks the record of the menus of block b as of no
// command set, when it is of b's chat, so that the next request gives
// every menu it holds again (see syncMenus): a menu whose kind must change
// (see handleChatMember) and that Telegram failed to give is then given.
// The record keeps its holders: it never lacks a menu that was given.
func (r *Router) forgetMenuStamp(ctx context.Context, b *thidua.Block) {
	r.remember(ctx, b.ID, "command menus", 0, func(cur *thidua.Block) error {
		if cur.Menus.ChatID != b.ChatID || cur.Menus.Stamp == "" {
			return errUnchanged
		}
		cur.Menus.Stamp = ""
		return nil
	})
}

// syncMenusOf is syncMenus for the block of a chat, read for it.
func (r *Router) syncMenusOf(ctx context.Context, chatID int64) {
	b, err := r.cfg.Store.BlockByChat(ctx, chatID)
	if err != nil {
		if !errors.Is(err, storage.ErrNotFound) {
			r.cfg.Log.Warn("command menus not given", "chat", chatID, "err", err)
		}
		return
	}
	r.syncMenus(ctx, b)
}

// giveMenu gives a representative of the leader unit a menu of their own
// in the group: the commands of those who run the block, and every command
// if they administer the group too, since their menu replaces the
// administrators' for them. A failure is logged; giveMenu reports whether
// the menu is settled: given, or refused for good.
func (r *Router) giveMenu(ctx context.Context, chatID, userID int64) bool {
	upTo := roleManager
	if admin, err := r.cfg.Admins.IsAdmin(ctx, chatID, userID); err != nil {
		r.cfg.Log.Warn("checking admin rights for a command menu", "chat", chatID, "user", userID, "err", err)
	} else if admin {
		upTo = roleAdmin
	}
	scope := tgbotapi.NewBotCommandScopeChatMember(chatID, userID)
	err := bot.SetCommands(ctx, r.cfg.Sender, scope, r.menu(inGroup, upTo))
	if err != nil {
		r.cfg.Log.Warn("command menu not given", "chat", chatID, "user", userID, "err", err)
	}
	return err == nil || refused(err)
}

// takeMenu removes the menu giveMenu gave: the user sees the members' menu
// again, or the administrators'. A failure is logged; takeMenu reports
// whether the menu is settled: taken, or the call refused for good.
func (r *Router) takeMenu(ctx context.Context, chatID, userID int64) bool {
	scope := tgbotapi.NewBotCommandScopeChatMember(chatID, userID)
	err := bot.DeleteCommands(ctx, r.cfg.Sender, scope)
	if err != nil {
		r.cfg.Log.Warn("command menu not taken", "chat", chatID, "user", userID, "err", err)
	}
	return err == nil || refused(err)
}

// refused reports whether Telegram refused a call for good (a user it does
// not know, say): an answer of the 4xx kind other than flood control, which
// the sender waits out. A failure of Telegram's servers or of the network
// is worth trying again.
func refused(err error) bool {
	var te *tgbotapi.Error
	return errors.As(err, &te) && te.Code >= http.StatusBadRequest && te.Code < http.StatusInternalServerError && te.Code != http.StatusTooManyRequests
}

// menuStampOf returns a short hash of the command menus given to the
// leader unit's representatives: each command's name and descriptions in
// every language. A release that changes them changes the stamp, and so
// refreshes the menus given before (see syncMenus).
func menuStampOf(menus ...[]bot.Command) string {
	h := fnv.New64a()
	for _, m := range menus {
		for _, c := range m {
			for _, s := range [...]string{c.Name, c.Desc.VI, c.Desc.EN} {
				h.Write([]byte(s))
				h.Write([]byte{0})
			}
		}
		h.Write([]byte{1})
	}
	return strconv.FormatUint(h.Sum64(), 36)
}
