package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
)

// dictionaryPage is the data dictionary (数据字典): every field, what it
// means, who owns it and who may see it.
type dictionaryPage struct {
	Page
	Query      string
	Department string
	Fields     []fieldRow
	Depts      []option
	// Admins get the form that adds a field (page_dictionary_add.go).
	Choices  *fieldFormChoices
	NewField fieldForm
	Added    string // the field just added
	FormError
}

// fieldRow is one field of the dictionary as the pages show it.
type fieldRow struct {
	Name          string
	Type          string
	Unit          string
	Shape         string
	Enum          string // the choices of an enum field, or ""
	Min, Max      string
	Department    string
	DeptZh        string
	DeptEn        string
	Sensitivity   string
	FreshnessDays int
	LabelZh       string
	LabelEn       string
	Builtin       bool
}

func (s *Server) dictionary(w http.ResponseWriter, r *http.Request) error {
	return s.renderDictionary(w, r, http.StatusOK, dictionaryPage{Added: r.URL.Query().Get("added")})
}

func (s *Server) renderDictionary(w http.ResponseWriter, r *http.Request, status int, page dictionaryPage) error {
	p := principal(r)
	if !p.Authenticated() {
		return auth.ErrUnauthenticated
	}
	q := r.URL.Query()
	page.Page, page.Query, page.Department = s.newPage(r, "/dictionary"), strings.TrimSpace(q.Get("q")), q.Get("department")
	if auth.Allowed(p, auth.ManageSettings, auth.Resource{}) {
		page.Choices = &fieldFormChoices{Types: fieldTypeChoices, Shapes: fieldShapeChoices, Sensitivities: fieldSensitivityChoices, Units: fieldUnitChoices}
		if page.NewField.Sensitivity == "" {
			page.NewField.Sensitivity = string(facts.Internal) // the safer choice until the admin says otherwise
		}
	}
	all, err := s.fields(r.Context())
	if err != nil {
		return err
	}
	needle := strings.ToLower(page.Query)
	for _, f := range all {
		if page.Department != "" && f.Department != page.Department {
			continue
		}
		if needle != "" && !strings.Contains(strings.ToLower(f.Name+" "+f.LabelZh+" "+f.LabelEn), needle) {
			continue
		}
		page.Fields = append(page.Fields, f)
	}
	if page.Depts, err = s.departmentOptions(r.Context()); err != nil {
		return err
	}
	if isHTMX(r) && r.Header.Get("HX-Target") == "field-list" {
		s.renderFragment(w, r, http.StatusOK, "dictionary", "field-list", page)
		return nil
	}
	s.render(w, r, status, "dictionary", page)
	return nil
}

// loadFields reads the whole dictionary through the fact store, with its
// departments' names, in the dictionary's order: a few hundred rows.
func loadFields(ctx context.Context, db *store.DB) ([]fieldRow, error) {
	dict, err := facts.LoadDictionary(ctx, db)
	if err != nil {
		return nil, err
	}
	depts, err := enterprise.ListDepartments(ctx, db)
	if err != nil {
		return nil, err
	}
	names := map[string]enterprise.Department{}
	for _, d := range depts {
		names[d.Code] = d
	}
	var out []fieldRow
	for _, f := range dict.Fields() {
		row := fieldRow{Name: f.Name, Type: f.TypeName, Unit: f.Unit, Shape: f.ShapeName, Min: f.Min, Max: f.Max,
			Department: f.Department, DeptZh: f.Department, DeptEn: f.Department, Sensitivity: string(f.Sensitivity),
			FreshnessDays: f.FreshnessDays, LabelZh: f.LabelZh, LabelEn: f.LabelEn, Builtin: f.Builtin}
		if len(f.Enum) > 0 {
			row.Enum = strings.Join(f.Enum, " / ")
		}
		if d, ok := names[f.Department]; ok {
			row.DeptZh, row.DeptEn = d.NameZh, d.NameEn
		}
		out = append(out, row)
	}
	return out, nil
}
