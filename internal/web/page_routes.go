package web

import "net/http"

// pageRoutes registers the console and the portal. Every handler checks
// who asks through auth (default deny); the route × role table in
// routes_test.go holds each route to its expected answers.
func (s *Server) pageRoutes() {
	s.ui = newUIState()
	s.mux.Handle("GET /static/{path...}", siteAssets)
	s.mux.Handle("GET /lang/{lang}", s.page(s.switchLang))
	s.mux.Handle("GET /{$}", s.page(s.root))
	s.mux.Handle("GET /dashboard", s.page(s.dashboard))
	s.mux.Handle("GET /enterprises", s.page(s.enterprises))
	s.mux.Handle("GET /enterprises.xlsx", s.page(s.exportEnterprises))
	s.mux.Handle("GET /policies/{id}/results.xlsx", s.page(s.exportPolicyResults))
	s.mux.Handle("GET /outreach.xlsx", s.page(s.exportPackages))
	s.mux.Handle("GET /touch.xlsx", s.page(s.exportRequests))
	s.mux.Handle("GET /enterprises/{id}", s.page(s.enterprisePage))
	s.mux.Handle("GET /enterprises/{id}/facts/{field}", s.page(s.factHistoryPage))
	s.mux.Handle("GET /enterprises/{id}/results/{policy}", s.page(s.enterpriseResult))
	s.mux.Handle("POST /enterprises/{id}/results/{policy}/ask", s.page(s.missingAsk))
	s.mux.Handle("POST /enterprises/{id}/results/{policy}/enter", s.page(s.missingEnter))
	s.mux.Handle("GET /dictionary", s.page(s.dictionary))
	s.mux.Handle("GET /policies", s.page(s.policies))
	s.mux.Handle("GET /policies/simulate", s.page(s.simulateForm))
	s.mux.Handle("POST /policies/simulate", s.page(s.simulate))
	s.mux.Handle("GET /policies/{id}", s.page(s.policyPage))
	s.mux.Handle("GET /import", s.page(s.importForm))
	s.mux.Handle("POST /import", s.page(s.importDryRun))
	s.mux.Handle("POST /import/confirm", s.page(s.importConfirm))
	s.mux.Handle("GET /portal", s.page(s.portal("benefits")))
	s.mux.Handle("GET /portal/almost", s.page(s.portal("almost")))
	s.mux.Handle("GET /portal/missing", s.page(s.portal("missing")))
	s.mux.Handle("POST /portal/missing", s.page(s.portalReport))
	s.mux.Handle("GET /portal/data", s.page(s.portal("data")))
	s.mux.Handle("GET /portal/results/{policy}", s.page(s.portalResult))
	s.mux.Handle("GET /admin/users", s.page(s.users))
	s.mux.Handle("POST /admin/users", s.page(s.createUser))
	s.mux.Handle("POST /admin/users/{id}/disable", s.page(s.setUserDisabled(true)))
	s.mux.Handle("POST /admin/users/{id}/enable", s.page(s.setUserDisabled(false)))
	s.mux.Handle("POST /admin/users/{id}/reset", s.page(s.resetUser))
	s.mux.Handle("POST /admin/users/{id}", s.page(s.updateUser))
	s.mux.Handle("GET /admin/audit", s.page(s.audit))
	s.mux.Handle("GET /admin/codes", s.page(s.codes))
	s.mux.Handle("POST /dictionary/fields", s.page(s.addField))
	s.mux.Handle("POST /admin/codes/{kind}", s.page(s.saveCode))
	s.mux.Handle("POST /admin/codes/{kind}/{code}", s.page(s.saveCode))
	s.touchRoutes()    // page_touch_routes.go: the commissioner system
	s.outreachRoutes() // page_outreach_routes.go: benefit packages and push
	s.techRoutes()     // page_tech_routes.go: technology achievements, needs and docking
	s.appealRoutes()   // page_appeal_routes.go: appeals, their measures, the working-day calendar
	s.projectRoutes()  // page_project_routes.go: investment projects, the cockpit and the monthly report
}

// root sends each visitor to their start page: sign-in, the dashboard,
// the registry or the portal.
func (s *Server) root(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if !p.Authenticated() {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, home(p), http.StatusSeeOther)
	return nil
}
