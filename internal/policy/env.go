package policy

import (
	"fmt"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types/ref"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// The names every expression may use besides the dictionary's fields.
const (
	nameUSCC           = "uscc"
	nameIndustry       = "industry"
	nameRegisteredOn   = "registered_on"
	nameOn             = "on"
	nameTaxMonth       = "tax_month"     // the first day of the tax month (税款所属期)
	nameFilingPeriod   = "filing_period" // the first day of the filing period (纳税申报期): on's month
	nameLastFiscalYear = "last_fiscal_year"
	nameLastYearEnd    = "last_fiscal_year_end" // 31 December of the last fiscal year
	// Bound only in a criterion's near_miss.money expression.
	nameValue     = "value"
	nameThreshold = "threshold"
	nameGap       = "gap"
)

// Record attributes that are not dictionary facts but are read like them;
// they appear under these names in missing lists and in Policy.Fields.
const (
	attrIndustryCode = "industry_code"
	attrRegisteredOn = "registered_on"
	fieldSize        = "enterprise_size"
)

// Limits on expressions, so that no rule can run away or exhaust memory.
const (
	maxExpressionLength     = 4000
	maxComprehensionNesting = 2
	// defaultCostLimit bounds every expression's cost, estimated when it is
	// loaded and enforced when it runs. A rule over 240 months costs a few
	// thousand; only nested iteration reaches the limit.
	defaultCostLimit = 100_000
)

// fieldInfo is a dictionary field as expressions see it.
type fieldInfo struct {
	field   *facts.Field
	index   int
	elem    *cel.Type // type of one value: decimal, string or bool
	varType *cel.Type // elem for timeless fields, else annual(elem) …
	absent  ref.Val   // the value an absent fact stands for (absent_means), or nil
	average *averageRule
}

// averageRule says how an annual average is read when it is not reported
// (reference/policies.md): from the quarters' start and end facts, else the
// average fact itself, else the plain annual fact.
type averageRule struct {
	qStart, qEnd, plain *fieldInfo
}

// fieldTable indexes the dictionary for expressions.
type fieldTable struct {
	byName map[string]*fieldInfo
	list   []*fieldInfo
}

func newFieldTable(dict *facts.Dictionary) (*fieldTable, error) {
	t := &fieldTable{byName: map[string]*fieldInfo{}}
	for i, f := range dict.Fields() {
		fi := &fieldInfo{field: f, index: i, elem: elemType(f.Type)}
		fi.varType = seriesType(f.Shape, fi.elem)
		if f.AbsentMeans != "" {
			v, err := f.ParseValue(f.AbsentMeans)
			if err != nil {
				return nil, fmt.Errorf("field %s: absent_means: %w", f.Name, err)
			}
			fi.absent = toCEL(v)
		}
		t.byName[f.Name] = fi
		t.list = append(t.list, fi)
	}
	for avg, parts := range map[string][3]string{
		"employees_avg":    {"employees_q_start", "employees_q_end", "employees"},
		"total_assets_avg": {"total_assets_q_start", "total_assets_q_end", "total_assets"},
	} {
		a, s, e, p := t.byName[avg], t.byName[parts[0]], t.byName[parts[1]], t.byName[parts[2]]
		if a == nil || s == nil || e == nil || p == nil {
			continue // a reduced dictionary (tests) may leave them out
		}
		a.average = &averageRule{qStart: s, qEnd: e, plain: p}
	}
	return t, nil
}

func elemType(t facts.Type) *cel.Type {
	switch {
	case t.Numeric():
		return decimalType
	case t == facts.Bool:
		return cel.BoolType
	}
	return cel.StringType
}

// baseEnv builds the environment shared by every policy of a library: the
// decimal type, the accessors, the dictionary's fields and the built-in
// names. Each policy extends it with its parameters and derived values.
func baseEnv(fields *fieldTable, lists *industryLists) (*cel.Env, error) {
	opts := []cel.EnvOption{
		cel.DefaultUTCTimeZone(true),
		cel.ParserExpressionSizeLimit(maxExpressionLength),
		cel.ParserRecursionLimit(100),
		cel.ASTValidators(exactnessValidator{}, cel.ValidateComprehensionNestingLimit(maxComprehensionNesting)),
		cel.Variable(nameUSCC, cel.StringType),
		cel.Variable(nameIndustry, industryType),
		cel.Variable(nameRegisteredOn, cel.TimestampType),
		cel.Variable(nameOn, cel.TimestampType),
		cel.Variable(nameTaxMonth, cel.TimestampType),
		cel.Variable(nameFilingPeriod, cel.TimestampType),
		cel.Variable(nameLastFiscalYear, cel.IntType),
		cel.Variable(nameLastYearEnd, cel.TimestampType),
	}
	for _, f := range fields.list {
		opts = append(opts, cel.Variable(f.field.Name, f.varType))
	}
	opts = append(opts, decimalFunctions()...)
	opts = append(opts, dateFunctions()...)
	opts = append(opts, seriesFunctions()...)
	opts = append(opts, industryFunctions(lists)...)
	return cel.NewEnv(opts...)
}

// builtinNames are the names a policy may not use for a parameter or a
// derived value.
var builtinNames = map[string]bool{
	nameUSCC: true, nameIndustry: true, nameRegisteredOn: true, nameOn: true, nameTaxMonth: true, nameFilingPeriod: true,
	nameLastFiscalYear: true, nameLastYearEnd: true, nameValue: true, nameThreshold: true, nameGap: true,
	// CEL's reserved words and constants
	"true": true, "false": true, "null": true, "in": true, "as": true, "break": true, "const": true,
	"continue": true, "else": true, "for": true, "function": true, "if": true, "import": true,
	"let": true, "loop": true, "package": true, "namespace": true, "return": true, "var": true,
	"void": true, "while": true,
}
