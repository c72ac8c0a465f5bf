package bench

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/demo"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/jobs"
	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/match/vector"
	"github.com/parkdesk/parkdesk/internal/store"
)

// loadFacts writes the facts of enterprises from … to-1 (ids index+1) by the
// bulk path of a fresh park (facts.LoadFresh), timed.
func loadFacts(ctx context.Context, db *store.DB, g *demo.Generator, from, to int, rep *MatchReport) error {
	start := time.Now()
	err := db.InTx(ctx, func(tx *store.Tx) error {
		batch, err := facts.NewBatch(ctx, tx, "bench", "bench")
		if err != nil {
			return err
		}
		n, err := facts.LoadFresh(ctx, tx, facts.Provenance{Source: "bench", Actor: "bench", BatchID: batch},
			func(yield func(facts.Fact) bool) {
				var fb factBuffer
				for i := from; i < to; i++ {
					fb.facts = fb.facts[:0]
					g.EnterpriseFacts(i, fb.add)
					for _, f := range fb.facts {
						if !yield(facts.Fact{EnterpriseID: int64(i + 1), Field: f.Field, Period: f.Period, Value: f.Value}) {
							return
						}
					}
				}
			})
		rep.FactRows += int64(n)
		return err
	})
	rep.FactLoad += time.Since(start)
	if err != nil {
		return fmt.Errorf("bench: load facts: %w", err)
	}
	return nil
}

// fromDB measures what a real run does on a database holding the
// population: reading it into columns, partition by partition, and a batch
// run as `parkdesk match` makes it (read, evaluate, store), with a job
// client of its own.
func fromDB(ctx context.Context, db *store.DB, m *match.Matcher, prog *vector.Program, _ *demo.Generator, opts MatchOptions, rep *MatchReport) error {
	if db.Dialect() == store.SQLite {
		// The load leaves a large write-ahead log: fold it in first.
		if _, err := db.Writer().ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			return fmt.Errorf("bench: checkpoint: %w", err)
		}
	}
	const partition = 20000
	start := time.Now()
	for first := 1; first <= opts.Enterprises; first += partition {
		last := min(opts.Enterprises, first+partition-1)
		if _, err := match.LoadChunk(ctx, db, prog, int64(first), int64(last)); err != nil {
			return err
		}
	}
	rep.DBBuild = time.Since(start)

	reg := jobs.NewRegistry()
	m.RegisterJobs(reg, db)
	client, err := jobs.New(ctx, db, reg, jobs.Options{Work: []string{match.QueueName}, FetchPollInterval: 50 * time.Millisecond})
	if err != nil {
		return err
	}
	if err := client.Start(ctx); err != nil {
		return err
	}
	defer client.Stop(context.WithoutCancel(ctx))
	m.Jobs = client
	start = time.Now()
	p, err := m.Run(ctx, db, match.RunOptions{On: opts.On, PartitionSize: partition})
	if err != nil {
		return err
	}
	rep.RunWall = time.Since(start)
	rep.RunResults, rep.RunWritten = p.Results, p.Written
	rep.DBBytes = dbBytes(ctx, db)
	return nil
}

// dbBytes is the size of the database: the SQLite file with its log, or the
// PostgreSQL schema's tables and indexes.
func dbBytes(ctx context.Context, db *store.DB) int64 {
	if db.Dialect() == store.Postgres {
		var n int64
		db.QueryRow(ctx, `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c
JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE ns.nspname = current_schema() AND c.relkind = 'r'`).Scan(&n)
		return n
	}
	path := strings.TrimPrefix(strings.TrimPrefix(db.URL(), "file:"), "SQLite ")
	var n int64
	for _, suffix := range []string{"", "-wal"} {
		if info, err := os.Stat(path + suffix); err == nil {
			n += info.Size()
		}
	}
	return n
}
