package demo

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
)

// LoadReport says what Load wrote.
type LoadReport struct {
	Enterprises int
	Facts       int
	Elapsed     time.Duration
}

// loadChunk is how many enterprises one transaction writes: big enough that
// commits cost nothing, small enough that a reader of a SQLite demo being
// built is never kept waiting long.
const loadChunk = 1000

// Load generates the park of opts into db, which must hold no enterprise
// yet: parks, tags, enterprises and their facts, recorded with the source
// "demo". progress, when not nil, is called after each chunk.
func Load(ctx context.Context, db *store.DB, opts Options, progress func(done, total int)) (LoadReport, error) {
	start := time.Now()
	var report LoadReport
	g, err := New(opts)
	if err != nil {
		return report, err
	}
	var existing int
	if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM enterprises").Scan(&existing); err != nil {
		return report, fmt.Errorf("demo: count enterprises: %w", err)
	}
	if existing > 0 {
		return report, apperr.Errorf(apperr.Conflict, "the database already holds %d enterprises: a demo park is made in an empty database", existing)
	}
	parkIDs, tagIDs, err := loadReference(ctx, db)
	if err != nil {
		return report, err
	}
	if err := db.InTx(ctx, func(tx *store.Tx) error { return facts.SeedDictionary(ctx, tx) }); err != nil {
		return report, fmt.Errorf("demo: seed the dictionary: %w", err)
	}
	batch, err := facts.NewBatch(ctx, db, "demo", "system")
	if err != nil {
		return report, err
	}
	prov := facts.Provenance{Source: "demo", Actor: "system", BatchID: batch, At: start}
	for first := 0; first < g.Len(); first += loadChunk {
		last := min(first+loadChunk, g.Len())
		n, err := g.loadChunk(ctx, db, first, last, parkIDs, tagIDs, prov)
		if err != nil {
			return report, err
		}
		report.Enterprises += last - first
		report.Facts += n
		if progress != nil {
			progress(last, g.Len())
		}
	}
	report.Elapsed = time.Since(start)
	return report, nil
}

func loadReference(ctx context.Context, db *store.DB) (parkIDs, tagIDs map[string]int64, err error) {
	parkIDs, tagIDs = map[string]int64{}, map[string]int64{}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		for _, p := range Parks() {
			var id int64
			if err := tx.QueryRow(ctx, `INSERT INTO parks (code, name_zh, name_en) VALUES (?, ?, ?)
ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh RETURNING id`, p.Code, p.NameZh, p.NameEn).Scan(&id); err != nil {
				return fmt.Errorf("demo: park %s: %w", p.Code, err)
			}
			parkIDs[p.Code] = id
		}
		for _, t := range Tags() {
			var id int64
			if err := tx.QueryRow(ctx, `INSERT INTO tags (code, name_zh, name_en) VALUES (?, ?, ?)
ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh RETURNING id`, t.Code, t.NameZh, t.NameEn).Scan(&id); err != nil {
				return fmt.Errorf("demo: tag %s: %w", t.Code, err)
			}
			tagIDs[t.Code] = id
		}
		for _, d := range Departments() {
			if _, err := tx.Exec(ctx, `INSERT INTO departments (code, name_zh, name_en) VALUES (?, ?, ?)
ON CONFLICT (code) DO NOTHING`, d.Code, d.NameZh, d.NameEn); err != nil {
				return fmt.Errorf("demo: department %s: %w", d.Code, err)
			}
		}
		return nil
	})
	return parkIDs, tagIDs, err
}

var (
	enterpriseInsert = store.Insert{Table: "enterprises",
		Columns: []string{"uscc", "name", "registered_on", "industry_code", "park_id", "created_at", "updated_at"},
		Suffix:  "RETURNING id, uscc"}
	enterpriseTagInsert = store.Insert{Table: "enterprise_tags", Columns: []string{"enterprise_id", "tag_id"}}
)

// loadChunk writes enterprises first..last-1 in one transaction and returns
// the number of facts written.
func (g *Generator) loadChunk(ctx context.Context, db *store.DB, first, last int, parkIDs, tagIDs map[string]int64, prov facts.Provenance) (int, error) {
	now := store.FormatTime(prov.At)
	written := 0
	err := db.InTx(ctx, func(tx *store.Tx) error {
		ents := make([]Enterprise, 0, last-first)
		var factsOf [][]Fact
		for i := first; i < last; i++ {
			var fs []Fact
			e := g.EnterpriseFacts(i, func(f Fact) { fs = append(fs, f) })
			ents = append(ents, e)
			factsOf = append(factsOf, fs)
		}
		ids := make(map[string]int64, len(ents))
		rows := func(yield func([]any) bool) {
			row := make([]any, len(enterpriseInsert.Columns))
			for _, e := range ents {
				r := e.Record
				row[0], row[1], row[2], row[3] = r.USCC, r.Name, nullable(r.RegisteredOn), nullable(r.IndustryCode)
				row[4], row[5], row[6] = parkIDs[r.Park], now, now
				if !yield(row) {
					return
				}
			}
		}
		err := tx.InsertRowsReturning(ctx, enterpriseInsert, rows, func(rs *sql.Rows) error {
			var id int64
			var uscc string
			if err := rs.Scan(&id, &uscc); err != nil {
				return err
			}
			ids[uscc] = id
			return nil
		})
		if err != nil {
			return fmt.Errorf("demo: insert enterprises: %w", err)
		}
		tags := func(yield func([]any) bool) {
			row := make([]any, 2)
			for _, e := range ents {
				for _, t := range e.Record.Tags {
					row[0], row[1] = ids[e.Record.USCC], tagIDs[t]
					if !yield(row) {
						return
					}
				}
			}
		}
		if _, err := tx.InsertRows(ctx, enterpriseTagInsert, tags); err != nil {
			return fmt.Errorf("demo: tag enterprises: %w", err)
		}
		if err := store.Bump(ctx, tx, store.CounterRegistry); err != nil {
			return err
		}
		var all iter.Seq[facts.Fact] = func(yield func(facts.Fact) bool) {
			for k, e := range ents {
				id := ids[e.Record.USCC]
				for _, f := range factsOf[k] {
					if !yield(facts.Fact{EnterpriseID: id, Field: f.Field, Period: f.Period, Value: f.Value}) {
						return
					}
				}
			}
		}
		n, err := facts.LoadFresh(ctx, tx, prov, all)
		if err != nil {
			return fmt.Errorf("demo: facts: %w", err)
		}
		written = n
		return nil
	})
	return written, err
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
