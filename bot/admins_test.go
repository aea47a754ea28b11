package bot

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestAdmins(t *testing.T) {
	f := newFake(t)
	status := map[string]string{"1": "creator", "2": "administrator", "3": "member", "4": "left"}
	f.on("getChatMember", func(v url.Values) reply {
		if v.Get("user_id") == "5" {
			return fail(http.StatusBadRequest, "Bad Request: user not found", nil)
		}
		return ok(map[string]any{"user": map[string]any{"id": 1, "first_name": "X"}, "status": status[v.Get("user_id")]})
	})
	a := NewAdmins(f.sender(), time.Hour)
	if a.ttl != maxAdminTTL {
		t.Errorf("ttl = %v, want it capped at %v", a.ttl, maxAdminTTL)
	}
	ctx := testCtx(t)
	for user, want := range map[int64]bool{1: true, 2: true, 3: false, 4: false} {
		for range 2 { // the second time from the cache
			got, err := a.IsAdmin(ctx, -100, user)
			if err != nil || got != want {
				t.Errorf("IsAdmin(user %d) = %v, %v; want %v", user, got, err, want)
			}
		}
	}
	if n := len(f.callsTo("getChatMember")); n != 4 {
		t.Errorf("getChatMember called %d times, want 4 (once per user)", n)
	}
	if _, err := a.IsAdmin(ctx, -100, 5); err == nil {
		t.Error("IsAdmin hid Telegram's error")
	}
	if got, err := a.IsAdmin(ctx, 77, 77); got || err != nil {
		t.Errorf("IsAdmin in a private chat = %v, %v", got, err)
	}
	if n := len(f.callsTo("getChatMember")); n != 5 {
		t.Errorf("getChatMember called %d times; a private chat needs no call", n)
	}

	// Without memory every question goes to Telegram.
	uncached := NewAdmins(f.sender(), 0)
	for range 2 {
		if _, err := uncached.IsAdmin(ctx, -100, 1); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(f.callsTo("getChatMember")); n != 7 {
		t.Errorf("getChatMember called %d times, want 7", n)
	}
}

// What a chat_member update tells of a user's status replaces the answer
// remembered before, without asking Telegram; an answer to a question
// asked before the update came does not replace it.
func TestAdminsLearn(t *testing.T) {
	f := newFake(t)
	var a *Admins
	f.on("getChatMember", func(v url.Values) reply {
		if v.Get("user_id") == "3" {
			// Demoted while the question was on its way.
			a.Learn(-100, 3, false, time.Now())
		}
		return ok(map[string]any{"user": map[string]any{"id": 1, "first_name": "X"}, "status": "administrator"})
	})
	a = NewAdmins(f.sender(), time.Minute)
	ctx := testCtx(t)
	expectAdmin := func(user int64, want bool, calls int) {
		t.Helper()
		got, err := a.IsAdmin(ctx, -100, user)
		if err != nil || got != want {
			t.Fatalf("IsAdmin(user %d) = %v, %v; want %v", user, got, err, want)
		}
		if n := len(f.callsTo("getChatMember")); n != calls {
			t.Fatalf("getChatMember called %d times, want %d", n, calls)
		}
	}
	t0 := time.Now()
	expectAdmin(1, true, 1)
	a.Learn(-100, 1, false, t0) // demoted
	expectAdmin(1, false, 1)
	a.Learn(-100, 2, true, t0) // promoted, never asked about
	expectAdmin(2, true, 1)
	// Told out of order (webhook requests run side by side): the change
	// made last stands, whichever was learnt last.
	a.Learn(-100, 2, false, t0.Add(2*time.Second))
	a.Learn(-100, 2, true, t0.Add(time.Second))
	expectAdmin(2, false, 1)
	expectAdmin(3, true, 2) // Telegram's answer, from before the demotion
	expectAdmin(3, false, 2)

	// Private chats have no administrators, and without memory nothing is
	// learnt.
	a.Learn(77, 77, true, time.Now())
	if got, err := a.IsAdmin(ctx, 77, 77); got || err != nil {
		t.Errorf("IsAdmin in a private chat = %v, %v", got, err)
	}
	uncached := NewAdmins(f.sender(), 0)
	uncached.Learn(-100, 4, false, time.Now())
	if got, err := uncached.IsAdmin(ctx, -100, 4); !got || err != nil {
		t.Errorf("IsAdmin without memory = %v, %v", got, err)
	}
	if n := len(f.callsTo("getChatMember")); n != 3 {
		t.Errorf("getChatMember called %d times, want 3", n)
	}
}

func TestIsAnonymousAdmin(t *testing.T) {
	group := &tgbotapi.Chat{ID: -100}
	for _, tc := range []struct {
		m    *tgbotapi.Message
		want bool
	}{
		{&tgbotapi.Message{Chat: group, SenderChat: &tgbotapi.Chat{ID: -100}}, true},
		{&tgbotapi.Message{Chat: group, SenderChat: &tgbotapi.Chat{ID: -200}}, false}, // a linked channel
		{&tgbotapi.Message{Chat: group, From: &tgbotapi.User{ID: 1}}, false},
		{nil, false},
	} {
		if got := IsAnonymousAdmin(tc.m); got != tc.want {
			t.Errorf("IsAnonymousAdmin(%+v) = %v", tc.m, got)
		}
	}
}
