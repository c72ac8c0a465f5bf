package store_test

import (
	"context"
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
	db := storetest.Open(t, store.SQLite)
	t.Run("writer", func(t *testing.T) {
		checkPragmas(t, db, false, map[string]string{
			"journal_mode": "wal",
			"foreign_keys": "1",
			"synchronous":  "1", // NORMAL
			"cache_size":   "-32768",
			"busy_timeout": "10000",
			"query_only":   "0",
		})
	})
	t.Run("reader", func(t *testing.T) {
		checkPragmas(t, db, true, map[string]string{"foreign_keys": "1", "query_only": "1", "busy_timeout": "10000"})
	})
	t.Run("a path's own busy timeout", func(t *testing.T) {
		own, err := store.Open(ctx, filepath.Join(t.TempDir(), "own.db")+"?_busy_timeout=50")
		if err != nil {
			t.Fatal(err)
		}
		defer own.Close()
		checkPragmas(t, own, false, map[string]string{"busy_timeout": "50"})
		checkPragmas(t, own, true, map[string]string{"busy_timeout": "50"})
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

// checkPragmas reads each pragma in a transaction — a read transaction runs
// on a reader connection, a write one on the writer — and compares it.
func checkPragmas(t *testing.T, db *store.DB, reader bool, want map[string]string) {
	t.Helper()
	ctx := context.Background()
	run, on := db.InTx, "writer"
	if reader {
		run, on = db.InReadTx, "reader"
	}
	if err := run(ctx, func(tx *store.Tx) error {
		for name, value := range want {
			var got string
			if err := tx.QueryRow(ctx, "SELECT * FROM pragma_"+name).Scan(&got); err != nil {
				return err
			}
			if got != value {
				t.Errorf("%s: PRAGMA %s = %s, want %s", on, name, got, value)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
