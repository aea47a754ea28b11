package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"

	"thiduabot/bot"
	"thiduabot/storage"
	"thiduabot/thidua"
)

func (r *Router) registerSetup() {
	r.add(&command{
		name: "setup", aliases: []string{"thietlap"}, where: inGroup, who: roleAdmin,
		usage:   bot.T{VI: "<tên khối>", EN: "<block name>"},
		example: bot.T{VI: "/setup Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai", EN: "/setup Khối thi đua MTTQ và các đoàn thể tỉnh Lào Cai"},
		desc:    bot.T{VI: "Thiết lập nhóm thành khối thi đua, hoặc đổi tên khối", EN: "Set this group up as an emulation block, or rename it"},
		run:     r.setup,
	})
	r.describeActions(map[string]bot.T{
		"block.setup":  {VI: "thiết lập khối", EN: "set the block up"},
		"block.rename": {VI: "đổi tên khối", EN: "renamed the block"},
	})
}

var (
	msgSetupNeedsName = bot.T{VI: "Bạn chưa nhập tên khối.", EN: "The block name is missing."}
	msgSetupDone      = bot.T{
		VI: "✅ Nhóm này đã trở thành <b>%s</b>, năm thi đua %d.\n\nCác bước tiếp theo:\n1. Quản trị viên thêm các đơn vị thành viên: <code>/addunit</code>, mỗi dòng một đơn vị.\n2. Chọn đơn vị Khối trưởng và Khối phó: <code>/leader</code>, <code>/deputy</code>.\n3. Cán bộ đầu mối của từng đơn vị gửi /join và chọn đơn vị của mình.",
		EN: "✅ This group is now <b>%s</b>, emulation year %d.\n\nNext steps:\n1. Administrators add the member units: <code>/addunit</code>, one per line.\n2. Choose the leader and deputy units: <code>/leader</code>, <code>/deputy</code>.\n3. Each unit's representatives send /join and pick their unit.",
	}
	msgSetupRenamed = bot.T{VI: "✅ Đã đổi tên khối thành <b>%s</b>.", EN: "✅ The block is now called <b>%s</b>."}
)

// setup turns the group into a block, or renames the block it already is.
// Only group administrators may do it.
func (r *Router) setup(q *request) error {
	if q.args == "" {
		return q.usage(msgSetupNeedsName)
	}
	a, err := q.actor()
	if err != nil {
		return err
	}
	if !a.Admin {
		return q.refuse(msgOnlyAdmins)
	}
	now := r.now()
	if _, err := q.block(); err == nil {
		return r.renameBlock(q, a, now)
	} else if !errors.Is(err, errNoBlock) {
		return err
	}
	b, err := thidua.NewBlock(newBlockID(), q.chat.ID, q.args, now.Year(), a, now)
	if err != nil {
		return err
	}
	// The block's home topic is the one it was set up in (see topics.go).
	b.Home = topicOf(q.ctx)
	b.MarkApplied(int64(q.upd.UpdateID))
	if err := r.cfg.Store.CreateBlock(q.ctx, b); errors.Is(err, storage.ErrExists) {
		// Another update (or this one, before a crash) set the group up first.
		return r.renameBlock(q, a, now)
	} else if err != nil {
		return wrapStore(err)
	}
	text := msgSetupDone.F(q.lang, bot.Escape(b.Name), b.Year)
	if b.Home.Thread != 0 {
		text += "\n\n" + msgSetupHome.In(q.lang)
	}
	return q.reply(text)
}

// renameBlock gives the chat's existing block the name in the arguments.
func (r *Router) renameBlock(q *request, a thidua.Actor, now time.Time) error {
	b, err := r.updateShowing(q, func(b *thidua.Block) error { return b.Rename(a, q.args, now) })
	if err != nil {
		return err
	}
	return q.reply(msgSetupRenamed.F(q.lang, bot.Escape(b.Name)))
}

// now is the current time in the block's time zone.
func (r *Router) now() time.Time { return r.cfg.Now().In(r.cfg.Location) }

// newBlockID returns a random, URL-safe block id.
func newBlockID() string {
	var buf [6]byte
	_, _ = rand.Read(buf[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(buf[:])
}
