package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// browser is a minimal cookie-keeping client of the app, in process.
type browser struct {
	t       *testing.T
	srv     http.Handler
	cookies map[string]*http.Cookie
	header  http.Header // sent with every request
}

func newBrowser(t *testing.T, srv http.Handler) *browser {
	return &browser{t: t, srv: srv, cookies: map[string]*http.Cookie{}, header: http.Header{}}
}

func (b *browser) do(method, path string, form url.Values) *httptest.ResponseRecorder {
	b.t.Helper()
	var r *http.Request
	if form != nil {
		r = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		r = httptest.NewRequest(method, path, nil)
	}
	for k, v := range b.header {
		r.Header[k] = v
	}
	for _, c := range b.cookies {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	b.srv.ServeHTTP(w, r)
	for _, c := range w.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return w
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// formToken reads the CSRF token of the page's first form.
func formToken(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatalf("no CSRF token in the page:\n%.600s", w.Body.String())
	}
	return m[1]
}

// signInFixture is the app with one officer whose password is known.
func signInFixture(t *testing.T, db *store.DB) (*Server, *auth.Service) {
	t.Helper()
	svc := auth.NewService(db)
	svc.Hasher = auth.Hasher{Params: auth.Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}
	if _, err := svc.CreateUser(context.Background(), auth.System("test"),
		auth.UserSpec{Login: "zhang@park.cn", Role: auth.RoleOfficer, Password: "violet sky over hangzhou"}); err != nil {
		t.Fatal(err)
	}
	return newTestServer(t, db, svc), svc
}

func TestSignInThroughTheForms(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		srv, _ := signInFixture(t, db)
		b := newBrowser(t, srv)
		page := b.do("GET", "/login?next=/enterprises%3Fq%3Dx", nil)
		if page.Code != 200 {
			t.Fatalf("GET /login: %d", page.Code)
		}
		token := formToken(t, page)
		w := b.do("POST", "/login", url.Values{"csrf_token": {token}, "login": {"zhang@park.cn"}, "password": {"wrong password!"}, "next": {"/enterprises?q=x"}})
		if w.Code != 401 || !strings.Contains(w.Body.String(), "登录名或密码错误") {
			t.Fatalf("wrong password: %d\n%.500s", w.Code, w.Body.String())
		}
		w = b.do("POST", "/login", url.Values{"csrf_token": {token}, "login": {" Zhang@Park.cn "}, "password": {"violet sky over hangzhou"}, "next": {"/enterprises?q=x"}})
		if w.Code != 303 || w.Header().Get("Location") != "/enterprises?q=x" {
			t.Fatalf("sign-in: %d to %q", w.Code, w.Header().Get("Location"))
		}
		var session *http.Cookie
		for _, c := range w.Result().Cookies() {
			if c.Name == sessionCookie {
				session = c
			}
		}
		if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Secure || session.Path != "/" {
			t.Fatalf("session cookie %+v", session)
		}

		page = b.do("GET", "/account/password", nil)
		if page.Code != 200 {
			t.Fatalf("GET /account/password signed in: %d", page.Code)
		}
		// The token is the session's now, not the pre-session's.
		if formToken(t, page) == token {
			t.Error("the CSRF token did not change at sign-in")
		}
		w = b.do("POST", "/logout", url.Values{"csrf_token": {formToken(t, page)}})
		if w.Code != 303 || w.Header().Get("Location") != "/login?done=logout" {
			t.Fatalf("logout: %d to %q", w.Code, w.Header().Get("Location"))
		}
		if _, ok := b.cookies[sessionCookie]; ok {
			t.Error("logout left the session cookie")
		}
		if w := b.do("GET", "/account/password", nil); w.Code != 303 || !strings.HasPrefix(w.Header().Get("Location"), "/login?next=") {
			t.Errorf("after logout: %d to %q", w.Code, w.Header().Get("Location"))
		}
		// The old cookie no longer opens anything.
		b.cookies[sessionCookie] = session
		if w := b.do("GET", "/account/password", nil); w.Code != 303 {
			t.Errorf("old session cookie after logout: %d", w.Code)
		}

		want := []string{"login:failure", "login:success", "logout:success"}
		rows, err := db.Query(context.Background(), "SELECT action, outcome, client_addr FROM audit_log WHERE action IN ('login', 'logout') ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var a, o, addr string
			if err := rows.Scan(&a, &o, &addr); err != nil {
				t.Fatal(err)
			}
			got = append(got, a+":"+o)
			if addr != "192.0.2.1" {
				t.Errorf("%s audited from %q, want the client's address", a, addr)
			}
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("audit log %v, want %v", got, want)
		}
	})
}

func TestSecureCookiesBehindTLSProxy(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, store.SQLite)
	svc := auth.NewService(db)
	srv := New(Deps{DB: db, Store: db, Logger: testLogger(t), Auth: svc, SecureCookies: true})
	w := newBrowser(t, srv).do("GET", "/login", nil)
	for _, c := range w.Result().Cookies() {
		if !c.Secure {
			t.Errorf("cookie %s is not Secure", c.Name)
		}
	}
	if w.Header().Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS behind TLS")
	}
}

func TestNextIsAlwaysLocal(t *testing.T) {
	tests := []struct{ next, want string }{
		{"/enterprises?q=1", "/enterprises?q=1"},
		{"//evil.example/x", ""},
		{"https://evil.example/", ""},
		{"/\\evil.example", ""},
		{"/login?next=/x", ""},
		{"/login", ""},
		{"", ""},
		{"/ok\r\nSet-Cookie: x=1", ""},
	}
	for _, tt := range tests {
		if got := localNext(tt.next); got != tt.want {
			t.Errorf("localNext(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, store.SQLite)
	srv, svc := signInFixture(t, db)
	ctx := context.Background()
	session, _, err := svc.Login(ctx, auth.Credentials{Login: "zhang@park.cn", Password: "violet sky over hangzhou"}, "")
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := svc.Login(ctx, auth.Credentials{Login: "zhang@park.cn", Password: "violet sky over hangzhou"}, "")
	if err != nil {
		t.Fatal(err)
	}
	admin, err := svc.CreateUser(ctx, auth.System("test"), auth.UserSpec{Login: "root", Role: auth.RoleAdmin, Password: "violet sky over hangzhou"})
	if err != nil {
		t.Fatal(err)
	}
	adminSession, _, err := svc.Login(ctx, auth.Credentials{Login: admin.Login, Password: "violet sky over hangzhou"}, "")
	if err != nil {
		t.Fatal(err)
	}
	pre := newPreSessionToken()
	tests := []struct {
		name   string
		method string
		path   string
		cookie *http.Cookie
		token  string // form field
		header map[string]string
		want   int
	}{
		{"sign-in without a token", "POST", "/login", &http.Cookie{Name: preSessionCookie, Value: pre}, "", nil, 403},
		{"sign-in without any cookie", "POST", "/login", nil, csrfFor(pre), nil, 403},
		{"sign-in with a made-up token", "POST", "/login", &http.Cookie{Name: preSessionCookie, Value: pre}, "abc", nil, 403},
		{"sign-in with its token", "POST", "/login", &http.Cookie{Name: preSessionCookie, Value: pre}, csrfFor(pre), nil, 401},
		{"logout without a token", "POST", "/logout", &http.Cookie{Name: sessionCookie, Value: session}, "", nil, 403},
		{"logout with another session's token", "POST", "/logout", &http.Cookie{Name: sessionCookie, Value: session}, csrfFor(other), nil, 403},
		{"logout with the pre-session's token", "POST", "/logout", &http.Cookie{Name: sessionCookie, Value: session}, csrfFor(pre), nil, 403},
		{"cross-site with the right token", "POST", "/logout", &http.Cookie{Name: sessionCookie, Value: session}, csrfFor(session),
			map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"cross-origin by Origin", "POST", "/logout", &http.Cookie{Name: sessionCookie, Value: session}, csrfFor(session),
			map[string]string{"Origin": "https://evil.example"}, 403},
		{"API call of a session without the header", "POST", "/api/v1/tokens", &http.Cookie{Name: sessionCookie, Value: adminSession}, "", nil, 403},
		{"API call of a session with the header", "POST", "/api/v1/tokens", &http.Cookie{Name: sessionCookie, Value: adminSession}, "",
			map[string]string{csrfHeader: csrfFor(adminSession), "Content-Type": "application/json"}, 422},
		{"a GET needs no token", "GET", "/account/password", &http.Cookie{Name: sessionCookie, Value: session}, "", nil, 200},
		{"same-origin with the token", "POST", "/logout", &http.Cookie{Name: sessionCookie, Value: session}, csrfFor(session),
			map[string]string{"Sec-Fetch-Site": "same-origin"}, 303},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"login": {"x"}, "password": {"yyyyyyyyyyyy"}}
			if tt.token != "" {
				form.Set(csrfField, tt.token)
			}
			body := form.Encode()
			if tt.path == "/api/v1/tokens" {
				body = "{}"
			}
			r := httptest.NewRequest(tt.method, tt.path, strings.NewReader(body))
			if tt.method == "POST" {
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			if tt.cookie != nil {
				r.AddCookie(tt.cookie)
			}
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, r)
			if w.Code != tt.want {
				t.Errorf("status %d, want %d: %.300s", w.Code, tt.want, w.Body.String())
			}
		})
	}
}

func TestAPITokensSkipCSRFButNotAuthorization(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, store.SQLite)
	srv, svc := signInFixture(t, db)
	token, _, err := svc.CreateAPIToken(context.Background(), auth.System("test"), auth.APITokenSpec{Name: "sync", Role: auth.RoleOfficer})
	if err != nil {
		t.Fatal(err)
	}
	call := func(header string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "/api/v1/tokens", strings.NewReader(`{"name": "x", "role": "officer"}`))
		r.Header.Set("Authorization", header)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		return w
	}
	if w := call("Bearer " + token); w.Code != 403 {
		t.Errorf("an officer token creating tokens: %d, want 403", w.Code)
	}
	w := call("Bearer pdk_notatoken")
	if w.Code != 401 || !strings.Contains(w.Header().Get("WWW-Authenticate"), "invalid_token") {
		t.Errorf("a bad token: %d, %q", w.Code, w.Header().Get("WWW-Authenticate"))
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, store.SQLite)
	srv, _ := signInFixture(t, db)
	for _, req := range []struct{ method, path string }{
		{"GET", "/login"},
		{"GET", "/healthz"},
		{"GET", "/no-such-page"},
		{"POST", "/logout"}, // refused by the CSRF check
		{"GET", "/api/v1/tokens"},
	} {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest(req.method, req.path, nil))
		h := w.Header()
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"frame-ancestors 'none'", "script-src 'self'", "object-src 'none'", "default-src 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s %s: CSP %q lacks %q", req.method, req.path, csp, want)
			}
		}
		if script := csp[strings.Index(csp, "script-src"):]; strings.Contains(strings.SplitN(script, ";", 2)[0], "unsafe") {
			t.Errorf("%s %s: script-src allows unsafe code: %q", req.method, req.path, csp)
		}
		for name, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "same-origin",
		} {
			if got := h.Get(name); got != want {
				t.Errorf("%s %s: %s = %q, want %q", req.method, req.path, name, got, want)
			}
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s %s: HSTS on plain HTTP", req.method, req.path)
		}
	}
}

func TestPasswordChangeAndResetThroughTheForms(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv, svc := signInFixture(t, db)
		u, err := svc.UserByLogin(ctx, "zhang@park.cn")
		if err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, srv)
		page := b.do("GET", "/login", nil)
		b.do("POST", "/login", url.Values{"csrf_token": {formToken(t, page)}, "login": {"zhang@park.cn"}, "password": {"violet sky over hangzhou"}})
		page = b.do("GET", "/account/password", nil)
		tok := formToken(t, page)
		w := b.do("POST", "/account/password", url.Values{"csrf_token": {tok}, "current": {"violet sky over hangzhou"},
			"password": {"password123"}, "confirm": {"password123"}})
		if w.Code != 422 || !strings.Contains(w.Body.String(), "是最常见的密码之一") {
			t.Fatalf("weak new password: %d\n%.800s", w.Code, w.Body.String())
		}
		w = b.do("POST", "/account/password", url.Values{"csrf_token": {tok}, "current": {"violet sky over hangzhou"},
			"password": {"a better secret phrase"}, "confirm": {"a better secret phrase"}})
		if w.Code != 303 {
			t.Fatalf("password change: %d\n%.500s", w.Code, w.Body.String())
		}

		link, _, err := svc.IssueLink(ctx, auth.System("test"), u.ID, auth.Reset)
		if err != nil {
			t.Fatal(err)
		}
		anon := newBrowser(t, srv)
		anon.header.Set("Accept-Language", "en")
		page = anon.do("GET", "/account/reset?token="+url.QueryEscape(link), nil)
		if page.Code != 200 || !strings.Contains(page.Body.String(), "zhang@park.cn") {
			t.Fatalf("reset page: %d\n%.500s", page.Code, page.Body.String())
		}
		form := url.Values{"csrf_token": {formToken(t, page)}, "token": {link}, "password": {"reset to this phrase"}, "confirm": {"reset to this phrase"}}
		if w := anon.do("POST", "/account/reset", form); w.Code != 303 || w.Header().Get("Location") != "/login?done=reset" {
			t.Fatalf("reset: %d to %q", w.Code, w.Header().Get("Location"))
		}
		if w := anon.do("POST", "/account/reset", form); w.Code != 404 || !strings.Contains(w.Body.String(), "This link is not valid") {
			t.Fatalf("reset link reused: %d\n%.500s", w.Code, w.Body.String())
		}
		// The reset ended the session the first browser had.
		if w := b.do("GET", "/account/password", nil); w.Code != 303 {
			t.Errorf("session after the reset: %d", w.Code)
		}
	})
}
