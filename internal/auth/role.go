package auth

import (
	"fmt"
	"slices"
)

// Role is what a user is in the park; it decides what they may do. The roles
// are those of the product brief.
type Role string

// The roles.
const (
	// RoleAdmin is the committee's system administrator: users, API
	// tokens, departments, parks, the data dictionary, the audit log. Not
	// cleared for confidential (tax) values: administering accounts needs
	// no tax data, and keeping the two apart means one stolen admin
	// password does not open every enterprise's tax file.
	RoleAdmin Role = "admin"
	// RoleOfficer is committee staff: policies, matching, pushes, projects,
	// indicators. Cleared for every field of every enterprise.
	RoleOfficer Role = "officer"
	// RoleDepartment is staff of a functional department (tax, market
	// regulation …): sees public fields and the fields its department owns,
	// files touch requests, answers the appeals routed to it.
	RoleDepartment Role = "department"
	// RoleCommissioner is an enterprise service commissioner: the
	// enterprises of its portfolio, their visits and appeals.
	RoleCommissioner Role = "commissioner"
	// RoleEnterprise is an enterprise's liaison: the portal of its own
	// enterprise and nothing of any other.
	RoleEnterprise Role = "enterprise"
	// RoleLeader is park leadership: read-only dashboards and aggregates.
	RoleLeader Role = "leader"
)

// Roles lists every role, in the order of the brief.
var Roles = []Role{RoleAdmin, RoleOfficer, RoleDepartment, RoleCommissioner, RoleEnterprise, RoleLeader}

// ParseRole returns the role named s.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !slices.Contains(Roles, r) {
		return "", fmt.Errorf("role %q is not one of admin, officer, department, commissioner, enterprise, leader", s)
	}
	return r, nil
}

// tokenRoles are the roles an API token may carry. Tokens are for other
// systems pushing data in or reading aggregates out; a token cannot
// administer (it would outlive the admin who made it and could make more
// tokens), and enterprise and commissioner scopes belong to people.
var tokenRoles = []Role{RoleOfficer, RoleDepartment, RoleLeader}
