package vector

import (
	"fmt"
	"io/fs"
	"os"
	"slices"

	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/policy"
)

// PolicySet is a loaded policy library with the bytes of its files, which
// Compile needs to recompile each policy into its plan.
type PolicySet struct {
	Library  *policy.Library
	Policies []*policy.Policy
	raw      map[*policy.Policy][]byte
}

// LoadPolicies loads the policy files of dir against the dictionary, with
// the bytes of each file. Any problem in any file is an error: matching
// with a policy silently left out would record its results as gone.
func LoadPolicies(dir string, dict *facts.Dictionary) (*PolicySet, error) {
	lib, err := policy.LoadDir(dir, dict)
	if err != nil {
		return nil, err
	}
	return withFiles(lib, os.ReadFile)
}

// LoadPoliciesFS loads the policy files of directory dir of fsys (the
// library embedded in the binary), as LoadPolicies does.
func LoadPoliciesFS(fsys fs.FS, dir string, dict *facts.Dictionary) (*PolicySet, error) {
	lib, err := policy.LoadFS(fsys, dir, dict)
	if err != nil {
		return nil, err
	}
	return withFiles(lib, func(name string) ([]byte, error) { return fs.ReadFile(fsys, name) })
}

func withFiles(lib *policy.Library, read func(string) ([]byte, error)) (*PolicySet, error) {
	raw := map[*policy.Policy][]byte{}
	for _, p := range lib.Policies() {
		b, err := read(p.File())
		if err != nil {
			return nil, fmt.Errorf("vector: read policy %s: %w", p.ID(), err)
		}
		raw[p] = b
	}
	return &PolicySet{Library: lib, Policies: lib.Policies(), raw: raw}, nil
}

// Only returns the set restricted to the policy with the id.
func (s *PolicySet) Only(id string) (*PolicySet, bool) {
	for _, p := range s.Policies {
		if p.ID() == id {
			return &PolicySet{Library: s.Library, Policies: []*policy.Policy{p}, raw: s.raw}, true
		}
	}
	return nil, false
}

// Subset returns the set restricted to the policies with the ids, in the
// set's order; ids not in the set are left out.
func (s *PolicySet) Subset(ids ...string) *PolicySet {
	out := &PolicySet{Library: s.Library, raw: s.raw}
	for _, p := range s.Policies {
		if slices.Contains(ids, p.ID()) {
			out.Policies = append(out.Policies, p)
		}
	}
	return out
}

// Policy returns the policy of the set with the id.
func (s *PolicySet) Policy(id string) (*policy.Policy, bool) {
	for _, p := range s.Policies {
		if p.ID() == id {
			return p, true
		}
	}
	return nil, false
}

// CompileDraft compiles a draft policy file against the set's dictionary
// and returns a set holding the draft first and, when the set has one, the
// current version of the same id second.
func (s *PolicySet) CompileDraft(file string, raw []byte) (*PolicySet, *policy.Policy, error) {
	d, err := s.Library.CompileDraft(file, raw)
	if err != nil {
		return nil, nil, err
	}
	out := &PolicySet{Library: s.Library, Policies: []*policy.Policy{d}, raw: map[*policy.Policy][]byte{d: raw}}
	if cur, ok := s.Policy(d.ID()); ok {
		out.Policies = append(out.Policies, cur)
		out.raw[cur] = s.raw[cur]
	}
	return out, d, nil
}
