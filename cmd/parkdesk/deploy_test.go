package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The deployment files of deploy/ cannot be run here (no Docker daemon, no
// systemd as PID 1): these tests hold their structure to what
// docs/deployment.md says, and let systemd-analyze verify the units where
// it is installed. TestTwoServesOnOneDatabase runs what they describe.

// TestComposeDeployment: deploy/compose.yaml runs PostgreSQL, two or more
// parkdesk instances on it with health checks, a TLS proxy that spreads
// requests over every instance and checks /readyz, and pg_dump backups.
func TestComposeDeployment(t *testing.T) {
	raw, err := os.ReadFile("../../deploy/compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Command     any               `yaml:"command"`
			Environment map[string]string `yaml:"environment"`
			Healthcheck struct {
				Test []string `yaml:"test"`
			} `yaml:"healthcheck"`
			DependsOn any      `yaml:"depends_on"`
			Volumes   []string `yaml:"volumes"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(raw, &compose); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	pg, ok := compose.Services["postgres"]
	if !ok || !strings.HasPrefix(pg.Image, "postgres:") || len(pg.Healthcheck.Test) == 0 {
		t.Errorf("no PostgreSQL service with a health check: %+v", pg)
	}
	var instances []string
	for name, s := range compose.Services {
		if !slices.Equal(asStrings(s.Command), []string{"serve"}) {
			continue
		}
		instances = append(instances, name)
		if db := s.Environment["PARKDESK_DB"]; !strings.HasPrefix(db, "postgres://") || !strings.Contains(db, "@postgres:5432/") {
			t.Errorf("%s: PARKDESK_DB %q is not the compose file's PostgreSQL", name, db)
		}
		if h := strings.Join(s.Healthcheck.Test, " "); !strings.Contains(h, "parkdesk health") || !strings.Contains(h, "/readyz") {
			t.Errorf("%s: health check %q does not ask /readyz", name, h)
		}
		if s.Environment["PARKDESK_SECURE_COOKIES"] == "" || s.Environment["PARKDESK_CLIENT_IP_HEADER"] == "" {
			t.Errorf("%s: behind the TLS proxy, cookies must be Secure and the client's address read from its header", name)
		}
	}
	if len(instances) < 2 {
		t.Errorf("compose runs %d parkdesk instances, want two or more", len(instances))
	}
	if b := compose.Services["backup"]; !strings.Contains(strings.Join(asStrings(b.Command), " "), "pg_dump") {
		t.Errorf("no pg_dump backup service")
	}
	proxy, ok := compose.Services["proxy"]
	if !ok || !slices.ContainsFunc(proxy.Volumes, func(v string) bool { return strings.Contains(v, "Caddyfile") }) {
		t.Fatalf("no TLS proxy with the Caddyfile")
	}

	caddy, err := os.ReadFile("../../deploy/Caddyfile")
	if err != nil {
		t.Fatal(err)
	}
	upstreams := regexp.MustCompile(`(?m)^\s*reverse_proxy\s+([^{]+)\{`).FindSubmatch(caddy)
	if upstreams == nil {
		t.Fatal("the Caddyfile has no reverse_proxy")
	}
	for _, name := range instances {
		if !strings.Contains(string(upstreams[1]), name+":8080") {
			t.Errorf("the proxy does not send requests to %s", name)
		}
	}
	for _, want := range []string{"health_uri /readyz", "header_up X-Real-IP", "lb_policy least_conn"} {
		if !strings.Contains(string(caddy), want) {
			t.Errorf("the Caddyfile lacks %q", want)
		}
	}
}

func asStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// TestSystemdUnits: systemd-analyze verify accepts every unit of
// deploy/systemd (with the binary's path pointed at this test's own
// executable, as the real one is not installed here).
func TestSystemdUnits(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("../../deploy/systemd/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no units: %v", err)
	}
	dir := t.TempDir()
	var units []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.ReplaceAll(string(raw), "/usr/local/bin/parkdesk", self)), 0o644); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, "@.service") {
			name = strings.Replace(name, "@", "@8081", 1) // an instance of the template
		}
		units = append(units, "./"+name)
	}
	cmd := exec.Command(analyze, append([]string{"verify"}, units...)...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}
