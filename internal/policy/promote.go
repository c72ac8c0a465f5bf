package policy

import (
	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/interpreter"
)

// mixedOperators are the operators declared for a decimal beside an int or a
// double literal, so that `ratio >= 0.05` and `1 - ratio` type-check. CEL's
// standard operators dispatch on the left operand's traits, and an int on the
// left knows nothing of decimals; so after checking, decimalPromoter wraps
// the non-decimal operand in decimal(...), and at run time both sides are
// always decimals.
var mixedOperators = []string{
	operators.Add, operators.Subtract, operators.Multiply, operators.Divide,
	operators.Less, operators.LessEquals, operators.Greater, operators.GreaterEquals,
}

// decimalPromoter is the AST rewrite described at mixedOperators.
type decimalPromoter struct{}

func (decimalPromoter) Optimize(ctx *cel.OptimizerContext, a *ast.AST) *ast.AST {
	calls := ast.MatchDescendants(ast.NavigateAST(a), func(e ast.NavigableExpr) bool {
		if e.Kind() != ast.CallKind || len(e.AsCall().Args()) != 2 || e.AsCall().IsMemberFunction() {
			return false
		}
		switch e.AsCall().FunctionName() {
		case operators.Add, operators.Subtract, operators.Multiply, operators.Divide,
			operators.Less, operators.LessEquals, operators.Greater, operators.GreaterEquals:
			return true
		}
		return false
	})
	for _, c := range calls {
		args := c.AsCall().Args()
		left, right := a.GetType(args[0].ID()), a.GetType(args[1].ID())
		switch {
		case isDecimal(left) && isPlainNumber(right):
			wrapInDecimal(ctx, a, args[1])
		case isPlainNumber(left) && isDecimal(right):
			wrapInDecimal(ctx, a, args[0])
		}
	}
	return a
}

func wrapInDecimal(ctx *cel.OptimizerContext, a *ast.AST, arg ast.Expr) {
	cp, _ := ctx.CopyAST(ast.NewAST(arg, a.SourceInfo()))
	ctx.UpdateExpr(arg, ctx.NewCall(fnDecimal, cp))
}

func isDecimal(t *types.Type) bool {
	return t != nil && t.Kind() == types.OpaqueKind && t.TypeName() == "decimal"
}

func isPlainNumber(t *types.Type) bool {
	return t != nil && (t.Kind() == types.IntKind || t.Kind() == types.DoubleKind || t.Kind() == types.UintKind)
}

// exactnessValidator rejects arithmetic that cannot be exact: any operation
// whose result is a double (0.1 + 0.2, double(x)) and integer division,
// which truncates. Double literals are fine: they only ever meet decimals,
// and become exact decimals.
type exactnessValidator struct{}

func (exactnessValidator) Name() string { return "parkdesk.exactness" }

func (exactnessValidator) Validate(_ *cel.Env, _ cel.ValidatorConfig, a *ast.AST, iss *cel.Issues) {
	calls := ast.MatchDescendants(ast.NavigateAST(a), func(e ast.NavigableExpr) bool {
		return e.Kind() == ast.CallKind
	})
	for _, c := range calls {
		call := c.AsCall()
		t := a.GetType(c.ID())
		switch call.FunctionName() {
		case operators.Add, operators.Subtract, operators.Multiply, operators.Divide,
			operators.Modulo, operators.Negate:
			if t.Kind() == types.DoubleKind {
				iss.ReportErrorAtID(c.ID(), "floating-point arithmetic is inexact: compute with decimals (a fact, a parameter or decimal(0.1))")
			}
			if call.FunctionName() == operators.Divide && (t.Kind() == types.IntKind || t.Kind() == types.UintKind) {
				iss.ReportErrorAtID(c.ID(), "integer division truncates: write decimal(a) / b")
			}
		case "double":
			iss.ReportErrorAtID(c.ID(), "double() makes an inexact floating-point number: use decimal()")
		}
	}
}

// foldDecimalLiterals is a program decorator that computes decimal(0.05)
// and its kin once, when the program is planned, instead of at every
// evaluation.
func foldDecimalLiterals(i interpreter.Interpretable) (interpreter.Interpretable, error) {
	call, ok := i.(interpreter.InterpretableCall)
	if !ok || len(call.Args()) != 1 {
		return i, nil
	}
	switch call.Function() {
	case fnDecimal, fnDate:
	default:
		return i, nil
	}
	if _, isConst := call.Args()[0].(interpreter.InterpretableConst); !isConst {
		return i, nil
	}
	v := call.Eval(interpreter.EmptyActivation())
	if types.IsError(v) {
		return i, nil // reported at load by the literal checks; evaluation reports it again
	}
	return interpreter.NewConstValue(call.ID(), v), nil
}
