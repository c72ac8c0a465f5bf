package tech

import (
	"strings"

	"github.com/parkdesk/parkdesk/internal/enterprise"
)

// Field is a technical field of an achievement: the eight fields of the
// state's key supported high technologies (国家重点支持的高新技术领域), the
// classification the park's high-tech enterprises are recognised under.
type Field string

// The fields.
const (
	FieldElectronics   Field = "electronics"   // 电子信息
	FieldBiomedicine   Field = "biomedicine"   // 生物与新医药
	FieldAerospace     Field = "aerospace"     // 航空航天
	FieldMaterials     Field = "materials"     // 新材料
	FieldServices      Field = "services"      // 高技术服务
	FieldEnergy        Field = "energy"        // 新能源与节能
	FieldEnvironment   Field = "environment"   // 资源与环境
	FieldManufacturing Field = "manufacturing" // 先进制造与自动化
)

// fieldInfo is what the matching knows of a field: its names, the words
// people use for it, and the GB/T 4754-2017 industries whose enterprises
// typically take up its achievements.
type fieldInfo struct {
	field      Field
	zh, en     string
	aliases    []string
	industries enterprise.IndustryList
}

var fieldTable = []fieldInfo{
	{FieldElectronics, "电子信息", "Electronic information",
		[]string{"电子", "信息", "新一代信息技术", "信息技术", "集成电路", "软件", "人工智能", "通信", "物联网", "大数据"},
		enterprise.MustParseIndustryList("C39, C40, I63-I65")},
	{FieldBiomedicine, "生物与新医药", "Biology and new medicine",
		[]string{"生物医药", "生物", "医药", "新医药", "医疗器械", "大健康", "生物技术", "农业生物"},
		enterprise.MustParseIndustryList("A, C13-C15, C27, C358, M73, Q84")},
	{FieldAerospace, "航空航天", "Aerospace",
		[]string{"航空", "航天", "卫星", "无人机", "低空经济"},
		enterprise.MustParseIndustryList("C374, C396, C40, I63")},
	{FieldMaterials, "新材料", "New materials",
		[]string{"材料", "化工", "先进材料", "化工新材料", "金属材料", "高分子"},
		enterprise.MustParseIndustryList("C22, C26, C28-C33")},
	{FieldServices, "高技术服务", "High-tech services",
		[]string{"科技服务", "技术服务", "检验检测", "研发设计", "信息服务"},
		enterprise.MustParseIndustryList("I64, I65, L72, M73-M75")},
	{FieldEnergy, "新能源与节能", "New energy and energy saving",
		[]string{"新能源", "节能", "能源", "储能", "新能源汽车", "电力", "氢能", "光伏"},
		enterprise.MustParseIndustryList("C36, C38, D44, D45")},
	{FieldEnvironment, "资源与环境", "Resources and environment",
		[]string{"环境", "环保", "节能环保", "生态环境", "资源", "资源综合利用", "水处理"},
		enterprise.MustParseIndustryList("B, C42, C359, D46, N77, N78")},
	{FieldManufacturing, "先进制造与自动化", "Advanced manufacturing and automation",
		[]string{"先进制造", "智能制造", "自动化", "高端装备", "装备制造", "机械", "机器人", "制造"},
		enterprise.MustParseIndustryList("C33-C38, C40, C43")},
}

// Fields returns the fields in their display order.
func Fields() []Field {
	out := make([]Field, len(fieldTable))
	for i, f := range fieldTable {
		out[i] = f.field
	}
	return out
}

func (f Field) info() (fieldInfo, bool) {
	for _, fi := range fieldTable {
		if fi.field == f {
			return fi, true
		}
	}
	return fieldInfo{}, false
}

// Known reports whether f is one of the fields.
func (f Field) Known() bool { _, ok := f.info(); return ok }

// Name returns the field's name in lang ("en…" English, else Chinese); an
// unknown field's own text.
func (f Field) Name(lang string) string {
	fi, ok := f.info()
	if !ok {
		return string(f)
	}
	if strings.HasPrefix(lang, "en") {
		return fi.en
	}
	return fi.zh
}

// ParseField reads a field as files and forms write it: its code, its
// Chinese or English name, or a common word for it (生物医药, 智能制造). Any
// other text is kept as written: a field outside the eight still ranks by
// its words, but gives no industry fit.
func ParseField(s string) Field {
	s = strings.TrimSpace(normalize(s))
	if s == "" {
		return ""
	}
	low := strings.ToLower(s)
	for _, fi := range fieldTable {
		if low == string(fi.field) || s == fi.zh || low == strings.ToLower(fi.en) {
			return fi.field
		}
	}
	for _, fi := range fieldTable {
		for _, a := range fi.aliases {
			if s == a {
				return fi.field
			}
		}
	}
	return Field(s)
}

// fitsIndustry reports whether an enterprise of the GB/T 4754 industry code
// typically takes up achievements of the field.
func (f Field) fitsIndustry(code string) bool {
	fi, ok := f.info()
	return ok && code != "" && fi.industries.Contains(code)
}

// Maturity is how far an achievement has come (成熟度).
type Maturity string

// The maturities, from the bench to the market.
const (
	MaturityLab           Maturity = "lab"           // 实验室
	MaturitySmallPilot    Maturity = "small_pilot"   // 小试
	MaturityPilot         Maturity = "pilot"         // 中试
	MaturityDemonstration Maturity = "demonstration" // 示范应用
	MaturityIndustrial    Maturity = "industrial"    // 产业化
)

var maturityNames = []struct {
	m      Maturity
	zh, en string
}{
	{MaturityLab, "实验室", "Laboratory"},
	{MaturitySmallPilot, "小试", "Small-scale trial"},
	{MaturityPilot, "中试", "Pilot"},
	{MaturityDemonstration, "示范应用", "Demonstration"},
	{MaturityIndustrial, "产业化", "Industrialised"},
}

// Maturities returns the maturities in order.
func Maturities() []Maturity {
	out := make([]Maturity, len(maturityNames))
	for i, n := range maturityNames {
		out[i] = n.m
	}
	return out
}

// ParseMaturity reads a maturity by its code or its Chinese or English name.
func ParseMaturity(s string) (Maturity, bool) {
	s = strings.TrimSpace(normalize(s))
	low := strings.ToLower(s)
	for _, n := range maturityNames {
		if low == string(n.m) || s == n.zh || low == strings.ToLower(n.en) {
			return n.m, true
		}
	}
	switch s {
	case "实验室阶段", "研发阶段":
		return MaturityLab, true
	case "小试阶段":
		return MaturitySmallPilot, true
	case "中试阶段":
		return MaturityPilot, true
	case "示范", "应用示范":
		return MaturityDemonstration, true
	case "产业化阶段", "量产", "批量生产":
		return MaturityIndustrial, true
	}
	return "", false
}

// Name returns the maturity's name in lang.
func (m Maturity) Name(lang string) string {
	for _, n := range maturityNames {
		if n.m == m {
			if strings.HasPrefix(lang, "en") {
				return n.en
			}
			return n.zh
		}
	}
	return string(m)
}

// TransferMode is how a holder lets an achievement go (转化方式).
type TransferMode string

// The transfer modes.
const (
	ModeTransfer TransferMode = "transfer" // 转让
	ModeLicense  TransferMode = "license"  // 许可
	ModeEquity   TransferMode = "equity"   // 作价入股
	ModeJoint    TransferMode = "joint"    // 合作开发
)

var modeNames = []struct {
	m      TransferMode
	zh, en string
}{
	{ModeTransfer, "转让", "Assignment"},
	{ModeLicense, "许可", "Licence"},
	{ModeEquity, "作价入股", "Equity contribution"},
	{ModeJoint, "合作开发", "Joint development"},
}

// TransferModes returns the modes in order.
func TransferModes() []TransferMode {
	out := make([]TransferMode, len(modeNames))
	for i, n := range modeNames {
		out[i] = n.m
	}
	return out
}

// ParseTransferMode reads one mode by its code or name.
func ParseTransferMode(s string) (TransferMode, bool) {
	s = strings.TrimSpace(normalize(s))
	low := strings.ToLower(s)
	for _, n := range modeNames {
		if low == string(n.m) || s == n.zh || low == strings.ToLower(n.en) {
			return n.m, true
		}
	}
	switch s {
	case "技术转让", "专利转让":
		return ModeTransfer, true
	case "技术许可", "专利许可", "许可使用":
		return ModeLicense, true
	case "技术入股", "入股":
		return ModeEquity, true
	case "合作", "联合开发", "技术开发":
		return ModeJoint, true
	}
	return "", false
}

// ParseTransferModes reads a list of modes separated by 、 , ， ; ； / or
// spaces; the error names the first one that is not a mode.
func ParseTransferModes(s string) ([]TransferMode, string) {
	var out []TransferMode
	for _, part := range splitList(s) {
		m, ok := ParseTransferMode(part)
		if !ok {
			return nil, part
		}
		if !containsMode(out, m) {
			out = append(out, m)
		}
	}
	return out, ""
}

func containsMode(ms []TransferMode, m TransferMode) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

// Name returns the mode's name in lang.
func (m TransferMode) Name(lang string) string {
	for _, n := range modeNames {
		if n.m == m {
			if strings.HasPrefix(lang, "en") {
				return n.en
			}
			return n.zh
		}
	}
	return string(m)
}

// splitList splits a list cell on the separators people use in Chinese and
// English lists.
func splitList(s string) []string {
	f := func(r rune) bool {
		return strings.ContainsRune("、,，;；/|", r) || r == ' ' || r == '\t' || r == '\n'
	}
	return strings.FieldsFunc(normalize(s), f)
}
