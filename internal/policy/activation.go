package policy

import (
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// activation resolves the names of expressions for the current evaluation.
type activation struct{ ev *Evaluator }

var _ interpreter.Activation = (*activation)(nil)

func (a *activation) ResolveName(name string) (any, bool) {
	e := a.ev
	s, ok := e.pol.names[name]
	if !ok {
		switch name {
		case nameValue:
			return e.nearMissVars[0], e.nearMissVars[0] != nil
		case nameThreshold:
			return e.nearMissVars[1], e.nearMissVars[1] != nil
		case nameGap:
			return e.nearMissVars[2], e.nearMissVars[2] != nil
		}
		return nil, false
	}
	switch s.kind {
	case slotField:
		f := e.lib.fields.list[s.index]
		if f.field.Shape != facts.Timeless {
			return &e.series[s.index], true
		}
		if f.field.Name == fieldSize {
			return e.size(f), true
		}
		return e.read(f, facts.Period{}), true
	case slotParam:
		return e.params[s.index], true
	case slotDerived:
		return e.derivedValue(s.index), true
	}
	return e.builtin(name), true
}

func (a *activation) Parent() interpreter.Activation { return nil }

func (e *Evaluator) builtin(name string) ref.Val {
	switch name {
	case nameUSCC:
		return types.String(e.ent.USCC())
	case nameOn:
		return e.onVal
	case nameTaxMonth:
		return e.taxMonthVal
	case nameFilingPeriod:
		return e.filingPeriodVal
	case nameLastFiscalYear:
		return e.lastYearVal
	case nameLastYearEnd:
		return types.Timestamp{Time: time.Date(e.lastYear, 12, 31, 0, 0, 0, 0, time.UTC)}
	case nameIndustry:
		code := e.ent.IndustryCode()
		if code == "" {
			return e.missingVal(attrIndustryCode, facts.Period{}, "")
		}
		v := industryVal{code: code}
		e.logRead(attrIndustryCode, facts.Period{}, types.String(code), "")
		return v
	case nameRegisteredOn:
		s := e.ent.RegisteredOn()
		if s == "" {
			return e.missingVal(attrRegisteredOn, facts.Period{}, "")
		}
		t, err := facts.ParseDate(s)
		if err != nil {
			return types.NewErr("registered_on: %v", err)
		}
		v := types.Timestamp{Time: t}
		e.logRead(attrRegisteredOn, facts.Period{}, types.String(s), "")
		return v
	}
	return types.NewErr("unknown name %s", name)
}
