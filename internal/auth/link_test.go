package auth

import (
	"context"
	"sync"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

func TestInvitationLink(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, db)
		u, err := s.CreateUser(ctx, System("test"), UserSpec{Login: "zhao@park.cn", Role: RoleLeader})
		if err != nil {
			t.Fatal(err)
		}
		token, expires, err := s.IssueLink(ctx, System("test"), u.ID, Invite)
		if err != nil {
			t.Fatal(err)
		}
		if got := expires.Sub(s.now()); got != s.Limits.InviteTTL {
			t.Errorf("invitation lasts %v, want %v", got, s.Limits.InviteTTL)
		}
		who, purpose, err := s.LinkUser(ctx, token)
		if err != nil || who.ID != u.ID || purpose != Invite {
			t.Fatalf("LinkUser = %+v, %s, %v", who, purpose, err)
		}
		// A weak password is refused without spending the link.
		if _, err := s.UseLink(ctx, token, "zhao@park.cn-1", ""); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("weak password through the link: %v", err)
		}
		if _, err := s.UseLink(ctx, token, testPassword, "192.0.2.3"); err != nil {
			t.Fatal(err)
		}
		mustLogin(t, s, "zhao@park.cn", testPassword)
		// The link is spent.
		if _, err := s.UseLink(ctx, token, "another good password", ""); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("second use of the link = %v, want not found", err)
		}
		mustLogin(t, s, "zhao@park.cn", testPassword)
	})
}

func TestResetLinkRules(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, clock := newTestService(t, db)
		u := mustCreateUser(t, s, UserSpec{Login: "zhang", Role: RoleOfficer, Password: testPassword})
		session, _ := mustLogin(t, s, "zhang", testPassword)

		expired, _, err := s.IssueLink(ctx, System("test"), u.ID, Reset)
		if err != nil {
			t.Fatal(err)
		}
		clock.advance(s.Limits.ResetTTL)
		if _, err := s.UseLink(ctx, expired, "a brand new password", ""); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("expired link = %v, want not found", err)
		}

		replaced, _, err := s.IssueLink(ctx, System("test"), u.ID, Reset)
		if err != nil {
			t.Fatal(err)
		}
		current, _, err := s.IssueLink(ctx, System("test"), u.ID, Reset)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UseLink(ctx, replaced, "a brand new password", ""); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("replaced link = %v, want not found", err)
		}
		if _, err := s.UseLink(ctx, current, "a brand new password", ""); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionPrincipal(ctx, session, ""); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Errorf("a session survived the reset: %v", err)
		}
		if _, err := s.UseLink(ctx, current, "yet another password", ""); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("reused link = %v, want not found", err)
		}
		mustLogin(t, s, "zhang", "a brand new password")

		for _, bad := range []string{"", "nope", newSecret()} {
			if _, err := s.UseLink(ctx, bad, "a brand new password", ""); apperr.CodeOf(err) != apperr.NotFound {
				t.Errorf("UseLink(%q) = %v, want not found", bad, err)
			}
		}
		if _, _, err := s.IssueLink(ctx, Principal{UserID: 99, Role: RoleOfficer}, u.ID, Reset); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("an officer issued a reset link: %v", err)
		}
	})
}

// TestResetLinkUsedOnceUnderRace: of several requests spending one link at
// once, exactly one succeeds.
func TestResetLinkUsedOnceUnderRace(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, db)
		u := mustCreateUser(t, s, UserSpec{Login: "zhang", Role: RoleOfficer, Password: testPassword})
		token, _, err := s.IssueLink(ctx, System("test"), u.ID, Reset)
		if err != nil {
			t.Fatal(err)
		}
		const racers = 4
		var wg sync.WaitGroup
		errs := make([]error, racers)
		for i := range racers {
			wg.Go(func() {
				_, errs[i] = s.UseLink(ctx, token, "racing password number "+string(rune('a'+i)), "")
			})
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case apperr.CodeOf(err) != apperr.NotFound:
				t.Errorf("a racer failed otherwise: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d racers set the password, want 1", won)
		}
		var n int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.password_set'").Scan(&n); err != nil || n != 1 {
			t.Errorf("%d password_set entries, %v", n, err)
		}
	})
}

func TestLinkForDisabledUser(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, db)
		u := mustCreateUser(t, s, UserSpec{Login: "zhang", Role: RoleOfficer})
		token, _, err := s.IssueLink(ctx, System("test"), u.ID, Reset)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetUserDisabled(ctx, System("test"), u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UseLink(ctx, token, "a brand new password", ""); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("a disabled user's link worked: %v", err)
		}
		if _, _, err := s.IssueLink(ctx, System("test"), u.ID, Reset); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("a link was issued for a disabled user: %v", err)
		}
	})
}
