package handlers

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/storage"
	"thiduabot/thidua"
)

func (r *Router) registerElection() {
	r.add(&command{
		name: "elect", aliases: []string{"bau"}, where: inGroup, who: roleManager,
		usage: bot.T{
			VI: "khoitruong|khoipho [| ứng viên: 1, 3, 6] [| công khai] [| đóng: dd/mm/yyyy HH:MM] [| cho tái cử]",
			EN: "leader|deputy [| candidates: 1, 3, 6] [| open] [| closes: dd/mm/yyyy HH:MM] [| re-election]",
		},
		example: bot.T{VI: "/elect khoitruong | ứng viên: 1, 3, 6 | đóng: 25/11/{year} 17:00", EN: "/elect leader | candidates: 1, 3, 6 | closes: 25/11/{year} 17:00"},
		desc:    bot.T{VI: "Mở bầu Khối trưởng hoặc Khối phó năm sau", EN: "Open the election of next year's leader or deputy"},
		run:     r.elect,
	})
	r.add(&command{
		name: "closevote", aliases: []string{"dongbau"}, where: inGroup, who: roleManager,
		usage:   bot.T{VI: "[khoitruong|khoipho]", EN: "[leader|deputy]"},
		example: bot.T{VI: "/closevote khoitruong", EN: "/closevote leader"},
		desc:    bot.T{VI: "Kết thúc bỏ phiếu ngay và công bố kết quả", EN: "Close the voting now and announce the result"},
		run:     r.closeVote,
	})
	r.add(&command{
		name: "decide", aliases: []string{"quyetdinh"}, where: inGroup, who: roleManager,
		usage:   bot.T{VI: "[khoitruong|khoipho] <đơn vị hoà phiếu được chọn>", EN: "[leader|deputy] <the chosen tied unit>"},
		example: bot.T{VI: "/decide Tỉnh Đoàn", EN: "/decide Tỉnh Đoàn"},
		desc:    bot.T{VI: "Quyết định đơn vị trúng cử khi vòng bầu lại hoà phiếu", EN: "Settle a tied runoff"},
		run:     r.decide,
	})
	r.add(&command{
		name: "result", aliases: []string{"ketqua"}, where: inGroup, who: roleAnyone,
		usage:   bot.T{VI: "[khoitruong|khoipho] [năm]", EN: "[leader|deputy] [year]"},
		example: bot.T{VI: "/result khoitruong", EN: "/result leader"},
		desc:    bot.T{VI: "Kết quả bầu và biên bản kiểm phiếu; khi đang bầu: phiếu bầu và các đơn vị đã bỏ phiếu; với một năm đã qua: các cuộc bầu năm đó", EN: "Election result and counting record; during an election: the ballot and who has voted; with a past year: that year's elections"},
		run:     r.result,
	})
	actions := map[string]bot.T{}
	for _, role := range []thidua.Role{thidua.RoleLeader, thidua.RoleDeputy} {
		for verb, t := range electionActions {
			actions["election."+string(role)+"."+verb] = bot.T{
				VI: fmt.Sprintf(t.VI, roleName[role].VI), EN: fmt.Sprintf(t.EN, roleName[role].EN),
			}
		}
	}
	r.describeActions(actions)
	r.describeErrors(
		domainError{thidua.ErrElectionNotFound, msgStaleButton},
		domainError{thidua.ErrNotCandidate, msgStaleButton},
		domainError{thidua.ErrElectionOpen, bot.T{
			VI: "Đang có cuộc bầu cho chức danh này chưa kết thúc. Kết thúc bằng /closevote trước khi mở cuộc bầu mới.",
			EN: "An election for this office is still open. Close it with /closevote before opening a new one.",
		}},
		domainError{thidua.ErrElectionClosed, bot.T{
			VI: "Cuộc bầu này đã kết thúc, phiếu không được ghi nhận. Xem kết quả: /result",
			EN: "This election is closed; the vote was not recorded. See the result: /result",
		}},
		domainError{thidua.ErrNoOpenElection, bot.T{VI: "Không có cuộc bầu nào đang mở.", EN: "No election is open."}},
		domainError{thidua.ErrDecisionPending, bot.T{
			VI: "Vòng bầu lại trước của chức danh này hoà phiếu và đang chờ quyết định: dùng /decide trước khi mở cuộc bầu mới.",
			EN: "The last runoff for this office is tied and awaits a decision: use /decide before opening a new election.",
		}},
		domainError{thidua.ErrNothingToDecide, bot.T{VI: "Không có vòng bầu lại nào hoà phiếu đang chờ quyết định.", EN: "No tied runoff awaits a decision."}},
		domainError{thidua.ErrNotAmongTied, bot.T{VI: "Đơn vị này không nằm trong số các đơn vị hoà phiếu.", EN: "This unit is not among the tied units."}},
		domainError{thidua.ErrNoCandidates, bot.T{
			VI: "Cuộc bầu không có ứng viên nào: khối cần có đơn vị thành viên ngoài các đơn vị bị loại trừ.",
			EN: "The election has no candidates: the block needs member units besides the excluded ones.",
		}},
		domainError{thidua.ErrOutgoingLeader, bot.T{
			VI: "Khối trưởng đương nhiệm chỉ được đề cử lại khi thêm tuỳ chọn «cho tái cử».",
			EN: "The outgoing leader may stand only with the «re-election» option.",
		}},
		domainError{thidua.ErrCloseTime, msgElectPast},
		domainError{thidua.ErrNotVoter, bot.T{
			VI: "Xin lỗi, chỉ đầu mối của các đơn vị thành viên mới bỏ phiếu được. Nếu bạn là đầu mối, gửi /join để đăng ký.",
			EN: "Sorry, only representatives of member units vote. If you represent one, send /join to register.",
		}},
		domainError{thidua.ErrNotOnRoll, bot.T{
			VI: "Xin lỗi, đơn vị của bạn không có trong danh sách cử tri của cuộc bầu này (danh sách chốt khi mở bầu).",
			EN: "Sorry, your unit is not on this election's roll (the roll was fixed when the election opened).",
		}},
		domainError{thidua.ErrVoterTooNew, bot.T{
			VI: "Xin lỗi, bạn được duyệt làm đầu mối sau khi cuộc bầu này bắt đầu nên chưa bỏ phiếu được. Nếu đơn vị chưa có đầu mối khác, hãy gửi /leave, /join lại và nhờ quản trị viên nhóm duyệt.",
			EN: "Sorry, you became a representative after this election opened, so you cannot vote in it. If your unit has no other, send /leave, then /join, and ask a group administrator to approve you.",
		}},
		domainError{thidua.ErrReceiptTaken, bot.T{VI: "Chưa ghi nhận được phiếu, vui lòng bấm lại.", EN: "The vote was not recorded; please press again."}},
	)
	r.describeErrors(electAgainErrors...)
	r.onCallback(cbVote, r.vote).writeFirst = true
	r.onCallback(cbElectAgain, r.electAgainPress)
}

// cbVote is the callback data prefix of a ballot button:
// ev:<electionID>:<candidate unitID>.
const cbVote = "ev"

// Receipt codes: short, random, without look-alike characters (no I, O, 0, 1).
const (
	receiptAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	receiptLen      = 6
	receiptAttempts = 3
)

// ballotBudget bounds the length of a ballot message, which is edited in
// place and so cannot be split: longer lists of voters are cut short, as
// they are to keep within the entities Telegram keeps.
const ballotBudget = 3500

// maxAnswerLen is the longest callback answer Telegram accepts.
const maxAnswerLen = 200

// electionActions names the history actions of elections; %s is the office.
var electionActions = map[string]bot.T{
	"open":     {VI: "mở bầu %s", EN: "opened the %s election"},
	"runoff":   {VI: "mở vòng bầu lại %s", EN: "opened a %s runoff"},
	"vote":     {VI: "bỏ phiếu của đơn vị trong cuộc bầu %s", EN: "cast the unit's vote in the %s election"},
	"revote":   {VI: "đổi phiếu của đơn vị trong cuộc bầu %s", EN: "changed the unit's vote in the %s election"},
	"again":    {VI: "bấm lại phiếu của đơn vị trong cuộc bầu %s", EN: "pressed the unit's vote again in the %s election"},
	"close":    {VI: "kết thúc bỏ phiếu bầu %s", EN: "closed the %s vote"},
	"noquorum": {VI: "bầu %s không đủ số đơn vị bỏ phiếu", EN: "%s election without quorum"},
	"tie":      {VI: "bầu lại %s hoà phiếu", EN: "%s runoff tied"},
	"decide":   {VI: "quyết định %s khi hoà phiếu", EN: "settled the %s tie"},
	"elected":  {VI: "trúng cử %s năm sau", EN: "elected next year's %s"},
	"vacate":   {VI: "thôi là %s được bầu", EN: "no longer the elected %s"},
}

// officeArg is how commands name an office, in each language.
var officeArg = map[thidua.Role]bot.T{
	thidua.RoleLeader: {VI: "khoitruong", EN: "leader"},
	thidua.RoleDeputy: {VI: "khoipho", EN: "deputy"},
}

// officeWords are the folded words that name an office in commands.
var officeWords = map[string]thidua.Role{
	"khoitruong": thidua.RoleLeader, "khoi truong": thidua.RoleLeader, "leader": thidua.RoleLeader,
	"khoipho": thidua.RoleDeputy, "khoi pho": thidua.RoleDeputy, "deputy": thidua.RoleDeputy,
}

// electOption is one option of /elect.
type electOption int

const (
	optCandidates electOption = iota + 1
	optSecret
	optPublic
	optCloses
	optReelection
)

// electOptions are the folded names of the options of /elect.
var electOptions = map[string]electOption{
	"ung vien": optCandidates, "ung cu vien": optCandidates, "candidates": optCandidates, "candidate": optCandidates,
	"kin": optSecret, "bo phieu kin": optSecret, "secret": optSecret,
	"cong khai": optPublic, "bo phieu cong khai": optPublic, "open": optPublic, "public": optPublic,
	"dong": optCloses, "ket thuc": optCloses, "closes": optCloses, "close": optCloses,
	"cho tai cu": optReelection, "tai cu": optReelection, "re-election": optReelection, "reelection": optReelection,
}

var (
	msgElectNoOffice     = bot.T{VI: "Cần nêu chức danh cần bầu: khoitruong (Khối trưởng) hoặc khoipho (Khối phó).", EN: "Say which office to elect: leader or deputy."}
	msgElectBadOpt       = bot.T{VI: "Không hiểu tuỳ chọn «%s».", EN: "Unknown option «%s»."}
	msgElectRepeated     = bot.T{VI: "Tuỳ chọn «%s» bị ghi hai lần.", EN: "The option «%s» is given twice."}
	msgElectSecretOrOpen = bot.T{VI: "Chỉ chọn một trong hai: «kín» (bỏ phiếu kín, mặc định) hoặc «công khai».", EN: "Choose one of «secret» (the default) or «open», not both."}
	msgElectBadCand      = bot.T{
		VI: "Không tìm thấy ứng viên «%s» (hoặc tên khớp với nhiều đơn vị). Ghi số thứ tự trong /units hoặc tên đơn vị, ngăn cách bằng dấu phẩy.",
		EN: "No candidate «%s» (or the name matches several units). Give numbers from /units or unit names, separated by commas.",
	}
	msgElectBadClose = bot.T{VI: "Thời điểm kết thúc «%s» không hợp lệ: viết dd/mm/yyyy HH:MM.", EN: "Invalid closing time «%s»: write dd/mm/yyyy HH:MM."}
	msgElectPast     = bot.T{VI: "Thời điểm kết thúc bỏ phiếu phải sau thời điểm hiện tại.", EN: "The closing time must be in the future."}
	msgElectReDeputy = bot.T{VI: "Tuỳ chọn «cho tái cử» chỉ dùng khi bầu Khối trưởng.", EN: "The «re-election» option applies to the leader election only."}
	msgBadOffice     = bot.T{VI: "Không hiểu «%s»: ghi khoitruong hoặc khoipho.", EN: "«%s» is not an office: write leader or deputy."}
	msgCloseWhich    = bot.T{VI: "Đang mở cả bầu Khối trưởng và bầu Khối phó: ghi rõ chức danh.", EN: "Both the leader and the deputy elections are open: say which."}
	msgDecideWhich   = bot.T{VI: "Cả bầu Khối trưởng và bầu Khối phó đang chờ quyết định: ghi rõ chức danh trước tên đơn vị.", EN: "Both the leader and the deputy runoffs await a decision: give the office before the unit."}
	msgNoOpenFor     = bot.T{VI: "Không có cuộc bầu %s nào đang mở.", EN: "No %s election is open."}
	msgNoTieFor      = bot.T{VI: "Không có vòng bầu lại %s nào hoà phiếu đang chờ quyết định.", EN: "No tied %s runoff awaits a decision."}
	msgDecideNoUnit  = bot.T{VI: "Cần nêu đơn vị được chọn trong số các đơn vị hoà phiếu.", EN: "Name the chosen unit among the tied ones."}

	msgClosedMeanwhile = bot.T{
		VI: "Cuộc bầu đã kết thúc trước lệnh /closevote này. Xem kết quả: /result",
		EN: "The election had already closed before this /closevote. See the result: /result",
	}
	msgStillOpen           = bot.T{VI: "%s vẫn đang mở. Để kết thúc ngay: /closevote %s", EN: "%s is still open. To close it now: /closevote %s"}
	msgClosedBeforeCommand = bot.T{
		VI: "⏰ %s đã hết giờ bỏ phiếu lúc %s: cuộc bầu kết thúc đúng giờ, không phải do lệnh /closevote. Kết quả ở tin nhắn dưới.",
		EN: "⏰ %s reached its closing time at %s: the election closed on time, not by /closevote. The result follows below.",
	}
	msgNoElections = bot.T{
		VI: "Chưa có cuộc bầu nào. Khối trưởng hoặc quản trị viên mở bầu bằng <code>/elect khoitruong</code> hoặc <code>/elect khoipho</code>.",
		EN: "No election yet. The leader or an administrator opens one with <code>/elect leader</code> or <code>/elect deputy</code>.",
	}
	msgNoElectionsFor = bot.T{
		VI: "Chưa có cuộc bầu %s nào. Khối trưởng hoặc quản trị viên mở bầu bằng <code>/elect %s</code>.",
		EN: "No %s election yet. The leader or an administrator opens one with <code>/elect %s</code>.",
	}

	msgNoElectionsIn    = bot.T{VI: "Năm %d khối không có cuộc bầu nào.", EN: "The block held no election in %d."}
	msgNoElectionsForIn = bot.T{VI: "Năm %d khối không có cuộc bầu %s nào.", EN: "The block held no %[2]s election in %[1]d."}
	msgElectionsOfYear  = bot.T{VI: "Biên bản kiểm phiếu các cuộc bầu năm %d (Khối trưởng, Khối phó năm %d): <code>/result %d</code>.", EN: "The counting records of the elections of %d (the leader and deputy for %d): <code>/result %d</code>."}
	msgResultElectedFor = bot.T{VI: "Khối trưởng, Khối phó năm %d được bầu trong năm thi đua %d: xem bằng <code>/result</code>.", EN: "The leader and deputy for %d are elected in the emulation year %d: see <code>/result</code>."}

	msgBallotHead     = bot.T{VI: "🗳 <b>Bầu %s năm %d</b>", EN: "🗳 <b>Election of the %s for %d</b>"}
	msgRound          = bot.T{VI: " — vòng %d (bầu lại)", EN: " — round %d (runoff)"}
	msgBallotSecret   = bot.T{VI: "🔒 Bỏ phiếu kín: không ai biết đơn vị nào bầu ai; kết quả chỉ công bố khi kết thúc.", EN: "🔒 Secret ballot: nobody learns how a unit voted; the result is announced at the close."}
	msgBallotPublic   = bot.T{VI: "👁 Bỏ phiếu công khai: phiếu của từng đơn vị hiện ngay bên dưới.", EN: "👁 Open ballot: each unit's vote is shown below."}
	msgBallotHow      = bot.T{VI: "Mỗi đơn vị một phiếu: một đầu mối của đơn vị bấm tên ứng viên. Bấm lại trước khi kết thúc để đổi phiếu; phiếu sau cùng được tính.", EN: "One vote per unit: a representative of the unit presses a candidate. Press again before the close to change the vote; the latest counts."}
	msgBallotCloses   = bot.T{VI: "⏰ Kết thúc: <b>%s</b>", EN: "⏰ Closes: <b>%s</b>"}
	msgBallotClosed   = bot.T{VI: "🔚 Đã kết thúc bỏ phiếu lúc %s. Kết quả và biên bản: /result %s", EN: "🔚 Voting closed at %s. Result and record: /result %s"}
	msgBallotTurnout  = bot.T{VI: "Đã bỏ phiếu: <b>%s/%s</b> đơn vị", EN: "Voted: <b>%s/%s</b> {unit|units}"}
	msgBallotVoted    = bot.T{VI: "✅ %s", EN: "✅ %s"}
	msgBallotVotedFor = bot.T{VI: "✅ %s → %s", EN: "✅ %s → %s"}
	msgBallotMore     = bot.T{VI: "… và %s đơn vị khác", EN: "… and %s more {unit|units}"}
	msgOpenElection   = bot.T{VI: "%s, kết thúc %s", EN: "%s, closing %s"}
	msgBallotMoved    = bot.T{VI: "⬇️ Phiếu bầu đã được gửi lại ở tin nhắn mới bên dưới: bấm chọn ứng viên trên phiếu đó.", EN: "⬇️ The ballot was posted again below: press a candidate there."}
	// msgBallotMovedTo is msgBallotMoved in a group with topics, where the
	// new copy may be in another topic: it links to it.
	msgBallotMovedTo = bot.T{VI: "↪️ Phiếu bầu đã được gửi lại ở <a href=\"%s\">tin nhắn mới</a>: bấm chọn ứng viên trên phiếu đó.", EN: "↪️ The ballot was posted again in <a href=\"%s\">a new message</a>: press a candidate there."}

	msgVoted    = bot.T{VI: "✅ Đã ghi nhận phiếu của %s: %s.\nMã phiếu: %s (ghi lại để đối chiếu khi kiểm phiếu).", EN: "✅ Recorded the vote of %s: %s.\nReceipt: %s (keep it to check the count)."}
	msgRevoted  = bot.T{VI: "✅ Đã đổi phiếu của %s: %s.\nMã phiếu mới: %s (phiếu trước không còn được tính).", EN: "✅ Changed the vote of %s: %s.\nNew receipt: %s (the earlier vote no longer counts)."}
	msgSameVote = bot.T{VI: "☑️ Phiếu của %s vẫn là: %s (không đổi).\nMã phiếu: %s. Muốn đổi phiếu, bấm tên ứng viên khác trước khi kết thúc.", EN: "☑️ The vote of %s stays: %s (unchanged).\nReceipt: %s. To change it, press another candidate before the close."}

	msgAllVoted     = bot.T{VI: "🗳 Tất cả %d/%d đơn vị đã bỏ phiếu bầu %s năm %d — kết thúc bỏ phiếu.", EN: "🗳 All %d/%d {unit has|units have} voted for the %s for %d — voting is closed."}
	msgResultHead   = bot.T{VI: "🗳 <b>Kết quả bầu %s năm %d</b>", EN: "🗳 <b>Result of the election of the %s for %d</b>"}
	msgTurnout      = bot.T{VI: "Số đơn vị bỏ phiếu: <b>%d/%d</b> (cần ít nhất %d): %s", EN: "Units that voted: <b>%d/%d</b> (at least %d needed): %s"}
	msgQuorumMet    = bot.T{VI: "đủ", EN: "quorum met"}
	msgQuorumMissed = bot.T{VI: "không đủ", EN: "no quorum"}
	msgTallyLine    = bot.T{VI: "• %s: <b>%d</b> phiếu", EN: "• %s: <b>%d</b> {vote|votes}"}
	msgTallyCodes   = bot.T{VI: " — mã phiếu: %s", EN: " — receipts: %s"}
	msgWon          = bot.T{VI: "🎉 <b>%s</b> trúng cử %s năm %d với %d/%d phiếu.", EN: "🎉 <b>%s</b> is elected %s for %d with %d/%d {vote|votes}."}
	msgNoQuorum     = bot.T{
		VI: "⚠️ Không đủ quá nửa số đơn vị bỏ phiếu nên không có đơn vị nào trúng cử. Khối trưởng hoặc quản trị viên có thể mở cuộc bầu mới: <code>/elect %s</code>",
		EN: "⚠️ Half of the units or fewer voted, so no one is elected. The leader or an administrator may open a new election: <code>/elect %s</code>",
	}
	msgToRunoff = bot.T{VI: "Không ứng viên nào được quá nửa số phiếu bầu (cần ít nhất %d/%d): bầu lại vòng %d giữa %s.", EN: "No candidate has more than half of the votes (%d/%d needed): runoff (round %d) between %s."}
	msgTied     = bot.T{
		VI: "⚖️ Vòng bầu lại hoà phiếu giữa %s. Khối trưởng hoặc quản trị viên quyết định: <code>/decide %s &lt;đơn vị&gt;</code>",
		EN: "⚖️ The runoff is tied between %s. The leader or an administrator decides: <code>/decide %s &lt;unit&gt;</code>",
	}
	msgDecided     = bot.T{VI: "⚖️ Hoà phiếu giữa %s; %s quyết định (%s): <b>%s</b> trúng cử %s năm %d.", EN: "⚖️ Tied between %s; %s decided (%s): <b>%s</b> is elected %s for %d."}
	msgVacated     = bot.T{VI: "Lưu ý: <b>%s</b> trúng cử %s nên không còn là %s được bầu năm %d; cần bầu lại %s.", EN: "Note: <b>%s</b> is elected %s, so it is no longer the elected %s for %d; elect the %s again."}
	msgRecordLink  = bot.T{VI: "Biên bản kiểm phiếu: /result %s", EN: "Counting record: /result %s"}
	msgRecordHead  = bot.T{VI: "📋 <b>Biên bản kiểm phiếu</b> — bầu %s năm %d", EN: "📋 <b>Counting record</b> — election of the %s for %d"}
	msgRecordBlock = bot.T{VI: "Khối: %s", EN: "Block: %s"}
	msgRecordDate  = bot.T{VI: "Ngày lập: %s", EN: "Date: %s"}
	msgRecordKind  = map[bool]bot.T{
		true:  {VI: "Hình thức: bỏ phiếu kín", EN: "Secret ballot"},
		false: {VI: "Hình thức: bỏ phiếu công khai", EN: "Open ballot"},
	}
	msgRecordOpened = bot.T{VI: "Mở bầu: %s, bởi %s", EN: "Opened: %s, by %s"}
	msgRecordClosed = map[thidua.CloseReason]bot.T{
		thidua.ClosedOnTime:   {VI: "Kết thúc: %s (hết giờ bỏ phiếu)", EN: "Closed: %s (closing time)"},
		thidua.ClosedAllVoted: {VI: "Kết thúc: %s (tất cả đơn vị đã bỏ phiếu)", EN: "Closed: %s (every unit voted)"},
		thidua.ClosedByHand:   {VI: "Kết thúc: %s (do %s kết thúc)", EN: "Closed: %s (by %s)"},
	}
	msgRecordRoll     = bot.T{VI: "<b>Danh sách cử tri</b> (chốt khi mở bầu, %d đơn vị):", EN: "<b>Roll</b> (fixed at the opening, %d {unit|units}):"}
	msgRollVoted      = bot.T{VI: "%d. %s — ✅ đã bỏ phiếu", EN: "%d. %s — ✅ voted"}
	msgRollVotedFor   = bot.T{VI: "%d. %s — ✅ bầu %s (mã %s)", EN: "%d. %s — ✅ for %s (receipt %s)"}
	msgRollNotVoted   = bot.T{VI: "%d. %s — chưa bỏ phiếu", EN: "%d. %s — did not vote"}
	msgRecordTally    = bot.T{VI: "<b>Kết quả kiểm phiếu</b>", EN: "<b>Count</b>"}
	msgRecordReceipts = bot.T{VI: "Mỗi đơn vị tìm mã phiếu của mình dưới tên ứng viên đã bầu để kiểm tra phiếu được tính đúng.", EN: "Each unit finds its receipt under the candidate it chose, to check that its vote was counted as cast."}
	msgRecordPending  = bot.T{VI: "Kết luận: chờ quyết định.", EN: "Conclusion: awaiting a decision."}
	msgElectedLine    = bot.T{VI: "%s năm %d (đã bầu): <b>%s</b>\n", EN: "Elected %s for %d: <b>%s</b>\n"}
	msgElectedGone    = bot.T{
		VI: "%s năm %d (đã bầu): <b>%s</b> — đơn vị đã bị xoá khỏi khối nên không nhận chức; bầu lại: <code>/elect %s</code>\n",
		EN: "Elected %s for %d: <b>%s</b> — the unit was removed from the block and will not take office; elect again: <code>/elect %s</code>\n",
	}
)

// errNothingDue tells the store not to write a block in which nothing was due.
var errNothingDue = errors.New("handlers: no election due")

// elect opens an election and posts its ballot in the group.
func (r *Router) elect(q *request) error {
	b, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	spec, err := r.parseElection(q, b)
	if err != nil {
		return err
	}
	q.replay = func() error { return r.replayElect(q, b.ID, spec.Role) }
	var e thidua.Election
	var asked *thidua.Block // the block that refused for want of a confirmation
	b, err = q.update(func(b *thidua.Block) error {
		var err error
		e, err = b.OpenElection(a, spec, r.now())
		if errors.Is(err, thidua.ErrAlreadyElected) {
			asked = b
		}
		return err
	})
	switch {
	case errors.Is(err, thidua.ErrAlreadyElected):
		return r.askElectAgain(q, asked, spec)
	case errors.Is(err, thidua.ErrCloseTime):
		return q.usage(msgElectPast)
	case err != nil:
		return err
	}
	return r.postBallot(q, b, e)
}

// replayElect answers an update that opened an election for the office
// before (a redelivery after a crash): should the crash have kept the
// ballot from the group, it posts the ballot now; else it says the request
// was recorded.
func (r *Router) replayElect(q *request, blockID string, role thidua.Role) error {
	if cur, err := r.cfg.Store.Block(q.ctx, blockID); err == nil {
		for _, e := range cur.OpenElections() {
			if e.Role == role && e.MessageID == 0 {
				return r.postBallot(q, cur, e)
			}
		}
	}
	return q.fail(msgAlreadyApplied.In(q.lang))
}

// parseElection reads the office and the options of /elect (see its usage).
// Bad input is answered with the usage and returned as errReplied.
func (r *Router) parseElection(q *request, b *thidua.Block) (thidua.ElectionSpec, error) {
	var segs []string
	for _, line := range argLines(q.args) {
		for _, s := range strings.Split(line, "|") {
			if s = strings.TrimSpace(s); s != "" {
				segs = append(segs, s)
			}
		}
	}
	if len(segs) == 0 {
		return thidua.ElectionSpec{}, q.usage(msgElectNoOffice)
	}
	role, rest, ok := cutOffice(segs[0])
	if !ok {
		return thidua.ElectionSpec{}, q.usage(msgElectNoOffice)
	}
	opts := segs[1:]
	if rest != "" {
		opts = append([]string{rest}, opts...)
	}
	spec := thidua.ElectionSpec{Role: role, Secret: true}
	seen := map[electOption]electOption{} // the kind given of each choice
	for _, opt := range opts {
		kind, val := splitOption(opt)
		withValue := kind == optCandidates || kind == optCloses
		if kind == 0 || withValue != (val != "") {
			return spec, q.usage(msgElectBadOpt, bot.Escape(opt))
		}
		group := kind
		if kind == optPublic {
			group = optSecret // secret and open are one choice
		}
		switch given, ok := seen[group]; {
		case ok && given != kind:
			return spec, q.usage(msgElectSecretOrOpen)
		case ok:
			return spec, q.usage(msgElectRepeated, bot.Escape(opt))
		}
		seen[group] = kind
		switch kind {
		case optCandidates:
			ids, err := findUnits(q, b, val, msgElectBadCand)
			if err != nil {
				return spec, err
			}
			if spec.Candidates = ids; len(ids) == 0 {
				return spec, q.usage(msgElectBadOpt, bot.Escape(opt))
			}
		case optSecret, optPublic:
			spec.Secret = kind == optSecret
		case optCloses:
			now := r.now()
			t, err := thidua.ParseDateTime(val, now.Year(), 17*time.Hour, r.cfg.Location)
			if err != nil {
				return spec, q.usage(msgElectBadClose, bot.Escape(val))
			}
			if !t.After(now) {
				return spec, q.usage(msgElectPast)
			}
			spec.CloseAt = t
		case optReelection:
			if role != thidua.RoleLeader {
				return spec, q.usage(msgElectReDeputy)
			}
			spec.Reelection = true
		}
	}
	return spec, nil
}

// cutOffice reads an office named at the start of s ("khoitruong", "khối
// trưởng", "leader"...) and returns the rest of s.
func cutOffice(s string) (thidua.Role, string, bool) {
	words := strings.Fields(s)
	for n := min(2, len(words)); n >= 1; n-- {
		if role, ok := officeWords[thidua.Fold(strings.Join(words[:n], " "))]; ok {
			return role, strings.Join(words[n:], " "), true
		}
	}
	return "", s, false
}

// splitOption reads one option of /elect, "name: value" or "name value",
// and returns its kind (0 when unknown) and value.
func splitOption(opt string) (electOption, string) {
	if name, val, ok := strings.Cut(opt, ":"); ok {
		if kind := electOptions[thidua.Fold(name)]; kind != 0 {
			return kind, strings.TrimSpace(val)
		}
	}
	words := strings.Fields(opt)
	for n := len(words); n >= 1; n-- {
		if kind := electOptions[thidua.Fold(strings.Join(words[:n], " "))]; kind != 0 {
			return kind, strings.Join(words[n:], " ")
		}
	}
	return 0, ""
}

// officeOf reads an optional office argument, s (none when empty); bad
// input is answered with the usage.
func officeOf(q *request, s string) (thidua.Role, error) {
	if s == "" {
		return "", nil
	}
	role, rest, ok := cutOffice(s)
	if !ok || rest != "" {
		return "", q.usage(msgBadOffice, bot.Escape(shorten(q.args, 40)))
	}
	return role, nil
}

// vote records a press on a ballot button. The callback answer, which only
// the presser sees, confirms the unit's choice with its receipt code.
func (r *Router) vote(q *request, args []string) error {
	if len(args) != 2 {
		return q.answer(msgStaleButton.In(q.lang), true)
	}
	electionID, candidate := args[0], args[1]
	a := q.asker()
	var out thidua.VoteOutcome
	var b *thidua.Block
	var err error
	for attempt := 1; attempt <= receiptAttempts; attempt++ {
		// The code is drawn outside the update, which may run several times.
		receipt := newReceipt()
		b, err = q.updateParts(thidua.PartElections, func(b *thidua.Block) error {
			var err error
			out, err = b.Vote(a, electionID, candidate, receipt, r.now())
			return err
		})
		if !errors.Is(err, thidua.ErrReceiptTaken) {
			break
		}
	}
	if errors.Is(err, thidua.ErrElectionClosed) {
		// The button outlived its election: say so, and take the buttons away.
		if err := q.answer(domainMessage(err, q), true); err != nil {
			return err
		}
		r.showClosedBallot(q, electionID)
		return errReplied
	}
	if err != nil {
		return err
	}
	e := b.Election(electionID)
	msg := msgVoted
	switch {
	case out.Same:
		msg = msgSameVote
	case out.Changed:
		msg = msgRevoted
	}
	if err := q.answer(fitAnswer(msg, q.lang, e.Name(out.Ballot.UnitID), e.Name(out.Ballot.Candidate), out.Ballot.Receipt), true); err != nil {
		return err
	}
	if out.Closing != nil {
		return r.announce(q, b, *out.Closing)
	}
	if out.Same || out.Changed && e.Secret {
		return nil // the ballot message shows nothing new
	}
	text, kb := r.ballot(e)
	r.editBallot(q, q.callback.Message.MessageID, text, kb)
	if e.MessageID != 0 && e.MessageID != q.callback.Message.MessageID {
		r.editBallot(q, e.MessageID, text, kb)
	}
	return nil
}

// showClosedBallot turns the pressed ballot message of a closed election
// into its closed form, without buttons. A press once the closing time has
// come, before the scheduler's tick, closes the election first (closeDue),
// which announces the result and edits the ballot message kept.
func (r *Router) showClosedBallot(q *request, electionID string) {
	b, err := q.block()
	if err != nil {
		return
	}
	_, announced, err := r.closeDue(q, b)
	if err != nil {
		r.cfg.Log.Warn("due election not closed", "block", b.ID, "err", err)
	}
	if b, err = r.cfg.Store.Block(q.ctx, b.ID); err != nil { // as it is now, not as first read
		return
	}
	e := b.Election(electionID)
	pressed := q.callback.Message.MessageID
	if e == nil || e.State == thidua.ElectionOpen || (pressed == e.MessageID && slices.ContainsFunc(announced, func(d thidua.Election) bool { return d.ID == e.ID })) {
		return // not closed yet after all, or its closing just edited it
	}
	text, _ := r.ballot(e)
	r.editBallot(q, pressed, text, nil)
}

// closeDue closes the elections of block b whose closing time has come, as
// the scheduler does (closeDueElections), for a request that came before
// the scheduler's tick: the group is told their results rather than shown
// a vote that looks open and refuses every press. It returns the block as
// it is then, b itself in the common case of none due, which costs
// nothing, and the elections whose results it announced: not those whose
// results were too old to announce (see gaveUp), which only /result
// shows.
func (r *Router) closeDue(q *request, b *thidua.Block) (*thidua.Block, []thidua.Election, error) {
	now := r.now()
	if !slices.ContainsFunc(b.Elections.List, func(e thidua.Election) bool {
		return e.State == thidua.ElectionOpen && !now.Before(e.CloseAt)
	}) {
		return b, nil, nil
	}
	return r.closeAndAnnounce(q.ctx, b.ID, now)
}

// closeVote closes an open election by hand and announces the result; one
// whose closing time has come, before the scheduler's tick, closes on time
// (thidua.Block.CloseElection), which the manager is told. Named no office
// while both offices' elections are open, it closes only those whose
// closing time has come, and says how to close the other; with none due it
// asks which.
func (r *Router) closeVote(q *request) error {
	b, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	role, err := officeOf(q, q.args)
	if err != nil {
		return err
	}
	now := r.now()
	open := b.ElectionsIn(role, thidua.ElectionOpen)
	targets := open
	if len(open) > 1 {
		targets = slices.DeleteFunc(slices.Clone(open), func(e thidua.Election) bool { return now.Before(e.CloseAt) })
	}
	switch {
	case len(open) == 0 && role != "":
		return noneFor(q, msgNoOpenFor, role)
	case len(open) == 0:
		return thidua.ErrNoOpenElection
	case len(targets) == 0:
		return q.usage(msgCloseWhich)
	}
	var closings []thidua.Closing
	b, err = q.update(func(b *thidua.Block) error {
		closings = closings[:0]
		for _, e := range targets {
			c, err := b.CloseElection(a, e.ID, now)
			if err != nil {
				return err
			}
			closings = append(closings, c)
		}
		return nil
	})
	if errors.Is(err, thidua.ErrElectionClosed) {
		// Closed since the block was read, by the scheduler or another
		// manager, which announced it: not the vote's "not recorded".
		_ = q.fail(msgClosedMeanwhile.In(q.lang))
		return errReplied
	}
	if err != nil {
		return err
	}
	for _, c := range closings {
		if e := c.Election; e.CloseReason == thidua.ClosedOnTime {
			// Its closing time came before the command: it closed on time.
			if err := q.reply(msgClosedBeforeCommand.F(q.lang, bot.Escape(electionLabel(e.Role, e.Year, e.Round, q.lang)), thidua.FormatDateTime(e.ClosedAt, r.cfg.Location))); err != nil {
				return err
			}
		}
		if err := r.announce(q, b, c); err != nil {
			return err
		}
	}
	if len(targets) == len(open) {
		return nil
	}
	for _, e := range open {
		if now.Before(e.CloseAt) { // left open: the manager named no office
			return q.reply(msgStillOpen.F(q.lang, bot.Escape(electionLabel(e.Role, e.Year, e.Round, q.lang)), officeArg[e.Role].In(q.lang)))
		}
	}
	return nil
}

// noneFor answers that the office a command named has no election it can
// act on (t names the office), rather than that the block has none: the
// other office's may be there. It returns errReplied.
func noneFor(q *request, t bot.T, role thidua.Role) error {
	_ = q.fail(t.F(q.lang, roleName[role].In(q.lang)))
	return errReplied
}

// decide settles a tied runoff.
func (r *Router) decide(q *request) error {
	b, a, err := q.managedBlock()
	if err != nil {
		return err
	}
	role, ref, _ := cutOffice(q.args)
	if strings.TrimSpace(ref) == "" {
		return q.usage(msgDecideNoUnit)
	}
	tied := b.ElectionsIn(role, thidua.ElectionTied)
	switch {
	case len(tied) == 0 && role != "":
		return noneFor(q, msgNoTieFor, role)
	case len(tied) == 0:
		return thidua.ErrNothingToDecide
	case len(tied) > 1:
		return q.usage(msgDecideWhich)
	}
	u, err := b.FindUnit(ref)
	if err != nil {
		return err
	}
	var c thidua.Closing
	_, err = q.update(func(b *thidua.Block) error {
		var err error
		c, err = b.DecideElection(a, tied[0].ID, u.ID, r.now())
		return err
	})
	if err != nil {
		return err
	}
	return q.reply(r.outcome(&c.Election, r.cfg.Lang) + r.vacatedLine(c, r.cfg.Lang))
}

// resultArgs reads the optional arguments of /result: an office, then a
// year; bad input is answered with the usage.
func resultArgs(q *request) (thidua.Role, int, error) {
	words, year := strings.Fields(q.args), 0
	if n := len(words); n > 0 {
		if y, err := strconv.Atoi(words[n-1]); err == nil && y > 0 {
			year, words = y, words[:n-1]
		}
	}
	role, err := officeOf(q, strings.Join(words, " "))
	if err != nil {
		return "", 0, err
	}
	return role, year, nil
}

// result shows the counting record of the office's last election, with the
// rounds before it, or without an office those of both offices, the
// leader's first; during an election it posts the ballot again, which says
// only who has voted. An election whose closing time has come, before the
// scheduler's tick, is closed first (closeDue): the result announced
// answers for its office. With a year the block turned from, it shows that
// year's, from the block as kept at the turn (see confirmNewYear).
func (r *Router) result(q *request) error {
	role, year, err := resultArgs(q)
	if err != nil {
		return err
	}
	cur, err := q.block()
	if err != nil {
		return err
	}
	cur, announced, err := r.closeDue(q, cur)
	if err != nil {
		return err
	}
	if year == cur.Year+1 {
		// The ballots and results name the year the units elected serve.
		return q.reply(msgResultElectedFor.F(q.lang, year, cur.Year))
	}
	b, err := r.yearBlock(q, cur, year)
	if b == nil || err != nil {
		return err
	}
	offices := []thidua.Role{role}
	if role == "" {
		offices = []thidua.Role{thidua.RoleLeader, thidua.RoleDeputy}
	}
	told := false // whether the closing just answered for an office asked
	if b == cur && len(announced) > 0 {
		// The closing just announced these offices' results.
		asked := len(offices)
		offices = slices.DeleteFunc(offices, func(o thidua.Role) bool {
			return slices.ContainsFunc(announced, func(e thidua.Election) bool { return e.Role == o })
		})
		told = len(offices) < asked
	}
	var records []string
	var open []thidua.Election
	for _, office := range offices {
		last := b.LatestElection(office)
		if last == nil {
			continue
		}
		for _, e := range rounds(b, last) {
			if e.State != thidua.ElectionOpen {
				records = append(records, r.record(b, e, q.lang))
			}
		}
		if last.State == thidua.ElectionOpen && b == cur {
			open = append(open, *last)
		}
	}
	switch {
	case len(records) == 0 && len(open) == 0 && told:
		return nil // the group was just told the results there are
	case len(records) == 0 && len(open) == 0:
		return r.noElection(q, cur, b, role)
	}
	if len(records) > 0 {
		if err := q.reply(strings.Join(records, "\n\n")); err != nil {
			return err
		}
	}
	for _, e := range open {
		if err := r.postBallot(q, b, e); err != nil {
			return err
		}
	}
	return nil
}

// noElection answers /result when the year asked, b's, has no election of
// the office (of either, for none): for a past year, that it had none; for
// the current one, cur, how to open one and, when the block kept the year
// before, where that year's records are.
func (r *Router) noElection(q *request, cur, b *thidua.Block, role thidua.Role) error {
	l := q.lang
	switch {
	case b != cur && role == "":
		return q.reply(msgNoElectionsIn.F(l, b.Year))
	case b != cur:
		return q.reply(msgNoElectionsForIn.F(l, b.Year, roleName[role].In(l)))
	}
	text := msgNoElections.In(l)
	if role != "" {
		// The other office's election may be under way: say which has none.
		text = msgNoElectionsFor.F(l, roleName[role].In(l), officeArg[role].In(l))
	}
	if _, err := r.cfg.Store.ArchivedYear(q.ctx, cur.ID, cur.Year-1); err == nil {
		text += "\n" + msgElectionsOfYear.F(l, cur.Year-1, cur.Year, cur.Year-1)
	} else if !errors.Is(err, storage.ErrNotFound) {
		return wrapStore(err)
	}
	return q.reply(text)
}

// rounds returns the rounds that led to e, from the first, e included.
func rounds(b *thidua.Block, e *thidua.Election) []*thidua.Election {
	chain := []*thidua.Election{e}
	for p := b.Election(e.Parent); p != nil && len(chain) <= len(b.Elections.List); p = b.Election(p.Parent) {
		chain = append(chain, p)
	}
	slices.Reverse(chain)
	return chain
}

// closeDueElections is the RunDue step of elections: it closes the elections
// whose closing time has come and announces their results. A block in which
// nothing is due is not written, and an election closed before is not closed
// again, so running it twice does nothing more.
func (r *Router) closeDueElections(ctx context.Context, blockID string, now time.Time) error {
	_, _, err := r.closeAndAnnounce(ctx, blockID, now)
	return err
}

// closeAndAnnounce is closeDueElections, returning the block as it left
// it and the elections whose results it announced.
func (r *Router) closeAndAnnounce(ctx context.Context, blockID string, now time.Time) (*thidua.Block, []thidua.Election, error) {
	var closings []thidua.Closing
	b, err := r.cfg.Store.Update(ctx, blockID, func(b *thidua.Block) error {
		closings = b.CloseDueElections(now.In(r.cfg.Location))
		if len(closings) == 0 {
			return errNothingDue
		}
		return nil
	})
	switch {
	case errors.Is(err, errNothingDue):
		if b, err = r.cfg.Store.Block(ctx, blockID); err != nil {
			return nil, nil, fmt.Errorf("reading block %s: %w", blockID, err)
		}
	case err != nil:
		return nil, nil, fmt.Errorf("closing due elections of block %s: %w", blockID, err)
	}
	// Announce what just closed, and any earlier result the group was not
	// told (Telegram was unreachable, the bot stopped): for a day, then the
	// result stays in /result only.
	q := r.groupRequest(ctx, b)
	var errs []error
	var announced []thidua.Election
	for _, c := range b.UnannouncedClosings() {
		for _, fresh := range closings {
			if fresh.Election.ID == c.Election.ID {
				c = fresh
			}
		}
		if r.gaveUp(ctx, blockID, "election result", c.Election.ClosedAt, now, thidua.PartElections,
			func(b *thidua.Block) error { return b.MarkAnnounced(c.Election.ID) }, "election", c.Election.ID) ||
			b.BotAwayAt(now) || b.GeneralHomeClosed() {
			continue // away from the group, or General closed, the bot posts the result once it may
		}
		err := r.announce(q, b, c)
		if err == nil {
			announced = append(announced, c.Election)
		}
		if !r.cannotPost(ctx, b, err) {
			errs = append(errs, err)
		}
	}
	return b, announced, errors.Join(errs...)
}

// announce tells the group that an election closed: every unit voted (if
// so), the ballot without its buttons, the result, and the runoff's ballot.
func (r *Router) announce(q *request, b *thidua.Block, c thidua.Closing) error {
	e := &c.Election
	lang := r.cfg.Lang
	// One process posts a result per attempt window: a replica's scheduler
	// ticking meanwhile sees the result pending too.
	mine, err := r.claimAnnouncement(q.ctx, b.ID, e.ID)
	if err != nil || !mine {
		return err
	}
	if e.CloseReason == thidua.ClosedAllVoted {
		if err := q.reply(msgAllVoted.F(lang, e.Result.Cast, e.Result.Roll, roleName[e.Role].In(lang), e.Year)); err != nil {
			return err
		}
	}
	text, _ := r.ballot(e)
	if e.MessageID != 0 {
		r.editBallot(q, e.MessageID, text, nil)
	}
	if q.callback != nil && q.callback.Message.MessageID != e.MessageID {
		r.editBallot(q, q.callback.Message.MessageID, text, nil)
	}
	lines := []string{msgResultHead.F(lang, roleName[e.Role].In(lang), e.Year) + roundSuffix(e, lang), r.turnout(e, lang)}
	lines = append(lines, r.tally(e, lang, false)...)
	lines = append(lines, r.outcome(e, lang)+r.vacatedLine(c, lang), msgRecordLink.F(lang, officeArg[e.Role].In(lang)))
	if err := q.reply(strings.Join(lines, "\n")); err != nil {
		return err
	}
	r.remember(q.ctx, b.ID, "election announced", thidua.PartElections, func(b *thidua.Block) error { return b.MarkAnnounced(e.ID) })
	if c.Runoff != nil && c.Runoff.MessageID == 0 { // a runoff whose ballot is not posted yet
		return r.postBallot(q, b, *c.Runoff)
	}
	return nil
}

// postBallot posts the ballot of an open election in the group and makes it
// the message that is edited as votes come in. Remembering the message is
// bookkeeping, done with its own write: the election is open whether or
// not it succeeds, and /result posts the ballot again. The copy posted
// before, if any, loses its buttons and points to the new one (below it,
// or in a group with topics, where it may be in another topic, by a link):
// it would no longer follow the votes, nor the close.
func (r *Router) postBallot(q *request, b *thidua.Block, e thidua.Election) error {
	text, kb := r.ballot(&e)
	m, err := q.send(text, kb)
	if err != nil {
		return err
	}
	r.remember(q.ctx, b.ID, "ballot message", thidua.PartElections, func(b *thidua.Block) error {
		return b.SetBallotMessage(e.ID, m.MessageID)
	})
	if e.MessageID != 0 && e.MessageID != m.MessageID {
		moved := msgBallotMoved.In(r.cfg.Lang)
		if link := q.linkTo(m.MessageID); link != "" {
			moved = msgBallotMovedTo.F(r.cfg.Lang, link) // the earlier copy may be in another topic
		}
		r.editBallot(q, e.MessageID, r.ballotHead(&e)+"\n"+moved, nil)
	}
	return nil
}

// editBallot edits a ballot message. A failed edit (the message was deleted,
// or shows this already) is logged: the vote or the close is recorded, and
// /result shows the state.
func (r *Router) editBallot(q *request, messageID int, text string, kb *tgbotapi.InlineKeyboardMarkup) {
	if err := q.edit(q.chat.ID, messageID, text, kb); err != nil {
		r.cfg.Log.Warn("ballot message not edited", "chat", q.chat.ID, "message", messageID, "err", err)
	}
}

// ballot renders the ballot message of an election in the group's language:
// the question, how to vote, the closing time and who has voted (in an open
// ballot, also for whom), with one button per candidate while it is open:
// every candidate on the one keyboard, none a page away from the others,
// long names shortened as its size calls for (see fitLabels). Nothing in
// it reveals a secret vote or a running tally.
func (r *Router) ballot(e *thidua.Election) (string, *tgbotapi.InlineKeyboardMarkup) {
	lang := r.cfg.Lang
	kind := msgBallotSecret
	if !e.Secret {
		kind = msgBallotPublic
	}
	lines := []string{r.ballotHead(e), kind.In(lang)}
	open := e.State == thidua.ElectionOpen
	if open {
		lines = append(lines, msgBallotHow.In(lang), msgBallotCloses.F(lang, thidua.FormatDateTime(e.CloseAt, r.cfg.Location)))
	} else {
		lines = append(lines, msgBallotClosed.F(lang, thidua.FormatDateTime(e.ClosedAt, r.cfg.Location), officeArg[e.Role].In(lang)))
	}
	lines = append(lines, msgBallotTurnout.Fill(lang, strconv.Itoa(len(e.Voted())), strconv.Itoa(len(e.Roll))))
	left := roomAfter(ballotBudget, lines)
	counted := e.Counted()
	for i, bl := range counted {
		line := msgBallotVoted.F(lang, bot.Escape(e.Name(bl.UnitID)))
		if !e.Secret {
			line = msgBallotVotedFor.F(lang, bot.Escape(e.Name(bl.UnitID)), bot.Escape(e.Name(bl.Candidate)))
		}
		if !left.take(line, 1) {
			lines = append(lines, msgBallotMore.Fill(lang, strconv.Itoa(len(counted)-i)))
			break
		}
		lines = append(lines, line)
	}
	if !open {
		return strings.Join(lines, "\n"), nil
	}
	rows := make([][]tgbotapi.InlineKeyboardButton, 0, len(e.Candidates))
	for _, c := range e.Candidates {
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(e.Name(c), cbVote+":"+e.ID+":"+c)))
	}
	kb := fitLabels(rows)
	return strings.Join(lines, "\n"), &kb
}

// openElections names open elections with their closing times, in lang,
// for a message that must say which are under way: "Bầu Khối trưởng năm
// 2027, kết thúc 25/11/2026 17:00; …".
func (r *Router) openElections(elections []thidua.Election, lang bot.Lang) string {
	items := make([]string, len(elections))
	for i, e := range elections {
		items[i] = msgOpenElection.F(lang, bot.Escape(electionLabel(e.Role, e.Year, e.Round, lang)), thidua.FormatDateTime(e.CloseAt, r.cfg.Location))
	}
	return strings.Join(items, "; ")
}

// ballotHead is the heading of an election's ballot, in the group's
// language.
func (r *Router) ballotHead(e *thidua.Election) string {
	lang := r.cfg.Lang
	return msgBallotHead.F(lang, roleName[e.Role].In(lang), e.Year) + roundSuffix(e, lang)
}

// roundSuffix marks a runoff in headings.
func roundSuffix(e *thidua.Election, lang bot.Lang) string {
	if e.Round > 1 {
		return msgRound.F(lang, e.Round)
	}
	return ""
}

// turnout is the line with the number of units that voted and the quorum.
func (r *Router) turnout(e *thidua.Election, lang bot.Lang) string {
	met := msgQuorumMissed
	if e.Result.Quorum {
		met = msgQuorumMet
	}
	return msgTurnout.F(lang, e.Result.Cast, e.Result.Roll, e.Result.Roll/2+1, met.In(lang))
}

// tally lists the votes of each candidate, most first; with receipts, also
// the sorted receipt codes of the ballots counted for each, which link no
// unit to its choice.
func (r *Router) tally(e *thidua.Election, lang bot.Lang, receipts bool) []string {
	ranked := slices.Clone(e.Result.Tally)
	slices.SortStableFunc(ranked, func(x, y thidua.Tally) int { return y.Votes - x.Votes })
	counted := e.Counted()
	var lines []string
	for _, t := range ranked {
		line := msgTallyLine.F(lang, bot.Escape(e.Name(t.UnitID)), t.Votes)
		if receipts && t.Votes > 0 {
			var codes []string
			for _, bl := range counted {
				if bl.Candidate == t.UnitID {
					codes = append(codes, bl.Receipt)
				}
			}
			slices.Sort(codes)
			line += msgTallyCodes.F(lang, strings.Join(codes, ", "))
		}
		lines = append(lines, line)
	}
	return lines
}

// outcome states what a closed election decided.
func (r *Router) outcome(e *thidua.Election, lang bot.Lang) string {
	office := roleName[e.Role].In(lang)
	res := e.Result
	tied := make([]string, len(res.Tied))
	for i, id := range res.Tied {
		tied[i] = "<b>" + bot.Escape(e.Name(id)) + "</b>"
	}
	switch e.State {
	case thidua.ElectionWon:
		votes := 0
		for _, t := range res.Tally {
			if t.UnitID == e.Winner {
				votes = t.Votes
			}
		}
		return msgWon.F(lang, bot.Escape(e.Name(e.Winner)), office, e.Year, votes, res.Cast)
	case thidua.ElectionNoQuorum:
		return msgNoQuorum.F(lang, officeArg[e.Role].In(lang))
	case thidua.ElectionRunoff:
		return msgToRunoff.F(lang, res.Cast/2+1, res.Cast, e.Round+1, strings.Join(tied, ", "))
	case thidua.ElectionTied:
		return msgTied.F(lang, strings.Join(tied, ", "), officeArg[e.Role].In(lang))
	case thidua.ElectionDecided:
		return msgDecided.F(lang, strings.Join(tied, ", "), bot.Escape(e.DecidedBy), thidua.FormatDateTime(e.DecidedAt, r.cfg.Location),
			bot.Escape(e.Name(e.Winner)), office, e.Year)
	}
	return msgRecordPending.In(lang)
}

// vacatedLine notes that the winner gave up its election to the other office.
func (r *Router) vacatedLine(c thidua.Closing, lang bot.Lang) string {
	v := c.Vacated
	if v == nil {
		return ""
	}
	return "\n" + msgVacated.F(lang, bot.Escape(v.Name), roleName[c.Election.Role].In(lang), roleName[v.Role].In(lang), v.Year, roleName[v.Role].In(lang))
}

// record renders the counting record (biên bản kiểm phiếu) of a closed
// election: the roll and who voted, turnout, the tally with the receipt
// codes of the counted ballots, and the conclusion. In a secret ballot it
// links no unit to its choice.
func (r *Router) record(b *thidua.Block, e *thidua.Election, lang bot.Lang) string {
	loc := r.cfg.Location
	lines := []string{
		msgRecordHead.F(lang, roleName[e.Role].In(lang), e.Year) + roundSuffix(e, lang),
		msgRecordBlock.F(lang, bot.Escape(b.Name)),
		msgRecordDate.F(lang, thidua.FormatDate(e.ClosedAt, loc)),
		msgRecordKind[e.Secret].In(lang),
		msgRecordOpened.F(lang, thidua.FormatDateTime(e.OpenedAt, loc), bot.Escape(e.OpenedBy)),
		r.closedLine(e, lang),
		msgRecordRoll.F(lang, len(e.Roll)),
	}
	counted := e.Counted()
	for i, u := range e.Roll {
		j := slices.IndexFunc(counted, func(x thidua.Ballot) bool { return x.UnitID == u.ID })
		switch {
		case j < 0:
			lines = append(lines, msgRollNotVoted.F(lang, i+1, bot.Escape(u.Name)))
		case e.Secret:
			lines = append(lines, msgRollVoted.F(lang, i+1, bot.Escape(u.Name)))
		default:
			lines = append(lines, msgRollVotedFor.F(lang, i+1, bot.Escape(u.Name), bot.Escape(e.Name(counted[j].Candidate)), counted[j].Receipt))
		}
	}
	lines = append(lines, r.turnout(e, lang), msgRecordTally.In(lang))
	lines = append(lines, r.tally(e, lang, true)...)
	if e.Secret {
		lines = append(lines, msgRecordReceipts.In(lang))
	}
	return strings.Join(append(lines, r.outcome(e, lang)), "\n")
}

// closedLine says when and how the election closed.
func (r *Router) closedLine(e *thidua.Election, lang bot.Lang) string {
	at := thidua.FormatDateTime(e.ClosedAt, r.cfg.Location)
	if e.CloseReason == thidua.ClosedByHand {
		return msgRecordClosed[e.CloseReason].F(lang, at, bot.Escape(e.ClosedBy))
	}
	return msgRecordClosed[e.CloseReason].F(lang, at)
}

// electedLines names, for /units, the units elected for next year; a unit
// removed since, which will not take the office (thidua.Block.StartYear),
// with the command that elects another.
func (r *Router) electedLines(q *request, b *thidua.Block) string {
	var sb strings.Builder
	for _, role := range []thidua.Role{thidua.RoleLeader, thidua.RoleDeputy} {
		el := b.ElectedFor(role)
		switch {
		case el == nil:
		case b.Unit(el.UnitID) == nil:
			sb.WriteString(msgElectedGone.F(q.lang, roleName[role].In(q.lang), el.Year, bot.Escape(el.Name), officeArg[role].In(q.lang)))
		default:
			sb.WriteString(msgElectedLine.F(q.lang, roleName[role].In(q.lang), el.Year, bot.Escape(b.UnitName(el.UnitID))))
		}
	}
	return sb.String()
}

// newReceipt draws a receipt code with crypto/rand. 256 is a multiple of the
// alphabet's 32 letters, so every code is equally likely.
func newReceipt() string {
	var buf [receiptLen]byte
	_, _ = rand.Read(buf[:]) // crypto/rand.Read never fails on supported platforms
	for i := range buf {
		buf[i] = receiptAlphabet[int(buf[i])%len(receiptAlphabet)]
	}
	return string(buf[:])
}

// fitAnswer formats a callback answer about a unit and a candidate,
// shortening the names so that it fits Telegram's 200 characters.
func fitAnswer(t bot.T, lang bot.Lang, unit, candidate, receipt string) string {
	s := t.F(lang, unit, candidate, receipt)
	if textLen(s) <= maxAnswerLen {
		return s
	}
	room := max((maxAnswerLen-textLen(t.F(lang, "", "", receipt)))/2, 1)
	return t.F(lang, shorten(unit, room), shorten(candidate, room), receipt)
}
