package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// TestFactSetsMigrationKeepsTheHistory fills the history and the current
// values as a row per fact (schema 0015), migrates to fact sets (0016) and
// current fact sets (0017), and reads every fact back through the view
// facts and every current value through the view current_facts: the same
// values and provenance, each fact id the old id × 65536, which the touch
// items that named the old id now hold too.
func TestFactSetsMigrationKeepsTheHistory(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d.String(), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, err := store.Open(ctx, storetest.DSN(t, d))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if _, err := db.MigrateUpTo(ctx, 15); err != nil {
				t.Fatal(err)
			}
			const at = "2026-01-02T03:04:05.000Z"
			exec := func(query string, args ...any) {
				t.Helper()
				if _, err := db.Exec(ctx, query, args...); err != nil {
					t.Fatalf("%s: %v", query, err)
				}
			}
			exec("INSERT INTO departments (code, name_zh) VALUES ('zz_test', '测试局')")
			exec(`INSERT INTO fields (name, type, shape, department_code, sensitivity, label_zh, label_en)
VALUES ('revenue', 'money', 'annual', 'zz_test', 'internal', '营业收入', 'Revenue'), ('staff', 'integer', 'timeless', 'zz_test', 'public', '职工', 'Staff')`)
			exec(`INSERT INTO enterprises (id, uscc, name, created_at, updated_at) VALUES
(1, '91440300MA5FAAAA01', '甲', ?, ?), (2, '91440300MA5FAAAA02', '乙', ?, ?)`, at, at, at, at)
			exec("INSERT INTO import_batches (id, source, actor, row_count, created_at) VALUES (7, 'import:a.csv', 'admin', 3, ?)", at)
			exec(`INSERT INTO facts (id, enterprise_id, field, period, value, source, actor, batch_id, recorded_at) VALUES
(10, 1, 'revenue', '2024', '100', 'import:a.csv', 'admin', 7, ?),
(11, 1, 'revenue', '2024', '120', 'api', 'ops', NULL, ?),
(12, 1, 'staff', '', '30', 'import:a.csv', 'admin', 7, ?),
(13, 2, 'revenue', '2025', 'a "quoted" 值\', 'self-report', 'ent', NULL, ?)`, at, at, at, at)
			exec(`INSERT INTO current_facts (enterprise_id, field, period, value, fact_id, recorded_at) VALUES
(1, 'revenue', '2024', '120', 11, ?), (1, 'staff', '', '30', 12, ?), (2, 'revenue', '2025', 'a "quoted" 值\', 13, ?)`, at, at, at)
			exec(`INSERT INTO touch_requests (id, enterprise_id, department_code, kind, basis, earliest, latest, on_site, status, filed_by, filed_at, updated_at)
VALUES (1, 1, 'zz_test', 'data_report', 'basis', '2026-01-01', '2026-02-01', ?, 'answered', 'ops', ?, ?)`, false, at, at)
			exec(`INSERT INTO touch_items (request_id, position, field, period, answer, value, source, fact_id, recorded_at, answered_at)
VALUES (1, 0, 'revenue', '2024', 'registry', '120', 'api', 11, ?, ?), (1, 1, 'staff', '', NULL, NULL, NULL, NULL, NULL, NULL)`, at, at)

			applied, err := db.Migrate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(applied, "0016_fact_sets") {
				t.Fatalf("applied %v, want 0016_fact_sets among them", applied)
			}

			type fact struct {
				ID                                  int64
				Enterprise                          int64
				Field, Period, Value, Source, Actor string
				Batch                               *int64
			}
			var got []fact
			rows, err := db.Query(ctx, "SELECT id, enterprise_id, field, period, value, source, actor, batch_id FROM facts ORDER BY id")
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var f fact
				if err := rows.Scan(&f.ID, &f.Enterprise, &f.Field, &f.Period, &f.Value, &f.Source, &f.Actor, &f.Batch); err != nil {
					t.Fatal(err)
				}
				got = append(got, f)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			rows.Close()
			seven := int64(7)
			want := []fact{
				{10 << 16, 1, "revenue", "2024", "100", "import:a.csv", "admin", &seven},
				{11 << 16, 1, "revenue", "2024", "120", "api", "ops", nil},
				{12 << 16, 1, "staff", "", "30", "import:a.csv", "admin", &seven},
				{13 << 16, 2, "revenue", "2025", `a "quoted" 值\`, "self-report", "ent", nil},
			}
			if len(got) != len(want) {
				t.Fatalf("facts after the migration: %+v, want %+v", got, want)
			}
			for i := range want {
				g, w := got[i], want[i]
				if g.ID != w.ID || g.Enterprise != w.Enterprise || g.Field != w.Field || g.Period != w.Period || g.Value != w.Value ||
					g.Source != w.Source || g.Actor != w.Actor || (g.Batch == nil) != (w.Batch == nil) || (g.Batch != nil && *g.Batch != *w.Batch) {
					t.Errorf("fact %d after the migration: %+v, want %+v", i, g, w)
				}
			}

			var current []string
			rows, err = db.Query(ctx, "SELECT enterprise_id, field, period, value, fact_id, recorded_at FROM current_facts ORDER BY enterprise_id, field, period")
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var ent, id int64
				var field, period, value, recorded string
				if err := rows.Scan(&ent, &field, &period, &value, &id, &recorded); err != nil {
					t.Fatal(err)
				}
				current = append(current, fmt.Sprint(ent, field, period, value, id, recorded))
			}
			rows.Close()
			wantCurrent := []string{
				fmt.Sprint(1, "revenue", "2024", "120", 11<<16, at),
				fmt.Sprint(1, "staff", "", "30", 12<<16, at),
				fmt.Sprint(2, "revenue", "2025", `a "quoted" 值\`, 13<<16, at),
			}
			if !slices.Equal(current, wantCurrent) {
				t.Errorf("current values %q, want %q (their fact ids the old × 65536)", current, wantCurrent)
			}
			var item, empty int64
			var emptyID *int64
			if err := db.QueryRow(ctx, "SELECT fact_id FROM touch_items WHERE position = 0").Scan(&item); err != nil {
				t.Fatal(err)
			}
			if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM touch_items").Scan(&empty); err != nil {
				t.Fatal(err)
			}
			if err := db.QueryRow(ctx, "SELECT fact_id FROM touch_items WHERE position = 1").Scan(&emptyID); err != nil {
				t.Fatal(err)
			}
			if item != 11<<16 || empty != 2 || emptyID != nil {
				t.Errorf("touch items: fact id %d (want %d), %d items (want 2), unanswered fact id %v (want none)", item, int64(11<<16), empty, emptyID)
			}
			// New sets are numbered after the migrated ones.
			var next int64
			if err := db.QueryRow(ctx, `INSERT INTO fact_sets (enterprise_id, source, actor, recorded_at, facts)
VALUES (1, 'api', 'ops', ?, '[["staff","","31"]]') RETURNING id`, at).Scan(&next); err != nil {
				t.Fatal(err)
			}
			if next <= 13 {
				t.Errorf("the next set is %d, want above the migrated 13", next)
			}
		})
	}
}
