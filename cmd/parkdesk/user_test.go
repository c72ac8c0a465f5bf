package main

import (
	"bytes"
	"context"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// runCLI runs parkdesk in process with args on the SQLite file db.
func runCLI(t *testing.T, db, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(string) string { return "" }
	err := run(context.Background(), append([]string{"--db", db}, args...), getenv, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

var linkPattern = regexp.MustCompile(`https://park\.example\.cn/account/reset\?token=(\S+)`)

func TestUserAndTokenCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "parkdesk.db")
	out, _, err := runCLI(t, db, "violet sky over hangzhou\n", "user", "add", "--login", "Root@Park.cn", "--name", "管理员", "--role", "admin", "--password-stdin")
	if err != nil || !strings.Contains(out, "created admin user root@park.cn") {
		t.Fatalf("user add admin: %q, %v", out, err)
	}
	out, _, err = runCLI(t, db, "", "user", "add", "--login", "zhang@tax.cn", "--role", "department", "--department", "tax",
		"--base-url", "https://park.example.cn/")
	if err != nil {
		t.Fatalf("user add with invitation: %v", err)
	}
	m := linkPattern.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no invitation link in %q", out)
	}
	invite, err := url.QueryUnescape(m[1])
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		stdin    string
		args     []string
		wantOut  string
		wantCode apperr.Code // "" for success
	}{
		{"weak first password", "password123\n", []string{"user", "add", "--login", "x", "--role", "admin", "--password-stdin"}, "", apperr.Invalid},
		{"login taken", "", []string{"user", "add", "--login", "ROOT@park.cn", "--role", "officer"}, "", apperr.Conflict},
		{"unknown department", "", []string{"user", "add", "--login", "y", "--role", "department", "--department", "nope"}, "", apperr.Invalid},
		{"unknown enterprise", "", []string{"user", "add", "--login", "z", "--role", "enterprise", "--enterprise", "91330106MA2GL1234M"}, "", apperr.NotFound},
		{"list", "", []string{"user", "list"}, "zhang@tax.cn", ""},
		{"list shows the invited state", "", []string{"user", "list"}, "invited", ""},
		{"reset link", "", []string{"user", "reset", "zhang@tax.cn", "--base-url", "https://park.example.cn"}, "https://park.example.cn/account/reset?token=", ""},
		{"reset of nobody", "", []string{"user", "reset", "nobody"}, "", apperr.NotFound},
		{"disable", "", []string{"user", "disable", "zhang@tax.cn"}, "disabled zhang@tax.cn", ""},
		{"list shows it disabled", "", []string{"user", "list"}, "disabled", ""},
		{"enable", "", []string{"user", "enable", "zhang@tax.cn"}, "enabled zhang@tax.cn", ""},
		{"token with the admin role", "", []string{"token", "create", "--name", "x", "--role", "admin"}, "", apperr.Invalid},
		{"token", "", []string{"token", "create", "--name", "tax-sync", "--role", "department", "--department", "tax", "--days", "30"}, "pdk_", ""},
		{"token list", "", []string{"token", "list"}, "tax-sync", ""},
		{"token revoke", "", []string{"token", "revoke", "1"}, "revoked API token 1", ""},
		{"token list shows it revoked", "", []string{"token", "list"}, "revoked", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := runCLI(t, db, tt.stdin, tt.args...)
			if tt.wantCode != "" {
				if apperr.CodeOf(err) != tt.wantCode {
					t.Fatalf("error %v (code %s), want code %s", err, apperr.CodeOf(err), tt.wantCode)
				}
				return
			}
			if err != nil || !strings.Contains(out, tt.wantOut) {
				t.Fatalf("out %q, err %v; want %q in the output", out, err, tt.wantOut)
			}
		})
	}
	for _, args := range [][]string{{"user"}, {"user", "frobnicate"}, {"user", "reset"}, {"token", "revoke", "x"}, {"user", "add", "--role", "admin"}} {
		if _, _, err := runCLI(t, db, "", args...); !strings.Contains(errString(err), "usage") {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}

	// The invitation printed by user add sets the department user's password.
	sdb, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	svc := auth.NewService(sdb)
	if _, err := svc.UseLink(context.Background(), invite, "a fine tax password", ""); apperr.CodeOf(err) != apperr.NotFound {
		// user reset issued a newer link, which replaced the invitation.
		t.Fatalf("the replaced invitation: %v, want not found", err)
	}
	if _, _, err := svc.Login(context.Background(), auth.Credentials{Login: "root@park.cn", Password: "violet sky over hangzhou"}, ""); err != nil {
		t.Fatalf("the first admin cannot sign in: %v", err)
	}
	out, _, err = runCLI(t, db, "", "user", "add", "--login", "li@park.cn", "--role", "leader", "--base-url", "https://park.example.cn")
	if err != nil {
		t.Fatal(err)
	}
	m = linkPattern.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no invitation link in %q", out)
	}
	link, _ := url.QueryUnescape(m[1])
	if _, err := svc.UseLink(context.Background(), link, "a fine leader password", ""); err != nil {
		t.Fatalf("the printed invitation: %v", err)
	}
	if _, _, err := svc.Login(context.Background(), auth.Credentials{Login: "li@park.cn", Password: "a fine leader password"}, ""); err != nil {
		t.Fatalf("the invited leader cannot sign in: %v", err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
