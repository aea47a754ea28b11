package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"thiduabot/storage"
	"thiduabot/storage/storagetest"
)

// redisServer is a redis-server of a test's own, on a free loopback port,
// with an append-only file in a temporary directory (fsync on every write, as
// docker-compose.yml runs it), so that it keeps its data across a stop and
// a start.
type redisServer struct {
	t    *testing.T
	bin  string
	dir  string
	port string
	cmd  *exec.Cmd
	exit chan error
}

// startRedisServer starts a redis-server, stopped when the test ends. It
// skips the test if there is no redis-server on the PATH.
func startRedisServer(t *testing.T) *redisServer {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("no redis-server on the PATH")
	}
	addr := freeAddr(t)
	s := &redisServer{t: t, bin: bin, dir: t.TempDir(), port: addr[strings.LastIndex(addr, ":")+1:]}
	s.start()
	t.Cleanup(func() {
		if s.cmd != nil {
			s.stop()
		}
	})
	return s
}

// url is the server's redis:// URL.
func (s *redisServer) url() string { return "redis://127.0.0.1:" + s.port + "/0" }

// start starts the server and waits until it answers.
func (s *redisServer) start() {
	s.t.Helper()
	s.cmd = exec.Command(s.bin, "--port", s.port, "--bind", "127.0.0.1", "--dir", s.dir,
		"--save", "", "--appendonly", "yes", "--appendfsync", "always")
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.exit = make(chan error, 1)
	go func(cmd *exec.Cmd, exit chan<- error) { exit <- cmd.Wait() }(s.cmd, s.exit)
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + s.port})
	defer client.Close()
	deadline := time.Now().Add(10 * time.Second)
	for client.Ping(context.Background()).Err() != nil {
		if time.Now().After(deadline) {
			s.t.Fatalf("redis-server on port %s does not answer", s.port)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop stops the server as an operator would (SIGTERM: it writes its
// append-only file out and exits) and waits for it to exit.
func (s *redisServer) stop() {
	s.t.Helper()
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exit:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		s.t.Error("redis-server did not stop on SIGTERM")
	}
	s.cmd = nil
}

// testRedis returns a Redis URL and a key prefix of the test's own: the
// Redis of TEST_REDIS_URL (its keys under the prefix deleted at the end),
// else a redis-server the test starts, else it skips the test.
func testRedis(t *testing.T) (url, prefix string) {
	if url = os.Getenv(storagetest.RedisURLEnv); url != "" {
		_, prefix = storagetest.Redis(t)
		return url, prefix
	}
	return startRedisServer(t).url(), fmt.Sprintf("thiduatest:%d:", time.Now().UnixNano())
}

// openStore opens a store of the test's own on url and prefix, as the
// program under test sees them.
func openTestStore(t *testing.T, url, prefix string) *storage.Redis {
	t.Helper()
	st, err := storage.OpenRedis(url, prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// redis5 starts a stand-in for a Redis 5 (or older) server without a
// password, as far as a client connecting to it sees: it does not know
// HELLO, refuses AUTH as Redis 5 does ("ERR Client sent AUTH, but no
// password is set"), and answers anything else OK. It returns its address;
// it stops when the test ends.
func redis5(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return serve(t, l, func(conn net.Conn) {
		r := bufio.NewReader(conn)
		for {
			args, err := readCommand(r)
			if err != nil {
				return
			}
			answer := "+OK\r\n"
			switch strings.ToUpper(args[0]) {
			case "HELLO":
				answer = "-ERR unknown command 'HELLO'\r\n"
			case "AUTH":
				answer = "-ERR Client sent AUTH, but no password is set\r\n"
			}
			if _, err := io.WriteString(conn, answer); err != nil {
				return
			}
		}
	})
}

// serve hands each connection l accepts to handle, in a goroutine of its
// own, and closes it once handle returns. It returns l's address; l is
// closed when the test ends.
func serve(t *testing.T, l net.Listener, handle func(net.Conn)) string {
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				handle(conn)
			}()
		}
	}()
	return l.Addr().String()
}

// startTLSRedisServer starts a redis-server that speaks TLS only, on a
// free loopback port, with a certificate for "localhost" signed by an
// authority of the test's own, and no client certificate asked; it returns
// the port and the authority's certificate in a PEM file. It stops when the
// test ends; without redis-server on the PATH the test is skipped.
func startTLSRedisServer(t *testing.T) (port, caFile string) {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("no redis-server on the PATH")
	}
	dir := t.TempDir()
	caKey, caDER := newCert(t, &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "thiduabot test CA"},
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}, nil, nil)
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	key, der := newCert(t, &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"}, DNSNames: []string{"localhost"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, ca, caKey)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*pem.Block{
		"ca.pem":     {Type: "CERTIFICATE", Bytes: caDER},
		"server.pem": {Type: "CERTIFICATE", Bytes: der},
		"server.key": {Type: "PRIVATE KEY", Bytes: keyDER},
	}
	for name, block := range files {
		if err := os.WriteFile(filepath.Join(dir, name), pem.EncodeToMemory(block), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	addr := freeAddr(t)
	port = addr[strings.LastIndex(addr, ":")+1:]
	cmd := exec.Command(bin, "--port", "0", "--tls-port", port, "--bind", "127.0.0.1", "--dir", dir, "--save", "",
		"--tls-cert-file", filepath.Join(dir, "server.pem"), "--tls-key-file", filepath.Join(dir, "server.key"),
		"--tls-ca-cert-file", filepath.Join(dir, "ca.pem"), "--tls-auth-clients", "no")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	client := redis.NewClient(&redis.Options{Addr: "localhost:" + port, TLSConfig: &tls.Config{RootCAs: roots, ServerName: "localhost"}})
	defer client.Close()
	for deadline := time.Now().Add(10 * time.Second); client.Ping(context.Background()).Err() != nil; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("redis-server with TLS on port %s does not answer", port)
		}
	}
	return port, filepath.Join(dir, "ca.pem")
}

// newCert makes a key and a certificate of tmpl for it, signed by parent
// with parentKey, or by itself when parent is nil, valid for the hour
// around now.
func newCert(t *testing.T, tmpl, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*ecdsa.PrivateKey, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	return key, der
}

// tlsServer starts a server that speaks TLS only, with a certificate of
// its own, as a Redis with TLS alone (port 0, tls-port set) does: it
// completes the handshake of a client that speaks TLS, then closes the
// connection, and closes any other once the handshake fails. It returns
// its address; it stops when the test ends.
func tlsServer(t *testing.T) string {
	t.Helper()
	key, der := newCert(t, &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "redis"}, DNSNames: []string{"localhost"}}, nil, nil)
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}})
	if err != nil {
		t.Fatal(err)
	}
	return serve(t, l, func(conn net.Conn) { _ = conn.(*tls.Conn).Handshake() })
}

// readCommand reads one command a Redis client sends (a RESP array of bulk
// strings) and returns its words.
func readCommand(r *bufio.Reader) ([]string, error) {
	line := func() (int, error) {
		s, err := r.ReadString('\n')
		if err != nil || len(s) < 3 {
			return 0, fmt.Errorf("RESP line %q: %v", s, err)
		}
		return strconv.Atoi(strings.TrimSpace(s[1:]))
	}
	n, err := line()
	if err != nil || n < 1 {
		return nil, fmt.Errorf("RESP array of %d: %v", n, err)
	}
	args := make([]string, n)
	for i := range args {
		size, err := line()
		if err != nil {
			return nil, err
		}
		b := make([]byte, size+2)
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, err
		}
		args[i] = string(b[:size])
	}
	return args, nil
}
