package web

import (
	"net/http"
	"strconv"

	"github.com/parkdesk/parkdesk/internal/tech"
)

// techPortalPage is the liaison's technology needs tab: its needs, the
// form to post one, the introductions the park made for it, and the
// docking events to sign up for.
type techPortalPage struct {
	Page
	E        enterpriseProfile
	Needs    []tech.Need
	Dockings []tech.Docking
	Events   []tech.Event
	Form     tech.NeedSpec
	FormError
}

func (s *Server) portalTech(w http.ResponseWriter, r *http.Request) error {
	return s.renderPortalTech(w, r, http.StatusOK, techPortalPage{})
}

func (s *Server) renderPortalTech(w http.ResponseWriter, r *http.Request, status int, page techPortalPage) error {
	p, e, err := s.portalEnterprise(r)
	if err != nil {
		return err
	}
	svc := s.techService()
	ctx := r.Context()
	if page.Needs, _, err = svc.Needs(ctx, p, tech.NeedFilter{EnterpriseID: e.ID, Limit: 100}); err != nil {
		return err
	}
	if page.Dockings, _, err = svc.Dockings(ctx, p, tech.DockingFilter{EnterpriseID: e.ID, Limit: 100}); err != nil {
		return err
	}
	if page.Events, err = svc.Events(ctx, p); err != nil {
		return err
	}
	page.E = e
	page.Page = s.newPage(r, "/portal/tech")
	s.render(w, r, status, "tech_portal", page)
	return nil
}

func (s *Server) portalPostNeed(w http.ResponseWriter, r *http.Request) error {
	p, e, err := s.portalEnterprise(r)
	if err != nil {
		return err
	}
	spec := needSpecOf(r)
	spec.EnterpriseID = e.ID
	n, err := s.techService().PostNeed(r.Context(), p, spec)
	if err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderPortalTech(w, r, status, techPortalPage{Form: spec, FormError: fe})
		})
	}
	http.Redirect(w, r, "/portal/tech/needs/"+strconv.FormatInt(n.ID, 10), http.StatusSeeOther)
	return nil
}

// portalTechNeed shows the liaison the achievements ranked for its need,
// with why: the catalogue is public.
func (s *Server) portalTechNeed(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.portalEnterprise(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, recs, err := s.techService().Recommend(r.Context(), p, id, 10)
	if err != nil {
		return err
	}
	page := techNeedPage{Page: s.newPage(r, "/portal/tech"), N: n, Recs: recs, Portal: true,
		IndustryName: tech.IndustryName(n.Industry, string(localizer(r).Lang()))}
	s.render(w, r, http.StatusOK, "tech_need", page)
	return nil
}

func (s *Server) portalCloseNeed(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.portalEnterprise(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.techService().CloseNeed(r.Context(), p, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/portal/tech", http.StatusSeeOther)
	return nil
}

func (s *Server) portalSignUp(w http.ResponseWriter, r *http.Request) error {
	p, e, err := s.portalEnterprise(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.techService().SignUpEnterprise(r.Context(), p, id, e.ID); err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderPortalTech(w, r, status, techPortalPage{FormError: fe})
		})
	}
	http.Redirect(w, r, "/portal/tech", http.StatusSeeOther)
	return nil
}
