package web

import (
	"bytes"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/store"
)

// A refused form or import, read in Chinese, says what is wrong in
// Chinese: the refusal's message and each problem's reason come through
// the refusal catalog, the field by its label (L.Refusal, Page.FieldName).
// The scan is the one TestBrowserEveryRole applies to whole pages, here
// on the refusal's part of the page as a reader sees it.

var (
	refusalBlock = regexp.MustCompile(`(?s)<div class="notice (?:bad|warn)" role="alert">.*?</div>|<table class="problems">.*?</table>`)
	// Data is not scanned: what is marked translate="no", and a value as
	// the user typed it, which a reason quotes ("2020-13-02" is not a date)
	// or names (2099-01-02 is in the future): the reader looks for it in
	// the file or the form as written.
	notForReader = regexp.MustCompile(`(?s)<code[^>]*translate="no"[^>]*>.*?</code>|&#34;[^&]*&#34;|&quot;[^&]*&quot;|\b[0-9]{4}-[0-9]{2}-[0-9]{2}\b`)
	anyTag       = regexp.MustCompile(`<[^>]*>`)
)

// refusalText is the text a reader sees in the refusals of a page: the
// alert and the tables, without what is marked as data (translate="no").
func refusalText(page string) string {
	var b strings.Builder
	for _, block := range refusalBlock.FindAllString(page, -1) {
		block = notForReader.ReplaceAllString(block, " ")
		b.WriteString(html.UnescapeString(anyTag.ReplaceAllString(block, " ")))
		b.WriteString("\n")
	}
	return b.String()
}

func TestRefusedFormInChinese(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	admin := f.as[auth.RoleAdmin]
	w := f.post(t, admin, "/admin/users", url.Values{"login": {"bad login!"}, "display_name": {"测试"}, "role": {"officer"}})
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422\n%s", w.Code, w.Body)
	}
	text := refusalText(w.Body.String())
	if !strings.Contains(text, "登录名") || !strings.Contains(text, "用户信息有误") {
		t.Errorf("the refusal does not name the login field in Chinese:\n%s", text)
	}
	for _, hit := range scanText("zh-CN", text) {
		t.Errorf("the refusal shows %s", hit)
	}
	// The code stays for support: as the title and a technical id.
	if body := w.Body.String(); !strings.Contains(body, `<span title="login">登录名</span><code class="tech" translate="no"> login</code>`) {
		t.Error("the field's code is not kept behind its label")
	}
}

func TestRefusedImportInChinese(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	good := enterprise.MakeUSCC("330106", 79)
	bad := good[:17] + "0"
	if bad == good {
		bad = good[:17] + "1"
	}
	csv := "uscc,name,registered_on,industry_code,park,tags\n" +
		good + ",杭州好行科技有限公司,2099-01-02,I6513,hq,\n" +
		bad + ",杭州坏行科技有限公司,2020-13-02,Q9,hq,\n"
	for _, lang := range []string{"zh-CN", "en"} {
		t.Run(lang, func(t *testing.T) {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			fw, err := mw.CreateFormFile("files", "企业.csv")
			if err != nil {
				t.Fatal(err)
			}
			fw.Write([]byte(csv))
			mw.Close()
			r := httptest.NewRequest(http.MethodPost, "/import", &body)
			r.Header.Set("Content-Type", mw.FormDataContentType())
			r.Header.Set("Accept-Language", lang)
			w := f.serve(r, f.as[auth.RoleOfficer])
			if w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d\n%s", w.Code, w.Body)
			}
			text := refusalText(w.Body.String())
			if lang == "en" {
				// English shows the domain's own words.
				if !strings.Contains(text, "check digit") {
					t.Errorf("the English report lacks the reason as written:\n%s", text)
				}
				return
			}
			if !strings.Contains(text, "校验码") || !strings.Contains(text, "注册日期") {
				t.Errorf("the report does not say what is wrong in Chinese:\n%s", text)
			}
			for _, hit := range scanText("zh-CN", text) {
				t.Errorf("the report shows %s", hit)
			}
		})
	}
}
