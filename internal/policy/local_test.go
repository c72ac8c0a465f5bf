package policy

import (
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/facts"
)

func TestReadLocalValues(t *testing.T) {
	good := `- policy: job-retention-refund
  parameter: sme_share
  from: 2025-07-01
  value: 0.9
  source: 示例市人社局通知
`
	vals, err := ReadLocalValues(strings.NewReader(good), "local.yaml")
	if err != nil || len(vals) != 1 || vals[0].Parameter != "sme_share" || vals[0].Value.Text('f') != "0.9" ||
		vals[0].From.Format("2006-01-02") != "2025-07-01" || vals[0].Source != "示例市人社局通知" {
		t.Fatalf("got %+v, %v", vals, err)
	}
	bad := []struct{ name, text, want string }{
		{"not a list", "policy: x\n", "local.yaml:1:1"},
		{"a bad date", "- {policy: p, parameter: x, from: 2025-13-01, value: 1, source: s}\n", "local.yaml:1:"},
		{"an unknown key", "- {policy: p, parameter: x, from: 2025-07-01, value: 1, source: s, extra: 1}\n", "extra"},
		{"no value", "- {policy: p, parameter: x, from: 2025-07-01, source: s}\n", `"value" is required`},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ReadLocalValues(strings.NewReader(tc.text), "local.yaml"); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
}

func TestSetLocalValues(t *testing.T) {
	// A library of its own: local values change it, and the shipped one is
	// shared by the other tests.
	lib, err := LoadDir("../../policies", facts.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	p, _ := lib.Policy("job-retention-refund")
	fileVersion := p.Version()
	read := func(text string) []LocalValue {
		t.Helper()
		vals, err := ReadLocalValues(strings.NewReader(text), "local.yaml")
		if err != nil {
			t.Fatal(err)
		}
		return vals
	}
	refused := []struct{ name, text, want string }{
		{"an unknown policy", "- {policy: nope, parameter: sme_share, from: 2025-07-01, value: 0.9, source: s}", `no policy "nope"`},
		{"an unknown parameter", "- {policy: job-retention-refund, parameter: nope, from: 2025-07-01, value: 0.9, source: s}", `no parameter "nope"`},
		{"a parameter without a local rule", "- {policy: job-retention-refund, parameter: max_layoff_rate, from: 2025-07-01, value: 0.06, source: s}", "may not be set locally"},
		{"above the bound", "- {policy: job-retention-refund, parameter: sme_share, from: 2025-07-01, value: 0.95, source: s}", "must be from 0.6 to 0.9"},
		{"below the national value", "- {policy: job-retention-refund, parameter: sme_share, from: 2025-07-01, value: 0.5, source: s}", "must be from 0.6 to 0.9"},
		{"before the rule's date", "- {policy: job-retention-refund, parameter: sme_share, from: 2025-01-01, value: 0.9, source: s}", "from 2025-07-01"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			err := lib.SetLocalValues(read(tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error with %q", err, tc.want)
			}
			if p.Version() != fileVersion || len(p.LocalValues()) != 0 {
				t.Error("a refused set changed the library")
			}
		})
	}

	// A value built in Go (not read from a file) must still name its source.
	noSource := read("- {policy: job-retention-refund, parameter: sme_share, from: 2025-07-01, value: 0.9, source: s}")
	noSource[0].Source = " "
	if err := lib.SetLocalValues(noSource); err == nil || !strings.Contains(err.Error(), "source") {
		t.Errorf("a value without a source: %v", err)
	}

	if err := lib.SetLocalValues(read("- {policy: job-retention-refund, parameter: sme_share, from: 2025-07-01, value: 0.9, source: 示例通知}")); err != nil {
		t.Fatal(err)
	}
	if p.Version() == fileVersion || len(p.Version()) != 64 {
		t.Errorf("version %q: a local value must change it (and keep it a SHA-256)", p.Version())
	}
	rec := mustRecord(t, `{"uscc": "91330106MA2GL1234M", "name": "测试企业", "registered_on": "2016-05-12", "industry_code": "C3911",
		"facts": {"enterprise_size": "small", "ui_paid_months": 60, "insured_staff": {"2024": 50}, "layoffs": {"2024": 2}, "ui_contributions": {"2024": 100000}}}`)
	for _, tc := range []struct{ on, amount string }{{"2025-06-30", "60000.00"}, {"2025-07-01", "90000.00"}} {
		res := p.Evaluate(&rec, date(t, tc.on))
		if res.Amount == nil || res.Amount.String() != tc.amount {
			t.Errorf("%s: amount %v, want %s", tc.on, res.Amount, tc.amount)
		}
		if (tc.amount == "90000.00") != strings.Contains(res.Explanation, "set locally") {
			t.Errorf("%s: %s", tc.on, res.Explanation)
		}
	}
	// Matching reads the same value.
	vals, _ := p.MatchParams(date(t, "2025-08-01"))
	for _, v := range vals {
		if v.Name == "sme_share" && v.Decimal.Text('f') != "0.9" {
			t.Errorf("MatchParams sme_share = %s, want 0.9", v.Decimal.Text('f'))
		}
	}
	// Setting none restores the file's version and values.
	if err := lib.SetLocalValues(nil); err != nil || p.Version() != fileVersion {
		t.Errorf("clearing: %v, version %s", err, p.Version())
	}
}

func TestLocalRulesAreChecked(t *testing.T) {
	_, err := loadFiles(t, map[string]string{"probe.yaml": probeHead +
		"parameters:\n  x:\n    values: [{from: 2020-01-01, value: a}]\n    local: {min: 1, max: 2, from: 2020-01-01, document: d}\n" +
		criterionAt(`x == "a"`) + probeTail})
	if err == nil || !strings.Contains(err.Error(), "only a number may be set locally") {
		t.Errorf("got %v", err)
	}
	_, err = loadFiles(t, map[string]string{"probe.yaml": probeHead +
		"parameters:\n  x:\n    values: [{from: 2020-01-01, value: 1}]\n    local: {min: 3, max: 2, from: 2020-01-01, document: d}\n" +
		criterionAt(`x > 0`) + probeTail})
	if err == nil || !strings.Contains(err.Error(), "local.min is above local.max") {
		t.Errorf("got %v", err)
	}
}

func FuzzReadLocalValues(f *testing.F) {
	f.Add("- {policy: job-retention-refund, parameter: sme_share, from: 2025-07-01, value: 0.9, source: s}\n")
	f.Add("- policy: x\n  value: [1, 2]\n")
	f.Add("&a [*a]")
	f.Fuzz(func(t *testing.T, text string) {
		vals, err := ReadLocalValues(strings.NewReader(text), "local.yaml")
		if err != nil && vals != nil {
			t.Fatal("values returned beside an error")
		}
	})
}
