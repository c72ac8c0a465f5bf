package facts_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

func TestSeedDictionary(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustSeed(t, db)
		// An old definition in the database is brought back to the shipped one.
		if _, err := db.Exec(ctx, "UPDATE fields SET label_en = 'stale', freshness_days = 1 WHERE name = 'revenue'"); err != nil {
			t.Fatal(err)
		}
		mustSeed(t, db)
		got, err := facts.LoadDictionary(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		want := facts.Builtin().Fields()
		if len(got.Fields()) != len(want) {
			t.Fatalf("loaded %d fields, want %d", len(got.Fields()), len(want))
		}
		for i, w := range want {
			g := got.Fields()[i]
			if describe(g) != describe(w) {
				t.Errorf("field %d:\n got %s\nwant %s", i, describe(g), describe(w))
			}
		}
	})
}

func TestAddField(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustSeed(t, db)
		field := func() *facts.Field {
			return &facts.Field{Name: "green_factory", TypeName: "enum", ShapeName: "annual", Enum: []string{"national", "provincial"},
				Department: "industry", Sensitivity: facts.Public, FreshnessDays: 365, LabelZh: "绿色工厂", LabelEn: "Green factory", Builtin: true}
		}
		if err := facts.AddField(ctx, db, field()); err != nil {
			t.Fatal(err)
		}
		dict, err := facts.LoadDictionary(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		all := dict.Fields()
		last := all[len(all)-1]
		if last.Name != "green_factory" || last.Builtin || !slices.Equal(last.Enum, []string{"national", "provincial"}) {
			t.Errorf("the added field loads as %s", describe(last))
		}
		if err := facts.SeedDictionary(ctx, db); err != nil {
			t.Fatal(err)
		}
		if dict, err := facts.LoadDictionary(ctx, db); err != nil || len(dict.Fields()) != len(all) {
			t.Errorf("seeding again lost or added fields: %v", err)
		}

		tests := []struct {
			name   string
			change func(f *facts.Field)
			code   apperr.Code
		}{
			{"same name", func(*facts.Field) {}, apperr.Conflict},
			{"a builtin name", func(f *facts.Field) { f.Name, f.TypeName, f.Enum = "revenue", "money", nil }, apperr.Conflict},
			{"unknown department", func(f *facts.Field) { f.Name, f.Department = "other", "nowhere" }, apperr.Invalid},
			{"no department", func(f *facts.Field) { f.Name, f.Department = "other", " " }, apperr.Invalid},
			{"bad type", func(f *facts.Field) { f.Name, f.TypeName = "other", "float" }, apperr.Invalid},
			{"bad name", func(f *facts.Field) { f.Name = "Green Factory" }, apperr.Invalid},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := field()
				tt.change(f)
				if err := facts.AddField(ctx, db, f); apperr.CodeOf(err) != tt.code {
					t.Errorf("got %v, want %s", err, tt.code)
				}
			})
		}
	})
}

func TestAppendFacts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustSeed(t, db)
		dict := facts.Builtin()
		e1, e2 := mustEnterprise(t, db, 1), mustEnterprise(t, db, 2)
		batch, err := facts.NewBatch(ctx, db, "import:revenue.csv", "officer1")
		if err != nil {
			t.Fatal(err)
		}
		base := time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)
		prov := func(minutes int) facts.Provenance {
			return facts.Provenance{Source: "import:revenue.csv", Actor: "officer1", BatchID: batch, At: base.Add(time.Duration(minutes) * time.Minute)}
		}
		revenue := func(e enterprise.Enterprise, year int, value string) facts.Fact {
			return facts.Fact{EnterpriseID: e.ID, Field: "revenue", Period: facts.Year(year), Value: mustValue(t, dict, "revenue", value)}
		}

		steps := []struct {
			name        string
			prov        facts.Provenance
			facts       []facts.Fact
			want        facts.Appended
			wantCurrent string // revenue of e1 by year, as JSON
		}{
			{"first values", prov(0), []facts.Fact{revenue(e1, 2022, "100"), revenue(e1, 2023, "200"), revenue(e2, 2023, "5")},
				facts.Appended{Rows: 3, Changed: 3, Enterprises: []int64{e1.ID, e2.ID}}, `{"2022":100,"2023":200}`},
			{"the same value again", prov(1), []facts.Fact{revenue(e1, 2023, "200")},
				facts.Appended{Rows: 1, Changed: 0, Enterprises: []int64{}}, `{"2022":100,"2023":200}`},
			{"a new value", prov(2), []facts.Fact{revenue(e1, 2023, "250")},
				facts.Appended{Rows: 1, Changed: 1, Enterprises: []int64{e1.ID}}, `{"2022":100,"2023":250}`},
			{"a backdated value", prov(-60), []facts.Fact{revenue(e1, 2023, "1")},
				facts.Appended{Rows: 1, Changed: 0, Enterprises: []int64{}}, `{"2022":100,"2023":250}`},
			{"twice in one call: the last wins", prov(3), []facts.Fact{revenue(e1, 2021, "7"), revenue(e1, 2021, "8")},
				facts.Appended{Rows: 2, Changed: 1, Enterprises: []int64{e1.ID}}, `{"2021":8,"2022":100,"2023":250}`},
			{"by USCC", prov(4), []facts.Fact{{USCC: e1.USCC, Field: "revenue", Period: facts.Year(2020), Value: mustValue(t, dict, "revenue", "9.50")}},
				facts.Appended{Rows: 1, Changed: 1, Enterprises: []int64{e1.ID}}, `{"2020":9.50,"2021":8,"2022":100,"2023":250}`},
		}
		rows := 0
		for _, step := range steps {
			got, err := facts.AppendFacts(ctx, db, step.prov, slices.Values(step.facts))
			if err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
			if got.Rows != step.want.Rows || got.Changed != step.want.Changed || !slices.Equal(got.Enterprises, step.want.Enterprises) {
				t.Errorf("%s: got %+v, want %+v", step.name, got, step.want)
			}
			if current := revenueJSON(t, db, e1); current != step.wantCurrent {
				t.Errorf("%s: current revenue %s, want %s", step.name, current, step.wantCurrent)
			}
			rows += got.Rows
		}

		t.Run("an unchanged value keeps its recorded time", func(t *testing.T) {
			var recorded time.Time
			if err := db.QueryRow(ctx, "SELECT recorded_at FROM current_facts WHERE enterprise_id = ? AND field = 'revenue' AND period = '2022'", e1.ID).
				Scan(store.ScanTime(&recorded)); err != nil {
				t.Fatal(err)
			}
			if !recorded.Equal(base) {
				t.Errorf("recorded at %v, want %v", recorded, base)
			}
		})
		t.Run("history keeps everything with provenance", func(t *testing.T) {
			h, err := facts.History(ctx, db, e1.ID, "revenue")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range h {
				if e.Source != "import:revenue.csv" || e.Actor != "officer1" || e.BatchID != batch {
					t.Errorf("entry %+v lost its provenance", e)
				}
				got = append(got, e.Period.String()+"="+e.Value.String())
			}
			want := []string{"2020=9.50", "2021=7", "2021=8", "2022=100", "2023=200", "2023=200", "2023=250", "2023=1"}
			if !slices.Equal(got, want) {
				t.Errorf("history %v, want %v", got, want)
			}
		})
		t.Run("the batch counts its rows", func(t *testing.T) {
			var n int
			if err := db.QueryRow(ctx, "SELECT row_count FROM import_batches WHERE id = ?", batch).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != rows {
				t.Errorf("row_count %d, want %d", n, rows)
			}
		})

		failures := []struct {
			name string
			prov facts.Provenance
			fact facts.Fact
		}{
			{"unknown field", prov(5), facts.Fact{EnterpriseID: e1.ID, Field: "no_such_field", Period: facts.Year(2023), Value: mustValue(t, dict, "revenue", "1")}},
			{"unknown enterprise", prov(5), facts.Fact{EnterpriseID: 987654, Field: "revenue", Period: facts.Year(2023), Value: mustValue(t, dict, "revenue", "1")}},
			{"unknown USCC", prov(5), facts.Fact{USCC: enterprise.MakeUSCC("330106", 99), Field: "revenue", Period: facts.Year(2023), Value: mustValue(t, dict, "revenue", "1")}},
			{"no source", facts.Provenance{Actor: "x"}, revenue(e1, 2023, "1")},
		}
		for _, tt := range failures {
			t.Run(tt.name, func(t *testing.T) {
				// A good fact first: the failure must take it back too.
				_, err := facts.AppendFacts(ctx, db, tt.prov, slices.Values([]facts.Fact{revenue(e2, 2019, "1"), tt.fact}))
				if err == nil {
					t.Fatal("accepted")
				}
				h, err := facts.History(ctx, db, e2.ID, "revenue")
				if err != nil {
					t.Fatal(err)
				}
				if len(h) != 1 {
					t.Errorf("a failed append left %d history rows for e2, want the 1 from before", len(h))
				}
			})
		}
		t.Run("unknown field in History", func(t *testing.T) {
			if _, err := facts.History(ctx, db, e1.ID, "no_such_field"); apperr.CodeOf(err) != apperr.NotFound {
				t.Errorf("got %v, want not found", err)
			}
		})
	})
}

// TestAppendFactsManyChunks writes more facts than one statement holds and
// checks that every one arrived.
func TestAppendFactsManyChunks(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustSeed(t, db)
		dict := facts.Builtin()
		var es []enterprise.Enterprise
		for i := range 5 {
			es = append(es, mustEnterprise(t, db, uint64(i+1)))
		}
		// 5 enterprises × 36 months × 15 repeats (the last 5 with new
		// values) = 2700 facts in 3 chunks, repeats of one key landing in
		// different chunks.
		var all []facts.Fact
		for rep := range 15 {
			for _, e := range es {
				for m := range 36 {
					value := fmt.Sprint(m * 1000)
					if rep >= 10 {
						value = fmt.Sprint(m*1000 + rep)
					}
					all = append(all, facts.Fact{EnterpriseID: e.ID, Field: "vat_credit_end", Period: facts.Month(2021, 1).AddMonths(m),
						Value: mustValue(t, dict, "vat_credit_end", value)})
				}
			}
		}
		got, err := facts.AppendFacts(ctx, db, facts.Provenance{Source: "api", Actor: "robot"}, slices.Values(all))
		if err != nil {
			t.Fatal(err)
		}
		if got.Rows != len(all) || len(got.Enterprises) != 5 {
			t.Errorf("got %d rows for %d enterprises, want %d for 5", got.Rows, len(got.Enterprises), len(all))
		}
		for _, e := range es {
			current, err := facts.Current(ctx, db, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			series := current["vat_credit_end"]
			if len(series) != 36 {
				t.Fatalf("%d current months, want 36", len(series))
			}
			for p, v := range series {
				want := fmt.Sprint((p.Index()-facts.Month(2021, 1).Index())*1000 + 14)
				if v.String() != want {
					t.Errorf("%s: current %s, want the last value %s", p, v, want)
				}
			}
		}
	})
}

func TestLoadRecordRoundTrip(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustSeed(t, db)
		park := enterprise.Park{Code: "north", NameZh: "北园"}
		if err := enterprise.CreatePark(ctx, db, &park); err != nil {
			t.Fatal(err)
		}
		for _, code := range []string{"key", "pre-ipo"} {
			if err := enterprise.CreateTag(ctx, db, &enterprise.Tag{Code: code, NameZh: code}); err != nil {
				t.Fatal(err)
			}
		}
		uscc := enterprise.MakeUSCC("330106", 42)
		input := `{"uscc":"` + uscc + `","name":"示例智能科技有限公司","registered_on":"2016-05-12","industry_code":"C3911",` +
			`"park":"north","tags":["key","pre-ipo"],"facts":{"credit_rating":{"2021":"A"},"debt_ratio":{"2023":0.45},` +
			`"employees_q_end":{"2023Q4":88},"enterprise_size":"small","hnte_certified":true,` +
			`"revenue":{"2021":24000000,"2022":32000000.50},"vat_credit_end":{"2022-06":1200000,"2022-07":2200000},"vat_taxpayer_type":"general"}}`
		rec := saveRecord(t, db, input)

		got, err := facts.LoadRecord(ctx, db, strings.ToLower(uscc))
		if err != nil {
			t.Fatal(err)
		}
		out, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != input {
			t.Errorf("record changed on its way through the database:\n got %s\nwant %s", out, input)
		}
		current, err := facts.Current(ctx, db, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(current) != 8 {
			t.Errorf("Current has %d fields, want 8", len(current))
		}
		if _, err := facts.LoadRecord(ctx, db, enterprise.MakeUSCC("330106", 43)); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("unknown USCC: %v, want not found", err)
		}
	})
}

func TestEachRecord(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustSeed(t, db)
		dict := facts.Builtin()
		// 1203 enterprises: more than two pages. Fixtures go in bulk;
		// Create one by one would dominate the test.
		const n = 1203
		now := store.FormatTime(time.Now())
		var ids []int64
		err := db.InTx(ctx, func(tx *store.Tx) error {
			rows := func(yield func([]any) bool) {
				for i := range n {
					if !yield([]any{enterprise.MakeUSCC("330106", uint64(i*7919%n)), fmt.Sprintf("企业%04d", i), now, now}) {
						return
					}
				}
			}
			return tx.InsertRowsReturning(ctx, store.Insert{Table: "enterprises", Columns: []string{"uscc", "name", "created_at", "updated_at"}, Suffix: "RETURNING id"},
				rows, func(r *sql.Rows) error {
					var id int64
					err := r.Scan(&id)
					ids = append(ids, id)
					return err
				})
		})
		if err != nil {
			t.Fatal(err)
		}
		var fs []facts.Fact
		for _, id := range ids {
			fs = append(fs, facts.Fact{EnterpriseID: id, Field: "ui_paid_months", Value: mustValue(t, dict, "ui_paid_months", fmt.Sprint(id))})
		}
		if _, err := facts.AppendFacts(ctx, db, facts.Provenance{Source: "api", Actor: "t"}, slices.Values(fs)); err != nil {
			t.Fatal(err)
		}

		var seen []string
		err = facts.EachRecord(ctx, db, func(r facts.Record) error {
			seen = append(seen, r.USCC)
			got, err := enterprise.GetByUSCC(ctx, db, r.USCC) // the callback may use the database
			if err != nil {
				return err
			}
			if v, ok := r.Value("ui_paid_months", facts.Period{}); !ok || v.String() != fmt.Sprint(got.ID) {
				t.Errorf("%s: ui_paid_months %v (%v), want %d", r.USCC, v, ok, got.ID)
			}
			if len(seen) == 1 {
				// and write to it
				if _, err := facts.NewBatch(ctx, db, "api", "during the walk"); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(seen) != n || !slices.IsSorted(seen) || len(slices.Compact(slices.Clone(seen))) != n {
			t.Errorf("walked %d records (sorted %v), want %d distinct in USCC order", len(seen), slices.IsSorted(seen), n)
		}

		stop := errors.New("enough")
		calls := 0
		err = facts.EachRecord(ctx, db, func(facts.Record) error {
			calls++
			if calls == 600 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || calls != 600 {
			t.Errorf("after an error from fn: %v, %d calls", err, calls)
		}
	})
}

// Fixtures.

func mustSeed(t *testing.T, db *store.DB) {
	t.Helper()
	if err := facts.SeedDictionary(context.Background(), db); err != nil {
		t.Fatal(err)
	}
}

func mustEnterprise(t *testing.T, db *store.DB, serial uint64) enterprise.Enterprise {
	t.Helper()
	e := enterprise.Enterprise{USCC: enterprise.MakeUSCC("330106", serial), Name: fmt.Sprintf("企业%d", serial)}
	if err := enterprise.Create(context.Background(), db, &e); err != nil {
		t.Fatal(err)
	}
	return e
}

func mustValue(t *testing.T, dict *facts.Dictionary, field, text string) facts.Value {
	t.Helper()
	f, ok := dict.Field(field)
	if !ok {
		t.Fatalf("no field %s", field)
	}
	v, err := f.ParseValue(text)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// saveRecord writes a JSON record as an import would: the enterprise, then
// its facts.
func saveRecord(t *testing.T, db *store.DB, input string) enterprise.Enterprise {
	t.Helper()
	ctx := context.Background()
	var e enterprise.Enterprise
	err := facts.DecodeRecords(strings.NewReader(input), "test.json", facts.Builtin(), func(r facts.Record) error {
		e = enterprise.Enterprise{USCC: r.USCC, Name: r.Name, RegisteredOn: r.RegisteredOn, IndustryCode: r.IndustryCode, Park: r.Park, Tags: r.Tags}
		return db.InTx(ctx, func(tx *store.Tx) error {
			if err := enterprise.Create(ctx, tx, &e); err != nil {
				return err
			}
			_, err := facts.AppendFacts(ctx, tx, facts.Provenance{Source: "import:test.json", Actor: "t"}, func(yield func(facts.Fact) bool) {
				for name, series := range r.Facts {
					for p, v := range series {
						if !yield(facts.Fact{EnterpriseID: e.ID, Field: name, Period: p, Value: v}) {
							return
						}
					}
				}
			})
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func revenueJSON(t *testing.T, db *store.DB, e enterprise.Enterprise) string {
	t.Helper()
	rec, err := facts.LoadRecord(context.Background(), db, e.USCC)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	byPeriod := map[string]any{}
	for p, v := range rec.Facts["revenue"] {
		byPeriod[p.String()] = v.JSON()
	}
	if err := json.NewEncoder(&b).Encode(byPeriod); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(b.String())
}

func describe(f *facts.Field) string {
	return fmt.Sprintf("%s %s %s %q %v [%s,%s] %s %s %d %q %s/%s builtin=%v",
		f.Name, f.TypeName, f.ShapeName, f.Unit, f.Enum, f.Min, f.Max, f.Department, f.Sensitivity, f.FreshnessDays, f.AbsentMeans, f.LabelZh, f.LabelEn, f.Builtin)
}
