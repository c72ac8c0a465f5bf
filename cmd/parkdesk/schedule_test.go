package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/touch"
	"github.com/parkdesk/parkdesk/internal/workday"
)

func TestScheduleCommandPlansPendingRequests(t *testing.T) {
	path := filepath.Join(t.TempDir(), "parkdesk.db")
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	e := enterprise.Enterprise{USCC: enterprise.MakeUSCC("440116", 1), Name: "示例企业"}
	if err := enterprise.Create(ctx, db, &e); err != nil {
		t.Fatal(err)
	}
	stamp := store.FormatTime(time.Now())
	var commissioner int64
	if err := db.QueryRow(ctx, `INSERT INTO users (login, display_name, role, created_at, updated_at)
VALUES ('c', '专员', 'commissioner', ?, ?) RETURNING id`, stamp, stamp).Scan(&commissioner); err != nil {
		t.Fatal(err)
	}
	svc := &touch.Service{DB: db, Now: func() time.Time { return time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC) }}
	sys := auth.System("test")
	if err := svc.Assign(ctx, sys, commissioner, []int64{e.ID}); err != nil {
		t.Fatal(err)
	}
	for _, w := range [][2]string{{"2025-03-05", "2025-03-14"}, {"2025-03-10", "2025-03-21"}} {
		from, _ := workday.ParseDate(w[0])
		to, _ := workday.ParseDate(w[1])
		if _, err := svc.File(ctx, sys, touch.RequestSpec{EnterpriseID: e.ID, Department: "market", Kind: touch.KindInspection,
			Basis: "双随机抽查", OnSite: true, Minutes: 60, Earliest: from, Latest: to}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	// The 14th, the last day of the first window, becomes a holiday.
	holidays := filepath.Join(t.TempDir(), "holidays.txt")
	if err := os.WriteFile(holidays, []byte("2025-03-14 holiday 测试假日\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI(t, path, "", "schedule", "--from", "2025-03-03", "--to", "2025-03-31", "--calendar", holidays)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "calendar               1 days recorded") {
		t.Errorf("schedule printed:\n%s", out)
	}
	if !strings.Contains(out, "new joint visits       1 for 2 requests") || !strings.Contains(out, "lower bound            1 visits") {
		t.Errorf("schedule printed:\n%s", out)
	}
	db, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var day string
	if err := db.QueryRow(ctx, "SELECT day FROM touch_visits").Scan(&day); err != nil || day != "2025-03-13" {
		t.Errorf("the visit is on %s (%v), want 2025-03-13 before the holiday", day, err)
	}
	for _, args := range [][]string{{"--calendar", "/no/such/file"}, {"--from", "March"}, {"--from", "2025-03-10", "--to", "2025-03-01"}, {"extra"}} {
		if _, _, err := runCLI(t, path, "", append([]string{"schedule"}, args...)...); err == nil {
			t.Errorf("schedule %v succeeded", args)
		}
	}
}
