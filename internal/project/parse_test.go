package project

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

func TestParseNamesFileRowAndField(t *testing.T) {
	cases := []struct {
		name, content string
		want          []apperr.Problem
	}{
		{"unknown header", "a,b\n1,2\n", []apperr.Problem{{File: "f.csv", Row: 1}}},
		{"missing column", "code,name,stage\nP1,x,lead\n", []apperr.Problem{
			{File: "f.csv", Row: 1, Field: "investor"}, {File: "f.csv", Row: 1, Field: "industry_code"}, {File: "f.csv", Row: 1, Field: "expected_output"}}},
		{"bad cells", "code,name,investor,industry_code,stage,expected_output\nP1,,x,Z999,maybe,1.234\n", []apperr.Problem{
			{File: "f.csv", Row: 2, Field: "name"}, {File: "f.csv", Row: 2, Field: "industry_code"}, {File: "f.csv", Row: 2, Field: "stage"}, {File: "f.csv", Row: 2, Field: "expected_output"}}},
		{"duplicate", "code,signed_on,total_investment\nP1,2023-01-01,1\n\nP1,2023-01-01,2\n", []apperr.Problem{{File: "f.csv", Row: 4, Field: "code"}}},
		{"bad month", "code,month,funds_in_place\nP1,2023-13,1\nP1,2023-01,-5\n", []apperr.Problem{
			{File: "f.csv", Row: 2, Field: "month"}, {File: "f.csv", Row: 3, Field: "funds_in_place"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("f.csv", []byte(c.content))
			got := apperr.ProblemsOf(err)
			if len(got) != len(c.want) {
				t.Fatalf("problems %+v, want %d", got, len(c.want))
			}
			for i := range got {
				if got[i].File != c.want[i].File || got[i].Row != c.want[i].Row || got[i].Field != c.want[i].Field || got[i].Reason == "" {
					t.Errorf("problem %d: %+v, want %+v", i, got[i], c.want[i])
				}
			}
		})
	}
}

func TestParseXLSX(t *testing.T) {
	book := excelize.NewFile()
	rows := [][]any{{"code", "signed_on", "total_investment"}, {"P1", "2023-01-15", "13.4亿"}}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := book.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := book.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse("s.xlsx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if f.Kind != KindSignings || len(f.Signings) != 1 || f.Signings[0].TotalInvestment.String() != "1340000000.00" || f.Signings[0].Line != 2 {
		t.Errorf("%+v", f)
	}
}

func TestParseAmount(t *testing.T) {
	for in, want := range map[string]string{"1340000000": "1340000000.00", "13.4亿": "1340000000.00", "134000万元": "1340000000.00",
		"1,234.5": "1234.50", "0.01": "0.01", "1.2345万": "12345.00"} {
		f, err := ParseAmount(in)
		if err != nil || f.String() != want {
			t.Errorf("ParseAmount(%q) = %s, %v; want %s", in, f, err, want)
		}
	}
	for _, in := range []string{"", "1.234", "1e9", "abc", "万", "0.0000001万", "99999999999999999999亿"} {
		if _, err := ParseAmount(in); err == nil {
			t.Errorf("ParseAmount(%q) accepted", in)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("f.csv", []byte(projects))
	f.Add("f.csv", []byte("code,signed_on,total_investment\nP1,2023-01-01,1亿\n"))
	f.Add("f.csv", []byte("code,month,funds_in_place\nP1,2023-01,1\n"))
	f.Add("f.xlsx", []byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if !strings.HasSuffix(name, ".csv") && !strings.HasSuffix(name, ".xlsx") {
			name = "f.csv"
		}
		file, err := Parse(name, data)
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("error of code %s: %v", apperr.CodeOf(err), err)
			}
			for _, p := range apperr.ProblemsOf(err) {
				if p.File != name || p.Reason == "" {
					t.Fatalf("problem without its file or reason: %+v", p)
				}
			}
			return
		}
		for _, r := range file.Signings {
			if r.TotalInvestment <= 0 || r.Code == "" {
				t.Fatalf("accepted signing %+v", r)
			}
		}
		for _, r := range file.Funds {
			if r.Amount < 0 {
				t.Fatalf("accepted funds %+v", r)
			}
		}
	})
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1340000000", "13.4亿", "1,234.5", "1.2345万", "-1", "0.001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseAmount(s)
		if err != nil {
			return
		}
		again, err := ParseAmount(v.String())
		if err != nil || again != v {
			t.Fatalf("%q → %s does not read back: %s %v", s, v, again, err)
		}
	})
}
