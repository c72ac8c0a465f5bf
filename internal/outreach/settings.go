package outreach

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
)

// DefaultRespondDays is how long an enterprise has to answer an offer whose
// policy names no deadline and has no end of force.
const DefaultRespondDays = 30

// PolicySetting is how the park offers one policy.
type PolicySetting struct {
	Policy string
	// AutoSend sends the policy's offers without an officer's review.
	AutoSend bool
	// Deadline is the date to answer or apply by, YYYY-MM-DD; "" takes an
	// apply-mode policy's end of force, or RespondDays after the package.
	Deadline    string
	RespondDays int
	// Where says where to apply (apply-mode policies).
	Where     policy.Texts
	UpdatedBy string
	UpdatedAt time.Time
}

func defaultSetting(id string) PolicySetting {
	return PolicySetting{Policy: id, RespondDays: DefaultRespondDays}
}

// loadSettings reads every policy's setting; a policy without a row has the
// default.
func loadSettings(ctx context.Context, q store.Queryer) (map[string]PolicySetting, error) {
	rows, err := q.Query(ctx, `SELECT policy, auto_send, COALESCE(deadline, ''), respond_days, where_zh, where_en, updated_by, updated_at
FROM outreach_policy_settings`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]PolicySetting{}
	for rows.Next() {
		var ps PolicySetting
		if err := rows.Scan(&ps.Policy, &ps.AutoSend, &ps.Deadline, &ps.RespondDays, &ps.Where.Zh, &ps.Where.En,
			&ps.UpdatedBy, store.ScanTime(&ps.UpdatedAt)); err != nil {
			return nil, err
		}
		out[ps.Policy] = ps
	}
	return out, rows.Err()
}

// PolicySettings returns the setting of every policy of the library, in the
// library's order.
func (s *Service) PolicySettings(ctx context.Context, actor auth.Principal) ([]PolicySetting, error) {
	if err := auth.Can(actor, auth.ManagePackages, auth.Resource{}); err != nil {
		return nil, err
	}
	stored, err := loadSettings(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	var out []PolicySetting
	for _, p := range s.policies() {
		ps, ok := stored[p.ID()]
		if !ok {
			ps = defaultSetting(p.ID())
		}
		out = append(out, ps)
	}
	return out, nil
}

func (s *Service) policies() []*policy.Policy {
	if s.Policies == nil {
		return nil
	}
	return s.Policies.Policies()
}

// SetPolicySetting records how a policy is offered.
func (s *Service) SetPolicySetting(ctx context.Context, actor auth.Principal, ps PolicySetting) error {
	if err := auth.Can(actor, auth.ManagePackages, auth.Resource{}); err != nil {
		return err
	}
	if s.Policies == nil {
		return errors.New("outreach: no policy library")
	}
	if _, ok := s.Policies.Policy(ps.Policy); !ok {
		return errNotFound("policy")
	}
	var problems []apperr.Problem
	ps.Deadline = strings.TrimSpace(ps.Deadline)
	if ps.Deadline != "" {
		if _, err := time.Parse(time.DateOnly, ps.Deadline); err != nil {
			problems = append(problems, apperr.Problem{Field: "deadline", Reason: "is not a date YYYY-MM-DD"})
		}
	}
	if ps.RespondDays == 0 {
		ps.RespondDays = DefaultRespondDays
	}
	if ps.RespondDays < 1 || ps.RespondDays > 366 {
		problems = append(problems, apperr.Problem{Field: "respond_days", Reason: "must be 1 to 366 days"})
	}
	ps.Where.Zh, ps.Where.En = strings.TrimSpace(ps.Where.Zh), strings.TrimSpace(ps.Where.En)
	if len(ps.Where.Zh) > 500 || len(ps.Where.En) > 500 {
		problems = append(problems, apperr.Problem{Field: "where", Reason: "is longer than 500 bytes"})
	}
	if len(problems) > 0 {
		return apperr.InvalidInput("the policy's setting is not valid", problems...)
	}
	ps.UpdatedBy, ps.UpdatedAt = actor.Label, s.now()
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		var deadline any
		if ps.Deadline != "" {
			deadline = ps.Deadline
		}
		_, err := tx.Exec(ctx, `INSERT INTO outreach_policy_settings (policy, auto_send, deadline, respond_days, where_zh, where_en, updated_by, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (policy) DO UPDATE SET auto_send = excluded.auto_send, deadline = excluded.deadline, respond_days = excluded.respond_days,
	where_zh = excluded.where_zh, where_en = excluded.where_en, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			ps.Policy, ps.AutoSend, deadline, ps.RespondDays, ps.Where.Zh, ps.Where.En, ps.UpdatedBy, store.FormatTime(ps.UpdatedAt))
		if err != nil {
			return err
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "outreach.policy_setting", ObjectType: "policy",
			ObjectID: ps.Policy, After: ps, At: ps.UpdatedAt})
	})
}

// deadlineFor is the deadline of an offer made on day: the setting's date;
// else, to apply, the policy's last day in force; else RespondDays after
// day (an automatic benefit's intention, or whether a benefit claimed in the
// tax filing was claimed, is asked for soon, however long the policy runs).
func deadlineFor(ps PolicySetting, p *policy.Policy, day time.Time) string {
	if ps.Deadline != "" {
		return ps.Deadline
	}
	if _, to, byFilingPeriod := p.InForceRange(); p.Mode() == policy.Apply && !to.IsZero() && !byFilingPeriod {
		if to.After(day) {
			return to.Format(time.DateOnly)
		}
	}
	days := ps.RespondDays
	if days <= 0 {
		days = DefaultRespondDays
	}
	return day.AddDate(0, 0, days).Format(time.DateOnly)
}
