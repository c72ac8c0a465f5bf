package web

import (
	"context"
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
	"github.com/parkdesk/parkdesk/internal/tech"
)

// TestBrowserTechJourney is the journey: a liaison posts a
// technology need in the portal and sees achievements recommended; an
// officer opens the need, sees the achievements ranked with their reasons
// and introduces the first; follows the contact through talks to a signed
// contract; and the dashboard counts the contract and its value.
// PARKDESK_SCREENSHOTS=DIR saves the pages at 1366 and 390 pixels wide.
func TestBrowserTechJourney(t *testing.T) {
	ctx := startChromium(t)
	bg := context.Background()
	db := storetest.Open(t, store.SQLite)
	if err := facts.SeedDictionary(bg, db); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return fixtureNow }
	moulder := enterprise.Enterprise{USCC: enterprise.MakeUSCC("330106", 41), Name: "杭州精塑汽车部件有限公司", IndustryCode: "C2929"}
	if err := enterprise.Create(bg, db, &moulder); err != nil {
		t.Fatal(err)
	}
	catalogue, err := os.ReadFile("../tech/testdata/handmade_achievements.csv")
	if err != nil {
		t.Fatal(err)
	}
	desk := &tech.Service{DB: db, Now: now}
	if _, err := desk.ImportAchievements(bg, auth.System("test"), "handmade_achievements.csv", catalogue, false); err != nil {
		t.Fatal(err)
	}
	svc := auth.NewService(db)
	svc.Hasher = auth.Hasher{Params: auth.Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}
	bp := &browserPark{db: db, password: "browser journey password"}
	for _, spec := range []auth.UserSpec{
		{Login: "officer", DisplayName: "经发局 王干部", Role: auth.RoleOfficer},
		{Login: "liaison", DisplayName: "企业联络员 李女士", Role: auth.RoleEnterprise, EnterpriseID: moulder.ID},
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
	shots := os.Getenv("PARKDESK_SCREENSHOTS")
	if shots != "" {
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	shoot := func(ctx context.Context, name string) error {
		if shots == "" {
			return nil
		}
		for _, width := range []int64{1366, 390} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
				return err
			}
			img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100 gives a PNG
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
		// The liaison posts a need and sees what the catalogue offers.
		if err := bp.signIn(ctx, "liaison"); err != nil {
			return err
		}
		if err := visitShown(ctx, bp.url+"/portal/tech", "#need-form"); err != nil {
			return err
		}
		if err := switchLang(ctx, "zh-CN"); err != nil {
			return err
		}
		if err := doSteps(ctx,
			filled("#p-title", "汽车内饰注塑件缩痕翘曲"),
			filled("#p-desc", "汽车内饰注塑件表面出现缩痕和翘曲，废品率高，希望通过模流分析优化模具和注塑工艺参数。"),
			filled("#p-budget", "50万"),
			clicked("#post-need"),
			showing("#rec-A02"),
		); err != nil {
			return err
		}
		first, err := text(ctx, ".result h3")
		if err != nil {
			return err
		}
		if !strings.Contains(first, "模流分析") {
			t.Errorf("the liaison's first recommendation is %q", first)
		}
		if err := shoot(ctx, "tech-portal-need"); err != nil {
			return err
		}
		if err := bp.signOut(ctx); err != nil {
			return err
		}

		// The officer sees the need ranked with reasons, and introduces.
		if err := bp.signIn(ctx, "officer"); err != nil {
			return err
		}
		if err := doSteps(ctx, visited(bp.url+"/tech/needs", "h1"),
			clicked(`a[href^="/tech/needs/"]`),
			showing("#introduce-A02")); err != nil {
			return err
		}
		why, err := text(ctx, "#rec-A02 .why")
		if err != nil {
			return err
		}
		if !strings.Contains(why, "模流分析") || !strings.Contains(why, "共同术语") {
			t.Errorf("the reason shown is %q", why)
		}
		if err := shoot(ctx, "tech-need-officer"); err != nil {
			return err
		}
		if err := doSteps(ctx, clicked("#introduce-A02"), showing("#to-talks")); err != nil {
			return err
		}
		// Talks, then the contract.
		if err := doSteps(ctx, clicked("#to-talks"), gone("#to-talks"),
			filled("#amount", "120万"),
			filled("#mode", "license"),
			filled("#signed_on", "2024-05-30"),
			clicked("#to-signed"),
			gone("#sign-form")); err != nil {
			return err
		}
		summary, err := text(ctx, ".notice.ok")
		if err != nil {
			return err
		}
		if !strings.Contains(summary, "120万元") || !strings.Contains(summary, "许可") {
			t.Errorf("the signed docking says %q", summary)
		}
		if err := shoot(ctx, "tech-docking"); err != nil {
			return err
		}
		if err := bp.signOut(ctx); err != nil {
			return err
		}

		// The leader's dashboard counts the contract.
		if err := bp.signIn(ctx, "leader"); err != nil {
			return err
		}
		if err := visitShown(ctx, bp.url+"/dashboard", "#tech-contracts"); err != nil {
			return err
		}
		contracts, err := text(ctx, "#tech-contracts")
		if err != nil {
			return err
		}
		value, err := text(ctx, "#tech-value")
		if err != nil {
			return err
		}
		if contracts != "1" || value != "120万元" {
			t.Errorf("the dashboard counts %q contracts worth %q, want 1 and 120万元", contracts, value)
		}
		return shoot(ctx, "tech-dashboard")
	})
}
