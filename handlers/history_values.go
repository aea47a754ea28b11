package handlers

import (
	"regexp"
	"strconv"
	"strings"

	"thiduabot/bot"
	"thiduabot/thidua"
)

// This file words the values of history entries in the reader's language.
// The domain writes some values with words of its own, in Vietnamese ("hạn
// 31/03/2026", "3 nội dung", "88,5 điểm (3/3 tiêu chí)"), and the history
// keeps them as written, old entries and new alike: /history reads those
// words back and says them in the reader's language. A value it does not
// recognise is shown as kept.

// phrase is a Vietnamese phrase the domain writes into history values, the
// VI text of t with its verbs (%s, %d with a width or not, %%), which
// reword reads back and says in another language with t.
type phrase struct {
	t bot.T
	// re matches the VI text, its verbs captured; verbs holds each verb's
	// letter, in order.
	re    *regexp.Regexp
	verbs string
}

// newPhrase compiles the phrase t.VI, whole or, with prefix, at the start
// of a value, the rest then captured last.
func newPhrase(t bot.T, prefix bool) phrase {
	var re strings.Builder
	re.WriteString("^")
	p := phrase{t: t}
	for f := t.VI; f != ""; {
		i := strings.IndexByte(f, '%')
		if i < 0 {
			re.WriteString(regexp.QuoteMeta(f))
			break
		}
		re.WriteString(regexp.QuoteMeta(f[:i]))
		f = strings.TrimLeft(f[i+1:], "0123456789") // a width, as in %02d
		switch {
		case f == "":
			re.WriteString("%")
			continue
		case strings.HasPrefix(f, "d"):
			re.WriteString(`(-?\d+)`)
			p.verbs += "d"
		case strings.HasPrefix(f, "s"):
			re.WriteString(`(.*?)`)
			p.verbs += "s"
		default: // %%
			re.WriteString("%")
		}
		f = f[1:]
	}
	if prefix {
		re.WriteString(`(.*)`)
	}
	re.WriteString("$")
	p.re = regexp.MustCompile(re.String())
	return p
}

// read returns the arguments of the phrase in v, each word of %s as written
// and each %d as an int, then, for a prefix phrase, the rest of v; ok is
// false when v is not the phrase.
func (p phrase) read(v string) (args []any, rest string, ok bool) {
	m := p.re.FindStringSubmatch(v)
	if m == nil {
		return nil, "", false
	}
	for i, verb := range p.verbs {
		if verb == 'd' {
			n, err := strconv.Atoi(m[i+1])
			if err != nil {
				return nil, "", false
			}
			args = append(args, n)
		} else {
			args = append(args, m[i+1])
		}
	}
	if len(m) > len(p.verbs)+1 {
		rest = m[len(m)-1]
	}
	return args, rest, true
}

// reword says v, when it is the phrase, in l, and reports whether it was.
func (p phrase) reword(v string, l bot.Lang) (string, bool) {
	args, rest, ok := p.read(v)
	if !ok {
		return v, false
	}
	return p.t.F(l, args...) + rest, true
}

// Phrases of the history's values, the VI of each as the domain writes it.
var (
	hvDue        = newPhrase(bot.T{VI: "hạn %02d/%02d/%d", EN: "due %02d/%02d/%d"}, false)
	hvPledges    = newPhrase(bot.T{VI: "%d nội dung", EN: "%d {pledge|pledges}"}, false)
	hvSettings   = newPhrase(bot.T{VI: "%s ngày · %s · %s · %s", EN: "%s {day|days} · %s · %s · %s"}, false)
	hvQuiet      = newPhrase(bot.T{VI: "yên lặng %s", EN: "quiet %s"}, false)
	hvNoQuiet    = newPhrase(bot.T{VI: "không giờ yên lặng", EN: "quiet off"}, false)
	hvWeekends   = newPhrase(bot.T{VI: "cả cuối tuần", EN: "weekends on"}, false)
	hvNoWeekends = newPhrase(bot.T{VI: "trừ cuối tuần", EN: "weekends off"}, false)
	hvReports    = newPhrase(bot.T{VI: "%s (%d báo cáo)", EN: "%s (%d {report|reports})"}, false)
	hvLate       = newPhrase(bot.T{VI: "%s — nộp muộn", EN: "%s — late"}, false)
	hvPhoto      = newPhrase(bot.T{VI: "%s: ảnh%s", EN: "%s: photo%s"}, false)
	hvFile       = newPhrase(bot.T{VI: "%s: tệp %s", EN: "%s: file %s"}, false)
	hvScore      = newPhrase(bot.T{VI: "%s điểm (%d/%d tiêu chí)", EN: "%s {point|points} (%d/%d {criterion|criteria})"}, true)
	hvUnscored   = newPhrase(bot.T{VI: "%d: chưa chấm", EN: "%d: not scored"}, false)
	hvLeader     = newPhrase(bot.T{VI: "%s | lãnh đạo", EN: "%s | leader"}, false)
	hvNonLeader  = newPhrase(bot.T{VI: "%s | không lãnh đạo", EN: "%s | not leader"}, false)
	// Why registration opened for a unit alone ended, when not closed.
	hvOpenForAll = newPhrase(bot.T{VI: thidua.OpeningEndedOpenForAll, EN: "opened for every unit"}, false)
	hvRemoved    = newPhrase(bot.T{VI: thidua.OpeningEndedRemoved, EN: "unit removed from the block"}, false)

	// The titles of the deadlines of the year's features, which a
	// reminder's entry starts with (see deadlineLabel).
	hvFinal        = newPhrase(msgFinalDeadline, true)
	hvRegistration = newPhrase(msgRegistrationDeadline, true)
	hvCovenant     = newPhrase(msgCovenantDeadline, true)
	hvPeriod       = newPhrase(msgPeriodDeadline, true)
	hvElection     = newPhrase(msgElectionDeadline, true)
	hvRound        = newPhrase(msgElectionRound, true)
)

// hvShareOfTarget finds in a report's entry a value that is a share of its
// pledge's target, "2: 60% chỉ tiêu": what comes before the entry, its
// number, and the value (see msgShareOfTarget).
var hvShareOfTarget = regexp.MustCompile(`(^| — |; )(\d+: )(-?[\d.,]+)% chỉ tiêu`)

// historyValues words the values of the history's actions whose values the
// domain writes with words of its own, given the reader's language, the
// entry's subject and the value.
var historyValues = map[string]func(l bot.Lang, subject, v string) string{
	"reg.open": rewordWith(hvDue), "reg.reopen": rewordWith(hvDue), "reg.due": rewordWith(hvDue), "reg.close": rewordWith(hvDue),
	"reg.unit_open": rewordWith(hvDue), "reg.unit_due": rewordWith(hvDue), "reg.unit_close": rewordWith(hvDue, hvOpenForAll, hvRemoved),
	"pledges.submit": rewordWith(hvPledges), "pledges.approve": rewordWith(hvPledges),
	"period.delete":     rewordWith(hvReports),
	"reminder.settings": settingsValue,
	"reminder.now":      reminderValue, "reminder.sent": reminderValue, "reminder.overdue": reminderValue,
	"report.submit":   submissionValue,
	"report.evidence": evidenceValue,
	"score.self":      scoreValue, "score.review": scoreValue,
	// A nominee's line ends with their leadership mark (see
	// thidua.ParseExemplarLine), which the reader types in their language.
	"exemplar.add": rewordWith(hvNonLeader, hvLeader), "exemplar.update": rewordWith(hvNonLeader, hvLeader), "exemplar.remove": rewordWith(hvNonLeader, hvLeader),
}

// eventValue is the value v of the history entry e as the reader of l reads
// it (see historyValues).
func eventValue(l bot.Lang, e thidua.Event, v string) string {
	if fn := historyValues[e.Action]; fn != nil && l != bot.VI {
		return fn(l, e.Subject, v)
	}
	return v
}

// rewordWith words a value that is one of the phrases ps (see
// rewordFirst).
func rewordWith(ps ...phrase) func(bot.Lang, string, string) string {
	return func(l bot.Lang, _, v string) string { return rewordFirst(v, l, ps...) }
}

// rewordFirst words v with the first of the phrases it is.
func rewordFirst(v string, l bot.Lang, ps ...phrase) string {
	for _, p := range ps {
		if w, ok := p.reword(v, l); ok {
			return w
		}
	}
	return v
}

// settingsValue words reminder settings: "7,3,1,0 ngày · 08:00 · yên lặng
// 21:00-07:00 · cả cuối tuần" (see thidua.ReminderSettings.String).
func settingsValue(l bot.Lang, _, v string) string {
	args, _, ok := hvSettings.read(v)
	if !ok {
		return v
	}
	args[2] = rewordFirst(args[2].(string), l, hvQuiet, hvNoQuiet)
	args[3] = rewordFirst(args[3].(string), l, hvWeekends, hvNoWeekends)
	return hvSettings.t.F(l, args...)
}

// reminderValue words a reminder's entry, the deadline's title (then, once
// sent, the units reminded): a deadline of the year's features, whose kind
// the entry's subject, the deadline's key, tells, is worded as
// deadlineLabel words it; a custom one keeps its title.
func reminderValue(l bot.Lang, key, v string) string {
	switch kind, _, _ := strings.Cut(key, ":"); kind {
	case "final":
		return rewordFirst(v, l, hvFinal)
	case "registration":
		return rewordFirst(v, l, hvRegistration)
	case "covenant":
		return rewordFirst(v, l, hvCovenant)
	case "period":
		return rewordFirst(v, l, hvPeriod)
	case "election":
		args, rest, ok := hvElection.read(v)
		if !ok {
			return v
		}
		s := thidua.DeadlineSubject{Year: args[1].(int), Round: 1}
		for role, name := range roleName {
			if name.VI == args[0] {
				s.Role = role
			}
		}
		if s.Role == "" {
			return v
		}
		if round, after, ok := hvRound.read(rest); ok {
			s.Round, rest = round[0].(int), after
		}
		return electionLabel(s.Role, s.Year, s.Round, l) + rest
	}
	return v
}

// submissionValue words a report's entry, "Quý I — 1: 45 nhà (ghi chú); 2:
// 60% chỉ tiêu — nộp muộn": a value that is a share of the target, and
// lateness.
func submissionValue(l bot.Lang, _, v string) string {
	v = hvShareOfTarget.ReplaceAllStringFunc(v, func(share string) string {
		m := hvShareOfTarget.FindStringSubmatch(share)
		return m[1] + m[2] + msgShareOfTarget.F(l, m[3])
	})
	return rewordFirst(v, l, hvLate)
}

// evidenceValue words a piece of evidence's entry, "Quý I: ảnh — Buổi
// tập huấn" or "Quý I: tệp bien-ban.pdf — Biên bản": the period's name,
// then what the bot wrote, photo or file, which is where the first of the
// two phrases starts, since a caption or a file's name may say «: ảnh» or
// «: tệp » too.
func evidenceValue(l bot.Lang, _, v string) string {
	w, at := v, -1
	for _, p := range []phrase{hvPhoto, hvFile} {
		if args, _, ok := p.read(v); ok && (at < 0 || len(args[0].(string)) < at) {
			w, at = p.t.F(l, args...), len(args[0].(string))
		}
	}
	return w
}

// scoreValue words a score's entry, "88,5 điểm (3/3 tiêu chí) — 2: 25,5
// (tổ chức tốt); 3: chưa chấm": the total, and the criteria not scored.
func scoreValue(l bot.Lang, _, v string) string {
	args, rest, ok := hvScore.read(v)
	if !ok {
		return v
	}
	items := strings.Split(strings.TrimPrefix(rest, " — "), "; ")
	for i, item := range items {
		items[i] = rewordFirst(item, l, hvUnscored)
	}
	if rest != "" {
		rest = " — " + strings.Join(items, "; ")
	}
	return hvScore.t.F(l, args...) + rest
}
