package main

import (
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"thiduabot/telegramtest"
)

// readmeProxySection is the README's section on the TLS proxy in front of
// the webhook.
const readmeProxySection = "### Webhook behind nginx or Caddy"

// readmeProxyConfig returns the configuration the README gives in the
// section readmeProxySection, in its fenced block tagged lang, with each of
// the README's example values in replace (old, new, old, new...) replaced
// with the test's. The test fails when one is no longer there, so that the
// README cannot give a configuration other than the one tested.
func readmeProxyConfig(t *testing.T, lang string, replace ...string) string {
	t.Helper()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := regexp.MustCompile(`(?s)\n` + regexp.QuoteMeta(readmeProxySection) + "\n(.*?)(?:\n#{1,3} |$)").FindSubmatch(readme)
	if section == nil {
		t.Fatalf("README.md has no section %q", readmeProxySection)
	}
	block := regexp.MustCompile("(?s)```" + lang + "\n(.*?)```").FindSubmatch(section[1])
	if block == nil {
		t.Fatalf("README.md, %q: no ```%s block", readmeProxySection, lang)
	}
	conf := string(block[1])
	for i := 0; i+1 < len(replace); i += 2 {
		if !strings.Contains(conf, replace[i]) {
			t.Fatalf("README.md, %q: the %s configuration no longer has %q, which the test replaces:\n%s", readmeProxySection, lang, replace[i], conf)
		}
		conf = strings.ReplaceAll(conf, replace[i], replace[i+1])
	}
	return conf
}

// The README's nginx configuration, run by nginx with a certificate of the
// test's, passes Telegram's deliveries and their secret token on to the
// bot, and nothing else: not /metrics nor the health checks.
func TestREADMEWebhookBehindNginx(t *testing.T) {
	bin, err := exec.LookPath("nginx")
	if err != nil {
		t.Skip("no nginx on the PATH")
	}
	webhookThroughProxy(t, func(proxyAddr, botAddr, path string) *x509.CertPool {
		dir := t.TempDir()
		key, der := newCert(t, &x509.Certificate{
			SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
			IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		}, nil, nil)
		keyDER, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
		writePEM(t, map[string]*pem.Block{certFile: {Type: "CERTIFICATE", Bytes: der}, keyFile: {Type: "PRIVATE KEY", Bytes: keyDER}})
		server := readmeProxyConfig(t, "nginx",
			"listen 443 ssl;", "listen "+proxyAddr+" ssl;",
			"/etc/ssl/certs/bot.example.org.pem", certFile,
			"/etc/ssl/private/bot.example.org.key", keyFile,
			"/tg/hook", path,
			"127.0.0.1:8080", botAddr)
		// One process (no workers to outlive it), everything it writes in
		// dir.
		conf := filepath.Join(dir, "nginx.conf")
		writeFile(t, conf, fmt.Sprintf(`master_process off;
pid %[1]s/nginx.pid;
error_log stderr;
events {}
http {
    access_log off;
    client_body_temp_path %[1]s/client_body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;
%[2]s}
`, dir, server))
		return startProxy(t, exec.Command(bin, "-p", dir, "-e", "stderr", "-c", conf, "-g", "daemon off;"), proxyAddr, certFile)
	})
}

// The README's Caddyfile, run by Caddy with a certificate from its own
// local authority instead of Let's Encrypt's, passes Telegram's
// deliveries and their secret token on to the bot, and nothing else: not
// /metrics nor the health checks.
func TestREADMEWebhookBehindCaddy(t *testing.T) {
	bin, err := exec.LookPath("caddy")
	if err != nil {
		t.Skip("no caddy on the PATH")
	}
	webhookThroughProxy(t, func(proxyAddr, botAddr, path string) *x509.CertPool {
		dir := t.TempDir()
		data := filepath.Join(dir, "data")
		site := readmeProxyConfig(t, "caddyfile",
			"bot.example.org {", proxyAddr+" {\n\tbind 127.0.0.1",
			"/tg/hook", path,
			"127.0.0.1:8080", botAddr)
		// No admin endpoint, no certificate but from Caddy's local
		// authority, not installed in the system's trust, no redirect
		// from port 80, everything written in dir.
		conf := filepath.Join(dir, "Caddyfile")
		writeFile(t, conf, fmt.Sprintf(`{
	admin off
	storage file_system %s
	local_certs
	skip_install_trust
	auto_https disable_redirects
	grace_period 1s
}

%s`, data, site))
		cmd := exec.Command(bin, "run", "--config", conf, "--adapter", "caddyfile")
		cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+data, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"))
		return startProxy(t, cmd, proxyAddr, filepath.Join(data, "pki", "authorities", "local", "root.crt"))
	})
}

// webhookThroughProxy runs the program in webhook mode behind the TLS
// proxy start starts: start is given the address the proxy serves https
// on, the bot's HTTP_ADDR and the webhook's path, and returns the
// authorities the proxy's certificate chains to, which the fake Telegram
// then trusts. A command reaches the bot through the proxy and is
// answered; through the proxy, the bot's other endpoints answer 404 and a
// delivery without the secret token is refused by the bot.
func webhookThroughProxy(t *testing.T, start func(proxyAddr, botAddr, path string) *x509.CertPool) {
	proxyAddr, botAddr, path := freeAddr(t), freeAddr(t), "/hook_thiduabot-1"
	roots := start(proxyAddr, botAddr, path)
	tg := fakeTelegram(t, telegramtest.WithWebhookRootCAs(roots))
	defer tg.Close()
	webhook := "https://" + proxyAddr + path
	var logs syncBuffer
	defer runApp(t, webhookConfig(t, tg, botAddr, webhook), &logs)()
	setUpBlock(t, tg, "Khối sau proxy", &logs)

	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}, Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()
	for _, p := range []string{"/metrics", "/healthz", "/readyz"} {
		resp, err := client.Get("https://" + proxyAddr + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s through the proxy: %s, want 404 (not passed on)", p, resp.Status)
		}
	}
	for _, secret := range []string{"", "wrong"} {
		if code := postUpdate(t, client, webhook, secret); code != http.StatusForbidden {
			t.Errorf("a delivery with secret %q through the proxy: %d, want 403 from the bot", secret, code)
		}
	}
}

// startProxy starts the proxy cmd and waits until it serves TLS on addr
// with a certificate that chains to the authority in the PEM file roots
// (which the proxy may write itself once started); it returns that
// authority. The proxy is stopped when the test ends.
func startProxy(t *testing.T, cmd *exec.Cmd, addr, roots string) *x509.CertPool {
	t.Helper()
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
			t.Errorf("%s did not stop within 5 s of SIGTERM; output:\n%s", cmd.Path, out.String())
		}
	})
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-exited:
			t.Fatalf("%s exited (%v); output:\n%s", cmd.Path, err, out.String())
		default:
		}
		pool, err := readRoots(roots)
		if err == nil {
			var conn *tls.Conn
			if conn, err = tls.DialWithDialer(&net.Dialer{Timeout: time.Second}, "tcp", addr, &tls.Config{RootCAs: pool}); err == nil {
				conn.Close()
				return pool
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s does not serve TLS on %s: %v; output:\n%s", cmd.Path, addr, err, out.String())
		}
	}
}

// readRoots reads the certificates of the PEM file name.
func readRoots(name string) (*x509.CertPool, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("no certificate in %s", name)
	}
	return pool, nil
}

// writePEM writes each block to the file it is the value of.
func writePEM(t *testing.T, files map[string]*pem.Block) {
	t.Helper()
	for name, block := range files {
		writeFile(t, name, string(pem.EncodeToMemory(block)))
	}
}

// writeFile writes text to the file name, readable by its owner only.
func writeFile(t *testing.T, name, text string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}
