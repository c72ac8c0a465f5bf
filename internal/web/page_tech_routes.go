package web

import (
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/tech"
)

// techRoutes registers the technology transfer desk (package tech): the
// catalogue, needs with their ranked achievements, introductions followed
// to a contract, docking events, and the portal's technology needs tab.
// Every handler leaves the decision to tech.Service, which checks the
// principal.
func (s *Server) techRoutes() {
	s.mux.Handle("GET /tech", s.page(s.techCatalogue))
	s.mux.Handle("POST /tech/import", s.page(s.techImport))
	s.mux.Handle("GET /tech/achievements/new", s.page(s.techAchievementForm))
	s.mux.Handle("POST /tech/achievements", s.page(s.techSaveAchievement))
	s.mux.Handle("GET /tech/achievements/{code}", s.page(s.techAchievement))
	s.mux.Handle("GET /tech/achievements/{code}/edit", s.page(s.techAchievementForm))
	s.mux.Handle("POST /tech/achievements/{code}/withdraw", s.page(s.techWithdraw))
	s.mux.Handle("GET /tech/needs", s.page(s.techNeeds))
	s.mux.Handle("POST /tech/needs", s.page(s.techRecordNeed))
	s.mux.Handle("GET /tech/needs/{id}", s.page(s.techNeed))
	s.mux.Handle("POST /tech/dockings", s.page(s.techIntroduce))
	s.mux.Handle("GET /tech/dockings", s.page(s.techDockings))
	s.mux.Handle("GET /tech/dockings/{id}", s.page(s.techDocking))
	s.mux.Handle("POST /tech/dockings/{id}/advance", s.page(s.techAdvance))
	s.mux.Handle("GET /tech/events", s.page(s.techEvents))
	s.mux.Handle("POST /tech/events", s.page(s.techCreateEvent))
	s.mux.Handle("GET /tech/events/{id}", s.page(s.techEvent))
	s.mux.Handle("POST /tech/events/{id}/holders", s.page(s.techEventHolder))
	s.mux.Handle("GET /portal/tech", s.page(s.portalTech))
	s.mux.Handle("POST /portal/tech/needs", s.page(s.portalPostNeed))
	s.mux.Handle("GET /portal/tech/needs/{id}", s.page(s.portalTechNeed))
	s.mux.Handle("POST /portal/tech/needs/{id}/close", s.page(s.portalCloseNeed))
	s.mux.Handle("POST /portal/tech/events/{id}/signup", s.page(s.portalSignUp))
}

// techAPIRoutes registers the desk's part of /api/v1.
func (s *Server) techAPIRoutes() {
	s.mux.Handle("GET /api/v1/tech/achievements", s.api(s.apiTechAchievements))
	s.mux.Handle("POST /api/v1/tech/achievements", s.api(s.apiTechSaveAchievement))
	s.mux.Handle("GET /api/v1/tech/achievements/{code}", s.api(s.apiTechAchievement))
	s.mux.Handle("GET /api/v1/tech/achievements/{code}/candidates", s.api(s.apiTechCandidates))
	s.mux.Handle("GET /api/v1/tech/needs", s.api(s.apiTechNeeds))
	s.mux.Handle("POST /api/v1/tech/needs", s.api(s.apiTechPostNeed))
	s.mux.Handle("GET /api/v1/tech/needs/{id}/matches", s.api(s.apiTechMatches))
	s.mux.Handle("GET /api/v1/tech/dockings", s.api(s.apiTechDockings))
	s.mux.Handle("POST /api/v1/tech/dockings", s.api(s.apiTechIntroduce))
	s.mux.Handle("POST /api/v1/tech/dockings/{id}/advance", s.api(s.apiTechAdvance))
	s.mux.Handle("GET /api/v1/tech/measures", s.api(s.apiTechMeasures))
}

// techNav is the desk's part of the staff's navigation.
func techNav(p auth.Principal) []NavItem {
	var items []NavItem
	if auth.Allowed(p, auth.ViewTechCatalogue, auth.Resource{}) {
		items = append(items, NavItem{Key: "nav.tech", Href: "/tech"})
	}
	return items
}

// techService is the desk on the app's database and clock; the index it
// keeps is the server's, shared by every request.
func (s *Server) techService() *tech.Service {
	s.techOnce.Do(func() {
		s.tech = &tech.Service{DB: s.deps.Store, Now: s.deps.Now, PortalURL: s.deps.PortalURL}
	})
	return s.tech
}
