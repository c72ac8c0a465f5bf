package auth

import (
	"context"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

const testPassword = "violet sky over hangzhou"

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		steps []time.Duration // the clock moves by each, with a request after each
		alive bool            // after the last step
	}{
		{"used within the idle limit", []time.Duration{29 * time.Minute}, true},
		{"idle too long", []time.Duration{30 * time.Minute}, false},
		{"idle limit slides with use", []time.Duration{20 * time.Minute, 20 * time.Minute, 20 * time.Minute}, true},
		{"absolute limit holds however used", repeat(25*time.Minute, 29), false}, // 12h05m
		{"just under the absolute limit", repeat(25*time.Minute, 28), true},      // 11h40m
	}
	// One database for the cases: each signs in afresh at the clock's time.
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, clock := newTestService(t, db)
		mustCreateUser(t, s, UserSpec{Login: "zhang", Role: RoleOfficer, Password: testPassword})
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				token, _ := mustLogin(t, s, "zhang", testPassword)
				var err error
				for i, step := range tt.steps {
					clock.advance(step)
					_, _, err = s.SessionPrincipal(ctx, token, "")
					if err != nil && i < len(tt.steps)-1 {
						t.Fatalf("step %d: session ended early: %v", i, err)
					}
				}
				if tt.alive && err != nil {
					t.Fatalf("session ended: %v", err)
				}
				if !tt.alive {
					if apperr.CodeOf(err) != apperr.Unauthorized {
						t.Fatalf("SessionPrincipal = %v, want unauthorized", err)
					}
					var n int
					if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM sessions WHERE id = ?", hashSecret(token)).Scan(&n); err != nil || n != 0 {
						t.Errorf("an ended session is still stored (%d, %v)", n, err)
					}
				}
			})
		}
	})
}

func repeat(d time.Duration, n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d
	}
	return out
}

func TestSessionTokenShapes(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestService(t, db)
		for _, token := range []string{"", "abc", newSecret(), newSecret() + "x", "' OR 1=1 --"} {
			if _, _, err := s.SessionPrincipal(context.Background(), token, ""); apperr.CodeOf(err) != apperr.Unauthorized {
				t.Errorf("SessionPrincipal(%q) = %v, want unauthorized", token, err)
			}
		}
	})
}

func TestLogout(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, db)
		mustCreateUser(t, s, UserSpec{Login: "zhang", Role: RoleOfficer, Password: testPassword})
		token, p := mustLogin(t, s, "zhang", testPassword)
		other, _ := mustLogin(t, s, "zhang", testPassword)
		if err := s.Logout(ctx, p); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionPrincipal(ctx, token, ""); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Errorf("the session lives after logout: %v", err)
		}
		if _, _, err := s.SessionPrincipal(ctx, other, ""); err != nil {
			t.Errorf("logout ended another browser's session: %v", err)
		}
		if err := s.Logout(ctx, p); err != nil {
			t.Errorf("a second logout: %v", err)
		}
		got := auditActions(t, db)
		if got[len(got)-1] != "logout:success" || got[len(got)-2] != "login:success" {
			t.Errorf("audit log = %v, want one logout at the end", got)
		}
	})
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, db)
		mustCreateUser(t, s, UserSpec{Login: "zhang", Role: RoleOfficer, Password: testPassword})
		mine, p := mustLogin(t, s, "zhang", testPassword)
		thief, _ := mustLogin(t, s, "zhang", testPassword)

		err := s.ChangePassword(ctx, p, "not my password", "a new strong password")
		if apperr.CodeOf(err) != apperr.Invalid || apperr.ProblemsOf(err)[0].Field != "current_password" {
			t.Fatalf("change with a wrong current password = %v", err)
		}
		err = s.ChangePassword(ctx, p, testPassword, "short")
		if apperr.CodeOf(err) != apperr.Invalid || apperr.ProblemsOf(err)[0].Field != "password" {
			t.Fatalf("change to a weak password = %v", err)
		}
		if err := s.ChangePassword(ctx, p, testPassword, "a new strong password"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionPrincipal(ctx, mine, ""); err != nil {
			t.Errorf("the changing session ended: %v", err)
		}
		if _, _, err := s.SessionPrincipal(ctx, thief, ""); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Errorf("another session survived the password change: %v", err)
		}
		if _, _, err := s.Login(ctx, Credentials{Login: "zhang", Password: testPassword}, ""); err == nil {
			t.Error("the old password still works")
		}
		mustLogin(t, s, "zhang", "a new strong password")
		// API tokens cannot change a password: they have no account.
		if err := s.ChangePassword(ctx, Principal{TokenID: 1, Role: RoleOfficer}, testPassword, "whatever it is now"); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a token changed a password: %v", err)
		}
	})
}

func TestDisablingEndsSessionsAndRoleChangesApplyAtOnce(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, db)
		u := mustCreateUser(t, s, UserSpec{Login: "zhang", Role: RoleOfficer, Password: testPassword})
		token, _ := mustLogin(t, s, "zhang", testPassword)
		if _, err := s.UpdateUser(ctx, System("test"), u.ID, UserSpec{DisplayName: "Zhang", Role: RoleLeader}); err != nil {
			t.Fatal(err)
		}
		p, _, err := s.SessionPrincipal(ctx, token, "")
		if err != nil || p.Role != RoleLeader {
			t.Fatalf("after the role change the session is %+v, %v", p, err)
		}
		if err := s.SetUserDisabled(ctx, System("test"), u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionPrincipal(ctx, token, ""); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Errorf("a disabled user's session lives: %v", err)
		}
	})
}

func TestCommissionerSessionCarriesThePortfolio(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, db)
		e1 := mustCreateEnterprise(t, db, "一号", 0)
		e2 := mustCreateEnterprise(t, db, "二号", 0)
		u := mustCreateUser(t, s, UserSpec{Login: "wang", Role: RoleCommissioner, Password: testPassword})
		if _, err := db.Exec(ctx, "INSERT INTO commissioner_enterprises (user_id, enterprise_id, assigned_at) VALUES (?, ?, ?)",
			u.ID, e2, store.FormatTime(time.Now())); err != nil {
			t.Fatal(err)
		}
		token, p := mustLogin(t, s, "wang", testPassword)
		if !Allowed(p, ViewEnterprise, Enterprise(e2, 0)) || Allowed(p, ViewEnterprise, Enterprise(e1, 0)) {
			t.Errorf("after login the portfolio is %v", p.Portfolio)
		}
		p, _, err := s.SessionPrincipal(ctx, token, "")
		if err != nil || len(p.Portfolio) != 1 || p.Portfolio[0] != e2 {
			t.Errorf("the session's portfolio is %v, %v", p.Portfolio, err)
		}
	})
}

func TestPurge(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, clock := newTestService(t, db)
		mustCreateUser(t, s, UserSpec{Login: "zhang", Role: RoleOfficer, Password: testPassword})
		mustLogin(t, s, "zhang", testPassword)
		_, _, _ = s.Login(ctx, Credentials{Login: "ghost", Password: "wrong password!"}, "")
		clock.advance(25 * time.Hour)
		fresh, _ := mustLogin(t, s, "zhang", testPassword)
		if err := s.Purge(ctx); err != nil {
			t.Fatal(err)
		}
		var sessions, throttles int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM sessions").Scan(&sessions); err != nil {
			t.Fatal(err)
		}
		// The addresses logins signed in from are kept a month.
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM login_throttle WHERE key NOT LIKE 'known:%'").Scan(&throttles); err != nil {
			t.Fatal(err)
		}
		if sessions != 1 || throttles != 0 {
			t.Errorf("after purge: %d sessions, %d throttle rows; want 1, 0", sessions, throttles)
		}
		if _, _, err := s.SessionPrincipal(ctx, fresh, ""); err != nil {
			t.Errorf("purge ended a live session: %v", err)
		}
		clock.advance(s.Limits.KnownAddress)
		if err := s.Purge(ctx); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM login_throttle").Scan(&throttles); err != nil || throttles != 0 {
			t.Errorf("a month later %d throttle rows (%v), want none", throttles, err)
		}
	})
}
