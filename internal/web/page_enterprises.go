package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// enterprisesPage is the registry: search, filters, sorting and paging.
type enterprisesPage struct {
	Page
	Filter     enterpriseFilter
	Rows       []enterpriseRow
	Pager      Pager
	Parks      []option
	Tags       []option
	Industries []option
	Sorts      []sortLink
}

// sortLink is a column header that sorts the list by itself.
type sortLink struct {
	Key, Label, Href, Dir string // Dir: "ascending", "descending" or "" when not sorted by it
}

func (s *Server) enterprises(w http.ResponseWriter, r *http.Request) error {
	p := auth.FromContext(r.Context())
	if !p.Authenticated() {
		return auth.ErrUnauthenticated
	}
	if p.Role == auth.RoleEnterprise {
		// A liaison's registry is its own enterprise: the portal.
		http.Redirect(w, r, "/portal", http.StatusSeeOther)
		return nil
	}
	ctx := r.Context()
	q := r.URL.Query()
	f := enterpriseFilter{
		Query:    strings.TrimSpace(q.Get("q")),
		Industry: strings.TrimSpace(q.Get("industry")),
		Tag:      q.Get("tag"),
		Sort:     q.Get("sort"),
		Desc:     q.Get("dir") == "desc",
	}
	if park, err := strconv.ParseInt(q.Get("park"), 10, 64); err == nil {
		f.Park = park
	}
	paging := pagingOf(q)
	rows, total, err := s.enterpriseList(ctx, p, f, paging)
	if err != nil {
		return err
	}
	l := localizer(r)
	for i := range rows {
		rows[i].Industry = industryName(l, rows[i].IndustryCode)
	}
	page := enterprisesPage{Page: s.newPage(r, "/enterprises"), Filter: f, Rows: rows,
		Pager: newPager(r, paging, total, "#enterprise-list")}
	page.Sorts = sortLinks(r, page.L, f, []string{"name", "uscc", "industry", "registered"})
	if isHTMX(r) && r.Header.Get("HX-Target") == "enterprise-list" {
		s.renderFragment(w, r, http.StatusOK, "enterprises", "enterprise-list", page)
		return nil
	}
	if page.Parks, err = s.parkOptions(ctx); err != nil {
		return err
	}
	if page.Tags, err = s.tagOptions(ctx); err != nil {
		return err
	}
	page.Industries = industryOptions()
	s.render(w, r, http.StatusOK, "enterprises", page)
	return nil
}

// industryOptions are the sections of GB/T 4754-2017 for the filter.
func industryOptions() []option {
	var out []option
	for _, ind := range enterprise.Sections() {
		out = append(out, option{Value: ind.Code, LabelZh: ind.NameZh, LabelEn: ind.Name("en")})
	}
	return out
}

func sortLinks(r *http.Request, l *i18n.Localizer, f enterpriseFilter, keys []string) []sortLink {
	var out []sortLink
	for _, key := range keys {
		link := sortLink{Key: key, Label: l.T("enterprises.col." + key)}
		dir := "asc"
		if f.Sort == key || f.Sort == "" && key == "name" {
			link.Dir = "ascending"
			if f.Desc {
				link.Dir = "descending"
			} else {
				dir = "desc"
			}
		}
		u := *r.URL
		qv := u.Query()
		qv.Set("sort", key)
		qv.Set("dir", dir)
		qv.Del("page")
		u.RawQuery = qv.Encode()
		link.Href = u.Path + "?" + u.RawQuery
		out = append(out, link)
	}
	return out
}

// industryName is the name of an industry code in the language, or the
// code when the table does not know it.
func industryName(l *i18n.Localizer, code string) string {
	if code == "" {
		return "–"
	}
	ind, err := enterprise.LookupIndustry(code)
	if err != nil {
		return code
	}
	if l.IsZh() {
		return ind.NameZh
	}
	return ind.Name("en")
}
