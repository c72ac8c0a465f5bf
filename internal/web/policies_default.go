package web

import (
	"sync"

	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/policies"
)

// shippedLibrary is the policy library embedded in the binary, compiled
// once per process: the library of a Server whose Deps name none.
var shippedLibrary = sync.OnceValues(func() (*policy.Library, error) {
	return policy.LoadFS(policies.FS, ".", facts.Builtin())
})

// library returns the policy library in force, nil when there is none
// (the shipped files did not load at all, which their tests prevent).
func (s *Server) library() *policy.Library {
	if s.deps.Policies != nil {
		return s.deps.Policies
	}
	lib, err := shippedLibrary()
	if err != nil && s.deps.Logger != nil {
		s.deps.Logger.Warn("the shipped policy library has problems", "err", err)
	}
	return lib
}

// policyList returns the policies in id order.
func (s *Server) policyList() []*policy.Policy {
	if lib := s.library(); lib != nil {
		return lib.Policies()
	}
	return nil
}

// policyByID returns the policy with the id.
func (s *Server) policyByID(id string) (*policy.Policy, bool) {
	if lib := s.library(); lib != nil {
		return lib.Policy(id)
	}
	return nil, false
}
