package handlers

import (
	"context"
	"errors"
	"net/http"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/thidua"
)

func (r *Router) registerHelp() {
	r.add(&command{
		name: "start", aliases: []string{"batdau"}, where: inGroup | inPrivate, who: roleAnyone,
		desc: bot.T{VI: "Giới thiệu bot; nhắn riêng để nhận nhắc việc qua tin nhắn riêng", EN: "About the bot; in private, lets the bot message you directly"},
		run:  r.start,
	})
	r.add(&command{
		name: "help", aliases: []string{"trogiup"}, where: inGroup | inPrivate, who: roleAnyone,
		usage:   bot.T{VI: "[lệnh]", EN: "[command]"},
		example: bot.T{VI: "/help pledge", EN: "/help pledge"},
		desc:    bot.T{VI: "Các lệnh bạn dùng được; kèm tên lệnh để xem cú pháp và ví dụ", EN: "The commands you can use; name one for its syntax and an example"},
		run:     r.help,
	})
}

var (
	msgAbout = bot.T{
		VI: "<b>thiduabot</b> giúp khối thi đua làm việc ngay trong nhóm chat: đăng ký nội dung thi đua, ký giao ước, báo cáo kết quả định kỳ, bầu Khối trưởng, Khối phó và nhắc hạn đúng đơn vị còn thiếu.",
		EN: "<b>thiduabot</b> runs an emulation block in its group chat: pledges, the covenant, periodic results, electing the leader and deputy, and deadline reminders to exactly the units that still owe something.",
	}
	msgStartPrivate = bot.T{
		VI: "\n\n✅ Từ nay bot có thể nhắn riêng cho bạn (nhắc hạn, kết quả duyệt).\nKhối của bạn chưa dùng bot: thêm bot vào nhóm chat của khối, rồi quản trị viên nhóm gửi <code>/setup &lt;tên khối&gt;</code>. Khối đã dùng bot: gửi lệnh trong nhóm chat của khối.",
		EN: "\n\n✅ The bot can now message you directly (deadline reminders, approvals).\nIf your block does not use the bot yet: add it to the block's group chat, then a group administrator sends <code>/setup &lt;block name&gt;</code>. If it does: send commands in the block's group chat.",
	}
	msgHelpRole = bot.T{VI: "Bạn là: %s", EN: "You are: %s"}
	msgRoleText = map[role]bot.T{
		roleAnyone:  {VI: "thành viên nhóm", EN: "a group member"},
		roleRep:     {VI: "đầu mối của %s", EN: "a representative of %s"},
		roleManager: {VI: "đầu mối của %s (đơn vị Khối trưởng)", EN: "a representative of %s (the leader unit)"},
		roleAdmin:   {VI: "quản trị viên nhóm", EN: "a group administrator"},
	}
	msgHelpMore    = bot.T{VI: "Gửi <code>/help &lt;lệnh&gt;</code> để xem cú pháp và ví dụ của một lệnh, ví dụ <code>/help pledge</code>.", EN: "Send <code>/help &lt;command&gt;</code> for a command's syntax and an example, e.g. <code>/help pledge</code>."}
	msgHelpUnknown = bot.T{VI: "Không có lệnh «%s».", EN: "There is no command «%s»."}
	msgHelpAliases = bot.T{VI: "Tên khác: %s", EN: "Also: %s"}
	msgHelpWho     = bot.T{VI: "Ai dùng: %s", EN: "Who: %s"}
	msgWhoText     = map[role]bot.T{
		roleAnyone:  {VI: "mọi người trong nhóm", EN: "everyone in the group"},
		roleRep:     {VI: "đầu mối của các đơn vị", EN: "the units' representatives"},
		roleManager: {VI: "quản trị viên nhóm và đầu mối đơn vị Khối trưởng", EN: "group administrators and the leader unit's representatives"},
		roleAdmin:   {VI: "quản trị viên nhóm", EN: "group administrators"},
	}
	msgHelpPrivate = bot.T{
		VI: "Các lệnh khác dùng trong nhóm chat của khối thi đua: gửi /help trong nhóm để xem các lệnh bạn dùng được ở đó.",
		EN: "The other commands are used in the block's group chat: send /help there for the commands you can use.",
	}
	msgHelpJoin    = bot.T{VI: "Nếu bạn là cán bộ đầu mối của một đơn vị trong khối, gửi /join rồi chọn đơn vị để đăng ký làm đầu mối.", EN: "If you represent one of the block's units, send /join and choose the unit to apply."}
	msgHelpPending = bot.T{VI: "Bạn đã xin làm đầu mối của <b>%s</b>; yêu cầu đang chờ quản trị viên nhóm hoặc đầu mối đơn vị Khối trưởng duyệt.", EN: "You asked to represent <b>%s</b>; the request awaits a group administrator or a representative of the leader unit."}
	msgHelpManage  = bot.T{VI: "<b>Điều hành khối</b>", EN: "<b>Running the block</b>"}
	msgHelpMember  = bot.T{VI: "<b>Lệnh chung</b>", EN: "<b>Everyone</b>"}
)

// start explains the bot; in private it also records that the user can be
// reached by direct message.
func (r *Router) start(q *request) error {
	if !q.private() {
		return r.help(q)
	}
	if err := r.cfg.Store.SetReachable(q.ctx, q.from.ID, true); err != nil {
		return wrapStore(err)
	}
	return q.reply(msgAbout.In(q.lang) + msgStartPrivate.In(q.lang))
}

// help lists the commands the asker may use, in their role.
func (r *Router) help(q *request) error {
	if q.args != "" {
		return r.helpOn(q, q.args)
	}
	who, roleLine, err := r.roleOf(q)
	if err != nil {
		return err
	}
	var member, manage []string
	for _, c := range r.commands {
		if c.who > who || (q.private() && c.where&inPrivate == 0) || (!q.private() && c.where&inGroup == 0) {
			continue
		}
		line := "/" + c.name
		for _, a := range c.aliases {
			line += " (/" + a + ")"
		}
		line += " — " + bot.Escape(c.desc.In(q.lang))
		if c.who >= roleManager {
			manage = append(manage, line)
		} else {
			member = append(member, line)
		}
	}
	// The paragraphs, each an item (see replyItems), so that a list too
	// long for a message, in characters or in entities (each command
	// is one), is split between its sections.
	paras := []string{msgAbout.In(q.lang)}
	if roleLine != "" {
		paras = append(paras, msgHelpRole.F(q.lang, roleLine)+r.joinHint(q, who))
	}
	if !q.private() {
		if _, err := q.block(); errors.Is(err, errNoBlock) {
			paras = append(paras, msgNoBlock.In(q.lang))
		}
	}
	paras = append(paras, msgHelpMember.In(q.lang)+"\n"+strings.Join(member, "\n"))
	if len(manage) > 0 {
		paras = append(paras, msgHelpManage.In(q.lang)+"\n"+strings.Join(manage, "\n"))
	}
	if q.private() {
		paras = append(paras, msgHelpPrivate.In(q.lang))
	}
	paras[len(paras)-1] += "\n\n" + msgHelpMore.In(q.lang) // with the last list, not alone
	for i := range paras[:len(paras)-1] {
		paras[i] += "\n" // a blank line between paragraphs
	}
	return q.replyItems(paras)
}

// helpOn explains one command: what it does, who may use it, its syntax and
// an example. The command may be written as clients write it in groups,
// "/pledge@thiduabot".
func (r *Router) helpOn(q *request, name string) error {
	cmd, _, _ := strings.Cut(strings.TrimPrefix(strings.Fields(name)[0], "/"), "@")
	c := r.byName[strings.ToLower(cmd)]
	if c == nil {
		return q.usage(msgHelpUnknown, bot.Escape(shorten(name, 40)))
	}
	lines := []string{"<b>/" + c.name + "</b> — " + bot.Escape(c.desc.In(q.lang))}
	if len(c.aliases) > 0 {
		lines = append(lines, msgHelpAliases.F(q.lang, "/"+strings.Join(c.aliases, ", /")))
	}
	lines = append(lines, msgHelpWho.F(q.lang, msgWhoText[c.who].In(q.lang)))
	lines = append(lines, msgUsage.F(q.lang, c.name, bot.Escape(c.usage.In(q.lang))))
	if !q.private() {
		_, _ = q.block() // the example is dated in the block's year, when there is one
	}
	if ex := c.exampleIn(q.lang, q.year()); ex != "" {
		lines = append(lines, msgExample.F(q.lang, bot.Escape(ex)))
	}
	return q.reply(strings.Join(lines, "\n"))
}

// joinHint tells a member of a block's group who represents no unit what to
// do next, on a line of its own: send /join, or wait for the approval of
// the request they made. It is "" for everyone else, and in a group whose
// block has no units yet.
func (r *Router) joinHint(q *request, who role) string {
	if who != roleAnyone || q.private() {
		return ""
	}
	b, err := q.block()
	if err != nil || len(b.Units) == 0 || b.RepOf(q.from.ID) != nil {
		return ""
	}
	for _, req := range b.Requests {
		if req.UserID == q.from.ID {
			return "\n" + msgHelpPending.F(q.lang, bot.Escape(b.UnitName(req.UnitID)))
		}
	}
	return "\n" + msgHelpJoin.In(q.lang)
}

// roleOf works out the asker's role in the chat's block and describes it.
// In private chats and groups without a block everyone is just a member.
func (r *Router) roleOf(q *request) (role, string, error) {
	if q.private() {
		return roleAnyone, "", nil
	}
	adm, err := q.admin()
	if err != nil {
		return roleAnyone, "", err
	}
	if adm {
		return roleAdmin, msgRoleText[roleAdmin].In(q.lang), nil
	}
	b, err := q.block()
	if err != nil {
		return roleAnyone, msgRoleText[roleAnyone].In(q.lang), nil
	}
	rp := b.RepOf(q.from.ID)
	switch {
	case rp == nil:
		return roleAnyone, msgRoleText[roleAnyone].In(q.lang), nil
	case rp.UnitID == b.LeaderUnit:
		return roleManager, msgRoleText[roleManager].F(q.lang, bot.Escape(b.UnitName(rp.UnitID))), nil
	default:
		return roleRep, msgRoleText[roleRep].F(q.lang, bot.Escape(b.UnitName(rp.UnitID))), nil
	}
}

// notifyPrivately sends a direct message to a representative who has
// started the bot in private, in the language of their Telegram app as last
// seen, or the block's when unknown (see thidua.Representative.Lang):
// text words the message in a language. Failures are logged, not returned:
// the group message is the record, the direct message a courtesy.
func (r *Router) notifyPrivately(ctx context.Context, rp *thidua.Representative, text func(bot.Lang) string) {
	if rp == nil { // no longer a representative
		return
	}
	userID := rp.UserID
	ok, err := r.cfg.Store.Reachable(ctx, userID)
	if err != nil || !ok {
		return
	}
	mc := tgbotapi.NewMessage(userID, text(bot.LangOfCode(rp.Lang, r.cfg.Lang)))
	mc.ParseMode = tgbotapi.ModeHTML
	if _, err := r.cfg.Sender.Send(ctx, mc); err != nil {
		r.cfg.Log.Warn("direct message failed", "user", userID, "err", err)
		if isForbidden(err) {
			_ = r.cfg.Store.SetReachable(ctx, userID, false)
		}
	}
}

// isForbidden reports whether Telegram refused a call as forbidden (403):
// a direct message to a user who blocked the bot or never started it, a
// message to a group the bot is not in (removed from it, or the group
// deleted).
func isForbidden(err error) bool {
	var te *tgbotapi.Error
	return errors.As(err, &te) && te.Code == http.StatusForbidden
}
