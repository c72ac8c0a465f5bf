package match

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/match/vector"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

type storedRow struct {
	Status, Amount, NearMiss, Missing, Fingerprint string
	Version                                        int64
	Explanation                                    string
}

func readAllResults(t *testing.T, db *store.DB) map[storedKey]storedRow {
	t.Helper()
	rows, err := db.Query(context.Background(), `SELECT enterprise_id, policy, status, COALESCE(amount, ''), COALESCE(near_miss, ''),
COALESCE(missing, ''), fingerprint, version_id, COALESCE(explanation, '') FROM match_results`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[storedKey]storedRow{}
	for rows.Next() {
		var k storedKey
		var r storedRow
		if err := rows.Scan(&k.enterprise, &k.policy, &r.Status, &r.Amount, &r.NearMiss, &r.Missing, &r.Fingerprint, &r.Version, &r.Explanation); err != nil {
			t.Fatal(err)
		}
		out[k] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// evaluatedResults counts the results the coverage says were computed:
// an enterprise and a policy per result, stored or plainly ineligible.
func evaluatedResults(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), `SELECT COUNT(*) FROM match_coverage c
JOIN enterprises e ON e.id BETWEEN c.first_id AND c.last_id`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func countRows(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestMatchRangeStoresResults matches a small park and checks the stored
// results against the policy engine on the records read back from the
// database, and that a second run writes nothing.
func TestMatchRangeStoresResults(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ids := mustPark(t, db, 60, 3)
		m := mustMatcher(t)
		prog, err := m.Program(testOn, "")
		if err != nil {
			t.Fatal(err)
		}
		stats, err := m.MatchRange(ctx, db, prog, ids[0], ids[len(ids)-1], nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := len(ids) * len(prog.Policies)
		if stats.Results != want || stats.Written != stats.Kept || stats.Kept == 0 || stats.Kept == want {
			t.Fatalf("first run: %+v, want %d results, the kept ones written", stats, want)
		}
		if n := countRows(t, db, "match_results"); n != stats.Kept {
			t.Fatalf("%d stored results, want the %d kept", n, stats.Kept)
		}
		if n := evaluatedResults(t, db); n != want {
			t.Fatalf("the coverage holds %d results, want %d", n, want)
		}
		if n := countRows(t, db, "match_changes"); n != 0 {
			t.Errorf("%d changes recorded on a first run, want none: a first result is no change", n)
		}
		stored := readAllResults(t, db)
		engine := m.set.Library.NewEvaluator()
		for _, id := range ids {
			rec, err := DBRecords{Ctx: ctx, Q: db}.byID(id)
			if err != nil {
				t.Fatal(err)
			}
			for _, pl := range prog.Policies {
				res := engine.Evaluate(pl.Policy, policy.FromRecord(rec), testOn)
				want := engineSummary(&res)
				got, ok := stored[storedKey{id, pl.ID}]
				if !ok {
					// No row: plainly ineligible, the enterprise being covered.
					got.Status = string(policy.Ineligible)
				}
				var missing []string
				if got.Missing != "" {
					if err := json.Unmarshal([]byte(got.Missing), &missing); err != nil {
						t.Fatal(err)
					}
				}
				if missing == nil {
					missing = []string{}
				}
				if got.Status != string(want.Status) || got.Amount != want.Amount || !slices.Equal(missing, want.Missing) || got.NearMiss != want.NearMiss {
					t.Errorf("enterprise %d %s: stored %+v, engine %+v", id, pl.ID, got, want)
				}
				kept := want.Status != policy.Ineligible || want.NearMiss != ""
				if kept != (got.Explanation != "") {
					t.Errorf("enterprise %d %s: explanation kept %v, want %v", id, pl.ID, got.Explanation != "", kept)
				}
				if kept {
					// Stored in the compact form, read with what its
					// version's results share (migration 0015).
					var meta string
					if err := db.QueryRow(ctx, "SELECT explain_meta FROM match_policy_versions WHERE policy = ? AND version = ?",
						pl.ID, pl.Version).Scan(&meta); err != nil {
						t.Fatal(err)
					}
					if got.Explanation[0] == '{' {
						t.Errorf("explanation of %d %s stored as JSON: %s", id, pl.ID, got.Explanation)
					}
					e, err := vector.DecodeStored(got.Explanation, meta, got.NearMiss)
					if err != nil {
						t.Fatalf("explanation of %d %s: %v", id, pl.ID, err)
					}
					if len(e.Criteria) != len(res.Criteria)-1 || e.Mode == "" {
						t.Errorf("explanation of %d %s: %+v", id, pl.ID, e)
					}
				}
			}
		}
		changes := countRows(t, db, "match_changes")
		again, err := m.MatchRange(ctx, db, prog, ids[0], ids[len(ids)-1], nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if again.Written != 0 || again.Changes != 0 || countRows(t, db, "match_changes") != changes {
			t.Errorf("second run over unchanged data: %+v", again)
		}
	})
}

// TestChangedFactRewritesOnlyItsResults changes one fact and checks that a
// batch rewrites the results of the policies that read it, and records a
// change where the status moved.
func TestChangedFactRewritesOnlyItsResults(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ids := mustPark(t, db, 20, 5)
		m := mustMatcher(t)
		prog, err := m.Program(testOn, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.MatchRange(ctx, db, prog, ids[0], ids[len(ids)-1], nil, nil); err != nil {
			t.Fatal(err)
		}
		before := readAllResults(t, db)
		id := ids[4]
		dict := facts.Builtin()
		f, _ := dict.Field("serious_dishonesty")
		v, _ := f.ParseValue("true")
		if _, err := facts.AppendFacts(ctx, db, facts.Provenance{Source: "test", Actor: "t"}, func(yield func(facts.Fact) bool) {
			yield(facts.Fact{EnterpriseID: id, Field: "serious_dishonesty", Value: v})
		}); err != nil {
			t.Fatal(err)
		}
		stats, err := m.MatchRange(ctx, db, prog, ids[0], ids[len(ids)-1], nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		after := readAllResults(t, db)
		var readers []string
		for _, pl := range prog.Policies {
			if slices.Contains(pl.Policy.Fields(), "serious_dishonesty") {
				readers = append(readers, pl.ID)
			}
		}
		if len(readers) == 0 {
			t.Fatal("no policy reads serious_dishonesty")
		}
		if stats.Written != len(readers) {
			t.Errorf("wrote %d results, want the %d of the policies reading the field (%v)", stats.Written, len(readers), readers)
		}
		for k, r := range after {
			if k.enterprise != id || !slices.Contains(readers, k.policy) {
				if r != before[k] {
					t.Errorf("%v changed though it reads nothing that changed", k)
				}
				continue
			}
			if r.Fingerprint == before[k].Fingerprint {
				t.Errorf("%v: the fingerprint did not change with the facts read", k)
			}
			if r.Status == string(policy.Eligible) {
				t.Errorf("%v: still eligible with serious dishonesty", k)
			}
		}
	})
}

func jsonList(t *testing.T, s string) []string {
	t.Helper()
	var out []string
	if s == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestNewPolicyVersionIsStale changes a policy file (a new version) and
// checks that it is reported stale, that re-matching it rewrites its
// results for everyone with the new version, and no other policy's.
func TestNewPolicyVersionIsStale(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d.String(), func(t *testing.T) {
			t.Parallel()
			testNewPolicyVersionIsStale(t, d)
		})
	}
}

func testNewPolicyVersionIsStale(t *testing.T, d store.Dialect) {
	ctx := context.Background()
	db, _ := openTestDB(t, d)
	ids := mustPark(t, db, 30, 9)
	m := mustMatcher(t)
	withJobs(t, db, m)
	if _, err := m.Run(ctx, db, RunOptions{On: testOn}); err != nil {
		t.Fatal(err)
	}
	if stale, err := m.StalePolicies(ctx, db, testOn); err != nil || len(stale) != 0 {
		t.Fatalf("stale before any change: %v %v", stale, err)
	}
	dir := t.TempDir()
	for _, p := range m.set.Policies {
		raw, err := os.ReadFile(p.File())
		if err != nil {
			t.Fatal(err)
		}
		if p.ID() == "hnte" {
			raw = append(append([]byte{}, raw...), "\n# a new version: the same rule, another file\n"...)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(p.File())), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	set, err := LoadPolicies(dir, facts.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	m2 := NewMatcher(set)
	withJobs(t, db, m2)
	stale, err := m2.StalePolicies(ctx, db, testOn)
	if err != nil || !slices.Equal(stale, []string{"hnte"}) {
		t.Fatalf("stale after the change: %v %v", stale, err)
	}
	before := readAllResults(t, db)
	kept := 0
	for k := range before {
		if k.policy == "hnte" {
			kept++
		}
	}
	p, err := m2.Run(ctx, db, RunOptions{On: testOn, Policy: "hnte"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Written != int64(kept) || p.Changes != 0 || p.Results != int64(len(ids)) {
		t.Errorf("re-matching the new version: %+v, want %d results, the %d stored rewritten and no change", p, len(ids), kept)
	}
	after := readAllResults(t, db)
	for k, r := range after {
		if k.policy != "hnte" && r != before[k] {
			t.Errorf("%v was rewritten", k)
		}
		if k.policy == "hnte" && r.Version == before[k].Version {
			t.Errorf("%v still names the old version", k)
		}
	}
	if stale, _ := m2.StalePolicies(ctx, db, testOn); len(stale) != 0 {
		t.Errorf("still stale: %v", stale)
	}
}
