package match

import (
	"context"
	"slices"
	"testing"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// TestPlainIneligibleHasNoRow follows one eligible result as it becomes
// plainly ineligible and eligible again: its row goes and comes back, each
// move is a change, and the readers (the totals, the plainly ineligible
// list, the incremental path) count the missing row as ineligible.
func TestPlainIneligibleHasNoRow(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ids := mustPark(t, db, 30, 7)
		m := mustMatcher(t)
		prog, err := m.Program(testOn, "")
		if err != nil {
			t.Fatal(err)
		}
		first, last := ids[0], ids[len(ids)-1]
		if _, err := m.MatchRange(ctx, db, prog, first, last, nil, nil); err != nil {
			t.Fatal(err)
		}
		// An eligible result of a policy that refuses serious dishonesty.
		var target storedKey
		for k, r := range readAllResults(t, db) {
			if r.Status != string(policy.Eligible) {
				continue
			}
			for _, pl := range prog.Policies {
				if pl.ID == k.policy && slices.Contains(pl.Policy.Fields(), "serious_dishonesty") {
					target = k
				}
			}
		}
		if target.policy == "" {
			t.Fatal("no eligible result of a policy reading serious_dishonesty")
		}
		results := &Results{DB: db, Library: func() *policy.Library { return m.Policies().Library }}
		totals := func() PolicyFigures {
			t.Helper()
			tot, err := results.On(ctx, auth.System("test"), testOn)
			if err != nil {
				t.Fatal(err)
			}
			for _, pt := range tot.Policies {
				if pt.Policy == target.policy {
					if sum := pt.Eligible + pt.Undetermined + pt.Ineligible; sum != len(ids) {
						t.Errorf("%s: %d results counted, want %d", pt.Policy, sum, len(ids))
					}
					return pt
				}
			}
			t.Fatalf("no totals for %s", target.policy)
			return PolicyFigures{}
		}
		before := totals()
		setDishonesty := func(v string) {
			t.Helper()
			f, _ := facts.Builtin().Field("serious_dishonesty")
			val, _ := f.ParseValue(v)
			if _, err := facts.AppendFacts(ctx, db, facts.Provenance{Source: "test", Actor: "t"}, func(yield func(facts.Fact) bool) {
				yield(facts.Fact{EnterpriseID: target.enterprise, Field: "serious_dishonesty", Value: val})
			}); err != nil {
				t.Fatal(err)
			}
		}
		lastChange := func() (old, new string) {
			t.Helper()
			var o *string
			if err := db.QueryRow(ctx, `SELECT old_status, new_status FROM match_changes WHERE enterprise_id = ? AND policy = ?
ORDER BY id DESC LIMIT 1`, target.enterprise, target.policy).Scan(&o, &new); err != nil {
				t.Fatal(err)
			}
			if o != nil {
				old = *o
			}
			return old, new
		}

		setDishonesty("true")
		if _, err := m.MatchRange(ctx, db, prog, first, last, nil, nil); err != nil {
			t.Fatal(err)
		}
		if _, ok := readAllResults(t, db)[target]; ok {
			t.Fatalf("%v is plainly ineligible and still has a row", target)
		}
		if o, n := lastChange(); o != "eligible" || n != "ineligible" {
			t.Errorf("change recorded %s → %s, want eligible → ineligible", o, n)
		}
		plain, err := PlainIneligible(ctx, db, target.enterprise, testOn.Format("2006-01-02"))
		if err != nil || !slices.ContainsFunc(plain, func(p PlainResult) bool { return p.Policy == target.policy && p.Version != "" }) {
			t.Errorf("plainly ineligible of %d: %v %v, want %s among them", target.enterprise, plain, err, target.policy)
		}
		if after := totals(); after.Eligible != before.Eligible-1 || after.Ineligible != before.Ineligible+1 {
			t.Errorf("totals %+v after, %+v before: want one eligible fewer, one ineligible more", after, before)
		}
		// The incremental path knows the enterprise was evaluated: a change
		// of a field the policy does not read evaluates nothing again.
		s, err := m.Reevaluate(ctx, db, testOn, target.enterprise, []string{"no_such_field"})
		if err != nil || s.Results != 0 {
			t.Errorf("re-evaluating after an unrelated change: %+v %v, want nothing evaluated", s, err)
		}

		setDishonesty("false")
		s, err = m.Reevaluate(ctx, db, testOn, target.enterprise, []string{"serious_dishonesty"})
		if err != nil {
			t.Fatal(err)
		}
		if r, ok := readAllResults(t, db)[target]; !ok || r.Status != string(policy.Eligible) {
			t.Errorf("%v after the fact was withdrawn: %+v (%v), want eligible again", target, r, ok)
		}
		if o, n := lastChange(); o != "ineligible" || n != "eligible" {
			t.Errorf("change recorded %s → %s, want ineligible → eligible", o, n)
		}
		if s.Changes == 0 {
			t.Errorf("re-evaluation recorded no change: %+v", s)
		}
		if after := totals(); after != before {
			t.Errorf("totals %+v, want those before, %+v", after, before)
		}
	})
}
