package auth

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

func TestLoginFailuresLookAlike(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, db)
		mustCreateUser(t, s, UserSpec{Login: "zhang@park.cn", Role: RoleOfficer, Password: "violet sky over hangzhou"})
		off := mustCreateUser(t, s, UserSpec{Login: "li@park.cn", Role: RoleOfficer, Password: "violet sky over hangzhou"})
		if err := s.SetUserDisabled(ctx, System("test"), off.ID, true); err != nil {
			t.Fatal(err)
		}
		invited, err := s.CreateUser(ctx, System("test"), UserSpec{Login: "new@park.cn", Role: RoleLeader})
		if err != nil {
			t.Fatal(err)
		}
		if invited.HasPassword {
			t.Fatal("an invited user has a password")
		}
		tests := []struct {
			name, login, password string
		}{
			{"unknown login", "nobody@park.cn", "violet sky over hangzhou"},
			{"wrong password", "zhang@park.cn", "violet sky over shanghai"},
			{"disabled account with its password", "li@park.cn", "violet sky over hangzhou"},
			{"invited account without a password", "new@park.cn", "anything at all here"},
		}
		for _, tt := range tests {
			_, _, err := s.Login(ctx, Credentials{Login: tt.login, Password: tt.password}, "")
			if apperr.CodeOf(err) != apperr.Unauthorized || apperr.MessageOf(err) != "wrong login or password" {
				t.Errorf("%s: Login = %v, want the common unauthorized message", tt.name, err)
			}
		}
	})
}

func TestLoginOpensASessionAndAudits(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, db)
		u := mustCreateUser(t, s, UserSpec{Login: "Zhang@Park.cn", DisplayName: "张三", Role: RoleDepartment, Department: "tax", Password: "violet sky over hangzhou"})
		if _, _, err := s.Login(ctx, Credentials{Login: "zhang@park.cn", Password: "nope nope nope"}, "192.0.2.7"); err == nil {
			t.Fatal("wrong password accepted")
		}
		token, p, err := s.Login(ctx, Credentials{Login: "zhang@park.cn", Password: "violet sky over hangzhou"}, "192.0.2.7")
		if err != nil {
			t.Fatal(err)
		}
		if p.UserID != u.ID || p.Role != RoleDepartment || p.Department != "tax" || p.SessionID != hashSecret(token) {
			t.Errorf("principal = %+v", p)
		}
		got, _, err := s.SessionPrincipal(ctx, token, "192.0.2.7")
		if err != nil || got.UserID != u.ID || got.Label != "zhang@park.cn" {
			t.Fatalf("SessionPrincipal = %+v, %v", got, err)
		}
		var stored int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM sessions WHERE id = ?", token).Scan(&stored); err != nil || stored != 0 {
			t.Errorf("the raw session token is stored (%d rows, %v)", stored, err)
		}
		want := []string{"user.create:success", "login:failure", "login:success"}
		if got := auditActions(t, db); !slices.Equal(got, want) {
			t.Errorf("audit log = %v, want %v", got, want)
		}
		var label, addr, objectID string
		if err := db.QueryRow(ctx, "SELECT actor_label, client_addr, object_id FROM audit_log WHERE action = 'login' AND outcome = 'failure'").Scan(&label, &addr, &objectID); err != nil {
			t.Fatal(err)
		}
		if label != "login:zhang@park.cn" || addr != "192.0.2.7" || objectID == "" {
			t.Errorf("failed login audited as %q from %q on %q", label, addr, objectID)
		}
	})
}

func TestLoginUpgradesTheHash(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, db)
		u := mustCreateUser(t, s, UserSpec{Login: "zhang", Role: RoleOfficer, Password: "violet sky over hangzhou"})
		s.Hasher.Params.Time = 2 // the park raised its cost
		mustLogin(t, s, "zhang", "violet sky over hangzhou")
		var hash string
		if err := db.QueryRow(ctx, "SELECT password_hash FROM users WHERE id = ?", u.ID).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(hash, "t=2") {
			t.Errorf("hash %q was not upgraded to t=2", hash)
		}
		mustLogin(t, s, "zhang", "violet sky over hangzhou")
	})
}

// TestLoginThrottling: failures lock the login at the address they come
// from, not everywhere: its owner, at another address, signs in (issue 11,
// point 6).
func TestLoginThrottling(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, clock := newTestService(t, db)
		mustCreateUser(t, s, UserSpec{Login: "zhang", Role: RoleOfficer, Password: "violet sky over hangzhou"})
		fail := func(addr string) error {
			_, _, err := s.Login(ctx, Credentials{Login: "zhang", Password: "wrong password!"}, addr)
			return err
		}
		good := func(addr string) error {
			_, _, err := s.Login(ctx, Credentials{Login: "zhang", Password: "violet sky over hangzhou"}, addr)
			return err
		}
		for i := 1; i < 5; i++ {
			if err := fail("192.0.2.1"); apperr.MessageOf(err) != "wrong login or password" {
				t.Fatalf("failure %d: %v", i, err)
			}
		}
		if err := fail("192.0.2.1"); !strings.Contains(apperr.MessageOf(err), "too many failed sign-ins") {
			t.Fatalf("the fifth failure did not lock: %v", err)
		}
		// Locked at that address: even the right password is refused there.
		if err := good("192.0.2.1"); !strings.Contains(apperr.MessageOf(err), "too many failed sign-ins") {
			t.Fatalf("right password from the locked address: %v", err)
		}
		// Not elsewhere: the owner signs in from the office.
		if err := good("198.51.100.9"); err != nil {
			t.Fatalf("right password from another address during the lockout: %v", err)
		}
		clock.advance(15 * time.Minute)
		if err := good("192.0.2.1"); err != nil {
			t.Fatalf("after the lockout: %v", err)
		}
		// A success forgot the failures at that address.
		for i := 1; i < 5; i++ {
			if err := fail("192.0.2.1"); apperr.MessageOf(err) != "wrong login or password" {
				t.Fatalf("failure %d after success: %v", i, err)
			}
		}
	})
}

// TestAccountSlowDown: failures from many addresses slow the login down
// for unknown addresses instead of locking it; the addresses it signed in
// from before are not slowed (issue 11, point 6).
func TestAccountSlowDown(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, clock := newTestService(t, db)
		mustCreateUser(t, s, UserSpec{Login: "admin", Role: RoleAdmin, Password: "violet sky over hangzhou"})
		login := func(password, addr string) error {
			_, _, err := s.Login(ctx, Credentials{Login: "admin", Password: password}, addr)
			return err
		}
		if err := login("violet sky over hangzhou", "10.0.0.1"); err != nil {
			t.Fatal(err) // the admin's own desk
		}
		// A botnet: one guess from each of 30 addresses. Past ten, the
		// login is slowed: the guesses are refused unseen.
		refused := 0
		for i := range 30 {
			err := login("guess "+string(rune('a'+i))+" password", "10.1.0."+string(rune('0'+i/10))+string(rune('0'+i%10)))
			switch msg := apperr.MessageOf(err); {
			case strings.Contains(msg, "too many failed sign-ins"):
				refused++
			case msg != "wrong login or password":
				t.Fatalf("guess %d: %v", i, err)
			}
		}
		if refused < 15 {
			t.Errorf("%d of 30 guesses refused, want the login slowed down after 10", refused)
		}
		// A new address waits its turn, even with the right password…
		if err := login("violet sky over hangzhou", "10.2.0.1"); !strings.Contains(apperr.MessageOf(err), "too many failed sign-ins") {
			t.Errorf("right password from a new address while slowed down: %v", err)
		}
		// …the admin at a known address does not.
		if err := login("violet sky over hangzhou", "10.0.0.1"); err != nil {
			t.Fatalf("right password from the admin's known address while slowed down: %v", err)
		}
		// The wait is seconds, doubling up to a minute: never a lockout.
		var lock *LockoutError
		if err := login("violet sky over hangzhou", "10.2.0.1"); !errors.As(err, &lock) || lock.Until.Sub(clock.now()) > time.Minute {
			t.Fatalf("slowed: %v", err)
		}
		clock.advance(lock.Until.Sub(clock.now()))
		if err := login("violet sky over hangzhou", "10.2.0.1"); err != nil {
			t.Errorf("right password from a new address once the wait passed: %v", err)
		}
	})
}

// TestRefusalsAggregated: sign-ins refused at a locked login are audited
// once when they start and then as one entry per window with their count,
// not once each (issue 11, point 6).
func TestRefusalsAggregated(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, clock := newTestService(t, db)
		mustCreateUser(t, s, UserSpec{Login: "admin", Role: RoleAdmin, Password: "violet sky over hangzhou"})
		for range 5 {
			_, _, _ = s.Login(ctx, Credentials{Login: "admin", Password: "wrong password!"}, "203.0.113.9")
		}
		refusals := func() []string {
			t.Helper()
			rows, err := db.Query(ctx, "SELECT after_json FROM audit_log WHERE action = 'login' AND after_json LIKE '%locked%' ORDER BY id")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var a string
				if err := rows.Scan(&a); err != nil {
					t.Fatal(err)
				}
				out = append(out, a)
			}
			return out
		}
		for i := range 500 {
			_, _, err := s.Login(ctx, Credentials{Login: "admin", Password: "violet sky over hangzhou"}, "203.0.113.9")
			if !strings.Contains(apperr.MessageOf(err), "too many failed sign-ins") {
				t.Fatalf("attempt %d at the locked login: %v", i, err)
			}
			clock.advance(100 * time.Millisecond)
		}
		if got := refusals(); len(got) != 1 {
			t.Fatalf("500 refusals wrote %d entries, want the first alone until the window ends", len(got))
		}
		// The next refusal after the window writes the window's count and
		// starts a new window.
		clock.advance(5 * time.Minute)
		_, _, _ = s.Login(ctx, Credentials{Login: "admin", Password: "violet sky over hangzhou"}, "203.0.113.9")
		got := refusals()
		if len(got) != 3 || !strings.Contains(got[1], `"repeated":499`) || !strings.Contains(got[1], `"addresses":["203.0.113.9"]`) {
			t.Fatalf("entries %v, want the first, the count of the 499 others, the next window's first", got)
		}
		if err := s.FlushRefusals(ctx, true); err != nil || len(refusals()) != 3 {
			t.Fatalf("a flush with nothing counted wrote an entry (%v)", err)
		}
	})
}

func TestLockoutDoubles(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, clock := newTestService(t, db)
		lockFor := func() time.Duration {
			t.Helper()
			for i := 0; i < s.Limits.Pair.MaxFailures; i++ {
				_, _, _ = s.Login(ctx, Credentials{Login: "ghost", Password: "wrong password!"}, "192.0.2.44")
			}
			until, err := lockedUntil(ctx, db, clock.now(), pairKey("ghost", "192.0.2.44"))
			if err != nil {
				t.Fatal(err)
			}
			return until.Sub(clock.now())
		}
		// Unknown logins are throttled as existing ones are.
		for _, want := range []time.Duration{15 * time.Minute, 30 * time.Minute, time.Hour} {
			if got := lockFor(); got != want {
				t.Fatalf("lockout = %v, want %v", got, want)
			}
			clock.advance(want)
		}
		clock.advance(24 * time.Hour) // a quiet day forgets the lockouts
		if got := lockFor(); got != 15*time.Minute {
			t.Fatalf("lockout after a quiet day = %v, want 15m", got)
		}
	})
}

func TestAddressThrottling(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, db)
		mustCreateUser(t, s, UserSpec{Login: "zhang", Role: RoleOfficer, Password: "violet sky over hangzhou"})
		// Spraying many logins from one address: each account stays below
		// its limit, the address reaches its own.
		for i := 0; i < s.Limits.Address.MaxFailures; i++ {
			_, _, _ = s.Login(ctx, Credentials{Login: "user" + string(rune('a'+i)), Password: "wrong password!"}, "203.0.113.5")
		}
		_, _, err := s.Login(ctx, Credentials{Login: "zhang", Password: "violet sky over hangzhou"}, "203.0.113.5")
		if !strings.Contains(apperr.MessageOf(err), "too many failed sign-ins") {
			t.Fatalf("login from the locked address: %v", err)
		}
		if _, _, err := s.Login(ctx, Credentials{Login: "zhang", Password: "violet sky over hangzhou"}, "198.51.100.9"); err != nil {
			t.Fatalf("login from another address: %v", err)
		}
	})
}

func TestThrottlePolicyAfterFailure(t *testing.T) {
	pol := ThrottlePolicy{MaxFailures: 3, Window: 10 * time.Minute, Lockout: time.Minute, MaxLockout: 4 * time.Minute, Forget: time.Hour}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name         string
		st           throttleState
		at           time.Duration
		wantFailures int
		wantLockouts int
		wantLocked   time.Duration // after t0+at; 0 when not locked by this failure
	}{
		{"first failure", throttleState{windowStart: t0}, 0, 1, 0, 0},
		{"reaches the limit", throttleState{failures: 2, windowStart: t0}, time.Minute, 0, 1, time.Minute},
		{"window passed", throttleState{failures: 2, windowStart: t0}, 10 * time.Minute, 1, 0, 0},
		{"second lockout doubles", throttleState{failures: 2, windowStart: t0, lockouts: 1, lockedUntil: t0}, time.Minute, 0, 2, 2 * time.Minute},
		{"capped", throttleState{failures: 2, windowStart: t0, lockouts: 5, lockedUntil: t0}, time.Minute, 0, 6, 4 * time.Minute},
		{"forgotten after quiet", throttleState{failures: 2, windowStart: t0.Add(2 * time.Hour), lockouts: 5, lockedUntil: t0}, 2 * time.Hour, 0, 1, time.Minute},
		{"while locked nothing changes", throttleState{failures: 0, windowStart: t0, lockouts: 1, lockedUntil: t0.Add(time.Hour)}, time.Minute, 0, 1, 59 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := t0.Add(tt.at)
			got := pol.afterFailure(tt.st, now)
			if got.failures != tt.wantFailures || got.lockouts != tt.wantLockouts {
				t.Errorf("failures, lockouts = %d, %d; want %d, %d", got.failures, got.lockouts, tt.wantFailures, tt.wantLockouts)
			}
			var locked time.Duration
			if got.lockedUntil.After(now) {
				locked = got.lockedUntil.Sub(now)
			}
			if locked != tt.wantLocked {
				t.Errorf("locked for %v, want %v", locked, tt.wantLocked)
			}
		})
	}
}
