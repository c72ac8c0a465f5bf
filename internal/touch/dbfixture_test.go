package touch

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
)

// world is a park with people, built in Go for one test: a service with a
// clock the test moves, a park, and the principals of every role.
type world struct {
	t      *testing.T
	ctx    context.Context
	db     *store.DB
	svc    *Service
	clock  time.Time
	park   enterprise.Park
	serial uint64
}

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	w := &world{t: t, ctx: context.Background(), db: db, clock: time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)}
	w.svc = &Service{DB: db, Now: func() time.Time { return w.clock }}
	if err := facts.SeedDictionary(w.ctx, db); err != nil {
		t.Fatal(err)
	}
	w.park = enterprise.Park{Code: "hq", NameZh: "总部园区"}
	if err := enterprise.CreatePark(w.ctx, db, &w.park); err != nil {
		t.Fatal(err)
	}
	return w
}

// day moves the clock to 09:00 of the date.
func (w *world) day(s string) {
	w.t.Helper()
	w.clock = mustDate(w.t, s).Time().Add(9 * time.Hour)
}

func (w *world) enterprise(industry string) enterprise.Enterprise {
	w.t.Helper()
	w.serial++
	e := enterprise.Enterprise{USCC: enterprise.MakeUSCC("440116", w.serial), Name: fmt.Sprintf("示例企业%d", w.serial),
		IndustryCode: industry, Park: w.park.Code}
	if err := enterprise.Create(w.ctx, w.db, &e); err != nil {
		w.t.Fatal(err)
	}
	return e
}

// user inserts an account and returns its principal as a session would.
func (w *world) user(login string, role auth.Role, dept string, enterpriseID int64) auth.Principal {
	w.t.Helper()
	var id int64
	now := store.FormatTime(w.clock)
	err := w.db.QueryRow(w.ctx, `INSERT INTO users (login, display_name, role, department_code, enterprise_id, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, login, login, string(role), nullText(dept), nullInt(enterpriseID), now, now).Scan(&id)
	if err != nil {
		w.t.Fatal(err)
	}
	return auth.Principal{UserID: id, Label: login, Role: role, Department: dept, EnterpriseID: enterpriseID}
}

// commissioner makes a commissioner and gives it the enterprises.
func (w *world) commissioner(login string, enterprises ...int64) auth.Principal {
	w.t.Helper()
	p := w.user(login, auth.RoleCommissioner, "", 0)
	if len(enterprises) > 0 {
		if err := w.svc.Assign(w.ctx, auth.System("test"), p.UserID, enterprises); err != nil {
			w.t.Fatal(err)
		}
	}
	return w.refresh(p)
}

// refresh reloads a commissioner's portfolio, as a new session would.
func (w *world) refresh(p auth.Principal) auth.Principal {
	w.t.Helper()
	rows, err := w.db.Query(w.ctx, "SELECT enterprise_id FROM commissioner_enterprises WHERE user_id = ? ORDER BY enterprise_id", p.UserID)
	if err != nil {
		w.t.Fatal(err)
	}
	defer rows.Close()
	p.Portfolio = nil
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			w.t.Fatal(err)
		}
		p.Portfolio = append(p.Portfolio, id)
	}
	return p
}

// fact records a value as recorded at the given time.
func (w *world) fact(ent int64, field, period, value, source string, at time.Time) {
	w.t.Helper()
	dict, err := facts.LoadDictionary(w.ctx, w.db)
	if err != nil {
		w.t.Fatal(err)
	}
	f, _ := dict.Field(field)
	v, err := f.ParseValue(value)
	if err != nil {
		w.t.Fatal(err)
	}
	p, err := facts.ParsePeriod(period)
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := facts.AppendFacts(w.ctx, w.db, facts.Provenance{Source: source, Actor: "test", At: at},
		slices.Values([]facts.Fact{{EnterpriseID: ent, Field: field, Period: p, Value: v}})); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) file(p auth.Principal, spec RequestSpec) Request {
	w.t.Helper()
	r, err := w.svc.File(w.ctx, p, spec)
	if err != nil {
		w.t.Fatalf("file %+v: %v", spec, err)
	}
	return r
}

func (w *world) request(id int64) Request {
	w.t.Helper()
	r, err := GetRequest(w.ctx, w.db, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return r
}

func (w *world) plan(from, to string) PlanResult {
	w.t.Helper()
	res, err := w.svc.Plan(w.ctx, auth.System("test"), mustDate(w.t, from), mustDate(w.t, to))
	if err != nil {
		w.t.Fatal(err)
	}
	return res
}

// audited counts the audit entries of the action.
func (w *world) audited(action string) int {
	w.t.Helper()
	var n int
	if err := w.db.QueryRow(w.ctx, "SELECT COUNT(*) FROM audit_log WHERE action = ?", action).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

func onSite(ent int64, kind Kind, earliest, latest string, t *testing.T) RequestSpec {
	t.Helper()
	return RequestSpec{EnterpriseID: ent, Kind: kind, Basis: "《优化营商环境条例》第二十五条", OnSite: true, Minutes: 60,
		Earliest: mustDate(t, earliest), Latest: mustDate(t, latest)}
}
