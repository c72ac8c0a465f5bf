package vector

// The outcome columns of an evaluation are a few hundred kilobytes per
// policy and chunk. Allocated afresh for every chunk, they cost more than
// the evaluation itself: the garbage collector frees them, the runtime
// gives the pages back to the system, and the first write to each page of
// the next chunk's columns faults and has the kernel zero it. An
// evaluation whose results were read is released instead, and the next one
// of the same program reuses its columns.

// Release gives the evaluation's columns back to its program for the next
// evaluation to reuse. The evaluation and its Outcomes must not be used
// afterwards. Releasing is optional: an evaluation never released is
// collected as usual.
func (ev *Evaluation) Release() {
	p := ev.prog
	if p == nil {
		return
	}
	ev.prog = nil
	p.outMu.Lock()
	defer p.outMu.Unlock()
	if p.outFree == nil {
		p.outFree = map[*Plan][]*Outcomes{}
	}
	for _, o := range ev.Policies {
		// A few per policy: as many as evaluations run at once, in practice.
		if len(p.outFree[o.Plan]) < 4 {
			p.outFree[o.Plan] = append(p.outFree[o.Plan], o)
		}
	}
	ev.Policies = nil
}

// outcomes returns the outcome columns of a plan for a chunk of n rows:
// released ones when they are large enough, else new ones. Every column is
// set for every row by the evaluation (settlePolicy writes whole words and
// every row of a window; the off-vector path sets what it settles), but
// for the amounts, which are cleared here.
func (p *Program) outcomes(plan *Plan, n int) *Outcomes {
	p.outMu.Lock()
	var o *Outcomes
	if free := p.outFree[plan]; len(free) > 0 {
		o = free[len(free)-1]
		p.outFree[plan] = free[:len(free)-1]
	}
	p.outMu.Unlock()
	w := words(n)
	if o != nil && cap(o.st[0]) >= w && (plan.Fallback != "" || cap(o.AmountF) >= n) {
		for i := range o.st {
			o.st[i] = o.st[i][:w]
			clear(o.st[i])
		}
		clear(o.Special)
		if plan.Fallback == "" {
			o.AmountF, o.NearMiss, o.Missing = o.AmountF[:n], o.NearMiss[:n], o.Missing[:n]
			clear(o.AmountF)
			for ci := range o.Crit {
				cb := &o.Crit[ci]
				cb.pass, cb.fail, cb.unc, cb.na = cb.pass[:w], cb.fail[:w], cb.unc[:w], cb.na[:w]
			}
		}
		return o
	}
	o = &Outcomes{Plan: plan, Special: map[int]*RowResult{}}
	for i := range o.st {
		o.st[i] = make([]uint64, w)
	}
	if plan.Fallback == "" {
		o.AmountF = make([]int64, n)
		o.NearMiss = make([]int8, n)
		o.Missing = make([]uint64, n)
		o.Crit = make([]critBits, len(plan.criteria))
		for ci := range plan.criteria {
			o.Crit[ci] = critBits{make([]uint64, w), make([]uint64, w), make([]uint64, w), make([]uint64, w)}
		}
	}
	return o
}
