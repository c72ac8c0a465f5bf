// Package storetest gives tests fresh, migrated databases: always SQLite,
// and PostgreSQL when PARKDESK_TEST_POSTGRES names a server.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/parkdesk/parkdesk/internal/store"
)

// PostgresEnv is the environment variable holding the URL of the PostgreSQL
// server tests may use, e.g.
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable.
const PostgresEnv = "PARKDESK_TEST_POSTGRES"

// Run runs fn as the parallel subtests "sqlite" and, when PostgreSQL is
// configured, "postgres", each with a fresh migrated database of its own.
func Run(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(d.String(), func(t *testing.T) {
			t.Parallel()
			fn(t, Open(t, d))
		})
	}
}

// Open returns a fresh migrated database of the dialect, closed (and on
// PostgreSQL dropped) when the test ends. Without PARKDESK_TEST_POSTGRES a
// PostgreSQL test is skipped.
func Open(t testing.TB, d store.Dialect) *store.DB {
	t.Helper()
	ctx := context.Background()
	dsn := DSN(t, d)
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("storetest: open %s: %v", d, err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("storetest: close %s: %v", d, err)
		}
	})
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("storetest: migrate %s: %v", d, err)
	}
	return db
}

// DSN returns the name of a fresh, empty database of the dialect for tests
// that open it themselves (migration tests, two instances on one database):
// a file in the test's temporary directory, or a URL selecting a new
// PostgreSQL schema that is dropped when the test ends. Close what you open
// with t.Cleanup after calling DSN, so that it closes before the drop.
func DSN(t testing.TB, d store.Dialect) string {
	t.Helper()
	switch d {
	case store.SQLite:
		return filepath.Join(t.TempDir(), "parkdesk.db")
	case store.Postgres:
		return postgresSchema(t)
	}
	t.Fatalf("storetest: unknown dialect %v", d)
	return ""
}

// Dialects returns the dialects tests can run on here: SQLite, and
// PostgreSQL when PARKDESK_TEST_POSTGRES is set.
func Dialects() []store.Dialect {
	if os.Getenv(PostgresEnv) != "" {
		return []store.Dialect{store.SQLite, store.Postgres}
	}
	return []store.Dialect{store.SQLite}
}

// postgresSchema creates a schema with a random name and returns a URL
// whose connections all use it (search_path is sent as a run-time parameter
// on every connection), so that tests never see each other's tables. The
// schema is dropped when the test ends, after the database is closed.
func postgresSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skipf("storetest: %s is not set", PostgresEnv)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("storetest: %s is not a URL: %v", PostgresEnv, err)
	}
	var random [8]byte
	rand.Read(random[:])
	schema := "test_" + hex.EncodeToString(random[:])

	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("storetest: create schema on %s: %v", u.Host, err)
	}
	// Registered before Open registers its Close, so it runs after it.
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Errorf("storetest: %v", err)
			return
		}
		defer admin.Close()
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("storetest: drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	// A test database need not survive a crash, so its commits need not
	// wait for the WAL flush.
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}
