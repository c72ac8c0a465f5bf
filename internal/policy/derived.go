package policy

import (
	"slices"
	"strings"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
)

// compileDerived orders the derived values by their references, rejects
// cycles naming them, and type-checks each with the types of those before.
func (c *compiler) compileDerived() {
	defs := map[string]*derivedDef{}
	var order []string
	for _, d := range c.def.derived {
		if !c.declare(d.name, c.r.pos(d.node), slot{kind: slotDerived, index: len(order)}) {
			continue
		}
		defs[d.name] = d
		order = append(order, d.name)
	}
	// Parse each to find which derived values it refers to.
	parsed := map[string]*cel.Ast{}
	deps := map[string][]string{}
	for _, name := range order {
		d := defs[name]
		if d.expr.node == nil || strings.TrimSpace(d.expr.text) == "" {
			continue
		}
		a, iss := c.env.Parse(d.expr.text)
		if iss.Err() != nil {
			c.reportIssues(d.expr, iss)
			continue
		}
		parsed[name] = a
		for _, id := range identifiers(a.NativeRep()) {
			if _, ok := defs[id]; ok && !slices.Contains(deps[name], id) {
				deps[name] = append(deps[name], id)
			}
		}
	}
	sorted, cycles := topoSort(order, deps)
	for _, cyc := range cycles {
		d := defs[cyc[0]]
		c.r.errorf(d.node, "derived values refer to each other in a cycle: %s", strings.Join(cyc, " → "))
	}
	c.pol.derived = make([]*derived, len(order))
	for i, name := range order {
		d := defs[name]
		c.pol.derived[i] = &derived{name: name, label: d.label, unit: d.unit}
	}
	env := c.env
	inCycle := map[string]bool{}
	for _, cyc := range cycles {
		for _, n := range cyc {
			inCycle[n] = true
		}
	}
	for _, name := range sorted {
		d := defs[name]
		a := parsed[name]
		t := cel.DynType
		if a != nil && !inCycle[name] {
			checked, iss := env.Check(a)
			if iss.Err() != nil {
				c.reportIssues(d.expr, iss)
			} else if c.checkLiterals(checked, d.expr) {
				for _, id := range identifiers(checked.NativeRep()) {
					c.reads[id] = true
				}
				// A derived literal such as 0.6 is a double; make it the exact decimal.
				if checked.OutputType().Kind() == types.DoubleKind {
					checked = c.recheck(env, "decimal("+d.expr.text+")", d.expr)
				}
				if checked != nil {
					t = checked.OutputType()
					c.pol.derived[slices.Index(order, name)].prg = c.program(env, checked, d.expr)
				}
			}
		}
		next, err := env.Extend(cel.Variable(name, t))
		if err != nil {
			c.r.errorf(d.node, "derived value %s: %v", name, err)
			continue
		}
		env = next
	}
	c.env = env
}

func (c *compiler) recheck(env *cel.Env, text string, e exprDef) *cel.Ast {
	a, iss := env.Compile(text)
	if iss.Err() != nil {
		c.reportIssues(e, iss)
		return nil
	}
	return a
}

// topoSort orders names so that each comes after those it depends on, and
// returns the cycles found, each as a path that ends where it starts.
func topoSort(names []string, deps map[string][]string) (sorted []string, cycles [][]string) {
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[string]int{}
	var stack []string
	var visit func(n string)
	visit = func(n string) {
		switch state[n] {
		case done:
			return
		case visiting:
			i := slices.Index(stack, n)
			cyc := append(append([]string(nil), stack[i:]...), n)
			cycles = append(cycles, cyc)
			return
		}
		state[n] = visiting
		stack = append(stack, n)
		for _, d := range deps[n] {
			visit(d)
		}
		stack = stack[:len(stack)-1]
		state[n] = done
		sorted = append(sorted, n)
	}
	for _, n := range names {
		visit(n)
	}
	return sorted, cycles
}

// identifiers lists the names an expression refers to.
func identifiers(a *celast.AST) []string {
	var out []string
	for _, e := range celast.MatchDescendants(celast.NavigateAST(a), celast.KindMatcher(celast.IdentKind)) {
		if !slices.Contains(out, e.AsIdent()) {
			out = append(out, e.AsIdent())
		}
	}
	return out
}
