package auth

import (
	"context"
	"testing"

	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

func TestCreateDemoUsers(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, db)
		ent := mustCreateEnterprise(t, db, "示例", 0)
		logins, err := s.CreateDemoUsers(ctx, DemoOptions{EnterpriseID: ent, Portfolio: []int64{ent}})
		if err != nil {
			t.Fatal(err)
		}
		roles := map[Role]bool{}
		for _, l := range logins {
			roles[l.Role] = true
			_, p := mustLogin(t, s, l.Login, l.Password)
			if p.Role != l.Role {
				t.Errorf("%s signs in as %s", l.Login, p.Role)
			}
			if l.Role == RoleCommissioner && !Allowed(p, ViewEnterprise, Enterprise(ent, 0)) {
				t.Error("the demo commissioner does not see its portfolio")
			}
			if l.Role == RoleEnterprise && p.EnterpriseID != ent {
				t.Error("the demo liaison speaks for another enterprise")
			}
		}
		for _, r := range Roles {
			if !roles[r] {
				t.Errorf("no demo login for %s", r)
			}
		}
	})
}
