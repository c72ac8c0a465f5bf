package web

import (
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/indicator"
	"github.com/parkdesk/parkdesk/internal/project"
)

// projectRoutes registers the investment projects (package project) and the
// leader's cockpit and monthly report (package indicator). Every handler
// leaves the decision to the services, which check the principal.
func (s *Server) projectRoutes() {
	s.mux.Handle("GET /projects", s.page(s.projectList))
	s.mux.Handle("POST /projects/import", s.page(s.projectImport))
	s.mux.Handle("GET /projects/{code}", s.page(s.projectDetail))
	s.mux.Handle("POST /projects/{code}/stage", s.page(s.projectStage))
	s.mux.Handle("GET /cockpit", s.page(s.cockpit))
	s.mux.Handle("GET /cockpit/report", s.page(s.monthlyReport))
	s.mux.Handle("GET /cockpit/report.xlsx", s.page(s.monthlyReportXLSX))
}

// projectAPIRoutes registers the projects' and indicators' part of /api/v1.
func (s *Server) projectAPIRoutes() {
	s.mux.Handle("GET /api/v1/projects", s.api(s.apiProjects))
	s.mux.Handle("GET /api/v1/projects/stalled", s.api(s.apiStalledProjects))
	s.mux.Handle("GET /api/v1/projects/{code}", s.api(s.apiProject))
	s.mux.Handle("POST /api/v1/projects/{code}/stage", s.api(s.apiProjectStage))
	s.mux.Handle("GET /api/v1/indicators", s.api(s.apiIndicators))
	s.mux.Handle("GET /api/v1/cockpit", s.api(s.apiCockpit))
}

// projectNav is the projects' part of the staff's navigation.
func projectNav(p auth.Principal) []NavItem {
	var items []NavItem
	if auth.Allowed(p, auth.ViewDashboard, auth.Resource{}) {
		items = append(items, NavItem{Key: "nav.cockpit", Href: "/cockpit"})
	}
	if auth.Allowed(p, auth.ViewProjects, auth.Resource{}) {
		items = append(items, NavItem{Key: "nav.projects", Href: "/projects"})
	}
	return items
}

func (s *Server) projectService() *project.Service {
	return &project.Service{DB: s.deps.Store, Now: s.deps.Now}
}

func (s *Server) indicatorService() *indicator.Service {
	return &indicator.Service{DB: s.deps.Store, Projects: s.projectService(), Now: s.deps.Now}
}
