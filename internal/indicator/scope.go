package indicator

import (
	"context"
	"strconv"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/store"
)

// sameScope computes a sum over enterprises by the statistics bureau's
// same-scope rule (同口径): the members are the park's enterprises with a
// value in this period, and the base is the sum over those same
// enterprises a year earlier — not over last year's population, which
// would count arrivals as growth. Members without a base value are
// counted, so that the reader sees how much of the scope the change
// covers. rd_intensity is Σ R&D expense / Σ revenue × 100 over the members
// having both (and revenue above zero) in the period; its base is the same
// ratio over those members having both a year earlier.
func (s *Service) sameScope(ctx context.Context, q store.Queryer, sc scope, d Def, cur, base span) (Value, error) {
	year := strconv.Itoa(cur.period.Year)
	baseYear := strconv.Itoa(base.period.Year)
	park, args := sc.filter("e.park_id")
	rows, err := q.Query(ctx, `SELECT f.enterprise_id, f.field, f.period, f.value FROM current_facts f JOIN enterprises e ON e.id = f.enterprise_id
WHERE f.field IN ('revenue', 'rd_expense') AND f.period IN (?, ?) AND `+park, append([]any{year, baseYear}, args...)...)
	if err != nil {
		return Value{}, err
	}
	defer rows.Close()
	type pair struct{ revenue, rd *apd.Decimal }
	now, before := map[int64]*pair{}, map[int64]*pair{}
	for rows.Next() {
		var id int64
		var field, period, text string
		if err := rows.Scan(&id, &field, &period, &text); err != nil {
			return Value{}, err
		}
		v, _, err := apd.NewFromString(text)
		if err != nil {
			continue // a stored value is canonical; anything else is not summed
		}
		m := now
		if period == baseYear {
			m = before
		}
		pr := m[id]
		if pr == nil {
			pr = &pair{}
			m[id] = pr
		}
		if field == "revenue" {
			pr.revenue = v
		} else {
			pr.rd = v
		}
	}
	if err := rows.Err(); err != nil {
		return Value{}, err
	}
	out := Value{sameScope: true}
	var sumRev, sumRD, baseRev, baseRD apd.Decimal
	anyBase := false
	for id, pr := range now {
		if pr.revenue == nil || d.ID == "rd_intensity" && (pr.rd == nil || pr.revenue.Sign() <= 0) {
			continue
		}
		out.Members++
		exact.Add(&sumRev, &sumRev, pr.revenue)
		if pr.rd != nil {
			exact.Add(&sumRD, &sumRD, pr.rd)
		}
		b := before[id]
		if b == nil || b.revenue == nil || d.ID == "rd_intensity" && (b.rd == nil || b.revenue.Sign() <= 0) {
			out.MembersWithoutBase++
			continue
		}
		anyBase = true
		exact.Add(&baseRev, &baseRev, b.revenue)
		if b.rd != nil {
			exact.Add(&baseRD, &baseRD, b.rd)
		}
	}
	if d.ID == "revenue_total" {
		out.Value = new(apd.Decimal).Set(&sumRev)
		if anyBase {
			out.Base = new(apd.Decimal).Set(&baseRev)
		}
		return out, nil
	}
	if v, ok := ratioPct(&sumRD, &sumRev); ok {
		out.Value = v
	}
	if anyBase {
		if b, ok := ratioPct(&baseRD, &baseRev); ok {
			out.Base = b
		}
	}
	return out, nil
}
