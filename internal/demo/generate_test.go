package demo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
)

// testOn is the date the test parks are seen from: fiscal years 2021–2023,
// VAT months 2022-08 .. 2024-07.
var testOn = time.Date(2024, 8, 15, 0, 0, 0, 0, time.UTC)

// mustGenerate returns the first n enterprises of the park of seed.
func mustGenerate(t testing.TB, seed int64, n int) []Enterprise {
	t.Helper()
	var out []Enterprise
	err := Each(Options{Seed: seed, Enterprises: n, On: testOn}, func(e Enterprise) error {
		out = append(out, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != n {
		t.Fatalf("got %d enterprises, want %d", len(out), n)
	}
	return out
}

// forEach streams the first n enterprises of the park of seed to fn, so
// that a test holds one at a time.
func forEach(t testing.TB, seed int64, n int, fn func(e *Enterprise)) {
	t.Helper()
	err := Each(Options{Seed: seed, Enterprises: n, On: testOn}, func(e Enterprise) error {
		fn(&e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// mustRoundTrip encodes records as a JSON array and decodes them through
// the importer's decoder with the shipped dictionary, failing on any problem.
func mustRoundTrip(t testing.TB, records []facts.Record) []facts.Record {
	t.Helper()
	data, err := json.Marshal(records)
	if err != nil {
		t.Fatal(err)
	}
	var decoded []facts.Record
	err = facts.DecodeRecords(bytes.NewReader(data), "demo.json", facts.Builtin(), func(r facts.Record) error {
		decoded = append(decoded, r)
		return nil
	})
	if err != nil {
		t.Fatalf("generated records do not pass the dictionary: %v", err)
	}
	return decoded
}

func recordsOf(es []Enterprise) []facts.Record {
	out := make([]facts.Record, len(es))
	for i := range es {
		out[i] = es[i].Record
	}
	return out
}

func TestRecordsPassTheDictionary(t *testing.T) {
	// 2,000 records, round-tripped 250 at a time to keep memory small.
	const total, batch = 2000, 250
	dict := facts.Builtin()
	var generated []facts.Record
	check := func() {
		decoded := mustRoundTrip(t, generated)
		if len(decoded) != len(generated) {
			t.Fatalf("decoded %d records of %d", len(decoded), len(generated))
		}
		for i := range generated {
			if diff := recordDiff(dict, &generated[i], &decoded[i]); diff != "" {
				t.Fatalf("record %s changed through JSON: %s", generated[i].USCC, diff)
			}
		}
		generated = generated[:0]
	}
	forEach(t, 1, total, func(e *Enterprise) {
		generated = append(generated, e.Record)
		if len(generated) == batch {
			check()
		}
	})
	if len(generated) > 0 {
		check()
	}
}

// recordDiff describes the first difference between a generated record and
// its decoded copy, including a value typed differently from its field.
func recordDiff(dict *facts.Dictionary, want, got *facts.Record) string {
	if want.USCC != got.USCC || want.Name != got.Name || want.RegisteredOn != got.RegisteredOn ||
		want.IndustryCode != got.IndustryCode || want.Park != got.Park || !slices.Equal(want.Tags, got.Tags) {
		return fmt.Sprintf("header %+v became %+v", *want, *got)
	}
	if len(want.Facts) != len(got.Facts) {
		return fmt.Sprintf("%d facts became %d", len(want.Facts), len(got.Facts))
	}
	for name, series := range want.Facts {
		field, ok := dict.Field(name)
		if !ok {
			return fmt.Sprintf("%s is not in the dictionary", name)
		}
		if len(series) != len(got.Facts[name]) {
			return fmt.Sprintf("%s: %d periods became %d", name, len(series), len(got.Facts[name]))
		}
		for p, v := range series {
			g, ok := got.Facts[name][p]
			switch {
			case !ok:
				return fmt.Sprintf("%s %s is lost", name, p)
			case v.Type != field.Type:
				return fmt.Sprintf("%s is generated as a %s, the dictionary says %s", name, v.Type, field.Type)
			case v.String() != g.String():
				return fmt.Sprintf("%s %s: %s became %s", name, p, v, g)
			}
		}
	}
	return ""
}

func TestSameSeedSameBytes(t *testing.T) {
	encode := func(seed int64) []byte {
		data, err := json.Marshal(recordsOf(mustGenerate(t, seed, 400)))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	first, again, other := encode(7), encode(7), encode(8)
	if !bytes.Equal(first, again) {
		t.Error("the same seed gave different records")
	}
	if bytes.Equal(first, other) {
		t.Error("different seeds gave the same records")
	}
}

func TestEnterpriseDependsOnlyOnItsIndex(t *testing.T) {
	const n = 200
	streamed := make([][]byte, n)
	i := 0
	forEach(t, 3, n, func(e *Enterprise) {
		streamed[i] = mustMarshalEnterprise(t, e)
		i++
	})
	g, err := New(Options{Seed: 3, Enterprises: n, On: testOn})
	if err != nil {
		t.Fatal(err)
	}
	// Out of order and on two goroutines, as parallel slices ask.
	direct := make([][]byte, n)
	var wg sync.WaitGroup
	for start := range 2 {
		wg.Go(func() {
			for i := n - 1 - start; i >= 0; i -= 2 {
				e := g.Enterprise(i)
				direct[i] = mustMarshalEnterprise(t, &e)
			}
		})
	}
	wg.Wait()
	for i := range n {
		if !bytes.Equal(streamed[i], direct[i]) {
			t.Fatalf("enterprise %d differs between the stream and direct access:\n%s\n%s", i, streamed[i], direct[i])
		}
	}
}

// mustMarshalEnterprise encodes the record and the liaison.
func mustMarshalEnterprise(t testing.TB, e *Enterprise) []byte {
	data, err := json.Marshal(struct {
		Record  facts.Record
		Liaison Liaison
	}{e.Record, e.Liaison})
	if err != nil {
		t.Error(err)
	}
	return data
}

func TestEnterpriseFactsMatchesTheRecord(t *testing.T) {
	g, err := New(Options{Seed: 17, Enterprises: 100, On: testOn})
	if err != nil {
		t.Fatal(err)
	}
	dict := facts.Builtin()
	for i := range g.Len() {
		want := g.Enterprise(i)
		fromFacts := make(map[string]facts.Series)
		got := g.EnterpriseFacts(i, func(f Fact) {
			if fromFacts[f.Field] == nil {
				fromFacts[f.Field] = facts.Series{}
			}
			if _, dup := fromFacts[f.Field][f.Period]; dup {
				t.Errorf("enterprise %d: %s %s given twice", i, f.Field, f.Period)
			}
			fromFacts[f.Field][f.Period] = f.Value
		})
		if got.Record.Facts != nil {
			t.Fatalf("enterprise %d: EnterpriseFacts filled Record.Facts", i)
		}
		got.Record.Facts = fromFacts
		if diff := recordDiff(dict, &want.Record, &got.Record); diff != "" {
			t.Fatalf("enterprise %d: %s", i, diff)
		}
		if len(fromFacts) != len(want.Record.Facts) || got.Liaison != want.Liaison {
			t.Fatalf("enterprise %d: %d fields through EnterpriseFacts, %d in the record", i, len(fromFacts), len(want.Record.Facts))
		}
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"negative population", Options{Enterprises: -1, On: testOn}, "not -1"},
		{"too large a population", Options{Enterprises: MaxEnterprises + 1, On: testOn}, "not 5000001"},
		{"no date", Options{Enterprises: 10}, "required"},
		{"date out of range", Options{Enterprises: 10, On: time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)}, "not 1999-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) || apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("New(%+v) = %v, want an invalid-input error containing %q", tt.opts, err, tt.want)
			}
		})
	}
}

func TestEachStopsAtTheFirstError(t *testing.T) {
	stop := fmt.Errorf("enough")
	calls := 0
	err := Each(Options{Seed: 1, Enterprises: 50, On: testOn}, func(Enterprise) error {
		calls++
		if calls == 3 {
			return stop
		}
		return nil
	})
	if err != stop || calls != 3 {
		t.Fatalf("Each returned %v after %d calls, want the callback's error after 3", err, calls)
	}
}

// companyNamePattern is 行政区 + 字号 + 行业词 + 有限公司 in the three forms.
var companyNamePattern = regexp.MustCompile(`^((杭州|浙江)\p{Han}{2,3}|\p{Han}{2,3}（杭州）)\p{Han}+(股份)?有限公司$`)

func TestIdentitiesAreValidAndUnique(t *testing.T) {
	usccs, names, emails := map[string]bool{}, map[string]bool{}, map[string]bool{}
	divisions := map[string]string{}
	for _, p := range Parks() {
		divisions[p.Code] = p.DivisionCode
	}
	phone := regexp.MustCompile(`^1[3-9]\d{9}$`)
	forEach(t, 11, 5000, func(e *Enterprise) {
		r := e.Record
		if err := enterprise.ValidateUSCC(r.USCC); err != nil {
			t.Fatalf("%s: %v", r.USCC, err)
		}
		if r.USCC[2:8] != divisions[r.Park] {
			t.Errorf("%s is in park %q but registered in division %s", r.USCC, r.Park, r.USCC[2:8])
		}
		if !companyNamePattern.MatchString(r.Name) {
			t.Errorf("name %q is not 行政区 + 字号 + 行业词 + 有限公司", r.Name)
		}
		if _, err := enterprise.LookupIndustry(r.IndustryCode); err != nil || len(r.IndustryCode) != 5 {
			t.Errorf("industry %q is not a class of GB/T 4754-2017: %v", r.IndustryCode, err)
		}
		if !strings.HasSuffix(e.Liaison.Email, "@example.com") || !phone.MatchString(e.Liaison.Phone) || e.Liaison.Name == "" {
			t.Errorf("liaison %+v is not a name, an example.com address and a mobile number", e.Liaison)
		}
		for _, seen := range []struct {
			set map[string]bool
			key string
		}{{usccs, r.USCC}, {names, r.Name}, {emails, e.Liaison.Email}} {
			if seen.set[seen.key] {
				t.Errorf("%s is given twice", seen.key)
			}
			seen.set[seen.key] = true
		}
	})
}

func TestRegistrationDates(t *testing.T) {
	oldest := testOn.AddDate(-25, 0, -1)
	var recent, old int
	forEach(t, 5, 3000, func(e *Enterprise) {
		d, err := facts.ParseDate(e.Record.RegisteredOn)
		if err != nil {
			t.Fatal(err)
		}
		if d.Before(oldest) || !d.Before(testOn) {
			t.Fatalf("registered on %s, outside the 25 years before %s", e.Record.RegisteredOn, testOn.Format(time.DateOnly))
		}
		switch age := testOn.Sub(d).Hours() / 24 / 365.25; {
		case age < 5:
			recent++
		case age >= 20:
			old++
		}
	})
	if recent < 2*old || old == 0 {
		t.Errorf("%d firms under 5 years old and %d over 20: want both, and more recent ones", recent, old)
	}
}

func TestPeriodsCoverTheWindow(t *testing.T) {
	forEach(t, 9, 2000, func(e *Enterprise) {
		r := e.Record
		for name, series := range r.Facts {
			for p := range series {
				ok := true
				switch p.Shape {
				case facts.Annual:
					ok = p.Year >= 2021 && p.Year <= 2023
				case facts.Quarterly:
					ok = p.Year == 2023
				case facts.Monthly:
					ok = p.Index() >= facts.Month(2022, 8).Index() && p.Index() <= facts.Month(2024, 7).Index()
				}
				if !ok {
					t.Fatalf("%s: %s has period %s outside the window", r.USCC, name, p)
				}
			}
		}
		if reg, _ := facts.ParseDate(r.RegisteredOn); reg.Year() > 2021 {
			if _, ok := r.Value("revenue", facts.Year(reg.Year()-1)); ok {
				t.Errorf("%s has revenue for %d, before it was registered on %s", r.USCC, reg.Year()-1, r.RegisteredOn)
			}
		}
	})
}

func TestVATFactsAreConsistent(t *testing.T) {
	general := 0
	forEach(t, 13, 2000, func(e *Enterprise) {
		r := e.Record
		credit := r.Facts["vat_credit_end"]
		if len(credit) == 0 {
			return
		}
		general++
		if len(credit) > 24 {
			t.Fatalf("%s: %d months of credit, want at most 24", r.USCC, len(credit))
		}
		var lastTotal float64
		for m := facts.Month(2022, 8); m.Index() <= facts.Month(2024, 7).Index(); m = m.AddMonths(1) {
			total, ok := r.Value("input_vat_total", m)
			if !ok {
				continue
			}
			qualifying, _ := r.Value("input_vat_qualifying", m)
			if qualifying.Float() > total.Float() {
				t.Errorf("%s %s: qualifying input VAT %s above the total %s", r.USCC, m, qualifying, total)
			}
			if total.Float() < lastTotal {
				t.Errorf("%s %s: cumulative input VAT falls from %.2f to %s", r.USCC, m, lastTotal, total)
			}
			lastTotal = total.Float()
			if approved, ok := r.Value("export_refund_approved", m); ok && approved.Float() > credit[m].Float() {
				t.Errorf("%s %s: export refund %s above the credit %s", r.USCC, m, approved, credit[m])
			}
		}
		// A full fiscal year of monthly sales adds up to its VAT sales.
		if annual, ok := r.Value("vat_sales", facts.Year(2023)); ok {
			sum, months := 0.0, 0
			for m := 1; m <= 12; m++ {
				if v, ok := r.Value("vat_sales_month", facts.Month(2023, m)); ok {
					sum += v.Float()
					months++
				}
			}
			if months == 12 && (sum < annual.Float()-1 || sum > annual.Float()+1) {
				t.Errorf("%s: monthly VAT sales of 2023 add up to %.2f, the year's VAT sales are %s", r.USCC, sum, annual)
			}
		}
	})
	if general == 0 {
		t.Fatal("no general taxpayer has VAT credit facts")
	}
}

// FuzzGeneratedRecordIsValid checks, over seeds, indexes and dates, that
// every generated record passes the dictionary and keeps its facts
// through JSON.
func FuzzGeneratedRecordIsValid(f *testing.F) {
	f.Add(int64(1), uint32(0), uint16(0))
	f.Add(int64(-5), uint32(4_999_999), uint16(3000))
	f.Add(int64(42), uint32(12_999), uint16(9000))
	dict := facts.Builtin()
	f.Fuzz(func(t *testing.T, seed int64, index uint32, daysAfter2005 uint16) {
		on := time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(daysAfter2005)%12000)
		i := int(index % MaxEnterprises)
		g, err := New(Options{Seed: seed, Enterprises: i + 1, On: on})
		if err != nil {
			t.Fatal(err)
		}
		r := g.Enterprise(i).Record
		decoded := mustRoundTrip(t, []facts.Record{r})
		if diff := recordDiff(dict, &r, &decoded[0]); diff != "" {
			t.Fatalf("seed %d enterprise %d on %s: %s", seed, i, on.Format(time.DateOnly), diff)
		}
	})
}
