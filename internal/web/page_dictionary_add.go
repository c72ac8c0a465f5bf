package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/facts"
)

// An admin adds the park's own fields to the data dictionary from its page
// (a field for a local subsidy's criterion, say), as `parkdesk field add`
// does from the shell: facts.AddFieldAs checks, writes and audits.

// fieldForm is the new field as the admin typed it, shown again when refused.
type fieldForm struct {
	Name, LabelZh, LabelEn, Type, Shape, Unit, Department, Sensitivity, Enum, Min, Max, Freshness string
}

// The choices of the form, in the order an admin reads them.
var (
	fieldTypeChoices        = []string{"money", "number", "integer", "ratio", "bool", "enum", "date", "text"}
	fieldShapeChoices       = []string{"annual", "quarterly", "monthly", "timeless"}
	fieldSensitivityChoices = []string{string(facts.Public), string(facts.Internal), string(facts.Confidential)}
	fieldUnitChoices        = []string{"元", "人", "件", "次", "年", "月", "分"}
)

// fieldFormChoices is what the add form offers; only admins get it.
type fieldFormChoices struct {
	Types, Shapes, Sensitivities, Units []string
}

func (s *Server) addField(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	form := fieldForm{Name: r.PostFormValue("name"), LabelZh: r.PostFormValue("label_zh"), LabelEn: r.PostFormValue("label_en"),
		Type: r.PostFormValue("type"), Shape: r.PostFormValue("shape"), Unit: r.PostFormValue("unit"),
		Department: r.PostFormValue("department"), Sensitivity: r.PostFormValue("sensitivity"), Enum: r.PostFormValue("enum"),
		Min: strings.TrimSpace(r.PostFormValue("min")), Max: strings.TrimSpace(r.PostFormValue("max")),
		Freshness: strings.TrimSpace(r.PostFormValue("freshness_days"))}
	f := facts.Field{Name: strings.TrimSpace(form.Name), TypeName: form.Type, ShapeName: form.Shape, Unit: form.Unit,
		Department: form.Department, Sensitivity: facts.Sensitivity(form.Sensitivity), Min: form.Min, Max: form.Max,
		LabelZh: strings.TrimSpace(form.LabelZh), LabelEn: strings.TrimSpace(form.LabelEn)}
	for _, v := range strings.FieldsFunc(form.Enum, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == '\n' }) {
		if v = strings.TrimSpace(v); v != "" {
			f.Enum = append(f.Enum, v)
		}
	}
	var err error
	if form.Freshness != "" {
		if f.FreshnessDays, err = strconv.Atoi(form.Freshness); err != nil || f.FreshnessDays < 0 {
			err = apperr.InvalidInput("the field is not valid", apperr.Problem{Field: "freshness_days", Reason: "must be a whole number of days, 0 or more"})
		}
	}
	if err == nil {
		err = facts.AddFieldAs(r.Context(), s.deps.Store, p, &f)
	}
	if err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderDictionary(w, r, status, dictionaryPage{NewField: form, FormError: fe})
		})
	}
	http.Redirect(w, r, "/dictionary?added="+url.QueryEscape(f.Name)+"&q="+url.QueryEscape(f.Name), http.StatusSeeOther)
	return nil
}
