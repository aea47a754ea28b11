package handlers_test

import (
	"testing"

	"thiduabot/thidua"
)

// This file plays what a group with topics changes of its topics after the
// bot chose one: a rename.

// The home topic renamed: the bot hears it (forum_topic_edited), names the
// home by its new name from then on, in /history too, and keeps it when a
// later message in the topic comes with the name the topic was created
// with. A rename of another topic changes nothing.
func TestTopicsHomeRenamed(t *testing.T) {
	h := newHarness(t)
	topics := h.forum("Thông báo", "Chuyện trò")
	news, chat := topics[0], topics[1]
	withReps(h)
	h.sayIn(news, h.admin, "/hometopic")

	h.handled(h.group.RenameTopic(h.admin, news, "Tin của khối"))
	renamed := thidua.Topic{Thread: news.Thread, Name: "Tin của khối"}
	if home := h.block().Home; home != renamed {
		t.Fatalf("after the rename the home is %+v, want %+v", home, renamed)
	}
	expect(t, h.sayIn(news, h.admin, "/hometopic").Text, "Bot đã đăng các thông báo của khối vào chủ đề này rồi")
	if home := h.block().Home; home != renamed {
		t.Fatalf("a message with the topic's first name took the home back to it: %+v", home)
	}
	expect(t, h.say(h.group, h.admin, "/history 1").Text, "Hùng: đổi tên chủ đề bot đăng thông báo: «Thông báo» → «Tin của khối»")

	h.sayIn(chat, h.admin, "/hometopic")
	expect(t, h.say(h.group, h.admin, "/history 1").Text, "chọn chủ đề bot đăng thông báo: «Tin của khối» → «Chuyện trò»")
	version := h.block().Version
	h.handled(h.group.RenameTopic(h.admin, news, "Lưu trữ"))
	if b := h.block(); b.Version != version {
		t.Fatalf("the rename of a topic that is not the home changed the block: %+v", b.Home)
	}
}
