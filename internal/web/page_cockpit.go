package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/indicator"
	"github.com/parkdesk/parkdesk/internal/project"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// figure is one indicator as the cockpit and the report show it: its name,
// the value and the base written for the reader, and the change.
type figure struct {
	ID, Label   string
	Value, Base string
	// YoY is "+6.7%" or "−3.2%"; "" when there is no base to compare.
	YoY  string
	Down bool
	// Scope says, for a same-scope sum, how many enterprises it covers and
	// how many have no value a year earlier.
	Scope  string
	Source string
}

func figureOf(l *i18n.Localizer, v indicator.Value) figure {
	f := figure{ID: v.ID, Label: l.T("indicator." + v.ID), Source: v.Source}
	write := func(text string) string {
		if text == "" {
			return l.T("cockpit.none")
		}
		switch v.Kind {
		case indicator.Money:
			return l.Money(text)
		case indicator.Percent:
			return l.Decimal(text) + "%"
		}
		return l.Decimal(text)
	}
	f.Value, f.Base = write(v.Text()), write(v.BaseText())
	if v.YoYPct != "" {
		f.Down = strings.HasPrefix(v.YoYPct, "-")
		sign := "+"
		if f.Down {
			sign = ""
		}
		f.YoY = sign + strings.Replace(l.Decimal(v.YoYPct), "-", "−", 1) + "%"
	}
	if v.Members > 0 {
		f.Scope = l.T("cockpit.scope", v.Members, v.MembersWithoutBase)
	}
	return f
}

// cockpitPage is the leader's cockpit of one month.
type cockpitPage struct {
	Page
	Period, Prev, Next string
	PeriodLabel        string
	Park               string
	Parks              []indicator.Park
	Figures            []figure
	Key                []figure // the four figures at the top
	Targets            []targetView
	TrendChart         chartSpec
	PipelineChart      chartSpec
	ParkRows           []parkView
	Pipeline           []stageView
	Stalled            []project.StalledProject
	StalledTotal       int
}

type targetView struct {
	Label, Target, Actual, Pct string
	PctValue                   string // for <progress>, capped at 100
}

type parkView struct {
	Name, Signed, Investment, Funds string
}

type stageView struct {
	Stage, Label, Projects, Investment string
}

// periodParam is the month asked for, this month when none.
func (s *Server) periodParam(r *http.Request) string {
	if p := r.URL.Query().Get("period"); p != "" {
		return p
	}
	return s.now().Format("2006-01")
}

func (s *Server) cockpit(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	svc := s.indicatorService()
	park := r.URL.Query().Get("park")
	c, err := svc.Cockpit(r.Context(), p, s.periodParam(r), park)
	if err != nil {
		return err
	}
	parks, err := svc.Parks(r.Context(), p)
	if err != nil {
		return err
	}
	page := cockpitPage{Page: s.newPage(r, "/cockpit"), Park: park, Parks: parks}
	page.Charts = true
	l := page.L
	page.fill(l, c)
	s.render(w, r, http.StatusOK, "cockpit", page)
	return nil
}

func (page *cockpitPage) fill(l *i18n.Localizer, c indicator.Cockpit) {
	page.Period = c.Month.Period
	per, _ := facts.ParsePeriod(c.Month.Period)
	page.Prev, page.Next = per.AddMonths(-1).String(), per.AddMonths(1).String()
	page.PeriodLabel = l.Period(c.Month.Period)
	for _, v := range c.Month.Indicators {
		f := figureOf(l, v)
		page.Figures = append(page.Figures, f)
		switch v.ID {
		case "projects_signed", "investment_signed", "funds_in_place", "funds_in_place_ytd":
			page.Key = append(page.Key, f)
		}
	}
	for _, t := range c.Targets {
		tv := targetView{Label: l.T("indicator." + t.Indicator), Pct: l.T("cockpit.none"), PctValue: "0"}
		if t.Kind == indicator.Money {
			tv.Target, tv.Actual = l.Money(t.TargetText()), l.Money(t.ActualText())
		} else {
			tv.Target, tv.Actual = l.Decimal(t.TargetText()), l.Decimal(t.ActualText())
		}
		if t.Pct != "" {
			tv.Pct = l.Decimal(t.Pct) + "%"
			tv.PctValue = t.Pct
			if len(t.Pct) > 0 && !strings.HasPrefix(t.Pct, "-") && greaterThan100(t.Pct) {
				tv.PctValue = "100"
			}
		}
		page.Targets = append(page.Targets, tv)
	}
	trend := chartSpec{Kind: "bar", Axis: "money", Series: []chartSeries{{Name: l.T("cockpit.trend.this")}, {Name: l.T("cockpit.trend.base")}}}
	for _, m := range c.Trend {
		trend.Categories = append(trend.Categories, l.Period(m.Month))
		trend.Series[0].Data = append(trend.Series[0].Data, m.Funds.Yuan())
		trend.Series[0].Labels = append(trend.Series[0].Labels, l.Money(m.Funds.String()))
		trend.Series[1].Data = append(trend.Series[1].Data, m.Base.Yuan())
		trend.Series[1].Labels = append(trend.Series[1].Labels, l.Money(m.Base.String()))
	}
	page.TrendChart = trend
	pipe := chartSpec{Kind: "hbar", Series: []chartSeries{{Name: l.T("cockpit.pipeline.projects")}}}
	for _, st := range c.Pipeline {
		label := l.T("project.stage." + string(st.Stage))
		pipe.Categories = append(pipe.Categories, label)
		pipe.Series[0].Data = append(pipe.Series[0].Data, float64(st.Projects))
		page.Pipeline = append(page.Pipeline, stageView{Stage: string(st.Stage), Label: label, Projects: l.Int(st.Projects), Investment: l.Money(st.TotalInvestment.String())})
	}
	page.PipelineChart = pipe
	for _, pr := range c.Parks {
		page.ParkRows = append(page.ParkRows, parkView{Name: l.Pick(pr.Park.NameZh, pr.Park.NameEn), Signed: l.Int64(pr.ProjectsSigned),
			Investment: l.Money(pr.InvestmentSigned.String()), Funds: l.Money(pr.FundsYTD.String())})
	}
	page.Stalled, page.StalledTotal = c.Stalled, c.StalledTotal
}

func greaterThan100(pct string) bool {
	whole, _, _ := strings.Cut(pct, ".")
	return len(whole) > 3 || len(whole) == 3 && whole >= "100"
}

// monthlyReportPage is the printable monthly report (A4).
type monthlyReportPage struct {
	cockpitPage
	ParkName string
}

func (s *Server) monthlyReport(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	park := r.URL.Query().Get("park")
	c, err := s.indicatorService().Cockpit(r.Context(), p, s.periodParam(r), park)
	if err != nil {
		return err
	}
	page := monthlyReportPage{cockpitPage: cockpitPage{Page: s.newPage(r, "/cockpit"), Park: park}}
	page.fill(page.L, c)
	page.ParkName = page.L.T("cockpit.park.all")
	if c.Month.Park != nil {
		page.ParkName = page.L.Pick(c.Month.Park.NameZh, c.Month.Park.NameEn)
	}
	s.render(w, r, http.StatusOK, "monthly_report", page)
	return nil
}

// monthlyReportXLSX is the month's indicators as a workbook.
func (s *Server) monthlyReportXLSX(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	rep, err := s.indicatorService().Report(r.Context(), p, s.periodParam(r), r.URL.Query().Get("park"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="report-%s.xlsx"`, rep.Period))
	return indicator.WriteXLSX(w, rep, string(localizer(r).Lang()))
}
