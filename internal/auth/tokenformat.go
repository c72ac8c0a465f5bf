package auth

import (
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// APITokenPrefix starts every API token, so that people and secret scanners
// recognise one in a log or a repository.
const APITokenPrefix = "pdk_"

// errBadToken is the one answer to a token that is malformed, unknown,
// expired or revoked: the caller learns nothing about which.
var errBadToken = apperr.Errorf(apperr.Unauthorized, "invalid, expired or revoked API token")

// ParseAPIToken checks the shape of an API token as it arrives in an
// Authorization header ("Bearer pdk_…", the scheme already removed or not)
// and returns the token itself.
func ParseAPIToken(s string) (string, error) {
	s = strings.TrimSpace(s)
	if scheme, rest, ok := strings.Cut(s, " "); ok {
		if !strings.EqualFold(scheme, "Bearer") {
			return "", errBadToken
		}
		s = strings.TrimLeft(rest, " ")
	}
	secret, ok := strings.CutPrefix(s, APITokenPrefix)
	if !ok || !validSecret(secret) {
		return "", errBadToken
	}
	return s, nil
}

// newAPIToken returns a fresh token and the short prefix shown in lists to
// tell tokens apart ("pdk_AbCd1234").
func newAPIToken() (token, display string) {
	token = APITokenPrefix + newSecret()
	return token, token[:len(APITokenPrefix)+8]
}
