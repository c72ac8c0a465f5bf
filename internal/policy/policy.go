package policy

import (
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types/ref"
	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// Policy is one compiled policy file: every expression type-checked and
// planned once, ready to evaluate any number of enterprises.
type Policy struct {
	lib        *Library
	file       string
	version    string // fileHash, and the local values when the park set any
	fileHash   string // SHA-256 of the file
	id         string
	title      Texts
	summary    Texts
	documents  []Document
	mode       Mode
	benefit    Benefit
	claim      Claim
	taxRate    cel.Program // deductions: the rate their tax value is computed at
	verified   bool
	unverified *unverifiedNote
	inForce    inForce
	sizeBasis  string
	tolerance  *apd.Decimal
	materials  []Texts

	params   []*param
	derived  []*derived
	criteria []*criterion
	amount   *amount
	report   []int // indexes into derived
	notes    []*note
	names    map[string]slot
	fields   []string
	tests    []*testCase
}

type slotKind uint8

const (
	slotField slotKind = iota + 1
	slotParam
	slotDerived
	slotBuiltin
	slotNearMiss
)

// slot is what a name in an expression stands for.
type slot struct {
	kind  slotKind
	index int
}

type param struct {
	name   string
	label  Texts
	unit   Unit
	kind   paramKind
	values []paramAt
	// rule says whether and how a park may set its own value; locals are
	// the values set (Library.SetLocalValues), in date order.
	rule   *localRule
	locals []paramAt
}

// localRule is a parameter's permission to be set locally: within min and
// max, from a date, under a document.
type localRule struct {
	min, max *apd.Decimal
	from     time.Time
	document string
}

type paramAt struct {
	from     time.Time
	val      ref.Val
	verified bool
	source   string // a local value's document; "" for the policy's own
}

// at returns the value in force on the reference date: a local value set
// by the park, from its date on, else the policy's own.
func (p *param) at(date time.Time) (paramAt, bool) {
	for i := len(p.locals) - 1; i >= 0; i-- {
		if !p.locals[i].from.After(date) {
			return p.locals[i], true
		}
	}
	for i := len(p.values) - 1; i >= 0; i-- {
		if !p.values[i].from.After(date) {
			return p.values[i], true
		}
	}
	return paramAt{}, false
}

type derived struct {
	name  string
	label Texts
	unit  Unit
	prg   cel.Program
}

type criterion struct {
	id          string
	label       Texts
	unit        Unit
	tolerance   *apd.Decimal
	appliesWhen cel.Program
	whole       cel.Program // when the expression is not a numeric comparison
	left, right cel.Program // when it is: value and threshold
	op          string
	money       cel.Program
	moneyLabel  Texts
}

// note is a sentence the explanation adds when its condition is true (not
// when it is false or unknown).
type note struct {
	when cel.Program
	text Texts
}

type amount struct {
	prg   cel.Program
	label Texts
	parts []int // indexes into derived
}

// ID is the policy's fixed id.
func (p *Policy) ID() string { return p.id }

// Version is the SHA-256 of the policy file, in hex, or when the park set
// local values for it (Library.SetLocalValues) of the file and those
// values: results name the exact rule that produced them.
func (p *Policy) Version() string { return p.version }

// File is the path the policy was loaded from.
func (p *Policy) File() string { return p.file }

// Title is the policy's title.
func (p *Policy) Title() Texts { return p.title }

// Summary is the policy's description for people, if any.
func (p *Policy) Summary() Texts { return p.summary }

// Documents are the issuing documents.
func (p *Policy) Documents() []Document { return append([]Document(nil), p.documents...) }

// Mode says how the enterprise gets the benefit: automatic, confirm, apply
// or self_declare.
func (p *Policy) Mode() Mode { return p.mode }

// Benefit says what kind of benefit the policy's amount is, so that totals
// add like to like.
func (p *Policy) Benefit() Benefit { return p.benefit }

// Claim says how, where and by when the benefit is claimed.
func (p *Policy) Claim() Claim { return p.claim }

// Materials lists what an application needs (apply mode).
func (p *Policy) Materials() []Texts { return append([]Texts(nil), p.materials...) }

// Verified is false when a point of the rule could not be checked against
// the official text.
func (p *Policy) Verified() bool { return p.verified }

// HasAmount reports whether the policy computes an amount.
func (p *Policy) HasAmount() bool { return p.amount != nil }

// Fields lists the names of what the policy reads: dictionary fields, and
// "industry_code" and "registered_on" for the record's own attributes.
// Matching re-evaluates a policy only when one of them changes. Fields read
// indirectly are included: the inputs of a derived enterprise_size and of
// the quarterly averages.
func (p *Policy) Fields() []string { return append([]string(nil), p.fields...) }

// referenceDate is the date the policy's dates and parameters are read at:
// the evaluation date, or the first day of the filing period (the
// evaluation date's month) for the monthly VAT regimes.
func (p *Policy) referenceDate(on time.Time) time.Time {
	y, m, d := on.Date()
	if p.inForce.byFilingPeriod {
		return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// firstDay is the first day of a monthly period.
func firstDay(p facts.Period) time.Time {
	return time.Date(p.Year, time.Month(p.Sub), 1, 0, 0, 0, 0, time.UTC)
}

// InForce reports whether the policy applies on the evaluation date (for
// the monthly VAT regimes: in the filing period, on's month, whose facts are
// those of the tax month before it).
func (p *Policy) InForce(on time.Time) bool {
	ref := p.referenceDate(on)
	if ref.Before(p.inForce.from) {
		return false
	}
	return p.inForce.to.IsZero() || !ref.After(p.inForce.to)
}

// unverifiedAt reports whether the policy's unverified points apply on the
// reference date.
func (p *Policy) unverifiedAt(ref time.Time) bool {
	return p.unverified != nil && !ref.Before(p.unverified.from)
}
