package enterprise_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

func TestCreateAndGet(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustCreatePark(t, db, "north")
		mustCreateTag(t, db, "key")
		mustCreateTag(t, db, "ipo")
		uscc := enterprise.MakeUSCC("330106", 1)
		e := enterprise.Enterprise{USCC: " " + strings.ToLower(uscc) + " ", Name: " 示例智能科技有限公司 ",
			RegisteredOn: "2016-05-12", IndustryCode: "3911", Park: "north", Tags: []string{"key", "ipo", "key"}}
		if err := enterprise.Create(ctx, db, &e); err != nil {
			t.Fatal(err)
		}
		if e.ID == 0 || e.CreatedAt.IsZero() || !e.UpdatedAt.Equal(e.CreatedAt) {
			t.Errorf("Create left id %d, created %v, updated %v", e.ID, e.CreatedAt, e.UpdatedAt)
		}
		want := enterprise.Enterprise{ID: e.ID, USCC: uscc, Name: "示例智能科技有限公司", RegisteredOn: "2016-05-12",
			IndustryCode: "C3911", Park: "north", ParkID: e.ParkID, Tags: []string{"ipo", "key"}, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
		for _, get := range []struct {
			name string
			get  func() (enterprise.Enterprise, error)
		}{
			{"by id", func() (enterprise.Enterprise, error) { return enterprise.Get(ctx, db, e.ID) }},
			{"by USCC", func() (enterprise.Enterprise, error) { return enterprise.GetByUSCC(ctx, db, uscc) }},
			{"by USCC as typed", func() (enterprise.Enterprise, error) {
				return enterprise.GetByUSCC(ctx, db, strings.ToLower(uscc[:9])+" "+uscc[9:])
			}},
		} {
			t.Run(get.name, func(t *testing.T) {
				got, err := get.get()
				if err != nil {
					t.Fatal(err)
				}
				assertEnterprise(t, got, want)
			})
		}
		if e.ParkID == 0 {
			t.Error("ParkID not set")
		}
	})
}

func TestCreateConflict(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		first := mustCreateEnterprise(t, db, 1)
		second := enterprise.Enterprise{USCC: first.USCC, Name: "另一家"}
		err := enterprise.Create(ctx, db, &second)
		if apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("got %v, want a conflict", err)
		}
		if want := "an enterprise with USCC " + first.USCC + " exists"; apperr.MessageOf(err) != want {
			t.Errorf("message %q, want %q", apperr.MessageOf(err), want)
		}
	})
}

func TestCreateInvalid(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustCreatePark(t, db, "north")
		good := func() enterprise.Enterprise {
			return enterprise.Enterprise{USCC: enterprise.MakeUSCC("330106", 7), Name: "好公司", Park: "north"}
		}
		tests := []struct {
			name   string
			change func(e *enterprise.Enterprise)
			field  string
		}{
			{"bad check digit", func(e *enterprise.Enterprise) { e.USCC = e.USCC[:17] + flip(e.USCC[17]) }, "uscc"},
			{"no name", func(e *enterprise.Enterprise) { e.Name = "  " }, "name"},
			{"bad date", func(e *enterprise.Enterprise) { e.RegisteredOn = "2016-13-01" }, "registered_on"},
			{"unknown industry", func(e *enterprise.Enterprise) { e.IndustryCode = "C9999" }, "industry_code"},
			{"unknown park", func(e *enterprise.Enterprise) { e.Park = "south" }, "park"},
			{"unknown tag", func(e *enterprise.Enterprise) { e.Tags = []string{"nope"} }, "tags"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				e := good()
				tt.change(&e)
				err := enterprise.Create(ctx, db, &e)
				if apperr.CodeOf(err) != apperr.Invalid {
					t.Fatalf("got %v, want invalid", err)
				}
				problems := apperr.ProblemsOf(err)
				if len(problems) != 1 || problems[0].Field != tt.field {
					t.Errorf("problems %v, want one about %s", problems, tt.field)
				}
			})
		}
		if page := mustList(t, db, enterprise.Filter{})["SQL"]; page.Total != 0 {
			t.Errorf("invalid enterprises were written: %d", page.Total)
		}
	})
}

func TestGetNotFound(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := enterprise.Get(ctx, db, 12345); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("Get: %v, want not found", err)
		}
		if _, err := enterprise.GetByUSCC(ctx, db, enterprise.MakeUSCC("330106", 1)); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("GetByUSCC: %v, want not found", err)
		}
		if _, err := enterprise.GetPark(ctx, db, "none"); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("GetPark: %v, want not found", err)
		}
	})
}

func TestUpdate(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustCreatePark(t, db, "north")
		mustCreatePark(t, db, "south")
		mustCreateTag(t, db, "key")
		mustCreateTag(t, db, "ipo")
		e := enterprise.Enterprise{USCC: enterprise.MakeUSCC("330106", 1), Name: "旧名", Park: "north", Tags: []string{"key"}}
		if err := enterprise.Create(ctx, db, &e); err != nil {
			t.Fatal(err)
		}
		created := e.CreatedAt
		e.Name, e.Park, e.Tags, e.IndustryCode = "新名", "south", []string{"ipo"}, "I6513"
		if err := enterprise.Update(ctx, db, &e); err != nil {
			t.Fatal(err)
		}
		got, err := enterprise.Get(ctx, db, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "新名" || got.Park != "south" || !slices.Equal(got.Tags, []string{"ipo"}) || got.IndustryCode != "I6513" {
			t.Errorf("after Update: %+v", got)
		}
		if !got.CreatedAt.Equal(created) || got.UpdatedAt.Before(created) {
			t.Errorf("created %v → %v, updated %v", created, got.CreatedAt, got.UpdatedAt)
		}

		t.Run("to another's USCC", func(t *testing.T) {
			other := mustCreateEnterprise(t, db, 2)
			e := got
			e.USCC = other.USCC
			if err := enterprise.Update(ctx, db, &e); apperr.CodeOf(err) != apperr.Conflict {
				t.Errorf("got %v, want a conflict", err)
			}
		})
		t.Run("unknown id", func(t *testing.T) {
			e := got
			e.ID = 999999
			e.USCC = enterprise.MakeUSCC("330106", 3)
			if err := enterprise.Update(ctx, db, &e); apperr.CodeOf(err) != apperr.NotFound {
				t.Errorf("got %v, want not found", err)
			}
		})
		t.Run("clearing", func(t *testing.T) {
			e := got
			e.Park, e.Tags, e.IndustryCode = "", nil, ""
			if err := enterprise.Update(ctx, db, &e); err != nil {
				t.Fatal(err)
			}
			cleared, err := enterprise.Get(ctx, db, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if cleared.Park != "" || cleared.ParkID != 0 || len(cleared.Tags) != 0 || cleared.IndustryCode != "" {
				t.Errorf("after clearing: %+v", cleared)
			}
		})
	})
}

func TestPut(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := enterprise.Enterprise{USCC: enterprise.MakeUSCC("330106", 5), Name: "第一次"}
		created, err := enterprise.Put(ctx, db, &e)
		if err != nil || !created {
			t.Fatalf("first Put: created %v, %v", created, err)
		}
		again := enterprise.Enterprise{USCC: e.USCC, Name: "第二次"}
		created, err = enterprise.Put(ctx, db, &again)
		if err != nil || created {
			t.Fatalf("second Put: created %v, %v", created, err)
		}
		if again.ID != e.ID {
			t.Errorf("second Put wrote id %d, want %d", again.ID, e.ID)
		}
		if got := mustList(t, db, enterprise.Filter{})["index"]; got.Total != 1 || got.Rows[0].Name != "第二次" {
			t.Errorf("after two Puts: %+v", got)
		}
	})
}

func TestList(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustCreatePark(t, db, "north")
		mustCreatePark(t, db, "south")
		mustCreateTag(t, db, "key")
		// 30 enterprises: even ones in the north park, every third tagged
		// key, industries alternating between computers and software.
		var all []enterprise.Enterprise
		for i := range 30 {
			e := enterprise.Enterprise{
				USCC:         enterprise.MakeUSCC(fmt.Sprintf("3301%02d", i%3), uint64(i)),
				Name:         fmt.Sprintf("Company %02d 科技", i),
				RegisteredOn: fmt.Sprintf("%d-01-01", 1990+i),
				IndustryCode: []string{"C3911", "I6513"}[i%2],
				Park:         []string{"north", "south"}[i%2],
			}
			if i%3 == 0 {
				e.Tags = []string{"key"}
			}
			if i == 29 {
				e.Name = "100%_real 公司"
				e.RegisteredOn = ""
			}
			if err := enterprise.Create(ctx, db, &e); err != nil {
				t.Fatal(err)
			}
			all = append(all, e)
		}
		listed := func(es []enterprise.Listed) []string {
			out := make([]string, len(es))
			for i, e := range es {
				out[i] = e.Name
			}
			return out
		}
		names := func(es []enterprise.Enterprise) []string {
			out := make([]string, len(es))
			for i, e := range es {
				out[i] = e.Name
			}
			return out
		}
		matching := func(keep func(i int, e enterprise.Enterprise) bool) []string {
			var out []enterprise.Enterprise
			for i, e := range all {
				if keep(i, e) {
					out = append(out, e)
				}
			}
			slices.SortFunc(out, func(a, b enterprise.Enterprise) int { return strings.Compare(a.Name, b.Name) })
			return names(out)
		}
		tests := []struct {
			name   string
			filter enterprise.Filter
			want   []string
		}{
			{"everything by name", enterprise.Filter{Limit: 100}, matching(func(int, enterprise.Enterprise) bool { return true })},
			{"name substring, any case", enterprise.Filter{Query: "company 1", Limit: 100},
				matching(func(i int, _ enterprise.Enterprise) bool { return i >= 10 && i <= 19 })},
			{"name with LIKE characters", enterprise.Filter{Query: "0%_r"}, []string{"100%_real 公司"}},
			{"percent alone matches literally", enterprise.Filter{Query: "%"}, []string{"100%_real 公司"}},
			{"USCC prefix", enterprise.Filter{Query: "91330101", Limit: 100},
				matching(func(i int, _ enterprise.Enterprise) bool { return i%3 == 1 })},
			{"USCC prefix in lower case", enterprise.Filter{Query: all[4].USCC[:12] + strings.ToLower(all[4].USCC[12:16]), Limit: 100},
				matching(func(_ int, e enterprise.Enterprise) bool { return strings.HasPrefix(e.USCC, all[4].USCC[:16]) })},
			{"industry prefix", enterprise.Filter{Industry: "c39", Limit: 100},
				matching(func(i int, _ enterprise.Enterprise) bool { return i%2 == 0 })},
			{"industry section", enterprise.Filter{Industry: "I", Limit: 100},
				matching(func(i int, _ enterprise.Enterprise) bool { return i%2 == 1 })},
			{"park", enterprise.Filter{Park: "north", Limit: 100},
				matching(func(i int, _ enterprise.Enterprise) bool { return i%2 == 0 })},
			{"park id", enterprise.Filter{ParkID: all[1].ParkID, Limit: 100},
				matching(func(i int, _ enterprise.Enterprise) bool { return i%2 == 1 })},
			{"unknown park", enterprise.Filter{Park: "west"}, nil},
			{"tag", enterprise.Filter{Tag: "key", Limit: 100},
				matching(func(i int, _ enterprise.Enterprise) bool { return i%3 == 0 })},
			{"combined", enterprise.Filter{Tag: "key", Park: "north", Query: "Company", Limit: 100},
				matching(func(i int, _ enterprise.Enterprise) bool { return i%6 == 0 })},
			{"sorted by name, descending, paged", enterprise.Filter{Sort: "-name", Limit: 3, Offset: 1},
				[]string{"Company 27 科技", "Company 26 科技", "Company 25 科技"}}, // 29 is renamed, offset 1 skips 28
			{"sorted by registration, unknown last", enterprise.Filter{Sort: "-registered_on", Limit: 2, Offset: 28},
				[]string{"Company 00 科技", "100%_real 公司"}},
			{"past the end", enterprise.Filter{Offset: 100}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				for path, page := range mustList(t, db, tt.filter) {
					if got := listed(page.Rows); !slices.Equal(got, tt.want) {
						t.Errorf("%s: got %q, want %q", path, got, tt.want)
					}
				}
			})
		}
		t.Run("total counts past the page", func(t *testing.T) {
			for path, page := range mustList(t, db, enterprise.Filter{Park: "north", Limit: 4}) {
				if len(page.Rows) != 4 || page.Total != 15 {
					t.Errorf("%s: page of %d, total %d; want 4 of 15", path, len(page.Rows), page.Total)
				}
			}
		})
		t.Run("tags come with the page", func(t *testing.T) {
			for path, page := range mustList(t, db, enterprise.Filter{Tag: "key", Limit: 1}) {
				if len(page.Rows) != 1 || len(page.Rows[0].Tags) != 1 || page.Rows[0].Tags[0].Code != "key" {
					t.Errorf("%s: got %+v", path, page.Rows)
				}
			}
		})
		t.Run("unknown sort", func(t *testing.T) {
			_, err := (&enterprise.Directory{DB: db}).List(ctx, auth.System("test"), enterprise.Filter{Sort: "id; DROP TABLE enterprises"})
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("got %v, want invalid", err)
			}
		})
	})
}

func TestIDsByUSCC(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a, b := mustCreateEnterprise(t, db, 1), mustCreateEnterprise(t, db, 2)
		missing := enterprise.MakeUSCC("330106", 3)
		ids, err := enterprise.IDsByUSCC(context.Background(), db, []string{a.USCC, b.USCC, missing})
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != 2 || ids[a.USCC] != a.ID || ids[b.USCC] != b.ID {
			t.Errorf("got %v", ids)
		}
	})
}

func TestCodeTables(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		t.Run("departments are seeded", func(t *testing.T) {
			ds, err := enterprise.ListDepartments(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			codes := make([]string, len(ds))
			for i, d := range ds {
				codes[i] = d.Code
			}
			for _, want := range []string{"econ", "hrss", "industry", "market", "science", "stats", "tax"} {
				if !slices.Contains(codes, want) {
					t.Errorf("department %s missing from %v", want, codes)
				}
			}
			if !slices.IsSorted(codes) {
				t.Errorf("departments not by code: %v", codes)
			}
		})
		t.Run("park lifecycle", func(t *testing.T) {
			p := enterprise.Park{Code: "east", NameZh: "东园", NameEn: "East"}
			if err := enterprise.CreatePark(ctx, db, &p); err != nil {
				t.Fatal(err)
			}
			dup := enterprise.Park{Code: "east", NameZh: "又一个"}
			if err := enterprise.CreatePark(ctx, db, &dup); apperr.CodeOf(err) != apperr.Conflict {
				t.Errorf("duplicate code: %v, want a conflict", err)
			}
			p.NameZh = "东区"
			if err := enterprise.UpdatePark(ctx, db, &p); err != nil {
				t.Fatal(err)
			}
			got, err := enterprise.GetPark(ctx, db, "east")
			if err != nil || got != p {
				t.Errorf("GetPark = %+v, %v; want %+v", got, err, p)
			}
			missing := enterprise.Park{ID: 424242, Code: "gone", NameZh: "无"}
			if err := enterprise.UpdatePark(ctx, db, &missing); apperr.CodeOf(err) != apperr.NotFound {
				t.Errorf("update of a missing park: %v", err)
			}
		})
		t.Run("invalid codes", func(t *testing.T) {
			for _, code := range []string{"", "Upper", "with space", "-lead", strings.Repeat("a", 65)} {
				tag := enterprise.Tag{Code: code, NameZh: "标签"}
				if err := enterprise.CreateTag(ctx, db, &tag); apperr.CodeOf(err) != apperr.Invalid {
					t.Errorf("tag code %q: %v, want invalid", code, err)
				}
			}
			if err := enterprise.CreateDepartment(ctx, db, &enterprise.Department{Code: "ok"}); apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("department without a name: %v, want invalid", err)
			}
		})
	})
}

// Fixtures.

func mustCreatePark(t *testing.T, db *store.DB, code string) enterprise.Park {
	t.Helper()
	p := enterprise.Park{Code: code, NameZh: code + "园"}
	if err := enterprise.CreatePark(context.Background(), db, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func mustCreateTag(t *testing.T, db *store.DB, code string) enterprise.Tag {
	t.Helper()
	tag := enterprise.Tag{Code: code, NameZh: code + "标签"}
	if err := enterprise.CreateTag(context.Background(), db, &tag); err != nil {
		t.Fatal(err)
	}
	return tag
}

func mustCreateEnterprise(t *testing.T, db *store.DB, serial uint64) enterprise.Enterprise {
	t.Helper()
	e := enterprise.Enterprise{USCC: enterprise.MakeUSCC("330106", serial), Name: fmt.Sprintf("企业%d", serial)}
	if err := enterprise.Create(context.Background(), db, &e); err != nil {
		t.Fatal(err)
	}
	return e
}

// mustList lists through the directory's index and through its SQL: the
// two must agree, and each is checked.
func mustList(t *testing.T, db *store.DB, f enterprise.Filter) map[string]enterprise.Listing {
	t.Helper()
	ctx := context.Background()
	index, err := (&enterprise.Directory{DB: db}).List(ctx, auth.System("test"), f)
	if err != nil {
		t.Fatal(err)
	}
	bySQL, err := enterprise.ListBySQL(ctx, &enterprise.Directory{DB: db}, auth.System("test"), f)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]enterprise.Listing{"index": index, "SQL": bySQL}
}

func assertEnterprise(t *testing.T, got, want enterprise.Enterprise) {
	t.Helper()
	if got.ID != want.ID || got.USCC != want.USCC || got.Name != want.Name || got.RegisteredOn != want.RegisteredOn ||
		got.IndustryCode != want.IndustryCode || got.Park != want.Park || got.ParkID != want.ParkID ||
		!slices.Equal(got.Tags, want.Tags) || !got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

// flip returns another character of the USCC alphabet, to break a check digit.
func flip(c byte) string {
	if c == '0' {
		return "1"
	}
	return "0"
}
