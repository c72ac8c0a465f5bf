package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
	"go.yaml.in/yaml/v3"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/facts"
)

// testCase is a policy's own test case, its record validated when loaded.
type testCase struct {
	name   string
	pos    Position
	about  string
	on     time.Time
	record facts.Record
	expect expectDef
	locals []caseLocalDef
}

// compileTests builds the test records (from fixtures when they name a
// base) and validates them against the data contract, as policy eval would.
func (l *Library) compileTests(r *fileReader, def *policyDef) []*testCase {
	var out []*testCase
	for _, t := range def.tests {
		if t.record == nil {
			continue
		}
		rec, ok := l.testRecord(r, def, t)
		if !ok {
			continue
		}
		out = append(out, &testCase{name: t.name, pos: r.pos(t.node), about: t.about, on: t.on, record: rec, expect: t.expect, locals: t.locals})
	}
	return out
}

func (l *Library) testRecord(r *fileReader, def *policyDef, t *testDef) (facts.Record, bool) {
	raw, ok := yamlToAny(r, t.record)
	if !ok {
		return facts.Record{}, false
	}
	obj, isMap := raw.(map[string]any)
	if !isMap {
		r.errorf(t.record, "test %s: the record must be a mapping (uscc, name, facts …)", t.name)
		return facts.Record{}, false
	}
	if base, has := obj["base"]; has {
		name, _ := base.(string)
		fixture, found := def.fixtures[name]
		if !found {
			r.errorf(t.record, "test %s: base %q is not a fixture of this policy", t.name, name)
			return facts.Record{}, false
		}
		fraw, ok := yamlToAny(r, fixture)
		if !ok {
			return facts.Record{}, false
		}
		fobj, isMap := fraw.(map[string]any)
		if !isMap {
			r.errorf(fixture, "fixture %s must be a record mapping", name)
			return facts.Record{}, false
		}
		obj = mergeRecord(fobj, obj)
	}
	data, err := json.Marshal(obj)
	if err != nil {
		r.errorf(t.record, "test %s: the record: %v", t.name, err)
		return facts.Record{}, false
	}
	var rec facts.Record
	err = facts.DecodeRecords(bytes.NewReader(data), r.file, l.dict, func(got facts.Record) error {
		rec = got
		return nil
	})
	if err != nil {
		for _, p := range apperr.ProblemsOf(err) {
			at := factNode(t.record, p.Field)
			msg := p.Reason
			if p.Field != "" {
				msg = "field " + p.Field + ": " + msg
			}
			r.errorf(at, "test %s: the record breaks the data contract: %s", t.name, msg)
		}
		if len(apperr.ProblemsOf(err)) == 0 {
			r.errorf(t.record, "test %s: %s", t.name, errorText(err))
		}
		return facts.Record{}, false
	}
	return rec, true
}

// mergeRecord applies a test's record over a fixture: top-level keys are
// replaced, facts one by one, and a fact given as null is removed.
func mergeRecord(base, over map[string]any) map[string]any {
	out := maps.Clone(base)
	for k, v := range over {
		if k == "base" || k == "facts" {
			continue
		}
		out[k] = v
	}
	baseFacts, _ := base["facts"].(map[string]any)
	facts := maps.Clone(baseFacts)
	if facts == nil {
		facts = map[string]any{}
	}
	if overFacts, ok := over["facts"].(map[string]any); ok {
		for k, v := range overFacts {
			if v == nil {
				delete(facts, k)
				continue
			}
			facts[k] = v
		}
	}
	out["facts"] = facts
	return out
}

// factNode finds where a field is written in a test record, to position
// problems; the record itself otherwise.
func factNode(record *yaml.Node, field string) *yaml.Node {
	if field == "" || record == nil || record.Kind != yaml.MappingNode {
		return record
	}
	for i := 0; i+1 < len(record.Content); i += 2 {
		k, v := record.Content[i], record.Content[i+1]
		if k.Value == field {
			return k
		}
		if k.Value == "facts" && v.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(v.Content); j += 2 {
				if v.Content[j].Value == field {
					return v.Content[j]
				}
			}
		}
	}
	return record
}

// yamlToAny converts YAML to the values JSON encoding takes, keeping numbers
// as their exact text.
func yamlToAny(r *fileReader, n *yaml.Node) (any, bool) {
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				r.errorf(k, "keys of a record must be plain names or periods")
				return nil, false
			}
			v, ok := yamlToAny(r, n.Content[i+1])
			if !ok {
				return nil, false
			}
			m[k.Value] = v
		}
		return m, true
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, ok := yamlToAny(r, c)
			if !ok {
				return nil, false
			}
			l = append(l, v)
		}
		return l, true
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil, true
		case "!!bool":
			return n.Value == "true", true
		case "!!int", "!!float":
			d, _, err := apd.NewFromString(strings.ReplaceAll(n.Value, "_", ""))
			if err != nil || d.Form != apd.Finite {
				r.errorf(n, "%q is not a number", n.Value)
				return nil, false
			}
			return json.Number(d.Text('f')), true
		}
		return n.Value, true
	}
	r.errorf(n, "unexpected YAML in a record")
	return nil, false
}

// TestResult is the outcome of one of a policy's own test cases.
type TestResult struct {
	Policy   string
	Name     string
	About    string
	Pos      Position
	Failures []string // empty when the case passed
	Result   Result
}

// Passed reports whether the case passed.
func (t TestResult) Passed() bool { return len(t.Failures) == 0 }

// RunTests runs every policy's test cases, in policy and file order.
func (l *Library) RunTests() []TestResult {
	ev := l.NewEvaluator()
	var out []TestResult
	for _, p := range l.policies {
		out = append(out, p.runTests(ev)...)
	}
	return out
}

// checkCaseLocals checks the local values test cases set against the
// parameters' local rules, as SetLocalValues would.
func checkCaseLocals(r *fileReader, p *Policy, tests []*testCase) {
	for _, t := range tests {
		for _, cl := range t.locals {
			i := slices.IndexFunc(p.params, func(prm *param) bool { return prm.name == cl.parameter })
			switch {
			case i < 0:
				r.errorf(cl.node, "test %s: the policy has no parameter %q", t.name, cl.parameter)
			case p.params[i].rule == nil:
				r.errorf(cl.node, "test %s: parameter %s may not be set locally (it has no local rule)", t.name, cl.parameter)
			case cl.value == nil:
			case cl.from.Before(p.params[i].rule.from):
				r.errorf(cl.node, "test %s: parameter %s may be set locally from %s", t.name, cl.parameter, p.params[i].rule.from.Format(time.DateOnly))
			case cl.value.Cmp(p.params[i].rule.min) < 0 || cl.value.Cmp(p.params[i].rule.max) > 0:
				r.errorf(cl.node, "test %s: a local %s must be from %s to %s", t.name, cl.parameter,
					p.params[i].rule.min.Text('f'), p.params[i].rule.max.Text('f'))
			}
		}
	}
}

func (p *Policy) runTests(ev *Evaluator) []TestResult {
	out := make([]TestResult, 0, len(p.tests))
	for _, t := range p.tests {
		ev.caseLocals = nil
		for _, cl := range t.locals {
			i := slices.IndexFunc(p.params, func(prm *param) bool { return prm.name == cl.parameter })
			if ev.caseLocals == nil {
				ev.caseLocals = map[*param][]paramAt{}
			}
			prm := p.params[i]
			ev.caseLocals[prm] = append(ev.caseLocals[prm], paramAt{from: cl.from, val: newDecimal(cl.value), verified: true, source: cl.source})
		}
		res := ev.Evaluate(p, FromRecord(&t.record), t.on)
		ev.caseLocals = nil
		out = append(out, TestResult{Policy: p.id, Name: t.name, About: t.about, Pos: t.pos, Failures: t.check(&res), Result: res})
	}
	return out
}

// check compares a result with what the case expects.
func (t *testCase) check(res *Result) []string {
	var f []string
	e := &t.expect
	if res.Status != e.status {
		f = append(f, fmt.Sprintf("status: got %s, want %s", res.Status, e.status))
	}
	if e.amountGiven {
		got := "null"
		if res.Amount != nil {
			got = res.Amount.String()
		}
		want := "null"
		if e.amount != "" {
			d, _, _ := apd.NewFromString(e.amount)
			want = (&Money{Decimal: *d}).String()
		}
		if got != want {
			f = append(f, fmt.Sprintf("amount: got %s, want %s", got, want))
		}
	}
	if e.missingGiven {
		got, want := slices.Sorted(slices.Values(res.Missing)), slices.Sorted(slices.Values(e.missing))
		if !slices.Equal(got, want) {
			f = append(f, fmt.Sprintf("missing: got [%s], want [%s]", strings.Join(got, ", "), strings.Join(want, ", ")))
		}
	}
	for _, want := range e.criteria {
		found := false
		for _, c := range res.Criteria {
			if c.ID == want.name {
				found = true
				if c.Status != want.status {
					f = append(f, fmt.Sprintf("criterion %s: got %s, want %s (%s)", c.ID, c.Status, want.status, c.Explanation))
				}
			}
		}
		if !found {
			f = append(f, fmt.Sprintf("criterion %s: the policy has no such criterion", want.name))
		}
	}
	for _, want := range e.values {
		got, found := valueOf(res, want.name)
		if !found {
			f = append(f, fmt.Sprintf("value %s: not in the result (list it in report or amount.parts)", want.name))
			continue
		}
		if !sameValue(got, want.value) {
			f = append(f, fmt.Sprintf("value %s: got %s, want %s", want.name, got, want.value))
		}
	}
	if e.nearMissGiven {
		got := ""
		if res.NearMiss != nil {
			got = res.NearMiss.Criterion
		}
		if got != e.nearMiss {
			f = append(f, fmt.Sprintf("near miss: got %q, want %q", got, e.nearMiss))
		}
	}
	if e.verified != nil && res.Verified != *e.verified {
		f = append(f, fmt.Sprintf("verified: got %v, want %v", res.Verified, *e.verified))
	}
	if e.taxValueGiven {
		got, want := "null", "null"
		if res.TaxValue != nil {
			got = res.TaxValue.String()
		}
		if e.taxValue != "" {
			d, _, _ := apd.NewFromString(e.taxValue)
			want = (&Money{Decimal: *d}).String()
		}
		if got != want {
			f = append(f, fmt.Sprintf("tax value: got %s, want %s", got, want))
		}
	}
	for _, want := range e.explains {
		if !explains(res, want.text) {
			f = append(f, fmt.Sprintf("explanation: does not say %q", want.text))
		}
	}
	return f
}

// explains reports whether the result's explanation, or a criterion's, in
// English or Chinese, contains the phrase.
func explains(res *Result, phrase string) bool {
	if strings.Contains(res.Explanation, phrase) || strings.Contains(res.ExplanationZh, phrase) {
		return true
	}
	for _, c := range res.Criteria {
		if strings.Contains(c.Explanation, phrase) || strings.Contains(c.ExplanationZh, phrase) {
			return true
		}
	}
	return false
}

func valueOf(res *Result, name string) (string, bool) {
	for _, v := range res.Values {
		if v.Name == name {
			return v.Value, true
		}
	}
	return "", false
}

// sameValue compares numbers by value (800000 and 800000.00 agree) and
// anything else as text.
func sameValue(got, want string) bool {
	g, _, err1 := apd.NewFromString(got)
	w, _, err2 := apd.NewFromString(want)
	if err1 == nil && err2 == nil {
		return g.Cmp(w) == 0
	}
	return got == want
}
