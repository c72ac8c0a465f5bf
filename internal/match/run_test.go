package match

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

func openTestDB(t *testing.T, d store.Dialect) (*store.DB, string) {
	t.Helper()
	dsn := storetest.DSN(t, d)
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db, dsn
}

// TestRunResumesWhereItStopped stops a run after two partitions, as a
// crash would, and checks that the next run resumes it, does only the
// partitions left, and that every partition was written once.
func TestRunResumesWhereItStopped(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d.String(), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, _ := openTestDB(t, d)
			ids := mustPark(t, db, 60, 21)
			opts := RunOptions{On: testOn, PartitionSize: 10, StopAfter: 2}
			first := mustMatcher(t)
			firstJobs := withJobs(t, db, first)
			p, err := first.Run(ctx, db, opts)
			if !errors.Is(err, ErrStopped) {
				t.Fatalf("first run: %v (progress %+v), want it stopped", err, p)
			}
			// The process stops: the partition under way, if any, finishes.
			if err := firstJobs.Stop(ctx); err != nil {
				t.Fatal(err)
			}
			if p, err = readProgress(ctx, db, p.Run); err != nil {
				t.Fatal(err)
			}
			if p.Done < 2 || p.Done == p.Partitions {
				t.Fatalf("first run did %d of %d partitions", p.Done, p.Partitions)
			}
			doneBefore := p.Done
			opts.StopAfter = 0
			second := mustMatcher(t)
			withJobs(t, db, second)
			p2, err := second.Run(ctx, db, opts)
			if err != nil {
				t.Fatal(err)
			}
			if !p2.Resumed || p2.Run != p.Run {
				t.Errorf("the second run did not resume run %d: %+v", p.Run, p2)
			}
			if p2.Done != 6 || p2.Partitions != 6 {
				t.Errorf("partitions %d done of %d, want 6 of 6", p2.Done, p2.Partitions)
			}
			if got := second.doneHere(p.Run); got != 6-doneBefore {
				t.Errorf("the second run matched %d partitions, want the %d left", got, 6-doneBefore)
			}
			prog, _ := second.Program(testOn, "")
			want := len(ids) * len(prog.Policies)
			if n := evaluatedResults(t, db); n != want || p2.Results != int64(want) {
				t.Errorf("%d results stored, %d counted, want %d", n, p2.Results, want)
			}
			var finished int
			if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM match_runs WHERE finished_at IS NOT NULL").Scan(&finished); err != nil || finished != 1 {
				t.Errorf("%d finished runs (%v), want 1", finished, err)
			}
			// A new run over unchanged data writes nothing.
			third := mustMatcher(t)
			withJobs(t, db, third)
			p3, err := third.Run(ctx, db, opts)
			if err != nil {
				t.Fatal(err)
			}
			if p3.Resumed || p3.Written != 0 || p3.Changes != 0 {
				t.Errorf("a run over unchanged data: %+v", p3)
			}
		})
	}
}

// TestInstancesSharePartitions runs two matchers, as two instances would,
// on the same run at once: together they do each partition once.
func TestInstancesSharePartitions(t *testing.T) {
	for _, d := range storetest.Dialects() {
		if d != store.Postgres {
			continue
		}
		t.Run(d.String(), func(t *testing.T) {
			ctx := context.Background()
			db, _ := openTestDB(t, d)
			ids := mustPark(t, db, 80, 23)
			opts := RunOptions{On: testOn, PartitionSize: 5}
			a, b := mustMatcher(t), mustMatcher(t)
			withJobs(t, db, a)
			withJobs(t, db, b)
			var wg sync.WaitGroup
			var pa, pb RunProgress
			var ea, eb error
			wg.Add(2)
			go func() { defer wg.Done(); pa, ea = a.Run(ctx, db, opts) }()
			go func() { defer wg.Done(); pb, eb = b.Run(ctx, db, opts) }()
			wg.Wait()
			if ea != nil || eb != nil {
				t.Fatalf("runs: %v, %v", ea, eb)
			}
			if pa.Run != pb.Run {
				t.Errorf("two runs (%d, %d) where the instances should share one", pa.Run, pb.Run)
			}
			total := a.doneHere(pa.Run) + b.doneHere(pb.Run)
			if total != 16 || pa.Partitions != 16 {
				t.Errorf("the instances matched %d+%d partitions of %d, want 16 in all", a.doneHere(pa.Run), b.doneHere(pb.Run), pa.Partitions)
			}
			prog, _ := a.Program(testOn, "")
			if n := evaluatedResults(t, db); n != len(ids)*len(prog.Policies) {
				t.Errorf("%d results, want %d", n, len(ids)*len(prog.Policies))
			}
		})
	}
}
