package auth

import (
	"bufio"
	"bytes"
	_ "embed"
	"strings"
	"unicode/utf8"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// Password length limits. The minimum follows NIST SP 800-63B's advice of
// length over composition rules; the maximum keeps a login request from
// feeding megabytes to argon2.
const (
	MinPasswordLength = 10   // characters
	MaxPasswordBytes  = 1024 // bytes
)

//go:embed common_passwords.txt
var commonPasswordsText []byte

// commonPasswords is the embedded list, lower case.
var commonPasswords = func() map[string]bool {
	m := make(map[string]bool)
	sc := bufio.NewScanner(bytes.NewReader(commonPasswordsText))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = true
		}
	}
	return m
}()

// CheckPasswordStrength returns an apperr.Invalid error naming each reason
// password is too weak for the account login, or nil. The reasons are
// shown to the user who chose it.
func CheckPasswordStrength(password, login string) error {
	var problems []apperr.Problem
	add := func(reason string) {
		problems = append(problems, apperr.Problem{Field: "password", Reason: reason})
	}
	if !utf8.ValidString(password) {
		add("is not valid text")
	}
	if utf8.RuneCountInString(password) < MinPasswordLength {
		add("must be at least 10 characters long")
	}
	if len(password) > MaxPasswordBytes {
		add("must be at most 1024 bytes long")
	}
	lower := strings.ToLower(password)
	if commonPasswords[lower] {
		add("is one of the most common passwords; choose another")
	}
	if containsLogin(lower, strings.ToLower(login)) {
		add("must not contain your login")
	}
	if len(problems) == 0 {
		return nil
	}
	return apperr.InvalidInput("the password is too weak", problems...)
}

// containsLogin reports whether the password contains the login, or for an
// e-mail login its part before the @, when that part is long enough to
// mean something (three characters or more).
func containsLogin(password, login string) bool {
	candidates := []string{login}
	if local, _, ok := strings.Cut(login, "@"); ok {
		candidates = append(candidates, local)
	}
	for _, c := range candidates {
		if utf8.RuneCountInString(c) >= 3 && strings.Contains(password, c) {
			return true
		}
	}
	return false
}
