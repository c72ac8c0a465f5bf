package auth

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

func TestAPITokenLifecycle(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, clock := newTestService(t, db)
		admin := Principal{UserID: 1, Label: "admin", Role: RoleAdmin}
		token, tok, err := s.CreateAPIToken(ctx, admin, APITokenSpec{Name: "tax-sync", Role: RoleDepartment, Department: "tax", ExpiresIn: 48 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		var stored int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM api_tokens WHERE token_hash = ? OR display_prefix = ?", token, token).Scan(&stored); err != nil || stored != 0 {
			t.Fatalf("the raw token is stored (%d, %v)", stored, err)
		}
		p, err := s.TokenPrincipal(ctx, "Bearer "+token, "192.0.2.9")
		if err != nil {
			t.Fatal(err)
		}
		if p.TokenID != tok.ID || p.Role != RoleDepartment || p.Department != "tax" || p.UserID != 0 || p.Label != "token:tax-sync" {
			t.Errorf("token principal = %+v", p)
		}
		// Use within a minute is not written again.
		clock.advance(10 * time.Second)
		if _, err := s.TokenPrincipal(ctx, token, ""); err != nil {
			t.Fatal(err)
		}
		list, err := s.ListAPITokens(ctx, admin)
		if err != nil || len(list) != 1 || !list[0].LastUsedAt.Equal(clock.now().Add(-10*time.Second)) {
			t.Fatalf("list = %+v, %v", list, err)
		}

		clock.advance(48 * time.Hour)
		for range 3 { // audited once, however often it is tried
			if _, err := s.TokenPrincipal(ctx, token, ""); apperr.CodeOf(err) != apperr.Unauthorized {
				t.Fatalf("expired token = %v, want unauthorized", err)
			}
		}

		token2, tok2, err := s.CreateAPIToken(ctx, admin, APITokenSpec{Name: "stats-bi", Role: RoleLeader})
		if err != nil {
			t.Fatal(err)
		}
		if got := tok2.ExpiresAt.Sub(tok2.CreatedAt); got != s.Limits.TokenTTL {
			t.Errorf("default lifetime %v, want %v", got, s.Limits.TokenTTL)
		}
		if err := s.RevokeAPIToken(ctx, admin, tok2.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeAPIToken(ctx, admin, tok2.ID); err != nil {
			t.Fatalf("second revocation: %v", err)
		}
		if _, err := s.TokenPrincipal(ctx, token2, ""); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("revoked token = %v, want unauthorized", err)
		}
		unknown, _ := newAPIToken()
		if _, err := s.TokenPrincipal(ctx, unknown, ""); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("unknown token = %v, want unauthorized", err)
		}
		want := []string{"api_token.create:success", "api_token.use:success", "api_token.use:failure",
			"api_token.create:success", "api_token.revoke:success", "api_token.use:failure"}
		if got := auditActions(t, db); !slices.Equal(got, want) {
			t.Errorf("audit log = %v, want %v", got, want)
		}
	})
}

func TestAPITokenSpecValidation(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, db)
		admin := Principal{UserID: 1, Label: "admin", Role: RoleAdmin}
		tests := []struct {
			name      string
			actor     Principal
			spec      APITokenSpec
			wantCode  apperr.Code
			wantField string
		}{
			{"admin role", admin, APITokenSpec{Name: "x", Role: RoleAdmin}, apperr.Invalid, "role"},
			{"enterprise role", admin, APITokenSpec{Name: "x", Role: RoleEnterprise}, apperr.Invalid, "role"},
			{"department without department", admin, APITokenSpec{Name: "x", Role: RoleDepartment}, apperr.Invalid, "department"},
			{"unknown department", admin, APITokenSpec{Name: "x", Role: RoleDepartment, Department: "nope"}, apperr.Invalid, "department or park"},
			{"no name", admin, APITokenSpec{Role: RoleOfficer}, apperr.Invalid, "name"},
			{"too long", admin, APITokenSpec{Name: "x", Role: RoleOfficer, ExpiresIn: 400 * 24 * time.Hour}, apperr.Invalid, "expires"},
			{"officer may not", Principal{UserID: 2, Role: RoleOfficer}, APITokenSpec{Name: "x", Role: RoleOfficer}, apperr.Forbidden, ""},
			{"a token may not", Principal{TokenID: 2, Role: RoleOfficer}, APITokenSpec{Name: "x", Role: RoleOfficer}, apperr.Forbidden, ""},
		}
		for _, tt := range tests {
			_, _, err := s.CreateAPIToken(ctx, tt.actor, tt.spec)
			if apperr.CodeOf(err) != tt.wantCode {
				t.Errorf("%s: code %s (%v), want %s", tt.name, apperr.CodeOf(err), err, tt.wantCode)
				continue
			}
			if p := apperr.ProblemsOf(err); tt.wantField != "" && (len(p) == 0 || p[0].Field != tt.wantField) {
				t.Errorf("%s: problems %+v, want one on %s", tt.name, p, tt.wantField)
			}
		}
	})
}
