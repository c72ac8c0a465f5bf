package indicator

import (
	"context"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

func TestCockpitTrendTargetsAndParks(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.mustImport(t, "projects.csv", projectsCSV)
		f.mustImport(t, "signings.csv", "code,signed_on,total_investment\nP1,2023-01-10,100万\nP3,2023-02-01,50万\n")
		f.mustImport(t, "funds.csv", "code,month,funds_in_place\nP1,2022-03,10万\nP1,2023-03,40万\nP3,2023-02,5万\n")
		if err := f.ind.SetTarget(ctx, officer, "hz", "funds_in_place", 2023, "200万"); err != nil {
			t.Fatal(err)
		}
		if err := f.ind.SetTarget(ctx, leader, "hz", "funds_in_place", 2023, "1"); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a leader sets a target: %v", err)
		}
		if err := f.ind.SetTarget(ctx, officer, "hz", "gdp", 2023, "1"); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("a target of an entered indicator: %v", err)
		}
		c, err := f.ind.Cockpit(ctx, leader, "2023-03", "hz")
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Trend) != 12 || c.Trend[11].Month != "2023-03" || c.Trend[11].Funds.String() != "400000.00" || c.Trend[11].Base.String() != "100000.00" {
			t.Errorf("trend %+v", c.Trend)
		}
		if len(c.Targets) != 1 || c.Targets[0].ActualText() != "400000.00" || c.Targets[0].Pct != "20.0" {
			t.Errorf("targets %+v", c.Targets)
		}
		if len(c.Parks) != 2 || c.Parks[0].Park.Code != "coop" || c.Parks[0].FundsYTD.String() != "50000.00" || c.Parks[1].ProjectsSigned != 1 {
			t.Errorf("parks %+v", c.Parks)
		}
		if _, err := f.ind.Cockpit(ctx, leader, "2023Q1", ""); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("a cockpit of a quarter: %v", err)
		}
	})
}
