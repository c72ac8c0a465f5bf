package vector

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/parkdesk/parkdesk/internal/policy"
)

// The compact form of a stored explanation (issue 16: a million
// enterprises × ten policies keep millions of them, and their bytes were
// most of what storing results cost). What every result of a policy
// version shares is kept once, with the version (ExplainMeta): the ids of
// its criteria in order, whether it is verified and how it is claimed. A
// result keeps only its criteria's outcomes, each naming its criterion by
// its place in that list:
//
//	"2" {RS outcome}
//	outcome = status [place] [US op [US value US threshold]]
//
// with RS = 0x1E and US = 0x1F, status one of p (pass), f (fail),
// u (unknown) and n (not applicable), and place left out when the
// criterion is the one after the previous one's (the first for the first),
// else its index or "=" and the criterion's id when the version's list
// does not hold it. The near miss is left out: the result's near_miss
// column names its criterion, whose outcome gives back its value and
// threshold, and the gap is computed again as Explain computed it. An
// explanation this cannot write (a value holding RS or US, an unknown
// status) is stored in the JSON form, which DecodeStored reads as well.
const (
	compactMark = '2'
	compactRS   = '\x1e'
	compactUS   = '\x1f'
)

// ExplainMeta is what every stored result of a policy version shares.
type ExplainMeta struct {
	Criteria []string    `json:"criteria"`
	Verified bool        `json:"verified"`
	Mode     policy.Mode `json:"mode"`
}

// ExplainMeta returns what the plan's stored explanations share.
func (p *Plan) ExplainMeta() ExplainMeta {
	m := ExplainMeta{Criteria: make([]string, len(p.criteria)), Verified: p.Verified, Mode: p.Policy.Mode()}
	for i := range p.criteria {
		m.Criteria[i] = p.criteria[i].id
	}
	return m
}

// JSON is the meta as match_policy_versions.explain_meta keeps it.
func (m ExplainMeta) JSON() string {
	b, _ := json.Marshal(m)
	return string(b)
}

var compactStatus = map[policy.CriterionStatus]byte{policy.Pass: 'p', policy.Fail: 'f', policy.Unknown: 'u', policy.NotApplicable: 'n'}

func statusOf(c byte) (policy.CriterionStatus, bool) {
	switch c {
	case 'p':
		return policy.Pass, true
	case 'f':
		return policy.Fail, true
	case 'u':
		return policy.Unknown, true
	case 'n':
		return policy.NotApplicable, true
	}
	return "", false
}

// AppendCompact appends the explanation in the compact form for a version
// whose meta is m, or in the JSON form (AppendStoredJSON) when it cannot.
func (e *Explanation) AppendCompact(b []byte, m *ExplainMeta) []byte {
	if !e.compactable(m) {
		return e.AppendStoredJSON(b)
	}
	b = append(b, compactMark)
	next := 0
	for _, c := range e.Criteria {
		b = append(b, compactRS, compactStatus[c.Status])
		place := -1
		for i, id := range m.Criteria {
			if id == c.ID {
				place = i
				break
			}
		}
		switch {
		case place < 0:
			b = append(b, '=')
			b = append(b, c.ID...)
		case place != next:
			b = strconv.AppendInt(b, int64(place), 10)
		}
		next = place + 1
		if c.Op != "" || c.Value != "" {
			b = append(b, compactUS)
			b = append(b, c.Op...)
		}
		if c.Value != "" {
			b = append(b, compactUS)
			b = append(b, c.Value...)
			b = append(b, compactUS)
			b = append(b, c.Threshold...)
		}
	}
	return b
}

// compactable reports whether the compact form holds the explanation
// exactly.
func (e *Explanation) compactable(m *ExplainMeta) bool {
	if m == nil || e.Verified != m.Verified || e.Mode != m.Mode {
		return false
	}
	for _, c := range e.Criteria {
		if _, ok := compactStatus[c.Status]; !ok {
			return false
		}
		// An id the list does not hold is written after "=": it must not
		// start with a digit or "=", which would read as a place. Text
		// that is not UTF-8 the JSON form replaces, and so must this.
		all := c.ID + c.Op + c.Value + c.Threshold
		if c.ID == "" || strings.ContainsAny(all, "\x1e\x1f") || !utf8.ValidString(all) || (c.ID[0] >= '0' && c.ID[0] <= '9') || c.ID[0] == '=' {
			return false
		}
	}
	return true
}

// DecodeStored reads a stored explanation in any of its forms: the compact
// one, with meta (the version's explain_meta) and nearMiss (the result's
// near_miss column), or the JSON ones written before.
func DecodeStored(text, meta, nearMiss string) (Explanation, error) {
	var e Explanation
	if text == "" || text[0] != compactMark {
		err := json.Unmarshal([]byte(text), &e)
		return e, err
	}
	var m ExplainMeta
	if err := json.Unmarshal([]byte(meta), &m); err != nil {
		return e, fmt.Errorf("vector: a compact explanation without its version's meta: %w", err)
	}
	e.Verified, e.Mode = m.Verified, m.Mode
	e.Criteria = []CriterionOutcome{}
	next := 0
	body := text[1:]
	if body != "" {
		if body[0] != compactRS {
			return Explanation{}, errors.New("vector: a compact explanation not starting with a criterion")
		}
		body = body[1:]
	}
	for part := range strings.SplitSeq(body, string(compactRS)) {
		if len(text) == 1 {
			break // no criteria
		}
		if part == "" {
			return Explanation{}, errors.New("vector: a compact explanation with an empty criterion")
		}
		fields := strings.Split(part, string(compactUS))
		if len(fields) > 4 {
			return Explanation{}, fmt.Errorf("vector: a compact criterion of %d fields", len(fields))
		}
		head := fields[0]
		if head == "" {
			return Explanation{}, errors.New("vector: a compact criterion without its status")
		}
		st, ok := statusOf(head[0])
		if !ok {
			return Explanation{}, fmt.Errorf("vector: a compact criterion of status %q", head[0])
		}
		c := CriterionOutcome{Status: st}
		place := next
		switch ref := head[1:]; {
		case strings.HasPrefix(ref, "="):
			c.ID, place = ref[1:], -1
		case ref != "":
			n, err := strconv.Atoi(ref)
			if err != nil || n < 0 {
				return Explanation{}, fmt.Errorf("vector: a compact criterion's place %q", ref)
			}
			place = n
		}
		if place >= 0 {
			if place >= len(m.Criteria) {
				return Explanation{}, fmt.Errorf("vector: a compact criterion's place %d of %d", place, len(m.Criteria))
			}
			c.ID = m.Criteria[place]
		}
		next = place + 1
		if len(fields) > 1 {
			c.Op = fields[1]
		}
		if len(fields) == 3 {
			return Explanation{}, errors.New("vector: a compact criterion with a value and no threshold")
		}
		if len(fields) == 4 {
			c.Value, c.Threshold = fields[2], fields[3]
		}
		e.Criteria = append(e.Criteria, c)
	}
	if nearMiss != "" {
		e.NearMiss = nearMissOf(e.Criteria, nearMiss)
	}
	return e, nil
}
