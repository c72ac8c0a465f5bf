package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// TestMenusLeadOnlyWhereTheRoleMayGo: every entry of every role's menu
// opens (no 数据导入 for a department that the import page refuses), and
// each role lands on its work after signing in.
func TestMenusLeadOnlyWhereTheRoleMayGo(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	mustMatch(t, f.db, fixtureNow)
	for role, p := range f.as {
		for _, item := range navFor(p) {
			if w := f.get(t, p, "zh-CN", item.Href); w.Code != http.StatusOK {
				t.Errorf("%s's menu has %s (%s), which answers %d", role, item.Key, item.Href, w.Code)
			}
		}
	}
	for role, want := range map[auth.Role]string{
		auth.RoleEnterprise: "/portal", auth.RoleAdmin: "/admin/users", auth.RoleDepartment: "/touch",
		auth.RoleCommissioner: "/touch/today", auth.RoleLeader: "/cockpit", auth.RoleOfficer: "/dashboard",
	} {
		w := f.get(t, f.as[role], "zh-CN", "/")
		if got := w.Header().Get("Location"); w.Code != http.StatusSeeOther || got != want {
			t.Errorf("%s lands on %q (%d), want %s", role, got, w.Code, want)
		}
	}
}

// TestCommissionerAgenda: the commissioner's landing page lists today's
// visit, a visit later this week, and the to-do: a past visit not logged
// and visits the liaison has not confirmed.
func TestCommissionerAgenda(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	c := f.as[auth.RoleCommissioner]
	now := store.FormatTime(fixtureNow) // Friday 2024-05-31
	for _, v := range [][2]string{{"2024-05-31", "confirmed"}, {"2024-06-02", "proposed"}, {"2024-05-29", "confirmed"}, {"2024-06-20", "confirmed"}} {
		mustExecID(t, f.db, `INSERT INTO touch_visits (enterprise_id, commissioner_id, day, earliest, latest, status, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, f.entA, c.UserID, v[0], v[0], v[0], v[1], now, now)
	}
	body := f.get(t, c, "zh-CN", "/touch/today").Body.String()
	for _, want := range []string{`id="agenda-today"`, `id="agenda-week"`, `id="agenda-tolog"`, `id="agenda-unconfirmed"`, "待办 2 项"} {
		if !strings.Contains(body, want) {
			t.Errorf("the agenda lacks %q", want)
		}
	}
}

// TestVisitProblemsSayWhatHappens: a problem raised at a visit says it is
// waiting to become an appeal, and links the appeal once it is one.
func TestVisitProblemsSayWhatHappens(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	c := f.as[auth.RoleCommissioner]
	now := store.FormatTime(fixtureNow)
	v := mustExecID(t, f.db, `INSERT INTO touch_visits (enterprise_id, commissioner_id, day, earliest, latest, status, created_at, updated_at, done_at)
VALUES (?, ?, '2024-05-30', '2024-05-30', '2024-05-30', 'done', ?, ?, ?) RETURNING id`, f.entA, c.UserID, now, now, now)
	for _, p := range []struct {
		text   string
		appeal any
	}{{"希望简化备案流程", nil}, {"用电增容审批慢", 42}} {
		mustExecID(t, f.db, `INSERT INTO touch_problems (visit_id, enterprise_id, text, raised_by, raised_at, appeal_id)
VALUES (?, ?, ?, 'commissioner', ?, ?) RETURNING id`, v, f.entA, p.text, now, p.appeal)
	}
	body := f.get(t, c, "zh-CN", "/touch/visits/"+itoa64(v)).Body.String()
	for _, want := range []string{"已记录，待转为企业诉求", `href="/appeals/42"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the visit's problems lack %q", want)
		}
	}
}

// TestOneContactOneStop: the enterprise's page shows its commissioner
// with the phone, its liaison's contact, its visits and requests; the
// liaison's portal shows the commissioner's name and phone.
func TestOneContactOneStop(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	ctx := context.Background()
	c := f.as[auth.RoleCommissioner]
	if _, err := f.db.Exec(ctx, "UPDATE users SET phone = '0571-8765 4321' WHERE id = ?", c.UserID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Exec(ctx, `INSERT INTO outreach_contacts (enterprise_id, name, phone, updated_by, updated_at) VALUES (?, '王联络', '13800000000', 'test', ?)`,
		f.entA, store.FormatTime(fixtureNow)); err != nil {
		t.Fatal(err)
	}
	now := store.FormatTime(fixtureNow)
	mustExecID(t, f.db, `INSERT INTO touch_visits (enterprise_id, commissioner_id, day, earliest, latest, status, created_at, updated_at)
VALUES (?, ?, '2024-06-03', '2024-06-03', '2024-06-03', 'proposed', ?, ?) RETURNING id`, f.entA, c.UserID, now, now)
	body := f.get(t, f.as[auth.RoleOfficer], "zh-CN", "/enterprises/"+itoa64(f.entA)).Body.String()
	for _, want := range []string{"测试 commissioner", "0571-8765 4321", "王联络", `id="dossier-visits"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the enterprise's page lacks %q", want)
		}
	}
	portal := f.get(t, f.as[auth.RoleEnterprise], "zh-CN", "/portal").Body.String()
	if !strings.Contains(portal, "您的服务专员：测试 commissioner") || !strings.Contains(portal, "电话 0571-8765 4321") {
		t.Errorf("the portal does not show the commissioner and the phone")
	}
}

// TestDepartmentLandsOnOutcomes: a department's start page lists the
// requests it filed with what came of them.
func TestDepartmentLandsOnOutcomes(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	now := store.FormatTime(fixtureNow)
	mustExecID(t, f.db, `INSERT INTO touch_requests (enterprise_id, department_code, kind, basis, earliest, latest, on_site, status, outcome_note, filed_by, filed_at, updated_at)
VALUES (?, 'tax', 'inspection', '发票管理检查', '2024-05-01', '2024-05-20', 1, 'not_done', '账簿未备齐，限期补交', 'dept-tax', ?, ?) RETURNING id`, f.entA, now, now)
	dept := f.as[auth.RoleDepartment]
	if got := home(dept); got != "/touch" {
		t.Fatalf("a department lands on %s", got)
	}
	body := f.get(t, dept, "zh-CN", "/touch").Body.String()
	if !strings.Contains(body, "账簿未备齐，限期补交") {
		t.Errorf("the department's start page does not show the outcome of its request")
	}
}
