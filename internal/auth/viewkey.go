package auth

import (
	"hash/fnv"
	"strconv"
	"strings"
)

// ViewKey names what p may see: two principals with the same key are
// granted the same decisions by Allowed, FieldVisible and Scope, so a page
// rendered for one may be shown to the other. It holds every field of the
// principal those decisions read (role, department, enterprise, park, the
// commissioner's portfolio) and nothing they do not (the session, the
// client's address), so that fifty officers of one park share one copy.
//
// A commissioner's key names the user as well: the SQL scope reads the
// portfolio table by user id, which may have moved since the session
// loaded the portfolio. The operator's command line never shares.
func (p Principal) ViewKey() string {
	var b strings.Builder
	b.WriteString(string(p.Role))
	b.WriteByte('|')
	b.WriteString(p.Department)
	b.WriteString("|e")
	b.WriteString(strconv.FormatInt(p.EnterpriseID, 10))
	b.WriteString("|p")
	b.WriteString(strconv.FormatInt(p.ParkID, 10))
	if p.system {
		b.WriteString("|system:")
		b.WriteString(p.Label)
	}
	if p.Role == RoleCommissioner || len(p.Portfolio) > 0 {
		h := fnv.New64a()
		for _, id := range p.Portfolio {
			h.Write(strconv.AppendInt(nil, id, 10))
			h.Write([]byte{','})
		}
		b.WriteString("|u")
		b.WriteString(strconv.FormatInt(p.UserID, 10))
		b.WriteString("|f")
		b.WriteString(strconv.FormatUint(h.Sum64(), 36))
		b.WriteString("|n")
		b.WriteString(strconv.Itoa(len(p.Portfolio)))
	}
	return b.String()
}
