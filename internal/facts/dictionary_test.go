package facts

import "testing"

func TestBuiltinDictionaryHasTheFixedFields(t *testing.T) {
	d := Builtin()
	tests := []struct {
		name  string
		shape Shape
		typ   Type
		sens  Sensitivity
	}{
		{"vat_credit_end", Monthly, Money, Confidential},
		{"revenue", Annual, Money, Internal},
		{"credit_rating", Annual, Enum, Confidential},
		{"employees_q_start", Quarterly, Integer, Internal},
		{"restricted_industry", Timeless, Bool, Internal},
		{"enterprise_size", Timeless, Enum, Public},
	}
	for _, tt := range tests {
		f, ok := d.Field(tt.name)
		if !ok {
			t.Errorf("field %s is missing", tt.name)
			continue
		}
		if f.Shape != tt.shape || f.Type != tt.typ || f.Sensitivity != tt.sens {
			t.Errorf("%s: shape %v type %v sensitivity %v; want %v %v %v", tt.name, f.Shape, f.Type, f.Sensitivity, tt.shape, tt.typ, tt.sens)
		}
	}
	// reference/policies.md fixes 57; rd_staff (研发人员, which the little
	// giant standard counts apart from technical staff) is parkdesk's own.
	if n := len(d.Fields()); n != 58 {
		t.Errorf("builtin dictionary has %d fields; reference/policies.md fixes 57, and parkdesk adds rd_staff", n)
	}
}

func TestFieldCheckRejects(t *testing.T) {
	base := func() *Field {
		return &Field{Name: "x", TypeName: "money", ShapeName: "annual", Sensitivity: Internal, LabelZh: "甲", LabelEn: "X"}
	}
	tests := []struct {
		name   string
		change func(f *Field)
	}{
		{"bad name", func(f *Field) { f.Name = "Revenue" }},
		{"bad type", func(f *Field) { f.TypeName = "float" }},
		{"bad shape", func(f *Field) { f.ShapeName = "weekly" }},
		{"enum without values", func(f *Field) { f.TypeName = "enum" }},
		{"values without enum", func(f *Field) { f.Enum = []string{"a"} }},
		{"bad sensitivity", func(f *Field) { f.Sensitivity = "secret" }},
		{"missing label", func(f *Field) { f.LabelEn = "" }},
		{"bound on text", func(f *Field) { f.TypeName = "text"; f.Min = "0" }},
		{"bad bound", func(f *Field) { f.Min = "zero" }},
	}
	if err := base().Check(); err != nil {
		t.Fatalf("the base field must be valid: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := base()
			tt.change(f)
			if err := f.Check(); err == nil {
				t.Error("Check accepted an invalid field")
			}
		})
	}
}

func TestParseValue(t *testing.T) {
	d := Builtin()
	tests := []struct {
		field, in, want string
		wantErr         bool
	}{
		{"revenue", "24000000", "24000000", false},
		{"revenue", "1200000.50", "1200000.50", false},
		{"revenue", "1e3", "1000", false},
		{"revenue", "12.345", "", true},
		{"employees", "12.5", "", true},
		{"employees", "12", "12", false},
		{"hnte_certified", "是", "true", false},
		{"hnte_certified", "maybe", "", true},
		{"credit_rating", "B", "B", false},
		{"niche_market_share", "0.35", "0.35", false},
		{"tax_evasion_penalties_36m", "-1", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.field+"="+tt.in, func(t *testing.T) {
			f, _ := d.Field(tt.field)
			v, err := f.ParseValue(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && v.String() != tt.want {
				t.Errorf("canonical = %q, want %q", v.String(), tt.want)
			}
		})
	}
}
