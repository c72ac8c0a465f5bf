package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// TestBrowserTouchJourney is the journey in the browser: a
// department files two requests for one enterprise, the commissioner plans
// one joint visit, the liaison confirms it, the commissioner logs it on the
// day, and the department sees the outcome of each request.
func TestBrowserTouchJourney(t *testing.T) {
	ctx := startChromium(t)
	bp := newBrowserPark(t)
	bg := context.Background()

	// The park's clock, which the journey moves to the day of the visit.
	var mu sync.Mutex
	clock := time.Date(2024, 6, 3, 1, 0, 0, 0, time.UTC) // Monday 09:00 in the park
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	svc := auth.NewService(bp.db)
	svc.Hasher = auth.Hasher{Params: auth.Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}
	svc.Now = now
	for _, spec := range []auth.UserSpec{
		{Login: "dept-emergency", DisplayName: "应急管理局 赵科长", Role: auth.RoleDepartment, Department: "emergency"},
		{Login: "zhuanyuan", DisplayName: "服务专员 陈专员", Role: auth.RoleCommissioner},
	} {
		spec.Password = bp.password
		u, err := svc.CreateUser(bg, auth.System("test"), spec)
		if err != nil {
			t.Fatal(err)
		}
		if u.Role == auth.RoleCommissioner {
			if _, err := bp.db.Exec(bg, "INSERT INTO commissioner_enterprises (user_id, enterprise_id, assigned_at) VALUES (?, ?, ?)",
				u.ID, bp.own.ID, store.FormatTime(now())); err != nil {
				t.Fatal(err)
			}
		}
	}
	srv := New(Deps{DB: bp.db, Store: bp.db, Auth: svc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: now})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	park := *bp
	park.url = ts.URL

	file := func(ctx context.Context, kind, basis, earliest, latest string) error {
		return doSteps(ctx,
			visited(park.url+"/touch", "#file-form"),
			filled("#t-uscc", bp.own.USCC),
			filled("#t-kind", kind),
			filled("#t-basis", basis),
			filled("#t-earliest", earliest),
			filled("#t-latest", latest),
			clicked(`#file-form button[type=submit]`),
			showing("#request-status"),
		)
	}
	journey(t, ctx, func(ctx context.Context) error {
		if err := visit(ctx, park.url+"/login"); err != nil {
			return err
		}
		if err := switchLang(ctx, "zh-CN"); err != nil {
			return err
		}
		// The department files two requests.
		if err := park.signIn(ctx, "dept-emergency"); err != nil {
			return err
		}
		if err := file(ctx, "inspection", "《安全生产法》第六十五条 消防与危化品检查", "2024-06-05", "2024-06-14"); err != nil {
			return fmt.Errorf("file the inspection: %w", err)
		}
		inspectionURL, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			return err
		}
		if err := file(ctx, "visit", "安全生产标准化走访调研", "2024-06-10", "2024-06-21"); err != nil {
			return fmt.Errorf("file the survey: %w", err)
		}
		surveyURL, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			return err
		}
		if err := park.signOut(ctx); err != nil {
			return err
		}

		// The commissioner plans: one joint visit for both.
		if err := park.signIn(ctx, "zhuanyuan"); err != nil {
			return err
		}
		if err := doSteps(ctx,
			visited(park.url+"/touch/visits", "#plan-form"),
			filled("#p-from", "2024-06-03"),
			filled("#p-to", "2024-08-30"),
			clicked(`#plan-form button[type=submit]`),
			showing("#plan-result"),
		); err != nil {
			return err
		}
		rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#visits-open tbody tr").length`))
		if err != nil || rows != 1 {
			return fmt.Errorf("%d open visits after planning (%v), want one joint visit", rows, err)
		}
		requests, err := text(ctx, "#visits-open tbody tr td:nth-child(3)")
		if err != nil {
			return err
		}
		if strings.Count(requests, "emergency") != 2 {
			return fmt.Errorf("the joint visit carries %q, want both requests", requests)
		}
		visitURL, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#visits-open tbody a").href`))
		if err != nil {
			return err
		}
		if err := park.signOut(ctx); err != nil {
			return err
		}

		// The liaison confirms the day in the portal.
		if err := park.signIn(ctx, "liaison"); err != nil {
			return err
		}
		if err := doSteps(ctx,
			visited(park.url+"/portal/visits", `button[id^="confirm-"]`),
			clicked(`button[id^="confirm-"]`),
		); err != nil {
			return err
		}
		if err := waitFor(ctx, `document.querySelector('[data-status="confirmed"]') !== null`); err != nil {
			return fmt.Errorf("the visit is not confirmed: %w", err)
		}
		if err := park.signOut(ctx); err != nil {
			return err
		}

		// On the day, the commissioner logs the visit: the inspection
		// found a problem, the survey is done.
		mu.Lock()
		clock = time.Date(2024, 6, 14, 7, 0, 0, 0, time.UTC)
		mu.Unlock()
		if err := park.signIn(ctx, "zhuanyuan"); err != nil {
			return err
		}
		if err := doSteps(ctx,
			visited(visitURL, "#log-form"),
			filled(`#log-form select`, "not_done"),
			filled(`#log-form input[id^="note-"]`, "危化品台账未备齐，限期七日补交"),
			filled("#log-problems", "希望简化危化品备案流程"),
			clicked(`#log-form button[type=submit]`),
		); err != nil {
			return err
		}
		if err := waitFor(ctx, `document.querySelector('#visit-status [data-status="done"]') !== null`); err != nil {
			return fmt.Errorf("the visit is not logged: %w", err)
		}
		if err := park.signOut(ctx); err != nil {
			return err
		}

		// The department sees the outcome of each request.
		if err := park.signIn(ctx, "dept-emergency"); err != nil {
			return err
		}
		outcomes := map[string]string{}
		for _, u := range []string{inspectionURL, surveyURL} {
			if err := visitShown(ctx, u, "#request-status"); err != nil {
				return err
			}
			status, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#request-status [data-status]").dataset.status`))
			if err != nil {
				return err
			}
			outcomes[u] = status
		}
		// The log's first select is the first request on the visit by
		// department and id: the inspection, filed first.
		if outcomes[inspectionURL] != "not_done" || outcomes[surveyURL] != "done" {
			return fmt.Errorf("the department sees %v, want the inspection not done and the survey done", outcomes)
		}
		if err := visitShown(ctx, inspectionURL, "#request-outcome"); err != nil {
			return err
		}
		note, err := text(ctx, "#request-outcome")
		if err != nil {
			return err
		}
		if !strings.Contains(note, "危化品台账未备齐") {
			return fmt.Errorf("the outcome note reads %q", note)
		}
		return nil
	})
}
