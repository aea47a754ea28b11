package handlers

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/storage"
	"thiduabot/thidua"
)

// This file holds the periodic results: reporting periods, reports typed in
// one message, evidence sent in reply to a report, /myreport and the
// progress board. Reports filled in step by step are in results_wizard.go,
// the export in results_export.go.

func (r *Router) registerResults() {
	r.add(&command{
		name: "period", aliases: []string{"kybaocao"}, where: inGroup, who: roleManager,
		usage: bot.T{
			VI: "<tên kỳ> | <hạn dd/mm/yyyy> (mỗi dòng một kỳ); edit <số> | <tên> | <hạn>; delete <số>",
			EN: "<name> | <deadline dd/mm/yyyy> (one per line); edit <number> | <name> | <deadline>; delete <number>",
		},
		example: bot.T{VI: "/period Quý I | 31/03\n6 tháng | 15/06\n9 tháng | 15/09\nNăm | 30/11", EN: "/period Quý I | 31/03\n6 tháng | 15/06\n9 tháng | 15/09\nNăm | 30/11"},
		desc:    bot.T{VI: "Thêm, sửa, xoá kỳ báo cáo", EN: "Add, edit or delete reporting periods"},
		run:     r.period,
	})
	r.add(&command{
		name: "periods", aliases: []string{"dskybaocao"}, where: inGroup, who: roleAnyone,
		desc: bot.T{VI: "Các kỳ báo cáo và hạn nộp", EN: "Reporting periods and deadlines"},
		run:  r.listPeriods,
	})
	r.add(&command{
		name: "report", aliases: []string{"baocao"}, where: inGroup, who: roleRep,
		usage: bot.T{
			VI: "[#số đơn vị] <kỳ>, rồi mỗi dòng: <số thứ tự> <giá trị> [ghi chú]",
			EN: "[#unit number] <period>, then on each line: <pledge number> <value> [note]",
		},
		example:    bot.T{VI: "/report Quý I\n1 45 đã khởi công 5 nhà\n2 60%\n3 100%", EN: "/report Quý I\n1 45 đã khởi công 5 nhà\n2 60%\n3 100%"},
		desc:       bot.T{VI: "Báo cáo kết quả một kỳ (chỉ nêu kỳ: nhập từng bước)", EN: "Report results for a period (period alone: step by step)"},
		run:        r.report,
		writeFirst: true,
	})
	r.add(&command{
		name: "myreport", aliases: []string{"baocaocuatoi"}, where: inGroup, who: roleRep,
		usage:   bot.T{VI: "[#số đơn vị] [kỳ]", EN: "[#unit number] [period]"},
		example: bot.T{VI: "/myreport Quý I", EN: "/myreport Quý I"},
		desc:    bot.T{VI: "Báo cáo đơn vị đã gửi, kèm minh chứng", EN: "What your unit reported, with evidence"},
		run:     r.myReport,
	})
	r.add(&command{
		name: "progress", aliases: []string{"tiendo"}, where: inGroup, who: roleAnyone,
		desc: bot.T{VI: "Bảng tiến độ báo cáo và hoàn thành chỉ tiêu", EN: "Progress board: reports and completion"},
		run:  r.progress,
	})
	r.add(&command{
		name: "export", aliases: []string{"xuatfile"}, where: inGroup, who: roleAnyone,
		usage:   bot.T{VI: "[năm]", EN: "[year]"},
		example: bot.T{VI: "/export {lastyear}", EN: "/export {lastyear}"},
		desc:    bot.T{VI: "Xuất tệp Excel và CSV số liệu của khối (năm nay, hoặc một năm đã qua)", EN: "Export the block's data to Excel and CSV (this year's, or a past year's)"},
		run:     r.export,
	})
	r.describeActions(map[string]bot.T{
		"period.add":      {VI: "thêm kỳ báo cáo", EN: "added a reporting period"},
		"period.edit":     {VI: "sửa kỳ báo cáo", EN: "edited a reporting period"},
		"period.delete":   {VI: "xoá kỳ báo cáo", EN: "deleted a reporting period"},
		"report.submit":   {VI: "gửi báo cáo kết quả", EN: "submitted a report"},
		"report.evidence": {VI: "đính kèm minh chứng", EN: "attached evidence"},
	})
	r.describeErrors(resultsErrors...)
	r.onCallback(cbDeletePeriod, r.confirmDeletePeriod)
	r.onCallback(cbDraft, r.draftPress)
	r.onCallback(cbReplaceDraft, r.replacePress)
	r.onCallback(cbEvidence, r.resendEvidence)
}

// Callback data prefixes of the results.
const (
	cbDeletePeriod = "pd" // pd:<periodID>: a manager confirms deleting a period with its reports
	cbDraft        = "rp" // rp:<draftID>:<step>:<action>[:<level>]: the owner answers a report draft
	cbEvidence     = "rf" // rf:<unitID>:<periodID>:<n>|a: send a report's evidence file n (or all) again
	cbReplaceDraft = "rr" // rr:<draftID>:<unitID>:<periodID>:<askerID>:y|n: the asker replaces someone else's report draft, or leaves it
)

// resultsErrors explains the domain errors of the periodic results. Those
// that can answer a button press are plain text of at most 200 characters.
var resultsErrors = []domainError{
	{thidua.ErrPeriodFormat, bot.T{
		VI: "Mỗi kỳ ghi trên một dòng: tên kỳ | hạn dd/mm/yyyy (bỏ năm thì là năm thi đua), ví dụ Quý I | 31/03.",
		EN: "One period per line: name | deadline dd/mm/yyyy (without the year: the block's year), e.g. Quý I | 31/03.",
	}},
	{thidua.ErrPeriodName, bot.T{
		VI: fmt.Sprintf("Tên kỳ không được để trống, không được chỉ là một con số và dài tối đa %d ký tự.", thidua.MaxPeriodNameLen),
		EN: fmt.Sprintf("A period name must not be empty or a bare number, and is at most %d characters long.", thidua.MaxPeriodNameLen),
	}},
	{thidua.ErrPeriodDue, bot.T{
		VI: "Hạn không phải một ngày có thật. Viết ngày theo dạng dd/mm/yyyy hoặc dd/mm, ví dụ 31/03.",
		EN: "The deadline is not a real date. Write it as dd/mm/yyyy or dd/mm, e.g. 31/03.",
	}},
	{thidua.ErrPeriodDueYear, bot.T{
		VI: "Hạn của kỳ phải nằm trong năm thi đua của khối (hoặc tháng 1 năm sau, cho báo cáo năm nộp vào đầu năm sau).",
		EN: "The deadline must fall within the block's year (or in January of the next, for a year report due early next year).",
	}},
	{thidua.ErrPeriodExists, bot.T{VI: "Đã có kỳ báo cáo tên này (hoặc tên bị nhập trùng).", EN: "A period with this name already exists (or the name was given twice)."}},
	{thidua.ErrTooManyPeriods, bot.T{
		VI: fmt.Sprintf("Khối có tối đa %d kỳ báo cáo.", thidua.MaxPeriods),
		EN: fmt.Sprintf("A block has at most %d reporting periods.", thidua.MaxPeriods),
	}},
	{thidua.ErrPeriodNotFound, bot.T{
		VI: "Không tìm thấy kỳ báo cáo này. Gửi /periods để xem các kỳ.",
		EN: "No such reporting period. Send /periods to see them.",
	}},
	{thidua.ErrPeriodHasReports, bot.T{VI: "Đã có đơn vị báo cáo cho kỳ này.", EN: "Units have reported for this period."}},
	{thidua.ErrReportLine, bot.T{
		VI: "Mỗi dòng báo cáo gồm số thứ tự của nội dung (xem /pledges), giá trị, rồi ghi chú nếu có, ví dụ: 1 45 đã khởi công 5 nhà.",
		EN: "Each report line is the pledge's number (see /pledges), the value, then a note if any, e.g. 1 45 đã khởi công 5 nhà.",
	}},
	{thidua.ErrReportValue, bot.T{
		VI: "Giá trị phải là một con số viết kiểu Việt Nam (45, 1.200, 25,3) hoặc phần trăm của chỉ tiêu (60%). Nội dung không đo bằng số: ghi 100% khi đã hoàn thành.",
		EN: "The value must be a number written the Vietnamese way (45, 1.200, 25,3) or a share of the target (60%). For a pledge not measured in numbers write 100% when done.",
	}},
	{thidua.ErrReportNegative, bot.T{VI: "Giá trị không được là số âm.", EN: "The value must not be negative."}},
	{thidua.ErrReportNote, bot.T{
		VI: fmt.Sprintf("Ghi chú dài tối đa %d ký tự.", thidua.MaxNoteLen),
		EN: fmt.Sprintf("A note is at most %d characters long.", thidua.MaxNoteLen),
	}},
	{thidua.ErrReportTwoValues, bot.T{
		VI: "Sau số thứ tự nội dung có hai số, như một dòng chép từ bảng có cột chỉ tiêu: mỗi dòng ghi số thứ tự nội dung rồi kết quả đạt được, ví dụ <code>1 45</code>, không ghi chỉ tiêu (bot đã biết chỉ tiêu của từng nội dung). Ghi chú, nếu có, viết bằng chữ sau giá trị.",
		EN: "The pledge's number is followed by two numbers, as in a row copied from a table with a target column: each line gives the pledge's number then the result reached, e.g. <code>1 45</code>, without the target (the bot knows each pledge's). A note, if any, is words after the value.",
	}},
	{thidua.ErrReportPledge, bot.T{
		VI: "Đơn vị không có nội dung đăng ký số này. Gửi /pledges để xem số thứ tự các nội dung.",
		EN: "The unit has no pledge with this number. Send /pledges to see the numbers.",
	}},
	{thidua.ErrReportDuplicate, bot.T{
		VI: "Nội dung này đã có ở một dòng trước; mỗi nội dung chỉ báo cáo một dòng.",
		EN: "This pledge is already on an earlier line; report each pledge on one line only.",
	}},
	{thidua.ErrReportEmpty, bot.T{VI: "Báo cáo chưa có giá trị nào.", EN: "The report holds no value."}},
	{thidua.ErrNothingToReport, bot.T{
		VI: "Đơn vị chưa đăng ký nội dung thi đua nào nên chưa có gì để báo cáo. Hãy đăng ký trước bằng /pledge.",
		EN: "The unit has registered no pledges, so there is nothing to report. Register them first with /pledge.",
	}},
	{thidua.ErrNotYourReport, bot.T{
		VI: "Xin lỗi, chỉ đầu mối của đơn vị mới báo cáo cho đơn vị mình; quản trị viên nhóm làm thay bằng #số đơn vị.",
		EN: "Sorry, only a unit's representatives report for it; group administrators act for a unit with #its number.",
	}},
	{thidua.ErrReportNotFound, bot.T{VI: "Đơn vị chưa gửi báo cáo cho kỳ này.", EN: "The unit has not reported for this period."}},
	{thidua.ErrTooMuchEvidence, bot.T{
		VI: fmt.Sprintf("Báo cáo này đã có đủ %d minh chứng.", thidua.MaxEvidence),
		EN: fmt.Sprintf("This report already has %d pieces of evidence.", thidua.MaxEvidence),
	}},
	{thidua.ErrDraftNotFound, bot.T{
		VI: "Lần nhập báo cáo này đã được gửi, huỷ hoặc thay bằng lần nhập khác.",
		EN: "This report draft was sent, cancelled or replaced.",
	}},
	{thidua.ErrDraftOwner, bot.T{VI: "Chỉ người đang nhập báo cáo này mới bấm được các nút.", EN: "Only the person filling this report in can press its buttons."}},
	{thidua.ErrDraftStep, bot.T{VI: "Câu này đã được trả lời rồi.", EN: "This step was answered already."}},
	{thidua.ErrDraftInUse, bot.T{VI: "Người khác của đơn vị đang nhập dở báo cáo kỳ này.", EN: "Someone else from the unit is filling in this period's report."}},
}

var (
	msgPeriodsEmpty      = bot.T{VI: "Bạn chưa nhập kỳ báo cáo nào.", EN: "No period was given."}
	msgPeriodsAdded      = bot.T{VI: "✅ Đã thêm %d kỳ báo cáo.\n\n%s", EN: "✅ Added %d reporting {period|periods}.\n\n%s"}
	msgPeriodPastWarn    = bot.T{VI: "\n⚠️ Hạn của kỳ %s đã qua: báo cáo gửi từ nay được đánh dấu nộp muộn (sửa hạn: /period edit).", EN: "\n⚠️ The deadline of %s has passed: reports sent from now on are marked late (change it: /period edit)."}
	msgPeriodsHead       = bot.T{VI: "<b>Kỳ báo cáo năm %d</b>", EN: "<b>Reporting periods %d</b>"}
	msgPeriodLine        = bot.T{VI: "%d. %s — hạn %s — đã báo cáo %d/%d đơn vị", EN: "%d. %s — deadline %s — %d/%d {unit|units} reported"}
	msgPeriodPassed      = bot.T{VI: " (đã quá hạn)", EN: " (deadline passed)"}
	msgNoPeriods         = bot.T{VI: "Chưa có kỳ báo cáo nào. Khối trưởng thêm bằng <code>/period Quý I | 31/03</code> (mỗi dòng một kỳ).", EN: "No reporting periods yet. Managers add them with <code>/period Quý I | 31/03</code> (one per line)."}
	msgPeriodsHint       = bot.T{VI: "Báo cáo: <code>/report &lt;kỳ&gt;</code>, xuống dòng rồi mỗi dòng <code>&lt;số thứ tự&gt; &lt;giá trị&gt; [ghi chú]</code>; hoặc chỉ <code>/report &lt;kỳ&gt;</code> để nhập từng bước.", EN: "Report with <code>/report &lt;period&gt;</code>, then one line per pledge <code>&lt;number&gt; &lt;value&gt; [note]</code>; or just <code>/report &lt;period&gt;</code> to go step by step."}
	msgPeriodEditBad     = bot.T{VI: "Cần số thứ tự (hoặc tên) của kỳ, rồi tên mới và hạn mới sau dấu |; để trống phần nào thì giữ nguyên phần đó.", EN: "Give the period's number (or name), then the new name and deadline after a |; leave a part empty to keep it."}
	msgPeriodEdited      = bot.T{VI: "✏️ Đã sửa kỳ báo cáo:\ntrước: %s\nsau: %s", EN: "✏️ Period changed:\nbefore: %s\nafter: %s"}
	msgPeriodUnchanged   = bot.T{VI: "Kỳ báo cáo %s không thay đổi.", EN: "The period %s is unchanged."}
	msgPeriodDeleteWhich = bot.T{VI: "Bạn chưa nêu kỳ cần xoá.", EN: "Say which period to delete."}
	msgPeriodDeleted     = bot.T{VI: "🗑 Đã xoá kỳ báo cáo %s (bởi %s).", EN: "🗑 Deleted the period %s (by %s)."}
	msgPeriodDeletedN    = bot.T{VI: "🗑 Đã xoá kỳ báo cáo %s cùng %d báo cáo của các đơn vị (bởi %s). Lịch sử vẫn giữ các báo cáo này.", EN: "🗑 Deleted the period %[1]s (by %[3]s) with the units' %[2]d {report|reports}. The history keeps {that report|those reports}."}
	msgPeriodDeleteAsk   = bot.T{VI: "Kỳ %s đã có <b>%d</b> báo cáo của các đơn vị. Xoá kỳ thì các báo cáo này (và minh chứng kèm theo) cũng bị xoá; lịch sử vẫn giữ nội dung báo cáo. Xoá?", EN: "The period %s has <b>%d</b> {report|reports} from units. Deleting it deletes {it|them} too (with {its|their} evidence); the history keeps {its|their} contents. Delete?"}
	msgPeriodDeleteYes   = bot.T{VI: "🗑 Xoá kỳ và %d báo cáo", EN: "🗑 Delete it and %d {report|reports}"}
	msgNoSuchPeriod      = bot.T{VI: "Không tìm thấy kỳ báo cáo «%s» (hoặc tên khớp với nhiều kỳ). %s", EN: "No reporting period «%s» (or the name matches several). %s"}
	msgPeriodChoices     = bot.T{VI: "Các kỳ: %s.", EN: "Periods: %s."}
	msgReportWhich       = bot.T{VI: "Bạn chưa nêu kỳ báo cáo. %s", EN: "Say which period you report for. %s"}
	msgReportSaved       = bot.T{VI: "📊 Đã ghi báo cáo kỳ <b>%s</b> của <b>%s</b> (%s, %s).", EN: "📊 Recorded the report of <b>%s</b> for <b>%s</b> (%s, %s)."}
	msgReportLate        = bot.T{VI: "⏰ Nộp muộn: hạn của kỳ là %s.", EN: "⏰ Late: the period's deadline was %s."}
	msgReportReplaced    = bot.T{VI: "Thay cho báo cáo lần %s của %s gửi %s; lịch sử vẫn giữ cả hai.", EN: "Replaces submission %s, sent by %s on %s; the history keeps both."}
	msgReportMissing     = bot.T{VI: "Chưa báo cáo: nội dung %s.", EN: "Not reported: pledges %s."}
	msgReportMissingOne  = bot.T{VI: msgReportMissing.VI, EN: "Not reported: pledge %s."}
	msgOvershoot         = bot.T{VI: "⚠️ Kiểm tra lại, có thể gõ nhầm — giá trị vượt xa chỉ tiêu: %s. %s", EN: "⚠️ Check these, maybe typos — values far above the target: %s. %s"}
	msgOvershootItem     = bot.T{VI: "%s. %s (chỉ tiêu %s)", EN: "%s. %s (target %s)"}
	msgOvershootResend   = bot.T{VI: "Báo cáo đã được ghi như đã gửi; nếu nhầm, gửi lại cả báo cáo: <code>/report %s</code>, mỗi dòng một nội dung.", EN: "The report is recorded as sent; if one is wrong, send the whole report again: <code>/report %s</code>, one line per pledge."}
	msgOvershootMarked   = bot.T{VI: "⚠️ Giá trị vượt xa chỉ tiêu, có thể gõ nhầm. Nếu nhầm, gửi lại cả báo cáo: <code>/report %s</code>, mỗi dòng một nội dung.", EN: "⚠️ Far above the target, maybe a typo. If one is wrong, send the whole report again: <code>/report %s</code>, one line per pledge."}
	msgEvidenceHint      = bot.T{VI: "📎 Minh chứng: trả lời (reply) tin nhắn này bằng ảnh hoặc tệp để đính kèm vào báo cáo.", EN: "📎 Evidence: reply to this message with a photo or a file to attach it to the report."}
	msgReportDetails     = bot.T{VI: "Tên nội dung và ghi chú: <code>/myreport %s</code>", EN: "Titles and notes: <code>/myreport %s</code>"}
	msgEntryLine         = bot.T{VI: "%d. %s — %s", EN: "%d. %s — %s"}
	msgValueLine         = bot.T{VI: "%s. %s", EN: "%s. %s"}
	msgMoreLines         = bot.T{VI: "… và %s nội dung khác", EN: "… and %s more {pledge|pledges}"}
	msgEntryNone         = bot.T{VI: "chưa báo cáo", EN: "not reported"}
	msgEntryOfTarget     = bot.T{VI: "%s / %s (%s)", EN: "%s / %s (%s)"}
	msgEntryLevel        = bot.T{VI: "%s của %s", EN: "%s of %s"}
	msgPct               = bot.T{VI: "%s%%", EN: "%s%%"}
	msgShareOfTarget     = bot.T{VI: "%s%% chỉ tiêu", EN: "%s%% of the target"}
	msgPctOver           = bot.T{VI: "trên %s%%", EN: "over %s%%"}
	msgEvidenceSaved     = bot.T{VI: "📎 Đã đính kèm %s vào báo cáo kỳ <b>%s</b> của <b>%s</b> (%d minh chứng). Xem lại: <code>/myreport %s</code>", EN: "📎 Attached %s to the report of <b>%s</b> for <b>%s</b> (%d {piece|pieces} of evidence). See {it|them}: <code>/myreport %s</code>"}
	msgEvidenceAlbum     = bot.T{VI: "📎 Đã đính kèm %d minh chứng của album vào báo cáo kỳ <b>%s</b> của <b>%s</b> (báo cáo có %d minh chứng). Xem lại: <code>/myreport %s</code>", EN: "📎 Attached %d {file|files} of the album to the report of <b>%s</b> for <b>%s</b> (%d {piece|pieces} of evidence in all). See them: <code>/myreport %s</code>"}
	msgEvidenceAlbumFull = bot.T{VI: "⚠️ Báo cáo đã đủ %d minh chứng nên các ảnh, tệp còn lại của album không được đính kèm.", EN: "⚠️ The report holds %d pieces of evidence, its most, so the rest of the album was not attached."}
	msgEvidencePhoto     = bot.T{VI: "ảnh", EN: "a photo"}
	msgEvidenceDoc       = bot.T{VI: "tệp «%s»", EN: "the file «%s»"}
	msgEvidenceNotYet    = bot.T{VI: "Bấm «Gửi báo cáo» trước, rồi trả lời tin nhắn này bằng ảnh hoặc tệp minh chứng.", EN: "Press «Send the report» first, then reply to this message with the photo or file."}
	msgMyReportNone      = bot.T{VI: "<b>%s</b> chưa gửi báo cáo kết quả nào. Báo cáo bằng <code>/report &lt;kỳ&gt;</code>.", EN: "<b>%s</b> has not reported yet. Report with <code>/report &lt;period&gt;</code>."}
	msgMyReportNotFor    = bot.T{VI: "<b>%s</b> chưa gửi báo cáo kỳ <b>%s</b> (hạn %s). Báo cáo bằng <code>/report %s</code>.", EN: "<b>%s</b> has not reported for <b>%s</b> (deadline %s). Report with <code>/report %s</code>."}
	msgMyReportNotYours  = bot.T{VI: "Xin lỗi, bạn chỉ xem được báo cáo của đơn vị mình; Khối trưởng và quản trị viên nhóm xem được mọi đơn vị (#số đơn vị).", EN: "Sorry, you can see only your own unit's reports; managers can see any unit's (#unit number)."}
	msgMyReportHead      = bot.T{VI: "📊 <b>Báo cáo kỳ %s — %s</b> (hạn %s)", EN: "📊 <b>%s report — %s</b> (deadline %s)"}
	msgSubmissionLine    = bot.T{VI: "Lần %d: %s, %s — %s", EN: "Submission %d: %s, %s — %s"}
	msgOnTime            = bot.T{VI: "đúng hạn", EN: "on time"}
	msgLate              = bot.T{VI: "⏰ nộp muộn", EN: "⏰ late"}
	msgEarlierHead       = bot.T{VI: "Các lần gửi trước:", EN: "Earlier submissions:"}
	msgEvidenceHead      = bot.T{VI: "<b>Minh chứng</b> (%d):", EN: "<b>Evidence</b> (%d):"}
	msgEvidenceLine      = bot.T{VI: "%s %d. %s — %s, %s", EN: "%s %d. %s — %s, %s"}
	msgEvidenceNone      = bot.T{VI: "Chưa có minh chứng.", EN: "No evidence yet."}
	msgEvidenceLost      = bot.T{VI: "⚠️ Chưa đính kèm được: bot không còn tìm thấy báo cáo gắn với tin nhắn này. Gõ <code>/myreport</code> (kèm tên kỳ nếu không phải kỳ gần nhất), rồi trả lời (reply) tin bot gửi lại bằng ảnh hoặc tệp này.", EN: "⚠️ Not attached: the bot no longer finds the report this message belongs to. Send <code>/myreport</code> (with the period's name if it is not the latest), then reply to the bot's answer with this photo or file."}
	msgEvidenceClosed    = bot.T{VI: "⚠️ Chưa đính kèm được: báo cáo này thuộc năm thi đua %d, đã khép lại khi khối chuyển sang năm %d, nên không nhận thêm minh chứng. Số liệu năm %[1]d: <code>/export %[1]d</code>.", EN: "⚠️ Not attached: this report belongs to the emulation year %d, closed when the block turned to %d, so it takes no more evidence. The data of %[1]d: <code>/export %[1]d</code>."}
	msgEvidenceResend    = bot.T{VI: "Bấm số để bot gửi lại minh chứng đó.", EN: "Press a number to have the bot send that evidence again."}
	msgOtherPeriods      = bot.T{VI: "Các kỳ đã báo cáo: %s — xem: <code>/myreport &lt;kỳ&gt;</code>", EN: "Periods reported: %s — see: <code>/myreport &lt;period&gt;</code>"}
	msgResendAll         = bot.T{VI: "📎 Gửi lại tất cả", EN: "📎 Send all again"}
	msgResending         = bot.T{VI: "Đang gửi lại %d minh chứng…", EN: "Sending %d {piece|pieces} of evidence again…"}
	msgEvidenceCaption   = bot.T{VI: "Minh chứng %d — báo cáo kỳ %s của %s", EN: "Evidence %d — %s report of %s"}
	msgBoardHead         = bot.T{VI: "📈 <b>TIẾN ĐỘ THI ĐUA NĂM %d</b>\n<b>%s</b> — ngày %s", EN: "📈 <b>PROGRESS %d</b>\n<b>%s</b> — %s"}
	msgBoardLegend       = bot.T{VI: "✅ đúng hạn · ⏰ nộp muộn · ❌ quá hạn chưa nộp · … chưa đến hạn", EN: "✅ on time · ⏰ late · ❌ overdue · … not due yet"}
	msgBoardPeriods      = bot.T{VI: "<b>Nộp báo cáo theo kỳ</b>", EN: "<b>Reports by period</b>"}
	msgBoardPeriodLine   = bot.T{VI: "%d. %s (hạn %s): %s", EN: "%d. %s (deadline %s): %s"}
	msgBoardNotOwed      = bot.T{VI: " · — chưa vào khối khi hết hạn", EN: " · — joined the block after the deadline"}
	msgBoardMissing      = bot.T{VI: "   ❌ Chưa nộp: %s", EN: "   ❌ Missing: %s"}
	msgBoardCompletion   = bot.T{VI: "<b>Hoàn thành chỉ tiêu</b> (trung bình các chỉ tiêu định lượng theo số liệu báo cáo mới nhất; mỗi chỉ tiêu tính tối đa 100%)", EN: "<b>Completion of targets</b> (average over measurable targets from the latest reported values; each counts at most 100%)"}
	msgBoardNoMeasure    = bot.T{VI: "chưa có chỉ tiêu định lượng", EN: "no measurable target"}
	msgBoardOvershoot    = bot.T{VI: "   ⚠️ Có thể gõ nhầm, giá trị vượt xa chỉ tiêu: nội dung %[2]s — xem <code>/myreport #%[3]d</code>", EN: "   ⚠️ %[1]d {value|values} far above the target, maybe {a typo|typos}: {pledge|pledges} %[2]s — see <code>/myreport #%[3]d</code>"}
	msgBoardKey          = bot.T{VI: "Thứ tự ký hiệu trong mỗi dòng: %s", EN: "Symbols in each line, in period order: %s"}
)

// period adds reporting periods, or lists, edits or deletes them.
func (r *Router) period(q *request) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	sub, rest := cutWord(q.args)
	switch thidua.Fold(sub) {
	case "", "list", "ds":
		return r.listPeriods(q)
	case "edit", "sua":
		return r.editPeriod(q, b, rest)
	case "delete", "xoa":
		return r.deletePeriod(q, b, rest)
	}
	return r.addPeriods(q, b)
}

func (r *Router) addPeriods(q *request, b *thidua.Block) error {
	a, err := q.manager(b)
	if err != nil {
		return err
	}
	lines := argLines(q.args)
	if len(lines) == 0 {
		return q.usage(msgPeriodsEmpty)
	}
	drafts, err := parseLines(q, lines, func(s string) (thidua.PeriodDraft, error) {
		return thidua.ParsePeriod(s, b.Year, r.cfg.Location)
	})
	if err != nil {
		return err
	}
	var added []thidua.Period
	b, err = q.update(func(b *thidua.Block) error {
		added, err = b.AddPeriods(a, drafts, r.now())
		return err
	})
	if errors.Is(err, thidua.ErrPeriodExists) || errors.Is(err, thidua.ErrTooManyPeriods) {
		return badInput(q, err)
	} else if err != nil {
		return err
	}
	text := msgPeriodsAdded.F(q.lang, len(added), r.periodsText(q.lang, b))
	for _, p := range added {
		if b.IsLate(p, r.now()) {
			text += msgPeriodPastWarn.F(q.lang, bot.Escape(p.Name))
		}
	}
	return q.reply(text)
}

// listPeriods lists the periods with their deadlines and how many units
// have reported.
func (r *Router) listPeriods(q *request) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	return q.reply(r.periodsText(q.lang, b))
}

// periodsText lists the periods, numbered, with how to report.
func (r *Router) periodsText(l bot.Lang, b *thidua.Block) string {
	ps := b.Periods()
	if len(ps) == 0 {
		return msgNoPeriods.In(l)
	}
	lines := []string{msgPeriodsHead.F(l, b.Year)}
	for i, p := range ps {
		line := msgPeriodLine.F(l, i+1, bot.Escape(p.Name), r.date(p.Due), b.ReportCount(p.ID), b.ReportsDue(p))
		if b.IsLate(p, r.now()) {
			line += msgPeriodPassed.In(l)
		}
		lines = append(lines, line)
	}
	return strings.Join(append(lines, "", msgPeriodsHint.In(l)), "\n")
}

// date writes a date dd/mm/yyyy in the configured time zone.
func (r *Router) date(t time.Time) string { return thidua.FormatDate(t, r.cfg.Location) }

// findPeriod resolves the period a command names. An unknown or ambiguous
// name is answered with the periods to choose from and the command's usage.
func (r *Router) findPeriod(q *request, b *thidua.Block, ref string) (thidua.Period, error) {
	ref = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(ref), ":"))
	if ref == "" {
		return thidua.Period{}, q.usage(msgReportWhich, r.periodChoices(q.lang, b))
	}
	p, err := b.FindPeriod(ref)
	if errors.Is(err, thidua.ErrPeriodNotFound) {
		return p, q.usage(msgNoSuchPeriod, bot.Escape(shorten(ref, 40)), r.periodChoices(q.lang, b))
	}
	return p, err
}

// periodChoices names the periods to choose from, or says there is none.
func (r *Router) periodChoices(l bot.Lang, b *thidua.Block) string {
	ps := b.Periods()
	if len(ps) == 0 {
		return msgNoPeriods.In(l)
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = fmt.Sprintf("%d. %s", i+1, bot.Escape(p.Name))
	}
	return msgPeriodChoices.F(l, strings.Join(names, ", "))
}

// periodLabel is a period's name with its deadline, escaped.
func (r *Router) periodLabel(p thidua.Period) string {
	return bot.Escape(p.Name) + " (" + r.date(p.Due) + ")"
}

func (r *Router) editPeriod(q *request, b *thidua.Block, rest string) error {
	a, err := q.manager(b)
	if err != nil {
		return err
	}
	ref, spec, ok := strings.Cut(rest, "|")
	if !ok || strings.TrimSpace(ref) == "" {
		return q.usage(msgPeriodEditBad)
	}
	p, err := r.findPeriod(q, b, ref)
	if err != nil {
		return err
	}
	d, err := thidua.ParsePeriodEdit(spec, b.Year, r.cfg.Location)
	if err != nil {
		return badInput(q, err)
	}
	var before, after thidua.Period
	_, err = q.update(func(b *thidua.Block) error {
		before, after, err = b.EditPeriod(a, p.ID, d, r.now())
		return err
	})
	if errors.Is(err, thidua.ErrPeriodExists) {
		return badInput(q, err)
	} else if err != nil {
		return err
	}
	if before.String() == after.String() {
		return q.reply(msgPeriodUnchanged.F(q.lang, r.periodLabel(after)))
	}
	text := msgPeriodEdited.F(q.lang, r.periodLabel(before), r.periodLabel(after))
	if !after.Due.Equal(before.Due) && b.IsLate(after, r.now()) {
		text += msgPeriodPastWarn.F(q.lang, bot.Escape(after.Name))
	}
	return q.reply(text)
}

// deletePeriod deletes a period without reports at once, and asks for
// confirmation with buttons when units have reported for it.
func (r *Router) deletePeriod(q *request, b *thidua.Block, rest string) error {
	a, err := q.manager(b)
	if err != nil {
		return err
	}
	if rest == "" {
		return q.usage(msgPeriodDeleteWhich)
	}
	p, err := r.findPeriod(q, b, rest)
	if err != nil {
		return err
	}
	if n := b.ReportCount(p.ID); n > 0 {
		kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonData(msgPeriodDeleteYes.F(q.lang, n), cbDeletePeriod+":"+p.ID),
			tgbotapi.NewInlineKeyboardButtonData(msgCancelBtn.In(q.lang), cbCancel),
		))
		_, err := q.send(msgPeriodDeleteAsk.F(q.lang, r.periodLabel(p), n), &kb)
		return err
	}
	var shown []thidua.ReportDraft
	b, err = q.update(func(b *thidua.Block) error {
		shown = shownDrafts(b)
		_, _, err := b.DeletePeriod(a, p.ID, false, r.now())
		return err
	})
	if err != nil {
		return err
	}
	r.retirePeriodDrafts(q, shown, b, p)
	return q.reply(msgPeriodDeleted.F(q.lang, r.periodLabel(p), bot.Escape(a.Name)))
}

// confirmDeletePeriod deletes a period with its reports, as confirmed.
func (r *Router) confirmDeletePeriod(q *request, args []string) error {
	if len(args) != 1 {
		return q.answer(msgStaleButton.In(q.lang), true)
	}
	_, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	var gone thidua.Period
	var n int
	var shown []thidua.ReportDraft
	b, err := q.update(func(b *thidua.Block) error {
		shown = shownDrafts(b)
		gone, n, err = b.DeletePeriod(a, args[0], true, r.now())
		return err
	})
	if errors.Is(err, thidua.ErrPeriodNotFound) {
		return q.answer(msgStaleButton.In(q.lang), true)
	} else if err != nil {
		return err
	}
	r.retirePeriodDrafts(q, shown, b, gone)
	if err := q.answer("", false); err != nil {
		return err
	}
	text := msgPeriodDeletedN.F(q.lang, r.periodLabel(gone), n, bot.Escape(a.Name))
	if n == 0 {
		text = msgPeriodDeleted.F(q.lang, r.periodLabel(gone), bot.Escape(a.Name))
	}
	return q.edit(q.chat.ID, q.callback.Message.MessageID, text, nil)
}

// report records a unit's report typed in one message, or starts filling it
// in step by step when only the period is named.
func (r *Router) report(q *request) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	a, unitID, rest, err := r.actingUnit(q, b)
	if err != nil {
		return err
	}
	lines := argLines(rest)
	if len(lines) == 0 {
		return q.usage(msgReportWhich, r.periodChoices(q.lang, b))
	}
	p, err := r.findPeriod(q, b, lines[0])
	if err != nil {
		return err
	}
	if err := b.CanReport(a, unitID, p.ID); err != nil {
		return err
	}
	if len(lines) == 1 {
		return r.startDraft(q, a, unitID, p)
	}
	entries := lines[1:]
	parsed, err := parseLines(q, entries, thidua.ParseReportLine)
	if err != nil {
		return err
	}
	// What the change finds and makes, in one variable: the write's
	// function, which sets it, makes it escape, and a report is frequent.
	var out struct {
		rep   thidua.Report
		shown []thidua.ReportDraft // the drafts it may replace
	}
	b, err = q.updateParts(thidua.PartResults, func(b *thidua.Block) error {
		out.shown = shownDrafts(b)
		var err error
		out.rep, err = b.SubmitReport(a, unitID, p.ID, parsed, r.now())
		return err
	})
	if err != nil {
		if q.redelivered {
			r.retireReportedDraft(q, unitID, p.ID)
		}
		return lineFailure(q, entries, err)
	}
	r.retireDrafts(q, out.shown, b, unitID, p.ID)
	m, err := q.send(r.reportText(q.lang, b, out.rep, 0), nil)
	if err != nil {
		return err
	}
	r.noteReport(q.ctx, b, m.MessageID, out.rep)
	return nil
}

// retireReportedDraft takes the buttons off the draft that the unit's
// current report for the period replaced (see retireReplacedDraft), for a
// /report delivered again after its change was stored, and answered
// "already recorded": the first delivery did so after its answer. It
// costs a read of the block, on that rare path only: a /report sets no
// replay, which would cost every report an allocation.
func (r *Router) retireReportedDraft(q *request, unitID, periodID string) {
	if b, err := r.cfg.Store.BlockByChat(q.ctx, q.chat.ID); err == nil {
		rep, _ := b.Report(unitID, periodID)
		r.retireReplacedDraft(q, b, unitID, periodID, rep.ReplacedDraft)
	}
}

// reportNote prefixes the note of a message confirming a report (see
// noteReport).
const reportNote = "report:"

// noteReport notes (storage.Store.NoteMessage) that the bot's message in
// the block's chat confirms or shows the report's current submission, so that
// evidence sent in reply to it is attached to the report (see
// reportByMessage): "report:chat:unit:period:revision". The chat is part of
// the note because message ids start again when a group moves to a new
// chat: a note of the old chat written after the move (by a replica whose
// batch of notes was still waiting) must not be taken for the new chat's
// message of the same id. A failure is logged: the report is saved, and
// evidence can still follow a later confirmation or /myreport.
func (r *Router) noteReport(ctx context.Context, b *thidua.Block, messageID int, rep thidua.Report) {
	note := reportNote + strconv.FormatInt(b.ChatID, 10) + ":" + rep.UnitID + ":" + rep.PeriodID + ":" + strconv.Itoa(rep.Revision)
	if err := r.cfg.Store.NoteMessage(ctx, b.ID, messageID, note); err != nil {
		r.cfg.Log.Warn("report message not noted", "block", b.ID, "err", err)
	}
}

// reportByMessage returns the report that the bot's message confirms, in
// its current or an earlier submission that the report keeps: from the
// message's note if it was made in the block's chat (notes of the previous
// release, "report:unit:period:revision", name no chat: MoveChat deleted
// them at once then), or as a document of an earlier release recorded it.
// It also returns the id of the period the note names, "" without one: a
// report not found may be one of a year the block turned from since (see
// closedYear).
func (r *Router) reportByMessage(q *request, b *thidua.Block, messageID int) (thidua.Report, string, bool, error) {
	note, err := r.cfg.Store.MessageNote(q.ctx, b.ID, messageID)
	if err != nil {
		return thidua.Report{}, "", false, err
	}
	ids, ok := strings.CutPrefix(note, reportNote)
	if !ok {
		rep, ok := b.ReportByMessage(messageID)
		return rep, "", ok, nil
	}
	parts := strings.Split(ids, ":")
	revision, err := strconv.Atoi(parts[len(parts)-1])
	if len(parts) < 3 || len(parts) > 4 || err != nil {
		return thidua.Report{}, "", false, fmt.Errorf("message %d has a note that is not a report's: %q", messageID, note)
	}
	if len(parts) == 4 {
		if parts[0] != strconv.FormatInt(b.ChatID, 10) {
			return thidua.Report{}, "", false, nil // a message of the chat the group left
		}
		parts = parts[1:]
	}
	rep, ok := b.ReportRevision(parts[0], parts[1], revision)
	return rep, parts[1], ok, nil
}

// closedYear looks back through the years the block turned from (see
// confirmNewYear), newest first, for the one whose block, as kept at the
// turn (ArchiveYear), holds what held looks for, until a year is missing.
// It returns that year: a report or a draft of it takes nothing more.
func (r *Router) closedYear(q *request, b *thidua.Block, held func(past *thidua.Block) bool) (int, bool, error) {
	for year := b.Year - 1; ; year-- {
		past, err := r.cfg.Store.ArchivedYear(q.ctx, b.ID, year)
		if errors.Is(err, storage.ErrNotFound) {
			return 0, false, nil
		} else if err != nil {
			return 0, false, wrapStore(err)
		}
		if held(past) {
			return past.Year, true, nil
		}
	}
}

// reportText confirms a submitted report: who sent it and when, whether it
// was late or replaced an earlier one, the value of each pledge reported by
// number against its target, the pledges not reported, where to see the
// titles and notes, and how to attach evidence. The values are short, one
// line each without the pledge's title: the person reporting typed them by
// number, and a group sees every unit's confirmation. With a budget above
// 0 (for a message edited in place, which cannot be split) the values are
// cut to fit. Without one, as for every /report, the text is written in
// one buffer on the stack, the values straight into it (see
// appendValueLines), and copied once into its string.
func (r *Router) reportText(l bot.Lang, b *thidua.Block, rep thidua.Report, budget int) string {
	p := b.Period(rep.PeriodID)
	var headBuf [3]string // the report saved, late, replaced
	var tailBuf [5]string // missing, overshoots, details, a blank line, the evidence hint
	head := append(headBuf[:0], msgReportSaved.Fill(l, bot.Escape(p.Name), bot.Escape(b.UnitName(rep.UnitID)),
		bot.Escape(rep.Submitted.Name), thidua.FormatDateTime(rep.Submitted.At, r.cfg.Location)))
	if b.ReportLate(rep.UnitID, *p, rep.Submitted.At) {
		head = append(head, msgReportLate.Fill(l, r.date(p.Due)))
	}
	if n := len(rep.Earlier); rep.Revision > 1 && n > 0 {
		head = append(head, r.replacedLine(l, rep.Earlier[n-1]))
	}
	pledges := b.RegistrationOf(rep.UnitID).Pledges
	ref := periodRef(b, rep.Submitted.UserID, rep.UnitID, *p)
	tail := tailBuf[:0]
	if missing := missingLine(l, pledges, rep.Submission); missing != "" {
		tail = append(tail, missing)
	}
	if over := r.overshoots(l, pledges, rep.Entries); over != "" {
		tail = append(tail, msgOvershoot.Fill(l, over, msgOvershootResend.Fill(l, ref)))
	}
	tail = append(tail, msgReportDetails.Fill(l, ref), "", msgEvidenceHint.In(l))
	if budget > 0 {
		return r.withEntries(l, head, r.valueLines(l, pledges, rep.Submission), tail, budget)
	}
	var buf [2048]byte
	text := buf[:0]
	for _, line := range head {
		text = append(append(text, line...), '\n')
	}
	text, _ = r.appendValueLines(text, nil, l, pledges, rep.Submission)
	for i, line := range tail {
		if i > 0 {
			text = append(text, '\n')
		}
		text = append(text, line...)
	}
	return string(text)
}

// overshoots names the values among entries so far above their pledge's
// target that they are likely typos (see thidua.Entry.Overshoots), each by
// the pledge's number, with its target, for the warning of a report's
// confirmation or of a draft's summary (msgOvershoot); "" when there is
// none, which costs no allocation, a report being frequent.
func (r *Router) overshoots(l bot.Lang, pledges []thidua.Pledge, entries []thidua.Entry) string {
	over := thidua.Overshooting(pledges, entries)
	if over == nil {
		return ""
	}
	items := make([]string, len(over))
	sub := thidua.Submission{Entries: entries}
	for k, i := range over {
		p := pledges[i]
		e, _ := sub.Entry(p.ID)
		value := bot.Escape(e.ValueText(p))
		if e.OfTarget {
			value = msgShareOfTarget.Fill(l, thidua.FormatNumber(e.Value))
		}
		items[k] = msgOvershootItem.Fill(l, strconv.Itoa(i+1), value, bot.Escape(p.Target.String()))
	}
	return strings.Join(items, "; ")
}

// valueLines returns the line of each of the pledges that the submission
// reports, by number against its target (see appendValueLines), for a
// message cut to fit (see withEntries): substrings of one string.
func (r *Router) valueLines(l bot.Lang, pledges []thidua.Pledge, s thidua.Submission) []string {
	text, ends := r.appendValueLines(nil, make([]int, 0, len(s.Entries)), l, pledges, s)
	all := string(text)
	values := make([]string, len(ends))
	start := 0
	for i, end := range ends {
		values[i] = all[start : end-1] // without its line end
		start = end
	}
	return values
}

// appendValueLines appends to text the line of each of the pledges that
// the submission reports (see appendValueLine), each ended by a line end,
// and returns text with the offset in it of each line's end appended to
// ends; with ends nil, it records none.
func (r *Router) appendValueLines(text []byte, ends []int, l bot.Lang, pledges []thidua.Pledge, s thidua.Submission) ([]byte, []int) {
	entries := entryCursor{entries: s.Entries}
	for i, pl := range pledges {
		if e, ok := entries.of(pl.ID); ok {
			text = append(r.appendValueLine(text, l, i+1, pl, e), '\n')
			if ends != nil {
				ends = append(ends, len(text))
			}
		}
	}
	return text, ends
}

// missingLine returns the line naming the pledges that the submission does
// not report, by number (see reportMissing), "" when it reports all.
func missingLine(l bot.Lang, pledges []thidua.Pledge, s thidua.Submission) string {
	var numbers []string
	entries := entryCursor{entries: s.Entries}
	for i, pl := range pledges {
		if _, ok := entries.of(pl.ID); !ok {
			numbers = append(numbers, strconv.Itoa(i+1))
		}
	}
	if len(numbers) == 0 {
		return ""
	}
	return reportMissing(numbers).Fill(l, strings.Join(numbers, ", "))
}

// entryCursor finds the entries of a submission for its unit's pledges,
// pledge after pledge: a report's entries follow the order of the pledges
// (see thidua.Submission), so that the entry of a pledge is most often the
// one after the previous pledge's, which it looks at first; else (a
// draft's answers come in the order given, an entry's pledge may be gone)
// it looks the pledge up as thidua.Submission.Entry does. The entries it
// took in order are those of earlier pledges, whose ids differ (a unit's
// pledges have ids of their own, thidua.Block.seq), so the one
// it takes is the first of the pledge's, as Entry's.
type entryCursor struct {
	entries []thidua.Entry
	next    int // the entry after the last taken in order
}

// of returns the entry of the pledge, as thidua.Submission.Entry does.
func (c *entryCursor) of(pledgeID string) (thidua.Entry, bool) {
	if c.next < len(c.entries) && c.entries[c.next].PledgeID == pledgeID {
		c.next++
		return c.entries[c.next-1], true
	}
	return thidua.Submission{Entries: c.entries}.Entry(pledgeID)
}

// appendValueLine appends to dst the line giving the pledge's value in a
// report's confirmation: its number no and its value (see appendValueText),
// written into buffers on the stack rather than as a string for each, a
// report writing one line for each of its values.
func (r *Router) appendValueLine(dst []byte, l bot.Lang, no int, p thidua.Pledge, e thidua.Entry) []byte {
	var number [20]byte
	var value [128]byte
	return msgValueLine.AppendFill(dst, l, strconv.AppendInt(number[:0], int64(no), 10), r.appendValueText(value[:0], l, p, e))
}

// replacedLine is the line of a report's confirmation that names the
// submission it replaced, by its number, sender and time.
func (r *Router) replacedLine(l bot.Lang, was thidua.Submission) string {
	return msgReportReplaced.Fill(l, strconv.Itoa(was.Revision), bot.Escape(was.Submitted.Name), thidua.FormatDateTime(was.Submitted.At, r.cfg.Location))
}

// reportMissing returns the line of a report's confirmation that names the
// pledges not reported by number: in English "pledge 3" for one, "pledges
// 2, 3" for more. The count is no argument of the text, so no choice of
// the text could agree with it.
func reportMissing(missing []string) bot.T {
	if len(missing) == 1 {
		return msgReportMissingOne
	}
	return msgReportMissing
}

// periodRef writes the period, escaped, as the user is to name it in a
// command acting for the unit (/myreport, /report): "#3 Quý I" unless the
// user represents the unit, for a command without #số acts for the
// asker's own unit.
func periodRef(b *thidua.Block, userID int64, unitID string, p thidua.Period) string {
	ref := bot.Escape(p.Name)
	if rp := b.RepOf(userID); rp == nil || rp.UnitID != unitID {
		ref = "#" + strconv.Itoa(unitNumber(b, unitID)) + " " + ref
	}
	return ref
}

// withEntries joins a message's head, its lines of pledges and its tail;
// with a budget above 0 (UTF-16 units) the lines of pledges are cut to fit
// it, and to keep the message within the entities Telegram keeps.
func (r *Router) withEntries(l bot.Lang, head, entries, tail []string, budget int) string {
	if budget > 0 {
		entries = clipLines(l, entries, roomAfter(budget-40, slices.Concat(head, tail)))
	}
	return strings.Join(slices.Concat(head, entries, tail), "\n")
}

// clipLines keeps the first lines that fit in the room left, saying how
// many were left out (in a line that needs 40 UTF-16 units and no entity).
func clipLines(l bot.Lang, lines []string, left room) []string {
	for i, line := range lines {
		if !left.take(line, 1) {
			return append(slices.Clone(lines[:i]), msgMoreLines.Fill(l, strconv.Itoa(len(lines)-i)))
		}
	}
	return lines
}

// entryLines renders the unit's pledges, numbered, each with its title and
// its value in entries (or "not reported").
func (r *Router) entryLines(l bot.Lang, pledges []thidua.Pledge, entries []thidua.Entry) []string {
	sub := thidua.Submission{Entries: entries}
	out := make([]string, len(pledges))
	for i, p := range pledges {
		e, ok := sub.Entry(p.ID)
		out[i] = msgEntryLine.F(l, i+1, bot.Escape(shorten(p.Title, 100)), r.entryValue(l, p, e, ok))
	}
	return out
}

// entryValue writes a pledge's value (see valueText), marked ⚠️ when it is
// likely a typo (see thidua.Entry.Overshoots), and its note, or "not
// reported" when ok is false.
func (r *Router) entryValue(l bot.Lang, p thidua.Pledge, e thidua.Entry, ok bool) string {
	if !ok {
		return msgEntryNone.In(l)
	}
	s := r.valueText(l, p, e)
	if e.Overshoots(p) {
		s += " ⚠️"
	}
	if e.Note != "" {
		s += " — <i>" + bot.Escape(e.Note) + "</i>"
	}
	return s
}

// valueText writes a reported value against the pledge's target with the
// completion (see appendValueText).
func (r *Router) valueText(l bot.Lang, p thidua.Pledge, e thidua.Entry) string {
	var buf [256]byte
	return string(r.appendValueText(buf[:0], l, p, e))
}

// appendValueText appends to dst a reported value against the pledge's
// target with the completion ("45 nhà / 50 nhà (90%)", "60% của 50 nhà"),
// or, for a target without a number, as a share of it ("60% chỉ tiêu",
// which thidua.Entry.ValueText writes in Vietnamese only). The value, the
// target and the completion are written one after the other in a buffer
// on the stack, the value and the target escaped from thidua's text in
// another one, and filled into the message from there. The buffers hold
// the values and targets of most pledges; longer ones grow onto the heap.
func (r *Router) appendValueText(dst []byte, l bot.Lang, p thidua.Pledge, e thidua.Entry) []byte {
	var raw [64]byte    // a value or target as thidua writes it
	var parts [128]byte // the message's arguments
	c, measurable := e.Completion(p)
	switch {
	case measurable && e.OfTarget:
		pct := appendPercent(parts[:0], l, c)
		all := bot.AppendEscape(pct, p.Target.AppendString(raw[:0]))
		return msgEntryLevel.AppendFill(dst, l, all[:len(pct)], all[len(pct):])
	case e.OfTarget:
		return msgShareOfTarget.AppendFill(dst, l, thidua.AppendNumber(parts[:0], e.Value))
	}
	value := bot.AppendEscape(parts[:0], e.AppendValueText(raw[:0], p))
	if !measurable {
		return append(dst, value...)
	}
	all := bot.AppendEscape(value, p.Target.AppendString(raw[:0]))
	target := len(all) // where the target ends and the completion starts
	all = appendPercent(all, l, c)
	return msgEntryOfTarget.AppendFill(dst, l, all[:len(value)], all[len(value):target], all[target:])
}

// percent writes a completion rounded to a whole percent, capped at
// thidua.CompletionCap (see appendPercent).
func percent(l bot.Lang, c float64) string {
	var buf [32]byte
	return string(appendPercent(buf[:0], l, c))
}

// appendPercent appends to dst a completion rounded to a whole percent,
// capped at thidua.CompletionCap.
func appendPercent(dst []byte, l bot.Lang, c float64) []byte {
	var number [32]byte
	if c > thidua.CompletionCap {
		return msgPctOver.AppendFill(dst, l, strconv.AppendInt(number[:0], thidua.CompletionCap, 10))
	}
	return msgPct.AppendFill(dst, l, thidua.AppendNumber(number[:0], math.Round(c)))
}

// replyToReport handles a group message replying to one of the bot's: a
// photo or document replying to a report's confirmation is evidence for
// that report; text replying to a report draft is the value of its current
// step; either replying to a draft that is gone is told so. Other replies
// are not the bot's business: the router calls it only for replies to the
// bot's messages (see isOurs).
func (r *Router) replyToReport(q *request) error {
	to := q.msg.ReplyToMessage
	media := q.msg.Document != nil || len(q.msg.Photo) > 0
	if !media && q.msg.Text == "" {
		return nil
	}
	b, err := q.block()
	if errors.Is(err, errNoBlock) {
		if media {
			_, err = q.lateFromOldGroup(false)
		}
		return err
	} else if err != nil {
		return err
	}
	if media {
		rep, periodID, ok, err := r.reportByMessage(q, b, to.MessageID)
		if err != nil {
			return err
		} else if ok {
			return r.attachEvidence(q, rep)
		}
		if _, ok := b.DraftByMessage(to.MessageID); ok {
			return r.refuseFile(q, msgEvidenceNotYet.In(q.lang))
		}
		if invitesEvidence(to.Text) {
			// A confirmation whose note is gone: trimmed as the chat's
			// messages went on, dropped when the group moved, or lost in
			// a crash before it was written; or one of a year closed since.
			if periodID != "" && b.Period(periodID) == nil {
				year, closed, err := r.closedYear(q, b, func(past *thidua.Block) bool { return past.Period(periodID) != nil })
				if err != nil {
					return err
				} else if closed {
					return r.refuseFile(q, msgEvidenceClosed.F(q.lang, year, year+1))
				}
			}
			return r.refuseFile(q, msgEvidenceLost.In(q.lang))
		}
	} else if d, ok := b.DraftByMessage(to.MessageID); ok {
		return r.draftReply(q, b, d)
	}
	if showsDraft(to.Text) {
		// A draft sent in one message meanwhile, started again, deleted
		// with its period, or left open when the year turned.
		year, closed, err := r.closedYear(q, b, func(past *thidua.Block) bool {
			_, ok := past.DraftByMessage(to.MessageID)
			return ok && past.ChatID == b.ChatID
		})
		if err != nil {
			return err
		} else if closed {
			return r.refuseFile(q, msgDraftClosed.F(q.lang, year, year+1))
		}
		return r.refuseFile(q, msgDraftDropped.In(q.lang))
	}
	return nil
}

// albumClaimTTL is how long the bot remembers that it answered an album
// it took nothing from (see replyOncePerAlbum): Telegram delivers an
// album's messages together.
const albumClaimTTL = time.Hour

// refuseFile answers with text a message replying to one of the bot's
// that the bot takes nothing from, once for an album (see
// replyOncePerAlbum).
func (r *Router) refuseFile(q *request, text string) error {
	if q.msg.MediaGroupID == "" {
		return q.reply(text)
	}
	b, err := q.block()
	if err != nil {
		return err
	}
	return r.replyOncePerAlbum(q, b.ID, text)
}

// replyOncePerAlbum answers the message with text; for a file of an album,
// only the first file to come: Telegram sends an album as one message per
// file, and each would get the same answer. The album is claimed in the
// store under scope, where it was sent (see storage.Store.Claim), once
// across the replicas.
func (r *Router) replyOncePerAlbum(q *request, scope, text string) error {
	if album := q.msg.MediaGroupID; album != "" {
		first, err := r.cfg.Store.Claim(q.ctx, scope+":album:"+album, albumClaimTTL)
		if err != nil {
			return wrapStore(err)
		} else if !first {
			return nil
		}
	}
	return q.reply(text)
}

// invitesEvidence reports whether the text of one of the bot's messages asks
// for evidence in reply to it (msgEvidenceHint), in either language.
func invitesEvidence(text string) bool {
	for _, l := range []bot.Lang{bot.VI, bot.EN} {
		if strings.Contains(text, msgEvidenceHint.In(l)) {
			return true
		}
	}
	return false
}

// attachEvidence attaches the photo or document of the message to the
// report. A file of an album is answered as the album (see answerAlbum).
func (r *Router) attachEvidence(q *request, rep thidua.Report) error {
	a, err := q.actor()
	if err != nil {
		return err
	}
	e := thidua.Evidence{Kind: thidua.EvidencePhoto, Caption: q.msg.Caption, Album: q.msg.MediaGroupID}
	what := msgEvidencePhoto.In(q.lang)
	if d := q.msg.Document; d != nil {
		e.Kind, e.FileID, e.Name = thidua.EvidenceDocument, d.FileID, d.FileName
		what = msgEvidenceDoc.F(q.lang, bot.Escape(shorten(d.FileName, 60)))
	} else {
		e.FileID = q.msg.Photo[len(q.msg.Photo)-1].FileID // the largest size
	}
	unitID, periodID := rep.UnitID, rep.PeriodID
	b, err := q.update(func(b *thidua.Block) error {
		var err error
		rep, err = b.AttachEvidence(a, unitID, periodID, e, r.now())
		return err
	})
	full := errors.Is(err, thidua.ErrTooMuchEvidence)
	if full && e.Album != "" {
		// The album's files that fit are attached: its answer says the
		// others are not.
		if b, err = q.block(); err == nil {
			rep, _ = b.Report(unitID, periodID)
		}
	} else if thidua.IsDomain(err) && e.Album != "" {
		return r.refuseFile(q, domainMessage(err, q))
	}
	if err != nil {
		return err
	}
	if e.Album != "" {
		return r.answerAlbum(q, b, a, rep, e.Album, full)
	}
	p := b.Period(periodID)
	return q.reply(msgEvidenceSaved.F(q.lang, what, bot.Escape(p.Name), bot.Escape(b.UnitName(unitID)), len(rep.Evidence), periodRef(b, a.UserID, unitID, *p)))
}

// answerAlbum answers a file of the album attached to the report, or
// refused when the report was full: Telegram sends an album as one message
// per file, and the group would get an answer for each. The album's first
// file is answered, and the block remembers the answer (SetAlbumAnswer);
// the later files edit it to count them, or to say that the report is full
// and the rest of the album is not attached. An album none of whose files
// fit is refused once (see refuseFile).
func (r *Router) answerAlbum(q *request, b *thidua.Block, a thidua.Actor, rep thidua.Report, album string, full bool) error {
	n, answer := rep.Album(album)
	if full && answer == 0 {
		return r.refuseFile(q, domainMessage(thidua.ErrTooMuchEvidence, q))
	}
	p := b.Period(rep.PeriodID)
	text := msgEvidenceAlbum.F(q.lang, n, bot.Escape(p.Name), bot.Escape(b.UnitName(rep.UnitID)), len(rep.Evidence), periodRef(b, a.UserID, rep.UnitID, *p))
	if full {
		text += "\n" + msgEvidenceAlbumFull.F(q.lang, thidua.MaxEvidence)
	}
	if answer != 0 {
		return q.edit(q.chat.ID, answer, text, nil)
	}
	m, err := q.send(text, nil)
	if err != nil {
		return err
	}
	r.remember(q.ctx, b.ID, "album answer", thidua.PartResults, func(b *thidua.Block) error {
		return b.SetAlbumAnswer(rep.UnitID, rep.PeriodID, album, m.MessageID)
	})
	return nil
}

// myReport shows what a unit reported for a period (by default the latest
// it reported for), its earlier submissions and its evidence, with buttons
// to have the evidence sent again. Its message takes evidence in reply, as
// the report's confirmation does (/myreport is a command of the block's
// chat): evidence can follow a report long after its confirmation scrolled
// away.
func (r *Router) myReport(q *request) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	a, unitID, rest, err := r.actingUnit(q, b)
	if err != nil {
		return err
	}
	if !b.CanActFor(a, unitID) && !b.CanManage(a) {
		return q.refuse(msgMyReportNotYours)
	}
	l, unit := q.lang, bot.Escape(b.UnitName(unitID))
	var reported []thidua.Period
	for _, p := range b.Periods() {
		if _, ok := b.Report(unitID, p.ID); ok {
			reported = append(reported, p)
		}
	}
	var p thidua.Period
	switch {
	case rest != "":
		if p, err = r.findPeriod(q, b, rest); err != nil {
			return err
		}
	case len(reported) == 0:
		return q.reply(msgMyReportNone.F(l, unit))
	default:
		p = reported[len(reported)-1]
	}
	rep, ok := b.Report(unitID, p.ID)
	if !ok {
		return q.reply(msgMyReportNotFor.F(l, unit, bot.Escape(p.Name), r.date(p.Due), periodRef(b, a.UserID, unitID, p)))
	}
	lines := []string{msgMyReportHead.F(l, bot.Escape(p.Name), unit, r.date(p.Due)), r.submissionLine(l, b, p, rep.UnitID, rep.Submission)}
	pledges := b.RegistrationOf(unitID).Pledges
	lines = append(lines, r.entryLines(l, pledges, rep.Entries)...)
	if thidua.Overshooting(pledges, rep.Entries) != nil {
		lines = append(lines, msgOvershootMarked.Fill(l, periodRef(b, a.UserID, unitID, p)))
	}
	if len(rep.Earlier) > 0 {
		lines = append(lines, "", msgEarlierHead.In(l))
		for _, s := range slices.Backward(rep.Earlier) {
			lines = append(lines, "• "+r.submissionLine(l, b, p, rep.UnitID, s))
		}
	}
	lines = append(lines, "")
	var kb *tgbotapi.InlineKeyboardMarkup
	if len(rep.Evidence) == 0 {
		lines = append(lines, msgEvidenceNone.In(l))
	} else {
		lines = append(lines, msgEvidenceHead.F(l, len(rep.Evidence)))
		for i, e := range rep.Evidence {
			lines = append(lines, msgEvidenceLine.F(l, evidenceIcon(e), i+1, r.evidenceName(l, e), bot.Escape(e.Added.Name), thidua.FormatDateTime(e.Added.At, r.cfg.Location)))
		}
		lines = append(lines, msgEvidenceResend.In(l))
		kb = evidenceKeyboard(l, rep)
	}
	if len(reported) > 1 {
		names := make([]string, len(reported))
		for i, o := range reported {
			names[i] = bot.Escape(o.Name)
		}
		lines = append(lines, "", msgOtherPeriods.F(l, strings.Join(names, ", ")))
	}
	// Evidence may be sent in reply to this message too, as to the
	// report's confirmation.
	lines = append(lines, "", msgEvidenceHint.In(l))
	m, err := q.send(strings.Join(lines, "\n"), kb)
	if err != nil {
		return err
	}
	r.noteReport(q.ctx, b, m.MessageID, rep)
	return nil
}

// submissionLine says who sent a submission, when, and whether it was late.
func (r *Router) submissionLine(l bot.Lang, b *thidua.Block, p thidua.Period, unitID string, s thidua.Submission) string {
	when := msgOnTime.In(l)
	if b.ReportLate(unitID, p, s.Submitted.At) {
		when = msgLate.In(l)
	}
	return msgSubmissionLine.F(l, s.Revision, bot.Escape(s.Submitted.Name), thidua.FormatDateTime(s.Submitted.At, r.cfg.Location), when)
}

// evidenceIcon tells a photo from a document.
func evidenceIcon(e thidua.Evidence) string {
	if e.Kind == thidua.EvidenceDocument {
		return "📄"
	}
	return "📷"
}

// evidenceName describes a piece of evidence: its file name or "a photo",
// and its caption.
func (r *Router) evidenceName(l bot.Lang, e thidua.Evidence) string {
	s := msgEvidencePhoto.In(l)
	if e.Kind == thidua.EvidenceDocument {
		s = bot.Escape(e.Name)
	}
	if e.Caption != "" {
		s += " «" + bot.Escape(e.Caption) + "»"
	}
	return s
}

// evidenceKeyboard has one button per piece of evidence, five to a row,
// and one to send them all again.
func evidenceKeyboard(l bot.Lang, rep thidua.Report) *tgbotapi.InlineKeyboardMarkup {
	data := cbEvidence + ":" + rep.UnitID + ":" + rep.PeriodID + ":"
	var rows [][]tgbotapi.InlineKeyboardButton
	for i, e := range rep.Evidence {
		if i%5 == 0 {
			rows = append(rows, nil)
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], tgbotapi.NewInlineKeyboardButtonData(fmt.Sprintf("%s %d", evidenceIcon(e), i+1), data+strconv.Itoa(i+1)))
	}
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(msgResendAll.In(l), data+"a")))
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	return &kb
}

// resendEvidence sends a report's evidence again, by file_id, to those who
// may see the report.
func (r *Router) resendEvidence(q *request, args []string) error {
	if len(args) != 3 {
		return q.answer(msgStaleButton.In(q.lang), true)
	}
	b, err := q.block()
	if err != nil {
		return err
	}
	a, err := q.actor()
	if err != nil {
		return err
	}
	unitID, periodID := args[0], args[1]
	if !b.CanActFor(a, unitID) && !b.CanManage(a) {
		return q.refuse(msgMyReportNotYours)
	}
	rep, ok := b.Report(unitID, periodID)
	if !ok {
		return q.answer(msgStaleButton.In(q.lang), true)
	}
	first, last := 1, len(rep.Evidence)
	if args[2] != "a" {
		n, err := strconv.Atoi(args[2])
		if err != nil || n < 1 || n > len(rep.Evidence) {
			return q.answer(msgStaleButton.In(q.lang), true)
		}
		first, last = n, n
	}
	if err := q.answer(msgResending.F(q.lang, last-first+1), false); err != nil {
		return err
	}
	p := b.Period(periodID)
	for n := first; n <= last; n++ {
		e := rep.Evidence[n-1]
		caption := shorten(msgEvidenceCaption.F(q.lang, n, p.Name, b.UnitName(unitID)), maxCaption)
		if e.Caption != "" {
			caption = shorten(caption+"\n"+e.Caption, maxCaption)
		}
		var c tgbotapi.Chattable
		if e.Kind == thidua.EvidenceDocument {
			d := tgbotapi.NewDocument(q.chat.ID, tgbotapi.FileID(e.FileID))
			d.Caption, d.ReplyToMessageID, d.AllowSendingWithoutReply = caption, q.callback.Message.MessageID, true
			c = d
		} else {
			ph := tgbotapi.NewPhoto(q.chat.ID, tgbotapi.FileID(e.FileID))
			ph.Caption, ph.ReplyToMessageID, ph.AllowSendingWithoutReply = caption, q.callback.Message.MessageID, true
			c = ph
		}
		if _, err := r.sendIn(q.ctx, q.chat.ID, &q.thread, c); err != nil {
			return err
		}
	}
	return nil
}

// progress shows the board: for each period which units reported, on time
// or late, and which are overdue; then every unit's completion of its
// targets, the most advanced first, with its status for each period.
func (r *Router) progress(q *request) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	l, now := q.lang, r.now()
	lines := []string{msgBoardHead.F(l, b.Year, bot.Escape(b.Name), r.date(now))}
	if len(b.Units) == 0 {
		return q.reply(strings.Join(append(lines, msgNoUnits.In(l)), "\n"))
	}
	ps := b.Periods()
	lines = append(lines, "", msgBoardPeriods.In(l))
	if len(ps) == 0 {
		lines = append(lines, msgNoPeriods.In(l))
	}
	board := b.Progress(now)
	notOwed := false // whether a unit joined after a period's deadline
	for i, p := range ps {
		count := map[thidua.ReportStatus]int{}
		var missing []string
		for _, u := range b.Units {
			st := b.ReportStatusOf(u.ID, p, now)
			count[st]++
			if st == thidua.StatusMissing {
				missing = append(missing, bot.Escape(u.Name))
			}
		}
		var parts []string
		for _, st := range []thidua.ReportStatus{thidua.StatusOnTime, thidua.StatusLate, thidua.StatusMissing, thidua.StatusPending, thidua.StatusNotOwed} {
			if count[st] > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", statusIcon[st], count[st]))
			}
		}
		notOwed = notOwed || count[thidua.StatusNotOwed] > 0
		line := msgBoardPeriodLine.F(l, i+1, bot.Escape(p.Name), r.date(p.Due), strings.Join(parts, " · "))
		if len(missing) > 0 {
			line += "\n" + msgBoardMissing.F(l, strings.Join(missing, ", "))
		}
		lines = append(lines, line)
	}
	if notOwed {
		lines = append(lines, msgBoardLegend.In(l)+msgBoardNotOwed.In(l))
	} else if len(ps) > 0 {
		lines = append(lines, msgBoardLegend.In(l))
	}
	lines = append(lines, "", msgBoardCompletion.In(l))
	for i, up := range board {
		head := fmt.Sprintf("%d. <b>%s</b>", i+1, bot.Escape(b.UnitName(up.UnitID)))
		if up.Measurable == 0 {
			head = "• <b>" + bot.Escape(b.UnitName(up.UnitID)) + "</b>"
		}
		detail := "   " + msgBoardNoMeasure.In(l)
		if len(b.RegistrationOf(up.UnitID).Pledges) == 0 {
			detail = "   " + msgSummaryNoPledges.In(l)
		}
		if up.Measurable > 0 {
			detail = "   " + bar(up.Completion) + " " + percent(l, up.Completion)
		}
		if len(up.Statuses) > 0 {
			icons := make([]string, len(up.Statuses))
			for j, st := range up.Statuses {
				icons[j] = statusIcon[st]
			}
			detail += " · " + strings.Join(icons, " ")
		}
		item := head + "\n" + detail
		if n := len(up.Overshooting); n > 0 {
			numbers := make([]string, n)
			for j, k := range up.Overshooting {
				numbers[j] = strconv.Itoa(k + 1)
			}
			item += "\n" + msgBoardOvershoot.F(l, n, strings.Join(numbers, ", "), unitNumber(b, up.UnitID))
		}
		lines = append(lines, item)
	}
	if len(ps) > 0 {
		names := make([]string, len(ps))
		for i, p := range ps {
			names[i] = bot.Escape(p.Name)
		}
		lines = append(lines, "", msgBoardKey.F(l, strings.Join(names, " → ")))
	}
	return q.replyItems(lines) // a unit's lines, or a period's, stay together
}

// statusIcon shows where a unit stands for a period.
var statusIcon = map[thidua.ReportStatus]string{
	thidua.StatusOnTime:  "✅",
	thidua.StatusLate:    "⏰",
	thidua.StatusMissing: "❌",
	thidua.StatusPending: "…",
	thidua.StatusNotOwed: "—",
}

// barCells is the width of the completion bar.
const barCells = 10

// bar draws a completion in % as a bar of barCells cells: ▓▓▓▓▓▓▓░░░. The
// cells agree with the percent written beside it (see percent): the bar is
// full only when that reads 100% or more, so that a unit short of a target
// does not look done, and empty only when it reads 0%.
func bar(pct float64) string {
	shown := math.Round(min(max(pct, 0), 100))
	full := int(math.Round(shown / 100 * barCells))
	switch {
	case shown < 100 && full == barCells:
		full--
	case shown > 0 && full == 0:
		full++
	}
	return strings.Repeat("▓", full) + strings.Repeat("░", barCells-full)
}
