package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// secretBytes is the entropy of every session cookie, API token and
// one-time link: 256 bits.
const secretBytes = 32

// secretLen is the length of a secret in unpadded base64url.
var secretLen = base64.RawURLEncoding.EncodedLen(secretBytes)

// newSecret returns 256 random bits in unpadded base64url, safe in cookies,
// URLs and headers.
func newSecret() string {
	b := make([]byte, secretBytes)
	// crypto/rand.Read never fails on the systems Go supports (it panics
	// rather than return short), so there is no error to carry.
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashSecret is how a secret is stored and looked up: its SHA-256 in hex.
// A fast hash is enough because the secret has 256 random bits; there is
// nothing to guess.
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// validSecret reports whether s has the shape of newSecret's output, so
// that garbage is refused before it reaches the database.
func validSecret(s string) bool {
	if len(s) != secretLen {
		return false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	return err == nil && len(b) == secretBytes
}
