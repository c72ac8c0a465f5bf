package policy

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"cel.dev/cel-go/cel"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/facts"
)

// Library is a set of compiled policies over one data dictionary. It is
// safe for concurrent use; evaluations hold their scratch space in an
// Evaluator each.
type Library struct {
	dict      *facts.Dictionary
	fields    *fieldTable
	lists     *industryLists
	env       *cel.Env
	costLimit uint64 // the static estimate of every expression must stay within it
	// runLimit stops an evaluation that costs more. It equals costLimit; the
	// estimate bounds the actual cost, so it is a backstop (tests lower it).
	runLimit uint64
	policies []*Policy
	byID     map[string]*Policy
}

// maxFileSize bounds a policy file: the largest shipped one is a few tens of
// kilobytes with its tests.
const maxFileSize = 1 << 20

// LoadDir loads every *.yaml policy file of dir (not its subdirectories).
// Every problem of every file is reported in the returned *LoadError, with
// its file:line:column; a file with any problem is left out, and the
// library holds the others, so a caller may go on with them.
func LoadDir(dir string, dict *facts.Dictionary) (*Library, error) {
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return nil, apperr.Errorf(apperr.Invalid, "policy directory %s: not found or not a directory", dir)
	}
	return load(os.DirFS(dir), ".", func(name string) string { return filepath.Join(dir, name) }, dict, defaultCostLimit)
}

// LoadFS loads the policy files of directory dir of fsys, as LoadDir does
// (for the library embedded in the binary). Files are named dir/name in
// positions.
func LoadFS(fsys fs.FS, dir string, dict *facts.Dictionary) (*Library, error) {
	return load(fsys, dir, func(name string) string { return path.Join(dir, name) }, dict, defaultCostLimit)
}

// newLibrary prepares an empty library over dict.
func newLibrary(dict *facts.Dictionary, costLimit uint64) (*Library, error) {
	fields, err := newFieldTable(dict)
	if err != nil {
		return nil, err
	}
	lists := &industryLists{}
	env, err := baseEnv(fields, lists)
	if err != nil {
		return nil, fmt.Errorf("policy: the expression environment: %w", err)
	}
	return &Library{dict: dict, fields: fields, lists: lists, env: env, costLimit: costLimit, runLimit: costLimit, byID: map[string]*Policy{}}, nil
}

func load(fsys fs.FS, dir string, display func(string) string, dict *facts.Dictionary, costLimit uint64) (*Library, error) {
	lib, err := newLibrary(dict, costLimit)
	if err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, apperr.Errorf(apperr.Invalid, "policy directory %s: %v", display(""), err)
	}
	var issues []Issue
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !(strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) {
			continue
		}
		file := display(name)
		raw, err := readLimited(fsys, path.Join(dir, name))
		if err != nil {
			issues = append(issues, Issue{Pos: Position{File: file, Line: 1, Column: 1}, Message: err.Error()})
			continue
		}
		p, fileIssues := lib.loadFile(file, strings.TrimSuffix(strings.TrimSuffix(name, ".yaml"), ".yml"), raw)
		issues = append(issues, fileIssues...)
		if p == nil {
			continue
		}
		if other, dup := lib.byID[p.id]; dup {
			issues = append(issues, Issue{Pos: Position{File: file, Line: 1, Column: 1}, Message: fmt.Sprintf("policy id %q is also the id of %s", p.id, other.file)})
			continue
		}
		lib.byID[p.id] = p
		lib.policies = append(lib.policies, p)
	}
	slices.SortFunc(lib.policies, func(a, b *Policy) int { return cmp.Compare(a.id, b.id) })
	if len(issues) > 0 {
		slices.SortStableFunc(issues, func(a, b Issue) int {
			return cmp.Or(cmp.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Column, b.Pos.Column))
		})
		return lib, &LoadError{Issues: issues}
	}
	return lib, nil
}

func readLimited(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > maxFileSize {
		return nil, errors.New("the file is larger than 1 MiB")
	}
	return raw, nil
}

// loadFile parses and compiles one policy file. The policy is nil when the
// file has any problem.
func (l *Library) loadFile(file, stem string, raw []byte) (*Policy, []Issue) {
	r := newFileReader(file, raw)
	root := r.parse()
	if root == nil {
		return nil, r.issues
	}
	def := parsePolicy(r, root)
	if def.id != "" && stem != "" && def.id != stem {
		r.errorf(def.idNode, "the id %q must be the file's name (%s.yaml)", def.id, def.id)
	}
	sum := sha256.Sum256(raw)
	p := l.compile(r, def, hex.EncodeToString(sum[:]))
	tests := l.compileTests(r, def)
	if p != nil {
		checkCaseLocals(r, p, tests)
	}
	if p == nil || len(r.issues) > 0 {
		return nil, r.issues
	}
	p.tests = tests
	return p, nil
}

// Policies returns the loaded policies in id order.
func (l *Library) Policies() []*Policy { return append([]*Policy(nil), l.policies...) }

// Policy returns the policy with the id.
func (l *Library) Policy(id string) (*Policy, bool) {
	p, ok := l.byID[id]
	return p, ok
}

// Dictionary is the data dictionary the library was compiled against.
func (l *Library) Dictionary() *facts.Dictionary { return l.dict }
