package policy

import (
	"fmt"
	"strings"
	"time"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
)

// checkExpr parses and type-checks an expression, requiring a result type
// when want is not nil, and checks its literals.
func (c *compiler) checkExpr(env *cel.Env, e exprDef, want *cel.Type, what string) *cel.Ast {
	if e.node == nil || strings.TrimSpace(e.text) == "" {
		return nil
	}
	a, iss := env.Compile(e.text)
	if iss.Err() != nil {
		c.reportIssues(e, iss)
		return nil
	}
	if want != nil && !a.OutputType().IsExactType(want) {
		c.reportAt(e, 0, "%s must be %s, but this expression is %s", what, typeName(want), typeName(a.OutputType()))
		return nil
	}
	for _, id := range identifiers(a.NativeRep()) {
		c.reads[id] = true
	}
	if !c.checkLiterals(a, e) {
		return nil
	}
	return a
}

func typeName(t *cel.Type) string {
	if t.Kind() == types.BoolKind {
		return "true or false (bool)"
	}
	return cel.FormatCELType(t)
}

// checkLiterals checks literal industry lists and dates when the policy is
// loaded rather than at the first evaluation.
func (c *compiler) checkLiterals(a *cel.Ast, e exprDef) bool {
	ok := true
	native := a.NativeRep()
	for _, call := range celast.MatchDescendants(celast.NavigateAST(native), celast.KindMatcher(celast.CallKind)) {
		fn := call.AsCall().FunctionName()
		if fn != "in_list" && fn != fnDate {
			continue
		}
		args := call.AsCall().Args()
		if len(args) != 1 || args[0].Kind() != celast.LiteralKind {
			continue
		}
		s, isString := args[0].AsLiteral().(types.String)
		if !isString {
			continue
		}
		var err error
		switch fn {
		case "in_list":
			_, err = c.lib.lists.get(string(s))
		case fnDate:
			_, err = time.Parse(time.DateOnly, string(s))
			if err != nil {
				err = fmt.Errorf("%q is not a date (want YYYY-MM-DD)", string(s))
			}
		}
		if err != nil {
			loc := native.SourceInfo().GetStartLocation(args[0].ID())
			c.reportAt(e, runeOffset(e.text, loc.Line(), loc.Column()), "%s", errorText(err))
			ok = false
		}
	}
	return ok
}

// promote applies the decimal promotion (promote.go) and checks the
// expression's estimated worst-case cost against the limit.
func (c *compiler) promote(env *cel.Env, a *cel.Ast, e exprDef) *cel.Ast {
	opt, err := cel.NewStaticOptimizer(decimalPromoter{})
	if err != nil {
		c.reportAt(e, 0, "internal error: %v", err)
		return nil
	}
	out, iss := opt.Optimize(env, a)
	if iss.Err() != nil {
		c.reportIssues(e, iss)
		return nil
	}
	est, err := env.EstimateCost(out, costEstimator{})
	if err != nil {
		c.reportAt(e, 0, "cannot estimate the cost of this expression: %v", err)
		return nil
	}
	if est.Max > c.lib.costLimit {
		c.reportAt(e, 0, "this expression may cost up to %d, above the limit of %d: iterate over fewer periods, and do not nest iterations", est.Max, c.lib.costLimit)
		return nil
	}
	return out
}

// program promotes, estimates the cost of and plans a checked expression.
func (c *compiler) program(env *cel.Env, a *cel.Ast, e exprDef) cel.Program {
	if a = c.promote(env, a, e); a == nil {
		return nil
	}
	return c.plan(env, a.NativeRep(), a.NativeRep().Expr(), e)
}

// plan makes the program of an expression within a checked AST: the whole,
// or one side of a comparison.
func (c *compiler) plan(env *cel.Env, native *celast.AST, root celast.Expr, e exprDef) cel.Program {
	sub := celast.NewCheckedAST(celast.NewAST(root, native.SourceInfo()), native.TypeMap(), native.ReferenceMap())
	prg, err := env.PlanProgram(sub,
		cel.CostLimit(c.lib.runLimit),
		cel.EvalOptions(cel.OptOptimize),
		cel.CustomDecorator(foldDecimalLiterals))
	if err != nil {
		c.reportAt(e, 0, "%v", err)
		return nil
	}
	return prg
}

// reportIssues reports CEL's errors at their places in the file.
func (c *compiler) reportIssues(e exprDef, iss *cel.Issues) {
	for _, err := range iss.Errors() {
		offset := runeOffset(e.text, err.Location.Line(), err.Location.Column())
		c.reportAt(e, offset, "%s", hint(err.Message))
	}
}

func (c *compiler) reportAt(e exprDef, offset int, format string, args ...any) {
	c.r.errorAt(c.r.exprPosition(e.node, offset), format, args...)
}

// runeOffset converts CEL's 1-based line and 0-based column into an offset
// into the expression text, in characters.
func runeOffset(text string, line, col int) int {
	if line < 1 {
		return 0
	}
	offset := 0
	for i, l := range strings.Split(text, "\n") {
		if i == line-1 {
			return offset + max(col, 0)
		}
		offset += len([]rune(l)) + 1
	}
	return offset
}

// hint adds advice to the CEL errors policy authors meet most.
func hint(msg string) string {
	switch {
	case strings.Contains(msg, "'_==_'") && strings.Contains(msg, "decimal"),
		strings.Contains(msg, "'_!=_'") && strings.Contains(msg, "decimal"):
		return msg + ": compare a decimal with a decimal, e.g. count == decimal(0)"
	case strings.Contains(msg, "found no matching overload for '") && (strings.Contains(msg, "annual(") ||
		strings.Contains(msg, "monthly(") || strings.Contains(msg, "quarterly(")):
		return msg + ": the accessor does not fit the field's period shape (annual fields: last_year(), years_ago(k) …; monthly: tax_month(), months_back(k) …; quarterly: quarter_of_last_year(q) …)"
	case strings.Contains(msg, "undeclared reference"):
		return msg + " (not a field of the data dictionary, a parameter or a derived value of this policy)"
	}
	return msg
}
