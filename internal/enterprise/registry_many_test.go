package enterprise_test

import (
	"context"
	"slices"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// TestPutMany writes new and existing enterprises at once, as Put would one
// by one: parks and tags resolved, the existing one updated, the registry's
// counter bumped; a bad one is a problem named by its USCC and nothing of
// it is written.
func TestPutMany(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustCreatePark(t, db, "north")
		mustCreateTag(t, db, "key")
		old := mustCreateEnterprise(t, db, 1)
		es := []enterprise.Enterprise{
			{USCC: old.USCC, Name: "改名有限公司", Park: "north"},
			{USCC: enterprise.MakeUSCC("330106", 2), Name: "新企业甲", Park: "north", Tags: []string{"key"}},
			{USCC: enterprise.MakeUSCC("330106", 3), Name: "新企业乙", IndustryCode: "C3911", RegisteredOn: "2016-05-12"},
		}
		before, err := store.CounterKey(ctx, db, store.CounterRegistry)
		if err != nil {
			t.Fatal(err)
		}
		var created, updated int
		err = db.InTx(ctx, func(tx *store.Tx) error {
			var problems []apperr.Problem
			created, updated, problems, err = enterprise.PutMany(ctx, tx, es)
			if len(problems) > 0 {
				t.Errorf("problems: %+v", problems)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if created != 2 || updated != 1 {
			t.Errorf("created %d, updated %d; want 2, 1", created, updated)
		}
		for _, want := range es {
			got, err := enterprise.GetByUSCC(ctx, db, want.USCC)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != want.ID || got.Name != want.Name || got.Park != want.Park || !slices.Equal(got.Tags, want.Tags) || got.IndustryCode != want.IndustryCode || got.RegisteredOn != want.RegisteredOn {
				t.Errorf("%s = %+v, want %+v", want.USCC, got, want)
			}
		}
		if after, err := store.CounterKey(ctx, db, store.CounterRegistry); err != nil || after == before {
			t.Errorf("registry counter %d → %d (%v): not bumped", before, after, err)
		}

		bad := []enterprise.Enterprise{{USCC: enterprise.MakeUSCC("330106", 4), Name: "丙", Park: "south"}}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			_, _, problems, err := enterprise.PutMany(ctx, tx, bad)
			if len(problems) != 1 || problems[0].USCC != bad[0].USCC || problems[0].Field != "park" {
				t.Errorf("problems = %+v, want one of park for %s", problems, bad[0].USCC)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if ids, err := enterprise.IDsByUSCC(ctx, db, []string{bad[0].USCC}); err != nil || ids[bad[0].USCC] != 0 {
			t.Errorf("the enterprise with a problem was written (%v)", err)
		}
	})
}

// TestIDsUpTo reads every id at once up to a limit, and nothing beyond.
func TestIDsUpTo(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, b := mustCreateEnterprise(t, db, 1), mustCreateEnterprise(t, db, 2)
		ids, ok, err := enterprise.IDsUpTo(ctx, db, 2)
		if err != nil || !ok || len(ids) != 2 || ids[a.USCC] != a.ID || ids[b.USCC] != b.ID {
			t.Errorf("IDsUpTo(2) = %v, %v, %v", ids, ok, err)
		}
		if ids, ok, err := enterprise.IDsUpTo(ctx, db, 1); err != nil || ok || ids != nil {
			t.Errorf("IDsUpTo(1) = %v, %v, %v; want nothing", ids, ok, err)
		}
	})
}
