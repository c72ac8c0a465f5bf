package policy

import (
	"errors"
	"reflect"
	"strconv"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"github.com/cockroachdb/apd/v3"
)

// decimalType is the CEL type of exact decimals, as the type checker knows
// it. Money and ratios are decimals so that no rule ever rounds through a
// binary float.
var decimalType = cel.OpaqueType("decimal")

// decimalRuntimeType is what decimal values report at run time: the same
// name, with the traits that let CEL's standard operators dispatch to them.
var decimalRuntimeType = types.NewObjectType("decimal",
	traits.AdderType|traits.SubtractorType|traits.MultiplierType|traits.DividerType|
		traits.NegatorType|traits.ComparerType)

// precision is the number of significant digits kept by division. Ratios
// are never rounded on purpose, but a quotient such as 1/3 needs a bound;
// 40 digits is far below a fen for any amount a park sees.
const precision = 40

// arith is the context of every decimal operation in expressions.
var arith = func() *apd.Context {
	c := apd.BaseContext.WithPrecision(precision)
	c.Rounding = apd.RoundHalfUp
	return c
}()

// decimalVal is a CEL value holding an exact decimal. Values are never
// modified after they are made: every operation allocates its result, so
// that a value read from a record or memoised may be shared.
type decimalVal struct{ d apd.Decimal }

var _ traits.Comparer = (*decimalVal)(nil)

// Bounds on the numbers that enter expressions (facts, parameters,
// literals). A park's money and counts are far inside them; a value such as
// 1E+99999, valid as a decimal, would make every operation on it slow, so it
// is an error instead.
const (
	maxDigits    = 50
	maxMagnitude = 30 // at most 10^30
	minExponent  = -40
)

// checkMagnitude reports a number outside the bounds above.
func checkMagnitude(d *apd.Decimal) error {
	if d.Form != apd.Finite {
		return errOutOfRange
	}
	if d.IsZero() {
		if d.Exponent < minExponent || d.Exponent > maxMagnitude {
			return errOutOfRange
		}
		return nil
	}
	digits := d.NumDigits()
	if digits > maxDigits || d.Exponent < minExponent || digits+int64(d.Exponent) > maxMagnitude+1 {
		return errOutOfRange
	}
	return nil
}

var errOutOfRange = errors.New("the number is beyond 10^30 or has more than 50 digits, out of the range rules compute with")

// checked wraps a number from outside (a fact, a literal), or an error
// when it is out of range.
func checked(d *apd.Decimal) ref.Val {
	if err := checkMagnitude(d); err != nil {
		return types.NewErr("a number is out of the range rules compute with (at most 10^30, 50 digits)")
	}
	return newDecimal(d)
}

func newDecimal(d *apd.Decimal) *decimalVal {
	v := &decimalVal{}
	v.d.Set(d)
	return v
}

func decimalFromInt(i int64) *decimalVal {
	v := &decimalVal{}
	v.d.SetInt64(i)
	return v
}

// decimalFromDouble converts a double through its shortest decimal text, so
// that the literal 0.05 in a rule is exactly 0.05 and not the binary float
// nearest to it.
func decimalFromDouble(f float64) ref.Val {
	v := &decimalVal{}
	if _, _, err := v.d.SetString(strconv.FormatFloat(f, 'g', -1, 64)); err != nil || v.d.Form != apd.Finite {
		return types.NewErr("%v is not a finite number", f)
	}
	return checked(&v.d)
}

func decimalFromString(s string) ref.Val {
	v := &decimalVal{}
	if len(s) > 2*maxDigits {
		return types.NewErr("%q is out of the range rules compute with", s)
	}
	if _, _, err := v.d.SetString(s); err != nil || v.d.Form != apd.Finite {
		return types.NewErr("%q is not a decimal number", s)
	}
	return checked(&v.d)
}

// ConvertToNative implements ref.Val.
func (v *decimalVal) ConvertToNative(typeDesc reflect.Type) (any, error) {
	switch typeDesc {
	case reflect.TypeFor[*apd.Decimal]():
		return &v.d, nil
	case reflect.TypeFor[string]():
		return v.d.Text('f'), nil
	}
	return nil, errConversion(typeDesc.String())
}

type errConversion string

func (e errConversion) Error() string { return "decimal cannot be converted to " + string(e) }

// ConvertToType implements ref.Val.
func (v *decimalVal) ConvertToType(t ref.Type) ref.Val {
	switch t.TypeName() {
	case "decimal":
		return v
	case types.StringType.TypeName():
		return types.String(v.d.Text('f'))
	case types.TypeType.TypeName():
		return decimalType
	}
	return types.NewErr("type conversion error from decimal to %s", t.TypeName())
}

// Equal implements ref.Val: decimals are equal by value, whatever their
// exponent (1.50 == 1.5).
func (v *decimalVal) Equal(other ref.Val) ref.Val {
	o, ok := other.(*decimalVal)
	if !ok {
		return types.False
	}
	return types.Bool(v.d.Cmp(&o.d) == 0)
}

// Type implements ref.Val.
func (v *decimalVal) Type() ref.Type { return decimalRuntimeType }

// Value implements ref.Val.
func (v *decimalVal) Value() any { return &v.d }

// The operators below receive decimals on both sides: the promotion pass
// (promote.go) turns an int or literal beside a decimal into a decimal when
// the policy is loaded.

func operand(other ref.Val) (*decimalVal, ref.Val) {
	o, ok := other.(*decimalVal)
	if !ok {
		return nil, types.MaybeNoSuchOverloadErr(other)
	}
	return o, nil
}

func result(r *decimalVal, _ apd.Condition, err error) ref.Val {
	if err != nil {
		return types.NewErr("decimal arithmetic: %v", err)
	}
	if r.d.Form != apd.Finite {
		return types.NewErr("decimal arithmetic: the result is not a finite number")
	}
	return r
}

// Add implements traits.Adder.
func (v *decimalVal) Add(other ref.Val) ref.Val {
	o, bad := operand(other)
	if bad != nil {
		return bad
	}
	r := &decimalVal{}
	c, err := arith.Add(&r.d, &v.d, &o.d)
	return result(r, c, err)
}

// Subtract implements traits.Subtractor.
func (v *decimalVal) Subtract(other ref.Val) ref.Val {
	o, bad := operand(other)
	if bad != nil {
		return bad
	}
	r := &decimalVal{}
	c, err := arith.Sub(&r.d, &v.d, &o.d)
	return result(r, c, err)
}

// Multiply implements traits.Multiplier.
func (v *decimalVal) Multiply(other ref.Val) ref.Val {
	o, bad := operand(other)
	if bad != nil {
		return bad
	}
	r := &decimalVal{}
	c, err := arith.Mul(&r.d, &v.d, &o.d)
	return result(r, c, err)
}

// Divide implements traits.Divider. Division by zero is an error, which
// makes the criterion that needs it unknown rather than passing or failing.
func (v *decimalVal) Divide(other ref.Val) ref.Val {
	o, bad := operand(other)
	if bad != nil {
		return bad
	}
	if o.d.IsZero() {
		return types.NewErr("division by zero")
	}
	r := &decimalVal{}
	c, err := arith.Quo(&r.d, &v.d, &o.d)
	return result(r, c, err)
}

// Negate implements traits.Negater.
func (v *decimalVal) Negate() ref.Val {
	r := &decimalVal{}
	r.d.Neg(&v.d)
	return r
}

// Compare implements traits.Comparer.
func (v *decimalVal) Compare(other ref.Val) ref.Val {
	o, bad := operand(other)
	if bad != nil {
		return bad
	}
	return types.Int(v.d.Cmp(&o.d))
}

// toDecimal converts the numeric CEL values that mix with decimals.
func toDecimal(v ref.Val) ref.Val {
	switch x := v.(type) {
	case *decimalVal:
		return x
	case types.Int:
		return decimalFromInt(int64(x))
	case types.Uint:
		r := &decimalVal{}
		r.d.Coeff.SetUint64(uint64(x))
		return r
	case types.Double:
		return decimalFromDouble(float64(x))
	case types.String:
		return decimalFromString(string(x))
	}
	if types.IsUnknownOrError(v) {
		return v
	}
	return types.NewErr("%s is not a number", v.Type().TypeName())
}

// roundToFen rounds an amount half-up to two decimals: done once, at the end.
func roundToFen(d *apd.Decimal) *apd.Decimal {
	var r apd.Decimal
	if _, err := fenContext.Quantize(&r, d, -2); err != nil {
		return nil
	}
	return &r
}

var fenContext = func() *apd.Context {
	c := apd.BaseContext.WithPrecision(precision + 4)
	c.Rounding = apd.RoundHalfUp
	return c
}()
