package web

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/outreach"
)

// TestBrowserOutreachJourney: an officer approves a benefit package in the
// browser, the outbox sends it (as `parkdesk push` does), and the liaison
// sees it in the portal and confirms an offer.
func TestBrowserOutreachJourney(t *testing.T) {
	ctx := startChromium(t)
	bp := newBrowserPark(t)
	shots := shooter{t: t, dir: os.Getenv("PARKDESK_SCREENSHOTS")}
	if shots.dir == "" {
		shots.dir = t.TempDir()
	} else if err := os.MkdirAll(shots.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	set, err := shippedPolicySet()
	if err != nil {
		t.Fatal(err)
	}
	svc := &outreach.Service{DB: bp.db, Policies: set.Library, Now: func() time.Time { return fixtureNow }}
	if _, err := svc.Build(context.Background(), auth.System("test")); err != nil {
		t.Fatal(err)
	}
	pkgs, _, err := svc.Packages(context.Background(), auth.System("test"), outreach.PackageFilter{EnterpriseID: bp.own.ID})
	if err != nil || len(pkgs) != 1 {
		t.Fatalf("the liaison's enterprise has packages %+v (%v), want one draft", pkgs, err)
	}
	pkg := pkgs[0]
	var automatic outreach.Item
	for _, it := range pkg.Items {
		if it.Mode == "automatic" {
			automatic = it
		}
	}
	if automatic.ID == 0 {
		t.Skip("the liaison's enterprise has no automatic benefit in this demo park")
	}

	ok := t.Run("the officer approves the package", func(t *testing.T) {
		journey(t, ctx, func(ctx context.Context) error {
			if err := bp.signIn(ctx, "officer"); err != nil {
				return err
			}
			if err := visitShown(ctx, bp.url+"/outreach/packages/"+id(pkg.ID), "#approve"); err != nil {
				return err
			}
			if err := shots.shot(ctx, "outreach-package-en"); err != nil {
				return err
			}
			if err := click(ctx, "#approve"); err != nil {
				return err
			}
			if err := waitFor(ctx, `document.querySelector('[data-status="approved"]') !== null && document.querySelector("#approve") === null`); err != nil {
				return err
			}
			return bp.signOut(ctx)
		})
	})
	if r, err := pushOutbox(t, bp.db); err != nil || r.Sent == 0 {
		t.Fatalf("push after the approval: %+v, %v", r, err)
	}

	ok = ok && t.Run("the liaison sees it in the portal and confirms", func(t *testing.T) {
		journey(t, ctx, func(ctx context.Context) error {
			if err := bp.signIn(ctx, "liaison"); err != nil {
				return err
			}
			open := fmt.Sprintf("#open-%d", pkg.ID)
			if err := visitShown(ctx, bp.url+"/portal/inbox", open); err != nil {
				return err
			}
			if err := click(ctx, open); err != nil {
				return err
			}
			confirm := fmt.Sprintf("#confirm-%d", automatic.ID)
			if err := waitFor(ctx, shown(confirm)); err != nil {
				return err
			}
			if err := shots.shot(ctx, "outreach-inbox-en"); err != nil {
				return err
			}
			if err := click(ctx, confirm); err != nil {
				return err
			}
			offer := fmt.Sprintf(`#offer-%d [data-status="confirmed"]`, automatic.ID)
			if err := waitFor(ctx, `document.querySelector('`+offer+`') !== null`); err != nil {
				return err
			}
			status, err := text(ctx, fmt.Sprintf("#offer-%d [data-status]", automatic.ID))
			if err != nil {
				return err
			}
			if !strings.EqualFold(strings.TrimSpace(status), "confirmed") {
				return fmt.Errorf("the offer shows %q after confirming", status)
			}
			return bp.signOut(ctx)
		})
	})
	if !ok {
		return
	}
	got, err := svc.Package(context.Background(), auth.System("test"), pkg.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range got.Items {
		if it.ID == automatic.ID && it.Status != outreach.ItemConfirmed {
			t.Errorf("the offer is %s in the database, want confirmed", it.Status)
		}
	}
	if got.Status != outreach.PackageRead {
		t.Errorf("the package is %s, want read", got.Status)
	}
}
