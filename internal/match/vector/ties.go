package vector

import (
	"math"
	"math/big"
	"math/bits"

	"github.com/cockroachdb/apd/v3"
)

// Ties. A ratio of whole numbers compared with a decimal threshold is the
// commonest row the float bounds cannot settle: 3 of 30 staff is 0.1 to
// the engine, a float near it to the pass, and the comparison 3/30 >= 0.10
// is a tie the bound cannot decide. Such rows used to go to the exact path,
// which interprets the whole policy for the row in decimal. Here they are
// decided where they are compared, in integer arithmetic: each side is a
// fraction n/d of 64-bit integers — a whole number the pass holds exactly,
// a decimal constant, or one division of two such — and at most one side is
// a division.
//
// Why this is the engine's decision: the engine computes a division to 40
// significant digits (half-up) and every other side here exactly. When the
// fraction N/D equals the threshold c = m/10^k, the division terminates
// within 40 digits and the engine's value is c: equal. When it does not,
// |N/D - c| >= 1/(D·10^k), while the engine's rounding moves N/D by at most
// |N/D|·5e-40; as |N|·10^k < 2^63·10^18 < 2e39, the rounding is smaller
// than the gap and cannot change the side of c the value is on.

// frac is n/d with d > 0.
type frac struct {
	n, d int64
	div  bool // the result of a division (the engine rounds it)
}

// maxTieDen bounds the denominators of decimal constants: 10^18.
const maxTieDen = 1_000_000_000_000_000_000

// fracOf returns the exact value of node id at row r (of the window) as a
// fraction, when it is one of the forms above and known.
func (w *worker) fracOf(id int32, r int, depth int) (frac, bool) {
	b := &w.bufs[id]
	k, bit := r>>6, uint64(1)<<(uint(r)&63)
	if (b.unk[k]|b.err[k]|b.unc[k])&bit != 0 {
		return frac{}, false
	}
	nd := &w.p.nodes[id]
	switch nd.op {
	case opConst:
		switch nd.typ {
		case vDec:
			return decFrac(nd.dec)
		case vInt:
			return frac{n: nd.i, d: 1}, true
		}
		return frac{}, false
	case opCond:
		if w.bufs[nd.args[0]].b[k]&bit != 0 {
			return w.fracOf(nd.args[1], r, depth)
		}
		return w.fracOf(nd.args[2], r, depth)
	case opIfMissing:
		if w.bufs[nd.args[0]].unk[k]&bit != 0 {
			return w.fracOf(nd.args[1], r, depth)
		}
		return w.fracOf(nd.args[0], r, depth)
	case opToDec:
		if x := w.bufs[nd.args[0]].i[r]; x < 1<<53 && x > -(1<<53) {
			return frac{n: x, d: 1}, true
		}
		return frac{}, false
	case opDiv:
		if depth > 0 {
			return frac{}, false
		}
		x, ok1 := w.fracOf(nd.args[0], r, depth+1)
		y, ok2 := w.fracOf(nd.args[1], r, depth+1)
		if !ok1 || !ok2 || x.div || y.div || y.n == 0 {
			return frac{}, false
		}
		n, ok1 := mulInt64(x.n, y.d)
		d, ok2 := mulInt64(x.d, y.n)
		if !ok1 || !ok2 {
			return frac{}, false
		}
		if d < 0 {
			n, d = -n, -d
		}
		return frac{n: n, d: d, div: true}, true
	}
	if nd.typ == vDec && b.e[r] == 0 && whole(b.f[r]) {
		return frac{n: int64(b.f[r]), d: 1}, true
	}
	return frac{}, false
}

// decFrac is a decimal constant as a fraction m/10^k.
func decFrac(x *apd.Decimal) (frac, bool) {
	if x == nil || x.Form != apd.Finite || !x.Coeff.IsUint64() {
		return frac{}, false
	}
	c := x.Coeff.Uint64()
	if c >= 1<<62 {
		return frac{}, false
	}
	n, d := int64(c), int64(1)
	for e := x.Exponent; e > 0; e-- {
		if n > (1<<62)/10 {
			return frac{}, false
		}
		n *= 10
	}
	for e := x.Exponent; e < 0; e++ {
		if d >= maxTieDen {
			return frac{}, false
		}
		d *= 10
	}
	if x.Negative {
		n = -n
	}
	return frac{n: n, d: d}, true
}

// mulInt64 multiplies, false on overflow.
func mulInt64(a, b int64) (int64, bool) {
	hi, lo := bits.Mul64(uint64(absInt(a)), uint64(absInt(b)))
	if hi != 0 || lo >= 1<<63 || a == -1<<63 || b == -1<<63 {
		return 0, false
	}
	if (a < 0) != (b < 0) {
		return -int64(lo), true
	}
	return int64(lo), true
}

// cmpFrac compares two fractions exactly: -1, 0 or 1.
func cmpFrac(a, b frac) int {
	// a.n·b.d against b.n·a.d, each product as a sign and 128 bits.
	type wide struct {
		neg    bool
		hi, lo uint64
	}
	prod := func(n, d int64) wide {
		hi, lo := bits.Mul64(uint64(absInt(n)), uint64(d))
		return wide{n < 0 && (hi|lo) != 0, hi, lo}
	}
	x, y := prod(a.n, b.d), prod(b.n, a.d)
	mag := func(p, q wide) int { // |p| against |q|
		switch {
		case p.hi != q.hi:
			return cmpUint(p.hi, q.hi)
		default:
			return cmpUint(p.lo, q.lo)
		}
	}
	switch {
	case x.neg != y.neg:
		if x.neg {
			return -1
		}
		return 1
	case x.neg:
		return -mag(x, y)
	}
	return mag(x, y)
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// breakTies decides, in integer arithmetic, the rows of rows (word k
// holds rows k*64 …) that the float bounds left undecided in a comparison
// of nodes l and r, where both sides are exact fractions (see above).
func (w *worker) breakTies(l, r int32, rows *mask, lt, eq, gt *mask) {
	for k := range rows {
		for m := rows[k]; m != 0; m &= m - 1 {
			row := k*64 + bits.TrailingZeros64(m)
			a, ok1 := w.fracOf(l, row, 0)
			if !ok1 {
				continue
			}
			b, ok2 := w.fracOf(r, row, 0)
			if !ok2 || (a.div && b.div) {
				continue
			}
			bit := uint64(1) << (uint(row) & 63)
			switch cmpFrac(a, b) {
			case -1:
				lt[k] |= bit
			case 0:
				eq[k] |= bit
			default:
				gt[k] |= bit
			}
		}
	}
}

// nearMissTie decides a near miss the float bounds cannot (the value's
// relative distance from the threshold is the tolerance, or too close to
// it to tell) when both sides are exact fractions, as breakTies. The
// engine's near miss is rel = gap / |threshold| <= tolerance, with v = N/D,
// the gap and rel each rounded to 40 digits: together they move rel by
// less than 2e-39·(|v| + |t|)/|t|. Where rel is not the tolerance exactly
// (then every step terminates), it differs from it by at least
// 1/(D·|t.n|·tol.d), its denominator; the fractions decide when that
// distance is over twice the engine's rounding, and else leave the row to
// the exact path (false).
func (w *worker) nearMissTie(cp *critPlan, o *Outcomes, ci, row int) bool {
	r := row - w.lo
	v, ok1 := w.fracOf(cp.left, r, 0)
	t, ok2 := w.fracOf(cp.right, r, 0)
	tol, ok3 := decFrac(&cp.tol)
	if !ok1 || !ok2 || !ok3 || (v.div && t.div) {
		return false
	}
	if t.n == 0 {
		return true // a zero threshold: never a near miss
	}
	fv, ft := math.Abs(float64(v.n)/float64(v.d)), math.Abs(float64(t.n)/float64(t.d))
	if 4e-39*(fv+ft)/ft*float64(v.d)*math.Abs(float64(t.n))*float64(tol.d) >= 0.5 {
		return false
	}
	vr, tr := big.NewRat(v.n, v.d), big.NewRat(t.n, t.d)
	gap := new(big.Rat).Sub(tr, vr)
	if cp.op == "<" || cp.op == "<=" {
		gap.Neg(gap)
	}
	limit := new(big.Rat).Mul(big.NewRat(tol.n, tol.d), new(big.Rat).Abs(tr))
	if gap.Cmp(limit) <= 0 {
		o.NearMiss[row] = int8(ci)
	}
	return true
}
