package web

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/policies"
)

var shippedPolicySet = sync.OnceValues(func() (*match.PolicySet, error) {
	return match.LoadPoliciesFS(policies.FS, ".", facts.Builtin())
})

// shippedMatcher is a matcher of the shipped policies, as the binary runs it.
func shippedMatcher(t testing.TB) *match.Matcher {
	t.Helper()
	set, err := shippedPolicySet()
	if err != nil {
		t.Fatalf("the shipped policies: %v", err)
	}
	return match.NewMatcher(set)
}

// mustMatch evaluates every enterprise of db against the shipped policies
// on the date and stores the results, as `parkdesk match` does.
func mustMatch(t testing.TB, db *store.DB, on time.Time) match.RangeStats {
	t.Helper()
	ctx := context.Background()
	m := shippedMatcher(t)
	prog, err := m.Program(on, "")
	if err != nil {
		t.Fatal(err)
	}
	var last int64
	if err := db.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM enterprises").Scan(&last); err != nil {
		t.Fatal(err)
	}
	stats, err := m.MatchRange(ctx, db, prog, 1, last, nil, nil)
	if err != nil {
		t.Fatalf("match: %v", err)
	}
	return stats
}
