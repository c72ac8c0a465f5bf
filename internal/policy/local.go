package policy

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// LocalValue is a value a park sets for a parameter that allows one: a
// pooling region raising the job-retention refund of SMEs to 90% under
// 国办发〔2025〕25号, say. The parameter's local rule (parameters.X.local in
// the policy file) bounds it and says from when it may apply.
type LocalValue struct {
	Policy    string      `json:"policy"`
	Parameter string      `json:"parameter"`
	From      time.Time   `json:"from"`
	Value     apd.Decimal `json:"value"`
	// Source is the local document that sets it ("杭人社发〔2025〕X号").
	Source string `json:"source"`
}

// ReadLocalValues reads a park's local values: a YAML list of
// {policy, parameter, from, value, source}. Problems are reported with the
// file's name, line and column; nothing is returned when there is one.
func ReadLocalValues(r io.Reader, file string) ([]LocalValue, error) {
	raw, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, apperr.Errorf(apperr.Invalid, "%s: %v", file, err)
	}
	if len(raw) > maxFileSize {
		return nil, apperr.Errorf(apperr.Invalid, "%s: the file is larger than 1 MiB", file)
	}
	fr := newFileReader(file, raw)
	root := fr.parse()
	var out []LocalValue
	if root != nil {
		for _, item := range fr.sequence(root, "local values") {
			m := fr.mapping(item, "a local value", "policy", "parameter", "from", "value", "source")
			var v LocalValue
			if n := m.required("policy", "a local value"); n != nil {
				v.Policy = fr.text(n, "policy")
			}
			if n := m.required("parameter", "a local value"); n != nil {
				v.Parameter = fr.text(n, "parameter")
			}
			if n := m.required("from", "a local value"); n != nil {
				v.From, _ = fr.date(n, "from")
			}
			if n := m.required("value", "a local value"); n != nil {
				if d, ok := fr.decimal(n, "value"); ok {
					v.Value.Set(d)
				}
			}
			if n := m.required("source", "a local value"); n != nil {
				v.Source = fr.text(n, "source")
			}
			out = append(out, v)
		}
	}
	if len(fr.issues) > 0 {
		return nil, &LoadError{Issues: fr.issues}
	}
	return out, nil
}

// SetLocalValues sets the park's local values, replacing any set before.
// Each must name a policy of the library and a parameter whose local rule
// admits the value on its date; with any problem nothing is set. Results
// then use them from their dates, say so in a note, and carry a version
// that covers them. Call it before evaluating: it is not safe while the
// library is in use.
func (l *Library) SetLocalValues(values []LocalValue) error {
	type target struct {
		p *Policy
		i int
	}
	var problems []string
	targets := make([]target, len(values))
	for k, v := range values {
		p, ok := l.byID[v.Policy]
		if !ok {
			problems = append(problems, fmt.Sprintf("local value %d: no policy %q", k+1, v.Policy))
			continue
		}
		i := slices.IndexFunc(p.params, func(prm *param) bool { return prm.name == v.Parameter })
		if i < 0 {
			problems = append(problems, fmt.Sprintf("local value %d: policy %s has no parameter %q", k+1, v.Policy, v.Parameter))
			continue
		}
		rule := p.params[i].rule
		switch {
		case rule == nil:
			problems = append(problems, fmt.Sprintf("local value %d: %s.%s may not be set locally", k+1, v.Policy, v.Parameter))
			continue
		case v.From.Before(rule.from):
			problems = append(problems, fmt.Sprintf("local value %d: %s.%s may be set locally from %s (%s), not from %s",
				k+1, v.Policy, v.Parameter, rule.from.Format(time.DateOnly), rule.document, v.From.Format(time.DateOnly)))
			continue
		case v.Value.Cmp(rule.min) < 0 || v.Value.Cmp(rule.max) > 0:
			problems = append(problems, fmt.Sprintf("local value %d: %s.%s must be from %s to %s (%s), not %s",
				k+1, v.Policy, v.Parameter, rule.min.Text('f'), rule.max.Text('f'), rule.document, v.Value.Text('f')))
			continue
		case strings.TrimSpace(v.Source) == "":
			problems = append(problems, fmt.Sprintf("local value %d: name the local document that sets it (source)", k+1))
			continue
		}
		targets[k] = target{p, i}
	}
	if len(problems) > 0 {
		return apperr.Errorf(apperr.Invalid, "%s", strings.Join(problems, "; "))
	}
	for _, p := range l.policies {
		for _, prm := range p.params {
			prm.locals = nil
		}
	}
	for k, v := range values {
		prm := targets[k].p.params[targets[k].i]
		prm.locals = append(prm.locals, paramAt{from: v.From, val: newDecimal(&v.Value), verified: true, source: v.Source})
	}
	for _, p := range l.policies {
		var b bytes.Buffer
		for _, prm := range p.params {
			slices.SortStableFunc(prm.locals, func(a, b paramAt) int { return a.from.Compare(b.from) })
			for _, lv := range prm.locals {
				fmt.Fprintf(&b, "%s|%s|%s|%s\n", prm.name, lv.from.Format(time.DateOnly), canonical(lv.val), lv.source)
			}
		}
		p.version = p.fileHash
		if b.Len() > 0 {
			sum := sha256.Sum256(append([]byte(p.fileHash+"\n"), b.Bytes()...))
			p.version = hex.EncodeToString(sum[:])
		}
	}
	return nil
}

// LocalValues lists the local values set for the policy, by parameter and
// date.
func (p *Policy) LocalValues() []LocalValue {
	var out []LocalValue
	for _, prm := range p.params {
		for _, lv := range prm.locals {
			v := LocalValue{Policy: p.id, Parameter: prm.name, From: lv.from, Source: lv.source}
			if d, ok := lv.val.(*decimalVal); ok {
				v.Value.Set(&d.d)
			}
			out = append(out, v)
		}
	}
	slices.SortStableFunc(out, func(a, b LocalValue) int { return cmp.Compare(a.Parameter, b.Parameter) })
	return out
}

// paramValue is the value of a parameter for the current evaluation: a test
// case's own local value first, then the library's.
func (e *Evaluator) paramValue(prm *param) (paramAt, bool) {
	if vals := e.caseLocals[prm]; len(vals) > 0 {
		for i := len(vals) - 1; i >= 0; i-- {
			if !vals[i].from.After(e.ref) {
				return vals[i], true
			}
		}
	}
	return prm.at(e.ref)
}

// localNotes say which of the parameters in use are the park's own.
func (e *Evaluator) localNotes() []Texts {
	var out []Texts
	for _, prm := range e.pol.params {
		v, ok := e.paramValue(prm)
		if !ok || v.source == "" {
			continue
		}
		d, _ := v.val.(*decimalVal)
		if d == nil {
			continue
		}
		l := e.label(prm.name, "parameter")
		from := v.from.Format(time.DateOnly)
		out = append(out, Texts{
			Zh: fmt.Sprintf("%s采用本地规定：自%s起为%s（%s）。", l.Zh, from, display(&d.d, prm.unit, "zh"), v.source),
			En: fmt.Sprintf("%s is set locally: %s from %s (%s).", capitalize(l.En), display(&d.d, prm.unit, "en"), from, v.source),
		})
	}
	return out
}
