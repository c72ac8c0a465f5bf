package auth

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/parkdesk/parkdesk/internal/store"
)

// Outcome is how an audited attempt ended.
type Outcome string

// The outcomes.
const (
	Success Outcome = "success"
	Failure Outcome = "failure" // it was tried and failed: a wrong password, a rejected token
	Denied  Outcome = "denied"  // authorization refused it
)

// Entry is one line of the audit log to write.
type Entry struct {
	// Actor is who did it; its label, user or token and client address are
	// copied into the entry.
	Actor Principal
	// Action says what happened, "domain.verb": "user.create", "login",
	// "facts.import", "export".
	Action     string
	ObjectType string // "user", "enterprise", "api_token" …
	ObjectID   string
	// Before and After are the object's state, marshalled to JSON; nil
	// leaves them empty (a creation has no before, a deletion no after).
	// Leave secrets out of them.
	Before, After any
	// Outcome defaults to Success.
	Outcome Outcome
	// At defaults to the wall clock; services with their own clock set it.
	At time.Time
}

// Audit appends e to the audit log. Call it with the transaction that makes
// the change, so that the change and its record commit or fail together.
// There is no function to change or delete an entry, and the database
// refuses to.
func Audit(ctx context.Context, q store.Queryer, e Entry) error {
	if e.Action == "" {
		return fmt.Errorf("auth: audit entry without an action")
	}
	if e.Outcome == "" {
		e.Outcome = Success
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	before, err := auditJSON(e.Before)
	if err != nil {
		return fmt.Errorf("auth: audit %s: before: %w", e.Action, err)
	}
	after, err := auditJSON(e.After)
	if err != nil {
		return fmt.Errorf("auth: audit %s: after: %w", e.Action, err)
	}
	_, err = q.Exec(ctx, `INSERT INTO audit_log
	(at, actor_user_id, actor_token_id, actor_label, action, object_type, object_id, before_json, after_json, client_addr, outcome)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		store.FormatTime(e.At), nullID(e.Actor.UserID), nullID(e.Actor.TokenID), e.Actor.actorLabel(),
		e.Action, e.ObjectType, e.ObjectID, before, after, e.Actor.ClientAddr, string(e.Outcome))
	if err != nil {
		return fmt.Errorf("auth: audit %s: %w", e.Action, err)
	}
	return nil
}

func auditJSON(v any) (sql.NullString, error) {
	if v == nil {
		return sql.NullString{}, nil
	}
	if raw, ok := v.(json.RawMessage); ok {
		if raw == nil {
			return sql.NullString{}, nil
		}
		return sql.NullString{String: string(raw), Valid: true}, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return sql.NullString{}, err
	}
	return sql.NullString{String: string(b), Valid: true}, nil
}

func nullID(id int64) sql.NullInt64 {
	return sql.NullInt64{Int64: id, Valid: id != 0}
}
