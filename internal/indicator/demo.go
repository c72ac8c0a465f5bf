package indicator

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/facts"
)

var demoActor = auth.System("demo")

// LoadDemo enters the demo park's statistics — GDP and industrial output
// by quarter from the statistics bureau, tax revenue by month from the tax
// bureau, for the two years to now — and the year's targets. A park that
// has entries is left alone.
func (s *Service) LoadDemo(ctx context.Context, park string, now time.Time) (int, error) {
	var have int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM indicator_entries").Scan(&have); err != nil || have > 0 {
		return 0, err
	}
	var entries []Entry
	year := now.Year()
	// GDP of the quarter (亿元 → yuan), growing about 6.7 % a year.
	gdp := map[int][4]int64{year - 2: {1642, 1810, 1795, 2050}, year - 1: {1758, 1932, 1911, 2187}, year: {1876, 2061, 2040, 2331}}
	out := map[int][4]int64{year - 2: {3120, 3460, 3390, 3810}, year - 1: {3301, 3672, 3588, 4020}, year: {3540, 3921, 3830, 4290}}
	for y := year - 2; y <= year; y++ {
		for q := 1; q <= 4; q++ {
			end := facts.Quarter(y, q).AddQuarters(1)
			if !time.Date(end.Year, time.Month((end.Sub-1)*3+1), 1, 0, 0, 0, 0, time.UTC).Before(now.AddDate(0, 0, 1)) {
				continue // a quarter is reported once it is over
			}
			p := facts.Quarter(y, q).String()
			entries = append(entries,
				Entry{Park: park, Indicator: "gdp", Period: p, Value: strconv.FormatInt(gdp[y][q-1], 10) + "00万", Source: "统计局"},
				Entry{Park: park, Indicator: "industrial_output", Period: p, Value: strconv.FormatInt(out[y][q-1], 10) + "00万", Source: "统计局"})
		}
		for m := 1; m <= 12; m++ {
			if !time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0).Before(now.AddDate(0, 0, 1)) {
				continue
			}
			tax := 9800 + int64(y-(year-2))*640 + int64(m*37%11)*90
			entries = append(entries, Entry{Park: park, Indicator: "tax_revenue", Period: fmt.Sprintf("%04d-%02d", y, m), Value: strconv.FormatInt(tax, 10) + "万", Source: "税务局"})
		}
	}
	if err := s.Enter(ctx, demoActor, entries); err != nil {
		return 0, err
	}
	for id, v := range map[string]string{"projects_signed": "30", "investment_signed": "120亿", "funds_in_place": "45亿"} {
		if err := s.SetTarget(ctx, demoActor, park, id, year, v); err != nil {
			return 0, err
		}
	}
	return len(entries), nil
}

// LoadDemoSurvey makes one finished survey — a question per department,
// answered by the first enterprises of the park with scores that differ by
// department — and reform tasks for the two lowest.
func (s *Service) LoadDemoSurvey(ctx context.Context, now time.Time, respondents int) (Evaluation, error) {
	var have int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM surveys").Scan(&have); err != nil || have > 0 {
		return Evaluation{}, err
	}
	closes := now.AddDate(0, -1, 0)
	opens := closes.AddDate(0, 0, -30)
	sv := Survey{Code: fmt.Sprintf("YS-%d", closes.Year()), Title: fmt.Sprintf("%d年度营商环境企业满意度调查", closes.Year()),
		OpensOn: opens.Format(time.DateOnly), ClosesOn: closes.Format(time.DateOnly)}
	// How well each department serves in the demo: the mean of its scores.
	depts := []struct {
		code, zh, en string
		good         int // percent of 4s and 5s
	}{
		{"tax", "办理涉税事项是否便利、可预期？", "Are tax matters easy and predictable?", 85},
		{"market", "企业开办、变更登记是否便利？", "Are registering and changing a business easy?", 70},
		{"emergency", "安全生产检查是否合并、不重复打扰？", "Are safety inspections joined up, without repeat visits?", 45},
		{"ecology", "环评审批是否及时、透明？", "Are environmental approvals timely and transparent?", 55},
		{"stats", "统计报表是否做到一次填报？", "Are statistical returns filed only once?", 60},
	}
	for _, d := range depts {
		sv.Questions = append(sv.Questions, Question{TextZh: d.zh, TextEn: d.en, Department: d.code})
	}
	if err := s.CreateSurvey(ctx, demoActor, sv); err != nil {
		return Evaluation{}, err
	}
	rows, err := s.DB.Query(ctx, "SELECT id FROM enterprises ORDER BY id LIMIT ?", respondents)
	if err != nil {
		return Evaluation{}, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return Evaluation{}, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	during := &Service{DB: s.DB, Projects: s.Projects, Now: func() time.Time { return opens.AddDate(0, 0, 10) }}
	for i, id := range ids {
		scores := map[int]int{}
		for q, d := range depts {
			// A deterministic spread: d.good percent answer 4 or 5.
			r := (i*37 + q*53) % 100
			switch {
			case r < d.good/2:
				scores[q+1] = 5
			case r < d.good:
				scores[q+1] = 4
			case r < d.good+(100-d.good)/2:
				scores[q+1] = 3
			default:
				scores[q+1] = 2
			}
		}
		p := auth.Principal{Label: "demo-liaison", Role: auth.RoleEnterprise, EnterpriseID: id}
		if err := during.Answer(ctx, p, sv.Code, scores); err != nil {
			return Evaluation{}, err
		}
	}
	ev, err := s.Evaluate(ctx, demoActor, sv.Code)
	if err != nil {
		return ev, err
	}
	for i, d := range ev.Departments {
		if i == 2 {
			break
		}
		title := fmt.Sprintf("整改：%s满意度偏低（%s 分），制定并落实改进措施", d.NameZh, d.Index)
		if _, err := s.AddReformTask(ctx, demoActor, ReformTask{Department: d.Department, Title: title, DueOn: now.AddDate(0, 3, 0).Format(time.DateOnly)}); err != nil {
			return ev, err
		}
	}
	return s.Evaluate(ctx, demoActor, sv.Code)
}
