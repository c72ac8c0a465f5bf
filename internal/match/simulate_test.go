package match

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/match/vector"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// TestSimulateDraft raises a threshold of a shipped policy in a draft and
// checks the simulation's counts against the two versions' results
// computed one by one, and that nothing is stored.
func TestSimulateDraft(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ids := mustPark(t, db, 80, 41)
		m := mustMatcher(t)
		raw, err := os.ReadFile("../../policies/small-low-profit-2023.yaml")
		if err != nil {
			t.Fatal(err)
		}
		draft := strings.Replace(string(raw), "value: 3000000}", "value: 1000000}", 1)
		if draft == string(raw) {
			t.Fatal("the draft changes nothing: the threshold's text moved")
		}
		rep, err := m.Simulate(ctx, db, "draft.yaml", []byte(draft), SimOptions{On: testOn, Limit: 3, PartitionSize: 30})
		if err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, db, "match_results"); n != 0 {
			t.Errorf("the simulation stored %d results", n)
		}
		if rep.Enterprises != len(ids) || rep.Current == nil {
			t.Fatalf("report over %d enterprises, current %v", rep.Enterprises, rep.Current)
		}
		// The same figures, one version at a time.
		cur, _ := m.Program(testOn, "small-low-profit-2023")
		set, _, err := m.set.CompileDraft("draft.yaml", []byte(draft))
		if err != nil {
			t.Fatal(err)
		}
		only, _ := vector.Compile(set.Subset(set.Policies[0].ID()), testOn)
		cc, err := LoadChunk(ctx, db, cur, ids[0], ids[len(ids)-1])
		if err != nil {
			t.Fatal(err)
		}
		dc, err := LoadChunk(ctx, db, only, ids[0], ids[len(ids)-1])
		if err != nil {
			t.Fatal(err)
		}
		ce, _ := cur.Evaluate(cc, nil, 2)
		de, _ := only.Evaluate(dc, nil, 2)
		gainers, losers, eligible := 0, 0, 0
		for r := range ids {
			before, after := ce.Policies[0].Summary(r), de.Policies[0].Summary(r)
			if after.Status == "eligible" {
				eligible++
			}
			if after.Status == "eligible" && before.Status != "eligible" {
				gainers++
			}
			if after.Status != "eligible" && before.Status == "eligible" {
				losers++
			}
		}
		if rep.Draft.Eligible != eligible || rep.Gainers.Count != gainers || rep.Losers.Count != losers {
			t.Errorf("simulation: %d eligible, %d gain, %d lose; one by one: %d, %d, %d",
				rep.Draft.Eligible, rep.Gainers.Count, rep.Losers.Count, eligible, gainers, losers)
		}
		if losers == 0 {
			t.Error("lowering the income threshold should exclude someone in a park of 80")
		}
		if len(rep.Losers.Enterprises) != min(3, losers) || (losers > 0 && rep.Losers.Enterprises[0].Name == "") {
			t.Errorf("losers listed: %+v", rep.Losers.Enterprises)
		}
		if rep.Current.Eligible-rep.Draft.Eligible != losers-gainers {
			t.Errorf("eligible %d → %d does not match %d losers and %d gainers", rep.Current.Eligible, rep.Draft.Eligible, losers, gainers)
		}
	})
}
