package telegramtest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// GroupAnonymousBotID is the id of GroupAnonymousBot, the sender Telegram
// shows for messages of anonymous group administrators.
const GroupAnonymousBotID int64 = 1087968824

// anonymousAdmin returns the GroupAnonymousBot account.
func anonymousAdmin() User {
	return User{ID: GroupAnonymousBotID, FirstName: "Group", UserName: "GroupAnonymousBot", IsBot: true}
}

// User is a Telegram account: a person the test plays, the bot itself or
// GroupAnonymousBot. Changing a User value has no effect on the server.
type User struct {
	// ID is the user id, also the id of the user's private chat.
	ID int64
	// FirstName is the first name.
	FirstName string
	// LastName is the last name, possibly empty.
	LastName string
	// UserName is the username without "@", possibly empty.
	UserName string
	// LanguageCode is the IETF language tag of the user's client, possibly
	// empty.
	LanguageCode string
	// IsBot reports whether the account is a bot.
	IsBot bool
}

// apiUser converts u to its Bot API form.
func apiUser(u *User) *tgbotapi.User {
	return &tgbotapi.User{
		ID:           u.ID,
		IsBot:        u.IsBot,
		FirstName:    u.FirstName,
		LastName:     u.LastName,
		UserName:     u.UserName,
		LanguageCode: u.LanguageCode,
	}
}

// UserOption sets an optional attribute of a user created by NewUser.
type UserOption func(*User)

// LastName sets the user's last name.
func LastName(name string) UserOption {
	return func(u *User) { u.LastName = name }
}

// Lang sets the user's IETF language code, such as "vi" or "en".
func Lang(code string) UserOption {
	return func(u *User) { u.LanguageCode = code }
}

// NewUser creates a user with a first name and a username (without "@";
// empty for a user without one), and the user's private chat with the bot,
// whose id is the user id.
func (s *Server) NewUser(firstName, userName string, opts ...UserOption) *User {
	u := User{FirstName: firstName, UserName: strings.TrimPrefix(userName, "@")}
	for _, opt := range opts {
		opt(&u)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ids.user++
	u.ID = s.ids.user
	stored := u
	s.users[u.ID] = &stored
	s.privateChatLocked(&stored)
	return &u
}

// Rename changes the user's names, as a person does in their Telegram
// settings: the messages and presses that follow carry the new ones. It
// updates u too.
func (s *Server) Rename(u *User, firstName, lastName, userName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	stored := s.userLocked(u)
	stored.FirstName, stored.LastName, stored.UserName = firstName, lastName, strings.TrimPrefix(userName, "@")
	u.FirstName, u.LastName, u.UserName = stored.FirstName, stored.LastName, stored.UserName
}

// SetLanguage changes the user's language code, as a person does by
// switching their Telegram app to another language: the messages and
// presses that follow carry the new one. It updates u too.
func (s *Server) SetLanguage(u *User, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	stored := s.userLocked(u)
	stored.LanguageCode = code
	u.LanguageCode = code
}

// userLocked returns the server's record of u, panicking when u is not a
// user of this server.
func (s *Server) userLocked(u *User) *User {
	if u == nil {
		panic("telegramtest: nil user")
	}
	stored, ok := s.users[u.ID]
	if !ok {
		panic(fmt.Sprintf("telegramtest: user %d was not created by this server", u.ID))
	}
	return stored
}

// joinLocked checks that u can take part in chat c. A user whose status in
// a group was never set becomes a member; one who left or was kicked cannot
// take part.
func (s *Server) joinLocked(c *chatState, u *User) error {
	if c.kind == ChatPrivate {
		if u.ID != c.id {
			return fmt.Errorf("telegramtest: user %d is not part of the private chat of user %d", u.ID, c.id)
		}
		return nil
	}
	status, set := c.members[u.ID]
	if !set {
		s.setStatusLocked(c, u.ID, StatusMember)
		return nil
	}
	if status == StatusLeft || status == StatusKicked {
		return fmt.Errorf("telegramtest: user %d cannot take part in chat %d: status %s", u.ID, c.id, status)
	}
	return nil
}

// handleGetMe serves getMe.
func (s *Server) handleGetMe(*apiRequest) (any, *apiError) {
	me := apiUser(s.bot)
	me.CanJoinGroups = true
	me.CanReadAllGroupMessages = true
	return me, nil
}

// post is something a user posts in a chat.
type post struct {
	from      *User
	anonymous bool // on behalf of the group, by an anonymous administrator
	text      string
	replyTo   *Message
	// fileKind, fileName and fileData describe an attached file.
	fileKind string
	fileName string
	fileData []byte
	// thread is the topic posted in (see SendInTopic), 0 for General or
	// that of the message replied to.
	thread int
	// album is the media_group_id of the album the file is sent in (see
	// SendAlbum), "" for a message of its own.
	album string
}

// Send makes user write text in chat and enqueues the message update,
// exactly as Telegram would: text starting with "/cmd" or "/cmd@botname"
// gets a bot_command entity. A user whose status in a group was never set
// joins it as a member. Send panics when the user cannot write there (they
// left or were kicked, the group was migrated, or the chat is another
// user's private chat).
func (s *Server) Send(chat *Chat, user *User, text string) Update {
	return s.userPost(chat, post{from: user, text: text})
}

// SendPrivate makes user write text to the bot in their private chat.
func (s *Server) SendPrivate(user *User, text string) Update {
	return s.Send(s.PrivateChat(user), user, text)
}

// SendAsGroup makes an anonymous administrator write text in group: the
// message comes from GroupAnonymousBot, with sender_chat set to the group.
func (s *Server) SendAsGroup(group *Chat, text string) Update {
	return s.userPost(group, post{anonymous: true, text: text})
}

// Reply makes user reply with text to message to, which must belong to
// chat and not be deleted.
func (s *Server) Reply(chat *Chat, user *User, to *Message, text string) Update {
	return s.userPost(chat, post{from: user, text: text, replyTo: to})
}

// SendDocument makes user send a document named name with the given content
// and caption, replying to replyTo unless it is nil. The bot can send the
// document again, or download it, by its file_id.
func (s *Server) SendDocument(chat *Chat, user *User, replyTo *Message, name string, data []byte, caption string) Update {
	return s.userPost(chat, post{from: user, text: caption, replyTo: replyTo, fileKind: kindDocument, fileName: name, fileData: data})
}

// SendPhoto makes user send a photo with the given content and caption,
// replying to replyTo unless it is nil. Width and height are filled in when
// data is a GIF, JPEG or PNG image.
func (s *Server) SendPhoto(chat *Chat, user *User, replyTo *Message, data []byte, caption string) Update {
	return s.userPost(chat, post{from: user, text: caption, replyTo: replyTo, fileKind: kindPhoto, fileData: data})
}

// SendAlbum makes user send photos as one album, replying to replyTo unless
// it is nil, with the caption under the first, and returns the updates.
// As Telegram does, each photo is a message of its own, delivered in its
// own update, all sharing a media_group_id and each replying to replyTo
// (the album is sent as a reply as a whole: the reply target of
// messages.sendMultiMedia, and of the Bot API's sendMediaGroup, is one for
// all its messages).
func (s *Server) SendAlbum(chat *Chat, user *User, replyTo *Message, photos [][]byte, caption string) []Update {
	if len(photos) < 2 || len(photos) > 10 {
		panic(fmt.Sprintf("telegramtest: an album holds 2 to 10 items, not %d", len(photos)))
	}
	s.mu.Lock()
	s.albums++
	album := strconv.Itoa(13300000000000000 + s.albums)
	s.mu.Unlock()
	ups := make([]Update, len(photos))
	for i, data := range photos {
		p := post{from: user, replyTo: replyTo, fileKind: kindPhoto, fileData: data, album: album}
		if i == 0 {
			p.text = caption
		}
		ups[i] = s.userPost(chat, p)
	}
	return ups
}

// EditText makes user edit the text (or the caption) of their message msg
// in chat to text, and enqueues the edited_message update, as Telegram
// does: the message as it now is, with its edit_date and, for a text
// starting with "/cmd", a bot_command entity. It panics unless msg is
// user's own message of chat, not deleted.
func (s *Server) EditText(chat *Chat, user *User, msg *Message, text string) Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chat)
	u := s.userLocked(user)
	m := c.lookup(msg.ID)
	if msg.ChatID != c.id || m == nil || m.deleted || m.from == nil || m.from.ID != u.ID || m.senderChat {
		panic(fmt.Sprintf("telegramtest: message %d of chat %d is not %d's to edit", msg.ID, msg.ChatID, u.ID))
	}
	m.content = formatted{raw: text, text: text, entities: commandEntities(text)}
	s.editedLocked(m)
	edited := c.apiMessage(m, true)
	id := s.enqueueLocked(wireUpdate{EditedMessage: &edited})
	snap := c.snapshot(m)
	return Update{ID: id, Message: &snap}
}

// userPost adds a user's message to chat and enqueues its update.
func (s *Server) userPost(chat *Chat, p post) Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chat)
	if c.migratedTo != 0 {
		panic(fmt.Sprintf("telegramtest: chat %d was migrated to %d", c.id, c.migratedTo))
	}
	m := &message{content: formatted{raw: p.text, text: p.text, entities: commandEntities(p.text)}}
	if p.anonymous {
		if c.kind == ChatPrivate {
			panic("telegramtest: SendAsGroup on a private chat")
		}
		m.from, m.senderChat = s.users[GroupAnonymousBotID], true
	} else {
		u := s.userLocked(p.from)
		if u.ID == s.bot.ID {
			panic("telegramtest: the bot posts through the Bot API, not as a user")
		}
		if err := s.joinLocked(c, u); err != nil {
			panic(err.Error())
		}
		m.from = u
	}
	var to *message
	if p.replyTo != nil {
		if to = c.lookup(p.replyTo.ID); p.replyTo.ChatID != c.id || to == nil || to.deleted {
			panic(fmt.Sprintf("telegramtest: message %d of chat %d cannot be replied to in chat %d", p.replyTo.ID, p.replyTo.ChatID, c.id))
		}
		m.replyTo = p.replyTo.ID
	}
	m.thread = s.postThreadLocked(c, m.from, p.anonymous, p.thread, to)
	m.album = p.album
	switch p.fileKind {
	case kindDocument:
		m.document = s.files.add(kindDocument, p.fileName, p.fileData)
	case kindPhoto:
		m.photo = s.files.add(kindPhoto, "", p.fileData)
	default:
		if p.text == "" {
			panic("telegramtest: a message needs text or a file")
		}
	}
	return s.postLocked(c, m)
}

// postLocked adds a message that is not the bot's to c and enqueues the
// update announcing it.
func (s *Server) postLocked(c *chatState, m *message) Update {
	c.add(m)
	msg := c.apiMessage(m, true)
	id := s.enqueueLocked(wireUpdate{Message: &msg})
	snap := c.snapshot(m)
	return Update{ID: id, Message: &snap}
}

// commandPattern matches a bot command at the start of a text.
var commandPattern = regexp.MustCompile(`^/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{3,32})?`)

// commandEntities returns the bot_command entity Telegram puts on a text
// starting with "/command" or "/command@botname", if any.
func commandEntities(text string) []tgbotapi.MessageEntity {
	loc := commandPattern.FindStringIndex(text)
	if loc == nil {
		return nil
	}
	if r, _ := utf8.DecodeRuneInString(text[loc[1]:]); r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
		return nil
	}
	// The command is ASCII, so its byte length is its UTF-16 length.
	return []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: loc[1]}}
}
