package project

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/money"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Filter selects projects; empty fields do not filter.
type Filter struct {
	Stage  Stage
	Park   string // a park's code
	Query  string // in the code, name or investor
	Limit  int    // default 50, at most 500
	Offset int
}

const projectColumns = `p.id, p.code, p.name, p.investor, COALESCE(e.uscc, ''), COALESCE(p.industry_code, ''), COALESCE(p.park_id, 0),
	COALESCE(k.code, ''), p.stage, p.stage_since, p.total_investment, p.expected_output,
	(SELECT ` + "CAST(SUM(CAST(REPLACE(f.amount, '.', '') AS BIGINT)) AS BIGINT)" + ` FROM project_funds f WHERE f.project_id = p.id),
	p.space_kind, COALESCE(p.space_area, ''), COALESCE(u.login, ''), p.last_activity, p.updated_at`

const projectFrom = ` FROM projects p LEFT JOIN enterprises e ON e.id = p.enterprise_id LEFT JOIN parks k ON k.id = p.park_id
LEFT JOIN users u ON u.id = p.officer_id`

func scanProject(row interface{ Scan(...any) error }) (Project, error) {
	var pr Project
	var total, output sql.NullString
	var funds money.Fen
	err := row.Scan(&pr.ID, &pr.Code, &pr.Name, &pr.Investor, &pr.EnterpriseUSCC, &pr.IndustryCode, &pr.ParkID, &pr.Park,
		&pr.Stage, &pr.StageSince, &total, &output, &funds, &pr.SpaceKind, &pr.SpaceArea, &pr.Officer, &pr.LastActivity,
		store.ScanTime(&pr.UpdatedAt))
	if err != nil {
		return pr, err
	}
	pr.FundsInPlace = funds
	if total.Valid {
		if pr.TotalInvestment, err = money.Parse(total.String); err != nil {
			return pr, err
		}
		pr.Signed = true
	}
	if output.Valid {
		if pr.ExpectedOutput, err = money.Parse(output.String); err != nil {
			return pr, err
		}
		pr.HasOutput = true
	}
	return pr, nil
}

// List returns the projects p may see, newest change first, and how many
// the filter matches in all.
func (s *Service) List(ctx context.Context, p auth.Principal, f Filter) ([]Project, int, error) {
	if err := auth.Can(p, auth.ViewProjects, auth.Resource{}); err != nil {
		return nil, 0, err
	}
	where, args := parkFilter(p, "p.park_id")
	if f.Stage != "" {
		where += " AND p.stage = ?"
		args = append(args, string(f.Stage))
	}
	if f.Park != "" {
		where += " AND k.code = ?"
		args = append(args, f.Park)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := "%" + escapeLike(q) + "%"
		where += ` AND (p.code LIKE ? ESCAPE '\' OR p.name LIKE ? ESCAPE '\' OR p.investor LIKE ? ESCAPE '\')`
		args = append(args, like, like, like)
	}
	var total int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*)"+projectFrom+" WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := s.DB.Query(ctx, "SELECT "+projectColumns+projectFrom+" WHERE "+where+" ORDER BY p.updated_at DESC, p.id DESC LIMIT ? OFFSET ?",
		append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Project
	for rows.Next() {
		pr, err := scanProject(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, pr)
	}
	return out, total, rows.Err()
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Get returns one project with its history.
func (s *Service) Get(ctx context.Context, p auth.Principal, code string) (Detail, error) {
	if err := auth.Can(p, auth.ViewProjects, auth.Resource{}); err != nil {
		return Detail{}, err
	}
	pr, err := scanProject(s.DB.QueryRow(ctx, "SELECT "+projectColumns+projectFrom+" WHERE p.code = ?", code))
	if errors.Is(err, store.ErrNotFound) {
		return Detail{}, errNotFound(code)
	}
	if err != nil {
		return Detail{}, err
	}
	if canSee(p, pr.ParkID) != nil {
		return Detail{}, errNotFound(code)
	}
	d := Detail{Project: pr, Stages: []StageChange{}, Signings: []Signing{}, Funds: []Funds{}, Milestones: []Milestone{}}
	err = s.DB.InReadTx(ctx, func(tx *store.Tx) error {
		if err := each(ctx, tx, "SELECT stage, on_date, actor FROM project_stages WHERE project_id = ? ORDER BY on_date, id", pr.ID, func(scan func(...any) error) error {
			var c StageChange
			err := scan(&c.Stage, &c.On, &c.Actor)
			d.Stages = append(d.Stages, c)
			return err
		}); err != nil {
			return err
		}
		if err := each(ctx, tx, `SELECT g.signed_on, g.total_investment, g.increase, g.is_first, COALESCE(c.name, '') FROM project_signings g
LEFT JOIN signing_ceremonies c ON c.id = g.ceremony_id WHERE g.project_id = ? ORDER BY g.signed_on`, pr.ID, func(scan func(...any) error) error {
			var g Signing
			err := scan(&g.SignedOn, &g.TotalInvestment, &g.Increase, &g.First, &g.Ceremony)
			d.Signings = append(d.Signings, g)
			return err
		}); err != nil {
			return err
		}
		if err := each(ctx, tx, "SELECT month, amount FROM project_funds WHERE project_id = ? ORDER BY month", pr.ID, func(scan func(...any) error) error {
			var f Funds
			err := scan(&f.Month, &f.Amount)
			d.Funds = append(d.Funds, f)
			return err
		}); err != nil {
			return err
		}
		return each(ctx, tx, "SELECT title, due_on, COALESCE(done_on, '') FROM project_milestones WHERE project_id = ? ORDER BY due_on, id", pr.ID, func(scan func(...any) error) error {
			var m Milestone
			err := scan(&m.Title, &m.DueOn, &m.DoneOn)
			d.Milestones = append(d.Milestones, m)
			return err
		})
	})
	return d, err
}

func each(ctx context.Context, q store.Queryer, query string, arg any, fn func(scan func(...any) error) error) error {
	rows, err := q.Query(ctx, query, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// StalledProject is a project without a stage change or funds for longer
// than its stage allows.
type StalledProject struct {
	Project
	IdleDays  int `json:"idle_days"`
	Threshold int `json:"threshold_days"`
}

// Stalled returns the stalled projects p may see as of today, longest
// idle first, at most limit (default 20).
func (s *Service) Stalled(ctx context.Context, p auth.Principal, limit int) ([]StalledProject, int, error) {
	if err := auth.Can(p, auth.ViewProjects, auth.Resource{}); err != nil {
		return nil, 0, err
	}
	if limit <= 0 || limit > 500 {
		limit = 20
	}
	today := s.now()
	where, args := parkFilter(p, "p.park_id")
	var conds []string
	for _, st := range Stages {
		if d := StallDays(st); d > 0 {
			conds = append(conds, "(p.stage = ? AND p.last_activity < ?)")
			args = append(args, string(st), today.AddDate(0, 0, -d).Format(time.DateOnly))
		}
	}
	where += " AND (" + strings.Join(conds, " OR ") + ")"
	var total int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM projects p WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.DB.Query(ctx, "SELECT "+projectColumns+projectFrom+" WHERE "+where+" ORDER BY p.last_activity, p.id LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []StalledProject
	for rows.Next() {
		pr, err := scanProject(rows)
		if err != nil {
			return nil, 0, err
		}
		last, _ := time.Parse(time.DateOnly, pr.LastActivity)
		out = append(out, StalledProject{Project: pr, IdleDays: int(today.Sub(last).Hours() / 24), Threshold: StallDays(pr.Stage)})
	}
	return out, total, rows.Err()
}

// StageCount is one stage of the pipeline.
type StageCount struct {
	Stage           Stage     `json:"stage"`
	Projects        int       `json:"projects"`
	TotalInvestment money.Fen `json:"total_investment"`
}

// Pipeline counts the projects p may see by stage, in pipeline order.
func (s *Service) Pipeline(ctx context.Context, p auth.Principal) ([]StageCount, error) {
	if err := auth.Can(p, auth.ViewProjects, auth.Resource{}); err != nil {
		return nil, err
	}
	where, args := parkFilter(p, "park_id")
	rows, err := s.DB.Query(ctx, "SELECT stage, COUNT(*), "+money.SQLSum("total_investment")+" FROM projects WHERE "+where+" GROUP BY stage", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	got := map[Stage]StageCount{}
	for rows.Next() {
		var c StageCount
		if err := rows.Scan(&c.Stage, &c.Projects, &c.TotalInvestment); err != nil {
			return nil, err
		}
		got[c.Stage] = c
	}
	out := make([]StageCount, len(Stages))
	for i, st := range Stages {
		out[i] = got[st]
		out[i].Stage = st
	}
	return out, rows.Err()
}

// amount writes money as the API does: decimal text in yuan with two
// decimals, null when there is none.
func amount(f money.Fen, ok bool) *string {
	if !ok {
		return nil
	}
	s := f.String()
	return &s
}

// MarshalJSON writes the amounts as decimal text.
func (p Project) MarshalJSON() ([]byte, error) {
	type plain Project
	return json.Marshal(struct {
		plain
		TotalInvestment *string `json:"total_investment"`
		ExpectedOutput  *string `json:"expected_output"`
		FundsInPlace    string  `json:"funds_in_place"`
	}{plain(p), amount(p.TotalInvestment, p.Signed), amount(p.ExpectedOutput, p.HasOutput), p.FundsInPlace.String()})
}

// MarshalJSON writes the amounts as decimal text.
func (s Signing) MarshalJSON() ([]byte, error) {
	type plain Signing
	return json.Marshal(struct {
		plain
		TotalInvestment string `json:"total_investment"`
		Increase        string `json:"increase"`
	}{plain(s), s.TotalInvestment.String(), s.Increase.String()})
}

// MarshalJSON writes the amount as decimal text.
func (f Funds) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Month  string `json:"month"`
		Amount string `json:"funds_in_place"`
	}{f.Month, f.Amount.String()})
}

// MarshalJSON writes the amount as decimal text.
func (c StageCount) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Stage           Stage  `json:"stage"`
		Projects        int    `json:"projects"`
		TotalInvestment string `json:"total_investment"`
	}{c.Stage, c.Projects, c.TotalInvestment.String()})
}

// MarshalJSON writes the project and its history; without it, the
// project's own MarshalJSON would be promoted and drop the history.
func (d Detail) MarshalJSON() ([]byte, error) {
	head, err := json.Marshal(d.Project)
	if err != nil {
		return nil, err
	}
	tail, err := json.Marshal(struct {
		Stages     []StageChange `json:"stages"`
		Signings   []Signing     `json:"signings"`
		Funds      []Funds       `json:"funds"`
		Milestones []Milestone   `json:"milestones"`
	}{d.Stages, d.Signings, d.Funds, d.Milestones})
	if err != nil {
		return nil, err
	}
	return joinObjects(head, tail), nil
}

// MarshalJSON writes the project and how long it has been idle.
func (s StalledProject) MarshalJSON() ([]byte, error) {
	head, err := json.Marshal(s.Project)
	if err != nil {
		return nil, err
	}
	tail, err := json.Marshal(struct {
		IdleDays  int `json:"idle_days"`
		Threshold int `json:"threshold_days"`
	}{s.IdleDays, s.Threshold})
	if err != nil {
		return nil, err
	}
	return joinObjects(head, tail), nil
}

// joinObjects merges two JSON objects with distinct keys.
func joinObjects(a, b []byte) []byte {
	out := append([]byte{}, a[:len(a)-1]...)
	out = append(out, ',')
	return append(out, b[1:]...)
}
