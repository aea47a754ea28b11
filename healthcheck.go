package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// healthcheck asks the running bot's /healthz on HTTP_ADDR and returns the
// process exit code: 0 when healthy, 1 otherwise (Docker reserves 2). It
// serves the container health check ("thiduabot healthcheck"), since the
// final image has no shell or curl.
func healthcheck(getenv func(string) string) int {
	addr := strings.TrimSpace(getenv("HTTP_ADDR"))
	if addr == "" {
		addr = defaultHTTPAddr
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "healthcheck: HTTP_ADDR %q is not host:port\n", addr)
		return 1
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	client := http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get("http://" + net.JoinHostPort(host, port) + "/healthz")
	if err != nil {
		fmt.Fprintln(os.Stderr, "healthcheck:", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(os.Stderr, "healthcheck: status", resp.Status)
		return 1
	}
	return 0
}
