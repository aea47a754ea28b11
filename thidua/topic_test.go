package thidua

import (
	"errors"
	"testing"
	"time"
)

func TestHomeTopic(t *testing.T) {
	b := laoCai(t)
	b.TakeEvents()
	news := Topic{Thread: 12, Name: "Thông báo"}
	if _, err := b.MoveHome(lan, news, t0); !errors.Is(err, ErrForbidden) || b.Home != (Topic{}) {
		t.Fatalf("a member moved the home topic: %v, %+v", err, b.Home)
	}
	if changed, err := b.MoveHome(admin, news, t0); !changed || err != nil || b.Home != news {
		t.Fatalf("MoveHome = %v, %v; home %+v", changed, err, b.Home)
	}
	if ev := b.TakeEvents(); len(ev) != 1 || ev[0].Action != "topic.home" || ev[0].Before != "General" || ev[0].After != "Thông báo" || ev[0].ActorID != admin.UserID {
		t.Fatalf("events %+v", ev)
	}
	// The same topic again: nothing to record, whether its name is known or not.
	for _, same := range []Topic{news, {Thread: 12}} {
		if changed, err := b.MoveHome(admin, same, t0); changed || err != nil || b.Home != news || len(b.TakeEvents()) != 0 {
			t.Fatalf("moving the home to itself (%+v) = %v, %v; home %+v", same, changed, err, b.Home)
		}
	}
	// A topic whose name is unknown is labelled by its thread.
	if changed, _ := b.MoveHome(admin, Topic{Thread: 30}, t0); !changed || b.TakeEvents()[0].After != "#30" {
		t.Fatal("the move to a topic without its name was not recorded by its thread")
	}
	// Its name learnt later is kept without a record.
	if changed, _ := b.MoveHome(admin, Topic{Thread: 30, Name: "Họp"}, t0); !changed || b.Home.Name != "Họp" || len(b.TakeEvents()) != 0 {
		t.Fatalf("the home's name learnt: %+v", b.Home)
	}

	// Telegram says another topic is gone: nothing changes; the home's: General.
	if b.LoseHome(12, t0) || b.LoseHome(0, t0) || b.Home.Thread != 30 {
		t.Fatalf("losing another topic changed the home: %+v", b.Home)
	}
	if !b.LoseHome(30, t0) || b.Home != (Topic{}) {
		t.Fatalf("the home topic lost: %+v", b.Home)
	}
	if ev := b.TakeEvents(); len(ev) != 1 || ev[0].Action != "topic.lost" || ev[0].Before != "Họp" || ev[0].After != "General" || ev[0].ActorName != SystemActor.Name {
		t.Fatalf("events %+v", ev)
	}

	// The group upgraded to a supergroup: the old chat's topics are none of the new one's.
	if _, err := b.MoveHome(admin, news, t0); err != nil {
		t.Fatal(err)
	}
	if b.MoveChat(b.ChatID); b.Home != news {
		t.Fatalf("moving to the same chat forgot the home: %+v", b.Home)
	}
	if b.MoveChat(b.ChatID - 1); b.Home != (Topic{}) {
		t.Fatalf("the home topic survived the move to another chat: %+v", b.Home)
	}
}

// The group's topics turned off: the bot posts in General, keeping its
// home topic, without history; on again, in the home topic.
func TestTopicsTurnedOffKeepTheHome(t *testing.T) {
	b := laoCai(t)
	news := Topic{Thread: 12, Name: "Thông báo"}
	if _, err := b.MoveHome(admin, news, t0); err != nil {
		t.Fatal(err)
	}
	b.TakeEvents()
	if b.NoteTopics(true, t0) || b.HomeThread() != 12 {
		t.Fatalf("topics on, noted on: home thread %d", b.HomeThread())
	}
	if !b.NoteTopics(false, t0) || b.NoteTopics(false, t0.Add(time.Hour)) || !b.Schedule.TopicsOff.Equal(t0) {
		t.Fatalf("topics off noted at %v", b.Schedule.TopicsOff)
	}
	if b.HomeThread() != 0 || b.Home != news || len(b.TakeEvents()) != 0 {
		t.Fatalf("topics off: home thread %d, home %+v", b.HomeThread(), b.Home)
	}
	if !b.NoteTopics(true, t0) || b.HomeThread() != 12 || !b.Schedule.TopicsOff.IsZero() {
		t.Fatalf("topics on again: home thread %d", b.HomeThread())
	}
	b.NoteTopics(false, t0)
	if b.MoveChat(b.ChatID - 1); !b.Schedule.TopicsOff.IsZero() {
		t.Fatal("the old chat's topics off went with the block to the new chat")
	}
}

// General closed: the bot may not post its news while General is where
// it posts, and the managers are told once per closing.
func TestGeneralClosed(t *testing.T) {
	b := laoCai(t)
	b.TakeEvents()
	if b.NoteGeneral(true, t0) || b.GeneralHomeClosed() || b.TellGeneralClosed() {
		t.Fatal("General open, noted open: the home is closed")
	}
	if !b.NoteGeneral(false, t0) || b.NoteGeneral(false, t0.Add(time.Hour)) || !b.Schedule.GeneralClosed.Equal(t0) || !b.GeneralHomeClosed() {
		t.Fatalf("General closed, noted at %v", b.Schedule.GeneralClosed)
	}
	if !b.TellGeneralClosed() || b.TellGeneralClosed() || len(b.TakeEvents()) != 0 {
		t.Fatal("the managers are not told once, without history")
	}
	// The home in a topic: General closed is no matter.
	if _, err := b.MoveHome(admin, Topic{Thread: 12}, t0); err != nil || b.GeneralHomeClosed() {
		t.Fatalf("the home in a topic is closed with General: %v", err)
	}
	// Reopened: open, and a later closing is told anew.
	if !b.NoteGeneral(true, t0) || !b.Schedule.GeneralClosed.IsZero() || b.Schedule.GeneralClosedTold {
		t.Fatalf("General reopened: %+v", b.Schedule)
	}
	if _, err := b.MoveHome(admin, Topic{}, t0); err != nil {
		t.Fatal(err)
	}
	if b.NoteGeneral(false, t0); !b.TellGeneralClosed() {
		t.Fatal("General closed again, the managers are not told")
	}
	// Topics turned off: a group without topics has no closed General.
	if !b.NoteTopics(false, t0) || b.GeneralHomeClosed() || !b.Schedule.GeneralClosed.IsZero() || b.Schedule.GeneralClosedTold {
		t.Fatalf("topics off, General is still closed: %+v", b.Schedule)
	}
	b.NoteTopics(true, t0)
	if b.NoteGeneral(false, t0); !b.TellGeneralClosed() {
		t.Fatal("General closed once topics are back, the managers are not told")
	}
	if b.MoveChat(b.ChatID - 1); b.GeneralHomeClosed() || b.Schedule.GeneralClosedTold {
		t.Fatal("the old chat's General closed went with the block to the new chat")
	}
}
