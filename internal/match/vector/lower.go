package vector

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"time"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/policy"
)

// unsupported is a construct the vector program does not implement: the
// policy is then evaluated by the policy engine row by row.
type unsupported string

func (u unsupported) Error() string { return "not supported by the vector program: " + string(u) }

func asUnsupported(err error, u *unsupported) bool { return errors.As(err, u) }

func unsupportedf(format string, args ...any) error {
	return unsupported(fmt.Sprintf(format, args...))
}

// lowering turns one policy's checked expressions into program nodes.
type lowering struct {
	p       *Program
	plan    *Plan
	pol     *policy.Policy
	mp      *policy.MatchPlan
	params  []policy.MatchValue
	paramOK []bool
	derived []int32 // node of each derived value once lowered; -1 not yet; -2 being lowered
	vars    map[string]int32
}

// val is a lowered expression: a node, or a series (a field with periods
// named on its own, which only an accessor call can read).
type val struct {
	id     int32
	series *policy.MatchFieldRule
}

func (p *Program) lowerPolicy(plan *Plan, mp *policy.MatchPlan) error {
	l := &lowering{p: p, plan: plan, pol: plan.Policy, mp: mp, vars: map[string]int32{}}
	l.params, l.paramOK = plan.Policy.MatchParams(p.On)
	l.derived = make([]int32, len(mp.Derived))
	for i := range l.derived {
		l.derived[i] = -1
	}
	for _, c := range mp.Criteria {
		cp := critPlan{id: c.ID, op: c.Op, applies: -1, whole: -1, left: -1, right: -1}
		cp.tol.Set(&c.Tolerance)
		cp.tolF, _ = c.Tolerance.Float64()
		var err error
		if c.AppliesWhen != nil {
			if cp.applies, err = l.node(c.AppliesWhen.AST, c.AppliesWhen.Expr, vBool); err != nil {
				return err
			}
		}
		if c.Op == "" {
			if cp.whole, err = l.node(c.Whole.AST, c.Whole.Expr, vBool); err != nil {
				return err
			}
		} else {
			if cp.left, err = l.number(c.Left.AST, c.Left.Expr); err != nil {
				return err
			}
			if cp.right, err = l.number(c.Right.AST, c.Right.Expr); err != nil {
				return err
			}
		}
		plan.criteria = append(plan.criteria, cp)
	}
	if mp.Amount != nil {
		id, err := l.number(mp.Amount.AST, mp.Amount.Expr)
		if err != nil {
			return err
		}
		plan.amount = id
	}
	return nil
}

// number lowers a numeric expression (one side of a comparison, the
// amount) to a decimal node: an int is converted as the engine's toDecimal
// does.
func (l *lowering) number(a *celast.AST, e celast.Expr) (int32, error) {
	v, err := l.expr(a, e)
	if err != nil {
		return 0, err
	}
	if v.series != nil {
		return 0, unsupportedf("a series used as a number")
	}
	switch l.p.nodes[v.id].typ {
	case vDec:
		return v.id, nil
	case vInt:
		return l.p.add(node{op: opToDec, typ: vDec, args: []int32{v.id}}), nil
	}
	return 0, unsupportedf("a non-numeric value where a number is wanted")
}

// node lowers an expression that must be of type want.
func (l *lowering) node(a *celast.AST, e celast.Expr, want vtype) (int32, error) {
	v, err := l.expr(a, e)
	if err != nil {
		return 0, err
	}
	if v.series != nil || l.p.nodes[v.id].typ != want {
		return 0, unsupportedf("an expression of an unexpected type")
	}
	return v.id, nil
}

func typeOf(t *types.Type) (vtype, bool) {
	if t == nil {
		return 0, false
	}
	switch t.Kind() {
	case types.IntKind, types.UintKind:
		return vInt, true
	case types.BoolKind:
		return vBool, true
	case types.StringKind:
		return vStr, true
	case types.TimestampKind:
		return vTime, true
	case types.DoubleKind:
		return vDec, true
	case types.ListKind:
		return vList, true
	case types.OpaqueKind:
		switch t.TypeName() {
		case "decimal":
			return vDec, true
		case "industry":
			return vIndustry, true
		}
	}
	return 0, false
}

func (l *lowering) expr(a *celast.AST, e celast.Expr) (val, error) {
	switch e.Kind() {
	case celast.LiteralKind:
		return l.literal(e.AsLiteral())
	case celast.IdentKind:
		return l.ident(e.AsIdent())
	case celast.CallKind:
		id, err := l.call(a, e)
		return val{id: id}, err
	case celast.ComprehensionKind:
		id, err := l.comprehension(a, e)
		return val{id: id}, err
	}
	return val{}, unsupportedf("expression kind %v", e.Kind())
}

func (l *lowering) literal(v any) (val, error) {
	switch x := v.(type) {
	case types.Int:
		return val{id: l.p.add(node{op: opConst, typ: vInt, i: int64(x)})}, nil
	case types.Uint:
		if uint64(x) > math.MaxInt64 {
			return val{}, unsupportedf("an unsigned literal beyond int64")
		}
		return val{id: l.p.add(node{op: opConst, typ: vInt, i: int64(x)})}, nil
	case types.Bool:
		return val{id: l.boolConst(bool(x))}, nil
	case types.String:
		return val{id: l.p.add(node{op: opConst, typ: vStr, i: int64(l.p.intern(string(x)))})}, nil
	case types.Double:
		// A double literal only ever meets decimals: exactly the decimal
		// of its shortest text, as the engine's decimalFromDouble.
		d, err := decimalOfText(strconv.FormatFloat(float64(x), 'g', -1, 64))
		if err != nil {
			return val{id: l.errConst(err.Error())}, nil
		}
		return val{id: l.decConst(&d)}, nil
	}
	return val{}, unsupportedf("literal %T", v)
}

func (l *lowering) boolConst(b bool) int32 {
	n := node{op: opConst, typ: vBool}
	if b {
		n.i = 1
	}
	return l.p.add(n)
}

func (l *lowering) errConst(msg string) int32 {
	return l.p.add(node{op: opErrConst, typ: vDec, text: msg})
}

// decConst makes a decimal constant: the exact decimal, its nearest
// float64 and a bound on their distance (0 when the float is exact).
func (l *lowering) decConst(d *apd.Decimal) int32 {
	f, fe := floatOf(d)
	return l.p.add(node{op: opConst, typ: vDec, f: f, fe: fe, dec: new(apd.Decimal).Set(d)})
}

// floatOf returns the float64 nearest d and a bound on |float - d|.
func floatOf(d *apd.Decimal) (float64, float64) {
	text := d.Text('e')
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) {
		return math.NaN(), math.Inf(1)
	}
	exact, ok := new(big.Rat).SetString(text)
	if ok && new(big.Rat).SetFloat64(f).Cmp(exact) == 0 {
		return f, 0
	}
	return f, math.Abs(f) * 0x1p-52
}

func decimalOfText(s string) (apd.Decimal, error) {
	var d apd.Decimal
	if _, _, err := d.SetString(s); err != nil || d.Form != apd.Finite {
		return d, fmt.Errorf("%q is not a decimal number", s)
	}
	return d, nil
}

func (l *lowering) ident(name string) (val, error) {
	if id, ok := l.vars[name]; ok {
		return val{id: id}, nil
	}
	kind, index := l.pol.MatchName(name)
	switch kind {
	case policy.MatchField:
		rule, _ := l.p.lib.MatchFieldRule(name)
		if rule.Field.Shape != facts.Timeless {
			return val{series: &rule}, nil
		}
		id, err := l.read(rule, facts.Period{})
		return val{id: id}, err
	case policy.MatchParam:
		return l.param(index)
	case policy.MatchDerived:
		id, err := l.derivedValue(index)
		return val{id: id}, err
	case policy.MatchBuiltin:
		return l.builtin(name)
	}
	return val{}, unsupportedf("the name %s", name)
}

func (l *lowering) param(i int) (val, error) {
	if !l.paramOK[i] {
		// The engine's error for a parameter without a value, typed as
		// the parameter is so that the expressions above still lower.
		t := vDec
		switch l.params[i].Kind {
		case "bool":
			t = vBool
		case "string", "industry_list":
			t = vStr
		}
		msg := fmt.Sprintf("parameter %s has no value on %s", l.params[i].Name, l.p.On.Format(time.DateOnly))
		return val{id: l.p.add(node{op: opErrConst, typ: t, text: msg})}, nil
	}
	v := l.params[i]
	switch v.Kind {
	case "decimal":
		return val{id: l.decConst(&v.Decimal)}, nil
	case "bool":
		return val{id: l.boolConst(v.Bool)}, nil
	case "string", "industry_list":
		return val{id: l.p.add(node{op: opConst, typ: vStr, i: int64(l.p.intern(v.String))})}, nil
	}
	return val{}, unsupportedf("parameter kind %s", v.Kind)
}

func (l *lowering) derivedValue(i int) (int32, error) {
	switch l.derived[i] {
	case -2:
		return 0, unsupportedf("a derived value that refers to itself")
	case -1:
	default:
		return l.derived[i], nil
	}
	l.derived[i] = -2
	d := l.mp.Derived[i]
	v, err := l.expr(d.AST, d.Expr)
	if err != nil {
		return 0, err
	}
	if v.series != nil {
		return 0, unsupportedf("a derived value that is a series")
	}
	l.derived[i] = v.id
	return v.id, nil
}

func yyyymmdd(t time.Time) int64 {
	y, m, d := t.Date()
	return int64(y)*10000 + int64(m)*100 + int64(d)
}

func (l *lowering) builtin(name string) (val, error) {
	p := l.p
	switch name {
	case "on":
		return val{id: p.add(node{op: opConst, typ: vTime, i: yyyymmdd(p.On)})}, nil
	case "tax_month":
		return val{id: p.add(node{op: opConst, typ: vTime, i: int64(p.taxMonth.Year)*10000 + int64(p.taxMonth.Sub)*100 + 1})}, nil
	case "filing_period":
		return val{id: p.add(node{op: opConst, typ: vTime, i: int64(p.On.Year())*10000 + int64(p.On.Month())*100 + 1})}, nil
	case "last_fiscal_year":
		return val{id: p.add(node{op: opConst, typ: vInt, i: int64(p.lastYear)})}, nil
	case "last_fiscal_year_end":
		return val{id: p.add(node{op: opConst, typ: vTime, i: int64(p.lastYear)*10000 + 1231})}, nil
	case "industry":
		return val{id: p.add(node{op: opIndustry, typ: vIndustry, name: p.nameID("industry_code")})}, nil
	case "registered_on":
		return val{id: p.add(node{op: opRegistered, typ: vTime, name: p.nameID("registered_on")})}, nil
	}
	return val{}, unsupportedf("the name %s on its own", name)
}

// read lowers the read of a field at a period, with the field's rules:
// absent_means, the annual averages, the derived size class.
func (l *lowering) read(rule policy.MatchFieldRule, per facts.Period) (int32, error) {
	p := l.p
	f := rule.Field
	if rule.QStart != "" && per.Shape == facts.Annual {
		var cols [10]int32
		for q := 1; q <= 4; q++ {
			s, _ := p.lib.MatchFieldRule(rule.QStart)
			e, _ := p.lib.MatchFieldRule(rule.QEnd)
			cols[q-1] = p.column(colKey{field: s.Field.Name, period: facts.Quarter(per.Year, q), kind: colNum}, s.Field)
			cols[3+q] = p.column(colKey{field: e.Field.Name, period: facts.Quarter(per.Year, q), kind: colNum}, e.Field)
		}
		plain, _ := p.lib.MatchFieldRule(rule.Plain)
		cols[8] = p.column(colKey{field: f.Name, period: per, kind: colNum}, f)
		cols[9] = p.column(colKey{field: plain.Field.Name, period: per, kind: colNum}, plain.Field)
		return p.add(node{op: opAverage, typ: vDec, cols: cols, name: p.nameID(f.Name)}), nil
	}
	if rule.DerivedWhenAbsentBasis {
		basis := l.pol.MatchSizeBasis()
		col := p.column(colKey{field: f.Name, kind: colSize, basis: basis}, f)
		return p.add(node{op: opSize, typ: vStr, col: col, name: p.nameID(f.Name)}), nil
	}
	n := node{op: opRead, name: p.nameID(f.Name)}
	switch {
	case f.Type.Numeric():
		n.typ = vDec
		n.col = p.column(colKey{field: f.Name, period: per, kind: colNum}, f)
	case f.Type == facts.Bool:
		n.typ = vBool
		n.col = p.column(colKey{field: f.Name, period: per, kind: colBool}, f)
	case f.Type == facts.Enum:
		n.typ = vStr
		n.col = p.column(colKey{field: f.Name, period: per, kind: colStr}, f)
	default:
		return 0, unsupportedf("reading the %s field %s", f.Type, f.Name)
	}
	if rule.Absent != nil {
		n.absent = true
		switch n.typ {
		case vDec:
			n.f, n.fe = floatOf(&rule.Absent.Num)
			n.dec = new(apd.Decimal).Set(&rule.Absent.Num)
		case vBool:
			if rule.Absent.Bool {
				n.i = 1
			}
		case vStr:
			n.i = int64(p.intern(rule.Absent.Text))
		}
	}
	return p.add(n), nil
}

// constInt returns the value of an int literal argument.
func constInt(e celast.Expr) (int, bool) {
	if e.Kind() != celast.LiteralKind {
		return 0, false
	}
	switch x := e.AsLiteral().(type) {
	case types.Int:
		return int(x), true
	case types.Uint:
		return int(x), true
	}
	return 0, false
}

// accessor lowers a series accessor call.
func (l *lowering) accessor(rule *policy.MatchFieldRule, fn string, args []celast.Expr) (int32, error) {
	p := l.p
	ints := make([]int, len(args))
	for i, a := range args {
		n, ok := constInt(a)
		if !ok {
			return 0, unsupportedf("%s with an argument that is not a literal", fn)
		}
		ints[i] = n
	}
	in := func(i, lo, hi int) bool { return ints[i] >= lo && ints[i] <= hi }
	one := func(per facts.Period) (int32, error) { return l.read(*rule, per) }
	series := func(start facts.Period, n int) ([]int32, error) {
		ids := make([]int32, n)
		per := start
		for i := range n {
			id, err := l.read(*rule, per)
			if err != nil {
				return nil, err
			}
			ids[i] = id
			per = nextPeriod(per)
		}
		return ids, nil
	}
	list := func(start facts.Period, n int) (int32, error) {
		ids, err := series(start, n)
		if err != nil {
			return 0, err
		}
		return p.add(node{op: opList, typ: vList, argT: p.nodes[ids[0]].typ, args: ids}), nil
	}
	sum := func(start facts.Period, n int, avg bool) (int32, error) {
		ids, err := series(start, n)
		if err != nil {
			return 0, err
		}
		for _, id := range ids {
			if p.nodes[id].typ != vDec {
				return 0, unsupportedf("%s of a non-numeric field", fn)
			}
		}
		op := opSum
		if avg {
			op = opAvgList
		}
		return p.add(node{op: op, typ: vDec, args: ids}), nil
	}
	const maxN = 240
	shape := rule.Field.Shape
	switch {
	case shape == facts.Annual && fn == "last_year" && len(args) == 0:
		return one(facts.Year(p.lastYear))
	case shape == facts.Annual && fn == "years_ago" && len(args) == 1 && in(0, 1, maxN):
		return one(facts.Year(p.lastYear + 1 - ints[0]))
	case shape == facts.Annual && fn == "in_year" && len(args) == 1 && in(0, 1900, 2999):
		return one(facts.Year(ints[0]))
	case shape == facts.Annual && fn == "last_years" && len(args) == 1 && in(0, 1, maxN):
		return list(facts.Year(p.lastYear-ints[0]+1), ints[0])
	case shape == facts.Annual && (fn == "sum_years" || fn == "avg_years") && len(args) == 1 && in(0, 1, maxN):
		return sum(facts.Year(p.lastYear-ints[0]+1), ints[0], fn == "avg_years")
	case shape == facts.Quarterly && fn == "quarter_of_last_year" && len(args) == 1 && in(0, 1, 4):
		return one(facts.Quarter(p.lastYear, ints[0]))
	case shape == facts.Quarterly && fn == "quarters_of_last_year" && len(args) == 0:
		return list(facts.Quarter(p.lastYear, 1), 4)
	case shape == facts.Quarterly && fn == "in_quarter" && len(args) == 2 && in(0, 1900, 2999) && in(1, 1, 4):
		return one(facts.Quarter(ints[0], ints[1]))
	case shape == facts.Monthly && fn == "tax_month" && len(args) == 0:
		return one(p.taxMonth)
	case shape == facts.Monthly && fn == "months_back" && len(args) == 1 && in(0, 0, maxN):
		return one(p.taxMonth.AddMonths(-ints[0]))
	case shape == facts.Monthly && fn == "prior_december" && len(args) == 0:
		return one(facts.Month(p.taxMonth.Year-1, 12))
	case shape == facts.Monthly && fn == "in_month" && len(args) == 2 && in(0, 1900, 2999) && in(1, 1, 12):
		return one(facts.Month(ints[0], ints[1]))
	case shape == facts.Monthly && fn == "last_months" && len(args) == 1 && in(0, 1, maxN):
		return list(p.taxMonth.AddMonths(1-ints[0]), ints[0])
	case shape == facts.Monthly && (fn == "sum_months" || fn == "avg_months") && len(args) == 1 && in(0, 1, maxN):
		return sum(p.taxMonth.AddMonths(1-ints[0]), ints[0], fn == "avg_months")
	}
	return 0, unsupportedf("the accessor %s on a %s field", fn, shape)
}

func nextPeriod(p facts.Period) facts.Period {
	switch p.Shape {
	case facts.Monthly:
		return p.AddMonths(1)
	case facts.Quarterly:
		return p.AddQuarters(1)
	}
	return facts.Year(p.Year + 1)
}

var cmpOps = map[string]opcode{
	operators.Less: opLess, operators.LessEquals: opLessEq, operators.Greater: opGreater,
	operators.GreaterEquals: opGreaterEq, operators.Equals: opEq, operators.NotEquals: opNe,
}

var arithOps = map[string]opcode{
	operators.Add: opAdd, operators.Subtract: opSub, operators.Multiply: opMul, operators.Divide: opDiv,
}

func (l *lowering) call(a *celast.AST, e celast.Expr) (int32, error) {
	p := l.p
	call := e.AsCall()
	fn := call.FunctionName()
	args := call.Args()
	outT, ok := typeOf(a.GetType(e.ID()))
	if call.IsMemberFunction() {
		return l.member(a, e, outT, ok)
	}
	lowerArgs := func() ([]int32, []vtype, error) {
		ids := make([]int32, len(args))
		ts := make([]vtype, len(args))
		for i, x := range args {
			v, err := l.expr(a, x)
			if err != nil {
				return nil, nil, err
			}
			if v.series != nil {
				return nil, nil, unsupportedf("a series passed to %s", fn)
			}
			ids[i], ts[i] = v.id, p.nodes[v.id].typ
		}
		return ids, ts, nil
	}
	switch fn {
	case operators.LogicalAnd, operators.LogicalOr:
		ids, ts, err := lowerArgs()
		if err != nil {
			return 0, err
		}
		for _, t := range ts {
			if t != vBool {
				return 0, unsupportedf("%s of non-booleans", fn)
			}
		}
		op := opAnd
		if fn == operators.LogicalOr {
			op = opOr
		}
		// Flatten a && (b && c): CEL's result does not depend on the nesting.
		var flat []int32
		for _, id := range ids {
			if p.nodes[id].op == op {
				flat = append(flat, p.nodes[id].args...)
			} else {
				flat = append(flat, id)
			}
		}
		return p.add(node{op: op, typ: vBool, args: flat}), nil
	case operators.LogicalNot:
		ids, ts, err := lowerArgs()
		if err != nil {
			return 0, err
		}
		if ts[0] != vBool {
			return 0, unsupportedf("! of a non-boolean")
		}
		return p.add(node{op: opNot, typ: vBool, args: ids}), nil
	case operators.Conditional:
		ids, ts, err := lowerArgs()
		if err != nil {
			return 0, err
		}
		if ts[0] != vBool || !ok {
			return 0, unsupportedf("a conditional of unexpected types")
		}
		t1, t2 := ts[1], ts[2]
		if t1 != t2 {
			// An int branch beside a decimal one: CEL keeps each as it is,
			// and a decimal comparison or arithmetic above converts.
			return 0, unsupportedf("a conditional whose branches differ in type")
		}
		return p.add(node{op: opCond, typ: t1, args: ids}), nil
	case operators.Negate:
		ids, ts, err := lowerArgs()
		if err != nil {
			return 0, err
		}
		if ts[0] != vDec && ts[0] != vInt {
			return 0, unsupportedf("negation of a non-number")
		}
		return p.add(node{op: opNeg, typ: ts[0], args: ids}), nil
	case operators.In:
		return l.inSet(a, args)
	case "decimal":
		return l.toDecimal(a, args)
	case "date":
		return l.date(a, args)
	case "min", "max", "abs", "sum", "if_missing", "years_between", "months_between", "days_between":
		return l.function(a, fn, args, outT, ok)
	}
	if op, isCmp := cmpOps[fn]; isCmp {
		ids, ts, err := lowerArgs()
		if err != nil {
			return 0, err
		}
		if ts[0] != ts[1] {
			return 0, unsupportedf("%s of mixed types", fn)
		}
		switch ts[0] {
		case vDec, vInt, vTime:
		case vStr, vBool:
			if op != opEq && op != opNe {
				return 0, unsupportedf("ordering of strings or booleans")
			}
		default:
			return 0, unsupportedf("%s of these types", fn)
		}
		return p.add(node{op: op, typ: vBool, argT: ts[0], args: ids}), nil
	}
	if op, isArith := arithOps[fn]; isArith {
		ids, ts, err := lowerArgs()
		if err != nil {
			return 0, err
		}
		if ts[0] != ts[1] || (ts[0] != vDec && ts[0] != vInt) || (ts[0] == vInt && op == opDiv) {
			return 0, unsupportedf("%s of these types", fn)
		}
		return p.add(node{op: op, typ: ts[0], args: ids}), nil
	}
	return 0, unsupportedf("the function %s", fn)
}

// inSet lowers x in ["a", "b"].
func (l *lowering) inSet(a *celast.AST, args []celast.Expr) (int32, error) {
	if len(args) != 2 || args[1].Kind() != celast.ListKind {
		return 0, unsupportedf("in with a list that is not a literal")
	}
	v, err := l.expr(a, args[0])
	if err != nil {
		return 0, err
	}
	if v.series != nil || l.p.nodes[v.id].typ != vStr {
		return 0, unsupportedf("in on a non-string")
	}
	var set []int32
	for _, el := range args[1].AsList().Elements() {
		if el.Kind() != celast.LiteralKind {
			return 0, unsupportedf("in with a list of non-literals")
		}
		s, isStr := el.AsLiteral().(types.String)
		if !isStr {
			return 0, unsupportedf("in with a list of non-strings")
		}
		set = append(set, l.p.intern(string(s)))
	}
	return l.p.add(node{op: opInSet, typ: vBool, args: []int32{v.id}, set: set}), nil
}

// toDecimal lowers decimal(x), which the promotion also writes around ints
// and literals beside decimals.
func (l *lowering) toDecimal(a *celast.AST, args []celast.Expr) (int32, error) {
	if len(args) != 1 {
		return 0, unsupportedf("decimal() with %d arguments", len(args))
	}
	x := args[0]
	if x.Kind() == celast.LiteralKind {
		switch lit := x.AsLiteral().(type) {
		case types.Int:
			d := apd.New(int64(lit), 0)
			return l.decConst(d), nil
		case types.Double:
			d, err := decimalOfText(strconv.FormatFloat(float64(lit), 'g', -1, 64))
			if err != nil {
				return l.errConst(err.Error()), nil
			}
			return l.decConst(&d), nil
		case types.String:
			d, err := decimalOfText(string(lit))
			if err != nil {
				return l.errConst(err.Error()), nil
			}
			return l.decConst(&d), nil
		}
	}
	v, err := l.expr(a, x)
	if err != nil {
		return 0, err
	}
	if v.series != nil {
		return 0, unsupportedf("decimal() of a series")
	}
	switch l.p.nodes[v.id].typ {
	case vDec:
		return v.id, nil
	case vInt:
		return l.p.add(node{op: opToDec, typ: vDec, args: []int32{v.id}}), nil
	}
	return 0, unsupportedf("decimal() of a non-number")
}

// date lowers date(s) for a constant s: a literal or a string parameter.
func (l *lowering) date(a *celast.AST, args []celast.Expr) (int32, error) {
	if len(args) != 1 {
		return 0, unsupportedf("date() with %d arguments", len(args))
	}
	v, err := l.expr(a, args[0])
	if err != nil {
		return 0, err
	}
	n := l.p.nodes[v.id]
	if v.series != nil || n.op != opConst || n.typ != vStr {
		return 0, unsupportedf("date() of a non-constant")
	}
	s := l.p.strs[n.i]
	t, perr := time.Parse(time.DateOnly, s)
	if perr != nil {
		return l.p.add(node{op: opErrConst, typ: vTime, text: fmt.Sprintf("%q is not a date (want YYYY-MM-DD)", s)}), nil
	}
	return l.p.add(node{op: opConst, typ: vTime, i: yyyymmdd(t)}), nil
}

func (l *lowering) function(a *celast.AST, fn string, args []celast.Expr, outT vtype, ok bool) (int32, error) {
	p := l.p
	ids := make([]int32, len(args))
	for i, x := range args {
		v, err := l.expr(a, x)
		if err != nil {
			return 0, err
		}
		if v.series != nil {
			return 0, unsupportedf("a series passed to %s", fn)
		}
		ids[i] = v.id
	}
	toDec := func(id int32) (int32, error) {
		switch p.nodes[id].typ {
		case vDec:
			return id, nil
		case vInt:
			return p.add(node{op: opToDec, typ: vDec, args: []int32{id}}), nil
		}
		return 0, unsupportedf("%s of a non-number", fn)
	}
	switch fn {
	case "min", "max":
		op := opMin
		if fn == "max" {
			op = opMax
		}
		if len(ids) != 2 {
			return 0, unsupportedf("%s with %d arguments", fn, len(ids))
		}
		if ok && outT == vInt {
			if p.nodes[ids[0]].typ != vInt || p.nodes[ids[1]].typ != vInt {
				return 0, unsupportedf("%s of mixed types", fn)
			}
			return p.add(node{op: op, typ: vInt, args: ids}), nil
		}
		x, err := toDec(ids[0])
		if err != nil {
			return 0, err
		}
		y, err := toDec(ids[1])
		if err != nil {
			return 0, err
		}
		return p.add(node{op: op, typ: vDec, args: []int32{x, y}}), nil
	case "abs":
		if len(ids) != 1 || p.nodes[ids[0]].typ != vDec {
			return 0, unsupportedf("abs of a non-decimal")
		}
		return p.add(node{op: opAbs, typ: vDec, args: ids}), nil
	case "sum":
		if len(ids) != 1 || p.nodes[ids[0]].op != opList || p.nodes[ids[0]].argT != vDec {
			return 0, unsupportedf("sum of a list that is not a series of decimals")
		}
		return p.add(node{op: opSum, typ: vDec, args: p.nodes[ids[0]].args}), nil
	case "if_missing":
		if len(ids) != 2 || !ok {
			return 0, unsupportedf("if_missing with %d arguments", len(ids))
		}
		x, d := ids[0], ids[1]
		if outT == vDec {
			var err error
			if d, err = toDec(d); err != nil {
				return 0, err
			}
		}
		if p.nodes[x].typ != outT || p.nodes[d].typ != outT {
			return 0, unsupportedf("if_missing of mixed types")
		}
		return p.add(node{op: opIfMissing, typ: outT, args: []int32{x, d}}), nil
	case "years_between", "months_between", "days_between":
		if len(ids) != 2 || p.nodes[ids[0]].typ != vTime || p.nodes[ids[1]].typ != vTime {
			return 0, unsupportedf("%s of non-dates", fn)
		}
		op := opYearsBetween
		switch fn {
		case "months_between":
			op = opMonthsBetween
		case "days_between":
			op = opDaysBetween
		}
		return p.add(node{op: op, typ: vInt, args: ids}), nil
	}
	return 0, unsupportedf("the function %s", fn)
}

// member lowers a member call: a series accessor, an industry function, or
// uscc.startsWith.
func (l *lowering) member(a *celast.AST, e celast.Expr, outT vtype, ok bool) (int32, error) {
	p := l.p
	call := e.AsCall()
	fn := call.FunctionName()
	target := call.Target()
	if target.Kind() == celast.IdentKind && target.AsIdent() == "uscc" && fn == "startsWith" {
		if _, shadowed := l.vars["uscc"]; !shadowed && len(call.Args()) == 1 && call.Args()[0].Kind() == celast.LiteralKind {
			if s, isStr := call.Args()[0].AsLiteral().(types.String); isStr {
				return p.add(node{op: opStartsWithUSCC, typ: vBool, text: string(s)}), nil
			}
		}
		return 0, unsupportedf("startsWith with a non-literal")
	}
	recv, err := l.expr(a, target)
	if err != nil {
		return 0, err
	}
	if recv.series != nil {
		return l.accessor(recv.series, fn, call.Args())
	}
	if n := p.nodes[recv.id]; n.op == opConst && n.typ == vTime && len(call.Args()) == 0 {
		// A part of a constant date (on, filing_period, tax_month): the
		// evaluation date is the program's, so it folds to a constant, as
		// CEL's getFullYear() and getMonth() (0 for January) give it in UTC.
		switch fn {
		case "getFullYear":
			return p.add(node{op: opConst, typ: vInt, i: n.i / 10000}), nil
		case "getMonth":
			return p.add(node{op: opConst, typ: vInt, i: n.i/100%100 - 1}), nil
		}
	}
	if p.nodes[recv.id].typ != vIndustry {
		return 0, unsupportedf("the method %s", fn)
	}
	switch fn {
	case "section", "division", "code":
		op := map[string]opcode{"section": opSection, "division": opDivision, "code": opCode}[fn]
		return p.add(node{op: op, typ: vStr, args: []int32{recv.id}}), nil
	case "in_list":
		if len(call.Args()) != 1 {
			return 0, unsupportedf("in_list with %d arguments", len(call.Args()))
		}
		v, err := l.expr(a, call.Args()[0])
		if err != nil {
			return 0, err
		}
		n := p.nodes[v.id]
		if v.series != nil || n.op != opConst || n.typ != vStr {
			return 0, unsupportedf("in_list of a non-constant list")
		}
		text := p.strs[n.i]
		li, err := p.industryList(text)
		if err != nil {
			return p.add(node{op: opErrConst, typ: vBool, text: err.Error()}), nil
		}
		return p.add(node{op: opInList, typ: vBool, args: []int32{recv.id}, list: li}), nil
	}
	return 0, unsupportedf("the industry method %s", fn)
}

func (p *Program) industryList(text string) (int32, error) {
	if i, ok := p.listIdx[text]; ok {
		return i, nil
	}
	list, err := enterprise.ParseIndustryList(text)
	if err != nil {
		return 0, err
	}
	p.indMu.Lock()
	defer p.indMu.Unlock()
	i := int32(len(p.lists))
	p.lists = append(p.lists, list)
	p.listIdx[text] = i
	return i, nil
}

// comprehension lowers the all() and exists() macros over a list of known
// length by unrolling: the predicate once per element, combined with CEL's
// && or ||, which is what the macro's fold computes.
func (l *lowering) comprehension(a *celast.AST, e celast.Expr) (int32, error) {
	c := e.AsComprehension()
	if c.HasIterVar2() {
		return 0, unsupportedf("a two-variable comprehension")
	}
	init := c.AccuInit()
	if init.Kind() != celast.LiteralKind {
		return 0, unsupportedf("a comprehension that is not all() or exists()")
	}
	b, isBool := init.AsLiteral().(types.Bool)
	if !isBool {
		return 0, unsupportedf("a comprehension that is not all() or exists()")
	}
	step := c.LoopStep()
	if step.Kind() != celast.CallKind {
		return 0, unsupportedf("a comprehension that is not all() or exists()")
	}
	sc := step.AsCall()
	wantFn, op := operators.LogicalAnd, opAll
	if !bool(b) {
		wantFn, op = operators.LogicalOr, opExists
	}
	if sc.FunctionName() != wantFn || len(sc.Args()) != 2 {
		return 0, unsupportedf("a comprehension that is not all() or exists()")
	}
	var pred celast.Expr
	switch {
	case sc.Args()[0].Kind() == celast.IdentKind && sc.Args()[0].AsIdent() == c.AccuVar():
		pred = sc.Args()[1]
	case sc.Args()[1].Kind() == celast.IdentKind && sc.Args()[1].AsIdent() == c.AccuVar():
		pred = sc.Args()[0]
	default:
		return 0, unsupportedf("a comprehension that is not all() or exists()")
	}
	rng, err := l.expr(a, c.IterRange())
	if err != nil {
		return 0, err
	}
	if rng.series != nil || l.p.nodes[rng.id].op != opList {
		return 0, unsupportedf("a comprehension over something other than a series list")
	}
	elems := l.p.nodes[rng.id].args
	args := []int32{rng.id}
	saved, had := l.vars[c.IterVar()]
	for _, el := range elems {
		l.vars[c.IterVar()] = el
		v, err := l.expr(a, pred)
		if err != nil {
			return 0, err
		}
		if v.series != nil || l.p.nodes[v.id].typ != vBool {
			return 0, unsupportedf("a comprehension predicate that is not a boolean")
		}
		args = append(args, v.id)
	}
	if had {
		l.vars[c.IterVar()] = saved
	} else {
		delete(l.vars, c.IterVar())
	}
	return l.p.add(node{op: op, typ: vBool, args: args}), nil
}
