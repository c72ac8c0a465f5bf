// Package indicator computes the park's indicators per period (年, 季, 月)
// from the data — projects, signings, funds in place, the registry, the
// enterprises' facts, the technology desk — and keeps the ones entered by
// the statistics and tax bureaus with their provenance, each with its
// value a year earlier and the year-on-year change; and the targets, the
// leader's cockpit and the business-environment evaluation built on them.
package indicator

// Kind is how an indicator's value is written.
type Kind uint8

// The kinds.
const (
	Count   Kind = iota + 1 // an integer
	Money                   // yuan, two decimals
	Percent                 // a percentage, two decimals
)

// Source is where an indicator's value comes from.
type Source uint8

// The sources.
const (
	Computed Source = iota + 1 // from the data, every time
	Entered                    // by hand or file, with provenance
)

// Def is one indicator.
type Def struct {
	ID     string
	Kind   Kind
	Source Source
	// AnnualOnly marks an indicator computed from annual facts: it has no
	// quarterly or monthly value.
	AnnualOnly bool
	// Fields are the data dictionary fields the value is computed from: a
	// principal who may not see one of them does not see the indicator.
	Fields []string
	// Tag is the registry tag counted by a count of enterprises.
	Tag string
}

// Defs lists the indicators in the order reports show them.
var Defs = []Def{
	{ID: "projects_signed", Kind: Count, Source: Computed},
	{ID: "investment_signed", Kind: Money, Source: Computed},
	{ID: "funds_in_place", Kind: Money, Source: Computed},
	{ID: "funds_in_place_ytd", Kind: Money, Source: Computed},
	{ID: "hnte_count", Kind: Count, Source: Computed, Tag: "high-tech"},
	{ID: "tech_sme_count", Kind: Count, Source: Computed, Tag: "tech-sme"},
	{ID: "srdi_count", Kind: Count, Source: Computed, Tag: "srdi"},
	{ID: "little_giant_count", Kind: Count, Source: Computed, Tag: "little-giant"},
	{ID: "revenue_total", Kind: Money, Source: Computed, AnnualOnly: true, Fields: []string{"revenue"}},
	{ID: "rd_intensity", Kind: Percent, Source: Computed, AnnualOnly: true, Fields: []string{"rd_expense", "revenue"}},
	{ID: "tech_introductions", Kind: Count, Source: Computed},
	{ID: "tech_contracts", Kind: Count, Source: Computed},
	{ID: "tech_contract_value", Kind: Money, Source: Computed},
	{ID: "gdp", Kind: Money, Source: Entered},
	{ID: "industrial_output", Kind: Money, Source: Entered},
	{ID: "tax_revenue", Kind: Money, Source: Entered},
}

// Lookup returns the indicator with the id.
func Lookup(id string) (Def, bool) {
	for _, d := range Defs {
		if d.ID == id {
			return d, true
		}
	}
	return Def{}, false
}
