package vector

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/policy"
)

var compactMeta = ExplainMeta{Criteria: []string{"taxable_income", "employees", "total_assets", "not_restricted"}, Verified: true, Mode: policy.SelfDeclare}

// storedBefore is what a reader made of the JSON form the compact one
// replaces: the same explanation is to come back from both.
func storedBefore(t *testing.T, e *Explanation, nearMiss string) Explanation {
	t.Helper()
	got, err := DecodeStored(string(e.AppendStoredJSON(nil)), "", nearMiss)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestCompactExplanationReadsBackAsJSON writes explanations in the compact
// form and reads them back: each equals what the JSON form gave, near miss
// and all, and is far shorter.
func TestCompactExplanationReadsBackAsJSON(t *testing.T) {
	cases := []struct {
		e        Explanation
		nearMiss string
	}{
		{e: Explanation{Criteria: []CriterionOutcome{}, Verified: true, Mode: policy.SelfDeclare}},
		{e: Explanation{Criteria: []CriterionOutcome{
			{ID: "taxable_income", Status: policy.Pass, Op: "<=", Value: "644668.44", Threshold: "3000000"},
			{ID: "employees", Status: policy.Fail, Op: "<=", Value: "301", Threshold: "300"},
			{ID: "total_assets", Status: policy.Unknown, Op: "<="},
			{ID: "not_restricted", Status: policy.Pass},
		}, Verified: true, Mode: policy.SelfDeclare}, nearMiss: "employees"},
		{e: Explanation{Criteria: []CriterionOutcome{ // out of order, one the list lacks, an empty op with a value
			{ID: "not_restricted", Status: policy.NotApplicable},
			{ID: "in_force", Status: policy.Pass},
			{ID: "taxable_income", Status: policy.Fail, Value: "true", Threshold: "false"},
			{ID: "employees", Status: policy.Pass, Op: ">="},
		}, Verified: true, Mode: policy.SelfDeclare}},
	}
	for i, c := range cases {
		if c.nearMiss != "" {
			c.e.NearMiss = nearMissOf(c.e.Criteria, c.nearMiss)
		}
		text := string(c.e.AppendCompact(nil, &compactMeta))
		if text[0] != compactMark {
			t.Fatalf("case %d: not written compactly: %q", i, text)
		}
		got, err := DecodeStored(text, compactMeta.JSON(), c.nearMiss)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if want := storedBefore(t, &c.e, c.nearMiss); !reflect.DeepEqual(got, want) {
			t.Errorf("case %d: read back\n%+v\nwant\n%+v", i, got, want)
		}
		if j := c.e.AppendStoredJSON(nil); len(c.e.Criteria) > 1 && 2*len(text) > len(j) {
			t.Errorf("case %d: %d bytes compact against %d as JSON", i, len(text), len(j))
		}
	}
}

// TestCompactExplanationFallsBackToJSON keeps the JSON form where the
// compact one cannot hold the explanation.
func TestCompactExplanationFallsBackToJSON(t *testing.T) {
	for name, e := range map[string]Explanation{
		"no meta":        {Verified: true, Mode: policy.SelfDeclare},
		"another mode":   {Verified: true, Mode: policy.Apply},
		"a separator":    {Criteria: []CriterionOutcome{{ID: "employees", Status: policy.Pass, Op: "==", Value: "a\x1fb", Threshold: "x"}}, Verified: true, Mode: policy.SelfDeclare},
		"a digit id":     {Criteria: []CriterionOutcome{{ID: "9lives", Status: policy.Pass}}, Verified: true, Mode: policy.SelfDeclare},
		"unknown status": {Criteria: []CriterionOutcome{{ID: "employees", Status: "maybe"}}, Verified: true, Mode: policy.SelfDeclare},
	} {
		meta := &compactMeta
		if name == "no meta" {
			meta = nil
		}
		text := e.AppendCompact(nil, meta)
		if text[0] != '{' {
			t.Errorf("%s: written %q, want the JSON form", name, text)
		}
		if _, err := DecodeStored(string(text), compactMeta.JSON(), ""); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// FuzzCompactExplanation writes an explanation of fuzzed criteria in the
// compact form and reads it back as the JSON form would have been read;
// DecodeStored refuses, never panics on, what it cannot read.
func FuzzCompactExplanation(f *testing.F) {
	f.Add("employees", "pass", "<=", "301", "300", "taxable_income", "2\x1ep\x1f<=\x1f1\x1f2")
	f.Add("x", "fail", "", "", "", "in_force", "2\x1ep9")
	f.Add("=a", "unknown", ">=", "", "", "", "2\x1e")
	f.Fuzz(func(t *testing.T, id, status, op, value, threshold, id2, raw string) {
		_, _ = DecodeStored(raw, compactMeta.JSON(), id)
		e := Explanation{Criteria: []CriterionOutcome{
			{ID: id, Status: policy.CriterionStatus(status), Op: op, Value: value, Threshold: threshold},
			{ID: id2, Status: policy.Pass},
		}, Verified: true, Mode: policy.SelfDeclare}
		if value == "" {
			e.Criteria[0].Threshold = "" // neither form keeps a threshold without a value
		}
		if !json.Valid(e.AppendStoredJSON(nil)) || !strings.Contains(string(e.AppendStoredJSON(nil)), "criteria") {
			return
		}
		text := string(e.AppendCompact(nil, &compactMeta))
		got, err := DecodeStored(text, compactMeta.JSON(), id)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		want, err := DecodeStored(string(e.AppendStoredJSON(nil)), "", id)
		if err != nil {
			return // the JSON form does not hold it either (invalid UTF-8)
		}
		if text[0] == '{' {
			return
		}
		want.NearMiss = nearMissOf(want.Criteria, id)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q read back\n%+v\nwant\n%+v", text, got, want)
		}
	})
}
