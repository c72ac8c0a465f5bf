package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// mainOf is the <main> of a page: what the fragment cache may keep parts
// of (the layout around it names the reader and carries their token).
var mainRE = regexp.MustCompile(`(?s)<main[^>]*>.*</main>`)

func mainOf(body string) string {
	if m := mainRE.FindString(body); m != "" {
		return m
	}
	return body // a fragment for htmx
}

// coldServer is a new app on f's database: nothing kept.
func (f *webFixture) coldServer(t *testing.T) *Server {
	return New(Deps{DB: f.db, Store: f.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Auth: auth.NewService(f.db), Now: func() time.Time { return f.nowTime }, Matcher: shippedMatcher(t)})
}

// TestFragmentCacheKeepsReadersApart: every role, asking after every other
// role has filled the cache, reads what a server with nothing kept shows
// it, on the enterprise page and the list (whole and as htmx swaps it), in
// both languages. A confidential value makes the difference visible: some
// roles see it and some do not.
func TestFragmentCacheKeepsReadersApart(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	on := time.Date(2022, 8, 15, 0, 0, 0, 0, time.UTC)
	f.nowTime = on
	mustAppendFact(t, f.db, f.entA, "vat_credit_end", "2022-07", "2257913", "import:seed.csv")
	mustMatch(t, f.db, on)

	id := strconv.FormatInt(f.entA, 10)
	type ask struct {
		path   string
		header []string
	}
	asks := []ask{
		{"/enterprises/" + id, nil},
		{"/enterprises", nil},
		{"/enterprises?q=%E6%9D%AD%E5%B7%9E&sort=uscc&dir=desc", nil},
		{"/enterprises?sort=registered", []string{"HX-Request", "true", "HX-Target", "enterprise-list"}},
	}
	roles := []auth.Role{auth.RoleAdmin, auth.RoleOfficer, auth.RoleDepartment, auth.RoleCommissioner, auth.RoleEnterprise, auth.RoleLeader}
	var sees, blind int
	for _, lang := range []string{"zh-CN", "en"} {
		for _, a := range asks {
			cold := map[auth.Role]string{}
			for _, role := range roles {
				f.get(t, f.as[role], lang, a.path, a.header...) // fills the cache
				c := &webFixture{db: f.db, srv: f.coldServer(t), as: f.as}
				cw := c.get(t, f.as[role], lang, a.path, a.header...)
				cold[role] = strconv.Itoa(cw.Code) + mainOf(cw.Body.String())
				if strings.HasPrefix(a.path, "/enterprises/") && cw.Code == http.StatusOK {
					if strings.Contains(cw.Body.String(), "2,257,913") || strings.Contains(cw.Body.String(), "2257913") {
						sees++
					} else {
						blind++
					}
				}
			}
			// Every role has filled its part; each now reads the kept one.
			for _, role := range roles {
				w := f.get(t, f.as[role], lang, a.path, a.header...)
				if got := strconv.Itoa(w.Code) + mainOf(w.Body.String()); got != cold[role] {
					t.Errorf("%s %s as %s: the kept page differs from a fresh one\nkept:  %.600s\nfresh: %.600s", lang, a.path, role, got, cold[role])
				}
			}
		}
	}
	if sees == 0 || blind == 0 {
		t.Fatalf("the confidential value is seen on %d enterprise pages and withheld on %d: the test needs both", sees, blind)
	}
}

// TestFragmentCacheFollowsOtherInstances: an enterprise page and a list
// kept by instance A show, at once, a fact and a rename written through
// instance B's own handle of the database.
func TestFragmentCacheFollowsOtherInstances(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d.String(), func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, d)
			open := func() *store.DB {
				db, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				if _, err := db.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				return db
			}
			a := newWebFixtureOn(t, open())
			b := open()
			officer := a.as[auth.RoleOfficer]
			page := "/enterprises/" + strconv.FormatInt(a.entA, 10)
			for range 2 { // filled, then kept
				if w := a.get(t, officer, "en", page); w.Code != http.StatusOK || strings.Contains(w.Body.String(), "7,654,321") {
					t.Fatalf("the page before: status %d", w.Code)
				}
				if w := a.get(t, officer, "en", "/enterprises?sort=uscc"); w.Code != http.StatusOK || strings.Contains(w.Body.String(), "跨实例改名") {
					t.Fatalf("the list before: status %d", w.Code)
				}
			}
			mustAppendFact(t, b, a.entA, "revenue", "2024", "7654321", "department")
			if w := a.get(t, officer, "en", page); !strings.Contains(w.Body.String(), "7,654,321") {
				t.Errorf("A's enterprise page does not show the fact written through B")
			}
			if _, err := b.Exec(ctx, "UPDATE enterprises SET name = ? WHERE id = ?", "杭州跨实例改名科技有限公司", a.entA); err != nil {
				t.Fatal(err)
			}
			// A bare UPDATE moves no counter: the registry's own writes do.
			if err := store.Bump(ctx, b, store.CounterRegistry); err != nil {
				t.Fatal(err)
			}
			if w := a.get(t, officer, "en", "/enterprises?sort=uscc"); !strings.Contains(w.Body.String(), "跨实例改名") {
				t.Errorf("A's list does not show the rename written through B")
			}
			if w := a.get(t, officer, "en", page); !strings.Contains(w.Body.String(), "跨实例改名") {
				t.Errorf("A's enterprise page does not show the rename written through B")
			}
		})
	}
}
