package enterprise

import (
	"strings"
	"testing"
)

// FuzzPrefixRange checks the range List uses for a USCC or industry prefix
// typed by a user: every string with the prefix falls in [prefix, upper),
// and every string outside it that sorts after the prefix is at or past
// upper.
func FuzzPrefixRange(f *testing.F) {
	for _, seed := range [][2]string{{"9133", "91330106MA2GL1234M"}, {"C39", "C3911"}, {"C39", "C4"}, {"Z", "Z~"}, {"a", "b"}, {"}", "~"}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, prefix, s string) {
		upper, ok := asciiPrefixUpperBound(prefix)
		if !ok {
			return // List falls back to substr() for these
		}
		inRange := s >= prefix && s < upper
		if strings.HasPrefix(s, prefix) != inRange {
			t.Errorf("prefix %q, upper %q: %q has the prefix: %v, in range: %v", prefix, upper, s, strings.HasPrefix(s, prefix), inRange)
		}
	})
}

func TestEscapeLike(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "科技", "科技"},
		{"percent", "100%", `100\%`},
		{"underscore", "a_b", `a\_b`},
		{"backslash", `a\b`, `a\\b`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escapeLike(tt.in); got != tt.want {
				t.Errorf("escapeLike(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
