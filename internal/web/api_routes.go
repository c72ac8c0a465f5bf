package web

// apiRoutes registers the JSON API under /api/v1, described by the
// OpenAPI document it serves (openapi.yaml; a test holds the two to each
// other). A browser's session works here as on the pages; other systems
// use an API token (Authorization: Bearer pdk_…).
func (s *Server) apiRoutes() {
	s.mux.Handle("GET /api/v1/openapi.json", s.api(s.openAPI))
	s.mux.Handle("GET /api/v1/enterprises", s.api(s.apiEnterprises))
	s.mux.Handle("GET /api/v1/enterprises/{id}", s.api(s.apiEnterprise))
	s.mux.Handle("GET /api/v1/enterprises/{id}/facts", s.api(s.apiFacts))
	s.mux.Handle("POST /api/v1/enterprises/{id}/facts", s.api(s.apiReportFacts))
	s.mux.Handle("GET /api/v1/enterprises/{id}/facts/{field}/history", s.api(s.apiFactHistory))
	s.mux.Handle("GET /api/v1/enterprises/{id}/results", s.api(s.apiEnterpriseResults))
	s.mux.Handle("GET /api/v1/dictionary", s.api(s.apiDictionary))
	s.mux.Handle("GET /api/v1/policies", s.api(s.apiPolicies))
	s.mux.Handle("GET /api/v1/policies/{id}", s.api(s.apiPolicy))
	s.mux.Handle("GET /api/v1/policies/{id}/results", s.api(s.apiPolicyResults))
	s.techAPIRoutes()    // page_tech_routes.go
	s.appealAPIRoutes()  // api_appeals.go
	s.projectAPIRoutes() // page_project_routes.go
}
