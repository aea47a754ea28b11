package handlers_test

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"thiduabot/bot"
	"thiduabot/handlers"
	"thiduabot/storage"
	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// The guard over every command: each command the router registers
// (handlers.Commands, as the README test reads them) is sent, on a block in
// the middle of its year, by people who may not use it and, with malformed
// arguments, by a manager and by representatives; the bot must answer every
// time, politely, in the language of their Telegram app (Vietnamese, then
// English), with messages Telegram accepts, and change nothing it was not
// asked to change.

// midYearCast is the results cast (units, Lan of Hội Nông dân tỉnh, Minh of
// the leader unit Tỉnh Đoàn, Hoa who represents no unit, four periods) in
// the middle of the year (20/06): Bình of Ủy ban MTTQ Việt Nam tỉnh too,
// Lan's list approved, Minh's submitted and Bình's a draft, two criteria,
// the covenant open and signed by Lan's unit, three deadlines, Lan's
// reports for the first two periods and her self-scoring, and an open
// election of the deputy leader.
type midYearCast struct {
	*resCast
	// binh represents Ủy ban MTTQ Việt Nam tỉnh (unit 1), whose list of
	// two pledges is not sent yet.
	binh *telegramtest.User
}

func newMidYearCast(t *testing.T) *midYearCast {
	t.Helper()
	c := &midYearCast{resCast: newResCast(t)}
	c.binh = c.member("Bình", "")
	c.join(c.binh, "1")
	expect(t, c.say(c.group, c.binh, "/pledge Tuyên truyền pháp luật | 12 buổi\nHội viên mới | 300 hội viên").Text, "Đã ghi 2 nội dung")
	expect(t, c.say(c.group, c.lan, "/submit").Text, "gửi danh sách đăng ký")
	expect(t, c.say(c.group, c.admin, "/approve 3").Text, "Đã duyệt")
	expect(t, c.say(c.group, c.minh, "/pledge Tổ chức ngày hội thanh niên | 5 ngày hội").Text, "Đã ghi 1 nội dung")
	expect(t, c.say(c.group, c.minh, "/submit").Text, "gửi danh sách đăng ký")
	expect(t, c.say(c.group, c.minh, "/criteria add Công tác tuyên truyền | 40\nPhong trào thi đua | 60").Text, "Đã thêm 2 tiêu chí")
	cov := c.say(c.group, c.minh, "/covenant Đoàn kết, vượt khó | 31/07/2026")
	expect(t, cov.Text, "GIAO ƯỚC THI ĐUA NĂM 2026")
	c.press(c.group, c.lan, cov, cov.Buttons[0][0].Data)
	expect(t, c.say(c.group, c.admin, "/deadline 30/06/2026 17:00 | Nộp báo cáo 6 tháng").Text, "Đã đặt hạn #1")
	expect(t, c.say(c.group, c.admin, "/deadline 15/07/2026 | Gửi ảnh hoạt động").Text, "Đã đặt hạn #2")
	expect(t, c.say(c.group, c.minh, "/deadline 31/07/2026 | Nộp bản đăng ký bổ sung").Text, "Đã đặt hạn #3")
	expect(t, c.say(c.group, c.lan, "/report Quý I\n1 45 đã khởi công 5 nhà\n2 30%\n3 50% đang triển khai\n4 900").Text, "Đã ghi báo cáo")
	c.now = time.Date(2026, 6, 20, 9, 0, 0, 0, hcm)
	expect(t, c.say(c.group, c.lan, "/report 6 tháng\n1 48\n2 35%").Text, "Đã ghi báo cáo")
	expect(t, c.say(c.group, c.lan, "/selfscore\n1 30\n2 50 tổ chức tốt").Text, "Đã ghi")
	expect(t, c.say(c.group, c.admin, "/elect khoipho").Text, "Bầu Khối phó")
	return c
}

// stored returns the group's block as stored.
func (c *midYearCast) stored(t *testing.T) *thidua.Block {
	t.Helper()
	b, err := c.store.BlockByChat(context.Background(), c.group.ID)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// version returns the stored block's version, which every change of the
// block raises.
func (c *midYearCast) version(t *testing.T) int64 {
	t.Helper()
	return c.stored(t).Version
}

// history returns the length of the block's history.
func (c *midYearCast) history(t *testing.T) int {
	t.Helper()
	events, err := storage.History(context.Background(), c.store, c.stored(t).ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	return len(events)
}

// speaking has the cast's people (the administrator, Lan, Minh, Hoa and
// Bình) speak English from now on when l is, as their Telegram apps tell
// the bot, which records it for the representatives at their next command
// (/units here), before the guard counts changes.
func (c *midYearCast) speaking(l bot.Lang) *midYearCast {
	if l == bot.VI {
		return c
	}
	for _, u := range []*telegramtest.User{c.admin, c.lan, c.minh, c.hoa, c.binh} {
		c.tg.SetLanguage(u, string(l))
		c.say(c.group, u, "/units")
	}
	return c
}

// blockTexts are the texts people typed that a block stores, which the
// bot's answers show as typed in either language: the names of the block,
// its units and representatives, the titles, targets and measures of
// pledges, the titles of criteria, periods, deadlines and awards, notes,
// the covenant's slogan, the outstanding individuals' names, positions and
// achievements.
func blockTexts(b *thidua.Block) []string {
	texts := []string{b.Name}
	for _, u := range b.Units {
		texts = append(texts, u.Name)
		for _, p := range b.RegistrationOf(u.ID).Pledges {
			texts = append(texts, p.Title, p.Target.String(), p.Target.Measure)
		}
	}
	for _, rp := range b.Reps {
		texts = append(texts, rp.Name)
	}
	for _, cr := range b.Registration.Criteria {
		texts = append(texts, cr.Title)
	}
	for _, p := range b.Results.Periods {
		texts = append(texts, p.Name)
	}
	for _, d := range b.Schedule.Custom {
		texts = append(texts, d.Title)
	}
	for _, r := range b.Results.Reports {
		for _, e := range r.Entries {
			texts = append(texts, e.Note)
		}
	}
	for _, sc := range b.Registration.Scores {
		for _, s := range sc.Self {
			texts = append(texts, s.Note)
		}
	}
	if cv := b.Registration.Covenant; cv != nil {
		texts = append(texts, cv.Slogan)
	}
	for _, p := range b.Registration.Proposals {
		texts = append(texts, p.Award)
	}
	for _, e := range b.Registration.Exemplars {
		texts = append(texts, e.Name, e.Position, e.Achievement)
	}
	return texts
}

// typedWords are the words of what the cast's people typed, which the
// bot's answers show as typed in either language: the names and titles of
// the block as stored.
func (c *midYearCast) typedWords(t *testing.T) map[string]bool {
	t.Helper()
	texts := blockTexts(c.stored(t))
	for _, u := range []*telegramtest.User{c.admin, c.lan, c.minh, c.hoa, c.binh} {
		texts = append(texts, u.FirstName)
	}
	words := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.Join(append(append(texts, quotedVietnamese...), examplesTyped()...), " "), notLetter) {
		words[w] = true
	}
	return words
}

// notLetter tells the letters of words from what separates them.
func notLetter(r rune) bool { return !unicode.IsLetter(r) }

// guardRun is the guard's run of one command: its subtest, the language
// its people speak, the words they typed (see typedWords), the block's
// version after the last request, and whether any request changed it.
type guardRun struct {
	*midYearCast
	t       *testing.T
	lang    bot.Lang
	typed   map[string]bool
	version int64
	changed bool
}

// groupPosts are the heads of the messages a command posts for the whole
// group, in its language (Vietnamese here) whoever sent the command: a
// request to represent a unit and a list's submission, with the managers'
// buttons; the covenant and the ballot, with everyone's; an election's
// result, and a tie's decision (/decide), which completes one.
var groupPosts = []string{"🙋", "📨", "📜", "🗳", "⚖️"}

// inLanguage says what in text, the answer to input, is not in the run's
// language, "" if nothing: an English answer may show Vietnamese words
// only as the people typed them (in input, or earlier: g.typed).
func (g *guardRun) inLanguage(text, input string) string {
	if g.lang == bot.VI || slices.ContainsFunc(groupPosts, func(head string) bool { return strings.HasPrefix(text, head) }) {
		if !vietnamese.MatchString(text) {
			return "not Vietnamese"
		}
		return ""
	}
	said := map[string]bool{}
	for _, w := range strings.FieldsFunc(input, notLetter) {
		said[w] = true
	}
	for _, w := range strings.FieldsFunc(text, notLetter) {
		if vietnamese.MatchString(w) && !said[w] && !g.typed[w] {
			return "not English: " + strconv.Quote(w)
		}
	}
	if c := rawChoice.FindString(text); c != "" {
		return "not English: a choice left unmade, " + c
	}
	if n := badCount(text); n != "" {
		return "not English: a count that disagrees, " + strconv.Quote(n)
	}
	return ""
}

// vietnamese finds a letter only Vietnamese writes.
var vietnamese = regexp.MustCompile(`[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]`)

// send sends text as user in chat and returns the bot's new messages there.
// It fails the test unless the bot answered, in Vietnamese, without the
// dispatcher's apology for a failure (or a panic), quoting no more than a
// short part of a long text, and, unless mayChange, left the block as it
// was.
func (g *guardRun) send(chat *telegramtest.Chat, user *telegramtest.User, text string, mayChange bool) []telegramtest.Message {
	g.t.Helper()
	return g.exchange(chat, user, text, mayChange, func() telegramtest.Update { return g.tg.Send(chat, user, text) })
}

// reply is send for a reply to the bot's message to in the group.
func (g *guardRun) reply(user *telegramtest.User, to telegramtest.Message, text string, mayChange bool) []telegramtest.Message {
	g.t.Helper()
	return g.exchange(g.group, user, text, mayChange, func() telegramtest.Update { return g.tg.Reply(g.group, user, &to, text) })
}

// exchange is send and reply, the message posted by post.
func (g *guardRun) exchange(chat *telegramtest.Chat, user *telegramtest.User, text string, mayChange bool, post func() telegramtest.Update) []telegramtest.Message {
	t := g.t
	t.Helper()
	said := len(g.tg.Messages(chat.ID))
	u := post()
	if err := g.tg.WaitConfirmed(u.ID, wait); err != nil {
		t.Fatalf("%q: %v", shortText(text), err)
	}
	answers := g.tg.Messages(chat.ID)[said:]
	if len(answers) == 0 {
		t.Errorf("%s said %q: no answer", user.FirstName, shortText(text))
	}
	for _, m := range answers {
		t.Logf("%s: %s\n→ %s", user.FirstName, shortText(text), m.Text)
		switch why := g.inLanguage(m.Text, text); {
		case strings.Contains(m.Text, "đã có lỗi khi xử lý") || strings.Contains(m.Text, "something went wrong"):
			t.Errorf("%s said %q: the bot failed and apologised", user.FirstName, shortText(text))
		case why != "":
			t.Errorf("%s said %q: the answer is %s: %q", user.FirstName, shortText(text), why, m.Text)
		case strings.Contains(m.Text, string([]rune(longArg)[:300])):
			t.Errorf("%s said %q: the answer quotes the long text whole, not a short part of it", user.FirstName, shortText(text))
		}
	}
	v := g.midYearCast.version(t)
	if !mayChange && v != g.version {
		t.Errorf("%s said %q: the block changed (version %d → %d)", user.FirstName, shortText(text), g.version, v)
	}
	g.changed = g.changed || v != g.version
	g.version = v
	return answers
}

// shortText cuts a long text for the test's messages.
func shortText(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}

// telegramAccepted fails the test if Telegram refused any of the bot's
// calls since the calls-th: the fake refuses, as Telegram does, HTML it
// cannot parse and texts too long, and the bot, which tells nobody when its
// answer is refused, would have said nothing. Only an edit that changes
// nothing, which the sender takes as done, may be refused.
func (g *guardRun) telegramAccepted(calls int) {
	g.t.Helper()
	for _, r := range g.tg.RequestsFrom(calls) {
		if r.Status >= 400 && !strings.Contains(r.Description, "message is not modified") {
			g.t.Errorf("Telegram refused %s (%s): %q", r.Method, r.Description, shortText(r.Params.Get("text")+r.Params.Get("caption")))
		}
	}
}

// badArgs are the malformed arguments a manager sends every command with,
// and representatives the commands of representatives and of anyone.
// The empty ones come last: without arguments some commands do what they
// are for (see commandCase.bare).
var badArgs = []string{
	"|", "||", " | | ",
	longArg,
	"<b>x</b> & <script>",
	"🏆\u200b\u200d👨\u200d👩\u200d👧\ufeff",
	"1.000.000.000.000.000",
	"-5", "-1 | -3",
	"31/02", "00/00/0000",
	"#999",
	"١٢ | ５",
	"", "   ",
}

// longArg is an argument of 5,000 characters.
var longArg = string([]rune(strings.Repeat("Nội dung rất dài ", 300))[:5000])

// exampleToken finds what malformed replaces in a command's example: a date
// (dd/mm or dd/mm/yyyy), a time (HH:MM) or a number ("3", "1.200", "25,5",
// "14,7,3,1,0").
var exampleToken = regexp.MustCompile(`\d{1,2}/\d{1,2}(?:/\d{4})?|\d{1,2}:\d{2}|\d+(?:[.,]\d+)*`)

// malformed returns the example with one of its dates, times or numbers
// replaced by a bad one, in every way: a date that does not exist, a time
// past midnight, a negative number, one of 16 digits, one far out of range
// (a unit, a pledge or a deadline "999") and digits of another script.
func malformed(example string) []string {
	var out []string
	for _, at := range exampleToken.FindAllStringIndex(example, -1) {
		bad := []string{"-5", "1.000.000.000.000.000", "999", "١٢"}
		switch token := example[at[0]:at[1]]; {
		case strings.Contains(token, "/"):
			bad = []string{"31/02/2026", "00/00/0000"}
		case strings.Contains(token, ":"):
			bad = []string{"25:61"}
		}
		for _, b := range bad {
			out = append(out, example[:at[0]]+b+example[at[1]:])
		}
	}
	return out
}

// commandCase is what the test must know of a command that may change the
// block on its inputs: each field, when set, says why.
type commandCase struct {
	// bare: the command without arguments is complete, so that a manager
	// sending it empty may change the block.
	bare string
	// freeText: the command takes any text that holds a letter as a name, a
	// title or a reason, so that a manager's malformed arguments with a
	// letter may change the block; names of no letter ("|", "-5", "#999",
	// emoji) are refused.
	freeText string
	// member: a member who represents no unit may change the block with the
	// command's example.
	member string
	// wizard is the command that starts the command's exchange of steps,
	// each answered in reply to the bot's message: the representative
	// starts it and replies the malformed arguments, which must change
	// nothing, and a member's reply is refused.
	wizard string
}

// commandCases holds the commands that need a commandCase, by name; every
// other command must leave the block unchanged on every input of the test.
var commandCases = map[string]commandCase{
	"setup":      {freeText: "a block's name is free text"},
	"addunit":    {freeText: "a unit's name is free text"},
	"pledge":     {freeText: "a pledge's title is free text, and so is its target: \"-5 nhà\" may be a cut"},
	"editpledge": {freeText: "a pledge's title is free text, and so is its target: \"-5 nhà\" may be a cut"},
	"return":     {freeText: "the reason is free text"},
	"report":     {freeText: "a report line's note is free text", wizard: "/report Quý I"},
	"join":       {member: "anyone may ask to represent a unit; the request waits for a manager"},
	"leave":      {bare: "the representative stops representing the unit"},
	"submit":     {bare: "the representative sends the unit's list for approval"},
	"closereg":   {bare: "it closes registration"},
	"covenant":   {bare: "it posts the covenant again, noting the new message"},
	"closevote":  {bare: "it closes the open election"},
	"result":     {bare: "it shows the open election's count, noting the message to keep up to date"},
}

// mayChange reports whether args may change the block when a manager or a
// representative sends them with the command (see commandCase).
func (cc commandCase) mayChange(args string) bool {
	return cc.freeText != "" && strings.ContainsFunc(args, unicode.IsLetter) || cc.bare != "" && strings.TrimSpace(args) == ""
}

// refusal finds the words of a refusal that says who may do what was
// refused, in each language.
var refusal = map[bot.Lang]*regexp.Regexp{
	bot.VI: regexp.MustCompile(`chỉ quản trị viên|chưa là đầu mối`),
	bot.EN: regexp.MustCompile(`only group administrators|do not represent any unit`),
}

// ownerOnly is the start of the answer to someone who replies to another's
// step-by-step report, in each language.
var ownerOnly = map[bot.Lang]string{bot.VI: "Chỉ Lan", bot.EN: "Only Lan"}

// TestEveryCommandRefusesPoliteNotFails sends every registered command, on
// a block in mid-year, with its own example by a member who represents no
// unit, and, for the commands of managers, by the representative of a unit
// that does not lead the block: those who may not use a command are refused
// in Vietnamese, saying who may, and the block is unchanged. Then a manager
// (the group's administrator) sends it malformed: its example made bad
// (malformed) and each of badArgs; so do Lan and, for the commands of
// representatives, Bình, unless the command is only the managers'. The bot
// answers in Vietnamese with messages Telegram accepts, never fails, quotes
// no long text whole, and changes nothing unless the command takes it
// (commandCases); a command's step-by-step exchange is answered malformed
// too. The bot then still serves /units. A command used only in groups is
// also sent in private, where the bot says where it is used; one used in
// private too gets the malformed arguments there as well. Then it all
// again with everyone's Telegram app in English, which the bot answers in
// English, saying what they typed as they typed it.
func TestEveryCommandRefusesPoliteNotFails(t *testing.T) {
	for _, l := range []bot.Lang{bot.VI, bot.EN} {
		t.Run(string(l), func(t *testing.T) { everyCommandRefusesPoliteNotFails(t, l) })
	}
}

// everyCommandRefusesPoliteNotFails is TestEveryCommandRefusesPoliteNotFails
// with the cast's people speaking l.
func everyCommandRefusesPoliteNotFails(t *testing.T, l bot.Lang) {
	c := newMidYearCast(t).speaking(l)
	for _, cmd := range handlers.Commands() {
		if c == nil {
			c = newMidYearCast(t).speaking(l)
		}
		g := &guardRun{midYearCast: c, lang: l, typed: c.typedWords(t), version: c.version(t)}
		history := c.history(t)
		t.Run(cmd.Name, func(t *testing.T) {
			g.t = t
			calls := len(c.tg.Requests(""))
			defer g.telegramAccepted(calls)
			if !cmd.InGroup {
				t.Fatalf("/%s is for private chats only: the guard has no case for it", cmd.Name)
			}
			example := cmd.Example
			if example == "" {
				example = "/" + cmd.Name
			}
			cc := commandCases[cmd.Name]
			if !cmd.InPrivate {
				g.send(c.tg.PrivateChat(c.hoa), c.hoa, example, false)
			}

			var refused []*telegramtest.User
			switch cmd.Who {
			case "group admins":
				refused = []*telegramtest.User{c.hoa, c.lan, c.minh}
			case "managers":
				refused = []*telegramtest.User{c.hoa, c.lan}
			case "representatives":
				refused = []*telegramtest.User{c.hoa}
			case "anyone":
				g.send(c.group, c.hoa, example, cc.member != "")
			}
			for _, user := range refused {
				for _, m := range g.send(c.group, user, example, false) {
					if !refusal[l].MatchString(m.Text) {
						t.Errorf("%s sent %q: not a refusal saying who may: %q", user.FirstName, shortText(example), m.Text)
					}
				}
			}

			inputs := malformed(example)
			for _, args := range badArgs {
				inputs = append(inputs, "/"+cmd.Name+" "+args)
			}
			senders := []*telegramtest.User{c.admin}
			switch cmd.Who {
			case "representatives":
				senders = append(senders, c.lan, c.binh)
			case "anyone":
				senders = append(senders, c.lan)
			}
			for _, user := range senders {
				chats := []*telegramtest.Chat{c.group}
				if cmd.InPrivate {
					chats = append(chats, c.tg.PrivateChat(user))
				}
				for _, chat := range chats {
					for _, text := range inputs {
						g.send(chat, user, text, cc.mayChange(strings.TrimPrefix(text, "/"+cmd.Name)))
					}
				}
			}

			if cc.wizard != "" {
				answers := g.send(c.group, c.lan, cc.wizard, true)
				step := answers[len(answers)-1]
				for _, m := range g.reply(c.hoa, step, "45", false) {
					expect(t, m.Text, ownerOnly[l])
				}
				for _, args := range badArgs {
					if args != "" {
						g.reply(c.lan, step, args, false)
					}
				}
			}

			expect(t, g.send(c.group, c.hoa, "/units", false)[0].Text, "Hội Nông dân tỉnh", "Tỉnh Đoàn")
		})
		if g.changed {
			c.stop() // what the command changed might change what the next is told: set up anew
			c = nil
		} else if now := c.history(t); now != history {
			t.Errorf("/%s: the block's history went from %d to %d entries, its version unchanged", cmd.Name, history, now)
		}
	}
}
