package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/store"
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
	// Content is the rendered content (enterprises-content), which the
	// fragment cache keeps.
	Content template.HTML
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
	// The list is the registry's alone (the count's filters may read
	// facts): kept rendered while those counters stand, for every reader
	// who sees alike and asks the same URL.
	stamp, err := s.counterStamp(ctx, store.CounterRegistry, store.CounterFacts)
	if err != nil {
		return err
	}
	fragmentOnly := isHTMX(r) && r.Header.Get("HX-Target") == "enterprise-list"
	part := "enterprises-content"
	if fragmentOnly {
		part = "enterprise-list"
	}
	key := fragmentKey(r, "enterprises", p, part, r.URL.RequestURI())
	f, ok := s.fragments.get(key, stamp)
	if !ok {
		html, err := s.enterprisesPart(r, p, part)
		if err != nil {
			return err
		}
		f = &fragment{stamp: stamp, parts: []template.HTML{html}}
		s.fragments.put(key, f)
	}
	if fragmentOnly {
		s.writeHTML(w, http.StatusOK, []byte(f.parts[0]))
		return nil
	}
	s.render(w, r, http.StatusOK, "enterprises", enterprisesPage{Page: s.newPage(r, "/enterprises"), Content: f.parts[0]})
	return nil
}

// enterprisesPart reads one page of the list and renders part of it: the
// list alone (what htmx swaps in) or the whole content with the filters.
func (s *Server) enterprisesPart(r *http.Request, p auth.Principal, part string) (template.HTML, error) {
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
		return "", err
	}
	l := localizer(r)
	for i := range rows {
		rows[i].Industry = industryName(l, rows[i].IndustryCode)
	}
	page := enterprisesPage{Page: s.newPage(r, "/enterprises"), Filter: f, Rows: rows,
		Pager: newPager(r, paging, total, "#enterprise-list")}
	page.Sorts = sortLinks(r, page.L, f, []string{"name", "uscc", "industry", "registered"})
	if part == "enterprises-content" {
		if page.Parks, err = s.parkOptions(ctx); err != nil {
			return "", err
		}
		if page.Tags, err = s.tagOptions(ctx); err != nil {
			return "", err
		}
		page.Industries = industryOptions()
	}
	return renderPart("enterprises", part, page)
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
