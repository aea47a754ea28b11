package main

import (
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// readmeSetting finds a row of the README's configuration table: the
// variable and its default cell.
var readmeSetting = regexp.MustCompile("^\\| `([A-Z][A-Z0-9_]*)` \\| ([^|]*) \\|")

// readmeDefault finds a default written as a value: `value`.
var readmeDefault = regexp.MustCompile("^`([^`]*)`$")

// readSettings returns what loadConfig reads with the token set and the
// variables of set: the configuration, written out so that two can be
// compared (a time zone by its name), and the names of the variables read.
func readSettings(t *testing.T, set ...string) (string, map[string]bool) {
	t.Helper()
	env := env(append([]string{"TELEGRAM_BOT_TOKEN", testToken}, set...)...)
	read := map[string]bool{}
	c, err := loadConfig(func(k string) string { read[k] = true; return env(k) })
	if err != nil {
		t.Fatalf("with %v: %v", set, err)
	}
	return fmt.Sprintf("%+v", c), read
}

// The README's configuration table is the operators' reference: it lists
// exactly the variables the program reads (the bot and its healthcheck
// command), each with the default it has (a
// variable set to its documented default changes nothing), and the
// Dockerfile and docker-compose.yml set only those variables and run the
// binary with no argument but healthcheck.
func TestREADMEConfigurationTable(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	defaults, read := readSettings(t)
	for _, line := range strings.Split(string(readme), "\n") {
		m := readmeSetting.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		name, def := m[1], strings.TrimSpace(m[2])
		documented[name] = true
		switch v := readmeDefault.FindStringSubmatch(def); {
		case def == "(required)":
			if _, err := loadConfig(func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), name) {
				t.Errorf("README says %s is required; without it: %v", name, err)
			}
		case def == "(empty)":
		case v == nil:
			t.Errorf("README gives %s the default %q: write a value in backticks, (empty) or (required)", name, def)
		default:
			if got, _ := readSettings(t, name, v[1]); got != defaults {
				t.Errorf("README says %s defaults to %q, but setting it so changes the configuration:\n%s\n%s", name, v[1], defaults, got)
			}
		}
	}
	// The healthcheck command reads its settings too (asking an address no
	// one listens on, it fails at once).
	closed := freeAddr(t)
	healthcheck(func(k string) string {
		read[k] = true
		return env("HTTP_ADDR", closed)(k)
	}, io.Discard)
	if !maps.Equal(documented, read) {
		t.Errorf("README documents %v; the program reads %v", slices.Sorted(maps.Keys(documented)), slices.Sorted(maps.Keys(read)))
	}

	files := map[string]*regexp.Regexp{
		"Dockerfile":         regexp.MustCompile(`(?m)^(?:ENV|\s+)\s*([A-Z][A-Z0-9_]*)=`),
		"docker-compose.yml": regexp.MustCompile(`(?m)^\s+#?\s*([A-Z][A-Z0-9_]*):`),
	}
	args := regexp.MustCompile(`"/thiduabot"((?:,\s*"[^"]*")*)`)
	for file, setting := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		found := setting.FindAllStringSubmatch(string(text), -1)
		if len(found) == 0 {
			t.Errorf("%s sets no variable: the test no longer reads it", file)
		}
		for _, m := range found {
			if !documented[m[1]] {
				t.Errorf("%s sets %s, which the program does not read", file, m[1])
			}
		}
		for _, m := range args.FindAllStringSubmatch(string(text), -1) {
			if a := strings.TrimSpace(m[1]); a != "" && a != `, "healthcheck"` {
				t.Errorf("%s runs the binary with %s; it takes no argument but healthcheck", file, a)
			}
		}
	}
}

// The image and the compose file use the paths, ports and user the binary
// and the README name: the Dockerfile's DATA_DIR is its volume, owned by the
// user it runs as (whose id the README gives to chown a host folder), and
// the folder the README's docker run mounts; the binary the build makes is
// the one the entrypoint and both health checks run; the port the image
// exposes is its HTTP_ADDR's, and the port compose publishes, on the
// address the README says, is compose's HTTP_ADDR's; the image is built
// with the Go release go.mod asks for, since the golang image sets
// GOTOOLCHAIN=local: a golang:1.26 pulled before that release came out
// would refuse to build.
func TestImageAndComposeMatchTheBinary(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	docker, compose, readme, gomod := read("Dockerfile"), read("docker-compose.yml"), read("README.md"), read("go.mod")
	find := func(file, text, pattern string) []string {
		m := regexp.MustCompile(pattern).FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("%s: nothing matches %s", file, pattern)
		}
		return m
	}
	port := func(file, text string) string {
		_, p, err := net.SplitHostPort(strings.Trim(find(file, text, `HTTP_ADDR[=:]\s*(\S+)`)[1], `"`))
		if err != nil {
			t.Fatalf("%s: HTTP_ADDR: %v", file, err)
		}
		return p
	}

	dataDir := find("Dockerfile", docker, `(?m)^(?:ENV|\s+)\s*DATA_DIR=(\S+)`)[1]
	owner := find("Dockerfile", docker, `COPY --from=build --chown=(\S+) \S+ `+regexp.QuoteMeta(dataDir)+`\n`)[1]
	bin := find("Dockerfile", docker, `go build .* -o (\S+) `)[1]
	exe := find("Dockerfile", docker, `COPY --from=build `+regexp.QuoteMeta(bin)+` (\S+)\n`)[1]
	published := find("docker-compose.yml", compose, `(?m)^\s+- "([0-9.]+):(\d+):(\d+)"$`)
	goVersion := find("go.mod", gomod, `(?m)^go (\S+)$`)[1]
	for what, ok := range map[string]bool{
		"Dockerfile: builds with go.mod's Go":            find("Dockerfile", docker, `(?m)^FROM golang:(\S+)-bookworm AS build$`)[1] == goVersion,
		"Dockerfile: VOLUME is DATA_DIR":                 strings.Contains(docker, `VOLUME ["`+dataDir+`"]`),
		"Dockerfile: runs as nonroot, the data's owner":  strings.Contains(docker, "USER nonroot:nonroot") && strings.Contains(docker, "distroless/static-debian12:nonroot") && owner == "65532:65532",
		"README: chown as the Dockerfile":                strings.Contains(readme, "sudo chown "+owner+" "),
		"README: docker run mounts DATA_DIR":             strings.Contains(readme, "-v thiduabot-data:"+dataDir+" thiduabot"),
		"Dockerfile: entrypoint is the binary":           strings.Contains(docker, `ENTRYPOINT ["`+exe+`"]`),
		"Dockerfile: health check runs the binary":       strings.Contains(docker, `CMD ["`+exe+`", "healthcheck"]`),
		"compose: health check runs the binary":          strings.Contains(compose, `test: ["CMD", "`+exe+`", "healthcheck"]`),
		"Dockerfile: EXPOSE is HTTP_ADDR's port":         strings.Contains(docker, "EXPOSE "+port("Dockerfile", docker)+"\n"),
		"compose: publishes HTTP_ADDR's port":            published[3] == port("docker-compose.yml", compose),
		"README: compose publishes on the address given": strings.Contains(readme, "published on `"+published[1]+":"+published[2]+"` only"),
		"compose: Redis as the README says":              strings.Contains(compose, `"--appendonly", "yes", "--appendfsync", "always"`) && strings.Contains(readme, "`appendonly yes` and `appendfsync always`"),
	} {
		if !ok {
			t.Errorf("%s: no longer so", what)
		}
	}
}
