package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// The browser journeys: headless Chromium drives the app as people do,
// in both languages, on a small demo park. One browser serves every
// journey. PARKDESK_SCREENSHOTS=DIR saves the main pages' screenshots
// there (the README shows docs/screenshots/, made this way).

// browserPark is the app on a demo park, served over HTTP, with a
// signed-in-able user per role.
type browserPark struct {
	url      string
	db       *store.DB
	password string
	own      enterprise.Enterprise // the liaison's
	other    enterprise.Enterprise // another enterprise
	find     enterprise.Enterprise // the one the officer looks for
}

func newBrowserPark(t *testing.T) *browserPark {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite)
	if err := facts.SeedDictionary(ctx, db); err != nil {
		t.Fatal(err)
	}
	usccs := mustLoadDemoPark(t, db, 300, fixtureNow)
	mustMatch(t, db, fixtureNow)
	bp := &browserPark{db: db, password: "browser journey password"}
	// The liaison's enterprise has something of everything: benefits, a
	// near miss and data to complete; the one the officer looks for has
	// the most benefits.
	var ownID, findID int64
	if err := db.QueryRow(ctx, `SELECT enterprise_id FROM match_results GROUP BY enterprise_id
HAVING SUM(CASE WHEN status = 'eligible' THEN 1 ELSE 0 END) >= 2 AND SUM(CASE WHEN near_miss IS NOT NULL THEN 1 ELSE 0 END) >= 1
	AND SUM(CASE WHEN status = 'undetermined' THEN 1 ELSE 0 END) >= 1 ORDER BY enterprise_id LIMIT 1`).Scan(&ownID); err != nil {
		t.Fatalf("no demo enterprise with benefits, a near miss and missing data: %v", err)
	}
	if err := db.QueryRow(ctx, `SELECT enterprise_id FROM match_results WHERE status = 'eligible' AND enterprise_id <> ?
GROUP BY enterprise_id ORDER BY COUNT(*) DESC, enterprise_id LIMIT 1`, ownID).Scan(&findID); err != nil {
		t.Fatal(err)
	}
	var err error
	if bp.own, err = enterprise.Get(ctx, db, ownID); err != nil {
		t.Fatal(err)
	}
	if bp.find, err = enterprise.Get(ctx, db, findID); err != nil {
		t.Fatal(err)
	}
	for _, u := range usccs {
		if u != bp.own.USCC && u != bp.find.USCC {
			if bp.other, err = enterprise.GetByUSCC(ctx, db, u); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	svc := auth.NewService(db)
	svc.Hasher = auth.Hasher{Params: auth.Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}
	for _, spec := range []auth.UserSpec{
		{Login: "officer", DisplayName: "经发局 王干部", Role: auth.RoleOfficer},
		{Login: "liaison", DisplayName: "企业联络员 李女士", Role: auth.RoleEnterprise, EnterpriseID: bp.own.ID},
		{Login: "leader", DisplayName: "园区领导", Role: auth.RoleLeader},
	} {
		spec.Password = bp.password
		if _, err := svc.CreateUser(ctx, auth.System("test"), spec); err != nil {
			t.Fatal(err)
		}
	}
	srv := New(Deps{DB: db, Store: db, Auth: svc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return fixtureNow }})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	bp.url = ts.URL
	return bp
}

// shooter saves screenshots of whole pages.
type shooter struct {
	t   *testing.T
	dir string
}

func (s shooter) shot(ctx context.Context, name string) error {
	if err := waitFor(ctx, `document.readyState === "complete"`); err != nil {
		return err
	}
	// Charts animate in; let them settle before the picture.
	if err := chromedp.Do(ctx, chromedp.Sleep(700*time.Millisecond)); err != nil {
		return err
	}
	img, err := chromedp.Run(ctx, chromedp.FullScreenshot(85))
	if err != nil {
		return fmt.Errorf("screenshot %s: %w", name, err)
	}
	return os.WriteFile(filepath.Join(s.dir, name+".jpg"), img, 0o644)
}

func (bp *browserPark) signIn(ctx context.Context, login string) error {
	if err := visitShown(ctx, bp.url+"/login", "#login"); err != nil {
		return err
	}
	if err := fill(ctx, "#login", login); err != nil {
		return err
	}
	if err := fill(ctx, "#password", bp.password); err != nil {
		return err
	}
	if err := click(ctx, `form[action="/login"] button[type=submit]`); err != nil {
		return err
	}
	return waitFor(ctx, `document.readyState === "complete" && document.querySelector('form[action="/logout"]') !== null`)
}

func (bp *browserPark) signOut(ctx context.Context) error {
	// The form is submitted, not its button clicked: on a phone the
	// button sits in the folded menu.
	if err := waitFor(ctx, `document.readyState === "complete" && document.querySelector('form[action="/logout"]') !== null`); err != nil {
		return err
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('form[action="/logout"]').requestSubmit()`)); err != nil && !pageGone(err) {
		return err
	}
	return waitFor(ctx, shown("#login"))
}

// switchLang follows the language switch of the page shown, and waits
// for the page to come back in that language.
func switchLang(ctx context.Context, lang string) error {
	if err := click(ctx, `.langs a[hreflang="`+lang+`"]`); err != nil {
		return err
	}
	return waitFor(ctx, `document.documentElement.lang === "`+lang+`" && document.readyState === "complete"`)
}

func TestBrowserJourneys(t *testing.T) {
	ctx := startChromium(t)
	bp := newBrowserPark(t)
	shots := shooter{t: t, dir: os.Getenv("PARKDESK_SCREENSHOTS")}
	if shots.dir == "" {
		shots.dir = t.TempDir()
	} else if err := os.MkdirAll(shots.dir, 0o755); err != nil {
		t.Fatal(err)
	}

	ok := t.Run("sign in in the browser's language, then switch to Chinese", func(t *testing.T) {
		journey(t, ctx, func(ctx context.Context) error {
			if err := visit(ctx, bp.url+"/login"); err != nil {
				return err
			}
			// The browser asks for English: the app answers in English.
			if err := waitFor(ctx, `document.documentElement.lang === "en"`); err != nil {
				return err
			}
			if err := switchLang(ctx, "zh-CN"); err != nil {
				return err
			}
			if err := bp.signIn(ctx, "officer"); err != nil {
				return err
			}
			h1, err := text(ctx, "h1")
			if err != nil {
				return err
			}
			if h1 != "园区总览" {
				return fmt.Errorf("after signing in the officer sees %q, want the dashboard in Chinese", h1)
			}
			if err := waitFor(ctx, `document.querySelectorAll("[data-chart] canvas").length > 0`); err != nil {
				return fmt.Errorf("the dashboard draws no chart: %w", err)
			}
			return shots.shot(ctx, "dashboard-zh")
		})
	})

	ok = ok && t.Run("find an enterprise", func(t *testing.T) {
		journey(t, ctx, func(ctx context.Context) error {
			if err := visitShown(ctx, bp.url+"/enterprises", "#q"); err != nil {
				return err
			}
			if err := shots.shot(ctx, "enterprises-zh"); err != nil {
				return err
			}
			// Type part of the name: htmx replaces the list as one types.
			needle := []rune(bp.find.Name)
			part := string(needle[len(needle)/2-2 : len(needle)/2+2])
			if err := typeText(ctx, "#q", part); err != nil {
				return err
			}
			link := fmt.Sprintf(`#enterprise-list a[href="/enterprises/%d"]`, bp.find.ID)
			if err := waitFor(ctx, `document.querySelector('`+link+`') !== null && new URL(location.href).searchParams.get("q") === `+strconv.Quote(part)); err != nil {
				return err
			}
			if err := click(ctx, link); err != nil {
				return err
			}
			if err := waitFor(ctx, shown("#facts-h")); err != nil {
				return err
			}
			h1, err := text(ctx, "h1")
			if err != nil {
				return err
			}
			if h1 != bp.find.Name {
				return fmt.Errorf("the enterprise page shows %q, want %q", h1, bp.find.Name)
			}
			return shots.shot(ctx, "enterprise-zh")
		})
	})

	ok = ok && t.Run("open a result's explanation", func(t *testing.T) {
		journey(t, ctx, func(ctx context.Context) error {
			first := `#results-h ~ .results details.result`
			if err := waitFor(ctx, shown(first+" > summary")); err != nil {
				return err
			}
			if open, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("`+first+`").open`)); err != nil || open {
				return fmt.Errorf("the explanation is open before it is asked for (%v)", err)
			}
			if err := click(ctx, first+" > summary"); err != nil {
				return err
			}
			if err := waitFor(ctx, shown(first+"[open] .explain")); err != nil {
				return err
			}
			why, err := text(ctx, first+"[open] .explain")
			if err != nil {
				return err
			}
			if !strings.Contains(why, "符合") {
				return fmt.Errorf("the explanation does not say why in Chinese: %q", why)
			}
			rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("`+first+`[open] tbody tr").length`))
			if err != nil || rows == 0 {
				return fmt.Errorf("the explanation lists no criterion (%v)", err)
			}
			return shots.shot(ctx, "explanation-zh")
		})
	})

	ok = ok && t.Run("import a file with a bad row and see the report", func(t *testing.T) {
		journey(t, ctx, func(ctx context.Context) error {
			good := enterprise.MakeUSCC("330108", 900001)
			bad := good[:17] + string("0123456789"[(strings.IndexByte("0123456789ABCDEFGHJKLMNPQRTUWXY", good[17])+1)%10])
			csv := "uscc,name,registered_on,industry_code,park,tags\n" +
				good + ",杭州浏览器测试科技有限公司,2021-03-04,I6513,hq,\n" +
				bad + ",杭州坏行测试科技有限公司,2021-03-04,I6513,hq,\n"
			file := filepath.Join(t.TempDir(), "new-enterprises.csv")
			if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
				return err
			}
			if err := visitShown(ctx, bp.url+"/import", "#files"); err != nil {
				return err
			}
			if err := upload(ctx, "#files", []string{file}); err != nil {
				return err
			}
			if err := click(ctx, "#dry-run"); err != nil {
				return err
			}
			if err := waitFor(ctx, shown("#import-report")); err != nil {
				return err
			}
			report, err := text(ctx, "#import-report")
			if err != nil {
				return err
			}
			for _, want := range []string{"new-enterprises.csv", "第 3 行", bad, "未写入任何数据"} {
				if !strings.Contains(report, want) {
					return fmt.Errorf("the report lacks %q:\n%s", want, report)
				}
			}
			if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#confirm-import").length`)); err != nil || n != 0 {
				return fmt.Errorf("a report with a bad row offers to confirm (%d, %v)", n, err)
			}
			return shots.shot(ctx, "import-zh")
		})
	})

	ok = ok && t.Run("switch to English, and it is remembered", func(t *testing.T) {
		journey(t, ctx, func(ctx context.Context) error {
			if err := switchLang(ctx, "en"); err != nil {
				return err
			}
			steps := []struct{ path, shot, h1 string }{
				{"/dashboard", "dashboard-en", "Park dashboard"},
				{"/enterprises", "enterprises-en", "Enterprises"},
				{fmt.Sprintf("/enterprises/%d", bp.find.ID), "enterprise-en", bp.find.Name},
				{"/policies", "policies-en", "Policies"},
				{"/policies/hnte", "policy-en", ""},
				{"/dictionary", "dictionary-en", "Data dictionary"},
			}
			for _, st := range steps {
				if err := visitShown(ctx, bp.url+st.path, "h1"); err != nil {
					return err
				}
				if err := waitFor(ctx, `document.documentElement.lang === "en"`); err != nil {
					return fmt.Errorf("%s forgot the language: %w", st.path, err)
				}
				if st.h1 != "" {
					h1, err := text(ctx, "h1")
					if err != nil {
						return err
					}
					if h1 != st.h1 {
						return fmt.Errorf("%s shows %q, want %q", st.path, h1, st.h1)
					}
				}
				if err := shots.shot(ctx, st.shot); err != nil {
					return err
				}
			}
			return nil
		})
	})

	if !ok {
		return
	}
	t.Run("an enterprise signs in and sees only its portal", func(t *testing.T) {
		journey(t, ctx, func(ctx context.Context) error {
			if err := bp.signOut(ctx); err != nil {
				return err
			}
			if err := bp.signIn(ctx, "liaison"); err != nil {
				return err
			}
			loc, err := chromedp.Run(ctx, chromedp.Location())
			if err != nil {
				return err
			}
			if !strings.HasSuffix(loc, "/portal") {
				return fmt.Errorf("the liaison lands on %s, want the portal", loc)
			}
			h1, err := text(ctx, "h1")
			if err != nil {
				return err
			}
			if h1 != bp.own.Name {
				return fmt.Errorf("the portal shows %q, want %q", h1, bp.own.Name)
			}
			if err := shots.shot(ctx, "portal-en"); err != nil {
				return err
			}
			if err := visitShown(ctx, bp.url+"/portal/data", "#data-h"); err != nil {
				return err
			}
			if err := switchLang(ctx, "zh-CN"); err != nil {
				return err
			}
			if err := shots.shot(ctx, "portal-data-zh"); err != nil {
				return err
			}
			if err := visitShown(ctx, bp.url+"/portal", "h1"); err != nil {
				return err
			}
			if err := shots.shot(ctx, "portal-zh"); err != nil {
				return err
			}
			// Another enterprise, by editing the URL: not found.
			if err := visitShown(ctx, fmt.Sprintf("%s/enterprises/%d", bp.url, bp.other.ID), "h1"); err != nil {
				return err
			}
			if h1, err = text(ctx, "h1"); err != nil {
				return err
			}
			if h1 != "未找到" {
				return fmt.Errorf("another enterprise's page shows %q to the liaison, want 未找到 (not found)", h1)
			}
			// The registry's API holds one enterprise for it: its own.
			body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch("/api/v1/enterprises?per=200").then(r => r.text())`, chromedp.EvalAwaitPromise))
			if err != nil {
				return err
			}
			if !strings.Contains(body, `"total":1`) || !strings.Contains(body, bp.own.USCC) || strings.Contains(body, bp.other.USCC) {
				return fmt.Errorf("the liaison's API list is not just its own enterprise: %.300s", body)
			}
			return nil
		})
	})
}
