package demo

// sector is one slice of the zone's industry mix with the economics that
// shape its enterprises' facts. Figures are medians for a mature firm of the
// sector in a Chinese high-tech zone; each firm draws its own around them.
type sector struct {
	key     string   // short name, for tests and benchmarks
	weight  float64  // share of the population, in percent
	classes []string // GB/T 4754-2017 classes with their section letter
	words   []string // 行业词 that end a company name before 有限公司

	revenue        float64 // median yearly revenue of a mature firm, yuan
	revenuePerHead float64 // median revenue per employee, yuan
	assetTurnover  float64 // revenue / total assets
	margin         float64 // median pre-tax margin
	outputVATRate  float64 // the VAT rate on most of its sales

	rdActive  float64 // share of firms that do R&D at all
	rdRatio   float64 // median R&D expense / revenue of R&D-active firms
	techRatio float64 // median technical staff / employees
	exporter  float64 // share of firms that export (免抵退)
	// creditBuilder is the share of firms whose input VAT runs ahead of their
	// output for years (plant, equipment, long development), the firms the
	// credit refund was made for.
	creditBuilder float64
}

// sectors is the industry mix of a high-tech zone: manufacturing about 40%,
// software and IT about 25%, scientific research and technical services about
// 12%, wholesale and retail about 10%, the rest services, real estate,
// construction, transport and catering. Weights sum to 100.
var sectors = []sector{
	{key: "electronics", weight: 12,
		classes: []string{"C3911", "C3912", "C3913", "C3914", "C3915", "C3921", "C3922", "C3961", "C3962", "C3963", "C3972", "C3973", "C3974", "C3976", "C3981", "C3982", "C3983", "C3985", "C3990"},
		words:   []string{"电子", "半导体", "光电", "电子科技", "智能科技", "通信设备", "芯片"},
		revenue: 20e6, revenuePerHead: 900e3, assetTurnover: 0.9, margin: 0.07, outputVATRate: 0.13,
		rdActive: 0.85, rdRatio: 0.055, techRatio: 0.25, exporter: 0.25, creditBuilder: 0.25},
	{key: "equipment", weight: 10,
		classes: []string{"C3421", "C3424", "C3441", "C3443", "C3453", "C3484", "C3491", "C3492", "C3493", "C3525", "C3562", "C3563", "C3569", "C3581", "C3584", "C3591", "C3599"},
		words:   []string{"机械", "自动化设备", "智能装备", "机器人", "医疗器械", "精密机械", "装备科技"},
		revenue: 18e6, revenuePerHead: 800e3, assetTurnover: 0.8, margin: 0.08, outputVATRate: 0.13,
		rdActive: 0.75, rdRatio: 0.045, techRatio: 0.2, exporter: 0.2, creditBuilder: 0.25},
	{key: "electrical", weight: 6,
		classes: []string{"C3812", "C3813", "C3823", "C3824", "C3825", "C3831", "C3841", "C3872", "C3874"},
		words:   []string{"电气", "电器", "新能源", "电池", "照明科技", "电力科技"},
		revenue: 20e6, revenuePerHead: 850e3, assetTurnover: 0.9, margin: 0.06, outputVATRate: 0.13,
		rdActive: 0.7, rdRatio: 0.04, techRatio: 0.18, exporter: 0.2, creditBuilder: 0.25},
	{key: "instruments", weight: 4,
		classes: []string{"C4011", "C4014", "C4021", "C4028", "C4040"},
		words:   []string{"仪器仪表", "传感技术", "测控技术", "光学仪器"},
		revenue: 12e6, revenuePerHead: 700e3, assetTurnover: 0.85, margin: 0.1, outputVATRate: 0.13,
		rdActive: 0.85, rdRatio: 0.07, techRatio: 0.3, exporter: 0.12, creditBuilder: 0.2},
	{key: "pharma", weight: 3,
		classes: []string{"C2710", "C2720", "C2740", "C2761", "C2762", "C2770"},
		words:   []string{"生物医药", "制药", "药业", "生物技术"},
		revenue: 25e6, revenuePerHead: 1000e3, assetTurnover: 0.6, margin: 0.12, outputVATRate: 0.13,
		rdActive: 0.85, rdRatio: 0.08, techRatio: 0.3, exporter: 0.1, creditBuilder: 0.35},
	{key: "auto-parts", weight: 2,
		classes: []string{"C3670", "C3612"},
		words:   []string{"汽车零部件", "汽车电子", "新能源汽车科技"},
		revenue: 40e6, revenuePerHead: 1100e3, assetTurnover: 1.0, margin: 0.05, outputVATRate: 0.13,
		rdActive: 0.6, rdRatio: 0.035, techRatio: 0.15, exporter: 0.15, creditBuilder: 0.2},
	{key: "materials", weight: 3,
		classes: []string{"C2662", "C2669", "C2929", "C3360", "C3399"},
		words:   []string{"新材料", "材料科技", "塑胶", "精密制造"},
		revenue: 15e6, revenuePerHead: 900e3, assetTurnover: 1.0, margin: 0.06, outputVATRate: 0.13,
		rdActive: 0.5, rdRatio: 0.035, techRatio: 0.12, exporter: 0.1, creditBuilder: 0.2},
	{key: "software", weight: 18,
		classes: []string{"I6511", "I6512", "I6513", "I6519", "I6520", "I6531", "I6532", "I6540", "I6550", "I6560", "I6572"},
		words:   []string{"软件", "信息技术", "网络科技", "数据科技", "智能科技", "科技", "信息科技", "云计算"},
		revenue: 6e6, revenuePerHead: 450e3, assetTurnover: 1.2, margin: 0.1, outputVATRate: 0.06,
		rdActive: 0.85, rdRatio: 0.11, techRatio: 0.55, exporter: 0.03, creditBuilder: 0.08},
	{key: "internet", weight: 6,
		classes: []string{"I6421", "I6422", "I6429", "I6431", "I6432", "I6440", "I6450", "I6490"},
		words:   []string{"网络科技", "互联网科技", "数字科技", "网络技术"},
		revenue: 5e6, revenuePerHead: 500e3, assetTurnover: 1.1, margin: 0.06, outputVATRate: 0.06,
		rdActive: 0.65, rdRatio: 0.08, techRatio: 0.45, exporter: 0.02, creditBuilder: 0.08},
	{key: "telecom", weight: 1,
		classes: []string{"I6319", "I6339"},
		words:   []string{"通信技术", "通讯", "卫星科技"},
		revenue: 8e6, revenuePerHead: 700e3, assetTurnover: 0.7, margin: 0.08, outputVATRate: 0.09,
		rdActive: 0.5, rdRatio: 0.05, techRatio: 0.35, exporter: 0.02, creditBuilder: 0.15},
	{key: "research", weight: 4,
		classes: []string{"M7310", "M7320", "M7340"},
		words:   []string{"生物科技", "技术研究", "科技", "医药科技"},
		revenue: 3e6, revenuePerHead: 350e3, assetTurnover: 0.7, margin: 0.05, outputVATRate: 0.06,
		rdActive: 0.92, rdRatio: 0.15, techRatio: 0.6, exporter: 0.02, creditBuilder: 0.12},
	{key: "tech-services", weight: 4,
		classes: []string{"M7452", "M7455", "M7484", "M7491", "M7492"},
		words:   []string{"检测技术", "工程设计", "设计", "认证技术", "工业设计"},
		revenue: 4e6, revenuePerHead: 400e3, assetTurnover: 1.0, margin: 0.09, outputVATRate: 0.06,
		rdActive: 0.6, rdRatio: 0.06, techRatio: 0.45, exporter: 0.01, creditBuilder: 0.05},
	{key: "tech-promotion", weight: 4,
		classes: []string{"M7511", "M7512", "M7513", "M7514", "M7515", "M7516", "M7519", "M7520", "M7530", "M7540", "M7590"},
		words:   []string{"科技", "技术服务", "知识产权代理", "科技孵化器", "科技咨询"},
		revenue: 2e6, revenuePerHead: 350e3, assetTurnover: 1.0, margin: 0.08, outputVATRate: 0.06,
		rdActive: 0.45, rdRatio: 0.06, techRatio: 0.35, exporter: 0.01, creditBuilder: 0.05},
	{key: "wholesale", weight: 7,
		classes: []string{"F5176", "F5177", "F5179", "F5154", "F5175", "F5169", "F5193", "F5181"},
		words:   []string{"贸易", "商贸", "供应链", "电子商务", "进出口"},
		revenue: 15e6, revenuePerHead: 3000e3, assetTurnover: 2.0, margin: 0.025, outputVATRate: 0.13,
		rdActive: 0.05, rdRatio: 0.01, techRatio: 0.05, exporter: 0.15, creditBuilder: 0.05},
	{key: "retail", weight: 3,
		classes: []string{"F5273", "F5292", "F5274", "F5254"},
		words:   []string{"商贸", "电子商务", "零售", "数码科技"},
		revenue: 5e6, revenuePerHead: 1200e3, assetTurnover: 2.0, margin: 0.03, outputVATRate: 0.13,
		rdActive: 0.03, rdRatio: 0.01, techRatio: 0.03, exporter: 0.02, creditBuilder: 0.03},
	{key: "business-services", weight: 6.5,
		classes: []string{"L7212", "L7224", "L7243", "L7249", "L7251", "L7263", "L7281", "L7299", "L7221"},
		words:   []string{"企业管理咨询", "投资管理", "供应链管理", "广告", "人力资源", "会展服务", "商务咨询"},
		revenue: 3e6, revenuePerHead: 600e3, assetTurnover: 0.8, margin: 0.08, outputVATRate: 0.06,
		rdActive: 0.1, rdRatio: 0.02, techRatio: 0.08, exporter: 0.01, creditBuilder: 0.03},
	{key: "real-estate", weight: 1,
		classes: []string{"K7010"},
		words:   []string{"房地产开发", "置业"},
		revenue: 60e6, revenuePerHead: 5000e3, assetTurnover: 0.2, margin: 0.12, outputVATRate: 0.09,
		rdActive: 0, rdRatio: 0, techRatio: 0.02, exporter: 0, creditBuilder: 0.5},
	{key: "construction", weight: 2,
		classes: []string{"E4790", "E4862", "E4891", "E4899"},
		words:   []string{"建设工程", "环境工程", "建筑科技", "园林工程"},
		revenue: 15e6, revenuePerHead: 1000e3, assetTurnover: 1.0, margin: 0.05, outputVATRate: 0.09,
		rdActive: 0.2, rdRatio: 0.03, techRatio: 0.12, exporter: 0, creditBuilder: 0.1},
	{key: "transport", weight: 1.5,
		classes: []string{"G5437", "G5821", "G5920"},
		words:   []string{"物流", "供应链", "仓储"},
		revenue: 8e6, revenuePerHead: 800e3, assetTurnover: 1.5, margin: 0.04, outputVATRate: 0.09,
		rdActive: 0.05, rdRatio: 0.01, techRatio: 0.04, exporter: 0.02, creditBuilder: 0.1},
	{key: "catering", weight: 1,
		classes: []string{"H6210", "H6220", "H6232"},
		words:   []string{"餐饮管理", "餐饮"},
		revenue: 3e6, revenuePerHead: 200e3, assetTurnover: 2.0, margin: 0.05, outputVATRate: 0.06,
		rdActive: 0, rdRatio: 0, techRatio: 0.01, exporter: 0, creditBuilder: 0.02},
	{key: "environment", weight: 0.5,
		classes: []string{"N7721", "N7722", "N7723"},
		words:   []string{"环境科技", "环保科技"},
		revenue: 8e6, revenuePerHead: 700e3, assetTurnover: 0.6, margin: 0.07, outputVATRate: 0.06,
		rdActive: 0.5, rdRatio: 0.04, techRatio: 0.2, exporter: 0, creditBuilder: 0.2},
	{key: "energy", weight: 0.5,
		classes: []string{"D4416", "D4430"},
		words:   []string{"新能源", "能源科技", "光伏科技"},
		revenue: 20e6, revenuePerHead: 2000e3, assetTurnover: 0.3, margin: 0.1, outputVATRate: 0.13,
		rdActive: 0.3, rdRatio: 0.03, techRatio: 0.15, exporter: 0, creditBuilder: 0.4},
}

// sectorWeights are the weights of sectors, in order, for a weighted draw.
var sectorWeights = func() []float64 {
	w := make([]float64, len(sectors))
	for i := range sectors {
		w[i] = sectors[i].weight
	}
	return w
}()

// rdNegativeList reports whether the R&D super deduction excludes the
// sector's firms (tobacco, catering, trade, real estate, leasing and
// business services, entertainment): they file no R&D cost breakdown.
func rdNegativeList(industryCode string) bool {
	switch industryCode[0] {
	case 'H', 'F', 'K', 'L':
		return true
	}
	return industryCode[:3] == "C16" || industryCode[:3] == "R90"
}
