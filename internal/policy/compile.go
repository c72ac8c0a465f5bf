package policy

import (
	"slices"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

// compiler turns one parsed policy file into a Policy, reporting every
// problem through the file's reader.
type compiler struct {
	lib   *Library
	r     *fileReader
	def   *policyDef
	pol   *Policy
	env   *cel.Env
	reads map[string]bool // identifiers the expressions use
}

func (l *Library) compile(r *fileReader, def *policyDef, version string) *Policy {
	before := len(r.issues)
	c := &compiler{lib: l, r: r, def: def, reads: map[string]bool{}}
	c.pol = &Policy{
		lib: l, file: r.file, version: version, fileHash: version, id: def.id, title: def.title, summary: def.summary,
		documents: def.documents, mode: def.mode, verified: def.verified, unverified: def.unverified,
		benefit: Benefit{Kind: def.benefit, TaxRateLabel: def.taxRateLbl}, claim: Claim{Mode: def.mode, Where: def.claim.Where, By: def.claim.By},
		inForce: def.inForce, sizeBasis: def.sizeBasis, tolerance: def.tolerance, materials: def.materials,
		names: make(map[string]slot, len(l.fields.list)+16),
	}
	for _, f := range l.fields.list {
		c.pol.names[f.field.Name] = slot{kind: slotField, index: f.index}
	}
	for _, n := range []string{nameUSCC, nameIndustry, nameRegisteredOn, nameOn, nameTaxMonth, nameFilingPeriod, nameLastFiscalYear, nameLastYearEnd} {
		c.pol.names[n] = slot{kind: slotBuiltin}
	}
	c.compileParams()
	c.compileDerived()
	c.compileCriteria()
	c.compileAmount()
	c.pol.report = c.derivedRefs(def.report, "report")
	c.compileNotes()
	c.compileTaxRate()
	c.checkUnverifiedParams()
	c.pol.fields = c.fieldsRead()
	if len(r.issues) > before {
		return nil
	}
	return c.pol
}

// declare reserves a policy name for a parameter or a derived value.
func (c *compiler) declare(name string, at Position, s slot) bool {
	if builtinNames[name] {
		c.r.errorAt(at, "%q is a built-in name of the expressions; choose another", name)
		return false
	}
	if old, taken := c.pol.names[name]; taken {
		if old.kind == slotField {
			c.r.errorAt(at, "%q is a field of the data dictionary; choose another name", name)
		} else {
			c.r.errorAt(at, "%q is defined twice (parameters and derived values share one namespace)", name)
		}
		return false
	}
	c.pol.names[name] = s
	return true
}

func (c *compiler) compileParams() {
	var opts []cel.EnvOption
	for _, pd := range c.def.params {
		if !c.declare(pd.name, c.r.pos(pd.node), slot{kind: slotParam, index: len(c.pol.params)}) {
			continue
		}
		p := &param{name: pd.name, label: pd.label, unit: pd.unit, kind: pd.kind}
		t := cel.DynType
		switch pd.kind {
		case paramDecimal:
			t = decimalType
		case paramString, paramIndustryList:
			t = cel.StringType
		case paramBool:
			t = cel.BoolType
		}
		for _, v := range pd.values {
			var val ref.Val
			switch v.kind {
			case paramDecimal:
				if err := checkMagnitude(v.num); err != nil {
					c.r.errorf(v.node, "parameter %s: %v", pd.name, err)
				}
				val = newDecimal(v.num)
			case paramBool:
				val = types.Bool(v.boolean)
			default:
				val = types.String(v.str)
				if pd.kind == paramIndustryList {
					if _, err := c.lib.lists.get(v.str); err != nil {
						c.r.errorf(v.node, "parameter %s: %s", pd.name, errorText(err))
					}
				}
			}
			p.values = append(p.values, paramAt{from: v.from, val: val, verified: v.verified})
		}
		if ld := pd.local; ld != nil {
			if pd.kind != paramDecimal {
				c.r.errorf(ld.node, "parameter %s: only a number may be set locally", pd.name)
			} else if ld.min != nil && ld.max != nil {
				p.rule = &localRule{min: ld.min, max: ld.max, from: ld.from, document: ld.document}
			}
		}
		c.pol.params = append(c.pol.params, p)
		opts = append(opts, cel.Variable(pd.name, t))
	}
	env, err := c.lib.env.Extend(opts...)
	if err != nil {
		c.r.errorAt(c.r.pos(c.def.idNode), "parameters: %v", err)
		env = c.lib.env
	}
	c.env = env
}

var comparisonOps = map[string]string{
	operators.Less: "<", operators.LessEquals: "<=", operators.Greater: ">", operators.GreaterEquals: ">=",
}

func (c *compiler) compileCriteria() {
	for _, cd := range c.def.criteria {
		cr := &criterion{id: cd.id, label: cd.label, unit: cd.unit, tolerance: cd.tolerance, moneyLabel: cd.moneyLabel}
		if cd.appliesWhen != nil {
			if a := c.checkExpr(c.env, *cd.appliesWhen, cel.BoolType, "applies_when"); a != nil {
				cr.appliesWhen = c.program(c.env, a, *cd.appliesWhen)
			}
		}
		if a := c.checkExpr(c.env, cd.expr, cel.BoolType, "a criterion"); a != nil {
			if a = c.promote(c.env, a, cd.expr); a != nil {
				c.splitComparison(cr, a, cd.expr)
			}
		}
		if cd.money != nil {
			if cr.op == "" {
				c.r.errorf(cd.money.node, "near_miss.money needs a criterion that compares numbers (value <= or >= threshold)")
			} else {
				env, err := c.env.Extend(cel.Variable(nameValue, decimalType), cel.Variable(nameThreshold, decimalType), cel.Variable(nameGap, decimalType))
				if err == nil {
					if a := c.checkExpr(env, *cd.money, decimalType, "near_miss.money"); a != nil {
						cr.money = c.program(env, a, *cd.money)
					}
				}
			}
		}
		c.pol.criteria = append(c.pol.criteria, cr)
	}
}

// splitComparison plans a numeric comparison as its two sides, so that the
// explanation can show the value, the threshold and the gap; anything else
// is planned whole.
func (c *compiler) splitComparison(cr *criterion, a *cel.Ast, e exprDef) {
	native := a.NativeRep()
	root := native.Expr()
	if root.Kind() == celast.CallKind {
		call := root.AsCall()
		if op, ok := comparisonOps[call.FunctionName()]; ok && len(call.Args()) == 2 && !call.IsMemberFunction() {
			l, r := call.Args()[0], call.Args()[1]
			if isNumeric(native.GetType(l.ID())) && isNumeric(native.GetType(r.ID())) {
				cr.op = op
				cr.left = c.plan(c.env, native, l, e)
				cr.right = c.plan(c.env, native, r, e)
				return
			}
		}
	}
	cr.whole = c.plan(c.env, native, root, e)
}

func isNumeric(t *types.Type) bool {
	return isDecimal(t) || t != nil && t.Kind() == types.IntKind
}

func (c *compiler) compileAmount() {
	ad := c.def.amount
	if ad == nil {
		return
	}
	a := c.checkExpr(c.env, ad.expr, nil, "the amount")
	if a == nil {
		return
	}
	if t := a.OutputType(); !isDecimal(t) && t.Kind() != types.IntKind {
		c.reportAt(ad.expr, 0, "the amount must be a number in yuan, not %s", cel.FormatCELType(t))
		return
	}
	c.pol.amount = &amount{prg: c.program(c.env, a, ad.expr), label: ad.label, parts: c.derivedRefs(ad.parts, "parts")}
}

func (c *compiler) compileTaxRate() {
	e := c.def.taxRate
	if e == nil {
		return
	}
	a := c.checkExpr(c.env, *e, nil, "benefit.tax_rate")
	if a == nil {
		return
	}
	if !isDecimal(a.OutputType()) {
		// A literal rate (0.25) is a double: make it the exact decimal.
		if a.OutputType().Kind() == types.DoubleKind {
			a = c.recheck(c.env, "decimal("+e.text+")", *e)
		} else {
			c.reportAt(*e, 0, "benefit.tax_rate must be a ratio (0.25), not %s", cel.FormatCELType(a.OutputType()))
			return
		}
	}
	if a != nil {
		c.pol.taxRate = c.program(c.env, a, *e)
	}
}

func (c *compiler) compileNotes() {
	for _, nd := range c.def.notes {
		if a := c.checkExpr(c.env, nd.when, cel.BoolType, "a note's when"); a != nil {
			c.pol.notes = append(c.pol.notes, &note{when: c.program(c.env, a, nd.when), text: nd.text})
		}
	}
}

// derivedRefs resolves names listed in report or amount.parts.
func (c *compiler) derivedRefs(refs []nameRef, what string) []int {
	var out []int
	for _, n := range refs {
		s, ok := c.pol.names[n.name]
		if !ok || s.kind != slotDerived {
			c.r.errorf(n.node, "%s: %q is not a derived value of this policy", what, n.name)
			continue
		}
		out = append(out, s.index)
	}
	return out
}

func (c *compiler) checkUnverifiedParams() {
	for i, pd := range c.def.params {
		for _, v := range pd.values {
			if !v.verified && c.def.verified {
				c.r.errorf(v.node, "parameter %s has an unverified value, so the policy must say verified: false", c.def.params[i].name)
			}
		}
	}
}

// fieldsRead lists the fields the policy's expressions read, directly or
// through the rules of fieldInfo (averages, the derived size).
func (c *compiler) fieldsRead() []string {
	set := map[string]bool{}
	for id := range c.reads {
		s, ok := c.pol.names[id]
		if !ok {
			continue
		}
		switch {
		case s.kind == slotField:
			f := c.lib.fields.list[s.index]
			set[f.field.Name] = true
			if f.average != nil {
				set[f.average.qStart.field.Name] = true
				set[f.average.qEnd.field.Name] = true
				set[f.average.plain.field.Name] = true
			}
			if f.field.Name == fieldSize {
				set[attrIndustryCode] = true
				set["total_assets"] = true
				if c.def.sizeBasis == "vat_sales" {
					set["vat_sales"] = true // without headcount (No.14 Art.12)
				} else {
					set["revenue"] = true
					set["employees"] = true
				}
			}
		case id == nameIndustry:
			set[attrIndustryCode] = true
		case id == nameRegisteredOn:
			set[attrRegisteredOn] = true
		}
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}
