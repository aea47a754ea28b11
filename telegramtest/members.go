package telegramtest

import (
	"fmt"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Chat member statuses, as Telegram names them.
const (
	StatusCreator       = "creator"
	StatusAdministrator = "administrator"
	StatusMember        = "member"
	StatusRestricted    = "restricted"
	StatusLeft          = "left"
	StatusKicked        = "kicked"
)

// Chat types, as Telegram names them.
const (
	ChatPrivate    = "private"
	ChatGroup      = "group"
	ChatSupergroup = "supergroup"
)

// Chat is a handle on a chat of the server: a group the test created or a
// user's private chat with the bot. Its fields never change; a migrated
// group keeps its handle, and Migrate returns the handle of the supergroup.
type Chat struct {
	// ID is the chat id: negative for groups, the user id for private chats.
	ID int64
	// Type is ChatPrivate, ChatGroup or ChatSupergroup.
	Type string
	// Title is the group title, empty for private chats.
	Title string

	srv *Server
}

// chatState is everything the server knows about one chat.
type chatState struct {
	id    int64
	kind  string
	title string
	// user is the other party of a private chat.
	user *User
	// members holds explicitly set statuses of group members.
	members map[int64]string
	// order lists member ids in the order their status was first set.
	order []int64
	// messages holds every message of the chat; message id n is at n-1.
	messages []*message
	// sendTimes holds the time of every accepted chat-bound send.
	sendTimes []time.Time
	// migratedTo is the supergroup a migrated group became.
	migratedTo int64
	// instance is the chat_instance of callback queries from this chat.
	instance string
	// forum reports whether the supergroup has topics on; topics holds
	// its topics, by thread, once it had them (see topics.go).
	forum  bool
	topics map[int]*topicState
	// generalClosed and generalHidden report whether the General topic of
	// the supergroup with topics is closed, and hidden (see topics.go).
	generalClosed, generalHidden bool
	// topicManagers holds the administrators given the right to manage
	// topics (can_manage_topics), who post in closed topics (see
	// SetManageTopics).
	topicManagers map[int64]bool
	// permissions holds what restricted members may send (see Restrict);
	// a restricted member without an entry may send nothing.
	permissions map[int64]Permissions
}

// handle returns the test-facing handle of c.
func (c *chatState) handle(s *Server) *Chat {
	return &Chat{ID: c.id, Type: c.kind, Title: c.title, srv: s}
}

// apiChat returns c as a Bot API Chat.
func (c *chatState) apiChat() *tgbotapi.Chat {
	chat := &tgbotapi.Chat{ID: c.id, Type: c.kind, Title: c.title}
	if c.user != nil {
		chat.FirstName, chat.LastName, chat.UserName = c.user.FirstName, c.user.LastName, c.user.UserName
	}
	return chat
}

// NewGroup creates a supergroup, with an id like -1001700000001, in which the
// bot is an administrator. It has no topics (see NewForum, Chat.SetForum).
func (s *Server) NewGroup(title string) *Chat {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ids.supergroup++
	return s.newGroupLocked(-s.ids.supergroup, ChatSupergroup, title).handle(s)
}

// NewBasicGroup creates an old-style group, with a small negative id, in
// which the bot is an administrator. Such a group can be migrated to a
// supergroup with Migrate.
func (s *Server) NewBasicGroup(title string) *Chat {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ids.basicGroup++
	return s.newGroupLocked(-s.ids.basicGroup, ChatGroup, title).handle(s)
}

// newGroupLocked registers a group chat.
func (s *Server) newGroupLocked(id int64, kind, title string) *chatState {
	c := &chatState{id: id, kind: kind, title: title, members: map[int64]string{}, permissions: map[int64]Permissions{}, instance: randomDigits(19)}
	s.chats[id] = c
	s.setStatusLocked(c, s.bot.ID, StatusAdministrator)
	return c
}

// PrivateChat returns the private chat between u and the bot.
func (s *Server) PrivateChat(u *User) *Chat {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.privateChatLocked(s.userLocked(u)).handle(s)
}

// privateChatLocked returns the private chat of u, creating it if needed.
func (s *Server) privateChatLocked(u *User) *chatState {
	c, ok := s.chats[u.ID]
	if !ok {
		c = &chatState{id: u.ID, kind: ChatPrivate, user: u, instance: randomDigits(19)}
		s.chats[u.ID] = c
	}
	return c
}

// SetStatus sets the membership status of u in the group c: one of
// StatusCreator, StatusAdministrator, StatusMember, StatusRestricted,
// StatusLeft or StatusKicked. Users start as "left" and become members when
// they first post. A restricted member is one who may send nothing
// (can_send_messages false; see Restrict for one who may send some
// things): the bot, restricted, is refused its messages and files in the
// group (see mayPostLocked), but may still edit and delete its messages.
// The bot is not told (see ChangeStatus). It panics on a private chat or
// an unknown status.
func (c *Chat) SetStatus(u *User, status string) {
	s := c.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	st, user := s.groupMemberLocked(c, u, status)
	s.setStatusLocked(st, user.ID, status)
}

// ChangeStatus sets the membership status of u in the group c as SetStatus
// does and, when it changes, tells the bot as Telegram does: of a member's
// status by a chat_member update, sent only when the bot administers the
// group and asked for chat_member updates (allowed_updates); of its own by
// a my_chat_member update. The update's from is the user who joined or
// left by themselves, and otherwise the group's creator (GroupAnonymousBot
// in a group without one); ChangeStatusBy names another. It returns the
// update and true when it delivered one, and panics as SetStatus does.
func (c *Chat) ChangeStatus(u *User, status string) (Update, bool) {
	return c.ChangeStatusBy(u, status, nil)
}

// ChangeStatusBy is ChangeStatus made by the user by: the administrator
// who promoted, restricted or removed u, or the member who added u (the
// bot included) to the group. With by nil it is ChangeStatus. The bot
// never joins or leaves by itself: its status changes are the creator's
// unless by says whose.
func (c *Chat) ChangeStatusBy(u *User, status string, by *User) (Update, bool) {
	s := c.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	st, user := s.groupMemberLocked(c, u, status)
	was := s.memberLocked(st, user)
	if was.Status == status {
		return Update{}, false
	}
	s.setStatusLocked(st, user.ID, status)
	from := s.ownerLocked(st)
	switch {
	case by != nil:
		from = s.userLocked(by)
	case user.ID == s.bot.ID:
	case status == StatusLeft || status == StatusMember && was.Status == StatusLeft:
		from = user
	}
	id, ok := s.statusUpdateLocked(st, user, from, was)
	return Update{ID: id}, ok
}

// Permissions is what a restricted member may send in a group, of what
// Telegram's ChatPermissions tell apart (can_send_messages,
// can_send_documents, can_send_photos) and the fake models. The zero
// value allows nothing, as SetStatus(u, StatusRestricted) does.
type Permissions struct {
	// Messages allows text messages.
	Messages bool
	// Documents allows documents (sendDocument).
	Documents bool
	// Photos allows photos (sendPhoto).
	Photos bool
}

// allows reports whether p lets a member send content of kind (kindText,
// kindDocument or kindPhoto), and names that content as Telegram's
// refusal does ("text messages", "documents", "photos").
func (p Permissions) allows(kind string) (bool, string) {
	switch kind {
	case kindDocument:
		return p.Documents, "documents"
	case kindPhoto:
		return p.Photos, "photos"
	}
	return p.Messages, "text messages"
}

// Restrict restricts u in the group c to what may allows, as an
// administrator's restrictChatMember does: u becomes a restricted member
// (StatusRestricted, can_send_messages as may says) who may send what may
// allows and nothing else. The bot, so restricted, is refused the rest
// with Telegram's error for its kind (see mayPostLocked): an
// administrator may let it send text but not files. SetStatus ends the
// restriction (SetStatus(u, StatusMember) stands for an administrator
// allowing everything again). The bot is not told (see RestrictBy). Of the
// permissions, tgbotapi reads only can_send_messages, and the fake sends
// no others. It panics on a private chat.
func (c *Chat) Restrict(u *User, may Permissions) {
	s := c.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	st, user := s.groupMemberLocked(c, u, StatusRestricted)
	s.restrictLocked(st, user.ID, may)
}

// RestrictBy is Restrict made by the administrator by (the group's
// creator when by is nil), telling the bot as ChangeStatusBy does when u
// is not already so restricted. It returns the update and true when it
// delivered one.
func (c *Chat) RestrictBy(u *User, may Permissions, by *User) (Update, bool) {
	s := c.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	st, user := s.groupMemberLocked(c, u, StatusRestricted)
	was, wasMay := s.memberLocked(st, user), st.permissions[user.ID]
	if was.Status == StatusRestricted && wasMay == may {
		return Update{}, false
	}
	s.restrictLocked(st, user.ID, may)
	from := s.ownerLocked(st)
	if by != nil {
		from = s.userLocked(by)
	}
	id, ok := s.statusUpdateLocked(st, user, from, was)
	return Update{ID: id}, ok
}

// restrictLocked records that the member userID of the group c is
// restricted to what may allows.
func (s *Server) restrictLocked(c *chatState, userID int64, may Permissions) {
	s.setStatusLocked(c, userID, StatusRestricted)
	c.permissions[userID] = may
}

// statusUpdateLocked enqueues the update telling the bot that user's status
// in the group c, by from, changed from was to the status it has now (see
// ChangeStatus), and returns its id and true, or false when the bot is not
// told.
func (s *Server) statusUpdateLocked(c *chatState, user, from *User, was tgbotapi.ChatMember) (int, bool) {
	change := &tgbotapi.ChatMemberUpdated{
		Chat: *c.apiChat(), From: *apiUser(from), Date: int(time.Now().Unix()),
		OldChatMember: was, NewChatMember: s.memberLocked(c, user),
	}
	var upd wireUpdate
	switch {
	case user.ID == s.bot.ID && s.queue.wants("my_chat_member"):
		upd.MyChatMember = change
	case user.ID != s.bot.ID && s.statusLocked(c, s.bot.ID) == StatusAdministrator && s.queue.wants("chat_member"):
		upd.ChatMember = change
	default:
		return 0, false
	}
	return s.enqueueLocked(upd), true
}

// groupMemberLocked returns the state of the group c and the server's
// record of u, for a change of u's status in c to status. It panics on a
// private chat or an unknown status.
func (s *Server) groupMemberLocked(c *Chat, u *User, status string) (*chatState, *User) {
	switch status {
	case StatusCreator, StatusAdministrator, StatusMember, StatusRestricted, StatusLeft, StatusKicked:
	default:
		panic(fmt.Sprintf("telegramtest: unknown chat member status %q", status))
	}
	st := s.chatLocked(c)
	if st.kind == ChatPrivate {
		panic("telegramtest: a member's status in a private chat")
	}
	return st, s.userLocked(u)
}

// ownerLocked returns who acts for the administrators of the group c: its
// creator, or GroupAnonymousBot when it has none.
func (s *Server) ownerLocked(c *chatState) *User {
	for _, id := range c.order {
		if c.members[id] == StatusCreator {
			return s.users[id]
		}
	}
	return s.users[GroupAnonymousBotID]
}

// setStatusLocked records the status of a user in a group.
func (s *Server) setStatusLocked(c *chatState, userID int64, status string) {
	if _, seen := c.members[userID]; !seen {
		c.order = append(c.order, userID)
	}
	c.members[userID] = status
	if status != StatusAdministrator {
		delete(c.topicManagers, userID) // rights go with the administrator's status
	}
	delete(c.permissions, userID) // a restriction ends with a new status; StatusRestricted allows nothing
	s.notifyLocked()
}

// statusLocked returns the status of a user in c.
func (s *Server) statusLocked(c *chatState, userID int64) string {
	if c.kind == ChatPrivate {
		if userID == c.id || userID == s.bot.ID {
			return StatusMember
		}
		return StatusLeft
	}
	if status, ok := c.members[userID]; ok {
		return status
	}
	return StatusLeft
}

// chatLocked returns the state of a chat handle, panicking when the handle
// belongs to another server.
func (s *Server) chatLocked(c *Chat) *chatState {
	if c == nil || c.srv != s {
		panic("telegramtest: chat handle of another server")
	}
	return s.chats[c.ID]
}

// Migrate upgrades the basic group g to a supergroup, as Telegram does when
// a group grows: the members move to a new chat with a new id; the bot is
// told it joined the supergroup (a my_chat_member update, from the group's
// creator, its status going from left to the one it had in the group),
// then the group gets a service message with migrate_to_chat_id and the
// supergroup one with migrate_from_chat_id (both enqueued as updates, in
// this order; Telegram does not promise one, so a bot must not rely on
// it), and from then on the bot's
// calls on the old id fail with "group chat was upgraded to a supergroup
// chat". It returns the supergroup and panics when g is not an unmigrated
// basic group.
func (s *Server) Migrate(g *Chat) *Chat {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.chatLocked(g)
	if old.kind != ChatGroup || old.migratedTo != 0 {
		panic(fmt.Sprintf("telegramtest: chat %d is not an unmigrated basic group", g.ID))
	}
	s.ids.supergroup++
	sup := s.newGroupLocked(-s.ids.supergroup, ChatSupergroup, old.title)
	for _, id := range old.order {
		s.setStatusLocked(sup, id, old.members[id])
		if may, ok := old.permissions[id]; ok {
			sup.permissions[id] = may
		}
	}
	actor := s.ownerLocked(old)
	s.statusUpdateLocked(sup, s.bot, actor, tgbotapi.ChatMember{User: apiUser(s.bot), Status: StatusLeft})
	s.postLocked(old, &message{from: actor, migrateTo: sup.id})
	old.migratedTo = sup.id
	s.postLocked(sup, &message{from: actor, migrateFrom: old.id})
	return sup.handle(s)
}

// resolveChatLocked finds the chat a Bot API call targets. With send set it
// also refuses chats the bot cannot post in.
func (s *Server) resolveChatLocked(id int64, send bool) (*chatState, *apiError) {
	c, ok := s.chats[id]
	if !ok {
		return nil, badRequest("chat not found")
	}
	if c.migratedTo != 0 {
		e := badRequest("group chat was upgraded to a supergroup chat")
		e.migrateTo = c.migratedTo
		return nil, e
	}
	if send && c.kind != ChatPrivate {
		switch s.statusLocked(c, s.bot.ID) {
		case StatusKicked:
			return nil, forbidden(fmt.Sprintf("bot was kicked from the %s chat", c.kind))
		case StatusLeft:
			return nil, forbidden(fmt.Sprintf("bot is not a member of the %s chat", c.kind))
		}
	}
	return c, nil
}

// mayPostLocked refuses, as Telegram does, the bot's post of content of
// kind (kindText, kindDocument, kindPhoto) to the group c while it is
// restricted there from sending that kind (see Restrict), with 400 "Bad
// Request: not enough rights to send <text messages, documents, photos>
// to the chat": each kind is checked alone, and a file's caption needs no
// right to send text. It returns nil elsewhere.
func (s *Server) mayPostLocked(c *chatState, kind string) *apiError {
	if c.kind == ChatPrivate || s.statusLocked(c, s.bot.ID) != StatusRestricted {
		return nil
	}
	if ok, what := c.permissions[s.bot.ID].allows(kind); !ok {
		return badRequest("not enough rights to send %s to the chat", what)
	}
	return nil
}

// handleGetChat serves getChat.
func (s *Server) handleGetChat(r *apiRequest) (any, *apiError) {
	id, err := r.chatID()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.resolveChatLocked(id, false)
	if err != nil {
		return nil, err
	}
	return c.wireChat(), nil
}

// wireChat returns c as the Bot API sends it.
func (c *chatState) wireChat() *wireChat {
	return &wireChat{Chat: *c.apiChat(), IsForum: c.forum}
}

// handleGetChatMember serves getChatMember.
func (s *Server) handleGetChatMember(r *apiRequest) (any, *apiError) {
	id, err := r.chatID()
	if err != nil {
		return nil, err
	}
	userID, err := r.integer("user_id", 0, badRequest("invalid user_id specified"))
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.resolveChatLocked(id, false)
	if err != nil {
		return nil, err
	}
	u, ok := s.users[userID]
	if !ok {
		return nil, badRequest("user not found")
	}
	return s.memberLocked(c, u), nil
}

// handleGetChatAdministrators serves getChatAdministrators: the creator
// first, then administrators in the order they were appointed, leaving out
// bots other than the bot itself.
func (s *Server) handleGetChatAdministrators(r *apiRequest) (any, *apiError) {
	id, err := r.chatID()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.resolveChatLocked(id, false)
	if err != nil {
		return nil, err
	}
	if c.kind == ChatPrivate {
		return nil, badRequest("there are no administrators in the private chat")
	}
	admins := []tgbotapi.ChatMember{}
	for _, status := range []string{StatusCreator, StatusAdministrator} {
		for _, uid := range c.order {
			u := s.users[uid]
			if c.members[uid] == status && (!u.IsBot || u.ID == s.bot.ID) {
				admins = append(admins, s.memberLocked(c, u))
			}
		}
	}
	return admins, nil
}

// memberLocked describes u's membership of c.
func (s *Server) memberLocked(c *chatState, u *User) tgbotapi.ChatMember {
	m := tgbotapi.ChatMember{User: apiUser(u), Status: s.statusLocked(c, u.ID)}
	switch m.Status {
	case StatusCreator:
		m.IsMember = true
	case StatusAdministrator:
		m.IsMember = true
		m.CanManageChat, m.CanDeleteMessages, m.CanRestrictMembers = true, true, true
		m.CanInviteUsers, m.CanPinMessages, m.CanChangeInfo, m.CanManageVoiceChats = true, true, true, true
	case StatusRestricted:
		m.IsMember = true
		m.CanSendMessages = c.permissions[u.ID].Messages
	}
	return m
}
