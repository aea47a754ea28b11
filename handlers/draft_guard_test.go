package handlers_test

import (
	"strings"
	"testing"
	"time"

	"thiduabot/telegramtest"
	"thiduabot/thidua"
)

// The guard over someone else's step-by-step report: Lan and Nga both
// represent Hội Nông dân tỉnh (unit 3). A /report <kỳ> alone from Nga,
// while Lan's draft of the same period holds answers, asks Nga first
// instead of throwing Lan's answers away.

// guardCast is the results cast with Nga beside Lan.
type guardCast struct {
	*resCast
	nga *telegramtest.User
}

func newGuardCast(t *testing.T) *guardCast {
	t.Helper()
	c := &guardCast{resCast: newResCast(t)}
	c.nga = c.member("Nga", "")
	c.join(c.nga, "Hội Nông dân tỉnh")
	return c
}

// drafts returns the block's drafts.
func (c *guardCast) drafts() []thidua.ReportDraft { return c.block().Results.Drafts }

// onlyDraft fails unless the block keeps exactly one draft, owned by user
// and shown in message id, and returns it.
func (c *guardCast) onlyDraft(user *telegramtest.User, id int) thidua.ReportDraft {
	c.t.Helper()
	ds := c.drafts()
	if len(ds) != 1 || ds[0].Owner.UserID != user.ID || ds[0].MessageID != id {
		c.t.Fatalf("drafts %+v, want one of %s shown in message %d", ds, user.FirstName, id)
	}
	return ds[0]
}

func TestDraftOfAnotherIsNotReplacedUnasked(t *testing.T) {
	c := newGuardCast(t)
	lan := c.say(c.group, c.lan, "/report 6 tháng")
	c.pressText(c.lan, lan, "25%")
	c.now = c.now.Add(90 * time.Minute)

	// Nga asks for her own: she is asked first, and nothing changes.
	var ask telegramtest.Message
	c.unchanged(func() { ask = c.say(c.group, c.nga, "/report 6 tháng") })
	expect(t, ask.Text,
		"✋ Lan đang nhập báo cáo kỳ 6 tháng của Hội Nông dân tỉnh (bắt đầu 02/03/2026 09:00), đã nhập 1/4 nội dung, chưa gửi.",
		"Nhập mới thì lần nhập đó bị bỏ cùng các giá trị Lan chưa gửi.",
		"Chỉ Nga bấm được các nút dưới đây.")
	if got := labels(ask); len(got) != 2 || got[0] != "🔁 Thay bằng lần nhập mới" || got[1] != "✖️ Để nguyên" {
		t.Fatalf("the question's buttons: %v", got)
	}
	if len(c.message(lan.ID).Buttons) == 0 {
		t.Fatal("Lan's draft lost its buttons to a question")
	}
	c.onlyDraft(c.lan, lan.ID)

	// Only Nga answers it: Lan, Hoa are refused, politely.
	for _, who := range []*telegramtest.User{c.lan, c.hoa} {
		for _, label := range labels(ask) {
			c.unchanged(func() {
				a := c.pressText(who, ask, label)
				if !a.ShowAlert || a.Text != "Chỉ người đã gõ lệnh /report này mới bấm được các nút. Muốn tự nhập: /report 6 tháng" {
					t.Fatalf("%s pressed «%s»: %+v", who.FirstName, label, a)
				}
			})
		}
	}

	// Hoa's app speaks English: so does the refusal.
	c.tg.SetLanguage(c.hoa, "en")
	c.unchanged(func() {
		if a := c.pressText(c.hoa, ask, labels(ask)[0]); a.Text != "Only the person who sent this /report can press its buttons. To fill one in yourself: /report 6 tháng" {
			t.Fatalf("Hoa, in English, pressed «%s»: %+v", labels(ask)[0], a)
		}
	})

	// She leaves it: Lan's draft stays as it was.
	c.unchanged(func() { c.pressText(c.nga, ask, "✖️ Để nguyên") })
	got := c.message(ask.ID)
	expect(t, got.Text, "✖️ Đã để nguyên lần nhập báo cáo kỳ 6 tháng của Hội Nông dân tỉnh; không có gì thay đổi.")
	if len(got.Buttons) != 0 {
		t.Fatalf("the question left keeps its buttons %v", labels(got))
	}
	if d := c.onlyDraft(c.lan, lan.ID); d.Step != 1 || len(d.Entries) != 1 {
		t.Fatalf("Lan's draft %+v", d)
	}

	// Asked again, she replaces it, with two taps on a slow phone, both
	// delivered before the bot handles the first: the question becomes her
	// draft, Lan's says who replaced it, as a draft replaced unasked did,
	// and the second tap starts nothing again.
	ask = c.say(c.group, c.nga, "/report 6 tháng")
	c.stop()
	var taps []telegramtest.Update
	for range 2 {
		u, err := c.tg.PressText(c.group, c.nga, &ask, "🔁 Thay bằng lần nhập mới")
		if err != nil {
			t.Fatal(err)
		}
		taps = append(taps, u)
	}
	c.start()
	var answers []telegramtest.CallbackAnswer
	for _, u := range taps {
		c.handled(u)
		a, _ := c.tg.AnswerOf(u.CallbackQueryID)
		answers = append(answers, a)
	}
	if answers[0].ShowAlert || answers[1].Text != "Bạn đang nhập báo cáo kỳ 6 tháng của đơn vị rồi: tiếp tục ở tin nhắn của lần nhập đó." {
		t.Fatalf("the taps were answered %+v", answers)
	}
	mine := c.message(ask.ID)
	expect(t, mine.Text, "📝 Báo cáo kỳ 6 tháng — Hội Nông dân tỉnh\nNga đang nhập", "Nội dung 1/4")
	if d := c.onlyDraft(c.nga, ask.ID); d.Step != 0 || len(d.Entries) != 0 || d.Replaced != lan.ID {
		t.Fatalf("Nga's draft %+v", d)
	}
	old := c.message(lan.ID)
	expect(t, old.Text, "⤵️ Lần nhập báo cáo kỳ 6 tháng của Hội Nông dân tỉnh đã được thay bằng lần nhập hoặc báo cáo mới hơn của Nga; chưa có gì được ghi từ tin nhắn này.")
	if len(old.Buttons) != 0 {
		t.Fatalf("Lan's replaced draft keeps its buttons %v", labels(old))
	}
	c.pressText(c.nga, mine, "✖️ Huỷ")
	c.noApology()
}

// A draft whose owner sends it (or cancels it) while the question is open
// is gone when the question is answered: replacing starts anew from the
// unit's report, saying so; nothing of the owner's is lost.
func TestDraftSentWhileAskedStartsAnewFromTheReport(t *testing.T) {
	c := newGuardCast(t)
	lan := c.say(c.group, c.lan, "/report 9 tháng")
	c.pressText(c.lan, lan, "75%")
	ask := c.say(c.group, c.nga, "/report 9 tháng")
	expect(t, ask.Text, "Lan đang nhập báo cáo kỳ 9 tháng")
	c.pressText(c.lan, c.skipToSummary(c.message(lan.ID)), "✅ Gửi báo cáo")
	rep := c.mustReport(3, "9 tháng")

	a := c.pressText(c.nga, ask, "🔁 Thay bằng lần nhập mới")
	if a.Text != "Lần nhập kia đã được gửi hoặc huỷ trong lúc chờ: lần nhập mới bắt đầu từ báo cáo hiện có của đơn vị." {
		t.Fatalf("replacing a draft sent meanwhile: %+v", a)
	}
	d := c.onlyDraft(c.nga, ask.ID)
	if len(d.Entries) != 1 || d.Entries[0] != rep.Entries[0] || d.Replaced != 0 {
		t.Fatalf("Nga's draft %+v starts not from Lan's report %+v", d, rep)
	}
	expect(t, c.message(ask.ID).Text, "Nga đang nhập", "Nội dung 1/4", "Trong lần nhập này: 75% của 50 nhà")
	if got := c.mustReport(3, "9 tháng"); got.Revision != rep.Revision {
		t.Fatalf("Lan's report changed: %+v", got)
	}
	c.noApology()
}

// Drafts that lose nothing are replaced at once, as before: one without an
// answer, one left for longer than a draft is kept, and one's own. An
// administrator posting anonymously still gets no draft, and Lan's stays.
func TestDraftsThatLoseNothingAreReplacedUnasked(t *testing.T) {
	c := newGuardCast(t)
	lan := c.say(c.group, c.lan, "/report Quý I")
	nga := c.say(c.group, c.nga, "/report Quý I")
	expect(t, nga.Text, "Nga đang nhập")
	c.onlyDraft(c.nga, nga.ID)
	expect(t, c.message(lan.ID).Text, "đã được thay bằng lần nhập hoặc báo cáo mới hơn của Nga")

	// An answer equal to the unit's report is no answer of the draft's.
	expect(t, c.say(c.group, c.lan, "/report 6 tháng\n1 25%").Text, "Đã ghi báo cáo")
	lan = c.say(c.group, c.lan, "/report 6 tháng")
	c.pressText(c.lan, lan, "25%")
	expect(t, c.say(c.group, c.nga, "/report 6 tháng").Text, "Nga đang nhập")

	// Lan's own draft with answers: replaced by her own as before.
	lan = c.say(c.group, c.lan, "/report Năm")
	c.pressText(c.lan, lan, "50%")
	again := c.say(c.group, c.lan, "/report Năm")
	expect(t, again.Text, "Lan đang nhập")

	// Nga's draft with an answer, older than a draft is kept.
	nga = c.say(c.group, c.nga, "/report 9 tháng")
	c.pressText(c.nga, nga, "50%")
	c.unchanged(func() {
		c.handled(c.tg.SendAsGroup(c.group, "/report #3 9 tháng"))
		expect(t, c.lastIn(c.group.ID).Text, "ẩn danh")
	})
	if d, ok := c.block().DraftByMessage(nga.ID); !ok || len(d.Entries) != 1 {
		t.Fatalf("the anonymous administrator touched Nga's draft: %+v", d)
	}
	c.now = c.now.Add(thidua.DraftLifetime + time.Hour)
	expect(t, c.say(c.group, c.lan, "/report 9 tháng").Text, "Lan đang nhập")
	c.noApology()
}

// The question, and the press that replaces, delivered again after a crash
// do what their first delivery did, once.
func TestDraftQuestionRedelivered(t *testing.T) {
	c := newGuardCast(t)
	lan := c.say(c.group, c.lan, "/report 6 tháng")
	c.pressText(c.lan, lan, "25%")

	u := c.tg.Send(c.group, c.nga, "/report 6 tháng")
	c.handled(u)
	ask := c.lastIn(c.group.ID)
	n := c.tg.Sent(c.group.ID)
	c.unchanged(func() { c.redeliver(u) })
	if c.tg.Sent(c.group.ID) != n {
		t.Fatalf("the question was asked again: %q", c.lastIn(c.group.ID).Text)
	}

	// The bot stored the replacement, then died before showing it.
	c.crashAfterPress(c.nga, ask, "🔁 Thay bằng lần nhập mới", func(b *thidua.Block) error {
		p, _ := b.FindPeriod("6 tháng")
		d, _ := b.DraftByMessage(lan.ID)
		nga := thidua.Actor{UserID: c.nga.ID, Name: "Nga"}
		_, err := b.StartDraft(nga, b.Units[2].ID, p.ID, d.ID, c.now)
		return err
	})
	expect(t, c.message(ask.ID).Text, "Nga đang nhập", "Nội dung 1/4")
	c.onlyDraft(c.nga, ask.ID)
	if m := c.message(lan.ID); len(m.Buttons) != 0 || !strings.Contains(m.Text, "đã được thay") {
		t.Fatalf("Lan's replaced draft: %q %v", m.Text, labels(m))
	}
	c.noApology()
}

// A question answered once its asker may no longer report for the unit,
// which was removed from the block meanwhile, or which they left, is
// refused, saying why: not answered as if the draft in the way had gone
// and a new one started, which then starts nothing.
func TestDraftQuestionOfAskerWhoMayNoLongerReport(t *testing.T) {
	for _, tc := range []struct {
		name string
		gone func(c *guardCast, lan telegramtest.Message)
		want string
	}{
		{"unit removed", func(c *guardCast, _ telegramtest.Message) {
			ask := c.say(c.group, c.admin, "/removeunit 3")
			c.press(c.group, c.admin, ask, buttonData(t, ask, "ru:"))
		}, "Đơn vị «Hội Nông dân tỉnh» đã bị xoá khỏi khối ngày 02/03/2026 (bởi Hùng)"},
		{"asker left, draft sent", func(c *guardCast, lan telegramtest.Message) {
			c.say(c.group, c.nga, "/leave")
			c.pressText(c.lan, c.skipToSummary(c.message(lan.ID)), "✅ Gửi báo cáo")
		}, "Xin lỗi, chỉ đầu mối của đơn vị mới báo cáo cho đơn vị mình"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newGuardCast(t)
			lan := c.say(c.group, c.lan, "/report 6 tháng")
			c.pressText(c.lan, lan, "25%")
			ask := c.say(c.group, c.nga, "/report 6 tháng")
			expect(t, ask.Text, "Lan đang nhập báo cáo kỳ 6 tháng")
			tc.gone(c, lan)

			var a telegramtest.CallbackAnswer
			c.unchanged(func() { a = c.pressText(c.nga, ask, "🔁 Thay bằng lần nhập mới") })
			if !a.ShowAlert || !strings.Contains(a.Text, tc.want) {
				t.Fatalf("the press was answered %+v, want an alert saying %q", a, tc.want)
			}
			if ds := c.drafts(); len(ds) != 0 {
				t.Fatalf("drafts %+v", ds)
			}
			c.noApology()
		})
	}
}
