package appeal

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// world is a park with people for one test, and a clock the test moves.
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
	w := &world{t: t, ctx: context.Background(), db: db}
	w.svc = &Service{DB: db, Now: func() time.Time { return w.clock }}
	w.park = enterprise.Park{Code: "hq", NameZh: "总部园区"}
	if err := enterprise.CreatePark(w.ctx, db, &w.park); err != nil {
		t.Fatal(err)
	}
	return w
}

// at moves the clock to a time in the park, "2026-09-24 10:00".
func (w *world) at(s string) {
	w.t.Helper()
	w.clock = cst(w.t, s)
}

func (w *world) enterprise() enterprise.Enterprise {
	w.t.Helper()
	w.serial++
	e := enterprise.Enterprise{USCC: enterprise.MakeUSCC("440116", w.serial), Name: fmt.Sprintf("示例企业%d", w.serial),
		IndustryCode: "C3911", Park: w.park.Code}
	if err := enterprise.Create(w.ctx, w.db, &e); err != nil {
		w.t.Fatal(err)
	}
	return e
}

func (w *world) user(login string, role auth.Role, dept string, enterpriseID int64) auth.Principal {
	w.t.Helper()
	var id int64
	now := store.FormatTime(time.Now())
	err := w.db.QueryRow(w.ctx, `INSERT INTO users (login, display_name, role, department_code, enterprise_id, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, login, login, string(role), sql.NullString{String: dept, Valid: dept != ""},
		sql.NullInt64{Int64: enterpriseID, Valid: enterpriseID != 0}, now, now).Scan(&id)
	if err != nil {
		w.t.Fatal(err)
	}
	return auth.Principal{UserID: id, Label: login, Role: role, Department: dept, EnterpriseID: enterpriseID}
}

func (w *world) get(actor auth.Principal, id int64) Appeal {
	w.t.Helper()
	a, err := w.svc.Get(w.ctx, actor, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return a
}

func (w *world) sweep() SweepReport {
	w.t.Helper()
	rep, err := w.svc.Sweep(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	return rep
}

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

// expect checks an appeal's status, level and deadline ("" for none).
func (w *world) expect(actor auth.Principal, id int64, status Status, level Level, due string) Appeal {
	w.t.Helper()
	a := w.get(actor, id)
	got := ""
	if !a.Due.IsZero() {
		got = a.Due.In(parkZone).Format("2006-01-02 15:04")
	}
	if a.Status != status || a.Level != level || got != due {
		w.t.Fatalf("at %s: status %s level %d due %q; want %s, %d, %q",
			w.clock.In(parkZone).Format("2006-01-02 15:04"), a.Status, a.Level, got, status, level, due)
	}
	return a
}

func withDB(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	storetest.Run(t, fn)
}
