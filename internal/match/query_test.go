package match

import (
	"context"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/policy"
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

// TestQueriesAgreeWithStoredResults checks the read model — the
// enterprise's results, a policy's list, the park's figures and the
// missing data — against the stored results themselves.
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
		r := &Results{DB: db, Library: func() *policy.Library { return m.Policies().Library }}
		officer := auth.Principal{UserID: 1, Label: "officer", Role: auth.RoleOfficer}
		park, err := r.Park(ctx, officer)
		if err != nil {
			t.Fatal(err)
		}
		if park.On != testOn.Format(time.DateOnly) || park.Summary.Enterprises != len(ids) {
			t.Errorf("park on %s over %d enterprises", park.On, park.Summary.Enterprises)
		}
		var money []string // cash and tax saving: what the total adds at face value
		for _, f := range park.Policies {
			c := perPolicy[f.Policy]
			if f.Eligible != c.eligible || f.Undetermined != c.undetermined || f.NearMiss != c.near {
				t.Errorf("%s: figures %d/%d/%d, stored %d/%d/%d", f.Policy, f.Eligible, f.Undetermined, f.NearMiss, c.eligible, c.undetermined, c.near)
			}
			if want := decimalSum(t, c.amounts...); f.Amount != want {
				t.Errorf("%s: amount %s, want %s", f.Policy, f.Amount, want)
			}
			switch f.Benefit {
			case policy.Cash, policy.TaxSaving:
				money = append(money, c.amounts...)
				if f.Value != f.Amount {
					t.Errorf("%s: value %s of amount %s", f.Policy, f.Value, f.Amount)
				}
			case policy.Qualification:
				if f.Value != "0.00" {
					t.Errorf("%s: a qualification is worth %s in money", f.Policy, f.Value)
				}
			}
			delete(perPolicy, f.Policy)
			// The policy's list has as many as the figures say.
			rows, total, err := r.Policy(ctx, officer, f.Policy, "", 5, 0)
			if err != nil {
				t.Fatal(err)
			}
			if total != c.eligible+c.undetermined+c.near || len(rows) != min(5, total) {
				t.Errorf("%s: list of %d (%d shown), figures %d", f.Policy, total, len(rows), c.eligible+c.undetermined+c.near)
			}
		}
		for id := range perPolicy {
			t.Errorf("policy %s missing from the park's figures", id)
		}
		// The total adds like to like: the deductions at their tax value,
		// never their base.
		want := decimalSum(t, append(money, park.Summary.Totals.DeductionTax)...)
		if park.Summary.Totals.Total != want {
			t.Errorf("park total %s, want %s (cash and tax saving, plus deductions' tax value %s)", park.Summary.Totals.Total, want, park.Summary.Totals.DeductionTax)
		}
		deductions := 0
		for _, id := range ids {
			er, err := r.Enterprise(ctx, officer, id, Explain{})
			if err != nil {
				t.Fatal(err)
			}
			c := perEnterprise[id]
			var eligible, undetermined, near int
			for _, res := range er.Results {
				switch {
				case res.Status == policy.Eligible:
					eligible++
				case res.Status == policy.Undetermined:
					undetermined++
				case res.NearMiss != nil:
					near++
				}
			}
			var faceValue, taxValues []string
			for _, res := range er.Results {
				if res.Status != policy.Eligible || res.Amount == nil {
					continue
				}
				switch res.Benefit {
				case policy.Deduction:
					if res.TaxValue == nil {
						t.Errorf("enterprise %d: %s deduction without its tax value", id, res.Policy)
						continue
					}
					deductions++
					taxValues = append(taxValues, res.TaxValue.String())
				case policy.Cash, policy.TaxSaving:
					faceValue = append(faceValue, res.Amount.String())
				}
			}
			if got, want := er.Totals.DeductionTax, decimalSum(t, taxValues...); got != want {
				t.Errorf("enterprise %d: deductions' tax value %s, want %s", id, got, want)
			}
			if got, want := er.Totals.Total, decimalSum(t, append(faceValue, taxValues...)...); got != want {
				t.Errorf("enterprise %d: total %s, want %s", id, got, want)
			}
			if eligible != c.eligible || undetermined != c.undetermined || near != c.near {
				t.Errorf("enterprise %d: read %d/%d/%d, stored %d/%d/%d", id, eligible, undetermined, near, c.eligible, c.undetermined, c.near)
			}
		}
		if deductions == 0 {
			t.Error("no eligible deduction among the enterprises: the tax values went untested")
		}
		for _, g := range park.Missing {
			if g.Results != missingResults[g.Field] {
				t.Errorf("missing %s: %d results, stored %d", g.Field, g.Results, missingResults[g.Field])
			}
		}
		if len(park.Missing) < min(25, len(missingResults)) {
			t.Errorf("%d fields in the missing data, stored %d", len(park.Missing), len(missingResults))
		}
	})
}
