package demo

// Park is a park of the demo deployment. A Hangzhou-style high-tech zone
// administers its main area and a cooperation park in another district, so
// its enterprises carry the division codes of two districts in their USCCs.
type Park struct {
	Code         string
	NameZh       string
	NameEn       string
	DivisionCode string // GB/T 2260 code of the district, as in the USCCs of its enterprises
	DistrictZh   string
	// Share is the fraction of the population registered in the park.
	Share float64
}

// Parks returns the demo's parks. The districts are Hangzhou's Binjiang
// (滨江区, the high-tech zone proper) and Xihu (西湖区).
func Parks() []Park {
	return []Park{
		{Code: "hq", NameZh: "高新区本部", NameEn: "High-tech Zone (main area)", DivisionCode: "330108", DistrictZh: "杭州市滨江区", Share: 0.75},
		{Code: "coop", NameZh: "西湖区合作园", NameEn: "Xihu Cooperation Park", DivisionCode: "330106", DistrictZh: "杭州市西湖区", Share: 0.25},
	}
}

// Department is a functional department or a bureau of the committee.
// Codes are those that own fields in the data dictionary
// (internal/facts/dictionary.yaml), plus the departments that own none.
type Department struct {
	Code   string
	NameZh string
	NameEn string
}

// Departments returns the departments of the demo deployment.
func Departments() []Department {
	return []Department{
		{Code: "econ", NameZh: "经济发展局", NameEn: "Economic Development Bureau"},
		{Code: "tax", NameZh: "税务局", NameEn: "Tax Bureau"},
		{Code: "market", NameZh: "市场监督管理局", NameEn: "Market Regulation Bureau"},
		{Code: "emergency", NameZh: "应急管理局", NameEn: "Emergency Management Bureau"},
		{Code: "ecology", NameZh: "生态环境局", NameEn: "Ecology and Environment Bureau"},
		{Code: "stats", NameZh: "统计局", NameEn: "Statistics Bureau"},
		{Code: "hrss", NameZh: "人力资源和社会保障局", NameEn: "Human Resources and Social Security Bureau"},
		{Code: "science", NameZh: "科学技术局", NameEn: "Science and Technology Bureau"},
		{Code: "industry", NameZh: "经济和信息化局", NameEn: "Economy and Information Technology Bureau"},
	}
}

// Tag is a label an enterprise carries in the registry.
type Tag struct {
	Code   string
	NameZh string
	NameEn string
}

// The tag codes the generator puts on records.
const (
	TagHighTech = "high-tech"
	TagSRDI     = "srdi"
	TagKey      = "key"
	TagPreIPO   = "pre-ipo"
	TagTechSME  = "tech-sme"
)

// Tags returns the tags of the demo deployment.
func Tags() []Tag {
	return []Tag{
		{Code: TagHighTech, NameZh: "高新技术企业", NameEn: "High and new technology enterprise"},
		{Code: TagSRDI, NameZh: "专精特新", NameEn: "Specialised, refined, distinctive and innovative (SRDI)"},
		{Code: TagKey, NameZh: "重点企业", NameEn: "Key enterprise"},
		{Code: TagPreIPO, NameZh: "拟上市企业", NameEn: "Pre-IPO enterprise"},
		{Code: TagTechSME, NameZh: "科技型中小企业", NameEn: "Technology-based SME"},
	}
}
