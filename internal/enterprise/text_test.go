package enterprise

import (
	"strings"
	"testing"
)

func TestCleanLine(t *testing.T) {
	for _, tt := range []struct{ in, out, err string }{
		{"  示例公司\u3000", "示例公司", ""},
		{"\u00a0C3911 ", "C3911", ""},
		{"甲\x00公司", "", "NUL (U+0000), at character 2"},
		{"甲\t公司", "", "U+0009"},
		{"甲\n公司", "", "U+000A"},
		{"甲\u0085公司", "", "U+0085"},
		{"\xff", "", "not UTF-8"},
		{"", "", ""},
	} {
		got, err := CleanLine(tt.in)
		switch {
		case tt.err == "" && (err != nil || got != tt.out):
			t.Errorf("CleanLine(%q) = %q, %v; want %q", tt.in, got, err, tt.out)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("CleanLine(%q): %v, want an error with %q", tt.in, err, tt.err)
		}
	}
	if got, err := CleanText(" 第一行\n第二行\t制表 "); err != nil || got != "第一行\n第二行\t制表" {
		t.Errorf("CleanText: %q, %v", got, err)
	}
	if _, err := CleanText("a\x00b"); err == nil {
		t.Error("CleanText took NUL")
	}
}

// FuzzCleanLine: what CleanLine accepts is trimmed valid UTF-8 without a
// control character, and cleaning it again changes nothing.
func FuzzCleanLine(f *testing.F) {
	for _, s := range []string{" a ", "a\x00", "\u3000", "\xff", "a\tb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := CleanLine(s)
		if err != nil {
			return
		}
		if out != strings.TrimSpace(out) || strings.ContainsFunc(out, func(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 }) {
			t.Fatalf("CleanLine(%q) = %q", s, out)
		}
		if again, err := CleanLine(out); err != nil || again != out {
			t.Fatalf("CleanLine is not idempotent on %q: %q, %v", out, again, err)
		}
	})
}
