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

// TestBrowserProjectJourney is the journey: an officer imports
// projects, signings and funds through the page; the leader opens the
// cockpit and the monthly report, in Chinese and in English, at 1366 and
// at 390 pixels, and no page scrolls sideways.
// PARKDESK_SCREENSHOTS=DIR saves the pages at both widths.
func TestBrowserProjectJourney(t *testing.T) {
	ctx := startChromium(t)
	bg := context.Background()
	db := storetest.Open(t, store.SQLite)
	if err := facts.SeedDictionary(bg, db); err != nil {
		t.Fatal(err)
	}
	if err := enterprise.CreatePark(bg, db, &enterprise.Park{Code: "hq", NameZh: "高新区本部", NameEn: "High-tech Zone HQ"}); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return fixtureNow } // 2024-05-31
	svc := auth.NewService(db)
	svc.Hasher = auth.Hasher{Params: auth.Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}
	bp := &browserPark{db: db, password: "browser journey password"}
	for _, spec := range []auth.UserSpec{
		{Login: "officer", DisplayName: "招商局 王干部", Role: auth.RoleOfficer},
		{Login: "leader", DisplayName: "园区领导", Role: auth.RoleLeader},
	} {
		spec.Password = bp.password
		if _, err := svc.CreateUser(bg, auth.System("test"), spec); err != nil {
			t.Fatal(err)
		}
	}
	srv := New(Deps{DB: db, Store: db, Auth: svc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: now})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	bp.url = ts.URL

	dir := t.TempDir()
	files := map[string]string{
		"projects.csv": "项目编号,项目名称,投资方,行业代码,阶段,预计产值,园区\n" +
			"ZS-001,动力电池电芯生产线项目,宁远新能源科技股份有限公司,C3841,在谈,50亿,hq\n" +
			"ZS-002,工业机器人整机制造项目,华辰智能装备有限公司,C3491,在谈,12亿,hq\n" +
			"ZS-003,工业软件研发总部项目,数衡软件股份有限公司,I6513,推介,,hq\n",
		"signings.csv": "code,signed_on,total_investment,ceremony\nZS-001,2023-04-18,20亿,春季重大项目集中签约\nZS-002,2024-03-28,6亿,春季重大项目集中签约\nZS-001,2024-02-20,26亿,\n",
		"funds.csv":    "code,month,funds_in_place\nZS-001,2023-05,2亿\nZS-001,2024-05,10亿\nZS-002,2024-05,3.4亿\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	shots := os.Getenv("PARKDESK_SCREENSHOTS")
	if shots != "" {
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// check looks at the page at 1366 and 390 pixels: nothing may make it
	// scroll sideways; with PARKDESK_SCREENSHOTS it saves both.
	check := func(ctx context.Context, name string) error {
		for _, width := range []int64{1366, 390} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
				return err
			}
			if err := waitFor(ctx, `document.readyState === "complete"`); err != nil {
				return err
			}
			// The charts redraw a moment after the window is resized (as
			// a phone turned sideways): give them two seconds to fit.
			settle, cancel := context.WithTimeout(ctx, 2*time.Second)
			_ = waitFor(settle, `document.documentElement.scrollWidth <= document.documentElement.clientWidth`)
			cancel()
			over, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
			if err != nil {
				return err
			}
			if over > 0 {
				t.Errorf("%s at %d px scrolls sideways by %d px", name, width, over)
			}
			if shots == "" {
				continue
			}
			img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(shots, name+"-"+strconv.FormatInt(width, 10)+".png"), img, 0o644); err != nil {
				return err
			}
		}
		return chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900))
	}

	journey(t, ctx, func(ctx context.Context) error {
		// The officer imports the three files, each all or nothing.
		if err := bp.signIn(ctx, "officer"); err != nil {
			return err
		}
		if err := visitShown(ctx, bp.url+"/projects", "#file"); err != nil {
			return err
		}
		if err := switchLang(ctx, "zh-CN"); err != nil {
			return err
		}
		for _, name := range []string{"projects.csv", "signings.csv", "funds.csv"} {
			if err := upload(ctx, "#file", []string{filepath.Join(dir, name)}); err != nil {
				return err
			}
			if err := doSteps(ctx, clicked("#project-import"), showing(".notice.ok")); err != nil {
				return fmt.Errorf("import %s: %w", name, err)
			}
			done, err := text(ctx, ".notice.ok")
			if err != nil {
				return err
			}
			if !strings.Contains(done, "已导入 3 行") {
				t.Errorf("after %s the page says %q", name, done)
			}
		}
		if err := check(ctx, "projects-officer"); err != nil {
			return err
		}
		if err := doSteps(ctx, clicked(`a[href="/projects/ZS-001"]`), showing("#signings-h")); err != nil {
			return err
		}
		if err := check(ctx, "project-detail"); err != nil {
			return err
		}
		if err := visitShown(ctx, bp.url+"/projects/space", "#spaces-h"); err != nil {
			return err
		}
		if err := check(ctx, "project-space"); err != nil {
			return err
		}
		if err := bp.signOut(ctx); err != nil {
			return err
		}

		// The leader opens the cockpit of May 2024: funds of 13.4亿 against
		// 2亿 a year earlier, +570 %.
		if err := bp.signIn(ctx, "leader"); err != nil {
			return err
		}
		if err := visitShown(ctx, bp.url+"/cockpit?period=2024-05", "#kpi-funds_in_place"); err != nil {
			return err
		}
		funds, err := text(ctx, "#kpi-funds_in_place")
		if err != nil {
			return err
		}
		card, err := text(ctx, ".stats")
		if err != nil {
			return err
		}
		if funds != "13.4亿元" || !strings.Contains(card, "+570.0%") {
			t.Errorf("the cockpit shows funds %q and %q", funds, card)
		}
		if err := waitFor(ctx, `document.querySelectorAll(".chart canvas").length >= 2`); err != nil {
			return fmt.Errorf("the charts are not drawn: %w", err)
		}
		if err := check(ctx, "cockpit-zh"); err != nil {
			return err
		}
		if err := doSteps(ctx, clicked(`a[href^="/cockpit/report?"]`), showing("#ind-h")); err != nil {
			return err
		}
		report, err := text(ctx, "table.indicators")
		if err != nil {
			return err
		}
		if !strings.Contains(report, "签约总投资") || !strings.Contains(report, "+570.0%") {
			t.Errorf("the monthly report reads %q", report)
		}
		if err := check(ctx, "report-zh"); err != nil {
			return err
		}
		// In English.
		if err := switchLang(ctx, "en"); err != nil {
			return err
		}
		if err := visitShown(ctx, bp.url+"/cockpit?period=2024-05", "#kpi-funds_in_place"); err != nil {
			return err
		}
		if funds, err = text(ctx, "#kpi-funds_in_place"); err != nil {
			return err
		}
		if funds != "¥1.34B" {
			t.Errorf("the English cockpit shows funds %q", funds)
		}
		if err := check(ctx, "cockpit-en"); err != nil {
			return err
		}
		if err := visitShown(ctx, bp.url+"/cockpit/report?period=2024-05", "#ind-h"); err != nil {
			return err
		}
		return check(ctx, "report-en")
	})
}
