package touch

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/workday"
)

const requestColumns = `r.id, r.enterprise_id, e.name, r.department_code, r.kind, r.basis, r.earliest, r.latest, r.on_site,
	r.minutes, r.exemption, r.note, r.status, r.visit_id, v.day, v.status, r.unmet_reason, r.unmet_proof, r.outcome_note,
	r.filed_by, r.filed_at, r.updated_at`

const requestFrom = ` FROM touch_requests r JOIN enterprises e ON e.id = r.enterprise_id
	LEFT JOIN touch_visits v ON v.id = r.visit_id`

func scanRequest(rows interface{ Scan(...any) error }) (Request, error) {
	var r Request
	var kind, exemption, status, earliest, latest string
	var visit sql.NullInt64
	var visitDay, visitStatus, unmet, proof sql.NullString
	err := rows.Scan(&r.ID, &r.EnterpriseID, &r.EnterpriseName, &r.Department, &kind, &r.Basis, &earliest, &latest, &r.OnSite,
		&r.Minutes, &exemption, &r.Note, &status, &visit, &visitDay, &visitStatus, &unmet, &proof, &r.OutcomeNote,
		&r.FiledBy, store.ScanTime(&r.FiledAt), store.ScanTime(&r.UpdatedAt))
	if err != nil {
		return r, err
	}
	r.Kind, r.Exemption, r.Status = Kind(kind), Exemption(exemption), Status(status)
	r.VisitID, r.VisitStatus, r.UnmetReason = visit.Int64, VisitStatus(visitStatus.String), Reason(unmet.String)
	if r.Earliest, err = workday.ParseDate(earliest); err != nil {
		return r, err
	}
	if r.Latest, err = workday.ParseDate(latest); err != nil {
		return r, err
	}
	if visitDay.Valid {
		if r.VisitDay, err = workday.ParseDate(visitDay.String); err != nil {
			return r, err
		}
	}
	if proof.Valid {
		r.UnmetProof = &CapProof{}
		if err := json.Unmarshal([]byte(proof.String), r.UnmetProof); err != nil {
			return r, fmt.Errorf("touch: proof of request %d: %w", r.ID, err)
		}
	}
	return r, nil
}

// GetRequest returns the request with its items, unchecked: callers check
// ViewTouchRequest (see Service.Request).
func GetRequest(ctx context.Context, q store.Queryer, id int64) (Request, error) {
	var r Request
	err := store.WithReadTx(ctx, q, func(tx *store.Tx) error {
		var err error
		r, err = scanRequest(tx.QueryRow(ctx, "SELECT "+requestColumns+requestFrom+" WHERE r.id = ?", id))
		if err != nil {
			return notFoundAs(err, "no such touch request")
		}
		items, err := itemsOf(ctx, tx, []int64{id})
		r.Items = items[id]
		return err
	})
	return r, err
}

// Request returns a request the principal may see.
func (s *Service) Request(ctx context.Context, actor auth.Principal, id int64) (Request, error) {
	r, err := GetRequest(ctx, s.DB, id)
	if err != nil {
		return r, err
	}
	res, err := auth.EnterpriseResource(ctx, s.DB, r.EnterpriseID)
	if err != nil {
		return Request{}, err
	}
	res.Department = r.Department
	if !auth.Allowed(actor, auth.ViewTouchRequest, res) {
		// Not "forbidden": an id edited in a URL reveals nothing.
		return Request{}, apperr.Errorf(apperr.NotFound, "no such touch request")
	}
	return r, nil
}

func itemsOf(ctx context.Context, q store.Queryer, requestIDs []int64) (map[int64][]Item, error) {
	out := map[int64][]Item{}
	if len(requestIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(requestIDs))
	for i, id := range requestIDs {
		args[i] = id
	}
	rows, err := q.Query(ctx, `SELECT request_id, id, field, period, label, answer, value, source, fact_id, recorded_at, answered_at
FROM touch_items WHERE request_id IN (`+placeholders(len(args))+`) ORDER BY request_id, position`, args...)
	if err != nil {
		return nil, fmt.Errorf("touch: read items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var req int64
		var it Item
		var field, answer, value, source sql.NullString
		var fact sql.NullInt64
		if err := rows.Scan(&req, &it.ID, &field, &it.Period, &it.Label, &answer, &value, &source, &fact,
			store.ScanTime(&it.RecordedAt), store.ScanTime(&it.AnsweredAt)); err != nil {
			return nil, fmt.Errorf("touch: read items: %w", err)
		}
		it.Field, it.Answer, it.Value, it.Source, it.FactID = field.String, Answer(answer.String), value.String, source.String, fact.Int64
		out[req] = append(out[req], it)
	}
	return out, rows.Err()
}

func placeholders(n int) string {
	if n == 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// RequestFilter selects requests to list.
type RequestFilter struct {
	EnterpriseID int64
	Department   string
	Status       Status
	Limit        int // 0: 200
}

// Requests lists the requests the principal may see, newest first.
func (s *Service) Requests(ctx context.Context, actor auth.Principal, f RequestFilter) ([]Request, error) {
	scope := auth.Scope(actor, auth.ViewTouchRequest, auth.Columns{Enterprise: "r.enterprise_id", Department: "r.department_code"})
	where, args := []string{scope.SQL}, append([]any(nil), scope.Args...)
	if f.EnterpriseID != 0 {
		where, args = append(where, "r.enterprise_id = ?"), append(args, f.EnterpriseID)
	}
	if f.Department != "" {
		where, args = append(where, "r.department_code = ?"), append(args, f.Department)
	}
	switch {
	case f.Status == StatusPending:
		// Written out, not bound: the partial index touch_requests_pending
		// serves only a query whose text says 'pending', as SQLite plans
		// without looking at bound values (store: the query-planner
		// stability guarantee); bound, the list scanned every request.
		where = append(where, "r.status = 'pending'")
	case f.Status != "":
		where, args = append(where, "r.status = ?"), append(args, string(f.Status))
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	var out []Request
	err := s.DB.InReadTx(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, "SELECT "+requestColumns+requestFrom+" WHERE "+strings.Join(where, " AND ")+
			fmt.Sprintf(" ORDER BY r.id DESC LIMIT %d", limit), args...)
		if err != nil {
			return fmt.Errorf("touch: list requests: %w", err)
		}
		var ids []int64
		for rows.Next() {
			r, err := scanRequest(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("touch: list requests: %w", err)
			}
			out = append(out, r)
			ids = append(ids, r.ID)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		items, err := itemsOf(ctx, tx, ids)
		for i := range out {
			out[i].Items = items[out[i].ID]
		}
		return err
	})
	return out, err
}
