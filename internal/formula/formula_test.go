package formula

import "testing"

func TestNeutralize(t *testing.T) {
	for _, tt := range []struct{ in, out string }{
		{`=HYPERLINK("http://x","click")`, `'=HYPERLINK("http://x","click")`},
		{"+1+2", "'+1+2"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"'=x", "''=x"},
		{"''@x", "'''@x"},
		{"-1200.50", "-1200.50"},
		{"+5", "+5"},
		{"-", "'-"},
		{"-.5", "'-.5"},
		{"1-2", "1-2"},
		{"'quoted", "'quoted"},
		{"'", "'"},
		{"", ""},
		{"示例公司", "示例公司"},
		{"a=b", "a=b"},
	} {
		if got := Neutralize(tt.in); got != tt.out {
			t.Errorf("Neutralize(%q) = %q, want %q", tt.in, got, tt.out)
		}
		if got := Restore(tt.out); got != tt.in {
			t.Errorf("Restore(%q) = %q, want %q", tt.out, got, tt.in)
		}
	}
}

// FuzzNeutralize holds the two promises for any text: what is written
// never starts a formula, and the import gets the text back exactly.
func FuzzNeutralize(f *testing.F) {
	for _, s := range []string{"=1", "'=1", "-1", "-1.5", "''", "@", "\t", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Neutralize(s)
		if Restore(out) != s {
			t.Fatalf("Restore(Neutralize(%q)) = %q", s, Restore(out))
		}
		if out != "" {
			switch out[0] {
			case '=', '+', '-', '@', '\t', '\r':
				if !plainNumber(out) {
					t.Fatalf("Neutralize(%q) = %q starts a formula", s, out)
				}
			}
		}
	})
}
