package web

import (
	"context"
	"net/http"
	"path/filepath"
	"strconv"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/outreach"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// outreachReportPage is the realized benefits: what was pushed, taken up
// and granted, by policy, channel and month, with the grant import.
type outreachReportPage struct {
	Page
	R                          outreach.Report
	Months, Policies, Channels []figuresRow
	Chart                      chartSpec
	CanImport                  bool
	Imported                   *outreach.ImportReport
	FormError
}

func (s *Server) outreachReport(w http.ResponseWriter, r *http.Request) error {
	return s.renderReport(w, r, http.StatusOK, outreachReportPage{})
}

func (s *Server) renderReport(w http.ResponseWriter, r *http.Request, status int, page outreachReportPage) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	rep, err := s.outreachService().Report(r.Context(), p)
	if err != nil {
		return err
	}
	active := "/outreach/report"
	if auth.Allowed(p, auth.ManagePackages, auth.Resource{}) {
		active = "/outreach"
	}
	page.Page = s.newPage(r, active)
	page.Charts = true
	page.R = rep
	page.CanImport = auth.Allowed(p, auth.ManagePackages, auth.Resource{})
	l := page.L
	for _, row := range rep.ByMonth {
		page.Months = append(page.Months, figuresOf(l, row, row.Key, ""))
	}
	for _, row := range rep.ByPolicy {
		title := row.Key
		if pol, ok := s.policyByID(row.Key); ok {
			title = l.Pick(pol.Title().Zh, pol.Title().En)
		}
		page.Policies = append(page.Policies, figuresOf(l, row, title, "/policies/"+row.Key))
	}
	for _, row := range rep.ByChannel {
		page.Channels = append(page.Channels, figuresOf(l, row, l.T("outreach.channel."+row.Key), ""))
	}
	page.Chart = realizedChart(page.L, rep.ByMonth)
	if n, err := strconv.Atoi(r.URL.Query().Get("imported")); err == nil && page.Imported == nil {
		f, _ := outreach.ParseFen(r.URL.Query().Get("total"))
		page.Imported = &outreach.ImportReport{Grants: n, Total: f}
	}
	s.render(w, r, status, "outreach_report", page)
	return nil
}

// figuresRow is one row of the report as the page writes it.
type figuresRow struct {
	Label, Href                          string
	Pushed, Confirmed, Granted, Declined string
}

func figuresOf(l *i18n.Localizer, row outreach.ReportRow, label, href string) figuresRow {
	f := row.Figures
	both := func(n int, amount outreach.Fen) string { return l.Int(n) + " · " + l.Money(amount.String()) }
	return figuresRow{Label: label, Href: href, Pushed: both(f.Pushed, f.PushedAmount), Confirmed: both(f.Confirmed, f.ConfirmedAmount),
		Granted: both(f.Granted, f.GrantedAmount), Declined: l.Int(f.Declined)}
}

// realizedChart: by month, the money offered in what was pushed, the money
// offered in what was taken up, and the money received.
func realizedChart(l *i18n.Localizer, months []outreach.ReportRow) chartSpec {
	spec := chartSpec{Kind: "bar", Axis: "money"}
	pushed := chartSeries{Name: l.T("outreach.report.pushed")}
	confirmed := chartSeries{Name: l.T("outreach.report.confirmed")}
	granted := chartSeries{Name: l.T("outreach.report.granted")}
	for _, m := range months {
		spec.Categories = append(spec.Categories, m.Key)
		for _, x := range []struct {
			s *chartSeries
			f outreach.Fen
		}{{&pushed, m.PushedAmount}, {&confirmed, m.ConfirmedAmount}, {&granted, m.GrantedAmount}} {
			x.s.Data = append(x.s.Data, x.f.Yuan())
			x.s.Labels = append(x.s.Labels, l.Money(x.f.String()))
		}
	}
	spec.Series = []chartSeries{pushed, confirmed, granted}
	return spec
}

// maxGrantFile bounds an uploaded grant file.
const maxGrantFile = 16 << 20

// outreachImportGrants records the grants of an uploaded CSV file, all or
// none; the report lists the rows at fault.
func (s *Server) outreachImportGrants(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if err := auth.Can(p, auth.ManagePackages, auth.Resource{}); err != nil {
		return err
	}
	// The body is limited by limitBodies (body_limit.go).
	if err := r.ParseMultipartForm(4 << 20); err != nil {
		if isTooLarge(err) {
			return tooLarge(err, maxGrantFile)
		}
		return s.renderReport(w, r, http.StatusUnprocessableEntity, outreachReportPage{FormError: FormError{Message: "the file could not be read: upload a CSV file of at most 16 MB"}})
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		return s.renderReport(w, r, http.StatusUnprocessableEntity, outreachReportPage{FormError: FormError{Message: "choose a CSV file of grants"}})
	}
	defer file.Close()
	rep, err := s.outreachService().ImportGrants(r.Context(), p, filepath.Base(header.Filename), file)
	if err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderReport(w, r, status, outreachReportPage{FormError: fe})
		})
	}
	return backTo(w, r, "/outreach/report?imported="+strconv.Itoa(rep.Grants)+"&total="+rep.Total.String())
}

// realizedView is the realized benefits on the dashboard: the totals and
// the chart by month, linking to the report.
type realizedView struct {
	Pushed, Confirmed, Granted string // money
	Offers                     int
	Chart                      chartSpec
}

func (s *Server) realizedView(ctx context.Context, l *i18n.Localizer, p auth.Principal) (realizedView, error) {
	rep, err := s.outreachService().Report(ctx, p)
	if err != nil {
		return realizedView{}, err
	}
	t := rep.Total
	return realizedView{Pushed: t.PushedAmount.String(), Confirmed: t.ConfirmedAmount.String(), Granted: t.GrantedAmount.String(),
		Offers: t.Pushed, Chart: realizedChart(l, rep.ByMonth)}, nil
}
