package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The migrations, one directory per dialect, named NNNN_what.sql. They are
// plain SQL, forward only: a migration never imports Go types, so that it
// means the same thing however the code changes later.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string // file name without .sql, e.g. 0001_foundation
	sql     string
}

func migrationsFor(d Dialect) ([]migration, error) {
	dir := "migrations/" + d.String()
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".sql")
		if !ok {
			continue
		}
		digits, _, _ := strings.Cut(name, "_")
		version, err := strconv.Atoi(digits)
		if err != nil || version <= 0 || len(digits) != 4 {
			return nil, fmt.Errorf("store: migration %s/%s: the name must start with a 4-digit version", dir, e.Name())
		}
		text, err := fs.ReadFile(migrationFiles, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("store: migration %s: %w", name, err)
		}
		ms = append(ms, migration{version: version, name: name, sql: string(text)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	// Numbers may leave gaps: parallel branches are each given a number of
	// their own, and a branch merged before another with a lower number
	// must still migrate. Repeats would make one number mean two schemas.
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("store: migrations %s and %s have the same version", ms[i-1].name, ms[i].name)
		}
	}
	return ms, nil
}

// migrationLockKey is the first half of the PostgreSQL advisory lock that
// serialises migrations; the second half is the schema, so that databases
// in different schemas (tests) migrate side by side.
const migrationLockKey = 0x7061726b // "park"

// Migrate applies the migrations the database lacks, each in its own
// transaction recorded in schema_migrations, and returns the names of those
// it applied. Several instances may migrate at once: on PostgreSQL each
// migration takes an advisory lock and checks again under it, on SQLite the
// write lock does the same. A database migrated by a newer parkdesk is
// refused rather than run with code that does not know its schema.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	return db.migrate(ctx, math.MaxInt)
}

// migrate applies the migrations the database lacks up to the version
// last, which a test of a migration sets to the one before it.
func (db *DB) migrate(ctx context.Context, last int) ([]string, error) {
	ms, err := migrationsFor(db.dialect)
	if err != nil {
		return nil, err
	}
	err = db.InTx(ctx, func(tx *Tx) error {
		if err := tx.lockMigrations(ctx); err != nil {
			return err
		}
		_, err := tx.tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at TEXT NOT NULL
)`)
		return MapError(err)
	})
	if err != nil {
		return nil, fmt.Errorf("store: create schema_migrations: %w", err)
	}
	have, err := db.appliedVersions(ctx)
	if err != nil {
		return nil, err
	}
	known := map[int]bool{}
	for _, m := range ms {
		known[m.version] = true
	}
	for _, v := range have {
		if !known[v] {
			return nil, fmt.Errorf("store: the database has schema version %d, which this parkdesk does not know (it knows up to %d): upgrade parkdesk", v, ms[len(ms)-1].version)
		}
	}
	var applied []string
	for _, m := range ms {
		if slices.Contains(have, m.version) || m.version > last {
			continue
		}
		done := false
		err := db.InTx(ctx, func(tx *Tx) error {
			if err := tx.lockMigrations(ctx); err != nil {
				return err
			}
			var n int
			if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil // another instance applied it meanwhile
			}
			if _, err := tx.tx.ExecContext(ctx, m.sql); err != nil {
				return MapError(err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, FormatTime(time.Now())); err != nil {
				return err
			}
			done = true
			return nil
		})
		if err != nil {
			return applied, fmt.Errorf("store: migration %s: %w", m.name, err)
		}
		if done {
			applied = append(applied, m.name)
		}
	}
	return applied, nil
}

// appliedVersions returns the versions recorded in schema_migrations.
func (db *DB) appliedVersions(ctx context.Context) ([]int, error) {
	rows, err := db.Query(ctx, "SELECT version FROM schema_migrations ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("store: read schema_migrations: %w", err)
	}
	defer rows.Close()
	var vs []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("store: read schema_migrations: %w", err)
		}
		vs = append(vs, v)
	}
	return vs, rows.Err()
}

// lockMigrations takes the migration lock until the transaction ends. On
// SQLite the transaction already holds the write lock.
func (tx *Tx) lockMigrations(ctx context.Context) error {
	if tx.db.dialect != Postgres {
		return nil
	}
	_, err := tx.tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))", migrationLockKey)
	return MapError(err)
}
