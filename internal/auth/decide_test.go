package auth

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// The cast of the authorization matrix: every role, with the scope cases
// that tell rules apart (two departments, two liaisons, a park-limited
// officer, a department's API token).
const (
	entA     = 10 // park 1, in the commissioner's portfolio, liaisonA's
	entB     = 20 // park 1, liaisonB's
	entPark2 = 30 // park 2
)

var matrixPrincipals = map[string]Principal{
	"anonymous":    {},
	"admin":        {UserID: 1, Role: RoleAdmin},
	"officer":      {UserID: 2, Role: RoleOfficer},
	"officerPark2": {UserID: 3, Role: RoleOfficer, ParkID: 2},
	"deptTax":      {UserID: 4, Role: RoleDepartment, Department: "tax"},
	"deptStats":    {UserID: 5, Role: RoleDepartment, Department: "stats"},
	"commissioner": {UserID: 6, Role: RoleCommissioner, Portfolio: []int64{entA}},
	"liaisonA":     {UserID: 7, Role: RoleEnterprise, EnterpriseID: entA},
	"liaisonB":     {UserID: 8, Role: RoleEnterprise, EnterpriseID: entB},
	"leader":       {UserID: 9, Role: RoleLeader},
	"tokenTax":     {TokenID: 1, Role: RoleDepartment, Department: "tax"},
}

var (
	resA     = Resource{EnterpriseID: entA, ParkID: 1}
	resB     = Resource{EnterpriseID: entB, ParkID: 1}
	resPark2 = Resource{EnterpriseID: entPark2, ParkID: 2}

	publicStats   = Field{Name: "enterprise_size", Sensitivity: Public, Department: "stats"}
	internalStats = Field{Name: "employees", Sensitivity: Internal, Department: "stats"}
	internalEcon  = Field{Name: "restricted_industry", Sensitivity: Internal, Department: "econ"}
	secretTax     = Field{Name: "vat_credit_end", Sensitivity: Confidential, Department: "tax"}
	unknownTax    = Field{Name: "odd", Sensitivity: "secret", Department: "tax"}
)

func with(r Resource, change func(*Resource)) Resource {
	change(&r)
	return r
}

func withField(r Resource, f Field) Resource {
	return with(r, func(r *Resource) { r.Field = f })
}

func withDept(r Resource, dept string) Resource {
	return with(r, func(r *Resource) { r.Department = dept })
}

var everyone = []string{"admin", "officer", "officerPark2", "deptTax", "deptStats", "commissioner", "liaisonA", "liaisonB", "leader", "tokenTax"}

// authzMatrix: for each action and scope case, exactly who is allowed;
// every other principal of matrixPrincipals is denied.
var authzMatrix = []struct {
	action Action
	scope  string
	res    Resource
	allow  []string
}{
	{ViewEnterprise, "enterprise A", resA, []string{"admin", "officer", "deptTax", "deptStats", "commissioner", "liaisonA", "leader", "tokenTax"}},
	{ViewEnterprise, "enterprise B", resB, []string{"admin", "officer", "deptTax", "deptStats", "liaisonB", "leader", "tokenTax"}},
	{ViewEnterprise, "enterprise in park 2", resPark2, []string{"admin", "officer", "officerPark2", "deptTax", "deptStats", "leader", "tokenTax"}},
	{ViewEnterprise, "enterprise without its park", Resource{EnterpriseID: entPark2}, []string{"admin", "officer", "deptTax", "deptStats", "leader", "tokenTax"}},
	{ViewEnterprise, "no enterprise", Resource{}, nil},
	{EditEnterprise, "enterprise A", resA, []string{"officer"}},
	{EditEnterprise, "enterprise in park 2", resPark2, []string{"officer", "officerPark2"}},

	{ViewField, "public field of A", withField(resA, publicStats), []string{"admin", "officer", "deptTax", "deptStats", "commissioner", "liaisonA", "leader", "tokenTax"}},
	{ViewField, "internal stats field of A", withField(resA, internalStats), []string{"admin", "officer", "deptStats", "commissioner", "liaisonA", "leader"}},
	{ViewField, "internal econ field of A", withField(resA, internalEcon), []string{"admin", "officer", "commissioner", "liaisonA", "leader"}},
	{ViewField, "confidential tax field of A", withField(resA, secretTax), []string{"officer", "deptTax", "liaisonA", "tokenTax"}},
	{ViewField, "confidential tax field of B", withField(resB, secretTax), []string{"officer", "deptTax", "liaisonB", "tokenTax"}},
	{ViewField, "unknown sensitivity counts as confidential", withField(resA, unknownTax), []string{"officer", "deptTax", "liaisonA", "tokenTax"}},
	{ViewField, "no field named", resA, nil},

	{EditFacts, "confidential tax field of A", withField(resA, secretTax), []string{"officer", "deptTax", "tokenTax"}},
	{EditFacts, "internal stats field of A", withField(resA, internalStats), []string{"officer", "deptStats", "liaisonA"}},
	{EditFacts, "public stats field of B", withField(resB, publicStats), []string{"officer", "deptStats", "liaisonB"}},
	{EditFacts, "tax field in park 2", withField(resPark2, secretTax), []string{"officer", "officerPark2", "deptTax", "tokenTax"}},
	{Import, "any", Resource{}, []string{"officer", "officerPark2", "deptTax", "deptStats", "tokenTax"}},
	{Export, "any", Resource{}, []string{"officer", "officerPark2", "deptTax", "deptStats", "tokenTax"}},
	{ViewContact, "enterprise A", resA, []string{"officer", "commissioner", "liaisonA"}},
	{ViewContact, "enterprise B", resB, []string{"officer", "liaisonB"}},

	{ManageUsers, "any", Resource{}, []string{"admin"}},
	{ManageTokens, "any", Resource{}, []string{"admin"}},
	{ViewAudit, "any", Resource{}, []string{"admin"}},
	{ManageSettings, "any", Resource{}, []string{"admin"}},
	{ManagePortfolios, "any", Resource{}, []string{"admin", "officer", "officerPark2"}},

	{ViewPolicies, "any", Resource{}, everyone},
	{ManagePolicies, "any", Resource{}, []string{"officer", "officerPark2"}},
	{RunMatching, "any", Resource{}, []string{"officer", "officerPark2"}},
	{ViewResults, "enterprise A", resA, []string{"officer", "commissioner", "liaisonA"}},
	{ViewResults, "enterprise B", resB, []string{"officer", "liaisonB"}},
	{ManagePackages, "any", Resource{}, []string{"officer", "officerPark2"}},
	{AnswerPackage, "enterprise A", resA, []string{"liaisonA"}},
	{AnswerPackage, "enterprise B", resB, []string{"liaisonB"}},

	{FileTouchRequest, "tax's request on A", withDept(resA, "tax"), []string{"officer", "deptTax", "tokenTax"}},
	{FileTouchRequest, "stats' request on A", withDept(resA, "stats"), []string{"officer", "deptStats"}},
	{FileTouchRequest, "tax's request in park 2", withDept(resPark2, "tax"), []string{"officer", "officerPark2", "deptTax", "tokenTax"}},
	{ViewTouchRequest, "tax's request on A", withDept(resA, "tax"), []string{"officer", "deptTax", "commissioner", "tokenTax"}},
	{ViewTouchRequest, "stats' request on B", withDept(resB, "stats"), []string{"officer", "deptStats"}},
	{ManageVisits, "enterprise A", resA, []string{"officer", "commissioner"}},
	{ManageVisits, "enterprise B", resB, []string{"officer"}},
	{ConfirmVisit, "enterprise A", resA, []string{"liaisonA"}},
	{ConfirmVisit, "enterprise B", resB, []string{"liaisonB"}},

	{FileAppeal, "enterprise A", resA, []string{"officer", "commissioner", "liaisonA"}},
	{FileAppeal, "enterprise B", resB, []string{"officer", "liaisonB"}},
	{ViewAppeal, "A's appeal routed to stats", withDept(resA, "stats"), []string{"officer", "deptStats", "commissioner", "liaisonA"}},
	{ViewAppeal, "B's appeal routed to tax", withDept(resB, "tax"), []string{"officer", "deptTax", "liaisonB", "tokenTax"}},
	{AnswerAppeal, "A's appeal routed to stats", withDept(resA, "stats"), []string{"officer", "deptStats"}},
	{AnswerAppeal, "B's appeal routed to tax", withDept(resB, "tax"), []string{"officer", "deptTax", "tokenTax"}},
	{AnswerAppeal, "appeal routed nowhere", resA, []string{"officer"}},
	{CloseAppeal, "enterprise A", resA, []string{"liaisonA"}},
	{ManageRoundtables, "any", Resource{}, []string{"officer", "officerPark2"}},

	{ViewProjects, "any", Resource{}, []string{"officer", "officerPark2", "leader"}},
	{ManageProjects, "any", Resource{}, []string{"officer", "officerPark2"}},
	{ManageIndicators, "any", Resource{}, []string{"officer", "officerPark2"}},
	{ViewDashboard, "any", Resource{}, []string{"officer", "officerPark2", "leader"}},

	{ViewTechCatalogue, "any", Resource{}, everyone},
	{ManageTechCatalogue, "any", Resource{}, []string{"officer", "officerPark2"}},
	{PostTechNeed, "enterprise A", resA, []string{"officer", "commissioner", "liaisonA"}},
	{PostTechNeed, "enterprise in park 2", resPark2, []string{"officer", "officerPark2"}},
	{ViewTechNeed, "enterprise A", resA, []string{"officer", "commissioner", "liaisonA"}},
	{ViewTechNeed, "enterprise B", resB, []string{"officer", "liaisonB"}},
	{MatchTechEnterprises, "any", Resource{}, []string{"officer", "officerPark2"}},
	{ManageDockings, "enterprise A", resA, []string{"officer"}},
	{ManageDockings, "enterprise in park 2", resPark2, []string{"officer", "officerPark2"}},
	{ViewDockings, "enterprise A", resA, []string{"officer", "commissioner", "liaisonA"}},
	{ViewDockings, "enterprise B", resB, []string{"officer", "liaisonB"}},
	{ManageTechEvents, "any", Resource{}, []string{"officer", "officerPark2"}},
	{SignUpTechEvent, "enterprise A", resA, []string{"officer", "liaisonA"}},
	{SignUpTechEvent, "enterprise B", resB, []string{"officer", "liaisonB"}},

	{ChangeOwnPassword, "any", Resource{}, []string{"admin", "officer", "officerPark2", "deptTax", "deptStats", "commissioner", "liaisonA", "liaisonB", "leader"}},
}

func TestAuthorizationMatrix(t *testing.T) {
	names := make([]string, 0, len(matrixPrincipals))
	for name := range matrixPrincipals {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, row := range authzMatrix {
		for _, name := range row.allow {
			if _, ok := matrixPrincipals[name]; !ok {
				t.Fatalf("%s / %s: unknown principal %q in the table", row.action, row.scope, name)
			}
		}
		for _, name := range names {
			p := matrixPrincipals[name]
			want := slices.Contains(row.allow, name)
			t.Run(string(row.action)+"/"+row.scope+"/"+name, func(t *testing.T) {
				err := Can(p, row.action, row.res)
				if want && err != nil {
					t.Fatalf("denied: %v", err)
				}
				if !want {
					wantCode := apperr.Forbidden
					if !p.Authenticated() {
						wantCode = apperr.Unauthorized
					}
					if err == nil || apperr.CodeOf(err) != wantCode {
						t.Fatalf("Can = %v, want a %s error", err, wantCode)
					}
				}
			})
		}
	}
}

// TestEveryActionIsInTheMatrix fails when an action gets a rule but no
// rows, so that nobody adds an action without deciding who may do it.
func TestEveryActionIsInTheMatrix(t *testing.T) {
	covered := map[Action]bool{}
	for _, row := range authzMatrix {
		covered[row.action] = true
	}
	for _, a := range Actions() {
		if !covered[a] {
			t.Errorf("action %s has a rule but no row in authzMatrix", a)
		}
	}
	roles := map[Role]bool{}
	for _, p := range matrixPrincipals {
		roles[p.Role] = true
	}
	for _, r := range Roles {
		if !roles[r] {
			t.Errorf("role %s has no principal in the matrix", r)
		}
	}
}

func TestUnknownActionIsDenied(t *testing.T) {
	for _, p := range []Principal{matrixPrincipals["admin"], matrixPrincipals["officer"]} {
		if err := Can(p, Action("launch_rockets"), Resource{}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("Can(%s, unknown action) = %v, want forbidden", p.Role, err)
		}
	}
	if err := Can(Principal{UserID: 1, Role: "superuser"}, ViewPolicies, Resource{}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("an unknown role was not denied: %v", err)
	}
}

func TestSystemMayDoEveryKnownAction(t *testing.T) {
	p := System("test")
	for _, a := range Actions() {
		if err := Can(p, a, Resource{}); err != nil {
			t.Errorf("System denied %s: %v", a, err)
		}
	}
	if Can(p, Action("launch_rockets"), Resource{}) == nil {
		t.Error("System allowed an action without a rule")
	}
}

func TestForbiddenMessageNamesTheAction(t *testing.T) {
	err := Can(matrixPrincipals["leader"], ManageUsers, Resource{})
	if !strings.Contains(apperr.MessageOf(err), "manage users") {
		t.Errorf("message %q does not say what was refused", apperr.MessageOf(err))
	}
}
