package policy

import (
	"strings"
	"testing"

	"cel.dev/cel-go/common/types"
	"github.com/cockroachdb/apd/v3"
)

// valueProbe is a policy reporting one derived value x.
func valueProbe(expr string) string {
	return "derived:\n  x: '" + strings.ReplaceAll(expr, "'", "''") + "'\n" +
		"criteria:\n  - {id: always, label: {zh: 总是, en: always}, expr: 'true'}\nreport: [x]\n"
}

func TestDecimalArithmeticIsExact(t *testing.T) {
	rec := `"revenue": {"2021": 1000000, "2022": 2000000, "2023": 1234567.89}, "employees": {"2023": 3}`
	tests := []struct {
		name, expr, want string
	}{
		{"decimal literals add exactly", `decimal("0.1") + decimal("0.2")`, "0.3"},
		{"double literals convert through their shortest text", `decimal(0.1) + decimal(0.2)`, "0.3"},
		{"a double literal beside a decimal is exact", `revenue.last_year() * 0.05`, "61728.3945"},
		{"an int on the left of a decimal", `1 - decimal("0.1")`, "0.9"},
		{"a literal on the left of a decimal", `0.5 * revenue.last_year()`, "617283.945"},
		{"division keeps the fraction", `revenue.last_year() / employees.last_year()`, "411522.63"},
		{"a ratio is not rounded before use", `decimal(2) / 3 * 3`, "2"},
		{"negation", `-revenue.last_year()`, "-1234567.89"},
		{"min with an int", `min(revenue.last_year(), 5)`, "5"},
		{"max with an int", `max(0, decimal(0) - revenue.last_year())`, "0"},
		{"abs", `abs(decimal(0) - revenue.last_year())`, "1234567.89"},
		{"sum of a list", `sum(revenue.last_years(3))`, "4234567.89"},
		{"scientific literal", `decimal(0) + 1e8`, "100000000"},
		{"ternary of literals is promoted", `revenue.last_year() > 0 ? 0.05 : 0.04`, "0.05"},
		{"a derived double literal is an exact decimal", `0.3`, "0.3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lib := probeLibrary(t, valueProbe(tc.expr))
			res := evalProbe(t, lib, withFacts(t, rec), "2024-06-01")
			if got := valueOfResult(t, res, "x").Value; got != tc.want {
				t.Errorf("%s = %s, want %s", tc.expr, got, tc.want)
			}
		})
	}
}

func TestAmountRoundedHalfUpOnce(t *testing.T) {
	tests := []struct {
		name, amount, want string
	}{
		{"half a fen rounds up", `decimal("0.005")`, "0.01"},
		{"just under half a fen rounds down", `decimal("0.004999")`, "0.00"},
		{"half up where a float rounds down", `decimal("2.675")`, "2.68"},
		{"negative half rounds away from zero", `decimal("-0.005")`, "-0.01"},
		{"two half fens sum before rounding", `decimal("0.005") + decimal("0.005")`, "0.01"},
		{"thirds recombine", `decimal(1) / 3 * 3`, "1.00"},
		{"an int amount", `120`, "120.00"},
		{"a ratio times money", `decimal(1000001) / 3`, "333333.67"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lib := probeLibrary(t, "criteria:\n  - {id: always, label: {zh: 总是, en: always}, expr: 'true'}\n"+
				"amount: {expr: '"+tc.amount+"', label: {zh: 金额, en: amount}}\n")
			res := evalProbe(t, lib, withFacts(t, ""), "2024-06-01")
			if res.Amount == nil {
				t.Fatalf("no amount: %s", res.Explanation)
			}
			if got := res.Amount.String(); got != tc.want {
				t.Errorf("amount %s = %s, want %s", tc.amount, got, tc.want)
			}
		})
	}
}

func TestDecimalFromDoubleIsShortestText(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0.1, "0.1"},
		{0.05, "0.05"},
		{0.055, "0.055"},
		{1e-7, "1E-7"},
		{123456789.123, "123456789.123"},
		{0.30000000000000004, "0.30000000000000004"},
	}
	for _, tc := range tests {
		v, ok := decimalFromDouble(tc.in).(*decimalVal)
		if !ok {
			t.Fatalf("%v: not a decimal", tc.in)
		}
		want, _, _ := apd.NewFromString(tc.want)
		if v.d.Cmp(want) != 0 {
			t.Errorf("decimalFromDouble(%v) = %s, want %s", tc.in, v.d.String(), tc.want)
		}
	}
}

func TestDecimalOperations(t *testing.T) {
	d := func(s string) *decimalVal {
		v, _, err := apd.NewFromString(s)
		if err != nil {
			t.Fatal(err)
		}
		return newDecimal(v)
	}
	if got := d("1").Divide(d("0")); !types.IsError(got) {
		t.Errorf("1 / 0 = %v, want an error", got)
	}
	if got := d("1.50").Equal(d("1.5")); got != types.True {
		t.Errorf("1.50 == 1.5 is %v", got)
	}
	if got := d("2").Compare(d("10")); got != types.IntNegOne {
		t.Errorf("compare(2, 10) = %v", got)
	}
	if got := d("1").Add(types.Int(1)); !types.IsError(got) {
		t.Errorf("an int reaching a decimal operator unpromoted must be an error, got %v", got)
	}
	// Values are never modified by operations.
	a := d("7")
	a.Add(d("1"))
	a.Negate()
	if a.d.String() != "7" {
		t.Errorf("an operation modified its operand: %s", a.d.String())
	}
}
