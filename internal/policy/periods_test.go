package policy

import (
	"strings"
	"testing"
)

// The periods read relative to the evaluation date. on = 2024-01-15: the
// last fiscal year is 2023, the filing period 2024-01 and the tax month
// 2023-12 (across the year).
func TestPeriodAccessors(t *testing.T) {
	facts := `"revenue": {"2020": 1, "2021": 10, "2022": 100, "2023": 1000},
		"vat_credit_end": {"2022-12": 7, "2023-10": 1, "2023-11": 2, "2023-12": 3},
		"employees_q_start": {"2023Q1": 10, "2023Q2": 20, "2023Q3": 30, "2023Q4": 40},
		"employees_q_end": {"2023Q1": 20, "2023Q2": 30, "2023Q3": 40, "2023Q4": 50}`
	tests := []struct {
		name, expr, want, period string
	}{
		{"last fiscal year", `revenue.last_year()`, "1000", "2023"},
		{"years ago", `revenue.years_ago(3)`, "10", "2021"},
		{"a fixed year", `revenue.in_year(2020)`, "1", "2020"},
		{"last years, oldest first", `revenue.last_years(3)`, "[10, 100, 1000]", "2021"},
		{"sum of years", `revenue.sum_years(2)`, "1100", "2022"},
		{"average of years", `revenue.avg_years(4)`, "277.75", "2020"},
		{"the tax month of a January date is the December before", `vat_credit_end.tax_month()`, "3", "2023-12"},
		{"months back", `vat_credit_end.months_back(2)`, "1", "2023-10"},
		{"last months, oldest first", `vat_credit_end.last_months(3)`, "[1, 2, 3]", "2023-10"},
		{"sum of months", `vat_credit_end.sum_months(3)`, "6", "2023-11"},
		{"average of months", `vat_credit_end.avg_months(3)`, "2", "2023-12"},
		{"December of the year before the tax month's", `vat_credit_end.prior_december()`, "7", "2022-12"},
		{"a fixed month", `vat_credit_end.in_month(2023, 11)`, "2", "2023-11"},
		{"a quarter of the last fiscal year", `employees_q_end.quarter_of_last_year(4)`, "50", "2023Q4"},
		{"the quarters of the last fiscal year", `employees_q_start.quarters_of_last_year()`, "[10, 20, 30, 40]", "2023Q3"},
		{"a fixed quarter", `employees_q_start.in_quarter(2023, 2)`, "20", "2023Q2"},
		{"the last fiscal year as a number", `last_fiscal_year`, "2023", ""},
		{"the tax month as a date", `tax_month`, "2023-12-01", ""},
		{"the filing period as a date", `filing_period`, "2024-01-01", ""},
		{"the last fiscal year's end as a date", `last_fiscal_year_end`, "2023-12-31", ""},
		{"the month of a date, from 0", `filing_period.getMonth()`, "0", ""},
		{"whole years between dates", `years_between(registered_on, on)`, "7", ""},
		{"calendar days across 29 February", `days_between(date("2023-06-02"), date("2024-06-01"))`, "365", ""},
		{"calendar days without 29 February", `days_between(date("2022-06-02"), date("2023-06-01"))`, "364", ""},
		{"calendar days backwards", `days_between(date("2024-01-02"), date("2024-01-01"))`, "-1", ""},
		{"whole months between dates", `months_between(date("2023-01-31"), date("2023-02-28"))`, "0", ""},
		{"a month on the day", `months_between(date("2023-01-31"), date("2023-03-01"))`, "1", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := "derived:\n  x: '" + tc.expr + "'\ncriteria:\n  - {id: c, label: {zh: c, en: c}, expr: 'x == x'}\nreport: [x]\n"
			lib := probeLibrary(t, body)
			res := evalProbe(t, lib, withFacts(t, facts), "2024-01-15")
			if got := valueOfResult(t, res, "x").Value; got != tc.want {
				t.Errorf("%s = %s, want %s", tc.expr, got, tc.want)
			}
			if tc.period == "" {
				return
			}
			found := false
			for _, r := range criterionOf(t, res, "c").Read {
				found = found || r.Period == tc.period
			}
			if !found {
				t.Errorf("the reads %+v do not list period %s", criterionOf(t, res, "c").Read, tc.period)
			}
		})
	}
}

func TestPeriodArgumentsAreBounded(t *testing.T) {
	lib := probeLibrary(t, criterionProbe(`revenue.last_years(1000).size() > 0`, `vat_credit_end.in_month(2023, 13) > 0`))
	res := evalProbe(t, lib, withFacts(t, `"revenue": {"2023": 1}`), "2024-06-01")
	for _, id := range []string{"c1", "c2"} {
		if c := criterionOf(t, res, id); c.Status != Unknown || c.Error == "" {
			t.Errorf("%s: %s %q, want unknown with an error", id, c.Status, c.Error)
		}
	}
}

// Annual averages: from the quarters when all are given, else the average
// fact, else the plain annual fact (reference/policies.md, example S2).
func TestAnnualAverages(t *testing.T) {
	quarters := `"total_assets_q_start": {"2023Q1": 15000000, "2023Q2": 30000000, "2023Q3": 40000000, "2023Q4": 65000000},
		"total_assets_q_end": {"2023Q1": 20000000, "2023Q2": 40000000, "2023Q3": 65000000, "2023Q4": 46000000}`
	tests := []struct {
		name, facts, want, note string
	}{
		{"S2: from the quarters", quarters + `, "total_assets_avg": {"2023": 1}, "total_assets": {"2023": 2}`, "40125000", "quarters"},
		{"a quarter missing: the reported average", `"total_assets_q_start": {"2023Q1": 1}, "total_assets_q_end": {"2023Q1": 3}, "total_assets_avg": {"2023": 41000000}`, "41000000", ""},
		{"no average: the plain fact", `"total_assets": {"2023": 39000000}`, "39000000", "total_assets of the year"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lib := probeLibrary(t, valueProbe(`total_assets_avg.last_year()`))
			res := evalProbe(t, lib, withFacts(t, tc.facts), "2024-06-01")
			if got := valueOfResult(t, res, "x").Value; got != tc.want {
				t.Errorf("total_assets_avg = %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("nothing: missing under the average's name", func(t *testing.T) {
		lib := probeLibrary(t, criterionProbe(`total_assets_avg.last_year() <= 50000000`))
		res := evalProbe(t, lib, withFacts(t, ``), "2024-06-01")
		if res.Status != Undetermined || !sameSet(res.Missing, []string{"total_assets_avg"}) {
			t.Errorf("%s %v, want undetermined on total_assets_avg", res.Status, res.Missing)
		}
	})
	t.Run("the reads say where the average came from", func(t *testing.T) {
		lib := probeLibrary(t, criterionProbe(`total_assets_avg.last_year() <= 50000000`))
		res := evalProbe(t, lib, withFacts(t, quarters), "2024-06-01")
		var notes []string
		for _, r := range criterionOf(t, res, "c1").Read {
			notes = append(notes, r.Name+" "+r.Period+" "+r.Note)
		}
		joined := strings.Join(notes, "; ")
		if !strings.Contains(joined, "total_assets_q_start 2023Q1") || !strings.Contains(joined, "mean of the four quarters") {
			t.Errorf("reads %s", joined)
		}
	})
}
