package auth

import (
	"context"
	"database/sql"
	"time"

	"github.com/parkdesk/parkdesk/internal/store"
)

// ThrottlePolicy limits failed sign-ins under one key (an account or a
// client address): MaxFailures failures within Window lock the key for
// Lockout, and each further lockout doubles it up to MaxLockout; Forget
// after a lockout ended without another, the doubling starts again.
type ThrottlePolicy struct {
	MaxFailures int
	Window      time.Duration
	Lockout     time.Duration
	MaxLockout  time.Duration
	Forget      time.Duration
}

// throttleState is one key's row.
type throttleState struct {
	failures    int
	windowStart time.Time
	lockedUntil time.Time // zero when never locked; kept after it passes
	lockouts    int
}

// afterFailure returns the state after one more failure at now.
func (pol ThrottlePolicy) afterFailure(st throttleState, now time.Time) throttleState {
	if now.Before(st.lockedUntil) {
		return st // a failure while locked (a race between instances) adds nothing
	}
	if !st.lockedUntil.IsZero() && now.Sub(st.lockedUntil) >= pol.Forget {
		st.lockouts = 0
	}
	if now.Sub(st.windowStart) >= pol.Window {
		st.failures, st.windowStart = 0, now
	}
	st.failures++
	if st.failures >= pol.MaxFailures {
		st.lockouts++
		st.lockedUntil = now.Add(pol.lockoutFor(st.lockouts))
		st.failures, st.windowStart = 0, now
	}
	return st
}

// lockoutFor returns the length of the nth lockout: Lockout doubled n-1
// times, at most MaxLockout.
func (pol ThrottlePolicy) lockoutFor(n int) time.Duration {
	d := pol.Lockout
	for i := 1; i < n && d < pol.MaxLockout; i++ {
		d *= 2
	}
	return min(d, pol.MaxLockout)
}

func accountKey(login string) string { return "account:" + login }
func addressKey(addr string) string  { return "addr:" + addr }

// lockedUntil returns the latest lockout among keys that has not passed at
// now, or the zero time.
func lockedUntil(ctx context.Context, q store.Queryer, now time.Time, keys ...string) (time.Time, error) {
	var until time.Time
	for _, key := range keys {
		var t time.Time
		err := q.QueryRow(ctx, "SELECT locked_until FROM login_throttle WHERE key = ?", key).Scan(store.ScanTime(&t))
		if err != nil && !isNotFound(err) {
			return time.Time{}, err
		}
		if t.After(now) && t.After(until) {
			until = t
		}
	}
	return until, nil
}

// recordFailure counts a failure against key in tx. The UPDATE that reads
// the row also locks it (PostgreSQL) or the database (SQLite), so that two
// instances counting at once do not lose a failure.
func recordFailure(ctx context.Context, tx *store.Tx, pol ThrottlePolicy, key string, now time.Time) (throttleState, error) {
	stamp := store.FormatTime(now)
	if _, err := tx.Exec(ctx, `INSERT INTO login_throttle (key, failures, window_start, lockouts, updated_at)
	VALUES (?, 0, ?, 0, ?) ON CONFLICT (key) DO NOTHING`, key, stamp, stamp); err != nil {
		return throttleState{}, err
	}
	var st throttleState
	if err := tx.QueryRow(ctx, `UPDATE login_throttle SET updated_at = ? WHERE key = ?
	RETURNING failures, window_start, locked_until, lockouts`, stamp, key).Scan(
		&st.failures, store.ScanTime(&st.windowStart), store.ScanTime(&st.lockedUntil), &st.lockouts); err != nil {
		return throttleState{}, err
	}
	st = pol.afterFailure(st, now)
	locked := sql.NullString{String: store.FormatTime(st.lockedUntil), Valid: !st.lockedUntil.IsZero()}
	_, err := tx.Exec(ctx, "UPDATE login_throttle SET failures = ?, window_start = ?, locked_until = ?, lockouts = ? WHERE key = ?",
		st.failures, store.FormatTime(st.windowStart), locked, st.lockouts, key)
	return st, err
}

// clearFailures forgets the failures of key after a successful sign-in.
func clearFailures(ctx context.Context, tx *store.Tx, key string) error {
	_, err := tx.Exec(ctx, "DELETE FROM login_throttle WHERE key = ?", key)
	return err
}
