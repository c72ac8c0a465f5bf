package policy

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// FuzzLoadPolicy feeds arbitrary bytes to the policy file parser and
// compiler: they must report problems, never panic; and a policy that loads
// must evaluate without panicking.
func FuzzLoadPolicy(f *testing.F) {
	files, _ := filepath.Glob("../../policies/*.yaml")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(probeHead + criterionAt(`revenue.last_year() > 0 && vat_credit_end.last_months(6).all(c, c > 0)`) + probeTail))
	f.Add([]byte(probeHead + "derived:\n  a: b\n  b: a\n" + criterionAt("a") + probeTail))
	f.Add([]byte("id: [\n"))
	f.Add([]byte("{}"))
	f.Add([]byte("- a\n- b\n"))
	f.Add([]byte("id: x\ntests:\n  - {record: &a {x: *a}}\n"))
	lib, err := newLibrary(facts.Builtin(), defaultCostLimit)
	if err != nil {
		f.Fatal(err)
	}
	rec := recordFromFile(f, "testdata/enterprise.json")
	on := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, issues := lib.loadFile("fuzz.yaml", "", data)
		if p == nil && len(issues) == 0 {
			t.Fatal("a policy that did not load must say why")
		}
		for _, i := range issues {
			if i.Pos.Line < 1 || i.Pos.Column < 1 || i.Message == "" {
				t.Fatalf("issue without a position or a message: %+v", i)
			}
		}
		if p == nil {
			return
		}
		res := lib.NewEvaluator().Evaluate(p, FromRecord(&rec), on)
		checkResult(t, res)
		p.runTests(lib.NewEvaluator())
	})
}

// FuzzEvalRecord feeds arbitrary bytes through the record path of policy
// eval: decoding against the data contract, then evaluation against every
// shipped policy. Invalid records are errors; nothing panics; every result
// is well formed.
func FuzzEvalRecord(f *testing.F) {
	if b, err := os.ReadFile("testdata/enterprise.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"uscc": "91330106MA2GL1234M", "name": "x", "facts": {"revenue": {"2023": 0}, "employees": {"2023": 0}}}`))
	f.Add([]byte(`[{"uscc": "91330106MA2GL1234M", "name": "x", "industry_code": "K7010", "facts": {"vat_credit_end": {"2024-05": -1}}}]`))
	f.Add([]byte(`{"uscc": "91330106MA2GL1234M", "name": "x", "registered_on": "2024-02-29", "facts": {"enterprise_size": "micro", "tax_evasion_penalties_36m": 99999999999999999999}}`))
	f.Add([]byte(`{"uscc": "bad"}`))
	f.Add([]byte(`[`))
	lib := shippedLibrary(f)
	ev := lib.NewEvaluator()
	on := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = facts.DecodeRecords(bytes.NewReader(data), "fuzz.json", lib.Dictionary(), func(rec facts.Record) error {
			for _, p := range lib.Policies() {
				checkResult(t, ev.Evaluate(p, FromRecord(&rec), on))
			}
			return nil
		})
	})
}

func checkResult(t *testing.T, res Result) {
	t.Helper()
	switch res.Status {
	case Eligible, Ineligible, Undetermined:
	default:
		t.Fatalf("status %q", res.Status)
	}
	if res.Missing == nil || (res.Status != Undetermined && len(res.Missing) > 0) {
		t.Fatalf("missing %v with status %s", res.Missing, res.Status)
	}
	if res.Amount != nil && res.Status != Eligible {
		t.Fatalf("an amount with status %s", res.Status)
	}
	if res.Explanation == "" || res.ExplanationZh == "" {
		t.Fatal("no explanation")
	}
}
