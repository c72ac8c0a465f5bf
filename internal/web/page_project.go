package web

import (
	"net/http"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/project"
)

// projectListPage is the officers' list of investment projects: filters,
// the stalled alert, and the import of projects, signings and funds.
type projectListPage struct {
	Page
	Stage    string
	Query    string
	Stages   []project.Stage
	Items    []project.Project
	Pager    Pager
	Stalled  int
	Manage   bool
	Imported *project.ImportReport
	FormError
}

func (s *Server) projectList(w http.ResponseWriter, r *http.Request) error {
	return s.renderProjectList(w, r, http.StatusOK, projectListPage{})
}

func (s *Server) renderProjectList(w http.ResponseWriter, r *http.Request, status int, page projectListPage) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	pg := pagingOf(q)
	page.Query = strings.TrimSpace(q.Get("q"))
	st, _ := project.ParseStage(q.Get("stage"))
	page.Stage = string(st)
	svc := s.projectService()
	items, total, err := svc.List(r.Context(), p, project.Filter{Stage: st, Query: page.Query, Limit: pg.Per, Offset: pg.Offset()})
	if err != nil {
		return err
	}
	if _, page.Stalled, err = svc.Stalled(r.Context(), p, 1); err != nil {
		return err
	}
	page.Page = s.newPage(r, "/projects")
	page.Items, page.Stages = items, project.Stages
	page.Pager = newPager(r, pg, total, "")
	page.Manage = auth.Allowed(p, auth.ManageProjects, auth.Resource{})
	s.render(w, r, status, "projects", page)
	return nil
}

// projectImport reads one projects, signings or funds file, all or nothing.
func (s *Server) projectImport(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if err := auth.Can(p, auth.ManageProjects, auth.Resource{}); err != nil {
		return err
	}
	var rep project.ImportReport
	name, data, err := readOneTable(r)
	if err == nil {
		rep, err = s.projectService().Import(r.Context(), p, name, data, r.PostFormValue("dry_run") == "1")
	}
	if err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderProjectList(w, r, status, projectListPage{FormError: fe})
		})
	}
	return s.renderProjectList(w, r, http.StatusOK, projectListPage{Imported: &rep})
}

// projectPage is one project with its history; officers move its stage.
type projectPage struct {
	Page
	P      project.Detail
	Stages []project.Stage
	Manage bool
	FormError
}

func (s *Server) projectDetail(w http.ResponseWriter, r *http.Request) error {
	return s.renderProject(w, r, http.StatusOK, projectPage{})
}

func (s *Server) renderProject(w http.ResponseWriter, r *http.Request, status int, page projectPage) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	d, err := s.projectService().Get(r.Context(), p, r.PathValue("code"))
	if err != nil {
		return err
	}
	page.Page = s.newPage(r, "/projects")
	page.P, page.Stages = d, project.Stages
	page.Manage = auth.Allowed(p, auth.ManageProjects, auth.Resource{})
	s.render(w, r, status, "project", page)
	return nil
}

func (s *Server) projectStage(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	st, ok := project.ParseStage(r.PostFormValue("stage"))
	if !ok {
		err = apperr.InvalidInput("unknown stage", apperr.Problem{Field: "stage", Reason: "choose a stage"})
	} else {
		err = s.projectService().SetStage(r.Context(), p, code, st, r.PostFormValue("on"))
	}
	if err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderProject(w, r, status, projectPage{FormError: fe})
		})
	}
	http.Redirect(w, r, "/projects/"+code, http.StatusSeeOther)
	return nil
}

// projectSpacePage is the park's space with the projects each available
// one fits, and the industry funds.
type projectSpacePage struct {
	Page
	Spaces []project.Space
	Funds  []project.Fund
}

func (s *Server) projectSpace(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	spaces, funds, err := s.projectService().Spaces(r.Context(), p)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "project_space", projectSpacePage{Page: s.newPage(r, "/projects"), Spaces: spaces, Funds: funds})
	return nil
}
