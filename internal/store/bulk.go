package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
)

// Insert describes a multi-row INSERT:
//
//	INSERT INTO Table (Columns…) VALUES (…), (…), … Suffix
type Insert struct {
	Table   string
	Columns []string
	// Suffix follows the VALUES list: an ON CONFLICT clause, a RETURNING
	// clause or both. It takes no parameters.
	Suffix string
	// RowsPerStatement caps the rows of one statement; 0 means
	// DefaultRowsPerStatement. It is lowered as needed to keep within the
	// dialect's limit on bind parameters.
	RowsPerStatement int
}

// DefaultRowsPerStatement is the rows one INSERT carries unless told
// otherwise: enough that the per-statement cost vanishes, few enough that a
// statement's SQL text stays small for the parser.
const DefaultRowsPerStatement = 500

func (ins Insert) rowsPerStatement(d Dialect) int {
	n := ins.RowsPerStatement
	if n <= 0 {
		n = DefaultRowsPerStatement
	}
	return max(1, min(n, d.maxParams()/len(ins.Columns)))
}

// sql writes the statement for rows rows, with the placeholders of the
// dialect written directly: built statements would only churn the rewrite
// cache.
func (ins Insert) sql(d Dialect, rows int) string {
	var b strings.Builder
	b.Grow(64 + rows*len(ins.Columns)*6 + len(ins.Suffix))
	b.WriteString("INSERT INTO ")
	b.WriteString(ins.Table)
	b.WriteString(" (")
	b.WriteString(strings.Join(ins.Columns, ", "))
	b.WriteString(") VALUES ")
	param := 0
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range ins.Columns {
			if c > 0 {
				b.WriteString(", ")
			}
			param++
			if d == Postgres {
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(param))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	if ins.Suffix != "" {
		b.WriteByte(' ')
		b.WriteString(ins.Suffix)
	}
	return b.String()
}

// InsertRows inserts every row of rows, many per statement, and returns the
// number of rows the statements affected. Each row holds one value per
// column; the slice may be reused by the sequence once yielded. Memory stays
// bounded by one statement's rows whatever the length of the sequence.
func (tx *Tx) InsertRows(ctx context.Context, ins Insert, rows iter.Seq[[]any]) (int64, error) {
	var affected int64
	err := tx.insertRows(ctx, ins, rows, func(ctx context.Context, stmt *sql.Stmt, text string, args []any) error {
		var res sql.Result
		var err error
		if stmt != nil {
			res, err = stmt.ExecContext(ctx, args...)
		} else {
			res, err = tx.tx.ExecContext(ctx, text, args...)
		}
		if err != nil {
			return MapError(err)
		}
		n, err := res.RowsAffected()
		affected += n
		return err
	})
	return affected, err
}

// InsertRowsReturning is InsertRows for an Insert whose Suffix has a
// RETURNING clause: scan is called for every row returned.
func (tx *Tx) InsertRowsReturning(ctx context.Context, ins Insert, rows iter.Seq[[]any], scan func(*sql.Rows) error) error {
	if !strings.Contains(strings.ToUpper(ins.Suffix), "RETURNING") {
		return errors.New("store: InsertRowsReturning needs a RETURNING clause")
	}
	return tx.insertRows(ctx, ins, rows, func(ctx context.Context, stmt *sql.Stmt, text string, args []any) (err error) {
		var rs *sql.Rows
		if stmt != nil {
			rs, err = stmt.QueryContext(ctx, args...)
		} else {
			rs, err = tx.tx.QueryContext(ctx, text, args...)
		}
		if err != nil {
			return MapError(err)
		}
		defer rs.Close()
		for rs.Next() {
			if err := scan(rs); err != nil {
				return err
			}
		}
		return MapError(rs.Err())
	})
}

type runInsert func(ctx context.Context, stmt *sql.Stmt, text string, args []any) error

func (tx *Tx) insertRows(ctx context.Context, ins Insert, rows iter.Seq[[]any], run runInsert) error {
	width := len(ins.Columns)
	if width == 0 {
		return errors.New("store: insert into " + ins.Table + " names no columns")
	}
	perStatement := ins.rowsPerStatement(tx.db.dialect)
	args := make([]any, 0, perStatement*width)
	flush := func() error {
		n := len(args) / width
		if n == 0 {
			return nil
		}
		defer func() { clear(args); args = args[:0] }()
		text := ins.sql(tx.db.dialect, n)
		if n < perStatement {
			// A short statement: the last of a bulk, or all of a small
			// write (an incremental re-evaluation's few results), whose
			// few texts the statement cache keeps prepared.
			return run(ctx, tx.stmt(ctx, query{text: text}), text, args)
		}
		stmt, err := tx.bulkStatement(ctx, text)
		if err != nil {
			return err
		}
		return run(ctx, stmt, text, args)
	}
	index := 0
	for row := range rows {
		index++
		if len(row) != width {
			return fmt.Errorf("store: insert into %s: row %d has %d values for %d columns", ins.Table, index, len(row), width)
		}
		args = append(args, row...)
		if len(args) == perStatement*width {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// bulkStatement returns the full-size bulk statement text prepared once per
// transaction on SQLite, whose driver would otherwise parse its thousands of
// placeholders for every batch; a million-row import runs the same few texts
// a thousand times. On PostgreSQL it returns nil: pgx already keeps prepared
// statements by their text. The transaction closes them when it ends.
func (tx *Tx) bulkStatement(ctx context.Context, text string) (*sql.Stmt, error) {
	if tx.db.dialect != SQLite {
		return nil, nil
	}
	if stmt, ok := tx.bulk[text]; ok {
		return stmt, nil
	}
	stmt, err := tx.tx.PrepareContext(ctx, text)
	if err != nil {
		return nil, MapError(err)
	}
	if tx.bulk == nil {
		tx.bulk = map[string]*sql.Stmt{}
	}
	tx.bulk[text] = stmt
	return stmt, nil
}
