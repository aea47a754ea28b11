package handlers_test

import (
	"cmp"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"thiduabot/bot"
	"thiduabot/handlers"
	"thiduabot/storage"
	"thiduabot/telegramtest"
)

// This file walks a block's year with English speakers in it, and checks
// that whatever the bot says to them is English, and that whatever it says
// to the others is Vietnamese.

// quotedVietnamese is the Vietnamese the bot's English texts quote on
// purpose: data written the Vietnamese way in the examples of what to type
// (a target, a period, a report line), the usual awards, and the label of
// the covenant's button, which, under a message to the whole group, is in
// the group's language.
var quotedVietnamese = []string{
	"50 nhà, 40%, 25,3 tỷ đồng, 1.200 hội viên", "Quý I | 31/03", "45 đã khởi công 5 nhà",
	"Cờ thi đua của Chính phủ", "Cờ thi đua của UBND tỉnh", "Bằng khen của UBND tỉnh", "✍️ Ký giao ước",
}

// examplesTyped is the Vietnamese of the commands' examples, which the bot
// shows as they are to be typed: each line, with its command and without.
func examplesTyped() []string {
	var out []string
	for _, c := range handlers.Commands() {
		for l := range strings.SplitSeq(c.Example, "\n") {
			out = append(out, l)
			if _, args, ok := strings.Cut(l, " "); ok && strings.HasPrefix(l, "/") {
				out = append(out, args)
			}
		}
	}
	return out
}

// without returns text with every occurrence of the typed strings that
// hold a Vietnamese letter taken out, the longest first.
func without(text string, typed []string) string {
	typed = slices.DeleteFunc(slices.Clone(typed), func(s string) bool { return !vietnamese.MatchString(s) })
	slices.SortFunc(typed, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	for _, s := range typed {
		text = strings.ReplaceAll(text, s, "·")
	}
	return text
}

// English nouns the bot counts, singular and plural.
var countedNouns = map[string]string{
	"unit": "units", "pledge": "pledges", "day": "days", "vote": "votes", "report": "reports",
	"criterion": "criteria", "entry": "entries", "representative": "representatives", "period": "periods",
	"point": "points", "deadline": "deadlines", "file": "files", "photo": "photos", "ballot": "ballots",
	"item": "items", "line": "lines", "piece": "pieces", "award": "awards", "candidate": "candidates",
}

// countedNoun finds a whole number before a noun: "1 unit", "3 pledges".
var countedNoun = regexp.MustCompile(`(?:^|[^\d.,#/:])(\d+) ([a-z]+)\b`)

// badCount returns the first count in text whose noun disagrees with it,
// "1 units" or "2 unit", or "". The last number of a list takes the
// plural: "7, 3, 1 days before".
func badCount(text string) string {
	plural := map[string]string{}
	for one, many := range countedNouns {
		plural[many] = one
	}
	for _, at := range countedNoun.FindAllStringSubmatchIndex(text, -1) {
		n, _ := strconv.Atoi(text[at[2]:at[3]])
		noun := text[at[4]:at[5]]
		_, isOne := countedNouns[noun]
		_, isMany := plural[noun]
		list := strings.HasSuffix(text[:at[2]], ", ")
		if n == 1 && isMany && !list || n != 1 && isOne {
			return text[at[2]:at[5]]
		}
	}
	return ""
}

// fmtError finds what fmt writes for a verb without its argument.
var fmtError = regexp.MustCompile(`%!|%[sdv]\b`)

// notEnglish says what is not English in text, "" if nothing: a
// Vietnamese letter outside what the users typed (typed) and what the
// bot quotes, a choice of English forms left unmade, a count that
// disagrees with its noun, a verb fmt did not fill.
func notEnglish(text string, typed []string) string {
	rest := without(text, append(append(typed, quotedVietnamese...), examplesTyped()...))
	switch {
	case vietnamese.MatchString(rest):
		return "Vietnamese in " + strconv.Quote(rest)
	case rawChoice.MatchString(text):
		return "a choice left unmade: " + rawChoice.FindString(text)
	case badCount(rest) != "":
		return "a count that disagrees: " + strconv.Quote(badCount(rest))
	case fmtError.MatchString(text):
		return "a verb fmt did not fill"
	}
	return ""
}

// englishWord finds a word only an English text has; commands and
// usernames aside.
var englishWord = regexp.MustCompile(`(?i)\b(the|of|and|is|are|was|has|have|your|you|not|with|please|sorry|units?|pledges?|reports?|deadlines?|recorded|reminders?|sent|votes?|due|left|days?|approved|signed|choose|press)\b`)

// command finds a command, which is the same in both languages, and the
// command /help is asked about.
var command = regexp.MustCompile(`/help [a-z]+|/[A-Za-z_]+(@\w+)?`)

// notVietnamese says what is English in text, "" if nothing, but for the
// labels of the group's buttons, which it may quote.
func notVietnamese(text string, labels []string) string {
	for _, l := range labels {
		text = strings.ReplaceAll(text, l, "·")
	}
	rest := command.ReplaceAllString(text, "/")
	if w := englishWord.FindString(rest); w != "" {
		return "the English word " + strconv.Quote(w)
	}
	return ""
}

// englishWalk is the cast of the English walkthrough (see
// TestEnglishWalkthrough): the group, in Vietnamese, of a block of four
// units; Peter, a group administrator whose Telegram speaks English (as
// "en-GB"); Mary, the representative of Tỉnh Đoàn, the leader unit, in
// English ("en"); John, the representative of Hội Chữ thập đỏ tỉnh, in
// English ("en"); Chi, the representative of Hội Nông dân tỉnh, in
// Vietnamese ("vi"); and An, the representative of Ủy ban MTTQ Việt Nam
// tỉnh, whose Telegram does not say its language. With the group in
// English (see TestVietnameseInAnEnglishGroup), its messages are English,
// and An's too.
type englishWalk struct {
	*walk
	peter, mary, john, chi, an *telegramtest.User
	// typed is what the users typed: names, titles, targets, notes,
	// reasons, which the bot shows as typed in either language.
	typed []string
	// said holds the group messages the bot posted for one person, which
	// must be in their language, with what they answered, which they may
	// quote; every other is the group's, in its language.
	said map[int]answered
}

// answered is a message of the bot that answered someone (see
// englishWalk.said).
type answered struct {
	lang bot.Lang
	text string // what it answered
}

// newEnglishWalk starts the walk in a group whose language is l.
func newEnglishWalk(t *testing.T, l bot.Lang) *englishWalk {
	s := &englishWalk{walk: &walk{harness: newHarness(t, groupLang(l))}, said: map[int]answered{}}
	s.typed = append([]string{"Khối thi đua các đoàn thể tỉnh", "Hùng"}, englishWalkUnits...)
	return s
}

// langOf is the language the user's Telegram speaks, as the bot reads it:
// the group's when it does not say.
func (s *englishWalk) langOf(u *telegramtest.User) bot.Lang {
	return bot.LangOfCode(u.LanguageCode, s.lang)
}

// check fails unless text, said (what) to someone whose language is l, is
// in l; it may quote the words of what they said (quoting), and, in
// Vietnamese, the labels of the group's buttons.
func (s *englishWalk) check(l bot.Lang, what, text string, quoting ...string) {
	s.t.Helper()
	if l == bot.VI {
		if why := notVietnamese(text, []string{msgSignButton.EN}); why != "" {
			s.t.Fatalf("%s is not Vietnamese: %s:\n%s", what, why, text)
		}
		return
	}
	for _, q := range quoting {
		quoting = append(quoting, strings.Fields(q)...)
	}
	if why := notEnglish(text, append(quoting, s.typed...)); why != "" {
		s.t.Fatalf("%s is not English: %s:\n%s", what, why, text)
	}
}

// msgSignButton is the label of the covenant's button.
var msgSignButton = bot.T{VI: "✍️ Ký giao ước", EN: "✍️ Sign the covenant"}

// posted has user send text in the group and returns the bot's messages
// that followed, joined. Every one must be in the user's language, but
// those that start with one of posts: messages to the whole group, in its
// language, which the command posts with buttons for others to press or
// results for all to see.
func (s *englishWalk) posted(user *telegramtest.User, text string, posts ...string) string {
	s.t.Helper()
	return s.exchange(user, text, func() telegramtest.Update { return s.tg.Send(s.group, user, text) }, posts)
}

// replied is posted for a reply to the bot's message to.
func (s *englishWalk) replied(user *telegramtest.User, to telegramtest.Message, text string, posts ...string) string {
	s.t.Helper()
	return s.exchange(user, text, func() telegramtest.Update { return s.tg.Reply(s.group, user, &to, text) }, posts)
}

// exchange has user post, as send does, and checks the bot's answers (see
// posted).
func (s *englishWalk) exchange(user *telegramtest.User, text string, send func() telegramtest.Update, posts []string) string {
	s.t.Helper()
	n := len(s.tg.Messages(s.group.ID))
	s.handled(send())
	var out []string
	for _, m := range s.tg.Messages(s.group.ID)[n:] {
		if m.From.ID == user.ID {
			continue
		}
		out = append(out, m.Text)
		what := user.FirstName + "'s " + strconv.Quote(text) + " answered"
		if slices.ContainsFunc(posts, func(p string) bool { return strings.HasPrefix(m.Text, p) }) {
			s.check(s.lang, what+" in the group", m.Text)
			continue
		}
		s.said[m.ID] = answered{s.langOf(user), text}
		s.check(s.langOf(user), what, m.Text, text)
	}
	return strings.Join(out, "\n")
}

// pressed has user press the button labelled label under msg and returns
// the answer they saw, checked in their language; the messages the press
// posted are checked as posted does.
func (s *englishWalk) pressed(user *telegramtest.User, msg telegramtest.Message, label string, posts ...string) string {
	s.t.Helper()
	s.exchange(user, label, func() telegramtest.Update {
		u, err := s.tg.Press(s.group, user, &msg, button(s.t, msg, label))
		if err != nil {
			s.t.Fatal(err)
		}
		return u
	}, posts)
	a, ok := s.tg.AnswerOf(s.lastQuery(user))
	if !ok {
		s.t.Fatalf("%s's press on %q was not answered", user.FirstName, label)
	}
	s.check(s.langOf(user), user.FirstName+"'s press on "+strconv.Quote(label)+" answered", a.Text)
	return a.Text
}

// lastQuery is the id of the last callback query of user answered.
func (s *englishWalk) lastQuery(user *telegramtest.User) string {
	answers := s.tg.CallbackAnswers()
	for i := len(answers) - 1; i >= 0; i-- {
		if answers[i].UserID == user.ID {
			return answers[i].QueryID
		}
	}
	return ""
}

// private has user send text to the bot in private and returns its
// answer, checked in their language.
func (s *englishWalk) private(user *telegramtest.User, text string) string {
	s.t.Helper()
	n := len(s.tg.Messages(user.ID))
	s.handled(s.tg.SendPrivate(user, text))
	var out []string
	for _, m := range s.tg.Messages(user.ID)[n:] {
		if m.From.ID != user.ID {
			out = append(out, m.Text)
		}
	}
	answer := strings.Join(out, "\n")
	s.check(s.langOf(user), user.FirstName+"'s "+strconv.Quote(text)+" in private answered", answer, text)
	return answer
}

// directs returns the direct messages the bot sent user, each checked in
// the user's language.
func (s *englishWalk) directs(user *telegramtest.User) []string {
	s.t.Helper()
	var out []string
	for _, m := range s.tg.Messages(user.ID) {
		if m.From.ID != user.ID {
			s.check(s.langOf(user), "the direct message to "+user.FirstName, m.Text)
			out = append(out, m.Text)
		}
	}
	return out
}

// sweep checks, at the end of the walk, every message of the bot as it is
// now (after the edits of later presses): those it posted for someone in
// their language, the group's in its own; the direct messages and the
// answers to button presses in the language of whom they are for.
func (s *englishWalk) sweep() {
	s.t.Helper()
	people := map[int64]*telegramtest.User{}
	for _, u := range []*telegramtest.User{s.peter, s.mary, s.john, s.chi, s.an} {
		if u != nil {
			people[u.ID] = u
			s.directs(u)
		}
	}
	for _, m := range s.tg.Messages(s.group.ID) {
		what := "the group message " + strconv.Itoa(m.ID)
		if a, ok := s.said[m.ID]; ok {
			s.check(a.lang, what, m.Text, a.text)
		} else if m.From.ID == s.tg.BotUser().ID {
			s.check(s.lang, what, m.Text)
		}
	}
	for _, a := range s.tg.CallbackAnswers() {
		if u := people[a.UserID]; u != nil {
			s.check(s.langOf(u), "the answer to "+u.FirstName+"'s press", a.Text)
		}
	}
}

// attached has user send, in reply to the bot's message to, a photo, or
// with a name a file, with the caption, and returns the bot's answer,
// checked as posted does.
func (s *englishWalk) attached(user *telegramtest.User, to telegramtest.Message, name, caption string) string {
	s.t.Helper()
	return s.exchange(user, caption, func() telegramtest.Update {
		if name != "" {
			return s.tg.SendDocument(s.group, user, &to, name, []byte("%PDF-1.4 "+caption), caption)
		}
		return s.tg.SendPhoto(s.group, user, &to, []byte("jpeg: "+caption), caption)
	}, nil)
}

// lastDirect is the last direct message the bot sent user, checked in
// their language (see directs).
func (s *englishWalk) lastDirect(user *telegramtest.User) string {
	s.t.Helper()
	dms := s.directs(user)
	if len(dms) == 0 {
		s.t.Fatalf("no direct message to %s", user.FirstName)
	}
	return dms[len(dms)-1]
}

// unchanged is posted for a command that must change nothing, such as
// one with bad input; it returns the answer.
func (s *englishWalk) unchanged(user *telegramtest.User, text string, want ...string) string {
	s.t.Helper()
	before := s.version()
	got := s.posted(user, text)
	expect(s.t, got, want...)
	if after := s.version(); after != before {
		s.t.Fatalf("%q changed the block: version %d -> %d", text, before, after)
	}
	return got
}

// version is the version of the group's block, 0 before it is set up.
func (s *englishWalk) version() int64 {
	s.t.Helper()
	b, err := s.store.BlockByChat(s.t.Context(), s.group.ID)
	if errors.Is(err, storage.ErrNotFound) {
		return 0
	} else if err != nil {
		s.t.Fatal(err)
	}
	return b.Version
}

// latest is the bot's latest group message whose text starts with head.
func (s *englishWalk) latest(head string) telegramtest.Message {
	s.t.Helper()
	return s.latestWhere("a message starting with "+strconv.Quote(head), func(m telegramtest.Message) bool {
		return strings.HasPrefix(m.Text, head)
	})
}

// buttonStarting is the label of the first button of msg that starts with
// prefix.
func buttonStarting(t *testing.T, msg telegramtest.Message, prefix string) string {
	t.Helper()
	b, ok := buttonOf(msg, func(b telegramtest.Button) bool { return strings.HasPrefix(b.Text, prefix) })
	if !ok {
		t.Fatalf("no button starting with %q under %q: %v", prefix, msg.Text, msg.Buttons)
	}
	return b.Text
}

// The units of the English walkthrough's block.
var englishWalkUnits = []string{mttq, nongDan, doan, ctd}

// TestEnglishWalkthrough drives a block through its year with English
// speakers among its managers and representatives, in a group whose
// language is Vietnamese, and checks that everything the bot says to them
// (its answers in the group, the answers to their presses, its direct
// messages) is English, counts agreeing with their nouns, and that
// everything it says to the group and to the Vietnamese speakers is
// Vietnamese: the bot added to the group; /setup, /addunit, /leader,
// /deputy; /start and /help in private and in the group; /join with its
// approval and its direct message; the criteria; /openreg; /pledge,
// /pledges, /editpledge, /delpledge, /submit; a list returned, with its
// direct message, and approved; /summary; the covenant, signed by button;
// the reminders of registration, of the covenant and of a reporting
// period, with their direct messages; the periods; /report step by step
// and in one message, with a photo; /myreport, /progress; a deadline and
// /done; /remind; /deadlines; /remindnow; the scores, /scores; /award;
// an election, its reminder, the votes and /result; and /history. Each
// command is also sent with bad input, which changes nothing and is
// explained in English.
func TestEnglishWalkthrough(t *testing.T) {
	s := newEnglishWalk(t, bot.VI)
	s.greetAndSetUp()
	s.joinTheBlock()
	s.register()
	s.signCovenant()
	s.report()
	s.deadlines()
	s.yearEnd()
	s.sweep()
}

// greetAndSetUp has Peter add the bot to the group on 02/03, which greets
// the group in its language, then set the block up.
func (s *englishWalk) greetAndSetUp() {
	h, t := s.harness, s.t
	s.on(3, 2, 9, 0)
	s.peter = h.tg.NewUser("Peter", "peter_admin", telegramtest.Lang("en-GB"))
	h.group.SetStatus(s.peter, telegramtest.StatusAdministrator)
	me := h.tg.BotUser()
	h.handled(mustChange(t)(h.group.ChangeStatusBy(me, telegramtest.StatusLeft, h.admin)))
	h.handled(mustChange(t)(h.group.ChangeStatusBy(me, telegramtest.StatusAdministrator, s.peter)))
	hello, _ := h.tg.LastMessage(h.group.ID)
	expect(t, hello.Text, "Xin chào! Tôi là trợ lý khối thi đua.", "/setup")

	expect(t, s.posted(s.peter, "/help"), "You are: a group administrator", "/setup")
	s.unchanged(s.peter, "/setup", "Usage: /setup <block name>")
	expect(t, s.posted(s.peter, "/setup Khối thi đua các đoàn thể tỉnh"), "✅ This group is now Khối thi đua các đoàn thể tỉnh, emulation year 2026.")
	s.unchanged(s.peter, "/addunit |", "/addunit <unit name>")
	expect(t, s.posted(s.peter, "/addunit "+strings.Join(englishWalkUnits, "\n")), "✅ Added 4 units:", "The block now has 4 units.")
	s.unchanged(s.peter, "/leader Hội Phụ nữ", "No such unit")
	expect(t, s.posted(s.peter, "/leader Tỉnh Đoàn"), "✅ Tỉnh Đoàn is the leader for 2026.")
	expect(t, s.posted(s.peter, "/deputy 1"), "✅ Ủy ban MTTQ Việt Nam tỉnh is the deputy for 2026.")
	expect(t, s.posted(s.peter, "/units"), "Khối thi đua các đoàn thể tỉnh")
}

// joinTheBlock has the four representatives join on 02/03: Mary by button,
// approved by Peter; John, who started the bot in private first, approved
// by Mary, and told privately; Chi and An.
func (s *englishWalk) joinTheBlock() {
	h, t := s.harness, s.t
	s.mary = h.member("Mary", "mary_td", telegramtest.Lang("en"))
	s.john = h.member("John", "john_rc", telegramtest.Lang("en"))
	s.chi = h.member("Chi", "", telegramtest.Lang("vi"))
	s.an = h.member("An", "")
	s.typed = append(s.typed, "Mary", "John", "Peter")

	expect(t, s.private(s.john, "/start"), "The bot can now message you directly")
	expect(t, s.private(s.john, "/help"), "The other commands are used in the block's group chat")
	expect(t, s.private(s.john, "/pledge Hiến máu"), "This command is used in the block's group chat.")
	expect(t, s.private(s.chi, "/start"), "Từ nay bot có thể nhắn riêng cho bạn")

	pick := h.say(h.group, s.mary, "/join")
	s.said[pick.ID] = answered{bot.EN, "/join"}
	expect(t, pick.Text, "Choose the unit you represent:")
	expect(t, s.pressed(s.mary, pick, doan, "🙋"), "Your request to represent Tỉnh Đoàn was sent.")
	s.pressed(s.peter, h.withButton("jd:"), "✅ Duyệt")
	expect(t, s.posted(s.mary, "/help"), "You are: a representative of Tỉnh Đoàn (the leader unit)")

	s.unchanged(s.john, "/join Hội Phụ nữ", "No such unit")
	s.posted(s.john, "/join "+ctd, "🙋")
	s.pressed(s.mary, h.withButton("jd:"), "✅ Duyệt")
	expect(t, s.lastDirect(s.john), "✅ You now represent Hội Chữ thập đỏ tỉnh in Khối thi đua các đoàn thể tỉnh.")
	s.posted(s.chi, "/join "+nongDan, "🙋")
	s.pressed(s.mary, h.withButton("jd:"), "✅ Duyệt")
	s.posted(s.an, "/join "+mttq, "🙋")
	s.pressed(s.mary, h.withButton("jd:"), "✅ Duyệt")
	if b := h.block(); len(b.Reps) != 4 {
		t.Fatalf("%d representatives", len(b.Reps))
	}
	expect(t, s.posted(s.john, "/help"), "You are: a representative of Hội Chữ thập đỏ tỉnh")
	s.unchanged(s.john, "/join", "You already represent a unit of the block.")
	expect(t, s.posted(s.john, "/units"), "4. Hội Chữ thập đỏ tỉnh")
}

// register runs registration from 03/03: the criteria, the pledges, John's
// list returned and approved once corrected, after the registration's
// reminder of 13/03; the summary.
func (s *englishWalk) register() {
	h, t := s.harness, s.t
	s.on(3, 3, 9, 0)
	s.typed = append(s.typed, "Công tác tuyên truyền", "Phong trào thi đua", "Hiến máu tình nguyện", "2.000 đơn vị máu", "đơn vị máu",
		"Tập huấn sơ cấp cứu", "150 lớp", "120 lớp", "lớp", "Tuyên truyền", "hoàn thành tốt", "Ghi rõ số lớp", "Vận động xây 50 nhà", "50 nhà", "nhà",
		"Thành lập 40 đội", "40 đội", "đội", "Phong trào tình nguyện", "hoàn thành xuất sắc", "Tổ chức 12 hội nghị", "12 hội nghị", "hội nghị")
	s.unchanged(s.mary, "/criteria add Công tác tuyên truyền | nhiều", "The maximum of points must be a number above 0", "Usage: /criteria")
	expect(t, s.posted(s.mary, "/criteria add Công tác tuyên truyền | 40\nPhong trào thi đua | 60"), "✅ Added 2 criteria.")
	expect(t, s.posted(s.john, "/criteria"), "1. Công tác tuyên truyền — at most 40 points")
	s.unchanged(s.mary, "/openreg 31/02/2026", "The deadline is not a real date.", "Usage: /openreg")
	expect(t, s.posted(s.mary, "/openreg 20/03/2026"), "📝 Registration for 2026 is open, deadline 20/03/2026.")

	s.unchanged(s.john, "/pledge -5", "The pledge title must have letters", "Usage: /pledge")
	s.unchanged(s.john, "/pledge Hiến máu tình nguyện | 2.000 đơn vị máu | 31/02/2026", "The due date is not a real date.", "Usage: /pledge")
	expect(t, s.posted(s.john, "/pledge Hiến máu tình nguyện | 2.000 đơn vị máu\nTập huấn sơ cấp cứu | 150 lớp\nTuyên truyền | hoàn thành tốt"),
		"✅ Recorded 3 pledges of Hội Chữ thập đỏ tỉnh:", "1. Hiến máu tình nguyện — target: 2.000 đơn vị máu — due 30/11/2026")
	expect(t, s.posted(s.john, "/pledges"), "State: 📝 not submitted", "2. Tập huấn sơ cấp cứu — target: 150 lớp — due 30/11/2026")
	s.unchanged(s.john, "/editpledge 9 Tập huấn sơ cấp cứu | 10 lớp", "There is no pledge with this number", "Usage: /editpledge")
	expect(t, s.posted(s.john, "/editpledge 2 Tập huấn sơ cấp cứu | 120 lớp | 31/10"), "after: 2. Tập huấn sơ cấp cứu — target: 120 lớp — due 31/10/2026")
	s.unchanged(s.john, "/delpledge 0", "There is no pledge with this number", "Usage: /delpledge")
	expect(t, s.posted(s.john, "/delpledge 3"), "2 pledges remain.")
	s.unchanged(s.john, "/submit now", "This command takes no text", "Usage: /submit")
	s.posted(s.john, "/submit", "📨")
	s.unchanged(s.mary, "/return 4", "Give the unit and the reason, separated by |.", "Usage: /return")
	expect(t, s.posted(s.mary, "/return 4 | Ghi rõ số lớp"), "↩️ The pledge list of Hội Chữ thập đỏ tỉnh is returned for changes (by Mary).\nReason: Ghi rõ số lớp")
	expect(t, s.lastDirect(s.john), "↩️ The pledge list of Hội Chữ thập đỏ tỉnh in Khối thi đua các đoàn thể tỉnh was returned (by Mary).\nReason: Ghi rõ số lớp")
	expect(t, s.posted(s.john, "/pledges"), "State: ↩️ returned (Mary, 03/03/2026 09:00)\nReason for return: Ghi rõ số lớp")

	s.posted(s.chi, "/pledge Vận động xây 50 nhà | 50 nhà")
	s.posted(s.mary, "/pledge Thành lập 40 đội | 40 đội\nPhong trào tình nguyện | hoàn thành xuất sắc")
	s.posted(s.mary, "/submit", "📨")
	s.unchanged(s.mary, "/approve 9", "No such unit")
	expect(t, s.posted(s.mary, "/approve Tỉnh Đoàn"), "✅ The pledge list of Tỉnh Đoàn (2 pledges) is approved — by Mary.")

	// 13/03, a week before the registration's deadline: An has registered
	// nothing, Chi has not sent her list, John's was returned.
	s.on(3, 13, 8, 0)
	h.tick(h.scheduler())
	expect(t, s.lastDirect(s.john), "⏰ Reminder (Khối thi đua các đoàn thể tỉnh): Register and submit the pledges — due 20/03/2026 17:00 (7 days left).\n"+
		"Your unit Hội Chữ thập đỏ tỉnh has not finished (still to do: correcting its returned pledge list and submitting it again).")
	expect(t, s.lastDirect(s.chi), "⏰ Nhắc hạn (Khối thi đua các đoàn thể tỉnh): Đăng ký nội dung thi đua — hạn 20/03/2026 17:00 (còn 7 ngày).\n"+
		"Đơn vị Hội Nông dân tỉnh của bạn chưa hoàn thành (còn: chưa gửi danh sách đăng ký (/submit)).")

	s.on(3, 13, 9, 0)
	s.posted(s.john, "/editpledge 2 Tập huấn sơ cấp cứu | 150 lớp")
	s.posted(s.john, "/submit", "📨")
	s.pressed(s.mary, s.latest("📨 Hội Chữ thập đỏ tỉnh"), "✅ Duyệt")
	expect(t, s.lastDirect(s.john), "✅ The pledge list of Hội Chữ thập đỏ tỉnh in Khối thi đua các đoàn thể tỉnh is approved (by Mary).")
	s.posted(s.chi, "/submit", "📨")
	expect(t, s.posted(s.mary, "/approve 2"), "✅ The pledge list of Hội Nông dân tỉnh (1 pledge) is approved — by Mary.\nChi: the unit signs the covenant once a manager opens it (/covenant).")
	s.posted(s.an, "/pledge Tổ chức 12 hội nghị | 12 hội nghị")
	s.posted(s.an, "/submit", "📨")
	expect(t, s.posted(s.john, "/summary"), "REGISTRATION SUMMARY 2026", "Units: 4 · approved 3 · awaiting approval 1")
}

// signCovenant opens the covenant on 14/03, to be signed by 31/03: An's
// list is approved after it opens; the others sign at once, John after the
// reminder of 24/03.
func (s *englishWalk) signCovenant() {
	h, t := s.harness, s.t
	s.on(3, 14, 9, 0)
	slogan := "Đoàn kết, vượt khó"
	s.typed = append(s.typed, slogan)
	s.unchanged(s.mary, "/covenant | 31/02/2026", "The signing deadline is not a real date.", "Usage: /covenant")
	s.posted(s.mary, "/covenant "+slogan+" | 31/03/2026", "📜")
	cov := s.latest("📜")
	// Peter approves An's list: An is to press the covenant's button, which
	// is in the group's language.
	expect(t, s.posted(s.peter, "/approve 1"), "✅ The pledge list of Ủy ban MTTQ Việt Nam tỉnh (1 pledge) is approved — by Peter.\n"+
		"An: the unit can sign the covenant now — press «✍️ Ký giao ước» under it (send /covenant to show it again).")
	s.pressed(s.chi, cov, "✍️ Ký giao ước")
	expect(t, s.pressed(s.mary, cov, "✍️ Ký giao ước"), "✅ Signed the covenant for Tỉnh Đoàn.")
	s.pressed(s.an, cov, "✍️ Ký giao ước")
	expect(t, s.pressed(s.peter, cov, "✍️ Ký giao ước"), "You do not represent any unit of the block yet.")

	s.on(3, 24, 8, 0)
	h.tick(h.scheduler())
	expect(t, s.lastDirect(s.john), "⏰ Reminder (Khối thi đua các đoàn thể tỉnh): Sign the covenant — due 31/03/2026 17:00 (7 days left).\n"+
		"Your unit Hội Chữ thập đỏ tỉnh has not finished (still to do: signing the covenant).\n"+
		"A representative presses «✍️ Ký giao ước» under the covenant (send /covenant to show it again).")
	s.on(3, 24, 9, 0)
	expect(t, s.pressed(s.john, cov, "✍️ Ký giao ước", "🎉"), "✅ Signed the covenant for Hội Chữ thập đỏ tỉnh.")
	expect(t, s.posted(s.john, "/history 30"), "Change history (last 30 entries of ",
		"Mary: opened registration: «due 20/03/2026»", "John: submitted the pledge list [Hội Chữ thập đỏ tỉnh]: «2 pledges»",
		"Mary: approved the pledge list [Hội Nông dân tỉnh]: «1 pledge»",
		"thiduabot: sent a reminder: «Register and submit the pledges: Ủy ban MTTQ Việt Nam tỉnh, Hội Nông dân tỉnh, Hội Chữ thập đỏ tỉnh»",
		"thiduabot: sent a reminder: «Sign the covenant: Hội Chữ thập đỏ tỉnh»")
	s.unchanged(s.john, "/history 1000", "The number of entries must be a number from 1 to 100.", "Usage: /history")
}

// report adds the reporting periods on 25/03, reminds the units of the
// first on 03/04, and has them report: John step by step, with a photo and
// a file, Mary and Chi in one message, An late; a period with a report is
// deleted.
func (s *englishWalk) report() {
	h, t := s.harness, s.t
	s.on(3, 25, 9, 0)
	s.typed = append(s.typed, "Quý I", "Quý II", "6 tháng", "Cả năm", "đã tập huấn ở 3 huyện", "Buổi tập huấn", "Biên bản")
	expect(t, s.posted(s.mary, "/closereg"), "🔒 Registration is closed (by Mary).", "Approved: 4/4 units.")
	s.unchanged(s.mary, "/period Quý I | 31/02", "The deadline is not a real date.", "Usage: /period")
	expect(t, s.posted(s.mary, "/period Quý I | 10/04\n6 tháng | 15/06\nCả năm | 30/11"), "✅ Added 3 reporting periods.")
	expect(t, s.posted(s.john, "/periods"), "1. Quý I — deadline 10/04/2026 — 0/4 units reported")

	s.on(4, 3, 8, 0)
	h.tick(h.scheduler())
	expect(t, s.lastDirect(s.john), "⏰ Reminder (Khối thi đua các đoàn thể tỉnh): Results report: Quý I — due 10/04/2026 23:59 (7 days left).\n"+
		"Your unit Hội Chữ thập đỏ tỉnh has not finished (still to do: the report for Quý I).")

	s.on(4, 3, 9, 0)
	s.unchanged(s.john, "/report Quý I\n9 45", "The unit has no pledge with this number.", "Usage: /report")
	expect(t, s.posted(s.john, "/report Quý I"), "📝 Quý I report — Hội Chữ thập đỏ tỉnh\nJohn is filling it in; only they can press its buttons.", "Pledge 1/2: Hiến máu tình nguyện")
	draft := s.latest("📝")
	s.pressed(s.john, draft, "50%")
	s.replied(s.john, draft, "100 đã tập huấn ở 3 huyện")
	expect(t, h.message(draft.ID).Text, "Check it, then press Send the report:")
	s.pressed(s.john, h.message(draft.ID), "✅ Send the report")
	sent := h.message(draft.ID)
	expect(t, sent.Text, "📊 Recorded the report of Quý I for Hội Chữ thập đỏ tỉnh (John, 03/04/2026 09:00).\n1. 50% of 2.000 đơn vị máu\n2. 100 lớp / 150 lớp (67%)")
	expect(t, s.attached(s.john, sent, "", "Buổi tập huấn"), "📎 Attached a photo to the report of Quý I for Hội Chữ thập đỏ tỉnh (1 piece of evidence).")
	expect(t, s.attached(s.john, sent, "bien-ban.pdf", "Biên bản"), "📎 Attached the file «bien-ban.pdf» to the report of Quý I for Hội Chữ thập đỏ tỉnh (2 pieces of evidence).")
	expect(t, s.posted(s.john, "/myreport"), "📊 Quý I report — Hội Chữ thập đỏ tỉnh (deadline 10/04/2026)", "Evidence (2):")
	expect(t, s.posted(s.mary, "/report Quý I\n1 10\n2 60%"), "📊 Recorded the report of Quý I for Tỉnh Đoàn (Mary, 03/04/2026 09:00).\n1. 10 đội / 40 đội (25%)\n2. 60% of the target")
	s.posted(s.chi, "/report Quý I\n1 20")
	expect(t, s.posted(s.john, "/progress"), "📈 PROGRESS 2026", "1. Quý I (deadline 10/04/2026): ✅ 3 · … 1")

	// A period added by mistake, reported for, and deleted with its report.
	s.posted(s.mary, "/period Quý II | 30/06")
	s.posted(s.mary, "/report Quý II\n1 12")
	expect(t, s.posted(s.mary, "/period delete Quý II"), "The period Quý II (30/06/2026) has 1 report from units. Deleting it deletes it too")
	ask := s.latest("The period Quý II")
	expect(t, s.pressed(s.mary, ask, "🗑 Delete it and 1 report"), "")
	expect(t, h.message(ask.ID).Text, "🗑 Deleted the period Quý II (30/06/2026) (by Mary) with the units' 1 report. The history keeps that report.")
}

// deadlines sets a deadline of Mary's on 05/04, which John meets; changes
// the reminders; and, on 12/04, has An report late, lists the deadlines and
// has Mary remind the units of the half year's report at once.
func (s *englishWalk) deadlines() {
	h, t := s.harness, s.t
	s.on(4, 5, 9, 0)
	title := "Nộp báo cáo sơ kết"
	s.typed = append(s.typed, title)
	s.unchanged(s.mary, "/deadline 31/02/2026 | "+title, "«31/02/2026» is not a valid date and time.", "Usage: /deadline")
	expect(t, s.posted(s.mary, "/deadline 30/04/2026 | "+title), "✅ Deadline #1 set: "+title)
	s.unchanged(s.john, "/done 9", "There is no deadline with this number.")
	expect(t, s.posted(s.john, "/done 1"), "Still to finish: 3 of 4 units.")
	s.unchanged(s.mary, "/remind hàng ngày", "«hàng» is not understood.", "Usage: /remind")
	expect(t, s.posted(s.mary, "/remind 7,3,1,0 08:00 quiet 21:00-07:00 weekends off"), "✅ Reminders changed:")
	expect(t, s.posted(s.john, "/remind"), "Reminders 7, 3, 1 days before and on the day, at 08:00")

	s.on(4, 12, 9, 0)
	s.posted(s.an, "/report Quý I\n1 3")
	expect(t, s.posted(s.john, "/deadlines"), "📅 The block's deadlines",
		"• Results report: 6 tháng — 15/06/2026 23:59 (64 days left)\n   Not done (4/4):",
		"• Complete all of the year's targets (2026) — 30/11/2026 17:00 (232 days left)\n   Not done (4/4):\n",
		"   – Ủy ban MTTQ Việt Nam tỉnh (still to do: Nộp báo cáo sơ kết; the report for 6 tháng; the report for Cả năm; catching up with the pace of the year's targets)\n",
		"   – Hội Chữ thập đỏ tỉnh (still to do: the report for 6 tháng; the report for Cả năm)\n")
	s.unchanged(s.mary, "/remindnow 99", "There is no deadline with this number.")
	expect(t, s.posted(s.mary, "/remindnow"), "Choose the deadline to remind of now:")
	pick := s.latest("Choose the deadline")
	s.pressed(s.mary, pick, buttonStarting(t, pick, "Results report: 6 tháng"), "⏰")
	expect(t, h.message(pick.ID).Text, "📣 Reminder of «Results report: 6 tháng» sent (asked by Mary).")
	expect(t, s.lastDirect(s.john), "⏰ Reminder (Khối thi đua các đoàn thể tỉnh): Results report: 6 tháng — due 15/06/2026 23:59 (64 days left).\n"+
		"Your unit Hội Chữ thập đỏ tỉnh has not finished (still to do: the report for 6 tháng).")
	expect(t, s.posted(s.john, "/history 40"), "Change history (last 40 entries of ",
		"thiduabot: sent a reminder: «Results report: Quý I: Ủy ban MTTQ Việt Nam tỉnh, Hội Nông dân tỉnh, Tỉnh Đoàn, Hội Chữ thập đỏ tỉnh»",
		"John: submitted a report [Hội Chữ thập đỏ tỉnh]: «Quý I — 1: 50% of the target; 2: 100 lớp (đã tập huấn ở 3 huyện)»",
		"John: attached evidence [Hội Chữ thập đỏ tỉnh]: «Quý I: photo — Buổi tập huấn»",
		"John: attached evidence [Hội Chữ thập đỏ tỉnh]: «Quý I: file bien-ban.pdf — Biên bản»",
		"Mary: submitted a report [Tỉnh Đoàn]: «Quý I — 1: 10 đội; 2: 60% of the target»",
		"Mary: deleted a reporting period: «Quý II | 30/06/2026 (1 report)»",
		"Mary: changed the reminders: «7,3,1,0 days · 08:00 · quiet 21:00-07:00 · weekends on» → «7,3,1,0 days · 08:00 · quiet 21:00-07:00 · weekends off»",
		"An: submitted a report [Ủy ban MTTQ Việt Nam tỉnh]: «Quý I — 1: 3 hội nghị — late»",
		"Mary: asked for a reminder now: «Results report: 6 tháng»")
}

// yearEnd runs the year's end in November: the scores, the award
// proposals and the election of next year's leader, which John is
// reminded of, and votes in last.
func (s *englishWalk) yearEnd() {
	h, t := s.harness, s.t
	s.on(11, 20, 9, 0)
	s.typed = append(s.typed, "tổ chức tốt")
	s.unchanged(s.john, "/selfscore\n1 99", "Criterion 1 «Công tác tuyên truyền» is worth at most 40 points, so it cannot get 99.", "Usage: /selfscore")
	expect(t, s.posted(s.john, "/selfscore\n1 35"), "✅ Recorded the scores Hội Chữ thập đỏ tỉnh gave itself (by John).")
	expect(t, s.posted(s.john, "/selfscore\n2 55 tổ chức tốt"), "Total: own 90 · agreed —")
	s.unchanged(s.mary, "/score #4\n9 5", "No criterion has this number.", "Usage: /score")
	expect(t, s.posted(s.mary, "/score #4\n1 38\n2 57"), "✅ Recorded the agreed scores of Hội Chữ thập đỏ tỉnh (by Mary).")
	s.posted(s.mary, "/score #3\n1 40\n2 58")
	expect(t, s.posted(s.john, "/scores"), "🏅 SCORES 2026", "1. Tỉnh Đoàn — agreed 98 · own —\n2. Hội Chữ thập đỏ tỉnh — agreed 95 · own 90")
	s.unchanged(s.mary, "/award Bằng khen của UBND tỉnh | Hội Phụ nữ", "No unit «Hội Phụ nữ»", "Usage: /award")
	expect(t, s.posted(s.mary, "/award Cờ thi đua của UBND tỉnh | Tỉnh Đoàn"), "✅ Recorded the proposal of Cờ thi đua của UBND tỉnh for 1 unit (by Mary).")
	s.posted(s.mary, "/award Bằng khen của UBND tỉnh | 4")
	expect(t, s.posted(s.john, "/award"), "🎖 AWARD PROPOSALS 2026", "Bằng khen của UBND tỉnh — 1 unit\n• Hội Chữ thập đỏ tỉnh — rank 2 · agreed 95")

	// Tuesday 24/11: the leader's election, closing a day later.
	s.on(11, 24, 9, 0)
	s.unchanged(s.mary, "/elect chairman", "Say which office to elect: leader or deputy.", "Usage: /elect")
	s.posted(s.mary, "/elect leader", "🗳")
	for _, u := range []*telegramtest.User{s.chi, s.an, s.mary} {
		s.pressed(u, h.ballot(), nongDan)
	}
	s.on(11, 25, 8, 0)
	h.tick(h.scheduler())
	expect(t, s.lastDirect(s.john), "⏰ Reminder (Khối thi đua các đoàn thể tỉnh): Election of the leader for 2027 — due 25/11/2026 09:00 (due today).\n"+
		"Your unit Hội Chữ thập đỏ tỉnh has not finished (still to do: its vote in the leader election).")
	s.on(11, 25, 8, 30)
	s.posted(s.john, "/result", "🗳")
	expect(t, s.pressed(s.john, h.ballot(), nongDan, "🗳"), "✅ Recorded the vote of Hội Chữ thập đỏ tỉnh: Hội Nông dân tỉnh.\nReceipt: ")
	s.unchanged(s.john, "/result chairman", "«chairman» is not an office: write leader or deputy.", "Usage: /result")
	expect(t, s.posted(s.john, "/result leader"), "📋 Counting record — election of the leader for 2027", "🎉 Hội Nông dân tỉnh is elected leader for 2027 with 4/4 votes.")
	expect(t, s.posted(s.john, "/history 20"),
		"John: scored the unit [Hội Chữ thập đỏ tỉnh]: «35 points (1/2 criteria) — 1: 35»",
		"John: scored the unit [Hội Chữ thập đỏ tỉnh]: «35 points (1/2 criteria) — 2: not scored» → «90 points (2/2 criteria) — 2: 55 (tổ chức tốt)»",
		"Mary: recorded the agreed score [Hội Chữ thập đỏ tỉnh]: «95 points (2/2 criteria) — 1: 38; 2: 57»",
		"thiduabot: sent a reminder: «Election of the leader for 2027: Hội Chữ thập đỏ tỉnh»")
}

// TestVietnameseInAnEnglishGroup is the reverse of TestEnglishWalkthrough:
// in a group whose language is English, Chi, whose Telegram speaks
// Vietnamese, gets everything said to her in Vietnamese (the answers to her
// commands and presses, the approval, the returned list, the reminders and
// what her unit owes, /deadlines, /history), the covenant's button named
// as it reads in the group; and the group gets English.
func TestVietnameseInAnEnglishGroup(t *testing.T) {
	s := newEnglishWalk(t, bot.EN)
	h := s.harness
	s.typed = append(s.typed, "Mary", "Peter", "Chi", "Công tác tuyên truyền", "Vận động xây 50 nhà", "50 nhà", "nhà", "Ghi rõ thời hạn", "Đoàn kết, vượt khó")
	s.on(3, 2, 9, 0)
	s.peter = h.tg.NewUser("Peter", "peter_admin", telegramtest.Lang("en-GB"))
	h.group.SetStatus(s.peter, telegramtest.StatusAdministrator)
	s.posted(s.peter, "/setup Khối thi đua các đoàn thể tỉnh")
	s.posted(s.peter, "/addunit "+strings.Join(englishWalkUnits, "\n"))
	s.posted(s.peter, "/leader Tỉnh Đoàn")
	s.mary = h.member("Mary", "mary_td", telegramtest.Lang("en"))
	s.chi = h.member("Chi", "", telegramtest.Lang("vi"))
	s.posted(s.mary, "/join "+doan, "🙋")
	s.pressed(s.peter, h.withButton("jd:"), "✅ Approve")
	expect(t, s.private(s.chi, "/start"), "Từ nay bot có thể nhắn riêng cho bạn")
	expect(t, s.posted(s.chi, "/join "+nongDan, "🙋"), "🙋 Chi asks to represent Hội Nông dân tỉnh.")
	s.pressed(s.mary, h.withButton("jd:"), "✅ Approve")
	expect(t, s.lastDirect(s.chi), "✅ Bạn đã được duyệt là đầu mối của Hội Nông dân tỉnh trong Khối thi đua các đoàn thể tỉnh.")
	expect(t, s.posted(s.chi, "/help"), "Bạn là: đầu mối của Hội Nông dân tỉnh")
	expect(t, s.posted(s.chi, "/units"), "Khối trưởng: Tỉnh Đoàn")

	s.posted(s.mary, "/criteria add Công tác tuyên truyền | 100")
	s.posted(s.mary, "/openreg 20/03/2026")
	expect(t, s.posted(s.chi, "/pledge -5"), "Nội dung đăng ký phải có chữ", "Cú pháp: /pledge")
	expect(t, s.posted(s.chi, "/pledge Vận động xây 50 nhà | 50 nhà"), "✅ Đã ghi 1 nội dung đăng ký thi đua của Hội Nông dân tỉnh")
	s.posted(s.chi, "/submit", "📨")
	s.posted(s.mary, "/return 2 | Ghi rõ thời hạn")
	expect(t, s.lastDirect(s.chi), "↩️ Danh sách đăng ký thi đua của Hội Nông dân tỉnh trong Khối thi đua các đoàn thể tỉnh bị trả lại (bởi Mary).\nLý do: Ghi rõ thời hạn")

	s.on(3, 13, 8, 0)
	h.tick(h.scheduler())
	expect(t, s.latest("⏰ Reminder: Register and submit the pledges").Text,
		"• Hội Nông dân tỉnh (still to do: correcting its returned pledge list and submitting it again) — Chi")
	expect(t, s.lastDirect(s.chi), "⏰ Nhắc hạn (Khối thi đua các đoàn thể tỉnh): Đăng ký nội dung thi đua — hạn 20/03/2026 17:00 (còn 7 ngày).\n"+
		"Đơn vị Hội Nông dân tỉnh của bạn chưa hoàn thành (còn: danh sách bị trả lại, cần sửa và gửi lại).")

	s.on(3, 13, 9, 0)
	s.posted(s.chi, "/submit", "📨")
	s.posted(s.mary, "/covenant Đoàn kết, vượt khó | 31/03/2026", "📜")
	cov := s.latest("📜")
	expect(t, s.posted(s.mary, "/approve 2"), "Chi: the unit can sign the covenant now — press «✍️ Sign the covenant» under it")
	expect(t, s.lastDirect(s.chi), "✅ Danh sách đăng ký thi đua của Hội Nông dân tỉnh trong Khối thi đua các đoàn thể tỉnh đã được duyệt (bởi Mary).")

	s.on(3, 24, 8, 0)
	h.tick(h.scheduler())
	expect(t, s.lastDirect(s.chi), "⏰ Nhắc hạn (Khối thi đua các đoàn thể tỉnh): Ký giao ước thi đua — hạn 31/03/2026 17:00 (còn 7 ngày).\n"+
		"Đơn vị Hội Nông dân tỉnh của bạn chưa hoàn thành (còn: chưa ký giao ước thi đua).\nĐầu mối bấm nút «✍️ Sign the covenant» dưới giao ước")
	s.on(3, 24, 9, 0)
	expect(t, s.posted(s.chi, "/deadlines"), "• Ký giao ước thi đua — 31/03/2026 17:00 (còn 7 ngày)\n   Chưa xong (4/4):",
		"• Hoàn thành toàn diện các chỉ tiêu năm 2026 — 30/11/2026 17:00", "   – Hội Nông dân tỉnh (còn: chưa ký giao ước thi đua)")
	expect(t, s.pressed(s.chi, cov, "✍️ Sign the covenant"), "✅ Đã ký giao ước cho Hội Nông dân tỉnh.")
	expect(t, s.posted(s.chi, "/history 8"), "Lịch sử thay đổi (8 mục gần nhất trong ",
		"thiduabot: nhắc hạn: «Ký giao ước thi đua: Ủy ban MTTQ Việt Nam tỉnh, Hội Nông dân tỉnh, Tỉnh Đoàn, Hội Chữ thập đỏ tỉnh»",
		"Chi: gửi duyệt danh sách đăng ký [Hội Nông dân tỉnh]: «1 nội dung»")
	s.sweep()
}
