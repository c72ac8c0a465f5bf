package policy

import (
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// Enterprise is what an evaluation reads of one enterprise. Evaluation goes
// through this interface rather than a record's map so that matching can
// feed it from a columnar snapshot.
type Enterprise interface {
	USCC() string
	IndustryCode() string // GB/T 4754-2017 code with its section letter, or ""
	RegisteredOn() string // YYYY-MM-DD, or ""
	// Fact returns the value of a field at a period (the zero Period for
	// timeless fields) and whether there is one.
	Fact(f *facts.Field, p facts.Period) (facts.Value, bool)
}

// FromRecord adapts a record of the data contract.
func FromRecord(rec *facts.Record) Enterprise { return recordEnterprise{rec} }

type recordEnterprise struct{ rec *facts.Record }

func (r recordEnterprise) USCC() string         { return r.rec.USCC }
func (r recordEnterprise) IndustryCode() string { return r.rec.IndustryCode }
func (r recordEnterprise) RegisteredOn() string { return r.rec.RegisteredOn }

func (r recordEnterprise) Fact(f *facts.Field, p facts.Period) (facts.Value, bool) {
	v, ok := r.rec.Facts[f.Name][p]
	return v, ok
}

// toCEL converts a fact's value into the value expressions see.
func toCEL(v facts.Value) ref.Val {
	switch {
	case v.Type.Numeric():
		return checked(&v.Num)
	case v.Type == facts.Bool:
		return types.Bool(v.Bool)
	}
	return types.String(v.Text)
}
