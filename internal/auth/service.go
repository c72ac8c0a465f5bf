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
	// Account and Address throttle failed sign-ins per login and per
	// client address.
	Account, Address ThrottlePolicy
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
	// Five wrong passwords in 15 minutes lock the account for 15 minutes,
	// then 30, 60 … up to a day; a day without a lockout forgets them.
	Account: ThrottlePolicy{MaxFailures: 5, Window: 15 * time.Minute, Lockout: 15 * time.Minute, MaxLockout: 24 * time.Hour, Forget: 24 * time.Hour},
	// An address gets more tries: a government office signs in from behind
	// one NAT address.
	Address: ThrottlePolicy{MaxFailures: 20, Window: 15 * time.Minute, Lockout: 15 * time.Minute, MaxLockout: 24 * time.Hour, Forget: 24 * time.Hour},
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
