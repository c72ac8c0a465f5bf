package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// DB is an open parkdesk database.
type DB struct {
	dialect Dialect
	url     string // as given to Open, for libraries that need connections of their own
	writer  *sql.DB
	reader  *sql.DB // the same pool as writer on PostgreSQL
	queries *queryCache
	// SQLite's prepared statements, by pool (nil on PostgreSQL).
	writerStmts, readerStmts *stmtCache
}

// Queryer is what DB and Tx have in common, so that domain functions can run
// either on their own or inside a caller's transaction.
type Queryer interface {
	Dialect() Dialect
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) *Row
}

var (
	_ Queryer = (*DB)(nil)
	_ Queryer = (*Tx)(nil)
)

// Open opens the database named by dsn: a postgres:// or postgresql:// URL
// opens PostgreSQL, anything else is the path of a SQLite file, created if
// missing. Open does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if dsn == "" {
		return nil, errors.New("store: no database given")
	}
	var (
		db  *DB
		err error
	)
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db, err = openPostgres(ctx, dsn)
	} else {
		db, err = openSQLite(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	db.queries = newQueryCache(db.dialect)
	db.url = dsn
	if db.dialect == SQLite {
		db.writerStmts, db.readerStmts = newStmtCache(db.writer), newStmtCache(db.reader)
	}
	return db, nil
}

// Close closes every connection.
func (db *DB) Close() error {
	if db.writerStmts != nil {
		db.writerStmts.close()
		db.readerStmts.close()
	}
	var errReader error
	if db.reader != db.writer {
		errReader = db.reader.Close()
	}
	return errors.Join(errReader, db.writer.Close())
}

// URL returns the database's name as given to Open: the SQLite file's path
// or the PostgreSQL URL, for a library that opens connections of its own
// (the job queue's pgx pool). It may hold a password: never print it.
func (db *DB) URL() string { return db.url }

// Dialect reports which database this is.
func (db *DB) Dialect() Dialect { return db.dialect }

// Writer returns the pool that writes: on SQLite its single connection. It is
// an escape hatch for libraries that want a *sql.DB (a job queue driver);
// SQL given to it directly is not rewritten.
func (db *DB) Writer() *sql.DB { return db.writer }

// Exec runs a statement on the writer.
func (db *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	q := db.queries.get(query)
	var res sql.Result
	err := retryBusy(ctx, func() error {
		var err error
		if s := db.stmt(ctx, q, true); s != nil {
			res, err = s.ExecContext(ctx, args...)
		} else {
			res, err = db.writer.ExecContext(ctx, q.text, args...)
		}
		return MapError(err)
	})
	return res, err
}

// stmt returns the prepared statement of a query on SQLite, on the writer
// or on the pool the query runs on; nil where there is none.
func (db *DB) stmt(ctx context.Context, q query, writer bool) *sql.Stmt {
	switch {
	case db.writerStmts == nil:
		return nil
	case writer || !q.readOnly:
		return db.writerStmts.get(ctx, q.text, false)
	}
	return db.readerStmts.get(ctx, q.text, false)
}

// Query runs a query: on the readers when it only reads, else on the writer
// (an INSERT … RETURNING, say).
func (db *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q := db.queries.get(query)
	if s := db.stmt(ctx, q, false); s != nil {
		rows, err := s.QueryContext(ctx, args...)
		return rows, MapError(err)
	}
	rows, err := db.poolFor(q).QueryContext(ctx, q.text, args...)
	return rows, MapError(err)
}

// QueryRow runs a query expected to return at most one row; see Query.
func (db *DB) QueryRow(ctx context.Context, query string, args ...any) *Row {
	q := db.queries.get(query)
	if s := db.stmt(ctx, q, false); s != nil {
		return &Row{row: s.QueryRowContext(ctx, args...)}
	}
	return &Row{row: db.poolFor(q).QueryRowContext(ctx, q.text, args...)}
}

func (db *DB) poolFor(q query) *sql.DB {
	if q.readOnly {
		return db.reader
	}
	return db.writer
}

// Row is the result of QueryRow; its Scan maps errors, so that no row is
// ErrNotFound.
type Row struct {
	row *sql.Row
}

// Scan copies the row's columns into dest; see sql.Row.Scan.
func (r *Row) Scan(dest ...any) error {
	return MapError(r.row.Scan(dest...))
}

// Err returns the error of the query, if any, without scanning.
func (r *Row) Err() error {
	return MapError(r.row.Err())
}
