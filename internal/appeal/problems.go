package appeal

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/parkdesk/parkdesk/internal/auth"
)

// TakeUpVisitProblems turns every problem raised at a commissioner's visit
// that is not yet an appeal into one (the visit log promises "将转为企业诉求
// 办理"): category other, routed to the department the commissioner named,
// or left with the receiving officer. Each in its own transaction, marked
// on the problem, so that a problem becomes exactly one appeal even when
// two instances sweep at once (the appeal's problem_id is unique).
//
// visitID 0 takes up every visit's; otherwise only that visit's, as the
// commissioner who logged it (who may file appeals for its enterprise).
func (s *Service) TakeUpVisitProblems(ctx context.Context, actor auth.Principal, visitID int64) (int, error) {
	rows, err := s.DB.Query(ctx, `SELECT p.id, p.enterprise_id, COALESCE(p.department_code, ''), p.text, p.raised_by
FROM touch_problems p WHERE p.appeal_id IS NULL AND NOT EXISTS (SELECT 1 FROM appeals a WHERE a.problem_id = p.id)
AND (? = 0 OR p.visit_id = ?) ORDER BY p.id LIMIT 500`, visitID, visitID)
	if err != nil {
		return 0, fmt.Errorf("appeal: visit problems: %w", err)
	}
	type problem struct {
		id, enterprise int64
		dept, text, by string
	}
	var ps []problem
	for rows.Next() {
		var p problem
		if err := rows.Scan(&p.id, &p.enterprise, &p.dept, &p.text, &p.by); err != nil {
			rows.Close()
			return 0, err
		}
		ps = append(ps, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, p := range ps {
		title := strings.TrimSpace(strings.SplitN(p.text, "\n", 2)[0])
		if utf8.RuneCountInString(title) > 60 {
			title = string([]rune(title)[:59]) + "…"
		}
		id, err := s.File(ctx, actor, Spec{EnterpriseID: p.enterprise, Category: "other", Title: title, Body: p.text,
			Source: FromVisit, Department: p.dept, ProblemID: p.id, ContactName: p.by})
		if err != nil {
			return n, fmt.Errorf("appeal: take up visit problem %d: %w", p.id, err)
		}
		if _, err := s.DB.Exec(ctx, "UPDATE touch_problems SET appeal_id = ? WHERE id = ?", id, p.id); err != nil {
			return n, fmt.Errorf("appeal: mark visit problem %d: %w", p.id, err)
		}
		n++
	}
	return n, nil
}
