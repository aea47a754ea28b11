package thidua

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SchemaVersion is the version of the stored Block document. Storage writes it
// into every document and migrates older documents on read (see Migrate).
// Version 2 records whether a group administrator approved each
// representative (Representative.ApprovedByAdmin). Version 3 keeps
// Results.Reports grouped by unit, which lets storage keep each unit's
// reports apart; programs of version 2 would not see them, so they refuse
// these documents. Version 4 keeps them in the order of their keys, unit
// then period (ReportKey.Compare), which lets storage keep each report
// apart and restore the order; programs of version 3 would not see those
// reports, and would lose them on their next change, so they refuse these
// documents.
const SchemaVersion = 4

// MaxUnits is the most units a block may have.
const MaxUnits = 60

// appliedKept is how many recent update ids a block remembers (see MarkApplied).
const appliedKept = 256

// Block is one emulation block (Khối thi đua) for one year, bound to one
// Telegram group. It is the aggregate that storage reads and writes whole.
type Block struct {
	Schema  int    `json:"schema"`
	Version int64  `json:"version"`
	ID      string `json:"id"`
	ChatID  int64  `json:"chat_id"`
	// Home is the topic of the group where the bot posts what it posts of
	// its own accord (see MoveHome); the zero Topic is General.
	Home      Topic     `json:"home,omitzero"`
	Name      string    `json:"name"`
	Year      int       `json:"year"`
	CreatedAt time.Time `json:"created_at"`

	Units      []Unit           `json:"units"`
	LeaderUnit string           `json:"leader_unit,omitempty"`
	DeputyUnit string           `json:"deputy_unit,omitempty"`
	Reps       []Representative `json:"reps"`
	Requests   []JoinRequest    `json:"requests,omitempty"`
	NextSeq    int              `json:"next_seq"`
	// Removed are the units removed from the block, oldest first, the
	// latest MaxUnits of them (see RemoveUnit): a command naming one is
	// told what became of it, and /history finds its entries by its
	// name. It is replaced, never changed in place: storage shares it
	// between a stored block and the copies that changes start from (its
	// tag copy:"replaced"; see storage's copyCore).
	Removed []RemovedUnit `json:"removed,omitempty" copy:"replaced"`

	// Applied lists the ids of the most recent Telegram updates whose effects
	// are already in this document, so that a redelivered update is not
	// applied twice even if the process died between the write and the
	// acknowledgement. It is appended to or replaced, never changed in
	// place: storage shares it between a stored block and the copies that
	// changes start from (its tag copy:"append-only"; see storage's
	// copyCore).
	Applied []int64 `json:"applied,omitempty" copy:"append-only"`
	// Menus records the command menus of their own the bot has given in
	// the block's group (see Menus): written by the bot once it gave or
	// took them, after the answer to a request, never by the domain.
	Menus Menus `json:"menus,omitzero"`

	// Feature state. Each feature of the year keeps its state in a field
	// declared in the feature's own file, named by a Part (the results
	// feature keeps two: the reports, and the messages confirming them).
	// These fields come last, so that storage can encode a block part by
	// part.
	Schedule       Schedule       `json:"schedule,omitzero"`
	Registration   Registration   `json:"registration,omitzero"`
	Elections      Elections      `json:"elections,omitzero"`
	Results        Results        `json:"results,omitzero"`
	ReportMessages ReportMessages `json:"report_messages,omitzero"`

	events []Event
	// reportsChanged lists the keys of the reports that changed since
	// storage last took the list (TakeChangedReports).
	reportsChanged []ReportKey
}

// Menus is the bot's record of the command menus it gave the leader
// unit's representatives in the block's group, each a menu of their own
// (see handlers' menu.go): to whom, in which chat, and which set of
// commands, so that the bot can bring them to what the block and its
// release call for whenever they differ. Blocks of releases before the
// menus have none: the record is then empty.
type Menus struct {
	// ChatID is the chat the menus were given in: after the group became
	// a supergroup, a record of the old chat holds none in the new one.
	ChatID int64 `json:"chat_id"`
	// Stamp identifies the set of commands given (a short hash of the
	// menus, which a release may change).
	Stamp string `json:"stamp,omitempty"`
	// Holders are the user ids of those holding a menu of their own. The
	// slice is only ever replaced, never changed in place: storage shares
	// it between a stored block and the copies that changes start from
	// (its tag copy:"replaced"; see storage's copyCore).
	Holders []int64 `json:"holders,omitempty" copy:"replaced"`
}

// Equal reports whether m and o record the same menus, their holders in
// the same order.
func (m *Menus) Equal(o *Menus) bool {
	return m.ChatID == o.ChatID && m.Stamp == o.Stamp && slices.Equal(m.Holders, o.Holders)
}

// Topic is a topic of the block's group, when the group (a supergroup)
// has topics: Telegram divides its messages among topics, each a thread
// of its own. The zero Topic is the General topic, which is also all
// there is of a group without topics.
type Topic struct {
	// Thread identifies the topic in its chat (Telegram's
	// message_thread_id); 0 for General.
	Thread int `json:"thread"`
	// Name is the topic's name as Telegram last gave it to the bot: the
	// name it was created with, or the new name of a rename the bot heard
	// of (see RenameHome); "" if it gave none.
	Name string `json:"name,omitempty"`
}

// Label names the topic in the history: "General", its name, or "#" and
// its thread when the name is unknown.
func (t Topic) Label() string {
	switch {
	case t.Thread == 0:
		return "General"
	case t.Name != "":
		return t.Name
	}
	return "#" + strconv.Itoa(t.Thread)
}

// MoveHome makes t the block's home topic (Block.Home), where the bot
// posts what it posts of its own accord: reminders, the results of
// elections it closes, the covenant's completion. Only managers may move
// it. It reports whether the home changed: a move to the home topic
// itself records nothing, and learns the topic's name only if the home
// had none: t's name may be the one the topic was created with, which a
// rename the bot heard of (see RenameHome) made stale. It returns
// ErrForbidden.
func (b *Block) MoveHome(a Actor, t Topic, now time.Time) (bool, error) {
	if !b.CanManage(a) {
		return false, ErrForbidden
	}
	if t.Thread == b.Home.Thread && (b.Home.Name != "" || t.Name == "") {
		return false, nil
	}
	if t.Thread == b.Home.Thread {
		b.Home.Name = t.Name // the same topic, its name learnt: nothing to record
		return true, nil
	}
	b.record(a, now, "topic.home", "", b.Home.Label(), t.Label())
	b.Home = t
	return true, nil
}

// RenameHome records that a renamed the topic of thread to name, as
// Telegram told the bot, when it is the home topic: the bot names it so
// from then on, and the history records the rename. It reports whether
// the block changed.
func (b *Block) RenameHome(a Actor, thread int, name string, now time.Time) bool {
	if thread == 0 || b.Home.Thread != thread || name == "" || b.Home.Name == name {
		return false
	}
	b.record(a, now, "topic.renamed", "", b.Home.Label(), name)
	b.Home.Name = name
	return true
}

// LoseHome forgets the home topic, when it is the one of thread, because
// Telegram said the topic no longer exists in a group that has topics (it
// was deleted; see NoteTopics for a group that turned them off): the bot
// posts in General from then on, which the history records as the bot's
// doing. It reports whether the block
// changed.
func (b *Block) LoseHome(thread int, now time.Time) bool {
	if thread == 0 || b.Home.Thread != thread {
		return false
	}
	b.record(SystemActor, now, "topic.lost", "", b.Home.Label(), Topic{}.Label())
	b.Home = Topic{}
	return true
}

// HomeThread returns the thread of the topic where the bot posts what it
// posts of its own accord: the home topic's (Block.Home), 0 for General,
// and 0 too while the group's topics are off (Schedule.TopicsOff), since
// Telegram refuses every topic meanwhile.
func (b *Block) HomeThread() int {
	if !b.Schedule.TopicsOff.IsZero() {
		return 0
	}
	return b.Home.Thread
}

// NoteTopics records whether the block's group has topics, as the bot
// learnt at now: turned off, the bot posts in General while keeping its
// home topic, and in the home topic again once they are on (see
// HomeThread). A group without topics has no closed General: turned off,
// they take General's closing with them (see NoteGeneral), which a
// refused post records again once they are back. It records no history:
// who turned them off or on, Telegram does not say, and nothing of the
// block's own changes. It reports whether the block changed.
func (b *Block) NoteTopics(on bool, now time.Time) bool {
	s := &b.Schedule
	if on == s.TopicsOff.IsZero() {
		return false
	}
	s.TopicsOff = time.Time{}
	if !on {
		s.TopicsOff = now
		s.GeneralClosed, s.GeneralClosedTold = time.Time{}, false
	}
	return true
}

// Part names one field of a block's feature state (see Block), or with |
// several. Storage copies and encodes a block part by part: a change that
// declares the parts it changes (storage.Store.UpdateParts) costs in
// proportion to those parts rather than to the whole block, which at the end
// of a year holds tens of kilobytes of pledges and results. Everything else
// in a block (units, representatives, the record of applied updates) is its
// core, small, and always written.
type Part uint8

// The parts of a block's feature state.
const (
	PartSchedule       Part = 1 << iota // Block.Schedule
	PartRegistration                    // Block.Registration
	PartElections                       // Block.Elections
	PartResults                         // Block.Results
	PartReportMessages                  // Block.ReportMessages
	// AllParts is every part: a change that does not say what it changes.
	AllParts = PartSchedule | PartRegistration | PartElections | PartResults | PartReportMessages
)

// NumParts is the number of parts.
const NumParts = 5

// Parts returns pointers to the block's parts: element i is the field that
// Part 1<<i names.
func (b *Block) Parts() [NumParts]any {
	return [NumParts]any{&b.Schedule, &b.Registration, &b.Elections, &b.Results, &b.ReportMessages}
}

// Unit is a member organization of the block (đơn vị thành viên).
type Unit struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// AddedAt is when the unit joined the block: it owes nothing whose
	// time had passed by then (see ReportOwed).
	AddedAt time.Time `json:"added_at"`
	// Former are the names the unit had before, oldest first (see
	// RenameUnit), by which a command is told the name it has now (see
	// FindUnit). It is replaced, never changed in place (its tag
	// copy:"replaced"; see storage's copyCore).
	Former []FormerName `json:"former,omitempty" copy:"replaced"`
}

// FormerName is a name a unit had until it was renamed.
type FormerName struct {
	Name  string    `json:"name"`
	Until time.Time `json:"until"`
}

// RemovedUnit is a unit removed from the block: its id, which the history
// and the year's data still name it by, its name then, and who removed it
// when.
type RemovedUnit struct {
	ID   string    `json:"id"`
	Name string    `json:"name"`
	At   time.Time `json:"at"`
	By   string    `json:"by"`
}

// FormerUnitError is the error of a command naming a unit by a name it
// had before it was renamed (Unit is the unit now), or a unit removed from
// the block (Removed), so that the person is told which, rather than that
// no unit has this name. It wraps ErrUnitNotFound.
type FormerUnitError struct {
	// Unit is the renamed unit as it is now, No its number in the list
	// (from 1), and Name the former name matched; nil for a removed unit.
	Unit *Unit
	No   int
	Name FormerName
	// Removed is the removed unit matched; nil for a renamed one.
	Removed *RemovedUnit
}

func (e *FormerUnitError) Error() string {
	if e.Removed != nil {
		return "unit removed: " + e.Removed.Name
	}
	return "unit renamed: " + e.Name.Name + " -> " + e.Unit.Name
}

// Unwrap returns ErrUnitNotFound.
func (e *FormerUnitError) Unwrap() error { return ErrUnitNotFound }

// Representative is a Telegram user approved to act for one unit (cán bộ đầu mối).
type Representative struct {
	UserID     int64     `json:"user_id"`
	Name       string    `json:"name"`
	Username   string    `json:"username,omitempty"`
	UnitID     string    `json:"unit_id"`
	Since      time.Time `json:"since"`
	ApprovedBy int64     `json:"approved_by,omitempty"`
	// ApprovedByAdmin is true when a group administrator approved the
	// representative (not a representative of the leader unit): only such
	// a representative, or one from before, votes in an election already
	// open (see Block.Vote). Documents of schema 1 did not record it; their
	// representatives count as approved by an administrator (see Migrate).
	ApprovedByAdmin bool `json:"approved_by_admin,omitempty"`
	// Lang is the language of the representative's Telegram app, the IETF
	// language code Telegram gives with what they do (such as "en" or
	// "vi"), as last seen: the bot writes to them privately in it. ""
	// means unknown, as in documents from before it was recorded: they get
	// the block's language.
	Lang string `json:"lang,omitempty"`
}

// JoinRequest is a user's pending request to represent a unit.
type JoinRequest struct {
	ID       string    `json:"id"`
	UserID   int64     `json:"user_id"`
	Name     string    `json:"name"`
	Username string    `json:"username,omitempty"`
	UnitID   string    `json:"unit_id"`
	At       time.Time `json:"at"`
	// Lang is the language code of the requester's Telegram app when they
	// asked, "" if unknown: their representative record starts with it
	// (see Representative.Lang).
	Lang string `json:"lang,omitempty"`
	// MessageID is the group message asking the managers to decide, with
	// their buttons (see SetJoinMessage), which the bot edits when the
	// request is replaced; 0 while unknown. It is of the block's chat.
	MessageID int `json:"message_id,omitempty"`
	// ReplacedMessage and ReplacedUnit are the message and unit of the
	// asker's earlier request that this one replaced (see RequestJoin),
	// 0 and "" for none, so that the earlier message can be retired again
	// should the update that made this request be delivered again.
	ReplacedMessage int    `json:"replaced_message,omitempty"`
	ReplacedUnit    string `json:"replaced_unit,omitempty"`
}

// Actor is the person behind a change. Admin is true when the transport has
// established that the user administers the group (or posts as the group).
// Lang is the IETF language code of their Telegram app, "" if unknown.
type Actor struct {
	UserID   int64  `json:"user_id"`
	Name     string `json:"name"`
	Username string `json:"username,omitempty"`
	Admin    bool   `json:"admin,omitempty"`
	Lang     string `json:"lang,omitempty"`
}

// Event is one entry of a block's history: who did what, when, to what, with
// the value before and after.
type Event struct {
	At        time.Time `json:"at"`
	ActorID   int64     `json:"actor_id"`
	ActorName string    `json:"actor_name"`
	AsAdmin   bool      `json:"as_admin,omitempty"`
	Action    string    `json:"action"`
	Subject   string    `json:"subject,omitempty"`
	Before    string    `json:"before,omitempty"`
	After     string    `json:"after,omitempty"`
	// PersonID is the Telegram user an entry about a person is about,
	// whom its text names by name (see PersonLabel): the one who asked to
	// represent a unit (join.approve, join.reject) or stopped (rep.leave).
	// Entries recorded before it named them "Name (123456789)"; Migrate
	// moves the id here.
	PersonID int64 `json:"person_id,omitempty"`
}

// MarkedAdmin reports whether the entry's actor is to be shown as an
// administrator: one who acted as such, by name; an anonymous
// administrator, who is the group itself (a negative id), is named as such
// already.
func (e Event) MarkedAdmin() bool { return e.AsAdmin && e.ActorID > 0 }

// NewBlock creates the block for a group. Only a group administrator may set a
// block up. It returns ErrForbidden or ErrInvalidName.
func NewBlock(id string, chatID int64, name string, year int, a Actor, now time.Time) (*Block, error) {
	if !a.Admin {
		return nil, ErrForbidden
	}
	name, err := CleanName(name)
	if err != nil {
		return nil, err
	}
	b := &Block{Schema: SchemaVersion, ID: id, ChatID: chatID, Name: name, Year: year, CreatedAt: now, NextSeq: 1}
	b.record(a, now, "block.setup", "", "", fmt.Sprintf("%s (%d)", name, year))
	return b, nil
}

// Migrate brings a document read from storage up to SchemaVersion. It returns
// an error for a document written by a newer version of the program.
func (b *Block) Migrate() error {
	if b.Schema > SchemaVersion {
		return fmt.Errorf("block %s has schema %d, newer than this program's %d", b.ID, b.Schema, SchemaVersion)
	}
	if b.Schema < 2 {
		// Who approved them was not recorded: they keep the vote they had.
		for i := range b.Reps {
			b.Reps[i].ApprovedByAdmin = true
		}
	}
	b.Schema = SchemaVersion
	b.Results.sortReports()
	if b.NextSeq < 1 {
		b.NextSeq = 1
	}
	return nil
}

// TakeEvents returns the events recorded since the last call and forgets them.
// Storage calls it to append them to the block's history in the same write.
func (b *Block) TakeEvents() []Event {
	ev := b.events
	b.events = nil
	return ev
}

// record adds an entry to the block's history and returns it, for an
// entry about a person to name them (Event.PersonID).
func (b *Block) record(a Actor, now time.Time, action, subject, before, after string) *Event {
	b.events = append(b.events, Event{
		At: now, ActorID: a.UserID, ActorName: a.Name, AsAdmin: a.Admin && !b.isLeaderRep(a.UserID),
		Action: action, Subject: subject, Before: before, After: after,
	})
	return &b.events[len(b.events)-1]
}

// PersonLabel names a person in the history and in lists of people: their
// name, and their username in brackets when they have one, without the @
// that would notify them in a group ("Lan (lan_td)").
func PersonLabel(name, username string) string {
	if username == "" {
		return name
	}
	return name + " (" + username + ")"
}

// Migrate brings a history entry recorded by an older version to the
// current form: an entry about a person (join.approve, join.reject,
// rep.leave) without PersonID named them "Name (123456789)", which becomes
// the name, the id going to PersonID. Storage migrates every entry it
// reads.
func (e *Event) Migrate() {
	switch {
	case e.PersonID != 0:
		return
	case e.Action == "join.approve" || e.Action == "join.reject":
		e.After, e.PersonID = splitPersonID(e.After)
	case e.Action == "rep.leave":
		e.Before, e.PersonID = splitPersonID(e.Before)
	}
}

// splitPersonID splits "Name (123456789)" into the name and the id, which
// is in the last brackets (a name may have brackets too); other text comes
// back whole, with 0.
func splitPersonID(s string) (string, int64) {
	i := strings.LastIndex(s, " (")
	if i < 0 || !strings.HasSuffix(s, ")") {
		return s, 0
	}
	id, err := strconv.ParseInt(s[i+2:len(s)-1], 10, 64)
	if err != nil || id <= 0 {
		return s, 0
	}
	return s[:i], id
}

// HasApplied reports whether the update with this id already changed the block.
func (b *Block) HasApplied(updateID int64) bool {
	for _, id := range b.Applied {
		if id == updateID {
			return true
		}
	}
	return false
}

// MarkApplied remembers that the update with this id changed the block,
// keeping only the most recent ids.
func (b *Block) MarkApplied(updateID int64) {
	if updateID == 0 || b.HasApplied(updateID) {
		return
	}
	// A new array of the very length kept, made at once: storage shares
	// the record with the blocks it keeps, clipped, so appending would
	// allocate anyway, twice the length, and then again to drop the oldest
	// once the record is full, on every update that changes a block.
	kept := b.Applied[max(0, len(b.Applied)+1-appliedKept):]
	applied := make([]int64, len(kept)+1)
	copy(applied, kept)
	applied[len(kept)] = updateID
	b.Applied = applied
}

// MoveChat binds the block to the chat its group became when Telegram
// upgraded it to a supergroup. Message ids start again in the new chat, so
// the block forgets the ids of the old chat's messages it kept (see
// forgetReportMessages, forgetBallotMessages, forgetCovenantMessage,
// forgetSubmissionMessages, and those of the join requests): a message of
// the new chat with the same id is not one of them. So goes its home
// topic, whose thread is the id of a message of the old chat: the bot
// posts in the new chat's General until a manager chooses a topic there,
// and what it knew of the old chat's topics goes with it.
func (b *Block) MoveChat(chatID int64) {
	if chatID == b.ChatID {
		return
	}
	b.ChatID = chatID
	b.Home = Topic{}
	b.Schedule.TopicsOff, b.Schedule.GeneralClosed, b.Schedule.GeneralClosedTold = time.Time{}, time.Time{}, false
	b.forgetReportMessages()
	b.forgetBallotMessages()
	b.forgetCovenantMessage()
	b.forgetSubmissionMessages()
	for i := range b.Requests {
		b.Requests[i].MessageID = 0
	}
}

func (b *Block) seq(prefix string) string {
	id := prefix + strconv.Itoa(b.NextSeq)
	b.NextSeq++
	return id
}

// IsUnitID reports whether id has the form of a unit's id, "u" and a
// number (see AddUnits), as the subject of a history entry about a unit
// removed since has.
func IsUnitID(id string) bool {
	n, ok := strings.CutPrefix(id, "u")
	return ok && n != "" && strings.Trim(n, "0123456789") == ""
}

// Rename changes the block's name. Only managers may rename it.
func (b *Block) Rename(a Actor, name string, now time.Time) error {
	if !b.CanManage(a) {
		return ErrForbidden
	}
	name, err := CleanName(name)
	if err != nil {
		return err
	}
	if name != b.Name {
		b.record(a, now, "block.rename", "", b.Name, name)
		b.Name = name
	}
	return nil
}

// CanManage reports whether the actor runs the block: a group administrator or
// an approved representative of the leader unit.
func (b *Block) CanManage(a Actor) bool {
	return a.Admin || b.isLeaderRep(a.UserID)
}

// CanActFor reports whether the actor may change the data of the unit: one of
// its representatives, or a group administrator.
func (b *Block) CanActFor(a Actor, unitID string) bool {
	if a.Admin {
		return true
	}
	r := b.RepOf(a.UserID)
	return r != nil && r.UnitID == unitID
}

// Unit returns the unit with this id, or nil.
func (b *Block) Unit(id string) *Unit {
	for i := range b.Units {
		if b.Units[i].ID == id {
			return &b.Units[i]
		}
	}
	return nil
}

// UnitName returns the name of the unit with this id, or "" when there is none.
func (b *Block) UnitName(id string) string {
	if u := b.Unit(id); u != nil {
		return u.Name
	}
	return ""
}

// FindUnit resolves what a person typed to one unit: its number in the list
// (1-based), its exact name, or a part of its name that matches only one unit,
// ignoring case and diacritics. It returns ErrUnitNotFound when nothing or more
// than one unit matches: a *FormerUnitError when what was typed names, in
// the same way, one of the names units had before they were renamed or one
// of the units removed (see formerUnit).
func (b *Block) FindUnit(ref string) (*Unit, error) {
	if u := b.Unit(strings.TrimSpace(ref)); u != nil {
		return u, nil
	}
	i, ok := findByName(ref, len(b.Units), func(i int) string { return b.Units[i].Name })
	if !ok {
		return nil, b.formerUnit(ref)
	}
	return &b.Units[i], nil
}

// formerUnit returns the *FormerUnitError of ref, a name (not a number)
// that names no unit of the block now, when it names one former name of a
// unit or one removed unit, in full or by a part of it only that one has;
// otherwise ErrUnitNotFound.
func (b *Block) formerUnit(ref string) error {
	if _, err := strconv.Atoi(strings.TrimSpace(ref)); err == nil {
		return ErrUnitNotFound
	}
	var found []*FormerUnitError
	for i := range b.Units {
		for _, f := range b.Units[i].Former {
			found = append(found, &FormerUnitError{Unit: &b.Units[i], No: i + 1, Name: f})
		}
	}
	for i := range b.Removed {
		found = append(found, &FormerUnitError{Removed: &b.Removed[i]})
	}
	i, ok := findByName(ref, len(found), func(i int) string {
		if r := found[i].Removed; r != nil {
			return r.Name
		}
		return found[i].Name.Name
	})
	if !ok {
		return ErrUnitNotFound
	}
	return found[i]
}

// unitNotFound is the error of an action on the unit unitID that is not
// in the block: a *FormerUnitError when it was removed, otherwise
// ErrUnitNotFound.
func (b *Block) unitNotFound(unitID string) error {
	for i := range b.Removed {
		if b.Removed[i].ID == unitID {
			return &FormerUnitError{Removed: &b.Removed[i]}
		}
	}
	return ErrUnitNotFound
}

// cleanUnitName is CleanName for a unit's name, which also refuses a "|"
// (ErrUnitNameBar): the commands that name a unit put one between their
// parts ("/return 2 | lý do", "/openreg Tỉnh Đoàn | 31/03"), where a unit
// with one in its name could not be named by its name. A "|" alone, or with
// no letter, is ErrInvalidName: a command typed wrong.
func cleanUnitName(s string) (string, error) {
	s, err := CleanName(s)
	if err == nil && strings.Contains(s, "|") {
		return "", ErrUnitNameBar
	}
	return s, err
}

// AddUnits adds units by name, all or none. Only managers may add units.
// A covenant completed without the group told yet (AnnouncePending) is
// completed no more: the new units have not signed it, so that "every unit
// signed" would be false, and their signatures (or their removal) complete
// it anew, to be announced then. It returns ErrForbidden, ErrTooManyUnits,
// or a *LineError naming the first bad name's position and wrapping
// ErrInvalidName, ErrUnitNameBar (see cleanUnitName) or ErrUnitExists (a
// name already in the block or given twice).
func (b *Block) AddUnits(a Actor, names []string, now time.Time) ([]Unit, error) {
	if !b.CanManage(a) {
		return nil, ErrForbidden
	}
	if len(names) == 0 {
		return nil, ErrInvalidName
	}
	if len(b.Units)+len(names) > MaxUnits {
		return nil, ErrTooManyUnits
	}
	seen := map[string]bool{}
	for _, u := range b.Units {
		seen[Fold(u.Name)] = true
	}
	clean := make([]string, 0, len(names))
	for i, n := range names {
		c, err := cleanUnitName(n)
		if err != nil {
			return nil, &LineError{Line: i + 1, Err: err}
		}
		if seen[Fold(c)] {
			return nil, &LineError{Line: i + 1, Err: fmt.Errorf("%w: %s", ErrUnitExists, c)}
		}
		seen[Fold(c)] = true
		clean = append(clean, c)
	}
	added := make([]Unit, 0, len(clean))
	for _, c := range clean {
		u := Unit{ID: b.seq("u"), Name: c, AddedAt: now}
		b.Units = append(b.Units, u)
		added = append(added, u)
		b.record(a, now, "unit.add", u.ID, "", c)
	}
	if c := b.Registration.Covenant; c != nil && c.AnnouncePending {
		c.reopen()
	}
	return added, nil
}

// RenameUnit renames a unit. Only managers may rename units. It returns
// ErrForbidden, the errors of FindUnit, ErrInvalidName, ErrUnitNameBar (see
// cleanUnitName) or ErrUnitExists. A unit named with a "|" before the name
// was refused is renamed by its number.
func (b *Block) RenameUnit(a Actor, ref, name string, now time.Time) (*Unit, error) {
	if !b.CanManage(a) {
		return nil, ErrForbidden
	}
	u, err := b.FindUnit(ref)
	if err != nil {
		return nil, err
	}
	name, err = cleanUnitName(name)
	if err != nil {
		return nil, err
	}
	for _, o := range b.Units {
		if o.ID != u.ID && Fold(o.Name) == Fold(name) {
			return nil, fmt.Errorf("%w: %s", ErrUnitExists, name)
		}
	}
	if u.Name != name {
		b.record(a, now, "unit.rename", u.ID, u.Name, name)
		if Fold(u.Name) != Fold(name) {
			u.Former = append(slices.Clip(u.Former), FormerName{Name: u.Name, Until: now})
		}
		u.Name = name
	}
	return u, nil
}

// RemoveUnit removes a unit with its representatives, pending requests and
// the drafts of its reports and registration opened for it alone (see
// OpenRegistrationAlone); a removed leader or deputy unit leaves that
// role empty, the unit leaves the award it was proposed for (see
// ProposeAward), and its people leave the nominations (see Nominate). The
// history records each of these, then the removal; the block keeps the
// unit's name, and who removed it when (Removed). Its pledges, reports and
// scores stay in the year's data, which shows only the units of the block.
// It returns the unit
// removed and whether the removal completed the covenant: the unit was the
// last one that had not signed it (see SignCovenant).
func (b *Block) RemoveUnit(a Actor, ref string, now time.Time) (gone Unit, covenantComplete bool, err error) {
	if !b.CanManage(a) {
		return Unit{}, false, ErrForbidden
	}
	u, err := b.FindUnit(ref)
	if err != nil {
		return Unit{}, false, err
	}
	if len(b.OpenElections()) > 0 {
		return Unit{}, false, ErrRollFrozen
	}
	gone = *u
	// What goes with the unit is recorded before its removal, naming the
	// unit while it is still there; the removal, newest, names it in
	// /history for the entries before it.
	b.dropProposed(a, gone.ID, now)
	b.dropExemplars(a, gone.ID, now)
	for _, r := range b.Reps {
		if r.UnitID == gone.ID {
			b.record(a, now, "rep.remove", gone.ID, PersonLabel(r.Name, r.Username), "").PersonID = r.UserID
		}
	}
	for _, office := range []struct {
		holder *string
		role   Role
	}{{&b.LeaderUnit, RoleLeader}, {&b.DeputyUnit, RoleDeputy}} {
		if *office.holder == gone.ID {
			*office.holder = ""
			b.record(a, now, "role."+string(office.role)+".left", gone.ID, gone.Name, "")
		}
	}
	units := b.Units[:0]
	for _, o := range b.Units {
		if o.ID != gone.ID {
			units = append(units, o)
		}
	}
	b.Units = units
	reps := b.Reps[:0]
	for _, r := range b.Reps {
		if r.UnitID != gone.ID {
			reps = append(reps, r)
		}
	}
	b.Reps = reps
	reqs := b.Requests[:0]
	for _, r := range b.Requests {
		if r.UnitID != gone.ID {
			reqs = append(reqs, r)
		}
	}
	b.Requests = reqs
	b.dropDrafts(func(d ReportDraft) bool { return d.UnitID == gone.ID })
	if b.RegistrationOf(gone.ID).Opening != nil {
		b.endOpening(a, gone.ID, now, OpeningEndedRemoved) // registration opened for it alone goes with it
	}
	removed := append(slices.Clip(b.Removed), RemovedUnit{ID: gone.ID, Name: gone.Name, At: now, By: a.Name})
	b.Removed = removed[max(0, len(removed)-MaxUnits):]
	b.record(a, now, "unit.remove", gone.ID, gone.Name, "")
	return gone, b.completeCovenant(now), nil
}

// Role names a unit's office in the block.
type Role string

// The two offices of a block.
const (
	RoleLeader Role = "leader"
	RoleDeputy Role = "deputy"
)

// SetRole makes the unit the block's leader or deputy for the year. One unit
// cannot hold both offices: giving a unit the other office clears it there.
func (b *Block) SetRole(a Actor, role Role, ref string, now time.Time) (*Unit, error) {
	if !b.CanManage(a) {
		return nil, ErrForbidden
	}
	u, err := b.FindUnit(ref)
	if err != nil {
		return nil, err
	}
	b.assignRole(a, role, u.ID, now)
	return u, nil
}

// assignRole gives the office to the unit without a permission check; the
// caller has checked (SetRole) or the block's rules decided (an election).
// A unit holding the other office leaves it, which is recorded too
// ("role.leader.left" or "role.deputy.left").
func (b *Block) assignRole(a Actor, role Role, unitID string, now time.Time) {
	this, other, otherRole := &b.LeaderUnit, &b.DeputyUnit, RoleDeputy
	if role == RoleDeputy {
		this, other, otherRole = other, this, RoleLeader
	}
	if *this == unitID {
		return
	}
	before := b.UnitName(*this)
	*this = unitID
	b.record(a, now, "role."+string(role), unitID, before, b.UnitName(unitID))
	if *other == unitID {
		*other = ""
		b.record(a, now, "role."+string(otherRole)+".left", unitID, b.UnitName(unitID), "")
	}
}

// RepOf returns the user's representative record, or nil.
func (b *Block) RepOf(userID int64) *Representative {
	for i := range b.Reps {
		if b.Reps[i].UserID == userID {
			return &b.Reps[i]
		}
	}
	return nil
}

// isLeaderRep reports whether the user represents the leader unit, whose
// representatives run the block without administrator rights.
func (b *Block) isLeaderRep(userID int64) bool {
	r := b.RepOf(userID)
	return r != nil && b.LeaderUnit != "" && r.UnitID == b.LeaderUnit
}

// AppendLeaderRepIDs appends to dst the user ids of the representatives of
// the leader unit, who run the block without administrator rights (see
// CanManage), in the order they joined, and returns the extended slice;
// none when the block has no leader unit.
func (b *Block) AppendLeaderRepIDs(dst []int64) []int64 {
	if b.LeaderUnit == "" {
		return dst
	}
	for _, r := range b.Reps {
		if r.UnitID == b.LeaderUnit {
			dst = append(dst, r.UserID)
		}
	}
	return dst
}

// LeaderRepsAre reports whether ids are the user ids of the leader unit's
// representatives in the order they joined, as AppendLeaderRepIDs lists
// them. Every request that read a block asks (see handlers' menus), so it
// compares in place, allocating nothing however many they are.
func (b *Block) LeaderRepsAre(ids []int64) bool {
	n := 0
	if b.LeaderUnit != "" {
		for _, r := range b.Reps {
			if r.UnitID != b.LeaderUnit {
				continue
			}
			if n == len(ids) || ids[n] != r.UserID {
				return false
			}
			n++
		}
	}
	return n == len(ids)
}

// RepsOf returns the representatives of a unit in the order they joined.
func (b *Block) RepsOf(unitID string) []Representative {
	var out []Representative
	for _, r := range b.Reps {
		if r.UnitID == unitID {
			out = append(out, r)
		}
	}
	return out
}

// RequestJoin files the actor's request to represent a unit. A pending
// request by the same user is replaced, its message and unit recorded in
// the new one (JoinRequest.ReplacedMessage) when its message was. It
// returns ErrAlreadyMember when the user already represents a unit.
func (b *Block) RequestJoin(a Actor, unitID string, now time.Time) (JoinRequest, error) {
	if r := b.RepOf(a.UserID); r != nil {
		return JoinRequest{}, fmt.Errorf("%w: %s", ErrAlreadyMember, b.UnitName(r.UnitID))
	}
	u := b.Unit(unitID)
	if u == nil {
		return JoinRequest{}, b.unitNotFound(unitID)
	}
	for i := range b.Requests {
		if b.Requests[i].UserID == a.UserID {
			old := b.Requests[i]
			b.Requests[i].UnitID, b.Requests[i].At, b.Requests[i].MessageID = u.ID, now, 0
			b.Requests[i].ReplacedMessage, b.Requests[i].ReplacedUnit = old.MessageID, ""
			if old.MessageID != 0 {
				b.Requests[i].ReplacedUnit = old.UnitID
			}
			if a.Lang != "" {
				b.Requests[i].Lang = a.Lang
			}
			b.Requests[i].ID = b.seq("r")
			b.record(a, now, "join.request", u.ID, b.UnitName(old.UnitID), u.Name)
			return b.Requests[i], nil
		}
	}
	b.Requests = append(b.Requests, JoinRequest{ID: b.seq("r"), UserID: a.UserID, Name: a.Name, Username: a.Username, UnitID: u.ID, At: now, Lang: a.Lang})
	b.record(a, now, "join.request", u.ID, "", u.Name)
	return b.Requests[len(b.Requests)-1], nil
}

// SetJoinMessage records the group message that asks the managers to decide
// the request. It records no history event. It returns ErrRequestNotFound
// when the request was decided or replaced meanwhile.
func (b *Block) SetJoinMessage(requestID string, messageID int) error {
	for i := range b.Requests {
		if b.Requests[i].ID == requestID {
			b.Requests[i].MessageID = messageID
			return nil
		}
	}
	return ErrRequestNotFound
}

// DecideJoin approves or rejects a pending request. Only managers decide. An
// approved user becomes a representative of the requested unit.
func (b *Block) DecideJoin(a Actor, requestID string, approve bool, now time.Time) (JoinRequest, error) {
	if !b.CanManage(a) {
		return JoinRequest{}, ErrForbidden
	}
	idx := -1
	for i := range b.Requests {
		if b.Requests[i].ID == requestID {
			idx = i
		}
	}
	if idx < 0 {
		return JoinRequest{}, ErrRequestNotFound
	}
	req := b.Requests[idx]
	b.Requests = append(b.Requests[:idx], b.Requests[idx+1:]...)
	who := PersonLabel(req.Name, req.Username)
	if !approve {
		b.record(a, now, "join.reject", req.UnitID, "", who).PersonID = req.UserID
		return req, nil
	}
	if b.RepOf(req.UserID) != nil {
		return JoinRequest{}, ErrAlreadyMember
	}
	b.Reps = append(b.Reps, Representative{UserID: req.UserID, Name: req.Name, Username: req.Username, UnitID: req.UnitID, Since: now, ApprovedBy: a.UserID, ApprovedByAdmin: a.Admin, Lang: req.Lang})
	b.record(a, now, "join.approve", req.UnitID, "", who).PersonID = req.UserID
	return req, nil
}

// Leave ends the actor's representation of their unit, and drops the
// drafts of reports they were typing for it, which they may no longer
// send. It returns ErrNotRepresentative when the actor represents no unit.
func (b *Block) Leave(a Actor, now time.Time) (Representative, error) {
	for i, r := range b.Reps {
		if r.UserID == a.UserID {
			b.Reps = append(b.Reps[:i], b.Reps[i+1:]...)
			b.dropDrafts(func(d ReportDraft) bool { return d.Owner.UserID == a.UserID && d.UnitID == r.UnitID })
			b.record(a, now, "rep.leave", r.UnitID, PersonLabel(r.Name, r.Username), "").PersonID = r.UserID
			return r, nil
		}
	}
	return Representative{}, ErrNotRepresentative
}

// UpdateProfile refreshes the stored display name, username and language
// of a representative, so that mentions stay right after a user renames
// themselves in Telegram, and direct messages follow the language of their
// app; an actor whose language is unknown leaves the stored one. It
// records nothing and reports whether anything changed. It compares in
// place, allocating nothing.
func (b *Block) UpdateProfile(a Actor) bool {
	changed := false
	for i := range b.Reps {
		r := &b.Reps[i]
		if r.UserID == a.UserID && !r.HasProfile(a) {
			r.Name, r.Username, changed = a.Name, a.Username, true
			if a.Lang != "" {
				r.Lang = a.Lang
			}
		}
	}
	return changed
}

// HasProfile reports whether the representative's stored name, username
// and language are the actor's, a language the actor's does not tell
// counting as the stored one: whether UpdateProfile would leave them as
// they are. It allocates nothing.
func (r *Representative) HasProfile(a Actor) bool {
	return r.Name == a.Name && r.Username == a.Username && (a.Lang == "" || r.Lang == a.Lang)
}
