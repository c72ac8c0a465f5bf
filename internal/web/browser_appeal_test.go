package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parkdesk/parkdesk/internal/auth"
)

// TestBrowserAppealJourney is the journey in the browser, on a
// phone (390 px wide) with the measures also on a desktop (1366 px): the
// liaison raises an appeal → the officer routes it → the department
// accepts and replies → the liaison rates it 不满意 and it reopens → the
// department replies again and the liaison is satisfied → the measures
// show one reopened and one closed. No page scrolls sideways.
func TestBrowserAppealJourney(t *testing.T) {
	ctx := startChromium(t)
	bp := newBrowserPark(t)
	bg := context.Background()
	// Thursday 26 September 2024, 10:00 in the park: National Day (1–7
	// October) ahead.
	now := func() time.Time { return time.Date(2024, 9, 26, 2, 0, 0, 0, time.UTC) }
	svc := auth.NewService(bp.db)
	svc.Hasher = auth.Hasher{Params: auth.Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}
	if _, err := svc.CreateUser(bg, auth.System("test"), auth.UserSpec{Login: "dept-econ", DisplayName: "经发局 孙科长",
		Role: auth.RoleDepartment, Department: "econ", Password: bp.password}); err != nil {
		t.Fatal(err)
	}
	srv := New(Deps{DB: bp.db, Store: bp.db, Auth: svc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: now})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	park := *bp
	park.url = ts.URL

	// fits checks that the page does not scroll sideways.
	fits := func(ctx context.Context, what string) error {
		if err := waitFor(ctx, `document.readyState === "complete"`); err != nil {
			return err
		}
		over, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
		if err != nil {
			return err
		}
		if over > 0 {
			culprit, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 4).map(e => e.tagName + "." + e.className + "#" + e.id).join(" ")`))
			return fmt.Errorf("%s scrolls sideways by %d px (%s)", what, over, culprit)
		}
		return nil
	}
	status := func(ctx context.Context, want string) error {
		if err := waitFor(ctx, `document.querySelector('#sum-h [data-status="`+want+`"]') !== null`); err != nil {
			got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('#sum-h [data-status]') || {dataset: {}}).dataset.status || ""`))
			return fmt.Errorf("the appeal is %q, want %s: %w", got, want, err)
		}
		return nil
	}
	journey(t, ctx, func(ctx context.Context) error {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
			return err
		}
		if err := visit(ctx, park.url+"/login"); err != nil {
			return err
		}
		if err := switchLang(ctx, "zh-CN"); err != nil {
			return err
		}
		// The liaison raises an appeal.
		if err := park.signIn(ctx, "liaison"); err != nil {
			return err
		}
		if err := doSteps(ctx,
			visited(park.url+"/portal/appeals", "#appeal-form"),
			filled("#a-cat", "policy"),
			filled("#a-title", "研发费用加计扣除如何申报"),
			filled("#a-body", "今年首次申报，不清楚需要哪些材料"),
			clicked("#appeal-submit"),
			showing("#appeal-due"),
		); err != nil {
			return fmt.Errorf("file: %w", err)
		}
		// The whole check of every page (both widths, catalog words,
		// screenshots), then back to the phone the journey runs on.
		if !checkCurrent(t, ctx) {
			return fmt.Errorf("the liaison's appeal could not be checked")
		}
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
			return err
		}
		appealURL, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			return err
		}
		id := appealURL[strings.LastIndex(appealURL, "/")+1:]
		id, _, _ = strings.Cut(id, "?")
		due, err := text(ctx, "#appeal-due")
		if err != nil {
			return err
		}
		// 政策咨询: one working day from Thursday 10:00.
		if !strings.Contains(due, "2024年9月27日 10:00") {
			return fmt.Errorf("the deadline reads %q", due)
		}
		if err := park.signOut(ctx); err != nil {
			return err
		}

		// The officer routes it to the economic development bureau.
		if err := park.signIn(ctx, "officer"); err != nil {
			return err
		}
		if err := doSteps(ctx,
			visited(park.url+"/appeals?status=received", "#row-"+id),
		); err != nil {
			return err
		}
		if err := fits(ctx, "the officer's work list"); err != nil {
			return err
		}
		if err := doSteps(ctx,
			visited(park.url+"/appeals/"+id, "#assign-form"),
			filled("#as-dept", "econ"),
			clicked("#assign-submit"),
		); err != nil {
			return err
		}
		if err := status(ctx, "assigned"); err != nil {
			return err
		}
		if err := park.signOut(ctx); err != nil {
			return err
		}

		// The department accepts and replies.
		reply := func(text string) error {
			if err := park.signIn(ctx, "dept-econ"); err != nil {
				return err
			}
			if err := visitShown(ctx, park.url+"/appeals/"+id, "#reply-form"); err != nil {
				return err
			}
			if err := fits(ctx, "the department's appeal"); err != nil {
				return err
			}
			if ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#accept-submit") !== null`)); ok {
				if err := click(ctx, "#accept-submit"); err != nil {
					return err
				}
				if err := status(ctx, "in_progress"); err != nil {
					return err
				}
			}
			if err := doSteps(ctx, filled("#rep", text), clicked("#reply-submit")); err != nil {
				return err
			}
			if err := status(ctx, "replied"); err != nil {
				return err
			}
			return park.signOut(ctx)
		}
		if err := reply("请登录电子税务局，在年度汇算时填报《研发费用加计扣除优惠明细表》。"); err != nil {
			return fmt.Errorf("first reply: %w", err)
		}

		// The liaison is not satisfied: the appeal goes back.
		rate := func(rating, comment, want string) error {
			if err := park.signIn(ctx, "liaison"); err != nil {
				return err
			}
			if err := visitShown(ctx, appealURL, "#rate-form"); err != nil {
				return err
			}
			if err := fits(ctx, "the rating form"); err != nil {
				return err
			}
			if err := click(ctx, `#rate-form input[value="`+rating+`"]`); err != nil {
				return err
			}
			if comment != "" {
				if err := fill(ctx, "#rate-comment", comment); err != nil {
					return err
				}
			}
			if err := click(ctx, "#rate-submit"); err != nil {
				return err
			}
			if err := status(ctx, want); err != nil {
				return err
			}
			return park.signOut(ctx)
		}
		if err := rate("unsatisfied", "没有说明需要准备哪些留存备查资料", "in_progress"); err != nil {
			return fmt.Errorf("不满意: %w", err)
		}
		if err := reply("留存备查资料：研发项目立项文件、研发人员名单、研发费用辅助账。"); err != nil {
			return fmt.Errorf("second reply: %w", err)
		}
		if err := rate("satisfied", "", "closed"); err != nil {
			return fmt.Errorf("满意: %w", err)
		}

		// The measures show it: one received, reopened once, closed.
		if err := park.signIn(ctx, "officer"); err != nil {
			return err
		}
		for _, width := range []int64{390, 1366} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
				return err
			}
			if err := visitShown(ctx, park.url+"/appeals/measures?from=2024-01&to=2024-12", "#m-reopened"); err != nil {
				return err
			}
			if err := fits(ctx, fmt.Sprintf("the measures at %d px", width)); err != nil {
				return err
			}
			for sel, want := range map[string]string{"#m-received": "1", "#m-reopened": "1", "#m-closed": "1"} {
				got, err := text(ctx, sel)
				if err != nil {
					return err
				}
				if strings.TrimSpace(got) != want {
					return fmt.Errorf("%s reads %q, want %s", sel, got, want)
				}
			}
		}
		return nil
	})
}
