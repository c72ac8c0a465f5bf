package appeal

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// move is one change of an appeal: the statuses it starts from, who may
// make it, and what it does.
type move struct {
	name  string   // the audit action's verb and the timeline's kind
	from  []Status // the statuses it applies to
	check func(actor auth.Principal, r *row) error
	do    func(tx *store.Tx, r *row, cal *workday.Calendar, now time.Time) (note string, err error)
	// tell is what the liaison is told beyond the status, "" for nothing.
	tell string
	// quiet: the enterprise is not told (a change it need not hear of).
	quiet bool
}

func (s *Service) apply(ctx context.Context, actor auth.Principal, id int64, m move) error {
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		r, err := loadRow(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := m.check(actor, r); err != nil {
			return err
		}
		if !slices.Contains(m.from, r.status) {
			return apperr.Errorf(apperr.Conflict, "the appeal is %s: it cannot be %s now", statusWords[r.status], m.name)
		}
		cal, err := workday.Load(ctx, tx)
		if err != nil {
			return err
		}
		now := s.now()
		before := map[string]any{"status": r.status, "department": r.department, "level": int(r.level)}
		note, err := m.do(tx, r, cal, now)
		if err != nil {
			return err
		}
		if err := r.saveClock(ctx, tx, cal, now); err != nil {
			return err
		}
		if err := event(ctx, tx, r.id, now, actor.Label, m.name, note, r.department); err != nil {
			return err
		}
		if !m.quiet {
			if err := tellEnterprise(ctx, tx, r, now, m.tell); err != nil {
				return err
			}
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "appeal." + m.name, ObjectType: "appeal", ObjectID: strconv.FormatInt(r.id, 10),
			Before: before, After: map[string]any{"status": r.status, "department": r.department, "note": note}, At: now})
	})
}

// canRoute: the receiving officer routes, merges and calls back.
func canRoute(actor auth.Principal, r *row) error {
	if !mayRoute(actor) {
		return apperr.Errorf(apperr.Forbidden, "only the committee's officers route appeals")
	}
	return auth.Can(actor, auth.AnswerAppeal, r.resource(r.department))
}

// canHandle: the lead department (or an officer) handles it.
func canHandle(actor auth.Principal, r *row) error {
	return auth.Can(actor, auth.AnswerAppeal, r.resource(r.department))
}

// canAnswer: the enterprise confirms, rates, reopens and supplies.
func canAnswer(actor auth.Principal, r *row) error {
	return auth.Can(actor, auth.CloseAppeal, r.resource(r.department))
}

func text(field, s string, required bool, limit int) (string, error) {
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case n == 0 && required:
		return "", apperr.InvalidInput("the "+field+" is missing", apperr.Problem{Field: field, Reason: "required"})
	case n > limit:
		return "", apperr.InvalidInput("the "+field+" is too long", apperr.Problem{Field: field, Reason: fmt.Sprintf("longer than %d characters", limit)})
	}
	return s, nil
}

// department checks that a department exists.
func department(ctx context.Context, q store.Queryer, code string) error {
	var n int
	if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM departments WHERE code = ?", code).Scan(&n); err != nil {
		return fmt.Errorf("appeal: read department: %w", err)
	}
	if n == 0 {
		return apperr.InvalidInput("no such department", apperr.Problem{Field: "department", Reason: "no department " + code})
	}
	return nil
}

// Assign routes the appeal to its lead department with co-handlers. The
// receiving officer owns it until the department accepts (首问负责).
func (s *Service) Assign(ctx context.Context, actor auth.Principal, id int64, dept string, cohandlers []string) error {
	dept = strings.TrimSpace(dept)
	if dept == "" {
		return apperr.InvalidInput("choose the lead department", apperr.Problem{Field: "department", Reason: "required"})
	}
	return s.apply(ctx, actor, id, move{name: "assign", from: []Status{Received, Assigned}, check: canRoute, quiet: false,
		do: func(tx *store.Tx, r *row, _ *workday.Calendar, now time.Time) (string, error) {
			if err := department(ctx, tx, dept); err != nil {
				return "", err
			}
			if r.department == "" {
				// The filing counted under no department: it now counts
				// under the one that handles it, in the month received.
				if err := bump(ctx, tx, r.receivedAt, "", r.category, counts{received: -1}); err != nil {
					return "", err
				}
				if err := bump(ctx, tx, r.receivedAt, dept, r.category, counts{received: 1}); err != nil {
					return "", err
				}
			}
			r.department, r.status = dept, Assigned
			if _, err := tx.Exec(ctx, "UPDATE appeals SET owner = CASE WHEN owner = '' THEN ? ELSE owner END WHERE id = ?", actor.Label, r.id); err != nil {
				return "", fmt.Errorf("appeal: owner: %w", err)
			}
			return strings.Join(cohandlers, ","), setCohandlers(ctx, tx, r.id, dept, cohandlers)
		}})
}

// Accept is the lead department taking the appeal up: the acknowledgement
// the category's working hours are counted to.
func (s *Service) Accept(ctx context.Context, actor auth.Principal, id int64) error {
	return s.apply(ctx, actor, id, move{name: "accept", from: []Status{Assigned}, check: canHandle,
		do: func(tx *store.Tx, r *row, _ *workday.Calendar, now time.Time) (string, error) {
			r.status = InProgress
			_, err := tx.Exec(ctx, "UPDATE appeals SET accepted_at = COALESCE(accepted_at, ?) WHERE id = ?", store.FormatTime(now), r.id)
			return "", err
		}})
}

// Transfer hands the appeal to another department with the reason. The
// clock does not restart: the enterprise's wait goes on.
func (s *Service) Transfer(ctx context.Context, actor auth.Principal, id int64, dept, reason string) error {
	reason, err := text("reason", reason, true, 1000)
	if err != nil {
		return err
	}
	dept = strings.TrimSpace(dept)
	return s.apply(ctx, actor, id, move{name: "transfer", from: []Status{Assigned, InProgress}, check: canHandle,
		do: func(tx *store.Tx, r *row, _ *workday.Calendar, _ time.Time) (string, error) {
			if err := department(ctx, tx, dept); err != nil {
				return "", err
			}
			if dept == r.department {
				return "", apperr.InvalidInput("the appeal is with that department already", apperr.Problem{Field: "department", Reason: "the same department"})
			}
			r.department, r.status = dept, Assigned
			if _, err := tx.Exec(ctx, "DELETE FROM appeal_cohandlers WHERE appeal_id = ? AND department_code = ?", r.id, dept); err != nil {
				return "", err
			}
			return reason, nil
		}})
}

// AskEnterprise asks the enterprise for material or an explanation: the
// clock stops until it answers.
func (s *Service) AskEnterprise(ctx context.Context, actor auth.Principal, id int64, question string) error {
	question, err := text("question", question, true, 2000)
	if err != nil {
		return err
	}
	return s.apply(ctx, actor, id, move{name: "ask", from: []Status{InProgress}, check: canHandle, tell: question,
		do: func(_ *store.Tx, r *row, cal *workday.Calendar, now time.Time) (string, error) {
			r.status = Waiting
			return question, r.stopClock(cal, now)
		}})
}

// Supply is the enterprise's answer to a question: the clock resumes
// where it stopped.
func (s *Service) Supply(ctx context.Context, actor auth.Principal, id int64, answer string) error {
	answer, err := text("answer", answer, true, 4000)
	if err != nil {
		return err
	}
	return s.apply(ctx, actor, id, move{name: "supply", from: []Status{Waiting}, check: canAnswer,
		do: func(_ *store.Tx, r *row, _ *workday.Calendar, now time.Time) (string, error) {
			r.status, r.clockFrom = InProgress, now
			return answer, nil
		}})
}

// Reply answers the enterprise. The clock stops; the reply is on time when
// the working time used is within the time allowed.
func (s *Service) Reply(ctx context.Context, actor auth.Principal, id int64, reply string) error {
	reply, err := text("reply", reply, true, maxBody)
	if err != nil {
		return err
	}
	return s.apply(ctx, actor, id, move{name: "reply", from: []Status{Assigned, InProgress}, check: canHandle, tell: reply,
		do: func(tx *store.Tx, r *row, cal *workday.Calendar, now time.Time) (string, error) {
			if err := r.stopClock(cal, now); err != nil {
				return "", err
			}
			r.status = Replied
			onTime := r.used <= r.budget
			if _, err := tx.Exec(ctx, `UPDATE appeals SET reply = ?, replied_at = ?, on_time = ?, accepted_at = COALESCE(accepted_at, ?) WHERE id = ?`,
				reply, store.FormatTime(now), onTime, store.FormatTime(now), r.id); err != nil {
				return "", fmt.Errorf("appeal: reply: %w", err)
			}
			c := counts{replied: 1, workMinutes: r.used}
			if onTime {
				c.onTime = 1
			}
			return "", bump(ctx, tx, now, r.department, r.category, c)
		}})
}

// Rate is the enterprise's verdict on the reply: 满意 or 基本满意 close the
// appeal; 不满意 sends it back to the department with a fresh clock.
func (s *Service) Rate(ctx context.Context, actor auth.Principal, id int64, rating Rating, comment string) error {
	comment, err := text("comment", comment, rating == Unsatisfied, 2000)
	if err != nil {
		return err
	}
	if rating != Satisfied && rating != Basically && rating != Unsatisfied {
		return apperr.InvalidInput("choose a rating", apperr.Problem{Field: "rating", Reason: "满意, 基本满意 or 不满意"})
	}
	return s.apply(ctx, actor, id, move{name: "rate", from: []Status{Replied}, check: canAnswer,
		do: func(tx *store.Tx, r *row, _ *workday.Calendar, now time.Time) (string, error) {
			if _, err := tx.Exec(ctx, "UPDATE appeals SET rating = ?, rating_comment = ? WHERE id = ?", string(rating), comment, r.id); err != nil {
				return "", fmt.Errorf("appeal: rate: %w", err)
			}
			c := counts{rated: 1}
			if rating == Unsatisfied {
				r.reopen(now)
				c.reopened = 1
			} else {
				c.satisfied, c.closed = 1, 1
				r.status = Closed
				if _, err := tx.Exec(ctx, "UPDATE appeals SET closed_at = ? WHERE id = ?", store.FormatTime(now), r.id); err != nil {
					return "", fmt.Errorf("appeal: close: %w", err)
				}
				if err := learn(ctx, tx, r.id, now); err != nil {
					return "", err
				}
			}
			return string(rating) + " " + comment, bump(ctx, tx, now, r.department, r.category, c)
		}})
}

// reopen sends the appeal back to its department with the full time again:
// the reply did not solve the problem, so it is handled anew.
func (r *row) reopen(now time.Time) {
	r.status, r.reopened = InProgress, r.reopened+1
	r.used, r.clockFrom, r.level = 0, now, LevelNone
}

// Reopen is the enterprise saying the problem is not solved, without a
// rating.
func (s *Service) Reopen(ctx context.Context, actor auth.Principal, id int64, reason string) error {
	reason, err := text("reason", reason, true, 2000)
	if err != nil {
		return err
	}
	return s.apply(ctx, actor, id, move{name: "reopen", from: []Status{Replied}, check: canAnswer,
		do: func(tx *store.Tx, r *row, _ *workday.Calendar, now time.Time) (string, error) {
			r.reopen(now)
			return reason, bump(ctx, tx, now, r.department, r.category, counts{reopened: 1})
		}})
}

// Merge closes a duplicate into another open appeal of the same
// enterprise.
func (s *Service) Merge(ctx context.Context, actor auth.Principal, id, into int64) error {
	if id == into {
		return apperr.InvalidInput("an appeal cannot be merged into itself", apperr.Problem{Field: "into", Reason: "the same appeal"})
	}
	return s.apply(ctx, actor, id, move{name: "merge", from: []Status{Received, Assigned, InProgress, Waiting}, check: canRoute,
		do: func(tx *store.Tx, r *row, cal *workday.Calendar, now time.Time) (string, error) {
			target, err := loadRow(ctx, tx, actor, into)
			if err != nil {
				return "", err
			}
			if target.enterprise != r.enterprise || !target.status.Open() {
				return "", apperr.InvalidInput("merge into an open appeal of the same enterprise", apperr.Problem{Field: "into", Reason: "not an open appeal of this enterprise"})
			}
			if err := r.stopClock(cal, now); err != nil {
				return "", err
			}
			r.status = Merged
			_, err = tx.Exec(ctx, "UPDATE appeals SET merged_into = ?, closed_at = ? WHERE id = ?", into, store.FormatTime(now), r.id)
			return "#" + strconv.FormatInt(into, 10), err
		}})
}

// Callback records the committee's call to the enterprise after closing
// (回访): what it said.
func (s *Service) Callback(ctx context.Context, actor auth.Principal, id int64, note string) error {
	note, err := text("note", note, true, 2000)
	if err != nil {
		return err
	}
	return s.apply(ctx, actor, id, move{name: "callback", from: []Status{Closed}, check: canRoute, quiet: true,
		do: func(*store.Tx, *row, *workday.Calendar, time.Time) (string, error) { return note, nil }})
}

// MayRoute reports whether the actor routes, merges and calls back
// appeals, for pages that offer those actions; the methods decide again.
func MayRoute(actor auth.Principal) bool {
	return mayRoute(actor) && actor.Role != "" || actor.IsSystem()
}

// MayHandle reports whether the actor handles the appeal for its lead
// department (accept, transfer, ask, reply).
func MayHandle(actor auth.Principal, a Appeal) bool {
	return auth.Allowed(actor, auth.AnswerAppeal, auth.Resource{EnterpriseID: a.EnterpriseID, ParkID: actor.ParkID, Department: a.Department}) &&
		(actor.Role != auth.RoleOfficer || a.Department != "")
}

// MayAnswer reports whether the actor answers for the enterprise (supply,
// rate, reopen).
func MayAnswer(actor auth.Principal, a Appeal) bool {
	return auth.Allowed(actor, auth.CloseAppeal, auth.Resource{EnterpriseID: a.EnterpriseID, ParkID: actor.ParkID, Department: a.Department})
}
