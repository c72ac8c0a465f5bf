package vector

import (
	"math"
	"math/bits"
	"strconv"

	"github.com/cockroachdb/apd/v3"
)

// Fixed-point decimals: m·10^-s in an int64. Most rows the float path
// leaves pending are exact ties (an amount of x.5 fen, a ratio exactly at
// its threshold) over values with a few decimals, which this arithmetic
// settles exactly and cheaply; an operation it cannot do exactly (an
// overflow, a quotient with no short decimal expansion) sends the row on to
// the decimal interpreter. Every result it gives is the exact value, which
// is also what the engine's 40-digit arithmetic computes for such inputs.

var pow10i = [19]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

type fixed struct {
	m int64
	s int32
}

func fixedOf(d *apd.Decimal) (fixed, bool) {
	if d.Form != apd.Finite || !d.Coeff.IsInt64() {
		return fixed{}, false
	}
	m := d.Coeff.Int64()
	if d.Negative {
		m = -m
	}
	s := -d.Exponent
	if s < 0 {
		if s < -18 {
			return fixed{}, m == 0
		}
		v, ok := mulPow10(m, -s)
		return fixed{m: v}, ok
	}
	return fixed{m: m, s: s}, s <= 36
}

// fixedOfFloat recovers the decimal of at most 15 significant digits whose
// nearest float64 is f.
func fixedOfFloat(f float64) (fixed, bool) {
	for s := int32(0); s <= 15; s++ {
		x := math.Round(f * pow10[s])
		if math.Abs(x) >= 1e15 {
			if s > 0 {
				return fixed{}, false
			}
			// A large number: its shortest representation gives the
			// decimal back.
			var d apd.Decimal
			if _, _, err := d.SetString(strconv.FormatFloat(f, 'g', -1, 64)); err != nil {
				return fixed{}, false
			}
			return fixedOf(&d)
		}
		if x/pow10[s] == f {
			return fixed{m: int64(x), s: s}, true
		}
	}
	return fixed{}, false
}

func (a fixed) decimal() *apd.Decimal { return apd.New(a.m, -a.s) }

func mulPow10(m int64, k int32) (int64, bool) {
	if m == 0 || k == 0 {
		return m, true
	}
	if k > 18 {
		return 0, false
	}
	neg := m < 0
	hi, lo := bits.Mul64(uint64(absInt(m)), pow10i[k])
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if neg {
		return -int64(lo), true
	}
	return int64(lo), true
}

func align(a, b fixed) (int64, int64, int32, bool) {
	switch {
	case a.s == b.s:
		return a.m, b.m, a.s, true
	case a.s < b.s:
		x, ok := mulPow10(a.m, b.s-a.s)
		return x, b.m, b.s, ok
	}
	y, ok := mulPow10(b.m, a.s-b.s)
	return a.m, y, a.s, ok
}

func fixedAdd(a, b fixed) (fixed, bool) {
	x, y, s, ok := align(a, b)
	if !ok {
		return fixed{}, false
	}
	r := x + y
	if (x >= 0) == (y >= 0) && (r >= 0) != (x >= 0) {
		return fixed{}, false
	}
	return fixed{m: r, s: s}, true
}

func fixedNeg(a fixed) (fixed, bool) {
	if a.m == math.MinInt64 {
		return fixed{}, false
	}
	return fixed{m: -a.m, s: a.s}, true
}

func fixedMul(a, b fixed) (fixed, bool) {
	hi, lo := bits.Mul64(uint64(absInt(a.m)), uint64(absInt(b.m)))
	if hi != 0 || lo > math.MaxInt64 || a.m == math.MinInt64 || b.m == math.MinInt64 {
		return fixed{}, false
	}
	m := int64(lo)
	if (a.m < 0) != (b.m < 0) {
		m = -m
	}
	r := fixed{m: m, s: a.s + b.s}
	for r.s > 0 && r.m%10 == 0 {
		r.m /= 10
		r.s--
	}
	return r, r.s <= 36
}

// fixedQuo divides exactly when the quotient has a short decimal expansion;
// b must not be zero.
func fixedQuo(a, b fixed) (fixed, bool) {
	if a.m == math.MinInt64 || b.m == math.MinInt64 {
		return fixed{}, false
	}
	num, den := uint64(absInt(a.m)), uint64(absInt(b.m))
	for k := int32(0); k <= 18; k++ {
		hi, lo := bits.Mul64(num, pow10i[k])
		if hi >= den {
			return fixed{}, false
		}
		q, r := bits.Div64(hi, lo, den)
		if r != 0 {
			continue
		}
		if q > math.MaxInt64 {
			return fixed{}, false
		}
		m := int64(q)
		if (a.m < 0) != (b.m < 0) {
			m = -m
		}
		res := fixed{m: m, s: a.s - b.s + k}
		if res.s < 0 {
			v, ok := mulPow10(res.m, -res.s)
			return fixed{m: v}, ok
		}
		return res, res.s <= 36
	}
	return fixed{}, false
}

func fixedCmp(a, b fixed) (int, bool) {
	x, y, _, ok := align(a, b)
	if !ok {
		return 0, false
	}
	return cmpInt(x, y), true
}

// fixedFen rounds to the fen, half-up (away from zero), as the engine.
func fixedFen(a fixed) (int64, bool) {
	if a.s <= 2 {
		return mulPow10(a.m, 2-a.s)
	}
	if a.s-2 > 18 {
		return 0, false
	}
	d := int64(pow10i[a.s-2])
	q, r := a.m/d, a.m%d
	if 2*absInt(r) >= d {
		if a.m < 0 {
			q--
		} else {
			q++
		}
	}
	return q, true
}
