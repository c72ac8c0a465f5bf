package facts

import (
	"context"
	"fmt"

	"github.com/parkdesk/parkdesk/internal/store"
)

// EachCurrent calls fn with the current values of the enterprises with ids
// first … last, in id order, of the fields wanted (every field when wanted
// is nil). Reading an enterprise's stored row costs one index lookup, where
// the view current_facts, joined to other tables, may make the database
// expand every enterprise's values first.
func EachCurrent(ctx context.Context, q store.Queryer, first, last int64, wanted map[string]bool, fn func(id int64, field, period, value string) error) error {
	return eachStoredCurrent(ctx, q, "enterprise_id BETWEEN ? AND ? ORDER BY enterprise_id", []any{first, last}, wanted, fn)
}

// eachStoredCurrent calls fn with the current values, of the fields wanted
// (all when wanted is nil), of the enterprises whose rows of
// current_fact_sets the condition (and order) selects.
func eachStoredCurrent(ctx context.Context, q store.Queryer, where string, args []any, wanted map[string]bool, fn func(id int64, field, period, value string) error) error {
	rows, err := q.Query(ctx, "SELECT enterprise_id, facts FROM current_fact_sets WHERE "+where, args...)
	if err != nil {
		return fmt.Errorf("facts: read current values: %w", err)
	}
	defer rows.Close()
	scanner := newCurrentScanner()
	var keep func(string) bool
	if wanted != nil {
		keep = func(field string) bool { return wanted[field] }
	}
	var doc []byte
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id, &doc); err != nil {
			return fmt.Errorf("facts: read current values: %w", err)
		}
		var fnErr error
		err := scanner.scan(doc, keep, false, func(v currentValue) error {
			fnErr = fn(id, v.Field, v.Period, v.Value)
			return fnErr
		})
		if fnErr != nil {
			return fnErr
		}
		if err != nil {
			return fmt.Errorf("facts: current values of enterprise %d: %w", id, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("facts: read current values: %w", err)
	}
	return nil
}
