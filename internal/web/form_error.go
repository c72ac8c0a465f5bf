package web

import (
	"net/http"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// FormError is what a page shows above a form the server refused: the
// refusal's message, safe to show, and the problems of the input by
// field, row or record. Every page struct with a form embeds it, and
// every page template shows it with {{template "form-error" .}}, so that
// a refusal reads the same on every page.
type FormError struct {
	Message  string
	Problems []apperr.Problem
}

// formErrorOf returns err as the FormError of a refused form and the
// status of the page that shows it again, or false when err is not the
// user's to fix by changing the form — a page that does not exist, a
// visitor who must sign in, an internal error — which the page adapter
// renders as an error page:
//
//   - invalid input: 422 Unprocessable Entity;
//   - a conflict with the stored state (a stale confirmation, a duplicate
//     code): 409 Conflict;
//   - a refusal of some of the input (fields the user may not change,
//     named in the problems): 422 too, for it is the input that must
//     change; a refusal of the whole action is an error page (403).
func formErrorOf(err error) (FormError, int, bool) {
	fe := FormError{Message: apperr.MessageOf(err), Problems: apperr.ProblemsOf(err)}
	switch apperr.CodeOf(err) {
	case apperr.Invalid:
		return fe, http.StatusUnprocessableEntity, true
	case apperr.Conflict:
		return fe, http.StatusConflict, true
	case apperr.Forbidden:
		if len(fe.Problems) > 0 {
			return fe, http.StatusUnprocessableEntity, true
		}
	}
	return FormError{}, 0, false
}

// rerender is the one adapter of a refused form. When err is the user's
// to fix (see formErrorOf), show renders the page again, with the form as
// it was typed, the refusal above it and the status; any other error is
// returned for the page adapter's error page. A handler ends with
//
//	if err := svc.Do(ctx, p, spec); err != nil {
//		return rerender(err, func(status int, fe FormError) error {
//			return s.renderThings(w, r, status, thingsPage{FormError: fe, Form: typed})
//		})
//	}
//
// and checks of its own (a date that does not parse) are apperr.InvalidInput
// errors passed the same way, so that there is one path for every refusal.
func rerender(err error, show func(status int, fe FormError) error) error {
	fe, status, ok := formErrorOf(err)
	if !ok {
		return err
	}
	return show(status, fe)
}
