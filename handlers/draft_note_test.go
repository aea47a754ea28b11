package handlers_test

import (
	"testing"

	"thiduabot/telegramtest"
)

// TestDraftLevelKeepsTheNote: in a report filled in step by step, a level
// button replaces a pledge's value but keeps its note, the one the unit's
// report had (the draft starts from it) or one replied in the draft, and
// says so in the press's answer; the note is shown at the step, in the
// summary and sent with the report. A reply, which gives the value and
// the note, replaces both: a reply without a note drops it.
func TestDraftLevelKeepsTheNote(t *testing.T) {
	c := newResCast(t)
	expect(t, c.say(c.group, c.lan, "/report Quý I\n1 45 đã khởi công 5 nhà\n2 35% đạt kế hoạch").Text, "Đã ghi báo cáo kỳ Quý I")
	w := c.say(c.group, c.lan, "/baocao Quý I")
	// press has Lan press the button labelled label under the draft, and
	// returns her answer, the draft's message w updated.
	press := func(label string) telegramtest.CallbackAnswer {
		t.Helper()
		a := c.pressText(c.lan, w, label)
		w = c.message(w.ID)
		return a
	}
	// answer has Lan reply text to the draft, its message w updated.
	answer := func(text string) {
		t.Helper()
		c.reply(c.lan, w, text)
		w = c.message(w.ID)
	}
	expect(t, w.Text, "Nội dung 1/4: Vận động xây nhà đại đoàn kết", "Trong lần nhập này: 45 nhà / 50 nhà (90%) — đã khởi công 5 nhà")

	a := press("100%")
	if a.ShowAlert || a.Text != "Đã giữ ghi chú «đã khởi công 5 nhà». Muốn bỏ ghi chú: bấm «◀️ Quay lại» rồi trả lời tin nhắn bằng giá trị không kèm ghi chú." {
		t.Fatalf("the press's answer: %+v", a)
	}
	expect(t, w.Text, "Nội dung 2/4: Hộ sản xuất kinh doanh giỏi", "Trong lần nhập này: 35% / 40% (88%) — đạt kế hoạch")
	d := c.block().Results.Drafts[0]
	if e, ok := d.Entry(d.Pledges[0]); !ok || e.Value != 100 || !e.OfTarget || e.Note != "đã khởi công 5 nhà" {
		t.Fatalf("the level stored as %+v", e)
	}

	// A note replied in the draft is kept by a level too; a level on a
	// pledge without a note says nothing.
	answer("36 % vượt kế hoạch")
	press("◀️ Quay lại")
	expect(t, w.Text, "Nội dung 2/4", "Trong lần nhập này: 36% / 40% (90%) — vượt kế hoạch")
	expect(t, press("75%").Text, "Đã giữ ghi chú «vượt kế hoạch».")
	if a := press("50%"); a.Text != "" {
		t.Fatalf("a level without a note to keep: %+v", a)
	}

	// A reply without a note drops the note.
	press("◀️ Quay lại")
	press("◀️ Quay lại")
	expect(t, w.Text, "Nội dung 2/4", "Trong lần nhập này: 75% của 40% — vượt kế hoạch")
	answer("38%")
	press("Giữ nguyên ▶️")
	press("Bỏ qua ▶️")
	expect(t, w.Text, "Kiểm tra lại rồi bấm Gửi báo cáo:", "1. Vận động xây nhà đại đoàn kết — 100% của 50 nhà — đã khởi công 5 nhà",
		"2. Hộ sản xuất kinh doanh giỏi — 38% / 40% (95%)\n")
	c.pressText(c.lan, w, "✅ Gửi báo cáo")
	r := c.mustReport(3, "Quý I")
	if len(r.Entries) != 3 || r.Entries[0].Note != "đã khởi công 5 nhà" || r.Entries[0].Value != 100 || r.Entries[1].Note != "" {
		t.Fatalf("sent %+v", r.Entries)
	}
}
