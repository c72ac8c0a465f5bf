package indicator

import (
	"context"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/project"
	"github.com/parkdesk/parkdesk/internal/store"
)

var (
	operator = auth.System("test")
	officer  = auth.Principal{UserID: 1, Label: "officer", Role: auth.RoleOfficer}
	leader   = auth.Principal{UserID: 2, Label: "leader", Role: auth.RoleLeader}
	taxDept  = auth.Principal{UserID: 3, Label: "tax", Role: auth.RoleDepartment, Department: "tax"}
)

// fixture is the services on a fresh database with the dictionary, two
// parks and the registry's tags.
type fixture struct {
	db  *store.DB
	prj *project.Service
	ind *Service
}

func newFixture(t *testing.T, db *store.DB) fixture {
	t.Helper()
	ctx := context.Background()
	if err := facts.SeedDictionary(ctx, db); err != nil {
		t.Fatal(err)
	}
	for _, p := range []enterprise.Park{{Code: "hz", NameZh: "高新区"}, {Code: "coop", NameZh: "合作园区"}} {
		if err := enterprise.CreatePark(ctx, db, &p); err != nil {
			t.Fatal(err)
		}
	}
	for _, tag := range []enterprise.Tag{{Code: "high-tech", NameZh: "高新技术企业"}, {Code: "srdi", NameZh: "专精特新"}} {
		if err := enterprise.CreateTag(ctx, db, &tag); err != nil {
			t.Fatal(err)
		}
	}
	clock := func() time.Time { return time.Date(2023, 6, 30, 9, 0, 0, 0, time.UTC) }
	prj := &project.Service{DB: db, Now: clock}
	return fixture{db: db, prj: prj, ind: &Service{DB: db, Projects: prj, Now: clock}}
}

func (f fixture) mustImport(t *testing.T, name, content string) project.ImportReport {
	t.Helper()
	rep, err := f.prj.Import(context.Background(), operator, name, []byte(content), false)
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return rep
}

func (f fixture) mustEnterprise(t *testing.T, serial uint64, park, registered string, tags ...string) int64 {
	t.Helper()
	e := enterprise.Enterprise{USCC: enterprise.MakeUSCC("330106", serial), Name: "企业" + string(rune('A'+serial)), Park: park, RegisteredOn: registered, Tags: tags}
	if err := enterprise.Create(context.Background(), f.db, &e); err != nil {
		t.Fatal(err)
	}
	return e.ID
}

func (f fixture) mustFacts(t *testing.T, id int64, field string, byYear map[int]string) {
	t.Helper()
	var list []facts.Fact
	for y, v := range byYear {
		d, _, err := apd.NewFromString(v)
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, facts.Fact{EnterpriseID: id, Field: field, Period: facts.Year(y), Value: facts.Value{Type: facts.Money, Num: *d}})
	}
	_, err := facts.AppendFacts(context.Background(), f.db, facts.Provenance{Source: "test", Actor: "test"}, func(yield func(facts.Fact) bool) {
		for _, x := range list {
			if !yield(x) {
				return
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

func mustReport(t *testing.T, f fixture, p auth.Principal, period, park string) Report {
	t.Helper()
	r, err := f.ind.Report(context.Background(), p, period, park)
	if err != nil {
		t.Fatalf("report %s: %v", period, err)
	}
	return r
}

// want checks one indicator's value, base and change as the API writes them.
func want(t *testing.T, r Report, id, value, base, yoy string) {
	t.Helper()
	v, ok := r.Lookup(id)
	if !ok {
		t.Fatalf("%s: %s is missing", r.Period, id)
	}
	if v.Text() != value || v.BaseText() != base || v.YoYPct != yoy {
		t.Errorf("%s %s: value %q base %q yoy %q; want %q %q %q", r.Period, id, v.Text(), v.BaseText(), v.YoYPct, value, base, yoy)
	}
}
