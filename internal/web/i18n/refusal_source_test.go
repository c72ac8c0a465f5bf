package i18n

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// This file finds, in the Go source of the repository, every text a user
// may be shown as a refusal: the messages of apperr errors and the reasons
// of their problems. It reads the source rather than trusting a list, so
// that a new refusal anywhere fails TestRefusalsAreTranslated until the
// catalog has its Chinese.
//
// A text is followed back from where it becomes a message or a reason —
// apperr.InvalidInput(msg), apperr.Errorf(code, format), &apperr.Error{
// Message: …}, apperr.Problem{Reason: …}, web's FormError{Message: …} —
// through string concatenation, fmt.Sprintf, constants, local variables,
// the parameters of the function it is in (to the arguments of every call
// of that function in the package), the results of the package's
// functions, and map and slice literals, as far as the source says. What
// it cannot follow is the text of an error from elsewhere (err.Error(),
// apperr.MessageOf(err)): those are listed as opaque, are shown under a
// generic Chinese sentence, and any other expression it cannot follow
// fails the test, so that nothing escapes by being written differently.

// sourceText is a text found in the source, in the catalog's notation: a
// fmt format, where a plain literal has its % doubled and a part the
// source computes at run time is %s.
type sourceText struct {
	text  string
	sites []string // file:line of each place it is used
}

// refusalSources is what collectRefusals found.
type refusalSources struct {
	texts map[string]*sourceText
	// words are the string literals passed to a format's %s or %v (the
	// "park" of "a %s with code %s exists"): each is shown inside the
	// sentence and is translated too.
	words map[string]*sourceText
	// fields are the codes a problem names its field by.
	fields map[string]*sourceText
	// opaque are the places where an error's own text becomes a reason.
	opaque []string
	// unfollowed are expressions the collector could not follow.
	unfollowed []string
}

func (rs *refusalSources) add(m map[string]*sourceText, text, site string) {
	st, ok := m[text]
	if !ok {
		st = &sourceText{text: text}
		m[text] = st
	}
	if !slices.Contains(st.sites, site) {
		st.sites = append(st.sites, site)
	}
}

// repoRoot is the directory of go.mod above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

// pkgSource is one package's non-test files, parsed, with the index the
// collector follows texts through.
type pkgSource struct {
	name  string // the package's directory, relative to the root
	fset  *token.FileSet
	files []*ast.File
	funcs map[string][]*ast.FuncDecl // by name; methods of every type share a name
	// consts and vars are the package-level values by name.
	consts map[string]ast.Expr
	vars   map[string]ast.Expr
	// parents maps every node to the node it is in.
	parents map[ast.Node]ast.Node
}

func loadPackages(t *testing.T, root string) []*pkgSource {
	t.Helper()
	byDir := map[string][]string{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			// cmd/ is the command line, which speaks English to operators:
			// none of its texts reaches a page.
			if path != root && (strings.HasPrefix(name, ".") || path == filepath.Join(root, "cmd") || name == "testdata" || name == "vendor" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			byDir[filepath.Dir(path)] = append(byDir[filepath.Dir(path)], path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var pkgs []*pkgSource
	for dir, paths := range byDir {
		rel, _ := filepath.Rel(root, dir)
		p := &pkgSource{name: filepath.ToSlash(rel), fset: token.NewFileSet(), funcs: map[string][]*ast.FuncDecl{},
			consts: map[string]ast.Expr{}, vars: map[string]ast.Expr{}, parents: map[ast.Node]ast.Node{}}
		slices.Sort(paths)
		for _, path := range paths {
			f, err := parser.ParseFile(p.fset, path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			p.files = append(p.files, f)
		}
		p.index()
		pkgs = append(pkgs, p)
	}
	slices.SortFunc(pkgs, func(a, b *pkgSource) int { return strings.Compare(a.name, b.name) })
	return pkgs
}

func (p *pkgSource) index() {
	for _, f := range p.files {
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return false
			}
			if len(stack) > 0 {
				p.parents[n] = stack[len(stack)-1]
			}
			stack = append(stack, n)
			return true
		})
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				p.funcs[d.Name.Name] = append(p.funcs[d.Name.Name], d)
			case *ast.GenDecl:
				for _, s := range d.Specs {
					vs, ok := s.(*ast.ValueSpec)
					if !ok {
						continue
					}
					for i, name := range vs.Names {
						if i >= len(vs.Values) {
							continue
						}
						if d.Tok == token.CONST {
							p.consts[name.Name] = vs.Values[i]
						} else {
							p.vars[name.Name] = vs.Values[i]
						}
					}
				}
			}
		}
	}
}

func (p *pkgSource) site(n ast.Node) string {
	pos := p.fset.Position(n.Pos())
	return fmt.Sprintf("%s/%s:%d", p.name, filepath.Base(pos.Filename), pos.Line)
}

// source is the text of n, its first line only, for a message.
func (p *pkgSource) source(n ast.Node) string {
	var b bytes.Buffer
	_ = printer.Fprint(&b, p.fset, n)
	line, _, _ := strings.Cut(b.String(), "\n")
	if len(line) > 120 {
		line = line[:120] + "…"
	}
	return line
}

// repoSource is every package of the repository, for following a text
// into another package's function or constant.
type repoSource struct {
	module     string
	collectors map[string]*collector // by directory relative to the root
}

// collectRefusals walks every package of the repository.
func collectRefusals(t *testing.T) *refusalSources {
	t.Helper()
	root := repoRoot(t)
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	module, _, _ := strings.Cut(strings.TrimPrefix(string(mod), "module "), "\n")
	rs := &refusalSources{texts: map[string]*sourceText{}, words: map[string]*sourceText{}, fields: map[string]*sourceText{}}
	all := &repoSource{module: strings.TrimSpace(module), collectors: map[string]*collector{}}
	pkgs := loadPackages(t, root)
	for _, p := range pkgs {
		all.collectors[p.name] = &collector{all: all, p: p, rs: rs}
	}
	for _, p := range pkgs {
		c := all.collectors[p.name]
		for _, f := range p.files {
			ast.Inspect(f, func(n ast.Node) bool {
				c.sink(n)
				return true
			})
		}
	}
	return rs
}

// collector follows the texts of one package.
type collector struct {
	all   *repoSource
	p     *pkgSource
	rs    *refusalSources
	memo  map[ast.Expr][]value
	depth int
}

// messageArgs are the apperr constructors and which argument is a message
// (m) or a format (f). TestRefusalConstructorsAreKnown holds this list to
// the functions package apperr declares.
var messageArgs = map[string]struct {
	index  int
	format bool
}{
	"InvalidInput": {0, false},
	"Errorf":       {1, true},
}

// sink reports the texts that n makes a refusal.
func (c *collector) sink(n ast.Node) {
	inApperr := c.p.name == "internal/apperr"
	switch n := n.(type) {
	case *ast.CallExpr:
		name, ok := qualified(n.Fun, "apperr")
		if inApperr {
			if id, isIdent := n.Fun.(*ast.Ident); isIdent {
				name, ok = id.Name, true
			}
		}
		if !ok {
			return
		}
		if arg, ok := messageArgs[name]; ok && arg.index < len(n.Args) {
			if arg.format {
				c.format(n.Args[arg.index], n.Args[arg.index+1:])
			} else {
				c.text(n.Args[arg.index])
			}
		}
	case *ast.CompositeLit:
		typeName := ""
		if name, ok := qualified(n.Type, "apperr"); ok {
			typeName = name
		} else if id, ok := n.Type.(*ast.Ident); ok && (inApperr || c.p.name == "internal/web") {
			typeName = id.Name
		}
		field := map[string]string{"Error": "Message", "Problem": "Reason", "FormError": "Message"}[typeName]
		if field == "" {
			return
		}
		for _, elt := range n.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				if key, ok := kv.Key.(*ast.Ident); ok && key.Name == field {
					c.text(kv.Value)
				}
				if key, ok := kv.Key.(*ast.Ident); ok && key.Name == "Field" && typeName == "Problem" {
					for _, v := range c.values(kv.Value, map[ast.Node]bool{}) {
						if v.literal && v.raw != "" {
							c.rs.add(c.rs.fields, v.raw, c.p.site(kv))
						}
					}
				}
			}
		}
	}
}

// qualified returns Name for pkg.Name.
func qualified(e ast.Expr, pkg string) (string, bool) {
	if u, ok := e.(*ast.UnaryExpr); ok {
		e = u.X
	}
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return "", false
	}
	x, ok := sel.X.(*ast.Ident)
	if !ok || x.Name != pkg {
		return "", false
	}
	return sel.Sel.Name, true
}

// text records the texts e may have as a message or reason.
func (c *collector) text(e ast.Expr) {
	for _, v := range c.values(e, map[ast.Node]bool{}) {
		if v.opaque {
			c.rs.opaque = append(c.rs.opaque, c.p.site(e)+" "+v.src)
			continue
		}
		if v.unfollowed {
			c.rs.unfollowed = append(c.rs.unfollowed, c.p.site(e)+" "+v.src)
			continue
		}
		if !hasWords(v.text) {
			// Wholly computed at run time: already counted where it was made.
			continue
		}
		c.rs.add(c.rs.texts, v.text, c.p.site(e))
	}
}

// format records a format and the literal words its arguments give.
func (c *collector) format(f ast.Expr, args []ast.Expr) {
	for _, v := range c.values(f, map[ast.Node]bool{}) {
		switch {
		case v.opaque:
			c.rs.opaque = append(c.rs.opaque, c.p.site(f)+" "+v.src)
		case v.unfollowed:
			c.rs.unfollowed = append(c.rs.unfollowed, c.p.site(f)+" "+v.src)
		case hasWords(unescapeLiteralFormat(v)):
			c.rs.add(c.rs.texts, unescapeLiteralFormat(v), c.p.site(f))
		}
	}
	c.words(args)
}

// words records the literal strings among a format's arguments.
func (c *collector) words(args []ast.Expr) {
	for _, a := range args {
		for _, v := range c.values(a, map[ast.Node]bool{}) {
			if v.opaque || v.unfollowed || !v.literal {
				continue
			}
			w := strings.ReplaceAll(v.text, "%%", "%")
			// A qualified name (d.enterprise_id) is SQL, not a word.
			if w != "" && strings.ContainsFunc(w, isLetter) && !(strings.Contains(w, ".") && !strings.Contains(w, " ")) {
				c.rs.add(c.rs.words, v.text, c.p.site(a))
			}
		}
	}
}

// hasWords: a format has text of its own beyond its values ("%s: %v"
// has none, and is translated by the parts it joins).
func hasWords(format string) bool {
	return strings.ContainsFunc(verb.ReplaceAllString(format, ""), func(r rune) bool { return isLetter(r) || r > 0x2e80 })
}

// unescapeLiteralFormat: a format found as a plain literal had its %
// doubled by values; as a format it is taken as written.
func unescapeLiteralFormat(v value) string {
	if v.raw != "" {
		return v.raw
	}
	return v.text
}

// value is one text an expression may have.
type value struct {
	text string // in the catalog's notation (see sourceText)
	raw  string // for a single literal, its text as written
	// literal: the whole text is one literal of the source.
	literal    bool
	opaque     bool   // an error's own text
	unfollowed bool   // an expression the collector does not follow
	src        string // the expression, for opaque and unfollowed
}

const maxValues = 64

// values returns the texts e may have. seen guards against following a
// parameter or a function into itself.
func (c *collector) values(e ast.Expr, seen map[ast.Node]bool) []value {
	if vs, ok := c.memo[e]; ok {
		return vs
	}
	if c.depth > 24 {
		return []value{{unfollowed: true, src: c.p.source(e) + " (too deep)"}}
	}
	c.depth++
	vs := dedup(c.valuesOf(e, seen))
	c.depth--
	if c.memo == nil {
		c.memo = map[ast.Expr][]value{}
	}
	c.memo[e] = vs
	return vs
}

func dedup(vs []value) []value {
	var out []value
	for _, v := range vs {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	if len(out) > maxValues {
		out = out[:maxValues]
	}
	return out
}

func (c *collector) valuesOf(e ast.Expr, seen map[ast.Node]bool) []value {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return []value{{text: "%s"}}
		}
		s, err := strconv.Unquote(e.Value)
		if err != nil {
			return []value{{unfollowed: true, src: e.Value}}
		}
		return []value{{text: strings.ReplaceAll(s, "%", "%%"), raw: s, literal: true}}
	case *ast.ParenExpr:
		return c.values(e.X, seen)
	case *ast.UnaryExpr:
		if lit, ok := e.X.(*ast.CompositeLit); ok && e.Op == token.AND {
			if name, ok := qualified(lit.Type, "apperr"); ok && name == "Error" {
				return nil // an apperr error: its message is counted where it is made
			}
			if id, ok := lit.Type.(*ast.Ident); ok && id.Name == "Error" && c.p.name == "internal/apperr" {
				return nil
			}
		}
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return []value{{text: "%s"}}
		}
		var out []value
		for _, l := range c.values(e.X, seen) {
			for _, r := range c.values(e.Y, seen) {
				if l.opaque || l.unfollowed {
					l = value{text: "%s"}
				}
				if r.opaque || r.unfollowed {
					r = value{text: "%s"}
				}
				out = append(out, value{text: l.text + r.text})
				if len(out) > maxValues {
					return out
				}
			}
		}
		return out
	case *ast.CallExpr:
		return c.callValues(e, seen)
	case *ast.Ident:
		return c.identValues(e, seen)
	case *ast.IndexExpr:
		return c.containerValues(e.X, seen, c.p.source(e))
	case *ast.SelectorExpr:
		// A Reason or Message taken from another error: counted where
		// that one was made.
		if e.Sel.Name == "Reason" || e.Sel.Name == "Message" {
			return []value{{opaque: true, src: c.p.source(e)}}
		}
		if x, ok := e.X.(*ast.Ident); ok && x.Obj == nil {
			if other := c.imported(e, x.Name); other != nil {
				if v, ok := other.p.consts[e.Sel.Name]; ok {
					return other.values(v, seen)
				}
				if v, ok := other.p.vars[e.Sel.Name]; ok {
					return other.values(v, seen)
				}
			}
			return []value{{unfollowed: true, src: c.p.source(e)}}
		}
		return c.fieldValues(e, seen)
	}
	return []value{{unfollowed: true, src: c.p.source(e)}}
}

// callValues: fmt.Sprintf gives its format; a call of the package's own
// function gives what that function returns; err.Error() and
// apperr.MessageOf(err) are opaque; a conversion or strings function of
// one text keeps it.
func (c *collector) callValues(e *ast.CallExpr, seen map[ast.Node]bool) []value {
	if name, ok := qualified(e.Fun, "fmt"); ok && name == "Sprintf" && len(e.Args) > 0 {
		var out []value
		for _, v := range c.values(e.Args[0], seen) {
			if v.opaque || v.unfollowed {
				out = append(out, v)
				continue
			}
			out = append(out, value{text: unescapeLiteralFormat(v)})
		}
		c.words(e.Args[1:])
		return out
	}
	if name, ok := qualified(e.Fun, "apperr"); ok {
		if _, made := messageArgs[name]; made {
			return nil // an apperr error: its message is counted where it is made
		}
	}
	if name, ok := qualified(e.Fun, "apperr"); ok && name == "MessageOf" {
		return []value{{opaque: true, src: c.p.source(e)}}
	}
	if name, ok := qualified(e.Fun, "strings"); ok && len(e.Args) > 0 {
		switch name {
		case "TrimPrefix", "TrimSuffix", "TrimSpace", "ToLower", "ToUpper", "Repeat", "Join":
			return c.values(e.Args[0], seen)
		}
	}
	if name, ok := qualified(e.Fun, "errors"); ok && name == "New" && len(e.Args) == 1 {
		return c.values(e.Args[0], seen)
	}
	if name, ok := qualified(e.Fun, "fmt"); ok && name == "Errorf" && len(e.Args) > 0 {
		// The text of the error it wraps (%w) is computed: %s.
		var out []value
		for _, v := range c.values(e.Args[0], seen) {
			if !v.opaque && !v.unfollowed {
				v = value{text: strings.ReplaceAll(unescapeLiteralFormat(v), "%w", "%s")}
			}
			out = append(out, v)
		}
		c.words(e.Args[1:])
		return out
	}
	if sel, ok := e.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Error" || sel.Sel.Name == "String" || sel.Sel.Name == "Where") && len(e.Args) == 0 {
		if sel.Sel.Name == "Error" {
			// err.Error(): the texts of the errors err may hold, as far
			// as the repository's own functions make them; an error of a
			// library is opaque.
			var out []value
			for _, v := range c.values(sel.X, seen) {
				if v.unfollowed {
					v = value{opaque: true, src: c.p.source(e) + " ← " + v.src}
				}
				out = append(out, v)
			}
			return out
		}
		// A value's own String: computed, shown as it is.
		return []value{{text: "%s"}}
	}
	if id, ok := e.Fun.(*ast.Ident); ok && (id.Name == "string" || id.Name == "MessageOf") && len(e.Args) == 1 {
		if id.Name == "MessageOf" {
			return []value{{opaque: true, src: c.p.source(e)}}
		}
		return c.values(e.Args[0], seen)
	}
	return c.resultValues(e, 0, seen)
}

// resultValues: the result at index of a call of a function of this
// package, of another package of the repository, or of a closure held in
// a local variable.
func (c *collector) resultValues(e *ast.CallExpr, index int, seen map[ast.Node]bool) []value {
	target, decls := c.callee(e)
	if len(decls) > 0 {
		var out []value
		followed := false
		for _, d := range decls {
			if seen[d] || d.Body == nil {
				continue
			}
			seen[d] = true
			followed = true
			out = append(out, target.returnValues(d.Body, index, seen)...)
			delete(seen, d)
		}
		if followed {
			// Nothing returned but apperr errors and nil: nothing new.
			return out
		}
	}
	if id, ok := e.Fun.(*ast.Ident); ok && id.Obj != nil {
		if lit := c.funcLitOf(id); lit != nil && !seen[lit] {
			seen[lit] = true
			defer delete(seen, lit)
			return c.returnValues(lit.Body, index, seen)
		}
	}
	return []value{{unfollowed: true, src: c.p.source(e)}}
}

// callee finds the declarations a call may run, and the collector of
// their package.
func (c *collector) callee(e *ast.CallExpr) (*collector, []*ast.FuncDecl) {
	switch f := e.Fun.(type) {
	case *ast.Ident:
		return c, c.p.funcs[f.Name]
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok && x.Obj == nil {
			if other := c.imported(f, x.Name); other != nil {
				return other, other.p.funcs[f.Sel.Name]
			}
		}
		return c, c.p.funcs[f.Sel.Name]
	}
	return c, nil
}

// imported returns the collector of the repository's package that name
// refers to in the file of n, or nil.
func (c *collector) imported(n ast.Node, name string) *collector {
	var file *ast.File
	for m := ast.Node(n); m != nil; m = c.p.parents[m] {
		if f, ok := m.(*ast.File); ok {
			file = f
		}
	}
	if file == nil {
		return nil
	}
	for _, imp := range file.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		local := filepath.Base(path)
		if imp.Name != nil {
			local = imp.Name.Name
		}
		if local != name {
			continue
		}
		rel, ok := strings.CutPrefix(path, c.all.module+"/")
		if !ok {
			return nil
		}
		return c.all.collectors[rel]
	}
	return nil
}

// returnValues: the result at index of every return statement of body
// (not of closures inside it).
func (c *collector) returnValues(body *ast.BlockStmt, index int, seen map[ast.Node]bool) []value {
	var out []value
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if index < len(n.Results) && (len(n.Results) > 1 || index == 0) {
				out = append(out, c.values(n.Results[index], seen)...)
			} else if call, ok := n.Results[0].(*ast.CallExpr); ok && len(n.Results) == 1 {
				// return bad("too short"): the results of that call.
				out = append(out, c.resultValues(call, index, seen)...)
			}
		}
		return true
	})
	return out
}

func (c *collector) funcLitOf(id *ast.Ident) *ast.FuncLit {
	as, ok := id.Obj.Decl.(*ast.AssignStmt)
	if !ok {
		return nil
	}
	for i, l := range as.Lhs {
		if li, ok := l.(*ast.Ident); ok && li.Name == id.Name && i < len(as.Rhs) {
			lit, _ := as.Rhs[i].(*ast.FuncLit)
			return lit
		}
	}
	return nil
}

// identValues follows a name: a constant, a local variable (every value
// assigned to it), a parameter (every argument given for it), a package
// variable.
func (c *collector) identValues(id *ast.Ident, seen map[ast.Node]bool) []value {
	if id.Name == "nil" && id.Obj == nil {
		return nil
	}
	if id.Obj == nil {
		// Declared in another file of the package, or a universe name.
		if v, ok := c.p.consts[id.Name]; ok {
			return c.values(v, seen)
		}
		if v, ok := c.p.vars[id.Name]; ok {
			return c.values(v, seen)
		}
		return []value{{unfollowed: true, src: id.Name}}
	}
	decl, _ := id.Obj.Decl.(ast.Node)
	if decl == nil || seen[decl] {
		return nil
	}
	seen[decl] = true
	defer delete(seen, decl)
	switch d := decl.(type) {
	case *ast.ValueSpec:
		var out []value
		for i, name := range d.Names {
			if name.Name == id.Name && i < len(d.Values) {
				out = append(out, c.values(d.Values[i], seen)...)
			}
		}
		if id.Obj.Kind == ast.Var {
			out = append(out, c.assignedValues(id, seen)...)
		}
		if len(out) == 0 && len(d.Values) == 0 {
			// var target errTooBig, filled by errors.As: an error's text.
			return []value{{opaque: true, src: id.Name}}
		}
		if len(out) == 0 {
			return []value{{unfollowed: true, src: id.Name}}
		}
		return out
	case *ast.AssignStmt:
		var out []value
		if len(d.Lhs) == len(d.Rhs) {
			for i, l := range d.Lhs {
				if li, ok := l.(*ast.Ident); ok && li.Name == id.Name {
					out = append(out, c.values(d.Rhs[i], seen)...)
				}
			}
		} else if len(d.Rhs) == 1 {
			// v, reason := f(): the result of f at the name's place.
			if call, ok := d.Rhs[0].(*ast.CallExpr); ok {
				for i, l := range d.Lhs {
					if li, ok := l.(*ast.Ident); ok && li.Name == id.Name {
						out = append(out, c.resultValues(call, i, seen)...)
					}
				}
			}
		}
		out = append(out, c.assignedValues(id, seen)...)
		return out
	case *ast.Field:
		if ft, ok := c.p.parents[c.p.parents[d]].(*ast.FuncType); ok && ft.Results != nil && c.p.parents[d] == ft.Results {
			// A named result: what the function assigns to it.
			return c.assignedValues(id, seen)
		}
		return c.paramValues(id, d, seen)
	}
	return []value{{unfollowed: true, src: id.Name}}
}

// assignedValues: the values assigned to the local variable id later
// (reason = "…" in a switch).
func (c *collector) assignedValues(id *ast.Ident, seen map[ast.Node]bool) []value {
	fn := c.enclosingFunc(id)
	if fn == nil {
		return nil
	}
	var out []value
	ast.Inspect(fn, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || as == id.Obj.Decl {
			return true
		}
		for i, l := range as.Lhs {
			li, ok := l.(*ast.Ident)
			if !ok || li.Obj != id.Obj {
				continue
			}
			if len(as.Lhs) == len(as.Rhs) {
				out = append(out, c.values(as.Rhs[i], seen)...)
			} else if call, ok := as.Rhs[0].(*ast.CallExpr); ok && len(as.Rhs) == 1 {
				out = append(out, c.resultValues(call, i, seen)...)
			}
		}
		return true
	})
	return out
}

func (c *collector) enclosingFunc(n ast.Node) ast.Node {
	for n != nil {
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return n
		}
		n = c.p.parents[n]
	}
	return nil
}

// paramValues follows a parameter to the arguments of every call of its
// function: by name in the package for a declared function or method,
// within the enclosing function for a closure held in a variable.
func (c *collector) paramValues(id *ast.Ident, field *ast.Field, seen map[ast.Node]bool) []value {
	fn := c.p.parents[c.p.parents[field]] // Field → FieldList → FuncType
	ftype, ok := fn.(*ast.FuncType)
	if !ok {
		return []value{{unfollowed: true, src: id.Name}}
	}
	if ftype.Params == nil {
		return []value{{unfollowed: true, src: id.Name}}
	}
	index, variadic := -1, false
	i := 0
	for _, f := range ftype.Params.List {
		names := f.Names
		if len(names) == 0 {
			i++
			continue
		}
		for _, n := range names {
			if n.Name == id.Name {
				index = i
				_, variadic = f.Type.(*ast.Ellipsis)
			}
			i++
		}
	}
	if index < 0 || variadic {
		return []value{{unfollowed: true, src: id.Name}}
	}
	var calls []*ast.CallExpr
	switch owner := c.p.parents[ftype].(type) {
	case *ast.FuncDecl:
		name := owner.Name.Name
		for _, f := range c.p.files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				switch fun := call.Fun.(type) {
				case *ast.Ident:
					if fun.Name == name && owner.Recv == nil {
						calls = append(calls, call)
					}
				case *ast.SelectorExpr:
					if fun.Sel.Name == name && owner.Recv != nil {
						calls = append(calls, call)
					}
				}
				return true
			})
		}
	case *ast.FuncLit:
		var holder *ast.Ident
		if as, ok := c.p.parents[owner].(*ast.AssignStmt); ok {
			for i, r := range as.Rhs {
				if r == owner && i < len(as.Lhs) {
					holder, _ = as.Lhs[i].(*ast.Ident)
				}
			}
		}
		if call, ok := c.p.parents[owner].(*ast.CallExpr); ok && holder == nil {
			return c.passedClosureValues(call, owner, index, seen, id.Name)
		}
		if holder == nil || holder.Obj == nil {
			return []value{{unfollowed: true, src: id.Name + " (a parameter of a closure not held in a variable)"}}
		}
		scope := c.enclosingFunc(c.p.parents[owner])
		if scope == nil {
			return []value{{unfollowed: true, src: id.Name}}
		}
		ast.Inspect(scope, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if fun, ok := call.Fun.(*ast.Ident); ok && fun.Obj == holder.Obj {
					calls = append(calls, call)
				}
			}
			return true
		})
	default:
		return []value{{unfollowed: true, src: id.Name}}
	}
	var out []value
	for _, call := range calls {
		if index < len(call.Args) && !call.Ellipsis.IsValid() {
			out = append(out, c.values(call.Args[index], seen)...)
		}
	}
	if len(calls) == 0 {
		// A function value passed elsewhere: nothing to follow, and
		// nothing reaches a user through this name.
		return nil
	}
	return out
}

// passedClosureValues follows a parameter of a closure passed to a
// function (scanPart(…, func(reason string) …)) to the calls that function
// makes of it.
func (c *collector) passedClosureValues(call *ast.CallExpr, lit *ast.FuncLit, index int, seen map[ast.Node]bool, src string) []value {
	pos := slices.Index(call.Args, ast.Expr(lit))
	target, decls := c.callee(call)
	var out []value
	for _, d := range decls {
		if d.Body == nil || seen[d] {
			continue
		}
		var param string
		i := 0
		for _, f := range d.Type.Params.List {
			for _, n := range f.Names {
				if i == pos {
					param = n.Name
				}
				i++
			}
			if len(f.Names) == 0 {
				i++
			}
		}
		if param == "" {
			continue
		}
		seen[d] = true
		ast.Inspect(d.Body, func(n ast.Node) bool {
			inner, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if fun, ok := inner.Fun.(*ast.Ident); ok && fun.Name == param && index < len(inner.Args) {
				out = append(out, target.values(inner.Args[index], seen)...)
			}
			return true
		})
		delete(seen, d)
	}
	if len(out) == 0 {
		return []value{{unfollowed: true, src: src + " (a parameter of a closure passed to a function)"}}
	}
	return out
}

// containerValues: the string values of a map or slice literal that x
// names (a table of reasons).
func (c *collector) containerValues(x ast.Expr, seen map[ast.Node]bool, src string) []value {
	var lit *ast.CompositeLit
	if id, ok := x.(*ast.Ident); ok {
		var v ast.Expr
		if id.Obj != nil {
			if vs, ok := id.Obj.Decl.(*ast.ValueSpec); ok {
				for i, n := range vs.Names {
					if n.Name == id.Name && i < len(vs.Values) {
						v = vs.Values[i]
					}
				}
			}
			if as, ok := id.Obj.Decl.(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) {
				for i, l := range as.Lhs {
					if li, ok := l.(*ast.Ident); ok && li.Name == id.Name {
						v = as.Rhs[i]
					}
				}
			}
		} else {
			v = c.p.vars[id.Name]
		}
		lit, _ = v.(*ast.CompositeLit)
	}
	if lit == nil {
		return []value{{unfollowed: true, src: src}}
	}
	var out []value
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			elt = kv.Value
		}
		out = append(out, c.values(elt, seen)...)
	}
	return out
}

// fieldValues follows x.f to every value given to a field f in a
// composite literal of the package (a table of checks with their reasons).
func (c *collector) fieldValues(e *ast.SelectorExpr, seen map[ast.Node]bool) []value {
	if seen[e.Sel] {
		return nil
	}
	var out []value
	for _, f := range c.p.files {
		ast.Inspect(f, func(n ast.Node) bool {
			kv, ok := n.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			if key, ok := kv.Key.(*ast.Ident); ok && key.Name == e.Sel.Name {
				if _, isLit := c.p.parents[kv].(*ast.CompositeLit); isLit {
					out = append(out, c.values(kv.Value, seen)...)
				}
			}
			return true
		})
	}
	if len(out) == 0 {
		return []value{{unfollowed: true, src: c.p.source(e)}}
	}
	return out
}

func sortedKeys(m map[string]*sourceText) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// hasRefusalKey reports whether the refusal catalog has text (in the
// catalog's notation) as a key.
func hasRefusalKey(text string) bool {
	if _, _, _, values, _ := compileFormat(text); values == 0 {
		_, ok := refusals.exact[strings.ReplaceAll(text, "%%", "%")]
		return ok
	}
	return slices.ContainsFunc(refusals.patterns, func(p refusalPattern) bool { return p.key == text })
}

// TestRefusalsAreTranslated is the guard of the refusal catalog: every
// text the source may refuse with, found by reading the source, has its
// Chinese. A failure lists the missing texts as lines for the catalog.
func TestRefusalsAreTranslated(t *testing.T) {
	rs := collectRefusals(t)
	var missing []string
	for _, k := range sortedKeys(rs.texts) {
		if !hasRefusalKey(k) {
			missing = append(missing, fmt.Sprintf("%s: \"\", // %s", strconv.Quote(k), strings.Join(rs.texts[k].sites, " ")))
		}
	}
	for _, k := range sortedKeys(rs.words) {
		if !hasRefusalKey(k) {
			missing = append(missing, fmt.Sprintf("%s: \"\", // word at %s", strconv.Quote(k), strings.Join(rs.words[k].sites, " ")))
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d refusal texts have no Chinese in %s:\n%s", len(missing), refusalFile, strings.Join(missing, "\n"))
	}
	for _, u := range rs.unfollowed {
		t.Errorf("cannot follow the text of a refusal at %s: write it so that the source says it (a literal, a constant, fmt.Sprintf with a literal format, a function of the repository)", u)
	}
	// The opaque ones are shown under refusal.untranslated, with their text.
	for _, o := range rs.opaque {
		t.Logf("opaque: %s", o)
	}
	t.Logf("%d texts and %d words found", len(rs.texts), len(rs.words))
}

// TestProblemFieldsHaveLabels: every field a problem names by a code the
// source writes has a label for the page — in the catalog
// (refusal.field.<code>) or in the shipped data dictionary.
func TestProblemFieldsHaveLabels(t *testing.T) {
	rs := collectRefusals(t)
	dict, err := os.ReadFile(filepath.Join(repoRoot(t), "internal", "facts", "dictionary.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for _, code := range sortedKeys(rs.fields) {
		if has(Chinese, "refusal.field."+code) && has(English, "refusal.field."+code) {
			continue
		}
		if bytes.Contains(dict, []byte("name: "+code+"\n")) {
			continue
		}
		missing = append(missing, fmt.Sprintf("%q: \"\", // %s", "refusal.field."+code, strings.Join(rs.fields[code].sites, " ")))
	}
	if len(missing) > 0 {
		t.Errorf("%d fields of problems have no label:\n%s", len(missing), strings.Join(missing, "\n"))
	}
}

// TestRefusalConstructorsAreKnown holds messageArgs to package apperr: a
// new function of it that takes a message would otherwise be a way round
// TestRefusalsAreTranslated.
func TestRefusalConstructorsAreKnown(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(repoRoot(t), "internal", "apperr", "apperr.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv != nil || !fd.Name.IsExported() {
			continue
		}
		takesText := false
		for _, p := range fd.Type.Params.List {
			if id, ok := p.Type.(*ast.Ident); ok && id.Name == "string" {
				takesText = true
			}
		}
		if _, known := messageArgs[fd.Name.Name]; takesText && !known {
			t.Errorf("apperr.%s takes a text: add it to messageArgs", fd.Name.Name)
		}
	}
}

func TestDumpRefusals(t *testing.T) {
	if os.Getenv("PARKDESK_DUMP_REFUSALS") == "" {
		t.Skip("set PARKDESK_DUMP_REFUSALS=1 to list what the collector finds")
	}
	rs := collectRefusals(t)
	keys := make([]string, 0, len(rs.texts))
	for k := range rs.texts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.Logf("TEXT %q  %v", k, rs.texts[k].sites[0])
	}
	keys = keys[:0]
	for k := range rs.words {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.Logf("WORD %q  %v", k, rs.words[k].sites)
	}
	for _, o := range rs.opaque {
		t.Logf("OPAQUE %s", o)
	}
	for _, o := range rs.unfollowed {
		t.Logf("UNFOLLOWED %s", o)
	}
	t.Logf("%d texts, %d words, %d opaque, %d unfollowed", len(rs.texts), len(rs.words), len(rs.opaque), len(rs.unfollowed))
}
