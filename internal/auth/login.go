package auth

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Credentials are a sign-in attempt.
type Credentials struct {
	Login    string // normalised
	Password string
}

// ParseLoginForm reads the login and password fields of a sign-in form.
// The login is normalised; the password is taken as typed (only its
// length is limited), since a space or any character may be part of it.
func ParseLoginForm(form url.Values) (Credentials, error) {
	if len(form["login"]) > 1 || len(form["password"]) > 1 {
		return Credentials{}, apperr.InvalidInput("the sign-in form is not valid",
			apperr.Problem{Reason: "login and password must each be given once"})
	}
	c := Credentials{Login: NormalizeLogin(form.Get("login")), Password: form.Get("password")}
	var problems []apperr.Problem
	if c.Login == "" {
		problems = append(problems, apperr.Problem{Field: "login", Reason: "is required"})
	} else if !utf8.ValidString(c.Login) || utf8.RuneCountInString(c.Login) > MaxLoginLength || strings.ContainsFunc(c.Login, isControl) {
		problems = append(problems, apperr.Problem{Field: "login", Reason: "is not a login"})
	}
	if c.Password == "" {
		problems = append(problems, apperr.Problem{Field: "password", Reason: "is required"})
	} else if len(c.Password) > MaxPasswordBytes || !utf8.ValidString(c.Password) {
		problems = append(problems, apperr.Problem{Field: "password", Reason: "is not a password"})
	}
	if len(problems) > 0 {
		return Credentials{}, apperr.InvalidInput("the sign-in form is not valid", problems...)
	}
	return c, nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// errBadLogin is the one answer to an unknown login, a wrong password and
// a disabled account, so that nobody learns which logins exist.
var errBadLogin = apperr.Errorf(apperr.Unauthorized, "wrong login or password")

// LockoutError is the answer to a sign-in while the login or the address is
// locked out, or the login is slowed down: an apperr.Unauthorized error that
// also tells until when, for pages that word it themselves. It says the same
// for a login that exists and one that does not.
type LockoutError struct {
	Until time.Time
	err   *apperr.Error
}

func (e *LockoutError) Error() string { return e.err.Error() }
func (e *LockoutError) Unwrap() error { return e.err }

func lockedError(until time.Time) error {
	return &LockoutError{Until: until,
		err: apperr.Errorf(apperr.Unauthorized, "too many failed sign-ins: try again after %s UTC", until.Format("15:04:05"))}
}

// gate decides whether a sign-in of login from addr may be tried at now.
// It returns the refusal's reason and subject (refusals.go) and until when,
// or a zero until when the attempt may go on.
func (s *Service) gate(ctx context.Context, login, addr string, now time.Time) (key refusalKey, until time.Time, err error) {
	keys := []string{accountKey(login)}
	if addr != "" {
		keys = append(keys, addressKey(addr), pairKey(login, addr), knownKey(login, addr))
	}
	states, err := throttleStates(ctx, s.DB, keys...)
	if err != nil {
		return key, until, err
	}
	if addr != "" {
		if st := states[addressKey(addr)]; st.lockedUntil.After(now) {
			return refusalKey{"address_locked", addr}, st.lockedUntil, nil
		}
		if st := states[pairKey(login, addr)]; st.lockedUntil.After(now) {
			return refusalKey{"locked", login}, st.lockedUntil, nil
		}
	}
	if st := states[accountKey(login)]; st.lockedUntil.After(now) {
		known, ok := states[knownKey(login, addr)]
		if addr == "" || !ok || now.Sub(known.windowStart) >= s.Limits.KnownAddress {
			return refusalKey{"slowed", login}, st.lockedUntil, nil
		}
	}
	return key, until, nil
}

// Login checks credentials from clientAddr and opens a session, returning
// the cookie's token and the principal. Failures are counted per login and
// address, per address and per login (throttle.go) and may lock the first
// two out, or slow the third down, for a while; the attempt is audited
// either way, a refused one as part of a count (refusals.go).
func (s *Service) Login(ctx context.Context, c Credentials, clientAddr string) (string, Principal, error) {
	c.Login = NormalizeLogin(c.Login)
	now := s.now()
	attempt := Principal{Label: "login:" + c.Login, ClientAddr: clientAddr}
	refusal, until, err := s.gate(ctx, c.Login, clientAddr, now)
	if err != nil {
		return "", Principal{}, fmt.Errorf("auth: login: %w", err)
	}
	if !until.IsZero() {
		other := clientAddr
		if refusal.reason == "address_locked" {
			other = c.Login
		}
		if err := s.refuse(ctx, attempt, refusal, other, now); err != nil {
			return "", Principal{}, err
		}
		return "", Principal{}, lockedError(until)
	}

	u, hash, err := userByLogin(ctx, s.DB, c.Login)
	if err != nil && apperr.CodeOf(err) != apperr.NotFound {
		return "", Principal{}, fmt.Errorf("auth: login: %w", err)
	}
	known := err == nil
	ok, rehash := false, false
	if known && hash != "" {
		if ok, rehash, err = s.Hasher.Verify(c.Password, hash); err != nil {
			return "", Principal{}, fmt.Errorf("auth: login %s: %w", c.Login, err)
		}
	} else {
		// Spend the time a real verification takes.
		_, _, _ = s.Hasher.Verify(c.Password, s.dummy())
	}
	if !ok || u.Disabled {
		objectID := ""
		if known {
			objectID = strconv.FormatInt(u.ID, 10)
		}
		return "", Principal{}, s.signInFailed(ctx, attempt, "login", objectID, c.Login, now, errBadLogin)
	}

	p := Principal{UserID: u.ID, Label: u.Login, Role: u.Role, Department: u.Department,
		EnterpriseID: u.EnterpriseID, ParkID: u.ParkID, ClientAddr: clientAddr}
	var token string
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		if clientAddr != "" {
			if err := clearFailures(ctx, tx, pairKey(u.Login, clientAddr)); err != nil {
				return err
			}
			if err := rememberAddress(ctx, tx, u.Login, clientAddr, now); err != nil {
				return err
			}
		}
		if rehash {
			newHash, err := s.Hasher.Hash(c.Password)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "UPDATE users SET password_hash = ? WHERE id = ?", newHash, u.ID); err != nil {
				return err
			}
		}
		var sess Session
		var err error
		if token, sess, err = s.createSession(ctx, tx, u.ID, clientAddr, now); err != nil {
			return err
		}
		p.SessionID = sess.ID
		return Audit(ctx, tx, Entry{Actor: p, Action: "login", ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10),
			After: map[string]any{"rehashed": rehash}, At: now})
	})
	if err != nil {
		return "", Principal{}, fmt.Errorf("auth: login %s: %w", c.Login, err)
	}
	if p.Role == RoleCommissioner {
		if p.Portfolio, err = portfolio(ctx, s.DB, p.UserID); err != nil {
			return "", Principal{}, err
		}
	}
	return token, p, nil
}

// signInFailed counts a wrong password against the login from the actor's
// address, the address and the login, audits it as action, and returns the
// error to show: wrong, unless this failure locked the login at that
// address or the address. (It slowing the login down is not said: the
// next attempt finds it.)
func (s *Service) signInFailed(ctx context.Context, actor Principal, action, objectID, login string, now time.Time, wrong error) error {
	var locked time.Time
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		if _, err := recordFailure(ctx, tx, s.Limits.Account, accountKey(login), now); err != nil {
			return err
		}
		if addr := actor.ClientAddr; addr != "" {
			for _, k := range []struct {
				rule throttleRule
				key  string
			}{{s.Limits.Pair, pairKey(login, addr)}, {s.Limits.Address, addressKey(addr)}} {
				st, err := recordFailure(ctx, tx, k.rule, k.key, now)
				if err != nil {
					return err
				}
				if st.lockedUntil.After(locked) {
					locked = st.lockedUntil
				}
			}
		}
		return Audit(ctx, tx, Entry{Actor: actor, Action: action, ObjectType: "user", ObjectID: objectID, Outcome: Failure, At: now})
	})
	if err != nil {
		return fmt.Errorf("auth: record failed %s: %w", action, err)
	}
	if locked.After(now) {
		return lockedError(locked)
	}
	return wrong
}

// ChangePassword sets p's new password after checking the current one, and
// ends every other session of the user (a thief's, perhaps); p's own
// session goes on. A wrong current password counts as a failed sign-in.
func (s *Service) ChangePassword(ctx context.Context, p Principal, current, next string) error {
	if err := Can(p, ChangeOwnPassword, Resource{}); err != nil {
		return err
	}
	now := s.now()
	u, hash, err := scanUser(s.DB.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", p.UserID))
	if err != nil {
		return fmt.Errorf("auth: change password of user %d: %w", p.UserID, err)
	}
	if _, until, err := s.gate(ctx, u.Login, p.ClientAddr, now); err != nil {
		return err
	} else if !until.IsZero() {
		return lockedError(until)
	}
	ok := false
	if hash != "" {
		if ok, _, err = s.Hasher.Verify(current, hash); err != nil {
			return fmt.Errorf("auth: change password of user %d: %w", p.UserID, err)
		}
	}
	if !ok {
		return s.signInFailed(ctx, p, "user.password_change", strconv.FormatInt(u.ID, 10), u.Login, now,
			apperr.InvalidInput("the password was not changed", apperr.Problem{Field: "current_password", Reason: "is not your current password"}))
	}
	if err := CheckPasswordStrength(next, u.Login); err != nil {
		return err
	}
	newHash, err := s.Hasher.Hash(next)
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", newHash, store.FormatTime(now), u.ID); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = ? AND id <> ?", u.ID, p.SessionID)
		if err != nil {
			return err
		}
		ended, _ := res.RowsAffected()
		return Audit(ctx, tx, Entry{Actor: p, Action: "user.password_change", ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10),
			After: map[string]any{"other_sessions_ended": ended}, At: now})
	})
}
