package appeal

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// Spec is a new appeal.
type Spec struct {
	EnterpriseID int64
	Category     string
	Title        string
	Body         string
	// Source is how it came in; "" lets the filer's role decide (the
	// liaison: portal; a token: api; a commissioner: visit; an officer:
	// phone).
	Source       Source
	ContactName  string
	ContactPhone string
	// Department routes it at once (an officer filing from the phone);
	// "" leaves it with the receiving officer.
	Department string
	Cohandlers []string
	MeetingID  int64
	TeamID     int64
	ProblemID  int64 // the visit problem it takes up
}

const (
	maxTitle = 200
	maxBody  = 8000
)

func (s *Spec) normalize(actor auth.Principal) []apperr.Problem {
	s.Title = strings.TrimSpace(s.Title)
	s.Body = strings.TrimSpace(s.Body)
	s.ContactName = strings.TrimSpace(s.ContactName)
	s.ContactPhone = strings.TrimSpace(s.ContactPhone)
	var problems []apperr.Problem
	switch n := utf8.RuneCountInString(s.Title); {
	case n == 0:
		problems = append(problems, apperr.Problem{Field: "title", Reason: "say in a few words what the problem is"})
	case n > maxTitle:
		problems = append(problems, apperr.Problem{Field: "title", Reason: fmt.Sprintf("longer than %d characters", maxTitle)})
	}
	if utf8.RuneCountInString(s.Body) > maxBody {
		problems = append(problems, apperr.Problem{Field: "body", Reason: fmt.Sprintf("longer than %d characters", maxBody)})
	}
	if utf8.RuneCountInString(s.ContactName) > 100 || utf8.RuneCountInString(s.ContactPhone) > 40 {
		problems = append(problems, apperr.Problem{Field: "contact", Reason: "the contact is too long"})
	}
	if s.Source == "" {
		switch {
		case actor.Role == auth.RoleEnterprise && actor.IsUser():
			s.Source = FromPortal
		case actor.TokenID != 0:
			s.Source = FromAPI
		case actor.Role == auth.RoleCommissioner:
			s.Source = FromVisit
		default:
			s.Source = FromPhone
		}
	}
	switch s.Source {
	case FromPortal, FromVisit, FromPhone, FromMeeting, FromAPI, FromTeam:
	default:
		problems = append(problems, apperr.Problem{Field: "source", Reason: fmt.Sprintf("%q is not a source", s.Source)})
	}
	// A problem raised at a visit comes with the department the
	// commissioner named: it is routed there as it is taken up.
	if s.Department != "" && !mayRoute(actor) && s.ProblemID == 0 {
		problems = append(problems, apperr.Problem{Field: "department", Reason: "only the committee's officers route appeals"})
	}
	return problems
}

// mayRoute is whether the actor routes appeals to departments: the
// receiving officer of the committee (首问负责) and the command line.
func mayRoute(actor auth.Principal) bool {
	return actor.IsSystem() || actor.Role == auth.RoleOfficer
}

// File records a new appeal: with the receiving officer until routed, or
// routed at once when the officer names the department. The clock starts
// now: acknowledgement within the category's working hours, the reply
// within its working days.
func (s *Service) File(ctx context.Context, actor auth.Principal, spec Spec) (int64, error) {
	problems := spec.normalize(actor)
	var id int64
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		res, err := auth.EnterpriseResource(ctx, tx, spec.EnterpriseID)
		if errors.Is(err, store.ErrNotFound) {
			return apperr.Errorf(apperr.NotFound, "no such enterprise")
		}
		if err != nil {
			return err
		}
		if err := auth.Can(actor, auth.FileAppeal, res); err != nil {
			return err
		}
		cat, err := getCategory(ctx, tx, spec.Category)
		if err != nil {
			problems = append(problems, apperr.Problem{Field: "category", Reason: err.Error()})
		} else if !cat.Active {
			problems = append(problems, apperr.Problem{Field: "category", Reason: "the category " + cat.Code + " is no longer used"})
		}
		if len(problems) > 0 {
			return apperr.InvalidInput("the appeal is not complete", problems...)
		}
		now := s.now()
		cal, err := workday.Load(ctx, tx)
		if err != nil {
			return err
		}
		status, owner := Received, ""
		if actor.Role == auth.RoleOfficer || actor.IsSystem() {
			owner = actor.Label
		}
		if spec.Department != "" {
			status = Assigned
		}
		ackDue, err := addWork(cal, now, cat.AckHours*60)
		if err != nil {
			ackDue = time.Time{} // the calendar cannot tell; the sweep computes it once it can
		}
		r := &row{enterprise: spec.EnterpriseID, park: res.ParkID, category: cat.Code, title: spec.Title, status: status,
			department: spec.Department, receivedAt: now, budget: cat.ResolveDays * dayMinutes, clockFrom: now}
		err = tx.QueryRow(ctx, `INSERT INTO appeals (enterprise_id, category, title, body, source, contact_name, contact_phone, status,
department_code, owner, received_at, ack_due_at, budget_minutes, used_minutes, clock_from, meeting_id, team_id, problem_id, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?) RETURNING id`,
			r.enterprise, r.category, r.title, spec.Body, string(spec.Source), spec.ContactName, spec.ContactPhone, string(status),
			nullText(spec.Department), owner, store.FormatTime(now), nullTime(ackDue), r.budget, store.FormatTime(now),
			nullID(spec.MeetingID), nullID(spec.TeamID), nullID(spec.ProblemID), store.FormatTime(now)).Scan(&r.id)
		if errors.Is(err, store.ErrReferenced) {
			return apperr.InvalidInput("the appeal is not valid", apperr.Problem{Field: "department", Reason: "no department " + spec.Department})
		}
		if err != nil {
			return fmt.Errorf("appeal: file: %w", err)
		}
		id = r.id
		if err := setCohandlers(ctx, tx, r.id, spec.Department, spec.Cohandlers); err != nil {
			return err
		}
		if err := r.saveClock(ctx, tx, cal, now); err != nil {
			return err
		}
		if err := event(ctx, tx, r.id, now, actor.Label, "filed", string(spec.Source), spec.Department); err != nil {
			return err
		}
		if err := bump(ctx, tx, now, spec.Department, cat.Code, counts{received: 1}); err != nil {
			return err
		}
		if err := tellEnterprise(ctx, tx, r, now, ""); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "appeal.file", ObjectType: "appeal", ObjectID: strconv.FormatInt(r.id, 10),
			After: map[string]any{"enterprise": r.enterprise, "category": cat.Code, "status": status, "source": spec.Source, "department": spec.Department}, At: now})
	})
	return id, err
}

func setCohandlers(ctx context.Context, tx *store.Tx, id int64, lead string, codes []string) error {
	if _, err := tx.Exec(ctx, "DELETE FROM appeal_cohandlers WHERE appeal_id = ?", id); err != nil {
		return fmt.Errorf("appeal: co-handlers: %w", err)
	}
	seen := map[string]bool{lead: true}
	for _, c := range codes {
		c = strings.TrimSpace(c)
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		if _, err := tx.Exec(ctx, "INSERT INTO appeal_cohandlers (appeal_id, department_code) VALUES (?, ?)", id, c); err != nil {
			if errors.Is(err, store.ErrReferenced) {
				return apperr.InvalidInput("the appeal is not valid", apperr.Problem{Field: "cohandlers", Reason: "no department " + c})
			}
			return fmt.Errorf("appeal: co-handlers: %w", err)
		}
	}
	return nil
}

func nullID(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}
