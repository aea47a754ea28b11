package handlers

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"thiduabot/bot"
	"thiduabot/thidua"
)

// This file holds the nominations of outstanding individuals (cá nhân
// điển hình tiên tiến), honoured at the year-end conference beside the
// award proposals (award.go): a unit's representatives nominate people of
// their unit, one per line, managers any unit's, and anyone sees the list
// with the share of people holding no leadership or management post.

func (r *Router) registerExemplars() {
	r.add(&command{
		name: "exemplars", aliases: []string{"dienhinh"}, where: inGroup, who: roleAnyone,
		usage: bot.T{
			VI: "[năm]; hoặc [#số] rồi mỗi dòng: <họ tên> | <chức vụ> | [thành tích] | [lãnh đạo hoặc không lãnh đạo]; hoặc xoá <số>",
			EN: "[year]; or [#n] then one line each: <full name> | <position> | [achievement] | [leader or not leader]; or remove <n>",
		},
		example: bot.T{
			VI: "/exemplars\nNguyễn Thị Hoa | Chuyên viên Ban Phong trào | Hoàn thành xuất sắc công tác vận động quỹ\nTrần Văn Nam | Phó Chủ tịch Hội",
			EN: "/exemplars\nNguyễn Thị Hoa | Chuyên viên Ban Phong trào | Hoàn thành xuất sắc công tác vận động quỹ\nTrần Văn Nam | Phó Chủ tịch Hội",
		},
		desc: bot.T{
			VI: "Cá nhân điển hình tiên tiến: đầu mối đề nghị người của đơn vị mình (Khối trưởng cho mọi đơn vị); xem danh sách và tỷ lệ người không giữ chức vụ lãnh đạo, quản lý",
			EN: "Outstanding individuals: representatives nominate their unit's people (managers any unit's); see the list and the share of people holding no leadership or management post",
		},
		run: r.exemplars,
	})
	r.describeActions(map[string]bot.T{
		"exemplar.add":    {VI: "đề nghị cá nhân điển hình tiên tiến", EN: "nominated an outstanding individual"},
		"exemplar.update": {VI: "sửa cá nhân điển hình tiên tiến", EN: "changed an outstanding individual"},
		"exemplar.remove": {VI: "bỏ cá nhân điển hình tiên tiến", EN: "removed an outstanding individual"},
	})
	r.describeErrors(exemplarErrors...)
}

var (
	msgExemplarsDone     = bot.T{VI: "✅ Đã ghi %d người của <b>%s</b> (bởi %s):", EN: "✅ Recorded %d {person|people} of <b>%s</b> (by %s):"}
	msgExemplarLine      = bot.T{VI: "%s. %s<b>%s</b> — %s", EN: "%s. %s<b>%s</b> — %s"}
	msgExemplarHow       = bot.T{VI: "    → %s (%s) · %s", EN: "    → %s (%s) · %s"}
	msgExemplarLeader    = bot.T{VI: "giữ chức vụ lãnh đạo, quản lý", EN: "holds a leadership or management post"}
	msgExemplarNonLeader = bot.T{VI: "không giữ chức vụ lãnh đạo, quản lý", EN: "holds no leadership or management post"}
	// The leadership marks as typed at the end of a line.
	msgMarkLeader        = bot.T{VI: "lãnh đạo", EN: "leader"}
	msgMarkNonLeader     = bot.T{VI: "không lãnh đạo", EN: "not leader"}
	msgExemplarByPost    = bot.T{VI: "theo chức vụ", EN: "from the position"}
	msgExemplarUncertain = bot.T{VI: "theo chức vụ, chưa chắc", EN: "from the position, uncertain"}
	msgExemplarMarked    = bot.T{VI: "đã ghi rõ", EN: "as marked"}
	msgExemplarNew       = bot.T{VI: "mới", EN: "new"}
	msgExemplarUpdated   = bot.T{VI: "cập nhật", EN: "updated"}
	msgExemplarSame      = bot.T{VI: "không đổi", EN: "unchanged"}
	msgExemplarMarkHint  = bot.T{
		VI: "Xếp loại chưa đúng? Gửi lại dòng của người đó, thêm ở cuối <code>| lãnh đạo</code> hoặc <code>| không lãnh đạo</code>.",
		EN: "Classified wrongly? Send the person's line again ending with <code>| leader</code> or <code>| not leader</code>.",
	}
	// Grass-roots posts, whose reading is uncertain (see
	// thidua.IsGrassRootsPost): the lines that would count them otherwise,
	// with the command.
	msgExemplarUncertainHint = bot.T{
		VI: "⚠️ Chưa chắc: chức vụ ở cơ sở (chi đoàn, chi hội, tổ, thôn, bản…) thường không được tính là chức vụ lãnh đạo, quản lý ở cơ quan, đơn vị, nhưng có khối tính khác. Nếu khối tính là lãnh đạo, quản lý, gửi lại (bỏ bớt người không cần sửa):\n<code>%s</code>",
		EN: "⚠️ Uncertain: a grass-roots post (of a youth union cell, an association's branch, a team, a village…) usually does not count as a leadership or management post at the unit, though some blocks count it. If the block counts it as one, send again (leaving out those to keep):\n<code>%s</code>",
	}
	msgExemplarBlock    = bot.T{VI: "Cả khối: %s. Danh sách: <code>/exemplars</code>.", EN: "The block: %s. The list: <code>/exemplars</code>."}
	msgExemplarBlockNow = bot.T{VI: "Cả khối: %s.", EN: "The block: %s."}
	msgExemplarAimMet   = bot.T{
		VI: "%d/%d người không giữ chức vụ lãnh đạo, quản lý (%d%% — đạt mục tiêu %d%%)",
		EN: "%d/%d not holding a leadership or management post (%d%% — the %d%% aim is met)",
	}
	msgExemplarAimShort = bot.T{
		VI: "%d/%d người không giữ chức vụ lãnh đạo, quản lý (%d%% — chưa đạt mục tiêu %d%%: cần thêm %d người không giữ chức vụ lãnh đạo, quản lý)",
		EN: "%d/%d not holding a leadership or management post (%d%% — short of the %d%% aim: %d more {person|people} without one would reach it)",
	}
	msgExemplarsHead = bot.T{
		VI: "🌟 <b>CÁ NHÂN ĐIỂN HÌNH TIÊN TIẾN NĂM %d</b>\n<b>%s</b>\n%d người được đề nghị; %s.",
		EN: "🌟 <b>OUTSTANDING INDIVIDUALS %d</b>\n<b>%s</b>\n%d {person|people} nominated; %s.",
	}
	msgExemplarsUnit      = bot.T{VI: "<b>%d. %s</b> — %d người", EN: "<b>%d. %s</b> — %d {person|people}"}
	msgExemplarsMissing   = bot.T{VI: "Chưa đề nghị: %s.", EN: "Not nominated yet: %s."}
	msgExemplarsLegend    = bot.T{VI: "★ không giữ chức vụ lãnh đạo, quản lý.", EN: "★ holds no leadership or management post."}
	msgExemplarsUnsure    = bot.T{VI: "⚠️ chức vụ ở cơ sở: xếp theo chức vụ, chưa chắc.", EN: "⚠️ a grass-roots post: read from the position, uncertain."}
	msgExemplarsUnsureHow = bot.T{
		VI: " Nếu khối tính khác, gửi lại dòng của người đó (cả thành tích), thêm ở cuối <code>| lãnh đạo</code> hoặc <code>| không lãnh đạo</code>.",
		EN: " If the block counts it otherwise, send the person's line again (with the achievement) ending with <code>| leader</code> or <code>| not leader</code>.",
	}
	msgExemplarsNone = bot.T{VI: "Chưa có cá nhân điển hình tiên tiến nào được đề nghị năm %d.", EN: "Nobody is nominated as an outstanding individual for %d yet."}
	msgExemplarsHint = bot.T{
		VI: "Đầu mối đề nghị người của đơn vị mình: <code>/exemplars</code> rồi mỗi dòng <code>&lt;họ tên&gt; | &lt;chức vụ&gt; | &lt;thành tích&gt;</code> (thành tích có thể bỏ); Khối trưởng ghi cho đơn vị nào cũng được, bằng <code>/exemplars #số</code>. Gửi lại cùng họ tên để sửa; bỏ một người: <code>/exemplars xoá &lt;số&gt;</code>, số như trong danh sách (ví dụ <code>xoá 3.2</code>). Người giữ chức vụ lãnh đạo, quản lý được nhận ra theo chức vụ (Chủ tịch, Bí thư, Trưởng ban, Giám đốc…); chức vụ ở cơ sở (Bí thư Chi đoàn, Chi hội trưởng, Tổ trưởng, Trưởng thôn…) được xếp là không giữ, chưa chắc (⚠️); ghi rõ bằng <code>| lãnh đạo</code> hoặc <code>| không lãnh đạo</code> ở cuối dòng. Mục tiêu: ít nhất %d%% người không giữ chức vụ lãnh đạo, quản lý.",
		EN: "Representatives nominate their unit's people: <code>/exemplars</code> then one line each <code>&lt;full name&gt; | &lt;position&gt; | &lt;achievement&gt;</code> (the achievement may be left out); managers nominate for any unit with <code>/exemplars #n</code>. Send the same name again to change a person; to remove one: <code>/exemplars remove &lt;n&gt;</code>, the number in the list (e.g. <code>remove 3.2</code>). Who holds a leadership or management post is read from the position (chair, secretary, head of a board or office, director…); a grass-roots post (secretary of a youth union cell, head of an association's branch, a team or a village…) reads as none, uncertain (⚠️); mark it with <code>| leader</code> or <code>| not leader</code> at the end of the line. The aim: at least %d%% of people holding no such post.",
	}
	msgExemplarRemoved = bot.T{
		VI: "🗑 Đã bỏ <b>%s</b> (%s) khỏi danh sách cá nhân điển hình tiên tiến của <b>%s</b> (bởi %s).",
		EN: "🗑 Removed <b>%s</b> (%s) from the outstanding individuals of <b>%s</b> (by %s).",
	}
	msgExemplarRemoveForm = bot.T{
		VI: "Bỏ một người: <code>/exemplars xoá &lt;số&gt;</code>, số như trong danh sách <code>/exemplars</code>: <code>xoá 3.2</code> là người thứ 2 của đơn vị số 3. Đầu mối bỏ người của đơn vị mình bằng số của người đó (<code>xoá 2</code>), quản trị viên nhóm và đầu mối đơn vị Khối trưởng bỏ được người của mọi đơn vị, bằng số trong danh sách (<code>xoá 3.2</code>) hoặc sau #số của đơn vị (<code>/exemplars #3 xoá 2</code>).",
		EN: "To remove a person: <code>/exemplars remove &lt;n&gt;</code>, the number in the list <code>/exemplars</code>: <code>remove 3.2</code> is the 2nd person of unit 3. Representatives remove their unit's people by the person's number (<code>remove 2</code>), group administrators and the leader unit's representatives remove anyone's, by the number in the list (<code>remove 3.2</code>) or after the unit's #n (<code>/exemplars #3 remove 2</code>).",
	}
	msgExemplarsMoved  = bot.T{VI: "Số thứ tự mới của những người xếp sau: %s.", EN: "Those after moved up a number: %s."}
	msgExemplarNoSuch  = bot.T{VI: "<b>%s</b> không có người số %d: đơn vị đề nghị %d người. Xem số trong <code>/exemplars</code>.", EN: "<b>%s</b> has no person %d: it nominates %d {person|people}. See the numbers in <code>/exemplars</code>."}
	msgExemplarUnitBad = bot.T{VI: "Không có đơn vị số «%s»: số trước dấu chấm là số thứ tự của đơn vị trong /units (từ 1 đến %d).", EN: "No unit «%s»: the number before the dot is the unit's number in /units (1 to %d)."}
	msgExemplarNoLines = bot.T{VI: "Ghi mỗi người một dòng sau lệnh: họ tên | chức vụ | thành tích.", EN: "Write one person per line after the command: full name | position | achievement."}

	// The list of a year the block turned from (/exemplars 2026).
	msgExemplarsNoneClosed = bot.T{VI: "Khối không đề nghị cá nhân điển hình tiên tiến nào năm %d.", EN: "The block nominated no outstanding individual for %d."}
)

// exemplarErrors explains the domain errors of the nominations. A number
// no person of the unit has is explained naming the unit (see
// removeExemplar); the message here stands in for a caller that does not.
var exemplarErrors = []domainError{
	{thidua.ErrExemplarName, bot.T{
		VI: fmt.Sprintf("Họ tên phải bắt đầu bằng chữ cái, chỉ gồm chữ cái và dấu cách (dấu chấm, gạch nối của tên viết tắt), dài tối đa %d ký tự; ghi họ tên trước dấu | đầu tiên.", thidua.MaxExemplarNameLen),
		EN: fmt.Sprintf("The full name must start with a letter and hold only letters and spaces (and the dots and hyphens of initials), at most %d characters; write it before the first |.", thidua.MaxExemplarNameLen),
	}},
	{thidua.ErrExemplarPosition, bot.T{
		VI: fmt.Sprintf("Thiếu chức vụ: sau họ tên ghi dấu | rồi chức vụ (bắt buộc, có chữ, tối đa %d ký tự), ví dụ <code>Nguyễn Thị Hoa | Chuyên viên Ban Phong trào</code>. «lãnh đạo» hoặc «không lãnh đạo» ghi sau chức vụ, ở cuối dòng.", thidua.MaxPositionLen),
		EN: fmt.Sprintf("The position is missing: after the full name write a | and the position (required, with letters, at most %d characters), e.g. <code>Nguyễn Thị Hoa | Chuyên viên Ban Phong trào</code>. A <code>leader</code> or <code>not leader</code> mark goes after the position, at the end of the line.", thidua.MaxPositionLen),
	}},
	{thidua.ErrExemplarAchievement, bot.T{
		VI: fmt.Sprintf("Thành tích dài tối đa %d ký tự, không có ký tự điều khiển.", thidua.MaxAchievementLen),
		EN: fmt.Sprintf("The achievement is at most %d characters long, without control characters.", thidua.MaxAchievementLen),
	}},
	{thidua.ErrExemplarFields, bot.T{
		VI: "Dòng có quá nhiều phần. Mỗi dòng: <code>họ tên | chức vụ | thành tích | lãnh đạo</code> (hoặc <code>không lãnh đạo</code>); thành tích và phần cuối có thể bỏ, phần cuối chỉ ghi «lãnh đạo» hoặc «không lãnh đạo», một lần. Thành tích có dấu | thì thay bằng dấu phẩy.",
		EN: "The line has too many parts. Each line: <code>full name | position | achievement | leader</code> (or <code>not leader</code>); the achievement and the mark may be left out, and the mark, given once, is only <code>leader</code> or <code>not leader</code>. Write a | within an achievement as a comma.",
	}},
	{thidua.ErrExemplarTwice, bot.T{VI: "Một người được ghi hai lần trong cùng tin nhắn.", EN: "A person is named twice in one message."}},
	{thidua.ErrExemplarNone, bot.T{VI: "Bạn chưa ghi người nào.", EN: "No person was given."}},
	{thidua.ErrNotYourExemplar, bot.T{
		VI: "Xin lỗi, chỉ đầu mối của đơn vị mới đề nghị hoặc bỏ cá nhân của đơn vị đó; Khối trưởng và quản trị viên nhóm làm được cho mọi đơn vị (ghi đơn vị bằng #số).",
		EN: "Sorry, only a unit's representatives nominate or remove its people; managers may for any unit (naming it with #n).",
	}},
	{thidua.ErrExemplarNotFound, bot.T{VI: "Đơn vị không có người số này. Xem số trong <code>/exemplars</code>.", EN: "The unit has no person of this number. See the numbers in <code>/exemplars</code>."}},
	{thidua.ErrTooManyExemplars, bot.T{
		VI: fmt.Sprintf("Mỗi đơn vị đề nghị tối đa %d người.", thidua.MaxExemplars),
		EN: fmt.Sprintf("A unit nominates at most %d people.", thidua.MaxExemplars),
	}},
}

// removeWords are the words, folded, that open the removal of a person.
var removeWords = []string{"xoa", "remove", "delete"}

// exemplars shows the nominations (of a year the block turned from, given
// one), removes a person ("xoá <số>"), or records the people of the lines
// as nominated by the acting unit (see actingUnit).
func (r *Router) exemplars(q *request) error {
	cur, err := q.block()
	if err != nil {
		return err
	}
	if strings.Trim(q.args, "0123456789") == "" {
		b, err := r.namedYear(q, cur)
		if b == nil || err != nil {
			return err
		}
		return q.replyItems(exemplarList(q.lang, b, b != cur))
	}
	hash, rest := "", q.args
	if strings.HasPrefix(rest, "#") {
		hash, rest = cutWord(rest)
	}
	if word, ref := cutWord(rest); slices.Contains(removeWords, thidua.Fold(word)) {
		return r.removeExemplar(q, cur, hash, ref)
	}
	a, unitID, rest, err := r.actingUnit(q, cur)
	if err != nil {
		return err
	}
	lines := argLines(rest)
	if len(lines) == 0 {
		return q.usage(msgExemplarNoLines)
	}
	parsed, err := parseLines(q, lines, thidua.ParseExemplarLine)
	if err != nil {
		return err
	}
	var done []thidua.Nomination
	b, err := q.updateParts(thidua.PartRegistration, func(b *thidua.Block) error {
		done, err = b.Nominate(a, unitID, parsed, r.now())
		return err
	})
	if err != nil {
		return lineFailure(q, lines, err)
	}
	return q.reply(nominated(q.lang, b, unitID, a, done))
}

// nominated is the answer to a nomination: each person recorded, with
// whether they hold a leadership or management post and how that was
// decided, then how to correct it, and the block's share.
func nominated(l bot.Lang, b *thidua.Block, unitID string, a thidua.Actor, done []thidua.Nomination) string {
	lines := []string{msgExemplarsDone.F(l, len(done), bot.Escape(b.UnitName(unitID)), bot.Escape(a.Name))}
	unitNo, hint := unitNumber(b, unitID), false
	var unsure []string // the lines that would count the uncertain otherwise
	for _, n := range done {
		leader, how, state := msgExemplarNonLeader, msgExemplarByPost, msgExemplarNew
		if n.Leader {
			leader = msgExemplarLeader
		}
		switch {
		case n.Marked:
			how = msgExemplarMarked
		case n.Uncertain():
			how = msgExemplarUncertain
			unsure = append(unsure, bot.Escape(exemplarLineText(l, n.Exemplar, !n.Leader)))
		}
		hint = hint || !n.Marked
		switch {
		case n.Unchanged:
			state = msgExemplarSame
		case n.Updated:
			state = msgExemplarUpdated
		}
		lines = append(lines, exemplarLine(l, unitNo, n.No, n.Exemplar),
			msgExemplarHow.F(l, leader.In(l), how.In(l), state.In(l)))
		if n.Achievement != "" {
			lines = append(lines, "    <i>"+bot.Escape(n.Achievement)+"</i>")
		}
	}
	lines = append(lines, "")
	switch {
	case len(unsure) > 0:
		command := "/exemplars"
		if rp := b.RepOf(a.UserID); rp == nil || rp.UnitID != unitID {
			command += " #" + strconv.Itoa(unitNo)
		}
		lines = append(lines, msgExemplarUncertainHint.F(l, strings.Join(append([]string{command}, unsure...), "\n")))
	case hint:
		lines = append(lines, msgExemplarMarkHint.In(l))
	}
	return strings.Join(append(lines, msgExemplarBlock.F(l, exemplarTally(l, b.ExemplarTally()))), "\n")
}

// exemplarLine shows a person as the list numbers them, "3.2": the number
// of their unit in /units, then theirs among its nominees; ★ marks those
// holding no leadership or management post, ⚠️ ends the line of those
// whose reading is uncertain (see thidua.Exemplar.Uncertain).
func exemplarLine(l bot.Lang, unitNo, no int, e thidua.Exemplar) string {
	star := "★ "
	if e.Leader {
		star = ""
	}
	s := msgExemplarLine.F(l, fmt.Sprintf("%d.%d", unitNo, no), star, bot.Escape(e.Name), bot.Escape(e.Position))
	if e.Uncertain() {
		s += " ⚠️"
	}
	return s
}

// exemplarLineText writes a person's line as it is typed to nominate them,
// their achievement kept, marked as holding a leadership or management
// post or not: «Bùi Thị Hà | Bí thư Chi đoàn | | lãnh đạo».
func exemplarLineText(l bot.Lang, e thidua.Exemplar, leader bool) string {
	mark := msgMarkNonLeader.In(l)
	if leader {
		mark = msgMarkLeader.In(l)
	}
	achievement := " "
	if e.Achievement != "" {
		achievement = " " + e.Achievement + " "
	}
	return e.Name + " | " + e.Position + " |" + achievement + "| " + mark
}

// exemplarTally says how many of those nominated hold no leadership or
// management post, their share, and whether it reaches the aim or how many
// more it would take.
func exemplarTally(l bot.Lang, t thidua.ExemplarTally) string {
	if t.AimReached() {
		return msgExemplarAimMet.F(l, t.NonLeaders, t.Total, t.Percent(), thidua.NonLeaderAim)
	}
	return msgExemplarAimShort.F(l, t.NonLeaders, t.Total, t.Percent(), thidua.NonLeaderAim, t.Short())
}

// maxAchievementShown bounds, in characters, an achievement in the list,
// which shows each person on a line or two; it is cut between words.
const maxAchievementShown = 100

// exemplarList shows the nominations unit by unit, in the block's order,
// numbered, under the count and the share against the aim; then, unless
// closed (a year the block turned from), the units that nominated nobody
// and how to nominate. It returns the list's items (see
// request.replyItems): a person with their achievement, a unit's heading
// with its first person, so that a long list is split between people.
func exemplarList(l bot.Lang, b *thidua.Block, closed bool) []string {
	t := b.ExemplarTally()
	switch {
	case t.Total == 0 && closed:
		return []string{msgExemplarsNoneClosed.F(l, b.Year)}
	case t.Total == 0:
		return []string{msgExemplarsNone.F(l, b.Year) + "\n\n" + msgExemplarsHint.F(l, thidua.NonLeaderAim)}
	}
	items := []string{msgExemplarsHead.F(l, b.Year, bot.Escape(b.Name), t.Total, exemplarTally(l, t))}
	var missing []string
	for i, u := range b.Units {
		es := b.ExemplarsOf(u.ID)
		if len(es) == 0 {
			missing = append(missing, bot.Escape(u.Name))
			continue
		}
		heading := "\n" + msgExemplarsUnit.F(l, i+1, bot.Escape(u.Name), len(es)) + "\n"
		for j, e := range es {
			item := heading + exemplarLine(l, i+1, j+1, e)
			if e.Achievement != "" {
				item += "\n    <i>" + bot.Escape(shortenWords(e.Achievement, maxAchievementShown)) + "</i>"
			}
			items, heading = append(items, item), ""
		}
	}
	tail := []string{""}
	if len(missing) > 0 && !closed {
		tail = append(tail, msgExemplarsMissing.F(l, strings.Join(missing, ", ")))
	}
	tail = append(tail, msgExemplarsLegend.In(l))
	if slices.ContainsFunc(b.Registration.Exemplars, thidua.Exemplar.Uncertain) {
		unsure := msgExemplarsUnsure.In(l)
		if !closed {
			unsure += msgExemplarsUnsureHow.In(l)
		}
		tail = append(tail, unsure)
	}
	if !closed {
		tail = append(tail, "", msgExemplarsHint.F(l, thidua.NonLeaderAim))
	}
	return append(items, strings.Join(tail, "\n"))
}

// removeExemplar removes the person ref names, as the list numbers them:
// "3.2", the unit's number in /units and the person's among its nominees;
// or "2", the person's in the acting unit (the asker's own, or the one hash
// names, "#3"). The answer names the unit's people after them, who move up
// a number, so that nobody removes one of them by the number a list shown
// before gave them.
func (r *Router) removeExemplar(q *request, b *thidua.Block, hash, ref string) error {
	unitRef, personRef, dotted := strings.Cut(ref, ".")
	if !dotted {
		personRef = unitRef
	}
	no, err := strconv.Atoi(personRef)
	if err != nil || no < 0 || dotted && hash != "" {
		return q.usage(msgExemplarRemoveForm)
	}
	var a thidua.Actor
	var unitID string
	if dotted {
		n, err := strconv.Atoi(unitRef)
		if err != nil || n < 1 || n > len(b.Units) {
			return q.usage(msgExemplarUnitBad, bot.Escape(shorten(unitRef, 20)), len(b.Units))
		}
		if a, err = q.actor(); err != nil {
			return err
		}
		unitID = b.Units[n-1].ID
	} else if a, unitID, _, err = r.actingUnit(q, b); err != nil {
		return err
	}
	var gone thidua.Exemplar
	nb, err := q.updateParts(thidua.PartRegistration, func(b *thidua.Block) error {
		gone, err = b.RemoveExemplar(a, unitID, no, r.now())
		return err
	})
	if errors.Is(err, thidua.ErrExemplarNotFound) {
		return q.usage(msgExemplarNoSuch, bot.Escape(b.UnitName(unitID)), no, len(b.ExemplarsOf(unitID)))
	}
	if err != nil {
		return err
	}
	done := msgExemplarRemoved.F(q.lang, bot.Escape(gone.Name), bot.Escape(gone.Position), bot.Escape(nb.UnitName(unitID)), bot.Escape(a.Name))
	if after := nb.ExemplarsOf(unitID)[no-1:]; len(after) > 0 {
		unitNo, moved := unitNumber(nb, unitID), make([]string, len(after))
		for i, e := range after {
			moved[i] = fmt.Sprintf("%d.%d %s", unitNo, no+i, bot.Escape(e.Name))
		}
		done += "\n" + msgExemplarsMoved.F(q.lang, strings.Join(moved, ", "))
	}
	if t := nb.ExemplarTally(); t.Total > 0 {
		done += "\n" + msgExemplarBlockNow.F(q.lang, exemplarTally(q.lang, t))
	}
	return q.reply(done)
}
