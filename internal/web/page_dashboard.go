package web

import (
	"context"
	"fmt"
	"github.com/parkdesk/parkdesk/internal/appeal"
	"net/http"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/tech"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// dashboardPage is the park at a glance: the registry, the benefits
// matching found by policy and by industry, and the data to collect to
// decide the undetermined results. Every figure is an SQL aggregate.
type dashboardPage struct {
	Page
	Enterprises int
	Summary     resultSummary
	ByPolicy    []policyAggregate
	ByIndustry  []industryAggregate
	Missing     []missingAggregate
	// Charts, as app.js draws them.
	PolicyChart, IndustryChart, SectionChart chartSpec
	// Realized is what benefit packages brought (page_outreach_report.go).
	Realized realizedView
	// Tech is the technology desk's measures (tech_dashboard partial).
	Tech tech.Measures
	// Appeals is the appeals' measures of the last twelve months and the
	// overdue ones now (appeal-dashboard partial).
	Appeals appeal.Measures
}

// resultSummary is park-wide: what matching found.
type resultSummary struct {
	EligibleEnterprises int
	Eligible            int
	Undetermined        int
	NearMiss            int
	Amount              string
	HasResults          bool
}

type policyAggregate struct {
	PolicyID, Title string
	HasAmount       bool
	Eligible        int
	Undetermined    int
	Amount          string
}

type industryAggregate struct {
	Section, Name string
	Enterprises   int
	Eligible      int
	Amount        string
}

type missingAggregate struct {
	Field, Label string
	Results      int
	Enterprises  int
}

// chartSpec is the data of one chart; app.js turns it into ECharts options.
type chartSpec struct {
	Kind       string        `json:"kind"` // bar, hbar, pie
	Axis       string        `json:"axis,omitempty"`
	Categories []string      `json:"categories"`
	Series     []chartSeries `json:"series"`
}

type chartSeries struct {
	Name   string    `json:"name"`
	Data   []float64 `json:"data"`
	Labels []string  `json:"labels,omitempty"`
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if err := auth.Can(p, auth.ViewDashboard, auth.Resource{}); err != nil {
		return err
	}
	ctx := r.Context()
	page := dashboardPage{Page: s.newPage(r, "/dashboard")}
	page.Charts = true
	l := page.L
	agg, err := s.resultAggregates(ctx, l, p.ParkID)
	if err != nil {
		return err
	}
	sections := agg.sections
	page.Summary, page.ByPolicy, page.Missing = agg.summary, agg.byPolicy, agg.missing
	eligibleBySection := map[string]industryAggregate{}
	for _, a := range agg.bySection {
		eligibleBySection[a.Section] = a
	}
	for _, sec := range sections {
		a := eligibleBySection[sec.Section]
		a.Section, a.Enterprises = sec.Section, sec.Enterprises
		a.Name = industryName(l, sec.Section)
		page.ByIndustry = append(page.ByIndustry, a)
		page.Enterprises += sec.Enterprises
	}
	page.SectionChart = sectionChart(l, page.ByIndustry)
	page.PolicyChart = policyChart(l, page.ByPolicy)
	page.IndustryChart = industryChart(l, page.ByIndustry)
	// What the packages brought scans every delivery: it is computed once
	// a minute per scope and language, as the results' aggregates are.
	key := fmt.Sprint(p.Role, "|", p.ParkID, "|", p.Department, "|", l.Lang())
	if page.Realized, err = s.ui.realized.get(ctx, key, func(ctx context.Context) (realizedView, error) {
		return s.realizedView(ctx, l, p)
	}); err != nil {
		return err
	}
	if page.Tech, err = s.techService().Measures(ctx, p, 6); err != nil {
		return err
	}
	now := s.now()
	if page.Appeals, err = s.appealService().Measures(ctx, p, appeal.MonthOf(now.AddDate(0, -11, 0)), appeal.MonthOf(now)); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "dashboard", page)
	return nil
}

// enterprisesBySection counts the registry by industry section (门类), in
// one GROUP BY; parkID 0 is every park.
func enterprisesBySection(ctx context.Context, db *store.DB, parkID int64) ([]industryAggregate, error) {
	where, args := "", []any{}
	if parkID != 0 {
		where, args = " WHERE park_id = ?", append(args, parkID)
	}
	rows, err := db.Query(ctx, `SELECT COALESCE(substr(industry_code, 1, 1), ''), COUNT(*) FROM enterprises`+where+
		` GROUP BY 1 ORDER BY 2 DESC, 1`, args...)
	if err != nil {
		return nil, fmt.Errorf("count enterprises by industry: %w", err)
	}
	defer rows.Close()
	var out []industryAggregate
	for rows.Next() {
		var a industryAggregate
		if err := rows.Scan(&a.Section, &a.Enterprises); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// sectionChart: the registry by industry, the largest sections and the
// rest together, so that a pie stays readable.
func sectionChart(l *i18n.Localizer, list []industryAggregate) chartSpec {
	c := chartSpec{Kind: "pie", Series: []chartSeries{{Name: l.T("dashboard.enterprises")}}}
	other := 0
	for i, a := range list {
		if i >= 7 {
			other += a.Enterprises
			continue
		}
		c.Categories = append(c.Categories, a.Name)
		c.Series[0].Data = append(c.Series[0].Data, float64(a.Enterprises))
		c.Series[0].Labels = append(c.Series[0].Labels, l.N("enterprises.count", a.Enterprises))
	}
	if other > 0 {
		c.Categories = append(c.Categories, l.T("dashboard.other"))
		c.Series[0].Data = append(c.Series[0].Data, float64(other))
		c.Series[0].Labels = append(c.Series[0].Labels, l.N("enterprises.count", other))
	}
	return c
}

func policyChart(l *i18n.Localizer, list []policyAggregate) chartSpec {
	c := chartSpec{Kind: "hbar", Axis: "money", Series: []chartSeries{{Name: l.T("dashboard.amount")}}}
	// Horizontal bars run bottom-up: the largest last, on top.
	for i := len(list) - 1; i >= 0; i-- {
		a := list[i]
		if !a.HasAmount {
			continue
		}
		c.Categories = append(c.Categories, a.Title)
		f, _ := parseDecimalText(a.Amount)
		c.Series[0].Data = append(c.Series[0].Data, f)
		c.Series[0].Labels = append(c.Series[0].Labels, l.Money(a.Amount)+" · "+l.N("dashboard.eligible.n", a.Eligible))
	}
	return c
}

func industryChart(l *i18n.Localizer, list []industryAggregate) chartSpec {
	c := chartSpec{Kind: "bar", Axis: "money", Series: []chartSeries{{Name: l.T("dashboard.amount")}}}
	for _, a := range list {
		if a.Eligible == 0 {
			continue
		}
		c.Categories = append(c.Categories, a.Name)
		f, _ := parseDecimalText(a.Amount)
		c.Series[0].Data = append(c.Series[0].Data, f)
		c.Series[0].Labels = append(c.Series[0].Labels, l.Money(a.Amount)+" · "+l.N("dashboard.eligible.n", a.Eligible))
	}
	return c
}
