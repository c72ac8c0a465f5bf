package policy

// This file is the hook that matching (internal/match) compiles policies
// through. Matching evaluates every enterprise against every policy over a
// columnar snapshot, with its own vectorised plan of the expressions; it
// needs the checked expressions themselves, which a compiled Policy keeps
// only as CEL programs. MatchPlan therefore compiles the policy file again,
// with the same compiler, and hands out the checked and promoted ASTs, the
// names they use and the values of parameters at a date. It is owned by the
// matching engine; the rest of the package does not depend on it.

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// MatchPlan is a policy's expressions as checked ASTs, for matching.
type MatchPlan struct {
	Derived  []MatchExpr // in the policy's order; MatchName's index refers to it
	Criteria []MatchCriterion
	Amount   *MatchExpr // nil when the policy computes no amount
}

// MatchExpr is one checked expression: Expr is its root within AST (for a
// comparison criterion, one side of it). Types and overloads are looked up
// in AST by the ids of Expr's nodes.
type MatchExpr struct {
	AST  *celast.AST
	Expr celast.Expr
}

// MatchCriterion is one criterion. Op is "<", "<=", ">" or ">=" when the
// criterion is a numeric comparison (Left and Right are set), "" otherwise
// (Whole is set). Tolerance is the relative distance within which a failing
// comparison is a near miss.
type MatchCriterion struct {
	ID          string
	Op          string
	AppliesWhen *MatchExpr
	Whole       *MatchExpr
	Left, Right *MatchExpr
	Tolerance   apd.Decimal
}

// MatchNameKind says what an identifier of an expression stands for.
type MatchNameKind uint8

// The kinds of names.
const (
	MatchUnknownName MatchNameKind = iota
	MatchField                     // a dictionary field
	MatchParam                     // a parameter: index into the policy's parameters
	MatchDerived                   // a derived value: index into MatchPlan.Derived
	MatchBuiltin                   // uscc, industry, registered_on, on, tax_month, filing_period, last_fiscal_year, last_fiscal_year_end
)

// MatchName resolves an identifier of the policy's expressions.
func (p *Policy) MatchName(name string) (MatchNameKind, int) {
	s, ok := p.names[name]
	if !ok {
		return MatchUnknownName, 0
	}
	switch s.kind {
	case slotField:
		return MatchField, s.index
	case slotParam:
		return MatchParam, s.index
	case slotDerived:
		return MatchDerived, s.index
	case slotBuiltin:
		return MatchBuiltin, 0
	}
	return MatchUnknownName, 0
}

// MatchFieldRule is how a dictionary field is read: its definition, the
// value an absent fact stands for (absent_means), and for an annual average
// the fields it is computed from (quarter starts and ends, then the plain
// annual field).
type MatchFieldRule struct {
	Field                  *facts.Field
	Absent                 *facts.Value
	QStart, QEnd, Plain    string // set for employees_avg and total_assets_avg
	DerivedWhenAbsentBasis bool   // enterprise_size: derived from other facts when absent
}

// MatchFieldRule returns the reading rule of a field by name.
func (l *Library) MatchFieldRule(name string) (MatchFieldRule, bool) {
	fi, ok := l.fields.byName[name]
	if !ok {
		return MatchFieldRule{}, false
	}
	r := MatchFieldRule{Field: fi.field, DerivedWhenAbsentBasis: fi.field.Name == fieldSize}
	if fi.field.AbsentMeans != "" {
		if v, err := fi.field.ParseValue(fi.field.AbsentMeans); err == nil {
			r.Absent = &v
		}
	}
	if fi.average != nil {
		r.QStart, r.QEnd, r.Plain = fi.average.qStart.field.Name, fi.average.qEnd.field.Name, fi.average.plain.field.Name
	}
	return r, true
}

// MatchValue is the value of a parameter on a date. Kind is "decimal",
// "string", "bool" or "industry_list" (a string).
type MatchValue struct {
	Name     string
	Kind     string
	Decimal  apd.Decimal
	String   string
	Bool     bool
	Verified bool
}

// MatchParams returns every parameter of the policy at its reference date
// for the evaluation date on, in the order MatchName's indexes use; ok is
// false for a parameter without a value then (every use of it is an error).
func (p *Policy) MatchParams(on time.Time) (values []MatchValue, ok []bool) {
	ref := p.referenceDate(on)
	for _, prm := range p.params {
		v, found := prm.at(ref)
		mv := MatchValue{Name: prm.name, Kind: kindName(prm.kind), Verified: v.verified}
		if found {
			switch x := v.val.(type) {
			case *decimalVal:
				mv.Kind = "decimal"
				mv.Decimal.Set(&x.d)
			case types.String:
				if mv.Kind != "industry_list" {
					mv.Kind = "string"
				}
				mv.String = string(x)
			case types.Bool:
				mv.Kind = "bool"
				mv.Bool = bool(x)
			default:
				found = false
			}
		}
		values = append(values, mv)
		ok = append(ok, found)
	}
	return values, ok
}

// MatchSizeBasis is how enterprise_size is derived when absent: "revenue"
// or "vat_sales".
func (p *Policy) MatchSizeBasis() string {
	if p.sizeBasis == "vat_sales" {
		return "vat_sales"
	}
	return "revenue"
}

// MatchVerified is the Verified flag of every result of the policy on the
// date: every parameter value in force is verified and no unverified point
// of the policy applies.
func (p *Policy) MatchVerified(on time.Time) bool {
	ref := p.referenceDate(on)
	for _, prm := range p.params {
		if v, ok := prm.at(ref); ok && !v.verified {
			return false
		}
	}
	return !p.unverifiedAt(ref)
}

// MatchPlan compiles the policy's file again and returns its checked
// expressions. raw must be the file the policy was loaded from: its hash
// must be the policy's version.
func (l *Library) MatchPlan(p *Policy, raw []byte) (*MatchPlan, error) {
	sum := sha256.Sum256(raw)
	if hex.EncodeToString(sum[:]) != p.fileHash {
		return nil, fmt.Errorf("policy %s: the file %s changed since it was loaded", p.id, p.file)
	}
	r := newFileReader(p.file, raw)
	root := r.parse()
	if root == nil {
		return nil, issuesError(p, r.issues)
	}
	def := parsePolicy(r, root)
	c := &compiler{lib: l, r: r, def: def, reads: map[string]bool{}}
	c.pol = &Policy{lib: l, file: p.file, id: def.id, names: make(map[string]slot, len(l.fields.list)+16)}
	for _, f := range l.fields.list {
		c.pol.names[f.field.Name] = slot{kind: slotField, index: f.index}
	}
	for _, n := range []string{nameUSCC, nameIndustry, nameRegisteredOn, nameOn, nameTaxMonth, nameFilingPeriod, nameLastFiscalYear, nameLastYearEnd} {
		c.pol.names[n] = slot{kind: slotBuiltin}
	}
	c.compileParams()
	c.compileDerived()
	if len(r.issues) > 0 {
		return nil, issuesError(p, r.issues)
	}
	plan := &MatchPlan{}
	byName := map[string]*derivedDef{}
	for _, d := range def.derived {
		byName[d.name] = d
	}
	for _, d := range c.pol.derived {
		dd := byName[d.name]
		if dd == nil {
			return nil, fmt.Errorf("policy %s: derived value %s has no definition", p.id, d.name)
		}
		a, iss := c.env.Compile(dd.expr.text)
		if iss.Err() != nil {
			return nil, fmt.Errorf("policy %s: derived value %s: %w", p.id, d.name, iss.Err())
		}
		if a.OutputType().Kind() == types.DoubleKind {
			if a, iss = c.env.Compile("decimal(" + dd.expr.text + ")"); iss.Err() != nil {
				return nil, fmt.Errorf("policy %s: derived value %s: %w", p.id, d.name, iss.Err())
			}
		}
		e, err := c.matchExpr(a, dd.expr)
		if err != nil {
			return nil, err
		}
		plan.Derived = append(plan.Derived, *e)
	}
	for i, cd := range def.criteria {
		mc := MatchCriterion{ID: cd.id}
		switch {
		case i < len(p.criteria) && p.criteria[i].tolerance != nil:
			mc.Tolerance.Set(p.criteria[i].tolerance)
		case p.tolerance != nil:
			mc.Tolerance.Set(p.tolerance)
		default:
			mc.Tolerance.SetFinite(10, -2)
		}
		if cd.appliesWhen != nil {
			e, err := c.matchChecked(*cd.appliesWhen, cel.BoolType)
			if err != nil {
				return nil, err
			}
			mc.AppliesWhen = e
		}
		e, err := c.matchChecked(cd.expr, cel.BoolType)
		if err != nil {
			return nil, err
		}
		mc.Whole = e
		if root := e.Expr; root.Kind() == celast.CallKind {
			call := root.AsCall()
			if op, ok := comparisonOps[call.FunctionName()]; ok && len(call.Args()) == 2 && !call.IsMemberFunction() {
				l, r := call.Args()[0], call.Args()[1]
				if isNumeric(e.AST.GetType(l.ID())) && isNumeric(e.AST.GetType(r.ID())) {
					mc.Op, mc.Whole = op, nil
					mc.Left, mc.Right = &MatchExpr{AST: e.AST, Expr: l}, &MatchExpr{AST: e.AST, Expr: r}
				}
			}
		}
		plan.Criteria = append(plan.Criteria, mc)
	}
	if def.amount != nil {
		e, err := c.matchChecked(def.amount.expr, nil)
		if err != nil {
			return nil, err
		}
		plan.Amount = e
	}
	if len(r.issues) > 0 {
		return nil, issuesError(p, r.issues)
	}
	if len(plan.Derived) != len(p.derived) || len(plan.Criteria) != len(p.criteria) || (plan.Amount == nil) != (p.amount == nil) {
		return nil, fmt.Errorf("policy %s: the recompiled plan does not match the loaded policy", p.id)
	}
	return plan, nil
}

// matchChecked type-checks an expression against the policy's environment
// and promotes it, as compileCriteria and compileAmount do.
func (c *compiler) matchChecked(e exprDef, want *cel.Type) (*MatchExpr, error) {
	a := c.checkExpr(c.env, e, want, "an expression")
	if a == nil {
		return nil, fmt.Errorf("policy %s: %q does not compile", c.def.id, e.text)
	}
	return c.matchExpr(a, e)
}

func (c *compiler) matchExpr(a *cel.Ast, e exprDef) (*MatchExpr, error) {
	a = c.promote(c.env, a, e)
	if a == nil {
		return nil, fmt.Errorf("policy %s: %q does not compile", c.def.id, e.text)
	}
	native := a.NativeRep()
	return &MatchExpr{AST: native, Expr: native.Expr()}, nil
}

func issuesError(p *Policy, issues []Issue) error {
	var msgs []string
	for _, is := range issues {
		msgs = append(msgs, is.String())
	}
	if len(msgs) == 0 {
		return errors.New("policy " + p.id + ": does not compile")
	}
	return fmt.Errorf("policy %s: %s", p.id, strings.Join(msgs, "; "))
}

// CompileDraft compiles one policy file against the library's dictionary
// without adding it to the library: `parkdesk policy simulate` evaluates a
// draft over the population next to the current version of the same id.
func (l *Library) CompileDraft(file string, raw []byte) (*Policy, error) {
	if len(raw) > maxFileSize {
		return nil, errors.New("the file is larger than 1 MiB")
	}
	// A draft may be named anything (hnte-draft.yaml): its id says which
	// policy it revises, so the file-name check is skipped.
	p, issues := l.loadFile(file, "", raw)
	if p == nil || len(issues) > 0 {
		return nil, &LoadError{Issues: issues}
	}
	return p, nil
}
