package appeal

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Measure is one month of one department and category.
type Measure struct {
	Month      string // YYYY-MM
	Department string // "" for appeals not yet routed
	Category   string
	Received   int
	Replied    int
	OnTime     int
	Closed     int
	Rated      int
	Satisfied  int // 满意 or 基本满意
	Reopened   int
	WorkMin    int // working minutes to reply, summed over Replied
}

// OnTimePct is the share of replies within the deadline, in percent; -1
// when nothing was replied.
func (m Measure) OnTimePct() float64 { return pct(m.OnTime, m.Replied) }

// SatisfiedPct is the share of ratings 满意 or 基本满意; -1 without ratings.
func (m Measure) SatisfiedPct() float64 { return pct(m.Satisfied, m.Rated) }

// AvgDays is the average working days to reply; -1 without replies.
func (m Measure) AvgDays() float64 {
	if m.Replied == 0 {
		return -1
	}
	return float64(m.WorkMin) / float64(m.Replied) / dayMinutes
}

func pct(n, d int) float64 {
	if d == 0 {
		return -1
	}
	return float64(n) * 100 / float64(d)
}

func (m *Measure) add(o Measure) {
	m.Received += o.Received
	m.Replied += o.Replied
	m.OnTime += o.OnTime
	m.Closed += o.Closed
	m.Rated += o.Rated
	m.Satisfied += o.Satisfied
	m.Reopened += o.Reopened
	m.WorkMin += o.WorkMin
}

// Measures is the measures of the months from..to (YYYY-MM, inclusive):
// the rows by month, department and category, and the totals by
// department and by month.
type Measures struct {
	Rows         []Measure
	ByDepartment []Measure // Month and Category empty
	ByMonth      []Measure // Department and Category empty
	Total        Measure
	Overdue      int // open appeals past their deadline now
	Open         int
}

// Measures reads the running counts; officers and leaders see every
// department, a department its own.
func (s *Service) Measures(ctx context.Context, actor auth.Principal, from, to string) (Measures, error) {
	var out Measures
	dept := ""
	switch {
	case auth.Allowed(actor, auth.ViewDashboard, auth.Resource{}):
	case actor.Role == auth.RoleDepartment && actor.Department != "":
		dept = actor.Department
	default:
		return out, auth.Can(actor, auth.ViewDashboard, auth.Resource{})
	}
	where, args := "month BETWEEN ? AND ?", []any{from, to}
	if dept != "" {
		where, args = where+" AND department_code = ?", append(args, dept)
	}
	rows, err := s.DB.Query(ctx, `SELECT month, department_code, category, received, replied, on_time, closed, rated, satisfied, reopened, work_minutes
FROM appeal_measures WHERE `+where+` ORDER BY month, department_code, category`, args...)
	if err != nil {
		return out, fmt.Errorf("appeal: measures: %w", err)
	}
	defer rows.Close()
	byDept, byMonth := map[string]*Measure{}, map[string]*Measure{}
	var depts, months []string
	for rows.Next() {
		var m Measure
		if err := rows.Scan(&m.Month, &m.Department, &m.Category, &m.Received, &m.Replied, &m.OnTime, &m.Closed, &m.Rated, &m.Satisfied, &m.Reopened, &m.WorkMin); err != nil {
			return out, err
		}
		out.Rows = append(out.Rows, m)
		if byDept[m.Department] == nil {
			byDept[m.Department] = &Measure{Department: m.Department}
			depts = append(depts, m.Department)
		}
		byDept[m.Department].add(m)
		if byMonth[m.Month] == nil {
			byMonth[m.Month] = &Measure{Month: m.Month}
			months = append(months, m.Month)
		}
		byMonth[m.Month].add(m)
		out.Total.add(m)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	for _, d := range sortedStrings(depts) {
		out.ByDepartment = append(out.ByDepartment, *byDept[d])
	}
	for _, m := range months {
		out.ByMonth = append(out.ByMonth, *byMonth[m])
	}
	open, oargs := "status IN ('received', 'assigned', 'in_progress', 'waiting')", []any{}
	if dept != "" {
		open, oargs = open+" AND department_code = ?", append(oargs, dept)
	}
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN due_at < ? THEN 1 ELSE 0 END), 0) FROM appeals WHERE "+open,
		append([]any{store.FormatTime(s.now())}, oargs...)...).Scan(&out.Open, &out.Overdue); err != nil {
		return out, fmt.Errorf("appeal: open appeals: %w", err)
	}
	return out, nil
}

func sortedStrings(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// MonthOf is the measures' month of an instant, in the park's zone.
func MonthOf(t time.Time) string { return t.In(parkZone).Format("2006-01") }
