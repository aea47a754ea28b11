package bot

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// An answer that is not the Bot API's JSON (the HTML page of a proxy in the
// way) fails with a NotJSONError naming its status and content type, not
// the page nor the token; JSON from a server that does not say it sends
// JSON is read as usual.
func TestAnswerThatIsNotJSON(t *testing.T) {
	var answer func(w http.ResponseWriter)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { answer(w) }))
	defer srv.Close()
	connect := func() error {
		_, err := NewAPI(Config{Token: testToken, APIEndpoint: srv.URL + "/bot%s/%s", Log: discard()})
		return err
	}

	answer = func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html><body>Bad Gateway from the proxy</body></html>")
	}
	err := connect()
	var nj *NotJSONError
	if !errors.As(err, &nj) || nj.Status != http.StatusBadGateway || nj.ContentType != "text/html" {
		t.Fatalf("NewAPI: %v, want a NotJSONError of 502 text/html", err)
	}
	if s := err.Error(); leaks(s) || strings.Contains(s, "proxy") || !strings.Contains(s, "HTTP 502 Bad Gateway (Content-Type text/html), not JSON") {
		t.Fatalf("error %q", s)
	}

	answer = func(w http.ResponseWriter) {
		w.Header()["Content-Type"] = nil // not sniffed
		_, _ = io.WriteString(w, "\n "+`{"ok":true,"result":{"id":123456789,"is_bot":true,"first_name":"B","username":"b_bot"}}`)
	}
	if err := connect(); err != nil {
		t.Fatalf("NewAPI on JSON without a content type: %v", err)
	}
}
