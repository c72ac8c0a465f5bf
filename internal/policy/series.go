package policy

import (
	"reflect"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// A field with periods is, in expressions, a series: a value of type
// annual(T), quarterly(T) or monthly(T) whose accessors (last_year(),
// tax_month() …) read one period relative to the evaluation date. The
// accessors exist only for their own shape, so that an annual accessor on a
// monthly field is a type error when the policy is loaded.

func seriesType(shape facts.Shape, elem *cel.Type) *cel.Type {
	switch shape {
	case facts.Annual:
		return cel.OpaqueType("annual", elem)
	case facts.Quarterly:
		return cel.OpaqueType("quarterly", elem)
	case facts.Monthly:
		return cel.OpaqueType("monthly", elem)
	}
	return elem
}

// seriesVal is the value of a series field during one evaluation. Each
// evaluator makes one per field, once, and reuses it.
type seriesVal struct {
	ev *Evaluator
	f  *fieldInfo
}

func (s *seriesVal) ConvertToNative(reflect.Type) (any, error) {
	return nil, errConversion("a native value: read one period of the series first")
}

func (s *seriesVal) ConvertToType(t ref.Type) ref.Val {
	return types.NewErr("a %s series cannot be converted to %s", s.f.field.Shape, t.TypeName())
}

func (s *seriesVal) Equal(ref.Val) ref.Val { return types.False }
func (s *seriesVal) Type() ref.Type        { return s.f.varType }
func (s *seriesVal) Value() any            { return s }

// periodArg checks an int argument of an accessor: a count of periods or an
// offset, bounded so that no rule iterates without end.
func periodArg(v ref.Val, lo, hi int64, what string) (int, ref.Val) {
	n, ok := v.(types.Int)
	if !ok {
		return 0, types.MaybeNoSuchOverloadErr(v)
	}
	if int64(n) < lo || int64(n) > hi {
		return 0, types.NewErr("%s must be from %d to %d, not %d", what, lo, hi, int64(n))
	}
	return int(n), nil
}

// maxPeriods bounds lists, sums and offsets of periods: twenty years of months.
const maxPeriods = 240

// seriesFunctions declares the accessors and binds them to the evaluator
// that made the receiver.
func seriesFunctions() []cel.EnvOption {
	t := cel.TypeParamType("T")
	annual, quarterly, monthly := seriesType(facts.Annual, t), seriesType(facts.Quarterly, t), seriesType(facts.Monthly, t)
	annualDec, monthlyDec := seriesType(facts.Annual, decimalType), seriesType(facts.Monthly, decimalType)
	list := cel.ListType(t)
	unary := func(read func(s *seriesVal) ref.Val) cel.OverloadOpt {
		return cel.UnaryBinding(func(v ref.Val) ref.Val { return read(v.(*seriesVal)) })
	}
	withN := func(lo, hi int64, what string, read func(s *seriesVal, n int) ref.Val) cel.OverloadOpt {
		return cel.BinaryBinding(func(v, arg ref.Val) ref.Val {
			n, bad := periodArg(arg, lo, hi, what)
			if bad != nil {
				return bad
			}
			return read(v.(*seriesVal), n)
		})
	}
	withTwo := func(read func(s *seriesVal, a, b int) ref.Val, checkA, checkB func(ref.Val) (int, ref.Val)) cel.OverloadOpt {
		return cel.FunctionBinding(func(args ...ref.Val) ref.Val {
			a, bad := checkA(args[1])
			if bad != nil {
				return bad
			}
			b, bad := checkB(args[2])
			if bad != nil {
				return bad
			}
			return read(args[0].(*seriesVal), a, b)
		})
	}
	year := func(v ref.Val) (int, ref.Val) { return periodArg(v, 1900, 2999, "a year") }
	month := func(v ref.Val) (int, ref.Val) { return periodArg(v, 1, 12, "a month") }
	quarter := func(v ref.Val) (int, ref.Val) { return periodArg(v, 1, 4, "a quarter") }

	return []cel.EnvOption{
		// annual
		cel.Function("last_year", cel.MemberOverload("annual_last_year", []*cel.Type{annual}, t,
			unary(func(s *seriesVal) ref.Val { return s.ev.read(s.f, facts.Year(s.ev.lastYear)) }))),
		cel.Function("years_ago", cel.MemberOverload("annual_years_ago", []*cel.Type{annual, cel.IntType}, t,
			withN(1, maxPeriods, "years_ago", func(s *seriesVal, k int) ref.Val {
				return s.ev.read(s.f, facts.Year(s.ev.lastYear+1-k))
			}))),
		cel.Function("in_year", cel.MemberOverload("annual_in_year", []*cel.Type{annual, cel.IntType}, t,
			withN(1900, 2999, "in_year", func(s *seriesVal, y int) ref.Val { return s.ev.read(s.f, facts.Year(y)) }))),
		cel.Function("last_years", cel.MemberOverload("annual_last_years", []*cel.Type{annual, cel.IntType}, list,
			withN(1, maxPeriods, "last_years", func(s *seriesVal, n int) ref.Val {
				return s.ev.readList(s.f, facts.Year(s.ev.lastYear-n+1), n)
			}))),
		cel.Function("sum_years", cel.MemberOverload("annual_sum_years", []*cel.Type{annualDec, cel.IntType}, decimalType,
			withN(1, maxPeriods, "sum_years", func(s *seriesVal, n int) ref.Val {
				return s.ev.readSum(s.f, facts.Year(s.ev.lastYear-n+1), n, false)
			}))),
		cel.Function("avg_years", cel.MemberOverload("annual_avg_years", []*cel.Type{annualDec, cel.IntType}, decimalType,
			withN(1, maxPeriods, "avg_years", func(s *seriesVal, n int) ref.Val {
				return s.ev.readSum(s.f, facts.Year(s.ev.lastYear-n+1), n, true)
			}))),
		// quarterly
		cel.Function("quarter_of_last_year", cel.MemberOverload("quarterly_quarter_of_last_year", []*cel.Type{quarterly, cel.IntType}, t,
			withN(1, 4, "quarter_of_last_year", func(s *seriesVal, q int) ref.Val {
				return s.ev.read(s.f, facts.Quarter(s.ev.lastYear, q))
			}))),
		cel.Function("quarters_of_last_year", cel.MemberOverload("quarterly_quarters_of_last_year", []*cel.Type{quarterly}, list,
			unary(func(s *seriesVal) ref.Val { return s.ev.readList(s.f, facts.Quarter(s.ev.lastYear, 1), 4) }))),
		cel.Function("in_quarter", cel.MemberOverload("quarterly_in_quarter", []*cel.Type{quarterly, cel.IntType, cel.IntType}, t,
			withTwo(func(s *seriesVal, y, q int) ref.Val { return s.ev.read(s.f, facts.Quarter(y, q)) }, year, quarter))),
		// monthly
		cel.Function("tax_month", cel.MemberOverload("monthly_tax_month", []*cel.Type{monthly}, t,
			unary(func(s *seriesVal) ref.Val { return s.ev.read(s.f, s.ev.taxMonth) }))),
		cel.Function("months_back", cel.MemberOverload("monthly_months_back", []*cel.Type{monthly, cel.IntType}, t,
			withN(0, maxPeriods, "months_back", func(s *seriesVal, k int) ref.Val {
				return s.ev.read(s.f, s.ev.taxMonth.AddMonths(-k))
			}))),
		cel.Function("prior_december", cel.MemberOverload("monthly_prior_december", []*cel.Type{monthly}, t,
			unary(func(s *seriesVal) ref.Val { return s.ev.read(s.f, facts.Month(s.ev.taxMonth.Year-1, 12)) }))),
		cel.Function("in_month", cel.MemberOverload("monthly_in_month", []*cel.Type{monthly, cel.IntType, cel.IntType}, t,
			withTwo(func(s *seriesVal, y, m int) ref.Val { return s.ev.read(s.f, facts.Month(y, m)) }, year, month))),
		cel.Function("last_months", cel.MemberOverload("monthly_last_months", []*cel.Type{monthly, cel.IntType}, list,
			withN(1, maxPeriods, "last_months", func(s *seriesVal, n int) ref.Val {
				return s.ev.readList(s.f, s.ev.taxMonth.AddMonths(1-n), n)
			}))),
		cel.Function("sum_months", cel.MemberOverload("monthly_sum_months", []*cel.Type{monthlyDec, cel.IntType}, decimalType,
			withN(1, maxPeriods, "sum_months", func(s *seriesVal, n int) ref.Val {
				return s.ev.readSum(s.f, s.ev.taxMonth.AddMonths(1-n), n, false)
			}))),
		cel.Function("avg_months", cel.MemberOverload("monthly_avg_months", []*cel.Type{monthlyDec, cel.IntType}, decimalType,
			withN(1, maxPeriods, "avg_months", func(s *seriesVal, n int) ref.Val {
				return s.ev.readSum(s.f, s.ev.taxMonth.AddMonths(1-n), n, true)
			}))),
	}
}

// next returns the period after p, of the same shape.
func next(p facts.Period) facts.Period {
	switch p.Shape {
	case facts.Monthly:
		return p.AddMonths(1)
	case facts.Quarterly:
		return p.AddQuarters(1)
	}
	return facts.Year(p.Year + 1)
}

// listSizeFunctions are the accessors that return lists, with how to know
// their length for the static cost estimate.
var listSizeFunctions = map[string]func(args []int64) uint64{
	"last_years":            func(a []int64) uint64 { return uint64(a[0]) },
	"last_months":           func(a []int64) uint64 { return uint64(a[0]) },
	"quarters_of_last_year": func([]int64) uint64 { return 4 },
}
