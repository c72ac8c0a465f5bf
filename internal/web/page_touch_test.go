package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/touch"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// touchFixture is the web fixture with the commissioner system's data: a
// tax inspection and a statistics data request for enterprise A, planned
// into a visit.
type touchFixture struct {
	*webFixture
	inspection touch.Request
	data       touch.Request
	visit      int64
}

func newTouchFixture(t *testing.T) *touchFixture {
	t.Helper()
	f := newWebFixture(t, store.SQLite)
	ctx := context.Background()
	svc := &touch.Service{DB: f.db, Now: func() time.Time { return f.nowTime }}
	day := func(s string) workday.Date {
		d, err := workday.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tf := &touchFixture{webFixture: f}
	var err error
	tf.inspection, err = svc.File(ctx, f.as[auth.RoleDepartment], touch.RequestSpec{EnterpriseID: f.entA, Kind: touch.KindInspection,
		Basis: "《税收征收管理法》第五十四条", OnSite: true, Minutes: 90, Earliest: day("2024-06-03"), Latest: day("2024-06-14"),
		CheckItems: []string{"发票领用存台账"}})
	if err != nil {
		t.Fatal(err)
	}
	tf.data, err = svc.File(ctx, f.as[auth.RoleOfficer], touch.RequestSpec{EnterpriseID: f.entA, Department: "stats", Kind: touch.KindDataReport,
		Basis: "《统计法》第七条", Earliest: day("2024-06-03"), Latest: day("2024-06-28"),
		Fields: []touch.FieldWant{{Field: "revenue", Period: "2023"}, {Field: "total_assets", Period: "2023"}}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := svc.Plan(ctx, auth.System("test"), day("2024-06-03"), day("2024-08-30"))
	if err != nil || res.NewVisits != 1 {
		t.Fatalf("plan: %+v, %v", res, err)
	}
	tf.visit = tf.request(t, tf.inspection.ID).VisitID
	return tf
}

func (tf *touchFixture) request(t *testing.T, id int64) touch.Request {
	t.Helper()
	r, err := touch.GetRequest(context.Background(), tf.db, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// post sends a form as p, around the session and CSRF middleware as get
// does.
func (f *webFixture) post(t *testing.T, p auth.Principal, path string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Accept-Language", "zh-CN")
	r = r.WithContext(auth.WithPrincipal(r.Context(), p))
	w := httptest.NewRecorder()
	withLang(f.srv.mux).ServeHTTP(w, r)
	return w
}

func TestTouchPagesRender(t *testing.T) {
	tf := newTouchFixture(t)
	req := "/touch/requests/" + strconv.FormatInt(tf.data.ID, 10)
	visit := "/touch/visits/" + strconv.FormatInt(tf.visit, 10)
	pages := []struct {
		path  string
		roles []auth.Role
		want  string
	}{
		{"/touch", []auth.Role{auth.RoleOfficer, auth.RoleDepartment, auth.RoleCommissioner}, "杭州示例智能科技有限公司"},
		{req, []auth.Role{auth.RoleOfficer, auth.RoleCommissioner}, "43000000"}, // revenue answered from the registry
		{"/touch/visits", []auth.Role{auth.RoleOfficer, auth.RoleCommissioner}, `href="` + visit + `"`},
		{visit, []auth.Role{auth.RoleOfficer, auth.RoleCommissioner, auth.RoleEnterprise}, "《税收征收管理法》第五十四条"},
		{"/touch/portfolios", []auth.Role{auth.RoleAdmin, auth.RoleOfficer}, "commissioner"},
		{"/touch/measures", []auth.Role{auth.RoleOfficer, auth.RoleLeader}, `id="total-visits"`},
		{"/portal/visits", []auth.Role{auth.RoleEnterprise}, `name="f:total_assets:2023"`},
	}
	langs := []struct{ accept, htmlLang string }{{"zh-CN", `lang="zh-CN"`}, {"en", `lang="en"`}}
	for _, pg := range pages {
		for _, role := range pg.roles {
			for _, lang := range langs {
				t.Run(pg.path+"/"+string(role)+"/"+lang.accept, func(t *testing.T) {
					w := tf.get(t, tf.as[role], lang.accept, pg.path)
					body := w.Body.String()
					if w.Code != 200 {
						t.Fatalf("status %d, body:\n%.2000s", w.Code, body)
					}
					if !strings.Contains(body, lang.htmlLang) {
						t.Errorf("page is not in %s", lang.accept)
					}
					if i := strings.Index(body, "⟦"); i >= 0 {
						t.Errorf("a message is missing from the catalog: %s", body[i:min(len(body), i+60)])
					}
					if !strings.Contains(body, pg.want) {
						t.Errorf("page lacks %q", pg.want)
					}
				})
			}
		}
	}
}

func TestTouchFormsThroughThePages(t *testing.T) {
	tf := newTouchFixture(t)
	liaison := tf.as[auth.RoleEnterprise]

	// A bad value is refused on the page, with the value typed kept.
	w := tf.post(t, liaison, "/portal/form", url.Values{"f:total_assets:2023": {"a lot"}})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `value="a lot"`) {
		t.Fatalf("bad value: status %d\n%.1500s", w.Code, w.Body.String())
	}
	w = tf.post(t, liaison, "/portal/form", url.Values{"f:total_assets:2023": {"56000000"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("form: status %d\n%.1500s", w.Code, w.Body.String())
	}
	if r := tf.request(t, tf.data.ID); r.Status != touch.StatusAnswered {
		t.Errorf("the data request is %s after the form", r.Status)
	}

	// The liaison asks for another day; the commissioner grants it.
	visit := strconv.FormatInt(tf.visit, 10)
	if w := tf.post(t, liaison, "/portal/visits/"+visit+"/ask", url.Values{"day": {"2024-06-08"}}); w.Code != http.StatusUnprocessableEntity {
		t.Errorf("asking for a Saturday: status %d", w.Code)
	}
	if w := tf.post(t, liaison, "/portal/visits/"+visit+"/ask", url.Values{"day": {"2024-06-12"}, "note": {"月中盘点"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("ask: status %d\n%.1500s", w.Code, w.Body.String())
	}
	commissioner := tf.as[auth.RoleCommissioner]
	if w := tf.post(t, commissioner, "/touch/visits/"+visit+"/reschedule", url.Values{"day": {"2024-06-12"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("reschedule: status %d\n%.1500s", w.Code, w.Body.String())
	}
	if r := tf.request(t, tf.inspection.ID); r.VisitDay.String() != "2024-06-12" || r.VisitStatus != touch.VisitConfirmed {
		t.Errorf("after granting the day: %s %s", r.VisitDay, r.VisitStatus)
	}

	// An officer sets a park's quiet rules; a window written wrong is refused.
	officer := tf.as[auth.RoleOfficer]
	park := strconv.FormatInt(tf.parkA, 10)
	if w := tf.post(t, officer, "/touch/rules", url.Values{"park": {park}, "windows": {"weekdays"}}); w.Code != http.StatusUnprocessableEntity {
		t.Errorf("bad quiet window: status %d", w.Code)
	}
	if w := tf.post(t, officer, "/touch/rules", url.Values{"park": {park}, "windows": {"1-20"}, "monthly_cap": {"2"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("rules: status %d\n%.1500s", w.Code, w.Body.String())
	}
	if w := tf.get(t, officer, "en", "/touch/portfolios"); !strings.Contains(w.Body.String(), "1–20") {
		t.Errorf("the portfolios page does not show the park's quiet days")
	}

	// A department files from the page; a bad window comes back with its problem.
	dept := tf.as[auth.RoleDepartment]
	form := url.Values{"uscc": {enterprise.MakeUSCC("330106", 1)}, "kind": {"visit"}, "basis": {"走访"}, "earliest": {"2024-06-20"},
		"latest": {"2024-06-10"}, "minutes": {"30"}, "on_site": {"1"}}
	if w := tf.post(t, dept, "/touch/requests", form); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `<span title="window">时段</span>`) {
		t.Errorf("backwards window: status %d\n%.1500s", w.Code, w.Body.String())
	}
	form.Set("latest", "2024-06-28")
	w = tf.post(t, dept, "/touch/requests", form)
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/touch/requests/") {
		t.Fatalf("filing: status %d\n%.1500s", w.Code, w.Body.String())
	}
}
