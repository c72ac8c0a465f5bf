package policy

import (
	"reflect"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/enterprise"
)

// industryType is the type of `industry`, the enterprise's GB/T 4754-2017
// code, with its own functions so that a list such as "C, I63–I65, M" is
// matched by the standard's hierarchy and never by string prefixes.
var industryType = cel.OpaqueType("industry")

type industryVal struct{ code string }

func (v industryVal) ConvertToNative(t reflect.Type) (any, error) {
	if t.Kind() == reflect.String {
		return v.code, nil
	}
	return nil, errConversion(t.String())
}

func (v industryVal) ConvertToType(t ref.Type) ref.Val {
	if t.TypeName() == types.StringType.TypeName() {
		return types.String(v.code)
	}
	return types.NewErr("an industry cannot be converted to %s", t.TypeName())
}

func (v industryVal) Equal(o ref.Val) ref.Val {
	other, ok := o.(industryVal)
	return types.Bool(ok && other.code == v.code)
}

func (v industryVal) Type() ref.Type { return industryType }
func (v industryVal) Value() any     { return v.code }

// industryLists caches parsed lists by their text. Lists written as
// literals or industry_list parameters are parsed, and any error reported,
// when the policy is loaded; a list computed at run time is parsed once.
type industryLists struct {
	m sync.Map // string → enterprise.IndustryList
}

func (c *industryLists) get(text string) (enterprise.IndustryList, error) {
	if l, ok := c.m.Load(text); ok {
		return l.(enterprise.IndustryList), nil
	}
	l, err := enterprise.ParseIndustryList(text)
	if err != nil {
		return l, err
	}
	c.m.Store(text, l)
	return l, nil
}

func industryFunctions(lists *industryLists) []cel.EnvOption {
	code := func(v ref.Val) string { return v.(industryVal).code }
	return []cel.EnvOption{
		cel.Function("code", cel.MemberOverload("industry_code", []*cel.Type{industryType}, cel.StringType,
			cel.UnaryBinding(func(v ref.Val) ref.Val { return types.String(code(v)) }))),
		cel.Function("section", cel.MemberOverload("industry_section", []*cel.Type{industryType}, cel.StringType,
			cel.UnaryBinding(func(v ref.Val) ref.Val { return types.String(enterprise.SectionOf(code(v))) }))),
		cel.Function("division", cel.MemberOverload("industry_division", []*cel.Type{industryType}, cel.StringType,
			cel.UnaryBinding(func(v ref.Val) ref.Val {
				c := code(v)
				if len(c) < 3 {
					return types.String("")
				}
				return types.String(c[1:3])
			}))),
		cel.Function("in_list", cel.MemberOverload("industry_in_list", []*cel.Type{industryType, cel.StringType}, cel.BoolType,
			cel.BinaryBinding(func(v, list ref.Val) ref.Val {
				text, ok := list.(types.String)
				if !ok {
					return types.MaybeNoSuchOverloadErr(list)
				}
				l, err := lists.get(string(text))
				if err != nil {
					return types.NewErr("%s", apperr.MessageOf(err))
				}
				return types.Bool(l.Contains(code(v)))
			}))),
	}
}
