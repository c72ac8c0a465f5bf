package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// webFixture is a small park in a fresh database, with the app on top and
// one principal per role, for tests that render pages and call the API.
type webFixture struct {
	db      *store.DB
	srv     *Server
	parkA   int64
	parkB   int64
	entA    int64 // in park A, the liaison's
	entB    int64 // in park B
	as      map[auth.Role]auth.Principal
	nowTime time.Time
}

var fixtureNow = time.Date(2024, 5, 31, 10, 0, 0, 0, time.UTC)

func newWebFixture(t *testing.T, d store.Dialect) *webFixture {
	t.Helper()
	return newWebFixtureOn(t, storetest.Open(t, d))
}

// newWebFixtureOn builds the fixture in a fresh database.
func newWebFixtureOn(t testing.TB, db *store.DB) *webFixture {
	t.Helper()
	f := &webFixture{db: db, nowTime: fixtureNow}
	ctx := context.Background()
	if err := facts.SeedDictionary(ctx, db); err != nil {
		t.Fatal(err)
	}
	f.parkA = mustCreatePark(t, db, enterprise.Park{Code: "hq", NameZh: "高新区本部", NameEn: "High-tech Zone HQ"})
	f.parkB = mustCreatePark(t, db, enterprise.Park{Code: "coop", NameZh: "区合作园", NameEn: "Cooperation Park"})
	if err := enterprise.CreateTag(ctx, db, &enterprise.Tag{Code: "hnte", NameZh: "高新技术企业", NameEn: "High-tech enterprise"}); err != nil {
		t.Fatal(err)
	}
	f.entA = mustCreateWebEnterprise(t, db, enterprise.Enterprise{USCC: enterprise.MakeUSCC("330106", 1), Name: "杭州示例智能科技有限公司",
		RegisteredOn: "2016-05-12", IndustryCode: "C3911", Park: "hq", Tags: []string{"hnte"}})
	f.entB = mustCreateWebEnterprise(t, db, enterprise.Enterprise{USCC: enterprise.MakeUSCC("330106", 2), Name: "杭州另一家软件有限公司",
		RegisteredOn: "2019-09-01", IndustryCode: "I6513", Park: "coop"})
	mustAppendFact(t, db, f.entA, "revenue", "2023", "42000000", "import:seed.csv")
	mustAppendFact(t, db, f.entA, "revenue", "2023", "43000000", "department")
	mustAppendFact(t, db, f.entA, "employees", "2023", "80", "import:seed.csv")
	mustAppendFact(t, db, f.entA, "credit_rating", "2023", "A", "import:seed.csv")

	// One user per role, as the database has them: list scopes (a
	// commissioner's portfolio) are SQL over these rows.
	svc := auth.NewService(db)
	svc.Hasher = auth.Hasher{Params: auth.Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}
	specs := []auth.UserSpec{
		{Login: "admin", Role: auth.RoleAdmin},
		{Login: "officer", Role: auth.RoleOfficer},
		{Login: "dept-tax", Role: auth.RoleDepartment, Department: "tax"},
		{Login: "commissioner", Role: auth.RoleCommissioner},
		{Login: "liaison", Role: auth.RoleEnterprise, EnterpriseID: f.entA},
		{Login: "leader", Role: auth.RoleLeader},
	}
	f.as = map[auth.Role]auth.Principal{}
	for _, spec := range specs {
		spec.DisplayName = "测试 " + spec.Login
		u, err := svc.CreateUser(ctx, auth.System("test"), spec)
		if err != nil {
			t.Fatal(err)
		}
		p := auth.Principal{UserID: u.ID, Label: u.Login, Role: u.Role, Department: u.Department, EnterpriseID: u.EnterpriseID}
		if u.Role == auth.RoleCommissioner {
			if _, err := db.Exec(ctx, "INSERT INTO commissioner_enterprises (user_id, enterprise_id, assigned_at) VALUES (?, ?, ?)",
				u.ID, f.entA, store.FormatTime(fixtureNow)); err != nil {
				t.Fatal(err)
			}
			p.Portfolio = []int64{f.entA}
		}
		f.as[u.Role] = p
	}
	f.srv = New(Deps{DB: db, Store: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Auth: svc, Now: func() time.Time { return f.nowTime }, Matcher: shippedMatcher(t)})
	return f
}

// get requests path as p (anonymous for the zero Principal) in lang,
// through the app's routes but around the session middleware.
func (f *webFixture) get(t testing.TB, p auth.Principal, lang, path string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.Header.Set("Accept-Language", lang)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	r = r.WithContext(auth.WithPrincipal(r.Context(), p))
	w := httptest.NewRecorder()
	withLang(f.srv.mux).ServeHTTP(w, r)
	return w
}

func mustExecID(t *testing.T, db *store.DB, query string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := db.QueryRow(context.Background(), query, args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return id
}

func mustCreatePark(t testing.TB, db *store.DB, p enterprise.Park) int64 {
	t.Helper()
	if err := enterprise.CreatePark(context.Background(), db, &p); err != nil {
		t.Fatalf("create park %s: %v", p.Code, err)
	}
	return p.ID
}

func mustCreateWebEnterprise(t testing.TB, db *store.DB, e enterprise.Enterprise) int64 {
	t.Helper()
	if err := enterprise.Create(context.Background(), db, &e); err != nil {
		t.Fatalf("create enterprise %s: %v", e.Name, err)
	}
	return e.ID
}

// mustAppendFact records a value through the fact store, as an import would.
func mustAppendFact(t testing.TB, db *store.DB, enterpriseID int64, field, period, value, source string) {
	t.Helper()
	fd, ok := facts.Builtin().Field(field)
	if !ok {
		t.Fatalf("no field %s", field)
	}
	v, err := fd.ParseValue(value)
	if err != nil {
		t.Fatal(err)
	}
	p, err := facts.ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	one := func(yield func(facts.Fact) bool) {
		yield(facts.Fact{EnterpriseID: enterpriseID, Field: field, Period: p, Value: v})
	}
	if _, err := facts.AppendFacts(context.Background(), db, facts.Provenance{Source: source, Actor: "test", At: fixtureNow}, one); err != nil {
		t.Fatal(err)
	}
}
