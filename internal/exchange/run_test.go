package exchange

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// stagedRun makes an import run whose enterprises are written and whose n
// facts are staged, marked applying as step 2 leaves it, with the first
// done of them written (done a multiple of the sets' ten facts), last
// written at written.
func stagedRun(t *testing.T, db *store.DB, n int, done int64, written time.Time) (run int64) {
	t.Helper()
	ctx := context.Background()
	lines := []string{entHeader}
	for i := range 100 {
		lines = append(lines, testUSCC(i+1)+",企业,,,,")
	}
	mustImport(t, db, csvFile("base.csv", lines...))
	at := time.Date(2024, 5, 31, 0, 0, 0, 0, time.UTC)
	run, err := newRun(ctx, db, at, "test")
	if err != nil {
		t.Fatal(err)
	}
	revenue, _ := facts.Builtin().Field("revenue")
	var staged []facts.StagedFact
	for i := range n {
		v, _ := revenue.ParseValue("1000")
		staged = append(staged, facts.StagedFact{USCC: testUSCC(1 + i%100), Field: "revenue", Period: facts.Year(1900 + i/100), Value: v, Source: "import:f.csv"})
	}
	// Staged a batch of a thousand at a time, as an import does; doneSets
	// is the first set past the first done facts.
	var sets, doneSets int64
	var stagedFacts int64
	for batch := range slices.Chunk(staged, 1000) {
		grouped := facts.GroupStaged(batch)
		if err := facts.StageSets(ctx, db, run, sets, grouped); err != nil {
			t.Fatal(err)
		}
		for i := range grouped {
			sets++
			stagedFacts += int64(grouped[i].Len())
			if stagedFacts <= done {
				doneSets = sets
			}
		}
	}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		batch, err := facts.NewBatch(ctx, tx, "import:f.csv", "test")
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "UPDATE import_runs SET state = 'applying', batch_id = ?, recorded_at = ?, staged_sets = ?, updated_at = ? WHERE id = ?",
			batch, store.FormatTime(at), sets, store.FormatTime(written), run)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if done > 0 {
		// As an import that stopped after its first chunks leaves it.
		err := db.InTx(ctx, func(tx *store.Tx) error {
			var batch int64
			if err := tx.QueryRow(ctx, "SELECT batch_id FROM import_runs WHERE id = ?", run).Scan(&batch); err != nil {
				return err
			}
			if _, err := facts.CommitStaged(ctx, tx, run, 0, doneSets, facts.Provenance{Actor: "test", BatchID: batch, At: at}); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "UPDATE import_runs SET applied_sets = ? WHERE id = ?", doneSets, run)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return run
}

func countRows(t *testing.T, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestInterruptedImportIsCompleted: an import that stopped while writing
// its facts (step 3) is completed by the next import, from where it
// stopped, each fact written once; one that is still writing is left
// alone.
func TestInterruptedImportIsCompleted(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustPark(t, db)
		const n = 3*factChunk + 5
		run := stagedRun(t, db, n, factChunk, time.Now().Add(-time.Hour))
		if got := countRows(t, db, "SELECT count(*) FROM facts WHERE batch_id IS NOT NULL AND source = 'import:f.csv'"); got != factChunk {
			t.Fatalf("%d facts written before the interruption", got)
		}
		if err := finishRuns(ctx, db, time.Now()); err != nil {
			t.Fatal(err)
		}
		if got := countRows(t, db, "SELECT count(*) FROM facts WHERE source = 'import:f.csv'"); got != n {
			t.Errorf("%d facts after the next import, want %d", got, n)
		}
		if got := countRows(t, db, "SELECT count(*) FROM current_facts c JOIN enterprises e ON e.id = c.enterprise_id WHERE c.field = 'revenue'"); got != n {
			t.Errorf("%d current values, want %d", got, n)
		}
		if got := countRows(t, db, "SELECT count(*) FROM import_run_sets WHERE run_id = ?", run) + countRows(t, db, "SELECT count(*) FROM import_runs WHERE id = ?", run); got != 0 {
			t.Errorf("the completed run left %d rows", got)
		}

		// A run written to a minute ago is an import at work: not touched.
		live := stagedRun(t, db, 10, 0, time.Now().Add(-time.Minute))
		if err := finishRuns(ctx, db, time.Now()); err != nil {
			t.Fatal(err)
		}
		if got := countRows(t, db, "SELECT COALESCE(SUM(n), 0) FROM import_run_sets WHERE run_id = ?", live); got != 10 {
			t.Errorf("a live run lost its staged facts: %d left", got)
		}
	})
}

// TestConcurrentAppliersWriteOnce: two imports finishing one run at the
// same time write each of its facts once.
func TestConcurrentAppliersWriteOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustPark(t, db)
		const n = 3*factChunk + 7
		run := stagedRun(t, db, n, 0, time.Now())
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Go(func() { _, errs[i] = applyFacts(ctx, db, run) })
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if got := countRows(t, db, "SELECT count(*) FROM facts WHERE source = 'import:f.csv'"); got != n {
			t.Errorf("%d facts written by two appliers, want %d", got, n)
		}
	})
}

// TestDropKeepsOtherRuns: an import that ends while another import has
// rows staged deletes only its own (chunk by chunk); an import alone
// empties the staging tables whole, and leaves no run behind.
func TestDropKeepsOtherRuns(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		mustPark(t, db)
		other := stagedRun(t, db, 10, 0, time.Now())
		mustImport(t, db, csvFile("facts.csv", factHeader, testUSCC(1)+",revenue,2023,500"))
		if got := countRows(t, db, "SELECT COALESCE(SUM(n), 0) FROM import_run_sets WHERE run_id = ?", other); got != 10 {
			t.Errorf("another import's staged facts: %d left, want 10", got)
		}
		if got := countRows(t, db, "SELECT count(*) FROM import_runs"); got != 1 {
			t.Errorf("%d import runs left, want the other one", got)
		}

		if err := dropRun(context.Background(), db, other); err != nil {
			t.Fatal(err)
		}
		mustImport(t, db, csvFile("facts.csv", factHeader, testUSCC(2)+",revenue,2023,700"))
		for _, table := range []string{"import_runs", "import_run_sets", "import_run_enterprises"} {
			if got := countRows(t, db, "SELECT count(*) FROM "+table); got != 0 {
				t.Errorf("%s: %d rows left by an import alone", table, got)
			}
		}
		if got := countRows(t, db, "SELECT count(*) FROM current_facts WHERE field = 'revenue' AND period = '2023'"); got != 2 {
			t.Errorf("%d revenues of 2023 written, want 2", got)
		}
	})
}
