package exchange

import (
	"fmt"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
)

// fact is one validated row of a facts table, or one value of a JSON record.
type fact struct {
	USCC   string
	Field  *facts.Field
	Period facts.Period
	Value  facts.Value
}

// checkWidth reports a row whose cells run past the header: in a CSV file
// that is nearly always an unquoted comma inside a name or a value.
func (t *tableReader) checkWidth(cells []string, row int, uscc string) []apperr.Problem {
	if t.spreadsheet {
		if col := t.header.extra(cells); col > 0 {
			return []apperr.Problem{t.at(row, uscc, "", fmt.Sprintf("cell in column %d is outside the table: the header has %d columns", col, t.header.width))}
		}
		return nil
	}
	if len(cells) != t.header.width {
		return []apperr.Problem{t.at(row, uscc, "", fmt.Sprintf("has %d cells, the header has %d (quote cells that contain commas)", len(cells), t.header.width))}
	}
	return nil
}

// tableUSCC reads the uscc cell as people type it: surrounding space,
// full-width characters and lower case are forgiven.
func (t *tableReader) tableUSCC(cells []string) string {
	return enterprise.NormalizeUSCC(t.header.cell(cells, colUSCC))
}

// enterpriseRow validates one row of an enterprises table.
func (t *tableReader) enterpriseRow(cells []string, row int) (facts.Record, []apperr.Problem) {
	h := &t.header
	rec := facts.Record{USCC: t.tableUSCC(cells)}
	problems := t.checkWidth(cells, row, rec.USCC)
	bad := func(field, reason string) {
		problems = append(problems, t.at(row, rec.USCC, field, reason))
	}
	// Text is trimmed, and refused with a control character inside
	// (enterprise.CleanLine).
	clean := func(field string, col int) string {
		s, err := enterprise.CleanLine(h.cell(cells, col))
		if err != nil {
			bad(field, err.Error())
		}
		return s
	}
	rec.Name = clean("name", colName)
	rec.RegisteredOn = clean("registered_on", colRegisteredOn)
	rec.IndustryCode = strings.ToUpper(clean("industry_code", colIndustryCode))
	rec.Park = clean("park", colPark)
	rec.Tags = splitTags(clean("tags", colTags))
	if err := enterprise.ValidateUSCC(rec.USCC); err != nil {
		bad("uscc", err.Error())
	}
	if rec.Name == "" {
		bad("name", "is required")
	}
	if rec.RegisteredOn != "" {
		if t.spreadsheet {
			if d, ok := serialDate(rec.RegisteredOn, t.date1904); ok {
				rec.RegisteredOn = d
			}
		}
		if _, err := enterprise.ParseRegistrationDate(rec.RegisteredOn, time.Now()); err != nil {
			bad("registered_on", err.Error())
		}
	}
	if rec.IndustryCode != "" {
		if _, err := enterprise.LookupIndustry(rec.IndustryCode); err != nil {
			bad("industry_code", err.Error())
		}
	}
	return rec, problems
}

// splitTags splits the tags cell at semicolons (also the full-width ；),
// dropping empty tags.
func splitTags(cell string) []string {
	var tags []string
	for _, part := range strings.FieldsFunc(cell, func(r rune) bool { return r == ';' || r == '；' }) {
		if tag := strings.TrimSpace(part); tag != "" {
			tags = append(tags, tag)
		}
	}
	return tags
}

// factRow validates one row of a facts table against the dictionary.
func (t *tableReader) factRow(cells []string, row int, dict *facts.Dictionary) (fact, []apperr.Problem) {
	h := &t.header
	uscc := t.tableUSCC(cells)
	name := strings.TrimSpace(h.cell(cells, colField))
	periodText := strings.TrimSpace(h.cell(cells, colPeriod))
	valueText := h.cell(cells, colValue)
	problems := t.checkWidth(cells, row, uscc)
	bad := func(field, reason string) {
		problems = append(problems, t.at(row, uscc, field, reason))
	}
	if err := enterprise.ValidateUSCC(uscc); err != nil {
		bad("uscc", err.Error())
	}
	f, ok := dict.Field(name)
	switch {
	case name == "":
		bad("field", "is empty: name a field of the data dictionary")
		return fact{}, problems
	case !ok:
		bad(name, "unknown field: not in the data dictionary")
		return fact{}, problems
	}
	out := fact{USCC: uscc, Field: f}
	p, err := facts.ParsePeriod(periodText)
	switch {
	case err != nil:
		reason := err.Error()
		if t.spreadsheet && len(periodText) >= 5 && looksFloat(periodText) {
			reason += `; it looks like a date cell: format the period column as text`
		}
		bad(name, reason)
	case p.Shape != f.Shape && periodText == "":
		bad(name, facts.ShapeMismatch(f, p.Shape)+": give the period")
	case p.Shape != f.Shape:
		bad(name, fmt.Sprintf("period %s: %s", periodText, facts.ShapeMismatch(f, p.Shape)))
	}
	out.Period = p
	if t.spreadsheet {
		switch {
		case f.Type.Numeric():
			valueText = spreadsheetNumber(strings.TrimSpace(valueText))
		case f.Type == facts.Date:
			if d, ok := serialDate(strings.TrimSpace(valueText), t.date1904); ok {
				valueText = d
			}
		}
	}
	if strings.TrimSpace(valueText) == "" {
		bad(name, "has no value: leave the row out when the value is unknown")
		return out, problems
	}
	v, err := f.ParseValue(valueText)
	if err != nil {
		bad(name, err.Error())
	}
	out.Value = v
	return out, problems
}
