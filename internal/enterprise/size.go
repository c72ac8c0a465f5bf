package enterprise

import (
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/parkdesk/parkdesk/internal/apperr"
)

// Size is the size class of an enterprise (企业规模) under
// 工信部联企业〔2011〕300号. Its values are those of the enterprise_size fact.
type Size string

// The size classes, largest first.
const (
	Large  Size = "large"  // 大型
	Medium Size = "medium" // 中型
	Small  Size = "small"  // 小型
	Micro  Size = "micro"  // 微型
)

// sizeBands are the classes reached by bounds, largest first; Micro is what
// remains.
var sizeBands = [3]Size{Large, Medium, Small}

var sizeNamesZh = map[Size]string{Large: "大型", Medium: "中型", Small: "小型", Micro: "微型"}

// NameZh returns the Chinese name of the class ("小型"), or "" for an
// unknown value.
func (s Size) NameZh() string { return sizeNamesZh[s] }

// ParseSize reads a size class as records and spreadsheets write it: the
// English value in any case ("Small") or the Chinese name, with or without
// 企业 ("小型", "小型企业").
func ParseSize(s string) (Size, error) {
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "large":
		return Large, nil
	case "medium":
		return Medium, nil
	case "small":
		return Small, nil
	case "micro":
		return Micro, nil
	}
	t = strings.TrimSuffix(t, "企业")
	for size, zh := range sizeNamesZh {
		if t == zh {
			return size, nil
		}
	}
	return "", apperr.Errorf(apperr.Invalid, "enterprise size %q is not one of large, medium, small, micro (大型, 中型, 小型, 微型)", s)
}

// SizeInputs are the indicators of 300号 for one enterprise: revenue
// (营业收入) and total assets (资产总额) in yuan, employees (从业人员) in
// persons. A nil field is unknown; the classifiers never read it as zero.
type SizeInputs struct {
	Revenue   *apd.Decimal
	Assets    *apd.Decimal
	Employees *int64
}

// The names under which missing indicators are reported: the fields of the
// data dictionary that hold them (reference/policies.md).
const (
	fieldRevenue     = "revenue"
	fieldVATSales    = "vat_sales"
	fieldEmployees   = "employees"
	fieldTotalAssets = "total_assets"
)

// ClassifySize returns the size class of an enterprise of the given
// GB/T 4754-2017 industry under 工信部联企业〔2011〕300号 (see
// size_standard.go for the table and how codes map to its industries).
//
// When an indicator the industry needs is unknown and the class depends on
// it, ClassifySize does not guess: it returns "" and the names of the
// unknown indicators ("revenue", "employees", "total_assets"). When the known
// indicators already decide (a manufacturer with 12 employees is micro
// whatever its revenue), it returns the class. Errors, *apperr.Error with
// code Invalid, are for an industry code that is invalid or too coarse to
// pick a row of the table, and for negative or non-finite inputs.
func ClassifySize(industryCode string, in SizeInputs) (Size, []string, error) {
	cat, err := sizeCategoryForCode(industryCode)
	if err != nil {
		return "", nil, err
	}
	return classifySize(cat, in, true, fieldRevenue)
}

// ClassifySizeForVATRefund returns the size class that the VAT credit refund
// uses (财政部 税务总局公告2022年第14号 Art. 8, extended to medium enterprises
// by 2022年第17号): the revenue and total-assets indicators of 300号 only,
// with in.Revenue holding the enterprise's annual VAT sales (增值税销售额)
// instead of its revenue; employees are not read. Industries that 300号
// classifies by employees alone (其他未列明行业), and those it does not list,
// use VAT sales: micro below 100万, small below 2000万, medium below 1亿.
// Missing VAT sales are reported as "vat_sales".
func ClassifySizeForVATRefund(industryCode string, in SizeInputs) (Size, []string, error) {
	cat, err := sizeCategoryForCode(industryCode)
	if err != nil {
		return "", nil, err
	}
	if cat.revenue == nil && cat.assets == nil {
		cat = outsideStandard
	}
	return classifySize(cat, in, false, fieldVATSales)
}

func sizeCategoryForCode(code string) (*sizeCategory, error) {
	if _, err := LookupIndustry(code); err != nil {
		return nil, err
	}
	cat, candidates := sizeCategoryOf(code)
	if cat == nil {
		names := make([]string, len(candidates))
		for i, c := range candidates {
			names[i] = c.nameEn
		}
		return nil, apperr.Errorf(apperr.Invalid,
			"industry code %q is too coarse for the size standard (工信部联企业〔2011〕300号): it covers %s, which have different thresholds; give the division, group or class",
			code, strings.Join(names, ", "))
	}
	return cat, nil
}

// classifySize applies the bounds of one industry with three-valued logic: a
// class is reached when every indicator is at or above its bound, missed when
// a known indicator is below it, and undetermined otherwise.
func classifySize(cat *sizeCategory, in SizeInputs, useEmployees bool, revenueField string) (Size, []string, error) {
	if err := checkSizeInputs(in, revenueField); err != nil {
		return "", nil, err
	}
	var missing []string
	if cat.revenue != nil && in.Revenue == nil {
		missing = append(missing, revenueField)
	}
	if useEmployees && cat.employees != nil && in.Employees == nil {
		missing = append(missing, fieldEmployees)
	}
	if cat.assets != nil && in.Assets == nil {
		missing = append(missing, fieldTotalAssets)
	}
	for band, size := range sizeBands {
		reached, unknown := true, false
		if cat.revenue != nil {
			r, u := atLeast(in.Revenue, cat.revenue[band])
			reached, unknown = reached && r, unknown || u
		}
		if cat.assets != nil {
			r, u := atLeast(in.Assets, cat.assets[band])
			reached, unknown = reached && r, unknown || u
		}
		if useEmployees && cat.employees != nil {
			switch {
			case in.Employees == nil:
				unknown = true
			case *in.Employees < cat.employees[band]:
				reached = false
			}
		}
		if !reached {
			continue
		}
		if unknown {
			return "", missing, nil
		}
		return size, nil, nil
	}
	return Micro, nil, nil
}

// atLeast compares an amount in yuan with a bound in 万元: reached is false
// only when the amount is known and below the bound.
func atLeast(v *apd.Decimal, boundWan int64) (reached, unknown bool) {
	if v == nil {
		return true, true
	}
	bound := wan(boundWan)
	return v.Cmp(&bound) >= 0, false
}

func checkSizeInputs(in SizeInputs, revenueField string) error {
	for _, f := range []struct {
		name string
		v    *apd.Decimal
	}{{revenueField, in.Revenue}, {fieldTotalAssets, in.Assets}} {
		if f.v == nil {
			continue
		}
		if f.v.Form != apd.Finite {
			return apperr.Errorf(apperr.Invalid, "%s must be a finite amount, got %s", f.name, f.v)
		}
		if f.v.Negative && !f.v.IsZero() {
			return apperr.Errorf(apperr.Invalid, "%s must not be negative, got %s", f.name, f.v)
		}
	}
	if in.Employees != nil && *in.Employees < 0 {
		return apperr.Errorf(apperr.Invalid, "%s must not be negative, got %d", fieldEmployees, *in.Employees)
	}
	return nil
}
