package money

import (
	"fmt"
	"strconv"
)

// Scan reads an amount from the database: a whole number of fen (what
// SQLSum and SQLFen give), or stored decimal text in yuan ("12.50"). NULL
// is zero, so that the sum over no rows is nothing.
func (f *Fen) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*f = 0
	case int64:
		*f = Fen(v)
	case []byte:
		return f.scanText(string(v))
	case string:
		return f.scanText(v)
	default:
		return fmt.Errorf("money: cannot scan %T as an amount", src)
	}
	return nil
}

// scanText reads decimal text in yuan; a bare integer from a driver that
// returns sums as text (PostgreSQL's numeric) is fen only when it has no
// point — callers of SQLSum cast to BIGINT, so the driver gives int64.
func (f *Fen) scanText(s string) error {
	v, err := Parse(s)
	if err != nil {
		return fmt.Errorf("money: stored amount: %w", err)
	}
	*f = v
	return nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
