package handlers

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"thiduabot/bot"
	"thiduabot/thidua"
)

// This file holds /history: the block's history a page at a time, the
// whole of it or the entries about one unit, newest page first.

// historyDefault and historyMax bound how many entries a page of /history
// shows; historyChunk is how many entries a walk through the history reads
// from the store at a time.
const (
	historyDefault = 20
	historyMax     = 100
	historyChunk   = 200
)

func (r *Router) registerHistory() {
	r.add(&command{
		name: "history", aliases: []string{"lichsu"}, where: inGroup, who: roleAnyone,
		usage: bot.T{
			VI: "[#số hoặc tên đơn vị] [số mục, tối đa 100] [trang số]",
			EN: "[#number or name of a unit] [number of entries, at most 100] [page number]",
		},
		example: bot.T{VI: "/history Hội Nông dân 20 trang 2", EN: "/history #3 20 page 2"},
		desc:    bot.T{VI: "Lịch sử thay đổi của khối: ai, lúc nào, làm gì", EN: "The block's change history: who, when, what"},
		run:     r.history,
	})
}

var (
	msgHistoryBadCount = bot.T{VI: "Số mục phải là một số từ 1 đến 100.", EN: "The number of entries must be a number from 1 to 100."}
	msgHistoryNoPage   = bot.T{
		VI: "Sau «%s» ghi số trang, một số từ 1 trở lên (trang 1 là các mục mới nhất).",
		EN: "After «%s» write the page number, a number from 1 up (page 1 holds the newest entries).",
	}
	msgHistoryBareUnit = bot.T{
		VI: "«%s»: một số đứng riêng là số mục; đơn vị số %s viết là #%s, ví dụ /history #%s 20.",
		EN: "«%s»: a number on its own is the number of entries; unit number %s is written #%s, e.g. /history #%s 20.",
	}
	msgHistoryNoUnit = bot.T{
		VI: "Không có đơn vị nào khớp với «%s» (hoặc tên khớp với nhiều đơn vị). Gửi /units để xem danh sách, rồi ghi số thứ tự sau dấu # hoặc tên đầy đủ.",
		EN: "No unit matches «%s» (or the name matches several units). Send /units to see the list, then give the number after # or the full name.",
	}
	msgHistoryPastEnd = bot.T{
		VI: "Trang %d không có mục nào: %s có %d mục, %d mục mỗi trang, tức là %d trang.",
		EN: "Page %d has no entries: %s has %d {entry|entries}, %d a page, that is %d {page|pages}.",
	}
	msgHistoryOf      = bot.T{VI: "lịch sử của %s", EN: "the history of %s"}
	msgHistoryOfBlock = bot.T{VI: "lịch sử", EN: "the history"}
	msgHistoryEmpty   = bot.T{VI: "Chưa có thay đổi nào.", EN: "No changes yet."}
	msgHistoryTitle   = bot.T{VI: "<b>Lịch sử thay đổi</b>", EN: "<b>Change history</b>"}
	msgHistoryTitleOf = bot.T{VI: "<b>Lịch sử thay đổi — %s</b>", EN: "<b>Change history — %s</b>"}
	msgHistoryAll     = bot.T{VI: " (cả %d mục)", EN: " (all %d {entry|entries})"}
	msgHistoryLast    = bot.T{VI: " (%d mục gần nhất trong %d)", EN: " (last %d {entry|entries} of %d)"}
	msgHistoryPage    = bot.T{
		VI: " (mục %d–%d trong %d, đếm từ mục mới nhất)",
		EN: " (entries %d–%d of %d, counting from the newest)",
	}
	msgHistoryLastMore = bot.T{VI: " (%d mục gần nhất; còn mục cũ hơn)", EN: " (last %d {entry|entries}; older ones exist)"}
	msgHistoryPageMore = bot.T{
		VI: " (mục %d–%d, đếm từ mục mới nhất; còn mục cũ hơn)",
		EN: " (entries %d–%d, counting from the newest; older ones exist)",
	}
	msgHistoryOlder = bot.T{VI: "Các mục cũ hơn: %s", EN: "Older entries: %s"}
	msgHistoryCut   = bot.T{
		VI: "Giá trị dài hơn 1.000 ký tự được rút gọn (…); bản đầy đủ ở trang Lịch sử của /export.",
		EN: "Values longer than 1,000 characters are cut short (…); /export's history sheet has them whole.",
	}
	msgAsAdmin = bot.T{VI: " (quản trị viên)", EN: " (administrator)"}
)

// pageWord names a page of /history, in Vietnamese or English.
var pageWord = bot.T{VI: "trang", EN: "page"}

// historyQuery is what /history asks for: the page of n entries counted
// from the newest (page 1 holds the n newest), of the whole history or of
// the entries about a unit.
type historyQuery struct {
	n, page int
	// countGiven records that the asker gave n, which the command for the
	// next page repeats.
	countGiven bool
	// unit is the unit asked about, and no its number in /units (0 for a
	// unit removed since); nil for the whole history.
	unit *thidua.Unit
	no   int
}

// parseHistory reads /history's arguments: "[unit] [n] [trang p]". A unit
// is named by "#" and its number in /units, or by its name as elsewhere
// (in full, or a part that matches one unit only, diacritics optional); a
// number on its own is the number of entries, as it always was, and so is
// a number after a unit's name, unless the name needs it: a unit whose
// full name ends in a number is that unit («Chi đoàn 2»), as is a part of
// a name that matches that unit only with the number (see numberInName).
// The page comes last, "trang 2" (or "page 2", diacritics and case
// optional).
func parseHistory(q *request, b *thidua.Block) (historyQuery, error) {
	hq := historyQuery{n: historyDefault, page: 1}
	words := strings.Fields(q.args)
	if k := len(words); k > 0 && isPageWord(words[k-1]) {
		return hq, q.usage(msgHistoryNoPage, bot.Escape(words[k-1]))
	}
	if k := len(words); k > 1 && isPageWord(words[k-2]) {
		p, err := strconv.Atoi(words[k-1])
		if err != nil || p < 1 {
			return hq, q.usage(msgHistoryNoPage, bot.Escape(words[k-2]))
		}
		hq.page, words = p, words[:k-2]
	}
	if k := len(words); k > 0 && !numberInName(b, words) {
		if v, err := strconv.Atoi(words[k-1]); err == nil {
			if v < 1 || v > historyMax {
				return hq, q.usage(msgHistoryBadCount)
			}
			hq.n, hq.countGiven, words = v, true, words[:k-1]
		}
	}
	if len(words) == 0 {
		return hq, nil
	}
	ref := strings.Join(words, " ")
	if no, ok := strings.CutPrefix(ref, "#"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(no))
		if err != nil || n < 1 || n > len(b.Units) {
			return hq, q.usage(msgUnitNumberBad, len(b.Units))
		}
		hq.unit, hq.no = &b.Units[n-1], n
		return hq, nil
	}
	if _, err := strconv.Atoi(words[0]); err == nil {
		w := bot.Escape(words[0])
		return hq, q.usage(msgHistoryBareUnit, w, w, w, w)
	}
	u, err := b.FindUnit(ref)
	var fe *thidua.FormerUnitError
	switch {
	case errors.As(err, &fe) && fe.Removed != nil:
		// A unit removed since: its entries, under the name it had.
		hq.unit = &thidua.Unit{ID: fe.Removed.ID, Name: fe.Removed.Name}
		return hq, nil
	case fe != nil:
		return hq, err
	case err != nil:
		return hq, q.usage(msgHistoryNoUnit, bot.Escape(shorten(ref, 60)))
	}
	hq.unit, hq.no = u, slices.IndexFunc(b.Units, func(o thidua.Unit) bool { return o.ID == u.ID })+1
	return hq, nil
}

// isPageWord reports whether w is the word that introduces a page number.
func isPageWord(w string) bool {
	f := thidua.Fold(w)
	return f == pageWord.VI || f == pageWord.EN
}

// numberInName reports whether the words, the last of which may be a
// number, name a unit with it: its full name, diacritics optional, that of
// a unit of the block or of one removed from it, or a part of one unit's
// name where the words before the number name none ("đoàn 12" for «Chi
// đoàn 12» beside «Chi đoàn 2»).
func numberInName(b *thidua.Block, words []string) bool {
	whole := thidua.Fold(strings.Join(words, " "))
	for _, u := range b.Units {
		if thidua.Fold(u.Name) == whole {
			return true
		}
	}
	for _, u := range b.Removed {
		if thidua.Fold(u.Name) == whole {
			return true
		}
	}
	if len(words) < 2 || strings.HasPrefix(words[0], "#") {
		return false
	}
	_, with := b.FindUnit(strings.Join(words, " "))
	_, without := b.FindUnit(strings.Join(words[:len(words)-1], " "))
	return with == nil && without != nil
}

// command is the /history command that asks for the page p of the same
// entries, in the reader's language.
func (hq historyQuery) command(l bot.Lang, p int) string {
	parts := []string{"/history"}
	switch {
	case hq.no > 0:
		parts = append(parts, "#"+strconv.Itoa(hq.no))
	case hq.unit != nil:
		parts = append(parts, bot.Escape(hq.unit.Name))
	}
	if hq.countGiven {
		parts = append(parts, strconv.Itoa(hq.n))
	}
	return strings.Join(append(parts, pageWord.In(l), strconv.Itoa(p)), " ")
}

func (r *Router) history(q *request) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	hq, err := parseHistory(q, b)
	if err != nil {
		return err
	}
	// A page beyond any history's length is past its end, whatever its
	// number: skipping more cannot overflow.
	skip := (min(hq.page, 1<<30) - 1) * hq.n
	var (
		events []thidua.Event
		total  int  // how many entries there are, or -1 when not known
		more   bool // whether older entries than those shown exist
	)
	removed := map[string]string{} // the names of units removed, by id
	if hq.unit == nil {
		events, total, err = r.cfg.Store.HistoryPage(q.ctx, b.ID, skip, hq.n)
		if err != nil {
			return wrapStore(err)
		}
		more = skip+len(events) < total
		if err := r.removedUnits(q.ctx, b, events, removed); err != nil {
			return err
		}
	} else {
		events, total, more, err = r.unitHistory(q.ctx, b, hq.unit.ID, skip+hq.n, removed)
		if err != nil {
			return err
		}
		events = events[min(skip, len(events)):]
		slices.Reverse(events) // oldest first, as a page of the whole history
	}
	if len(events) == 0 {
		if hq.page == 1 || total == 0 {
			return q.reply(msgHistoryEmpty.In(q.lang))
		}
		of := msgHistoryOfBlock.In(q.lang)
		if hq.unit != nil {
			of = msgHistoryOf.F(q.lang, bot.Escape(hq.unit.Name))
		}
		return q.usage(msgHistoryPastEnd, hq.page, of, total, hq.n, (total+hq.n-1)/hq.n)
	}
	unitName := func(id string) string {
		if n := b.UnitName(id); n != "" {
			return n
		}
		return removed[id]
	}
	// Each entry is an item (see replyItems), so that a page too long for
	// a message is split between entries; the notes after the entries go
	// with the last, never alone in a message of their own.
	items, cut := []string{historyHead(q.lang, hq, skip, len(events), total, more)}, false
	for _, e := range events {
		line, shortened := r.eventLine(q, unitName, e)
		items, cut = append(items, line), cut || shortened
	}
	if cut {
		items[len(items)-1] += "\n" + msgHistoryCut.In(q.lang)
	}
	if more {
		items[len(items)-1] += "\n" + msgHistoryOlder.F(q.lang, hq.command(q.lang, hq.page+1))
	}
	return q.replyItems(items)
}

// historyHead is the header of a page of /history showing shown entries
// after the skip newest, of total (-1 when not known), more telling
// whether older ones exist.
func historyHead(l bot.Lang, hq historyQuery, skip, shown, total int, more bool) string {
	head := msgHistoryTitle.In(l)
	if hq.unit != nil {
		head = msgHistoryTitleOf.F(l, bot.Escape(hq.unit.Name))
	}
	switch {
	case skip == 0 && !more:
		return head + msgHistoryAll.F(l, shown)
	case total < 0 && skip == 0:
		return head + msgHistoryLastMore.F(l, shown)
	case total < 0:
		return head + msgHistoryPageMore.F(l, skip+1, skip+shown)
	case skip == 0:
		return head + msgHistoryLast.F(l, shown, total)
	}
	return head + msgHistoryPage.F(l, skip+1, skip+shown, total)
}

// unitHistory walks the block's history from its newest entry back and
// returns, newest first, up to want of the entries about the unit (see
// aboutUnit), how many there are in all (-1 when the walk stopped before
// the oldest entry), whether there are more than those returned, and, in
// removed, the names of the units removed since the oldest entry read.
func (r *Router) unitHistory(ctx context.Context, b *thidua.Block, unitID string, want int, removed map[string]string) (events []thidua.Event, total int, more bool, err error) {
	about := aboutUnit(b, unitID)
	_, whole, err := r.walkHistory(ctx, b.ID, func(e thidua.Event) bool {
		noteRemoval(e, removed)
		if !about(e) {
			return true
		}
		if len(events) == want {
			more = true
			return false
		}
		events = append(events, e)
		return true
	})
	if err != nil {
		return nil, 0, false, err
	}
	total = -1
	if whole {
		total = len(events)
	}
	return events, total, more, nil
}

// aboutUnit returns the test of the entries about a unit, for a walk
// through the history from its newest entry back: those whose subject is
// the unit (its data changed by its representatives, by an administrator
// for it, by the leader's; its votes, its signature, its scores), and the
// actions of its representatives, made while they represented it (an
// entry marked as an administrator's excepted, made for another unit), so
// that the leader unit's are its management of the block. Who represented
// it when is told by the block's representatives now and, going back, by
// the entries that made them so (join.approve) and ended it (rep.leave,
// rep.remove).
func aboutUnit(b *thidua.Block, unitID string) func(thidua.Event) bool {
	reps := map[int64]bool{}
	for _, rp := range b.RepsOf(unitID) {
		reps[rp.UserID] = true
	}
	return func(e thidua.Event) bool {
		about := e.Subject == unitID || reps[e.ActorID] && !e.AsAdmin
		if e.Subject == unitID && e.PersonID != 0 {
			switch e.Action {
			case "rep.leave", "rep.remove":
				reps[e.PersonID] = true
			case "join.approve":
				delete(reps, e.PersonID)
			}
		}
		return about
	}
}

// noteRemoval keeps the name of the unit a history entry removed.
func noteRemoval(e thidua.Event, removed map[string]string) {
	if e.Action == "unit.remove" {
		removed[e.Subject] = e.Before
	}
}

// removedUnits finds, in removed, the names of the units removed since
// that the entries are about: each removal is newer than the entries about
// the unit, in the entries themselves or newer still, read then from the
// newest entry back until every name is found.
func (r *Router) removedUnits(ctx context.Context, b *thidua.Block, events []thidua.Event, removed map[string]string) error {
	for _, e := range events {
		noteRemoval(e, removed)
	}
	missing := 0
	for _, e := range events {
		if _, known := removed[e.Subject]; !known && thidua.IsUnitID(e.Subject) && b.Unit(e.Subject) == nil {
			missing++
			removed[e.Subject] = ""
		}
	}
	if missing == 0 {
		return nil
	}
	_, _, err := r.walkHistory(ctx, b.ID, func(e thidua.Event) bool {
		if name, wanted := removed[e.Subject]; wanted && name == "" && e.Action == "unit.remove" {
			removed[e.Subject] = e.Before
			missing--
		}
		return missing > 0
	})
	return err
}

// walkHistory reads the block's history from its newest entry back, a
// chunk at a time, and gives each entry to fn until fn returns false. It
// returns how many entries the history held when the walk began, and
// whether the walk reached its oldest entry. Entries appended meanwhile are
// not given: the walk keeps its place counted from the oldest entry.
func (r *Router) walkHistory(ctx context.Context, id string, fn func(thidua.Event) bool) (total int, whole bool, err error) {
	end, known := -1, 0 // the entries still to give are the end oldest; the history's length last read
	for {
		skip, limit := 0, historyChunk
		if end >= 0 {
			skip, limit = known-end, min(historyChunk, end)
		}
		events, n, err := r.cfg.Store.HistoryPage(ctx, id, skip, limit)
		if err != nil {
			return 0, false, wrapStore(err)
		}
		if end < 0 {
			end, total = n, n
		} else if n != known {
			known = n // entries appended: read this chunk again from its place
			continue
		}
		known = n
		for i := len(events) - 1; i >= 0; i-- {
			if !fn(events[i]) {
				return total, false, nil
			}
		}
		end -= len(events)
		if end <= 0 || len(events) == 0 {
			return total, true, nil
		}
	}
}

// historyValueMax bounds, in characters, a value before or after a change
// as a line of /history shows it: a report of fifty pledges with their
// notes runs to thousands, and an entry is to stay on a line within one
// message, which Telegram caps at 4,096. The export's history sheet keeps
// the values whole. msgHistoryCut gives the figure.
const historyValueMax = 1000

// eventLine renders one history entry on one line, each value cut to
// historyValueMax, and reports whether it cut one; unitName names the unit
// an entry is about.
func (r *Router) eventLine(q *request, unitName func(id string) string, e thidua.Event) (string, bool) {
	var sb strings.Builder
	sb.WriteString("• " + e.At.In(r.cfg.Location).Format("02/01/2006 15:04") + " — <b>" + bot.Escape(e.ActorName) + "</b>")
	if e.MarkedAdmin() {
		sb.WriteString(msgAsAdmin.In(q.lang))
	}
	sb.WriteString(": " + bot.Escape(r.actionName(q.lang, e.Action)))
	if unit := unitName(e.Subject); unit != "" {
		sb.WriteString(" [" + bot.Escape(unit) + "]")
	}
	before, after := eventValue(q.lang, e, e.Before), eventValue(q.lang, e, e.After)
	cut := textLen(before) > historyValueMax || textLen(after) > historyValueMax
	before, after = shorten(before, historyValueMax), shorten(after, historyValueMax)
	switch {
	case before != "" && after != "":
		sb.WriteString(": «" + bot.Escape(before) + "» → «" + bot.Escape(after) + "»")
	case after != "":
		sb.WriteString(": «" + bot.Escape(after) + "»")
	case before != "":
		sb.WriteString(": «" + bot.Escape(before) + "»")
	}
	return sb.String(), cut
}

// actionName names a history entry's action in l, as the feature that
// records it describes it (the action's code when none does).
func (r *Router) actionName(l bot.Lang, action string) string {
	if t, ok := r.actions[action]; ok {
		return t.In(l)
	}
	return action
}
