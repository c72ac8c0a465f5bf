package indicator

import (
	"context"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

func TestEvaluationIndexPerDepartment(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		for _, d := range []string{"tax", "market"} {
			if _, err := db.Exec(ctx, "INSERT INTO departments (code, name_zh) VALUES (?, ?) ON CONFLICT (code) DO NOTHING", d, d); err != nil {
				t.Fatal(err)
			}
		}
		sv := Survey{Code: "BE-2023", Title: "营商环境满意度调查", OpensOn: "2023-06-01", ClosesOn: "2023-06-30", Questions: []Question{
			{TextZh: "办税是否便利", TextEn: "Is paying taxes easy", Department: "tax"},
			{TextZh: "市场准入是否便利", TextEn: "Is market entry easy", Department: "market"},
		}}
		if err := f.ind.CreateSurvey(ctx, leader, sv); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a leader creates a survey: %v", err)
		}
		if err := f.ind.CreateSurvey(ctx, officer, sv); err != nil {
			t.Fatal(err)
		}
		e1 := f.mustEnterprise(t, 1, "hz", "2015-01-01")
		e2 := f.mustEnterprise(t, 2, "hz", "2015-01-01")
		liaison := func(id int64) auth.Principal {
			return auth.Principal{UserID: 100 + id, Label: "liaison", Role: auth.RoleEnterprise, EnterpriseID: id}
		}
		if err := f.ind.Answer(ctx, liaison(e1), "BE-2023", map[int]int{1: 5, 2: 2}); err != nil {
			t.Fatal(err)
		}
		if err := f.ind.Answer(ctx, liaison(e2), "BE-2023", map[int]int{1: 4, 2: 1}); err != nil {
			t.Fatal(err)
		}
		if err := f.ind.Answer(ctx, liaison(e1), "BE-2023", map[int]int{1: 1}); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("a second answer: %v", err)
		}
		if err := f.ind.Answer(ctx, officer, "BE-2023", map[int]int{1: 1}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("an officer answers: %v", err)
		}
		if _, err := f.ind.AddReformTask(ctx, officer, ReformTask{Department: "market", Title: "压缩开办时间", DueOn: "2023-12-31"}); err != nil {
			t.Fatal(err)
		}
		ev, err := f.ind.Evaluate(ctx, leader, "BE-2023")
		if err != nil {
			t.Fatal(err)
		}
		// tax: mean 4.5 → 87.5; market: mean 1.5 → 12.5; no touches, so
		// satisfaction alone; lowest first.
		if ev.Respondents != 2 || len(ev.Departments) != 2 || ev.Departments[0].Department != "market" ||
			ev.Departments[0].Index != "12.5" || ev.Departments[1].Satisfaction != "87.5" || len(ev.Tasks) != 1 {
			t.Errorf("evaluation %+v", ev)
		}
		var stored int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM survey_answers").Scan(&stored); err != nil || stored != 4 {
			t.Errorf("answers stored %d %v", stored, err)
		}
	})
}
