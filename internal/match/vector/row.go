package vector

import (
	"strconv"

	"github.com/parkdesk/parkdesk/internal/policy"
)

// Summary is what matching stores of a result beside its explanation:
// status, amount (two decimals, "" without one), the missing fields
// (sorted) and the near-miss criterion.
type Summary struct {
	Status   policy.Status
	Amount   string
	Missing  []string
	NearMiss string
}

// Summary returns the result of a row.
func (o *Outcomes) Summary(row int) Summary {
	if r, ok := o.Special[row]; ok {
		s := Summary{Status: r.Status, Missing: r.Missing, NearMiss: r.NearMiss}
		if r.Amount != nil {
			s.Amount = r.Amount.Text('f')
		}
		if s.Missing == nil {
			s.Missing = []string{}
		}
		if r.Engine != nil && s.Status == policy.Undetermined {
			s.Missing = sortedCopy(s.Missing)
		}
		return s
	}
	s := Summary{Missing: []string{}}
	switch o.status(row) {
	case stEligible:
		s.Status = policy.Eligible
		if o.Plan.amount >= 0 {
			s.Amount = FenText(o.AmountF[row])
		}
	case stUndetermined:
		s.Status = policy.Undetermined
		s.Missing = o.Plan.missingNames(o.Missing[row])
	default:
		s.Status = policy.Ineligible
		if nm := o.NearMiss[row]; nm >= 0 {
			s.NearMiss = o.Plan.criteria[nm].id
		}
	}
	return s
}

// FenText writes an amount in fen as yuan with two decimals.
func FenText(fen int64) string {
	neg := fen < 0
	if neg {
		fen = -fen
	}
	s := strconv.FormatInt(fen/100, 10) + "." + string([]byte{byte('0' + fen%100/10), byte('0' + fen%10)})
	if neg {
		s = "-" + s
	}
	return s
}

func sortedCopy(s []string) []string {
	out := append([]string{}, s...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
