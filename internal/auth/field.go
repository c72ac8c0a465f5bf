package auth

import (
	"strings"
	"unicode/utf8"
)

// Sensitivity says who may see a field's values; the values are those of
// the data dictionary (facts.Sensitivity), which callers convert with
// auth.Sensitivity(f.Sensitivity). auth does not import facts, so that the
// fact store can call auth.Audit.
type Sensitivity string

// The sensitivities.
const (
	Public       Sensitivity = "public"
	Internal     Sensitivity = "internal"     // government-internal
	Confidential Sensitivity = "confidential" // tax data
)

// Field is what a decision needs to know of a data dictionary field.
type Field struct {
	Name        string
	Sensitivity Sensitivity
	Department  string // code of the owning department
}

// FieldVisible reports whether p may see the values of field for an
// enterprise p may see at all (check that with EnterpriseVisible or
// Can(p, ViewEnterprise, …)); Can(p, ViewField, …) checks both.
//
//   - public: everyone who sees the enterprise;
//   - internal: everyone but a department, which sees the internal fields
//     its department owns;
//   - confidential (tax data): officers, the owning department, and the
//     enterprise itself; not admins (accounts are not tax files), not
//     commissioners (they coordinate visits, not taxes), not leaders (they
//     see aggregates on dashboards).
//
// An unknown sensitivity is treated as confidential.
func FieldVisible(p Principal, field Field) bool {
	if p.system {
		return true
	}
	owned := p.Department != "" && field.Department == p.Department
	switch field.Sensitivity {
	case Public:
		return p.Role != ""
	case Internal:
		switch p.Role {
		case RoleAdmin, RoleOfficer, RoleCommissioner, RoleEnterprise, RoleLeader:
			return true
		case RoleDepartment:
			return owned
		}
		return false
	}
	switch p.Role {
	case RoleOfficer, RoleEnterprise:
		return true
	case RoleDepartment:
		return owned
	}
	return false
}

// MaskContact returns a personal contact value (a phone number, an e-mail
// address, a name) as p may see it for the enterprise of res: whole when
// Can(p, ViewContact, res) allows it, else masked so that it can be
// recognised by whoever knows it but not read off the page.
func MaskContact(p Principal, res Resource, value string) string {
	if Can(p, ViewContact, res) == nil {
		return value
	}
	return Mask(value)
}

// Mask hides most of a contact value: an e-mail keeps its first letter and
// domain (z***@example.com), a phone number its first three and last four
// digits (138****5678), anything else its first character.
func Mask(value string) string {
	if value == "" {
		return ""
	}
	if local, domain, ok := strings.Cut(value, "@"); ok && local != "" {
		first, _ := utf8.DecodeRuneInString(local)
		return string(first) + "***@" + domain
	}
	digits := 0
	for _, r := range value {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if digits >= 8 && digits == utf8.RuneCountInString(strings.TrimPrefix(value, "+")) {
		return value[:len(value)-digits+3] + strings.Repeat("*", digits-7) + value[len(value)-4:]
	}
	first, _ := utf8.DecodeRuneInString(value)
	return string(first) + "***"
}
