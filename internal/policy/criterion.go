package policy

import (
	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/cockroachdb/apd/v3"
)

// criterionOutcome is a criterion's evaluation before it is explained.
type criterionOutcome struct {
	status           CriterionStatus
	value, threshold *apd.Decimal // for comparisons, when both sides are known
	unknown          *types.Unknown
	err              string
	readsFrom        int
	readsTo          int
}

func (e *Evaluator) evalCriterion(c *criterion) criterionOutcome {
	out := criterionOutcome{readsFrom: len(e.reads)}
	defer func() { out.readsTo = len(e.reads) }()
	if c.appliesWhen != nil {
		v := e.run(c.appliesWhen)
		if b, ok := v.(types.Bool); ok && !bool(b) {
			out.status = NotApplicable
			out.readsTo = len(e.reads)
			return out
		} else if !ok {
			e.settleUnknown(&out, v)
			out.readsTo = len(e.reads)
			return out
		}
	}
	if c.whole != nil {
		v := e.run(c.whole)
		if b, ok := v.(types.Bool); ok {
			out.status = Fail
			if b {
				out.status = Pass
			}
		} else {
			e.settleUnknown(&out, v)
		}
		out.readsTo = len(e.reads)
		return out
	}
	l, r := e.run(c.left), e.run(c.right)
	lu, lUnknown := l.(*types.Unknown)
	ru, rUnknown := r.(*types.Unknown)
	switch {
	case lUnknown || rUnknown:
		out.status = Unknown
		out.unknown = types.MergeUnknowns(lu, ru)
	case types.IsError(l):
		e.settleUnknown(&out, l)
	case types.IsError(r):
		e.settleUnknown(&out, r)
	default:
		lv, rv := toDecimal(l), toDecimal(r)
		ld, lok := lv.(*decimalVal)
		rd, rok := rv.(*decimalVal)
		if !lok || !rok {
			e.settleUnknown(&out, types.NewErr("a side of the comparison is not a number"))
			break
		}
		out.value, out.threshold = &ld.d, &rd.d
		if compare(c.op, ld.d.Cmp(&rd.d)) {
			out.status = Pass
		} else {
			out.status = Fail
		}
	}
	out.readsTo = len(e.reads)
	return out
}

func compare(op string, cmp int) bool {
	switch op {
	case "<":
		return cmp < 0
	case "<=":
		return cmp <= 0
	case ">":
		return cmp > 0
	}
	return cmp >= 0
}

// settleUnknown records why a value that should have been a boolean or a
// number is not: missing facts, or an error such as a division by zero.
func (e *Evaluator) settleUnknown(out *criterionOutcome, v ref.Val) {
	out.status = Unknown
	switch x := v.(type) {
	case *types.Unknown:
		out.unknown = x
	case *types.Err:
		out.err = x.Error()
	default:
		out.err = "the expression did not give true or false"
	}
}

// run evaluates a program against the current enterprise.
func (e *Evaluator) run(prg cel.Program) ref.Val {
	if prg == nil {
		return types.NewErr("the expression was not compiled")
	}
	v, _, err := prg.Eval(&e.activation)
	if v == nil {
		if err == nil {
			return types.NewErr("no result")
		}
		return types.WrapErr(err)
	}
	return v
}

// derivedValue computes a derived value once per evaluation. When it was
// computed for an earlier criterion, its reads are logged again so that
// this criterion lists them too.
func (e *Evaluator) derivedValue(i int) ref.Val {
	m := &e.memo[i] // stable: the memo slice keeps its length during an evaluation
	d := e.pol.derived[i]
	switch m.state {
	case memoDone:
		e.reads = append(e.reads, e.reads[m.from:m.to]...)
		return m.val
	case memoComputing:
		return types.NewErr("derived value %s refers to itself", d.name)
	}
	m.state = memoComputing
	from := len(e.reads)
	v := e.run(d.prg)
	e.reads = append(e.reads, readEntry{name: d.name, kind: "derived", val: v, missing: types.IsUnknown(v)})
	m.val, m.from, m.to, m.state = v, from, len(e.reads), memoDone
	return v
}

type amountOutcome struct {
	status  CriterionStatus
	value   *apd.Decimal // rounded to the fen
	unknown *types.Unknown
	err     string
}

// evalAmount computes the amount and rounds it half-up to the fen, once.
func (e *Evaluator) evalAmount() *amountOutcome {
	v := e.run(e.pol.amount.prg)
	out := &amountOutcome{}
	switch x := toDecimal(v).(type) {
	case *decimalVal:
		out.value = roundToFen(&x.d)
		if out.value == nil {
			out.status, out.err = Unknown, "the amount is out of range"
			break
		}
		out.status = Pass
	case *types.Unknown:
		out.status, out.unknown = Unknown, x
	case *types.Err:
		out.status, out.err = Unknown, x.Error()
	default:
		out.status, out.err = Unknown, "the amount is not a number"
	}
	return out
}

// missingOf lists, in order of first use, the fields whose absence made
// criteria or the amount unknown.
func (e *Evaluator) missingOf(outcomes []criterionOutcome, amt *amountOutcome) []string {
	out := []string{}
	add := func(u *types.Unknown) {
		for _, name := range e.missingNames(u) {
			if !contains(out, name) {
				out = append(out, name)
			}
		}
	}
	for i := range outcomes {
		if outcomes[i].status == Unknown {
			add(outcomes[i].unknown)
		}
	}
	if amt != nil && amt.status == Unknown {
		add(amt.unknown)
	}
	return out
}

func (e *Evaluator) missingNames(u *types.Unknown) []string {
	if u == nil {
		return nil
	}
	var out []string
	for _, id := range u.IDs() {
		if id >= 1 && int(id) <= len(e.missing) {
			if name := e.missing[id-1].name; !contains(out, name) {
				out = append(out, name)
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
