package handlers_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"thiduabot/telegramtest"
)

// textOnly is the restriction of a group whose administrator lets the bot
// send text but not files.
var textOnly = telegramtest.Permissions{Messages: true}

// noFiles are the answers to a request for files in a group that does not
// let the bot send them: documents, then photos.
const (
	noFilesSendExport = "⚠️ Nhóm này không cho bot gửi tệp, nên bot chưa gửi được tệp bạn cần. " +
		"Quản trị viên nhóm vui lòng cho bot quyền gửi tệp (hoặc đặt bot làm quản trị viên), rồi gửi lại /export."
	noFilesPress = "⚠️ Nhóm này không cho bot gửi tệp, nên bot chưa gửi được tệp bạn cần. " +
		"Quản trị viên nhóm vui lòng cho bot quyền gửi tệp (hoặc đặt bot làm quản trị viên), rồi bấm lại nút."
	noPhotosPress = "⚠️ Nhóm này không cho bot gửi ảnh, nên bot chưa gửi được ảnh bạn cần. " +
		"Quản trị viên nhóm vui lòng cho bot quyền gửi ảnh (hoặc đặt bot làm quản trị viên), rồi bấm lại nút."
)

// notAway fails if the block records the bot away from its group, or the
// bot logged an error.
func (h *harness) notAway() {
	h.t.Helper()
	if b := h.block(); b.Schedule.Away != nil || b.Schedule.Muted {
		h.t.Fatalf("the block records the bot away from the group: %+v", b.Schedule)
	}
	if logs := h.logs.String(); logLines(logs, "ERROR") != 0 {
		h.t.Fatalf("errors logged:\n%s", logs)
	}
}

// An administrator lets the bot send text in the group but not files,
// telling it (Telegram's my_chat_member) or not: /export is answered with
// what the group lacks and how to have the files, politely, and the bot is
// not taken for muted: the next reminder goes out. Once files are allowed,
// /export sends them.
func TestExportInAGroupThatRefusesFiles(t *testing.T) {
	for _, told := range []bool{true, false} {
		t.Run(map[bool]string{true: "told", false: "silent"}[told], func(t *testing.T) {
			h := newHarness(t)
			withReps(h)
			h.say(h.group, h.admin, "/deadline 20/03/2026 | Báo cáo sơ kết")
			me := h.tg.BotUser()
			if told {
				said := len(h.tg.Messages(h.group.ID))
				h.handled(mustChange(t)(h.group.RestrictBy(me, textOnly, h.admin)))
				if n := len(h.tg.Messages(h.group.ID)); n != said {
					t.Fatalf("the bot said %d messages on being kept from sending files", n-said)
				}
			} else {
				h.group.Restrict(me, textOnly)
			}
			h.notAway()

			before := len(h.tg.Messages(h.group.ID))
			cmd := h.tg.Send(h.group, h.admin, "/export")
			h.handled(cmd)
			msgs := h.tg.Messages(h.group.ID)[before:]
			if len(msgs) != 1 || msgs[0].Document != nil || msgs[0].ReplyTo != cmd.Message.ID {
				t.Fatalf("the bot answered /export with %+v; want one reply", msgs)
			}
			if msgs[0].Text != noFilesSendExport {
				t.Fatalf("the answer: %q", msgs[0].Text)
			}
			h.notAway()
			if strings.Contains(h.logs.String(), "the bot may not post") {
				t.Fatalf("the bot took the refused file for a restriction:\n%s", h.logs.String())
			}

			got := newTicker(h).run(at(3, 16, 9, 0), at(3, 17, 12, 0), 5*time.Minute)
			if len(got) != 1 {
				t.Fatalf("the group got %v, want the reminder of 17/03", got)
			}
			expect(t, got[0].msg.Text, "Nhắc hạn: Báo cáo sơ kết")
			h.notAway()

			h.group.SetStatus(me, telegramtest.StatusMember) // files allowed again
			before = len(h.tg.Messages(h.group.ID))
			h.say(h.group, h.admin, "/xuatfile 2026")
			if msgs := h.tg.Messages(h.group.ID)[before:]; len(msgs) != 2 || msgs[0].Document == nil || msgs[1].Document == nil {
				t.Fatalf("with files allowed, /export sent %+v", msgs)
			}
		})
	}
}

// The answer names the command as it was sent, in the asker's language.
func TestExportRefusedFilesAnswerNamesTheCommandSent(t *testing.T) {
	h := newHarness(t)
	h.setUp()
	john := h.member("John", "john", telegramtest.Lang("en"))
	h.group.Restrict(h.tg.BotUser(), textOnly)
	if got := h.say(h.group, john, "/xuatfile 2026").Text; got != "⚠️ This group does not let the bot send files, so it could not send the files you asked for. "+
		"A group administrator, please allow the bot to send files (or make it an administrator), then send /xuatfile 2026 again." {
		t.Fatalf("the answer: %q", got)
	}
	h.notAway()
}

// Evidence sent again in a group that lets the bot send text but not
// files is answered, in the group, naming who pressed, with what the group
// lacks (files, or photos) and how to have it; what it allows goes out;
// the bot is not taken for muted.
func TestEvidenceResentInAGroupThatRefusesFiles(t *testing.T) {
	c := newResCast(t)
	confirm := c.say(c.group, c.lan, "/report Quý I\n1 45")
	c.handled(c.tg.SendPhoto(c.group, c.lan, &confirm, pngBytes(t), "Lễ khởi công"))
	c.handled(c.tg.SendDocument(c.group, c.lan, &confirm, "biên-bản.pdf", []byte("%PDF-1.4"), ""))
	m := c.say(c.group, c.lan, "/myreport")
	me := c.tg.BotUser()

	pressed := func(label string, may telegramtest.Permissions) []telegramtest.Message {
		t.Helper()
		c.group.Restrict(me, may)
		before := len(c.tg.Messages(c.group.ID))
		c.unchanged(func() { c.pressText(c.lan, m, label) })
		c.notAway()
		return c.tg.Messages(c.group.ID)[before:]
	}
	notice := func(msgs []telegramtest.Message, want string) {
		t.Helper()
		last := msgs[len(msgs)-1]
		if last.Document != nil || last.Photo != nil || last.Text != "Lan: "+want {
			t.Fatalf("the notice: %+v", last)
		}
		if mentions(last) != 1 || last.Entities[0].URL != fmt.Sprintf("tg://user?id=%d", c.lan.ID) {
			t.Fatalf("the notice does not mention Lan: %+v", last.Entities)
		}
	}
	msgs := pressed("📄 2", textOnly)
	if len(msgs) != 1 {
		t.Fatalf("the bot posted %+v", msgs)
	}
	notice(msgs, noFilesPress)
	msgs = pressed("📷 1", telegramtest.Permissions{Messages: true, Documents: true})
	if len(msgs) != 1 {
		t.Fatalf("the bot posted %+v", msgs)
	}
	notice(msgs, noPhotosPress)
	msgs = pressed("📎 Gửi lại tất cả", telegramtest.Permissions{Messages: true, Photos: true})
	if len(msgs) != 2 || msgs[0].Photo == nil {
		t.Fatalf("with photos allowed, the bot posted %+v; want the photo, then the notice", msgs)
	}
	notice(msgs, noFilesPress)
	c.noApology()
}

// A large block's /summary in a group that lets the bot send text but not
// files: the overview, then what the group lacks and how to have the file;
// the bot is not taken for muted.
func TestSummaryFileInAGroupThatRefusesFiles(t *testing.T) {
	c := newRegCast(t)
	longRegistration(c, "")
	c.group.Restrict(c.tg.BotUser(), textOnly)
	msgs := summaryAnswer(c, c.hoa, "/summary")
	if len(msgs) != 2 || msgs[0].Document != nil || msgs[1].Document != nil || msgs[1].ReplyTo != msgs[0].ReplyTo {
		t.Fatalf("with files refused the bot posted %+v", msgs)
	}
	expect(t, msgs[0].Text, "TỔNG HỢP ĐĂNG KÝ THI ĐUA NĂM 2026", "📎 Danh sách đầy đủ")
	if want := strings.Replace(noFilesSendExport, "/export", "/summary", 1); msgs[1].Text != want {
		t.Fatalf("the notice: %q", msgs[1].Text)
	}
	c.notAway()
	c.noApology()
}
