package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/appeal"
	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
)

// appealListPage is a work list: the officer's queue (appeals to route,
// and every other), a department's appeals (its own and those it
// co-handles), a commissioner's portfolio's; overdue ones first.
type appealListPage struct {
	Page
	Appeals    []appealView
	Total      int
	Status     string
	Overdue    bool
	Statuses   []appeal.Status
	Categories []appeal.Category
	CanFile    bool
	Form       appealStaffForm
	FormError
}

type appealStaffForm struct {
	USCC, Category, Title, Body, Source, Department string
}

func (s *Server) appealList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return s.renderAppealList(w, r, http.StatusOK, appealListPage{Status: q.Get("status"), Overdue: q.Get("overdue") != ""})
}

func (s *Server) renderAppealList(w http.ResponseWriter, r *http.Request, status int, page appealListPage) error {
	p, ctx := principal(r), r.Context()
	if !p.Authenticated() {
		return auth.ErrUnauthenticated
	}
	switch p.Role {
	case auth.RoleOfficer, auth.RoleDepartment, auth.RoleCommissioner:
	default:
		return apperr.Errorf(apperr.Forbidden, "the appeals work list is for officers, departments and commissioners")
	}
	st, err := appeal.ParseStatus(page.Status)
	if err != nil {
		return err
	}
	if page.Status == "" && !page.Overdue {
		st = appeal.OpenStatuses
		page.Status = string(st)
	}
	page.Page = s.newPage(r, "/appeals")
	page.Statuses = appeal.Statuses
	page.CanFile = p.Role == auth.RoleOfficer || p.Role == auth.RoleCommissioner
	cats, list, err := s.categoryMap(ctx, p)
	if err != nil {
		return err
	}
	page.Categories = list
	depts, _, err := s.deptNames(ctx, page.L)
	if err != nil {
		return err
	}
	appeals, total, err := s.appealService().List(ctx, p, appeal.Filter{Status: st, Overdue: page.Overdue, Limit: 100})
	if err != nil {
		return err
	}
	page.Total = total
	for _, a := range appeals {
		page.Appeals = append(page.Appeals, viewAppeal(page.L, a, cats, depts))
	}
	s.render(w, r, status, "appeals", page)
	return nil
}

// appealFile is an officer recording an appeal from the phone or a
// meeting, or a commissioner from a visit.
func (s *Server) appealFile(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	form := appealStaffForm{USCC: strings.TrimSpace(r.PostFormValue("uscc")), Category: r.PostFormValue("category"),
		Title: r.PostFormValue("title"), Body: r.PostFormValue("body"), Source: r.PostFormValue("source")}
	spec := appeal.Spec{Category: form.Category, Title: form.Title, Body: form.Body, Source: appeal.Source(form.Source)}
	e, err := enterprise.GetByUSCC(r.Context(), s.deps.Store, form.USCC)
	if err == nil {
		spec.EnterpriseID = e.ID
		_, err = s.appealService().File(r.Context(), p, spec)
	} else if apperr.CodeOf(err) != apperr.Internal {
		err = apperr.InvalidInput("no such enterprise", apperr.Problem{Field: "uscc", Reason: "no enterprise has this USCC"})
	}
	if err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderAppealList(w, r, status, appealListPage{Form: form, FormError: fe})
		})
	}
	http.Redirect(w, r, "/appeals?status=received", http.StatusSeeOther)
	return nil
}

func (s *Server) appealPage(w http.ResponseWriter, r *http.Request) error {
	if !principal(r).Authenticated() {
		return auth.ErrUnauthenticated
	}
	if principal(r).Role == auth.RoleEnterprise {
		id, err := appealID(r)
		if err != nil {
			return err
		}
		http.Redirect(w, r, "/portal/appeals/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return nil
	}
	return s.renderAppeal(w, r, http.StatusOK, "appeal", "/appeals", appealDetailPage{})
}

func (s *Server) appealAction(w http.ResponseWriter, r *http.Request) error {
	if !principal(r).Authenticated() {
		return auth.ErrUnauthenticated
	}
	return s.appealActionAs(w, r, "appeal", "/appeals")
}

// appealMeasuresPage is the measures per department, category and month.
type appealMeasuresPage struct {
	Page
	From, To     string
	M            appeal.Measures
	Depts        map[string]string
	Cats         map[string]appeal.Category
	MonthChart   chartSpec
	DeptChart    chartSpec
	CanSeeCounts bool
}

// measuresRange reads from and to (YYYY-MM), by default the last twelve
// months.
func (s *Server) measuresRange(r *http.Request) (string, string, error) {
	q := r.URL.Query()
	to := strings.TrimSpace(q.Get("to"))
	from := strings.TrimSpace(q.Get("from"))
	now := s.now()
	if to == "" {
		to = appeal.MonthOf(now)
	}
	if from == "" {
		from = appeal.MonthOf(now.AddDate(0, -11, 0))
	}
	for _, v := range []struct{ name, value string }{{"from", from}, {"to", to}} {
		if _, err := time.Parse("2006-01", v.value); err != nil {
			return "", "", apperr.InvalidInput("not a month", apperr.Problem{Field: v.name, Reason: fmt.Sprintf("%q is not a month YYYY-MM", v.value)})
		}
	}
	return from, to, nil
}

func (s *Server) appealMeasures(w http.ResponseWriter, r *http.Request) error {
	p, ctx := principal(r), r.Context()
	from, to, err := s.measuresRange(r)
	if err != nil {
		return err
	}
	m, err := s.appealService().Measures(ctx, p, from, to)
	if err != nil {
		return err
	}
	page := appealMeasuresPage{Page: s.newPage(r, "/appeals/measures"), From: from, To: to, M: m}
	page.Charts = true
	if page.Depts, _, err = s.deptNames(ctx, page.L); err != nil {
		return err
	}
	if page.Cats, _, err = s.categoryMap(ctx, p); err != nil {
		return err
	}
	l := page.L
	page.MonthChart = chartSpec{Kind: "bar", Series: []chartSeries{{Name: l.T("appeal.m.received")}, {Name: l.T("appeal.m.replied")}, {Name: l.T("appeal.m.closed")}}}
	for _, mm := range m.ByMonth {
		page.MonthChart.Categories = append(page.MonthChart.Categories, l.Period(mm.Month))
		page.MonthChart.Series[0].Data = append(page.MonthChart.Series[0].Data, float64(mm.Received))
		page.MonthChart.Series[1].Data = append(page.MonthChart.Series[1].Data, float64(mm.Replied))
		page.MonthChart.Series[2].Data = append(page.MonthChart.Series[2].Data, float64(mm.Closed))
	}
	page.DeptChart = chartSpec{Kind: "hbar", Axis: "%", Series: []chartSeries{{Name: l.T("appeal.m.ontime")}, {Name: l.T("appeal.m.satisfied")}}}
	for _, d := range m.ByDepartment {
		if d.Department == "" {
			continue
		}
		page.DeptChart.Categories = append(page.DeptChart.Categories, page.Depts[d.Department])
		page.DeptChart.Series[0].Data = append(page.DeptChart.Series[0].Data, max(d.OnTimePct(), 0))
		page.DeptChart.Series[1].Data = append(page.DeptChart.Series[1].Data, max(d.SatisfiedPct(), 0))
	}
	s.render(w, r, http.StatusOK, "appeal_measures", page)
	return nil
}

func (s *Server) appealMeasuresXLSX(w http.ResponseWriter, r *http.Request) error {
	p, ctx := principal(r), r.Context()
	from, to, err := s.measuresRange(r)
	if err != nil {
		return err
	}
	svc := s.appealService()
	m, err := svc.Measures(ctx, p, from, to)
	if err != nil {
		return err
	}
	l := localizer(r)
	depts, _, err := s.deptNames(ctx, l)
	if err != nil {
		return err
	}
	cats, _, err := s.categoryMap(ctx, p)
	if err != nil {
		return err
	}
	names := appeal.SheetNames{Department: func(c string) string {
		if c == "" {
			return l.T("appeal.unrouted")
		}
		return depts[c]
	}, Category: func(c string) string { return l.Pick(cats[c].NameZH, cats[c].NameEN) }, Header: func(k string) string { return l.T("appeal.m." + k) }}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="appeals-%s-%s.xlsx"`, from, to))
	return appeal.WriteMeasuresXLSX(w, m, names)
}

// calendarPage is the working-day calendar in force: the years held with
// their notices, and the form to load a new year.
type calendarPage struct {
	Page
	Years  []calendarYear
	Loaded *appeal.CalendarLoad
	FormError
}

type calendarYear struct {
	Year     int
	Notice   string
	Holidays int
	Workdays int
}

func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderCalendar(w, r, http.StatusOK, calendarPage{})
}

func (s *Server) renderCalendar(w http.ResponseWriter, r *http.Request, status int, page calendarPage) error {
	cal, err := s.appealService().Calendar(r.Context(), principal(r))
	if err != nil {
		return err
	}
	page.Page = s.newPage(r, "/admin/calendar")
	counts := map[int]*calendarYear{}
	for _, y := range cal.Years() {
		page.Years = append(page.Years, calendarYear{Year: y.Year, Notice: y.Notice})
	}
	for i := range page.Years {
		counts[page.Years[i].Year] = &page.Years[i]
	}
	for _, e := range cal.Entries() {
		y, _, _ := e.Date.Civil()
		if c := counts[y]; c != nil {
			if e.Working {
				c.Workdays++
			} else {
				c.Holidays++
			}
		}
	}
	s.render(w, r, status, "appeal_calendar", page)
	return nil
}

// maxCalendarFile bounds a calendar file: a year is some forty lines.
const maxCalendarFile = 64 << 10

func (s *Server) calendarLoad(w http.ResponseWriter, r *http.Request) error {
	// Who may load is decided before the upload is read.
	if _, err := s.appealService().Calendar(r.Context(), principal(r)); err != nil {
		return err
	}
	// The body is bounded by its entry in bodyLimits; files beyond this
	// in memory would go to disk, and the middleware removes them.
	if err := r.ParseMultipartForm(maxCalendarFile); err != nil {
		return apperr.Errorf(apperr.Invalid, "the form could not be read")
	}
	f, h, err := r.FormFile("file")
	if err != nil {
		return rerender(apperr.InvalidInput("choose a calendar file", apperr.Problem{Field: "file", Reason: "required"}), func(status int, fe FormError) error {
			return s.renderCalendar(w, r, status, calendarPage{FormError: fe})
		})
	}
	defer f.Close()
	res, err := s.appealService().LoadCalendar(r.Context(), principal(r), f, h.Filename)
	if err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderCalendar(w, r, status, calendarPage{FormError: fe})
		})
	}
	return s.renderCalendar(w, r, http.StatusOK, calendarPage{Loaded: &res})
}
