package telegramtest_test

import (
	"crypto/x509"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"thiduabot/telegramtest"
)

// hookRecorder is a webhook endpoint that refuses the first failures
// deliveries and records every delivery.
type hookRecorder struct {
	mu       sync.Mutex
	failures int
	ids      []int
	secrets  []string
}

func (h *hookRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var u tgbotapi.Update
	if err := json.NewDecoder(r.Body).Decode(&u); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ids = append(h.ids, u.UpdateID)
	h.secrets = append(h.secrets, r.Header.Get(telegramtest.SecretTokenHeader))
	if h.failures > 0 {
		h.failures--
		http.Error(w, "busy", http.StatusInternalServerError)
	}
}

func (h *hookRecorder) deliveries() ([]int, []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.ids), slices.Clone(h.secrets)
}

func TestWebhookDeliversInOrderWithSecretAndRetries(t *testing.T) {
	srv := newServer(t, telegramtest.WithWebhookRetry(time.Millisecond, 5*time.Millisecond))
	bot := newBot(t, srv)
	hook := &hookRecorder{failures: 2}
	target := httptest.NewServer(hook)
	defer target.Close()

	if _, err := bot.MakeRequest("setWebhook", tgbotapi.Params{"url": target.URL, "secret_token": "s3cr3t"}); err != nil {
		t.Fatalf("setWebhook: %v", err)
	}
	lan := srv.NewUser("Lan", "lan_tw")
	a := srv.SendPrivate(lan, "one")
	b := srv.SendPrivate(lan, "two")
	if err := srv.WaitConfirmed(b.ID, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	gotIDs, secrets := hook.deliveries()
	if want := []int{a.ID, a.ID, a.ID, b.ID}; !slices.Equal(gotIDs, want) {
		t.Errorf("deliveries = %v, want %v (two refusals retried, then in order)", gotIDs, want)
	}
	for _, s := range secrets {
		if s != "s3cr3t" {
			t.Errorf("secret header = %q, want s3cr3t", s)
		}
	}

	info, err := bot.GetWebhookInfo()
	if err != nil {
		t.Fatal(err)
	}
	if info.URL != target.URL || info.PendingUpdateCount != 0 || info.LastErrorMessage == "" || info.LastErrorDate == 0 {
		t.Errorf("webhook info = %+v, want the URL, nothing pending and the last error", info)
	}

	mustFail(t, srv, "getUpdates", nil, http.StatusConflict,
		"Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")

	if _, err := bot.Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		t.Fatalf("deleteWebhook: %v", err)
	}
	c := srv.SendPrivate(lan, "three")
	if got := getUpdates(t, srv, nil); !slices.Equal(ids(got), []int{c.ID}) {
		t.Errorf("getUpdates after deleteWebhook = %v, want [%d]", ids(got), c.ID)
	}
	if gotIDs, _ := hook.deliveries(); len(gotIDs) != 4 {
		t.Errorf("webhook got %d deliveries after deleteWebhook, want none more", len(gotIDs)-4)
	}
}

func TestWebhookDropPendingAndValidation(t *testing.T) {
	srv := newServer(t)
	lan := srv.NewUser("Lan", "")
	srv.SendPrivate(lan, "old")
	hook := &hookRecorder{}
	target := httptest.NewServer(hook)
	defer target.Close()

	mustFail(t, srv, "setWebhook", url.Values{"url": {"ftp://example.com"}}, http.StatusBadRequest, "Bad Request: bad webhook")
	mustFail(t, srv, "setWebhook", url.Values{"url": {target.URL}, "secret_token": {"bad token!"}}, http.StatusBadRequest, "Bad Request: secret token")
	mustOK(t, srv, "setWebhook", url.Values{"url": {target.URL}, "drop_pending_updates": {"true"}})
	if srv.Pending() != 0 {
		t.Errorf("Pending = %d after drop_pending_updates, want 0", srv.Pending())
	}
	upd := srv.SendPrivate(lan, "new")
	if err := srv.WaitConfirmed(upd.ID, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if got, secrets := hook.deliveries(); !slices.Equal(got, []int{upd.ID}) || secrets[0] != "" {
		t.Errorf("deliveries = %v %q, want only the new update, without secret", got, secrets)
	}
	// An empty URL removes the webhook.
	mustOK(t, srv, "setWebhook", url.Values{"url": {""}})
	getUpdates(t, srv, nil)
}

// Deliveries to an https webhook trust the authorities WithWebhookRootCAs
// gives, as Telegram trusts the public ones: without them, a certificate
// the test made is refused, the update stays pending and getWebhookInfo
// says why; with them, the update is delivered.
func TestWebhookTrustsTheRootCAsGiven(t *testing.T) {
	hook := &hookRecorder{}
	target := httptest.NewUnstartedServer(hook)
	target.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	target.StartTLS()
	defer target.Close()
	roots := x509.NewCertPool()
	roots.AddCert(target.Certificate())

	untrusting := newServer(t)
	bot := newBot(t, untrusting)
	mustOK(t, untrusting, "setWebhook", url.Values{"url": {target.URL}})
	untrusting.SendPrivate(untrusting.NewUser("Lan", ""), "hello")
	deadline := time.Now().Add(5 * time.Second)
	for {
		info, err := bot.GetWebhookInfo()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(info.LastErrorMessage, "certificate") && info.PendingUpdateCount == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("webhook info = %+v, want the certificate refused and the update pending", info)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got, _ := hook.deliveries(); len(got) != 0 {
		t.Fatalf("delivered %v through an untrusted certificate", got)
	}

	trusting := newServer(t, telegramtest.WithWebhookRootCAs(roots))
	mustOK(t, trusting, "setWebhook", url.Values{"url": {target.URL}})
	upd := trusting.SendPrivate(trusting.NewUser("Lan", ""), "hello")
	if err := trusting.WaitConfirmed(upd.ID, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if got, _ := hook.deliveries(); !slices.Equal(got, []int{upd.ID}) {
		t.Errorf("deliveries = %v, want %d", got, upd.ID)
	}
}
