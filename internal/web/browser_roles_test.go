package web

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// TestBrowserEveryRole signs in as each role, in Chinese, and walks what
// the role can reach from where it lands: its menu, and from each page the
// links on it (one or two pages of each kind). Every page passes
// checkPage at 1366 and 390 px: no sideways scrolling, no catalog key, raw
// code, operator, ISO date or (in Chinese) English word in its text. Then
// the role's menu pages again in English. A new page that a menu or a page
// links to is checked without any change here.
func TestBrowserEveryRole(t *testing.T) {
	bp := newBrowserPark(t)
	bg := context.Background()
	svc := auth.NewService(bp.db)
	svc.Hasher = auth.Hasher{Params: auth.Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}
	for _, spec := range []auth.UserSpec{
		{Login: "admin", DisplayName: "系统管理员 周工", Role: auth.RoleAdmin},
		{Login: "dept-tax", DisplayName: "税务局 孙科长", Role: auth.RoleDepartment, Department: "tax"},
		{Login: "zhuanyuan", DisplayName: "服务专员 陈专员", Role: auth.RoleCommissioner},
	} {
		spec.Password = bp.password
		u, err := svc.CreateUser(bg, auth.System("test"), spec)
		if err != nil {
			t.Fatal(err)
		}
		if u.Role == auth.RoleCommissioner {
			for _, e := range []int64{bp.own.ID, bp.find.ID} {
				if _, err := bp.db.Exec(bg, "INSERT INTO commissioner_enterprises (user_id, enterprise_id, assigned_at) VALUES (?, ?, ?)",
					u.ID, e, store.FormatTime(fixtureNow)); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	// A known leak the walk of every role did not meet is reported, not
	// failed: the walk follows at most a few links per section, so whether
	// it reaches a page depends on the data (seen in CI), and a page not
	// reached is not a page fixed. Take an entry off once its page is.
	roles := []string{"admin", "officer", "dept-tax", "zhuanyuan", "leader", "liaison"}
	walked := 0
	defer func() {
		for _, k := range knownLeaks {
			if walked == len(roles) && !k.seen {
				t.Logf("the known leak %q on %s was not met: if its page is fixed, take it off knownLeaks (%s)", k.hit, k.page, k.why)
			}
		}
	}()
	// Staff notes (issue 11, usability point 5): the officer reads them on
	// the liaison's enterprise; the liaison reads none in its portal.
	staffNotes := `["未经核实", "待核实", "UNVERIFIED"].filter(w => document.body.innerText.includes(w))`
	t.Run("staff notes stay with staff", func(t *testing.T) {
		ctx := startChromium(t)
		journey(t, ctx, func(ctx context.Context) error {
			if err := visitShown(ctx, bp.url+"/login", "#login"); err != nil {
				return err
			}
			if err := switchLang(ctx, "zh-CN"); err != nil {
				return err
			}
			if err := bp.signIn(ctx, "officer"); err != nil {
				return err
			}
			var staff []string
			for _, u := range []string{fmt.Sprintf("/enterprises/%d", bp.own.ID), "/policies"} {
				if err := visit(ctx, bp.url+u); err != nil {
					return err
				}
				found, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](staffNotes))
				if err != nil {
					return err
				}
				staff = append(staff, found...)
			}
			if len(staff) == 0 {
				return fmt.Errorf("the officer reads no staff note: nothing for this test to hold")
			}
			if err := bp.signOut(ctx); err != nil {
				return err
			}
			if err := bp.signIn(ctx, "liaison"); err != nil {
				return err
			}
			for _, u := range []string{"/portal", "/portal/almost", "/portal/missing", "/portal/inbox"} {
				if err := visit(ctx, bp.url+u); err != nil {
					return err
				}
				// Open every result, as a reader would.
				if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details").forEach(d => d.open = true)`)); err != nil {
					return err
				}
				found, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](staffNotes))
				if err != nil {
					return err
				}
				if len(found) > 0 {
					t.Errorf("the liaison reads staff notes on %s: %q", u, found)
				}
			}
			return nil
		})
	})
	for _, login := range roles {
		t.Run(login, func(t *testing.T) {
			ctx := startChromium(t) // a browser context of its own: signed out, no language chosen
			journey(t, ctx, func(ctx context.Context) error {
				if err := visitShown(ctx, bp.url+"/login", "#login"); err != nil {
					return err
				}
				if err := switchLang(ctx, "zh-CN"); err != nil {
					return err
				}
				if err := bp.signIn(ctx, login); err != nil {
					return err
				}
				landing, err := chromedp.Run(ctx, chromedp.Location())
				if err != nil {
					return err
				}
				menu := crawl(t, ctx, bp.url, landing, 24)
				if len(menu) > 0 {
					walked++
				}
				if err := switchLang(ctx, "en"); err != nil {
					return err
				}
				for _, u := range menu {
					checkPage(t, ctx, u)
				}
				return nil
			})
		})
	}
}

// crawl checks the page at start and the pages reachable from it by
// links, breadth first, until it has checked limit pages; of the pages of
// one kind (the same path but for its numbers) it checks one, and of one
// section (/enterprises, /touch …) at most four. It returns the pages of
// the menu.
func crawl(t *testing.T, ctx context.Context, base, start string, limit int) (menu []string) {
	t.Helper()
	queue := []string{start}
	kinds := map[string]bool{pageKind(start): true}
	sections := map[string]int{}
	first := true
	for checked := 0; len(queue) > 0 && checked < limit; checked++ {
		u := queue[0]
		queue = queue[1:]
		if !checkPage(t, ctx, u) {
			continue
		}
		links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("a[href]"))
  .filter(a => !a.hasAttribute("download") && a.target !== "_blank" && a.origin === location.origin)
  .map(a => a.origin + a.pathname + a.search)`))
		if err != nil {
			t.Errorf("%s: %v", u, err)
			continue
		}
		if first {
			nav, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("nav .nav a[href]")).map(a => a.href)`))
			if err != nil {
				t.Errorf("%s: %v", u, err)
			}
			menu = append([]string{start}, nav...)
			first = false
		}
		for _, l := range links {
			p, err := url.Parse(l)
			if err != nil || !strings.HasPrefix(l, base) || skipPath(p.Path) {
				continue
			}
			kind := pageKind(l)
			section := strings.SplitN(strings.TrimPrefix(p.Path, "/"), "/", 2)[0]
			if kinds[kind] || sections[section] >= 4 {
				continue
			}
			kinds[kind] = true
			sections[section]++
			queue = append(queue, l)
		}
	}
	return menu
}

var number = regexp.MustCompile(`/\d+`)

// pageKind is a page's path with its numbers and query left out:
// /enterprises/12?tab=facts → /enterprises/n.
func pageKind(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	return number.ReplaceAllString(path.Clean(p.Path), "/n")
}

// skipPath: links that are not pages to read (signing out, switching the
// language, files and the API).
func skipPath(p string) bool {
	for _, prefix := range []string{"/logout", "/lang/", "/static/", "/api/"} {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	for _, suffix := range []string{".csv", ".xlsx", ".json", ".yaml", "/export"} {
		if strings.HasSuffix(p, suffix) {
			return true
		}
	}
	return false
}
