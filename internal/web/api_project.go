package web

import (
	"net/http"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/project"
)

// The projects' and indicators' API. Every decision is the services'.

func (s *Server) apiProjects(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	pg := pagingOf(q)
	var st project.Stage
	if v := q.Get("stage"); v != "" {
		var ok bool
		if st, ok = project.ParseStage(v); !ok {
			return apperr.InvalidInput("unknown stage", apperr.Problem{Field: "stage", Reason: "not a stage: lead, negotiating, signed, started, producing, dropped"})
		}
	}
	items, total, err := s.projectService().List(r.Context(), p, project.Filter{Stage: st, Park: q.Get("park"), Query: strings.TrimSpace(q.Get("q")), Limit: pg.Per, Offset: pg.Offset()})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "page": pg.Page, "per": pg.Per, "items": nonNilSlice(items)})
	return nil
}

func (s *Server) apiProject(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	d, err := s.projectService().Get(r.Context(), p, r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) apiStalledProjects(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	items, total, err := s.projectService().Stalled(r.Context(), p, 500)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "items": nonNilSlice(items)})
	return nil
}

func (s *Server) apiProjectStage(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	var body struct {
		Stage string `json:"stage"`
		On    string `json:"on"`
	}
	if err := decodeJSON(r, &body); err != nil {
		return err
	}
	st, ok := project.ParseStage(body.Stage)
	if !ok {
		return apperr.InvalidInput("unknown stage", apperr.Problem{Field: "stage", Reason: "not a stage: lead, negotiating, signed, started, producing, dropped"})
	}
	svc := s.projectService()
	if err := svc.SetStage(r.Context(), p, r.PathValue("code"), st, body.On); err != nil {
		return err
	}
	d, err := svc.Get(r.Context(), p, r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) apiIndicators(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	period := q.Get("period")
	if period == "" {
		return apperr.InvalidInput("no period", apperr.Problem{Field: "period", Reason: "give a period: YYYY, YYYYQn or YYYY-MM"})
	}
	rep, err := s.indicatorService().Report(r.Context(), p, period, q.Get("park"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

func (s *Server) apiCockpit(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	c, err := s.indicatorService().Cockpit(r.Context(), p, s.periodParam(r), r.URL.Query().Get("park"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}
