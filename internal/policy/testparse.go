package policy

import (
	"time"

	"github.com/cockroachdb/apd/v3"
	"go.yaml.in/yaml/v3"
)

// testDef is one of a policy's own test cases.
type testDef struct {
	name   string
	node   *yaml.Node
	about  string
	on     time.Time
	record *yaml.Node
	expect expectDef
	locals []caseLocalDef
}

// caseLocalDef is a local value a test case sets for itself, as a park
// would (Library.SetLocalValues).
type caseLocalDef struct {
	node      *yaml.Node
	parameter string
	from      time.Time
	value     *apd.Decimal
	source    string
}

type expectDef struct {
	node          *yaml.Node
	status        Status
	amountGiven   bool
	amount        string // "" expects null
	missingGiven  bool
	missing       []string
	criteria      []nameStatus
	values        []expectedValue
	nearMissGiven bool
	nearMiss      string // "" expects none
	verified      *bool
	taxValueGiven bool
	taxValue      string // "" expects none
	explains      []expectedText
}

// expectedText is a phrase the explanation must contain, in English or in
// Chinese.
type expectedText struct {
	text string
	node *yaml.Node
}

type nameStatus struct {
	name   string
	status CriterionStatus
	node   *yaml.Node
}

type expectedValue struct {
	name  string
	value string
	node  *yaml.Node
}

func parseTests(r *fileReader, n *yaml.Node) []*testDef {
	var out []*testDef
	seen := map[string]bool{}
	for _, item := range r.sequence(n, "tests") {
		m := r.mapping(item, "a test case", "name", "about", "on", "local", "record", "expect")
		t := &testDef{node: item}
		if v := m.required("name", "a test case"); v != nil {
			t.name = r.text(v, "test name")
			if seen[t.name] {
				r.errorf(v, "test name %q is used twice", t.name)
			}
			seen[t.name] = true
		}
		if v := m.get("about"); v != nil {
			t.about = r.text(v, "about")
		}
		if v := m.required("on", "test "+t.name); v != nil {
			t.on, _ = r.date(v, "on")
		}
		if v := m.get("local"); v != nil {
			for _, li := range r.sequence(v, "local") {
				lm := r.mapping(li, "a local value", "parameter", "from", "value", "source")
				cl := caseLocalDef{node: li}
				if n := lm.required("parameter", "a local value"); n != nil {
					cl.parameter = r.text(n, "parameter")
				}
				if n := lm.required("from", "a local value"); n != nil {
					cl.from, _ = r.date(n, "from")
				}
				if n := lm.required("value", "a local value"); n != nil {
					cl.value, _ = r.decimal(n, "value")
				}
				if n := lm.required("source", "a local value"); n != nil {
					cl.source = r.text(n, "source")
				}
				t.locals = append(t.locals, cl)
			}
		}
		t.record = m.required("record", "test "+t.name)
		if v := m.required("expect", "test "+t.name); v != nil {
			t.expect = parseExpect(r, v)
		}
		out = append(out, t)
	}
	return out
}

func parseExpect(r *fileReader, n *yaml.Node) expectDef {
	m := r.mapping(n, "expect", "status", "amount", "missing", "criteria", "values", "near_miss", "verified",
		"tax_value", "explains")
	e := expectDef{node: n}
	if v := m.required("status", "expect"); v != nil {
		switch s, _ := r.scalar(v, "status"); Status(s) {
		case Eligible, Ineligible, Undetermined:
			e.status = Status(s)
		default:
			r.errorf(v, "status must be eligible, ineligible or undetermined, not %q", s)
		}
	}
	if v := m.get("amount"); v != nil {
		e.amountGiven = true
		if v.Tag != "!!null" {
			if d, ok := r.decimal(v, "amount"); ok {
				e.amount = d.Text('f')
			}
		}
	}
	if v := m.get("missing"); v != nil {
		e.missingGiven = true
		for _, item := range r.sequence(v, "missing") {
			if s, ok := r.scalar(item, "missing"); ok {
				e.missing = append(e.missing, s)
			}
		}
	}
	if v := m.get("criteria"); v != nil {
		cm := r.mapping(v, "expect.criteria")
		for _, id := range cm.order {
			s, _ := r.scalar(cm.values[id], "criterion status")
			switch CriterionStatus(s) {
			case Pass, Fail, Unknown, NotApplicable:
			default:
				r.errorf(cm.values[id], "criterion status must be pass, fail, unknown or not_applicable, not %q", s)
			}
			e.criteria = append(e.criteria, nameStatus{name: id, status: CriterionStatus(s), node: cm.keys[id]})
		}
	}
	if v := m.get("values"); v != nil {
		vm := r.mapping(v, "expect.values")
		for _, name := range vm.order {
			s, _ := r.scalar(vm.values[name], "expected value")
			e.values = append(e.values, expectedValue{name: name, value: s, node: vm.keys[name]})
		}
	}
	if v := m.get("near_miss"); v != nil {
		e.nearMissGiven = true
		if s, ok := r.scalar(v, "near_miss"); ok && s != "false" {
			e.nearMiss = s
		}
	}
	if v := m.get("verified"); v != nil {
		b, ok := r.boolean(v, "verified")
		if ok {
			e.verified = &b
		}
	}
	if v := m.get("tax_value"); v != nil {
		e.taxValueGiven = true
		if v.Tag != "!!null" {
			if d, ok := r.decimal(v, "tax_value"); ok {
				e.taxValue = d.Text('f')
			}
		}
	}
	if v := m.get("explains"); v != nil {
		for _, item := range r.sequence(v, "explains") {
			if s, ok := r.scalar(item, "explains"); ok {
				e.explains = append(e.explains, expectedText{text: s, node: item})
			}
		}
	}
	return e
}
