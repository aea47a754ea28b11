package handlers

import (
	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/thidua"
)

func (r *Router) registerJoin() {
	r.add(&command{
		name: "join", aliases: []string{"thamgia"}, where: inGroup, who: roleAnyone,
		usage:   bot.T{VI: "[số thứ tự hoặc tên đơn vị]", EN: "[unit number or name]"},
		example: bot.T{VI: "/join Hội Nông dân tỉnh", EN: "/join Hội Nông dân tỉnh"},
		desc:    bot.T{VI: "Đăng ký làm đầu mối của đơn vị mình", EN: "Apply to represent your unit"},
		run:     r.join,
	})
	r.add(&command{
		name: "leave", aliases: []string{"roikhoi"}, where: inGroup, who: roleRep,
		desc: bot.T{VI: "Thôi làm đầu mối của đơn vị", EN: "Stop representing your unit"},
		run:  r.leave,
	})
	r.describeActions(map[string]bot.T{
		"join.request": {VI: "xin làm đầu mối", EN: "asked to represent"},
		"join.approve": {VI: "duyệt đầu mối", EN: "approved a representative"},
		"join.reject":  {VI: "từ chối đầu mối", EN: "rejected a representative"},
		"rep.leave":    {VI: "thôi làm đầu mối", EN: "stopped representing"},
		"rep.remove":   {VI: "gỡ đầu mối (đơn vị bị xoá)", EN: "removed a representative (unit removed)"},
	})
	r.onCallback(cbJoin, r.pickUnit)
	r.onCallback(cbDecide, r.decideJoin)
}

// Callback data prefixes of this file.
const (
	cbJoin   = "j"  // j:<unitID>: the presser asks to represent the unit
	cbDecide = "jd" // jd:<requestID>:y|n: a manager approves or rejects
)

var (
	msgJoinPick        = bot.T{VI: "Chọn đơn vị mà bạn làm đầu mối:", EN: "Choose the unit you represent:"}
	msgAnonymousPerson = bot.T{VI: "Bạn đang gửi tin với tư cách ẩn danh của nhóm, nên bot không biết bạn là ai. Hãy tắt chế độ ẩn danh rồi gửi lại /%s.", EN: "You are posting anonymously as the group, so the bot cannot tell who you are. Turn anonymity off and send /%s again."}
	msgJoinAsk         = bot.T{VI: "🙋 %s xin làm đầu mối của <b>%s</b>.\nQuản trị viên nhóm hoặc đầu mối đơn vị Khối trưởng bấm nút để duyệt.", EN: "🙋 %s asks to represent <b>%s</b>.\nA group administrator or a representative of the leader unit decides with the buttons."}
	msgJoinSent        = bot.T{VI: "Đã gửi yêu cầu làm đầu mối của %s. Vui lòng chờ duyệt.", EN: "Your request to represent %s was sent. Please wait for approval."}
	msgApproveBtn      = bot.T{VI: "✅ Duyệt", EN: "✅ Approve"}
	msgRejectBtn       = bot.T{VI: "❌ Từ chối", EN: "❌ Reject"}
	msgJoinReplaced    = bot.T{VI: "↪️ %s đã đổi yêu cầu: xin làm đầu mối của <b>%s</b> (%s) thay cho <b>%s</b>.", EN: "↪️ %s changed the request: to represent <b>%s</b> (%s) instead of <b>%s</b>."}
	msgJoinAgain       = bot.T{VI: "↪️ %s đã gửi lại yêu cầu làm đầu mối của <b>%s</b> (%s).", EN: "↪️ %s sent the request to represent <b>%s</b> again (%s)."}
	// Where msgJoinReplaced and msgJoinAgain say the new request is:
	// below, or in a group with topics, where it may be in another topic,
	// at a link.
	msgJoinBelow      = bot.T{VI: "tin bên dưới", EN: "below"}
	msgJoinAt         = bot.T{VI: "<a href=\"%s\">tin mới</a>", EN: "<a href=\"%s\">new message</a>"}
	msgJoinApproved   = bot.T{VI: "✅ %s là đầu mối của <b>%s</b> (duyệt bởi %s).", EN: "✅ %s now represents <b>%s</b> (approved by %s)."}
	msgJoinRejected   = bot.T{VI: "❌ Yêu cầu làm đầu mối <b>%s</b> của %s không được duyệt (bởi %s).", EN: "❌ %[2]s's request to represent <b>%[1]s</b> was rejected (by %[3]s)."}
	msgJoinApprovedDM = bot.T{VI: "✅ Bạn đã được duyệt là đầu mối của <b>%s</b> trong <b>%s</b>.", EN: "✅ You now represent <b>%s</b> in <b>%s</b>."}
	msgLeft           = bot.T{VI: "Bạn không còn là đầu mối của <b>%s</b>.", EN: "You no longer represent <b>%s</b>."}

	msgJoinBarred = bot.T{
		VI: "⚠️ %[1]s được duyệt sau khi mở bầu, không phải bởi quản trị viên nhóm, nên chưa bỏ phiếu được trong: %[2]s. Để %[1]s bỏ phiếu: %[1]s gửi <code>/leave</code>, rồi <code>/join %[3]s</code>, và một quản trị viên nhóm bấm duyệt.",
		EN: "⚠️ %[1]s was approved after the voting opened, and not by a group administrator, so cannot vote in: %[2]s. For %[1]s to vote: %[1]s sends <code>/leave</code>, then <code>/join %[3]s</code>, and a group administrator approves.",
	}
	msgJoinBarredDM = bot.T{
		VI: "⚠️ Bạn được duyệt sau khi mở bầu, không phải bởi quản trị viên nhóm, nên chưa bỏ phiếu được trong: %s. Để bỏ phiếu: gửi <code>/leave</code> trong nhóm, rồi <code>/join %s</code>, và nhờ một quản trị viên nhóm duyệt.",
		EN: "⚠️ You were approved after the voting opened, and not by a group administrator, so you cannot vote in: %s. To vote: send <code>/leave</code> in the group, then <code>/join %s</code>, and ask a group administrator to approve you.",
	}
)

// join starts a request to represent a unit: directly when the unit is
// named, otherwise with one button per unit, long names shortened as the
// keyboard's size calls for (see fitLabels).
func (r *Router) join(q *request) error {
	if err := q.needsPerson(); err != nil {
		return err
	}
	b, err := q.block()
	if err != nil {
		return err
	}
	if rp := b.RepOf(q.from.ID); rp != nil {
		return thidua.ErrAlreadyMember
	}
	if len(b.Units) == 0 {
		return q.reply(msgNoUnits.In(q.lang))
	}
	if q.args != "" {
		u, err := b.FindUnit(q.args)
		if err != nil {
			return err
		}
		return r.requestJoin(q, u.ID)
	}
	rows := make([][]tgbotapi.InlineKeyboardButton, 0, len(b.Units))
	for _, u := range b.Units {
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(u.Name, cbJoin+":"+u.ID)))
	}
	kb := fitLabels(rows)
	_, err = q.send(msgJoinPick.In(q.lang), &kb)
	return err
}

// pickUnit handles a press on a unit button of /join.
func (r *Router) pickUnit(q *request, args []string) error {
	if len(args) != 1 {
		return q.answer(msgStaleButton.In(q.lang), true)
	}
	return r.requestJoin(q, args[0])
}

// requestJoin files the asker's join request and posts the approval buttons.
func (r *Router) requestJoin(q *request, unitID string) error {
	a := q.asker()
	// Should this very update have filed the request before a crash, do
	// what the crash kept from the group: retire the message of the
	// request it replaced, and post its buttons unless its message was
	// recorded: nothing else decides a request, and a request whose
	// message was recorded made it to the group, where a second post's
	// buttons would outlive a change of the request.
	q.replay = func() error {
		if cur, err := r.cfg.Store.BlockByChat(q.ctx, q.chat.ID); err == nil {
			for _, req := range cur.Requests {
				if req.UserID != a.UserID {
					continue
				}
				if req.MessageID != 0 {
					r.retireReplacedJoin(q, cur, a, req, req.MessageID)
					break
				}
				posted, err := r.postJoinAsk(q, cur, a, req)
				r.retireReplacedJoin(q, cur, a, req, posted)
				return err
			}
		}
		return q.fail(msgAlreadyApplied.In(q.lang))
	}
	var req thidua.JoinRequest
	b, err := q.update(func(b *thidua.Block) error {
		var err error
		req, err = b.RequestJoin(a, unitID, r.now())
		return err
	})
	if err != nil {
		return err
	}
	posted, err := r.postJoinAsk(q, b, a, req)
	r.retireReplacedJoin(q, b, a, req, posted)
	return err
}

// retireReplacedJoin edits, after the answer, the message of the request
// of a that req replaced (thidua.JoinRequest.ReplacedMessage), if any, to
// say so, without its buttons, which would decide nothing now, and where
// the new request is: the message posted (0 if it was not), below, or in
// a group with topics at a link to it. Made again, on a replay, the edit
// leaves the message as it is.
func (r *Router) retireReplacedJoin(q *request, b *thidua.Block, a thidua.Actor, req thidua.JoinRequest, posted int) {
	if req.ReplacedMessage == 0 {
		return
	}
	where := msgJoinBelow.In(r.cfg.Lang)
	if link := q.linkTo(posted); link != "" {
		where = msgJoinAt.F(r.cfg.Lang, link)
	}
	text := msgJoinReplaced.F(r.cfg.Lang, bot.Escape(a.Name), bot.Escape(b.UnitName(req.UnitID)), where, bot.Escape(b.UnitName(req.ReplacedUnit)))
	if req.ReplacedUnit == req.UnitID {
		text = msgJoinAgain.F(r.cfg.Lang, bot.Escape(a.Name), bot.Escape(b.UnitName(req.UnitID)), where)
	}
	q.retireLater(req.ReplacedMessage, text, "replaced join request")
}

// postJoinAsk tells the asker their request was sent and posts it with the
// managers' approval buttons, and returns the id of the message posted (0
// if it was not).
func (r *Router) postJoinAsk(q *request, b *thidua.Block, a thidua.Actor, req thidua.JoinRequest) (int, error) {
	unit := bot.Escape(b.UnitName(req.UnitID))
	if err := q.answer(msgJoinSent.F(q.lang, b.UnitName(req.UnitID)), false); err != nil {
		return 0, err
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(msgApproveBtn.In(r.cfg.Lang), cbDecide+":"+req.ID+":y"),
		tgbotapi.NewInlineKeyboardButtonData(msgRejectBtn.In(r.cfg.Lang), cbDecide+":"+req.ID+":n"),
	))
	m, err := q.send(msgJoinAsk.F(r.cfg.Lang, bot.Mention(a.UserID, a.Name, a.Username), unit), &kb)
	if err != nil {
		return 0, err
	}
	r.remember(q.ctx, b.ID, "join request message", 0, func(b *thidua.Block) error { return b.SetJoinMessage(req.ID, m.MessageID) })
	return m.MessageID, nil
}

// decideJoin handles the approve and reject buttons.
func (r *Router) decideJoin(q *request, args []string) error {
	if len(args) != 2 || (args[1] != "y" && args[1] != "n") {
		return q.answer(msgStaleButton.In(q.lang), true)
	}
	_, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	approve := args[1] == "y"
	var req thidua.JoinRequest
	b, err := q.update(func(b *thidua.Block) error {
		req, err = b.DecideJoin(a, args[0], approve, r.now())
		return err
	})
	if err != nil {
		return err
	}
	if err := q.answer("", false); err != nil {
		return err
	}
	who := bot.Mention(req.UserID, req.Name, req.Username)
	unit := b.UnitName(req.UnitID)
	text := msgJoinRejected.F(r.cfg.Lang, bot.Escape(unit), who, bot.Escape(a.Name))
	if approve {
		// Approved by the leader unit's representative during a vote, the
		// newcomer does not vote in it: say so now, not at their press.
		barred := b.BarredElections(req.UserID, r.now())
		text = msgJoinApproved.F(r.cfg.Lang, who, bot.Escape(unit), bot.Escape(a.Name))
		if len(barred) > 0 {
			text += "\n" + msgJoinBarred.F(r.cfg.Lang, bot.Escape(req.Name), r.openElections(barred, r.cfg.Lang), bot.Escape(unit))
		}
		r.notifyPrivately(q.ctx, b.RepOf(req.UserID), func(l bot.Lang) string {
			dm := msgJoinApprovedDM.F(l, bot.Escape(unit), bot.Escape(b.Name))
			if len(barred) > 0 {
				dm += "\n" + msgJoinBarredDM.F(l, r.openElections(barred, l), bot.Escape(unit))
			}
			return dm
		})
	}
	return q.edit(q.chat.ID, q.callback.Message.MessageID, text, nil)
}

// needsPerson refuses, returning errReplied, a command about the asker
// themselves (joining a unit, leaving it) posted by an anonymous
// administrator, as the group: Telegram does not say who they are.
func (q *request) needsPerson() error {
	if q.msg == nil || !bot.IsAnonymousAdmin(q.msg) {
		return nil
	}
	if err := q.reply(msgAnonymousPerson.F(q.lang, q.cmd.name)); err != nil {
		return err
	}
	return errReplied
}

// leave makes the asker stop representing their unit.
func (r *Router) leave(q *request) error {
	if err := q.noArguments(); err != nil {
		return err
	}
	if err := q.needsPerson(); err != nil {
		return err
	}
	a := q.asker()
	var rp thidua.Representative
	var shown []thidua.ReportDraft
	b, err := q.update(func(b *thidua.Block) error {
		var err error
		shown = shownDrafts(b)
		rp, err = b.Leave(a, r.now())
		return err
	})
	if err != nil {
		return err
	}
	unit := bot.Escape(b.UnitName(rp.UnitID))
	r.retireDroppedDrafts(q, shown, b, func(d thidua.ReportDraft, period string) string {
		return msgDraftRepLeft.F(q.lang, bot.Escape(rp.Name), unit, period) + msgDraftNothingSaved.In(q.lang) + msgDraftRepsAgain.F(q.lang, period)
	})
	return q.reply(msgLeft.F(q.lang, unit))
}
