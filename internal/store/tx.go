package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Tx is a transaction; its methods are those of DB. Use it from one
// goroutine at a time.
type Tx struct {
	tx   *sql.Tx
	db   *DB
	bulk map[string]*sql.Stmt // see bulkStatement
	// conn is the connection of a PostgreSQL transaction, held so that
	// Copy can reach pgx beneath database/sql on it.
	conn     *sql.Conn
	readOnly bool
	bumped   map[string]bool // change counters advanced already (see Bump)
}

// InTx runs fn in a write transaction and commits it when fn returns nil. An
// error from fn, or a panic, rolls it back; the panic goes on after the
// rollback. On SQLite the transaction holds the one writer connection from
// BEGIN IMMEDIATE to the end, so fn must use tx and not db.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.runTx(ctx, db.writer, nil, fn)
}

// InReadTx runs fn in a read-only transaction, for reads that must see one
// consistent state across several queries: a snapshot on the SQLite readers,
// REPEATABLE READ on PostgreSQL.
func (db *DB) InReadTx(ctx context.Context, fn func(tx *Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	return db.runTx(ctx, db.reader, opts, fn)
}

func (db *DB) runTx(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(tx *Tx) error) (err error) {
	tx := &Tx{db: db, readOnly: opts != nil && opts.ReadOnly}
	if db.writerStmts != nil {
		// Once the transaction has given its connection back, the
		// statements it ran unprepared are prepared for the next ones.
		defer func() {
			cache := db.writerStmts
			if tx.readOnly {
				cache = db.readerStmts
			}
			cache.prepareWanted(context.WithoutCancel(ctx))
		}()
	}
	var sqlTx *sql.Tx
	if db.dialect == Postgres {
		// On a connection of its own, which Copy reaches beneath
		// database/sql; it goes back to the pool when the transaction ends.
		conn, err := pool.Conn(ctx)
		if err != nil {
			return fmt.Errorf("store: begin: %w", MapError(err))
		}
		defer conn.Close()
		tx.conn = conn
		sqlTx, err = conn.BeginTx(ctx, opts)
		if err != nil {
			return fmt.Errorf("store: begin: %w", MapError(err))
		}
	} else if err = retryBusy(ctx, func() error {
		var err error
		sqlTx, err = pool.BeginTx(ctx, opts)
		return MapError(err)
	}); err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	tx.tx = sqlTx
	committed := false
	defer func() {
		if committed {
			return
		}
		// The rollback error matters less than the reason for rolling back.
		if rbErr := sqlTx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) && err != nil {
			err = errors.Join(err, fmt.Errorf("store: rollback: %w", rbErr))
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	committed = true
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", MapError(err))
	}
	return nil
}

// Dialect reports which database this is.
func (tx *Tx) Dialect() Dialect { return tx.db.dialect }

// Exec runs a statement in the transaction.
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	q := tx.db.queries.get(query)
	if s := tx.stmt(ctx, q); s != nil {
		res, err := s.ExecContext(ctx, args...)
		return res, MapError(err)
	}
	res, err := tx.tx.ExecContext(ctx, q.text, args...)
	return res, MapError(err)
}

// Query runs a query in the transaction.
func (tx *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q := tx.db.queries.get(query)
	if s := tx.stmt(ctx, q); s != nil {
		rows, err := s.QueryContext(ctx, args...)
		return rows, MapError(err)
	}
	rows, err := tx.tx.QueryContext(ctx, q.text, args...)
	return rows, MapError(err)
}

// QueryRow runs a query expected to return at most one row.
func (tx *Tx) QueryRow(ctx context.Context, query string, args ...any) *Row {
	q := tx.db.queries.get(query)
	if s := tx.stmt(ctx, q); s != nil {
		return &Row{row: s.QueryRowContext(ctx, args...)}
	}
	return &Row{row: tx.tx.QueryRowContext(ctx, q.text, args...)}
}

// stmt returns the transaction's copy of the query's prepared statement on
// SQLite: on the connection the transaction holds, prepared once for the
// pool. A read transaction runs on a reader, a write one on the writer.
func (tx *Tx) stmt(ctx context.Context, q query) *sql.Stmt {
	if tx.db.writerStmts == nil {
		return nil
	}
	cache := tx.db.writerStmts
	if tx.readOnly {
		cache = tx.db.readerStmts
	}
	s := cache.get(ctx, q.text, true)
	if s == nil {
		return nil
	}
	return tx.tx.StmtContext(ctx, s)
}

// WithTx runs fn in q's transaction when q is a *Tx, and in a new write
// transaction when q is a *DB: for domain functions that write several
// statements and must not half-write when called on their own.
func WithTx(ctx context.Context, q Queryer, fn func(tx *Tx) error) error {
	switch q := q.(type) {
	case *Tx:
		return fn(q)
	case *DB:
		return q.InTx(ctx, fn)
	}
	return fmt.Errorf("store: WithTx on a %T", q)
}

// WithReadTx runs fn in q's transaction when q is a *Tx, and in a new
// read-only transaction when q is a *DB: for domain functions that read
// several statements and want them to agree.
func WithReadTx(ctx context.Context, q Queryer, fn func(tx *Tx) error) error {
	switch q := q.(type) {
	case *Tx:
		return fn(q)
	case *DB:
		return q.InReadTx(ctx, fn)
	}
	return fmt.Errorf("store: WithReadTx on a %T", q)
}

// busyRetries is how many times a statement that found the database busy
// is tried again, and busyPause the first pause between tries (growing).
// On SQLite each try has already waited the busy timeout: another process
// (a 'parkdesk import' next to 'parkdesk serve') holds the write lock, and
// its transactions are bounded, so waiting again is what a person would
// do. Only what did nothing is tried again: BEGIN (IMMEDIATE on SQLite,
// where the lock is taken), and a statement outside a transaction.
const (
	busyRetries = 2
	busyPause   = 250 * time.Millisecond
)

func retryBusy(ctx context.Context, do func() error) error {
	pause := busyPause
	for attempt := 0; ; attempt++ {
		err := do()
		if !errors.Is(err, ErrBusy) || attempt == busyRetries {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
		pause *= 4
	}
}
