package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

func TestMigrateTwiceIsANoOp(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		applied, err := db.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("second Migrate applied %v, want nothing", applied)
		}
		var name string
		if err := db.QueryRow(ctx, "SELECT name FROM schema_migrations WHERE version = 1").Scan(&name); err != nil {
			t.Fatal(err)
		}
		if name != "0001_foundation" {
			t.Errorf("migration 1 recorded as %q", name)
		}
		for _, table := range []string{"parks", "departments", "tags", "enterprises", "enterprise_tags", "fields", "import_batches", "facts", "current_facts"} {
			var n int
			if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
				t.Errorf("table %s: %v", table, err)
			}
		}
	})
}

func TestMigrateFreshReportsWhatItApplied(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d.String(), func(t *testing.T) {
			t.Parallel()
			db := openEmpty(t, storetest.DSN(t, d))
			applied, err := db.Migrate(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(applied) == 0 || applied[0] != "0001_foundation" {
				t.Errorf("Migrate on an empty database applied %v, want 0001_foundation first", applied)
			}
		})
	}
}

// Two instances starting together must not both apply a migration: the
// loser waits on the lock, then finds the migration done.
func TestMigrateConcurrently(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d.String(), func(t *testing.T) {
			t.Parallel()
			dsn := storetest.DSN(t, d)
			first, second := openEmpty(t, dsn), openEmpty(t, dsn)
			var wg sync.WaitGroup
			results := make([][]string, 2)
			errs := make([]error, 2)
			for i, db := range []*store.DB{first, second} {
				wg.Go(func() { results[i], errs[i] = db.Migrate(context.Background()) })
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("instance %d: %v", i, err)
				}
			}
			seen := map[string]int{}
			for _, r := range results {
				for _, name := range r {
					seen[name]++
				}
			}
			for name, n := range seen {
				if n != 1 {
					t.Errorf("migration %s applied %d times", name, n)
				}
			}
			if seen["0001_foundation"] != 1 {
				t.Errorf("0001_foundation applied by neither instance: %v", results)
			}
		})
	}
}

func TestMigrateRefusesANewerSchema(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
			9999, "9999_future", store.FormatTime(time.Now())); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err == nil {
			t.Error("Migrate accepted a database migrated by a newer parkdesk")
		}
	})
}

func TestPlaceholders(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustPark(t, db, "p1", "一园")
		mustPark(t, db, "p2", "二园")
		var code, literal string
		err := db.QueryRow(ctx, "SELECT code, '?' FROM parks WHERE name_zh = ? AND code <> ? -- which?",
			"二园", "p1").Scan(&code, &literal)
		if err != nil {
			t.Fatal(err)
		}
		if code != "p2" || literal != "?" {
			t.Errorf("got (%q, %q), want (p2, ?)", code, literal)
		}
	})
}

func TestErrorMapping(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustPark(t, db, "p1", "一园")
		now := store.FormatTime(time.Now())
		tests := []struct {
			name string
			run  func() error
			want error
		}{
			{"no row", func() error {
				var id int64
				return db.QueryRow(ctx, "SELECT id FROM parks WHERE code = ?", "nowhere").Scan(&id)
			}, store.ErrNotFound},
			{"unique", func() error {
				_, err := db.Exec(ctx, "INSERT INTO parks (code, name_zh) VALUES (?, ?)", "p1", "again")
				return err
			}, store.ErrConflict},
			{"primary key", func() error {
				_, err := db.Exec(ctx, "INSERT INTO fields (name, type, shape, department_code, sensitivity, label_zh, label_en) VALUES (?, 'number', 'annual', 'tax', 'public', 'a', 'a'), (?, 'number', 'annual', 'tax', 'public', 'a', 'a')", "dup", "dup")
				return err
			}, store.ErrConflict},
			{"foreign key", func() error {
				_, err := db.Exec(ctx, "INSERT INTO enterprises (uscc, name, park_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
					"91330106MA2GL1234M", "x", 424242, now, now)
				return err
			}, store.ErrReferenced},
			{"check", func() error {
				_, err := db.Exec(ctx, "INSERT INTO enterprises (uscc, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
					"too short", "x", now, now)
				return err
			}, store.ErrCheck},
			{"not null", func() error {
				_, err := db.Exec(ctx, "INSERT INTO parks (code, name_zh) VALUES (?, NULL)", "p9")
				return err
			}, store.ErrCheck},
			{"no row in a transaction", func() error {
				return db.InTx(ctx, func(tx *store.Tx) error {
					var id int64
					return tx.QueryRow(ctx, "SELECT id FROM parks WHERE code = ?", "nowhere").Scan(&id)
				})
			}, store.ErrNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := tt.run()
				if !errors.Is(err, tt.want) {
					t.Fatalf("got %v, want %v", err, tt.want)
				}
				for _, other := range []error{store.ErrNotFound, store.ErrConflict, store.ErrReferenced, store.ErrCheck} {
					if other != tt.want && errors.Is(err, other) {
						t.Errorf("%v is also %v", err, other)
					}
				}
			})
		}
		t.Run("the driver error stays reachable", func(t *testing.T) {
			var id int64
			err := db.QueryRow(ctx, "SELECT id FROM parks WHERE code = ?", "nowhere").Scan(&id)
			if !errors.Is(err, sql.ErrNoRows) {
				t.Errorf("%v is not sql.ErrNoRows", err)
			}
		})
		t.Run("other errors pass through", func(t *testing.T) {
			plain := errors.New("plain")
			if got := store.MapError(plain); got != plain {
				t.Errorf("MapError(plain) = %v", got)
			}
			if store.MapError(nil) != nil {
				t.Error("MapError(nil) is not nil")
			}
		})
	})
}

func TestInTx(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		insert := func(tx *store.Tx, code string) {
			t.Helper()
			if _, err := tx.Exec(ctx, "INSERT INTO parks (code, name_zh) VALUES (?, ?)", code, code); err != nil {
				t.Fatal(err)
			}
		}
		t.Run("commits on nil", func(t *testing.T) {
			if err := db.InTx(ctx, func(tx *store.Tx) error { insert(tx, "kept"); return nil }); err != nil {
				t.Fatal(err)
			}
			if !parkExists(t, db, "kept") {
				t.Error("the committed row is missing")
			}
		})
		t.Run("rolls back on error", func(t *testing.T) {
			boom := errors.New("boom")
			err := db.InTx(ctx, func(tx *store.Tx) error { insert(tx, "on-error"); return boom })
			if !errors.Is(err, boom) {
				t.Fatalf("InTx returned %v, want the function's error", err)
			}
			if parkExists(t, db, "on-error") {
				t.Error("the row of a failed transaction was kept")
			}
		})
		t.Run("rolls back on panic and panics on", func(t *testing.T) {
			func() {
				defer func() {
					if r := recover(); r != "boom" {
						t.Errorf("recovered %v, want the original panic", r)
					}
				}()
				db.InTx(ctx, func(tx *store.Tx) error { insert(tx, "on-panic"); panic("boom") })
			}()
			if parkExists(t, db, "on-panic") {
				t.Error("the row of a panicking transaction was kept")
			}
			// The writer is usable again: the rollback gave the connection back.
			if err := db.InTx(ctx, func(tx *store.Tx) error { insert(tx, "after-panic"); return nil }); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("a failed statement rolls back all", func(t *testing.T) {
			err := db.InTx(ctx, func(tx *store.Tx) error {
				insert(tx, "first")
				_, err := tx.Exec(ctx, "INSERT INTO parks (code, name_zh) VALUES (?, ?)", "kept", "duplicate")
				return err
			})
			if !errors.Is(err, store.ErrConflict) {
				t.Fatalf("got %v, want a conflict", err)
			}
			if parkExists(t, db, "first") {
				t.Error("a statement before the failing one was kept")
			}
		})
	})
}

func TestInReadTxSeesOneState(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustPark(t, db, "before", "前")
		err := db.InReadTx(ctx, func(tx *store.Tx) error {
			first := countParks(t, tx)
			mustPark(t, db, "during", "中") // committed by another connection
			if second := countParks(t, tx); second != first {
				t.Errorf("the read transaction saw %d parks, then %d", first, second)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := countParks(t, db); n != 2 {
			t.Errorf("after the read transaction: %d parks, want 2", n)
		}
	})
}

func TestSQLiteReaders(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	t.Run("see committed writes", func(t *testing.T) {
		for i := range 20 {
			code := fmt.Sprintf("p%d", i)
			mustPark(t, db, code, code)
			if !parkExists(t, db, code) { // Query goes to a reader
				t.Fatalf("a reader does not see %s right after its commit", code)
			}
		}
	})
	t.Run("a write query goes to the writer", func(t *testing.T) {
		var id int64
		if err := db.QueryRow(ctx, "INSERT INTO parks (code, name_zh) VALUES (?, ?) RETURNING id", "returning", "r").Scan(&id); err != nil {
			t.Fatal(err)
		}
		if id == 0 {
			t.Error("RETURNING gave id 0")
		}
	})
	t.Run("a read transaction cannot write", func(t *testing.T) {
		err := db.InReadTx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, "INSERT INTO parks (code, name_zh) VALUES (?, ?)", "sneaky", "s")
			return err
		})
		if err == nil {
			t.Error("a write in a read transaction succeeded")
		}
	})
	t.Run("WAL", func(t *testing.T) {
		var mode string
		if err := db.QueryRow(ctx, "SELECT journal_mode FROM pragma_journal_mode").Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if mode != "wal" {
			t.Errorf("journal mode %q, want wal", mode)
		}
		var fk int
		if err := db.QueryRow(ctx, "SELECT foreign_keys FROM pragma_foreign_keys").Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if fk != 1 {
			t.Error("foreign keys are off on a reader")
		}
	})
}

func TestOpenRefusesInMemorySQLite(t *testing.T) {
	if db, err := store.Open(context.Background(), ":memory:"); err == nil {
		db.Close()
		t.Error("Open(:memory:) succeeded; its readers would not see the writer's data")
	}
}

func TestBulkInsert(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.Exec(ctx, "CREATE TABLE bulk (n INTEGER NOT NULL, label TEXT NOT NULL, twice INTEGER NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		// 40,000 rows of 3 columns are 120,000 parameters: over both
		// databases' limits for one statement even when the caller asks
		// for everything in one.
		const rows = 40000
		seq := func(yield func([]any) bool) {
			row := make([]any, 3)
			for i := range rows {
				row[0], row[1], row[2] = i, fmt.Sprint("row ", i), 2*i
				if !yield(row) {
					return
				}
			}
		}
		var affected int64
		err := db.InTx(ctx, func(tx *store.Tx) (err error) {
			affected, err = tx.InsertRows(ctx, store.Insert{Table: "bulk", Columns: []string{"n", "label", "twice"}, RowsPerStatement: 1 << 20}, seq)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if affected != rows {
			t.Errorf("affected %d rows, want %d", affected, rows)
		}
		var count, sum, bad int64
		if err := db.QueryRow(ctx, "SELECT COUNT(*), SUM(n), SUM(CASE WHEN twice <> 2 * n OR label <> 'row ' || n THEN 1 ELSE 0 END) FROM bulk").Scan(&count, &sum, &bad); err != nil {
			t.Fatal(err)
		}
		if count != rows || sum != rows*(rows-1)/2 || bad != 0 {
			t.Errorf("table holds %d rows summing to %d with %d wrong; want %d rows summing to %d", count, sum, bad, rows, rows*(rows-1)/2)
		}

		t.Run("returning", func(t *testing.T) {
			var got []int64
			err := db.InTx(ctx, func(tx *store.Tx) error {
				return tx.InsertRowsReturning(ctx, store.Insert{Table: "parks", Columns: []string{"code", "name_zh"}, Suffix: "RETURNING code", RowsPerStatement: 7},
					countTo(50, func(i int) []any { return []any{fmt.Sprintf("bulk%02d", i), "园"} }),
					func(r *sql.Rows) error {
						var code string
						if err := r.Scan(&code); err != nil {
							return err
						}
						got = append(got, int64(len(code)))
						return nil
					})
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 50 {
				t.Errorf("RETURNING gave %d rows, want 50", len(got))
			}
		})
		t.Run("on conflict", func(t *testing.T) {
			var n int64
			err := db.InTx(ctx, func(tx *store.Tx) (err error) {
				n, err = tx.InsertRows(ctx, store.Insert{Table: "parks", Columns: []string{"code", "name_zh"}, Suffix: "ON CONFLICT (code) DO NOTHING"},
					countTo(60, func(i int) []any { return []any{fmt.Sprintf("bulk%02d", i), "园"} }))
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if n != 10 {
				t.Errorf("inserted %d new parks, want the 10 not there yet", n)
			}
		})
		t.Run("a row of the wrong width", func(t *testing.T) {
			err := db.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.InsertRows(ctx, store.Insert{Table: "bulk", Columns: []string{"n", "label", "twice"}},
					countTo(3, func(i int) []any { return []any{i, "x"} }))
				return err
			})
			if err == nil {
				t.Error("a row with 2 values for 3 columns was accepted")
			}
		})
	})
}

// TestParameterLimits checks the limits the bulk insert keeps to against the
// real databases: a statement at the limit runs, one parameter more fails.
func TestParameterLimits(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		limit := 32766
		if db.Dialect() == store.Postgres {
			limit = 65535
		}
		if _, err := db.Exec(ctx, "CREATE TABLE lim (a INTEGER NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		statement := func(params int) string {
			b := []byte("INSERT INTO lim (a) VALUES (?)")
			for range params - 1 {
				b = append(b, ",(?)"...)
			}
			return string(b)
		}
		args := make([]any, limit+1)
		for i := range args {
			args[i] = i
		}
		res, err := db.Exec(ctx, statement(limit), args[:limit]...)
		if err != nil {
			t.Fatalf("%d parameters: %v", limit, err)
		}
		if n, _ := res.RowsAffected(); n != int64(limit) {
			t.Errorf("inserted %d rows, want %d", n, limit)
		}
		if _, err := db.Exec(ctx, statement(limit+1), args...); err == nil {
			t.Errorf("%d parameters ran: the limit is not where the store thinks", limit+1)
		}
	})
}

func TestTimeRoundTrip(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		at := time.Date(2024, 2, 29, 23, 59, 58, 123_456_789, time.FixedZone("CST", 8*3600))
		var id int64
		if err := db.QueryRow(ctx, "INSERT INTO import_batches (source, actor, created_at) VALUES (?, ?, ?) RETURNING id",
			"api", "tester", store.FormatTime(at)).Scan(&id); err != nil {
			t.Fatal(err)
		}
		var got time.Time
		if err := db.QueryRow(ctx, "SELECT created_at FROM import_batches WHERE id = ?", id).Scan(store.ScanTime(&got)); err != nil {
			t.Fatal(err)
		}
		if want := at.Truncate(time.Millisecond).UTC(); !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("read back %v, want %v", got, want)
		}
		// The database's own default writes the same form.
		var created string
		if err := db.QueryRow(ctx, "INSERT INTO parks (code, name_zh) VALUES (?, ?) RETURNING created_at", "t", "t").Scan(&created); err != nil {
			t.Fatal(err)
		}
		if _, err := store.ParseTime(created); err != nil {
			t.Errorf("the SQL default wrote %q: %v", created, err)
		}
		// A time.Time given directly is refused by the width check.
		_, err := db.Exec(ctx, "INSERT INTO import_batches (source, actor, created_at) VALUES (?, ?, ?)", "api", "tester", at)
		if !errors.Is(err, store.ErrCheck) {
			t.Errorf("a time.Time argument gave %v, want a check violation", err)
		}
	})
}

// Helpers.

// openEmpty opens the database without migrating it.
func openEmpty(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustPark(t *testing.T, db *store.DB, code, name string) {
	t.Helper()
	if _, err := db.Exec(context.Background(), "INSERT INTO parks (code, name_zh) VALUES (?, ?)", code, name); err != nil {
		t.Fatal(err)
	}
}

func parkExists(t *testing.T, db *store.DB, code string) bool {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), "SELECT COUNT(*) FROM parks WHERE code = ?", code).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func countParks(t *testing.T, q store.Queryer) int {
	t.Helper()
	var n int
	if err := q.QueryRow(context.Background(), "SELECT COUNT(*) FROM parks").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func countTo(n int, row func(i int) []any) iter.Seq[[]any] {
	return func(yield func([]any) bool) {
		for i := range n {
			if !yield(row(i)) {
				return
			}
		}
	}
}

// Copy writes rows by the bulk path of each database, inside the caller's
// transaction: a rollback leaves nothing, a row of the wrong width is an
// error, and a commit keeps every row with its values.
func TestCopy(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.Exec(ctx, "CREATE TABLE copy_test (id BIGINT PRIMARY KEY, name TEXT NOT NULL, note TEXT)"); err != nil {
			t.Fatal(err)
		}
		rows := func(n int) iter.Seq[[]any] {
			return func(yield func([]any) bool) {
				row := make([]any, 3)
				for i := range n {
					row[0], row[1], row[2] = int64(i+1), fmt.Sprintf("行 %d", i+1), nil
					if i%2 == 0 {
						row[2] = "note"
					}
					if !yield(row) {
						return
					}
				}
			}
		}
		errRollback := errors.New("roll back")
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if n, err := tx.Copy(ctx, "copy_test", []string{"id", "name", "note"}, rows(10)); err != nil || n != 10 {
				t.Fatalf("copy: %d, %v", n, err)
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM copy_test").Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d rows after the rollback (%v)", n, err)
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.Copy(ctx, "copy_test", []string{"id", "name", "note"}, func(yield func([]any) bool) {
				yield([]any{int64(1), "short"})
			})
			return err
		})
		if err == nil {
			t.Error("a row of two values for three columns was copied")
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.Copy(ctx, "copy_test", []string{"id", "name", "note"}, rows(2500))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var notes int
		var name string
		if err := db.QueryRow(ctx, "SELECT COUNT(*), COUNT(note), MAX(CASE WHEN id = 2500 THEN name END) FROM copy_test").Scan(&n, &notes, &name); err != nil {
			t.Fatal(err)
		}
		if n != 2500 || notes != 1250 || name != "行 2500" {
			t.Errorf("after the copy: %d rows, %d notes, row 2500 %q", n, notes, name)
		}
	})
}

// Statements are prepared once and kept on SQLite; new texts reach the
// cache from transactions and from calls outside them at once, from many
// goroutines, without any of them waiting on another for good (preparing
// needs the one writer connection, which a transaction may hold).
func TestPreparedStatementsUnderConcurrency(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if _, err := db.Exec(ctx, "CREATE TABLE stmt_test (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		for id := range 80 {
			if _, err := db.Exec(ctx, "INSERT INTO stmt_test (id, n) VALUES (?, 0)", id); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 60 {
					// Every call a text of its own (a comment tells them
					// apart), so that preparing never stops; each goroutine
					// its own rows, so that PostgreSQL's row locks never
					// cross.
					in := "?" + strings.Repeat(", ?", i%7) + fmt.Sprintf(" /* %d.%d */", g, i)
					args := []any{int64(1)}
					for k := range i%7 + 1 {
						args = append(args, int64(g*10+k))
					}
					var err error
					if (g+i)%2 == 0 {
						_, err = db.Exec(ctx, "UPDATE stmt_test SET n = n + ? WHERE id IN ("+in+")", args...)
					} else {
						err = db.InTx(ctx, func(tx *store.Tx) error {
							if _, err := tx.Exec(ctx, "UPDATE stmt_test SET n = n + ? WHERE id IN ("+in+")", args...); err != nil {
								return err
							}
							var n int
							return tx.QueryRow(ctx, "SELECT COUNT(*) FROM stmt_test WHERE id IN ("+in+")", args[1:]...).Scan(&n)
						})
					}
					if err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		var total int64
		if err := db.QueryRow(ctx, "SELECT SUM(n) FROM stmt_test").Scan(&total); err != nil {
			t.Fatal(err)
		}
		want := int64(0)
		for range 8 {
			for i := range 60 {
				want += int64(i%7 + 1)
			}
		}
		if total != want {
			t.Errorf("sum %d, want %d", total, want)
		}
	})
}
