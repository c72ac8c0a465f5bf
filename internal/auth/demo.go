package auth

import (
	"context"
	"crypto/rand"
	"fmt"

	"github.com/parkdesk/parkdesk/internal/store"
)

// DemoOptions says whom the demo logins speak for.
type DemoOptions struct {
	// Department is the department user's department code ("tax" shows
	// confidential tax fields being owned).
	Department string
	// EnterpriseID is the enterprise the liaison speaks for.
	EnterpriseID int64
	// Portfolio is the commissioner's enterprises.
	Portfolio []int64
}

// DemoLogin is one printed demo login.
type DemoLogin struct {
	Role     Role
	Login    string
	Password string
}

// CreateDemoUsers makes one login per role with a random password, and
// returns them for the demo command to print. Only the demo calls it: a
// real park creates its admin with `parkdesk user add` and invites the
// others.
func CreateDemoUsers(ctx context.Context, db *store.DB, opts DemoOptions) ([]DemoLogin, error) {
	return NewService(db).CreateDemoUsers(ctx, opts)
}

// CreateDemoUsers is the package function with this service's clock and
// hasher.
func (s *Service) CreateDemoUsers(ctx context.Context, opts DemoOptions) ([]DemoLogin, error) {
	if opts.Department == "" {
		opts.Department = "tax"
	}
	actor := System("demo")
	specs := []UserSpec{
		{Login: "admin", DisplayName: "演示管理员 Demo admin", Role: RoleAdmin},
		{Login: "officer", DisplayName: "经发局 演示干部 Demo officer", Role: RoleOfficer},
		{Login: "dept-" + opts.Department, DisplayName: "部门演示用户 Demo department user", Role: RoleDepartment, Department: opts.Department},
		{Login: "commissioner", DisplayName: "服务专员 Demo commissioner", Role: RoleCommissioner},
		{Login: "liaison", DisplayName: "企业联络员 Demo liaison", Role: RoleEnterprise, EnterpriseID: opts.EnterpriseID},
		{Login: "leader", DisplayName: "园区领导 Demo leader", Role: RoleLeader},
	}
	var out []DemoLogin
	for _, spec := range specs {
		if spec.Role == RoleEnterprise && opts.EnterpriseID == 0 {
			continue // no enterprise to speak for
		}
		spec.Password = demoPassword()
		u, err := s.CreateUser(ctx, actor, spec)
		if err != nil {
			return nil, fmt.Errorf("auth: demo user %s: %w", spec.Login, err)
		}
		if u.Role == RoleCommissioner {
			err := s.DB.InTx(ctx, func(tx *store.Tx) error {
				for _, id := range opts.Portfolio {
					if _, err := tx.Exec(ctx, `INSERT INTO commissioner_enterprises (user_id, enterprise_id, assigned_at)
	VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, u.ID, id, store.FormatTime(s.now())); err != nil {
						return err
					}
				}
				return Audit(ctx, tx, Entry{Actor: actor, Action: "portfolio.assign", ObjectType: "user",
					ObjectID: fmt.Sprint(u.ID), After: map[string]any{"enterprises": opts.Portfolio}, At: s.now()})
			})
			if err != nil {
				return nil, fmt.Errorf("auth: demo portfolio: %w", err)
			}
		}
		out = append(out, DemoLogin{Role: u.Role, Login: u.Login, Password: spec.Password})
	}
	return out, nil
}

// demoPassword returns 12 random base32 characters (60 bits): easy to
// type from a terminal, impossible to guess.
func demoPassword() string {
	return rand.Text()[:12]
}
