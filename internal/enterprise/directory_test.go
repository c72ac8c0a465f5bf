package enterprise_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// directoryFixture is a registry of two parks with names as Hangzhou
// companies write them (the place first, or in brackets after the trade
// name), a tag, and one principal per way of seeing enterprises.
type directoryFixture struct {
	db  *store.DB
	all []enterprise.Enterprise
	as  map[string]auth.Principal
}

func newDirectoryFixture(t *testing.T, db *store.DB) directoryFixture {
	t.Helper()
	ctx := context.Background()
	north, south := mustCreatePark(t, db, "north"), mustCreatePark(t, db, "south")
	mustCreateTag(t, db, "key")
	f := directoryFixture{db: db, as: map[string]auth.Principal{}}
	trade := []string{"昊晟", "华芯", "瑞拓", "星诺科", "宇天"}
	business := []string{"机器人", "科技", "软件", "智能装备"}
	for i := range 60 {
		var name string
		switch i % 3 {
		case 0:
			name = "杭州" + trade[i%5] + business[i%4] + "有限公司"
		case 1:
			name = trade[i%5] + "（杭州）" + business[i%4] + "有限公司"
		default:
			name = fmt.Sprintf("Hangzhou %s %02d Co., Ltd.", []string{"Robotics", "Software"}[i%2], i)
		}
		e := enterprise.Enterprise{USCC: enterprise.MakeUSCC(fmt.Sprintf("33%04d", 100+i%7), uint64(9700+i)), Name: name,
			IndustryCode: []string{"C3911", "I6513", "C3491"}[i%3], Park: []string{"north", "south"}[i%2]}
		if i%4 != 0 {
			e.RegisteredOn = fmt.Sprintf("%d-0%d-1%d", 2000+i%20, 1+i%9, i%10)
		} else {
			e.IndustryCode = ""
		}
		if i%5 == 0 {
			e.Tags = []string{"key"}
		}
		if err := enterprise.Create(ctx, db, &e); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f.all = append(f.all, e)
	}
	svc := auth.NewService(db)
	svc.Hasher = auth.Hasher{Params: auth.Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}
	com, err := svc.CreateUser(ctx, auth.System("test"), auth.UserSpec{Login: "commissioner", DisplayName: "专员", Role: auth.RoleCommissioner})
	if err != nil {
		t.Fatal(err)
	}
	portfolio := []int64{f.all[3].ID, f.all[10].ID, f.all[31].ID}
	for _, id := range portfolio {
		if _, err := db.Exec(ctx, "INSERT INTO commissioner_enterprises (user_id, enterprise_id, assigned_at) VALUES (?, ?, ?)",
			com.ID, id, store.FormatTime(time.Now())); err != nil {
			t.Fatal(err)
		}
	}
	f.as["officer"] = auth.Principal{UserID: 100, Label: "officer", Role: auth.RoleOfficer}
	f.as["north officer"] = auth.Principal{UserID: 101, Label: "north", Role: auth.RoleOfficer, ParkID: north.ID}
	f.as["south leader"] = auth.Principal{UserID: 102, Label: "leader", Role: auth.RoleLeader, ParkID: south.ID}
	f.as["commissioner"] = auth.Principal{UserID: com.ID, Label: "commissioner", Role: auth.RoleCommissioner, Portfolio: portfolio}
	f.as["liaison"] = auth.Principal{UserID: 103, Label: "liaison", Role: auth.RoleEnterprise, EnterpriseID: f.all[7].ID}
	f.as["nobody"] = auth.Principal{}
	return f
}

// Issue 11 (usability 9): the search finds a trade name and business with
// the place in brackets between them, and any part of a USCC; and each
// principal's list is what it may see.
func TestDirectorySearchAndScope(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDirectoryFixture(t, db)
		d := &enterprise.Directory{DB: db}
		officer := f.as["officer"]
		find := func(p auth.Principal, q string) []string {
			t.Helper()
			list, err := d.List(ctx, p, enterprise.Filter{Query: q, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, e := range list.Rows {
				out = append(out, e.Name)
			}
			return out
		}
		got := find(officer, "昊晟机器人")
		if !slices.Contains(got, "昊晟（杭州）机器人有限公司") || !slices.Contains(got, "杭州昊晟机器人有限公司") {
			t.Errorf("昊晟机器人 finds %q", got)
		}
		for _, name := range got {
			if !enterprise.Matches("昊晟机器人", name, "") {
				t.Errorf("昊晟机器人 finds %s", name)
			}
		}
		// The middle of a USCC, and its last four characters.
		target := f.all[17]
		for _, part := range []string{target.USCC[8:14], target.USCC[14:], target.USCC[14:] + "", "  " + target.USCC[9:15] + " "} {
			list, err := d.List(ctx, officer, enterprise.Filter{Query: part})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(list.Rows, func(e enterprise.Listed) bool { return e.ID == target.ID }) {
				t.Errorf("%q does not find %s", part, target.USCC)
			}
		}
		if got := find(officer, "科"); len(got) != 0 && slices.ContainsFunc(got, func(n string) bool { return !enterprise.Matches("科", n, "") }) {
			t.Errorf("one character finds names without it: %q", got)
		}
		if got := find(f.as["commissioner"], ""); len(got) != 3 {
			t.Errorf("the commissioner sees %d enterprises, want its portfolio of 3", len(got))
		}
		if got := find(f.as["liaison"], ""); !slices.Equal(got, []string{f.all[7].Name}) {
			t.Errorf("the liaison sees %q", got)
		}
		if got := find(f.as["nobody"], ""); len(got) != 0 {
			t.Errorf("nobody sees %q", got)
		}
		if _, err := d.Profile(ctx, f.as["liaison"], f.all[8].ID); err == nil {
			t.Error("the liaison reads another enterprise's profile")
		}
	})
}

// TestIndexIsTheSQL: the in-memory list gives the rows and the counts of
// the SQL list, for every principal's scope, filter, order and page.
func TestIndexIsTheSQL(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDirectoryFixture(t, db)
		d := &enterprise.Directory{DB: db}
		filters := []enterprise.Filter{{}, {Query: "科技"}, {Query: "昊晟机器人"}, {Query: "有限"}, {Query: "robotics"}, {Query: "9133"},
			{Query: f.all[5].USCC[10:15]}, {Industry: "C"}, {Industry: "i65"}, {Industry: "C'--"}, {Park: "north"}, {Park: "west"},
			{Tag: "key"}, {Query: "%"}, {Query: "_"}, {Industry: "C", Park: "south"}}
		for name, p := range f.as {
			for _, fl := range filters {
				for _, sort := range []string{"name", "uscc", "registered_on", "industry_code"} {
					for _, dir := range []string{"", "-"} {
						fl.Sort = dir + sort
						for _, pg := range [][2]int{{25, 0}, {10, 10}} {
							fl.Limit, fl.Offset = pg[0], pg[1]
							want, err := enterprise.ListBySQL(ctx, d, p, fl)
							if err != nil {
								t.Fatal(err)
							}
							got, err := d.List(ctx, p, fl)
							if err != nil {
								t.Fatal(err)
							}
							if got.Total != want.Total || !slices.Equal(idsOf(got), idsOf(want)) {
								t.Errorf("%s %+v: index %v of %d, SQL %v of %d", name, fl, idsOf(got), got.Total, idsOf(want), want.Total)
							}
						}
					}
				}
			}
		}
	})
}

func idsOf(l enterprise.Listing) []int64 {
	var out []int64
	for _, e := range l.Rows {
		out = append(out, e.ID)
	}
	return out
}
