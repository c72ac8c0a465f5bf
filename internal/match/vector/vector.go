package vector

import (
	"math"
	"math/bits"
	"strings"
)

// W is the number of rows a window evaluates at once: small enough that a
// policy's working set stays in the core's cache, large enough that the
// per-operation overhead vanishes.
const W = 128

const wordsW = W / 64

type mask [wordsW]uint64

// Error bounds. A float64 operation rounds by at most 2^-53 of its result;
// the bounds below use 2^-52, and grow the propagated bounds by 2^-50, so
// that the rounding of the bound's own arithmetic is covered too. They also
// cover the engine's decimal arithmetic, which rounds at 40 digits.
const (
	relRound = 0x1p-52
	grow     = 1 + 0x1p-50
)

// buf is a node's values and states over one window. A row is in exactly
// one state: known (no bit set), unknown (missing data), error (a division
// by zero …) or uncertain (the float path cannot settle it: the row goes to
// the exact path).
type buf struct {
	f, e []float64 // vDec: value and bound on its distance from the exact decimal
	i    []int64   // vInt, vTime
	s    []int32   // vStr, vIndustry
	b    mask      // vBool
	unk  mask
	err  mask
	unc  mask
}

func (b *buf) known() (k mask) {
	for w := range k {
		k[w] = ^(b.unk[w] | b.err[w] | b.unc[w])
	}
	return k
}

// worker evaluates windows of chunks. Each goroutine has its own.
type worker struct {
	p     *Program
	bufs  []buf
	order []int32 // the nodes to evaluate, in order
	c     *Chunk
	lo, n int // the window: rows lo … lo+n-1 of c
	// span is n rounded up to whole words: what the kernels compute, so
	// that a window of one row (an incremental re-evaluation) costs one
	// word, not W rows.
	span int

	critUnk []mask   // settlePolicy's scratch
	visited []uint32 // the missing-data walk's marks, by node
	gen     uint32
	// visitedRows are the rows of the current word a node was walked for
	// (missingWord), valid where visited is gen.
	visitedRows []uint64
}

func (p *Program) newWorker(order []int32) *worker {
	w := &worker{p: p, bufs: make([]buf, len(p.nodes)), order: order, visited: make([]uint32, len(p.nodes)), visitedRows: make([]uint64, len(p.nodes))}
	need := make([]bool, len(p.nodes))
	for _, id := range order {
		need[id] = true
	}
	for id := range p.nodes {
		if !need[id] {
			continue
		}
		n := &p.nodes[id]
		b := &w.bufs[id]
		switch n.typ {
		case vDec:
			b.f, b.e = make([]float64, W), make([]float64, W)
		case vInt, vTime:
			b.i = make([]int64, W)
		case vStr, vIndustry:
			b.s = make([]int32, W)
		}
		switch n.op {
		case opConst:
			for r := 0; r < W; r++ {
				switch n.typ {
				case vDec:
					b.f[r], b.e[r] = n.f, n.fe
				case vInt, vTime:
					b.i[r] = n.i
				case vStr:
					b.s[r] = int32(n.i)
				}
			}
			if n.typ == vBool && n.i != 0 {
				for k := range b.b {
					b.b[k] = ^uint64(0)
				}
			}
		case opErrConst:
			for k := range b.err {
				b.err[k] = ^uint64(0)
			}
		}
	}
	return w
}

// window evaluates the nodes of order over rows lo … lo+n-1.
func (w *worker) window(c *Chunk, lo, n int, order []int32) {
	w.c, w.lo, w.n = c, lo, n
	w.span = min(W, (n+63)&^63)
	for _, id := range order {
		nd := &w.p.nodes[id]
		switch nd.op {
		case opConst, opErrConst:
			continue
		}
		w.eval(id, nd)
	}
}

// windowBits copies the bits of rows lo … lo+n-1 of a chunk bitmap.
func (w *worker) windowBits(src []uint64) (m mask) {
	base := w.lo >> 6
	for k := range m {
		if base+k < len(src) {
			m[k] = src[base+k]
		}
	}
	for k := range m {
		switch rest := w.n - k*64; {
		case rest <= 0:
			m[k] = 0
		case rest < 64:
			m[k] &= 1<<uint(rest) - 1
		}
	}
	return m
}

// leafErr bounds the distance of a snapshot value from its decimal: none
// for a whole number (converted exactly), else half an ulp.
func leafErr(v float64) float64 {
	if whole(v) {
		return 0
	}
	return math.Abs(v) * 0x1p-53
}

func (w *worker) eval(id int32, nd *node) {
	b := &w.bufs[id]
	b.b, b.unk, b.err, b.unc = mask{}, mask{}, mask{}, mask{}
	args := nd.args
	switch nd.op {
	case opRead:
		w.read(b, nd)
	case opAverage:
		w.average(b, nd)
	case opSize:
		col := w.c.strs[nd.col][w.lo : w.lo+w.n]
		copy(b.s, col)
		pres := w.windowBits(w.c.present[nd.col])
		for k := range b.unk {
			b.unk[k] = ^pres[k]
		}
	case opIndustry:
		col := w.c.industry[w.lo : w.lo+w.n]
		copy(b.s, col)
		for r, v := range col {
			if v < 0 {
				b.unk[r>>6] |= 1 << (uint(r) & 63)
			}
		}
	case opRegistered:
		col := w.c.registered[w.lo : w.lo+w.n]
		copy(b.i, col)
		for r, v := range col {
			if v == 0 {
				b.unk[r>>6] |= 1 << (uint(r) & 63)
			}
		}
	case opStartsWithUSCC:
		for r, s := range w.c.USCC[w.lo : w.lo+w.n] {
			if strings.HasPrefix(s, nd.text) {
				b.b[r>>6] |= 1 << (uint(r) & 63)
			}
		}
	case opList:
		w.varargsState(b, args)
	case opSum, opAvgList:
		w.varargsState(b, args)
		a := &w.bufs[args[0]]
		sp := w.span
		copy(b.f[:sp], a.f)
		copy(b.e[:sp], a.e)
		for _, x := range args[1:] {
			xb := &w.bufs[x]
			addKernel(sp, b.f, b.e, b.f, b.e, xb.f, xb.e, false)
		}
		if nd.op == opAvgList {
			divConst(b.f[:sp], b.e[:sp], float64(len(args)))
		}
	case opAdd, opSub:
		w.binaryState(b, args)
		l, r := &w.bufs[args[0]], &w.bufs[args[1]]
		if nd.typ == vDec {
			addKernel(w.span, b.f, b.e, l.f, l.e, r.f, r.e, nd.op == opSub)
		} else {
			w.intArith(b, nd.op, l.i, r.i)
		}
	case opMul:
		w.binaryState(b, args)
		l, r := &w.bufs[args[0]], &w.bufs[args[1]]
		if nd.typ == vDec {
			mulKernel(w.span, b.f, b.e, l.f, l.e, r.f, r.e)
		} else {
			w.intArith(b, nd.op, l.i, r.i)
		}
	case opDiv:
		w.binaryState(b, args)
		l, r := &w.bufs[args[0]], &w.bufs[args[1]]
		w.divide(b, l, r)
	case opNeg:
		a := &w.bufs[args[0]]
		b.unk, b.err, b.unc = a.unk, a.err, a.unc
		if nd.typ == vDec {
			for r := range b.f[:w.span] {
				b.f[r], b.e[r] = -a.f[r], a.e[r]
			}
		} else {
			for r := range b.i[:w.span] {
				if a.i[r] == math.MinInt64 {
					b.err[r>>6] |= 1 << (uint(r) & 63)
				}
				b.i[r] = -a.i[r]
			}
			w.settle(b)
		}
	case opAbs:
		a := &w.bufs[args[0]]
		b.unk, b.err, b.unc = a.unk, a.err, a.unc
		for r := range b.f[:w.span] {
			b.f[r], b.e[r] = math.Abs(a.f[r]), a.e[r]
		}
	case opMin, opMax:
		w.binaryState(b, args)
		l, r := &w.bufs[args[0]], &w.bufs[args[1]]
		isMin := nd.op == opMin
		if nd.typ == vDec {
			// min and max are 1-Lipschitz: the bound is the larger one.
			for k := range b.f[:w.span] {
				x, y := l.f[k], r.f[k]
				if (x <= y) == isMin {
					b.f[k] = x
				} else {
					b.f[k] = y
				}
				b.e[k] = math.Max(l.e[k], r.e[k])
			}
		} else {
			for k := range b.i[:w.span] {
				x, y := l.i[k], r.i[k]
				if (x <= y) == isMin {
					b.i[k] = x
				} else {
					b.i[k] = y
				}
			}
		}
	case opToDec:
		a := &w.bufs[args[0]]
		b.unk, b.err, b.unc = a.unk, a.err, a.unc
		for r := range b.f[:w.span] {
			x := a.i[r]
			b.f[r] = float64(x)
			if x > 1<<53 || x < -(1<<53) {
				b.e[r] = math.Abs(b.f[r]) * 0x1p-52
			} else {
				b.e[r] = 0
			}
		}
	case opLess, opLessEq, opGreater, opGreaterEq:
		w.binaryState(b, args)
		w.compare(b, nd)
	case opEq, opNe:
		w.eqState(b, args)
		w.compare(b, nd)
	case opAnd, opOr:
		w.logic(b, nd.op == opAnd, args)
	case opNot:
		a := &w.bufs[args[0]]
		b.unk, b.err, b.unc = a.unk, a.err, a.unc
		for k := range b.b {
			b.b[k] = ^a.b[k]
		}
	case opCond:
		w.cond(b, nd, args)
	case opIfMissing:
		w.ifMissing(b, nd, args)
	case opInSet:
		a := &w.bufs[args[0]]
		b.unk, b.err, b.unc = a.unk, a.err, a.unc
		for r := 0; r < w.span; r++ {
			s := a.s[r]
			for _, x := range nd.set {
				if s == x {
					b.b[r>>6] |= 1 << (uint(r) & 63)
					break
				}
			}
		}
	case opInList:
		a := &w.bufs[args[0]]
		b.unk, b.err, b.unc = a.unk, a.err, a.unc
		member := w.c.view.member[nd.list]
		for r := 0; r < w.n; r++ {
			if x := a.s[r]; x >= 0 && int(x) < len(member) && member[x] {
				b.b[r>>6] |= 1 << (uint(r) & 63)
			}
		}
	case opSection, opDivision, opCode:
		a := &w.bufs[args[0]]
		b.unk, b.err, b.unc = a.unk, a.err, a.unc
		table := w.c.view.section
		switch nd.op {
		case opDivision:
			table = w.c.view.div
		case opCode:
			table = w.c.view.code
		}
		for r := 0; r < w.n; r++ {
			if x := a.s[r]; x >= 0 && int(x) < len(table) {
				b.s[r] = table[x]
			} else {
				b.s[r] = -2
			}
		}
	case opDaysBetween:
		w.binaryState(b, args)
		l, r := &w.bufs[args[0]], &w.bufs[args[1]]
		for k := range b.i[:w.span] {
			b.i[k] = daysBetween(l.i[k], r.i[k])
		}
	case opYearsBetween, opMonthsBetween:
		w.binaryState(b, args)
		l, r := &w.bufs[args[0]], &w.bufs[args[1]]
		for k := range b.i[:w.span] {
			m := monthsBetween(l.i[k], r.i[k])
			if nd.op == opYearsBetween {
				m /= 12
			}
			b.i[k] = m
		}
	case opAll, opExists:
		rng := &w.bufs[args[0]]
		w.logic(b, nd.op == opAll, args[1:])
		// A range that is not a known list is the result itself.
		for k := range b.b {
			bad := rng.unk[k] | rng.err[k] | rng.unc[k]
			b.unk[k] = b.unk[k]&^bad | rng.unk[k]
			b.err[k] = b.err[k]&^bad | rng.err[k]
			b.unc[k] = b.unc[k]&^bad | rng.unc[k]
			b.b[k] &^= bad
		}
	}
}

// daysBetween counts calendar days from a to b (yyyymmdd), as the engine's
// days_between: negative when b is before a.
func daysBetween(a, b int64) int64 {
	return dayNumber(b) - dayNumber(a)
}

// dayNumber is the day count of a yyyymmdd date since 1970-01-01, by the
// proleptic Gregorian calendar (H. Hinnant's days_from_civil): no time.Date
// per row.
func dayNumber(d int64) int64 {
	y, m, day := d/10000, d/100%100, d%100
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// monthsBetween counts whole months from a to b (yyyymmdd) by the
// anniversary rule, as the engine's months_between.
func monthsBetween(a, b int64) int64 {
	if b < a {
		return -monthsBetween(b, a)
	}
	ay, am, ad := a/10000, a/100%100, a%100
	by, bm, bd := b/10000, b/100%100, b%100
	n := (by-ay)*12 + bm - am
	if bd < ad {
		n--
	}
	return n
}

func (w *worker) read(b *buf, nd *node) {
	c := w.c
	pres := w.windowBits(c.present[nd.col])
	for k := range b.unk {
		b.unk[k] = ^pres[k]
	}
	switch nd.typ {
	case vDec:
		col := c.num[nd.col][w.lo : w.lo+w.n]
		f, e := b.f[:len(col)], b.e[:len(col)]
		copy(f, col)
		clear(e)
		if c.fraction[nd.col] {
			// Only the values that are not whole numbers carry a bound: a
			// whole number converts exactly (and a bound on it would make
			// a tie with a whole threshold undecidable).
			fr := w.windowBits(c.fracRows[nd.col])
			for k, m := range fr {
				for ; m != 0; m &= m - 1 {
					r := k*64 + bits.TrailingZeros64(m)
					e[r] = math.Abs(col[r]) * 0x1p-53
				}
			}
		}
	case vBool:
		b.b = w.windowBits(c.bools[nd.col])
	case vStr:
		copy(b.s, c.strs[nd.col][w.lo:w.lo+w.n])
	}
	if !nd.absent {
		return
	}
	for k := range b.unk {
		missing := b.unk[k]
		b.unk[k] = 0
		for missing != 0 {
			r := k*64 + bits.TrailingZeros64(missing)
			missing &= missing - 1
			switch nd.typ {
			case vDec:
				b.f[r], b.e[r] = nd.f, nd.fe
			case vBool:
				if nd.i != 0 {
					b.b[k] |= 1 << (uint(r) & 63)
				} else {
					b.b[k] &^= 1 << (uint(r) & 63)
				}
			case vStr:
				b.s[r] = int32(nd.i)
			}
		}
	}
}

// average reads an annual average: the mean of the four quarters' (start +
// end) / 2 when all eight facts are there, else the reported average, else
// the plain annual fact.
func (w *worker) average(b *buf, nd *node) {
	c := w.c
	var pres [10]mask
	for i, col := range nd.cols {
		pres[i] = w.windowBits(c.present[col])
	}
	for k := range b.unk {
		all := ^uint64(0)
		for i := 0; i < 8; i++ {
			all &= pres[i][k]
		}
		b.unk[k] = ^(all | pres[8][k] | pres[9][k])
	}
	for r := 0; r < w.n; r++ {
		k, bit := r>>6, uint64(1)<<(uint(r)&63)
		row := w.lo + r
		all := true
		for i := 0; i < 8; i++ {
			if pres[i][k]&bit == 0 {
				all = false
				break
			}
		}
		switch {
		case all:
			// Σ (start + end) / 8, summed in the engine's order.
			s, es := 0.0, 0.0
			for q := 0; q < 4; q++ {
				for _, col := range [2]int32{nd.cols[q], nd.cols[4+q]} {
					x := c.num[col][row]
					s, es = addOne(s, es, x, leafErr(x))
				}
			}
			b.f[r], b.e[r] = s/8, es/8
		case pres[8][k]&bit != 0:
			x := c.num[nd.cols[8]][row]
			b.f[r], b.e[r] = x, leafErr(x)
		case pres[9][k]&bit != 0:
			x := c.num[nd.cols[9]][row]
			b.f[r], b.e[r] = x, leafErr(x)
		}
	}
}

// addOne adds x (bound ex) to s (bound es), as addKernel.
func addOne(s, es, x, ex float64) (float64, float64) {
	t := s + x
	bb := t - s
	return t, (es + ex + math.Abs((s-(t-bb))+(x-bb))) * grow
}

// addKernel adds (or subtracts) two decimal vectors. The bound of a sum is
// the operands' bounds plus the sum's own rounding error, which TwoSum
// gives exactly: exact operands whose sum is exact keep a zero bound.
func addKernel(n int, out, eout, a, ea, b, eb []float64, sub bool) {
	out, eout = out[:n], eout[:n]
	a, ea, b, eb = a[:n], ea[:n], b[:n], eb[:n]
	sign := 1.0
	if sub {
		sign = -1
	}
	for r := 0; r < n; r++ {
		x, y := a[r], sign*b[r]
		t := x + y
		bb := t - x
		rounding := (x - (t - bb)) + (y - bb)
		eout[r] = (ea[r] + eb[r] + math.Abs(rounding)) * grow
		out[r] = t
	}
}

// mulKernel multiplies two decimal vectors; FMA gives the product's own
// rounding error exactly.
func mulKernel(n int, out, eout, a, ea, b, eb []float64) {
	out, eout = out[:n], eout[:n]
	a, ea, b, eb = a[:n], ea[:n], b[:n], eb[:n]
	for r := 0; r < n; r++ {
		x, y := a[r], b[r]
		t := x * y
		rounding := math.FMA(x, y, -t)
		eout[r] = (math.Abs(x)*eb[r] + math.Abs(y)*ea[r] + ea[r]*eb[r] + math.Abs(rounding)) * grow
		out[r] = t
	}
}

// divConst divides by a small exact integer (an average's count).
func divConst(f, e []float64, n float64) {
	for r := range f {
		q := f[r] / n
		if e[r] == 0 {
			e[r] = math.Abs(math.FMA(q, n, -f[r])/n) * grow
		} else {
			e[r] = e[r]/n*grow + math.Abs(q)*relRound
		}
		f[r] = q
	}
}

func (w *worker) divide(b, l, r *buf) {
	known := b.known()
	for k := 0; k < w.span; k++ {
		x, ex, y, ey := l.f[k], l.e[k], r.f[k], r.e[k]
		q := x / y
		b.f[k] = q
		bit := uint64(1) << (uint(k) & 63)
		if known[k>>6]&bit == 0 {
			continue
		}
		switch {
		case y == 0 && ey == 0:
			b.err[k>>6] |= bit // division by zero
		case math.Abs(y) <= ey*2:
			b.unc[k>>6] |= bit // the divisor may be zero, or far from y
		case ex == 0 && ey == 0:
			b.e[k] = math.Abs(math.FMA(q, y, -x)/y) * grow
		default:
			b.e[k] = (ex+math.Abs(q)*ey)/(math.Abs(y)-ey)*(grow*grow) + math.Abs(q)*relRound
		}
	}
	w.settle(b)
}

func (w *worker) intArith(b *buf, op opcode, x, y []int64) {
	known := b.known()
	for k := 0; k < w.span; k++ {
		var v int64
		overflow := false
		switch op {
		case opAdd:
			v = x[k] + y[k]
			overflow = (x[k] >= 0) == (y[k] >= 0) && (v >= 0) != (x[k] >= 0)
		case opSub:
			v = x[k] - y[k]
			overflow = (x[k] >= 0) != (y[k] >= 0) && (v >= 0) != (x[k] >= 0)
		case opMul:
			hi, lo := bits.Mul64(uint64(absInt(x[k])), uint64(absInt(y[k])))
			v = x[k] * y[k]
			overflow = hi != 0 || lo > math.MaxInt64
		}
		b.i[k] = v
		if overflow && known[k>>6]&(1<<(uint(k)&63)) != 0 {
			b.err[k>>6] |= 1 << (uint(k) & 63)
		}
	}
	w.settle(b)
}

func absInt(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// settle keeps one state per row: an error found while computing a known
// row.
func (w *worker) settle(b *buf) {
	for k := range b.err {
		b.unc[k] &^= b.err[k]
		b.err[k] &^= b.unk[k]
	}
}

// binaryState is the state rule of CEL's strict binary calls: an error on
// the left wins; an unknown on the left is merged with one on the right and
// wins over an error there; then the right's error or unknown.
func (w *worker) binaryState(b *buf, args []int32) {
	l, r := &w.bufs[args[0]], &w.bufs[args[1]]
	for k := range b.unk {
		lUnc, lErr, lUnk := l.unc[k], l.err[k], l.unk[k]
		lKnown := ^(lUnc | lErr | lUnk)
		unc := lUnc | (^lErr & r.unc[k])
		err := ^unc & (lErr | (lKnown & r.err[k]))
		unk := ^unc & ^err & (lUnk | (lKnown & r.unk[k]))
		b.unc[k], b.err[k], b.unk[k] = unc, err, unk
	}
}

// eqState is the state rule of CEL's == and !=: an error on either side
// wins, then unknowns, merged.
func (w *worker) eqState(b *buf, args []int32) {
	l, r := &w.bufs[args[0]], &w.bufs[args[1]]
	for k := range b.unk {
		unc := l.unc[k] | (^l.err[k] & r.unc[k])
		err := ^unc & (l.err[k] | r.err[k])
		unk := ^unc & ^err & (l.unk[k] | r.unk[k])
		b.unc[k], b.err[k], b.unk[k] = unc, err, unk
	}
}

// varargsState is the state rule of CEL's calls with many arguments (and of
// the engine's series lists and sums): any error wins, then unknowns,
// merged.
func (w *worker) varargsState(b *buf, args []int32) {
	for _, a := range args {
		x := &w.bufs[a]
		for k := range b.unk {
			b.unc[k] |= x.unc[k]
			b.err[k] |= x.err[k]
			b.unk[k] |= x.unk[k]
		}
	}
	for k := range b.unk {
		b.unc[k] &^= b.err[k]
		b.unk[k] &^= b.err[k] | b.unc[k]
	}
}

func (w *worker) compare(b *buf, nd *node) {
	l, r := &w.bufs[nd.args[0]], &w.bufs[nd.args[1]]
	var lt, eq, gt mask
	switch nd.argT {
	case vDec:
		decCompare(w.span, l, r, &lt, &eq, &gt)
		known := b.known()
		var open mask
		any := uint64(0)
		for k := range open {
			open[k] = known[k] &^ (lt[k] | eq[k] | gt[k])
			any |= open[k]
		}
		if any != 0 {
			w.breakTies(nd.args[0], nd.args[1], &open, &lt, &eq, &gt)
		}
	case vInt, vTime:
		li, ri := l.i[:w.span], r.i[:w.span]
		for i := range li {
			var g, t, e uint64
			switch x, y := li[i], ri[i]; {
			case x < y:
				t = 1
			case x > y:
				g = 1
			default:
				e = 1
			}
			k, sh := i>>6, uint(i)&63
			gt[k] |= g << sh
			lt[k] |= t << sh
			eq[k] |= e << sh
		}
	case vStr:
		ls, rs := l.s[:w.span], r.s[:w.span]
		for i := range ls {
			x, y := ls[i], rs[i]
			k, sh := i>>6, uint(i)&63
			switch {
			case x == -2 && y == -2:
				// two strings no expression names are not interned: undecided
			case x == y:
				eq[k] |= 1 << sh
			default:
				gt[k] |= 1 << sh
			}
		}
	case vBool:
		for k := range eq {
			eq[k] = ^(l.b[k] ^ r.b[k])
			gt[k] = l.b[k] ^ r.b[k]
		}
	}
	known := b.known()
	for k := range known {
		var yes uint64
		switch nd.op {
		case opLess:
			yes = lt[k]
		case opLessEq:
			yes = lt[k] | eq[k]
		case opGreater:
			yes = gt[k]
		case opGreaterEq:
			yes = gt[k] | eq[k]
		case opEq:
			yes = eq[k]
		case opNe:
			yes = gt[k] | lt[k]
		}
		b.b[k] = known[k] & yes
		b.unc[k] |= known[k] &^ (lt[k] | eq[k] | gt[k])
	}
}

func cmpInt(x, y int64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// logic is CEL's && (and) or || over terms: a false (true) term decides,
// whatever the others; else unknowns, merged, win over errors.
func (w *worker) logic(b *buf, and bool, args []int32) {
	var decided, anyUnc, anyUnk, anyErr mask
	for _, a := range args {
		x := &w.bufs[a]
		for k := range decided {
			val := x.b[k]
			if and {
				val = ^val
			}
			decided[k] |= val &^ (x.unk[k] | x.err[k] | x.unc[k])
			anyUnc[k] |= x.unc[k]
			anyUnk[k] |= x.unk[k]
			anyErr[k] |= x.err[k]
		}
	}
	for k := range decided {
		open := ^decided[k]
		b.unc[k] = open & anyUnc[k]
		b.unk[k] = open &^ anyUnc[k] & anyUnk[k]
		b.err[k] = open &^ (anyUnc[k] | anyUnk[k]) & anyErr[k]
		if and {
			b.b[k] = open &^ (anyUnc[k] | anyUnk[k] | anyErr[k])
		} else {
			b.b[k] = decided[k]
		}
	}
}

func (w *worker) cond(b *buf, nd *node, args []int32) {
	c, t, f := &w.bufs[args[0]], &w.bufs[args[1]], &w.bufs[args[2]]
	var takeT, takeF mask
	for k := range takeT {
		known := ^(c.unk[k] | c.err[k] | c.unc[k])
		takeT[k] = known & c.b[k]
		takeF[k] = known &^ c.b[k]
		b.unk[k] = c.unk[k] | takeT[k]&t.unk[k] | takeF[k]&f.unk[k]
		b.err[k] = c.err[k] | takeT[k]&t.err[k] | takeF[k]&f.err[k]
		b.unc[k] = c.unc[k] | takeT[k]&t.unc[k] | takeF[k]&f.unc[k]
		b.b[k] = takeT[k]&t.b[k] | takeF[k]&f.b[k]
	}
	w.selectValues(b, nd.typ, &takeT, t, f)
}

// selectValues copies, row by row, t's values where sel is set and f's
// elsewhere.
func (w *worker) selectValues(b *buf, typ vtype, sel *mask, t, f *buf) {
	n := w.span
	switch typ {
	case vDec:
		bf, be, tf, te, ff, fe := b.f[:n], b.e[:n], t.f[:n], t.e[:n], f.f[:n], f.e[:n]
		for r := 0; r < n; r++ {
			m := -((sel[r>>6] >> (uint(r) & 63)) & 1) // all ones where t is taken
			bf[r] = math.Float64frombits(math.Float64bits(tf[r])&m | math.Float64bits(ff[r])&^m)
			be[r] = math.Float64frombits(math.Float64bits(te[r])&m | math.Float64bits(fe[r])&^m)
		}
	case vInt, vTime:
		bi, ti, fi := b.i[:n], t.i[:n], f.i[:n]
		for r := 0; r < n; r++ {
			m := -int64((sel[r>>6] >> (uint(r) & 63)) & 1)
			bi[r] = ti[r]&m | fi[r]&^m
		}
	case vStr, vIndustry:
		bs, ts, fs := b.s[:n], t.s[:n], f.s[:n]
		for r := 0; r < n; r++ {
			m := -int32((sel[r>>6] >> (uint(r) & 63)) & 1)
			bs[r] = ts[r]&m | fs[r]&^m
		}
	}
}

// ifMissing is if_missing(x, d): d where x is unknown; x (an error
// included) elsewhere.
func (w *worker) ifMissing(b *buf, nd *node, args []int32) {
	x, d := &w.bufs[args[0]], &w.bufs[args[1]]
	var useD, useX mask
	for k := range useD {
		useD[k] = x.unk[k]
		useX[k] = ^useD[k]
		b.unk[k] = useD[k]&d.unk[k] | useX[k]&x.unk[k]
		b.err[k] = useD[k]&d.err[k] | useX[k]&x.err[k]
		b.unc[k] = useD[k]&d.unc[k] | useX[k]&x.unc[k]
		b.b[k] = useD[k]&d.b[k] | useX[k]&x.b[k]
	}
	w.selectValues(b, nd.typ, &useD, d, x)
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// decCompare compares two decimal vectors against their bounds: a row is
// less, equal or greater when the bound settles it, in none of the three
// when it does not. With exact operands the margin is zero, and the float
// comparison is the decimal one.
func decCompare(n int, l, r *buf, lt, eq, gt *mask) {
	for k := 0; k < n/64; k++ {
		lf, rf, le, re := l.f[k*64:k*64+64], r.f[k*64:k*64+64], l.e[k*64:k*64+64], r.e[k*64:k*64+64]
		var g, t, e uint64
		for i := 0; i < 64; i++ {
			d := lf[i] - rf[i]
			m := (le[i]+re[i])*grow + math.Abs(d)*relRound
			g |= b2u(d > m) << uint(i)
			t |= b2u(d < -m) << uint(i)
			e |= b2u(d == 0 && m == 0) << uint(i)
		}
		gt[k], lt[k], eq[k] = g, t, e
	}
}
