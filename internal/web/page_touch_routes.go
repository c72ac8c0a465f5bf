package web

import (
	"net/http"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/touch"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// touchRoutes registers the commissioner system's pages (package touch):
// departments' touch requests, commissioners' joint visits, the liaison's
// visits and one form, portfolios and the measures. Every handler leaves
// the decision to touch.Service, which checks the principal.
func (s *Server) touchRoutes() {
	s.mux.Handle("GET /touch", s.page(s.touchRequests))
	s.mux.Handle("POST /touch/requests", s.page(s.touchFile))
	s.mux.Handle("GET /touch/requests/{id}", s.page(s.touchRequest))
	s.mux.Handle("POST /touch/requests/{id}/withdraw", s.page(s.touchWithdraw))
	s.mux.Handle("GET /touch/visits", s.page(s.touchVisits))
	s.mux.Handle("GET /touch/today", s.page(s.touchToday))
	s.mux.Handle("POST /touch/plan", s.page(s.touchPlan))
	s.mux.Handle("GET /touch/visits/{id}", s.page(s.touchVisit))
	s.mux.Handle("POST /touch/visits/{id}/log", s.page(s.touchLog))
	s.mux.Handle("POST /touch/visits/{id}/reschedule", s.page(s.touchReschedule))
	s.mux.Handle("GET /touch/portfolios", s.page(s.touchPortfolios))
	s.mux.Handle("POST /touch/portfolios/assign", s.page(s.touchAssign))
	s.mux.Handle("POST /touch/portfolios/auto", s.page(s.touchAutoAssign))
	s.mux.Handle("POST /touch/rules", s.page(s.touchRules))
	s.mux.Handle("GET /touch/measures", s.page(s.touchMeasures))
	s.mux.Handle("GET /portal/visits", s.page(s.portalVisits))
	s.mux.Handle("POST /portal/visits/{id}/confirm", s.page(s.portalConfirm))
	s.mux.Handle("POST /portal/visits/{id}/ask", s.page(s.portalAsk))
	s.mux.Handle("POST /portal/form", s.page(s.portalForm))
}

// touchNav is the commissioner system's part of the staff's navigation.
func touchNav(p auth.Principal) []NavItem {
	var items []NavItem
	if p.Role == auth.RoleCommissioner {
		items = append(items, NavItem{Key: "nav.today", Href: "/touch/today"})
	}
	if mayFile(p) || p.Role == auth.RoleCommissioner {
		items = append(items, NavItem{Key: "nav.touch.requests", Href: "/touch"})
	}
	if managesVisits(p) {
		items = append(items, NavItem{Key: "nav.touch.visits", Href: "/touch/visits"})
	}
	if auth.Allowed(p, auth.ManagePortfolios, auth.Resource{}) {
		items = append(items, NavItem{Key: "nav.touch.portfolios", Href: "/touch/portfolios"})
	}
	if auth.Allowed(p, auth.ViewDashboard, auth.Resource{}) {
		items = append(items, NavItem{Key: "nav.touch.measures", Href: "/touch/measures"})
	}
	return items
}

// touchService is the commissioner system on the app's database and clock.
func (s *Server) touchService() *touch.Service {
	return &touch.Service{DB: s.deps.Store, Now: s.deps.Now, Facts: s.facts}
}

// formDate reads a date field of a form; "" is the zero date.
func formDate(r *http.Request, name string) (workday.Date, *apperr.Problem) {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return 0, nil
	}
	d, err := workday.ParseDate(v)
	if err != nil {
		return 0, &apperr.Problem{Field: name, Reason: err.Error()}
	}
	return d, nil
}
