// Package web translates HTTP into calls of the domain packages: the park's
// console, the enterprise portal and the JSON API. Handlers hold no rules of
// their own.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/tech"
)

// Pinger is the part of the database the health checks need.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps are the dependencies of the web app, wired once in cmd/parkdesk.
type Deps struct {
	DB     Pinger
	Logger *slog.Logger
	// Auth signs people and systems in and decides what they may do.
	Auth *auth.Service
	// SecureCookies marks cookies Secure even on plain HTTP requests: a
	// TLS-terminating proxy stands in front.
	SecureCookies bool
	// ClientIPHeader names the header holding the client's address set by
	// that proxy ("X-Real-IP", "X-Forwarded-For"); empty trusts no header.
	ClientIPHeader string

	// Store is the database the console, the portal and the API read and
	// write through the domain packages.
	Store *store.DB
	// Policies is the policy library in force: the policy pages show its
	// criteria, parameters and documents.
	Policies *policy.Library
	// Now is the clock of the pages (today's date for new results and
	// deadlines); nil is the wall clock.
	Now func() time.Time
	// Matcher re-evaluates an enterprise's results when facts reported
	// through the API or the portal change; nil leaves it to the next
	// `parkdesk match`.
	Matcher *match.Matcher
	// Outbox sends approved benefit packages; the pages kick it after an
	// approval so that it does not wait for its next look. nil in tests.
	Outbox interface{ Kick() }
	// PortalURL is the app's address as enterprises reach it, for links
	// in the notices other capabilities send; "" leaves them relative.
	PortalURL string
}

// Server is the web app.
type Server struct {
	deps    Deps
	mux     *routeMux
	handler http.Handler // mux inside the middleware
	ui      *uiState     // the console's own state (ui_state.go)
	// results is the read model of stored results, made once: it keeps
	// the park's figures between requests.
	results *match.Results
	// facts reads and reports facts; matching follows its changes.
	facts *facts.Service
	// registry lists the enterprises; it keeps the list's index.
	registry *enterprise.Directory

	// tech is the technology desk's service, made once: it keeps the
	// in-memory index of the catalogue (refreshed by its change counter).
	tech     *tech.Service
	techOnce sync.Once

	// fragments keeps rendered parts of the busiest pages, keyed by the
	// reader's visibility and the database's change counters
	// (fragment_cache.go).
	fragments *fragmentCache
}

// New builds the app and registers its routes.
func New(deps Deps) *Server {
	s := &Server{deps: deps, mux: newRouteMux(), fragments: newFragmentCache(fragmentBudget)}
	s.results = &match.Results{DB: deps.Store, Library: s.library, Logger: deps.Logger}
	s.facts = &facts.Service{DB: deps.Store, Logger: deps.Logger}
	// The results' mask reads the dictionary the fact service keeps.
	s.results.Dictionary = s.facts.Dictionary
	s.registry = &enterprise.Directory{DB: deps.Store, Logger: deps.Logger}
	if deps.Matcher != nil {
		deps.Matcher.FollowFacts(s.facts, deps.Store, false)
	}
	s.routes()
	// Outermost first: headers on every response, even a refusal; the
	// body's limit, before anything reads it; then who is asking; then the
	// CSRF check, which needs to know; and around the routes, the removal
	// of the temporary files of the uploads they parsed.
	s.handler = s.securityHeaders(withLang(s.limitBodies(s.authenticate(s.checkCSRF(removeUploads(s.mux))))))
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// routes registers every route. Each group lives in its own file, so that
// the route × role table test can hold every group to account.
func (s *Server) routes() {
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.authRoutes() // auth_routes.go: login, logout, passwords, tokens
	s.pageRoutes() // page_routes.go: the console and the portal
	s.apiRoutes()  // api_routes.go: /api/v1
}

// healthz says the process is up; it checks nothing else, so that an
// orchestrator does not restart a healthy process for a slow database.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// readyz says the instance can serve: the database answers.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.deps.DB.Ping(ctx); err != nil {
		s.deps.Logger.Warn("readiness check failed", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unavailable\n"))
		return
	}
	w.Write([]byte("ok\n"))
}
