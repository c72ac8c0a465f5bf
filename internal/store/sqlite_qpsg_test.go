package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/mattn/go-sqlite3"
)

// TestSQLiteListQueryIsPreparedOnce: a statement whose plan could depend on
// a bound value, the shape of parkdesk's lists, is not prepared again when
// it runs, on the writer and on a reader — the driver clears the bindings
// before each run, which without the query-planner stability guarantee
// makes SQLite prepare it again every time (sqlite_qpsg.go). SQLite asks a
// connection's authorizer about every SELECT it compiles, a re-prepare
// included, so the test counts those questions.
func TestSQLiteListQueryIsPreparedOnce(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "prepared.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	const listQuery = "SELECT id FROM touch_visits WHERE enterprise_id = ? ORDER BY id DESC LIMIT 20"
	const runs = 10
	for _, c := range []struct {
		name string
		pool *sql.DB
	}{{"writer", db.writer}, {"reader", db.reader}} {
		t.Run(c.name, func(t *testing.T) {
			conn, err := c.pool.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			compiled := 0
			setAuthorizer(t, conn, func(action int, _, _, _ string) int {
				if action == sqlite3.SQLITE_SELECT {
					compiled++
				}
				return sqlite3.SQLITE_OK
			})
			defer setAuthorizer(t, conn, nil)
			stmt, err := conn.PrepareContext(ctx, listQuery)
			if err != nil {
				t.Fatal(err)
			}
			defer stmt.Close()
			if compiled == 0 {
				t.Fatal("the authorizer was not asked while the statement was prepared: the count below would say nothing")
			}
			// Preparing may compile twice (a reader opened before the
			// migration first sees the schema change); only the runs count.
			compiled = 0
			for enterprise := range runs {
				rows, err := stmt.QueryContext(ctx, 100+enterprise)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
				}
				if err := rows.Close(); err != nil {
					t.Fatal(err)
				}
			}
			if compiled != 0 {
				t.Errorf("%s: %q prepared again %d times in %d runs, want never", c.name, listQuery, compiled, runs)
			}
		})
	}
}

// setAuthorizer sets (nil: removes) the authorizer of conn's SQLite
// connection.
func setAuthorizer(t *testing.T, conn *sql.Conn, authorize func(action int, arg1, arg2, arg3 string) int) {
	t.Helper()
	if err := conn.Raw(func(driverConn any) error {
		driverConn.(*sqlite3.SQLiteConn).RegisterAuthorizer(authorize)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
