package auth

import (
	"reflect"
	"slices"
	"testing"
)

// TestViewKeyCoversPrincipal holds ViewKey to the fields of Principal: a
// field added to Principal must be judged here (does a decision read it?)
// before a page cached under ViewKey can be trusted again.
func TestViewKeyCoversPrincipal(t *testing.T) {
	judged := map[string]string{
		"UserID":       "in the key of commissioners (the SQL scope reads their portfolio by user id); no other decision reads it",
		"TokenID":      "no decision reads it; tokens do not render pages",
		"SessionID":    "no decision reads it",
		"Label":        "no decision reads it (the operator's is in the key)",
		"Role":         "in the key",
		"Department":   "in the key",
		"EnterpriseID": "in the key",
		"ParkID":       "in the key",
		"Portfolio":    "in the key",
		"ClientAddr":   "no decision reads it",
		"system":       "in the key",
	}
	typ := reflect.TypeFor[Principal]()
	var names []string
	for i := range typ.NumField() {
		names = append(names, typ.Field(i).Name)
		if _, ok := judged[typ.Field(i).Name]; !ok {
			t.Errorf("Principal.%s is new: decide whether ViewKey must include it", typ.Field(i).Name)
		}
	}
	for name := range judged {
		if !slices.Contains(names, name) {
			t.Errorf("Principal.%s is gone: update this test", name)
		}
	}
}

func TestViewKey(t *testing.T) {
	officer := Principal{UserID: 1, SessionID: "a", Label: "o1", Role: RoleOfficer, ClientAddr: "10.0.0.1"}
	other := Principal{UserID: 2, SessionID: "b", Label: "o2", Role: RoleOfficer, ClientAddr: "10.0.0.2"}
	if officer.ViewKey() != other.ViewKey() {
		t.Errorf("two officers of every park see alike, keys %q and %q", officer.ViewKey(), other.ViewKey())
	}
	differ := []Principal{
		{UserID: 1, Role: RoleLeader},
		{UserID: 1, Role: RoleOfficer, ParkID: 2},
		{UserID: 1, Role: RoleDepartment, Department: "tax"},
		{UserID: 1, Role: RoleDepartment, Department: "stats"},
		{UserID: 1, Role: RoleEnterprise, EnterpriseID: 7},
		{UserID: 1, Role: RoleEnterprise, EnterpriseID: 8},
		{UserID: 1, Role: RoleCommissioner, Portfolio: []int64{1, 2}},
		{UserID: 1, Role: RoleCommissioner, Portfolio: []int64{1, 3}},
		{UserID: 3, Role: RoleCommissioner, Portfolio: []int64{1, 3}},
		System("x"),
	}
	seen := map[string]int{officer.ViewKey(): -1}
	for i, p := range differ {
		k := p.ViewKey()
		if j, ok := seen[k]; ok {
			t.Errorf("principals %d and %d share the key %q but may see differently", i, j, k)
		}
		seen[k] = i
	}
}
