package web

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// The attacks of issue 11, point 1, through a real HTTP server (the
// server's own clean-up of multipart files is part of what is tested): an
// anonymous multipart POST to /login, an officer's upload above the import
// limit, and a legitimate upload large enough to go to a temporary file.
// The temporary directory of the process is the test's, so that every
// multipart-* file left behind is seen.

// repeatReader yields n bytes of b repeated, without holding them.
type repeatReader struct {
	b    byte
	left int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	n := int64(len(p))
	if n > r.left {
		n = r.left
	}
	for i := range p[:n] {
		p[i] = r.b
	}
	r.left -= n
	return int(n), nil
}

// multipartBody returns a multipart body of the fields, in order, then a
// file part of size bytes; its content type; and its length.
func multipartBody(fields [][2]string, fileField, fileName string, size int64) (io.Reader, string, int64) {
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	mw.CreateFormFile(fileField, fileName)
	headBytes := append([]byte(nil), head.Bytes()...)
	head.Reset()
	mw.Close()
	tail := append([]byte(nil), head.Bytes()...)
	body := io.MultiReader(bytes.NewReader(headBytes), &repeatReader{b: 'a', left: size}, bytes.NewReader(tail))
	return body, mw.FormDataContentType(), int64(len(headBytes)) + size + int64(len(tail))
}

// rawPost sends a POST over a connection of its own and reads the answer
// while the body is still being written, as a client that streams a large
// upload does. chunked sends the body without a length.
func rawPost(t *testing.T, addr, path string, header http.Header, body io.Reader, length int64, chunked bool) *http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	var head strings.Builder
	fmt.Fprintf(&head, "POST %s HTTP/1.1\r\nHost: %s\r\n", path, addr)
	for k, vs := range header {
		for _, v := range vs {
			fmt.Fprintf(&head, "%s: %s\r\n", k, v)
		}
	}
	if chunked {
		head.WriteString("Transfer-Encoding: chunked\r\n\r\n")
	} else {
		fmt.Fprintf(&head, "Content-Length: %d\r\n\r\n", length)
	}
	go func() {
		// Write errors are expected: the server may close the connection
		// once it has answered.
		w := bufio.NewWriterSize(conn, 64<<10)
		w.WriteString(head.String())
		if chunked {
			cw := httputil.NewChunkedWriter(w)
			if _, err := io.Copy(cw, body); err == nil {
				cw.Close()
				w.WriteString("\r\n")
			}
		} else {
			io.Copy(w, body)
		}
		w.Flush()
	}()
	conn.SetReadDeadline(time.Now().Add(2 * time.Minute))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body = io.NopCloser(bytes.NewReader(b))
	return res
}

// multipartLeftovers lists the multipart temporary files in dir, waiting a
// little for a handler that answered before it returned.
func multipartLeftovers(t *testing.T, dir string) []string {
	t.Helper()
	var found []string
	for range 50 {
		found, _ = filepath.Glob(filepath.Join(dir, "multipart-*"))
		if len(found) == 0 {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return found
}

// officerClient signs the fixture's officer in through the forms of srv and
// returns the client with its cookies and the CSRF token of the import page.
func officerClient(t *testing.T, srv *httptest.Server) (*http.Client, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	token := func(path string) string {
		res, err := c.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		m := csrfInput.FindSubmatch(b)
		if m == nil {
			t.Fatalf("GET %s: %d, no CSRF token", path, res.StatusCode)
		}
		return string(m[1])
	}
	res, err := c.PostForm(srv.URL+"/login", url.Values{"csrf_token": {token("/login")}, "login": {"zhang@park.cn"}, "password": {"violet sky over hangzhou"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", res.StatusCode)
	}
	return c, token("/import")
}

func cookieHeader(c *http.Client, srv *httptest.Server) string {
	u, _ := url.Parse(srv.URL)
	var parts []string
	for _, ck := range c.Jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; ")
}

func TestBodyLimits(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	db := storetest.Open(t, store.SQLite)
	if err := facts.SeedDictionary(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	app, _ := signInFixture(t, db)
	srv := httptest.NewServer(app)
	defer srv.Close()
	addr := srv.Listener.Addr().String()

	t.Run("anonymous multipart to /login", func(t *testing.T) {
		for _, chunked := range []bool{false, true} {
			body, ctype, n := multipartBody([][2]string{{"login", "x"}}, "junk", "junk.bin", 40<<20)
			res := rawPost(t, addr, "/login", http.Header{"Content-Type": {ctype}}, body, n, chunked)
			switch {
			case !chunked && res.StatusCode != http.StatusRequestEntityTooLarge:
				t.Errorf("declared 40 MB: %d, want 413", res.StatusCode)
			case chunked && res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusRequestEntityTooLarge:
				t.Errorf("chunked 40 MB without a CSRF token: %d, want 403 or 413", res.StatusCode)
			}
			if left := multipartLeftovers(t, tmp); len(left) > 0 {
				t.Fatalf("chunked=%v: the refused request left %v", chunked, left)
			}
		}
	})

	c, token := officerClient(t, srv)
	cookies := cookieHeader(c, srv)

	t.Run("officer's upload above the import limit", func(t *testing.T) {
		for _, chunked := range []bool{false, true} {
			body, ctype, n := multipartBody([][2]string{{"csrf_token", token}}, "files", "big.csv", maxUpload+6<<20)
			res := rawPost(t, addr, "/import", http.Header{"Content-Type": {ctype}, "Cookie": {cookies}, "Accept-Language": {"zh-CN"}}, body, n, chunked)
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode != http.StatusRequestEntityTooLarge {
				t.Fatalf("chunked=%v: %d, want 413\n%.400s", chunked, res.StatusCode, b)
			}
			if !strings.Contains(string(b), "超过了此页面允许的大小") {
				t.Errorf("chunked=%v: the page does not say what is wrong:\n%.2000s", chunked, b)
			}
			if left := multipartLeftovers(t, tmp); len(left) > 0 {
				t.Fatalf("chunked=%v: the refused upload left %v", chunked, left)
			}
		}
	})

	t.Run("API body above its limit", func(t *testing.T) {
		body := strings.NewReader(`{"facts": {"revenue": "` + strings.Repeat("9", maxFactsBody) + `"}}`)
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/enterprises/1/facts", body)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Cookie", cookies)
		req.Header.Set(csrfHeader, token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(b), `"code":"too_large"`) {
			t.Fatalf("%d %s", res.StatusCode, b)
		}
	})

	t.Run("upload within the limit goes to a temporary file, removed after", func(t *testing.T) {
		// 9 MB: above what the handler keeps in memory (8 MB), so the
		// file part is written to a temporary file.
		body, ctype, n := multipartBody([][2]string{{"csrf_token", token}}, "files", "big.csv", 9<<20)
		req, _ := http.NewRequest("POST", srv.URL+"/import", body)
		req.ContentLength = n
		req.Header.Set("Content-Type", ctype)
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a CSV of 'a's: %d, want 422 with its problems", res.StatusCode)
		}
		if left := multipartLeftovers(t, tmp); len(left) > 0 {
			t.Fatalf("the import left %v", left)
		}
	})

	t.Run("multipart CSRF token not first", func(t *testing.T) {
		// The token must be the form's first field: anywhere else, it is
		// not looked for, and the request is refused unread.
		body, ctype, n := multipartBody([][2]string{{"note", "x"}, {"csrf_token", token}}, "files", "a.csv", 10)
		res := rawPost(t, addr, "/import", http.Header{"Content-Type": {ctype}, "Cookie": {cookies}}, body, n, false)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("%d, want 403", res.StatusCode)
		}
	})
	if _, err := os.Stat(tmp); err != nil {
		t.Fatal(err)
	}
}

// TestUploadFormsHaveLimits: every upload form of the templates posts to a
// route with a body limit of its own (else its uploads are refused above
// the default), and carries its CSRF token as its first field (the check
// reads no further).
func TestUploadFormsHaveLimits(t *testing.T) {
	form := regexp.MustCompile(`(?s)<form([^>]*enctype="multipart/form-data"[^>]*)>(.*?)</form>`)
	action := regexp.MustCompile(`action="([^"]+)"`)
	templateAction := regexp.MustCompile(`\{\{[^}]*\}\}`)
	firstField := regexp.MustCompile(`<(?:input|select|textarea)[^>]*name="([^"]+)"`)
	found := 0
	err := fs.WalkDir(templateFiles, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFiles, path)
		if err != nil {
			return err
		}
		for _, m := range form.FindAllStringSubmatch(string(b), -1) {
			found++
			a := action.FindStringSubmatch(m[1])
			if a == nil {
				t.Errorf("%s: an upload form without an action", path)
				continue
			}
			// An action with the template's ids is the route's pattern:
			// /appeals/{{.A.ID}}/attachments → /appeals/{id}/attachments.
			pattern := templateAction.ReplaceAllString(a[1], "{id}")
			if _, ok := bodyLimits["POST "+pattern]; !ok {
				t.Errorf("%s: the upload form posts to %s, which has no entry in bodyLimits", path, a[1])
			}
			if f := firstField.FindStringSubmatch(m[2]); f == nil || f[1] != csrfField {
				t.Errorf("%s: the upload form to %s does not start with its CSRF token", path, a[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 4 {
		t.Fatalf("found %d upload forms: the pattern is wrong", found)
	}
}
