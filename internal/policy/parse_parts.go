package policy

import (
	"slices"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
	"go.yaml.in/yaml/v3"
)

func parseInForce(r *fileReader, n *yaml.Node) inForce {
	m := r.mapping(n, "in_force", "from", "to", "by")
	var f inForce
	if v := m.required("from", "in_force"); v != nil {
		f.from, _ = r.date(v, "in_force.from")
	}
	if v := m.get("to"); v != nil {
		f.to, _ = r.date(v, "in_force.to")
		if !f.from.IsZero() && !f.to.IsZero() && f.to.Before(f.from) {
			r.errorf(v, "in_force.to is before in_force.from")
		}
	}
	if v := m.get("by"); v != nil {
		switch s, _ := r.scalar(v, "in_force.by"); s {
		case "on":
		case "filing_period":
			f.byFilingPeriod = true
		case "filing_month":
			// Renamed: the old name read the tax month as if it were the
			// filing period, one month late at every regime boundary.
			r.errorf(v, "in_force.by: filing_month is now filing_period (纳税申报期, the evaluation date's month; facts are read for the tax month before it): write the window in filing periods")
		default:
			r.errorf(v, "in_force.by must be on or filing_period, not %q", s)
		}
	}
	return f
}

func parseTolerance(r *fileReader, n *yaml.Node) *apd.Decimal {
	d, ok := r.decimal(n, "tolerance")
	if !ok {
		return nil
	}
	if d.Sign() < 0 || d.Cmp(apd.New(1, 0)) > 0 {
		r.errorf(n, "tolerance is a fraction of the threshold, from 0 to 1 (0.10 is 10%%)")
		return nil
	}
	return d
}

func parseUnit(r *fileReader, n *yaml.Node) Unit {
	s, ok := r.scalar(n, "unit")
	if !ok {
		return UnitNumber
	}
	if !slices.Contains(units, Unit(s)) {
		r.errorf(n, "unit %q is not one of number, yuan, percent, people, items, points, months, years, days", s)
		return UnitNumber
	}
	return Unit(s)
}

func (r *fileReader) name(k *yaml.Node, what string) string {
	if !namePattern.MatchString(k.Value) {
		r.errorf(k, "%s name %q: use lower-case letters, digits and underscores, starting with a letter", what, k.Value)
	}
	return k.Value
}

func parseParams(r *fileReader, n *yaml.Node) []*paramDef {
	m := r.mapping(n, "parameters")
	var out []*paramDef
	for _, name := range m.order {
		k, v := m.keys[name], m.values[name]
		p := &paramDef{name: r.name(k, "parameter"), node: k, unit: UnitNumber}
		if v.Kind == yaml.ScalarNode {
			// A parameter with one value for all time.
			if pv, ok := parseParamValue(r, v, time.Time{}); ok {
				p.values = []paramValue{pv}
			}
		} else {
			pm := r.mapping(v, "parameter "+name, "label", "unit", "type", "values", "local")
			if l := pm.get("local"); l != nil {
				p.local = parseLocalRule(r, l, name)
			}
			if l := pm.get("label"); l != nil {
				p.label = r.texts(l, "label")
			}
			if u := pm.get("unit"); u != nil {
				p.unit = parseUnit(r, u)
			}
			if t := pm.get("type"); t != nil {
				s, _ := r.scalar(t, "type")
				if p.kind = paramKindNames[s]; p.kind == 0 {
					r.errorf(t, "parameter type must be decimal, string, bool or industry_list, not %q", s)
				}
			}
			for _, item := range r.sequence(pm.required("values", "parameter "+name), "values") {
				im := r.mapping(item, "a parameter value", "from", "value", "verified", "note")
				var from time.Time
				if f := im.required("from", "a parameter value"); f != nil {
					from, _ = r.date(f, "from")
				}
				val := im.required("value", "a parameter value")
				if val == nil {
					continue
				}
				pv, ok := parseParamValue(r, val, from)
				if !ok {
					continue
				}
				if vf := im.get("verified"); vf != nil {
					pv.verified, _ = r.boolean(vf, "verified")
				}
				if len(p.values) > 0 && !from.After(p.values[len(p.values)-1].from) {
					r.errorf(item, "parameter %s: values must be in date order, each from a later date", name)
				}
				p.values = append(p.values, pv)
			}
		}
		if len(p.values) == 0 {
			if v.Kind != yaml.ScalarNode {
				r.errorf(k, "parameter %s has no values", name)
			}
			continue
		}
		if p.kind == 0 {
			p.kind = p.values[0].kind
		}
		for _, pv := range p.values {
			want := p.kind
			if want == paramIndustryList {
				want = paramString
			}
			if pv.kind != want {
				r.errorf(pv.node, "parameter %s: every value must be a %s", name, kindName(p.kind))
			}
		}
		out = append(out, p)
	}
	return out
}

func parseLocalRule(r *fileReader, n *yaml.Node, name string) *localDef {
	m := r.mapping(n, "parameter "+name+" local", "min", "max", "from", "document")
	d := &localDef{node: n}
	if v := m.required("min", "local"); v != nil {
		d.min, _ = r.decimal(v, "local.min")
	}
	if v := m.required("max", "local"); v != nil {
		d.max, _ = r.decimal(v, "local.max")
	}
	if v := m.required("from", "local"); v != nil {
		d.from, _ = r.date(v, "local.from")
	}
	if v := m.required("document", "local"); v != nil {
		d.document = r.text(v, "local.document")
	}
	if d.min != nil && d.max != nil && d.min.Cmp(d.max) > 0 {
		r.errorf(n, "parameter %s: local.min is above local.max", name)
	}
	return d
}

func kindName(k paramKind) string {
	for n, v := range paramKindNames {
		if v == k {
			return n
		}
	}
	return "value"
}

func parseParamValue(r *fileReader, n *yaml.Node, from time.Time) (paramValue, bool) {
	pv := paramValue{from: from, node: n, verified: true}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		r.errorf(n, "a parameter value must be a number, a string or true/false")
		return pv, false
	}
	switch n.Tag {
	case "!!int", "!!float":
		d, ok := r.decimal(n, "parameter value")
		if !ok {
			return pv, false
		}
		pv.kind, pv.num = paramDecimal, d
	case "!!bool":
		b, ok := r.boolean(n, "parameter value")
		if !ok {
			return pv, false
		}
		pv.kind, pv.boolean = paramBool, b
	default:
		pv.kind, pv.str = paramString, n.Value
	}
	return pv, true
}

// expr reads an expression node.
func (r *fileReader) expr(n *yaml.Node, what string) exprDef {
	s, _ := r.scalar(n, what)
	if strings.TrimSpace(s) == "" && n != nil && n.Kind == yaml.ScalarNode {
		r.errorf(n, "%s: the expression is empty", what)
	}
	return exprDef{text: s, node: n}
}

func parseDerived(r *fileReader, n *yaml.Node) []*derivedDef {
	m := r.mapping(n, "derived")
	var out []*derivedDef
	for _, name := range m.order {
		k, v := m.keys[name], m.values[name]
		d := &derivedDef{name: r.name(k, "derived value"), node: k, unit: UnitNumber}
		if v.Kind == yaml.ScalarNode {
			d.expr = r.expr(v, "derived value "+name)
		} else {
			dm := r.mapping(v, "derived value "+name, "expr", "label", "unit")
			d.expr = r.expr(dm.required("expr", "derived value "+name), "derived value "+name)
			if l := dm.get("label"); l != nil {
				d.label = r.texts(l, "label")
			}
			if u := dm.get("unit"); u != nil {
				d.unit = parseUnit(r, u)
			}
		}
		out = append(out, d)
	}
	return out
}

func parseCriteria(r *fileReader, n *yaml.Node) []*criterionDef {
	var out []*criterionDef
	seen := map[string]bool{}
	for _, item := range r.sequence(n, "criteria") {
		m := r.mapping(item, "a criterion", "id", "label", "expr", "applies_when", "unit", "near_miss")
		c := &criterionDef{node: item, unit: UnitNumber}
		if v := m.required("id", "a criterion"); v != nil {
			c.id = r.name(v, "criterion")
			if seen[c.id] {
				r.errorf(v, "criterion id %q is used twice", c.id)
			}
			if c.id == inForceCriterion {
				r.errorf(v, "criterion id %q is reserved for the policy's dates", c.id)
			}
			seen[c.id] = true
		}
		if v := m.required("label", "criterion "+c.id); v != nil {
			c.label = r.texts(v, "label")
		}
		c.expr = r.expr(m.required("expr", "criterion "+c.id), "criterion "+c.id)
		if v := m.get("applies_when"); v != nil {
			e := r.expr(v, "criterion "+c.id+" applies_when")
			c.appliesWhen = &e
		}
		if v := m.get("unit"); v != nil {
			c.unit = parseUnit(r, v)
		}
		if v := m.get("near_miss"); v != nil {
			nm := r.mapping(v, "near_miss", "tolerance", "money", "money_label")
			if t := nm.get("tolerance"); t != nil {
				c.tolerance = parseTolerance(r, t)
			}
			if e := nm.get("money"); e != nil {
				ex := r.expr(e, "near_miss.money")
				c.money = &ex
				c.moneyLabel = r.texts(nm.required("money_label", "near_miss"), "money_label")
			}
		}
		out = append(out, c)
	}
	if len(out) == 0 && n.Kind == yaml.SequenceNode {
		r.errorf(n, "criteria: a policy needs at least one criterion")
	}
	return out
}

func parseBenefit(r *fileReader, n *yaml.Node, p *policyDef) {
	m := r.mapping(n, "benefit", "kind", "tax_rate")
	if v := m.required("kind", "benefit"); v != nil {
		if s, _ := r.scalar(v, "benefit.kind"); slices.Contains(benefitKinds, BenefitKind(s)) {
			p.benefit = BenefitKind(s)
		} else {
			r.errorf(v, "benefit.kind must be cash (a refund or grant), tax_saving, deduction (a deduction base) or qualification, not %q", s)
		}
	}
	v := m.get("tax_rate")
	switch {
	case v == nil && p.benefit == Deduction:
		r.errorf(m.keys["kind"], "a deduction needs benefit.tax_rate: the rate its tax value is computed at ({expr, label})")
	case v != nil && p.benefit != Deduction && p.benefit != "":
		r.errorf(m.keys["tax_rate"], "benefit.tax_rate is for a deduction only")
	case v != nil:
		tm := r.mapping(v, "benefit.tax_rate", "expr", "label")
		e := r.expr(tm.required("expr", "benefit.tax_rate"), "benefit.tax_rate")
		p.taxRate = &e
		if l := tm.required("label", "benefit.tax_rate"); l != nil {
			p.taxRateLbl = r.texts(l, "benefit.tax_rate.label")
		}
	}
}

func parseNotes(r *fileReader, n *yaml.Node) []*noteDef {
	var out []*noteDef
	for _, item := range r.sequence(n, "notes") {
		m := r.mapping(item, "a note", "when", "zh", "en")
		nd := &noteDef{node: item}
		nd.when = r.expr(m.required("when", "a note"), "note when")
		if v := m.required("zh", "a note"); v != nil {
			nd.text.Zh = r.text(v, "note zh")
		}
		if v := m.required("en", "a note"); v != nil {
			nd.text.En = r.text(v, "note en")
		}
		out = append(out, nd)
	}
	return out
}

func parseAmount(r *fileReader, n *yaml.Node) *amountDef {
	m := r.mapping(n, "amount", "expr", "label", "parts")
	a := &amountDef{expr: r.expr(m.required("expr", "amount"), "amount")}
	if v := m.required("label", "amount"); v != nil {
		a.label = r.texts(v, "amount label")
	}
	if v := m.get("parts"); v != nil {
		a.parts = parseNames(r, v, "parts")
	}
	return a
}

func parseNames(r *fileReader, n *yaml.Node, what string) []nameRef {
	var out []nameRef
	for _, item := range r.sequence(n, what) {
		if s, ok := r.scalar(item, what); ok {
			out = append(out, nameRef{name: s, node: item})
		}
	}
	return out
}
