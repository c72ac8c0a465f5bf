package web

import (
	"net/url"
	"strings"
	"testing"
)

func TestLocalPath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/enterprises?q=x", "/enterprises?q=x"},
		{"", "/"},
		{"https://evil.example/", "/"},
		{"//evil.example/", "/"},
		{"/\\evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"/ok\r\nSet-Cookie: x=1", "/"},
		{"/\t/evil.example", "/"},
		{"/a\\b", "/"},
	}
	for _, tt := range tests {
		if got := localPath(tt.in); got != tt.want {
			t.Errorf("localPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzLocalPath: whatever the next parameter, the language switch sends
// the browser to a path of this site.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/", "//x", "/\\x", "http://x", "/a?b=c#d", "\t/x", "/%2F%2Fx"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := localPath(next)
		u, err := url.Parse(got)
		if err != nil {
			return // the browser cannot follow it anywhere either
		}
		if u.Host != "" || u.Scheme != "" || !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") ||
			strings.ContainsFunc(got, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
			t.Fatalf("localPath(%q) = %q leaves the site", next, got)
		}
	})
}

// FuzzPaging: any page and per parameters give a page within bounds.
func FuzzPaging(f *testing.F) {
	f.Add("1", "25")
	f.Add("-3", "100000")
	f.Add("99999999999999999999", "0")
	f.Fuzz(func(t *testing.T, page, per string) {
		p := pagingOf(url.Values{"page": {page}, "per": {per}})
		if p.Page < 1 || p.Page > 1_000_000 || p.Per < 1 || p.Per > maxPer || p.Offset() < 0 {
			t.Fatalf("pagingOf(%q, %q) = %+v", page, per, p)
		}
	})
}
