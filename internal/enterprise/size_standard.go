package enterprise

import (
	"strings"

	"github.com/cockroachdb/apd/v3"
)

// The size classes of 工业和信息化部 国家统计局 国家发展和改革委员会 财政部
// 《关于印发中小企业划型标准规定的通知》(工信部联企业〔2011〕300号), Art. 4.
//
// For every industry the standard names the indicators it uses and, per
// indicator, the lower bound of medium and small and the upper bound of
// small-and-medium ("从业人员1000人以下或营业收入40000万元以下的为中小微型企业"),
// which is the lower bound of large. An enterprise belongs to a class when it
// reaches the lower bound of *every* indicator named for that class ("从业人员
// 300人及以上，且营业收入2000万元及以上的为中型企业"); otherwise it drops to
// the next class, down to micro, which needs only one indicator below the
// small bound. 国家统计局《统计上大中小微型企业划分办法（2017）》(国统字〔2017〕
// 213号) restates the same table on GB/T 4754-2017 and says so explicitly:
// "大型、中型和小型企业须同时满足所列指标的下限，否则下划一档".
type sizeCategory struct {
	key    string // stable identifier, used in tests and explanations
	nameZh string
	nameEn string
	// Bounds per indicator: lower bound of large, medium and small, in
	// persons for employees and 万元 for revenue and assets; nil where the
	// standard does not use the indicator for this industry.
	employees *[3]int64
	revenue   *[3]int64
	assets    *[3]int64
	// outside marks industries the standard does not cover, classified by
	// the VAT-sales rule instead (see outsideStandard).
	outside bool
}

// The 16 industries of Art. 4, in its order. Amounts in 万元 (10,000 yuan).
var (
	sizeAgriculture = &sizeCategory{key: "agriculture", nameZh: "农、林、牧、渔业", nameEn: "agriculture, forestry, animal husbandry and fishery",
		revenue: &[3]int64{20000, 500, 50}}
	sizeIndustry = &sizeCategory{key: "industry", nameZh: "工业", nameEn: "industry (mining, manufacturing, utilities)",
		employees: &[3]int64{1000, 300, 20}, revenue: &[3]int64{40000, 2000, 300}}
	sizeConstruction = &sizeCategory{key: "construction", nameZh: "建筑业", nameEn: "construction",
		revenue: &[3]int64{80000, 6000, 300}, assets: &[3]int64{80000, 5000, 300}}
	sizeWholesale = &sizeCategory{key: "wholesale", nameZh: "批发业", nameEn: "wholesale",
		employees: &[3]int64{200, 20, 5}, revenue: &[3]int64{40000, 5000, 1000}}
	sizeRetail = &sizeCategory{key: "retail", nameZh: "零售业", nameEn: "retail",
		employees: &[3]int64{300, 50, 10}, revenue: &[3]int64{20000, 500, 100}}
	sizeTransport = &sizeCategory{key: "transport", nameZh: "交通运输业", nameEn: "transport (except rail)",
		employees: &[3]int64{1000, 300, 20}, revenue: &[3]int64{30000, 3000, 200}}
	sizeWarehousing = &sizeCategory{key: "warehousing", nameZh: "仓储业", nameEn: "warehousing",
		employees: &[3]int64{200, 100, 20}, revenue: &[3]int64{30000, 1000, 100}}
	sizePostal = &sizeCategory{key: "postal", nameZh: "邮政业", nameEn: "postal services",
		employees: &[3]int64{1000, 300, 20}, revenue: &[3]int64{30000, 2000, 100}}
	sizeAccommodation = &sizeCategory{key: "accommodation", nameZh: "住宿业", nameEn: "accommodation",
		employees: &[3]int64{300, 100, 10}, revenue: &[3]int64{10000, 2000, 100}}
	sizeCatering = &sizeCategory{key: "catering", nameZh: "餐饮业", nameEn: "catering",
		employees: &[3]int64{300, 100, 10}, revenue: &[3]int64{10000, 2000, 100}}
	sizeInformationTransmission = &sizeCategory{key: "information_transmission", nameZh: "信息传输业", nameEn: "information transmission (telecommunications, internet)",
		employees: &[3]int64{2000, 100, 10}, revenue: &[3]int64{100000, 1000, 100}}
	sizeSoftwareIT = &sizeCategory{key: "software_it", nameZh: "软件和信息技术服务业", nameEn: "software and information technology services",
		employees: &[3]int64{300, 100, 10}, revenue: &[3]int64{10000, 1000, 50}}
	sizeRealEstateDevelopment = &sizeCategory{key: "real_estate_development", nameZh: "房地产开发经营", nameEn: "real-estate development",
		revenue: &[3]int64{200000, 1000, 100}, assets: &[3]int64{10000, 5000, 2000}}
	sizePropertyManagement = &sizeCategory{key: "property_management", nameZh: "物业管理", nameEn: "property management",
		employees: &[3]int64{1000, 300, 100}, revenue: &[3]int64{5000, 1000, 500}}
	sizeLeasingBusiness = &sizeCategory{key: "leasing_business", nameZh: "租赁和商务服务业", nameEn: "leasing and business services",
		employees: &[3]int64{300, 100, 10}, assets: &[3]int64{120000, 8000, 100}}
	sizeOtherUnlisted = &sizeCategory{key: "other_unlisted", nameZh: "其他未列明行业", nameEn: "other unlisted industries",
		employees: &[3]int64{300, 100, 10}}

	// outsideStandard covers the industries 300号 does not list. They are
	// classified by the rule of reference/policies.md, which is that of
	// 财政部 税务总局公告2022年第14号 Art. 8 (medium added by 2022年第17号):
	// micro below 100万 of annual VAT sales, small below 2000万, medium below
	// 1亿. Revenue stands in for VAT sales.
	outsideStandard = &sizeCategory{key: "outside_standard", nameZh: "划型标准未列明的行业", nameEn: "industries outside the standard",
		revenue: &[3]int64{10000, 2000, 100}, outside: true}
)

// sizeCategoryRules maps GB/T 4754-2017 codes to the industries of 300号. The
// longest rule that is a prefix of a code decides. The mapping follows Art. 2
// of 300号 and the notes of 国统字〔2017〕213号, which restate its scope on
// GB/T 4754-2017:
//   - 工业 is mining, manufacturing and utilities (B, C, D);
//   - 交通运输业 excludes rail (G53: "不含铁路运输业") and includes multimodal
//     transport and agencies (G58) and loading and handling (G591, "装卸搬运");
//   - 仓储业 is the rest of G59, 邮政业 is G60;
//   - 信息传输业 is telecommunications, broadcasting and satellite transmission
//     and internet services (I63, I64);
//   - 房地产开发经营 is K701, 物业管理 K702;
//   - 其他未列明行业 covers research and technical services (M), water,
//     environment and public facilities (N), resident services and repair
//     (O), social work (Q85), culture, sports and entertainment (R), and
//     real-estate agency and other real estate (K703, K709), but not the
//     leasing of own property (K704, "不包括自有房地产经营活动").
//
// Finance (J, classified by 银发〔2015〕309号 instead), rail transport (G53),
// K704, education (P), health (Q84), public administration (S) and
// international organisations (T) are outside the scope of 300号 and of
// 国统字〔2017〕213号 and fall to the VAT-sales rule.
var sizeCategoryRules = []struct {
	prefix string
	cat    *sizeCategory
}{
	{"A", sizeAgriculture},
	{"B", sizeIndustry},
	{"C", sizeIndustry},
	{"D", sizeIndustry},
	{"E", sizeConstruction},
	{"F51", sizeWholesale},
	{"F52", sizeRetail},
	{"G53", outsideStandard},
	{"G54", sizeTransport},
	{"G55", sizeTransport},
	{"G56", sizeTransport},
	{"G57", sizeTransport},
	{"G58", sizeTransport},
	{"G591", sizeTransport},
	{"G592", sizeWarehousing},
	{"G593", sizeWarehousing},
	{"G594", sizeWarehousing},
	{"G595", sizeWarehousing},
	{"G596", sizeWarehousing},
	{"G599", sizeWarehousing},
	{"G60", sizePostal},
	{"H61", sizeAccommodation},
	{"H62", sizeCatering},
	{"I63", sizeInformationTransmission},
	{"I64", sizeInformationTransmission},
	{"I65", sizeSoftwareIT},
	{"J", outsideStandard},
	{"K701", sizeRealEstateDevelopment},
	{"K702", sizePropertyManagement},
	{"K703", sizeOtherUnlisted},
	{"K704", outsideStandard},
	{"K709", sizeOtherUnlisted},
	{"L", sizeLeasingBusiness},
	{"M", sizeOtherUnlisted},
	{"N", sizeOtherUnlisted},
	{"O", sizeOtherUnlisted},
	{"P", outsideStandard},
	{"Q84", outsideStandard},
	{"Q85", sizeOtherUnlisted},
	{"R", sizeOtherUnlisted},
	{"S", outsideStandard},
	{"T", outsideStandard},
}

// sizeCategoryOf returns the industry of 300号 for a valid code. When the code
// is too coarse to decide ("G" holds transport, warehousing and post) it
// returns nil and the categories it could be.
func sizeCategoryOf(code string) (*sizeCategory, []*sizeCategory) {
	var best *sizeCategory
	bestLen := 0
	for _, r := range sizeCategoryRules {
		if strings.HasPrefix(code, r.prefix) && len(r.prefix) > bestLen {
			best, bestLen = r.cat, len(r.prefix)
		}
	}
	if best != nil {
		return best, nil
	}
	var candidates []*sizeCategory
	for _, r := range sizeCategoryRules {
		if strings.HasPrefix(r.prefix, code) && !containsCategory(candidates, r.cat) {
			candidates = append(candidates, r.cat)
		}
	}
	if len(candidates) == 1 {
		return candidates[0], nil
	}
	return nil, candidates
}

func containsCategory(list []*sizeCategory, c *sizeCategory) bool {
	for _, x := range list {
		if x == c {
			return true
		}
	}
	return false
}

// wan converts 万元 to yuan as an exact decimal.
func wan(n int64) apd.Decimal {
	var d apd.Decimal
	d.SetFinite(n, 4)
	return d
}
