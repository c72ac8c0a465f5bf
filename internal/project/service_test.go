package project

import (
	"context"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

var (
	operator = auth.System("test")
	leader   = auth.Principal{UserID: 2, Label: "leader", Role: auth.RoleLeader}
)

func newService(t *testing.T, db *store.DB) (*Service, map[string]int64) {
	t.Helper()
	ctx := context.Background()
	ids := map[string]int64{}
	for _, p := range []enterprise.Park{{Code: "hz", NameZh: "高新区"}, {Code: "coop", NameZh: "合作园区"}} {
		if err := enterprise.CreatePark(ctx, db, &p); err != nil {
			t.Fatal(err)
		}
		ids[p.Code] = p.ID
	}
	e := enterprise.Enterprise{USCC: enterprise.MakeUSCC("330106", 7), Name: "甲公司", Park: "hz"}
	if err := enterprise.Create(ctx, db, &e); err != nil {
		t.Fatal(err)
	}
	return &Service{DB: db, Now: func() time.Time { return time.Date(2023, 6, 30, 9, 0, 0, 0, time.UTC) }}, ids
}

const projects = `项目编号,项目名称,投资方,行业代码,阶段,预计产值,园区,阶段日期
P1,新能源电池项目,甲公司,C3841,negotiating,5亿,hz,2023-01-05
P2,智能装备项目,乙公司,C3491,lead,,hz,2022-10-01
P3,合作园区项目,丙公司,,lead,,coop,2023-06-01
`

func TestImportScopesAndAudits(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, parks := newService(t, db)
		ctx := context.Background()
		rep, err := s.Import(ctx, operator, "projects.csv", []byte(projects), false)
		if err != nil || rep.Created != 3 || rep.Kind != KindProjects {
			t.Fatalf("import: %+v %v", rep, err)
		}
		d, err := s.Get(ctx, operator, "P1")
		if err != nil {
			t.Fatal(err)
		}
		if d.EnterpriseUSCC == "" || !d.HasOutput || d.ExpectedOutput.String() != "500000000.00" || d.Park != "hz" {
			t.Errorf("P1 %+v: the investor is in the registry, the output is 5亿", d.Project)
		}
		var audited int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'project.import'").Scan(&audited); err != nil || audited != 1 {
			t.Errorf("audited imports %d %v", audited, err)
		}

		// A leader reads but does not change.
		if _, err := s.Import(ctx, leader, "projects.csv", []byte(projects), false); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("leader import: %v", err)
		}
		if _, n, err := s.List(ctx, leader, Filter{}); err != nil || n != 3 {
			t.Errorf("leader list: %d %v", n, err)
		}
		// An officer of one park sees and changes that park's projects only.
		hzOfficer := auth.Principal{UserID: 5, Label: "hz-officer", Role: auth.RoleOfficer, ParkID: parks["hz"]}
		if _, n, _ := s.List(ctx, hzOfficer, Filter{}); n != 2 {
			t.Errorf("park officer sees %d projects, want 2", n)
		}
		if _, err := s.Get(ctx, hzOfficer, "P3"); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("park officer reads another park's project: %v", err)
		}
		if err := s.SetStage(ctx, hzOfficer, "P3", Negotiating, ""); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("park officer moves another park's project: %v", err)
		}
		_, err = s.Import(ctx, hzOfficer, "funds.csv", []byte("code,month,funds_in_place\nP1,2023-01,100\nP3,2023-01,100\n"), false)
		if probs := apperr.ProblemsOf(err); len(probs) != 1 || probs[0].Row != 3 || probs[0].Field != "code" {
			t.Errorf("park officer importing another park's funds: %v %+v", err, probs)
		}
		if d, _ := s.Get(ctx, operator, "P1"); len(d.Funds) != 0 {
			t.Error("a refused file wrote funds")
		}
		// A dry run checks against the database and writes nothing.
		rep, err = s.Import(ctx, hzOfficer, "funds.csv", []byte("code,month,funds_in_place\nP1,2023-01,100\n"), true)
		if err != nil || rep.Created != 1 || !rep.DryRun {
			t.Errorf("dry run %+v %v", rep, err)
		}
		if d, _ := s.Get(ctx, operator, "P1"); len(d.Funds) != 0 {
			t.Error("a dry run wrote funds")
		}
	})
}

func TestStalledAndPipeline(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, _ := newService(t, db)
		ctx := context.Background()
		if _, err := s.Import(ctx, operator, "projects.csv", []byte(projects), false); err != nil {
			t.Fatal(err)
		}
		// Today is 2023-06-30: P2 (lead since 2022-10-01, 272 days) is past
		// 90 days; P1 (negotiating since 2023-01-05) past 60; P3 is fresh.
		stalled, n, err := s.Stalled(ctx, leader, 0)
		if err != nil || n != 2 || stalled[0].Code != "P2" || stalled[0].IdleDays != 272 || stalled[1].Code != "P1" {
			t.Fatalf("stalled %d %+v %v", n, stalled, err)
		}
		// Funds are activity: P1 is no longer stalled.
		if _, err := s.Import(ctx, operator, "funds.csv", []byte("code,month,funds_in_place\nP1,2023-06,100\n"), false); err != nil {
			t.Fatal(err)
		}
		if _, n, _ := s.Stalled(ctx, leader, 0); n != 1 {
			t.Errorf("stalled after funds: %d, want 1", n)
		}
		if err := s.SetStage(ctx, operator, "P2", Dropped, "2023-06-30"); err != nil {
			t.Fatal(err)
		}
		pipe, err := s.Pipeline(ctx, leader)
		if err != nil {
			t.Fatal(err)
		}
		got := map[Stage]int{}
		for _, c := range pipe {
			got[c.Stage] = c.Projects
		}
		if got[Lead] != 1 || got[Negotiating] != 1 || got[Dropped] != 1 || len(pipe) != len(Stages) {
			t.Errorf("pipeline %+v", pipe)
		}
		d, _ := s.Get(ctx, operator, "P2")
		if len(d.Stages) != 2 || d.Stages[1].Stage != Dropped {
			t.Errorf("P2 history %+v", d.Stages)
		}
	})
}
