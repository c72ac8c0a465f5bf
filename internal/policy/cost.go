package policy

import (
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/types"
)

// costEstimator tells CEL's static cost estimate how long the lists of the
// period accessors are: last_months(6) has six elements, and a count that
// is not a literal has at most maxPeriods. Without it a comprehension over
// such a list would have no bound and every rule using one would be refused.
type costEstimator struct{}

// EstimateSize gives the size of the opaque values (a decimal or an
// industry code is one unit, so that comparing two costs one) and bounds
// the lists held by derived values: lists come from the accessors (at most
// maxPeriods long) and what a rule builds from them.
func (costEstimator) EstimateSize(n cost.AstNode) *cost.SizeEstimate {
	t := n.Type()
	switch {
	case t == nil:
		return nil
	case t.Kind() == types.OpaqueKind && (t.TypeName() == "decimal" || t.TypeName() == "industry"):
		return &cost.SizeEstimate{Min: 1, Max: 1}
	case t.Kind() == types.ListKind && n.Expr().Kind() == ast.IdentKind:
		return &cost.SizeEstimate{Min: 0, Max: derivedListBound}
	}
	return nil
}

// derivedListBound is the length assumed for a list held by a derived value.
const derivedListBound = 4 * maxPeriods

func (costEstimator) EstimateCallCost(function, _ string, _ *cost.AstNode, args []cost.AstNode) *cost.CallEstimate {
	size, ok := listSizeFunctions[function]
	if !ok {
		return nil
	}
	counts := make([]int64, len(args))
	for i, a := range args {
		counts[i] = maxPeriods
		if e := a.Expr(); e.Kind() == ast.LiteralKind {
			if n, isInt := e.AsLiteral().(types.Int); isInt && n >= 1 && n <= maxPeriods {
				counts[i] = int64(n)
			}
		}
	}
	n := size(counts)
	// Reading n periods costs about one unit each.
	return &cost.CallEstimate{
		CostEstimate: cost.Estimate{Min: 1, Max: n + 1},
		ResultSize:   &cost.SizeEstimate{Min: 0, Max: n},
	}
}
