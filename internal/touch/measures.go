package touch

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// Measure is what one department asked of enterprises in one month, and
// how much of it reached them: the measures of "无事不扰".
type Measure struct {
	Month      workday.Month
	Department string
	Requested  int // requests filed
	OnSite     int // of which on site
	// Visits counts the joint visits made that carried the department's
	// requests; fewer than its on-site requests served means doors opened
	// once for several.
	Visits       int
	FromRegistry int // data items answered from the registry: asked of nobody
	Reported     int // data items the enterprise reported on its form
	Exempt       int // requests filed with an exemption
	// ExemptBreaks counts the department's requests served on visits that
	// broke a quiet window or a cap.
	ExemptBreaks int
}

// Totals sums measures; Visits counts each visit once, as given.
type Totals struct {
	Requested, OnSite, Visits, FromRegistry, Reported, Exempt, ExemptBreaks int
	// OnSiteServed counts the on-site requests served at visits made.
	OnSiteServed int
}

// Measures returns the measures of the months from..to (inclusive) by
// month and department, and the totals, for the dashboards.
func (s *Service) Measures(ctx context.Context, actor auth.Principal, from, to workday.Month) ([]Measure, Totals, error) {
	var totals Totals
	if err := auth.Can(actor, auth.ViewDashboard, auth.Resource{}); err != nil {
		return nil, totals, err
	}
	lo, hi := from.First().String(), to.Last().String()
	type key struct {
		month string
		dept  string
	}
	byKey := map[key]*Measure{}
	at := func(month, dept string) (*Measure, error) {
		k := key{month, dept}
		if m, ok := byKey[k]; ok {
			return m, nil
		}
		var mm workday.Month
		if err := mm.UnmarshalText([]byte(month)); err != nil {
			return nil, err
		}
		m := &Measure{Month: mm, Department: dept}
		byKey[k] = m
		return m, nil
	}
	queries := []struct {
		sql  string
		args []any
		add  func(m *Measure, n int)
	}{
		{`SELECT substr(filed_at, 1, 7), department_code, COUNT(*),
	COALESCE(SUM(CASE WHEN on_site THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN exemption <> '' THEN 1 ELSE 0 END), 0)
FROM touch_requests WHERE filed_at >= ? AND filed_at < ? GROUP BY 1, 2`, []any{lo, hi + "~"}, nil},
		{`SELECT substr(v.day, 1, 7), r.department_code, COUNT(DISTINCT v.id), COUNT(*),
	COALESCE(SUM(CASE WHEN r.exemption <> '' AND (v.quiet_break OR v.cap_break) THEN 1 ELSE 0 END), 0)
FROM touch_requests r JOIN touch_visits v ON v.id = r.visit_id
WHERE v.status = 'done' AND v.day >= ? AND v.day <= ? GROUP BY 1, 2`, []any{lo, hi}, nil},
		{`SELECT substr(r.filed_at, 1, 7), r.department_code,
	COALESCE(SUM(CASE WHEN i.answer = 'registry' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN i.answer = 'reported' THEN 1 ELSE 0 END), 0), 0
FROM touch_items i JOIN touch_requests r ON r.id = i.request_id
WHERE i.field IS NOT NULL AND r.filed_at >= ? AND r.filed_at < ? GROUP BY 1, 2`, []any{lo, hi + "~"}, nil},
	}
	err := s.DB.InReadTx(ctx, func(tx *store.Tx) error {
		for qi, q := range queries {
			rows, err := tx.Query(ctx, q.sql, q.args...)
			if err != nil {
				return fmt.Errorf("touch: measures: %w", err)
			}
			for rows.Next() {
				var month, dept string
				var a, b, c int
				if err := rows.Scan(&month, &dept, &a, &b, &c); err != nil {
					rows.Close()
					return fmt.Errorf("touch: measures: %w", err)
				}
				m, err := at(month, dept)
				if err != nil {
					rows.Close()
					return err
				}
				switch qi {
				case 0:
					m.Requested, m.OnSite, m.Exempt = a, b, c
				case 1:
					m.Visits, m.ExemptBreaks = a, c
					totals.OnSiteServed += b
				case 2:
					m.FromRegistry, m.Reported = a, b
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return tx.QueryRow(ctx, "SELECT COUNT(*) FROM touch_visits WHERE status = 'done' AND day >= ? AND day <= ?", lo, hi).Scan(&totals.Visits)
	})
	if err != nil {
		return nil, totals, err
	}
	out := make([]Measure, 0, len(byKey))
	for _, m := range byKey {
		out = append(out, *m)
		totals.Requested += m.Requested
		totals.OnSite += m.OnSite
		totals.FromRegistry += m.FromRegistry
		totals.Reported += m.Reported
		totals.Exempt += m.Exempt
		totals.ExemptBreaks += m.ExemptBreaks
	}
	slices.SortFunc(out, func(a, b Measure) int {
		return cmp.Or(cmp.Compare(a.Month, b.Month), cmp.Compare(a.Department, b.Department))
	})
	return out, totals, nil
}
