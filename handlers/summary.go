package handlers

import (
	"fmt"
	"strings"

	"thiduabot/bot"
	"thiduabot/thidua"
)

// This file holds the registration summary (/summary): the criteria and
// every unit's state and pledges in the chat, or, for a large block, an
// overview in the group and the summary in full as a workbook.

// summaryMaxParts is the most messages /summary posts in the group; a
// longer summary comes as an overview, a line per unit, and a workbook
// with every pledge instead: two posts. Up to three, the pledges in the
// chat are worth their cost: they arrive within three seconds (a bot
// posts a message a second in a chat, twenty a minute in a group), read
// on a phone as one answer and hold a block of about seven units with
// eight pledges each. Past that, each message is one more post than the
// overview and its file, pushing the group's conversation up screen after
// screen and taking the minute's twenty posts from other answers: fifteen
// units with 600 pledges took sixty messages, three minutes.
const summaryMaxParts = 3

// summaryReasonLen is the most characters of a returned list's reason the
// overview shows; /pledges shows it whole.
const summaryReasonLen = 80

var (
	msgSummaryHead      = bot.T{VI: "<b>TỔNG HỢP ĐĂNG KÝ THI ĐUA NĂM %d</b>\n<b>%s</b>", EN: "<b>REGISTRATION SUMMARY %d</b>\n<b>%s</b>"}
	msgSummaryCounts    = bot.T{VI: "Đơn vị: %d · đã duyệt %d · chờ duyệt %d · bị trả lại %d · chưa gửi %d · chưa đăng ký nội dung nào %d", EN: "Units: %d · approved %d · awaiting approval %d · returned %d · not submitted %d · without pledges %d"}
	msgSummaryNoPledges = bot.T{VI: "⚠️ chưa đăng ký nội dung nào", EN: "⚠️ no pledges registered"}
	msgSummarySigned    = bot.T{VI: " · ✍️ đã ký giao ước", EN: " · ✍️ signed the covenant"}
	msgSummaryPledges   = bot.T{VI: " · %d nội dung", EN: " · %d {pledge|pledges}"}
	msgSummaryCriteria  = bot.T{VI: "Tiêu chí chấm điểm: %d, tổng điểm tối đa <b>%s</b> (xem /criteria)", EN: "Scoring criteria: %d, total of maximum points <b>%s</b> (see /criteria)"}
	msgSummaryInFile    = bot.T{
		VI: "📎 Danh sách đầy đủ, với từng nội dung đăng ký của mọi đơn vị, ở tệp Excel gửi kèm ngay sau tin này. Xem nội dung của một đơn vị: /pledges &lt;số&gt; (số thứ tự như trên).",
		EN: "📎 The full list, with every pledge of every unit, is in the Excel file sent right after this message. To see one unit's pledges: /pledges &lt;number&gt; (numbered as above).",
	}
	msgSummaryCaption = bot.T{VI: "📎 Tổng hợp đăng ký thi đua năm %d — %s, %s: tiêu chí, đơn vị và mọi nội dung đăng ký.", EN: "📎 Registration summary %d — %s, %s: criteria, units and every pledge."}
	msgSummaryNoFile  = bot.T{
		VI: "⚠️ Telegram không nhận tệp tổng hợp nên chưa gửi được danh sách đầy đủ. Xem nội dung của từng đơn vị bằng /pledges &lt;số&gt;, hoặc gửi lại /summary sau ít phút.",
		EN: "⚠️ Telegram did not take the summary file, so the full list was not sent. See each unit's pledges with /pledges &lt;number&gt;, or send /summary again in a few minutes.",
	}
)

// summaryTitle titles the summary's workbook, which is in Vietnamese as
// the block's documents are (see export).
const summaryTitle = "Tổng hợp đăng ký thi đua năm %d — %s"

// summaryOverview posts, for a summary too long for summaryMaxParts
// messages, its head and the criteria's total, a line per unit (its state,
// how many pledges, the covenant signed, the reason of a returned list cut
// short) and where to find the pledges, in as few messages as Telegram's
// limit allows (one but for a block of very many units); then the whole
// summary as a workbook of the export's registration tables (see
// registrationSheets), made first so that the overview does not promise a
// file that fails to be made. If Telegram refuses the file, the asker is
// told what to do instead; in a group that does not let the bot send
// files, as for any file (see answerFilesRefused).
func (r *Router) summaryOverview(q *request, b *thidua.Block, head []string) error {
	l := q.lang
	criteria := msgNoCriteria.In(l)
	if cs := b.Registration.Criteria; len(cs) > 0 {
		criteria = msgSummaryCriteria.F(l, len(cs), thidua.FormatNumber(b.CriteriaTotal()))
	}
	book, err := workbook(fmt.Sprintf(summaryTitle, b.Year, b.Name), r.registrationSheets(b))
	if err != nil {
		return fmt.Errorf("summary: workbook: %w", err)
	}
	items := []string{strings.Join(append(head, criteria), "\n"), ""}
	if len(b.Units) == 0 {
		items = append(items, msgNoUnits.In(l))
	}
	for i, u := range b.Units {
		ur := b.RegistrationOf(u.ID)
		line := fmt.Sprintf("%d. %s — %s", i+1, bot.Escape(u.Name), listStatus(l, ur, true))
		if ur.State == thidua.ListReturned {
			line += "\n   " + msgReasonLine.F(l, bot.Escape(shortenWords(ur.Reason, summaryReasonLen)))
		}
		items = append(items, line)
	}
	items = append(items, "", msgSummaryInFile.In(l))
	if _, err := q.sendParts(bot.SplitItems(items, bot.MaxMessageLen), nil); err != nil {
		return err
	}
	asOf := msgExportAsOf.F(l, thidua.FormatDateTime(r.now(), r.cfg.Location))
	err = q.sendDocument(fileBase("tong-hop-dang-ky", b)+".xlsx", book, msgSummaryCaption.F(l, b.Year, b.Name, asOf))
	if err == nil || refusedFiles(err) != "" {
		return err // a group that does not let the bot send files is told so (see answerFilesRefused)
	}
	r.cfg.Log.Warn("summary file refused", "chat", q.chat.ID, "err", err)
	return q.reply(msgSummaryNoFile.In(l))
}

// summary shows the registration summary (tổng hợp đăng ký thi đua): the
// criteria, then every unit with its state and pledges, split across
// messages at line ends when long. A summary longer than summaryMaxParts
// messages comes as an overview and a workbook instead (see
// summaryOverview).
func (r *Router) summary(q *request) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	l := q.lang
	head := r.summaryHead(l, b)
	lines := append(head, "", r.criteriaText(l, b))
	if len(b.Units) == 0 {
		lines = append(lines, "", msgNoUnits.In(l))
	}
	for i, u := range b.Units {
		ur := b.RegistrationOf(u.ID)
		lines = append(lines, "", fmt.Sprintf("<b>%d. %s</b> — %s", i+1, bot.Escape(u.Name), listStatus(l, ur, false)))
		if ur.State == thidua.ListReturned {
			lines = append(lines, "   "+msgReasonLine.F(l, bot.Escape(ur.Reason)))
		}
		if len(ur.Pledges) > 0 {
			lines = append(lines, r.pledgeLines(l, ur.Pledges, 1, "   "))
		}
	}
	parts := bot.Split(strings.Join(lines, "\n"), bot.MaxMessageLen)
	if len(parts) > summaryMaxParts {
		return r.summaryOverview(q, b, head)
	}
	_, err = q.sendParts(parts, nil)
	return err
}

// summaryHead is the head of the registration summary: its title, whether
// registration is open, and how many units' lists stand where.
func (r *Router) summaryHead(l bot.Lang, b *thidua.Block) []string {
	count := map[thidua.ListState]int{}
	for _, u := range b.Units {
		count[b.RegistrationOf(u.ID).State]++
	}
	return []string{
		msgSummaryHead.F(l, b.Year, bot.Escape(b.Name)),
		r.registrationLine(l, b),
		msgSummaryCounts.F(l, len(b.Units), count[thidua.ListApproved], count[thidua.ListSubmitted], count[thidua.ListReturned], count[thidua.ListDraft], len(b.UnitsWithoutPledges())),
	}
}

// listStatus says where a unit's pledge list stands in the summary: ⚠️ for
// a unit without pledges, otherwise the list's state and, with counted,
// how many pledges it has; then whether the unit signed the covenant.
func listStatus(l bot.Lang, ur thidua.UnitRegistration, counted bool) string {
	var s string
	switch {
	case len(ur.Pledges) == 0:
		s = msgSummaryNoPledges.In(l)
	case counted:
		s = stateLabel[ur.State].In(l) + msgSummaryPledges.F(l, len(ur.Pledges))
	default:
		s = stateLabel[ur.State].In(l)
	}
	if ur.Signed != nil {
		s += msgSummarySigned.In(l)
	}
	return s
}
