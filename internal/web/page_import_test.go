package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/store"
)

// postFiles posts files to path as p, around the session and CSRF
// middleware (routes_test.go covers those), in lang.
func (f *webFixture) postFiles(t *testing.T, p auth.Principal, path string, files map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for name, content := range files {
		w, err := mw.CreateFormFile("files", name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, path, &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("Accept-Language", "en")
	return f.serve(r, p)
}

func (f *webFixture) postForm(t *testing.T, p auth.Principal, path, form string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Accept-Language", "en")
	return f.serve(r, p)
}

func (f *webFixture) serve(r *http.Request, p auth.Principal) *httptest.ResponseRecorder {
	r = r.WithContext(auth.WithPrincipal(r.Context(), p))
	w := httptest.NewRecorder()
	withLang(f.srv.mux).ServeHTTP(w, r)
	return w
}

func countEnterprises(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), "SELECT COUNT(*) FROM enterprises").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

var stageField = regexp.MustCompile(`name="stage" value="([A-Z2-7]+)"`)

func TestImportDryRunThenConfirm(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	officer := f.as[auth.RoleOfficer]
	good := enterprise.MakeUSCC("330106", 77)
	csv := "uscc,name,registered_on,industry_code,park,tags\n" +
		good + ",杭州新导入科技有限公司,2020-01-02,I6513,hq,\n"
	before := countEnterprises(t, f.db)

	w := f.postFiles(t, officer, "/import", map[string]string{"new.csv": csv})
	if w.Code != http.StatusOK {
		t.Fatalf("dry run: status %d\n%s", w.Code, w.Body)
	}
	m := stageField.FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatalf("the dry run offers no confirmation:\n%s", w.Body)
	}
	if got := countEnterprises(t, f.db); got != before {
		t.Fatalf("the dry run wrote: %d enterprises, had %d", got, before)
	}
	// Another user cannot confirm someone else's upload.
	if w := f.postForm(t, f.as[auth.RoleOfficer], "/import/confirm", "stage=NOTTHEID"); w.Code != http.StatusConflict {
		t.Errorf("confirming an unknown upload: status %d", w.Code)
	}
	other := officer
	other.UserID = 99
	if w := f.postForm(t, other, "/import/confirm", "stage="+m[1]); w.Code != http.StatusConflict {
		t.Errorf("confirming another officer's upload: status %d", w.Code)
	}
	w = f.postForm(t, officer, "/import/confirm", "stage="+m[1])
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "The data has been written.") {
		t.Fatalf("confirm: status %d\n%s", w.Code, w.Body)
	}
	if got := countEnterprises(t, f.db); got != before+1 {
		t.Errorf("after the import: %d enterprises, want %d", got, before+1)
	}
	// A confirmation is used once.
	if w := f.postForm(t, officer, "/import/confirm", "stage="+m[1]); w.Code != http.StatusConflict {
		t.Errorf("confirming twice: status %d", w.Code)
	}
}

func TestImportBadRowWritesNothing(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	good := enterprise.MakeUSCC("330106", 78)
	bad := good[:17] + "0" // a wrong check digit
	if bad == good {
		bad = good[:17] + "1"
	}
	csv := "uscc,name,registered_on,industry_code,park,tags\n" +
		good + ",杭州好行科技有限公司,2020-01-02,I6513,hq,\n" +
		bad + ",杭州坏行科技有限公司,2020-01-02,I6513,hq,\n"
	before := countEnterprises(t, f.db)
	w := f.postFiles(t, f.as[auth.RoleOfficer], "/import", map[string]string{"mixed.csv": csv})
	body := w.Body.String()
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d\n%s", w.Code, body)
	}
	for _, want := range []string{"mixed.csv", "row 3", bad, "check digit", "Nothing was written"} {
		if !strings.Contains(body, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if stageField.MatchString(body) {
		t.Error("a report with problems offers a confirmation")
	}
	if got := countEnterprises(t, f.db); got != before {
		t.Errorf("%d enterprises after a bad import, had %d", got, before)
	}
}

func TestImportIsForZoneOfficersOnly(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	parkOfficer := f.as[auth.RoleOfficer]
	parkOfficer.ParkID = f.parkA
	for name, p := range map[string]auth.Principal{
		"department":   f.as[auth.RoleDepartment],
		"admin":        f.as[auth.RoleAdmin],
		"park officer": parkOfficer,
		"enterprise":   f.as[auth.RoleEnterprise],
		"commissioner": f.as[auth.RoleCommissioner],
	} {
		t.Run(name, func(t *testing.T) {
			if w := f.postFiles(t, p, "/import", map[string]string{"x.csv": "uscc,field,period,value\n"}); w.Code != http.StatusForbidden {
				t.Errorf("status %d, want 403", w.Code)
			}
		})
	}
}
