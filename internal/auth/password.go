package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2Params are the cost parameters of argon2id.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultArgon2 is the first choice of OWASP's password storage cheat sheet
// for argon2id (19 MiB, 2 passes, 1 lane): about 20 ms of one core per
// login here, and a memory cost that makes GPU guessing expensive.
var DefaultArgon2 = Argon2Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Limits on parameters read back from a stored hash: a corrupted or planted
// hash must not make one login allocate gigabytes or spin for minutes.
const (
	maxArgon2Memory  = 1 << 20 // KiB: 1 GiB
	maxArgon2Time    = 64
	maxArgon2KeyLen  = 128
	maxArgon2SaltLen = 64
)

// Hasher hashes and verifies passwords with its parameters.
type Hasher struct {
	Params Argon2Params
}

// Hash returns the PHC string of password with a fresh random salt:
// $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH, salt and hash in unpadded base64.
func (h Hasher) Hash(password string) (string, error) {
	salt := make([]byte, h.Params.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, h.Params.Time, h.Params.Memory, h.Params.Threads, h.Params.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		h.Params.Memory, h.Params.Time, h.Params.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// Verify reports whether password matches the encoded hash, comparing in
// constant time, and whether the hash should be replaced because it was
// made with other parameters than h's (they have been raised since).
func (h Hasher) Verify(password, encoded string) (ok, rehash bool, err error) {
	params, salt, want, err := decodeHash(encoded)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(password), salt, params.Time, params.Memory, params.Threads, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return false, false, nil
	}
	return true, params != h.Params, nil
}

// errBadHash is returned for a stored hash that is not an argon2id PHC
// string parkdesk can read.
var errBadHash = errors.New("auth: stored password hash is not a valid argon2id PHC string")

// decodeHash parses a PHC string and checks its parameters' bounds.
func decodeHash(encoded string) (Argon2Params, []byte, []byte, error) {
	var p Argon2Params
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version || parts[2] != fmt.Sprintf("v=%d", version) {
		return p, nil, nil, errBadHash
	}
	var threads uint32
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &threads); err != nil || n != 3 ||
		parts[3] != fmt.Sprintf("m=%d,t=%d,p=%d", p.Memory, p.Time, threads) {
		return p, nil, nil, errBadHash
	}
	if threads < 1 || threads > 255 || p.Time < 1 || p.Time > maxArgon2Time || p.Memory < 8*threads || p.Memory > maxArgon2Memory {
		return p, nil, nil, errBadHash
	}
	p.Threads = uint8(threads)
	salt, err := base64.RawStdEncoding.Strict().DecodeString(parts[4])
	if err != nil || len(salt) < 8 || len(salt) > maxArgon2SaltLen {
		return p, nil, nil, errBadHash
	}
	key, err := base64.RawStdEncoding.Strict().DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > maxArgon2KeyLen {
		return p, nil, nil, errBadHash
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}
