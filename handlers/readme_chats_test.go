package handlers_test

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/telegramtest"
)

// The README's example chats are fenced blocks whose lines read:
//
//	Name (note):  what Name types, continued on indented lines
//	Name taps   [a button's label], then [another]   →  alert: what the press's answer says
//	Name replies  a reply to the bot's last message (or "to it with a photo captioned "…"", "… name.pdf")
//	thiduabot:  (the same message, edited)  what the bot said … elided … [a button] [another]
//	…           (a narration of what happens in between)
//	(a narration: a time, a scene)
//
// A thiduabot line's indented continuation lines are part of what the bot
// said, but for a remark in parentheses; "…" elides text, and the
// square-bracketed labels ending a line, after two spaces or alone on it,
// name buttons of the answer.
var (
	chatPerson = regexp.MustCompile(`^(\p{Lu}\p{L}*)(?: \(([^)]*)\))?(:| taps| replies)\s*(.*)$`)
	chatLabels = regexp.MustCompile(`(?:^|\s{2,})\[[^\[\]]+\](?:\s+\[[^\[\]]+\])*\s*$`)
	chatLabel  = regexp.MustCompile(`\[([^\[\]]+)\]`)
	chatAlert  = regexp.MustCompile(`^alert[^:]*:\s*`)
	chatPhoto  = regexp.MustCompile(`^to it with a photo captioned "(.*)"$`)
	chatFile   = regexp.MustCompile(`^to it with .*?([\w-]+\.[a-z]+)$`)
	// chatReceipt finds receipt codes (chatNormal leaves out those of
	// digits only): drawn at random, any stands for any.
	chatReceipt = regexp.MustCompile(`\b[A-HJ-NP-Z2-9]{6}\b`)
)

// chatLine is one line of an example chat, with its continuation lines.
type chatLine struct {
	n       int      // its README line number
	first   string   // its first line, whitespace runs made single: the key of the tables below
	who     string   // "thiduabot", a person's name, or "" for a narration
	note    string   // the words in parentheses after a person's name
	verb    string   // for a person: ":" (types), "taps" or "replies"
	text    string   // the rest, with its continuation lines, one per line
	remarks []string // a thiduabot line's remarks in parentheses
}

// readmeChat is one example chat of the README under its heading.
type readmeChat struct {
	heading string
	lines   []chatLine
}

// readmeChats reads the example chats of the README: the fenced blocks
// without a language that have a thiduabot line.
func readmeChats(t *testing.T, readme string) []readmeChat {
	t.Helper()
	var (
		chats   []readmeChat
		heading string
		fence   []string // the lines of the fenced block read, nil outside one
		from    int      // the README line number of its first line
		code    bool     // inside a fenced block with a language, which is no chat
	)
	for i, line := range strings.Split(readme, "\n") {
		switch {
		case code:
			code = !strings.HasPrefix(line, "```")
		case fence == nil && line == "```":
			fence, from = []string{}, i+2
		case fence != nil && line == "```":
			if slices.ContainsFunc(fence, func(l string) bool { return strings.HasPrefix(l, "thiduabot:") }) {
				chats = append(chats, readmeChat{heading: heading, lines: chatLines(t, fence, from)})
			}
			fence = nil
		case fence != nil:
			fence = append(fence, line)
		case strings.HasPrefix(line, "```"):
			code = true
		case strings.HasPrefix(line, "#"):
			heading = strings.TrimSpace(strings.TrimLeft(line, "#"))
		}
	}
	return chats
}

// chatLines parses the lines of an example chat, the first being README
// line n.
func chatLines(t *testing.T, fence []string, n int) []chatLine {
	t.Helper()
	var (
		lines  []chatLine
		remark bool // whether the last line read opened a remark it did not close
	)
	for i, line := range fence {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			remark = false
			continue
		case line[0] == ' ':
			if len(lines) == 0 {
				t.Fatalf("README line %d continues nothing: %q", n+i, line)
			}
			last := &lines[len(lines)-1]
			switch {
			case remark:
				last.remarks[len(last.remarks)-1] += " " + trimmed
			case last.who == "thiduabot" && opensRemark(trimmed):
				last.remarks = append(last.remarks, trimmed)
			default:
				last.text += "\n" + trimmed
				continue
			}
			remark = !strings.HasSuffix(trimmed, ")")
			continue
		}
		remark = false
		l := chatLine{n: n + i, first: strings.Join(strings.Fields(line), " ")}
		switch m := chatPerson.FindStringSubmatch(line); {
		case strings.HasPrefix(line, "thiduabot:"):
			l.who, l.text = "thiduabot", strings.TrimSpace(strings.TrimPrefix(line, "thiduabot:"))
		case strings.HasPrefix(line, "…") || strings.HasPrefix(line, "("):
			l.text = trimmed
		case m != nil:
			l.who, l.note, l.verb, l.text = m[1], m[2], strings.TrimSpace(m[3]), m[4]
		default:
			t.Fatalf("README line %d of an example chat is not of a known form: %q", n+i, line)
		}
		lines = append(lines, l)
	}
	return lines
}

// opensRemark reports whether a continuation line opens a remark: its
// opening parenthesis closes at its end, or on a later line.
func opensRemark(line string) bool {
	if !strings.HasPrefix(line, "(") {
		return false
	}
	depth := 0
	for i, r := range line {
		switch r {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return i == len(line)-1
			}
		}
	}
	return true
}

// chatCast is one group's story: the harness and the people in it by their
// README names.
type chatCast struct {
	*walk
	people map[string]*telegramtest.User
}

// chatPlayer plays the README's example chats through the fake Bot API.
type chatPlayer struct {
	t *testing.T
	*chatCast
	casts map[string]*chatCast
	// answer is what the last action made the bot send or edit in the
	// group, oldest first; edited tells the edited ones; alert is the
	// answer to the last press.
	answer []telegramtest.Message
	edited map[int]bool
	alert  string
	// done is what once did, by story and name; used, the keys of the
	// tables below that some line needed.
	done, used map[string]bool
}

// begin sets up the scene of an example chat: its story current, set up
// by chatStories when it is new, then its clock and what it takes for
// granted.
func (p *chatPlayer) begin(scene chatScene) {
	p.t.Helper()
	if c, ok := p.casts[scene.story]; ok {
		p.chatCast = c
	} else {
		p.chatCast = &chatCast{walk: &walk{harness: newHarness(p.t)}, people: map[string]*telegramtest.User{}}
		p.casts[scene.story] = p.chatCast
		chatStories[scene.story](p)
	}
	p.on(time.Month(scene.month), scene.day, scene.hour, scene.minute)
	if scene.then != nil {
		scene.then(p)
	}
}

// person returns the group member called name: Admin administers the
// group.
func (p *chatPlayer) person(name string) *telegramtest.User {
	if u, ok := p.people[name]; ok {
		return u
	}
	u := p.member(name, "")
	if name == "Admin" {
		p.group.SetStatus(u, telegramtest.StatusAdministrator)
	}
	p.people[name] = u
	return u
}

// act runs an action and records what it made the bot send or edit in the
// group.
func (p *chatPlayer) act(do func()) {
	before := map[int]int{}
	for _, m := range p.tg.Messages(p.group.ID) {
		before[m.ID] = m.EditCount
	}
	p.alert = ""
	do()
	p.answer, p.edited = nil, map[int]bool{}
	for _, m := range p.tg.Messages(p.group.ID) {
		if n, ok := before[m.ID]; !ok || n != m.EditCount {
			p.answer = append(p.answer, m)
			p.edited[m.ID] = ok
		}
	}
}

// say has name type text in the group.
func (p *chatPlayer) say(name, text string) {
	p.t.Helper()
	p.act(func() { p.handled(p.tg.Send(p.group, p.person(name), text)) })
}

// tap has name press the button labelled label on the bot's latest message
// carrying it.
func (p *chatPlayer) tap(name, label string) {
	p.t.Helper()
	msgs := p.tg.Messages(p.group.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		if b, ok := buttonOf(msgs[i], func(b telegramtest.Button) bool { return sameLabel(b.Text, label) }); ok {
			p.act(func() { p.alert = p.press(p.group, p.person(name), msgs[i], b.Data).Text })
			return
		}
	}
	p.t.Fatalf("no message of the bot carries a button %q", label)
}

// sameLabel reports whether a button's label is the README's, in which "…"
// may stand for any text.
func sameLabel(button, readme string) bool {
	return button == readme || strings.Contains(readme, "…") && fragmentsIn(chatNormal(button), chatFragments(readme)) < 0
}

// chatNormal makes whitespace runs single spaces and every receipt code
// the same.
func chatNormal(s string) string {
	return chatReceipt.ReplaceAllStringFunc(strings.Join(strings.Fields(s), " "), func(code string) string {
		if strings.Trim(code, "23456789") != "" {
			return "RECEIPT"
		}
		return code
	})
}

// chatFragments splits a README text at its "…" marks.
func chatFragments(s string) []string {
	var out []string
	for _, f := range strings.Split(s, "…") {
		if f = chatNormal(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// fragmentsIn returns the index of the first of fragments that does not
// appear, after the ones before it, in s, or -1 when all do.
func fragmentsIn(s string, fragments []string) int {
	at := 0
	for i, f := range fragments {
		j := strings.Index(s[at:], f)
		if j < 0 {
			return i
		}
		at += j + len(f)
	}
	return -1
}

// shown is a message as the README shows it: a document is its name before
// its caption.
func shown(m telegramtest.Message) string {
	if m.Document != nil {
		return "📄 " + m.Document.Name + " " + m.Text
	}
	return m.Text
}

// said checks a thiduabot line against the last action's answer: its
// fragments appear in order, in an edited message if the line says so,
// and its labels are buttons of the answer.
func (p *chatPlayer) said(l chatLine) error {
	text, edited := l.text, false
	for _, mark := range []string{"(the same message, edited)", "(edited)"} {
		if rest, ok := strings.CutPrefix(text, mark); ok {
			text, edited = rest, true
		}
	}
	var labels, lines []string
	for _, line := range strings.Split(text, "\n") {
		if tail := chatLabels.FindString(line); tail != "" {
			for _, m := range chatLabel.FindAllStringSubmatch(tail, -1) {
				labels = append(labels, m[1])
			}
			line = strings.TrimSuffix(line, tail)
		}
		lines = append(lines, line)
	}
	var all []string
	for _, m := range p.answer {
		all = append(all, shown(m))
	}
	answer := chatNormal(strings.Join(all, "\n"))
	fragments := chatFragments(strings.Join(lines, "\n"))
	if i := fragmentsIn(answer, fragments); i >= 0 {
		return fmt.Errorf("the bot did not say %q (in order after %q); it said:\n%s", fragments[i], fragments[:i], strings.Join(all, "\n---\n"))
	}
	if edited && len(fragments) > 0 && !slices.ContainsFunc(p.answer, func(m telegramtest.Message) bool {
		return p.edited[m.ID] && strings.Contains(chatNormal(shown(m)), fragments[0])
	}) {
		return fmt.Errorf("the bot said %q in a new message, not by editing one", fragments[0])
	}
	for _, label := range labels {
		if !slices.ContainsFunc(p.answer, func(m telegramtest.Message) bool {
			_, ok := buttonOf(m, func(b telegramtest.Button) bool { return sameLabel(b.Text, label) })
			return ok
		}) {
			var buttons [][][]telegramtest.Button
			for _, m := range p.answer {
				buttons = append(buttons, m.Buttons)
			}
			return fmt.Errorf("the answer has no button %q; its buttons: %v", label, buttons)
		}
	}
	return nil
}

// play plays one line.
func (p *chatPlayer) play(l chatLine) {
	p.t.Helper()
	if before, ok := chatBefore[l.first]; ok {
		p.used["before "+l.first] = true
		before(p)
	}
	switch l.verb {
	case ":":
		p.say(l.who, l.text)
	case "taps":
		taps, alert, _ := strings.Cut(l.text, "→")
		for _, m := range chatLabel.FindAllStringSubmatch(taps, -1) {
			p.tap(l.who, m[1])
		}
		if alert = chatAlert.ReplaceAllString(strings.TrimSpace(alert), ""); alert != "" {
			fragments := chatFragments(alert)
			i := fragmentsIn(chatNormal(p.alert), fragments)
			p.check(l, i < 0, func() error { return fmt.Errorf("the press was answered %q, without %q", p.alert, fragments[i]) })
		}
	case "replies":
		p.reply(l)
	default:
		if l.who == "thiduabot" {
			err := p.said(l)
			p.check(l, err == nil, func() error { return err })
			for _, r := range l.remarks {
				p.narrated(l, strings.Join(strings.Fields(r), " "))
			}
			return
		}
		p.narrated(l, l.first)
	}
	p.cast(l)
}

// reply has a person reply to the bot's last answer as line l says: with a
// photo, a file, or text.
func (p *chatPlayer) reply(l chatLine) {
	p.t.Helper()
	if len(p.answer) == 0 {
		p.t.Fatalf("README line %d replies to the bot, which said nothing", l.n)
	}
	to, user := p.answer[len(p.answer)-1], p.person(l.who)
	p.act(func() {
		switch photo, file := chatPhoto.FindStringSubmatch(l.text), chatFile.FindStringSubmatch(l.text); {
		case photo != nil:
			p.handled(p.tg.SendPhoto(p.group, user, &to, pngBytes(p.t), photo[1]))
		case file != nil:
			p.handled(p.tg.SendDocument(p.group, user, &to, file[1], []byte("%PDF-1.4"), ""))
		default:
			p.handled(p.tg.Reply(p.group, user, &to, l.text))
		}
	})
}

// cast checks that a person is who line l's note says: a unit's
// representative ("Lan (Hội Nông dân tỉnh)", "An (Ủy ban MTTQ)"), or of no
// unit ("(no unit)"). Other notes say when or how.
func (p *chatPlayer) cast(l chatLine) {
	p.t.Helper()
	part, _, _ := strings.Cut(l.note, ",")
	if part == "" || l.who == "" || l.who == "thiduabot" {
		return
	}
	b := p.block()
	rep := b.RepOf(p.person(l.who).ID)
	if part == "no unit" {
		if rep != nil {
			p.t.Errorf("README line %d: %s represents a unit", l.n, l.who)
		}
		return
	}
	for _, u := range b.Units {
		if strings.HasPrefix(u.Name, part) && (rep == nil || rep.UnitID != u.ID) {
			p.t.Errorf("README line %d: %s does not represent %s", l.n, l.who, u.Name)
		}
	}
}

// narrated runs what a narration of line l says happens.
func (p *chatPlayer) narrated(l chatLine, narration string) {
	p.t.Helper()
	do, ok := chatNarrations[narration]
	if !ok {
		p.t.Fatalf("README line %d: the test does not know what %q means; add it to chatNarrations", l.n, narration)
	}
	p.used["narration "+narration] = true
	do(p)
}

// check reports line l unless ok, the bot bearing it out.
func (p *chatPlayer) check(l chatLine, ok bool, err func() error) {
	p.t.Helper()
	if !ok {
		p.t.Errorf("README line %d: %s\n%v", l.n, l.first, err())
	}
}

// once runs do the first time name is asked for in the current story.
func (p *chatPlayer) once(name string, do func()) {
	if key := fmt.Sprintf("%p %s", p.chatCast, name); !p.done[key] {
		p.done[key] = true
		do()
	}
}

// The README's example chats are true: played through the fake Bot API
// in order, each person's line typed as that person in the block's group,
// each tap pressing the button so labelled on the bot's latest message
// carrying it, every thiduabot line is what the bot answered, its buttons
// included. Each chat is set up by chatScenes under its heading; the
// narrations between lines act through chatNarrations, and chatBefore
// sets the clock (and what the README takes for granted) before a line.
func TestREADMEChats(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	chats := readmeChats(t, string(readme))
	if len(chats) == 0 {
		t.Fatal("no example chat in the README")
	}
	p := &chatPlayer{t: t, casts: map[string]*chatCast{}, done: map[string]bool{}, used: map[string]bool{}}
	for _, c := range chats {
		scene, ok := chatScenes[c.heading]
		if !ok {
			t.Fatalf("no set-up for the README's example chat under %q; add it to chatScenes", c.heading)
		}
		p.begin(scene)
		for _, l := range c.lines {
			p.play(l)
		}
	}
	for key := range chatBefore {
		if !p.used["before "+key] {
			t.Errorf("chatBefore has %q, which no example chat has: remove it", key)
		}
	}
	for key := range chatNarrations {
		if !p.used["narration "+key] {
			t.Errorf("chatNarrations has %q, which no example chat has: remove it", key)
		}
	}
}

// chatUnits are the units of the seven-unit examples, in the order of
// /units, with their representative.
var chatUnits = []struct{ name, rep string }{
	{mttq, "An"}, {ccb, "Bình"}, {nongDan, "Lan"}, {ldld, "Dũng"}, {phuNu, "Hà"}, {doan, "Minh"}, {ctd, "Giang"},
}

// sevenUnits sets a block up on 02/03/2026 with the seven units of seed
// 001, Tỉnh Đoàn leading and Ủy ban MTTQ deputy, each unit with the
// representative the README names (Dũng and Giang it does not), Lan
// having started the bot in private.
func sevenUnits(p *chatPlayer) {
	p.on(3, 2, 8, 0)
	p.setUp()
	p.harness.say(p.group, p.admin, "/leader "+doan)
	p.harness.say(p.group, p.admin, "/deputy "+mttq)
	for _, u := range chatUnits {
		p.join(p.person(u.rep), u.name)
	}
	p.handled(p.tg.SendPrivate(p.person("Lan"), "/start"))
}

// chatScene is where and when an example chat starts: the story it
// continues (or starts), the clock then, in 2026, and what the chat takes
// for granted.
type chatScene struct {
	story                    string
	month, day, hour, minute int
	then                     func(*chatPlayer)
}

// chatStories set each story up. The first two chats are one story, of
// four units; the others but the deadline's follow one block of seven
// through its year (the numbers the README uses, #3 or "1, 6", are those
// of seed 001's order), and the deadline's, in March, starts one of its
// own.
var chatStories = map[string]func(*chatPlayer){
	"four units": func(*chatPlayer) {},
	"the year":   sevenUnits,
	"a deadline": sevenUnits,
}

// chatScenes set up each example chat, by the heading it is under.
var chatScenes = map[string]chatScene{
	"Example: setting a block up":                                            {story: "four units", month: 3, day: 2, hour: 8},
	"Example: a representative joins":                                        {story: "four units", month: 3, day: 2, hour: 8, minute: 30},
	"Registration: pledges, criteria, approval and the covenant":             {story: "the year", month: 3, day: 2, hour: 9},
	"Periodic results: reports, evidence, the progress board and the export": {story: "the year", month: 3, day: 20, hour: 9},
	"The year-end review: scores, ranking and award proposals": {story: "the year", month: 11, day: 23, hour: 9, then: func(p *chatPlayer) {
		// Tỉnh Đoàn heads the board, at 94 agreed and 98 its own.
		p.say("Minh", "/tucham\n1 20\n2 28\n3 50")
		p.say("Minh", "/chamdiem #6\n1 19\n2 27\n3 48")
	}},
	"Electing next year's leader and deputy": {story: "the year", month: 11, day: 24, hour: 8},
	"Deadlines and reminders":                {story: "a deadline", month: 3, day: 2, hour: 9},
	"The next year": {story: "the year", month: 12, day: 1, hour: 9, then: func(p *chatPlayer) {
		// The question counts «1 hạn chót sắp tới».
		p.say("Minh", "/hanchot 15/01/2027 | Nộp báo cáo tổng kết")
	}},
}

// chatPledges are what the units the README does not follow register, so
// that the board and the report the README shows come out as it shows
// them: Hà's for Hội Liên hiệp Phụ nữ tỉnh, Tỉnh Đoàn's without a
// measurable target.
var chatPledges = map[string]string{
	"An":    "Tổ chức hội nghị biểu dương | 10 hội nghị",
	"Bình":  "Phát triển hội viên | 100 hội viên",
	"Dũng":  "Xây nhà Mái ấm công đoàn | 10 nhà",
	"Hà":    "Hỗ trợ phụ nữ khởi nghiệp | 120 hồ sơ\nPhát triển hội viên | 300 hội viên\nPhong trào \"Phụ nữ tích cực học tập\" | hoàn thành xuất sắc",
	"Minh":  "Tổ chức Tháng Thanh niên | hoàn thành xuất sắc",
	"Giang": "Hiến máu tình nguyện | 500 đơn vị máu",
}

// quarterReports has the units but Hội Nông dân tỉnh and Hội Chữ thập đỏ
// tỉnh report for Quý I: on time but Ủy ban MTTQ's, late on 01/04 at 30%.
func quarterReports(p *chatPlayer) {
	p.once("quarter reports", func() {
		now := p.now
		p.on(3, 30, 15, 0)
		p.say("Bình", "/baocao Quý I\n1 20")
		p.say("Dũng", "/baocao Quý I\n1 1")
		p.say("Hà", "/baocao Quý I\n1 40")
		p.say("Minh", "/baocao Quý I\n1 100%")
		p.on(4, 1, 9, 0)
		p.say("An", "/baocao Quý I\n1 3")
		p.now = now
	})
}

// vote has each person vote for the candidate after them, in turn.
func (p *chatPlayer) vote(votes ...string) {
	for i := 0; i < len(votes); i += 2 {
		p.tap(votes[i], votes[i+1])
	}
}

// chatNarrations act out the narrations of the example chats.
var chatNarrations = map[string]func(*chatPlayer){
	"… (the last unit signs)": func(p *chatPlayer) {
		for _, u := range chatUnits {
			if pledges, ok := chatPledges[u.rep]; ok {
				p.say(u.rep, "/dangky "+pledges)
				p.say(u.rep, "/guidangky")
				p.say("Minh", "/duyet "+u.name)
			}
		}
		for _, u := range chatUnits {
			if u.rep != "Lan" {
				p.tap(u.rep, "✍️ Ký giao ước")
			}
		}
	},
	"… (four more units vote)": func(p *chatPlayer) {
		p.vote("Bình", nongDan, "Lan", nongDan, "Dũng", ccb, "Hà", nongDan)
	},
	"(the deputy election, without Hội Nông dân tỉnh, now elected leader: 3 – 3, then a runoff, 3 – 3 again)": func(p *chatPlayer) {
		p.on(11, 24, 11, 0)
		p.say("Minh", "/bau khoipho")
		p.vote("An", ccb, "Bình", ccb, "Lan", ccb, "Dũng", ldld, "Hà", ldld, "Giang", ldld)
		p.on(11, 24, 14, 0)
		p.say("Minh", "/dongbau")
	},
	// The bare "…" between the runoff's ballot and its tie: the runoff's
	// votes.
	"…": func(p *chatPlayer) {
		p.vote("An", ccb, "Bình", ccb, "Lan", ccb, "Dũng", ldld, "Hà", ldld, "Giang", ldld)
		p.on(11, 24, 16, 0)
		p.say("Minh", "/dongbau")
	},
	"… (four more units report /done 1)": func(p *chatPlayer) {
		for _, name := range []string{"An", "Dũng", "Hà", "Giang"} {
			p.say(name, "/xong 1")
		}
	},
	"(Monday 09/03, 08:00)": func(p *chatPlayer) {
		p.act(func() { p.ticked(3, 9, 8, 0) })
	},
	"(Lan and Minh are mentioned: Telegram notifies them; Lan, who started the bot in private, also gets a direct message, in her Telegram app's language)": func(p *chatPlayer) {
		reminder := p.answer[len(p.answer)-1]
		for _, name := range []string{"Lan", "Minh"} {
			if !slices.ContainsFunc(reminder.Entities, func(e tgbotapi.MessageEntity) bool {
				return e.User != nil && e.User.ID == p.person(name).ID || strings.Contains(e.URL, fmt.Sprint(p.person(name).ID))
			}) {
				p.t.Errorf("the reminder does not mention %s: %+v", name, reminder.Entities)
			}
		}
		if dm, ok := p.tg.LastMessage(p.person("Lan").ID); !ok || !strings.Contains(dm.Text, "Nộp báo cáo quý I") {
			p.t.Errorf("Lan's direct message: %q", dm.Text)
		}
	},
	"(13/03, 15/03 and 16/03 at 08:00: the same reminder, naming Tỉnh Đoàn only; then at 17:00 on 16/03:)": func(p *chatPlayer) {
		for _, day := range []int{13, 15, 16} {
			p.act(func() { p.ticked(3, day, 8, 0) })
			if len(p.answer) != 1 || !strings.HasPrefix(p.answer[0].Text, "⏰ Nhắc hạn: Nộp báo cáo quý I") {
				p.t.Errorf("on %02d/03 at 08:00 the bot posted %+v", day, p.answer)
				continue
			}
			p.names(p.answer[0].Text, "• Tỉnh Đoàn — Minh")
		}
		p.act(func() { p.ticked(3, 16, 17, 0) })
	},
}

// chatBefore runs before the line it is keyed by, to set the clock or
// make the state the line takes for granted.
var chatBefore = map[string]func(*chatPlayer){
	"Lan (Hội Nông dân tỉnh): /baocao Quý I":                  func(p *chatPlayer) { p.on(3, 28, 9, 0) },
	`Lan replies to it with a photo captioned "Lễ khởi công"`: func(p *chatPlayer) { p.on(3, 28, 9, 5) },
	"Lan (a week later): /baocaocuatoi Quý I":                 func(p *chatPlayer) { p.on(4, 4, 9, 0) },
	"Hà (Hội Liên hiệp Phụ nữ tỉnh, on her phone): /baocao 6 tháng": func(p *chatPlayer) {
		quarterReports(p)
		p.on(6, 12, 16, 20)
	},
	"An: /tiendo": func(p *chatPlayer) {
		quarterReports(p)
		p.on(4, 2, 10, 0)
	},
	"Minh: /dongbau": func(p *chatPlayer) { p.on(11, 24, 10, 30) },
	"Minh: /quyetdinh khoipho Liên đoàn Lao động tỉnh": func(p *chatPlayer) { p.on(11, 25, 9, 10) },
	"Lan: /xong 1": func(p *chatPlayer) { p.on(3, 9, 9, 0) },
	"Minh: /dshan": func(p *chatPlayer) { p.on(3, 17, 9, 0) },
}
