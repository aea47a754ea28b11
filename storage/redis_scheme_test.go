package storage_test

import (
	"errors"
	"testing"

	"github.com/redis/go-redis/v9"

	"thiduabot/storage"
	"thiduabot/storage/storagetest"
)

// A rediss:// URL at a Redis that answers in plain text is a wrong scheme
// when the PING over TLS failed without an answer, but not when the server
// answered it with an error of Redis's own (LOADING, NOAUTH…): such a
// server spoke the URL's scheme, as some servers speak both on one port,
// and stopping the bot at start for it would take a passing outage for a
// wrong setting.
func TestRedisSchemeWrongOnlyWhenTheServerDidNotAnswer(t *testing.T) {
	mr, _ := storagetest.Miniredis(t)
	mr.RequireAuth("Zq8xWv7kPm3t")
	client := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	defer client.Close()
	answered := client.Ping(t.Context()).Err() // NOAUTH: an answer of Redis's own
	var re redis.Error
	if !errors.As(answered, &re) {
		t.Fatalf("PING without the password: %v, not a Redis error", answered)
	}
	url := "rediss://" + mr.Addr() + "/0"
	if !storage.RedisSchemeWrong(t.Context(), url, errors.New("EOF")) {
		t.Error("a plain Redis at a rediss:// URL whose PING got no answer is not taken for a wrong scheme")
	}
	if storage.RedisSchemeWrong(t.Context(), url, answered) {
		t.Error("a server that answered the PING with a Redis error is taken for one that speaks another scheme")
	}
}
