package web

import (
	"context"
	"fmt"
	"github.com/parkdesk/parkdesk/internal/appeal"
	"net/http"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/policy"
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
	// TotalNotes say what the amount includes besides cash and tax saved.
	TotalNotes []string
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
	// Amount is what the eligible results are worth in money (Totals.Total):
	// cash, tax savings and deductions at their tax value, added like to
	// like; qualifications apart.
	Amount     string
	Totals     match.BenefitTotals
	HasResults bool
}

type policyAggregate struct {
	PolicyID, Title string
	HasAmount       bool
	Eligible        int
	Undetermined    int
	Amount          string // in the policy's own kind
	Benefit         string // policy.BenefitKind
	Value           string // in money: a deduction's tax value
	Note            string // what kind of amount, when not money paid
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
	park, err := s.results.Park(ctx, p)
	if err != nil {
		return err
	}
	s.dashboardFigures(ctx, &page, park)
	eligibleBySection := map[string]industryAggregate{}
	for _, a := range park.BySection {
		eligibleBySection[a.Section] = industryAggregate{Section: a.Section, Eligible: a.Eligible, Amount: a.Value}
	}
	for _, sec := range park.Sections {
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

// dashboardFigures puts the park's figures of matching on the page, named
// in the reader's language.
func (s *Server) dashboardFigures(ctx context.Context, page *dashboardPage, park *match.ParkResults) {
	l := page.L
	t := park.Summary
	page.Summary = resultSummary{EligibleEnterprises: t.EligibleEnterprises, Eligible: t.Eligible, Undetermined: t.Undetermined,
		NearMiss: t.NearMiss, Amount: t.Totals.Total, Totals: t.Totals, HasResults: t.HasResults}
	page.TotalNotes = totalNotes(l, t.Totals)
	lang := string(l.Lang())
	for _, f := range park.Policies {
		a := policyAggregate{PolicyID: f.Policy, Title: f.Policy, Eligible: f.Eligible, Undetermined: f.Undetermined,
			Amount: f.Amount, Benefit: string(f.Benefit), Value: f.Value}
		if pol, ok := s.policyByID(f.Policy); ok {
			a.Title, a.HasAmount = pol.Title().In(lang), pol.HasAmount()
		}
		switch f.Benefit {
		case policy.Deduction:
			a.Note = l.T("amount.kind.total.deduction", l.Money(f.Value), l.Money(f.Amount))
		case policy.Qualification:
			a.Note = l.T("amount.kind.qualification")
		}
		page.ByPolicy = append(page.ByPolicy, a)
	}
	labels := map[string]string{}
	if dict, err := s.fields(ctx); err == nil {
		labels = fieldLabels(l, dict)
	}
	for _, m := range park.Missing {
		label := labels[m.Field]
		if label == "" {
			label = m.Field
		}
		page.Missing = append(page.Missing, missingAggregate{Field: m.Field, Label: label, Results: m.Results, Enterprises: m.Enterprises})
	}
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
		// Bars compare money with money: a deduction at its tax value.
		c.Categories = append(c.Categories, a.Title)
		f, _ := parseDecimalText(a.Value)
		c.Series[0].Data = append(c.Series[0].Data, f)
		c.Series[0].Labels = append(c.Series[0].Labels, l.Money(a.Value)+" · "+l.N("dashboard.eligible.n", a.Eligible))
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
