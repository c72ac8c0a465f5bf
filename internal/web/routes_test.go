package web

import (
	"context"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// The route × role table: every registered route, requested as every role
// through the whole app (security headers, sessions and tokens, CSRF), with
// the status each must get. TestEveryRouteHasARow fails when a route is
// registered without a row, so that no route goes out with its access
// undecided; TestRouteRoleTable runs the rows on both databases.
//
// Paths may hold {own} (the liaison's enterprise, in the commissioner's
// portfolio) and {other} (an enterprise of another park that neither
// sees): object-level checks are rows too.

// tableRoles are the columns of the table: the six roles, nobody, and an
// API token (a tax department's, as the tax bureau's system would hold).
var tableRoles = []string{"anonymous", "admin", "officer", "department", "commissioner", "enterprise", "leader", "token"}

type statuses map[string]int

// every gives all roles the same status.
func every(code int) statuses {
	s := statuses{}
	for _, r := range tableRoles {
		s[r] = code
	}
	return s
}

// but returns a copy with the roles' status changed.
func (s statuses) but(code int, roles ...string) statuses {
	out := maps.Clone(s)
	for _, r := range roles {
		out[r] = code
	}
	return out
}

type routeRow struct {
	pattern string // exactly as registered
	method  string
	path    string
	form    url.Values // body of a form POST
	json    string     // body of a JSON request
	want    statuses
}

var routeTable = []routeRow{
	{pattern: "GET /healthz", method: "GET", path: "/healthz", want: every(200)},
	{pattern: "GET /readyz", method: "GET", path: "/readyz", want: every(200)},

	// Signing in and out. A token counts only under /api/: elsewhere its
	// holder is a visitor, and a POST without the form's CSRF token is 403.
	{pattern: "GET /login", method: "GET", path: "/login", want: every(303).but(200, "anonymous", "token")},
	{pattern: "POST /login", method: "POST", path: "/login", form: url.Values{"login": {"nobody"}, "password": {"not the password"}},
		want: every(401).but(403, "token")},
	{pattern: "POST /logout", method: "POST", path: "/logout", want: every(303).but(403, "token")},
	{pattern: "GET /account/password", method: "GET", path: "/account/password", want: every(200).but(303, "anonymous", "token")},
	{pattern: "POST /account/password", method: "POST", path: "/account/password",
		form: url.Values{"current": {"not the password"}, "password": {"a new good password"}, "confirm": {"a new good password"}},
		want: every(422).but(401, "anonymous").but(403, "token")},
	{pattern: "GET /account/reset", method: "GET", path: "/account/reset?token=nope", want: every(404)},
	{pattern: "POST /account/reset", method: "POST", path: "/account/reset",
		form: url.Values{"token": {"nope"}, "password": {"a new good password"}, "confirm": {"a new good password"}},
		want: every(404).but(403, "token")},

	// The admins' API.
	{pattern: "GET /api/v1/tokens", method: "GET", path: "/api/v1/tokens", want: every(403).but(200, "admin").but(401, "anonymous")},
	{pattern: "POST /api/v1/tokens", method: "POST", path: "/api/v1/tokens", json: `{"name": "bi", "role": "leader"}`,
		want: every(403).but(201, "admin").but(401, "anonymous")},
	{pattern: "DELETE /api/v1/tokens/{id}", method: "DELETE", path: "/api/v1/tokens/999999",
		want: every(403).but(404, "admin").but(401, "anonymous")},
	{pattern: "GET /api/v1/audit", method: "GET", path: "/api/v1/audit?action=login", want: every(403).but(200, "admin").but(401, "anonymous")},
	{pattern: "GET /api/v1/audit.csv", method: "GET", path: "/api/v1/audit.csv", want: every(403).but(200, "admin").but(401, "anonymous")},
}

// TestEveryRouteHasARow compares the routes the app registers with the
// table, both ways.
func TestEveryRouteHasARow(t *testing.T) {
	srv := New(Deps{Auth: &auth.Service{}})
	registered := srv.mux.Patterns()
	rows := map[string]bool{}
	for _, row := range routeTable {
		rows[row.pattern] = true
		for _, role := range tableRoles {
			if _, ok := row.want[role]; !ok {
				t.Errorf("row %s %s has no status for %s", row.method, row.path, role)
			}
		}
		if m, _, _ := strings.Cut(row.pattern, " "); m != row.method {
			t.Errorf("row %s requests with %s", row.pattern, row.method)
		}
	}
	for _, p := range registered {
		if !rows[p] {
			t.Errorf("route %q has no row in routeTable (routes_test.go): decide who may use it", p)
		}
	}
	for p := range rows {
		if !slices.Contains(registered, p) {
			t.Errorf("routeTable has a row for %q, which is not registered", p)
		}
	}
}

func TestRouteRoleTable(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		rt := newRouteTester(t, db)
		for _, row := range routeTable {
			for _, role := range tableRoles {
				t.Run(row.pattern+"/"+role, func(t *testing.T) {
					w := rt.do(t, role, row)
					if want := row.want[role]; w.Code != want {
						t.Errorf("%s %s as %s: status %d, want %d; body:\n%.400s", row.method, row.path, role, w.Code, want, w.Body.String())
					}
				})
			}
		}
	})
}

// routeTester is the app on a small park with one signed-in-able user per
// role and a department's API token.
type routeTester struct {
	srv      *Server
	svc      *auth.Service
	logins   map[string]string // role → login
	token    string
	own      int64
	other    int64
	password string
}

func newRouteTester(t *testing.T, db *store.DB) *routeTester {
	t.Helper()
	ctx := context.Background()
	if err := facts.SeedDictionary(ctx, db); err != nil { // the field pages need the dictionary
		t.Fatal(err)
	}
	parkA := mustExecID(t, db, "INSERT INTO parks (code, name_zh) VALUES ('a', '园区甲') RETURNING id")
	parkB := mustExecID(t, db, "INSERT INTO parks (code, name_zh) VALUES ('b', '园区乙') RETURNING id")
	stamp := store.FormatTime(fixtureNow)
	own := mustExecID(t, db, `INSERT INTO enterprises (uscc, name, park_id, created_at, updated_at)
	VALUES ('91330106MA2GL1234M', '自己的企业', ?, ?, ?) RETURNING id`, parkA, stamp, stamp)
	other := mustExecID(t, db, `INSERT INTO enterprises (uscc, name, park_id, created_at, updated_at)
	VALUES ('91330106MA2GL5678X', '别人的企业', ?, ?, ?) RETURNING id`, parkB, stamp, stamp)

	svc := auth.NewService(db)
	svc.Hasher = auth.Hasher{Params: auth.Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}
	rt := &routeTester{svc: svc, logins: map[string]string{}, own: own, other: other, password: "route table password"}
	specs := map[string]auth.UserSpec{
		"admin":        {Role: auth.RoleAdmin},
		"officer":      {Role: auth.RoleOfficer},
		"department":   {Role: auth.RoleDepartment, Department: "tax"},
		"commissioner": {Role: auth.RoleCommissioner},
		"enterprise":   {Role: auth.RoleEnterprise, EnterpriseID: own},
		"leader":       {Role: auth.RoleLeader},
	}
	for role, spec := range specs {
		spec.Login, spec.Password = "rt-"+role, rt.password
		u, err := svc.CreateUser(ctx, auth.System("test"), spec)
		if err != nil {
			t.Fatalf("create %s: %v", role, err)
		}
		rt.logins[role] = u.Login
		if role == "commissioner" {
			if _, err := db.Exec(ctx, "INSERT INTO commissioner_enterprises (user_id, enterprise_id, assigned_at) VALUES (?, ?, ?)", u.ID, own, stamp); err != nil {
				t.Fatal(err)
			}
		}
	}
	var err error
	if rt.token, _, err = svc.CreateAPIToken(ctx, auth.System("test"), auth.APITokenSpec{Name: "tax-sync", Role: auth.RoleDepartment, Department: "tax"}); err != nil {
		t.Fatal(err)
	}
	rt.srv = newTestServer(t, db, svc)
	return rt
}

// newTestServer is the app as cmd/parkdesk wires it, on db.
func newTestServer(t *testing.T, db *store.DB, svc *auth.Service) *Server {
	t.Helper()
	return New(Deps{DB: db, Store: db, Logger: testLogger(t), Auth: svc, Now: func() time.Time { return fixtureNow }})
}

// testLogger writes the app's log into the test's output.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), nil))
}

// do sends the row's request as role: signed in afresh (a row may sign
// out), carrying the CSRF token its page would have given it.
func (rt *routeTester) do(t *testing.T, role string, row routeRow) *httptest.ResponseRecorder {
	t.Helper()
	path := strings.NewReplacer("{own}", strconv.FormatInt(rt.own, 10), "{other}", strconv.FormatInt(rt.other, 10)).Replace(row.path)
	var r *http.Request
	switch {
	case row.json != "":
		r = httptest.NewRequest(row.method, path, strings.NewReader(row.json))
		r.Header.Set("Content-Type", "application/json")
	case row.form != nil || row.method == http.MethodPost:
		r = httptest.NewRequest(row.method, path, strings.NewReader(row.form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	default:
		r = httptest.NewRequest(row.method, path, nil)
	}
	r.Header.Set("Accept-Language", "zh-CN")
	unsafe := row.method != http.MethodGet && row.method != http.MethodHead
	switch role {
	case "anonymous":
		pre := newPreSessionToken()
		r.AddCookie(&http.Cookie{Name: preSessionCookie, Value: pre})
		if unsafe {
			r.Header.Set(csrfHeader, csrfFor(pre))
		}
	case "token":
		r.Header.Set("Authorization", "Bearer "+rt.token)
	default:
		session, _, err := rt.svc.Login(r.Context(), auth.Credentials{Login: rt.logins[role], Password: rt.password}, "")
		if err != nil {
			t.Fatalf("sign in as %s: %v", role, err)
		}
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
		if unsafe {
			r.Header.Set(csrfHeader, csrfFor(session))
		}
	}
	w := httptest.NewRecorder()
	rt.srv.ServeHTTP(w, r)
	return w
}
