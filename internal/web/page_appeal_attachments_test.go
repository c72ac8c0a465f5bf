package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/appeal"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

func init() {
	signIn := 303
	routeTable = append(routeTable,
		routeRow{pattern: "POST /appeals/{id}/attachments", method: "POST", path: "/appeals/999999/attachments", form: url.Values{"confidential": {"on"}},
			want: every(404).but(401, "anonymous").but(403, "token")},
		routeRow{pattern: "GET /appeals/{id}/attachments/{att}", method: "GET", path: "/appeals/999999/attachments/1",
			want: every(404).but(signIn, "anonymous", "token")})
}

// uploadAs posts a file to path as p, as the browser's form does.
func (f *webFixture) uploadAs(t *testing.T, p auth.Principal, path, name string, data []byte, fields ...string) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField(csrfField, "checked by the middleware, not here")
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, path, &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("Accept-Language", "zh-CN")
	r = r.WithContext(auth.WithPrincipal(r.Context(), p))
	w := httptest.NewRecorder()
	withLang(f.srv.mux).ServeHTTP(w, r)
	return w
}

// TestAppealAttachments: the liaison attaches a photo and a confidential
// contract from the portal; officers download them as attachments (never
// shown inline); a department the appeal is not routed to does not find
// them; a page disguised as a photo is refused with the form shown again.
func TestAppealAttachments(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	ctx := context.Background()
	liaison, officer, dept := f.as[auth.RoleEnterprise], f.as[auth.RoleOfficer], f.as[auth.RoleDepartment]
	id, err := f.srv.appealService().File(ctx, liaison, appeal.Spec{EnterpriseID: f.entA, Category: "policy", Title: "厂区门前道路积水", Body: "雨后积水严重"})
	if err != nil {
		t.Fatal(err)
	}
	base := "/appeals/" + strconv.FormatInt(id, 10)
	photo := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)
	w := f.uploadAs(t, liaison, base+"/attachments", "积水照片.png", photo)
	if w.Code != 303 || w.Header().Get("Location") != "/portal"+base+"#attachments" {
		t.Fatalf("upload a photo: status %d, location %q\n%s", w.Code, w.Header().Get("Location"), w.Body)
	}
	if w := f.uploadAs(t, liaison, base+"/attachments", "租赁合同.pdf", []byte("%PDF-1.7\n"), "confidential", "on"); w.Code != 303 {
		t.Fatalf("upload a contract: status %d\n%s", w.Code, w.Body)
	}
	page := f.get(t, liaison, "zh-CN", "/portal"+base).Body.String()
	for _, want := range []string{"积水照片.png", "租赁合同.pdf", "保密", `enctype="multipart/form-data"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the portal's appeal page lacks %q", want)
		}
	}

	list, err := f.srv.appealService().Attachments(ctx, officer, id)
	if err != nil || len(list) != 2 {
		t.Fatalf("the officer lists %d attachments (%v), want 2", len(list), err)
	}
	w = f.get(t, officer, "zh-CN", base+"/attachments/"+strconv.FormatInt(list[0].ID, 10))
	if w.Code != 200 || !bytes.Equal(w.Body.Bytes(), photo) || w.Header().Get("Content-Type") != "image/png" ||
		!strings.HasPrefix(w.Header().Get("Content-Disposition"), "attachment;") {
		t.Errorf("download: status %d, type %q, disposition %q, %d bytes", w.Code, w.Header().Get("Content-Type"), w.Header().Get("Content-Disposition"), w.Body.Len())
	}
	if w := f.get(t, dept, "zh-CN", base+"/attachments/"+strconv.FormatInt(list[0].ID, 10)); w.Code != 404 {
		t.Errorf("a department the appeal is not routed to downloads it: status %d", w.Code)
	}

	w = f.uploadAs(t, liaison, base+"/attachments", "photo.png", []byte("<html><script>alert(1)</script>"))
	if w.Code != 422 || !strings.Contains(w.Body.String(), `id="att-file"`) {
		t.Errorf("a page disguised as a photo: status %d, want 422 with the form", w.Code)
	}
}
