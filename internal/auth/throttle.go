package auth

import (
	"context"
	"database/sql"
	"time"

	"github.com/parkdesk/parkdesk/internal/store"
)

// Failed sign-ins are throttled under three keys, so that guessing is slow
// and nobody can lock someone else out:
//
//   - a login from one client address (pair): a few failures lock that
//     pair out for a while, doubling; the same login from another address,
//     its owner's, is not affected;
//   - a client address (addr): more failures, over any logins, lock the
//     address out, against one machine spraying many logins;
//   - a login from anywhere (account): never a lockout, which would let
//     anyone lock out the administrator by typing wrong passwords; once it
//     has failed more than a handful of times, from however many addresses,
//     each further attempt must wait a few seconds, doubling up to a minute
//     — except from an address the login has signed in from before, so
//     that its owner signs in as usual during an attack.
//
// The counters are rows of login_throttle, so that the throttle holds
// across instances.

// ThrottlePolicy limits failed sign-ins under one key (a login from an
// address, or an address): MaxFailures failures within Window lock the key
// for Lockout, and each further lockout doubles it up to MaxLockout; Forget
// after a lockout ended without another, the doubling starts again.
type ThrottlePolicy struct {
	MaxFailures int
	Window      time.Duration
	Lockout     time.Duration
	MaxLockout  time.Duration
	Forget      time.Duration
}

// SlowDown spaces the sign-ins to a login that keeps failing: after After
// failures within Window, from any addresses, the next attempt waits
// Delay, doubling with each further failure up to MaxDelay.
type SlowDown struct {
	After    int
	Window   time.Duration
	Delay    time.Duration
	MaxDelay time.Duration
}

// throttleState is one key's row.
type throttleState struct {
	failures    int
	windowStart time.Time
	lockedUntil time.Time // zero when never locked; kept after it passes
	lockouts    int
}

// throttleRule turns a key's state into the state after one more failure.
type throttleRule interface {
	afterFailure(st throttleState, now time.Time) throttleState
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

// afterFailure counts a failure and, past After, sets when the next
// attempt may come (lockedUntil, which here is a wait, not a lockout).
func (sd SlowDown) afterFailure(st throttleState, now time.Time) throttleState {
	if now.Sub(st.windowStart) >= sd.Window {
		st.failures, st.windowStart = 0, now
	}
	st.failures++
	if st.failures >= sd.After {
		d := sd.Delay
		for i := sd.After; i < st.failures && d < sd.MaxDelay; i++ {
			d *= 2
		}
		st.lockedUntil = now.Add(min(d, sd.MaxDelay))
	}
	return st
}

// The keys of login_throttle. An address holds no space, so that the
// login after it may hold anything.
func pairKey(login, addr string) string  { return "pair:" + addr + " " + login }
func addressKey(addr string) string      { return "addr:" + addr }
func accountKey(login string) string     { return "account:" + login }
func knownKey(login, addr string) string { return "known:" + addr + " " + login }

// throttleStates reads the rows of keys; a key without a row is absent.
func throttleStates(ctx context.Context, q store.Queryer, keys ...string) (map[string]throttleState, error) {
	out := make(map[string]throttleState, len(keys))
	for _, key := range keys {
		var st throttleState
		err := q.QueryRow(ctx, "SELECT failures, window_start, locked_until, lockouts FROM login_throttle WHERE key = ?", key).Scan(
			&st.failures, store.ScanTime(&st.windowStart), store.ScanTime(&st.lockedUntil), &st.lockouts)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[key] = st
	}
	return out, nil
}

// lockedUntil returns the latest lockout among keys that has not passed at
// now, or the zero time.
func lockedUntil(ctx context.Context, q store.Queryer, now time.Time, keys ...string) (time.Time, error) {
	states, err := throttleStates(ctx, q, keys...)
	if err != nil {
		return time.Time{}, err
	}
	var until time.Time
	for _, st := range states {
		if st.lockedUntil.After(now) && st.lockedUntil.After(until) {
			until = st.lockedUntil
		}
	}
	return until, nil
}

// recordFailure counts a failure against key in tx. The UPDATE that reads
// the row also locks it (PostgreSQL) or the database (SQLite), so that two
// instances counting at once do not lose a failure.
func recordFailure(ctx context.Context, tx *store.Tx, rule throttleRule, key string, now time.Time) (throttleState, error) {
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
	st = rule.afterFailure(st, now)
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

// rememberAddress records that the login signed in from addr at now: for
// KnownAddress after it, the account's slow-down does not apply there.
func rememberAddress(ctx context.Context, tx *store.Tx, login, addr string, now time.Time) error {
	stamp := store.FormatTime(now)
	_, err := tx.Exec(ctx, `INSERT INTO login_throttle (key, failures, window_start, lockouts, updated_at)
	VALUES (?, 0, ?, 0, ?) ON CONFLICT (key) DO UPDATE SET window_start = excluded.window_start, updated_at = excluded.updated_at`,
		knownKey(login, addr), stamp, stamp)
	return err
}
