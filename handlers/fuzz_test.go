package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/bot"
	"thiduabot/handlers"
	"thiduabot/storage"
	"thiduabot/storage/storagetest"
	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// The fuzz targets of this file feed arbitrary names, titles and command
// arguments to the handlers, and check that whatever the bot sends is a
// message Telegram accepts: the fake Bot API refuses, as Telegram does, HTML
// it cannot parse and texts over 4096 characters once parsed (every part of
// a long message after bot.Split), and the bot must never see such a
// refusal. They also catch panics and unexpected failures of the handlers.

// fuzzNow is the time of the fuzz targets' requests.
var fuzzNow = time.Date(2026, 3, 2, 9, 0, 0, 0, hcm)

// fuzzBot is the router on a store and a fake Bot API of its own, fed
// updates directly (no poller, no dispatcher), with one group whose block a
// fuzz target builds.
type fuzzBot struct {
	t     *testing.T
	tg    *telegramtest.Server
	store storage.Store
	r     *handlers.Router
	group *telegramtest.Chat
	admin *telegramtest.User
	// reps are the representatives, one per unit, named by the target.
	reps []*telegramtest.User
	b    *thidua.Block
}

// text reports whether s could come from Telegram as a name or a text:
// UTF-8, and not blank.
func text(s string) bool { return utf8.ValidString(s) && strings.TrimSpace(s) != "" }

// newFuzzBot starts a fuzzBot whose group's block has the two units named
// units[0] and "Tỉnh Đoàn" (then "Hội Nông dân tỉnh"), each represented by
// a user named after repName, and whatever build adds. It returns nil when
// the domain refuses the names or build fails: the input is one no block
// can hold.
func newFuzzBot(t *testing.T, unit, repName string, build func(fb *fuzzBot, b *thidua.Block, admin thidua.Actor) error) *fuzzBot {
	if !text(unit) || !text(repName) {
		return nil
	}
	_, client := storagetest.Miniredis(t) // in process, whatever TEST_REDIS_URL says: thousands of runs
	fb := &fuzzBot{t: t, tg: telegramtest.NewServer(telegramtest.WithBotUsername("thiduabot")), store: storagetest.Checked(t, storage.NewRedis(client, ""))}
	t.Cleanup(fb.tg.Close)
	fb.tg.FailOnFormattingLoss(t)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	api, err := bot.NewAPI(bot.Config{Token: fb.tg.Token(), APIEndpoint: fb.tg.Endpoint(), Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	sender := bot.NewSender(api, fastLimits, nil, quiet)
	fb.r = handlers.New(handlers.Config{
		Store: fb.store, Sender: sender, Admins: bot.NewAdmins(sender, time.Minute), BotUsername: "thiduabot",
		Lang: bot.VI, Location: hcm, Now: func() time.Time { return fuzzNow }, Log: quiet,
	})
	fb.group = fb.tg.NewGroup("Khối thi đua tỉnh Lào Cai")
	fb.admin = fb.tg.NewUser("Hùng", "hung_admin")
	fb.group.SetStatus(fb.admin, telegramtest.StatusCreator)
	admin := thidua.Actor{UserID: fb.admin.ID, Name: "Hùng", Username: "hung_admin", Admin: true}
	b, err := thidua.NewBlock("b1", fb.group.ID, fb.group.Title, 2026, admin, fuzzNow)
	if err != nil {
		t.Fatal(err)
	}
	second := "Tỉnh Đoàn"
	if thidua.Fold(unit) == thidua.Fold(second) {
		second = "Hội Nông dân tỉnh"
	}
	units, err := b.AddUnits(admin, []string{unit, second}, fuzzNow)
	if err != nil {
		return nil
	}
	for i, u := range units {
		rep := fb.tg.NewUser(repName, "")
		fb.group.SetStatus(rep, telegramtest.StatusMember)
		fb.reps = append(fb.reps, rep)
		r, err := b.RequestJoin(thidua.Actor{UserID: rep.ID, Name: strings.TrimSpace(repName)}, u.ID, fuzzNow)
		if err == nil {
			_, err = b.DecideJoin(admin, r.ID, true, fuzzNow)
		}
		if err != nil {
			t.Fatalf("representative %d: %v", i, err)
		}
	}
	if build != nil {
		if err := build(fb, b, admin); err != nil {
			if thidua.IsDomain(err) || thidua.IsParseError(err) {
				return nil
			}
			t.Fatal(err)
		}
	}
	if err := fb.store.CreateBlock(t.Context(), b); err != nil {
		t.Fatal(err)
	}
	fb.b = b
	return fb
}

// say delivers a message of user in the group to the router, and fails the
// test if the router fails, does not answer, or the fake refused anything
// the bot sent.
func (fb *fuzzBot) say(user *telegramtest.User, text string) {
	fb.t.Helper()
	before := len(fb.tg.Requests("sendMessage"))
	sent := fb.tg.Send(fb.group, user, text)
	m := sent.Message
	u := tgbotapi.Update{UpdateID: sent.ID, Message: &tgbotapi.Message{
		MessageID: m.ID, Date: int(m.Date.Unix()), Text: m.Text, Entities: m.Entities,
		From: &tgbotapi.User{ID: user.ID, FirstName: user.FirstName, UserName: user.UserName, LanguageCode: user.LanguageCode},
		Chat: &tgbotapi.Chat{ID: fb.group.ID, Type: fb.group.Type, Title: fb.group.Title},
	}}
	fb.handle(u, text)
	if len(fb.tg.Requests("sendMessage")) == before {
		fb.t.Fatalf("no answer to %q", text)
	}
}

// press delivers user's press on the button with data under the bot's
// message m to the router, with the same checks as say.
func (fb *fuzzBot) press(user *telegramtest.User, m telegramtest.Message, data string) {
	fb.t.Helper()
	sent, err := fb.tg.Press(fb.group, user, &m, data)
	if err != nil {
		fb.t.Fatal(err)
	}
	u := tgbotapi.Update{UpdateID: sent.ID, CallbackQuery: &tgbotapi.CallbackQuery{
		ID: sent.CallbackQueryID, Data: data,
		From:    &tgbotapi.User{ID: user.ID, FirstName: user.FirstName, UserName: user.UserName, LanguageCode: user.LanguageCode},
		Message: &tgbotapi.Message{MessageID: m.ID, Chat: &tgbotapi.Chat{ID: fb.group.ID, Type: fb.group.Type, Title: fb.group.Title}},
	}}
	fb.handle(u, "press "+data)
}

func (fb *fuzzBot) handle(u tgbotapi.Update, what string) {
	fb.t.Helper()
	if err := fb.r.Handle(context.Background(), u); err != nil {
		fb.t.Fatalf("%q: the handler failed: %v", what, err)
	}
	fb.check(what)
}

// check fails the test if the fake refused a call of the bot: only an edit
// that changes nothing, which the sender takes as done, may be refused.
func (fb *fuzzBot) check(what string) {
	fb.t.Helper()
	for _, r := range fb.tg.Requests("") {
		if r.Status >= 400 && !strings.Contains(r.Description, "message is not modified") {
			fb.t.Fatalf("after %q the fake refused %s: %s\n%s", what, r.Method, r.Description, r.Params.Get("text"))
		}
	}
}

// last returns the bot's last message in the group.
func (fb *fuzzBot) last() telegramtest.Message {
	m, _ := fb.tg.LastMessage(fb.group.ID)
	return m
}

// FuzzUnitsAndHistory renders /units, /help and /history with any unit
// name and representative name, and names the unit in the list of units
// of /award and in /renameunit.
func FuzzUnitsAndHistory(f *testing.F) {
	for _, s := range [][2]string{
		{"Hội Nông dân tỉnh", "Lan"}, {"Hội <b>Nông</b> & dân", "Lan </a> & <i>"}, {"Đơn vị \"A\" 'B'", "👨‍👩‍👧 🏆"},
		{strings.Repeat("Ư", 200), strings.Repeat("ế", 64)}, {"a &amp; b", "&lt;"}, {"1", "tg://user?id=1"},
		{"Sở Văn hóa, Thể thao và Du lịch", "Lan"}, {"A,,B;C", "Lan"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, unit, rep string) {
		fb := newFuzzBot(t, unit, rep, func(_ *fuzzBot, b *thidua.Block, admin thidua.Actor) error {
			_, err := b.SetRole(admin, thidua.RoleLeader, b.Units[0].ID, fuzzNow)
			return err
		})
		if fb == nil {
			return
		}
		fb.say(fb.admin, "/units")
		fb.say(fb.reps[0], "/help")
		fb.say(fb.admin, "/history")
		fb.say(fb.admin, "/award Cờ thi đua | "+unit+", 2")
		fb.say(fb.admin, "/renameunit 1 | "+unit+" mới")
	})
}

// FuzzNewYear asks for and confirms the turn of a block whose year is
// over to the next, with a leader unit and representatives of any name.
func FuzzNewYear(f *testing.F) {
	for _, s := range [][2]string{
		{"Hội Nông dân tỉnh", "Lan"}, {"Hội <b>Nông</b> & dân", "Lan </a> & <i>"}, {strings.Repeat("Ư", 200), strings.Repeat("ế", 64)},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, unit, rep string) {
		fb := newFuzzBot(t, unit, rep, func(_ *fuzzBot, b *thidua.Block, admin thidua.Actor) error {
			b.Year = fuzzNow.Year() - 1 // over at fuzzNow
			_, err := b.SetRole(admin, thidua.RoleLeader, b.Units[0].ID, fuzzNow)
			return err
		})
		if fb == nil {
			return
		}
		fb.say(fb.admin, "/newyear")
		fb.press(fb.reps[0], fb.last(), "ny:"+strconv.Itoa(fuzzNow.Year()-1))
		if b, err := fb.store.Block(t.Context(), fb.b.ID); err != nil || b.Year != fuzzNow.Year() {
			t.Fatalf("after the press: %v, %+v", err, b)
		}
	})
}

// FuzzSummary registers pledges and criteria of any title and target and
// renders /summary, /pledges and /criteria, and the returned list's notice.
func FuzzSummary(f *testing.F) {
	for _, s := range [][3]string{
		{"Vận động xây 50 nhà đại đoàn kết", "50 nhà", "Công tác tuyên truyền"},
		{"<b>x</b> & y", "hoàn thành <i>xuất sắc</i>", "a < b"}, {strings.Repeat("ư ", 250), "1.200 hội viên", strings.Repeat("ạ", 200)},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, title, target, criterion string) {
		if !text(title) || !utf8.ValidString(target) || !text(criterion) {
			return
		}
		fb := newFuzzBot(t, "Hội Nông dân tỉnh", "Lan", func(fb *fuzzBot, b *thidua.Block, admin thidua.Actor) error {
			if err := b.OpenRegistration(admin, time.Time{}, fuzzNow); err != nil {
				return err
			}
			c, err := thidua.ParseCriterion(criterion + " | 20")
			if err != nil {
				return err
			}
			if _, err := b.AddCriteria(admin, []thidua.CriterionDraft{c}, fuzzNow); err != nil {
				return err
			}
			d, err := thidua.ParsePledge(title+" | "+target, 2026, hcm)
			if err != nil {
				return err
			}
			rep := thidua.Actor{UserID: fb.reps[0].ID, Name: "Lan"}
			for range 20 {
				if _, err := b.AddPledges(rep, b.Units[0].ID, []thidua.PledgeDraft{d}, fuzzNow); err != nil {
					return err
				}
			}
			_, err = b.SubmitPledges(rep, b.Units[0].ID, fuzzNow)
			return err
		})
		if fb == nil {
			return
		}
		fb.say(fb.admin, "/summary")
		fb.say(fb.reps[0], "/pledges")
		fb.say(fb.admin, "/criteria")
		fb.say(fb.admin, "/return 1 | "+title)
	})
}

// FuzzBallot opens an election between units of any name, votes, closes it
// and renders the ballot, its edits, the result and the counting record.
func FuzzBallot(f *testing.F) {
	for _, s := range [][2]string{{"Hội Nông dân tỉnh", "Lan"}, {"<Hội> & \"dân\"", "A </b>"}, {strings.Repeat("Ữ", 200), "x"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, unit, rep string) {
		fb := newFuzzBot(t, unit, rep, nil)
		if fb == nil {
			return
		}
		fb.say(fb.admin, "/elect khoitruong")
		ballot := fb.last()
		if len(ballot.Buttons) == 0 {
			t.Fatalf("no ballot: %q", ballot.Text)
		}
		fb.press(fb.reps[0], ballot, ballot.Buttons[0][0].Data)
		fb.say(fb.admin, "/result")
		fb.say(fb.admin, "/closevote")
		fb.say(fb.reps[1], "/result khoitruong")
	})
}

// FuzzReminder sends a deadline's reminder, titled anyhow, naming units
// and mentioning representatives of any name, in the group and in private.
func FuzzReminder(f *testing.F) {
	for _, s := range [][3]string{
		{"Nộp báo cáo sơ kết", "Hội Nông dân tỉnh", "Lan"}, {"<b>Hạn</b> & hạn", "Hội <i>", "</a>"},
		{strings.Repeat("Ỗ", 200), strings.Repeat("Ữ", 200), strings.Repeat("ế", 64)},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, title, unit, rep string) {
		if !text(title) {
			return
		}
		due := time.Date(2026, 3, 9, 17, 0, 0, 0, hcm) // the reminder 7 days before falls at 08:00 on 2/3
		fb := newFuzzBot(t, unit, rep, func(fb *fuzzBot, b *thidua.Block, admin thidua.Actor) error {
			_, err := b.AddDeadline(admin, due, title, fuzzNow.AddDate(0, 0, -1))
			return err
		})
		if fb == nil {
			return
		}
		for _, r := range fb.reps {
			if err := fb.store.SetReachable(t.Context(), r.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		at := time.Date(2026, 3, 2, 8, 0, 0, 0, hcm)
		if err := fb.r.RunDue(t.Context(), fb.b.ID, at); err != nil {
			t.Fatalf("RunDue: %v", err)
		}
		fb.check("the reminder")
		if !strings.Contains(fb.last().Text, "Nhắc hạn") {
			t.Fatalf("no reminder in the group: %q", fb.last().Text)
		}
		fb.say(fb.admin, "/deadlines")
	})
}

// FuzzReport submits a report of any lines on pledges of any title, and
// renders its confirmation, /myreport and /progress; bad lines are answered
// with the usage, quoting them.
func FuzzReport(f *testing.F) {
	for _, s := range [][2]string{
		{"Vận động xây 50 nhà", "1 45 đã khởi công 5 nhà\n2 60%"}, {"<b>x</b>", "1 5 | <i>ghi chú</i> & x"},
		{"a", "1 bốn"}, {"a", "9 5"}, {strings.Repeat("ư", 500), "1 1.000.000,5 " + strings.Repeat("ế", 300)},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, title, lines string) {
		if !text(title) || !utf8.ValidString(lines) {
			return
		}
		fb := newFuzzBot(t, "Hội Nông dân tỉnh", "Lan", func(fb *fuzzBot, b *thidua.Block, admin thidua.Actor) error {
			if err := b.OpenRegistration(admin, time.Time{}, fuzzNow); err != nil {
				return err
			}
			d, err := thidua.ParsePledge(title+" | 50 nhà", 2026, hcm)
			if err != nil {
				return err
			}
			rep := thidua.Actor{UserID: fb.reps[0].ID, Name: "Lan"}
			if _, err := b.AddPledges(rep, b.Units[0].ID, []thidua.PledgeDraft{d, d, d}, fuzzNow); err != nil {
				return err
			}
			p, err := thidua.ParsePeriod("Quý I | 31/03", 2026, hcm)
			if err != nil {
				return err
			}
			_, err = b.AddPeriods(admin, []thidua.PeriodDraft{p}, fuzzNow)
			return err
		})
		if fb == nil {
			return
		}
		fb.say(fb.reps[0], "/report Quý I\n"+lines)
		fb.say(fb.reps[0], "/myreport Quý I")
		fb.say(fb.admin, "/progress")
	})
}

// FuzzScores scores a unit against a criterion of any title with lines of
// any kind, its own and the agreed, and renders them with /selfscore and
// /scores.
func FuzzScores(f *testing.F) {
	for _, s := range [][2]string{
		{"Công tác tuyên truyền", "1 18\n2 25,5 tổ chức tốt"}, {"<b>x</b> & y", "1 5 | <i>ghi chú</i> & x"},
		{"a", "1 mười"}, {"a", "9 5"}, {strings.Repeat("ư", 200), "1 19,99 " + strings.Repeat("ế", 300)},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, title, lines string) {
		if !text(title) || !utf8.ValidString(lines) {
			return
		}
		fb := newFuzzBot(t, "Hội Nông dân tỉnh", "Lan", func(_ *fuzzBot, b *thidua.Block, admin thidua.Actor) error {
			var drafts []thidua.CriterionDraft
			for _, s := range []string{title + " | 20", "Phong trào thi đua | 30"} {
				d, err := thidua.ParseCriterion(s)
				if err != nil {
					return err
				}
				drafts = append(drafts, d)
			}
			_, err := b.AddCriteria(admin, drafts, fuzzNow)
			return err
		})
		if fb == nil {
			return
		}
		fb.say(fb.reps[0], "/selfscore\n"+lines)
		fb.say(fb.admin, "/score #1\n"+lines)
		fb.say(fb.reps[1], "/selfscore #1")
		fb.say(fb.reps[1], "/scores")
	})
}

// fuzzCommand runs a command with any arguments, as the group's
// administrator, on a block with open registration, a period and a
// deadline, and then the command's listing if any.
func fuzzCommand(f *testing.F, cmd, listing string, seeds ...string) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, args string) {
		if !utf8.ValidString(args) {
			return
		}
		fb := newFuzzBot(t, "Hội Nông dân tỉnh", "Lan", func(_ *fuzzBot, b *thidua.Block, admin thidua.Actor) error {
			if err := b.OpenRegistration(admin, time.Time{}, fuzzNow); err != nil {
				return err
			}
			_, err := b.AddDeadline(admin, time.Date(2026, 3, 20, 17, 0, 0, 0, hcm), "Nộp báo cáo", fuzzNow)
			return err
		})
		if fb == nil {
			t.Fatal("the block could not be set up")
		}
		fb.say(fb.admin, "/"+cmd+" "+args)
		if listing != "" {
			fb.say(fb.admin, "/"+listing)
		}
	})
}

// FuzzElectOptions runs /elect with any office and options (candidates,
// open or secret, closing time, re-election).
func FuzzElectOptions(f *testing.F) {
	fuzzCommand(f, "elect", "result",
		"khoitruong", "khoipho | ứng viên: 1, 2 | công khai", "leader | closes: 25/11/2026 17:00 | re-election",
		"khoitruong | đóng: 2/3/2026 08:00", "khoitruong | ứng viên: 3", "khoitruong | kín | công khai", "x | y",
		"khối trưởng\ncho tái cử\nđóng: 1/4", "deputy | candidates: Hội <b>", "khoitruong | ứng viên: ,,,")
}

// FuzzRemindSettings runs /remind with any settings (days, time, quiet
// hours, weekends).
func FuzzRemindSettings(f *testing.F) {
	fuzzCommand(f, "remind", "deadlines",
		"14,7,3,1,0 08:00", "yên 21:00-07:00 cuối tuần không", "quiet off weekends on", "7, 3, 1 7h30",
		"99,0", "yên 25:00-07:00", "cuối tuần có có", "<b>", "0,0,0 00:00 yên tắt")
}

// FuzzDeadlineLine runs /deadline with any line (date, time, title).
func FuzzDeadlineLine(f *testing.F) {
	fuzzCommand(f, "deadline", "deadlines",
		"20/03/2026 | Nộp báo cáo quý I", "20/03 17:30 | <b>Hạn</b> & hạn", "31/02/2026 | x", "1/1/2026 | quá khứ",
		"| không ngày", "20/03/2026 |", "20/03/2028 | xa", "20/3/2026 08:00 | "+strings.Repeat("ư", 201))
}

// FuzzPledgeLines runs /pledge with any lines.
func FuzzPledgeLines(f *testing.F) {
	fuzzCommand(f, "pledge", "pledges",
		"#1 Vận động xây 50 nhà | 50 nhà | 30/11/2026\nPhát triển hội viên | 1.200 hội viên",
		"#1 <b>x</b> | hoàn thành & vượt | 31/10", "#2 a | b | c | d", "#1 a | 30/11/2026", "#9 a", "#1 \n\n",
		"#1 "+strings.Repeat("ư", 501))
}

// FuzzAwardLine runs /award with any award and units, then lists the
// proposals.
func FuzzAwardLine(f *testing.F) {
	fuzzCommand(f, "award", "award",
		"Cờ thi đua của Chính phủ | 1", "Bằng khen <b>của</b> & UBND | 1, 2", "co thi dua | Tỉnh Đoàn; 1", "x | 1, 1",
		"| 1", "x |", "x", "x | 3", "x | ,,,\n2", strings.Repeat("ờ", 101)+" | 2", strings.Repeat("ờ", 100)+" | 1, 2")
}

// FuzzExemplarLines runs /exemplars with any lines, and removals, then
// lists the nominations.
func FuzzExemplarLines(f *testing.F) {
	fuzzCommand(f, "exemplars", "exemplars",
		"#1 Nguyễn Thị Hoa | Chuyên viên Ban Phong trào | Vận động quỹ\nTrần Văn Nam | Phó Chủ tịch Hội",
		"#1 <b>An</b> | <i>x</i> & y | z | không lãnh đạo", "#2 An | x | lãnh đạo | lãnh đạo", "#1 An | lãnh đạo", "#1 An\nan | x",
		"#1 An | x\nBình | y", "xoá 1.1", "#1 xoá 1", "xoá 9.9", "#9 An | x", "#1 \n\n", "#1 "+strings.Repeat("ư", 101)+" | x",
		"#1 An | x | "+strings.Repeat("ư", 301), "2026", "#1 - An | Phó Ban\n3. Bình | Giáo viên, Trường THPT")
}

// FuzzButtonData presses a button whose data is anything at all, under a
// ballot, by a representative and by an administrator: Telegram returns a
// button's data as the bot wrote it, but an outdated message, a bot of an
// earlier release or a forged request may carry any. Every kind of button
// must answer such a press, politely, without failing.
func FuzzButtonData(f *testing.F) {
	for _, s := range []string{
		"ev:e1:u1", "ev:e1:u1:u2", "ev::", "ea:l:2026:e1:s::3k2j1:01", "ea:l:2026:e1:x", "ea:d:x:e1:sr:zz:a:0",
		"ea:l:2026:e1:s:-1:a:01", "ny:2025", "ny:2026:x", "ny:-1", "rn:custom:1", "rn:final", "j:u1", "jd:r1:y",
		"jd:r1:n", "rg:a:u1:1", "rg:r:u1:x", "cv:1", "cv:-3", "pd:k1", "rp:d1:0:v:1", "rp:::", "rf:u1:k1:1",
		"rf:u1:k1:a", "rr:d1:u1:k1:1:y", "rr:d1:u1:k1:x:n", "rr:::::", "rr:d1", "ru:u1", "x", "x:y", "", ":", "::::::::", "ev:e1:u1:u1:u1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		if !utf8.ValidString(data) || len(data) > 64 {
			return // Telegram takes 1-64 bytes of UTF-8
		}
		fb := newFuzzBot(t, "Hội Nông dân tỉnh", "Lan", nil)
		fb.say(fb.admin, "/elect khoitruong")
		ballot := fb.last()
		for _, user := range []*telegramtest.User{fb.reps[0], fb.admin} {
			// A real press for a query Telegram knows, carrying data.
			sent, err := fb.tg.Press(fb.group, user, &ballot, ballot.Buttons[0][0].Data)
			if err != nil {
				t.Fatal(err)
			}
			before := len(fb.tg.Requests(""))
			fb.handle(tgbotapi.Update{UpdateID: sent.ID, CallbackQuery: &tgbotapi.CallbackQuery{
				ID: sent.CallbackQueryID, Data: data,
				From:    &tgbotapi.User{ID: user.ID, FirstName: user.FirstName, UserName: user.UserName, LanguageCode: user.LanguageCode},
				Message: &tgbotapi.Message{MessageID: ballot.ID, Chat: &tgbotapi.Chat{ID: fb.group.ID, Type: fb.group.Type, Title: fb.group.Title}},
			}}, "press "+data)
			if len(fb.tg.Requests("")) == before {
				t.Fatalf("press %q by %s: no answer", data, user.FirstName)
			}
		}
	})
}
