package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
)

// ErrBackupExists is returned by Backup when the target file exists.
var ErrBackupExists = errors.New("store: the backup file exists already")

// Backup writes a consistent copy of a SQLite database to path while the
// database stays in use (VACUUM INTO: a snapshot, compacted, that opens as
// a database of its own). It refuses to overwrite a file. A PostgreSQL
// database is backed up with its own tools (pg_dump), which see the whole
// server's state and run without parkdesk.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return errors.New("store: back PostgreSQL up with pg_dump (see docs/deployment.md)")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%w: %s", ErrBackupExists, path)
	}
	// On a connection of its own: VACUUM INTO reads the database in one
	// read transaction, which in WAL mode never blocks the writer, and the
	// writer connection stays free for requests meanwhile. (The readers
	// are query_only, which refuses even writing the new file.)
	conn, err := sql.Open("sqlite3", db.url+sqliteSep(db.url)+fmt.Sprintf("_busy_timeout=%d", sqliteBusyTimeoutMS))
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		os.Remove(path)
		return fmt.Errorf("store: backup to %s: %w", path, MapError(err))
	}
	return nil
}

// sqliteSep is what joins a parameter to a SQLite file name.
func sqliteSep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}
