// Package policy is parkdesk's rules as code: policy files (YAML) with
// dated parameters, derived values, criteria, an amount and their own test
// cases; the CEL environment their expressions run in; and evaluation with
// three-valued results and explanations.
//
// An expression is typed and checked when its file is loaded: field names
// against the data dictionary, accessors against the field's period shape,
// literals (dates, industry lists), and its estimated cost. Numbers are
// exact decimals throughout; the amount is rounded half-up to the fen once,
// at the end. A missing fact is an unknown, never zero: it propagates
// through arithmetic, is absorbed by && and || as logic allows, and a
// criterion left unknown makes the result undetermined with the missing
// fields named.
//
// Use:
//
//	lib, err := policy.LoadDir("policies", facts.Builtin()) // every problem, positioned
//	ev := lib.NewEvaluator()                                  // one per goroutine
//	for _, p := range lib.Policies() {
//		if p.InForce(on) {
//			res := ev.Evaluate(p, policy.FromRecord(&rec), on) // decided and explained
//		}
//	}
//
// Evaluate is Decide (the outcome) followed by Explain (the sentences, which
// cost as much again); a caller that keeps explanations only for some
// outcomes calls Decide, and Explain when it wants the explanation of that
// decision. Policy.Fields lists what a policy reads, so that a changed fact
// re-evaluates only the policies that read it.
//
// The file format and the expression functions are documented in
// docs/policy-format.md.
package policy
