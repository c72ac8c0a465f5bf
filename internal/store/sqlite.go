package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"

	// mattn/go-sqlite3 is SQLite's own C source built with cgo. It writes
	// 1.5–3× faster than modernc.org/sqlite (SQLite translated to Go),
	// which parkdesk used before: a history INSERT … SELECT of a million
	// fact rows took 3.0 s against 6.5–8.3 s, the current-value merge
	// 0.68 s against 1.9 s, and `parkdesk bench import --rows 1000000`
	// went from 84–87 k to 133–135 k rows/s. Reads lost at first: the
	// driver clears a statement's bindings before each run, which makes
	// SQLite prepare again, at every run, the statements whose plan may
	// depend on a bound value (docs/experiments/sqlite-reprepare); every
	// connection therefore runs with SQLite's query-planner stability
	// guarantee on (sqlite_qpsg.go), under which no plan depends on one.
	// The cost: building needs a C compiler (CGO_ENABLED=1), the binary
	// links glibc dynamically, and GOOS/GOARCH alone no longer
	// cross-compile it. SQLite is compiled into the binary; the server
	// needs no libsqlite3.
	_ "github.com/mattn/go-sqlite3"
)

// sqliteBusyTimeoutMS is how long a connection waits for a lock another
// process holds (a `parkdesk import` next to `parkdesk serve`) before
// failing with SQLITE_BUSY.
const sqliteBusyTimeoutMS = 10000

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == ":memory:" || strings.Contains(path, "mode=memory") {
		// Every connection would get its own empty database: the readers
		// would never see what the writer wrote.
		return nil, errors.New("store: an in-memory SQLite database cannot be shared by the writer and the readers; give a file path")
	}
	if err := enableQPSGOnEveryConnection(); err != nil {
		return nil, err
	}
	sep := sqliteSep(path)
	// The parameters are the driver's (mattn/go-sqlite3): it runs
	// _name=value as PRAGMA name = value on every connection it opens
	// (_txlock is its own: what its BEGIN says). It sets busy_timeout first
	// whatever the order here, so that the pragmas after it wait for a lock
	// instead of failing. A path that sets its own
	// (…?_busy_timeout=500) keeps it.
	common := "_foreign_keys=1"
	if !strings.Contains(path, "_busy_timeout") {
		common = fmt.Sprintf("_busy_timeout=%d&", sqliteBusyTimeoutMS) + common
	}
	// _txlock=immediate: a write transaction takes the write lock at BEGIN,
	// so it cannot fail half-way with SQLITE_BUSY when it first writes.
	// _cache_size=-32768: the one writer keeps up to 32 MiB of pages (the
	// default is 2 MiB), so that a bulk write of results or facts, whose
	// index inserts land all over the indexes, reads back from memory what
	// it just wrote instead of from the file.
	writerDSN := path + sep + common + "&_journal_mode=WAL&_synchronous=NORMAL&_cache_size=-32768&_txlock=immediate"
	readerDSN := path + sep + common + "&_query_only=1"

	writer, err := sql.Open("sqlite3", writerDSN)
	if err != nil {
		return nil, fmt.Errorf("store: open SQLite %s: %w", path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)
	// The writer connects first: it switches the file to WAL, which the
	// readers rely on to read while it writes.
	var mode string
	if err := writer.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		writer.Close()
		return nil, fmt.Errorf("store: open SQLite %s: %w", path, err)
	}
	if !strings.EqualFold(mode, "wal") {
		writer.Close()
		return nil, fmt.Errorf("store: SQLite %s: journal mode is %q, not WAL (is it on a network file system?)", path, mode)
	}

	reader, err := sql.Open("sqlite3", readerDSN)
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("store: open SQLite %s: %w", path, err)
	}
	readers := sqliteReaders()
	reader.SetMaxOpenConns(readers)
	reader.SetMaxIdleConns(readers)
	if err := reader.PingContext(ctx); err != nil {
		reader.Close()
		writer.Close()
		return nil, fmt.Errorf("store: open SQLite %s: %w", path, err)
	}
	return &DB{dialect: SQLite, writer: writer, reader: reader}, nil
}

// sqliteReaders sizes the reader pool: reads are mostly CPU-bound, but a
// few more connections than cores keep requests from queueing behind a long
// export scan.
func sqliteReaders() int {
	return min(max(4, 4*runtime.GOMAXPROCS(0)), 32)
}
