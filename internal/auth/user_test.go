package auth

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

func TestCreateUserValidation(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, db)
		ent := mustCreateEnterprise(t, db, "示例", 0)
		mustCreateUser(t, s, UserSpec{Login: "taken", Role: RoleOfficer})
		tests := []struct {
			name      string
			actor     Principal
			spec      UserSpec
			wantCode  apperr.Code
			wantField string
		}{
			{"ok liaison", System("t"), UserSpec{Login: "liaison@ent.cn", Role: RoleEnterprise, EnterpriseID: ent}, "", ""},
			{"ok department", System("t"), UserSpec{Login: "tax-1", Role: RoleDepartment, Department: "tax"}, "", ""},
			{"login taken, other case", System("t"), UserSpec{Login: "TAKEN", Role: RoleOfficer}, apperr.Conflict, ""},
			{"login with a space", System("t"), UserSpec{Login: "zhang san", Role: RoleOfficer}, apperr.Invalid, "login"},
			{"no login", System("t"), UserSpec{Role: RoleOfficer}, apperr.Invalid, "login"},
			{"unknown role", System("t"), UserSpec{Login: "x1", Role: "root"}, apperr.Invalid, "role"},
			{"department without a department", System("t"), UserSpec{Login: "x2", Role: RoleDepartment}, apperr.Invalid, "department"},
			{"unknown department", System("t"), UserSpec{Login: "x3", Role: RoleDepartment, Department: "nope"}, apperr.Invalid, "department"},
			{"liaison without an enterprise", System("t"), UserSpec{Login: "x4", Role: RoleEnterprise}, apperr.Invalid, "enterprise"},
			{"liaison of a missing enterprise", System("t"), UserSpec{Login: "x5", Role: RoleEnterprise, EnterpriseID: 999999}, apperr.Invalid, "enterprise"},
			{"officer with an enterprise", System("t"), UserSpec{Login: "x6", Role: RoleOfficer, EnterpriseID: ent}, apperr.Invalid, "enterprise"},
			{"missing park", System("t"), UserSpec{Login: "x7", Role: RoleOfficer, ParkID: 999999}, apperr.Invalid, "park"},
			{"weak first password", System("t"), UserSpec{Login: "x8", Role: RoleAdmin, Password: "password123"}, apperr.Invalid, "password"},
			{"not an admin", Principal{UserID: 5, Role: RoleOfficer}, UserSpec{Login: "x9", Role: RoleOfficer}, apperr.Forbidden, ""},
			{"anonymous", Principal{}, UserSpec{Login: "x10", Role: RoleOfficer}, apperr.Unauthorized, ""},
		}
		for _, tt := range tests {
			_, err := s.CreateUser(ctx, tt.actor, tt.spec)
			if tt.wantCode == "" {
				if err != nil {
					t.Errorf("%s: %v", tt.name, err)
				}
				continue
			}
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

func TestUserChangesAreAudited(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, db)
		admin := Principal{UserID: 1000, Label: "root@park.cn", Role: RoleAdmin, ClientAddr: "192.0.2.1"}
		u, err := s.CreateUser(ctx, admin, UserSpec{Login: "zhang", Role: RoleOfficer, Password: testPassword})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateUser(ctx, admin, u.ID, UserSpec{DisplayName: "张三", Role: RoleLeader}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetUserDisabled(ctx, admin, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := s.SetUserDisabled(ctx, admin, u.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.IssueLink(ctx, admin, u.ID, Reset); err != nil {
			t.Fatal(err)
		}
		want := []string{"user.create:success", "user.update:success", "user.disable:success", "user.enable:success", "user.link_reset:success"}
		if got := auditActions(t, db); !slices.Equal(got, want) {
			t.Fatalf("audit log = %v, want %v", got, want)
		}
		recs, err := s.AuditLog(ctx, admin, AuditFilter{Action: "user.update"})
		if err != nil || len(recs) != 1 {
			t.Fatalf("AuditLog = %v, %v", recs, err)
		}
		r := recs[0]
		var before, after map[string]any
		if err := json.Unmarshal(r.Before, &before); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(r.After, &after); err != nil {
			t.Fatal(err)
		}
		if before["role"] != "officer" || after["role"] != "leader" || after["display_name"] != "张三" {
			t.Errorf("before %v, after %v", before, after)
		}
		if r.ActorLabel != "root@park.cn" || r.ActorUserID != 1000 || r.ClientAddr != "192.0.2.1" || r.ObjectType != "user" {
			t.Errorf("entry = %+v", r)
		}
		// No password hash in the log, ever.
		var leaked int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE before_json LIKE '%argon2%' OR after_json LIKE '%argon2%'").Scan(&leaked); err != nil || leaked != 0 {
			t.Errorf("%d audit entries hold a password hash (%v)", leaked, err)
		}
	})
}

func TestAdminCannotDisableItself(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestService(t, db)
		u := mustCreateUser(t, s, UserSpec{Login: "root", Role: RoleAdmin})
		err := s.SetUserDisabled(context.Background(), Principal{UserID: u.ID, Role: RoleAdmin}, u.ID, true)
		if apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("SetUserDisabled(self) = %v, want conflict", err)
		}
	})
}

func TestNormalizeLogin(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Zhang@Park.CN ", "zhang@park.cn"},
		{"ＺＨＡＮＧ", "zhang"}, // full-width
		{"张三", "张三"},
	}
	for _, tt := range tests {
		if got := NormalizeLogin(tt.in); got != tt.want {
			t.Errorf("NormalizeLogin(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
