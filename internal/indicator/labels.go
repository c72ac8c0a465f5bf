package indicator

// labels are the indicators' names for exports, which carry no catalog;
// the pages take theirs from the web catalogs.
var labels = map[string][2]string{
	"projects_signed":     {"签约项目数", "Projects signed"},
	"investment_signed":   {"签约总投资", "Investment signed"},
	"funds_in_place":      {"到位资金", "Funds in place"},
	"funds_in_place_ytd":  {"到位资金（累计）", "Funds in place, year to date"},
	"hnte_count":          {"高新技术企业数", "High and new technology enterprises"},
	"tech_sme_count":      {"科技型中小企业数", "Technology-based SMEs"},
	"srdi_count":          {"专精特新企业数", "Specialised and innovative SMEs"},
	"little_giant_count":  {"专精特新“小巨人”企业数", "Little giants"},
	"revenue_total":       {"企业营业收入（同口径）", "Enterprise revenue (same scope)"},
	"rd_intensity":        {"研发投入强度（%）", "R&D intensity (%)"},
	"tech_introductions":  {"技术对接（次）", "Technology introductions"},
	"tech_contracts":      {"技术合同（项）", "Technology contracts"},
	"tech_contract_value": {"技术合同金额", "Technology contract value"},
	"gdp":                 {"地区生产总值（GDP）", "GDP"},
	"industrial_output":   {"规上工业产值", "Industrial output above scale"},
	"tax_revenue":         {"税收收入", "Tax revenue"},
}

// Label is an indicator's name in a language ("zh…" Chinese, else English).
func Label(id, lang string) string {
	l, ok := labels[id]
	if !ok {
		return id
	}
	if len(lang) >= 2 && lang[:2] == "zh" {
		return l[0]
	}
	return l[1]
}
