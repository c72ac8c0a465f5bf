package vector

import (
	"errors"
	"math"
	"math/bits"
	"strconv"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/policy"
)

var errNoRecords = errors.New("vector: a row needs its record (a policy the vector program does not support, or a value with more than 15 digits), and no record source was given")

// arith is the decimal context of the policy engine: 40 significant
// digits, half-up.
var arith = func() *apd.Context {
	c := apd.BaseContext.WithPrecision(40)
	c.Rounding = apd.RoundHalfUp
	return c
}()

// fenContext rounds amounts as the engine does, once, at the end.
var fenContext = func() *apd.Context {
	c := apd.BaseContext.WithPrecision(44)
	c.Rounding = apd.RoundHalfUp
	return c
}()

func roundDecimalFen(d *apd.Decimal) *apd.Decimal {
	var r apd.Decimal
	if _, err := fenContext.Quantize(&r, d, -2); err != nil {
		return nil
	}
	return &r
}

// xstate is a row's state at a node on the exact path.
type xstate uint8

const (
	xKnown xstate = iota
	xUnk
	xErr
)

type xval struct {
	st    xstate
	d     apd.Decimal // the apd mode's decimal
	x     fixed       // the fixed mode's decimal
	i     int64       // int, time, string code, industry index, bool (0/1)
	names uint64
}

// exact is the exact path: the program's nodes interpreted for one row in
// decimal arithmetic, with the engine's semantics. It is what a row falls
// back to when the float bounds cannot settle it.
type exact struct {
	p    *Program
	vals []xval
	// fixedMode computes decimals in fixed point; failed says an operation
	// could not, and the row is computed again with apd.
	fixedMode, failed bool
}

func (p *Program) newExact() *exact { return &exact{p: p, vals: make([]xval, len(p.nodes))} }

// amount computes the amount of an eligible row in fixed point; false when
// fixed point cannot, or the amount is not a known number.
func (x *exact) amount(plan *Plan, c *Chunk, row int) (int64, bool) {
	x.fixedMode, x.failed = true, false
	for _, id := range plan.amountNodes {
		x.eval(plan, c, row, id)
		if x.failed {
			return 0, false
		}
	}
	a := &x.vals[plan.amount]
	if a.st != xKnown {
		return 0, false
	}
	return fixedFen(a.x)
}

// row evaluates one policy for one row: in fixed point when it can,
// else with apd decimals.
func (x *exact) row(plan *Plan, c *Chunk, row int) *RowResult {
	x.fixedMode, x.failed = true, false
	if res := x.rowIn(plan, c, row); !x.failed {
		return res
	}
	x.fixedMode, x.failed = false, false
	return x.rowIn(plan, c, row)
}

func (x *exact) rowIn(plan *Plan, c *Chunk, row int) *RowResult {
	for _, id := range plan.nodes {
		x.eval(plan, c, row, id)
		if x.failed {
			return nil
		}
	}
	res := &RowResult{}
	failed, unknown := 0, 0
	var names uint64
	type critOut struct {
		st       uint8
		val, thr *apd.Decimal
	}
	outs := make([]critOut, len(plan.criteria))
	for ci := range plan.criteria {
		cp := &plan.criteria[ci]
		out := &outs[ci]
		co := CriterionOutcome{ID: cp.id, Op: cp.op}
		applies := true
		if cp.applies >= 0 {
			a := &x.vals[cp.applies]
			switch {
			case a.st == xKnown && a.i == 0:
				out.st, applies = csNA, false
			case a.st != xKnown:
				out.st, applies = csUnknown, false
				if a.st == xUnk {
					names |= a.names
				}
			}
		}
		if applies {
			if cp.op == "" {
				v := &x.vals[cp.whole]
				switch {
				case v.st == xKnown && v.i != 0:
					out.st = csPass
				case v.st == xKnown:
					out.st = csFail
				default:
					out.st = csUnknown
					if v.st == xUnk {
						names |= v.names
					}
				}
			} else {
				l, r := &x.vals[cp.left], &x.vals[cp.right]
				switch {
				case l.st == xUnk || r.st == xUnk:
					out.st = csUnknown
					if l.st == xUnk {
						names |= l.names
					}
					if r.st == xUnk {
						names |= r.names
					}
				case l.st == xErr || r.st == xErr:
					out.st = csUnknown
				default:
					out.val, out.thr = x.dec(l), x.dec(r)
					co.Value, co.Threshold = out.val.Text('f'), out.thr.Text('f')
					if compareOp(cp.op, x.cmp(l, r)) {
						out.st = csPass
					} else {
						out.st = csFail
					}
				}
			}
		}
		switch out.st {
		case csFail:
			failed++
		case csUnknown:
			unknown++
		}
		co.Status = critStatusName[out.st]
		res.Criteria = append(res.Criteria, co)
		if x.failed {
			return nil
		}
	}
	switch {
	case failed > 0:
		res.Status = policy.Ineligible
		if failed == 1 {
			for ci, out := range outs {
				if out.st != csFail {
					continue
				}
				cp := &plan.criteria[ci]
				if cp.op == "" || out.val == nil || out.thr.IsZero() {
					break
				}
				var gap, rel, abs apd.Decimal
				if cp.op == ">=" || cp.op == ">" {
					arith.Sub(&gap, out.thr, out.val)
				} else {
					arith.Sub(&gap, out.val, out.thr)
				}
				abs.Abs(out.thr)
				arith.Quo(&rel, &gap, &abs)
				if rel.Cmp(&cp.tol) <= 0 {
					res.NearMiss = cp.id
				}
				break
			}
		}
		names = 0
	case unknown > 0:
		res.Status = policy.Undetermined
	default:
		res.Status = policy.Eligible
		if plan.amount >= 0 {
			a := &x.vals[plan.amount]
			switch {
			case a.st == xKnown && x.fixedMode:
				fen, ok := fixedFen(a.x)
				if !ok {
					x.failed = true
					return nil
				}
				res.Amount = apd.New(fen, -2)
			case a.st == xKnown:
				if q := roundDecimalFen(&a.d); q != nil {
					res.Amount = q
				} else {
					res.Status = policy.Undetermined
				}
			case a.st == xUnk:
				res.Status = policy.Undetermined
				names |= a.names
			default:
				res.Status = policy.Undetermined
			}
		}
	}
	if res.Status == policy.Undetermined {
		res.Missing = plan.missingNames(names)
	} else {
		res.Missing = []string{}
	}
	return res
}

// missingNames lists the names of a missing-data bitmask, sorted.
func (plan *Plan) missingNames(m uint64) []string {
	out := []string{}
	for m != 0 {
		b := bits.TrailingZeros64(m)
		m &= m - 1
		if b < len(plan.names) {
			out = append(out, plan.names[b])
		}
	}
	return out
}

// leaf sets v to a value of the snapshot: the decimal its float gives back.
func (x *exact) leaf(f float64, v *xval) {
	if x.fixedMode {
		var ok bool
		if v.x, ok = fixedOfFloat(f); !ok {
			x.failed = true
		}
		return
	}
	v.d.SetString(strconv.FormatFloat(f, 'g', -1, 64))
}

func (x *exact) setConst(v *xval, d *apd.Decimal) {
	if x.fixedMode {
		var ok bool
		if v.x, ok = fixedOf(d); !ok {
			x.failed = true
		}
		return
	}
	v.d.Set(d)
}

// dec returns a known decimal value as an apd decimal.
func (x *exact) dec(v *xval) *apd.Decimal {
	if x.fixedMode {
		return v.x.decimal()
	}
	return &v.d
}

func (x *exact) cmp(l, r *xval) int {
	if x.fixedMode {
		c, ok := fixedCmp(l.x, r.x)
		if !ok {
			x.failed = true
		}
		return c
	}
	return l.d.Cmp(&r.d)
}

// arith2 computes a binary decimal operation into v; false for a division
// by zero.
func (x *exact) arith2(op opcode, v, l, r *xval) bool {
	if x.fixedMode {
		var ok bool
		switch op {
		case opAdd:
			v.x, ok = fixedAdd(l.x, r.x)
		case opSub:
			var n fixed
			if n, ok = fixedNeg(r.x); ok {
				v.x, ok = fixedAdd(l.x, n)
			}
		case opMul:
			v.x, ok = fixedMul(l.x, r.x)
		case opDiv:
			if r.x.m == 0 {
				return false
			}
			v.x, ok = fixedQuo(l.x, r.x)
		case opMin, opMax:
			var c int
			c, ok = fixedCmp(l.x, r.x)
			if (c <= 0) == (op == opMin) {
				v.x = l.x
			} else {
				v.x = r.x
			}
		}
		if !ok {
			x.failed = true
		}
		return true
	}
	var err error
	switch op {
	case opAdd:
		_, err = arith.Add(&v.d, &l.d, &r.d)
	case opSub:
		_, err = arith.Sub(&v.d, &l.d, &r.d)
	case opMul:
		_, err = arith.Mul(&v.d, &l.d, &r.d)
	case opDiv:
		if r.d.IsZero() {
			return false
		}
		_, err = arith.Quo(&v.d, &l.d, &r.d)
	case opMin:
		if l.d.Cmp(&r.d) <= 0 {
			v.d.Set(&l.d)
		} else {
			v.d.Set(&r.d)
		}
	case opMax:
		if l.d.Cmp(&r.d) >= 0 {
			v.d.Set(&l.d)
		} else {
			v.d.Set(&r.d)
		}
	}
	return err == nil && v.d.Form == apd.Finite
}

func (x *exact) eval(plan *Plan, c *Chunk, row int, id int32) {
	nd := &x.p.nodes[id]
	v := &x.vals[id]
	v.st, v.i, v.names, v.x = xKnown, 0, 0, fixed{}
	if !x.fixedMode {
		v.d.SetInt64(0)
	}
	arg := func(i int) *xval { return &x.vals[nd.args[i]] }
	unknownHere := func() {
		v.st = xUnk
		v.names = 1 << plan.nameBit[nd.name]
	}
	switch nd.op {
	case opConst:
		switch nd.typ {
		case vDec:
			x.setConst(v, nd.dec)
		default:
			v.i = nd.i
		}
	case opErrConst:
		v.st = xErr
	case opRead:
		if !getBit(c.present[nd.col], row) {
			if !nd.absent {
				unknownHere()
				return
			}
			switch nd.typ {
			case vDec:
				x.setConst(v, nd.dec)
			default:
				v.i = nd.i
			}
			return
		}
		switch nd.typ {
		case vDec:
			x.leaf(c.num[nd.col][row], v)
		case vBool:
			if getBit(c.bools[nd.col], row) {
				v.i = 1
			}
		case vStr:
			v.i = int64(c.strs[nd.col][row])
		}
	case opAverage:
		all := true
		for i := 0; i < 8; i++ {
			all = all && getBit(c.present[nd.cols[i]], row)
		}
		switch {
		case all:
			var t xval
			for q := 0; q < 4; q++ {
				for _, col := range [2]int32{nd.cols[q], nd.cols[4+q]} {
					x.leaf(c.num[col][row], &t)
					x.arith2(opAdd, v, v, &t)
				}
			}
			var eight xval
			x.setConst(&eight, apd.New(8, 0))
			x.arith2(opDiv, v, v, &eight)
		case getBit(c.present[nd.cols[8]], row):
			x.leaf(c.num[nd.cols[8]][row], v)
		case getBit(c.present[nd.cols[9]], row):
			x.leaf(c.num[nd.cols[9]][row], v)
		default:
			unknownHere()
		}
	case opSize:
		if !getBit(c.present[nd.col], row) {
			unknownHere()
			return
		}
		v.i = int64(c.strs[nd.col][row])
	case opIndustry:
		if c.industry[row] < 0 {
			unknownHere()
			return
		}
		v.i = int64(c.industry[row])
	case opRegistered:
		if c.registered[row] == 0 {
			unknownHere()
			return
		}
		v.i = c.registered[row]
	case opStartsWithUSCC:
		if strings.HasPrefix(c.USCC[row], nd.text) {
			v.i = 1
		}
	case opList, opSum, opAvgList:
		if x.varargs(nd, v) {
			return
		}
		if nd.op == opList {
			return
		}
		for _, a := range nd.args {
			x.arith2(opAdd, v, v, &x.vals[a])
		}
		if nd.op == opAvgList {
			var n xval
			x.setConst(&n, apd.New(int64(len(nd.args)), 0))
			x.arith2(opDiv, v, v, &n)
		}
	case opAdd, opSub, opMul, opDiv, opMin, opMax:
		if x.binary(nd, v) {
			return
		}
		l, r := arg(0), arg(1)
		if nd.typ == vInt {
			x.intOp(nd.op, l.i, r.i, v)
			return
		}
		if !x.arith2(nd.op, v, l, r) {
			v.st = xErr
		}
	case opNeg, opAbs, opToDec, opNot, opInSet, opInList, opSection, opDivision, opCode:
		a := arg(0)
		if a.st != xKnown {
			v.st, v.names = a.st, a.names
			return
		}
		switch nd.op {
		case opNeg:
			if nd.typ == vInt {
				if a.i == math.MinInt64 {
					v.st = xErr
				}
				v.i = -a.i
			} else if x.fixedMode {
				var ok bool
				if v.x, ok = fixedNeg(a.x); !ok {
					x.failed = true
				}
			} else {
				v.d.Neg(&a.d)
			}
		case opAbs:
			if x.fixedMode {
				var ok bool
				v.x = a.x
				if a.x.m < 0 {
					if v.x, ok = fixedNeg(a.x); !ok {
						x.failed = true
					}
				}
			} else {
				v.d.Abs(&a.d)
			}
		case opToDec:
			if x.fixedMode {
				v.x = fixed{m: a.i}
			} else {
				v.d.SetInt64(a.i)
			}
		case opNot:
			v.i = 1 - a.i
		case opInSet:
			for _, s := range nd.set {
				if int64(s) == a.i {
					v.i = 1
				}
			}
		case opInList:
			if m := c.view.member[nd.list]; a.i >= 0 && int(a.i) < len(m) && m[a.i] {
				v.i = 1
			}
		case opSection:
			v.i = int64(c.view.section[a.i])
		case opDivision:
			v.i = int64(c.view.div[a.i])
		case opCode:
			v.i = int64(c.view.code[a.i])
		}
	case opLess, opLessEq, opGreater, opGreaterEq, opEq, opNe:
		if nd.op == opEq || nd.op == opNe {
			if x.eq(nd, v) {
				return
			}
		} else if x.binary(nd, v) {
			return
		}
		l, r := arg(0), arg(1)
		var cmp int
		switch nd.argT {
		case vDec:
			cmp = x.cmp(l, r)
		case vBool, vStr:
			if l.i != r.i {
				cmp = 1
			}
		default:
			cmp = cmpInt(l.i, r.i)
		}
		var t bool
		switch nd.op {
		case opLess:
			t = cmp < 0
		case opLessEq:
			t = cmp <= 0
		case opGreater:
			t = cmp > 0
		case opGreaterEq:
			t = cmp >= 0
		case opEq:
			t = cmp == 0
		case opNe:
			t = cmp != 0
		}
		if t {
			v.i = 1
		}
	case opAnd, opOr:
		x.logic(nd.op == opAnd, nd.args, v)
	case opAll, opExists:
		rng := arg(0)
		if rng.st != xKnown {
			v.st, v.names = rng.st, rng.names
			return
		}
		x.logic(nd.op == opAll, nd.args[1:], v)
	case opCond:
		cnd := arg(0)
		if cnd.st != xKnown {
			v.st, v.names = cnd.st, cnd.names
			return
		}
		src := arg(2)
		if cnd.i != 0 {
			src = arg(1)
		}
		x.copyVal(v, src)
	case opIfMissing:
		src := arg(0)
		if src.st == xUnk {
			src = arg(1)
		}
		x.copyVal(v, src)
	case opDaysBetween:
		if x.binary(nd, v) {
			return
		}
		v.i = daysBetween(arg(0).i, arg(1).i)
	case opYearsBetween, opMonthsBetween:
		if x.binary(nd, v) {
			return
		}
		m := monthsBetween(arg(0).i, arg(1).i)
		if nd.op == opYearsBetween {
			m /= 12
		}
		v.i = m
	}
}

func (x *exact) copyVal(dst, src *xval) {
	dst.st, dst.i, dst.names, dst.x = src.st, src.i, src.names, src.x
	if !x.fixedMode {
		dst.d.Set(&src.d)
	}
}

// binary applies the state rule of CEL's strict binary calls; true when it
// settled the value.
func (x *exact) binary(nd *node, v *xval) bool {
	l, r := &x.vals[nd.args[0]], &x.vals[nd.args[1]]
	switch {
	case l.st == xErr:
		v.st = xErr
	case l.st == xUnk:
		v.st, v.names = xUnk, l.names
		if r.st == xUnk {
			v.names |= r.names
		}
	case r.st != xKnown:
		v.st, v.names = r.st, r.names
	default:
		return false
	}
	return true
}

// eq applies the state rule of CEL's == and !=.
func (x *exact) eq(nd *node, v *xval) bool {
	l, r := &x.vals[nd.args[0]], &x.vals[nd.args[1]]
	switch {
	case l.st == xErr || r.st == xErr:
		v.st = xErr
	case l.st == xUnk || r.st == xUnk:
		v.st = xUnk
		if l.st == xUnk {
			v.names |= l.names
		}
		if r.st == xUnk {
			v.names |= r.names
		}
	default:
		return false
	}
	return true
}

// varargs applies the state rule of calls with many arguments.
func (x *exact) varargs(nd *node, v *xval) bool {
	for _, a := range nd.args {
		if x.vals[a].st == xErr {
			v.st, v.names = xErr, 0
			return true
		}
		if x.vals[a].st == xUnk {
			v.st = xUnk
			v.names |= x.vals[a].names
		}
	}
	return v.st != xKnown
}

func (x *exact) logic(and bool, args []int32, v *xval) {
	var unk, err bool
	for _, a := range args {
		t := &x.vals[a]
		switch t.st {
		case xKnown:
			if (t.i != 0) != and {
				v.st, v.names = xKnown, 0
				if !and {
					v.i = 1
				}
				return
			}
		case xUnk:
			unk = true
			v.names |= t.names
		case xErr:
			err = true
		}
	}
	switch {
	case unk:
		v.st = xUnk
	case err:
		v.st, v.names = xErr, 0
	default:
		v.st, v.names = xKnown, 0
		if and {
			v.i = 1
		}
	}
}

func (x *exact) intOp(op opcode, a, b int64, v *xval) {
	switch op {
	case opAdd:
		s := a + b
		if (a >= 0) == (b >= 0) && (s >= 0) != (a >= 0) {
			v.st = xErr
		}
		v.i = s
	case opSub:
		s := a - b
		if (a >= 0) != (b >= 0) && (s >= 0) != (a >= 0) {
			v.st = xErr
		}
		v.i = s
	case opMul:
		hi, lo := bits.Mul64(uint64(absInt(a)), uint64(absInt(b)))
		if hi != 0 || lo > math.MaxInt64 {
			v.st = xErr
		}
		v.i = a * b
	case opMin:
		v.i = min(a, b)
	case opMax:
		v.i = max(a, b)
	}
}
