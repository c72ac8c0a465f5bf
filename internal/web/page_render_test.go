package web

import (
	"bytes"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/policies"
)

// TestEveryPageRenders walks every page in both languages as every role
// allowed to see it: the page answers 200, speaks the language, and no
// message key is missing from a catalog.
func TestEveryPageRenders(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	mustMatch(t, f.db, fixtureNow)
	staff := []auth.Role{auth.RoleAdmin, auth.RoleOfficer, auth.RoleDepartment, auth.RoleCommissioner, auth.RoleLeader}
	all := append(staff, auth.RoleEnterprise)
	own := strconv.FormatInt(f.entA, 10)
	pages := []struct {
		path  string
		roles []auth.Role
		want  string // text the page must hold (in either language)
	}{
		{"/dashboard", []auth.Role{auth.RoleOfficer, auth.RoleLeader}, `data-chart=`},
		{"/enterprises", staff, "杭州示例智能科技有限公司"},
		{"/enterprises?q=示例&industry=C&sort=uscc&dir=desc", staff, "杭州示例智能科技有限公司"},
		{"/enterprises/" + own, staff, "杭州示例智能科技有限公司"},
		{"/enterprises/" + own + "/facts/revenue", []auth.Role{auth.RoleOfficer, auth.RoleLeader, auth.RoleCommissioner, auth.RoleEnterprise}, "43,000,000"},
		{"/enterprises/" + own + "/results/hnte", []auth.Role{auth.RoleOfficer, auth.RoleCommissioner}, "国科发火"},
		{"/portal/results/hnte", []auth.Role{auth.RoleEnterprise}, "国科发火"},
		{"/dictionary", all, "revenue"},
		{"/policies", all, "hnte"},
		{"/policies/hnte", all, "国科发火"},
		{"/policies/vat-refund-2022?status=undetermined", []auth.Role{auth.RoleOfficer, auth.RoleCommissioner}, ""},
		{"/import", []auth.Role{auth.RoleOfficer}, `type="file"`},
		{"/admin/users", []auth.Role{auth.RoleAdmin}, ""},
		{"/admin/audit", []auth.Role{auth.RoleAdmin}, ""},
		{"/portal", []auth.Role{auth.RoleEnterprise}, "杭州示例智能科技有限公司"},
		{"/portal/almost", []auth.Role{auth.RoleEnterprise}, ""},
		{"/portal/missing", []auth.Role{auth.RoleEnterprise}, ""},
		{"/portal/data", []auth.Role{auth.RoleEnterprise}, "43,000,000"},
	}
	langs := []struct{ accept, htmlLang, marker string }{
		{"zh-CN", `lang="zh-CN"`, "企业"},
		{"en", `lang="en"`, "Enterprises"},
	}
	for _, pg := range pages {
		for _, role := range pg.roles {
			for _, lang := range langs {
				t.Run(pg.path+"/"+string(role)+"/"+lang.accept, func(t *testing.T) {
					w := f.get(t, f.as[role], lang.accept, pg.path)
					body := w.Body.String()
					if w.Code != 200 {
						t.Fatalf("status %d, body:\n%s", w.Code, body)
					}
					if !strings.Contains(body, lang.htmlLang) {
						t.Errorf("page is not in %s", lang.accept)
					}
					if i := strings.Index(body, "⟦"); i >= 0 {
						t.Errorf("a message is missing from the catalog: %s", body[i:min(len(body), i+60)])
					}
					if pg.want != "" && !strings.Contains(body, pg.want) {
						t.Errorf("page lacks %q", pg.want)
					}
				})
			}
		}
	}
}

// TestFragments: the parts htmx swaps in come without the layout, in the
// request's language.
func TestFragments(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	officer := f.as[auth.RoleOfficer]
	tests := []struct {
		name, path, target, want string
	}{
		{"enterprise list", "/enterprises?q=示例", "enterprise-list", "杭州示例智能科技有限公司"},
		{"dictionary", "/dictionary?q=revenue", "field-list", "revenue"},
		{"fact history", "/enterprises/" + strconv.FormatInt(f.entA, 10) + "/facts/revenue", "", "43,000,000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.get(t, officer, "en", tt.path, "HX-Request", "true", "HX-Target", tt.target)
			body := w.Body.String()
			if w.Code != 200 {
				t.Fatalf("status %d", w.Code)
			}
			if strings.Contains(body, "<html") {
				t.Error("a fragment came with the layout")
			}
			if !strings.Contains(body, tt.want) {
				t.Errorf("the fragment lacks %q:\n%.500s", tt.want, body)
			}
		})
	}
	// The other enterprise is not in the list when the query does not match.
	w := f.get(t, officer, "en", "/enterprises?q=示例", "HX-Request", "true", "HX-Target", "enterprise-list")
	if strings.Contains(w.Body.String(), "杭州另一家软件有限公司") {
		t.Error("the filter let another enterprise through")
	}
}

// TestSimulateDraft uploads a draft of a shipped policy with a lower
// threshold and sees more enterprises gain the benefit than lose it.
func TestSimulateDraft(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	mustLoadMoreDemo(t, f.db)
	mustMatch(t, f.db, fixtureNow)
	raw, err := fs.ReadFile(policies.FS, "small-low-profit-2023.yaml")
	if err != nil {
		t.Fatal(err)
	}
	draft := strings.Replace(string(raw), "value: 3000000}", "value: 6000000}", 1)
	if draft == string(raw) {
		t.Fatal("the draft did not change the threshold")
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("on", fixtureNow.Format(time.DateOnly))
	fw, _ := mw.CreateFormFile("policy", "small-low-profit-2023.yaml")
	fw.Write([]byte(draft))
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, "/policies/simulate", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("Accept-Language", "zh-CN")
	w := f.serve(r, f.as[auth.RoleOfficer])
	out := w.Body.String()
	if w.Code != http.StatusOK {
		t.Fatalf("status %d\n%s", w.Code, out)
	}
	for _, want := range []string{`id="simulation"`, "草案", "现行版本", "新增符合", `data-chart=`} {
		if !strings.Contains(out, want) {
			t.Errorf("the simulation lacks %q", want)
		}
	}
	if i := strings.Index(out, "⟦"); i >= 0 {
		t.Errorf("a message is missing: %s", out[i:i+40])
	}
}
