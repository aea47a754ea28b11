package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// healthcheck asks the running bot's /healthz on HTTP_ADDR and returns the
// process exit code: 0 when healthy, 1 otherwise (Docker reserves 2),
// saying why on stderr: a bot still starting answers what it waits for
// (Telegram, at start), which Docker keeps in the container's health log.
// It serves the container health check ("thiduabot healthcheck"), since the
// final image has no shell or curl.
func healthcheck(getenv func(string) string, stderr io.Writer) int {
	addr := strings.TrimSpace(getenv("HTTP_ADDR"))
	if addr == "" {
		addr = defaultHTTPAddr
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		fmt.Fprintf(stderr, "healthcheck: HTTP_ADDR %q is not host:port\n", addr)
		return 1
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	client := http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get("http://" + net.JoinHostPort(host, port) + "/healthz")
	if err != nil {
		fmt.Fprintln(stderr, "healthcheck:", err)
		return 1
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		why, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		fmt.Fprintf(stderr, "healthcheck: %s: %s\n", resp.Status, strings.TrimSpace(string(why)))
		return 1
	}
	return 0
}
