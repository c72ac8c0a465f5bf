package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/appeal"
	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// appealRoutes registers the appeals pages (package appeal): the liaison's
// appeals in the portal; the officers', departments' and commissioners'
// work lists and the appeal with the actions each may take; the measures;
// the working-day calendar for admins. Every decision is appeal.Service's.
func (s *Server) appealRoutes() {
	s.mux.Handle("GET /portal/appeals", s.page(s.portalAppeals))
	s.mux.Handle("POST /portal/appeals", s.page(s.portalFileAppeal))
	s.mux.Handle("GET /portal/appeals/{id}", s.page(s.portalAppeal))
	s.mux.Handle("POST /portal/appeals/{id}/{action}", s.page(s.portalAppealAction))
	s.mux.Handle("GET /appeals", s.page(s.appealList))
	s.mux.Handle("POST /appeals", s.page(s.appealFile))
	s.mux.Handle("GET /appeals/measures", s.page(s.appealMeasures))
	s.mux.Handle("GET /appeals/measures.xlsx", s.page(s.appealMeasuresXLSX))
	s.mux.Handle("GET /appeals/meetings", s.page(s.appealMeetings))
	s.mux.Handle("POST /appeals/meetings", s.page(s.appealRecordMeeting))
	s.mux.Handle("POST /appeals/teams/tasks/{id}/done", s.page(s.appealCompleteTask))
	s.mux.Handle("GET /appeals/{id}", s.page(s.appealPage))
	s.mux.Handle("POST /appeals/{id}/attachments", s.page(s.appealAttach))
	s.mux.Handle("GET /appeals/{id}/attachments/{att}", s.page(s.appealAttachment))
	s.mux.Handle("POST /appeals/{id}/{action}", s.page(s.appealAction))
	s.mux.Handle("GET /admin/calendar", s.page(s.calendarPage))
	s.mux.Handle("POST /admin/calendar", s.page(s.calendarLoad))
}

// appealNav is the appeals' part of the staff's navigation.
func appealNav(p auth.Principal) []NavItem {
	var items []NavItem
	switch p.Role {
	case auth.RoleOfficer, auth.RoleDepartment, auth.RoleCommissioner:
		items = append(items, NavItem{Key: "nav.appeals", Href: "/appeals"})
	}
	if auth.Allowed(p, auth.ManageRoundtables, auth.Resource{}) || auth.Allowed(p, auth.ViewDashboard, auth.Resource{}) {
		items = append(items, NavItem{Key: "nav.appeals.meetings", Href: "/appeals/meetings"})
	}
	if auth.Allowed(p, auth.ViewDashboard, auth.Resource{}) || p.Role == auth.RoleDepartment {
		items = append(items, NavItem{Key: "nav.appeals.measures", Href: "/appeals/measures"})
	}
	if auth.Allowed(p, auth.ManageSettings, auth.Resource{}) {
		items = append(items, NavItem{Key: "nav.calendar", Href: "/admin/calendar"})
	}
	return items
}

// appealService is the appeals capability on the app's database and clock.
func (s *Server) appealService() *appeal.Service {
	return &appeal.Service{DB: s.deps.Store, Now: s.deps.Now}
}

// appealID reads the {id} of the path; a bad one is not found.
func appealID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// deptNames maps department codes to their names in the reader's
// language, for the pages.
func (s *Server) deptNames(ctx context.Context, l *i18n.Localizer) (map[string]string, []enterprise.Department, error) {
	ds, err := enterprise.ListDepartments(ctx, s.deps.Store)
	if err != nil {
		return nil, nil, err
	}
	names := make(map[string]string, len(ds))
	for _, d := range ds {
		names[d.Code] = l.Pick(d.NameZh, d.NameEn)
	}
	return names, ds, nil
}

// appealView is an appeal with the words its page shows.
type appealView struct {
	appeal.Appeal
	CategoryName string
	DeptName     string
	CoNames      []string
	StatusText   string
	Badge        string // the badge's class
	DueText      string
	LevelText    string
}

func viewAppeal(l *i18n.Localizer, a appeal.Appeal, cats map[string]appeal.Category, depts map[string]string) appealView {
	v := appealView{Appeal: a, StatusText: l.T("appeal.status." + string(a.Status)), DeptName: depts[a.Department]}
	if c, ok := cats[a.Category]; ok {
		v.CategoryName = l.Pick(c.NameZH, c.NameEN)
	}
	if v.DeptName == "" {
		v.DeptName = l.T("appeal.unrouted")
	}
	for _, c := range a.Cohandlers {
		v.CoNames = append(v.CoNames, depts[c])
	}
	switch {
	case a.Overdue:
		v.Badge = "bad"
	case a.Status == appeal.Closed:
		v.Badge = "ok"
	case a.Status == appeal.Waiting || a.Status == appeal.Replied:
		v.Badge = "warn"
	}
	switch {
	case !a.Due.IsZero():
		v.DueText = l.DateTime(a.Due)
	case a.DueProblem != "":
		v.DueText = l.T("appeal.due.unknown")
	case a.Status == appeal.Waiting:
		v.DueText = l.T("appeal.due.paused")
	default:
		v.DueText = "–"
	}
	if a.Level > 0 {
		v.LevelText = l.T("appeal.level." + strconv.Itoa(int(a.Level)))
	}
	return v
}

func (s *Server) categoryMap(ctx context.Context, p auth.Principal) (map[string]appeal.Category, []appeal.Category, error) {
	cats, err := s.appealService().Categories(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	m := make(map[string]appeal.Category, len(cats))
	for _, c := range cats {
		m[c.Code] = c
	}
	return m, cats, nil
}

// appealDo runs one action of the appeal pages and API by its name in the
// path; each is a method of appeal.Service that decides who may.
func (s *Server) appealDo(ctx context.Context, p auth.Principal, id int64, action string, form func(string) string, list func(string) []string) error {
	svc := s.appealService()
	switch action {
	case "assign":
		return svc.Assign(ctx, p, id, form("department"), list("cohandlers"))
	case "accept":
		return svc.Accept(ctx, p, id)
	case "transfer":
		return svc.Transfer(ctx, p, id, form("department"), form("reason"))
	case "ask":
		return svc.AskEnterprise(ctx, p, id, form("question"))
	case "supply":
		return svc.Supply(ctx, p, id, form("answer"))
	case "reply":
		return svc.Reply(ctx, p, id, form("reply"))
	case "rate":
		return svc.Rate(ctx, p, id, appeal.Rating(form("rating")), form("comment"))
	case "reopen":
		return svc.Reopen(ctx, p, id, form("reason"))
	case "merge":
		into, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(form("into")), "#"), 10, 64)
		if err != nil {
			return apperr.InvalidInput("say which appeal to merge into", apperr.Problem{Field: "into", Reason: "an appeal number"})
		}
		return svc.Merge(ctx, p, id, into)
	case "callback":
		return svc.Callback(ctx, p, id, form("note"))
	}
	return errNotFound
}
