package match

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/demo"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/jobs"
	"github.com/parkdesk/parkdesk/internal/match/vector"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
)

// testOn is the evaluation date of the database tests: ten policies are in
// force on it.
var testOn = time.Date(2024, 5, 31, 0, 0, 0, 0, time.UTC)

// mustPark fills a migrated database with n generated enterprises and
// their facts, and returns their ids in generation order.
func mustPark(t testing.TB, db *store.DB, n int, seed int64) []int64 {
	t.Helper()
	ctx := context.Background()
	if err := facts.SeedDictionary(ctx, db); err != nil {
		t.Fatal(err)
	}
	g, err := demo.New(demo.Options{Seed: seed, Enterprises: n, On: testOn})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, n)
	err = db.InTx(ctx, func(tx *store.Tx) error {
		for i := range n {
			rec := g.Enterprise(i).Record
			e := enterprise.Enterprise{USCC: rec.USCC, Name: rec.Name, RegisteredOn: rec.RegisteredOn, IndustryCode: rec.IndustryCode}
			if err := enterprise.Create(ctx, tx, &e); err != nil {
				return err
			}
			ids[i] = e.ID
			if _, err := facts.AppendFacts(ctx, tx, facts.Provenance{Source: "test", Actor: "t"}, recordFacts(e.ID, &rec)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("fill the park: %v", err)
	}
	return ids
}

func recordFacts(id int64, rec *facts.Record) func(func(facts.Fact) bool) {
	return func(yield func(facts.Fact) bool) {
		for name, series := range rec.Facts {
			for p, v := range series {
				if !yield(facts.Fact{EnterpriseID: id, Field: name, Period: p, Value: v}) {
					return
				}
			}
		}
	}
}

func mustPolicies(t testing.TB) *PolicySet {
	t.Helper()
	set, err := LoadPolicies("../../policies", facts.Builtin())
	if err != nil {
		t.Fatalf("load the shipped policies: %v", err)
	}
	return set
}

// engineSummary is the policy engine's result as the vector program
// summarises its own.
func engineSummary(r *policy.Result) vector.Summary {
	s := vector.Summary{Status: r.Status, Missing: append([]string{}, r.Missing...)}
	slices.Sort(s.Missing)
	if r.Amount != nil {
		s.Amount = r.Amount.String()
	}
	if r.NearMiss != nil {
		s.NearMiss = r.NearMiss.Criterion
	}
	return s
}

func mustMatcher(t testing.TB) *Matcher {
	t.Helper()
	m := NewMatcher(mustPolicies(t))
	m.Workers = 2
	return m
}

// withJobs gives the matcher a started job client working the match queue,
// as main does, stopped when the test ends; it returns the client for a
// test to stop earlier, as a crash would.
func withJobs(t testing.TB, db *store.DB, m *Matcher) jobs.Client {
	t.Helper()
	ctx := context.Background()
	reg := jobs.NewRegistry()
	m.RegisterJobs(reg, db)
	client, err := jobs.New(ctx, db, reg, jobs.Options{Work: []string{QueueName}, FetchPollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	m.Jobs = client
	t.Cleanup(func() { client.Stop(context.Background()) })
	return client
}
