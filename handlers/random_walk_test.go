package handlers_test

import (
	"encoding/json"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"thiduabot/bot"
	"thiduabot/handlers"
	"thiduabot/storage"
	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// walkSeeds and walkSteps are the default walk, a few seconds long.
var (
	walkSeeds = []uint64{1, 2, 3, 4, 5, 6}
	walkSteps = 400
)

// TestRandomWalk is a random walk: several people (the group's
// administrator, the representatives of a block of five units, one of them
// the leader's, a member who represents none) send the bot's commands,
// with arguments good and bad, press the buttons of its messages, old ones
// too, reply to them, edit what they sent, leave the group and come back,
// rename themselves and switch their app's language, turn the group's
// topics on and change them, sending their commands in General or a topic
// (see changeTopics), the administrator now and then anonymously, as the
// group, in an order a seeded random source draws, while the clock moves
// on by hours and days and the scheduler runs what falls due.
// After every step the walk checks what must hold whatever was done (see
// check): the bot never failed or panicked (no apology, no "saved but not
// confirmed", nothing logged at error level); Telegram accepted every call
// it made (the fake refuses HTML it cannot parse and texts too long), but
// those the bot copes with (see refusedNow); every command was answered
// where the bot may post, in English to those whose app is, with no
// template left unrendered; the store's checks found nothing; the block
// refers to no unit it does not have; and a change of the block that is
// not bookkeeping came with an entry in its history.
//
// Now and then the walk plays a scenario (see walkScenarios): a burst of
// steps towards what random draws hardly reach, every unit signing the
// covenant, an election and its runoff tied then decided, someone else's
// report draft replaced after the question, registration opened for units
// alone once closed and closed for one of them alone, a deadline's
// reminders and overdue notice, the block turned to its next year, a
// report filled in step by step and sent, every unit's year reviewed, with
// the walk's other actions in between. And now and then, before a step,
// Telegram has a brief outage (see drawOutage): the next calls of a method
// fail with 502, 503 or 504, and the step must come out as it would have
// without it, the calls sent again, the same, until they get through.
// Half the seeds walk on the embedded bbolt store, the others on
// Redis (see onBoltStore), where the store's checks run too. The default
// seeds must between them reach every milestone the scenarios and the
// outages aim at (see milestones), so that a change that makes them
// unreachable shows.
//
// WALK_SEEDS runs other seeds, listed or in ranges ("7,19", "1-200");
// WALK_STEPS sets the steps of each; WALK_STORE=redis or bolt runs every
// seed on that store; WALK_LOG=1 logs every step; WALK_COVER=1 logs what
// each command and button came to over all the seeds (see noteOutcome),
// to find what the walk never gets done. A failure names its seed, its
// store and the steps that led to it.
func TestRandomWalk(t *testing.T) {
	for _, c := range handlers.Commands() {
		// /start is for private chats, where talkPrivately sends it.
		if c.Name != "start" && !slices.ContainsFunc(walkActions, func(a walkAction) bool { return a.command == c.Name }) {
			t.Errorf("the walk never sends /%s: add it to walkActions", c.Name)
		}
	}
	seeds, steps := walkSeeds, walkSteps
	if s := os.Getenv("WALK_SEEDS"); s != "" {
		seeds = nil
		for _, f := range strings.Split(s, ",") {
			from, to, isRange := strings.Cut(strings.TrimSpace(f), "-")
			if !isRange {
				to = from
			}
			a, err1 := strconv.ParseUint(from, 10, 64)
			b, err2 := strconv.ParseUint(to, 10, 64)
			if err1 != nil || err2 != nil || b < a {
				t.Fatalf("WALK_SEEDS: %q is not a seed or a range of seeds (1-200)", f)
			}
			for seed := a; seed <= b; seed++ {
				seeds = append(seeds, seed)
			}
		}
	}
	if s := os.Getenv("WALK_STEPS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("WALK_STEPS: %v", err)
		}
		steps = n
	}
	var (
		mu      sync.Mutex
		reached = map[string]int{}
		cover   = map[string]map[string]int{}
	)
	// The seeds walk in parallel (newHarness): what they reached together
	// is known once the last is done, when the test's cleanup runs.
	t.Cleanup(func() {
		var missed []string
		for _, m := range milestones {
			if reached[m] == 0 {
				missed = append(missed, m)
			}
		}
		t.Logf("%d seeds × %d steps reached: %v", len(seeds), steps, reached)
		if os.Getenv("WALK_COVER") != "" {
			t.Log("\n" + coverage(cover))
		}
		if len(missed) > 0 && os.Getenv("WALK_SEEDS") == "" && os.Getenv("WALK_STEPS") == "" && !t.Failed() {
			t.Errorf("no walk reached: %s; make its scenario reach it again, or draw other default seeds (walkSeeds)", strings.Join(missed, "; "))
		}
	})
	for _, seed := range seeds {
		t.Run("seed="+strconv.FormatUint(seed, 10), func(t *testing.T) {
			w := newWalker(t, seed)
			for i := range steps {
				w.step(i)
			}
			mu.Lock()
			for m, n := range w.reached {
				reached[m] += n
			}
			for what, outcomes := range w.cover {
				if cover[what] == nil {
					cover[what] = map[string]int{}
				}
				for o, n := range outcomes {
					cover[what][o] += n
				}
			}
			mu.Unlock()
			if os.Getenv("WALK_LOG") != "" {
				t.Log("\n" + strings.Join(w.log, "\n") + "\n" + w.actionsDone() + "\n" + w.milestonesReached())
			}
		})
	}
}

// onBoltStore reports whether the walk of the seed runs on the embedded
// bbolt store rather than Redis: as WALK_STORE says, or else for the
// seeds whose three lowest bits have an odd number of ones, so that each
// of the four walks that differ in the group's language (the lowest bit)
// and the year under way (the next one) runs on both stores, one in
// every eight seeds.
func onBoltStore(seed uint64) bool {
	switch os.Getenv("WALK_STORE") {
	case "bolt":
		return true
	case "redis":
		return false
	}
	return bits.OnesCount64(seed&7)%2 == 1
}

// milestonesReached says how often the walk reached each milestone.
func (w *walker) milestonesReached() string {
	var out []string
	for _, m := range milestones {
		out = append(out, fmt.Sprintf("%s: %d", m, w.reached[m]))
	}
	return strings.Join(out, ", ")
}

// noteOutcome counts, when WALK_COVER is set, what the step's command or
// button came to: entries in the history (n of them, each counted by its
// action too), a refusal (the command's usage, an alert), or another
// answer.
func (w *walker) noteOutcome(n int) {
	what := w.acted
	w.acted = ""
	if what == "" || os.Getenv("WALK_COVER") == "" {
		return
	}
	if name, args, ok := strings.Cut(strings.Replace(what, "\n", " ", 1), " "); ok {
		what = name
		if strings.TrimSpace(args) != "" {
			what += " …" // a command with arguments
		}
	}
	if w.cover[what] == nil {
		w.cover[what] = map[string]int{}
	}
	switch {
	case n > 0:
		w.cover[what]["recorded"]++
		events, _, err := w.store.HistoryPage(w.t.Context(), w.blk.ID, 0, n)
		if err != nil {
			w.t.Fatal(err)
		}
		for _, e := range events {
			w.cover[what]["  "+e.Action]++
		}
	case w.refused:
		w.cover[what]["refused"]++
	default:
		w.cover[what]["answered"]++
	}
}

// coverage lays out what each command and button came to, the least
// recorded first.
func coverage(cover map[string]map[string]int) string {
	var lines []string
	for what, o := range cover {
		var actions []string
		for a, n := range o {
			if strings.HasPrefix(a, "  ") {
				actions = append(actions, fmt.Sprintf("%s %d", strings.TrimSpace(a), n))
			}
		}
		slices.Sort(actions)
		lines = append(lines, fmt.Sprintf("%6d recorded %6d refused %6d answered  %-12s %s", o["recorded"], o["refused"], o["answered"], what, strings.Join(actions, ", ")))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// walker is one random walk on a harness of its own.
type walker struct {
	*harness
	seed uint64
	rnd  *rand.Rand
	tk   *ticker
	// people are those who act: the administrator, then the six who may
	// represent units, then the member who represents none.
	people []*telegramtest.User
	// away are those who left the group, until they come back.
	away map[int64]bool
	// said are the last messages people sent in the group, for edits;
	// answers the bot's latest answers to them, for replies.
	said    []saidMessage
	answers []saidMessage
	// muted is set while the bot may not post in the group, botIsAdmin
	// while it is an administrator there; forum is what the walk knows of
	// the group's topics (see changeTopics).
	muted      bool
	botIsAdmin bool
	forum      *walkForum
	// langOf is the language the bot answers each message people sent in
	// the group in, by the message's id (see bot.LangOf); typed holds the
	// words, and their beginnings, of what people typed, which the bot
	// shows as typed whatever the language; seen is the id of the last of
	// the bot's group messages checked.
	langOf map[int]bot.Lang
	author map[int]*telegramtest.User
	typed  map[string]bool
	seen   int
	// asked is set by a command sent while the bot may post, which it
	// must answer.
	asked bool
	// updates are the ids of the last updates people made, to deliver
	// again; again is set while one is.
	updates []int
	again   bool
	// actor is who sends the command whose arguments are drawn.
	actor *telegramtest.User
	// junkRate is how often an argument is junk, or a command comes from
	// someone it is not for: some walks make headway, others stumble.
	junkRate float64
	// log holds what each step did, for the failure's message.
	log []string
	// scenario is the scenario under way (see startScenario), nil if
	// none, and scenarios counts those started; reached counts the
	// milestones reached (see noteMilestones).
	scenario  *walkScenario
	scenarios int
	reached   map[string]int
	// acted is the command the step sent, or the button it pressed (by
	// its data's prefix), "" if none, and refused whether the bot refused
	// it; cover counts what each came to (see noteOutcome).
	cover   map[string]map[string]int
	acted   string
	refused bool
	// bolt is set when the walk runs on the embedded bbolt store rather
	// than Redis.
	bolt bool
	// faults draws the outages of Telegram (see drawOutage), apart from
	// rnd; outage is the one played before the step under way, nil if
	// none.
	faults *rand.Rand
	outage *walkOutage

	// What the last check saw: the block, the length of its history, the
	// fake's calls and the logs read so far.
	blk      *thidua.Block
	history  int
	calls    int
	logsRead int
	tickRead int

	mu    sync.Mutex
	found []error // what the store's checks found
}

// saidMessage is a message someone sent, which they may edit.
type saidMessage struct {
	user *telegramtest.User
	msg  telegramtest.Message
}

// walkUnits are the block's units at the start.
var walkUnits = []string{"Ủy ban MTTQ Việt Nam tỉnh", "Hội Cựu chiến binh tỉnh", "Hội Nông dân tỉnh", "Tỉnh Đoàn", "Hội Liên hiệp Phụ nữ tỉnh"}

// newWalker sets the block up through the bot: the administrator sets the
// group up, adds the units and makes Tỉnh Đoàn the leader; five people
// join a unit each and are approved; a sixth and the stranger are members
// only. Everyone but Phúc has started the bot in private. The group speaks
// Vietnamese for even seeds, English for odd ones; each person's app is in
// Vietnamese or English at random.
func newWalker(t *testing.T, seed uint64) *walker {
	lang := bot.VI
	if seed%2 == 1 {
		lang = bot.EN
	}
	opts := []option{groupLang(lang), logDispatch(), quickRetries()}
	if onBoltStore(seed) {
		opts = append(opts, onBolt())
	}
	h := newHarness(t, opts...)
	w := &walker{harness: h, seed: seed, rnd: rand.New(rand.NewPCG(seed, 0x746869647561)), away: map[int64]bool{}, reached: map[string]int{}, cover: map[string]map[string]int{}}
	w.faults = rand.New(rand.NewPCG(seed, 0x6f7574616765))
	w.junkRate = []float64{0.03, 0.1, 0.25}[seed%3]
	w.botIsAdmin, w.forum = true, &walkForum{closed: map[int]bool{}, deleted: map[int]bool{}}
	w.langOf, w.author, w.typed = map[int]bot.Lang{}, map[int]*telegramtest.User{}, map[string]bool{}
	w.typedText(append(append(walkUnits, quotedVietnamese...), examplesTyped()...)...)
	if r, ok := w.store.(*storage.Redis); ok {
		r.EnableChecks(func(err error) {
			w.mu.Lock()
			w.found = append(w.found, err)
			w.mu.Unlock()
		})
	} else {
		w.bolt = true
	}
	w.tk = newTicker(h)
	h.say(h.group, h.admin, "/setup Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai")
	h.say(h.group, h.admin, "/addunit "+strings.Join(walkUnits, "\n"))
	if n := len(h.block().Units); n != len(walkUnits) {
		t.Fatalf("set up %d units", n)
	}
	w.people = append(w.people, h.admin)
	for i, name := range []string{"Bình", "Hà", "Lan", "Minh", "Phúc", "Tùng"} {
		u := h.member(name, strings.ToLower(name)+"_walk")
		if name != "Phúc" {
			h.handled(h.tg.SendPrivate(u, "/start"))
		}
		if i < len(walkUnits) {
			h.say(h.group, u, "/join "+walkUnits[i])
			ask, _ := h.tg.LastMessage(h.group.ID)
			h.press(h.group, h.admin, ask, ask.Buttons[0][0].Data)
			if h.block().RepOf(u.ID) == nil {
				t.Fatalf("%s was not approved: %q", name, ask.Text)
			}
		}
		w.people = append(w.people, u)
	}
	w.people = append(w.people, h.member("Khách", ""))
	h.say(h.group, h.admin, "/leader Tỉnh Đoàn")
	for _, u := range w.people {
		if w.rnd.IntN(2) == 0 {
			h.tg.SetLanguage(u, "en")
		} else {
			h.tg.SetLanguage(u, "vi")
		}
	}
	if seed%4 >= 2 {
		w.startYear()
	}
	for _, u := range w.people {
		w.typedText(u.FirstName, u.UserName)
	}
	w.typedText(blockTexts(h.block())...)
	w.blk = h.block()
	w.history = w.historyLen()
	w.calls = len(h.tg.Requests(""))
	w.logsRead = len(h.logs.String())
	return w
}

// startYear has the block's year under way, for half the walks, which
// then reach its later work sooner: registration open, two pledges of
// each representative's unit, sent and approved, three reporting periods
// and two criteria.
func (w *walker) startYear() {
	w.t.Helper()
	say := func(user *telegramtest.User, text, want string) {
		w.t.Helper()
		if m := w.say(w.group, user, text); !strings.HasPrefix(m.Text, want) {
			w.t.Fatalf("%s: %q", text, m.Text)
		}
	}
	say(w.admin, "/openreg", "📝")
	say(w.admin, "/period Quý I | 31/03\n6 tháng | 15/06\nNăm | 30/11", "✅")
	say(w.admin, "/criteria add Công tác tuyên truyền | 40\nPhong trào thi đua | 60", "✅")
	for i, u := range w.people[1 : len(walkUnits)+1] {
		say(u, "/pledge Vận động xây nhà đại đoàn kết | 50 nhà\nPhát triển hội viên mới | 1.200 hội viên", "✅")
		say(u, "/submit", "📨")
		say(w.admin, "/approve "+strconv.Itoa(i+1), "✅")
	}
}

// step draws an action, runs it, through an outage of Telegram now and
// then, and checks the invariants. An outage the action did not meet, not
// having called the method, is cleared, lest a later step meet it.
func (w *walker) step(i int) {
	w.t.Helper()
	a := w.drawAction()
	run := a.run
	if w.scenario != nil && !w.chance(4) {
		run, a.command = (*walker).scenarioStep, ""
	}
	if w.muted && w.chance(8) {
		run, a.command = (*walker).changeBotStatus, "" // a restriction lasts a few steps
	}
	w.outage = w.drawOutage(a.command)
	did := strings.ReplaceAll(run(w), "\n", "⏎")
	if w.outage != nil {
		w.tg.ClearFailures()
		did += " " + w.outage.String()
	}
	w.log = append(w.log, fmt.Sprintf("%3d %s %s", i, w.now.Format("02/01/2006 15:04"), did))
	w.check()
	w.outage = nil
}

// drawAction draws an action of walkActions by weight.
func (w *walker) drawAction() walkAction {
	total := 0
	for _, a := range walkActions {
		total += a.weight
	}
	n := w.rnd.IntN(total)
	for _, a := range walkActions {
		if n -= a.weight; n < 0 {
			return a
		}
	}
	panic("unreachable")
}

// fail ends the walk with what went wrong, the steps that led to it, and
// how to run the walk again.
func (w *walker) fail(format string, args ...any) {
	w.t.Helper()
	steps := w.log
	if len(steps) > 60 {
		steps = steps[len(steps)-60:]
	}
	logs := w.logs.String()[w.logsRead:]
	store := "Redis"
	if w.bolt {
		store = "bbolt"
	}
	what := fmt.Sprintf(format, args...)
	if w.outage != nil {
		what += "\nbefore the step " + w.outage.String()
	}
	w.t.Fatalf("seed %d (on %s), step %d: %s\nthe bot's log of the step:\n%s\nthe last steps:\n%s\nagain: WALK_SEEDS=%d WALK_STEPS=%d go test -run TestRandomWalk ./handlers",
		w.seed, store, len(w.log)-1, what, logs, strings.Join(steps, "\n"), w.seed, len(w.log))
}

// apologies are the starts of what the bot says when handling failed: the
// dispatcher's apology, and the notice that a change was saved but could
// not be confirmed, in both languages.
var apologies = []string{
	"Xin lỗi, đã có lỗi khi xử lý", "Sorry, something went wrong",
	"đã được lưu</b>, nhưng bot", "has been saved</b>, but the bot",
	"đã được lưu, nhưng bot", "has been saved, but the bot",
}

// check fails the walk unless the invariants hold after the step.
func (w *walker) check() {
	w.t.Helper()
	w.checkCalls()
	w.checkEnglish()
	w.checkLogs()
	w.checkStore()
}

// checkCalls checks the bot's calls to Telegram during the step: none
// refused (but by design, see refusedByDesign, or failed by the outage
// played before the step, see checkOutage), none an apology or with a
// template left unrendered, and a command answered.
func (w *walker) checkCalls() {
	w.t.Helper()
	calls := w.tg.RequestsFrom(w.calls)
	answered := false
	for _, r := range calls {
		text := r.Params.Get("text") + r.Params.Get("caption")
		for _, a := range apologies {
			if strings.Contains(text, a) {
				w.fail("the bot failed and said so: %q", text)
			}
		}
		if r.Status >= 400 && !refusedByDesign(r) && !w.refusedNow(r) && !w.outage.failed(r) {
			w.fail("Telegram refused %s (%s): %q", r.Method, r.Description, shortText(text))
		}
		if t := unrendered.FindString(text); t != "" {
			w.fail("the bot sent %q, unrendered: %q", t, text)
		}
		answered = answered || r.Status == 200 && slices.Contains(answers, r.Method)
		if r.Status == 200 && strings.Contains(r.Params.Get("reply_markup"), `"callback_data":"rr:`) {
			w.reached[reachedAsked]++
		}
	}
	if w.asked && !answered {
		w.fail("the bot did not answer the command")
	}
	w.checkOutage(calls)
	w.calls, w.asked, w.again = w.calls+len(calls), false, false
}

// checkEnglish checks the bot's new messages in the group that answer
// someone whose app is in English (see notInEnglish), but for those it
// posts for the whole group, in its language.
func (w *walker) checkEnglish() {
	w.t.Helper()
	for _, m := range w.tg.Messages(w.group.ID) {
		if m.ID <= w.seen {
			continue
		}
		w.seen = m.ID
		groupPost := w.lang == bot.VI && slices.ContainsFunc(groupPosts, func(head string) bool { return strings.HasPrefix(m.Text, head) })
		if w.langOf[m.ReplyTo] == bot.EN && !groupPost {
			if why := w.notInEnglish(m.Text); why != "" {
				w.fail("the answer in English has %s: %q", why, m.Text)
			}
		}
	}
}

// checkLogs checks that the bot and its scheduler logged nothing at error
// level, and no panic, during the step, and a retry after an outage of
// Telegram (at warn) for each call that met the outage played before the
// step, and for no other.
func (w *walker) checkLogs() {
	w.t.Helper()
	logs := w.logs.String()
	if bad := badLogLine(logs[w.logsRead:]); bad != "" {
		w.fail("the bot logged: %s", bad)
	}
	ticks := w.tk.logs.String()
	if bad := badLogLine(ticks[w.tickRead:]); bad != "" {
		w.fail("the scheduler logged: %s", bad)
	}
	if n := strings.Count(logs[w.logsRead:], retryLine) + strings.Count(ticks[w.tickRead:], retryLine); n != w.outage.retries() {
		w.fail("the bot logged %q %d times, for %d calls failed by an outage", retryLine, n, w.outage.retries())
	}
	w.logsRead, w.tickRead = len(logs), len(ticks)
}

// checkStore checks that the store's checks found nothing, that the block
// is consistent, and that a change of it that is not bookkeeping came
// with an entry in its history.
func (w *walker) checkStore() {
	w.t.Helper()
	w.mu.Lock()
	found := w.found
	w.found = nil
	w.mu.Unlock()
	if len(found) > 0 {
		w.fail("the store's checks found: %v", found)
	}
	b := w.block()
	if bad := inconsistency(b); bad != "" {
		w.fail("the block is inconsistent: %s", bad)
	}
	history := w.historyLen()
	if history == w.history && b.Version != w.blk.Version {
		if paths := unrecorded(w.blk, b); len(paths) > 0 {
			w.fail("the block changed (version %d → %d) with no entry in its history: %s", w.blk.Version, b.Version, strings.Join(paths, ", "))
		}
	}
	w.noteMilestones(w.blk, b)
	w.noteOutcome(history - w.history)
	w.blk, w.history = b, history
}

// actionsDone counts the entries of the block's history by action.
func (w *walker) actionsDone() string {
	events, err := storage.History(w.t.Context(), w.store, w.blk.ID, 0)
	if err != nil {
		w.t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range events {
		count[e.Action]++
	}
	var out []string
	for a, n := range count {
		out = append(out, fmt.Sprintf("%s %d", a, n))
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}

// historyLen is the length of the block's history.
func (w *walker) historyLen() int {
	w.t.Helper()
	_, n, err := w.store.HistoryPage(w.t.Context(), w.blk.ID, 0, 1)
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

// answers are the Bot API methods that answer a command.
var answers = []string{"sendMessage", "sendDocument", "sendPhoto", "editMessageText"}

// unrendered finds in a text the bot sent what a message's template left
// unrendered: a verb fmt could not fill, a choice of plural forms.
var unrendered = regexp.MustCompile(`%!|%\[\d\]|\{[a-z ]+\|[a-z ]+\}`)

// inconsistency says what in b refers to what is not there, or is there
// twice, "" if nothing: the units of representatives, requests to join,
// offices, drafts, award proposals and nominations must be units of the
// block (see thidua.Block.RemoveUnit), the units' names and the
// representatives different.
func inconsistency(b *thidua.Block) string {
	units := map[string]bool{}
	names := map[string]bool{}
	for _, u := range b.Units {
		if names[thidua.Fold(u.Name)] {
			return "two units named " + u.Name
		}
		units[u.ID], names[thidua.Fold(u.Name)] = true, true
	}
	if len(b.Units) > thidua.MaxUnits {
		return fmt.Sprintf("%d units", len(b.Units))
	}
	refs := map[string]string{"leader": b.LeaderUnit, "deputy": b.DeputyUnit}
	if b.LeaderUnit != "" && b.LeaderUnit == b.DeputyUnit {
		return "the leader unit is the deputy unit"
	}
	reps := map[int64]bool{}
	for _, r := range b.Reps {
		if reps[r.UserID] {
			return fmt.Sprintf("%s represents twice", r.Name)
		}
		reps[r.UserID] = true
		refs["the representative "+r.Name] = r.UnitID
	}
	for _, r := range b.Requests {
		refs["the request of "+r.Name] = r.UnitID
	}
	for _, d := range b.Results.Drafts {
		refs["the draft "+d.ID] = d.UnitID
	}
	for _, p := range b.Registration.Proposals {
		for i, id := range p.UnitIDs {
			refs[fmt.Sprintf("unit %d proposed for %s", i+1, p.Award)] = id
		}
	}
	for i, e := range b.Registration.Exemplars {
		refs[fmt.Sprintf("nomination %d, %s,", i+1, e.Name)] = e.UnitID
	}
	for what, id := range refs {
		if id != "" && !units[id] || id == "" && what != "leader" && what != "deputy" {
			return fmt.Sprintf("%s is of unit %q, which the block does not have", what, id)
		}
	}
	return ""
}

// refusedNow reports whether Telegram's refusal of r is one the bot meets
// in the state the walk is in, and copes with: a post in the group while
// the bot may not post there; an answer to a press delivered again,
// which Telegram, having seen it answered, takes for too old; once the
// group has topics, a post in a topic closed or deleted, or in General
// closed (see handlers' sendIn); and an edit of a message of the bot's
// deleted with its topic.
func (w *walker) refusedNow(r telegramtest.Request) bool {
	return w.muted && strings.Contains(r.Description, "not enough rights") ||
		w.again && r.Method == "answerCallbackQuery" && strings.Contains(r.Description, "query is too old") ||
		len(w.forum.topics) > 0 && (strings.Contains(r.Description, "TOPIC_CLOSED") || strings.Contains(r.Description, "message thread not found")) ||
		strings.Contains(r.Description, "message to edit not found") && w.deletedMessage(r.Params.Get("message_id"))
}

// deletedMessage reports whether the message of the bot's in the group
// with the id went with its topic, deleted.
func (w *walker) deletedMessage(id string) bool {
	return slices.ContainsFunc(w.tg.Messages(w.group.ID), func(m telegramtest.Message) bool {
		return strconv.Itoa(m.ID) == id && m.Deleted && w.forum.deleted[m.Thread]
	})
}

// refusedByDesign reports whether Telegram's refusal of r is one the bot
// meets in the normal course and copes with: an edit that changes nothing
// (the sender takes it as done), and a message to someone who never
// started the bot in private (the chat does not exist for the bot).
func refusedByDesign(r telegramtest.Request) bool {
	return strings.Contains(r.Description, "message is not modified") ||
		strings.Contains(r.Description, "chat not found") && !strings.HasPrefix(r.Params.Get("chat_id"), "-")
}

// badLogLine returns the first line of logs at error level or telling of a
// panic, "" if none.
func badLogLine(logs string) string {
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, "level=ERROR") || strings.Contains(l, "panic") {
			return l
		}
	}
	return ""
}

// bookkeeping are the paths (see jsonDiff) of the parts of a block the bot
// changes without an entry in the history, with why.
var bookkeeping = map[string]string{
	"version": "every write raises it",
	"applied": "the updates applied, so that none is applied twice",
	"menus":   "the command menus the bot gave the leader unit's representatives, after the answer",
	// A representative's name, username and language as Telegram last
	// told them (see request.refreshProfile).
	"reps[].name":     "a representative's profile",
	"reps[].username": "a representative's profile",
	"reps[].lang":     "a representative's profile",
	// A report filled in step by step is the asker's draft until they
	// send it (see thidua's results_draft.go), which the history records.
	"results.drafts": "a report's draft",
	"next_seq":       "the counter that numbers what a block holds, a draft too",
	// What the scheduler has done, so as to do it once.
	"schedule.handled": "the reminders sent",
	// What the bot learnt of its group's topics, which is no one's doing
	// (see thidua.Block.NoteTopics, NoteGeneral).
	"schedule.topics_off":          "the group's topics turned off, as the bot learnt",
	"schedule.general_closed":      "General closed to the bot, as it learnt",
	"schedule.general_closed_told": "the managers told that General is closed",
	// The covenant posted again at a representative's /covenant, for
	// them to sign: the new post's number, which its button carries.
	"registration.covenant.post": "the covenant's message posted again",
}

// bookkeepingKeys are the keys, wherever they are in a block, of what the
// bot changes without an entry in the history: the ids of its own
// messages, which it edits later (a ballot, the covenant, a request to
// join, a list submitted, a report confirmed), and whether it still has
// to tell the group of something recorded (an election's result, the
// covenant signed by all).
var bookkeepingKeys = map[string]string{
	"announce_pending": "the group is yet to be told of what was recorded",
	"message_id":       "the id of the bot's message showing something",
	"superseded":       "the id of an earlier message the bot edits to say it was replaced",
	"replaced_message": "the id of an earlier message the bot edits to say it was replaced",
}

// unrecorded lists the paths of what changed from a to b that is not
// bookkeeping.
func unrecorded(a, b *thidua.Block) []string {
	var out []string
	for _, p := range jsonDiff(a, b) {
		if bookkept(p) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// bookkept reports whether the path p is, or lies under, a path of
// bookkeeping, or ends in one of bookkeepingKeys.
func bookkept(p string) bool {
	for k := range bookkeeping {
		if p == k || strings.HasPrefix(p, k+".") || strings.HasPrefix(p, k+"[") {
			return true
		}
	}
	key := p[strings.LastIndex(p, ".")+1:]
	return bookkeepingKeys[strings.TrimSuffix(key, "[]")] != ""
}

// jsonDiff lists the paths where the JSON documents of a and b differ,
// their array indices as "[]": "registration.units[].state".
func jsonDiff(a, b any) []string {
	var da, db any
	for _, x := range []struct {
		v   any
		out *any
	}{{a, &da}, {b, &db}} {
		raw, err := json.Marshal(x.v)
		if err != nil {
			panic(err)
		}
		if err := json.Unmarshal(raw, x.out); err != nil {
			panic(err)
		}
	}
	seen := map[string]bool{}
	var out []string
	var walk func(path string, x, y any)
	walk = func(path string, x, y any) {
		if reflect.DeepEqual(x, y) {
			return
		}
		mx, okx := x.(map[string]any)
		my, oky := y.(map[string]any)
		if x == nil && oky || y == nil && okx { // a part left out while empty
			okx, oky = true, true
		}
		if okx && oky {
			for k := range mx {
				walk(joinPath(path, k), mx[k], my[k])
			}
			for k := range my {
				if _, ok := mx[k]; !ok {
					walk(joinPath(path, k), nil, my[k])
				}
			}
			return
		}
		ax, okx := x.([]any)
		ay, oky := y.([]any)
		if okx && oky && len(ax) == len(ay) {
			for i := range ax {
				walk(path+"[]", ax[i], ay[i])
			}
			return
		}
		if !seen[path] {
			seen[path] = true
			out = append(out, path)
		}
	}
	walk("", da, db)
	slices.Sort(out)
	return out
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// walkAction is one kind of step: run does it and says what it did;
// command names the command it sends, if any.
type walkAction struct {
	weight  int
	run     func(w *walker) string
	command string
}

// walkActions are the steps the walk draws from, by weight.
var walkActions = []walkAction{
	// Registration.
	cmd(8, "pledge", (*walker).rep, (*walker).pledgeArgs),
	cmd(3, "editpledge", (*walker).rep, (*walker).editPledgeArgs),
	cmd(3, "delpledge", (*walker).rep, func(w *walker) string { return w.unitHash() + w.num(4) }),
	cmd(4, "submit", (*walker).rep, (*walker).unitHashOnly),
	cmd(1, "pledges", (*walker).anyone, (*walker).unitOrNone),
	cmd(4, "approve", (*walker).manager, (*walker).unit),
	cmd(2, "return", (*walker).manager, func(w *walker) string { return w.unit() + " | " + w.text() }),
	cmd(3, "openreg", (*walker).manager, (*walker).openRegArgs),
	cmd(1, "closereg", (*walker).manager, (*walker).unitOrNone),
	cmd(3, "criteria", (*walker).manager, (*walker).criteriaArgs),
	cmd(2, "covenant", (*walker).anyone, (*walker).covenantArgs),
	cmd(1, "summary", (*walker).anyone, (*walker).nothing),
	// Results.
	cmd(5, "period", (*walker).manager, (*walker).periodArgs),
	cmd(1, "periods", (*walker).anyone, (*walker).nothing),
	cmd(6, "report", (*walker).rep, (*walker).reportArgs),
	cmd(2, "myreport", (*walker).rep, func(w *walker) string { return w.unitHash() + w.period() }),
	cmd(1, "progress", (*walker).anyone, (*walker).nothing),
	cmd(1, "export", (*walker).anyone, (*walker).yearOrNone),
	// Scoring and awards.
	cmd(3, "selfscore", (*walker).rep, (*walker).scoreArgs),
	cmd(3, "score", (*walker).manager, func(w *walker) string { return "#" + w.unitNum() + w.scoreLines() }),
	cmd(1, "scores", (*walker).anyone, (*walker).yearOrNone),
	cmd(2, "award", (*walker).manager, (*walker).awardArgs),
	cmd(3, "exemplars", (*walker).rep, (*walker).exemplarArgs),
	// Elections.
	cmd(2, "elect", (*walker).manager, (*walker).electArgs),
	cmd(1, "closevote", (*walker).manager, (*walker).officeOrNone),
	cmd(1, "decide", (*walker).manager, func(w *walker) string { return w.officeOrNone() + " " + w.unit() }),
	cmd(2, "result", (*walker).anyone, func(w *walker) string { return w.officeOrNone() + " " + w.yearOrNone() }),
	// Deadlines.
	cmd(3, "deadline", (*walker).manager, func(w *walker) string { return w.date() + w.clockTime() + " | " + w.text() }),
	cmd(1, "deadlines", (*walker).anyone, (*walker).nothing),
	cmd(1, "deldeadline", (*walker).manager, func(w *walker) string { return w.num(4) }),
	cmd(2, "done", (*walker).rep, func(w *walker) string { return w.num(4) + " " + w.unitOrNone() }),
	cmd(1, "remind", (*walker).manager, (*walker).remindArgs),
	cmd(1, "remindnow", (*walker).manager, func(w *walker) string { return w.pick("", w.num(4)) }),
	// The block, its units and people.
	cmd(1, "units", (*walker).anyone, (*walker).nothing),
	cmd(1, "addunit", (*walker).manager, func(w *walker) string { return w.text() }),
	cmd(1, "renameunit", (*walker).manager, func(w *walker) string { return w.unit() + " | " + w.text() }),
	cmd(1, "removeunit", (*walker).manager, (*walker).unit),
	cmd(1, "leader", (*walker).manager, (*walker).unit),
	cmd(1, "deputy", (*walker).manager, (*walker).unit),
	cmd(2, "join", (*walker).member, (*walker).unitOrNone),
	cmd(1, "leave", (*walker).rep, (*walker).nothing),
	cmd(1, "history", (*walker).anyone, (*walker).historyArgs),
	cmd(1, "setup", (*walker).manager, func(w *walker) string { return w.text() }),
	cmd(1, "help", (*walker).anyone, func(w *walker) string { return w.pick("", "pledge", "report", "x", "<b>") }),
	cmd(1, "hometopic", (*walker).manager, (*walker).nothing),
	cmd(1, "newyear", (*walker).manager, (*walker).nothing),
	// Beyond commands.
	{weight: 20, run: (*walker).pressButton},
	{weight: 3, run: (*walker).startScenario},
	{weight: 4, run: pressLatest("ev:", (*walker).voter)},
	{weight: 3, run: pressLatest("cv:", (*walker).voter)},
	{weight: 3, run: pressLatest("rp:", (*walker).owner)},
	{weight: 2, run: pressLatest("rg:", (*walker).reviewer)},
	{weight: 2, run: pressLatest("jd:", (*walker).reviewer)},
	{weight: 1, run: pressLatest("ny:", (*walker).reviewer)},
	{weight: 6, run: (*walker).replyToBot},
	{weight: 2, run: (*walker).sendEvidence},
	{weight: 1, run: (*walker).editCommand},
	{weight: 2, run: (*walker).talkPrivately},
	{weight: 1, run: (*walker).changeMembership},
	{weight: 1, run: (*walker).changeBotStatus},
	{weight: 2, run: (*walker).changeTopics},
	{weight: 1, run: (*walker).deliverAgain},
	{weight: 1, run: (*walker).renameSomeone},
	{weight: 1, run: (*walker).switchLanguage},
	{weight: 3, run: (*walker).advanceClock},
	{weight: 2, run: (*walker).tick},
}

// cmd is the action, of the weight, of someone, drawn by who, sending the
// command name with arguments drawn by args in the group.
func cmd(weight int, name string, who func(*walker) *telegramtest.User, args func(*walker) string) walkAction {
	return walkAction{weight: weight, command: name, run: func(w *walker) string {
		user := who(w)
		w.actor = user
		text := "/" + name
		if a := args(w); a != "" {
			if !strings.HasPrefix(a, "\n") {
				text += " "
			}
			text += a
		}
		return w.command(user, text)
	}}
}

// command has user send the command text in the group, in General or in
// a topic (see threadFor), which the bot must answer if it may post, and
// says what happened.
func (w *walker) command(user *telegramtest.User, text string) string {
	thread, ok := w.threadFor(user)
	if !ok {
		return user.FirstName + " may post nowhere in the group: " + shortText(text)
	}
	return w.commandIn(user, thread, text)
}

// commandIn has user send the command text in the thread of the group (0
// for General), as command does.
func (w *walker) commandIn(user *telegramtest.User, thread int, text string) string {
	said := w.send(user, thread, text)
	w.asked = !w.muted && w.botMayPost(thread)
	w.acted, w.refused = text, strings.Contains(said, "Cú pháp: ") || strings.Contains(said, "Usage: ")
	return user.FirstName + w.topicName(thread) + ": " + shortText(text) + " → " + shortText(said)
}

// send has user send text in the thread of the group, remembers it for
// edits and the bot's answers to it for replies, and returns the last
// answer's text. Now and then the administrator posts in General
// anonymously, as the group, which the bot answers in the group's
// language, and which nobody can edit.
func (w *walker) send(user *telegramtest.User, thread int, text string) (answer string) {
	anonymous := user == w.admin && thread == 0 && w.chance(12)
	u := w.posted(user, text, func() telegramtest.Update {
		switch {
		case anonymous:
			return w.tg.SendAsGroup(w.group, text)
		case thread != 0:
			return w.tg.SendInTopic(w.topic(thread), user, text)
		}
		return w.tg.Send(w.group, user, text)
	})
	if anonymous {
		// The bot names the anonymous administrator in the group's
		// language, a name as stored as a person's (see handlers'
		// askerName), which its English answers show as it is.
		w.typedText("Quản trị viên ẩn danh")
		w.langOf[u.Message.ID] = w.lang
	} else {
		w.said = lastOf(append(w.said, saidMessage{user, *u.Message}), 20)
	}
	for _, m := range w.tg.Messages(w.group.ID) {
		if m.ReplyTo == u.Message.ID {
			w.answers = lastOf(append(w.answers, saidMessage{user, m}), 10)
			answer = m.Text
		}
	}
	return answer
}

// posted has user post text in the group by post, waits until the bot
// handled it, remembers the words typed and in which language the bot
// answers the message, and returns the update.
func (w *walker) posted(user *telegramtest.User, text string, post func() telegramtest.Update) telegramtest.Update {
	w.typedText(text)
	u := post()
	w.handled(u)
	w.delivered(u)
	if u.Message != nil {
		w.langOf[u.Message.ID] = bot.LangOfCode(user.LanguageCode, w.lang)
		w.author[u.Message.ID] = user
	}
	return u
}

// delivered remembers the update u, to deliver it again.
func (w *walker) delivered(u telegramtest.Update) {
	w.updates = append(w.updates[max(len(w.updates)-9, 0):], u.ID)
}

// deliverAgain delivers one of the last updates again, as Telegram does
// to a bot restarted before it confirmed them: nothing it did is done
// again, and the block's history is as it was.
func (w *walker) deliverAgain() string {
	if len(w.updates) == 0 {
		return "no update to deliver again"
	}
	id := w.updates[w.rnd.IntN(len(w.updates))]
	history := w.historyLen()
	w.again = true
	w.redeliver(telegramtest.Update{ID: id})
	if n := w.historyLen(); n != history {
		w.fail("update %d delivered again added %d entries to the history", id, n-history)
	}
	return fmt.Sprintf("update %d is delivered again", id)
}

// typedText adds the words of texts, and their beginnings, to those
// people typed.
func (w *walker) typedText(texts ...string) {
	for _, t := range texts {
		for _, word := range strings.FieldsFunc(t, notLetter) {
			r := []rune(word)
			for i := range r {
				w.typed[string(r[:i+1])] = true
			}
		}
	}
}

// notInEnglish says what in text, an answer in English, is not English,
// "" if nothing: a word with a Vietnamese letter nobody typed (the bot
// cuts a long text within a word, hence the beginnings). (What check
// finds unrendered, and the counts of plurals_test.go, are left to them:
// a count here may be the end of a name people typed, «Kỳ 2 report».)
func (w *walker) notInEnglish(text string) string {
	for _, word := range strings.FieldsFunc(text, notLetter) {
		if vietnamese.MatchString(word) && !w.typed[word] {
			return "the Vietnamese word " + strconv.Quote(word)
		}
	}
	return ""
}

// lastOf returns the last n of s.
func lastOf(s []saidMessage, n int) []saidMessage { return s[max(len(s)-n, 0):] }

// replyTarget draws the bot's message someone replies to, and who: mostly
// an answer to one's own command (a report's step, its confirmation),
// otherwise a recent message of the bot's and a representative. It
// returns false when there is none.
func (w *walker) replyTarget() (*telegramtest.User, telegramtest.Message, bool) {
	if len(w.answers) > 0 && !w.chance(4) {
		a := w.answers[len(w.answers)-1-w.rnd.IntN(min(len(w.answers), 3))]
		if !w.away[a.user.ID] && !a.msg.Deleted && w.mayPost(a.user, a.msg.Thread) {
			return a.user, a.msg, true
		}
	}
	msgs := w.tg.Messages(w.group.ID)
	if len(msgs) == 0 {
		return nil, telegramtest.Message{}, false
	}
	m, user := msgs[len(msgs)-1-w.rnd.IntN(min(len(msgs), 5))], w.rep()
	return user, m, !m.Deleted && w.mayPost(user, m.Thread)
}

// present are the people in the group now.
func (w *walker) present() []*telegramtest.User {
	var out []*telegramtest.User
	for _, u := range w.people {
		if !w.away[u.ID] {
			out = append(out, u)
		}
	}
	return out
}

// anyone draws someone in the group.
func (w *walker) anyone() *telegramtest.User {
	p := w.present()
	return p[w.rnd.IntN(len(p))]
}

// member draws someone in the group other than the administrator.
func (w *walker) member() *telegramtest.User {
	p := w.present()[1:]
	return p[w.rnd.IntN(len(p))]
}

// rep draws, mostly, a representative of a unit in the group.
func (w *walker) rep() *telegramtest.User {
	var reps []*telegramtest.User
	for _, u := range w.present() {
		if w.blk.RepOf(u.ID) != nil {
			reps = append(reps, u)
		}
	}
	if len(reps) == 0 || w.junky() {
		return w.anyone()
	}
	return reps[w.rnd.IntN(len(reps))]
}

// manager draws, mostly, the administrator or a representative of the
// leader unit.
func (w *walker) manager() *telegramtest.User {
	managers := []*telegramtest.User{w.admin}
	for _, u := range w.present() {
		if rp := w.blk.RepOf(u.ID); rp != nil && rp.UnitID == w.blk.LeaderUnit && w.blk.LeaderUnit != "" {
			managers = append(managers, u)
		}
	}
	if w.junky() {
		return w.anyone()
	}
	return managers[w.rnd.IntN(len(managers))]
}

// Arguments. Each draws mostly what the command takes, sometimes junk.

// walkJunk are arguments no command takes as they are.
var walkJunk = []string{
	"", " ", "|", "||", " | | ", "<b>&", "</i> & <a href=\"x\">", "-5", "0", "999", "1.000.000.000.000.000",
	"١٢", "31/02/2026", "00/00/0000", "25:61", "🏆\u200d👨\u200d👩\u200d👧\ufeff", "#", "#0", "#-1", "#999", "xoá",
	"Hội <b>Nông</b> & dân", "\n\n", "1 | 2 | 3 | 4 | 5", "&amp;&lt;", "@thiduabot", "tg://user?id=1",
	string([]rune(strings.Repeat("Nội dung rất dài ", 300))[:5000]),
}

// junk draws junk.
func (w *walker) junk() string { return walkJunk[w.rnd.IntN(len(walkJunk))] }

// pick draws one of the choices.
func (w *walker) pick(choices ...string) string { return choices[w.rnd.IntN(len(choices))] }

// junky is true as often as the walk's junkRate says: for junk, and
// for someone other than the command is for.
func (w *walker) junky() bool { return w.rnd.Float64() < w.junkRate }

// chance is true one time in n.
func (w *walker) chance(n int) bool { return w.rnd.IntN(n) == 0 }

func (w *walker) nothing() string {
	if w.junky() {
		return w.junk()
	}
	return ""
}

// num draws a number from 1 to about n, sometimes out of range or junk.
func (w *walker) num(n int) string {
	switch {
	case w.junky():
		return w.junk()
	case w.junky():
		return w.pick("0", "-1", "99", "2,5", "1.5")
	}
	return strconv.Itoa(1 + w.rnd.IntN(max(n, 1)))
}

// unitNum draws the number of a unit.
func (w *walker) unitNum() string { return w.num(len(w.blk.Units)) }

// unit draws a unit by number, by name or by part of its name, or junk.
func (w *walker) unit() string {
	units := w.blk.Units
	switch r := w.rnd.IntN(10); {
	case w.junky():
		return w.junk()
	case r < 4 || len(units) == 0:
		return w.unitNum()
	case r < 8:
		return units[w.rnd.IntN(len(units))].Name
	}
	words := strings.Fields(units[w.rnd.IntN(len(units))].Name)
	return strings.ToLower(strings.Join(words[len(words)/2:], " "))
}

func (w *walker) unitOrNone() string {
	if w.chance(2) {
		return ""
	}
	return w.unit()
}

// unitHash draws, sometimes, a unit's "#n " before a command's arguments.
func (w *walker) unitHash() string {
	if w.chance(4) {
		return "#" + w.unitNum() + " "
	}
	return ""
}

func (w *walker) unitHashOnly() string { return strings.TrimSpace(w.unitHash()) }

// date draws a date around the clock's, in the year or not.
func (w *walker) date() string {
	if w.junky() {
		return w.junk()
	}
	d := w.now.AddDate(0, 0, w.rnd.IntN(240)-60)
	if w.chance(3) {
		return d.Format("02/01")
	}
	return d.Format("02/01/2006")
}

// clockTime draws, sometimes, a time of day after a date.
func (w *walker) clockTime() string {
	if w.chance(2) {
		return ""
	}
	return " " + w.pick("17:00", "08:30", "23:59", "00:00", "7h30", "25:00")
}

// walkTexts are titles, names and notes people write.
var walkTexts = []string{
	"Vận động xây nhà đại đoàn kết", "Phát triển hội viên mới", "Tuyên truyền pháp luật", "Nộp báo cáo quý",
	"Công tác tuyên truyền, vận động", "Ngày hội thanh niên", "Hội <b>Khuyến học</b> & tỉnh", "Support the poor",
	"Quỹ \"Vì người nghèo\"", "a", "Tổ chức 3 lớp tập huấn",
}

// text draws a text, sometimes junk.
func (w *walker) text() string {
	if w.junky() {
		return w.junk()
	}
	return w.pick(walkTexts...)
}

// target draws a pledge's target.
func (w *walker) target() string {
	if w.junky() {
		return w.junk()
	}
	return w.pick("50 nhà", "1.200 hội viên", "100%", "hoàn thành", "-5 nhà", "3 lớp", "25,5 tỷ đồng", "vượt 10%", "")
}

func (w *walker) pledgeLine() string {
	line := w.text() + " | " + w.target()
	if w.chance(2) {
		line += " | " + w.date()
	}
	return line
}

func (w *walker) pledgeArgs() string {
	lines := []string{w.pledgeLine()}
	for w.chance(3) {
		lines = append(lines, w.pledgeLine())
	}
	return w.unitHash() + strings.Join(lines, "\n")
}

func (w *walker) editPledgeArgs() string {
	return w.unitHash() + w.num(4) + " " + w.pledgeLine()
}

func (w *walker) openRegArgs() string {
	switch w.rnd.IntN(4) {
	case 0:
		return ""
	case 1:
		return w.date()
	case 2:
		return w.unit()
	}
	return w.unit() + " | " + w.date()
}

func (w *walker) criteriaArgs() string {
	switch w.rnd.IntN(4) {
	case 0:
		return ""
	case 1:
		return "remove " + w.num(len(w.blk.Registration.Criteria)+1)
	}
	lines := []string{w.text() + " | " + w.points()}
	for w.chance(3) {
		lines = append(lines, w.text()+" | "+w.points())
	}
	return "add " + strings.Join(lines, "\n")
}

// points draws a number of points.
func (w *walker) points() string {
	if w.junky() {
		return w.pick(w.junk(), "-3", "1000", "10/20", "9,5/10")
	}
	return w.pick("20", "15,5", "0", "5", "40/40")
}

func (w *walker) covenantArgs() string {
	switch w.rnd.IntN(3) {
	case 0:
		return ""
	case 1:
		return w.text()
	}
	return w.text() + " | " + w.date()
}

func (w *walker) periodArgs() string {
	n := strconv.Itoa(len(w.blk.Results.Periods) + 1)
	switch w.rnd.IntN(5) {
	case 0:
		return w.pick("edit", "sửa") + " " + w.num(len(w.blk.Results.Periods)) + " | " + w.periodName() + " | " + w.date()
	case 1:
		return w.pick("delete", "xoá") + " " + w.num(len(w.blk.Results.Periods))
	case 2:
		return ""
	}
	line := w.pick("Quý I", "6 tháng", "9 tháng", "Năm", "Kỳ "+n, w.text()) + " | " + w.date()
	if w.chance(3) {
		line += "\n" + w.pick("Quý II", "Quý III", w.text()) + " | " + w.date()
	}
	return line
}

// periodName draws a period's name.
func (w *walker) periodName() string {
	return w.pick("Quý I", "6 tháng", "9 tháng", "Năm", w.text())
}

// period draws the name of one of the block's periods, or another.
func (w *walker) period() string {
	ps := w.blk.Results.Periods
	if len(ps) == 0 || w.chance(5) {
		return w.pick("", "Quý I", "6 tháng", w.junk())
	}
	return ps[w.rnd.IntN(len(ps))].Name
}

// value draws a reported value.
func (w *walker) value() string {
	if w.junky() {
		return w.pick(w.junk(), "-3", "50/50", "bốn", "999999999")
	}
	return w.pick("45", "60%", "1.200", "25,5", "0", "100%", "12")
}

func (w *walker) reportArgs() string {
	head := w.unitHash() + w.period()
	if w.chance(3) {
		return head // step by step
	}
	pledges := 2
	if rp := w.blk.RepOf(w.actor.ID); rp != nil {
		pledges = len(w.blk.RegistrationOf(rp.UnitID).Pledges)
	}
	var lines []string
	for range 1 + w.rnd.IntN(3) {
		line := w.num(pledges) + " " + w.value()
		if w.chance(3) {
			line += " " + w.text()
		}
		lines = append(lines, line)
	}
	return head + "\n" + strings.Join(lines, "\n")
}

// scoreLines draws lines of points against criteria, each on a line of
// its own after the command's first line.
func (w *walker) scoreLines() string {
	var s string
	for range 1 + w.rnd.IntN(3) {
		s += "\n" + w.num(len(w.blk.Registration.Criteria)) + " " + w.points()
		if w.chance(3) {
			s += " " + w.text()
		}
	}
	return s
}

func (w *walker) scoreArgs() string {
	switch w.rnd.IntN(4) {
	case 0:
		return ""
	case 1:
		return "#" + w.unitNum()
	}
	return strings.TrimSpace(w.unitHash()) + w.scoreLines()
}

func (w *walker) awardArgs() string {
	award := w.pick("Cờ thi đua của Chính phủ", "Cờ thi đua của UBND tỉnh", "Bằng khen của UBND tỉnh", w.text())
	switch w.rnd.IntN(5) {
	case 0:
		return w.yearOrNone()
	case 1:
		return award + " |"
	}
	units := []string{w.unit()}
	for w.chance(2) {
		units = append(units, w.unit())
	}
	return award + " | " + strings.Join(units, ", ")
}

func (w *walker) exemplarArgs() string {
	switch w.rnd.IntN(5) {
	case 0:
		return w.yearOrNone()
	case 1:
		return w.unitHash() + w.pick("xoá", "remove") + " " + w.pick(w.num(3), w.unitNum()+"."+w.num(3))
	}
	var lines []string
	for range 1 + w.rnd.IntN(3) {
		line := w.pick("Nguyễn Thị Hoa", "Trần Văn Nam", "Lê <b>An</b>", w.text()) + " | " +
			w.pick("Chuyên viên", "Phó Chủ tịch Hội", "Bí thư Chi đoàn", "Giáo viên", w.text())
		if w.chance(2) {
			line += " | " + w.text()
		}
		if w.chance(4) {
			line += " | " + w.pick("lãnh đạo", "không lãnh đạo", "leader")
		}
		lines = append(lines, line)
	}
	return strings.TrimSpace(w.unitHash()) + "\n" + strings.Join(lines, "\n")
}

// office draws an office to elect.
func (w *walker) office() string { return w.pick("khoitruong", "khoipho", "leader", "deputy") }

func (w *walker) officeOrNone() string {
	if w.chance(2) {
		return ""
	}
	return w.office()
}

func (w *walker) electArgs() string {
	args := []string{w.office()}
	if w.chance(3) {
		args = append(args, "ứng viên: "+w.unitNum()+", "+w.unitNum())
	}
	if w.chance(3) {
		args = append(args, w.pick("công khai", "kín", "open"))
	}
	if w.chance(3) {
		args = append(args, "đóng: "+w.date()+w.clockTime())
	}
	if w.chance(4) {
		args = append(args, w.pick("cho tái cử", "re-election"))
	}
	if w.junky() {
		args = append(args, w.junk())
	}
	return strings.Join(args, " | ")
}

// yearOrNone draws a year, often none.
func (w *walker) yearOrNone() string {
	if w.chance(2) {
		return ""
	}
	y := w.blk.Year
	return w.pick(strconv.Itoa(y-1), strconv.Itoa(y), strconv.Itoa(y+1), "1999", w.junk())
}

func (w *walker) remindArgs() string {
	return w.pick("", "14,7,3,1,0 08:00", "7 07:30", "yên 21:00-07:00", "yên tắt", "cuối tuần có", "cuối tuần không", "quiet off weekends on", "99,0", w.junk())
}

func (w *walker) historyArgs() string {
	return w.pick("", w.unit(), w.num(100), "#"+w.unitNum()+" 5 trang 2", "page 3", "trang "+w.num(5))
}

// Actions beyond commands.

// pressButton has someone press a button of one of the bot's messages in
// the group, mostly a recent one, or in their private chat.
func (w *walker) pressButton() string {
	user := w.pick2([]*telegramtest.User{w.anyone(), w.manager(), w.rep()})
	chat := w.group
	if w.chance(6) {
		chat = w.tg.PrivateChat(user)
	}
	var withButtons []telegramtest.Message
	for _, m := range w.tg.Messages(chat.ID) {
		if !m.Deleted && slices.ContainsFunc(m.Buttons, func(row []telegramtest.Button) bool {
			return slices.ContainsFunc(row, func(b telegramtest.Button) bool { return b.Data != "" })
		}) {
			withButtons = append(withButtons, m)
		}
	}
	if len(withButtons) == 0 {
		return cmd(1, "pledge", (*walker).rep, (*walker).pledgeArgs).run(w) // nothing to press: a pledge then
	}
	i := len(withButtons) - 1 - w.rnd.IntN(min(len(withButtons), 4))
	if w.chance(4) {
		i = w.rnd.IntN(len(withButtons))
	}
	m := withButtons[i]
	var data []telegramtest.Button
	for _, row := range m.Buttons {
		for _, b := range row {
			if b.Data != "" {
				data = append(data, b)
			}
		}
	}
	return w.pressed(chat, user, m, data[w.rnd.IntN(len(data))])
}

// pressed has user press the button b of the message m in chat, checks
// that an answer in English is, and says what happened.
func (w *walker) pressed(chat *telegramtest.Chat, user *telegramtest.User, m telegramtest.Message, b telegramtest.Button) string {
	u, err := w.tg.Press(chat, user, &m, b.Data)
	if err != nil {
		w.t.Fatal(err)
	}
	w.handled(u)
	w.delivered(u)
	a, ok := w.tg.AnswerOf(u.CallbackQueryID)
	if !ok {
		w.fail("%s pressed %q: no answer", user.FirstName, b.Data)
	}
	w.acted, _, _ = strings.Cut(b.Data, ":")
	w.acted, w.refused = "["+w.acted+"]", a.ShowAlert
	if bot.LangOfCode(user.LanguageCode, w.lang) == bot.EN {
		if why := w.notInEnglish(a.Text); why != "" {
			w.fail("%s pressed %q and was answered in English with %s: %q", user.FirstName, b.Data, why, a.Text)
		}
	}
	return fmt.Sprintf("%s presses %q (%s) under %q → %q", user.FirstName, b.Text, b.Data, shortText(m.Text), shortText(a.Text))
}

// pressLatest is the action of pressing a button whose data starts with
// prefix on the latest of the bot's group messages that has one, by whom
// who draws for the message: a vote, a signature, a report's step, a
// review.
func pressLatest(prefix string, who func(*walker, telegramtest.Message) *telegramtest.User) func(*walker) string {
	return func(w *walker) string {
		m, data := w.latestButtons(func(d string) bool { return strings.HasPrefix(d, prefix) })
		if len(data) == 0 {
			return "no " + prefix + " button to press"
		}
		user := who(w, m)
		return w.pressed(w.group, user, m, data[w.rnd.IntN(len(data))])
	}
}

// latestButtons returns the latest of the bot's group messages, not
// deleted, with buttons whose data match, and those buttons; none if no
// message has one.
func (w *walker) latestButtons(match func(data string) bool) (telegramtest.Message, []telegramtest.Button) {
	msgs := w.tg.Messages(w.group.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		var data []telegramtest.Button
		for _, row := range m.Buttons {
			for _, b := range row {
				if match(b.Data) {
					data = append(data, b)
				}
			}
		}
		if len(data) > 0 && !m.Deleted {
			return m, data
		}
	}
	return telegramtest.Message{}, nil
}

// voter draws a representative, to vote or sign.
func (w *walker) voter(telegramtest.Message) *telegramtest.User { return w.rep() }

// reviewer draws a manager, to decide.
func (w *walker) reviewer(telegramtest.Message) *telegramtest.User { return w.manager() }

// owner is, mostly, who sent the message m answers, to go on with it.
func (w *walker) owner(m telegramtest.Message) *telegramtest.User {
	if u := w.author[m.ReplyTo]; u != nil && !w.away[u.ID] && !w.junky() {
		return u
	}
	return w.rep()
}

// replyToBot has someone reply to one of the bot's recent messages in the
// group: a value for a report drafted step by step, mostly.
func (w *walker) replyToBot() string {
	user, m, ok := w.replyTarget()
	if !ok {
		return "no message to reply to"
	}
	text := w.pick(w.value(), w.value()+" "+w.text(), "bỏ qua", "skip", "/cancel", w.junk())
	w.acted = "(reply)"
	if strings.TrimSpace(text) == "" {
		text = "."
	}
	w.posted(user, text, func() telegramtest.Update { return w.tg.Reply(w.group, user, &m, text) })
	return fmt.Sprintf("%s replies %q to %q", user.FirstName, shortText(text), shortText(m.Text))
}

// sendEvidence has a representative send a photo or a file in reply to
// one of the bot's recent messages, a report's confirmation maybe.
func (w *walker) sendEvidence() string {
	user, m, ok := w.replyTarget()
	if c, found := w.latestConfirmation(); found && w.chance(2) {
		user, m = w.owner(c), c
		ok = w.mayPost(user, m.Thread)
	}
	if !ok {
		return "no message to send evidence to"
	}
	caption := w.pick("", "Ảnh hoạt động", "<b>minh chứng</b> & ảnh", "/report Quý I")
	w.acted = "(evidence)"
	if w.chance(4) {
		w.typedText(caption)
		ups := w.tg.SendAlbum(w.group, user, &m, [][]byte{[]byte("photo 1"), []byte("photo 2")}, caption)
		for _, u := range ups {
			w.handled(u)
		}
		return fmt.Sprintf("%s sends an album (%q) in reply to %q", user.FirstName, caption, shortText(m.Text))
	}
	if w.chance(2) {
		w.posted(user, caption, func() telegramtest.Update {
			return w.tg.SendPhoto(w.group, user, &m, []byte("not really a photo"), caption)
		})
		return fmt.Sprintf("%s sends a photo (%q) in reply to %q", user.FirstName, caption, shortText(m.Text))
	}
	w.posted(user, caption, func() telegramtest.Update {
		return w.tg.SendDocument(w.group, user, &m, "bao-cao.pdf", []byte("%PDF-1.4"), caption)
	})
	return fmt.Sprintf("%s sends a file (%q) in reply to %q", user.FirstName, caption, shortText(m.Text))
}

// latestConfirmation returns the bot's latest confirmation of a report in
// the group (📊), which evidence is sent in reply to.
func (w *walker) latestConfirmation() (telegramtest.Message, bool) {
	msgs := w.tg.Messages(w.group.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		if strings.HasPrefix(msgs[i].Text, "📊") && !msgs[i].Deleted {
			return msgs[i], true
		}
	}
	return telegramtest.Message{}, false
}

// editCommand has someone edit a message they sent in the group.
func (w *walker) editCommand() string {
	if len(w.said) == 0 {
		return "nothing to edit"
	}
	s := w.said[w.rnd.IntN(len(w.said))]
	if w.away[s.user.ID] {
		return s.user.FirstName + " is away"
	}
	text := s.msg.Text + " " + w.text()
	w.posted(s.user, text, func() telegramtest.Update { return w.tg.EditText(w.group, s.user, &s.msg, text) })
	return fmt.Sprintf("%s edits %q into %q", s.user.FirstName, shortText(s.msg.Text), shortText(text))
}

// talkPrivately has someone write to the bot in private.
func (w *walker) talkPrivately() string {
	user := w.pick2(w.people)
	text := w.pick("/start", "/help", "/help report", "/report Quý I\n1 5", "/units", "/myreport", "xin chào", "45")
	w.typedText(text)
	w.handled(w.tg.SendPrivate(user, text))
	return fmt.Sprintf("%s in private: %q", user.FirstName, text)
}

// pick2 draws one of the users.
func (w *walker) pick2(users []*telegramtest.User) *telegramtest.User {
	return users[w.rnd.IntN(len(users))]
}

// changeMembership has someone other than the administrator leave the
// group, come back, or be made or unmade an administrator.
func (w *walker) changeMembership() string {
	user := w.pick2(w.people[1:])
	status := telegramtest.StatusLeft
	switch {
	case w.away[user.ID]:
		status = telegramtest.StatusMember
	case w.chance(2):
		status = w.pick(telegramtest.StatusMember, telegramtest.StatusAdministrator)
	}
	if u, ok := w.group.ChangeStatus(user, status); ok {
		w.handled(u)
	}
	w.away[user.ID] = status == telegramtest.StatusLeft
	return fmt.Sprintf("%s's status becomes %s", user.FirstName, status)
}

// changeBotStatus has the bot restricted from posting in the group, or
// back as an administrator, or made a plain member, or removed and added
// back at once.
func (w *walker) changeBotStatus() string {
	me := w.tg.BotUser()
	deliver := func(status string) {
		if u, ok := w.group.ChangeStatus(me, status); ok {
			w.handled(u)
		}
	}
	switch {
	case w.muted || w.chance(3):
		deliver(telegramtest.StatusAdministrator)
		w.muted, w.botIsAdmin = false, true
		return "the bot is an administrator"
	case w.chance(2):
		deliver(telegramtest.StatusRestricted)
		w.muted, w.botIsAdmin, w.forum.botManages = true, false, false
		return "the bot may not post"
	case w.chance(2):
		deliver(telegramtest.StatusMember)
		w.botIsAdmin, w.forum.botManages = false, false
		return "the bot is a plain member"
	}
	deliver(telegramtest.StatusKicked)
	deliver(telegramtest.StatusAdministrator)
	w.botIsAdmin, w.forum.botManages = true, false
	return "the bot is removed and added back"
}

// renameSomeone has someone change their name on Telegram.
func (w *walker) renameSomeone() string {
	user := w.pick2(w.people)
	was := user.FirstName
	name := w.pick(strings.Fields(was)[0], strings.Fields(was)[0]+" Mới", "<b>Lê</b> & Hà", strings.Repeat("Ư", 64))
	w.tg.Rename(user, name, "", user.UserName)
	w.typedText(name)
	return fmt.Sprintf("%s is renamed %q", was, name)
}

// switchLanguage has someone switch their app's language.
func (w *walker) switchLanguage() string {
	user := w.pick2(w.people)
	code := w.pick("vi", "en", "fr", "")
	w.tg.SetLanguage(user, code)
	return fmt.Sprintf("%s's app speaks %q", user.FirstName, code)
}

// advanceClock moves the clock on by hours or days, now and then to the
// end of the year or into the next.
func (w *walker) advanceClock() string {
	switch {
	case w.chance(30):
		end := time.Date(w.now.Year(), 12, 20+w.rnd.IntN(25), 9, 0, 0, 0, hcm)
		if end.After(w.now) {
			w.now = end
		}
	case w.chance(2):
		w.now = w.now.Add(time.Duration(1+w.rnd.IntN(12)) * time.Hour)
	default:
		w.now = w.now.AddDate(0, 0, 1+w.rnd.IntN(20))
	}
	return "the clock moves to " + w.now.Format("02/01/2006 15:04")
}

// tick runs the scheduler at the clock's time.
func (w *walker) tick() string {
	w.tk.tick(w.now)
	w.acted = "(tick)"
	return "the scheduler ticks"
}
