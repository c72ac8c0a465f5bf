package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/store"
)

// TestBusyIsErrBusy: when another process holds SQLite's write lock past
// the busy timeout and the retries, a write fails with ErrBusy — which the
// adapters turn into "try again", never an internal error — and succeeds
// once the lock is released, while the holder's transaction is under way.
func TestBusyIsErrBusy(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "busy.db") + "?_busy_timeout=50"
	open := func() *store.DB {
		db, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	holder, other := open(), open() // two processes, as far as SQLite knows
	if _, err := holder.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	locked, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() {
		done <- holder.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.Exec(ctx, "INSERT INTO departments (code, name_zh, name_en) VALUES ('hold', '持锁', 'Hold')"); err != nil {
				return err
			}
			close(locked)
			<-release
			return nil
		})
	}()
	<-locked
	err := other.InTx(ctx, func(tx *store.Tx) error { return nil })
	if !errors.Is(err, store.ErrBusy) {
		t.Fatalf("a transaction while another process writes: %v, want ErrBusy", err)
	}
	if _, err := other.Exec(ctx, "DELETE FROM departments WHERE code = 'none'"); !errors.Is(err, store.ErrBusy) {
		t.Fatalf("a statement while another process writes: %v, want ErrBusy", err)
	}
	// Released during the retries: the waiting transaction goes through.
	go func() {
		time.Sleep(100 * time.Millisecond)
		close(release)
	}()
	if err := other.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO departments (code, name_zh, name_en) VALUES ('after', '之后', 'After')")
		return err
	}); err != nil {
		t.Fatalf("a transaction retried after the lock was released: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
