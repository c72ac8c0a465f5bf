package outreach

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// deliveredPackage builds and approves a package of an HNTE (apply) and a
// job-retention refund (automatic, 免申即享) offer, and marks it delivered
// as the outbox would.
func deliveredPackage(t *testing.T, s *Service, db *store.DB, e int64) Package {
	t.Helper()
	mustResult(t, db, result{enterprise: e, policy: "hnte", amount: "120000.00"})
	mustResult(t, db, result{enterprise: e, policy: "job-retention-refund", amount: "380000.00"})
	mustBuild(t, s)
	p := packagesOf(t, s, e)[0]
	mustApprove(t, s, p.ID)
	o := &Outbox{DB: db, Now: s.Now}
	if err := o.markSent(context.Background(), firstDelivery(t, s, p.ID).ID, p.ID, Portal); err != nil {
		t.Fatal(err)
	}
	return packagesOf(t, s, e)[0]
}

// firstDelivery is the package's first delivery, read afresh.
func firstDelivery(t *testing.T, s *Service, packageID int64) Delivery {
	t.Helper()
	got, err := s.Package(context.Background(), system, packageID)
	if err != nil || len(got.Deliveries) == 0 {
		t.Fatalf("package %d has no delivery (%v)", packageID, err)
	}
	return got.Deliveries[0]
}

func TestTracking(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, clk := newService(t, db)
		e, _ := mustEnterprise(t, db, "示例科技", "a")
		other, _ := mustEnterprise(t, db, "别家", "a")

		mustResult(t, db, result{enterprise: e, policy: "hnte", amount: "120000.00"})
		mustBuild(t, s)
		draft := packagesOf(t, s, e)[0]
		if _, err := s.Package(ctx, liaison(e), draft.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("the liaison opened a draft: %v", err)
		}
		if err := s.Approve(ctx, liaison(e), draft.ID); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a liaison approved a package: %v", err)
		}
		if err := s.Approve(ctx, officer(2), draft.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("an officer of another park approved a package: %v", err)
		}
		if err := s.Withdraw(ctx, officer(0), draft.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.Approve(ctx, officer(0), draft.ID); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("a withdrawn package was approved: %v", err)
		}

		e2, _ := mustEnterprise(t, db, "示例智能", "a")
		p := deliveredPackage(t, s, db, e2)
		if p.Status != PackageDelivered || p.DeliveredAt.IsZero() {
			t.Fatalf("package %+v, want delivered", p)
		}
		inbox, err := s.Inbox(ctx, liaison(e2), e2)
		if err != nil || len(inbox) != 1 || inbox[0].ID != p.ID {
			t.Fatalf("the inbox %+v (%v), want the package", inbox, err)
		}
		if _, err := s.Inbox(ctx, liaison(other), e2); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("another enterprise's liaison read the inbox: %v", err)
		}
		if err := s.MarkRead(ctx, liaison(e2), p.ID); err != nil {
			t.Fatal(err)
		}
		hnte, jobs := p.Items[0], p.Items[1]
		answers := []struct {
			name string
			who  auth.Principal
			item int64
			a    Answer
			code apperr.Code // "" for accepted
		}{
			{"another liaison may not answer", liaison(other), hnte.ID, Answer{Status: ItemApplied}, apperr.NotFound},
			{"an officer does not answer for the enterprise", officer(0), hnte.ID, Answer{Status: ItemApplied}, apperr.Forbidden},
			{"an apply-mode offer is not confirmed", liaison(e2), hnte.ID, Answer{Status: ItemConfirmed}, apperr.Invalid},
			{"declining needs a reason", liaison(e2), hnte.ID, Answer{Status: ItemDeclined}, apperr.Invalid},
			{"declining with too long a reason", liaison(e2), hnte.ID, Answer{Status: ItemDeclined, Reason: strings.Repeat("长", 501)}, apperr.Invalid},
			{"an apply-mode offer is applied for", liaison(e2), hnte.ID, Answer{Status: ItemApplied}, ""},
			{"an offer is answered once", liaison(e2), hnte.ID, Answer{Status: ItemDeclined, Reason: "no"}, apperr.Conflict},
			{"an automatic offer is confirmed", liaison(e2), jobs.ID, Answer{Status: ItemConfirmed}, ""},
		}
		for _, c := range answers {
			t.Run(c.name, func(t *testing.T) {
				err := s.Respond(ctx, c.who, c.item, c.a)
				if got := codeOf(err); got != c.code {
					t.Errorf("answer: %v (code %q), want code %q", err, got, c.code)
				}
			})
		}

		clk.advance(10 * 24 * time.Hour)
		grants := []struct {
			name string
			who  auth.Principal
			item int64
			g    Grant
			code apperr.Code
		}{
			{"a liaison records no grant", liaison(e2), hnte.ID, Grant{Amount: "1.00", On: "2025-06-20"}, apperr.Forbidden},
			{"an amount with three decimals", officer(0), hnte.ID, Grant{Amount: "1.005", On: "2025-06-20"}, apperr.Invalid},
			{"a date in the future", officer(0), hnte.ID, Grant{Amount: "1.00", On: "2025-07-20"}, apperr.Invalid},
			{"a grant", officer(0), hnte.ID, Grant{Amount: "118000.5", On: "2025-06-20"}, ""},
			{"a second grant of the same offer", officer(0), hnte.ID, Grant{Amount: "1.00", On: "2025-06-20"}, apperr.Conflict},
		}
		for _, c := range grants {
			t.Run(c.name, func(t *testing.T) {
				err := s.RecordGrant(ctx, c.who, c.item, c.g)
				if got := codeOf(err); got != c.code {
					t.Errorf("grant: %v (code %q), want code %q", err, got, c.code)
				}
			})
		}
		got, err := s.Package(ctx, liaison(e2), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != PackageRead || got.Items[0].Status != ItemGranted || got.Items[0].GrantedAmount != "118000.50" ||
			got.Items[1].Status != ItemConfirmed {
			t.Errorf("after the answers and the grant: %+v", got)
		}
		var audited int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'outreach.%'").Scan(&audited); err != nil {
			t.Fatal(err)
		}
		// Build, withdraw; build, approve, sent, read; two answers; one grant.
		if audited < 9 {
			t.Errorf("%d outreach entries in the audit log, want every change", audited)
		}
	})
}

func codeOf(err error) apperr.Code {
	if err == nil {
		return ""
	}
	return apperr.CodeOf(err)
}

func TestContact(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		e, _ := mustEnterprise(t, db, "示例科技", "a")
		other, _ := mustEnterprise(t, db, "别家", "a")
		cases := []struct {
			name     string
			who      auth.Principal
			c        Contact
			problems []string // fields at fault; nil when accepted
			code     apperr.Code
		}{
			{"the liaison chooses e-mail and SMS", liaison(e),
				Contact{Name: "王晓明", Email: "wang@example.com", Phone: "+86 138-1234-5678", ByEmail: true, BySMS: true}, nil, ""},
			{"a channel chosen needs its address", liaison(e), Contact{ByEmail: true}, []string{"email"}, apperr.Invalid},
			{"a bad e-mail and phone", liaison(e), Contact{Email: "wang at example", Phone: "12345"}, []string{"email", "phone"}, apperr.Invalid},
			{"a liaison's robot must be the official one", liaison(e),
				Contact{ByWeCom: true, WeComWebhook: "http://10.0.0.5/hook"}, []string{"wecom_webhook"}, apperr.Invalid},
			{"the official robot", liaison(e),
				Contact{ByWeCom: true, WeComWebhook: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"}, nil, ""},
			{"an officer may name the park's own gateway", officer(0),
				Contact{ByDingTalk: true, DingTalkWebhook: "http://gateway.park.internal/robot/send?access_token=x", DingTalkSecret: "SEC1"}, nil, ""},
			{"another enterprise's liaison", liaison(other), Contact{}, nil, apperr.NotFound},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				c.c.EnterpriseID = e
				err := s.SetContact(ctx, c.who, c.c)
				if got := codeOf(err); got != c.code {
					t.Fatalf("set: %v (code %q), want %q", err, got, c.code)
				}
				var fields []string
				for _, p := range apperr.ProblemsOf(err) {
					fields = append(fields, p.Field)
				}
				if strings.Join(fields, ",") != strings.Join(c.problems, ",") {
					t.Errorf("problems at %v, want %v", fields, c.problems)
				}
			})
		}
		got, err := s.Contact(ctx, liaison(e), e)
		if err != nil {
			t.Fatal(err)
		}
		if !got.DingTalkSigned || got.DingTalkSecret != "" || !got.ByDingTalk || got.Channels()[1] != DingTalk {
			t.Errorf("the liaison reads %+v: want the DingTalk robot, signed, and the secret hidden", got)
		}
		dept := auth.Principal{UserID: 4, Label: "tax", Role: auth.RoleDepartment, Department: "tax"}
		masked, err := s.Contact(ctx, dept, e)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(masked.DingTalkWebhook, "access_token") {
			t.Errorf("a department sees the robot's key: %q", masked.DingTalkWebhook)
		}
		// An officer's edit that leaves the secret field as the form shows it
		// keeps the secret.
		got.DingTalkSecret = KeepSecret
		if err := s.SetContact(ctx, officer(0), got); err != nil {
			t.Fatal(err)
		}
		stored, err := loadContact(ctx, db, e)
		if err != nil || stored.DingTalkSecret != "SEC1" {
			t.Errorf("the secret after an edit: %q (%v)", stored.DingTalkSecret, err)
		}
	})
}
