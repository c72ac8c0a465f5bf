package policy

import (
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
)

const (
	fnDecimal = "decimal"
	fnDate    = "date"
)

// decimalFunctions declares the operators on decimals (their run-time
// dispatch is CEL's own, through the traits of decimalVal) and the
// functions on them.
func decimalFunctions() []cel.EnvOption {
	d := decimalType
	var opts []cel.EnvOption
	for _, op := range mixedOperators {
		result := d
		switch op {
		case "_<_", "_<=_", "_>_", "_>=_":
			result = cel.BoolType
		}
		name := operatorNames[op]
		opts = append(opts, cel.Function(op,
			cel.Overload(name+"_decimal_decimal", []*cel.Type{d, d}, result),
			cel.Overload(name+"_decimal_int", []*cel.Type{d, cel.IntType}, result),
			cel.Overload(name+"_int_decimal", []*cel.Type{cel.IntType, d}, result),
			cel.Overload(name+"_decimal_double", []*cel.Type{d, cel.DoubleType}, result),
			cel.Overload(name+"_double_decimal", []*cel.Type{cel.DoubleType, d}, result),
		))
	}
	opts = append(opts,
		cel.Function("-_", cel.Overload("negate_decimal", []*cel.Type{d}, d)),
		cel.Function(fnDecimal,
			cel.Overload("decimal_from_int", []*cel.Type{cel.IntType}, d, cel.UnaryBinding(toDecimal)),
			cel.Overload("decimal_from_double", []*cel.Type{cel.DoubleType}, d, cel.UnaryBinding(toDecimal)),
			cel.Overload("decimal_from_string", []*cel.Type{cel.StringType}, d, cel.UnaryBinding(toDecimal)),
			cel.Overload("decimal_from_decimal", []*cel.Type{d}, d, cel.UnaryBinding(toDecimal)),
		),
		cel.Function("min", mixedPairOverloads("min", func(c int) bool { return c <= 0 })...),
		cel.Function("max", mixedPairOverloads("max", func(c int) bool { return c >= 0 })...),
		cel.Function("abs", cel.Overload("abs_decimal", []*cel.Type{d}, d, cel.UnaryBinding(func(v ref.Val) ref.Val {
			x := v.(*decimalVal)
			if x.d.Negative {
				return x.Negate()
			}
			return x
		}))),
		cel.Function("sum", cel.Overload("sum_decimal_list", []*cel.Type{cel.ListType(d)}, d, cel.UnaryBinding(sumList))),
		cel.Function("if_missing", ifMissingOverloads()...),
	)
	return opts
}

var operatorNames = map[string]string{
	"_+_": "add", "_-_": "subtract", "_*_": "multiply", "_/_": "divide",
	"_<_": "less", "_<=_": "less_equals", "_>_": "greater", "_>=_": "greater_equals",
}

// mixedPairOverloads declares f(a, b) for decimals with ints and literals
// mixed in, returning a when keepFirst(compare(a, b)).
func mixedPairOverloads(name string, keepFirst func(int) bool) []cel.FunctionOpt {
	d := decimalType
	pick := cel.BinaryBinding(func(a, b ref.Val) ref.Val {
		x, y := toDecimal(a), toDecimal(b)
		if types.IsUnknownOrError(x) {
			return x
		}
		if types.IsUnknownOrError(y) {
			return y
		}
		if keepFirst(x.(*decimalVal).d.Cmp(&y.(*decimalVal).d)) {
			return x
		}
		return y
	})
	pickInt := cel.BinaryBinding(func(a, b ref.Val) ref.Val {
		if keepFirst(int(a.(traits.Comparer).Compare(b).(types.Int))) {
			return a
		}
		return b
	})
	return []cel.FunctionOpt{
		cel.Overload(name+"_decimal_decimal", []*cel.Type{d, d}, d, pick),
		cel.Overload(name+"_decimal_int", []*cel.Type{d, cel.IntType}, d, pick),
		cel.Overload(name+"_int_decimal", []*cel.Type{cel.IntType, d}, d, pick),
		cel.Overload(name+"_decimal_double", []*cel.Type{d, cel.DoubleType}, d, pick),
		cel.Overload(name+"_double_decimal", []*cel.Type{cel.DoubleType, d}, d, pick),
		cel.Overload(name+"_int_int", []*cel.Type{cel.IntType, cel.IntType}, cel.IntType, pickInt),
	}
}

func sumList(v ref.Val) ref.Val {
	l, ok := v.(traits.Lister)
	if !ok {
		return types.MaybeNoSuchOverloadErr(v)
	}
	total := ref.Val(decimalFromInt(0))
	for it := l.Iterator(); it.HasNext() == types.True; {
		total = total.(*decimalVal).Add(it.Next())
		if types.IsError(total) {
			return total
		}
	}
	return total
}

// ifMissingOverloads declares if_missing(x, default): non-strict, so that
// it receives an unknown x and replaces it. Errors (a division by zero) are
// not missing data and pass through.
func ifMissingOverloads() []cel.FunctionOpt {
	d := decimalType
	replace := func(convert func(ref.Val) ref.Val) cel.OverloadOpt {
		return cel.BinaryBinding(func(x, def ref.Val) ref.Val {
			if types.IsUnknown(x) {
				return convert(def)
			}
			return x
		})
	}
	same := func(v ref.Val) ref.Val { return v }
	var opts []cel.FunctionOpt
	for _, o := range []struct {
		id      string
		x, def  *cel.Type
		convert func(ref.Val) ref.Val
	}{
		{"if_missing_decimal", d, d, same},
		{"if_missing_decimal_int", d, cel.IntType, toDecimal},
		{"if_missing_decimal_double", d, cel.DoubleType, toDecimal},
		{"if_missing_int", cel.IntType, cel.IntType, same},
		{"if_missing_string", cel.StringType, cel.StringType, same},
		{"if_missing_bool", cel.BoolType, cel.BoolType, same},
		{"if_missing_timestamp", cel.TimestampType, cel.TimestampType, same},
	} {
		opts = append(opts, cel.Overload(o.id, []*cel.Type{o.x, o.def}, o.x, cel.OverloadIsNonStrict(), replace(o.convert)))
	}
	return opts
}

// dateFunctions declares date literals and whole-year and whole-month
// differences, the calendar arithmetic the policies need (registration age).
func dateFunctions() []cel.EnvOption {
	return []cel.EnvOption{
		cel.Function(fnDate, cel.Overload("date_from_string", []*cel.Type{cel.StringType}, cel.TimestampType,
			cel.UnaryBinding(func(v ref.Val) ref.Val {
				s, ok := v.(types.String)
				if !ok {
					return types.MaybeNoSuchOverloadErr(v)
				}
				t, err := time.Parse(time.DateOnly, string(s))
				if err != nil {
					return types.NewErr("%q is not a date (want YYYY-MM-DD)", string(s))
				}
				return types.Timestamp{Time: t}
			}))),
		cel.Function("years_between", cel.Overload("years_between_timestamps", []*cel.Type{cel.TimestampType, cel.TimestampType}, cel.IntType,
			cel.BinaryBinding(func(a, b ref.Val) ref.Val {
				return types.Int(monthsBetween(a.(types.Timestamp).Time, b.(types.Timestamp).Time) / 12)
			}))),
		cel.Function("months_between", cel.Overload("months_between_timestamps", []*cel.Type{cel.TimestampType, cel.TimestampType}, cel.IntType,
			cel.BinaryBinding(func(a, b ref.Val) ref.Val {
				return types.Int(monthsBetween(a.(types.Timestamp).Time, b.(types.Timestamp).Time))
			}))),
		// Calendar days, for rules that count them ("注册成立365个日历天数以上"):
		// a year counted in days is not the anniversary across 29 February.
		cel.Function("days_between", cel.Overload("days_between_timestamps", []*cel.Type{cel.TimestampType, cel.TimestampType}, cel.IntType,
			cel.BinaryBinding(func(a, b ref.Val) ref.Val {
				return types.Int(daysBetween(a.(types.Timestamp).Time, b.(types.Timestamp).Time))
			}))),
	}
}

// daysBetween counts calendar days from a to b; negative when b is before a.
func daysBetween(a, b time.Time) int {
	day := func(t time.Time) int64 {
		y, m, d := t.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
	}
	return int(day(b) - day(a))
}

// monthsBetween counts whole months from a to b by the anniversary rule: from
// 2021-01-31 to 2021-02-28 is 0 months, to 2021-03-01 is 1; a year is complete
// on its anniversary (2016-05-12 to 2017-05-12 is 12 months). Negative when b
// is before a.
func monthsBetween(a, b time.Time) int {
	if b.Before(a) {
		return -monthsBetween(b, a)
	}
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	n := (by-ay)*12 + int(bm) - int(am)
	if bd < ad {
		n--
	}
	return n
}
