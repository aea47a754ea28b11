package thidua

import (
	"errors"
	"testing"
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
