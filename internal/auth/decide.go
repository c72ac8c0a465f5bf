package auth

import (
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// scope is the condition a grant puts on the resource.
type scope uint8

const (
	// anyResource: the role alone decides (manage users, view dashboards).
	anyResource scope = iota + 1
	// parkEnterprise: any enterprise in the principal's park.
	parkEnterprise
	// portfolioEnterprise: an enterprise of the commissioner's portfolio.
	portfolioEnterprise
	// ownEnterprise: the liaison's own enterprise.
	ownEnterprise
	// ownDepartment: an enterprise in the park, and an object of the
	// principal's own department (a request it filed, an appeal routed to it).
	ownDepartment
)

// fieldCondition is the condition a grant puts on Resource.Field.
type fieldCondition uint8

const (
	anyField        fieldCondition = iota // the action is not about a field
	visibleField                          // FieldVisible
	ownedField                            // owned by the principal's department
	notConfidential                       // public or internal
)

// grant is what one role may do under one action.
type grant struct {
	scope scope
	field fieldCondition
}

// rule is the decision of one action: the roles it grants and on what;
// every other role is denied.
type rule struct {
	describe string // for "you may not …"
	grants   map[Role]grant
	// personOnly denies API tokens, for actions on one's own account.
	personOnly bool
}

var (
	all           = grant{scope: anyResource}
	inPark        = grant{scope: parkEnterprise}
	portfolioOnly = grant{scope: portfolioEnterprise}
	own           = grant{scope: ownEnterprise}
	ownDept       = grant{scope: ownDepartment}
)

// enterpriseViewers is the scope in which each role sees enterprises.
func enterpriseViewers() map[Role]grant {
	return map[Role]grant{
		RoleAdmin: inPark, RoleOfficer: inPark, RoleDepartment: inPark, RoleLeader: inPark,
		RoleCommissioner: portfolioOnly, RoleEnterprise: own,
	}
}

// rules is the decision table: one rule per action. docs/security.md
// describes it for people; the matrix test in decide_test.go pins it.
var rules = map[Action]rule{
	ViewEnterprise: {describe: "view this enterprise", grants: enterpriseViewers()},
	EditEnterprise: {describe: "edit enterprises", grants: map[Role]grant{RoleOfficer: inPark}},
	ViewField: {describe: "see this field", grants: map[Role]grant{
		RoleAdmin:        {parkEnterprise, visibleField},
		RoleOfficer:      {parkEnterprise, visibleField},
		RoleDepartment:   {parkEnterprise, visibleField},
		RoleLeader:       {parkEnterprise, visibleField},
		RoleCommissioner: {portfolioEnterprise, visibleField},
		RoleEnterprise:   {ownEnterprise, visibleField},
	}},
	EditFacts: {describe: "change this field", grants: map[Role]grant{
		RoleOfficer:    {parkEnterprise, anyField},
		RoleDepartment: {parkEnterprise, ownedField},
		// Tax data comes from the tax bureau: an enterprise that could set
		// its own credit rating could make itself eligible for a refund.
		RoleEnterprise: {ownEnterprise, notConfidential},
	}},
	Import:      {describe: "import data", grants: map[Role]grant{RoleOfficer: all, RoleDepartment: all}},
	Export:      {describe: "export data", grants: map[Role]grant{RoleOfficer: all, RoleDepartment: all}},
	ViewContact: {describe: "see personal contact data", grants: map[Role]grant{RoleOfficer: inPark, RoleCommissioner: portfolioOnly, RoleEnterprise: own}},

	ManageUsers:      {describe: "manage users", grants: map[Role]grant{RoleAdmin: all}},
	ManageTokens:     {describe: "manage API tokens", grants: map[Role]grant{RoleAdmin: all}},
	ViewAudit:        {describe: "see the audit log", grants: map[Role]grant{RoleAdmin: all}},
	ManageSettings:   {describe: "change parks, departments or the data dictionary", grants: map[Role]grant{RoleAdmin: all}},
	ManagePortfolios: {describe: "assign enterprises to commissioners", grants: map[Role]grant{RoleAdmin: all, RoleOfficer: all}},

	ViewPolicies: {describe: "view policies", grants: map[Role]grant{
		RoleAdmin: all, RoleOfficer: all, RoleDepartment: all, RoleCommissioner: all, RoleEnterprise: all, RoleLeader: all,
	}},
	ManagePolicies: {describe: "manage policies", grants: map[Role]grant{RoleOfficer: all}},
	RunMatching:    {describe: "run matching", grants: map[Role]grant{RoleOfficer: all}},
	ViewResults:    {describe: "see this enterprise's results", grants: map[Role]grant{RoleOfficer: inPark, RoleCommissioner: portfolioOnly, RoleEnterprise: own}},
	ManagePackages: {describe: "manage benefit packages", grants: map[Role]grant{RoleOfficer: all}},
	AnswerPackage:  {describe: "answer this enterprise's benefit packages", grants: map[Role]grant{RoleEnterprise: own}},

	FileTouchRequest: {describe: "file this touch request", grants: map[Role]grant{RoleOfficer: inPark, RoleDepartment: ownDept}},
	ViewTouchRequest: {describe: "see this touch request", grants: map[Role]grant{RoleOfficer: inPark, RoleDepartment: ownDept, RoleCommissioner: portfolioOnly}},
	ManageVisits:     {describe: "manage visits of this enterprise", grants: map[Role]grant{RoleOfficer: inPark, RoleCommissioner: portfolioOnly}},
	ConfirmVisit:     {describe: "confirm this visit", grants: map[Role]grant{RoleEnterprise: own}},

	FileAppeal:        {describe: "file an appeal for this enterprise", grants: map[Role]grant{RoleOfficer: inPark, RoleCommissioner: portfolioOnly, RoleEnterprise: own}},
	ViewAppeal:        {describe: "see this appeal", grants: map[Role]grant{RoleOfficer: inPark, RoleDepartment: ownDept, RoleCommissioner: portfolioOnly, RoleEnterprise: own}},
	AnswerAppeal:      {describe: "answer this appeal", grants: map[Role]grant{RoleOfficer: inPark, RoleDepartment: ownDept}},
	CloseAppeal:       {describe: "confirm or reopen this appeal", grants: map[Role]grant{RoleEnterprise: own}},
	ManageRoundtables: {describe: "manage roundtables", grants: map[Role]grant{RoleOfficer: all}},

	ViewProjects:     {describe: "see investment projects", grants: map[Role]grant{RoleOfficer: all, RoleLeader: all}},
	ManageProjects:   {describe: "manage investment projects", grants: map[Role]grant{RoleOfficer: all}},
	ManageIndicators: {describe: "manage indicators", grants: map[Role]grant{RoleOfficer: all}},
	ViewDashboard:    {describe: "see the dashboards", grants: map[Role]grant{RoleOfficer: all, RoleLeader: all}},

	ViewTechCatalogue: {describe: "see the technology catalogue", grants: map[Role]grant{
		RoleAdmin: all, RoleOfficer: all, RoleDepartment: all, RoleCommissioner: all, RoleEnterprise: all, RoleLeader: all,
	}},
	ManageTechCatalogue:  {describe: "manage the technology catalogue", grants: map[Role]grant{RoleOfficer: all}},
	PostTechNeed:         {describe: "post technology needs for this enterprise", grants: map[Role]grant{RoleOfficer: inPark, RoleCommissioner: portfolioOnly, RoleEnterprise: own}},
	ViewTechNeed:         {describe: "see this enterprise's technology needs", grants: map[Role]grant{RoleOfficer: inPark, RoleCommissioner: portfolioOnly, RoleEnterprise: own}},
	MatchTechEnterprises: {describe: "match achievements to enterprises", grants: map[Role]grant{RoleOfficer: all}},
	ManageDockings:       {describe: "introduce this enterprise to technology holders", grants: map[Role]grant{RoleOfficer: inPark}},
	ViewDockings:         {describe: "see this enterprise's introductions", grants: map[Role]grant{RoleOfficer: inPark, RoleCommissioner: portfolioOnly, RoleEnterprise: own}},
	ManageTechEvents:     {describe: "manage docking events", grants: map[Role]grant{RoleOfficer: all}},
	SignUpTechEvent:      {describe: "sign this enterprise up for docking events", grants: map[Role]grant{RoleOfficer: inPark, RoleEnterprise: own}},

	ChangeOwnPassword: {describe: "change a password", personOnly: true, grants: map[Role]grant{
		RoleAdmin: all, RoleOfficer: all, RoleDepartment: all, RoleCommissioner: all, RoleEnterprise: all, RoleLeader: all,
	}},
}

// Actions returns every action that has a rule.
func Actions() []Action {
	out := make([]Action, 0, len(rules))
	for a := range rules {
		out = append(out, a)
	}
	return out
}

// ErrUnauthenticated is the error for an anonymous principal: sign in first.
var ErrUnauthenticated = apperr.Errorf(apperr.Unauthorized, "please sign in")

// Can decides whether p may do a on res: nil when allowed, an
// apperr.Unauthorized error when p is anonymous, apperr.Forbidden otherwise.
// Anything not granted by the action's rule is denied, and so is an action
// without a rule.
func Can(p Principal, a Action, res Resource) error {
	if !p.Authenticated() {
		return ErrUnauthenticated
	}
	r, ok := rules[a]
	if !ok {
		return apperr.Errorf(apperr.Forbidden, "you may not do %s", strings.ReplaceAll(string(a), "_", " "))
	}
	if p.system || r.allows(p, res) {
		return nil
	}
	return apperr.Errorf(apperr.Forbidden, "you may not %s", r.describe)
}

// Allowed is Can as a boolean, for templates deciding what to show.
func Allowed(p Principal, a Action, res Resource) bool {
	return Can(p, a, res) == nil
}

func (r rule) allows(p Principal, res Resource) bool {
	if r.personOnly && !p.IsUser() {
		return false
	}
	g, ok := r.grants[p.Role]
	if !ok {
		return false
	}
	return g.scopeAllows(p, res) && g.fieldAllows(p, res.Field)
}

func (g grant) scopeAllows(p Principal, res Resource) bool {
	if g.scope == anyResource {
		return true
	}
	if res.EnterpriseID <= 0 || p.ParkID != 0 && res.ParkID != p.ParkID {
		return false
	}
	switch g.scope {
	case parkEnterprise:
		return true
	case portfolioEnterprise:
		return p.inPortfolio(res.EnterpriseID)
	case ownEnterprise:
		return p.EnterpriseID > 0 && res.EnterpriseID == p.EnterpriseID
	case ownDepartment:
		return p.Department != "" && res.Department == p.Department
	}
	return false
}

func (g grant) fieldAllows(p Principal, f Field) bool {
	switch g.field {
	case anyField:
		return true
	case visibleField:
		return f.Name != "" && FieldVisible(p, f)
	case ownedField:
		return f.Name != "" && p.Department != "" && f.Department == p.Department
	case notConfidential:
		return f.Name != "" && (f.Sensitivity == Public || f.Sensitivity == Internal)
	}
	return false
}
