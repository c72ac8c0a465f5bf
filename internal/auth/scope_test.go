package auth

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// TestScopeMatchesCan holds the SQL filter of every action to Can: over a
// table of rows (enterprise × department), the rows Scope keeps are exactly
// those Can allows one by one, for every principal of every role.
func TestScopeMatchesCan(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, db)
		park1 := mustCreatePark(t, db, "p1")
		park2 := mustCreatePark(t, db, "p2")
		a := mustCreateEnterprise(t, db, "A", park1)
		b := mustCreateEnterprise(t, db, "B", park1)
		c := mustCreateEnterprise(t, db, "C", park2)
		d := mustCreateEnterprise(t, db, "D without a park", 0)
		parkOf := map[int64]int64{a: park1, b: park1, c: park2, d: 0}
		comm := mustCreateUser(t, s, UserSpec{Login: "comm", Role: RoleCommissioner})
		for _, e := range []int64{a, c} {
			if _, err := db.Exec(ctx, "INSERT INTO commissioner_enterprises (user_id, enterprise_id, assigned_at) VALUES (?, ?, ?)",
				comm.ID, e, store.FormatTime(time.Now())); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Exec(ctx, "CREATE TABLE scope_probe (id INTEGER PRIMARY KEY, enterprise_id INTEGER NOT NULL, department_code TEXT NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		type probe struct {
			id, enterprise int64
			dept           string
		}
		var probes []probe
		for _, e := range []int64{a, b, c, d} {
			for _, dept := range []string{"tax", "stats"} {
				p := probe{id: int64(len(probes) + 1), enterprise: e, dept: dept}
				probes = append(probes, p)
				if _, err := db.Exec(ctx, "INSERT INTO scope_probe (id, enterprise_id, department_code) VALUES (?, ?, ?)", p.id, p.enterprise, p.dept); err != nil {
					t.Fatal(err)
				}
			}
		}
		principals := map[string]Principal{
			"anonymous":    {},
			"admin":        {UserID: 100, Role: RoleAdmin},
			"officer":      {UserID: 101, Role: RoleOfficer},
			"officerPark2": {UserID: 102, Role: RoleOfficer, ParkID: park2},
			"deptTax":      {UserID: 103, Role: RoleDepartment, Department: "tax"},
			"deptTaxPark1": {UserID: 104, Role: RoleDepartment, Department: "tax", ParkID: park1},
			"commissioner": {UserID: comm.ID, Role: RoleCommissioner, Portfolio: []int64{a, c}},
			"liaisonB":     {UserID: 105, Role: RoleEnterprise, EnterpriseID: b},
			"leader":       {UserID: 106, Role: RoleLeader},
			"tokenTax":     {TokenID: 1, Role: RoleDepartment, Department: "tax"},
			"system":       System("test"),
		}
		for name, p := range principals {
			for _, action := range Actions() {
				f := Scope(p, action, Columns{Enterprise: "enterprise_id", Department: "department_code"})
				rows, err := db.Query(ctx, "SELECT id FROM scope_probe WHERE "+f.SQL+" ORDER BY id", f.Args...)
				if err != nil {
					t.Fatalf("%s %s: %s: %v", name, action, f.SQL, err)
				}
				var got []int64
				for rows.Next() {
					var id int64
					if err := rows.Scan(&id); err != nil {
						t.Fatal(err)
					}
					got = append(got, id)
				}
				rows.Close()
				var want []int64
				for _, pr := range probes {
					res := Resource{EnterpriseID: pr.enterprise, ParkID: parkOf[pr.enterprise], Department: pr.dept}
					// Field conditions are per column, not per row: give
					// the field the principal could use, so that only the
					// row scope decides.
					res.Field = Field{Name: "f", Sensitivity: Public, Department: p.Department}
					if Allowed(p, action, res) {
						want = append(want, pr.id)
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s %s: Scope keeps %v, Can allows %v (filter %s %v)", name, action, got, want, f.SQL, f.Args)
				}
			}
		}
	})
}

func TestEnterpriseVisible(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		park1 := mustCreatePark(t, db, "p1")
		park2 := mustCreatePark(t, db, "p2")
		a := mustCreateEnterprise(t, db, "A", park1)
		b := mustCreateEnterprise(t, db, "B", park2)
		tests := []struct {
			name string
			p    Principal
			id   int64
			want bool
		}{
			{"liaison sees its own", Principal{UserID: 1, Role: RoleEnterprise, EnterpriseID: a}, a, true},
			{"liaison does not see another (id edited)", Principal{UserID: 1, Role: RoleEnterprise, EnterpriseID: a}, b, false},
			{"liaison of a missing enterprise", Principal{UserID: 1, Role: RoleEnterprise, EnterpriseID: 999999}, 999999, false},
			{"officer sees any", Principal{UserID: 2, Role: RoleOfficer}, b, true},
			{"park-limited officer", Principal{UserID: 2, Role: RoleOfficer, ParkID: park1}, b, false},
			{"missing enterprise", Principal{UserID: 2, Role: RoleOfficer}, 999999, false},
			{"anonymous", Principal{}, a, false},
		}
		for _, tt := range tests {
			got, err := EnterpriseVisible(ctx, db, tt.p, tt.id)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("%s: EnterpriseVisible = %v, want %v", tt.name, got, tt.want)
			}
		}
	})
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13812345678", "138****5678"},
		{"+8613812345678", "+861******5678"},
		{"zhang@example.com", "z***@example.com"},
		{"张三", "张***"},
		{"", ""},
		{"0571-8888", "0***"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	res := Enterprise(entA, 1)
	if got := MaskContact(matrixPrincipals["liaisonA"], res, "13812345678"); got != "13812345678" {
		t.Errorf("the liaison's own contact is masked: %q", got)
	}
	if got := MaskContact(matrixPrincipals["deptTax"], res, "13812345678"); got != "138****5678" {
		t.Errorf("a department sees contact data: %q", got)
	}
}
