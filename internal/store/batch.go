package store

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Batch is statements a transaction sends together: on PostgreSQL as one
// pgx batch, in one round trip to the server, on SQLite (in the process)
// one after another. A short write of several statements (an incremental
// re-evaluation's results, change records and counter) then waits for the
// server once, not once per statement.
type Batch struct {
	items []batchItem
	err   error
}

type batchItem struct {
	query string
	args  []any
}

// Queue adds a statement. Its arguments are kept: they must not be
// changed before the batch is sent.
func (b *Batch) Queue(query string, args ...any) {
	b.items = append(b.items, batchItem{query, args})
}

// QueueInsert adds the multi-row INSERTs of rows (see InsertRows), for a
// few rows: they are held in memory until the batch is sent.
func (b *Batch) QueueInsert(d Dialect, ins Insert, rows iter.Seq[[]any]) {
	width := len(ins.Columns)
	if width == 0 {
		b.err = errors.New("store: insert into " + ins.Table + " names no columns")
		return
	}
	per := ins.rowsPerStatement(d)
	var args []any
	flush := func() {
		if n := len(args) / width; n > 0 {
			b.Queue(ins.sql(d, n), args...)
			args = nil
		}
	}
	index := 0
	for row := range rows {
		index++
		if len(row) != width {
			b.err = fmt.Errorf("store: insert into %s: row %d has %d values for %d columns", ins.Table, index, len(row), width)
			return
		}
		args = append(args, row...)
		if len(args) == per*width {
			flush()
		}
	}
	flush()
}

// Len is the number of statements queued.
func (b *Batch) Len() int { return len(b.items) }

// SendBatch runs the batch's statements in the transaction, in order; the
// first error ends it.
func (tx *Tx) SendBatch(ctx context.Context, b *Batch) error {
	if b.err != nil {
		return b.err
	}
	if len(b.items) == 0 {
		return nil
	}
	if tx.db.dialect != Postgres || len(b.items) == 1 {
		for _, it := range b.items {
			if _, err := tx.Exec(ctx, it.query, it.args...); err != nil {
				return err
			}
		}
		return nil
	}
	if tx.conn == nil {
		return errors.New("store: batch outside a transaction")
	}
	return tx.conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: batch: the connection is a %T, not pgx's", driverConn)
		}
		var pb pgx.Batch
		for _, it := range b.items {
			pb.Queue(tx.db.queries.get(it.query).text, it.args...)
		}
		res := c.Conn().SendBatch(ctx, &pb)
		for range b.items {
			if _, err := res.Exec(); err != nil {
				res.Close()
				return MapError(err)
			}
		}
		return MapError(res.Close())
	})
}
