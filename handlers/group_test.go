package handlers_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/telegramtest"
)

// The life of the bot in a real group: added, removed and added back,
// upgraded to a supergroup, posted to anonymously, in forum topics.

// sendsTo counts the bot's sendMessage calls to the chat, accepted or not.
func sendsTo(h *harness, chatID int64) int {
	n := 0
	for _, r := range h.tg.Requests("sendMessage") {
		if r.Params.Get("chat_id") == strconv.FormatInt(chatID, 10) {
			n++
		}
	}
	return n
}

// logLines counts the lines of logs at level (ERROR, WARN, INFO, DEBUG).
func logLines(logs, level string) int {
	return strings.Count(logs, "level="+level)
}

// away is a way for the bot to be out of its group, as far as posting
// there goes, and to come back: removed and added back, or restricted from
// sending messages and freed. The bot treats both alike.
type away struct {
	name   string
	status string // the bot's status while away
	// gone is the warning of the first post Telegram refuses, notSent the
	// note of a reminder not sent while away.
	gone, notSent string
	// left and back are the history entries of the group's creator
	// sending the bot away and bringing it back; found is that of the bot
	// finding itself away without being told.
	left, back, found string
	// welcome is what the bot says, back, of the reminders not sent.
	welcome string
}

var aways = []away{
	{
		name: "removed", status: telegramtest.StatusKicked,
		gone: "the bot is not in the block's group", notSent: "reminder not sent: the bot is not in the group",
		left: "Hùng: gỡ bot khỏi nhóm", back: "Hùng: thêm bot trở lại nhóm",
		found:   "thiduabot: không gửi được tin vào nhóm vì bot không còn ở trong nhóm",
		welcome: "Trong thời gian bot không ở trong nhóm",
	},
	{
		name: "restricted", status: telegramtest.StatusRestricted,
		gone: "the bot may not post in the block's group", notSent: "reminder not sent: the bot may not post in the group",
		left: "Hùng: hạn chế quyền gửi tin của bot trong nhóm", back: "Hùng: cho bot gửi tin trở lại trong nhóm",
		found:   "thiduabot: không gửi được tin vào nhóm vì bot bị hạn chế quyền gửi tin",
		welcome: "Trong thời gian bot bị hạn chế quyền gửi tin trong nhóm",
	},
}

// An administrator removes the bot from the group for a week, or restricts
// it from sending messages there, then brings it back. Meanwhile the
// scheduler sends nothing to the group or in private (reminders and the
// election's result would only be refused by Telegram, every few minutes,
// each time an error in the logs): it notes each reminder it does not
// send, once, and the history says who sent the bot away and who brought
// it back. Back in the group, the bot says so, and the reminders that fall
// due after its return go out.
func TestBotSentAwayFromTheGroupAndBroughtBack(t *testing.T) {
	for _, c := range aways {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			lan, _ := withReps(h)
			h.say(h.group, h.admin, "/deadline 20/03/2026 | Báo cáo sơ kết")
			me := h.tg.BotUser()
			tk := newTicker(h)

			h.handled(mustChange(t)(h.group.ChangeStatus(me, c.status)))
			sent, dms := sendsTo(h, h.group.ID), len(h.tg.Messages(lan.ID))
			got := tk.run(at(3, 12, 7, 0), at(3, 19, 7, 0), 5*time.Minute)
			if len(got) != 0 || sendsTo(h, h.group.ID) != sent || len(h.tg.Messages(lan.ID)) != dms {
				t.Fatalf("the bot, away, sent %d messages to the group (%v) and %d in private",
					sendsTo(h, h.group.ID)-sent, got, len(h.tg.Messages(lan.ID))-dms)
			}
			logs := tk.logs.String()
			if n := logLines(logs, "ERROR") + logLines(logs, "WARN"); n != 0 {
				t.Fatalf("%d errors and warnings while the bot was away:\n%s", n, logs)
			}
			if n := strings.Count(logs, `msg="`+c.notSent+`"`); n != 2 {
				t.Fatalf("%d log lines for the 2 reminders not sent (13/3, 17/3):\n%s", n, logs)
			}
			if b := h.block(); b.Schedule.Away == nil || b.Schedule.Away.UserID != h.admin.ID {
				t.Fatalf("the block does not record who sent the bot away: %+v", b.Schedule.Away)
			}

			h.now = at(3, 19, 7, 0)
			h.handled(mustChange(t)(h.group.ChangeStatusBy(me, telegramtest.StatusAdministrator, h.admin)))
			back, _ := h.tg.LastMessage(h.group.ID)
			expect(t, back.Text, "Nhóm này vẫn là Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai", c.welcome, "nhắc hạn", "/deadlines")
			if b := h.block(); b.Schedule.Away != nil {
				t.Fatalf("the block still records the bot as away: %+v", b.Schedule.Away)
			}
			got = tk.run(at(3, 19, 7, 0), at(3, 19, 9, 0), 5*time.Minute)
			if len(got) != 1 {
				t.Fatalf("after the bot came back the group got %v, want the day's reminder", got)
			}
			expect(t, got[0].msg.Text, "Nhắc hạn: Báo cáo sơ kết", "(còn 1 ngày)")
			expect(t, h.say(h.group, h.admin, "/history 3").Text, c.left, c.back)
		})
	}
}

// mustChange returns a check that ChangeStatus delivered an update, and
// returns it.
func mustChange(t *testing.T) func(telegramtest.Update, bool) telegramtest.Update {
	return func(u telegramtest.Update, ok bool) telegramtest.Update {
		t.Helper()
		if !ok {
			t.Fatal("no update of the status change")
		}
		return u
	}
}

// An election closes while the bot is away from the group: it is closed
// on time, and its result, which the bot does not try to post meanwhile,
// is posted once the bot is back, once.
func TestElectionResultWaitsForTheBotsReturn(t *testing.T) {
	for _, c := range aways {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			reps := electorate(h)
			h.say(h.group, h.admin, "/elect khoitruong | đóng: 02/03/2026 17:00")
			h.votes(reps, nongDan, nongDan, nongDan, ccb)
			me := h.tg.BotUser()
			tk := newTicker(h)

			h.handled(mustChange(t)(h.group.ChangeStatus(me, c.status)))
			sent := sendsTo(h, h.group.ID)
			tk.run(at(3, 2, 16, 0), at(3, 2, 20, 0), time.Minute)
			if n := sendsTo(h, h.group.ID) - sent; n != 0 {
				t.Fatalf("the bot, away, tried %d times to post in the group", n)
			}
			if logs := tk.logs.String(); logLines(logs, "ERROR")+logLines(logs, "WARN") != 0 {
				t.Fatalf("errors and warnings while the bot was away:\n%s", logs)
			}
			if e := h.lastElection(); e.State != "won" || !e.AnnouncePending {
				t.Fatalf("election %s, result pending %v", e.State, e.AnnouncePending)
			}

			h.now = at(3, 2, 20, 0)
			h.handled(mustChange(t)(h.group.ChangeStatusBy(me, telegramtest.StatusMember, reps[0])))
			got := tk.run(at(3, 2, 20, 0), at(3, 2, 20, 30), time.Minute)
			n := 0
			for _, s := range got {
				if strings.Contains(s.msg.Text, "Kết quả bầu Khối trưởng năm 2027") {
					n++
				}
			}
			if n != 1 || h.lastElection().AnnouncePending {
				t.Fatalf("the result was posted %d times after the bot came back: %v", n, got)
			}
		})
	}
}

// Should Telegram never tell the bot that it was removed or restricted,
// nor that it was brought back (updates lost while the bot was down for
// days), the first refusal stops the scheduler posting in the group,
// calmly, and a request from the group that the bot answers there shows
// that the bot is back: the reminders go on. A request from the group the
// bot is restricted in shows nothing of the sort: its answer is refused.
func TestBotAwayFromTheGroupWithoutBeingTold(t *testing.T) {
	for _, c := range aways {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			withReps(h)
			h.say(h.group, h.admin, "/deadline 20/03/2026 | Báo cáo sơ kết")
			me := h.tg.BotUser()
			tk := newTicker(h)

			h.group.SetStatus(me, c.status)
			got := tk.run(at(3, 12, 7, 0), at(3, 18, 7, 0), 5*time.Minute)
			if len(got) != 0 {
				t.Fatalf("the group got %v", got)
			}
			logs := tk.logs.String()
			if logLines(logs, "ERROR") != 0 || logLines(logs, "WARN") != 1 || !strings.Contains(logs, c.gone) {
				t.Fatalf("want one warning %q:\n%s", c.gone, logs)
			}
			if b := h.block(); b.Schedule.Away == nil {
				t.Fatal("the block does not record that the bot is away")
			}
			if c.status == telegramtest.StatusRestricted {
				h.say(h.group, h.admin, "/deadlines")
				if b := h.block(); b.Schedule.Away == nil {
					t.Fatal("a request whose answer Telegram refused was taken for the bot's return")
				}
			}

			h.group.SetStatus(me, telegramtest.StatusAdministrator)
			h.now = at(3, 18, 9, 0)
			h.say(h.group, h.admin, "/deadlines")
			if b := h.block(); b.Schedule.Away != nil {
				t.Fatal("a request from the group did not show the bot is back")
			}
			got = tk.run(at(3, 19, 7, 0), at(3, 19, 9, 0), 5*time.Minute)
			if len(got) != 1 {
				t.Fatalf("after the bot came back the group got %v, want the day's reminder", got)
			}
			expect(t, h.say(h.group, h.admin, "/history 3").Text, c.found, "thiduabot: bot hoạt động lại trong nhóm")
		})
	}
}

// Telegram says what a restriction forbids: a bot restricted from sending
// messages is away, one restricted in other ways (media, say) may still
// post and is back, as one restricted outside the group (is_member false)
// is out of it.
func TestBotRestrictedButAllowedToPost(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	me := h.tg.BotUser()
	h.handled(mustChange(t)(h.group.ChangeStatus(me, telegramtest.StatusRestricted)))
	h.group.SetStatus(me, telegramtest.StatusMember) // as Telegram sees it: posting is allowed again
	status := func(s string, isMember, canSend bool) tgbotapi.ChatMember {
		return tgbotapi.ChatMember{User: h.botUser(), Status: s, IsMember: isMember, CanSendMessages: canSend}
	}
	change := func(was, now tgbotapi.ChatMember) {
		t.Helper()
		h.botStatusChanged(was, now, time.Now())
	}
	change(status("restricted", true, false), status("restricted", true, true))
	if b := h.block(); b.Schedule.Away != nil {
		t.Fatalf("a bot allowed to send messages is taken as away: %+v", b.Schedule.Away)
	}
	back, _ := h.tg.LastMessage(h.group.ID)
	expect(t, back.Text, "Nhóm này vẫn là", "Trong thời gian bot bị hạn chế quyền gửi tin trong nhóm")
	change(status("restricted", true, true), status("restricted", false, true))
	if b := h.block(); b.Schedule.Away == nil {
		t.Fatal("a bot restricted outside the group is not taken as away")
	}
	expect(t, h.say(h.group, h.admin, "/history 3").Text,
		"Hùng: hạn chế quyền gửi tin của bot trong nhóm", "Hùng: cho bot gửi tin trở lại trong nhóm", "Hùng: gỡ bot khỏi nhóm")
}

// Telegram upgrades a block's group to a supergroup mid-year. It tells the
// bot that it joined the supergroup, and of the upgrade in both chats, in
// an order it does not promise (the bot handles the chats in parallel).
// Whatever the bot made of its joining, the supergroup is told, once and
// last, that the block carries on there and needs no /setup; a command
// there works at once, and a reminder goes there.
func TestUpgradeToSupergroupTellsTheGroupTheBlockFollowed(t *testing.T) {
	for range 3 {
		h := newHarness(t)
		h.group = h.tg.NewBasicGroup("Khối thi đua tỉnh Lào Cai")
		h.group.SetStatus(h.admin, telegramtest.StatusCreator)
		lan, _ := withReps(h)
		h.say(h.group, h.admin, "/deadline 20/03/2026 | Báo cáo sơ kết")
		sg := h.upgrade()

		var notices, setups []int
		for i, m := range h.tg.Messages(sg.ID) {
			if m.From.ID != h.tg.BotUser().ID {
				continue
			}
			if strings.Contains(m.Text, "nâng cấp") {
				notices = append(notices, i)
			}
			if strings.Contains(m.Text, "/setup <tên khối> để thiết lập") {
				setups = append(setups, i)
			}
		}
		msgs := h.tg.Messages(sg.ID)
		if len(notices) != 1 || notices[0] != len(msgs)-1 || len(setups) > 0 && setups[0] > notices[0] {
			for _, m := range msgs {
				t.Log(m.Text)
			}
			t.Fatal("the supergroup is not told last, once, that the block moved there")
		}
		expect(t, msgs[notices[0]].Text, "Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai", "năm thi đua 2026", "không cần thiết lập lại", "/covenant")
		expect(t, h.say(sg, lan, "/units").Text, "3. Hội Nông dân tỉnh")
		got := newTicker(h).run(at(3, 13, 7, 0), at(3, 13, 9, 0), 5*time.Minute)
		if len(got) != 1 || got[0].msg.ChatID != sg.ID {
			t.Fatalf("reminders %v", got)
		}
	}
}

// The supergroup's own service message moves the block, so that a command
// the supergroup's queue handles before the old group's message is not told
// the group has no block (different chats are handled in parallel).
func TestSupergroupsServiceMessageMovesTheBlock(t *testing.T) {
	h := newHarness(t)
	old := h.tg.NewBasicGroup("Khối cũ")
	old.SetStatus(h.admin, telegramtest.StatusCreator)
	h.say(old, h.admin, "/setup Khối thi đua")
	h.say(old, h.admin, "/addunit Tỉnh Đoàn")
	sg := h.tg.NewGroup("Khối cũ")
	sg.SetStatus(h.admin, telegramtest.StatusCreator)
	id := h.tg.Deliver(tgbotapi.Update{Message: &tgbotapi.Message{
		MessageID: 1, Date: int(time.Now().Unix()),
		From:              &tgbotapi.User{ID: h.admin.ID, FirstName: h.admin.FirstName},
		Chat:              &tgbotapi.Chat{ID: sg.ID, Type: "supergroup", Title: sg.Title},
		MigrateFromChatID: old.ID,
	}})
	if err := h.tg.WaitConfirmed(id, wait); err != nil {
		t.Fatal(err)
	}
	m := h.say(sg, h.admin, "/units")
	expect(t, m.Text, "Khối thi đua", "1. Tỉnh Đoàn")
}

// lateUpdate delivers, as Telegram does when the bot was slow, a message
// user sent in the basic group old before Telegram upgraded it: text, or a
// photo in reply to the bot's message replyTo of the old group.
func lateUpdate(h *harness, old *telegramtest.Chat, user *telegramtest.User, text string, replyTo int) {
	h.t.Helper()
	m := &tgbotapi.Message{
		MessageID: 900, Date: int(time.Now().Unix()),
		From: &tgbotapi.User{ID: user.ID, FirstName: user.FirstName, UserName: user.UserName},
		Chat: &tgbotapi.Chat{ID: old.ID, Type: "group", Title: old.Title},
	}
	if replyTo == 0 {
		m.Text = text
		m.Entities = []tgbotapi.MessageEntity{{Type: "bot_command", Length: len(strings.Fields(text)[0])}}
	} else {
		me := h.tg.BotUser()
		m.Caption = text
		m.Photo = []tgbotapi.PhotoSize{{FileID: "late-photo", FileUniqueID: "late", Width: 1, Height: 1}}
		m.ReplyToMessage = &tgbotapi.Message{MessageID: replyTo, Date: m.Date, Chat: m.Chat,
			From: &tgbotapi.User{ID: me.ID, IsBot: true, FirstName: me.FirstName, UserName: me.UserName}}
	}
	if err := h.tg.WaitConfirmed(h.tg.Deliver(tgbotapi.Update{Message: m}), wait); err != nil {
		h.t.Fatal(err)
	}
}

// A command, or a photo for a report, that a representative sent in the
// old group just before Telegram upgraded it reaches the bot after the
// block moved to the supergroup. It is not carried out there (its
// replies and numbers were of the old group), but neither is the
// supergroup told that it is not a block: the sender is told there to
// send it again.
func TestLateMessageFromTheGroupBeforeItsUpgrade(t *testing.T) {
	h := newHarness(t)
	old := h.tg.NewBasicGroup("Khối thi đua tỉnh Lào Cai")
	old.SetStatus(h.admin, telegramtest.StatusCreator)
	h.group = old
	lan, _ := withReps(h)
	h.say(old, h.admin, "/openreg")
	confirm := h.say(old, h.admin, "/units")
	sg := h.upgrade()
	before := h.block()

	for _, late := range []struct {
		text    string
		replyTo int
		want    string
	}{
		{"/pledge Xây 10 nhà đại đoàn kết | 10 nhà", 0, "lệnh /pledge"},
		{"Ảnh lễ khởi công", confirm.ID, "ảnh hoặc tệp"},
	} {
		n := len(h.tg.Messages(sg.ID))
		lateUpdate(h, old, lan, late.text, late.replyTo)
		msgs := h.tg.Messages(sg.ID)[n:]
		if len(msgs) != 1 {
			t.Fatalf("the supergroup got %d messages for a late %q", len(msgs), late.text)
		}
		expect(t, msgs[0].Text, "Lan", late.want, "trước khi Telegram nâng cấp nhóm", "gửi lại tại đây")
		expect(t, msgs[0].HTML, fmt.Sprintf(`<a href="tg://user?id=%d">Lan</a>`, lan.ID))
		if strings.Contains(msgs[0].Text, "%!") {
			t.Fatalf("a badly formatted answer: %q", msgs[0].Text)
		}
	}
	if after := h.block(); after.Version != before.Version {
		t.Fatalf("the late messages changed the block: version %d, then %d", before.Version, after.Version)
	}
	// A group that was never a block says nothing of a late message.
	other := h.tg.NewBasicGroup("Nhóm khác")
	other.SetStatus(h.admin, telegramtest.StatusCreator)
	h.say(other, h.admin, "/help")
	osg := h.tg.Migrate(other)
	if err := h.tg.WaitIdle(wait); err != nil {
		t.Fatal(err)
	}
	n := len(h.tg.Messages(osg.ID))
	lateUpdate(h, other, h.admin, "/units", 0)
	if got := h.tg.Messages(osg.ID)[n:]; len(got) != 1 || !strings.Contains(got[0].Text, "chưa được thiết lập") {
		t.Fatalf("a late command of a group without a block got %+v", got)
	}
}

// A button pressed on a message of the basic group after Telegram upgraded
// it to a supergroup (the block moved with it) is not answered as if the
// group had never been set up: that would send an administrator to /setup.
func TestPressInTheOldGroupAfterTheUpgrade(t *testing.T) {
	h := newHarness(t)
	old := h.tg.NewBasicGroup("Khối thi đua")
	old.SetStatus(h.admin, telegramtest.StatusCreator)
	h.group = old
	h.setUp()
	h.now = time.Date(2026, 12, 2, 9, 0, 0, 0, hcm)
	ask := h.say(h.group, h.admin, "/newyear")
	sg := h.tg.Migrate(old)
	if err := h.tg.WaitIdle(wait); err != nil {
		t.Fatal(err)
	}
	a := h.press(old, h.admin, ask, button(t, ask, "✅ Sang năm 2027"))
	if strings.Contains(a.Text, "/setup") || !strings.Contains(a.Text, "siêu nhóm") {
		t.Fatalf("the press in the old group was answered %q", a.Text)
	}
	h.group = sg
	if b := h.block(); b.Year != 2026 {
		t.Fatalf("the press in the old group turned the block to %d", b.Year)
	}
	// In the supergroup the question is asked again and answered.
	ask = h.say(sg, h.admin, "/newyear")
	h.press(sg, h.admin, ask, button(t, ask, "✅ Sang năm 2027"))
	if b := h.block(); b.Year != 2027 {
		t.Fatalf("the year after the press in the supergroup: %d", b.Year)
	}
}

// People edit their messages. A command edited after it was sent is not
// carried out again with its new text (a pledge would be registered
// twice, a vote cast again): the sender is told so, in the group or in
// private, and to send the corrected command as a new message. Edited
// chatter and edited commands of other bots get no answer.
func TestEditedCommand(t *testing.T) {
	h := newHarness(t)
	lan, _ := pledgingReps(h)
	sent := h.tg.Send(h.group, lan, "/pledge Vận động xây 50 nhà | 50 nhà")
	h.handled(sent)
	before := h.tg.Sent(h.group.ID)
	h.handled(h.tg.EditText(h.group, lan, sent.Message, "/pledge Vận động xây 60 nhà | 60 nhà"))
	m, _ := h.tg.LastMessage(h.group.ID)
	if h.tg.Sent(h.group.ID) != before+1 || m.ReplyTo != sent.Message.ID {
		t.Fatalf("the edit got %d answers, the last %q replying to %d", h.tg.Sent(h.group.ID)-before, m.Text, m.ReplyTo)
	}
	expect(t, m.Text, "Bot không đọc tin nhắn đã sửa", "/pledge", "gửi lệnh đã sửa thành một tin nhắn mới")
	b := h.block()
	pledges := b.RegistrationOf(b.RepOf(lan.ID).UnitID).Pledges
	if len(pledges) != 2 || pledges[1].Title != "Vận động xây 50 nhà" {
		t.Fatalf("pledges %+v", pledges)
	}

	chat := h.tg.Send(h.group, lan, "chào cả nhóm")
	other := h.tg.Send(h.group, lan, "/start@otherbot")
	h.handled(other)
	before = h.tg.Sent(h.group.ID)
	h.handled(h.tg.EditText(h.group, lan, chat.Message, "chào cả nhà"))
	h.handled(h.tg.EditText(h.group, lan, other.Message, "/help@otherbot"))
	if n := h.tg.Sent(h.group.ID) - before; n != 0 {
		t.Fatalf("edited chatter or another bot's command got %d answers", n)
	}

	private := h.tg.SendPrivate(lan, "/hlep")
	h.handled(private)
	h.handled(h.tg.EditText(h.tg.PrivateChat(lan), lan, private.Message, "/help"))
	m, _ = h.tg.LastMessage(lan.ID)
	expect(t, m.Text, "Bot không đọc tin nhắn đã sửa", "/help")
}

// A command typed as the caption of a photo or a file is not carried out
// (the file would be dropped, and evidence goes with a reply to the bot's
// confirmation): the sender is told so, and how to send either. A caption
// naming another bot, or none, gets no answer.
func TestCommandInACaption(t *testing.T) {
	h := newHarness(t)
	lan, _ := pledgingReps(h)
	before := h.tg.Sent(h.group.ID)
	h.handled(h.tg.SendPhoto(h.group, lan, nil, pngBytes(t), "/pledge Xây 20 nhà | 20 nhà"))
	m, _ := h.tg.LastMessage(h.group.ID)
	if h.tg.Sent(h.group.ID) != before+1 {
		t.Fatalf("a command in a caption got %d answers", h.tg.Sent(h.group.ID)-before)
	}
	expect(t, m.Text, "không đọc lệnh trong chú thích", "/pledge", "tin nhắn riêng", "trả lời (reply) tin nhắn xác nhận báo cáo")
	if b := h.block(); len(b.RegistrationOf(b.RepOf(lan.ID).UnitID).Pledges) != 1 {
		t.Fatal("the caption's command was carried out")
	}
	before = h.tg.Sent(h.group.ID)
	h.handled(h.tg.SendDocument(h.group, lan, nil, "bao-cao.pdf", []byte("%PDF"), "/report@otherbot Quý I"))
	h.handled(h.tg.SendPhoto(h.group, lan, nil, pngBytes(t), "Ảnh lễ khởi công"))
	if n := h.tg.Sent(h.group.ID) - before; n != 0 {
		t.Fatalf("another bot's command or a plain caption got %d answers", n)
	}
}

// An administrator posting anonymously, as the group: the commands that
// need a person (joining a unit, leaving it) say why they cannot be done
// so and how to do them; a manager's commands work, and acting for a unit
// by its number too, recorded as the anonymous administrator.
func TestAnonymousAdministrator(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	asGroup := func(text string) telegramtest.Message {
		t.Helper()
		h.handled(h.tg.SendAsGroup(h.group, text))
		m, _ := h.tg.LastMessage(h.group.ID)
		return m
	}
	for _, c := range []string{"join", "leave"} {
		expect(t, asGroup("/"+c).Text, "ẩn danh", "tắt chế độ ẩn danh", "gửi lại /"+c)
	}
	expect(t, asGroup("/openreg 31/03/2026").Text, "Đã mở đăng ký thi đua năm 2026, hạn 31/03/2026")
	expect(t, asGroup("/pledge #3 Xây 10 nhà đại đoàn kết | 10 nhà").Text, "Đã ghi 1 nội dung đăng ký thi đua của Hội Nông dân tỉnh")
	expect(t, asGroup("/deadline 20/03/2026 | Báo cáo sơ kết").Text, "Đã đặt hạn #1")
	if b := h.block(); len(b.Reps) != 0 || len(b.RegistrationOf(b.Units[2].ID).Pledges) != 1 {
		t.Fatalf("reps %+v", b.Reps)
	}
	expect(t, h.say(h.group, h.admin, "/history 1").Text, "Quản trị viên ẩn danh (Khối thi đua tỉnh Lào Cai)")
}

// A command posted as a channel has no person behind it (every channel
// shares Telegram's Channel_Bot account): it is refused and changes nothing.
func TestCommandPostedAsChannelIsRefused(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	before := h.block().Version
	text := "/join Hội Nông dân tỉnh"
	id := h.tg.Deliver(tgbotapi.Update{Message: &tgbotapi.Message{
		MessageID: 900, Date: int(h.now.Unix()), Text: text,
		From:       &tgbotapi.User{ID: 136817688, IsBot: true, FirstName: "Channel", UserName: "Channel_Bot"},
		SenderChat: &tgbotapi.Chat{ID: -1009999999999, Type: "channel", Title: "Kênh tin"},
		Chat:       &tgbotapi.Chat{ID: h.group.ID, Type: "supergroup", Title: h.group.Title},
		Entities:   []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: 5}},
	}})
	if err := h.tg.WaitConfirmed(id, wait); err != nil {
		t.Fatal(err)
	}
	m, _ := h.tg.LastMessage(h.group.ID)
	expect(t, m.Text, "dưới danh nghĩa một kênh")
	if b := h.block(); b.Version != before || len(b.Requests) != 0 {
		t.Fatal("a channel post changed the block")
	}
}

// The greeting of a group the bot is added to is for the whole group, in
// its language, whoever added the bot: an administrator whose Telegram
// speaks English, in a Vietnamese group, gets the group's Vietnamese, and a
// Vietnamese one, in an English group, its English.
func TestBotAddedGreetsInTheGroupsLanguage(t *testing.T) {
	for _, c := range []struct {
		group, adder bot.Lang
		hello, back  string
	}{
		{bot.VI, bot.EN, "Xin chào! Tôi là trợ lý khối thi đua.", "Xin chào! Nhóm này vẫn là Khối thi đua"},
		{bot.EN, bot.VI, "Hello! I am the emulation block assistant.", "Hello again! This group is still Khối thi đua"},
	} {
		t.Run(string(c.group), func(t *testing.T) {
			h := newHarness(t, groupLang(c.group))
			adder := h.tg.NewUser("Peter", "peter", telegramtest.Lang(string(c.adder)))
			h.group.SetStatus(adder, telegramtest.StatusAdministrator)
			me := h.tg.BotUser()
			greeted := func() string {
				h.handled(mustChange(t)(h.group.ChangeStatusBy(me, telegramtest.StatusLeft, h.admin)))
				h.handled(mustChange(t)(h.group.ChangeStatusBy(me, telegramtest.StatusAdministrator, adder)))
				m, _ := h.tg.LastMessage(h.group.ID)
				return m.Text
			}
			expect(t, greeted(), c.hello)
			h.say(h.group, h.admin, "/setup Khối thi đua các đoàn thể tỉnh")
			expect(t, greeted(), c.back)
		})
	}
}

// The bot re-added to the group of a block greets it as that block rather
// than asking an administrator to set the group up again.
func TestReaddedBotGreetsTheExistingBlock(t *testing.T) {
	h := newHarness(t)
	added := func(g *telegramtest.Chat) telegramtest.Message {
		me := h.tg.BotUser()
		id := h.tg.Deliver(tgbotapi.Update{MyChatMember: &tgbotapi.ChatMemberUpdated{
			Chat:          tgbotapi.Chat{ID: g.ID, Type: "supergroup", Title: g.Title},
			From:          tgbotapi.User{ID: h.admin.ID, FirstName: h.admin.FirstName},
			Date:          int(time.Now().Unix()),
			OldChatMember: tgbotapi.ChatMember{User: &tgbotapi.User{ID: me.ID, IsBot: true}, Status: "left"},
			NewChatMember: tgbotapi.ChatMember{User: &tgbotapi.User{ID: me.ID, IsBot: true}, Status: "member"},
		}})
		if err := h.tg.WaitConfirmed(id, wait); err != nil {
			t.Fatal(err)
		}
		m, _ := h.tg.LastMessage(g.ID)
		return m
	}
	// A new group is asked to set up.
	expect(t, added(h.tg.NewGroup("Nhóm mới")).Text, "/setup")
	h.setUp()
	m := added(h.group)
	expect(t, m.Text, "Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai", "/help")
	if strings.Contains(m.Text, "/setup") {
		t.Fatalf("the block's group is asked to set up again: %q", m.Text)
	}
}

// An administrator restricts the bot from sending messages for a few days
// (Telegram's until_date), and Telegram lifts the restriction at its end
// without telling the bot. The reminders due meanwhile are noted as not
// sent, untried; the first one due after the end goes out, which shows
// the bot is back. Had the restriction been made longer meanwhile (the bot
// is not told that either), that reminder is refused, once, and the bot
// waits to be freed as for a restriction without end.
func TestBotRestrictedForSomeDaysPostsAgainAfterThem(t *testing.T) {
	for _, lifted := range []bool{true, false} {
		t.Run(map[bool]string{true: "lifted", false: "extended"}[lifted], func(t *testing.T) {
			h := newHarness(t)
			withReps(h)
			h.say(h.group, h.admin, "/deadline 20/03/2026 | Báo cáo sơ kết")
			me := h.tg.BotUser()
			tk := newTicker(h)

			// Restricted on 12/03 until 16/03 09:00.
			h.group.SetStatus(me, telegramtest.StatusRestricted)
			h.botStatusChanged(tgbotapi.ChatMember{User: h.botUser(), Status: "administrator", IsMember: true},
				tgbotapi.ChatMember{User: h.botUser(), Status: "restricted", IsMember: true, UntilDate: at(3, 16, 9, 0).Unix()}, at(3, 12, 7, 0))
			sent := sendsTo(h, h.group.ID)
			if got := tk.run(at(3, 12, 7, 0), at(3, 16, 9, 0), 5*time.Minute); len(got) != 0 || sendsTo(h, h.group.ID) != sent {
				t.Fatalf("the bot, restricted, tried %d posts: %v", sendsTo(h, h.group.ID)-sent, got)
			}

			if lifted {
				h.group.SetStatus(me, telegramtest.StatusMember) // Telegram lifts it, silently
			}
			got := tk.run(at(3, 16, 9, 0), at(3, 19, 9, 0), 5*time.Minute)
			logs := tk.logs.String()
			if !lifted {
				if len(got) != 0 || sendsTo(h, h.group.ID) != sent+1 || logLines(logs, "WARN") != 1 || logLines(logs, "ERROR") != 0 {
					t.Fatalf("still restricted, the bot posted %v and tried %d posts; want one refused, one warning:\n%s", got, sendsTo(h, h.group.ID)-sent, logs)
				}
				if b := h.block(); b.Schedule.Away == nil || !b.Schedule.Muted {
					t.Fatalf("the block does not record the bot restricted: %+v", b.Schedule)
				}
				return
			}
			if len(got) != 2 {
				t.Fatalf("after the restriction's end the group got %v, want the reminders of 17/03 and 19/03", got)
			}
			expect(t, got[0].msg.Text, "Nhắc hạn: Báo cáo sơ kết", "(còn 3 ngày)")
			if b := h.block(); b.Schedule.Away != nil || b.Schedule.Muted {
				t.Fatalf("the block still records the bot as away: %+v", b.Schedule)
			}
			if n := logLines(logs, "ERROR") + logLines(logs, "WARN"); n != 0 {
				t.Fatalf("%d errors and warnings:\n%s", n, logs)
			}
			expect(t, h.say(h.group, h.admin, "/history 4").Text, "Hùng: hạn chế quyền gửi tin của bot trong nhóm", "thiduabot: bot hoạt động lại trong nhóm")
		})
	}
}

// botUser is the bot as Telegram names it in a chat member.
func (h *harness) botUser() *tgbotapi.User {
	me := h.tg.BotUser()
	return &tgbotapi.User{ID: me.ID, IsBot: true, FirstName: me.FirstName, UserName: me.UserName}
}

// botStatusChanged delivers, and waits until the bot has handled, the
// my_chat_member update of the bot's status in the group changed from was
// to now by its administrator at the time at: one the fake cannot make
// (a restriction that lets the bot post, or with an end).
func (h *harness) botStatusChanged(was, now tgbotapi.ChatMember, at time.Time) {
	h.t.Helper()
	u := tgbotapi.Update{MyChatMember: &tgbotapi.ChatMemberUpdated{
		Chat: tgbotapi.Chat{ID: h.group.ID, Type: h.group.Type, Title: h.group.Title},
		From: tgbotapi.User{ID: h.admin.ID, FirstName: h.admin.FirstName, UserName: h.admin.UserName},
		Date: int(at.Unix()), OldChatMember: was, NewChatMember: now,
	}}
	if err := h.tg.WaitConfirmed(h.tg.Deliver(u), wait); err != nil {
		h.t.Fatal(err)
	}
}

// A bot restricted from posting without being told, asked commands in the
// group: each answer is refused, which records the restriction, as the
// scheduler's refusals do, and is logged once as a warning rather than as
// a handler's failure at every command; no apology is tried, which
// Telegram would refuse too. /export's file, refused first, is answered
// as in a group that refuses only files, an answer refused in turn.
func TestCommandsToABotRestrictedWithoutBeingTold(t *testing.T) {
	h := newHarness(t)
	withReps(h)
	h.group.SetStatus(h.tg.BotUser(), telegramtest.StatusRestricted)
	sent, logged := sendsTo(h, h.group.ID), len(h.logs.String())
	cmds := []string{"/export", "/deadlines", "/units", "/closevote", "/elect chutich"}
	for _, cmd := range cmds {
		h.handled(h.tg.Send(h.group, h.admin, cmd))
	}
	if n := sendsTo(h, h.group.ID) - sent; n != len(cmds) {
		t.Fatalf("the bot tried %d posts for %d commands; want their answers, and no apology", n, len(cmds))
	}
	rp := newReplica(h)
	rp.handle(func() telegramtest.Update { return h.tg.Send(h.group, h.admin, "/help") }) // fails the test on a handler's error
	logs := h.logs.String()[logged:]
	if logLines(logs, "ERROR") != 0 || logLines(logs, "WARN") != 1 || !strings.Contains(logs, "the bot may not post in the block's group") {
		t.Fatalf("want one warning that the bot may not post:\n%s", logs)
	}
	if b := h.block(); b.Schedule.Away == nil || !b.Schedule.Muted {
		t.Fatalf("the block does not record the bot restricted: %+v", b.Schedule)
	}
}

// restrictedBot sets the block up with two representatives, has the
// administrator send cmd, then restricts the bot from posting in the
// group, telling it so, and returns the command's message and a check
// that what followed ended quietly, as any request does there (see
// request.mayNotPost): no error in the logs, no apology, which Telegram
// would refuse too, and the block still records the bot restricted.
func restrictedBot(t *testing.T, cmd string) (*harness, *telegramtest.Message, func()) {
	h := newHarness(t, logDispatch())
	withReps(h)
	sent := h.tg.Send(h.group, h.admin, cmd)
	h.handled(sent)
	h.handled(mustChange(t)(h.group.ChangeStatus(h.tg.BotUser(), telegramtest.StatusRestricted)))
	calls := len(h.tg.Requests(""))
	return h, sent.Message, func() {
		t.Helper()
		if logs := h.logs.String(); logLines(logs, "ERROR") != 0 {
			t.Fatalf("errors in the logs:\n%s", logs)
		}
		for _, r := range h.tg.Requests("")[calls:] {
			if strings.Contains(r.Params.Get("text"), "Xin lỗi, đã có lỗi") {
				t.Fatalf("the bot apologised: %s %q", r.Method, r.Params.Get("text"))
			}
		}
		if b := h.block(); b.Schedule.Away == nil || !b.Schedule.Muted {
			t.Fatalf("the block does not record the bot restricted: %+v", b.Schedule)
		}
	}
}

// A restricted bot still hears its group: an /export, whose files
// Telegram refuses, ends quietly. (tgbotapi leaves the error code out of
// a refused upload, which made the refusal look like no restriction.)
func TestBotRestrictedExportEndsQuietly(t *testing.T) {
	h, _, quiet := restrictedBot(t, "/deadlines")
	h.handled(h.tg.Send(h.group, h.admin, "/export"))
	quiet()
}

// A restricted bot still hears its group: what it answers there outside
// a command's handling ends quietly too: a command edited after it was
// sent, a command addressed to the bot that it does not know, and a
// photo whose caption is a command.
func TestBotRestrictedRemarksEndQuietly(t *testing.T) {
	h, cmd, quiet := restrictedBot(t, "/deadlines")
	h.handled(h.tg.EditText(h.group, h.admin, cmd, "/deadlines 2"))
	h.handled(h.tg.Send(h.group, h.admin, "/khongco@thiduabot"))
	h.handled(h.tg.SendPhoto(h.group, h.admin, nil, []byte("ảnh"), "/report Quý I"))
	quiet()
}
