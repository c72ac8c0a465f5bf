package store

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Copy writes rows into a table in the transaction by the fastest way the
// database has: PostgreSQL's COPY (pgx CopyFrom), which skips the parsing
// and planning of INSERTs and streams the rows, or on SQLite multi-row
// INSERTs of prepared statements. Each row holds one value per column, of
// the column's Go type (int64, string, bool, nil for NULL); the slice may be
// reused once yielded. It returns the rows written. A bulk load copies into
// a staging table (a TEMPORARY one, dropped at commit) and merges from it in
// a few set-based statements: the checks and conflicts of the target table
// are then paid once per statement, not once per row.
func (tx *Tx) Copy(ctx context.Context, table string, columns []string, rows iter.Seq[[]any]) (int64, error) {
	if tx.db.dialect != Postgres {
		return tx.InsertRows(ctx, Insert{Table: table, Columns: columns}, rows)
	}
	if tx.conn == nil {
		return 0, errors.New("store: copy outside a write transaction")
	}
	var n int64
	err := tx.conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: copy: the connection is a %T, not pgx's", driverConn)
		}
		next, stop := iter.Pull(rows)
		defer stop()
		src := &pullSource{next: next, width: len(columns)}
		var err error
		n, err = c.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, src)
		if src.err != nil {
			return src.err
		}
		return MapError(err)
	})
	if err != nil {
		return n, fmt.Errorf("store: copy into %s: %w", table, err)
	}
	return n, nil
}

// pullSource is pgx's CopyFromSource over a pulled sequence.
type pullSource struct {
	next  func() ([]any, bool)
	row   []any
	width int
	index int
	err   error
}

func (s *pullSource) Next() bool {
	row, ok := s.next()
	if !ok {
		return false
	}
	s.index++
	if len(row) != s.width {
		s.err = fmt.Errorf("row %d has %d values for %d columns", s.index, len(row), s.width)
		return false
	}
	s.row = row
	return true
}

func (s *pullSource) Values() ([]any, error) { return s.row, nil }

func (s *pullSource) Err() error { return s.err }

// CommitWithoutFlush lets the transaction commit without waiting for the
// database to flush its log to disk (PostgreSQL's synchronous_commit off;
// SQLite's WAL with synchronous NORMAL never waits at a commit anyway). A
// crash of the server may then lose this commit and the ones after it, but
// never part of one, and the next commit that waits makes it durable too:
// for the steps of a bulk write whose last step waits — an import's staged
// chunks before the transaction that marks it applying, its chunks of facts
// before the last — a flush per chunk only adds latency.
func (tx *Tx) CommitWithoutFlush(ctx context.Context) error {
	if tx.db.dialect != Postgres {
		return nil
	}
	if _, err := tx.tx.ExecContext(ctx, "SET LOCAL synchronous_commit = off"); err != nil {
		return fmt.Errorf("store: commit without flush: %w", MapError(err))
	}
	return nil
}
