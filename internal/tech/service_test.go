package tech

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/money"
	"github.com/parkdesk/parkdesk/internal/outreach"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

var (
	officer = auth.Principal{UserID: 1, Label: "officer", Role: auth.RoleOfficer}
	leader  = auth.Principal{UserID: 2, Label: "leader", Role: auth.RoleLeader}
)

func liaison(id int64) auth.Principal {
	return auth.Principal{UserID: 100 + id, Label: "liaison", Role: auth.RoleEnterprise, EnterpriseID: id}
}

func mustEnterprise(t *testing.T, db *store.DB, serial uint64, name, industry string) int64 {
	t.Helper()
	e := enterprise.Enterprise{USCC: enterprise.MakeUSCC("330106", serial), Name: name, IndustryCode: industry}
	if err := enterprise.Create(context.Background(), db, &e); err != nil {
		t.Fatal(err)
	}
	return e.ID
}

// fixture is a service on a fresh database with the hand-written catalogue
// imported, and two enterprises.
type fixture struct {
	s        *Service
	db       *store.DB
	battery  int64 // a lithium battery maker (C3841)
	moulding int64 // a plastics moulder (C2929)
	clock    time.Time
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	f := &fixture{s: NewService(db), db: db, clock: time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC)}
	f.s.Now = func() time.Time { return f.clock }
	f.battery = mustEnterprise(t, db, 1, "杭州锂动新能源有限公司", "C3841")
	f.moulding = mustEnterprise(t, db, 2, "杭州精塑科技有限公司", "C2929")
	data, err := os.ReadFile("testdata/handmade_achievements.csv")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := f.s.ImportAchievements(context.Background(), officer, "handmade_achievements.csv", data, false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created != 36 || rep.Updated != 0 {
		t.Fatalf("import report %+v", rep)
	}
	return f
}

func TestNeedRankedOnTheDatabaseAndTheIndexFollowsWrites(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		n, err := f.s.PostNeed(ctx, liaison(f.battery), NeedSpec{EnterpriseID: f.battery, Title: "磷酸铁锂正极压实密度偏低",
			Description: "正极材料压实密度偏低导致电芯能量密度上不去，寻求高压实磷酸铁锂制备工艺。", Budget: "80万"})
		if err != nil {
			t.Fatal(err)
		}
		if n.Source != SourcePortal || n.Budget != "800000.00" || !strings.HasPrefix(n.Code, "XQ2026-") {
			t.Errorf("need %+v", n)
		}
		_, recs, err := f.s.Recommend(ctx, officer, n.ID, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) == 0 || recs[0].Achievement.Code != "A01" || !strings.Contains(recs[0].Why.Reason, "磷酸铁锂") {
			t.Fatalf("recommendations %+v", recs)
		}
		// A new, better achievement is ranked at once; a withdrawn one is gone.
		better := Achievement{Code: "A99", Title: "高压实密度磷酸铁锂正极材料及电芯能量密度提升技术", Holder: "中南大学", Field: FieldMaterials,
			Keywords: []string{"磷酸铁锂", "压实密度", "正极材料", "电芯", "能量密度"}, Abstract: "高压实磷酸铁锂正极材料制备工艺，压实密度提升，电芯能量密度提升。"}
		if _, err := f.s.SaveAchievement(ctx, officer, better); err != nil {
			t.Fatal(err)
		}
		_, recs, _ = f.s.Recommend(ctx, officer, n.ID, 3)
		if recs[0].Achievement.Code != "A99" {
			t.Fatalf("after adding A99: %v first", recs[0].Achievement.Code)
		}
		if err := f.s.WithdrawAchievement(ctx, officer, "A99"); err != nil {
			t.Fatal(err)
		}
		_, recs, _ = f.s.Recommend(ctx, officer, n.ID, 3)
		if recs[0].Achievement.Code != "A01" {
			t.Fatalf("after withdrawing A99: %v first", recs[0].Achievement.Code)
		}
		// A second instance on the same database ranks the same catalogue.
		other := NewService(db)
		_, recs2, err := other.Recommend(ctx, officer, n.ID, 3)
		if err != nil || len(recs2) != len(recs) || recs2[0].Achievement.Code != "A01" {
			t.Fatalf("another instance: %+v, %v", recs2, err)
		}
	})
}

func TestEnterpriseSeesItsOwnNeedsOnly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		mine, err := f.s.PostNeed(ctx, liaison(f.battery), NeedSpec{EnterpriseID: f.battery, Title: "极片涂布不均匀"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.PostNeed(ctx, liaison(f.battery), NeedSpec{EnterpriseID: f.moulding, Title: "注塑件缩痕"}); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("a liaison posted for another enterprise: %v, want not found (it may not know the enterprise exists)", err)
		}
		theirs, err := f.s.PostNeed(ctx, officer, NeedSpec{EnterpriseID: f.moulding, Title: "注塑件缩痕"})
		if err != nil {
			t.Fatal(err)
		}
		list, total, err := f.s.Needs(ctx, liaison(f.battery), NeedFilter{})
		if err != nil || total != 1 || list[0].ID != mine.ID {
			t.Fatalf("the liaison's list: %v %d %v", list, total, err)
		}
		if _, err := f.s.Need(ctx, liaison(f.battery), theirs.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("another's need: %v, want not found", err)
		}
		if _, _, err := f.s.Recommend(ctx, liaison(f.battery), theirs.ID, 3); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("another's recommendations: %v, want not found", err)
		}
		if _, _, err := f.s.Needs(ctx, leader, NeedFilter{}); err != nil {
			t.Errorf("a leader's list is an empty list, not an error: %v", err)
		}
		// The catalogue is public.
		if _, total, err := f.s.Achievements(ctx, liaison(f.battery), AchievementFilter{}); err != nil || total != 36 {
			t.Errorf("the liaison's catalogue: %d, %v", total, err)
		}
		if _, err := f.s.SaveAchievement(ctx, liaison(f.battery), Achievement{Code: "X", Title: "x", Holder: "h"}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a liaison edited the catalogue: %v", err)
		}
	})
}

func TestDockingFollowedToASignedContractIsNotifiedAndCounted(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		if err := (&outreach.Service{DB: db}).SetContact(ctx, officer, outreach.Contact{EnterpriseID: f.moulding, Name: "王工", Email: "wang@jingsu.example.cn", ByEmail: true}); err != nil {
			t.Fatal(err)
		}
		n, err := f.s.PostNeed(ctx, liaison(f.moulding), NeedSpec{EnterpriseID: f.moulding, Title: "注塑件表面缩痕与翘曲",
			Description: "汽车内饰注塑件缩痕翘曲，希望通过模流分析优化工艺。"})
		if err != nil {
			t.Fatal(err)
		}
		_, recs, err := f.s.Recommend(ctx, officer, n.ID, 1)
		if err != nil || recs[0].Achievement.Code != "A02" {
			t.Fatalf("recommendations %+v %v", recs, err)
		}
		if _, err := f.s.Introduce(ctx, liaison(f.moulding), Introduction{EnterpriseID: f.moulding, AchievementCode: "A02"}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a liaison introduced: %v", err)
		}
		ev, err := f.s.CreateEvent(ctx, officer, EventSpec{Title: "先进制造专场对接会", HeldOn: "2026-06-20", Place: "园区会展中心"})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.SignUpEnterprise(ctx, liaison(f.moulding), ev.ID, f.moulding); err != nil {
			t.Fatal(err)
		}
		d, err := f.s.Introduce(ctx, officer, Introduction{EnterpriseID: f.moulding, AchievementCode: "A02", NeedID: n.ID, EventID: ev.ID, Note: "对接会上洽谈"})
		if err != nil {
			t.Fatal(err)
		}
		if d.Stage != StageIntroduced || !strings.Contains(d.Reason, "模流分析") || d.EventID != ev.ID {
			t.Errorf("docking %+v", d)
		}
		if _, err := f.s.Introduce(ctx, officer, Introduction{EnterpriseID: f.moulding, AchievementCode: "A02"}); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("the same pair twice: %v", err)
		}
		// The enterprise (portal and e-mail) is told through the outbox.
		var deliveries int
		if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM outreach_deliveries d JOIN outreach_notices n ON n.id = d.notice_id
WHERE n.kind = 'tech_introduction' AND n.enterprise_id = ?`, f.moulding).Scan(&deliveries); err != nil || deliveries != 2 {
			t.Errorf("%d deliveries to the enterprise (%v), want portal and e-mail", deliveries, err)
		}
		if _, err := f.s.Advance(ctx, officer, d.ID, Progress{Stage: StageSigned, Amount: "abc"}); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("signing without a valid amount: %v", err)
		}
		if _, err := f.s.Advance(ctx, officer, d.ID, Progress{Stage: StageTalks, Note: "技术交流"}); err != nil {
			t.Fatal(err)
		}
		f.clock = f.clock.AddDate(0, 0, 10)
		d, err = f.s.Advance(ctx, officer, d.ID, Progress{Stage: StageSigned, Amount: "120万", Mode: "许可", SignedOn: "2026-06-24"})
		if err != nil {
			t.Fatal(err)
		}
		if d.Stage != StageSigned || d.ContractAmount != "1200000.00" || d.ContractMode != ModeLicense || len(d.Steps) != 3 {
			t.Errorf("signed docking %+v", d)
		}
		if _, err := f.s.Advance(ctx, officer, d.ID, Progress{Stage: StageClosed, Reason: "x"}); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("closing a signed docking: %v", err)
		}
		m, err := f.s.Measures(ctx, leader, 12)
		if err != nil {
			t.Fatal(err)
		}
		if m.Introductions != 1 || m.Contracts != 1 || m.ContractValue != money.Yuan(1_200_000) || m.OpenNeeds != 1 || m.Achievements != 36 {
			t.Errorf("measures %+v", m)
		}
		last := m.Months[len(m.Months)-1]
		if last.Month != "2026-06" || last.Contracts != 1 || last.Introductions != 1 {
			t.Errorf("this month %+v", last)
		}
		if _, err := f.s.Measures(ctx, liaison(f.moulding), 12); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a liaison saw the measures: %v", err)
		}
		// The liaison sees its introduction; the other enterprise does not.
		if list, _, _ := f.s.Dockings(ctx, liaison(f.moulding), DockingFilter{}); len(list) != 1 {
			t.Errorf("the liaison's dockings: %v", list)
		}
		if list, _, _ := f.s.Dockings(ctx, liaison(f.battery), DockingFilter{}); len(list) != 0 {
			t.Errorf("another liaison's dockings: %v", list)
		}
		evd, err := f.s.Event(ctx, officer, ev.ID)
		if err != nil || evd.SignUps != 1 || evd.Dockings != 1 || evd.Signed != 1 || len(evd.Enterprises) != 1 {
			t.Errorf("event %+v %v", evd, err)
		}
		var audited int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'tech.docking.%'").Scan(&audited); err != nil || audited != 3 {
			t.Errorf("%d docking audit entries (%v), want 3", audited, err)
		}
	})
}

func TestCandidatesForAnAchievement(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		if _, err := f.s.PostNeed(ctx, officer, NeedSpec{EnterpriseID: f.moulding, Title: "注塑件缩痕", Description: "模流分析优化注塑工艺"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.PostNeed(ctx, officer, NeedSpec{EnterpriseID: f.battery, Title: "电池正极压实密度"}); err != nil {
			t.Fatal(err)
		}
		_, cands, err := f.s.Candidates(ctx, officer, "A02", 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(cands) == 0 || cands[0].EnterpriseID != f.moulding || cands[0].Need == nil {
			t.Fatalf("candidates %+v", cands)
		}
		if _, _, err := f.s.Candidates(ctx, liaison(f.moulding), "A02", 5); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a liaison matched enterprises: %v", err)
		}
	})
}

func TestImportIsAllOrNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := NewService(db)
		bad := achievementHeader + "A1,好,某大学,新材料,k,a,中试,转让\nA2,坏,,新材料,k,a,中试,转让\n"
		if _, err := s.ImportAchievements(ctx, officer, "c.csv", []byte(bad), false); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("import: %v", err)
		}
		if _, total, _ := s.Achievements(ctx, officer, AchievementFilter{}); total != 0 {
			t.Errorf("%d achievements written by a failed import", total)
		}
		id := mustEnterprise(t, db, 3, "某公司", "C3841")
		_ = id
		needs := "code,enterprise,title,description\nN1,某公司,需求一,描述\nN2,不存在的公司,需求二,描述\n"
		_, err := s.ImportNeeds(ctx, officer, "n.csv", []byte(needs), false)
		if p := apperr.ProblemsOf(err); len(p) != 1 || p[0].Record != 2 || p[0].Field != "enterprise" {
			t.Fatalf("needs import problems %v", p)
		}
		if _, total, _ := s.Needs(ctx, officer, NeedFilter{}); total != 0 {
			t.Errorf("%d needs written by a failed import", total)
		}
	})
}

func TestDemoFillsTheDesk(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i := range 60 {
			codes := []string{"C3841", "C2929", "C3982", "I6513", "C2761", "C3670"}
			mustEnterprise(t, db, uint64(10+i), fmt.Sprintf("演示企业%d", i), codes[i%len(codes)])
		}
		s := NewService(db)
		rep, err := s.LoadDemo(ctx, DemoOptions{Achievements: 200, Needs: 50, Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Achievements != 200 || rep.Needs != 50 || rep.Dockings == 0 || rep.Contracts == 0 {
			t.Fatalf("demo %+v", rep)
		}
		again, err := s.LoadDemo(ctx, DemoOptions{})
		if err != nil || again.Achievements != 0 {
			t.Errorf("a second demo load: %+v %v", again, err)
		}
	})
}
