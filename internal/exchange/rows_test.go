package exchange

import (
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
)

// testUSCC returns the n-th valid code of a test park.
func testUSCC(n int) string { return enterprise.MakeUSCC("330106", uint64(n)) }

func factTableReader(spreadsheet bool) *tableReader {
	h, _ := parseHeader(factColumns, factTable)
	return &tableReader{file: "f", header: h, spreadsheet: spreadsheet}
}

func enterpriseTableReader(spreadsheet bool) *tableReader {
	h, _ := parseHeader(enterpriseColumns, enterpriseTable)
	return &tableReader{file: "e", header: h, spreadsheet: spreadsheet}
}

func TestFactRow(t *testing.T) {
	dict := facts.Builtin()
	good := testUSCC(1)
	badCheck := good[:17] + string("0123456789ABCDEFGHJKLMNPQRTUWXY"[(strings.IndexByte("0123456789ABCDEFGHJKLMNPQRTUWXY", good[17])+1)%31])
	tests := []struct {
		name        string
		cells       []string
		spreadsheet bool
		field       string // of the one problem expected, or "" for none
		reason      string
		value       string // canonical value when valid
	}{
		{name: "annual money", cells: []string{good, "revenue", "2023", "24000000"}, value: "24000000"},
		{name: "money with fen", cells: []string{good, "revenue", "2023", "1234.56"}, value: "1234.56"},
		{name: "uscc typed in lower case with spaces", cells: []string{" " + strings.ToLower(good) + " ", "revenue", "2023", "1"}, value: "1"},
		{name: "monthly", cells: []string{good, "vat_credit_end", "2022-06", "1200000"}, value: "1200000"},
		{name: "quarterly", cells: []string{good, "employees_q_end", "2023Q4", "80"}, value: "80"},
		{name: "timeless bool", cells: []string{good, "hnte_certified", "", "true"}, value: "true"},
		{name: "enum", cells: []string{good, "credit_rating", "2021", "A"}, value: "A"},
		{name: "spreadsheet float noise", cells: []string{good, "revenue", "2023", "1200000.0000000002"}, spreadsheet: true, value: "1200000"},
		{name: "spreadsheet bool cell", cells: []string{good, "hnte_certified", "", "1"}, spreadsheet: true, value: "true"},
		{name: "bad check digit", cells: []string{badCheck, "revenue", "2023", "1"}, field: "uscc", reason: "check digit"},
		{name: "unknown field", cells: []string{good, "revenu", "2023", "1"}, field: "revenu", reason: "unknown field"},
		{name: "empty field", cells: []string{good, "", "2023", "1"}, field: "field", reason: "is empty"},
		{name: "scalar for an annual field", cells: []string{good, "revenue", "", "1"}, field: "revenue", reason: "is a annual field"},
		{name: "month for an annual field", cells: []string{good, "revenue", "2023-01", "1"}, field: "revenue", reason: "period 2023-01: is a annual field, but the period given is monthly"},
		{name: "period for a timeless field", cells: []string{good, "hnte_certified", "2023", "true"}, field: "hnte_certified", reason: "timeless field"},
		{name: "bad period", cells: []string{good, "vat_credit_end", "2022-13", "1"}, field: "vat_credit_end", reason: "the month must be 01 to 12"},
		{name: "date cell as period", cells: []string{good, "vat_credit_end", "44713", "1"}, spreadsheet: true, field: "vat_credit_end", reason: "format the period column as text"},
		{name: "negative money", cells: []string{good, "revenue", "2023", "-5"}, field: "revenue", reason: "below the minimum"},
		{name: "ratio above 1", cells: []string{good, "niche_market_share", "", "1.5"}, field: "niche_market_share", reason: "above the maximum 1"},
		{name: "fraction of a fen", cells: []string{good, "revenue", "2023", "1.234"}, field: "revenue", reason: "fractions of a fen"},
		{name: "fractional headcount", cells: []string{good, "employees", "2023", "80.5"}, field: "employees", reason: "not a whole number"},
		{name: "enum value not listed", cells: []string{good, "credit_rating", "2021", "AAA"}, field: "credit_rating", reason: "not one of A, B, M, C, D"},
		{name: "text for a number", cells: []string{good, "revenue", "2023", "1.2亿"}, field: "revenue", reason: "not a decimal"},
		{name: "empty value", cells: []string{good, "revenue", "2023", ""}, field: "revenue", reason: "has no value"},
		{name: "a cell too many", cells: []string{good, "revenue", "2023", "1", "x"}, field: "", reason: "has 5 cells, the header has 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := factTableReader(tt.spreadsheet)
			f, problems := tr.factRow(tt.cells, 7, dict)
			if tt.reason == "" {
				if len(problems) > 0 {
					t.Fatalf("problems %v", problems)
				}
				if got := f.Value.String(); got != tt.value {
					t.Errorf("value = %q, want %q", got, tt.value)
				}
				if f.USCC != good {
					t.Errorf("uscc = %q, want %q", f.USCC, good)
				}
				return
			}
			if len(problems) != 1 {
				t.Fatalf("problems = %v, want one", problems)
			}
			p := problems[0]
			if p.Field != tt.field || !strings.Contains(p.Reason, tt.reason) || p.Row != 7 || p.File != "f" {
				t.Errorf("problem = %+v, want field %q, row 7, file f and a reason containing %q", p, tt.field, tt.reason)
			}
		})
	}
}

func TestEnterpriseRow(t *testing.T) {
	good := testUSCC(2)
	tests := []struct {
		name        string
		cells       []string
		spreadsheet bool
		fields      []string // of the problems expected, in order
		check       func(t *testing.T, rec facts.Record)
	}{
		{name: "complete", cells: []string{good, " 示例智能科技有限公司 ", "2016-05-12", "c3911", "hz", "high-tech;srdi"},
			check: func(t *testing.T, rec facts.Record) {
				if rec.Name != "示例智能科技有限公司" || rec.IndustryCode != "C3911" || strings.Join(rec.Tags, ",") != "high-tech,srdi" {
					t.Errorf("record = %+v", rec)
				}
			}},
		{name: "only uscc and name", cells: []string{good, "示例", "", "", "", ""}},
		{name: "date serial from a spreadsheet", cells: []string{good, "示例", "42502"}, spreadsheet: true,
			check: func(t *testing.T, rec facts.Record) {
				if rec.RegisteredOn != "2016-05-12" {
					t.Errorf("registered_on = %q, want 2016-05-12", rec.RegisteredOn)
				}
			}},
		{name: "date serial in CSV is not a date", cells: []string{good, "示例", "42502", "", "", ""}, fields: []string{"registered_on"}},
		{name: "every field wrong", cells: []string{"91330106MA2GL1234", "", "2016-13-01", "Z9999", "", ""}, fields: []string{"uscc", "name", "registered_on", "industry_code"}},
		{name: "short row in CSV", cells: []string{good, "示例"}, fields: []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, problems := enterpriseTableReader(tt.spreadsheet).enterpriseRow(tt.cells, 3)
			var fields []string
			for _, p := range problems {
				fields = append(fields, p.Field)
				if p.Reason == "" || p.Row != 3 {
					t.Errorf("problem %+v has no reason or the wrong row", p)
				}
			}
			if strings.Join(fields, ",") != strings.Join(tt.fields, ",") {
				t.Errorf("problems %v, want fields %q", problems, tt.fields)
			}
			if tt.check != nil {
				tt.check(t, rec)
			}
		})
	}
}
