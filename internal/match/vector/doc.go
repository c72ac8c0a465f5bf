// Package vector compiles policies into one vector program and runs it over
// columnar snapshots of the population. It is pure: no database, no clock,
// no files beyond the policy library it is given. Package match reads the
// population from the database into chunks, evaluates them with a program,
// and stores the results.
//
// # How a batch is evaluated
//
// The policies are compiled once, for an evaluation date, into one Program:
// a DAG of vector operations lowered from the policies' checked CEL
// expressions (policy.Library.MatchPlan). Identical subexpressions of
// different policies are one node, so a value such as last year's revenue
// or an R&D ratio is computed once for all of them.
//
// The population is read into Chunks: columnar snapshots holding, for each
// (field, period) the program reads, an array of float64 values with a
// presence bitmap. Evaluation runs over windows of a chunk on every core,
// operation by operation over arrays, never a map per enterprise.
//
// Decisions stay exact although the arithmetic is float64: every numeric
// node carries a rigorous bound on its distance from the exact decimal the
// policy engine would compute (40 significant digits, half-up). A
// comparison whose sign the bound cannot settle, and an amount whose
// rounding to the fen it cannot settle, make the row "uncertain"; such rows
// are evaluated again on the exact path, a decimal interpreter of the same
// program (exact.go). Policies using a construct the program does not
// support are evaluated for every row by the policy engine itself.
//
// Results are three-valued like the engine's: eligible, ineligible, or
// undetermined with the missing fields, which are found by walking the
// unknowns of the row back to the facts that were absent, following CEL's
// own rules for which unknowns an operation keeps.
package vector
