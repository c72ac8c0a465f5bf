package auth

import (
	"context"
	"slices"
	"strconv"
)

// Principal is who is asking: a signed-in user, a system holding an API
// token, the command line, or nobody. The zero Principal is anonymous and
// may do nothing.
type Principal struct {
	// UserID is the signed-in user, 0 for tokens and the command line.
	UserID int64
	// TokenID is the API token used, 0 for users.
	TokenID int64
	// SessionID is the stored (hashed) id of the session, for ending the
	// other sessions on a password change; "" for tokens.
	SessionID string
	// Label names the principal in the audit log: the user's login,
	// "token:NAME" or "cli:…". It is copied into every entry, so that the
	// log still reads after a user is renamed.
	Label string
	Role  Role
	// Department is the code of a department user's or token's department.
	Department string
	// EnterpriseID is the enterprise a liaison speaks for.
	EnterpriseID int64
	// ParkID limits the principal to one park's enterprises; 0 is every park.
	ParkID int64
	// Portfolio is a commissioner's enterprises, sorted; loaded with the
	// session so that decisions need no query.
	Portfolio []int64
	// ClientAddr is the address the request came from, for the audit log.
	ClientAddr string
	// system marks the command line run by the server's operator, who has
	// the database file anyway; only System makes one.
	system bool
}

// System returns the principal of the server's operator on the command
// line (parkdesk user add, the demo). It may do everything; the web never
// makes one.
func System(label string) Principal {
	return Principal{Label: "cli:" + label, system: true}
}

// IsSystem reports whether p is the command line's operator.
func (p Principal) IsSystem() bool { return p.system }

// Authenticated reports whether p is anyone at all.
func (p Principal) Authenticated() bool {
	return p.system || p.Role != ""
}

// IsUser reports whether p is a person signed in with a session.
func (p Principal) IsUser() bool { return p.UserID != 0 }

// inPortfolio reports whether a commissioner looks after the enterprise.
func (p Principal) inPortfolio(enterpriseID int64) bool {
	if enterpriseID == 0 {
		return false
	}
	_, found := slices.BinarySearch(p.Portfolio, enterpriseID)
	return found
}

// actorLabel is the label for the audit log, never empty.
func (p Principal) actorLabel() string {
	switch {
	case p.Label != "":
		return p.Label
	case p.UserID != 0:
		return "user:" + strconv.FormatInt(p.UserID, 10)
	case p.TokenID != 0:
		return "token:" + strconv.FormatInt(p.TokenID, 10)
	}
	return "anonymous"
}

type principalKey struct{}

// WithPrincipal returns a context carrying p, set by the web middleware.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the principal of the request, anonymous when none.
func FromContext(ctx context.Context) Principal {
	p, _ := ctx.Value(principalKey{}).(Principal)
	return p
}
