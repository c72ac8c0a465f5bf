package demo

import (
	"context"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

func TestLoad(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		opts := Options{Seed: 7, Enterprises: 60, On: time.Date(2024, 6, 15, 0, 0, 0, 0, time.UTC)}
		report, err := Load(ctx, db, opts, nil)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if report.Enterprises != 60 || report.Facts == 0 {
			t.Fatalf("report = %+v", report)
		}
		// What was loaded reads back as the generated records.
		g, _ := New(opts)
		want := g.Enterprise(17).Record
		got, err := facts.LoadRecord(ctx, db, want.USCC)
		if err != nil {
			t.Fatalf("LoadRecord: %v", err)
		}
		if len(got.Facts) != len(want.Facts) {
			t.Fatalf("enterprise 17 has %d fields stored, %d generated", len(got.Facts), len(want.Facts))
		}
		for name, series := range want.Facts {
			for p, v := range series {
				if g, ok := got.Value(name, p); !ok || g.String() != v.String() {
					t.Errorf("%s %s: stored %v (%v), generated %v", name, p, g, ok, v)
				}
			}
		}
		if _, err := Load(ctx, db, opts, nil); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("a second Load = %v, want a conflict", err)
		}
	})
}
