package handlers

import (
	"errors"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/thidua"
)

// This file holds the question /elect asks before a new election for an
// office a unit is already elected to (thidua.ErrAlreadyElected), and its
// buttons: «Bầu lại» opens the election asked for, «Huỷ» drops it.

// cbElectAgain prefixes the buttons of that question:
// "ea:<office>:<year>:<latest election>:<options>" opens the election (see
// electAgainData), "ea:<office>:<year>:<latest election>:x" cancels.
const cbElectAgain = "ea"

// maxCallbackData is the most bytes of data Telegram accepts in a button.
const maxCallbackData = 64

// officeCodes name the offices in the data of buttons.
var officeCodes = map[thidua.Role]string{thidua.RoleLeader: "l", thidua.RoleDeputy: "d"}

// placeDigits write a unit's place in the block's list of units, at most
// thidua.MaxUnits, in one byte of a button's data.
const placeDigits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

var (
	msgElectAgainAsk = bot.T{
		VI: "⚠️ <b>%[1]s</b> đã trúng cử %[2]s năm %[3]d (lúc %[4]s).\nBầu lại %[2]s? Nếu cuộc bầu mới có đơn vị trúng cử, kết quả bầu mới sẽ thay thế kết quả này; nếu cuộc bầu mới không bầu được ai, <b>%[1]s</b> vẫn là %[2]s được bầu năm %[3]d.",
		EN: "⚠️ <b>%[1]s</b> was elected %[2]s for %[3]d (at %[4]s).\nElect the %[2]s again? If the new election elects a unit, its result replaces this one; if it elects no one, <b>%[1]s</b> stays the elected %[2]s for %[3]d.",
	}
	msgElectAgainBtn     = bot.T{VI: "🗳 Bầu lại", EN: "🗳 Elect again"}
	msgElectAgainDone    = bot.T{VI: "🗳 Đã mở cuộc bầu mới %s năm %d (bởi %s): phiếu bầu ở tin nhắn bên dưới.", EN: "🗳 A new election of the %s for %d is open (by %s): the ballot is below."}
	msgElectAgainUnits   = bot.T{VI: "Danh sách đơn vị đã thay đổi từ khi hỏi nên nút này không mở cuộc bầu nào. Gửi lại lệnh /elect.", EN: "The units changed since the question, so this button opens no election. Send /elect again."}
	msgElectAgainTooMany = bot.T{
		VI: "Danh sách ứng viên quá dài để hỏi xác nhận bầu lại bằng nút bấm. Nêu ít ứng viên hơn, hoặc bỏ tuỳ chọn «ứng viên» để mọi đơn vị (trừ các đơn vị bị loại trừ) cùng ứng cử.",
		EN: "The list of candidates is too long to confirm a new election with a button. Give fewer candidates, or leave the «candidates» option out for every unit (less the excluded ones) to stand.",
	}
)

// electAgainErrors explains the domain errors of a new election over an
// elected unit.
var electAgainErrors = []domainError{
	{thidua.ErrAlreadyElected, bot.T{
		VI: "Đã có đơn vị trúng cử chức danh này. Gửi lại lệnh /elect để xác nhận bầu lại.",
		EN: "A unit is already elected to this office. Send /elect again to confirm a new election.",
	}},
	{thidua.ErrElectionsChanged, bot.T{
		VI: "Từ khi hỏi, đã có cuộc bầu mới cho chức danh này nên nút này không mở thêm cuộc bầu nào. Xem kết quả: /result",
		EN: "A new election for this office was opened since the question, so this button opens no election. See the result: /result",
	}},
}

// Errors that end a press on the question inside its change, which writes
// nothing then.
var (
	errElectAgainYear  = errors.New("handlers: the block turned to a new year since the question")
	errElectAgainUnits = errors.New("handlers: the candidates' places name other units since the question")
)

// askElectAgain asks a manager to confirm the election spec, which block b
// refused because a unit is elected to the office: it names the unit, says
// when it was elected, and that a new result would replace it.
func (r *Router) askElectAgain(q *request, b *thidua.Block, spec thidua.ElectionSpec) error {
	key := electAgainKey(b, spec.Role)
	yes := key + ":" + electAgainData(b, spec)
	if len(yes) > maxCallbackData {
		return q.usage(msgElectAgainTooMany)
	}
	el := b.ElectedFor(spec.Role)
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(msgElectAgainBtn.In(q.lang), yes),
		tgbotapi.NewInlineKeyboardButtonData(msgCancelBtn.In(q.lang), key+":"+cbCancel),
	))
	_, err := q.send(msgElectAgainAsk.F(q.lang, bot.Escape(b.UnitName(el.UnitID)), roleName[spec.Role].In(q.lang), el.Year,
		thidua.FormatDateTime(el.At, r.cfg.Location)), &kb)
	return err
}

// electAgainKey starts the data of the question's buttons: the office, the
// block's year and the office's latest election, which a press checks are
// unchanged.
func electAgainKey(b *thidua.Block, role thidua.Role) string {
	return strings.Join([]string{cbElectAgain, officeCodes[role], strconv.Itoa(b.Year), latestElectionID(b, role)}, ":")
}

// latestElectionID is the id of the office's latest election, or "".
func latestElectionID(b *thidua.Block, role thidua.Role) string {
	if e := b.LatestElection(role); e != nil {
		return e.ID
	}
	return ""
}

// electAgainData writes the options of spec for the button that opens the
// election: "s" for a secret ballot and "r" for re-election, the closing
// time in seconds (base 36, empty for the default), and the candidates,
// if given, by their places in the list of units of block b with a mark of
// their ids (candidatesMark), so that the press opens the election for the
// same units or for none. The candidates are units of b (OpenElection
// checked).
func electAgainData(b *thidua.Block, spec thidua.ElectionSpec) string {
	var flags, closeAt, mark string
	if spec.Secret {
		flags += "s"
	}
	if spec.Reelection {
		flags += "r"
	}
	if !spec.CloseAt.IsZero() {
		closeAt = strconv.FormatInt(spec.CloseAt.Unix(), 36)
	}
	places := make([]byte, 0, len(spec.Candidates))
	for _, id := range spec.Candidates {
		for i, u := range b.Units {
			if u.ID == id {
				places = append(places, placeDigits[i])
			}
		}
	}
	if len(spec.Candidates) > 0 {
		mark = candidatesMark(spec.Candidates)
	}
	return strings.Join([]string{flags, closeAt, mark, string(places)}, ":")
}

// candidatesMark is a short mark of the candidates' ids, in order.
func candidatesMark(ids []string) string {
	h := fnv.New32a()
	for _, id := range ids {
		_, _ = h.Write([]byte(id + "\x00")) // a hash.Hash never fails to write
	}
	return strconv.FormatUint(uint64(h.Sum32()), 36)
}

// electAgain is what a button of the question carries.
type electAgain struct {
	role   thidua.Role
	year   int
	latest string // the office's latest election when asked
	cancel bool
	// spec is the election asked for, without its candidates, which are
	// read from places and mark on the block as it is when pressed.
	spec         thidua.ElectionSpec
	places, mark string
}

// parseElectAgain reads the data of a button of the question (see
// electAgainKey and electAgainData), and reports whether it is one.
func parseElectAgain(args []string, loc *time.Location) (electAgain, bool) {
	var x electAgain
	if (len(args) != 4 && len(args) != 7) || (len(args) == 4 && args[3] != cbCancel) {
		return x, false
	}
	for role, code := range officeCodes {
		if args[0] == code {
			x.role = role
		}
	}
	year, err := strconv.Atoi(args[1])
	if x.role == "" || err != nil || args[2] == "" {
		return x, false
	}
	x.year, x.latest, x.cancel = year, args[2], len(args) == 4
	if x.cancel {
		return x, true
	}
	flags, closeAt := args[3], args[4]
	x.spec = thidua.ElectionSpec{Role: x.role, Secret: strings.Contains(flags, "s"), Reelection: strings.Contains(flags, "r"), Confirmed: x.latest}
	if closeAt != "" {
		sec, err := strconv.ParseInt(closeAt, 36, 64)
		if err != nil {
			return x, false
		}
		x.spec.CloseAt = time.Unix(sec, 0).In(loc)
	}
	x.mark, x.places = args[5], args[6]
	return x, (x.mark == "") == (x.places == "")
}

// candidates returns the ids of the candidates asked for, read on block b as
// it is now: errElectAgainUnits when their places name other units than
// when asked.
func (x electAgain) candidates(b *thidua.Block) ([]string, error) {
	var ids []string
	for i := range len(x.places) {
		n := strings.IndexByte(placeDigits, x.places[i])
		if n < 0 || n >= len(b.Units) {
			return nil, errElectAgainUnits
		}
		ids = append(ids, b.Units[n].ID)
	}
	if len(ids) > 0 && candidatesMark(ids) != x.mark {
		return nil, errElectAgainUnits
	}
	return ids, nil
}

// electAgainPress answers a button of the question: «Bầu lại» opens the
// election asked for and posts its ballot, «Huỷ» drops the question; only
// managers press them. Either says so and changes nothing when the
// question was outlived: the block turned to a new year, or another
// election for the office was opened since.
func (r *Router) electAgainPress(q *request, args []string) error {
	x, ok := parseElectAgain(args, r.cfg.Location)
	if !ok {
		return q.answer(msgStaleButton.In(q.lang), true)
	}
	b, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	if x.cancel {
		switch {
		case b.Year != x.year:
			return q.answer(msgYearAlreadyTurned.F(q.lang, b.Year), true)
		case latestElectionID(b, x.role) != x.latest:
			return thidua.ErrElectionsChanged
		}
		return r.cancel(q, nil)
	}
	// Should this very press have opened the election before a crash kept
	// its ballot from the group, post the ballot now.
	q.replay = func() error {
		if err := r.replayElect(q, b.ID, x.role); err != nil {
			return err
		}
		return r.electedAgain(q, a, x)
	}
	var e thidua.Election
	year := b.Year
	b, err = q.update(func(b *thidua.Block) error {
		if year = b.Year; year != x.year {
			return errElectAgainYear
		}
		spec := x.spec
		var err error
		if spec.Candidates, err = x.candidates(b); err != nil {
			return err
		}
		e, err = b.OpenElection(a, spec, r.now())
		return err
	})
	switch {
	case errors.Is(err, errElectAgainYear):
		return q.answer(msgYearAlreadyTurned.F(q.lang, year), true)
	case errors.Is(err, errElectAgainUnits):
		return q.fail(msgElectAgainUnits.In(q.lang))
	case err != nil:
		return err
	}
	if err := q.answer("", false); err != nil {
		return err
	}
	if err := r.postBallot(q, b, e); err != nil {
		return err
	}
	return r.electedAgain(q, a, x)
}

// electedAgain edits the question into the note that a opened the election
// it asked for.
func (r *Router) electedAgain(q *request, a thidua.Actor, x electAgain) error {
	return q.edit(q.chat.ID, q.callback.Message.MessageID, msgElectAgainDone.F(q.lang, roleName[x.role].In(q.lang), x.year+1, bot.Escape(a.Name)), nil)
}
