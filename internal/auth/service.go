package auth

import (
	"sync"
	"time"

	"github.com/parkdesk/parkdesk/internal/store"
)

// Limits are the time limits and thresholds of authentication.
type Limits struct {
	// SessionIdle ends a session nobody used for this long (sliding).
	SessionIdle time.Duration
	// SessionAbsolute ends a session this long after sign-in, used or not.
	SessionAbsolute time.Duration
	// SessionTouch is how stale last_seen_at may get before a request
	// writes it again: one write a minute per user instead of one per
	// request, at the price of an idle limit up to this much longer.
	SessionTouch time.Duration
	InviteTTL    time.Duration
	ResetTTL     time.Duration
	// TokenTTL is the default lifetime of an API token, TokenMaxTTL the
	// longest one may be given.
	TokenTTL, TokenMaxTTL time.Duration
	// Pair throttles failed sign-ins of a login from one client address,
	// Address those from one address over all logins (throttle.go).
	Pair, Address ThrottlePolicy
	// Account slows down the sign-ins to a login that fails from many
	// addresses, except from addresses it signed in from within
	// KnownAddress.
	Account      SlowDown
	KnownAddress time.Duration
	// RefusalWindow is how often repeated refusals of one kind are
	// audited, as one entry with their count (refusals.go).
	RefusalWindow time.Duration
}

// DefaultLimits are the limits of a park's deployment.
var DefaultLimits = Limits{
	SessionIdle:     30 * time.Minute,
	SessionAbsolute: 12 * time.Hour,
	SessionTouch:    time.Minute,
	InviteTTL:       7 * 24 * time.Hour,
	ResetTTL:        time.Hour,
	TokenTTL:        90 * 24 * time.Hour,
	TokenMaxTTL:     366 * 24 * time.Hour,
	// Five wrong passwords in 15 minutes lock the login from that address
	// for 15 minutes, then 30, 60 … up to a day; a day without a lockout
	// forgets them.
	Pair: ThrottlePolicy{MaxFailures: 5, Window: 15 * time.Minute, Lockout: 15 * time.Minute, MaxLockout: 24 * time.Hour, Forget: 24 * time.Hour},
	// An address gets more tries: a government office signs in from behind
	// one NAT address.
	Address: ThrottlePolicy{MaxFailures: 20, Window: 15 * time.Minute, Lockout: 15 * time.Minute, MaxLockout: 24 * time.Hour, Forget: 24 * time.Hour},
	// Ten failures of a login within 15 minutes, from anywhere, space its
	// next attempts 2 s, 4 s … up to a minute apart: a few dozen guesses
	// an hour, however many addresses guess.
	Account:       SlowDown{After: 10, Window: 15 * time.Minute, Delay: 2 * time.Second, MaxDelay: time.Minute},
	KnownAddress:  30 * 24 * time.Hour,
	RefusalWindow: 5 * time.Minute,
}

// Service is authentication on a database: accounts, sessions, links,
// throttling and API tokens. Its fields are its configuration; tests set
// Now to a clock they move and Hasher to cheap parameters.
type Service struct {
	DB     *store.DB
	Now    func() time.Time
	Hasher Hasher
	Limits Limits

	// dummyHash is verified against when the login does not exist, so that
	// an unknown login costs as much time as a wrong password.
	dummyOnce sync.Once
	dummyHash string

	refusals refusalLog // counts of refused sign-ins (refusals.go)
}

// NewService returns a service on db with the default limits, argon2
// parameters and the wall clock.
func NewService(db *store.DB) *Service {
	return &Service{DB: db, Now: time.Now, Hasher: Hasher{Params: DefaultArgon2}, Limits: DefaultLimits}
}

func (s *Service) now() time.Time {
	return s.Now().UTC().Truncate(time.Millisecond)
}

func (s *Service) dummy() string {
	s.dummyOnce.Do(func() {
		h, err := s.Hasher.Hash("parkdesk dummy password for unknown logins")
		if err == nil {
			s.dummyHash = h
		}
	})
	return s.dummyHash
}
