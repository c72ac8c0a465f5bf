package outreach

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
)

// DemoOptions say how the demo park's outreach is made.
type DemoOptions struct {
	// Liaisons are the demo park's liaisons, who become the contacts.
	Liaisons iter.Seq[DemoLiaison]
	// Showcase is the demo liaison's enterprise: its package is delivered
	// and waits for an answer in the portal.
	Showcase int64
	// Now is the demo's present; history is set in the weeks before it.
	Now time.Time
}

// DemoLiaison is an enterprise's liaison in the demo park.
type DemoLiaison struct {
	USCC, Name, Email, Phone string
	// SMS: the liaison takes messages by SMS too (by e-mail always).
	SMS bool
}

// DemoReport says what LoadDemo made.
type DemoReport struct {
	Contacts int
	Packages map[PackageStatus]int
	Offers   map[ItemStatus]int
	// Showcased is whether the showcase enterprise got a delivered package
	// (it needs an eligible result for one).
	Showcased bool
}

// demoStages are how many packages the demo puts in each state, besides the
// showcase; the rest stay drafts for officers to review.
var demoStages = []struct {
	stage string
	n     int
}{
	{"queued", 6},    // approved, waiting in the outbox: `parkdesk push` sends them
	{"delivered", 6}, // delivered, not opened
	{"read", 6},
	{"answered", 6}, // confirmed or applied for
	{"granted", 6},
	{"declined", 3},
	{"withdrawn", 3},
}

// LoadDemo makes the demo park's outreach, after matching: the liaisons'
// contacts (example.com addresses, which RFC 2606 reserves), the packages the results give, and a few
// packages in each state with a history in the two weeks before opts.Now. On a
// database whose contacts are made already it does nothing.
func (s *Service) LoadDemo(ctx context.Context, opts DemoOptions) (DemoReport, error) {
	report := DemoReport{Packages: map[PackageStatus]int{}, Offers: map[ItemStatus]int{}}
	var existing int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM outreach_contacts").Scan(&existing); err != nil {
		return report, err
	}
	if existing > 0 {
		return report, nil
	}
	n, err := s.demoContacts(ctx, opts.Liaisons, opts.Now)
	if err != nil {
		return report, err
	}
	report.Contacts = n
	actor := auth.System("demo")
	at := func(daysAgo int) *Service {
		c := *s
		t := opts.Now.AddDate(0, 0, -daysAgo)
		c.Now = func() time.Time { return t }
		return &c
	}
	if _, err := at(14).Build(ctx, actor); err != nil {
		return report, err
	}
	drafts, err := s.demoDrafts(ctx, opts.Showcase)
	if err != nil {
		return report, err
	}
	if len(drafts) > 0 && drafts[0].EnterpriseID == opts.Showcase {
		if err := s.demoDeliver(ctx, at(3), drafts[0].ID); err != nil {
			return report, err
		}
		report.Showcased = true
		drafts = drafts[1:]
	}
	for _, st := range demoStages {
		for range st.n {
			if len(drafts) == 0 {
				break
			}
			p := drafts[0]
			drafts = drafts[1:]
			if err := s.demoStage(ctx, at, actor, p, st.stage); err != nil {
				return report, fmt.Errorf("outreach: demo package %d (%s): %w", p.ID, st.stage, err)
			}
		}
	}
	return report, s.demoCounts(ctx, &report)
}

// demoContacts writes the generated liaisons as contacts.
func (s *Service) demoContacts(ctx context.Context, liaisons iter.Seq[DemoLiaison], now time.Time) (int, error) {
	ids := map[string]int64{}
	rows, err := s.DB.Query(ctx, "SELECT uscc, id FROM enterprises")
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var uscc string
		var id int64
		if err := rows.Scan(&uscc, &id); err != nil {
			rows.Close()
			return 0, err
		}
		ids[uscc] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	stamp := store.FormatTime(now)
	var written int64
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		var err error
		written, err = tx.InsertRows(ctx, store.Insert{Table: "outreach_contacts",
			Columns: []string{"enterprise_id", "name", "email", "phone", "by_email", "by_sms", "updated_by", "updated_at"},
			Suffix:  "ON CONFLICT (enterprise_id) DO NOTHING"},
			func(yield func([]any) bool) {
				for l := range liaisons {
					id, ok := ids[l.USCC]
					if !ok {
						continue
					}
					if !yield([]any{id, l.Name, l.Email, l.Phone, true, l.SMS, "cli:demo", stamp}) {
						return
					}
				}
			})
		return err
	})
	return int(written), err
}

// demoDrafts lists the drafts, the showcase enterprise's first.
func (s *Service) demoDrafts(ctx context.Context, showcase int64) ([]Package, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, enterprise_id FROM outreach_packages WHERE status = 'draft'
ORDER BY CASE WHEN enterprise_id = ? THEN 0 ELSE 1 END, id LIMIT 200`, showcase)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Package
	for rows.Next() {
		var p Package
		if err := rows.Scan(&p.ID, &p.EnterpriseID); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// demoStage takes one draft to a stage, through the service's own methods
// at dates in the past.
func (s *Service) demoStage(ctx context.Context, at func(daysAgo int) *Service, actor auth.Principal, p Package, stage string) error {
	switch stage {
	case "queued":
		return at(0).Approve(ctx, actor, p.ID)
	case "withdrawn":
		return at(12).Withdraw(ctx, actor, p.ID)
	}
	if err := s.demoDeliver(ctx, at(13), p.ID); err != nil {
		return err
	}
	if stage == "delivered" {
		return nil
	}
	if err := at(10).MarkRead(ctx, actor, p.ID); err != nil {
		return err
	}
	items, err := loadItems(ctx, s.DB, " WHERE i.package_id = ? ORDER BY i.id", p.ID)
	if err != nil || stage == "read" {
		return err
	}
	for _, it := range items {
		a := Answer{Status: ItemConfirmed}
		if it.Mode == policy.Apply {
			a.Status = ItemApplied
		}
		if stage == "declined" {
			a = Answer{Status: ItemDeclined, Reason: "本年度暂不申请 / not this year"}
		}
		if err := at(8).Respond(ctx, actor, it.ID, a); err != nil {
			return err
		}
		if f, ok := ParseFen(it.Amount); stage == "granted" && ok && f > 0 {
			on := at(3).now().Format(time.DateOnly)
			if err := at(2).RecordGrant(ctx, actor, it.ID, Grant{Amount: it.Amount, On: on}); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoDeliver approves a draft and records its deliveries as sent a day
// after: history the outbox did not make.
func (s *Service) demoDeliver(ctx context.Context, approver *Service, packageID int64) error {
	if err := approver.Approve(ctx, auth.System("demo"), packageID); err != nil {
		return err
	}
	sent := store.FormatTime(approver.now().AddDate(0, 0, 1))
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE outreach_deliveries SET status = 'sent', attempts = 1, sent_at = ?, enqueued_at = ?
WHERE package_id = ?`, sent, sent, packageID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "UPDATE outreach_packages SET status = 'delivered', delivered_at = ? WHERE id = ?", sent, packageID)
		return err
	})
}

func (s *Service) demoCounts(ctx context.Context, r *DemoReport) error {
	for _, q := range []struct {
		query string
		put   func(string, int)
	}{
		{"SELECT status, COUNT(*) FROM outreach_packages GROUP BY status", func(k string, n int) { r.Packages[PackageStatus(k)] = n }},
		{"SELECT status, COUNT(*) FROM outreach_items GROUP BY status", func(k string, n int) { r.Offers[ItemStatus(k)] = n }},
	} {
		rows, err := s.DB.Query(ctx, q.query)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				rows.Close()
				return err
			}
			q.put(k, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}
