package auth

import (
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

func TestParseAPIToken(t *testing.T) {
	token, prefix := newAPIToken()
	if !strings.HasPrefix(prefix, "pdk_") || len(prefix) != 12 || !strings.HasPrefix(token, prefix) {
		t.Fatalf("newAPIToken = %q, %q", token, prefix)
	}
	tests := []struct {
		name   string
		header string
		want   string // "" when refused
	}{
		{"bare token", token, token},
		{"bearer scheme", "Bearer " + token, token},
		{"scheme in lower case", "bearer " + token, token},
		{"surrounding spaces", "  Bearer   " + token + " ", token},
		{"basic scheme", "Basic " + token, ""},
		{"no prefix", strings.TrimPrefix(token, "pdk_"), ""},
		{"other prefix", "ghp_" + strings.TrimPrefix(token, "pdk_"), ""},
		{"truncated", token[:len(token)-1], ""},
		{"one character too many", token + "A", ""},
		{"standard base64 character", token[:len(token)-1] + "+", ""},
		{"non-canonical last character", token[:len(token)-1] + "B", ""},
		{"empty", "", ""},
		{"prefix only", "pdk_", ""},
		{"two tokens", "Bearer " + token + " " + token, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAPIToken(tt.header)
			if tt.want == "" {
				if err == nil || apperr.CodeOf(err) != apperr.Unauthorized {
					t.Errorf("ParseAPIToken(%q) = %q, %v; want an unauthorized error", tt.header, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseAPIToken(%q) = %q, %v; want %q", tt.header, got, err, tt.want)
			}
		})
	}
}

func FuzzParseAPIToken(f *testing.F) {
	token, _ := newAPIToken()
	f.Add(token)
	f.Add("Bearer " + token)
	f.Add("pdk_")
	f.Add("Bearer  pdk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Fuzz(func(t *testing.T, header string) {
		got, err := ParseAPIToken(header)
		if err != nil {
			if got != "" {
				t.Fatalf("refused %q but returned %q", header, got)
			}
			return
		}
		if !strings.HasPrefix(got, APITokenPrefix) || !validSecret(strings.TrimPrefix(got, APITokenPrefix)) {
			t.Fatalf("accepted %q as %q, which is not a token", header, got)
		}
		if again, err := ParseAPIToken(got); err != nil || again != got {
			t.Fatalf("a parsed token does not parse to itself: %q → %q, %v", got, again, err)
		}
	})
}
