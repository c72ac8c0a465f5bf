package auth

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/formula"
	"github.com/parkdesk/parkdesk/internal/store"
)

// AuditRecord is one stored entry of the audit log.
type AuditRecord struct {
	ID           int64           `json:"id"`
	At           time.Time       `json:"at"`
	ActorUserID  int64           `json:"actor_user_id,omitempty"`
	ActorTokenID int64           `json:"actor_token_id,omitempty"`
	ActorLabel   string          `json:"actor"`
	Action       string          `json:"action"`
	ObjectType   string          `json:"object_type,omitempty"`
	ObjectID     string          `json:"object_id,omitempty"`
	Before       json.RawMessage `json:"before,omitempty"`
	After        json.RawMessage `json:"after,omitempty"`
	ClientAddr   string          `json:"client_addr,omitempty"`
	Outcome      Outcome         `json:"outcome"`
}

// AuditFilter selects entries; empty fields do not filter.
type AuditFilter struct {
	Actor      string    // the actor's label, exactly ("zhang@park.cn", "token:tax-sync")
	Action     string    // exactly, or a prefix ending in "." ("user." for every user change)
	ObjectType string    // exactly
	ObjectID   string    // exactly
	From, To   time.Time // From inclusive, To exclusive
	// BeforeID pages backwards: entries older than this id.
	BeforeID int64
	// Limit caps a page (default 100, at most 1000); the CSV export ignores it.
	Limit int
}

func (f AuditFilter) where() (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	add := func(cond string, arg any) {
		conds = append(conds, cond)
		args = append(args, arg)
	}
	if f.Actor != "" {
		add("actor_label = ?", f.Actor)
	}
	if prefix, ok := strings.CutSuffix(f.Action, "."); ok && prefix != "" {
		// A range instead of LIKE: no escaping, and the index serves it.
		add("action >= ?", prefix+".")
		add("action < ?", prefix+"/") // '/' follows '.' in byte order
	} else if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.ObjectType != "" {
		add("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		add("object_id = ?", f.ObjectID)
	}
	if !f.From.IsZero() {
		add("at >= ?", store.FormatTime(f.From))
	}
	if !f.To.IsZero() {
		add("at < ?", store.FormatTime(f.To))
	}
	if f.BeforeID > 0 {
		add("id < ?", f.BeforeID)
	}
	return strings.Join(conds, " AND "), args
}

// describe returns the filter's set fields, for the export's own entry.
func (f AuditFilter) describe() map[string]string {
	out := map[string]string{}
	for k, v := range map[string]string{"actor": f.Actor, "action": f.Action, "object_type": f.ObjectType, "object_id": f.ObjectID} {
		if v != "" {
			out[k] = v
		}
	}
	if !f.From.IsZero() {
		out["from"] = store.FormatTime(f.From)
	}
	if !f.To.IsZero() {
		out["to"] = store.FormatTime(f.To)
	}
	return out
}

const auditColumns = "id, at, actor_user_id, actor_token_id, actor_label, action, object_type, object_id, before_json, after_json, client_addr, outcome"

// AuditLog returns a page of entries matching f, newest first.
func (s *Service) AuditLog(ctx context.Context, actor Principal, f AuditFilter) ([]AuditRecord, error) {
	if err := Can(actor, ViewAudit, Resource{}); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	where, args := f.where()
	rows, err := s.DB.Query(ctx, "SELECT "+auditColumns+" FROM audit_log WHERE "+where+" ORDER BY id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("auth: read audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditRecord
	for rows.Next() {
		r, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ExportAuditCSV writes every entry matching f to w as CSV, oldest first,
// streaming, and audits the export itself.
func (s *Service) ExportAuditCSV(ctx context.Context, actor Principal, f AuditFilter, w io.Writer) error {
	if err := Can(actor, ViewAudit, Resource{}); err != nil {
		return err
	}
	if err := Audit(ctx, s.DB, Entry{Actor: actor, Action: "audit.export", ObjectType: "audit_log", After: f.describe(), At: s.now()}); err != nil {
		return err
	}
	where, args := f.where()
	rows, err := s.DB.Query(ctx, "SELECT "+auditColumns+" FROM audit_log WHERE "+where+" ORDER BY id", args...)
	if err != nil {
		return fmt.Errorf("auth: read audit log: %w", err)
	}
	defer rows.Close()
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"id", "at", "actor", "actor_user_id", "actor_token_id", "action", "object_type", "object_id",
		"outcome", "client_addr", "before", "after"}); err != nil {
		return err
	}
	for rows.Next() {
		r, err := scanAudit(rows)
		if err != nil {
			return err
		}
		rec := []string{strconv.FormatInt(r.ID, 10), store.FormatTime(r.At), r.ActorLabel, idText(r.ActorUserID),
			idText(r.ActorTokenID), r.Action, r.ObjectType, r.ObjectID, string(r.Outcome), r.ClientAddr,
			string(r.Before), string(r.After)}
		for i := range rec {
			// A login or a failed sign-in's name is text someone else typed.
			rec[i] = formula.Neutralize(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

func scanAudit(row scanner) (AuditRecord, error) {
	var (
		r             AuditRecord
		user, token   sql.NullInt64
		before, after sql.NullString
		outcome       string
	)
	err := row.Scan(&r.ID, store.ScanTime(&r.At), &user, &token, &r.ActorLabel, &r.Action, &r.ObjectType, &r.ObjectID,
		&before, &after, &r.ClientAddr, &outcome)
	if err != nil {
		return AuditRecord{}, fmt.Errorf("auth: read audit entry: %w", err)
	}
	r.ActorUserID, r.ActorTokenID, r.Outcome = user.Int64, token.Int64, Outcome(outcome)
	if before.Valid {
		r.Before = json.RawMessage(before.String)
	}
	if after.Valid {
		r.After = json.RawMessage(after.String)
	}
	return r, nil
}
