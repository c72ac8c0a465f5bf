package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/store"
)

// syncBuffer is a buffer the command writes while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestServeRunsAndStopsInOrder starts `parkdesk serve` on port 0 with a JSON
// log, asks for a page, then sends the shutdown: the command returns
// without error once the HTTP server, the periodic work and the job client
// have stopped, the port is closed, the log holds the request, and the
// database is free for the next process.
func TestServeRunsAndStopsInOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "serve.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--db", path, "--log-format", "json", "serve", "--addr", "127.0.0.1:0"},
			func(string) string { return "" }, strings.NewReader(""), &stdout, &stderr)
	}()
	url := ""
	re := regexp.MustCompile(`serving on (http://\S+)`)
	for deadline := time.Now().Add(30 * time.Second); url == "" && time.Now().Before(deadline); {
		select {
		case err := <-done:
			t.Fatalf("serve stopped at once: %v\n%s", err, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if m := re.FindStringSubmatch(stdout.String()); m != nil {
			url = m[1]
		}
	}
	if url == "" {
		t.Fatalf("serve printed no URL:\n%s\n%s", stdout.String(), stderr.String())
	}
	resp, err := http.Get(url + "login?next=/secret-token")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /login: %s", resp.Status)
	}
	if out, _, err := runCmd(t, "health", "--url", url+"readyz"); err != nil || !strings.Contains(out, "ready: ok") {
		t.Errorf("health of a serving instance: %v %q", err, out)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after the shutdown", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("serve did not stop")
	}
	host := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")
	if conn, err := net.Dial("tcp", host); err == nil {
		conn.Close()
		t.Errorf("%s still accepts connections after serve returned", host)
	}
	if out, _, err := runCmd(t, "health", "--url", url+"readyz"); err == nil || !strings.Contains(out, "not ready") {
		t.Errorf("health of a stopped instance: %v %q", err, out)
	}
	var logged bool
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("a log line is not JSON: %q", line)
			continue
		}
		if rec["msg"] == "request" && rec["path"] == "/login" && rec["status"] == float64(200) {
			logged = true
		}
	}
	if !logged {
		t.Errorf("no request line for GET /login in the log:\n%s", stderr.String())
	}
	if strings.Contains(stderr.String(), "secret-token") {
		t.Errorf("the request log holds a query string:\n%s", stderr.String())
	}
	// Everything was closed: another process writes at once.
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	wctx, wcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer wcancel()
	if _, err := db.Exec(wctx, "UPDATE schema_migrations SET name = name"); err != nil {
		t.Errorf("the database is still held after serve returned: %v", err)
	}
}

// TestConfigShowsEverySetting checks that `parkdesk config` names the
// policy directory commands use and the log settings, and refuses bad ones.
func TestConfigShowsEverySetting(t *testing.T) {
	stdout, stderr, err := runCmd(t, "--log-level", "warn", "--policies", "../../policies", "config")
	if err != nil {
		t.Fatalf("config: %v\n%s", err, stderr)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("config printed no JSON: %v\n%s", err, stdout)
	}
	if got["policies"] != "../../policies" || got["log_level"] != "warn" || got["log_format"] != "text" {
		t.Errorf("config: %s", stdout)
	}
	// Here, in cmd/parkdesk, there is no ./policies: the library built in.
	stdout, _, err = runCmd(t, "config")
	if err != nil || !strings.Contains(stdout, `"policies": "built in"`) {
		t.Errorf("config without --policies: %v\n%s", err, stdout)
	}
	for _, args := range [][]string{{"--log-level", "loud", "config"}, {"--log-format", "xml", "config"}} {
		if _, _, err := runCmd(t, args...); err == nil {
			t.Errorf("%v was accepted", args)
		}
	}
}
