package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// probeHead is the metadata of the small policies tests write.
const probeHead = `id: probe
title: {zh: 探针, en: Probe}
documents: [{number: 测试}]
mode: automatic
verified: true
in_force: {from: 2000-01-01}
`

// probeTail gives probe policies what every policy needs after its body:
// the kind of benefit, how it is claimed, and a test case.
const probeTail = `
benefit: {kind: qualification}
claim: {where: {zh: 测试, en: test}, by: {zh: 随时, en: any time}}
tests:
  - name: loads
    on: 2024-06-01
    record: {uscc: 91330106MA2GL1234M, name: 探针}
    expect: {status: eligible}
`

// loadFiles writes policy files into a fresh directory and loads it.
func loadFiles(t *testing.T, files map[string]string) (*Library, error) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return LoadDir(dir, facts.Builtin())
}

// probeLibrary loads a policy "probe" with the given body (parameters,
// derived, criteria, amount …), failing the test on any problem.
func probeLibrary(t *testing.T, body string) *Library {
	t.Helper()
	lib, err := loadFiles(t, map[string]string{"probe.yaml": probeHead + body + probeTail})
	if err != nil {
		t.Fatalf("loading the probe policy: %v\n%s", err, body)
	}
	return lib
}

// mustRecord decodes one record of the data contract.
func mustRecord(t *testing.T, json string) facts.Record {
	t.Helper()
	var rec facts.Record
	err := facts.DecodeRecords(strings.NewReader(json), "test.json", facts.Builtin(), func(r facts.Record) error {
		rec = r
		return nil
	})
	if err != nil {
		t.Fatalf("record: %v\n%s", err, json)
	}
	return rec
}

// withFacts is a valid record with the given facts (a JSON object body).
func withFacts(t *testing.T, factsJSON string) facts.Record {
	t.Helper()
	return mustRecord(t, `{"uscc": "91330106MA2GL1234M", "name": "测试企业", "registered_on": "2016-05-12",
		"industry_code": "C3911", "facts": {`+factsJSON+`}}`)
}

func date(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// evalProbe evaluates the record against the library's probe policy.
func evalProbe(t *testing.T, lib *Library, rec facts.Record, on string) Result {
	t.Helper()
	p, ok := lib.Policy("probe")
	if !ok {
		t.Fatal("no probe policy")
	}
	return p.Evaluate(&rec, date(t, on))
}

func criterionOf(t *testing.T, res Result, id string) CriterionResult {
	t.Helper()
	for _, c := range res.Criteria {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no criterion %s in %+v", id, res.Criteria)
	return CriterionResult{}
}

func valueOfResult(t *testing.T, res Result, name string) Read {
	t.Helper()
	for _, v := range res.Values {
		if v.Name == name {
			return v
		}
	}
	t.Fatalf("no value %s in %+v", name, res.Values)
	return Read{}
}

func monthOf(y, m int) facts.Period { return facts.Month(y, 1).AddMonths(m - 1) }
