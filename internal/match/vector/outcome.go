package vector

import (
	"cmp"
	"math"
	"math/bits"
	"runtime"
	"sync"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/policy"
)

// Row statuses of an evaluation.
const (
	stIneligible uint8 = iota
	stEligible
	stUndetermined
	stPending // uncertain on the float path: settled by the exact path
	// stPendingAmount is eligible with an amount whose rounding to the fen
	// the float path cannot settle: only the amount is computed exactly.
	stPendingAmount
	numStatus
)

// Criterion statuses of an evaluation.
const (
	csPass uint8 = iota + 1
	csFail
	csUnknown
	csNA
	csUnc
)

var critStatusName = [...]policy.CriterionStatus{csPass: policy.Pass, csFail: policy.Fail, csUnknown: policy.Unknown, csNA: policy.NotApplicable}

// Outcomes are the results of one policy over one chunk, column by column.
// With the criterion outcomes (bitmaps) they are each result's explanation
// in structured form: which criteria passed, failed, were unknown or did not
// apply, the near miss and the missing fields. The numbers an explanation
// shows are recomputed exactly when it is written (Outcomes.Explain).
type Outcomes struct {
	Plan *Plan
	// st holds a bitmap per row status (stIneligible …); a row is in
	// exactly one.
	st       [numStatus][]uint64
	AmountF  []int64  // the amount in fen, where eligible and the policy has one
	NearMiss []int8   // the near-miss criterion, or -1
	Missing  []uint64 // undetermined rows: bits over Plan.names
	Crit     []critBits
	// Special holds the rows settled off the vector path: by the exact
	// decimal path or by the policy engine.
	Special map[int]*RowResult
}

// status returns a row's status code.
func (o *Outcomes) status(row int) uint8 {
	for s := range o.st {
		if getBit(o.st[s], row) {
			return uint8(s)
		}
	}
	return stIneligible
}

func (o *Outcomes) setStatus(row int, s uint8) {
	for i := range o.st {
		clearBit(o.st[i], row)
	}
	setBit(o.st[s], row)
}

// critBits are a criterion's outcomes over a chunk, one bitmap per status;
// a row in none of them is unknown.
type critBits struct{ pass, fail, unc, na []uint64 }

// RowResult is one result settled off the vector path.
type RowResult struct {
	Status   policy.Status
	Amount   *apd.Decimal // rounded to the fen; nil without amount
	Missing  []string
	NearMiss string
	Criteria []CriterionOutcome
	Engine   *policy.Result // when the policy engine produced it
}

// CriterionOutcome is one criterion of an explanation.
type CriterionOutcome struct {
	ID        string                 `json:"id"`
	Status    policy.CriterionStatus `json:"status"`
	Op        string                 `json:"op,omitempty"`
	Value     string                 `json:"value,omitempty"`
	Threshold string                 `json:"threshold,omitempty"`
}

// RecordSource gives the record of a row, for the rows and policies the
// vector program cannot settle: the policy engine evaluates them.
type RecordSource interface {
	Record(c *Chunk, row int) (*facts.Record, error)
}

// Evaluation is a program's results over one chunk.
type Evaluation struct {
	Chunk    *Chunk
	Policies []*Outcomes // as Program.Policies
	// Pending counts the rows the exact path settled, Engine those the
	// policy engine evaluated.
	Pending, Engine int

	prog *Program
}

// Evaluate evaluates every policy of the program over the chunk, on
// workers goroutines (0: one per core). src gives records for the rows the
// vector program cannot settle; it may be nil when no policy falls back
// and no row is inexact, and such rows are then an error.
func (p *Program) Evaluate(c *Chunk, src RecordSource, workers int) (*Evaluation, error) {
	return p.EvaluatePlans(c, src, workers, nil)
}

// EvaluatePlans evaluates the policies of plans (nil: all) over the chunk:
// an incremental re-evaluation runs only the policies that read what
// changed.
func (p *Program) EvaluatePlans(c *Chunk, src RecordSource, workers int, plans []*Plan) (*Evaluation, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	order := p.evalOrder()
	if plans == nil {
		plans = p.Policies
	} else {
		order = p.orderOf(plans)
	}
	ev := &Evaluation{Chunk: c, Policies: make([]*Outcomes, len(plans)), prog: p}
	for i, plan := range plans {
		ev.Policies[i] = p.outcomes(plan, c.N)
	}
	windows := (c.N + W - 1) / W
	workers = max(1, min(workers, windows))
	var wg sync.WaitGroup
	for wi := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := p.worker()
			defer p.release(w)
			for win := wi; win < windows; win += workers {
				lo := win * W
				w.window(c, lo, min(W, c.N-lo), order)
				for i, plan := range plans {
					if plan.Fallback == "" {
						w.settlePolicy(plan, ev.Policies[i])
					}
				}
			}
		}()
	}
	wg.Wait()
	return ev, p.settleOffVector(ev, src, workers)
}

// evalOrder lists the nodes the vector policies use.
func (p *Program) evalOrder() []int32 {
	p.orderOnce.Do(func() {
		used := make([]bool, len(p.nodes))
		for _, plan := range p.Policies {
			if plan.Fallback != "" {
				continue
			}
			for _, id := range plan.nodes {
				used[id] = true
			}
		}
		for id, u := range used {
			if u {
				p.order = append(p.order, int32(id))
			}
		}
	})
	return p.order
}

// orderOf lists the nodes some plans use, in evaluation order.
func (p *Program) orderOf(plans []*Plan) []int32 {
	used := make([]bool, len(p.nodes))
	for _, plan := range plans {
		if plan.Fallback != "" {
			continue
		}
		for _, id := range plan.nodes {
			used[id] = true
		}
	}
	var order []int32
	for id, u := range used {
		if u {
			order = append(order, int32(id))
		}
	}
	return order
}

// worker takes a worker from the program's free list: their buffers (a
// megabyte for the shipped policies) are the largest allocation of an
// evaluation, and are kept for the program's life rather than in a
// sync.Pool, which a garbage collection empties: an incremental
// re-evaluation would pay for them again.
func (p *Program) worker() *worker {
	p.workerMu.Lock()
	defer p.workerMu.Unlock()
	if n := len(p.idle); n > 0 {
		w := p.idle[n-1]
		p.idle = p.idle[:n-1]
		return w
	}
	return p.newWorker(p.evalOrder())
}

func (p *Program) release(w *worker) {
	w.c = nil
	p.workerMu.Lock()
	defer p.workerMu.Unlock()
	if len(p.idle) < runtime.GOMAXPROCS(0) {
		p.idle = append(p.idle, w)
	}
}

// settlePolicy derives the results of one policy over the current window:
// word-wide operations on the criteria's outcome masks, and row by row only
// where a row needs it (a near miss, the missing fields, an amount).
func (w *worker) settlePolicy(plan *Plan, o *Outcomes) {
	lo, n := w.lo, w.n
	base, nw := lo>>6, words(n)
	var fail1, fail2, anyUnk, anyUnc mask
	if cap(w.critUnk) < len(plan.criteria) {
		w.critUnk = make([]mask, len(plan.criteria))
	}
	critUnk := w.critUnk[:len(plan.criteria)]
	for ci := range plan.criteria {
		cp := &plan.criteria[ci]
		var pass, fail, unk, unc, na mask
		if cp.op == "" {
			x := &w.bufs[cp.whole]
			for k := range pass {
				known := ^(x.unk[k] | x.err[k] | x.unc[k])
				pass[k] = known & x.b[k]
				fail[k] = known &^ x.b[k]
				unk[k] = x.unk[k] | x.err[k]
				unc[k] = x.unc[k]
			}
		} else {
			l, r := &w.bufs[cp.left], &w.bufs[cp.right]
			for k := range pass {
				unc[k] = l.unc[k] | r.unc[k]
				unk[k] = ^unc[k] & (l.unk[k] | r.unk[k] | l.err[k] | r.err[k])
			}
			w.compareCriterion(cp, l, r, unk, &pass, &fail, &unc)
		}
		if cp.applies >= 0 {
			a := &w.bufs[cp.applies]
			for k := range pass {
				aUnc := a.unc[k]
				aUnk := (a.unk[k] | a.err[k]) &^ aUnc
				aKnown := ^(aUnc | aUnk)
				aTrue := aKnown & a.b[k]
				na[k] = aKnown &^ a.b[k]
				pass[k] &= aTrue
				fail[k] &= aTrue
				unk[k] = unk[k]&aTrue | aUnk
				unc[k] = unc[k]&aTrue | aUnc
			}
		}
		critUnk[ci] = unk
		cb := &o.Crit[ci]
		for k := 0; k < nw; k++ {
			fail2[k] |= fail1[k] & fail[k]
			fail1[k] |= fail[k]
			anyUnk[k] |= unk[k]
			anyUnc[k] |= unc[k]
			cb.pass[base+k], cb.fail[base+k], cb.unc[base+k], cb.na[base+k] = pass[k], fail[k], unc[k], na[k]
		}
	}
	var amt *buf
	if plan.amount >= 0 {
		amt = &w.bufs[plan.amount]
	}
	near := o.NearMiss[lo : lo+n]
	for r := range near {
		near[r] = -1
	}
	clear(o.Missing[lo : lo+n])
	for k := 0; k < nw; k++ {
		valid := ^uint64(0)
		if rest := n - k*64; rest < 64 {
			valid = 1<<uint(rest) - 1
		}
		pending := anyUnc[k] &^ fail2[k]
		ineligible := fail1[k] &^ pending
		nearCand := fail1[k] &^ fail2[k] &^ anyUnc[k]
		undetermined := anyUnk[k] &^ fail1[k] &^ anyUnc[k]
		passing := valid &^ (fail1[k] | anyUnk[k] | anyUnc[k])
		eligible := passing
		var amountUnk, pendingAmount uint64
		if amt != nil {
			pending |= passing & amt.unc[k]
			amountUnk = passing & (amt.unk[k] | amt.err[k]) &^ amt.unc[k]
			undetermined |= amountUnk
			eligible = passing &^ (amt.unc[k] | amt.unk[k] | amt.err[k])
		}
		for m := nearCand & valid; m != 0; m &= m - 1 {
			r := k*64 + bits.TrailingZeros64(m)
			if !w.nearMiss(plan, o, lo+r) {
				pending |= 1 << (uint(r) & 63)
			}
		}
		ineligible &^= pending
		if amt != nil {
			for m := eligible & valid; m != 0; m &= m - 1 {
				r := k*64 + bits.TrailingZeros64(m)
				fen, ok := roundFen(amt.f[r], amt.e[r])
				if !ok {
					pendingAmount |= 1 << (uint(r) & 63)
					continue
				}
				o.AmountF[lo+r] = fen
			}
			eligible &^= pendingAmount
		}
		w.gen++ // a new word: no node visited yet (missingWord)
		w.missingData(plan, o, k, undetermined&valid&^amountUnk, critUnk)
		if m := amountUnk & valid; m != 0 {
			w.missingWord(plan, o, plan.amount, k, m)
		}
		o.st[stIneligible][base+k] = ineligible & valid
		o.st[stEligible][base+k] = eligible & valid
		o.st[stUndetermined][base+k] = undetermined & valid
		o.st[stPending][base+k] = pending & valid
		o.st[stPendingAmount][base+k] = pendingAmount & valid
	}
}

// missingData finds the missing fields of a word of undetermined rows,
// criterion by criterion: for a plain criterion the missing reads under it
// (word-wide), else by walking its unknowns.
func (w *worker) missingData(plan *Plan, o *Outcomes, k int, rows uint64, critUnk []mask) {
	if rows == 0 {
		return
	}
	base := w.lo + k*64
	for ci := range plan.criteria {
		cp := &plan.criteria[ci]
		todo := rows & critUnk[ci][k]
		if todo == 0 {
			continue
		}
		if cp.plain {
			var failed uint64
			for _, id := range cp.errs {
				failed |= w.bufs[id].err[k]
			}
			for _, id := range cp.logic {
				failed |= ^w.bufs[id].unk[k] // decided: it hides the unknowns under it
			}
			fast := todo &^ failed
			for _, id := range cp.leaves {
				bit := uint64(1) << plan.nameBit[w.p.nodes[id].name]
				for m := fast & w.bufs[id].unk[k]; m != 0; m &= m - 1 {
					o.Missing[base+bits.TrailingZeros64(m)] |= bit
				}
			}
			todo &= failed
		}
		if todo != 0 {
			w.criterionMissingWord(plan, o, ci, k, todo)
		}
	}
}

// criterionMissingWord adds to the rows of word k in rows the names of the
// missing data that made a criterion unknown.
func (w *worker) criterionMissingWord(plan *Plan, o *Outcomes, ci, k int, rows uint64) {
	cp := &plan.criteria[ci]
	if cp.applies >= 0 {
		a := &w.bufs[cp.applies]
		byApplies := rows & (a.unk[k] | a.err[k])
		if byApplies != 0 {
			w.missingWord(plan, o, cp.applies, k, byApplies)
		}
		rows &^= byApplies
		if rows == 0 {
			return
		}
	}
	if cp.op == "" {
		w.missingWord(plan, o, cp.whole, k, rows)
		return
	}
	w.missingWord(plan, o, cp.left, k, rows)
	w.missingWord(plan, o, cp.right, k, rows)
}

// missingWord is missing for the rows of word k in rows at once: it adds,
// for each row where node id is unknown, the names of the missing data it
// stands for, following CEL's rules for which unknowns an operation keeps.
// What a node contributes to a row depends on the node and the row alone,
// so a node already walked for a row in this word is not walked again
// (the marks are reset by w.gen, once per word).
func (w *worker) missingWord(plan *Plan, o *Outcomes, id int32, k int, rows uint64) {
	b := &w.bufs[id]
	if w.visited[id] != w.gen {
		w.visited[id] = w.gen
		w.visitedRows[id] = 0
	}
	rows &= b.unk[k] &^ w.visitedRows[id]
	if rows == 0 {
		return
	}
	w.visitedRows[id] |= rows
	nd := &w.p.nodes[id]
	switch nd.op {
	case opRead, opAverage, opSize, opIndustry, opRegistered:
		bit := uint64(1) << plan.nameBit[nd.name]
		miss := o.Missing[w.lo+k*64:]
		for m := rows; m != 0; m &= m - 1 {
			miss[bits.TrailingZeros64(m)] |= bit
		}
	case opCond:
		c := &w.bufs[nd.args[0]]
		if m := rows & c.unk[k]; m != 0 {
			w.missingWord(plan, o, nd.args[0], k, m)
		}
		rest := rows &^ c.unk[k]
		if m := rest & c.b[k]; m != 0 {
			w.missingWord(plan, o, nd.args[1], k, m)
		}
		if m := rest &^ c.b[k]; m != 0 {
			w.missingWord(plan, o, nd.args[2], k, m)
		}
	case opIfMissing:
		xUnk := w.bufs[nd.args[0]].unk[k]
		if m := rows & xUnk; m != 0 {
			w.missingWord(plan, o, nd.args[1], k, m)
		}
		if m := rows &^ xUnk; m != 0 {
			w.missingWord(plan, o, nd.args[0], k, m)
		}
	case opAll, opExists:
		rUnk := w.bufs[nd.args[0]].unk[k]
		if m := rows & rUnk; m != 0 {
			w.missingWord(plan, o, nd.args[0], k, m)
		}
		if m := rows &^ rUnk; m != 0 {
			for _, a := range nd.args[1:] {
				w.missingWord(plan, o, a, k, m)
			}
		}
	default:
		for _, a := range nd.args {
			w.missingWord(plan, o, a, k, rows)
		}
	}
}

// compareCriterion settles a comparison criterion's rows whose sides are
// both known: the difference against the sum of the bounds (zero when both
// sides are exact, and then the float comparison is exact too).
func (w *worker) compareCriterion(cp *critPlan, l, r *buf, unk mask, pass, fail, unc *mask) {
	op := cp.op
	var gt, lt, eq mask
	decCompare(w.span, l, r, &lt, &eq, &gt)
	var open mask
	any := uint64(0)
	for k := range open {
		open[k] = ^(unk[k] | unc[k]) &^ (lt[k] | eq[k] | gt[k])
		any |= open[k]
	}
	if any != 0 {
		w.breakTies(cp.left, cp.right, &open, &lt, &eq, &gt)
	}
	for k := range gt {
		open := ^(unk[k] | unc[k])
		var yes uint64
		switch op {
		case "<":
			yes = lt[k]
		case "<=":
			yes = lt[k] | eq[k]
		case ">":
			yes = gt[k]
		default:
			yes = gt[k] | eq[k]
		}
		decided := gt[k] | lt[k] | eq[k]
		pass[k] |= open & yes
		fail[k] |= open & decided &^ yes
		unc[k] |= open &^ decided
	}
}

func compareOp(op string, c int) bool {
	switch op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0
}

// nearMiss decides whether the one failing criterion of an ineligible row
// is a near miss; false when the float path cannot tell.
func (w *worker) nearMiss(plan *Plan, o *Outcomes, row int) bool {
	for ci := range plan.criteria {
		if !getBit(o.Crit[ci].fail, row) {
			continue
		}
		cp := &plan.criteria[ci]
		if cp.op == "" {
			return true // not a comparison: never a near miss
		}
		r := row - w.lo
		l, t := &w.bufs[cp.left], &w.bufs[cp.right]
		v, ev, th, et := l.f[r], l.e[r], t.f[r], t.e[r]
		if th == 0 && et == 0 {
			return true // a zero threshold: no relative distance
		}
		if math.Abs(th) <= et*2 {
			return w.nearMissTie(cp, o, ci, row)
		}
		gap := th - v
		if cp.op == "<" || cp.op == "<=" {
			gap = v - th
		}
		eg := (ev+et)*grow + math.Abs(gap)*relRound
		tolF := cp.tolF
		tolE := math.Abs(tolF) * relRound
		at := math.Abs(th)
		prod := tolF * at
		ep := (at*tolE+tolF*et+tolE*et)*grow + math.Abs(prod)*relRound
		d := prod - gap
		ed := (ep+eg)*grow + math.Abs(d)*relRound
		switch {
		case d > ed:
			o.NearMiss[row] = int8(ci)
			return true
		case d < -ed:
			return true
		}
		return w.nearMissTie(cp, o, ci, row)
	}
	return true
}

// roundFen rounds an amount half-up (away from zero) to the fen, when its
// bound settles which fen.
func roundFen(v, e float64) (int64, bool) {
	x := v * 100
	ex := e*100*grow + math.Abs(x)*relRound
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) >= 1<<50 || math.IsNaN(ex) {
		return 0, false
	}
	ax := math.Abs(x)
	k := math.Floor(ax)
	if ax-k >= 0.5 {
		k++
	}
	slack := ax * 0x1p-50
	if ax-ex-(k-0.5) <= slack || (k+0.5)-(ax+ex) <= slack {
		return 0, false
	}
	if x < 0 {
		k = -k
	}
	return int64(k), true
}

// settleOffVector settles the rows the vector path left pending, and the
// policies it does not evaluate. The rows are shared among workers by
// index; only the map of special rows is locked.
func (p *Program) settleOffVector(ev *Evaluation, src RecordSource, workers int) error {
	c := ev.Chunk
	type job struct {
		pi, row int
		amount  bool
	}
	var jobs []job
	for pi, o := range ev.Policies {
		if o.Plan.Fallback != "" {
			for r := 0; r < c.N; r++ {
				jobs = append(jobs, job{pi, r, false})
			}
			continue
		}
		for k := range o.st[stPending] {
			for m := o.st[stPending][k]; m != 0; m &= m - 1 {
				jobs = append(jobs, job{pi, k*64 + bits.TrailingZeros64(m), false})
			}
			for m := o.st[stPendingAmount][k]; m != 0; m &= m - 1 {
				jobs = append(jobs, job{pi, k*64 + bits.TrailingZeros64(m), true})
			}
		}
	}
	if len(jobs) == 0 {
		return nil
	}
	workers = max(1, min(workers, len(jobs)/64+1))
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	type settled struct {
		o   *Outcomes
		row int
		res *RowResult
		st  uint8
	}
	results := make([][]settled, workers)
	for wi := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x := p.newExact()
			var engine *policy.Evaluator
			exact, byEngine := 0, 0
			for ji := wi; ji < len(jobs); ji += workers {
				j := jobs[ji]
				o := ev.Policies[j.pi]
				inexact := getBit(c.inexact, j.row)
				if j.amount && !inexact {
					if fen, ok := x.amount(o.Plan, c, j.row); ok {
						o.AmountF[j.row] = fen
						results[wi] = append(results[wi], settled{o, j.row, nil, stEligible})
						exact++
						continue
					}
				}
				var res *RowResult
				if o.Plan.Fallback == "" && !inexact {
					res = x.row(o.Plan, c, j.row)
					exact++
				} else {
					if src == nil {
						mu.Lock()
						firstErr = cmp.Or(firstErr, errNoRecords)
						mu.Unlock()
						return
					}
					rec, err := src.Record(c, j.row)
					if err != nil {
						mu.Lock()
						firstErr = cmp.Or(firstErr, err)
						mu.Unlock()
						return
					}
					if engine == nil {
						engine = p.lib.NewEvaluator()
					}
					r := engine.Evaluate(o.Plan.Policy, policy.FromRecord(rec), p.On)
					res = fromEngine(&r)
					byEngine++
				}
				results[wi] = append(results[wi], settled{o, j.row, res, statusCode(res.Status)})
			}
			mu.Lock()
			ev.Pending += exact
			ev.Engine += byEngine
			mu.Unlock()
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	// Bitmaps share words between rows: set them on one goroutine.
	for _, rs := range results {
		for _, s := range rs {
			if s.res != nil {
				s.o.Special[s.row] = s.res
			}
			s.o.setStatus(s.row, s.st)
		}
	}
	return nil
}

func statusCode(s policy.Status) uint8 {
	switch s {
	case policy.Eligible:
		return stEligible
	case policy.Undetermined:
		return stUndetermined
	}
	return stIneligible
}

func fromEngine(r *policy.Result) *RowResult {
	res := &RowResult{Status: r.Status, Missing: r.Missing, Engine: r}
	if r.Amount != nil {
		res.Amount = new(apd.Decimal).Set(&r.Amount.Decimal)
		if q := roundDecimalFen(res.Amount); q != nil {
			res.Amount = q
		}
	}
	if r.NearMiss != nil {
		res.NearMiss = r.NearMiss.Criterion
	}
	for _, c := range r.Criteria {
		if c.ID == "in_force" {
			continue
		}
		res.Criteria = append(res.Criteria, CriterionOutcome{ID: c.ID, Status: c.Status, Op: c.Op, Value: c.Value, Threshold: c.Threshold})
	}
	return res
}
