package vector

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/parkdesk/parkdesk/internal/policy"
)

// A stored explanation holds only what its result's columns do not: the
// status, amount, missing fields and policy version are columns of the
// stored result (and a reader fills them back in), and each criterion is an
// array, not an object with its keys repeated. A million enterprises × ten
// policies keep millions of explanations; this halves their bytes.
//
//	{"criteria":[["turnover","pass",">=","1200000","1000000"],["in_force","pass"]],
//	 "near_miss":{…},"verified":true,"mode":"automatic"}
//
// Explanations stored before, with objects for criteria and the repeated
// fields, read back the same way.

// AppendStoredJSON appends the explanation in its stored form.
func (e *Explanation) AppendStoredJSON(b []byte) []byte {
	b = append(b, `{"criteria":[`...)
	for i, c := range e.Criteria {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendJSONString(b, c.ID)
		b = append(b, ',')
		b = appendJSONString(b, string(c.Status))
		if c.Op != "" || c.Value != "" {
			b = append(b, ',')
			b = appendJSONString(b, c.Op)
		}
		if c.Value != "" {
			b = append(b, ',')
			b = appendJSONString(b, c.Value)
			b = append(b, ',')
			b = appendJSONString(b, c.Threshold)
		}
		b = append(b, ']')
	}
	b = append(b, ']')
	if e.NearMiss != nil {
		b = append(b, `,"near_miss":{"criterion":`...)
		b = appendJSONString(b, e.NearMiss.Criterion)
		b = append(b, `,"value":`...)
		b = appendJSONString(b, e.NearMiss.Value)
		b = append(b, `,"threshold":`...)
		b = appendJSONString(b, e.NearMiss.Threshold)
		b = append(b, `,"gap":`...)
		b = appendJSONString(b, e.NearMiss.Gap)
		b = append(b, '}')
	}
	b = append(b, `,"verified":`...)
	b = strconv.AppendBool(b, e.Verified)
	b = append(b, `,"mode":`...)
	b = appendJSONString(b, string(e.Mode))
	return append(b, '}')
}

// UnmarshalJSON reads a criterion as an object or, as stored explanations
// write it, as an array [id, status, op, value, threshold] whose last
// elements may be left out.
func (c *CriterionOutcome) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '[' {
		var parts []string
		if err := json.Unmarshal(b, &parts); err != nil {
			return err
		}
		if len(parts) < 2 || len(parts) > 5 {
			return fmt.Errorf("vector: a stored criterion has %d elements, want 2 to 5", len(parts))
		}
		parts = append(parts, "", "", "")
		*c = CriterionOutcome{ID: parts[0], Status: policy.CriterionStatus(parts[1]), Op: parts[2], Value: parts[3], Threshold: parts[4]}
		return nil
	}
	type plain CriterionOutcome // without this method
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*c = CriterionOutcome(p)
	return nil
}
