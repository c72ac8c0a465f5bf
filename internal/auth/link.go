package auth

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
)

// LinkPurpose says what a one-time link is for; both set a password.
type LinkPurpose string

// The purposes.
const (
	Invite LinkPurpose = "invite" // a new account's first password
	Reset  LinkPurpose = "reset"  // a forgotten password
)

// errBadLink is the one answer to a link that is unknown, used or expired.
var errBadLink = apperr.Errorf(apperr.NotFound, "this link is not valid: it was used already, has expired or was replaced by a newer one; ask an administrator for a new one")

// IssueLink makes a one-time link token for the user: an invitation lasts
// InviteTTL, a reset ResetTTL. Earlier unused links of the user stop
// working. The token is returned once; only its hash is kept.
func (s *Service) IssueLink(ctx context.Context, actor Principal, userID int64, purpose LinkPurpose) (string, time.Time, error) {
	if err := Can(actor, ManageUsers, Resource{}); err != nil {
		return "", time.Time{}, err
	}
	ttl := s.Limits.ResetTTL
	switch purpose {
	case Invite:
		ttl = s.Limits.InviteTTL
	case Reset:
	default:
		return "", time.Time{}, fmt.Errorf("auth: unknown link purpose %q", purpose)
	}
	now := s.now()
	expires := now.Add(ttl)
	token := newSecret()
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		u, err := userByID(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.Disabled {
			return apperr.Errorf(apperr.Conflict, "user %s is disabled: enable it first", u.Login)
		}
		if _, err := tx.Exec(ctx, "UPDATE auth_links SET expires_at = ? WHERE user_id = ? AND used_at IS NULL AND expires_at > ?",
			store.FormatTime(now), userID, store.FormatTime(now)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO auth_links (token_hash, user_id, purpose, created_by, created_at, expires_at)
	VALUES (?, ?, ?, ?, ?, ?)`, hashSecret(token), userID, string(purpose), actor.actorLabel(),
			store.FormatTime(now), store.FormatTime(expires)); err != nil {
			return err
		}
		return Audit(ctx, tx, Entry{Actor: actor, Action: "user.link_" + string(purpose), ObjectType: "user",
			ObjectID: strconv.FormatInt(userID, 10), After: map[string]any{"expires_at": expires}, At: now})
	})
	if err != nil {
		return "", time.Time{}, err
	}
	return token, expires, nil
}

// LinkUser returns the user a link token is for, and its purpose, without
// using it: the page that asks for the new password shows whose it is.
func (s *Service) LinkUser(ctx context.Context, token string) (User, LinkPurpose, error) {
	if !validSecret(token) {
		return User{}, "", errBadLink
	}
	var (
		userID  int64
		purpose string
	)
	err := s.DB.QueryRow(ctx, `SELECT user_id, purpose FROM auth_links
	WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`, hashSecret(token), store.FormatTime(s.now())).Scan(&userID, &purpose)
	if isNotFound(err) {
		return User{}, "", errBadLink
	}
	if err != nil {
		return User{}, "", fmt.Errorf("auth: read link: %w", err)
	}
	u, err := s.User(ctx, userID)
	if err != nil {
		return User{}, "", err
	}
	if u.Disabled {
		return User{}, "", errBadLink
	}
	return u, LinkPurpose(purpose), nil
}

// UseLink sets the password of the link's user and uses the link up, in
// one transaction: of two requests racing with one link, one wins and the
// other gets the invalid-link error. Every session of the user ends.
func (s *Service) UseLink(ctx context.Context, token, password, clientAddr string) (User, error) {
	u, purpose, err := s.LinkUser(ctx, token)
	if err != nil {
		return User{}, err
	}
	// Checked before the link is used, so that a weak password does not
	// spend it.
	if err := CheckPasswordStrength(password, u.Login); err != nil {
		return User{}, err
	}
	hash, err := s.Hasher.Hash(password)
	if err != nil {
		return User{}, err
	}
	now := s.now()
	actor := Principal{UserID: u.ID, Label: u.Login, Role: u.Role, ClientAddr: clientAddr}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		var userID int64
		err := tx.QueryRow(ctx, `UPDATE auth_links SET used_at = ?
	WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id`,
			store.FormatTime(now), hashSecret(token), store.FormatTime(now)).Scan(&userID)
		if isNotFound(err) || err == nil && userID != u.ID {
			return errBadLink
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ? AND NOT disabled",
			hash, store.FormatTime(now), u.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = ?", u.ID); err != nil {
			return err
		}
		// The login's own slow-down ends with a new password; its locks
		// per address run out by themselves.
		if err := clearFailures(ctx, tx, accountKey(u.Login)); err != nil {
			return err
		}
		return Audit(ctx, tx, Entry{Actor: actor, Action: "user.password_set", ObjectType: "user",
			ObjectID: strconv.FormatInt(u.ID, 10), After: map[string]any{"via": string(purpose)}, At: now})
	})
	if err != nil {
		return User{}, err
	}
	u.HasPassword = true
	return u, nil
}
