package auth

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
)

// APIToken is a token as listed: never the token itself.
type APIToken struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	Prefix     string    `json:"prefix"` // "pdk_" and 8 characters, to recognise it
	Role       Role      `json:"role"`
	Department string    `json:"department,omitempty"`
	ParkID     int64     `json:"park_id,omitempty"`
	CreatedBy  string    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
}

// APITokenSpec is what an admin gives to create a token.
type APITokenSpec struct {
	Name       string `json:"name"`
	Role       Role   `json:"role"`
	Department string `json:"department,omitempty"`
	ParkID     int64  `json:"park_id,omitempty"`
	// ExpiresIn is the lifetime; 0 is Limits.TokenTTL.
	ExpiresIn time.Duration `json:"-"`
}

func (t APIToken) auditView() map[string]any {
	return map[string]any{"name": t.Name, "prefix": t.Prefix, "role": t.Role, "department": t.Department,
		"park_id": t.ParkID, "expires_at": t.ExpiresAt, "revoked_at": t.RevokedAt}
}

// CreateAPIToken makes a token and returns it with its listing. The token
// is shown this once; the database keeps its hash.
func (s *Service) CreateAPIToken(ctx context.Context, actor Principal, spec APITokenSpec) (string, APIToken, error) {
	if err := Can(actor, ManageTokens, Resource{}); err != nil {
		return "", APIToken{}, err
	}
	spec.Name = strings.TrimSpace(spec.Name)
	spec.Department = strings.TrimSpace(spec.Department)
	if spec.ExpiresIn == 0 {
		spec.ExpiresIn = s.Limits.TokenTTL
	}
	var problems []apperr.Problem
	if spec.Name == "" || len(spec.Name) > 100 {
		problems = append(problems, apperr.Problem{Field: "name", Reason: "is required, at most 100 bytes"})
	}
	if !slices.Contains(tokenRoles, spec.Role) {
		problems = append(problems, apperr.Problem{Field: "role", Reason: "an API token's role is officer, department or leader"})
	}
	if spec.Role == RoleDepartment && spec.Department == "" {
		problems = append(problems, apperr.Problem{Field: "department", Reason: "a department token needs a department"})
	}
	if spec.ExpiresIn < 0 || spec.ExpiresIn > s.Limits.TokenMaxTTL {
		problems = append(problems, apperr.Problem{Field: "expires", Reason: fmt.Sprintf("must be between 1 and %d days", int(s.Limits.TokenMaxTTL.Hours()/24))})
	}
	if len(problems) > 0 {
		return "", APIToken{}, apperr.InvalidInput("the API token is not valid", problems...)
	}
	now := s.now()
	token, prefix := newAPIToken()
	t := APIToken{Name: spec.Name, Prefix: prefix, Role: spec.Role, Department: spec.Department, ParkID: spec.ParkID,
		CreatedBy: actor.actorLabel(), CreatedAt: now, ExpiresAt: now.Add(spec.ExpiresIn)}
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO api_tokens
	(name, display_prefix, token_hash, role, department_code, park_id, created_by, created_at, expires_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			t.Name, t.Prefix, hashSecret(token), string(t.Role), nullString(t.Department), nullID(t.ParkID),
			t.CreatedBy, store.FormatTime(now), store.FormatTime(t.ExpiresAt)).Scan(&t.ID)
		if isReferenced(err) {
			return apperr.InvalidInput("the API token is not valid", apperr.Problem{Field: "department or park", Reason: "does not exist"})
		}
		if err != nil {
			return err
		}
		return Audit(ctx, tx, Entry{Actor: actor, Action: "api_token.create", ObjectType: "api_token",
			ObjectID: strconv.FormatInt(t.ID, 10), After: t.auditView(), At: now})
	})
	if err != nil {
		return "", APIToken{}, err
	}
	return token, t, nil
}

// ListAPITokens returns every token, newest first.
func (s *Service) ListAPITokens(ctx context.Context, actor Principal) ([]APIToken, error) {
	if err := Can(actor, ManageTokens, Resource{}); err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, "SELECT "+tokenColumns+" FROM api_tokens ORDER BY id DESC")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken stops a token at once. Revoking a revoked token is a
// no-op that keeps the first revocation's time.
func (s *Service) RevokeAPIToken(ctx context.Context, actor Principal, id int64) error {
	if err := Can(actor, ManageTokens, Resource{}); err != nil {
		return err
	}
	now := s.now()
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		before, err := scanToken(tx.QueryRow(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE id = ?", id))
		if isNotFound(err) {
			return apperr.Errorf(apperr.NotFound, "no API token %d", id)
		}
		if err != nil {
			return err
		}
		if !before.RevokedAt.IsZero() {
			return nil
		}
		if _, err := tx.Exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", store.FormatTime(now), id); err != nil {
			return err
		}
		after := before
		after.RevokedAt = now
		return Audit(ctx, tx, Entry{Actor: actor, Action: "api_token.revoke", ObjectType: "api_token",
			ObjectID: strconv.FormatInt(id, 10), Before: before.auditView(), After: after.auditView(), At: now})
	})
}

// TokenPrincipal returns the principal of an API token from an
// Authorization header's value. An expired or revoked token is refused and
// the refusal audited; a malformed or unknown one is refused without a
// record (there is nobody to name, and noise costs the log). Use is
// recorded in last_used_at, and audited, at most once per SessionTouch.
func (s *Service) TokenPrincipal(ctx context.Context, header, clientAddr string) (Principal, error) {
	token, err := ParseAPIToken(header)
	if err != nil {
		return Principal{}, err
	}
	t, err := scanToken(s.DB.QueryRow(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE token_hash = ?", hashSecret(token)))
	if isNotFound(err) {
		return Principal{}, errBadToken
	}
	if err != nil {
		return Principal{}, fmt.Errorf("auth: read API token: %w", err)
	}
	now := s.now()
	p := Principal{TokenID: t.ID, Label: "token:" + t.Name, Role: t.Role, Department: t.Department, ParkID: t.ParkID, ClientAddr: clientAddr}
	if !t.RevokedAt.IsZero() || !now.Before(t.ExpiresAt) {
		if err := s.auditRefusedToken(ctx, p, t, now); err != nil {
			return Principal{}, err
		}
		return Principal{}, errBadToken
	}
	if t.LastUsedAt.IsZero() || now.Sub(t.LastUsedAt) >= s.Limits.SessionTouch {
		err := s.DB.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.Exec(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", store.FormatTime(now), t.ID); err != nil {
				return err
			}
			return Audit(ctx, tx, Entry{Actor: p, Action: "api_token.use", ObjectType: "api_token", ObjectID: strconv.FormatInt(t.ID, 10), At: now})
		})
		if err != nil {
			return Principal{}, fmt.Errorf("auth: record API token use: %w", err)
		}
	}
	return p, nil
}

// auditRefusedToken records the use of an expired or revoked token, once
// a SessionTouch per token: a forgotten cron job retrying every second
// should not fill the log with the same line.
func (s *Service) auditRefusedToken(ctx context.Context, p Principal, t APIToken, now time.Time) error {
	id := strconv.FormatInt(t.ID, 10)
	var n int
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE object_type = 'api_token' AND object_id = ?
	AND at > ? AND action = 'api_token.use' AND outcome = 'failure'`, id, store.FormatTime(now.Add(-s.Limits.SessionTouch))).Scan(&n)
	if err != nil || n > 0 {
		return err
	}
	reason := "expired"
	if !t.RevokedAt.IsZero() {
		reason = "revoked"
	}
	return Audit(ctx, s.DB, Entry{Actor: p, Action: "api_token.use", ObjectType: "api_token", ObjectID: id,
		After: map[string]string{"reason": reason}, Outcome: Failure, At: now})
}

const tokenColumns = "id, name, display_prefix, role, department_code, park_id, created_by, created_at, expires_at, last_used_at, revoked_at"

func scanToken(row scanner) (APIToken, error) {
	var (
		t    APIToken
		role string
		dept sql.NullString
		park sql.NullInt64
	)
	err := row.Scan(&t.ID, &t.Name, &t.Prefix, &role, &dept, &park, &t.CreatedBy, store.ScanTime(&t.CreatedAt),
		store.ScanTime(&t.ExpiresAt), store.ScanTime(&t.LastUsedAt), store.ScanTime(&t.RevokedAt))
	t.Role, t.Department, t.ParkID = Role(role), dept.String, park.Int64
	return t, err
}
