package facts

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"go.yaml.in/yaml/v3"

	"github.com/parkdesk/parkdesk/internal/enterprise"
)

// Sensitivity says who may see a field's values. Tax data is confidential.
type Sensitivity string

// The sensitivities, from the least to the most restricted.
const (
	Public       Sensitivity = "public"
	Internal     Sensitivity = "internal"
	Confidential Sensitivity = "confidential"
)

// Field is a definition of the data dictionary (数据字典): what a value
// means, how it is typed and keyed in time, who owns it and who may see it.
type Field struct {
	Name      string   `yaml:"name" json:"name"`
	Type      Type     `yaml:"-" json:"-"`
	TypeName  string   `yaml:"type" json:"type"`
	Unit      string   `yaml:"unit,omitempty" json:"unit,omitempty"`
	Shape     Shape    `yaml:"-" json:"-"`
	ShapeName string   `yaml:"shape" json:"shape"`
	Enum      []string `yaml:"enum,omitempty" json:"enum,omitempty"`
	Min       string   `yaml:"min,omitempty" json:"min,omitempty"` // decimal lower bound, inclusive
	Max       string   `yaml:"max,omitempty" json:"max,omitempty"` // decimal upper bound, inclusive
	// Digits and Decimals bound a numeric value's digits before and after
	// the decimal point; 0 and nil take the type's (see precision.go).
	Digits      int         `yaml:"digits,omitempty" json:"digits,omitempty"`
	Decimals    *int        `yaml:"decimals,omitempty" json:"decimals,omitempty"`
	Department  string      `yaml:"department" json:"department"` // code of the owning department
	Sensitivity Sensitivity `yaml:"sensitivity" json:"sensitivity"`
	// FreshnessDays is how long a value stays current for "report once":
	// a value older than this is asked again. 0 means it never goes stale.
	FreshnessDays int `yaml:"freshness_days,omitempty" json:"freshness_days,omitempty"`
	// AbsentMeans is the value a missing fact stands for, for list-style
	// flags such as restricted_industry that are recorded only when true.
	AbsentMeans string `yaml:"absent_means,omitempty" json:"absent_means,omitempty"`
	LabelZh     string `yaml:"label_zh" json:"label_zh"`
	LabelEn     string `yaml:"label_en" json:"label_en"`
	Builtin     bool   `yaml:"-" json:"builtin"`

	min, max *apd.Decimal
}

// Label returns the label in the language ("zh" or anything else for English).
func (f *Field) Label(lang string) string {
	if strings.HasPrefix(lang, "zh") {
		return f.LabelZh
	}
	return f.LabelEn
}

// Check validates a field definition and fills its parsed parts. It is used
// for the shipped dictionary and for fields that admins add.
func (f *Field) Check() error {
	if !validFieldName(f.Name) {
		return fmt.Errorf("field name %q: use lower-case letters, digits and underscores, starting with a letter", f.Name)
	}
	var err error
	if f.Type, err = ParseType(f.TypeName); err != nil {
		return fmt.Errorf("field %s: %w", f.Name, err)
	}
	if f.Shape, err = ParseShape(f.ShapeName); err != nil {
		return fmt.Errorf("field %s: %w", f.Name, err)
	}
	if (f.Type == Enum) != (len(f.Enum) > 0) {
		return fmt.Errorf("field %s: an enum field needs its values, and only an enum field has them", f.Name)
	}
	switch f.Sensitivity {
	case Public, Internal, Confidential:
	default:
		return fmt.Errorf("field %s: sensitivity %q is not public, internal or confidential", f.Name, f.Sensitivity)
	}
	if f.LabelZh == "" || f.LabelEn == "" {
		return fmt.Errorf("field %s: needs both label_zh and label_en", f.Name)
	}
	for _, b := range []struct {
		text string
		dst  **apd.Decimal
	}{{f.Min, &f.min}, {f.Max, &f.max}} {
		if b.text == "" {
			continue
		}
		if !f.Type.Numeric() {
			return fmt.Errorf("field %s: only numeric fields have min or max", f.Name)
		}
		d, err := Decimal(b.text)
		if err != nil {
			return fmt.Errorf("field %s: bound %w", f.Name, err)
		}
		*b.dst = &d
	}
	if err := f.checkPrecision(); err != nil {
		return err
	}
	if f.AbsentMeans != "" {
		if _, err := f.ParseValue(f.AbsentMeans); err != nil {
			return fmt.Errorf("field %s: absent_means: %w", f.Name, err)
		}
	}
	return nil
}

func validFieldName(s string) bool {
	if s == "" || len(s) > 64 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// ParseValue parses the canonical text of a value of this field and checks it
// against the field's type, enum and bounds.
func (f *Field) ParseValue(s string) (Value, error) {
	v := Value{Type: f.Type}
	switch f.Type {
	case Number, Integer, Money, Ratio:
		s = strings.TrimSpace(s)
		if len(s) > maxNumberText {
			return v, fmt.Errorf("%s is too long for a number (more than %d characters)", shortText(s), maxNumberText)
		}
		d, err := Decimal(s)
		if err != nil {
			return v, err
		}
		v.Num = d
		return v, f.checkNumber(&v.Num, s)
	case Bool:
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true", "1", "yes", "是":
			v.Bool = true
		case "false", "0", "no", "否":
		default:
			return v, fmt.Errorf("%q is not a boolean (want true or false)", s)
		}
	case Enum:
		s, err := enterprise.CleanLine(s)
		if err != nil {
			return v, err
		}
		if !slices.Contains(f.Enum, s) {
			return v, fmt.Errorf("%q is not one of %s", s, strings.Join(f.Enum, ", "))
		}
		v.Text = s
	case Date:
		s, err := enterprise.CleanLine(s)
		if err != nil {
			return v, err
		}
		if _, err := ParseDate(s); err != nil {
			return v, err
		}
		v.Text = s
	case Text:
		s, err := enterprise.CleanText(s)
		if err != nil {
			return v, err
		}
		if len(s) > 4000 {
			return v, fmt.Errorf("text longer than 4000 bytes")
		}
		v.Text = s
	}
	return v, nil
}

// Dictionary is a set of field definitions by name.
type Dictionary struct {
	fields map[string]*Field
	names  []string
}

// NewDictionary checks the fields and indexes them.
func NewDictionary(fields []*Field) (*Dictionary, error) {
	d := &Dictionary{fields: make(map[string]*Field, len(fields))}
	for _, f := range fields {
		if err := d.Add(f); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Add checks f and adds it; a name may be defined once.
func (d *Dictionary) Add(f *Field) error {
	if err := f.Check(); err != nil {
		return err
	}
	if _, dup := d.fields[f.Name]; dup {
		return fmt.Errorf("field %s is defined twice", f.Name)
	}
	d.fields[f.Name] = f
	d.names = append(d.names, f.Name)
	return nil
}

// Field returns the definition of name.
func (d *Dictionary) Field(name string) (*Field, bool) {
	f, ok := d.fields[name]
	return f, ok
}

// Fields returns every definition in the order they were added.
func (d *Dictionary) Fields() []*Field {
	out := make([]*Field, len(d.names))
	for i, n := range d.names {
		out[i] = d.fields[n]
	}
	return out
}

//go:embed dictionary.yaml
var builtinYAML []byte

// Builtin returns a fresh copy of the shipped dictionary: every field of
// reference/policies.md under its fixed name.
func Builtin() *Dictionary {
	var fields []*Field
	if err := yaml.Unmarshal(builtinYAML, &fields); err != nil {
		panic("facts: the embedded dictionary.yaml does not parse: " + err.Error())
	}
	for _, f := range fields {
		f.Builtin = true
	}
	d, err := NewDictionary(fields)
	if err != nil {
		panic("facts: the embedded dictionary.yaml is invalid: " + err.Error())
	}
	return d
}

// ShapeMismatch describes a value given in the wrong shape for its field,
// e.g. a scalar for an annual field.
func ShapeMismatch(f *Field, got Shape) string {
	if f.Shape == Timeless {
		return fmt.Sprintf("is a timeless field and takes a single value, not values by %s period", got)
	}
	if got == Timeless {
		return fmt.Sprintf("is a %s field and takes an object from period to value, not a single value", f.Shape)
	}
	return fmt.Sprintf("is a %s field, but the period given is %s", f.Shape, got)
}
