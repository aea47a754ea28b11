package handlers

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/thidua"
)

// This file holds registration (đăng ký thi đua): the units' pledges
// (/pledge, /editpledge, /delpledge, /pledges), their submission and
// review (/submit, /approve, /return), and registration opened and closed
// for the block or for one unit alone (/openreg, /closereg). The covenant,
// the criteria and the summary have files of their own.

// registerRegistration registers the commands of registration, with the
// criteria's and the covenant's (see registerCriteria, registerCovenant)
// where they stand in /help and the menus.
func (r *Router) registerRegistration() {
	r.add(&command{
		name: "pledge", aliases: []string{"dangky"}, where: inGroup, who: roleRep,
		usage:      bot.T{VI: "[#số đơn vị] <nội dung> | <chỉ tiêu> | <hạn dd/mm/yyyy> (mỗi dòng một nội dung)", EN: "[#unit number] <title> | <target> | <due dd/mm/yyyy> (one per line)"},
		example:    bot.T{VI: "/pledge Vận động xây 50 nhà đại đoàn kết | 50 nhà | 30/11/{year}\nPhát triển hội viên mới | 1.200 hội viên", EN: "/pledge Vận động xây 50 nhà đại đoàn kết | 50 nhà | 30/11/{year}\nPhát triển hội viên mới | 1.200 hội viên"},
		desc:       bot.T{VI: "Đăng ký nội dung thi đua của đơn vị", EN: "Register your unit's pledge items"},
		run:        r.addPledges,
		writeFirst: true,
	})
	r.add(&command{
		name: "pledges", aliases: []string{"dsdangky"}, where: inGroup, who: roleAnyone,
		usage:   bot.T{VI: "[số thứ tự hoặc tên đơn vị]", EN: "[unit number or name]"},
		example: bot.T{VI: "/pledges Hội Nông dân tỉnh", EN: "/pledges Hội Nông dân tỉnh"},
		desc:    bot.T{VI: "Xem nội dung đăng ký thi đua của một đơn vị", EN: "A unit's pledge items and their state"},
		run:     r.listPledges,
	})
	r.add(&command{
		name: "editpledge", aliases: []string{"suadangky"}, where: inGroup, who: roleRep,
		usage:   bot.T{VI: "[#số đơn vị] <số thứ tự> <nội dung> | <chỉ tiêu> | <hạn dd/mm/yyyy>", EN: "[#unit number] <number> <title> | <target> | <due dd/mm/yyyy>"},
		example: bot.T{VI: "/editpledge 2 Phát triển hội viên mới | 1.500 hội viên | 31/10/{year}", EN: "/editpledge 2 Phát triển hội viên mới | 1.500 hội viên | 31/10/{year}"},
		desc:    bot.T{VI: "Sửa một nội dung đăng ký thi đua (thay cả dòng)", EN: "Replace one pledge item"},
		run:     r.editPledge,
	})
	r.add(&command{
		name: "delpledge", aliases: []string{"xoadangky"}, where: inGroup, who: roleRep,
		usage:   bot.T{VI: "[#số đơn vị] <số thứ tự>", EN: "[#unit number] <number>"},
		example: bot.T{VI: "/delpledge 2", EN: "/delpledge 2"},
		desc:    bot.T{VI: "Xoá một nội dung đăng ký thi đua", EN: "Remove one pledge item"},
		run:     r.deletePledge,
	})
	r.add(&command{
		name: "submit", aliases: []string{"guidangky"}, where: inGroup, who: roleRep,
		usage:   bot.T{VI: "[#số đơn vị]", EN: "[#unit number]"},
		example: bot.T{VI: "/submit", EN: "/submit"},
		desc:    bot.T{VI: "Gửi danh sách đăng ký thi đua của đơn vị để Khối trưởng duyệt", EN: "Send your unit's pledge list for approval"},
		run:     r.submitPledges,
	})
	r.add(&command{
		name: "summary", aliases: []string{"tonghop"}, where: inGroup, who: roleAnyone,
		desc: bot.T{VI: "Tổng hợp đăng ký thi đua: tiêu chí và nội dung của mọi đơn vị", EN: "Registration summary: criteria and every unit's pledges"},
		run:  r.summary,
	})
	r.registerCriteria()
	r.add(&command{
		name: "openreg", aliases: []string{"modangky"}, where: inGroup, who: roleManager,
		usage:   bot.T{VI: "[hạn dd/mm/yyyy] · riêng một đơn vị: <số thứ tự hoặc tên đơn vị> [| hạn dd/mm/yyyy]", EN: "[deadline dd/mm/yyyy] · for one unit alone: <unit number or name> [| deadline dd/mm/yyyy]"},
		example: bot.T{VI: "/openreg 31/03/{year}", EN: "/openreg 31/03/{year}"},
		desc:    bot.T{VI: "Mở (hoặc mở lại) đăng ký thi đua cho cả khối hoặc riêng một đơn vị, đổi hạn đăng ký", EN: "Open (or reopen) registration for the block or for one unit alone, or change its deadline"},
		run:     r.openRegistration,
	})
	r.add(&command{
		name: "closereg", aliases: []string{"dongdangky"}, where: inGroup, who: roleManager,
		usage:   bot.T{VI: "[số thứ tự hoặc tên đơn vị: chỉ đóng đăng ký mở riêng cho đơn vị đó]", EN: "[unit number or name: closes only the registration opened for that unit alone]"},
		example: bot.T{VI: "/closereg 8", EN: "/closereg 8"},
		desc:    bot.T{VI: "Đóng đăng ký thi đua (nội dung đăng ký không sửa được nữa), hoặc đóng đăng ký mở riêng cho một đơn vị", EN: "Close registration (pledges are frozen), or registration opened for one unit alone"},
		run:     r.closeRegistration,
	})
	r.add(&command{
		name: "approve", aliases: []string{"duyet"}, where: inGroup, who: roleManager,
		usage:   bot.T{VI: "<số thứ tự hoặc tên đơn vị>", EN: "<unit number or name>"},
		example: bot.T{VI: "/approve Hội Nông dân tỉnh", EN: "/approve Hội Nông dân tỉnh"},
		desc:    bot.T{VI: "Duyệt danh sách đăng ký thi đua của một đơn vị", EN: "Approve a unit's pledge list"},
		run:     r.approvePledges,
	})
	r.add(&command{
		name: "return", aliases: []string{"tralai"}, where: inGroup, who: roleManager,
		usage:   bot.T{VI: "<số thứ tự hoặc tên đơn vị> | <lý do>", EN: "<unit number or name> | <reason>"},
		example: bot.T{VI: "/return 3 | Nội dung số 2 cần ghi rõ chỉ tiêu", EN: "/return 3 | Nội dung số 2 cần ghi rõ chỉ tiêu"},
		desc:    bot.T{VI: "Trả lại danh sách đăng ký của một đơn vị kèm lý do để sửa", EN: "Return a unit's pledge list with a reason, for changes"},
		run:     r.returnPledges,
	})
	r.describeActions(map[string]bot.T{
		"reg.open":        {VI: "mở đăng ký thi đua", EN: "opened registration"},
		"reg.reopen":      {VI: "mở lại đăng ký thi đua", EN: "reopened registration"},
		"reg.due":         {VI: "đổi hạn đăng ký thi đua", EN: "changed the registration deadline"},
		"reg.close":       {VI: "đóng đăng ký thi đua", EN: "closed registration"},
		"reg.unit_open":   {VI: "mở đăng ký thi đua riêng cho đơn vị", EN: "opened registration for the unit alone"},
		"reg.unit_due":    {VI: "đổi hạn đăng ký riêng của đơn vị", EN: "changed the unit's own registration deadline"},
		"reg.unit_close":  {VI: "đóng đăng ký mở riêng cho đơn vị", EN: "closed registration opened for the unit alone"},
		"pledge.add":      {VI: "thêm nội dung đăng ký", EN: "added a pledge"},
		"pledge.edit":     {VI: "sửa nội dung đăng ký", EN: "edited a pledge"},
		"pledge.delete":   {VI: "xoá nội dung đăng ký", EN: "removed a pledge"},
		"pledges.submit":  {VI: "gửi duyệt danh sách đăng ký", EN: "submitted the pledge list"},
		"pledges.approve": {VI: "duyệt danh sách đăng ký", EN: "approved the pledge list"},
		"pledges.return":  {VI: "trả lại danh sách đăng ký", EN: "returned the pledge list"},
	})
	r.describeErrors(registrationErrors...)
	r.registerCovenant()
	r.onCallback(cbReview, r.reviewPress)
}

// Callback data prefixes of this file.
const (
	cbReview = "rg" // rg:a|r:<unitID>:<round>: a manager approves, or asks how to return, a submitted list
)

// registrationErrors explains the domain errors of registration. Those that
// can answer a button press are plain text of at most 200 characters.
var registrationErrors = []domainError{
	{thidua.ErrRegistrationNotOpen, bot.T{
		VI: "Đăng ký thi đua chưa mở. Quản trị viên nhóm hoặc đầu mối đơn vị Khối trưởng mở bằng /openreg.",
		EN: "Registration has not been opened yet. A group administrator or a representative of the leader unit opens it with /openreg.",
	}},
	{thidua.ErrRegistrationClosed, bot.T{
		VI: "Đăng ký thi đua đã đóng: nội dung đăng ký không thay đổi được cho đến khi Khối trưởng mở lại (/openreg).",
		EN: "Registration is closed: pledges cannot change until a manager reopens it (/openreg).",
	}},
	{thidua.ErrRegistrationOpen, bot.T{
		VI: "Đăng ký thi đua đang mở rồi và hạn không đổi. Đặt hoặc đổi hạn: <code>/openreg dd/mm/yyyy</code>; đóng đăng ký: <code>/closereg</code>.",
		EN: "Registration is already open and its deadline is unchanged. Set or change the deadline: <code>/openreg dd/mm/yyyy</code>; close registration: <code>/closereg</code>.",
	}},
	{thidua.ErrOpenForAll, bot.T{
		VI: "Đăng ký thi đua đang mở cho mọi đơn vị rồi, kể cả đơn vị này. Đổi hạn chung: <code>/openreg dd/mm/yyyy</code>.",
		EN: "Registration is open for every unit already, this one included. To change its deadline: <code>/openreg dd/mm/yyyy</code>.",
	}},
	{thidua.ErrDueInPast, bot.T{
		VI: "Hạn này đã qua. Hãy chọn một ngày từ hôm nay trở đi.",
		EN: "This date has passed. Choose a date from today on.",
	}},
	{thidua.ErrNotYourUnit, bot.T{
		VI: "Xin lỗi, bạn chỉ thay đổi được nội dung đăng ký của đơn vị mình. Quản trị viên nhóm có thể làm thay cho đơn vị.",
		EN: "Sorry, you can change only your own unit's pledges. Group administrators can act for a unit.",
	}},
	{thidua.ErrPledgeFormat, bot.T{
		VI: "Mỗi dòng có tối đa 3 phần, ngăn cách bởi dấu |: nội dung | chỉ tiêu | hạn.",
		EN: "A line has at most 3 parts separated by |: title | target | due date.",
	}},
	{thidua.ErrPledgeTitle, bot.T{
		VI: fmt.Sprintf("Nội dung đăng ký phải có chữ và dài tối đa %d ký tự.", thidua.MaxPledgeLen),
		EN: fmt.Sprintf("The pledge title must have letters and be at most %d characters long.", thidua.MaxPledgeLen),
	}},
	{thidua.ErrTargetNumber, bot.T{
		VI: "Chỉ tiêu bắt đầu bằng số nhưng số này không đọc được. Viết số kiểu Việt Nam rồi đến đơn vị tính, ví dụ 50 nhà, 40%, 25,3 tỷ đồng, 1.200 hội viên; hoặc ghi chỉ tiêu bằng chữ.",
		EN: "The target starts with a number that cannot be read. Write the number the Vietnamese way, then its measure, e.g. 50 nhà, 40%, 25,3 tỷ đồng, 1.200 hội viên; or write the target in words.",
	}},
	{thidua.ErrTargetTooLong, bot.T{
		VI: fmt.Sprintf("Chỉ tiêu dài tối đa %d ký tự.", thidua.MaxTargetLen),
		EN: fmt.Sprintf("A target is at most %d characters long.", thidua.MaxTargetLen),
	}},
	{thidua.ErrTargetIsDate, bot.T{
		VI: "Chỉ tiêu trông như một ngày. Hạn ghi ở phần thứ ba: nội dung | chỉ tiêu | hạn (để trống chỉ tiêu: nội dung | | hạn).",
		EN: "The target looks like a date. The due date is the third part: title | target | due (without a target: title | | due).",
	}},
	{thidua.ErrPledgeDue, bot.T{
		VI: "Hạn không phải một ngày có thật. Viết ngày theo dạng dd/mm/yyyy, ví dụ 30/11/{year}.",
		EN: "The due date is not a real date. Write it as dd/mm/yyyy, e.g. 30/11/{year}.",
	}},
	{thidua.ErrPledgeDueYear, bot.T{
		VI: "Hạn phải nằm trong năm thi đua của khối.",
		EN: "The due date must fall within the block's year.",
	}},
	{thidua.ErrTooManyPledges, bot.T{
		VI: fmt.Sprintf("Mỗi đơn vị đăng ký tối đa %d nội dung.", thidua.MaxPledges),
		EN: fmt.Sprintf("A unit registers at most %d pledges.", thidua.MaxPledges),
	}},
	{thidua.ErrPledgeNotFound, bot.T{
		VI: "Không có nội dung số này trong danh sách của đơn vị. Gửi /pledges để xem số thứ tự.",
		EN: "There is no pledge with this number in the unit's list. Send /pledges to see the numbers.",
	}},
	{thidua.ErrNoPledges, bot.T{
		VI: "Đơn vị chưa đăng ký nội dung nào. Đăng ký bằng /pledge trước khi gửi duyệt.",
		EN: "The unit has registered no pledges. Add them with /pledge before submitting.",
	}},
	{thidua.ErrListSubmitted, bot.T{
		VI: "Danh sách đăng ký của đơn vị đang chờ duyệt nên tạm thời không sửa được. Nếu cần sửa, đề nghị Khối trưởng trả lại (/return).",
		EN: "The unit's pledge list awaits approval and cannot change. To change it, ask a manager to return it (/return).",
	}},
	{thidua.ErrListApproved, bot.T{
		VI: "Danh sách đăng ký của đơn vị đã được duyệt nên không sửa được. Nếu cần sửa, đề nghị Khối trưởng trả lại (/return).",
		EN: "The unit's pledge list is approved and cannot change. To change it, ask a manager to return it (/return).",
	}},
	{thidua.ErrNotSubmitted, bot.T{
		VI: "Đơn vị này chưa gửi danh sách đăng ký để duyệt (hoặc chưa gửi lại sau khi bị trả lại).",
		EN: "This unit has not submitted its pledge list (or not again since it was returned).",
	}},
	{thidua.ErrAlreadyApproved, bot.T{
		VI: "Danh sách đăng ký của đơn vị này đã được duyệt rồi.",
		EN: "This unit's pledge list is already approved.",
	}},
	{thidua.ErrListChanged, bot.T{
		VI: "Danh sách này đã được gửi lại sau đó. Hãy duyệt ở tin gửi duyệt mới nhất.",
		EN: "The list was submitted again since. Approve it from the latest submission.",
	}},
	{thidua.ErrReason, bot.T{
		VI: fmt.Sprintf("Lý do trả lại không được để trống và dài tối đa %d ký tự.", thidua.MaxReasonLen),
		EN: fmt.Sprintf("The reason must not be empty and is at most %d characters long.", thidua.MaxReasonLen),
	}},
}

var (
	msgPlain             = bot.T{VI: "%s", EN: "%s"}
	msgBadLine           = bot.T{VI: "Dòng %d («%s»): %s\nChưa lưu dòng nào; sửa dòng này rồi gửi lại cả tin nhắn.", EN: "Line %d («%s»): %s\nNothing was saved; fix this line and send the whole message again."}
	msgUnitNumberBad     = bot.T{VI: "Sau dấu # là số thứ tự của đơn vị trong /units (từ 1 đến %d).", EN: "After # comes the unit's number in /units (1 to %d)."}
	msgAdminNamesUnit    = bot.T{VI: "Bạn không là đầu mối của đơn vị nào. Để làm thay cho một đơn vị, ghi số thứ tự của đơn vị (trong /units) sau dấu # ngay sau lệnh, ví dụ <code>/%s #6 …</code>", EN: "You represent no unit. To act for a unit, put its number in /units after a # right after the command, e.g. <code>/%s #6 …</code>"}
	msgPledgeEmpty       = bot.T{VI: "Bạn chưa nhập nội dung đăng ký nào.", EN: "No pledge was given."}
	msgPledgesAdded      = bot.T{VI: "✅ Đã ghi %d nội dung đăng ký thi đua của <b>%s</b>:\n%s\n\nDanh sách hiện có %d nội dung (xem /pledges). Khi đủ, gửi /submit để Khối trưởng duyệt.", EN: "✅ Recorded %d {pledge|pledges} of <b>%s</b>:\n%s\n\nThe list now has %d {pledge|pledges} (see /pledges). When it is complete, send /submit for approval."}
	msgPledgeNumberBad   = bot.T{VI: "Cần số thứ tự của nội dung (xem /pledges).", EN: "Give the pledge's number (see /pledges)."}
	msgEditNeedsText     = bot.T{VI: "Cần số thứ tự rồi nội dung mới (một dòng).", EN: "Give the number, then the new pledge (one line)."}
	msgPledgeEdited      = bot.T{VI: "✏️ Đã sửa nội dung số %d của <b>%s</b>:\ntrước: %s\nsau: %s", EN: "✏️ Pledge %d of <b>%s</b> changed:\nbefore: %s\nafter: %s"}
	msgPledgeUnchanged   = bot.T{VI: "Nội dung số %d của <b>%s</b> không thay đổi.", EN: "Pledge %d of <b>%s</b> is unchanged."}
	msgPledgeDeleted     = bot.T{VI: "🗑 Đã xoá nội dung số %d của <b>%s</b>: %s\nDanh sách còn %d nội dung.", EN: "🗑 Removed pledge %d of <b>%s</b>: %s\n%d {pledge remains|pledges remain}."}
	msgSubmitNoArgs      = bot.T{VI: "Lệnh này không cần nội dung; để gửi thay cho một đơn vị, ghi #số thứ tự của đơn vị.", EN: "This command takes no text; to submit for a unit, give #its number."}
	msgSubmitted         = bot.T{VI: "📨 <b>%s</b> gửi danh sách đăng ký thi đua (%d nội dung) để duyệt:", EN: "📨 <b>%s</b> submits its pledge list (%d {pledge|pledges}) for approval:"}
	msgSubmittedAbove    = bot.T{VI: "📨 Danh sách đăng ký thi đua của <b>%s</b> (%d nội dung) ở các tin nhắn trên đang chờ duyệt.", EN: "📨 The pledge list of <b>%s</b> (%d {pledge|pledges}) in the messages above awaits approval."}
	msgSubmittedHow      = bot.T{VI: "Quản trị viên nhóm hoặc đầu mối đơn vị Khối trưởng: bấm <b>Duyệt</b>, hoặc gửi <code>/return %d | lý do</code> để trả lại.", EN: "Group administrators or representatives of the leader unit: press <b>Approve</b>, or send <code>/return %d | reason</code> to return it."}
	msgReturnBtn         = bot.T{VI: "↩️ Trả lại…", EN: "↩️ Return…"}
	msgReturnHow         = bot.T{VI: "Để trả lại kèm lý do, gửi trong nhóm: /return %d | lý do", EN: "To return it with a reason, send in the group: /return %d | reason"}
	msgWhichUnit         = bot.T{VI: "Bạn chưa nêu đơn vị.", EN: "Say which unit."}
	msgReturnBad         = bot.T{VI: "Cần đơn vị và lý do trả lại, ngăn cách bởi dấu |.", EN: "Give the unit and the reason, separated by |."}
	msgApproved          = bot.T{VI: "✅ Đã duyệt danh sách đăng ký thi đua của <b>%s</b> (%d nội dung) — bởi %s.", EN: "✅ The pledge list of <b>%s</b> (%d {pledge|pledges}) is approved — by %s."}
	msgReturned          = bot.T{VI: "↩️ Danh sách đăng ký thi đua của <b>%s</b> được trả lại để sửa (bởi %s).\nLý do: %s\n%s: vui lòng sửa bằng /editpledge, /delpledge hoặc /pledge rồi gửi lại /submit.", EN: "↩️ The pledge list of <b>%s</b> is returned for changes (by %s).\nReason: %s\n%s: please change it with /editpledge, /delpledge or /pledge and send /submit again."}
	msgReturnedPost      = bot.T{VI: "↩️ Danh sách đăng ký thi đua của <b>%s</b> (%d nội dung) đã được trả lại để sửa — bởi %s.\nLý do: %s", EN: "↩️ The pledge list of <b>%s</b> (%d {pledge|pledges}) was returned for changes — by %s.\nReason: %s"}
	msgReturnedUnsigned  = bot.T{VI: "\nChữ ký giao ước của đơn vị được huỷ: đơn vị ký lại khi danh sách được duyệt lại (gửi /covenant để đăng lại giao ước có nút ký).", EN: "\nThe unit's signature of the covenant is withdrawn: it signs again once the list is approved again (send /covenant to post the covenant with its sign button again)."}
	msgReturnedClosed    = bot.T{VI: "\n⚠️ Đăng ký thi đua đang đóng: để đơn vị sửa, Khối trưởng mở lại cho riêng đơn vị (<code>/openreg %d</code>) hoặc cho cả khối (<code>/openreg</code>).", EN: "\n⚠️ Registration is closed: for the unit to make changes, a manager reopens it for the unit alone (<code>/openreg %d</code>) or for the whole block (<code>/openreg</code>)."}
	msgApprovedSignNow   = bot.T{VI: "%s: đơn vị ký được giao ước rồi — bấm «%s» dưới tin giao ước (gửi /covenant để hiện lại).", EN: "%s: the unit can sign the covenant now — press «%s» under it (send /covenant to show it again)."}
	msgApprovedSignLater = bot.T{VI: "%s: đơn vị ký giao ước khi Khối trưởng phát động giao ước (/covenant).", EN: "%s: the unit signs the covenant once a manager opens it (/covenant)."}
	msgNoReps            = bot.T{VI: "Đơn vị (chưa có đầu mối trong nhóm)", EN: "The unit (no representative in the group yet)"}
	msgApprovedDM        = bot.T{VI: "✅ Danh sách đăng ký thi đua của <b>%s</b> trong <b>%s</b> đã được duyệt (bởi %s).", EN: "✅ The pledge list of <b>%s</b> in <b>%s</b> is approved (by %s)."}
	msgReturnedDM        = bot.T{VI: "↩️ Danh sách đăng ký thi đua của <b>%s</b> trong <b>%s</b> bị trả lại (bởi %s).\nLý do: %s\nHãy sửa trong nhóm bằng /editpledge, /delpledge hoặc /pledge rồi gửi lại /submit.", EN: "↩️ The pledge list of <b>%s</b> in <b>%s</b> was returned (by %s).\nReason: %s\nChange it in the group with /editpledge, /delpledge or /pledge and send /submit again."}
	msgPledgesWhich      = bot.T{VI: "Bạn không là đầu mối của đơn vị nào; hãy nêu đơn vị cần xem.", EN: "You represent no unit; say which unit to show."}
	msgPledgesHead       = bot.T{VI: "<b>Đăng ký thi đua năm %d — %s</b>", EN: "<b>Pledges for %d — %s</b>"}
	msgStateLine         = bot.T{VI: "Trạng thái: %s", EN: "State: %s"}
	msgReasonLine        = bot.T{VI: "Lý do trả lại: %s", EN: "Reason for return: %s"}
	msgSignedLine        = bot.T{VI: "✍️ Đã ký giao ước: %s, %s", EN: "✍️ Signed the covenant: %s, %s"}
	msgNoPledgesYet      = bot.T{VI: "Chưa có nội dung nào.", EN: "No pledges yet."}
	msgNoPledgesAdd      = bot.T{VI: "Đăng ký bằng <code>/pledge &lt;nội dung&gt; | &lt;chỉ tiêu&gt; | &lt;hạn&gt;</code>.", EN: "Add them with <code>/pledge &lt;title&gt; | &lt;target&gt; | &lt;due&gt;</code>."}
	msgHintSubmit        = bot.T{VI: "Khi danh sách đã đủ, gửi /submit để Khối trưởng duyệt.", EN: "When the list is complete, send /submit for approval."}
	msgHintReturned      = bot.T{VI: "Sửa bằng /editpledge, /delpledge hoặc /pledge rồi gửi lại /submit.", EN: "Change it with /editpledge, /delpledge or /pledge and send /submit again."}
	msgPledgeLine        = bot.T{VI: "%d. %s — hạn %s", EN: "%d. %s — due %s"}
	msgPledgeLineTarget  = bot.T{VI: "%d. %s — chỉ tiêu: %s — hạn %s", EN: "%d. %s — target: %s — due %s"}
	msgByAt              = bot.T{VI: " (%s, %s)", EN: " (%s, %s)"}
	msgRegNeverOpened    = bot.T{VI: "Đăng ký: chưa mở", EN: "Registration: not opened yet"}
	msgRegOpenLine       = bot.T{VI: "Đăng ký: đang mở%s", EN: "Registration: open%s"}
	msgRegClosedLine     = bot.T{VI: "Đăng ký: đã đóng (bởi %s, %s)", EN: "Registration: closed (by %s, %s)"}
	msgRegAloneLine      = bot.T{VI: " · mở riêng cho: %s", EN: " · open for these units alone: %s"}
	msgOpenAloneLine     = bot.T{VI: "🔓 Đăng ký đang mở riêng cho đơn vị%s%s.", EN: "🔓 Registration is open for this unit alone%s%s."}
	msgDueSuffix         = bot.T{VI: ", hạn %s", EN: ", deadline %s"}
	msgBadRegDue         = bot.T{VI: "Hạn đăng ký không phải một ngày có thật. Viết ngày theo dạng dd/mm/yyyy.", EN: "The deadline is not a real date. Write it as dd/mm/yyyy."}
	msgBadRegDueOrUnit   = bot.T{VI: "Hạn đăng ký không phải một ngày có thật, và cũng không có đơn vị nào tên như vậy. Viết ngày theo dạng dd/mm/yyyy; để mở riêng cho một đơn vị, ghi số thứ tự hoặc tên của đơn vị (xem /units).", EN: "The deadline is not a real date, and no unit has this name. Write the date as dd/mm/yyyy; to open registration for one unit alone, give its number or name (see /units)."}
	msgRegOpened         = bot.T{VI: "📝 Đã mở đăng ký thi đua năm %d%s.\nĐầu mối các đơn vị đăng ký bằng <code>/pledge &lt;nội dung&gt; | &lt;chỉ tiêu&gt; | &lt;hạn&gt;</code>, mỗi dòng một nội dung; xong thì gửi /submit để Khối trưởng duyệt.", EN: "📝 Registration for %d is open%s.\nRepresentatives register with <code>/pledge &lt;title&gt; | &lt;target&gt; | &lt;due&gt;</code>, one per line, then send /submit for approval."}
	msgRegReopened       = bot.T{VI: "🔓 Đã mở lại đăng ký thi đua%s. Các đơn vị sửa được danh sách chưa gửi hoặc bị trả lại.", EN: "🔓 Registration is open again%s. Units can change lists not submitted or returned."}
	msgRegDueChanged     = bot.T{VI: "🗓 Hạn đăng ký thi đua: %s.", EN: "🗓 Registration deadline: %s."}
	msgNoDue             = bot.T{VI: "không có hạn", EN: "none"}
	msgRegUnitOpened     = bot.T{VI: "🔓 Đã mở đăng ký thi đua riêng cho <b>%s</b>%s (bởi %s); các đơn vị khác vẫn đóng.\n%s: đăng ký bằng <code>/pledge &lt;nội dung&gt; | &lt;chỉ tiêu&gt; | &lt;hạn&gt;</code>, sửa bằng /editpledge, /delpledge, xong gửi /submit để Khối trưởng duyệt. Đăng ký riêng này đóng lại khi danh sách được duyệt, hoặc bằng <code>/closereg %d</code>.", EN: "🔓 Registration is open for <b>%s</b> alone%s (by %s); the other units stay closed.\n%s: register with <code>/pledge &lt;title&gt; | &lt;target&gt; | &lt;due&gt;</code>, change with /editpledge, /delpledge, then send /submit for approval. It closes once the list is approved, or with <code>/closereg %d</code>."}
	msgRegUnitDue        = bot.T{VI: "🗓 Hạn đăng ký riêng của <b>%s</b>: %s.", EN: "🗓 The registration deadline of <b>%s</b> alone: %s."}
	msgRegUnitAlready    = bot.T{VI: "Đăng ký thi đua đã mở riêng cho <b>%s</b> rồi và hạn không đổi. Đổi hạn: <code>/openreg %[2]d | dd/mm/yyyy</code>; đóng: <code>/closereg %[2]d</code>.", EN: "Registration is already open for <b>%s</b> alone and its deadline is unchanged. Change the deadline: <code>/openreg %[2]d | dd/mm/yyyy</code>; close it: <code>/closereg %[2]d</code>."}
	msgRegUnitSubmitted  = bot.T{VI: "Danh sách đăng ký thi đua của <b>%s</b> đang chờ duyệt nên không mở đăng ký riêng cho đơn vị: duyệt (<code>/approve %[2]d</code>) hoặc trả lại kèm lý do (<code>/return %[2]d | lý do</code>); trả lại rồi, muốn đơn vị sửa thì mở: <code>/openreg %[2]d</code>.", EN: "The pledge list of <b>%s</b> awaits approval, so registration is not opened for it: approve it (<code>/approve %[2]d</code>) or return it with a reason (<code>/return %[2]d | reason</code>); once it is returned, open registration for the unit to change it: <code>/openreg %[2]d</code>."}
	msgRegUnitApproved   = bot.T{VI: "Danh sách đăng ký thi đua của <b>%s</b> đã được duyệt nên không mở đăng ký riêng cho đơn vị. Muốn đơn vị sửa, trả lại danh sách trước (<code>/return %[2]d | lý do</code>) rồi mở: <code>/openreg %[2]d</code>.", EN: "The pledge list of <b>%s</b> is approved, so registration is not opened for it. For the unit to change it, return the list first (<code>/return %[2]d | reason</code>), then open it: <code>/openreg %[2]d</code>."}
	msgRegUnitNotAlone   = bot.T{VI: "Đăng ký thi đua không mở riêng cho <b>%s</b>, nên bot không đóng gì.", EN: "Registration is not open for <b>%s</b> alone, so nothing was closed."}
	msgRegStillAlone     = bot.T{VI: " Đăng ký đang mở riêng cho: %s.", EN: " Registration is open for these units alone: %s."}
	msgRegStillAloneOn   = bot.T{VI: " Đăng ký vẫn mở riêng cho: %s.", EN: " Registration stays open for these units alone: %s."}
	msgRegUnitOpenForAll = bot.T{VI: "Đăng ký thi đua đang mở cho mọi đơn vị, kể cả <b>%s</b>, nên không đóng riêng cho một đơn vị được: đóng riêng chỉ dành cho đăng ký mở riêng cho đơn vị khi đăng ký đã đóng (<code>/openreg %d</code>). Đóng đăng ký cho cả khối: <code>/closereg</code>.", EN: "Registration is open for every unit, <b>%s</b> included, so it cannot be closed for one unit alone: that is for registration opened for a unit alone once registration has closed (<code>/openreg %d</code>). To close registration for the whole block: <code>/closereg</code>."}
	msgRegUnitAwaits     = bot.T{VI: "\nDanh sách đăng ký của đơn vị vẫn chờ duyệt: <code>/approve %[1]d</code> hoặc <code>/return %[1]d | lý do</code>.", EN: "\nThe unit's pledge list still awaits approval: <code>/approve %[1]d</code> or <code>/return %[1]d | reason</code>."}
	msgRegNotSameUnit    = bot.T{VI: "«%s» không phải tên của <b>%s</b> (số thứ tự %d), nên bot chưa %s gì. Vui lòng nêu đơn vị một lần, bằng số thứ tự hoặc bằng tên: %s.", EN: "«%s» is not the name of <b>%s</b> (number %d), so nothing was %s. Please name the unit once, by its number or by its name: %s."}
	msgCloseRegVerb      = bot.T{VI: "đóng", EN: "closed"}
	msgCloseRegForms     = bot.T{VI: "<code>/closereg %[1]d</code> hoặc <code>/closereg &lt;tên đơn vị&gt;</code>", EN: "<code>/closereg %[1]d</code> or <code>/closereg &lt;unit name&gt;</code>"}
	msgOpenRegVerb       = bot.T{VI: "mở", EN: "opened"}
	msgOpenRegForms      = bot.T{VI: "<code>/openreg %[1]d [hạn dd/mm/yyyy]</code> hoặc <code>/openreg &lt;tên đơn vị&gt; [| hạn dd/mm/yyyy]</code>", EN: "<code>/openreg %[1]d [deadline dd/mm/yyyy]</code> or <code>/openreg &lt;unit name&gt; [| deadline dd/mm/yyyy]</code>"}
	msgCloseRegNoDate    = bot.T{VI: "Đóng đăng ký không kèm ngày, nên bot chưa đóng gì: đăng ký đóng ngay khi gửi lệnh. Đóng cho cả khối: gửi riêng <code>/closereg</code>; đóng đăng ký mở riêng cho một đơn vị: <code>/closereg</code> rồi số thứ tự hoặc tên đơn vị. Hạn đăng ký đặt bằng <code>/openreg dd/mm/yyyy</code>.", EN: "Closing registration takes no date, so nothing was closed: registration closes when the command is sent. To close it for the block, send <code>/closereg</code> alone; to close registration opened for one unit alone, <code>/closereg</code> then the unit's number or name. The deadline is set with <code>/openreg dd/mm/yyyy</code>."}
	msgRegUnitsClosed    = bot.T{VI: "🔒 Đã đóng đăng ký mở riêng cho <b>%s</b> (bởi %s). Nội dung đăng ký được giữ nguyên.", EN: "🔒 Registration opened for <b>%s</b> alone is closed (by %s). Pledges are kept as they are."}
	msgRegClosed         = bot.T{VI: "🔒 Đã đóng đăng ký thi đua (bởi %s). Nội dung đăng ký được giữ nguyên; muốn thay đổi cần mở lại bằng /openreg.\nĐã duyệt: %d/%d đơn vị.", EN: "🔒 Registration is closed (by %s). Pledges are kept as they are; changes need /openreg.\nApproved: %d/%d {unit|units}."}
)

// stateLabel names the state of a pledge list.
var stateLabel = map[thidua.ListState]bot.T{
	thidua.ListDraft:     {VI: "📝 chưa gửi", EN: "📝 not submitted"},
	thidua.ListSubmitted: {VI: "⏳ chờ duyệt", EN: "⏳ awaiting approval"},
	thidua.ListReturned:  {VI: "↩️ bị trả lại", EN: "↩️ returned"},
	thidua.ListApproved:  {VI: "✅ đã duyệt", EN: "✅ approved"},
}

// cutWord splits s after its first word: the word, and the rest trimmed.
func cutWord(s string) (word, rest string) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}

// badInput answers a domain error caused by what the user typed with its
// explanation, followed by the command's usage and example.
func badInput(q *request, err error) error {
	return q.usage(msgPlain, domainMessage(err, q))
}

// parseLines parses every line with parse, all or nothing: a bad line is
// answered with its number, its text and what is wrong with it, followed by
// the command's usage; nothing is stored then.
func parseLines[T any](q *request, lines []string, parse func(string) (T, error)) ([]T, error) {
	out := make([]T, 0, len(lines))
	for i, l := range lines {
		v, err := parse(l)
		switch {
		case err == nil:
			out = append(out, v)
		case !thidua.IsDomain(err):
			return nil, err
		default:
			return nil, explainLine(q, lines, i+1, err)
		}
	}
	return out, nil
}

// explainLine answers err, the domain error of line n (from 1) of lines
// typed one per line: alone, as bad input; among others, naming the line.
func explainLine(q *request, lines []string, n int, err error) error {
	return explainLineWith(q, lines, n, domainMessage(err, q))
}

// explainLineWith is explainLine with the explanation given as text.
func explainLineWith(q *request, lines []string, n int, text string) error {
	if len(lines) == 1 {
		return q.usage(msgPlain, text)
	}
	return q.usage(msgBadLine, n, bot.Escape(shorten(lines[n-1], 60)), text)
}

// lineFailure answers err, the error of a change made from lines typed one
// per line, when it is a *thidua.LineError (see explainLine); it returns
// any other error as it is.
func lineFailure(q *request, lines []string, err error) error {
	if le := (*thidua.LineError)(nil); errors.As(err, &le) {
		return explainLine(q, lines, le.Line, le.Err)
	}
	return err
}

// forUnit works out which unit a pledge command acts for (see actingUnit)
// and returns the rest of the arguments. It checks that the asker may change
// that unit's pledges now, before any of the input is read.
func (r *Router) forUnit(q *request, b *thidua.Block) (a thidua.Actor, unitID, rest string, err error) {
	if a, unitID, rest, err = r.actingUnit(q, b); err != nil {
		return a, unitID, rest, err
	}
	return a, unitID, rest, b.PledgesEditable(a, unitID)
}

// actingUnit works out which unit a command acts for and returns the rest of
// the arguments. "#6" first names the unit by its number in /units, for
// administrators acting for a unit; otherwise it is the asker's own unit.
// Whether the asker may act for that unit is the caller's to check.
func (r *Router) actingUnit(q *request, b *thidua.Block) (a thidua.Actor, unitID, rest string, err error) {
	if a, err = q.actor(); err != nil {
		return a, "", "", err
	}
	rest = q.args
	if strings.HasPrefix(rest, "#") {
		var ref string
		ref, rest = cutWord(rest[1:])
		n, convErr := strconv.Atoi(ref)
		if convErr != nil || n < 1 || n > len(b.Units) {
			return a, "", "", q.usage(msgUnitNumberBad, len(b.Units))
		}
		unitID = b.Units[n-1].ID
	} else if rp := b.RepOf(a.UserID); rp != nil {
		unitID = rp.UnitID
	} else if a.Admin {
		return a, "", "", q.usage(msgAdminNamesUnit, q.cmd.name)
	} else {
		return a, "", "", thidua.ErrNotRepresentative
	}
	return a, unitID, rest, nil
}

// pledgeLine renders a pledge on one line, numbered.
func (r *Router) pledgeLine(l bot.Lang, n int, p thidua.Pledge) string {
	due := thidua.FormatDate(p.Due, r.cfg.Location)
	if t := p.Target.String(); t != "" {
		return msgPledgeLineTarget.F(l, n, bot.Escape(p.Title), bot.Escape(t), due)
	}
	return msgPledgeLine.F(l, n, bot.Escape(p.Title), due)
}

// pledgeLines renders pledges numbered from first, one per line, indented.
func (r *Router) pledgeLines(l bot.Lang, pledges []thidua.Pledge, first int, indent string) string {
	lines := make([]string, len(pledges))
	for i, p := range pledges {
		lines[i] = indent + r.pledgeLine(l, first+i, p)
	}
	return strings.Join(lines, "\n")
}

// byAt says who did something, and when.
func (r *Router) byAt(l bot.Lang, at *thidua.Attribution) string {
	if at == nil {
		return ""
	}
	return msgByAt.F(l, bot.Escape(at.Name), thidua.FormatDateTime(at.At, r.cfg.Location))
}

func (r *Router) addPledges(q *request) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	a, unitID, rest, err := r.forUnit(q, b)
	if err != nil {
		return err
	}
	lines := argLines(rest)
	if len(lines) == 0 {
		return q.usage(msgPledgeEmpty)
	}
	drafts, err := parseLines(q, lines, func(s string) (thidua.PledgeDraft, error) {
		return thidua.ParsePledge(s, b.Year, r.cfg.Location)
	})
	if err != nil {
		return err
	}
	var added []thidua.Pledge
	if b, err = q.updateParts(thidua.PartRegistration, func(b *thidua.Block) error {
		added, err = b.AddPledges(a, unitID, drafts, r.now())
		return err
	}); err != nil {
		return err
	}
	total := len(b.RegistrationOf(unitID).Pledges)
	list := r.pledgeLines(q.lang, added, total-len(added)+1, "")
	return q.reply(msgPledgesAdded.F(q.lang, len(added), bot.Escape(b.UnitName(unitID)), list, total))
}

// pledgeNumber reads the number of a pledge at the start of rest.
func pledgeNumber(q *request, rest string) (int, string, error) {
	word, rest := cutWord(rest)
	n, err := strconv.Atoi(word)
	if err != nil {
		return 0, "", q.usage(msgPledgeNumberBad)
	}
	return n, rest, nil
}

func (r *Router) editPledge(q *request) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	a, unitID, rest, err := r.forUnit(q, b)
	if err != nil {
		return err
	}
	n, rest, err := pledgeNumber(q, rest)
	if err != nil {
		return err
	}
	if len(argLines(rest)) != 1 {
		return q.usage(msgEditNeedsText)
	}
	d, err := thidua.ParsePledge(rest, b.Year, r.cfg.Location)
	if err != nil {
		return badInput(q, err)
	}
	var before, after thidua.Pledge
	b, err = q.update(func(b *thidua.Block) error {
		before, after, err = b.EditPledge(a, unitID, n, d, r.now())
		return err
	})
	if errors.Is(err, thidua.ErrPledgeNotFound) {
		return badInput(q, err)
	} else if err != nil {
		return err
	}
	unit := bot.Escape(b.UnitName(unitID))
	if before.String() == after.String() {
		return q.reply(msgPledgeUnchanged.F(q.lang, n, unit))
	}
	return q.reply(msgPledgeEdited.F(q.lang, n, unit, r.pledgeLine(q.lang, n, before), r.pledgeLine(q.lang, n, after)))
}

func (r *Router) deletePledge(q *request) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	a, unitID, rest, err := r.forUnit(q, b)
	if err != nil {
		return err
	}
	n, rest, err := pledgeNumber(q, rest)
	if err != nil {
		return err
	}
	if rest != "" {
		return q.usage(msgPledgeNumberBad)
	}
	var gone thidua.Pledge
	b, err = q.update(func(b *thidua.Block) error {
		gone, err = b.DeletePledge(a, unitID, n, r.now())
		return err
	})
	if errors.Is(err, thidua.ErrPledgeNotFound) {
		return badInput(q, err)
	} else if err != nil {
		return err
	}
	return q.reply(msgPledgeDeleted.F(q.lang, n, bot.Escape(b.UnitName(unitID)), r.pledgeLine(q.lang, n, gone), len(b.RegistrationOf(unitID).Pledges)))
}

// submitPledges sends the unit's list for approval and posts it with the
// managers' buttons.
func (r *Router) submitPledges(q *request) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	a, unitID, rest, err := r.actingUnit(q, b)
	if err != nil {
		return err
	}
	if ur := b.RegistrationOf(unitID); ur.State == thidua.ListSubmitted && b.HasApplied(int64(q.upd.UpdateID)) {
		// This very update submitted the list before a crash: post the
		// submission now, unless its message was recorded, which made it
		// to the group (a second post's buttons would outlive the review).
		if ur.MessageID != 0 {
			return q.fail(msgAlreadyApplied.In(q.lang))
		}
		return r.postSubmission(q, b, unitID, ur)
	}
	if err := b.PledgesEditable(a, unitID); err != nil {
		return err
	}
	if rest != "" {
		return q.usage(msgSubmitNoArgs)
	}
	var ur thidua.UnitRegistration
	if b, err = q.update(func(b *thidua.Block) error {
		ur, err = b.SubmitPledges(a, unitID, r.now())
		return err
	}); err != nil {
		return err
	}
	return r.postSubmission(q, b, unitID, ur)
}

// postSubmission posts the unit's submitted list with the managers'
// buttons. A list too long for one message comes first, in as many as it
// takes, and the buttons under a message of their own naming the unit: the
// one a review edits, which takes none of the list away.
func (r *Router) postSubmission(q *request, b *thidua.Block, unitID string, ur thidua.UnitRegistration) error {
	l := r.cfg.Lang
	data := fmt.Sprintf("%s:%%s:%s:%d", cbReview, unitID, ur.Round)
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(msgApproveBtn.In(l), fmt.Sprintf(data, "a")),
		tgbotapi.NewInlineKeyboardButtonData(msgReturnBtn.In(l), fmt.Sprintf(data, "r")),
	))
	unit, how := bot.Escape(b.UnitName(unitID)), msgSubmittedHow.F(l, unitNumber(b, unitID))
	text := msgSubmitted.F(l, unit, len(ur.Pledges)) + "\n" + r.pledgeLines(l, ur.Pledges, 1, "")
	if len(bot.Split(text+"\n\n"+how, bot.MaxMessageLen)) == 1 {
		text += "\n\n" + how
	} else {
		if err := q.reply(text); err != nil {
			return err
		}
		text = msgSubmittedAbove.F(l, unit, len(ur.Pledges)) + "\n" + how
	}
	m, err := q.send(text, &kb)
	if err != nil {
		return err
	}
	r.remember(q.ctx, b.ID, "submission message", thidua.PartRegistration, func(b *thidua.Block) error {
		return b.SetSubmissionMessage(unitID, ur.Round, m.MessageID)
	})
	return nil
}

// closeSubmission edits the group message messageID posting a list's
// submission (0 for none: not recorded) to text, which says what became of
// the list, without the managers' buttons, which act on it no more. The
// edit comes after the request's answer; a failure is logged.
func (r *Router) closeSubmission(q *request, messageID int, text string) {
	if messageID == 0 {
		return
	}
	q.retireLater(messageID, text, "submission message")
}

// closeReviewed is the step of the replay of a review (see request.replay)
// that a crash may have kept from taking the buttons off the list's
// submission: while the unit's list stands as the review left it (state),
// it closes the submission recorded (see closeSubmission). The submission
// of a list returned after its approval was closed by the approval, and is
// recorded no more.
func (r *Router) closeReviewed(q *request, unitID string, state thidua.ListState) {
	b, err := r.cfg.Store.BlockByChat(q.ctx, q.chat.ID)
	if err != nil {
		r.cfg.Log.Warn("submission message not edited", "chat", q.chat.ID, "err", err)
		return
	}
	if ur := b.RegistrationOf(unitID); ur.State == state && ur.Decided != nil {
		r.closeSubmission(q, ur.MessageID, r.reviewedText(b, ur))
	}
}

// reviewedText is what the message of a list's submission says once the
// list ur is approved or returned, in the block's language: what became of
// it, by whom, and why it was returned.
func (r *Router) reviewedText(b *thidua.Block, ur thidua.UnitRegistration) string {
	unit, by := bot.Escape(b.UnitName(ur.UnitID)), bot.Escape(ur.Decided.Name)
	if ur.State == thidua.ListReturned {
		return msgReturnedPost.F(r.cfg.Lang, unit, len(ur.Pledges), by, bot.Escape(ur.Reason))
	}
	return msgApproved.F(r.cfg.Lang, unit, len(ur.Pledges), by)
}

// unitNumber is the unit's number in /units, or 0.
func unitNumber(b *thidua.Block, unitID string) int {
	for i, u := range b.Units {
		if u.ID == unitID {
			return i + 1
		}
	}
	return 0
}

// reviewPress handles the buttons under a submitted list: approve it, or
// learn how to return it with a reason.
func (r *Router) reviewPress(q *request, args []string) error {
	if len(args) != 3 || (args[0] != "a" && args[0] != "r") {
		return q.answer(msgStaleButton.In(q.lang), true)
	}
	round, err := strconv.Atoi(args[2])
	if err != nil {
		return q.answer(msgStaleButton.In(q.lang), true)
	}
	b, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	unitID := args[1]
	if args[0] == "r" {
		if b.Unit(unitID) == nil {
			return q.answer(msgStaleButton.In(q.lang), true)
		}
		return q.answer(msgReturnHow.F(q.lang, unitNumber(b, unitID)), true)
	}
	b, ur, err := r.approve(q, a, unitID, round)
	if err != nil {
		return err
	}
	if err := q.answer("", false); err != nil {
		return err
	}
	text := msgApproved.F(r.cfg.Lang, bot.Escape(b.UnitName(unitID)), len(ur.Pledges), bot.Escape(a.Name)) + r.signNext(r.cfg.Lang, b, unitID)
	return q.edit(q.chat.ID, q.callback.Message.MessageID, text, nil)
}

// approve approves the unit's list and tells its representatives privately.
// It returns the block as the approval left it. Its replay takes the
// buttons off the list's submission, should a crash have kept the approval
// from doing so (see closeReviewed).
func (r *Router) approve(q *request, a thidua.Actor, unitID string, round int) (*thidua.Block, thidua.UnitRegistration, error) {
	q.replay = func() error {
		r.closeReviewed(q, unitID, thidua.ListApproved)
		return q.fail(msgAlreadyApplied.In(q.lang))
	}
	var ur thidua.UnitRegistration
	b, err := q.update(func(b *thidua.Block) error {
		var err error
		ur, err = b.ApprovePledges(a, unitID, round, r.now())
		return err
	})
	if err != nil {
		return nil, ur, err
	}
	r.tellReps(q, b, unitID, msgApprovedDM, bot.Escape(b.UnitName(unitID)), bot.Escape(b.Name), bot.Escape(a.Name))
	return b, ur, nil
}

// signNext tells the representatives of a unit whose list was just
// approved, on a line of its own mentioning them, in l, what comes next: to
// sign the covenant with its button when it is open (and the unit has not
// signed), naming the button as it reads, in the group's language; or that
// the unit signs once it is opened. It is "" for a unit without
// representatives, or one that has signed.
func (r *Router) signNext(l bot.Lang, b *thidua.Block, unitID string) string {
	who := mentionReps(b, unitID)
	switch {
	case who == "" || b.RegistrationOf(unitID).Signed != nil:
		return ""
	case b.Registration.Covenant != nil:
		return "\n" + msgApprovedSignNow.F(l, who, msgSignBtn.In(r.cfg.Lang))
	}
	return "\n" + msgApprovedSignLater.F(l, who)
}

// tellReps sends the message msg formatted with args to each
// representative of the unit who has started the bot in private, in their
// language (see notifyPrivately).
func (r *Router) tellReps(q *request, b *thidua.Block, unitID string, msg bot.T, args ...any) {
	text := func(l bot.Lang) string { return msg.F(l, args...) }
	for _, rp := range b.RepsOf(unitID) {
		r.notifyPrivately(q.ctx, &rp, text)
	}
}

// mentionReps mentions the unit's representatives; "" when it has none.
func mentionReps(b *thidua.Block, unitID string) string {
	reps := b.RepsOf(unitID)
	names := make([]string, len(reps))
	for i, rp := range reps {
		names[i] = bot.Mention(rp.UserID, rp.Name, rp.Username)
	}
	return strings.Join(names, ", ")
}

// reviewedUnit resolves the unit a manager's review command names, with or
// without a leading #.
func reviewedUnit(q *request, b *thidua.Block, ref string) (*thidua.Unit, error) {
	ref = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(ref), "#"))
	if ref == "" {
		return nil, q.usage(msgWhichUnit)
	}
	return b.FindUnit(ref)
}

func (r *Router) approvePledges(q *request) error {
	b, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	u, err := reviewedUnit(q, b, q.args)
	if err != nil {
		return err
	}
	b, ur, err := r.approve(q, a, u.ID, 0)
	if err != nil {
		return err
	}
	text := msgApproved.F(q.lang, bot.Escape(u.Name), len(ur.Pledges), bot.Escape(a.Name)) + r.signNext(q.lang, b, u.ID)
	r.closeSubmission(q, ur.MessageID, r.reviewedText(b, ur))
	return q.reply(text)
}

func (r *Router) returnPledges(q *request) error {
	b, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	ref, reason, ok := strings.Cut(q.args, "|")
	if !ok || strings.TrimSpace(ref) == "" || strings.TrimSpace(reason) == "" {
		return q.usage(msgReturnBad)
	}
	u, err := reviewedUnit(q, b, ref)
	if err != nil {
		return err
	}
	// Its replay takes the buttons off the list's submission, should a
	// crash have kept the return from doing so, and edits the covenant.
	q.replay = func() error {
		r.closeReviewed(q, u.ID, thidua.ListReturned)
		return r.replayCovenant(q, 0)
	}
	var ur, before thidua.UnitRegistration
	b, err = r.updateShowing(q, func(b *thidua.Block) error {
		before = b.RegistrationOf(u.ID)
		ur, err = b.ReturnPledges(a, u.ID, reason, r.now())
		return err
	})
	if errors.Is(err, thidua.ErrReason) {
		return badInput(q, err)
	} else if err != nil {
		return err
	}
	unit, why, by := bot.Escape(u.Name), bot.Escape(ur.Reason), bot.Escape(a.Name)
	who := mentionReps(b, u.ID)
	if who == "" {
		who = msgNoReps.In(q.lang)
	}
	text := msgReturned.F(q.lang, unit, by, why, who)
	if b.RegistrationOpenFor(u.ID) != nil {
		text += msgReturnedClosed.F(q.lang, unitNumber(b, u.ID))
	}
	if before.Signed != nil {
		text += msgReturnedUnsigned.In(q.lang)
	}
	r.tellReps(q, b, u.ID, msgReturnedDM, unit, bot.Escape(b.Name), by, why)
	if before.State == thidua.ListSubmitted {
		r.closeSubmission(q, before.MessageID, r.reviewedText(b, ur))
	}
	return q.reply(text)
}

func (r *Router) listPledges(q *request) error {
	b, err := q.block()
	if err != nil {
		return err
	}
	var unitID string
	if ref := strings.TrimPrefix(q.args, "#"); ref != "" {
		u, err := b.FindUnit(ref)
		if err != nil {
			return err
		}
		unitID = u.ID
	} else if rp := b.RepOf(q.from.ID); rp != nil {
		unitID = rp.UnitID
	} else {
		return q.usage(msgPledgesWhich)
	}
	l := q.lang
	ur := b.RegistrationOf(unitID)
	lines := []string{
		msgPledgesHead.F(l, b.Year, bot.Escape(b.UnitName(unitID))),
		msgStateLine.F(l, stateLabel[ur.State].In(l)+r.stateBy(l, ur)),
	}
	if ur.State == thidua.ListReturned {
		lines = append(lines, msgReasonLine.F(l, bot.Escape(ur.Reason)))
	}
	if o := ur.Opening; o != nil {
		lines = append(lines, msgOpenAloneLine.F(l, r.dueSuffix(l, o.Due), r.byAt(l, &o.Opened)))
	}
	if ur.Signed != nil {
		lines = append(lines, msgSignedLine.F(l, bot.Escape(ur.Signed.Name), thidua.FormatDateTime(ur.Signed.At, r.cfg.Location)))
	}
	lines = append(lines, "")
	switch {
	case len(ur.Pledges) == 0:
		lines = append(lines, msgNoPledgesYet.In(l)+" "+howToRegister(q, b, unitID))
	default:
		lines = append(lines, r.pledgeLines(l, ur.Pledges, 1, ""))
	}
	switch {
	case ur.State == thidua.ListReturned:
		lines = append(lines, "", msgHintReturned.In(l))
	case ur.State == thidua.ListDraft && len(ur.Pledges) > 0:
		lines = append(lines, "", msgHintSubmit.In(l))
	}
	return q.reply(strings.Join(lines, "\n"))
}

// howToRegister tells a unit without pledges how to register them: with
// /pledge while registration is open for it, else that it is not open yet,
// or closed, and who opens it.
func howToRegister(q *request, b *thidua.Block, unitID string) string {
	if err := b.RegistrationOpenFor(unitID); err != nil {
		return domainMessage(err, q)
	}
	return msgNoPledgesAdd.In(q.lang)
}

// stateBy says who brought the list into its state, and when.
func (r *Router) stateBy(l bot.Lang, ur thidua.UnitRegistration) string {
	switch ur.State {
	case thidua.ListSubmitted:
		return r.byAt(l, ur.Submitted)
	case thidua.ListReturned, thidua.ListApproved:
		return r.byAt(l, ur.Decided)
	}
	return ""
}

// registrationLine says whether registration is open, with its deadline,
// and for which units it is open alone, with theirs.
func (r *Router) registrationLine(l bot.Lang, b *thidua.Block) string {
	reg := b.Registration
	switch {
	case reg.Open:
		return msgRegOpenLine.F(l, r.dueSuffix(l, reg.Due))
	case reg.Closed != nil:
		line := msgRegClosedLine.F(l, bot.Escape(reg.Closed.Name), thidua.FormatDateTime(reg.Closed.At, r.cfg.Location))
		if alone := b.UnitsOpenAlone(); len(alone) > 0 {
			units := make([]string, len(alone))
			for i, id := range alone {
				units[i] = bot.Escape(b.UnitName(id)) + r.dueSuffix(l, b.RegistrationOf(id).Opening.Due)
			}
			line += msgRegAloneLine.F(l, strings.Join(units, "; "))
		}
		return line
	}
	return msgRegNeverOpened.In(l)
}

// dueSuffix is ", hạn dd/mm/yyyy" of a registration deadline, "" for none.
func (r *Router) dueSuffix(l bot.Lang, due time.Time) string {
	if due.IsZero() {
		return ""
	}
	return msgDueSuffix.F(l, thidua.FormatDate(due, r.cfg.Location))
}

// parseDue reads an optional deadline dd/mm/yyyy (dd/mm: the block's year);
// empty text is no deadline. A bad date is answered with problem and the
// command's usage.
func (r *Router) parseDue(q *request, b *thidua.Block, s string, problem bot.T) (time.Time, error) {
	if s = strings.TrimSpace(s); s == "" {
		return time.Time{}, nil
	}
	due, err := thidua.ParseDate(s, b.Year, r.cfg.Location)
	if err != nil {
		return due, q.usage(problem)
	}
	return due, nil
}

// openRegistration opens registration for the block, or changes its
// deadline, or, given a unit, opens it for that unit alone (see
// openRegistrationAlone).
func (r *Router) openRegistration(q *request) error {
	b, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	if ref, name, due, ok := namedUnit(q.args); ok {
		return r.openRegistrationAlone(q, b, a, ref, name, due)
	}
	due, err := r.parseDue(q, b, q.args, msgBadRegDue)
	if err != nil {
		return err
	}
	was := b.Registration
	if b, err = q.update(func(b *thidua.Block) error { return b.OpenRegistration(a, due, r.now()) }); errors.Is(err, thidua.ErrDueInPast) {
		return badInput(q, err)
	} else if err != nil {
		return err
	}
	switch {
	case was.Open && due.IsZero():
		return q.reply(msgRegDueChanged.F(q.lang, msgNoDue.In(q.lang)))
	case was.Open:
		return q.reply(msgRegDueChanged.F(q.lang, thidua.FormatDate(due, r.cfg.Location)))
	case was.Opened != nil:
		return q.reply(msgRegReopened.F(q.lang, r.dueSuffix(q.lang, due)))
	}
	return q.reply(msgRegOpened.F(q.lang, b.Year, r.dueSuffix(q.lang, due)))
}

// namedUnit reads the arguments of /openreg and /closereg that name one
// unit to open or close registration for alone: "<số thứ tự hoặc tên> [|
// hạn]", "[#]<số> <tên> [| hạn]", or "[#]<số> [hạn]"; a unit is named by a
// "|", a leading "#" or whole number (then the rest is its name if it has
// a letter, else its deadline), or a letter. It returns the unit as typed,
// the unit's name typed after its number ("" for none) and the deadline
// after them, or ok false for the arguments of the whole block: a
// deadline, or nothing.
func namedUnit(args string) (ref, name, due string, ok bool) {
	args = strings.TrimSpace(args)
	head, due, piped := strings.Cut(args, "|")
	word, rest := cutWord(head)
	if _, err := strconv.Atoi(strings.TrimPrefix(word, "#")); err == nil && rest != "" &&
		(piped || strings.ContainsFunc(rest, unicode.IsLetter)) {
		return word, rest, due, true
	}
	if piped {
		return head, "", due, true
	}
	if _, err := strconv.Atoi(word); strings.HasPrefix(args, "#") || err == nil && rest != "" {
		return word, "", rest, true
	}
	if _, err := strconv.Atoi(args); err == nil || strings.ContainsFunc(args, unicode.IsLetter) {
		return args, "", "", true
	}
	return "", "", "", false
}

// sameUnit checks that name, typed after the number of unit u ("2 Hội Cựu
// chiến binh tỉnh"; "" for none), names u too. If not, it answers so,
// saying that nothing was done (verb: "đóng", "closed") and the command's
// forms (formatted with the unit's number), and returns errReplied.
func sameUnit(q *request, b *thidua.Block, u *thidua.Unit, name string, verb, forms bot.T) error {
	if name = strings.TrimSpace(name); name == "" {
		return nil
	}
	if v, err := b.FindUnit(name); err == nil && v.ID == u.ID {
		return nil
	}
	no := unitNumber(b, u.ID)
	return q.usage(msgRegNotSameUnit, bot.Escape(shorten(name, 60)), bot.Escape(u.Name), no, verb.In(q.lang), forms.F(q.lang, no))
}

// openRegistrationAlone opens registration for the unit ref names alone, or
// changes its deadline (due as typed, "" for none), and mentions the
// unit's representatives with what to do. The unit's name typed after ref,
// "" for none, must name the same unit (see sameUnit).
func (r *Router) openRegistrationAlone(q *request, b *thidua.Block, a thidua.Actor, ref, name, dueArg string) error {
	u, err := reviewedUnit(q, b, ref)
	if err == thidua.ErrUnitNotFound && name == "" && !strings.ContainsAny(q.args, "|#") {
		// A word alone that names no unit, nor one of its former names
		// (a *thidua.FormerUnitError), may have been meant as the
		// deadline ("ngày mai").
		return q.usage(msgBadRegDueOrUnit)
	} else if err != nil {
		return err
	}
	if err := sameUnit(q, b, u, name, msgOpenRegVerb, msgOpenRegForms); err != nil {
		return err
	}
	due, err := r.parseDue(q, b, dueArg, msgBadRegDue)
	if err != nil {
		return err
	}
	unit, no := bot.Escape(u.Name), unitNumber(b, u.ID)
	was := b.RegistrationOf(u.ID).Opening
	b, err = q.updateParts(thidua.PartRegistration, func(b *thidua.Block) error {
		return b.OpenRegistrationAlone(a, u.ID, due, r.now())
	})
	switch {
	case errors.Is(err, thidua.ErrDueInPast):
		return badInput(q, err)
	case errors.Is(err, thidua.ErrListApproved):
		return q.fail(msgRegUnitApproved.F(q.lang, unit, no))
	case errors.Is(err, thidua.ErrListSubmitted):
		return q.fail(msgRegUnitSubmitted.F(q.lang, unit, no))
	case errors.Is(err, thidua.ErrRegistrationOpen):
		return q.fail(msgRegUnitAlready.F(q.lang, unit, no))
	case err != nil:
		return err
	case was != nil && due.IsZero():
		return q.reply(msgRegUnitDue.F(q.lang, unit, msgNoDue.In(q.lang)))
	case was != nil:
		return q.reply(msgRegUnitDue.F(q.lang, unit, thidua.FormatDate(due, r.cfg.Location)))
	}
	who := mentionReps(b, u.ID)
	if who == "" {
		who = msgNoReps.In(q.lang)
	}
	return q.reply(msgRegUnitOpened.F(q.lang, unit, r.dueSuffix(q.lang, due), bot.Escape(a.Name), who, no))
}

// closeRegistration closes the year's registration, or, closed, the
// registration opened for units alone; given a unit, the registration
// opened for that unit alone (see closeRegistrationAlone). A date, or
// anything else that names no unit, closes nothing: registration closes
// when the command is sent. Words after a unit's number (where /openreg
// takes a deadline) must be that unit's name.
func (r *Router) closeRegistration(q *request) error {
	b, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	if q.args != "" {
		ref, name, due, ok := namedUnit(q.args)
		if !ok || strings.TrimSpace(due) != "" {
			return q.usage(msgCloseRegNoDate)
		}
		return r.closeRegistrationAlone(q, b, a, ref, name)
	}
	var alone []string // the units registration was open for alone, closed
	b, err = q.update(func(b *thidua.Block) error {
		if !b.Registration.Open {
			alone = b.UnitsOpenAlone()
		}
		return b.CloseRegistration(a, r.now())
	})
	if err != nil {
		return err
	}
	if len(alone) > 0 {
		return q.reply(msgRegUnitsClosed.F(q.lang, unitNames(b, alone), bot.Escape(a.Name)))
	}
	approved := len(b.Units) - len(b.UnitsNotApproved())
	return q.reply(msgRegClosed.F(q.lang, bot.Escape(a.Name), approved, len(b.Units)))
}

// closeRegistrationAlone closes the registration opened for the unit ref
// names alone, leaving any other unit's open, and says which units it is
// still open for alone, and how to review the unit's list if it awaits
// approval. The unit's name typed after ref, "" for none, must name the
// same unit (see sameUnit).
func (r *Router) closeRegistrationAlone(q *request, b *thidua.Block, a thidua.Actor, ref, name string) error {
	u, err := reviewedUnit(q, b, ref)
	if thidua.IsDomain(err) {
		return badInput(q, err)
	} else if err != nil {
		return err
	}
	if err := sameUnit(q, b, u, name, msgCloseRegVerb, msgCloseRegForms); err != nil {
		return err
	}
	unit, no := bot.Escape(u.Name), unitNumber(b, u.ID)
	nb, err := q.updateParts(thidua.PartRegistration, func(b *thidua.Block) error {
		return b.CloseRegistrationAlone(a, u.ID, r.now())
	})
	switch {
	case errors.Is(err, thidua.ErrOpenForAll):
		return q.fail(msgRegUnitOpenForAll.F(q.lang, unit, no))
	case errors.Is(err, thidua.ErrRegistrationClosed):
		return q.fail(msgRegUnitNotAlone.F(q.lang, unit) + r.unitsOpenAlone(q.lang, b, msgRegStillAlone))
	case err != nil:
		return err
	}
	text := msgRegUnitsClosed.F(q.lang, unit, bot.Escape(a.Name)) + r.unitsOpenAlone(q.lang, nb, msgRegStillAloneOn)
	if nb.RegistrationOf(u.ID).State == thidua.ListSubmitted {
		text += msgRegUnitAwaits.F(q.lang, no)
	}
	return q.reply(text)
}

// unitsOpenAlone names, with msg, the units registration is open for
// alone; "" for none.
func (r *Router) unitsOpenAlone(l bot.Lang, b *thidua.Block, msg bot.T) string {
	alone := b.UnitsOpenAlone()
	if len(alone) == 0 {
		return ""
	}
	return msg.F(l, unitNames(b, alone))
}
