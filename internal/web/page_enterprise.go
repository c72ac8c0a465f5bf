package web

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"strconv"
	"time"

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
}

// enterpriseProfile is the registry's record of an enterprise.
type enterpriseProfile struct {
	enterpriseRow
	CreatedAt, UpdatedAt time.Time
	ParkID               int64
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
	if page.E, err = loadProfile(ctx, s.deps.Store, id); err != nil {
		return err
	}
	page.E.Industry = industryName(page.L, page.E.IndustryCode)
	dict, err := s.fields(ctx)
	if err != nil {
		return err
	}
	groups, err := currentFacts(ctx, s.deps.Store, p, id, dict)
	if err != nil {
		return err
	}
	page.Facts = factViews(page.L, groups)
	res := auth.Enterprise(id, page.E.ParkID)
	if auth.Allowed(p, auth.ViewResults, res) {
		page.CanFacts = true
		if page.Results, err = s.enterpriseResults(ctx, page.L, id, dict); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, "enterprise", page)
	return nil
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
	prof, err := loadProfile(ctx, s.deps.Store, id)
	if err != nil {
		return err
	}
	if err := auth.Can(p, auth.ViewField, auth.Resource{EnterpriseID: id, ParkID: prof.ParkID, Field: field.authField()}); err != nil {
		return errNotFound
	}
	history, err := factHistory(ctx, s.deps.Store, id, name)
	if err != nil {
		return err
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

// loadProfile reads one enterprise with its park and tags.
func loadProfile(ctx context.Context, db *store.DB, id int64) (enterpriseProfile, error) {
	var e enterpriseProfile
	var park sql.NullInt64
	err := db.QueryRow(ctx, `SELECT e.id, e.uscc, e.name, COALESCE(e.registered_on, ''), COALESCE(e.industry_code, ''),
	COALESCE(pk.code, ''), COALESCE(pk.name_zh, ''), COALESCE(pk.name_en, ''), e.park_id, e.created_at, e.updated_at
FROM enterprises e LEFT JOIN parks pk ON pk.id = e.park_id WHERE e.id = ?`, id).Scan(
		&e.ID, &e.USCC, &e.Name, &e.RegisteredOn, &e.IndustryCode, &e.ParkCode, &e.ParkZh, &e.ParkEn, &park,
		store.ScanTime(&e.CreatedAt), store.ScanTime(&e.UpdatedAt))
	if err != nil {
		return e, fmt.Errorf("load enterprise %d: %w", id, err)
	}
	e.ParkID = park.Int64
	list := []enterpriseRow{e.enterpriseRow}
	if err := attachTags(ctx, db, list); err != nil {
		return e, err
	}
	e.Tags = list[0].Tags
	return e, nil
}
