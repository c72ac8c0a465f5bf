package indicator

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

const projectsCSV = `code,name,investor,industry_code,stage,expected_output,park
P1,新能源电池项目,甲公司,C3841,negotiating,500000000,hz
P2,智能装备项目,乙公司,C3491,在谈,1.2亿,hz
P3,合作园区项目,丙公司,,lead,,coop
`

// TestFirstSigningCountsTheProjectOnce builds the signing rule's cases: a
// project counted at its first signing with its whole total, a later
// supplement counting only its increase and never the project again, a
// signing imported before an earlier one, and a total that shrinks.
func TestFirstSigningCountsTheProjectOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.mustImport(t, "projects.csv", projectsCSV)
		// The supplement of P1 arrives before its first signing.
		f.mustImport(t, "late.csv", "code,signed_on,total_investment\nP1,2023-02-01,1500000\n")
		f.mustImport(t, "signings.csv", "code,signed_on,total_investment,ceremony\nP1,2022-03-10,100万,春季签约\nP2,2023-01-15,2000000.00,春季签约\nP3,2023-03-01,300000,\n")

		q1 := mustReport(t, f, operator, "2023Q1", "")
		want(t, q1, "projects_signed", "2", "1", "100.0")                     // P2 and P3; P1 was counted in 2022
		want(t, q1, "investment_signed", "2800000.00", "1000000.00", "180.0") // 500,000 added to P1, 2,000,000 and 300,000
		hz := mustReport(t, f, operator, "2023Q1", "hz")
		want(t, hz, "projects_signed", "1", "1", "0.0")
		want(t, hz, "investment_signed", "2500000.00", "1000000.00", "150.0")
		y2022 := mustReport(t, f, operator, "2022", "hz")
		want(t, y2022, "projects_signed", "1", "0", "")
		want(t, y2022, "investment_signed", "1000000.00", "0.00", "")

		d, err := f.prj.Get(context.Background(), operator, "P1")
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Signings) != 2 || !d.Signings[0].First || d.Signings[0].Increase.String() != "1000000.00" || d.Signings[1].First || d.Signings[1].Increase.String() != "500000.00" {
			t.Errorf("P1 signings: %+v", d.Signings)
		}
		if d.Stage != "signed" || d.StageSince != "2022-03-10" {
			t.Errorf("P1 stage %s since %s, want signed since its first signing", d.Stage, d.StageSince)
		}

		// A later signing whose total is below the one before is refused,
		// with its row, and nothing of the file is written.
		_, err = f.prj.Import(context.Background(), operator, "bad.csv", []byte("code,signed_on,total_investment\nP2,2023-05-01,2500000\nP1,2023-04-01,1200000\n"), false)
		if apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("shrinking total: %v", err)
		}
		probs := apperr.ProblemsOf(err)
		if len(probs) != 1 || probs[0].Row != 3 || probs[0].Field != "total_investment" || probs[0].File != "bad.csv" {
			t.Errorf("problems %+v", probs)
		}
		q2 := mustReport(t, f, operator, "2023Q2", "hz")
		want(t, q2, "investment_signed", "0.00", "0.00", "")
	})
}

// TestFundsInPlaceAndYearToDate checks the funds of a quarter and 累计 from
// January, and the 570 % of the brief's example.
func TestFundsInPlaceAndYearToDate(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.mustImport(t, "projects.csv", projectsCSV)
		f.mustImport(t, "funds.csv", `code,month,funds_in_place
P1,2022-02,20000000
P2,2022-05,1000000
P1,2023-01,60000000
P2,2023-03,74000000
P2,2023-04,5000000
`)
		q1 := mustReport(t, f, operator, "2023Q1", "hz")
		want(t, q1, "funds_in_place", "134000000.00", "20000000.00", "570.0")
		want(t, q1, "funds_in_place_ytd", "134000000.00", "20000000.00", "570.0")
		apr := mustReport(t, f, operator, "2023-04", "hz")
		want(t, apr, "funds_in_place", "5000000.00", "0.00", "")
		want(t, apr, "funds_in_place_ytd", "139000000.00", "20000000.00", "595.0")
		may := mustReport(t, f, operator, "2023-05", "")
		want(t, may, "funds_in_place", "0.00", "1000000.00", "-100.0")

		// A month given again replaces what was recorded for it.
		f.mustImport(t, "again.csv", "code,month,funds_in_place\nP2,2023-03,14000000\n")
		want(t, mustReport(t, f, operator, "2023Q1", "hz"), "funds_in_place", "74000000.00", "20000000.00", "270.0")
	})
}

// TestSameScopeBase builds the 同口径 rule: the base is last year's values
// of this year's members, not last year's population.
func TestSameScopeBase(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		e1 := f.mustEnterprise(t, 1, "hz", "2015-01-01")
		e2 := f.mustEnterprise(t, 2, "hz", "2022-07-01")
		e3 := f.mustEnterprise(t, 3, "hz", "2010-01-01")
		other := f.mustEnterprise(t, 4, "coop", "2010-01-01")
		f.mustFacts(t, e1, "revenue", map[int]string{2022: "100", 2023: "120"})
		f.mustFacts(t, e1, "rd_expense", map[int]string{2022: "4", 2023: "6"})
		f.mustFacts(t, e2, "revenue", map[int]string{2023: "50"})   // new: no base
		f.mustFacts(t, e3, "revenue", map[int]string{2022: "1000"}) // left: not in this year's scope
		f.mustFacts(t, other, "revenue", map[int]string{2022: "7", 2023: "9"})

		r := mustReport(t, f, operator, "2023", "hz")
		want(t, r, "revenue_total", "170.00", "100.00", "70.0")
		want(t, r, "rd_intensity", "5.00", "4.00", "25.0")
		v, _ := r.Lookup("revenue_total")
		if v.Members != 2 || v.MembersWithoutBase != 1 {
			t.Errorf("revenue_total members %d without base %d, want 2 and 1", v.Members, v.MembersWithoutBase)
		}
		all := mustReport(t, f, operator, "2023", "")
		want(t, all, "revenue_total", "179.00", "107.00", "67.3")

		// Annual-only indicators have no quarterly value.
		if _, ok := mustReport(t, f, operator, "2023Q1", "hz").Lookup("rd_intensity"); ok {
			t.Error("rd_intensity in a quarterly report")
		}
		// A department sees no dashboard; a leader, who sees no
		// confidential field, sees no sum of one.
		if _, err := f.ind.Report(context.Background(), taxDept, "2023", ""); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a department reads the report: %v", err)
		}
		if _, ok := mustReport(t, f, leader, "2023", "").Lookup("revenue_total"); !ok {
			t.Error("the leader misses revenue_total, a sum of an internal field")
		}
		if _, err := db.Exec(context.Background(), "UPDATE fields SET sensitivity = 'confidential' WHERE name = 'revenue'"); err != nil {
			t.Fatal(err)
		}
		lr := mustReport(t, f, leader, "2023", "")
		for _, id := range []string{"revenue_total", "rd_intensity"} {
			if _, ok := lr.Lookup(id); ok {
				t.Errorf("the leader sees %s, computed from a confidential field", id)
			}
		}
		if _, ok := mustReport(t, f, officer, "2023", "").Lookup("revenue_total"); !ok {
			t.Error("the officer, cleared for confidential fields, misses revenue_total")
		}
	})
}

// TestRegistryCountsAndEntered covers counts of tagged enterprises and
// values entered with their provenance.
func TestRegistryCountsAndEntered(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.mustEnterprise(t, 1, "hz", "2015-01-01", "high-tech", "srdi")
		f.mustEnterprise(t, 2, "hz", "2022-07-01", "high-tech")
		f.mustEnterprise(t, 3, "hz", "2023-02-01", "high-tech")
		r := mustReport(t, f, leader, "2023Q1", "hz")
		want(t, r, "hnte_count", "3", "1", "200.0")
		want(t, r, "srdi_count", "1", "1", "0.0")

		ctx := context.Background()
		if err := f.ind.Enter(ctx, officer, []Entry{
			{Park: "hz", Indicator: "gdp", Period: "2022Q1", Value: "17.58亿", Source: "统计局"},
			{Park: "hz", Indicator: "gdp", Period: "2023Q1", Value: "1876000000", Source: "统计局"},
		}); err != nil {
			t.Fatal(err)
		}
		r = mustReport(t, f, leader, "2023Q1", "hz")
		want(t, r, "gdp", "1876000000.00", "1758000000.00", "6.7")
		if v, _ := r.Lookup("gdp"); v.Source != "统计局" {
			t.Errorf("gdp source %q", v.Source)
		}
		// A leader reads but does not enter.
		if err := f.ind.Enter(ctx, leader, []Entry{{Park: "hz", Indicator: "gdp", Period: "2023Q2", Value: "1", Source: "x"}}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("leader entering: %v", err)
		}
		// Bad entries are refused together, each with its field.
		err := f.ind.Enter(ctx, officer, []Entry{{Park: "hz", Indicator: "gdpx", Period: "2023Q5", Value: "1.234", Source: ""}})
		if got := len(apperr.ProblemsOf(err)); got != 4 {
			t.Errorf("problems %v", apperr.ProblemsOf(err))
		}
	})
}

// TestReportJSON pins the shape the command and the API print.
func TestReportJSON(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.mustImport(t, "projects.csv", projectsCSV)
		f.mustImport(t, "funds.csv", "code,month,funds_in_place\nP1,2022-02,200000000\nP1,2023-03,1340000000\n")
		out, err := json.Marshal(mustReport(t, f, operator, "2023Q1", ""))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{`"period":"2023Q1"`, `{"id":"funds_in_place","value":"1340000000.00","base":"200000000.00","yoy_pct":"570.0"}`,
			`{"id":"projects_signed","value":0,"base":0,"yoy_pct":null}`, `{"id":"gdp","value":null,"base":null,"yoy_pct":null}`} {
			if !strings.Contains(string(out), s) {
				t.Errorf("report JSON lacks %s:\n%s", s, out)
			}
		}
	})
}

func TestYoYPctRoundsHalfUp(t *testing.T) {
	for _, c := range []struct{ v, b, want string }{
		{"1.0005", "1", "0.1"}, {"1.00049", "1", "0.0"}, {"0.99949", "1", "-0.1"}, {"0.9995", "1", "-0.1"},
		{"1876", "1758", "6.7"}, {"3", "3", "0.0"}, {"0", "5", "-100.0"}, {"2", "3", "-33.3"}, {"1.00050", "1", "0.1"},
	} {
		v, _, _ := apd.NewFromString(c.v)
		b, _, _ := apd.NewFromString(c.b)
		if got, ok := YoYPct(v, b); !ok || got != c.want {
			t.Errorf("YoYPct(%s, %s) = %q, want %q", c.v, c.b, got, c.want)
		}
	}
	if _, ok := YoYPct(apd.New(1, 0), apd.New(0, 0)); ok {
		t.Error("a change against a zero base")
	}
	if _, ok := YoYPct(apd.New(1, 0), nil); ok {
		t.Error("a change against no base")
	}
}
