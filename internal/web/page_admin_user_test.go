package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// TestAdminResetsAndChangesRole: the admin's list has a reset-password and
// a change-role button per account; the reset shows a one-time link, the
// change takes effect, and both are audited.
func TestAdminResetsAndChangesRole(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	ctx := context.Background()
	admin, officer := f.as[auth.RoleAdmin], f.as[auth.RoleOfficer]
	id := itoa64(officer.UserID)
	body := f.get(t, admin, "zh-CN", "/admin/users").Body.String()
	for _, want := range []string{`action="/admin/users/` + id + `/reset"`, `action="/admin/users/` + id + `"`, "重置密码", "修改角色与范围"} {
		if !strings.Contains(body, want) {
			t.Errorf("the user list lacks %q", want)
		}
	}
	w := f.post(t, admin, "/admin/users/"+id+"/reset", url.Values{})
	if w.Code != 200 || !strings.Contains(w.Body.String(), "/account/reset?token=") {
		t.Fatalf("reset: status %d\n%s", w.Code, w.Body)
	}
	w = f.post(t, admin, "/admin/users/"+id, url.Values{"role": {"commissioner"}, "phone": {"0571-8888 1234"}})
	if w.Code != 303 {
		t.Fatalf("change role: status %d\n%s", w.Code, w.Body)
	}
	u, err := f.srv.deps.Auth.User(ctx, officer.UserID)
	if err != nil || u.Role != auth.RoleCommissioner || u.Phone != "0571-8888 1234" {
		t.Errorf("after the change: %+v (%v), want a commissioner with the phone", u, err)
	}
	for _, action := range []string{"user.link_reset", "user.update"} {
		var n int
		if err := f.db.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = ? AND object_id = ?", action, id).Scan(&n); err != nil || n != 1 {
			t.Errorf("audit entries %s: %d (%v), want 1", action, n, err)
		}
	}
	if w := f.post(t, officer, "/admin/users/"+id, url.Values{"role": {"admin"}}); w.Code != 403 {
		t.Errorf("an officer changing a role: status %d, want 403", w.Code)
	}
}
