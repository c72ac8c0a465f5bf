package indicator

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/appeal"
	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/touch"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// The business-environment evaluation (营商环境评价): survey campaigns to
// enterprises whose questions each concern a department, combined with
// measured figures into an index per department.

// Question is one question of a survey, about one department's service;
// enterprises answer it with a score from 1 (very dissatisfied) to 5.
type Question struct {
	Position   int    `json:"position"`
	TextZh     string `json:"text_zh"`
	TextEn     string `json:"text_en"`
	Department string `json:"department"`
}

// Survey is a campaign.
type Survey struct {
	Code      string     `json:"code"`
	Title     string     `json:"title"`
	OpensOn   string     `json:"opens_on"`
	ClosesOn  string     `json:"closes_on"`
	Questions []Question `json:"questions"`
}

// The weights of the index (docs/projects.md): satisfaction from the
// survey; the appeals routed to the department answered within their
// deadline, and rated satisfied (internal/appeal); and the touches its
// requests did not cost enterprises (on-site requests carried by joint
// visits, data served from the registry; internal/touch). A part without
// data (no appeals, no requests) leaves the index, whose weights are then
// those of the parts that have data.
const (
	weightSatisfaction   = 40
	weightAppealsOnTime  = 20
	weightAppealsSatisfy = 20
	weightTouches        = 20
)

// DepartmentScore is one department's result.
type DepartmentScore struct {
	Department string `json:"department"`
	NameZh     string `json:"name_zh"`
	NameEn     string `json:"name_en"`
	Answers    int    `json:"answers"`
	// Satisfaction is the mean score mapped to 0–100 ((mean − 1) / 4 × 100),
	// one decimal; "" without answers.
	Satisfaction string `json:"satisfaction"`
	// TouchesAvoided is the share of the department's asks that cost the
	// enterprise no separate visit or form, 0–100, one decimal; "" when it
	// asked nothing.
	TouchesAvoided string `json:"touches_avoided"`
	// AppealsOnTime and AppealsSatisfied are the shares, 0–100, of the
	// department's appeals replied within the deadline and rated 满意 or
	// 基本满意; "" without replies or ratings.
	AppealsOnTime    string `json:"appeals_on_time"`
	AppealsSatisfied string `json:"appeals_satisfied"`
	// Index is the weighted score, one decimal.
	Index string `json:"index"`
}

// Evaluation is a survey's index per department, lowest first (the
// shortfalls to act on), with the reform tasks.
type Evaluation struct {
	Survey      Survey            `json:"survey"`
	Respondents int               `json:"respondents"`
	Departments []DepartmentScore `json:"departments"`
	Tasks       []ReformTask      `json:"reform_tasks"`
}

// ReformTask is a shortfall assigned to a department with a deadline.
type ReformTask struct {
	ID         int64  `json:"id"`
	Department string `json:"department"`
	Title      string `json:"title"`
	DueOn      string `json:"due_on"`
	DoneOn     string `json:"done_on,omitempty"`
}

func badField(field, format string, args ...any) error {
	return apperr.InvalidInput("invalid", apperr.Problem{Field: field, Reason: fmt.Sprintf(format, args...)})
}

// CreateSurvey records a survey campaign with its questions.
func (s *Service) CreateSurvey(ctx context.Context, p auth.Principal, sv Survey) error {
	if err := auth.Can(p, auth.ManageIndicators, auth.Resource{}); err != nil {
		return err
	}
	if sv.Code == "" || len(sv.Code) > 64 || strings.TrimSpace(sv.Title) == "" {
		return badField("code", "a survey needs a code and a title")
	}
	for _, d := range []string{sv.OpensOn, sv.ClosesOn} {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return badField("opens_on", "%q is not a date (YYYY-MM-DD)", d)
		}
	}
	if sv.ClosesOn < sv.OpensOn || len(sv.Questions) == 0 {
		return badField("closes_on", "a survey closes after it opens and has questions")
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, "INSERT INTO surveys (code, title, opens_on, closes_on, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
			sv.Code, sv.Title, sv.OpensOn, sv.ClosesOn, store.FormatTime(s.now())).Scan(&id); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return badField("code", "the code %s is taken", sv.Code)
			}
			return err
		}
		for i, q := range sv.Questions {
			if _, err := tx.Exec(ctx, "INSERT INTO survey_questions (survey_id, position, text_zh, text_en, department_code) VALUES (?, ?, ?, ?, ?)",
				id, i+1, q.TextZh, q.TextEn, q.Department); err != nil {
				if errors.Is(err, store.ErrReferenced) || errors.Is(err, store.ErrCheck) {
					return apperr.InvalidInput("bad question", apperr.Problem{Record: i + 1, Field: "department", Reason: fmt.Sprintf("no department %q, or a question without text", q.Department)})
				}
				return err
			}
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: p, Action: "survey.create", ObjectType: "survey", ObjectID: sv.Code, After: sv, At: s.now()})
	})
}

// Answer records an enterprise's answers (question position → score 1–5)
// while the survey is open, once per enterprise. The scores are stored
// without the enterprise, so that results per department stay anonymous;
// the audit log records that the enterprise answered, not what.
func (s *Service) Answer(ctx context.Context, p auth.Principal, code string, scores map[int]int) error {
	if p.Role != auth.RoleEnterprise || p.EnterpriseID == 0 {
		return apperr.Errorf(apperr.Forbidden, "only an enterprise's liaison answers a survey")
	}
	today := s.now().Format(time.DateOnly)
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		var id int64
		var opens, closes string
		err := tx.QueryRow(ctx, "SELECT id, opens_on, closes_on FROM surveys WHERE code = ?", code).Scan(&id, &opens, &closes)
		if errors.Is(err, store.ErrNotFound) {
			return apperr.Errorf(apperr.NotFound, "no survey %s", code)
		}
		if err != nil {
			return err
		}
		if today < opens || today > closes {
			return apperr.Errorf(apperr.Conflict, "the survey is not open")
		}
		if _, err := tx.Exec(ctx, "INSERT INTO survey_respondents (survey_id, enterprise_id) VALUES (?, ?)", id, p.EnterpriseID); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return apperr.Errorf(apperr.Conflict, "this enterprise has answered the survey already")
			}
			return err
		}
		positions := make([]int, 0, len(scores))
		for pos := range scores {
			positions = append(positions, pos)
		}
		slices.Sort(positions) // the order of the rows says nothing of the map
		for _, pos := range positions {
			score := scores[pos]
			if score < 1 || score > 5 {
				return badField(fmt.Sprint(pos), "a score is from 1 to 5")
			}
			res, err := tx.Exec(ctx, "INSERT INTO survey_answers (question_id, score) SELECT id, ? FROM survey_questions WHERE survey_id = ? AND position = ?", score, id, pos)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return badField(fmt.Sprint(pos), "the survey has no question %d", pos)
			}
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: p, Action: "survey.answer", ObjectType: "survey", ObjectID: code, At: s.now()})
	})
}

// Evaluate computes a survey's index per department: satisfaction from the
// answers, and the touches avoided by the department's requests over the
// survey's months (internal/touch), with the weights above.
func (s *Service) Evaluate(ctx context.Context, p auth.Principal, code string) (Evaluation, error) {
	if err := auth.Can(p, auth.ViewDashboard, auth.Resource{}); err != nil {
		return Evaluation{}, err
	}
	ev := Evaluation{Departments: []DepartmentScore{}, Tasks: []ReformTask{}}
	var id int64
	err := s.DB.QueryRow(ctx, "SELECT id, code, title, opens_on, closes_on FROM surveys WHERE code = ?", code).Scan(&id, &ev.Survey.Code, &ev.Survey.Title, &ev.Survey.OpensOn, &ev.Survey.ClosesOn)
	if errors.Is(err, store.ErrNotFound) {
		return ev, apperr.Errorf(apperr.NotFound, "no survey %s", code)
	}
	if err != nil {
		return ev, err
	}
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM survey_respondents WHERE survey_id = ?", id).Scan(&ev.Respondents); err != nil {
		return ev, err
	}
	rows, err := s.DB.Query(ctx, `SELECT q.department_code, d.name_zh, d.name_en, COUNT(a.id), COALESCE(SUM(a.score), 0)
FROM survey_questions q JOIN departments d ON d.code = q.department_code LEFT JOIN survey_answers a ON a.question_id = q.id
WHERE q.survey_id = ? GROUP BY q.department_code, d.name_zh, d.name_en`, id)
	if err != nil {
		return ev, err
	}
	type sums struct{ answers, total int }
	got := map[string]sums{}
	for rows.Next() {
		var ds DepartmentScore
		var sm sums
		if err := rows.Scan(&ds.Department, &ds.NameZh, &ds.NameEn, &sm.answers, &sm.total); err != nil {
			rows.Close()
			return ev, err
		}
		ds.Answers = sm.answers
		got[ds.Department] = sm
		ev.Departments = append(ev.Departments, ds)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return ev, err
	}
	opens, _ := time.Parse(time.DateOnly, ev.Survey.OpensOn)
	closes, _ := time.Parse(time.DateOnly, ev.Survey.ClosesOn)
	// The measured half covers the year the survey asks about.
	from := workday.MonthOf(opens.AddDate(-1, 0, 0).Year(), opens.AddDate(-1, 0, 0).Month())
	measures, _, err := (&touch.Service{DB: s.DB, Now: s.Now}).Measures(ctx, p, from, workday.MonthOf(closes.Year(), closes.Month()))
	if err != nil {
		return ev, err
	}
	type touches struct{ asked, avoided int }
	byDept := map[string]*touches{}
	for _, m := range measures {
		t := byDept[m.Department]
		if t == nil {
			t = &touches{}
			byDept[m.Department] = t
		}
		t.asked += m.OnSite + m.FromRegistry + m.Reported
		t.avoided += max(m.OnSite-m.Visits, 0) + m.FromRegistry
	}
	am, err := (&appeal.Service{DB: s.DB, Now: s.Now}).Measures(ctx, p, from.String(), workday.MonthOf(closes.Year(), closes.Month()).String())
	if err != nil {
		return ev, err
	}
	appeals := map[string]appeal.Measure{}
	for _, m := range am.ByDepartment {
		appeals[m.Department] = m
	}
	for i := range ev.Departments {
		ds := &ev.Departments[i]
		sm := got[ds.Department]
		var idx float64
		den := 0 // the weights that apply
		part := func(v float64, weight int) string {
			idx += v * float64(weight)
			den += weight
			return fmt.Sprintf("%.1f", roundHalfUp1(v))
		}
		if sm.answers > 0 {
			// (mean − 1) / 4 × 100
			ds.Satisfaction = part(float64(sm.total-sm.answers)*25/float64(sm.answers), weightSatisfaction)
		}
		if m, ok := appeals[ds.Department]; ok {
			if v := m.OnTimePct(); v >= 0 {
				ds.AppealsOnTime = part(v, weightAppealsOnTime)
			}
			if v := m.SatisfiedPct(); v >= 0 {
				ds.AppealsSatisfied = part(v, weightAppealsSatisfy)
			}
		}
		if t := byDept[ds.Department]; t != nil && t.asked > 0 {
			ds.TouchesAvoided = part(float64(t.avoided)*100/float64(t.asked), weightTouches)
		}
		if den > 0 {
			ds.Index = fmt.Sprintf("%.1f", roundHalfUp1(idx/float64(den)))
		}
	}
	slices.SortFunc(ev.Departments, func(a, b DepartmentScore) int {
		return strings.Compare(fmt.Sprintf("%6s", a.Index), fmt.Sprintf("%6s", b.Index))
	})
	ev.Tasks, err = s.ReformTasks(ctx, p)
	return ev, err
}

// roundHalfUp1 rounds a non-negative score half-up to one decimal; scores
// are display figures, not money.
func roundHalfUp1(x float64) float64 {
	return float64(int64(x*10+0.5+1e-9)) / 10
}

// AddReformTask assigns a shortfall to a department with a deadline.
func (s *Service) AddReformTask(ctx context.Context, p auth.Principal, t ReformTask) (int64, error) {
	if err := auth.Can(p, auth.ManageIndicators, auth.Resource{}); err != nil {
		return 0, err
	}
	if strings.TrimSpace(t.Title) == "" {
		return 0, badField("title", "the task has no title")
	}
	if _, err := time.Parse(time.DateOnly, t.DueOn); err != nil {
		return 0, badField("due_on", "%q is not a date (YYYY-MM-DD)", t.DueOn)
	}
	var id int64
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		err := tx.QueryRow(ctx, "INSERT INTO reform_tasks (department_code, title, due_on, created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
			t.Department, t.Title, t.DueOn, p.Label, store.FormatTime(s.now())).Scan(&id)
		if errors.Is(err, store.ErrReferenced) {
			return badField("department", "no department %q", t.Department)
		}
		if err != nil {
			return err
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: p, Action: "reform.create", ObjectType: "reform_task", ObjectID: fmt.Sprint(id), After: t, At: s.now()})
	})
	return id, err
}

// CompleteReformTask marks a task done on a date.
func (s *Service) CompleteReformTask(ctx context.Context, p auth.Principal, id int64, on string) error {
	if err := auth.Can(p, auth.ManageIndicators, auth.Resource{}); err != nil {
		return err
	}
	if _, err := time.Parse(time.DateOnly, on); err != nil {
		return badField("done_on", "%q is not a date (YYYY-MM-DD)", on)
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE reform_tasks SET done_on = ? WHERE id = ? AND done_on IS NULL", on, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.Errorf(apperr.NotFound, "no open reform task %d", id)
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: p, Action: "reform.done", ObjectType: "reform_task", ObjectID: fmt.Sprint(id), After: map[string]string{"done_on": on}, At: s.now()})
	})
}

// ReformTasks lists the tasks, open ones first by deadline.
func (s *Service) ReformTasks(ctx context.Context, p auth.Principal) ([]ReformTask, error) {
	if err := auth.Can(p, auth.ViewDashboard, auth.Resource{}); err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, "SELECT id, department_code, title, due_on, COALESCE(done_on, '') FROM reform_tasks ORDER BY done_on IS NOT NULL, due_on, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ReformTask{}
	for rows.Next() {
		var t ReformTask
		if err := rows.Scan(&t.ID, &t.Department, &t.Title, &t.DueOn, &t.DoneOn); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// LatestEvaluation is the evaluation of the survey that closed last, nil
// when there is none.
func (s *Service) LatestEvaluation(ctx context.Context, p auth.Principal) (*Evaluation, error) {
	if err := auth.Can(p, auth.ViewDashboard, auth.Resource{}); err != nil {
		return nil, err
	}
	var code string
	err := s.DB.QueryRow(ctx, "SELECT code FROM surveys ORDER BY closes_on DESC, id DESC LIMIT 1").Scan(&code)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ev, err := s.Evaluate(ctx, p, code)
	return &ev, err
}
