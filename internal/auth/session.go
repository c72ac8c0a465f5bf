package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Session is a signed-in browser. The cookie holds a random token; the row
// is keyed by the token's hash.
type Session struct {
	ID         string // hex SHA-256 of the cookie's token
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // the absolute limit
}

// errSessionEnded is the answer to a session cookie that is unknown,
// expired or of a disabled user: sign in again.
var errSessionEnded = apperr.Errorf(apperr.Unauthorized, "your session has ended; please sign in again")

// createSession inserts a session for user in tx and returns the cookie's
// token.
func (s *Service) createSession(ctx context.Context, tx *store.Tx, userID int64, clientAddr string, now time.Time) (string, Session, error) {
	token := newSecret()
	sess := Session{ID: hashSecret(token), UserID: userID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.Limits.SessionAbsolute)}
	_, err := tx.Exec(ctx, `INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, client_addr)
	VALUES (?, ?, ?, ?, ?, ?)`, sess.ID, userID, store.FormatTime(now), store.FormatTime(now), store.FormatTime(sess.ExpiresAt), clientAddr)
	if err != nil {
		return "", Session{}, fmt.Errorf("auth: create session: %w", err)
	}
	return token, sess, nil
}

// SessionPrincipal returns the principal of a session cookie's token: the
// user as the database has it now (a changed role counts at once). It
// ends the session, and answers an Unauthorized error, when the session
// is unknown, idle longer than SessionIdle, older than SessionAbsolute, or
// its user is disabled; otherwise it slides the idle limit.
func (s *Service) SessionPrincipal(ctx context.Context, token, clientAddr string) (Principal, Session, error) {
	if !validSecret(token) {
		return Principal{}, Session{}, errSessionEnded
	}
	id := hashSecret(token)
	var (
		sess      = Session{ID: id}
		login     string
		role      string
		dept      sql.NullString
		ent, park sql.NullInt64
		disabled  bool
	)
	err := s.DB.QueryRow(ctx, `SELECT s.user_id, s.created_at, s.last_seen_at, s.expires_at,
	u.login, u.role, u.department_code, u.enterprise_id, u.park_id, u.disabled
	FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`, id).Scan(
		&sess.UserID, store.ScanTime(&sess.CreatedAt), store.ScanTime(&sess.LastSeenAt), store.ScanTime(&sess.ExpiresAt),
		&login, &role, &dept, &ent, &park, &disabled)
	if isNotFound(err) {
		return Principal{}, Session{}, errSessionEnded
	}
	if err != nil {
		return Principal{}, Session{}, fmt.Errorf("auth: load session: %w", err)
	}
	now := s.now()
	if disabled || !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) >= s.Limits.SessionIdle {
		if _, err := s.DB.Exec(ctx, "DELETE FROM sessions WHERE id = ?", id); err != nil {
			return Principal{}, Session{}, fmt.Errorf("auth: end session: %w", err)
		}
		return Principal{}, Session{}, errSessionEnded
	}
	if now.Sub(sess.LastSeenAt) >= s.Limits.SessionTouch {
		_, err := s.DB.Exec(ctx, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", store.FormatTime(now), id)
		switch {
		case err == nil:
			sess.LastSeenAt = now
		case errors.Is(err, store.ErrBusy):
			// Another writer holds the database: the touch waits for a
			// later request rather than failing this one, which reads.
		default:
			return Principal{}, Session{}, fmt.Errorf("auth: touch session: %w", err)
		}
	}
	p := Principal{
		UserID: sess.UserID, SessionID: id, Label: login, Role: Role(role), Department: dept.String,
		EnterpriseID: ent.Int64, ParkID: park.Int64, ClientAddr: clientAddr,
	}
	if p.Role == RoleCommissioner {
		if p.Portfolio, err = portfolio(ctx, s.DB, p.UserID); err != nil {
			return Principal{}, Session{}, err
		}
	}
	return p, sess, nil
}

// portfolio returns a commissioner's enterprises, sorted.
func portfolio(ctx context.Context, q store.Queryer, userID int64) ([]int64, error) {
	rows, err := q.Query(ctx, "SELECT enterprise_id FROM commissioner_enterprises WHERE user_id = ? ORDER BY enterprise_id", userID)
	if err != nil {
		return nil, fmt.Errorf("auth: load portfolio: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Logout ends p's session and records it.
func (s *Service) Logout(ctx context.Context, p Principal) error {
	if p.SessionID == "" {
		return nil
	}
	now := s.now()
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, "DELETE FROM sessions WHERE id = ?", p.SessionID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // already ended
		}
		return Audit(ctx, tx, Entry{Actor: p, Action: "logout", ObjectType: "user", ObjectID: strconv.FormatInt(p.UserID, 10), At: now})
	})
}

// Purge deletes what has expired: sessions past their limits, links a day
// after they expired, throttle rows nobody failed against for the forget
// period. Run it now and then; nothing depends on it for correctness.
func (s *Service) Purge(ctx context.Context) error {
	now := s.now()
	idleCut := store.FormatTime(now.Add(-s.Limits.SessionIdle))
	stmts := []struct {
		sql  string
		args []any
	}{
		{"DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?", []any{store.FormatTime(now), idleCut}},
		{"DELETE FROM auth_links WHERE expires_at <= ?", []any{store.FormatTime(now.Add(-24 * time.Hour))}},
		{"DELETE FROM login_throttle WHERE key NOT LIKE 'known:%' AND updated_at <= ? AND (locked_until IS NULL OR locked_until <= ?)",
			[]any{store.FormatTime(now.Add(-max(s.Limits.Pair.Forget, s.Limits.Address.Forget, s.Limits.Account.Window))), store.FormatTime(now)}},
		{"DELETE FROM login_throttle WHERE key LIKE 'known:%' AND updated_at <= ?", []any{store.FormatTime(now.Add(-s.Limits.KnownAddress))}},
	}
	for _, st := range stmts {
		if _, err := s.DB.Exec(ctx, st.sql, st.args...); err != nil {
			return fmt.Errorf("auth: purge: %w", err)
		}
	}
	return nil
}

// PurgeEvery runs Purge every interval until ctx ends, logging failures:
// the server calls it in the background.
func (s *Service) PurgeEvery(ctx context.Context, interval time.Duration, logger *slog.Logger) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := s.Purge(ctx); err != nil && ctx.Err() == nil {
				logger.Warn("purge of expired sessions failed", "err", err)
			}
		}
	}
}
