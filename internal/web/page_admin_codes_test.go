package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
)

func init() {
	signIn := 303
	routeTable = append(routeTable,
		routeRow{pattern: "GET /admin/codes", method: "GET", path: "/admin/codes", want: every(403).but(200, "admin").but(signIn, "anonymous", "token")},
		routeRow{pattern: "POST /admin/codes/{kind}", method: "POST", path: "/admin/codes/tag",
			form: url.Values{"code": {"route-table"}, "name_zh": {"路由表"}}, want: every(403).but(303, "admin").but(401, "anonymous")},
		routeRow{pattern: "POST /admin/codes/{kind}", method: "POST", path: "/admin/codes/colour",
			form: url.Values{"code": {"red"}, "name_zh": {"红"}}, want: every(403).but(404, "admin").but(401, "anonymous")},
		routeRow{pattern: "POST /admin/codes/{kind}/{code}", method: "POST", path: "/admin/codes/park/no-such-park",
			form: url.Values{"code": {"no-such-park"}, "name_zh": {"无"}}, want: every(403).but(404, "admin").but(401, "anonymous")},
	)
}

// TestAdminKeepsCodes: an admin creates a park, a department and a tag in
// the console, renames one and changes a code; a duplicate or a malformed
// code is refused with the form kept; each change is audited, and only
// admins see the page in their menu.
func TestAdminKeepsCodes(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	ctx := context.Background()
	admin, officer := f.as[auth.RoleAdmin], f.as[auth.RoleOfficer]

	body := f.get(t, admin, "zh-CN", "/admin/codes").Body.String()
	for _, want := range []string{`href="/admin/codes"`, "新建园区", "新建部门", "新建标签", `action="/admin/codes/park"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the codes page lacks %q", want)
		}
	}
	if body := f.get(t, officer, "zh-CN", "/dashboard").Body.String(); strings.Contains(body, `href="/admin/codes"`) {
		t.Error("an officer's menu offers the codes page")
	}

	w := f.post(t, admin, "/admin/codes/park", url.Values{"code": {"west-bank"}, "name_zh": {"西岸园区"}, "name_en": {"West Bank Park"}})
	if w.Code != 303 || !strings.Contains(w.Header().Get("Location"), "saved=west-bank") {
		t.Fatalf("create a park: status %d, location %q\n%s", w.Code, w.Header().Get("Location"), w.Body)
	}
	if body := f.get(t, admin, "zh-CN", "/admin/codes?saved=west-bank").Body.String(); !strings.Contains(body, "西岸园区") || !strings.Contains(body, "已保存") {
		t.Error("the new park is not listed with the saved notice")
	}

	w = f.post(t, admin, "/admin/codes/park", url.Values{"code": {"west-bank"}, "name_zh": {"另一个西岸"}})
	if w.Code != 409 || !strings.Contains(w.Body.String(), `value="另一个西岸"`) {
		t.Errorf("a duplicate park code: status %d, want 409 with the form kept", w.Code)
	}
	w = f.post(t, admin, "/admin/codes/department", url.Values{"code": {"Tax Bureau"}, "name_zh": {""}})
	if w.Code != 422 || !strings.Contains(w.Body.String(), `value="Tax Bureau"`) {
		t.Errorf("a malformed department: status %d, want 422 with the form kept", w.Code)
	}

	w = f.post(t, admin, "/admin/codes/park/west-bank", url.Values{"code": {"west-shore"}, "name_zh": {"西岸科技园"}})
	if w.Code != 303 {
		t.Fatalf("rename a park: status %d\n%s", w.Code, w.Body)
	}
	p, err := enterprise.GetPark(ctx, f.db, "west-shore")
	if err != nil || p.NameZh != "西岸科技园" {
		t.Errorf("after the rename: %+v (%v)", p, err)
	}
	if _, err := enterprise.GetPark(ctx, f.db, "west-bank"); err == nil {
		t.Error("the old park code is still there")
	}
	for action, want := range map[string]int{"park.create": 1, "park.update": 1, "department.create": 0} {
		var n int
		if err := f.db.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = ?", action).Scan(&n); err != nil || n != want {
			t.Errorf("audit entries %s: %d (%v), want %d", action, n, err, want)
		}
	}
	if w := f.post(t, officer, "/admin/codes/park", url.Values{"code": {"sneaky"}, "name_zh": {"偷建"}}); w.Code != 403 {
		t.Errorf("an officer creating a park: status %d, want 403", w.Code)
	}
}

func init() {
	routeTable = append(routeTable, routeRow{pattern: "POST /dictionary/fields", method: "POST", path: "/dictionary/fields",
		form: url.Values{"name": {"route_table_field"}, "label_zh": {"路由表字段"}, "label_en": {"Route table field"}, "type": {"integer"},
			"shape": {"annual"}, "department": {"stats"}, "sensitivity": {"internal"}},
		want: every(403).but(303, "admin").but(401, "anonymous")})
}

// TestAdminAddsAField: the dictionary page offers admins, and only them, a
// form that adds a field; a refused field keeps what was typed, an added one
// is listed, audited and in the dictionary the importers read.
func TestAdminAddsAField(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	ctx := context.Background()
	admin, officer := f.as[auth.RoleAdmin], f.as[auth.RoleOfficer]
	if body := f.get(t, admin, "zh-CN", "/dictionary").Body.String(); !strings.Contains(body, `action="/dictionary/fields"`) {
		t.Error("the admin's dictionary page has no form to add a field")
	}
	if body := f.get(t, officer, "zh-CN", "/dictionary").Body.String(); strings.Contains(body, `action="/dictionary/fields"`) {
		t.Error("an officer is offered the form to add a field")
	}
	field := url.Values{"name": {"green_rating"}, "label_zh": {"绿色评级"}, "label_en": {"Green rating"}, "type": {"enum"},
		"shape": {"annual"}, "department": {"stats"}, "sensitivity": {"public"}, "enum": {"a、b，c"}}
	bad := url.Values{}
	for k, v := range field {
		bad[k] = v
	}
	bad.Set("enum", "")
	if w := f.post(t, admin, "/dictionary/fields", bad); w.Code != 422 || !strings.Contains(w.Body.String(), `value="绿色评级"`) {
		t.Errorf("an enum field without choices: status %d, want 422 with the form kept", w.Code)
	}
	if w := f.post(t, admin, "/dictionary/fields", field); w.Code != 303 {
		t.Fatalf("add a field: status %d\n%s", w.Code, w.Body)
	}
	if body := f.get(t, admin, "zh-CN", "/dictionary?added=green_rating&q=green_rating").Body.String(); !strings.Contains(body, "绿色评级") || !strings.Contains(body, "已新增字段") {
		t.Error("the new field is not listed with the notice")
	}
	dict, err := facts.LoadDictionary(ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := dict.Field("green_rating"); !ok || len(got.Enum) != 3 || got.Department != "stats" {
		t.Errorf("the dictionary holds %+v (%v), want an enum of three choices owned by stats", got, ok)
	}
	var n int
	if err := f.db.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'field.create' AND object_id = 'green_rating'").Scan(&n); err != nil || n != 1 {
		t.Errorf("audit entries of the addition: %d (%v), want 1", n, err)
	}
	if w := f.post(t, admin, "/dictionary/fields", field); w.Code != 409 {
		t.Errorf("the same field again: status %d, want 409", w.Code)
	}
}
