package match

import (
	"context"
	"testing"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

func decimalSum(t *testing.T, amounts ...string) string {
	t.Helper()
	var s apd.Decimal
	for _, a := range amounts {
		var d apd.Decimal
		if _, _, err := d.SetString(a); err != nil {
			t.Fatal(err)
		}
		arith.Add(&s, &s, &d)
	}
	return fen(&s)
}

// TestQueriesAgreeWithStoredResults checks the per-enterprise, per-policy,
// park-wide and missing-data views against the stored results themselves.
func TestQueriesAgreeWithStoredResults(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ids := mustPark(t, db, 50, 31)
		m := mustMatcher(t)
		prog, err := m.Program(testOn, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.MatchRange(ctx, db, prog, ids[0], ids[len(ids)-1], nil, nil); err != nil {
			t.Fatal(err)
		}
		stored := readAllResults(t, db)
		type counts struct {
			eligible, undetermined, near int
			amounts                      []string
		}
		perPolicy := map[string]*counts{}
		perEnterprise := map[int64]*counts{}
		missingResults := map[string]int{}
		for k, r := range stored {
			if perPolicy[k.policy] == nil {
				perPolicy[k.policy] = &counts{}
			}
			if perEnterprise[k.enterprise] == nil {
				perEnterprise[k.enterprise] = &counts{}
			}
			for _, c := range []*counts{perPolicy[k.policy], perEnterprise[k.enterprise]} {
				switch {
				case r.Status == "eligible":
					c.eligible++
					if r.Amount != "" {
						c.amounts = append(c.amounts, r.Amount)
					}
				case r.Status == "undetermined":
					c.undetermined++
				case r.NearMiss != "":
					c.near++
				}
			}
			if r.Status == "undetermined" {
				for _, f := range jsonList(t, r.Missing) {
					missingResults[f]++
				}
			}
		}
		for _, pl := range prog.Policies {
			v, err := ForPolicy(ctx, db, pl.ID, testOn, 5)
			if err != nil {
				t.Fatal(err)
			}
			c := perPolicy[pl.ID]
			if v.Eligible != c.eligible || v.Undetermined != c.undetermined || v.NearMisses != c.near {
				t.Errorf("%s: view %d/%d/%d, stored %d/%d/%d", pl.ID, v.Eligible, v.Undetermined, v.NearMisses, c.eligible, c.undetermined, c.near)
			}
			if want := decimalSum(t, c.amounts...); v.TotalAmount != want {
				t.Errorf("%s: total %s, want %s", pl.ID, v.TotalAmount, want)
			}
			n := 0
			for _, g := range v.ByIndustry {
				n += g.Count
			}
			m := 0
			for _, g := range v.BySize {
				m += g.Count
			}
			if n != c.eligible || m != c.eligible || len(v.Enterprises) != min(5, c.eligible) {
				t.Errorf("%s: groups add up to %d and %d, list %d, want %d", pl.ID, n, m, len(v.Enterprises), c.eligible)
			}
		}
		for _, id := range ids[:10] {
			v, err := ForEnterprise(ctx, db, id, testOn)
			if err != nil {
				t.Fatal(err)
			}
			c := perEnterprise[id]
			if len(v.Benefits) != c.eligible || len(v.Undetermined) != c.undetermined || len(v.NearMisses) != c.near {
				t.Errorf("enterprise %d: view %d/%d/%d, stored %d/%d/%d", id, len(v.Benefits), len(v.Undetermined), len(v.NearMisses), c.eligible, c.undetermined, c.near)
			}
			if want := decimalSum(t, c.amounts...); v.TotalAmount != want {
				t.Errorf("enterprise %d: total %s, want %s", id, v.TotalAmount, want)
			}
		}
		tot, err := Totals(ctx, db, testOn)
		if err != nil {
			t.Fatal(err)
		}
		if tot.Enterprises != len(ids) || len(tot.Policies) != len(prog.Policies) {
			t.Errorf("totals over %d enterprises and %d policies", tot.Enterprises, len(tot.Policies))
		}
		var all []string
		for _, c := range perPolicy {
			all = append(all, c.amounts...)
		}
		if want := decimalSum(t, all...); tot.Amount != want {
			t.Errorf("park total %s, want %s", tot.Amount, want)
		}
		groups, err := MissingData(ctx, db, testOn, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range groups {
			if g.Results != missingResults[g.Field] {
				t.Errorf("missing %s: %d results, stored %d", g.Field, g.Results, missingResults[g.Field])
			}
			delete(missingResults, g.Field)
		}
		if len(missingResults) > 0 {
			t.Errorf("fields missing from the groups: %v", missingResults)
		}
	})
}
