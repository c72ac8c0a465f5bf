package match

import "github.com/parkdesk/parkdesk/internal/match/vector"

// The names of package vector that matching's callers see: the policy set
// a matcher is made from, and the explanation a stored result holds.
type (
	PolicySet   = vector.PolicySet
	Explanation = vector.Explanation
)

// LoadPolicies and LoadPoliciesFS load a policy library with its files
// (vector.LoadPolicies, vector.LoadPoliciesFS).
var (
	LoadPolicies   = vector.LoadPolicies
	LoadPoliciesFS = vector.LoadPoliciesFS
)
