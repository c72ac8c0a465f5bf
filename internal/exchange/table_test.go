package exchange

import (
	"strings"
	"testing"
)

func TestRecognize(t *testing.T) {
	tests := []struct {
		name   string
		header string
		want   tableKind
	}{
		{"enterprises", "uscc,name,registered_on,industry_code,park,tags", enterpriseTable},
		{"facts", "uscc,field,period,value", factTable},
		{"facts in another order and case", "Value, USCC ,Period,Field", factTable},
		{"facts with a column missing", "uscc,field,value", factTable},
		{"only uscc", "uscc", 0},
		{"both tables at once", "uscc,name,field,value", 0},
		{"nothing known", "a,b,c", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := recognize(strings.Split(tt.header, ",")); got != tt.want {
				t.Errorf("recognize(%q) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}

func TestParseHeader(t *testing.T) {
	tests := []struct {
		name    string
		kind    tableKind
		header  []string
		reasons []string // substrings, one per expected reason, in order
		pos     []int    // when there is no reason
	}{
		{name: "facts in order", kind: factTable, header: []string{"uscc", "field", "period", "value"}, pos: []int{0, 1, 2, 3}},
		{name: "facts reordered", kind: factTable, header: []string{"value", "period", "field", "uscc"}, pos: []int{3, 2, 1, 0}},
		{name: "byte-order mark and trailing empty cells", kind: factTable, header: []string{"\uFEFFuscc", "field", "period", "value", "", " "}, pos: []int{0, 1, 2, 3}},
		{name: "missing columns named", kind: enterpriseTable, header: []string{"uscc", "name", "park"},
			reasons: []string{"missing column(s) registered_on,industry_code,tags"}},
		{name: "unknown column named with its position", kind: factTable, header: []string{"uscc", "field", "period", "value", "unit"},
			reasons: []string{`unknown column "unit" (column 5)`}},
		{name: "duplicate column", kind: factTable, header: []string{"uscc", "field", "period", "value", "field"},
			reasons: []string{`duplicate column "field" (columns 2 and 5)`}},
		{name: "unnamed column between named ones", kind: factTable, header: []string{"uscc", "", "field", "period", "value"},
			reasons: []string{"column 2 has no name"}},
		{name: "several problems at once", kind: factTable, header: []string{"uscc", "uscc", "feild", "value"},
			reasons: []string{`duplicate column "uscc"`, `unknown column "feild"`, "missing column(s) field,period"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, reasons := parseHeader(tt.header, tt.kind)
			if len(reasons) != len(tt.reasons) {
				t.Fatalf("reasons = %q, want %d like %q", reasons, len(tt.reasons), tt.reasons)
			}
			for i, want := range tt.reasons {
				if !strings.Contains(reasons[i], want) {
					t.Errorf("reason %d = %q, want it to contain %q", i, reasons[i], want)
				}
			}
			if tt.pos != nil {
				for i, p := range tt.pos {
					if h.pos[i] != p {
						t.Errorf("column %s at %d, want %d", tt.kind.columns()[i], h.pos[i], p)
					}
				}
			}
		})
	}
}

func TestSplitTags(t *testing.T) {
	tests := []struct {
		cell string
		want string
	}{
		{"", ""},
		{"high-tech", "high-tech"},
		{"high-tech; srdi ;;key", "high-tech|srdi|key"},
		{"专精特新；高新", "专精特新|高新"},
	}
	for _, tt := range tests {
		if got := strings.Join(splitTags(tt.cell), "|"); got != tt.want {
			t.Errorf("splitTags(%q) = %q, want %q", tt.cell, got, tt.want)
		}
	}
}
