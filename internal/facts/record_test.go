package facts

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// briefRecord is the sample record of the brief's data contract.
const briefRecord = `{
  "uscc": "91330106MA2GL1234M",
  "name": "示例智能科技有限公司",
  "registered_on": "2016-05-12",
  "industry_code": "C3911",
  "facts": {
    "vat_taxpayer_type": "general",
    "enterprise_size": "small",
    "credit_rating": {"2021": "A"},
    "vat_credit_end": {"2022-06": 1200000, "2022-07": 2200000},
    "revenue": {"2021": 24000000, "2022": 32000000, "2023": 42000000}
  }
}`

func decodeAll(t *testing.T, input string) ([]Record, error) {
	t.Helper()
	var got []Record
	err := DecodeRecords(strings.NewReader(input), "in.json", Builtin(), func(r Record) error {
		got = append(got, r)
		return nil
	})
	return got, err
}

func TestDecodeBriefRecord(t *testing.T) {
	recs, err := decodeAll(t, briefRecord)
	if err != nil {
		t.Fatalf("DecodeRecords: %v", err)
	}
	if len(recs) != 1 {
		t.Fatalf("got %d records, want 1", len(recs))
	}
	r := recs[0]
	if v, ok := r.Value("revenue", Year(2022)); !ok || v.String() != "32000000" {
		t.Errorf("revenue 2022 = %v %v, want 32000000", v, ok)
	}
	if v, ok := r.Value("vat_credit_end", Month(2022, 7)); !ok || v.String() != "2200000" {
		t.Errorf("vat_credit_end 2022-07 = %v %v", v, ok)
	}
	if v, ok := r.Value("vat_taxpayer_type", Period{}); !ok || v.Text != "general" {
		t.Errorf("vat_taxpayer_type = %v %v", v, ok)
	}
}

func TestDecodeRecordsArrayAndRoundTrip(t *testing.T) {
	recs, err := decodeAll(t, "\ufeff["+briefRecord+","+strings.Replace(briefRecord, "91330106MA2GL1234M", "91350100M000100Y43", 1)+"]")
	if err != nil {
		t.Fatalf("DecodeRecords: %v", err)
	}
	if len(recs) != 2 {
		t.Fatalf("got %d records, want 2", len(recs))
	}
	first, err := json.Marshal(recs)
	if err != nil {
		t.Fatal(err)
	}
	again, err := decodeAll(t, string(first))
	if err != nil {
		t.Fatalf("re-decoding the encoded records: %v", err)
	}
	second, _ := json.Marshal(again)
	if string(first) != string(second) {
		t.Errorf("encode → decode → encode is not stable:\n%s\n%s", first, second)
	}
}

func TestDecodeRecordsProblems(t *testing.T) {
	tests := []struct {
		name       string
		input      string
		wantRecord int
		wantField  string
		wantReason string
	}{
		{"bad check digit", `{"uscc":"91330106MA2GL1234K","name":"x","facts":{}}`, 1, "uscc", "check digit"},
		{"unknown field", `{"uscc":"91330106MA2GL1234M","name":"x","facts":{"turnover":{"2022":1}}}`, 1, "turnover", "unknown field"},
		{"scalar for an annual field", `{"uscc":"91330106MA2GL1234M","name":"x","facts":{"revenue":5}}`, 1, "revenue", "annual field"},
		{"object for a timeless field", `{"uscc":"91330106MA2GL1234M","name":"x","facts":{"hnte_certified":{"2022":true}}}`, 1, "hnte_certified", "timeless field"},
		{"monthly period on an annual field", `{"uscc":"91330106MA2GL1234M","name":"x","facts":{"revenue":{"2022-01":5}}}`, 1, "revenue", "annual field"},
		{"negative headcount", `{"uscc":"91330106MA2GL1234M","name":"x","facts":{"employees":{"2022":-3}}}`, 1, "employees", "below the minimum"},
		{"ratio above one", `{"uscc":"91330106MA2GL1234M","name":"x","facts":{"niche_market_share":1.2}}`, 1, "niche_market_share", "above the maximum"},
		{"string for a number", `{"uscc":"91330106MA2GL1234M","name":"x","facts":{"revenue":{"2022":"lots"}}}`, 1, "revenue", "not a decimal"},
		{"enum value", `{"uscc":"91330106MA2GL1234M","name":"x","facts":{"credit_rating":{"2022":"AAA"}}}`, 1, "credit_rating", "not one of"},
		{"null value", `{"uscc":"91330106MA2GL1234M","name":"x","facts":{"revenue":{"2022":null}}}`, 1, "revenue", "null"},
		{"fraction of a fen", `{"uscc":"91330106MA2GL1234M","name":"x","facts":{"revenue":{"2022":1.005}}}`, 1, "revenue", "fen"},
		{"missing name", `{"uscc":"91330106MA2GL1234M","facts":{}}`, 1, "name", "required"},
		{"bad industry", `{"uscc":"91330106MA2GL1234M","name":"x","industry_code":"Z99","facts":{}}`, 1, "industry_code", ""},
		{"wrong JSON type", `[{"uscc":"91330106MA2GL1234M","name":"x","facts":{}},{"uscc":5,"name":"y","facts":{}}]`, 2, "uscc", "JSON number"},
		{"unknown top-level key", `{"uscc":"91330106MA2GL1234M","name":"x","color":"red","facts":{}}`, 1, "", "unknown field"},
		{"second record bad", `[` + briefRecord + `,{"uscc":"91330106MA2GL1234M","name":"x","registered_on":"2016-13-01","facts":{}}]`, 2, "registered_on", "not a date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeAll(t, tt.input)
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("err = %v, want an invalid-input error", err)
			}
			ps := apperr.ProblemsOf(err)
			if len(ps) == 0 {
				t.Fatalf("no problems reported: %v", err)
			}
			p := ps[0]
			if p.File != "in.json" || p.Record != tt.wantRecord || p.Field != tt.wantField || !strings.Contains(p.Reason, tt.wantReason) {
				t.Errorf("problem = %+v; want record %d field %q reason containing %q", p, tt.wantRecord, tt.wantField, tt.wantReason)
			}
		})
	}
}

func TestDecodeRecordsNothingPassedOnForBadRecords(t *testing.T) {
	input := `[` + briefRecord + `,{"uscc":"bad","name":"x","facts":{}}]`
	recs, err := decodeAll(t, input)
	if err == nil {
		t.Fatal("want an error")
	}
	if len(recs) != 1 {
		t.Errorf("the valid record is passed on, the invalid one not: got %d", len(recs))
	}
}

func TestDecodeRecordsMalformed(t *testing.T) {
	for _, in := range []string{"", "   ", "42", `[{"uscc":`, `{"uscc":"91330106MA2GL1234M","name":"x","facts":{}} trailing`} {
		if _, err := decodeAll(t, in); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("DecodeRecords(%q) = %v, want an invalid-input error", in, err)
		}
	}
}

func FuzzDecodeRecords(f *testing.F) {
	f.Add(briefRecord)
	f.Add(`[` + briefRecord + `]`)
	f.Add(`{"uscc":"91350100M000100Y43","name":"n","facts":{"employees_q_end":{"2023Q4":12}}}`)
	f.Add(`{"uscc":"91350100M000100Y43","name":"n","name":"m","facts":{"revenue":{"2023":1," 2023":2}}}`)
	f.Add(`{"uscc":" 91350100M000100Y43 ","name":" n\u0000 ","registered_on":" 2016-05-12 ","facts":{"vat_taxpayer_type":" general "}}`)
	dict := Builtin()
	f.Fuzz(func(t *testing.T, input string) {
		var got []Record
		err := DecodeRecords(strings.NewReader(input), "fuzz.json", dict, func(r Record) error {
			got = append(got, r)
			return nil
		})
		if err != nil && apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("a bad input must give an invalid-input error, got %v", err)
		}
		// Whatever is accepted must encode and decode again to the same thing.
		for _, r := range got {
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatalf("marshal accepted record: %v", err)
			}
			var again []Record
			if err := DecodeRecords(strings.NewReader(string(b)), "again.json", dict, func(r Record) error {
				again = append(again, r)
				return nil
			}); err != nil {
				t.Fatalf("an accepted record does not decode again: %v\n%s", err, b)
			}
		}
	})
}
