package policy

import (
	"errors"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// criterionAt is a criterion whose expression starts at column 11 of line 10
// of a probe policy (probeHead has six lines).
func criterionAt(expr string) string {
	return "criteria:\n  - id: c\n    label: {zh: c, en: c}\n    expr: " + expr + "\n"
}

func TestLoadErrorsArePositioned(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // "file:line:col: message fragment"
	}{
		{"unknown field in an expression",
			probeFiles(criterionAt(`revenue.last_year() > 0 && revenu.last_year() > 0`)),
			[]string{"probe.yaml:10:38: undeclared reference to 'revenu'"}},
		{"an annual accessor on a monthly field",
			probeFiles(criterionAt(`vat_credit_end.last_year() > 0`)),
			[]string{"probe.yaml:10:35: found no matching overload for 'last_year' applied to 'monthly(decimal)", "does not fit the field's period shape"}},
		{"a syntax error",
			probeFiles(criterionAt(`revenue.last_year() >`)),
			[]string{"probe.yaml:10:32: Syntax error"}},
		{"an error on the second line of a block scalar",
			probeFiles("criteria:\n  - id: c\n    label: {zh: c, en: c}\n    expr: |\n      revenue.last_year() > 0\n        && revenu.last_year() > 0\n"),
			[]string{"probe.yaml:12:12: undeclared reference to 'revenu'"}},
		{"an error in a folded plain scalar",
			probeFiles("criteria:\n  - id: c\n    label: {zh: c, en: c}\n    expr: revenue.last_year() > 0\n      && revenu.last_year() > 0\n"),
			[]string{"probe.yaml:11:10: undeclared reference to 'revenu'"}},
		{"an error in a quoted scalar",
			probeFiles(criterionAt(`'revenue.last_year() > 0 && revenu.last_year() > 0'`)),
			[]string{"probe.yaml:10:39: undeclared reference to 'revenu'"}},
		{"a criterion that is not a boolean",
			probeFiles(criterionAt(`revenue.last_year()`)),
			[]string{"probe.yaml:10:11: a criterion must be true or false (bool), but this expression is decimal"}},
		{"floating-point arithmetic",
			probeFiles(criterionAt(`revenue.last_year() > 0.1 + 0.2`)),
			[]string{"probe.yaml:10:37: floating-point arithmetic is inexact"}},
		{"integer division",
			probeFiles(criterionAt(`7 / 2 == 3`)),
			[]string{"probe.yaml:10:13: integer division truncates"}},
		{"decimal equality with an int",
			probeFiles(criterionAt(`ip_class1_count == 1`)),
			[]string{"probe.yaml:10:27: found no matching overload for '_==_' applied to '(decimal, int)'", "decimal(0)"}},
		{"a bad industry list",
			probeFiles(criterionAt(`industry.in_list("C, X12")`)),
			[]string{`probe.yaml:10:28: industry list "C, X12"`}},
		{"a bad date",
			probeFiles(criterionAt(`on > date("2023-02-30")`)),
			[]string{`probe.yaml:10:21: "2023-02-30" is not a date`}},
		{"a cost above the limit",
			probeFiles(criterionAt(`vat_credit_end.last_months(240).all(a, vat_credit_end.last_months(240).all(b, a > b))`)),
			[]string{"probe.yaml:10:11: this expression may cost up to"}},
		{"a cycle of derived values, named",
			probeFiles("derived:\n  a: b + 1\n  b: c * 2\n  c: a - 1\n" + criterionAt(`a > 0`)),
			[]string{"probe.yaml:8:3: derived values refer to each other in a cycle: a → b → c → a"}},
		{"a derived value referring to itself",
			probeFiles("derived:\n  a: a + 1\n" + criterionAt(`a > 0`)),
			[]string{"probe.yaml:8:3: derived values refer to each other in a cycle: a → a"}},
		{"a parameter named like a field",
			probeFiles("parameters:\n  revenue: 5\n" + criterionAt(`true`)),
			[]string{`probe.yaml:8:3: "revenue" is a field of the data dictionary`}},
		{"an unverified value in a verified policy",
			probeFiles("parameters:\n  x: {values: [{from: 2020-01-01, value: 1, verified: false}]}\n" + criterionAt(`x > 0`)),
			[]string{"probe.yaml:8:42: parameter x has an unverified value, so the policy must say verified: false"}},
		{"a parameter out of range",
			probeFiles("parameters:\n  x: 1e40\n" + criterionAt(`x > 0`)),
			[]string{"probe.yaml:8:6: parameter x: the number is beyond 10^30"}},
		{"an unknown key",
			probeFiles("critera: []\n" + criterionAt(`true`)),
			[]string{`probe.yaml:7:1: the policy: unknown key "critera"`}},
		{"a missing key",
			map[string]string{"probe.yaml": strings.Replace(probeHead, "title: {zh: 探针, en: Probe}\n", "", 1) + criterionAt("true") + probeTail},
			[]string{`probe.yaml:1:1: the policy: "title" is required`}},
		{"a YAML syntax error",
			probeFiles("criteria: [\n"),
			[]string{"probe.yaml:", ": YAML: "}},
		{"YAML aliases",
			probeFiles("derived:\n  a: &x revenue.last_year()\n  b: *x\n" + criterionAt("true")),
			[]string{"probe.yaml:8:6: YAML anchors and aliases are not allowed"}},
		{"the id is not the file's name",
			map[string]string{"other.yaml": probeHead + criterionAt("true") + probeTail},
			[]string{`other.yaml:1:5: the id "probe" must be the file's name`}},
		{"the same id twice",
			map[string]string{"probe.yaml": probeHead + criterionAt("true") + probeTail, "probe.yml": probeHead + criterionAt("true") + probeTail},
			[]string{`probe.yml:1:1: policy id "probe" is also the id of`}},
		{"apply mode without materials",
			map[string]string{"probe.yaml": strings.Replace(probeHead, "mode: automatic", "mode: apply", 1) + criterionAt("true") + probeTail},
			[]string{"probe.yaml:4:1: an apply-mode policy must list the materials"}},
		{"a report of an unknown value",
			probeFiles(criterionAt("true") + "report: [nothing]\n"),
			[]string{`probe.yaml:11:10: report: "nothing" is not a derived value`}},
		{"a test record breaking the data contract",
			map[string]string{"probe.yaml": probeHead + criterionAt("true") +
				"tests:\n  - name: bad\n    on: 2024-06-01\n    record: {uscc: 91330106MA2GL1234M, name: x, facts: {revenue: 5, colour: red}}\n    expect: {status: eligible}\n"},
			[]string{"probe.yaml:14:57: test bad: the record breaks the data contract: field revenue: is a annual field",
				"probe.yaml:14:69: test bad: the record breaks the data contract: field colour: unknown field"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lib, err := loadFiles(t, tc.files)
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, want a *LoadError", err)
			}
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("code %s, want invalid", apperr.CodeOf(err))
			}
			all := err.Error()
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("the errors do not contain %q:\n%s", w, all)
				}
			}
			if _, loaded := lib.Policy("probe"); loaded && len(tc.files) == 1 {
				t.Errorf("a policy with problems was loaded")
			}
		})
	}
}

func probeFiles(body string) map[string]string {
	return map[string]string{"probe.yaml": probeHead + body + probeTail}
}

func TestGoodPoliciesLoadBesideBadOnes(t *testing.T) {
	good := strings.Replace(probeHead, "id: probe", "id: good", 1) + criterionAt("true") + probeTail
	lib, err := loadFiles(t, map[string]string{"good.yaml": good, "probe.yaml": probeHead + criterionAt("nope") + probeTail})
	if err == nil {
		t.Fatal("no error for the bad file")
	}
	if _, ok := lib.Policy("good"); !ok {
		t.Error("the good policy was not loaded")
	}
	if _, ok := lib.Policy("probe"); ok {
		t.Error("the bad policy was loaded")
	}
}

// The run-time cost limit stops an evaluation that costs more, as a backstop
// to the estimate checked at load; here it is lowered below what the rule
// costs.
func TestRuntimeCostLimit(t *testing.T) {
	lib, err := newLibrary(shippedLibrary(t).dict, defaultCostLimit)
	if err != nil {
		t.Fatal(err)
	}
	lib.runLimit = 20
	text := probeHead + criterionAt(`vat_credit_end.last_months(24).all(c, c > 0)`) + probeTail
	p, issues := lib.loadFile("probe.yaml", "probe", []byte(text))
	if p == nil {
		t.Fatalf("load: %v", issues)
	}
	months := make([]string, 24)
	for i := range months {
		months[i] = `"` + periodText(monthOf(2022, 6+i)) + `": 1`
	}
	rec := withFacts(t, `"vat_credit_end": {`+strings.Join(months, ", ")+`}`)
	res := p.Evaluate(&rec, date(t, "2024-06-15"))
	c := criterionOf(t, res, "c")
	if c.Status != Unknown || !strings.Contains(c.Error, "cost limit exceeded") {
		t.Errorf("criterion %s %q, want unknown with the cost limit exceeded", c.Status, c.Error)
	}
}
