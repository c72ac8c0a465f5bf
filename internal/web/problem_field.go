package web

import (
	"context"
	"html/template"
	"strings"
	"sync"
)

// A problem of refused input names its field by code (revenue,
// registered_on, login), as the domain packages and the JSON API do. A
// page names it as the reader knows it: a field of the data dictionary by
// its label in the reader's language, a form field or an import column
// by the label of the catalog ("refusal.field.<code>"), and the code
// stays readable for support, as the title and behind the technical-ids
// switch of the footer (显示技术编号).

// fieldNames looks the dictionary up once per page, and only when the
// page has a problem with a field to name.
type fieldNames struct {
	load   func() []fieldRow
	once   sync.Once
	labels map[string][2]string // code → zh, en
}

func (s *Server) newFieldNames(ctx context.Context) *fieldNames {
	return &fieldNames{load: func() []fieldRow {
		rows, err := s.fields(ctx)
		if err != nil {
			// A problem named by its code is still a problem shown;
			// the dictionary's error is not the page's.
			return nil
		}
		return rows
	}}
}

func (f *fieldNames) label(code string, zh bool) string {
	if f == nil {
		return ""
	}
	f.once.Do(func() {
		f.labels = map[string][2]string{}
		for _, row := range f.load() {
			f.labels[row.Name] = [2]string{row.LabelZh, row.LabelEn}
		}
	})
	l, ok := f.labels[code]
	if !ok {
		return ""
	}
	if zh && l[0] != "" || l[1] == "" {
		return l[0]
	}
	return l[1]
}

// FieldName writes the field of a problem for the page: its label, with
// the code as the title and as a technical id; a field nobody has named
// is shown as its code.
func (p Page) FieldName(code string) template.HTML {
	label := p.fieldLabel(code)
	if label == "" || label == code {
		return template.HTML(`<code translate="no">` + template.HTMLEscapeString(code) + `</code>`)
	}
	c := template.HTMLEscapeString(code)
	return template.HTML(`<span title="` + c + `">` + template.HTMLEscapeString(label) + `</span><code class="tech" translate="no"> ` + c + `</code>`)
}

// fieldLabel is the label of a field code: the catalog's for a form
// field or an import column, the dictionary's for a fact, else "".
func (p Page) fieldLabel(code string) string {
	if p.L == nil {
		return ""
	}
	if t := p.L.T("refusal.field." + code); !strings.HasPrefix(t, "⟦") {
		return t
	}
	return p.fieldNames.label(code, p.L.IsZh())
}
