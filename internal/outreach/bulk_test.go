package outreach

import (
	"context"
	"testing"

	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// TestApproveDrafts: an officer approves every draft of a policy at once
// (the filter, not one page), or the ones checked; each package is
// audited as if approved alone, plus one entry for the bulk decision, and
// a park-limited officer cannot reach another park's drafts.
func TestApproveDrafts(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		var ids []int64
		for i, pol := range []string{"hnte", "hnte", "tech-sme"} {
			e, _ := mustEnterprise(t, db, "企业"+itoa(int64(i)), "a")
			mustResult(t, db, result{enterprise: e, policy: pol, amount: "120000.00"})
			ids = append(ids, e)
		}
		other, _ := mustEnterprise(t, db, "别的园区企业", "b")
		mustResult(t, db, result{enterprise: other, policy: "hnte", amount: "120000.00"})
		mustBuild(t, s)
		var parkA int64
		if err := db.QueryRow(ctx, "SELECT park_id FROM enterprises WHERE id = ?", ids[0]).Scan(&parkA); err != nil {
			t.Fatal(err)
		}
		rep, err := s.ApproveDrafts(ctx, officer(parkA), PackageFilter{Policy: "hnte"}, nil)
		if err != nil || rep.Approved != 2 || rep.Skipped != 0 {
			t.Fatalf("approve the HNTE drafts of park a: %+v, %v; want 2 approved", rep, err)
		}
		for i, e := range ids {
			want := PackageApproved
			if i == 2 {
				want = PackageDraft
			}
			if got := packagesOf(t, s, e)[0].Status; got != want {
				t.Errorf("enterprise %d's package is %s, want %s", i, got, want)
			}
		}
		if got := packagesOf(t, s, other)[0].Status; got != PackageDraft {
			t.Errorf("another park's draft is %s: a park-limited officer approved it", got)
		}
		var single, bulk int
		db.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'outreach.package.approve'").Scan(&single)
		db.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'outreach.package.approve_bulk'").Scan(&bulk)
		if single != 2 || bulk != 1 {
			t.Errorf("audit: %d approvals and %d bulk entries, want 2 and 1", single, bulk)
		}
		third := packagesOf(t, s, ids[2])[0].ID
		rep, err = s.ApproveDrafts(ctx, officer(0), PackageFilter{}, []int64{third, packagesOf(t, s, ids[0])[0].ID})
		if err != nil || rep.Approved != 1 || rep.Skipped != 1 {
			t.Errorf("approve the checked (one approved already): %+v, %v", rep, err)
		}
		if _, err := s.ApproveDrafts(ctx, liaison(ids[0]), PackageFilter{}, nil); err == nil {
			t.Error("a liaison approved packages")
		}
	})
}
