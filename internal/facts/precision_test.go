package facts

import (
	"context"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// TestNumberPrecision: every numeric value is within its field's digits
// and decimals, or a validation error that says which bound it broke; and
// what is accepted is written without exponent (issue 11, point 4).
func TestNumberPrecision(t *testing.T) {
	dict := Builtin()
	for _, tt := range []struct {
		field, in string
		out       string // canonical text, or "" when refused
		err       string
	}{
		{"revenue", "1e100000", "", "too large"},
		{"revenue", "1e400", "", "too large"},
		{"revenue", "1000000000000000", "", "at most 15 digits"},
		{"revenue", "999999999999999.99", "999999999999999.99", ""},
		{"revenue", "1e3", "1000", ""},
		{"revenue", "1.000", "1.00", ""},
		{"revenue", "1200000.00", "1200000.00", ""},
		{"revenue", "0e100000", "0", ""},
		{"revenue", "1e-100000", "", "fractions of a fen"},
		{"revenue", "0.001", "", "fractions of a fen"},
		{"revenue", "1" + strings.Repeat("0", 200), "", "too long for a number"},
		{"employees", "1e20", "", "too large"},
		{"employees", "12.5", "", "not a whole number"},
		{"employees", "1.2e1", "12", ""},
		{"niche_market_share", "0.123456789012345678901", "", "has 21 decimals: this field takes at most 20"},
		{"niche_market_share", "0.1234567890123456789", "0.1234567890123456789", ""},
		{"innovation_score", "1e2", "100", ""},
		{"innovation_score", "1e3", "", "above the maximum 100"},
	} {
		f, ok := dict.Field(tt.field)
		if !ok {
			t.Fatalf("no field %s", tt.field)
		}
		v, err := f.ParseValue(tt.in)
		switch {
		case tt.err == "" && (err != nil || v.String() != tt.out):
			t.Errorf("%s %q = %q, %v; want %q", tt.field, tt.in, v.String(), err, tt.out)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%s %.30q: error %v, want one saying %q", tt.field, tt.in, err, tt.err)
		case err != nil && len(err.Error()) > 200:
			t.Errorf("%s: a message of %d bytes", tt.field, len(err.Error()))
		}
	}
}

// TestFieldPrecisionStored: a field's own digits and decimals are kept by
// the database's dictionary.
func TestFieldPrecisionStored(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := SeedDictionary(ctx, db); err != nil {
			t.Fatal(err)
		}
		four := 4
		f := &Field{Name: "unit_price", TypeName: "money", ShapeName: "annual", Digits: 6, Decimals: &four,
			Department: "econ", Sensitivity: Internal, LabelZh: "单价", LabelEn: "Unit price"}
		if err := AddField(ctx, db, f); err != nil {
			t.Fatal(err)
		}
		bad := &Field{Name: "bad_precision", TypeName: "integer", ShapeName: "annual", Decimals: &four,
			Department: "econ", Sensitivity: Internal, LabelZh: "坏", LabelEn: "Bad"}
		if err := AddField(ctx, db, bad); err == nil || !strings.Contains(err.Error(), "no decimals") {
			t.Errorf("an integer field with decimals: %v", err)
		}
		dict, err := LoadDictionary(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := dict.Field("unit_price")
		if digits, decimals := got.Precision(); digits != 6 || decimals != 4 {
			t.Fatalf("stored precision %d, %d", digits, decimals)
		}
		if v, err := got.ParseValue("123456.1234"); err != nil || v.String() != "123456.1234" {
			t.Errorf("within: %v, %v", v, err)
		}
		for _, in := range []string{"1234567", "1.23456"} {
			if _, err := got.ParseValue(in); err == nil {
				t.Errorf("%s accepted", in)
			}
		}
		if rev, _ := dict.Field("revenue"); rev.Digits != 0 || rev.Decimals != nil {
			t.Errorf("a shipped field without its own precision came back with %d, %v", rev.Digits, rev.Decimals)
		}
	})
}

// FuzzParseNumber: whatever the text, an accepted value of a numeric field
// is short, within the field's precision, and parses again to itself.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"1e100000", "0e9", "1.000", "-0", "12.5", "1e-3", " 42 ", "NaN", "Infinity", "0x10"} {
		f.Add(s)
	}
	dict := Builtin()
	fields := []string{"revenue", "employees", "niche_market_share", "innovation_score", "taxable_income"}
	f.Fuzz(func(t *testing.T, s string) {
		for _, name := range fields {
			fd, _ := dict.Field(name)
			v, err := fd.ParseValue(s)
			if err != nil {
				if len(err.Error()) > 300 {
					t.Fatalf("%s: a message of %d bytes", name, len(err.Error()))
				}
				continue
			}
			text := v.String()
			digits, decimals := fd.Precision()
			if len(text) > digits+decimals+2 {
				t.Fatalf("%s %q accepted as %q", name, s, text)
			}
			again, err := fd.ParseValue(text)
			if err != nil || again.String() != text {
				t.Fatalf("%s %q: %q parses again to %q, %v", name, s, text, again.String(), err)
			}
		}
	})
}
