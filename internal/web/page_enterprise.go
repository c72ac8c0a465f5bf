package web

import (
	"context"
	"html/template"
	"net/http"
	"strconv"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// enterprisePage is one enterprise: its profile, its facts with their
// provenance, and its results with their explanations, near misses and
// missing data.
type enterprisePage struct {
	Page
	E        enterpriseProfile
	Facts    []factGroupView
	Results  resultsView
	CanFacts bool // may see results at all (ViewResults)
	Dossier  dossier
	// Head, Profile and Body are the parts rendered from the above (E,
	// Facts, Results): the fragment cache keeps them.
	Head, Profile, Body template.HTML
}

// factGroupView is a field's current values as the page writes them.
type factGroupView struct {
	Name, Label, Type, Sensitivity, Dept string
	Values                               []factValueView
}

type factValueView struct {
	Period     string
	Value      shownValue
	Source     string
	Actor      string
	RecordedAt string
}

// enterpriseID reads the {id} of the path; an id that is not a number is
// a page that does not exist.
func enterpriseID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// visibleEnterprise checks that p may see the enterprise of the path, and
// answers not-found alike for another's enterprise and for none.
func (s *Server) visibleEnterprise(r *http.Request) (int64, auth.Principal, error) {
	p := principal(r)
	if !p.Authenticated() {
		return 0, p, auth.ErrUnauthenticated
	}
	id, err := enterpriseID(r)
	if err != nil {
		return 0, p, err
	}
	ok, err := auth.EnterpriseVisible(r.Context(), s.deps.Store, p, id)
	if err != nil {
		return 0, p, err
	}
	if !ok {
		return 0, p, errNotFound
	}
	return id, p, nil
}

func (s *Server) enterprisePage(w http.ResponseWriter, r *http.Request) error {
	id, p, err := s.visibleEnterprise(r)
	if err != nil {
		return err
	}
	if p.Role == auth.RoleEnterprise {
		http.Redirect(w, r, "/portal", http.StatusSeeOther)
		return nil
	}
	ctx := r.Context()
	page := enterprisePage{Page: s.newPage(r, "/enterprises")}
	// The profile, the results and the facts come from the registry, the
	// facts, the dictionary and the stored results alone: kept rendered
	// while their counters stand, for every reader who sees alike.
	stamp, err := s.counterStamp(ctx, enterprisePageCounters...)
	if err != nil {
		return err
	}
	key := fragmentKey(r, "enterprise", p, strconv.FormatInt(id, 10))
	if f, ok := s.fragments.get(key, stamp); ok {
		page.E = f.extra.(enterpriseProfile)
		page.Head, page.Profile, page.Body = f.parts[0], f.parts[1], f.parts[2]
	} else if err := s.enterpriseParts(ctx, &page, p, id); err != nil {
		return err
	} else {
		s.fragments.put(key, &fragment{stamp: stamp, parts: []template.HTML{page.Head, page.Profile, page.Body}, extra: page.E})
	}
	if page.Dossier, err = s.dossierOf(ctx, page.L, p, id); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "enterprise", page)
	return nil
}

// enterprisePageCounters are the change counters the kept parts of an
// enterprise page depend on.
var enterprisePageCounters = []string{store.CounterRegistry, store.CounterFacts, store.CounterDictionary, store.CounterResults}

// enterpriseParts reads the profile, results and facts of an enterprise
// and renders the page's kept parts from them.
func (s *Server) enterpriseParts(ctx context.Context, page *enterprisePage, p auth.Principal, id int64) error {
	var err error
	if page.E, err = s.profile(ctx, p, id); err != nil {
		return err
	}
	page.E.Industry = industryName(page.L, page.E.IndustryCode)
	dict, err := s.fields(ctx)
	if err != nil {
		return err
	}
	groups, err := s.currentFacts(ctx, p, id, dict)
	if err != nil {
		return err
	}
	page.Facts = factViews(page.L, groups)
	res := auth.Enterprise(id, page.E.ParkID)
	if auth.Allowed(p, auth.ViewResults, res) {
		page.CanFacts = true
		if page.Results, _, err = s.enterpriseResults(ctx, page.L, p, id, dict); err != nil {
			return err
		}
	}
	if page.Head, err = renderPart("enterprise", "enterprise-head", page); err != nil {
		return err
	}
	if page.Profile, err = renderPart("enterprise", "enterprise-profile", page); err != nil {
		return err
	}
	page.Body, err = renderPart("enterprise", "enterprise-body", page)
	return err
}

func factViews(l *i18n.Localizer, groups []factGroup) []factGroupView {
	out := make([]factGroupView, 0, len(groups))
	for _, g := range groups {
		v := factGroupView{Name: g.Field.Name, Label: l.Pick(g.Field.LabelZh, g.Field.LabelEn), Type: g.Field.Type,
			Sensitivity: g.Field.Sensitivity, Dept: l.Pick(g.Field.DeptZh, g.Field.DeptEn)}
		for _, fv := range g.Values {
			v.Values = append(v.Values, factValueView{Period: l.Period(fv.Period), Value: showValue(l, g.Field.Name, g.Field.Type, g.Field.Unit, fv.Value),
				Source: sourceLabel(l, fv.Source), Actor: fv.Actor, RecordedAt: l.DateTime(fv.RecordedAt)})
		}
		out = append(out, v)
	}
	return out
}

// factHistoryPage is the history of one field of an enterprise: every
// value recorded, with who reported it, from where and when.
type factHistoryPage struct {
	Page
	E      enterpriseProfile
	Field  fieldRow
	Label  string
	Values []factValueView
}

func (s *Server) factHistoryPage(w http.ResponseWriter, r *http.Request) error {
	id, p, err := s.visibleEnterprise(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	dict, err := s.fields(ctx)
	if err != nil {
		return err
	}
	name := r.PathValue("field")
	var field *fieldRow
	for i := range dict {
		if dict[i].Name == name {
			field = &dict[i]
		}
	}
	if field == nil {
		return errNotFound
	}
	_, entries, err := s.facts.HistoryOf(ctx, p, id, name)
	if err != nil {
		return err
	}
	prof, err := s.profile(ctx, p, id)
	if err != nil {
		return err
	}
	// The domain lists the history by period and in the order recorded,
	// as the API does; the page shows the newest first.
	var history []factValue
	for i := len(entries) - 1; i >= 0; i-- {
		h := entries[i]
		history = append(history, factValue{Period: h.Period.String(), Value: h.Value.String(), Source: h.Source, Actor: h.Actor, RecordedAt: h.RecordedAt})
	}
	page := factHistoryPage{Page: s.newPage(r, "/enterprises"), E: prof, Field: *field}
	page.Label = page.L.Pick(field.LabelZh, field.LabelEn)
	for _, fv := range history {
		page.Values = append(page.Values, factValueView{Period: page.L.Period(fv.Period), Value: showValue(page.L, field.Name, field.Type, field.Unit, fv.Value),
			Source: sourceLabel(page.L, fv.Source), Actor: fv.Actor, RecordedAt: page.L.DateTime(fv.RecordedAt)})
	}
	if isHTMX(r) {
		s.renderFragment(w, r, http.StatusOK, "fact_history", "history-table", page)
		return nil
	}
	s.render(w, r, http.StatusOK, "fact_history", page)
	return nil
}
