package web

import (
	"errors"
	"net/http"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
)

// TestRerender pins which refusals show the form again, with which
// status, and which become the error page.
func TestRerender(t *testing.T) {
	bad := apperr.Problem{Field: "minutes", Reason: "is not a number"}
	tests := []struct {
		name   string
		err    error
		status int // 0: returned to the page adapter
	}{
		{"invalid input", apperr.InvalidInput("the request is not valid", bad), http.StatusUnprocessableEntity},
		{"conflict", apperr.Errorf(apperr.Conflict, "already confirmed"), http.StatusConflict},
		{"some fields refused", &apperr.Error{Code: apperr.Forbidden, Message: "nothing was recorded", Problems: []apperr.Problem{bad}}, http.StatusUnprocessableEntity},
		{"the action refused", apperr.Errorf(apperr.Forbidden, "you may not"), 0},
		{"not found", apperr.Errorf(apperr.NotFound, "not found"), 0},
		{"not signed in", auth.ErrUnauthenticated, 0},
		{"internal", errors.New("disk on fire"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var shown FormError
			status := 0
			err := rerender(tt.err, func(st int, fe FormError) error {
				status, shown = st, fe
				return nil
			})
			if status != tt.status {
				t.Fatalf("status %d, want %d", status, tt.status)
			}
			if tt.status == 0 {
				if err != tt.err {
					t.Errorf("returned %v, want the error itself", err)
				}
				return
			}
			if err != nil || shown.Message != apperr.MessageOf(tt.err) || len(shown.Problems) != len(apperr.ProblemsOf(tt.err)) {
				t.Errorf("shown %+v, returned %v", shown, err)
			}
		})
	}
}
