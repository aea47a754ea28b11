package handlers

import (
	"errors"
	"html"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"thiduabot/bot"
	"thiduabot/thidua"
)

// Messages shared by several features. Feature-specific texts live in the
// feature's file.
var (
	msgNoBlock = bot.T{
		VI: "Nhóm này chưa được thiết lập khối thi đua. Quản trị viên nhóm gửi <code>/setup &lt;tên khối&gt;</code> để bắt đầu.",
		EN: "This group has no emulation block yet. A group administrator sends <code>/setup &lt;block name&gt;</code> to start.",
	}
	msgBlockMoved = bot.T{
		VI: "Nút này thuộc một tin nhắn của nhóm cũ: nhóm đã được nâng cấp thành siêu nhóm và khối thi đua đã chuyển sang đó. Gửi lại lệnh trong nhóm của khối.",
		EN: "This button belongs to a message of the old group: the group was upgraded to a supergroup and the block moved with it. Send the command again in the block's group.",
	}
	msgStorageDown = bot.T{
		VI: "⚠️ Hệ thống tạm thời không lưu được dữ liệu. Yêu cầu của bạn <b>chưa được ghi nhận</b>; vui lòng gửi lại sau ít phút.",
		EN: "⚠️ The bot cannot save data right now. Your request has <b>not been recorded</b>; please send it again in a few minutes.",
	}
	msgSavedUnconfirmed = bot.T{
		VI: "⚠️ Yêu cầu của bạn <b>đã được lưu</b>, nhưng bot không hiển thị được xác nhận. Vui lòng <b>không gửi lại</b>; xem thay đổi trong /history.",
		EN: "⚠️ Your request <b>has been saved</b>, but the bot could not show its confirmation. Please <b>do not send it again</b>; see the change in /history.",
	}
	msgAlreadyApplied = bot.T{
		VI: "✅ Yêu cầu này đã được ghi nhận trước đó.",
		EN: "✅ This request was already recorded.",
	}
	msgOnlyManagers = bot.T{
		VI: "Xin lỗi, chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng mới thực hiện được thao tác này.",
		EN: "Sorry, only group administrators or representatives of the leader unit can do this.",
	}
	msgLeaderElectNotYet = bot.T{
		VI: "Xin lỗi, <b>%[1]s</b> nhận quyền điều hành (Khối trưởng năm %[2]d) khi khối sang năm %[2]d (<code>/newyear</code>); đến lúc đó chỉ quản trị viên nhóm hoặc đầu mối của đơn vị Khối trưởng năm %[3]d mới thực hiện được thao tác này.",
		EN: "Sorry, <b>%[1]s</b> takes up the running of the block (leader for %[2]d) when the block turns to %[2]d (<code>/newyear</code>); until then only group administrators or representatives of the leader unit of %[3]d can do this.",
	}
	// msgLeaderElectNotYetShort is msgLeaderElectNotYet for a button's
	// alert, which holds 200 characters.
	msgLeaderElectNotYetShort = bot.T{
		VI: "Xin lỗi, %s nhận quyền điều hành khi khối sang năm %d (/newyear); đến lúc đó chưa thực hiện được thao tác này.",
		EN: "Sorry, %s takes up the running of the block when it turns to %d (/newyear); until then you cannot do this.",
	}
	msgOnlyAdmins = bot.T{
		VI: "Xin lỗi, chỉ quản trị viên nhóm mới thực hiện được thao tác này.",
		EN: "Sorry, only group administrators can do this.",
	}
	msgUsage = bot.T{
		VI: "Cú pháp: <code>/%s %s</code>",
		EN: "Usage: <code>/%s %s</code>",
	}
	msgExample = bot.T{
		VI: "Ví dụ: <code>%s</code>",
		EN: "Example: <code>%s</code>",
	}
	msgNoArguments = bot.T{
		VI: "Lệnh này không kèm nội dung nào, nên bot chưa làm gì: gửi riêng tên lệnh, không thêm gì phía sau.",
		EN: "This command takes nothing after it, so nothing was done: send the command alone.",
	}
	msgUnknownCommand = bot.T{
		VI: "Không có lệnh /%s. Gửi /help để xem các lệnh.",
		EN: "There is no /%s command. Send /help to see the commands.",
	}
	msgGroupOnly = bot.T{
		VI: "Lệnh này dùng trong nhóm chat của khối thi đua.",
		EN: "This command is used in the block's group chat.",
	}
	msgPrivateNotRead = bot.T{
		VI: "Bot không đọc tin nhắn, ảnh hay tệp gửi riêng, nên chưa ghi nhận gì. Báo cáo, minh chứng và các lệnh khác gửi trong nhóm chat của khối (minh chứng: trả lời tin nhắn xác nhận báo cáo); ai ở nhiều khối gửi trong nhóm của khối đó. Gửi /help để xem các lệnh.",
		EN: "The bot does not read messages, photos or files sent to it privately, so nothing was recorded. Reports, evidence and the other commands go in the block's group chat (evidence: in reply to the report's confirmation); if you are in several blocks, in that block's group. Send /help for the commands.",
	}
	msgPrivateOnly = bot.T{
		VI: "Lệnh này dùng khi nhắn riêng với bot: @%s",
		EN: "This command is used in a private chat with the bot: @%s",
	}
	msgStaleButton = bot.T{
		VI: "Nút này không còn hiệu lực.",
		EN: "This button is no longer valid.",
	}
	msgPostAsYourself = bot.T{
		VI: "Lệnh gửi dưới danh nghĩa một kênh (hoặc từ bot) không xác định được người gửi. Vui lòng gửi bằng tài khoản của chính bạn.",
		EN: "A command posted as a channel (or by a bot) has no identifiable sender. Please send it from your own account.",
	}
	msgEditedCommand = bot.T{
		VI: "✏️ Bot không đọc tin nhắn đã sửa, nên phần sửa trong lệnh /%s không được ghi nhận (bot đã xử lý lệnh như lúc mới gửi). Vui lòng gửi lệnh đã sửa thành một tin nhắn mới.",
		EN: "✏️ The bot does not read edited messages, so your edit of the /%s command is not taken into account (the bot handled the command as first sent). Please send the corrected command as a new message.",
	}
	msgCaptionCommand = bot.T{
		VI: "📎 Bot không đọc lệnh trong chú thích của ảnh hoặc tệp, nên lệnh /%s chưa được thực hiện. Hãy gửi lệnh thành một tin nhắn riêng, chỉ có chữ. Để nộp minh chứng cho báo cáo, trả lời (reply) tin nhắn xác nhận báo cáo của bot bằng ảnh hoặc tệp.",
		EN: "📎 The bot does not read commands in the caption of a photo or file, so /%s was not carried out. Send the command as a message of its own, text only. To add evidence to a report, reply to the bot's confirmation of the report with the photo or file.",
	}
	msgFormerUnitName = bot.T{
		VI: "«%s» là tên cũ của đơn vị số %d, nay là <b>%s</b> (đổi tên ngày %s). Gửi lại lệnh với tên mới hoặc số thứ tự %d.",
		EN: "«%s» is the former name of unit %d, now <b>%s</b> (renamed on %s). Send the command again with the new name or the number %d.",
	}
	msgRemovedUnit = bot.T{
		VI: "Đơn vị «%s» đã bị xoá khỏi khối ngày %s (bởi %s); không ghi nhận được gì cho đơn vị này nữa. Gửi /units để xem các đơn vị hiện có.",
		EN: "The unit «%s» was removed from the block on %s (by %s); nothing more can be recorded for it. Send /units to see the units now.",
	}
	msgAnonymousAdmin = bot.T{
		VI: "Quản trị viên ẩn danh (%s)",
		EN: "Anonymous administrator (%s)",
	}
)

// domainError pairs a domain error with what the user is told.
type domainError struct {
	err error
	msg bot.T
}

// coreErrors explains the errors of the block, its units and members. Each
// feature describes its own errors with Router.describeErrors.
var coreErrors = []domainError{
	{thidua.ErrForbidden, msgOnlyManagers},
	{thidua.ErrUnitNotFound, bot.T{
		VI: "Không tìm thấy đơn vị này (hoặc tên khớp với nhiều đơn vị). Gửi /units để xem danh sách và dùng số thứ tự hoặc tên đầy đủ.",
		EN: "No such unit (or the name matches several units). Send /units to see the list and use the number or the full name.",
	}},
	{thidua.ErrUnitExists, bot.T{
		VI: "Đơn vị này đã có trong khối (hoặc bị nhập trùng).",
		EN: "This unit is already in the block (or was given twice).",
	}},
	{thidua.ErrInvalidName, bot.T{
		VI: "Tên không hợp lệ: tên phải có chữ và dài tối đa 200 ký tự.",
		EN: "Invalid name: a name must have letters and be at most 200 characters long.",
	}},
	{thidua.ErrUnitNameBar, bot.T{
		VI: "Tên đơn vị không được có dấu «|»: dấu này dùng để ngăn cách các phần của lệnh (như <code>/return 2 | lý do</code>), nên đơn vị có «|» trong tên sẽ không gọi được bằng tên. Hãy bỏ dấu «|» (có thể thay bằng dấu «-»). Đơn vị đã có «|» trong tên thì gọi bằng số thứ tự trong /units.",
		EN: "A unit's name cannot contain «|»: it separates the parts of a command (as in <code>/return 2 | reason</code>), so a unit with one in its name could not be named by its name. Take the «|» out (a «-» can stand in its place). A unit that has one in its name already is named by its number in /units.",
	}},
	{thidua.ErrTooManyUnits, bot.T{
		VI: "Khối đã đủ số đơn vị tối đa (60).",
		EN: "The block already has the maximum number of units (60).",
	}},
	{thidua.ErrNotRepresentative, bot.T{
		VI: "Bạn chưa là đầu mối của đơn vị nào trong khối. Gửi /join để đăng ký.",
		EN: "You do not represent any unit of the block yet. Send /join to apply.",
	}},
	{thidua.ErrAlreadyMember, bot.T{
		VI: "Bạn đã là đầu mối của một đơn vị trong khối. Gửi /leave trước nếu muốn đổi đơn vị.",
		EN: "You already represent a unit of the block. Send /leave first to change units.",
	}},
	{thidua.ErrRequestNotFound, bot.T{
		VI: "Yêu cầu này đã được xử lý hoặc không còn tồn tại.",
		EN: "This request has already been decided or no longer exists.",
	}},
	{thidua.ErrInvalidDate, bot.T{
		VI: "Ngày giờ không hợp lệ. Ngày viết theo dạng dd/mm/yyyy (ví dụ 30/11/{year}), giờ theo dạng HH:MM (ví dụ 08:00).",
		EN: "Invalid date or time. Write dates as dd/mm/yyyy (e.g. 30/11/{year}) and times as HH:MM (e.g. 08:00).",
	}},
	{thidua.ErrInvalidNumber, bot.T{
		VI: "Số không hợp lệ. Viết số theo kiểu Việt Nam: dấu chấm ngăn hàng nghìn, dấu phẩy thập phân (ví dụ 1.200 hoặc 25,3).",
		EN: "Invalid number. Write numbers the Vietnamese way: dots between thousands, a decimal comma (e.g. 1.200 or 25,3).",
	}},
}

// domainMessage returns the user's explanation of a domain error.
func domainMessage(err error, q *request) string {
	if fe := (*thidua.FormerUnitError)(nil); errors.As(err, &fe) {
		return formerUnitMessage(q, fe)
	}
	for _, d := range q.r.errors {
		if errors.Is(err, d.err) {
			return dated(d.msg.In(q.lang), q.year())
		}
	}
	return bot.Escape(err.Error())
}

// formerUnitMessage tells what became of the unit a command named by a
// name it had before (its name and number now), or of a unit removed from
// the block (when, and by whom).
func formerUnitMessage(q *request, fe *thidua.FormerUnitError) string {
	loc := q.r.cfg.Location
	if r := fe.Removed; r != nil {
		return msgRemovedUnit.F(q.lang, bot.Escape(r.Name), thidua.FormatDate(r.At, loc), bot.Escape(r.By))
	}
	return msgFormerUnitName.F(q.lang, bot.Escape(fe.Name.Name), fe.No, bot.Escape(fe.Unit.Name), thidua.FormatDate(fe.Name.Until, loc), fe.No)
}

// Marks of the year in the commands' examples and in the texts that show a
// date as an example, which dated fills in with the block's year: an
// example dated in a fixed year would be refused, copied as it is, once the
// block is in another (a pledge's due date must fall within its year).
const (
	markYear     = "{year}"
	markLastYear = "{lastyear}" // the year before, as /export of a year the block turned from
)

// dated fills the marks of the year in s with year (and the year before).
func dated(s string, year int) string {
	if !strings.Contains(s, "{") {
		return s
	}
	return strings.NewReplacer(markYear, strconv.Itoa(year), markLastYear, strconv.Itoa(year-1)).Replace(s)
}

// shorten cuts s to at most n UTF-16 units (as Telegram counts), ending it
// with "…" when cut.
func shorten(s string, n int) string {
	if textLen(s) <= n {
		return s
	}
	size := 1 // the ellipsis
	for i, c := range s {
		if size += utf16.RuneLen(c); size > n {
			return s[:i] + "…"
		}
	}
	return s
}

// shortenMiddle is shorten cutting out the middle of s rather than its
// end: it keeps its start and its end, joined by "…", in n UTF-16 units at
// most, so that names that differ only at their end («…, cơ sở số 12») stay
// apart.
func shortenMiddle(s string, n int) string {
	if textLen(s) <= n {
		return s
	}
	tail := (n - 1) / 2 // UTF-16 units of the end kept; the start gets the rest
	head := shorten(s, n-tail)
	head = strings.TrimSuffix(head, "…")
	end, size := len(s), 0
	for end > 0 {
		c, w := utf8.DecodeLastRuneInString(s[:end])
		if size += utf16.RuneLen(c); size > tail {
			break
		}
		end -= w
	}
	return strings.TrimRight(head, " ") + "…" + strings.TrimLeft(s[end:], " ")
}

// shortenWords is shorten cutting between words: a text cut for people to
// read, such as an achievement in a list on a projector, ends with a whole
// word («vận động» cut in the middle reads «vận độn», another word). A
// first word longer than n is cut where it must be.
func shortenWords(s string, n int) string {
	cut := shorten(s, n)
	if cut == s {
		return s
	}
	kept := strings.TrimSuffix(cut, "…")
	if i := strings.LastIndexByte(kept, ' '); i > 0 && !strings.HasPrefix(s[len(kept):], " ") {
		kept = kept[:i]
	}
	return strings.TrimRight(kept, " ") + "…"
}

// room is what a message edited in place, which cannot be split, has left
// for more lines: UTF-16 units (of its HTML, as textLen counts) and
// entities, of which Telegram keeps bot.MaxEntities (see bot.Entities).
type room struct{ width, entities int }

// roomAfter returns the room a message of width UTF-16 units at most has
// once the lines taken, joined by line ends, are in it.
func roomAfter(width int, taken []string) room {
	text := strings.Join(taken, "\n")
	return room{width: width - textLen(text), entities: bot.MaxEntities - bot.Entities(text)}
}

// take takes s, and a separator of sep UTF-16 units after it, into the
// room if they fit, and reports whether they did. The entities of s are
// counted on their own: s is to close the tags it opens.
func (r *room) take(s string, sep int) bool {
	w, e := textLen(s)+sep, bot.Entities(s)
	if w > r.width || e > r.entities {
		return false
	}
	r.width, r.entities = r.width-w, r.entities-e
	return true
}

// textLen is the length of s in UTF-16 units, as Telegram counts.
func textLen(s string) int {
	n := 0
	for _, c := range s {
		n += utf16.RuneLen(c)
	}
	return n
}

// plainText turns an HTML message into the plain text Telegram would show,
// for places that take no markup: callback answers and alerts.
func plainText(s string) string {
	return html.UnescapeString(tagRE.ReplaceAllString(s, ""))
}

var tagRE = regexp.MustCompile(`<[^>]*>`)
