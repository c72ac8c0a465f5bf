package auth

import (
	"errors"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

func TestHashVerify(t *testing.T) {
	h := Hasher{Params: DefaultArgon2}
	encoded, err := h.Hash("violet sky over hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(encoded, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not the PHC string of the default parameters", encoded)
	}
	again, err := h.Hash("violet sky over hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	if again == encoded {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		name       string
		password   string
		wantOK     bool
		wantRehash bool
	}{
		{"right password", "violet sky over hangzhou", true, false},
		{"wrong password", "violet sky over shanghai", false, false},
		{"empty password", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := h.Verify(tt.password, encoded)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.wantOK || rehash != tt.wantRehash {
				t.Errorf("Verify = %v, %v; want %v, %v", ok, rehash, tt.wantOK, tt.wantRehash)
			}
		})
	}
}

func TestVerifyAsksForRehashWhenParametersChange(t *testing.T) {
	old := Hasher{Params: Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}
	encoded, err := old.Hash("violet sky over hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	raised := Hasher{Params: Argon2Params{Memory: 128, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}}
	ok, rehash, err := raised.Verify("violet sky over hangzhou", encoded)
	if err != nil || !ok || !rehash {
		t.Fatalf("Verify with raised parameters = %v, %v, %v; want true, true, nil", ok, rehash, err)
	}
	// The hash keeps verifying with its own parameters, whatever the hasher's.
	ok, rehash, err = old.Verify("violet sky over hangzhou", encoded)
	if err != nil || !ok || rehash {
		t.Fatalf("Verify with the same parameters = %v, %v, %v; want true, false, nil", ok, rehash, err)
	}
	// A wrong password never asks for a rehash: that would store its hash.
	ok, rehash, err = raised.Verify("wrong", encoded)
	if err != nil || ok || rehash {
		t.Fatalf("Verify of a wrong password = %v, %v, %v; want false, false, nil", ok, rehash, err)
	}
}

func TestVerifyRejectsMalformedHashes(t *testing.T) {
	h := Hasher{Params: cheapArgon2}
	good, err := h.Hash("violet sky over hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	tests := []struct {
		name    string
		encoded string
	}{
		{"empty", ""},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", with(1, "argon2i")},
		{"old version", with(2, "v=16")},
		{"memory too large", with(3, "m=4194304,t=1,p=1")},
		{"too many passes", with(3, "m=64,t=1000,p=1")},
		{"no lanes", with(3, "m=64,t=1,p=0")},
		{"parameters out of order", with(3, "t=1,m=64,p=1")},
		{"padded salt", with(4, parts[4]+"==")},
		{"short key", with(5, "AAAA")},
		{"extra field", good + "$x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, _, err := h.Verify("violet sky over hangzhou", tt.encoded)
			if !errors.Is(err, errBadHash) || ok {
				t.Errorf("Verify(%q) = %v, %v; want false, errBadHash", tt.encoded, ok, err)
			}
		})
	}
}

func FuzzDecodeHash(f *testing.F) {
	h := Hasher{Params: cheapArgon2}
	good, _ := h.Hash("seed password")
	f.Add(good)
	f.Add("$argon2id$v=19$m=64,t=1,p=1$$")
	f.Add("$argon2id$v=19$m=99999999999,t=1,p=1$AAAA$AAAA")
	f.Fuzz(func(t *testing.T, encoded string) {
		p, salt, key, err := decodeHash(encoded)
		if err != nil {
			return
		}
		if p.Memory > maxArgon2Memory || p.Time > maxArgon2Time || len(key) > maxArgon2KeyLen || len(salt) > maxArgon2SaltLen {
			t.Fatalf("decodeHash(%q) accepted parameters beyond the limits: %+v", encoded, p)
		}
	})
}

func TestCheckPasswordStrength(t *testing.T) {
	tests := []struct {
		name     string
		password string
		login    string
		want     []string // reasons, in order; none when strong enough
	}{
		{"strong", "violet sky over hangzhou", "zhang", nil},
		{"ten characters exactly", "abcdefgh7!", "zhang", nil},
		{"chinese characters count as characters", "紫色的天空在杭州的西湖上", "zhang", nil},
		{"too short", "abc123!", "zhang", []string{"must be at least 10 characters long"}},
		{"common", "Password123", "zhang", []string{"is one of the most common passwords; choose another"}},
		{"common and contains the login", "qwertyuiop", "qwerty", []string{
			"is one of the most common passwords; choose another", "must not contain your login"}},
		{"contains the login", "zhangsan-2025-spring", "ZhangSan", []string{"must not contain your login"}},
		{"contains an e-mail login's local part", "my name is zhangsan ok", "zhangsan@park.cn", []string{"must not contain your login"}},
		{"short login is not searched", "xy is a fine password", "xy", nil},
		{"too long", strings.Repeat("a", MaxPasswordBytes+1), "zhang", []string{"must be at most 1024 bytes long"}},
		{"short and common", "123456", "zhang", []string{"must be at least 10 characters long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPasswordStrength(tt.password, tt.login)
			var got []string
			for _, p := range apperr.ProblemsOf(err) {
				if p.Field != "password" {
					t.Errorf("problem names field %q, want password", p.Field)
				}
				got = append(got, p.Reason)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("reasons = %q, want %q", got, tt.want)
			}
			if (err == nil) != (len(tt.want) == 0) {
				t.Errorf("err = %v", err)
			}
			if err != nil && apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("code = %s, want invalid", apperr.CodeOf(err))
			}
		})
	}
}

func TestCommonPasswordListLoads(t *testing.T) {
	if len(commonPasswords) < 50 {
		t.Fatalf("only %d common passwords loaded", len(commonPasswords))
	}
	for pw := range commonPasswords {
		if strings.HasPrefix(pw, "#") || pw != strings.ToLower(pw) {
			t.Errorf("list entry %q is a comment or not lower case", pw)
		}
	}
}
