package web

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// postProjectFile uploads one file to the projects' import as p.
func (f *webFixture) postProjectFile(t *testing.T, p auth.Principal, name, content string) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(content))
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, "/projects/import", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("Accept-Language", "zh-CN")
	return f.serve(r, p)
}

const webProjectsCSV = `项目编号,项目名称,投资方,行业代码,阶段,预计产值,园区
P1,新能源电池项目,杭州示例智能科技有限公司,C3841,在谈,5亿,hq
P2,智能装备项目,乙公司,C3491,推介,,coop
`

// TestProjectPages imports through the page and walks the projects, the
// cockpit, the monthly report and its workbook in both languages as the
// officer and the leader.
func TestProjectPages(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	officer, leader := f.as[auth.RoleOfficer], f.as[auth.RoleLeader]
	for _, file := range []struct{ name, content string }{
		{"projects.csv", webProjectsCSV},
		{"signings.csv", "code,signed_on,total_investment\nP1,2023-03-10,3亿\nP1,2024-03-01,3.5亿\nP2,2024-04-02,8000万\n"},
		{"funds.csv", "code,month,funds_in_place\nP1,2023-05,2000万\nP1,2024-05,1.34亿\n"},
	} {
		w := f.postProjectFile(t, officer, file.name, file.content)
		if w.Code != 200 || !strings.Contains(w.Body.String(), "已导入") {
			t.Fatalf("import %s: %d\n%.2000s", file.name, w.Code, w.Body.String())
		}
	}
	// A bad file is refused with its row, and writes nothing.
	w := f.postProjectFile(t, officer, "bad.csv", "code,month,funds_in_place\nP1,2024-06,100\nP9,2024-06,100\n")
	if w.Code != 422 || !strings.Contains(w.Body.String(), "P9") {
		t.Errorf("bad file: %d\n%.3000s", w.Code, w.Body.String())
	}
	// The leader reads but may not import.
	if w := f.postProjectFile(t, leader, "projects.csv", webProjectsCSV); w.Code != 403 {
		t.Errorf("leader import: %d", w.Code)
	}

	pages := []struct {
		path  string
		roles []auth.Role
		want  []string
	}{
		{"/projects", []auth.Role{auth.RoleOfficer, auth.RoleLeader}, []string{"新能源电池项目"}},
		{"/projects/P1", []auth.Role{auth.RoleOfficer, auth.RoleLeader}, []string{"2023", "5"}},
		{"/cockpit?period=2024-05", []auth.Role{auth.RoleOfficer, auth.RoleLeader}, []string{"data-chart=", "570"}},
		{"/cockpit?period=2024-05&park=hq", []auth.Role{auth.RoleOfficer, auth.RoleLeader}, []string{"570"}},
		{"/cockpit/report?period=2024-05", []auth.Role{auth.RoleLeader}, []string{"570"}},
	}
	for _, pg := range pages {
		for _, role := range pg.roles {
			for _, lang := range []string{"zh-CN", "en"} {
				w := f.get(t, f.as[role], lang, pg.path)
				body := w.Body.String()
				if w.Code != 200 {
					t.Fatalf("%s as %s in %s: %d\n%.2000s", pg.path, role, lang, w.Code, body)
				}
				if i := strings.Index(body, "⟦"); i >= 0 {
					t.Errorf("%s in %s: a message is missing: %s", pg.path, lang, body[i:min(len(body), i+60)])
				}
				for _, s := range pg.want {
					if !strings.Contains(body, s) {
						t.Errorf("%s as %s in %s lacks %q", pg.path, role, lang, s)
					}
				}
				if lang == "zh-CN" && (strings.Contains(body, ">negotiating<") || strings.Contains(body, ">signed<")) {
					t.Errorf("%s shows a raw stage code in Chinese", pg.path)
				}
			}
		}
	}
	// In Chinese, money is in 万 and 亿.
	if body := f.get(t, leader, "zh-CN", "/cockpit?period=2024-05").Body.String(); !strings.Contains(body, "1.34亿元") {
		t.Errorf("the cockpit does not write funds in 亿元")
	}
	w = f.get(t, leader, "zh-CN", "/cockpit/report.xlsx?period=2024-05")
	if w.Code != 200 || !bytes.HasPrefix(w.Body.Bytes(), []byte("PK")) {
		t.Errorf("xlsx: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	// The API gives the same figures as the command.
	w = f.get(t, leader, "en", "/api/v1/indicators?period=2024-05")
	var rep struct {
		Indicators []struct {
			ID     string `json:"id"`
			Value  any    `json:"value"`
			YoYPct any    `json:"yoy_pct"`
		} `json:"indicators"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &rep); err != nil {
		t.Fatal(err, w.Body.String())
	}
	found := false
	for _, v := range rep.Indicators {
		if v.ID == "funds_in_place" {
			found = v.Value == "134000000.00" && v.YoYPct == "570.0"
		}
	}
	if !found {
		t.Errorf("API report: %s", w.Body.String())
	}
}
