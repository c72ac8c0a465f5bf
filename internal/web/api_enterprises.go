package web

import (
	"net/http"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
)

// The JSON API of the registry: /api/v1/enterprises. Lists are paged
// (page, per) and filtered with the console's filters; every row and
// every field passes the same auth decisions as the pages.

// listJSON is the envelope of a paged list.
type listJSON[T any] struct {
	Items []T `json:"items"`
	Page  int `json:"page"`
	Per   int `json:"per"`
	Total int `json:"total"`
}

// enterpriseJSON is an enterprise in the API.
type enterpriseJSON struct {
	ID           int64      `json:"id"`
	USCC         string     `json:"uscc"`
	Name         string     `json:"name"`
	RegisteredOn string     `json:"registered_on,omitempty"`
	IndustryCode string     `json:"industry_code,omitempty"`
	Industry     string     `json:"industry,omitempty"` // the code's name, in Chinese
	Park         string     `json:"park,omitempty"`     // park code
	Tags         []string   `json:"tags"`
	CreatedAt    *time.Time `json:"created_at,omitempty"`
	UpdatedAt    *time.Time `json:"updated_at,omitempty"`
}

func toEnterpriseJSON(e enterpriseRow) enterpriseJSON {
	out := enterpriseJSON{ID: e.ID, USCC: e.USCC, Name: e.Name, RegisteredOn: e.RegisteredOn, IndustryCode: e.IndustryCode,
		Park: e.ParkCode, Tags: []string{}}
	if ind, err := enterprise.LookupIndustry(e.IndustryCode); err == nil {
		out.Industry = ind.NameZh
	}
	for _, t := range e.Tags {
		out.Tags = append(out.Tags, t.Code)
	}
	return out
}

// apiPrincipal is who asks the API; nobody gets 401.
func apiPrincipal(r *http.Request) (auth.Principal, error) {
	p := principal(r)
	if !p.Authenticated() {
		return p, auth.ErrUnauthenticated
	}
	return p, nil
}

func (s *Server) apiEnterprises(w http.ResponseWriter, r *http.Request) error {
	p, err := apiPrincipal(r)
	if err != nil {
		return err
	}
	paging := pagingOf(r.URL.Query())
	rows, total, err := s.enterpriseList(r.Context(), p, filterOf(r), paging)
	if err != nil {
		return err
	}
	out := listJSON[enterpriseJSON]{Items: []enterpriseJSON{}, Page: paging.Page, Per: paging.Per, Total: total}
	for _, e := range rows {
		out.Items = append(out.Items, toEnterpriseJSON(e))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiEnterprise(w http.ResponseWriter, r *http.Request) error {
	id, p, err := s.visibleEnterprise(r)
	if err != nil {
		return err
	}
	prof, err := s.profile(r.Context(), p, id)
	if err != nil {
		return err
	}
	out := toEnterpriseJSON(prof.enterpriseRow)
	out.CreatedAt, out.UpdatedAt = &prof.CreatedAt, &prof.UpdatedAt
	writeJSON(w, http.StatusOK, out)
	return nil
}
