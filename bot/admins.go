package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// maxAdminTTL is the longest Admins remembers an answer: promotions and
// demotions must take effect within a minute, also those Learn is not told
// of (Telegram sends chat_member updates only to a bot that administers the
// group, and to one of the replicas).
const maxAdminTTL = time.Minute

// Admins answers whether users administer group chats, asking Telegram
// (getChatMember) and remembering the answers for a short while, or what a
// chat_member update told (Learn). It is safe for concurrent use.
type Admins struct {
	s   *Sender
	ttl time.Duration

	mu        sync.Mutex
	cache     map[adminKey]adminEntry
	lastSweep time.Time
}

type adminKey struct{ chat, user int64 }

type adminEntry struct {
	admin   bool
	expires time.Time
	// changed is when the change Learn was told of was made; zero for
	// Telegram's answers to questions.
	changed time.Time
}

// NewAdmins returns an Admins that asks through s and remembers answers for
// ttl, at most one minute (a longer ttl is shortened). A ttl of zero or less
// turns the memory off.
func NewAdmins(s *Sender, ttl time.Duration) *Admins {
	return &Admins{s: s, ttl: min(ttl, maxAdminTTL), cache: make(map[adminKey]adminEntry), lastSweep: time.Now()}
}

// IsAdmin reports whether the user is the creator or an administrator of
// the chat. In a private chat (a positive chat id) it is false without
// asking Telegram. Errors from Telegram are returned and not remembered.
func (a *Admins) IsAdmin(ctx context.Context, chatID, userID int64) (bool, error) {
	if chatID > 0 {
		return false, nil
	}
	k := adminKey{chatID, userID}
	now := time.Now()
	a.mu.Lock()
	e, ok := a.cache[k]
	a.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.admin, nil
	}

	resp, err := a.s.Request(ctx, tgbotapi.GetChatMemberConfig{
		ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: chatID, UserID: userID},
	})
	if err != nil {
		return false, err
	}
	var m tgbotapi.ChatMember
	if err := json.Unmarshal(resp.Result, &m); err != nil {
		return false, fmt.Errorf("bot: getChatMember: decoding the result: %w", err)
	}
	admin := Administers(m)
	if a.ttl > 0 {
		a.remember(k, adminEntry{admin: admin, expires: now.Add(a.ttl)}, now)
	}
	return admin, nil
}

// Learn remembers that the user is, or is not, the creator or an
// administrator of the chat, as a chat_member update just told, for the
// next questions: without this, a demoted administrator would keep their
// rights, and a promoted one wait for them, until the answer remembered
// before expired. at is when the change was made (the update's date): of
// two changes told out of order, as webhook requests handled side by side
// may be, the one made last stands. It does nothing in a private chat or
// when the memory is off.
func (a *Admins) Learn(chatID, userID int64, admin bool, at time.Time) {
	if chatID > 0 || a.ttl <= 0 {
		return
	}
	now := time.Now()
	a.remember(adminKey{chatID, userID}, adminEntry{admin: admin, expires: now.Add(a.ttl), changed: at}, now)
}

// remember stores an answer and, about once per ttl, forgets expired ones.
// Every answer expires ttl after the moment it is known true from: when
// the question was asked (IsAdmin), or when a change was learnt (Learn).
// So an entry that expires later is newer, and stays: Telegram's answer to
// a question asked before a change was learnt does not undo it. Nor does a
// change made before the one learnt (see Learn).
func (a *Admins) remember(k adminKey, e adminEntry, now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if old, ok := a.cache[k]; ok && (old.expires.After(e.expires) || old.changed.After(e.changed) && now.Before(old.expires)) {
		return
	}
	a.cache[k] = e
	if now.Sub(a.lastSweep) < a.ttl {
		return
	}
	a.lastSweep = now
	for k, e := range a.cache {
		if !now.Before(e.expires) {
			delete(a.cache, k)
		}
	}
}

// Administers reports whether a chat member's status is the creator's or an
// administrator's.
func Administers(m tgbotapi.ChatMember) bool {
	return m.IsCreator() || m.IsAdministrator()
}

// IsAnonymousAdmin reports whether m was posted by an anonymous group
// administrator, that is, on behalf of the group itself.
func IsAnonymousAdmin(m *tgbotapi.Message) bool {
	return m != nil && m.SenderChat != nil && m.Chat != nil && m.SenderChat.ID == m.Chat.ID
}
