package web

import (
	"net/http"

	"github.com/parkdesk/parkdesk/internal/outreach"
)

// outreachRoutes registers the pages of benefit packages (package
// outreach): the officers' review, dead letters, settings and the realized
// benefits; the liaison's inbox and channel choices. Every handler leaves
// the decision to outreach.Service, which checks the principal.
func (s *Server) outreachRoutes() {
	s.mux.Handle("GET /outreach", s.page(s.outreachPackages))
	s.mux.Handle("POST /outreach/build", s.page(s.outreachBuild))
	s.mux.Handle("POST /outreach/approve", s.page(s.outreachApproveMany))
	s.mux.Handle("GET /outreach/packages/{id}", s.page(s.outreachPackage))
	s.mux.Handle("POST /outreach/packages/{id}/approve", s.page(s.outreachDecide(true)))
	s.mux.Handle("POST /outreach/packages/{id}/withdraw", s.page(s.outreachDecide(false)))
	s.mux.Handle("POST /outreach/offers/{id}/grant", s.page(s.outreachGrant))
	s.mux.Handle("GET /outreach/dead", s.page(s.outreachDead))
	s.mux.Handle("POST /outreach/deliveries/{id}/retry", s.page(s.outreachRetry))
	s.mux.Handle("GET /outreach/report", s.page(s.outreachReport))
	s.mux.Handle("POST /outreach/grants", s.page(s.outreachImportGrants))
	s.mux.Handle("GET /outreach/settings", s.page(s.outreachSettings))
	s.mux.Handle("POST /outreach/settings", s.page(s.outreachSaveSetting))
	s.mux.Handle("GET /portal/inbox", s.page(s.portalInbox))
	s.mux.Handle("GET /portal/inbox/{id}", s.page(s.portalPackage))
	s.mux.Handle("POST /portal/offers/{id}/answer", s.page(s.portalAnswer))
	s.mux.Handle("GET /portal/contact", s.page(s.portalContact))
	s.mux.Handle("POST /portal/contact", s.page(s.portalSaveContact))
}

// outreachService is benefit packages on the app's database, policies and
// clock.
func (s *Server) outreachService() *outreach.Service {
	return &outreach.Service{DB: s.deps.Store, Policies: s.library(), Now: s.deps.Now}
}

// kickOutbox tells the running outbox that deliveries are waiting.
func (s *Server) kickOutbox() {
	if s.deps.Outbox != nil {
		s.deps.Outbox.Kick()
	}
}

// backTo answers a form with a redirect to the page it came from.
func backTo(w http.ResponseWriter, r *http.Request, path string) error {
	http.Redirect(w, r, path, http.StatusSeeOther)
	return nil
}
