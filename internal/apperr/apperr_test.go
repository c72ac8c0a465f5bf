package apperr

import (
	"errors"
	"fmt"
	"testing"
)

func TestProblemString(t *testing.T) {
	tests := []struct {
		name string
		p    Problem
		want string
	}{
		{"everything", Problem{File: "facts.csv", Row: 7, USCC: "91330106MA2GL1234M", Field: "revenue", Reason: "must not be negative"},
			"facts.csv row 7 (USCC 91330106MA2GL1234M): field revenue: must not be negative"},
		{"sheet and record", Problem{File: "park.xlsx", Sheet: "facts", Row: 3, Reason: "unknown column"},
			"park.xlsx sheet facts row 3: unknown column"},
		{"record only", Problem{Record: 2, Field: "uscc", Reason: "bad check digit"}, "record 2: field uscc: bad check digit"},
		{"reason only", Problem{Reason: "empty input"}, "empty input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCodeAndMessageOf(t *testing.T) {
	invalid := InvalidInput("1 invalid record", Problem{Record: 1, Reason: "x"})
	wrapped := fmt.Errorf("import: %w", invalid)
	if CodeOf(wrapped) != Invalid || MessageOf(wrapped) != "1 invalid record" || len(ProblemsOf(wrapped)) != 1 {
		t.Errorf("a wrapped *Error keeps its code, message and problems: %v %q %v", CodeOf(wrapped), MessageOf(wrapped), ProblemsOf(wrapped))
	}
	driver := errors.New("pq: connection refused at 10.0.0.3")
	if CodeOf(driver) != Internal || MessageOf(driver) != "internal error" || ProblemsOf(driver) != nil {
		t.Error("any other error is internal, and its text is never shown")
	}
	if got := invalid.Error(); got != "1 invalid record\n  record 1: x" {
		t.Errorf("Error() = %q", got)
	}
}
