package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// Page is what every page's struct embeds: the language, who is looking,
// the navigation they may use, and the pieces the layout needs.
type Page struct {
	L     *i18n.Localizer
	Who   auth.Principal
	Nav   []NavItem
	Langs []LangLink
	// CSRF is the token state-changing forms carry.
	CSRF string
	// URL is the request's URL, for links that change one parameter.
	URL *url.URL
	// Charts says the page draws charts, so the layout loads ECharts.
	Charts bool
	// fieldNames names the fields of refused input (FieldName).
	fieldNames *fieldNames
}

// NavItem is one entry of the navigation bar.
type NavItem struct {
	Key    string // message key of its label
	Href   string
	Active bool
}

// LangLink switches the language and comes back to the same page.
type LangLink struct {
	Lang    i18n.Lang
	Name    string
	Href    string
	Current bool
}

// newPage prepares the common part of a page for the request; active is
// the href of the navigation entry to mark.
func (s *Server) newPage(r *http.Request, active string) Page {
	p := auth.FromContext(r.Context())
	l := localizer(r)
	page := Page{L: l, Who: p, CSRF: s.csrfToken(r), URL: r.URL, fieldNames: s.newFieldNames(r.Context())}
	for _, item := range navFor(p) {
		item.Active = item.Href == active
		page.Nav = append(page.Nav, item)
	}
	back := r.URL.RequestURI()
	for _, lang := range i18n.Langs {
		page.Langs = append(page.Langs, LangLink{Lang: lang, Name: lang.Name(), Current: lang == l.Lang(),
			Href: "/lang/" + string(lang) + "?next=" + url.QueryEscape(back)})
	}
	return page
}

// navFor lists the entries a principal may open, in the order of the
// bar. Each entry is shown only when its page would let them in.
func navFor(p auth.Principal) []NavItem {
	if !p.Authenticated() {
		return nil
	}
	if p.Role == auth.RoleEnterprise {
		return []NavItem{
			{Key: "nav.portal.benefits", Href: "/portal"},
			{Key: "nav.portal.almost", Href: "/portal/almost"},
			{Key: "nav.portal.missing", Href: "/portal/missing"},
			{Key: "nav.portal.data", Href: "/portal/data"},
			{Key: "nav.portal.visits", Href: "/portal/visits"},
			{Key: "nav.portal.appeals", Href: "/portal/appeals"},
			{Key: "nav.portal.inbox", Href: "/portal/inbox"},
			{Key: "nav.portal.tech", Href: "/portal/tech"},
		}
	}
	var items []NavItem
	add := func(ok bool, key, href string) {
		if ok {
			items = append(items, NavItem{Key: key, Href: href})
		}
	}
	add(auth.Allowed(p, auth.ViewDashboard, auth.Resource{}), "nav.dashboard", "/dashboard")
	add(true, "nav.enterprises", "/enterprises")
	add(auth.Allowed(p, auth.ViewPolicies, auth.Resource{}), "nav.policies", "/policies")
	add(canImport(p) == nil, "nav.import", "/import")
	items = append(items, touchNav(p)...)
	items = append(items, outreachNav(p)...)
	items = append(items, techNav(p)...)
	items = append(items, appealNav(p)...)
	items = append(items, projectNav(p)...)
	add(true, "nav.dictionary", "/dictionary")
	add(auth.Allowed(p, auth.ManageUsers, auth.Resource{}), "nav.users", "/admin/users")
	add(auth.Allowed(p, auth.ManageSettings, auth.Resource{}), "nav.codes", "/admin/codes")
	add(auth.Allowed(p, auth.ViewAudit, auth.Resource{}), "nav.audit", "/admin/audit")
	return items
}

// home is where a principal lands after signing in.
// Each role lands on its work: a liaison on its portal, an admin on the
// accounts, a department on the requests it filed and what came of them, a
// commissioner on today's visits and the to-do, a leader on the cockpit,
// officers on the dashboard.
func home(p auth.Principal) string {
	switch {
	case p.Role == auth.RoleEnterprise:
		return "/portal"
	case p.Role == auth.RoleAdmin:
		return "/admin/users"
	case p.Role == auth.RoleDepartment:
		return "/touch"
	case p.Role == auth.RoleCommissioner:
		return "/touch/today"
	case p.Role == auth.RoleLeader:
		return "/cockpit" // the park's summary: investment, indicators, benefits
	case auth.Allowed(p, auth.ViewDashboard, auth.Resource{}):
		return "/dashboard"
	}
	return "/enterprises"
}

// principal is who asks, as the authenticate middleware found.
func principal(r *http.Request) auth.Principal { return auth.FromContext(r.Context()) }

// now is the pages' clock.
func (s *Server) now() time.Time {
	if s.deps.Now != nil {
		return s.deps.Now()
	}
	return time.Now()
}
