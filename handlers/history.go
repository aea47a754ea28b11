package handlers

import (
	"strconv"
	"strings"

	"thiduabot/bot"
	"thiduabot/thidua"
)

// historyDefault and historyMax bound how many entries /history shows.
const (
	historyDefault = 20
	historyMax     = 100
)

func (r *Router) registerHistory() {
	r.add(&command{
		name: "history", aliases: []string{"lichsu"}, where: inGroup, who: roleAnyone,
		usage:   bot.T{VI: "[số mục, tối đa 100]", EN: "[number of entries, at most 100]"},
		example: bot.T{VI: "/history 50", EN: "/history 50"},
		desc:    bot.T{VI: "Lịch sử thay đổi của khối: ai, lúc nào, làm gì", EN: "The block's change history: who, when, what"},
		run:     r.history,
	})
}

var (
	msgHistoryBadCount = bot.T{VI: "Số mục phải là một số từ 1 đến 100.", EN: "The number of entries must be a number from 1 to 100."}
	msgHistoryHead     = bot.T{VI: "<b>Lịch sử thay đổi</b> (%d mục gần nhất)", EN: "<b>Change history</b> (last %d {entry|entries})"}
	msgHistoryEmpty    = bot.T{VI: "Chưa có thay đổi nào.", EN: "No changes yet."}
	msgAsAdmin         = bot.T{VI: " (quản trị viên)", EN: " (administrator)"}
)

func (r *Router) history(q *request) error {
	n := historyDefault
	if q.args != "" {
		v, err := strconv.Atoi(q.args)
		if err != nil || v < 1 || v > historyMax {
			return q.usage(msgHistoryBadCount)
		}
		n = v
	}
	b, err := q.block()
	if err != nil {
		return err
	}
	events, err := r.cfg.Store.History(q.ctx, b.ID, n)
	if err != nil {
		return wrapStore(err)
	}
	if len(events) == 0 {
		return q.reply(msgHistoryEmpty.In(q.lang))
	}
	// A unit removed since keeps its name in the entries about it: its
	// removal, newer than they are, is among the entries shown.
	removed := map[string]string{}
	for _, e := range events {
		if e.Action == "unit.remove" {
			removed[e.Subject] = e.Before
		}
	}
	unitName := func(id string) string {
		if n := b.UnitName(id); n != "" {
			return n
		}
		return removed[id]
	}
	lines := []string{msgHistoryHead.F(q.lang, len(events))}
	for _, e := range events {
		lines = append(lines, r.eventLine(q, unitName, e))
	}
	return q.reply(strings.Join(lines, "\n"))
}

// eventLine renders one history entry on one line; unitName names the unit
// an entry is about.
func (r *Router) eventLine(q *request, unitName func(id string) string, e thidua.Event) string {
	var sb strings.Builder
	sb.WriteString("• " + e.At.In(r.cfg.Location).Format("02/01/2006 15:04") + " — <b>" + bot.Escape(e.ActorName) + "</b>")
	if e.AsAdmin {
		sb.WriteString(msgAsAdmin.In(q.lang))
	}
	name := e.Action
	if t, ok := r.actions[e.Action]; ok {
		name = t.In(q.lang)
	}
	sb.WriteString(": " + bot.Escape(name))
	if unit := unitName(e.Subject); unit != "" {
		sb.WriteString(" [" + bot.Escape(unit) + "]")
	}
	before, after := eventValue(q.lang, e, e.Before), eventValue(q.lang, e, e.After)
	switch {
	case before != "" && after != "":
		sb.WriteString(": «" + bot.Escape(before) + "» → «" + bot.Escape(after) + "»")
	case after != "":
		sb.WriteString(": «" + bot.Escape(after) + "»")
	case before != "":
		sb.WriteString(": «" + bot.Escape(before) + "»")
	}
	return sb.String()
}
