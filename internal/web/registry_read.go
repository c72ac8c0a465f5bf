package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
)

// The registry's list and profiles come from enterprise.Directory, the one
// filter of the list (enterprise.Filter) and the one decision of who sees
// which enterprise; what is here shapes its answers for the pages.

// enterpriseFilter is the list's filter as the URL gives it.
type enterpriseFilter struct {
	Query    string // a name fragment, or any part of a USCC
	Industry string // a section letter or the start of an industry code ("C", "C39", "I65")
	Park     int64
	Tag      string // a tag's code
	Sort     string // name, uscc, registered or industry
	Desc     bool
}

// urlSorts maps the sort names of the URL to the directory's.
var urlSorts = map[string]string{"name": "name", "uscc": "uscc", "registered": "registered_on", "industry": "industry_code"}

// domain is the filter as enterprise.Filter, for a page.
func (f enterpriseFilter) domain(pg Paging) enterprise.Filter {
	sort, ok := urlSorts[f.Sort]
	if !ok {
		sort = "name"
	}
	if f.Desc {
		sort = "-" + sort
	}
	return enterprise.Filter{Query: f.Query, Industry: f.Industry, ParkID: f.Park, Tag: f.Tag, Sort: sort,
		Limit: pg.Per, Offset: pg.Offset()}
}

// enterpriseRow is one line of the enterprise list.
type enterpriseRow struct {
	enterprise.Listed
	Industry string // the code's name in the reader's language, set by the page
}

// enterpriseList answers the enterprise list.
func (s *Server) enterpriseList(ctx context.Context, p auth.Principal, f enterpriseFilter, pg Paging) ([]enterpriseRow, int, error) {
	list, err := s.registry.List(ctx, p, f.domain(pg))
	if err != nil {
		return nil, 0, err
	}
	out := make([]enterpriseRow, 0, len(list.Rows))
	for _, e := range list.Rows {
		out = append(out, enterpriseRow{Listed: e})
	}
	return out, list.Total, nil
}

// enterpriseProfile is the registry's record of an enterprise.
type enterpriseProfile struct {
	enterpriseRow
	CreatedAt, UpdatedAt time.Time
	ParkID               int64
}

// profile reads one enterprise p may see, with its park and tags.
func (s *Server) profile(ctx context.Context, p auth.Principal, id int64) (enterpriseProfile, error) {
	e, err := s.registry.Profile(ctx, p, id)
	if err != nil {
		return enterpriseProfile{}, err
	}
	return enterpriseProfile{enterpriseRow: enterpriseRow{Listed: e}, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt, ParkID: e.ParkID}, nil
}

// option is one choice of a filter's select.
type option struct {
	Value, LabelZh, LabelEn string
}

// parkOptions, tagOptions and departmentOptions list the choices of the
// filters and forms.
func (s *Server) parkOptions(ctx context.Context) ([]option, error) {
	list, err := enterprise.ListParks(ctx, s.deps.Store)
	var out []option
	for _, x := range list {
		out = append(out, option{Value: strconv.FormatInt(x.ID, 10), LabelZh: x.NameZh, LabelEn: x.NameEn})
	}
	return out, err
}

func (s *Server) tagOptions(ctx context.Context) ([]option, error) {
	list, err := enterprise.ListTags(ctx, s.deps.Store)
	var out []option
	for _, x := range list {
		out = append(out, option{Value: x.Code, LabelZh: x.NameZh, LabelEn: x.NameEn})
	}
	return out, err
}

func (s *Server) departmentOptions(ctx context.Context) ([]option, error) {
	list, err := enterprise.ListDepartments(ctx, s.deps.Store)
	var out []option
	for _, x := range list {
		out = append(out, option{Value: x.Code, LabelZh: x.NameZh, LabelEn: x.NameEn})
	}
	return out, err
}

// filterOf reads the list filters shared by the page and the API.
func filterOf(r *http.Request) enterpriseFilter {
	q := r.URL.Query()
	f := enterpriseFilter{Query: strings.TrimSpace(q.Get("q")), Industry: strings.TrimSpace(q.Get("industry")),
		Tag: q.Get("tag"), Sort: q.Get("sort"), Desc: q.Get("dir") == "desc"}
	if park, err := strconv.ParseInt(q.Get("park"), 10, 64); err == nil {
		f.Park = park
	}
	return f
}
