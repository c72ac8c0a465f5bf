package store_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// TestSQLitePragmas: the connection parameters openSQLite gives the driver
// take effect — a misspelt one is ignored silently, so each pragma is read
// back on the writer and on a reader.
func TestSQLitePragmas(t *testing.T) {
	ctx := context.Background()
	pragma := func(t *testing.T, q interface {
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}, name string) int64 {
		t.Helper()
		var v any
		if err := q.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v); err != nil {
			t.Fatalf("PRAGMA %s: %v", name, err)
		}
		switch v := v.(type) {
		case int64:
			return v
		case string:
			if name == "journal_mode" && v == "wal" {
				return 1
			}
		}
		t.Fatalf("PRAGMA %s = %v (%T)", name, v, v)
		return 0
	}

	db := storetest.Open(t, store.SQLite)
	t.Run("writer", func(t *testing.T) {
		for name, want := range map[string]int64{
			"journal_mode": 1, // wal
			"foreign_keys": 1,
			"synchronous":  1, // NORMAL
			"cache_size":   -32768,
			"busy_timeout": 10000,
			"query_only":   0,
		} {
			if got := pragma(t, db.Writer(), name); got != want {
				t.Errorf("writer: PRAGMA %s = %d, want %d", name, got, want)
			}
		}
	})
	t.Run("reader", func(t *testing.T) {
		// A read transaction runs on a reader connection.
		if err := db.InReadTx(ctx, func(tx *store.Tx) error {
			for name, want := range map[string]int64{
				"foreign_keys": 1,
				"query_only":   1,
				"busy_timeout": 10000,
			} {
				var got int64
				if err := tx.QueryRow(ctx, "SELECT * FROM pragma_"+name).Scan(&got); err != nil {
					return err
				}
				if got != want {
					t.Errorf("reader: PRAGMA %s = %d, want %d", name, got, want)
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a path's own busy timeout", func(t *testing.T) {
		own, err := store.Open(ctx, filepath.Join(t.TempDir(), "own.db")+"?_busy_timeout=50")
		if err != nil {
			t.Fatal(err)
		}
		defer own.Close()
		if got := pragma(t, own.Writer(), "busy_timeout"); got != 50 {
			t.Errorf("writer: busy_timeout %d, want the path's 50", got)
		}
		if err := own.InReadTx(ctx, func(tx *store.Tx) error {
			var got int64
			if err := tx.QueryRow(ctx, "SELECT * FROM pragma_busy_timeout").Scan(&got); err != nil {
				return err
			}
			if got != 50 {
				t.Errorf("reader: busy_timeout %d, want the path's 50", got)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("BEGIN IMMEDIATE", func(t *testing.T) {
		// A writer transaction holds the write lock from BEGIN, before it
		// writes anything: another process cannot write meanwhile.
		path := filepath.Join(t.TempDir(), "txlock.db")
		holder, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer holder.Close()
		if _, err := holder.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		other, err := store.Open(ctx, path+"?_busy_timeout=1")
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		tx, err := holder.Writer().BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		_, err = other.Writer().ExecContext(ctx, "DELETE FROM departments WHERE code = 'none'")
		if !errors.Is(store.MapError(err), store.ErrBusy) {
			t.Errorf("a write while another process's transaction has only begun: %v, want busy", err)
		}
	})
}
