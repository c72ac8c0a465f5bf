package web

import (
	"context"
	"fmt"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// factValue is one value of an enterprise's field with its provenance.
type factValue struct {
	Period     string
	Value      string
	Source     string
	Actor      string
	RecordedAt time.Time
}

// factGroup is one field of an enterprise: its definition and its current
// values, newest period first.
type factGroup struct {
	Field  fieldRow
	Values []factValue
}

// currentFacts returns the current values of the fields p may see of one
// enterprise (the caller has checked that p may see the enterprise), with
// the provenance of each, grouped by field in dictionary order. Fields p
// may not see are left out entirely, not shown masked: their mere values
// by period would say too much.
func currentFacts(ctx context.Context, db *store.DB, p auth.Principal, enterpriseID int64, dict []fieldRow) ([]factGroup, error) {
	rows, err := db.Query(ctx, `SELECT cf.field, cf.period, cf.value, fa.source, fa.actor, fa.recorded_at
FROM current_facts cf JOIN facts fa ON fa.id = cf.fact_id
WHERE cf.enterprise_id = ? ORDER BY cf.field, cf.period DESC`, enterpriseID)
	if err != nil {
		return nil, fmt.Errorf("load facts of enterprise %d: %w", enterpriseID, err)
	}
	defer rows.Close()
	byField := map[string][]factValue{}
	for rows.Next() {
		var field string
		var v factValue
		if err := rows.Scan(&field, &v.Period, &v.Value, &v.Source, &v.Actor, store.ScanTime(&v.RecordedAt)); err != nil {
			return nil, err
		}
		byField[field] = append(byField[field], v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []factGroup
	for _, f := range dict {
		values, ok := byField[f.Name]
		if !ok || !auth.FieldVisible(p, f.authField()) {
			continue
		}
		out = append(out, factGroup{Field: f, Values: values})
	}
	return out, nil
}

// factHistory returns every value ever recorded for one field of an
// enterprise, newest first within each period.
func factHistory(ctx context.Context, db *store.DB, enterpriseID int64, field string) ([]factValue, error) {
	rows, err := db.Query(ctx, `SELECT period, value, source, actor, recorded_at FROM facts
WHERE enterprise_id = ? AND field = ? ORDER BY period DESC, id DESC LIMIT 500`, enterpriseID, field)
	if err != nil {
		return nil, fmt.Errorf("load history of %s: %w", field, err)
	}
	defer rows.Close()
	var out []factValue
	for rows.Next() {
		var v factValue
		if err := rows.Scan(&v.Period, &v.Value, &v.Source, &v.Actor, store.ScanTime(&v.RecordedAt)); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// authField is what an authorization decision needs of a field.
func (f fieldRow) authField() auth.Field {
	return auth.Field{Name: f.Name, Sensitivity: auth.Sensitivity(f.Sensitivity), Department: f.Department}
}
