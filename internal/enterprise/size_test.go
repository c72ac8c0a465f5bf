package enterprise

import (
	"slices"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/parkdesk/parkdesk/internal/apperr"
)

// sizeCase is one enterprise to classify. Amounts are in yuan, written as
// decimals; "" and a nil employee count mean unknown.
type sizeCase struct {
	name      string
	code      string
	employees *int64
	revenue   string
	assets    string
	want      Size
	missing   []string
}

func persons(n int64) *int64 { return &n }

// amount parses a decimal amount in yuan; "" is unknown.
func amount(t *testing.T, s string) *apd.Decimal {
	t.Helper()
	if s == "" {
		return nil
	}
	d, _, err := apd.NewFromString(s)
	if err != nil {
		t.Fatalf("bad amount %q in test table: %v", s, err)
	}
	return d
}

func (c sizeCase) inputs(t *testing.T) SizeInputs {
	t.Helper()
	return SizeInputs{Revenue: amount(t, c.revenue), Assets: amount(t, c.assets), Employees: c.employees}
}

func runSizeCases(t *testing.T, classify func(string, SizeInputs) (Size, []string, error), cases []sizeCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, missing, err := classify(c.code, c.inputs(t))
			if err != nil {
				t.Fatalf("classify %s: %v", c.code, err)
			}
			if got != c.want || !slices.Equal(missing, c.missing) {
				t.Errorf("classify %s (employees %v, revenue %q, assets %q) = %q, missing %v; want %q, missing %v",
					c.code, deref(c.employees), c.revenue, c.assets, got, missing, c.want, c.missing)
			}
		})
	}
}

func deref(p *int64) any {
	if p == nil {
		return "unknown"
	}
	return *p
}

// The boundaries below are typed from the text of 工信部联企业〔2011〕300号
// Art. 4, not computed from the package's table: 1万 = 10,000 yuan.

func TestClassifySizeManufacturing(t *testing.T) {
	// 工业: 从业人员1000人以下或营业收入40000万元以下的为中小微型企业; 中型 300人且2000万;
	// 小型 20人且300万.
	runSizeCases(t, ClassifySize, []sizeCase{
		{"large at both bounds", "C3911", persons(1000), "400000000", "", Large, nil},
		{"one employee short of large", "C3911", persons(999), "400000000", "", Medium, nil},
		{"one fen short of large", "C3911", persons(1000), "399999999.99", "", Medium, nil},
		{"medium at both bounds", "C3911", persons(300), "20000000", "", Medium, nil},
		{"one employee short of medium", "C3911", persons(299), "20000000", "", Small, nil},
		{"one fen short of medium", "C3911", persons(300), "19999999.99", "", Small, nil},
		{"small at both bounds", "C3911", persons(20), "3000000", "", Small, nil},
		{"one employee short of small", "C3911", persons(19), "3000000", "", Micro, nil},
		{"one fen short of small", "C3911", persons(20), "2999999.99", "", Micro, nil},
		{"many staff, little revenue: micro", "C3911", persons(5000), "1000000", "", Micro, nil},
		{"few staff, large revenue: small, not large", "C3911", persons(200), "1000000000", "", Small, nil},
		{"nothing at all", "C3911", persons(0), "0", "", Micro, nil},
		{"mining is industry too", "B0610", persons(300), "20000000", "", Medium, nil},
		{"utilities are industry too", "D4415", persons(1000), "400000000", "", Large, nil},
		{"whole section C", "C", persons(20), "3000000", "", Small, nil},
		{"few staff decide without revenue", "C3911", persons(12), "", "", Micro, nil},
		{"low revenue decides without staff", "C3911", nil, "2999999.99", "", Micro, nil},
		{"revenue needed", "C3911", persons(500), "", "", "", []string{"revenue"}},
		{"staff needed", "C3911", nil, "500000000", "", "", []string{"employees"}},
		{"both needed", "C3911", nil, "", "", "", []string{"revenue", "employees"}},
		{"assets are not used", "C3911", persons(300), "20000000", "0", Medium, nil},
	})
}

func TestClassifySizeSoftwareAndIT(t *testing.T) {
	// 软件和信息技术服务业: 300人以下或10000万元以下; 中型 100人且1000万; 小型 10人且50万.
	runSizeCases(t, ClassifySize, []sizeCase{
		{"large at both bounds", "I6513", persons(300), "100000000", "", Large, nil},
		{"one employee short of large", "I6513", persons(299), "100000000", "", Medium, nil},
		{"one fen short of large", "I6513", persons(300), "99999999.99", "", Medium, nil},
		{"medium at both bounds", "I6513", persons(100), "10000000", "", Medium, nil},
		{"one employee short of medium", "I6513", persons(99), "10000000", "", Small, nil},
		{"one fen short of medium", "I6513", persons(100), "9999999.99", "", Small, nil},
		{"small at both bounds", "I6513", persons(10), "500000", "", Small, nil},
		{"one employee short of small", "I6513", persons(9), "500000", "", Micro, nil},
		{"one fen short of small", "I6513", persons(10), "499999.99", "", Micro, nil},
		{"IC design is software too", "I6520", persons(100), "10000000", "", Medium, nil},
		{"whole division", "I65", persons(10), "500000", "", Small, nil},
	})
}

func TestClassifySizeWholesale(t *testing.T) {
	// 批发业: 200人以下或40000万元以下; 中型 20人且5000万; 小型 5人且1000万.
	runSizeCases(t, ClassifySize, []sizeCase{
		{"large at both bounds", "F5176", persons(200), "400000000", "", Large, nil},
		{"one employee short of large", "F5176", persons(199), "400000000", "", Medium, nil},
		{"one fen short of large", "F5176", persons(200), "399999999.99", "", Medium, nil},
		{"medium at both bounds", "F5176", persons(20), "50000000", "", Medium, nil},
		{"one employee short of medium", "F5176", persons(19), "50000000", "", Small, nil},
		{"one fen short of medium", "F5176", persons(20), "49999999.99", "", Small, nil},
		{"small at both bounds", "F5176", persons(5), "10000000", "", Small, nil},
		{"one employee short of small", "F5176", persons(4), "10000000", "", Micro, nil},
		{"one fen short of small", "F5176", persons(5), "9999999.99", "", Micro, nil},
	})
}

func TestClassifySizeRetail(t *testing.T) {
	// 零售业: 300人以下或20000万元以下; 中型 50人且500万; 小型 10人且100万.
	runSizeCases(t, ClassifySize, []sizeCase{
		{"large at both bounds", "F5211", persons(300), "200000000", "", Large, nil},
		{"one employee short of large", "F5211", persons(299), "200000000", "", Medium, nil},
		{"one fen short of large", "F5211", persons(300), "199999999.99", "", Medium, nil},
		{"medium at both bounds", "F5211", persons(50), "5000000", "", Medium, nil},
		{"one employee short of medium", "F5211", persons(49), "5000000", "", Small, nil},
		{"one fen short of medium", "F5211", persons(50), "4999999.99", "", Small, nil},
		{"small at both bounds", "F5211", persons(10), "1000000", "", Small, nil},
		{"one employee short of small", "F5211", persons(9), "1000000", "", Micro, nil},
		{"one fen short of small", "F5211", persons(10), "999999.99", "", Micro, nil},
		{"online retail", "F5292", persons(10), "1000000", "", Small, nil},
	})
}

func TestClassifySizeRealEstateDevelopment(t *testing.T) {
	// 房地产开发经营: 营业收入200000万元以下或资产总额10000万元以下; 中型 1000万且5000万;
	// 小型 100万且2000万. Employees play no part.
	runSizeCases(t, ClassifySize, []sizeCase{
		{"large at both bounds", "K7010", nil, "2000000000", "100000000", Large, nil},
		{"one fen of assets short of large", "K7010", nil, "2000000000", "99999999.99", Medium, nil},
		{"one fen of revenue short of large", "K7010", nil, "1999999999.99", "100000000", Medium, nil},
		{"medium at both bounds", "K7010", nil, "10000000", "50000000", Medium, nil},
		{"one fen of revenue short of medium", "K7010", nil, "9999999.99", "50000000", Small, nil},
		{"one fen of assets short of medium", "K7010", nil, "10000000", "49999999.99", Small, nil},
		{"small at both bounds", "K7010", nil, "1000000", "20000000", Small, nil},
		{"one fen of revenue short of small", "K7010", nil, "999999.99", "20000000", Micro, nil},
		{"one fen of assets short of small", "K7010", nil, "1000000", "19999999.99", Micro, nil},
		{"the group code", "K701", persons(100000), "1000000", "20000000", Small, nil},
		{"low revenue decides without assets", "K7010", nil, "500000", "", Micro, nil},
		{"assets needed", "K7010", nil, "50000000", "", "", []string{"total_assets"}},
	})
}

func TestClassifySizeOtherUnlistedIndustries(t *testing.T) {
	// 其他未列明行业: 从业人员300人以下; 中型 100人; 小型 10人. Revenue plays no part.
	runSizeCases(t, ClassifySize, []sizeCase{
		{"large at the bound", "M7320", persons(300), "", "", Large, nil},
		{"one short of large", "M7320", persons(299), "1000000000000", "", Medium, nil},
		{"medium at the bound", "M7320", persons(100), "", "", Medium, nil},
		{"one short of medium", "M7320", persons(99), "", "", Small, nil},
		{"small at the bound", "M7320", persons(10), "", "", Small, nil},
		{"one short of small", "M7320", persons(9), "1000000000000", "", Micro, nil},
		{"environmental governance", "N7722", persons(100), "", "", Medium, nil},
		{"social work", "Q8512", persons(10), "", "", Small, nil},
		{"entertainment", "R9011", persons(9), "", "", Micro, nil},
		{"real-estate agency", "K7030", persons(300), "", "", Large, nil},
		{"staff needed", "M7320", nil, "5000000", "", "", []string{"employees"}},
	})
}

func TestClassifySizeIndustriesOutsideTheStandard(t *testing.T) {
	// reference/policies.md: micro VAT sales < 100万, small < 2000万, medium < 1亿.
	runSizeCases(t, ClassifySize, []sizeCase{
		{"large at the bound", "J6621", nil, "100000000", "", Large, nil},
		{"one fen short of large", "J6621", nil, "99999999.99", "", Medium, nil},
		{"medium at the bound", "J6621", nil, "20000000", "", Medium, nil},
		{"one fen short of medium", "J6621", nil, "19999999.99", "", Small, nil},
		{"small at the bound", "J6621", persons(5000), "1000000", "", Small, nil},
		{"one fen short of small", "J6621", nil, "999999.99", "", Micro, nil},
		{"rail transport", "G5311", nil, "20000000", "", Medium, nil},
		{"education", "P8341", nil, "1000000", "", Small, nil},
		{"hospitals", "Q8411", nil, "999999.99", "", Micro, nil},
		{"leasing of own property", "K7040", nil, "100000000", "", Large, nil},
		{"revenue needed", "J6621", persons(3), "", "", "", []string{"revenue"}},
	})
}

func TestClassifySizeOtherRowsOfTheTable(t *testing.T) {
	// One case at the medium bound and one just below it for every other row.
	runSizeCases(t, ClassifySize, []sizeCase{
		{"agriculture medium", "A0111", nil, "5000000", "", Medium, nil},
		{"agriculture small", "A0111", nil, "4999999.99", "", Small, nil},
		{"agriculture large", "A0511", nil, "200000000", "", Large, nil},
		{"agriculture micro", "A0111", nil, "499999.99", "", Micro, nil},
		{"construction medium", "E4710", nil, "60000000", "50000000", Medium, nil},
		{"construction small", "E4710", nil, "60000000", "49999999.99", Small, nil},
		{"construction large", "E48", nil, "800000000", "800000000", Large, nil},
		{"transport medium", "G5431", persons(300), "30000000", "", Medium, nil},
		{"transport small", "G5431", persons(300), "29999999.99", "", Small, nil},
		{"loading and handling is transport", "G5910", persons(20), "2000000", "", Small, nil},
		{"freight agency is transport", "G5821", persons(1000), "300000000", "", Large, nil},
		{"warehousing medium", "G5920", persons(100), "10000000", "", Medium, nil},
		{"warehousing small", "G5920", persons(99), "10000000", "", Small, nil},
		{"warehousing large", "G5941", persons(200), "300000000", "", Large, nil},
		{"postal medium", "G6020", persons(300), "20000000", "", Medium, nil},
		{"postal micro", "G6020", persons(20), "999999.99", "", Micro, nil},
		{"accommodation medium", "H6110", persons(100), "20000000", "", Medium, nil},
		{"accommodation small", "H6110", persons(100), "19999999.99", "", Small, nil},
		{"catering large", "H6210", persons(300), "100000000", "", Large, nil},
		{"catering micro", "H6210", persons(9), "100000000", "", Micro, nil},
		{"telecommunications medium", "I6311", persons(100), "10000000", "", Medium, nil},
		{"internet large needs 2000 staff", "I6421", persons(1999), "1000000000", "", Medium, nil},
		{"internet large", "I6421", persons(2000), "1000000000", "", Large, nil},
		{"property management medium", "K7020", persons(300), "10000000", "", Medium, nil},
		{"property management small", "K7020", persons(299), "10000000", "", Small, nil},
		{"property management micro", "K7020", persons(100), "4999999.99", "", Micro, nil},
		{"leasing and business services medium", "L7211", persons(100), "", "80000000", Medium, nil},
		{"leasing and business services small", "L7211", persons(100), "", "79999999.99", Small, nil},
		{"leasing and business services large", "L7111", persons(300), "", "1200000000", Large, nil},
		{"leasing and business services micro", "L7211", persons(9), "", "1200000000", Micro, nil},
	})
}

func TestClassifySizeForVATRefund(t *testing.T) {
	// 2022年第14号 Art. 8: the revenue and assets indicators only, revenue
	// read as annual VAT sales; the VAT-sales rule where 300号 uses neither.
	runSizeCases(t, ClassifySizeForVATRefund, []sizeCase{
		{"manufacturer, staff ignored", "C3911", persons(5000), "3000000", "", Small, nil},
		{"manufacturer one fen short of small", "C3911", nil, "2999999.99", "", Micro, nil},
		{"manufacturer medium", "C3911", persons(5), "20000000", "", Medium, nil},
		{"manufacturer large", "C3911", nil, "400000000", "", Large, nil},
		{"research uses VAT sales", "M7320", persons(500), "1000000", "", Small, nil},
		{"research one fen short of small", "M7320", nil, "999999.99", "", Micro, nil},
		{"research medium", "M7320", nil, "20000000", "", Medium, nil},
		{"research large", "M7320", nil, "100000000", "", Large, nil},
		{"leasing uses assets only", "L7211", persons(1), "", "1000000", Small, nil},
		{"finance uses VAT sales", "J6621", nil, "99999999.99", "", Medium, nil},
		{"VAT sales needed", "C3911", persons(10), "", "", "", []string{"vat_sales"}},
		{"assets needed", "L7211", nil, "", "", "", []string{"total_assets"}},
		{"real estate needs both", "K7010", nil, "", "", "", []string{"vat_sales", "total_assets"}},
	})
}

func TestSizeCategoryOf(t *testing.T) {
	tests := []struct {
		code, want string
	}{
		{"A", "agriculture"}, {"A0111", "agriculture"}, {"A0511", "agriculture"},
		{"B0610", "industry"}, {"C", "industry"}, {"C3911", "industry"}, {"D4411", "industry"},
		{"E4710", "construction"}, {"F51", "wholesale"}, {"F5211", "retail"},
		{"G53", "outside_standard"}, {"G5411", "transport"}, {"G58", "transport"}, {"G591", "transport"},
		{"G5920", "warehousing"}, {"G5990", "warehousing"}, {"G60", "postal"},
		{"H6110", "accommodation"}, {"H6242", "catering"},
		{"I63", "information_transmission"}, {"I6450", "information_transmission"}, {"I6520", "software_it"},
		{"J", "outside_standard"}, {"K7010", "real_estate_development"}, {"K7020", "property_management"},
		{"K7030", "other_unlisted"}, {"K7040", "outside_standard"}, {"K7090", "other_unlisted"},
		{"L", "leasing_business"}, {"M", "other_unlisted"}, {"N7722", "other_unlisted"}, {"O8111", "other_unlisted"},
		{"P", "outside_standard"}, {"Q8411", "outside_standard"}, {"Q85", "other_unlisted"},
		{"R90", "other_unlisted"}, {"S9221", "outside_standard"}, {"T", "outside_standard"},
	}
	for _, tt := range tests {
		cat, _ := sizeCategoryOf(tt.code)
		if cat == nil || cat.key != tt.want {
			t.Errorf("sizeCategoryOf(%s) = %v, want %s", tt.code, cat, tt.want)
		}
	}
	// Every class of the standard maps to exactly one row.
	for code := range industries.byCode {
		if len(code) == 5 {
			if cat, _ := sizeCategoryOf(code); cat == nil {
				t.Errorf("class %s maps to no row of the size standard", code)
			}
		}
	}
}

func TestClassifySizeRejects(t *testing.T) {
	tests := []struct {
		name string
		code string
		in   func(t *testing.T) SizeInputs
		want string
	}{
		{"coarse section G", "G", noInputs, `industry code "G" is too coarse for the size standard (工信部联企业〔2011〕300号): it covers industries outside the standard, transport (except rail), warehousing, postal services, which have different thresholds; give the division, group or class`},
		{"coarse division 59", "G59", noInputs, `industry code "G59" is too coarse for the size standard (工信部联企业〔2011〕300号): it covers transport (except rail), warehousing, which have different thresholds; give the division, group or class`},
		{"coarse division 70", "K70", noInputs, `industry code "K70" is too coarse for the size standard (工信部联企业〔2011〕300号): it covers real-estate development, property management, other unlisted industries, industries outside the standard, which have different thresholds; give the division, group or class`},
		{"coarse section F", "F", noInputs, `industry code "F" is too coarse for the size standard (工信部联企业〔2011〕300号): it covers wholesale, retail, which have different thresholds; give the division, group or class`},
		{"invalid code", "C3918", noInputs, `industry code "C3918": class 3918 does not exist in GB/T 4754-2017`},
		{"negative revenue", "C3911", func(t *testing.T) SizeInputs { return SizeInputs{Revenue: amount(t, "-1")} }, "revenue must not be negative, got -1"},
		{"negative assets", "K7010", func(t *testing.T) SizeInputs { return SizeInputs{Assets: amount(t, "-0.01")} }, "total_assets must not be negative, got -0.01"},
		{"negative staff", "C3911", func(t *testing.T) SizeInputs { return SizeInputs{Employees: persons(-3)} }, "employees must not be negative, got -3"},
		{"NaN revenue", "C3911", func(t *testing.T) SizeInputs { return SizeInputs{Revenue: amount(t, "NaN")} }, "revenue must be a finite amount, got NaN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ClassifySize(tt.code, tt.in(t))
			if err == nil {
				t.Fatalf("ClassifySize(%s) = nil error, want %q", tt.code, tt.want)
			}
			if got := apperr.MessageOf(err); got != tt.want || apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("ClassifySize(%s) error\n got  %s %q\n want invalid %q", tt.code, apperr.CodeOf(err), got, tt.want)
			}
		})
	}
}

func noInputs(*testing.T) SizeInputs { return SizeInputs{} }

func TestClassifySizeAcceptsNegativeZero(t *testing.T) {
	got, _, err := ClassifySize("C3911", SizeInputs{Revenue: amount(t, "-0"), Employees: persons(0)})
	if err != nil || got != Micro {
		t.Errorf("ClassifySize with revenue -0 = %q, %v; want micro", got, err)
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want Size
	}{
		{"large", Large}, {"Medium", Medium}, {" SMALL ", Small}, {"micro", Micro},
		{"大型", Large}, {"中型企业", Medium}, {"小型", Small}, {"微型企业", Micro},
	}
	for _, tt := range tests {
		got, err := ParseSize(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseSize(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if tt.want.NameZh() == "" {
			t.Errorf("%s has no Chinese name", tt.want)
		}
	}
	for _, in := range []string{"", "big", "sme", "中小型", "企业"} {
		_, err := ParseSize(in)
		if apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("ParseSize(%q) error = %v, want invalid input", in, err)
		}
	}
	if got := Small.NameZh(); got != "小型" {
		t.Errorf("Small.NameZh() = %q", got)
	}
}
