package touch

import (
	"slices"
	"testing"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// TestRequestsByStatus: a list filtered by status holds the requests in that
// status only, beside the other filters — pending is written into the
// query's text and every other status is bound (read.go), so both ways are
// asked, each with the filters whose arguments come before it.
func TestRequestsByStatus(t *testing.T) {
	withDB(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		stats := w.user("stats", auth.RoleDepartment, "stats", 0)
		fileReport := func() Request {
			return w.file(stats, RequestSpec{EnterpriseID: w.enterprise("C3911").ID, Kind: KindDataReport, Basis: "《统计法》第七条",
				Minutes: 30, Earliest: mustDate(t, "2025-03-03"), Latest: mustDate(t, "2025-03-31"),
				Fields: []FieldWant{{Field: "total_assets"}}})
		}
		pending, withdrawn := fileReport(), fileReport()
		if err := w.svc.Withdraw(w.ctx, stats, withdrawn.ID); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			filter RequestFilter
			want   []int64
		}{
			{RequestFilter{Status: StatusPending}, []int64{pending.ID}},
			{RequestFilter{EnterpriseID: pending.EnterpriseID, Department: "stats", Status: StatusPending}, []int64{pending.ID}},
			{RequestFilter{EnterpriseID: withdrawn.EnterpriseID, Status: StatusPending}, nil},
			{RequestFilter{Department: "tax", Status: StatusPending}, nil},
			{RequestFilter{Status: StatusWithdrawn}, []int64{withdrawn.ID}},
			{RequestFilter{EnterpriseID: withdrawn.EnterpriseID, Department: "stats", Status: StatusWithdrawn}, []int64{withdrawn.ID}},
			{RequestFilter{}, []int64{withdrawn.ID, pending.ID}},
		} {
			list, err := w.svc.Requests(w.ctx, stats, c.filter)
			if err != nil {
				t.Fatalf("%+v: %v", c.filter, err)
			}
			var got []int64
			for _, r := range list {
				got = append(got, r.ID)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("requests %+v: %v, want %v", c.filter, got, c.want)
			}
		}
	})
}
