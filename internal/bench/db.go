package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
)

// FreshDB opens a new, empty, migrated database with the seeded dictionary
// for a benchmark: for a postgres:// URL a schema of its own in that
// database, dropped by close; for anything else a SQLite file in a new
// directory under dir ("" for the system's temporary directory), removed by
// close. A benchmark never writes into a database that holds a park.
func FreshDB(ctx context.Context, dbURL, dir string) (db *store.DB, where string, close func(), err error) {
	var drop func()
	dsn := ""
	if strings.HasPrefix(dbURL, "postgres://") || strings.HasPrefix(dbURL, "postgresql://") {
		dsn, where, drop, err = freshSchema(ctx, dbURL)
		if err != nil {
			return nil, "", nil, err
		}
	} else {
		tmp, err := os.MkdirTemp(dir, "parkdesk-bench-")
		if err != nil {
			return nil, "", nil, err
		}
		dsn = filepath.Join(tmp, "bench.db")
		where = "SQLite " + dsn
		drop = func() { os.RemoveAll(tmp) }
	}
	db, err = store.Open(ctx, dsn)
	if err != nil {
		drop()
		return nil, "", nil, err
	}
	close = func() { db.Close(); drop() }
	if _, err := db.Migrate(ctx); err != nil {
		close()
		return nil, "", nil, err
	}
	if err := facts.SeedDictionary(ctx, db); err != nil {
		close()
		return nil, "", nil, err
	}
	return db, where, close, nil
}

// freshSchema makes a schema with a random name in the database of dbURL
// and returns a URL whose connections use it. The commits wait for the WAL
// flush as a production database's do.
func freshSchema(ctx context.Context, dbURL string) (dsn, where string, drop func(), err error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", "", nil, fmt.Errorf("bench: the database URL: %w", err)
	}
	var random [6]byte
	rand.Read(random[:])
	schema := "parkdesk_bench_" + hex.EncodeToString(random[:])
	admin, err := sql.Open("pgx", dbURL)
	if err != nil {
		return "", "", nil, err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", "", nil, fmt.Errorf("bench: create schema %s on %s: %w", schema, u.Host, err)
	}
	drop = func() {
		admin, err := sql.Open("pgx", dbURL)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), "PostgreSQL " + u.Host + " schema " + schema, drop, nil
}

// LoadAverage is the machine's load average over 1, 5 and 15 minutes, as
// uptime prints it, to go with every absolute figure; "" where the system
// does not tell.
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
